package bybittest

import (
	"hash/fnv"
	"time"

	"github.com/shopspring/decimal"
)

// A market's public trades (the last tapeSize) and the candles made of
// them. Candles of the time before the server started are made up from a
// hash of the market, the interval and the candle's start, so that any
// range can be paged through; the others are made of the tape.

// trade is one public trade; buy is the taker's side.
type trade struct {
	id         string
	price, qty int64
	buy        bool
	time       time.Time
	seq        int64
}

// tapeSize is how many trades a market remembers.
const tapeSize = 1000

// tape is a ring of a market's last trades and its start.
type tape struct {
	start  time.Time
	open   int64 // the last price before the first trade
	trades []trade
}

func newTape(m *market, start time.Time) *tape {
	return &tape{start: start, open: m.startPrice}
}

func (t *tape) add(tr trade) {
	if len(t.trades) == tapeSize {
		t.trades = append(t.trades[:0], t.trades[1:]...)
	}
	t.trades = append(t.trades, tr)
}

// lastPrice is the last trade's price.
func (t *tape) lastPrice() int64 {
	if len(t.trades) == 0 {
		return t.open
	}
	return t.trades[len(t.trades)-1].price
}

// since returns the trades at or after from.
func (t *tape) since(from time.Time) []trade {
	var out []trade
	for _, tr := range t.trades {
		if !tr.time.Before(from) {
			out = append(out, tr)
		}
	}
	return out
}

// interval is a kline interval.
type interval struct {
	name string        // 1 3 5 15 30 60 120 240 360 720 D W M
	d    time.Duration // 0 for M (calendar months)
}

var intervals = []interval{
	{"1", time.Minute}, {"3", 3 * time.Minute}, {"5", 5 * time.Minute}, {"15", 15 * time.Minute},
	{"30", 30 * time.Minute}, {"60", time.Hour}, {"120", 2 * time.Hour}, {"240", 4 * time.Hour},
	{"360", 6 * time.Hour}, {"720", 12 * time.Hour}, {"D", 24 * time.Hour}, {"W", 7 * 24 * time.Hour}, {"M", 0},
}

func intervalOf(name string) (interval, bool) {
	for _, iv := range intervals {
		if iv.name == name {
			return iv, true
		}
	}
	return interval{}, false
}

// bucket returns the start of the candle holding t: weeks start on
// Monday, months on the 1st, all in UTC.
func (iv interval) bucket(t time.Time) time.Time {
	t = t.UTC()
	switch iv.name {
	case "M":
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	case "W":
		d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
		return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
	}
	return t.Truncate(iv.d)
}

// after returns the start of the candle after the one starting at b.
func (iv interval) after(b time.Time) time.Time {
	if iv.name == "M" {
		return b.AddDate(0, 1, 0)
	}
	return b.Add(iv.d)
}

// candle is one kline.
type candle struct {
	start                  time.Time
	open, high, low, close int64
	volume                 int64
	turnover               decimal.Decimal
}

// candleAt returns m's candle of interval iv starting at b.
func (s *Server) candleAt(m *market, iv interval, b time.Time) candle {
	end := iv.after(b)
	if !end.After(m.trades.start) {
		return s.madeUpCandle(m, iv, b)
	}
	c := candle{start: b, turnover: decimal.Zero}
	c.open = m.trades.open
	seen := false
	for _, tr := range m.trades.trades {
		if tr.time.Before(b) {
			c.open = tr.price
			continue
		}
		if !tr.time.Before(end) {
			break
		}
		if !seen {
			c.open, c.high, c.low, seen = tr.price, tr.price, tr.price, true
		}
		c.high, c.low, c.close = max(c.high, tr.price), min(c.low, tr.price), tr.price
		c.volume += tr.qty
		c.turnover = c.turnover.Add(m.value(tr.price, tr.qty))
	}
	if !seen {
		c.high, c.low, c.close = c.open, c.open, c.open
	}
	return c
}

// madeUpCandle is a deterministic candle of the time before the start,
// within a few percent of the start price.
func (s *Server) madeUpCandle(m *market, iv interval, b time.Time) candle {
	h := fnv.New64a()
	h.Write([]byte(m.symbol + "|" + iv.name + "|" + b.UTC().Format(time.RFC3339)))
	x := h.Sum64() ^ s.cfg.Seed
	wiggle := func(shift uint) int64 { return int64((x>>shift)%400) - 200 } // ±2%
	p := func(bp int64) int64 {
		v := m.startPrice + m.startPrice*bp/10000
		return max(m.tick, v/m.tick*m.tick)
	}
	open, cl := p(wiggle(0)), p(wiggle(9))
	hi := max(open, cl) + m.tick*int64((x>>18)%20)
	lo := max(m.tick, min(open, cl)-m.tick*int64((x>>23)%20))
	vol := m.lot * int64(1+(x>>28)%500)
	return candle{start: b, open: open, high: hi, low: lo, close: cl, volume: vol, turnover: m.value((open+cl)/2, vol)}
}
