package okxtest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// The test account: balances, orders, fills and net-mode positions.
// Orders that cross the book fill against it at once as takers; resting
// orders stay out of the public book and Step fills them as makers.

type balance struct{ cash, frozen decimal.Decimal }

type order struct {
	id                 int64
	clOrdID, tag       string
	m                  *market
	buy                bool
	ordType, tdMode    string
	margin, reduceOnly bool // a spot margin order (margin.go); reduce-only
	px, sz, filled     int64
	value              decimal.Decimal // sum of fill px × sz
	fee                decimal.Decimal // negative: charged
	feeCcy             string
	frozen             decimal.Decimal // still frozen for the rest
	state              string
	cancelSource       string
	created, updated   time.Time
	last               *fill // the fill being pushed
	fills              []*fill
	reqID, amendResult string
}

type fill struct {
	bill, tradeID int64
	o             *order
	px, sz        int64
	fee           decimal.Decimal
	maker         bool
	at            time.Time
}

type position struct {
	pos      int64 // signed units
	avgPx    decimal.Decimal
	created  time.Time
	updated  time.Time
	realized decimal.Decimal
	tradeID  int64
	mgnMode  string // a margin position's: cross or isolated (contracts: cross)
}

type account struct {
	bal       map[string]*balance
	orders    []*order
	byID      map[int64]*order
	fills     []*fill
	positions map[*market]*position
	leverage  map[*market]int64
	nextOrder int64
	nextBill  int64
	placed    map[*market][]time.Time // for the 60 per 2 s limit
}

func newAccount() *account {
	a := &account{bal: map[string]*balance{}, byID: map[int64]*order{}, positions: map[*market]*position{},
		leverage: map[*market]int64{}, nextOrder: 600_000_000_000_000_000, nextBill: 700_000_000_000_000_000,
		placed: map[*market][]time.Time{}}
	for ccy, amt := range map[string]string{"USDT": "1000000", "BTC": "10", "ETH": "100"} {
		a.bal[ccy] = &balance{cash: decimalOf(amt)}
	}
	return a
}

func (a *account) balanceOf(ccy string) *balance {
	if a.bal[ccy] == nil {
		a.bal[ccy] = &balance{}
	}
	return a.bal[ccy]
}

func (a *account) lever(m *market) int64 {
	if l := a.leverage[m]; l > 0 {
		return l
	}
	return min(m.lever, 3)
}

// Fee rates: maker and taker, spot and contracts.
var (
	spotMaker, spotTaker = decimalOf("0.0008"), decimalOf("0.001")
	swapMaker, swapTaker = decimalOf("0.0002"), decimalOf("0.0005")
)

// orderArgs are the fields of a place order request (REST body or WS
// args item).
type orderArgs struct {
	InstID     string          `json:"instId"`
	InstIDCode json.RawMessage `json:"instIdCode"`
	TdMode     string          `json:"tdMode"`
	Side       string          `json:"side"`
	PosSide    string          `json:"posSide"`
	OrdType    string          `json:"ordType"`
	Sz         string          `json:"sz"`
	Px         string          `json:"px"`
	ClOrdID    string          `json:"clOrdId"`
	Tag        string          `json:"tag"`
	TgtCcy     string          `json:"tgtCcy"`
	Ccy        string          `json:"ccy"` // a margin order's margin currency
	ReduceOnly bool            `json:"reduceOnly"`
	// cancel and amend
	OrdID  string `json:"ordId"`
	NewSz  string `json:"newSz"`
	NewPx  string `json:"newPx"`
	ReqID  string `json:"reqId"`
	Cancel bool   `json:"cxlOnFail"`
}

// ack is one order's result: sCode "0" or the refusal.
type ack struct {
	ClOrdID string `json:"clOrdId"`
	OrdID   string `json:"ordId"`
	Tag     string `json:"tag"`
	ReqID   string `json:"reqId,omitempty"`
	Ts      string `json:"ts"`
	SCode   string `json:"sCode"`
	SMsg    string `json:"sMsg"`
}

// instrumentOf resolves instIdCode (which wins) or instId.
func (s *Server) instrumentOf(a orderArgs) *market {
	if len(a.InstIDCode) > 0 && string(a.InstIDCode) != "null" {
		code, err := strconv.ParseInt(strings.Trim(string(a.InstIDCode), `"`), 10, 64)
		if err != nil {
			return nil
		}
		return s.byCode[code]
	}
	return s.byID[a.InstID]
}

func refuse(a orderArgs, now time.Time, code, msg string) ack {
	return ack{ClOrdID: a.ClOrdID, OrdID: "", Tag: a.Tag, Ts: ms(now), SCode: code, SMsg: msg}
}

// placeLocked places an order and returns its ack.
func (s *Server) placeLocked(a orderArgs, now time.Time) ack {
	m := s.instrumentOf(a)
	if m == nil {
		return refuse(a, now, "51001", "Instrument ID, Instrument ID code, or Spread ID doesn't exist.")
	}
	acct := s.acct
	recent := acct.placed[m][:0]
	for _, t := range acct.placed[m] {
		if now.Sub(t) < 2*time.Second {
			recent = append(recent, t)
		}
	}
	acct.placed[m] = recent
	if len(recent) >= s.cfg.OrderRate {
		return refuse(a, now, "50011", "Rate limit reached. Please refer to API documentation and throttle requests accordingly.")
	}
	acct.placed[m] = append(recent, now)
	buy := a.Side == "buy"
	switch {
	case a.Side != "buy" && a.Side != "sell":
		return refuse(a, now, "51000", "Parameter side error")
	case a.TdMode != "cross" && a.TdMode != "isolated" && (m.contract() || a.TdMode != "cash"):
		return refuse(a, now, "51000", "Parameter tdMode error")
	case a.ReduceOnly && !m.contract() && a.TdMode == "cash":
		return refuse(a, now, "51000", "Parameter reduceOnly error")
	case len(a.ClOrdID) > 32:
		return refuse(a, now, "51000", "Parameter clOrdId error")
	}
	if a.ClOrdID != "" {
		for _, o := range acct.orders {
			if o.clOrdID == a.ClOrdID && (o.state == "live" || o.state == "partially_filled") {
				return refuse(a, now, "51016", "Duplicated clOrdId")
			}
		}
	}
	limit := a.OrdType != "market"
	switch a.OrdType {
	case "market", "limit", "post_only", "fok", "ioc":
	default:
		return refuse(a, now, "51000", "Parameter ordType error")
	}
	var px int64
	if limit {
		var ok bool
		if px, ok = m.parsePrice(a.Px); !ok {
			return refuse(a, now, "51000", "Parameter px error")
		}
	}
	quoteSized := !m.contract() && !limit && buy && a.TgtCcy != "base_ccy"
	var sz int64
	var quoteAmt decimal.Decimal
	if quoteSized {
		d, err := decimal.NewFromString(a.Sz)
		if err != nil || !d.IsPositive() {
			return refuse(a, now, "51000", "Parameter sz error")
		}
		quoteAmt = d
	} else {
		var ok bool
		if sz, ok = m.parseSize(a.Sz); !ok {
			return refuse(a, now, "51121", "Order quantity must be a multiple of the lot size.")
		}
		if sz < m.minSz {
			return refuse(a, now, "51020", "Your order should meet or exceed the minimum order amount.")
		}
		if sz > m.maxLmtSz {
			return refuse(a, now, "51202", "Market order amount exceeds the maximum amount.")
		}
	}
	margin := !m.contract() && a.TdMode != "cash"
	if margin {
		if code, msg := s.marginCheckLocked(m, a, buy, sz); code != "" {
			return refuse(a, now, code, msg)
		}
	}
	// What the order ties up: the most it can cost.
	ccy := m.marginCcy(buy)
	if margin {
		ccy = m.quote
	}
	var need decimal.Decimal
	refPx := px
	if !limit {
		refPx = m.trades.last().px * 11 / 10
		if !buy {
			refPx = m.trades.last().px
		}
	}
	switch {
	case quoteSized:
		need = quoteAmt
	case margin && a.ReduceOnly:
		need = decimal.Zero // closes a position: its margin is held already
	case m.contract(), margin:
		need = m.notional(refPx, sz).Div(decimal.NewFromInt(acct.lever(m)))
	case buy:
		need = m.notional(refPx, sz)
	default:
		need = m.sizeD(sz)
	}
	b := acct.balanceOf(ccy)
	if b.cash.Sub(b.frozen).LessThan(need) {
		return refuse(a, now, "51008", "Order failed. Insufficient "+ccy+" balance in account.")
	}
	acct.nextOrder += 1 + int64(s.rng.IntN(1000))
	o := &order{id: acct.nextOrder, clOrdID: a.ClOrdID, tag: a.Tag, m: m, buy: buy, ordType: a.OrdType, tdMode: a.TdMode,
		margin: margin, reduceOnly: a.ReduceOnly, px: px, sz: sz, state: "live", created: now, updated: now, feeCcy: feeCcyOf(m, buy)}
	if margin {
		o.feeCcy = m.quote
	}
	if limit {
		o.frozen = need
		b.frozen = b.frozen.Add(need)
	}
	acct.orders = append(acct.orders, o)
	acct.byID[o.id] = o
	s.pushOrderLocked(o, now)
	s.takeLocked(o, quoteAmt, now)
	return ack{ClOrdID: o.clOrdID, OrdID: itoa(o.id), Tag: o.tag, Ts: ms(now), SCode: "0", SMsg: "Order placed"}
}

func feeCcyOf(m *market, buy bool) string {
	switch {
	case m.contract():
		return m.settle
	case buy:
		return m.base
	}
	return m.quote
}

// takeLocked runs a new order against the book: market orders and
// crossing limits fill as takers; what cannot rest is canceled.
func (s *Server) takeLocked(o *order, quoteAmt decimal.Decimal, now time.Time) {
	m := o.m
	side := &m.book.bids
	if o.buy {
		side = &m.book.asks
	}
	crosses := func(px int64) bool {
		return o.ordType == "market" || (o.buy && px <= o.px) || (!o.buy && px >= o.px)
	}
	if lv, ok := side.Best(); ok && crosses(lv.Price) && o.ordType == "post_only" {
		s.cancelLocked(o, "post_only", now)
		return
	}
	if o.ordType == "fok" {
		var avail int64
		for _, lv := range side.Levels {
			if crosses(lv.Price) {
				avail += lv.Qty
			}
		}
		if avail < o.sz {
			s.cancelLocked(o, "fok", now)
			return
		}
	}
	var trades []trade
	for len(side.Levels) > 0 {
		lv := side.Levels[0]
		if !crosses(lv.Price) {
			break
		}
		var take int64
		if !quoteAmt.IsZero() { // a spot market buy sized in quote
			take = quoteAmt.Div(m.priceD(lv.Price)).Shift(m.szDec).IntPart() / m.lot * m.lot
			take = min(take, lv.Qty)
			if take <= 0 {
				break
			}
			quoteAmt = quoteAmt.Sub(m.notional(lv.Price, take))
			o.sz += take
		} else {
			take = min(lv.Qty, o.sz-o.filled)
			if take <= 0 {
				break
			}
		}
		m.book.set(side.Bids, lv.Price, lv.Qty-take, max(1, lv.Count-1))
		trades = append(trades, s.printLocked(m, lv.Price, take, o.buy, now))
		s.fillLocked(o, lv.Price, take, false, now)
	}
	if len(trades) > 0 {
		s.publishBookLocked(m, now)
		s.publishTradesLocked(m, trades, now)
	}
	if (o.ordType == "market" || o.ordType == "ioc") && o.state != "filled" {
		s.cancelLocked(o, o.ordType, now)
	}
}

// fillLocked fills sz of o at px, settles balances and positions, and
// pushes the changes.
func (s *Server) fillLocked(o *order, px, sz int64, maker bool, now time.Time) {
	m, acct := o.m, s.acct
	rate := spotTaker
	switch {
	case m.contract() && maker:
		rate = swapMaker
	case m.contract():
		rate = swapTaker
	case maker:
		rate = spotMaker
	}
	notional := m.notional(px, sz)
	var fee decimal.Decimal
	if !m.contract() && o.buy && !o.margin {
		fee = m.sizeD(sz).Mul(rate)
	} else {
		fee = notional.Mul(rate)
	}
	fee = fee.Round(8)
	// release what this part had frozen
	if o.frozen.IsPositive() {
		part := o.frozen.Mul(decimal.NewFromInt(sz)).Div(decimal.NewFromInt(o.sz - o.filled)).Round(12)
		if o.filled+sz >= o.sz {
			part = o.frozen
		}
		o.frozen = o.frozen.Sub(part)
		b := acct.balanceOf(o.frozenCcy())
		b.frozen = b.frozen.Sub(part)
	}
	switch {
	case o.margin:
		acct.balanceOf(m.quote).cash = acct.balanceOf(m.quote).cash.Sub(fee)
		s.moveMarginLocked(o, px, sz, now)
	case m.contract():
		acct.balanceOf(m.settle).cash = acct.balanceOf(m.settle).cash.Sub(fee)
		s.movePositionLocked(m, o.buy, px, sz, now)
	case o.buy:
		acct.balanceOf(m.quote).cash = acct.balanceOf(m.quote).cash.Sub(notional)
		acct.balanceOf(m.base).cash = acct.balanceOf(m.base).cash.Add(m.sizeD(sz)).Sub(fee)
	default:
		acct.balanceOf(m.base).cash = acct.balanceOf(m.base).cash.Sub(m.sizeD(sz))
		acct.balanceOf(m.quote).cash = acct.balanceOf(m.quote).cash.Add(notional).Sub(fee)
	}
	acct.nextBill += 1 + int64(s.rng.IntN(100))
	f := &fill{bill: acct.nextBill, tradeID: m.trades.last().id, o: o, px: px, sz: sz, fee: fee.Neg(), maker: maker, at: now}
	acct.fills = append(acct.fills, f)
	o.fills = append(o.fills, f)
	o.filled += sz
	o.value = o.value.Add(m.priceD(px).Mul(m.sizeD(sz)))
	o.fee = o.fee.Sub(fee)
	o.last, o.updated = f, now
	o.state = "partially_filled"
	if o.filled >= o.sz && o.sz > 0 {
		o.state = "filled"
	}
	s.pushOrderLocked(o, now)
	o.last = nil
	s.pushFillLocked(f)
	s.pushBalancesLocked(now)
}

// movePositionLocked applies a contract fill to the net position.
func (s *Server) movePositionLocked(m *market, buy bool, px, sz int64, now time.Time) {
	p := s.acct.positions[m]
	if p == nil {
		p = &position{created: now}
		s.acct.positions[m] = p
	}
	signed := sz
	if !buy {
		signed = -sz
	}
	price := m.priceD(px)
	switch {
	case p.pos == 0 || (p.pos > 0) == (signed > 0):
		total := decimal.NewFromInt(abs(p.pos) + sz)
		p.avgPx = p.avgPx.Mul(decimal.NewFromInt(abs(p.pos))).Add(price.Mul(decimal.NewFromInt(sz))).Div(total).Round(8)
	default:
		closed := min(abs(p.pos), sz)
		pnl := s.pnl(m, p.avgPx, price, closed, p.pos > 0)
		p.realized = p.realized.Add(pnl)
		s.acct.balanceOf(m.settle).cash = s.acct.balanceOf(m.settle).cash.Add(pnl)
		if sz > closed {
			p.avgPx = price
		}
	}
	p.pos += signed
	p.updated = now
	p.tradeID = m.trades.last().id
}

// pnl is the profit of closing qty units from avg to px.
func (s *Server) pnl(m *market, avg, px decimal.Decimal, qty int64, long bool) decimal.Decimal {
	ct := m.sizeD(qty).Mul(decimalOf(m.ctVal))
	var v decimal.Decimal
	if m.inverse {
		if avg.IsZero() || px.IsZero() {
			return decimal.Zero
		}
		v = ct.Div(avg).Sub(ct.Div(px))
	} else {
		v = ct.Mul(px.Sub(avg))
	}
	if !long {
		v = v.Neg()
	}
	return v.Round(8)
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// cancelLocked ends an order and releases what it froze.
func (s *Server) cancelLocked(o *order, source string, now time.Time) {
	if o.frozen.IsPositive() {
		b := s.acct.balanceOf(o.frozenCcy())
		b.frozen = b.frozen.Sub(o.frozen)
		o.frozen = decimal.Zero
	}
	o.state, o.cancelSource, o.updated = "canceled", source, now
	s.pushOrderLocked(o, now)
	s.pushBalancesLocked(now)
}

// findOrder finds an order by ordId (which wins) or clOrdId.
func (s *Server) findOrder(m *market, ordID, clOrdID string) *order {
	if ordID != "" {
		id, _ := strconv.ParseInt(ordID, 10, 64)
		if o := s.acct.byID[id]; o != nil && o.m == m {
			return o
		}
		return nil
	}
	for i := len(s.acct.orders) - 1; i >= 0; i-- {
		if o := s.acct.orders[i]; o.m == m && clOrdID != "" && o.clOrdID == clOrdID {
			return o
		}
	}
	return nil
}

// cancelOrderLocked answers a cancel request.
func (s *Server) cancelOrderLocked(a orderArgs, now time.Time) ack {
	m := s.instrumentOf(a)
	if m == nil {
		return refuse(a, now, "51001", "Instrument ID, Instrument ID code, or Spread ID doesn't exist.")
	}
	if a.OrdID == "" && a.ClOrdID == "" {
		return refuse(a, now, "50014", "Parameter ordId can not be empty")
	}
	o := s.findOrder(m, a.OrdID, a.ClOrdID)
	switch {
	case o == nil:
		return ack{ClOrdID: a.ClOrdID, OrdID: a.OrdID, Ts: ms(now), SCode: "51400", SMsg: "Order cancellation failed as the order has been filled, canceled or does not exist."}
	case o.state == "canceled":
		return ack{ClOrdID: o.clOrdID, OrdID: itoa(o.id), Ts: ms(now), SCode: "51401", SMsg: "Order has been canceled already."}
	case o.state == "filled":
		return ack{ClOrdID: o.clOrdID, OrdID: itoa(o.id), Ts: ms(now), SCode: "51402", SMsg: "Order has been completed already."}
	}
	s.cancelLocked(o, "user_canceled", now)
	return ack{ClOrdID: o.clOrdID, OrdID: itoa(o.id), Ts: ms(now), SCode: "0", SMsg: ""}
}

// amendOrderLocked answers an amend request: a new size (not below what
// filled) and/or a new price.
func (s *Server) amendOrderLocked(a orderArgs, now time.Time) ack {
	m := s.instrumentOf(a)
	if m == nil {
		return refuse(a, now, "51001", "Instrument ID, Instrument ID code, or Spread ID doesn't exist.")
	}
	o := s.findOrder(m, a.OrdID, a.ClOrdID)
	res := func(code, msg string) ack {
		r := ack{ClOrdID: a.ClOrdID, OrdID: a.OrdID, ReqID: a.ReqID, Ts: ms(now), SCode: code, SMsg: msg}
		if o != nil {
			r.ClOrdID, r.OrdID = o.clOrdID, itoa(o.id)
		}
		return r
	}
	switch {
	case o == nil:
		return res("51503", "Order modification failed as the order has been filled, canceled or does not exist.")
	case o.state == "canceled":
		return res("51509", "Modification failed as the order has been canceled.")
	case o.state == "filled":
		return res("51510", "Modification failed as the order has been completed.")
	case a.NewSz == "" && a.NewPx == "":
		return res("51000", "Parameter newSz error")
	case o.ordType == "market":
		return res("51000", "Parameter ordType error")
	}
	newSz, newPx := o.sz, o.px
	var ok bool
	if a.NewSz != "" {
		if newSz, ok = m.parseSize(a.NewSz); !ok || newSz <= o.filled {
			return res("51000", "Parameter newSz error")
		}
	}
	if a.NewPx != "" {
		if newPx, ok = m.parsePrice(a.NewPx); !ok {
			return res("51000", "Parameter newPx error")
		}
	}
	need := m.notional(newPx, newSz-o.filled)
	switch {
	case o.margin && o.reduceOnly:
		need = decimal.Zero
	case m.contract(), o.margin:
		need = need.Div(decimal.NewFromInt(s.acct.lever(m)))
	case !o.buy:
		need = m.sizeD(newSz - o.filled)
	}
	b := s.acct.balanceOf(o.frozenCcy())
	if b.cash.Sub(b.frozen).Add(o.frozen).LessThan(need) {
		return res("51008", "Order failed. Insufficient "+o.frozenCcy()+" balance in account.")
	}
	b.frozen = b.frozen.Sub(o.frozen).Add(need)
	o.frozen, o.sz, o.px, o.updated = need, newSz, newPx, now
	o.reqID, o.amendResult = a.ReqID, "0"
	s.pushOrderLocked(o, now)
	o.reqID, o.amendResult = "", ""
	s.takeLocked(o, decimal.Zero, now)
	return res("0", "")
}

// fillRestingLocked fills part or all of a random resting order as a
// maker, printing the trade.
func (s *Server) fillRestingLocked(now time.Time) {
	var live []*order
	for _, o := range s.acct.orders {
		if o.state == "live" || o.state == "partially_filled" {
			live = append(live, o)
		}
	}
	if len(live) == 0 {
		return
	}
	o := live[s.rng.IntN(len(live))]
	left := o.sz - o.filled
	sz := left
	if s.rng.IntN(2) == 0 && left/o.m.lot > 1 {
		sz = o.m.lot * (1 + int64(s.rng.IntN(int(left/o.m.lot-1))))
	}
	tr := s.printLocked(o.m, o.px, sz, !o.buy, now)
	s.fillLocked(o, o.px, sz, true, now)
	s.publishTradesLocked(o.m, []trade{tr}, now)
}

// orderJSON writes an order as REST does; ws adds the orders channel's
// fields of the last fill and amend.
func (o *order) json(ws bool) map[string]any {
	m := o.m
	side := "sell"
	if o.buy {
		side = "buy"
	}
	avg := ""
	if o.filled > 0 {
		avg = o.value.Div(m.sizeD(o.filled)).Round(m.priceDec + 4).String()
	}
	px := ""
	if o.ordType != "market" {
		px = m.price(o.px)
	}
	out := map[string]any{"accFillSz": m.size(o.filled), "algoClOrdId": "", "algoId": "", "attachAlgoClOrdId": "",
		"attachAlgoOrds": []any{}, "avgPx": avg, "cTime": ms(o.created), "cancelSource": o.cancelSource, "cancelSourceReason": "",
		"category": "normal", "ccy": "", "clOrdId": o.clOrdID, "fee": o.fee.String(), "feeCcy": o.feeCcy, "fillPx": "", "fillSz": "0",
		"fillTime": "", "instId": m.id, "instType": m.instType, "isTpLimit": "false", "lever": "", "linkedAlgoOrd": map[string]string{"algoId": ""},
		"ordId": itoa(o.id), "ordType": o.ordType, "pnl": "0", "posSide": "net", "px": px, "pxType": "", "pxUsd": "", "pxVol": "",
		"quickMgnType": "", "rebate": "0", "rebateCcy": m.quote, "reduceOnly": "false", "side": side, "slOrdPx": "", "slTriggerPx": "",
		"slTriggerPxType": "", "source": "", "state": o.state, "stpId": "", "stpMode": "cancel_maker", "sz": m.size(o.sz), "tag": o.tag,
		"tdMode": o.tdMode, "tgtCcy": "", "tpOrdPx": "", "tpTriggerPx": "", "tpTriggerPxType": "", "tradeId": "", "uTime": ms(o.updated)}
	if m.contract() {
		out["lever"] = "3"
	}
	if o.margin {
		out["ccy"], out["lever"] = m.quote, "3"
	}
	if o.reduceOnly {
		out["reduceOnly"] = "true"
	}
	f := o.last
	if f == nil && !ws && len(o.fills) > 0 {
		f = o.fills[len(o.fills)-1]
	}
	{
		if f != nil {
			out["fillPx"], out["fillSz"], out["fillTime"], out["tradeId"] = m.price(f.px), m.size(f.sz), ms(f.at), itoa(f.tradeID)
		}
	}
	if ws {
		out["fillFee"], out["fillFeeCcy"], out["execType"] = "0", "", ""
		if f := o.last; f != nil {
			out["fillFee"], out["fillFeeCcy"], out["execType"] = f.fee.String(), o.feeCcy, execType(f.maker)
		}
		out["code"], out["msg"], out["reqId"], out["amendResult"], out["amendSource"] = "0", "", o.reqID, o.amendResult, ""
		out["fillNotionalUsd"], out["notionalUsd"], out["fillMarkPx"], out["fillPnl"] = "", "", "", "0"
	}
	return out
}

func execType(maker bool) string {
	if maker {
		return "M"
	}
	return "T"
}

// REST handlers.

func (s *Server) decodeArgs(body []byte) (orderArgs, *apiError) {
	var a orderArgs
	if len(body) == 0 {
		return a, &apiError{http.StatusBadRequest, "50000", "Body for POST request cannot be empty."}
	}
	if err := json.Unmarshal(body, &a); err != nil {
		return a, &apiError{http.StatusBadRequest, "50002", "JSON syntax error"}
	}
	return a, nil
}

// orderReply wraps one ack: code "0", or "1" with the ack's sCode.
func orderReply(r ack) any {
	if r.SCode != "0" {
		return envelope{Code: "1", Msg: "All operations failed", Data: []ack{r}}
	}
	return []ack{r}
}

func (s *Server) restPlace(_ url.Values, body []byte, now time.Time) (any, *apiError) {
	a, e := s.decodeArgs(body)
	if e != nil {
		return nil, e
	}
	r := s.placeLocked(a, now)
	if r.SCode == "50011" {
		return nil, &apiError{http.StatusTooManyRequests, "50011", "Too Many Requests"}
	}
	return orderReply(r), nil
}

func (s *Server) restCancel(_ url.Values, body []byte, now time.Time) (any, *apiError) {
	a, e := s.decodeArgs(body)
	if e != nil {
		return nil, e
	}
	return orderReply(s.cancelOrderLocked(a, now)), nil
}

func (s *Server) restAmend(_ url.Values, body []byte, now time.Time) (any, *apiError) {
	a, e := s.decodeArgs(body)
	if e != nil {
		return nil, e
	}
	return orderReply(s.amendOrderLocked(a, now)), nil
}

func (s *Server) restQuery(q url.Values, _ []byte, _ time.Time) (any, *apiError) {
	m, e := s.marketParam(q)
	if e != nil {
		return nil, e
	}
	if q.Get("ordId") == "" && q.Get("clOrdId") == "" {
		return nil, emptyParam("ordId")
	}
	o := s.findOrder(m, q.Get("ordId"), q.Get("clOrdId"))
	if o == nil {
		return envelope{Code: "51603", Msg: "Order does not exist", Data: []any{}}, nil
	}
	return []any{o.json(false)}, nil
}

// listOrders pages orders newest first by ordId (after: older than,
// before: newer than).
func (s *Server) listOrders(q url.Values, keep func(*order) bool) (any, *apiError) {
	n, e := limitOf(q, 100, 100)
	if e != nil {
		return nil, e
	}
	after, _ := strconv.ParseInt(q.Get("after"), 10, 64)
	before, _ := strconv.ParseInt(q.Get("before"), 10, 64)
	out := []any{}
	for i := len(s.acct.orders) - 1; i >= 0 && len(out) < n; i-- {
		o := s.acct.orders[i]
		if !keep(o) || (q.Get("instType") != "" && o.m.instType != q.Get("instType")) || (q.Get("instId") != "" && o.m.id != q.Get("instId")) ||
			(after != 0 && o.id >= after) || (before != 0 && o.id <= before) {
			continue
		}
		out = append(out, o.json(false))
	}
	return out, nil
}

func (s *Server) restOpenOrders(q url.Values, _ []byte, _ time.Time) (any, *apiError) {
	return s.listOrders(q, func(o *order) bool { return o.state == "live" || o.state == "partially_filled" })
}

func (s *Server) restOrderHistory(q url.Values, _ []byte, now time.Time) (any, *apiError) {
	if q.Get("instType") == "" {
		return nil, emptyParam("instType")
	}
	return s.listOrders(q, func(o *order) bool {
		return (o.state == "filled" || o.state == "canceled") && now.Sub(o.updated) < 7*24*time.Hour
	})
}

func (s *Server) restFills(q url.Values, _ []byte, _ time.Time) (any, *apiError) {
	n, e := limitOf(q, 100, 100)
	if e != nil {
		return nil, e
	}
	after, _ := strconv.ParseInt(q.Get("after"), 10, 64)
	before, _ := strconv.ParseInt(q.Get("before"), 10, 64)
	out := []any{}
	for i := len(s.acct.fills) - 1; i >= 0 && len(out) < n; i-- {
		f := s.acct.fills[i]
		m := f.o.m
		if (q.Get("instType") != "" && m.instType != q.Get("instType")) || (q.Get("instId") != "" && m.id != q.Get("instId")) ||
			(q.Get("ordId") != "" && q.Get("ordId") != itoa(f.o.id)) || (after != 0 && f.bill >= after) || (before != 0 && f.bill <= before) {
			continue
		}
		out = append(out, f.json())
	}
	return out, nil
}

// json writes a fill as /trade/fills does.
func (f *fill) json() map[string]any {
	o, m := f.o, f.o.m
	side := "sell"
	if o.buy {
		side = "buy"
	}
	rate := f.fee.Div(m.notional(f.px, f.sz)).Round(6)
	return map[string]any{"side": side, "fillSz": m.size(f.sz), "fillPx": m.price(f.px), "fillPxVol": "", "fillFwdPx": "",
		"fee": f.fee.String(), "fillPnl": "0", "ordId": itoa(o.id), "feeRate": rate.String(), "instType": m.instType, "fillPxUsd": "",
		"instId": m.id, "clOrdId": o.clOrdID, "posSide": "net", "billId": itoa(f.bill), "fillMarkVol": "", "tag": o.tag,
		"fillTime": ms(f.at), "execType": execType(f.maker), "fillIdxPx": "", "tradeId": itoa(f.tradeID), "fillMarkPx": "",
		"feeCcy": o.feeCcy, "ts": ms(f.at)}
}

func (s *Server) restBalance(q url.Values, _ []byte, now time.Time) (any, *apiError) {
	var want map[string]bool
	if c := q.Get("ccy"); c != "" {
		want = map[string]bool{}
		for _, x := range strings.Split(c, ",") {
			want[x] = true
		}
	}
	return []any{s.accountJSON(now, want)}, nil
}

// accountJSON is the account's balance summary with a detail per
// currency, as /account/balance and the account channel write it.
func (s *Server) accountJSON(now time.Time, want map[string]bool) map[string]any {
	details := []any{}
	ccys := make([]string, 0, len(s.acct.bal))
	for c := range s.acct.bal {
		ccys = append(ccys, c)
	}
	sort.Strings(ccys)
	for _, c := range ccys {
		if want != nil && !want[c] {
			continue
		}
		b := s.acct.bal[c]
		avail := b.cash.Sub(b.frozen)
		details = append(details, map[string]any{"availBal": avail.String(), "availEq": avail.String(), "borrowFroz": "",
			"cashBal": b.cash.String(), "ccy": c, "crossLiab": "", "disEq": b.cash.String(), "eq": b.cash.String(), "eqUsd": b.cash.String(),
			"fixedBal": "0", "frozenBal": b.frozen.String(), "imr": "", "interest": "", "isoEq": "0", "isoLiab": "", "isoUpl": "0",
			"liab": "", "maxLoan": "", "mgnRatio": "", "mmr": "", "notionalLever": "", "ordFrozen": b.frozen.String(), "rewardBal": "0",
			"smtSyncEq": "0", "spotInUseAmt": "", "spotIsoBal": "0", "stgyEq": "0", "twap": "0", "uTime": ms(now), "upl": "0", "uplLiab": ""})
	}
	return map[string]any{"adjEq": "", "borrowFroz": "", "details": details, "imr": "", "isoEq": "0", "mgnRatio": "", "mmr": "",
		"notionalUsd": "", "ordFroz": "", "totalEq": s.acct.balanceOf("USDT").cash.String(), "uTime": ms(now), "upl": ""}
}

func (s *Server) restPositions(q url.Values, _ []byte, now time.Time) (any, *apiError) {
	out := []any{}
	for _, m := range s.markets {
		p := s.acct.positions[m]
		if p == nil || p.pos == 0 || (q.Get("instType") != "" && q.Get("instType") != m.positionType()) ||
			(q.Get("instId") != "" && !strings.Contains(","+q.Get("instId")+",", ","+m.id+",")) {
			continue
		}
		out = append(out, s.positionJSON(m, p, now))
	}
	return out, nil
}

// positionJSON writes a net position.
func (s *Server) positionJSON(m *market, p *position, now time.Time) map[string]any {
	if !m.contract() {
		return s.marginPositionJSON(m, p)
	}
	mark := m.trades.last().px
	upl := s.pnl(m, p.avgPx, m.priceD(mark), abs(p.pos), p.pos > 0)
	lever := s.acct.lever(m)
	imr := m.notional(mark, abs(p.pos)).Div(decimal.NewFromInt(lever)).Round(8)
	return map[string]any{"adl": "1", "availPos": "", "avgPx": p.avgPx.String(), "cTime": ms(p.created), "ccy": m.settle,
		"imr": imr.String(), "instId": m.id, "instType": m.instType, "last": m.price(mark), "lever": itoa(lever), "liqPx": "",
		"markPx": m.price(mark), "mgnMode": "cross", "mgnRatio": "", "mmr": imr.Div(decimal.NewFromInt(10)).Round(8).String(),
		"notionalUsd": m.notional(mark, abs(p.pos)).Round(8).String(), "pos": signedSize(m, p.pos), "posCcy": "", "posId": itoa(m.code*1000 + 7),
		"posSide": "net", "realizedPnl": p.realized.String(), "tradeId": itoa(p.tradeID), "uTime": ms(p.updated), "upl": upl.String(),
		"uplRatio": "0", "fee": "0", "fundingFee": "0", "margin": "", "pnl": p.realized.String(), "bePx": p.avgPx.String(), "idxPx": m.price(mark),
		"liab": "", "liabCcy": "", "interest": "", "optVal": "", "usdPx": "", "deltaBS": "", "deltaPA": "", "gammaBS": "", "gammaPA": "",
		"thetaBS": "", "thetaPA": "", "vegaBS": "", "vegaPA": "", "closeOrderAlgo": []any{}, "bizRefId": "", "bizRefType": "",
		"baseBal": "", "baseBorrowed": "", "baseInterest": "", "quoteBal": "", "quoteBorrowed": "", "quoteInterest": "", "liqPenalty": "0",
		"pendingCloseOrdLiabVal": "", "spotInUseAmt": "", "spotInUseCcy": "", "uplLastPx": upl.String(), "uplRatioLastPx": "0"}
}

func signedSize(m *market, u int64) string {
	if u < 0 {
		return "-" + m.size(-u)
	}
	return m.size(u)
}

func (s *Server) restSetLeverage(_ url.Values, body []byte, _ time.Time) (any, *apiError) {
	var a struct{ InstID, Ccy, Lever, MgnMode, PosSide string }
	if err := json.Unmarshal(body, &a); err != nil {
		return nil, &apiError{http.StatusBadRequest, "50002", "JSON syntax error"}
	}
	m := s.byID[a.InstID]
	lever, err := strconv.ParseInt(a.Lever, 10, 64)
	switch {
	case a.InstID == "" && a.Ccy != "": // a currency's cross margin leverage (spot mode, multi-currency margin)
		if a.MgnMode != "cross" {
			return nil, badParam("mgnMode")
		}
		if err != nil || lever < 1 || lever > 10 {
			return nil, &apiError{http.StatusBadRequest, "59102", "Leverage exceeds the maximum leverage. Adjust the leverage."}
		}
		return []any{map[string]string{"lever": a.Lever, "mgnMode": a.MgnMode, "instId": "", "posSide": "", "ccy": a.Ccy}}, nil
	case m == nil:
		return nil, &apiError{http.StatusBadRequest, "51001", "Instrument ID, Instrument ID code, or Spread ID doesn't exist."}
	case a.MgnMode != "cross" && a.MgnMode != "isolated":
		return nil, badParam("mgnMode")
	case err != nil || lever < 1 || lever > m.lever:
		return nil, &apiError{http.StatusBadRequest, "59102", "Leverage exceeds the maximum leverage. Adjust the leverage."}
	}
	s.acct.leverage[m] = lever
	return []any{map[string]string{"lever": a.Lever, "mgnMode": a.MgnMode, "instId": m.id, "posSide": a.PosSide}}, nil
}
