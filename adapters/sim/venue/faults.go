package venue

import (
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/unified"
)

// What the conformance suite (exchangetest) drives and inspects: the
// venue's own books, the account's orders, and faults on demand.

// BookAt returns the venue's book of symbol at sequence nonce, when
// Config.History still holds it.
func (v *Venue) BookAt(symbol string, nonce int64) (bids, asks []unified.Level, ok bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	b := v.bookOf(symbol)
	if b == nil {
		return nil, nil, false
	}
	for i := range b.history {
		s := &b.history[i]
		if s.seq == nonce && (s.bids != nil || s.asks != nil) {
			return levels(b.m, s.bids), levels(b.m, s.asks), true
		}
	}
	return nil, nil, false
}

func levels(m *Market, pairs []int64) []unified.Level {
	out := make([]unified.Level, 0, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, unified.Level{Price: m.price(pairs[i]), Amount: m.amount(pairs[i+1])})
	}
	return out
}

// OrderRequest returns the i-th order of a test: a small limit order of
// the account, alternately buying and selling a spot market, one tick
// inside the touch when the spread allows, so that the crowd's market
// orders soon fill it.
func (v *Venue) OrderRequest(i int) unified.OrderRequest {
	v.mu.Lock()
	defer v.mu.Unlock()
	var spot []*book
	for _, b := range v.markets {
		if !b.m.Perpetual {
			spot = append(spot, b)
		}
	}
	b := spot[(i/2)%len(spot)]
	buy := i%2 == 0
	price := b.mid()
	if bb, a := b.bids.best(), b.asks.best(); bb != nil && a != nil {
		if buy {
			price = min(bb.price+1, a.price-1)
		} else {
			price = max(a.price-1, bb.price+1)
		}
	}
	// Enough lots for twice the minimum value, and at least the minimum amount.
	lots := b.m.MinLots
	for b.m.notional(price, lots).LessThan(b.m.MinNotional.Mul(decimal.NewFromInt(2))) {
		lots *= 2
	}
	side := unified.SideSell
	if buy {
		side = unified.SideBuy
	}
	return unified.OrderRequest{Symbol: b.symbol(), Type: unified.OrderTypeLimit, Side: side,
		Amount: b.m.amount(lots), Price: decimal.NewNullDecimal(b.m.price(price))}
}

// Orders returns every order of the account as the venue holds it.
func (v *Venue) Orders() []unified.Order {
	v.mu.Lock()
	defer v.mu.Unlock()
	out := make([]unified.Order, 0, len(v.acct.list))
	for _, o := range v.acct.list {
		status := unified.StatusOpen
		switch o.status {
		case StateFilled:
			status = unified.StatusClosed
		case StateCanceled:
			status = unified.StatusCanceled
		case StateExpired:
			status = unified.StatusExpired
		}
		out = append(out, unified.Order{ID: o.id, Symbol: o.b.symbol(), Status: status,
			Amount: decimal.NewNullDecimal(o.b.m.amount(o.lots)), Filled: decimal.NewNullDecimal(o.b.m.amount(o.filled))})
	}
	return out
}

// Balance returns the account's free and used amounts of code.
func (v *Venue) Balance(code string) (free, used decimal.Decimal) {
	v.mu.Lock()
	defer v.mu.Unlock()
	used = v.acct.used(code)
	return v.acct.totals[code].Sub(used), used
}

// Gap makes symbol's next delta skip a sequence number.
func (v *Venue) Gap(symbol string) { v.withBookOf(symbol, func(b *book) { b.gapNext = true }) }

// CorruptChecksum makes symbol's next delta carry a wrong checksum.
func (v *Venue) CorruptChecksum(symbol string) {
	v.withBookOf(symbol, func(b *book) { b.corrupt = true })
}

func (v *Venue) withBookOf(symbol string, fn func(b *book)) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if b := v.bookOf(symbol); b != nil {
		fn(b)
	}
}

// Garbage sends malformed and unknown frames on every connection.
func (v *Venue) Garbage() {
	for _, c := range v.ws.Conns() {
		_ = c.Send([]byte(`{"ch":"book:BTCUSDT","type":"delta","seq":`))
		_ = c.Send([]byte(`{"ch":"nonsense","data":1}`))
		_ = c.Send([]byte(`not json at all`))
	}
}

// Drop closes every WebSocket connection abruptly.
func (v *Venue) Drop() { v.ws.DropAll() }

// Silence makes every WebSocket connection half-open.
func (v *Venue) Silence() { v.ws.SilenceAll() }

// Outage drops every WebSocket connection and refuses new ones (on), or
// accepts them again (off). REST goes on working.
func (v *Venue) Outage(on bool) { v.ws.Outage(on) }

// Throttle refuses every REST request for d with 429 and Retry-After.
func (v *Venue) Throttle(d time.Duration) { v.api.Throttle(d) }

// Throttled returns how many requests the throttle has refused.
func (v *Venue) Throttled() int { return v.api.Throttled() }

// Maintenance answers every REST request with a 503 maintenance page (on).
func (v *Venue) Maintenance(on bool) { v.api.Maintenance(on) }

// Skew sets how far the venue's clock runs ahead of the local one.
func (v *Venue) Skew(d time.Duration) { v.api.Skew(d) }

// ExpireAuth refuses the credentials as expired (on), or accepts them again.
func (v *Venue) ExpireAuth(on bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.acct.expired = on
}

// RejectSignatures checks signatures with another secret (on).
func (v *Venue) RejectSignatures(on bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.acct.rotated = on
}

// PushStale sends, on the orders channel, the state an order had when it
// was placed: what a late reconciliation reply looks like to an adapter,
// which must not let it replace the newer state it holds.
func (v *Venue) PushStale(id string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	o := v.acct.orders[id]
	if o == nil {
		return
	}
	w := o.wire()
	w.Status, w.Filled, w.Cost, w.Fee, w.Updated = StateNew, "0", "0", "0", w.Created
	v.sendJSON(v.subs["orders"], push{"orders", []wireOrder{w}})
}

// Requests returns how many REST requests the venue has received.
func (v *Venue) Requests() int { return v.api.Requests() }

// Dials returns how many WebSocket connections have been opened to the venue.
func (v *Venue) Dials() int { return v.ws.Dials() }

// DeltaFrames runs the crowd on symbol's market until n book deltas of at
// least levels changed levels each have accumulated, applies them, and
// returns them encoded without sending them: benchmarks send them later
// with Send, so that making frames is not timed.
func (v *Venue) DeltaFrames(symbol string, n, levels int) [][]byte {
	v.mu.Lock()
	defer v.mu.Unlock()
	b := v.bookOf(symbol)
	now := v.now()
	frames := make([][]byte, 0, n)
	for range n {
		for b.distinctChanges() < levels {
			v.crowdLimit(b)
		}
		prev := b.seq
		b.seq++
		b.record()
		frames = append(frames, b.appendFrame(nil, "delta", prev, now, b.changes(b.dirtyBids, &b.bids), b.changes(b.dirtyAsks, &b.asks), b.checksum()))
		b.dirtyBids, b.dirtyAsks = b.dirtyBids[:0], b.dirtyAsks[:0]
		v.trim(b)
	}
	return frames
}

// Send writes frames, in order, to every subscriber of channel.
func (v *Venue) Send(channel string, frames ...[]byte) {
	v.mu.Lock()
	defer v.mu.Unlock()
	for c := range v.subs[channel] {
		for _, f := range frames {
			_ = c.Send(f)
		}
	}
}

// Seq returns the sequence number of symbol's last book change.
func (v *Venue) Seq(symbol string) int64 {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.bookOf(symbol).seq
}

// distinctChanges sorts and compacts the changed prices and counts them.
func (b *book) distinctChanges() int {
	slices.Sort(b.dirtyBids)
	b.dirtyBids = slices.Compact(b.dirtyBids)
	slices.Sort(b.dirtyAsks)
	b.dirtyAsks = slices.Compact(b.dirtyAsks)
	return len(b.dirtyBids) + len(b.dirtyAsks)
}
