package jsonscan

import (
	"encoding/binary"
	"math/bits"
)

// PlainNumber reads the form venues write nearly every number in, starting
// at in[i]: an optional '-', an integer part without leading zeros, and an
// optional point followed by at least one digit, 18 digits at most in all.
// It returns the number as mantissa × 10^-scale (the scale is the count of
// fraction digits, trailing zeros included) and the offset of the first
// byte after it. ok is false when in[i:] does not start with such a number,
// or when the number goes on in a form this does not read (an exponent,
// more digits): the caller reads those by JSON's full rules, or refuses.
func PlainNumber(in []byte, i int) (mantissa int64, scale, end int, ok bool) {
	// The fast case: a positive number of at most seven integer and eight
	// fraction digits, with room after it to read eight bytes at a time —
	// every price and amount in a frame's book level.
	if i >= 0 && i+17 <= len(in) {
		v := load8(in[i : i+8])
		k := leadingDigits(v)
		if k > 0 && k < 8 && (k == 1 || byte(v) != '0') { // byte(v), not in[i]: see quotedNumber
			m := int64(digitsValue(v, k))
			j := i + k
			switch in[j] {
			case '.':
				w := load8(in[j+1 : j+9])
				f := leadingDigits(w)
				if f > 0 && (f < 8 || in[j+9]-'0' > 9) {
					if e := j + 1 + f; in[e] != '.' && in[e] != 'e' && in[e] != 'E' {
						return m*pow10[f] + int64(digitsValue(w, f)), f, e, true
					}
				}
			case 'e', 'E':
			default:
				return m, 0, j, true
			}
		}
	}
	return plainNumber(in, i)
}

// plainNumber is PlainNumber for every case but the fast one.
func plainNumber(in []byte, i int) (mantissa int64, scale, end int, ok bool) {
	n := len(in)
	neg := i < n && in[i] == '-'
	if neg {
		i++
	}
	start := i
	m, i := digitRun(in, i, 0)
	whole := i - start
	if whole == 0 || whole > 1 && in[start] == '0' || whole > 18 {
		return 0, 0, i, false
	}
	if i < n && in[i] == '.' {
		frac := i + 1
		m, i = digitRun(in, frac, m)
		if scale = i - frac; scale == 0 || whole+scale > 18 {
			return 0, 0, i, false
		}
	}
	if i < n && (in[i] == '.' || in[i] == 'e' || in[i] == 'E') {
		return 0, 0, i, false // more of a number than this reads
	}
	if neg {
		m = -m
	}
	return m, scale, i, true
}

// digitRun reads the run of ASCII digits at in[i:] onto m (m × 10 + digit,
// for each) and returns the result and the offset after the run. Where
// eight bytes are there it reads them at once, which takes a whole run of
// up to seven digits (prices' integer parts, most fractions) in one step.
// A run of more than 18 digits overflows m: the caller refuses those by
// their count.
func digitRun(in []byte, i int, m int64) (int64, int) {
	if i >= 0 && i+8 <= len(in) {
		v := load8(in[i : i+8])
		k := leadingDigits(v)
		m = m*pow10[k] + int64(digitsValue(v, k))
		i += k
		if k < 8 {
			return m, i
		}
	}
	for ; i < len(in) && in[i]-'0' <= 9; i++ {
		m = m*10 + int64(in[i]-'0')
	}
	return m, i
}

// pow10 holds 10^0 … 10^8, and zeros to fill the table to a power of two
// (so that indexing it by a byte count needs no bounds check).
var pow10 = [16]int64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8}

// load8 returns eight bytes as a little-endian word, in one load.
func load8(b []byte) uint64 { return binary.LittleEndian.Uint64(b) }

// leadingDigits returns how many of the eight bytes of v, lowest first,
// are ASCII digits before the first that is not (8 when all are).
func leadingDigits(v uint64) int {
	// A byte is a digit when its high nibble is 3 and adding 6 keeps it so.
	x := (v&0xF0F0F0F0F0F0F0F0 ^ 0x3030303030303030) | ((v+0x0606060606060606)&0xF0F0F0F0F0F0F0F0 ^ 0x3030303030303030)
	// The top bit of each byte of x that is not zero; a carry of the
	// addition only reaches bytes above a non-digit, which do not count.
	nonzero := ((x & 0x7F7F7F7F7F7F7F7F) + 0x7F7F7F7F7F7F7F7F | x) & 0x8080808080808080
	return bits.TrailingZeros64(nonzero) / 8 & 15
}

// digitsValue returns the value of the first k (0 to 8) bytes of v, ASCII
// digits, the first digit in the lowest byte (the SWAR conversion: the
// digits moved to the top, pairs, fours, eight; k = 0 shifts all out).
func digitsValue(v uint64, k int) uint64 {
	v = (v - 0x3030303030303030) << (64 - 8*k)
	v = v*10 + v>>8
	return ((v&0x000000FF000000FF)*(100+1000000<<32) + (v>>16&0x000000FF000000FF)*(1+10000<<32)) >> 32
}

// Pair is a book level that NumPairs read: two plain numbers, each as a
// mantissa and a scale (value = mantissa × 10^-scale).
type Pair struct {
	M1, M2 int64
	S1, S2 int
}

// NumPairs reads book levels a run at a time: from where StrPair would
// read an element of an array, up to len(Scanner.pairs) elements in a row
// that are levels of compact form whose first two elements are strings
// holding plain numbers (PlainNumber) and whose further elements, if any,
// are strings without escapes: ["64000.10","0.5"], or okx's
// ["64000.1","0.5","0","2"]. It stops before the array's end and before
// the first element not in that form (whitespace, escapes, exponents, too
// many digits, another shape), leaving those to More and StrPair; the
// scanner then stands after the last level read. An empty result means
// the element at hand is not in that form. The result is valid until the
// next call.
//
// Reading a run skips the scanner's bookkeeping between levels, which
// cost as much as parsing a level's two numbers.
func (s *Scanner) NumPairs() []Pair {
	out := s.pairs[:0]
	i, here := s.valueHere()
	if !here || s.depth >= MaxDepth {
		return out
	}
	d := s.data
	end := -1 // after the last level read
	for len(out) < len(s.pairs) && i+1 < len(d) && d[i] == '[' && d[i+1] == '"' {
		m1, s1, e1, ok := quotedNumber(d, i+2)
		if !ok || e1+2 >= len(d) || d[e1+1] != ',' || d[e1+2] != '"' {
			break
		}
		m2, s2, e2, ok := quotedNumber(d, e1+3)
		if !ok {
			break
		}
		j := e2 + 1 // after the amount's closing quote
		for j+1 < len(d) && d[j] == ',' && d[j+1] == '"' {
			if j = stringStop(d, j+2); j >= len(d) || d[j] != '"' {
				break // an escape or a control byte: not this form
			}
			j++
		}
		if j >= len(d) || d[j] != ']' {
			break
		}
		out = append(out, Pair{M1: m1, M2: m2, S1: s1, S2: s2})
		end = j + 1
		if end >= len(d) || d[end] != ',' {
			break
		}
		i = end + 1
	}
	if end >= 0 {
		s.pos = end
		s.read()
	}
	return out
}

// quotedNumber reads a plain number (PlainNumber's form) that a string's
// closing quote ends, at d[i:]; end is the quote's offset. The usual case,
// at most seven integer and eight fraction digits, is read within one
// 17-byte window, where the quote alone stands for PlainNumber's checks of
// what follows the digits.
func quotedNumber(d []byte, i int) (mantissa int64, scale, end int, ok bool) {
	if i >= 0 && i+17 <= len(d) {
		w := d[i : i+17 : i+17]
		v := load8(w)
		// The first digit is read from v: a second load of w[0] would keep
		// the compiler from merging load8's eight into one.
		if k := leadingDigits(v); uint(k-1) < 7 && (k == 1 || byte(v) != '0') {
			m := int64(digitsValue(v, k))
			switch w[k] {
			case '"':
				return m, 0, i + k, true
			case '.':
				x := load8(w[k+1 : k+9])
				if f := leadingDigits(x); f > 0 && w[k+1+f] == '"' {
					return m*pow10[f] + int64(digitsValue(x, f)), f, i + k + 1 + f, true
				}
			}
		}
	}
	mantissa, scale, end, ok = PlainNumber(d, i)
	return mantissa, scale, end, ok && end < len(d) && d[end] == '"'
}
