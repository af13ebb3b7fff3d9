package binancetest

import (
	"errors"

	"github.com/unifex-go/unifex/internal/fakebook"
	"github.com/unifex-go/unifex/internal/fakeserver"
)

// Bursts: consecutive diff-depth updates of one symbol made in advance
// and written as fast as the connections take them, for throughput and
// latency benchmarks of a client.

// BurstStream is the depth stream suffix a burst is encoded for; its
// subscribers get the prepared frames as they are, subscribers of the
// symbol's other diff-depth streams get them wrapped on the way.
const BurstStream = "@depth@100ms"

// DepthBurst is a run of consecutive depth updates of one symbol, made by
// PrepareDepthBurst and written by Send.
type DepthBurst struct {
	s      *Server
	m      *market
	frames fakeserver.Frames // combined-stream form
	prefix int               // length of {"stream":"<s>@depth@100ms","data":
	last   int64             // u of the last update
}

// PrepareDepthBurst makes n consecutive depth updates of symbol, each
// changing exactly changes distinct levels (about three in five are new
// quantities at resting levels, the rest levels removed and levels added,
// half on each side, the book never crossed), and encodes each once.
//
// The updates are applied to the server's book at once, and every state is
// remembered for BookAt as Step's are (within Config.History): a REST
// snapshot taken before the burst is sent sees the book at its end, as
// from a venue whose stream lags. Send the burst before the next Step,
// or subscribers see a gap.
func (s *Server) PrepareDepthBurst(symbol string, n, changes int) (*DepthBurst, error) {
	if n < 1 || changes < 1 || changes > maxLevels {
		return nil, errors.New("binancetest: a burst needs at least one update of 1 to 40 changes")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.marketOf(symbol)
	if m == nil {
		return nil, errors.New("binancetest: no market " + symbol)
	}
	b := &DepthBurst{s: s, m: m}
	head := wrap(m.stream+BurstStream, nil)
	b.prefix = len(head) - 1 // without the closing brace
	now := s.now()
	churn := fakebook.Churn{Rand: s.rng, Spacing: spacing(m), MinLevels: minLevels, MaxLevels: maxLevels,
		Size: func() int64 { return s.quoteSize(m) }}
	for range n {
		churn.Changes(&m.book.bids, &m.book.asks, changes, m.book.set)
		ev, _ := m.book.seal(now, s.cfg.Product.futures(), s.rng)
		b.frames.Append(n, func(dst []byte) []byte {
			dst = append(dst, head[:b.prefix]...)
			return append(s.depthPayload(m, ev, dst), '}')
		})
		b.last = ev.last
	}
	m.book.sent = nil // the next Step's overlap fault starts from its own event
	return b, nil
}

// Len is the number of updates in the burst.
func (b *DepthBurst) Len() int { return b.frames.Len() }

// LastUpdateID is the u of the burst's last update: the nonce of a client's
// book once it has applied the whole burst.
func (b *DepthBurst) LastUpdateID() int64 { return b.last }

// Bytes is the size of update i as the subscribers of BurstStream receive
// it (the combined-stream form).
func (b *DepthBurst) Bytes(i int) int { return len(b.frames.Frame(i)) }

// Send writes updates i to j-1, in order, to every connection subscribed
// to one of the symbol's diff-depth streams, through each connection's
// queue like every other event, waiting while a queue is full rather than
// dropping the client. It returns once the last update is queued (the
// connections' writers send it on); a connection that ends is skipped.
func (b *DepthBurst) Send(i, j int) {
	var queues []fakeserver.Queue
	b.s.mu.Lock()
	for _, suffix := range depthSuffixes {
		name := b.m.stream + suffix
		for sess := range b.s.subs[name] {
			q := fakeserver.Queue{Out: sess.c.out, Done: sess.c.done}
			switch {
			case !sess.combined: // the raw event
				q.Form = func(f []byte) []byte { return f[b.prefix : len(f)-1] }
			case suffix != BurstStream: // rewrapped under the subscriber's stream
				q.Form = func(f []byte) []byte { return wrap(name, f[b.prefix:len(f)-1]) }
			}
			queues = append(queues, q)
		}
	}
	b.s.mu.Unlock()
	b.frames.Send(i, j, queues)
}
