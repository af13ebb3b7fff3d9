package markets

// commonCurrencies is CCXT's default table of native currency ids that every
// venue should report under another unified code (the base Exchange's
// commonCurrencies). Adapters extend or override it per venue.
var commonCurrencies = map[string]string{
	"XBT":    "BTC",
	"BCC":    "BCH",
	"BCHABC": "BCH",
	"BCHSV":  "BSV",
	"DRK":    "DASH",
}

// CurrencyCodes translates between a venue's native currency ids and unified
// currency codes, the way CCXT's commonCurrencyCode/safeCurrencyCode do before
// (or without) a currency list: the id is upper-cased, then looked up in the
// venue's overrides, then in CCXT's default table (XBT→BTC, BCC→BCH,
// BCHABC→BCH, BCHSV→BSV, DRK→DASH).
//
// The zero value uses the default table alone. A CurrencyCodes is immutable
// and safe for concurrent use.
type CurrencyCodes struct {
	common map[string]string // upper-cased native id -> unified code
	native map[string]string // unified code -> native id, from overrides only
}

// NewCurrencyCodes returns the translation for a venue whose own mappings are
// overrides (native id -> unified code, like a CCXT exchange's
// commonCurrencies). Overrides win over the defaults; mapping an id to itself
// ("BCC": "BCC") switches a default off. Keys are matched case-insensitively.
// The map is copied.
func NewCurrencyCodes(overrides map[string]string) CurrencyCodes {
	c := CurrencyCodes{
		common: make(map[string]string, len(commonCurrencies)+len(overrides)),
		native: make(map[string]string, len(overrides)),
	}
	for k, v := range commonCurrencies {
		c.common[k] = v
	}
	ambiguous := make(map[string]bool)
	for k, v := range overrides {
		id := upper(k)
		c.common[id] = v
		if prev, ok := c.native[v]; ok && prev != id {
			ambiguous[v] = true
		}
		c.native[v] = id
	}
	for code := range ambiguous {
		delete(c.native, code)
	}
	return c
}

// Common returns the unified code for a native currency id: the id in upper
// case, translated by the overrides and the default table.
func (c CurrencyCodes) Common(id string) string {
	id = upper(id)
	table := c.common
	if table == nil {
		table = commonCurrencies
	}
	if code, ok := table[id]; ok {
		return code
	}
	return id
}

// Native returns the native id for a unified code, reversing the venue's
// overrides only: the default table is not reversed, because a venue that
// lists "BCH" natively would otherwise be sent "BCC". When several override
// ids map to code, or none does, code is returned unchanged. Once currencies
// are loaded, Snapshot.Currency(code).ID is the authoritative answer.
func (c CurrencyCodes) Native(code string) string {
	if id, ok := c.native[code]; ok {
		return id
	}
	return code
}

// upper upper-cases ASCII letters of s, without allocating when s has none.
// Non-ASCII text is left as it is (CCXT's toUpperCase would map it, but no
// venue's ids need that and it keeps Common allocation-free).
func upper(s string) string {
	i := 0
	for ; i < len(s); i++ {
		if 'a' <= s[i] && s[i] <= 'z' {
			break
		}
	}
	if i == len(s) {
		return s
	}
	b := []byte(s)
	for ; i < len(b); i++ {
		if 'a' <= b[i] && b[i] <= 'z' {
			b[i] -= 'a' - 'A'
		}
	}
	return string(b)
}
