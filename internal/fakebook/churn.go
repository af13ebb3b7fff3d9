package fakebook

import (
	"math/rand/v2"
	"slices"
)

// Churn makes the random level changes of the fakes' bursts: runs of book
// updates made in advance for throughput and latency benchmarks, each
// update changing an exact number of distinct levels.
type Churn struct {
	// Rand draws every choice.
	Rand *rand.Rand
	// Spacing is the price grid new levels are quoted on.
	Spacing int64
	// MinLevels and MaxLevels bound a side: no level is withdrawn from a
	// side at MinLevels, none quoted on one at MaxLevels. New levels are
	// quoted up to MaxLevels spacings from the other side's best.
	MinLevels, MaxLevels int
	// Size draws the quantity of a new or changed level.
	Size func() int64
}

// Changes makes n distinct level changes (no price changed twice on one
// side) to the book of bids and asks, through set, which must apply each
// change to its Side at once and note it for the venue's next update.
// About three in five are new quantities at resting levels, the rest
// levels withdrawn and levels quoted, half on each side; the book is never
// crossed. Both sides must hold a level.
func (c Churn) Changes(bids, asks *Side, n int, set func(bid bool, price, qty int64)) {
	type key struct {
		bid   bool
		price int64
	}
	touched := make([]key, 0, n)
	change := func(bid bool, price, qty int64) {
		touched = append(touched, key{bid, price})
		set(bid, price, qty)
	}
	for len(touched) < n {
		bid := len(touched)%2 == 0
		side, other := asks, bids
		if bid {
			side, other = bids, asks
		}
		seen := func(price int64) bool { return slices.Contains(touched, key{bid, price}) }
		r := c.Rand.IntN(10)
		switch {
		case r < 2 && len(side.Levels) > c.MinLevels: // withdraw a level
			lv := side.Levels[c.Rand.IntN(len(side.Levels))]
			if !seen(lv.Price) {
				change(bid, lv.Price, 0)
			}
		case r < 4 && len(side.Levels) < c.MaxLevels: // quote a level, never crossing
			opp, _ := other.Best()
			price := opp.Price + c.Spacing*int64(1+c.Rand.IntN(c.MaxLevels))
			if bid {
				price = opp.Price - c.Spacing*int64(1+c.Rand.IntN(c.MaxLevels))
			}
			if price > 0 && !seen(price) {
				if qty := c.Size(); qty != side.Qty(price) { // a level set to its own quantity is no change
					change(bid, price, qty)
				}
			}
		default: // a new quantity at a resting level
			lv := side.Levels[c.Rand.IntN(len(side.Levels))]
			if qty := c.Size(); qty != lv.Qty && !seen(lv.Price) {
				change(bid, lv.Price, qty)
			}
		}
	}
}

// Deepen quotes levels on each side of the book of bids and asks, on the
// grid from its worst level outwards, until the side holds levels levels,
// through set as in Changes. New levels get Size's quantity and one to
// five orders.
func (c Churn) Deepen(bids, asks *Side, levels int, set func(bid bool, price, qty, count int64)) {
	for _, side := range []*Side{bids, asks} {
		step := c.Spacing
		if side.Bids {
			step = -step
		}
		for len(side.Levels) > 0 && len(side.Levels) < levels {
			price := side.Levels[len(side.Levels)-1].Price + step
			if price <= 0 {
				break
			}
			set(side.Bids, price, c.Size(), 1+int64(c.Rand.IntN(5)))
		}
	}
}
