package bybittest

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Category is a Bybit V5 product line, the category parameter of every
// market and trading request.
type Category string

// The categories the fake serves (Option: options_stream.go).
const (
	// Spot is the spot market: /v5/public/spot.
	Spot Category = "spot"
	// Linear is USDT and USDC perpetuals and futures: /v5/public/linear.
	Linear Category = "linear"
	// Inverse is coin-margined perpetuals and futures: /v5/public/inverse.
	Inverse Category = "inverse"
)

// DefaultSymbols are the markets a server lists when Config.Symbols is
// nil: two spot pairs, two USDT perpetuals and an inverse perpetual. Spot
// BTCUSDT and linear BTCUSDT share their native id, as on Bybit.
var DefaultSymbols = []string{"BTC/USDT", "ETH/USDT", "BTC/USDT:USDT", "ETH/USDT:USDT", "BTC/USD:BTC"}

// market is one instrument: its trading rules and live state.
type market struct {
	symbol      string // unified: BTC/USDT, BTC/USDT:USDT, BTC/USD:BTC
	id          string // native: BTCUSDT, BTCUSD
	cat         Category
	base, quote string
	settle      string    // margin coin of a contract; "" on spot
	expiry      time.Time // an option's delivery (options_stream.go)

	priceDec, qtyDec int   // decimals prices and quantities are written with
	tick, step       int64 // price tick and quantity step, in wire units
	minQty, maxQty   int64
	minNotional      decimal.Decimal // quote (spot: minOrderAmt; linear: minNotionalValue)
	lot              int64           // a typical resting size
	startPrice       int64

	book   *book
	trades *tape
	ticker map[string]string // the fields the last ticker message showed (derivatives' deltas)
	views  map[int]bookState // per orderbook depth: the view its subscribers were last sent
	gap    bool              // the next book messages are lost
}

// profile holds the rules of one base coin per category.
type profile struct {
	price                       string
	spotTick, spotStep, spotLot string
	linTick, linStep, linNotion string
	invTick                     string
}

var profiles = map[string]profile{
	"BTC": {price: "60000", spotTick: "0.01", spotStep: "0.000001", spotLot: "0.001",
		linTick: "0.10", linStep: "0.001", linNotion: "5", invTick: "0.50"},
	"ETH": {price: "3000", spotTick: "0.01", spotStep: "0.00001", spotLot: "0.01",
		linTick: "0.01", linStep: "0.01", linNotion: "5", invTick: "0.05"},
}

var fallback = profile{price: "100", spotTick: "0.01", spotStep: "0.001", spotLot: "0.1",
	linTick: "0.01", linStep: "0.1", linNotion: "5", invTick: "0.01"}

// newMarket builds the market of a unified symbol; the category follows
// from the symbol's shape (BASE/QUOTE spot, BASE/QUOTE:QUOTE linear,
// BASE/USD:BASE inverse).
func newMarket(symbol string) (*market, error) {
	base, rest, ok := strings.Cut(symbol, "/")
	if !ok || base == "" {
		return nil, fmt.Errorf("%q is not a unified symbol", symbol)
	}
	quote, settle, isContract := strings.Cut(rest, ":")
	if quote != "" && strings.Count(settle, "-") == 3 {
		return newOptionMarket(symbol, base, quote, settle)
	}
	if quote == "" || strings.Contains(settle, "-") {
		return nil, fmt.Errorf("%q: only spot pairs and perpetuals are simulated", symbol)
	}
	pr, known := profiles[base]
	if !known {
		pr = fallback
	}
	m := &market{symbol: symbol, base: base, quote: quote, settle: settle, id: base + quote, ticker: map[string]string{}}
	switch {
	case !isContract:
		m.cat = Spot
		m.tick, m.priceDec = mustUnits(pr.spotTick)
		m.step, m.qtyDec = mustUnits(pr.spotStep)
		m.lot, _ = parseUnits(pr.spotLot, m.qtyDec)
		m.minNotional = decimal.NewFromInt(1)
		m.minQty = m.step
		m.maxQty = 10_000 * pow10[m.qtyDec]
	case settle == quote && (quote == "USDT" || quote == "USDC"):
		m.cat = Linear
		m.tick, m.priceDec = mustUnits(pr.linTick)
		m.step, m.qtyDec = mustUnits(pr.linStep)
		m.lot = m.step * 10
		m.minNotional = decimal.RequireFromString(pr.linNotion)
		m.minQty = m.step
		m.maxQty = 1000 * pow10[m.qtyDec]
	case quote == "USD" && settle == base:
		m.cat = Inverse
		m.tick, m.priceDec = mustUnits(pr.invTick)
		m.step, m.qtyDec = 1, 0 // contracts of 1 USD
		m.lot, m.minQty, m.maxQty = 100, 1, 10_000_000
	default:
		return nil, fmt.Errorf("%q: a contract settles in its quote (USDT, USDC) or, quoted in USD, in its base", symbol)
	}
	m.startPrice, _ = parseUnits(pr.price, m.priceDec)
	return m, nil
}

var pow10 = [...]int64{1, 10, 100, 1000, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12}

// parseUnits reads a decimal string as an integer count of 10^-dec.
func parseUnits(s string, dec int) (int64, error) {
	d, err := decimal.NewFromString(s)
	if err != nil {
		return 0, err
	}
	scaled := d.Shift(int32(dec))
	if !scaled.Equal(scaled.Truncate(0)) {
		return 0, fmt.Errorf("%s has more than %d decimals", s, dec)
	}
	if scaled.Abs().GreaterThan(decimal.NewFromInt(1 << 60)) {
		return 0, fmt.Errorf("%s is out of range", s)
	}
	return scaled.IntPart(), nil
}

// mustUnits parses a constant of this package: its value in units of its
// own last decimal, and that number of decimals.
func mustUnits(s string) (int64, int) {
	dec := 0
	if _, frac, ok := strings.Cut(s, "."); ok {
		dec = len(frac)
	}
	v, err := parseUnits(s, dec)
	if err != nil {
		panic("bybittest: bad constant " + s)
	}
	return v, dec
}

// units turns wire units into a decimal.
func units(v int64, dec int) decimal.Decimal { return decimal.New(v, -int32(dec)) }

// fixed writes wire units with exactly dec decimals.
func fixed(v int64, dec int) string { return units(v, dec).StringFixed(int32(dec)) }

func (m *market) price(v int64) decimal.Decimal { return units(v, m.priceDec) }
func (m *market) qty(v int64) decimal.Decimal   { return units(v, m.qtyDec) }
func (m *market) fmtPrice(v int64) string       { return fixed(v, m.priceDec) }
func (m *market) fmtQty(v int64) string         { return fixed(v, m.qtyDec) }

// value is what qty at price is worth: quote on spot and linear, the base
// coin on inverse (USD contracts / price).
func (m *market) value(price, qty int64) decimal.Decimal {
	if m.cat == Inverse {
		if price == 0 {
			return decimal.Zero
		}
		return m.qty(qty).DivRound(m.price(price), 8)
	}
	return m.price(price).Mul(m.qty(qty))
}

// itoa writes an int64.
func itoa(v int64) string { return strconv.FormatInt(v, 10) }
