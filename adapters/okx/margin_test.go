package okx

import (
	"testing"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/adapters/okx/okxtest"
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/unified"
)

// TestSpotMargin: spot margin trading against okxtest — leverage set per
// instrument (or per currency for cross margin), a cross margin buy opens
// a long MARGIN position on the spot symbol, a reduce-only sell closes it
// (and is refused with nothing to reduce), an isolated margin sell opens
// a short whose size OKX states in the quote currency.
func TestSpotMargin(t *testing.T) {
	x, _, ctx := privateFake(t, okxtest.Config{}, nil)
	const symbol = "BTC/USDT"
	if err := x.SetLeverage(ctx, dec("5"), symbol, exchange.Params(map[string]any{"marginMode": "isolated"})); err != nil {
		t.Fatal(err)
	}
	if err := x.SetLeverage(ctx, dec("4"), symbol, exchange.Params(map[string]any{"ccy": "USDT"})); err != nil {
		t.Fatalf("a currency's cross leverage: %v", err)
	}
	if err := x.SetLeverage(ctx, dec("4"), symbol, exchange.Params(map[string]any{"ccy": "USDT", "marginMode": "isolated"})); !errors.Is(err, errors.BadRequest) {
		t.Fatalf("a currency's isolated leverage: %v, want BadRequest", err)
	}
	before, err := x.FetchBalance(ctx)
	if err != nil {
		t.Fatal(err)
	}
	reduce := unified.OrderRequest{Symbol: symbol, Type: unified.OrderTypeMarket, Side: unified.SideSell, Amount: dec("0.1"),
		MarginMode: unified.MarginModeCross, ReduceOnly: true}
	if _, err := x.CreateOrder(ctx, reduce); !errors.Is(err, errors.InvalidOrder) {
		t.Fatalf("reduce-only with no position: %v, want InvalidOrder (51169)", err)
	}
	buy, err := x.CreateOrder(ctx, unified.OrderRequest{Symbol: symbol, Type: unified.OrderTypeMarket, Side: unified.SideBuy,
		Amount: dec("0.1"), MarginMode: unified.MarginModeCross})
	if err != nil {
		t.Fatal(err)
	}
	o, err := x.FetchOrder(ctx, buy.ID, symbol)
	if err != nil || o.Status != unified.StatusClosed || !o.Filled.Decimal.Equal(dec("0.1")) {
		t.Fatalf("margin buy: %+v, %v", o, err)
	}
	ps, err := x.FetchPositions(ctx, []string{symbol})
	if err != nil || len(ps) != 1 {
		t.Fatalf("positions of %s: %+v, %v", symbol, ps, err)
	}
	p := ps[0]
	if p.Symbol != symbol || p.Side != unified.PositionLong || !p.Contracts.Decimal.Equal(dec("0.1")) || p.ContractSize.Valid ||
		p.MarginMode != unified.MarginModeCross || !p.Leverage.Decimal.Equal(dec("5")) || !p.EntryPrice.Valid || *p.Hedged {
		t.Fatalf("long margin position: %+v", p)
	}
	all, err := x.FetchPositions(ctx, nil)
	if err != nil || len(all) != 1 || all[0].Symbol != symbol {
		t.Fatalf("every position: %+v, %v", all, err)
	}
	after, err := x.FetchBalance(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Borrowed, not paid: BTC is untouched, USDT pays the fee only.
	if !after.Currencies["BTC"].Total.Decimal.Equal(before.Currencies["BTC"].Total.Decimal) ||
		!after.Currencies["USDT"].Total.Decimal.LessThan(before.Currencies["USDT"].Total.Decimal) ||
		before.Currencies["USDT"].Total.Decimal.Sub(after.Currencies["USDT"].Total.Decimal).GreaterThan(dec("100")) {
		t.Fatalf("balances before %+v after %+v", before.Currencies, after.Currencies)
	}
	closed, err := x.CreateOrder(ctx, reduce)
	if err != nil {
		t.Fatalf("reduce-only margin sell: %v", err)
	}
	if o, err := x.FetchOrder(ctx, closed.ID, symbol); err != nil || o.ReduceOnly == nil || !*o.ReduceOnly || o.Status != unified.StatusClosed {
		t.Fatalf("reduce-only order as read back: %+v, %v", o, err)
	}
	if ps, err := x.FetchPositions(ctx, []string{symbol}); err != nil || len(ps) != 0 {
		t.Fatalf("after the reduce-only sell: %+v, %v", ps, err)
	}
	sell, err := x.CreateOrder(ctx, unified.OrderRequest{Symbol: symbol, Type: unified.OrderTypeMarket, Side: unified.SideSell,
		Amount: dec("0.05"), MarginMode: unified.MarginModeIsolated})
	if err != nil {
		t.Fatal(err)
	}
	ps, err = x.FetchPositions(ctx, []string{symbol})
	if err != nil || len(ps) != 1 {
		t.Fatalf("short: %+v, %v (order %s)", ps, err, sell.ID)
	}
	p = ps[0]
	want := dec("0.05").Mul(p.EntryPrice.Decimal) // pos in posCcy, the quote currency
	if p.Side != unified.PositionShort || p.MarginMode != unified.MarginModeIsolated || !p.Contracts.Decimal.Equal(want.Round(8)) {
		t.Fatalf("short margin position: side %s mode %s contracts %v, want %v", p.Side, p.MarginMode, p.Contracts, want)
	}
	if _, err := x.FetchPositions(ctx, []string{"ETH/USDT:USDT", symbol}); err != nil {
		t.Fatal(err)
	}
}

// TestMarginPositionFromOKX parses a MARGIN position as OKX writes it
// (the docs' fields): the spot symbol, no contract size, the side from
// posCcy.
func TestMarginPositionFromOKX(t *testing.T) {
	snap := testSnapshot(t)
	for _, c := range []struct {
		posCcy string
		side   unified.PositionSide
	}{{"BTC", unified.PositionLong}, {"USDT", unified.PositionShort}} {
		r := restPosition{InstType: "MARGIN", InstID: "BTC-USDT", PosSide: "net", Pos: "0.5", PosCcy: c.posCcy, AvgPx: "60000",
			MgnMode: "cross", Lever: "3", Imr: "10000", Mmr: "1000", NotionalUsd: "30000", Liab: "-20000", LiabCcy: "USDT", UTime: "1700000000000"}
		p, open, err := parsePosition(snap, &r, false)
		if err != nil || !open {
			t.Fatal(err)
		}
		if p.Symbol != "BTC/USDT" || p.Side != c.side || !p.Contracts.Decimal.Equal(decimal.RequireFromString("0.5")) ||
			p.ContractSize.Valid || *p.Hedged || p.MarginMode != unified.MarginModeCross {
			t.Fatalf("posCcy %s: %+v", c.posCcy, p)
		}
	}
}

// TestWatchMarginPosition: a margin position reaches WatchPositions on
// its spot symbol (the positions channel is subscribed with instType ANY;
// the reconciliation after the connect lists it).
func TestWatchMarginPosition(t *testing.T) {
	x, _, ctx := privateFake(t, okxtest.Config{}, nil)
	const symbol = "BTC/USDT"
	buy := func(amount string) {
		t.Helper()
		if _, err := x.CreateOrder(ctx, unified.OrderRequest{Symbol: symbol, Type: unified.OrderTypeMarket, Side: unified.SideBuy,
			Amount: dec(amount), MarginMode: unified.MarginModeIsolated}); err != nil {
			t.Fatal(err)
		}
	}
	waitFor := func(contracts string) {
		t.Helper()
		for {
			ps, err := x.WatchPositions(ctx, []string{symbol})
			if err != nil {
				t.Fatalf("waiting for a position of %s: %v", contracts, err)
			}
			for _, p := range ps {
				if p.Symbol == symbol && p.Contracts.Decimal.Equal(dec(contracts)) {
					if p.Side != unified.PositionLong || p.MarginMode != unified.MarginModeIsolated || p.ContractSize.Valid {
						t.Fatalf("streamed margin position: %+v", p)
					}
					return
				}
			}
		}
	}
	buy("0.2")
	waitFor("0.2") // the reconciliation after the connect
	buy("0.1")
	waitFor("0.3") // a positions push
}
