package bybit_test

import (
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/unifex-go/unifex/adapters/bybit"
	"github.com/unifex-go/unifex/adapters/bybit/bybittest"
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/exchangetest"
	"github.com/unifex-go/unifex/internal/backoff"
	"github.com/unifex-go/unifex/internal/rest"
)

// ping is the adapter's ping period in tests, so that a silent link is
// caught within two of them.
const ping = 100 * time.Millisecond

var fast = backoff.Policy{Base: 5 * time.Millisecond, Max: 50 * time.Millisecond, Jitter: -1}

// startFake starts a fake Bybit and an adapter configured for it.
func startFake(t testing.TB, vc bybittest.Config, cfg exchange.Config) (*bybit.Exchange, *bybittest.Server) {
	t.Helper()
	if cfg.APIKey != "" {
		vc.APIKey, vc.Secret = cfg.APIKey, cfg.Secret
	} else {
		cfg.APIKey, cfg.Secret = bybittest.TestAPIKey, bybittest.TestSecret
	}
	srv := bybittest.Start(vc)
	cfg.URLs = srv.URLs()
	opts, _ := cfg.Options.(bybit.Options)
	opts.PingEvery, opts.Retry = ping, rest.RetryPolicy{Backoff: fast}
	cfg.Options = opts
	cfg.Reconnect = exchange.Backoff(fast)
	ex, err := bybit.New(cfg)
	if err != nil {
		srv.Close()
		t.Fatal(err)
	}
	return ex, srv
}

// TestConformance runs the suite against the fake Bybit (spot, linear and
// inverse markets on one adapter).
func TestConformance(t *testing.T) {
	deltas, _ := strconv.Atoi(os.Getenv("UNIFEX_SOAK_DELTAS"))
	exchangetest.Run(t, exchangetest.Harness{
		New: func(t *testing.T, cfg exchange.Config) (exchange.Exchange, exchangetest.Venue) {
			return startFake(t, bybittest.Config{Seed: 42, History: 4096}, cfg)
		},
		PingInterval: ping,
		Deltas:       deltas,
	})
}

// isKind reports whether err is of kind.
func isKind(err error, kind *errors.Kind) bool { return err != nil && errors.Is(err, kind) }
