package orderbook

import (
	"cmp"
	"iter"
	"slices"
	"time"

	"github.com/unifex-go/unifex/unified"
)

// Change is one price-level change of an update to a Book: the level's new
// absolute size, as venues send them.
type Change struct {
	// Side is Bid or Ask.
	Side Side
	// Price is the level's price.
	Price Num
	// Amount is the level's new total size, never negative (adapters pass
	// |amount| where the sign carries the side). In an L2 book zero deletes.
	Amount Num
	// Count is the level's number of orders where the venue sends it. In a
	// counted book zero deletes; an L2 book just keeps it.
	Count int64
	// Seq is the change's own sequence number where the venue numbers each
	// change (kucoin spot), else 0. A change whose Seq is at or below the
	// book's nonce is already in the book and is skipped.
	Seq int64
}

// Book is a price-level (L2) order book: price → amount (and an optional
// order count). NewBook builds a book in which a zero amount deletes a level;
// NewCountedBook one in which a zero count does (bitfinex P0–P4 books).
//
// The live book is never trimmed: Snapshot applies a depth to the copy it
// hands out. Prices and amounts stay in their exact wire form (Num) on the
// hot path; decimals are built only for snapshots and cached per level until
// the level changes.
//
// A Book is not safe for concurrent use, and Snapshot writes the per-level
// cache: guard a shared book with a sync.Mutex (not an RWMutex read lock).
// The zero value is an L2 book with no symbol, waiting for a snapshot.
type Book struct {
	status
	counted    bool
	bids, asks ladder
	order      []keyed // scratch for Replace
	text       []byte  // scratch for checksums
}

// NewBook returns an empty L2 book for symbol (a zero amount deletes a level),
// waiting for its snapshot.
func NewBook(symbol string) *Book {
	return &Book{status: status{symbol: symbol}, asks: ladder{ask: true}}
}

// NewCountedBook returns an empty counted book for symbol: each level has an
// order count, and a zero count deletes the level (bitfinex P0–P4 books send
// [price, count, ±amount], count 0 meaning delete).
func NewCountedBook(symbol string) *Book {
	return &Book{status: status{symbol: symbol}, counted: true, asks: ladder{ask: true}}
}

// Symbol returns the symbol the book was created with.
func (b *Book) Symbol() string { return b.symbol }

// State returns the book's synchronisation state.
func (b *Book) State() State { return b.state }

// Err returns nil when the book is live, ErrNotSynced while it waits for a
// snapshot, and the reason it became invalid otherwise (a *GapError, a
// *ChecksumMismatchError, a *CrossedError, a BadResponse for an update that
// could not be applied, or what Invalidate was given).
func (b *Book) Err() error { return b.readErr() }

// Nonce returns the Last id of the latest snapshot or update applied.
func (b *Book) Nonce() int64 { return b.nonce }

// Time returns the time of the latest snapshot or update applied.
func (b *Book) Time() time.Time { return b.time }

// Invalidate marks the book invalid with err (nil means a generic reason of
// kind errors.InvalidNonce): reads return err until the next Replace.
func (b *Book) Invalidate(err error) { b.fail(err) }

// Reset empties the book and marks it syncing, for a resubscription: the next
// Replace rebuilds it from scratch.
func (b *Book) Reset() {
	b.bids.clear()
	b.asks.clear()
	b.asks.ask = true
	b.reset()
}

// Replace loads a snapshot: it discards every level (no level of the old book
// survives), sets the levels in u.Changes, records u.Last and u.Time, and
// makes the book live. Changes may come in any order; for a price given
// twice the later wins, and a deleting change (zero amount, or zero count in
// a counted book) leaves no level. A malformed change or a crossed result makes the
// book invalid and is returned.
func (b *Book) Replace(u Update[Change]) error {
	b.bids.clear()
	b.asks.clear()
	b.asks.ask = true
	for i := range u.Changes {
		if err := b.check(&u.Changes[i]); err != nil {
			return b.fail(err)
		}
	}
	if err := b.load(&b.bids, Bid, u.Changes); err != nil {
		return b.fail(err)
	}
	if err := b.load(&b.asks, Ask, u.Changes); err != nil {
		return b.fail(err)
	}
	b.live(u.Last, u.Time)
	return b.crossed(&b.bids, &b.asks)
}

// keyed is a change's index with its key, for bulk loads.
type keyed struct {
	key int64
	idx int32
}

// load fills an empty ladder with the changes of one side, sorting them once.
func (b *Book) load(l *ladder, sd Side, cs []Change) error {
	// The ladder's scale is the finest the side's prices need.
	first := true
	for i := range cs {
		if c := &cs[i]; c.Side == sd && (first || c.Price.s > l.scale) {
			l.scale, first = c.Price.s, false
		}
	}
	ks := b.order[:0]
	for i := range cs {
		if c := &cs[i]; c.Side == sd {
			k, ok := l.probe(c.Price)
			if !ok {
				return badInput("price " + c.Price.String() + " does not fit the book's exact form together with its other prices")
			}
			ks = append(ks, keyed{key: k, idx: int32(i)})
		}
	}
	b.order = ks[:0]
	// A stable sort keeps the input order of equal prices: the last of a
	// run is the latest.
	slices.SortStableFunc(ks, func(x, y keyed) int { return cmp.Compare(x.key, y.key) })
	for p := range ks {
		if p+1 < len(ks) && ks[p+1].key == ks[p].key {
			continue // a later change for the same price follows
		}
		c := &cs[ks[p].idx]
		if b.deletes(c) {
			continue
		}
		slot := l.push(ks[p].key, c.Price.s)
		v := &l.lv[slot]
		v.setAmount(c.Amount)
		v.count = c.Count
	}
	return nil
}

// Apply applies one update (all its changes, then the crossed-book check) and
// records u.Last and u.Time. A book that is not live is left as it is and its
// Err is returned. A malformed change or a crossed result makes the book
// invalid and is returned. Deleting a price that is not in the book is not an
// error (venues send such deletes).
func (b *Book) Apply(u Update[Change]) error {
	if b.state != Live {
		return b.readErr()
	}
	for i := range u.Changes {
		c := &u.Changes[i]
		if c.Seq != 0 && c.Seq <= b.nonce {
			continue
		}
		if !valid(c) {
			return b.fail(badChange(c))
		}
		l := b.ladderOf(c.Side)
		k, ok := l.quickKey(c.Price)
		if !ok {
			k, ok = l.probe(c.Price)
		}
		// The usual change, a new amount for a level the ladder's index
		// holds, with the price written as before, is applied here: no
		// search and no call. set does the rest.
		if ok && !b.deletes(c) {
			if slot, hit := l.indexed(k); hit && l.lv[slot].pscale == c.Price.s {
				l.lv[slot].amend(c)
				continue
			}
		}
		if err := b.set(l, c, k, ok); err != nil {
			return b.fail(err)
		}
	}
	b.nonce, b.time = u.Last, u.Time
	if apart(&b.bids, &b.asks) {
		return nil // inlined: the usual case costs no call
	}
	return b.crossed(&b.bids, &b.asks)
}

// check validates a change.
func (b *Book) check(c *Change) error {
	if valid(c) {
		return nil
	}
	return badChange(c)
}

// valid reports whether a change has a side and no negative amount or
// count (check says what is wrong when it has not).
func valid(c *Change) bool {
	return uint8(c.Side-Bid) <= uint8(Ask-Bid) && c.Amount.m|c.Count >= 0
}

// badChange describes what is wrong with a change check refused.
func badChange(c *Change) error {
	if c.Side != Bid && c.Side != Ask {
		return badInput("change has no valid side (" + c.Side.String() + ") at price " + c.Price.String())
	}
	if c.Amount.Sign() < 0 {
		return badInput("negative amount " + c.Amount.String() + " at " + c.Side.String() + " " + c.Price.String())
	}
	if c.Count < 0 {
		return badInput("negative order count at " + c.Side.String() + " " + c.Price.String())
	}
	return nil
}

// deletes reports whether a (valid) change removes its level.
func (b *Book) deletes(c *Change) bool {
	if b.counted {
		return c.Count == 0
	}
	return c.Amount.IsZero()
}

// ladderOf returns the ladder of a valid side.
func (b *Book) ladderOf(sd Side) *ladder {
	if sd == Ask {
		return &b.asks
	}
	return &b.bids
}

// set applies valid change c to its side's ladder l, given the key of its
// price at the ladder's scale (keyed false: the price needs a finer scale, or
// cannot have a key).
func (b *Book) set(l *ladder, c *Change, k int64, keyed bool) error {
	if b.deletes(c) {
		if keyed {
			if p, found := l.search(k); found {
				l.remove(p)
			}
		}
		return nil
	}
	if !keyed {
		var err error
		if k, err = l.key(c.Price); err != nil {
			return err
		}
	}
	slot, found := l.find(k, c.Price.s)
	if found {
		l.rewrite(slot, c.Price.s)
	}
	l.lv[slot].amend(c)
	return nil
}

// Truncate drops every level beyond the best depth of each side (depth <= 0:
// none, as for Snapshot). It is a venue rule, not a view: call it after each
// update only where the venue documents that levels leaving the subscribed
// depth vanish without a delete (kraken, bybit; a safety net for bitfinex's
// len). A user's requested depth belongs to Snapshot, never to the live book.
func (b *Book) Truncate(depth int) {
	b.bids.truncate(depth)
	b.asks.truncate(depth)
}

// Snapshot returns a consistent copy of the book for users: at most depth
// levels a side (depth <= 0: all), bids descending, asks ascending, with
// Symbol, Timestamp and Nonce set. It returns Err instead when the book is not
// live, never stale data. The copy shares nothing mutable with the book.
func (b *Book) Snapshot(depth int) (unified.OrderBook, error) {
	return b.snapshot(&b.bids, &b.asks, depth)
}

// Depth returns the number of levels on a side of a live book (0 otherwise).
func (b *Book) Depth(sd Side) int {
	if b.state != Live || (sd != Bid && sd != Ask) {
		return 0
	}
	return b.ladderOf(sd).n
}

// Best returns the best level of a side; ok is false when the side is empty
// or the book is not live (see Err).
func (b *Book) Best(sd Side) (lv PriceLevel, ok bool) { return b.At(sd, 0) }

// At returns the i-th best level of a side (0 is the best); ok is false when
// there is no such level or the book is not live. It does not allocate.
func (b *Book) At(sd Side, i int) (lv PriceLevel, ok bool) {
	if i < 0 || i >= b.Depth(sd) {
		return PriceLevel{}, false
	}
	l := b.ladderOf(sd)
	p := l.rank(i)
	return l.view(l.chunks[p.c].keys[p.i], l.slot(p)), true
}

// Levels iterates over a side best first; it yields nothing when the book is
// not live. The book must not change during the iteration.
func (b *Book) Levels(sd Side) iter.Seq[PriceLevel] {
	return func(yield func(PriceLevel) bool) {
		if b.Depth(sd) == 0 {
			return
		}
		l := b.ladderOf(sd)
		w := l.walk()
		for k, slot, ok := w.next(); ok; k, slot, ok = w.next() {
			if !yield(l.view(k, slot)) {
				return
			}
		}
	}
}
