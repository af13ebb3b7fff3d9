package binancetest

import (
	"time"

	"github.com/unifex-go/unifex/internal/fakebook"
)

// The market's own random flow: fakebook's crowd, which quotes near the
// touch, withdraws quotes and takes liquidity, one event at a time. Each
// event changes one to three levels of one book and is published as one
// depth update; the account's resting orders are filled now and then.

// Book shape limits per side.
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
		s.triggerAlgoLocked(now)
	}
}

// eventLocked makes and publishes one market event on m; a trade goes out
// before the depth update.
func (s *Server) eventLocked(m *market, now time.Time) {
	s.crowd.Event(s.crowdOf(m, now))
	s.publishDepthLocked(m, now)
}

// crowdOf is m as the crowd sees it: its trades print on m's tape and are
// published at once.
func (s *Server) crowdOf(m *market, now time.Time) fakebook.Market {
	return fakebook.Market{Bids: &m.book.bids, Asks: &m.book.asks, Spacing: spacing(m), Lot: m.lot,
		Last: m.trades.lastPrice,
		Set:  func(bid bool, price, qty, _ int64) { m.book.set(bid, price, qty) },
		Print: func(price, qty int64, takerBuys bool) {
			s.publishTradesLocked(m, []trade{m.trades.add(m, price, qty, !takerBuys, now)}, now)
		}}
}

// warmUp gives a new market a full book before anyone looks, and seals it
// as the first remembered state.
func (s *Server) warmUp(m *market, now time.Time) {
	s.crowd.WarmUp(s.crowdOf(m, now), m.startPrice)
	m.book.seal(now, s.cfg.Product.futures(), s.rng)
}

// spacing is the grid the crowd quotes on.
func spacing(m *market) int64 { return fakebook.Spacing(m.tick, m.startPrice) }

// quoteSize is a random resting size: one to fifty lots.
func (s *Server) quoteSize(m *market) int64 { return m.lot * int64(1+s.rng.IntN(50)) }
