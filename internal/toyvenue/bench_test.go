package toyvenue_test

import (
	"context"
	"fmt"
	"runtime"
	"sort"
	"syscall"
	"testing"
	"time"

	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/toyvenue"
)

// startBench returns a synced exchange watching BTC/USDT on a fresh venue.
func startBench(b *testing.B) (*toyvenue.Exchange, *toyvenue.Server) {
	srv := toyvenue.NewServer(1)
	ex, err := toyvenue.New(exchange.Config{URLs: srv.URLs()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ex.Close(); srv.Close() })
	if _, err := ex.WatchOrderBook(context.Background(), "BTC/USDT"); err != nil {
		b.Fatal(err)
	}
	return ex, srv
}

// BenchmarkLoopbackBookDeltas streams 20-level deltas from the fake venue
// through the adapter (parse, sync, checksum, book) to a watcher, as fast
// as they go: ns/op is per frame; allocs/op counts the whole process (the
// server's writes included).
func BenchmarkLoopbackBookDeltas(b *testing.B) {
	ex, srv := startBench(b)
	frames := srv.DeltaFrames("BTC/USDT", b.N, 20)
	last := srv.Seq("BTC/USDT")
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	go srv.Send("orderbook:BTC/USDT", frames...)
	for {
		ob, err := ex.WatchOrderBook(ctx, "BTC/USDT")
		if err != nil {
			b.Fatal(err)
		}
		if ob.Nonce == last {
			break
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N)*100_000/1e6, "cpu-ms/100k-frames")
}

// BenchmarkLoopbackWakeLatency sends one 20-level delta at a time and
// measures from the server's write to the watcher's return.
func BenchmarkLoopbackWakeLatency(b *testing.B) {
	ex, srv := startBench(b)
	frames := srv.DeltaFrames("BTC/USDT", b.N, 20)
	ctx := context.Background()
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for _, f := range frames {
		start := time.Now()
		srv.Send("orderbook:BTC/USDT", f)
		if _, err := ex.WatchOrderBook(ctx, "BTC/USDT"); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
}

// BenchmarkManyBookTopics watches 1000 books over connections of 100
// subscriptions each and reports the heap per book topic (live book of 20
// levels, topic, subscription and connection share).
func BenchmarkManyBookTopics(b *testing.B) {
	const n = 1000
	symbols := make([]string, n)
	for i := range symbols {
		symbols[i] = fmt.Sprintf("S%04d/USDT", i)
	}
	for range b.N {
		srv := toyvenue.NewServerWith(1, symbols)
		ex, err := toyvenue.New(exchange.Config{URLs: srv.URLs(), Options: toyvenue.Options{ChannelsPerLink: 100}})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ex.LoadMarkets(context.Background(), false); err != nil {
			b.Fatal(err)
		}
		before := heap()
		for _, s := range symbols {
			if _, err := ex.WatchOrderBook(context.Background(), s); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(heap()-before)/n, "B/topic")
		b.ReportMetric(float64(srv.WS().Dials()), "connections")
		ex.Close()
		srv.Close()
	}
}

func heap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// cpuTime is the process's user plus system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
