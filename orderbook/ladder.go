package orderbook

import (
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/unified"
)

// Side names one side of a book. The zero value is no side, so a change
// that forgot to set it is rejected rather than read as a bid.
type Side uint8

const (
	// Bid is the buy side, best (highest) price first.
	Bid Side = 1
	// Ask is the sell side, best (lowest) price first.
	Ask Side = 2
)

// String returns "bid", "ask" or "Side(n)".
func (s Side) String() string {
	switch s {
	case Bid:
		return "bid"
	case Ask:
		return "ask"
	}
	return "Side(" + strconv.Itoa(int(s)) + ")"
}

// PriceLevel is one level of a live book in its exact fixed-point form, for
// allocation-free reads in hot loops.
type PriceLevel struct {
	// Price is the level's price, with the scale the venue last sent it with.
	Price Num
	// Amount is the total amount at Price, as the venue last sent it (L2 and
	// counted books) or the exact sum of the orders' amounts (L3 books).
	Amount Num
	// Count is the number of orders at the level: as sent by the venue
	// (counted books; 0 in an L2 book whose venue sends none) or as counted
	// by an L3 book.
	Count int64
}

// Bits of level.cached.
const (
	priceCached  = 1 << iota // level.pdec holds the price's value
	amountCached             // level.adec holds amount's value
)

// level is the payload of one price level.
type level struct {
	amount Num
	count  int64
	// head and tail are the first and last order of the level's queue in an
	// L3 book (indexes into L3Book.orders), -1 when empty; unused elsewhere.
	head, tail int32
	// pdec and adec cache the decimals handed out by snapshots until the
	// level changes, so snapshots of a quiet book allocate only the slices.
	pdec, adec decimal.Decimal
	cached     uint8
	// pscale is the scale the venue last wrote the price with; the key
	// holds the value at the ladder's scale.
	pscale int8
}

// ladder holds one side's levels as a sorted slice with the best price at
// the END, so the changes that concentrate near the top of the book move few
// elements. (BenchmarkStructure measures it against a two-level B+tree: the
// slice is faster for updates near the top, the tree for updates spread
// uniformly over a deep book, which venues do not send.)
//
// keys are the prices as int64 mantissas at one scale for the whole ladder
// (the finest the side has seen), negated on the ask side so that both sides
// ascend towards their best price: finding a level costs integer
// comparisons only. slots[i] is the index in lv of the payload of the level
// whose key is keys[i]; payloads do not move when levels are inserted or
// removed, only the 12-byte key/slot pairs do.
type ladder struct {
	ask   bool
	scale int8
	keys  []int64
	slots []int32
	lv    []level
	free  []int32
}

// probe returns the key of price p at the ladder's scale, and false when p
// has more decimals than the scale holds (so no level has that price) or its
// key would overflow.
func (l *ladder) probe(p Num) (int64, bool) {
	m := p.m
	switch d := int(l.scale) - int(p.s); {
	case d > 0:
		var ok bool
		if m, ok = rescale(m, d); !ok {
			return 0, false
		}
	case d < 0:
		if -d >= len(pow10) {
			if m != 0 {
				return 0, false
			}
		} else {
			q := int64(pow10[-d])
			if m%q != 0 {
				return 0, false
			}
			m /= q
		}
	}
	if l.ask {
		m = -m
	}
	return m, true
}

// key returns the key of price p, first making the ladder's scale finer when
// p needs it. It fails when the keys cannot hold p together with the book's
// other prices.
func (l *ladder) key(p Num) (int64, error) {
	if len(l.keys) == 0 {
		l.scale = p.s
	}
	if k, ok := l.probe(p); ok {
		return k, nil
	}
	if p.s > l.scale && l.rescale(int(p.s)-int(l.scale)) {
		if k, ok := l.probe(p); ok {
			return k, nil
		}
	}
	return 0, badInput("price " + p.String() + " does not fit the book's exact form together with its other prices")
}

// rescale multiplies every key by 10^d, and reports false (changing nothing)
// when one would overflow.
func (l *ladder) rescale(d int) bool {
	if n := len(l.keys); n > 0 {
		// Keys ascend, so the extremes bound every key.
		if _, ok := rescale(l.keys[0], d); !ok {
			return false
		}
		if _, ok := rescale(l.keys[n-1], d); !ok {
			return false
		}
	}
	if d >= len(pow10) { // only zero keys remain
		l.scale += int8(d)
		return true
	}
	f := int64(pow10[d])
	for i := range l.keys {
		l.keys[i] *= f
	}
	l.scale += int8(d)
	return true
}

// price returns the price of the level at position pos, with the scale the
// venue last wrote it with.
func (l *ladder) price(pos int) Num {
	k := l.keys[pos]
	if l.ask {
		k = -k
	}
	ps := l.lv[l.slots[pos]].pscale
	// The venue's mantissa fitted an int64 at scale ps, so this is exact.
	switch d := int(l.scale) - int(ps); {
	case d >= len(pow10) || -d >= len(pow10):
		k = 0 // only a zero price is that far from the ladder's scale
	case d > 0:
		k /= int64(pow10[d])
	case d < 0:
		k *= int64(pow10[-d])
	}
	return Num{m: k, s: ps}
}

// search returns the position of key k, or where it would be inserted, and
// whether it is present. It gallops from the best end (the end of the
// slice) before bisecting, so a change near the top of the book costs a few
// comparisons whatever the depth.
func (l *ladder) search(k int64) (int, bool) {
	keys := l.keys
	hi := len(keys) // keys[hi:] are all greater than k
	lo := 0
	for step := 1; ; step <<= 1 {
		j := hi - step
		if j < 0 {
			break
		}
		if kj := keys[j]; kj <= k {
			if kj == k {
				return j, true
			}
			lo = j + 1
			break
		}
		hi = j
	}
	// Bisect the window the gallop left (the first key >= k is in
	// [lo, lo+n]) with a conditional move instead of a branch per step.
	n := hi - lo
	for n > 1 {
		half := n >> 1
		if keys[lo+half] < k {
			lo += half
		}
		n -= half
	}
	if n == 1 && keys[lo] < k {
		lo++
	}
	return lo, lo < len(keys) && keys[lo] == k
}

// insert puts a new level with key k and price scale ps at position i and
// returns its payload slot, reset except head and tail = -1.
func (l *ladder) insert(i int, k int64, ps int8) int32 {
	var slot int32
	if n := len(l.free); n > 0 {
		slot = l.free[n-1]
		l.free = l.free[:n-1]
	} else {
		slot = int32(len(l.lv))
		l.lv = append(l.lv, level{})
	}
	v := &l.lv[slot] // its decimals are zero: new, or cleared by remove
	v.amount, v.count, v.head, v.tail, v.cached, v.pscale = Num{}, 0, -1, -1, 0, ps
	l.keys = append(l.keys, 0)
	copy(l.keys[i+1:], l.keys[i:])
	l.keys[i] = k
	l.slots = append(l.slots, 0)
	copy(l.slots[i+1:], l.slots[i:])
	l.slots[i] = slot
	return slot
}

// remove deletes the level at position i.
func (l *ladder) remove(i int) {
	slot := l.slots[i]
	v := &l.lv[slot]
	v.pdec, v.adec = decimal.Decimal{}, decimal.Decimal{} // for the collector
	l.free = append(l.free, slot)
	copy(l.keys[i:], l.keys[i+1:])
	l.keys = l.keys[:len(l.keys)-1]
	copy(l.slots[i:], l.slots[i+1:])
	l.slots = l.slots[:len(l.slots)-1]
}

// truncate removes all but the best depth levels and returns the payload
// slots it freed (valid until the next insert).
func (l *ladder) truncate(depth int) []int32 {
	n := len(l.keys) - depth // the worst n levels are at the front
	if depth <= 0 || n <= 0 {
		return nil
	}
	from := len(l.free)
	for _, slot := range l.slots[:n] {
		v := &l.lv[slot]
		v.pdec, v.adec = decimal.Decimal{}, decimal.Decimal{}
		l.free = append(l.free, slot)
	}
	l.keys = l.keys[:copy(l.keys, l.keys[n:])]
	l.slots = l.slots[:copy(l.slots, l.slots[n:])]
	return l.free[from:]
}

// clear empties the ladder and keeps its memory.
func (l *ladder) clear() {
	clear(l.lv)
	l.keys, l.slots, l.lv, l.free = l.keys[:0], l.slots[:0], l.lv[:0], l.free[:0]
}

// best returns the best price of a non-empty ladder.
func (l *ladder) best() Num { return l.price(len(l.keys) - 1) }

// view returns the level at position pos.
func (l *ladder) view(pos int) PriceLevel {
	v := &l.lv[l.slots[pos]]
	return PriceLevel{Price: l.price(pos), Amount: v.amount, Count: v.count}
}

// fill writes the best len(out) levels into out, best first, building each
// level's decimals only when the level changed since the last snapshot.
func (l *ladder) fill(out []unified.Level) {
	n := len(l.keys)
	for i := range out {
		pos := n - 1 - i
		v := &l.lv[l.slots[pos]]
		if v.cached&priceCached == 0 {
			v.pdec = l.price(pos).Decimal()
		}
		if v.cached&amountCached == 0 {
			v.adec = v.amount.Decimal()
		}
		v.cached = priceCached | amountCached
		out[i] = unified.Level{Price: v.pdec, Amount: v.adec}
	}
}

// rewrite records that the venue now writes the price at pos with scale ps
// (an equal value, maybe written differently), so the level gives back the
// venue's latest wire text.
func (l *ladder) rewrite(pos int, ps int8) {
	if v := &l.lv[l.slots[pos]]; v.pscale != ps {
		v.pscale = ps
		v.cached &^= priceCached
	}
}
