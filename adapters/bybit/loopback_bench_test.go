package bybit_test

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/unifex-go/unifex/adapters/bybit"
	"github.com/unifex-go/unifex/adapters/bybit/bybittest"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/unified"
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

// BenchmarkLoopbackOrderbookBurst writes b.N updates to the socket as fast as
// it takes them while a watcher loops on WatchOrderBook (coalescing when it
// falls behind, as a user's loop does). ns/op is per frame; allocs/frame and
// B/frame count the whole process (the server's side included: its queue
// and socket writes), cpu-µs/frame both sides' CPU.
func BenchmarkLoopbackOrderbookBurst(b *testing.B) {
	ex, srv, burst := startLoopback(b, b.N)
	last := burst.LastUpdateID()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	type result struct {
		ob    *unified.OrderBook
		wakes int
		err   error
	}
	done := make(chan result, 1)
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	cpu0 := cpuTime()
	start := time.Now()
	b.ResetTimer()
	go func() {
		wakes := 0
		for {
			ob, err := ex.WatchOrderBook(ctx, loopSymbol)
			if err != nil || ob.Nonce == last {
				done <- result{ob, wakes + 1, err}
				return
			}
			wakes++
		}
	}()
	burst.Send(0, b.N)
	r := <-done
	b.StopTimer()
	elapsed, cpu := time.Since(start), cpuTime()-cpu0
	runtime.ReadMemStats(&m1)
	if r.err != nil {
		b.Fatal(r.err)
	}
	checkLoopbackBook(b, srv, r.ob)
	n := float64(b.N)
	b.ReportMetric(n/elapsed.Seconds(), "frames/s")
	b.ReportMetric(float64(m1.Mallocs-m0.Mallocs)/n, "allocs/frame")
	b.ReportMetric(float64(m1.TotalAlloc-m0.TotalAlloc)/n, "B/frame")
	b.ReportMetric(float64(cpu.Microseconds())/n, "cpu-µs/frame")
	b.ReportMetric(float64(r.wakes)/n, "wakes/frame")
}

// BenchmarkLoopbackOrderbookWakeLatency writes one update at a time and
// measures from the server's write (the frame handed to the connection's
// queue) to the return of the watcher's WatchOrderBook with it.
func BenchmarkLoopbackOrderbookWakeLatency(b *testing.B) {
	ex, srv, burst := startLoopback(b, b.N)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	lat := make([]time.Duration, b.N)
	var ob *unified.OrderBook
	var err error
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		burst.Send(i, i+1)
		if ob, err = ex.WatchOrderBook(ctx, loopSymbol); err != nil {
			b.Fatal(err)
		}
		lat[i] = time.Since(start)
	}
	b.StopTimer()
	if ob.Nonce != burst.LastUpdateID() {
		b.Fatalf("the last book has nonce %d, the burst ended at %d", ob.Nonce, burst.LastUpdateID())
	}
	checkLoopbackBook(b, srv, ob)
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds())/1e3, "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds())/1e3, "p99-µs")
}

// checkLoopbackBook fails the benchmark unless ob equals the server's book
// at ob's update id: a run that delivered a wrong book measured nothing.
func checkLoopbackBook(b *testing.B, srv *bybittest.Server, ob *unified.OrderBook) {
	b.Helper()
	bids, asks, ok := srv.BookAt(ob.Symbol, ob.Nonce)
	if !ok {
		b.Fatalf("the server does not remember %s at %d", ob.Symbol, ob.Nonce)
	}
	if err := sameLevels(ob.Bids, bids); err != nil {
		b.Fatalf("bids at %d: %v", ob.Nonce, err)
	}
	if err := sameLevels(ob.Asks, asks); err != nil {
		b.Fatalf("asks at %d: %v", ob.Nonce, err)
	}
}

func sameLevels(got, want []unified.Level) error {
	if len(got) != len(want) {
		return fmt.Errorf("%d levels, the server has %d", len(got), len(want))
	}
	for i := range got {
		if !got[i].Price.Equal(want[i].Price) || !got[i].Amount.Equal(want[i].Amount) {
			return fmt.Errorf("[%d] = %s@%s, the server has %s@%s", i, got[i].Amount, got[i].Price, want[i].Amount, want[i].Price)
		}
	}
	return nil
}

// cpuTime is the process's user plus system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
