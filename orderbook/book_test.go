package orderbook

import (
	"strings"
	"testing"
	"time"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/unified"
)

// bid and ask build a Change from wire text.
func bid(t testing.TB, price, amount string) Change {
	t.Helper()
	return Change{Side: Bid, Price: num(t, price), Amount: num(t, amount)}
}

func ask(t testing.TB, price, amount string) Change {
	t.Helper()
	return Change{Side: Ask, Price: num(t, price), Amount: num(t, amount)}
}

// upd builds an update at id last.
func upd(last int64, cs ...Change) Update[Change] {
	return Update[Change]{IDs: IDs{Last: last}, Changes: cs}
}

// render writes a unified book as "b p@a p@a | a p@a" with decimal strings.
func render(ob unified.OrderBook) string {
	var sb strings.Builder
	sb.WriteString("b")
	for _, l := range ob.Bids {
		sb.WriteString(" " + l.Price.String() + "@" + l.Amount.String())
	}
	sb.WriteString(" | a")
	for _, l := range ob.Asks {
		sb.WriteString(" " + l.Price.String() + "@" + l.Amount.String())
	}
	return sb.String()
}

// snap returns the rendered full snapshot or fails.
func snap(t testing.TB, b interface {
	Snapshot(int) (unified.OrderBook, error)
}) string {
	t.Helper()
	ob, err := b.Snapshot(0)
	if err != nil {
		t.Fatalf("Snapshot: %v", err)
	}
	return render(ob)
}

func TestBookReplaceAndApply(t *testing.T) {
	b := NewBook("BTC/USDT")
	at := time.Date(2025, 8, 6, 17, 6, 42, 0, time.UTC)
	err := b.Replace(Update[Change]{IDs: IDs{Last: 100}, Time: at, Changes: []Change{
		bid(t, "64000.00", "1.50000000"), bid(t, "63999.00", "2.00000000"),
		ask(t, "64001.00", "1.00000000"), ask(t, "64002.00", "3.00000000"),
	}})
	if err != nil {
		t.Fatal(err)
	}
	if b.State() != Live || b.Err() != nil || b.Nonce() != 100 || !b.Time().Equal(at) {
		t.Fatalf("after Replace: state %v err %v nonce %d time %v", b.State(), b.Err(), b.Nonce(), b.Time())
	}
	if err := b.Apply(upd(105,
		bid(t, "64000.00", "1.20000000"),
		ask(t, "64001.00", "0.00000000"),
		ask(t, "64003.00", "0.70000000"),
		bid(t, "1", "0"), // deleting an absent level is fine
	)); err != nil {
		t.Fatal(err)
	}
	want := "b 64000@1.2 63999@2 | a 64002@3 64003@0.7"
	if got := snap(t, b); got != want {
		t.Errorf("book = %s\nwant   %s", got, want)
	}
	ob, _ := b.Snapshot(1)
	if ob.Symbol != "BTC/USDT" || ob.Nonce != 105 || len(ob.Bids) != 1 || len(ob.Asks) != 1 {
		t.Errorf("Snapshot(1) = %+v", ob)
	}
	if b.Depth(Bid) != 2 || b.Depth(Ask) != 2 {
		t.Errorf("depths %d %d, want 2 2 (the live book is never trimmed)", b.Depth(Bid), b.Depth(Ask))
	}
}

func TestBookReplaceDiscardsOldLevels(t *testing.T) {
	b := NewBook("X")
	if err := b.Replace(upd(1, bid(t, "10", "1"), bid(t, "9", "1"), ask(t, "11", "1"), ask(t, "12", "1"))); err != nil {
		t.Fatal(err)
	}
	// A new snapshot without 9 and 12: neither may survive as a ghost.
	if err := b.Replace(upd(2, bid(t, "8", "2"), ask(t, "13", "2"))); err != nil {
		t.Fatal(err)
	}
	if got, want := snap(t, b), "b 8@2 | a 13@2"; got != want {
		t.Errorf("book = %s, want %s", got, want)
	}
}

func TestBookReplaceOrderAndDuplicates(t *testing.T) {
	b := NewBook("X")
	err := b.Replace(upd(1,
		ask(t, "12", "1"), bid(t, "9", "1"), ask(t, "11", "1"), bid(t, "10", "1"),
		bid(t, "9.0", "3"),                      // a later entry for the same price wins
		ask(t, "14", "0"),                       // a zero amount is no level
		ask(t, "15", "1"), ask(t, "15.00", "0"), // a later delete wins too
		ask(t, "13", "1"), bid(t, "7", "5"), bid(t, "8", "1"),
	))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := snap(t, b), "b 10@1 9@3 8@1 7@5 | a 11@1 12@1 13@1"; got != want {
		t.Errorf("book = %s, want %s", got, want)
	}
}

func TestBookWireScaleFollowsLatestUpdate(t *testing.T) {
	b := NewBook("X")
	if err := b.Replace(upd(1, bid(t, "3366", "6"), ask(t, "3368", "8"))); err != nil {
		t.Fatal(err)
	}
	before, _ := b.Snapshot(0)
	if err := b.Apply(upd(2, bid(t, "3366.0", "6.00"))); err != nil {
		t.Fatal(err)
	}
	lv, _ := b.Best(Bid)
	if lv.Price.String() != "3366.0" || lv.Amount.String() != "6.00" {
		t.Errorf("best bid %s@%s, want the latest wire text 3366.0@6.00", lv.Price, lv.Amount)
	}
	after, _ := b.Snapshot(0)
	if !after.Bids[0].Price.Equal(before.Bids[0].Price) || !after.Bids[0].Amount.Equal(before.Bids[0].Amount) {
		t.Errorf("snapshot values changed: %s then %s", render(before), render(after))
	}
	// The cached decimals were rebuilt with the new wire scales.
	if e := after.Bids[0].Price.Exponent(); e != -1 {
		t.Errorf("snapshot price exponent %d, want -1 (3366.0)", e)
	}
	if e := after.Bids[0].Amount.Exponent(); e != -2 {
		t.Errorf("snapshot amount exponent %d, want -2 (6.00)", e)
	}
}

func TestBookCounted(t *testing.T) {
	b := NewCountedBook("tXRPBTC")
	c := func(sd Side, price string, count int64, amount string) Change {
		return Change{Side: sd, Price: num(t, price), Count: count, Amount: num(t, amount)}
	}
	if err := b.Replace(upd(0, c(Bid, "0.0000011", 13, "271510.49"), c(Ask, "0.00000111", 1, "4847.13"))); err != nil {
		t.Fatal(err)
	}
	if err := b.Apply(upd(0, c(Bid, "0.0000011", 12, "266122.94"))); err != nil {
		t.Fatal(err)
	}
	lv, ok := b.Best(Bid)
	if !ok || lv.Count != 12 || lv.Amount.String() != "266122.94" {
		t.Errorf("best bid = %+v", lv)
	}
	// Count 0 deletes; the amount (1 for bids, -1 for asks on the wire)
	// only names the side.
	if err := b.Apply(upd(0, c(Ask, "0.00000111", 0, "1"))); err != nil {
		t.Fatal(err)
	}
	if b.Depth(Ask) != 0 {
		t.Errorf("ask not deleted by count 0")
	}
	// In a counted book a zero amount with a count keeps the level.
	if err := b.Apply(upd(0, c(Bid, "0.000001", 1, "0"))); err != nil || b.Depth(Bid) != 2 {
		t.Errorf("count 1 amount 0: err %v depth %d", err, b.Depth(Bid))
	}
	if err := b.Apply(upd(0, c(Bid, "0.000001", -1, "1"))); !errors.Is(err, errors.BadResponse) {
		t.Errorf("negative count: %v", err)
	}
}

func TestBookCrossed(t *testing.T) {
	b := NewBook("X")
	if err := b.Replace(upd(1, bid(t, "100", "1"), ask(t, "101", "1"))); err != nil {
		t.Fatal(err)
	}
	// Crossed mid-update but not at its end: fine.
	if err := b.Apply(upd(2, bid(t, "101.5", "1"), bid(t, "101.5", "0"))); err != nil {
		t.Fatalf("transient cross inside one update: %v", err)
	}
	err := b.Apply(upd(3, bid(t, "101", "2")))
	if !errors.Is(err, errors.InvalidNonce) || !strings.Contains(err.Error(), "crossed") ||
		!strings.Contains(err.Error(), "101") {
		t.Fatalf("crossed book: %v", err)
	}
	var ce *CrossedError
	if !errors.As(err, &ce) || ce.Bid.String() != "101" || ce.Ask.String() != "101" {
		t.Errorf("CrossedError = %+v", ce)
	}
	if b.State() != Invalid || b.Err() != err {
		t.Errorf("state %v err %v after crossing", b.State(), b.Err())
	}
	if _, err := b.Snapshot(0); err != ce {
		t.Errorf("Snapshot of a crossed book: %v", err)
	}
	// A crossed snapshot is refused too.
	if err := b.Replace(upd(4, bid(t, "5", "1"), ask(t, "4", "1"))); !errors.As(err, &ce) {
		t.Errorf("crossed snapshot: %v", err)
	}
	// And a good snapshot repairs the book.
	if err := b.Replace(upd(5, bid(t, "5", "1"), ask(t, "6", "1"))); err != nil || b.State() != Live {
		t.Errorf("repair: %v %v", err, b.State())
	}
}

func TestBookReadsOfABookNotLive(t *testing.T) {
	check := func(name string, b *Book, want error) {
		t.Helper()
		if _, err := b.Snapshot(0); err == nil || !errors.Is(err, want) {
			t.Errorf("%s: Snapshot error %v, want %v", name, err, want)
		}
		if _, ok := b.Best(Bid); ok {
			t.Errorf("%s: Best returned a level", name)
		}
		if _, ok := b.At(Ask, 0); ok {
			t.Errorf("%s: At returned a level", name)
		}
		for range b.Levels(Bid) {
			t.Errorf("%s: Levels yielded a level", name)
		}
		if b.Depth(Bid) != 0 {
			t.Errorf("%s: Depth %d", name, b.Depth(Bid))
		}
		if _, err := b.Checksum(Interleaved25); !errors.Is(err, want) {
			t.Errorf("%s: Checksum error %v", name, err)
		}
		if err := b.Apply(upd(9, bid(t, "1", "1"))); !errors.Is(err, want) {
			t.Errorf("%s: Apply error %v", name, err)
		}
	}
	b := NewBook("X")
	if b.State() != Syncing {
		t.Fatalf("new book state %v", b.State())
	}
	check("new", b, ErrNotSynced)
	if !errors.Is(ErrNotSynced, errors.OperationFailed) {
		t.Errorf("ErrNotSynced is not OperationFailed")
	}
	if err := b.Replace(upd(1, bid(t, "1", "1"), ask(t, "2", "1"))); err != nil {
		t.Fatal(err)
	}
	gap := &GapError{Rule: "test", Expected: 2, Got: 5}
	b.Invalidate(gap)
	check("invalidated", b, errors.InvalidNonce)
	if b.Err() != gap {
		t.Errorf("Err() = %v, want the reason given", b.Err())
	}
	b.Invalidate(nil)
	check("invalidated without reason", b, errors.InvalidNonce)
	b.Reset()
	check("reset", b, ErrNotSynced)
	var zero Book
	check("zero value", &zero, ErrNotSynced)
}

func TestBookBadInput(t *testing.T) {
	for name, c := range map[string]Change{
		"no side":         {Price: num(t, "1"), Amount: num(t, "1")},
		"unknown side":    {Side: 7, Price: num(t, "1"), Amount: num(t, "1")},
		"negative amount": {Side: Bid, Price: num(t, "1"), Amount: num(t, "-1")},
	} {
		b := NewBook("X")
		if err := b.Replace(upd(1, bid(t, "1", "1"))); err != nil {
			t.Fatal(err)
		}
		err := b.Apply(upd(2, c))
		if !errors.Is(err, errors.BadResponse) || b.State() != Invalid {
			t.Errorf("%s: Apply gives %v, state %v", name, err, b.State())
		}
		if err := b.Replace(upd(3, c)); !errors.Is(err, errors.BadResponse) || b.State() != Invalid {
			t.Errorf("%s: Replace gives %v, state %v", name, err, b.State())
		}
	}
}

func TestBookChangeSeqSkipsWhatTheSnapshotHolds(t *testing.T) {
	b := NewBook("BTC-USDT")
	if err := b.Replace(upd(100, bid(t, "10", "1"), ask(t, "11", "1"))); err != nil {
		t.Fatal(err)
	}
	c1 := bid(t, "10", "5")
	c1.Seq = 99 // already in the snapshot
	c2 := ask(t, "11", "7")
	c2.Seq = 101
	if err := b.Apply(upd(101, c1, c2)); err != nil {
		t.Fatal(err)
	}
	if got, want := snap(t, b), "b 10@1 | a 11@7"; got != want {
		t.Errorf("book = %s, want %s", got, want)
	}
}

func TestBookAccessors(t *testing.T) {
	b := NewBook("X")
	if err := b.Replace(upd(1, bid(t, "10", "1"), bid(t, "9", "2"), bid(t, "8", "3"), ask(t, "11", "4"), ask(t, "12", "5"))); err != nil {
		t.Fatal(err)
	}
	if lv, ok := b.Best(Ask); !ok || lv.Price.String() != "11" || lv.Amount.String() != "4" {
		t.Errorf("Best(Ask) = %+v %v", lv, ok)
	}
	if lv, ok := b.At(Bid, 2); !ok || lv.Price.String() != "8" {
		t.Errorf("At(Bid, 2) = %+v %v", lv, ok)
	}
	if _, ok := b.At(Bid, 3); ok {
		t.Errorf("At past the end returned a level")
	}
	if _, ok := b.At(Bid, -1); ok {
		t.Errorf("At(-1) returned a level")
	}
	if b.Depth(0) != 0 {
		t.Errorf("Depth of no side")
	}
	var prices []string
	for lv := range b.Levels(Bid) {
		prices = append(prices, lv.Price.String())
		if len(prices) == 2 {
			break
		}
	}
	if strings.Join(prices, " ") != "10 9" {
		t.Errorf("Levels(Bid) with break = %v", prices)
	}
	if b.Symbol() != "X" {
		t.Errorf("Symbol() = %q", b.Symbol())
	}
}

func TestSnapshotIsACopy(t *testing.T) {
	b := NewBook("X")
	if err := b.Replace(upd(1, bid(t, "10", "1"), ask(t, "11", "1"))); err != nil {
		t.Fatal(err)
	}
	ob, _ := b.Snapshot(0)
	if err := b.Apply(upd(2, bid(t, "10", "2"), bid(t, "9", "1"), ask(t, "11", "0"))); err != nil {
		t.Fatal(err)
	}
	if got := render(ob); got != "b 10@1 | a 11@1" {
		t.Errorf("an earlier snapshot changed with the book: %s", got)
	}
	if cap(ob.Bids) != len(ob.Bids) {
		t.Errorf("bids slice capacity %d > length %d: an append would overwrite the asks", cap(ob.Bids), len(ob.Bids))
	}
}

func TestBookDoesNotAllocate(t *testing.T) {
	b := NewBook("X")
	var cs []Change
	for i := range 200 {
		p, _ := MakeNum(int64(100000-i), 2)
		a, _ := MakeNum(int64(100001+i), 2)
		cs = append(cs, Change{Side: Bid, Price: p, Amount: num(t, "1")}, Change{Side: Ask, Price: a, Amount: num(t, "1")})
	}
	if err := b.Replace(upd(1, cs...)); err != nil {
		t.Fatal(err)
	}
	ins := upd(2, bid(t, "999.995", "3"))
	del := upd(3, bid(t, "999.995", "0"))
	mod := upd(4, ask(t, "1000.05", "2.5"))
	if n := testing.AllocsPerRun(100, func() {
		_ = b.Apply(ins)
		_ = b.Apply(del)
		_ = b.Apply(mod)
	}); n != 0 {
		t.Errorf("Apply allocates %v times per insert/delete/modify", n)
	}
	if n := testing.AllocsPerRun(100, func() {
		_, _ = b.Best(Bid)
		_, _ = b.At(Ask, 5)
		for range b.Levels(Ask) {
		}
	}); n != 0 {
		t.Errorf("reads allocate %v times", n)
	}
	if _, err := b.Snapshot(20); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = b.Snapshot(20) }); n != 1 {
		t.Errorf("a snapshot of an unchanged top of book allocates %v times, want 1 (the level slice)", n)
	}
	if _, err := b.Checksum(Interleaved25); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = b.Checksum(Interleaved25) }); n != 0 {
		t.Errorf("Checksum allocates %v times", n)
	}
}

func TestBookTruncate(t *testing.T) {
	b := NewBook("X")
	mustOK(t, b.Replace(upd(1, bid(t, "10", "1"), bid(t, "9", "1"), bid(t, "8", "1"), ask(t, "11", "1"), ask(t, "12", "1"), ask(t, "13", "1"))))
	b.Truncate(0) // no limit
	if b.Depth(Bid) != 3 {
		t.Fatalf("Truncate(0) removed levels")
	}
	b.Truncate(2)
	if got, want := snap(t, b), "b 10@1 9@1 | a 11@1 12@1"; got != want {
		t.Errorf("book %s, want %s", got, want)
	}
	// The freed levels are reused and a level that left is really gone.
	mustOK(t, b.Apply(upd(2, bid(t, "9.5", "2"), ask(t, "13", "0"), ask(t, "11.5", "3"))))
	if got, want := snap(t, b), "b 10@1 9.5@2 9@1 | a 11@1 11.5@3 12@1"; got != want {
		t.Errorf("book %s, want %s", got, want)
	}
}
