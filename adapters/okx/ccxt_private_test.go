package okx

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/ccxtfixture"
	"github.com/unifex-go/unifex/internal/fakeserver"
	"github.com/unifex-go/unifex/unified"
)

// CCXT's private request fixtures (testdata/ccxt/request.json): each case
// is a unified call and the request CCXT sends for it. We make the same
// call against a recorder and compare the request: method, path, query
// and body fields. CCXT's skipKeys (clOrdId, tag: its broker id) are not
// compared.

// ccxtRequestSkips are the cases we do not replay, with the reason.
var ccxtRequestSkips = map[string]string{
	"closeFraction":                     "closing a whole position (amount 0) is not unified",
	"hedged":                            "CCXT's hedged flag derives posSide; pass Params{\"posSide\": ...} instead",
	"createMarketBuyOrderRequiresPrice": "CCXT's own switch; a quote-sized market buy is OrderRequest.Cost",
	"method":                            "CCXT's choice of endpoint (orders-history-archive)",
}

// ccxtRequestDifferences are the request fields where we differ on purpose.
var ccxtRequestDifferences = map[string]string{
	"tgtCcy":   "CCXT sends tgtCcy=base_ccy with every spot order; OKX reads it on market orders only, where we send it (base_ccy by Amount, quote_ccy by Cost)",
	"state":    "CCXT's fetchClosedOrders asks for filled orders only; ours are filled and canceled (the unified meaning of closed)",
	"lever":    "CCXT writes the leverage as a JSON number, we as the decimal string OKX documents",
	"limit":    "we page with limit=100 (the most OKX returns)",
	"instType": "fetchClosedOrders without a symbol asks per instrument type loaded; CCXT asks for SPOT only",
}

// ccxtAlgoDifferences are the fields of POST trade/order-algo and
// amend-algos where we differ on purpose.
var ccxtAlgoDifferences = map[string]string{
	"tdMode":        "CCXT sends tdMode cross with spot algo orders; we send cash, as for every spot order without a margin mode",
	"trailingPrice": "CCXT leaves its own param (the callbackSpread it sends) in the body; OKX has no such field",
	"stopLossPrice": "CCXT's editOrder leaves its own param (the newSlTriggerPx it sends) in amend-algos' body; OKX has no such field",
}

type recorded struct {
	method, path string
	query        url.Values
	body         []byte
}

// recorder is a fake OKX that answers the instruments of CCXT's fixture
// markets and records every private request, answering it with an empty
// success (an accepted item for order operations).
func recorder(t *testing.T) (*Exchange, func() []recorded) {
	t.Helper()
	byType := fixtureInstruments(t)
	srv := fakeserver.NewHTTP()
	t.Cleanup(srv.Close)
	var mu sync.Mutex
	var log []recorded
	srv.Handle("/", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		switch r.URL.Path {
		case "/api/v5/public/underlying": // no option families: the fixture's option is left out
			_, _ = w.Write([]byte(`{"code":"0","msg":"","data":[[]]}`))
			return
		case "/api/v5/public/instruments":
			list := byType[r.URL.Query().Get("instType")]
			if list == nil {
				list = []json.RawMessage{}
			}
			b, _ := json.Marshal(map[string]any{"code": "0", "msg": "", "data": list})
			_, _ = w.Write(b)
			return
		case "/api/v5/public/time":
			_, _ = fmt.Fprintf(w, `{"code":"0","msg":"","data":[{"ts":"%d"}]}`, time.Now().UnixMilli())
			return
		}
		mu.Lock()
		log = append(log, recorded{r.Method, r.URL.Path, r.URL.Query(), body})
		mu.Unlock()
		if r.Method == http.MethodPost {
			_, _ = w.Write([]byte(`{"code":"0","msg":"","data":[{"ordId":"1","clOrdId":"c","sCode":"0","sMsg":"","ts":"1"}]}`))
			return
		}
		_, _ = w.Write([]byte(`{"code":"0","msg":"","data":[]}`))
	})
	x, err := New(exchange.Config{APIKey: "k", Secret: "s", Password: "p", URLs: map[string]string{"rest": srv.URL()}})
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

type ccxtRequestCase struct {
	Description string            `json:"description"`
	Input       []json.RawMessage `json:"input"`
	URL         string            `json:"url"`
	Output      json.RawMessage   `json:"output"`
}

func TestReplayCCXTPrivateRequests(t *testing.T) {
	var fixture struct {
		Methods map[string][]ccxtRequestCase `json:"methods"`
	}
	readFixture(t, "testdata/ccxt/request.json", &fixture)
	replayed := 0
	for _, method := range []string{"createOrder", "createTriggerOrder", "createStopLossOrder", "createTakeProfitOrder", "createMarketBuyOrderWithCost", "editOrder", "cancelOrder", "fetchOrder",
		"fetchOpenOrders", "fetchClosedOrders", "fetchPositions", "setLeverage", "fetchLeverage", "fetchBalance"} {
		for _, c := range fixture.Methods[method] {
			t.Run(method+"/"+c.Description, func(t *testing.T) {
				params := map[string]any{}
				if n := len(c.Input); n > 0 {
					_ = json.Unmarshal(c.Input[n-1], &params)
				}
				for k := range params {
					if why, skip := ccxtRequestSkips[k]; skip {
						t.Skip(why)
					}
				}
				if method == "editOrder" && (params["stopLoss"] != nil || params["takeProfit"] != nil) {
					t.Skip("amending an order's attached stop loss or take profit (newSlTriggerPx... on amend-order) is not unified")
				}
				if method == "editOrder" && (params["stopLossPrice"] != nil || params["takeProfitPrice"] != nil) && !ccxtAlgoType(c.Input) {
					t.Skip("CCXT's editOrder of an ordinary order with stopLossPrice or takeProfitPrice amends its attached orders; not unified")
				}
				if method == "fetchBalance" && params["type"] != nil {
					t.Skip("only the trading account's balance is unified")
				}
				x, requests := recorder(t)
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				callCCXT(ctx, t, x, method, c.Input, params)
				got := requests()
				if len(got) == 0 {
					t.Fatal("no request was sent")
				}
				compareRequest(t, got[0], c)
				replayed++
			})
		}
	}
	if replayed < 15 {
		t.Fatalf("%d cases replayed", replayed)
	}
}

// callCCXT makes CCXT's call with our arguments; an error is fine (the
// recorder answers no data), the request is what is compared.
func callCCXT(ctx context.Context, t *testing.T, x *Exchange, method string, in []json.RawMessage, params map[string]any) {
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
	extra := map[string]any{}
	req := unified.OrderRequest{}
	for k, v := range params {
		switch k {
		case "clientOrderId":
			req.ClientOrderID, _ = v.(string)
		case "postOnly":
			req.PostOnly, _ = v.(bool)
		case "reduceOnly":
			req.ReduceOnly, _ = v.(bool)
		case "marginMode":
			mode, _ := v.(string)
			req.MarginMode = unified.MarginMode(mode)
		case "triggerPrice", "stopPrice":
			req.TriggerPrice = decimal.NewNullDecimal(decimal.NewFromFloat(v.(float64)))
		case "stopLossPrice":
			req.StopLossPrice = decimal.NewNullDecimal(decimal.NewFromFloat(v.(float64)))
		case "takeProfitPrice":
			req.TakeProfitPrice = decimal.NewNullDecimal(decimal.NewFromFloat(v.(float64)))
		case "stop", "trigger": // CCXT's two names of our Params{"trigger": true}
			extra["trigger"] = v
		case "trailingPercent":
			req.TrailingPercent = ccxtNumber(v)
		case "trailingPrice", "trailingAmount": // okx's name and the unified one: callbackSpread
			req.TrailingAmount = ccxtNumber(v)
		case "trailingTriggerPrice":
			req.TrailingTriggerPrice = ccxtNumber(v)
		case "newSlOrdPx", "newTpOrdPx": // an algo order's new order price: req.Price
			req.Price = ccxtNumber(v)
		case "stopLoss", "takeProfit":
			a := v.(map[string]any)
			trigger := a["triggerPrice"]
			if trigger == nil {
				trigger = a["stopPrice"]
			}
			ao := &unified.AttachedOrder{TriggerPrice: decimal.NewFromFloat(trigger.(float64))}
			if p, ok := a["price"].(float64); ok {
				ao.Price = decimal.NewNullDecimal(decimal.NewFromFloat(p))
			}
			if k == "stopLoss" {
				req.StopLoss = ao
			} else {
				req.TakeProfit = ao
			}
		default:
			extra[k] = v
		}
	}
	opts := []exchange.Option{exchange.Params(extra)}
	var err error
	switch method {
	case "createOrder", "createTriggerOrder", "createStopLossOrder", "createTakeProfitOrder": // the trigger is in params too
		req.Symbol, req.Type, req.Side, req.Price = str(0), unified.OrderType(str(1)), unified.Side(str(2)), num(4)
		req.Amount = num(3).Decimal
		_, err = x.CreateOrder(ctx, req, opts...)
	case "createMarketBuyOrderWithCost":
		req.Symbol, req.Type, req.Side, req.Cost = str(0), unified.OrderTypeMarket, unified.SideBuy, num(1)
		_, err = x.CreateOrder(ctx, req, opts...)
	case "editOrder":
		req.Symbol, req.Type, req.Side = str(1), unified.OrderType(str(2)), unified.Side(str(3))
		if p := num(5); p.Valid {
			req.Price = p
		}
		req.Amount = num(4).Decimal
		if ccxtAlgoType(in) { // CCXT's own order types name an algo order: ours is Params{"trigger": true}
			extra["trigger"], req.Type = true, unified.OrderTypeMarket
			if req.Price.Valid {
				req.Type = unified.OrderTypeLimit
			}
		}
		_, err = x.EditOrder(ctx, str(0), req, opts...)
	case "cancelOrder":
		_, err = x.CancelOrder(ctx, str(0), str(1), opts...)
	case "fetchOrder":
		_, err = x.FetchOrder(ctx, str(0), str(1), opts...)
	case "fetchOpenOrders":
		_, err = x.FetchOpenOrders(ctx, str(0), opts...)
	case "fetchClosedOrders":
		_, err = x.FetchClosedOrders(ctx, str(0), opts...)
	case "fetchPositions":
		var symbols []string
		if len(in) > 0 {
			_ = json.Unmarshal(in[0], &symbols)
		}
		_, err = x.FetchPositions(ctx, symbols, opts...)
	case "setLeverage":
		err = x.SetLeverage(ctx, num(0).Decimal, str(1), opts...)
	case "fetchLeverage":
		_, err = x.FetchLeverage(ctx, str(0), opts...)
	case "fetchBalance":
		_, err = x.FetchBalance(ctx, opts...)
	}
	if err != nil {
		t.Logf("%s: %v (the recorder answers no data)", method, err)
	}
}

// ccxtNumber reads a CCXT number param, written as a number or a string.
func ccxtNumber(v any) decimal.NullDecimal {
	switch n := v.(type) {
	case float64:
		return decimal.NewNullDecimal(decimal.NewFromFloat(n))
	case string:
		return decimal.NewNullDecimal(decimal.RequireFromString(n))
	}
	return decimal.NullDecimal{}
}

// ccxtAlgoType reports whether an editOrder call's type (its third
// argument) is one of OKX's algo ordTypes, which CCXT takes as the order
// type to reach amend-algos.
func ccxtAlgoType(in []json.RawMessage) bool {
	var t string
	if len(in) > 2 {
		_ = json.Unmarshal(in[2], &t)
	}
	return t == "conditional" || t == "trigger" || t == "oco"
}

// compareRequest compares our first request with CCXT's.
func compareRequest(t *testing.T, got recorded, c ccxtRequestCase) {
	t.Helper()
	want, err := url.Parse(c.URL)
	if err != nil {
		t.Fatal(err)
	}
	path := want.Path
	if strings.HasSuffix(path, "/trade/batch-orders") { // CCXT sends one order as a batch of one
		path = strings.TrimSuffix(path, "batch-orders") + "order"
	}
	if got.path != path {
		t.Fatalf("path %s, CCXT %s", got.path, want.Path)
	}
	for k, vs := range want.Query() {
		if _, differs := ccxtRequestDifferences[k]; differs {
			continue
		}
		if g := got.query.Get(k); g != vs[0] {
			t.Errorf("query %s=%q, CCXT %q", k, g, vs[0])
		}
	}
	if len(c.Output) == 0 || string(c.Output) == "null" {
		return
	}
	output := []byte(c.Output)
	var text string
	if json.Unmarshal(c.Output, &text) == nil { // outputType json: the body as a string
		output = []byte(text)
	}
	var wantBody map[string]any
	var list []map[string]any
	if json.Unmarshal(output, &list) == nil && len(list) == 1 {
		wantBody = list[0]
	} else if err := json.Unmarshal(output, &wantBody); err != nil {
		t.Fatalf("CCXT's body %s", c.Output)
	}
	var gotBody map[string]any
	if err := json.Unmarshal(got.body, &gotBody); err != nil {
		var items []map[string]any // cancel-algos: a list of one
		if json.Unmarshal(got.body, &items) != nil || len(items) != 1 {
			t.Fatalf("our body %s", got.body)
		}
		gotBody = items[0]
	}
	keys := make([]string, 0, len(wantBody))
	for k := range wantBody {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if k == "clOrdId" || k == "tag" {
			continue // CCXT's skipKeys: its broker id
		}
		if _, differs := ccxtRequestDifferences[k]; differs {
			continue
		}
		if _, differs := ccxtAlgoDifferences[k]; differs && (path == "/api/v5/trade/order-algo" || path == "/api/v5/trade/amend-algos") {
			continue
		}
		if g, w := fmt.Sprint(gotBody[k]), fmt.Sprint(wantBody[k]); g != w {
			t.Errorf("body %s = %s, CCXT %s (ours %s)", k, g, w, got.body)
		}
	}
}

// ccxtPrivateDifferences are the response fields where we differ from
// CCXT on purpose, by method.
var ccxtPrivateDifferences = map[string]map[string]string{
	"fetchClosedOrders": {
		"cost": "CCXT's reply was recorded when LTC-USDT-SWAP's contract was 0.001 LTC; the fixture markets (ctVal 1) make it 1",
	},
	"fetchOpenOrders": {
		"type": "an algo order's type is that of the order it places (market for slOrdPx -1); CCXT keeps OKX's algo ordType (conditional). The one ordinary open order here is a limit order on both sides",
	},
	"fetchPositions": {
		"contractSize":        "as fetchClosedOrders' cost: the fixture market's ctVal is 1",
		"id":                  "we keep posId, which CCXT drops for open positions",
		"lastPrice":           "we keep OKX's last, which CCXT leaves out",
		"lastUpdateTimestamp": "we keep uTime, which CCXT leaves out",
		"marginRatio":         "ours is mmr / collateral (imr) = 0.0195; CCXT's 0.0194 divides by a collateral of about 0.02286 it derives otherwise",
	},
}

// ccxtPrivateResponseSkips are the private response cases not replayed.
var ccxtPrivateResponseSkips = map[string]string{
	"fetchPositions/fetch history positions": "positions history (account/positions-history) is not unified",
}

// TestReplayCCXTPrivateResponses answers the private calls with CCXT's
// recorded replies and compares the unified results field by field.
func TestReplayCCXTPrivateResponses(t *testing.T) {
	var fixture struct {
		Methods map[string][]ccxtfixture.Case `json:"methods"`
	}
	readFixture(t, "testdata/ccxt/response.json", &fixture)
	replayed := 0
	for _, method := range []string{"fetchOrder", "fetchOpenOrders", "fetchClosedOrders", "fetchMyTrades", "fetchPositions", "fetchBalance"} {
		for _, c := range fixture.Methods[method] {
			t.Run(method+"/"+c.Description, func(t *testing.T) {
				if why, skip := ccxtPrivateResponseSkips[method+"/"+c.Description]; skip {
					t.Skip(why)
				}
				params := map[string]any{}
				if n := len(c.Input); n > 0 {
					_ = json.Unmarshal(c.Input[n-1], &params)
				}
				for k := range params {
					if why, skip := ccxtRequestSkips[k]; skip {
						t.Skip(why)
					}
				}
				if method == "fetchBalance" && params["type"] != nil {
					t.Skip("only the trading account's balance is unified")
				}
				x := replyingExchange(t, c.HTTPResponse)
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				var symbol string
				if len(c.Input) > 0 {
					_ = json.Unmarshal(c.Input[0], &symbol)
				}
				var got any
				var err error
				var opts []exchange.Option
				if params["trigger"] == true || params["stop"] == true { // an algo order list, of the fixture's ordType
					algo := map[string]any{"trigger": true}
					if t, ok := params["ordType"]; ok {
						algo["ordType"] = t
					}
					opts = append(opts, exchange.Params(algo))
				}
				switch method {
				case "fetchOrder":
					var id string
					_ = json.Unmarshal(c.Input[0], &id)
					_ = json.Unmarshal(c.Input[1], &symbol)
					got, err = x.FetchOrder(ctx, id, symbol, opts...)
				case "fetchOpenOrders":
					got, err = x.FetchOpenOrders(ctx, symbol, opts...)
				case "fetchClosedOrders":
					got, err = x.FetchClosedOrders(ctx, symbol, opts...)
				case "fetchMyTrades":
					got, err = x.FetchMyTrades(ctx, symbol)
				case "fetchPositions":
					var symbols []string
					_ = json.Unmarshal(c.Input[0], &symbols)
					got, err = x.FetchPositions(ctx, symbols)
				case "fetchBalance":
					got, err = x.FetchBalance(ctx)
				}
				if err != nil {
					t.Fatal(err)
				}
				ours, err := json.Marshal(got)
				if err != nil {
					t.Fatal(err)
				}
				var a, e any
				decode(t, ours, &a)
				decode(t, c.ParsedResponse, &e)
				for _, d := range ccxtfixture.Compare("", e, a, ccxtPrivateDifferences[method]) {
					t.Error(d)
				}
				replayed++
			})
		}
	}
	if replayed < 5 {
		t.Fatalf("%d cases replayed", replayed)
	}
}

// replyingExchange is an adapter on CCXT's fixture markets whose private
// GETs all answer reply.
func replyingExchange(t *testing.T, reply json.RawMessage) *Exchange {
	t.Helper()
	byType := fixtureInstruments(t)
	srv := fakeserver.NewHTTP()
	t.Cleanup(srv.Close)
	srv.Handle("/", func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/v5/public/underlying": // no option families: the fixture's option is left out
			_, _ = w.Write([]byte(`{"code":"0","msg":"","data":[[]]}`))
			return
		case "/api/v5/public/instruments":
			list := byType[r.URL.Query().Get("instType")]
			if list == nil {
				list = []json.RawMessage{}
			}
			b, _ := json.Marshal(map[string]any{"code": "0", "msg": "", "data": list})
			_, _ = w.Write(b)
		case "/api/v5/public/time":
			_, _ = fmt.Fprintf(w, `{"code":"0","msg":"","data":[{"ts":"%d"}]}`, time.Now().UnixMilli())
		default:
			if r.URL.Query().Get("after") != "" || (r.URL.Path == "/api/v5/trade/orders-history" && r.URL.Query().Get("instType") != "SPOT" &&
				r.URL.Query().Get("instId") == "") {
				_, _ = w.Write([]byte(`{"code":"0","msg":"","data":[]}`)) // one page, one type
				return
			}
			_, _ = w.Write(reply)
		}
	})
	x, err := New(exchange.Config{APIKey: "k", Secret: "s", Password: "p", URLs: map[string]string{"rest": srv.URL()}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = x.Close() })
	return x
}
