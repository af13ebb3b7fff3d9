package venue

import (
	"hash/crc32"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/internal/fakeserver"
)

// book is one market's live state: its two ladders, the crowd's fair
// price, the changes not yet published, the tape and the candles.
type book struct {
	m          *Market
	bids, asks ladder
	fair       int64 // the crowd's idea of the price, in ticks
	seq        int64 // of the last published book change
	last       int64 // last trade price, in ticks
	candles    *candles

	dirtyBids, dirtyAsks []int64     // prices changed since the last publication
	prints               []wireTrade // trades since the last publication
	tape                 []wireTrade // the last MaxLimit trades

	history  []bookState // ring of the last states, when Config.History > 0
	historyN int
	gapNext  bool // the next delta skips a sequence number
	corrupt  bool // the next delta carries a wrong checksum

	nextFunding time.Time       // the perpetual's next funding
	prevRate    decimal.Decimal // and its last one
	prevFunding time.Time

	lastTouch   touch       // the touch last published on "bbo:"
	lastFunding wireFunding // the funding last published on "funding:"
}

// bookState is a book at one sequence number, as tick/lot pairs.
type bookState struct {
	seq        int64
	bids, asks []int64
}

func newBook(m *Market, history int) *book {
	b := &book{m: m, bids: ladder{bids: true}, asks: ladder{}, fair: m.StartPrice, last: m.StartPrice}
	if history > 0 {
		b.history = make([]bookState, history)
	}
	return b
}

// Symbol of the book's market.
func (b *book) symbol() string { return b.m.Symbol() }

// side returns the ladder of one side.
func (b *book) side(bid bool) *ladder {
	if bid {
		return &b.bids
	}
	return &b.asks
}

// touch records that price changed on one side.
func (b *book) touch(bid bool, price int64) {
	if bid {
		b.dirtyBids = append(b.dirtyBids, price)
	} else {
		b.dirtyAsks = append(b.dirtyAsks, price)
	}
}

// settle forgets unpublished changes (after the warm-up).
func (b *book) settle() {
	b.dirtyBids, b.dirtyAsks, b.prints = b.dirtyBids[:0], b.dirtyAsks[:0], b.prints[:0]
	b.record()
}

// mid is the middle of the touch in ticks, the last price when a side is empty.
func (b *book) mid() int64 {
	bb, ba := b.bids.best(), b.asks.best()
	if bb == nil || ba == nil {
		return b.last
	}
	return (bb.price + ba.price) / 2
}

// crowdLocked makes one event of the crowd on b: the fair price moves a
// little, then someone places a limit order, cancels one, or sends a
// market order.
func (v *Venue) crowdLocked(b *book, now time.Time) {
	sp := b.m.Spacing
	b.fair += int64(math.Round(v.rng.NormFloat64()*float64(sp)*0.4)) + (b.m.StartPrice-b.fair)/4096
	b.fair = max(b.fair, 20*sp)
	switch r := v.rng.IntN(100); {
	case r < 10:
		v.crowdMarket(b, now)
	case r < 55:
		v.crowdLimit(b)
	default:
		// Cancels thin out a full book; a thin one is refilled instead.
		if bid := r%2 == 0; len(b.side(bid).levels) >= v.cfg.Depth*3/4 {
			v.crowdCancel(b, bid)
		} else {
			v.crowdLimit(b)
		}
	}
	v.trim(b)
}

// crowdLimit places a crowd order on the grid around the fair price,
// never crossing the other side: most near the touch, some deep.
func (v *Venue) crowdLimit(b *book) {
	sp := b.m.Spacing
	bid := v.rng.IntN(2) == 0
	k := int64(v.rng.ExpFloat64() * float64(v.cfg.Depth) / 4)
	var price int64
	if bid {
		price = (b.fair/sp)*sp - k*sp
		if a := b.asks.best(); a != nil && price >= a.price {
			price = a.price - 1
		}
	} else {
		price = (b.fair/sp+1)*sp + k*sp
		if bb := b.bids.best(); bb != nil && price <= bb.price {
			price = bb.price + 1
		}
	}
	if price <= 0 {
		return
	}
	lots := b.m.MinLots * int64(math.Exp(v.rng.Float64()*math.Log(20000))) // log-uniform up to 20000 minimums
	b.side(bid).add(price, &resting{lots: lots})
	b.touch(bid, price)
}

// crowdCancel cancels a crowd order of one side, more likely near the
// touch.
func (v *Venue) crowdCancel(b *book, bid bool) {
	l := b.side(bid)
	if len(l.levels) == 0 {
		return
	}
	lv := l.levels[min(int(v.rng.ExpFloat64()*12), len(l.levels)-1)]
	r := lv.orders[v.rng.IntN(len(lv.orders))]
	if r.own != nil {
		return
	}
	price := lv.price
	l.remove(price, r)
	b.touch(bid, price)
}

// crowdMarket sends a crowd market order, buying when asks are cheap
// against the fair price and selling when bids are rich.
func (v *Venue) crowdMarket(b *book, now time.Time) {
	buy := v.rng.IntN(2) == 0
	if a := b.asks.best(); a != nil && a.price < b.fair-b.m.Spacing {
		buy = true
	} else if bb := b.bids.best(); bb != nil && bb.price > b.fair+b.m.Spacing {
		buy = false
	}
	top := b.side(!buy).best()
	if top == nil {
		return
	}
	lots := max(b.m.MinLots, int64(float64(top.total)*(0.2+1.6*v.rng.Float64())))
	fills := b.side(!buy).take(lots, 0, true, nil, nil)
	v.printLocked(b, buy, fills, now)
}

// printLocked records the trades of a taker on b: the tape, the candles,
// the touched levels, and the account's side of each fill of its own
// resting orders.
func (v *Venue) printLocked(b *book, takerBuy bool, fills []fill, now time.Time) {
	side := "sell"
	if takerBuy {
		side = "buy"
	}
	for _, f := range fills {
		v.tradeSeq++
		t := wireTrade{ID: strconv.FormatInt(v.tradeSeq, 10), Price: string(appendFixed(nil, f.price, b.m.PriceDecimals)),
			Amount: string(appendFixed(nil, f.lots, b.m.AmountDecimals)), Side: side, TS: now.UnixMilli()}
		b.prints = append(b.prints, t)
		b.tape = append(b.tape, t)
		b.candles.trade(now, f.price, f.lots)
		b.last = f.price
		b.touch(!takerBuy, f.price)
		if f.maker.own != nil {
			v.fillLocked(f.maker.own, f.price, f.lots, true, now)
		}
	}
	if over := len(b.tape) - MaxLimit; over > MaxLimit {
		b.tape = append(b.tape[:0], b.tape[over:]...)
	}
}

// trim drops the crowd's levels beyond the depth the venue keeps.
func (v *Venue) trim(b *book) {
	for _, bid := range []bool{true, false} {
		l := b.side(bid)
		for len(l.levels) > v.cfg.Depth {
			lv := l.levels[len(l.levels)-1]
			if slices.ContainsFunc(lv.orders, func(r *resting) bool { return r.own != nil }) {
				break // the account's orders stay, however far
			}
			l.levels = l.levels[:len(l.levels)-1]
			b.touch(bid, lv.price)
		}
	}
}

// record remembers the current state for BookAt.
func (b *book) record() {
	if len(b.history) == 0 {
		return
	}
	s := &b.history[b.historyN%len(b.history)]
	s.seq = b.seq
	s.bids = b.bids.levelsTo(s.bids[:0], 0)
	s.asks = b.asks.levelsTo(s.asks[:0], 0)
	b.historyN++
}

// publishBookLocked sends the book's changes since the last publication
// as a delta to its subscribers, its touch and funding when they changed,
// and its trades, ticker and candles.
func (v *Venue) publishBookLocked(b *book, now time.Time) {
	if len(b.dirtyBids)+len(b.dirtyAsks) > 0 {
		if b.gapNext { // as if the delta before this one were lost
			b.gapNext = false
			b.seq++
		}
		prev := b.seq
		b.seq++
		b.record()
		if subs := v.subs["book:"+b.m.ID]; len(subs) > 0 {
			cs := b.checksum()
			if b.corrupt {
				b.corrupt = false
				cs ^= 0x5a5a
			}
			frame := b.appendFrame(nil, "delta", prev, now, b.changes(b.dirtyBids, &b.bids), b.changes(b.dirtyAsks, &b.asks), cs)
			sendAll(subs, frame)
		}
		b.dirtyBids, b.dirtyAsks = b.dirtyBids[:0], b.dirtyAsks[:0]
	}
	v.publishTickersLocked(b, now)
	if len(b.prints) == 0 {
		return
	}
	if subs := v.subs["trades:"+b.m.ID]; len(subs) > 0 {
		v.sendJSON(subs, struct {
			Ch   string      `json:"ch"`
			Data []wireTrade `json:"data"`
		}{"trades:" + b.m.ID, b.prints})
	}
	if subs := v.subs["ticker:"+b.m.ID]; len(subs) > 0 {
		v.sendJSON(subs, struct {
			Ch   string     `json:"ch"`
			Data wireTicker `json:"data"`
		}{"ticker:" + b.m.ID, v.ticker(b, now)})
	}
	for tf, d := range timeframes {
		ch := "ohlcv:" + tf + ":" + b.m.ID
		if subs := v.subs[ch]; len(subs) > 0 {
			bars := b.candles.bars(d, now.Truncate(d), time.Time{}, now, 1)
			v.sendJSON(subs, struct {
				Ch   string  `json:"ch"`
				Data [][]any `json:"data"`
			}{ch, wireBars(b.m, bars)})
		}
	}
	b.prints = b.prints[:0]
}

// changes returns the levels at the changed prices with their new totals
// (0: gone), sorted and without repeats, as tick/lot pairs.
func (b *book) changes(prices []int64, l *ladder) []int64 {
	slices.Sort(prices)
	prices = slices.Compact(prices)
	out := make([]int64, 0, 2*len(prices))
	for _, p := range prices {
		out = append(out, p, l.total(p))
	}
	return out
}

// appendFrame appends a book message with levels given as tick/lot pairs.
func (b *book) appendFrame(dst []byte, kind string, prev int64, now time.Time, bids, asks []int64, cs int64) []byte {
	dst = append(dst, `{"ch":"book:`...)
	dst = append(dst, b.m.ID...)
	dst = append(dst, `","type":"`...)
	dst = append(dst, kind...)
	dst = append(dst, `","seq":`...)
	dst = strconv.AppendInt(dst, b.seq, 10)
	dst = append(dst, `,"prev":`...)
	dst = strconv.AppendInt(dst, prev, 10)
	dst = append(dst, `,"ts":`...)
	dst = strconv.AppendInt(dst, now.UnixMilli(), 10)
	dst = append(dst, `,"bids":`...)
	dst = b.appendLevels(dst, bids)
	dst = append(dst, `,"asks":`...)
	dst = b.appendLevels(dst, asks)
	dst = append(dst, `,"cs":`...)
	dst = strconv.AppendInt(dst, cs, 10)
	return append(dst, '}')
}

func (b *book) appendLevels(dst []byte, pairs []int64) []byte {
	dst = append(dst, '[')
	for i := 0; i < len(pairs); i += 2 {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `["`...)
		dst = appendFixed(dst, pairs[i], b.m.PriceDecimals)
		dst = append(dst, `","`...)
		dst = appendFixed(dst, pairs[i+1], b.m.AmountDecimals)
		dst = append(dst, `"]`...)
	}
	return append(dst, ']')
}

// snapshotFrame is the full book, sent on subscription.
func (b *book) snapshotFrame(now time.Time) []byte {
	return b.appendFrame(nil, "snapshot", -1, now, b.bids.levelsTo(nil, 0), b.asks.levelsTo(nil, 0), b.checksum())
}

// checksum is the CRC-32 of the top 25 levels interleaved in wire text,
// as a signed 32-bit number.
func (b *book) checksum() int64 {
	buf := make([]byte, 0, 1024)
	for i := 0; i < 25; i++ {
		for _, l := range []*ladder{&b.bids, &b.asks} {
			if i >= len(l.levels) {
				continue
			}
			if len(buf) > 0 {
				buf = append(buf, ':')
			}
			buf = appendFixed(buf, l.levels[i].price, b.m.PriceDecimals)
			buf = append(buf, ':')
			buf = appendFixed(buf, l.levels[i].total, b.m.AmountDecimals)
		}
	}
	return int64(int32(crc32.ChecksumIEEE(buf)))
}

// sendAll sends frame to every subscriber.
func sendAll(subs map[*fakeserver.Conn]bool, frame []byte) {
	for c := range subs {
		_ = c.Send(frame)
	}
}

// wireBars is bars on the wire: [openMs, "o", "h", "l", "c", "volume"].
func wireBars(m *Market, bars []bar) [][]any {
	out := make([][]any, len(bars))
	for i, k := range bars {
		out[i] = []any{k.start.UnixMilli(), string(appendFixed(nil, k.open, m.PriceDecimals)),
			string(appendFixed(nil, k.high, m.PriceDecimals)), string(appendFixed(nil, k.low, m.PriceDecimals)),
			string(appendFixed(nil, k.close, m.PriceDecimals)), string(appendFixed(nil, k.volume, m.AmountDecimals))}
	}
	return out
}

// ticker is the market's ticker now.
func (v *Venue) ticker(b *book, now time.Time) wireTicker {
	d := b.candles.day(now)
	m := b.m
	t := wireTicker{Market: m.ID, TS: now.UnixMilli(), Last: string(appendFixed(nil, b.last, m.PriceDecimals)),
		Open: string(appendFixed(nil, d.open, m.PriceDecimals)), High: string(appendFixed(nil, d.high, m.PriceDecimals)),
		Low: string(appendFixed(nil, d.low, m.PriceDecimals)), Volume: string(appendFixed(nil, d.volume, m.AmountDecimals)),
		QuoteVolume: string(appendFixed(nil, d.quoteVolume, m.PriceDecimals+m.AmountDecimals))}
	if bb := b.bids.best(); bb != nil {
		t.Bid, t.BidSize = string(appendFixed(nil, bb.price, m.PriceDecimals)), string(appendFixed(nil, bb.total, m.AmountDecimals))
	}
	if a := b.asks.best(); a != nil {
		t.Ask, t.AskSize = string(appendFixed(nil, a.price, m.PriceDecimals)), string(appendFixed(nil, a.total, m.AmountDecimals))
	}
	if m.Perpetual {
		t.Mark, t.Index = string(appendFixed(nil, b.mid(), m.PriceDecimals)), string(appendFixed(nil, b.fair, m.PriceDecimals))
	}
	return t
}
