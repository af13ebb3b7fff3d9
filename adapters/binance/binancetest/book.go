package binancetest

import (
	"github.com/unifex-go/unifex/internal/fakebook"
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

// level is a price with the total quantity resting there, in wire units;
// ladder is one side of a book, best price first.
type (
	level  = fakebook.Level
	ladder = fakebook.Side
)

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
type bookState = fakebook.State

// book is a market's book and the update-id bookkeeping.
type book struct {
	bids, asks ladder
	lastID     int64    // u of the last sealed event
	pending    []change // changes not sealed yet
	history    fakebook.History
	sent       *depthEvent // the last event sent to subscribers
	tickerTop  [2]level    // the touch the last bookTicker showed

	// faults armed for the next event or snapshot
	gapNext, duplicateNext, overlapNext, staleNext, corruptNext bool
}

func newBook(history int, firstID int64) *book {
	return &book{bids: ladder{Bids: true}, history: fakebook.NewHistory(history), lastID: firstID}
}

// set changes a level now; the change is published by the next seal.
func (b *book) set(bid bool, price, qty int64) {
	side := &b.asks
	if bid {
		side = &b.bids
	}
	side.Set(price, qty, 0)
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
			bids = append(bids, level{Price: k.price, Qty: q})
		} else {
			asks = append(asks, level{Price: k.price, Qty: q})
		}
	}
	sort.Slice(bids, func(i, j int) bool { return bids[i].Price > bids[j].Price })
	sort.Slice(asks, func(i, j int) bool { return asks[i].Price < asks[j].Price })
	return bids, asks
}

// record remembers the current state under lastID.
func (b *book) record() { b.history.Record(b.lastID, &b.bids, &b.asks) }

// at returns the remembered state with update id id.
func (b *book) at(id int64) (bookState, bool) { return b.history.At(id) }

// snapshot is what a REST depth request sees: the current state, or, when
// a stale snapshot is armed, the oldest remembered state of the last
// staleDepth events (older than anything a fresh subscriber buffered).
func (b *book) snapshot() bookState {
	if b.staleNext {
		b.staleNext = false
		for back := staleDepth; back > 0; back-- {
			if s, ok := b.history.Back(back); ok && s.ID != 0 && s.ID < b.lastID {
				return s
			}
		}
	}
	return bookState{ID: b.lastID, Bids: b.bids.Head(0), Asks: b.asks.Head(0)}
}

// staleDepth is how many events back a stale snapshot reaches at most.
const staleDepth = 16

// minHistory is how many states a book remembers even when Config.History
// is smaller: enough to serve stale snapshots.
const minHistory = 2 * staleDepth
