package unified

import (
	"time"

	"github.com/shopspring/decimal"
)

// Position is an open contract position, with CCXT's position structure.
type Position struct {
	// ID is the venue's position id, where it has one.
	ID string
	// Symbol is the unified symbol.
	Symbol string
	// Timestamp is the time of the position's state; zero when unknown.
	Timestamp time.Time
	// LastUpdateTimestamp is the time of the position's last change; zero when unknown.
	LastUpdateTimestamp time.Time
	// Side is long or short.
	Side PositionSide
	// Contracts is the size of the position in contracts.
	Contracts decimal.NullDecimal
	// ContractSize is the base amount (quote for inverse contracts) one contract represents.
	ContractSize decimal.NullDecimal
	// EntryPrice is the average entry price.
	EntryPrice decimal.NullDecimal
	// MarkPrice is the current mark price.
	MarkPrice decimal.NullDecimal
	// LastPrice is the last traded price.
	LastPrice decimal.NullDecimal
	// Notional is the position's value in settle currency.
	Notional decimal.NullDecimal
	// Leverage is the position's leverage.
	Leverage decimal.NullDecimal
	// Collateral is the margin backing the position, including unrealised PnL.
	Collateral decimal.NullDecimal
	// InitialMargin is the margin required to open the position.
	InitialMargin decimal.NullDecimal
	// InitialMarginPercentage is InitialMargin / Notional.
	InitialMarginPercentage decimal.NullDecimal
	// MaintenanceMargin is the margin required to keep the position open.
	MaintenanceMargin decimal.NullDecimal
	// MaintenanceMarginPercentage is MaintenanceMargin / Notional.
	MaintenanceMarginPercentage decimal.NullDecimal
	// MarginRatio is MaintenanceMargin / Collateral; liquidation comes at 1.
	MarginRatio decimal.NullDecimal
	// UnrealizedPnl is the profit or loss at MarkPrice.
	UnrealizedPnl decimal.NullDecimal
	// RealizedPnl is the profit or loss already realised.
	RealizedPnl decimal.NullDecimal
	// Percentage is UnrealizedPnl / InitialMargin × 100.
	Percentage decimal.NullDecimal
	// LiquidationPrice is the mark price at which the position is liquidated.
	LiquidationPrice decimal.NullDecimal
	// MarginMode is cross or isolated; empty when unknown.
	MarginMode MarginMode
	// Hedged tells whether the account holds long and short positions apart; nil when unknown.
	Hedged *bool
	// StopLossPrice is the trigger price of a stop loss attached to the position.
	StopLossPrice decimal.NullDecimal
	// TakeProfitPrice is the trigger price of a take profit attached to the position.
	TakeProfitPrice decimal.NullDecimal
	// Info is the native payload when Info retention is on.
	Info any
}
