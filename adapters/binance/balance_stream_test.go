package binance_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/adapters/binance/binancetest"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/unified"
)

// TestFuturesBalanceStream checks WatchBalance on the futures products,
// whose account events carry no free or used amounts: the first return is
// the current balance, and after a fill the watched balance comes to what
// FetchBalance reports.
func TestFuturesBalanceStream(t *testing.T) {
	for _, product := range []binancetest.Product{binancetest.USDM, binancetest.COINM} {
		t.Run(product.String(), func(t *testing.T) {
			x, srv := fakeBinance(t, product, exchange.Config{APIKey: binancetest.TestAPIKey, Secret: binancetest.TestSecret})
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()

			first, err := x.WatchBalance(ctx)
			if err != nil {
				t.Fatal(err)
			}
			fetched, err := x.FetchBalance(ctx)
			if err != nil {
				t.Fatal(err)
			}
			expectBalances(t, first, fetched)

			req := srv.OrderRequest(0)
			req.Type, req.Price = unified.OrderTypeMarket, decimal.NullDecimal{}
			if _, err := x.CreateOrder(ctx, req); err != nil {
				t.Fatal(err)
			}
			after, err := x.FetchBalance(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if equalBalances(after, fetched) {
				t.Fatal("the fill changed no balance")
			}
			for {
				b, err := x.WatchBalance(ctx)
				if err != nil {
					t.Fatalf("the balance never came to %v: %v", after.Currencies, err)
				}
				if equalBalances(b, after) {
					return
				}
			}
		})
	}
}

// equalBalances compares free, used and total of every currency.
func equalBalances(a, b *unified.Balances) bool {
	if len(a.Currencies) != len(b.Currencies) {
		return false
	}
	for code, x := range a.Currencies {
		y, ok := b.Currencies[code]
		if !ok || !sameNull(x.Free, y.Free) || !sameNull(x.Used, y.Used) || !sameNull(x.Total, y.Total) {
			return false
		}
	}
	return true
}

func sameNull(a, b decimal.NullDecimal) bool {
	return a.Valid == b.Valid && (!a.Valid || a.Decimal.Equal(b.Decimal))
}

func expectBalances(t *testing.T, got, want *unified.Balances) {
	t.Helper()
	if !equalBalances(got, want) {
		t.Fatalf("balance %v, want %v", got.Currencies, want.Currencies)
	}
}
