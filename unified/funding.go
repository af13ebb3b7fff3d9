package unified

import (
	"time"

	"github.com/shopspring/decimal"
)

// FundingRate is a perpetual swap's funding, with CCXT's funding rate
// structure (whose fundingRate, nextFundingRate and previousFundingRate are
// Rate, NextRate and PreviousRate here, and likewise for the times).
type FundingRate struct {
	// Symbol is the unified symbol.
	Symbol string
	// Timestamp is the venue's time of the data; zero when it gives none.
	Timestamp time.Time
	// Rate is the funding rate of the current period, for example 0.0001.
	Rate decimal.NullDecimal
	// FundingTime is when the current period's funding is settled.
	FundingTime time.Time
	// NextRate is the predicted rate of the next period.
	NextRate decimal.NullDecimal
	// NextFundingTime is when the next period's funding is settled.
	NextFundingTime time.Time
	// PreviousRate is the rate of the period last settled.
	PreviousRate decimal.NullDecimal
	// PreviousFundingTime is when the previous period's funding was settled.
	PreviousFundingTime time.Time
	// MarkPrice is the mark price.
	MarkPrice decimal.NullDecimal
	// IndexPrice is the index price.
	IndexPrice decimal.NullDecimal
	// InterestRate is the interest rate component of the funding rate.
	InterestRate decimal.NullDecimal
	// EstimatedSettlePrice is the estimated settlement price.
	EstimatedSettlePrice decimal.NullDecimal
	// Interval is the funding period as CCXT writes it, for example "8h"; empty when unknown.
	Interval string
	// Info is the native payload when Info retention is on.
	Info any
}
