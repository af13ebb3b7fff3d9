package exchange

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/gorilla/websocket"

	"github.com/unifex-go/unifex/cache"
)

// Config configures one exchange value. The zero Config is a public,
// production-URL exchange with CCXT's defaults. String and LogValue never
// print a secret.
type Config struct {
	// APIKey is the API key id.
	APIKey string
	// Secret is the API secret (HMAC key, or an Ed25519/RSA private key in PEM
	// where the venue uses those).
	Secret string
	// Password is the API passphrase some venues require (okx, kucoin, bitget).
	Password string
	// PrivateKey is a wallet's private key (hex) for wallet-signed venues
	// (hyperliquid).
	PrivateKey string
	// WalletAddress is the wallet address for wallet-signed venues.
	WalletAddress string

	// Sandbox selects the venue's testnet or demo URLs.
	Sandbox bool
	// URLs overrides endpoints by the keys each adapter documents (for
	// example "rest", "ws"); this is how tests and the simulator point an
	// adapter at a local server.
	URLs map[string]string
	// HTTPClient replaces the exchange's tuned HTTP client.
	HTTPClient *http.Client
	// WSDialer, if set, is used for WebSocket connections (proxy, TLS
	// roots, buffer sizes). A dialer that disables TLS verification is
	// refused.
	WSDialer *websocket.Dialer

	// Logger receives lifecycle and debug logs; nil discards them. Secrets,
	// signatures and tokens never reach it.
	Logger *slog.Logger

	// NewUpdates makes list-returning Watch* calls return only what arrived
	// since the consumer's last return (CCXT's newUpdates).
	NewUpdates bool
	// TradesLimit, OHLCVLimit and OrdersLimit size the caches; 0 means 1000.
	TradesLimit, OHLCVLimit, OrdersLimit int
	// KeepInfo keeps each unified structure's native payload in its Info
	// field. Off by default: the streaming path does not pay for it.
	KeepInfo bool

	// Reconnect sets the reconnect backoff; zero fields take CCXT's defaults
	// (1 s, ×2, 60 s cap, ±20 % jitter, reset after 30 s stable).
	Reconnect Backoff
	// RequestTimeout bounds each REST call and WebSocket request; 0 means 10 s.
	RequestTimeout time.Duration

	// Options holds the adapter's own typed options (for example a
	// binance.Options value); nil means the adapter's defaults.
	Options any
}

// Backoff is an exponential backoff schedule with jitter.
type Backoff struct {
	// Base is the first delay (default 1 s).
	Base time.Duration
	// Factor multiplies the delay after each failure (default 2).
	Factor float64
	// Max caps the delay (default 60 s).
	Max time.Duration
	// Jitter spreads each delay by ±Jitter×delay (default 0.2; negative: none).
	Jitter float64
	// ResetAfter is how long a connection must stay up for the schedule to
	// start again (default 30 s).
	ResetAfter time.Duration
}

// CacheLimit returns n, or cache.DefaultLimit when n is zero or less.
func CacheLimit(n int) int {
	if n <= 0 {
		return cache.DefaultLimit
	}
	return n
}

// redacted shows whether a secret is set without showing it.
func redacted(s string) string {
	if s == "" {
		return ""
	}
	return "[REDACTED]"
}

// String describes the configuration with every secret redacted.
func (c Config) String() string {
	return fmt.Sprintf("Config{APIKey:%q Secret:%q Password:%q PrivateKey:%q WalletAddress:%q Sandbox:%v URLs:%v NewUpdates:%v KeepInfo:%v}",
		redacted(c.APIKey), redacted(c.Secret), redacted(c.Password), redacted(c.PrivateKey),
		c.WalletAddress, c.Sandbox, c.URLs, c.NewUpdates, c.KeepInfo)
}

// GoString is String, so that %#v does not print secrets either.
func (c Config) GoString() string { return c.String() }

// Format makes every fmt verb (%v, %+v, %s, %#v) print String.
func (c Config) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(c.String())) }

// LogValue logs the configuration with every secret redacted.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("apiKey", redacted(c.APIKey)),
		slog.String("secret", redacted(c.Secret)),
		slog.String("password", redacted(c.Password)),
		slog.String("privateKey", redacted(c.PrivateKey)),
		slog.String("walletAddress", c.WalletAddress),
		slog.Bool("sandbox", c.Sandbox),
		slog.Any("urls", c.URLs),
		slog.Bool("newUpdates", c.NewUpdates),
		slog.Bool("keepInfo", c.KeepInfo),
	)
}
