package fakebook

import (
	"testing"

	"github.com/shopspring/decimal"
)

func TestStateUnified(t *testing.T) {
	st := State{ID: 9, Bids: []Level{{Price: 6000012, Qty: 25, Count: 2}}, Asks: []Level{{Price: 6000013, Qty: 3}, {Price: 6000020, Qty: 100}}}
	price := func(u int64) decimal.Decimal { return decimal.New(u, -2) }
	qty := func(u int64) decimal.Decimal { return decimal.New(u, -3) }
	bids, asks := st.Unified(price, qty)
	if len(bids) != 1 || bids[0].Price.String() != "60000.12" || bids[0].Amount.String() != "0.025" {
		t.Fatalf("bids %v", bids)
	}
	if len(asks) != 2 || asks[0].Price.String() != "60000.13" || asks[1].Amount.String() != "0.1" {
		t.Fatalf("asks %v", asks)
	}
}
