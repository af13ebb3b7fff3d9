package bybit

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/shopspring/decimal"
	"golang.org/x/sync/errgroup"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/rest"
	"github.com/unifex-go/unifex/markets"
	"github.com/unifex-go/unifex/unified"
)

// instruments is the result of GET /v5/market/instruments-info.
type instruments struct {
	Category       string       `json:"category"`
	List           []instrument `json:"list"`
	NextPageCursor string       `json:"nextPageCursor"`
}

// instrument is one entry of instruments-info; numbers are decimal strings.
type instrument struct {
	Symbol        string `json:"symbol"`
	ContractType  string `json:"contractType"` // LinearPerpetual, LinearFutures, InversePerpetual, InverseFutures
	Status        string `json:"status"`
	BaseCoin      string `json:"baseCoin"`
	QuoteCoin     string `json:"quoteCoin"`
	SettleCoin    string `json:"settleCoin"`
	MarginTrading string `json:"marginTrading"` // spot: none, utaOnly, both...
	OptionsType   string `json:"optionsType"`   // option: Call, Put
	LaunchTime    string `json:"launchTime"`
	DeliveryTime  string `json:"deliveryTime"`
	PriceFilter   struct {
		TickSize string `json:"tickSize"`
		MinPrice string `json:"minPrice"`
		MaxPrice string `json:"maxPrice"`
	} `json:"priceFilter"`
	LotSizeFilter struct {
		QtyStep           string `json:"qtyStep"`       // contracts
		BasePrecision     string `json:"basePrecision"` // spot
		MinOrderQty       string `json:"minOrderQty"`
		MaxOrderQty       string `json:"maxOrderQty"`
		MaxMktOrderQty    string `json:"maxMktOrderQty"`    // contracts
		MaxLimitOrderQty  string `json:"maxLimitOrderQty"`  // spot, newer
		MaxMarketOrderQty string `json:"maxMarketOrderQty"` // spot, newer
		MinNotionalValue  string `json:"minNotionalValue"`  // linear
		MinOrderAmt       string `json:"minOrderAmt"`       // spot
		MaxOrderAmt       string `json:"maxOrderAmt"`       // spot
	} `json:"lotSizeFilter"`
	LeverageFilter struct {
		MinLeverage string `json:"minLeverage"`
		MaxLeverage string `json:"maxLeverage"`
	} `json:"leverageFilter"`
}

// maxInstrumentPages bounds the cursor walk of one category, against a
// venue that keeps answering with a cursor.
const maxInstrumentPages = 100

// marketLoads bounds the instruments-info chains FetchMarkets runs at once.
const marketLoads = 4

// FetchMarkets loads the markets of every configured category from
// instruments-info, following nextPageCursor (linear, inverse and option
// page; spot answers in one page); options base coin by base coin. Each
// category, and each option base coin, is one chain of pages; up to
// marketLoads chains run at once, and the markets come in the order of
// Categories and OptionBaseCoins whatever order the chains end in. The
// first failure cancels the other chains.
func (x *Exchange) FetchMarkets(ctx context.Context, _ ...exchange.Option) ([]unified.Market, error) {
	type chain struct{ cat, coin string }
	var chains []chain
	for _, cat := range x.opts.Categories {
		if cat != CategoryOption {
			chains = append(chains, chain{cat, ""})
			continue
		}
		for _, coin := range x.opts.OptionBaseCoins {
			chains = append(chains, chain{cat, coin})
		}
	}
	got := make([][]unified.Market, len(chains))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(marketLoads)
	for i, c := range chains {
		g.Go(func() error {
			ms, err := x.fetchCategory(gctx, c.cat, c.coin)
			got[i] = ms
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return slices.Concat(got...), nil
}

// fetchCategory walks the instruments-info pages of one category (and of
// one base coin when coin is not empty).
func (x *Exchange) fetchCategory(ctx context.Context, cat, coin string) ([]unified.Market, error) {
	var out []unified.Market
	cursor := ""
	for page := 0; ; page++ {
		if page == maxInstrumentPages {
			return nil, errors.Newf(errors.BadResponse, "bybit: instruments-info of "+cat+" keeps paging")
		}
		var res instruments
		var q rest.Params
		q.Add("category", cat)
		if coin != "" {
			q.Add("baseCoin", coin)
		}
		if cat != CategorySpot {
			q.Add("limit", "1000")
		}
		if cursor != "" {
			q.Add("cursor", cursor)
		}
		if err := x.call(ctx, epInstruments, q, &res); err != nil {
			return nil, err
		}
		ms, err := parseInstruments(cat, res.List)
		if err != nil {
			return nil, err
		}
		out = append(out, ms...)
		if cat == CategorySpot || res.NextPageCursor == "" || res.NextPageCursor == cursor || len(res.List) == 0 {
			return out, nil
		}
		cursor = res.NextPageCursor
	}
}

// parseInstruments turns the instruments of category cat into markets,
// skipping the contract types the adapter does not trade.
func parseInstruments(cat string, list []instrument) ([]unified.Market, error) {
	out := make([]unified.Market, 0, len(list))
	for i := range list {
		m, ok, err := parseInstrument(cat, &list[i])
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, m)
		}
	}
	return out, nil
}

func parseInstrument(cat string, in *instrument) (unified.Market, bool, error) {
	if in.Symbol == "" || in.BaseCoin == "" || in.QuoteCoin == "" {
		return unified.Market{}, false, errors.Newf(errors.BadResponse, "bybit: instruments-info lists a symbol without its id or coins")
	}
	base, quote := codes.Common(in.BaseCoin), codes.Common(in.QuoteCoin)
	m := unified.Market{ID: in.Symbol, BaseID: in.BaseCoin, QuoteID: in.QuoteCoin, Base: base, Quote: quote,
		PrecisionMode: unified.TickSize}
	active := in.Status == "Trading"
	m.Active = &active
	var ds decimals
	sym := markets.Symbol{Base: base, Quote: quote}
	lot := &in.LotSizeFilter
	switch cat {
	case CategorySpot:
		m.Type, m.Spot = unified.Spot, true
		m.Margin = in.MarginTrading != "" && in.MarginTrading != "none"
		m.Precision.Amount = ds.positive(lot.BasePrecision)
		m.Limits.Amount = unified.MinMax{Min: ds.positive(lot.MinOrderQty), Max: ds.positive(first(lot.MaxOrderQty, lot.MaxLimitOrderQty))}
		m.Limits.Market.Max = ds.positive(lot.MaxMarketOrderQty)
		m.Limits.Cost = unified.MinMax{Min: ds.positive(lot.MinOrderAmt), Max: ds.positive(lot.MaxOrderAmt)}
	case CategoryLinear, CategoryInverse:
		if in.SettleCoin == "" {
			return m, false, errors.Newf(errors.BadResponse, "bybit: contract "+in.Symbol+" without settleCoin")
		}
		settle := codes.Common(in.SettleCoin)
		m.Settle, m.SettleID, sym.Settle = settle, in.SettleCoin, settle
		m.Contract = true
		m.Linear, m.Inverse = cat == CategoryLinear, cat == CategoryInverse
		m.SubType = cat
		m.ContractSize = decimal.NewNullDecimal(decimal.NewFromInt(1))
		m.MarginModes = unified.MarginModes{Cross: true, Isolated: true}
		switch in.ContractType {
		case "LinearPerpetual", "InversePerpetual":
			m.Type, m.Swap = unified.Swap, true
		case "LinearFutures", "InverseFutures":
			ms, err := strconv.ParseInt(in.DeliveryTime, 10, 64)
			if err != nil || ms <= 0 {
				return m, false, errors.Newf(errors.BadResponse, "bybit: future "+in.Symbol+" without a deliveryTime")
			}
			m.Type, m.Future = unified.Future, true
			m.Expiry = time.UnixMilli(ms).UTC()
			code, err := markets.ExpiryCode(m.Expiry)
			if err != nil {
				return m, false, err
			}
			sym.Expiry = code
		default:
			return m, false, nil // a contract type the adapter does not trade
		}
		if ms, err := strconv.ParseInt(in.LaunchTime, 10, 64); err == nil && ms > 0 {
			m.Created = time.UnixMilli(ms).UTC()
		}
		m.Precision.Amount = ds.positive(lot.QtyStep)
		m.Limits.Amount = unified.MinMax{Min: ds.positive(lot.MinOrderQty), Max: ds.positive(lot.MaxOrderQty)}
		m.Limits.Market.Max = ds.positive(lot.MaxMktOrderQty)
		m.Limits.Cost.Min = ds.positive(lot.MinNotionalValue)
		m.Limits.Leverage = unified.MinMax{Min: ds.positive(in.LeverageFilter.MinLeverage), Max: ds.positive(in.LeverageFilter.MaxLeverage)}
	case CategoryOption:
		if err := parseOption(in, &m, &sym, &ds); err != nil {
			return m, false, err
		}
	default:
		return m, false, nil
	}
	m.Precision.Price = ds.positive(in.PriceFilter.TickSize)
	m.Limits.Price = unified.MinMax{Min: ds.positive(in.PriceFilter.MinPrice), Max: ds.positive(in.PriceFilter.MaxPrice)}
	if ds.err != nil {
		return m, false, errors.Wrap(errors.BadResponse, ds.err, "bybit: instruments-info of "+in.Symbol)
	}
	if !m.Precision.Price.Valid || !m.Precision.Amount.Valid {
		return m, false, errors.Newf(errors.BadResponse, "bybit: instrument "+in.Symbol+" without a tick size or quantity step")
	}
	m.Symbol = sym.String()
	return m, true, nil
}

// categoryOf is the category a market trades in.
func categoryOf(m *unified.Market) string {
	switch {
	case m.Option:
		return CategoryOption
	case m.Inverse:
		return CategoryInverse
	case m.Contract:
		return CategoryLinear
	}
	return CategorySpot
}

// first returns the first non-empty string.
func first(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
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
