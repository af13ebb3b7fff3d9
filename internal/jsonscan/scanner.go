package jsonscan

import "strconv"

// MaxDepth is how deeply objects and arrays may nest; deeper input is
// refused with ErrTooDeep. Venue frames nest a handful of levels; the bound
// keeps hostile input from costing more than a fixed, small amount of state.
const MaxDepth = 512

// Kind is the type of a JSON value.
type Kind uint8

// The kinds of JSON values, and Invalid for no value.
const (
	// Invalid: no value here (end of input, end of an array, a byte that
	// starts no value, or the scanner has failed).
	Invalid Kind = iota
	Null
	Bool
	Number
	String
	Object
	Array
)

// String returns the kind's name: "null", "bool", "number", "string",
// "object", "array" or "invalid".
func (k Kind) String() string {
	switch k {
	case Null:
		return "null"
	case Bool:
		return "bool"
	case Number:
		return "number"
	case String:
		return "string"
	case Object:
		return "object"
	case Array:
		return "array"
	}
	return "invalid"
}

// phrase names a kind in an error message: "a string", "an object", "null".
func (k Kind) phrase() string {
	switch k {
	case Null:
		return "null"
	case Bool:
		return "a boolean"
	case Object, Array:
		return "an " + k.String()
	}
	return "a " + k.String()
}

// kindOf returns the kind of the value that starts with byte c.
func kindOf(c byte) Kind {
	switch {
	case c == '"':
		return String
	case c == '{':
		return Object
	case c == '[':
		return Array
	case c == '-' || c >= '0' && c <= '9':
		return Number
	case c == 't' || c == 'f':
		return Bool
	case c == 'n':
		return Null
	}
	return Invalid
}

// state is where the scanner stands in the innermost open container (or in
// the document, at depth 0).
type state uint8

const (
	// atValue: the next thing is a value to read: the document's (after
	// Reset), a member's (after More gave its key) or an element More
	// announced.
	atValue state = iota
	// opened: the innermost container was just opened.
	opened
	// afterValue: a value of the innermost container was just read.
	afterValue
	// atEnd: the document's value has been read.
	atEnd
	// failed: the scanner met an error (s.err); every read now fails.
	failed
)

// Scanner reads one JSON document held in a byte slice; see the package
// documentation. The zero value is ready for Reset.
type Scanner struct {
	data  []byte
	pos   int
	err   error // set with state failed
	depth int   // open containers
	state state
	obj   bool // the innermost container is an object (an array if not)
	// objects has bit d-1 set when the container at depth d is an object
	// (clear for an array).
	objects [MaxDepth / 64]uint64
	key     []byte
	// buf holds the decoded escaped strings and keys of the current
	// document; Reset truncates it, so it is allocated once and reused.
	buf []byte
	// pairs holds what NumPairs read last. A fixed array, so that a
	// scanner made for each frame reads runs without allocating; a side
	// of more levels takes a few calls.
	pairs [32]Pair
}

// Container is an object or array that Object or Array opened: the handle
// that More takes. The zero Container (what Object and Array return on an
// error) is no container: More returns false for it.
type Container struct{ depth int }

// Reset starts reading the document in data. The scanner keeps data (its
// results are views into it) and never modifies it.
func (s *Scanner) Reset(data []byte) {
	s.data, s.pos, s.err, s.depth, s.state, s.key = data, 0, nil, 0, atValue, nil
	s.buf = s.buf[:0]
}

// Err returns the first error the scanner met, or nil.
func (s *Scanner) Err() error { return s.err }

// End finishes the document: it skips (and checks) whatever was not read,
// then requires that nothing but whitespace follows. It returns the first
// error of the whole scan, or nil when the document is valid JSON and every
// read matched it. End is the last call for a document; calling it again
// returns the same result.
func (s *Scanner) End() error {
	for s.state != failed && s.depth > 0 {
		s.finish()
	}
	if s.state == atValue {
		s.skip() // the document was not read at all
	}
	if s.state == failed {
		return s.err
	}
	s.skipSpace()
	if s.pos < len(s.data) {
		s.fail(ErrSyntax, "expected the end of input after the document, found "+s.found(s.pos))
	}
	return s.err
}

// Object opens the object that is the next value and returns its handle for
// More. When the next value is not an object it fails (ErrType, or
// ErrSyntax when it is no value) and returns the zero Container.
func (s *Scanner) Object() Container {
	if i, ok := s.valueHere(); ok && s.data[i] == '{' && s.depth < MaxDepth {
		s.pos = i + 1
		s.enter(true)
		return Container{s.depth}
	}
	return s.open('{')
}

// Array opens the array that is the next value and returns its handle for
// More. When the next value is not an array it fails (ErrType, or ErrSyntax
// when it is no value) and returns the zero Container.
//
// The elements can be read in a More loop or, for a fixed layout such as
// [price, amount], one after the other with the value methods; reading past
// the last element fails with ErrType.
func (s *Scanner) Array() Container {
	if i, ok := s.valueHere(); ok && s.data[i] == '[' && s.depth < MaxDepth {
		s.pos = i + 1
		s.enter(false)
		return Container{s.depth}
	}
	return s.open('[')
}

// open is Object and Array for every case but the fast one.
func (s *Scanner) open(bracket byte) Container {
	if !s.announce() {
		return Container{}
	}
	if s.data[s.pos] != bracket {
		if bracket == '{' {
			s.mismatch("an object")
		} else {
			s.mismatch("an array")
		}
		return Container{}
	}
	s.pos++
	if !s.push(bracket == '{') {
		return Container{}
	}
	return Container{s.depth}
}

// More advances to the next member of object c (whose key Key then returns)
// or the next element of array c, and reports whether there is one. At the
// end of c it consumes the closing bracket and returns false; it returns
// false also after an error and for a container already closed.
//
// Before advancing, More skips what was left unread: the value of the
// previous member or element, and the rest of any container inside c that a
// nested loop opened but did not finish (a break, or an array of which only
// the first elements were read).
func (s *Scanner) More(c Container) bool {
	// The fast cases, for compact input; anything else goes to more, from
	// the state as it was.
	if c.depth > 0 && s.depth == c.depth+1 && s.state == afterValue && s.pos < len(s.data) && s.data[s.pos] == s.closer() {
		s.pos++ // an inner container read to its last value, such as a level
		s.pop()
	}
	if s.depth == c.depth && (s.state == afterValue || s.state == opened) && s.pos < len(s.data) {
		i := s.pos
		b := s.data[i]
		if b == s.closer() {
			s.pos = i + 1
			s.pop()
			return false
		}
		if s.state == afterValue && b == ',' {
			i++
		}
		if i > s.pos || s.state == opened {
			if s.obj {
				if s.keyHere(i) {
					return true
				}
			} else if i < len(s.data) && s.data[i] > ' ' {
				s.pos, s.state = i, atValue
				return true
			}
		}
	}
	return s.more(c)
}

// more is More for every case but the fast ones.
func (s *Scanner) more(c Container) bool {
	if s.state == failed || c.depth == 0 || c.depth > s.depth {
		return false
	}
	for s.depth > c.depth {
		if !s.finish() {
			return false
		}
	}
	if s.state == atValue && !s.skip() {
		return false
	}
	return s.advance(true)
}

// keyHere reads a member's key that starts at offset i and is followed
// directly by the colon, with no escape in it, and reports whether it did.
func (s *Scanner) keyHere(i int) bool {
	data := s.data
	if i >= len(data) || data[i] != '"' {
		return false
	}
	end := stringStop(data, i+1)
	if end+1 >= len(data) || data[end] != '"' || data[end+1] != ':' {
		return false
	}
	s.key = data[i+1 : end : end]
	s.pos, s.state = end+2, atValue
	return true
}

// closer returns the closing bracket of the innermost container.
func (s *Scanner) closer() byte {
	if s.obj {
		return '}'
	}
	return ']'
}

// Key returns the key of the member More moved to: exact bytes, with escapes
// decoded. It stays valid until the next Reset.
func (s *Scanner) Key() []byte { return s.key }

// push records a container just opened (its bracket consumed).
func (s *Scanner) push(object bool) bool {
	if s.depth == MaxDepth {
		s.failAt(s.pos-1, ErrTooDeep, "more than "+strconv.Itoa(MaxDepth)+" nested objects and arrays")
		return false
	}
	s.enter(object)
	return true
}

// enter is push below MaxDepth.
func (s *Scanner) enter(object bool) {
	d := uint(s.depth)
	w, bit := d/64, uint64(1)<<(d%64)
	if object {
		s.objects[w] |= bit
	} else {
		s.objects[w] &^= bit
	}
	s.depth++
	s.obj = object
	s.state = opened
}

// pop records that the innermost container was closed (its bracket
// consumed): a value of the container around it has been read.
func (s *Scanner) pop() {
	s.depth--
	if d := uint(s.depth); d > 0 {
		s.obj = s.objects[(d-1)/64]>>((d-1)%64)&1 == 1
	}
	s.read()
}

// read records that a value has been read.
func (s *Scanner) read() {
	if s.depth > 0 {
		s.state = afterValue
	} else {
		s.state = atEnd
	}
}

// skipSpace moves past JSON whitespace. Compact frames have none: the
// first test settles it, inlined.
func (s *Scanner) skipSpace() {
	if s.pos < len(s.data) && s.data[s.pos] > ' ' {
		return
	}
	s.skipSpaces()
}

// skipSpaces is skipSpace's loop.
func (s *Scanner) skipSpaces() {
	i := s.pos
	for i < len(s.data) && space[s.data[i]] {
		i++
	}
	s.pos = i
}

// space marks the four whitespace bytes of JSON.
var space = [256]bool{' ': true, '\t': true, '\n': true, '\r': true}

// announce readies the next value for a read: it moves to the next element
// when the innermost container is an array and skips whitespace. It fails
// when there is no value to read (end of input, end of the array, a member
// whose key More has not given, the document already read); on success
// s.pos is at the value's first byte.
func (s *Scanner) announce() bool {
	if i, ok := s.valueHere(); ok {
		s.pos, s.state = i, atValue
		return true
	}
	return s.announceSlow()
}

// valueHere finds the next value's first byte in the fast case: no
// whitespace before it and, in an array, only the comma. It changes
// nothing; ok is false for every other case (announceSlow's).
func (s *Scanner) valueHere() (i int, ok bool) {
	i = s.pos
	switch s.state {
	case atValue:
	case opened:
		if s.obj {
			return 0, false
		}
	case afterValue:
		if s.obj || i >= len(s.data) || s.data[i] != ',' {
			return 0, false
		}
		i++
	default:
		return 0, false
	}
	if i >= len(s.data) || s.data[i] <= ' ' || s.data[i] == ']' {
		return 0, false
	}
	return i, true
}

// announceSlow is announce for every case but the fast one.
func (s *Scanner) announceSlow() bool {
	switch s.state {
	case failed:
		return false
	case atValue:
	case atEnd:
		s.fail(ErrUsage, "the document's value has already been read")
		return false
	default:
		if s.obj {
			s.fail(ErrUsage, "a member's value read before More gave its key")
			return false
		}
		if !s.nextElement() {
			if s.state != failed {
				s.fail(ErrType, "expected a value, found the end of the array")
			}
			return false
		}
	}
	s.skipSpace()
	if s.pos >= len(s.data) {
		s.fail(ErrSyntax, "expected a value, found end of input")
		return false
	}
	return true
}

// Kind reports the kind of the next value, judging by its first byte,
// without reading it: after Reset, after More, or for the next element of
// an array being read one element after another. It returns Invalid where
// no value comes next (the end of an array, the end of input, the document
// already read) or after an error; a byte that starts no value is Invalid
// too, and its read will fail with ErrSyntax.
func (s *Scanner) Kind() Kind {
	switch s.state {
	case atValue:
	case atEnd, failed:
		return Invalid
	default:
		if s.obj || !s.nextElement() {
			return Invalid
		}
	}
	s.skipSpace()
	if s.pos >= len(s.data) {
		return Invalid
	}
	return kindOf(s.data[s.pos])
}

// advance moves past the separator to the next member or element of the
// innermost container (state opened or afterValue) and reports whether there
// is one. With decodeKey it keeps the member's key for Key. At the end it
// consumes the closing bracket and returns false.
func (s *Scanner) advance(decodeKey bool) bool {
	var more bool
	if s.obj {
		more = s.nextMember(decodeKey)
	} else {
		more = s.nextElement()
	}
	if more || s.state == failed {
		return more
	}
	s.pos++ // the closing bracket, where nextMember or nextElement stopped
	s.pop()
	return false
}

// nextElement moves to the next element of the innermost array (state
// opened or afterValue): past the comma, setting state atValue. At the
// array's end it returns false and leaves s.pos at the ']'.
func (s *Scanner) nextElement() bool {
	s.skipSpace()
	if s.pos >= len(s.data) {
		if s.state == opened {
			s.fail(ErrSyntax, "expected a value or ']', found end of input")
		} else {
			s.fail(ErrSyntax, "expected ',' or ']' after an array element, found end of input")
		}
		return false
	}
	c := s.data[s.pos]
	if c == ']' {
		return false
	}
	if s.state == afterValue {
		if c != ',' {
			s.fail(ErrSyntax, "expected ',' or ']' after an array element, found "+s.found(s.pos))
			return false
		}
		s.pos++
	}
	s.state = atValue
	return true
}

// nextMember moves to the next member of the innermost object (state opened
// or afterValue): past the comma, the key and the colon, setting state
// atValue; with decodeKey it keeps the key. At the object's end it returns
// false and leaves s.pos at the '}'.
func (s *Scanner) nextMember(decodeKey bool) bool {
	s.skipSpace()
	if s.pos < len(s.data) && s.data[s.pos] == '}' {
		return false
	}
	if s.state == afterValue {
		if s.pos >= len(s.data) || s.data[s.pos] != ',' {
			s.fail(ErrSyntax, "expected ',' or '}' after an object member, found "+s.found(s.pos))
			return false
		}
		s.pos++
		s.skipSpace()
	}
	if s.pos >= len(s.data) || s.data[s.pos] != '"' {
		if s.state == opened {
			s.fail(ErrSyntax, "expected a string key or '}', found "+s.found(s.pos))
		} else {
			s.fail(ErrSyntax, "expected a string key after ',', found "+s.found(s.pos))
		}
		return false
	}
	start, end, escaped, ok := s.scanString()
	if !ok {
		return false
	}
	s.pos = end + 1
	if decodeKey {
		s.key = s.text(start, end, escaped)
	}
	s.skipSpace()
	if s.pos >= len(s.data) || s.data[s.pos] != ':' {
		s.fail(ErrSyntax, "expected ':' after an object key, found "+s.found(s.pos))
		return false
	}
	s.pos++
	s.state = atValue
	return true
}

// finish closes the innermost container, skipping (and checking) what is
// left of it.
func (s *Scanner) finish() bool {
	if s.state == atValue && !s.skip() {
		return false
	}
	for s.advance(false) {
		if !s.skip() {
			return false
		}
	}
	return s.state != failed
}

// skip reads past the value at the current position (state atValue),
// checking it, without recursion: nested containers are tracked on the same
// stack as the caller's.
func (s *Scanner) skip() bool {
	base := s.depth
	for {
		if !s.skipOne() {
			return false
		}
		for s.depth > base {
			if s.advance(false) {
				break // a value of the container is next
			}
			if s.state == failed {
				return false
			}
		}
		if s.depth == base {
			return true
		}
	}
}

// skipOne reads past a scalar, or opens a container, at the current
// position.
func (s *Scanner) skipOne() bool {
	s.skipSpace()
	if s.pos >= len(s.data) {
		s.fail(ErrSyntax, "expected a value, found end of input")
		return false
	}
	switch c := s.data[s.pos]; c {
	case '{', '[':
		s.pos++
		return s.push(c == '{')
	case '"':
		_, end, _, ok := s.scanString()
		if !ok {
			return false
		}
		s.pos = end + 1
	case 't':
		if !s.literal("true") {
			return false
		}
	case 'f':
		if !s.literal("false") {
			return false
		}
	case 'n':
		if !s.literal("null") {
			return false
		}
	default:
		if kindOf(c) != Number {
			s.fail(ErrSyntax, "expected a value, found "+s.found(s.pos))
			return false
		}
		end, _, ok := s.scanNumber()
		if !ok {
			return false
		}
		s.pos = end
	}
	s.read()
	return true
}
