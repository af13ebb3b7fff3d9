package okx

import (
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/markets"
	"github.com/unifex-go/unifex/unified"
)

// instrument is the part of GET /api/v5/public/instruments the adapter
// reads; numbers are decimal strings, "" when they do not apply.
type instrument struct {
	InstType   string `json:"instType"`
	InstID     string `json:"instId"`
	InstFamily string `json:"instFamily"`
	Uly        string `json:"uly"`
	BaseCcy    string `json:"baseCcy"`
	QuoteCcy   string `json:"quoteCcy"`
	SettleCcy  string `json:"settleCcy"`
	CtVal      string `json:"ctVal"`
	CtMult     string `json:"ctMult"`
	CtType     string `json:"ctType"` // linear, inverse
	OptType    string `json:"optType"`
	Stk        string `json:"stk"`
	ExpTime    string `json:"expTime"`
	ListTime   string `json:"listTime"`
	TickSz     string `json:"tickSz"`
	LotSz      string `json:"lotSz"`
	MinSz      string `json:"minSz"`
	Lever      string `json:"lever"`
	State      string `json:"state"`
	// InstIDCode is the instrument's number for WebSocket order entry; it
	// differs between live and demo trading. A string or a number (or null
	// before OKX generates one).
	InstIDCode flexString `json:"instIdCode"`
}

// flexString is a JSON string, number or null, kept as its text.
type flexString string

// UnmarshalJSON reads "123", 123 or null.
func (s *flexString) UnmarshalJSON(b []byte) error {
	switch {
	case string(b) == "null":
		*s = ""
	case len(b) > 1 && b[0] == '"':
		v, err := strconv.Unquote(string(b))
		if err != nil {
			return errors.Wrap(errors.BadResponse, err, "a malformed string")
		}
		*s = flexString(v)
	default:
		if _, err := strconv.ParseFloat(string(b), 64); err != nil {
			return errors.Newf(errors.BadResponse, "a field that is neither a string nor a number: "+string(b))
		}
		*s = flexString(b)
	}
	return nil
}

// parseInstruments turns instruments of any type into unified markets.
// States other than "live" are listed inactive; instruments of types the
// adapter does not know are skipped. keepInfo keeps each instrument in
// its market's Info.
func parseInstruments(list []instrument, keepInfo bool) ([]unified.Market, error) {
	out := make([]unified.Market, 0, len(list))
	for i := range list {
		m, ok, err := parseInstrument(&list[i])
		if err != nil {
			return nil, err
		}
		if ok {
			if keepInfo {
				m.Info = list[i]
			}
			out = append(out, m)
		}
	}
	return out, nil
}

// parseInstrument makes the unified market of one instrument: spot symbols
// are baseCcy/quoteCcy; contracts take base and quote from instFamily
// (uly in older replies) and settle in settleCcy, with the yymmdd of
// expTime for futures and options, and the strike and C/P for options.
func parseInstrument(in *instrument) (unified.Market, bool, error) {
	if in.InstID == "" {
		return unified.Market{}, false, errors.Newf(errors.BadResponse, "okx: an instrument without instId")
	}
	var ds decimals
	m := unified.Market{ID: in.InstID, PrecisionMode: unified.TickSize}
	active := in.State == "live"
	m.Active = &active
	if ms := ds.millis(in.ListTime); ms > 0 {
		m.Created = time.UnixMilli(ms).UTC()
	}
	var sym markets.Symbol
	switch in.InstType {
	case TypeSpot:
		if in.BaseCcy == "" || in.QuoteCcy == "" {
			return m, false, errors.Newf(errors.BadResponse, "okx: spot instrument "+in.InstID+" without baseCcy or quoteCcy")
		}
		m.BaseID, m.QuoteID = in.BaseCcy, in.QuoteCcy
		m.Type, m.Spot = unified.Spot, true
		lever := ds.positive(in.Lever)
		m.Margin = lever.Valid && lever.Decimal.GreaterThan(decimal.NewFromInt(1))
		// maxMktAmt caps market orders only; CCXT makes it the cost
		// maximum of every order, which would refuse valid limit orders.
	case TypeSwap, TypeFutures, TypeOption:
		family := in.InstFamily
		if family == "" {
			family = in.Uly
		}
		base, quote, ok := strings.Cut(family, "-")
		if !ok || base == "" || quote == "" || in.SettleCcy == "" {
			return m, false, errors.Newf(errors.BadResponse, "okx: contract "+in.InstID+" without an instFamily BASE-QUOTE or a settleCcy")
		}
		m.BaseID, m.QuoteID, m.SettleID = base, quote, in.SettleCcy
		m.Settle = codes.Common(in.SettleCcy)
		sym.Settle = m.Settle
		m.Contract = true
		m.Inverse = in.CtType == "inverse" || (in.CtType == "" && in.SettleCcy == base)
		m.Linear = !m.Inverse
		m.SubType = "linear"
		if m.Inverse {
			m.SubType = "inverse"
		}
		// One contract stands for ctVal × ctMult of ctValCcy: an option
		// (ctVal 1, ctMult 0.01 on BTC-USD) is 0.01 BTC.
		size := ds.positive(in.CtVal)
		if mult := ds.positive(in.CtMult); size.Valid && mult.Valid {
			size.Decimal = size.Decimal.Mul(mult.Decimal)
		}
		m.ContractSize = size
		m.MarginModes = unified.MarginModes{Cross: true, Isolated: true}
		switch in.InstType {
		case TypeSwap:
			m.Type, m.Swap = unified.Swap, true
		case TypeFutures:
			m.Type, m.Future = unified.Future, true
		default:
			m.Type, m.Option = unified.Option, true
		}
		if in.InstType != TypeSwap {
			ms := ds.millis(in.ExpTime)
			if ms <= 0 {
				return m, false, errors.Newf(errors.BadResponse, "okx: "+in.InstID+" without expTime")
			}
			m.Expiry = time.UnixMilli(ms).UTC()
			code, err := markets.ExpiryCode(m.Expiry)
			if err != nil {
				return m, false, err
			}
			sym.Expiry = code
		}
		if in.InstType == TypeOption {
			strike := ds.positive(in.Stk)
			switch in.OptType {
			case "C":
				m.OptionType = unified.Call
			case "P":
				m.OptionType = unified.Put
			}
			if !strike.Valid || m.OptionType == "" {
				return m, false, errors.Newf(errors.BadResponse, "okx: option "+in.InstID+" without stk or optType")
			}
			m.Strike, sym.Strike, sym.OptionType = strike, strike.Decimal, m.OptionType
		}
	default:
		return m, false, nil
	}
	m.Base, m.Quote = codes.Common(m.BaseID), codes.Common(m.QuoteID)
	sym.Base, sym.Quote = m.Base, m.Quote
	m.Symbol = sym.String()
	m.Precision.Price = ds.positive(in.TickSz)
	m.Precision.Amount = ds.positive(in.LotSz)
	m.Limits.Amount.Min = ds.positive(in.MinSz)
	if lever := ds.positive(in.Lever); lever.Valid {
		m.Limits.Leverage = unified.MinMax{Min: decimal.NewNullDecimal(decimal.NewFromInt(1)), Max: lever}
	}
	if ds.err != nil {
		return m, false, errors.Wrap(errors.BadResponse, ds.err, "okx: instrument "+in.InstID)
	}
	if !m.Precision.Price.Valid || !m.Precision.Amount.Valid {
		return m, false, errors.Newf(errors.BadResponse, "okx: instrument "+in.InstID+" without tickSz or lotSz")
	}
	return m, true, nil
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
		ds.fail(errors.Wrap(errors.BadResponse, err, "malformed number "+strconv.Quote(s)))
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

// millis parses a millisecond timestamp; "" is 0.
func (ds *decimals) millis(s string) int64 {
	if s == "" {
		return 0
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		ds.fail(errors.Wrap(errors.BadResponse, err, "malformed timestamp "+strconv.Quote(s)))
	}
	return v
}

func (ds *decimals) fail(err error) {
	if ds.err == nil {
		ds.err = err
	}
}
