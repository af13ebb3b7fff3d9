package cache

import "github.com/unifex-go/unifex/errors"

// Cursor is one consumer's read position in a Ring: Next returns what was
// put since this cursor's previous Next. Cursors are independent, so two
// consumers never take updates from each other.
//
// A Cursor is safe for concurrent use (it is guarded by its Ring's lock),
// though one consumer normally reads it from one goroutine. The zero Cursor
// reads nothing.
type Cursor[T any] struct {
	ring   *Ring[T]
	symbol string // scope; "" is every symbol

	// Guarded by ring.mu.
	pos     uint64 // ring stamp at the last Next; 0 before the first
	dropped int    // items evicted unread since the last Next
	closed  bool
}

// NewCursor returns a cursor over the items of symbol ("" for every
// symbol). It starts before the window: its first Next returns every item
// then in the ring (subject to since and limit). Items evicted before the
// cursor was created never count as dropped for it.
//
// The ring updates every open cursor when it drops an item, so Close a
// cursor its consumer no longer reads.
func (r *Ring[T]) NewCursor(symbol string) *Cursor[T] {
	c := &Cursor[T]{ring: r, symbol: symbol}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cursors = append(r.cursors, c)
	return c
}

// Next returns the items in the cursor's scope that were put since its
// previous Next, oldest first in window order, each in its latest state:
//
//   - an arrival ring returns each new item;
//   - a by-timestamp ring returns each candle put since (new or updated in
//     place), once, at its window position;
//   - a by-id or by-side ring returns each identity put since (new or
//     updated, however many times), once, at its newest position.
//
// since and limit then filter those items as Ring.Read does: Time >= since
// when since > 0, then the newest limit when limit > 0. Next consumes
// everything up to now, including the items the filters left out; a
// following Next returns only later puts. When nothing is new it returns a
// nil slice.
//
// If the ring dropped items in the cursor's scope whose latest put came
// after the cursor's previous Next (or its creation), Next returns what remains together with a
// *errors.CacheOverflowError (errors.Is(err, errors.CacheOverflow)) whose
// Dropped is the number of such items. Its Topic is empty; the caller may
// set it. An item updated after the cursor returned it and then dropped
// before the next Next counts as one dropped item (its update was lost); an
// item that is updated and moved within the window is never counted. Each
// drop is reported once.
//
// Next on a closed cursor returns nil, nil.
func (c *Cursor[T]) Next(since int64, limit int) ([]T, error) {
	r := c.ring
	if r == nil {
		return nil, nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if c.closed {
		return nil, nil
	}
	out := r.collect(c.pos, c.symbol, since, limit)
	c.pos = r.stamp
	dropped := c.dropped
	c.dropped = 0
	if dropped > 0 {
		return out, &errors.CacheOverflowError{Dropped: dropped}
	}
	return out, nil
}

// Close detaches the cursor from its ring; later Next calls return nothing.
// Close is idempotent.
func (c *Cursor[T]) Close() {
	r := c.ring
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if c.closed {
		return
	}
	c.closed = true
	for i, o := range r.cursors {
		if o == c {
			last := len(r.cursors) - 1
			r.cursors[i] = r.cursors[last]
			r.cursors[last] = nil
			r.cursors = r.cursors[:last]
			return
		}
	}
}
