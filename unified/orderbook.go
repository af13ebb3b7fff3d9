package unified

import (
	"time"

	"github.com/shopspring/decimal"
)

// Level is one price level of an order book.
type Level struct {
	// Price is the level's price.
	Price decimal.Decimal
	// Amount is the total amount resting at Price, in base currency or contracts.
	Amount decimal.Decimal
}

// OrderBook is a consistent, immutable snapshot of an order book: bids
// descending by price, asks ascending. It is shared by every receiver of one
// delivery and must not be modified.
type OrderBook struct {
	// Symbol is the unified symbol.
	Symbol string
	// Timestamp is the venue's time of the book; zero when the venue gives none.
	Timestamp time.Time
	// Nonce is the venue's sequence or update id of the book; 0 when none.
	Nonce int64
	// Bids are the buy levels, best (highest) first.
	Bids []Level
	// Asks are the sell levels, best (lowest) first.
	Asks []Level
	// Info is the native payload when Info retention is on.
	Info any
}
