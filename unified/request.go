package unified

import (
	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/errors"
)

// OrderRequest is what a user asks CreateOrder to place: CCXT's createOrder
// arguments with its unified params as typed fields.
//
// TriggerPrice, StopLossPrice, TakeProfitPrice and the trailing fields turn
// the order itself into a conditional order: a trigger order
// (TriggerPrice alone), a stop-loss or a take-profit order (one of
// StopLossPrice, TakeProfitPrice), a one-cancels-the-other pair
// (StopLossPrice with TakeProfitPrice: whichever is reached first places
// its order and cancels the other), or a trailing stop (TrailingAmount or
// TrailingPercent, optionally with TrailingTriggerPrice). These kinds do
// not mix. StopLoss and TakeProfit instead attach conditional orders that
// close the position this order opens. A venue that cannot place a kind
// answers NotSupported before sending anything.
type OrderRequest struct {
	// Symbol is the unified symbol, for example "BTC/USDT:USDT". Required.
	Symbol string
	// Type is market or limit. Required.
	Type OrderType
	// Side is buy or sell. Required.
	Side Side
	// Amount is the amount in base currency, or contracts for derivatives.
	// Required and positive, except for a market order sized by Cost.
	Amount decimal.Decimal
	// Price is the limit price; required for limit orders, ignored by most
	// venues for market orders (some use it to bound slippage).
	Price decimal.NullDecimal
	// Cost sizes a market order in quote currency instead of Amount (CCXT's
	// createMarketOrderWithCost), where the venue supports it.
	Cost decimal.NullDecimal
	// TriggerPrice makes a trigger (stop) order that activates when the price
	// reaches it.
	TriggerPrice decimal.NullDecimal
	// StopLossPrice makes a stop-loss order triggered at this price.
	StopLossPrice decimal.NullDecimal
	// TakeProfitPrice makes a take-profit order triggered at this price.
	// With StopLossPrice it makes a one-cancels-the-other pair.
	TakeProfitPrice decimal.NullDecimal
	// TrailingAmount makes a trailing stop that follows the best price the
	// market reaches (the highest for a sell, the lowest for a buy) at this
	// distance in quote currency, and places a market order when the price
	// comes back by it. CCXT's trailingAmount.
	TrailingAmount decimal.NullDecimal
	// TrailingPercent is TrailingAmount as a percentage of the best price:
	// 5 is 5 %, below 100. CCXT's trailingPercent.
	TrailingPercent decimal.NullDecimal
	// TrailingTriggerPrice is the price at which a trailing stop starts to
	// follow the market (its activation price); absent, it follows from
	// the start. CCXT's trailingTriggerPrice.
	TrailingTriggerPrice decimal.NullDecimal
	// StopLoss attaches a stop-loss order to this one; nil for none.
	StopLoss *AttachedOrder
	// TakeProfit attaches a take-profit order to this one; nil for none.
	TakeProfit *AttachedOrder
	// TimeInForce is the time in force; empty for the venue's default (usually GTC).
	TimeInForce TimeInForce
	// PostOnly asks that the order only make liquidity.
	PostOnly bool
	// ReduceOnly asks that the order only reduce a position.
	ReduceOnly bool
	// ClientOrderID is the user's own id for the order; empty to let the venue
	// (or the adapter's broker prefix) choose.
	ClientOrderID string
	// MarginMode selects cross or isolated margin; empty for the account's default.
	MarginMode MarginMode
	// Leverage sets the leverage with the order, where the venue accepts it there.
	Leverage decimal.NullDecimal
}

// AttachedOrder is a stop-loss or take-profit order attached to another.
type AttachedOrder struct {
	// TriggerPrice is the price that activates the attached order. Required.
	TriggerPrice decimal.Decimal
	// Price is the limit price of the attached order; absent for a market order.
	Price decimal.NullDecimal
}

// Validate checks r for what any venue would reject, before anything is sent.
// A missing required field gives an error that matches
// errors.ArgumentsRequired; a value that cannot be right gives one that
// matches errors.InvalidOrder. Limits of a particular market (tick size,
// minimum amount, notional) are checked by package markets, not here.
func (r *OrderRequest) Validate() error {
	switch {
	case r.Symbol == "":
		return invalidRequest(errors.ArgumentsRequired, "a symbol is required")
	case r.Side == "":
		return invalidRequest(errors.ArgumentsRequired, "a side is required")
	case !r.Side.Valid():
		return invalidRequest(errors.InvalidOrder, "side "+quote(string(r.Side))+" is not buy or sell")
	case r.Type == "":
		return invalidRequest(errors.ArgumentsRequired, "an order type is required")
	case !r.Type.Valid():
		return invalidRequest(errors.InvalidOrder, "order type "+quote(string(r.Type))+" is not market or limit")
	}
	byCost := r.Type == OrderTypeMarket && r.Cost.Valid
	switch {
	case r.Amount.IsNegative():
		return invalidRequest(errors.InvalidOrder, "amount "+r.Amount.String()+" is negative")
	case r.Amount.IsZero() && !byCost:
		return invalidRequest(errors.ArgumentsRequired, "a positive amount is required")
	case r.Cost.Valid && r.Type != OrderTypeMarket:
		return invalidRequest(errors.InvalidOrder, "cost sizes market orders only")
	case byCost && !r.Cost.Decimal.IsPositive():
		return invalidRequest(errors.InvalidOrder, "cost "+r.Cost.Decimal.String()+" is not positive")
	case r.Type == OrderTypeLimit && !r.Price.Valid:
		return invalidRequest(errors.ArgumentsRequired, "a limit order needs a price")
	}
	for _, p := range []struct {
		name  string
		value decimal.NullDecimal
	}{
		{"price", r.Price},
		{"trigger price", r.TriggerPrice},
		{"stop-loss price", r.StopLossPrice},
		{"take-profit price", r.TakeProfitPrice},
		{"trailing amount", r.TrailingAmount},
		{"trailing percent", r.TrailingPercent},
		{"trailing trigger price", r.TrailingTriggerPrice},
		{"leverage", r.Leverage},
	} {
		if p.value.Valid && !p.value.Decimal.IsPositive() {
			return invalidRequest(errors.InvalidOrder, p.name+" "+p.value.Decimal.String()+" is not positive")
		}
	}
	trailing := r.TrailingAmount.Valid || r.TrailingPercent.Valid
	switch {
	case r.TrailingAmount.Valid && r.TrailingPercent.Valid:
		return invalidRequest(errors.InvalidOrder, "a trailing stop has a trailing amount or a trailing percent, not both")
	case r.TrailingPercent.Valid && r.TrailingPercent.Decimal.GreaterThanOrEqual(decimal.NewFromInt(100)):
		return invalidRequest(errors.InvalidOrder, "trailing percent "+r.TrailingPercent.Decimal.String()+" is not below 100")
	case r.TrailingTriggerPrice.Valid && !trailing:
		return invalidRequest(errors.InvalidOrder, "a trailing trigger price needs a trailing amount or percent")
	case trailing && (r.TriggerPrice.Valid || r.StopLossPrice.Valid || r.TakeProfitPrice.Valid):
		return invalidRequest(errors.InvalidOrder, "a trailing stop has no trigger, stop-loss or take-profit price")
	case r.TriggerPrice.Valid && (r.StopLossPrice.Valid || r.TakeProfitPrice.Valid):
		return invalidRequest(errors.InvalidOrder, "a trigger order has no stop-loss or take-profit price (attach them with StopLoss, TakeProfit)")
	}
	if err := r.StopLoss.validate("stop loss"); err != nil {
		return err
	}
	if err := r.TakeProfit.validate("take profit"); err != nil {
		return err
	}
	if r.TimeInForce != "" && !r.TimeInForce.Valid() {
		return invalidRequest(errors.InvalidOrder, "time in force "+quote(string(r.TimeInForce))+" is not GTC, IOC, FOK, PO or GTD")
	}
	postOnly := r.PostOnly || r.TimeInForce == TIFPO
	switch {
	case postOnly && r.Type == OrderTypeMarket:
		return invalidRequest(errors.InvalidOrder, "a market order cannot be post-only")
	case r.PostOnly && (r.TimeInForce == TIFIOC || r.TimeInForce == TIFFOK):
		return invalidRequest(errors.InvalidOrder, "a post-only order cannot be "+string(r.TimeInForce))
	case r.MarginMode != "" && !r.MarginMode.Valid():
		return invalidRequest(errors.InvalidOrder, "margin mode "+quote(string(r.MarginMode))+" is not cross or isolated")
	}
	return nil
}

// validate checks an attached order; nil is valid.
func (a *AttachedOrder) validate(name string) error {
	if a == nil {
		return nil
	}
	if !a.TriggerPrice.IsPositive() {
		return invalidRequest(errors.InvalidOrder, name+" trigger price "+a.TriggerPrice.String()+" is not positive")
	}
	if a.Price.Valid && !a.Price.Decimal.IsPositive() {
		return invalidRequest(errors.InvalidOrder, name+" price "+a.Price.Decimal.String()+" is not positive")
	}
	return nil
}

// invalidRequest builds the error Validate returns.
func invalidRequest(kind *errors.Kind, msg string) error {
	return errors.Newf(kind, "unified: order request: "+msg)
}

// quote returns s as a quoted JSON string, for error messages.
func quote(s string) string {
	return string(appendQuoted(nil, s))
}
