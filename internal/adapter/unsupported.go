package adapter

import (
	"context"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/unified"
)

// The REST methods an adapter does not override answer NotSupported. An
// adapter overrides a method by defining it on its own type, which embeds
// *Base, and lists the matching feature in Spec.Features.

// FetchMarkets is not supported unless the adapter overrides it.
func (b *Base) FetchMarkets(ctx context.Context, opts ...exchange.Option) ([]unified.Market, error) {
	return nil, b.notSupported("fetchMarkets")
}

// FetchCurrencies is not supported unless the adapter overrides it.
func (b *Base) FetchCurrencies(ctx context.Context, opts ...exchange.Option) ([]unified.Currency, error) {
	return nil, b.notSupported("fetchCurrencies")
}

// FetchTime is not supported unless the adapter overrides it.
func (b *Base) FetchTime(ctx context.Context, opts ...exchange.Option) (time.Time, error) {
	return time.Time{}, b.notSupported("fetchTime")
}

// FetchTicker is not supported unless the adapter overrides it.
func (b *Base) FetchTicker(ctx context.Context, symbol string, opts ...exchange.Option) (*unified.Ticker, error) {
	return nil, b.notSupported("fetchTicker")
}

// FetchTickers is not supported unless the adapter overrides it.
func (b *Base) FetchTickers(ctx context.Context, symbols []string, opts ...exchange.Option) (map[string]*unified.Ticker, error) {
	return nil, b.notSupported("fetchTickers")
}

// FetchOrderBook is not supported unless the adapter overrides it.
func (b *Base) FetchOrderBook(ctx context.Context, symbol string, opts ...exchange.Option) (*unified.OrderBook, error) {
	return nil, b.notSupported("fetchOrderBook")
}

// FetchTrades is not supported unless the adapter overrides it.
func (b *Base) FetchTrades(ctx context.Context, symbol string, opts ...exchange.Option) ([]unified.Trade, error) {
	return nil, b.notSupported("fetchTrades")
}

// FetchOHLCV is not supported unless the adapter overrides it.
func (b *Base) FetchOHLCV(ctx context.Context, symbol, timeframe string, opts ...exchange.Option) ([]unified.OHLCV, error) {
	return nil, b.notSupported("fetchOHLCV")
}

// FetchFundingRate is not supported unless the adapter overrides it.
func (b *Base) FetchFundingRate(ctx context.Context, symbol string, opts ...exchange.Option) (*unified.FundingRate, error) {
	return nil, b.notSupported("fetchFundingRate")
}

// CreateOrder is not supported unless the adapter overrides it.
func (b *Base) CreateOrder(ctx context.Context, req unified.OrderRequest, opts ...exchange.Option) (*unified.Order, error) {
	return nil, b.notSupported("createOrder")
}

// EditOrder is not supported unless the adapter overrides it.
func (b *Base) EditOrder(ctx context.Context, id string, req unified.OrderRequest, opts ...exchange.Option) (*unified.Order, error) {
	return nil, b.notSupported("editOrder")
}

// CancelOrder is not supported unless the adapter overrides it.
func (b *Base) CancelOrder(ctx context.Context, id, symbol string, opts ...exchange.Option) (*unified.Order, error) {
	return nil, b.notSupported("cancelOrder")
}

// CancelAllOrders is not supported unless the adapter overrides it.
func (b *Base) CancelAllOrders(ctx context.Context, symbol string, opts ...exchange.Option) ([]unified.Order, error) {
	return nil, b.notSupported("cancelAllOrders")
}

// FetchOrder is not supported unless the adapter overrides it.
func (b *Base) FetchOrder(ctx context.Context, id, symbol string, opts ...exchange.Option) (*unified.Order, error) {
	return nil, b.notSupported("fetchOrder")
}

// FetchOrders is not supported unless the adapter overrides it.
func (b *Base) FetchOrders(ctx context.Context, symbol string, opts ...exchange.Option) ([]unified.Order, error) {
	return nil, b.notSupported("fetchOrders")
}

// FetchOpenOrders is not supported unless the adapter overrides it.
func (b *Base) FetchOpenOrders(ctx context.Context, symbol string, opts ...exchange.Option) ([]unified.Order, error) {
	return nil, b.notSupported("fetchOpenOrders")
}

// FetchClosedOrders is not supported unless the adapter overrides it.
func (b *Base) FetchClosedOrders(ctx context.Context, symbol string, opts ...exchange.Option) ([]unified.Order, error) {
	return nil, b.notSupported("fetchClosedOrders")
}

// FetchMyTrades is not supported unless the adapter overrides it.
func (b *Base) FetchMyTrades(ctx context.Context, symbol string, opts ...exchange.Option) ([]unified.Trade, error) {
	return nil, b.notSupported("fetchMyTrades")
}

// CreateOrderWs is not supported unless the adapter overrides it.
func (b *Base) CreateOrderWs(ctx context.Context, req unified.OrderRequest, opts ...exchange.Option) (*unified.Order, error) {
	return nil, b.notSupported("createOrderWs")
}

// EditOrderWs is not supported unless the adapter overrides it.
func (b *Base) EditOrderWs(ctx context.Context, id string, req unified.OrderRequest, opts ...exchange.Option) (*unified.Order, error) {
	return nil, b.notSupported("editOrderWs")
}

// CancelOrderWs is not supported unless the adapter overrides it.
func (b *Base) CancelOrderWs(ctx context.Context, id, symbol string, opts ...exchange.Option) (*unified.Order, error) {
	return nil, b.notSupported("cancelOrderWs")
}

// FetchBalance is not supported unless the adapter overrides it.
func (b *Base) FetchBalance(ctx context.Context, opts ...exchange.Option) (*unified.Balances, error) {
	return nil, b.notSupported("fetchBalance")
}

// FetchPositions is not supported unless the adapter overrides it.
func (b *Base) FetchPositions(ctx context.Context, symbols []string, opts ...exchange.Option) ([]unified.Position, error) {
	return nil, b.notSupported("fetchPositions")
}

// SetLeverage is not supported unless the adapter overrides it.
func (b *Base) SetLeverage(ctx context.Context, leverage decimal.Decimal, symbol string, opts ...exchange.Option) error {
	return b.notSupported("setLeverage")
}

// FetchLeverage is not supported unless the adapter overrides it.
func (b *Base) FetchLeverage(ctx context.Context, symbol string, opts ...exchange.Option) (*unified.Leverage, error) {
	return nil, b.notSupported("fetchLeverage")
}

// FetchLedger is not supported unless the adapter overrides it.
func (b *Base) FetchLedger(ctx context.Context, code string, opts ...exchange.Option) ([]unified.LedgerEntry, error) {
	return nil, b.notSupported("fetchLedger")
}

// FetchDepositAddress is not supported unless the adapter overrides it.
func (b *Base) FetchDepositAddress(ctx context.Context, code string, opts ...exchange.Option) (*unified.DepositAddress, error) {
	return nil, b.notSupported("fetchDepositAddress")
}

// FetchDeposits is not supported unless the adapter overrides it.
func (b *Base) FetchDeposits(ctx context.Context, code string, opts ...exchange.Option) ([]unified.Transaction, error) {
	return nil, b.notSupported("fetchDeposits")
}

// FetchWithdrawals is not supported unless the adapter overrides it.
func (b *Base) FetchWithdrawals(ctx context.Context, code string, opts ...exchange.Option) ([]unified.Transaction, error) {
	return nil, b.notSupported("fetchWithdrawals")
}

// Withdraw is not supported unless the adapter overrides it.
func (b *Base) Withdraw(ctx context.Context, code string, amount decimal.Decimal, address, tag string, opts ...exchange.Option) (*unified.Transaction, error) {
	return nil, b.notSupported("withdraw")
}
