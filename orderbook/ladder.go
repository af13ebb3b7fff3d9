package orderbook

import (
	"slices"
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
//
// It takes 64 bytes, one cache line: in the array of a deep book (from 512
// levels, an allocation the runtime aligns to a page) a change touches one
// line of its level, where a 72-byte level straddled two. That is why the
// amount's mantissa and scale are apart (a Num field would pad the level
// to 72 bytes): use amount and setAmount.
type level struct {
	am    int64 // the amount's mantissa
	count int64
	// head and tail are the first and last order of the level's queue in an
	// L3 book (indexes into L3Book.orders), -1 when empty; unused elsewhere.
	head, tail int32
	// pdec and adec cache the decimals handed out by snapshots until the
	// level changes, so snapshots of a quiet book allocate only the slices.
	pdec, adec decimal.Decimal
	ascale     int8 // the amount's scale
	// pscale is the scale the venue last wrote the price with; the key
	// holds the value at the ladder's scale.
	pscale int8
	cached uint8
}

// amount returns the level's amount.
func (v *level) amount() Num { return Num{m: v.am, s: v.ascale} }

// setAmount sets the level's amount.
func (v *level) setAmount(a Num) { v.am, v.ascale = a.m, a.s }

// amend gives level v the amount and count of change c.
func (v *level) amend(c *Change) {
	v.setAmount(c.Amount)
	v.count = c.Count
	v.cached &^= amountCached
}

// chunkSize is the capacity of a chunk of levels. Inserts and deletes move
// half a chunk on average and searches scan a chunk and the chunk list: on
// books of 1000 levels a side 48 and 32 measured 2 to 4 ns faster a change
// than 64; on books of 10 000 levels 48 was as fast as 64, 32 slower.
const chunkSize = 48

// chunk is a run of consecutive levels of a ladder, sorted by key.
type chunk struct {
	n     int
	keys  [chunkSize]int64
	slots [chunkSize]int32
}

// ladder holds one side's levels in order: a B+tree of height two, chunks of
// at most chunkSize levels kept in ascending key order, with the best price
// at the END of the last chunk.
//
// Keys are the prices as int64 mantissas at one scale for the whole ladder
// (the finest the side has seen), negated on the ask side so that both sides
// ascend towards their best price: finding a level costs integer comparisons
// only. Searches scan from the best end (see below), first the chunks'
// first keys, then one chunk's keys, so the changes that concentrate near
// the top of the book touch the last chunk after a few comparisons, and an
// insert or delete anywhere moves at most a chunk's worth of 12-byte
// key/slot pairs. (BenchmarkStructure compares it with one sorted slice: as
// fast near the top, several times faster for changes deep in the book.)
//
// A chunk's slots[i] is the index in lv of the payload of the level whose
// key is keys[i]; payloads never move.
//
// Beside the chunks, a small direct-mapped index from key to slot answers
// the most common change, a new amount for a level near the top, without a
// search: one multiply and one load (see indexed). Inserts and searches
// fill it and removals clear their entry, so an entry is never stale; a
// level whose entry another level took is found by the search.
type ladder struct {
	ask    bool
	scale  int8
	n      int      // levels
	chunks []*chunk // in key order; none is empty
	// firsts[c] is chunks[c].keys[0]: the chunk search reads this one
	// contiguous array instead of a cache line in every chunk it visits.
	firsts []int64
	spare  []*chunk // emptied chunks, for reuse
	lv     []level
	free   []int32
	// index maps keys to payload slots for the levels it holds (see
	// locate); it is a cache, so a level may be missing from it, but an
	// entry it has is always right.
	index      []indexEntry
	indexShift uint8 // 64 - log2(len(index))
}

// indexEntry is one entry of a ladder's index.
type indexEntry struct {
	key  int64
	slot int32 // the level's payload slot + 1; 0: no level
}

// Bounds of a ladder's index size: it doubles whenever the ladder holds
// more than a quarter as many levels as it has entries, from 1<<minIndexBits
// entries (1 KiB) up to 1<<maxIndexBits (8 KiB). A quarter keeps two
// levels from sharing an entry rare on the shallow books of most streams;
// on a book of 1000 levels a side the largest index still holds the levels
// that change most, the best ones (see indexed), nearly always.
const (
	minIndexBits = 6
	maxIndexBits = 9
)

// indexOf returns the index entry for key k. The hash multiplies, folds
// the high half onto the low and multiplies again: keys are multiples of
// the tick and often of a power of ten (a price of 59979 written with eight
// decimals), which a single multiply (Fibonacci hashing) piles onto a few
// entries.
func (l *ladder) indexOf(k int64) *indexEntry {
	const odd = 0x9E3779B97F4A7C15 // 2^64/φ, made odd
	h := uint64(k) * odd
	h = (h ^ h>>32) * odd
	return &l.index[h>>l.indexShift]
}

// indexed returns the payload slot of key k's level when the index holds
// it. It is small enough to inline into the hot path.
func (l *ladder) indexed(k int64) (slot int32, ok bool) {
	if len(l.index) == 0 {
		return 0, false
	}
	e := l.indexOf(k)
	return e.slot - 1, e.key == k && e.slot != 0
}

// remember records in the index that key k's level is in payload slot.
func (l *ladder) remember(k int64, slot int32) {
	if len(l.index) > 0 {
		*l.indexOf(k) = indexEntry{key: k, slot: slot + 1}
	}
}

// forget drops key k, whose level is being removed, from the index.
func (l *ladder) forget(k int64) {
	if len(l.index) > 0 {
		if e := l.indexOf(k); e.key == k {
			e.slot = 0
		}
	}
}

// growIndex doubles the index (or makes the first one) when the ladder has
// outgrown it, and fills it from the worst level to the best, so that where
// two levels share an entry the better one keeps it.
func (l *ladder) growIndex() {
	bits := uint8(minIndexBits)
	if len(l.index) > 0 {
		bits = 64 - l.indexShift + 1
	}
	l.index, l.indexShift = make([]indexEntry, 1<<bits), 64-bits
	for _, ch := range l.chunks {
		for i := range ch.n {
			l.remember(ch.keys[i], ch.slots[i])
		}
	}
}

// find returns the payload slot of the level with key k, searching the
// ladder (callers try indexed first): found is true when the level was
// there, false when find inserted it, with price scale ps and no amount.
func (l *ladder) find(k int64, ps int8) (slot int32, found bool) {
	p, found := l.search(k)
	if !found {
		return l.insert(p, k, ps), false
	}
	slot = l.slot(p)
	l.remember(k, slot)
	return slot, true
}

// pos locates a level: chunk index and index in the chunk.
type pos struct{ c, i int }

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

// quickKey returns the key of price p when p has the ladder's scale, as
// venues' prices almost always do; ok is false otherwise (then use probe
// or key). It is small enough to inline into the hot path.
func (l *ladder) quickKey(p Num) (k int64, ok bool) {
	k = p.m
	if l.ask {
		k = -k
	}
	return k, p.s == l.scale
}

// key returns the key of price p, first making the ladder's scale finer when
// p needs it. It fails when the keys cannot hold p together with the book's
// other prices.
func (l *ladder) key(p Num) (int64, error) {
	if l.n == 0 {
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
	if l.n > 0 {
		// Keys ascend, so the extremes bound every key.
		first, last := l.chunks[0], l.chunks[len(l.chunks)-1]
		if _, ok := rescale(first.keys[0], d); !ok {
			return false
		}
		if _, ok := rescale(last.keys[last.n-1], d); !ok {
			return false
		}
	}
	l.scale += int8(d)
	// Every key changes; searches fill the index again.
	clear(l.index)
	if d >= len(pow10) { // only zero keys remain
		return true
	}
	f := int64(pow10[d])
	for c, ch := range l.chunks {
		for i := range ch.n {
			ch.keys[i] *= f
		}
		l.firsts[c] = ch.keys[0]
	}
	return true
}

// price returns the price of the level with key k and payload slot, with the
// scale the venue last wrote it with.
func (l *ladder) price(k int64, slot int32) Num {
	if l.ask {
		k = -k
	}
	ps := l.lv[slot].pscale
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
// whether it is present.
func (l *ladder) search(k int64) (pos, bool) {
	fs := l.firsts
	if len(fs) == 0 {
		return pos{}, false
	}
	// The chunk is the last one whose first key is <= k (or the first).
	c := below(fs, k)
	if c == len(fs) || fs[c] != k {
		c = max(c-1, 0)
	}
	ch := l.chunks[c]
	i := below(ch.keys[:ch.n], k)
	return pos{c, i}, i < ch.n && ch.keys[i] == k
}

// below returns how many of the ascending keys are less than k: the index
// of k, or where it would be inserted.
//
// It scans from the end, where the best prices are: 64 keys at a time while
// the lowest of them is at or above k (only the chunk list of a deep book
// is that long), then 8 at a time, then one by one. A search near the top
// of the book reads a few keys; one anywhere in a chunk of 48 reads at most
// 6 + 8. The loads do not depend on one another, and only the end of each
// loop mispredicts. (A bisection reads fewer keys but mispredicts about
// every other step: Go compiles the halving as a branch, not a conditional
// move, when the index feeds a load. Galloping and bisecting measured 1.3
// to 1.7 times slower on 24 to 64 keys.)
func below(keys []int64, k int64) int {
	// Shorten keys to those not passed yet (the rest are >= k); slicing
	// rather than indexing lets the compiler drop the bounds checks.
	for len(keys) >= 64 && keys[len(keys)-64] >= k {
		keys = keys[:len(keys)-64]
	}
	for len(keys) >= 8 && keys[len(keys)-8] >= k {
		keys = keys[:len(keys)-8]
	}
	for len(keys) > 0 && keys[len(keys)-1] >= k {
		keys = keys[:len(keys)-1]
	}
	return len(keys)
}

// slot returns the payload slot of the level at p.
func (l *ladder) slot(p pos) int32 { return l.chunks[p.c].slots[p.i] }

// newSlot returns a payload slot reset for a new level with price scale ps.
func (l *ladder) newSlot(ps int8) int32 {
	var slot int32
	if n := len(l.free); n > 0 {
		slot = l.free[n-1]
		l.free = l.free[:n-1]
	} else {
		slot = int32(len(l.lv))
		l.lv = append(l.lv, level{})
	}
	v := &l.lv[slot] // its decimals are zero: new, or cleared when freed
	v.am, v.ascale, v.count, v.head, v.tail, v.cached, v.pscale = 0, 0, 0, -1, -1, 0, ps
	return slot
}

// freeSlot releases a payload slot.
func (l *ladder) freeSlot(slot int32) {
	v := &l.lv[slot]
	v.pdec, v.adec = decimal.Decimal{}, decimal.Decimal{} // for the collector
	l.free = append(l.free, slot)
}

// addChunk inserts an empty chunk at index c and returns it; the caller
// fills it and sets firsts[c].
func (l *ladder) addChunk(c int) *chunk {
	var ch *chunk
	if n := len(l.spare); n > 0 {
		ch = l.spare[n-1]
		l.spare = l.spare[:n-1]
		ch.n = 0
	} else {
		ch = new(chunk)
	}
	l.chunks = slices.Insert(l.chunks, c, ch)
	l.firsts = slices.Insert(l.firsts, c, 0)
	return ch
}

// insert puts a new level with key k and price scale ps at p (as returned by
// search) and returns its payload slot.
func (l *ladder) insert(p pos, k int64, ps int8) int32 {
	slot := l.newSlot(ps)
	if len(l.chunks) == 0 {
		l.addChunk(0)
	}
	ch := l.chunks[p.c]
	if ch.n == chunkSize {
		// Split: the upper half moves to a new chunk after this one.
		const half = chunkSize / 2
		right := l.addChunk(p.c + 1)
		right.n = copy(right.keys[:], ch.keys[half:])
		copy(right.slots[:], ch.slots[half:])
		l.firsts[p.c+1] = right.keys[0]
		ch.n = half
		if p.i > half {
			ch, p.c, p.i = right, p.c+1, p.i-half
		}
	}
	copy(ch.keys[p.i+1:ch.n+1], ch.keys[p.i:ch.n])
	copy(ch.slots[p.i+1:ch.n+1], ch.slots[p.i:ch.n])
	ch.keys[p.i], ch.slots[p.i] = k, slot
	if p.i == 0 {
		l.firsts[p.c] = k
	}
	ch.n++
	l.n++
	if 4*l.n > len(l.index) && len(l.index) < 1<<maxIndexBits {
		l.growIndex()
	} else {
		l.remember(k, slot)
	}
	return slot
}

// push appends a level with key k, greater than every key present, and
// returns its payload slot. Bulk loads fill chunks to three quarters so
// that later inserts rarely split.
func (l *ladder) push(k int64, ps int8) int32 {
	c := len(l.chunks) - 1
	if c < 0 || l.chunks[c].n >= chunkSize*3/4 {
		c++
		l.addChunk(c)
	}
	return l.insert(pos{c, l.chunks[c].n}, k, ps)
}

// remove deletes the level at p.
func (l *ladder) remove(p pos) {
	ch := l.chunks[p.c]
	l.forget(ch.keys[p.i])
	l.freeSlot(ch.slots[p.i])
	copy(ch.keys[p.i:ch.n-1], ch.keys[p.i+1:ch.n])
	copy(ch.slots[p.i:ch.n-1], ch.slots[p.i+1:ch.n])
	ch.n--
	l.n--
	if p.i == 0 {
		l.firsts[p.c] = ch.keys[0] // stale when the chunk is now empty and dropped
	}
	switch {
	case ch.n == 0:
		l.dropChunks(p.c, p.c+1)
	case ch.n < chunkSize/4:
		// Merge a sparse chunk into a neighbour when both fit in three
		// quarters of a chunk, so chunks stay few.
		if c := p.c + 1; c < len(l.chunks) && ch.n+l.chunks[c].n <= chunkSize*3/4 {
			l.merge(p.c)
		} else if c := p.c - 1; c >= 0 && ch.n+l.chunks[c].n <= chunkSize*3/4 {
			l.merge(c)
		}
	}
}

// merge moves chunk c+1 into chunk c.
func (l *ladder) merge(c int) {
	a, b := l.chunks[c], l.chunks[c+1]
	copy(a.keys[a.n:], b.keys[:b.n])
	copy(a.slots[a.n:], b.slots[:b.n])
	a.n += b.n
	l.dropChunks(c+1, c+2)
}

// dropChunks removes chunks [from, to) from the ladder, keeping them for
// reuse; their levels must have been freed.
func (l *ladder) dropChunks(from, to int) {
	l.spare = append(l.spare, l.chunks[from:to]...)
	n := copy(l.chunks[from:], l.chunks[to:])
	clear(l.chunks[from+n:])
	l.chunks = l.chunks[:from+n]
	l.firsts = slices.Delete(l.firsts, from, to)
}

// truncate removes all but the best depth levels (depth <= 0: none) and
// returns the payload slots it freed (valid until the next insert).
func (l *ladder) truncate(depth int) []int32 {
	drop := l.n - depth // the worst levels are at the front
	if depth <= 0 || drop <= 0 {
		return nil
	}
	from := len(l.free)
	whole := 0 // chunks dropped entirely
	for _, ch := range l.chunks {
		k := min(drop, ch.n)
		for i, slot := range ch.slots[:k] {
			l.forget(ch.keys[i])
			l.freeSlot(slot)
		}
		drop -= k
		l.n -= k
		if k < ch.n {
			ch.n = copy(ch.keys[:], ch.keys[k:ch.n])
			copy(ch.slots[:], ch.slots[k:])
			l.firsts[whole] = ch.keys[0]
			break
		}
		whole++
	}
	l.dropChunks(0, whole)
	return l.free[from:]
}

// clear empties the ladder and keeps its memory.
func (l *ladder) clear() {
	clear(l.lv)
	clear(l.index)
	l.dropChunks(0, len(l.chunks))
	l.n = 0
	l.lv, l.free = l.lv[:0], l.free[:0]
}

// bestKey returns the key of the best level of a non-empty ladder.
func (l *ladder) bestKey() int64 {
	ch := l.chunks[len(l.chunks)-1]
	return ch.keys[ch.n-1]
}

// rank returns the position of the r-th best level (0 is the best), for
// 0 <= r < l.n.
func (l *ladder) rank(r int) pos {
	c := len(l.chunks) - 1
	for r >= l.chunks[c].n {
		r -= l.chunks[c].n
		c--
	}
	return pos{c, l.chunks[c].n - 1 - r}
}

// cursor walks a ladder from its best level down.
type cursor struct {
	l    *ladder
	c, i int // the next level is chunks[c].keys[i]; c < 0 at the end
}

// walk returns a cursor before the best level.
func (l *ladder) walk() cursor {
	c := len(l.chunks) - 1
	i := -1
	if c >= 0 {
		i = l.chunks[c].n - 1
	}
	return cursor{l: l, c: c, i: i}
}

// next returns the next level's key and payload slot; ok is false at the end.
func (w *cursor) next() (k int64, slot int32, ok bool) {
	if w.c < 0 {
		return 0, 0, false
	}
	ch := w.l.chunks[w.c]
	k, slot = ch.keys[w.i], ch.slots[w.i]
	if w.i--; w.i < 0 {
		if w.c--; w.c >= 0 {
			w.i = w.l.chunks[w.c].n - 1
		}
	}
	return k, slot, true
}

// view returns the level with key k and payload slot.
func (l *ladder) view(k int64, slot int32) PriceLevel {
	v := &l.lv[slot]
	return PriceLevel{Price: l.price(k, slot), Amount: v.amount(), Count: v.count}
}

// best returns the best price of a non-empty ladder.
func (l *ladder) best() Num {
	ch := l.chunks[len(l.chunks)-1]
	return l.price(ch.keys[ch.n-1], ch.slots[ch.n-1])
}

// fill writes the best len(out) levels into out, best first, building each
// level's decimals only when the level changed since the last snapshot.
func (l *ladder) fill(out []unified.Level) {
	w := l.walk()
	for i := range out {
		k, slot, _ := w.next()
		v := &l.lv[slot]
		if v.cached&priceCached == 0 {
			v.pdec = l.price(k, slot).Decimal()
		}
		if v.cached&amountCached == 0 {
			v.adec = v.amount().Decimal()
		}
		v.cached = priceCached | amountCached
		out[i] = unified.Level{Price: v.pdec, Amount: v.adec}
	}
}

// rewrite records that the venue now writes the price of the level in
// payload slot with scale ps (an equal value, maybe written differently), so
// the level gives back the venue's latest wire text.
func (l *ladder) rewrite(slot int32, ps int8) {
	if v := &l.lv[slot]; v.pscale != ps {
		v.pscale = ps
		v.cached &^= priceCached
	}
}
