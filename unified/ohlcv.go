package unified

import (
	"time"

	"github.com/shopspring/decimal"
)

// OHLCV is one candle: CCXT's [timestamp, open, high, low, close, volume].
type OHLCV struct {
	// Timestamp is the start of the candle's period.
	Timestamp time.Time
	// Open is the first price of the period.
	Open decimal.Decimal
	// High is the highest price of the period.
	High decimal.Decimal
	// Low is the lowest price of the period.
	Low decimal.Decimal
	// Close is the last price of the period.
	Close decimal.Decimal
	// Volume is the traded volume in base currency (contracts for some derivatives).
	Volume decimal.Decimal
}
