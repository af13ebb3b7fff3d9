// Package unified holds the data structures every unifex adapter returns, the
// same for every exchange, with the fields of CCXT's unified structures:
// Market and Currency, Ticker, Trade, OHLCV, OrderBook and Level, Balances,
// Order, Position, Leverage, FundingRate, Transaction, DepositAddress and LedgerEntry,
// and OrderRequest, what a user asks CreateOrder to place.
//
// # Values
//
// Prices, amounts, costs, fees and balances are exact decimals
// (github.com/shopspring/decimal), never float64. A value a venue may leave
// out is a decimal.NullDecimal, whose Valid false is CCXT's null; values that
// are always present (a book level, a candle) are plain decimal.Decimal.
// Times are time.Time in UTC, the zero time when unknown. Enumerations (Side,
// OrderType, TimeInForce, OrderStatus, MarginMode, ...) are string types whose
// values are CCXT's spellings. Each structure keeps the venue's native
// payload in Info when the user asks for it, and nil otherwise.
//
// # Completing what the venue left out
//
// Venues report different subsets of the same facts: one sends open and
// last, another last and the change in percent. After copying what the venue
// sent, an adapter calls the structure's Complete method, which derives the
// missing fields from the present ones by the rules of CCXT's safeTicker,
// safeTrade, safeOrder, safeBalance and safeLedgerEntry, in exact decimal
// arithmetic:
//
//	t := unified.Ticker{Symbol: "BTC/USDT", Open: open, Last: last}
//	t.Complete(&market) // Close, Change, Percentage and Average now set
//
// Divisions truncate toward zero at 18 decimal places, as CCXT's Precise
// string arithmetic does, so derived values print as CCXT prints them. Each
// method's documentation lists its rules and the few places where unifex
// departs from CCXT on purpose. TradeCost gives the value of a trade in spot,
// linear and inverse markets.
//
// # JSON
//
// Every structure encodes to and decodes from the JSON CCXT prints: camelCase
// field names, null for absent values, decimals as exact JSON numbers (never
// through float64, and never quoted), times as Unix milliseconds plus an ISO
// 8601 datetime, order book levels and candles as arrays. The encoding does
// not depend on shopspring's package-level settings. Decoding errors match
// errors.BadResponse.
package unified
