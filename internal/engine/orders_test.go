package engine

import (
	"context"
	"slices"
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

// TestReconcileOrders: the closed orders are asked for on every symbol the
// account has had orders on (noted by a placement or seen published),
// since the margin before the newest change seen, and both lists are
// published.
func TestReconcileOrders(t *testing.T) {
	e, err := New(toySpec(t, newToyVenue(t), 0))
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	d := &Dispatch{e: e}
	open := func(context.Context) ([]unified.Order, error) {
		return []unified.Order{{ID: "o1", Symbol: "ETH/USDT", Status: unified.StatusOpen}}, nil
	}
	var asked []string
	var sinces []time.Time
	closed := func(_ context.Context, symbol string, since time.Time) ([]unified.Order, error) {
		asked, sinces = append(asked, symbol), append(sinces, since)
		return nil, nil
	}
	if err := d.ReconcileOrders(context.Background(), time.Second, open, closed); err != nil || len(asked) != 0 {
		t.Fatalf("nothing traded yet: asked %v, %v", asked, err)
	}
	e.NoteOrderSymbol("BTC/USDT")
	changed := time.UnixMilli(1_700_000_000_000)
	d.Orders(unified.Order{ID: "o2", Symbol: "BTC/USDT", Status: unified.StatusOpen, LastUpdateTimestamp: changed})
	asked = nil
	if err := d.ReconcileOrders(context.Background(), time.Second, open, closed); err != nil {
		t.Fatal(err)
	}
	// ETH/USDT was published by the first reconciliation (o1).
	if !slices.Equal(asked, []string{"BTC/USDT", "ETH/USDT"}) || !sinces[len(sinces)-1].Equal(changed.Add(-time.Second)) {
		t.Fatalf("asked %v since %v", asked, sinces)
	}
}
