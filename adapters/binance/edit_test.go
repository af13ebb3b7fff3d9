package binance

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/fakeserver"
	"github.com/unifex-go/unifex/unified"
)

// wsAPIScript is a scripted WebSocket API: it answers each request with the
// golden reply set for its method (the id replaced by the request's) and
// records the requests' params.
type wsAPIScript struct {
	srv     *fakeserver.WS
	mu      sync.Mutex
	replies map[string]json.RawMessage // method -> reply
	sent    []wsAPISent
}

// wsAPISent is one request the script received.
type wsAPISent struct {
	method string
	params map[string]any
}

func newWSAPIScript(t *testing.T) *wsAPIScript {
	t.Helper()
	s := &wsAPIScript{replies: map[string]json.RawMessage{}}
	s.srv = fakeserver.NewWS(func(c *fakeserver.Conn) {
		for {
			raw, err := c.Read(context.Background())
			if err != nil {
				return
			}
			var req struct {
				ID     json.RawMessage `json:"id"`
				Method string          `json:"method"`
				Params map[string]any  `json:"params"`
			}
			if json.Unmarshal(raw, &req) != nil {
				continue
			}
			s.mu.Lock()
			s.sent = append(s.sent, wsAPISent{req.Method, req.Params})
			reply := s.replies[req.Method]
			s.mu.Unlock()
			var m map[string]json.RawMessage
			if json.Unmarshal(reply, &m) != nil {
				m = map[string]json.RawMessage{"status": json.RawMessage("200"), "result": json.RawMessage(`{"subscriptionId":0}`)}
			}
			m["id"] = req.ID
			out, _ := json.Marshal(m)
			_ = c.Send(out)
		}
	})
	t.Cleanup(s.srv.Close)
	return s
}

// on answers method with the message of a golden file.
func (s *wsAPIScript) on(t *testing.T, method, dir, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.replies[method] = json.RawMessage(golden(t, dir, name))
}

// params returns the params of the requests of method, in order.
func (s *wsAPIScript) params(method string) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []map[string]any
	for _, r := range s.sent {
		if r.method == method {
			out = append(out, r.params)
		}
	}
	return out
}

// newEditVenues returns an adapter of k whose REST goes to a test venue and
// whose WebSocket API to a script.
func newEditVenues(t *testing.T, k kind) (*Exchange, *testVenue, *wsAPIScript) {
	t.Helper()
	_, v := newTestVenue(t, k)
	v.on("GET "+strings.TrimSuffix(products[k].exchangeInfo.Path, "/exchangeInfo")+"/openOrders", 200, "[]")
	ws := newWSAPIScript(t)
	x, err := New(products[k].id, exchange.Config{APIKey: "key", Secret: testSecret,
		URLs: map[string]string{"rest": v.url, "stream": "ws://127.0.0.1:1", "wsapi": ws.srv.URL()}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = x.Close() })
	return x, v, ws
}

// goldenReply is a golden WebSocket API reply's status and its result, or
// its error object, as the REST endpoint sends the same reply.
func goldenReply(t *testing.T, dir, name string) (int, string) {
	t.Helper()
	var m struct {
		Status int             `json:"status"`
		Result json.RawMessage `json:"result"`
		Error  json.RawMessage `json:"error"`
	}
	if err := json.Unmarshal([]byte(golden(t, dir, name)), &m); err != nil {
		t.Fatal(err)
	}
	if m.Status != 200 {
		return m.Status, string(m.Error)
	}
	return m.Status, string(m.Result)
}

// TestEditGoldenReplies sends each way of editing over both transports
// against the docs' replies: the same parameters leave, the same order (or
// the same typed error) comes back.
func TestEditGoldenReplies(t *testing.T) {
	for _, tc := range []struct {
		name       string
		k          kind
		golden     string // the reply's golden file
		method     string // the WebSocket API method
		route      string // the REST route
		id         string
		req        unified.OrderRequest
		sent       map[string]string // params that must leave as given
		want       string            // the order, by CCXT's rules
		kind       *errors.Kind      // or the error
		errMessage string
	}{
		{name: "spot amend", k: spot, golden: "wsapi_order_amend_keepPriority", method: "order.amend.keepPriority",
			route: "PUT /api/v3/order/amend/keepPriority", id: "12",
			req:  unified.OrderRequest{Symbol: "BTC/USDT", Amount: decimal.RequireFromString("0.0050009")},
			sent: map[string]string{"symbol": "BTCUSDT", "orderId": "12", "newQty": "0.005"},
			want: `{"id":"12","clientOrderId":"4zR9HFcEq8gM1tWUqPEUHc","symbol":"BTC/USDT","type":"limit","side":"buy","price":5,
				"amount":5,"filled":0,"remaining":5,"status":"open","timeInForce":"GTC","lastUpdateTimestamp":1741923284382}`},
		{name: "spot cancel-replace", k: spot, golden: "wsapi_order_cancelReplace", method: "order.cancelReplace",
			route: "POST /api/v3/order/cancelReplace", id: "125690984230",
			req: unified.OrderRequest{Symbol: "BTC/USDT", Type: "limit", Side: "sell", Amount: decimal.RequireFromString("0.00847"),
				Price: dec("23416.1"), ClientOrderID: "bX5wROblo6YeDwa9iTLeyY"},
			sent: map[string]string{"cancelReplaceMode": "STOP_ON_FAILURE", "cancelOrderId": "125690984230", "side": "SELL",
				"type": "LIMIT", "timeInForce": "GTC", "quantity": "0.00847", "price": "23416.1", "newClientOrderId": "bX5wROblo6YeDwa9iTLeyY"},
			want: `{"id":"12569099453","clientOrderId":"bX5wROblo6YeDwa9iTLeyY","symbol":"BTC/USDT","type":"limit","side":"sell",
				"price":23416.1,"amount":0.00847,"filled":0,"remaining":0.00847,"status":"open","timestamp":1660813156959}`},
		{name: "spot cancel-replace of an unknown order", k: spot, golden: "wsapi_order_cancelReplace_failed", method: "order.cancelReplace",
			route: "POST /api/v3/order/cancelReplace", id: "1",
			req:  unified.OrderRequest{Symbol: "BTC/USDT", Type: "limit", Side: "sell", Amount: decimal.RequireFromString("0.00847"), Price: dec("23416.1")},
			kind: errors.OrderNotFound, errMessage: "the cancel was refused, so no new order was placed: Unknown order sent. (-2011)"},
		{name: "spot cancel-replace whose new order is refused", k: spot, golden: "wsapi_order_cancelReplace_partial", method: "order.cancelReplace",
			route: "POST /api/v3/order/cancelReplace", id: "125690984230",
			req:  unified.OrderRequest{Symbol: "BTC/USDT", Type: "limit", Side: "sell", Amount: decimal.RequireFromString("0.00847"), Price: dec("23416.1"), PostOnly: true},
			sent: map[string]string{"type": "LIMIT_MAKER"},
			kind: errors.OrderImmediatelyFillable, errMessage: "the order was canceled, but the new order was refused: Order would immediately match and take. (-2010)"},
		{name: "USD-M modify", k: usdm, golden: "wsapi_order_modify", method: "order.modify", route: "PUT /fapi/v1/order", id: "328971409",
			req:  unified.OrderRequest{Symbol: "BTC/USDT:USDT", Side: "sell", Amount: decimal.RequireFromString("0.11"), Price: dec("43769.1")},
			sent: map[string]string{"symbol": "BTCUSDT", "orderId": "328971409", "side": "SELL", "quantity": "0.11", "price": "43769.1"},
			want: `{"id":"328971409","clientOrderId":"xGHfltUMExx0TbQstQQfRX","symbol":"BTC/USDT:USDT","type":"limit","side":"sell",
				"price":43769.1,"amount":0.11,"filled":0,"remaining":0.11,"status":"open","reduceOnly":false,"lastUpdateTimestamp":1703426756190}`},
		{name: "COIN-M modify", k: coinm, golden: "wsapi_order_modify", method: "order.modify", route: "PUT /dapi/v1/order", id: "333245211",
			req:  unified.OrderRequest{Symbol: "BTC/USD:BTC", Side: "buy", Amount: decimal.RequireFromString("1"), Price: dec("51000")},
			sent: map[string]string{"symbol": "BTCUSD_PERP", "orderId": "333245211", "side": "BUY", "quantity": "1", "price": "51000"},
			want: `{"id":"333245211","clientOrderId":"5SztZiGFAxgAqw4J9EN9fA","symbol":"BTC/USD:BTC","type":"limit","side":"buy",
				"price":51000,"amount":1,"filled":0,"remaining":1,"status":"open","lastUpdateTimestamp":1728415765493}`},
	} {
		for _, transport := range []string{"REST", "WebSocket API"} {
			t.Run(tc.name+" over "+transport, func(t *testing.T) {
				x, v, ws := newEditVenues(t, tc.k)
				dir := products[tc.k].id
				status, body := goldenReply(t, dir, tc.golden)
				v.on(tc.route, status, body)
				ws.on(t, tc.method, dir, tc.golden)
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				var o *unified.Order
				var err error
				var sent map[string]string
				if transport == "REST" {
					o, err = x.EditOrder(ctx, tc.id, tc.req)
					if q := v.sent(tc.route); len(q) == 1 {
						sent = map[string]string{}
						for k := range q[0] {
							sent[k] = q[0].Get(k)
						}
					}
				} else {
					o, err = x.EditOrderWs(ctx, tc.id, tc.req)
					if p := ws.params(tc.method); len(p) == 1 {
						sent = map[string]string{}
						for k, val := range p[0] {
							text, _ := wsParamText(val)
							sent[k] = text
						}
					}
				}
				if sent == nil {
					t.Fatalf("the edit was not sent once (%v, %v)", o, err)
				}
				for k, want := range tc.sent {
					if sent[k] != want {
						t.Errorf("%s = %q, want %q", k, sent[k], want)
					}
				}
				if tc.kind != nil {
					if !errors.Is(err, tc.kind) || o != nil || !strings.Contains(err.Error(), tc.errMessage) {
						t.Fatalf("got %v, %v; want %v with %q", o, err, tc.kind, tc.errMessage)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				expectJSON(t, o, tc.want)
			})
		}
	}
}

// TestCancelReplaceOutcomeUnknown: a cancel-replace answered "execution
// status unknown" (-1007) is looked up once by the new order's client id,
// over either transport, and the order found is the result.
func TestCancelReplaceOutcomeUnknown(t *testing.T) {
	timeout := `{"code":-1007,"msg":"Timeout waiting for response from backend server. Send status unknown; execution status unknown."}`
	for _, transport := range []string{"REST", "WebSocket API"} {
		t.Run(transport, func(t *testing.T) {
			x, v, ws := newEditVenues(t, spot)
			v.on("POST /api/v3/order/cancelReplace", 408, timeout)
			ws.mu.Lock()
			ws.replies["order.cancelReplace"] = json.RawMessage(`{"status":408,"error":` + timeout + `}`)
			ws.mu.Unlock()
			v.on("GET /api/v3/order", 200, golden(t, "binance", "rest_query_order"))
			req := unified.OrderRequest{Symbol: "BTC/USDT", Type: "limit", Side: "buy", Amount: decimal.RequireFromString("0.01"),
				Price: dec("30000"), ClientOrderID: "myOrder1"}
			edit := x.EditOrder
			if transport != "REST" {
				edit = x.EditOrderWs
			}
			o, err := edit(context.Background(), "9", req)
			if err != nil || o.ClientOrderID != "myOrder1" {
				t.Fatalf("got %+v, %v", o, err)
			}
			if q := v.sent("GET /api/v3/order"); len(q) != 1 || q[0].Get("origClientOrderId") != "myOrder1" {
				t.Fatalf("look-ups %v", q)
			}
		})
	}
}

// TestEditOrderWsRefusedBeforeSending: the WebSocket edit checks what the
// REST one checks, and sends nothing it refuses.
func TestEditOrderWsRefusedBeforeSending(t *testing.T) {
	for _, tc := range []struct {
		name string
		k    kind
		id   string
		req  unified.OrderRequest
		opts []exchange.Option
		want *errors.Kind
	}{
		{"no id", spot, "", unified.OrderRequest{Symbol: "BTC/USDT", Amount: decimal.RequireFromString("1")}, nil, errors.ArgumentsRequired},
		{"no amount nor price", spot, "1", unified.OrderRequest{Symbol: "BTC/USDT"}, nil, errors.ArgumentsRequired},
		{"an amount under the step", spot, "1", unified.OrderRequest{Symbol: "BTC/USDT", Amount: decimal.RequireFromString("0.0000001")}, nil, errors.InvalidOrder},
		{"a bad client order id", spot, "1", unified.OrderRequest{Symbol: "BTC/USDT", Amount: decimal.RequireFromString("1"), ClientOrderID: "no spaces"}, nil, errors.InvalidOrder},
		{"the cancel-replace mode in Params", spot, "1", unified.OrderRequest{Symbol: "BTC/USDT", Type: "limit", Side: "buy",
			Amount: decimal.RequireFromString("0.01"), Price: dec("30000")}, []exchange.Option{exchange.Params(map[string]any{"cancelReplaceMode": "ALLOW_FAILURE"})}, errors.BadRequest},
		{"a futures market edit", usdm, "1", unified.OrderRequest{Symbol: "BTC/USDT:USDT", Type: "market", Side: "sell", Amount: decimal.RequireFromString("0.01")}, nil, errors.NotSupported},
		{"a futures trigger edit", coinm, "1", unified.OrderRequest{Symbol: "BTC/USD:BTC", Side: "sell", Amount: decimal.RequireFromString("1"),
			Price: dec("50000"), TriggerPrice: dec("49000")}, nil, errors.NotSupported},
		{"a futures trailing edit", usdm, "1", unified.OrderRequest{Symbol: "BTC/USDT:USDT", Type: "limit", Side: "sell", Amount: decimal.RequireFromString("0.01"),
			Price: dec("30000"), TrailingPercent: dec("1")}, nil, errors.NotSupported},
		{"a spot trailing edit", spot, "1", unified.OrderRequest{Symbol: "BTC/USDT", Type: "market", Side: "sell", Amount: decimal.RequireFromString("0.01"),
			TrailingAmount: dec("100")}, nil, errors.NotSupported},
		{"a futures edit without a side", usdm, "1", unified.OrderRequest{Symbol: "BTC/USDT:USDT", Amount: decimal.RequireFromString("0.01"), Price: dec("30000")}, nil, errors.ArgumentsRequired},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x, v, ws := newEditVenues(t, tc.k)
			_, err := x.EditOrderWs(context.Background(), tc.id, tc.req, tc.opts...)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			for _, m := range editMethods {
				if len(ws.params(m)) != 0 {
					t.Errorf("%s was sent", m)
				}
			}
			if v.total() != 0 {
				t.Error("a REST request was sent")
			}
		})
	}
}

// FuzzEditReplies: any reply to an edit gives the order or a BadResponse,
// never a panic, for every way.
func FuzzEditReplies(f *testing.F) {
	for _, seed := range []struct{ dir, name string }{{"binance", "wsapi_order_amend_keepPriority"},
		{"binance", "wsapi_order_cancelReplace"}, {"binanceusdm", "wsapi_order_modify"}, {"binancecoinm", "wsapi_order_modify"}} {
		data, err := os.ReadFile("testdata/" + seed.dir + "/" + seed.name + ".json")
		if err != nil {
			f.Fatal(err)
		}
		var file struct {
			Message struct {
				Result json.RawMessage `json:"result"`
			} `json:"message"`
		}
		if err := json.Unmarshal(data, &file); err != nil {
			f.Fatal(err)
		}
		f.Add(uint8(0), []byte(file.Message.Result))
	}
	f.Add(uint8(1), []byte(`{"amendedOrder":null,"newOrderResponse":{"orderId":"x"}}`))
	m := &unified.Market{Symbol: "BTC/USDT", ID: "BTCUSDT", Spot: true}
	x, err := New("binance", exchange.Config{KeepInfo: true})
	if err != nil {
		f.Fatal(err)
	}
	defer func() { _ = x.Close() }()
	f.Fuzz(func(t *testing.T, way uint8, body []byte) {
		var reply editReply
		if json.Unmarshal(body, &reply) != nil {
			return
		}
		e := &orderEdit{way: editWay(int(way) % len(editMethods)), market: m}
		o, err := x.editedOrder(e, &reply)
		switch {
		case err != nil && !errors.Is(err, errors.BadResponse):
			t.Fatalf("untyped error %v", err)
		case err == nil && (o == nil || o.ID == "" || o.Symbol != m.Symbol):
			t.Fatalf("incomplete order %+v", o)
		}
	})
}
