package bybit

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/adapter"
	"github.com/unifex-go/unifex/internal/rest"
	"github.com/unifex-go/unifex/markets"
	"github.com/unifex-go/unifex/unified"
)

// apiGroup is the REST group of every endpoint: one host for all categories.
const apiGroup = "v5"

// The public endpoints the unified methods call.
var (
	epTime        = rest.Endpoint{API: apiGroup, Path: "/v5/market/time"}
	epInstruments = rest.Endpoint{API: apiGroup, Path: "/v5/market/instruments-info"}
)

// envelope is Bybit's reply: retCode 0 (checkError refused the others)
// and the result.
type envelope struct {
	Result json.RawMessage `json:"result"`
	Time   flexInt         `json:"time"`
}

// call sends ep with the parameters q and decodes the envelope's result into out.
func (x *Exchange) call(ctx context.Context, ep rest.Endpoint, q rest.Params, out any) error {
	var env envelope
	if err := x.REST().DoJSON(ctx, ep, q, &env); err != nil {
		return err
	}
	if len(env.Result) == 0 || string(env.Result) == "null" {
		return errors.Newf(errors.NullResponse, "bybit: "+ep.Path+" answered without a result")
	}
	if err := json.Unmarshal(env.Result, out); err != nil {
		return errors.Wrap(errors.BadResponse, err, "bybit: malformed result of "+ep.Path)
	}
	return nil
}

// FetchTime returns the venue's clock (GET /v5/market/time, timeNano).
func (x *Exchange) FetchTime(ctx context.Context, _ ...exchange.Option) (time.Time, error) {
	var res struct {
		TimeSecond string `json:"timeSecond"`
		TimeNano   string `json:"timeNano"`
	}
	if err := x.call(ctx, epTime, rest.Params{}, &res); err != nil {
		return time.Time{}, err
	}
	if ns, err := strconv.ParseInt(res.TimeNano, 10, 64); err == nil && ns > 0 {
		return time.Unix(0, ns).UTC(), nil
	}
	s, err := strconv.ParseInt(res.TimeSecond, 10, 64)
	if err != nil || s <= 0 {
		return time.Time{}, errors.Newf(errors.BadResponse, "bybit: /v5/market/time without a time")
	}
	return time.Unix(s, 0).UTC(), nil
}

// The market-data endpoints.
var (
	epTickers   = rest.Endpoint{API: apiGroup, Path: "/v5/market/tickers"}
	epOrderBook = rest.Endpoint{API: apiGroup, Path: "/v5/market/orderbook"}
	epTrades    = rest.Endpoint{API: apiGroup, Path: "/v5/market/recent-trade"}
	epKline     = rest.Endpoint{API: apiGroup, Path: "/v5/market/kline"}
)

// market returns the loaded market of symbol.
func (x *Exchange) market(ctx context.Context, symbol string) (*unified.Market, error) {
	snap, err := x.Markets(ctx)
	if err != nil {
		return nil, err
	}
	return snap.Market(symbol)
}

// marketParams are category and symbol of m.
func marketParams(m *unified.Market) rest.Params {
	var p rest.Params
	p.Add("category", categoryOf(m))
	p.Add("symbol", m.ID)
	return p
}

func millis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

// flexInt is an integer (a millisecond time, an update id) sent as a JSON
// number, as Bybit does, or as a string, as CCXT's recordings keep it.
type flexInt int64

// UnmarshalJSON reads 123, "123" or "" (0).
func (n *flexInt) UnmarshalJSON(b []byte) error {
	if len(b) > 1 && b[0] == '"' {
		b = b[1 : len(b)-1]
	}
	if len(b) == 0 || string(b) == "null" {
		*n = 0
		return nil
	}
	v, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return errors.Wrap(errors.BadResponse, err, "a time that is not an integer")
	}
	*n = flexInt(v)
	return nil
}

// tickerFields are a ticker's fields, REST and stream alike (the stream's
// derivative deltas carry only the changed ones).
type tickerFields struct {
	Symbol          string `json:"symbol"`
	LastPrice       string `json:"lastPrice"`
	Bid1Price       string `json:"bid1Price"`
	Bid1Size        string `json:"bid1Size"`
	Ask1Price       string `json:"ask1Price"`
	Ask1Size        string `json:"ask1Size"`
	PrevPrice24h    string `json:"prevPrice24h"`
	Price24hPcnt    string `json:"price24hPcnt"`
	HighPrice24h    string `json:"highPrice24h"`
	LowPrice24h     string `json:"lowPrice24h"`
	Volume24h       string `json:"volume24h"`
	Turnover24h     string `json:"turnover24h"`
	MarkPrice       string `json:"markPrice"`
	IndexPrice      string `json:"indexPrice"`
	FundingRate     string `json:"fundingRate"`
	NextFundingTime string `json:"nextFundingTime"`
	FundingInterval string `json:"fundingIntervalHour"`
	// The option stream's names of the touch (REST option tickers use
	// bid1Price...; normalize folds them in).
	BidPrice string `json:"bidPrice"`
	BidSize  string `json:"bidSize"`
	AskPrice string `json:"askPrice"`
	AskSize  string `json:"askSize"`
	// Option fields CCXT's ticker has no place for, kept for Info.
	// change24h is not the percentage: the docs do not say whether it is
	// a fraction or a price change, and CCXT leaves it out too.
	Change24h       string `json:"change24h"`
	MarkIV          string `json:"markIv"`
	MarkPriceIV     string `json:"markPriceIv"`
	UnderlyingPrice string `json:"underlyingPrice"`
	Delta           string `json:"delta"`
	Gamma           string `json:"gamma"`
	Vega            string `json:"vega"`
	Theta           string `json:"theta"`
}

// normalize moves an option stream ticker's bidPrice, bidSize, askPrice
// and askSize into bid1Price... where those are absent.
func (t *tickerFields) normalize() {
	for _, f := range [...]struct{ dst, src *string }{
		{&t.Bid1Price, &t.BidPrice}, {&t.Bid1Size, &t.BidSize}, {&t.Ask1Price, &t.AskPrice}, {&t.Ask1Size, &t.AskSize},
	} {
		if *f.dst == "" {
			*f.dst, *f.src = *f.src, ""
		}
	}
}

// merge copies the fields d carries into t (a derivative ticker delta).
func (t *tickerFields) merge(d *tickerFields) {
	for _, f := range [...]struct{ dst, src *string }{
		{&t.LastPrice, &d.LastPrice}, {&t.Bid1Price, &d.Bid1Price}, {&t.Bid1Size, &d.Bid1Size},
		{&t.Ask1Price, &d.Ask1Price}, {&t.Ask1Size, &d.Ask1Size}, {&t.PrevPrice24h, &d.PrevPrice24h},
		{&t.Price24hPcnt, &d.Price24hPcnt}, {&t.HighPrice24h, &d.HighPrice24h}, {&t.LowPrice24h, &d.LowPrice24h},
		{&t.Volume24h, &d.Volume24h}, {&t.Turnover24h, &d.Turnover24h}, {&t.MarkPrice, &d.MarkPrice},
		{&t.IndexPrice, &d.IndexPrice}, {&t.FundingRate, &d.FundingRate}, {&t.NextFundingTime, &d.NextFundingTime},
		{&t.FundingInterval, &d.FundingInterval},
	} {
		if *f.src != "" {
			*f.dst = *f.src
		}
	}
}

// ticker converts f, of market m at ts, into a unified ticker:
// price24hPcnt is a fraction (CCXT's percentage is ×100), prevPrice24h
// the open; volume24h counts the base (contracts on inverse, which are
// USD: CCXT swaps the volumes there) and turnover24h the quote.
func (x *Exchange) ticker(m *unified.Market, f *tickerFields, ts int64) (*unified.Ticker, error) {
	var ds decimals
	baseVolume, quoteVolume := f.Volume24h, f.Turnover24h
	if m.Inverse {
		baseVolume, quoteVolume = quoteVolume, baseVolume
	}
	t := &unified.Ticker{Symbol: m.Symbol, Timestamp: millis(ts), High: ds.parse(f.HighPrice24h), Low: ds.parse(f.LowPrice24h),
		Bid: ds.parse(f.Bid1Price), BidVolume: ds.parse(f.Bid1Size), Ask: ds.parse(f.Ask1Price), AskVolume: ds.parse(f.Ask1Size),
		Open: ds.parse(f.PrevPrice24h), Close: ds.parse(f.LastPrice), Last: ds.parse(f.LastPrice),
		BaseVolume: ds.parse(baseVolume), QuoteVolume: ds.parse(quoteVolume),
		MarkPrice: ds.parse(f.MarkPrice), IndexPrice: ds.parse(f.IndexPrice)}
	if p := ds.parse(f.Price24hPcnt); p.Valid {
		t.Percentage = decimal.NewNullDecimal(p.Decimal.Shift(2))
	}
	if ds.err != nil {
		return nil, ds.err
	}
	t.Complete(m)
	if x.Config().KeepInfo {
		t.Info = *f
	}
	return t, nil
}

// fundingRate converts a derivative ticker's funding fields.
func (x *Exchange) fundingRate(m *unified.Market, f *tickerFields, ts int64) (*unified.FundingRate, error) {
	var ds decimals
	r := &unified.FundingRate{Symbol: m.Symbol, Timestamp: millis(ts), Rate: ds.parse(f.FundingRate),
		MarkPrice: ds.parse(f.MarkPrice), IndexPrice: ds.parse(f.IndexPrice)}
	if f.NextFundingTime != "" {
		next, err := strconv.ParseInt(f.NextFundingTime, 10, 64)
		if err != nil {
			return nil, errors.Wrap(errors.BadResponse, err, "bybit: malformed nextFundingTime")
		}
		r.FundingTime = millis(next)
	}
	if f.FundingInterval != "" {
		r.Interval = f.FundingInterval + "h"
	}
	if ds.err != nil {
		return nil, ds.err
	}
	if x.Config().KeepInfo {
		r.Info = *f
	}
	return r, nil
}

// tickerList is the result of GET /v5/market/tickers.
type tickerList struct {
	Category string         `json:"category"`
	List     []tickerFields `json:"list"`
}

// fetchTickers fetches the tickers of category cat: one market's (id),
// else all of them (options: those of base coin coin, which Bybit needs).
func (x *Exchange) fetchTickers(ctx context.Context, cat, id, coin string) ([]tickerFields, int64, error) {
	var p rest.Params
	p.Add("category", cat)
	switch {
	case id != "":
		p.Add("symbol", id)
	case coin != "":
		p.Add("baseCoin", coin)
	}
	var env envelope
	if err := x.REST().DoJSON(ctx, epTickers, p, &env); err != nil {
		return nil, 0, err
	}
	var res tickerList
	if err := json.Unmarshal(env.Result, &res); err != nil {
		return nil, 0, errors.Wrap(errors.BadResponse, err, "bybit: malformed tickers")
	}
	return res.List, int64(env.Time), nil
}

// fetchTicker fetches the ticker fields of m.
func (x *Exchange) fetchTicker(ctx context.Context, m *unified.Market) (*tickerFields, int64, error) {
	list, ts, err := x.fetchTickers(ctx, categoryOf(m), m.ID, "")
	if err != nil {
		return nil, 0, err
	}
	for i := range list {
		if list[i].Symbol == m.ID {
			return &list[i], ts, nil
		}
	}
	return nil, 0, errors.Newf(errors.BadResponse, "bybit: tickers without "+m.ID)
}

// FetchTicker returns one market's 24-hour ticker.
func (x *Exchange) FetchTicker(ctx context.Context, symbol string, _ ...exchange.Option) (*unified.Ticker, error) {
	m, err := x.market(ctx, symbol)
	if err != nil {
		return nil, err
	}
	f, ts, err := x.fetchTicker(ctx, m)
	if err != nil {
		return nil, err
	}
	return x.ticker(m, f, ts)
}

// FetchTickers returns the tickers of symbols (nil: every market), one
// request per category involved (options: per base coin, as CCXT asks).
func (x *Exchange) FetchTickers(ctx context.Context, symbols []string, _ ...exchange.Option) (map[string]*unified.Ticker, error) {
	snap, err := x.Markets(ctx)
	if err != nil {
		return nil, err
	}
	want := map[string]bool{} // categories to fetch
	var coins []string        // option base coins to fetch
	keep := map[*unified.Market]bool{}
	for _, s := range symbols {
		m, err := snap.Market(s)
		if err != nil {
			return nil, err
		}
		want[categoryOf(m)], keep[m] = true, true
		if m.Option && !slices.Contains(coins, m.BaseID) {
			coins = append(coins, m.BaseID)
		}
	}
	if len(symbols) == 0 {
		for _, c := range x.opts.Categories {
			want[c] = true
		}
		coins = x.opts.OptionBaseCoins
	}
	type tickerCall struct{ cat, coin string }
	var calls []tickerCall
	for _, cat := range x.opts.Categories {
		switch {
		case !want[cat]:
		case cat == CategoryOption:
			for _, coin := range coins {
				calls = append(calls, tickerCall{cat, coin})
			}
		default:
			calls = append(calls, tickerCall{cat, ""})
		}
	}
	out := map[string]*unified.Ticker{}
	for _, c := range calls {
		cat := c.cat
		list, ts, err := x.fetchTickers(ctx, cat, "", c.coin)
		if err != nil {
			return nil, err
		}
		for i := range list {
			m := x.marketOfID(snap, cat, list[i].Symbol)
			if m == nil || (len(symbols) > 0 && !keep[m]) {
				continue
			}
			t, err := x.ticker(m, &list[i], ts)
			if err != nil {
				return nil, err
			}
			out[m.Symbol] = t
		}
	}
	return out, nil
}

// marketOfID returns the market of native id in category cat (the same id
// is a spot and a linear market), or nil.
func (x *Exchange) marketOfID(snap *markets.Snapshot, cat, id string) *unified.Market {
	for _, m := range snap.MarketsByID(id) {
		if categoryOf(m) == cat {
			return m
		}
	}
	return nil
}

// FetchFundingRate returns a perpetual's funding rate from its ticker.
func (x *Exchange) FetchFundingRate(ctx context.Context, symbol string, _ ...exchange.Option) (*unified.FundingRate, error) {
	m, err := x.market(ctx, symbol)
	if err != nil {
		return nil, err
	}
	if !m.Swap {
		return nil, &errors.Error{Kind: errors.BadSymbol, Exchange: ID, Message: symbol + " is not a perpetual"}
	}
	f, ts, err := x.fetchTicker(ctx, m)
	if err != nil {
		return nil, err
	}
	return x.fundingRate(m, f, ts)
}

// bookReply is the result of GET /v5/market/orderbook.
type bookReply struct {
	Symbol string      `json:"s"`
	Bids   [][2]string `json:"b"`
	Asks   [][2]string `json:"a"`
	Time   flexInt     `json:"ts"`
	U      flexInt     `json:"u"`
}

// bookLimits are the deepest REST books (spot 200, futures 500, options 25).
var bookLimits = map[string]int{CategorySpot: 200, CategoryLinear: 500, CategoryInverse: 500, CategoryOption: 25}

// FetchOrderBook returns a REST snapshot; Limit sets the depth (default:
// the deepest the category serves).
func (x *Exchange) FetchOrderBook(ctx context.Context, symbol string, opts ...exchange.Option) (*unified.OrderBook, error) {
	m, err := x.market(ctx, symbol)
	if err != nil {
		return nil, err
	}
	deepest := bookLimits[categoryOf(m)]
	limit := exchange.Apply(opts).Limit
	if limit <= 0 || limit > deepest {
		limit = deepest
	}
	p := marketParams(m)
	p.Add("limit", strconv.Itoa(limit))
	var raw bookReply
	if err := x.call(ctx, epOrderBook, p, &raw); err != nil {
		return nil, err
	}
	var ds decimals
	ob := &unified.OrderBook{Symbol: m.Symbol, Nonce: int64(raw.U), Timestamp: millis(int64(raw.Time)), Bids: ds.levels(raw.Bids), Asks: ds.levels(raw.Asks)}
	if ds.err != nil {
		return nil, ds.err
	}
	return ob, nil
}

// levels parses [price, size] pairs.
func (ds *decimals) levels(rows [][2]string) []unified.Level {
	out := make([]unified.Level, 0, len(rows))
	for _, r := range rows {
		p, a := ds.parse(r[0]), ds.parse(r[1])
		if ds.err == nil && (!p.Valid || !a.Valid) {
			ds.err = errors.Newf(errors.BadResponse, "bybit: a book level without price or size")
		}
		out = append(out, unified.Level{Price: p.Decimal, Amount: a.Decimal})
	}
	return out
}

// restTrade is one entry of recent-trade.
type restTrade struct {
	ExecID       string  `json:"execId"`
	Symbol       string  `json:"symbol"`
	Price        string  `json:"price"`
	Size         string  `json:"size"`
	Side         string  `json:"side"`
	Time         flexInt `json:"time"`
	IsBlockTrade bool    `json:"isBlockTrade"`
}

// tradeLimits are the most recent trades a reply holds (spot 60,
// contracts 1000).
var tradeLimits = map[string]int{CategorySpot: 60, CategoryLinear: 1000, CategoryInverse: 1000, CategoryOption: 1000}

// FetchTrades returns the latest public trades, oldest first (Bybit keeps
// no older history here: Since filters what it returns).
func (x *Exchange) FetchTrades(ctx context.Context, symbol string, opts ...exchange.Option) ([]unified.Trade, error) {
	m, err := x.market(ctx, symbol)
	if err != nil {
		return nil, err
	}
	o := exchange.Apply(opts)
	p := marketParams(m)
	if o.Limit > 0 {
		p.Add("limit", strconv.Itoa(min(o.Limit, tradeLimits[categoryOf(m)])))
	}
	var res struct {
		List []restTrade `json:"list"`
	}
	if err := x.call(ctx, epTrades, p, &res); err != nil {
		return nil, err
	}
	out := make([]unified.Trade, 0, len(res.List))
	for i := len(res.List) - 1; i >= 0; i-- { // newest first on the wire
		r := &res.List[i]
		t, err := newTrade(m, r.ExecID, r.Price, r.Size, r.Side, int64(r.Time))
		if err != nil {
			return nil, err
		}
		if !o.Since.IsZero() && t.Timestamp.Before(o.Since) {
			continue
		}
		if x.Config().KeepInfo {
			t.Info = *r
		}
		out = append(out, t)
	}
	return out, nil
}

// newTrade builds a public trade; side is the taker's ("Buy", "Sell").
func newTrade(m *unified.Market, id, price, qty, side string, ts int64) (unified.Trade, error) {
	var ds decimals
	t := unified.Trade{ID: id, Symbol: m.Symbol, Timestamp: millis(ts), TakerOrMaker: unified.LiquidityTaker,
		Price: ds.parse(price), Amount: ds.parse(qty)}
	switch side {
	case "Buy":
		t.Side = unified.SideBuy
	case "Sell":
		t.Side = unified.SideSell
	default:
		return t, errors.Newf(errors.BadResponse, "bybit: trade "+id+" of "+m.Symbol+" with side "+strconv.Quote(side))
	}
	if ds.err != nil || !t.Price.Valid || !t.Amount.Valid || id == "" {
		return t, errors.Newf(errors.BadResponse, "bybit: malformed trade "+id+" of "+m.Symbol)
	}
	t.Complete(m)
	return t, nil
}

// klineLimit is the most candles one kline reply holds.
const klineLimit = 1000

// intervals maps unified timeframes to Bybit's kline intervals, with the
// span a page window uses (a month counted as its shortest, 28 days).
var intervals = map[string]struct {
	name string
	span time.Duration
}{
	"1m": {"1", time.Minute}, "3m": {"3", 3 * time.Minute}, "5m": {"5", 5 * time.Minute},
	"15m": {"15", 15 * time.Minute}, "30m": {"30", 30 * time.Minute}, "1h": {"60", time.Hour},
	"2h": {"120", 2 * time.Hour}, "4h": {"240", 4 * time.Hour}, "6h": {"360", 6 * time.Hour},
	"12h": {"720", 12 * time.Hour}, "1d": {"D", 24 * time.Hour}, "1w": {"W", 7 * 24 * time.Hour},
	"1M": {"M", 28 * 24 * time.Hour},
}

// interval returns Bybit's name of timeframe.
func interval(timeframe string) (string, time.Duration, error) {
	iv, ok := intervals[timeframe]
	if !ok {
		return "", 0, errors.Newf(errors.BadRequest, "bybit has no timeframe "+strconv.Quote(timeframe))
	}
	return iv.name, iv.span, nil
}

// FetchOHLCV returns candles of timeframe, oldest first. With Since it pages
// forward from there (each page the window [start, start + n intervals),
// as Bybit answers the newest candles of a window) until Limit candles or
// the present; without, the newest Limit (default 200).
func (x *Exchange) FetchOHLCV(ctx context.Context, symbol, timeframe string, opts ...exchange.Option) ([]unified.OHLCV, error) {
	m, err := x.market(ctx, symbol)
	if err != nil {
		return nil, err
	}
	name, span, err := interval(timeframe)
	if err != nil {
		return nil, err
	}
	return adapter.FetchOHLCV(exchange.Apply(opts), klineLimit, 200, func(start int64, n int) ([]unified.OHLCV, error) {
		p := marketParams(m)
		p.Add("interval", name)
		if start > 0 {
			p.Add("start", strconv.FormatInt(start, 10))
			p.Add("end", strconv.FormatInt(start+int64(n)*span.Milliseconds()-1, 10))
		}
		p.Add("limit", strconv.Itoa(n))
		var res struct {
			List [][]string `json:"list"`
		}
		if err := x.call(ctx, epKline, p, &res); err != nil {
			return nil, err
		}
		return parseKlines(res.List)
	})
}

// parseKlines parses [start, open, high, low, close, volume, turnover]
// rows, newest first on the wire, into candles oldest first.
func parseKlines(rows [][]string) ([]unified.OHLCV, error) {
	out := make([]unified.OHLCV, len(rows))
	for i, row := range rows {
		if len(row) < 6 {
			return nil, errors.Newf(errors.BadResponse, "bybit: a kline with fewer than 6 fields")
		}
		ms, err := strconv.ParseInt(row[0], 10, 64)
		if err != nil {
			return nil, errors.Wrap(errors.BadResponse, err, "bybit: a kline's start time")
		}
		c, err := candle(ms, row[1], row[2], row[3], row[4], row[5])
		if err != nil {
			return nil, err
		}
		out[len(rows)-1-i] = c
	}
	return out, nil
}

// candle parses one candle's numbers.
func candle(ms int64, open, high, low, closing, volume string) (unified.OHLCV, error) {
	var nums [5]decimal.Decimal
	for i, s := range [...]string{open, high, low, closing, volume} {
		d, err := decimal.NewFromString(s)
		if err != nil {
			return unified.OHLCV{}, errors.Wrap(errors.BadResponse, err, "bybit: a kline field that is not a decimal")
		}
		nums[i] = d
	}
	return unified.OHLCV{Timestamp: millis(ms), Open: nums[0], High: nums[1], Low: nums[2], Close: nums[3], Volume: nums[4]}, nil
}
