package sim_test

import (
	"context"
	"fmt"
	"runtime"
	"sort"
	"syscall"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/adapters/sim"
	"github.com/unifex-go/unifex/adapters/sim/venue"
	"github.com/unifex-go/unifex/exchange"
)

// startBench returns a synced exchange watching BTC/USDT on a quiet venue.
func startBench(b *testing.B) (*sim.Exchange, *venue.Venue) {
	v := venue.Start(venue.Config{Seed: 1})
	ex, err := sim.New(exchange.Config{URLs: v.URLs()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ex.Close(); v.Close() })
	if _, err := ex.WatchOrderBook(context.Background(), "BTC/USDT"); err != nil {
		b.Fatal(err)
	}
	return ex, v
}

// BenchmarkLoopbackBookDeltas streams 20-level deltas from the venue
// through the adapter (parse, sync, checksum, book) to a watcher, as fast
// as they go: ns/op is per frame; allocs/op counts the whole process (the
// venue's writes included).
func BenchmarkLoopbackBookDeltas(b *testing.B) {
	ex, v := startBench(b)
	frames := v.DeltaFrames("BTC/USDT", b.N, 20)
	last := v.Seq("BTC/USDT")
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	go v.Send("book:BTCUSDT", frames...)
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
// measures from the venue's write to the watcher's return.
func BenchmarkLoopbackWakeLatency(b *testing.B) {
	ex, v := startBench(b)
	frames := v.DeltaFrames("BTC/USDT", b.N, 20)
	ctx := context.Background()
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for _, f := range frames {
		start := time.Now()
		v.Send("book:BTCUSDT", f)
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
// subscriptions each and reports the heap per book topic (live book of
// about 20 levels a side, topic, subscription and connection share).
func BenchmarkManyBookTopics(b *testing.B) {
	const n = 1000
	ms := make([]venue.Market, n)
	symbols := make([]string, n)
	for i := range ms {
		ms[i] = venue.Market{ID: fmt.Sprintf("S%04dUSDT", i), Base: fmt.Sprintf("S%04d", i), Quote: "USDT", PriceDecimals: 2,
			AmountDecimals: 3, Spacing: 1, StartPrice: 10000, MinLots: 1, MinNotional: decimal.NewFromInt(1),
			Maker: decimal.Zero, Taker: decimal.Zero}
		symbols[i] = ms[i].Symbol()
	}
	for range b.N {
		v := venue.Start(venue.Config{Seed: 1, Markets: ms, Depth: 20, CandleDays: 1})
		ex, err := sim.New(exchange.Config{URLs: v.URLs(), Options: sim.Options{ChannelsPerLink: 100}})
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
		b.ReportMetric(float64(v.Dials()), "connections")
		ex.Close()
		v.Close()
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
