package binancetest

import (
	"math/rand/v2"
	"sort"
	"time"
)

// The authoritative order book of one market. It changes one level at a
// time; the changes since the last event are sealed into a depth event
// with Binance's update ids:
//
//   - spot ids are contiguous per symbol: U = previous u + 1;
//   - futures ids are global across symbols, so a symbol's next U jumps
//     past the previous u; pu names the previous event's u.
//
// Every sealed state is remembered by its update id for BookAt and for
// stale snapshots.

// level is a price with the total quantity resting there, in wire units.
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

// change is one level's new absolute quantity (0: removed).
type change struct {
	bid        bool
	price, qty int64
}

// depthEvent is a sealed batch of changes with its update ids.
type depthEvent struct {
	first, last int64 // U and u
	prev        int64 // pu: u of the symbol's previous event (futures)
	time        time.Time
	bids, asks  []level // changed levels, best first, qty 0 = removed
}

// bookState is the book at one update id.
type bookState struct {
	id         int64
	bids, asks []level
}

// book is a market's book and the update-id bookkeeping.
type book struct {
	bids, asks ladder
	lastID     int64       // u of the last sealed event
	pending    []change    // changes not sealed yet
	history    []bookState // ring, oldest overwritten
	next       int         // next ring slot
	sent       *depthEvent // the last event sent to subscribers
	tickerTop  [2]level    // the touch the last bookTicker showed

	// faults armed for the next event or snapshot
	gapNext, duplicateNext, overlapNext, staleNext, corruptNext bool
}

func newBook(history int, firstID int64) *book {
	return &book{bids: ladder{bids: true}, history: make([]bookState, history), lastID: firstID}
}

// set changes a level now; the change is published by the next seal.
func (b *book) set(bid bool, price, qty int64) {
	side := &b.asks
	if bid {
		side = &b.bids
	}
	side.set(price, qty)
	b.pending = append(b.pending, change{bid, price, qty})
}

// seal turns the pending changes into an event with update ids, records
// the new state and returns the event; ok is false when nothing changed.
func (b *book) seal(now time.Time, futures bool, rng *rand.Rand) (depthEvent, bool) {
	if len(b.pending) == 0 {
		return depthEvent{}, false
	}
	ev := depthEvent{prev: b.lastID, time: now}
	ev.first = b.lastID + 1
	if futures {
		ev.first += int64(rng.IntN(40)) // other symbols' updates in between
	}
	ev.last = ev.first + int64(len(b.pending)-1+rng.IntN(3))
	ev.bids, ev.asks = net(b.pending)
	b.pending = b.pending[:0]
	b.lastID = ev.last
	b.record()
	return ev, true
}

// net keeps each price's last change, bids best first, asks best first.
func net(cs []change) (bids, asks []level) {
	last := map[change]int64{}
	for _, c := range cs {
		last[change{bid: c.bid, price: c.price}] = c.qty
	}
	for k, q := range last {
		if k.bid {
			bids = append(bids, level{k.price, q})
		} else {
			asks = append(asks, level{k.price, q})
		}
	}
	sort.Slice(bids, func(i, j int) bool { return bids[i].price > bids[j].price })
	sort.Slice(asks, func(i, j int) bool { return asks[i].price < asks[j].price })
	return bids, asks
}

// record remembers the current state under lastID.
func (b *book) record() {
	b.history[b.next] = bookState{id: b.lastID, bids: b.bids.head(0), asks: b.asks.head(0)}
	b.next = (b.next + 1) % len(b.history)
}

// at returns the remembered state with update id id.
func (b *book) at(id int64) (bookState, bool) {
	for _, s := range b.history {
		if s.id == id && id != 0 {
			return s, true
		}
	}
	return bookState{}, false
}

// snapshot is what a REST depth request sees: the current state, or, when
// a stale snapshot is armed, the oldest remembered state of the last
// staleDepth events (older than anything a fresh subscriber buffered).
func (b *book) snapshot() bookState {
	if b.staleNext {
		b.staleNext = false
		for back := staleDepth; back > 0; back-- {
			i := (b.next - 1 - back + 2*len(b.history)) % len(b.history)
			if s := b.history[i]; s.id != 0 && s.id < b.lastID {
				return s
			}
		}
	}
	return bookState{id: b.lastID, bids: b.bids.head(0), asks: b.asks.head(0)}
}

// staleDepth is how many events back a stale snapshot reaches at most.
const staleDepth = 16

// minHistory is how many states a book remembers even when Config.History
// is smaller: enough to serve stale snapshots.
const minHistory = 2 * staleDepth
