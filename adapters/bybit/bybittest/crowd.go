package bybittest

import (
	"fmt"
	"time"
)

// The market's own random flow: a crowd that quotes near the touch,
// withdraws quotes and takes liquidity, one event at a time. Each event
// changes one to three levels of one book and is sealed as one update id;
// now and then one of the account's resting orders is filled.

// Book shape limits per side. maxLevels stays below the 50 levels of the
// orderbook.50 topic, so that topic carries the whole book.
const (
	maxLevels = 40
	minLevels = 8
)

// Step makes n random market events (quotes, cancels, trades on random
// symbols), publishes them, and now and then fills part or all of one of
// the account's resting orders.
func (s *Server) Step(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for range n {
		s.eventLocked(s.markets[s.rng.IntN(len(s.markets))], now)
		if s.rng.IntN(6) == 0 {
			s.acct.fillRestingLocked(now)
		}
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
	s.publishLocked(m, trades, now)
}

// warmUp gives a new market a full book before anyone looks, and seals it
// as the first remembered state.
func (s *Server) warmUp(m *market) {
	sp := spacing(m)
	anchor := m.startPrice / sp * sp
	for i := int64(1); i <= maxLevels/2; i++ {
		m.book.set(true, anchor-i*sp, s.quoteSize(m))
		m.book.set(false, anchor+i*sp, s.quoteSize(m))
	}
	for range 200 {
		if s.rng.IntN(2) == 0 {
			s.crowdQuote(m)
		} else {
			s.crowdCancel(m)
		}
		s.trim(m)
	}
	m.book.u = int64(1_000_000 + s.rng.IntN(9_000_000))
	m.book.seal(s.nextSeqLocked())
	for _, d := range depths {
		m.views[d] = m.book.view(d)
	}
}

// nextSeqLocked advances the cross sequence, shared by every book, by a
// random step: it orders events but has gaps.
func (s *Server) nextSeqLocked() int64 {
	s.seq += int64(1 + s.rng.IntN(5))
	return s.seq
}

// spacing is the grid the crowd quotes on: a whole number of ticks, about
// 1/20000 of the price.
func spacing(m *market) int64 { return m.tick * max(1, m.startPrice/m.tick/20000) }

// quoteSize is a random resting size: one to fifty lots.
func (s *Server) quoteSize(m *market) int64 { return m.lot * int64(1+s.rng.IntN(50)) }

// crowdQuote sets a level near the touch on a random side, never crossing
// the other side.
func (s *Server) crowdQuote(m *market) {
	b, sp := m.book, spacing(m)
	bb, hasBid := b.bids.Best()
	ba, hasAsk := b.asks.Best()
	anchor := m.trades.lastPrice()
	if hasBid && hasAsk {
		anchor = (bb.Price + ba.Price) / 2
	}
	anchor = anchor / sp * sp
	j := int64(s.rng.IntN(1 + s.rng.IntN(maxLevels)))
	if s.rng.IntN(2) == 0 {
		p := anchor - j*sp
		if hasAsk && p >= ba.Price {
			p = ba.Price - sp
		}
		if p > 0 {
			b.set(true, p, s.quoteSize(m))
		}
		return
	}
	p := anchor + (j+1)*sp
	if hasBid && p <= bb.Price {
		p = bb.Price + sp
	}
	b.set(false, p, s.quoteSize(m))
}

// crowdCancel withdraws a random level, or quotes when a side runs thin.
func (s *Server) crowdCancel(m *market) {
	side := m.book.side(s.rng.IntN(2) == 0)
	if len(side.Levels) <= minLevels {
		s.crowdQuote(m)
		return
	}
	lv := side.Levels[s.rng.IntN(len(side.Levels))]
	m.book.set(side.Bids, lv.Price, 0)
}

// crowdTrade sends a small market order of a random side into the touch:
// the level shrinks and a trade prints.
func (s *Server) crowdTrade(m *market, now time.Time) (trade, bool) {
	buy := s.rng.IntN(2) == 0
	side := m.book.side(!buy)
	lv, ok := side.Best()
	if !ok || len(side.Levels) <= minLevels/2 {
		return trade{}, false
	}
	qty := min(lv.Qty, m.lot*int64(1+s.rng.IntN(8)))
	m.book.set(side.Bids, lv.Price, lv.Qty-qty)
	return s.printLocked(m, lv.Price, qty, buy, now), true
}

// trim drops the levels beyond maxLevels, farthest first.
func (s *Server) trim(m *market) {
	for _, side := range []*ladder{&m.book.bids, &m.book.asks} {
		for len(side.Levels) > maxLevels {
			m.book.set(side.Bids, side.Levels[len(side.Levels)-1].Price, 0)
		}
	}
}

// printLocked records a public trade on m's tape.
func (s *Server) printLocked(m *market, price, qty int64, takerBuys bool, now time.Time) trade {
	s.tradeSeq++
	tr := trade{id: tradeID(s.tradeSeq), price: price, qty: qty, buy: takerBuys, time: now, seq: s.nextSeqLocked()}
	m.trades.add(tr)
	return tr
}

// tradeID is a public trade id in Bybit's UUID form.
func tradeID(n uint64) string {
	return fmt.Sprintf("%08x-%04x-5%03x-9%03x-%012x", uint32(n*2654435761), uint16(n>>32), n%4096, (n>>12)%4096, n)
}
