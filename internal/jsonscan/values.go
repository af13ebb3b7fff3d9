package jsonscan

import (
	"encoding/binary"
	"math/bits"
	"strconv"
)

// The value methods read the next value: the document's after Reset, a
// member's after More, an element after More or, in an array read element by
// element, the element after the last one read. A value of another type fails
// with ErrType (ErrSyntax when there is no value) and the method returns its
// zero result.

// Str reads a string and returns its content with escapes decoded: a view
// into the input when the string holds no escape, else the decoded text in
// the scanner's buffer. Either stays valid until the next Reset; appending
// to the result never overwrites the input or another result. Bytes that
// are not valid UTF-8 are returned as they are.
func (s *Scanner) Str() []byte {
	if i, ok := s.valueHere(); ok && s.data[i] == '"' {
		if end := stringStop(s.data, i+1); end < len(s.data) && s.data[end] == '"' {
			s.pos = end + 1 // the fast case: no escape, no whitespace before
			s.read()
			return s.data[i+1 : end : end]
		}
	}
	start, end, escaped, ok := s.readString()
	if !ok {
		return nil
	}
	return s.text(start, end, escaped)
}

// StrPair reads an array whose first two elements are strings, such as a
// book level ["price","amount"], and returns their contents as Str does;
// further elements are skipped (and checked, as every unread value is). An
// array of fewer than two elements fails with ErrType. The compact form
// venues send is read in one step, without entering the array.
func (s *Scanner) StrPair() (first, second []byte) {
	if i, ok := s.valueHere(); ok && s.data[i] == '[' && s.depth < MaxDepth {
		d := s.data
		if i+1 < len(d) && d[i+1] == '"' {
			e1 := stringStop(d, i+2)
			if e1+2 < len(d) && d[e1] == '"' && d[e1+1] == ',' && d[e1+2] == '"' {
				e2 := stringStop(d, e1+3)
				if e2+1 < len(d) && d[e2] == '"' && d[e2+1] == ']' {
					s.pos = e2 + 2
					s.read()
					return d[i+2 : e1 : e1], d[e1+3 : e2 : e2]
				}
			}
		}
	}
	pair := s.Array()
	for n := 0; s.More(pair); n++ {
		switch n {
		case 0:
			first = s.Str()
		case 1:
			second = s.Str()
		}
		if n == 1 {
			for s.More(pair) { // the rest is skipped
			}
			return first, second
		}
	}
	if s.err == nil {
		s.failAt(s.pos-1, ErrType, "expected an array of two strings, found fewer elements")
	}
	return nil, nil
}

// AppendStr reads a string, appends its content with escapes decoded to dst
// and returns the extended slice (dst unchanged on an error).
func (s *Scanner) AppendStr(dst []byte) []byte {
	start, end, escaped, ok := s.readString()
	if !ok {
		return dst
	}
	if !escaped {
		return append(dst, s.data[start:end]...)
	}
	return appendUnescaped(dst, s.data[start:end])
}

// readString reads a string value and returns the offsets of its content
// (between the quotes) and whether it holds escapes.
func (s *Scanner) readString() (start, end int, escaped, ok bool) {
	if !s.announce() {
		return 0, 0, false, false
	}
	if s.data[s.pos] != '"' {
		s.mismatch("a string")
		return 0, 0, false, false
	}
	start, end, escaped, ok = s.scanString()
	if ok {
		s.pos = end + 1
		s.read()
	}
	return start, end, escaped, ok
}

// text returns the content of the string between start and end, decoded
// into s.buf when it holds escapes. Results are capped at their length so
// that a caller's append copies instead of overwriting.
func (s *Scanner) text(start, end int, escaped bool) []byte {
	if !escaped {
		return s.data[start:end:end]
	}
	n := len(s.buf)
	s.buf = appendUnescaped(s.buf, s.data[start:end])
	return s.buf[n:len(s.buf):len(s.buf)]
}

// Int reads an integer, exactly: a number without fraction or exponent
// ("-42", not "42.0" or "4.2e1", which fail with ErrType). One beyond the
// int64 range fails with ErrRange.
func (s *Scanner) Int() int64 {
	if !s.announce() {
		return 0
	}
	// The usual integer (ids, times) is read in one pass; anything else,
	// and every error, takes the checked path below.
	if m, scale, end, ok := PlainNumber(s.data, s.pos); ok && scale == 0 && s.delimited(end) {
		s.pos = end
		s.read()
		return m
	}
	if kindOf(s.data[s.pos]) != Number {
		s.mismatch("an integer")
		return 0
	}
	end, integer, ok := s.scanNumber()
	if !ok {
		return 0
	}
	text := s.data[s.pos:end]
	if !integer {
		s.fail(ErrType, "expected an integer, found the number "+string(text))
		return 0
	}
	v, ok := parseInt(text)
	if !ok {
		s.fail(ErrRange, "the integer "+string(text)+" does not fit in an int64")
		return 0
	}
	s.pos = end
	s.read()
	return v
}

// parseInt converts the text of a JSON integer (checked: an optional '-'
// and digits without a leading zero); ok is false when it does not fit in
// an int64.
func parseInt(text []byte) (v int64, ok bool) {
	neg := text[0] == '-'
	digits := text
	limit := uint64(1<<63 - 1)
	if neg {
		digits = text[1:]
		limit++
	}
	var u uint64
	for _, c := range digits {
		d := uint64(c - '0')
		if u > (limit-d)/10 {
			return 0, false
		}
		u = u*10 + d
	}
	if neg {
		return int64(-u), true // -(1<<63) wraps to itself, as it should
	}
	return int64(u), true
}

// Number reads a number and returns its text exactly as written ("0.0024",
// "-1.5e-7"), for an exact decimal parser; a view into the input, valid
// until the next Reset.
func (s *Scanner) Number() []byte {
	if !s.announce() {
		return nil
	}
	if kindOf(s.data[s.pos]) != Number {
		s.mismatch("a number")
		return nil
	}
	end, _, ok := s.scanNumber()
	if !ok {
		return nil
	}
	text := s.data[s.pos:end:end]
	s.pos = end
	s.read()
	return text
}

// Bool reads true or false.
func (s *Scanner) Bool() bool {
	if !s.announce() {
		return false
	}
	switch s.data[s.pos] {
	case 't':
		if s.literal("true") {
			s.read()
			return true
		}
	case 'f':
		if s.literal("false") {
			s.read()
		}
	default:
		s.mismatch("a boolean")
	}
	return false
}

// Null reads the next value if it is null and reports whether it was; any
// other value is left for another method to read. It fails only where no
// value comes next, or on a malformed null.
func (s *Scanner) Null() bool {
	if !s.announce() || s.data[s.pos] != 'n' {
		return false
	}
	if !s.literal("null") {
		return false
	}
	s.read()
	return true
}

// Skip reads past the next value, whatever it is, checking it.
func (s *Scanner) Skip() {
	if s.announce() {
		s.skip()
	}
}

// Raw reads past the next value, checking it, and returns its exact text: a
// view into the input, valid until the next Reset. It lets an adapter keep a
// value for later, such as the "data" of a combined-stream frame whose
// "stream" name comes after it (scan it then with a Scanner of its own).
func (s *Scanner) Raw() []byte {
	if !s.announce() {
		return nil
	}
	start := s.pos
	if !s.skip() {
		return nil
	}
	return s.data[start:s.pos:s.pos]
}

// literal reads the word (true, false or null) at the current position.
func (s *Scanner) literal(word string) bool {
	i := s.pos
	for j := 0; j < len(word); j++ {
		if i+j >= len(s.data) || s.data[i+j] != word[j] {
			s.failAt(i+j, ErrSyntax, "expected "+word+", found "+s.found(i+j))
			return false
		}
	}
	end := i + len(word)
	if !s.delimited(end) {
		s.failAt(end, ErrSyntax, "expected ',', ']', '}' or whitespace after "+word+", found "+s.found(end))
		return false
	}
	s.pos = end
	return true
}

// delimited reports whether the byte at i may follow a number or a literal:
// whitespace, ',', ']', '}' or the end of input. Checking it where the value
// is read lets the read itself refuse "01" or "truex".
func (s *Scanner) delimited(i int) bool {
	if i >= len(s.data) {
		return true
	}
	switch s.data[i] {
	case ' ', '\t', '\n', '\r', ',', ']', '}':
		return true
	}
	return false
}

// scanNumber checks the number at the current position against JSON's
// grammar, -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, and returns the
// offset after it and whether it is an integer (no fraction, no exponent).
// It does not move s.pos.
func (s *Scanner) scanNumber() (end int, integer, ok bool) {
	data := s.data
	i := s.pos
	if data[i] == '-' {
		i++
	}
	switch {
	case i < len(data) && data[i] == '0':
		i++
	case i < len(data) && data[i] >= '1' && data[i] <= '9':
		i = digits(data, i+1)
	default:
		s.failAt(i, ErrSyntax, "expected a digit in a number, found "+s.found(i))
		return 0, false, false
	}
	integer = true
	if i < len(data) && data[i] == '.' {
		integer = false
		if i+1 >= len(data) || data[i+1] < '0' || data[i+1] > '9' {
			s.failAt(i+1, ErrSyntax, "expected a digit after the decimal point, found "+s.found(i+1))
			return 0, false, false
		}
		i = digits(data, i+1)
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		integer = false
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		if i >= len(data) || data[i] < '0' || data[i] > '9' {
			s.failAt(i, ErrSyntax, "expected a digit in the exponent, found "+s.found(i))
			return 0, false, false
		}
		i = digits(data, i)
	}
	if !s.delimited(i) {
		s.failAt(i, ErrSyntax, "expected ',', ']', '}' or whitespace after a number, found "+s.found(i))
		return 0, false, false
	}
	return i, integer, true
}

// digits returns the offset of the first byte at or after i that is not a
// decimal digit.
func digits(data []byte, i int) int {
	for i < len(data) && data[i] >= '0' && data[i] <= '9' {
		i++
	}
	return i
}

// plain marks the bytes that stand for themselves inside a string: all but
// the quote, the backslash and the control characters below 0x20.
var plain = func() (t [256]bool) {
	for c := 0x20; c < 256; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// Byte-parallel tests on eight bytes in a uint64 (the "has a zero byte"
// trick): x - ones sets the top bit of a byte that was zero (or was below
// the constant subtracted), and &^ x drops the bytes whose top bit was set.
// The lowest flagged byte is always a true match; flags above it may not be.
const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// special flags the top bit of each byte of x (little-endian order) that a
// string scan must stop at: '"', '\\' or a byte below 0x20.
func special(x uint64) uint64 {
	quote := x ^ ones*'"'
	slash := x ^ ones*'\\'
	return ((quote-ones)&^quote | (slash-ones)&^slash | (x-ones*0x20)&^x) & highs
}

// stringStop returns the offset of the first byte at or after i that ends a
// run of plain string bytes, or len(data). It reads eight bytes at a time.
func stringStop(data []byte, i int) int {
	for ; i+8 <= len(data); i += 8 {
		if m := special(binary.LittleEndian.Uint64(data[i:])); m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for i < len(data) && plain[data[i]] {
		i++
	}
	return i
}

// scanString checks the string whose opening quote is at the current
// position and returns the offsets of its content (end is the closing
// quote's) and whether it holds escapes. It does not move s.pos.
func (s *Scanner) scanString() (start, end int, escaped, ok bool) {
	data := s.data
	start = s.pos + 1
	i := start
	for {
		i = stringStop(data, i)
		if i >= len(data) {
			s.failAt(i, ErrSyntax, "expected '\"' to end the string that starts at offset "+strconv.Itoa(s.pos)+", found end of input")
			return 0, 0, false, false
		}
		switch c := data[i]; c {
		case '"':
			return start, i, escaped, true
		case '\\':
			n := escapeLen(data[i:])
			if n == 0 {
				s.failAt(i, ErrSyntax, "expected an escape sequence (\\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\u and four hex digits), found "+strconv.Quote(string(data[i:min(i+6, len(data))])))
				return 0, 0, false, false
			}
			escaped = true
			i += n
		default:
			s.failAt(i, ErrSyntax, "expected a character of a string, found the control character "+s.found(i)+" (it must be escaped)")
			return 0, 0, false, false
		}
	}
}
