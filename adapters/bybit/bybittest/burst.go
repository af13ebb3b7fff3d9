package bybittest

import (
	"errors"
	"slices"

	"github.com/unifex-go/unifex/internal/fakebook"
	"github.com/unifex-go/unifex/internal/fakeserver"
)

// Bursts: consecutive orderbook deltas of one symbol at one depth, made in
// advance and written as fast as the connections take them, for
// throughput and latency benchmarks of a client.

// BookBurst is a run of consecutive orderbook.{depth} deltas of one
// symbol, made by PrepareBookBurst and written by Send.
type BookBurst struct {
	s      *Server
	m      *market
	topic  string // the subscription key: category|orderbook.{depth}.{id}
	frames fakeserver.Frames
	last   int64 // u of the last delta
}

// Deepen quotes levels on each side of symbol's book, on the crowd's grid
// from the side's worst level outwards, until each side holds levels
// levels (at most 1000, the deepest topic), and publishes the change as
// Step does. Step's crowd trims the book back to its 40 levels; a burst
// keeps it as deep as it is.
func (s *Server) Deepen(symbol string, levels int) error {
	if levels < 1 || levels > depths[len(depths)-1] {
		return errors.New("bybittest: a book is 1 to 1000 levels deep")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.marketOf(symbol)
	if m == nil {
		return errors.New("bybittest: no market " + symbol)
	}
	s.churn(m, levels).Deepen(&m.book.bids, &m.book.asks, levels, func(bid bool, price, qty, _ int64) { m.book.set(bid, price, qty) })
	s.publishLocked(m, nil, s.now())
	return nil
}

// churn draws the level changes of m's bursts: on the crowd's grid, with
// its sizes, a side between the crowd's minimum and the book's depth now
// (at least the crowd's maximum), never deeper than limit.
func (s *Server) churn(m *market, limit int) fakebook.Churn {
	depth := max(maxLevels, len(m.book.bids.Levels), len(m.book.asks.Levels))
	return fakebook.Churn{Rand: s.rng, Spacing: spacing(m), MinLevels: minLevels, MaxLevels: min(depth, limit),
		Size: func() int64 { return s.quoteSize(m) }}
}

// PrepareBookBurst makes n consecutive orderbook.{depth} deltas of symbol
// (depth 50, 200 or 1000), each changing exactly changes distinct levels
// (about three in five new quantities at resting levels, the rest levels
// removed and levels added, half on each side, the book never crossed nor
// deeper than it is, than 40 levels, or than depth, so that the topic
// shows the whole book), and encodes each once.
//
// The updates are applied to the server's book at once, and every state is
// remembered for BookAt as Step's are (within Config.History): a client
// that subscribes before the burst is sent gets a snapshot of its end.
// Send the burst before the next Step, or subscribers see a gap. Only
// subscribers of orderbook.{depth} get the burst; the symbol's other
// topics get its net change with the next Step.
func (s *Server) PrepareBookBurst(symbol string, depth, n, changes int) (*BookBurst, error) {
	if n < 1 || changes < 1 || changes > maxLevels || depth == 1 || !slices.Contains(depths, depth) {
		return nil, errors.New("bybittest: a burst needs a depth of 50, 200 or 1000 and at least one update of 1 to 40 changes")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.marketOf(symbol)
	if m == nil {
		return nil, errors.New("bybittest: no market " + symbol)
	}
	if len(m.book.bids.Levels) > depth || len(m.book.asks.Levels) > depth {
		return nil, errors.New("bybittest: the book is deeper than the burst's topic shows")
	}
	t := "orderbook." + itoa(int64(depth)) + "." + m.id
	b := &BookBurst{s: s, m: m, topic: string(m.cat) + "|" + t}
	churn, now := s.churn(m, depth), s.now()
	for range n {
		churn.Changes(&m.book.bids, &m.book.asks, changes, m.book.set)
		m.book.seal(s.nextSeqLocked())
		was, v := m.views[depth], m.book.view(depth)
		m.views[depth] = v
		delta := bookState{u: v.u, seq: v.seq, bids: diff(was.bids, v.bids, true), asks: diff(was.asks, v.asks, false)}
		frame := mustJSON(m.bookMessage(depth, "delta", delta, now))
		b.frames.Append(n, func(dst []byte) []byte { return append(dst, frame...) })
		b.last = v.u
	}
	return b, nil
}

// Len is the number of deltas in the burst.
func (b *BookBurst) Len() int { return b.frames.Len() }

// LastUpdateID is the u of the burst's last delta: the nonce of a client's
// book once it has applied the whole burst.
func (b *BookBurst) LastUpdateID() int64 { return b.last }

// Bytes is the size of delta i on the wire.
func (b *BookBurst) Bytes(i int) int { return len(b.frames.Frame(i)) }

// Send writes deltas i to j-1, in order, to every connection subscribed to
// the burst's topic, through each connection's queue like every other
// message, waiting while a queue is full rather than dropping the client.
// It returns once the last delta is queued (the connections' writers send
// it on); a connection that ends is skipped.
func (b *BookBurst) Send(i, j int) {
	var queues []fakeserver.Queue
	b.s.mu.Lock()
	for ss := range b.s.subs[b.topic] {
		queues = append(queues, fakeserver.Queue{Out: ss.out, Done: ss.c.Done()})
	}
	b.s.mu.Unlock()
	b.frames.Send(i, j, queues)
}
