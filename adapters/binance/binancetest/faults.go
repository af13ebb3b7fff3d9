package binancetest

import (
	"net/http"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/unified"
)

// What the conformance suite (exchangetest) drives and inspects — the
// books by update id, the account's orders — and the faults, general and
// Binance's own.

// BookAt returns the server's book of symbol at update id nonce (a depth
// update's u, or a snapshot's lastUpdateId) while it is remembered.
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

// LastUpdateID returns the update id of symbol's book now (0 for a symbol
// the server does not list).
func (s *Server) LastUpdateID(symbol string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m := s.marketOf(symbol); m != nil {
		return m.book.lastID
	}
	return 0
}

// OrderRequest returns the i-th order of a test: a small limit order
// joining the best bid (even i) or best ask (odd i) of the markets in
// turn, so that it rests until Step fills it, above the minimum notional
// and affordable by the test account.
func (s *Server) OrderRequest(i int) unified.OrderRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.markets[(i/2)%len(s.markets)]
	buy := i%2 == 0
	price := m.trades.lastPrice()
	if top, ok := m.book.top(); ok {
		price = top[1].Price
		if buy {
			price = top[0].Price
		}
	}
	qty := m.minQty
	for !m.minNotional.IsZero() && m.notional(price, qty).LessThan(m.minNotional.Mul(decimal.NewFromInt(2))) {
		qty += m.step
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
		case "FILLED":
			status = unified.StatusClosed
		case "CANCELED":
			status = unified.StatusCanceled
		case "EXPIRED":
			status = unified.StatusExpired
		}
		out = append(out, unified.Order{ID: orderID(o.id), ClientOrderID: o.clientID, Symbol: o.m.symbol, Status: status,
			Amount: decimal.NewNullDecimal(o.m.qty(o.qty)), Filled: decimal.NewNullDecimal(o.m.qty(o.filled))})
	}
	return out
}

// Balance returns the account's free and locked amounts of asset (on
// futures: the wallet balance and zero).
func (s *Server) Balance(asset string) (free, locked decimal.Decimal) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.acct.ensure(asset)
	return b.free, b.locked
}

// Position returns the signed position amount of a futures symbol.
func (s *Server) Position(symbol string) decimal.Decimal {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.marketOf(symbol)
	if m == nil || s.acct.positions[m] == nil {
		return decimal.Zero
	}
	return m.qty(s.acct.positions[m].amt)
}

// Gap makes symbol's next diff-depth update get lost on the way: the one
// after it names an update id the client never saw (spot: U > u + 1;
// futures: pu != the last u).
func (s *Server) Gap(symbol string) { s.withBook(symbol, func(b *book) { b.gapNext = true }) }

// Duplicate makes symbol's next diff-depth update arrive twice.
func (s *Server) Duplicate(symbol string) {
	s.withBook(symbol, func(b *book) { b.duplicateNext = true })
}

// Overlap makes symbol's next diff-depth update also carry the previous
// one's changes and start at its first update id (U <= the client's u),
// as an overlap after a resend looks; futures keep pu chained.
func (s *Server) Overlap(symbol string) { s.withBook(symbol, func(b *book) { b.overlapNext = true }) }

// Corrupt makes symbol's next diff-depth update carry a wrong quantity for
// one level while its update ids stay intact: an error no continuity rule
// catches, only a comparison with a fresh snapshot.
func (s *Server) Corrupt(symbol string) { s.withBook(symbol, func(b *book) { b.corruptNext = true }) }

// StaleSnapshot makes symbol's next REST depth snapshot an older state of
// the book, older than the first update a fresh subscriber buffered: the
// client must fetch it again (spot: lastUpdateId < U of the first
// buffered event).
func (s *Server) StaleSnapshot(symbol string) {
	s.withBook(symbol, func(b *book) { b.staleNext = true })
}

func (s *Server) withBook(symbol string, fn func(b *book)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m := s.marketOf(symbol); m != nil {
		fn(m.book)
	}
}

// Garbage sends malformed frames and an unknown event on every market
// stream connection.
func (s *Server) Garbage() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sess := range s.sessions {
		if sess.api {
			continue
		}
		stream := "btcusdt@depth@100ms"
		if len(s.markets) > 0 {
			stream = s.markets[0].stream + "@depth@100ms"
		}
		unknown := []byte(`{"e":"somethingNew","E":1700000000000,"s":"BTCUSDT"}`)
		if sess.combined {
			unknown = wrap(stream, unknown)
		}
		sess.c.send([]byte(`{"stream":"` + stream + `","data":{"e":"depthUpdate","U":`))
		sess.c.send(unknown)
		sess.c.send([]byte(`not json at all`))
	}
}

// Drop closes every WebSocket connection abruptly.
func (s *Server) Drop() {
	for _, c := range s.ws.all() {
		c.drop()
	}
}

// Silence makes every WebSocket connection half-open.
func (s *Server) Silence() {
	for _, c := range s.ws.all() {
		c.silence()
	}
}

// Outage drops every WebSocket connection and refuses new ones (on), or
// accepts them again (off). REST goes on working.
func (s *Server) Outage(on bool) {
	if !on {
		s.ws.setRefuse(0)
		return
	}
	s.ws.setRefuse(http.StatusServiceUnavailable)
	s.Drop()
}

// CutConnections ends every WebSocket connection with a close frame, as
// Binance does at a connection's 24-hour mark (Config.MaxConnAge does it
// by age).
func (s *Server) CutConnections() {
	for _, c := range s.ws.all() {
		c.closeWith(1000, "connection lifetime exceeded")
	}
}

// ServerShutdown announces a shutdown — serverShutdown on spot's market
// streams (raw {"e":"serverShutdown",..}, combined
// {"stream":"!serverShutdown","data":..}) and WebSocket API ({"event":..})
// — and drops every connection after grace. Futures products document no
// such event: their connections are only dropped.
func (s *Server) ServerShutdown(grace time.Duration) {
	s.mu.Lock()
	if s.run.Stopped() {
		s.mu.Unlock()
		return
	}
	conns := make([]*conn, 0, len(s.sessions))
	if s.cfg.Product == Spot {
		event := mustJSON(map[string]any{"e": "serverShutdown", "E": s.now().UnixMilli()})
		for _, sess := range s.sessions {
			switch {
			case sess.api:
				sess.c.send(append(append([]byte(`{"event":`), event...), '}'))
			case sess.combined:
				sess.c.send(wrap("!serverShutdown", event))
			default:
				sess.c.send(event)
			}
		}
	}
	for c := range s.sessions {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	s.run.After(grace, func() {
		for _, c := range conns {
			c.drop()
		}
	})
}

// ExpireListenKey makes the account's futures listen key expire now: its
// listeners receive listenKeyExpired and no more events, and keepalives of
// it fail with -1125.
func (s *Server) ExpireListenKey() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.acct.expireListenKeyLocked(s.now())
}

// Throttle refuses every REST request for d with HTTP 429, a Retry-After
// header and -1003.
func (s *Server) Throttle(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rest.throttleEnd = time.Now().Add(d)
}

// Throttled returns how many requests Throttle has refused.
func (s *Server) Throttled() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rest.throttled
}

// Maintenance answers every REST and WebSocket API request with
// {"code":1,"msg":"System is under maintenance."} (HTTP 503) while on.
func (s *Server) Maintenance(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rest.maintenance = on
}

// Skew sets how far the server's clock runs ahead of the local one
// (negative: behind): serverTime, event times and the timestamp check
// follow it.
func (s *Server) Skew(d time.Duration) { s.api.Skew(d) }

// ExpireAuth refuses the API key (on) — -2015 with HTTP 401 on REST and
// status 401 on the WebSocket API — or accepts it again.
func (s *Server) ExpireAuth(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rest.expired = on
}

// RejectSignatures checks signatures with another secret (on), as if the
// client's secret were wrong (-1022), or with the right one again.
func (s *Server) RejectSignatures(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rest.rotated = on
}

// Requests returns how many REST requests the server has received.
func (s *Server) Requests() int { return s.api.Requests() }

// Dials returns how many WebSocket handshakes the server has seen.
func (s *Server) Dials() int { return s.ws.dialCount() }
