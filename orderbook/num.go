package orderbook

import (
	"cmp"
	"math"
	"math/bits"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/internal/jsonscan"
)

// MaxScale bounds the scale of a Num: a value is mantissa × 10^-scale with
// -MaxScale <= scale <= MaxScale.
const MaxScale = 60

// Num is an exact decimal number in the form the live book keeps on its hot
// path: an int64 mantissa and a decimal scale, value = mantissa × 10^-scale.
//
// A Num keeps the scale it was written with, so ParseNum("43231.10") has
// mantissa 4323110 and scale 2, and Append gives back "43231.10": the book can
// hand a checksum the venue's exact wire text without storing strings.
// Numbers written with an exponent ("7e-7", "1.5E+3") get the scale the
// exponent implies; AppendJSNumber renders them as JavaScript does.
//
// Up to 18 significant digits always fit (19 when the mantissa is below
// 2^63), trailing zeros of the fraction included; more zeros at the end of
// the integer part fit too. A number that does not fit is an error, never a
// rounded value.
// The zero value is 0. Num is a small value type: copy it freely. Compare
// values with Cmp or Equal; == also compares the scales ("3366" != "3366.0").
type Num struct {
	m int64
	s int8
}

// pow10 holds 10^0 … 10^19, every power of ten that fits in a uint64.
var pow10 = [20]uint64{
	1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
}

// ParseNum parses a decimal number written as a JSON number: an optional
// '-', an integer part without leading zeros, an optional fraction and an
// optional exponent ("43231.10", "0.00012", "7e-7", "-5000"). Anything else,
// or a value that does not fit a Num exactly, is an error of kind
// errors.BadResponse that quotes the text.
func ParseNum(s string) (Num, error) { return parseNum(s) }

// ParseNumBytes is ParseNum for a byte slice, such as a token in a frame
// buffer; it does not retain b.
func ParseNumBytes(b []byte) (Num, error) { return parseNum(b) }

// MakeNum returns mantissa × 10^-scale, for venues that send numbers as an
// integer mantissa and an exponent. It fails (errors.BadResponse) when scale is
// beyond ±MaxScale or mantissa is math.MinInt64.
func MakeNum(mantissa int64, scale int) (Num, error) {
	if scale < -MaxScale || scale > MaxScale || mantissa == math.MinInt64 {
		return Num{}, errors.Newf(errors.BadResponse,
			"orderbook: number "+strconv.FormatInt(mantissa, 10)+"e"+strconv.Itoa(-scale)+" does not fit the book's exact form")
	}
	return Num{m: mantissa, s: int8(scale)}, nil
}

// NumFromDecimal converts d exactly, keeping its exponent as the scale (so a
// decimal parsed from "64000.00" gives a Num that prints "64000.00"). It fails
// (errors.BadResponse) when d's coefficient or exponent does not fit.
func NumFromDecimal(d decimal.Decimal) (Num, error) {
	c := d.Coefficient()
	if !c.IsInt64() {
		return Num{}, errors.Newf(errors.BadResponse, "orderbook: decimal "+d.String()+" has more digits than the book's exact form holds")
	}
	return MakeNum(c.Int64(), -int(d.Exponent()))
}

// numError is the error for text that is not a number the book can hold.
func numError[T string | []byte](in T, why string) error {
	t := string(in)
	if len(t) > 64 {
		t = t[:64] + "…"
	}
	return errors.Newf(errors.BadResponse, "orderbook: "+why+": "+strconv.Quote(t))
}

// parsePlain reads the form venues write nearly every number in — digits
// with at most one point, at most 18 of them, an optional minus — in one
// pass (jsonscan.PlainNumber); ok is false for anything else, which
// parseNum's full rules read (or refuse).
func parsePlain[T string | []byte](in T) (Num, bool) {
	m, scale, end, ok := jsonscan.PlainNumber([]byte(in), 0) // no copy for a []byte; a short one for a string
	if !ok || end != len(in) {
		return Num{}, false
	}
	return Num{m: m, s: int8(scale)}, true
}

func parseNum[T string | []byte](in T) (Num, error) {
	if v, ok := parsePlain(in); ok {
		return v, nil
	}
	return parseFull(in)
}

// parseFull reads any JSON number, exactly or not at all.
func parseFull[T string | []byte](in T) (Num, error) {
	n := len(in)
	i := 0
	neg := false
	if i < n && in[i] == '-' {
		neg = true
		i++
	}
	if i >= n {
		return Num{}, numError(in, "invalid number")
	}
	var m uint64
	full := false // a significant digit did not fit in m
	shift := 0    // integer zeros beyond m's capacity, kept as a negative scale
	switch c := in[i]; {
	case c == '0':
		i++
	case c >= '1' && c <= '9':
		for ; i < n && in[i] >= '0' && in[i] <= '9'; i++ {
			d := uint64(in[i] - '0')
			switch {
			case shift == 0 && m <= (math.MaxInt64-d)/10:
				m = m*10 + d
			case d == 0:
				shift++
			default:
				full = true
			}
		}
	default:
		return Num{}, numError(in, "invalid number")
	}
	if i < n && in[i] >= '0' && in[i] <= '9' {
		return Num{}, numError(in, "invalid number (leading zero)")
	}
	frac := 0
	if i < n && in[i] == '.' {
		i++
		for ; i < n && in[i] >= '0' && in[i] <= '9'; i++ {
			d := uint64(in[i] - '0')
			if shift > 0 || m > (math.MaxInt64-d)/10 {
				full = true
			} else {
				m = m*10 + d // leading zeros of the fraction take no precision
			}
			frac++
		}
		if frac == 0 {
			return Num{}, numError(in, "invalid number")
		}
	}
	exp := 0
	if i < n && (in[i] == 'e' || in[i] == 'E') {
		i++
		eneg := false
		if i < n && (in[i] == '+' || in[i] == '-') {
			eneg = in[i] == '-'
			i++
		}
		start := i
		for ; i < n && in[i] >= '0' && in[i] <= '9'; i++ {
			if exp < 10000 {
				exp = exp*10 + int(in[i]-'0')
			}
		}
		if i == start {
			return Num{}, numError(in, "invalid number")
		}
		if exp >= 10000 {
			return Num{}, numError(in, "number's exponent is out of range")
		}
		if eneg {
			exp = -exp
		}
	}
	if i != n {
		return Num{}, numError(in, "invalid number")
	}
	if full {
		return Num{}, numError(in, "number has more digits than the book's exact form holds")
	}
	scale := frac - exp - shift
	if m == 0 {
		scale = min(max(frac-exp, -MaxScale), MaxScale) // any scale is exact for 0
	}
	// An exponent beyond the scale range may still name a value in range
	// ("1e+61" is 10^18 × 10^43): move digits between mantissa and scale.
	for scale < -MaxScale && m <= math.MaxInt64/10 {
		m *= 10
		scale++
	}
	for scale > MaxScale && m%10 == 0 {
		m /= 10
		scale--
	}
	if scale < -MaxScale || scale > MaxScale {
		return Num{}, numError(in, "number's exponent is out of range")
	}
	v := int64(m)
	if neg {
		v = -v
	}
	return Num{m: v, s: int8(scale)}, nil
}

// Mantissa returns the integer mantissa: the value is Mantissa × 10^-Scale.
func (a Num) Mantissa() int64 { return a.m }

// Scale returns the number of decimal places the value was written with
// (negative for a number written with a positive exponent beyond its digits).
func (a Num) Scale() int { return int(a.s) }

// Sign returns -1, 0 or +1.
func (a Num) Sign() int {
	switch {
	case a.m < 0:
		return -1
	case a.m > 0:
		return 1
	}
	return 0
}

// IsZero reports whether the value is zero (at any scale).
func (a Num) IsZero() bool { return a.m == 0 }

// Neg returns -a with the same scale.
func (a Num) Neg() Num { return Num{m: -a.m, s: a.s} }

// Abs returns |a| with the same scale.
func (a Num) Abs() Num {
	if a.m < 0 {
		return a.Neg()
	}
	return a
}

// Equal reports whether a and b have the same value, whatever their scales
// ("3366" equals "3366.0").
func (a Num) Equal(b Num) bool { return a.Cmp(b) == 0 }

// Cmp compares the values of a and b exactly and returns -1, 0 or +1.
func (a Num) Cmp(b Num) int {
	if a.s != b.s {
		return cmpScales(a, b)
	}
	if a.m < b.m {
		return -1
	}
	if a.m > b.m {
		return 1
	}
	return 0
}

// cmpScales is Cmp for operands of different scales.
func cmpScales(a, b Num) int {
	sa, sb := a.Sign(), b.Sign()
	if sa != sb || sa == 0 {
		return cmp.Compare(sa, sb)
	}
	ua, ub := absU(a.m), absU(b.m)
	var c int
	if a.s > b.s {
		c = cmpShifted(ua, ub, int(a.s)-int(b.s))
	} else {
		c = -cmpShifted(ub, ua, int(b.s)-int(a.s))
	}
	return c * sa
}

// cmpShifted compares x with y·10^d for d > 0 and y > 0.
func cmpShifted(x, y uint64, d int) int {
	if d >= len(pow10) {
		return -1 // y·10^20 exceeds every mantissa
	}
	hi, lo := bits.Mul64(y, pow10[d])
	if hi != 0 {
		return -1
	}
	return cmp.Compare(x, lo)
}

// absU returns |m| as a uint64 (m is never math.MinInt64 in a Num).
func absU(m int64) uint64 {
	if m < 0 {
		return uint64(-m)
	}
	return uint64(m)
}

// rescale returns m × 10^d for d >= 0, and false when it does not fit.
func rescale(m int64, d int) (int64, bool) {
	if m == 0 || d == 0 {
		return m, true
	}
	if d >= len(pow10) {
		return 0, false
	}
	hi, lo := bits.Mul64(absU(m), pow10[d])
	if hi != 0 || lo > math.MaxInt64 {
		return 0, false
	}
	if m < 0 {
		return -int64(lo), true
	}
	return int64(lo), true
}

// add returns a+b exactly at the larger of the two scales, and false when the
// sum does not fit.
func (a Num) add(b Num) (Num, bool) {
	s := max(a.s, b.s)
	am, ok := rescale(a.m, int(s)-int(a.s))
	if !ok {
		return Num{}, false
	}
	bm, ok := rescale(b.m, int(s)-int(b.s))
	if !ok {
		return Num{}, false
	}
	sum := am + bm
	// Overflow iff both operands have the same sign and the sum's differs;
	// MinInt64 is excluded too so that Neg stays exact.
	if (am > 0 && bm > 0 && sum < 0) || (am < 0 && bm < 0 && sum >= 0) || sum == math.MinInt64 {
		return Num{}, false
	}
	return Num{m: sum, s: s}, true
}

// Decimal returns the value as a decimal.Decimal with the same scale. It
// allocates; the book calls it only for what it hands to users.
func (a Num) Decimal() decimal.Decimal { return decimal.New(a.m, -int32(a.s)) }

// String returns the number in plain notation with its scale (see Append).
func (a Num) String() string { return string(a.Append(make([]byte, 0, 24))) }

// Append appends the number in plain notation with exactly Scale decimals:
// the venue's wire text for a number it sent in plain notation ("3366",
// "43231.10", "0.00000500"). A negative scale appends that many zeros.
func (a Num) Append(dst []byte) []byte {
	if a.s <= 0 {
		dst = strconv.AppendInt(dst, a.m, 10)
		if a.m != 0 {
			dst = appendZeros(dst, -int(a.s))
		}
		return dst
	}
	if a.m < 0 {
		dst = append(dst, '-')
	}
	var buf [20]byte
	d := strconv.AppendUint(buf[:0], absU(a.m), 10)
	s := int(a.s)
	if len(d) <= s {
		dst = append(dst, '0', '.')
		dst = appendZeros(dst, s-len(d))
		return append(dst, d...)
	}
	p := len(d) - s
	dst = append(dst, d[:p]...)
	dst = append(dst, '.')
	return append(dst, d[p:]...)
}

// AppendJSNumber appends the number as JavaScript's Number.prototype.toString
// writes it (ECMA-262 Number::toString): shortest digits without trailing
// zeros, plain notation for 1e-7 < |x| < 1e21, else exponent form ("7e-7",
// "6.6e-7", "1e+21"). Venues that serialise JavaScript numbers (bitfinex)
// checksum this text. The result is exact for the value; it equals the
// venue's text whenever the venue sent at most 17 significant digits.
func (a Num) AppendJSNumber(dst []byte) []byte {
	if a.m == 0 {
		return append(dst, '0')
	}
	if a.m < 0 {
		dst = append(dst, '-')
	}
	u, s := absU(a.m), int(a.s)
	for u%10 == 0 {
		u /= 10
		s--
	}
	var buf [20]byte
	d := strconv.AppendUint(buf[:0], u, 10)
	k := len(d)
	n := k - s // the value is 0.d × 10^n
	switch {
	case k <= n && n <= 21:
		dst = append(dst, d...)
		return appendZeros(dst, n-k)
	case 0 < n && n <= 21:
		dst = append(dst, d[:n]...)
		dst = append(dst, '.')
		return append(dst, d[n:]...)
	case -6 < n && n <= 0:
		dst = append(dst, '0', '.')
		dst = appendZeros(dst, -n)
		return append(dst, d...)
	}
	dst = append(dst, d[0])
	if k > 1 {
		dst = append(dst, '.')
		dst = append(dst, d[1:]...)
	}
	e := n - 1
	if e >= 0 {
		dst = append(dst, 'e', '+')
	} else {
		dst = append(dst, 'e', '-')
		e = -e
	}
	return strconv.AppendInt(dst, int64(e), 10)
}

// AppendDigits appends the plain-notation text (see Append) with the decimal
// point and the leading zeros removed ("0.05000" → "5000", "45285.2" →
// "452852"); a zero value appends nothing. Kraken checksums this form.
func (a Num) AppendDigits(dst []byte) []byte {
	if a.m == 0 {
		return dst
	}
	if a.m < 0 {
		dst = append(dst, '-')
	}
	dst = strconv.AppendUint(dst, absU(a.m), 10)
	if a.s < 0 {
		dst = appendZeros(dst, -int(a.s))
	}
	return dst
}

func appendZeros(dst []byte, n int) []byte {
	for ; n > 0; n-- {
		dst = append(dst, '0')
	}
	return dst
}
