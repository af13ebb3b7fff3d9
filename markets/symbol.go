package markets

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/unified"
)

// Symbol is a unified symbol taken apart:
//
//	BTC/USDT                     spot                  Base/Quote
//	BTC/USDT:USDT                linear perpetual      Base/Quote:Settle
//	BTC/USD:BTC                  inverse perpetual     Base/Quote:Settle
//	BTC/USDT:USDT-250328         dated future          ...-Expiry
//	BTC/USD:BTC-250328-60000-C   option                ...-Expiry-Strike-C|P
//
// The zero Symbol is not valid; build one with ParseSymbol or by filling the
// fields and checking with Validate.
type Symbol struct {
	// Base is the unified code of the base currency, for example "BTC".
	Base string
	// Quote is the unified code of the quote currency, for example "USDT".
	Quote string
	// Settle is the unified code of the settlement currency; empty for spot.
	Settle string
	// Expiry is the expiry date as YYMMDD (for example "250328") for dated
	// futures and options; empty otherwise. See ExpiryCode and ExpiryTime.
	Expiry string
	// Strike is an option's strike price; zero for everything else.
	Strike decimal.Decimal
	// OptionType is unified.Call or unified.Put for options; empty otherwise.
	OptionType unified.OptionType
}

// ParseSymbol takes a unified symbol apart. Malformed text gives an error of
// kind errors.BadSymbol that quotes the symbol and says what is wrong.
//
// The grammar is CCXT's: Base "/" Quote [":" Settle ["-" YYMMDD ["-" Strike
// "-" ("C"|"P")]]]. Codes are non-empty, valid UTF-8, and contain no space or
// control character; Base contains no '/' or ':', Quote and Settle contain no
// '/', ':' or '-' (Base may contain '-'). The expiry must be a real calendar
// date; the strike a positive decimal written canonically (no sign, exponent,
// leading zeros or trailing fractional zeros: "0.5", not "0.50"), so that
// ParseSymbol(s).String() == s for every s it accepts.
func ParseSymbol(s string) (Symbol, error) {
	slash := strings.IndexByte(s, '/')
	if slash < 0 {
		return Symbol{}, symbolError(s, "no '/' between base and quote")
	}
	var sym Symbol
	sym.Base = s[:slash]
	if msg := checkCode(sym.Base, ":"); msg != "" {
		return Symbol{}, symbolError(s, "base "+msg)
	}
	rest := s[slash+1:]
	colon := strings.IndexByte(rest, ':')
	if colon < 0 {
		sym.Quote = rest
		if msg := checkCode(sym.Quote, "/:-"); msg != "" {
			return Symbol{}, symbolError(s, "quote "+msg)
		}
		return sym, nil
	}
	sym.Quote = rest[:colon]
	if msg := checkCode(sym.Quote, "/:-"); msg != "" {
		return Symbol{}, symbolError(s, "quote "+msg)
	}
	rest = rest[colon+1:]
	dash := strings.IndexByte(rest, '-')
	if dash < 0 {
		sym.Settle = rest
	} else {
		sym.Settle = rest[:dash]
	}
	if msg := checkCode(sym.Settle, "/:-"); msg != "" {
		return Symbol{}, symbolError(s, "settle "+msg)
	}
	if dash < 0 {
		return sym, nil
	}
	rest = rest[dash+1:]
	dash = strings.IndexByte(rest, '-')
	if dash < 0 {
		sym.Expiry = rest
	} else {
		sym.Expiry = rest[:dash]
	}
	if msg := checkExpiry(sym.Expiry); msg != "" {
		return Symbol{}, symbolError(s, msg)
	}
	if dash < 0 {
		return sym, nil
	}
	rest = rest[dash+1:]
	dash = strings.IndexByte(rest, '-')
	if dash < 0 {
		return Symbol{}, symbolError(s, "option needs strike and C or P after the expiry")
	}
	strike, msg := parseStrike(rest[:dash])
	if msg != "" {
		return Symbol{}, symbolError(s, msg)
	}
	sym.Strike = strike
	switch rest[dash+1:] {
	case "C":
		sym.OptionType = unified.Call
	case "P":
		sym.OptionType = unified.Put
	default:
		return Symbol{}, symbolError(s, "option type must be C or P")
	}
	return sym, nil
}

// String formats the symbol in unified form. It does not validate: a Symbol
// built by hand should be checked with Validate first.
func (s Symbol) String() string {
	n := len(s.Base) + 1 + len(s.Quote)
	if s.Settle != "" {
		n += 1 + len(s.Settle)
	}
	if s.Expiry != "" {
		n += 1 + len(s.Expiry)
	}
	strike := ""
	if s.OptionType != "" {
		strike = s.Strike.String()
		n += 1 + len(strike) + 2
	}
	var b strings.Builder
	b.Grow(n)
	b.WriteString(s.Base)
	b.WriteByte('/')
	b.WriteString(s.Quote)
	if s.Settle != "" {
		b.WriteByte(':')
		b.WriteString(s.Settle)
	}
	if s.Expiry != "" {
		b.WriteByte('-')
		b.WriteString(s.Expiry)
	}
	if s.OptionType != "" {
		b.WriteByte('-')
		b.WriteString(strike)
		b.WriteByte('-')
		if s.OptionType == unified.Put {
			b.WriteByte('P')
		} else {
			b.WriteByte('C')
		}
	}
	return b.String()
}

// Validate reports whether the symbol's fields form a valid unified symbol
// (the same rules as ParseSymbol), with an error of kind errors.BadSymbol.
func (s Symbol) Validate() error {
	text := s.String()
	if s.OptionType != "" && s.OptionType != unified.Call && s.OptionType != unified.Put {
		return symbolError(text, "option type must be call or put")
	}
	if (s.Expiry != "" || s.OptionType != "") && s.Settle == "" {
		return symbolError(text, "a future or option needs a settle currency")
	}
	if s.OptionType != "" && s.Expiry == "" {
		return symbolError(text, "an option needs an expiry")
	}
	if s.OptionType == "" && !s.Strike.IsZero() {
		return symbolError(text, "strike given without option type")
	}
	p, err := ParseSymbol(text)
	if err != nil {
		return err
	}
	if p.Base != s.Base || p.Quote != s.Quote || p.Settle != s.Settle || p.Expiry != s.Expiry {
		return symbolError(text, "fields contain separators")
	}
	return nil
}

// Type returns the kind of market the symbol names: unified.Spot without a
// settle currency, unified.Option with an option type, unified.Future with an
// expiry, else unified.Swap.
func (s Symbol) Type() unified.MarketType {
	switch {
	case s.Settle == "":
		return unified.Spot
	case s.OptionType != "":
		return unified.Option
	case s.Expiry != "":
		return unified.Future
	}
	return unified.Swap
}

// ExpiryTime returns midnight UTC of the expiry date, or the zero time when
// the symbol has no expiry. Venues settle at their own hour of that day (often
// 08:00 UTC); Market.Expiry holds the exact time. A malformed Expiry gives an
// error of kind errors.BadSymbol.
func (s Symbol) ExpiryTime() (time.Time, error) {
	if s.Expiry == "" {
		return time.Time{}, nil
	}
	if msg := checkExpiry(s.Expiry); msg != "" {
		return time.Time{}, symbolError(s.String(), msg)
	}
	return time.Date(2000+atoi2(s.Expiry[0:2]), time.Month(atoi2(s.Expiry[2:4])), atoi2(s.Expiry[4:6]), 0, 0, 0, 0, time.UTC), nil
}

// ExpiryCode formats t's UTC date as YYMMDD, the expiry part of a unified
// symbol. Years outside 2000–2099 cannot be written in a symbol; they give
// an error of kind errors.BadSymbol.
func ExpiryCode(t time.Time) (string, error) {
	t = t.UTC()
	if t.Year() < 2000 || t.Year() > 2099 {
		return "", errors.Newf(errors.BadSymbol, "expiry "+t.Format(time.DateOnly)+" is outside 2000–2099")
	}
	return t.Format("060102"), nil
}

// symbolError builds the BadSymbol error for text.
func symbolError(text, msg string) error {
	return errors.Newf(errors.BadSymbol, "malformed symbol "+quote(text)+": "+msg)
}

// quote returns s as a Go string literal (control characters and invalid
// UTF-8 escaped), cut to 64 bytes so hostile input cannot make an error
// message huge.
func quote(s string) string {
	const limit = 64
	if len(s) > limit {
		return strconv.Quote(s[:limit]) + "…"
	}
	return strconv.Quote(s)
}

// checkCode returns why code is not a valid currency code, or "".
func checkCode(code, forbidden string) string {
	if code == "" {
		return "is empty"
	}
	for i := 0; i < len(code); {
		c := code[i]
		if c < utf8.RuneSelf {
			if c <= ' ' || c == 0x7f {
				return "contains a space or control character"
			}
			if strings.IndexByte(forbidden, c) >= 0 {
				return "contains '" + string(rune(c)) + "'"
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(code[i:])
		if r == utf8.RuneError && n == 1 {
			return "is not valid UTF-8"
		}
		if !unicode.IsPrint(r) {
			return "contains a space or control character"
		}
		i += n
	}
	return ""
}

// checkExpiry returns why e is not a YYMMDD date, or "".
func checkExpiry(e string) string {
	if len(e) != 6 {
		return "expiry must be YYMMDD"
	}
	for i := 0; i < 6; i++ {
		if e[i] < '0' || e[i] > '9' {
			return "expiry must be YYMMDD"
		}
	}
	y, m, d := 2000+atoi2(e[0:2]), atoi2(e[2:4]), atoi2(e[4:6])
	if m < 1 || m > 12 || d < 1 || d > daysIn(time.Month(m), y) {
		return "expiry " + e + " is not a calendar date"
	}
	return ""
}

// atoi2 converts two ASCII digits.
func atoi2(s string) int { return int(s[0]-'0')*10 + int(s[1]-'0') }

// daysIn returns the number of days of month m in year y.
func daysIn(m time.Month, y int) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// parseStrike parses a canonical positive decimal.
func parseStrike(s string) (decimal.Decimal, string) {
	const bad = "strike must be a positive decimal written canonically, like 60000 or 0.5"
	if s == "" {
		return decimal.Decimal{}, bad
	}
	dot := -1
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '.' && dot < 0 && i > 0 && i < len(s)-1:
			dot = i
		case c < '0' || c > '9':
			return decimal.Decimal{}, bad
		}
	}
	intPart := s
	if dot >= 0 {
		intPart = s[:dot]
		if s[len(s)-1] == '0' {
			return decimal.Decimal{}, bad
		}
	}
	if len(intPart) > 1 && intPart[0] == '0' {
		return decimal.Decimal{}, bad
	}
	d, err := decimal.NewFromString(s)
	if err != nil || d.Sign() <= 0 {
		return decimal.Decimal{}, bad
	}
	return d, ""
}
