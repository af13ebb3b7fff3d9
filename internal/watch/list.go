package watch

import (
	"context"

	"github.com/unifex-go/unifex/cache"
	"github.com/unifex-go/unifex/errors"
)

// ListTopic carries a cached list: public trades, candles, orders, the
// user's trades, positions. Items live in a cache.Ring; readers get copies.
// After an outage the topic starts a fresh ring, so items from before and
// after it are never returned as one unbroken stream.
type ListTopic[T any] struct {
	core
	newRing func() *cache.Ring[T]
	ring    *cache.Ring[T]
}

// JoinList makes c a reader of k's list, creating the topic with rings from
// newRing when it is new (fresh: the caller subscribes).
func JoinList[T any](c *Consumer, k Key, newRing func() *cache.Ring[T]) (t *ListTopic[T], fresh bool, err error) {
	t, _, fresh, err = join(c, k, func(h *Hub, k Key) *ListTopic[T] {
		t := &ListTopic[T]{newRing: newRing, ring: newRing()}
		t.init(h, k)
		return t
	})
	return t, fresh, err
}

// FindList returns the live list topic of k, or nil when nobody watches it.
func FindList[T any](h *Hub, k Key) *ListTopic[T] {
	t, _ := h.find(k).(*ListTopic[T])
	return t
}

// Put stores items (in order) and wakes readers once. It reports how many
// changed the cache (duplicates of public trades do not).
func (t *ListTopic[T]) Put(items ...T) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for _, it := range items {
		if t.ring.Put(it) {
			n++
		}
	}
	if n > 0 {
		t.publishLocked()
	}
	return n
}

// Get returns the cached item with key k, for venues that send partial
// updates to merge into it.
func (t *ListTopic[T]) Get(k cache.Key) (T, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.ring.Get(k)
}

// interrupt records an outage and starts a fresh ring. Each reader keeps
// its cursor in the old ring until it has read what was left there.
func (t *ListTopic[T]) interrupt(err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.ring = t.newRing()
	for st := range t.readers {
		closeCursor[T](st.prev)
		st.prev, st.cursor = st.cursor, nil
		t.attach(st)
	}
	t.failLocked(err)
}

// attach gives a new reader a cursor from now on, so that what the ring
// overwrites before its first read is counted.
func (t *ListTopic[T]) attach(st *state) { st.cursor = t.ring.NewCursor("") }

func (t *ListTopic[T]) drop(st *state) {
	closeCursor[T](st.cursor)
	closeCursor[T](st.prev)
	st.cursor, st.prev = nil, nil
}

func closeCursor[T any](c any) {
	if cur, ok := c.(*cache.Cursor[T]); ok {
		cur.Close()
	}
}

// ListQuery is what a list read returns: the items at or after Since (Unix
// ms, 0 for all), the newest Limit (0 for all), and in NewUpdates mode only
// what arrived since the consumer's previous read. A topic is one symbol's
// list (or the account-wide one), so a read covers the whole topic.
type ListQuery struct {
	Since      int64
	Limit      int
	NewUpdates bool
}

// ReadList returns the topic's items once something in q's scope changed
// since c's last read, blocking until then. In NewUpdates mode a ring that
// overwrote unread items makes the read return what is left together with a
// *errors.CacheOverflowError. Around an outage, the consumer gets the items
// it had not read from before it, then the outage's error, then items from
// after it.
func ReadList[T any](ctx context.Context, c *Consumer, t *ListTopic[T], q ListQuery) ([]T, error) {
	return ReadLists(ctx, c, []*ListTopic[T]{t}, q)
}

// ReadLists is ReadList over several topics: it returns the read of the
// first of ts (in order) that has something for c.
func ReadLists[T any](ctx context.Context, c *Consumer, ts []*ListTopic[T], q ListQuery) ([]T, error) {
	var items []T
	err := readAny(ctx, c, ts, func(t *ListTopic[T], st *state) (bool, error) {
		t.mu.Lock()
		defer t.mu.Unlock()
		var err error
		var done bool
		items, err, done = t.readLocked(st, q)
		if overflow, ok := err.(*errors.CacheOverflowError); ok {
			overflow.Topic = t.key.String()
		}
		return done, err
	}, nil)
	return items, err
}

// readLocked is one attempt of a read; done is false when nothing in the
// consumer's view changed, so it waits again.
func (t *ListTopic[T]) readLocked(st *state, q ListQuery) (items []T, err error, done bool) {
	if t.version <= st.seen {
		return nil, nil, false
	}
	if prev, ok := st.prev.(*cache.Cursor[T]); ok {
		// The outage's cache: first what the consumer had not read there.
		if q.NewUpdates {
			items, err = prev.Next(q.Since, q.Limit)
		}
		prev.Close()
		st.prev = nil
		if len(items) > 0 || err != nil {
			return items, err, true
		}
	}
	if t.errAt > st.errAt {
		st.errAt, st.seen = t.errAt, t.errAt
		return nil, t.err, true
	}
	st.seen = t.version
	if !q.NewUpdates {
		items = t.ring.Read("", q.Since, q.Limit)
		return items, nil, len(items) > 0
	}
	cur, ok := st.cursor.(*cache.Cursor[T])
	if !ok {
		// The consumer left the topic while this read was waiting.
		return nil, errors.Newf(errors.UnsubscribeError, t.key.String()+" is no longer watched by this consumer"), true
	}
	items, err = cur.Next(q.Since, q.Limit)
	return items, err, len(items) > 0 || err != nil
}
