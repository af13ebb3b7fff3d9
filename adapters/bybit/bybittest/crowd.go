package bybittest

import (
	"fmt"
	"time"

	"github.com/unifex-go/unifex/internal/fakebook"
)

// The market's own random flow: fakebook's crowd, which quotes near the
// touch, withdraws quotes and takes liquidity, one event at a time. Each
// event changes one to three levels of one book and is sealed as one
// update id; now and then one of the account's resting orders is filled.

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
	s.crowd.Event(s.crowdOf(m, now, &trades))
	s.publishLocked(m, trades, now)
}

// crowdOf is m as the crowd sees it: its trades print on m's tape and are
// appended to trades (nil for a warm-up, which makes no trades).
func (s *Server) crowdOf(m *market, now time.Time, trades *[]trade) fakebook.Market {
	c := fakebook.Market{Bids: &m.book.bids, Asks: &m.book.asks, Spacing: spacing(m), Lot: m.lot,
		Last: m.trades.lastPrice,
		Set:  func(bid bool, price, qty, _ int64) { m.book.set(bid, price, qty) }}
	if trades != nil {
		c.Print = func(price, qty int64, takerBuys bool) {
			*trades = append(*trades, s.printLocked(m, price, qty, takerBuys, now))
		}
	}
	return c
}

// warmUp gives a new market a full book before anyone looks, and seals it
// as the first remembered state.
func (s *Server) warmUp(m *market) {
	s.crowd.WarmUp(s.crowdOf(m, time.Time{}, nil), m.startPrice)
	m.book.u = int64(1_000_000 + s.rng.IntN(9_000_000))
	m.book.seal(s.nextSeqLocked())
	for _, d := range m.bookDepths() {
		m.views[d] = m.book.view(d)
	}
}

// nextSeqLocked advances the cross sequence, shared by every book, by a
// random step: it orders events but has gaps.
func (s *Server) nextSeqLocked() int64 {
	s.seq += int64(1 + s.rng.IntN(5))
	return s.seq
}

// spacing is the grid the crowd quotes on.
func spacing(m *market) int64 { return fakebook.Spacing(m.tick, m.startPrice) }

// quoteSize is a random resting size: one to fifty lots.
func (s *Server) quoteSize(m *market) int64 { return m.lot * int64(1+s.rng.IntN(50)) }

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
