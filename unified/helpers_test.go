package unified

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
)

// num parses a present decimal for a test table.
func num(s string) decimal.NullDecimal {
	return present(decimal.RequireFromString(s))
}

// dec parses a plain decimal for a test table.
func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// null is the absent decimal.
var null decimal.NullDecimal

// text prints d as the JSON encoding writes it, "null" when absent.
func text(d decimal.NullDecimal) string {
	if !d.Valid {
		return "null"
	}
	return string(appendDecimal(nil, d.Decimal))
}

// ms is a UTC time from Unix milliseconds.
func ms(v int64) time.Time { return time.UnixMilli(v).UTC() }

// decimalEqual compares decimals by value in cmp.Diff.
var decimalEqual = cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) })

// boolp returns a pointer to b.
func boolp(b bool) *bool { return &b }

// checkFields compares printed decimal fields with the expected texts.
func checkFields(t *testing.T, got map[string]decimal.NullDecimal, want map[string]string) {
	t.Helper()
	for name, w := range want {
		if g := text(got[name]); g != w {
			t.Errorf("%s = %s, want %s", name, g, w)
		}
	}
}

// TestCurrencyAddNetwork: a currency's own fields summarise its networks.
func TestCurrencyAddNetwork(t *testing.T) {
	yes, no := true, false
	d := func(s string) decimal.NullDecimal { return decimal.NewNullDecimal(decimal.RequireFromString(s)) }
	var c Currency
	c.AddNetwork(Network{Network: "ERC20", Deposit: &no, Withdraw: &no, Precision: d("0.01"),
		Limits: CurrencyLimits{Withdraw: MinMax{Min: d("10"), Max: d("100")}}})
	c.AddNetwork(Network{Network: "TRC20", Deposit: &yes, Withdraw: &no, Precision: d("0.1"),
		Limits: CurrencyLimits{Withdraw: MinMax{Min: d("1"), Max: d("50")}, Deposit: MinMax{Min: d("0.5")}}})
	if len(c.Networks) != 2 || !*c.Deposit || *c.Withdraw || c.Active != nil {
		t.Fatalf("flags: deposit %v withdraw %v active %v, %d networks", *c.Deposit, *c.Withdraw, c.Active, len(c.Networks))
	}
	if c.Precision.Decimal.String() != "0.1" || c.Limits.Withdraw.Min.Decimal.String() != "1" ||
		c.Limits.Withdraw.Max.Decimal.String() != "100" || c.Limits.Deposit.Min.Decimal.String() != "0.5" || c.Fee.Valid {
		t.Fatalf("summary %+v", c)
	}
}
