package jsonscan

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzScan checks, for any input, that the scanner neither panics nor hangs,
// that it accepts exactly what encoding/json calls valid (bar nesting beyond
// MaxDepth), that reading every value agrees with skipping it all and
// decodes to what encoding/json decodes, and that Int agrees with strconv.
func FuzzScan(f *testing.F) {
	for _, seed := range []string{
		string(depthFrame()), `{"stream":"x","data":{"e":"depthUpdate","b":[["1","2"]]}}`, `[1,-0.5e+3,"\ud83d\ude00"]`,
		`{"a":{"b":[true,false,null]}}`, `"\u00e9\ud800"`, "\"\xff\"", `9223372036854775808`, `-9223372036854775808`,
		`[[[[]]]]`, `{"a":1,}`, `[01]`, `"\x"`, ` `, ``,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		var s Scanner
		s.Reset(doc)
		skipErr := s.End()

		valid := json.Valid(doc)
		switch {
		case !valid && skipErr == nil:
			t.Fatalf("accepted %q, which encoding/json refuses", doc)
		case valid && nesting(doc) > MaxDepth:
			if !errors.Is(skipErr, ErrTooDeep) {
				t.Fatalf("%q nests deeper than MaxDepth: %v, want ErrTooDeep", doc, skipErr)
			}
			return
		case valid && skipErr != nil:
			t.Fatalf("refused %q, which encoding/json accepts: %v", doc, skipErr)
		}

		got, readErr := scanAny(doc)
		if (readErr == nil) != (skipErr == nil) {
			t.Fatalf("%q: reading every value: %v; skipping: %v", doc, readErr, skipErr)
		}
		if !valid {
			return
		}
		if diff := cmp.Diff(oracle(t, doc), asEncodingJSON(got)); diff != "" {
			t.Fatalf("%q: scanner vs encoding/json (-want +got):\n%s", doc, diff)
		}

		s.Reset(doc)
		if s.Kind() != Number {
			return
		}
		text := string(bytes.Trim(doc, " \t\r\n"))
		n := s.Int()
		err := s.End()
		want, werr := strconv.ParseInt(text, 10, 64)
		switch {
		case bytes.ContainsAny([]byte(text), ".eE"):
			if !errors.Is(err, ErrType) {
				t.Fatalf("Int of %s: %v, want ErrType", text, err)
			}
		case werr != nil:
			if !errors.Is(err, ErrRange) {
				t.Fatalf("Int of %s: %v, want ErrRange (strconv: %v)", text, err, werr)
			}
		case err != nil || n != want:
			t.Fatalf("Int of %s = %d, %v; want %d", text, n, err, want)
		}
	})
}

// nesting returns how deeply the objects and arrays of a valid document nest.
func nesting(doc []byte) int {
	depth, deepest := 0, 0
	inString := false
	for i := 0; i < len(doc); i++ {
		switch c := doc[i]; {
		case inString && c == '\\':
			i++
		case c == '"':
			inString = !inString
		case inString:
		case c == '{' || c == '[':
			depth++
			deepest = max(deepest, depth)
		case c == '}' || c == ']':
			depth--
		}
	}
	return deepest
}
