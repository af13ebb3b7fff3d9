package bybittest

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Live options. An option named in Config.Symbols as CCXT writes it,
// BASE/QUOTE:SETTLE-YYMMDD-STRIKE-C|P (BTC/USD:USDC-301227-60000-C is
// Bybit's BTC-27DEC30-60000-C; a USDT-settled one's id ends in -USDT), is
// a market like the others: a book the crowd moves, a tape, REST
// orderbook (limit 1 to 25), tickers and recent-trade of category option,
// and the option public stream /v5/public/option:
//
//   - orderbook.{25,100}.{id}: a snapshot, then deltas, with u and no seq
//     (the docs: "Options does not have this field for now");
//   - publicTrade.{baseCoin}: the trades of every option of the coin, each
//     naming its option in "s", with mP, iP, mIv and iv and no L or seq;
//   - tickers.{id}: snapshots only, bidPrice/bidSize/bidIv,
//     askPrice/askSize/askIv, markPriceIv, greeks, change24h;
//   - a subscribe or unsubscribe is answered by
//     {"success","conn_id","data":{"failTopics","successTopics"},"type":"COMMAND_RESP"}
//     (no req_id, no op), a ping by {"args":["<ms>"],"op":"pong"}.
//
// Options are not traded (create refuses category option) and have no
// kline stream. Options listed in optionList but not in Config.Symbols
// stay listed only.

// Option is the option category: /v5/public/option.
const Option Category = "option"

// optionDepths are the orderbook depths of the option stream.
var optionDepths = []int{25, 100}

// optionRules are the tick and step of a base coin's options (the docs'
// BTC option: tick 5, step 0.01).
var optionRules = map[string][2]string{"BTC": {"5", "0.01"}, "ETH": {"0.1", "0.1"}}

// months are Bybit's month names in option ids.
var months = [...]string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}

// newOptionMarket builds the option of base/quote:rest, rest being
// SETTLE-YYMMDD-STRIKE-C|P.
func newOptionMarket(symbol, base, quote, rest string) (*market, error) {
	parts := strings.Split(rest, "-")
	if len(parts) != 4 || (parts[3] != "C" && parts[3] != "P") {
		return nil, fmt.Errorf("%q: an option is BASE/QUOTE:SETTLE-YYMMDD-STRIKE-C|P", symbol)
	}
	settle := parts[0]
	if (settle != "USDC" || quote != "USD") && (settle != "USDT" || quote != "USDT") {
		return nil, fmt.Errorf("%q: options are BASE/USD:USDC or BASE/USDT:USDT", symbol)
	}
	expiry, err := time.Parse("060102", parts[1])
	if err != nil {
		return nil, fmt.Errorf("%q: expiry %q is not YYMMDD", symbol, parts[1])
	}
	if _, err := strconv.ParseUint(parts[2], 10, 32); err != nil {
		return nil, fmt.Errorf("%q: strike %q is not a whole number", symbol, parts[2])
	}
	id := fmt.Sprintf("%s-%d%s%02d-%s-%s", base, expiry.Day(), months[expiry.Month()-1], expiry.Year()%100, parts[2], parts[3])
	if settle == "USDT" {
		id += "-USDT"
	}
	rules, ok := optionRules[base]
	if !ok {
		rules = [2]string{"0.01", "0.1"}
	}
	pr, ok := profiles[base]
	if !ok {
		pr = fallback
	}
	m := &market{symbol: symbol, base: base, quote: quote, settle: settle, id: id, cat: Option, ticker: map[string]string{},
		expiry: expiry.Add(8 * time.Hour)} // delivery at 08:00 UTC
	m.tick, m.priceDec = mustUnits(rules[0])
	m.step, m.qtyDec = mustUnits(rules[1])
	m.lot, m.minQty, m.maxQty = m.step*10, m.step, 500*pow10[m.qtyDec]
	m.minNotional = decimal.Zero
	under, _ := parseUnits(pr.price, m.priceDec)
	m.startPrice = max(m.tick*100, under/20/m.tick*m.tick) // a premium of about 5 % of the underlying
	return m, nil
}

// optionInstrument is a live option's instruments-info entry.
func (s *Server) optionInstrument(m *market) map[string]any {
	parts := strings.Split(m.id, "-")
	typ := "Call"
	if parts[3] == "P" {
		typ = "Put"
	}
	o := optionJSON(m.id, m.base, m.quote, m.settle, typ, m.fmtPrice(m.tick), m.fmtQty(m.step))
	o["deliveryTime"] = itoa(m.expiry.UnixMilli())
	return o
}

// optionTopic parses a topic of the option stream.
func (s *Server) optionTopic(t string) (topic, bool) {
	name, rest, _ := strings.Cut(t, ".")
	switch name {
	case "orderbook":
		depth, id, _ := strings.Cut(rest, ".")
		m := s.marketByID(Option, id)
		for _, d := range optionDepths {
			if m != nil && depth == itoa(int64(d)) {
				return topic{name: name, depth: d, m: m}, true
			}
		}
	case "tickers":
		if m := s.marketByID(Option, rest); m != nil {
			return topic{name: name, m: m}, true
		}
	case "publicTrade": // per base coin; any of its options stands for it
		for _, m := range s.markets {
			if m.cat == Option && m.base == rest {
				return topic{name: name, m: m}, true
			}
		}
	}
	return topic{}, false
}

// optionReply answers an option stream subscribe or unsubscribe.
func optionReply(ss *session, req request, ok bool, msg string) map[string]any {
	topics, _ := topicArgs(req)
	if topics == nil {
		topics = []string{}
	}
	data := map[string]any{"failTopics": []string{}, "successTopics": topics}
	if !ok {
		data["failTopics"], data["successTopics"] = topics, []string{}
	}
	m := map[string]any{"success": ok, "conn_id": ss.connID, "data": data, "type": "COMMAND_RESP"}
	if !ok {
		m["ret_msg"] = msg // the docs show no refusal; its reason here, as the other streams give it
	}
	return m
}

// optionPong is the option stream's answer to a ping.
func optionPong(now time.Time) map[string]any {
	return map[string]any{"args": []string{itoa(now.UnixMilli())}, "op": "pong"}
}

// optionBookMsg is an option orderbook message: no seq, no cts.
type optionBookMsg struct {
	Topic string         `json:"topic"`
	Type  string         `json:"type"`
	TS    int64          `json:"ts"`
	Data  optionBookData `json:"data"`
}

type optionBookData struct {
	S string      `json:"s"`
	B [][2]string `json:"b"`
	A [][2]string `json:"a"`
	U int64       `json:"u"`
}

func (m *market) optionBookMessage(depth int, typ string, v bookState, now time.Time) optionBookMsg {
	return optionBookMsg{Topic: "orderbook." + itoa(int64(depth)) + "." + m.id, Type: typ, TS: now.UnixMilli(),
		Data: optionBookData{S: m.id, B: m.wireLevels(v.bids), A: m.wireLevels(v.asks), U: v.u}}
}

// optionTradeMsg is a publicTrade.{baseCoin} message.
type optionTradeMsg struct {
	ID    string            `json:"id"`
	Topic string            `json:"topic"`
	Type  string            `json:"type"`
	TS    int64             `json:"ts"`
	Data  []optionTradeItem `json:"data"`
}

type optionTradeItem struct {
	T   int64  `json:"T"`
	S   string `json:"s"`
	Sd  string `json:"S"`
	V   string `json:"v"`
	P   string `json:"p"`
	I   string `json:"i"`
	BT  bool   `json:"BT"`
	MP  string `json:"mP"`
	IP  string `json:"iP"`
	MIv string `json:"mIv"`
	Iv  string `json:"iv"`
}

// publishOptionTradesLocked sends an option's trades on its base coin's
// topic.
func (s *Server) publishOptionTradesLocked(m *market, trades []trade, now time.Time) {
	t := "publicTrade." + m.base
	if len(s.subs[string(Option)+"|"+t]) == 0 {
		return
	}
	msg := optionTradeMsg{ID: t + "-" + itoa(s.seq) + "-" + itoa(now.UnixMilli()), Topic: t, Type: "snapshot", TS: now.UnixMilli()}
	mark, index := m.fmtPrice(m.markPrice()), s.underlying(m)
	for _, tr := range trades {
		msg.Data = append(msg.Data, optionTradeItem{T: tr.time.UnixMilli(), S: m.id, Sd: sideName(tr.buy), V: m.fmtQty(tr.qty),
			P: m.fmtPrice(tr.price), I: tr.id, MP: mark, IP: index, MIv: "0.4896", Iv: "0.5012"})
	}
	s.sendTopicLocked(m, t, msg)
}

// underlying is the price of an option's underlying: its coin's profile
// price.
func (s *Server) underlying(m *market) string {
	pr, ok := profiles[m.base]
	if !ok {
		pr = fallback
	}
	return pr.price
}

// optionTickerFields are an option's ticker fields now, in the stream's
// names (bidPrice, markPriceIv) or REST's (bid1Price, markIv).
func (s *Server) optionTickerFields(m *market, now time.Time, rest bool) map[string]string {
	st := s.statsOf(m, now)
	change := decimal.Zero
	if st.prev != 0 {
		change = m.price(st.last-st.prev).DivRound(m.price(st.prev), 8)
	}
	bid, _ := m.book.bids.Best()
	ask, _ := m.book.asks.Best()
	under := s.underlying(m)
	f := map[string]string{"symbol": m.id, "lastPrice": m.fmtPrice(st.last), "highPrice24h": m.fmtPrice(st.high),
		"lowPrice24h": m.fmtPrice(st.low), "markPrice": m.fmtPrice(m.markPrice()), "indexPrice": under, "underlyingPrice": under,
		"openInterest": m.fmtQty(m.lot * 100), "turnover24h": st.turnover.StringFixed(4), "volume24h": m.fmtQty(st.volume),
		"totalVolume": m.fmtQty(st.volume), "totalTurnover": st.turnover.StringFixed(0), "delta": "0.47831", "gamma": "0.00021453",
		"vega": "0.81351067", "theta": "-19.9115368", "predictedDeliveryPrice": "0", "change24h": change.String()}
	names := [...]string{"bidPrice", "bidSize", "bidIv", "askPrice", "askSize", "askIv", "markPriceIv"}
	if rest {
		names = [...]string{"bid1Price", "bid1Size", "bid1Iv", "ask1Price", "ask1Size", "ask1Iv", "markIv"}
	}
	f[names[0]], f[names[1]], f[names[2]] = m.fmtPrice(bid.Price), m.fmtQty(bid.Qty), "0.4801"
	f[names[3]], f[names[4]], f[names[5]] = m.fmtPrice(ask.Price), m.fmtQty(ask.Qty), "0.5143"
	f[names[6]] = "0.4896"
	return f
}

// optionTickerMsg is an option tickers message: snapshots with a message id.
type optionTickerMsg struct {
	ID    string            `json:"id"`
	Topic string            `json:"topic"`
	TS    int64             `json:"ts"`
	Data  map[string]string `json:"data"`
	Type  string            `json:"type"`
}

func (s *Server) optionTickerMessage(m *market, now time.Time) optionTickerMsg {
	t := "tickers." + m.id
	return optionTickerMsg{ID: t + "-" + itoa(s.seq) + "-" + itoa(now.UnixMilli()), Topic: t, TS: now.UnixMilli(),
		Data: s.optionTickerFields(m, now, false), Type: "snapshot"}
}

// publishOptionTickerLocked sends an option's ticker snapshot.
func (s *Server) publishOptionTickerLocked(m *market, now time.Time) {
	if t := "tickers." + m.id; len(s.subs[string(Option)+"|"+t]) > 0 {
		s.sendTopicLocked(m, t, s.optionTickerMessage(m, now))
	}
}

// initialOptionLocked sends a new subscriber of an option topic its first
// message: the book's snapshot, the ticker (trades have none).
func (s *Server) initialOptionLocked(ss *session, t topic, now time.Time) {
	switch t.name {
	case "orderbook":
		ss.send(t.m.optionBookMessage(t.depth, "snapshot", t.m.views[t.depth], now))
	case "tickers":
		ss.send(s.optionTickerMessage(t.m, now))
	}
}
