package bybit_test

import (
	"context"
	"runtime"
	"testing"
	"time"

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

// startLoopback returns an adapter watching a synced BTC/USDT:USDT book,
// 200 levels a side, of a quiet fake server, and a burst of n deltas
// prepared on the server.
func startLoopback(b *testing.B, n int) (*bybit.Exchange, *bybittest.Server, *bybittest.BookBurst) {
	b.Helper()
	srv := bybittest.Start(bybittest.Config{Seed: 1, Symbols: []string{loopSymbol}})
	if err := srv.Deepen(loopSymbol, loopDepth); err != nil {
		srv.Close()
		b.Fatal(err)
	}
	ex, err := bybit.New(exchange.Config{URLs: srv.URLs(),
		Options: bybit.Options{Categories: []string{bybit.CategoryLinear}, BookDepth: loopDepth}})
	if err != nil {
		srv.Close()
		b.Fatal(err)
	}
	b.Cleanup(func() { ex.Close(); srv.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ob, err := ex.WatchOrderBook(ctx, loopSymbol)
	if err != nil {
		b.Fatal(err)
	}
	if len(ob.Bids) != loopDepth || len(ob.Asks) != loopDepth {
		b.Fatalf("the synced book has %d bids and %d asks, want %d each", len(ob.Bids), len(ob.Asks), loopDepth)
	}
	burst, err := srv.PrepareBookBurst(loopSymbol, loopDepth, n, 20)
	if err != nil {
		b.Fatal(err)
	}
	wire := 0
	for i := range burst.Len() {
		wire += burst.Bytes(i)
	}
	b.SetBytes(int64(wire / n))
	runtime.GC() // the preparation's garbage is not the run's
	return ex, srv, burst
}

// BenchmarkLoopbackOrderbookBurst writes b.N updates to the socket as fast as it
// takes them while a watcher loops on WatchOrderBook (loopbench.Burst).
func BenchmarkLoopbackOrderbookBurst(b *testing.B) { loopbench.Burst(b, run(b, b.N)) }

// BenchmarkLoopbackOrderbookWakeLatency writes one update at a time and measures
// the watcher's wake-up (loopbench.WakeLatency).
func BenchmarkLoopbackOrderbookWakeLatency(b *testing.B) { loopbench.WakeLatency(b, run(b, b.N)) }

// run is the loopback run of n updates.
func run(b *testing.B, n int) loopbench.Run {
	ex, srv, burst := startLoopback(b, n)
	return loopbench.Run{Exchange: ex, Venue: srv, Symbol: loopSymbol, Send: burst.Send, Last: burst.LastUpdateID()}
}
