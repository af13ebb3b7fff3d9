package orderbook

import (
	"strings"
	"testing"

	"github.com/unifex-go/unifex/errors"
)

// oc builds an order change from wire text.
func oc[ID int64 | string](t testing.TB, id ID, sd Side, price, amount string) OrderChange[ID] {
	t.Helper()
	return OrderChange[ID]{ID: id, Side: sd, Price: num(t, price), Amount: num(t, amount)}
}

func l3upd[ID int64 | string](last int64, cs ...OrderChange[ID]) Update[OrderChange[ID]] {
	return Update[OrderChange[ID]]{IDs: IDs{Last: last}, Changes: cs}
}

// queueText renders a side's orders as "id:price:amount ...".
func queueText[ID int64 | string](b *L3Book[ID], sd Side) string {
	var parts []string
	for o := range b.Orders(sd) {
		parts = append(parts, string(appendID(nil, o.ID))+":"+o.Price.String()+":"+o.Amount.String())
	}
	return strings.Join(parts, " ")
}

func TestL3AddMoveDelete(t *testing.T) {
	b := NewL3Book[int64]("BTC/USD", TimePriority)
	mustOK(t, b.Replace(l3upd(1,
		oc(t, int64(1), Bid, "100", "1"),
		oc(t, int64(2), Bid, "100", "2.5"),
		oc(t, int64(3), Bid, "99", "1"),
		oc(t, int64(4), Ask, "101", "3"),
		oc(t, int64(5), Ask, "102", "0.25"),
	)))
	if got, want := snap(t, b), "b 100@3.5 99@1 | a 101@3 102@0.25"; got != want {
		t.Errorf("book %s, want %s", got, want)
	}
	if lv, _ := b.Best(Bid); lv.Count != 2 || lv.Amount.String() != "3.5" {
		t.Errorf("best bid level %+v", lv)
	}
	if b.Len() != 5 {
		t.Errorf("Len %d", b.Len())
	}
	// An amount change keeps the queue position.
	mustOK(t, b.Apply(l3upd(2, oc(t, int64(1), Bid, "100", "0.5"))))
	if got, want := queueText(b, Bid), "1:100:0.5 2:100:2.5 3:99:1"; got != want {
		t.Errorf("bids %s, want %s", got, want)
	}
	// A price change moves the order to the back of its new level; the old
	// level goes when it empties.
	mustOK(t, b.Apply(l3upd(3, oc(t, int64(3), Bid, "100", "1"), oc(t, int64(5), Ask, "101", "0.25"))))
	if got, want := queueText(b, Bid), "1:100:0.5 2:100:2.5 3:100:1"; got != want {
		t.Errorf("bids %s, want %s", got, want)
	}
	if got, want := snap(t, b), "b 100@4 | a 101@3.25"; got != want {
		t.Errorf("book %s, want %s", got, want)
	}
	// Delete by id (the price is ignored); an unknown id is fine.
	mustOK(t, b.Apply(l3upd(4, oc(t, int64(2), Bid, "0", "0"), oc(t, int64(42), Ask, "0", "0"))))
	if got, want := snap(t, b), "b 100@1.5 | a 101@3.25"; got != want {
		t.Errorf("book %s, want %s", got, want)
	}
	if _, ok := b.Order(2); ok {
		t.Errorf("order 2 still there")
	}
	if o, ok := b.Order(3); !ok || o.Price.String() != "100" || o.Side != Bid {
		t.Errorf("Order(3) = %+v %v", o, ok)
	}
	// A side change moves the order across.
	mustOK(t, b.Apply(l3upd(5, oc(t, int64(1), Ask, "102", "0.5"))))
	if got, want := queueText(b, Ask), "4:101:3 5:101:0.25 1:102:0.5"; got != want {
		t.Errorf("asks %s, want %s", got, want)
	}
	if got, want := snap(t, b), "b 100@1 | a 101@3.25 102@0.5"; got != want {
		t.Errorf("book %s, want %s", got, want)
	}
}

func TestL3IDPriority(t *testing.T) {
	b := NewL3Book[int64]("tBTCUSD", IDPriority)
	mustOK(t, b.Replace(l3upd(1, oc(t, int64(30), Bid, "100", "1"), oc(t, int64(10), Bid, "100", "1"), oc(t, int64(20), Ask, "101", "1"))))
	mustOK(t, b.Apply(l3upd(2, oc(t, int64(15), Bid, "100", "2"), oc(t, int64(5), Bid, "100", "3"), oc(t, int64(40), Bid, "100", "4"))))
	if got, want := queueText(b, Bid), "5:100:3 10:100:1 15:100:2 30:100:1 40:100:4"; got != want {
		t.Errorf("bids %s, want %s", got, want)
	}
	// Bitfinex raw-book checksum text: order id in place of price, asks
	// negative, interleaved.
	text, err := b.AppendChecksumText(nil, Interleaved25JSOrders)
	mustOK(t, err)
	if want := "5:3:20:-1:10:1:15:2:30:1:40:4"; string(text) != want {
		t.Errorf("R0 checksum text %s, want %s", text, want)
	}
	c, err := b.Checksum(Interleaved25JSOrders)
	mustOK(t, err)
	mustOK(t, b.VerifyChecksum(Interleaved25JSOrders, int64(int32(c))))
	// Without OrderIDs the L3 book hashes its levels.
	text, _ = b.AppendChecksumText(nil, Interleaved25)
	if want := "100:11:101:1"; string(text) != want {
		t.Errorf("level checksum text %s, want %s", text, want)
	}
	if err := b.VerifyChecksum(Interleaved25JSOrders, int64(c)+1); !errors.Is(err, errors.ChecksumError) || b.State() != Invalid {
		t.Errorf("mismatch: %v, state %v", err, b.State())
	}
}

func TestL3ChecksumDepthCountsOrders(t *testing.T) {
	b := NewL3Book[int64]("X", TimePriority)
	var cs []OrderChange[int64]
	for i := range int64(30) {
		cs = append(cs, OrderChange[int64]{ID: i + 1, Side: Bid, Price: num(t, "100"), Amount: num(t, "1")})
	}
	mustOK(t, b.Replace(l3upd(1, cs...)))
	text, _ := b.AppendChecksumText(nil, Interleaved25JSOrders)
	if n := strings.Count(string(text), ":") + 1; n != 50 {
		t.Errorf("R0 checksum has %d fields, want 25 orders × 2", n)
	}
}

func TestL3StringIDsAndReplace(t *testing.T) {
	b := NewL3Book[string]("BTC-USDT", TimePriority)
	mustOK(t, b.Replace(l3upd(7,
		oc(t, "a", Bid, "10", "1"),
		oc(t, "b", Bid, "10", "2"),
		oc(t, "a", Bid, "9", "4"), // later entry for the same id wins
		oc(t, "c", Ask, "11", "1"),
		oc(t, "b", Bid, "0", "0"), // a later zero removes the earlier entry
		oc(t, "d", Ask, "12", "1"),
	)))
	if got, want := snap(t, b), "b 9@4 | a 11@1 12@1"; got != want {
		t.Errorf("book %s, want %s", got, want)
	}
	if b.Len() != 3 || b.Nonce() != 7 {
		t.Errorf("Len %d Nonce %d", b.Len(), b.Nonce())
	}
	// Replace discards everything.
	mustOK(t, b.Replace(l3upd(8, oc(t, "z", Ask, "20", "1"))))
	if got, want := snap(t, b), "b | a 20@1"; got != want || b.Len() != 1 {
		t.Errorf("book %s (len %d), want %s", got, b.Len(), want)
	}
	if _, ok := b.Order("a"); ok {
		t.Errorf("a ghost order survived Replace")
	}
}

func TestL3ExactSums(t *testing.T) {
	b := NewL3Book[int64]("X", TimePriority)
	mustOK(t, b.Replace(l3upd(1, oc(t, int64(1), Bid, "1", "0.1"), oc(t, int64(2), Bid, "1", "0.2"), oc(t, int64(3), Bid, "1", "0.30"))))
	if lv, _ := b.Best(Bid); lv.Amount.String() != "0.60" {
		t.Errorf("sum %s, want exactly 0.60", lv.Amount)
	}
	mustOK(t, b.Apply(l3upd(2, oc(t, int64(3), Bid, "1", "0"))))
	if lv, _ := b.Best(Bid); !lv.Amount.Equal(num(t, "0.3")) || lv.Count != 2 {
		t.Errorf("after removal %+v", lv)
	}
	err := b.Apply(l3upd(3, oc(t, int64(4), Bid, "1", "9223372036854775807")))
	if !errors.Is(err, errors.BadResponse) || b.State() != Invalid {
		t.Errorf("an overflowing level sum: %v, state %v", err, b.State())
	}
}

func TestL3CrossedAndBadInput(t *testing.T) {
	b := NewL3Book[int64]("X", TimePriority)
	mustOK(t, b.Replace(l3upd(1, oc(t, int64(1), Bid, "100", "1"), oc(t, int64(2), Ask, "101", "1"))))
	err := b.Apply(l3upd(2, oc(t, int64(3), Bid, "101", "1")))
	var ce *CrossedError
	if !errors.As(err, &ce) || !errors.Is(err, errors.InvalidNonce) {
		t.Errorf("crossed: %v", err)
	}
	for name, c := range map[string]OrderChange[int64]{
		"negative": {ID: 9, Side: Bid, Price: num(t, "1"), Amount: num(t, "-1")},
		"no side":  {ID: 9, Price: num(t, "1"), Amount: num(t, "1")},
	} {
		b := NewL3Book[int64]("X", TimePriority)
		mustOK(t, b.Replace(l3upd[int64](1)))
		if err := b.Apply(l3upd(2, c)); !errors.Is(err, errors.BadResponse) || b.State() != Invalid {
			t.Errorf("%s: %v", name, err)
		}
		if err := b.Replace(l3upd(3, c)); !errors.Is(err, errors.BadResponse) {
			t.Errorf("%s in a snapshot: %v", name, err)
		}
	}
}

func TestL3ReadsOfABookNotLive(t *testing.T) {
	var b L3Book[int64] // the zero value works
	if _, err := b.Snapshot(0); !errors.Is(err, ErrNotSynced) {
		t.Errorf("Snapshot: %v", err)
	}
	if err := b.Apply(l3upd[int64](1)); !errors.Is(err, ErrNotSynced) {
		t.Errorf("Apply: %v", err)
	}
	mustOK(t, b.Replace(l3upd(1, oc(t, int64(1), Bid, "1", "1"))))
	b.Invalidate(&GapError{Rule: "test", Expected: 1, Got: 2})
	if _, ok := b.Best(Bid); ok {
		t.Errorf("Best of an invalid book")
	}
	if _, ok := b.At(Bid, 0); ok {
		t.Errorf("At of an invalid book")
	}
	if _, ok := b.Order(1); ok || b.Len() != 0 || b.Depth(Bid) != 0 {
		t.Errorf("order reads of an invalid book")
	}
	for range b.Orders(Bid) {
		t.Errorf("Orders yielded from an invalid book")
	}
	for range b.Levels(Bid) {
		t.Errorf("Levels yielded from an invalid book")
	}
	if _, err := b.Checksum(Interleaved25JSOrders); !errors.Is(err, errors.InvalidNonce) {
		t.Errorf("Checksum: %v", err)
	}
	if b.Err() == nil || b.State() != Invalid {
		t.Errorf("state %v", b.State())
	}
	b.Reset()
	if b.State() != Syncing || b.Symbol() != "" || !b.Time().IsZero() {
		t.Errorf("after Reset: %v", b.State())
	}
}

func TestL3Accessors(t *testing.T) {
	b := NewL3Book[int64]("X", TimePriority)
	mustOK(t, b.Replace(l3upd(1, oc(t, int64(1), Bid, "10", "1"), oc(t, int64(2), Bid, "9", "2"), oc(t, int64(3), Ask, "11", "3"))))
	if lv, ok := b.At(Bid, 1); !ok || lv.Price.String() != "9" || lv.Count != 1 {
		t.Errorf("At(Bid, 1) = %+v", lv)
	}
	var n int
	for range b.Levels(Bid) {
		n++
		break
	}
	for range b.Orders(Bid) {
		n++
		break
	}
	if n != 2 {
		t.Errorf("iterators ignore break")
	}
}

func TestL3DoesNotAllocate(t *testing.T) {
	b := NewL3Book[int64]("X", TimePriority)
	var cs []OrderChange[int64]
	for i := range int64(500) {
		p, _ := MakeNum(100000-i, 2)
		a, _ := MakeNum(100001+i, 2)
		cs = append(cs, OrderChange[int64]{ID: 2 * i, Side: Bid, Price: p, Amount: num(t, "1")},
			OrderChange[int64]{ID: 2*i + 1, Side: Ask, Price: a, Amount: num(t, "1")})
	}
	mustOK(t, b.Replace(l3upd(1, cs...)))
	add := l3upd(2, oc(t, int64(5000), Bid, "999.995", "1"))
	move := l3upd(3, oc(t, int64(5000), Bid, "999.99", "2"))
	del := l3upd(4, oc(t, int64(5000), Bid, "0", "0"))
	for range 10 { // let the map settle
		_, _, _ = b.Apply(add), b.Apply(move), b.Apply(del)
	}
	if n := testing.AllocsPerRun(100, func() {
		_ = b.Apply(add)
		_ = b.Apply(move)
		_ = b.Apply(del)
	}); n != 0 {
		t.Errorf("L3 add/move/delete allocates %v times", n)
	}
	mustOK(t, b.Err())
}

func TestL3Truncate(t *testing.T) {
	b := NewL3Book[int64]("X", TimePriority)
	mustOK(t, b.Replace(l3upd(1,
		oc(t, int64(1), Bid, "10", "1"), oc(t, int64(2), Bid, "9", "1"), oc(t, int64(3), Bid, "9", "2"), oc(t, int64(4), Bid, "8", "1"),
		oc(t, int64(5), Ask, "11", "1"), oc(t, int64(6), Ask, "12", "1"),
	)))
	b.Truncate(1)
	if got, want := snap(t, b), "b 10@1 | a 11@1"; got != want || b.Len() != 2 {
		t.Errorf("book %s (%d orders), want %s", got, b.Len(), want)
	}
	if _, ok := b.Order(3); ok {
		t.Errorf("an order of a truncated level survived")
	}
	text, _ := b.AppendChecksumText(nil, Interleaved25JSOrders)
	if string(text) != "1:1:5:-1" {
		t.Errorf("checksum text after Truncate: %s", text)
	}
	mustOK(t, b.Apply(l3upd(2, oc(t, int64(3), Bid, "9", "4"), oc(t, int64(7), Bid, "9", "1"))))
	if got, want := queueText(b, Bid), "1:10:1 3:9:4 7:9:1"; got != want {
		t.Errorf("bids %s, want %s", got, want)
	}
}
