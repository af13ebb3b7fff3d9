package okxtest

import (
	"math/rand/v2"
	"strings"
	"time"
)

// Trades and candles: a tape of the last trades per instrument, and one
// minute candles from a seeded history up to now, which trades extend;
// longer bars are aggregated from them.

// trade is one public trade.
type trade struct {
	id      int64
	px, sz  int64
	buy     bool // the taker bought
	at      time.Time
	bookSeq int64
}

// tapeSize is how many trades an instrument remembers (the REST limit).
const tapeSize = 500

// tape is an instrument's recent trades, oldest first.
type tape struct {
	trades []trade
	nextID int64
}

func newTape(m *market, now time.Time, rng *rand.Rand) *tape {
	t := &tape{nextID: 100_000_000 + int64(rng.IntN(100_000_000))}
	px := m.startPrice / m.tick * m.tick
	for i := 100; i > 0; i-- {
		px += m.tick * int64(rng.IntN(5)-2)
		t.add(px, m.typicalLot*int64(1+rng.IntN(3)), rng.IntN(2) == 0, now.Add(-time.Duration(i)*time.Second), 0)
	}
	return t
}

func (t *tape) add(px, sz int64, buy bool, at time.Time, seq int64) trade {
	tr := trade{id: t.nextID, px: px, sz: sz, buy: buy, at: at, bookSeq: seq}
	t.nextID++
	t.trades = append(t.trades, tr)
	if len(t.trades) > tapeSize {
		t.trades = append(t.trades[:0], t.trades[len(t.trades)-tapeSize:]...)
	}
	return tr
}

func (t *tape) last() trade { return t.trades[len(t.trades)-1] }

// candle is one bar in units: o, h, l, c prices; vol the traded size; qv
// the traded quote value (for contracts: the base value).
type candle struct {
	open       time.Time
	o, h, l, c int64
	vol        int64
}

// historyBars is how many one-minute bars precede the start: three days.
const historyBars = 3 * 24 * 60

// candles are an instrument's one-minute bars, oldest first.
type candles struct{ bars []candle }

func newCandles(m *market, now time.Time, rng *rand.Rand) *candles {
	c := &candles{bars: make([]candle, historyBars)}
	px := m.startPrice / m.tick * m.tick
	minute := now.Truncate(time.Minute)
	for i := historyBars - 1; i >= 0; i-- { // walk back from the start price
		step := m.tick * int64(rng.IntN(21)-10)
		o := max(m.tick, px+step)
		hi, lo := max(o, px)+m.tick*int64(rng.IntN(5)), min(o, px)-m.tick*int64(rng.IntN(5))
		c.bars[i] = candle{open: minute.Add(-time.Duration(historyBars-i) * time.Minute), o: o, h: hi, l: max(m.tick, lo), c: px,
			vol: m.typicalLot * int64(1+rng.IntN(40))}
		px = o
	}
	return c
}

// add books a trade into its minute's bar.
func (c *candles) add(px, sz int64, at time.Time) {
	minute := at.Truncate(time.Minute)
	if n := len(c.bars); n > 0 && !c.bars[n-1].open.Before(minute) {
		b := &c.bars[n-1]
		b.h, b.l, b.c, b.vol = max(b.h, px), min(b.l, px), px, b.vol+sz
		return
	}
	c.bars = append(c.bars, candle{open: minute, o: px, h: px, l: px, c: px, vol: sz})
}

// bars are OKX's bar sizes: the duration and whether the bar aligns to
// Hong Kong time (UTC+8), as bars of 6 hours and more do unless the name
// ends in "utc".
var bars = map[string]time.Duration{
	"1m": time.Minute, "3m": 3 * time.Minute, "5m": 5 * time.Minute, "15m": 15 * time.Minute, "30m": 30 * time.Minute,
	"1H": time.Hour, "2H": 2 * time.Hour, "4H": 4 * time.Hour, "6H": 6 * time.Hour, "12H": 12 * time.Hour,
	"1D": 24 * time.Hour, "2D": 48 * time.Hour, "3D": 72 * time.Hour,
}

// barOf parses a bar name ("1m", "1H", "6Hutc"): its length and the
// offset its boundaries keep from UTC.
func barOf(name string) (time.Duration, time.Duration, bool) {
	base, utc := strings.CutSuffix(name, "utc")
	d, ok := bars[base]
	if !ok || (utc && d < 6*time.Hour) {
		return 0, 0, false
	}
	if d >= 6*time.Hour && !utc {
		return d, 8 * time.Hour, true
	}
	return d, 0, true
}

// aggregate returns the bars of length d (offset off), oldest first; the
// last one is still open.
func (c *candles) aggregate(d, off time.Duration) []candle {
	var out []candle
	for _, b := range c.bars {
		open := b.open.Add(off).Truncate(d).Add(-off)
		if n := len(out); n > 0 && out[n-1].open.Equal(open) {
			a := &out[n-1]
			a.h, a.l, a.c, a.vol = max(a.h, b.h), min(a.l, b.l), b.c, a.vol+b.vol
			continue
		}
		b.open = open
		out = append(out, b)
	}
	return out
}

// row writes a bar as OKX's array: ts, o, h, l, c, vol, volCcy,
// volCcyQuote, confirm.
func (m *market) candleRow(b candle, confirmed bool) []string {
	vol := m.size(b.vol)
	base, quote := m.sizeD(b.vol), m.sizeD(b.vol).Mul(m.priceD(b.c))
	if m.contract() {
		base = m.notional(b.c, b.vol)
		if !m.inverse {
			base = m.sizeD(b.vol).Mul(decimalOf(m.ctVal))
			quote = base.Mul(m.priceD(b.c))
		} else {
			quote = m.sizeD(b.vol).Mul(decimalOf(m.ctVal))
		}
	}
	confirm := "0"
	if confirmed {
		confirm = "1"
	}
	return []string{ms(b.open), m.price(b.o), m.price(b.h), m.price(b.l), m.price(b.c), vol,
		base.Round(8).String(), quote.Round(8).String(), confirm}
}
