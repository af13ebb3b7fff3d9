package orderbook

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/errors"
)

func FuzzParseNum(f *testing.F) {
	for _, s := range []string{
		"0", "-0", "43231.10", "0.00012", "7e-7", "6.6e-7", "-5000", "1E+21", "0.00000000",
		"500793.10790141", "9223372036854775807", "9223372036854775808", "01", "1.", ".5",
		"1e", "-", "", "1e-60", "1e61", "NaN", "1.0000000000000000000", "-0.00", "1e+0",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseNum(s)
		nb, errb := ParseNumBytes([]byte(s))
		if (err == nil) != (errb == nil) || n != nb {
			t.Fatalf("ParseNum and ParseNumBytes disagree on %q: %v %v / %v %v", s, n, err, nb, errb)
		}
		if err != nil {
			if !errors.Is(err, errors.BadResponse) {
				t.Fatalf("ParseNum(%q) error %v is not BadResponse", s, err)
			}
			return
		}
		// The value is exact: shopspring reads the same number.
		ref, rerr := decimal.NewFromString(s)
		if rerr != nil || !ref.Equal(n.Decimal()) {
			t.Fatalf("ParseNum(%q) = %v, decimal says %v (%v)", s, n, ref, rerr)
		}
		// Plain notation comes back as written (a negative zero loses its sign).
		if !strings.ContainsAny(s, "eE") {
			want := s
			if n.IsZero() {
				want = strings.TrimPrefix(s, "-")
			}
			// A fraction longer than the form holds can only have lost
			// trailing zeros (a significant digit there is refused): it
			// renders at MaxScale digits.
			if whole, frac, ok := strings.Cut(want, "."); ok && len(frac) > MaxScale {
				want = whole + "." + frac[:MaxScale]
			}
			if got := n.String(); got != want {
				t.Fatalf("ParseNum(%q).String() = %q", s, got)
			}
		}
		// Every rendering reads back as the same value.
		for _, text := range []string{n.String(), string(n.AppendJSNumber(nil))} {
			back, err := ParseNum(text)
			if err != nil || !back.Equal(n) {
				t.Fatalf("%q renders as %q, which reads back as %v (%v)", s, text, back, err)
			}
		}
		if n.Cmp(n.Neg()) != n.Sign() || n.Abs().Sign() < 0 {
			t.Fatalf("sign helpers disagree for %q", s)
		}
	})
}

// FuzzParsePlain: the fast path for plain decimals agrees with the full
// rules on every input it accepts.
func FuzzParsePlain(f *testing.F) {
	for _, s := range []string{"0", "-0", "-0.00", "43231.10", "0.00012", "123456789012345678", "1234567890123456789",
		"12345678901234567.8", "01", "1.", ".5", "-", "", "1e5", "99999999999999999.9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fast, ok := parsePlain(s)
		if !ok {
			return
		}
		full, err := parseFull(s)
		if err != nil || fast != full {
			t.Fatalf("%q: the fast path reads %v, the full rules %v (%v)", s, fast, full, err)
		}
	})
}

// fuzzChange decodes 4 bytes into a change on a small price grid with varied
// scales, so fuzzed updates insert, rewrite, delete and sometimes cross.
func fuzzChange(p []byte) Change {
	sd := Bid
	if p[0]&1 == 1 {
		sd = Ask
	}
	scale := int(p[0]>>1) % 3
	price, _ := MakeNum(int64(p[1])*int64(pow10[scale]), 1+scale)
	amount, _ := MakeNum(int64(p[2]%8)*int64(p[3]), int(p[3]%4))
	return Change{Side: sd, Price: price, Amount: amount, Count: int64(p[3] % 3)}
}

func FuzzBookApply(f *testing.F) {
	f.Add([]byte{0, 10, 1, 1, 1, 20, 1, 1, 0, 11, 2, 3, 1, 20, 0, 0}, uint8(2), false)
	f.Add([]byte{0, 10, 1, 1, 1, 9, 1, 1}, uint8(1), true)
	f.Add([]byte{2, 10, 3, 5, 4, 10, 3, 6, 1, 200, 7, 7, 3, 200, 0, 9}, uint8(3), false)
	f.Fuzz(func(t *testing.T, data []byte, per uint8, counted bool) {
		b, m := NewBook("X"), newL2Model(counted)
		if counted {
			b = NewCountedBook("X")
		}
		if err := b.Replace(upd(0)); err != nil {
			t.Fatal(err)
		}
		k := 1 + int(per%8)
		for step := 0; len(data) >= 4; step++ {
			var cs []Change
			for i := 0; i < k && len(data) >= 4; i++ {
				c := fuzzChange(data)
				cs = append(cs, c)
				m.apply(c)
				data = data[4:]
			}
			err := b.Apply(upd(int64(step), cs...))
			bids, asks := m.levels(Bid), m.levels(Ask)
			crossed := len(bids) > 0 && len(asks) > 0 && bids[0].price.Cmp(asks[0].price) >= 0
			if crossed {
				var ce *CrossedError
				if !errors.As(err, &ce) || b.State() != Invalid {
					t.Fatalf("step %d: the model crossed, the book says %v", step, err)
				}
				if _, err := b.Snapshot(0); err == nil {
					t.Fatalf("a crossed book was read")
				}
				return
			}
			if err != nil {
				t.Fatalf("step %d: %v", step, err)
			}
			compareL2(t, step, b, m)
			checkLadder(t, &b.bids)
			checkLadder(t, &b.asks)
		}
	})
}

func FuzzL3Apply(f *testing.F) {
	f.Add([]byte{1, 0, 10, 3, 2, 1, 20, 4, 1, 0, 11, 3, 2, 1, 20, 0})
	f.Add([]byte{5, 0, 10, 3, 5, 0, 12, 0, 5, 1, 12, 9})
	f.Fuzz(func(t *testing.T, data []byte) {
		b := NewL3Book[int64]("X", Priority(len(data)%2))
		m := &l3Model{prio: b.prio, orders: map[int64]*modelOrder{}}
		mustOK(t, b.Replace(l3upd[int64](0)))
		for step := 0; len(data) >= 4; step++ {
			sd := Side(1 + data[1]%2)
			price, _ := MakeNum(int64(data[2]), int(data[1]>>1)%3)
			amount, _ := MakeNum(int64(data[3]%5), 1)
			c := OrderChange[int64]{ID: int64(data[0] % 16), Side: sd, Price: price, Amount: amount}
			data = data[4:]
			m.apply(c)
			err := b.Apply(l3upd(int64(step), c))
			bids, asks := m.queue(Bid), m.queue(Ask)
			if len(bids) > 0 && len(asks) > 0 && bids[0].Price.Cmp(asks[0].Price) >= 0 {
				if !errors.Is(err, errors.InvalidNonce) || b.State() != Invalid {
					t.Fatalf("step %d: the model crossed, the book says %v", step, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("step %d: %v", step, err)
			}
			compareL3(t, step, b, m)
		}
	})
}

// checkLadder verifies a ladder's invariants: no empty or overfull chunk,
// keys strictly ascending across chunks, the level count right.
func checkLadder(t *testing.T, l *ladder) {
	t.Helper()
	if len(l.firsts) != len(l.chunks) {
		t.Fatalf("%d first keys for %d chunks", len(l.firsts), len(l.chunks))
	}
	n, prev := 0, int64(0)
	for c, ch := range l.chunks {
		if ch.n <= 0 || ch.n > chunkSize {
			t.Fatalf("chunk %d holds %d levels", c, ch.n)
		}
		if l.firsts[c] != ch.keys[0] {
			t.Fatalf("chunk %d: firsts %v, first key %d", c, l.firsts, ch.keys[0])
		}
		for i, k := range ch.keys[:ch.n] {
			if n > 0 && k <= prev {
				t.Fatalf("chunk %d key %d: %d after %d", c, i, k, prev)
			}
			prev = k
			n++
		}
	}
	if n != l.n {
		t.Fatalf("ladder counts %d levels, holds %d", l.n, n)
	}
	// Every entry of the index names a level the ladder holds, in its slot,
	// and sits where its key hashes.
	slots := map[int64]int32{}
	for _, ch := range l.chunks {
		for i := range ch.n {
			slots[ch.keys[i]] = ch.slots[i]
		}
	}
	for i, e := range l.index {
		if e.slot == 0 {
			continue
		}
		if slot, ok := slots[e.key]; !ok || slot != e.slot-1 {
			t.Fatalf("index entry %d: key %d in slot %d; the ladder has it: %v, in slot %d", i, e.key, e.slot-1, ok, slot)
		}
		if l.indexOf(e.key) != &l.index[i] {
			t.Fatalf("index entry %d holds key %d, which hashes elsewhere", i, e.key)
		}
	}
}
