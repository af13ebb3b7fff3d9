package fakebook

import (
	"math/rand/v2"
	"testing"
)

// crowdBook is a book the crowd moves, counting what it prints.
type crowdBook struct {
	bids, asks Side
	last       int64
	trades     int
}

func (b *crowdBook) market(lot int64) Market {
	return Market{Bids: &b.bids, Asks: &b.asks, Spacing: Spacing(10, 600_000), Lot: lot,
		Last: func() int64 { return b.last },
		Set: func(bid bool, price, qty, count int64) {
			side := &b.asks
			if bid {
				side = &b.bids
			}
			side.Set(price, qty, count)
		},
		Print: func(price, qty int64, _ bool) {
			if qty <= 0 {
				panic("a trade of nothing")
			}
			b.last = price
			b.trades++
		}}
}

func TestCrowdKeepsTheBookInShape(t *testing.T) {
	for _, counts := range []bool{false, true} {
		c := Crowd{Rand: rand.New(rand.NewPCG(1, 2)), MinLevels: 8, MaxLevels: 40, Counts: counts}
		b := &crowdBook{bids: Side{Bids: true}, last: 600_000}
		m := b.market(100)
		c.WarmUp(m, b.last)
		for i := range 5000 {
			if i > 0 {
				c.Event(m)
			}
			if len(b.bids.Levels) < c.MinLevels/2 || len(b.asks.Levels) < c.MinLevels/2 ||
				len(b.bids.Levels) > c.MaxLevels || len(b.asks.Levels) > c.MaxLevels {
				t.Fatalf("counts %v, event %d: %d bids, %d asks", counts, i, len(b.bids.Levels), len(b.asks.Levels))
			}
			bb, _ := b.bids.Best()
			ba, _ := b.asks.Best()
			if bb.Price >= ba.Price {
				t.Fatalf("counts %v, event %d: crossed, bid %d ask %d", counts, i, bb.Price, ba.Price)
			}
			for _, side := range []*Side{&b.bids, &b.asks} {
				for _, lv := range side.Levels {
					if lv.Price%m.Spacing != 0 || lv.Qty <= 0 || (lv.Count > 0) != counts {
						t.Fatalf("counts %v, event %d: level %+v (spacing %d)", counts, i, lv, m.Spacing)
					}
				}
			}
		}
		if b.trades < 500 || b.trades > 1000 {
			t.Fatalf("counts %v: %d trades in 5000 events, want about 15 in 100", counts, b.trades)
		}
	}
}

func TestSpacing(t *testing.T) {
	for _, c := range []struct{ tick, price, want int64 }{
		{10, 100_000, 10},   // below 20000 ticks: one tick
		{1, 6_000_000, 300}, // 1/20000 of the price in ticks
		{5, 1_000_000, 50},  // whole ticks
		{100, 50, 100},      // a price below a tick still has a grid
	} {
		if got := Spacing(c.tick, c.price); got != c.want {
			t.Errorf("Spacing(%d, %d) = %d, want %d", c.tick, c.price, got, c.want)
		}
	}
}
