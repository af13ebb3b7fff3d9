package unified

import "github.com/shopspring/decimal"

// Leverage is the leverage a market is set to for the account, with CCXT's
// leverage structure (fetchLeverage). A venue that keeps one leverage per
// market gives the same value for both sides; one that keeps the long and
// short legs of a hedged position apart gives each its own.
type Leverage struct {
	// Symbol is the unified symbol.
	Symbol string
	// MarginMode is cross or isolated; empty when the venue does not say.
	MarginMode MarginMode
	// LongLeverage is the leverage of long positions; absent when unknown.
	LongLeverage decimal.NullDecimal
	// ShortLeverage is the leverage of short positions; absent when unknown.
	ShortLeverage decimal.NullDecimal
	// Info is the native payload when Info retention is on.
	Info any
}

// MarshalJSON encodes l as CCXT's leverage structure.
func (l Leverage) MarshalJSON() ([]byte, error) {
	return l.appendJSON(make([]byte, 0, 256))
}

func (l *Leverage) appendJSON(buf []byte) ([]byte, error) {
	o := openObject(buf)
	o.info("info", l.Info)
	o.str("symbol", l.Symbol)
	o.str("marginMode", string(l.MarginMode))
	o.dec("longLeverage", l.LongLeverage)
	o.dec("shortLeverage", l.ShortLeverage)
	return o.close()
}

// UnmarshalJSON decodes CCXT's leverage structure; null leaves l unchanged.
func (l *Leverage) UnmarshalJSON(data []byte) error {
	r, err := readFields(data, "Leverage")
	if r == nil {
		return err
	}
	*l = Leverage{
		Symbol:        r.str("symbol"),
		MarginMode:    MarginMode(r.str("marginMode")),
		LongLeverage:  r.dec("longLeverage"),
		ShortLeverage: r.dec("shortLeverage"),
		Info:          r.info(),
	}
	return r.err
}
