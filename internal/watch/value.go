package watch

import "context"

// ValueTopic carries one value that each event replaces: a ticker, the
// balances. Values are immutable once set; readers share them.
type ValueTopic[V any] struct {
	core
	value *V
}

// JoinValue makes c a reader of k's value topic, creating it when new
// (fresh: the caller subscribes).
func JoinValue[V any](c *Consumer, k Key) (t *ValueTopic[V], fresh bool, err error) {
	t, _, fresh, err = join(c, k, func(h *Hub, k Key) *ValueTopic[V] {
		t := &ValueTopic[V]{}
		t.init(h, k)
		return t
	})
	return t, fresh, err
}

// FindValue returns the live value topic of k, or nil when nobody watches it.
func FindValue[V any](h *Hub, k Key) *ValueTopic[V] {
	t, _ := h.find(k).(*ValueTopic[V])
	return t
}

// Set publishes v, which must not be modified afterwards.
func (t *ValueTopic[V]) Set(v *V) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.value = v
	t.publishLocked()
}

// Update publishes fn's result from the current value (nil before the
// first), for venues that send partial updates. fn must return a new value
// and leave the old one untouched: readers may still hold it.
func (t *ValueTopic[V]) Update(fn func(old *V) *V) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.value = fn(t.value)
	t.publishLocked()
}

// Peek returns the current value without waiting; nil before the first.
func (t *ValueTopic[V]) Peek() *V {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.value
}

// ReadValue returns the topic's value once it has changed since c's last
// read, blocking until then. An error event is returned once, before any
// later value.
func ReadValue[V any](ctx context.Context, c *Consumer, t *ValueTopic[V]) (*V, error) {
	vs, err := ReadValues(ctx, c, []*ValueTopic[V]{t})
	if err != nil {
		return nil, err
	}
	return vs[0], nil
}

// ReadValues waits until any of ts has an event for c and returns every
// value of ts that changed since c's last read (nil for the others); an
// error event of any topic is returned alone.
func ReadValues[V any](ctx context.Context, c *Consumer, ts []*ValueTopic[V]) ([]*V, error) {
	var out []*V
	err := readAny(ctx, c, ts, func(t *ValueTopic[V], st *state) (bool, error) {
		t.mu.Lock()
		defer t.mu.Unlock()
		if t.errAt > st.errAt {
			st.errAt, st.seen = t.errAt, t.errAt
			out = nil
			return true, t.err
		}
		if t.version <= st.seen {
			return false, nil
		}
		st.seen = t.version
		if t.value == nil {
			return false, nil
		}
		if out == nil {
			out = make([]*V, len(ts))
		}
		for i := range ts {
			if ts[i] == t {
				out[i] = t.value
			}
		}
		return false, nil // keep collecting the other topics
	}, func() bool { return out != nil })
	return out, err
}
