package markets

import (
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/unified"
)

// Rounding says how a value is brought onto a precision grid. The numbers are
// CCXT's constants.
type Rounding int

const (
	// Truncate drops the excess digits: rounds toward zero, so the magnitude
	// never grows. CCXT's amountToPrecision and costToPrecision truncate.
	Truncate Rounding = 0
	// Round rounds to the nearest grid value, halves away from zero (1.45 at
	// one decimal is 1.5, -165 at tick 110 is -220). CCXT's priceToPrecision
	// rounds.
	Round Rounding = 1
)

// String returns the rounding's CCXT name.
func (r Rounding) String() string {
	switch r {
	case Truncate:
		return "TRUNCATE"
	case Round:
		return "ROUND"
	}
	return "Rounding(" + strconv.Itoa(int(r)) + ")"
}

// Padding says whether formatted values keep trailing zeros.
type Padding int

const (
	// NoPadding writes the shortest exact form: "0.01", "100", never "0.0100"
	// (CCXT's NO_PADDING, the default of almost every venue).
	NoPadding Padding = 0
	// PadWithZero writes every digit the precision allows: tick 0.0001 gives
	// "0.0100", 2 decimal places give "10.00", 5 significant digits give
	// "1234.0" (CCXT's PAD_WITH_ZERO).
	PadWithZero Padding = 1
)

// Bounds on what the rounding functions accept. Values and precisions whose
// decimal exponent lies outside ±maxExponent (for example 1e-5000) cannot be
// traded anywhere and would make exact arithmetic arbitrarily expensive.
const (
	maxExponent = 1000
	maxDigits   = 1000
)

// Rule is the precision of one quantity (a market's price or amount) as the
// venue states it, read per Mode:
//
//   - unified.TickSize: Precision is the step; results are whole multiples of it.
//   - unified.DecimalPlaces: Precision is a count of digits after the point; a
//     negative count rounds left of the point (-2 gives multiples of 100).
//   - unified.SignificantDigits: Precision is a count of significant digits
//     (bitfinex prices use 5); 0 gives 0, and a negative count behaves as in
//     DecimalPlaces, as in CCXT.
//
// A Rule whose Precision is null (the venue gave none) leaves values as they
// are. All arithmetic is exact. This is CCXT's decimalToPrecision.
type Rule struct {
	// Mode says how Precision is read.
	Mode unified.PrecisionMode
	// Precision is the tick or digit count; null means no rounding.
	Precision decimal.NullDecimal
	// Padding says how Format writes results.
	Padding Padding
}

// AmountRule returns the rule for m's order amounts. A nil market has no rule.
func AmountRule(m *unified.Market) Rule {
	if m == nil {
		return Rule{}
	}
	return Rule{Mode: m.PrecisionMode, Precision: m.Precision.Amount}
}

// PriceRule returns the rule for m's prices. A nil market has no rule.
func PriceRule(m *unified.Market) Rule {
	if m == nil {
		return Rule{}
	}
	return Rule{Mode: m.PrecisionMode, Precision: m.Precision.Price}
}

// costRule returns the rule for m's order costs: the cost precision, else the
// price precision (CCXT's binance rounds quoteOrderQty to the price's).
func costRule(m *unified.Market) Rule {
	r := Rule{Mode: m.PrecisionMode, Precision: m.Precision.Cost}
	if !r.Precision.Valid {
		r.Precision = m.Precision.Price
	}
	return r
}

// Round returns x on the rule's grid, rounded or truncated as how says. An
// invalid rule (unknown mode, tick not positive, fractional digit count) or
// an out-of-range value gives an error of kind errors.BadRequest.
func (r Rule) Round(x decimal.Decimal, how Rounding) (decimal.Decimal, error) {
	d, msg := r.round(x, how)
	if msg != "" {
		return decimal.Decimal{}, errors.Newf(errors.BadRequest, msg)
	}
	return d, nil
}

// Format rounds x like Round and writes the result as the exact text to send
// to a venue: plain notation (never an exponent), a '-' only for a non-zero
// negative value, and trailing zeros per the rule's Padding.
func (r Rule) Format(x decimal.Decimal, how Rounding) (string, error) {
	d, msg := r.round(x, how)
	if msg != "" {
		return "", errors.Newf(errors.BadRequest, msg)
	}
	return r.write(d), nil
}

// round is Round with a plain message for errors, so callers can add context.
func (r Rule) round(x decimal.Decimal, how Rounding) (decimal.Decimal, string) {
	if !r.Precision.Valid {
		return x, ""
	}
	if how != Round && how != Truncate {
		return decimal.Decimal{}, "unknown rounding " + how.String()
	}
	p := r.Precision.Decimal
	if !inRange(x) {
		return decimal.Decimal{}, "value with exponent " + strconv.Itoa(int(x.Exponent())) + " is out of range"
	}
	switch r.Mode {
	case unified.TickSize:
		if p.Sign() <= 0 {
			return decimal.Decimal{}, "tick size " + p.String() + " is not positive"
		}
		if !inRange(p) {
			return decimal.Decimal{}, "tick size with exponent " + strconv.Itoa(int(p.Exponent())) + " is out of range"
		}
		return roundTick(x, p, how), ""
	case unified.DecimalPlaces:
		n, msg := digitCount(p)
		if msg != "" {
			return decimal.Decimal{}, msg
		}
		return roundPlaces(x, int64(n), how), ""
	case unified.SignificantDigits:
		n, msg := digitCount(p)
		if msg != "" {
			return decimal.Decimal{}, msg
		}
		return roundSignificant(x, n, how), ""
	}
	return decimal.Decimal{}, "unknown precision mode " + strconv.Itoa(int(r.Mode))
}

// write formats d, already on the rule's grid, with the rule's padding.
func (r Rule) write(d decimal.Decimal) string {
	if r.Padding != PadWithZero || !r.Precision.Valid {
		return d.String()
	}
	var places int64
	p := r.Precision.Decimal
	switch r.Mode {
	case unified.TickSize:
		places = int64(fractionDigits(p))
	case unified.DecimalPlaces:
		places = p.IntPart()
	case unified.SignificantDigits:
		if n := p.IntPart(); n > 0 && !d.IsZero() {
			places = n - 1 - leadingExponent(d)
		}
	}
	if places <= int64(fractionDigits(d)) {
		return d.String()
	}
	return d.StringFixed(int32(places))
}

// roundTick returns x as a multiple of tick (tick > 0), exactly.
func roundTick(x, tick decimal.Decimal, how Rounding) decimal.Decimal {
	if x.IsZero() {
		return decimal.Zero
	}
	e := min(x.Exponent(), tick.Exponent())
	if a, ok := aligned(x, e); ok {
		if b, ok := aligned(tick, e); ok {
			r := a % b // sign of a, like the big path's remainder
			if r == 0 {
				return x
			}
			d := a - r // |a|, b < 10^18, so d ± b cannot overflow
			if how == Round && abs64(r) >= b-abs64(r) {
				if a > 0 {
					d += b
				} else {
					d -= b
				}
			}
			return decimal.New(d, e)
		}
	}
	return roundTickBig(x, tick, how)
}

// roundTickBig is roundTick in arbitrary precision: with r the remainder of
// x / tick (sign of x), x - r truncates, and a step away from zero rounds
// when 2|r| >= tick.
func roundTickBig(x, tick decimal.Decimal, how Rounding) decimal.Decimal {
	r := x.Mod(tick)
	if r.IsZero() {
		return x
	}
	d := x.Sub(r)
	if how == Round && r.Abs().Add(r.Abs()).Cmp(tick) >= 0 {
		if x.Sign() > 0 {
			d = d.Add(tick)
		} else {
			d = d.Sub(tick)
		}
	}
	return d
}

// roundPlaces returns x with at most places digits after the point (places
// may be negative: -2 gives multiples of 100).
func roundPlaces(x decimal.Decimal, places int64, how Rounding) decimal.Decimal {
	if x.IsZero() {
		return decimal.Zero
	}
	if -int64(x.Exponent()) <= places {
		return x // already on the grid; also keeps huge counts cheap
	}
	// Below half a unit of the last kept place, both modes give zero. This
	// also spares rescaling a small value to a huge negative count.
	if leadingExponent(x) < -places-1 {
		return decimal.Zero
	}
	// Here 0 < drop <= digits of x's coefficient.
	if drop := -places - int64(x.Exponent()); drop <= 18 && x.NumDigits() <= 18 {
		a, unit := x.CoefficientInt64(), pow10[drop]
		q, r := a/unit, a%unit
		if how == Round && abs64(r) >= unit-abs64(r) {
			if a > 0 {
				q++
			} else {
				q--
			}
		}
		return decimal.New(q, int32(-places))
	}
	if how == Truncate {
		return x.RoundDown(int32(places))
	}
	return x.Round(int32(places))
}

// pow10 holds the powers of ten that fit in an int64.
var pow10 = [19]int64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

// aligned returns x's coefficient scaled to exponent e (e <= x's exponent)
// when the result stays below 10^18 in magnitude.
func aligned(x decimal.Decimal, e int32) (int64, bool) {
	shift := int64(x.Exponent()) - int64(e)
	if x.NumDigits() > 18 || int64(x.NumDigits())+shift > 18 {
		return 0, false
	}
	return x.CoefficientInt64() * pow10[shift], true
}

// abs64 returns |v| for v > math.MinInt64.
func abs64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// roundSignificant returns x with at most n significant digits.
func roundSignificant(x decimal.Decimal, n int32, how Rounding) decimal.Decimal {
	switch {
	case n < 0:
		return roundPlaces(x, int64(n), how)
	case n == 0 || x.IsZero():
		return decimal.Zero
	}
	return roundPlaces(x, int64(n)-1-leadingExponent(x), how)
}

// leadingExponent returns e such that 10^e <= |x| < 10^(e+1), for x != 0.
func leadingExponent(x decimal.Decimal) int64 {
	return int64(x.NumDigits()) - 1 + int64(x.Exponent())
}

// fractionDigits returns how many digits d has after the point, written
// without trailing zeros.
func fractionDigits(d decimal.Decimal) int {
	if d.Exponent() >= 0 {
		return 0
	}
	s := d.String()
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return len(s) - i - 1
	}
	return 0
}

// digitCount reads a digit-count precision.
func digitCount(p decimal.Decimal) (int32, string) {
	if !p.IsInteger() || p.Abs().Cmp(decimal.NewFromInt(maxDigits)) > 0 {
		return 0, "digit count " + p.String() + " is not an integer within ±" + strconv.Itoa(maxDigits)
	}
	return int32(p.IntPart()), ""
}

// inRange reports whether x's exponent is within ±maxExponent. Zero is always
// in range, whatever its exponent.
func inRange(x decimal.Decimal) bool {
	e := x.Exponent()
	return x.IsZero() || (e >= -maxExponent && e <= maxExponent)
}

// AmountToPrecision returns amount truncated to m's amount precision, as the
// text to send (CCXT's amountToPrecision). An amount that truncates to zero
// gives an error of kind errors.InvalidOrder naming the precision; a nil
// market or an invalid precision gives errors.BadRequest.
func AmountToPrecision(m *unified.Market, amount decimal.Decimal) (string, error) {
	if m == nil {
		return "", errors.Newf(errors.BadRequest, "no market given")
	}
	r := AmountRule(m)
	d, msg := r.round(amount, Truncate)
	if msg != "" {
		return "", errors.Newf(errors.BadRequest, "amount precision of "+m.Symbol+": "+msg)
	}
	if d.IsZero() {
		return "", errors.Newf(errors.InvalidOrder, "amount "+amount.String()+" of "+m.Symbol+" is 0 at the amount precision "+precisionText(r))
	}
	return r.write(d), nil
}

// PriceToPrecision returns price rounded to m's price precision, as the text
// to send (CCXT's priceToPrecision). A nil market or an invalid precision
// gives an error of kind errors.BadRequest.
func PriceToPrecision(m *unified.Market, price decimal.Decimal) (string, error) {
	if m == nil {
		return "", errors.Newf(errors.BadRequest, "no market given")
	}
	r := PriceRule(m)
	d, msg := r.round(price, Round)
	if msg != "" {
		return "", errors.Newf(errors.BadRequest, "price precision of "+m.Symbol+": "+msg)
	}
	return r.write(d), nil
}

// precisionText describes a rule's precision for messages: "0.001" for a
// tick, "3 decimals", "5 significant digits".
func precisionText(r Rule) string {
	if !r.Precision.Valid {
		return "(none)"
	}
	p := r.Precision.Decimal.String()
	switch r.Mode {
	case unified.DecimalPlaces:
		return p + " decimals"
	case unified.SignificantDigits:
		return p + " significant digits"
	}
	return p
}
