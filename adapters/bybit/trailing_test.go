package bybit

import (
	"context"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/unified"
)

// TestTrailingAndPairRefused: a trailing stop (Bybit trails a position,
// not an order) and a one-cancels-the-other pair are refused with
// NotSupported before anything is sent, as is amending an order into a
// trailing stop.
func TestTrailingAndPairRefused(t *testing.T) {
	x, requests := fixtureVenue(t, emptyAnswer)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	px := func(s string) decimal.NullDecimal { return decimal.NewNullDecimal(decimal.RequireFromString(s)) }
	base := unified.OrderRequest{Symbol: "BTC/USDT:USDT", Type: unified.OrderTypeMarket, Side: unified.SideSell, Amount: decimal.NewFromInt(1)}
	trailing, percent, pair := base, base, base
	trailing.TrailingAmount, trailing.TrailingTriggerPrice = px("100"), px("70000")
	percent.TrailingPercent = px("1")
	pair.StopLossPrice, pair.TakeProfitPrice = px("50000"), px("80000")
	for name, req := range map[string]unified.OrderRequest{"trailing amount": trailing, "trailing percent": percent, "stop-loss with take-profit": pair} {
		if _, err := x.CreateOrder(ctx, req); !errors.Is(err, errors.NotSupported) {
			t.Errorf("%s: %v, want NotSupported", name, err)
		}
	}
	if _, err := x.EditOrder(ctx, "1", trailing); !errors.Is(err, errors.NotSupported) {
		t.Errorf("an amendment to a trailing stop: %v, want NotSupported", err)
	}
	if got := requests(); len(got) != 0 {
		t.Fatalf("%d requests sent: %+v", len(got), got)
	}
}
