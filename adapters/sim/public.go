package sim

import (
	"context"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/adapter"
	"github.com/unifex-go/unifex/internal/rest"
	"github.com/unifex-go/unifex/unified"
)

// The venue's public endpoints.
var (
	timeEndpoint       = rest.Endpoint{API: "public", Path: "/time", Weight: 1}
	marketsEndpoint    = rest.Endpoint{API: "public", Path: "/markets", Weight: 5}
	currenciesEndpoint = rest.Endpoint{API: "public", Path: "/currencies", Weight: 5}
	tickerEndpoint     = rest.Endpoint{API: "public", Path: "/ticker", Weight: 1}
	tickersEndpoint    = rest.Endpoint{API: "public", Path: "/tickers", Weight: 5}
	depthEndpoint      = rest.Endpoint{API: "public", Path: "/depth", Weight: 2}
	tradesEndpoint     = rest.Endpoint{API: "public", Path: "/trades", Weight: 2}
	klinesEndpoint     = rest.Endpoint{API: "public", Path: "/klines", Weight: 2}
	fundingEndpoint    = rest.Endpoint{API: "public", Path: "/funding", Weight: 1}
)

// maxLimit is the most items one reply of the venue holds.
const maxLimit = 1000

// FetchTime returns the venue's clock.
func (x *Exchange) FetchTime(ctx context.Context, _ ...exchange.Option) (time.Time, error) {
	var out struct {
		ServerTime int64 `json:"serverTime"`
	}
	if err := x.REST().DoJSON(ctx, timeEndpoint, rest.Params{}, &out); err != nil {
		return time.Time{}, err
	}
	if out.ServerTime <= 0 {
		return time.Time{}, errors.Newf(errors.BadResponse, "no server time in the reply")
	}
	return millis(out.ServerTime), nil
}

// FetchMarkets fetches the venue's markets.
func (x *Exchange) FetchMarkets(ctx context.Context, _ ...exchange.Option) ([]unified.Market, error) {
	var raw []wireMarket
	if err := x.REST().DoJSON(ctx, marketsEndpoint, rest.Params{}, &raw); err != nil {
		return nil, err
	}
	out := make([]unified.Market, 0, len(raw))
	for _, r := range raw {
		m, err := r.unified()
		if err != nil {
			return nil, err
		}
		if x.Config().KeepInfo {
			m.Info = r
		}
		out = append(out, m)
	}
	return out, nil
}

// FetchCurrencies fetches the venue's currencies.
func (x *Exchange) FetchCurrencies(ctx context.Context, _ ...exchange.Option) ([]unified.Currency, error) {
	var raw []struct {
		Code     string `json:"code"`
		Name     string `json:"name"`
		Decimals int32  `json:"decimals"`
	}
	if err := x.REST().DoJSON(ctx, currenciesEndpoint, rest.Params{}, &raw); err != nil {
		return nil, err
	}
	out := make([]unified.Currency, 0, len(raw))
	for _, r := range raw {
		if r.Code == "" || r.Decimals < 0 || r.Decimals > 18 {
			return nil, errors.Newf(errors.BadResponse, "malformed currency "+strconv.Quote(r.Code))
		}
		c := unified.Currency{ID: r.Code, Code: r.Code, Name: r.Name, Precision: decimal.NewNullDecimal(decimal.New(1, -r.Decimals))}
		if x.Config().KeepInfo {
			c.Info = r
		}
		out = append(out, c)
	}
	return out, nil
}

// FetchTicker returns one market's ticker.
func (x *Exchange) FetchTicker(ctx context.Context, symbol string, _ ...exchange.Option) (*unified.Ticker, error) {
	m, err := x.market(ctx, symbol)
	if err != nil {
		return nil, err
	}
	var raw wireTicker
	if err := x.REST().DoJSON(ctx, tickerEndpoint, marketParam(m), &raw); err != nil {
		return nil, err
	}
	return x.ticker(m, &raw)
}

// FetchTickers returns the tickers of symbols (nil: every market).
func (x *Exchange) FetchTickers(ctx context.Context, symbols []string, _ ...exchange.Option) (map[string]*unified.Ticker, error) {
	snap, err := x.Markets(ctx)
	if err != nil {
		return nil, err
	}
	want, err := symbolSet(snap, symbols)
	if err != nil {
		return nil, err
	}
	var raw []wireTicker
	if err := x.REST().DoJSON(ctx, tickersEndpoint, rest.Params{}, &raw); err != nil {
		return nil, err
	}
	out := make(map[string]*unified.Ticker, len(raw))
	for i := range raw {
		m, err := x.marketByID(snap, raw[i].Market)
		if err != nil {
			return nil, err
		}
		if len(want) > 0 && !want[m.Symbol] {
			continue
		}
		t, err := x.ticker(m, &raw[i])
		if err != nil {
			return nil, err
		}
		out[m.Symbol] = t
	}
	return out, nil
}

// FetchOrderBook returns a snapshot of the book; Limit sets the depth.
func (x *Exchange) FetchOrderBook(ctx context.Context, symbol string, opts ...exchange.Option) (*unified.OrderBook, error) {
	m, err := x.market(ctx, symbol)
	if err != nil {
		return nil, err
	}
	p := marketParam(m)
	if limit := exchange.Apply(opts).Limit; limit > 0 {
		p.Add("limit", strconv.Itoa(min(limit, maxLimit)))
	}
	var raw struct {
		Seq  int64       `json:"seq"`
		TS   int64       `json:"ts"`
		Bids [][2]string `json:"bids"`
		Asks [][2]string `json:"asks"`
	}
	if err := x.REST().DoJSON(ctx, depthEndpoint, p, &raw); err != nil {
		return nil, err
	}
	bids, err := levels(raw.Bids)
	if err != nil {
		return nil, err
	}
	asks, err := levels(raw.Asks)
	if err != nil {
		return nil, err
	}
	return &unified.OrderBook{Symbol: m.Symbol, Bids: bids, Asks: asks, Timestamp: millis(raw.TS), Nonce: raw.Seq}, nil
}

// levels parses price/amount pairs.
func levels(raw [][2]string) ([]unified.Level, error) {
	out := make([]unified.Level, len(raw))
	for i, l := range raw {
		p, err1 := decimal.NewFromString(l[0])
		a, err2 := decimal.NewFromString(l[1])
		if err1 != nil || err2 != nil {
			return nil, errors.Newf(errors.BadResponse, "malformed book level")
		}
		out[i] = unified.Level{Price: p, Amount: a}
	}
	return out, nil
}

// FetchTrades returns the market's recent trades, oldest first; Since
// keeps those at or after it, Limit the newest so many.
func (x *Exchange) FetchTrades(ctx context.Context, symbol string, opts ...exchange.Option) ([]unified.Trade, error) {
	m, err := x.market(ctx, symbol)
	if err != nil {
		return nil, err
	}
	o := exchange.Apply(opts)
	p := marketParam(m)
	p.Add("limit", strconv.Itoa(maxLimit))
	var raw []wireTrade
	if err := x.REST().DoJSON(ctx, tradesEndpoint, p, &raw); err != nil {
		return nil, err
	}
	out := make([]unified.Trade, 0, len(raw))
	for i := range raw {
		t, err := x.trade(m, &raw[i])
		if err != nil {
			return nil, err
		}
		if !t.Timestamp.Before(o.Since) {
			out = append(out, t)
		}
	}
	return newest(out, o.Limit), nil
}

// FetchOHLCV returns candles of timeframe, oldest first. With Since it
// pages forward from there through the venue's history until Limit
// candles (all up to now without a Limit); without, the newest Limit
// (default 500).
func (x *Exchange) FetchOHLCV(ctx context.Context, symbol, timeframe string, opts ...exchange.Option) ([]unified.OHLCV, error) {
	m, err := x.market(ctx, symbol)
	if err != nil {
		return nil, err
	}
	return adapter.FetchOHLCV(exchange.Apply(opts), maxLimit, 500, func(start int64, n int) ([]unified.OHLCV, error) {
		return x.klines(ctx, m, timeframe, start, n)
	})
}

// klines fetches one page of candles.
func (x *Exchange) klines(ctx context.Context, m *unified.Market, timeframe string, start int64, limit int) ([]unified.OHLCV, error) {
	p := marketParam(m)
	p.Add("interval", timeframe)
	if start > 0 {
		p.Add("start", strconv.FormatInt(start, 10))
	}
	p.Add("limit", strconv.Itoa(limit))
	var raw [][]any
	if err := x.REST().DoJSON(ctx, klinesEndpoint, p, &raw); err != nil {
		return nil, err
	}
	return candles(raw)
}

// FetchFundingRate returns the perpetual's funding rate.
func (x *Exchange) FetchFundingRate(ctx context.Context, symbol string, _ ...exchange.Option) (*unified.FundingRate, error) {
	m, err := x.market(ctx, symbol)
	if err != nil {
		return nil, err
	}
	if !m.Swap {
		return nil, &errors.Error{Kind: errors.BadSymbol, Exchange: ID, Message: symbol + " is not a perpetual"}
	}
	var raw wireFunding
	if err := x.REST().DoJSON(ctx, fundingEndpoint, marketParam(m), &raw); err != nil {
		return nil, err
	}
	return x.funding(m, &raw)
}

// market returns the loaded market of symbol.
func (x *Exchange) market(ctx context.Context, symbol string) (*unified.Market, error) {
	snap, err := x.Markets(ctx)
	if err != nil {
		return nil, err
	}
	return snap.Market(symbol)
}

func marketParam(m *unified.Market) rest.Params {
	var p rest.Params
	p.Add("market", m.ID)
	return p
}

// newest keeps the last limit items (all when limit <= 0).
func newest[T any](items []T, limit int) []T {
	if limit > 0 && len(items) > limit {
		return items[len(items)-limit:]
	}
	return items
}
