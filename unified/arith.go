package unified

import (
	"math/big"

	"github.com/shopspring/decimal"
)

// This file holds the optional-decimal arithmetic the Complete methods use.
// It mirrors CCXT's Precise string arithmetic: an absent operand gives an
// absent result, addition, subtraction and multiplication are exact, and
// division truncates toward zero at a fixed number of decimal places (18
// unless a caller asks for fewer), returning absent for a zero divisor.

// divPlaces is the number of decimal places CCXT's Precise keeps in a
// division when the caller names none.
const divPlaces = 18

// maxExp bounds the decimal exponent of an operand. shopspring's Decimal
// panics when an exponent leaves the int32 range and slows to a crawl long
// before that; no price or amount comes near 10^±16384, so an operand beyond
// it is treated as absent rather than risk either.
const maxExp = 1 << 14

var (
	decOne     = decimal.NewFromInt(1)
	decTwo     = decimal.NewFromInt(2)
	decHundred = decimal.NewFromInt(100)
)

// present wraps d as a present value.
func present(d decimal.Decimal) decimal.NullDecimal {
	return decimal.NullDecimal{Decimal: d, Valid: true}
}

// usable reports whether d is present and small enough in exponent to compute with.
func usable(d decimal.NullDecimal) bool {
	if !d.Valid {
		return false
	}
	e := d.Decimal.Exponent()
	return e >= -maxExp && e <= maxExp
}

// omitZero turns a present zero into absent, as CCXT's omitZero does.
func omitZero(d decimal.NullDecimal) decimal.NullDecimal {
	if d.Valid && d.Decimal.IsZero() {
		return decimal.NullDecimal{}
	}
	return d
}

// add returns a + b, absent if either is.
func add(a, b decimal.NullDecimal) decimal.NullDecimal {
	if !usable(a) || !usable(b) {
		return decimal.NullDecimal{}
	}
	return present(a.Decimal.Add(b.Decimal))
}

// sub returns a - b, absent if either is.
func sub(a, b decimal.NullDecimal) decimal.NullDecimal {
	if !usable(a) || !usable(b) {
		return decimal.NullDecimal{}
	}
	return present(a.Decimal.Sub(b.Decimal))
}

// mul returns a × b, absent if either is.
func mul(a, b decimal.NullDecimal) decimal.NullDecimal {
	if !usable(a) || !usable(b) {
		return decimal.NullDecimal{}
	}
	return present(a.Decimal.Mul(b.Decimal))
}

// quo returns a / b truncated toward zero to places decimal places, absent if
// either is absent or b is zero (CCXT's Precise.stringDiv).
func quo(a, b decimal.NullDecimal, places int32) decimal.NullDecimal {
	if !usable(a) || !usable(b) || b.Decimal.IsZero() || places < 0 || places > maxExp {
		return decimal.NullDecimal{}
	}
	q, _ := a.Decimal.QuoRem(b.Decimal, places)
	return present(q)
}

// fractionDigits returns how many digits d has after the decimal point once
// trailing zeros are dropped: 2 for 0.01 and 0.010, 0 for 1 and 10. It is
// CCXT's precisionFromString applied to a tick size.
func fractionDigits(d decimal.Decimal) int32 {
	exp := d.Exponent()
	if exp >= 0 {
		return 0
	}
	c := d.Coefficient()
	if c.Sign() == 0 {
		return 0
	}
	c.Abs(c)
	ten := big.NewInt(10)
	var q, r big.Int
	for exp < 0 {
		q.QuoRem(c, ten, &r)
		if r.Sign() != 0 {
			break
		}
		c.Set(&q)
		exp++
	}
	return -exp
}
