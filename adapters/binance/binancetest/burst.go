package binancetest

import (
	"errors"
	"slices"
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
	buf    []byte // every frame, combined-stream form, back to back
	ends   []int  // frame i is buf[ends[i-1]:ends[i]] (ends[-1] = 0)
	prefix int    // length of {"stream":"<s>@depth@100ms","data":
	last   int64  // u of the last update
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
	b := &DepthBurst{s: s, m: m, ends: make([]int, 0, n)}
	head := wrap(m.stream+BurstStream, nil)
	b.prefix = len(head) - 1 // without the closing brace
	now := s.now()
	for range n {
		s.burstChanges(m, changes)
		ev, _ := m.book.seal(now, s.cfg.Product.futures(), s.rng)
		b.buf = append(b.buf, head[:b.prefix]...)
		b.buf = s.depthPayload(m, ev, b.buf)
		b.buf = append(b.buf, '}')
		b.ends = append(b.ends, len(b.buf))
		b.last = ev.last
		if len(b.ends) == 1 { // room for the rest, with a margin for longer numbers
			b.buf = slices.Grow(b.buf, len(b.buf)*(n-1)*9/8)
		}
	}
	m.book.sent = nil // the next Step's overlap fault starts from its own event
	return b, nil
}

// burstChanges makes changes distinct level changes to m's book, pending
// for the next seal.
func (s *Server) burstChanges(m *market, changes int) {
	b, sp := m.book, spacing(m)
	touched := func(bid bool, price int64) bool {
		return slices.ContainsFunc(b.pending, func(c change) bool { return c.bid == bid && c.price == price })
	}
	for len(b.pending) < changes {
		bid := len(b.pending)%2 == 0
		side, other := &b.asks, &b.bids
		if bid {
			side, other = &b.bids, &b.asks
		}
		r := s.rng.IntN(10)
		switch {
		case r < 2 && len(side.Levels) > minLevels: // withdraw a level
			lv := side.Levels[s.rng.IntN(len(side.Levels))]
			if !touched(bid, lv.Price) {
				b.set(bid, lv.Price, 0)
			}
		case r < 4 && len(side.Levels) < maxLevels: // quote a level, never crossing
			opp, _ := other.Best()
			price := opp.Price + sp*int64(1+s.rng.IntN(maxLevels))
			if bid {
				price = opp.Price - sp*int64(1+s.rng.IntN(maxLevels))
			}
			if price > 0 && !touched(bid, price) {
				b.set(bid, price, s.quoteSize(m))
			}
		default: // a new quantity at a resting level
			lv := side.Levels[s.rng.IntN(len(side.Levels))]
			if qty := s.quoteSize(m); qty != lv.Qty && !touched(bid, lv.Price) {
				b.set(bid, lv.Price, qty)
			}
		}
	}
}

// Len is the number of updates in the burst.
func (b *DepthBurst) Len() int { return len(b.ends) }

// LastUpdateID is the u of the burst's last update: the nonce of a client's
// book once it has applied the whole burst.
func (b *DepthBurst) LastUpdateID() int64 { return b.last }

// Bytes is the size of update i as the subscribers of BurstStream receive
// it (the combined-stream form).
func (b *DepthBurst) Bytes(i int) int { return len(b.frame(i)) }

// frame is update i in the combined-stream form.
func (b *DepthBurst) frame(i int) []byte {
	start := 0
	if i > 0 {
		start = b.ends[i-1]
	}
	return b.buf[start:b.ends[i]]
}

// Send writes updates i to j-1, in order, to every connection subscribed
// to one of the symbol's diff-depth streams, through each connection's
// queue like every other event, waiting while a queue is full rather than
// dropping the client. It returns once the last update is queued (the
// connections' writers send it on); a connection that ends is skipped.
func (b *DepthBurst) Send(i, j int) {
	type dest struct {
		c      *conn
		stream string // "" for the prepared frames
		wrap   bool   // combined
	}
	var dests []dest
	b.s.mu.Lock()
	for _, suffix := range depthSuffixes {
		name := b.m.stream + suffix
		for sess := range b.s.subs[name] {
			d := dest{c: sess.c, wrap: sess.combined}
			if suffix != BurstStream {
				d.stream = name
			}
			dests = append(dests, d)
		}
	}
	b.s.mu.Unlock()
	for k := i; k < j; k++ {
		f := b.frame(k)
		for n := range dests {
			d := &dests[n]
			if d.c == nil {
				continue
			}
			out := f
			switch {
			case !d.wrap:
				out = f[b.prefix : len(f)-1]
			case d.stream != "":
				out = wrap(d.stream, f[b.prefix:len(f)-1])
			}
			if !d.c.push(out) {
				d.c = nil
			}
		}
	}
}

// push queues a frame, waiting while the queue is full; false when the
// connection has ended.
func (c *conn) push(frame []byte) bool {
	select {
	case <-c.done:
		return false
	case c.out <- frame:
		return true
	}
}
