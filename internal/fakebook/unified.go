package fakebook

import (
	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/unified"
)

// Unified returns the state's sides as unified levels, best first, for a
// fake's BookAt: price and qty convert the venue's integer units to
// decimals.
func (s State) Unified(price, qty func(int64) decimal.Decimal) (bids, asks []unified.Level) {
	return levels(s.Bids, price, qty), levels(s.Asks, price, qty)
}

func levels(ls []Level, price, qty func(int64) decimal.Decimal) []unified.Level {
	out := make([]unified.Level, len(ls))
	for i, l := range ls {
		out[i] = unified.Level{Price: price(l.Price), Amount: qty(l.Qty)}
	}
	return out
}
