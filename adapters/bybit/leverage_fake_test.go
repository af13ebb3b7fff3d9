package bybit_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/adapters/bybit/bybittest"
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
)

// TestFetchLeverage: against bybittest, FetchLeverage reads back what
// SetLeverage set on a linear and an inverse perpetual (one-way mode: the
// same for both sides); spot has none.
func TestFetchLeverage(t *testing.T) {
	x, srv := startFake(t, bybittest.Config{Seed: 3}, exchange.Config{})
	defer srv.Close()
	defer x.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, symbol := range []string{"BTC/USDT:USDT", "BTC/USD:BTC"} {
		l, err := x.FetchLeverage(ctx, symbol)
		if err != nil || l.Symbol != symbol || !l.LongLeverage.Decimal.Equal(decimal.NewFromInt(10)) || !l.ShortLeverage.Valid {
			t.Fatalf("%s: the default leverage: %+v %v", symbol, l, err)
		}
		if err := x.SetLeverage(ctx, decimal.NewFromInt(25), symbol); err != nil {
			t.Fatal(err)
		}
		l, err = x.FetchLeverage(ctx, symbol)
		if err != nil || !l.LongLeverage.Decimal.Equal(decimal.NewFromInt(25)) || !l.ShortLeverage.Decimal.Equal(decimal.NewFromInt(25)) ||
			l.MarginMode != "" {
			t.Fatalf("%s: after SetLeverage 25: %+v %v", symbol, l, err)
		}
	}
	if _, err := x.FetchLeverage(ctx, "BTC/USDT"); !errors.Is(err, errors.NotSupported) {
		t.Fatalf("spot: %v, want NotSupported", err)
	}
}
