package sim_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/adapters/sim"
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/unified"
)

// editOver is the adapter's edit over transport ("REST" or "WebSocket").
func editOver(ex *sim.Exchange, transport string) func(context.Context, string, unified.OrderRequest, ...exchange.Option) (*unified.Order, error) {
	if transport == "REST" {
		return ex.EditOrder
	}
	return ex.EditOrderWs
}

// TestEditOrderBothWays amends orders in place over REST and over the
// WebSocket: the same id, the new price and amount, the held funds
// following; refusals are typed, and WatchOrders sees the amendment.
func TestEditOrderBothWays(t *testing.T) {
	for _, transport := range []string{"REST", "WebSocket"} {
		t.Run(transport, func(t *testing.T) {
			ex, v := newPair(t, exchange.Config{})
			ctx := testCtx(t)
			edit := editOver(ex, transport)
			const symbol = "ETH/USDT"
			bid, ask := touch(t, ex, symbol)
			price := bid.Sub(dec("50"))
			o, err := ex.CreateOrderWs(ctx, limit(symbol, unified.SideBuy, dec("0.5"), price))
			if err != nil || o.Status != unified.StatusOpen {
				t.Fatalf("resting order: %+v %v", o, err)
			}
			lowered, err := edit(ctx, o.ID, unified.OrderRequest{Symbol: symbol, Amount: dec("0.2")})
			if err != nil {
				t.Fatal(err)
			}
			if lowered.ID != o.ID || !lowered.Amount.Decimal.Equal(dec("0.2")) || !lowered.Price.Decimal.Equal(price) || lowered.Status != unified.StatusOpen {
				t.Fatalf("lowered: %+v", lowered)
			}
			// A buy holds its cost and the taker fee it might pay.
			if _, used := v.Balance("USDT"); !used.Equal(price.Mul(dec("0.2")).Mul(dec("1.001"))) {
				t.Fatalf("USDT used %s after lowering the order", used)
			}
			moved, err := edit(ctx, o.ID, limit(symbol, unified.SideBuy, dec("0.3"), price.Sub(dec("1"))))
			if err != nil {
				t.Fatal(err)
			}
			if moved.ID != o.ID || !moved.Amount.Decimal.Equal(dec("0.3")) || !moved.Price.Decimal.Equal(price.Sub(dec("1"))) {
				t.Fatalf("moved: %+v", moved)
			}
			seen := false
			for deadline := time.Now().Add(5 * time.Second); !seen && time.Now().Before(deadline); {
				wctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
				os, _ := ex.WatchOrders(wctx, symbol)
				cancel()
				for _, w := range os {
					seen = seen || w.ID == o.ID && w.Amount.Decimal.Equal(dec("0.3")) && w.Price.Decimal.Equal(price.Sub(dec("1")))
				}
			}
			if !seen {
				t.Error("WatchOrders never showed the amended order")
			}

			post, err := ex.CreateOrderWs(ctx, unified.OrderRequest{Symbol: symbol, Type: unified.OrderTypeLimit, Side: unified.SideBuy,
				Amount: dec("0.1"), Price: decimal.NewNullDecimal(price), PostOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			_, err = edit(ctx, post.ID, limit(symbol, unified.SideBuy, dec("0.1"), ask.Add(dec("1"))))
			wantKind(t, "a post-only order moved across the book", err, errors.OrderImmediatelyFillable)
			_, err = edit(ctx, "O999", unified.OrderRequest{Symbol: symbol, Amount: dec("0.1")})
			wantKind(t, "an unknown order", err, errors.OrderNotFound)
			_, err = edit(ctx, o.ID, unified.OrderRequest{Symbol: symbol})
			wantKind(t, "nothing to change", err, errors.ArgumentsRequired)
			_, err = edit(ctx, "", unified.OrderRequest{Symbol: symbol, Amount: dec("0.1")})
			wantKind(t, "no id", err, errors.ArgumentsRequired)
			if _, err := ex.CancelOrderWs(ctx, o.ID, symbol); err != nil {
				t.Fatal(err)
			}
			_, err = edit(ctx, o.ID, unified.OrderRequest{Symbol: symbol, Amount: dec("0.1")})
			wantKind(t, "a canceled order", err, errors.InvalidOrder)
		})
	}
}
