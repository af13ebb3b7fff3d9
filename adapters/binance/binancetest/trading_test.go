package binancetest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/unified"
)

// apiCall sends a signed WebSocket API request with the test credentials
// and returns the response (skipping events).
func (c *client) apiCall(s *Server, id, method string, params map[string]any) map[string]json.RawMessage {
	c.t.Helper()
	if params == nil {
		params = map[string]any{}
	}
	params["apiKey"] = s.cfg.APIKey
	params["timestamp"] = s.now().UnixMilli()
	raw, _ := json.Marshal(params)
	var decoded map[string]json.RawMessage
	_ = json.Unmarshal(raw, &decoded)
	payload, _ := wsPayload(decoded)
	params["signature"] = hmacHex(s.cfg.Secret, string(payload))
	c.send(map[string]any{"id": id, "method": method, "params": params})
	return c.until(func(m map[string]json.RawMessage) bool { return str(m, "id") == id })
}

func TestSpotOrdersAndUserData(t *testing.T) {
	s := start(t, Config{Seed: 11, History: 64})
	api := dial(t, s, "/ws-api/v3")
	sub := api.apiCall(s, "s1", "userDataStream.subscribe.signature", nil)
	if num(sub, "status") != 200 || num(obj(sub, "result"), "subscriptionId") != 0 || sub["rateLimits"] == nil {
		t.Fatalf("subscribe: %v", raw(sub))
	}
	again := api.apiCall(s, "s2", "userDataStream.subscribe.signature", nil)
	if num(obj(again, "error"), "code") != codeSubActive {
		t.Fatalf("a second subscription: %v", raw(again))
	}

	req := s.OrderRequest(0) // a resting buy at the best bid
	id := s.ID(req.Symbol)
	r := signed(t, s, "POST", "/api/v3/order", "symbol", id, "side", "BUY", "type", "LIMIT", "timeInForce", "GTC",
		"quantity", req.Amount.String(), "price", req.Price.Decimal.String(), "newClientOrderId", "mine-1")
	var placed map[string]json.RawMessage
	r.decode(t, &placed)
	if r.status != 200 || str(placed, "status") != "NEW" || str(placed, "clientOrderId") != "mine-1" || placed["fills"] == nil ||
		r.header.Get("X-MBX-ORDER-COUNT-10S") != "1" {
		t.Fatalf("place: HTTP %d %s (order count %q)", r.status, r.body, r.header.Get("X-MBX-ORDER-COUNT-10S"))
	}
	orderID := num(placed, "orderId")
	report := obj(api.until(func(m map[string]json.RawMessage) bool { return str(obj(m, "event"), "e") == "executionReport" }), "event")
	if str(report, "x") != "NEW" || num(report, "i") != orderID || str(report, "c") != "mine-1" {
		t.Fatalf("executionReport: %v", raw(report))
	}
	position := api.until(func(m map[string]json.RawMessage) bool { return str(obj(m, "event"), "e") == "outboundAccountPosition" })
	if num(position, "subscriptionId") != 0 {
		t.Fatalf("outboundAccountPosition is wrapped with the subscription id: %v", raw(position))
	}
	_, locked := s.Balance("USDT")
	if !locked.Equal(req.Amount.Mul(req.Price.Decimal)) {
		t.Fatalf("locked USDT %s, want %s", locked, req.Amount.Mul(req.Price.Decimal))
	}

	for _, tc := range []struct {
		r    reply
		code int
	}{
		{signed(t, s, "POST", "/api/v3/order", "symbol", id, "side", "BUY", "type", "LIMIT", "timeInForce", "GTC", "quantity", "3", "price", "50000"), codeNewOrderReject},
		{signed(t, s, "POST", "/api/v3/order", "symbol", id, "side", "BUY", "type", "LIMIT", "timeInForce", "GTC", "quantity", "0.001", "price", "50000.000000001"), codePrecision},
		{signed(t, s, "POST", "/api/v3/order", "symbol", id, "side", "BUY", "type", "LIMIT", "timeInForce", "GTC", "quantity", "0.001", "price", "50000.005"), codeFilter},
		{signed(t, s, "POST", "/api/v3/order", "symbol", id, "side", "BUY", "type", "LIMIT", "timeInForce", "GTC", "quantity", "0.00001", "price", "50000"), codeFilter},
		{signed(t, s, "POST", "/api/v3/order", "symbol", id, "side", "BUY", "type", "LIMIT", "quantity", "0.001", "price", "50000"), codeMandatory},
		{signed(t, s, "POST", "/api/v3/order", "symbol", id, "side", "BUY", "type", "LIMIT", "timeInForce", "GTC", "quantity", "0.001", "price", "50000", "newClientOrderId", "mine-1"), codeNewOrderReject},
		{signed(t, s, "DELETE", "/api/v3/order", "symbol", id, "orderId", "1"), codeCancelReject},
		{signed(t, s, "GET", "/api/v3/order", "symbol", id, "orderId", "1"), codeNoSuchOrder},
	} {
		if tc.r.status != 400 || tc.r.code() != tc.code {
			t.Errorf("HTTP %d %s, want code %d", tc.r.status, tc.r.body, tc.code)
		}
	}

	var open []map[string]json.RawMessage
	signed(t, s, "GET", "/api/v3/openOrders", "symbol", id).decode(t, &open)
	if len(open) != 1 || num(open[0], "orderId") != orderID {
		t.Fatalf("openOrders: %v", open)
	}
	// A crossing sell takes the book as a taker: FULL reply with fills, trades on the tape.
	sell := signed(t, s, "POST", "/api/v3/order", "symbol", id, "side", "SELL", "type", "MARKET", "quantity", "0.002")
	var taken map[string]json.RawMessage
	sell.decode(t, &taken)
	var fills []map[string]json.RawMessage
	_ = json.Unmarshal(taken["fills"], &fills)
	if str(taken, "status") != "FILLED" || len(fills) == 0 || str(fills[0], "commissionAsset") != "USDT" {
		t.Fatalf("market sell: %s", sell.body)
	}
	var mine []map[string]json.RawMessage
	signed(t, s, "GET", "/api/v3/myTrades", "symbol", id).decode(t, &mine)
	if len(mine) != len(fills) || num(mine[0], "id") != num(fills[0], "tradeId") {
		t.Fatalf("myTrades %v, fills %v", mine, fills)
	}

	cancel := signed(t, s, "DELETE", "/api/v3/order", "symbol", id, "origClientOrderId", "mine-1")
	var canceled map[string]json.RawMessage
	cancel.decode(t, &canceled)
	if str(canceled, "status") != "CANCELED" || str(canceled, "origClientOrderId") != "mine-1" || num(canceled, "orderId") != orderID {
		t.Fatalf("cancel: %s", cancel.body)
	}
	report = obj(api.until(func(m map[string]json.RawMessage) bool {
		return str(obj(m, "event"), "x") == "CANCELED"
	}), "event")
	if str(report, "C") != "mine-1" || str(report, "X") != "CANCELED" {
		t.Fatalf("cancel report: %v", raw(report))
	}
	if _, locked := s.Balance("USDT"); !locked.IsZero() {
		t.Fatalf("a canceled order still locks %s USDT", locked)
	}
	var all []map[string]json.RawMessage
	signed(t, s, "GET", "/api/v3/allOrders", "symbol", id).decode(t, &all)
	if len(all) != 2 || str(all[0], "status") != "CANCELED" || str(all[1], "status") != "FILLED" {
		t.Fatalf("allOrders: %v", all)
	}
}

func TestWSAPIOrderEntry(t *testing.T) {
	s := start(t, Config{Seed: 12})
	api := dial(t, s, "/ws-api/v3?returnRateLimits=false")
	req := s.OrderRequest(1)
	place := api.apiCall(s, "p1", "order.place", map[string]any{"symbol": s.ID(req.Symbol), "side": "SELL", "type": "LIMIT",
		"timeInForce": "GTC", "quantity": req.Amount.String(), "price": req.Price.Decimal.String(), "newOrderRespType": "RESULT"})
	result := obj(place, "result")
	if num(place, "status") != 200 || str(result, "status") != "NEW" || result["fills"] != nil || place["rateLimits"] != nil {
		t.Fatalf("order.place: %v", raw(place))
	}
	status := api.apiCall(s, "q1", "v3/order.status", map[string]any{"symbol": s.ID(req.Symbol), "orderId": num(result, "orderId")})
	if str(obj(status, "result"), "status") != "NEW" {
		t.Fatalf("order.status: %v", raw(status))
	}
	cancel := api.apiCall(s, "c1", "order.cancel", map[string]any{"symbol": s.ID(req.Symbol), "orderId": num(result, "orderId")})
	if str(obj(cancel, "result"), "status") != "CANCELED" {
		t.Fatalf("order.cancel: %v", raw(cancel))
	}
	// A tampered request, then expired credentials.
	api.send(map[string]any{"id": "bad", "method": "order.status", "params": map[string]any{"symbol": "BTCUSDT", "orderId": 1,
		"apiKey": s.cfg.APIKey, "timestamp": s.now().UnixMilli(), "signature": "00"}})
	if bad := api.next(); num(bad, "status") != 400 || num(obj(bad, "error"), "code") != codeSignature {
		t.Fatalf("a bad signature: %v", raw(bad))
	}
	s.ExpireAuth(true)
	if r := api.apiCall(s, "e1", "order.status", map[string]any{"symbol": "BTCUSDT", "orderId": 1}); num(r, "status") != 401 ||
		num(obj(r, "error"), "code") != codeRejectedKey {
		t.Fatalf("an expired key: %v", raw(r))
	}
	s.ExpireAuth(false)
	s.Skew(-time.Minute)
	if r := api.apiCall(s, "t1", "time", nil); num(obj(r, "result"), "serverTime") > time.Now().Add(-50*time.Second).UnixMilli() {
		t.Fatalf("time follows the skewed clock: %v", raw(r))
	}
}

func TestFuturesOrdersPositionsAndListenKey(t *testing.T) {
	for _, tc := range []struct {
		product Product
		prefix  string
		path    func(key string) string
	}{
		{USDM, "/fapi/v1", func(key string) string { return "/private/ws?listenKey=" + key }},
		{COINM, "/dapi/v1", func(key string) string { return "/ws/" + key }},
	} {
		t.Run(tc.product.String(), func(t *testing.T) {
			s := start(t, Config{Product: tc.product, Seed: 13})
			key := do(t, s, "POST", tc.prefix+"/listenKey", "", "", http.Header{"X-Mbx-Apikey": {s.cfg.APIKey}})
			var lk map[string]string
			key.decode(t, &lk)
			if len(lk["listenKey"]) != 64 {
				t.Fatalf("listenKey: %s", key.body)
			}
			if again := do(t, s, "POST", tc.prefix+"/listenKey", "", "", http.Header{"X-Mbx-Apikey": {s.cfg.APIKey}}); string(again.body) != string(key.body) {
				t.Fatalf("a second POST returns the active key: %s, then %s", key.body, again.body)
			}
			user := dial(t, s, tc.path(lk["listenKey"]))
			symbol := s.Symbols()[0]
			id := s.ID(symbol)
			qty := s.OrderRequest(0).Amount.String()
			r := signed(t, s, "POST", tc.prefix+"/order", "symbol", id, "side", "BUY", "type", "MARKET", "quantity", qty)
			var placed map[string]json.RawMessage
			r.decode(t, &placed)
			if r.status != 200 || str(placed, "status") != "FILLED" || str(placed, "executedQty") != qty {
				t.Fatalf("market buy: HTTP %d %s", r.status, r.body)
			}
			update := user.until(func(m map[string]json.RawMessage) bool {
				return str(m, "e") == "ORDER_TRADE_UPDATE" && str(obj(m, "o"), "x") == "TRADE"
			})
			if o := obj(update, "o"); str(o, "X") != "FILLED" || num(o, "i") != num(placed, "orderId") || str(o, "N") == "" {
				t.Fatalf("ORDER_TRADE_UPDATE: %v", raw(update))
			}
			account := user.until(func(m map[string]json.RawMessage) bool { return str(m, "e") == "ACCOUNT_UPDATE" })
			var positions []map[string]json.RawMessage
			_ = json.Unmarshal(obj(account, "a")["P"], &positions)
			if len(positions) == 0 || str(positions[0], "s") != id || str(positions[0], "pa") != qty {
				t.Fatalf("ACCOUNT_UPDATE: %v", raw(account))
			}
			if got := s.Position(symbol); got.String() != decimal.RequireFromString(qty).String() {
				t.Fatalf("position %s, want %s", got, qty)
			}
			risk := "/fapi/v3/positionRisk"
			if tc.product == COINM {
				risk = "/dapi/v1/positionRisk"
			}
			var rows []map[string]json.RawMessage
			signed(t, s, "GET", risk).decode(t, &rows)
			found := false
			for _, row := range rows {
				found = found || (str(row, "symbol") == id && str(row, "positionAmt") == qty)
			}
			if !found {
				t.Fatalf("positionRisk: %v", rows)
			}
			// Closing the position with a reduce-only sell; a second one is refused.
			if r := signed(t, s, "POST", tc.prefix+"/order", "symbol", id, "side", "SELL", "type", "MARKET", "quantity", qty, "reduceOnly", "true"); r.status != 200 {
				t.Fatalf("reduce-only close: %s", r.body)
			}
			if r := signed(t, s, "POST", tc.prefix+"/order", "symbol", id, "side", "SELL", "type", "MARKET", "quantity", qty, "reduceOnly", "true"); r.code() != codeReduceOnly {
				t.Fatalf("reduce-only with no position: %s", r.body)
			}
			if r := signed(t, s, "POST", tc.prefix+"/order", "symbol", id, "side", "BUY", "type", "STOP_MARKET", "quantity", qty); r.code() != codeAlgoOnly {
				t.Fatalf("a conditional order: %s", r.body)
			}
			// The listen key expires: the event, then -1125 on keepalive.
			s.ExpireListenKey()
			expired := user.until(func(m map[string]json.RawMessage) bool { return str(m, "e") == "listenKeyExpired" })
			var e any
			_ = json.Unmarshal(expired["E"], &e)
			if _, isString := e.(string); isString != (tc.product == USDM) || str(expired, "listenKey") != lk["listenKey"] {
				t.Fatalf("listenKeyExpired: %v (USD-M writes E as a string)", raw(expired))
			}
			if r := do(t, s, "PUT", tc.prefix+"/listenKey", "", "", http.Header{"X-Mbx-Apikey": {s.cfg.APIKey}}); r.code() != codeListenKey {
				t.Fatalf("keepalive of an expired key: HTTP %d %s", r.status, r.body)
			}
			if r := signed(t, s, "POST", tc.prefix+"/order", "symbol", id, "side", "BUY", "type", "MARKET", "quantity", qty); r.status != 200 {
				t.Fatalf("order after expiry: %s", r.body)
			}
			if !user.quiet(200 * time.Millisecond) {
				t.Fatal("events still reach an expired listen key")
			}
		})
	}
}

func TestStepFillsRestingOrders(t *testing.T) {
	s := start(t, Config{Product: USDM, Seed: 14})
	var ids []string
	for i := range 6 {
		req := s.OrderRequest(i)
		side := "SELL"
		if req.Side == unified.SideBuy {
			side = "BUY"
		}
		r := signed(t, s, "POST", "/fapi/v1/order", "symbol", s.ID(req.Symbol), "side", side, "type", "LIMIT", "timeInForce", "GTC",
			"quantity", req.Amount.String(), "price", req.Price.Decimal.String())
		var o map[string]json.RawMessage
		r.decode(t, &o)
		if str(o, "status") != "NEW" {
			t.Fatalf("order %d does not rest: %s", i, r.body)
		}
		ids = append(ids, strconv.FormatInt(num(o, "orderId"), 10))
	}
	for i := 0; i < 5000; i++ {
		s.Step(5)
		done := 0
		for _, o := range s.Orders() {
			if o.Status == unified.StatusClosed {
				done++
			}
		}
		if done == len(ids) {
			return
		}
	}
	t.Fatalf("Step left orders unfilled: %v", s.Orders())
}

func TestSpotOrderTypes(t *testing.T) {
	s := start(t, Config{Seed: 15, Symbols: []string{"BTC/USDT"}})
	var book map[string]json.RawMessage
	get(t, s, "/api/v3/depth", "symbol=BTCUSDT").decode(t, &book)
	var asks [][2]string
	_ = json.Unmarshal(book["asks"], &asks)
	bestAsk := asks[0][0]
	place := func(params ...string) map[string]json.RawMessage {
		t.Helper()
		r := signed(t, s, "POST", "/api/v3/order", append([]string{"symbol", "BTCUSDT"}, params...)...)
		var o map[string]json.RawMessage
		r.decode(t, &o)
		return o
	}
	if o := place("side", "BUY", "type", "LIMIT_MAKER", "quantity", "0.001", "price", bestAsk); num(o, "code") != codeNewOrderReject ||
		str(o, "msg") != msgWouldTake {
		t.Fatalf("a crossing LIMIT_MAKER: %v", raw(o))
	}
	if o := place("side", "BUY", "type", "LIMIT", "timeInForce", "FOK", "quantity", "1", "price", bestAsk); str(o, "status") != "EXPIRED" ||
		str(o, "executedQty") != "0.00000000" {
		t.Fatalf("an unfillable FOK: %v", raw(o))
	}
	o := place("side", "BUY", "type", "LIMIT", "timeInForce", "IOC", "quantity", "1", "price", bestAsk)
	if str(o, "status") != "EXPIRED" || str(o, "executedQty") == "0.00000000" {
		t.Fatalf("an IOC taking the best ask only: %v", raw(o))
	}
	o = place("side", "BUY", "type", "MARKET", "quoteOrderQty", "100")
	spent := decimal.RequireFromString(str(o, "cummulativeQuoteQty"))
	if str(o, "status") != "FILLED" || spent.GreaterThan(decimal.NewFromInt(100)) || spent.LessThan(decimal.NewFromInt(99)) {
		t.Fatalf("a market buy for 100 USDT: %v", raw(o))
	}
	if o := place("side", "BUY", "type", "MARKET", "timeInForce", "GTC", "quantity", "0.001"); num(o, "code") != codeNotRequired {
		t.Fatalf("timeInForce on a market order: %v", raw(o))
	}
}

func TestFuturesWSAPIAndPrivateRoutes(t *testing.T) {
	s := start(t, Config{Product: USDM, Seed: 16})
	api := dial(t, s, "/ws-fapi/v1")
	start := api.apiCall(s, "k", "userDataStream.start", nil)
	key := str(obj(start, "result"), "listenKey")
	if num(start, "status") != 200 || len(key) != 64 {
		t.Fatalf("userDataStream.start: %v", raw(start))
	}
	byPath := dial(t, s, "/private/ws/"+key)
	combined := dial(t, s, "/private/stream")
	combined.subscribe(1, key)
	req := s.OrderRequest(0)
	placed := api.apiCall(s, "p", "order.place", map[string]any{"symbol": s.ID(req.Symbol), "side": "BUY", "type": "LIMIT",
		"timeInForce": "GTC", "quantity": req.Amount.String(), "price": req.Price.Decimal.String()})
	if str(obj(placed, "result"), "status") != "NEW" || num(placed, "status") != 200 {
		t.Fatalf("order.place on ws-fapi: %v", raw(placed))
	}
	if m := byPath.next(); str(m, "e") != "ORDER_TRADE_UPDATE" {
		t.Fatalf("/private/ws/<listenKey>: %v", raw(m))
	}
	if m := combined.next(); str(m, "stream") != key || str(obj(m, "data"), "e") != "ORDER_TRADE_UPDATE" {
		t.Fatalf("/private/stream: %v", raw(m))
	}
	ping := api.apiCall(s, "q", "userDataStream.ping", nil)
	if str(obj(ping, "result"), "listenKey") != key {
		t.Fatalf("userDataStream.ping: %v", raw(ping))
	}
	if bal := api.apiCall(s, "b", "v2/account.balance", nil); num(bal, "status") != 200 || bal["result"] == nil {
		t.Fatalf("v2/account.balance: %v", raw(bal))
	}
	if unknown := api.apiCall(s, "x", "order.amend", nil); num(unknown, "status") != 400 {
		t.Fatalf("an unknown method: %v", raw(unknown))
	}
}
