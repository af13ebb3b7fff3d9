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
