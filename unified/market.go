package unified

import (
	"time"

	"github.com/shopspring/decimal"
)

// MarketType is the kind of instrument a market trades.
type MarketType string

// The market types, named as CCXT names them.
const (
	Spot   MarketType = "spot"
	Margin MarketType = "margin"
	Swap   MarketType = "swap"
	Future MarketType = "future"
	Option MarketType = "option"
)

// PrecisionMode says how a market's Precision values are to be read.
type PrecisionMode int

// The precision modes. The numbers are CCXT's constants.
const (
	// DecimalPlaces: a precision of 2 means two digits after the point.
	DecimalPlaces PrecisionMode = 2
	// SignificantDigits: a precision of 5 means five significant digits (bitfinex prices).
	SignificantDigits PrecisionMode = 3
	// TickSize: a precision of 0.01 means multiples of 0.01. Most venues.
	TickSize PrecisionMode = 4
)

// String returns the mode's name.
func (m PrecisionMode) String() string {
	switch m {
	case DecimalPlaces:
		return "DECIMAL_PLACES"
	case SignificantDigits:
		return "SIGNIFICANT_DIGITS"
	case TickSize:
		return "TICK_SIZE"
	}
	return "UNKNOWN"
}

// OptionType is call or put.
type OptionType string

// The option types.
const (
	Call OptionType = "call"
	Put  OptionType = "put"
)

// MinMax is an inclusive range; either end may be absent.
type MinMax struct {
	// Min is the lower bound; absent when there is none.
	Min decimal.NullDecimal
	// Max is the upper bound; absent when there is none.
	Max decimal.NullDecimal
}

// Limits are a market's order limits as the venue publishes them.
type Limits struct {
	// Amount bounds the order amount in base currency (contracts for derivatives).
	Amount MinMax
	// Price bounds the limit price.
	Price MinMax
	// Cost bounds the notional value, price × amount (× contract size).
	Cost MinMax
	// Leverage bounds the leverage.
	Leverage MinMax
	// Market bounds the amount of market orders where the venue sets it apart.
	Market MinMax
}

// Precision holds a market's precision values, read per the market's PrecisionMode.
type Precision struct {
	// Amount is the amount step (TickSize) or digits.
	Amount decimal.NullDecimal
	// Price is the price tick (TickSize) or digits.
	Price decimal.NullDecimal
	// Cost is the cost precision, where the venue gives one.
	Cost decimal.NullDecimal
	// Base is the base currency precision, where the venue gives one.
	Base decimal.NullDecimal
	// Quote is the quote currency precision, where the venue gives one.
	Quote decimal.NullDecimal
}

// MarginModes tells which margin modes a market allows.
type MarginModes struct {
	// Cross is true when cross margin is allowed.
	Cross bool
	// Isolated is true when isolated margin is allowed.
	Isolated bool
}

// Market is one tradable instrument, with CCXT's market structure.
type Market struct {
	// ID is the venue's native id, for example "BTCUSDT".
	ID string
	// Symbol is the unified symbol, for example "BTC/USDT:USDT".
	Symbol string
	// Base, Quote and Settle are unified currency codes; Settle is empty for spot.
	Base, Quote, Settle string
	// BaseID, QuoteID and SettleID are the venue's native currency ids.
	BaseID, QuoteID, SettleID string
	// Type is the market type.
	Type MarketType
	// SubType is "linear" or "inverse" for contracts, empty for spot.
	SubType string
	// Spot, Margin, Swap, Future and Option mirror Type (Margin may be true for a spot market).
	Spot, Margin, Swap, Future, Option bool
	// Active is false when the market is not trading; nil when unknown.
	Active *bool
	// Contract is true for swaps, futures and options.
	Contract bool
	// Linear is true for contracts settled in the quote currency.
	Linear bool
	// Inverse is true for contracts settled in the base currency.
	Inverse bool
	// Taker and Maker are fee rates, for example 0.001.
	Taker, Maker decimal.NullDecimal
	// ContractSize is the base amount one contract represents (or quote for inverse).
	ContractSize decimal.NullDecimal
	// Expiry is the settlement time of futures and options; zero for perpetuals.
	Expiry time.Time
	// Strike is an option's strike price.
	Strike decimal.NullDecimal
	// OptionType is call or put for options.
	OptionType OptionType
	// PrecisionMode says how Precision is read.
	PrecisionMode PrecisionMode
	// Precision holds the price and amount precision.
	Precision Precision
	// Limits holds the order limits.
	Limits Limits
	// MarginModes tells which margin modes are allowed.
	MarginModes MarginModes
	// Created is when the market was listed; zero when unknown.
	Created time.Time
	// Info is the native payload when Info retention is on.
	Info any
}

// AddNetwork adds n to c.Networks (under n.Network) and folds it into
// the currency's own fields as CCXT summarises a currency's networks: Active,
// Deposit and Withdraw true when any network's is (false when every known
// one is false), the coarsest precision, the lowest minimums and the
// highest withdrawal maximum. The fee, which venues choose differently (the
// default network's, the cheapest), is left to the caller.
func (c *Currency) AddNetwork(n Network) {
	if c.Networks == nil {
		c.Networks = map[string]Network{}
	}
	c.Networks[n.Network] = n
	c.Active = anyEnabled(c.Active, n.Active)
	c.Deposit = anyEnabled(c.Deposit, n.Deposit)
	c.Withdraw = anyEnabled(c.Withdraw, n.Withdraw)
	c.Precision = extreme(c.Precision, n.Precision, 1)
	c.Limits.Withdraw.Min = extreme(c.Limits.Withdraw.Min, n.Limits.Withdraw.Min, -1)
	c.Limits.Withdraw.Max = extreme(c.Limits.Withdraw.Max, n.Limits.Withdraw.Max, 1)
	c.Limits.Deposit.Min = extreme(c.Limits.Deposit.Min, n.Limits.Deposit.Min, -1)
}

// anyEnabled folds a network's flag into the currency's.
func anyEnabled(cur, n *bool) *bool {
	if n == nil || cur != nil && *cur {
		return cur
	}
	v := *n
	return &v
}

// extreme keeps the larger (sign 1) or smaller (sign -1) of two optional
// decimals.
func extreme(cur, n decimal.NullDecimal, sign int) decimal.NullDecimal {
	if !n.Valid || cur.Valid && n.Decimal.Cmp(cur.Decimal) != sign {
		return cur
	}
	return n
}

// Network is one chain a currency can move on.
type Network struct {
	// ID is the venue's network id.
	ID string
	// Network is the unified network code, for example "ERC20".
	Network string
	// Active, Deposit and Withdraw tell what is enabled; nil when unknown.
	Active, Deposit, Withdraw *bool
	// Fee is the withdrawal fee.
	Fee decimal.NullDecimal
	// Precision is the amount precision on this network.
	Precision decimal.NullDecimal
	// Limits bounds withdrawals and deposits.
	Limits CurrencyLimits
	// Info is the native payload when Info retention is on.
	Info any
}

// CurrencyLimits bounds withdrawals and deposits.
type CurrencyLimits struct {
	// Withdraw bounds withdrawal amounts.
	Withdraw MinMax
	// Deposit bounds deposit amounts.
	Deposit MinMax
}

// Currency is one asset, with CCXT's currency structure.
type Currency struct {
	// ID is the venue's native id, for example "XBT".
	ID string
	// Code is the unified code, for example "BTC".
	Code string
	// Name is the long name, for example "Bitcoin".
	Name string
	// Active, Deposit and Withdraw tell what is enabled; nil when unknown.
	Active, Deposit, Withdraw *bool
	// Fee is the default withdrawal fee.
	Fee decimal.NullDecimal
	// Precision is the amount precision, read per the venue's precision mode.
	Precision decimal.NullDecimal
	// Limits bounds withdrawals and deposits.
	Limits CurrencyLimits
	// Networks maps unified network codes to networks.
	Networks map[string]Network
	// Info is the native payload when Info retention is on.
	Info any
}
