package okxtest

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/unified"
)

// What the conformance suite (exchangetest) drives and inspects — books
// by seqId, the account's orders — and the faults, general and OKX's own.

// BookAt returns the server's book of symbol (unified or instId) at
// seqId nonce while it is remembered.
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
	bids, asks = st.Unified(m.priceD, m.sizeD)
	return bids, asks, true
}

// SeqID returns the seqId of symbol's book now (0 when not listed).
func (s *Server) SeqID(symbol string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m := s.marketOf(symbol); m != nil {
		return m.book.seq
	}
	return 0
}

// OrderRequest returns the i-th order of a test: a minimum-size limit
// order joining the best bid (even i) or ask (odd i) of the instruments in
// turn, so that it rests until Step fills it.
func (s *Server) OrderRequest(i int) unified.OrderRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.markets[(i/2)%len(s.markets)]
	buy := i%2 == 0
	px := m.trades.last().px
	side, sd := &m.book.asks, unified.SideSell
	if buy {
		side, sd = &m.book.bids, unified.SideBuy
	}
	if lv, ok := side.Best(); ok {
		px = lv.Price
	}
	return unified.OrderRequest{Symbol: m.symbol, Type: unified.OrderTypeLimit, Side: sd, Amount: m.sizeD(max(m.minSz, m.typicalLot)),
		Price: decimal.NewNullDecimal(m.priceD(px))}
}

// Orders returns every order of the account as the server holds it.
func (s *Server) Orders() []unified.Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]unified.Order, 0, len(s.acct.orders))
	for _, o := range s.acct.orders {
		status := unified.StatusOpen
		switch o.state {
		case "filled":
			status = unified.StatusClosed
		case "canceled":
			status = unified.StatusCanceled
		}
		out = append(out, unified.Order{ID: itoa(o.id), ClientOrderID: o.clOrdID, Symbol: o.m.symbol, Status: status,
			Amount: decimal.NewNullDecimal(o.m.sizeD(o.sz)), Filled: decimal.NewNullDecimal(o.m.sizeD(o.filled))})
	}
	return out
}

// Balance returns the account's cash and frozen amounts of ccy.
func (s *Server) Balance(ccy string) (cash, frozen decimal.Decimal) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.acct.balanceOf(ccy)
	return b.cash, b.frozen
}

// Position returns the signed net position of a contract, in contracts.
func (s *Server) Position(symbol string) decimal.Decimal {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.marketOf(symbol)
	if m == nil || s.acct.positions[m] == nil {
		return decimal.Zero
	}
	return m.sizeD(s.acct.positions[m].pos)
}

func (s *Server) withBook(symbol string, fn func(m *market)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m := s.marketOf(symbol); m != nil {
		fn(m)
	}
}

// Gap makes symbol's next books update get lost on the way: the one after
// it names, in prevSeqId, a seqId the client never saw.
func (s *Server) Gap(symbol string) { s.withBook(symbol, func(m *market) { m.book.gapNext = true }) }

// CorruptChecksum makes symbol's next books update carry a wrong, non-zero
// checksum while its ids stay chained.
func (s *Server) CorruptChecksum(symbol string) {
	s.withBook(symbol, func(m *market) { m.book.corruptNext = true })
}

// ResetSequence makes symbol's next books update carry a seqId smaller
// than its prevSeqId, as OKX's maintenance resets do; the chain holds
// (prevSeqId is the last seqId) and later updates continue from the new
// value.
func (s *Server) ResetSequence(symbol string) {
	s.withBook(symbol, func(m *market) { m.book.resetNext = true })
}

// NoChange pushes symbol's books subscribers an update without changes:
// empty asks and bids, seqId == prevSeqId, as OKX sends after a quiet
// minute.
func (s *Server) NoChange(symbol string) {
	s.withBook(symbol, func(m *market) {
		frame := s.booksFrame(m, "update", update{seq: m.book.seq, prev: m.book.seq, checksum: s.checksumLocked(m)}, s.now())
		s.each("books", m.id, func(sess *session) { sess.send(frame) })
	})
}

// Notice sends every connection the 64008 notice OKX sends 60 s before a
// service upgrade closes it.
func (s *Server) Notice() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for sess := range s.sessions {
		sess.send(mustJSON(map[string]string{"event": "notice", "code": "64008",
			"msg": "The connection will soon be closed for a service upgrade. Please reconnect.", "connId": sess.connID}))
	}
}

// Garbage sends every public connection a cut frame, a message of an
// unknown channel and text that is not JSON.
func (s *Server) Garbage() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for sess := range s.sessions {
		if sess.kind != public {
			continue
		}
		id := s.markets[0].id
		sess.send([]byte(`{"arg":{"channel":"books","instId":"` + id + `"},"action":"update","data":[{"asks":[["`))
		sess.send([]byte(`{"arg":{"channel":"mark-price-unknown","instId":"` + id + `"},"data":[{"instId":"` + id + `","ts":"1597026383085"}]}`))
		sess.send([]byte(`not json at all`))
	}
}

// Drop closes every WebSocket connection abruptly.
func (s *Server) Drop() { s.ws.DropAll() }

// Silence makes every WebSocket connection half-open: nothing is read or
// written, and the idle cut spares it.
func (s *Server) Silence() {
	s.mu.Lock()
	for sess := range s.sessions {
		sess.silenced = true
	}
	s.mu.Unlock()
	s.ws.SilenceAll()
}

// Outage drops every WebSocket connection and refuses new ones with 503
// (on), or accepts them again (off). REST goes on working.
func (s *Server) Outage(on bool) { s.ws.Outage(on) }

// Throttle refuses every REST request for d with HTTP 429, a Retry-After
// header and {"code":"50011","msg":"Too Many Requests"}.
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

// Maintenance answers every REST request with a 503 HTML page, as the
// proxy in front of a venue under maintenance does (on), or serves again.
func (s *Server) Maintenance(on bool) { s.api.Maintenance(on) }

// Skew sets how far the server's clock runs ahead of the local one
// (negative: behind): /public/time, pushes and the 30 s timestamp checks
// follow it.
func (s *Server) Skew(d time.Duration) { s.api.Skew(d) }

// ExpireAuth refuses the API key (on) — 50111 with HTTP 401 on REST,
// 60005 on a WebSocket login — or accepts it again.
func (s *Server) ExpireAuth(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rest.expired = on
}

// RejectSignatures checks signatures with another secret (on), as if the
// client's secret were wrong — 50113 on REST, 60007 on login — or with the
// right one again.
func (s *Server) RejectSignatures(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rest.rotated = on
}

// Requests returns how many REST requests the server has received.
func (s *Server) Requests() int { return s.api.Requests() }

// Dials returns how many WebSocket handshakes the server has seen.
func (s *Server) Dials() int { return s.ws.Dials() }
