package unified

import (
	"time"

	"github.com/shopspring/decimal"
)

// Balance is the account's holding of one currency.
type Balance struct {
	// Free is the amount available to trade or withdraw.
	Free decimal.NullDecimal
	// Used is the amount held by open orders, positions or pending withdrawals.
	Used decimal.NullDecimal
	// Total is Free + Used.
	Total decimal.NullDecimal
	// Debt is the amount borrowed, on margin accounts that report it.
	Debt decimal.NullDecimal
}

// Complete fills the one of Free, Used and Total that is missing when the
// other two are known (Total = Free + Used), as CCXT's safeBalance does. A
// value the venue gave is never changed, even when the three disagree.
func (b *Balance) Complete() {
	switch {
	case !b.Total.Valid:
		b.Total = add(b.Free, b.Used)
	case !b.Free.Valid:
		b.Free = sub(b.Total, b.Used)
	case !b.Used.Valid:
		b.Used = sub(b.Total, b.Free)
	}
}

// Balances is an account's balance in every currency it holds, with CCXT's
// balance structure. CCXT's free, used, total and debt maps by currency are
// views of Currencies; the JSON encoding writes them.
type Balances struct {
	// Currencies maps unified currency codes to balances.
	Currencies map[string]Balance
	// Timestamp is the venue's time of the balances; zero when it gives none.
	Timestamp time.Time
	// Info is the native payload when Info retention is on.
	Info any
}

// Complete completes every currency's Balance (see Balance.Complete).
func (bs *Balances) Complete() {
	for code, b := range bs.Currencies {
		b.Complete()
		bs.Currencies[code] = b
	}
}
