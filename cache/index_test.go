package cache

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

// checkInvariants verifies the lists and the identity index of r: the
// window list holds r.n slots with rising stamps (stamp list for
// by-timestamp), every keyed live slot is found by lookup, and every table
// entry is reachable from its home cell without crossing an empty one.
func checkInvariants[T any](t testing.TB, r *Ring[T]) {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.n == 0 {
		return
	}
	walk := func(head int32, next func(int32) int32) []int32 {
		var order []int32
		for i := head; i != none && len(order) <= r.n; i = next(i) {
			order = append(order, i)
		}
		if len(order) != r.n {
			t.Fatalf("list holds %d slots, want %d", len(order), r.n)
		}
		return order
	}
	window := walk(r.head, func(i int32) int32 { return r.slots[i].next })
	byStamp := window
	if r.kind == byTimestamp {
		byStamp = walk(r.uhead, func(i int32) int32 { return r.slots[i].unext })
	}
	if window[len(window)-1] != r.tail {
		t.Fatalf("tail %d is not the last slot %d", r.tail, window[len(window)-1])
	}
	for j := 1; j < len(byStamp); j++ {
		if r.slots[byStamp[j-1]].stamp >= r.slots[byStamp[j]].stamp {
			t.Fatalf("stamps out of order at %d", j)
		}
	}
	keyed := 0
	for _, i := range window {
		k := r.slots[i].key
		if !r.keyed(&k) {
			continue
		}
		keyed++
		if got := r.lookup(&k, r.hashKey(&k)); got != i {
			t.Fatalf("lookup(%+v) = %d, want slot %d", k, got, i)
		}
	}
	if keyed != r.used {
		t.Fatalf("index holds %d entries, %d keyed items live", r.used, keyed)
	}
	mask := uint32(len(r.table) - 1)
	cells := 0
	for p, e := range r.table {
		if e.slot == 0 {
			continue
		}
		cells++
		for q := e.hash & mask; q != uint32(p); q = (q + 1) & mask {
			if r.table[q].slot == 0 {
				t.Fatalf("entry at %d is cut off from its home %d by an empty cell at %d", p, e.hash&mask, q)
			}
		}
	}
	if cells != r.used || 2*r.used > len(r.table) {
		t.Fatalf("%d cells used, counted %d, table %d", cells, r.used, len(r.table))
	}
}

// TestIndexChurn runs many Puts through rings large enough for long probe
// runs and deletions in the middle of them, then checks every invariant and
// every identity, present or not.
func TestIndexChurn(t *testing.T) {
	for _, k := range []kind{byArrival, byTimestamp, byID, bySide} {
		t.Run(kindName(k), func(t *testing.T) {
			src := rand.New(rand.NewPCG(7, uint64(k)))
			r := newTestRing(k, 700)
			const pool = 2500
			for v := range 60000 {
				n := src.IntN(pool)
				r.Put(testItem{Sym: testSymbols[n%3], ID: strconv.Itoa(n), TS: int64(n), Val: v})
				if v%5000 == 0 {
					checkInvariants(t, r)
				}
			}
			checkInvariants(t, r)
			live := map[testItem]bool{}
			for _, it := range r.Read("", 0, 0) {
				live[testItem{Sym: it.Sym, ID: it.ID, TS: it.TS}] = true
			}
			for n := range pool {
				id := testItem{Sym: testSymbols[n%3], ID: strconv.Itoa(n), TS: int64(n)}
				_, ok := r.Get(testKey(&id))
				if ok != live[id] {
					t.Fatalf("Get(%+v) found=%v, in window=%v", id, ok, live[id])
				}
			}
		})
	}
}
