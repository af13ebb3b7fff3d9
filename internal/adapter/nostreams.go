package adapter

import (
	"context"

	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/unified"
)

// noStreams is the Streaming face of an adapter without WebSocket: every
// call answers NotSupported.
type noStreams struct{ b *Base }

// Close does nothing: there is nothing to release.
func (noStreams) Close() error { return nil }

// WatchOrderBook is not supported without streams.
func (s noStreams) WatchOrderBook(ctx context.Context, symbol string, opts ...exchange.Option) (*unified.OrderBook, error) {
	return nil, s.b.notSupported("watchOrderBook")
}

// WatchOrderBookForSymbols is not supported without streams.
func (s noStreams) WatchOrderBookForSymbols(ctx context.Context, symbols []string, opts ...exchange.Option) (*unified.OrderBook, error) {
	return nil, s.b.notSupported("watchOrderBookForSymbols")
}

// WatchTrades is not supported without streams.
func (s noStreams) WatchTrades(ctx context.Context, symbol string, opts ...exchange.Option) ([]unified.Trade, error) {
	return nil, s.b.notSupported("watchTrades")
}

// WatchTradesForSymbols is not supported without streams.
func (s noStreams) WatchTradesForSymbols(ctx context.Context, symbols []string, opts ...exchange.Option) ([]unified.Trade, error) {
	return nil, s.b.notSupported("watchTradesForSymbols")
}

// WatchTicker is not supported without streams.
func (s noStreams) WatchTicker(ctx context.Context, symbol string, opts ...exchange.Option) (*unified.Ticker, error) {
	return nil, s.b.notSupported("watchTicker")
}

// WatchTickers is not supported without streams.
func (s noStreams) WatchTickers(ctx context.Context, symbols []string, opts ...exchange.Option) (map[string]*unified.Ticker, error) {
	return nil, s.b.notSupported("watchTickers")
}

// WatchBidsAsks is not supported without streams.
func (s noStreams) WatchBidsAsks(ctx context.Context, symbols []string, opts ...exchange.Option) (map[string]*unified.Ticker, error) {
	return nil, s.b.notSupported("watchBidsAsks")
}

// WatchFundingRate is not supported without streams.
func (s noStreams) WatchFundingRate(ctx context.Context, symbol string, opts ...exchange.Option) (*unified.FundingRate, error) {
	return nil, s.b.notSupported("watchFundingRate")
}

// WatchFundingRates is not supported without streams.
func (s noStreams) WatchFundingRates(ctx context.Context, symbols []string, opts ...exchange.Option) (map[string]*unified.FundingRate, error) {
	return nil, s.b.notSupported("watchFundingRates")
}

// WatchOHLCV is not supported without streams.
func (s noStreams) WatchOHLCV(ctx context.Context, symbol, timeframe string, opts ...exchange.Option) ([]unified.OHLCV, error) {
	return nil, s.b.notSupported("watchOHLCV")
}

// WatchBalance is not supported without streams.
func (s noStreams) WatchBalance(ctx context.Context, opts ...exchange.Option) (*unified.Balances, error) {
	return nil, s.b.notSupported("watchBalance")
}

// WatchOrders is not supported without streams.
func (s noStreams) WatchOrders(ctx context.Context, symbol string, opts ...exchange.Option) ([]unified.Order, error) {
	return nil, s.b.notSupported("watchOrders")
}

// WatchMyTrades is not supported without streams.
func (s noStreams) WatchMyTrades(ctx context.Context, symbol string, opts ...exchange.Option) ([]unified.Trade, error) {
	return nil, s.b.notSupported("watchMyTrades")
}

// WatchPositions is not supported without streams.
func (s noStreams) WatchPositions(ctx context.Context, symbols []string, opts ...exchange.Option) ([]unified.Position, error) {
	return nil, s.b.notSupported("watchPositions")
}

// UnwatchOrderBook is not supported without streams.
func (s noStreams) UnwatchOrderBook(ctx context.Context, symbol string) error {
	return s.b.notSupported("unWatchOrderBook")
}

// UnwatchTrades is not supported without streams.
func (s noStreams) UnwatchTrades(ctx context.Context, symbol string) error {
	return s.b.notSupported("unWatchTrades")
}

// UnwatchTicker is not supported without streams.
func (s noStreams) UnwatchTicker(ctx context.Context, symbol string) error {
	return s.b.notSupported("unWatchTicker")
}

// UnwatchOHLCV is not supported without streams.
func (s noStreams) UnwatchOHLCV(ctx context.Context, symbol, timeframe string) error {
	return s.b.notSupported("unWatchOHLCV")
}

// UnwatchBidsAsks is not supported without streams.
func (s noStreams) UnwatchBidsAsks(ctx context.Context, symbols []string) error {
	return s.b.notSupported("unWatchBidsAsks")
}

// UnwatchFundingRate is not supported without streams.
func (s noStreams) UnwatchFundingRate(ctx context.Context, symbol string) error {
	return s.b.notSupported("unWatchFundingRate")
}

// OrderBook is not supported without streams.
func (s noStreams) OrderBook(symbol string, depth int) (*unified.OrderBook, error) {
	return nil, s.b.notSupported("watchOrderBook")
}
