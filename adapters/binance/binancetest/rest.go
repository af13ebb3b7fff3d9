package binancetest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The REST API: per-product paths (/api/v3, /fapi/v1 and /fapi/v2-3,
// /dapi/v1), request weights reported in X-MBX-USED-WEIGHT-1M, the
// security types NONE, USER_STREAM (X-MBX-APIKEY only) and SIGNED
// (X-MBX-APIKEY, signature, timestamp), and error replies in Binance's
// shape.

// security is an endpoint's security type.
type security int

const (
	secNone       security = iota // public market data
	secUserStream                 // listen keys: API key, no signature
	secSigned                     // TRADE and USER_DATA
)

// endpoint is one REST route.
type endpoint struct {
	method, path string
	weight       func(q url.Values) int
	sec          security
	h            func(q url.Values, now time.Time) (any, *apiError)
}

// weight is a fixed request weight.
func weight(n int) func(url.Values) int { return func(url.Values) int { return n } }

// restState is the REST side's faults and counters.
type restState struct {
	maintenance  bool
	throttleEnd  time.Time
	throttled    int
	expired      bool // the API key is refused (ExpireAuth)
	rotated      bool // signatures are checked with another secret
	weightWindow time.Time
	usedWeight   int
	orderWindow  time.Time // the 10-second order-count window
	orders10s    int
	orders1d     int
}

// prefix is the REST path prefix of the product.
func (s *Server) prefix() string {
	return map[Product]string{Spot: "/api/v3", USDM: "/fapi/v1", COINM: "/dapi/v1"}[s.cfg.Product]
}

// routeREST registers the product's endpoints.
func (s *Server) routeREST() {
	p := s.prefix()
	public := []endpoint{
		{"GET", p + "/ping", weight(1), secNone, func(url.Values, time.Time) (any, *apiError) { return struct{}{}, nil }},
		{"GET", p + "/time", weight(1), secNone, func(_ url.Values, now time.Time) (any, *apiError) {
			return map[string]int64{"serverTime": now.UnixMilli()}, nil
		}},
		{"GET", p + "/exchangeInfo", weight(s.pick(20, 1, 1)), secNone, s.restExchangeInfo},
		{"GET", p + "/depth", s.depthWeight, secNone, s.withMarket(s.restDepth)},
		{"GET", p + "/trades", weight(s.pick(25, 5, 5)), secNone, s.withMarket(s.restTrades)},
		{"GET", p + "/aggTrades", weight(s.pick(4, 20, 20)), secNone, s.withMarket(s.restAggTrades)},
		{"GET", p + "/klines", s.klineWeight, secNone, s.withMarket(s.restKlines)},
		{"GET", p + "/ticker/24hr", s.manyWeight(2, 80), secNone, s.eachMarket(s.restTicker)},
		{"GET", p + "/ticker/bookTicker", s.manyWeight(2, 4), secNone, s.eachMarket(s.restBookTicker)},
		{"GET", p + "/ticker/price", s.manyWeight(2, 4), secNone, s.eachMarket(s.restPrice)},
	}
	if s.cfg.Product.futures() {
		public = append(public, endpoint{"GET", p + "/premiumIndex", weight(1), secNone, s.eachMarket(s.restPremiumIndex)})
	}
	for _, ep := range append(append(public, s.accountEndpoints()...), s.restEditEndpoints()...) {
		s.api.Handle(ep.method+" "+ep.path, s.serve(ep))
	}
}

// pick chooses a value per product.
func (s *Server) pick(spot, usdm, coinm int) int {
	return map[Product]int{Spot: spot, USDM: usdm, COINM: coinm}[s.cfg.Product]
}

// serve runs one endpoint: faults, weight, security, then the handler
// under the server's lock.
func (s *Server) serve(ep endpoint) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if r.Method == http.MethodGet {
			body = nil // GET parameters travel in the query only
		}
		s.mu.Lock()
		st := &s.rest
		if st.maintenance {
			s.mu.Unlock()
			writeError(w, &apiError{Code: codeMaintenance, Msg: msgMaintenance, status: http.StatusServiceUnavailable})
			return
		}
		if left := time.Until(st.throttleEnd); left > 0 {
			st.throttled++
			s.mu.Unlock()
			w.Header().Set("Retry-After", retryAfter(left))
			writeError(w, &apiError{Code: codeTooManyRequests, status: http.StatusTooManyRequests,
				Msg: "Too much request weight used; current limit is " + strconv.Itoa(s.pick(6000, 2400, 2400)) +
					" request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API."})
			return
		}
		now := s.now()
		q, e := mergeParams(r.URL.RawQuery, body)
		if e == nil {
			w.Header().Set("X-MBX-USED-WEIGHT-1M", strconv.Itoa(s.useWeight(ep.weight(q), now)))
			if ep.sec != secNone {
				e = s.authREST(r, body, q, ep.sec, now)
			}
		}
		var reply any
		if e == nil {
			reply, e = ep.h(q, now)
		}
		var out []byte
		if e == nil {
			out = mustJSON(reply) // under the lock: replies share the server's state
			if ep.method == http.MethodPost && strings.HasSuffix(ep.path, "/order") {
				s.countOrder(w, now)
			}
		}
		s.mu.Unlock()
		if e != nil {
			writeError(w, e)
			return
		}
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		_, _ = w.Write(out)
	}
}

// writeError writes a Binance error reply.
func writeError(w http.ResponseWriter, e *apiError) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(e.status)
	_, _ = w.Write(mustJSON(e))
}

// retryAfter writes d as Retry-After seconds, rounded up to the
// millisecond; whole seconds as Binance sends them, a fraction when d is
// not whole (tests throttle for less than a second).
func retryAfter(d time.Duration) string {
	ms := (d + time.Millisecond - 1) / time.Millisecond
	if ms%1000 == 0 {
		return strconv.FormatInt(int64(ms/1000), 10)
	}
	return strconv.FormatFloat(float64(ms)/1000, 'f', -1, 64)
}

// mergeParams reads the query and a form body; a parameter in both takes
// the query's value, as the docs say.
func mergeParams(rawQuery string, body []byte) (url.Values, *apiError) {
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return nil, reject(codeIllegalChars, "Illegal characters found in a parameter.")
	}
	if len(body) == 0 {
		return q, nil
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, reject(codeIllegalChars, "Illegal characters found in a parameter.")
	}
	for k, v := range form {
		if _, ok := q[k]; !ok {
			q[k] = v
		}
	}
	return q, nil
}

// useWeight adds a request's weight to the current minute and returns the
// minute's total.
func (s *Server) useWeight(n int, now time.Time) int {
	minute := now.Truncate(time.Minute)
	if !s.rest.weightWindow.Equal(minute) {
		s.rest.weightWindow, s.rest.usedWeight = minute, 0
	}
	s.rest.usedWeight += n
	return s.rest.usedWeight
}

// countOrder counts a placed order and reports the counts in the
// X-MBX-ORDER-COUNT headers (spot: 10S and 1D; futures: 10S and 1M).
func (s *Server) countOrder(w http.ResponseWriter, now time.Time) {
	window := now.Truncate(10 * time.Second)
	if !s.rest.orderWindow.Equal(window) {
		s.rest.orderWindow, s.rest.orders10s = window, 0
	}
	s.rest.orders10s++
	s.rest.orders1d++
	w.Header().Set("X-MBX-ORDER-COUNT-10S", strconv.Itoa(s.rest.orders10s))
	if s.cfg.Product == Spot {
		w.Header().Set("X-MBX-ORDER-COUNT-1D", strconv.Itoa(s.rest.orders1d))
	} else {
		w.Header().Set("X-MBX-ORDER-COUNT-1M", strconv.Itoa(s.rest.orders10s))
	}
}

// authREST checks a private request's API key, signature and timestamp.
func (s *Server) authREST(r *http.Request, body []byte, q url.Values, sec security, now time.Time) *apiError {
	if e := s.checkKey(r.Header.Get("X-MBX-APIKEY")); e != nil || sec == secUserStream {
		return e
	}
	payload, sig, found := restPayload(r.URL.RawQuery, body)
	if !found {
		return mandatory("signature")
	}
	if !verifySignature(s.secret(), payload, sig) {
		return reject(codeSignature, msgSignature)
	}
	return checkTimestamp(s.cfg.Product == Spot, q.Get("timestamp"), q.Get("recvWindow"), now)
}

// checkKey refuses a missing, unknown or expired API key.
func (s *Server) checkKey(key string) *apiError {
	switch {
	case key == "":
		return unauthorized(codeBadKeyFormat, msgBadKeyFormat)
	case key != s.cfg.APIKey || s.rest.expired:
		return unauthorized(codeRejectedKey, msgRejectedKey)
	}
	return nil
}

// secret is the secret signatures are checked with (another one while
// RejectSignatures is on).
func (s *Server) secret() string {
	if s.rest.rotated {
		return s.cfg.Secret + "-rotated"
	}
	return s.cfg.Secret
}

// withMarket resolves the mandatory symbol parameter first.
func (s *Server) withMarket(h func(m *market, q url.Values, now time.Time) (any, *apiError)) func(url.Values, time.Time) (any, *apiError) {
	return func(q url.Values, now time.Time) (any, *apiError) {
		m, e := s.symbolParam(q)
		if e != nil {
			return nil, e
		}
		return h(m, q, now)
	}
}

// symbolParam reads the mandatory symbol parameter.
func (s *Server) symbolParam(q url.Values) (*market, *apiError) {
	id := q.Get("symbol")
	if id == "" {
		return nil, mandatory("symbol")
	}
	m := s.byID[id]
	if m == nil {
		return nil, reject(codeBadSymbol, "Invalid symbol.")
	}
	return m, nil
}

// eachMarket answers for one symbol (an object), several (spot's symbols
// parameter, an array) or all (an array).
func (s *Server) eachMarket(h func(m *market, now time.Time) any) func(url.Values, time.Time) (any, *apiError) {
	return func(q url.Values, now time.Time) (any, *apiError) {
		if q.Get("symbol") != "" && q.Get("symbols") != "" {
			return nil, reject(codeInvalidParam, "Parameter 'symbol' and 'symbols' cannot be used in combination.")
		}
		if q.Get("symbol") != "" {
			m, e := s.symbolParam(q)
			if e != nil {
				return nil, e
			}
			return h(m, now), nil
		}
		ms, e := s.symbolsParam(q)
		if e != nil {
			return nil, e
		}
		out := make([]any, len(ms))
		for i, m := range ms {
			out[i] = h(m, now)
		}
		return out, nil
	}
}

// symbolsParam reads spot's symbols parameter, a JSON array of ids; all
// markets when absent.
func (s *Server) symbolsParam(q url.Values) ([]*market, *apiError) {
	raw := q.Get("symbols")
	if raw == "" {
		return s.markets, nil
	}
	var ids []string
	if json.Unmarshal([]byte(raw), &ids) != nil {
		return nil, invalidParam("symbols")
	}
	out := make([]*market, 0, len(ids))
	for _, id := range ids {
		m := s.byID[id]
		if m == nil {
			return nil, reject(codeBadSymbol, "Invalid symbol.")
		}
		out = append(out, m)
	}
	return out, nil
}

// manyWeight is the weight of a ticker endpoint: one for a symbol, all for
// none.
func (s *Server) manyWeight(one, all int) func(url.Values) int {
	return func(q url.Values) int {
		if q.Get("symbol") != "" {
			return one
		}
		return all
	}
}

// limitParam reads limit: def when absent, capped at max; a malformed or
// non-positive limit is refused.
func limitParam(q url.Values, def, max int) (int, *apiError) {
	raw := q.Get("limit")
	if raw == "" {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n <= 0 {
		return 0, invalidParam("limit")
	}
	return min(n, max), nil
}

// timeParam reads a millisecond timestamp parameter; zero when absent.
func timeParam(q url.Values, name string) (time.Time, *apiError) {
	raw := q.Get(name)
	if raw == "" {
		return time.Time{}, nil
	}
	ms, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		return time.Time{}, invalidParam(name)
	}
	return time.UnixMilli(ms), nil
}

// idParam reads an id parameter (orderId, fromId); ok is false when absent.
func idParam(q url.Values, name string) (int64, bool, *apiError) {
	raw := q.Get(name)
	if raw == "" {
		return 0, false, nil
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		return 0, false, invalidParam(name)
	}
	return id, true, nil
}

// depthLimit is the depth request's limit: spot 100 by default, at most
// 5000; futures 500 by default, at most 1000.
func (s *Server) depthLimit(q url.Values) (int, *apiError) {
	if s.cfg.Product == Spot {
		return limitParam(q, 100, 5000)
	}
	return limitParam(q, 500, 1000)
}

// depthWeight is the documented weight of a depth request by its limit.
func (s *Server) depthWeight(q url.Values) int {
	n, e := s.depthLimit(q)
	if e != nil {
		n = 0
	}
	if s.cfg.Product == Spot {
		switch {
		case n <= 100:
			return 5
		case n <= 500:
			return 25
		case n <= 1000:
			return 50
		}
		return 250
	}
	switch {
	case n < 100:
		return 2
	case n < 500:
		return 5
	case n < 1000:
		return 10
	}
	return 20
}

// klineWeight: spot 2; futures by limit (<100: 1, <500: 2, <=1000: 5, more: 10).
func (s *Server) klineWeight(q url.Values) int {
	if s.cfg.Product == Spot {
		return 2
	}
	n, _ := strconv.Atoi(q.Get("limit"))
	switch {
	case n == 0 || n >= 500 && n <= 1000:
		return 5
	case n < 100:
		return 1
	case n < 500:
		return 2
	}
	return 10
}

// depthReply is the REST order book: spot {lastUpdateId, bids, asks};
// futures add E and T (COIN-M symbol and pair too).
type depthReply struct {
	LastUpdateID int64           `json:"lastUpdateId"`
	Symbol       string          `json:"symbol,omitempty"`
	Pair         string          `json:"pair,omitempty"`
	EventTime    int64           `json:"E,omitempty"`
	TradeTime    int64           `json:"T,omitempty"`
	Bids         json.RawMessage `json:"bids"`
	Asks         json.RawMessage `json:"asks"`
}

func (s *Server) restDepth(m *market, q url.Values, now time.Time) (any, *apiError) {
	limit, e := s.depthLimit(q)
	if e != nil {
		return nil, e
	}
	st := m.book.snapshot()
	reply := depthReply{LastUpdateID: st.ID, Bids: appendLevels(nil, m, head(st.Bids, limit)), Asks: appendLevels(nil, m, head(st.Asks, limit))}
	if s.cfg.Product.futures() {
		reply.EventTime, reply.TradeTime = now.UnixMilli(), now.UnixMilli()-1
	}
	if s.cfg.Product == COINM {
		reply.Symbol, reply.Pair = m.id, m.pair
	}
	return reply, nil
}

func head(ls []level, n int) []level { return ls[:min(n, len(ls))] }

// tradeReply is one REST trade; spot marks isBestMatch, COIN-M reports
// baseQty instead of quoteQty.
type tradeReply struct {
	ID          int64  `json:"id"`
	Price       string `json:"price"`
	Qty         string `json:"qty"`
	QuoteQty    string `json:"quoteQty,omitempty"`
	BaseQty     string `json:"baseQty,omitempty"`
	Time        int64  `json:"time"`
	BuyerMaker  bool   `json:"isBuyerMaker"`
	IsBestMatch *bool  `json:"isBestMatch,omitempty"`
}

func (s *Server) restTrades(m *market, q url.Values, _ time.Time) (any, *apiError) {
	limit, e := limitParam(q, 500, 1000)
	if e != nil {
		return nil, e
	}
	recent := m.trades.kept()
	out := []tradeReply{}
	for _, tr := range recent[max(0, len(recent)-limit):] {
		out = append(out, s.tradeReply(m, tr))
	}
	return out, nil
}

func (s *Server) tradeReply(m *market, tr trade) tradeReply {
	r := tradeReply{ID: tr.id, Price: m.fmtPrice(tr.price), Qty: m.fmtQty(tr.qty), Time: tr.time.UnixMilli(), BuyerMaker: tr.buyerMaker}
	value := decString(m.notional(tr.price, tr.qty), quoteDec(m))
	switch s.cfg.Product {
	case Spot:
		best := true
		r.IsBestMatch, r.QuoteQty = &best, value
	case USDM:
		r.QuoteQty = value
	case COINM:
		r.BaseQty = value
	}
	return r
}

// aggTradeReply is one REST aggregate trade.
type aggTradeReply struct {
	AggID      int64  `json:"a"`
	Price      string `json:"p"`
	Qty        string `json:"q"`
	FirstID    int64  `json:"f"`
	LastID     int64  `json:"l"`
	Time       int64  `json:"T"`
	BuyerMaker bool   `json:"m"`
	BestMatch  *bool  `json:"M,omitempty"`
}

// restAggTrades filters the recent trades (each its own aggregate) by
// fromId, or startTime and endTime, inclusive; the most recent ones
// otherwise. Trades older than the tape are not kept.
func (s *Server) restAggTrades(m *market, q url.Values, _ time.Time) (any, *apiError) {
	limit, e := limitParam(q, 500, 1000)
	if e != nil {
		return nil, e
	}
	fromID, hasFrom, e := idParam(q, "fromId")
	if e != nil {
		return nil, e
	}
	start, e := timeParam(q, "startTime")
	if e != nil {
		return nil, e
	}
	end, e := timeParam(q, "endTime")
	if e != nil {
		return nil, e
	}
	var picked []trade
	for _, tr := range m.trades.kept() {
		if (hasFrom && tr.id < fromID) || (!start.IsZero() && tr.time.Before(start)) || (!end.IsZero() && tr.time.After(end)) {
			continue
		}
		picked = append(picked, tr)
	}
	if len(picked) > limit {
		if hasFrom || !start.IsZero() {
			picked = picked[:limit]
		} else {
			picked = picked[len(picked)-limit:]
		}
	}
	out := []aggTradeReply{}
	for _, tr := range picked {
		r := aggTradeReply{AggID: tr.id, Price: m.fmtPrice(tr.price), Qty: m.fmtQty(tr.qty), FirstID: tr.id, LastID: tr.id,
			Time: tr.time.UnixMilli(), BuyerMaker: tr.buyerMaker}
		if s.cfg.Product == Spot {
			best := true
			r.BestMatch = &best
		}
		out = append(out, r)
	}
	return out, nil
}

// restKlines pages as the docs say: without startTime and endTime the most
// recent candles; with startTime the oldest from it; with endTime the most
// recent up to it; with both, from startTime up to endTime.
func (s *Server) restKlines(m *market, q url.Values, now time.Time) (any, *apiError) {
	if q.Get("interval") == "" {
		return nil, mandatory("interval")
	}
	iv, ok := intervals[q.Get("interval")]
	if !ok {
		return nil, reject(codeBadInterval, "Invalid interval.")
	}
	limit, e := limitParam(q, 500, s.pick(1000, 1500, 1500))
	if e != nil {
		return nil, e
	}
	start, e := timeParam(q, "startTime")
	if e != nil {
		return nil, e
	}
	end, e := timeParam(q, "endTime")
	if e != nil {
		return nil, e
	}
	out := [][]any{}
	for _, c := range m.trades.klines(iv, start, end, limit, now) {
		out = append(out, klineRow(m, iv, c))
	}
	return out, nil
}

// tickerReply is the REST 24hr ticker. Spot has prevClosePrice and the
// touch; COIN-M has pair and baseVolume where USD-M has quoteVolume.
type tickerReply struct {
	Symbol      string `json:"symbol"`
	Pair        string `json:"pair,omitempty"`
	Change      string `json:"priceChange"`
	Percent     string `json:"priceChangePercent"`
	Weighted    string `json:"weightedAvgPrice"`
	PrevClose   string `json:"prevClosePrice,omitempty"`
	Last        string `json:"lastPrice"`
	LastQty     string `json:"lastQty"`
	Bid         string `json:"bidPrice,omitempty"`
	BidQty      string `json:"bidQty,omitempty"`
	Ask         string `json:"askPrice,omitempty"`
	AskQty      string `json:"askQty,omitempty"`
	Open        string `json:"openPrice"`
	High        string `json:"highPrice"`
	Low         string `json:"lowPrice"`
	Volume      string `json:"volume"`
	QuoteVolume string `json:"quoteVolume,omitempty"`
	BaseVolume  string `json:"baseVolume,omitempty"`
	OpenTime    int64  `json:"openTime"`
	CloseTime   int64  `json:"closeTime"`
	FirstID     int64  `json:"firstId"`
	LastID      int64  `json:"lastId"`
	Count       int64  `json:"count"`
}

func (s *Server) restTicker(m *market, now time.Time) any {
	ev := s.tickerEvent(m, now)
	r := tickerReply{Symbol: m.id, Change: ev.Change, Percent: ev.Percent, Weighted: ev.Weighted, PrevClose: ev.PrevClose,
		Last: ev.Last, LastQty: ev.LastQty, Bid: ev.Bid, BidQty: ev.BidQty, Ask: ev.Ask, AskQty: ev.AskQty, Open: ev.Open,
		High: ev.High, Low: ev.Low, Volume: ev.Volume, OpenTime: ev.OpenTime, CloseTime: ev.CloseTime, FirstID: ev.FirstID,
		LastID: ev.LastID, Count: ev.Count}
	if s.cfg.Product == COINM {
		r.Pair, r.BaseVolume = m.pair, ev.Quote
	} else {
		r.QuoteVolume = ev.Quote
	}
	return r
}

// bookTickerReply is the REST best bid and ask; futures add the book's
// update id and the time (COIN-M the pair).
type bookTickerReply struct {
	LastUpdateID int64  `json:"lastUpdateId,omitempty"`
	Symbol       string `json:"symbol"`
	Pair         string `json:"pair,omitempty"`
	BidPrice     string `json:"bidPrice"`
	BidQty       string `json:"bidQty"`
	AskPrice     string `json:"askPrice"`
	AskQty       string `json:"askQty"`
	Time         int64  `json:"time,omitempty"`
}

func (s *Server) restBookTicker(m *market, now time.Time) any {
	bt := s.bookTicker(m, now)
	r := bookTickerReply{Symbol: m.id, Pair: bt.Pair, BidPrice: bt.Bid, BidQty: bt.BidQty, AskPrice: bt.Ask, AskQty: bt.AskQty}
	if s.cfg.Product.futures() {
		r.LastUpdateID, r.Time = m.book.lastID, now.UnixMilli()
	}
	return r
}

// priceReply is the REST last price.
type priceReply struct {
	Symbol string `json:"symbol"`
	Pair   string `json:"ps,omitempty"`
	Price  string `json:"price"`
	Time   int64  `json:"time,omitempty"`
}

func (s *Server) restPrice(m *market, now time.Time) any {
	r := priceReply{Symbol: m.id, Price: m.fmtPrice(m.trades.lastPrice())}
	if s.cfg.Product.futures() {
		r.Time = now.UnixMilli()
	}
	if s.cfg.Product == COINM {
		r.Pair = m.pair
	}
	return r
}

// premiumReply is the futures premiumIndex: mark and index price, funding.
type premiumReply struct {
	Symbol          string `json:"symbol"`
	Pair            string `json:"pair,omitempty"`
	MarkPrice       string `json:"markPrice"`
	IndexPrice      string `json:"indexPrice"`
	EstimatedSettle string `json:"estimatedSettlePrice"`
	LastFundingRate string `json:"lastFundingRate"`
	InterestRate    string `json:"interestRate"`
	NextFundingTime int64  `json:"nextFundingTime"`
	Time            int64  `json:"time"`
}

func (s *Server) restPremiumIndex(m *market, now time.Time) any {
	ev := s.markPriceEvent(m, now)
	r := premiumReply{Symbol: m.id, MarkPrice: ev.Mark, IndexPrice: ev.Index, EstimatedSettle: ev.Settle,
		LastFundingRate: ev.FundingRate, InterestRate: "0.00010000", NextFundingTime: ev.NextFunding, Time: now.UnixMilli()}
	if s.cfg.Product == COINM {
		r.Pair = m.pair
	}
	if !m.delivery.IsZero() {
		r.InterestRate = ""
	}
	return r
}
