package unified

import (
	"time"

	"github.com/shopspring/decimal"
)

// Transaction is a deposit or a withdrawal, with CCXT's transaction structure.
type Transaction struct {
	// ID is the venue's id of the transaction.
	ID string
	// TxID is the blockchain transaction hash, once known.
	TxID string
	// Timestamp is when the transaction was created; zero when unknown.
	Timestamp time.Time
	// Updated is when the transaction's status last changed; zero when unknown.
	Updated time.Time
	// Type is deposit or withdrawal.
	Type TransactionType
	// Currency is the unified currency code.
	Currency string
	// Network is the unified network code, for example "TRC20".
	Network string
	// Amount is the amount moved, excluding Fee.
	Amount decimal.NullDecimal
	// Status is pending, ok, failed or canceled.
	Status TransactionStatus
	// Address is the address funds went to (withdrawals) or arrived at (deposits).
	Address string
	// AddressFrom is the sending address, when known.
	AddressFrom string
	// AddressTo is the receiving address, when known.
	AddressTo string
	// Tag is the memo, tag or payment id that goes with Address.
	Tag string
	// TagFrom is the memo of the sending address.
	TagFrom string
	// TagTo is the memo of the receiving address.
	TagTo string
	// Comment is the user's or venue's note.
	Comment string
	// Internal tells whether the transfer stayed inside the venue; nil when unknown.
	Internal *bool
	// Fee is the fee charged; the zero Fee when unknown.
	Fee Fee
	// Info is the native payload when Info retention is on.
	Info any
}

// DepositAddress is where to send a currency to deposit it, with CCXT's
// deposit address structure.
type DepositAddress struct {
	// Currency is the unified currency code.
	Currency string
	// Network is the unified network code; empty when the venue has one network.
	Network string
	// Address is the address to send to.
	Address string
	// Tag is the memo, tag or payment id the deposit must carry, if any.
	Tag string
	// Info is the native payload when Info retention is on.
	Info any
}
