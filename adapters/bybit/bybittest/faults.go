package bybittest

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/unified"
)

// What the conformance suite (exchangetest) drives and inspects — the
// books by update id, the account's orders — and the faults, general and
// Bybit's own.

// BookAt returns the server's book of symbol at update id nonce (an
// orderbook message's u, or the REST orderbook's u) while it is
// remembered; after a Restart only the states since it.
func (s *Server) BookAt(symbol string, nonce int64) (bids, asks []unified.Level, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.marketOf(symbol)
	if m == nil {
		return nil, nil, false
	}
	st, ok := m.book.at(nonce)
	if !ok {
		return nil, nil, false
	}
	bids, asks = st.Unified(m.price, m.qty)
	return bids, asks, true
}

// UpdateID returns the update id u of symbol's book now (0 for a symbol
// the server does not list).
func (s *Server) UpdateID(symbol string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m := s.marketOf(symbol); m != nil {
		return m.book.u
	}
	return 0
}

// OrderRequest returns the i-th order of a test: a small limit order
// joining the best bid (even i) or best ask (odd i) of the markets in
// turn, so that it rests until Step fills it, above the minimum order
// value and affordable by the test account.
func (s *Server) OrderRequest(i int) unified.OrderRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.markets[(i/2)%len(s.markets)]
	buy := i%2 == 0
	price := m.trades.lastPrice()
	if lv, ok := m.book.side(buy).Best(); ok {
		price = lv.Price
	}
	qty := m.minQty
	for m.cat != Inverse && m.value(price, qty).LessThan(m.minNotional.Mul(decimal.NewFromInt(2))) {
		qty += m.step
	}
	if m.cat == Inverse {
		qty = 10 * m.step
	}
	side := unified.SideSell
	if buy {
		side = unified.SideBuy
	}
	return unified.OrderRequest{Symbol: m.symbol, Type: unified.OrderTypeLimit, Side: side, Amount: m.qty(qty),
		Price: decimal.NewNullDecimal(m.price(price))}
}

// Orders returns every order of the account as the server holds it.
func (s *Server) Orders() []unified.Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]unified.Order, 0, len(s.acct.orders))
	for _, o := range s.acct.orders {
		status := unified.StatusOpen
		switch o.status {
		case "Filled":
			status = unified.StatusClosed
		case "Cancelled", "PartiallyFilledCanceled":
			status = unified.StatusCanceled
		case "Rejected":
			status = unified.StatusRejected
		}
		out = append(out, unified.Order{ID: o.id, ClientOrderID: o.linkID, Symbol: o.m.symbol, Status: status,
			Amount: decimal.NewNullDecimal(o.m.qty(o.qty)), Filled: decimal.NewNullDecimal(o.m.qty(o.filled))})
	}
	return out
}

// Balance returns a coin's wallet balance and what orders hold of it
// (spot locks and contract order margin).
func (s *Server) Balance(coin string) (wallet, held decimal.Decimal) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.acct.coin(coin)
	return c.wallet, c.locked.Add(c.orderIM)
}

// Position returns the signed size of a contract position.
func (s *Server) Position(symbol string) decimal.Decimal {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.marketOf(symbol)
	if m == nil || s.acct.positions[m] == nil {
		return decimal.Zero
	}
	return m.qty(s.acct.positions[m].size)
}

// withMarket runs f on symbol's market under the lock.
func (s *Server) withMarket(symbol string, f func(m *market)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m := s.marketOf(symbol); m != nil {
		f(m)
	}
}

// Gap makes symbol's next book messages get lost on the way: their
// changes apply to the server's book, and the message after them carries
// an update id the client's u + 1 does not reach.
func (s *Server) Gap(symbol string) { s.withMarket(symbol, func(m *market) { m.gap = true }) }

// Resnapshot sends every subscriber of symbol's books a snapshot of the
// current state now, with the current u, as Bybit re-sends one after an
// internal problem: the client must replace its book.
func (s *Server) Resnapshot(symbol string) {
	s.withMarket(symbol, func(m *market) { s.publishBookLocked(m, s.now(), true) })
}

// Restart plays a service restart for symbol: its update id starts over,
// and every subscriber gets a snapshot with u = 1; deltas go on from
// there. BookAt forgets the states before it.
func (s *Server) Restart(symbol string) {
	s.withMarket(symbol, func(m *market) {
		m.book.restart(s.nextSeqLocked())
		s.publishBookLocked(m, s.now(), true)
	})
}

// sessionsLocked returns the open sessions.
func (s *Server) sessionsLocked() []*session {
	out := make([]*session, 0, len(s.sessions))
	for ss := range s.sessions {
		out = append(out, ss)
	}
	return out
}

// Drop closes every WebSocket abruptly.
func (s *Server) Drop() { s.ws.DropAll() }

// Silence makes every WebSocket half-open: nothing is read, written or
// answered any more, and nothing closes it but the idle cut.
func (s *Server) Silence() { s.ws.SilenceAll() }

// Garbage sends every public subscriber a malformed frame, a message of
// an unknown topic and a frame that is not JSON at all.
func (s *Server) Garbage() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ss := range s.sessionsLocked() {
		ss.send([]byte(`{"topic":"orderbook.50.`))
		ss.send([]byte(`{"topic":"mystery.BTCUSDT","type":"snapshot","ts":1,"data":{"x":[1,2]}}`))
		ss.send([]byte("\x00\x01 not json"))
	}
}

// Outage drops every WebSocket and refuses new ones (on), or accepts them
// again (off). REST goes on working meanwhile.
func (s *Server) Outage(on bool) {
	s.mu.Lock()
	s.outage = on
	s.mu.Unlock()
	s.ws.Outage(on)
}

// Throttle refuses every REST request for d with HTTP 429 and a
// Retry-After header.
func (s *Server) Throttle(d time.Duration) { s.api.Throttle(d) }

// Throttled returns how many requests Throttle has refused.
func (s *Server) Throttled() int { return s.api.Throttled() }

// Maintenance answers every REST request with a 503 maintenance page (on),
// or serves them again.
func (s *Server) Maintenance(on bool) { s.api.Maintenance(on) }

// Skew sets how far the venue's clock runs ahead of the local one; signed
// requests outside the receive window get retCode 10002.
func (s *Server) Skew(d time.Duration) { s.api.Skew(d) }

// ExpiredKeyBody is what private routes answer while ExpireAuth is on:
// Bybit's 33004, HTTP 401.
const ExpiredKeyBody = `{"retCode":33004,"retMsg":"Your api key has expired.","result":{},"retExtInfo":{},"time":0}`

// ExpireAuth makes the private REST routes refuse the key as expired (on),
// or accept it again.
func (s *Server) ExpireAuth(on bool) {
	if on {
		s.api.ExpireAuth([]byte(ExpiredKeyBody))
		return
	}
	s.api.ExpireAuth(nil)
}

// RejectSignatures checks signatures (REST and WebSocket auth) with
// another secret (on), as if the client's secret were wrong: retCode
// 10004.
func (s *Server) RejectSignatures(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.badSig = on
}
