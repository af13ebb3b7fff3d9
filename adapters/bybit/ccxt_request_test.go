package bybit

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/ccxtfixture"
	"github.com/unifex-go/unifex/internal/fakeserver"
	"github.com/unifex-go/unifex/unified"
)

// CCXT's request fixture (request/bybit.json): each case is a unified call
// and the request CCXT builds for it. We make the same call against a
// recorder and compare the request in both directions: path, every query
// and body field CCXT sends, and every field we send that CCXT does not.
// Our orderLinkId (x-unifex-…, CCXT's skipKeys has it) and the order of
// the parameters differ on purpose and are not compared.

// ccxtRequestSkips are the cases we do not replay, by method/description
// or by a CCXT parameter of the case, with the reason.
var ccxtRequestSkips = map[string]string{
	"hedged":                               "CCXT's hedged flag derives positionIdx from the side and reduceOnly; pass Params{\"positionIdx\": 1 or 2} instead",
	"trailingAmount":                       "trailing stops (position/trading-stop trailingStop) are not a unified order",
	"takeProfitLimitPrice":                 "a protective TP/SL pair on a position (position/trading-stop) is not a unified order",
	"type":                                 "CCXT's type param picks a swap market for a spot symbol; we trade the market named",
	"createOrders":                         "batch order entry (create-batch) is not offered",
	"cancelOrders":                         "batch cancels (cancel-batch) are not offered",
	"fetchCanceledOrders":                  "not offered: FetchClosedOrders gives canceled and filled orders",
	"fetchOpenOrder/Spot fetch open order": "an order is looked up on the symbol's market; CCXT's defaultType spot needs none",
	"fetchClosedOrder/Spot fetch closed order":                  "an order is looked up on the symbol's market; CCXT's defaultType spot needs none",
	"createOrder/protective oco order - market with amount":     "a protective TP/SL pair on a position (position/trading-stop) is not a unified order",
	"createOrder/protective oco order - market without amount":  "a protective TP/SL pair on a position (position/trading-stop) is not a unified order",
	"fetchBalance/fetch funding balance":                        "only the unified trading account's balance is unified (the funding account is asset/transfer)",
	"fetchBalance/fetch funding balance using options":          "only the unified trading account's balance is unified (the funding account is asset/transfer)",
	"fetchBalance/fetch funding balance using options: funding": "only the unified trading account's balance is unified (the funding account is asset/transfer)",
	"fetchBalance/fetch inverse balance":                        "classic accounts (accountType CONTRACT) are not supported; the unified account holds every category",
}

// ccxtRequestDifferences are the fields where our request differs from
// CCXT's on purpose, by method or method/description, each with the
// reason. A field listed is not compared in either direction.
var ccxtRequestDifferences = map[string]map[string]string{
	"createOrder/spot market order with stopPrice": {
		"marketUnit": "we name the unit of every spot market order (quoteCoin: CCXT's amount × price is a cost); CCXT leaves Bybit's default for buys, quoteCoin",
	},
	"createOrder/Spot market order": {
		"marketUnit": "as spot market order with stopPrice",
	},
	"createOrder/Spot market buy order with createMarketBuyOrderRequiresPrice set to false on the testnet (classic only)": {
		"marketUnit": "as spot market order with stopPrice",
	},
	"createMarketBuyOrderWithCost": {
		"marketUnit": "as createOrder/spot market order with stopPrice",
	},
	"editOrder": {
		"clientOrderId": "CCXT leaks its own clientOrderId param into the body next to orderLinkId; Bybit has no such field (CCXT is wrong)",
	},
	"cancelOrder/Spot cancelOrder": {
		"orderFilter": "CCXT sends orderFilter=Order on spot, which is Bybit's default when it is left out (cancel-order: spot orderFilter, Order by default)",
	},
	"fetchOpenOrders": {
		"limit": "we page with limit=50, the most one page of order/realtime holds",
	},
	"fetchOrder": {
		"limit": "one order is asked for: limit=1",
	},
	"fetchOpenOrder": {
		"limit": "one order is asked for: limit=1",
	},
	"fetchClosedOrder": {
		"limit":       "one order is asked for: limit=1",
		"orderStatus": "we look an order up by id whatever its state (order/realtime, then order/history); CCXT asks for filled ones only",
	},
	"fetchClosedOrders": {
		"limit":       "we page with limit=50, the most one page of order/history holds",
		"orderStatus": "CCXT asks for filled orders only; ours are filled and canceled (the unified meaning of closed), filtered from every state",
		"settleCoin":  "without a symbol we ask per category and settle coin loaded; CCXT asks for linear without a settle coin",
	},
	"fetchMyTrades": {
		"limit": "we page with limit=100, the most one page of execution/list holds",
	},
	"fetchPosition": {
		"limit": "fetchPosition is FetchPositions of one symbol, which pages with limit=200 as CCXT's fetchPositions does",
	},
}

// ccxtRequestRefusals are the cases we refuse before sending, with the
// reason: CCXT sends them and lets the venue refuse.
var ccxtRequestRefusals = map[string]string{
	"createOrder/Create market sell with cost (UTA only)":    "cost 2 is below LTC/USDT's minOrderAmt 5",
	"createOrder/market sell with cost in params (UTA only)": "cost 3 is below LTC/USDT's minOrderAmt 5",
}

// recorded is one request the recorder received.
type recorded struct {
	method, path string
	query        url.Values
	body         []byte
}

// fixtureInstruments are CCXT's fixture markets' raw instruments by
// category (options apart: fixtureOptions).
func fixtureInstruments(t testing.TB) map[string][]json.RawMessage {
	t.Helper()
	var fixture map[string]struct {
		Type    string          `json:"type"`
		Inverse *bool           `json:"inverse"`
		Info    json.RawMessage `json:"info"`
	}
	readFixture(t, "markets/bybit.json", &fixture)
	lists := map[string][]json.RawMessage{}
	for _, m := range fixture {
		cat := CategoryLinear
		switch {
		case m.Type == "option" || string(m.Info) == "null":
			continue
		case m.Type == "spot":
			cat = CategorySpot
		case m.Inverse != nil && *m.Inverse:
			cat = CategoryInverse
		}
		lists[cat] = append(lists[cat], m.Info)
	}
	return lists
}

// ccxtOrderOption is the option CCXT's option order cases trade, by its
// id (CCXT builds the market from the id; the markets fixture lacks it):
// BTC-25OCT24-46000-C in the docs' shape of a USDC option.
const ccxtOrderOption = `{"symbol":"BTC-25OCT24-46000-C","status":"Trading","baseCoin":"BTC","quoteCoin":"USD","settleCoin":"USDC",
"optionsType":"Call","launchTime":"1727337600000","deliveryTime":"1729843200000","deliveryFeeRate":"0.00015",
"priceFilter":{"minPrice":"5","maxPrice":"10000000","tickSize":"5"},"lotSizeFilter":{"maxOrderQty":"500","minOrderQty":"0.01","qtyStep":"0.01"}}`

// fixtureOptions are the options the fixture venue lists for baseCoin:
// CCXT's fixture SOL option (the only one with its instrument) and
// ccxtOrderOption.
func fixtureOptions(baseCoin string) []json.RawMessage {
	switch baseCoin {
	case "BTC", "":
		return []json.RawMessage{json.RawMessage(ccxtOrderOption)}
	case "SOL":
		return []json.RawMessage{json.RawMessage(`{"symbol":"SOL-30MAY25-90-P-USDT","status":"Trading","baseCoin":"SOL","quoteCoin":"USDT",
"settleCoin":"USDT","optionsType":"Put","launchTime":"1744009921396","deliveryTime":"1748592000000","deliveryFeeRate":"0.0002",
"priceFilter":{"minPrice":"0.01","maxPrice":"3000","tickSize":"0.01"},"lotSizeFilter":{"maxOrderQty":"100000","minOrderQty":"1","qtyStep":"1"}}`)}
	}
	return []json.RawMessage{}
}

// readFixture decodes one of CCXT's fixture files (path under
// ccxtFixtures), skipping the test on a machine without them.
func readFixture(t testing.TB, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(ccxtFixtures + path)
	if err != nil {
		t.Skip("CCXT's fixtures are not on this machine: ", err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatal(err)
	}
}

// fixtureVenue is a fake Bybit on CCXT's fixture markets: it serves
// instruments-info and the time, checks that every other request is
// signed, records it and answers it with answer's reply.
func fixtureVenue(t testing.TB, answer func(r *http.Request) string) (*Exchange, func() []recorded) {
	t.Helper()
	lists := fixtureInstruments(t)
	srv := fakeserver.NewHTTP()
	t.Cleanup(srv.Close)
	var mu sync.Mutex
	var log []recorded
	srv.Handle("/", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		switch r.URL.Path {
		case "/v5/market/instruments-info":
			cat := r.URL.Query().Get("category")
			list := lists[cat]
			if cat == CategoryOption {
				list = fixtureOptions(r.URL.Query().Get("baseCoin"))
			}
			if list == nil {
				list = []json.RawMessage{}
			}
			res, _ := json.Marshal(map[string]any{"category": cat, "list": list, "nextPageCursor": ""})
			_, _ = fmt.Fprintf(w, `{"retCode":0,"retMsg":"OK","result":%s,"time":1}`, res)
			return
		case "/v5/market/time":
			now := time.Now()
			_, _ = fmt.Fprintf(w, `{"retCode":0,"retMsg":"OK","result":{"timeSecond":"%d","timeNano":"%d"},"time":%d}`, now.Unix(), now.UnixNano(), now.UnixMilli())
			return
		}
		if r.Header.Get("X-BAPI-API-KEY") != "key" || r.Header.Get("X-BAPI-SIGN") == "" || r.Header.Get("X-BAPI-TIMESTAMP") == "" {
			_, _ = w.Write([]byte(`{"retCode":10003,"retMsg":"API key is invalid.","result":{},"time":1}`))
			return
		}
		mu.Lock()
		log = append(log, recorded{r.Method, r.URL.Path, r.URL.Query(), body})
		mu.Unlock()
		_, _ = w.Write([]byte(answer(r)))
	})
	x, err := New(exchange.Config{APIKey: "key", Secret: "secret", URLs: map[string]string{"rest": srv.URL()}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = x.Close() })
	return x, func() []recorded {
		mu.Lock()
		defer mu.Unlock()
		return append([]recorded(nil), log...)
	}
}

// emptyAnswer is an accepted order operation for POSTs and an empty list
// for GETs.
func emptyAnswer(r *http.Request) string {
	switch {
	case r.URL.Path == "/v5/order/cancel-all":
		return `{"retCode":0,"retMsg":"OK","result":{"list":[]},"time":1}`
	case r.Method == http.MethodPost:
		return `{"retCode":0,"retMsg":"OK","result":{"orderId":"1","orderLinkId":"c"},"time":1}`
	}
	return `{"retCode":0,"retMsg":"OK","result":{"list":[],"nextPageCursor":""},"time":1}`
}

// TestReplayCCXTRequests makes each of CCXT's request fixture calls and
// compares the request we send with CCXT's.
func TestReplayCCXTRequests(t *testing.T) {
	var fixture ccxtfixture.File
	readFixture(t, "request/bybit.json", &fixture)
	replayed := map[string]int{}
	methods := []string{"createOrder", "createMarketBuyOrderWithCost", "createMarketSellOrderWithCost", "createOrders",
		"editOrder", "cancelOrder", "cancelOrders", "cancelAllOrders", "fetchOrder", "fetchOpenOrder", "fetchClosedOrder",
		"fetchOpenOrders", "fetchClosedOrders", "fetchCanceledOrders", "fetchMyTrades", "fetchPositions", "fetchPosition",
		"fetchBalance", "setLeverage", "fetchLeverage"}
	for _, method := range methods {
		for _, c := range fixture.Methods[method] {
			name := method + "/" + c.Description
			t.Run(name, func(t *testing.T) {
				if c.Disabled {
					t.Skip("disabled in CCXT's fixture")
				}
				params := c.Params()
				for _, key := range append([]string{method, name}, keysOf(params)...) {
					if why, skip := ccxtRequestSkips[key]; skip {
						t.Skip(why)
					}
				}
				x, requests := fixtureVenue(t, emptyAnswer)
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				_, err := callCCXT(ctx, x, method, c, params)
				got := requests()
				if why, refused := ccxtRequestRefusals[name]; refused {
					if !errors.Is(err, errors.InvalidOrder) || len(got) > 0 {
						t.Fatalf("%s: want InvalidOrder before sending, got %v after %d requests", why, err, len(got))
					}
					replayed[method]++
					return
				}
				if err != nil {
					t.Logf("%s: %v (the recorder answers no data)", method, err)
				}
				if len(got) == 0 {
					t.Fatal("no request was sent")
				}
				compareRequest(t, got, c, ccxtfixture.Skips([]map[string]map[string]string{ccxtRequestDifferences}, method, name))
				replayed[method]++
			})
		}
	}
	for _, method := range []string{"createOrder", "createMarketBuyOrderWithCost", "createMarketSellOrderWithCost", "editOrder",
		"cancelOrder", "cancelAllOrders", "fetchOrder", "fetchOpenOrder", "fetchClosedOrder", "fetchOpenOrders",
		"fetchClosedOrders", "fetchMyTrades", "fetchPositions", "fetchPosition", "fetchBalance", "setLeverage", "fetchLeverage"} {
		if replayed[method] == 0 {
			t.Errorf("no case of %s replayed", method)
		}
	}
	if replayed["createOrder"] < 25 {
		t.Errorf("%d createOrder cases replayed", replayed["createOrder"])
	}
}

func keysOf(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// callCCXT makes CCXT's call with our arguments and returns our result.
// CCXT's params become unified fields where there is one (see
// orderRequest); the rest are passed as Bybit's own parameters.
func callCCXT(ctx context.Context, x *Exchange, method string, c ccxtfixture.Case, params map[string]any) (any, error) {
	in := c.Input
	str := func(i int) string {
		var s string
		if i < len(in) {
			_ = json.Unmarshal(in[i], &s)
		}
		return s
	}
	num := func(i int) decimal.NullDecimal {
		var n json.Number
		if i < len(in) && json.Unmarshal(in[i], &n) == nil && n != "" {
			return decimal.NewNullDecimal(decimal.RequireFromString(n.String()))
		}
		return decimal.NullDecimal{}
	}
	var got any
	var err error
	switch method {
	case "createOrder":
		req, extra := orderRequest(params)
		req.Symbol, req.Type, req.Side, req.Amount, req.Price = str(0), unified.OrderType(str(1)), unified.Side(str(2)), num(3).Decimal, num(4)
		if snap, err := x.Markets(ctx); err == nil && !strings.Contains(req.Symbol, "/") {
			// CCXT takes an option's id where a symbol goes.
			if ms := snap.MarketsByID(req.Symbol); len(ms) == 1 {
				req.Symbol = ms[0].Symbol
			}
		}
		spot := !strings.Contains(req.Symbol, ":")
		if req.Type == unified.OrderTypeMarket && spot {
			switch {
			case req.Price.Valid:
				// CCXT sizes a spot market order given a price by its
				// cost, amount × price.
				req.Cost = decimal.NewNullDecimal(req.Amount.Mul(req.Price.Decimal))
				req.Amount, req.Price = decimal.Zero, decimal.NullDecimal{}
			case params["createMarketBuyOrderRequiresPrice"] == false:
				// The amount of a market buy is its cost.
				req.Cost, req.Amount = decimal.NewNullDecimal(req.Amount), decimal.Zero
			}
			delete(extra, "createMarketBuyOrderRequiresPrice")
		}
		if spot && req.StopLossPrice.Valid {
			// A spot stop-loss order is reduce-only by construction
			// (placement sends reduceOnly with it); a unified spot order
			// takes no ReduceOnly.
			req.ReduceOnly = false
		}
		got, err = x.CreateOrder(ctx, req, exchange.Params(extra))
	case "createMarketBuyOrderWithCost", "createMarketSellOrderWithCost":
		req, extra := orderRequest(params)
		req.Symbol, req.Type, req.Cost = str(0), unified.OrderTypeMarket, num(1)
		req.Side = unified.SideBuy
		if method == "createMarketSellOrderWithCost" {
			req.Side = unified.SideSell
		}
		got, err = x.CreateOrder(ctx, req, exchange.Params(extra))
	case "editOrder":
		req, extra := orderRequest(params)
		req.Symbol, req.Type, req.Side, req.Amount, req.Price = str(1), unified.OrderType(str(2)), unified.Side(str(3)), num(4).Decimal, num(5)
		if req.ClientOrderID != "" {
			extra["clientOrderId"] = req.ClientOrderID
		}
		got, err = x.EditOrder(ctx, str(0), req, exchange.Params(extra))
	case "cancelOrder":
		got, err = x.CancelOrder(ctx, str(0), str(1), exchange.Params(stopFilter(params)))
	case "cancelAllOrders":
		got, err = x.CancelAllOrders(ctx, str(0), exchange.Params(stopFilter(params)))
	case "fetchOrder", "fetchOpenOrder", "fetchClosedOrder":
		got, err = x.FetchOrder(ctx, str(0), str(1))
	case "fetchOpenOrders":
		got, err = x.FetchOpenOrders(ctx, str(0), exchange.Params(stopFilter(params)))
	case "fetchClosedOrders":
		got, err = x.FetchClosedOrders(ctx, str(0))
	case "fetchMyTrades":
		got, err = x.FetchMyTrades(ctx, str(0))
	case "fetchPositions":
		got, err = x.FetchPositions(ctx, nil)
	case "fetchPosition":
		got, err = x.FetchPositions(ctx, []string{str(0)})
	case "fetchBalance":
		got, err = x.FetchBalance(ctx) // CCXT's subType picks the unified account here too
	case "setLeverage":
		err = x.SetLeverage(ctx, num(0).Decimal, str(1))
	case "fetchLeverage":
		got, err = x.FetchLeverage(ctx, str(0))
	default:
		err = fmt.Errorf("no replay of %s", method)
	}
	return got, err
}

// stopFilter is CCXT's {"stop": true} as Bybit's orderFilter StopOrder.
func stopFilter(params map[string]any) map[string]any {
	if params["stop"] == true {
		return map[string]any{"orderFilter": "StopOrder"}
	}
	return nil
}

// orderRequest turns CCXT's order params into unified fields: trigger,
// stop-loss and take-profit prices, attached stopLoss/takeProfit (an
// object of triggerPrice or stopPrice and price, or a trigger price
// alone), postOnly, reduceOnly, cost and clientOrderId. What is left
// (triggerDirection) goes as Params; CCXT's method (its choice of
// endpoint) is dropped.
func orderRequest(params map[string]any) (unified.OrderRequest, map[string]any) {
	var req unified.OrderRequest
	extra := map[string]any{}
	for k, v := range params {
		switch k {
		case "triggerPrice", "stopPrice":
			req.TriggerPrice = nullNumber(v)
		case "stopLossPrice":
			req.StopLossPrice = nullNumber(v)
		case "takeProfitPrice":
			req.TakeProfitPrice = nullNumber(v)
		case "stopLoss", "takeProfit":
			a := &unified.AttachedOrder{}
			if o, ok := v.(map[string]any); ok {
				trigger := o["triggerPrice"]
				if trigger == nil {
					trigger = o["stopPrice"]
				}
				a.TriggerPrice, a.Price = nullNumber(trigger).Decimal, nullNumber(o["price"])
			} else {
				a.TriggerPrice = nullNumber(v).Decimal
			}
			if k == "stopLoss" {
				req.StopLoss = a
			} else {
				req.TakeProfit = a
			}
		case "postOnly":
			req.PostOnly, _ = v.(bool)
		case "reduceOnly":
			req.ReduceOnly, _ = v.(bool)
		case "cost":
			req.Cost = nullNumber(v)
		case "clientOrderId":
			req.ClientOrderID, _ = v.(string)
		case "method":
		default:
			extra[k] = v
		}
	}
	return req, extra
}

// nullNumber reads a number CCXT writes as a JSON number or a string.
func nullNumber(v any) decimal.NullDecimal {
	switch n := v.(type) {
	case float64:
		return decimal.NewNullDecimal(decimal.NewFromFloat(n))
	case string:
		if d, err := decimal.NewFromString(n); err == nil {
			return decimal.NewNullDecimal(d)
		}
	}
	return decimal.NullDecimal{}
}

// compareRequest compares the request of ours that answers CCXT's (the
// one on the same path whose query agrees best) with CCXT's: the query's
// fields and the body's, both ways, those in skip left out.
func compareRequest(t *testing.T, got []recorded, c ccxtfixture.Case, skip map[string]string) {
	t.Helper()
	want, err := url.Parse(c.URL)
	if err != nil {
		t.Fatal(err)
	}
	var ours *recorded
	best := -1
	for i := range got {
		if got[i].path != want.Path {
			continue
		}
		agree := 0
		for k, vs := range want.Query() {
			if got[i].query.Get(k) == vs[0] {
				agree++
			}
		}
		if agree > best {
			ours, best = &got[i], agree
		}
	}
	if ours == nil {
		t.Fatalf("no request to %s; ours went to %v", want.Path, paths(got))
	}
	compareFields(t, "query", flatten(want.Query()), flatten(ours.query), skip)
	body, err := c.Body()
	if err != nil {
		t.Fatalf("CCXT's body %s: %v", c.Output, err)
	}
	if body == nil {
		if ours.method == http.MethodPost {
			t.Errorf("CCXT checks no body; ours is %s", ours.body)
		}
		return
	}
	wantBody, _ := body.(map[string]any)
	gotBody, err := ccxtfixture.Decode(ours.body)
	if err != nil {
		t.Fatalf("our body %s: %v", ours.body, err)
	}
	gotMap, _ := gotBody.(map[string]any)
	compareFields(t, "body", wantBody, gotMap, skip)
}

func paths(rs []recorded) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.method+" "+r.path+"?"+r.query.Encode())
	}
	return out
}

func flatten(q url.Values) map[string]any {
	out := map[string]any{}
	for k, vs := range q {
		out[k] = vs[0]
	}
	return out
}

// compareFields compares two sets of request fields by their JSON text
// (a string "1" and a number 1 differ), both ways; orderLinkId (ours is
// x-unifex-…, CCXT's skipKeys) and the keys in skip are left out.
func compareFields(t *testing.T, where string, want, got map[string]any, skip map[string]string) {
	t.Helper()
	keys := map[string]bool{}
	for k := range want {
		keys[k] = true
	}
	for k := range got {
		keys[k] = true
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	for _, k := range sorted {
		if _, differs := skip[k]; differs || k == "orderLinkId" {
			continue
		}
		w, inWant := want[k]
		g, inGot := got[k]
		switch {
		case !inWant:
			t.Errorf("%s: we send %s=%s, CCXT does not", where, k, text(g))
		case !inGot:
			t.Errorf("%s: we do not send %s, CCXT sends %s", where, k, text(w))
		case text(g) != text(w):
			t.Errorf("%s: %s = %s, CCXT %s", where, k, text(g), text(w))
		}
	}
}

func text(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
