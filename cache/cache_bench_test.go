package cache

import (
	"strconv"
	"testing"

	"github.com/shopspring/decimal"
)

// benchTrade has the shape of a unified trade: strings, a timestamp and
// two decimals (88 bytes).
type benchTrade struct {
	ID, Symbol, Side string
	Timestamp        int64
	Price, Amount    decimal.Decimal
}

func benchKey(t *benchTrade) Key { return Key{Symbol: t.Symbol, ID: t.ID, Time: t.Timestamp} }

// benchItems returns n trades on one symbol; with ids they are "0".."n-1".
func benchItems(n int, ids bool) []benchTrade {
	price, amount := decimal.RequireFromString("60000.5"), decimal.RequireFromString("0.01")
	items := make([]benchTrade, n)
	for i := range items {
		items[i] = benchTrade{Symbol: "BTC/USDT", Side: "buy", Timestamp: int64(i), Price: price, Amount: amount}
		if ids {
			items[i].ID = strconv.Itoa(i)
		}
	}
	return items
}

// fullRing returns a ring of DefaultLimit filled with items[:DefaultLimit].
func fullRing(newRing func(int, KeyFunc[benchTrade]) *Ring[benchTrade], items []benchTrade) *Ring[benchTrade] {
	r := newRing(DefaultLimit, benchKey)
	for i := range DefaultLimit {
		r.Put(items[i])
	}
	return r
}

func BenchmarkPut(b *testing.B) {
	// 4096 distinct items cycle through a window of 1000, so each Put of an
	// id is new (it left the window long before) and drops the oldest item.
	const period = 4096
	b.Run("arrival/full", func(b *testing.B) {
		items := benchItems(period, false)
		r := fullRing(NewArrival[benchTrade], items)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			r.Put(items[i%period])
		}
	})
	b.Run("arrival/full/2cursors", func(b *testing.B) {
		items := benchItems(period, false)
		r := fullRing(NewArrival[benchTrade], items)
		r.NewCursor("")
		r.NewCursor("BTC/USDT")
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			r.Put(items[i%period])
		}
	})
	b.Run("arrival/full/dedupe", func(b *testing.B) {
		items := benchItems(period, true)
		r := fullRing(NewArrival[benchTrade], items)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			r.Put(items[i%period])
		}
	})
	b.Run("id/full/new", func(b *testing.B) {
		items := benchItems(period, true)
		r := fullRing(NewByID[benchTrade], items)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			r.Put(items[i%period])
		}
	})
	b.Run("id/full/update", func(b *testing.B) {
		// Cycling through the 1000 stored ids updates the oldest each
		// time, moving it from the head to the newest end.
		items := benchItems(DefaultLimit, true)
		r := fullRing(NewByID[benchTrade], items)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			r.Put(items[i%DefaultLimit])
		}
	})
	b.Run("timestamp/full/update", func(b *testing.B) {
		items := benchItems(DefaultLimit, false)
		r := fullRing(NewByTimestamp[benchTrade], items)
		last := items[DefaultLimit-1]
		b.ReportAllocs()
		for b.Loop() {
			r.Put(last)
		}
	})
}

// benchSink keeps the floor benchmark's result alive.
var benchSink []benchTrade

func BenchmarkNext(b *testing.B) {
	for _, n := range []int{1, 10, 100} {
		b.Run("arrival/"+strconv.Itoa(n), func(b *testing.B) {
			r := fullRing(NewArrival[benchTrade], benchItems(DefaultLimit, false))
			c := r.NewCursor("")
			b.ReportAllocs()
			for b.Loop() {
				c.pos = r.stamp - uint64(n) // n unread items
				if got, _ := c.Next(0, 0); len(got) != n {
					b.Fatalf("Next returned %d items", len(got))
				}
			}
		})
	}
	b.Run("floor/10", func(b *testing.B) {
		// The result slice alone: what any copying read of 10 items costs.
		src := benchItems(10, false)
		b.ReportAllocs()
		for b.Loop() {
			out := make([]benchTrade, len(src))
			copy(out, src)
			benchSink = out
		}
	})
	b.Run("timestamp/10", func(b *testing.B) {
		// Ten updated candles, the oldest of them 20 candles from the end.
		items := benchItems(DefaultLimit, false)
		r := fullRing(NewByTimestamp[benchTrade], items)
		for i := DefaultLimit - 20; i < DefaultLimit; i += 2 {
			r.Put(items[i])
		}
		c := r.NewCursor("")
		b.ReportAllocs()
		for b.Loop() {
			c.pos = r.stamp - 10
			if got, _ := c.Next(0, 0); len(got) != 10 {
				b.Fatalf("Next returned %d items", len(got))
			}
		}
	})
}

func BenchmarkRead(b *testing.B) {
	r := fullRing(NewArrival[benchTrade], benchItems(DefaultLimit, false))
	for _, tt := range []struct {
		name         string
		since        int64
		limit, count int
	}{
		{"limit=10", 0, 10, 10},
		{"limit=100", 0, 100, 100},
		{"since+limit=10", DefaultLimit - 50, 10, 10},
		{"all", 0, 0, DefaultLimit},
	} {
		b.Run(tt.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if got := r.Read("", tt.since, tt.limit); len(got) != tt.count {
					b.Fatalf("Read returned %d items", len(got))
				}
			}
		})
	}
}
