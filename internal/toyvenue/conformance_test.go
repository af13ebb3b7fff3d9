package toyvenue_test

import (
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/exchangetest"
	"github.com/unifex-go/unifex/internal/backoff"
	"github.com/unifex-go/unifex/internal/rest"
	"github.com/unifex-go/unifex/internal/toyvenue"
)

const ping = 100 * time.Millisecond

// retry keeps REST retries short: the suite's faults are many.
var retry = rest.RetryPolicy{Backoff: backoff.Policy{Base: 5 * time.Millisecond, Max: 50 * time.Millisecond, Jitter: -1}}

func harness() exchangetest.Harness {
	deltas, _ := strconv.Atoi(os.Getenv("UNIFEX_SOAK_DELTAS"))
	return exchangetest.Harness{
		New: func(t *testing.T, cfg exchange.Config) (exchange.Exchange, exchangetest.Venue) {
			srv := toyvenue.NewServer(42)
			if cfg.APIKey == "" {
				cfg.APIKey, cfg.Secret = toyvenue.TestAPIKey, toyvenue.TestSecret
			} else {
				srv.SetCredentials(cfg.APIKey, cfg.Secret)
			}
			cfg.URLs = srv.URLs()
			cfg.Options = toyvenue.Options{PingInterval: ping, Retry: retry}
			cfg.Reconnect = exchange.Backoff(backoff.Policy{Base: 5 * time.Millisecond, Max: 50 * time.Millisecond, Jitter: -1})
			ex, err := toyvenue.New(cfg)
			if err != nil {
				srv.Close()
				t.Fatal(err)
			}
			return ex, srv
		},
		PingInterval: ping,
		Deltas:       deltas,
	}
}

func TestConformance(t *testing.T) { exchangetest.Run(t, harness()) }
