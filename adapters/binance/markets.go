package binance

import (
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/markets"
	"github.com/unifex-go/unifex/unified"
)

// exchangeInfo is the part of GET exchangeInfo the adapter reads; spot and
// futures share most of it.
type exchangeInfo struct {
	Symbols []symbolInfo `json:"symbols"`
}

type symbolInfo struct {
	Symbol         string   `json:"symbol"`
	Pair           string   `json:"pair"`
	Status         string   `json:"status"`         // spot, USD-M
	ContractStatus string   `json:"contractStatus"` // COIN-M
	ContractType   string   `json:"contractType"`   // futures: PERPETUAL, CURRENT_QUARTER...
	DeliveryDate   flexInt  `json:"deliveryDate"`
	OnboardDate    flexInt  `json:"onboardDate"`
	BaseAsset      string   `json:"baseAsset"`
	QuoteAsset     string   `json:"quoteAsset"`
	MarginAsset    string   `json:"marginAsset"`
	ContractSize   *flexInt `json:"contractSize"` // COIN-M: quote value of one contract
	Filters        []filter `json:"filters"`
}

// flexInt is an integer written as a JSON number (as Binance sends it) or
// as a string (as some recorders store it).
type flexInt int64

// UnmarshalJSON reads 123 or "123".
func (n *flexInt) UnmarshalJSON(b []byte) error {
	if len(b) > 1 && b[0] == '"' {
		b = b[1 : len(b)-1]
	}
	v, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return errors.Wrap(errors.BadResponse, err, "an integer field that is not an integer")
	}
	*n = flexInt(v)
	return nil
}

// filter is one of a symbol's trading rules; numbers are decimal strings.
type filter struct {
	FilterType  string `json:"filterType"`
	MinPrice    string `json:"minPrice"`
	MaxPrice    string `json:"maxPrice"`
	TickSize    string `json:"tickSize"`
	MinQty      string `json:"minQty"`
	MaxQty      string `json:"maxQty"`
	StepSize    string `json:"stepSize"`
	MinNotional string `json:"minNotional"` // spot NOTIONAL and MIN_NOTIONAL
	MaxNotional string `json:"maxNotional"`
	Notional    string `json:"notional"` // USD-M MIN_NOTIONAL
}

// perpetualDelivery is the far-future delivery date Binance gives
// perpetuals (2100-12-25).
const perpetualDelivery = 4133404800000

// parseMarkets turns exchangeInfo into unified markets of product p.
// Symbols that are not trading are listed inactive; contract types the
// adapter does not know are skipped.
func parseMarkets(p *product, info *exchangeInfo) ([]unified.Market, error) {
	out := make([]unified.Market, 0, len(info.Symbols))
	for i := range info.Symbols {
		m, ok, err := parseMarket(p, &info.Symbols[i])
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, m)
		}
	}
	return out, nil
}

func parseMarket(p *product, s *symbolInfo) (unified.Market, bool, error) {
	if s.Symbol == "" || s.BaseAsset == "" || s.QuoteAsset == "" {
		return unified.Market{}, false, errors.Newf(errors.BadResponse, "exchangeInfo lists a symbol without its id or assets")
	}
	base, quote := commonCode(s.BaseAsset), commonCode(s.QuoteAsset)
	m := unified.Market{ID: s.Symbol, BaseID: s.BaseAsset, QuoteID: s.QuoteAsset, Base: base, Quote: quote,
		PrecisionMode: unified.TickSize}
	status := s.Status
	if p.kind == coinm {
		status = s.ContractStatus
	}
	active := status == "TRADING"
	m.Active = &active
	if !s.onboard().IsZero() {
		m.Created = s.onboard()
	}
	sym := markets.Symbol{Base: base, Quote: quote}
	if p.kind == spot {
		m.Type, m.Spot = unified.Spot, true
	} else {
		settle := commonCode(s.MarginAsset)
		m.Settle, m.SettleID, sym.Settle = settle, s.MarginAsset, settle
		m.Contract = true
		m.Linear, m.Inverse = settle == quote, settle == base
		size := decimal.NewFromInt(1)
		if s.ContractSize != nil {
			size = decimal.NewFromInt(int64(*s.ContractSize))
		}
		m.ContractSize = decimal.NewNullDecimal(size)
		m.MarginModes = unified.MarginModes{Cross: true, Isolated: true}
		switch {
		case s.ContractType == "PERPETUAL" || s.DeliveryDate == perpetualDelivery:
			m.Type, m.Swap = unified.Swap, true
		case s.DeliveryDate > 0 && s.ContractType != "":
			m.Type, m.Future = unified.Future, true
			m.Expiry = time.UnixMilli(int64(s.DeliveryDate)).UTC()
			code, err := markets.ExpiryCode(m.Expiry)
			if err != nil {
				return m, false, err
			}
			sym.Expiry = code
		default:
			return m, false, nil // a contract type the adapter does not trade
		}
	}
	m.Symbol = sym.String()
	if err := applyFilters(&m, s.Filters); err != nil {
		return m, false, errors.Wrap(errors.BadResponse, err, "exchangeInfo filters of "+s.Symbol)
	}
	return m, true, nil
}

func (s *symbolInfo) onboard() time.Time {
	if s.OnboardDate <= 0 {
		return time.Time{}
	}
	return time.UnixMilli(int64(s.OnboardDate)).UTC()
}

// applyFilters reads precision and limits from the trading rules: the
// tick and the step are the precision (not pricePrecision/quantityPrecision,
// which are display precisions); a 0 means the rule is off.
func applyFilters(m *unified.Market, fs []filter) error {
	var ds decimals
	for _, f := range fs {
		switch f.FilterType {
		case "PRICE_FILTER":
			m.Precision.Price = ds.positive(f.TickSize)
			m.Limits.Price = unified.MinMax{Min: ds.positive(f.MinPrice), Max: ds.positive(f.MaxPrice)}
		case "LOT_SIZE":
			m.Precision.Amount = ds.positive(f.StepSize)
			m.Limits.Amount = unified.MinMax{Min: ds.positive(f.MinQty), Max: ds.positive(f.MaxQty)}
		case "MARKET_LOT_SIZE":
			m.Limits.Market = unified.MinMax{Min: ds.positive(f.MinQty), Max: ds.positive(f.MaxQty)}
		case "NOTIONAL":
			m.Limits.Cost = unified.MinMax{Min: ds.positive(f.MinNotional), Max: ds.positive(f.MaxNotional)}
		case "MIN_NOTIONAL": // older spot rule, and USD-M's (field "notional")
			minimum := f.MinNotional
			if minimum == "" {
				minimum = f.Notional
			}
			m.Limits.Cost.Min = ds.positive(minimum)
		}
	}
	if ds.err != nil {
		return ds.err
	}
	if !m.Precision.Price.Valid || !m.Precision.Amount.Valid {
		return errors.Newf(errors.BadResponse, "no PRICE_FILTER tick or LOT_SIZE step")
	}
	return nil
}

// commonCode is the unified code of a Binance asset.
func commonCode(asset string) string {
	return codes.Common(asset)
}

var codes = markets.NewCurrencyCodes(nil)

// decimals parses decimal strings, keeping the first error.
type decimals struct{ err error }

// parse parses s; "" is absent.
func (ds *decimals) parse(s string) decimal.NullDecimal {
	if s == "" {
		return decimal.NullDecimal{}
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		if ds.err == nil {
			ds.err = errors.Wrap(errors.BadResponse, err, "malformed number "+strconv.Quote(s))
		}
		return decimal.NullDecimal{}
	}
	return decimal.NewNullDecimal(d)
}

// positive parses s, reading "0" (a rule that is off) as absent.
func (ds *decimals) positive(s string) decimal.NullDecimal {
	n := ds.parse(s)
	if n.Valid && !n.Decimal.IsPositive() {
		return decimal.NullDecimal{}
	}
	return n
}
