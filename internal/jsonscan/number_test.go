package jsonscan

import (
	"errors"
	"fmt"
	"math/big"
	"slices"
	"testing"
)

// TestNumPairsForms checks the run reader on each form of level: the ones
// it reads, and the ones it leaves, untouched, to StrPair.
func TestNumPairsForms(t *testing.T) {
	for _, c := range []struct {
		doc    string
		ok     bool
		m1, m2 int64
		s1, s2 int
	}{
		{`[["63999.00000000","0.01500003"]]`, true, 6399900000000, 1500003, 8, 8},
		{`[["1","2","0","7"]]`, true, 1, 2, 0, 0},
		{`[["1","2",""]]`, true, 1, 2, 0, 0},
		{`[["123456789012.123456","5"]]`, true, 123456789012123456, 5, 6, 0},
		{`[["-0.5","0"]]`, true, -5, 0, 1, 0},
		{`[["1","2",3]]`, false, 0, 0, 0, 0},
		{`[["1","2","\u0041"]]`, false, 0, 0, 0, 0},
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
		run := s.NumPairs()
		if ok := len(run) == 1; ok != c.ok || ok && run[0] != (Pair{M1: c.m1, S1: c.s1, M2: c.m2, S2: c.s2}) {
			t.Errorf("%s: %+v; want %d %d %d %d %v", c.doc, run, c.m1, c.s1, c.m2, c.s2, c.ok)
		}
		if len(run) == 0 {
			s.StrPair() // nothing was read: the level is still there
		}
		for s.More(levels) {
		}
		if err := s.End(); (err == nil) != (c.doc != `[["1","2"x]]` && c.doc != `[[1,2]]`) {
			t.Errorf("%s: End %v", c.doc, err)
		}
	}
}

// TestNumPairsLongSide checks a side of more levels than one run holds.
func TestNumPairsLongSide(t *testing.T) {
	var doc []byte
	doc = append(doc, '[')
	n := 3*len(Scanner{}.pairs) + 5
	for i := range n {
		if i > 0 {
			doc = append(doc, ',')
		}
		doc = fmt.Appendf(doc, `["%d.5","%d"]`, i, i+1)
	}
	doc = append(doc, ']')
	var s Scanner
	s.Reset(doc)
	var got []Pair
	for levels := s.Array(); s.More(levels); {
		run := s.NumPairs()
		if len(run) == 0 {
			t.Fatalf("level %d not read as a run", len(got))
		}
		got = append(got, run...)
	}
	if err := s.End(); err != nil || len(got) != n {
		t.Fatalf("%d levels, %v", len(got), err)
	}
	for i, p := range got {
		if p != (Pair{M1: int64(10*i + 5), S1: 1, M2: int64(i + 1)}) {
			t.Fatalf("level %d: %+v", i, p)
		}
	}
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

// category returns the sentinel a scanner error matches.
func category(err error) error {
	for _, c := range []error{ErrSyntax, ErrType, ErrTooDeep, ErrRange, ErrUsage} {
		if errors.Is(err, c) {
			return c
		}
	}
	return err
}

// TestNumPairs checks the run reader on a side of levels: what it reads in
// runs, and where it stops for the general readers.
func TestNumPairs(t *testing.T) {
	var s Scanner
	s.Reset([]byte(`[["1.5","2"],["3","0.25","0","7"],["4", "5"],["6","7"]]`))
	levels := s.Array()
	if !s.More(levels) {
		t.Fatal("no first level")
	}
	run := s.NumPairs()
	want := []Pair{{M1: 15, S1: 1, M2: 2}, {M1: 3, M2: 25, S2: 2}}
	if len(run) != len(want) || run[0] != want[0] || run[1] != want[1] {
		t.Fatalf("first run %+v, want %+v", run, want)
	}
	// ["4", "5"] has a space: the run stopped before it.
	if !s.More(levels) || len(s.NumPairs()) != 0 {
		t.Fatal("the level with a space was read as a run")
	}
	if p, a := s.StrPair(); string(p) != "4" || string(a) != "5" {
		t.Fatalf("StrPair read %q %q", p, a)
	}
	if !s.More(levels) {
		t.Fatal("no last level")
	}
	if run := s.NumPairs(); len(run) != 1 || run[0] != (Pair{M1: 6, M2: 7}) {
		t.Fatalf("last run %+v", run)
	}
	if s.More(levels) {
		t.Fatal("a level after the last")
	}
	if err := s.End(); err != nil {
		t.Fatal(err)
	}
}

// FuzzNumPairs reads an array of levels with NumPairs first (StrPair for
// what it leaves) and with StrPair alone: both must read the same values
// and end the document alike.
func FuzzNumPairs(f *testing.F) {
	for _, seed := range []string{
		`[["1","2"],["63999.00000000","0.01500003"]]`, `[["1","2","0","3"],["4","5"]]`,
		`[["1","2"],["3"],["4","5",1]]`, `[["1" ,"2"], ["3","4"]]`, `[]`, `[["1","2\n"],["1","2","\u0041"]]`,
		`[["1","2"],["3","4"]`, `[["1","2"],]`, `[["01","2"],["1e5","2"]]`,
	} {
		f.Add([]byte(seed))
	}
	value := func(text []byte) string {
		if r, ok := new(big.Rat).SetString(string(text)); ok {
			return r.String()
		}
		return "text " + string(text)
	}
	pairValue := func(m int64, scale int) string {
		return new(big.Rat).SetFrac(big.NewInt(m), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil)).String()
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		var fast, slow Scanner
		fast.Reset(doc)
		slow.Reset(doc)
		var got, want []string
		for levels := fast.Array(); fast.More(levels); {
			if run := fast.NumPairs(); len(run) > 0 {
				for _, p := range run {
					got = append(got, pairValue(p.M1, p.S1), pairValue(p.M2, p.S2))
				}
				continue
			}
			p, a := fast.StrPair()
			got = append(got, value(p), value(a))
		}
		for levels := slow.Array(); slow.More(levels); {
			p, a := slow.StrPair()
			want = append(want, value(p), value(a))
		}
		errFast, errSlow := fast.End(), slow.End()
		if (errFast == nil) != (errSlow == nil) || errFast != nil && !errors.Is(errFast, category(errSlow)) {
			t.Fatalf("%q: End with runs %v, without %v", doc, errFast, errSlow)
		}
		if errSlow == nil && !slices.Equal(got, want) {
			t.Fatalf("%q: with runs %q, without %q", doc, got, want)
		}
	})
}
