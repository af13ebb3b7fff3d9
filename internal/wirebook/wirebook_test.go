package wirebook

import (
	"slices"
	"testing"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/internal/jsonscan"
	"github.com/unifex-go/unifex/orderbook"
)

// reference reads levels the plain way, StrPair and ParseNumBytes, level
// by level: what ScanLevels must agree with on any input.
func reference(s *jsonscan.Scanner, side orderbook.Side) ([]orderbook.Change, bool) {
	var out []orderbook.Change
	for levels := s.Array(); s.More(levels); {
		p, a := s.StrPair()
		price, err1 := orderbook.ParseNumBytes(p)
		amount, err2 := orderbook.ParseNumBytes(a)
		if s.Err() != nil {
			return out, true
		}
		if err1 != nil || err2 != nil {
			return out, false
		}
		out = append(out, orderbook.Change{Side: side, Price: price, Amount: amount})
	}
	return out, true
}

func TestScanLevels(t *testing.T) {
	for _, c := range []struct {
		name, doc string
		want      []string // price/amount pairs as the book prints them
		badLevel  bool
		badJSON   bool
	}{
		{"binance", `[["63999.00000000","0.01500003"],["63998.01000000","0.00000000"]]`, []string{"63999.00000000", "0.01500003", "63998.01000000", "0.00000000"}, false, false},
		{"okx's four elements", `[["41006.8","0.60038921","0","1"],["41006.3","0.30178218","0","2"]]`, []string{"41006.8", "0.60038921", "41006.3", "0.30178218"}, false, false},
		{"spaces and an exponent", `[ ["1e-7", "2"] , ["3","4"]]`, []string{"0.0000001", "2", "3", "4"}, false, false},
		{"not a number", `[["1","2"],["x","4"]]`, []string{"1", "2"}, true, false},
		{"too many digits", `[["12345678901234567890123","4"]]`, nil, true, false},
		{"a broken frame", `[["1","2"],["3","4"`, []string{"1", "2"}, false, true},
		{"an empty side", `[]`, nil, false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			var s jsonscan.Scanner
			s.Reset([]byte(c.doc))
			got, err := ScanLevels(&s, "venue", orderbook.Ask, nil)
			if c.badLevel != (err != nil) || err != nil && !errors.Is(err, errors.BadResponse) {
				t.Fatalf("error %v, want a BadResponse: %v", err, c.badLevel)
			}
			if endErr := s.End(); c.badJSON != (endErr != nil) {
				t.Fatalf("End %v, want an error: %v", endErr, c.badJSON)
			}
			var text []string
			for _, ch := range got {
				if ch.Side != orderbook.Ask {
					t.Fatalf("side %v", ch.Side)
				}
				text = append(text, ch.Price.String(), ch.Amount.String())
			}
			if !slices.Equal(text, c.want) {
				t.Fatalf("levels %q, want %q", text, c.want)
			}
		})
	}
}

// FuzzScanLevels checks ScanLevels against the level-by-level reference on
// any side: the same refusal, the same End and, for a good frame, the same
// changes.
func FuzzScanLevels(f *testing.F) {
	for _, seed := range []string{`[["63999.00000000","0.01500003"],["1","2"]]`, `[["41006.8","0.6","0","1"]]`, `[ ["1e-7", "2"] ]`, `[["1","2"],["x","4"]]`, `[["1","2"],["3","4"`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		var fast, slow jsonscan.Scanner
		fast.Reset(doc)
		slow.Reset(doc)
		got, err := ScanLevels(&fast, "venue", orderbook.Bid, nil)
		want, ok := reference(&slow, orderbook.Bid)
		if (err == nil) != ok {
			t.Fatalf("%q: ScanLevels error %v, the reference accepts: %v", doc, err, ok)
		}
		if err != nil && !errors.Is(err, errors.BadResponse) {
			t.Fatalf("%q: error %v is not a BadResponse", doc, err)
		}
		if !ok {
			return
		}
		e1, e2 := fast.End(), slow.End()
		if (e1 == nil) != (e2 == nil) {
			t.Fatalf("%q: End %v, the reference's %v", doc, e1, e2)
		}
		// A broken frame's changes are never applied (callers check End):
		// only a good frame's must agree.
		if e1 == nil && !slices.Equal(got, want) {
			t.Fatalf("%q: %v, the reference %v", doc, got, want)
		}
	})
}
