package binance_test

import (
	"testing"

	"github.com/unifex-go/unifex/adapters/binance"
	"github.com/unifex-go/unifex/adapters/binance/binancetest"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/loopbench"
)

// The loopback benchmarks run the whole path of a live book: the fake
// server writes spot diff-depth updates of 20 changes to its socket, the
// adapter reads them off the WebSocket, dispatches, scans, parses the
// numbers, checks the update ids, applies them to the book and wakes the
// watcher, whose WatchOrderBook returns the book. Each run ends by
// comparing the delivered book with the server's at the same update id.

const loopSymbol = "BTC/USDT"

// run is the loopback run of n updates: a spot adapter watching a synced
// BTC/USDT book of a quiet fake server, and n updates prepared on the
// server.
func run(b *testing.B, n int) loopbench.Run {
	srv := binancetest.Start(binancetest.Config{Seed: 1})
	b.Cleanup(srv.Close)
	ex, err := binance.New(binance.IDSpot, exchange.Config{URLs: srv.URLs()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = ex.Close() })
	return loopbench.Start(b, loopbench.Setup{Exchange: ex, Venue: srv, Symbol: loopSymbol,
		Prepare: func(n int) (loopbench.Prepared, int64, error) {
			burst, err := srv.PrepareDepthBurst(loopSymbol, n, 20)
			if err != nil {
				return nil, 0, err
			}
			return burst, burst.LastUpdateID(), nil
		}}, n)
}

// BenchmarkLoopbackDepthBurst writes b.N updates to the socket as fast as
// it takes them while a watcher loops on WatchOrderBook (loopbench.Burst).
func BenchmarkLoopbackDepthBurst(b *testing.B) { loopbench.Burst(b, run(b, b.N)) }

// BenchmarkLoopbackDepthWakeLatency writes one update at a time and
// measures the watcher's wake-up (loopbench.WakeLatency).
func BenchmarkLoopbackDepthWakeLatency(b *testing.B) { loopbench.WakeLatency(b, run(b, b.N)) }
