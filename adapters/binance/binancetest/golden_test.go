package binancetest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	goldenfile "github.com/unifex-go/unifex/internal/golden"
)

// The fake's messages have the fields of the documented ones: each golden
// message of ../testdata/<id>/ is compared, key by key (nested objects
// too), with what the fake sends in its place. Fields only some messages
// carry (conditional in the docs, or particular to an order type the fake
// does not simulate) are listed per file.

// golden reads a golden file's message.
func golden(t *testing.T, product Product, name string) json.RawMessage {
	t.Helper()
	return goldenfile.Read(t, filepath.Join("..", "testdata", product.String(), name+".json"))
}

// sameKeys compares the key paths of the golden and the fake's message.
func sameKeys(t *testing.T, name string, want, got json.RawMessage, onlyDocs, onlyFake []string) {
	t.Helper()
	goldenfile.Check(t, name, want, got, goldenfile.Keys, onlyDocs, onlyFake)
}

// capture collects what a fake sends.
type capture struct {
	t    *testing.T
	s    *Server
	json map[string]json.RawMessage // by golden name
}

func (c *capture) rest(name string, r reply) {
	c.t.Helper()
	if r.status != 200 {
		c.t.Fatalf("%s: HTTP %d %s", name, r.status, r.body)
	}
	c.json[name] = r.body
}

func (c *capture) frame(name string, cl *client, match func(map[string]json.RawMessage) bool, key string) {
	c.t.Helper()
	m := cl.until(match)
	if key != "" {
		c.json[name] = m[key]
		return
	}
	c.json[name], _ = json.Marshal(m)
}

func TestSpotMessagesMatchTheDocs(t *testing.T) {
	s := start(t, Config{Seed: 31})
	c := &capture{t: t, s: s, json: map[string]json.RawMessage{}}
	streams := dial(t, s, "/stream")
	streams.subscribe(1, "btcusdt@depth@100ms", "btcusdt@depth5@100ms", "btcusdt@trade", "btcusdt@aggTrade", "btcusdt@ticker",
		"btcusdt@bookTicker", "btcusdt@kline_1m")
	api := dial(t, s, "/ws-api/v3")
	api.apiCall(s, "u", "userDataStream.subscribe.signature", nil)
	for i := 0; i < 50; i++ {
		s.Step(20)
	}
	seen := map[string]json.RawMessage{}
	for len(seen) < 7 {
		f := streams.next()
		seen[str(f, "stream")] = f["data"]
	}
	c.json["ws_depthUpdate"] = seen["btcusdt@depth@100ms"]
	c.json["ws_depthPartial"] = seen["btcusdt@depth5@100ms"]
	c.json["ws_trade"] = seen["btcusdt@trade"]
	c.json["ws_aggTrade"] = seen["btcusdt@aggTrade"]
	c.json["ws_24hrTicker"] = seen["btcusdt@ticker"]
	c.json["ws_bookTicker"] = seen["btcusdt@bookTicker"]
	c.json["ws_kline"] = seen["btcusdt@kline_1m"]

	c.rest("rest_time", get(t, s, "/api/v3/time", ""))
	c.rest("rest_depth", get(t, s, "/api/v3/depth", "symbol=BTCUSDT"))
	c.rest("rest_trades", get(t, s, "/api/v3/trades", "symbol=BTCUSDT"))
	c.rest("rest_aggTrades", get(t, s, "/api/v3/aggTrades", "symbol=BTCUSDT"))
	c.rest("rest_klines", get(t, s, "/api/v3/klines", "symbol=BTCUSDT&interval=1m&limit=2"))
	c.rest("rest_ticker24hr", get(t, s, "/api/v3/ticker/24hr", "symbol=BTCUSDT"))
	c.rest("rest_bookTicker", get(t, s, "/api/v3/ticker/bookTicker", "symbol=BTCUSDT"))
	var info struct{ Symbols []json.RawMessage }
	get(t, s, "/api/v3/exchangeInfo", "").decode(t, &info)
	c.json["rest_exchangeInfo_symbol"] = info.Symbols[0]
	req := s.OrderRequest(0)
	order := func(respType string) reply {
		return signed(t, s, "POST", "/api/v3/order", "symbol", "BTCUSDT", "side", "BUY", "type", "LIMIT", "timeInForce", "GTC",
			"quantity", req.Amount.String(), "price", req.Price.Decimal.String(), "newOrderRespType", respType)
	}
	c.rest("rest_order_ack", order("ACK"))
	c.rest("rest_order_result", order("RESULT"))
	c.rest("rest_resting_full", order("FULL"))
	var placed map[string]json.RawMessage
	_ = json.Unmarshal(c.json["rest_resting_full"], &placed)
	id := fmt.Sprint(num(placed, "orderId"))
	c.rest("rest_query_order", signed(t, s, "GET", "/api/v3/order", "symbol", "BTCUSDT", "orderId", id))
	c.rest("rest_cancel_order", signed(t, s, "DELETE", "/api/v3/order", "symbol", "BTCUSDT", "orderId", id))
	c.rest("rest_account", signed(t, s, "GET", "/api/v3/account"))
	c.rest("rest_order_full", signed(t, s, "POST", "/api/v3/order", "symbol", "BTCUSDT", "side", "SELL", "type", "MARKET", "quantity", "0.001"))
	c.rest("rest_myTrades", signed(t, s, "GET", "/api/v3/myTrades", "symbol", "BTCUSDT"))
	c.frame("user_executionReport", api, func(m map[string]json.RawMessage) bool { return str(obj(m, "event"), "e") == "executionReport" }, "")
	c.frame("user_outboundAccountPosition", api, func(m map[string]json.RawMessage) bool {
		return str(obj(m, "event"), "e") == "outboundAccountPosition"
	}, "")
	c.json["wsapi_order_place_ok"], _ = json.Marshal(api.apiCall(s, "p", "order.place", map[string]any{"symbol": "BTCUSDT", "side": "BUY",
		"type": "LIMIT", "timeInForce": "GTC", "quantity": req.Amount.String(), "price": req.Price.Decimal.String(), "newOrderRespType": "RESULT"}))

	for _, tc := range []struct {
		name             string
		onlyDocs, onlyFk []string
	}{
		{"ws_depthUpdate", nil, nil},
		{"ws_depthPartial", nil, nil},
		{"ws_trade", nil, nil},
		{"ws_aggTrade", nil, nil},
		{"ws_24hrTicker", nil, nil},
		{"ws_bookTicker", nil, nil},
		{"ws_kline", nil, nil},
		{"rest_time", nil, nil},
		{"rest_depth", nil, nil},
		{"rest_trades", nil, nil},
		{"rest_aggTrades", nil, nil},
		{"rest_klines", nil, nil},
		{"rest_ticker24hr", nil, nil},
		{"rest_bookTicker", nil, nil},
		{"rest_exchangeInfo_symbol", nil, []string{"filters[].maxNotional", "filters[].applyMaxToMarket", "filters[].applyMinToMarket", "filters[].avgPriceMins", "filters[].minNotional", "filters[].maxNumOrders"}},
		{"rest_order_ack", nil, nil},
		{"rest_order_result", nil, nil},
		{"rest_order_full", nil, nil}, // a market order, which has fills
		{"rest_query_order", nil, nil},
		{"rest_cancel_order", nil, nil},
		{"rest_account", nil, nil},
		{"rest_myTrades", nil, nil},
		{"user_executionReport", []string{"event.v"}, nil}, // v: only for orders that expired by self-trade prevention
		{"user_outboundAccountPosition", nil, nil},
		{"wsapi_order_place_ok", []string{"result.fills"}, nil},
	} {
		sameKeys(t, tc.name, golden(t, Spot, tc.name), c.json[tc.name], tc.onlyDocs, tc.onlyFk)
	}
}

func TestFuturesMessagesMatchTheDocs(t *testing.T) {
	for _, tc := range []struct {
		product      Product
		prefix, path string
		streamPath   func(key string) string
		checks       map[string][]string // golden name -> keys only the docs have
	}{
		{USDM, "/fapi", "/public/stream", func(k string) string { return "/private/ws?listenKey=" + k }, map[string][]string{
			"ws_depthUpdate": nil, "ws_aggTrade": nil, "ws_markPriceUpdate": nil, "rest_depth": nil, "rest_balance_v3": nil,
			"rest_listenKey": nil, "user_ACCOUNT_UPDATE": nil, "user_listenKeyExpired": nil,
			"user_ORDER_TRADE_UPDATE": {"o.AP", "o.cr"}, // trailing-stop fields
		}},
		{COINM, "/dapi", "/stream", func(k string) string { return "/ws/" + k }, map[string][]string{
			"ws_depthUpdate": nil, "ws_markPriceUpdate": nil, "user_ACCOUNT_UPDATE": nil, "user_listenKeyExpired": nil, "rest_balance": nil,
		}},
	} {
		t.Run(tc.product.String(), func(t *testing.T) {
			s := start(t, Config{Product: tc.product, Seed: 32})
			c := &capture{t: t, s: s, json: map[string]json.RawMessage{}}
			sym := s.ID(s.Symbols()[0])
			lower := strings.ToLower(sym)
			depth := dial(t, s, tc.path)
			depth.subscribe(1, lower+"@depth@100ms")
			market := depth
			if tc.product == USDM {
				market = dial(t, s, "/market/stream")
			}
			market.subscribe(2, lower+"@aggTrade", lower+"@markPrice")
			s.Step(200)
			c.frame("ws_depthUpdate", depth, func(m map[string]json.RawMessage) bool { return strings.Contains(str(m, "stream"), "@depth") }, "data")
			c.frame("ws_aggTrade", market, func(m map[string]json.RawMessage) bool { return strings.HasSuffix(str(m, "stream"), "@aggTrade") }, "data")
			c.frame("ws_markPriceUpdate", market, func(m map[string]json.RawMessage) bool { return strings.HasSuffix(str(m, "stream"), "@markPrice") }, "data")
			if tc.product == COINM { // COIN-M's documented mark price example is of a delivery contract
				dated := strings.ToLower(s.ID(s.Symbols()[2]))
				market.subscribe(3, dated+"@markPrice")
				s.Step(300)
				c.frame("ws_markPriceUpdate", market, func(m map[string]json.RawMessage) bool { return str(m, "stream") == dated+"@markPrice" }, "data")
			}
			c.rest("rest_depth", get(t, s, tc.prefix+"/v1/depth", "symbol="+sym))
			balance := "/v3/balance"
			if tc.product == COINM {
				balance = "/v1/balance"
			}
			c.rest("rest_balance_v3", signed(t, s, "GET", tc.prefix+balance))
			c.json["rest_balance"] = c.json["rest_balance_v3"]
			key := do(t, s, "POST", tc.prefix+"/v1/listenKey", "", "", http.Header{"X-Mbx-Apikey": {s.cfg.APIKey}})
			c.rest("rest_listenKey", key)
			var lk map[string]string
			key.decode(t, &lk)
			user := dial(t, s, tc.streamPath(lk["listenKey"]))
			if r := signed(t, s, "POST", tc.prefix+"/v1/order", "symbol", sym, "side", "BUY", "type", "MARKET", "quantity", s.OrderRequest(0).Amount.String()); r.status != 200 {
				t.Fatalf("order: %s", r.body)
			}
			c.frame("user_ORDER_TRADE_UPDATE", user, func(m map[string]json.RawMessage) bool { return str(m, "e") == "ORDER_TRADE_UPDATE" }, "")
			c.frame("user_ACCOUNT_UPDATE", user, func(m map[string]json.RawMessage) bool { return str(m, "e") == "ACCOUNT_UPDATE" }, "")
			s.ExpireListenKey()
			c.frame("user_listenKeyExpired", user, func(m map[string]json.RawMessage) bool { return str(m, "e") == "listenKeyExpired" }, "")
			for name, onlyDocs := range tc.checks {
				onlyFake := []string(nil)
				if name == "ws_aggTrade" {
					onlyFake = []string{"nq"} // in the connector's model, not in the page's example
				}
				sameKeys(t, name, golden(t, tc.product, name), c.json[name], onlyDocs, onlyFake)
			}
		})
	}
}
