package binancetest

import (
	"time"

	"github.com/shopspring/decimal"
)

// Market-data payloads shared by REST and the streams, field for field as
// the docs show them (struct field order is the docs' order).

// tradeEvent is spot's <s>@trade event.
type tradeEvent struct {
	Event      string `json:"e"`
	Time       int64  `json:"E"`
	Symbol     string `json:"s"`
	ID         int64  `json:"t"`
	Price      string `json:"p"`
	Qty        string `json:"q"`
	TradeTime  int64  `json:"T"`
	BuyerMaker bool   `json:"m"`
	Ignore     bool   `json:"M"`
}

// aggTradeEvent is <s>@aggTrade: one trade per aggregate here. Spot adds
// the ignored M; USD-M adds nq (quantity without RPI orders).
type aggTradeEvent struct {
	Event      string `json:"e"`
	Time       int64  `json:"E"`
	Symbol     string `json:"s"`
	AggID      int64  `json:"a"`
	Price      string `json:"p"`
	Qty        string `json:"q"`
	NormalQty  string `json:"nq,omitempty"`
	FirstID    int64  `json:"f"`
	LastID     int64  `json:"l"`
	TradeTime  int64  `json:"T"`
	BuyerMaker bool   `json:"m"`
	Ignore     *bool  `json:"M,omitempty"`
}

func (s *Server) aggTradeEvent(m *market, tr trade, now time.Time) aggTradeEvent {
	ev := aggTradeEvent{Event: "aggTrade", Time: now.UnixMilli(), Symbol: m.id, AggID: tr.id, Price: m.fmtPrice(tr.price),
		Qty: m.fmtQty(tr.qty), FirstID: tr.id, LastID: tr.id, TradeTime: tr.time.UnixMilli(), BuyerMaker: tr.buyerMaker}
	switch s.cfg.Product {
	case Spot:
		ignore := true
		ev.Ignore = &ignore
	case USDM:
		ev.NormalQty = ev.Qty
	}
	return ev
}

// stats are a market's rolling 24-hour statistics.
type stats struct {
	w             candle
	prevClose     int64
	last, lastQty int64
	change        string
	percent       string
	weighted      string
}

func (s *Server) stats(m *market, now time.Time) stats {
	w, prev := m.trades.window(now)
	st := stats{w: w, prevClose: prev, last: w.c}
	if tr, ok := m.trades.last(); ok {
		st.lastQty = tr.qty
	}
	st.change = m.fmtPrice(st.last - w.o)
	st.percent = decimal.NewFromInt(st.last-w.o).Mul(decimal.NewFromInt(100)).DivRound(decimal.NewFromInt(max(1, w.o)), 3).StringFixed(3)
	switch {
	case w.volume == 0 || w.quote.IsZero():
		st.weighted = m.fmtPrice(st.last)
	case m.contractSize > 0: // contracts × size / base volume
		st.weighted = decString(decimal.NewFromInt(w.volume*m.contractSize).Div(w.quote), m.priceDec)
	default:
		st.weighted = decString(w.quote.Div(m.qty(w.volume)), m.priceDec)
	}
	return st
}

// tickerEvent is <s>@ticker (24hrTicker). Spot carries x and the touch;
// futures leave them out; COIN-M adds ps.
type tickerEvent struct {
	Event     string `json:"e"`
	Time      int64  `json:"E"`
	Symbol    string `json:"s"`
	Pair      string `json:"ps,omitempty"`
	Change    string `json:"p"`
	Percent   string `json:"P"`
	Weighted  string `json:"w"`
	PrevClose string `json:"x,omitempty"`
	Last      string `json:"c"`
	LastQty   string `json:"Q"`
	Bid       string `json:"b,omitempty"`
	BidQty    string `json:"B,omitempty"`
	Ask       string `json:"a,omitempty"`
	AskQty    string `json:"A,omitempty"`
	Open      string `json:"o"`
	High      string `json:"h"`
	Low       string `json:"l"`
	Volume    string `json:"v"`
	Quote     string `json:"q"`
	OpenTime  int64  `json:"O"`
	CloseTime int64  `json:"C"`
	FirstID   int64  `json:"F"`
	LastID    int64  `json:"L"`
	Count     int64  `json:"n"`
}

func (s *Server) tickerEvent(m *market, now time.Time) tickerEvent {
	st := s.stats(m, now)
	ev := tickerEvent{Event: "24hrTicker", Time: now.UnixMilli(), Symbol: m.id, Change: st.change, Percent: st.percent,
		Weighted: st.weighted, Last: m.fmtPrice(st.last), LastQty: m.fmtQty(st.lastQty), Open: m.fmtPrice(st.w.o),
		High: m.fmtPrice(st.w.h), Low: m.fmtPrice(st.w.l), Volume: m.fmtQty(st.w.volume), Quote: decString(st.w.quote, quoteDec(m)),
		OpenTime: now.Add(-24 * time.Hour).UnixMilli(), CloseTime: now.UnixMilli(), FirstID: st.w.first, LastID: st.w.last, Count: st.w.trades}
	switch s.cfg.Product {
	case Spot:
		ev.PrevClose = m.fmtPrice(st.prevClose)
		if top, ok := m.book.top(); ok {
			ev.Bid, ev.BidQty = m.fmtPrice(top[0].Price), m.fmtQty(top[0].Qty)
			ev.Ask, ev.AskQty = m.fmtPrice(top[1].Price), m.fmtQty(top[1].Qty)
		}
	case COINM:
		ev.Pair = m.pair
	}
	return ev
}

// quoteDec is the decimals quote volumes are written with (COIN-M: the
// base-coin volume).
func quoteDec(m *market) int {
	if m.contractSize > 0 {
		return 8
	}
	return m.priceDec
}

// bookTickerEvent is <s>@bookTicker: spot {u,s,b,B,a,A}; futures add e, E
// and T (and COIN-M ps).
type bookTickerEvent struct {
	Event  string `json:"e,omitempty"`
	Update int64  `json:"u"`
	Time   int64  `json:"E,omitempty"`
	TTime  int64  `json:"T,omitempty"`
	Symbol string `json:"s"`
	Pair   string `json:"ps,omitempty"`
	Bid    string `json:"b"`
	BidQty string `json:"B"`
	Ask    string `json:"a"`
	AskQty string `json:"A"`
}

func (s *Server) bookTicker(m *market, now time.Time) bookTickerEvent {
	top, _ := m.book.top()
	ev := bookTickerEvent{Update: m.book.lastID, Symbol: m.id, Bid: m.fmtPrice(top[0].Price), BidQty: m.fmtQty(top[0].Qty),
		Ask: m.fmtPrice(top[1].Price), AskQty: m.fmtQty(top[1].Qty)}
	if s.cfg.Product.futures() {
		ev.Event, ev.Time, ev.TTime = "bookTicker", now.UnixMilli(), now.UnixMilli()-1
	}
	if s.cfg.Product == COINM {
		ev.Pair = m.pair
	}
	return ev
}

// klineEvent is <s>@kline_<i>, the current candle of the interval.
type klineEvent struct {
	Event  string    `json:"e"`
	Time   int64     `json:"E"`
	Symbol string    `json:"s"`
	K      klineBody `json:"k"`
}

type klineBody struct {
	Start         int64  `json:"t"`
	End           int64  `json:"T"`
	Symbol        string `json:"s"`
	Interval      string `json:"i"`
	FirstID       int64  `json:"f"`
	LastID        int64  `json:"L"`
	Open          string `json:"o"`
	Close         string `json:"c"`
	High          string `json:"h"`
	Low           string `json:"l"`
	Volume        string `json:"v"`
	Count         int64  `json:"n"`
	Closed        bool   `json:"x"`
	Quote         string `json:"q"`
	TakerBuy      string `json:"V"`
	TakerBuyQuote string `json:"Q"`
	Ignore        string `json:"B"`
}

func newKlineEvent(m *market, iv interval, now time.Time) klineEvent {
	c := m.trades.current(iv, now)
	return klineEvent{Event: "kline", Time: now.UnixMilli(), Symbol: m.id, K: klineBody{
		Start: c.open.UnixMilli(), End: iv.end(c.open).UnixMilli(), Symbol: m.id, Interval: iv.name,
		FirstID: c.first, LastID: c.last, Open: m.fmtPrice(c.o), Close: m.fmtPrice(c.c), High: m.fmtPrice(c.h),
		Low: m.fmtPrice(c.l), Volume: m.fmtQty(c.volume), Count: c.trades, Closed: !now.Before(iv.end(c.open)),
		Quote: decString(c.quote, quoteDec(m)), TakerBuy: m.fmtQty(c.takerBuy), TakerBuyQuote: decString(c.takerBuyQuote, quoteDec(m)),
		Ignore: "0"}}
}

// klineRow is one REST kline: [open time, o, h, l, c, volume, close time,
// quote volume, trades, taker buy volume, taker buy quote volume, "0"].
func klineRow(m *market, iv interval, c candle) []any {
	return []any{c.open.UnixMilli(), m.fmtPrice(c.o), m.fmtPrice(c.h), m.fmtPrice(c.l), m.fmtPrice(c.c), m.fmtQty(c.volume),
		iv.end(c.open).UnixMilli(), decString(c.quote, quoteDec(m)), c.trades, m.fmtQty(c.takerBuy),
		decString(c.takerBuyQuote, quoteDec(m)), "0"}
}

// markPriceEvent is the futures <s>@markPrice event.
type markPriceEvent struct {
	Event       string `json:"e"`
	Time        int64  `json:"E"`
	Symbol      string `json:"s"`
	Mark        string `json:"p"`
	Index       string `json:"i"`
	Settle      string `json:"P"`
	FundingRate string `json:"r"`
	NextFunding int64  `json:"T"`
}

// fundingRate is the constant funding rate of the fake's perpetuals.
const fundingRate = "0.00010000"

func (s *Server) markPriceEvent(m *market, now time.Time) markPriceEvent {
	mark := s.markPrice(m)
	ev := markPriceEvent{Event: "markPriceUpdate", Time: now.UnixMilli(), Symbol: m.id, Mark: decString(m.price(mark), 8),
		Index: decString(m.price(m.trades.lastPrice()), 8), Settle: decString(m.price(mark), 8)}
	if m.delivery.IsZero() {
		ev.FundingRate, ev.NextFunding = fundingRate, nextFunding(now).UnixMilli()
	}
	return ev
}

// markPrice is the middle of the touch (the last price on an empty side).
func (s *Server) markPrice(m *market) int64 {
	if top, ok := m.book.top(); ok {
		return (top[0].Price + top[1].Price) / 2 / m.tick * m.tick
	}
	return m.trades.lastPrice()
}

// nextFunding is the next of 00:00, 08:00 and 16:00 UTC.
func nextFunding(now time.Time) time.Time {
	return now.UTC().Truncate(8 * time.Hour).Add(8 * time.Hour)
}
