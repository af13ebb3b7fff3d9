package okx

import (
	"context"
	"encoding/json"
	"net/http"
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
	f.Add([]byte(`{"instId":"LTC-USDT-SWAP","algoId":"3","side":"sell","state":"live","ordType":"move_order_stop","callbackRatio":"0.05","activePx":"70","moveTriggerPx":"66.5"}`))
	f.Add([]byte(`{"instId":"LTC-USDT","algoId":"4","side":"buy","state":"effective","ordType":"oco","slTriggerPx":"60","slOrdPx":"-1","tpTriggerPx":"80","tpOrdPx":"79.9","actualSide":"tp"}`))
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
	forward, rewire := losingProxy(t, "/trade/order-algo")
	x, _, ctx := privateFake(t, okxtest.Config{}, rewire)
	bid, _ := bestPrices(t, ctx, x, "BTC/USDT")
	req := unified.OrderRequest{Symbol: "BTC/USDT", Type: unified.OrderTypeMarket, Side: unified.SideSell, Amount: dec("0.01"),
		StopLossPrice: decimal.NewNullDecimal(bid.Sub(dec("1000"))), ClientOrderID: "lostalgo1"}
	o, err := x.CreateOrder(ctx, req)
	if err != nil || o.ClientOrderID != "lostalgo1" || o.ID == "" || o.Status != unified.StatusOpen || !o.StopLossPrice.Valid {
		t.Fatalf("executed algo order with a lost reply: %+v, %v", o, err)
	}
	*forward = false
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

// TestTrailingAndPairRoundTrip places a trailing stop (a percentage,
// waiting for an activation price far away) and a one-cancels-the-other
// pair around the price against okxtest; finds them by algoId, in the
// lists (Params{"trailing": true} for the trailing stop alone); amends the
// pair's size and stop loss, and is refused amending the trailing stop
// (NotSupported before sending for a new trailing distance; OKX's refusal
// otherwise); cancels both and finds them canceled.
func TestTrailingAndPairRoundTrip(t *testing.T) {
	x, srv, ctx := privateFake(t, okxtest.Config{}, nil)
	xi := keepingInfo(t, srv)
	const symbol = "BTC/USDT:USDT"
	bid, ask := bestPrices(t, ctx, x, symbol)
	market := unified.OrderRequest{Symbol: symbol, Type: unified.OrderTypeMarket, Side: unified.SideSell, Amount: dec("2")}
	trail := market
	trail.TrailingPercent, trail.TrailingTriggerPrice, trail.ClientOrderID = decimal.NewNullDecimal(dec("2.5")), decimal.NewNullDecimal(ask.Mul(dec("2")).Round(1)), "trail1"
	tr, err := x.CreateOrder(ctx, trail)
	if err != nil || tr.ID == "" || tr.Status != unified.StatusOpen || tr.ClientOrderID != "trail1" {
		t.Fatalf("trailing stop %+v, %v", tr, err)
	}
	pair := market
	sl, tp := bid.Mul(dec("0.5")).Round(1), ask.Mul(dec("1.5")).Round(1)
	pair.StopLossPrice, pair.TakeProfitPrice = decimal.NewNullDecimal(sl), decimal.NewNullDecimal(tp)
	oco, err := x.CreateOrder(ctx, pair)
	if err != nil || !oco.StopLossPrice.Decimal.Equal(sl) || !oco.TakeProfitPrice.Decimal.Equal(tp) {
		t.Fatalf("one-cancels-the-other %+v, %v", oco, err)
	}
	got, err := xi.FetchOrder(ctx, tr.ID, symbol, triggerOn)
	if err != nil || got.Type != unified.OrderTypeMarket || got.TriggerPrice.Valid || got.Status != unified.StatusOpen ||
		got.Info.(restAlgoOrder).CallbackRatio != "0.025" || got.Info.(restAlgoOrder).ActivePx != trail.TrailingTriggerPrice.Decimal.String() {
		t.Fatalf("fetched trailing stop %+v, %v", got, err)
	}
	if got, err = x.FetchOrder(ctx, oco.ID, symbol, triggerOn); err != nil || !got.StopLossPrice.Decimal.Equal(sl) || !got.TakeProfitPrice.Decimal.Equal(tp) ||
		got.Type != unified.OrderTypeMarket || !got.Amount.Decimal.Equal(dec("2")) {
		t.Fatalf("fetched pair %+v, %v", got, err)
	}
	if open, err := x.FetchOpenOrders(ctx, symbol, triggerOn); err != nil || len(open) != 2 {
		t.Fatalf("open algo orders %+v, %v", open, err)
	}
	trailingOnly := exchange.Params(map[string]any{"trailing": true})
	if open, err := x.FetchOpenOrders(ctx, symbol, trailingOnly); err != nil || len(open) != 1 || open[0].ID != tr.ID {
		t.Fatalf("open trailing stops %+v, %v", open, err)
	}
	newSL := sl.Sub(dec("100"))
	amend := unified.OrderRequest{Symbol: symbol, Amount: dec("3"), StopLossPrice: decimal.NewNullDecimal(newSL), TakeProfitPrice: decimal.NewNullDecimal(tp)}
	if got, err = x.EditOrder(ctx, oco.ID, amend, triggerOn); err != nil || got.ID != oco.ID || !got.StopLossPrice.Decimal.Equal(newSL) ||
		!got.Amount.Decimal.Equal(dec("3")) || !got.TakeProfitPrice.Decimal.Equal(tp) {
		t.Fatalf("amended pair %+v, %v", got, err)
	}
	if _, err := x.EditOrder(ctx, tr.ID, unified.OrderRequest{Symbol: symbol, Amount: dec("1"), TrailingPercent: decimal.NewNullDecimal(dec("1"))}, triggerOn); !errors.Is(err, errors.NotSupported) {
		t.Fatalf("a new trailing distance: %v, want NotSupported", err)
	}
	if _, err := x.EditOrder(ctx, tr.ID, unified.OrderRequest{Symbol: symbol, Amount: dec("1")}, triggerOn); err == nil {
		t.Fatal("okxtest amended a trailing stop, which amend-algos refuses")
	}
	if _, err := x.EditOrderWs(ctx, oco.ID, amend, triggerOn); !errors.Is(err, errors.NotSupported) {
		t.Fatalf("an algo amendment over the WebSocket: %v, want NotSupported", err)
	}
	for _, id := range []string{tr.ID, oco.ID} {
		if _, err := x.CancelOrder(ctx, id, symbol, triggerOn); err != nil {
			t.Fatal(err)
		}
	}
	closed, err := x.FetchClosedOrders(ctx, symbol, triggerOn)
	if err != nil || len(closed) != 2 || closed[0].Status != unified.StatusCanceled || closed[1].Status != unified.StatusCanceled {
		t.Fatalf("closed algo orders %+v, %v", closed, err)
	}
}

// keepingInfo is a second client of srv that keeps OKX's own fields in
// Info.
func keepingInfo(t *testing.T, srv *okxtest.Server) *Exchange {
	t.Helper()
	x, err := New(exchange.Config{APIKey: okxtest.TestAPIKey, Secret: okxtest.TestSecret, Password: okxtest.TestPassphrase, URLs: srv.URLs(), KeepInfo: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = x.Close() })
	return x
}

// TestTrailingAndPairRefusals: what a trailing stop or a pair cannot be
// is refused before anything is sent.
func TestTrailingAndPairRefusals(t *testing.T) {
	x, requests := recorder(t)
	ctx := t.Context()
	p := decimal.NewNullDecimal(dec("50000"))
	base := unified.OrderRequest{Symbol: "BTC/USDT:USDT", Type: unified.OrderTypeMarket, Side: unified.SideSell, Amount: dec("1")}
	limitTrail, limitPair, attached := base, base, base
	limitTrail.Type, limitTrail.Price, limitTrail.TrailingAmount = unified.OrderTypeLimit, p, p
	limitPair.Type, limitPair.Price, limitPair.StopLossPrice, limitPair.TakeProfitPrice = unified.OrderTypeLimit, p, p, decimal.NewNullDecimal(dec("70000"))
	attached.TrailingPercent, attached.StopLoss = decimal.NewNullDecimal(dec("1")), &unified.AttachedOrder{TriggerPrice: dec("40000")}
	for name, req := range map[string]unified.OrderRequest{"a limit trailing stop": limitTrail, "a limit pair": limitPair, "a trailing stop with attachments": attached} {
		if _, err := x.CreateOrder(ctx, req); !errors.Is(err, errors.NotSupported) {
			t.Errorf("%s: %v, want NotSupported", name, err)
		}
	}
	for name, req := range map[string]unified.OrderRequest{
		"a price without its trigger": {Symbol: "BTC/USDT:USDT", Price: p},
		"a pair with a limit price":   {Symbol: "BTC/USDT:USDT", Price: p, StopLossPrice: p, TakeProfitPrice: p},
		"attached orders":             {Symbol: "BTC/USDT:USDT", Amount: dec("1"), StopLoss: &unified.AttachedOrder{TriggerPrice: dec("1")}},
	} {
		if _, err := x.EditOrder(ctx, "1", req, triggerOn); !errors.Is(err, errors.NotSupported) {
			t.Errorf("amending %s: %v, want NotSupported", name, err)
		}
	}
	if _, err := x.EditOrder(ctx, "1", unified.OrderRequest{Symbol: "BTC/USDT:USDT"}, triggerOn); !errors.Is(err, errors.ArgumentsRequired) {
		t.Errorf("an empty amendment: %v", err)
	}
	if got := requests(); len(got) != 0 {
		t.Fatalf("%d requests sent: %+v", len(got), got)
	}
}

// TestAlgoBodies: the bodies of a trailing stop by amount with an
// activation price, a pair, and their amendments, as the docs spell them.
func TestAlgoBodies(t *testing.T) {
	x, requests := recorder(t)
	ctx := t.Context()
	num := func(s string) decimal.NullDecimal { return decimal.NewNullDecimal(dec(s)) }
	base := unified.OrderRequest{Symbol: "BTC/USDT:USDT", Type: unified.OrderTypeMarket, Side: unified.SideBuy, Amount: dec("1"), ReduceOnly: true}
	trail, pair := base, base
	trail.TrailingAmount, trail.TrailingTriggerPrice = num("150.5"), num("58000")
	pair.StopLossPrice, pair.TakeProfitPrice = num("70000"), num("50000")
	_, _ = x.CreateOrder(ctx, trail)
	_, _ = x.CreateOrder(ctx, pair)
	_, _ = x.EditOrder(ctx, "", unified.OrderRequest{Symbol: "BTC/USDT:USDT", Type: unified.OrderTypeLimit, Price: num("60100"), TriggerPrice: num("60000")},
		exchange.Params(map[string]any{"trigger": true, "clientOrderId": "a1"}))
	var got []recorded
	for _, r := range requests() {
		if r.method == http.MethodPost { // not the look-ups after the recorder's replies without algoId
			got = append(got, r)
		}
	}
	want := []map[string]any{
		{"ordType": "move_order_stop", "callbackSpread": "150.5", "activePx": "58000", "side": "buy", "sz": "1", "reduceOnly": true,
			"callbackRatio": nil, "px": nil, "slTriggerPx": nil},
		{"ordType": "oco", "slTriggerPx": "70000", "slOrdPx": "-1", "slTriggerPxType": "last", "tpTriggerPx": "50000", "tpOrdPx": "-1",
			"tpTriggerPxType": "last", "triggerPx": nil},
		{"algoClOrdId": "a1", "instId": "BTC-USDT-SWAP", "newTriggerPx": "60000", "newOrdPx": "60100", "newTriggerPxType": "last", "newSz": nil, "algoId": nil},
	}
	paths := []string{"/api/v5/trade/order-algo", "/api/v5/trade/order-algo", "/api/v5/trade/amend-algos"}
	if len(got) < len(want) {
		t.Fatalf("%d requests: %+v", len(got), got)
	}
	for i, w := range want {
		var body map[string]any
		if got[i].path != paths[i] || json.Unmarshal(got[i].body, &body) != nil {
			t.Fatalf("request %d: %s %s", i, got[i].path, got[i].body)
		}
		for k, v := range w {
			if body[k] != v {
				t.Errorf("request %d: %s = %v, want %v (%s)", i, k, body[k], v, got[i].body)
			}
		}
	}
}

// TestTrailingAndPairFire: on okxtest's Step a trailing stop (one tick
// behind the best price) and a pair one tick either side of the last price
// fire; both reach WatchOrders open, then closed (the trailing stop from
// the algo-advance channel, the pair from orders-algo), and the market
// orders they placed follow.
func TestTrailingAndPairFire(t *testing.T) {
	x, srv, ctx := privateFake(t, okxtest.Config{}, nil)
	const symbol = "ETH/USDT:USDT"
	tk, err := x.FetchTicker(ctx, symbol)
	if err != nil {
		t.Fatal(err)
	}
	m, err := x.market(ctx, symbol)
	if err != nil {
		t.Fatal(err)
	}
	tick := m.Precision.Price.Decimal
	base := unified.OrderRequest{Symbol: symbol, Type: unified.OrderTypeMarket, Side: unified.SideSell, Amount: dec("1")}
	trail, pair := base, base
	trail.TrailingAmount = decimal.NewNullDecimal(tick)
	pair.StopLossPrice, pair.TakeProfitPrice = decimal.NewNullDecimal(tk.Last.Decimal.Sub(tick)), decimal.NewNullDecimal(tk.Last.Decimal.Add(tick))
	tr, err := x.CreateOrder(ctx, trail)
	if err != nil {
		t.Fatal(err)
	}
	oco, err := x.CreateOrder(ctx, pair)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]map[unified.OrderStatus]bool{tr.ID: {}, oco.ID: {}}
	placed := 0
	deadline := time.Now().Add(10 * time.Second)
	done := func() bool {
		return seen[tr.ID][unified.StatusClosed] && seen[oco.ID][unified.StatusClosed] && placed >= 2
	}
	for !done() && time.Now().Before(deadline) {
		wctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		os, err := x.WatchOrders(wctx, "")
		cancel()
		if err != nil && ctx.Err() == nil && wctx.Err() == nil {
			t.Fatal(err)
		}
		for _, o := range os {
			switch {
			case seen[o.ID] != nil:
				seen[o.ID][o.Status] = true
			case o.Type == unified.OrderTypeMarket && o.Symbol == symbol && o.Side == unified.SideSell && o.Status == unified.StatusClosed:
				placed++
			}
		}
		srv.Step(5)
	}
	if !done() {
		t.Fatalf("seen %v, %d market orders placed", seen, placed)
	}
	got, err := keepingInfo(t, srv).FetchOrder(ctx, oco.ID, symbol, triggerOn)
	if err != nil || got.Status != unified.StatusClosed {
		t.Fatalf("the pair after it fired %+v, %v", got, err)
	}
	if side := got.Info.(restAlgoOrder).ActualSide; side != "sl" && side != "tp" {
		t.Fatalf("actualSide %q", side)
	}
}

// TestParseAlgoGoldens reads the docs' amend-algos reply and their pushes
// of orders-algo (a take-profit at market) and algo-advance (an iceberg,
// the docs' only example there: an open market order without triggers).
func TestParseAlgoGoldens(t *testing.T) {
	snap := testSnapshot(t)
	amended, err := firstAlgo(golden[algoResult](t, "rest_amend_algos"))
	if err != nil || amended.AlgoID != "2510789768709120" || amended.AlgoClOrdID != "algo_01" {
		t.Fatalf("amended %+v, %v", amended, err)
	}
	push := golden[restAlgoOrder](t, "ws_orders_algo")[0]
	push.InstID = "BTC-USDT" // the docs' BTC-USDC is not among the test markets
	o, err := parseAlgoOrder(snap, nil, &push, false)
	if err != nil || o.ID != "581878926302093312" || !o.TakeProfitPrice.Decimal.Equal(dec("1")) || o.StopLossPrice.Valid || o.Type != unified.OrderTypeMarket ||
		o.Status != unified.StatusOpen || o.Timestamp != msTime(1685002746818) || o.LastUpdateTimestamp != msTime(1708679675245) {
		t.Fatalf("orders-algo push %+v, %v", o, err)
	}
	adv := golden[restAlgoOrder](t, "ws_algo_advance")[0]
	if o, err = parseAlgoOrder(snap, nil, &adv, false); err != nil || o.ID != "355056228680335360" || o.Status != unified.StatusOpen ||
		o.TriggerPrice.Valid || o.Amount.Valid || o.Side != unified.SideBuy { // a spot market buy's sz is in quote currency unless tgtCcy says base_ccy
		t.Fatalf("algo-advance push %+v, %v", o, err)
	}
	trailing := restAlgoOrder{InstID: "LTC-USDT-SWAP", AlgoID: "9", Side: "sell", State: "live", OrdType: "move_order_stop", Sz: "1",
		CallbackRatio: "0.05", MoveTriggerPx: "61.05", OrdPx: ""}
	if o, err = parseAlgoOrder(snap, nil, &trailing, false); err != nil || !o.TriggerPrice.Decimal.Equal(dec("61.05")) || o.Type != unified.OrderTypeMarket {
		t.Fatalf("a trailing stop that trails %+v, %v", o, err)
	}
}
