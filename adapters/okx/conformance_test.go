package okx_test

import (
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/unifex-go/unifex/adapters/okx"
	"github.com/unifex-go/unifex/adapters/okx/okxtest"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/exchangetest"
	"github.com/unifex-go/unifex/internal/backoff"
	"github.com/unifex-go/unifex/internal/rest"
)

// ping is the adapter's ping period in tests; the fake cuts a connection
// quiet for three of them.
const ping = 100 * time.Millisecond

var fast = backoff.Policy{Base: 5 * time.Millisecond, Max: 50 * time.Millisecond, Jitter: -1}

// TestConformance runs the suite against the fake OKX: books synced from
// the REST snapshot (OKX since 2026), with the legacy checksum (every
// ChecksumFaults case), and with the legacy stream snapshot.
func TestConformance(t *testing.T) {
	deltas, _ := strconv.Atoi(os.Getenv("UNIFEX_SOAK_DELTAS"))
	for _, mode := range []struct {
		name   string
		cfg    okxtest.Config
		stream bool // Options.StreamBookSnapshot
	}{
		{"rest-snapshot", okxtest.Config{RESTSnapshot: true}, false},
		{"checksum", okxtest.Config{RESTSnapshot: true, Checksum: true}, false},
		{"stream-snapshot", okxtest.Config{Checksum: true}, true},
		// The adapter's default against a venue that still sends the
		// channel's snapshot and a REST book without seqId (OKX before its
		// 2026 change): the engine falls back to the stream's snapshot.
		{"legacy-venue", okxtest.Config{Checksum: true}, false},
	} {
		// Not in parallel: the suite's leak check counts every goroutine.
		t.Run(mode.name, func(t *testing.T) {
			exchangetest.Run(t, exchangetest.Harness{
				New: func(t *testing.T, cfg exchange.Config) (exchange.Exchange, exchangetest.Venue) {
					vc := mode.cfg
					vc.Seed, vc.History, vc.IdleTimeout = 42, 4096, 3*ping
					if cfg.APIKey != "" {
						vc.APIKey, vc.Secret, vc.Passphrase = cfg.APIKey, cfg.Secret, cfg.Password
					} else {
						cfg.APIKey, cfg.Secret, cfg.Password = okxtest.TestAPIKey, okxtest.TestSecret, okxtest.TestPassphrase
					}
					srv := okxtest.Start(vc)
					cfg.URLs = srv.URLs()
					cfg.Options = okx.Options{PingEvery: ping, StreamBookSnapshot: mode.stream, Retry: rest.RetryPolicy{Backoff: fast}}
					cfg.Reconnect = exchange.Backoff(fast)
					ex, err := okx.New(cfg)
					if err != nil {
						srv.Close()
						t.Fatal(err)
					}
					return ex, srv
				},
				PingInterval: ping,
				Deltas:       deltas,
			})
		})
	}
}
