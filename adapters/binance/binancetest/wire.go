package binancetest

import (
	"errors"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// Numbers on the wire. Prices and quantities live as int64 counts of the
// market's smallest wire unit (10^-dec), so that books, ladders and update
// ids never meet a float; account arithmetic uses decimal.Decimal.

var pow10 = func() [19]int64 {
	var p [19]int64
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// appendFixed appends v/10^dec with exactly dec decimals, as Binance writes
// prices and quantities ("60000.01000000").
func appendFixed(dst []byte, v int64, dec int) []byte {
	if v < 0 {
		dst = append(dst, '-')
		v = -v
	}
	if dec == 0 {
		return strconv.AppendInt(dst, v, 10)
	}
	dst = strconv.AppendInt(dst, v/pow10[dec], 10)
	dst = append(dst, '.')
	frac := v % pow10[dec]
	for p := pow10[dec-1]; p > 0; p /= 10 {
		dst = append(dst, byte('0'+frac/p))
		frac %= p
	}
	return dst
}

// fixed is appendFixed as a string.
func fixed(v int64, dec int) string { return string(appendFixed(nil, v, dec)) }

// units turns v wire units into a decimal.
func units(v int64, dec int) decimal.Decimal { return decimal.New(v, -int32(dec)) }

// decString writes d with exactly dec decimals (rounded half away from
// zero where it has more), as Binance writes balances and costs.
func decString(d decimal.Decimal, dec int) string { return d.StringFixed(int32(dec)) }

// Reasons parseUnits refuses a number.
var (
	errMalformed = errors.New("malformed number")
	errPrecision = errors.New("too much precision")
)

// parseUnits reads a plain non-negative decimal ("0.1", "12", "5.00")
// into units of 10^-dec. Digits beyond dec must be zeros (errPrecision
// otherwise); signs, exponents and empty parts are errMalformed.
func parseUnits(s string, dec int) (int64, error) {
	intPart, frac, hasDot := strings.Cut(s, ".")
	if intPart == "" || (hasDot && frac == "") || !digits(intPart) || !digits(frac) {
		return 0, errMalformed
	}
	frac = strings.TrimRight(frac, "0")
	if len(frac) > dec {
		return 0, errPrecision
	}
	intPart = strings.TrimLeft(intPart, "0")
	if len(intPart)+dec > 18 {
		return 0, errMalformed
	}
	v, _ := strconv.ParseInt("0"+intPart, 10, 64)
	v *= pow10[dec]
	if frac != "" {
		f, _ := strconv.ParseInt(frac, 10, 64)
		v += f * pow10[dec-len(frac)]
	}
	return v, nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// decimalsOf is the number of decimals a tick or step needs ("0.10" → 1,
// "0.001" → 3, "1" → 0).
func decimalsOf(s string) int {
	_, frac, _ := strings.Cut(s, ".")
	return len(strings.TrimRight(frac, "0"))
}
