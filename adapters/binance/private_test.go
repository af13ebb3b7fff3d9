package binance

import (
	"testing"

	"github.com/shopspring/decimal"
)

func mustDecimal(t *testing.T, s string) decimal.Decimal {
	t.Helper()
	d, err := decimal.NewFromString(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func nullDecimal(d decimal.Decimal) decimal.NullDecimal { return decimal.NewNullDecimal(d) }
