package bybittest

import (
	"sort"

	"github.com/unifex-go/unifex/internal/fakebook"
)

// The authoritative order book of one market. Each market event changes
// a few levels and is sealed under the next update id u (contiguous per
// symbol; 1 after a restart). Every sealed state is remembered by its u
// for BookAt. Each orderbook.{depth} topic is a view of the book's best
// depth levels: its deltas are the differences between the view it last
// sent and the view now, so a level entering the window is sent too.

// level is a price with the quantity resting there, in wire units;
// ladder is one side of a book, best price first.
type (
	level  = fakebook.Level
	ladder = fakebook.Side
)

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
	history    fakebook.History
}

func newBook(history int) *book {
	return &book{bids: ladder{Bids: true}, history: fakebook.NewHistory(history)}
}

// set changes a level now; the next seal publishes it. Setting a level
// to what it already is changes nothing, so no update id is spent on it.
func (b *book) set(bid bool, price, qty int64) {
	side := b.side(bid)
	if side.Qty(price) == qty {
		return
	}
	side.Set(price, qty, 0)
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
	b.history.Reset()
	b.u, b.seq, b.dirty = 1, seq, false
	b.record()
}

// record remembers the current state under u.
func (b *book) record() { b.history.Record(b.u, &b.bids, &b.asks) }

// at returns the remembered state with update id u.
func (b *book) at(u int64) (fakebook.State, bool) { return b.history.At(u) }

// view is the current state cut to depth levels a side.
func (b *book) view(depth int) bookState {
	return bookState{u: b.u, seq: b.seq, bids: b.bids.Head(depth), asks: b.asks.Head(depth)}
}

// diff returns the levels of now that differ from was, with quantity 0 for
// the levels that left; bids best first, asks best first.
func diff(was, now []level, bids bool) []level {
	old := make(map[int64]int64, len(was))
	for _, l := range was {
		old[l.Price] = l.Qty
	}
	var out []level
	for _, l := range now {
		if q, ok := old[l.Price]; !ok || q != l.Qty {
			out = append(out, l)
		}
		delete(old, l.Price)
	}
	for p := range old {
		out = append(out, level{Price: p})
	}
	sort.Slice(out, func(i, j int) bool {
		if bids {
			return out[i].Price > out[j].Price
		}
		return out[i].Price < out[j].Price
	})
	return out
}
