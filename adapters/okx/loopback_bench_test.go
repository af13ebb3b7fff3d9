package okx_test

import (
	"testing"

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

// run is the loopback run of n updates: an adapter watching a synced
// BTC/USDT book, 400 levels a side, of a quiet fake server, and n updates
// prepared on the server.
func run(b *testing.B, n int, checksum bool) loopbench.Run {
	srv := okxtest.Start(okxtest.Config{Seed: 1, Instruments: []string{"BTC-USDT"}, Checksum: checksum})
	b.Cleanup(srv.Close)
	if err := srv.Deepen(loopSymbol, loopDepth); err != nil {
		b.Fatal(err)
	}
	ex, err := okx.New(exchange.Config{URLs: srv.URLs(), Options: okx.Options{Types: []string{okx.TypeSpot}, StreamBookSnapshot: true}})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = ex.Close() })
	return loopbench.Start(b, loopbench.Setup{Exchange: ex, Venue: srv, Symbol: loopSymbol, Depth: loopDepth,
		Prepare: func(n int) (loopbench.Prepared, int64, error) {
			burst, err := srv.PrepareBooksBurst(loopSymbol, n, 20)
			if err != nil {
				return nil, 0, err
			}
			return burst, burst.LastSeqID(), nil
		}}, n)
}
