// Package fakebook is the authoritative order book the fake venues keep
// (binancetest, okxtest, bybittest): price levels on the venue's integer
// grid, best first, and a ring of past states by sequence id, so that a
// fake can answer exchangetest's BookAt and serve an older snapshot. What
// a venue sends about its book (ids, checksums, views of a depth) stays in
// the venue's own package.
package fakebook

import "sort"

// Level is a price with the total quantity resting there, in the venue's
// integer wire units, and the number of orders making it up where the
// venue reports one (0 elsewhere).
type Level struct{ Price, Qty, Count int64 }

// Side is one side of a book, best price first.
type Side struct {
	// Bids orders the side by descending price; asks ascend.
	Bids bool
	// Levels are the side's levels, best first. Change them through Set.
	Levels []Level
}

// Find returns the index where price is or would go.
func (s *Side) Find(price int64) int {
	return sort.Search(len(s.Levels), func(i int) bool {
		if s.Bids {
			return s.Levels[i].Price <= price
		}
		return s.Levels[i].Price >= price
	})
}

// Qty returns the quantity resting at price, 0 for none.
func (s *Side) Qty(price int64) int64 {
	if i := s.Find(price); i < len(s.Levels) && s.Levels[i].Price == price {
		return s.Levels[i].Qty
	}
	return 0
}

// Set makes qty rest at price in count orders; a qty of 0 removes the
// level.
func (s *Side) Set(price, qty, count int64) {
	i := s.Find(price)
	found := i < len(s.Levels) && s.Levels[i].Price == price
	switch {
	case found && qty == 0:
		s.Levels = append(s.Levels[:i], s.Levels[i+1:]...)
	case found:
		s.Levels[i].Qty, s.Levels[i].Count = qty, count
	case qty != 0:
		s.Levels = append(s.Levels, Level{})
		copy(s.Levels[i+1:], s.Levels[i:])
		s.Levels[i] = Level{price, qty, count}
	}
}

// Best returns the best level; ok is false when the side is empty.
func (s *Side) Best() (lv Level, ok bool) {
	if len(s.Levels) == 0 {
		return Level{}, false
	}
	return s.Levels[0], true
}

// Head copies the best n levels (all when n <= 0 or the side is shorter).
func (s *Side) Head(n int) []Level {
	if n <= 0 || n > len(s.Levels) {
		n = len(s.Levels)
	}
	return append([]Level(nil), s.Levels[:n]...)
}

// State is a book at one sequence id.
type State struct {
	ID         int64
	Bids, Asks []Level
}

// History remembers a book's states by sequence id, the oldest forgotten
// once it holds as many as it was made for.
type History struct {
	states []State
	filled []bool // states[i] was recorded
	next   int    // the slot the next record takes
}

// NewHistory returns a history of n states (at least one).
func NewHistory(n int) History {
	n = max(n, 1)
	return History{states: make([]State, n), filled: make([]bool, n)}
}

// Record remembers the book whose sides are bids and asks under id.
func (h *History) Record(id int64, bids, asks *Side) {
	h.states[h.next] = State{ID: id, Bids: bids.Head(0), Asks: asks.Head(0)}
	h.filled[h.next] = true
	h.next = (h.next + 1) % len(h.states)
}

// Back returns the state recorded k records before the newest (0: the
// newest); ok is false when the history does not reach that far.
func (h *History) Back(k int) (s State, ok bool) {
	if k < 0 || k >= len(h.states) {
		return State{}, false
	}
	i := (h.next - 1 - k + 2*len(h.states)) % len(h.states)
	return h.states[i], h.filled[i]
}

// At returns the newest state recorded under id.
func (h *History) At(id int64) (State, bool) {
	for k := range h.states {
		s, ok := h.Back(k)
		if !ok {
			break
		}
		if s.ID == id {
			return s, true
		}
	}
	return State{}, false
}

// Reset forgets every state.
func (h *History) Reset() {
	clear(h.states)
	clear(h.filled)
	h.next = 0
}
