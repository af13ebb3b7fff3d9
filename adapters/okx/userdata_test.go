package okx

import (
	"context"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/adapters/okx/okxtest"
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/unified"
)

// TestPrivateStreams: after the login, an order placed and filled reaches
// WatchOrders, its fill WatchMyTrades (from the orders channel), the new
// balances WatchBalance and the position WatchPositions.
func TestPrivateStreams(t *testing.T) {
	x, srv, ctx := privateFake(t, okxtest.Config{}, nil)
	bal, err := x.WatchBalance(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if b := bal.Currencies["USDT"]; !b.Total.Valid || !b.Total.Decimal.Equal(dec("1000000")) {
		t.Fatalf("first balances: USDT %+v", b)
	}
	fills := make(chan []unified.Trade, 1)
	go func() { // the account's trades are new ones only: watched before the fill
		trades, err := x.WatchMyTrades(ctx, "")
		if err != nil {
			t.Error(err)
		}
		fills <- trades
	}()
	bid, _ := bestPrices(t, ctx, x, "BTC/USDT:USDT")
	resting, err := x.CreateOrder(ctx, unified.OrderRequest{Symbol: "BTC/USDT:USDT", Type: unified.OrderTypeLimit, Side: unified.SideBuy,
		Amount: dec("1"), Price: decimal.NewNullDecimal(bid.Sub(dec("500")))})
	if err != nil {
		t.Fatal(err)
	}
	if os, err := x.WatchOrders(ctx, ""); err != nil || len(os) == 0 || os[0].ID != resting.ID || os[0].Status != unified.StatusOpen {
		t.Fatalf("WatchOrders of the resting order: %+v, %v", os, err)
	}
	placed, err := x.CreateOrder(ctx, unified.OrderRequest{Symbol: "BTC/USDT:USDT", Type: unified.OrderTypeMarket, Side: unified.SideBuy, Amount: dec("3")})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	var last unified.Order
	for last.Status != unified.StatusClosed && time.Now().Before(deadline) {
		os, err := x.WatchOrders(ctx, "BTC/USDT:USDT")
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range os {
			if o.ID == placed.ID {
				last = o
			}
		}
	}
	if last.Status != unified.StatusClosed || !last.Filled.Decimal.Equal(dec("3")) || last.ClientOrderID != placed.ClientOrderID {
		t.Fatalf("WatchOrders: %+v", last)
	}
	trades := <-fills
	if len(trades) == 0 || trades[0].Order != placed.ID || trades[0].TakerOrMaker != unified.LiquidityTaker {
		t.Fatalf("WatchMyTrades: %+v", trades)
	}
	var pos unified.Position
	for !pos.Contracts.Decimal.Equal(dec("3")) && time.Now().Before(deadline) {
		ps, err := x.WatchPositions(ctx, []string{"BTC/USDT:USDT"})
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) > 0 {
			pos = ps[len(ps)-1]
		}
	}
	if pos.Side != unified.PositionLong || !pos.Contracts.Decimal.Equal(srv.Position("BTC/USDT:USDT")) {
		t.Fatalf("WatchPositions: %+v", pos)
	}
	cash, _ := srv.Balance("USDT")
	for time.Now().Before(deadline) {
		if bal, err = x.WatchBalance(ctx); err != nil {
			t.Fatal(err)
		}
		if bal.Currencies["USDT"].Total.Decimal.Equal(cash) {
			break
		}
	}
	if got := bal.Currencies["USDT"].Total.Decimal; !got.Equal(cash) || got.Equal(dec("1000000")) {
		t.Fatalf("WatchBalance: USDT total %s, venue %s", got, cash)
	}
}

// TestPrivateLoginRefused: a wrong passphrase fails the login, and the
// watch, with AuthenticationError.
func TestPrivateLoginRefused(t *testing.T) {
	x, _, ctx := privateFake(t, okxtest.Config{APIKey: okxtest.TestAPIKey, Secret: okxtest.TestSecret, Passphrase: "another"}, nil)
	wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := x.WatchOrders(wctx, ""); !errors.Is(err, errors.AuthenticationError) {
		t.Fatalf("WatchOrders with a wrong passphrase: %v, want AuthenticationError", err)
	}
}

// TestWebSocketOrderEntry: place, amend and cancel over the private
// WebSocket, naming the instrument by its instIdCode.
func TestWebSocketOrderEntry(t *testing.T) {
	for _, demo := range []bool{false, true} {
		x, srv, ctx := privateFake(t, okxtest.Config{Demo: demo}, nil)
		m, err := x.market(ctx, "BTC/USDT:USDT")
		if err != nil {
			t.Fatal(err)
		}
		arg, err := x.wsArg(ctx, m, map[string]any{"instId": m.ID, "sz": "1"})
		if err != nil {
			t.Fatal(err)
		}
		if _, has := arg["instId"]; has || arg["instIdCode"] != srv.InstIDCode(m.ID) || srv.InstIDCode(m.ID) == 0 {
			t.Fatalf("demo %v: argument %v, want instIdCode %d and no instId", demo, arg, srv.InstIDCode(m.ID))
		}
		bid, _ := bestPrices(t, ctx, x, m.Symbol)
		px := bid.Sub(m.Precision.Price.Decimal.Mul(decimal.NewFromInt(50)))
		req := unified.OrderRequest{Symbol: m.Symbol, Type: unified.OrderTypeLimit, Side: unified.SideBuy, Amount: dec("1"), Price: decimal.NewNullDecimal(px)}
		o, err := x.CreateOrderWs(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		req.Amount = dec("2")
		edited, err := x.EditOrderWs(ctx, o.ID, req)
		if err != nil || !edited.Amount.Decimal.Equal(dec("2")) || edited.ID != o.ID {
			t.Fatalf("EditOrderWs: %+v, %v", edited, err)
		}
		if _, err := x.CancelOrderWs(ctx, o.ID, m.Symbol); err != nil {
			t.Fatal(err)
		}
		if _, err := x.CancelOrderWs(ctx, o.ID, m.Symbol); !errors.Is(err, errors.OrderNotFound) {
			t.Fatalf("second CancelOrderWs: %v, want OrderNotFound", err)
		}
		got, err := x.FetchOrder(ctx, o.ID, m.Symbol)
		if err != nil || got.Status != unified.StatusCanceled {
			t.Fatalf("after CancelOrderWs: %+v, %v", got, err)
		}
		req.Amount = dec("1000000")
		if _, err := x.CreateOrderWs(ctx, req); !errors.Is(err, errors.InsufficientFunds) {
			t.Fatalf("CreateOrderWs beyond the balance: %v, want InsufficientFunds (sCode 51008)", err)
		}
	}
}

// TestInstIDCodesFollowTheRegistry: WebSocket order entry takes the
// instIdCodes of the last market load, so a reload after OKX changed one
// sends the new code (the old one is refused from then on).
func TestInstIDCodesFollowTheRegistry(t *testing.T) {
	x, srv, ctx := privateFake(t, okxtest.Config{}, nil)
	m, err := x.market(ctx, "BTC/USDT:USDT")
	if err != nil {
		t.Fatal(err)
	}
	code := func() any {
		arg, err := x.wsArg(ctx, m, map[string]any{"instId": m.ID})
		if err != nil {
			t.Fatal(err)
		}
		return arg["instIdCode"]
	}
	old := srv.InstIDCode(m.ID)
	if got := code(); got != old || old == 0 {
		t.Fatalf("instIdCode %v, want %d", got, old)
	}
	srv.SetInstIDCode(m.ID, old+1_000_000)
	if got := code(); got != old {
		t.Fatalf("before a reload: instIdCode %v, want the loaded %d", got, old)
	}
	if _, err := x.LoadMarkets(ctx, true); err != nil {
		t.Fatal(err)
	}
	if got := code(); got != old+1_000_000 {
		t.Fatalf("after a reload: instIdCode %v, want %d", got, old+1_000_000)
	}
	bid, _ := bestPrices(t, ctx, x, m.Symbol)
	req := unified.OrderRequest{Symbol: m.Symbol, Type: unified.OrderTypeLimit, Side: unified.SideBuy, Amount: dec("1"),
		Price: decimal.NewNullDecimal(bid.Sub(m.Precision.Price.Decimal.Mul(decimal.NewFromInt(50))))}
	if _, err := x.CreateOrderWs(ctx, req); err != nil {
		t.Fatalf("CreateOrderWs with the reloaded code: %v", err)
	}
}
