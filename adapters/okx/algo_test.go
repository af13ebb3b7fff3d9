package okx

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/adapters/okx/okxtest"
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/stream"
	"github.com/unifex-go/unifex/unified"
)

var triggerOn = exchange.Params(map[string]any{"trigger": true})

// TestAlgoRoundTrip places a trigger order and a stop-loss order far from
// the price against okxtest, finds them by algoId and algoClOrdId (and
// not among the ordinary orders), lists them open, cancels them and finds
// them canceled in the history.
func TestAlgoRoundTrip(t *testing.T) {
	x, _, ctx := privateFake(t, okxtest.Config{}, nil)
	bid, _ := bestPrices(t, ctx, x, "BTC/USDT")
	far := bid.Mul(dec("0.5")).Round(1)
	trig, err := x.CreateOrder(ctx, unified.OrderRequest{Symbol: "BTC/USDT", Type: unified.OrderTypeLimit, Side: unified.SideBuy,
		Amount: dec("0.01"), Price: decimal.NewNullDecimal(far), TriggerPrice: decimal.NewNullDecimal(far.Add(dec("10")))})
	if err != nil {
		t.Fatal(err)
	}
	if trig.ID == "" || !strings.HasPrefix(trig.ClientOrderID, "unifex") || trig.Status != unified.StatusOpen {
		t.Fatalf("placed %+v", trig)
	}
	sl, err := x.CreateOrder(ctx, unified.OrderRequest{Symbol: "BTC/USDT:USDT", Type: unified.OrderTypeMarket, Side: unified.SideSell,
		Amount: dec("1"), StopLossPrice: decimal.NewNullDecimal(far), ClientOrderID: "mystop1"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := x.FetchOrder(ctx, trig.ID, "BTC/USDT", triggerOn)
	if err != nil {
		t.Fatal(err)
	}
	if got.ClientOrderID != trig.ClientOrderID || got.Type != unified.OrderTypeLimit || !got.Price.Decimal.Equal(far) ||
		!got.TriggerPrice.Decimal.Equal(far.Add(dec("10"))) || got.Status != unified.StatusOpen || !got.Amount.Decimal.Equal(dec("0.01")) {
		t.Fatalf("fetched %+v", got)
	}
	byClient, err := x.FetchOrder(ctx, "", "BTC/USDT:USDT", exchange.Params(map[string]any{"trigger": true, "clientOrderId": "mystop1"}))
	if err != nil {
		t.Fatal(err)
	}
	if byClient.ID != sl.ID || byClient.Type != unified.OrderTypeMarket || !byClient.StopLossPrice.Decimal.Equal(far) || byClient.TriggerPrice.Valid {
		t.Fatalf("by algoClOrdId %+v", byClient)
	}
	if _, err := x.FetchOrder(ctx, trig.ID, "BTC/USDT"); !errors.Is(err, errors.OrderNotFound) {
		t.Fatalf("an algoId as an ordinary order: %v", err)
	}
	open, err := x.FetchOpenOrders(ctx, "", triggerOn)
	if err != nil || len(open) != 2 {
		t.Fatalf("open algo orders %+v, %v", open, err)
	}
	if ordinary, err := x.FetchOpenOrders(ctx, ""); err != nil || len(ordinary) != 0 {
		t.Fatalf("ordinary open orders %+v, %v", ordinary, err)
	}
	if c, err := x.CancelOrder(ctx, trig.ID, "BTC/USDT", triggerOn); err != nil || c.ID != trig.ID {
		t.Fatalf("cancel %+v, %v", c, err)
	}
	if _, err := x.CancelOrder(ctx, trig.ID, "BTC/USDT", triggerOn); !errors.Is(err, errors.OrderNotFound) {
		t.Fatalf("a second cancel: %v", err)
	}
	if _, err := x.CancelOrder(ctx, "", "BTC/USDT:USDT", exchange.Params(map[string]any{"trigger": true, "clientOrderId": "mystop1"})); err != nil {
		t.Fatal(err)
	}
	closed, err := x.FetchClosedOrders(ctx, "", triggerOn)
	if err != nil || len(closed) != 2 || closed[0].Status != unified.StatusCanceled || closed[1].Status != unified.StatusCanceled {
		t.Fatalf("closed algo orders %+v, %v", closed, err)
	}
	if open, err := x.FetchOpenOrders(ctx, "BTC/USDT", triggerOn); err != nil || len(open) != 0 {
		t.Fatalf("open after the cancels %+v, %v", open, err)
	}
}

// TestAlgoRefusals: what one algo order cannot express fails before it
// is sent.
func TestAlgoRefusals(t *testing.T) {
	x, _, ctx := privateFake(t, okxtest.Config{}, nil)
	p := decimal.NewNullDecimal(dec("50000"))
	for name, req := range map[string]unified.OrderRequest{
		"post-only": {Symbol: "BTC/USDT", Type: unified.OrderTypeLimit, Side: unified.SideSell, Amount: dec("0.01"), Price: p, PostOnly: true, TriggerPrice: p},
		"attached to a stop-loss": {Symbol: "BTC/USDT:USDT", Type: unified.OrderTypeMarket, Side: unified.SideSell, Amount: dec("1"), StopLossPrice: p,
			TakeProfit: &unified.AttachedOrder{TriggerPrice: dec("60000")}},
	} {
		if _, err := x.CreateOrder(ctx, req); !errors.Is(err, errors.NotSupported) {
			t.Errorf("%s: %v", name, err)
		}
	}
	trigger := unified.OrderRequest{Symbol: "BTC/USDT", Type: unified.OrderTypeMarket, Side: unified.SideSell, Amount: dec("0.01"), TriggerPrice: p}
	if _, err := x.CreateOrderWs(ctx, trigger); !errors.Is(err, errors.NotSupported) {
		t.Errorf("a trigger order over the WebSocket: %v", err)
	}
	if _, err := x.CancelOrderWs(ctx, "1", "BTC/USDT", triggerOn); !errors.Is(err, errors.NotSupported) {
		t.Errorf("an algo cancel over the WebSocket: %v", err)
	}
}

// TestParseAlgoOrderGolden reads a recorded reply of GET
// orders-algo-pending (a market stop-loss on a swap) and of POST
// order-algo.
func TestParseAlgoOrderGolden(t *testing.T) {
	snap := testSnapshot(t)
	r := golden[restAlgoOrder](t, "rest_orders_algo_pending")[0]
	o, err := parseAlgoOrder(snap, nil, &r, true)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		name      string
		got, want any
	}{
		{"id", o.ID, "2017146754403004416"}, {"client id", o.ClientOrderID, "e847386590ce4dBC510e616e0438b78a"},
		{"symbol", o.Symbol, "LTC/USDT:USDT"}, {"side", o.Side, unified.SideBuy}, {"status", o.Status, unified.StatusOpen},
		{"type (slOrdPx -1)", o.Type, unified.OrderTypeMarket}, {"price", o.Price.Valid, false}, {"amount", o.Amount.Decimal.String(), "1"},
		{"stop-loss", o.StopLossPrice.Decimal.String(), "100"}, {"no trigger", o.TriggerPrice.Valid, false},
		{"no take-profit", o.TakeProfitPrice.Valid, false}, {"reduce-only", *o.ReduceOnly, false},
		{"created", o.Timestamp, msTime(1732618057878)}, {"updated", o.LastUpdateTimestamp, msTime(1732618057878)},
	}
	for _, w := range want {
		if w.got != w.want {
			t.Errorf("%s = %v, want %v", w.name, w.got, w.want)
		}
	}
	placed, err := firstAlgo(golden[algoResult](t, "rest_order_algo_place"))
	if err != nil || placed.AlgoID != "2896574163517353984" || placed.AlgoClOrdID != "6b9ad766b55dBCDEd524d810f42296b8" {
		t.Fatalf("placed %+v, %v", placed, err)
	}
	if _, err := firstAlgo([]algoResult{{AlgoID: "1", SCode: "51277", SMsg: "TP trigger price cannot be higher than the last price"}}); err == nil {
		t.Fatal("a refused item read as accepted")
	}
}

// FuzzParseAlgoOrder: any algo order reply parses or fails with
// BadResponse, never panics.
func FuzzParseAlgoOrder(f *testing.F) {
	f.Add([]byte(`{"instId":"LTC-USDT","algoId":"1","side":"buy","state":"live","sz":"1","triggerPx":"10","ordPx":"-1","cTime":"1"}`))
	f.Add([]byte(`{"instId":"LTC-USDT-SWAP","algoId":"2","side":"sell","state":"effective","slTriggerPx":"x"}`))
	snap := testSnapshot(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		var r restAlgoOrder
		if json.Unmarshal(data, &r) != nil {
			return
		}
		if _, err := parseAlgoOrder(snap, nil, &r, true); err != nil && !errors.Is(err, errors.BadResponse) && !errors.Is(err, errors.BadSymbol) {
			t.Fatalf("%v", err)
		}
	})
}

// TestAlgoStream: a trigger order reaches WatchOrders from the business
// connection's orders-algo channel (open, after the reconciliation or its
// push), and once Step moves the last price to its trigger, closed with
// the market order it placed following on the orders channel.
func TestAlgoStream(t *testing.T) {
	x, srv, ctx := privateFake(t, okxtest.Config{}, nil)
	tk, err := x.FetchTicker(ctx, "BTC/USDT:USDT")
	if err != nil {
		t.Fatal(err)
	}
	trig, err := x.CreateOrder(ctx, unified.OrderRequest{Symbol: "BTC/USDT:USDT", Type: unified.OrderTypeMarket, Side: unified.SideBuy,
		Amount: dec("1"), TriggerPrice: tk.Last})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[unified.OrderStatus]bool{}
	var placed bool
	deadline := time.Now().Add(10 * time.Second)
	for !(seen[unified.StatusClosed] && placed) && time.Now().Before(deadline) {
		wctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		os, err := x.WatchOrders(wctx, "")
		cancel()
		if err != nil && ctx.Err() == nil && wctx.Err() == nil {
			t.Fatal(err)
		}
		for _, o := range os {
			switch {
			case o.ID == trig.ID:
				if o.ClientOrderID != trig.ClientOrderID || !o.TriggerPrice.Decimal.Equal(tk.Last.Decimal) {
					t.Fatalf("the algo order on the stream: %+v", o)
				}
				seen[o.Status] = true
			case o.Type == unified.OrderTypeMarket && o.Symbol == "BTC/USDT:USDT":
				placed = true
			}
		}
		if seen[unified.StatusOpen] {
			srv.Step(5)
		}
	}
	if !seen[unified.StatusOpen] || !seen[unified.StatusClosed] || !placed {
		t.Fatalf("statuses seen %v, the placed order seen %v", seen, placed)
	}
	got, err := x.FetchOrder(ctx, trig.ID, "BTC/USDT:USDT", triggerOn)
	if err != nil || got.Status != unified.StatusClosed {
		t.Fatalf("fetched after the trigger %+v, %v", got, err)
	}
}

// TestAlgoUnknownOutcome: an algo placement whose reply is lost is looked
// up once by its algoClOrdId; found, it is the result; never placed, the
// error names the id and the order as requested comes with it, and nothing
// is sent twice.
func TestAlgoUnknownOutcome(t *testing.T) {
	forward := true
	var target *url.URL
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		req, _ := http.NewRequestWithContext(r.Context(), r.Method, target.String()+r.URL.RequestURI(), strings.NewReader(string(body)))
		req.Header = r.Header.Clone()
		place := r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/trade/order-algo")
		if place && !forward {
			w.WriteHeader(http.StatusGatewayTimeout)
			return
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		reply, _ := io.ReadAll(resp.Body)
		if place { // executed, but the reply is lost
			w.WriteHeader(http.StatusGatewayTimeout)
			return
		}
		w.WriteHeader(resp.StatusCode)
		_, _ = w.Write(reply)
	}))
	defer proxy.Close()
	x, _, ctx := privateFake(t, okxtest.Config{}, func(u map[string]string) {
		target, _ = url.Parse(u["rest"])
		u["rest"] = proxy.URL
	})
	bid, _ := bestPrices(t, ctx, x, "BTC/USDT")
	req := unified.OrderRequest{Symbol: "BTC/USDT", Type: unified.OrderTypeMarket, Side: unified.SideSell, Amount: dec("0.01"),
		StopLossPrice: decimal.NewNullDecimal(bid.Sub(dec("1000"))), ClientOrderID: "lostalgo1"}
	o, err := x.CreateOrder(ctx, req)
	if err != nil || o.ClientOrderID != "lostalgo1" || o.ID == "" || o.Status != unified.StatusOpen || !o.StopLossPrice.Valid {
		t.Fatalf("executed algo order with a lost reply: %+v, %v", o, err)
	}
	forward = false
	req.ClientOrderID = "lostalgo2"
	o, err = x.CreateOrder(ctx, req)
	if err == nil || !strings.Contains(err.Error(), "lostalgo2") || o == nil || o.ClientOrderID != "lostalgo2" || o.ID != "" {
		t.Fatalf("algo order never placed: %+v, %v", o, err)
	}
	if open, err := x.FetchOpenOrders(ctx, "", triggerOn); err != nil || len(open) != 1 {
		t.Fatalf("open algo orders %+v, %v: want 1 (never sent twice)", open, err)
	}
}

// FuzzAlgoPush feeds arbitrary frames to the business connection's
// private handler (orders-algo pushes): it may refuse them, never panic.
func FuzzAlgoPush(f *testing.F) {
	f.Add([]byte(`{"arg":{"channel":"orders-algo","instType":"ANY","uid":"1"},"data":[{"instId":"BTC-USDT-SWAP","algoId":"1","side":"buy","state":"live","sz":"1","triggerPx":"10","ordPx":"-1","cTime":"1","uTime":"2"}]}`))
	f.Add([]byte(`{"arg":{"channel":"orders-algo"},"data":[{"instId":"BTC-USDT","algoId":"2","side":"sell","state":"effective","tpTriggerPx":"1e9","tpOrdPx":"x"}]}`))
	f.Add([]byte(`{"arg":{"channel":"orders-algo"},"data":{}}`))
	x := fixtureExchange(f, nil)
	if _, err := x.LoadMarkets(f.Context(), false); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = x.Engine().Feed(algoRoute, stream.Message{Type: stream.Text, Data: data})
	})
}
