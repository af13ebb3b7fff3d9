package sim_test

import (
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/unifex-go/unifex/adapters/sim"
	"github.com/unifex-go/unifex/adapters/sim/venue"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/exchangetest"
	"github.com/unifex-go/unifex/internal/backoff"
	"github.com/unifex-go/unifex/internal/rest"
)

const ping = 100 * time.Millisecond

// fast keeps retries and reconnects short: the suite's faults are many.
var fast = backoff.Policy{Base: 5 * time.Millisecond, Max: 50 * time.Millisecond, Jitter: -1}

// startVenue starts a venue driven by the test alone, remembering enough
// book states for the suite to check every delivered book.
func startVenue(cfg exchange.Config) *venue.Venue {
	vc := venue.Config{Seed: 42, History: 4096, Depth: 40}
	if cfg.APIKey != "" {
		vc.APIKey, vc.Secret = cfg.APIKey, cfg.Secret
	}
	return venue.Start(vc)
}

// connect returns an adapter for v.
func connect(t testing.TB, v *venue.Venue, cfg exchange.Config) *sim.Exchange {
	if cfg.APIKey == "" {
		cfg.APIKey, cfg.Secret = venue.TestAPIKey, venue.TestSecret
	}
	cfg.URLs = v.URLs()
	cfg.Options = sim.Options{PingInterval: ping, Retry: rest.RetryPolicy{Backoff: fast}}
	cfg.Reconnect = exchange.Backoff(fast)
	ex, err := sim.New(cfg)
	if err != nil {
		v.Close()
		t.Fatal(err)
	}
	return ex
}

func TestConformance(t *testing.T) {
	deltas, _ := strconv.Atoi(os.Getenv("UNIFEX_SOAK_DELTAS"))
	exchangetest.Run(t, exchangetest.Harness{
		New: func(t *testing.T, cfg exchange.Config) (exchange.Exchange, exchangetest.Venue) {
			v := startVenue(cfg)
			return connect(t, v, cfg), v
		},
		PingInterval: ping,
		Deltas:       deltas,
	})
}
