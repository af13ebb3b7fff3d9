package bybit_test

import (
	"testing"

	"github.com/unifex-go/unifex/adapters/bybit"
	"github.com/unifex-go/unifex/adapters/bybit/bybittest"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/loopbench"
)

// The loopback benchmarks run the whole path of a live book, as Binance's
// do: the fake server writes orderbook.200 deltas of 20 changes of a
// BTCUSDT linear perpetual book 200 levels deep a side, the adapter reads
// them off the WebSocket, dispatches, scans, parses the numbers, checks
// the update ids, applies them and wakes the watcher, whose WatchOrderBook
// returns the book. Each run ends by comparing the delivered book with the
// server's at the same update id.

const (
	loopSymbol = "BTC/USDT:USDT"
	loopDepth  = 200
)

// BenchmarkLoopbackOrderbookBurst writes b.N updates to the socket as fast as it
// takes them while a watcher loops on WatchOrderBook (loopbench.Burst).
func BenchmarkLoopbackOrderbookBurst(b *testing.B) { loopbench.Burst(b, run(b, b.N)) }

// BenchmarkLoopbackOrderbookWakeLatency writes one update at a time and measures
// the watcher's wake-up (loopbench.WakeLatency).
func BenchmarkLoopbackOrderbookWakeLatency(b *testing.B) { loopbench.WakeLatency(b, run(b, b.N)) }

// run is the loopback run of n updates: an adapter watching a synced
// BTC/USDT:USDT book, 200 levels a side, of a quiet fake server, and n
// deltas prepared on the server.
func run(b *testing.B, n int) loopbench.Run {
	srv := bybittest.Start(bybittest.Config{Seed: 1, Symbols: []string{loopSymbol}})
	b.Cleanup(srv.Close)
	if err := srv.Deepen(loopSymbol, loopDepth); err != nil {
		b.Fatal(err)
	}
	ex, err := bybit.New(exchange.Config{URLs: srv.URLs(),
		Options: bybit.Options{Categories: []string{bybit.CategoryLinear}, BookDepth: loopDepth}})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = ex.Close() })
	return loopbench.Start(b, loopbench.Setup{Exchange: ex, Venue: srv, Symbol: loopSymbol, Depth: loopDepth,
		Prepare: func(n int) (loopbench.Prepared, int64, error) {
			burst, err := srv.PrepareBookBurst(loopSymbol, loopDepth, n, 20)
			if err != nil {
				return nil, 0, err
			}
			return burst, burst.LastUpdateID(), nil
		}}, n)
}
