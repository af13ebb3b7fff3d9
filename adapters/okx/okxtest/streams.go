package okxtest

import (
	"strings"
	"time"
)

// Market pushes: books (snapshot then updates chained by
// seqId/prevSeqId), books5 and bbo-tbt (snapshots on change), trades,
// tickers, and candles on /business.

// bookData is the data item of a books push; books5 and bbo-tbt carry a
// subset.
type bookData struct {
	Asks      [][4]string `json:"asks"`
	Bids      [][4]string `json:"bids"`
	InstID    string      `json:"instId,omitempty"`
	Ts        string      `json:"ts"`
	Checksum  *int32      `json:"checksum,omitempty"`
	PrevSeqID *int64      `json:"prevSeqId,omitempty"`
	SeqID     int64       `json:"seqId"`
}

// levels writes levels as [px, sz, "0", orders].
func (m *market) levels(ls []level) [][4]string {
	out := make([][4]string, len(ls))
	for i, l := range ls {
		n := "0"
		if l.Qty > 0 {
			n = itoa(max(1, l.Count))
		}
		out[i] = [4]string{m.price(l.Price), m.size(l.Qty), "0", n}
	}
	return out
}

// booksFrame is a books push of action "snapshot" or "update".
func (s *Server) booksFrame(m *market, action string, u update, now time.Time) []byte {
	sum, prev := u.checksum, u.prev
	d := bookData{Asks: m.levels(u.asks), Bids: m.levels(u.bids), Ts: ms(now), Checksum: &sum, PrevSeqID: &prev, SeqID: u.seq}
	return mustJSON(map[string]any{"arg": arg{Channel: "books", InstID: m.id}, "action": action, "data": []bookData{d}})
}

func (s *Server) books5Frame(m *market, now time.Time) []byte {
	d := bookData{Asks: m.levels(m.book.asks.Head(5)), Bids: m.levels(m.book.bids.Head(5)), InstID: m.id, Ts: ms(now), SeqID: m.book.seq}
	return mustJSON(map[string]any{"arg": arg{Channel: "books5", InstID: m.id}, "data": []bookData{d}})
}

func (s *Server) bboFrame(m *market, now time.Time) []byte {
	d := bookData{Asks: m.levels(m.book.asks.Head(1)), Bids: m.levels(m.book.bids.Head(1)), Ts: ms(now), SeqID: m.book.seq}
	return mustJSON(map[string]any{"arg": arg{Channel: "bbo-tbt", InstID: m.id}, "data": []bookData{d}})
}

// checksumLocked is the checksum field of m's book now: the legacy CRC-32
// with Config.Checksum, else 0 as OKX sends since June 2026.
func (s *Server) checksumLocked(m *market) int32 {
	if !s.cfg.Checksum {
		return 0
	}
	return checksumOf(m, m.book.bids.Levels, m.book.asks.Levels)
}

// each calls fn for every session subscribed to channel of instId.
func (s *Server) each(channel, instID string, fn func(*session)) {
	for sess := range s.sessions {
		if sess.subs[arg{Channel: channel, InstID: instID}] {
			fn(sess)
		}
	}
}

// publishBookLocked seals m's pending changes and pushes them: a books
// update (unless a gap swallows it), and books5, bbo-tbt and tickers when
// the top they show changed.
func (s *Server) publishBookLocked(m *market, now time.Time) {
	u, ok := m.book.seal(s.rng)
	if !ok {
		return
	}
	u.checksum = s.checksumLocked(m)
	if m.book.corruptNext {
		m.book.corruptNext = false
		u.checksum = u.checksum ^ 0x2f1d3b5 | 1
	}
	if m.book.gapNext {
		m.book.gapNext = false
	} else {
		frame := s.booksFrame(m, "update", u, now)
		s.each("books", m.id, func(sess *session) { sess.send(frame) })
	}
	s.publishTopLocked(m, now)
}

// publishTopLocked pushes books5, bbo-tbt and tickers if their view of
// the book changed.
func (s *Server) publishTopLocked(m *market, now time.Time) {
	top5 := string(mustJSON([][][4]string{m.levels(m.book.bids.Head(5)), m.levels(m.book.asks.Head(5))}))
	if top5 != m.book.sentTop5 {
		m.book.sentTop5 = top5
		frame := s.books5Frame(m, now)
		s.each("books5", m.id, func(sess *session) { sess.send(frame) })
	}
	bbo := string(mustJSON([][][4]string{m.levels(m.book.bids.Head(1)), m.levels(m.book.asks.Head(1))}))
	if bbo != m.book.sentBBO {
		m.book.sentBBO = bbo
		frame := s.bboFrame(m, now)
		s.each("bbo-tbt", m.id, func(sess *session) { sess.send(frame) })
		s.publishTickerLocked(m, now)
	}
}

// publishTickerLocked pushes m's ticker to its subscribers.
func (s *Server) publishTickerLocked(m *market, now time.Time) {
	var frame []byte
	s.each("tickers", m.id, func(sess *session) {
		if frame == nil {
			frame = mustJSON(map[string]any{"arg": arg{Channel: "tickers", InstID: m.id}, "data": []any{s.tickerLocked(m, now)}})
		}
		sess.send(frame)
	})
}

// publishTradesLocked pushes trades, the ticker and the candles they
// moved.
func (s *Server) publishTradesLocked(m *market, trades []trade, now time.Time) {
	data := make([]map[string]any, len(trades))
	for i, t := range trades {
		data[i] = m.tradeJSON(t, true)
	}
	frame := mustJSON(map[string]any{"arg": arg{Channel: "trades", InstID: m.id}, "data": data})
	s.each("trades", m.id, func(sess *session) { sess.send(frame) })
	s.publishTickerLocked(m, now)
	for sess := range s.sessions {
		for a := range sess.subs {
			if a.InstID == m.id && strings.HasPrefix(a.Channel, "candle") {
				sess.send(s.candleFrame(m, a.Channel))
			}
		}
	}
}

// tradeJSON is a trade as REST (ws false) or the trades channel writes it.
func (m *market) tradeJSON(t trade, ws bool) map[string]any {
	side := "sell"
	if t.buy {
		side = "buy"
	}
	out := map[string]any{"instId": m.id, "tradeId": itoa(t.id), "px": m.price(t.px), "sz": m.size(t.sz), "side": side, "ts": ms(t.at)}
	if ws {
		out["count"], out["source"], out["seqId"] = "1", "0", t.bookSeq
	} else {
		out["source"] = "0"
	}
	return out
}

// candleFrame pushes the open bar of a candle channel.
func (s *Server) candleFrame(m *market, channel string) []byte {
	d, off, _ := barOf(strings.TrimPrefix(channel, "candle"))
	bs := m.candles.aggregate(d, off)
	return mustJSON(map[string]any{"arg": arg{Channel: channel, InstID: m.id}, "data": [][]string{m.candleRow(bs[len(bs)-1], false)}})
}

// tickerLocked is m's ticker: the touch, the last trade and 24-hour
// statistics from the candles.
func (s *Server) tickerLocked(m *market, now time.Time) map[string]any {
	bars := m.candles.bars
	day := bars[max(0, len(bars)-1440):]
	hi, lo, vol := day[0].h, day[0].l, int64(0)
	for _, b := range day {
		hi, lo, vol = max(hi, b.h), min(lo, b.l), vol+b.vol
	}
	last := m.trades.last()
	t := map[string]any{"instType": m.instType, "instId": m.id, "last": m.price(last.px), "lastSz": m.size(last.sz),
		"askPx": "", "askSz": "", "bidPx": "", "bidSz": "", "open24h": m.price(day[0].o), "high24h": m.price(hi), "low24h": m.price(lo),
		"vol24h": m.size(vol), "volCcy24h": m.candleRow(candle{c: last.px, vol: vol}, false)[6], "sodUtc0": m.price(day[0].o),
		"sodUtc8": m.price(day[0].o), "ts": ms(now)}
	if !m.contract() {
		t["volCcy24h"] = m.candleRow(candle{c: last.px, vol: vol}, false)[7]
	}
	if a, ok := m.book.asks.Best(); ok {
		t["askPx"], t["askSz"] = m.price(a.Price), m.size(a.Qty)
	}
	if b, ok := m.book.bids.Best(); ok {
		t["bidPx"], t["bidSz"] = m.price(b.Price), m.size(b.Qty)
	}
	return t
}
