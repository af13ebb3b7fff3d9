package venue

import (
	"strings"
	"time"
)

// The top-of-book ("bbo:ID") and funding ("funding:ID", perpetuals) channels.

// touch is a book's best bid and ask as tick/lot counts: bid price, bid
// size, ask price, ask size (0 for an empty side).
type touch [4]int64

// touchOf returns b's touch now.
func (b *book) touchOf() touch {
	var t touch
	if l := b.bids.best(); l != nil {
		t[0], t[1] = l.price, l.total
	}
	if l := b.asks.best(); l != nil {
		t[2], t[3] = l.price, l.total
	}
	return t
}

// bboOf is b's touch on the wire, stamped with the book's sequence number.
func (b *book) bboOf(t touch, now time.Time) wireBBO {
	m := b.m
	w := wireBBO{Market: m.ID, TS: now.UnixMilli(), Seq: b.seq}
	if t[1] > 0 {
		w.Bid, w.BidSize = string(appendFixed(nil, t[0], m.PriceDecimals)), string(appendFixed(nil, t[1], m.AmountDecimals))
	}
	if t[3] > 0 {
		w.Ask, w.AskSize = string(appendFixed(nil, t[2], m.PriceDecimals)), string(appendFixed(nil, t[3], m.AmountDecimals))
	}
	return w
}

// publishTickersLocked sends b's touch when it changed since the last
// publication, and a perpetual's funding when any of its values but the
// time changed (computed only while someone subscribes).
func (v *Venue) publishTickersLocked(b *book, now time.Time) {
	if t := b.touchOf(); t != b.lastTouch {
		b.lastTouch = t
		if subs := v.subs["bbo:"+b.m.ID]; len(subs) > 0 {
			v.sendJSON(subs, push{"bbo:" + b.m.ID, b.bboOf(t, now)})
		}
	}
	subs := v.subs["funding:"+b.m.ID]
	if len(subs) == 0 { // nobody to tell; a subscription gets the value of then
		return
	}
	f := v.fundingOf(b, now)
	last := b.lastFunding
	last.TS = f.TS
	if f != last {
		b.lastFunding = f
		v.sendJSON(subs, push{"funding:" + b.m.ID, f})
	}
}

// tickerSnapshot is what a new subscriber of ch gets at once, under the
// lock, so that no later change overtakes it: the current touch or
// funding; nil for other channels.
func (v *Venue) tickerSnapshot(ch string, now time.Time) any {
	kind, id, _ := strings.Cut(ch, ":")
	b := v.byID[id]
	switch {
	case b == nil:
		return nil
	case kind == "bbo":
		return push{ch, b.bboOf(b.touchOf(), now)}
	case kind == "funding":
		b.lastFunding = v.fundingOf(b, now)
		return push{ch, b.lastFunding}
	}
	return nil
}
