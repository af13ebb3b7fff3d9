package fakebook

import (
	"slices"
	"testing"
)

// TestSide checks the order of both sides and every way Set changes a
// level.
func TestSide(t *testing.T) {
	bids, asks := Side{Bids: true}, Side{}
	for _, p := range []int64{100, 102, 101} {
		bids.Set(p, p-90, 1)
		asks.Set(p+10, p-90, 0)
	}
	if got := []int64{bids.Levels[0].Price, bids.Levels[1].Price, bids.Levels[2].Price}; !slices.Equal(got, []int64{102, 101, 100}) {
		t.Fatalf("bids %v", bids.Levels)
	}
	if best, ok := asks.Best(); !ok || best.Price != 110 {
		t.Fatalf("best ask %v %v", best, ok)
	}
	bids.Set(101, 5, 2) // change
	bids.Set(102, 0, 0) // remove
	bids.Set(99, 0, 0)  // remove a level that is not there
	if want := []Level{{101, 5, 2}, {100, 10, 1}}; !slices.Equal(bids.Levels, want) {
		t.Fatalf("bids %v, want %v", bids.Levels, want)
	}
	if bids.Qty(101) != 5 || bids.Qty(103) != 0 {
		t.Fatal("Qty")
	}
	head := bids.Head(1)
	head[0].Qty = 99
	if bids.Levels[0].Qty != 5 || len(bids.Head(0)) != 2 || len(bids.Head(9)) != 2 {
		t.Fatal("Head must copy, and give every level for 0 or more than there are")
	}
	var empty Side
	if _, ok := empty.Best(); ok {
		t.Fatal("the best of an empty side")
	}
}

// TestHistory checks lookups by id (the newest of equal ids), the ring's
// forgetting, Back and Reset.
func TestHistory(t *testing.T) {
	h := NewHistory(3)
	bids, asks := Side{Bids: true}, Side{}
	if _, ok := h.At(0); ok {
		t.Fatal("an empty history found id 0")
	}
	for id := int64(1); id <= 4; id++ {
		bids.Set(100, id, 0)
		h.Record(id, &bids, &asks)
	}
	if _, ok := h.At(1); ok {
		t.Fatal("the oldest state outlived the ring")
	}
	if s, ok := h.At(3); !ok || s.Bids[0].Qty != 3 {
		t.Fatalf("At(3) = %v %v", s, ok)
	}
	bids.Set(100, 9, 0)
	h.Record(4, &bids, &asks) // a second state under one id: the newest wins
	if s, _ := h.At(4); s.Bids[0].Qty != 9 {
		t.Fatalf("At(4) = %v", s)
	}
	if s, ok := h.Back(2); !ok || s.ID != 3 {
		t.Fatalf("Back(2) = %v %v", s, ok)
	}
	if _, ok := h.Back(3); ok {
		t.Fatal("Back beyond the ring")
	}
	h.Reset()
	if _, ok := h.At(4); ok {
		t.Fatal("a state survived Reset")
	}
	if _, ok := h.Back(0); ok {
		t.Fatal("Back after Reset")
	}
}
