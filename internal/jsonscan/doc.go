// Package jsonscan is a strict JSON scanner that reads a frame in place,
// without allocating: the parser adapters use for hot stream messages.
//
// A Scanner walks one document held in a byte slice. The caller drives it,
// reading each value with the method for the type it expects:
//
//	var s jsonscan.Scanner
//	s.Reset(frame)
//	for obj := s.Object(); s.More(obj); {
//		switch string(s.Key()) { // exact, case-sensitive; no allocation
//		case "U":
//			first = s.Int()
//		case "b":
//			for levels := s.Array(); s.More(levels); {
//				s.Array()
//				price, amount := s.Str(), s.Str() // [price, amount]
//				...
//			}
//		} // members not read (and array elements past the two) are skipped
//	}
//	if err := s.End(); err != nil { ... }
//
// Errors are sticky, as in bufio.Scanner: after the first one every read
// returns a zero value, every More returns false, and End (or Err) returns
// that error, an *Error with the byte offset and what was expected there.
// So a parse function reads straight through and checks once at the end.
//
// What a caller does not read is skipped, and checked all the same: More
// skips an unread member value or element, a More of an outer loop first
// finishes any container an inner loop left early, and End finishes the
// document and refuses anything after it. A document that End accepts is
// valid JSON, whatever the caller read of it.
//
// The scanner accepts exactly what encoding/json accepts (json.Valid), with
// one exception: nesting deeper than MaxDepth is refused (ErrTooDeep). Like
// encoding/json it does not check that strings are valid UTF-8; Str returns
// their bytes as they are, where encoding/json would replace an invalid byte
// with U+FFFD. Unlike encoding/json, keys match exactly ("u" is not "U").
//
// Numbers are never converted to floating point: Int reads an exact int64,
// and Number hands back the number's text for an exact decimal parser (for
// the live book, orderbook.ParseNumBytes); PlainNumber and NumPairs parse
// the plain decimal form while scanning, NumPairs a run of book levels at a
// time. Strings come back as a view into
// the frame when they hold no escape; escaped ones are decoded into a buffer
// the Scanner keeps from one document to the next. Either way a result stays
// valid until the next Reset (and as long as the frame is not modified).
//
// The zero Scanner is ready for Reset. A Scanner is not safe for concurrent
// use. It is small and does not escape: declared in the function that
// handles a frame, it lives on the stack; kept with a connection's handler
// and reused, it also keeps its buffer for escaped strings.
package jsonscan
