package binancetest

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// perpetualDelivery is the deliveryDate Binance gives perpetual contracts
// (2100-12-25 08:00 UTC), which ccxt recognises as "no delivery".
const perpetualDelivery int64 = 4133404800000

// market is one instrument: its trading rules, and its live state (book,
// trades, candles).
type market struct {
	symbol       string // unified: BTC/USDT, BTC/USDT:USDT, BTC/USD:BTC-260925
	id           string // native: BTCUSDT, BTCUSDT_260925, BTCUSD_PERP
	stream       string // lower-case id, as stream names spell it
	base, quote  string
	settle       string // margin asset of a future; "" for spot
	pair         string // futures: the underlying pair (BTCUSDT, BTCUSD)
	contractType string // "" (spot), PERPETUAL, CURRENT_QUARTER
	delivery     time.Time
	contractSize int64 // COIN-M: USD per contract; 0 elsewhere

	priceDec, qtyDec int   // decimals prices and quantities are written with
	tick, step       int64 // price tick and quantity step, in wire units
	maxPrice         int64 // PRICE_FILTER maxPrice
	minQty, maxQty   int64
	marketMaxQty     int64
	minNotional      decimal.Decimal // quote value; zero when the filter is absent
	lot              int64           // a typical resting size, in wire units
	startPrice       int64

	book   *book
	trades *tape
}

// profile holds the rules of one base asset on each product.
type profile struct {
	price        string // start price
	spotTick     string
	spotStep     string
	spotLot      string
	usdmTick     string
	usdmPriceDec int
	usdmStep     string
	usdmNotional string
	coinmTick    string
	contractSize int64
}

// profiles are the assets the fake knows by name; any other base uses
// fallback.
var profiles = map[string]profile{
	"BTC": {price: "60000", spotTick: "0.01", spotStep: "0.00001", spotLot: "0.001",
		usdmTick: "0.10", usdmPriceDec: 2, usdmStep: "0.001", usdmNotional: "100", coinmTick: "0.1", contractSize: 100},
	"ETH": {price: "3000", spotTick: "0.01", spotStep: "0.0001", spotLot: "0.01",
		usdmTick: "0.01", usdmPriceDec: 2, usdmStep: "0.001", usdmNotional: "20", coinmTick: "0.01", contractSize: 10},
}

var fallback = profile{price: "100", spotTick: "0.01", spotStep: "0.001", spotLot: "0.1",
	usdmTick: "0.01", usdmPriceDec: 2, usdmStep: "0.01", usdmNotional: "5", coinmTick: "0.001", contractSize: 10}

// DefaultSymbols are the markets a server of product p lists when
// Config.Symbols is empty: two perpetuals (or spot pairs) and, on futures,
// a quarterly contract delivering on the last Friday of the next quarter
// month at least a week away (so the list depends on today's date).
func DefaultSymbols(p Product) []string {
	switch p {
	case USDM:
		return []string{"BTC/USDT:USDT", "ETH/USDT:USDT", "BTC/USDT:USDT-" + quarterly(time.Now()).Format("060102")}
	case COINM:
		return []string{"BTC/USD:BTC", "ETH/USD:ETH", "BTC/USD:BTC-" + quarterly(time.Now()).Format("060102")}
	}
	return []string{"BTC/USDT", "ETH/USDT"}
}

// quarterly returns the next quarterly delivery at least a week after now:
// the last Friday of March, June, September or December, 08:00 UTC.
func quarterly(now time.Time) time.Time {
	now = now.UTC()
	for m := now.Month(); ; m++ {
		if (int(m)-1)%12%3 != 2 { // not Mar, Jun, Sep, Dec
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

// newMarket builds the market of a unified symbol on product p.
func newMarket(p Product, symbol string) (*market, error) {
	base, rest, ok := strings.Cut(symbol, "/")
	if !ok || base == "" {
		return nil, fmt.Errorf("%q is not a unified symbol", symbol)
	}
	quote, contract, isContract := strings.Cut(rest, ":")
	settle, date, dated := strings.Cut(contract, "-")
	m := &market{symbol: symbol, base: base, quote: quote}
	pr, known := profiles[base]
	if !known {
		pr = fallback
	}
	switch p {
	case Spot:
		if isContract {
			return nil, fmt.Errorf("%q: spot symbols have no settle currency", symbol)
		}
		m.id = base + quote
		m.priceDec, m.qtyDec = 8, 8
		m.tick, m.step, m.lot = mustUnits(pr.spotTick, 8), mustUnits(pr.spotStep, 8), mustUnits(pr.spotLot, 8)
		m.minQty, m.maxQty, m.marketMaxQty = m.step, mustUnits("9000", 8), mustUnits("100", 8)
		m.minNotional = decimal.RequireFromString("5")
	case USDM:
		if settle != quote || (quote != "USDT" && quote != "USDC") {
			return nil, fmt.Errorf("%q: USD-M contracts settle in their quote (USDT or USDC)", symbol)
		}
		m.settle, m.pair, m.id = settle, base+quote, base+quote
		m.priceDec, m.qtyDec = pr.usdmPriceDec, decimalsOf(pr.usdmStep)
		m.tick, m.step = mustUnits(pr.usdmTick, m.priceDec), mustUnits(pr.usdmStep, m.qtyDec)
		m.lot, m.minQty = m.step*10, m.step
		m.maxQty, m.marketMaxQty = 1000*pow10[m.qtyDec], 120*pow10[m.qtyDec]
		m.minNotional = decimal.RequireFromString(pr.usdmNotional)
	case COINM:
		if quote != "USD" || settle != base {
			return nil, fmt.Errorf("%q: COIN-M contracts are quoted in USD and settle in their base", symbol)
		}
		m.settle, m.pair = settle, base+"USD"
		m.id = m.pair + "_PERP"
		m.priceDec, m.qtyDec = decimalsOf(pr.coinmTick), 0
		m.tick, m.step = mustUnits(pr.coinmTick, m.priceDec), 1
		m.lot, m.minQty, m.maxQty, m.marketMaxQty = 5, 1, 1_000_000, 10_000
		m.contractSize = pr.contractSize
	default:
		return nil, fmt.Errorf("unknown product %d", p)
	}
	if p != Spot {
		if !isContract {
			return nil, fmt.Errorf("%q: futures symbols name their settle currency (BASE/QUOTE:SETTLE)", symbol)
		}
		m.contractType = "PERPETUAL"
		if dated {
			d, err := time.Parse("060102", date)
			if err != nil {
				return nil, fmt.Errorf("%q: delivery date %q is not YYMMDD", symbol, date)
			}
			m.delivery = d.Add(8 * time.Hour)
			m.contractType = "CURRENT_QUARTER"
			m.id = m.pair + "_" + date
		}
	}
	m.stream = strings.ToLower(m.id)
	m.startPrice = mustUnits(pr.price, m.priceDec)
	m.maxPrice = 1_000_000 * pow10[m.priceDec]
	if p != Spot {
		m.maxPrice *= 4
	}
	return m, nil
}

// mustUnits parses a constant of this file.
func mustUnits(s string, dec int) int64 {
	v, err := parseUnits(s, dec)
	if err != nil {
		panic("binancetest: bad constant " + s)
	}
	return v
}

// price and qty turn wire units into decimals.
func (m *market) price(v int64) decimal.Decimal { return units(v, m.priceDec) }
func (m *market) qty(v int64) decimal.Decimal   { return units(v, m.qtyDec) }

// fmtPrice and fmtQty write wire units.
func (m *market) fmtPrice(v int64) string { return fixed(v, m.priceDec) }
func (m *market) fmtQty(v int64) string   { return fixed(v, m.qtyDec) }

// notional is what qty at price is worth: quote currency on spot and
// USD-M, base coin on COIN-M (contracts × contract size / price).
func (m *market) notional(price, qty int64) decimal.Decimal {
	if m.contractSize > 0 {
		if price == 0 {
			return decimal.Zero
		}
		return decimal.NewFromInt(qty*m.contractSize).DivRound(m.price(price), 8)
	}
	return m.price(price).Mul(m.qty(qty))
}

// marginAsset is the asset a future's margin and fees are in.
func (m *market) marginAsset() string { return m.settle }

// deliveryMillis is the deliveryDate exchangeInfo reports.
func (m *market) deliveryMillis() int64 {
	if m.delivery.IsZero() {
		return perpetualDelivery
	}
	return m.delivery.UnixMilli()
}
