package bybittest

import (
	"time"

	"github.com/shopspring/decimal"
)

// What the public streams carry: orderbook.{1,50,200,1000}.{symbol}
// (snapshot, then deltas; level 1 snapshots only), publicTrade.{symbol},
// tickers.{symbol} (spot snapshots; linear and inverse a snapshot then
// deltas of the changed fields) and kline.{interval}.{symbol}.

// bookMsg is an orderbook message.
type bookMsg struct {
	Topic string   `json:"topic"`
	Type  string   `json:"type"`
	TS    int64    `json:"ts"`
	Data  bookData `json:"data"`
	CTS   int64    `json:"cts"`
}

type bookData struct {
	S   string      `json:"s"`
	B   [][2]string `json:"b"`
	A   [][2]string `json:"a"`
	U   int64       `json:"u"`
	Seq int64       `json:"seq"`
}

func (m *market) wireLevels(ls []level) [][2]string {
	out := make([][2]string, len(ls))
	for i, l := range ls {
		out[i] = [2]string{m.fmtPrice(l.Price), m.fmtQty(l.Qty)}
	}
	return out
}

func (m *market) bookMessage(depth int, typ string, v bookState, now time.Time) bookMsg {
	return bookMsg{Topic: "orderbook." + itoa(int64(depth)) + "." + m.id, Type: typ, TS: now.UnixMilli(), CTS: now.UnixMilli() - 2,
		Data: bookData{S: m.id, B: m.wireLevels(v.bids), A: m.wireLevels(v.asks), U: v.u, Seq: v.seq}}
}

// sendTopicLocked sends msg to the subscribers of a public topic of m.
func (s *Server) sendTopicLocked(m *market, t string, msg any) {
	subs := s.subs[string(m.cat)+"|"+t]
	if len(subs) == 0 {
		return
	}
	b := mustJSON(msg)
	for ss := range subs {
		ss.send(b)
	}
}

// publishLocked seals m's book and sends what changed: book deltas (or
// level-1 snapshots), the trades, tickers and klines.
func (s *Server) publishLocked(m *market, trades []trade, now time.Time) {
	if m.book.seal(s.nextSeqLocked()) {
		s.publishBookLocked(m, now, false)
	}
	if len(trades) > 0 {
		s.publishTradesLocked(m, trades, now)
	}
	s.publishTickerLocked(m, now)
	if len(trades) > 0 {
		for _, iv := range intervals {
			t := "kline." + iv.name + "." + m.id
			if len(s.subs[string(m.cat)+"|"+t]) > 0 {
				s.sendTopicLocked(m, t, s.klineMessage(m, iv, now))
			}
		}
	}
}

// publishBookLocked sends each depth topic of m its delta since the view
// it was last sent (level 1: a snapshot when the touch changed). With the
// book's gap armed the messages are lost on the way: the views move on,
// nothing is sent. With snapshot set every depth gets a snapshot instead.
// Options have their own depths and shape (no seq, no cts).
func (s *Server) publishBookLocked(m *market, now time.Time, snapshot bool) {
	lost := m.gap
	m.gap = false
	for _, d := range m.bookDepths() {
		was := m.views[d]
		v := m.book.view(d)
		m.views[d] = v
		t := "orderbook." + itoa(int64(d)) + "." + m.id
		if lost {
			continue
		}
		if snapshot {
			s.sendTopicLocked(m, t, m.depthMessage(d, "snapshot", v, now))
			continue
		}
		bids, asks := diff(was.bids, v.bids, true), diff(was.asks, v.asks, false)
		if len(bids) == 0 && len(asks) == 0 {
			continue
		}
		if d == 1 {
			s.sendTopicLocked(m, t, m.depthMessage(d, "snapshot", v, now))
			continue
		}
		s.sendTopicLocked(m, t, m.depthMessage(d, "delta", bookState{u: v.u, seq: v.seq, bids: bids, asks: asks}, now))
	}
}

// bookDepths are the orderbook.{depth} topics m's category has.
func (m *market) bookDepths() []int {
	if m.cat == Option {
		return optionDepths
	}
	return depths
}

// depthMessage is an orderbook.{depth} message in m's category's shape.
func (m *market) depthMessage(depth int, typ string, v bookState, now time.Time) any {
	if m.cat == Option {
		return m.optionBookMessage(depth, typ, v, now)
	}
	return m.bookMessage(depth, typ, v, now)
}

// tradeMsg is a publicTrade message.
type tradeMsg struct {
	Topic string      `json:"topic"`
	Type  string      `json:"type"`
	TS    int64       `json:"ts"`
	Data  []tradeItem `json:"data"`
}

type tradeItem struct {
	T   int64  `json:"T"`
	S   string `json:"s"`
	Sd  string `json:"S"`
	V   string `json:"v"`
	P   string `json:"p"`
	L   string `json:"L"`
	I   string `json:"i"`
	BT  bool   `json:"BT"`
	Seq int64  `json:"seq"`
}

func sideName(buy bool) string {
	if buy {
		return "Buy"
	}
	return "Sell"
}

func (s *Server) publishTradesLocked(m *market, trades []trade, now time.Time) {
	if m.cat == Option {
		s.publishOptionTradesLocked(m, trades, now)
		return
	}
	t := "publicTrade." + m.id
	if len(s.subs[string(m.cat)+"|"+t]) == 0 {
		return
	}
	msg := tradeMsg{Topic: t, Type: "snapshot", TS: now.UnixMilli()}
	for _, tr := range trades {
		msg.Data = append(msg.Data, tradeItem{T: tr.time.UnixMilli(), S: m.id, Sd: sideName(tr.buy), V: m.fmtQty(tr.qty),
			P: m.fmtPrice(tr.price), L: m.tickDirection(tr), I: tr.id, Seq: tr.seq})
	}
	s.sendTopicLocked(m, t, msg)
}

// tickDirection compares a trade's price with the one before it.
func (m *market) tickDirection(tr trade) string {
	prev := m.trades.open
	for i := len(m.trades.trades) - 1; i >= 0; i-- {
		if m.trades.trades[i].id == tr.id {
			if i > 0 {
				prev = m.trades.trades[i-1].price
			}
			break
		}
	}
	switch {
	case tr.price > prev:
		return "PlusTick"
	case tr.price < prev:
		return "MinusTick"
	}
	return "ZeroPlusTick"
}

// stats are a market's 24-hour statistics, from its tape.
type stats struct {
	last, prev, high, low int64
	volume                int64
	turnover              decimal.Decimal
}

func (s *Server) statsOf(m *market, now time.Time) stats {
	st := stats{prev: m.trades.open, last: m.trades.lastPrice(), turnover: decimal.Zero}
	st.high, st.low = st.prev, st.prev
	for _, tr := range m.trades.since(now.Add(-24 * time.Hour)) {
		st.high, st.low = max(st.high, tr.price), min(st.low, tr.price)
		st.volume += tr.qty
		st.turnover = st.turnover.Add(m.value(tr.price, tr.qty))
	}
	st.high, st.low = max(st.high, st.last), min(st.low, st.last)
	return st
}

// tickerFields are the fields of m's ticker now.
func (s *Server) tickerFields(m *market, now time.Time) map[string]string {
	st := s.statsOf(m, now)
	pcnt := decimal.Zero
	if st.prev != 0 {
		pcnt = m.price(st.last-st.prev).DivRound(m.price(st.prev), 6)
	}
	f := map[string]string{"symbol": m.id, "lastPrice": m.fmtPrice(st.last), "highPrice24h": m.fmtPrice(st.high),
		"lowPrice24h": m.fmtPrice(st.low), "prevPrice24h": m.fmtPrice(st.prev), "volume24h": m.fmtQty(st.volume),
		"turnover24h": st.turnover.StringFixed(4), "price24hPcnt": pcnt.String()}
	if m.cat == Spot {
		return f
	}
	mark := m.markPrice()
	f["tickDirection"] = "ZeroPlusTick"
	if n := len(m.trades.trades); n > 0 {
		f["tickDirection"] = m.tickDirection(m.trades.trades[n-1])
	}
	f["prevPrice1h"] = m.fmtPrice(st.prev)
	f["markPrice"], f["indexPrice"] = m.fmtPrice(mark), m.fmtPrice(mark)
	oi := m.lot * 1000
	f["openInterest"], f["openInterestValue"] = m.fmtQty(oi), m.value(mark, oi).StringFixed(2)
	f["nextFundingTime"] = itoa(nextFunding(now).UnixMilli())
	f["fundingRate"] = fundingRate(m, nextFunding(now))
	bid, _ := m.book.bids.Best()
	ask, _ := m.book.asks.Best()
	f["bid1Price"], f["bid1Size"] = m.fmtPrice(bid.Price), m.fmtQty(bid.Qty)
	f["ask1Price"], f["ask1Size"] = m.fmtPrice(ask.Price), m.fmtQty(ask.Qty)
	return f
}

// markPrice is the mid of the touch, or the last price.
func (m *market) markPrice() int64 {
	bid, okb := m.book.bids.Best()
	ask, oka := m.book.asks.Best()
	if okb && oka {
		return (bid.Price + ask.Price) / 2 / m.tick * m.tick
	}
	return m.trades.lastPrice()
}

// nextFunding is the next 8-hour funding time (00, 08, 16 UTC).
func nextFunding(now time.Time) time.Time {
	return now.UTC().Truncate(8 * time.Hour).Add(8 * time.Hour)
}

// fundingRate is a deterministic small rate of a funding time.
func fundingRate(m *market, at time.Time) string {
	v := (at.Unix()/3600 + int64(len(m.id))) % 7
	return decimal.New(v-2, -5).StringFixed(6) // -0.00002 .. 0.00004
}

// tickerMsg is a tickers message.
type tickerMsg struct {
	Topic string            `json:"topic"`
	Type  string            `json:"type"`
	Data  map[string]string `json:"data"`
	CS    int64             `json:"cs"`
	TS    int64             `json:"ts"`
}

// publishTickerLocked sends m's ticker: spot a snapshot, derivatives the
// fields that changed since the last message.
func (s *Server) publishTickerLocked(m *market, now time.Time) {
	if m.cat == Option {
		s.publishOptionTickerLocked(m, now)
		return
	}
	t := "tickers." + m.id
	f := s.tickerFields(m, now)
	if m.cat == Spot {
		if len(s.subs[string(m.cat)+"|"+t]) > 0 {
			s.sendTopicLocked(m, t, tickerMsg{Topic: t, Type: "snapshot", Data: f, CS: s.seq, TS: now.UnixMilli()})
		}
		return
	}
	delta := map[string]string{}
	for k, v := range f {
		if m.ticker[k] != v {
			delta[k] = v
		}
	}
	m.ticker = f
	if len(delta) == 0 {
		return
	}
	delta["symbol"] = m.id
	s.sendTopicLocked(m, t, tickerMsg{Topic: t, Type: "delta", Data: delta, CS: s.seq, TS: now.UnixMilli()})
}

// klineMsg is a kline message.
type klineMsg struct {
	Topic string      `json:"topic"`
	Data  []klineItem `json:"data"`
	TS    int64       `json:"ts"`
	Type  string      `json:"type"`
}

type klineItem struct {
	Start     int64  `json:"start"`
	End       int64  `json:"end"`
	Interval  string `json:"interval"`
	Open      string `json:"open"`
	Close     string `json:"close"`
	High      string `json:"high"`
	Low       string `json:"low"`
	Volume    string `json:"volume"`
	Turnover  string `json:"turnover"`
	Confirm   bool   `json:"confirm"`
	Timestamp int64  `json:"timestamp"`
}

func (s *Server) klineMessage(m *market, iv interval, now time.Time) klineMsg {
	b := iv.bucket(now)
	c := s.candleAt(m, iv, b)
	return klineMsg{Topic: "kline." + iv.name + "." + m.id, TS: now.UnixMilli(), Type: "snapshot", Data: []klineItem{{
		Start: b.UnixMilli(), End: iv.after(b).UnixMilli() - 1, Interval: iv.name, Open: m.fmtPrice(c.open), Close: m.fmtPrice(c.close),
		High: m.fmtPrice(c.high), Low: m.fmtPrice(c.low), Volume: m.fmtQty(c.volume), Turnover: c.turnover.String(),
		Timestamp: now.UnixMilli()}}}
}

// initialLocked sends a new subscriber what a topic starts with: the
// book's snapshot, the full ticker, the current candle.
func (s *Server) initialLocked(ss *session, t topic, now time.Time) {
	m := t.m
	if m.cat == Option {
		s.initialOptionLocked(ss, t, now)
		return
	}
	switch t.name {
	case "orderbook":
		ss.send(m.bookMessage(t.depth, "snapshot", m.views[t.depth], now))
	case "tickers":
		f := s.tickerFields(m, now)
		if m.cat != Spot {
			m.ticker = f
		}
		ss.send(tickerMsg{Topic: "tickers." + m.id, Type: "snapshot", Data: f, CS: s.seq, TS: now.UnixMilli()})
	case "kline":
		ss.send(s.klineMessage(m, t.iv, now))
	}
}
