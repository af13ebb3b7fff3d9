package okx

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/adapter"
	"github.com/unifex-go/unifex/internal/engine"
	"github.com/unifex-go/unifex/internal/rest"
	"github.com/unifex-go/unifex/orderbook"
	"github.com/unifex-go/unifex/unified"
)

// The public endpoints, under "v5" (https://www.okx.com/api/v5).
var (
	epTime           = rest.Endpoint{API: "v5", Path: "/public/time"}
	epInstruments    = rest.Endpoint{API: "v5", Path: "/public/instruments"}
	epBooks          = rest.Endpoint{API: "v5", Path: "/market/books"}
	epTicker         = rest.Endpoint{API: "v5", Path: "/market/ticker"}
	epTickers        = rest.Endpoint{API: "v5", Path: "/market/tickers"}
	epTrades         = rest.Endpoint{API: "v5", Path: "/market/trades"}
	epCandles        = rest.Endpoint{API: "v5", Path: "/market/candles"}
	epHistoryCandles = rest.Endpoint{API: "v5", Path: "/market/history-candles"}
	epFundingRate    = rest.Endpoint{API: "v5", Path: "/public/funding-rate"}
)

// Reply sizes: books serves up to 400 levels a side, trades 500, candles
// 300 a page (the newest 1440 bars), history-candles 100 a page.
const (
	maxBookDepth     = 400
	maxTrades        = 500
	candlesPage      = 300
	historyPage      = 100
	defaultOHLCVSize = 100
)

// envelope is OKX's reply: code "0" and the data array (refusals are
// checkError's).
type envelope[T any] struct {
	Code string `json:"code"`
	Data []T    `json:"data"`
}

// get calls ep and returns its data array.
func get[T any](ctx context.Context, x *Exchange, ep rest.Endpoint, p rest.Params) ([]T, error) {
	var env envelope[T]
	if err := x.REST().DoJSON(ctx, ep, p, &env); err != nil {
		return nil, err
	}
	return env.Data, nil
}

// one calls ep and returns its only data item.
func one[T any](ctx context.Context, x *Exchange, ep rest.Endpoint, p rest.Params) (*T, error) {
	data, err := get[T](ctx, x, ep, p)
	if err != nil {
		return nil, err
	}
	if len(data) != 1 {
		return nil, errors.Newf(errors.BadResponse, "okx: "+ep.Path+" answered "+strconv.Itoa(len(data))+" items, not one")
	}
	return &data[0], nil
}

func millis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

// parseMillis reads a millisecond timestamp string.
func parseMillis(s string) (time.Time, error) {
	ms, err := strconv.ParseInt(s, 10, 64)
	if err != nil || ms <= 0 {
		return time.Time{}, errors.Newf(errors.BadResponse, "okx: malformed timestamp "+strconv.Quote(s))
	}
	return millis(ms), nil
}

// FetchTime returns OKX's clock.
func (x *Exchange) FetchTime(ctx context.Context, _ ...exchange.Option) (time.Time, error) {
	r, err := one[struct {
		TS string `json:"ts"`
	}](ctx, x, epTime, rest.Params{})
	if err != nil {
		return time.Time{}, err
	}
	return parseMillis(r.TS)
}

// FetchMarkets fetches the instruments of every type in Options.Types
// (options family by family).
func (x *Exchange) FetchMarkets(ctx context.Context, _ ...exchange.Option) ([]unified.Market, error) {
	ms, _, err := x.fetchMarkets(ctx)
	return ms, err
}

// fetchMarkets fetches the markets and the instIdCodes the instruments
// carry (by instId; those without one are left out).
func (x *Exchange) fetchMarkets(ctx context.Context) ([]unified.Market, map[string]int64, error) {
	var out []unified.Market
	codes := map[string]int64{}
	for _, t := range x.opts.Types {
		list, err := x.fetchInstruments(ctx, t)
		if err != nil {
			return nil, nil, err
		}
		ms, err := parseInstruments(list, x.Config().KeepInfo)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, ms...)
		for i := range list {
			code, ok, err := list[i].code()
			if err != nil {
				return nil, nil, err
			}
			if ok {
				codes[list[i].InstID] = code
			}
		}
	}
	return out, codes, nil
}

// params builds a query from key, value pairs.
func params(kv ...string) rest.Params {
	var p rest.Params
	for i := 0; i+1 < len(kv); i += 2 {
		p.Add(kv[i], kv[i+1])
	}
	return p
}

// market returns the loaded market of symbol.
func (x *Exchange) market(ctx context.Context, symbol string) (*unified.Market, error) {
	snap, err := x.Markets(ctx)
	if err != nil {
		return nil, err
	}
	return snap.Market(symbol)
}

// restBook is a REST book: levels [px, sz, "0", orders], the time and,
// since OKX's 2026 change, the seqId the stream's updates continue from.
type restBook struct {
	Asks  [][]string `json:"asks"`
	Bids  [][]string `json:"bids"`
	TS    string     `json:"ts"`
	SeqID *int64     `json:"seqId"`
}

// fetchBook fetches up to depth levels a side.
func (x *Exchange) fetchBook(ctx context.Context, m *unified.Market, depth int) (*restBook, error) {
	p := params("instId", m.ID)
	if depth > 0 {
		p.Add("sz", strconv.Itoa(min(depth, maxBookDepth)))
	}
	return one[restBook](ctx, x, epBooks, p)
}

// FetchOrderBook returns a REST snapshot; Limit sets the depth (at most
// 400). Its Nonce is the seqId where OKX sends one.
func (x *Exchange) FetchOrderBook(ctx context.Context, symbol string, opts ...exchange.Option) (*unified.OrderBook, error) {
	m, err := x.market(ctx, symbol)
	if err != nil {
		return nil, err
	}
	raw, err := x.fetchBook(ctx, m, exchange.Apply(opts).Limit)
	if err != nil {
		return nil, err
	}
	var ds decimals
	ob := &unified.OrderBook{Symbol: m.Symbol, Bids: ds.levels(raw.Bids), Asks: ds.levels(raw.Asks)}
	if raw.SeqID != nil {
		ob.Nonce = *raw.SeqID
	}
	if ds.err != nil {
		return nil, ds.err
	}
	if ob.Timestamp, err = parseMillis(raw.TS); err != nil {
		return nil, err
	}
	if x.Config().KeepInfo {
		ob.Info = *raw
	}
	return ob, nil
}

// bookSnapshot is the engine's REST snapshot of a full book (400 levels),
// which the books channel's updates continue by prevSeqId: since OKX's
// 2026 change the channel sends no snapshot of its own.
func (x *Exchange) bookSnapshot(ctx context.Context, symbol string) (engine.BookSnapshot, error) {
	m, err := x.market(ctx, symbol)
	if err != nil {
		return engine.BookSnapshot{}, err
	}
	raw, err := x.fetchBook(ctx, m, maxBookDepth)
	if err != nil {
		return engine.BookSnapshot{}, err
	}
	if raw.SeqID == nil {
		// OKX before its 2026 change: the channel sends the snapshot.
		return engine.BookSnapshot{}, errors.Newf(errors.NotSupported, "okx: a REST book without seqId cannot seed the books channel")
	}
	u := engine.BookSnapshot{IDs: orderbook.IDs{Last: *raw.SeqID, Prev: -1}, Changes: make([]orderbook.Change, 0, len(raw.Bids)+len(raw.Asks))}
	if u.Time, err = parseMillis(raw.TS); err != nil {
		return u, err
	}
	if u.Changes, err = appendLevels(u.Changes, orderbook.Bid, raw.Bids); err != nil {
		return u, err
	}
	u.Changes, err = appendLevels(u.Changes, orderbook.Ask, raw.Asks)
	return u, err
}

// appendLevels parses [px, sz, ...] levels of one side, keeping the wire
// text the checksum is computed over.
func appendLevels(dst []orderbook.Change, side orderbook.Side, levels [][]string) ([]orderbook.Change, error) {
	for _, l := range levels {
		if len(l) < 2 {
			return dst, errors.Newf(errors.BadResponse, "okx: a book level without a price or a size")
		}
		price, err := orderbook.ParseNum(l[0])
		if err != nil {
			return dst, errors.Wrap(errors.BadResponse, err, "okx: a book price")
		}
		amount, err := orderbook.ParseNum(l[1])
		if err != nil {
			return dst, errors.Wrap(errors.BadResponse, err, "okx: a book size")
		}
		dst = append(dst, orderbook.Change{Side: side, Price: price, Amount: amount})
	}
	return dst, nil
}

// levels parses [px, sz, ...] levels into unified levels.
func (ds *decimals) levels(raw [][]string) []unified.Level {
	out := make([]unified.Level, 0, len(raw))
	for _, l := range raw {
		if len(l) < 2 {
			ds.fail(errors.Newf(errors.BadResponse, "okx: a book level without a price or a size"))
			return nil
		}
		p, a := ds.parse(l[0]), ds.parse(l[1])
		if !p.Valid || !a.Valid {
			ds.fail(errors.Newf(errors.BadResponse, "okx: a book level without a price or a size"))
			return nil
		}
		out = append(out, unified.Level{Price: p.Decimal, Amount: a.Decimal})
	}
	return out
}

// restTrade is a public trade (REST market/trades and the trades channel).
type restTrade struct {
	InstID  string `json:"instId"`
	TradeID string `json:"tradeId"`
	Px      string `json:"px"`
	Sz      string `json:"sz"`
	Side    string `json:"side"` // the taker's
	TS      string `json:"ts"`
}

// trade makes the unified trade of r; amounts of contracts are in
// contracts, as CCXT keeps them.
func (r *restTrade) trade(m *unified.Market) (unified.Trade, error) {
	var ds decimals
	t := unified.Trade{ID: r.TradeID, Symbol: m.Symbol, TakerOrMaker: unified.LiquidityTaker, Price: ds.parse(r.Px), Amount: ds.parse(r.Sz)}
	switch r.Side {
	case "buy":
		t.Side = unified.SideBuy
	case "sell":
		t.Side = unified.SideSell
	default:
		return t, errors.Newf(errors.BadResponse, "okx: a trade of side "+strconv.Quote(r.Side))
	}
	ts, err := parseMillis(r.TS)
	if err != nil {
		return t, err
	}
	t.Timestamp = ts
	if ds.err != nil || !t.Price.Valid || !t.Amount.Valid || r.TradeID == "" {
		return t, errors.Newf(errors.BadResponse, "okx: malformed trade "+strconv.Quote(r.TradeID)+" of "+m.Symbol)
	}
	t.Complete(m)
	return t, nil
}

// FetchTrades returns the most recent public trades (at most 500), oldest
// first; Since keeps those at or after it.
func (x *Exchange) FetchTrades(ctx context.Context, symbol string, opts ...exchange.Option) ([]unified.Trade, error) {
	m, err := x.market(ctx, symbol)
	if err != nil {
		return nil, err
	}
	o := exchange.Apply(opts)
	p := params("instId", m.ID)
	if o.Limit > 0 {
		p.Add("limit", strconv.Itoa(min(o.Limit, maxTrades)))
	}
	raw, err := get[restTrade](ctx, x, epTrades, p)
	if err != nil {
		return nil, err
	}
	out := make([]unified.Trade, 0, len(raw))
	for i := len(raw) - 1; i >= 0; i-- { // newest first on the wire
		t, err := raw[i].trade(m)
		if err != nil {
			return nil, err
		}
		if !t.Timestamp.Before(o.Since) {
			if x.Config().KeepInfo {
				t.Info = raw[i]
			}
			out = append(out, t)
		}
	}
	return out, nil
}

// restTicker is a ticker (REST market/ticker(s) and the tickers channel).
type restTicker struct {
	InstType  string `json:"instType"`
	InstID    string `json:"instId"`
	Last      string `json:"last"`
	LastSz    string `json:"lastSz"`
	AskPx     string `json:"askPx"`
	AskSz     string `json:"askSz"`
	BidPx     string `json:"bidPx"`
	BidSz     string `json:"bidSz"`
	Open24h   string `json:"open24h"`
	High24h   string `json:"high24h"`
	Low24h    string `json:"low24h"`
	VolCcy24h string `json:"volCcy24h"` // spot: quote; contracts: base (or settle)
	Vol24h    string `json:"vol24h"`    // spot: base; contracts: contracts
	SodUtc0   string `json:"sodUtc0"`
	SodUtc8   string `json:"sodUtc8"`
	TS        string `json:"ts"`
}

// ticker makes the unified ticker of r: spot volumes are vol24h (base) and
// volCcy24h (quote); a contract's base volume is volCcy24h, and an inverse
// contract's quote volume its contracts times their size.
func (x *Exchange) ticker(m *unified.Market, r *restTicker) (*unified.Ticker, error) {
	var ds decimals
	t := &unified.Ticker{Symbol: m.Symbol, High: ds.parse(r.High24h), Low: ds.parse(r.Low24h),
		Bid: ds.parse(r.BidPx), BidVolume: ds.parse(r.BidSz), Ask: ds.parse(r.AskPx), AskVolume: ds.parse(r.AskSz),
		Open: ds.parse(r.Open24h), Close: ds.parse(r.Last), Last: ds.parse(r.Last)}
	if m.Contract {
		t.BaseVolume = ds.parse(r.VolCcy24h)
		if contracts := ds.parse(r.Vol24h); m.Inverse && contracts.Valid && m.ContractSize.Valid {
			t.QuoteVolume = decimal.NewNullDecimal(contracts.Decimal.Mul(m.ContractSize.Decimal))
		}
	} else {
		t.BaseVolume, t.QuoteVolume = ds.parse(r.Vol24h), ds.parse(r.VolCcy24h)
	}
	if ds.err != nil {
		return nil, ds.err
	}
	if t.BaseVolume.Valid && t.QuoteVolume.Valid && t.BaseVolume.Decimal.IsPositive() {
		t.VWAP = decimal.NewNullDecimal(t.QuoteVolume.Decimal.DivRound(t.BaseVolume.Decimal, 16))
	}
	ts, err := parseMillis(r.TS)
	if err != nil {
		return nil, err
	}
	t.Timestamp = ts
	t.Complete(m)
	if x.Config().KeepInfo {
		t.Info = *r
	}
	return t, nil
}

// FetchTicker returns the market's 24-hour ticker.
func (x *Exchange) FetchTicker(ctx context.Context, symbol string, _ ...exchange.Option) (*unified.Ticker, error) {
	m, err := x.market(ctx, symbol)
	if err != nil {
		return nil, err
	}
	r, err := one[restTicker](ctx, x, epTicker, params("instId", m.ID))
	if err != nil {
		return nil, err
	}
	return x.ticker(m, r)
}

// FetchTickers returns the tickers of symbols (nil: every loaded market),
// one request per instrument type concerned (options: per family).
func (x *Exchange) FetchTickers(ctx context.Context, symbols []string, _ ...exchange.Option) (map[string]*unified.Ticker, error) {
	snap, err := x.Markets(ctx)
	if err != nil {
		return nil, err
	}
	want := make(map[string]bool, len(symbols))
	types := x.opts.Types
	if len(symbols) > 0 {
		types = nil
		for _, s := range symbols {
			m, err := snap.Market(s)
			if err != nil {
				return nil, err
			}
			want[s] = true
			if t := instTypeOf(m); !slices.Contains(types, t) {
				types = append(types, t)
			}
		}
	}
	out := map[string]*unified.Ticker{}
	var queries []rest.Params
	for _, typ := range types {
		queries = append(queries, tickerQueries(snap, typ, want)...)
	}
	for _, q := range queries {
		raw, err := get[restTicker](ctx, x, epTickers, q)
		if err != nil {
			return nil, err
		}
		for i := range raw {
			ms := snap.MarketsByID(raw[i].InstID)
			if len(ms) == 0 || (len(want) > 0 && !want[ms[0].Symbol]) {
				continue // not (or no longer) listed
			}
			t, err := x.ticker(ms[0], &raw[i])
			if err != nil {
				return nil, err
			}
			out[ms[0].Symbol] = t
		}
	}
	return out, nil
}

// instTypeOf is the instType of a loaded market.
func instTypeOf(m *unified.Market) string {
	switch {
	case m.Swap:
		return TypeSwap
	case m.Future:
		return TypeFutures
	case m.Option:
		return TypeOption
	}
	return TypeSpot
}

// bars maps unified timeframes to OKX's bar names: hours and longer are
// written in capitals, and from 6 hours on the "utc" variants (the plain
// ones open at 00:00 UTC+8, like CCXT's default).
var bars = map[string]string{
	"1s": "1s", "1m": "1m", "3m": "3m", "5m": "5m", "15m": "15m", "30m": "30m",
	"1h": "1H", "2h": "2H", "4h": "4H", "6h": "6Hutc", "12h": "12Hutc",
	"1d": "1Dutc", "2d": "2Dutc", "3d": "3Dutc", "5d": "5Dutc", "1w": "1Wutc", "1M": "1Mutc", "3M": "3Mutc",
}

// barOf returns OKX's bar of timeframe, and its length (a month counts 31
// days, a bound for paging).
func barOf(timeframe string) (string, time.Duration, error) {
	bar, ok := bars[timeframe]
	if !ok {
		return "", 0, errors.Newf(errors.BadRequest, "okx has no timeframe "+strconv.Quote(timeframe))
	}
	n, err := strconv.Atoi(timeframe[:len(timeframe)-1])
	if err != nil {
		return "", 0, errors.Newf(errors.BadRequest, "okx has no timeframe "+strconv.Quote(timeframe))
	}
	unit := map[byte]time.Duration{'s': time.Second, 'm': time.Minute, 'h': time.Hour, 'd': 24 * time.Hour,
		'w': 7 * 24 * time.Hour, 'M': 31 * 24 * time.Hour}[timeframe[len(timeframe)-1]]
	return bar, time.Duration(n) * unit, nil
}

// FetchOHLCV returns candles of timeframe, oldest first. Without Since, the
// newest Limit (default 100); with Since, Limit candles from there (every
// one up to now without Limit), fetched backwards through history-candles
// from the end of that window, as OKX pages only towards the past.
func (x *Exchange) FetchOHLCV(ctx context.Context, symbol, timeframe string, opts ...exchange.Option) ([]unified.OHLCV, error) {
	m, err := x.market(ctx, symbol)
	if err != nil {
		return nil, err
	}
	bar, length, err := barOf(timeframe)
	if err != nil {
		return nil, err
	}
	return adapter.FetchOHLCVBackward(exchange.Apply(opts), length, defaultOHLCVSize, func(end int64, n int) ([]unified.OHLCV, error) {
		ep, size := epHistoryCandles, historyPage
		if end == 0 {
			ep, size = epCandles, candlesPage // the newest bars
		}
		p := params("instId", m.ID, "bar", bar, "limit", strconv.Itoa(min(n, size)))
		if end > 0 {
			p.Add("after", strconv.FormatInt(end, 10))
		}
		rows, err := get[[]string](ctx, x, ep, p)
		if err != nil {
			return nil, err
		}
		return parseCandles(rows, m.Contract)
	})
}

// parseCandles parses [ts, o, h, l, c, vol, volCcy, volCcyQuote, confirm]
// rows. The volume is in the base currency, as CCXT reads it: vol on spot,
// volCcy on contracts (whose vol counts contracts).
func parseCandles(rows [][]string, contract bool) ([]unified.OHLCV, error) {
	out := make([]unified.OHLCV, 0, len(rows))
	for _, row := range rows {
		c, err := parseCandle(row, contract)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

func parseCandle(row []string, contract bool) (unified.OHLCV, error) {
	if len(row) < 7 {
		return unified.OHLCV{}, errors.Newf(errors.BadResponse, "okx: a candle with fewer than 7 fields")
	}
	ts, err := parseMillis(row[0])
	if err != nil {
		return unified.OHLCV{}, err
	}
	volume := 5
	if contract {
		volume = 6
	}
	var nums [5]decimal.Decimal
	for i, field := range []int{1, 2, 3, 4, volume} {
		if nums[i], err = decimal.NewFromString(row[field]); err != nil {
			return unified.OHLCV{}, errors.Wrap(errors.BadResponse, err, "okx: a candle field that is not a decimal")
		}
	}
	return unified.OHLCV{Timestamp: ts, Open: nums[0], High: nums[1], Low: nums[2], Close: nums[3], Volume: nums[4]}, nil
}

// restFunding is public/funding-rate's item (and the funding-rate
// channel's).
type restFunding struct {
	InstID          string `json:"instId"`
	FundingRate     string `json:"fundingRate"`
	FundingTime     string `json:"fundingTime"`
	NextFundingRate string `json:"nextFundingRate"`
	NextFundingTime string `json:"nextFundingTime"`
	InterestRate    string `json:"interestRate"`
	TS              string `json:"ts"`
}

// funding makes the unified funding rate of r: the rate of the period
// that ends at fundingTime, and the next period's when OKX forecasts it.
func (r *restFunding) funding(m *unified.Market) (*unified.FundingRate, error) {
	var ds decimals
	f := &unified.FundingRate{Symbol: m.Symbol, Rate: ds.parse(r.FundingRate), NextRate: ds.parse(r.NextFundingRate),
		InterestRate: ds.parse(r.InterestRate)}
	for _, t := range []struct {
		s   string
		dst *time.Time
	}{{r.TS, &f.Timestamp}, {r.FundingTime, &f.FundingTime}, {r.NextFundingTime, &f.NextFundingTime}} {
		if ms := ds.millis(t.s); ms > 0 {
			*t.dst = millis(ms)
		}
	}
	if ds.err != nil {
		return nil, ds.err
	}
	if !f.Rate.Valid {
		return nil, errors.Newf(errors.BadResponse, "okx: a funding rate without fundingRate")
	}
	if !f.FundingTime.IsZero() && !f.NextFundingTime.IsZero() {
		f.Interval = strconv.Itoa(int(f.NextFundingTime.Sub(f.FundingTime).Hours())) + "h"
	}
	return f, nil
}

// FetchFundingRate returns a perpetual's current funding rate.
func (x *Exchange) FetchFundingRate(ctx context.Context, symbol string, _ ...exchange.Option) (*unified.FundingRate, error) {
	m, err := x.market(ctx, symbol)
	if err != nil {
		return nil, err
	}
	if !m.Swap {
		return nil, &errors.Error{Kind: errors.BadSymbol, Exchange: ID, Message: symbol + " is not a perpetual"}
	}
	r, err := one[restFunding](ctx, x, epFundingRate, params("instId", m.ID))
	if err != nil {
		return nil, err
	}
	f, err := r.funding(m)
	if err != nil {
		return nil, err
	}
	if x.Config().KeepInfo {
		f.Info = *r
	}
	return f, nil
}
