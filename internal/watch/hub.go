package watch

import (
	"sort"
	"sync"

	"github.com/unifex-go/unifex/errors"
)

// Hub holds one exchange's live topics. Consumers join topics (the first
// join means "subscribe", the last leave "unsubscribe") and read them; the
// connection side finds topics by key and publishes into them. A Hub is safe
// for concurrent use.
type Hub struct {
	exchange string
	closed   chan struct{}
	once     sync.Once

	mu     sync.Mutex
	topics map[Key]topic
}

// NewHub returns an empty hub for the exchange id (used in errors).
func NewHub(exchange string) *Hub {
	return &Hub{exchange: exchange, closed: make(chan struct{}), topics: map[Key]topic{}}
}

// Close wakes every waiter with an error that matches
// errors.ExchangeClosedByUser; later reads fail the same way. Idempotent.
func (h *Hub) Close() { h.once.Do(func() { close(h.closed) }) }

// Closed reports whether Close was called.
func (h *Hub) Closed() bool {
	select {
	case <-h.closed:
		return true
	default:
		return false
	}
}

func (h *Hub) closedError() error {
	return &errors.Error{Kind: errors.ExchangeClosedByUser, Exchange: h.exchange, Message: "the exchange was closed"}
}

// Keys lists the live topics, sorted by their string form.
func (h *Hub) Keys() []Key {
	h.mu.Lock()
	out := make([]Key, 0, len(h.topics))
	for k := range h.topics {
		out = append(out, k)
	}
	h.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

// Interrupt records an outage on the topics with the given keys (those of a
// dropped connection): each consumer gets err once, in order.
func (h *Hub) Interrupt(keys []Key, err error) {
	for _, k := range keys {
		if t := h.find(k); t != nil {
			t.interrupt(err)
		}
	}
}

// Has reports whether anyone watches k.
func (h *Hub) Has(k Key) bool { return h.find(k) != nil }

// Fail records an error event on k (a message of that topic that could not
// be parsed): its readers get err once. Nothing happens when nobody watches k.
func (h *Hub) Fail(k Key, err error) {
	if t := h.find(k); t != nil {
		t.base().Fail(err)
	}
}

func (h *Hub) find(k Key) topic {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.topics[k]
}

// join adds consumer state for t's key, creating the topic with create when
// the hub has none. fresh reports that this join created it (the caller
// subscribes).
func join[T topic](c *Consumer, k Key, create func(*Hub, Key) T) (t T, st *state, fresh bool, err error) {
	h := c.hub
	if h.Closed() {
		return t, nil, false, h.closedError()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return t, nil, false, errors.Newf(errors.ExchangeClosedByUser, "the consumer was closed")
	}
	h.mu.Lock()
	existing, ok := h.topics[k]
	if ok {
		typed, same := existing.(T)
		if !same {
			h.mu.Unlock()
			return t, nil, false, errors.Newf(errors.BadRequest, "topic "+k.String()+" is already open with another payload")
		}
		t = typed
	} else {
		t = create(h, k)
		h.topics[k] = t
		fresh = true
	}
	h.mu.Unlock()

	if st = c.states[k]; st != nil {
		return t, st, fresh, nil
	}
	b := t.base()
	b.mu.Lock()
	// A consumer does not inherit errors from before it joined.
	st = &state{errAt: b.errAt}
	b.readers[st] = struct{}{}
	t.attach(st)
	b.mu.Unlock()
	c.states[k] = st
	return t, st, fresh, nil
}

// Consumer is one reader's set of cursors over the hub's topics: its reads
// never take updates from another consumer. A Consumer is safe for concurrent
// use; concurrent reads of one topic by one consumer share its cursor.
type Consumer struct {
	hub *Hub

	mu     sync.Mutex
	states map[Key]*state
	closed bool
}

// NewConsumer returns a consumer with no topics.
func (h *Hub) NewConsumer() *Consumer {
	return &Consumer{hub: h, states: map[Key]*state{}}
}

// stateOf returns c's state in t, which c must have joined.
func (c *Consumer) stateOf(t topic) (*state, error) {
	if c.hub.Closed() {
		return nil, c.hub.closedError()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	st := c.states[t.base().key]
	if st == nil {
		return nil, errors.Newf(errors.BadRequest, "topic "+t.base().key.String()+" is not watched by this consumer")
	}
	return st, nil
}

// Leave drops the consumer's interest in k. last reports that no consumer
// reads the topic any more: the hub has forgotten it and the caller
// unsubscribes.
func (c *Consumer) Leave(k Key) (last bool) {
	c.mu.Lock()
	st := c.states[k]
	delete(c.states, k)
	c.mu.Unlock()
	if st == nil {
		return false
	}
	return c.hub.release(k, st)
}

// Close leaves every topic and returns the keys no consumer reads any more.
func (c *Consumer) Close() (orphaned []Key) {
	c.mu.Lock()
	states := c.states
	c.states, c.closed = map[Key]*state{}, true
	c.mu.Unlock()
	for k, st := range states {
		if c.hub.release(k, st) {
			orphaned = append(orphaned, k)
		}
	}
	sort.Slice(orphaned, func(i, j int) bool { return orphaned[i].String() < orphaned[j].String() })
	return orphaned
}

// release drops one consumer's state from topic k.
func (h *Hub) release(k Key, st *state) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	t := h.topics[k]
	if t == nil {
		return false
	}
	b := t.base()
	b.mu.Lock()
	t.drop(st)
	delete(b.readers, st)
	last := len(b.readers) == 0
	if last {
		// Calls still blocked on the topic end as CCXT's unwatch ends them.
		b.failLocked(&errors.Error{Kind: errors.UnsubscribeError, Exchange: h.exchange, Message: k.String() + " is no longer watched"})
	}
	b.mu.Unlock()
	if last {
		delete(h.topics, k)
	}
	return last
}
