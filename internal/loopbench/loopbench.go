// Package loopbench measures an adapter end to end over loopback against
// its fake venue (fake server → socket → adapter → watcher): a burst of
// book updates written as fast as the socket takes them, and one update at
// a time for the wake-up latency. Each run ends by comparing the delivered
// book with the venue's own at the same update id: a run that delivered a
// wrong book measured nothing and fails.
package loopbench

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/unified"
)

// Venue is the fake venue's side: its book at an update id.
type Venue interface {
	BookAt(symbol string, nonce int64) (bids, asks []unified.Level, ok bool)
}

// Run is one benchmark's setup: the watched book, the venue, and the
// prepared updates (Send writes updates [i, j) to the subscribers; Last is
// the update id the last one leaves the book at).
type Run struct {
	Exchange exchange.Exchange
	Venue    Venue
	Symbol   string
	Send     func(i, j int)
	Last     int64
}

// Prepared is a burst of updates prepared on a fake venue.
type Prepared interface {
	// Len is the number of updates.
	Len() int
	// Bytes is update i's size on the wire.
	Bytes(i int) int
	// Send writes updates [i, j) to the subscribers.
	Send(i, j int)
}

// Setup is what a loopback benchmark states of its own: an adapter
// connected to its fake venue, the watched symbol, and how the venue
// prepares a burst.
type Setup struct {
	Exchange exchange.Exchange
	Venue    Venue
	Symbol   string
	// Depth is the levels a side the synced book must have; 0 checks none.
	Depth int
	// Prepare prepares n updates on the venue and returns them and the
	// update id the last one leaves the book at.
	Prepare func(n int) (Prepared, int64, error)
}

// Start watches the setup's book until it is synced, prepares n updates,
// sets b's bytes per update (their mean size on the wire) and collects
// the preparation's garbage: the Run of those updates.
func Start(b *testing.B, s Setup, n int) Run {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ob, err := s.Exchange.WatchOrderBook(ctx, s.Symbol)
	if err != nil {
		b.Fatal(err)
	}
	if s.Depth > 0 && (len(ob.Bids) != s.Depth || len(ob.Asks) != s.Depth) {
		b.Fatalf("the synced book has %d bids and %d asks, want %d each", len(ob.Bids), len(ob.Asks), s.Depth)
	}
	burst, last, err := s.Prepare(n)
	if err != nil {
		b.Fatal(err)
	}
	wire := 0
	for i := range burst.Len() {
		wire += burst.Bytes(i)
	}
	b.SetBytes(int64(wire / n))
	runtime.GC() // the preparation's garbage is not the run's
	return Run{Exchange: s.Exchange, Venue: s.Venue, Symbol: s.Symbol, Send: burst.Send, Last: last}
}

// Burst sends b.N updates at once while a watcher loops on WatchOrderBook
// (coalescing when it falls behind, as a user's loop does). It reports per
// frame: frames/s, the whole process's allocations and bytes (the venue's
// side included), both sides' CPU, and the watcher's returns.
func Burst(b *testing.B, r Run) {
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
			ob, err := r.Exchange.WatchOrderBook(ctx, r.Symbol)
			if err != nil || ob.Nonce == r.Last {
				done <- result{ob, wakes + 1, err}
				return
			}
			wakes++
		}
	}()
	r.Send(0, b.N)
	res := <-done
	b.StopTimer()
	elapsed, cpu := time.Since(start), cpuTime()-cpu0
	runtime.ReadMemStats(&m1)
	if res.err != nil {
		b.Fatal(res.err)
	}
	check(b, r, res.ob)
	n := float64(b.N)
	b.ReportMetric(n/elapsed.Seconds(), "frames/s")
	b.ReportMetric(float64(m1.Mallocs-m0.Mallocs)/n, "allocs/frame")
	b.ReportMetric(float64(m1.TotalAlloc-m0.TotalAlloc)/n, "B/frame")
	b.ReportMetric(float64(cpu.Microseconds())/n, "cpu-µs/frame")
	b.ReportMetric(float64(res.wakes)/n, "wakes/frame")
}

// WakeLatency sends one update at a time and measures from the venue's
// write (the frame handed to the connection's queue) to the return of the
// watcher's WatchOrderBook with it; it reports p50 and p99.
func WakeLatency(b *testing.B, r Run) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	lat := make([]time.Duration, b.N)
	var ob *unified.OrderBook
	var err error
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		r.Send(i, i+1)
		if ob, err = r.Exchange.WatchOrderBook(ctx, r.Symbol); err != nil {
			b.Fatal(err)
		}
		lat[i] = time.Since(start)
	}
	b.StopTimer()
	if ob.Nonce != r.Last {
		b.Fatalf("the last book has nonce %d, the updates ended at %d", ob.Nonce, r.Last)
	}
	check(b, r, ob)
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds())/1e3, "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds())/1e3, "p99-µs")
}

// check fails the benchmark unless ob equals the venue's book at ob's
// update id.
func check(b *testing.B, r Run, ob *unified.OrderBook) {
	b.Helper()
	bids, asks, ok := r.Venue.BookAt(r.Symbol, ob.Nonce)
	if !ok {
		b.Fatalf("the venue does not remember %s at %d", r.Symbol, ob.Nonce)
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
		return fmt.Errorf("%d levels, the venue has %d", len(got), len(want))
	}
	for i := range got {
		if !got[i].Price.Equal(want[i].Price) || !got[i].Amount.Equal(want[i].Amount) {
			return fmt.Errorf("[%d] = %s@%s, the venue has %s@%s", i, got[i].Amount, got[i].Price, want[i].Amount, want[i].Price)
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
