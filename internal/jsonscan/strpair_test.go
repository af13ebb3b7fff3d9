package jsonscan

import (
	"encoding/json"
	"errors"
	"testing"
)

// TestStrPair checks the level reader on the compact form, the general
// forms (whitespace, escapes, extra elements) and the refusals.
func TestStrPair(t *testing.T) {
	for _, c := range []struct {
		doc         string
		first, want string
		err         error
	}{
		{`[["1.5","2"],["3","4"]]`, "1.5", "2", nil},
		{`[ [ "1.5" , "2" ] ]`, "1.5", "2", nil},
		{`[["1\u002e5","2"]]`, "1.5", "2", nil},
		{`[["1","2","0","7"]]`, "1", "2", nil},
		{`[["1"]]`, "", "", ErrType},
		{`[[]]`, "", "", ErrType},
		{`[["1",2]]`, "", "", ErrType},
		{`[[1,"2"]]`, "", "", ErrType},
		{`[{"a":"1"}]`, "", "", ErrType},
		{`[["1","2"`, "", "", ErrSyntax},
		{`[["1","2"]x]`, "", "", ErrSyntax},
	} {
		var s Scanner
		s.Reset([]byte(c.doc))
		var first, second []byte
		levels := s.Array()
		if s.More(levels) {
			first, second = s.StrPair()
		}
		err := s.End()
		if !errors.Is(err, c.err) || (c.err == nil) != (err == nil) {
			t.Errorf("%s: error %v, want %v", c.doc, err, c.err)
			continue
		}
		if c.err == nil && (string(first) != c.first || string(second) != c.want) {
			t.Errorf("%s: %q, %q; want %q, %q", c.doc, first, second, c.first, c.want)
		}
	}
}

// FuzzStrPair checks StrPair against encoding/json on any document: it
// accepts exactly the arrays whose first two elements are strings, and
// returns them decoded.
func FuzzStrPair(f *testing.F) {
	for _, seed := range []string{`["1","2"]`, `["1","2",3]`, `[ "a\"b" ,"c"]`, `["1"]`, `[1,2]`, `"x"`, `["1","2"`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		var s Scanner
		s.Reset(doc)
		first, second := s.StrPair()
		err := s.End()
		var elems []json.RawMessage
		var a, b string
		ok := json.Unmarshal(doc, &elems) == nil && len(elems) >= 2 &&
			json.Unmarshal(elems[0], &a) == nil && json.Unmarshal(elems[1], &b) == nil && nesting(doc) <= MaxDepth
		if ok != (err == nil) {
			t.Fatalf("%q: StrPair error %v, encoding/json says a pair: %v", doc, err, ok)
		}
		// Invalid UTF-8 comes back as it is (see asEncodingJSON).
		if ok && (asEncodingJSON(string(first)) != a || asEncodingJSON(string(second)) != b) {
			t.Fatalf("%q: %q, %q; encoding/json %q, %q", doc, first, second, a, b)
		}
	})
}
