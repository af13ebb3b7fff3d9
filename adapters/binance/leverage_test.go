package binance

import (
	"encoding/json"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/adapters/binance/binancetest"
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/rest"
	"github.com/unifex-go/unifex/unified"
)

// TestFetchLeverageAgainstFakeBinance: on both futures products
// FetchLeverage reads back what SetLeverage set (USD-M through
// symbolConfig, COIN-M through the account's positions); spot has none.
func TestFetchLeverageAgainstFakeBinance(t *testing.T) {
	for _, product := range []binancetest.Product{binancetest.USDM, binancetest.COINM, binancetest.Spot} {
		t.Run(product.String(), func(t *testing.T) {
			srv := binancetest.Start(binancetest.Config{Product: product, Seed: 7})
			defer srv.Close()
			x, err := New(product.String(), exchange.Config{APIKey: binancetest.TestAPIKey, Secret: binancetest.TestSecret, URLs: srv.URLs(),
				Options: Options{Retry: rest.RetryPolicy{MaxAttempts: 1}}})
			if err != nil {
				t.Fatal(err)
			}
			defer x.Close()
			c := ctx(t)
			symbol := srv.OrderRequest(0).Symbol
			if product == binancetest.Spot {
				if _, err := x.FetchLeverage(c, symbol); !errors.Is(err, errors.NotSupported) {
					t.Fatalf("spot: %v, want NotSupported", err)
				}
				return
			}
			before, err := x.FetchLeverage(c, symbol)
			if err != nil || before.Symbol != symbol || !before.LongLeverage.Valid || !before.ShortLeverage.Decimal.Equal(before.LongLeverage.Decimal) {
				t.Fatalf("the default leverage: %+v %v", before, err)
			}
			if err := x.SetLeverage(c, decimal.NewFromInt(13), symbol); err != nil {
				t.Fatal(err)
			}
			l, err := x.FetchLeverage(c, symbol)
			if err != nil || l.MarginMode != unified.MarginModeCross || !l.LongLeverage.Decimal.Equal(decimal.NewFromInt(13)) ||
				!l.ShortLeverage.Decimal.Equal(decimal.NewFromInt(13)) {
				t.Fatalf("after SetLeverage 13: %+v %v", l, err)
			}
			if _, err := x.FetchLeverage(c, "NOPE/USDT:USDT"); !errors.Is(err, errors.BadSymbol) {
				t.Fatalf("an unknown symbol: %v, want BadSymbol", err)
			}
		})
	}
}

// TestParseLeverage: the docs' symbolConfig example, COIN-M account
// positions in hedge mode, and the rows that are BadResponse.
func TestParseLeverage(t *testing.T) {
	rows := func(s string) []restLeverage {
		var out []restLeverage
		if err := json.Unmarshal([]byte(s), &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	usdm := &unified.Market{ID: "BTCUSDT", Symbol: "BTC/USDT:USDT"}
	l, err := parseLeverage(usdm, rows(golden(t, "binanceusdm", "rest_symbolConfig")), true)
	if err != nil || l.MarginMode != unified.MarginModeCross || !l.LongLeverage.Decimal.Equal(decimal.RequireFromString("21")) ||
		!l.ShortLeverage.Decimal.Equal(decimal.RequireFromString("21")) || l.Info == nil {
		t.Fatalf("the docs' symbolConfig: %+v %v", l, err)
	}
	l, err = parseLeverage(usdm, rows(`[{"symbol":"BTCUSDT","marginType":"ISOLATED","leverage":5}]`), false)
	if err != nil || l.MarginMode != unified.MarginModeIsolated || l.Info != nil {
		t.Fatalf("isolated: %+v %v", l, err)
	}
	coinm := &unified.Market{ID: "BTCUSD_PERP", Symbol: "BTC/USD:BTC"}
	l, err = parseLeverage(coinm, rows(`[{"symbol":"BTCUSD_201225","leverage":"125","isolated":false,"positionSide":"BOTH"},
		{"symbol":"BTCUSD_PERP","leverage":"20","isolated":true,"positionSide":"LONG"},
		{"symbol":"BTCUSD_PERP","leverage":"7","isolated":true,"positionSide":"SHORT"}]`), false)
	if err != nil || l.MarginMode != unified.MarginModeIsolated || !l.LongLeverage.Decimal.Equal(decimal.RequireFromString("20")) || !l.ShortLeverage.Decimal.Equal(decimal.RequireFromString("7")) {
		t.Fatalf("hedge mode, isolated: %+v %v", l, err)
	}
	for name, s := range map[string]string{
		"no rows":        `[]`,
		"another symbol": `[{"symbol":"ETHUSDT","marginType":"CROSSED","leverage":5}]`,
		"leverage zero":  `[{"symbol":"BTCUSDT","marginType":"CROSSED","leverage":0}]`,
		"a margin type":  `[{"symbol":"BTCUSDT","marginType":"PORTFOLIO","leverage":5}]`,
		"a side":         `[{"symbol":"BTCUSDT","positionSide":"HEDGE","leverage":5}]`,
	} {
		if _, err := parseLeverage(usdm, rows(s), false); !errors.Is(err, errors.BadResponse) {
			t.Errorf("%s: %v, want BadResponse", name, err)
		}
	}
}
