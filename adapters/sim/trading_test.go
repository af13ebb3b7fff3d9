package sim_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/adapters/sim"
	"github.com/unifex-go/unifex/adapters/sim/venue"
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/unified"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// newPair starts a venue moved only by the test and an adapter for it.
func newPair(t *testing.T, cfg exchange.Config) (*sim.Exchange, *venue.Venue) {
	t.Helper()
	v := startVenue(exchange.Config{})
	ex := connect(t, v, cfg)
	t.Cleanup(func() {
		_ = ex.Close()
		v.Close()
	})
	return ex, v
}

func wantKind(t *testing.T, what string, err error, kind *errors.Kind) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Fatalf("%s: %v, want %s", what, err, kind.Name())
	}
}

// touch returns the best bid and ask.
func touch(t *testing.T, ex *sim.Exchange, symbol string) (bid, ask decimal.Decimal) {
	t.Helper()
	ob, err := ex.FetchOrderBook(testCtx(t), symbol, exchange.Limit(1))
	if err != nil {
		t.Fatal(err)
	}
	return ob.Bids[0].Price, ob.Asks[0].Price
}

func limit(symbol string, side unified.Side, amount, price decimal.Decimal) unified.OrderRequest {
	return unified.OrderRequest{Symbol: symbol, Type: unified.OrderTypeLimit, Side: side, Amount: amount, Price: decimal.NewNullDecimal(price)}
}

func market(symbol string, side unified.Side, amount string) unified.OrderRequest {
	return unified.OrderRequest{Symbol: symbol, Type: unified.OrderTypeMarket, Side: side, Amount: dec(amount)}
}

func total(b *unified.Balances, code string) decimal.Decimal { return b.Currencies[code].Total.Decimal }

func TestSpotOrderLifecycle(t *testing.T) {
	ex, _ := newPair(t, exchange.Config{})
	ctx := testCtx(t)
	bid, _ := touch(t, ex, "BTC/USDT")
	price := bid.Sub(dec("100"))
	o, err := ex.CreateOrder(ctx, limit("BTC/USDT", unified.SideBuy, dec("0.01"), price))
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != unified.StatusOpen || !o.Filled.Decimal.IsZero() || !o.Price.Decimal.Equal(price) {
		t.Fatalf("a limit order below the touch: %+v", o)
	}
	b, err := ex.FetchBalance(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// A buy holds back its cost and the taker fee it might pay.
	wantUsed := price.Mul(dec("0.01")).Mul(dec("1.001"))
	if used := b.Currencies["USDT"].Used.Decimal; !used.Equal(wantUsed) {
		t.Fatalf("USDT used %s, want %s", used, wantUsed)
	}
	open, err := ex.FetchOpenOrders(ctx, "BTC/USDT")
	if err != nil || len(open) != 1 || open[0].ID != o.ID {
		t.Fatalf("open orders: %v %v", open, err)
	}
	edited, err := ex.EditOrder(ctx, o.ID, limit("BTC/USDT", unified.SideBuy, dec("0.02"), price.Sub(dec("1"))))
	if err != nil {
		t.Fatal(err)
	}
	if edited.ID != o.ID || !edited.Amount.Decimal.Equal(dec("0.02")) || !edited.Price.Decimal.Equal(price.Sub(dec("1"))) {
		t.Fatalf("edited: %+v", edited)
	}
	canceled, err := ex.CancelOrder(ctx, o.ID, "BTC/USDT")
	if err != nil || canceled.Status != unified.StatusCanceled {
		t.Fatalf("cancel: %+v %v", canceled, err)
	}
	_, err = ex.CancelOrder(ctx, o.ID, "BTC/USDT")
	wantKind(t, "second cancel", err, errors.InvalidOrder)
	_, err = ex.CancelOrder(ctx, "O999", "BTC/USDT")
	wantKind(t, "cancel of an unknown order", err, errors.OrderNotFound)
	got, err := ex.FetchOrder(ctx, o.ID, "BTC/USDT")
	if err != nil || got.Status != unified.StatusCanceled {
		t.Fatalf("fetch after cancel: %+v %v", got, err)
	}
	closed, err := ex.FetchClosedOrders(ctx, "")
	if err != nil || len(closed) != 1 {
		t.Fatalf("closed orders: %v %v", closed, err)
	}
	b, err = ex.FetchBalance(ctx)
	if err != nil || !b.Currencies["USDT"].Used.Decimal.IsZero() {
		t.Fatalf("after cancel: %+v %v", b, err)
	}
}

func TestMarketOrderPaysExactFees(t *testing.T) {
	ex, _ := newPair(t, exchange.Config{})
	ctx := testCtx(t)
	before, err := ex.FetchBalance(ctx)
	if err != nil {
		t.Fatal(err)
	}
	o, err := ex.CreateOrder(ctx, market("BTC/USDT", unified.SideBuy, "0.05"))
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != unified.StatusClosed || !o.Filled.Decimal.Equal(dec("0.05")) {
		t.Fatalf("market order: %+v", o)
	}
	if want := o.Cost.Decimal.Mul(dec("0.001")); !o.Fee.Cost.Decimal.Equal(want) || o.Fee.Currency != "USDT" {
		t.Fatalf("fee %s %s, want %s USDT (0.1 %% of %s)", o.Fee.Cost.Decimal, o.Fee.Currency, want, o.Cost.Decimal)
	}
	after, err := ex.FetchBalance(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := total(after, "USDT"), total(before, "USDT").Sub(o.Cost.Decimal).Sub(o.Fee.Cost.Decimal); !got.Equal(want) {
		t.Fatalf("USDT %s, want %s", got, want)
	}
	if got, want := total(after, "BTC"), total(before, "BTC").Add(dec("0.05")); !got.Equal(want) {
		t.Fatalf("BTC %s, want %s", got, want)
	}
	fills, err := ex.FetchMyTrades(ctx, "BTC/USDT")
	if err != nil {
		t.Fatal(err)
	}
	amount, cost := decimal.Zero, decimal.Zero
	for _, f := range fills {
		if f.Order != o.ID || f.TakerOrMaker != unified.LiquidityTaker {
			t.Fatalf("fill %+v", f)
		}
		amount, cost = amount.Add(f.Amount.Decimal), cost.Add(f.Cost.Decimal)
	}
	if !amount.Equal(dec("0.05")) || !cost.Equal(o.Cost.Decimal) {
		t.Fatalf("fills add to %s costing %s, want 0.05 costing %s", amount, cost, o.Cost.Decimal)
	}
}

func TestTimeInForce(t *testing.T) {
	ex, _ := newPair(t, exchange.Config{})
	ctx := testCtx(t)
	ob, err := ex.FetchOrderBook(ctx, "ETH/USDT", exchange.Limit(1))
	if err != nil {
		t.Fatal(err)
	}
	ask := ob.Asks[0]
	// IOC for more than the best level holds, limited to its price: fills
	// the level, cancels the rest.
	ioc := limit("ETH/USDT", unified.SideBuy, ask.Amount.Add(dec("1")), ask.Price)
	ioc.TimeInForce = unified.TIFIOC
	o, err := ex.CreateOrder(ctx, ioc)
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != unified.StatusCanceled || !o.Filled.Decimal.Equal(ask.Amount) {
		t.Fatalf("IOC: %s filled %s, want canceled filled %s", o.Status, o.Filled.Decimal, ask.Amount)
	}
	// FOK that cannot fill entirely expires without trading.
	ob, err = ex.FetchOrderBook(ctx, "ETH/USDT", exchange.Limit(1))
	if err != nil {
		t.Fatal(err)
	}
	ask2 := ob.Asks[0].Price
	fok := limit("ETH/USDT", unified.SideBuy, ob.Asks[0].Amount.Add(dec("0.1")), ask2)
	fok.TimeInForce = unified.TIFFOK
	if o, err = ex.CreateOrder(ctx, fok); err != nil {
		t.Fatal(err)
	}
	if o.Status != unified.StatusExpired || !o.Filled.Decimal.IsZero() {
		t.Fatalf("FOK: %s filled %s, want expired unfilled", o.Status, o.Filled.Decimal)
	}
	// Post-only that would take is refused.
	po := limit("ETH/USDT", unified.SideBuy, dec("0.1"), ask2)
	po.PostOnly = true
	_, err = ex.CreateOrder(ctx, po)
	wantKind(t, "crossing post-only", err, errors.OrderImmediatelyFillable)
}

func TestOrderValidation(t *testing.T) {
	ex, _ := newPair(t, exchange.Config{})
	ctx := testCtx(t)
	for name, tc := range map[string]struct {
		req  unified.OrderRequest
		kind *errors.Kind
	}{
		"below the minimum amount": {limit("BTC/USDT", unified.SideBuy, dec("0.00001"), dec("60000")), errors.InvalidOrder},
		"below the minimum value":  {limit("ETH/BTC", unified.SideBuy, dec("0.001"), dec("0.05")), errors.InvalidOrder},
		"unknown symbol":           {limit("DOGE/USDT", unified.SideBuy, dec("1"), dec("1")), errors.BadSymbol},
		"no funds":                 {limit("BTC/USDT", unified.SideBuy, dec("100"), dec("60000")), errors.InsufficientFunds},
		"reduce-only on spot": {func() unified.OrderRequest {
			r := market("BTC/USDT", unified.SideSell, "0.1")
			r.ReduceOnly = true
			return r
		}(), errors.InvalidOrder},
		"trailing stops": {func() unified.OrderRequest {
			r := market("BTC/USDT", unified.SideSell, "0.1")
			r.TrailingPercent = decimal.NewNullDecimal(dec("1"))
			return r
		}(), errors.NotSupported},
		"one-cancels-the-other pairs": {func() unified.OrderRequest {
			r := market("BTC/USDT", unified.SideSell, "0.1")
			r.StopLossPrice, r.TakeProfitPrice = decimal.NewNullDecimal(dec("1")), decimal.NewNullDecimal(dec("100000"))
			return r
		}(), errors.NotSupported},
		"trigger orders": {func() unified.OrderRequest {
			r := market("BTC/USDT", unified.SideSell, "0.1")
			r.TriggerPrice = decimal.NewNullDecimal(dec("1"))
			return r
		}(), errors.NotSupported},
	} {
		if _, err := ex.CreateOrder(ctx, tc.req); !errors.Is(err, tc.kind) {
			t.Errorf("%s: %v, want %s", name, err, tc.kind.Name())
		}
	}
	edit := limit("BTC/USDT", unified.SideBuy, dec("0.001"), dec("50000"))
	edit.TrailingAmount = decimal.NewNullDecimal(dec("10"))
	if _, err := ex.EditOrder(ctx, "1", edit); !errors.Is(err, errors.NotSupported) {
		t.Errorf("an amendment to a trailing stop: %v, want NotSupported", err)
	}
	dup := limit("BTC/USDT", unified.SideBuy, dec("0.001"), dec("50000"))
	dup.ClientOrderID = "mine-1"
	if _, err := ex.CreateOrder(ctx, dup); err != nil {
		t.Fatal(err)
	}
	_, err := ex.CreateOrder(ctx, dup)
	wantKind(t, "a client order id used twice", err, errors.DuplicateOrderId)
}

func TestPerpetualPositionAndFunding(t *testing.T) {
	ex, v := newPair(t, exchange.Config{})
	ctx := testCtx(t)
	const perp = "BTC/USDT:USDT"
	if l, err := ex.FetchLeverage(ctx, perp); err != nil || !l.LongLeverage.Decimal.Equal(dec("10")) {
		t.Fatalf("the default leverage: %+v %v, want 10", l, err)
	}
	if err := ex.SetLeverage(ctx, dec("5"), perp); err != nil {
		t.Fatal(err)
	}
	wantKind(t, "leverage 1000", ex.SetLeverage(ctx, dec("1000"), perp), errors.BadRequest)
	l, err := ex.FetchLeverage(ctx, perp)
	if err != nil || l.Symbol != perp || l.MarginMode != unified.MarginModeCross ||
		!l.LongLeverage.Decimal.Equal(dec("5")) || !l.ShortLeverage.Decimal.Equal(dec("5")) {
		t.Fatalf("leverage after SetLeverage 5: %+v %v", l, err)
	}
	_, err = ex.FetchLeverage(ctx, "BTC/USDT")
	wantKind(t, "the leverage of a spot market", err, errors.BadSymbol)
	open, err := ex.CreateOrder(ctx, market(perp, unified.SideBuy, "0.1"))
	if err != nil {
		t.Fatal(err)
	}
	ps, err := ex.FetchPositions(ctx, []string{perp})
	if err != nil || len(ps) != 1 {
		t.Fatalf("positions: %v %v", ps, err)
	}
	p := ps[0]
	entry := open.Cost.Decimal.Div(dec("0.1"))
	if p.Side != unified.PositionLong || !p.Contracts.Decimal.Equal(dec("0.1")) || !p.EntryPrice.Decimal.Equal(entry) ||
		!p.Leverage.Decimal.Equal(dec("5")) {
		t.Fatalf("position %+v, want long 0.1 at %s, leverage 5", p, entry)
	}
	tooMuch := market(perp, unified.SideSell, "0.2")
	tooMuch.ReduceOnly = true
	_, err = ex.CreateOrder(ctx, tooMuch)
	wantKind(t, "reduce-only beyond the position", err, errors.InvalidOrder)

	before, err := ex.FetchBalance(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rate, err := ex.FetchFundingRate(ctx, perp)
	if err != nil {
		t.Fatal(err)
	}
	v.SettleFunding()
	after, err := ex.FetchBalance(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The venue pays at its mark price, which the rate reply carries.
	if paid, want := total(before, "USDT").Sub(total(after, "USDT")), rate.MarkPrice.Decimal.Mul(dec("0.1")).Mul(rate.Rate.Decimal); !paid.Equal(want) {
		t.Fatalf("funding paid %s, want %s (0.1 × %s × %s)", paid, want, rate.MarkPrice.Decimal, rate.Rate.Decimal)
	}

	closeReq := market(perp, unified.SideSell, "0.1")
	closeReq.ReduceOnly = true
	closing, err := ex.CreateOrder(ctx, closeReq)
	if err != nil {
		t.Fatal(err)
	}
	final, err := ex.FetchBalance(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Closing realises the difference of the two fills, less the taker fee.
	want := total(after, "USDT").Add(closing.Cost.Decimal.Sub(open.Cost.Decimal)).Sub(closing.Fee.Cost.Decimal)
	if got := total(final, "USDT"); !got.Equal(want) {
		t.Fatalf("USDT after closing %s, want %s", got, want)
	}
	if ps, _ := ex.FetchPositions(ctx, nil); len(ps) != 1 || !ps[0].Contracts.Decimal.IsZero() {
		t.Fatalf("after closing: %+v", ps)
	}
	_, err = ex.FetchFundingRate(ctx, "BTC/USDT")
	wantKind(t, "funding of a spot market", err, errors.BadSymbol)
}

func TestMarketData(t *testing.T) {
	ex, v := newPair(t, exchange.Config{})
	ctx := testCtx(t)
	snap, err := ex.LoadMarkets(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(v.Symbols(), snap.Symbols()); len(snap.Symbols()) != 4 || diff != "" && !sameSet(v.Symbols(), snap.Symbols()) {
		t.Fatalf("symbols %v, the venue has %v", snap.Symbols(), v.Symbols())
	}
	perp, err := snap.Market("BTC/USDT:USDT")
	if err != nil || !perp.Swap || !perp.Linear || perp.Settle != "USDT" || !perp.Precision.Price.Decimal.Equal(dec("0.1")) {
		t.Fatalf("perpetual: %+v %v", perp, err)
	}
	if c, err := snap.Currency("BTC"); err != nil || c.Name != "Bitcoin" {
		t.Fatalf("currency BTC: %+v %v", c, err)
	}
	if tm, err := ex.FetchTime(ctx); err != nil || time.Since(tm).Abs() > time.Minute {
		t.Fatalf("time %v %v", tm, err)
	}
	v.Step(500)
	tk, err := ex.FetchTicker(ctx, "ETH/BTC")
	if err != nil || !tk.Bid.Decimal.LessThan(tk.Ask.Decimal) || !tk.Last.Decimal.IsPositive() || !tk.BaseVolume.Decimal.IsPositive() {
		t.Fatalf("ticker %+v %v", tk, err)
	}
	tks, err := ex.FetchTickers(ctx, []string{"BTC/USDT", "ETH/USDT"})
	if err != nil || len(tks) != 2 || tks["ETH/USDT"] == nil {
		t.Fatalf("tickers %v %v", tks, err)
	}
	ob, err := ex.FetchOrderBook(ctx, "BTC/USDT", exchange.Limit(5))
	if err != nil || len(ob.Bids) != 5 || len(ob.Asks) != 5 || !ob.Bids[0].Price.LessThan(ob.Asks[0].Price) {
		t.Fatalf("book %+v %v", ob, err)
	}
	trades, err := ex.FetchTrades(ctx, "BTC/USDT", exchange.Limit(10))
	if err != nil || len(trades) == 0 || len(trades) > 10 {
		t.Fatalf("trades %d %v", len(trades), err)
	}
	for i := 1; i < len(trades); i++ {
		if trades[i].Timestamp.Before(trades[i-1].Timestamp) {
			t.Fatalf("trades out of order at %d", i)
		}
	}
}

func sameSet(a, b []string) bool {
	seen := map[string]bool{}
	for _, s := range a {
		seen[s] = true
	}
	for _, s := range b {
		if !seen[s] {
			return false
		}
	}
	return len(a) == len(b)
}

func TestOHLCVPagesThroughHistory(t *testing.T) {
	ex, _ := newPair(t, exchange.Config{})
	ctx := testCtx(t)
	latest, err := ex.FetchOHLCV(ctx, "BTC/USDT", "1m")
	if err != nil || len(latest) != 500 {
		t.Fatalf("latest candles: %d %v", len(latest), err)
	}
	since := time.Now().Add(-50 * time.Hour).Truncate(time.Minute)
	all, err := ex.FetchOHLCV(ctx, "BTC/USDT", "1m", exchange.Since(since))
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < 50*60 || len(all) > 50*60+2 { // three pages, up to the current minute
		t.Fatalf("%d one-minute candles over 50 hours", len(all))
	}
	for i, c := range all {
		if want := since.Add(time.Duration(i) * time.Minute); !c.Timestamp.Equal(want) {
			t.Fatalf("candle %d opens at %v, want %v: paging lost or repeated a candle", i, c.Timestamp, want)
		}
		if c.High.LessThan(c.Low) || c.High.LessThan(c.Open) || c.Low.GreaterThan(c.Close) {
			t.Fatalf("candle %d is inconsistent: %+v", i, c)
		}
	}
	hours, err := ex.FetchOHLCV(ctx, "BTC/USDT", "1h", exchange.Since(since), exchange.Limit(24))
	if err != nil || len(hours) != 24 || hours[1].Timestamp.Sub(hours[0].Timestamp) != time.Hour {
		t.Fatalf("hourly candles: %d %v", len(hours), err)
	}
	_, err = ex.FetchOHLCV(ctx, "BTC/USDT", "7m")
	wantKind(t, "an unknown timeframe", err, errors.BadRequest)
}
