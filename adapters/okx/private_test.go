package okx

import (
	"context"
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
	"github.com/unifex-go/unifex/internal/rest"
	"github.com/unifex-go/unifex/unified"
)

// privateFake starts the fake OKX and an adapter with its test
// credentials; urls rewrites the fake's URLs (a proxy in front of REST).
func privateFake(t *testing.T, vc okxtest.Config, urls func(map[string]string)) (*Exchange, *okxtest.Server, context.Context) {
	t.Helper()
	if vc.Seed == 0 {
		vc.Seed = 7
	}
	srv := okxtest.Start(vc)
	t.Cleanup(srv.Close)
	u := srv.URLs()
	if urls != nil {
		urls(u)
	}
	x, err := New(exchange.Config{APIKey: okxtest.TestAPIKey, Secret: okxtest.TestSecret, Password: okxtest.TestPassphrase,
		URLs: u, Sandbox: vc.Demo, Options: Options{PingEvery: time.Second, Retry: rest.RetryPolicy{MaxAttempts: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = x.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return x, srv, ctx
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func price(s string) decimal.NullDecimal { return decimal.NewNullDecimal(dec(s)) }

// bestPrices returns the best bid and ask of symbol.
func bestPrices(t *testing.T, ctx context.Context, x *Exchange, symbol string) (bid, ask decimal.Decimal) {
	t.Helper()
	ob, err := x.FetchOrderBook(ctx, symbol, exchange.Limit(5))
	if err != nil {
		t.Fatal(err)
	}
	return ob.Bids[0].Price, ob.Asks[0].Price
}

// TestCreateOrderTypes places each kind of order the adapter maps and
// reads back what OKX made of it.
func TestCreateOrderTypes(t *testing.T) {
	x, srv, ctx := privateFake(t, okxtest.Config{}, nil)
	bid, ask := bestPrices(t, ctx, x, "BTC/USDT")
	below := bid.Sub(dec("100"))
	for _, c := range []struct {
		name   string
		req    unified.OrderRequest
		status unified.OrderStatus
		tif    unified.TimeInForce
		check  func(t *testing.T, o *unified.Order)
	}{
		{name: "limit rests", req: unified.OrderRequest{Type: unified.OrderTypeLimit, Side: unified.SideBuy, Amount: dec("0.01"), Price: decimal.NewNullDecimal(below)},
			status: unified.StatusOpen, tif: unified.TIFGTC},
		{name: "post-only that would take is canceled", req: unified.OrderRequest{Type: unified.OrderTypeLimit, Side: unified.SideBuy, Amount: dec("0.01"),
			Price: decimal.NewNullDecimal(ask), PostOnly: true}, status: unified.StatusCanceled, tif: unified.TIFPO},
		{name: "IOC below the book is canceled", req: unified.OrderRequest{Type: unified.OrderTypeLimit, Side: unified.SideBuy, Amount: dec("0.01"),
			Price: decimal.NewNullDecimal(below), TimeInForce: unified.TIFIOC}, status: unified.StatusCanceled, tif: unified.TIFIOC},
		{name: "FOK at the ask fills", req: unified.OrderRequest{Type: unified.OrderTypeLimit, Side: unified.SideBuy, Amount: dec("0.00001"),
			Price: decimal.NewNullDecimal(ask), TimeInForce: unified.TIFFOK}, status: unified.StatusClosed, tif: unified.TIFFOK},
		{name: "market buy by amount is base-sized", req: unified.OrderRequest{Type: unified.OrderTypeMarket, Side: unified.SideBuy, Amount: dec("0.001")},
			status: unified.StatusClosed, tif: unified.TIFIOC, check: func(t *testing.T, o *unified.Order) {
				if !o.Filled.Valid || !o.Filled.Decimal.Equal(dec("0.001")) {
					t.Errorf("filled %v, want 0.001 BTC", o.Filled)
				}
			}},
		{name: "market buy by cost is quote-sized", req: unified.OrderRequest{Type: unified.OrderTypeMarket, Side: unified.SideBuy, Cost: price("100")},
			status: unified.StatusClosed, tif: unified.TIFIOC, check: func(t *testing.T, o *unified.Order) {
				if !o.Cost.Valid || o.Cost.Decimal.GreaterThan(dec("100")) || o.Cost.Decimal.LessThan(dec("90")) {
					t.Errorf("cost %v, want about 100 USDT", o.Cost)
				}
				if o.Amount.Valid && !o.Amount.Decimal.Equal(o.Filled.Decimal) {
					t.Errorf("amount %v: a quote-sized order's sz is not its amount", o.Amount)
				}
			}},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.req.Symbol = "BTC/USDT"
			placed, err := x.CreateOrder(ctx, c.req)
			if err != nil {
				t.Fatal(err)
			}
			if placed.ID == "" || !strings.HasPrefix(placed.ClientOrderID, clientIDs.Prefix) || len(placed.ClientOrderID) != clientIDs.Max ||
				!clientIDs.Valid(placed.ClientOrderID) || placed.Timestamp.IsZero() {
				t.Fatalf("placed %+v: want an id, a 32-character %q clOrdId and OKX's time", placed, clientIDs.Prefix)
			}
			o, err := x.FetchOrder(ctx, "", "BTC/USDT", exchange.Params(map[string]any{"clientOrderId": placed.ClientOrderID}))
			if err != nil {
				t.Fatal(err)
			}
			if o.ID != placed.ID || o.Status != c.status || o.TimeInForce != c.tif || o.Side != unified.SideBuy || o.Type != c.req.Type {
				t.Fatalf("fetched %s %s %s %s %s, want %s %s %s", o.ID, o.Type, o.Side, o.Status, o.TimeInForce, placed.ID, c.status, c.tif)
			}
			if c.check != nil {
				c.check(t, o)
			}
		})
	}
	if n := len(srv.Orders()); n != 6 {
		t.Fatalf("%d orders at the venue, want 6", n)
	}
}

// TestCreateOrderRefusals: what the adapter refuses is never sent; what
// OKX refuses per item (sCode) comes back with its kind.
func TestCreateOrderRefusals(t *testing.T) {
	x, srv, ctx := privateFake(t, okxtest.Config{}, nil)
	bid, _ := bestPrices(t, ctx, x, "BTC/USDT")
	_, ethAsk := bestPrices(t, ctx, x, "ETH/USDT")
	limit := unified.OrderRequest{Symbol: "BTC/USDT", Type: unified.OrderTypeLimit, Side: unified.SideBuy, Amount: dec("0.01"),
		Price: decimal.NewNullDecimal(bid.Sub(dec("100")))}
	for name, c := range map[string]struct {
		edit func(r *unified.OrderRequest)
		kind *errors.Kind
	}{
		"client id with a dash":   {func(r *unified.OrderRequest) { r.ClientOrderID = "my-order" }, errors.InvalidOrder},
		"client id of 33":         {func(r *unified.OrderRequest) { r.ClientOrderID = strings.Repeat("a", 33) }, errors.InvalidOrder},
		"post-only trigger order": {func(r *unified.OrderRequest) { r.TriggerPrice, r.PostOnly = price("1"), true }, errors.NotSupported},
		"leverage with the order": {func(r *unified.OrderRequest) { r.Leverage = price("3") }, errors.NotSupported},
		"good till date":          {func(r *unified.OrderRequest) { r.TimeInForce = unified.TIFGTD }, errors.NotSupported},
		"spot cash reduce-only":   {func(r *unified.OrderRequest) { r.ReduceOnly = true }, errors.NotSupported},
		"amount off the lot":      {func(r *unified.OrderRequest) { r.Amount = dec("0.000000001") }, errors.InvalidOrder},
		"insufficient funds": {func(r *unified.OrderRequest) { // 150 ETH held: 100
			r.Symbol, r.Side, r.Amount, r.Price = "ETH/USDT", unified.SideSell, dec("150"), decimal.NewNullDecimal(ethAsk)
		}, errors.InsufficientFunds},
		"Params field set twice": {nil, errors.BadRequest},
		"contract sized by quote": {func(r *unified.OrderRequest) {
			r.Symbol, r.Type, r.Price, r.Amount, r.Cost = "BTC/USDT:USDT", unified.OrderTypeMarket, decimal.NullDecimal{}, decimal.Zero, price("10")
		}, errors.NotSupported},
		"unknown symbol":             {func(r *unified.OrderRequest) { r.Symbol = "NOPE/USDT" }, errors.BadSymbol},
		"duplicated client order id": {func(r *unified.OrderRequest) { r.ClientOrderID = "dup1" }, errors.DuplicateOrderId},
	} {
		t.Run(name, func(t *testing.T) {
			req := limit
			var opts []exchange.Option
			if c.edit != nil {
				c.edit(&req)
			} else {
				opts = append(opts, exchange.Params(map[string]any{"px": "1"}))
			}
			if req.ClientOrderID == "dup1" {
				if _, err := x.CreateOrder(ctx, req); err != nil {
					t.Fatal(err)
				}
			}
			before := len(srv.Orders())
			_, err := x.CreateOrder(ctx, req, opts...)
			if !errors.Is(err, c.kind) {
				t.Fatalf("%v, want %v", err, c.kind)
			}
			if n := len(srv.Orders()); n != before {
				t.Fatalf("%d orders, %d before: a refused order was placed", n, before)
			}
		})
	}
}

// TestOrderLifecycle: amend, cancel, cancel all and the lists.
func TestOrderLifecycle(t *testing.T) {
	x, _, ctx := privateFake(t, okxtest.Config{}, nil)
	bid, _ := bestPrices(t, ctx, x, "BTC/USDT")
	px := bid.Sub(dec("200"))
	req := unified.OrderRequest{Symbol: "BTC/USDT", Type: unified.OrderTypeLimit, Side: unified.SideBuy, Amount: dec("0.01"), Price: decimal.NewNullDecimal(px)}
	var ids []string
	for range 3 {
		o, err := x.CreateOrder(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, o.ID)
	}
	edited, err := x.EditOrder(ctx, ids[0], unified.OrderRequest{Symbol: "BTC/USDT", Type: unified.OrderTypeLimit, Side: unified.SideBuy,
		Amount: dec("0.02"), Price: decimal.NewNullDecimal(px.Sub(dec("1")))})
	if err != nil {
		t.Fatal(err)
	}
	if !edited.Amount.Decimal.Equal(dec("0.02")) || !edited.Price.Decimal.Equal(px.Sub(dec("1"))) || edited.Status != unified.StatusOpen {
		t.Fatalf("edited: amount %v price %v %s", edited.Amount, edited.Price, edited.Status)
	}
	open, err := x.FetchOpenOrders(ctx, "BTC/USDT")
	if err != nil || len(open) != 3 {
		t.Fatalf("open orders: %d, %v", len(open), err)
	}
	if _, err := x.CancelOrder(ctx, ids[1], "BTC/USDT"); err != nil {
		t.Fatal(err)
	}
	if _, err := x.CancelOrder(ctx, ids[1], "BTC/USDT"); !errors.Is(err, errors.OrderNotFound) {
		t.Fatalf("second cancel: %v, want OrderNotFound (51401)", err)
	}
	if _, err := x.EditOrder(ctx, ids[1], req); !errors.Is(err, errors.OrderNotFound) {
		t.Fatalf("amend of a canceled order: %v, want OrderNotFound (51509)", err)
	}
	all, err := x.CancelAllOrders(ctx, "")
	if err != nil || len(all) != 2 {
		t.Fatalf("cancel all: %d, %v", len(all), err)
	}
	closed, err := x.FetchClosedOrders(ctx, "BTC/USDT")
	if err != nil || len(closed) != 3 {
		t.Fatalf("closed orders: %d, %v", len(closed), err)
	}
	for _, o := range closed {
		if o.Status != unified.StatusCanceled {
			t.Fatalf("closed order %s is %s", o.ID, o.Status)
		}
	}
	every, err := x.FetchOrders(ctx, "", exchange.Limit(2))
	if err != nil || len(every) != 2 || every[1].ID != ids[2] {
		t.Fatalf("orders limited to 2: %v, %v", every, err)
	}
	if _, err := x.FetchOrder(ctx, "1", "BTC/USDT"); !errors.Is(err, errors.OrderNotFound) {
		t.Fatalf("unknown order: %v, want OrderNotFound (51603)", err)
	}
}

// TestTradesBalancePositionsLeverage: a market buy on a swap shows in the
// fills, the balance and the position; leverage is set and bounded.
func TestTradesBalancePositionsLeverage(t *testing.T) {
	x, srv, ctx := privateFake(t, okxtest.Config{}, nil)
	if err := x.SetLeverage(ctx, dec("5"), "BTC/USDT:USDT"); err != nil {
		t.Fatal(err)
	}
	if err := x.SetLeverage(ctx, dec("1000"), "BTC/USDT:USDT"); !errors.Is(err, errors.BadRequest) {
		t.Fatalf("leverage 1000: %v, want BadRequest (59102)", err)
	}
	before, err := x.FetchBalance(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if b := before.Currencies["USDT"]; !b.Total.Valid || !b.Free.Valid || !b.Used.Valid || !b.Total.Decimal.Equal(dec("1000000")) {
		t.Fatalf("USDT %+v", b)
	}
	o, err := x.CreateOrder(ctx, unified.OrderRequest{Symbol: "BTC/USDT:USDT", Type: unified.OrderTypeMarket, Side: unified.SideBuy, Amount: dec("2")})
	if err != nil {
		t.Fatal(err)
	}
	trades, err := x.FetchMyTrades(ctx, "BTC/USDT:USDT")
	if err != nil || len(trades) == 0 {
		t.Fatalf("fills: %v, %v", trades, err)
	}
	sum := decimal.Zero
	for _, tr := range trades {
		if tr.Order != o.ID || tr.TakerOrMaker != unified.LiquidityTaker || !tr.Fee.Cost.Valid || !tr.Fee.Cost.Decimal.IsPositive() || tr.Fee.Currency != "USDT" {
			t.Fatalf("fill %+v", tr)
		}
		sum = sum.Add(tr.Amount.Decimal)
	}
	if !sum.Equal(dec("2")) {
		t.Fatalf("fills sum to %s contracts, want 2", sum)
	}
	ps, err := x.FetchPositions(ctx, []string{"BTC/USDT:USDT"})
	if err != nil || len(ps) != 1 {
		t.Fatalf("positions: %v, %v", ps, err)
	}
	if p := ps[0]; p.Side != unified.PositionLong || !p.Contracts.Decimal.Equal(dec("2")) || !p.Contracts.Decimal.Equal(srv.Position("BTC/USDT:USDT")) ||
		p.MarginMode != unified.MarginModeCross || !p.Leverage.Decimal.Equal(dec("5")) || *p.Hedged {
		t.Fatalf("position %+v", p)
	}
	if _, err := x.CreateOrder(ctx, unified.OrderRequest{Symbol: "BTC/USDT:USDT", Type: unified.OrderTypeMarket, Side: unified.SideSell,
		Amount: dec("2"), ReduceOnly: true}); err != nil {
		t.Fatal(err)
	}
	if ps, err := x.FetchPositions(ctx, nil); err != nil || len(ps) != 0 {
		t.Fatalf("positions after closing: %v, %v", ps, err)
	}
	if ps, err := x.FetchPositions(ctx, []string{"BTC/USDT"}); err != nil || len(ps) != 0 {
		t.Fatalf("margin positions of a spot market never traded on margin: %v, %v", ps, err)
	}
}

// losingProxy stands between the adapter and okxtest (rewire points the
// adapter's REST URL at it): a POST to a path ending in place is executed
// and its reply lost (504) while *forward holds, and not even forwarded
// once it is set false; the rest passes through.
func losingProxy(t *testing.T, place string) (forward *bool, rewire func(map[string]string)) {
	forward = new(bool)
	*forward = true
	var target *url.URL
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		req, _ := http.NewRequestWithContext(r.Context(), r.Method, target.String()+r.URL.RequestURI(), strings.NewReader(string(body)))
		req.Header = r.Header.Clone()
		placing := r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, place)
		if placing && !*forward {
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
		if placing { // executed, but the reply is lost
			w.WriteHeader(http.StatusGatewayTimeout)
			return
		}
		w.WriteHeader(resp.StatusCode)
		_, _ = w.Write(reply)
	}))
	t.Cleanup(proxy.Close)
	return forward, func(u map[string]string) {
		target, _ = url.Parse(u["rest"])
		u["rest"] = proxy.URL
	}
}

// TestUnknownOutcome: a placement whose reply is lost is looked up by its
// clOrdId; found, it is the result; not found, the error names the id and
// the order as requested comes with it.
func TestUnknownOutcome(t *testing.T) {
	forward, rewire := losingProxy(t, "/trade/order")
	x, srv, ctx := privateFake(t, okxtest.Config{}, rewire)
	bid, _ := bestPrices(t, ctx, x, "BTC/USDT")
	req := unified.OrderRequest{Symbol: "BTC/USDT", Type: unified.OrderTypeLimit, Side: unified.SideBuy, Amount: dec("0.01"),
		Price: decimal.NewNullDecimal(bid.Sub(dec("100"))), ClientOrderID: "lost1"}
	o, err := x.CreateOrder(ctx, req)
	if err != nil || o.ClientOrderID != "lost1" || o.ID == "" || o.Status != unified.StatusOpen {
		t.Fatalf("executed order with a lost reply: %+v, %v", o, err)
	}
	*forward = false
	req.ClientOrderID = "lost2"
	o, err = x.CreateOrder(ctx, req)
	if err == nil || !strings.Contains(err.Error(), "lost2") || o == nil || o.ClientOrderID != "lost2" {
		t.Fatalf("order never placed: %+v, %v", o, err)
	}
	if n := len(srv.Orders()); n != 1 {
		t.Fatalf("%d orders at the venue, want 1 (never sent twice)", n)
	}
}
