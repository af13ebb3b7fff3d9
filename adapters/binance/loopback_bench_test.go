package binance_test

import (
	"context"
	"runtime"
	"testing"
	"time"

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

// startLoopback returns a spot adapter watching a synced BTC/USDT book of
// a quiet fake server, and a burst of n updates prepared on the server.
func startLoopback(b *testing.B, n int) (*binance.Exchange, *binancetest.Server, *binancetest.DepthBurst) {
	b.Helper()
	srv := binancetest.Start(binancetest.Config{Seed: 1})
	ex, err := binance.New(binance.IDSpot, exchange.Config{URLs: srv.URLs()})
	if err != nil {
		srv.Close()
		b.Fatal(err)
	}
	b.Cleanup(func() { ex.Close(); srv.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := ex.WatchOrderBook(ctx, loopSymbol); err != nil {
		b.Fatal(err)
	}
	burst, err := srv.PrepareDepthBurst(loopSymbol, n, 20)
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

// run is the loopback run of n updates.
func run(b *testing.B, n int) loopbench.Run {
	ex, srv, burst := startLoopback(b, n)
	return loopbench.Run{Exchange: ex, Venue: srv, Symbol: loopSymbol, Send: burst.Send, Last: burst.LastUpdateID()}
}

// BenchmarkLoopbackDepthBurst writes b.N updates to the socket as fast as
// it takes them while a watcher loops on WatchOrderBook (loopbench.Burst).
func BenchmarkLoopbackDepthBurst(b *testing.B) { loopbench.Burst(b, run(b, b.N)) }

// BenchmarkLoopbackDepthWakeLatency writes one update at a time and
// measures the watcher's wake-up (loopbench.WakeLatency).
func BenchmarkLoopbackDepthWakeLatency(b *testing.B) { loopbench.WakeLatency(b, run(b, b.N)) }
