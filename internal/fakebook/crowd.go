package fakebook

import "math/rand/v2"

// Crowd is a fake venue's own market flow: traders who quote near the
// touch, withdraw quotes and take liquidity, one event at a time, each
// changing one to three levels of one book. It never crosses a book, keeps
// each side between MinLevels and MaxLevels levels (Trim), and draws every
// choice from Rand, so that a venue seeded alike moves alike. What the
// venue makes of a change (ids, a trade's print, the update it publishes)
// stays with the venue, behind Market.
type Crowd struct {
	// Rand draws every choice.
	Rand *rand.Rand
	// MinLevels is the fewest levels a side keeps: the crowd quotes
	// rather than withdraw from a side this thin, and takes liquidity
	// only from a side holding more than half of it.
	MinLevels int
	// MaxLevels is the most levels a side keeps (Trim drops the farthest
	// beyond it); quotes land up to MaxLevels spacings from the touch.
	MaxLevels int
	// Counts makes every quoted level carry a random order count, for a
	// venue that reports one (OKX); without it counts are 0.
	Counts bool
}

// Market is one book as the crowd sees it.
type Market struct {
	// Bids and Asks are the book's sides.
	Bids, Asks *Side
	// Spacing is the price grid quotes land on (see Spacing).
	Spacing int64
	// Lot is the size unit: a quote rests one to fifty lots, a trade
	// takes one to eight.
	Lot int64
	// Last returns the last trade's price, which quotes are anchored to
	// while a side is empty.
	Last func() int64
	// Set applies one change to the book at once (a qty of 0 removes the
	// level) and notes it for the venue's next update.
	Set func(bid bool, price, qty, count int64)
	// Print records the trade of a taker who took qty at price (takerBuys:
	// from the asks); nil records none.
	Print func(price, qty int64, takerBuys bool)
}

// Spacing is the grid a crowd quotes on around price: a whole number of
// ticks, about 1/20000 of the price.
func Spacing(tick, price int64) int64 { return tick * max(1, price/tick/20000) }

// Event makes one market event on m: a trade into the touch (15 in 100),
// a quote (45) or a withdrawn level (40), a further quote one time in
// three, and Trim.
func (c *Crowd) Event(m Market) {
	switch r := c.Rand.IntN(100); {
	case r < 15:
		c.Trade(m)
	case r < 60:
		c.Quote(m)
	default:
		c.Cancel(m)
	}
	if c.Rand.IntN(3) == 0 {
		c.Quote(m)
	}
	c.Trim(m)
}

// WarmUp gives a new, empty book a full depth around price before anyone
// looks: MaxLevels/2 levels a side, then 200 rounds of quotes and
// withdrawals. The venue then seals it as its first state.
func (c *Crowd) WarmUp(m Market, price int64) {
	anchor := price / m.Spacing * m.Spacing
	for i := int64(1); i <= int64(c.MaxLevels/2); i++ {
		qty, count := c.size(m)
		m.Set(true, anchor-i*m.Spacing, qty, count)
		qty, count = c.size(m)
		m.Set(false, anchor+i*m.Spacing, qty, count)
	}
	for range 200 {
		if c.Rand.IntN(2) == 0 {
			c.Quote(m)
		} else {
			c.Cancel(m)
		}
		c.Trim(m)
	}
}

// size draws a resting size and, with Counts, one to five orders.
func (c *Crowd) size(m Market) (qty, count int64) {
	qty = m.Lot * int64(1+c.Rand.IntN(50))
	if c.Counts {
		count = 1 + int64(c.Rand.IntN(5))
	}
	return qty, count
}

// Quote sets a level near the touch on a random side, never crossing the
// other side.
func (c *Crowd) Quote(m Market) {
	sp := m.Spacing
	bb, hasBid := m.Bids.Best()
	ba, hasAsk := m.Asks.Best()
	anchor := m.Last()
	if hasBid && hasAsk {
		anchor = (bb.Price + ba.Price) / 2
	}
	anchor = anchor / sp * sp
	j := int64(c.Rand.IntN(1 + c.Rand.IntN(c.MaxLevels)))
	var count int64
	if c.Counts {
		count = 1 + int64(c.Rand.IntN(9))
	}
	if c.Rand.IntN(2) == 0 {
		p := anchor - j*sp
		if hasAsk && p >= ba.Price {
			p = ba.Price - sp
		}
		if p > 0 {
			m.Set(true, p, m.Lot*int64(1+c.Rand.IntN(50)), count)
		}
		return
	}
	p := anchor + (j+1)*sp
	if hasBid && p <= bb.Price {
		p = bb.Price + sp
	}
	m.Set(false, p, m.Lot*int64(1+c.Rand.IntN(50)), count)
}

// Cancel withdraws a random level of a random side, or quotes when that
// side is down to MinLevels.
func (c *Crowd) Cancel(m Market) {
	side := m.Asks
	if c.Rand.IntN(2) == 0 {
		side = m.Bids
	}
	if len(side.Levels) <= c.MinLevels {
		c.Quote(m)
		return
	}
	lv := side.Levels[c.Rand.IntN(len(side.Levels))]
	m.Set(side.Bids, lv.Price, 0, 0)
}

// Trade sends a small market order of a random side into the touch: the
// best level shrinks by one to eight lots (at most all of it), and Print
// records the trade. A side of MinLevels/2 levels or fewer is not taken
// from.
func (c *Crowd) Trade(m Market) {
	buy := c.Rand.IntN(2) == 0
	side := m.Bids
	if buy {
		side = m.Asks
	}
	lv, ok := side.Best()
	if !ok || len(side.Levels) <= c.MinLevels/2 {
		return
	}
	qty := min(lv.Qty, m.Lot*int64(1+c.Rand.IntN(8)))
	var count int64
	if c.Counts {
		count = max(1, lv.Count-1)
	}
	m.Set(side.Bids, lv.Price, lv.Qty-qty, count)
	if m.Print != nil {
		m.Print(lv.Price, qty, buy)
	}
}

// Trim drops the levels beyond MaxLevels on each side, farthest first.
func (c *Crowd) Trim(m Market) {
	for _, side := range []*Side{m.Bids, m.Asks} {
		for len(side.Levels) > c.MaxLevels {
			m.Set(side.Bids, side.Levels[len(side.Levels)-1].Price, 0, 0)
		}
	}
}
