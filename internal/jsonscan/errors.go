package jsonscan

import (
	"errors"
	"strconv"
)

// The categories of an *Error, for errors.Is.
var (
	// ErrSyntax: the input is not JSON (json.Valid would refuse it).
	ErrSyntax = errors.New("syntax error")
	// ErrTooDeep: objects and arrays nest deeper than MaxDepth.
	ErrTooDeep = errors.New("nesting too deep")
	// ErrType: the value is valid JSON but not of the type read (a string
	// where Int was called, a fraction where an integer was expected, the
	// end of an array where a value was read).
	ErrType = errors.New("unexpected value type")
	// ErrRange: an integer does not fit in an int64.
	ErrRange = errors.New("integer out of range")
	// ErrUsage: the calls do not follow the document (a member's value read
	// before More gave its key, a value read after the document's end).
	ErrUsage = errors.New("calls out of order")
)

// Error is the error a Scanner reports: where in the input, of which
// category, and what was expected there and found instead.
type Error struct {
	// Offset is the byte offset in the input where the problem is.
	Offset int
	// Err is the category: ErrSyntax, ErrTooDeep, ErrType, ErrRange or
	// ErrUsage.
	Err error
	// Msg says what was expected and what was found.
	Msg string
}

// Error renders the error as "jsonscan: <category> at offset <n>: <msg>".
func (e *Error) Error() string {
	return "jsonscan: " + e.Err.Error() + " at offset " + strconv.Itoa(e.Offset) + ": " + e.Msg
}

// Unwrap returns the category, so errors.Is(err, ErrSyntax) works.
func (e *Error) Unwrap() error { return e.Err }

// failAt records the first error (later ones are consequences of it) and
// stops the scan.
func (s *Scanner) failAt(offset int, category error, msg string) {
	if s.state != failed {
		s.err = &Error{Offset: offset, Err: category, Msg: msg}
		s.state = failed
	}
}

// fail records an error at the current position.
func (s *Scanner) fail(category error, msg string) { s.failAt(s.pos, category, msg) }

// found describes the byte at offset i for a message: "end of input", a
// quoted printable character, or the byte's hex value.
func (s *Scanner) found(i int) string {
	if i >= len(s.data) {
		return "end of input"
	}
	c := s.data[i]
	if c >= 0x20 && c < 0x7f {
		return strconv.QuoteRune(rune(c))
	}
	return "byte 0x" + strconv.FormatUint(uint64(c)>>4, 16) + strconv.FormatUint(uint64(c)&0xf, 16)
}

// mismatch records that the value at the current position is not what was
// asked for (want, such as "a string"): ErrType when it is some other value,
// ErrSyntax when it is no value at all.
func (s *Scanner) mismatch(want string) {
	if k := kindOf(s.data[s.pos]); k != Invalid {
		s.fail(ErrType, "expected "+want+", found "+k.phrase())
		return
	}
	s.fail(ErrSyntax, "expected a value, found "+s.found(s.pos))
}
