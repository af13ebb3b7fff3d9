package okxtest

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Live options. An option instId named in Config.Instruments
// (FAMILY-YYMMDD-STRIKE-C|P, BTC-USD-301227-60000-C) is a market like the
// others: a book the crowd moves, a tape, candles, REST books, ticker(s)
// and trades, and the books, trades and tickers channels of the public
// connection, in the same shapes as every instrument type (OKX's channels
// take any instId). Its price is in the settlement coin, one contract is
// ctVal 1 × ctMult 0.01 of it, as optionJSON lists it; it is not traded.
// Options of optionInstruments not in Config.Instruments stay listed only.
// opt-summary (the greeks) is not served.

// Option is the instrument type of options.
const Option = "OPTION"

// newOptionMarket builds the market of an option instId.
func newOptionMarket(id string, code int64) (*market, error) {
	parts := strings.Split(id, "-")
	if len(parts) != 5 || (parts[4] != "C" && parts[4] != "P") || parts[0] == "" || parts[1] != "USD" {
		return nil, fmt.Errorf("%q is not an option instId BASE-USD-YYMMDD-STRIKE-C|P", id)
	}
	t, err := time.Parse("060102", parts[2])
	if err != nil {
		return nil, fmt.Errorf("%q: %q is not a yymmdd date", id, parts[2])
	}
	if _, ok := units(parts[3], 0, 1); !ok {
		return nil, fmt.Errorf("%q: strike %q is not a whole number", id, parts[3])
	}
	m := &market{instType: Option, id: id, code: code, base: parts[0], quote: parts[1], settle: parts[0],
		family: parts[0] + "-" + parts[1], ctVal: "0.01", ctValCcy: parts[0], expiry: t.Add(8 * time.Hour),
		symbol:   parts[0] + "/" + parts[1] + ":" + parts[0] + "-" + parts[2] + "-" + parts[3] + "-" + parts[4],
		listTime: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), lever: 1}
	m.priceDec, m.szDec = 4, 0
	m.tick, m.lot, m.minSz, m.maxLmtSz = 5, 1, 1, 1_000_000 // tickSz 0.0005, lotSz 1
	m.startPrice, m.typicalLot = 500, 10                    // 0.05 of the coin, ten contracts
	return m, nil
}

// optionInstrumentJSON is a live option's public/instruments entry.
func (m *market) optionInstrumentJSON() map[string]any {
	parts := strings.Split(m.id, "-")
	o := optionJSON(m.family, m.settle, parts[2], parts[3], parts[4], m.price(m.tick))
	o["instIdCode"], o["listTime"] = m.code, ms(m.listTime)
	return o
}

// optionsOf lists the options of the query's instFamily (or uly), or of
// the one instId asked for: optionInstruments, a live option in the place
// of a listed one of the same instId, then the other live ones.
func (s *Server) optionsOf(q url.Values) []any {
	family := q.Get("instFamily")
	if family == "" {
		family = q.Get("uly")
	}
	keep := func(fam, id string) bool { return fam == family && (q.Get("instId") == "" || q.Get("instId") == id) }
	out := []any{}
	for _, o := range optionInstruments {
		id := o["instId"].(string)
		if m := s.byID[id]; m != nil {
			continue // listed below, live
		}
		if keep(o["instFamily"].(string), id) {
			out = append(out, o)
		}
	}
	for _, m := range s.markets {
		if m.instType == Option && keep(m.family, m.id) {
			out = append(out, m.optionInstrumentJSON())
		}
	}
	return out
}
