package venue

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/unifex-go/unifex/internal/fakeserver"
)

// handler answers one REST request under the venue's lock: the reply, or
// an error.
type handler func(q url.Values, now time.Time) (any, *apiError)

// routeREST registers the REST API (see protocol.go).
func (v *Venue) routeREST() {
	v.api.Handle("GET /api/v1/time", func(w http.ResponseWriter, _ *http.Request) {
		fakeserver.WriteJSON(w, http.StatusOK, map[string]int64{"serverTime": v.now().UnixMilli()})
	})
	v.public("GET /api/v1/markets", v.restMarkets)
	v.public("GET /api/v1/currencies", v.restCurrencies)
	v.public("GET /api/v1/ticker", v.withBook(func(b *book, _ url.Values, now time.Time) (any, *apiError) { return v.ticker(b, now), nil }))
	v.public("GET /api/v1/tickers", func(_ url.Values, now time.Time) (any, *apiError) {
		out := make([]wireTicker, len(v.markets))
		for i, b := range v.markets {
			out[i] = v.ticker(b, now)
		}
		return out, nil
	})
	v.public("GET /api/v1/depth", v.withBook(v.restDepth))
	v.public("GET /api/v1/trades", v.withBook(func(b *book, q url.Values, _ time.Time) (any, *apiError) {
		n := limitOf(q, 100)
		return b.tape[max(0, len(b.tape)-n):], nil
	}))
	v.public("GET /api/v1/klines", v.withBook(v.restKlines))
	v.public("GET /api/v1/funding", v.withBook(func(b *book, _ url.Values, now time.Time) (any, *apiError) {
		if !b.m.Perpetual {
			return nil, reject(CodeBadMarket, b.m.ID+" is not a perpetual")
		}
		return v.fundingOf(b, now), nil
	}))

	v.private("GET /api/v1/private/balance", func(_ url.Values, now time.Time) (any, *apiError) { return v.balanceLocked(now), nil })
	v.private("POST /api/v1/private/order", func(q url.Values, now time.Time) (any, *apiError) {
		return wired(v.placeLocked(orderRequest{Market: q.Get("market"), Side: q.Get("side"), Type: q.Get("type"),
			Amount: q.Get("amount"), Price: q.Get("price"), TIF: q.Get("tif"), PostOnly: q.Get("postOnly") == "true",
			ReduceOnly: q.Get("reduceOnly") == "true", ClientID: q.Get("clientId"), Trigger: q.Get("triggerPrice")}, now))
	})
	v.private("PUT /api/v1/private/order", func(q url.Values, now time.Time) (any, *apiError) {
		return wired(v.amendLocked(q.Get("id"), q.Get("market"), q.Get("price"), q.Get("amount"), now))
	})
	v.private("DELETE /api/v1/private/order", func(q url.Values, now time.Time) (any, *apiError) {
		return wired(v.cancelByIDLocked(q.Get("id"), q.Get("market"), now))
	})
	v.private("DELETE /api/v1/private/orders", func(q url.Values, now time.Time) (any, *apiError) {
		return wiredAll(v.cancelAllLocked(q.Get("market"), now)), nil
	})
	v.private("GET /api/v1/private/order", func(q url.Values, _ time.Time) (any, *apiError) {
		return wired(v.findLocked(q.Get("id"), q.Get("market")))
	})
	v.private("GET /api/v1/private/orders", func(q url.Values, _ time.Time) (any, *apiError) {
		status := q.Get("status")
		if status != "open" && status != "closed" && status != "all" {
			return nil, reject(CodeBadRequest, "status must be open, closed or all")
		}
		return wiredAll(v.ordersLocked(status, q.Get("market"), sinceOf(q), limitOf(q, 0))), nil
	})
	v.private("GET /api/v1/private/fills", func(q url.Values, _ time.Time) (any, *apiError) {
		fills := v.fillsLocked(q.Get("market"), sinceOf(q), limitOf(q, 0))
		out := make([]wireFill, len(fills))
		for i, f := range fills {
			out[i] = f.wire()
		}
		return out, nil
	})
	v.private("GET /api/v1/private/positions", func(url.Values, time.Time) (any, *apiError) { return v.positionsLocked(), nil })
	v.private("POST /api/v1/private/leverage", func(q url.Values, _ time.Time) (any, *apiError) {
		lev, e := v.setLeverageLocked(q.Get("market"), q.Get("leverage"))
		if e != nil {
			return nil, e
		}
		return map[string]any{"market": q.Get("market"), "leverage": lev}, nil
	})
	v.private("GET /api/v1/private/leverage", func(q url.Values, _ time.Time) (any, *apiError) {
		lev, e := v.leverageLocked(q.Get("market"))
		if e != nil {
			return nil, e
		}
		return map[string]any{"market": q.Get("market"), "leverage": lev}, nil
	})
}

// public registers an unsigned route.
func (v *Venue) public(pattern string, h handler) {
	v.api.Handle(pattern, func(w http.ResponseWriter, r *http.Request) { v.answer(w, r.URL.Query(), h) })
}

// private registers a signed route: h runs once the key, the signature and
// the timestamp have been checked, with the signed query.
func (v *Venue) private(pattern string, h handler) {
	v.api.HandlePrivate(pattern, func(w http.ResponseWriter, r *http.Request) {
		q, e := v.authenticate(r)
		if e != nil {
			status := http.StatusUnauthorized
			if e.Code == CodeTimestamp {
				status = http.StatusBadRequest
			}
			fakeserver.WriteJSON(w, status, e)
			return
		}
		v.answer(w, q, h)
	})
}

// answer runs h under the lock, publishes what it changed and replies.
func (v *Venue) answer(w http.ResponseWriter, q url.Values, h handler) {
	v.mu.Lock()
	reply, e := h(q, v.now())
	var body []byte
	if e == nil {
		body, _ = json.Marshal(reply) // marshalled under the lock: replies share the books' slices
	}
	v.flushLocked()
	v.mu.Unlock()
	if e != nil {
		fakeserver.WriteJSON(w, http.StatusBadRequest, e)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(body)
}

// withBook resolves the "market" parameter first.
func (v *Venue) withBook(h func(b *book, q url.Values, now time.Time) (any, *apiError)) handler {
	return func(q url.Values, now time.Time) (any, *apiError) {
		b := v.byID[q.Get("market")]
		if b == nil {
			return nil, reject(CodeBadMarket, "unknown market "+strconv.Quote(q.Get("market")))
		}
		return h(b, q, now)
	}
}

func wired(o *order, e *apiError) (any, *apiError) {
	if e != nil {
		return nil, e
	}
	return o.wire(), nil
}

func wiredAll(os []*order) []wireOrder {
	out := make([]wireOrder, len(os))
	for i, o := range os {
		out[i] = o.wire()
	}
	return out
}

// limitOf reads "limit", capped at MaxLimit; def when absent.
func limitOf(q url.Values, def int) int {
	n, err := strconv.Atoi(q.Get("limit"))
	if err != nil || n <= 0 {
		n = def
	}
	if n <= 0 || n > MaxLimit {
		n = MaxLimit
	}
	return n
}

// sinceOf reads "since" (ms); zero when absent.
func sinceOf(q url.Values) time.Time {
	ms, err := strconv.ParseInt(q.Get("since"), 10, 64)
	if err != nil {
		return time.Time{}
	}
	return time.UnixMilli(ms)
}

func (v *Venue) restMarkets(url.Values, time.Time) (any, *apiError) {
	out := make([]wireMarket, len(v.markets))
	for i, b := range v.markets {
		m := b.m
		w := wireMarket{ID: m.ID, Base: m.Base, Quote: m.Quote, Settle: m.Settle, Type: "spot", Tick: m.Tick().String(),
			Lot: m.Lot().String(), MinAmount: m.amount(m.MinLots).String(), MinNotional: m.MinNotional.String(),
			Maker: m.Maker.String(), Taker: m.Taker.String(), MaxLeverage: m.MaxLeverage}
		if m.Perpetual {
			w.Type = "perp"
		}
		out[i] = w
	}
	return out, nil
}

// currencyNames are the names the venue gives the codes it knows.
var currencyNames = map[string]string{"BTC": "Bitcoin", "ETH": "Ether", "USDT": "Tether USD"}

func (v *Venue) restCurrencies(url.Values, time.Time) (any, *apiError) {
	decimals := map[string]int32{}
	for _, b := range v.markets {
		decimals[b.m.Base] = max(decimals[b.m.Base], b.m.AmountDecimals)
		decimals[b.m.Quote] = max(decimals[b.m.Quote], b.m.PriceDecimals+b.m.AmountDecimals)
	}
	var out []wireCurrency
	for _, code := range sortedKeys(decimals) {
		name := currencyNames[code]
		if name == "" {
			name = code
		}
		out = append(out, wireCurrency{Code: code, Name: name, Decimals: decimals[code]})
	}
	return out, nil
}

func (v *Venue) restDepth(b *book, q url.Values, now time.Time) (any, *apiError) {
	depth := limitOf(q, MaxLimit)
	levels := func(l *ladder) [][2]string {
		pairs := l.levelsTo(nil, depth)
		out := make([][2]string, 0, len(pairs)/2)
		for i := 0; i < len(pairs); i += 2 {
			out = append(out, [2]string{string(appendFixed(nil, pairs[i], b.m.PriceDecimals)), string(appendFixed(nil, pairs[i+1], b.m.AmountDecimals))})
		}
		return out
	}
	return map[string]any{"market": b.m.ID, "seq": b.seq, "ts": now.UnixMilli(), "bids": levels(&b.bids), "asks": levels(&b.asks)}, nil
}

func (v *Venue) restKlines(b *book, q url.Values, now time.Time) (any, *apiError) {
	tf, ok := timeframes[q.Get("interval")]
	if !ok {
		return nil, reject(CodeBadRequest, "unknown interval "+strconv.Quote(q.Get("interval")))
	}
	var start, end time.Time
	if ms, err := strconv.ParseInt(q.Get("start"), 10, 64); err == nil {
		start = time.UnixMilli(ms)
	}
	if ms, err := strconv.ParseInt(q.Get("end"), 10, 64); err == nil {
		end = time.UnixMilli(ms)
	}
	return wireBars(b.m, b.candles.bars(tf, start, end, now, limitOf(q, 500))), nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// wsRequest is a client's WebSocket message.
type wsRequest struct {
	Op    string          `json:"op"`
	ID    int64           `json:"id"`
	Args  []string        `json:"args"`
	Key   string          `json:"key"`
	TS    int64           `json:"ts"`
	Sig   string          `json:"sig"`
	Order json.RawMessage `json:"order"`
}

// wsReply acknowledges a request.
type wsReply struct {
	Ack   int64     `json:"ack"`
	Data  any       `json:"data,omitempty"`
	Error *apiError `json:"error,omitempty"`
}

// privateChannels need a login.
var privateChannels = map[string]bool{"orders": true, "fills": true, "balance": true, "positions": true}

// serve runs one WebSocket connection.
func (v *Venue) serve(c *fakeserver.Conn) {
	defer func() {
		v.mu.Lock()
		for _, subs := range v.subs {
			delete(subs, c)
		}
		delete(v.authed, c)
		v.mu.Unlock()
	}()
	for {
		raw, err := c.Read(context.Background())
		if err != nil {
			return
		}
		var r wsRequest
		if json.Unmarshal(raw, &r) != nil {
			continue
		}
		switch r.Op {
		case "ping":
			_ = c.Send([]byte(`{"op":"pong"}`))
		case "login":
			v.reply(c, wsReply{Ack: r.ID, Error: v.login(c, r)})
		case "sub", "unsub":
			v.subscribe(c, r)
		case "order.create", "order.amend", "order.cancel":
			v.wsOrder(c, r)
		default:
			v.reply(c, wsReply{Ack: r.ID, Error: reject(CodeBadRequest, "unknown op "+strconv.Quote(r.Op))})
		}
	}
}

func (v *Venue) reply(c *fakeserver.Conn, r wsReply) {
	b, _ := json.Marshal(r)
	_ = c.Send(b)
}

// subscribe answers sub and unsub; a book subscription is answered, under
// the lock so that no delta can overtake it, with the book's snapshot.
func (v *Venue) subscribe(c *fakeserver.Conn, r wsRequest) {
	v.mu.Lock()
	defer v.mu.Unlock()
	for _, ch := range r.Args {
		if !v.channelExists(ch) {
			v.reply(c, wsReply{Ack: r.ID, Error: reject(CodeBadRequest, "unknown channel "+strconv.Quote(ch))})
			return
		}
		if privateChannels[ch] && !v.authed[c] && r.Op == "sub" {
			v.reply(c, wsReply{Ack: r.ID, Error: reject(CodeLoginFirst, "log in before subscribing to "+ch)})
			return
		}
	}
	for _, ch := range r.Args {
		if r.Op == "unsub" {
			delete(v.subs[ch], c)
			continue
		}
		if v.subs[ch] == nil {
			v.subs[ch] = map[*fakeserver.Conn]bool{}
		}
		v.subs[ch][c] = true
	}
	v.reply(c, wsReply{Ack: r.ID})
	if r.Op != "sub" {
		return
	}
	for _, ch := range r.Args {
		if id, ok := strings.CutPrefix(ch, "book:"); ok {
			_ = c.Send(v.byID[id].snapshotFrame(v.now()))
		} else if snap := v.tickerSnapshot(ch, v.now()); snap != nil {
			v.sendJSON(map[*fakeserver.Conn]bool{c: true}, snap)
		}
	}
}

// channelExists reports whether ch names a channel of the venue.
func (v *Venue) channelExists(ch string) bool {
	if privateChannels[ch] {
		return true
	}
	kind, rest, _ := strings.Cut(ch, ":")
	switch kind {
	case "book", "trades", "ticker", "bbo":
		return v.byID[rest] != nil
	case "funding":
		return v.byID[rest] != nil && v.byID[rest].m.Perpetual
	case "ohlcv":
		tf, id, _ := strings.Cut(rest, ":")
		_, ok := timeframes[tf]
		return ok && v.byID[id] != nil
	}
	return false
}

// wsOrder places, amends or cancels an order over the WebSocket.
func (v *Venue) wsOrder(c *fakeserver.Conn, r wsRequest) {
	v.mu.Lock()
	if !v.authed[c] {
		v.mu.Unlock()
		v.reply(c, wsReply{Ack: r.ID, Error: reject(CodeLoginFirst, "log in before trading")})
		return
	}
	var (
		o *order
		e *apiError
	)
	now := v.now()
	switch r.Op {
	case "order.create":
		var req orderRequest
		if json.Unmarshal(r.Order, &req) != nil {
			e = reject(CodeBadRequest, "malformed order")
		} else {
			o, e = v.placeLocked(req, now)
		}
	case "order.amend":
		var ref struct{ ID, Market, Price, Amount string }
		if json.Unmarshal(r.Order, &ref) != nil {
			e = reject(CodeBadRequest, "malformed order amendment")
		} else {
			o, e = v.amendLocked(ref.ID, ref.Market, ref.Price, ref.Amount, now)
		}
	default:
		var ref struct{ ID, Market string }
		if json.Unmarshal(r.Order, &ref) != nil {
			e = reject(CodeBadRequest, "malformed order reference")
		} else {
			o, e = v.cancelByIDLocked(ref.ID, ref.Market, now)
		}
	}
	var data any
	if o != nil {
		data = o.wire()
	}
	v.flushLocked()
	v.mu.Unlock()
	v.reply(c, wsReply{Ack: r.ID, Data: data, Error: e})
}
