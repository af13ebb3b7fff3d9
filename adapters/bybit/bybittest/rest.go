package bybittest

import (
	"cmp"
	"encoding/json"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/unifex-go/unifex/internal/fakeserver"
)

// REST: the /v5/market routes, public, and the signed account, order,
// execution and position routes. Every reply has Bybit's envelope
// {"retCode","retMsg","result","retExtInfo","time"} with HTTP 200, errors
// included, as Bybit answers.

// Bybit's retCodes the fake answers with.
const (
	codeParam        = 10001  // request parameter error
	codeTimestamp    = 10002  // timestamp outside the receive window
	codeAPIKey       = 10003  // API key is invalid
	codeSign         = 10004  // error sign
	codeRateLimit    = 10006  // too many visits
	codeOrderMissing = 110001 // order does not exist
	codeNoBalance    = 110007 // available balance not enough (derivatives)
	codeLevNoChange  = 110043 // leverage not modified
	codeSpotBalance  = 170131 // insufficient balance (spot)
	codeSpotSymbol   = 170121 // invalid symbol (spot)
	codeSymbol       = 10001  // invalid symbol (derivatives: a parameter error)
)

// envelope is every REST reply.
type envelope struct {
	RetCode    int    `json:"retCode"`
	RetMsg     string `json:"retMsg"`
	Result     any    `json:"result"`
	RetExtInfo any    `json:"retExtInfo"`
	Time       int64  `json:"time"`
}

func (s *Server) ok(w http.ResponseWriter, result any) {
	fakeserver.WriteJSON(w, http.StatusOK, envelope{RetMsg: "OK", Result: result, RetExtInfo: struct{}{}, Time: s.now().UnixMilli()})
}

func (s *Server) fail(w http.ResponseWriter, code int, msg string) {
	fakeserver.WriteJSON(w, http.StatusOK, envelope{RetCode: code, RetMsg: msg, Result: struct{}{}, RetExtInfo: struct{}{}, Time: s.now().UnixMilli()})
}

// apiError is a refusal with its retCode.
type apiError struct {
	code int
	msg  string
}

func (e *apiError) Error() string { return e.msg }

func paramErr(msg string) *apiError { return &apiError{codeParam, msg} }

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("bybittest: " + err.Error()) // only our own types are marshalled
	}
	return b
}

func (s *Server) routeREST() {
	pub := func(path string, h func(w http.ResponseWriter, r *http.Request)) { s.api.Handle("GET "+path, h) }
	pub("/v5/market/time", s.restTime)
	pub("/v5/market/instruments-info", s.restInstruments)
	pub("/v5/market/orderbook", s.restOrderbook)
	pub("/v5/market/tickers", s.restTickers)
	pub("/v5/market/recent-trade", s.restRecentTrades)
	pub("/v5/market/kline", s.restKline)
	pub("/v5/market/funding/history", s.restFunding)
	priv := func(method, path string, limit int, h func(p params) (any, *apiError)) {
		s.api.HandlePrivate(method+" "+path, func(w http.ResponseWriter, r *http.Request) { s.signed(w, r, path, limit, h) })
	}
	priv("GET", "/v5/account/wallet-balance", 50, s.restWallet)
	priv("POST", "/v5/order/create", 10, s.restCreate)
	priv("POST", "/v5/order/amend", 10, s.restAmend)
	priv("POST", "/v5/order/cancel", 10, s.restCancel)
	priv("POST", "/v5/order/cancel-all", 10, s.restCancelAll)
	priv("GET", "/v5/order/realtime", 50, s.restOpenOrders)
	priv("GET", "/v5/order/history", 50, s.restOrderHistory)
	priv("GET", "/v5/execution/list", 50, s.restExecutions)
	priv("GET", "/v5/position/list", 50, s.restPositions)
	priv("POST", "/v5/position/set-leverage", 10, s.restSetLeverage)
}

func (s *Server) restTime(w http.ResponseWriter, _ *http.Request) {
	now := s.now()
	s.ok(w, map[string]string{"timeSecond": itoa(now.Unix()), "timeNano": itoa(now.UnixNano())})
}

// category reads the category parameter.
func category(r *http.Request, allowed ...Category) (Category, *apiError) {
	c := Category(r.URL.Query().Get("category"))
	if c == "" {
		return "", paramErr("params error: category is required")
	}
	for _, a := range allowed {
		if c == a {
			return c, nil
		}
	}
	return "", paramErr("params error: category is invalid")
}

var allCategories = []Category{Spot, Linear, Inverse}

// limitParam reads limit with a default and a maximum.
func limitParam(r *http.Request, def, most int) (int, *apiError) {
	v := r.URL.Query().Get("limit")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > most {
		return 0, paramErr("params error: limit is invalid")
	}
	return n, nil
}

// cursor pages: a cursor is the offset of the page's first item, written
// URL-encoded as Bybit's are ("page%3D20"); sent back as is, the query
// decodes it once ("page=20"), and a client that escapes it again sends
// the encoded form.
func cursorOffset(v string) (int, bool) {
	if v == "" {
		return 0, true
	}
	rest, ok := strings.CutPrefix(v, "page=")
	if !ok {
		rest, ok = strings.CutPrefix(v, "page%3D")
	}
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	return n, err == nil && n >= 0
}

func cursorAt(n int) string { return "page%3D" + strconv.Itoa(n) }

// page cuts items [off, off+limit) and the next cursor ("" at the end).
func page[T any](items []T, off, limit int) ([]T, string) {
	if off > len(items) {
		off = len(items)
	}
	end := min(len(items), off+limit)
	next := ""
	if end < len(items) {
		next = cursorAt(end)
	}
	return items[off:end], next
}

func (s *Server) public(w http.ResponseWriter, h func() (any, *apiError)) {
	res, err := h()
	if err != nil {
		s.fail(w, err.code, err.msg)
		return
	}
	s.ok(w, res)
}

// symbolParam reads a required symbol of category cat.
func (s *Server) symbolParam(r *http.Request, cat Category) (*market, *apiError) {
	id := r.URL.Query().Get("symbol")
	if id == "" {
		return nil, paramErr("params error: symbol is required")
	}
	m := s.marketByID(cat, id)
	if m == nil {
		if cat == Spot {
			return nil, &apiError{codeSpotSymbol, "Invalid symbol."}
		}
		return nil, &apiError{codeSymbol, "params error: symbol invalid"}
	}
	return m, nil
}

func (s *Server) restInstruments(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("category") == "option" {
		s.restOptionInstruments(w, r)
		return
	}
	s.public(w, func() (any, *apiError) {
		cat, err := category(r, allCategories...)
		if err != nil {
			return nil, err
		}
		limit, err := limitParam(r, 500, 1000)
		if err != nil {
			return nil, err
		}
		off, ok := cursorOffset(r.URL.Query().Get("cursor"))
		if !ok {
			return nil, paramErr("params error: cursor is invalid")
		}
		var list []any
		s.mu.Lock()
		for _, m := range s.markets {
			if m.cat == cat && (r.URL.Query().Get("symbol") == "" || r.URL.Query().Get("symbol") == m.id) {
				list = append(list, s.instrument(m))
			}
		}
		s.mu.Unlock()
		next := ""
		if cat != Spot { // spot is not paged: limit and cursor are ignored
			list, next = page(list, off, limit)
		}
		if list == nil {
			list = []any{}
		}
		return map[string]any{"category": cat, "list": list, "nextPageCursor": next}, nil
	})
}

// instrument is one entry of instruments-info, in the category's shape.
func (s *Server) instrument(m *market) map[string]any {
	tick := m.fmtPrice(m.tick)
	if m.cat == Spot {
		return map[string]any{"symbol": m.id, "baseCoin": m.base, "quoteCoin": m.quote, "innovation": "0", "status": "Trading",
			"marginTrading": "utaOnly", "stTag": "0",
			"lotSizeFilter": map[string]string{"basePrecision": m.fmtQty(m.step), "quotePrecision": "0.00000001",
				"minOrderQty": m.fmtQty(m.minQty), "maxOrderQty": m.fmtQty(m.maxQty), "minOrderAmt": m.minNotional.String(), "maxOrderAmt": "2000000"},
			"priceFilter":    map[string]string{"tickSize": tick},
			"riskParameters": map[string]string{"priceLimitRatioX": "0.01", "priceLimitRatioY": "0.02"}}
	}
	contract := "LinearPerpetual"
	if m.cat == Inverse {
		contract = "InversePerpetual"
	}
	lot := map[string]string{"maxOrderQty": m.fmtQty(m.maxQty), "minOrderQty": m.fmtQty(m.minQty), "qtyStep": m.fmtQty(m.step),
		"postOnlyMaxOrderQty": m.fmtQty(m.maxQty), "maxMktOrderQty": m.fmtQty(m.maxQty / 10), "minNotionalValue": m.minNotional.String()}
	return map[string]any{"symbol": m.id, "contractType": contract, "status": "Trading", "baseCoin": m.base, "quoteCoin": m.quote,
		"launchTime": "1585526400000", "deliveryTime": "0", "deliveryFeeRate": "", "priceScale": strconv.Itoa(m.priceDec),
		"leverageFilter": map[string]string{"minLeverage": "1", "maxLeverage": "100.00", "leverageStep": "0.01"},
		"priceFilter":    map[string]string{"minPrice": tick, "maxPrice": m.fmtPrice(m.startPrice * 50), "tickSize": tick},
		"lotSizeFilter":  lot, "unifiedMarginTrade": true, "fundingInterval": 480, "settleCoin": m.settle,
		"copyTrading": "both", "upperFundingRate": "0.00375", "lowerFundingRate": "-0.00375", "isPreListing": false,
		"preListingInfo": nil, "displayName": ""}
}

func (s *Server) restOrderbook(w http.ResponseWriter, r *http.Request) {
	s.public(w, func() (any, *apiError) {
		cat, err := category(r, Spot, Linear, Inverse, Option)
		if err != nil {
			return nil, err
		}
		def, most := 25, 500
		switch cat {
		case Spot:
			def, most = 1, 200
		case Option:
			def, most = 1, 25
		}
		limit, err := limitParam(r, def, most)
		if err != nil {
			return nil, err
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		m, err := s.symbolParam(r, cat)
		if err != nil {
			return nil, err
		}
		v, now := m.book.view(limit), s.now().UnixMilli()
		return map[string]any{"s": m.id, "b": m.wireLevels(v.bids), "a": m.wireLevels(v.asks), "ts": now, "u": v.u, "seq": v.seq, "cts": now - 2}, nil
	})
}

func (s *Server) restTickers(w http.ResponseWriter, r *http.Request) {
	s.public(w, func() (any, *apiError) {
		cat, err := category(r, Spot, Linear, Inverse, Option)
		if err != nil {
			return nil, err
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		now := s.now()
		id := r.URL.Query().Get("symbol")
		list := []map[string]string{}
		for _, m := range s.markets {
			if m.cat != cat || (id != "" && id != m.id) {
				continue
			}
			if cat == Option {
				if base := cmp.Or(r.URL.Query().Get("baseCoin"), "BTC"); id != "" || m.base == base {
					list = append(list, s.optionTickerFields(m, now, true))
				}
				continue
			}
			f := s.tickerFields(m, now)
			bid, _ := m.book.bids.Best()
			ask, _ := m.book.asks.Best()
			f["bid1Price"], f["bid1Size"], f["ask1Price"], f["ask1Size"] = m.fmtPrice(bid.Price), m.fmtQty(bid.Qty), m.fmtPrice(ask.Price), m.fmtQty(ask.Qty)
			if cat == Spot {
				f["usdIndexPrice"] = m.fmtPrice(m.markPrice())
			} else {
				delete(f, "tickDirection")
				f["deliveryTime"], f["basisRate"], f["deliveryFeeRate"], f["predictedDeliveryPrice"] = "0", "", "", ""
			}
			list = append(list, f)
		}
		if id != "" && len(list) == 0 {
			_, err := s.symbolParam(r, cat)
			return nil, err
		}
		return map[string]any{"category": cat, "list": list}, nil
	})
}

func (s *Server) restRecentTrades(w http.ResponseWriter, r *http.Request) {
	s.public(w, func() (any, *apiError) {
		cat, err := category(r, Spot, Linear, Inverse, Option)
		if err != nil {
			return nil, err
		}
		def, most := 500, 1000
		if cat == Spot {
			def, most = 60, 60
		}
		limit, err := limitParam(r, def, most)
		if err != nil {
			return nil, err
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		m, err := s.symbolParam(r, cat)
		if err != nil {
			return nil, err
		}
		list := []map[string]any{}
		ts := m.trades.trades
		for i := len(ts) - 1; i >= 0 && len(list) < limit; i-- { // newest first
			tr := ts[i]
			list = append(list, map[string]any{"execId": tr.id, "symbol": m.id, "price": m.fmtPrice(tr.price), "size": m.fmtQty(tr.qty),
				"side": sideName(tr.buy), "time": itoa(tr.time.UnixMilli()), "isBlockTrade": false, "isRPITrade": false, "seq": itoa(tr.seq)})
		}
		return map[string]any{"category": cat, "list": list}, nil
	})
}

// millisParam reads an optional millisecond time.
func millisParam(r *http.Request, name string) (time.Time, bool, *apiError) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return time.Time{}, false, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return time.Time{}, false, paramErr("params error: " + name + " is invalid")
	}
	return time.UnixMilli(n), true, nil
}

// restKline serves candles newest first: the limit newest of those
// starting in [start, end] (end defaults to now).
func (s *Server) restKline(w http.ResponseWriter, r *http.Request) {
	s.public(w, func() (any, *apiError) {
		cat, err := category(r, allCategories...)
		if err != nil {
			return nil, err
		}
		iv, ok := intervalOf(r.URL.Query().Get("interval"))
		if !ok {
			return nil, paramErr("params error: interval is invalid")
		}
		limit, err := limitParam(r, 200, 1000)
		if err != nil {
			return nil, err
		}
		start, hasStart, err := millisParam(r, "start")
		if err != nil {
			return nil, err
		}
		end, hasEnd, err := millisParam(r, "end")
		if err != nil {
			return nil, err
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		m, err := s.symbolParam(r, cat)
		if err != nil {
			return nil, err
		}
		now := s.now()
		if !hasEnd || end.After(now) {
			end = now
		}
		list := [][]string{}
		for b := iv.bucket(end); len(list) < limit; b = iv.bucket(b.Add(-time.Millisecond)) {
			if hasStart && b.Before(start) {
				break
			}
			c := s.candleAt(m, iv, b)
			list = append(list, []string{itoa(b.UnixMilli()), m.fmtPrice(c.open), m.fmtPrice(c.high), m.fmtPrice(c.low),
				m.fmtPrice(c.close), m.fmtQty(c.volume), c.turnover.String()})
		}
		return map[string]any{"category": cat, "symbol": m.id, "list": list}, nil
	})
}

// restFunding serves the 8-hourly funding rates newest first, those in
// [startTime, endTime] (endTime defaults to now).
func (s *Server) restFunding(w http.ResponseWriter, r *http.Request) {
	s.public(w, func() (any, *apiError) {
		cat, err := category(r, Linear, Inverse)
		if err != nil {
			return nil, err
		}
		limit, err := limitParam(r, 200, 200)
		if err != nil {
			return nil, err
		}
		start, hasStart, err := millisParam(r, "startTime")
		if err != nil {
			return nil, err
		}
		end, hasEnd, err := millisParam(r, "endTime")
		if err != nil {
			return nil, err
		}
		if hasStart && !hasEnd {
			return nil, paramErr("params error: endTime is required with startTime")
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		m, err := s.symbolParam(r, cat)
		if err != nil {
			return nil, err
		}
		now := s.now()
		if !hasEnd || end.After(now) {
			end = now
		}
		list := []map[string]string{}
		for t := end.UTC().Truncate(8 * time.Hour); len(list) < limit && !(hasStart && t.Before(start)); t = t.Add(-8 * time.Hour) {
			list = append(list, map[string]string{"symbol": m.id, "fundingRate": fundingRate(m, t), "fundingRateTimestamp": itoa(t.UnixMilli())})
		}
		return map[string]any{"category": cat, "list": list}, nil
	})
}

// params are a signed request's parameters: the query of a GET, the JSON
// body of a POST.
type params map[string]any

func (p params) str(k string) string {
	switch v := p[k].(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		return strconv.FormatBool(v)
	}
	return ""
}

// readParams reads a request's parameters and the payload it is signed
// with.
func readParams(r *http.Request) (params, string, *apiError) {
	if r.Method == http.MethodGet {
		p := params{}
		for k, v := range r.URL.Query() {
			p[k] = v[0]
		}
		return p, r.URL.RawQuery, nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return nil, "", paramErr("params error: body unreadable")
	}
	p := params{}
	if len(strings.TrimSpace(string(body))) > 0 {
		dec := json.NewDecoder(strings.NewReader(string(body)))
		dec.UseNumber()
		if err := dec.Decode(&p); err != nil {
			return nil, string(body), paramErr("params error: body is not a JSON object")
		}
	}
	return p, string(body), nil
}

// sortedKeys returns a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
