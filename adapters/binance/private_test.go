package binance

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/adapters/binance/binancetest"
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/ccxtfixture"
	"github.com/unifex-go/unifex/internal/fakeserver"
	"github.com/unifex-go/unifex/internal/rest"
	"github.com/unifex-go/unifex/unified"
)

// testSecret is the HMAC secret of the test venue's key "key".
const testSecret = "secret"

// venueCall is one private request the test venue received.
type venueCall struct {
	route string // "METHOD /path"
	query url.Values
}

// testVenue is a fake Binance REST endpoint for the private calls: it
// serves the server time and CCXT's fixture markets, refuses any other
// request that lacks the API-key header, recvWindow, timestamp or a valid
// HMAC signature, records the rest and answers them with the reply set for
// their route.
type testVenue struct {
	url     string
	mu      sync.Mutex
	calls   []venueCall
	replies map[string]func(url.Values) (int, string)
}

func newTestVenue(t *testing.T, k kind) (*Exchange, *testVenue) {
	t.Helper()
	p := products[k]
	info := fixtureInfo(t, p)
	srv := fakeserver.NewHTTP()
	t.Cleanup(srv.Close)
	v := &testVenue{url: srv.URL(), replies: map[string]func(url.Values) (int, string){}}
	prefix := strings.TrimSuffix(p.exchangeInfo.Path, "/exchangeInfo")
	srv.Handle("GET "+p.exchangeInfo.Path, func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(info) })
	srv.Handle("GET "+prefix+"/time", func(w http.ResponseWriter, _ *http.Request) {
		fakeserver.WriteJSON(w, 200, map[string]int64{"serverTime": time.Now().UnixMilli()})
	})
	srv.Handle("/", v.serve)
	x, err := New(p.id, exchange.Config{APIKey: "key", Secret: testSecret,
		URLs: map[string]string{"rest": srv.URL(), "stream": "ws://127.0.0.1:1"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = x.Close() })
	return x, v
}

func (v *testVenue) serve(w http.ResponseWriter, r *http.Request) {
	raw := r.URL.RawQuery
	at := strings.LastIndex(raw, "&signature=")
	q := r.URL.Query()
	if r.Header.Get(apiKeyHeader) != "key" || at < 0 || q.Get("recvWindow") != "5000" || q.Get("timestamp") == "" ||
		!fakeserver.VerifyHMACSHA256(testSecret, []byte(raw[:at]), raw[at+len("&signature="):]) {
		fakeserver.WriteJSON(w, 401, map[string]any{"code": -1022, "msg": "Signature for this request is not valid."})
		return
	}
	route := r.Method + " " + r.URL.Path
	v.mu.Lock()
	v.calls = append(v.calls, venueCall{route, q})
	reply := v.replies[route]
	v.mu.Unlock()
	if reply == nil {
		fakeserver.WriteJSON(w, 404, map[string]any{"code": -1, "msg": "no reply set for " + route})
		return
	}
	status, body := reply(q)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

// on answers route with status and body.
func (v *testVenue) on(route string, status int, body string) {
	v.onFunc(route, func(url.Values) (int, string) { return status, body })
}

func (v *testVenue) onFunc(route string, reply func(url.Values) (int, string)) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.replies[route] = reply
}

// sent returns the queries of the requests to route, in order.
func (v *testVenue) sent(route string) []url.Values {
	v.mu.Lock()
	defer v.mu.Unlock()
	var out []url.Values
	for _, c := range v.calls {
		if c.route == route {
			out = append(out, c.query)
		}
	}
	return out
}

// total is how many private requests arrived.
func (v *testVenue) total() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return len(v.calls)
}

// golden is the message of a golden Binance file of testdata.
func golden(t *testing.T, dir, name string) string {
	t.Helper()
	data, err := os.ReadFile("testdata/" + dir + "/" + name + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Message json.RawMessage `json:"message"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	return string(file.Message)
}

// goldenStatus is the HTTP status a golden error file records.
func goldenStatus(t *testing.T, dir, name string) int {
	t.Helper()
	data, _ := os.ReadFile("testdata/" + dir + "/" + name + ".json")
	var file struct {
		Status int `json:"status"`
	}
	if err := json.Unmarshal(data, &file); err != nil || file.Status == 0 {
		t.Fatalf("%s/%s: no status", dir, name)
	}
	return file.Status
}

// expectJSON compares v, encoded as CCXT's structure, with want by CCXT's
// rules (ccxtfixture.Compare): every key of want must match.
func expectJSON(t *testing.T, v any, want string) {
	t.Helper()
	ours, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var a, e any
	decode(t, ours, &a)
	decode(t, []byte(want), &e)
	for _, d := range ccxtfixture.Compare("", e, a, nil) {
		t.Error(d)
	}
}

func mustDecimal(t *testing.T, s string) decimal.Decimal {
	t.Helper()
	d, err := decimal.NewFromString(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func nullDecimal(d decimal.Decimal) decimal.NullDecimal { return decimal.NewNullDecimal(d) }

// fixtureMarket is CCXT's fixture market of symbol, parsed as the adapter
// parses exchangeInfo.
func fixtureMarket(t *testing.T, k kind, symbol string) *unified.Market {
	t.Helper()
	var info exchangeInfo
	if err := json.Unmarshal(fixtureInfo(t, products[k]), &info); err != nil {
		t.Fatal(err)
	}
	ms, err := parseMarkets(products[k], &info)
	if err != nil {
		t.Fatal(err)
	}
	for i := range ms {
		if ms[i].Symbol == symbol {
			return &ms[i]
		}
	}
	t.Fatalf("no fixture market %s", symbol)
	return nil
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

// A USD-M and a COIN-M order in the shapes of the futures "New Order"
// response examples (developers.binance.com, as the official Python
// connector's tests carry them).
const (
	usdmNewOrderReply = `{"clientOrderId":"testOrder","cumQty":"0","cumQuote":"0","executedQty":"0","orderId":22542179,
		"avgPrice":"0.00000","origQty":"10","price":"0","reduceOnly":false,"side":"SELL","positionSide":"SHORT","status":"NEW",
		"stopPrice":"0","closePosition":false,"symbol":"BTCUSDT","timeInForce":"GTD","type":"LIMIT","origType":"LIMIT",
		"updateTime":1566818724722,"workingType":"CONTRACT_PRICE","priceProtect":false,"priceMatch":"NONE",
		"selfTradePreventionMode":"NONE","goodTillDate":1693207680000}`
	coinmNewOrderReply = `{"clientOrderId":"testOrder","cumQty":"0","cumBase":"0","executedQty":"0","orderId":22542179,
		"avgPrice":"0.0","origQty":"10","price":"0","reduceOnly":false,"closePosition":false,"side":"SELL","positionSide":"SHORT",
		"status":"NEW","stopPrice":"9300","symbol":"BTCUSD_PERP","pair":"BTCUSD","timeInForce":"GTC","type":"TRAILING_STOP_MARKET",
		"origType":"TRAILING_STOP_MARKET","activatePrice":"9020","priceRate":"0.3","updateTime":1566818724722,
		"workingType":"CONTRACT_PRICE","priceProtect":false,"priceMatch":"NONE","selfTradePreventionMode":"NONE"}`
)

func TestParseOrderGoldens(t *testing.T) {
	spotBTC := fixtureMarket(t, spot, "BTC/USDT")
	cases := []struct {
		name   string
		k      kind
		m      *unified.Market
		reply  string
		cancel bool
		want   string
	}{
		{"spot FULL", spot, spotBTC, golden(t, "binance", "rest_order_full"), false, `{"id":"28","clientOrderId":"6gCrw2kRUAF9CvJDGP16IP",
			"timestamp":1507725176595,"lastTradeTimestamp":1507725176595,"lastUpdateTimestamp":1507725176595,"symbol":"BTC/USDT",
			"type":"market","timeInForce":"GTC","postOnly":false,"side":"sell","price":1,"average":1,"amount":10,"filled":10,
			"remaining":0,"cost":10,"status":"closed","fee":{"currency":"USDT","cost":39.983},"fees":[{"currency":"USDT","cost":39.983}]}`},
		{"spot RESULT", spot, spotBTC, golden(t, "binance", "rest_order_result"), false, `{"id":"28","status":"closed","amount":10,
			"filled":10,"cost":10,"average":1,"trades":[]}`},
		{"spot query", spot, spotBTC, golden(t, "binance", "rest_query_order"), false, `{"id":"1","clientOrderId":"myOrder1",
			"timestamp":1499827319559,"lastUpdateTimestamp":1499827319559,"type":"limit","side":"buy","price":0.1,"amount":1,
			"filled":0,"remaining":1,"cost":0,"status":"open","timeInForce":"GTC","postOnly":false}`},
		{"spot cancel: the order's own client id", spot, spotBTC, golden(t, "binance", "rest_cancel_order"), true,
			`{"id":"4","clientOrderId":"myOrder1","status":"canceled","price":2,"amount":1,"filled":0,"remaining":1,"lastUpdateTimestamp":1684804350068}`},
		{"USD-M new order", usdm, fixtureMarket(t, usdm, "BTC/USDT:USDT"), usdmNewOrderReply, false, `{"id":"22542179",
			"clientOrderId":"testOrder","timestamp":1566818724722,"symbol":"BTC/USDT:USDT","type":"limit","timeInForce":"GTD",
			"reduceOnly":false,"side":"sell","amount":10,"filled":0,"remaining":10,"cost":0,"status":"open"}`},
		{"COIN-M trailing stop", coinm, fixtureMarket(t, coinm, "BTC/USD:BTC"), coinmNewOrderReply, false, `{"id":"22542179",
			"symbol":"BTC/USD:BTC","type":"market","triggerPrice":9300,"side":"sell","amount":10,"status":"open"}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var r restOrder
			if err := json.Unmarshal([]byte(c.reply), &r); err != nil {
				t.Fatal(err)
			}
			if c.cancel {
				canceledOwnID(&r)
			}
			o, err := parseOrder(c.k, c.m, &r, false)
			if err != nil {
				t.Fatal(err)
			}
			expectJSON(t, o, c.want)
		})
	}
	// Falsy values ccxtfixture.Compare does not tell apart, checked one by one.
	var r restOrder
	_ = json.Unmarshal([]byte(golden(t, "binance", "rest_query_order")), &r)
	o, _ := parseOrder(spot, spotBTC, &r, true)
	if !o.LastTradeTimestamp.IsZero() || o.Average.Valid || o.ReduceOnly != nil || o.Info == nil {
		t.Errorf("an unfilled spot order: last trade %v, average %v, reduce-only %v, info %v", o.LastTradeTimestamp, o.Average, o.ReduceOnly, o.Info)
	}
	_ = json.Unmarshal([]byte(golden(t, "binance", "rest_order_full")), &r)
	if o, _ = parseOrder(spot, spotBTC, &r, false); len(o.Trades) != 5 || o.Trades[1].ID != "57" || o.Trades[1].Order != "28" ||
		!o.Trades[1].Cost.Decimal.Equal(decimal.RequireFromString("19995")) {
		t.Errorf("fills: %+v", o.Trades)
	}
	if _, err := parseOrder(spot, spotBTC, &restOrder{OrderID: "1", Side: "SIDEWAYS"}, false); !errors.Is(err, errors.BadResponse) {
		t.Errorf("an order without a side: %v", err)
	}
}

func TestOrderStatusesAndTypes(t *testing.T) {
	m := fixtureMarket(t, usdm, "BTC/USDT:USDT")
	for native, want := range map[string]unified.OrderStatus{"NEW": "open", "PARTIALLY_FILLED": "open", "FILLED": "closed",
		"CANCELED": "canceled", "PENDING_CANCEL": "canceled", "REJECTED": "rejected", "EXPIRED": "expired", "EXPIRED_IN_MATCH": "expired"} {
		o, err := parseOrder(usdm, m, &restOrder{OrderID: "1", Side: "BUY", Status: native, Type: "LIMIT"}, false)
		if err != nil || o.Status != want {
			t.Errorf("%s: %q, %v", native, o.Status, err)
		}
	}
	for _, c := range []struct {
		k        kind
		native   string
		want     unified.OrderType
		postOnly bool
	}{
		{spot, "LIMIT_MAKER", "limit", true}, {spot, "STOP_LOSS", "market", false}, {spot, "STOP_LOSS_LIMIT", "limit", false},
		{spot, "TAKE_PROFIT", "market", false}, {usdm, "TAKE_PROFIT", "limit", false}, {usdm, "STOP", "limit", false},
		{usdm, "TAKE_PROFIT_MARKET", "market", false}, {coinm, "LIQUIDATION", "liquidation", false},
	} {
		typ, postOnly := unifiedType(c.k, c.native)
		if typ != c.want || postOnly != c.postOnly {
			t.Errorf("%v %s: %s %v", c.k, c.native, typ, postOnly)
		}
	}
	o, _ := parseOrder(usdm, m, &restOrder{OrderID: "1", Side: "BUY", Status: "NEW", Type: "LIMIT", TimeInForce: "GTX"}, false)
	if o.TimeInForce != unified.TIFPO || o.PostOnly == nil || !*o.PostOnly {
		t.Errorf("GTX: %s %v", o.TimeInForce, o.PostOnly)
	}
}

func TestParseAccountGoldens(t *testing.T) {
	var spotAcct restSpotAccount
	_ = json.Unmarshal([]byte(golden(t, "binance", "rest_account")), &spotAcct)
	b, err := parseSpotBalances(&spotAcct, false)
	if err != nil {
		t.Fatal(err)
	}
	expectJSON(t, b, `{"timestamp":123456789,"BTC":{"free":4723846.89208129,"used":0,"total":4723846.89208129},
		"LTC":{"free":4763368.68006011,"used":0,"total":4763368.68006011}}`)

	// Account Information V3 (USD-M) and Account Information (COIN-M)
	// response examples.
	var usdmAcct, coinmAcct restFuturesAccount
	_ = json.Unmarshal([]byte(`{"totalWalletBalance":"126.72469206","availableBalance":"126.72469206","assets":[{"asset":"USDT",
		"walletBalance":"23.72469206","unrealizedProfit":"0.50000000","marginBalance":"24.22469206","maintMargin":"0.10000000",
		"initialMargin":"2.00000000","positionInitialMargin":"2.00000000","openOrderInitialMargin":"0.00000000",
		"crossWalletBalance":"23.72469206","crossUnPnl":"0.50000000","availableBalance":"22.22469206",
		"maxWithdrawAmount":"22.22469206","updateTime":1625474304765}],"positions":[]}`), &usdmAcct)
	if b, err = parseFuturesBalances(&usdmAcct, false); err != nil {
		t.Fatal(err)
	}
	expectJSON(t, b, `{"USDT":{"free":22.22469206,"used":2,"total":24.22469206}}`)
	if !b.Timestamp.IsZero() {
		t.Errorf("USD-M v3 gives no account time, got %v", b.Timestamp)
	}
	_ = json.Unmarshal([]byte(`{"assets":[{"asset":"BTC","walletBalance":"0.00241969","unrealizedProfit":"0.00000000",
		"marginBalance":"0.00241969","maintMargin":"0.00000000","initialMargin":"0.00000000","positionInitialMargin":"0.00000000",
		"openOrderInitialMargin":"0.00000000","maxWithdrawAmount":"0.00241969","crossWalletBalance":"0.00241969",
		"crossUnPnl":"0.00000000","availableBalance":"0.00241969","updateTime":1625474304765}],"canTrade":true,"updateTime":0}`), &coinmAcct)
	if b, err = parseFuturesBalances(&coinmAcct, false); err != nil {
		t.Fatal(err)
	}
	expectJSON(t, b, `{"BTC":{"free":0.00241969,"used":0,"total":0.00241969}}`)
}

func TestParseMyTradeGoldens(t *testing.T) {
	cases := []struct {
		name  string
		k     kind
		m     *unified.Market
		reply string
		want  string
	}{
		{"spot", spot, fixtureMarket(t, spot, "BTC/USDT"), golden(t, "binance", "rest_myTrades"), `{"id":"28457","order":"100234",
			"timestamp":1499865549590,"side":"buy","takerOrMaker":"taker","price":4.000001,"amount":12,"cost":48.000012,
			"fee":{"currency":"BNB","cost":10.1}}`},
		// Account Trade List response examples of USD-M and COIN-M.
		{"USD-M", usdm, fixtureMarket(t, usdm, "BTC/USDT:USDT"), `[{"buyer":false,"commission":"0.07819010","commissionAsset":"USDT",
			"id":698759,"maker":true,"orderId":25851813,"price":"7819.01","qty":"0.002","quoteQty":"15.63802","baseQty":"0.002",
			"marginAsset":"USDT","realizedPnl":"-0.91539999","side":"SELL","positionSide":"SHORT","symbol":"BTCUSDT","pair":"BTCUSDT",
			"time":1569514978020}]`, `{"id":"698759","order":"25851813","side":"sell","takerOrMaker":"maker","price":7819.01,
			"amount":0.002,"cost":15.63802,"fee":{"currency":"USDT","cost":0.0781901}}`},
		{"COIN-M: the value in the coin", coinm, fixtureMarket(t, coinm, "BTC/USD:BTC"), `[{"symbol":"BTCUSD_200626","id":6,
			"orderId":28,"pair":"BTCUSD","side":"SELL","price":"8800","qty":"1","realizedPnl":"0","marginAsset":"BTC",
			"baseQty":"0.01136364","quoteQty":"100","commission":"0.00000454","commissionAsset":"BTC","time":1590743483586,
			"positionSide":"BOTH","buyer":false,"maker":false}]`, `{"id":"6","side":"sell","takerOrMaker":"taker","amount":1,
			"cost":0.01136364,"fee":{"currency":"BTC","cost":0.00000454}}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var raw []restMyTrade
			if err := json.Unmarshal([]byte(c.reply), &raw); err != nil || len(raw) != 1 {
				t.Fatal(err)
			}
			tr, err := parseMyTrade(c.k, c.m, &raw[0], false)
			if err != nil {
				t.Fatal(err)
			}
			expectJSON(t, tr, c.want)
		})
	}
}

func TestParsePositions(t *testing.T) {
	// Position Information V3 response example (USD-M).
	var r restPosition
	_ = json.Unmarshal([]byte(`{"symbol":"BTCUSDT","positionSide":"BOTH","positionAmt":"30","entryPrice":"0.385",
		"breakEvenPrice":"0.385077","markPrice":"0.41047590","unRealizedProfit":"0.76427700","liquidationPrice":"0",
		"isolatedMargin":"0","notional":"12.31427700","marginAsset":"USDT","isolatedWallet":"0","initialMargin":"0.61571385",
		"maintMargin":"0.08004280","positionInitialMargin":"0.61571385","openOrderInitialMargin":"0","adl":2,"bidNotional":"0",
		"askNotional":"0","updateTime":1720736417660}`), &r)
	p, err := parsePosition(usdm, fixtureMarket(t, usdm, "BTC/USDT:USDT"), &r, false)
	if err != nil {
		t.Fatal(err)
	}
	expectJSON(t, p, `{"symbol":"BTC/USDT:USDT","timestamp":1720736417660,"side":"long","contracts":30,"contractSize":1,
		"entryPrice":0.385,"markPrice":0.4104759,"notional":12.314277,"initialMargin":0.61571385,"initialMarginPercentage":0.05,
		"maintenanceMargin":0.0800428,"maintenanceMarginPercentage":0.00649999,"unrealizedPnl":0.764277,"percentage":124.12,
		"marginMode":"cross","hedged":false}`)
	if p.LiquidationPrice.Valid || p.Collateral.Valid || p.MarginRatio.Valid || p.Leverage.Valid {
		t.Errorf("cross position: liquidation %v, collateral %v, margin ratio %v, leverage %v", p.LiquidationPrice, p.Collateral, p.MarginRatio, p.Leverage)
	}
	// An isolated short in hedge mode.
	r = restPosition{PositionSide: "SHORT", PositionAmt: "-2", EntryPrice: "100", MarkPrice: "110", UnRealizedProfit: "-20",
		IsolatedMargin: "30", IsolatedWallet: "50", Notional: "-220", PositionInitialMargin: "22", MaintMargin: "3", LiquidationPrice: "120"}
	if p, err = parsePosition(usdm, fixtureMarket(t, usdm, "BTC/USDT:USDT"), &r, false); err != nil {
		t.Fatal(err)
	}
	expectJSON(t, p, `{"side":"short","contracts":2,"notional":220,"marginMode":"isolated","hedged":true,"collateral":30,
		"marginRatio":0.1,"percentage":-90.9,"liquidationPrice":120,"initialMarginPercentage":0.1}`)
	// COIN-M (Position Information; the example's zero position made an
	// isolated short): contracts, leverage, the notional in the coin.
	r = restPosition{Symbol: "BTCUSD_PERP", PositionAmt: "-3", EntryPrice: "68911", MarkPrice: "68234.2", UnRealizedProfit: "0.00004318",
		LiquidationPrice: "72491.1", Leverage: "20", MarginType: "isolated", IsolatedMargin: "0.00025", NotionalValue: "-0.00439662",
		PositionSide: "BOTH", UpdateTime: 1722105622903}
	if p, err = parsePosition(coinm, fixtureMarket(t, coinm, "BTC/USD:BTC"), &r, false); err != nil {
		t.Fatal(err)
	}
	expectJSON(t, p, `{"symbol":"BTC/USD:BTC","side":"short","contracts":3,"contractSize":100,"leverage":20,"notional":0.00439662,
		"initialMargin":0.00021983,"initialMarginPercentage":0.05,"collateral":0.00025,"marginMode":"isolated","percentage":19.64}`)
	if p.MarginRatio.Valid || p.MaintenanceMargin.Valid {
		t.Errorf("COIN-M gives no maintenance margin: %v %v", p.MaintenanceMargin, p.MarginRatio)
	}
}

func TestCreateOrderRequests(t *testing.T) {
	spotReply := golden(t, "binance", "rest_order_result")
	cases := []struct {
		name   string
		k      kind
		req    unified.OrderRequest
		params map[string]any
		want   map[string]string // "" means absent
	}{
		{"spot limit, rounded to step and tick", spot, unified.OrderRequest{Symbol: "BTC/USDT", Type: "limit", Side: "buy",
			Amount: decimal.RequireFromString("0.0012345"), Price: dec("30000.126")}, nil,
			map[string]string{"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "timeInForce": "GTC", "quantity": "0.00123",
				"price": "30000.13", "newOrderRespType": "FULL", "stopPrice": "", "reduceOnly": ""}},
		{"spot post-only", spot, unified.OrderRequest{Symbol: "BTC/USDT", Type: "limit", Side: "sell", Amount: decimal.RequireFromString("0.001"),
			Price: dec("30000"), PostOnly: true}, nil, map[string]string{"type": "LIMIT_MAKER", "side": "SELL", "timeInForce": ""}},
		{"spot IOC", spot, unified.OrderRequest{Symbol: "BTC/USDT", Type: "limit", Side: "buy", Amount: decimal.RequireFromString("0.001"),
			Price: dec("30000"), TimeInForce: "IOC"}, nil, map[string]string{"type": "LIMIT", "timeInForce": "IOC"}},
		{"spot market by cost", spot, unified.OrderRequest{Symbol: "BTC/USDT", Type: "market", Side: "buy", Cost: dec("25.129")}, nil,
			map[string]string{"type": "MARKET", "quoteOrderQty": "25.12", "quantity": "", "price": "", "timeInForce": ""}},
		{"spot stop loss", spot, unified.OrderRequest{Symbol: "BTC/USDT", Type: "market", Side: "sell", Amount: decimal.RequireFromString("0.01"),
			StopLossPrice: dec("25000")}, nil, map[string]string{"type": "STOP_LOSS", "stopPrice": "25000", "price": "", "timeInForce": ""}},
		{"spot trigger is a stop loss", spot, unified.OrderRequest{Symbol: "BTC/USDT", Type: "limit", Side: "sell",
			Amount: decimal.RequireFromString("0.01"), Price: dec("24900"), TriggerPrice: dec("25000")}, nil,
			map[string]string{"type": "STOP_LOSS_LIMIT", "stopPrice": "25000", "price": "24900", "timeInForce": "GTC"}},
		{"spot take profit limit", spot, unified.OrderRequest{Symbol: "BTC/USDT", Type: "limit", Side: "sell",
			Amount: decimal.RequireFromString("0.01"), Price: dec("40000"), TakeProfitPrice: dec("39999.999")}, nil,
			map[string]string{"type": "TAKE_PROFIT_LIMIT", "stopPrice": "40000", "timeInForce": "GTC"}},
		{"spot own client id and native params", spot, unified.OrderRequest{Symbol: "BTC/USDT", Type: "limit", Side: "buy",
			Amount: decimal.RequireFromString("0.001"), Price: dec("30000"), ClientOrderID: "my.order:1/a_b-c"},
			map[string]any{"selfTradePreventionMode": "EXPIRE_MAKER", "icebergQty": decimal.RequireFromString("0.0005"), "strategyId": 7},
			map[string]string{"newClientOrderId": "my.order:1/a_b-c", "selfTradePreventionMode": "EXPIRE_MAKER", "icebergQty": "0.0005", "strategyId": "7"}},
		{"USD-M post-only is GTX", usdm, unified.OrderRequest{Symbol: "BTC/USDT:USDT", Type: "limit", Side: "buy",
			Amount: decimal.RequireFromString("0.0105"), Price: dec("30000.04"), TimeInForce: "PO"}, nil,
			map[string]string{"symbol": "BTCUSDT", "type": "LIMIT", "timeInForce": "GTX", "quantity": "0.01", "price": "30000",
				"newOrderRespType": "RESULT"}},
		{"USD-M reduce-only market", usdm, unified.OrderRequest{Symbol: "BTC/USDT:USDT", Type: "market", Side: "sell",
			Amount: decimal.RequireFromString("0.01"), ReduceOnly: true}, nil,
			map[string]string{"type": "MARKET", "reduceOnly": "true", "timeInForce": "", "price": ""}},
		{"USD-M GTD", usdm, unified.OrderRequest{Symbol: "BTC/USDT:USDT", Type: "limit", Side: "buy",
			Amount: decimal.RequireFromString("0.01"), Price: dec("30000"), TimeInForce: "GTD"},
			map[string]any{"goodTillDate": int64(1893456000000), "positionSide": "LONG"},
			map[string]string{"timeInForce": "GTD", "goodTillDate": "1893456000000", "positionSide": "LONG"}},
		{"COIN-M contracts, FOK", coinm, unified.OrderRequest{Symbol: "BTC/USD:BTC", Type: "limit", Side: "buy",
			Amount: decimal.RequireFromString("3"), Price: dec("60000.15"), TimeInForce: "FOK"}, nil,
			map[string]string{"symbol": "BTCUSD_PERP", "quantity": "3", "price": "60000.2", "timeInForce": "FOK"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x, v := newTestVenue(t, c.k)
			route := "POST " + privateAPIs[c.k].newOrder.Path
			reply := spotReply
			if c.k != spot {
				reply = usdmNewOrderReply
			}
			v.on(route, 200, reply)
			if _, err := x.CreateOrder(ctx(t), c.req, exchange.Params(c.params)); err != nil {
				t.Fatal(err)
			}
			sent := v.sent(route)
			if len(sent) != 1 {
				t.Fatalf("%d requests", len(sent))
			}
			q := sent[0]
			for k, want := range c.want {
				if got := q.Get(k); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
			id := q.Get("newClientOrderId")
			if c.req.ClientOrderID == "" && (!strings.HasPrefix(id, clientIDs.Prefix) || len(id) != clientIDs.Max || !clientIDs.Valid(id)) {
				t.Errorf("generated client order id %q", id)
			}
		})
	}
}

func TestGeneratedClientOrderIDsDiffer(t *testing.T) {
	x, _ := newTestVenue(t, spot)
	a, b := clientIDs.New(x.REST().Sources()), clientIDs.New(x.REST().Sources())
	if a == b || !clientIDs.Valid(a) {
		t.Errorf("%q %q", a, b)
	}
}

// TestOrdersRefusedBeforeSending: what the market's rules or Binance's
// order endpoint refuse never reaches the venue.
func TestOrdersRefusedBeforeSending(t *testing.T) {
	amount := func(s string) decimal.Decimal { return decimal.RequireFromString(s) }
	spotLimit := func(edit func(*unified.OrderRequest)) unified.OrderRequest {
		r := unified.OrderRequest{Symbol: "BTC/USDT", Type: "limit", Side: "buy", Amount: amount("0.001"), Price: dec("30000")}
		edit(&r)
		return r
	}
	usdmLimit := func(edit func(*unified.OrderRequest)) unified.OrderRequest {
		r := unified.OrderRequest{Symbol: "BTC/USDT:USDT", Type: "limit", Side: "buy", Amount: amount("0.01"), Price: dec("30000")}
		edit(&r)
		return r
	}
	cases := []struct {
		name   string
		k      kind
		req    unified.OrderRequest
		params map[string]any
		kind   *errors.Kind
	}{
		{"no symbol", spot, spotLimit(func(r *unified.OrderRequest) { r.Symbol = "" }), nil, errors.ArgumentsRequired},
		{"unknown symbol", spot, spotLimit(func(r *unified.OrderRequest) { r.Symbol = "NOPE/USDT" }), nil, errors.BadSymbol},
		{"amount below the minimum", spot, spotLimit(func(r *unified.OrderRequest) { r.Amount = amount("0.000001") }), nil, errors.InvalidOrder},
		{"price zero at the tick", spot, spotLimit(func(r *unified.OrderRequest) { r.Price = dec("0.001") }), nil, errors.InvalidOrder},
		{"notional below the minimum", spot, spotLimit(func(r *unified.OrderRequest) { r.Amount = amount("0.0001") }), nil, errors.InvalidOrder},
		{"price above the maximum", usdm, usdmLimit(func(r *unified.OrderRequest) { r.Price = dec("9000000") }), nil, errors.InvalidOrder},
		{"spot reduce-only", spot, spotLimit(func(r *unified.OrderRequest) { r.ReduceOnly = true }), nil, errors.NotSupported},
		{"spot GTD", spot, spotLimit(func(r *unified.OrderRequest) { r.TimeInForce = "GTD" }), nil, errors.NotSupported},
		{"spot post-only trigger", spot, spotLimit(func(r *unified.OrderRequest) { r.PostOnly, r.TriggerPrice = true, dec("29000") }), nil, errors.InvalidOrder},
		{"a bad client order id", spot, spotLimit(func(r *unified.OrderRequest) { r.ClientOrderID = "has space" }), nil, errors.InvalidOrder},
		{"a client order id too long", spot, spotLimit(func(r *unified.OrderRequest) { r.ClientOrderID = strings.Repeat("a", 37) }), nil, errors.InvalidOrder},
		{"attached stop loss", spot, spotLimit(func(r *unified.OrderRequest) { r.StopLoss = &unified.AttachedOrder{TriggerPrice: amount("1")} }), nil, errors.NotSupported},
		{"spot margin", spot, spotLimit(func(r *unified.OrderRequest) { r.MarginMode = "cross" }), nil, errors.NotSupported},
		{"market FOK", spot, spotLimit(func(r *unified.OrderRequest) { r.Type, r.TimeInForce = "market", "FOK" }), nil, errors.InvalidOrder},
		{"a Params key the arguments set", spot, spotLimit(func(*unified.OrderRequest) {}), map[string]any{"quantity": "5"}, errors.BadRequest},
		{"a Params value of no type", spot, spotLimit(func(*unified.OrderRequest) {}), map[string]any{"icebergQty": []int{1}}, errors.BadRequest},
		{"futures stop market under the notional at its trigger", usdm, unified.OrderRequest{Symbol: "BTC/USDT:USDT", Type: "market",
			Side: "sell", Amount: amount("0.001"), StopLossPrice: dec("100")}, nil, errors.InvalidOrder},
		{"futures cost", usdm, unified.OrderRequest{Symbol: "BTC/USDT:USDT", Type: "market", Side: "buy", Cost: dec("100")}, nil, errors.NotSupported},
		{"futures leverage", usdm, usdmLimit(func(r *unified.OrderRequest) { r.Leverage = dec("5") }), nil, errors.NotSupported},
		{"USD-M GTD without goodTillDate", usdm, usdmLimit(func(r *unified.OrderRequest) { r.TimeInForce = "GTD" }), nil, errors.ArgumentsRequired},
		{"COIN-M GTD", coinm, unified.OrderRequest{Symbol: "BTC/USD:BTC", Type: "limit", Side: "buy", Amount: amount("1"),
			Price: dec("60000"), TimeInForce: "GTD"}, map[string]any{"goodTillDate": 1}, errors.NotSupported},
		{"futures trailing stop by an amount", usdm, unified.OrderRequest{Symbol: "BTC/USDT:USDT", Type: "market", Side: "sell", Amount: amount("0.01"),
			TrailingAmount: dec("100")}, nil, errors.NotSupported},
		{"futures trailing stop with a limit price", coinm, unified.OrderRequest{Symbol: "BTC/USD:BTC", Type: "limit", Side: "sell", Amount: amount("1"),
			Price: dec("60000"), TrailingPercent: dec("1")}, nil, errors.NotSupported},
		{"futures trailing percent above 10", usdm, unified.OrderRequest{Symbol: "BTC/USDT:USDT", Type: "market", Side: "sell", Amount: amount("0.01"),
			TrailingPercent: dec("10.5")}, nil, errors.InvalidOrder},
		{"futures trailing percent below 0.1", coinm, unified.OrderRequest{Symbol: "BTC/USD:BTC", Type: "market", Side: "sell", Amount: amount("1"),
			TrailingPercent: dec("0.05")}, nil, errors.InvalidOrder},
		{"spot trailing stop", spot, unified.OrderRequest{Symbol: "BTC/USDT", Type: "market", Side: "sell", Amount: amount("0.01"),
			TrailingAmount: dec("100")}, nil, errors.NotSupported},
		{"futures one-cancels-the-other", usdm, unified.OrderRequest{Symbol: "BTC/USDT:USDT", Type: "market", Side: "sell",
			Amount: amount("0.01"), StopLossPrice: dec("50000"), TakeProfitPrice: dec("80000")}, nil, errors.NotSupported},
		{"spot one-cancels-the-other", spot, spotLimit(func(r *unified.OrderRequest) {
			r.StopLossPrice, r.TakeProfitPrice = dec("20000"), dec("40000")
		}), nil, errors.NotSupported},
		{"futures test order", usdm, usdmLimit(func(*unified.OrderRequest) {}), map[string]any{"test": true}, errors.NotSupported},
		{"test that is no bool", spot, spotLimit(func(*unified.OrderRequest) {}), map[string]any{"test": "yes"}, errors.BadRequest},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x, v := newTestVenue(t, c.k)
			v.on("POST "+privateAPIs[c.k].newOrder.Path, 200, usdmNewOrderReply)
			o, err := x.CreateOrder(ctx(t), c.req, exchange.Params(c.params))
			if !errors.Is(err, c.kind) || o != nil {
				t.Errorf("got %v, %v; want %v", o, err, c.kind)
			}
			if n := v.total(); n != 0 {
				t.Errorf("%d requests reached the venue", n)
			}
		})
	}
}

func TestCreateTestOrder(t *testing.T) {
	x, v := newTestVenue(t, spot)
	v.on("POST /api/v3/order/test", 200, `{"standardCommissionForOrder":{"maker":"0.001","taker":"0.001"}}`)
	o, err := x.CreateOrder(ctx(t), unified.OrderRequest{Symbol: "BTC/USDT", Type: "limit", Side: "buy",
		Amount: decimal.RequireFromString("0.001"), Price: dec("30000")}, exchange.Params(map[string]any{"test": true, "computeCommissionRates": true}))
	if err != nil {
		t.Fatal(err)
	}
	sent := v.sent("POST /api/v3/order/test")
	if len(sent) != 1 || v.total() != 1 || sent[0].Get("computeCommissionRates") != "true" || sent[0].Has("test") {
		t.Fatalf("requests: %v", v.calls)
	}
	if o.ID != "" || o.Status != "" || !strings.HasPrefix(o.ClientOrderID, clientIDs.Prefix) || !o.Amount.Decimal.Equal(decimal.RequireFromString("0.001")) {
		t.Errorf("test order: %+v", o)
	}
}

// TestUnknownOutcomeIsReconciled: an order whose outcome is unknown is
// never sent again but looked up by its client order id.
func TestUnknownOutcomeIsReconciled(t *testing.T) {
	req := unified.OrderRequest{Symbol: "BTC/USDT", Type: "limit", Side: "buy", Amount: decimal.RequireFromString("0.001"), Price: dec("30000")}
	timeout := `{"code":-1007,"msg":"Timeout waiting for response from backend server. Send status unknown; execution status unknown."}`
	t.Run("found", func(t *testing.T) {
		x, v := newTestVenue(t, spot)
		v.on("POST /api/v3/order", 500, timeout)
		v.onFunc("GET /api/v3/order", func(q url.Values) (int, string) {
			return 200, `{"symbol":"BTCUSDT","orderId":77,"clientOrderId":"` + q.Get("origClientOrderId") +
				`","price":"30000","origQty":"0.001","executedQty":"0","cummulativeQuoteQty":"0","status":"NEW","timeInForce":"GTC",
				"type":"LIMIT","side":"BUY","time":1,"updateTime":1}`
		})
		o, err := x.CreateOrder(ctx(t), req)
		if err != nil {
			t.Fatal(err)
		}
		posted, looked := v.sent("POST /api/v3/order"), v.sent("GET /api/v3/order")
		if len(posted) != 1 || len(looked) != 1 || looked[0].Get("origClientOrderId") != posted[0].Get("newClientOrderId") || looked[0].Has("orderId") {
			t.Fatalf("posted %v, looked up %v", posted, looked)
		}
		if o.ID != "77" || o.ClientOrderID != posted[0].Get("newClientOrderId") {
			t.Errorf("order %+v", o)
		}
	})
	t.Run("not found yet", func(t *testing.T) {
		x, v := newTestVenue(t, spot)
		v.on("POST /api/v3/order", 503, `<html>Service Unavailable</html>`)
		v.on("GET /api/v3/order", goldenStatus(t, "binance", "error_no_such_order"), golden(t, "binance", "error_no_such_order"))
		o, err := x.CreateOrder(ctx(t), req)
		if !errors.Is(err, errors.ExchangeNotAvailable) || o == nil || errors.SafeToRetry(err) {
			t.Fatalf("got %v, %v", o, err)
		}
		id := v.sent("POST /api/v3/order")[0].Get("newClientOrderId")
		if len(v.sent("POST /api/v3/order")) != 1 || o.ClientOrderID != id || o.ID != "" || !strings.Contains(err.Error(), id) {
			t.Errorf("order %+v, error %v", o, err)
		}
	})
	t.Run("refused", func(t *testing.T) {
		x, v := newTestVenue(t, spot)
		v.on("POST /api/v3/order", goldenStatus(t, "binance", "error_insufficient_balance"), golden(t, "binance", "error_insufficient_balance"))
		o, err := x.CreateOrder(ctx(t), req)
		if !errors.Is(err, errors.InsufficientFunds) || o != nil || len(v.sent("GET /api/v3/order")) != 0 {
			t.Errorf("got %v, %v and %d look-ups", o, err, len(v.sent("GET /api/v3/order")))
		}
	})
}

func TestPrivateErrorsMapped(t *testing.T) {
	cases := []struct {
		name  string
		k     kind
		route string
		file  string // a golden error of testdata/binance, or a body
		call  func(context.Context, *Exchange) error
		kind  *errors.Kind
	}{
		{"-2010 insufficient balance", spot, "POST /api/v3/order", "error_insufficient_balance", func(c context.Context, x *Exchange) error {
			_, err := x.CreateOrder(c, unified.OrderRequest{Symbol: "BTC/USDT", Type: "market", Side: "buy", Amount: decimal.RequireFromString("1")})
			return err
		}, errors.InsufficientFunds},
		{"-2011 unknown order", spot, "DELETE /api/v3/order", "error_cancel_unknown_order", func(c context.Context, x *Exchange) error {
			_, err := x.CancelOrder(c, "1", "BTC/USDT")
			return err
		}, errors.OrderNotFound},
		{"-2013 no such order", spot, "GET /api/v3/order", "error_no_such_order", func(c context.Context, x *Exchange) error {
			_, err := x.FetchOrder(c, "1", "BTC/USDT")
			return err
		}, errors.OrderNotFound},
		{"-2015 rejected key", spot, "GET /api/v3/account", "error_rejected_key", func(c context.Context, x *Exchange) error {
			_, err := x.FetchBalance(c)
			return err
		}, errors.AuthenticationError},
		{"-1121 invalid symbol", spot, "GET /api/v3/openOrders", "error_invalid_symbol", func(c context.Context, x *Exchange) error {
			_, err := x.FetchOpenOrders(c, "")
			return err
		}, errors.BadSymbol},
		{"USD-M -2019 margin insufficient", usdm, "POST /fapi/v1/order", `{"code":-2019,"msg":"Margin is insufficient."}`,
			func(c context.Context, x *Exchange) error {
				_, err := x.CreateOrder(c, unified.OrderRequest{Symbol: "BTC/USDT:USDT", Type: "market", Side: "buy", Amount: decimal.RequireFromString("1")})
				return err
			}, errors.InsufficientFunds},
		{"USD-M -5022 post-only would take", usdm, "POST /fapi/v1/order", `{"code":-5022,"msg":"Due to the order could not be executed as maker, the Post Only order will be rejected."}`,
			func(c context.Context, x *Exchange) error {
				_, err := x.CreateOrder(c, unified.OrderRequest{Symbol: "BTC/USDT:USDT", Type: "limit", Side: "buy", PostOnly: true,
					Amount: decimal.RequireFromString("1"), Price: dec("30000")})
				return err
			}, errors.OrderImmediatelyFillable},
		{"COIN-M -4028 leverage", coinm, "POST /dapi/v1/leverage", `{"code":-4028,"msg":"Leverage 100 is not valid"}`,
			func(c context.Context, x *Exchange) error {
				return x.SetLeverage(c, decimal.NewFromInt(100), "BTC/USD:BTC")
			}, errors.BadRequest},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x, v := newTestVenue(t, c.k)
			if strings.HasPrefix(c.file, "{") {
				v.on(c.route, 400, c.file)
			} else {
				v.on(c.route, goldenStatus(t, "binance", c.file), golden(t, "binance", c.file))
			}
			err := c.call(ctx(t), x)
			var e *errors.Error
			if !errors.Is(err, c.kind) || !errors.As(err, &e) || e.Exchange != x.p.id || e.Code == "" {
				t.Errorf("got %v, want %v", err, c.kind)
			}
		})
	}
}

func TestSignedRequestsWithoutSecret(t *testing.T) {
	_, v := newTestVenue(t, spot)
	x, err := New(IDSpot, exchange.Config{APIKey: "key", URLs: map[string]string{"rest": v.url, "stream": "ws://127.0.0.1:1"}})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if _, err := x.FetchBalance(ctx(t)); !errors.Is(err, errors.AuthenticationError) || !errors.SafeToRetry(err) {
		t.Errorf("no secret: %v", err)
	}
	if v.total() != 0 {
		t.Error("a request left")
	}
}

func TestFetchBalanceRequests(t *testing.T) {
	x, v := newTestVenue(t, spot)
	v.on("GET /api/v3/account", 200, golden(t, "binance", "rest_account"))
	b, err := x.FetchBalance(ctx(t))
	if err != nil || len(b.Currencies) != 2 {
		t.Fatal(b, err)
	}
	if q := v.sent("GET /api/v3/account")[0]; q.Get("omitZeroBalances") != "true" {
		t.Errorf("query %v", q)
	}
	if _, err := x.FetchBalance(ctx(t), exchange.Params(map[string]any{"omitZeroBalances": false})); err != nil {
		t.Fatal(err)
	}
	if q := v.sent("GET /api/v3/account")[1]; q["omitZeroBalances"][0] != "false" || len(q["omitZeroBalances"]) != 1 {
		t.Errorf("query %v", q)
	}
	x, v = newTestVenue(t, coinm)
	v.on("GET /dapi/v1/account", 200, `{"assets":[{"asset":"BTC","marginBalance":"1.5","initialMargin":"0.5","availableBalance":"1"}]}`)
	if b, err = x.FetchBalance(ctx(t)); err != nil {
		t.Fatal(err)
	}
	expectJSON(t, b, `{"BTC":{"free":1,"used":0.5,"total":1.5}}`)
}

func TestEditOrder(t *testing.T) {
	amendReply := `{"transactTime":1741926410255,"executionId":75,"amendedOrder":{"symbol":"BTCUSDT","orderId":33,"orderListId":-1,
		"origClientOrderId":"5xrgbMyg6z36NzBn2pbT8H","clientOrderId":"PFaq6hIHxqFENGfdtn4J6Q","price":"6.00000000","qty":"5.00000000",
		"executedQty":"0.00000000","preventedQty":"0.00000000","quoteOrderQty":"0.00000000","cumulativeQuoteQty":"0.00000000",
		"status":"NEW","timeInForce":"GTC","type":"LIMIT","side":"SELL","workingTime":1741926410242,"selfTradePreventionMode":"NONE"}}`
	cancelReplaceReply := `{"cancelResult":"SUCCESS","newOrderResult":"SUCCESS","cancelResponse":{"symbol":"BTCUSDT",
		"origClientOrderId":"DnLo3vTAQcjha43lAZhZ0y","orderId":9,"orderListId":-1,"clientOrderId":"osxN3JXAtJvKvCqGeMWMVR",
		"transactTime":1684804350068,"price":"0.01000000","origQty":"0.000100","executedQty":"0.00000000","origQuoteOrderQty":"0.000000",
		"cummulativeQuoteQty":"0.00000000","status":"CANCELED","timeInForce":"GTC","type":"LIMIT","side":"SELL","selfTradePreventionMode":"NONE"},
		"newOrderResponse":{"symbol":"BTCUSDT","orderId":10,"orderListId":-1,"clientOrderId":"wOceeeOzNORyLiQfw7jd8S","transactTime":1652928801803,
		"price":"0.02000000","origQty":"0.040000","executedQty":"0.00000000","origQuoteOrderQty":"0.000000","cummulativeQuoteQty":"0.00000000",
		"status":"NEW","timeInForce":"GTC","type":"LIMIT","side":"BUY","workingTime":1669277163808,"fills":[],"selfTradePreventionMode":"NONE"}}`

	t.Run("spot amount only keeps priority", func(t *testing.T) {
		x, v := newTestVenue(t, spot)
		v.on("PUT /api/v3/order/amend/keepPriority", 200, amendReply)
		o, err := x.EditOrder(ctx(t), "33", unified.OrderRequest{Symbol: "BTC/USDT", Amount: decimal.RequireFromString("0.0050009")})
		if err != nil {
			t.Fatal(err)
		}
		q := v.sent("PUT /api/v3/order/amend/keepPriority")[0]
		if q.Get("orderId") != "33" || q.Get("newQty") != "0.005" || !strings.HasPrefix(q.Get("newClientOrderId"), clientIDs.Prefix) {
			t.Errorf("query %v", q)
		}
		expectJSON(t, o, `{"id":"33","clientOrderId":"PFaq6hIHxqFENGfdtn4J6Q","amount":5,"price":6,"filled":0,"remaining":5,
			"status":"open","lastUpdateTimestamp":1741926410255}`)
	})
	t.Run("spot price change cancels and replaces", func(t *testing.T) {
		x, v := newTestVenue(t, spot)
		v.on("POST /api/v3/order/cancelReplace", 200, cancelReplaceReply)
		o, err := x.EditOrder(ctx(t), "9", unified.OrderRequest{Symbol: "BTC/USDT", Type: "limit", Side: "buy",
			Amount: decimal.RequireFromString("0.04"), Price: dec("30000"), ClientOrderID: "next-1"})
		if err != nil {
			t.Fatal(err)
		}
		q := v.sent("POST /api/v3/order/cancelReplace")[0]
		for k, want := range map[string]string{"cancelReplaceMode": "STOP_ON_FAILURE", "cancelOrderId": "9", "type": "LIMIT",
			"quantity": "0.04", "price": "30000", "timeInForce": "GTC", "newClientOrderId": "next-1"} {
			if q.Get(k) != want {
				t.Errorf("%s = %q, want %q", k, q.Get(k), want)
			}
		}
		if o.ID != "10" || o.Status != unified.StatusOpen {
			t.Errorf("order %+v", o)
		}
	})
	t.Run("spot cancel-replace refused", func(t *testing.T) {
		x, v := newTestVenue(t, spot)
		v.on("POST /api/v3/order/cancelReplace", 400, `{"code":-2022,"msg":"Order cancel-replace failed.","data":{"cancelResult":"FAILURE",
			"newOrderResult":"NOT_ATTEMPTED","cancelResponse":{"code":-2011,"msg":"Unknown order sent."},"newOrderResponse":null}}`)
		o, err := x.EditOrder(ctx(t), "9", unified.OrderRequest{Symbol: "BTC/USDT", Type: "limit", Side: "buy",
			Amount: decimal.RequireFromString("0.04"), Price: dec("30000")})
		if !errors.Is(err, errors.ExchangeError) || o != nil || len(v.sent("GET /api/v3/order")) != 0 {
			t.Errorf("got %v, %v", o, err)
		}
	})
	for _, k := range []kind{usdm, coinm} {
		t.Run(products[k].id+" modifies in place", func(t *testing.T) {
			x, v := newTestVenue(t, k)
			route := "PUT " + privateAPIs[k].modify.Path
			v.on(route, 200, usdmNewOrderReply)
			symbol, qty := "BTC/USDT:USDT", "0.02"
			if k == coinm {
				symbol, qty = "BTC/USD:BTC", "2"
			}
			if _, err := x.EditOrder(ctx(t), "22542179", unified.OrderRequest{Symbol: symbol, Side: "sell",
				Amount: decimal.RequireFromString(qty), Price: dec("31000")}); err != nil {
				t.Fatal(err)
			}
			q := v.sent(route)[0]
			if q.Get("orderId") != "22542179" || q.Get("side") != "SELL" || q.Get("quantity") != qty || q.Get("price") != "31000" {
				t.Errorf("query %v", q)
			}
			if _, err := x.EditOrder(ctx(t), "1", unified.OrderRequest{Symbol: symbol, Type: "market", Side: "sell",
				Amount: decimal.RequireFromString(qty)}); !errors.Is(err, errors.NotSupported) {
				t.Errorf("a market edit: %v", err)
			}
		})
	}
	x, v := newTestVenue(t, spot)
	for _, req := range []unified.OrderRequest{{Symbol: "BTC/USDT"}, {Symbol: "BTC/USDT", Amount: decimal.RequireFromString("0.0000001")}} {
		if _, err := x.EditOrder(ctx(t), "1", req); !errors.Is(err, errors.InvalidOrder) && !errors.Is(err, errors.ArgumentsRequired) {
			t.Errorf("%+v: %v", req, err)
		}
	}
	if _, err := x.EditOrder(ctx(t), "", unified.OrderRequest{Symbol: "BTC/USDT"}); !errors.Is(err, errors.ArgumentsRequired) {
		t.Errorf("no id: %v", err)
	}
	if v.total() != 0 {
		t.Error("a refused edit reached the venue")
	}
}

func TestCancelOrders(t *testing.T) {
	x, v := newTestVenue(t, spot)
	v.on("DELETE /api/v3/order", 200, golden(t, "binance", "rest_cancel_order"))
	o, err := x.CancelOrder(ctx(t), "", "BTC/USDT", exchange.Params(map[string]any{"clientOrderId": "myOrder1"}))
	if err != nil || o.ClientOrderID != "myOrder1" || o.Status != unified.StatusCanceled {
		t.Fatalf("%+v %v", o, err)
	}
	if q := v.sent("DELETE /api/v3/order")[0]; q.Get("origClientOrderId") != "myOrder1" || q.Has("orderId") || q.Get("symbol") != "BTCUSDT" {
		t.Errorf("query %v", q)
	}
	for _, call := range []func() error{
		func() error { _, err := x.CancelOrder(ctx(t), "1", ""); return err },
		func() error { _, err := x.CancelOrder(ctx(t), "", "BTC/USDT"); return err },
		func() error { _, err := x.CancelAllOrders(ctx(t), ""); return err },
		func() error { _, err := x.FetchOrder(ctx(t), "1", ""); return err },
		func() error { _, err := x.FetchOrders(ctx(t), ""); return err },
		func() error { _, err := x.FetchMyTrades(ctx(t), ""); return err },
	} {
		if err := call(); !errors.Is(err, errors.ArgumentsRequired) {
			t.Errorf("no symbol or id: %v", err)
		}
	}
	// Cancel All Open Orders on a Symbol response example: two orders and
	// an order list of two.
	v.on("DELETE /api/v3/openOrders", 200, spotCancelAllReply)
	all, err := x.CancelAllOrders(ctx(t), "BTC/USDT")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, o := range all {
		ids = append(ids, o.ID+":"+o.ClientOrderID+":"+string(o.Status))
	}
	want := []string{"11:E6APeyTJvkMvLMYMqu1KQ4:canceled", "13:A3EF2HCwxgZPFMrfwbgrhv:canceled",
		"20:CwOOIPHSmYywx6jZX77TdL:canceled", "21:461cPg51vQjV3zIMOXNz39:canceled"}
	if !slices.Equal(ids, want) {
		t.Errorf("canceled %v", ids)
	}
	if all[2].Type != unified.OrderTypeLimit || !all[2].TriggerPrice.Valid {
		t.Errorf("the stop-loss-limit member: %+v", all[2])
	}

	fx, fv := newTestVenue(t, usdm)
	fv.on("DELETE /fapi/v1/allOpenOrders", 200, `{"code":200,"msg":"The operation of cancel all open order is done."}`)
	if all, err := fx.CancelAllOrders(ctx(t), "BTC/USDT:USDT"); err != nil || len(all) != 0 || len(fv.sent("DELETE /fapi/v1/allOpenOrders")) != 1 {
		t.Errorf("USD-M cancel all: %v %v", all, err)
	}
}

const spotCancelAllReply = `[{"symbol":"BTCUSDT","origClientOrderId":"E6APeyTJvkMvLMYMqu1KQ4","orderId":11,"orderListId":-1,
	"clientOrderId":"pXLV6Hz6mprAcVYpVMTGgx","transactTime":1684804350068,"price":"0.089853","origQty":"0.178622",
	"executedQty":"0.000000","origQuoteOrderQty":"0.000000","cummulativeQuoteQty":"0.000000","status":"CANCELED","timeInForce":"GTC",
	"type":"LIMIT","side":"BUY","selfTradePreventionMode":"NONE"},
	{"symbol":"BTCUSDT","origClientOrderId":"A3EF2HCwxgZPFMrfwbgrhv","orderId":13,"orderListId":-1,"clientOrderId":"pXLV6Hz6mprAcVYpVMTGgx",
	"transactTime":1684804350069,"price":"0.090430","origQty":"0.178622","executedQty":"0.000000","origQuoteOrderQty":"0.000000",
	"cummulativeQuoteQty":"0.000000","status":"CANCELED","timeInForce":"GTC","type":"LIMIT","side":"BUY","selfTradePreventionMode":"NONE"},
	{"orderListId":1929,"contingencyType":"OCO","listStatusType":"ALL_DONE","listOrderStatus":"ALL_DONE",
	"listClientOrderId":"2inzWQdDvZLHbbAmAozX2N","transactionTime":1585230948299,"symbol":"BTCUSDT",
	"orders":[{"symbol":"BTCUSDT","orderId":20,"clientOrderId":"CwOOIPHSmYywx6jZX77TdL"},{"symbol":"BTCUSDT","orderId":21,"clientOrderId":"461cPg51vQjV3zIMOXNz39"}],
	"orderReports":[{"symbol":"BTCUSDT","origClientOrderId":"CwOOIPHSmYywx6jZX77TdL","orderId":20,"orderListId":1929,
	"clientOrderId":"pXLV6Hz6mprAcVYpVMTGgx","transactTime":1688005070874,"price":"0.668611","origQty":"0.690354","executedQty":"0.000000",
	"origQuoteOrderQty":"0.000000","cummulativeQuoteQty":"0.000000","status":"CANCELED","timeInForce":"GTC","type":"STOP_LOSS_LIMIT",
	"side":"BUY","stopPrice":"0.378131","icebergQty":"0.017083","selfTradePreventionMode":"NONE"},
	{"symbol":"BTCUSDT","origClientOrderId":"461cPg51vQjV3zIMOXNz39","orderId":21,"orderListId":1929,"clientOrderId":"pXLV6Hz6mprAcVYpVMTGgx",
	"transactTime":1688005070874,"price":"0.008791","origQty":"0.690354","executedQty":"0.000000","origQuoteOrderQty":"0.000000",
	"cummulativeQuoteQty":"0.000000","status":"CANCELED","timeInForce":"GTC","type":"LIMIT_MAKER","side":"BUY","icebergQty":"0.639962",
	"selfTradePreventionMode":"NONE"}]}]`

func TestOrderHistoryRequests(t *testing.T) {
	x, v := newTestVenue(t, spot)
	order := func(id, symbol, status string) string {
		return `{"symbol":"` + symbol + `","orderId":` + id + `,"clientOrderId":"c` + id + `","price":"100","origQty":"1","executedQty":"0",
			"cummulativeQuoteQty":"0","status":"` + status + `","timeInForce":"GTC","type":"LIMIT","side":"BUY","time":1,"updateTime":2}`
	}
	v.on("GET /api/v3/allOrders", 200, "["+order("1", "BTCUSDT", "NEW")+","+order("2", "BTCUSDT", "FILLED")+","+order("3", "BTCUSDT", "CANCELED")+"]")
	since := time.UnixMilli(1700000000000)
	all, err := x.FetchOrders(ctx(t), "BTC/USDT", exchange.Since(since), exchange.Limit(5000), exchange.Params(map[string]any{"endTime": 1700000100000}))
	if err != nil || len(all) != 3 {
		t.Fatal(all, err)
	}
	q := v.sent("GET /api/v3/allOrders")[0]
	if q.Get("startTime") != "1700000000000" || q.Get("limit") != "1000" || q.Get("endTime") != "1700000100000" {
		t.Errorf("query %v", q)
	}
	closed, err := x.FetchClosedOrders(ctx(t), "BTC/USDT")
	if err != nil || len(closed) != 2 || closed[0].ID != "2" || closed[1].Status != unified.StatusCanceled {
		t.Errorf("closed %v %v", closed, err)
	}
	v.on("GET /api/v3/openOrders", 200, "["+order("4", "BTCUSDT", "NEW")+","+order("5", "LTCUSDT", "PARTIALLY_FILLED")+"]")
	open, err := x.FetchOpenOrders(ctx(t), "")
	if err != nil || len(open) != 2 || open[1].Symbol != "LTC/USDT" || v.sent("GET /api/v3/openOrders")[0].Has("symbol") {
		t.Errorf("open %v %v", open, err)
	}
	v.on("GET /api/v3/myTrades", 200, strings.Replace(golden(t, "binance", "rest_myTrades"), "BNBBTC", "BTCUSDT", 1))
	trades, err := x.FetchMyTrades(ctx(t), "BTC/USDT", exchange.Limit(10))
	if err != nil || len(trades) != 1 || trades[0].Symbol != "BTC/USDT" || v.sent("GET /api/v3/myTrades")[0].Get("limit") != "10" {
		t.Errorf("trades %v %v", trades, err)
	}
}

func TestPositionsAndLeverage(t *testing.T) {
	x, v := newTestVenue(t, usdm)
	v.on("GET /fapi/v3/positionRisk", 200, `[{"symbol":"BTCUSDT","positionSide":"BOTH","positionAmt":"0.009","entryPrice":"67445.9",
		"markPrice":"67502.68519858","unRealizedProfit":"0.51106678","liquidationPrice":"64846.98753790","isolatedMargin":"0",
		"notional":"607.52416678","isolatedWallet":"0","initialMargin":"7.59405208","maintMargin":"2.43009666",
		"positionInitialMargin":"7.59405208","updateTime":1722161166529},
		{"symbol":"ETHUSDT","positionSide":"BOTH","positionAmt":"0.000","entryPrice":"0","markPrice":"3000","unRealizedProfit":"0",
		"liquidationPrice":"0","isolatedMargin":"0","notional":"0","isolatedWallet":"0","initialMargin":"0","maintMargin":"0",
		"positionInitialMargin":"0","updateTime":0}]`)
	ps, err := x.FetchPositions(ctx(t), nil)
	if err != nil || len(ps) != 1 || ps[0].Symbol != "BTC/USDT:USDT" {
		t.Fatalf("%v %v", ps, err)
	}
	if ps, err = x.FetchPositions(ctx(t), []string{"BTC/USDT:USDT"}); err != nil || len(ps) != 1 {
		t.Fatalf("%v %v", ps, err)
	}
	if q := v.sent("GET /fapi/v3/positionRisk"); q[0].Has("symbol") || q[1].Get("symbol") != "BTCUSDT" {
		t.Errorf("queries %v", q)
	}
	if ps, err = x.FetchPositions(ctx(t), []string{"ETH/USDT:USDT", "ADA/USDT:USDT"}); err != nil || len(ps) != 0 {
		t.Errorf("filtered: %v %v", ps, err)
	}
	if _, err = x.FetchPositions(ctx(t), []string{"NOPE/USDT:USDT"}); !errors.Is(err, errors.BadSymbol) {
		t.Errorf("unknown symbol: %v", err)
	}

	v.onFunc("POST /fapi/v1/leverage", func(q url.Values) (int, string) {
		return 200, `{"leverage":` + q.Get("leverage") + `,"maxNotionalValue":"1000000","symbol":"BTCUSDT"}`
	})
	if err := x.SetLeverage(ctx(t), decimal.NewFromInt(20), "BTC/USDT:USDT"); err != nil {
		t.Fatal(err)
	}
	if q := v.sent("POST /fapi/v1/leverage")[0]; q.Get("leverage") != "20" || q.Get("symbol") != "BTCUSDT" {
		t.Errorf("query %v", q)
	}
	for _, bad := range []string{"2.5", "0", "126"} {
		if err := x.SetLeverage(ctx(t), decimal.RequireFromString(bad), "BTC/USDT:USDT"); !errors.Is(err, errors.BadRequest) {
			t.Errorf("leverage %s: %v", bad, err)
		}
	}
	if n := len(v.sent("POST /fapi/v1/leverage")); n != 1 {
		t.Errorf("%d leverage requests", n)
	}
	v.on("POST /fapi/v1/leverage", 200, `{"leverage":10,"symbol":"BTCUSDT"}`)
	if err := x.SetLeverage(ctx(t), decimal.NewFromInt(20), "BTC/USDT:USDT"); !errors.Is(err, errors.BadResponse) {
		t.Errorf("a leverage the venue did not set: %v", err)
	}

	sx, _ := newTestVenue(t, spot)
	if _, err := sx.FetchPositions(ctx(t), nil); !errors.Is(err, errors.NotSupported) {
		t.Errorf("spot positions: %v", err)
	}
	if err := sx.SetLeverage(ctx(t), decimal.NewFromInt(2), "BTC/USDT"); !errors.Is(err, errors.NotSupported) {
		t.Errorf("spot leverage: %v", err)
	}
}

func TestPrivateFeatures(t *testing.T) {
	for _, p := range products {
		fs := featuresOf(p)
		for _, f := range []exchange.Feature{exchange.FeatureFetchBalance, exchange.FeatureCreateOrder, exchange.FeatureEditOrder,
			exchange.FeatureCancelOrder, exchange.FeatureCancelAllOrders, exchange.FeatureFetchOrder, exchange.FeatureFetchOrders,
			exchange.FeatureFetchOpenOrders, exchange.FeatureFetchClosedOrders, exchange.FeatureFetchMyTrades} {
			if !fs.Has(f) {
				t.Errorf("%s lacks %s", p.id, f)
			}
		}
		futures := p.kind != spot
		if fs.Has(exchange.FeatureFetchPositions) != futures || fs.Has(exchange.FeatureSetLeverage) != futures {
			t.Errorf("%s: positions %v, leverage %v", p.id, fs.Has(exchange.FeatureFetchPositions), fs.Has(exchange.FeatureSetLeverage))
		}
	}
}

// TestPrivateAgainstFakeBinance runs the private calls end to end against
// the fake Binance of each product, which verifies every signature.
func TestPrivateAgainstFakeBinance(t *testing.T) {
	for _, product := range []binancetest.Product{binancetest.Spot, binancetest.USDM, binancetest.COINM} {
		t.Run(product.String(), func(t *testing.T) {
			srv := binancetest.Start(binancetest.Config{Product: product, Seed: 7})
			defer srv.Close()
			x, err := New(product.String(), exchange.Config{APIKey: binancetest.TestAPIKey, Secret: binancetest.TestSecret, URLs: srv.URLs(),
				Options: Options{Retry: rest.RetryPolicy{MaxAttempts: 1}}})
			if err != nil {
				t.Fatal(err)
			}
			defer x.Close()
			c := ctx(t)
			req := srv.OrderRequest(0)
			placed, err := x.CreateOrder(c, req)
			if err != nil {
				t.Fatal(err)
			}
			if placed.Status != unified.StatusOpen || !strings.HasPrefix(placed.ClientOrderID, clientIDs.Prefix) || placed.Symbol != req.Symbol {
				t.Fatalf("placed %+v", placed)
			}
			got, err := x.FetchOrder(c, "", req.Symbol, exchange.Params(map[string]any{"clientOrderId": placed.ClientOrderID}))
			if err != nil || got.ID != placed.ID || !got.Amount.Decimal.Equal(req.Amount) {
				t.Fatalf("fetched by client id: %+v %v", got, err)
			}
			open, err := x.FetchOpenOrders(c, "")
			if err != nil || !slices.ContainsFunc(open, func(o unified.Order) bool { return o.ID == placed.ID }) {
				t.Fatalf("open orders %v %v", open, err)
			}
			canceled, err := x.CancelOrder(c, placed.ID, req.Symbol)
			if err != nil || canceled.Status != unified.StatusCanceled || canceled.ClientOrderID != placed.ClientOrderID {
				t.Fatalf("canceled %+v %v", canceled, err)
			}
			closed, err := x.FetchClosedOrders(c, req.Symbol)
			if err != nil || !slices.ContainsFunc(closed, func(o unified.Order) bool { return o.ID == placed.ID && o.Status == unified.StatusCanceled }) {
				t.Fatalf("closed orders %v %v", closed, err)
			}
			if _, err := x.CancelOrder(c, placed.ID, req.Symbol); !errors.Is(err, errors.OrderNotFound) && !errors.Is(err, errors.InvalidOrder) {
				t.Errorf("a second cancel: %v", err)
			}

			market := unified.OrderRequest{Symbol: req.Symbol, Type: unified.OrderTypeMarket, Side: unified.SideBuy, Amount: req.Amount}
			filled, err := x.CreateOrder(c, market)
			if err != nil || filled.Status != unified.StatusClosed || !filled.Filled.Decimal.Equal(req.Amount) {
				t.Fatalf("market order %+v %v", filled, err)
			}
			trades, err := x.FetchMyTrades(c, req.Symbol)
			if err != nil || !slices.ContainsFunc(trades, func(tr unified.Trade) bool { return tr.Order == filled.ID }) {
				t.Fatalf("my trades %v %v", trades, err)
			}
			b, err := x.FetchBalance(c)
			if err != nil || len(b.Currencies) == 0 {
				t.Fatalf("balance %v %v", b, err)
			}
			if product == binancetest.Spot {
				return
			}
			ps, err := x.FetchPositions(c, []string{req.Symbol})
			if err != nil || len(ps) != 1 || !ps[0].Contracts.Decimal.Equal(srv.Position(req.Symbol).Abs()) || ps[0].Side != unified.PositionLong {
				t.Fatalf("positions %v %v (venue %s)", ps, err, srv.Position(req.Symbol))
			}
			if err := x.SetLeverage(c, decimal.NewFromInt(7), req.Symbol); err != nil {
				t.Fatal(err)
			}
			if _, err := x.CancelAllOrders(c, req.Symbol); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// FuzzPrivateReplies: any reply body gives a result or an error, never a
// panic, on every parser of the private side.
func FuzzPrivateReplies(f *testing.F) {
	for _, seed := range []string{usdmNewOrderReply, coinmNewOrderReply, spotCancelAllReply,
		`{"positionAmt":"-1","notional":"0","leverage":"0","isolatedWallet":"1","isolatedMargin":"0","maintMargin":"1"}`,
		`{"positionAmt":"1","notionalValue":"-5","leverage":"3","marginType":"ISOLATED","isolatedMargin":"-2","unRealizedProfit":"1"}`,
		`{"orderId":"1","side":"BUY","status":"FILLED","cummulativeQuoteQty":"-1","executedQty":"0","fills":[{"qty":"x"}]}`,
		`[{"symbol":"BTCUSD_PERP","marginType":"CROSSED","leverage":21},{"symbol":"BTCUSD_PERP","leverage":"7","isolated":true,"positionSide":"SHORT"}]`} {
		f.Add([]byte(seed))
	}
	m := &unified.Market{Symbol: "BTC/USD:BTC", ID: "BTCUSD_PERP", Contract: true, Inverse: true, ContractSize: dec("100")}
	f.Fuzz(func(t *testing.T, body []byte) {
		var o restOrder
		if json.Unmarshal(body, &o) == nil {
			for _, k := range []kind{spot, usdm, coinm} {
				_, _ = parseOrder(k, m, &o, true)
			}
		}
		var p restPosition
		if json.Unmarshal(body, &p) == nil {
			_, _ = parsePosition(coinm, m, &p, true)
			_, _ = parsePosition(usdm, m, &p, false)
		}
		var tr restMyTrade
		if json.Unmarshal(body, &tr) == nil {
			_, _ = parseMyTrade(coinm, m, &tr, false)
		}
		var acct restFuturesAccount
		if json.Unmarshal(body, &acct) == nil {
			_, _ = parseFuturesBalances(&acct, false)
		}
		var levers []restLeverage
		if json.Unmarshal(body, &levers) == nil {
			if _, err := parseLeverage(m, levers, true); err != nil && !errors.Is(err, errors.BadResponse) {
				t.Fatalf("leverage: %v", err)
			}
		}
	})
}
