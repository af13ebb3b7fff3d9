package jsonscan

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
)

func TestDepthFrame(t *testing.T) {
	frame := depthFrame()
	// encoding/json is the reference; its struct names every field, so that
	// its case-insensitive matching cannot put "e" into E or "u" into U.
	var want struct {
		Stream string `json:"stream"`
		Data   struct {
			Event  string      `json:"e"`
			Time   int64       `json:"E"`
			Symbol string      `json:"s"`
			First  int64       `json:"U"`
			Last   int64       `json:"u"`
			Bids   [][2]string `json:"b"`
			Asks   [][2]string `json:"a"`
		} `json:"data"`
	}
	if err := json.Unmarshal(frame, &want); err != nil {
		t.Fatal(err)
	}
	var s Scanner
	var u depthUpdate
	if err := parseDepth(&s, frame, &u); err != nil {
		t.Fatal(err)
	}
	d := want.Data
	if string(u.stream) != want.Stream || string(u.event) != d.Event || string(u.symbol) != d.Symbol ||
		u.time != d.Time || u.first != d.First || u.last != d.Last {
		t.Errorf("header %s %s %s E %d U %d u %d, want %+v", u.stream, u.event, u.symbol, u.time, u.first, u.last, want)
	}
	var levels []string
	for _, l := range u.levels {
		levels = append(levels, fmt.Sprint(l.ask, string(l.price), string(l.amount)))
	}
	var wantLevels []string
	for _, l := range d.Bids {
		wantLevels = append(wantLevels, fmt.Sprint(false, l[0], l[1]))
	}
	for _, l := range d.Asks {
		wantLevels = append(wantLevels, fmt.Sprint(true, l[0], l[1]))
	}
	if len(levels) != frameLevels || strings.Join(levels, "\n") != strings.Join(wantLevels, "\n") {
		t.Errorf("levels:\n%s\nwant:\n%s", strings.Join(levels, "\n"), strings.Join(wantLevels, "\n"))
	}
}

func TestParseDepthAllocatesNothing(t *testing.T) {
	frame := depthFrame()
	var s Scanner
	u := depthUpdate{levels: make([]parsedLevel, 0, frameLevels)}
	allocs := testing.AllocsPerRun(100, func() {
		if err := parseDepth(&s, frame, &u); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations per frame, want 0", allocs)
	}
}

func TestScannerOnTheStackAllocatesNothing(t *testing.T) {
	frame := depthFrame()
	var sum int64
	allocs := testing.AllocsPerRun(100, func() {
		var s Scanner
		s.Reset(frame)
		for top := s.Object(); s.More(top); {
			if string(s.Key()) != "data" {
				continue
			}
			for data := s.Object(); s.More(data); {
				if string(s.Key()) == "u" {
					sum += s.Int()
				}
			}
		}
		if err := s.End(); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 || sum == 0 {
		t.Errorf("%v allocations per frame with a local Scanner, want 0", allocs)
	}
}

func TestEscapedStringsAllocateOnlyUntilTheBufferFits(t *testing.T) {
	doc := []byte(`{"k\u0065y":"caf\u00e9 \ud83d\ude00","n":"line\nbreak"}`)
	var s Scanner
	read := func() {
		s.Reset(doc)
		for o := s.Object(); s.More(o); {
			s.Str()
		}
		if err := s.End(); err != nil {
			t.Fatal(err)
		}
	}
	read() // grows the buffer
	if allocs := testing.AllocsPerRun(100, read); allocs != 0 {
		t.Errorf("%v allocations per document once the buffer fits, want 0", allocs)
	}
}

// wantErr checks that err is an *Error of the category.
func wantErr(t *testing.T, err, category error) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T), want an *Error", err, err)
	}
	if !errors.Is(err, category) {
		t.Fatalf("error %v, want category %v", err, category)
	}
}

func TestScalars(t *testing.T) {
	tests := []struct {
		doc  string
		read func(*Scanner) any
		want any
		err  error // the category, or nil
	}{
		{`"abc"`, str, "abc", nil},
		{`""`, str, "", nil},
		{`  "a b"  `, str, "a b", nil},
		{`"é€😀"`, str, "é€😀", nil},
		{`"\u00e9\u20AC"`, str, "é€", nil},
		{`"\ud83d\ude00"`, str, "😀", nil},
		{`"\"\\\/\b\f\n\r\t"`, str, "\"\\/\b\f\n\r\t", nil},
		{`"a\u0000b"`, str, "a\x00b", nil},
		{`"\ud800"`, str, "\uFFFD", nil},              // a lone high surrogate
		{`"\udc00x"`, str, "\uFFFDx", nil},            // a lone low surrogate
		{`"\ud800\u0041"`, str, "\uFFFDA", nil},       // high, then no low: both kept apart
		{`"\ud800\ud800\udc00"`, str, "\uFFFD𐀀", nil}, // the second high pairs
		{`"\ud800\n"`, str, "\uFFFD\n", nil},
		{"\"\xff\xfe\"", str, "\xff\xfe", nil}, // bytes kept as they are
		{"\"\x7f\"", str, "\x7f", nil},
		{`"a` + "\n" + `b"`, str, nil, ErrSyntax},
		{"\"a\x00\"", str, nil, ErrSyntax},
		{"\"a\x1f\"", str, nil, ErrSyntax},
		{`"\x41"`, str, nil, ErrSyntax},
		{`"\u12"`, str, nil, ErrSyntax},
		{`"\u12g4"`, str, nil, ErrSyntax},
		{`"\U0041"`, str, nil, ErrSyntax},
		{`"\`, str, nil, ErrSyntax},
		{`"abc`, str, nil, ErrSyntax},
		{`'abc'`, str, nil, ErrSyntax},
		{`abc`, str, nil, ErrSyntax},
		{`12`, str, nil, ErrType},
		{`null`, str, nil, ErrType},
		{``, str, nil, ErrSyntax},
		{`   `, str, nil, ErrSyntax},

		{`0`, integer, int64(0), nil},
		{`-0`, integer, int64(0), nil},
		{`7`, integer, int64(7), nil},
		{`-42`, integer, int64(-42), nil},
		{`1672515782136`, integer, int64(1672515782136), nil},
		{`9223372036854775807`, integer, int64(9223372036854775807), nil},
		{`-9223372036854775808`, integer, int64(-9223372036854775808), nil},
		{`9223372036854775808`, integer, nil, ErrRange},
		{`-9223372036854775809`, integer, nil, ErrRange},
		{`18446744073709551616`, integer, nil, ErrRange},
		{`99999999999999999999999999`, integer, nil, ErrRange},
		{`1.0`, integer, nil, ErrType},
		{`1e3`, integer, nil, ErrType},
		{`"7"`, integer, nil, ErrType},
		{`01`, integer, nil, ErrSyntax},
		{`-`, integer, nil, ErrSyntax},
		{`-a`, integer, nil, ErrSyntax},
		{`+1`, integer, nil, ErrSyntax},
		{`1x`, integer, nil, ErrSyntax},
		{`0x10`, integer, nil, ErrSyntax},

		{`0`, number, "0", nil},
		{`-0.0`, number, "-0.0", nil},
		{`0.0024`, number, "0.0024", nil},
		{`1.5e-7`, number, "1.5e-7", nil},
		{`1E+300`, number, "1E+300", nil},
		{`1e400`, number, "1e400", nil}, // no float: the text, however large
		{`-12345678901234567890.123456789`, number, "-12345678901234567890.123456789", nil},
		{`1.`, number, nil, ErrSyntax},
		{`.5`, number, nil, ErrSyntax},
		{`1.e5`, number, nil, ErrSyntax},
		{`1e`, number, nil, ErrSyntax},
		{`1e+`, number, nil, ErrSyntax},
		{`00`, number, nil, ErrSyntax},
		{`-01`, number, nil, ErrSyntax},
		{`1.5.2`, number, nil, ErrSyntax},
		{`NaN`, number, nil, ErrSyntax},
		{`Infinity`, number, nil, ErrSyntax},
		{`"0.1"`, number, nil, ErrType},

		{`true`, boolean, true, nil},
		{`false`, boolean, false, nil},
		{`tru`, boolean, nil, ErrSyntax},
		{`True`, boolean, nil, ErrSyntax},
		{`truex`, boolean, nil, ErrSyntax},
		{`falsey`, boolean, nil, ErrSyntax},
		{`1`, boolean, nil, ErrType},

		{`null`, null, true, nil},
		{`nul`, null, nil, ErrSyntax},
		{`nullx`, null, nil, ErrSyntax},
		{`0`, null, false, nil}, // not null: left unread, and End skips it
	}
	for _, tt := range tests {
		var s Scanner
		s.Reset([]byte(tt.doc))
		got := tt.read(&s)
		err := s.End()
		if tt.err != nil {
			if err == nil {
				t.Errorf("%q: read %v, no error; want %v", tt.doc, got, tt.err)
				continue
			}
			if !errors.Is(err, tt.err) {
				t.Errorf("%q: error %v, want %v", tt.doc, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tt.doc, err)
			continue
		}
		if got != tt.want {
			t.Errorf("%q: read %#v, want %#v", tt.doc, got, tt.want)
		}
	}
}

func str(s *Scanner) any {
	if b := s.Str(); b != nil {
		return string(b)
	}
	return nil
}

func integer(s *Scanner) any {
	v := s.Int()
	if s.Err() != nil {
		return nil
	}
	return v
}

func number(s *Scanner) any {
	if b := s.Number(); b != nil {
		return string(b)
	}
	return nil
}

func boolean(s *Scanner) any {
	v := s.Bool()
	if s.Err() != nil {
		return nil
	}
	return v
}

func null(s *Scanner) any {
	v := s.Null()
	if s.Err() != nil {
		return nil
	}
	return v
}

func TestIntAgreesWithStrconv(t *testing.T) {
	texts := []string{"0", "-0", "1", "-1", "10", "9223372036854775806", "9223372036854775807",
		"9223372036854775808", "9223372036854775809", "-9223372036854775807", "-9223372036854775808",
		"-9223372036854775809", "92233720368547758070", "-92233720368547758080", "18446744073709551615",
		"18446744073709551616", "99999999999999999999"}
	for i := int64(1); i > 0 && i < 1<<62; i *= 3 {
		texts = append(texts, strconv.FormatInt(i, 10), strconv.FormatInt(-i, 10), strconv.FormatInt(i-1, 10))
	}
	for _, text := range texts {
		want, werr := strconv.ParseInt(text, 10, 64)
		var s Scanner
		s.Reset([]byte(text))
		got := s.Int()
		err := s.End()
		switch {
		case werr != nil && !errors.Is(err, ErrRange):
			t.Errorf("%s: error %v, want ErrRange (strconv: %v)", text, err, werr)
		case werr == nil && (err != nil || got != want):
			t.Errorf("%s: %d, %v; want %d", text, got, err, want)
		}
	}
}

func TestAppendStr(t *testing.T) {
	var s Scanner
	s.Reset([]byte(`["plain","tab\there",5]`))
	s.Array()
	dst := []byte("<")
	dst = s.AppendStr(dst)
	dst = s.AppendStr(dst)
	if string(dst) != "<plaintab\there" {
		t.Errorf("AppendStr: %q", dst)
	}
	if got := s.AppendStr(dst); string(got) != string(dst) {
		t.Errorf("AppendStr of a number changed dst: %q", got)
	}
	wantErr(t, s.End(), ErrType)
}

func TestResultsStayValidAndApart(t *testing.T) {
	input := []byte(`{"a":"x\ny","b":"plain","c":"p\tq","d":"\u0041"}`)
	orig := string(input)
	var s Scanner
	s.Reset(input)
	var got [][]byte
	var keys [][]byte
	for o := s.Object(); s.More(o); {
		keys = append(keys, s.Key())
		got = append(got, s.Str())
	}
	if err := s.End(); err != nil {
		t.Fatal(err)
	}
	want := []string{"x\ny", "plain", "p\tq", "A"}
	for i, g := range got {
		if string(g) != want[i] || string(keys[i]) != string(rune('a'+i)) {
			t.Errorf("member %d: %q: %q", i, keys[i], g)
		}
	}
	// Appending to a result copies: the input and the other results stay.
	for _, g := range got {
		_ = append(g, "!!!!!!!!"...)
	}
	for i, g := range got {
		if string(g) != want[i] {
			t.Errorf("after appends, result %d = %q, want %q", i, g, want[i])
		}
	}
	if string(input) != orig {
		t.Errorf("the input changed: %q", input)
	}
}

func TestKeys(t *testing.T) {
	// Keys match exactly: case matters, escapes are decoded, duplicates come
	// in order.
	var s Scanner
	s.Reset([]byte(`{"e":"depthUpdate","E":1,"\u0055":2,"u":3,"U":4,"":5,"a\"b":6,"E":7}`))
	var got []string
	for o := s.Object(); s.More(o); {
		k := string(s.Key())
		if k == "e" {
			got = append(got, k+"="+string(s.Str()))
			continue
		}
		got = append(got, k+"="+strconv.FormatInt(s.Int(), 10))
	}
	if err := s.End(); err != nil {
		t.Fatal(err)
	}
	want := `e=depthUpdate E=1 U=2 u=3 U=4 =5 a"b=6 E=7`
	if strings.Join(got, " ") != want {
		t.Errorf("members %s, want %s", strings.Join(got, " "), want)
	}
}

func TestWhitespace(t *testing.T) {
	const ws = " \t\r\n"
	doc := ws + `{` + ws + `"a"` + ws + `:` + ws + `[` + ws + `1` + ws + `,` + ws + `"x"` + ws + `,` + ws + `true` + ws +
		`,` + ws + `null` + ws + `,` + ws + `{` + ws + `}` + ws + `,` + ws + `[` + ws + `]` + ws + `]` + ws + `,` + ws +
		`"b"` + ws + `:` + ws + `-2.5` + ws + `}` + ws
	var s Scanner
	s.Reset([]byte(doc))
	var a []string
	var b string
	for o := s.Object(); s.More(o); {
		switch string(s.Key()) {
		case "a":
			for l := s.Array(); s.More(l); {
				a = append(a, s.Kind().String())
			}
		case "b":
			b = string(s.Number())
		}
	}
	if err := s.End(); err != nil {
		t.Fatal(err)
	}
	if strings.Join(a, ",") != "number,string,bool,null,object,array" || b != "-2.5" {
		t.Errorf("a = %v, b = %q", a, b)
	}
	// Only the four JSON whitespace bytes count.
	for _, bad := range []string{"\v", "\f", "\u00a0", "\u2028", "\ufeff", "\x00"} {
		s.Reset([]byte(`[1,` + bad + `2]`))
		wantErr(t, s.End(), ErrSyntax)
		s.Reset([]byte(bad + `1`))
		wantErr(t, s.End(), ErrSyntax)
	}
}

func TestStructure(t *testing.T) {
	valid := []string{
		`{}`, `[]`, `{"a":{}}`, `[[]]`, `[{}]`, `{"a":[{"b":[null]}]}`, `[1,"a",true,false,null,{},[],-0.5e3]`,
		` { "a" : 1 } `, `0`, `"s"`, `null`,
	}
	for _, doc := range valid {
		var s Scanner
		s.Reset([]byte(doc))
		if err := s.End(); err != nil {
			t.Errorf("%q: %v", doc, err)
		}
		if _, err := scanAny([]byte(doc)); err != nil {
			t.Errorf("%q read value by value: %v", doc, err)
		}
	}
	invalid := []string{
		`{`, `}`, `[`, `]`, `{]`, `[}`, `{"a"}`, `{"a":}`, `{"a" 1}`, `{"a":1,}`, `{,"a":1}`, `{"a":1 "b":2}`,
		`{a:1}`, `{'a':1}`, `{1:1}`, `{null:1}`, `[1,]`, `[,1]`, `[1 2]`, `[1,,2]`, `[1:2]`, `{"a":1}}`, `[1]]`,
		`{"a":1}{}`, `1 2`, `[] []`, `{"a":1},`, `/*c*/1`, `1//c`, `[1,2` + "\x00" + `]`, `{"a"x1}`, `{"a";1}`,
		`{"a" 11}`, `{,}`, `[,]`, `{"a":1,,"b":2}`, `{"a":[1,],"b":2}`, `[[1,],2]`, `[{,"a":1}]`, `{"a":{,}}`,
		`{"a"}`, `{"a",1}`, `[{"a":1]`, `{"a":[1}`,
	}
	for _, doc := range invalid {
		// Skipped by End, and read value by value (the fast paths).
		var s Scanner
		s.Reset([]byte(doc))
		wantErr(t, s.End(), ErrSyntax)
		if _, err := scanAny([]byte(doc)); !errors.Is(err, ErrSyntax) {
			t.Errorf("%q read value by value: %v, want a syntax error", doc, err)
		}
	}
}

func TestUnreadValuesAreSkipped(t *testing.T) {
	doc := []byte(`{"skip":{"x":[1,{"y":"}"}],"z":"]"},"levels":[["1.5","2",[]],["3","4","extra",{"k":[]}]],"after":[1,2,3],"last":9}`)
	var s Scanner
	s.Reset(doc)
	var levels []string
	var after []int64
	var last int64
	for o := s.Object(); s.More(o); {
		switch string(s.Key()) {
		case "levels":
			for l := s.Array(); s.More(l); {
				s.Array()
				levels = append(levels, string(s.Str())+"@"+string(s.Str()))
				// the rest of the level array is left for More to skip
			}
		case "after":
			for l := s.Array(); s.More(l); {
				v := s.Int()
				after = append(after, v)
				if v == 2 {
					break // the outer More finishes the array
				}
			}
		case "last":
			last = s.Int()
		}
	}
	if err := s.End(); err != nil {
		t.Fatal(err)
	}
	if strings.Join(levels, " ") != "1.5@2 3@4" || len(after) != 2 || last != 9 {
		t.Errorf("levels %v, after %v, last %d", levels, after, last)
	}
	// Unread parts are checked all the same.
	for _, bad := range []string{
		`{"skip":{"x":[1,}],"last":9}`, `{"levels":[["1","2",tru]],"last":9}`, `{"after":[1,2,03],"last":9}`,
	} {
		s.Reset([]byte(bad))
		for o := s.Object(); s.More(o); {
			switch string(s.Key()) {
			case "levels":
				for l := s.Array(); s.More(l); {
					s.Array()
					s.Str()
					s.Str()
				}
			case "after":
				for l := s.Array(); s.More(l); {
					if s.Int() == 2 {
						break
					}
				}
			}
		}
		wantErr(t, s.End(), ErrSyntax)
	}
}

func TestEndFinishesWhatIsOpen(t *testing.T) {
	var s Scanner
	s.Reset([]byte(`{"a":{"b":[1,[2,3],{"c":4}]},"d":5}  `))
	s.Object()
	if !s.More(Container{1}) || string(s.Key()) != "a" {
		t.Fatalf("first member %q", s.Key())
	}
	s.Object()
	if err := s.End(); err != nil {
		t.Fatal(err)
	}
	if err := s.End(); err != nil {
		t.Fatal("End again:", err)
	}
	s.Reset([]byte(`{"a":{"b":[1,[2,3],{"c":4}]},"d":5} x`))
	s.Object()
	wantErr(t, s.End(), ErrSyntax)
}

func TestMoreAfterTheEnd(t *testing.T) {
	var s Scanner
	s.Reset([]byte(`[[1],[2]]`))
	outer := s.Array()
	n := 0
	for s.More(outer) {
		inner := s.Array()
		for s.More(inner) {
			s.Int()
			n++
		}
		if s.More(inner) {
			t.Error("More of a closed array is true")
		}
	}
	if s.More(outer) || n != 2 {
		t.Errorf("More after the end, or %d elements", n)
	}
	if s.More(Container{}) {
		t.Error("More of the zero Container is true")
	}
	if err := s.End(); err != nil {
		t.Fatal(err)
	}
	// The zero Container changes nothing, even where a container could close.
	s.Reset([]byte(`[1]`))
	s.Array()
	s.Int()
	if s.More(Container{}) {
		t.Error("More of the zero Container is true")
	}
	if s.Kind() != Invalid || s.Err() != nil {
		t.Error("More of the zero Container moved the scanner")
	}
	s.Int()
	wantErr(t, s.Err(), ErrType) // still in the array, at its end
}

func TestArrayElementByElement(t *testing.T) {
	var s Scanner
	s.Reset([]byte(`[["67000.10","0.5"],["67000.20"]]`))
	s.Array()
	s.Array()
	if p, a := s.Str(), s.Str(); string(p) != "67000.10" || string(a) != "0.5" {
		t.Errorf("first level %s %s", p, a)
	}
	if s.Kind() != Invalid {
		t.Error("Kind past the last element is not Invalid")
	}
	if s.Err() != nil {
		t.Fatal("Kind past the last element failed:", s.Err())
	}
	// The second level has one element: reading a second fails.
	outer := Container{1}
	if !s.More(outer) {
		t.Fatal("no second level")
	}
	s.Array()
	s.Str()
	if s.Str() != nil {
		t.Error("a value past the end of the array")
	}
	wantErr(t, s.End(), ErrType)
}

func TestReadingPastTheLastElement(t *testing.T) {
	for _, doc := range []string{`[]`, `[ ]`, `[1]`, `[1 ]`, `[[],[]]`} {
		var s Scanner
		s.Reset([]byte(doc))
		s.Array()
		for s.Kind() != Invalid {
			s.Skip()
		}
		if s.Err() != nil {
			t.Fatalf("%q: %v", doc, s.Err())
		}
		s.Str()
		wantErr(t, s.End(), ErrType)
	}
}

func TestKind(t *testing.T) {
	for doc, want := range map[string]Kind{
		`"x"`: String, `-1`: Number, `7`: Number, `{}`: Object, `[]`: Array, `true`: Bool, `false`: Bool,
		`null`: Null, ``: Invalid, `  `: Invalid, `x`: Invalid, `]`: Invalid,
	} {
		var s Scanner
		s.Reset([]byte(doc))
		if got := s.Kind(); got != want {
			t.Errorf("%q: Kind %v, want %v", doc, got, want)
		}
		if s.Kind() != want {
			t.Errorf("%q: Kind changed on a second call", doc)
		}
	}
	var s Scanner
	s.Reset([]byte(`{"a":1}`))
	o := s.Object()
	if s.Kind() != Invalid {
		t.Error("Kind of a member before More is not Invalid")
	}
	s.More(o)
	if s.Kind() != Number {
		t.Error("Kind of the member's value is not Number")
	}
	s.More(o)
	if s.Kind() != Invalid {
		t.Error("Kind after the document is not Invalid")
	}
	if err := s.End(); err != nil {
		t.Fatal(err)
	}
}

func TestRaw(t *testing.T) {
	doc := []byte(`{"data": {"e":"trade","p":"1.5","x":[1, {"y":null}]} ,"stream":"btcusdt@trade"}`)
	var s Scanner
	s.Reset(doc)
	var data, stream []byte
	for o := s.Object(); s.More(o); {
		switch string(s.Key()) {
		case "data":
			data = s.Raw()
		case "stream":
			stream = s.Str()
		}
	}
	if err := s.End(); err != nil {
		t.Fatal(err)
	}
	if string(data) != `{"e":"trade","p":"1.5","x":[1, {"y":null}]}` || string(stream) != "btcusdt@trade" {
		t.Fatalf("data %s stream %s", data, stream)
	}
	var inner Scanner
	inner.Reset(data)
	var price string
	for o := inner.Object(); inner.More(o); {
		if string(inner.Key()) == "p" {
			price = string(inner.Str())
		}
	}
	if err := inner.End(); err != nil || price != "1.5" {
		t.Errorf("price %q, %v", price, err)
	}
	s.Reset([]byte(`[1,{"a":tru}]`))
	if s.Raw() != nil {
		t.Error("Raw of a malformed value is not nil")
	}
	wantErr(t, s.End(), ErrSyntax)
}

func TestDepthLimit(t *testing.T) {
	nest := func(n int) []byte {
		return []byte(strings.Repeat("[", n) + strings.Repeat("]", n))
	}
	var s Scanner
	s.Reset(nest(MaxDepth))
	if err := s.End(); err != nil {
		t.Fatalf("%d levels: %v", MaxDepth, err)
	}
	s.Reset(nest(MaxDepth + 1))
	err := s.End()
	wantErr(t, err, ErrTooDeep)
	if e := err.(*Error); e.Offset != MaxDepth {
		t.Errorf("offset %d, want %d (the bracket one too deep)", e.Offset, MaxDepth)
	}
	// Opening containers one by one hits the same limit.
	s.Reset([]byte(strings.Repeat(`{"a":`, MaxDepth+1) + "1" + strings.Repeat("}", MaxDepth+1)))
	for range MaxDepth + 1 {
		o := s.Object()
		s.More(o)
	}
	wantErr(t, s.Err(), ErrTooDeep)
	// Deep input costs no stack: a megabyte of brackets is refused quickly.
	s.Reset(nest(1 << 20))
	wantErr(t, s.End(), ErrTooDeep)
}

func TestUsageErrors(t *testing.T) {
	var s Scanner
	s.Reset([]byte(`{"a":1}`))
	s.Object()
	s.Int() // before More gave the key
	wantErr(t, s.End(), ErrUsage)

	s.Reset([]byte(`1`))
	s.Int()
	s.Int() // after the document
	wantErr(t, s.End(), ErrUsage)

	s.Reset([]byte(`{"a":1}`))
	s.Array()
	wantErr(t, s.End(), ErrType)
}

func TestErrorsAreSticky(t *testing.T) {
	var s Scanner
	s.Reset([]byte(`{"a":x,"b":2}`))
	o := s.Object()
	n := 0
	for s.More(o) {
		n++
		s.Int()
	}
	first := s.Err()
	wantErr(t, first, ErrSyntax)
	if n != 1 || s.Int() != 0 || s.Str() != nil || s.Bool() || s.Null() || s.Raw() != nil || s.Kind() != Invalid {
		t.Error("reads after an error returned data")
	}
	if s.Object() != (Container{}) || s.Array() != (Container{}) || s.More(o) {
		t.Error("containers after an error")
	}
	s.Skip()
	if s.End() != first || s.Err() != first {
		t.Error("the first error was replaced")
	}
	// Reset clears it.
	s.Reset([]byte(`2`))
	if s.Int() != 2 || s.End() != nil {
		t.Error("Reset did not clear the error")
	}
}

func TestErrorMessages(t *testing.T) {
	tests := []struct {
		doc  string
		read func(*Scanner)
		want string
	}{
		{`{"a":1 "b":2}`, func(s *Scanner) {}, `jsonscan: syntax error at offset 7: expected ',' or '}' after an object member, found '"'`},
		{`[1,2`, func(s *Scanner) {}, `jsonscan: syntax error at offset 4: expected ',' or ']' after an array element, found end of input`},
		{`{"a":"b` + "\x01", func(s *Scanner) {}, `jsonscan: syntax error at offset 7: expected a character of a string, found the control character byte 0x01 (it must be escaped)`},
		{`"\q"`, func(s *Scanner) {}, `jsonscan: syntax error at offset 1: expected an escape sequence (\" \\ \/ \b \f \n \r \t or \u and four hex digits), found "\\q\""`},
		{`{"E":"x"}`, func(s *Scanner) { o := s.Object(); s.More(o); s.Int() }, `jsonscan: unexpected value type at offset 5: expected an integer, found a string`},
		{`{"E":1.5}`, func(s *Scanner) { o := s.Object(); s.More(o); s.Int() }, `jsonscan: unexpected value type at offset 5: expected an integer, found the number 1.5`},
		{`[99999999999999999999]`, func(s *Scanner) { s.Array(); s.Int() }, `jsonscan: integer out of range at offset 1: the integer 99999999999999999999 does not fit in an int64`},
		{`[01]`, func(s *Scanner) {}, `jsonscan: syntax error at offset 2: expected ',', ']', '}' or whitespace after a number, found '1'`},
		{`{"a":1} 2`, func(s *Scanner) {}, `jsonscan: syntax error at offset 8: expected the end of input after the document, found '2'`},
	}
	for _, tt := range tests {
		var s Scanner
		s.Reset([]byte(tt.doc))
		tt.read(&s)
		err := s.End()
		if err == nil || err.Error() != tt.want {
			t.Errorf("%q:\n got %v\nwant %s", tt.doc, err, tt.want)
		}
	}
}

func TestTruncatedFrames(t *testing.T) {
	frame := depthFrame()
	var s Scanner
	var u depthUpdate
	for n := range len(frame) {
		cut := frame[:n:n] // capped: a read past the end would panic
		if err := parseDepth(&s, cut, &u); !errors.Is(err, ErrSyntax) {
			t.Errorf("parse of the first %d bytes: %v, want a syntax error", n, err)
		}
		s.Reset(cut)
		if err := s.End(); !errors.Is(err, ErrSyntax) {
			t.Errorf("End of the first %d bytes: %v, want a syntax error", n, err)
		}
	}
}

func TestCorruptedFrames(t *testing.T) {
	// Every single-byte change of the frame is either still JSON or refused
	// with an error (never a panic), and the parse agrees with End.
	frame := depthFrame()
	var s Scanner
	var u depthUpdate
	for i := range frame {
		for _, c := range []byte{'"', ',', ':', '[', ']', '{', '}', '\\', 'x', '0', ' ', 0} {
			bad := append([]byte(nil), frame...)
			bad[i] = c
			perr := parseDepth(&s, bad, &u)
			s.Reset(bad)
			eerr := s.End()
			if eerr != nil && perr == nil {
				t.Errorf("byte %d = %q: End refuses (%v) what the parse accepted", i, c, eerr)
			}
			if eerr == nil && errors.Is(perr, ErrSyntax) {
				t.Errorf("byte %d = %q: the parse calls valid JSON malformed: %v", i, c, perr)
			}
		}
	}
}
