package orderbook

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// The property tests drive each book and a naive model — maps, sorted on
// every read — with the same random snapshots and updates and require them to
// agree after every update: levels, order, exact amounts, wire text.

// canon is a Num's value without trailing zeros: equal values, equal canon.
func canon(n Num) Num {
	for n.m != 0 && n.m%10 == 0 && n.s > -MaxScale {
		n.m /= 10
		n.s--
	}
	if n.m == 0 {
		n.s = 0
	}
	return n
}

// randNum writes v × 10^-scale with 0–2 extra trailing zeros, the way venues
// vary their formatting.
func randNum(r *rand.Rand, v int64, scale int) Num {
	z := r.IntN(3)
	n, err := MakeNum(v*int64(pow10[z]), scale+z)
	if err != nil {
		panic(err)
	}
	return n
}

// modelLevel is a level of the L2 model, keeping the latest wire values.
type modelLevel struct {
	price, amount Num
	count         int64
}

type l2Model struct {
	counted bool
	sides   [2]map[Num]modelLevel // by canonical price
}

func newL2Model(counted bool) *l2Model {
	return &l2Model{counted: counted, sides: [2]map[Num]modelLevel{{}, {}}}
}

func (m *l2Model) apply(c Change) {
	side := m.sides[c.Side-1]
	k := canon(c.Price)
	if (m.counted && c.Count == 0) || (!m.counted && c.Amount.IsZero()) {
		delete(side, k)
		return
	}
	side[k] = modelLevel{price: c.Price, amount: c.Amount, count: c.Count}
}

// levels returns a side best first.
func (m *l2Model) levels(sd Side) []modelLevel {
	var ls []modelLevel
	for _, l := range m.sides[sd-1] {
		ls = append(ls, l)
	}
	slices.SortFunc(ls, func(a, b modelLevel) int {
		if sd == Bid {
			return b.price.Cmp(a.price)
		}
		return a.price.Cmp(b.price)
	})
	return ls
}

// text renders a model side as the book's checksum text would, wire form.
func (m *l2Model) text() string {
	var parts []string
	bids, asks := m.levels(Bid), m.levels(Ask)
	for i := range max(len(bids), len(asks)) {
		for _, ls := range [][]modelLevel{bids, asks} {
			if i < len(ls) {
				parts = append(parts, ls[i].price.String(), ls[i].amount.String())
			}
		}
	}
	return strings.Join(parts, ":")
}

// randChange makes a change on a price grid where bids stay below 100 and
// asks above, so that no random update crosses the book.
func randChange(r *rand.Rand, counted bool) Change {
	sd := Side(1 + r.IntN(2))
	tick := int64(r.IntN(300)) // a few hundred levels a side
	if r.IntN(4) != 0 {
		tick = int64(r.IntN(20)) // mostly near the top
	}
	var price Num
	if sd == Bid {
		price = randNum(r, 9999-tick*7, 2)
	} else {
		price = randNum(r, 10000+tick*7, 2)
	}
	c := Change{Side: sd, Price: price}
	if r.IntN(3) == 0 {
		c.Amount = randNum(r, 0, 3) // delete (L2)
	} else {
		c.Amount = randNum(r, 1+r.Int64N(100000), 3+r.IntN(5))
	}
	c.Count = int64(r.IntN(4)) // 0 deletes (counted)
	if !counted && r.IntN(5) == 0 {
		c.Count = 0
	}
	return c
}

// compareL2 checks the book against the model through every read path.
func compareL2(t *testing.T, step int, b *Book, m *l2Model) {
	t.Helper()
	ob, err := b.Snapshot(0)
	if err != nil {
		t.Fatalf("step %d: %v", step, err)
	}
	for _, sd := range []Side{Bid, Ask} {
		want := m.levels(sd)
		got := ob.Bids
		if sd == Ask {
			got = ob.Asks
		}
		if len(got) != len(want) || b.Depth(sd) != len(want) {
			t.Fatalf("step %d: %v side has %d levels (depth %d), model %d", step, sd, len(got), b.Depth(sd), len(want))
		}
		i := 0
		for lv := range b.Levels(sd) {
			w := want[i]
			if lv.Price != w.price || lv.Amount != w.amount || lv.Count != w.count {
				t.Fatalf("step %d: %v level %d = %v@%v#%d, model %v@%v#%d", step, sd, i, lv.Price, lv.Amount, lv.Count, w.price, w.amount, w.count)
			}
			if !got[i].Price.Equal(w.price.Decimal()) || !got[i].Amount.Equal(w.amount.Decimal()) {
				t.Fatalf("step %d: snapshot %v level %d = %s@%s, model %v@%v", step, sd, i, got[i].Price, got[i].Amount, w.price, w.amount)
			}
			if at, _ := b.At(sd, i); at != lv {
				t.Fatalf("step %d: At(%v, %d) = %+v, Levels gives %+v", step, sd, i, at, lv)
			}
			i++
		}
	}
	checkLadder(t, &b.bids)
	checkLadder(t, &b.asks)
	text, _ := b.AppendChecksumText(nil, ChecksumSpec{Layout: Interleaved, Sep: ":"})
	if want := m.text(); string(text) != want {
		t.Fatalf("step %d: checksum text\n%s\nmodel\n%s", step, text, want)
	}
}

func TestPropertyL2AndCountedBooks(t *testing.T) {
	for _, counted := range []bool{false, true} {
		r := rand.New(rand.NewPCG(7, uint64(len(strconv.FormatBool(counted)))))
		b := NewBook("X")
		if counted {
			b = NewCountedBook("X")
		}
		var m *l2Model
		for step := range 3000 {
			n := 1 + r.IntN(10)
			cs := make([]Change, n)
			for i := range cs {
				cs[i] = randChange(r, counted)
			}
			if step%500 == 0 {
				// A new snapshot replaces everything.
				m = newL2Model(counted)
				for _, c := range cs {
					m.apply(c)
				}
				if err := b.Replace(upd(int64(step), cs...)); err != nil {
					t.Fatal(err)
				}
			} else {
				for _, c := range cs {
					m.apply(c)
				}
				if err := b.Apply(upd(int64(step), cs...)); err != nil {
					t.Fatalf("step %d: %v", step, err)
				}
			}
			if step%97 == 0 {
				depth := 5 + r.IntN(50)
				b.Truncate(depth)
				m.truncate(depth)
			}
			compareL2(t, step, b, m)
		}
	}
}

// truncate keeps the best depth levels of each side.
func (m *l2Model) truncate(depth int) {
	for sd := Bid; sd <= Ask; sd++ {
		for i, l := range m.levels(sd) {
			if i >= depth {
				delete(m.sides[sd-1], canon(l.price))
			}
		}
	}
}

// l3Model is the naive L3 model: orders by id with the time each joined its
// level.
type l3Model struct {
	prio   Priority
	orders map[int64]*modelOrder
	clock  int
}

type modelOrder struct {
	Order[int64]
	joined int
}

func (m *l3Model) apply(c OrderChange[int64]) {
	o, ok := m.orders[c.ID]
	if c.Amount.IsZero() {
		delete(m.orders, c.ID)
		return
	}
	m.clock++
	if !ok {
		m.orders[c.ID] = &modelOrder{Order: Order[int64]{ID: c.ID, Side: c.Side, Price: c.Price, Amount: c.Amount}, joined: m.clock}
		return
	}
	if o.Side != c.Side || !o.Price.Equal(c.Price) {
		o.joined = m.clock
	}
	o.Side, o.Price, o.Amount = c.Side, c.Price, c.Amount
}

// queue returns a side's orders in priority order.
func (m *l3Model) queue(sd Side) []*modelOrder {
	var os []*modelOrder
	for _, o := range m.orders {
		if o.Side == sd {
			os = append(os, o)
		}
	}
	slices.SortFunc(os, func(a, b *modelOrder) int {
		c := a.Price.Cmp(b.Price)
		if sd == Bid {
			c = -c
		}
		if c != 0 {
			return c
		}
		if m.prio == IDPriority {
			return cmp.Compare(a.ID, b.ID)
		}
		return cmp.Compare(a.joined, b.joined)
	})
	return os
}

func randOrderChange(r *rand.Rand, live []int64, nextID *int64) OrderChange[int64] {
	var c OrderChange[int64]
	switch {
	case len(live) > 0 && r.IntN(3) == 0: // remove
		c.ID = live[r.IntN(len(live))]
		return c
	case len(live) > 0 && r.IntN(2) == 0: // modify or move
		c.ID = live[r.IntN(len(live))]
	default:
		*nextID += 1 + int64(r.IntN(3))
		c.ID = *nextID
		if r.IntN(4) == 0 {
			c.ID = r.Int64N(*nextID + 1) // ids do not always grow
		}
	}
	c.Side = Side(1 + r.IntN(2))
	tick := int64(r.IntN(15))
	if c.Side == Bid {
		c.Price = randNum(r, 9999-tick, 2)
	} else {
		c.Price = randNum(r, 10000+tick, 2)
	}
	c.Amount = randNum(r, 1+r.Int64N(5000), 1+r.IntN(4))
	return c
}

func TestPropertyL3Book(t *testing.T) {
	for _, prio := range []Priority{TimePriority, IDPriority} {
		r := rand.New(rand.NewPCG(11, uint64(prio)))
		b := NewL3Book[int64]("X", prio)
		m := &l3Model{prio: prio, orders: map[int64]*modelOrder{}}
		var nextID int64
		mustOK(t, b.Replace(l3upd[int64](0)))
		for step := 1; step <= 3000; step++ {
			live := make([]int64, 0, len(m.orders))
			for id := range m.orders {
				live = append(live, id)
			}
			slices.Sort(live)
			cs := make([]OrderChange[int64], 1+r.IntN(6))
			for i := range cs {
				cs[i] = randOrderChange(r, live, &nextID)
			}
			if step%700 == 0 {
				m = &l3Model{prio: prio, orders: map[int64]*modelOrder{}}
				for _, c := range cs {
					m.apply(c)
				}
				mustOK(t, b.Replace(l3upd(int64(step), cs...)))
			} else {
				for _, c := range cs {
					m.apply(c)
				}
				if err := b.Apply(l3upd(int64(step), cs...)); err != nil {
					t.Fatalf("step %d: %v", step, err)
				}
			}
			if step%97 == 0 {
				depth := 1 + r.IntN(10)
				b.Truncate(depth)
				m.truncate(depth)
			}
			compareL3(t, step, b, m)
		}
	}
}

// truncate removes the orders beyond the best depth price levels of each side.
func (m *l3Model) truncate(depth int) {
	for sd := Bid; sd <= Ask; sd++ {
		levels := 0
		var last Num
		for i, o := range m.queue(sd) {
			if i == 0 || !o.Price.Equal(last) {
				levels++
				last = o.Price
			}
			if levels > depth {
				delete(m.orders, o.ID)
			}
		}
	}
}

func compareL3(t *testing.T, step int, b *L3Book[int64], m *l3Model) {
	t.Helper()
	if b.Len() != len(m.orders) {
		t.Fatalf("step %d: %d orders, model %d", step, b.Len(), len(m.orders))
	}
	checkLadder(t, &b.bids)
	checkLadder(t, &b.asks)
	ob, err := b.Snapshot(0)
	if err != nil {
		t.Fatalf("step %d: %v", step, err)
	}
	for _, sd := range []Side{Bid, Ask} {
		want := m.queue(sd)
		i := 0
		for o := range b.Orders(sd) {
			if i >= len(want) || o != want[i].Order {
				t.Fatalf("step %d: %v order %d = %+v, model %+v", step, sd, i, o, want[min(i, len(want)-1)].Order)
			}
			i++
		}
		if i != len(want) {
			t.Fatalf("step %d: %v side has %d orders, model %d", step, sd, i, len(want))
		}
		// Levels: exact sums and counts from the model's orders.
		type agg struct {
			price  Num
			amount decimal.Decimal
			count  int64
		}
		var levels []agg
		for _, o := range want {
			if n := len(levels); n > 0 && levels[n-1].price.Equal(o.Price) {
				levels[n-1].amount = levels[n-1].amount.Add(o.Amount.Decimal())
				levels[n-1].count++
				continue
			}
			levels = append(levels, agg{price: o.Price, amount: o.Amount.Decimal(), count: 1})
		}
		got := ob.Bids
		if sd == Ask {
			got = ob.Asks
		}
		if len(got) != len(levels) {
			t.Fatalf("step %d: %v side has %d levels, model %d", step, sd, len(got), len(levels))
		}
		for i, l := range levels {
			lv, _ := b.At(sd, i)
			if !got[i].Price.Equal(l.price.Decimal()) || !got[i].Amount.Equal(l.amount) || lv.Count != l.count {
				t.Fatalf("step %d: %v level %d = %s@%s#%d, model %v@%s#%d", step, sd, i, got[i].Price, got[i].Amount, lv.Count, l.price, l.amount, l.count)
			}
		}
	}
}

// TestBelow checks the chunk scan against a binary search on every length
// up to a few strides, extreme keys included.
func TestBelow(t *testing.T) {
	for n := 0; n <= 200; n++ {
		keys := make([]int64, n)
		for i := range keys {
			keys[i] = int64(2*i) - 40
		}
		for k := int64(-45); k < int64(2*n)-30; k++ {
			if got, want := below(keys, k), lowerBound(keys, k); got != want {
				t.Fatalf("%d keys, k=%d: below %d, want %d", n, k, got, want)
			}
		}
	}
	keys := []int64{math.MinInt64, -5, 0, math.MaxInt64}
	for _, k := range []int64{math.MinInt64, -6, -5, 0, 3, math.MaxInt64} {
		if got, want := below(keys, k), lowerBound(keys, k); got != want {
			t.Fatalf("k=%d: below %d, want %d", k, got, want)
		}
	}
}

// lowerBound is the index of k in sorted keys, or where it would go.
func lowerBound(keys []int64, k int64) int {
	i, _ := slices.BinarySearch(keys, k)
	return i
}

// TestLadderRandom drives a ladder through many inserts, deletes, truncations
// and rescales around chunk boundaries and checks it against a sorted slice.
func TestLadderRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var l ladder
	var model []int64
	most := 0
	for step := range 20000 {
		most = max(most, len(l.chunks))
		switch op := r.IntN(1000); {
		case op < 2:
			depth := r.IntN(len(model) + 2)
			freed := len(l.truncate(depth))
			if depth > 0 && depth < len(model) {
				if freed != len(model)-depth {
					t.Fatalf("step %d: truncate freed %d slots, want %d", step, freed, len(model)-depth)
				}
				model = model[len(model)-depth:]
			}
		case op < 4 && len(model) > 0 && model[0] > -1e15 && model[len(model)-1] < 1e15:
			if !l.rescale(1) {
				t.Fatalf("step %d: rescale refused", step)
			}
			for i := range model {
				model[i] *= 10
			}
		default:
			// Mostly near the top (the end), sometimes anywhere.
			k := int64(r.IntN(4000)) * 10
			if r.IntN(3) > 0 && len(model) > 0 {
				k = model[len(model)-1] - int64(r.IntN(200))
			}
			p, found := l.search(k)
			i, mfound := slices.BinarySearch(model, k)
			if found != mfound {
				t.Fatalf("step %d: search(%d) found %v, model %v", step, k, found, mfound)
			}
			if found {
				l.remove(p)
				model = slices.Delete(model, i, i+1)
			} else {
				l.insert(p, k, 0)
				model = slices.Insert(model, i, k)
			}
		}
		if step%50 == 0 || l.n < 200 {
			checkLadder(t, &l)
			var got []int64
			w := l.walk()
			for k, _, ok := w.next(); ok; k, _, ok = w.next() {
				got = append(got, k)
			}
			slices.Reverse(got)
			if !slices.Equal(got, model) {
				t.Fatalf("step %d: ladder %v, model %v", step, got, model)
			}
			for _, rk := range []int{0, len(model) / 2, len(model) - 1} {
				if rk >= 0 && rk < len(model) {
					p := l.rank(rk)
					if k := l.chunks[p.c].keys[p.i]; k != model[len(model)-1-rk] {
						t.Fatalf("step %d: rank %d key %d, model %d", step, rk, k, model[len(model)-1-rk])
					}
				}
			}
		}
	}
	if most < 10 {
		t.Errorf("the test never grew past %d chunks", most)
	}
}
