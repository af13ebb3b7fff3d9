package okxtest

import (
	"errors"

	"github.com/unifex-go/unifex/internal/fakebook"
	"github.com/unifex-go/unifex/internal/fakeserver"
)

// Bursts: consecutive books updates of one instrument made in advance and
// written as fast as the connections take them, for throughput and latency
// benchmarks of a client.

// maxBooksDepth is the depth of the books channel's snapshot and of the
// REST book: a burst keeps the book within it.
const maxBooksDepth = 400

// BooksBurst is a run of consecutive books updates of one instrument, made
// by PrepareBooksBurst and written by Send.
type BooksBurst struct {
	s      *Server
	m      *market
	frames fakeserver.Frames
	last   int64 // seqId of the last update
}

// Deepen quotes levels on each side of symbol's book, on the crowd's grid
// from the side's worst level outwards, until each side holds levels
// levels (at most 400, what the books snapshot and REST book show), and
// publishes the change as one update, as Step does. Step's crowd trims the
// book back to its 40 levels; a burst keeps it as deep as it is.
func (s *Server) Deepen(symbol string, levels int) error {
	if levels < 1 || levels > maxBooksDepth {
		return errors.New("okxtest: a book is 1 to 400 levels deep")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.marketOf(symbol)
	if m == nil {
		return errors.New("okxtest: no instrument " + symbol)
	}
	s.churn(m).Deepen(&m.book.bids, &m.book.asks, levels, m.book.set)
	s.publishBookLocked(m, s.now())
	return nil
}

// churn draws the level changes of m's bursts: on the crowd's grid, with
// its sizes, a side between the crowd's minimum and the book's depth now
// (at least the crowd's maximum, at most 400).
func (s *Server) churn(m *market) fakebook.Churn {
	depth := max(maxLevels, len(m.book.bids.Levels), len(m.book.asks.Levels))
	return fakebook.Churn{Rand: s.rng, Spacing: spacing(m), MinLevels: minLevels, MaxLevels: min(depth, maxBooksDepth),
		Size: func() int64 { return s.quoteSize(m) }}
}

// PrepareBooksBurst makes n consecutive books updates of symbol, each
// changing exactly changes distinct levels (about three in five new sizes
// at resting levels, the rest levels removed and levels added, half on
// each side, the book never crossed nor deeper than it is, or than 40
// levels), and encodes each once, with the checksum Config.Checksum says.
//
// The updates are applied to the server's book at once, and every state is
// remembered for BookAt as Step's are (within Config.History): a client
// that subscribes or fetches the REST book before the burst is sent sees
// the book at its end. Send the burst before the next Step, or subscribers
// see a gap. Only subscribers of books get the burst; books5, bbo-tbt and
// tickers catch up with the next Step.
func (s *Server) PrepareBooksBurst(symbol string, n, changes int) (*BooksBurst, error) {
	if n < 1 || changes < 1 || changes > maxLevels {
		return nil, errors.New("okxtest: a burst needs at least one update of 1 to 40 changes")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.marketOf(symbol)
	if m == nil {
		return nil, errors.New("okxtest: no instrument " + symbol)
	}
	b := &BooksBurst{s: s, m: m}
	churn, now := s.churn(m), s.now()
	for range n {
		churn.Changes(&m.book.bids, &m.book.asks, changes, func(bid bool, px, sz int64) {
			m.book.set(bid, px, sz, min(sz, 1)) // one order at a level set, none at a level removed
		})
		u, _ := m.book.seal(s.rng)
		u.checksum = s.checksumLocked(m)
		frame := s.booksFrame(m, "update", u, now)
		b.frames.Append(n, func(dst []byte) []byte { return append(dst, frame...) })
		b.last = u.seq
	}
	return b, nil
}

// Len is the number of updates in the burst.
func (b *BooksBurst) Len() int { return b.frames.Len() }

// LastSeqID is the seqId of the burst's last update: the nonce of a
// client's book once it has applied the whole burst.
func (b *BooksBurst) LastSeqID() int64 { return b.last }

// Bytes is the size of update i on the wire.
func (b *BooksBurst) Bytes(i int) int { return len(b.frames.Frame(i)) }

// Send writes updates i to j-1, in order, to every connection subscribed
// to the instrument's books, through each connection's queue like every
// other push, waiting while a queue is full rather than dropping the
// client. It returns once the last update is queued (the connections'
// writers send it on); a connection that ends is skipped.
func (b *BooksBurst) Send(i, j int) {
	var queues []fakeserver.Queue
	b.s.mu.Lock()
	b.s.each("books", b.m.id, func(sess *session) {
		queues = append(queues, fakeserver.Queue{Out: sess.out, Done: sess.c.Done()})
	})
	b.s.mu.Unlock()
	b.frames.Send(i, j, queues)
}
