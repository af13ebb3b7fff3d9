package bybittest

import "sort"

// The authoritative order book of one market. Each market event changes
// a few levels and is sealed under the next update id u (contiguous per
// symbol; 1 after a restart). Every sealed state is remembered by its u
// for BookAt. Each orderbook.{depth} topic is a view of the book's best
// depth levels: its deltas are the differences between the view it last
// sent and the view now, so a level entering the window is sent too.

// level is a price with the quantity resting there, in wire units.
type level struct{ price, qty int64 }

// ladder is one side of a book, best price first.
type ladder struct {
	bids bool
	lv   []level
}

// find returns the index where price is or would go.
func (l *ladder) find(price int64) int {
	return sort.Search(len(l.lv), func(i int) bool {
		if l.bids {
			return l.lv[i].price <= price
		}
		return l.lv[i].price >= price
	})
}

// set makes qty rest at price (0 removes the level).
func (l *ladder) set(price, qty int64) {
	i := l.find(price)
	found := i < len(l.lv) && l.lv[i].price == price
	switch {
	case found && qty == 0:
		l.lv = append(l.lv[:i], l.lv[i+1:]...)
	case found:
		l.lv[i].qty = qty
	case qty != 0:
		l.lv = append(l.lv, level{})
		copy(l.lv[i+1:], l.lv[i:])
		l.lv[i] = level{price, qty}
	}
}

// best returns the best level.
func (l *ladder) best() (level, bool) {
	if len(l.lv) == 0 {
		return level{}, false
	}
	return l.lv[0], true
}

// head copies the best n levels (all when n <= 0).
func (l *ladder) head(n int) []level {
	if n <= 0 || n > len(l.lv) {
		n = len(l.lv)
	}
	return append([]level(nil), l.lv[:n]...)
}

// bookState is the book at one update id.
type bookState struct {
	u          int64
	seq        int64
	bids, asks []level
}

// book is a market's book and its update-id bookkeeping.
type book struct {
	bids, asks ladder
	u          int64 // update id of the current state
	seq        int64 // cross sequence of the current state
	dirty      bool  // changed since the last seal
	history    []bookState
	next       int
}

func newBook(history int) *book {
	return &book{bids: ladder{bids: true}, history: make([]bookState, history)}
}

// set changes a level now; the next seal publishes it. Setting a level
// to what it already is changes nothing, so no update id is spent on it.
func (b *book) set(bid bool, price, qty int64) {
	side := b.side(bid)
	i := side.find(price)
	was := int64(0)
	if i < len(side.lv) && side.lv[i].price == price {
		was = side.lv[i].qty
	}
	if was == qty {
		return
	}
	side.set(price, qty)
	b.dirty = true
}

// side returns the ladder of one side.
func (b *book) side(bid bool) *ladder {
	if bid {
		return &b.bids
	}
	return &b.asks
}

// seal gives the changes since the last seal the next update id and cross
// sequence seq, and remembers the state; ok is false when nothing changed.
func (b *book) seal(seq int64) bool {
	if !b.dirty {
		return false
	}
	b.dirty = false
	b.u++
	b.seq = seq
	b.record()
	return true
}

// restart makes the book start over at u = 1, as after a service restart,
// forgetting the states remembered under the old ids.
func (b *book) restart(seq int64) {
	clear(b.history)
	b.next = 0
	b.u, b.seq, b.dirty = 1, seq, false
	b.record()
}

// record remembers the current state under u.
func (b *book) record() {
	b.history[b.next] = bookState{u: b.u, seq: b.seq, bids: b.bids.head(0), asks: b.asks.head(0)}
	b.next = (b.next + 1) % len(b.history)
}

// at returns the remembered state with update id u.
func (b *book) at(u int64) (bookState, bool) {
	for _, s := range b.history {
		if s.u == u && u != 0 {
			return s, true
		}
	}
	return bookState{}, false
}

// view is the current state cut to depth levels a side.
func (b *book) view(depth int) bookState {
	return bookState{u: b.u, seq: b.seq, bids: b.bids.head(depth), asks: b.asks.head(depth)}
}

// diff returns the levels of now that differ from was, with quantity 0 for
// the levels that left; bids best first, asks best first.
func diff(was, now []level, bids bool) []level {
	old := make(map[int64]int64, len(was))
	for _, l := range was {
		old[l.price] = l.qty
	}
	var out []level
	for _, l := range now {
		if q, ok := old[l.price]; !ok || q != l.qty {
			out = append(out, l)
		}
		delete(old, l.price)
	}
	for p := range old {
		out = append(out, level{p, 0})
	}
	sort.Slice(out, func(i, j int) bool {
		if bids {
			return out[i].price > out[j].price
		}
		return out[i].price < out[j].price
	})
	return out
}
