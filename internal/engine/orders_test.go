package engine

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/unified"
)

func TestOlderOrder(t *testing.T) {
	t0 := time.UnixMilli(1_700_000_000_000).UTC()
	filled := func(s string) decimal.NullDecimal { return decimal.NewNullDecimal(decimal.RequireFromString(s)) }
	open := func(f string, at time.Time) *unified.Order {
		return &unified.Order{Status: unified.StatusOpen, Filled: filled(f), LastUpdateTimestamp: at}
	}
	closed := &unified.Order{Status: unified.StatusClosed, Filled: filled("1"), LastUpdateTimestamp: t0.Add(time.Second)}
	cases := []struct {
		name    string
		o, cur  *unified.Order
		isOlder bool
	}{
		{"an earlier update time", open("0.5", t0), open("0.2", t0.Add(time.Second)), true},
		{"a later update time", open("0", t0.Add(2*time.Second)), closed, false},
		{"open after closed, no times", open("0", time.Time{}), &unified.Order{Status: unified.StatusClosed, Filled: filled("1")}, true},
		{"less filled, same time", open("0.1", t0), open("0.3", t0), true},
		{"more filled, same time", open("0.3", t0), open("0.1", t0), false},
		{"an equal state (an amend may change only the price)", open("0.3", t0), open("0.3", t0), false},
		{"terminal beats open at one time", &unified.Order{Status: unified.StatusCanceled, Filled: filled("0"), LastUpdateTimestamp: t0}, open("0", t0), false},
	}
	for _, c := range cases {
		if got := olderOrder(c.o, c.cur); got != c.isOlder {
			t.Errorf("%s: olderOrder = %v, want %v", c.name, got, c.isOlder)
		}
	}
}
