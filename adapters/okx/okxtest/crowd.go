package okxtest

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/internal/fakebook"
)

// The market's own random flow: fakebook's crowd, which quotes near the
// touch (levels of one to nine orders), withdraws quotes and takes
// liquidity, one event at a time. Each event changes one to three levels
// of one book and is published as one books update; the account's resting
// orders are filled now and then.

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

// eventLocked makes and publishes one market event on m: the books
// update, then its trades.
func (s *Server) eventLocked(m *market, now time.Time) {
	var trades []trade
	s.crowd.Event(s.crowdOf(m, now, &trades))
	s.publishBookLocked(m, now)
	if len(trades) > 0 {
		s.publishTradesLocked(m, trades, now)
	}
}

// crowdOf is m as the crowd sees it: its trades print on m's tape and
// candles and are appended to trades (nil for a warm-up, which makes no
// trades).
func (s *Server) crowdOf(m *market, now time.Time, trades *[]trade) fakebook.Market {
	c := fakebook.Market{Bids: &m.book.bids, Asks: &m.book.asks, Spacing: spacing(m), Lot: m.typicalLot,
		Last: func() int64 { return m.trades.last().px },
		Set:  m.book.set}
	if trades != nil {
		c.Print = func(px, sz int64, takerBuys bool) {
			*trades = append(*trades, s.printLocked(m, px, sz, takerBuys, now))
		}
	}
	return c
}

// warmUp gives a new market a full book and seals it as the first
// remembered state.
func (s *Server) warmUp(m *market) {
	s.crowd.WarmUp(s.crowdOf(m, time.Time{}, nil), m.startPrice)
	m.book.seal(s.rng)
}

// spacing is the grid the crowd quotes on.
func spacing(m *market) int64 { return fakebook.Spacing(m.tick, m.startPrice) }

// quoteSize is a random resting size: one to fifty typical lots.
func (s *Server) quoteSize(m *market) int64 { return m.typicalLot * int64(1+s.rng.IntN(50)) }

// printLocked records a public trade on the tape and the candles.
func (s *Server) printLocked(m *market, px, sz int64, buy bool, now time.Time) trade {
	m.candles.add(px, sz, now)
	return m.trades.add(px, sz, buy, now, m.book.seq)
}

// decimalOf parses a constant decimal string of the fake's own tables.
func decimalOf(s string) decimal.Decimal { return decimal.RequireFromString(s) }
