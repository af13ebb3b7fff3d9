package markets

import (
	"cmp"

	"github.com/shopspring/decimal"
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/unified"
)

// Order is what ValidateOrder checks: the numbers of an order about to be sent.
// A zero decimal means "not given".
type Order struct {
	// Amount is the order size in base currency, or in contracts for
	// derivatives. Zero only for a market order priced by Cost.
	Amount decimal.Decimal
	// Price is the limit price. For a market order it is optional: when given
	// it serves as the reference price for the cost (notional) limits.
	Price decimal.Decimal
	// Cost, for a market order priced in quote currency (binance's
	// quoteOrderQty, "buy 100 USDT worth"), is that quote amount; Amount must
	// then be zero. Zero otherwise.
	Cost decimal.Decimal
	// IsMarket is true for a market order, false for a limit order.
	IsMarket bool
}

// ValidateOrder checks an order against m's precision and limits before
// anything is sent, and returns the order as it should be sent: Amount
// truncated to the amount precision, a limit Price rounded to the price
// precision, Cost truncated to the cost precision (else the price precision),
// each as CCXT's createOrder would. Write the returned values with their
// String method, or with AmountRule/PriceRule Format for padded venues.
//
// The checks, on the values after rounding:
//   - Amount > 0, and not zero after truncation to the amount step;
//     within Limits.Amount; for market orders also within Limits.Market.
//   - limit orders: Price > 0 and not zero after rounding; within Limits.Price.
//     Market orders skip price precision and price limits (no price is sent).
//   - cost (notional) within Limits.Cost when it can be known: Cost for
//     quote-priced market orders; else price × amount × contract size
//     (contract size 1 when the market gives none), where a market order's
//     price is its reference price (leave it zero to skip cost checks, for
//     venues that do not apply them to market orders). For inverse contracts,
//     whose contracts are worth a fixed amount of quote currency, the notional
//     is amount × contract size / price, in base currency, and Limits.Cost is
//     read in those units. All comparisons are exact (inverse ones are
//     cross-multiplied, never divided).
//
// A limit that is null, or a maximum of 0 (how venues publish "none"), is
// not checked. A violated limit gives an *errors.Error of kind
// errors.InvalidOrder whose message names the limit and the value, for
// example "amount 0.00001 is below the minimum 0.0001 for BTC/USDT". A nil
// market or an invalid market precision gives errors.BadRequest.
func ValidateOrder(m *unified.Market, o Order) (Order, error) {
	if m == nil {
		return Order{}, errors.Newf(errors.BadRequest, "no market given")
	}
	if o.Amount.Sign() < 0 || o.Price.Sign() < 0 || o.Cost.Sign() < 0 {
		return Order{}, invalid("amount, price and cost must not be negative for " + m.Symbol)
	}
	if !o.Cost.IsZero() {
		return validateCostOrder(m, o)
	}
	if o.Amount.IsZero() {
		return Order{}, invalid("amount must be positive for " + m.Symbol)
	}

	ar := AmountRule(m)
	amount, msg := ar.round(o.Amount, Truncate)
	if msg != "" {
		return Order{}, errors.Newf(errors.BadRequest, "amount precision of "+m.Symbol+": "+msg)
	}
	if amount.IsZero() {
		return Order{}, invalid("amount " + o.Amount.String() + " is 0 at the amount precision " + precisionText(ar) + " for " + m.Symbol)
	}
	if err := checkRange("amount", amount, o.Amount, m.Limits.Amount, m.Symbol); err != nil {
		return Order{}, err
	}
	if o.IsMarket {
		if err := checkRange("market order amount", amount, o.Amount, m.Limits.Market, m.Symbol); err != nil {
			return Order{}, err
		}
	}

	price := o.Price
	if !o.IsMarket {
		if price.IsZero() {
			return Order{}, invalid("limit order needs a positive price for " + m.Symbol)
		}
		pr := PriceRule(m)
		var msg string
		price, msg = pr.round(o.Price, Round)
		if msg != "" {
			return Order{}, errors.Newf(errors.BadRequest, "price precision of "+m.Symbol+": "+msg)
		}
		if price.IsZero() {
			return Order{}, invalid("price " + o.Price.String() + " is 0 at the price precision " + precisionText(pr) + " for " + m.Symbol)
		}
		if err := checkRange("price", price, o.Price, m.Limits.Price, m.Symbol); err != nil {
			return Order{}, err
		}
	}

	if !price.IsZero() {
		if err := checkNotional(m, amount, price); err != nil {
			return Order{}, err
		}
	}
	return Order{Amount: amount, Price: price, IsMarket: o.IsMarket}, nil
}

// validateCostOrder checks a market order priced in quote currency.
func validateCostOrder(m *unified.Market, o Order) (Order, error) {
	if !o.IsMarket {
		return Order{}, invalid("cost is only for market orders, for " + m.Symbol)
	}
	if !o.Amount.IsZero() {
		return Order{}, invalid("give amount or cost, not both, for " + m.Symbol)
	}
	cr := costRule(m)
	cost, msg := cr.round(o.Cost, Truncate)
	if msg != "" {
		return Order{}, errors.Newf(errors.BadRequest, "cost precision of "+m.Symbol+": "+msg)
	}
	if cost.IsZero() {
		return Order{}, invalid("cost " + o.Cost.String() + " is 0 at the precision " + precisionText(cr) + " for " + m.Symbol)
	}
	if err := checkRange("cost", cost, o.Cost, m.Limits.Cost, m.Symbol); err != nil {
		return Order{}, err
	}
	return Order{Cost: cost, Price: o.Price, IsMarket: true}, nil
}

// checkNotional checks price × amount × contract size (or its inverse form)
// against m.Limits.Cost.
func checkNotional(m *unified.Market, amount, price decimal.Decimal) error {
	lim := m.Limits.Cost
	if !lim.Min.Valid && !lim.Max.Valid {
		return nil
	}
	size := decimal.NewFromInt(1)
	if m.ContractSize.Valid && m.ContractSize.Decimal.Sign() > 0 {
		size = m.ContractSize.Decimal
	}
	if !m.Inverse {
		cost := amount.Mul(price).Mul(size)
		return checkRange("cost", cost, cost, lim, m.Symbol)
	}
	// notional = amount·size/price; compare amount·size with bound·price.
	value := amount.Mul(size)
	shown := func() string {
		return "cost " + value.DivRound(price, 16).String() + " (amount × contract size / price)"
	}
	if lim.Min.Valid && cmpDec(value, lim.Min.Decimal.Mul(price)) < 0 {
		return invalid(shown() + " is below the minimum " + lim.Min.Decimal.String() + " for " + m.Symbol)
	}
	if lim.Max.Valid && lim.Max.Decimal.Sign() > 0 && cmpDec(value, lim.Max.Decimal.Mul(price)) > 0 {
		return invalid(shown() + " is above the maximum " + lim.Max.Decimal.String() + " for " + m.Symbol)
	}
	return nil
}

// checkRange checks v, the rounded form of the caller's given value, against
// lim. A zero maximum is treated as absent: venues publish 0 for "no limit"
// (binance's maxPrice "0" when the price filter is off).
func checkRange(name string, v, given decimal.Decimal, lim unified.MinMax, symbol string) error {
	if lim.Min.Valid && cmpDec(v, lim.Min.Decimal) < 0 {
		return invalid(name + " " + valueText(v, given) + " is below the minimum " + lim.Min.Decimal.String() + " for " + symbol)
	}
	if lim.Max.Valid && lim.Max.Decimal.Sign() > 0 && cmpDec(v, lim.Max.Decimal) > 0 {
		return invalid(name + " " + valueText(v, given) + " is above the maximum " + lim.Max.Decimal.String() + " for " + symbol)
	}
	return nil
}

// cmpDec compares a and b like a.Cmp(b), without allocating when both fit
// in 18 digits at a common exponent.
func cmpDec(a, b decimal.Decimal) int {
	e := min(a.Exponent(), b.Exponent())
	if x, ok := aligned(a, e); ok {
		if y, ok := aligned(b, e); ok {
			return cmp.Compare(x, y)
		}
	}
	return a.Cmp(b)
}

// valueText shows a rounded value, with the caller's value when they differ.
func valueText(rounded, given decimal.Decimal) string {
	if rounded.Equal(given) {
		return rounded.String()
	}
	return given.String() + " (" + rounded.String() + " at the market's precision)"
}

// invalid returns an InvalidOrder error.
func invalid(msg string) error { return errors.Newf(errors.InvalidOrder, msg) }
