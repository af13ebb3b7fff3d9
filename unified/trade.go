package unified

import (
	"time"

	"github.com/shopspring/decimal"
)

// Fee is a fee charged on a trade, order or transfer, with CCXT's fee
// structure. The zero Fee means no fee is known.
type Fee struct {
	// Currency is the unified code of the currency the fee is paid in.
	Currency string
	// Cost is the fee amount in Currency; negative for a rebate.
	Cost decimal.NullDecimal
	// Rate is the fee rate, for example 0.001; absent when the venue gives none.
	Rate decimal.NullDecimal
}

// IsZero reports whether f carries nothing: no currency, cost or rate.
func (f Fee) IsZero() bool {
	return f.Currency == "" && !f.Cost.Valid && !f.Rate.Valid
}

// Trade is one execution, public or the user's own, with CCXT's trade structure.
type Trade struct {
	// ID is the venue's trade id.
	ID string
	// Order is the id of the user's order this trade filled; empty for public trades.
	Order string
	// Timestamp is the execution time; zero when the venue gives none.
	Timestamp time.Time
	// Symbol is the unified symbol.
	Symbol string
	// Type is the type of the order that traded, when known.
	Type OrderType
	// Side is the taker's side for public trades, the user's side for own trades.
	Side Side
	// TakerOrMaker tells whether the user's order took or made liquidity; empty for public trades.
	TakerOrMaker Liquidity
	// Price is the execution price.
	Price decimal.NullDecimal
	// Amount is the executed amount in base currency, or contracts for derivatives.
	Amount decimal.NullDecimal
	// Cost is the value traded in quote currency (settle currency for inverse contracts);
	// Complete derives it from Price, Amount and the market (see TradeCost).
	Cost decimal.NullDecimal
	// Fee is the fee when the trade has exactly one, after Complete.
	Fee Fee
	// Fees are all the fees, summed by currency and rate by Complete.
	Fees []Fee
	// Info is the native payload when Info retention is on.
	Info any
}

// Complete fills what CCXT's safeTrade fills: Cost when absent (TradeCost with
// m, the trade's market or nil), and the fee pair. Fees are summed per
// currency and rate, fees without a cost dropped, and Fee set to the single
// remaining fee, or cleared when none remains; when only Fee was set it
// becomes the one element of Fees first. With several remaining fees Fee is
// left as the adapter set it. Calling Complete again changes nothing.
func (tr *Trade) Complete(m *Market) {
	if !tr.Cost.Valid {
		tr.Cost = TradeCost(tr.Price, tr.Amount, m)
	}
	tr.Fee, tr.Fees = settleFees(tr.Fee, tr.Fees)
}

// TradeCost returns the value of amount traded at price in market m, by
// CCXT's rule: price × amount for spot markets and for a nil m; price ×
// contract size × amount for linear contracts; and for inverse contracts
// (1/price) × contract size × amount, where 1/price is first truncated to 18
// decimal places as CCXT does, so the result prints as CCXT's. A market whose
// ContractSize is absent counts as spot. The result is absent when price or
// amount is, or when an inverse price is zero.
func TradeCost(price, amount decimal.NullDecimal, m *Market) decimal.NullDecimal {
	multiplier := price
	if m != nil && m.ContractSize.Valid {
		if m.Inverse {
			multiplier = quo(present(decOne), price, divPlaces)
		}
		multiplier = mul(multiplier, m.ContractSize)
	}
	return mul(multiplier, amount)
}

// settleFees is CCXT's parsedFeeAndFees for a trade: when either fee or fees
// is set, fees (or [fee] when fees is empty) is reduced, and fee becomes the
// single reduced fee, or the zero Fee when none is left.
func settleFees(fee Fee, fees []Fee) (Fee, []Fee) {
	if fee.IsZero() && len(fees) == 0 {
		return fee, fees
	}
	if len(fees) == 0 {
		fees = []Fee{fee}
	}
	fees = reduceFees(fees)
	switch len(fees) {
	case 0:
		fee = Fee{}
	case 1:
		fee = fees[0]
	}
	return fee, fees
}

// reduceFees sums fees that share a currency and a rate (equal in value, or
// both absent) and drops fees without a cost; a zero cost is kept. Fees
// without a currency are never merged. The result keeps the order in which
// each currency, then each rate within it, first appears. fees itself is
// returned when nothing needs merging or dropping, else a new slice.
func reduceFees(fees []Fee) []Fee {
	if !needsReduce(fees) {
		return fees
	}
	out := make([]Fee, 0, len(fees))
	for _, f := range fees {
		if !f.Cost.Valid {
			continue
		}
		if i := findFee(out, f); i >= 0 {
			out[i].Cost = add(out[i].Cost, f.Cost)
			continue
		}
		// Keep currencies grouped: insert after the last fee of the same currency.
		at := len(out)
		if f.Currency != "" {
			for j := len(out) - 1; j >= 0; j-- {
				if out[j].Currency == f.Currency {
					at = j + 1
					break
				}
			}
		}
		out = append(out, Fee{})
		copy(out[at+1:], out[at:])
		out[at] = f
	}
	return out
}

// needsReduce reports whether reduceFees would change fees.
func needsReduce(fees []Fee) bool {
	for i, f := range fees {
		if !f.Cost.Valid {
			return true
		}
		if findFee(fees[:i], f) >= 0 {
			return true
		}
		// A currency seen before but not just before breaks the grouping.
		if f.Currency != "" && i > 0 && fees[i-1].Currency != f.Currency {
			for _, g := range fees[:i-1] {
				if g.Currency == f.Currency {
					return true
				}
			}
		}
	}
	return false
}

// findFee returns the index in fees of a fee f merges into, or -1.
func findFee(fees []Fee, f Fee) int {
	if f.Currency == "" {
		return -1
	}
	for i, g := range fees {
		if g.Currency == f.Currency && sameRate(g.Rate, f.Rate) {
			return i
		}
	}
	return -1
}

// sameRate reports whether two fee rates are both absent or equal in value.
func sameRate(a, b decimal.NullDecimal) bool {
	if a.Valid != b.Valid {
		return false
	}
	return !a.Valid || a.Decimal.Equal(b.Decimal)
}
