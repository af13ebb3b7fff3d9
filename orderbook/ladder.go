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
	priceCached  = 1 << iota // level.price holds the key's value
	amountCached             // level.amt holds amount's value
)

// level is the payload of one price level.
type level struct {
	amount Num
	count  int64
	// head and tail are the first and last order of the level's queue in an
	// L3 book (indexes into L3Book.orders), -1 when empty; unused elsewhere.
	head, tail int32
	// price and amt cache the decimals handed out by snapshots until the
	// level changes, so snapshots of a quiet book allocate only the slices.
	price, amt decimal.Decimal
	cached     uint8
}

// ladder holds one side's levels as a sorted slice with the best price at
// the END, so the changes that concentrate near the top of the book move few
// elements. keys ascend; a bid's key is its price and an ask's key is its
// negated price, so both sides share one ordering. slots[i] is the index in
// lv of the payload of the level whose key is keys[i]; payloads do not move
// when levels are inserted or removed, only the 20-byte key/slot pairs do.
type ladder struct {
	keys  []Num
	slots []int32
	lv    []level
	free  []int32
}

// keyOf returns the ordering key of price on a side (negated for asks).
func keyOf(price Num, ask bool) Num {
	if ask {
		return price.Neg()
	}
	return price
}

// search returns the position of key k, or where it would be inserted, and
// whether it is present. It gallops from the best end (the end of the
// slice) before bisecting, so a change near the top of the book costs a few
// comparisons whatever the depth.
func (l *ladder) search(k Num) (int, bool) {
	keys := l.keys
	hi := len(keys) // keys[hi:] are all greater than k
	lo := 0
	for step := 1; ; step <<= 1 {
		j := hi - step
		if j < 0 {
			break
		}
		c := keys[j].Cmp(k)
		if c == 0 {
			return j, true
		}
		if c < 0 {
			lo = j + 1
			break
		}
		hi = j
	}
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		c := keys[mid].Cmp(k)
		if c == 0 {
			return mid, true
		}
		if c < 0 {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo, false
}

// insert puts a new level with key k at position i and returns its payload
// slot, reset except head and tail = -1.
func (l *ladder) insert(i int, k Num) int32 {
	var slot int32
	if n := len(l.free); n > 0 {
		slot = l.free[n-1]
		l.free = l.free[:n-1]
	} else {
		slot = int32(len(l.lv))
		l.lv = append(l.lv, level{})
	}
	l.lv[slot] = level{head: -1, tail: -1}
	l.keys = append(l.keys, Num{})
	copy(l.keys[i+1:], l.keys[i:])
	l.keys[i] = k
	l.slots = append(l.slots, 0)
	copy(l.slots[i+1:], l.slots[i:])
	l.slots[i] = slot
	return slot
}

// push appends a level with key k, which must exceed every key present (bulk
// loads of sorted data), and returns its payload slot.
func (l *ladder) push(k Num) int32 { return l.insert(len(l.keys), k) }

// remove deletes the level at position i.
func (l *ladder) remove(i int) {
	slot := l.slots[i]
	l.lv[slot] = level{} // drop cached decimals for the collector
	l.free = append(l.free, slot)
	copy(l.keys[i:], l.keys[i+1:])
	l.keys = l.keys[:len(l.keys)-1]
	copy(l.slots[i:], l.slots[i+1:])
	l.slots = l.slots[:len(l.slots)-1]
}

// clear empties the ladder and keeps its memory.
func (l *ladder) clear() {
	clear(l.lv)
	l.keys, l.slots, l.lv, l.free = l.keys[:0], l.slots[:0], l.lv[:0], l.free[:0]
}

// view returns the level at position pos.
func (l *ladder) view(pos int, ask bool) PriceLevel {
	v := &l.lv[l.slots[pos]]
	return PriceLevel{Price: keyOf(l.keys[pos], ask), Amount: v.amount, Count: v.count}
}

// fill writes the best len(out) levels into out, best first, building each
// level's decimals only when the level changed since the last snapshot.
func (l *ladder) fill(out []unified.Level, ask bool) {
	n := len(l.keys)
	for i := range out {
		pos := n - 1 - i
		v := &l.lv[l.slots[pos]]
		if v.cached&priceCached == 0 {
			v.price = keyOf(l.keys[pos], ask).Decimal()
		}
		if v.cached&amountCached == 0 {
			v.amt = v.amount.Decimal()
		}
		v.cached = priceCached | amountCached
		out[i] = unified.Level{Price: v.price, Amount: v.amt}
	}
}

// setKey replaces the key at pos with k, an equal value that may be written
// with another scale, so the level keeps the venue's latest wire text.
func (l *ladder) setKey(pos int, k Num) {
	if l.keys[pos].s != k.s {
		l.keys[pos] = k
		l.lv[l.slots[pos]].cached &^= priceCached
	}
}
