package unified

import (
	"time"

	"github.com/shopspring/decimal"
)

// Order is an order as the venue reports it, with CCXT's order structure.
type Order struct {
	// ID is the venue's order id.
	ID string
	// ClientOrderID is the id the user gave the order, if any.
	ClientOrderID string
	// Timestamp is when the order was placed; zero when unknown.
	Timestamp time.Time
	// LastTradeTimestamp is the time of the order's last fill; zero when unknown or unfilled.
	LastTradeTimestamp time.Time
	// LastUpdateTimestamp is the time of the order's last change of any kind; zero when unknown.
	LastUpdateTimestamp time.Time
	// Symbol is the unified symbol.
	Symbol string
	// Type is the order type.
	Type OrderType
	// TimeInForce is the time in force; empty when unknown.
	TimeInForce TimeInForce
	// PostOnly tells whether the order may only make liquidity; nil when unknown.
	PostOnly *bool
	// ReduceOnly tells whether the order may only reduce a position; nil when unknown.
	ReduceOnly *bool
	// Side is buy or sell.
	Side Side
	// Price is the limit price; for market orders, the average fill price after Complete.
	Price decimal.NullDecimal
	// TriggerPrice is the price that activates a trigger (stop) order. CCXT's
	// deprecated stopPrice is the same value; the JSON encoding writes both.
	TriggerPrice decimal.NullDecimal
	// TakeProfitPrice is the trigger price of a take-profit order.
	TakeProfitPrice decimal.NullDecimal
	// StopLossPrice is the trigger price of a stop-loss order.
	StopLossPrice decimal.NullDecimal
	// Amount is the ordered amount in base currency, or contracts for derivatives.
	Amount decimal.NullDecimal
	// Filled is the amount executed so far.
	Filled decimal.NullDecimal
	// Remaining is Amount − Filled.
	Remaining decimal.NullDecimal
	// Cost is the value executed so far in quote currency (settle currency for inverse contracts).
	Cost decimal.NullDecimal
	// Average is the average fill price.
	Average decimal.NullDecimal
	// Status is the order's state; empty when unknown.
	Status OrderStatus
	// Fee is the order's fee when it has exactly one.
	Fee Fee
	// Fees are all the order's fees.
	Fees []Fee
	// Trades are the order's fills when the venue reports them with the order.
	Trades []Trade
	// Info is the native payload when Info retention is on.
	Info any
}

// Complete fills the fields a venue left out that follow from the others, by
// the rules of CCXT's safeOrder. m is the order's market, or nil when unknown
// (then the contract size is 1 and the market linear). Call it once, after an
// adapter has copied the venue's fields in. A second call changes nothing
// except that it may fill PostOnly from the TimeInForce the first call
// defaulted, which CCXT leaves unknown.
//
// The rules, in order:
//
//   - A zero Amount, Average or Price counts as missing.
//   - Each of Trades is completed (Trade.Complete with m). When the order
//     carries trades, a missing Filled is their amounts summed, a missing Cost
//     their costs summed, a zero LastTradeTimestamp the latest of their
//     times; an empty Symbol or Side is taken from the last trade, an empty
//     Type from the first and an empty ID from the first trade's Order.
//   - Fees: when the order has no Fees, its trades' fees are gathered;
//     fees are summed per currency and rate (as Trade.Complete does); when the
//     order has a Fee and nothing else is found, Fees is [Fee]; when it has
//     no Fee and exactly one fee is found, Fee is that one.
//   - Any two of Amount, Filled and Remaining give the third; on a closed
//     order a missing Amount is Filled, a missing Filled is Amount and a
//     missing Remaining is zero.
//   - Average = Cost / (Filled × contract size), or for inverse contracts
//     (Filled × contract size) / Cost, when Filled is positive.
//   - A missing Cost not summed from trades is Filled × contract size ×
//     price, or for inverse contracts Filled × contract size / price, where
//     price is Average, else Price.
//   - A market order without a Price gets Price = Average.
//   - TimeInForce: a market order that is not a trigger, stop-loss or
//     take-profit order defaults to IOC; PostOnly true makes it PO; a known
//     TimeInForce with PostOnly nil sets PostOnly to TimeInForce == PO.
//
// Divisions truncate toward zero at 18 decimal places, as CCXT's Precise does.
//
// Two CCXT behaviours are deliberately not reproduced. CCXT recomputes a
// trade-summed Cost as Filled × Average, which reintroduces the truncation
// of Average (10 over three fills of 1 becomes 9.999999999999999999);
// Complete keeps the exact sum. And CCXT appends the trades' fees to Fees
// the order already carries, counting them twice (and again on every later
// pass); Complete gathers trade fees only into empty Fees.
func (o *Order) Complete(m *Market) {
	amount := omitZero(o.Amount)
	filled := o.Filled
	remaining := o.Remaining
	cost := o.Cost
	average := omitZero(o.Average)
	price := omitZero(o.Price)
	parseFilled := !filled.Valid
	parseCost := !cost.Valid
	parseFee := o.Fee.IsZero()
	parseFees := len(o.Fees) == 0
	var gathered []Fee
	costFromTrades := false
	if len(o.Trades) > 0 {
		for i := range o.Trades {
			o.Trades[i].Complete(m)
		}
		first, last := &o.Trades[0], &o.Trades[len(o.Trades)-1]
		if o.Symbol == "" {
			o.Symbol = last.Symbol
		}
		if o.Side == "" {
			o.Side = last.Side
		}
		if o.Type == "" {
			o.Type = first.Type
		}
		if o.ID == "" {
			o.ID = first.Order
		}
		zero := present(decimal.Zero)
		if parseFilled {
			filled = zero
		}
		if parseCost {
			cost = zero
		}
		parseLast := o.LastTradeTimestamp.IsZero()
		for i := range o.Trades {
			tr := &o.Trades[i]
			if parseFilled && tr.Amount.Valid {
				filled = add(filled, tr.Amount)
			}
			if parseCost && tr.Cost.Valid {
				cost = add(cost, tr.Cost)
				costFromTrades = true
			}
			if parseLast && tr.Timestamp.After(o.LastTradeTimestamp) {
				o.LastTradeTimestamp = tr.Timestamp
			}
			if parseFees {
				gathered = append(gathered, tr.Fees...)
			}
		}
	}
	if parseFee || parseFees {
		var reduced []Fee
		if parseFees {
			reduced = reduceFees(gathered)
		} else {
			reduced = reduceFees(o.Fees)
		}
		if !parseFee && len(reduced) == 0 {
			reduced = []Fee{o.Fee}
		}
		o.Fees = reduced
		if parseFee && len(reduced) == 1 {
			o.Fee = reduced[0]
		}
	}
	closed := o.Status == StatusClosed
	if !amount.Valid {
		if filled.Valid && remaining.Valid {
			amount = add(filled, remaining)
		} else if closed {
			amount = filled
		}
	}
	if !filled.Valid {
		if amount.Valid && remaining.Valid {
			filled = sub(amount, remaining)
		} else if closed && amount.Valid {
			filled = amount
		}
	}
	if !remaining.Valid {
		if amount.Valid && filled.Valid {
			remaining = sub(amount, filled)
		} else if closed {
			remaining = present(decimal.Zero)
		}
	}
	inverse := m != nil && m.Inverse
	contractSize := present(decOne)
	if m != nil && m.ContractSize.Valid {
		contractSize = m.ContractSize
	}
	if !average.Valid && filled.Valid && cost.Valid && filled.Decimal.IsPositive() {
		contracts := mul(filled, contractSize)
		if inverse {
			average = quo(contracts, cost, divPlaces)
		} else {
			average = quo(cost, contracts, divPlaces)
		}
	}
	if parseCost && !costFromTrades && filled.Valid && (average.Valid || price.Valid) {
		p := average
		if !p.Valid {
			p = price
		}
		contracts := mul(filled, contractSize)
		if inverse {
			cost = quo(contracts, p, divPlaces)
		} else {
			cost = mul(contracts, p)
		}
	}
	if !price.Valid && o.Type == OrderTypeMarket {
		price = average
	}
	conditional := o.TriggerPrice.Valid || o.StopLossPrice.Valid || o.TakeProfitPrice.Valid
	if o.TimeInForce == "" {
		if !conditional && o.Type == OrderTypeMarket {
			o.TimeInForce = TIFIOC
		}
		if o.PostOnly != nil && *o.PostOnly {
			o.TimeInForce = TIFPO
		}
	} else if o.PostOnly == nil {
		postOnly := o.TimeInForce == TIFPO
		o.PostOnly = &postOnly
	}
	o.Amount = amount
	o.Filled = filled
	o.Remaining = remaining
	o.Cost = cost
	o.Average = average
	o.Price = price
}
