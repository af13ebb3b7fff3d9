package exchange

import (
	"context"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/markets"
	"github.com/unifex-go/unifex/unified"
)

// MarketData is the public, unauthenticated REST face of an exchange.
type MarketData interface {
	// LoadMarkets loads the markets once and shares them (reload forces a
	// fresh load); every symbol-taking method loads them on first use.
	LoadMarkets(ctx context.Context, reload bool) (*markets.Snapshot, error)
	// FetchMarkets fetches the markets from the venue, bypassing the registry.
	FetchMarkets(ctx context.Context, opts ...Option) ([]unified.Market, error)
	// FetchCurrencies fetches the venue's currencies.
	FetchCurrencies(ctx context.Context, opts ...Option) ([]unified.Currency, error)
	// FetchTime returns the venue's clock.
	FetchTime(ctx context.Context, opts ...Option) (time.Time, error)
	// FetchTicker returns one market's ticker.
	FetchTicker(ctx context.Context, symbol string, opts ...Option) (*unified.Ticker, error)
	// FetchTickers returns tickers by symbol; nil symbols means all markets.
	FetchTickers(ctx context.Context, symbols []string, opts ...Option) (map[string]*unified.Ticker, error)
	// FetchOrderBook returns a book snapshot; Limit sets the depth.
	FetchOrderBook(ctx context.Context, symbol string, opts ...Option) (*unified.OrderBook, error)
	// FetchTrades returns recent public trades, oldest first.
	FetchTrades(ctx context.Context, symbol string, opts ...Option) ([]unified.Trade, error)
	// FetchOHLCV returns candles of timeframe ("1m", "1h", "1d", ...), oldest
	// first, paging back through history when Since reaches past one reply.
	FetchOHLCV(ctx context.Context, symbol, timeframe string, opts ...Option) ([]unified.OHLCV, error)
	// FetchFundingRate returns a perpetual's current funding rate.
	FetchFundingRate(ctx context.Context, symbol string, opts ...Option) (*unified.FundingRate, error)
}

// Trading places, changes, cancels and lists the account's orders.
type Trading interface {
	// CreateOrder validates req against the market's limits, then places it.
	CreateOrder(ctx context.Context, req unified.OrderRequest, opts ...Option) (*unified.Order, error)
	// EditOrder changes an open order (or cancels and replaces it where the
	// venue has no amend).
	EditOrder(ctx context.Context, id string, req unified.OrderRequest, opts ...Option) (*unified.Order, error)
	// CancelOrder cancels one order.
	CancelOrder(ctx context.Context, id, symbol string, opts ...Option) (*unified.Order, error)
	// CancelAllOrders cancels every open order of symbol ("" for all, where
	// the venue allows it).
	CancelAllOrders(ctx context.Context, symbol string, opts ...Option) ([]unified.Order, error)
	// FetchOrder returns one order.
	FetchOrder(ctx context.Context, id, symbol string, opts ...Option) (*unified.Order, error)
	// FetchOrders returns open and closed orders.
	FetchOrders(ctx context.Context, symbol string, opts ...Option) ([]unified.Order, error)
	// FetchOpenOrders returns open orders.
	FetchOpenOrders(ctx context.Context, symbol string, opts ...Option) ([]unified.Order, error)
	// FetchClosedOrders returns closed and canceled orders.
	FetchClosedOrders(ctx context.Context, symbol string, opts ...Option) ([]unified.Order, error)
	// FetchMyTrades returns the account's fills.
	FetchMyTrades(ctx context.Context, symbol string, opts ...Option) ([]unified.Trade, error)
	// CreateOrderWs places an order over the venue's WebSocket order entry.
	CreateOrderWs(ctx context.Context, req unified.OrderRequest, opts ...Option) (*unified.Order, error)
	// EditOrderWs changes an open order over the venue's WebSocket order
	// entry, as EditOrder does over REST: the same request, the same ways
	// of amending (or canceling and replacing) and the same result.
	EditOrderWs(ctx context.Context, id string, req unified.OrderRequest, opts ...Option) (*unified.Order, error)
	// CancelOrderWs cancels an order over the venue's WebSocket order entry.
	CancelOrderWs(ctx context.Context, id, symbol string, opts ...Option) (*unified.Order, error)
}

// Account reads balances and positions and sets account parameters.
type Account interface {
	// FetchBalance returns the account's balances.
	FetchBalance(ctx context.Context, opts ...Option) (*unified.Balances, error)
	// FetchPositions returns open positions; nil symbols means all.
	FetchPositions(ctx context.Context, symbols []string, opts ...Option) ([]unified.Position, error)
	// SetLeverage sets the leverage of symbol.
	SetLeverage(ctx context.Context, leverage decimal.Decimal, symbol string, opts ...Option) error
	// FetchLeverage returns the leverage symbol is set to, for long and
	// short positions apart where the venue keeps them apart.
	FetchLeverage(ctx context.Context, symbol string, opts ...Option) (*unified.Leverage, error)
	// FetchLedger returns the account's ledger of currency code ("" for all).
	FetchLedger(ctx context.Context, code string, opts ...Option) ([]unified.LedgerEntry, error)
}

// Funding moves currency in and out of the account.
type Funding interface {
	// FetchDepositAddress returns the deposit address of a currency.
	FetchDepositAddress(ctx context.Context, code string, opts ...Option) (*unified.DepositAddress, error)
	// FetchDeposits returns deposits of code ("" for all).
	FetchDeposits(ctx context.Context, code string, opts ...Option) ([]unified.Transaction, error)
	// FetchWithdrawals returns withdrawals of code ("" for all).
	FetchWithdrawals(ctx context.Context, code string, opts ...Option) ([]unified.Transaction, error)
	// Withdraw sends amount of code to address (tag: memo or destination tag, "" for none).
	Withdraw(ctx context.Context, code string, amount decimal.Decimal, address, tag string, opts ...Option) (*unified.Transaction, error)
}

// Streaming is the WebSocket face: blocking Watch* calls that return when
// their topic has changed since this consumer's last return (DESIGN §4),
// the matching Unwatch* calls, and the non-blocking order book accessor.
//
// With Config.NewUpdates, list-returning watches (trades, OHLCV, orders, my
// trades, positions) return only what arrived since this consumer's last
// return; if the cache overwrote unseen items the call returns what is left
// together with an error that matches errors.CacheOverflow.
type Streaming interface {
	// WatchOrderBook returns the book each time it changes; Limit sets the depth.
	WatchOrderBook(ctx context.Context, symbol string, opts ...Option) (*unified.OrderBook, error)
	// WatchOrderBookForSymbols returns whichever of the books changed.
	WatchOrderBookForSymbols(ctx context.Context, symbols []string, opts ...Option) (*unified.OrderBook, error)
	// WatchTrades returns the symbol's public trades.
	WatchTrades(ctx context.Context, symbol string, opts ...Option) ([]unified.Trade, error)
	// WatchTradesForSymbols returns public trades of any of the symbols.
	WatchTradesForSymbols(ctx context.Context, symbols []string, opts ...Option) ([]unified.Trade, error)
	// WatchTicker returns the symbol's ticker each time it changes.
	WatchTicker(ctx context.Context, symbol string, opts ...Option) (*unified.Ticker, error)
	// WatchTickers returns the changed tickers by symbol.
	WatchTickers(ctx context.Context, symbols []string, opts ...Option) (map[string]*unified.Ticker, error)
	// WatchBidsAsks returns, by symbol, the best bids and asks that changed:
	// tickers that carry only Bid, BidVolume, Ask and AskVolume (and the
	// venue's Timestamp where it sends one), from the venue's real-time
	// top-of-book stream.
	WatchBidsAsks(ctx context.Context, symbols []string, opts ...Option) (map[string]*unified.Ticker, error)
	// WatchOHLCV returns the candles of timeframe.
	WatchOHLCV(ctx context.Context, symbol, timeframe string, opts ...Option) ([]unified.OHLCV, error)
	// WatchFundingRate returns a contract's funding rate, mark and index
	// price (and the venue's estimated settlement price) each time they
	// change. A symbol that is not a contract fails with BadSymbol.
	WatchFundingRate(ctx context.Context, symbol string, opts ...Option) (*unified.FundingRate, error)
	// WatchFundingRates returns, by symbol, the funding rates that changed.
	WatchFundingRates(ctx context.Context, symbols []string, opts ...Option) (map[string]*unified.FundingRate, error)
	// WatchBalance returns the balances each time they change.
	WatchBalance(ctx context.Context, opts ...Option) (*unified.Balances, error)
	// WatchOrders returns the account's orders of symbol ("" for all).
	WatchOrders(ctx context.Context, symbol string, opts ...Option) ([]unified.Order, error)
	// WatchMyTrades returns the account's fills of symbol ("" for all).
	WatchMyTrades(ctx context.Context, symbol string, opts ...Option) ([]unified.Trade, error)
	// WatchPositions returns the account's positions; nil symbols means all.
	WatchPositions(ctx context.Context, symbols []string, opts ...Option) ([]unified.Position, error)

	// UnwatchOrderBook unsubscribes the book and frees it.
	UnwatchOrderBook(ctx context.Context, symbol string) error
	// UnwatchTrades unsubscribes the symbol's trades.
	UnwatchTrades(ctx context.Context, symbol string) error
	// UnwatchTicker unsubscribes the symbol's ticker.
	UnwatchTicker(ctx context.Context, symbol string) error
	// UnwatchOHLCV unsubscribes the symbol's candles of timeframe.
	UnwatchOHLCV(ctx context.Context, symbol, timeframe string) error
	// UnwatchBidsAsks unsubscribes the best bids and asks of symbols.
	UnwatchBidsAsks(ctx context.Context, symbols []string) error
	// UnwatchFundingRate unsubscribes the symbol's funding rate.
	UnwatchFundingRate(ctx context.Context, symbol string) error

	// OrderBook returns the current cached book of a watched symbol without
	// waiting, limited to depth levels (0: all): the throttled-polling
	// accessor. It fails when the book is not watched, not yet synced, or
	// invalid (with the typed reason).
	OrderBook(symbol string, depth int) (*unified.OrderBook, error)
}

// Consumer is an independent reader of an exchange's live topics: its Watch*
// calls keep their own cursors, so two consumers never take updates from
// each other (DESIGN §4). Topics are shared: a consumer's first watch of a
// topic already live sends nothing to the venue.
type Consumer interface {
	Streaming
	// Close releases the consumer's cursors; its topics stay live while
	// other consumers watch them. Calls after Close fail.
	Close() error
}

// Exchange is one venue behind the unified interface. Every method is safe
// for concurrent use. A method the venue or the adapter does not offer
// returns an error that matches errors.NotSupported; Has tells in advance.
//
// The Exchange is itself the default Consumer of its topics.
type Exchange interface {
	MarketData
	Trading
	Account
	Funding
	Streaming

	// ID returns the adapter id, for example "binance".
	ID() string
	// Has reports whether the exchange supports a unified method.
	Has(f Feature) bool
	// Features lists the supported unified methods.
	Features() Features
	// NewConsumer returns an independent consumer of the live topics.
	NewConsumer() Consumer
	// Close ends every connection and goroutine the exchange started; waiting
	// calls return an error that matches errors.ExchangeClosedByUser.
	// It is idempotent.
	Close() error
}
