package main

import (
	"context"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/adapter"
	"github.com/unifex-go/unifex/unified"
)

// The fake venue the tests register next to sim: built on internal/adapter,
// it answers a few methods with fixed data or with the errors the command
// must explain, and everything else with NotSupported.
const (
	fakeID      = "fake"
	fakeGoodKey = "fake-good-key" // the one API key FetchBalance accepts
)

func init() {
	exchange.Register(fakeID, func(cfg exchange.Config) (exchange.Exchange, error) { return newFake(cfg) })
}

// fakeVenue is the fake exchange.
type fakeVenue struct {
	*adapter.Base
	key string
}

// fakeTime is the time of everything the fake venue returns.
var fakeTime = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)

// num is a decimal literal, for fixtures.
func num(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// opt is an optional decimal literal, for fixtures.
func opt(s string) decimal.NullDecimal { return decimal.NewNullDecimal(num(s)) }

// fakeMarkets are the fake venue's markets.
var fakeMarkets = []unified.Market{
	{ID: "BTCUSDT", Symbol: "BTC/USDT", Base: "BTC", Quote: "USDT", Type: unified.Spot, Spot: true, PrecisionMode: unified.TickSize,
		Precision: unified.Precision{Price: opt("0.1"), Amount: opt("0.001")},
		Limits:    unified.Limits{Amount: unified.MinMax{Min: opt("0.001")}, Cost: unified.MinMax{Min: opt("10")}}},
	{ID: "ETHUSDT", Symbol: "ETH/USDT", Base: "ETH", Quote: "USDT", Type: unified.Spot, Spot: true, PrecisionMode: unified.TickSize,
		Precision: unified.Precision{Price: opt("0.01"), Amount: opt("0.01")}},
}

// newFake builds the fake venue with cfg's API key.
func newFake(cfg exchange.Config) (*fakeVenue, error) {
	base, err := adapter.New(adapter.Spec{
		ID:     fakeID,
		Config: cfg,
		Features: exchange.NewFeatures(exchange.FeatureLoadMarkets, exchange.FeatureFetchTicker, exchange.FeatureFetchOrderBook,
			exchange.FeatureFetchTrades, exchange.FeatureFetchBalance, exchange.FeatureCancelOrder,
			exchange.FeatureFetchLedger), // listed, but left to the Base: it answers NotSupported
		LoadMarkets: func(context.Context) ([]unified.Market, []unified.Currency, error) { return fakeMarkets, nil, nil },
	})
	if err != nil {
		return nil, err
	}
	return &fakeVenue{Base: base, key: cfg.APIKey}, nil
}

// FetchTicker returns a fixed ticker of a listed symbol, or BadSymbol.
func (f *fakeVenue) FetchTicker(ctx context.Context, symbol string, _ ...exchange.Option) (*unified.Ticker, error) {
	snap, err := f.LoadMarkets(ctx, false)
	if err != nil {
		return nil, err
	}
	if _, err := snap.Market(symbol); err != nil {
		return nil, err
	}
	return &unified.Ticker{Symbol: symbol, Timestamp: fakeTime, Bid: opt("100"), Ask: opt("100.5"), Last: opt("100.2")}, nil
}

// FetchOrderBook returns fakeBook.
func (f *fakeVenue) FetchOrderBook(context.Context, string, ...exchange.Option) (*unified.OrderBook, error) {
	return fakeBook(), nil
}

// FetchTrades fails as a venue that is down does.
func (f *fakeVenue) FetchTrades(context.Context, string, ...exchange.Option) ([]unified.Trade, error) {
	return nil, &errors.Error{Kind: errors.ExchangeNotAvailable, Exchange: fakeID, HTTPStatus: 502, Message: "the venue is down"}
}

// FetchBalance needs fakeGoodKey. The error for any other key names the
// key, as some venues' errors do: the command must not print it.
func (f *fakeVenue) FetchBalance(context.Context, ...exchange.Option) (*unified.Balances, error) {
	switch f.key {
	case "":
		return nil, &errors.Error{Kind: errors.AuthenticationError, Exchange: fakeID, Message: "an API key is required"}
	case fakeGoodKey:
		return &unified.Balances{Currencies: map[string]unified.Balance{"USDT": {Free: opt("10"), Used: opt("0"), Total: opt("10")}}}, nil
	}
	return nil, &errors.Error{Kind: errors.AuthenticationError, Exchange: fakeID, Code: "401", Message: "API key " + f.key + " is not known"}
}

// CancelOrder needs a symbol, as some venues do.
func (f *fakeVenue) CancelOrder(_ context.Context, id, symbol string, _ ...exchange.Option) (*unified.Order, error) {
	if symbol == "" {
		return nil, &errors.Error{Kind: errors.ArgumentsRequired, Exchange: fakeID, Message: "cancelOrder needs a symbol"}
	}
	return &unified.Order{ID: id, Symbol: symbol, Status: unified.StatusCanceled}, nil
}

// fakeBook is a small fixed book.
func fakeBook() *unified.OrderBook {
	return &unified.OrderBook{
		Symbol:    "BTC/USDT",
		Timestamp: fakeTime,
		Nonce:     42,
		Bids:      []unified.Level{{Price: num("100"), Amount: num("1.5")}, {Price: num("99.5"), Amount: num("0.25")}, {Price: num("99"), Amount: num("10")}},
		Asks:      []unified.Level{{Price: num("100.5"), Amount: num("2")}, {Price: num("101.25"), Amount: num("0.125")}, {Price: num("102"), Amount: num("3")}},
	}
}
