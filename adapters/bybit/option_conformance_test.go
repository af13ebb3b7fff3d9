package bybit_test

import (
	"testing"

	"github.com/unifex-go/unifex/adapters/bybit"
	"github.com/unifex-go/unifex/adapters/bybit/bybittest"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/exchangetest"
	"github.com/unifex-go/unifex/internal/rest"
	"github.com/unifex-go/unifex/unified"
)

// optionVenue is bybittest seen by the suite as a public venue with
// stream faults only, whose first symbol is an option: the suite's book,
// consumer, fault and close checks run on the option route. (Options are
// not traded in the fake, so the private groups stay with TestConformance.)
type optionVenue struct{ s *bybittest.Server }

func (v optionVenue) Symbols() []string { return v.s.Symbols() }
func (v optionVenue) Step(n int)        { v.s.Step(n) }
func (v optionVenue) BookAt(symbol string, nonce int64) ([]unified.Level, []unified.Level, bool) {
	return v.s.BookAt(symbol, nonce)
}
func (v optionVenue) Close()            { v.s.Close() }
func (v optionVenue) Drop()             { v.s.Drop() }
func (v optionVenue) Silence()          { v.s.Silence() }
func (v optionVenue) Gap(symbol string) { v.s.Gap(symbol) }
func (v optionVenue) Garbage()          { v.s.Garbage() }

// TestConformanceOptions runs the suite with an option first (its book on
// orderbook.100 of /v5/public/option), a perpetual second.
func TestConformanceOptions(t *testing.T) {
	exchangetest.Run(t, exchangetest.Harness{
		New: func(t *testing.T, cfg exchange.Config) (exchange.Exchange, exchangetest.Venue) {
			vc := bybittest.Config{Seed: 42, History: 4096, Symbols: []string{btcCall, "BTC/USDT:USDT"}}
			if cfg.APIKey != "" {
				vc.APIKey, vc.Secret = cfg.APIKey, cfg.Secret
			}
			srv := bybittest.Start(vc)
			cfg.URLs = srv.URLs()
			cfg.Options = bybit.Options{PingEvery: ping, Retry: rest.RetryPolicy{Backoff: fast}}
			cfg.Reconnect = exchange.Backoff(fast)
			ex, err := bybit.New(cfg)
			if err != nil {
				srv.Close()
				t.Fatal(err)
			}
			return ex, optionVenue{srv}
		},
		PingInterval: ping,
		Deltas:       500,
	})
}
