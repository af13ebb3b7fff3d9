package orderbook

import (
	"strings"
	"testing"

	"github.com/unifex-go/unifex/errors"
)

// TestVerifier checks the comparison of a live book with a fresh snapshot
// brought to the same update: updates from before the snapshot are
// dropped, the books meet at the live book's id, and each kind of
// difference within the snapshot's price range is found, while levels
// deeper than the snapshot are not judged.
func TestVerifier(t *testing.T) {
	// The live book: snapshot at 10 with a level deeper than the fresh
	// snapshot will show (bid 90), then updates 11..12 and 13..14.
	newLive := func(t *testing.T) (*Book, *Sync[Change]) {
		live := NewBook("X")
		s := NewSync[Change](live, UpdateIDRange{}, 10)
		if err := s.OnSnapshot(ids(0, 10, 0, bid(t, "100", "1"), bid(t, "99", "2"), bid(t, "90", "7"), ask(t, "101", "1"), ask(t, "102", "2"))); err != nil {
			t.Fatal(err)
		}
		return live, s
	}
	u1 := ids(11, 12, 0, bid(t, "100", "1.5"))
	u2 := ids(13, 14, 0, ask(t, "101", "0"), ask(t, "103", "4"))
	fresh := func(cs ...Change) Update[Change] { return ids(0, 12, 0, cs...) } // taken after u1

	cases := []struct {
		name string
		snap Update[Change]
		want string // "" when the books agree
	}{
		{"agree", fresh(bid(t, "100", "1.5"), bid(t, "99", "2"), ask(t, "101", "1"), ask(t, "102", "2")), ""},
		{"amount", fresh(bid(t, "100", "1.5"), bid(t, "99", "3"), ask(t, "101", "1"), ask(t, "102", "2")), "bid 99: book has 2, snapshot has 3"},
		{"missing in book", fresh(bid(t, "100", "1.5"), bid(t, "99.5", "1"), bid(t, "99", "2"), ask(t, "101", "1"), ask(t, "102", "2")), "bid 99.5: book has no level, snapshot has 1"},
		{"extra in book", fresh(bid(t, "100", "1.5"), bid(t, "98", "1"), ask(t, "101", "1"), ask(t, "102", "2")), "bid 99: book has 2, snapshot has no level"},
		{"deeper than the snapshot", fresh(bid(t, "100", "1.5"), ask(t, "101", "1"), ask(t, "102", "2")), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			live, s := newLive(t)
			v := NewVerifier(live, UpdateIDRange{}, 10)
			// u1 reaches both books before the snapshot; u2 after it.
			for _, u := range []Update[Change]{u1} {
				if err := s.OnDelta(u); err != nil {
					t.Fatal(err)
				}
				if err := v.Sync().OnDelta(u); err != nil {
					t.Fatal(err)
				}
			}
			if err := v.OnSnapshot(c.snap); err != nil {
				t.Fatal(err)
			}
			if !v.Ready(s.Last()) {
				t.Fatal("the books stand at the same update but the verifier is not ready")
			}
			for _, u := range []Update[Change]{u2} {
				if err := s.OnDelta(u); err != nil {
					t.Fatal(err)
				}
				if err := v.Sync().OnDelta(u); err != nil {
					t.Fatal(err)
				}
			}
			if !v.Ready(s.Last()) {
				t.Fatal("not ready after a common update")
			}
			err := v.Compare(live)
			if c.want == "" {
				if err != nil {
					t.Fatalf("the books agree, got %v", err)
				}
				return
			}
			var d *DivergenceError
			if !errors.As(err, &d) || !errors.Is(err, errors.ChecksumError) {
				t.Fatalf("got %v, want a DivergenceError", err)
			}
			if !strings.Contains(err.Error(), c.want) || d.Nonce != 14 {
				t.Fatalf("got %q (nonce %d), want it to say %q at 14", err, d.Nonce, c.want)
			}
		})
	}
}

// TestVerifierWaitsForTheLiveBook checks that a snapshot newer than the
// live book is compared only once the live book reaches it, and that a
// snapshot older than the updates kept since the start cannot conclude.
func TestVerifierWaitsForTheLiveBook(t *testing.T) {
	live := NewBook("X")
	s := NewSync[Change](live, UpdateIDRange{}, 10)
	if err := s.OnSnapshot(ids(0, 10, 0, bid(t, "100", "1"), ask(t, "101", "1"))); err != nil {
		t.Fatal(err)
	}
	v := NewVerifier(live, UpdateIDRange{}, 10)
	if err := v.OnSnapshot(ids(0, 12, 0, bid(t, "100", "2"), ask(t, "101", "1"))); err != nil {
		t.Fatal(err)
	}
	if v.Ready(s.Last()) {
		t.Fatal("ready before the live book reached the snapshot")
	}
	u := ids(11, 12, 0, bid(t, "100", "2"))
	if err := s.OnDelta(u); err != nil {
		t.Fatal(err)
	}
	if err := v.Sync().OnDelta(u); err != nil {
		t.Fatal(err)
	}
	if !v.Ready(s.Last()) {
		t.Fatal("not ready once the live book reached the snapshot")
	}
	if err := v.Compare(live); err != nil {
		t.Fatal(err)
	}

	old := NewVerifier(live, UpdateIDRange{}, 10)
	if err := old.Sync().OnDelta(ids(13, 14, 0, bid(t, "100", "3"))); err != nil {
		t.Fatal(err)
	}
	if err := old.OnSnapshot(ids(0, 11, 0, bid(t, "100", "2"), ask(t, "101", "1"))); err == nil {
		t.Fatal("a snapshot older than the kept updates was accepted")
	}
}
