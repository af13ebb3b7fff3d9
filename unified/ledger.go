package unified

import (
	"time"

	"github.com/shopspring/decimal"
)

// LedgerEntry is one change to an account balance, with CCXT's ledger entry
// structure.
type LedgerEntry struct {
	// ID is the venue's id of the entry.
	ID string
	// Timestamp is when the change happened; zero when unknown.
	Timestamp time.Time
	// Direction is in (credit) or out (debit).
	Direction Direction
	// Account is the venue's account id, where it has several.
	Account string
	// ReferenceID is the id of what caused the change: an order, trade or transfer.
	ReferenceID string
	// ReferenceAccount is the other account of a transfer.
	ReferenceAccount string
	// Type is the kind of change as CCXT names it: trade, transaction, fee,
	// rebate, cashback, referral, transfer, airdrop, funding...
	Type string
	// Currency is the unified currency code.
	Currency string
	// Amount is the size of the change.
	Amount decimal.NullDecimal
	// Before is the balance before the change.
	Before decimal.NullDecimal
	// After is the balance after the change.
	After decimal.NullDecimal
	// Status is ok, pending or canceled, as CCXT spells it.
	Status string
	// Fee is the fee charged with the change; the zero Fee when unknown.
	Fee Fee
	// Info is the native payload when Info retention is on.
	Info any
}

// Complete fills what CCXT's safeLedgerEntry fills: with Amount known, a
// missing Before is After − Amount, else a missing After is Before + Amount;
// and a missing Direction is out when Before > After and in when After >
// Before. Calling it again changes nothing.
func (l *LedgerEntry) Complete() {
	if l.Amount.Valid {
		if !l.Before.Valid && l.After.Valid {
			l.Before = sub(l.After, l.Amount)
		} else if l.Before.Valid && !l.After.Valid {
			l.After = add(l.Before, l.Amount)
		}
	}
	if l.Direction == "" && l.Before.Valid && l.After.Valid {
		switch l.Before.Decimal.Cmp(l.After.Decimal) {
		case 1:
			l.Direction = DirectionOut
		case -1:
			l.Direction = DirectionIn
		}
	}
}
