package binance_test

import (
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/unifex-go/unifex/adapters/binance"
	"github.com/unifex-go/unifex/adapters/binance/binancetest"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/exchangetest"
	"github.com/unifex-go/unifex/internal/backoff"
	"github.com/unifex-go/unifex/internal/rest"
)

// ping is the fake server's ping period in tests; the adapter is told, so
// a silent link is caught within three of them.
const ping = 100 * time.Millisecond

var fast = backoff.Policy{Base: 5 * time.Millisecond, Max: 50 * time.Millisecond, Jitter: -1}

// TestConformance runs the suite against the fake Binance of each product.
func TestConformance(t *testing.T) {
	deltas, _ := strconv.Atoi(os.Getenv("UNIFEX_SOAK_DELTAS"))
	for _, product := range []binancetest.Product{binancetest.Spot, binancetest.USDM, binancetest.COINM} {
		// Not in parallel: the suite's leak check at Close counts every
		// goroutine of the process.
		t.Run(product.String(), func(t *testing.T) {
			exchangetest.Run(t, exchangetest.Harness{
				New: func(t *testing.T, cfg exchange.Config) (exchange.Exchange, exchangetest.Venue) {
					vc := binancetest.Config{Product: product, Seed: 42, History: 4096, PingInterval: ping, PongTimeout: 3 * ping}
					if cfg.APIKey != "" {
						vc.APIKey, vc.Secret = cfg.APIKey, cfg.Secret
					} else {
						cfg.APIKey, cfg.Secret = binancetest.TestAPIKey, binancetest.TestSecret
					}
					srv := binancetest.Start(vc)
					cfg.URLs = srv.URLs()
					cfg.Options = binance.Options{ServerPing: ping, Retry: rest.RetryPolicy{Backoff: fast}}
					cfg.Reconnect = exchange.Backoff(fast)
					ex, err := binance.New(product.String(), cfg)
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
