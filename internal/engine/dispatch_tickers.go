package engine

import (
	"github.com/unifex-go/unifex/internal/watch"
	"github.com/unifex-go/unifex/unified"
)

// BidsAsks publishes the best bid and ask of t.Symbol (a ticker carrying
// only those, with their sizes), which must not be modified afterwards.
func (d *Dispatch) BidsAsks(t *unified.Ticker) {
	if vt := watch.FindValue[unified.Ticker](d.e.hub, watch.Key{Kind: watch.BidsAsks, Symbol: t.Symbol}); vt != nil {
		vt.Set(t)
	}
}

// FundingRate publishes the funding rate, mark and index price of
// f.Symbol, which must not be modified afterwards.
func (d *Dispatch) FundingRate(f *unified.FundingRate) {
	if vt := watch.FindValue[unified.FundingRate](d.e.hub, watch.Key{Kind: watch.FundingRate, Symbol: f.Symbol}); vt != nil {
		vt.Set(f)
	}
}
