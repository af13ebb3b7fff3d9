package jsonscan

import (
	"errors"
	"math/big"
	"testing"
)

// TestNumPair checks the one-pass level reader on the forms it reads and
// that it leaves every other level, untouched, to StrPair.
func TestNumPair(t *testing.T) {
	for _, c := range []struct {
		doc    string
		ok     bool
		m1, m2 int64
		s1, s2 int
	}{
		{`[["63999.00000000","0.01500003"]]`, true, 6399900000000, 1500003, 8, 8},
		{`[["1","2","0","7"]]`, true, 1, 2, 0, 0},
		{`[["123456789012.123456","5"]]`, true, 123456789012123456, 5, 6, 0},
		{`[["-0.5","0"]]`, true, -5, 0, 1, 0},
		{`[["1.5e3","2"]]`, false, 0, 0, 0, 0},
		{`[["01","2"]]`, false, 0, 0, 0, 0},
		{`[["1.","2"]]`, false, 0, 0, 0, 0},
		{`[["1234567890123456789","2"]]`, false, 0, 0, 0, 0},
		{`[[ "1","2"]]`, false, 0, 0, 0, 0},
		{`[["1" ,"2"]]`, false, 0, 0, 0, 0},
		{`[["1\u0030","2"]]`, false, 0, 0, 0, 0},
		{`[["1","2"x]]`, false, 0, 0, 0, 0},
		{`[[1,2]]`, false, 0, 0, 0, 0},
	} {
		var s Scanner
		s.Reset([]byte(c.doc))
		levels := s.Array()
		if !s.More(levels) {
			t.Fatalf("%s: no level", c.doc)
		}
		m1, s1, m2, s2, ok := s.NumPair()
		if ok != c.ok || ok && (m1 != c.m1 || s1 != c.s1 || m2 != c.m2 || s2 != c.s2) {
			t.Errorf("%s: %d %d %d %d %v; want %d %d %d %d %v", c.doc, m1, s1, m2, s2, ok, c.m1, c.s1, c.m2, c.s2, c.ok)
		}
		if !ok {
			s.StrPair() // nothing was read: the level is still there
		}
		for s.More(levels) {
		}
		if err := s.End(); (err == nil) != (c.doc != `[["1","2"x]]` && c.doc != `[[1,2]]`) {
			t.Errorf("%s: End %v", c.doc, err)
		}
	}
}

// FuzzNumPair checks NumPair against StrPair on any level: where it reads
// one, StrPair reads the same level as two strings holding exactly those
// numbers, and the document ends the same way (End's result) either way
// (StrPair meets an error in the level's further elements at once, NumPair
// leaves them to End).
func FuzzNumPair(f *testing.F) {
	for _, seed := range []string{`["1","2"]`, `["63999.00000000","0.01500003","0","3"]`, `["-0.5","1e5"]`, `["1" ,"2"]`, `["1","2"`, `["12345678.123456789","1"]`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		var fast, slow Scanner
		fast.Reset(doc)
		slow.Reset(doc)
		m1, s1, m2, s2, ok := fast.NumPair()
		if !ok {
			if fast.pos != 0 || fast.Err() != nil {
				t.Fatalf("%q: a refused NumPair moved the scanner", doc)
			}
			return
		}
		p, a := slow.StrPair()
		if p != nil && (!sameNumber(p, m1, s1) || !sameNumber(a, m2, s2)) {
			t.Fatalf("%q: NumPair read %d/%d and %d/%d; StrPair %q and %q", doc, m1, s1, m2, s2, p, a)
		}
		errFast, errSlow := fast.End(), slow.End()
		if (errFast == nil) != (errSlow == nil) || errFast != nil && !errors.Is(errFast, category(errSlow)) {
			t.Fatalf("%q: End after NumPair %v, after StrPair %v", doc, errFast, errSlow)
		}
		if errSlow == nil && p == nil {
			t.Fatalf("%q: NumPair read a level StrPair does not", doc)
		}
	})
}

// FuzzPlainNumber checks PlainNumber's fast case against its general one,
// and quotedNumber against PlainNumber followed by a quote, at every offset
// of any input.
func FuzzPlainNumber(f *testing.F) {
	for _, seed := range []string{`63999.00000000","`, `0.01500003"]`, `5","0.00000001",["1"`, `1.5e3                `, `0123456.1234567899999`, `-1.25`, `7.`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		in := []byte(text)
		for i := range len(in) + 1 {
			m, s, e, ok := PlainNumber(in, i)
			wm, ws, we, wok := plainNumber(in, i)
			if ok != wok || ok && (m != wm || s != ws || e != we) {
				t.Fatalf("%q at %d: %d %d %d %v; the general case %d %d %d %v", in, i, m, s, e, ok, wm, ws, we, wok)
			}
			qm, qs, qe, qok := quotedNumber(in, i)
			if wok = ok && e < len(in) && in[e] == '"'; qok != wok || qok && (qm != m || qs != s || qe != e) {
				t.Fatalf("%q at %d: quotedNumber %d %d %d %v; PlainNumber %d %d %d and a quote: %v", in, i, qm, qs, qe, qok, m, s, e, wok)
			}
		}
	})
}

// sameNumber reports whether text is a number equal to m × 10^-scale.
func sameNumber(text []byte, m int64, scale int) bool {
	r, ok := new(big.Rat).SetString(string(text))
	if !ok {
		return false
	}
	want := new(big.Rat).SetFrac(big.NewInt(m), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil))
	return r.Cmp(want) == 0
}

// category returns the sentinel a scanner error matches.
func category(err error) error {
	for _, c := range []error{ErrSyntax, ErrType, ErrTooDeep, ErrRange, ErrUsage} {
		if errors.Is(err, c) {
			return c
		}
	}
	return err
}
