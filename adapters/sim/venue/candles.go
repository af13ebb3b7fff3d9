package venue

import (
	"math/rand/v2"
	"time"
)

// candle is one minute of a market: prices in ticks, volume in lots,
// quote volume in ticks×lots.
type candle struct {
	open, high, low, close int64
	volume, quoteVolume    int64
}

// candles is a market's one-minute history: candle i opens at first+i min.
type candles struct {
	first time.Time
	list  []candle
}

// newCandles makes days of synthetic history ending at now's minute, a
// random walk back from the market's start price.
func newCandles(m *Market, now time.Time, days int, rng *rand.Rand) *candles {
	n := days * 24 * 60
	cur := now.Truncate(time.Minute)
	c := &candles{first: cur.Add(-time.Duration(n) * time.Minute), list: make([]candle, n+1)}
	price := m.StartPrice
	step := max(1, m.StartPrice/2000) // about 0.05 % a minute
	for i := n - 1; i >= 0; i-- {
		closeP := price
		openP := max(1, closeP+int64(rng.NormFloat64()*float64(step)))
		hi, lo := max(openP, closeP), min(openP, closeP)
		hi += rng.Int64N(step + 1)
		lo = max(1, lo-rng.Int64N(step+1))
		vol := m.MinLots * (1 + rng.Int64N(2000))
		c.list[i] = candle{open: openP, high: hi, low: lo, close: closeP, volume: vol, quoteVolume: vol * closeP}
		price = openP
	}
	p := m.StartPrice
	c.list[n] = candle{open: p, high: p, low: p, close: p}
	return c
}

// at returns the index of the minute of t, appending flat minutes up to it.
func (c *candles) at(t time.Time) int {
	i := int(t.Sub(c.first) / time.Minute)
	if i < 0 {
		return 0
	}
	for len(c.list) <= i {
		last := c.list[len(c.list)-1].close
		c.list = append(c.list, candle{open: last, high: last, low: last, close: last})
	}
	return i
}

// trade adds a trade at t.
func (c *candles) trade(t time.Time, price, lots int64) {
	k := &c.list[c.at(t)]
	if k.volume == 0 {
		k.open, k.high, k.low = price, price, price
	}
	k.high, k.low, k.close = max(k.high, price), min(k.low, price), price
	k.volume += lots
	k.quoteVolume += lots * price
}

// bar is an aggregated candle.
type bar struct {
	start time.Time
	candle
}

// bars aggregates minutes into bars of tf, opening at or after start and
// before end (zero: unbounded), at most limit of them; with a zero start
// the last limit bars up to now.
func (c *candles) bars(tf time.Duration, start, end, now time.Time, limit int) []bar {
	last := c.at(now)
	per := int(tf / time.Minute)
	// Bars align to multiples of tf since the Unix epoch.
	firstBar := c.first.Truncate(tf)
	if firstBar.Before(c.first) {
		firstBar = firstBar.Add(tf)
	}
	lastBar := c.first.Add(time.Duration(last) * time.Minute).Truncate(tf)
	from := firstBar
	if start.IsZero() {
		if back := lastBar.Add(-time.Duration(limit-1) * tf); back.After(from) {
			from = back
		}
	} else if s := start.Add(tf - 1).Truncate(tf); s.After(from) {
		from = s // the first bar opening at or after start
	}
	var out []bar
	for t := from; !t.After(lastBar) && len(out) < limit; t = t.Add(tf) {
		if !end.IsZero() && !t.Before(end) {
			break
		}
		i := int(t.Sub(c.first) / time.Minute)
		b := bar{start: t}
		for j := i; j < i+per && j <= last; j++ {
			k := c.list[j]
			if j == i {
				b.candle = k
				continue
			}
			b.high, b.low, b.close = max(b.high, k.high), min(b.low, k.low), k.close
			b.volume += k.volume
			b.quoteVolume += k.quoteVolume
		}
		out = append(out, b)
	}
	return out
}

// day returns the statistics of the 24 hours up to now.
func (c *candles) day(now time.Time) candle {
	last := c.at(now)
	first := max(0, last-24*60+1)
	d := c.list[first]
	for _, k := range c.list[first+1 : last+1] {
		d.high, d.low, d.close = max(d.high, k.high), min(d.low, k.low), k.close
		d.volume += k.volume
		d.quoteVolume += k.quoteVolume
	}
	return d
}

// timeframes are the candle intervals the venue serves.
var timeframes = map[string]time.Duration{
	"1m": time.Minute, "3m": 3 * time.Minute, "5m": 5 * time.Minute, "15m": 15 * time.Minute, "30m": 30 * time.Minute,
	"1h": time.Hour, "2h": 2 * time.Hour, "4h": 4 * time.Hour, "6h": 6 * time.Hour, "12h": 12 * time.Hour, "1d": 24 * time.Hour,
}
