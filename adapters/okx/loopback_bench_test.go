package okx_test

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/unifex-go/unifex/adapters/okx"
	"github.com/unifex-go/unifex/adapters/okx/okxtest"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/loopbench"
)

// The loopback benchmarks run the whole path of a live book, as Binance's
// do: the fake server writes books updates of 20 changes to a BTC-USDT book
// 400 levels deep a side (the depth of the books channel and of the REST
// book), the adapter reads them off the WebSocket, dispatches, scans,
// parses the numbers, checks the seqId chain (and, when the venue sends
// one, the CRC-32 checksum over the best 25 levels), applies them and
// wakes the watcher, whose WatchOrderBook returns the book. Each run ends
// by comparing the delivered book with the server's at the same seqId.
// The book syncs from the channel's own snapshot (StreamBookSnapshot), as
// OKX sends books today and the fake does by default.

const (
	loopSymbol = "BTC/USDT"
	loopDepth  = 400
)

// checksumModes are the two ways OKX sends books: checksum 0, as since
// June 2026, and the legacy CRC-32.
var checksumModes = []struct {
	name string
	on   bool
}{{"checksum=off", false}, {"checksum=on", true}}

// startLoopback returns an adapter watching a synced BTC/USDT book, 400
// levels a side, of a quiet fake server, and a burst of n updates prepared
// on the server.
func startLoopback(b *testing.B, n int, checksum bool) (*okx.Exchange, *okxtest.Server, *okxtest.BooksBurst) {
	b.Helper()
	srv := okxtest.Start(okxtest.Config{Seed: 1, Instruments: []string{"BTC-USDT"}, Checksum: checksum})
	if err := srv.Deepen(loopSymbol, loopDepth); err != nil {
		srv.Close()
		b.Fatal(err)
	}
	ex, err := okx.New(exchange.Config{URLs: srv.URLs(), Options: okx.Options{Types: []string{okx.TypeSpot}, StreamBookSnapshot: true}})
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
	burst, err := srv.PrepareBooksBurst(loopSymbol, n, 20)
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

// BenchmarkLoopbackBooksBurst writes b.N updates to the socket as fast as it
// takes them while a watcher loops on WatchOrderBook (loopbench.Burst), in
// both checksum modes.
func BenchmarkLoopbackBooksBurst(b *testing.B) {
	for _, mode := range checksumModes {
		b.Run(mode.name, func(b *testing.B) { loopbench.Burst(b, run(b, b.N, mode.on)) })
	}
}

// BenchmarkLoopbackBooksWakeLatency writes one update at a time and measures
// the watcher's wake-up (loopbench.WakeLatency), in both checksum modes.
func BenchmarkLoopbackBooksWakeLatency(b *testing.B) {
	for _, mode := range checksumModes {
		b.Run(mode.name, func(b *testing.B) { loopbench.WakeLatency(b, run(b, b.N, mode.on)) })
	}
}

// run is the loopback run of n updates.
func run(b *testing.B, n int, checksum bool) loopbench.Run {
	ex, srv, burst := startLoopback(b, n, checksum)
	return loopbench.Run{Exchange: ex, Venue: srv, Symbol: loopSymbol, Send: burst.Send, Last: burst.LastSeqID()}
}
