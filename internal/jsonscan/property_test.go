package jsonscan

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strconv"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// decodeAny reads the next value into the shapes encoding/json decodes to
// with UseNumber: map[string]any (a repeated key: the last wins), []any,
// json.Number, string, bool, nil.
func decodeAny(s *Scanner) any {
	switch s.Kind() {
	case Null:
		s.Null()
		return nil
	case Bool:
		return s.Bool()
	case Number:
		return json.Number(s.Number())
	case String:
		return string(s.Str())
	case Object:
		m := map[string]any{}
		for o := s.Object(); s.More(o); {
			k := string(s.Key())
			m[k] = decodeAny(s)
		}
		return m
	case Array:
		a := []any{}
		for l := s.Array(); s.More(l); {
			a = append(a, decodeAny(s))
		}
		return a
	}
	s.Skip() // no value here: the scanner says why
	return nil
}

// scanAny reads a whole document with decodeAny.
func scanAny(doc []byte) (any, error) {
	var s Scanner
	s.Reset(doc)
	v := decodeAny(&s)
	return v, s.End()
}

// oracle decodes a valid document with encoding/json.
func oracle(t testing.TB, doc []byte) any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(doc))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatalf("encoding/json refuses %q: %v", doc, err)
	}
	return v
}

// asEncodingJSON rewrites the strings of a decoded value (keys too) the way
// encoding/json decodes them: each byte that is not part of valid UTF-8
// becomes U+FFFD. The scanner returns such bytes unchanged.
func asEncodingJSON(v any) any {
	switch v := v.(type) {
	case string:
		if utf8.ValidString(v) {
			return v
		}
		var b []byte
		for i := 0; i < len(v); {
			r, n := utf8.DecodeRuneInString(v[i:])
			b = utf8.AppendRune(b, r)
			i += n
		}
		return string(b)
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, x := range v {
			m[asEncodingJSON(k).(string)] = asEncodingJSON(x)
		}
		return m
	case []any:
		for i, x := range v {
			v[i] = asEncodingJSON(x)
		}
	}
	return v
}

func TestAgreesWithEncodingJSON(t *testing.T) {
	docs := []string{
		`{"e":"depthUpdate","E":1,"e":"x"}`, `{"a":{"a":{"a":[]}},"b":[[],[{}]]}`, `"\ud83d\ude00\ud800\udc00\udbff\udfff"`,
		`["\u0000","\u001f","\u007f","\u2028","<>&"]`, `[-0,0.0,1e-0,1E+2,-1.5e-300,123456789012345678901234567890]`,
		`{"":"","\"":"\\"}`, "[\"\xed\xa0\x80\",\"\xff\",\"\xc3\"]", string(depthFrame()),
	}
	r := rand.New(rand.NewPCG(6, 6))
	for range 5000 {
		docs = append(docs, string(genValue(r, nil, 0)))
	}
	for _, doc := range docs {
		got, err := scanAny([]byte(doc))
		if err != nil {
			t.Errorf("%q: %v", doc, err)
			continue
		}
		if diff := cmp.Diff(oracle(t, []byte(doc)), asEncodingJSON(got)); diff != "" {
			t.Errorf("%q: scanner vs encoding/json (-want +got):\n%s", doc, diff)
		}
	}
}

// genValue appends a random JSON value with random whitespace around it and
// random ways of writing its strings and numbers.
func genValue(r *rand.Rand, b []byte, depth int) []byte {
	b = genSpace(r, b)
	kind := r.IntN(10)
	if depth >= 5 {
		kind = r.IntN(6)
	}
	switch kind {
	case 0:
		b = append(b, "null"...)
	case 1:
		b = strconv.AppendBool(b, r.IntN(2) == 0)
	case 2, 3:
		b = genNumber(r, b)
	case 4, 5:
		b = genString(r, b)
	case 6, 7:
		b = append(b, '{')
		for i := range r.IntN(5) {
			if i > 0 {
				b = append(genSpace(r, b), ',')
			}
			b = genString(r, genSpace(r, b))
			b = append(genSpace(r, b), ':')
			b = genValue(r, b, depth+1)
		}
		b = append(genSpace(r, b), '}')
	default:
		b = append(b, '[')
		for i := range r.IntN(5) {
			if i > 0 {
				b = append(genSpace(r, b), ',')
			}
			b = genValue(r, b, depth+1)
		}
		b = append(genSpace(r, b), ']')
	}
	return genSpace(r, b)
}

func genSpace(r *rand.Rand, b []byte) []byte {
	for range max(0, r.IntN(6)-3) {
		b = append(b, " \t\r\n"[r.IntN(4)])
	}
	return b
}

// genNumber appends a number of any form JSON allows.
func genNumber(r *rand.Rand, b []byte) []byte {
	switch r.IntN(4) {
	case 0:
		return strconv.AppendInt(b, int64(r.Uint64()), 10)
	case 1:
		edges := []string{"0", "-0", "9223372036854775807", "-9223372036854775808", "9223372036854775808",
			"18446744073709551616", "100000000000000000000000000000"}
		return append(b, edges[r.IntN(len(edges))]...)
	}
	if r.IntN(2) == 0 {
		b = append(b, '-')
	}
	if r.IntN(3) == 0 {
		b = append(b, '0')
	} else {
		b = strconv.AppendUint(b, 1+r.Uint64N(1e12), 10)
	}
	if r.IntN(2) == 0 {
		b = append(b, '.')
		for range 1 + r.IntN(10) {
			b = append(b, byte('0'+r.IntN(10)))
		}
	}
	if r.IntN(3) == 0 {
		b = append(b, "eE"[r.IntN(2)])
		if n := r.IntN(3); n < 2 {
			b = append(b, "+-"[n])
		}
		b = strconv.AppendInt(b, int64(r.IntN(400)), 10)
	}
	return b
}

// stringRunes are the characters genString draws from: plain ASCII, the
// characters JSON must or may escape, multi-byte and astral characters.
var stringRunes = []rune("aZ09 \"\\/\b\f\n\r\t\x00\x01\x1f\x7féü€\u2028\u2029\ufffd😀𝄞<>&")

// genString appends a string literal whose characters are written raw, as
// short escapes or as \u escapes (surrogate pairs beyond the BMP), with an
// occasional lone surrogate escape.
func genString(r *rand.Rand, b []byte) []byte {
	b = append(b, '"')
	for range r.IntN(8) {
		c := stringRunes[r.IntN(len(stringRunes))]
		if r.IntN(20) == 0 {
			b = appendU(b, rune(0xd800+r.IntN(0x800)), r.IntN(2) == 0)
			continue
		}
		switch form := r.IntN(3); {
		case c == '"' || c == '\\' || c < 0x20 || form == 0:
			if short := shortEscape(c); short != 0 && form != 0 {
				b = append(b, '\\', short)
				continue
			}
			upper := r.IntN(2) == 0
			if c > 0xffff {
				hi, lo := utf16.EncodeRune(c)
				b = appendU(appendU(b, hi, upper), lo, upper)
			} else {
				b = appendU(b, c, upper)
			}
		default:
			b = utf8.AppendRune(b, c)
		}
	}
	return append(b, '"')
}

// shortEscape returns the letter of c's one-letter escape, or 0.
func shortEscape(c rune) byte {
	for letter, v := range unescaped {
		if v != 0 && rune(v) == c {
			return byte(letter)
		}
	}
	return 0
}

// appendU appends \uXXXX for c (below 0x10000).
func appendU(b []byte, c rune, upper bool) []byte {
	const lower, higher = "0123456789abcdef", "0123456789ABCDEF"
	digits := lower
	if upper {
		digits = higher
	}
	return append(b, '\\', 'u', digits[c>>12&0xf], digits[c>>8&0xf], digits[c>>4&0xf], digits[c&0xf])
}
