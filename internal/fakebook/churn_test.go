package fakebook

import (
	"math/rand/v2"
	"testing"
)

// TestChurn: each call of Changes makes exactly the number of distinct
// changes asked, all through set, keeps both sides within their bounds and
// never crosses the book; Deepen fills both sides to the depth asked on
// the grid.
func TestChurn(t *testing.T) {
	bids, asks := &Side{Bids: true}, &Side{}
	for i := int64(1); i <= 10; i++ {
		bids.Set(10000-i*5, 7, 1)
		asks.Set(10000+i*5, 7, 1)
	}
	c := Churn{Rand: rand.New(rand.NewPCG(1, 2)), Spacing: 5, MinLevels: 8, MaxLevels: 30,
		Size: func() int64 { return 1 + int64(rand.IntN(9)) }}
	for round := range 500 {
		type key struct {
			bid   bool
			price int64
		}
		seen := map[key]bool{}
		c.Changes(bids, asks, 12, func(bid bool, price, qty int64) {
			if seen[key{bid, price}] {
				t.Fatalf("round %d: %v %d changed twice", round, bid, price)
			}
			seen[key{bid, price}] = true
			side := asks
			if bid {
				side = bids
			}
			side.Set(price, qty, 0)
		})
		if len(seen) != 12 {
			t.Fatalf("round %d: %d changes, want 12", round, len(seen))
		}
		for _, side := range []*Side{bids, asks} {
			if n := len(side.Levels); n < c.MinLevels-1 || n > c.MaxLevels {
				t.Fatalf("round %d: a side of %d levels", round, n)
			}
		}
		if bids.Levels[0].Price >= asks.Levels[0].Price {
			t.Fatalf("round %d: crossed, %d / %d", round, bids.Levels[0].Price, asks.Levels[0].Price)
		}
	}
	c.Deepen(bids, asks, 400, func(bid bool, price, qty, count int64) {
		side := asks
		if bid {
			side = bids
		}
		if qty <= 0 || count < 1 || count > 5 || price%5 != 0 {
			t.Fatalf("Deepen set %d at %d in %d orders", qty, price, count)
		}
		side.Set(price, qty, count)
	})
	if len(bids.Levels) != 400 || len(asks.Levels) != 400 {
		t.Fatalf("Deepen left %d bids and %d asks, want 400 each", len(bids.Levels), len(asks.Levels))
	}
}
