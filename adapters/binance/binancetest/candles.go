package binancetest

import (
	"math/rand/v2"
	"time"

	"github.com/shopspring/decimal"
)

// A market's trades and one-minute candles. The candles reach historyDays
// back from the start (a seeded random walk ending at the start price,
// with trade ids numbered through it) and grow with the live trades; every
// other interval is aggregated from them.

// historyDays is how far the candle history reaches back from Start.
const historyDays = 7

// tapeSize is how many recent trades REST trades/aggTrades can return.
const tapeSize = 1000

// trade is one public trade.
type trade struct {
	id         int64
	price, qty int64
	time       time.Time
	buyerMaker bool
}

// candle is one interval's statistics; quantities in wire units, quote
// volumes as decimals (COIN-M: the base-coin volume).
type candle struct {
	open          time.Time
	o, h, l, c    int64
	volume        int64
	quote         decimal.Decimal
	trades        int64
	first, last   int64 // trade ids, -1 when there were none
	takerBuy      int64
	takerBuyQuote decimal.Decimal
}

// tape holds a market's recent trades and its minute candles.
type tape struct {
	recent  []trade // oldest first; the last tapeSize are kept
	nextID  int64
	minutes []candle // one per minute, contiguous, oldest first
}

// newTape makes historyDays of seeded minute candles ending at start
// price just before now's minute.
func newTape(m *market, now time.Time, rng *rand.Rand) *tape {
	n := historyDays * 24 * 60
	t := &tape{minutes: make([]candle, n+1)}
	first := now.Truncate(time.Minute).Add(-time.Duration(n) * time.Minute)
	price := m.startPrice
	for i := n - 1; i >= 0; i-- { // walk backwards from the start price
		c := &t.minutes[i]
		c.open = first.Add(time.Duration(i) * time.Minute)
		c.c = price
		move := m.tick * int64(rng.IntN(21)-10) * max(1, price/m.tick/20000)
		c.o = max(m.tick, price+move)
		c.h = max(c.o, c.c) + m.tick*int64(rng.IntN(4))
		c.l = max(m.tick, min(c.o, c.c)-m.tick*int64(rng.IntN(4)))
		c.volume = m.lot * int64(1+rng.IntN(40))
		c.takerBuy = c.volume / 2
		mid := (c.o + c.c) / 2
		c.quote = m.notional(mid, c.volume)
		c.takerBuyQuote = m.notional(mid, c.takerBuy)
		c.trades = int64(1 + rng.IntN(30))
		price = c.o
	}
	t.nextID = 1
	for i := 0; i < n; i++ {
		c := &t.minutes[i]
		c.first, c.last = t.nextID, t.nextID+c.trades-1
		t.nextID += c.trades
	}
	t.minutes[n] = flat(now.Truncate(time.Minute), m.startPrice)
	return t
}

// flat is a minute with no trades at price.
func flat(open time.Time, price int64) candle {
	return candle{open: open, o: price, h: price, l: price, c: price, first: -1, last: -1}
}

// advance appends flat minutes up to now's minute.
func (t *tape) advance(now time.Time) {
	minute := now.Truncate(time.Minute)
	for last := &t.minutes[len(t.minutes)-1]; last.open.Before(minute); last = &t.minutes[len(t.minutes)-1] {
		t.minutes = append(t.minutes, flat(last.open.Add(time.Minute), last.c))
	}
}

// add records a trade: the tape, and the current minute's candle.
func (t *tape) add(m *market, price, qty int64, buyerMaker bool, now time.Time) trade {
	tr := trade{id: t.nextID, price: price, qty: qty, time: now, buyerMaker: buyerMaker}
	t.nextID++
	if len(t.recent) == 2*tapeSize { // drop the older half: amortized O(1) per trade
		t.recent = append(t.recent[:0], t.recent[tapeSize:]...)
	}
	t.recent = append(t.recent, tr)
	t.advance(now)
	c := &t.minutes[len(t.minutes)-1]
	if c.trades == 0 {
		c.o, c.h, c.l, c.first = price, price, price, tr.id
	}
	c.h, c.l, c.c = max(c.h, price), min(c.l, price), price
	c.volume += qty
	c.quote = c.quote.Add(m.notional(price, qty))
	c.trades++
	c.last = tr.id
	if !buyerMaker { // the taker bought
		c.takerBuy += qty
		c.takerBuyQuote = c.takerBuyQuote.Add(m.notional(price, qty))
	}
	return tr
}

// kept returns the recent trades, oldest first, at most tapeSize.
func (t *tape) kept() []trade { return t.recent[max(0, len(t.recent)-tapeSize):] }

// last is the most recent trade; ok is false before the first live trade.
func (t *tape) last() (trade, bool) {
	if len(t.recent) == 0 {
		return trade{}, false
	}
	return t.recent[len(t.recent)-1], true
}

// lastPrice is the price of the last trade, live or historical.
func (t *tape) lastPrice() int64 { return t.minutes[len(t.minutes)-1].c }

// interval is a kline interval: a fixed length, or calendar months.
type interval struct {
	name   string
	length time.Duration // 0 for 1M
}

// intervals are the kline intervals the fake serves. Spot's 1s is left
// out: the fake keeps one-minute history.
var intervals = func() map[string]interval {
	out := map[string]interval{"1M": {name: "1M"}}
	for name, d := range map[string]time.Duration{
		"1m": time.Minute, "3m": 3 * time.Minute, "5m": 5 * time.Minute, "15m": 15 * time.Minute,
		"30m": 30 * time.Minute, "1h": time.Hour, "2h": 2 * time.Hour, "4h": 4 * time.Hour,
		"6h": 6 * time.Hour, "8h": 8 * time.Hour, "12h": 12 * time.Hour, "1d": 24 * time.Hour,
		"3d": 72 * time.Hour, "1w": 7 * 24 * time.Hour,
	} {
		out[name] = interval{name: name, length: d}
	}
	return out
}()

// intervalNames are the intervals' names, in order.
var intervalNames = sortedKeys(intervals)

// start is the open time of the interval holding t: UTC-aligned; weeks
// start on Monday, months on the 1st.
func (iv interval) start(t time.Time) time.Time {
	t = t.UTC()
	switch iv.name {
	case "1M":
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	case "1w":
		monday := time.Unix(4*24*3600, 0).UTC() // 1970-01-05
		return monday.Add(t.Sub(monday).Truncate(iv.length))
	}
	return t.Truncate(iv.length)
}

// end is the close time of the interval opening at open (its last ms).
func (iv interval) end(open time.Time) time.Time {
	if iv.length == 0 {
		return open.AddDate(0, 1, 0).Add(-time.Millisecond)
	}
	return open.Add(iv.length - time.Millisecond)
}

// klines aggregates the minutes into iv's candles and selects them as the
// REST docs say: open time within [start, end] (zero: unbounded); with a
// start, the oldest limit candles from it, else the most recent limit.
func (t *tape) klines(iv interval, start, end time.Time, limit int, now time.Time) []candle {
	t.advance(now)
	var out []candle
	for _, mc := range t.minutes {
		open := iv.start(mc.open)
		if (!start.IsZero() && open.Before(start)) || (!end.IsZero() && open.After(end)) {
			continue
		}
		if n := len(out); n > 0 && out[n-1].open.Equal(open) {
			merge(&out[n-1], mc)
			continue
		}
		mc.open = open
		out = append(out, mc)
	}
	if len(out) > limit {
		if start.IsZero() {
			out = out[len(out)-limit:]
		} else {
			out = out[:limit]
		}
	}
	return out
}

// merge folds a later minute into an aggregated candle.
func merge(into *candle, mc candle) {
	into.h, into.l, into.c = max(into.h, mc.h), min(into.l, mc.l), mc.c
	into.volume += mc.volume
	into.quote = into.quote.Add(mc.quote)
	into.takerBuy += mc.takerBuy
	into.takerBuyQuote = into.takerBuyQuote.Add(mc.takerBuyQuote)
	into.trades += mc.trades
	if mc.trades > 0 {
		if into.first < 0 {
			into.first = mc.first
		}
		into.last = mc.last
	}
}

// indexAt is the index of the minute opening at minute (clamped).
func (t *tape) indexAt(minute time.Time) int {
	last := len(t.minutes) - 1
	back := int(t.minutes[last].open.Sub(minute) / time.Minute)
	return min(last, max(0, last-back))
}

// current aggregates the minutes of the interval holding now.
func (t *tape) current(iv interval, now time.Time) candle {
	t.advance(now)
	open := iv.start(now)
	i := t.indexAt(open)
	c := t.minutes[i]
	c.open = open
	for _, mc := range t.minutes[i+1:] {
		merge(&c, mc)
	}
	return c
}

// window aggregates the last 24 hours for the 24hr ticker; prevClose is
// the close before the window.
func (t *tape) window(now time.Time) (w candle, prevClose int64) {
	t.advance(now)
	i := t.indexAt(now.Add(-24 * time.Hour).Truncate(time.Minute))
	w = t.minutes[i]
	prevClose = w.o
	if i > 0 {
		prevClose = t.minutes[i-1].c
	}
	for _, mc := range t.minutes[i+1:] {
		merge(&w, mc)
	}
	return w, prevClose
}
