package okx

import (
	"context"
	"slices"

	"github.com/unifex-go/unifex/internal/rest"
	"github.com/unifex-go/unifex/markets"
	"github.com/unifex-go/unifex/unified"
)

// Options are listed per instrument family: public/instruments and
// market/tickers refuse instType OPTION without instFamily (or uly).

var epUnderlying = rest.Endpoint{API: "v5", Path: "/public/underlying"}

// fetchInstruments lists the instruments of type t; options family by
// family (Options.OptionFamilies, or every family public/underlying names).
func (x *Exchange) fetchInstruments(ctx context.Context, t string) ([]instrument, error) {
	if t != TypeOption {
		return get[instrument](ctx, x, epInstruments, params("instType", t))
	}
	families := x.opts.OptionFamilies
	if len(families) == 0 {
		lists, err := get[[]string](ctx, x, epUnderlying, params("instType", TypeOption))
		if err != nil {
			return nil, err
		}
		for _, l := range lists {
			families = append(families, l...)
		}
	}
	var out []instrument
	for _, f := range families {
		list, err := get[instrument](ctx, x, epInstruments, params("instType", TypeOption, "instFamily", f))
		if err != nil {
			return nil, err
		}
		out = append(out, list...)
	}
	return out, nil
}

// tickerQueries are the market/tickers queries of instrument type typ:
// one, or for options one per family among the loaded option markets
// (those in want when want is not empty).
func tickerQueries(snap *markets.Snapshot, typ string, want map[string]bool) []rest.Params {
	if typ != TypeOption {
		return []rest.Params{params("instType", typ)}
	}
	var families []string
	for _, m := range snap.Markets() {
		if f := familyOf(m); m.Option && (len(want) == 0 || want[m.Symbol]) && !slices.Contains(families, f) {
			families = append(families, f)
		}
	}
	out := make([]rest.Params, 0, len(families))
	for _, f := range families {
		out = append(out, params("instType", typ, "instFamily", f))
	}
	return out
}

// familyOf is the instFamily of a contract market: BASE-QUOTE in OKX's ids.
func familyOf(m *unified.Market) string { return m.BaseID + "-" + m.QuoteID }
