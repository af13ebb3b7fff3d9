package binance

import (
	"context"
	"encoding/json"
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

// FetchTime returns Binance's clock.
func (x *Exchange) FetchTime(ctx context.Context, _ ...exchange.Option) (time.Time, error) {
	var out struct {
		ServerTime int64 `json:"serverTime"`
	}
	if err := x.REST().DoJSON(ctx, x.p.time, rest.Params{}, &out); err != nil {
		return time.Time{}, err
	}
	if out.ServerTime <= 0 {
		return time.Time{}, errors.Newf(errors.BadResponse, "no serverTime in the reply")
	}
	return millis(out.ServerTime), nil
}

// FetchMarkets fetches the product's markets from exchangeInfo.
func (x *Exchange) FetchMarkets(ctx context.Context, _ ...exchange.Option) ([]unified.Market, error) {
	var info exchangeInfo
	if err := x.REST().DoJSON(ctx, x.p.exchangeInfo, rest.Params{}, &info); err != nil {
		return nil, err
	}
	ms, err := parseMarkets(x.p, &info)
	if err != nil {
		return nil, err
	}
	if x.Config().KeepInfo {
		for i := range ms {
			ms[i].Info = info.Symbols[i]
		}
	}
	return ms, nil
}

// market returns the loaded market of symbol.
func (x *Exchange) market(ctx context.Context, symbol string) (*unified.Market, error) {
	snap, err := x.Markets(ctx)
	if err != nil {
		return nil, err
	}
	return snap.Market(symbol)
}

func symbolParam(m *unified.Market) rest.Params {
	var p rest.Params
	p.Add("symbol", m.ID)
	return p
}

func millis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

// depthReply is a REST book: spot and futures (which add E and T).
type depthReply struct {
	LastUpdateID flexInt     `json:"lastUpdateId"`
	EventTime    flexInt     `json:"E"`
	TxTime       flexInt     `json:"T"` // futures: the matching engine's time of the book
	Bids         [][2]string `json:"bids"`
	Asks         [][2]string `json:"asks"`
}

// fetchDepth fetches a REST book of up to limit levels a side.
func (x *Exchange) fetchDepth(ctx context.Context, m *unified.Market, limit int) (*depthReply, error) {
	p := symbolParam(m)
	if limit > 0 {
		p.Add("limit", strconv.Itoa(min(limit, x.p.snapshotDepth)))
	}
	var raw depthReply
	if err := x.REST().DoJSON(ctx, x.p.depth, p, &raw); err != nil {
		return nil, err
	}
	if raw.LastUpdateID <= 0 {
		return nil, errors.Newf(errors.BadResponse, "a depth reply without lastUpdateId")
	}
	return &raw, nil
}

// FetchOrderBook returns a REST snapshot; Limit sets the depth.
func (x *Exchange) FetchOrderBook(ctx context.Context, symbol string, opts ...exchange.Option) (*unified.OrderBook, error) {
	m, err := x.market(ctx, symbol)
	if err != nil {
		return nil, err
	}
	raw, err := x.fetchDepth(ctx, m, exchange.Apply(opts).Limit)
	if err != nil {
		return nil, err
	}
	var ds decimals
	ob := &unified.OrderBook{Symbol: m.Symbol, Nonce: int64(raw.LastUpdateID), Bids: ds.levels(raw.Bids), Asks: ds.levels(raw.Asks)}
	if raw.TxTime > 0 {
		ob.Timestamp = millis(int64(raw.TxTime))
	}
	if ds.err != nil {
		return nil, ds.err
	}
	return ob, nil
}

// bookSnapshot is the engine's REST snapshot of symbol's book, as deep as
// the product serves: diff-depth streams send only changes.
func (x *Exchange) bookSnapshot(ctx context.Context, symbol string) (engine.BookSnapshot, error) {
	m, err := x.market(ctx, symbol)
	if err != nil {
		return engine.BookSnapshot{}, err
	}
	raw, err := x.fetchDepth(ctx, m, x.p.snapshotDepth)
	if err != nil {
		return engine.BookSnapshot{}, err
	}
	u := engine.BookSnapshot{IDs: orderbook.IDs{Last: int64(raw.LastUpdateID)}, Changes: make([]orderbook.Change, 0, len(raw.Bids)+len(raw.Asks))}
	if raw.TxTime > 0 {
		u.Time = millis(int64(raw.TxTime))
	}
	if err := appendChanges(&u.Changes, orderbook.Bid, raw.Bids); err != nil {
		return u, err
	}
	return u, appendChanges(&u.Changes, orderbook.Ask, raw.Asks)
}

// appendChanges parses price/amount pairs of one side.
func appendChanges(dst *[]orderbook.Change, side orderbook.Side, levels [][2]string) error {
	for _, l := range levels {
		price, err := orderbook.ParseNum(l[0])
		if err != nil {
			return err
		}
		amount, err := orderbook.ParseNum(l[1])
		if err != nil {
			return err
		}
		*dst = append(*dst, orderbook.Change{Side: side, Price: price, Amount: amount})
	}
	return nil
}

// levels parses price/amount pairs into unified levels.
func (ds *decimals) levels(raw [][2]string) []unified.Level {
	out := make([]unified.Level, 0, len(raw))
	for _, l := range raw {
		p, a := ds.parse(l[0]), ds.parse(l[1])
		if !p.Valid || !a.Valid {
			if ds.err == nil {
				ds.err = errors.Newf(errors.BadResponse, "a book level without a price or an amount")
			}
			return nil
		}
		out = append(out, unified.Level{Price: p.Decimal, Amount: a.Decimal})
	}
	return out
}

// restTrade is an aggregate trade (GET aggTrades, every product).
type restTrade struct {
	AggID      flexInt `json:"a"`
	Price      string  `json:"p"`
	Qty        string  `json:"q"`
	FirstID    flexInt `json:"f"`
	LastID     flexInt `json:"l"`
	Time       flexInt `json:"T"`
	BuyerMaker bool    `json:"m"`
	BestMatch  bool    `json:"M"` // declared: encoding/json would put "M" into "m"
}

// FetchTrades returns recent public trades, oldest first: aggregate trades
// (fills of one taker order at one price), the only list that pages by
// time on every product. Since keeps those at or after it.
func (x *Exchange) FetchTrades(ctx context.Context, symbol string, opts ...exchange.Option) ([]unified.Trade, error) {
	m, err := x.market(ctx, symbol)
	if err != nil {
		return nil, err
	}
	o := exchange.Apply(opts)
	p := symbolParam(m)
	if !o.Since.IsZero() {
		p.Add("startTime", strconv.FormatInt(o.Since.UnixMilli(), 10))
	}
	if o.Limit > 0 {
		p.Add("limit", strconv.Itoa(min(o.Limit, 1000)))
	}
	var raw []restTrade
	if err := x.REST().DoJSON(ctx, x.p.trades, p, &raw); err != nil {
		return nil, err
	}
	out := make([]unified.Trade, 0, len(raw))
	for _, r := range raw {
		t, err := newTrade(m, strconv.FormatInt(int64(r.AggID), 10), r.Price, r.Qty, int64(r.Time), r.BuyerMaker)
		if err != nil {
			return nil, err
		}
		if !t.Timestamp.Before(o.Since) {
			out = append(out, t)
		}
	}
	return out, nil
}

// newTrade builds a public trade; the taker sold when the buyer was the
// maker.
func newTrade(m *unified.Market, id, price, qty string, ts int64, buyerMaker bool) (unified.Trade, error) {
	var ds decimals
	side := unified.SideBuy
	if buyerMaker {
		side = unified.SideSell
	}
	t := unified.Trade{ID: id, Symbol: m.Symbol, Timestamp: millis(ts), Side: side, TakerOrMaker: unified.LiquidityTaker,
		Price: ds.parse(price), Amount: ds.parse(qty)}
	if ds.err != nil || !t.Price.Valid || !t.Amount.Valid {
		return t, errors.Newf(errors.BadResponse, "malformed trade "+id+" of "+m.Symbol)
	}
	t.Complete(m)
	return t, nil
}

// restTicker is a 24-hour ticker (GET ticker/24hr).
type restTicker struct {
	Symbol             string  `json:"symbol"`
	PriceChange        string  `json:"priceChange"`
	PriceChangePercent string  `json:"priceChangePercent"`
	WeightedAvgPrice   string  `json:"weightedAvgPrice"`
	PrevClosePrice     string  `json:"prevClosePrice"`
	LastPrice          string  `json:"lastPrice"`
	BidPrice           string  `json:"bidPrice"`
	BidQty             string  `json:"bidQty"`
	AskPrice           string  `json:"askPrice"`
	AskQty             string  `json:"askQty"`
	OpenPrice          string  `json:"openPrice"`
	HighPrice          string  `json:"highPrice"`
	LowPrice           string  `json:"lowPrice"`
	Volume             string  `json:"volume"`
	QuoteVolume        string  `json:"quoteVolume"`
	BaseVolume         string  `json:"baseVolume"` // COIN-M: volume is in contracts
	CloseTime          flexInt `json:"closeTime"`
}

// FetchTicker returns the market's 24-hour ticker.
func (x *Exchange) FetchTicker(ctx context.Context, symbol string, _ ...exchange.Option) (*unified.Ticker, error) {
	m, err := x.market(ctx, symbol)
	if err != nil {
		return nil, err
	}
	var raw json.RawMessage
	if err := x.REST().DoJSON(ctx, x.p.ticker24h, symbolParam(m), &raw); err != nil {
		return nil, err
	}
	// COIN-M answers a list even for one symbol.
	var r restTicker
	if len(raw) > 0 && raw[0] == '[' {
		var list []restTicker
		if err := json.Unmarshal(raw, &list); err != nil || len(list) != 1 {
			return nil, errors.Newf(errors.BadResponse, "a ticker reply that is not one ticker")
		}
		r = list[0]
	} else if err := json.Unmarshal(raw, &r); err != nil {
		return nil, errors.Wrap(errors.BadResponse, err, "malformed ticker")
	}
	return x.ticker(m, &r)
}

func (x *Exchange) ticker(m *unified.Market, r *restTicker) (*unified.Ticker, error) {
	var ds decimals
	baseVolume, quoteVolume := r.Volume, r.QuoteVolume
	if x.p.kind == coinm {
		// COIN-M counts volume in contracts and gives the base volume
		// apart: the quote volume is contracts × contract size.
		baseVolume, quoteVolume = r.BaseVolume, ""
		if v, err := decimal.NewFromString(r.Volume); err == nil && m.ContractSize.Valid {
			quoteVolume = v.Mul(m.ContractSize.Decimal).String()
		}
	}
	t := &unified.Ticker{Symbol: m.Symbol, Timestamp: millis(int64(r.CloseTime)), High: ds.parse(r.HighPrice), Low: ds.parse(r.LowPrice),
		Bid: ds.parse(r.BidPrice), BidVolume: ds.parse(r.BidQty), Ask: ds.parse(r.AskPrice), AskVolume: ds.parse(r.AskQty),
		VWAP: ds.parse(r.WeightedAvgPrice), Open: ds.parse(r.OpenPrice), Close: ds.parse(r.LastPrice), Last: ds.parse(r.LastPrice),
		PreviousClose: ds.parse(r.PrevClosePrice), Change: ds.parse(r.PriceChange), Percentage: ds.parse(r.PriceChangePercent),
		BaseVolume: ds.parse(baseVolume), QuoteVolume: ds.parse(quoteVolume)}
	if ds.err != nil {
		return nil, ds.err
	}
	t.Complete(m)
	if x.Config().KeepInfo {
		t.Info = *r
	}
	return t, nil
}

// klineLimit is the most candles one klines reply holds.
const klineLimit = 1000

// FetchOHLCV returns candles of timeframe, oldest first. With Since it pages
// forward from there until Limit candles or the present; without, the
// newest Limit (default 500).
func (x *Exchange) FetchOHLCV(ctx context.Context, symbol, timeframe string, opts ...exchange.Option) ([]unified.OHLCV, error) {
	m, err := x.market(ctx, symbol)
	if err != nil {
		return nil, err
	}
	return adapter.FetchOHLCV(exchange.Apply(opts), klineLimit, 500, func(start int64, n int) ([]unified.OHLCV, error) {
		return x.klines(ctx, m, timeframe, start, n)
	})
}

// klines fetches one page.
func (x *Exchange) klines(ctx context.Context, m *unified.Market, timeframe string, start int64, limit int) ([]unified.OHLCV, error) {
	p := symbolParam(m)
	p.Add("interval", timeframe)
	if start > 0 {
		p.Add("startTime", strconv.FormatInt(start, 10))
	}
	p.Add("limit", strconv.Itoa(limit))
	var raw [][]json.RawMessage
	if err := x.REST().DoJSON(ctx, x.p.klines, p, &raw); err != nil {
		return nil, err
	}
	out := make([]unified.OHLCV, 0, len(raw))
	for _, row := range raw {
		c, err := x.candle(row)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// candle parses [openTime, "o", "h", "l", "c", "volume", closeTime,
// "quoteVolume", ...]; on COIN-M the volume in base currency is the
// eighth field (the sixth counts contracts).
func (x *Exchange) candle(row []json.RawMessage) (unified.OHLCV, error) {
	if len(row) < 8 {
		return unified.OHLCV{}, errors.Newf(errors.BadResponse, "a kline with fewer than 8 fields")
	}
	ms, err := strconv.ParseInt(string(row[0]), 10, 64)
	if err != nil {
		return unified.OHLCV{}, errors.Wrap(errors.BadResponse, err, "a kline's open time")
	}
	volume := 5
	if x.p.kind == coinm {
		volume = 7
	}
	var nums [5]decimal.Decimal
	for i, field := range []int{1, 2, 3, 4, volume} {
		var s string
		if err := json.Unmarshal(row[field], &s); err != nil {
			return unified.OHLCV{}, errors.Wrap(errors.BadResponse, err, "a kline field that is not a decimal string")
		}
		if nums[i], err = decimal.NewFromString(s); err != nil {
			return unified.OHLCV{}, errors.Wrap(errors.BadResponse, err, "a kline field that is not a decimal")
		}
	}
	return unified.OHLCV{Timestamp: millis(ms), Open: nums[0], High: nums[1], Low: nums[2], Close: nums[3], Volume: nums[4]}, nil
}

// FetchTickers returns the 24-hour tickers of symbols (nil: every market),
// in one request.
func (x *Exchange) FetchTickers(ctx context.Context, symbols []string, _ ...exchange.Option) (map[string]*unified.Ticker, error) {
	snap, err := x.Markets(ctx)
	if err != nil {
		return nil, err
	}
	want := make(map[string]bool, len(symbols))
	for _, s := range symbols {
		if _, err := snap.Market(s); err != nil {
			return nil, err
		}
		want[s] = true
	}
	var raw []restTicker
	if err := x.REST().DoJSON(ctx, x.p.ticker24h, rest.Params{}, &raw); err != nil {
		return nil, err
	}
	out := make(map[string]*unified.Ticker, len(raw))
	for i := range raw {
		ms := snap.MarketsByID(raw[i].Symbol)
		if len(ms) == 0 || (len(want) > 0 && !want[ms[0].Symbol]) {
			continue // a symbol not (or no longer) listed in exchangeInfo
		}
		t, err := x.ticker(ms[0], &raw[i])
		if err != nil {
			return nil, err
		}
		out[ms[0].Symbol] = t
	}
	return out, nil
}

// premiumIndex is a futures market's mark price and funding.
type premiumIndex struct {
	Symbol          string `json:"symbol"`
	MarkPrice       string `json:"markPrice"`
	IndexPrice      string `json:"indexPrice"`
	EstSettlePrice  string `json:"estimatedSettlePrice"`
	LastFundingRate string `json:"lastFundingRate"`
	InterestRate    string `json:"interestRate"`
	NextFundingTime int64  `json:"nextFundingTime"`
	Time            int64  `json:"time"`
}

// FetchFundingRate returns a perpetual's current funding rate (futures only).
func (x *Exchange) FetchFundingRate(ctx context.Context, symbol string, _ ...exchange.Option) (*unified.FundingRate, error) {
	m, err := x.market(ctx, symbol)
	if err != nil {
		return nil, err
	}
	if !m.Swap {
		return nil, &errors.Error{Kind: errors.BadSymbol, Exchange: x.p.id, Message: symbol + " is not a perpetual"}
	}
	var raw json.RawMessage
	if err := x.REST().DoJSON(ctx, x.p.premiumIndex, symbolParam(m), &raw); err != nil {
		return nil, err
	}
	var r premiumIndex
	if len(raw) > 0 && raw[0] == '[' { // COIN-M answers a list
		var list []premiumIndex
		if err := json.Unmarshal(raw, &list); err != nil || len(list) != 1 {
			return nil, errors.Newf(errors.BadResponse, "a premiumIndex reply that is not one market")
		}
		r = list[0]
	} else if err := json.Unmarshal(raw, &r); err != nil {
		return nil, errors.Wrap(errors.BadResponse, err, "malformed premiumIndex")
	}
	var ds decimals
	f := &unified.FundingRate{Symbol: m.Symbol, Timestamp: millis(r.Time), Rate: ds.parse(r.LastFundingRate),
		FundingTime: millis(r.NextFundingTime), MarkPrice: ds.parse(r.MarkPrice), IndexPrice: ds.parse(r.IndexPrice),
		EstimatedSettlePrice: ds.parse(r.EstSettlePrice), InterestRate: ds.parse(r.InterestRate)}
	if ds.err != nil {
		return nil, ds.err
	}
	if x.Config().KeepInfo {
		f.Info = r
	}
	return f, nil
}
