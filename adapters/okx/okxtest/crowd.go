package okxtest

import (
	"time"

	"github.com/shopspring/decimal"
)

// The market's own random flow: a crowd that quotes near the touch,
// withdraws quotes and takes liquidity, one event at a time. Each event
// changes one to three levels of one book and is published as one books
// update; the account's resting orders are filled now and then.

// Book shape limits per side.
const (
	maxLevels = 40
	minLevels = 8
)

// Step makes n random market events (quotes, cancels, trades on random
// instruments), publishes them, and now and then fills part or all of one
// of the account's resting orders.
func (s *Server) Step(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for range n {
		s.eventLocked(s.markets[s.rng.IntN(len(s.markets))], now)
		if s.rng.IntN(6) == 0 {
			s.fillRestingLocked(now)
		}
		s.triggerAlgosLocked(now)
	}
}

// eventLocked makes and publishes one market event on m.
func (s *Server) eventLocked(m *market, now time.Time) {
	var trades []trade
	switch r := s.rng.IntN(100); {
	case r < 15:
		if tr, ok := s.crowdTrade(m, now); ok {
			trades = append(trades, tr)
		}
	case r < 60:
		s.crowdQuote(m)
	default:
		s.crowdCancel(m)
	}
	if s.rng.IntN(3) == 0 {
		s.crowdQuote(m)
	}
	s.trim(m)
	s.publishBookLocked(m, now)
	if len(trades) > 0 {
		s.publishTradesLocked(m, trades, now)
	}
}

// warmUp gives a new market a full book and seals it as the first
// remembered state.
func (s *Server) warmUp(m *market) {
	sp := spacing(m)
	anchor := m.startPrice / sp * sp
	for i := int64(1); i <= maxLevels/2; i++ {
		m.book.set(true, anchor-i*sp, s.quoteSize(m), 1+int64(s.rng.IntN(5)))
		m.book.set(false, anchor+i*sp, s.quoteSize(m), 1+int64(s.rng.IntN(5)))
	}
	for range 200 {
		if s.rng.IntN(2) == 0 {
			s.crowdQuote(m)
		} else {
			s.crowdCancel(m)
		}
		s.trim(m)
	}
	m.book.seal(s.rng)
}

// spacing is the grid the crowd quotes on: whole ticks, about 1/20000 of
// the price.
func spacing(m *market) int64 { return m.tick * max(1, m.startPrice/m.tick/20000) }

// quoteSize is a random resting size: one to fifty typical lots.
func (s *Server) quoteSize(m *market) int64 { return m.typicalLot * int64(1+s.rng.IntN(50)) }

// crowdQuote sets a level near the touch on a random side, never crossing.
func (s *Server) crowdQuote(m *market) {
	b, sp := m.book, spacing(m)
	bb, hasBid := b.bids.Best()
	ba, hasAsk := b.asks.Best()
	anchor := m.trades.last().px
	if hasBid && hasAsk {
		anchor = (bb.Price + ba.Price) / 2
	}
	anchor = anchor / sp * sp
	j := int64(s.rng.IntN(1 + s.rng.IntN(maxLevels)))
	n := 1 + int64(s.rng.IntN(9))
	if s.rng.IntN(2) == 0 {
		p := anchor - j*sp
		if hasAsk && p >= ba.Price {
			p = ba.Price - sp
		}
		if p > 0 {
			b.set(true, p, s.quoteSize(m), n)
		}
		return
	}
	p := anchor + (j+1)*sp
	if hasBid && p <= bb.Price {
		p = bb.Price + sp
	}
	b.set(false, p, s.quoteSize(m), n)
}

// crowdCancel withdraws a random level, or quotes when a side runs thin.
func (s *Server) crowdCancel(m *market) {
	side := &m.book.asks
	if s.rng.IntN(2) == 0 {
		side = &m.book.bids
	}
	if len(side.Levels) <= minLevels {
		s.crowdQuote(m)
		return
	}
	lv := side.Levels[s.rng.IntN(len(side.Levels))]
	m.book.set(side.Bids, lv.Price, 0, 0)
}

// crowdTrade sends a small market order into the touch: the level shrinks
// and a trade prints.
func (s *Server) crowdTrade(m *market, now time.Time) (trade, bool) {
	buy := s.rng.IntN(2) == 0
	side := &m.book.bids
	if buy {
		side = &m.book.asks
	}
	lv, ok := side.Best()
	if !ok || len(side.Levels) <= minLevels/2 {
		return trade{}, false
	}
	sz := min(lv.Qty, m.typicalLot*int64(1+s.rng.IntN(8)))
	m.book.set(side.Bids, lv.Price, lv.Qty-sz, max(1, lv.Count-1))
	return s.printLocked(m, lv.Price, sz, buy, now), true
}

// printLocked records a public trade on the tape and the candles.
func (s *Server) printLocked(m *market, px, sz int64, buy bool, now time.Time) trade {
	m.candles.add(px, sz, now)
	return m.trades.add(px, sz, buy, now, m.book.seq)
}

// trim drops the levels beyond maxLevels, farthest first.
func (s *Server) trim(m *market) {
	for _, side := range []*ladder{&m.book.bids, &m.book.asks} {
		for len(side.Levels) > maxLevels {
			m.book.set(side.Bids, side.Levels[len(side.Levels)-1].Price, 0, 0)
		}
	}
}

// decimalOf parses a constant decimal string of the fake's own tables.
func decimalOf(s string) decimal.Decimal { return decimal.RequireFromString(s) }
