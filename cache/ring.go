package cache

import (
	"hash/maphash"
	"math"
	"sync"
)

// DefaultLimit is the capacity of a bounded Ring built with a limit of zero or
// less, and of the zero Ring. It matches the default of the exchange Config
// cache sizes (TradesLimit, OHLCVLimit, OrdersLimit).
const DefaultLimit = 1000

// maxLimit caps a Ring's capacity so that slot links fit in an int32 with
// room for the one spare slot.
const maxLimit = math.MaxInt32 - 1

// Key is what a Ring needs to know about an item. A KeyFunc extracts it once
// per Put; the Ring keeps it beside the item.
type Key struct {
	// Symbol is the item's unified symbol. Cursors and reads scoped to a
	// symbol match it exactly; the empty scope "" matches every symbol.
	Symbol string
	// ID identifies the item within its symbol: the trade id for NewArrival
	// (de-duplication), the order or trade id for NewByID, the position side
	// for NewBySide. NewByTimestamp ignores it. For NewArrival and NewByID an
	// empty ID means "no identity": the item is always stored as a new one.
	ID string
	// Time is the item's timestamp in Unix milliseconds, compared with the
	// since argument of reads. For NewByTimestamp it is also the identity
	// (the candle's open time).
	Time int64
}

// KeyFunc returns the Key of an item. It is called with the Ring's lock held,
// on the Ring's own copy of the item: it must not retain the pointer, modify
// the item, or call back into the Ring.
type KeyFunc[T any] func(item *T) Key

// kind selects how Put treats an item whose identity is already stored.
type kind uint8

const (
	byArrival   kind = iota // duplicates are ignored
	byTimestamp             // updated in place, window position kept
	byID                    // replaced and moved to the newest end
	bySide                  // like byID, never evicted
)

// none is the nil slot link.
const none int32 = -1

// slot is what the Ring knows about one stored item (the item itself is in
// Ring.items at the same index). It is kept apart from the item, in 64
// bytes, so that list walks and evictions touch one cache line per slot.
type slot struct {
	key   Key
	stamp uint64 // the Ring's stamp at the item's last Put
	// prev and next link the window list, oldest to newest.
	prev, next int32
	// uprev and unext link the stamp list, oldest stamp to newest. Only
	// byTimestamp keeps it: for the other kinds the window list is already
	// in stamp order.
	uprev, unext int32
}

// setKey stores k field by field. (Assigning a whole Key that was just
// written makes the compiler copy it with 16-byte moves whose loads wait for
// the 8-byte stores of the fields to retire — failed store forwarding, about
// 4 ns a Put — where 8-byte field copies forward.)
func (s *slot) setKey(k *Key) {
	s.key.Symbol, s.key.ID, s.key.Time = k.Symbol, k.ID, k.Time
}

// Ring is a cache of items of type T kept in window order, oldest to
// newest, bounded except when built by NewBySide. Its constructor decides what happens when an item with a
// known identity arrives again (NewArrival, NewByTimestamp, NewByID,
// NewBySide). Every Put takes a new stamp from a counter that only rises;
// cursors (NewCursor) use the stamps to report what is new to each consumer.
//
// A Ring is safe for concurrent use: it is meant to be written by one
// goroutine and read by many. Reads return fresh slices holding copies of
// the items (a shallow copy of T: pointers inside T are shared, so treat
// items as immutable).
//
// The zero Ring is usable: an arrival ring of DefaultLimit items whose items
// all have the zero Key (no symbol, no id, no time).
type Ring[T any] struct {
	mu    sync.Mutex
	kind  kind
	keyOf KeyFunc[T]
	limit int // capacity; 0 means DefaultLimit; ignored by bySide

	// slots and items are the arena, indexed alike. Live slots are linked;
	// at most one is spare (its index+1 in spare, 0 when there is none). A
	// bounded ring never holds more than limit+1 slots.
	slots      []slot
	items      []T
	spare      int32
	n          int   // live items
	head, tail int32 // window list ends, valid when n > 0
	uhead      int32 // stamp list ends (byTimestamp), valid when n > 0
	utail      int32

	// The identity index (index.go): keyed items by hash, and the hash of
	// the last symbol seen. The seed is made with the table.
	table      []entry
	used       int
	seed       maphash.Seed
	symbol     string
	symbolHash uint64

	stamp   uint64       // last stamp handed out
	cursors []*Cursor[T] // open cursors, for overflow accounting
}

// NewArrival returns a ring for items kept in arrival order, such as public
// trades (CCXT's ArrayCache). An item whose (Symbol, ID) equals that of an
// item still in the window is a duplicate: Put ignores it and returns false.
// Items with an empty ID are never de-duplicated.
//
// The ring holds at most limit items (DefaultLimit when limit <= 0); a Put
// into a full ring drops the oldest item. key may be nil, in which case
// every item has the zero Key.
func NewArrival[T any](limit int, key KeyFunc[T]) *Ring[T] {
	return newRing(byArrival, limit, key)
}

// NewByTimestamp returns a ring for one series of candles (one symbol and
// timeframe; CCXT's ArrayCacheByTimestamp). Items are identified by
// (Symbol, Time), Time being the candle's open time. A Put with a known
// identity replaces that candle in place: it keeps its window position and
// counts as a fresh update for cursors. New candles are appended in arrival
// order; a Put into a full ring drops the oldest-placed candle.
//
// The ring holds at most limit items (DefaultLimit when limit <= 0). key
// may be nil, in which case every item has the zero Key (and so all are one
// candle).
func NewByTimestamp[T any](limit int, key KeyFunc[T]) *Ring[T] {
	return newRing(byTimestamp, limit, key)
}

// NewByID returns a ring for items identified by (Symbol, ID), such as
// orders and the user's own trades (CCXT's ArrayCacheBySymbolById). A Put
// with a known identity replaces the stored item and moves it to the newest
// end of the window; a new identity is appended; a Put into a full ring
// drops the oldest item. Put replaces whole items: to merge a partial update,
// read the stored item with Get, merge, and Put the result. Items with an
// empty ID are always appended as new ones.
//
// The ring holds at most limit items (DefaultLimit when limit <= 0). key
// may be nil, in which case every item has the zero Key.
func NewByID[T any](limit int, key KeyFunc[T]) *Ring[T] {
	return newRing(byID, limit, key)
}

// NewBySide returns an unbounded store for items identified by (Symbol, ID)
// where ID is the position side, such as positions (CCXT's
// ArrayCacheBySymbolBySide). The empty side is a valid identity (one-way
// mode). A Put with a known identity replaces the item and moves it to the
// newest end; nothing is ever dropped, so its cursors never overflow. key
// may be nil, in which case every item has the zero Key (and so all are one
// position).
func NewBySide[T any](key KeyFunc[T]) *Ring[T] {
	return newRing(bySide, 0, key)
}

func newRing[T any](k kind, limit int, key KeyFunc[T]) *Ring[T] {
	switch {
	case k == bySide:
		limit = 0
	case limit <= 0:
		limit = DefaultLimit
	case limit > maxLimit:
		limit = maxLimit
	}
	return &Ring[T]{kind: k, keyOf: key, limit: limit}
}

// Put stores item and reports whether the ring changed. It returns false
// only for a duplicate in an arrival ring; every other Put stamps the item
// as new for all cursors. Put is O(1) (amortized while the ring first
// grows to its limit); on a full ring it drops the oldest item, which
// cursors that had not read its latest stamp count as dropped.
func (r *Ring[T]) Put(item T) bool {
	r.mu.Lock()
	defer r.mu.Unlock()

	// The item goes straight into a free slot, so that the key function
	// sees a heap copy (no per-Put allocation) and a new item costs one copy.
	i := r.takeSpare()
	r.items[i] = item
	// So does its key, which is then read in place.
	s := &r.slots[i]
	if r.keyOf != nil {
		k := r.keyOf(&r.items[i])
		s.setKey(&k)
	} else {
		s.key = Key{}
	}
	k := &s.key
	var h uint32
	keyed := r.keyed(k)
	if keyed {
		if r.table == nil {
			r.grow()
		}
		h = r.hashKey(k)
		if j := r.lookup(k, h); j != none {
			r.spare = i + 1
			if r.kind == byArrival {
				return false
			}
			r.update(j, i)
			return true
		}
	}

	r.stamp++
	s.stamp = r.stamp
	r.linkBack(i)
	if r.kind == byTimestamp {
		r.linkStampBack(i)
	}
	r.n++
	if keyed {
		r.insert(h, i)
	}
	if r.kind != bySide && r.n > r.capacity() {
		r.evict()
	}
	return true
}

// Get returns the stored item whose identity is that of k, as each
// constructor defines it: (Symbol, ID) for arrival, by-id and by-side rings,
// (Symbol, Time) for by-timestamp rings. An empty ID never matches in
// arrival and by-id rings.
func (r *Ring[T]) Get(k Key) (T, bool) {
	var zero T
	if !r.keyed(&k) {
		return zero, false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.table == nil {
		return zero, false
	}
	i := r.lookup(&k, r.hashKey(&k))
	if i == none {
		return zero, false
	}
	return r.items[i], true
}

// Read returns the items in the window, oldest first, filtered as CCXT's
// watch methods filter a cache (filterBySymbolSinceLimit with tail): symbol
// keeps the items of that symbol ("" keeps all), since keeps items whose
// Time >= since (since <= 0 keeps all), then limit keeps the newest limit of
// what is left (limit <= 0 keeps all). The result is a fresh slice, nil when
// empty. Read does not affect cursors.
func (r *Ring[T]) Read(symbol string, since int64, limit int) []T {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.collect(0, symbol, since, limit)
}

// Len returns the number of items in the window.
func (r *Ring[T]) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.n
}

// Limit returns the ring's capacity, or 0 for the unbounded NewBySide store.
func (r *Ring[T]) Limit() int {
	if r.kind == bySide {
		return 0
	}
	return r.capacity()
}

func (r *Ring[T]) capacity() int {
	if r.limit > 0 {
		return r.limit
	}
	return DefaultLimit
}

// keyed reports whether items with key k have an identity: (Symbol, Time)
// in a by-timestamp ring, (Symbol, ID) in the others, where an empty ID is
// no identity except in a by-side store.
func (r *Ring[T]) keyed(k *Key) bool {
	return k.ID != "" || r.kind == byTimestamp || r.kind == bySide
}

// takeSpare returns the index of a free slot, growing the arena if there is
// none.
func (r *Ring[T]) takeSpare() int32 {
	if r.spare > 0 {
		i := r.spare - 1
		r.spare = 0
		return i
	}
	var zero T
	r.slots = append(r.slots, slot{})
	r.items = append(r.items, zero)
	return int32(len(r.slots) - 1)
}

// update copies the item and key staged in slot from into the live slot j,
// gives it a new stamp, and moves it to the newest end of the list that
// orders it: the stamp list for byTimestamp (window position kept), the
// window list otherwise.
func (r *Ring[T]) update(j, from int32) {
	r.stamp++
	r.items[j] = r.items[from]
	d := &r.slots[j]
	d.setKey(&r.slots[from].key)
	d.stamp = r.stamp
	if r.kind == byTimestamp {
		if j != r.utail {
			r.unlinkStamp(j)
			r.linkStampBack(j)
		}
		return
	}
	if j != r.tail {
		r.unlink(j)
		r.linkBack(j)
	}
}

// evict drops the oldest item of the window, counting it as dropped for
// every cursor in scope that had not read its latest stamp. The slot
// becomes the spare. It is called with at least two live items.
func (r *Ring[T]) evict() {
	i := r.head
	s := &r.slots[i]
	for _, c := range r.cursors {
		if s.stamp > c.pos && (c.symbol == "" || c.symbol == s.key.Symbol) {
			c.dropped++
		}
	}
	if r.keyed(&s.key) {
		r.remove(r.hashKey(&s.key), i)
	}
	r.unlink(i)
	if r.kind == byTimestamp {
		r.unlinkStamp(i)
	}
	r.n--
	r.spare = i + 1
}

// linkBack appends slot i to the window list. The list is empty when r.n is 0.
func (r *Ring[T]) linkBack(i int32) {
	s := &r.slots[i]
	s.next = none
	if r.n == 0 {
		s.prev = none
		r.head = i
	} else {
		s.prev = r.tail
		r.slots[r.tail].next = i
	}
	r.tail = i
}

// unlink removes slot i from the window list, which keeps at least one item.
func (r *Ring[T]) unlink(i int32) {
	s := &r.slots[i]
	if s.prev == none {
		r.head = s.next
	} else {
		r.slots[s.prev].next = s.next
	}
	if s.next == none {
		r.tail = s.prev
	} else {
		r.slots[s.next].prev = s.prev
	}
}

// linkStampBack appends slot i to the stamp list. The list is empty when r.n is 0.
func (r *Ring[T]) linkStampBack(i int32) {
	s := &r.slots[i]
	s.unext = none
	if r.n == 0 {
		s.uprev = none
		r.uhead = i
	} else {
		s.uprev = r.utail
		r.slots[r.utail].unext = i
	}
	r.utail = i
}

// unlinkStamp removes slot i from the stamp list, which keeps at least one item.
func (r *Ring[T]) unlinkStamp(i int32) {
	s := &r.slots[i]
	if s.uprev == none {
		r.uhead = s.unext
	} else {
		r.slots[s.uprev].unext = s.unext
	}
	if s.unext == none {
		r.utail = s.uprev
	} else {
		r.slots[s.unext].uprev = s.uprev
	}
}

// collect returns, oldest first in window order, the items stamped after pos
// that match symbol and since, keeping the newest limit of them. It walks
// from the newest end and touches only the items it may return, except that
// in a by-timestamp ring it also passes over older candles placed after the
// oldest updated one. It allocates only the result.
func (r *Ring[T]) collect(pos uint64, symbol string, since int64, limit int) []T {
	if r.n == 0 {
		return nil
	}
	if r.kind == byArrival && symbol == "" && since <= 0 {
		// Every stamp of an arrival ring went to one new item at the
		// newest end, and items are never stamped again: the items
		// stamped after pos are the newest stamp-pos still in the window.
		// Without filters there is nothing to count.
		count := r.n
		if d := r.stamp - pos; d < uint64(count) {
			count = int(d)
		}
		if limit > 0 {
			count = min(count, limit)
		}
		if count == 0 {
			return nil
		}
		out := make([]T, count)
		for i := r.tail; count > 0; i = r.slots[i].prev {
			count--
			out[count] = r.items[i]
		}
		return out
	}
	// In window order stamps rise for every kind but byTimestamp, so the
	// walk can stop at the first stale item. A by-timestamp ring may have
	// fresh candles anywhere: count them on the stamp list and stop when all
	// have been seen.
	ordered := r.kind != byTimestamp
	left := r.n
	if !ordered && pos > 0 {
		left = 0
		for i := r.utail; i != none && r.slots[i].stamp > pos; i = r.slots[i].uprev {
			left++
		}
	}
	count := 0
	for i := r.tail; i != none && left > 0 && (limit <= 0 || count < limit); i = r.slots[i].prev {
		s := &r.slots[i]
		if s.stamp <= pos {
			if ordered {
				break
			}
			continue
		}
		left--
		if matches(&s.key, symbol, since) {
			count++
		}
	}
	if count == 0 {
		return nil
	}
	out := make([]T, count)
	for i := r.tail; count > 0; i = r.slots[i].prev {
		s := &r.slots[i]
		if s.stamp > pos && matches(&s.key, symbol, since) {
			count--
			out[count] = r.items[i]
		}
	}
	return out
}

// matches applies the symbol and since filters of a read to one key.
func matches(k *Key, symbol string, since int64) bool {
	return (symbol == "" || k.Symbol == symbol) && (since <= 0 || k.Time >= since)
}
