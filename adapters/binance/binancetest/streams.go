package binancetest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Market streams: connections at the documented paths, live SUBSCRIBE /
// UNSUBSCRIBE / LIST_SUBSCRIPTIONS / SET_PROPERTY / GET_PROPERTY, and the
// events of every stream, raw (/ws) or wrapped {"stream":..,"data":..}
// (/stream).

// route says which streams a connection may carry.
type route int

const (
	routeAll     route = iota // spot /ws, /stream; COIN-M /ws, /stream
	routePublic               // USD-M /public: depth and bookTicker
	routeMarket               // USD-M /market: every other market stream
	routePrivate              // USD-M /private: listen keys
)

// session is one connection's state: its subscriptions, or its WebSocket
// API user-data subscription.
type session struct {
	c        *conn
	api      bool // a WebSocket API connection
	route    route
	combined bool
	subs     []string // subscribed stream names, in order

	// WebSocket API
	noRateLimits bool // returnRateLimits=false in the URL
	userSub      int  // active user-data subscription id, -1 for none
	nextSubID    int
}

// routeWS maps a handshake to its connection kind: the handler, or the
// status refusing it (404 for a path the product does not serve, 400 for
// a bad stream in the URL).
func (s *Server) routeWS(r *http.Request) (wsHandler, int) {
	path := r.URL.Path
	sess := &session{userSub: -1}
	var initial []string
	apiPath := map[Product]string{Spot: "/ws-api/v3", USDM: "/ws-fapi/v1", COINM: "/ws-dapi/v1"}[s.cfg.Product]
	prefix := ""
	if s.cfg.Product == USDM {
		for p, rt := range map[string]route{"/public": routePublic, "/market": routeMarket, "/private": routePrivate} {
			if strings.HasPrefix(path, p+"/") {
				prefix, sess.route = p, rt
			}
		}
		if prefix == "" && path != apiPath {
			return nil, http.StatusNotFound
		}
	}
	rest := strings.TrimPrefix(path, prefix)
	switch {
	case path == apiPath:
		sess.api = true
		sess.noRateLimits = r.URL.Query().Get("returnRateLimits") == "false"
	case rest == "/ws":
	case strings.HasPrefix(rest, "/ws/") && !strings.Contains(rest[len("/ws/"):], "/"):
		initial = []string{rest[len("/ws/"):]}
	case rest == "/stream":
		sess.combined = true
		if streams := r.URL.Query().Get("streams"); streams != "" {
			initial = strings.Split(streams, "/")
		}
	default:
		return nil, http.StatusNotFound
	}
	if key := r.URL.Query().Get("listenKey"); key != "" && !sess.api {
		initial = append(initial, key)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, name := range initial {
		if !s.validStream(name, sess.route) {
			return nil, http.StatusBadRequest
		}
	}
	sess.subs = initial
	return &handler{s: s, sess: sess}, 0
}

// handler binds a session to the server for the connection's events.
type handler struct {
	s    *Server
	sess *session
}

func (h *handler) opened(c *conn) {
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	h.sess.c = c
	h.s.sessions[c] = h.sess
	for _, name := range h.sess.subs {
		h.s.index(name, h.sess)
	}
}

func (h *handler) closed(c *conn) {
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	delete(h.s.sessions, c)
	for _, name := range h.sess.subs {
		delete(h.s.subs[name], h.sess)
	}
}

func (h *handler) message(c *conn, data []byte) {
	if h.sess.api {
		h.s.apiRequest(h.sess, data)
		return
	}
	h.s.control(h.sess, data)
}

// index adds a subscriber of a stream.
func (s *Server) index(name string, sess *session) {
	if s.subs[name] == nil {
		s.subs[name] = map[*session]struct{}{}
	}
	s.subs[name][sess] = struct{}{}
}

// controlRequest is a live subscription request.
type controlRequest struct {
	Method string          `json:"method"`
	Params json.RawMessage `json:"params"`
	ID     json.RawMessage `json:"id"`
}

// controlReply answers a control request; Result is written even when
// null, as {"result":null,"id":1} acknowledges a subscription.
type controlReply struct {
	Result any             `json:"result"`
	ID     json.RawMessage `json:"id"`
}

// controlError is the error reply, {"error":{"code":2,"msg":"Invalid
// request: invalid stream"},"id":2}, as Binance sends it.
type controlError struct {
	Error struct {
		Code int    `json:"code"`
		Msg  string `json:"msg"`
	} `json:"error"`
	ID json.RawMessage `json:"id"`
}

// control answers a message on a market-stream connection.
func (s *Server) control(sess *session, data []byte) {
	var req controlRequest
	if err := json.Unmarshal(data, &req); err != nil {
		sess.c.send(controlFailure(3, "Invalid JSON: expected value at line 1 column 1", nil))
		return
	}
	if !validID(req.ID) {
		sess.c.send(controlFailure(2, "Invalid request: request ID must be an unsigned integer", nil))
		return
	}
	id := req.ID
	if len(id) == 0 {
		id = json.RawMessage("null")
	}
	switch req.Method {
	case "SUBSCRIBE", "UNSUBSCRIBE":
		var names []string
		if json.Unmarshal(req.Params, &names) != nil {
			sess.c.send(controlFailure(2, "Invalid request: invalid stream", id))
			return
		}
		s.subscribe(sess, req.Method == "SUBSCRIBE", names, id)
	case "LIST_SUBSCRIPTIONS":
		s.mu.Lock()
		list := append([]string{}, sess.subs...)
		s.mu.Unlock()
		sess.c.send(mustJSON(controlReply{Result: list, ID: id}))
	case "SET_PROPERTY", "GET_PROPERTY":
		var params []json.RawMessage
		_ = json.Unmarshal(req.Params, &params)
		if len(params) == 0 || string(params[0]) != `"combined"` {
			sess.c.send(controlFailure(0, "Unknown property", id))
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if req.Method == "GET_PROPERTY" {
			sess.c.send(mustJSON(controlReply{Result: sess.combined, ID: id}))
			return
		}
		var on bool
		if len(params) < 2 || json.Unmarshal(params[1], &on) != nil {
			sess.c.send(controlFailure(1, "Invalid value type: expected Boolean", id))
			return
		}
		sess.combined = on
		sess.c.send(mustJSON(controlReply{ID: id}))
	default:
		sess.c.send(controlFailure(2, "Invalid request: unknown variant "+strconv.Quote(req.Method)+
			", expected one of `SUBSCRIBE`, `UNSUBSCRIBE`, `LIST_SUBSCRIPTIONS`, `SET_PROPERTY`, `GET_PROPERTY` at line 1 column 28", id))
	}
}

// validID accepts what the docs allow as a request id: a 64-bit integer,
// an alphanumeric string of at most 36 characters, or null.
func validID(raw json.RawMessage) bool {
	if len(raw) == 0 || string(raw) == "null" {
		return true
	}
	var n int64
	if json.Unmarshal(raw, &n) == nil {
		return true
	}
	var str string
	if json.Unmarshal(raw, &str) != nil || len(str) > 36 {
		return false
	}
	for _, r := range str {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-') {
			return false
		}
	}
	return true
}

func controlFailure(code int, msg string, id json.RawMessage) []byte {
	var e controlError
	e.Error.Code, e.Error.Msg = code, msg
	e.ID = id
	if e.ID == nil {
		e.ID = json.RawMessage("null")
	}
	return mustJSON(e)
}

// subscribe adds or removes streams, all or none, and acknowledges. With
// DeltasBeforeAck each new diff-depth stream first receives a depth update.
func (s *Server) subscribe(sess *session, on bool, names []string, id json.RawMessage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, name := range names {
		if on && !s.validStream(name, sess.route) {
			sess.c.send(controlFailure(2, "Invalid request: invalid stream", id))
			return
		}
	}
	var early []*market
	for _, name := range names {
		i := indexOf(sess.subs, name)
		switch {
		case on && i < 0:
			sess.subs = append(sess.subs, name)
			s.index(name, sess)
			if st := s.parseStream(name); st.kind == streamDepth && st.m != nil {
				early = append(early, st.m)
			}
		case !on && i >= 0:
			sess.subs = append(sess.subs[:i], sess.subs[i+1:]...)
			delete(s.subs[name], sess)
		}
	}
	if s.cfg.DeltasBeforeAck {
		now := s.now()
		for _, m := range early {
			c := s.crowdOf(m, now)
			s.crowd.Quote(c)
			s.crowd.Trim(c)
			s.publishDepthLocked(m, now)
		}
	}
	sess.c.send(mustJSON(controlReply{ID: id}))
}

func indexOf(list []string, v string) int {
	for i, x := range list {
		if x == v {
			return i
		}
	}
	return -1
}

// streamKind is what a stream name carries.
type streamKind int

const (
	streamInvalid    streamKind = iota
	streamDepth                 // <s>@depth[@100ms]
	streamPartial               // <s>@depth<N>[@100ms]
	streamTrade                 // <s>@trade (spot)
	streamAggTrade              // <s>@aggTrade
	streamTicker                // <s>@ticker
	streamBookTicker            // <s>@bookTicker
	streamKline                 // <s>@kline_<i>
	streamMarkPrice             // <s>@markPrice[@1s] (futures)
	streamUserData              // a listen key (futures)
)

// streamSpec is a parsed stream name; m is nil for a well-formed name of
// a symbol the server does not list (subscribed, never fed).
type streamSpec struct {
	kind  streamKind
	m     *market
	depth int      // streamPartial: 5, 10 or 20
	iv    interval // streamKline
}

// parseStream parses a stream name as the product spells them.
func (s *Server) parseStream(name string) streamSpec {
	sym, topic, ok := strings.Cut(name, "@")
	if !ok {
		if s.cfg.Product.futures() && isListenKey(name) {
			return streamSpec{kind: streamUserData}
		}
		return streamSpec{}
	}
	if sym == "" || sym != strings.ToLower(sym) {
		return streamSpec{}
	}
	spec := streamSpec{m: s.byStream[sym]}
	futures := s.cfg.Product.futures()
	topic, speed, _ := strings.Cut(topic, "@")
	depthSpeeds := spotDepthSpeeds
	if futures {
		depthSpeeds = futuresDepthSpeeds
	}
	switch {
	case topic == "depth" && depthSpeeds[speed]:
		spec.kind = streamDepth
	case (topic == "depth5" || topic == "depth10" || topic == "depth20") && depthSpeeds[speed]:
		spec.kind = streamPartial
		spec.depth, _ = strconv.Atoi(topic[len("depth"):])
	case speed == "" && topic == "trade" && !futures:
		spec.kind = streamTrade
	case speed == "" && topic == "aggTrade":
		spec.kind = streamAggTrade
	case speed == "" && topic == "ticker":
		spec.kind = streamTicker
	case speed == "" && topic == "bookTicker":
		spec.kind = streamBookTicker
	case speed == "" && strings.HasPrefix(topic, "kline_"):
		iv, ok := intervals[topic[len("kline_"):]]
		if !ok {
			return streamSpec{}
		}
		spec.kind, spec.iv = streamKline, iv
	case futures && topic == "markPrice" && (speed == "" || speed == "1s"):
		spec.kind = streamMarkPrice
	default:
		return streamSpec{}
	}
	return spec
}

// The update speeds a depth stream name may carry ("" is the plain
// stream: 1000 ms on spot, 250 ms on futures).
var (
	spotDepthSpeeds    = map[string]bool{"": true, "100ms": true}
	futuresDepthSpeeds = map[string]bool{"": true, "100ms": true, "250ms": true, "500ms": true}
)

// validStream reports whether name is a stream rt carries.
func (s *Server) validStream(name string, rt route) bool {
	switch kind := s.parseStream(name).kind; rt {
	case routePublic:
		return kind == streamDepth || kind == streamPartial || kind == streamBookTicker
	case routeMarket:
		return kind != streamInvalid && kind != streamUserData && kind != streamDepth &&
			kind != streamPartial && kind != streamBookTicker
	case routePrivate:
		return kind == streamUserData
	default:
		return kind != streamInvalid
	}
}

// publishLocked sends payload to every subscriber of stream, wrapped for
// combined connections.
func (s *Server) publishLocked(stream string, payload []byte) {
	subs := s.subs[stream]
	if len(subs) == 0 {
		return
	}
	var wrapped []byte
	for sess := range subs {
		if !sess.combined {
			sess.c.send(payload)
			continue
		}
		if wrapped == nil {
			wrapped = wrap(stream, payload)
		}
		sess.c.send(wrapped)
	}
}

// wrap makes a combined-stream frame.
func wrap(stream string, payload []byte) []byte {
	out := make([]byte, 0, len(payload)+len(stream)+20)
	out = append(out, `{"stream":`...)
	out = strconv.AppendQuote(out, stream)
	out = append(out, `,"data":`...)
	out = append(out, payload...)
	return append(out, '}')
}

// subscribed reports whether any connection listens to stream.
func (s *Server) subscribed(stream string) bool { return len(s.subs[stream]) > 0 }

// Stream names of one market, per kind and speed.
var (
	depthSuffixes   = []string{"@depth", "@depth@100ms", "@depth@250ms", "@depth@500ms"}
	partialSuffixes = []string{"", "@100ms", "@250ms", "@500ms"}
)

// publishDepthLocked seals m's pending changes into a depth update and
// sends it to the diff-depth, partial-depth and bookTicker subscribers,
// with the faults armed on the book.
func (s *Server) publishDepthLocked(m *market, now time.Time) {
	b := m.book
	ev, ok := b.seal(now, s.cfg.Product.futures(), s.rng)
	if !ok {
		return
	}
	sent := ev
	switch {
	case b.gapNext: // lost on the way: the next update names an id nobody saw
		b.gapNext = false
		b.sent = &ev
		s.publishPartialLocked(m, ev, now)
		s.publishBookTickerLocked(m, now)
		return
	case b.overlapNext && b.sent != nil:
		b.overlapNext = false
		sent.first = b.sent.first
		sent.bids, sent.asks = overlap(*b.sent, ev)
	case b.corruptNext:
		b.corruptNext = false
		sent.bids = corrupt(ev.bids)
		if len(sent.bids) == 0 {
			sent.asks = corrupt(ev.asks)
		}
	}
	frame := s.depthPayload(m, sent, nil)
	for _, suffix := range depthSuffixes {
		s.publishLocked(m.stream+suffix, frame)
		if b.duplicateNext {
			s.publishLocked(m.stream+suffix, frame)
		}
	}
	b.duplicateNext = false
	b.sent = &ev
	s.publishPartialLocked(m, ev, now)
	s.publishBookTickerLocked(m, now)
}

// corrupt returns a copy of levels whose first quantity is one unit more
// than the truth (nil for none).
func corrupt(levels []level) []level {
	if len(levels) == 0 {
		return nil
	}
	out := append([]level(nil), levels...)
	out[0].Qty++
	return out
}

// overlap merges two consecutive events' changes, the later one winning.
func overlap(a, b depthEvent) (bids, asks []level) {
	var cs []change
	for _, ev := range []depthEvent{a, b} {
		for _, l := range ev.bids {
			cs = append(cs, change{true, l.Price, l.Qty})
		}
		for _, l := range ev.asks {
			cs = append(cs, change{false, l.Price, l.Qty})
		}
	}
	return net(cs)
}

// publishPartialLocked sends the top-N streams their new state.
func (s *Server) publishPartialLocked(m *market, ev depthEvent, now time.Time) {
	for _, n := range []int{5, 10, 20} {
		for _, suffix := range partialSuffixes {
			name := m.stream + "@depth" + strconv.Itoa(n) + suffix
			if !s.subscribed(name) {
				continue
			}
			top := depthEvent{first: ev.first, last: ev.last, prev: ev.prev, time: now,
				bids: m.book.bids.Head(n), asks: m.book.asks.Head(n)}
			if s.cfg.Product == Spot {
				s.publishLocked(name, spotPartialPayload(m, top))
			} else {
				s.publishLocked(name, s.depthPayload(m, top, nil))
			}
		}
	}
}

// top is the best bid and ask.
func (b *book) top() ([2]level, bool) {
	bb, okb := b.bids.Best()
	ba, oka := b.asks.Best()
	return [2]level{bb, ba}, okb && oka
}

// publishBookTickerLocked sends bookTicker when the touch changed since
// the last one.
func (s *Server) publishBookTickerLocked(m *market, now time.Time) {
	top, ok := m.book.top()
	if !ok || top == m.book.tickerTop {
		return
	}
	m.book.tickerTop = top
	if !s.subscribed(m.stream + "@bookTicker") {
		return
	}
	s.publishLocked(m.stream+"@bookTicker", mustJSON(s.bookTicker(m, now)))
}

// depthPayload writes a depthUpdate event: spot {e,E,s,U,u,b,a}; USD-M
// adds T and pu; COIN-M adds ps as well.
func (s *Server) depthPayload(m *market, ev depthEvent, dst []byte) []byte {
	dst = append(dst, `{"e":"depthUpdate","E":`...)
	dst = strconv.AppendInt(dst, ev.time.UnixMilli(), 10)
	if s.cfg.Product.futures() {
		dst = append(dst, `,"T":`...)
		dst = strconv.AppendInt(dst, ev.time.UnixMilli()-1, 10)
	}
	dst = append(dst, `,"s":"`...)
	dst = append(dst, m.id...)
	dst = append(dst, '"')
	if s.cfg.Product == COINM {
		dst = append(dst, `,"ps":"`...)
		dst = append(dst, m.pair...)
		dst = append(dst, '"')
	}
	dst = append(dst, `,"U":`...)
	dst = strconv.AppendInt(dst, ev.first, 10)
	dst = append(dst, `,"u":`...)
	dst = strconv.AppendInt(dst, ev.last, 10)
	if s.cfg.Product.futures() {
		dst = append(dst, `,"pu":`...)
		dst = strconv.AppendInt(dst, ev.prev, 10)
	}
	dst = append(dst, `,"b":`...)
	dst = appendLevels(dst, m, ev.bids)
	dst = append(dst, `,"a":`...)
	dst = appendLevels(dst, m, ev.asks)
	return append(dst, '}')
}

// spotPartialPayload is spot's partial book, {"lastUpdateId":..,"bids":..,"asks":..}.
func spotPartialPayload(m *market, ev depthEvent) []byte {
	dst := append([]byte(nil), `{"lastUpdateId":`...)
	dst = strconv.AppendInt(dst, ev.last, 10)
	dst = append(dst, `,"bids":`...)
	dst = appendLevels(dst, m, ev.bids)
	dst = append(dst, `,"asks":`...)
	dst = appendLevels(dst, m, ev.asks)
	return append(dst, '}')
}

// appendLevels writes [["price","qty"],...].
func appendLevels(dst []byte, m *market, ls []level) []byte {
	dst = append(dst, '[')
	for i, l := range ls {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `["`...)
		dst = appendFixed(dst, l.Price, m.priceDec)
		dst = append(dst, `","`...)
		dst = appendFixed(dst, l.Qty, m.qtyDec)
		dst = append(dst, `"]`...)
	}
	return append(dst, ']')
}

// publishTradesLocked sends new trades to the trade, aggTrade, ticker,
// kline and (futures) markPrice streams.
func (s *Server) publishTradesLocked(m *market, trades []trade, now time.Time) {
	for _, tr := range trades {
		if s.subscribed(m.stream + "@trade") {
			s.publishLocked(m.stream+"@trade", mustJSON(tradeEvent{Event: "trade", Time: now.UnixMilli(), Symbol: m.id,
				ID: tr.id, Price: m.fmtPrice(tr.price), Qty: m.fmtQty(tr.qty), TradeTime: tr.time.UnixMilli(),
				BuyerMaker: tr.buyerMaker, Ignore: true}))
		}
		if s.subscribed(m.stream + "@aggTrade") {
			s.publishLocked(m.stream+"@aggTrade", mustJSON(s.aggTradeEvent(m, tr, now)))
		}
	}
	if s.subscribed(m.stream + "@ticker") {
		s.publishLocked(m.stream+"@ticker", mustJSON(s.tickerEvent(m, now)))
	}
	for _, name := range intervalNames {
		stream := m.stream + "@kline_" + name
		if s.subscribed(stream) {
			s.publishLocked(stream, mustJSON(newKlineEvent(m, intervals[name], now)))
		}
	}
	if s.cfg.Product.futures() {
		for _, suffix := range []string{"@markPrice", "@markPrice@1s"} {
			if s.subscribed(m.stream + suffix) {
				s.publishLocked(m.stream+suffix, mustJSON(s.markPriceEvent(m, now)))
			}
		}
	}
}

// mustJSON marshals the fake's own types, which cannot fail.
func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("binancetest: unencodable message: " + err.Error())
	}
	return b
}

// isListenKey reports whether name looks like a listen key: 64
// alphanumerics.
func isListenKey(name string) bool {
	if len(name) != 64 {
		return false
	}
	return bytes.IndexFunc([]byte(name), func(r rune) bool {
		return !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}) < 0
}
