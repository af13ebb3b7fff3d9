package okxtest

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Instrument types, as instType spells them.
const (
	Spot    = "SPOT"
	Swap    = "SWAP"
	Futures = "FUTURES"
)

// market is one instrument: its rules on exact tick and lot grids, and its
// live state. Prices and sizes are int64 counts of 10^-priceDec and
// 10^-szDec; the wire strings are their shortest decimal forms, as OKX
// writes them ("8477", not "8477.00").
type market struct {
	instType    string
	id          string // instId: BTC-USDT, BTC-USDT-SWAP, BTC-USDT-260925
	code        int64  // instIdCode
	symbol      string // unified: BTC/USDT, BTC/USDT:USDT, BTC/USDT:USDT-260925
	base, quote string
	settle      string // margin currency of a contract; "" for spot
	family      string // instFamily of a contract: BTC-USDT
	inverse     bool
	ctVal       string // contract value in ctValCcy; "" for spot
	ctValCcy    string
	expiry      time.Time // FUTURES only
	priceDec    int32
	szDec       int32
	tick, lot   int64 // tickSz and lotSz in units
	minSz       int64
	maxLmtSz    int64
	lever       int64 // maximum leverage
	startPrice  int64
	typicalLot  int64 // a typical resting size in units
	fundingRate string
	listTime    time.Time

	book    *book
	trades  *tape
	candles *candles
}

// price and size write units as OKX's strings.
func (m *market) price(u int64) string { return decimal.New(u, -m.priceDec).String() }
func (m *market) size(u int64) string  { return decimal.New(u, -m.szDec).String() }

// priceDec and sizeDec are the decimal values of units.
func (m *market) priceD(u int64) decimal.Decimal { return decimal.New(u, -m.priceDec) }
func (m *market) sizeD(u int64) decimal.Decimal  { return decimal.New(u, -m.szDec) }

// contract reports whether sizes are in contracts.
func (m *market) contract() bool { return m.instType != Spot }

// parsePrice reads a price on the tick grid; ok is false off the grid or
// when not a positive number.
func (m *market) parsePrice(s string) (int64, bool) { return units(s, m.priceDec, m.tick) }

// parseSize reads a size on the lot grid.
func (m *market) parseSize(s string) (int64, bool) { return units(s, m.szDec, m.lot) }

func units(s string, dec int32, step int64) (int64, bool) {
	d, err := decimal.NewFromString(s)
	if err != nil || !d.IsPositive() {
		return 0, false
	}
	scaled := d.Shift(dec)
	if !scaled.IsInteger() || scaled.GreaterThan(decimal.New(4, 18)) {
		return 0, false
	}
	u := scaled.IntPart()
	return u, u%step == 0
}

// notional is the quote value (linear) of size units at price units, in
// the margin or quote currency; inverse contracts are valued in the base
// currency.
func (m *market) notional(px, sz int64) decimal.Decimal {
	p, q := m.priceD(px), m.sizeD(sz)
	switch {
	case !m.contract():
		return p.Mul(q)
	case m.inverse:
		return q.Mul(decimal.RequireFromString(m.ctVal)).Div(p)
	default:
		return q.Mul(decimal.RequireFromString(m.ctVal)).Mul(p)
	}
}

// marginCcy is the currency that pays for an order of the side.
func (m *market) marginCcy(buy bool) string {
	switch {
	case m.contract():
		return m.settle
	case buy:
		return m.quote
	}
	return m.base
}

// spec is an instrument's rules in text.
type spec struct {
	tick, lot, minSz, maxLmtSz, start, typical string
	lever                                      int64
	ctVal                                      string
}

// DefaultInstruments are the instruments a server lists when
// Config.Instruments is nil: two spot pairs, two linear perpetuals, an
// inverse perpetual and a linear quarterly future delivering on the last
// Friday of the next quarter month at least a week away (so the list
// depends on today's date).
func DefaultInstruments() []string {
	date := quarterly(time.Now()).Format("060102")
	return []string{"BTC-USDT", "ETH-USDT", "BTC-USDT-SWAP", "ETH-USDT-SWAP", "BTC-USD-SWAP", "BTC-USDT-" + date}
}

// quarterly returns the next quarterly delivery at least a week after now:
// the last Friday of March, June, September or December, 08:00 UTC.
func quarterly(now time.Time) time.Time {
	now = now.UTC()
	for m := now.Month(); ; m++ {
		if (int(m)-1)%12%3 != 2 {
			continue
		}
		last := time.Date(now.Year(), m+1, 1, 8, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
		for last.Weekday() != time.Friday {
			last = last.AddDate(0, 0, -1)
		}
		if last.After(now.AddDate(0, 0, 7)) {
			return last
		}
	}
}

// specs are the rules the fake gives each base and kind; any other base
// uses the "" entry.
var specs = map[string]spec{
	"BTC/" + Spot: {tick: "0.1", lot: "0.00000001", minSz: "0.00001", maxLmtSz: "9999999999", start: "60000", typical: "0.01"},
	"ETH/" + Spot: {tick: "0.01", lot: "0.000001", minSz: "0.0001", maxLmtSz: "9999999999", start: "3000", typical: "0.1"},
	"/" + Spot:    {tick: "0.001", lot: "0.0001", minSz: "0.01", maxLmtSz: "9999999999", start: "100", typical: "1"},
	"BTC/linear":  {tick: "0.1", lot: "0.01", minSz: "0.01", maxLmtSz: "100000000", start: "60000", typical: "1", lever: 100, ctVal: "0.01"},
	"ETH/linear":  {tick: "0.01", lot: "0.01", minSz: "0.01", maxLmtSz: "100000000", start: "3000", typical: "1", lever: 100, ctVal: "0.1"},
	"/linear":     {tick: "0.001", lot: "1", minSz: "1", maxLmtSz: "100000000", start: "100", typical: "10", lever: 50, ctVal: "1"},
	"BTC/inverse": {tick: "0.1", lot: "1", minSz: "1", maxLmtSz: "1000000", start: "60000", typical: "10", lever: 100, ctVal: "100"},
	"/inverse":    {tick: "0.001", lot: "1", minSz: "1", maxLmtSz: "1000000", start: "100", typical: "10", lever: 50, ctVal: "10"},
}

// newMarket builds the market of an instId.
func newMarket(id string, code int64) (*market, error) {
	parts := strings.Split(id, "-")
	if len(parts) == 5 {
		return newOptionMarket(id, code)
	}
	if len(parts) < 2 || len(parts) > 3 || parts[0] == "" || parts[1] == "" {
		return nil, fmt.Errorf("%q is not a SPOT, SWAP or FUTURES instId", id)
	}
	m := &market{id: id, code: code, base: parts[0], quote: parts[1], listTime: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}
	kind := Spot
	if len(parts) == 3 {
		m.family, m.inverse = parts[0]+"-"+parts[1], parts[1] == "USD"
		m.settle, kind = parts[1], "linear"
		if m.inverse {
			m.settle, kind = parts[0], "inverse"
		}
		if parts[2] == "SWAP" {
			m.instType = Swap
			m.symbol = m.base + "/" + m.quote + ":" + m.settle
			m.fundingRate = "0.0001"
		} else {
			t, err := time.Parse("060102", parts[2])
			if err != nil {
				return nil, fmt.Errorf("%q: %q is neither SWAP nor a yymmdd date", id, parts[2])
			}
			m.instType, m.expiry = Futures, t.Add(8*time.Hour)
			m.symbol = m.base + "/" + m.quote + ":" + m.settle + "-" + parts[2]
		}
	} else {
		m.instType, m.symbol = Spot, m.base+"/"+m.quote
	}
	sp, ok := specs[m.base+"/"+kind]
	if !ok {
		sp = specs["/"+kind]
	}
	m.priceDec, m.szDec = decimals(sp.tick), decimals(sp.lot)
	m.tick, _ = units(sp.tick, m.priceDec, 1)
	m.lot, _ = units(sp.lot, m.szDec, 1)
	m.minSz, _ = units(sp.minSz, m.szDec, 1)
	m.maxLmtSz, _ = units(sp.maxLmtSz, m.szDec, 1)
	m.startPrice, _ = units(sp.start, m.priceDec, 1)
	m.typicalLot, _ = units(sp.typical, m.szDec, 1)
	m.lever, m.ctVal = sp.lever, sp.ctVal
	if m.lever == 0 {
		m.lever = 10 // spot margin
	}
	if m.contract() {
		m.ctValCcy = m.base
		if m.inverse {
			m.ctValCcy = m.quote
		}
	}
	return m, nil
}

// decimals counts the decimals of a step such as "0.001".
func decimals(step string) int32 {
	if _, frac, ok := strings.Cut(step, "."); ok {
		return int32(len(frac))
	}
	return 0
}

// SetInstIDCode gives instrument instID a new instIdCode, as OKX may when
// it regenerates them: public/instruments lists the new one and order
// entry takes only it from then on. Unknown ids and codes already taken
// are ignored.
func (s *Server) SetInstIDCode(instID string, code int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.byID[instID]
	if m == nil || s.byCode[code] != nil {
		return
	}
	delete(s.byCode, m.code)
	m.code = code
	s.byCode[code] = m
}
