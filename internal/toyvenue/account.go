package toyvenue

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/internal/fakeserver"
	"github.com/unifex-go/unifex/unified"
)

// The toy venue's test credentials: what NewServer accepts until
// SetCredentials says otherwise. Obviously not secrets.
const (
	TestAPIKey = "toy-test-key"
	TestSecret = "toy-test-secret"
)

// The toy's private protocol. Signed REST requests carry the API key in the
// KeyHeader header, a millisecond timestamp "ts" as their last query
// parameter but one, and "sig" last: the hex HMAC-SHA256, keyed with the
// secret, of "METHOD\n/escaped/path\nquery-before-sig". The venue refuses a
// timestamp more than RecvWindow from its clock. A WebSocket login is
// {"op":"login","id":n,"key":..,"ts":ms,"sig":hex HMAC-SHA256 of "login\n"+ts}.
const (
	KeyHeader  = "X-Toy-Apikey"
	RecvWindow = 5 * time.Second
)

// The toy's error codes, sent as {"code":..,"msg":..}.
const (
	codeUnknownKey   = 1001 // 401
	codeBadSignature = 1002 // 401
	codeTimestamp    = 1003 // 400: outside RecvWindow
	codeKeyExpired   = 1004 // 401
	codeLoginFirst   = 1005 // private channel before login
	codeNoFunds      = 2001
	codeNoOrder      = 2002
	codeBadOrder     = 2003
	codeBadMarket    = 2004
	codeNotOpen      = 2005
)

// apiError is the toy's error reply.
type apiError struct {
	Code int    `json:"code"`
	Msg  string `json:"msg"`
}

// Native order states.
const (
	stateNew      = "new"
	statePartial  = "partially_filled"
	stateFilled   = "filled"
	stateCanceled = "canceled"
)

// order is one order as the venue holds it.
type order struct {
	id, clientID, symbol, side string
	price, amount, filled      decimal.Decimal
	state                      string
	created, updated           int64 // venue clock, ms
}

func (o *order) open() bool { return o.state == stateNew || o.state == statePartial }

// wireOrder is an order on the wire, in REST replies and on the orders
// channel.
type wireOrder struct {
	ID       string `json:"id"`
	ClientID string `json:"cid,omitempty"`
	Market   string `json:"market"`
	Side     string `json:"side"`
	Type     string `json:"type"`
	Price    string `json:"px"`
	Qty      string `json:"qty"`
	Filled   string `json:"filled"`
	State    string `json:"state"`
	Created  int64  `json:"ts"`
	Updated  int64  `json:"uts"`
}

func marketID(symbol string) string { return strings.Replace(symbol, "/", "", 1) }

func (o *order) wire() wireOrder {
	return wireOrder{ID: o.id, ClientID: o.clientID, Market: marketID(o.symbol), Side: o.side, Type: "limit",
		Price: o.price.String(), Qty: o.amount.String(), Filled: o.filled.String(), State: o.state,
		Created: o.created, Updated: o.updated}
}

// account is the test account: balances and orders, in exact decimals.
type account struct {
	key, secret string
	rotated     bool // RejectSignatures: the venue checks with another secret
	expired     bool // ExpireAuth
	free, used  map[string]decimal.Decimal
	orders      map[string]*order
	all         []*order // in creation order
	open        []*order
	nextID      int
}

func newAccount(symbols []string) account {
	a := account{key: TestAPIKey, secret: TestSecret, free: map[string]decimal.Decimal{}, used: map[string]decimal.Decimal{},
		orders: map[string]*order{}}
	for _, sym := range symbols {
		base, quote, _ := strings.Cut(sym, "/")
		a.free[base] = decimal.NewFromInt(1000)
		a.free[quote] = decimal.NewFromInt(1_000_000)
	}
	return a
}

// move takes amount from from[code] and adds it to to[code].
func move(from, to map[string]decimal.Decimal, code string, amount decimal.Decimal) {
	from[code] = from[code].Sub(amount)
	to[code] = to[code].Add(amount)
}

// locked is what an order holds of the account: the currency and the
// amount for its unfilled part.
func (o *order) locked() (string, decimal.Decimal) {
	base, quote, _ := strings.Cut(o.symbol, "/")
	rest := o.amount.Sub(o.filled)
	if o.side == "buy" {
		return quote, rest.Mul(o.price)
	}
	return base, rest
}

func (s *Server) routePrivate() {
	s.private("GET /private/balance", s.balance)
	s.private("POST /private/order", s.createOrder)
	s.private("DELETE /private/order", s.cancelOrder)
	s.private("GET /private/order", s.getOrder)
	s.private("GET /private/openOrders", s.openOrders)
	s.private("GET /private/closedOrders", s.closedOrders)
}

// replyError writes the toy's error reply.
func replyError(w http.ResponseWriter, status, code int, text string) {
	fakeserver.WriteJSON(w, status, apiError{Code: code, Msg: text})
}

// private registers a signed route: the handler runs once the key, the
// signature and the timestamp have been checked, with the signed query.
func (s *Server) private(pattern string, h func(w http.ResponseWriter, q url.Values)) {
	s.api.HandlePrivate(pattern, func(w http.ResponseWriter, r *http.Request) {
		q, e := s.authenticate(r)
		if e != nil {
			status := http.StatusUnauthorized
			if e.Code == codeTimestamp {
				status = http.StatusBadRequest
			}
			replyError(w, status, e.Code, e.Msg)
			return
		}
		h(w, q)
	})
}

// authenticate checks a signed request (see KeyHeader) and returns its
// query.
func (s *Server) authenticate(r *http.Request) (url.Values, *apiError) {
	raw := r.URL.RawQuery
	i := strings.LastIndex(raw, "sig=")
	if i < 0 || (i > 0 && raw[i-1] != '&') {
		return nil, &apiError{codeBadSignature, "signature missing"}
	}
	signed := strings.TrimSuffix(raw[:i], "&")
	q, err := url.ParseQuery(signed)
	if err != nil {
		return nil, &apiError{codeBadSignature, "malformed query"}
	}
	ts, err := strconv.ParseInt(q.Get("ts"), 10, 64)
	if err != nil {
		return nil, &apiError{codeTimestamp, "timestamp missing"}
	}
	payload := r.Method + "\n" + r.URL.EscapedPath() + "\n" + signed
	return q, s.checkCredentials(r.Header.Get(KeyHeader), ts, payload, raw[i+len("sig="):])
}

// checkCredentials verifies a key, a timestamp and a signature of payload,
// for REST requests and WebSocket logins alike.
func (s *Server) checkCredentials(key string, ts int64, payload, sig string) *apiError {
	s.mu.Lock()
	a := &s.acct
	wantKey, secret, expired := a.key, a.secret, a.expired
	if a.rotated {
		secret += "-rotated"
	}
	s.mu.Unlock()
	switch {
	case key != wantKey:
		return &apiError{codeUnknownKey, "unknown API key"}
	case expired:
		return &apiError{codeKeyExpired, "API key expired"}
	case !fakeserver.VerifyHMACSHA256(secret, []byte(payload), sig):
		return &apiError{codeBadSignature, "signature invalid"}
	case !s.api.InWindow(time.UnixMilli(ts), RecvWindow):
		return &apiError{codeTimestamp, "timestamp outside the receive window"}
	}
	return nil
}

// login answers a WebSocket login.
func (s *Server) login(c *fakeserver.Conn, m msg) *apiError {
	if e := s.checkCredentials(m.Key, m.TS, "login\n"+strconv.FormatInt(m.TS, 10), m.Sig); e != nil {
		return e
	}
	s.mu.Lock()
	s.authed[c] = true
	s.mu.Unlock()
	return nil
}

// privateSubLocked refuses a subscription to the orders channel from a
// connection that has not logged in.
func (s *Server) privateSubLocked(c *fakeserver.Conn, m msg) *apiError {
	if m.Op != "sub" || s.authed[c] {
		return nil
	}
	for _, ch := range m.Chs {
		if ch == "orders" {
			return &apiError{codeLoginFirst, "log in before subscribing to private channels"}
		}
	}
	return nil
}

func (s *Server) balance(w http.ResponseWriter, _ url.Values) {
	type holding struct {
		Asset string `json:"asset"`
		Free  string `json:"free"`
		Used  string `json:"used"`
	}
	s.mu.Lock()
	out := make([]holding, 0, len(s.acct.free))
	for code, free := range s.acct.free {
		out = append(out, holding{code, free.String(), s.acct.used[code].String()})
	}
	s.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Asset < out[j].Asset })
	fakeserver.WriteJSON(w, http.StatusOK, map[string]any{"ts": s.api.Now().UnixMilli(), "balances": out})
}

// positive parses a positive decimal that is a whole multiple of step.
func positive(text, step string) (decimal.Decimal, bool) {
	d, err := decimal.NewFromString(text)
	if err != nil || d.Sign() <= 0 {
		return d, false
	}
	return d, d.Mod(decimal.RequireFromString(step)).IsZero()
}

func (s *Server) createOrder(w http.ResponseWriter, q url.Values) {
	sym, ok := s.ids[q.Get("market")]
	if !ok {
		replyError(w, http.StatusBadRequest, codeBadMarket, "unknown market")
		return
	}
	side := q.Get("side")
	price, okPrice := positive(q.Get("px"), "0.01")
	amount, okAmount := positive(q.Get("qty"), "0.001")
	switch {
	case q.Get("type") != "limit":
		replyError(w, http.StatusBadRequest, codeBadOrder, "only limit orders are taken")
		return
	case side != "buy" && side != "sell":
		replyError(w, http.StatusBadRequest, codeBadOrder, "side must be buy or sell")
		return
	case !okPrice || !okAmount:
		replyError(w, http.StatusBadRequest, codeBadOrder, "price and quantity must be positive multiples of the tick and step")
		return
	case amount.LessThan(decimal.RequireFromString(minAmount)) || amount.Mul(price).LessThan(decimal.RequireFromString(minCost)):
		replyError(w, http.StatusBadRequest, codeBadOrder, "order below the minimum quantity or notional")
		return
	}
	now := s.api.Now().UnixMilli()
	s.mu.Lock()
	a := &s.acct
	o := &order{clientID: q.Get("cid"), symbol: sym, side: side, price: price, amount: amount, state: stateNew, created: now, updated: now}
	code, need := o.locked()
	if a.free[code].LessThan(need) {
		s.mu.Unlock()
		replyError(w, http.StatusBadRequest, codeNoFunds, "insufficient balance")
		return
	}
	move(a.free, a.used, code, need)
	a.nextID++
	o.id = strconv.Itoa(a.nextID)
	a.orders[o.id] = o
	a.all = append(a.all, o)
	a.open = append(a.open, o)
	s.pushOrderLocked(o)
	out := o.wire()
	s.mu.Unlock()
	fakeserver.WriteJSON(w, http.StatusOK, out)
}

func (s *Server) cancelOrder(w http.ResponseWriter, q url.Values) {
	s.mu.Lock()
	a := &s.acct
	o := a.orders[q.Get("id")]
	switch {
	case o == nil:
		s.mu.Unlock()
		replyError(w, http.StatusBadRequest, codeNoOrder, "order not found")
		return
	case !o.open():
		s.mu.Unlock()
		replyError(w, http.StatusBadRequest, codeNotOpen, "order is not open")
		return
	}
	code, held := o.locked()
	move(a.used, a.free, code, held)
	o.state, o.updated = stateCanceled, s.api.Now().UnixMilli()
	a.close(o)
	s.pushOrderLocked(o)
	out := o.wire()
	s.mu.Unlock()
	fakeserver.WriteJSON(w, http.StatusOK, out)
}

func (s *Server) getOrder(w http.ResponseWriter, q url.Values) {
	s.mu.Lock()
	o := s.acct.orders[q.Get("id")]
	var out wireOrder
	if o != nil {
		out = o.wire()
	}
	s.mu.Unlock()
	if o == nil {
		replyError(w, http.StatusBadRequest, codeNoOrder, "order not found")
		return
	}
	fakeserver.WriteJSON(w, http.StatusOK, out)
}

func (s *Server) openOrders(w http.ResponseWriter, q url.Values) {
	sym := s.ids[q.Get("market")]
	s.mu.Lock()
	out := []wireOrder{}
	for _, o := range s.acct.all {
		if o.open() && (sym == "" || o.symbol == sym) {
			out = append(out, o.wire())
		}
	}
	s.mu.Unlock()
	fakeserver.WriteJSON(w, http.StatusOK, out)
}

// closedOrders lists the orders that are no longer open and changed at or
// after "since" (ms, venue clock).
func (s *Server) closedOrders(w http.ResponseWriter, q url.Values) {
	since, _ := strconv.ParseInt(q.Get("since"), 10, 64)
	sym := s.ids[q.Get("market")]
	s.mu.Lock()
	out := []wireOrder{}
	for _, o := range s.acct.all {
		if !o.open() && o.updated >= since && (sym == "" || o.symbol == sym) {
			out = append(out, o.wire())
		}
	}
	s.mu.Unlock()
	fakeserver.WriteJSON(w, http.StatusOK, out)
}

// close removes o from the open orders.
func (a *account) close(o *order) {
	for i, p := range a.open {
		if p == o {
			a.open[i] = a.open[len(a.open)-1]
			a.open = a.open[:len(a.open)-1]
			return
		}
	}
}

// fillLocked fills all or half of a random open order.
func (s *Server) fillLocked() {
	a := &s.acct
	o := a.open[s.fillRng.IntN(len(a.open))]
	rest := o.amount.Sub(o.filled)
	qty := rest
	if s.fillRng.IntN(2) == 0 {
		if half := rest.Div(decimal.NewFromInt(2)).Truncate(3); half.Sign() > 0 {
			qty = half
		}
	}
	base, quote, _ := strings.Cut(o.symbol, "/")
	cost := qty.Mul(o.price)
	if o.side == "buy" {
		a.used[quote] = a.used[quote].Sub(cost)
		a.free[base] = a.free[base].Add(qty)
	} else {
		a.used[base] = a.used[base].Sub(qty)
		a.free[quote] = a.free[quote].Add(cost)
	}
	o.filled = o.filled.Add(qty)
	o.updated = s.api.Now().UnixMilli()
	o.state = statePartial
	if o.filled.Equal(o.amount) {
		o.state = stateFilled
		a.close(o)
	}
	s.pushOrderLocked(o)
}

// pushOrderLocked sends o's new state on the orders channel.
func (s *Server) pushOrderLocked(o *order) {
	to := s.subscribersLocked("orders")
	if len(to) == 0 {
		return
	}
	m := msg{Topic: "orders", Orders: []wireOrder{o.wire()}}
	for _, c := range to {
		s.send(c, m)
	}
}

// PushStale pushes order id's first state (new, nothing filled) on the
// orders channel again, as a late reply overtaken by the order's later
// changes would bring it: the adapter must not let it replace a newer
// state.
func (s *Server) PushStale(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.acct.orders[id]
	if o == nil {
		return
	}
	first := *o
	first.filled, first.state, first.updated = decimal.Zero, stateNew, o.created
	s.pushOrderLocked(&first)
}

// SetCredentials makes the venue accept key and secret (instead of
// TestAPIKey and TestSecret).
func (s *Server) SetCredentials(key, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.acct.key, s.acct.secret = key, secret
}

// OrderRequest returns the i-th order of a test: a resting limit order on
// one of the venue's symbols, valid for its market and affordable.
func (s *Server) OrderRequest(i int) unified.OrderRequest {
	r := unified.OrderRequest{Symbol: s.symbols[i%len(s.symbols)], Type: unified.OrderTypeLimit,
		Amount: decimal.New(int64(200+i%50), -3)}
	if i%2 == 0 {
		r.Side, r.Price = unified.SideBuy, decimal.NewNullDecimal(decimal.New(int64(9900-i%100), -2))
	} else {
		r.Side, r.Price = unified.SideSell, decimal.NewNullDecimal(decimal.New(int64(10100+i%100), -2))
	}
	return r
}

// Orders returns every order of the account, oldest first, in its current
// state, as the venue holds it.
func (s *Server) Orders() []unified.Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]unified.Order, len(s.acct.all))
	for i, o := range s.acct.all {
		status := unified.StatusOpen
		switch o.state {
		case stateFilled:
			status = unified.StatusClosed
		case stateCanceled:
			status = unified.StatusCanceled
		}
		out[i] = unified.Order{ID: o.id, ClientOrderID: o.clientID, Symbol: o.symbol, Type: unified.OrderTypeLimit,
			Side: unified.Side(o.side), Status: status, Price: decimal.NewNullDecimal(o.price),
			Amount: decimal.NewNullDecimal(o.amount), Filled: decimal.NewNullDecimal(o.filled),
			Remaining: decimal.NewNullDecimal(o.amount.Sub(o.filled)),
			Timestamp: time.UnixMilli(o.created).UTC(), LastUpdateTimestamp: time.UnixMilli(o.updated).UTC()}
	}
	return out
}

// Balance returns the account's free and used amounts of code.
func (s *Server) Balance(code string) (free, used decimal.Decimal) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.acct.free[code], s.acct.used[code]
}

// Throttle refuses every REST request for d with 429 and Retry-After.
func (s *Server) Throttle(d time.Duration) { s.api.Throttle(d) }

// Throttled returns how many REST requests Throttle has refused.
func (s *Server) Throttled() int { return s.api.Throttled() }

// Maintenance makes every REST request get a proxy's 503 maintenance page
// (on), or be served again.
func (s *Server) Maintenance(on bool) { s.api.Maintenance(on) }

// Skew sets how far the venue's clock runs ahead of the local one.
func (s *Server) Skew(d time.Duration) { s.api.Skew(d) }

// ExpireAuth makes the venue refuse the API key as expired (401, code 1004)
// on signed REST requests and logins (on), or accept it again.
func (s *Server) ExpireAuth(on bool) {
	s.mu.Lock()
	s.acct.expired = on
	s.mu.Unlock()
	var body []byte
	if on {
		body = []byte(`{"code":1004,"msg":"API key expired"}`)
	}
	s.api.ExpireAuth(body)
}

// RejectSignatures makes the venue check signatures with another secret
// (on), as if the client's secret were wrong, or with the right one again.
func (s *Server) RejectSignatures(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.acct.rotated = on
}

// Outage drops every stream connection and refuses new ones with 503 (on),
// or accepts them again; REST goes on working.
func (s *Server) Outage(on bool) {
	if !on {
		s.ws.Refuse(0)
		return
	}
	s.ws.Refuse(http.StatusServiceUnavailable)
	s.Drop()
}
