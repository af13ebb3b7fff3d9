package orderbook

import (
	"cmp"
	"fmt"
	"hash/crc32"
	"iter"
	"slices"
	"strconv"
	"time"

	"github.com/unifex-go/unifex/unified"
)

// Priority is the order of the orders queued at one price of an L3Book.
type Priority uint8

const (
	// TimePriority queues orders by arrival: a new order, or one whose
	// price or side changes, joins the back of its level; an amount change
	// keeps the order's place.
	TimePriority Priority = iota
	// IDPriority queues orders by ascending id, as Bitfinex's raw books and
	// their checksum do.
	IDPriority
)

// OrderChange is one order's change in an update to an L3Book.
type OrderChange[ID cmp.Ordered] struct {
	// ID identifies the order.
	ID ID
	// Side is Bid or Ask.
	Side Side
	// Price is the order's price; a new price moves the order to that level.
	Price Num
	// Amount is the order's remaining size, never negative; zero removes the
	// order (Side and Price are then ignored).
	Amount Num
	// Seq is the change's own sequence number where the venue numbers each
	// change, else 0; a change at or below the book's nonce is skipped.
	Seq int64
}

// Order is one resting order of an L3Book.
type Order[ID cmp.Ordered] struct {
	// ID identifies the order.
	ID ID
	// Side is Bid or Ask.
	Side Side
	// Price is the order's price as the venue last sent it.
	Price Num
	// Amount is the order's remaining size as the venue last sent it.
	Amount Num
}

// order is an Order in the pool, linked into its level's queue.
type order[ID cmp.Ordered] struct {
	Order[ID]
	lvl        int32 // the payload slot of its level in the side's ladder
	prev, next int32 // neighbours in the level's queue, -1 at the ends
}

// L3Book is an order-by-order (L3) book: order id → side, price, amount.
// Each price level keeps the exact sum and the number of its orders, so the
// L2 view (Snapshot, Best, At, Levels) costs what it costs on a Book, and
// the orders of a level are queued by Priority (see Orders).
//
// ID is the venue's order id type: int64 for numeric ids (no allocation when
// an order is added), string otherwise.
//
// An L3Book is not safe for concurrent use, and Snapshot writes the per-level
// cache: guard a shared book with a sync.Mutex. The zero value is a book with
// no symbol and TimePriority, waiting for a snapshot.
type L3Book[ID cmp.Ordered] struct {
	status
	prio       Priority
	bids, asks ladder
	index      map[ID]int32
	orders     []order[ID]
	free       []int32
	sideLen    [2]int  // orders on the bid and ask side
	scratch    []keyed // for Replace
	text       []byte  // for checksums
}

// NewL3Book returns an empty L3 book for symbol whose levels queue orders by
// prio, waiting for its snapshot.
func NewL3Book[ID cmp.Ordered](symbol string, prio Priority) *L3Book[ID] {
	return &L3Book[ID]{status: status{symbol: symbol}, prio: prio, index: make(map[ID]int32), asks: ladder{ask: true}}
}

// Symbol returns the symbol the book was created with.
func (b *L3Book[ID]) Symbol() string { return b.symbol }

// State returns the book's synchronisation state.
func (b *L3Book[ID]) State() State { return b.state }

// Err returns nil when the book is live, ErrNotSynced while it waits for a
// snapshot, and the reason it became invalid otherwise.
func (b *L3Book[ID]) Err() error { return b.readErr() }

// Nonce returns the Last id of the latest snapshot or update applied.
func (b *L3Book[ID]) Nonce() int64 { return b.nonce }

// Time returns the time of the latest snapshot or update applied.
func (b *L3Book[ID]) Time() time.Time { return b.time }

// Invalidate marks the book invalid with err (nil means a generic reason of
// kind errors.InvalidNonce): reads return err until the next Replace.
func (b *L3Book[ID]) Invalidate(err error) { b.fail(err) }

// Reset empties the book and marks it syncing.
func (b *L3Book[ID]) Reset() {
	b.clearAll()
	b.reset()
}

func (b *L3Book[ID]) clearAll() {
	b.bids.clear()
	b.asks.clear()
	b.asks.ask = true
	if b.index == nil {
		b.index = make(map[ID]int32)
	}
	clear(b.index)
	clear(b.orders)
	b.orders, b.free = b.orders[:0], b.free[:0]
	b.sideLen = [2]int{}
}

// Replace loads a snapshot: it discards every order and level, adds the
// orders in u.Changes (for an id given twice the later wins), records u.Last and u.Time and makes the book
// live. Orders at one price are queued in the order they come in (or by id
// under IDPriority); an id given with a zero amount after its order removes
// it. A malformed change or a crossed result makes the book
// invalid and is returned.
func (b *L3Book[ID]) Replace(u Update[OrderChange[ID]]) error {
	b.clearAll()
	for i := range u.Changes {
		c := &u.Changes[i]
		if err := checkOrder(c); err != nil {
			return b.fail(err)
		}
		oi, ok := b.index[c.ID]
		if c.Amount.IsZero() {
			if ok { // a later zero removes an earlier entry
				b.orders[oi] = order[ID]{}
				b.free = append(b.free, oi)
				delete(b.index, c.ID)
			}
			continue
		}
		if !ok {
			oi = b.alloc()
			b.index[c.ID] = oi
		}
		b.orders[oi].Order = Order[ID]{ID: c.ID, Side: c.Side, Price: c.Price, Amount: c.Amount}
	}
	if err := b.load(&b.bids, Bid); err != nil {
		return b.fail(err)
	}
	if err := b.load(&b.asks, Ask); err != nil {
		return b.fail(err)
	}
	b.live(u.Last, u.Time)
	return b.crossed(&b.bids, &b.asks)
}

// load builds an empty ladder from the pooled orders of one side.
func (b *L3Book[ID]) load(l *ladder, sd Side) error {
	first := true
	for i := range b.orders {
		if o := &b.orders[i]; o.Side == sd && (first || o.Price.s > l.scale) {
			l.scale, first = o.Price.s, false
		}
	}
	ks := b.scratch[:0]
	for i := range b.orders {
		if o := &b.orders[i]; o.Side == sd {
			k, ok := l.probe(o.Price)
			if !ok {
				return badInput("price " + o.Price.String() + " does not fit the book's exact form together with its other prices")
			}
			ks = append(ks, keyed{key: k, idx: int32(i)})
		}
	}
	b.scratch = ks[:0]
	slices.SortStableFunc(ks, func(x, y keyed) int {
		if c := cmp.Compare(x.key, y.key); c != 0 || b.prio != IDPriority {
			return c
		}
		return cmp.Compare(b.orders[x.idx].ID, b.orders[y.idx].ID)
	})
	var slot int32 = -1
	for n, e := range ks {
		if n == 0 || e.key != ks[n-1].key {
			slot = l.push(e.key, b.orders[e.idx].Price.s)
		}
		if err := b.join(l, slot, e.idx, false); err != nil {
			return err
		}
	}
	return nil
}

// checkOrder validates an order change.
func checkOrder[ID cmp.Ordered](c *OrderChange[ID]) error {
	if c.Amount.Sign() < 0 {
		return badInput("negative amount " + c.Amount.String() + " for order " + fmt.Sprint(c.ID))
	}
	if !c.Amount.IsZero() && c.Side != Bid && c.Side != Ask {
		return badInput("order " + fmt.Sprint(c.ID) + " has no valid side (" + c.Side.String() + ")")
	}
	return nil
}

// alloc returns a free order slot.
func (b *L3Book[ID]) alloc() int32 {
	if n := len(b.free); n > 0 {
		oi := b.free[n-1]
		b.free = b.free[:n-1]
		return oi
	}
	b.orders = append(b.orders, order[ID]{})
	return int32(len(b.orders) - 1)
}

func (b *L3Book[ID]) ladderOf(sd Side) *ladder {
	if sd == Ask {
		return &b.asks
	}
	return &b.bids
}

// Apply applies one update (all its changes, then the crossed-book check) and
// records u.Last and u.Time. A book that is not live is left as it is and its
// Err is returned. Removing an unknown order is not an error. A malformed
// change, an amount sum beyond the exact form, or a crossed result makes the
// book invalid and is returned.
func (b *L3Book[ID]) Apply(u Update[OrderChange[ID]]) error {
	if b.state != Live {
		return b.readErr()
	}
	for i := range u.Changes {
		c := &u.Changes[i]
		if c.Seq != 0 && c.Seq <= b.nonce {
			continue
		}
		if err := b.set(c); err != nil {
			return b.fail(err)
		}
	}
	b.nonce, b.time = u.Last, u.Time
	return b.crossed(&b.bids, &b.asks)
}

// set applies one order change.
func (b *L3Book[ID]) set(c *OrderChange[ID]) error {
	if err := checkOrder(c); err != nil {
		return err
	}
	oi, ok := b.index[c.ID]
	if c.Amount.IsZero() {
		if ok {
			b.leave(oi)
			b.orders[oi] = order[ID]{}
			b.free = append(b.free, oi)
			delete(b.index, c.ID)
		}
		return nil
	}
	if ok {
		o := &b.orders[oi]
		if o.Side == c.Side && o.Price.Equal(c.Price) {
			// Same level: adjust the sum, keep the queue position.
			l := b.ladderOf(o.Side)
			v := &l.lv[o.lvl]
			sum, fits := v.amount().add(o.Amount.Neg())
			if fits {
				sum, fits = sum.add(c.Amount)
			}
			if !fits {
				return overflow(c.Price)
			}
			v.setAmount(sum)
			v.cached &^= amountCached
			o.Price, o.Amount = c.Price, c.Amount
			return nil
		}
		b.leave(oi)
	} else {
		oi = b.alloc()
		b.index[c.ID] = oi
	}
	b.orders[oi].Order = Order[ID]{ID: c.ID, Side: c.Side, Price: c.Price, Amount: c.Amount}
	l := b.ladderOf(c.Side)
	k, err := l.key(c.Price)
	if err != nil {
		return err
	}
	slot, found := l.indexed(k)
	if !found {
		slot, _ = l.find(k, c.Price.s)
	}
	return b.join(l, slot, oi, true)
}

func overflow(price Num) error {
	return badInput("the amounts at price " + price.String() + " add up beyond the exact form")
}

// join queues order oi at the level in payload slot, adding its amount to
// the level's. With place, IDPriority finds the order's place by id; a bulk
// load passes orders already in queue order.
func (b *L3Book[ID]) join(l *ladder, slot, oi int32, place bool) error {
	v := &l.lv[slot]
	o := &b.orders[oi]
	sum, fits := v.amount().add(o.Amount)
	if !fits {
		return overflow(o.Price)
	}
	v.setAmount(sum)
	v.count++
	v.cached &^= amountCached
	o.lvl = slot
	after := v.tail // insert after this order (-1: at the head)
	if place && b.prio == IDPriority {
		for after >= 0 && b.orders[after].ID > o.ID {
			after = b.orders[after].prev
		}
	}
	o.prev = after
	if after < 0 {
		o.next = v.head
		v.head = oi
	} else {
		o.next = b.orders[after].next
		b.orders[after].next = oi
	}
	if o.next < 0 {
		v.tail = oi
	} else {
		b.orders[o.next].prev = oi
	}
	b.sideLen[o.Side-1]++
	return nil
}

// leave unqueues order oi from its level, removing the level when it empties.
func (b *L3Book[ID]) leave(oi int32) {
	o := &b.orders[oi]
	l := b.ladderOf(o.Side)
	v := &l.lv[o.lvl]
	if o.prev < 0 {
		v.head = o.next
	} else {
		b.orders[o.prev].next = o.next
	}
	if o.next < 0 {
		v.tail = o.prev
	} else {
		b.orders[o.next].prev = o.prev
	}
	b.sideLen[o.Side-1]--
	v.count--
	if v.count == 0 {
		if k, ok := l.probe(o.Price); ok {
			if p, found := l.search(k); found {
				l.remove(p)
			}
		}
		return
	}
	// The level's sum holds this amount at a scale at least as fine, so the
	// difference always fits.
	sum, _ := v.amount().add(o.Amount.Neg())
	v.setAmount(sum)
	v.cached &^= amountCached
}

// Truncate drops every level beyond the best depth of each side, with its
// orders (depth <= 0: none). Like Book.Truncate it is a venue rule (kraken's level3 channel
// documents it), never a view.
func (b *L3Book[ID]) Truncate(depth int) {
	for _, l := range []*ladder{&b.bids, &b.asks} {
		for _, slot := range l.truncate(depth) {
			for oi := l.lv[slot].head; oi >= 0; {
				o := &b.orders[oi]
				next := o.next
				b.sideLen[o.Side-1]--
				delete(b.index, o.ID)
				*o = order[ID]{}
				b.free = append(b.free, oi)
				oi = next
			}
		}
	}
}

// Snapshot returns a consistent L2 copy of the book (level sums): at most
// depth levels a side (depth <= 0: all), bids descending, asks ascending. It
// returns Err instead when the book is not live, never stale data.
func (b *L3Book[ID]) Snapshot(depth int) (unified.OrderBook, error) {
	return b.snapshot(&b.bids, &b.asks, depth)
}

// Depth returns the number of price levels on a side of a live book.
func (b *L3Book[ID]) Depth(sd Side) int {
	if b.state != Live || (sd != Bid && sd != Ask) {
		return 0
	}
	return b.ladderOf(sd).n
}

// Len returns the number of orders in a live book.
func (b *L3Book[ID]) Len() int {
	if b.state != Live {
		return 0
	}
	return len(b.index)
}

// Best returns the best level of a side (Count is its number of orders); ok
// is false when the side is empty or the book is not live.
func (b *L3Book[ID]) Best(sd Side) (lv PriceLevel, ok bool) { return b.At(sd, 0) }

// At returns the i-th best level of a side; ok is false when there is no such
// level or the book is not live. It does not allocate.
func (b *L3Book[ID]) At(sd Side, i int) (lv PriceLevel, ok bool) {
	if i < 0 || i >= b.Depth(sd) {
		return PriceLevel{}, false
	}
	l := b.ladderOf(sd)
	p := l.rank(i)
	return l.view(l.chunks[p.c].keys[p.i], l.slot(p)), true
}

// Levels iterates over a side's levels best first; nothing when the book is
// not live. The book must not change during the iteration.
func (b *L3Book[ID]) Levels(sd Side) iter.Seq[PriceLevel] {
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

// Order returns the order with id; ok is false when there is none or the
// book is not live.
func (b *L3Book[ID]) Order(id ID) (o Order[ID], ok bool) {
	if b.state != Live {
		return Order[ID]{}, false
	}
	oi, ok := b.index[id]
	if !ok {
		return Order[ID]{}, false
	}
	return b.orders[oi].Order, true
}

// Orders iterates over a side's orders in priority order: best price first,
// then each level's queue. It yields nothing when the book is not live. The
// book must not change during the iteration.
func (b *L3Book[ID]) Orders(sd Side) iter.Seq[Order[ID]] {
	return func(yield func(Order[ID]) bool) {
		c := b.cursor(sd)
		for oi := c.next(); oi >= 0; oi = c.next() {
			if !yield(b.orders[oi].Order) {
				return
			}
		}
	}
}

// queue walks a side's orders in priority order.
type queue[ID cmp.Ordered] struct {
	b  *L3Book[ID]
	w  cursor // over the side's levels
	oi int32  // the order to return next, -1 before a level starts
}

// cursor returns a queue positioned before a side's first order (an empty
// queue when the book is not live).
func (b *L3Book[ID]) cursor(sd Side) queue[ID] {
	w := b.ladderOf(sd).walk()
	if b.state != Live {
		w.c = -1
	}
	return queue[ID]{b: b, w: w, oi: -1}
}

// next returns the next order's index, or -1 at the end.
func (q *queue[ID]) next() int32 {
	for q.oi < 0 {
		_, slot, ok := q.w.next()
		if !ok {
			return -1
		}
		q.oi = q.w.l.lv[slot].head
	}
	oi := q.oi
	q.oi = q.b.orders[oi].next
	return oi
}

// AppendChecksumText appends the text the checksum spec hashes for this book;
// with spec.OrderIDs the entries are orders ("id:amount"), else levels. It
// returns Err when the book is not live.
func (b *L3Book[ID]) AppendChecksumText(dst []byte, spec ChecksumSpec) ([]byte, error) {
	if err := b.readErr(); err != nil {
		return dst, err
	}
	if err := spec.check(); err != nil {
		return dst, err
	}
	if !spec.OrderIDs {
		return spec.appendLevels(dst, &b.bids, &b.asks), nil
	}
	qs := [2]queue[ID]{b.cursor(Bid), b.cursor(Ask)}
	first := true
	spec.visit(b.sideLen[0], b.sideLen[1], func(ask bool, _ int) {
		q := &qs[0]
		if ask {
			q = &qs[1]
		}
		o := &b.orders[q.next()]
		amount := o.Amount
		if ask && spec.NegativeAsks {
			amount = amount.Neg()
		}
		if !first {
			dst = append(dst, spec.Sep...)
		}
		first = false
		dst = appendID(dst, o.ID)
		dst = append(dst, spec.Sep...)
		dst = spec.appendNum(dst, amount)
	})
	return dst, nil
}

// appendID writes an order id as text.
func appendID[ID cmp.Ordered](dst []byte, id ID) []byte {
	switch v := any(id).(type) {
	case string:
		return append(dst, v...)
	case int64:
		return strconv.AppendInt(dst, v, 10)
	case int:
		return strconv.AppendInt(dst, int64(v), 10)
	case uint64:
		return strconv.AppendUint(dst, v, 10)
	}
	return fmt.Append(dst, id)
}

// Checksum returns the CRC-32 (IEEE) of the book's checksum text; it returns
// Err when the book is not live.
func (b *L3Book[ID]) Checksum(spec ChecksumSpec) (uint32, error) {
	text, err := b.AppendChecksumText(b.text[:0], spec)
	b.text = text[:0]
	if err != nil {
		return 0, err
	}
	return crc32.ChecksumIEEE(text), nil
}

// VerifyChecksum compares the book's checksum with the one the venue sent
// (signed or unsigned, as sent); on a mismatch the book becomes invalid and a
// *ChecksumMismatchError is returned. A book that is not live returns its Err.
func (b *L3Book[ID]) VerifyChecksum(spec ChecksumSpec, expected int64) error {
	got, err := b.Checksum(spec)
	if err != nil {
		return err
	}
	if err := verify(expected, got); err != nil {
		return b.fail(err)
	}
	return nil
}
