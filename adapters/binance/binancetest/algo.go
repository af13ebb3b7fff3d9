package binancetest

import (
	"net/url"
	"time"

	"github.com/shopspring/decimal"
)

// The futures Algo Service, kept simple: conditional orders (algoType
// CONDITIONAL; STOP, STOP_MARKET, TAKE_PROFIT, TAKE_PROFIT_MARKET) on
// POST, DELETE and GET algoOrder and GET openAlgoOrders (GET algoOrder on
// USD-M only: the COIN-M notice documents no query), with ALGO_UPDATE
// events. An order is checked as an ordinary order of its execution type
// (LIMIT for STOP and TAKE_PROFIT, MARKET for the _MARKET ones) plus its
// triggerPrice (tick); one whose trigger the last trade price has already
// reached is refused with -2021. It rests (NEW) until Step prints a last
// trade price that reaches the trigger by the docs' rule — STOP BUY and
// TAKE_PROFIT SELL when last ≥ trigger, STOP SELL and TAKE_PROFIT BUY when
// last ≤ trigger — and then places the ordinary order (TRIGGERED, with
// actualOrderId; its client order id is the client algo id, a choice of
// the fake, the docs do not say), which runs as any order: a market one
// fills at once, a limit one may rest. When that order is no longer open
// the algo order is FINISHED; an ordinary order the matching engine
// refuses makes it REJECTED. TRAILING_STOP_MARKET takes callbackRate
// (0.1 to 10, in percent) and an optional activatePrice (a SELL's above
// the last price, a BUY's below, else -2021; the last price when none),
// and no triggerPrice: by the docs' rule a SELL fires once the highest
// last price since placement has reached activatePrice and the last price
// is at or below that highest × (1 − callbackRate/100), a BUY once the
// lowest has reached it and the last is at or above the lowest × (1 +
// callbackRate/100); its triggerPrice in replies and events is that
// moving stop (a choice of the fake: the docs do not say). closePosition,
// priceMatch, workingType MARK_PRICE and priceProtect are not served.

// codeWouldTrigger is -2021, "Order would immediately trigger."
const codeWouldTrigger = -2021

// algoOrder is one conditional order of the account.
type algoOrder struct {
	id         int64
	clientID   string
	m          *market
	buy        bool
	typ        string // STOP, STOP_MARKET, TAKE_PROFIT, TAKE_PROFIT_MARKET, TRAILING_STOP_MARKET
	tif        string
	price      int64 // 0 for the _MARKET types
	qty        int64
	trigger    int64
	reduceOnly bool
	status     string // NEW, CANCELED, TRIGGERED, FINISHED, REJECTED
	actual     *order // the ordinary order placed when triggered
	reason     string // why it was rejected
	created    time.Time
	updated    time.Time
	triggered  time.Time
	trail      *trailing // TRAILING_STOP_MARKET
}

// trailing is a TRAILING_STOP_MARKET order's state.
type trailing struct {
	rate     decimal.Decimal // callbackRate, in percent
	rawRate  string
	activate int64 // activatePrice, in ticks
	rawAct   string
	extreme  int64 // the highest (SELL) or lowest (BUY) last price since placement
	active   bool  // extreme has reached activate
}

// follow moves a trailing stop with the last price and reports whether it
// fires; a.trigger becomes the moving stop once active.
func (a *algoOrder) follow(last int64) bool {
	t := a.trail
	if (!a.buy && last > t.extreme) || (a.buy && last < t.extreme) {
		t.extreme = last
	}
	if !t.active {
		t.active = (!a.buy && t.extreme >= t.activate) || (a.buy && t.extreme <= t.activate)
		if !t.active {
			return false
		}
	}
	factor := decimal.NewFromInt(1).Sub(t.rate.Shift(-2))
	if a.buy {
		factor = decimal.NewFromInt(1).Add(t.rate.Shift(-2))
	}
	stop, tick := a.m.price(t.extreme).Mul(factor).Shift(int32(a.m.priceDec)), decimal.NewFromInt(a.m.tick)
	if a.buy { // on the tick grid, away from the price
		a.trigger = stop.Div(tick).Ceil().IntPart() * a.m.tick
		return last >= a.trigger
	}
	a.trigger = stop.Div(tick).Floor().IntPart() * a.m.tick
	return last <= a.trigger
}

// firstAlgoID is the fake's first algo id. The docs' examples have small
// ids (2146760), but the live ids seen in public reports are 16 digits
// from 4000000000000000 up, apart from the ordinary order ids; the fake
// does the same, so that an algo order and an ordinary order of one symbol
// never share an id.
const firstAlgoID = 4_000_000_000_000_000

// algoBook is the account's conditional orders.
type algoBook struct {
	next   int64
	orders []*algoOrder // oldest first
}

func (a *algoOrder) side() string {
	if a.buy {
		return "BUY"
	}
	return "SELL"
}

// execType is the ordinary order type a conditional type places.
func (a *algoOrder) execType() string {
	if a.typ == "STOP" || a.typ == "TAKE_PROFIT" {
		return "LIMIT"
	}
	return "MARKET"
}

// fires reports whether a last trade price reaches the trigger.
func (a *algoOrder) fires(last int64) bool {
	stop := a.typ == "STOP" || a.typ == "STOP_MARKET"
	if stop == a.buy {
		return last >= a.trigger
	}
	return last <= a.trigger
}

// algoEndpoints are the Algo Service's REST routes (futures).
func (s *Server) algoEndpoints() []endpoint {
	p := s.prefix()
	eps := []endpoint{
		{"POST", p + "/algoOrder", weight(0), secSigned, s.restNewAlgoOrder},
		{"DELETE", p + "/algoOrder", weight(1), secSigned, s.restCancelAlgoOrder},
		{"GET", p + "/openAlgoOrders", s.manyWeight(1, 40), secSigned, s.restOpenAlgoOrders},
	}
	if s.cfg.Product == USDM {
		eps = append(eps, endpoint{"GET", p + "/algoOrder", weight(1), secSigned, s.restQueryAlgoOrder})
	}
	return eps
}

func (s *Server) restNewAlgoOrder(q url.Values, now time.Time) (any, *apiError) {
	switch q.Get("algoType") {
	case "CONDITIONAL":
	case "":
		return nil, mandatory("algoType")
	default:
		return nil, invalidParam("algoType")
	}
	m, e := s.symbolParam(q)
	if e != nil {
		return nil, e
	}
	a := &algoOrder{m: m, typ: q.Get("type"), clientID: q.Get("clientAlgoId"), status: "NEW", created: now, updated: now}
	switch a.typ {
	case "STOP", "STOP_MARKET", "TAKE_PROFIT", "TAKE_PROFIT_MARKET", "TRAILING_STOP_MARKET":
	case "":
		return nil, mandatory("type")
	default:
		return nil, reject(codeInvalidType, "Invalid orderType.")
	}
	exec := url.Values{}
	for k, v := range q {
		exec[k] = v
	}
	exec.Set("type", a.execType())
	if a.execType() == "MARKET" {
		exec.Del("timeInForce")
	} else if exec.Get("timeInForce") == "" {
		exec.Set("timeInForce", "GTC")
	}
	o := &order{m: m}
	if e := s.parseOrder(o, exec); e != nil {
		return nil, e
	}
	a.buy, a.tif, a.price, a.qty, a.reduceOnly = o.buy, o.tif, o.price, o.qty, o.reduceOnly
	if a.typ == "TRAILING_STOP_MARKET" {
		if e := a.trailingOf(q); e != nil {
			return nil, e
		}
		return s.restAlgoAccepted(a, now)
	}
	raw := q.Get("triggerPrice")
	trigger, err := parseUnits(raw, m.priceDec)
	switch {
	case raw == "" || err != nil && err != errPrecision || trigger <= 0:
		return nil, mandatory("triggerPrice")
	case err == errPrecision:
		return nil, reject(codePrecision, "Precision is over the maximum defined for this asset.")
	case trigger%m.tick != 0:
		return nil, reject(codeTick, "Price not increased by tick size.")
	}
	a.trigger = trigger
	if a.fires(m.trades.lastPrice()) {
		return nil, reject(codeWouldTrigger, "Order would immediately trigger.")
	}
	return s.restAlgoAccepted(a, now)
}

// trailingOf reads a TRAILING_STOP_MARKET order's callbackRate and
// activatePrice.
func (a *algoOrder) trailingOf(q url.Values) *apiError {
	m := a.m
	last := m.trades.lastPrice()
	t := &trailing{rawRate: q.Get("callbackRate"), rawAct: q.Get("activatePrice"), activate: last, extreme: last}
	rate, err := decimal.NewFromString(t.rawRate)
	switch {
	case t.rawRate == "":
		return mandatory("callbackRate")
	case err != nil || rate.LessThan(decimal.New(1, -1)) || rate.GreaterThan(decimal.NewFromInt(10)):
		return invalidParam("callbackRate")
	}
	t.rate = rate
	if t.rawAct != "" {
		activate, err := parseUnits(t.rawAct, m.priceDec)
		switch {
		case err != nil || activate <= 0:
			return invalidParam("activatePrice")
		case activate%m.tick != 0:
			return reject(codeTick, "Price not increased by tick size.")
		case (!a.buy && activate <= last) || (a.buy && activate >= last):
			return reject(codeWouldTrigger, "Order would immediately trigger.")
		}
		t.activate = activate
	}
	a.trail = t
	a.follow(last)
	return nil
}

// restAlgoAccepted rests a checked conditional order and answers its
// placement.
func (s *Server) restAlgoAccepted(a *algoOrder, now time.Time) (any, *apiError) {
	book := &s.acct.algo
	for _, x := range book.orders {
		if x.status == "NEW" && a.clientID != "" && x.clientID == a.clientID {
			return nil, reject(codeDuplicateID, "ClientOrderId is duplicated.")
		}
	}
	if a.clientID == "" {
		a.clientID = s.newClientID()
	}
	if book.next == 0 {
		book.next = firstAlgoID
	}
	book.next++
	a.id = book.next
	book.orders = append(book.orders, a)
	s.algoEventLocked(a, now)
	r := s.algoReply(a)
	activate, rate := "", ""
	if t := a.trail; t != nil {
		activate, rate = t.rawAct, t.rawRate
	}
	r.ActivatePrice, r.CallbackRate = &activate, &rate
	return r, nil
}

// findAlgo finds a conditional order by algoId or clientAlgoId.
func (s *Server) findAlgo(q url.Values) (*algoOrder, *apiError) {
	id, hasID, e := idParam(q, "algoId")
	if e != nil {
		return nil, e
	}
	clientID := q.Get("clientAlgoId")
	if !hasID && clientID == "" {
		return nil, mandatory("algoId")
	}
	for _, a := range s.acct.algo.orders {
		if hasID && a.id == id || !hasID && a.clientID == clientID {
			return a, nil
		}
	}
	return nil, reject(codeNoSuchOrder, msgNoSuchOrder)
}

func (s *Server) restCancelAlgoOrder(q url.Values, now time.Time) (any, *apiError) {
	a, e := s.findAlgo(q)
	if e != nil || a.status != "NEW" {
		return nil, reject(codeCancelReject, "Unknown order sent.")
	}
	a.status, a.updated = "CANCELED", now
	s.algoEventLocked(a, now)
	return map[string]any{"algoId": a.id, "clientAlgoId": a.clientID, "code": "200", "msg": "success"}, nil
}

func (s *Server) restQueryAlgoOrder(q url.Values, _ time.Time) (any, *apiError) {
	a, e := s.findAlgo(q)
	if e != nil {
		return nil, e
	}
	return s.algoQueryReply(a), nil
}

func (s *Server) restOpenAlgoOrders(q url.Values, _ time.Time) (any, *apiError) {
	var m *market
	if q.Get("symbol") != "" {
		var e *apiError
		if m, e = s.symbolParam(q); e != nil {
			return nil, e
		}
	}
	out := []algoReply{}
	for _, a := range s.acct.algo.orders {
		if a.status == "NEW" && (m == nil || a.m == m) {
			out = append(out, s.algoQueryReply(a))
		}
	}
	return out, nil
}

// triggerAlgoLocked fires the conditional orders the last trade prices
// reach, and finishes those whose ordinary order is done.
func (s *Server) triggerAlgoLocked(now time.Time) {
	for _, a := range s.acct.algo.orders {
		switch {
		case a.status == "NEW" && a.trail != nil:
			if a.follow(a.m.trades.lastPrice()) {
				s.fireLocked(a, now)
			}
		case a.status == "NEW" && a.fires(a.m.trades.lastPrice()):
			s.fireLocked(a, now)
		case a.status == "TRIGGERED" && !a.actual.open():
			a.status, a.updated = "FINISHED", now
			s.algoEventLocked(a, now)
		}
	}
}

// fireLocked places a triggered order's ordinary order.
func (s *Server) fireLocked(a *algoOrder, now time.Time) {
	m := a.m
	q := url.Values{"symbol": {m.id}, "side": {a.side()}, "type": {a.execType()}, "quantity": {m.fmtQty(a.qty)},
		"newClientOrderId": {a.clientID}}
	if a.execType() == "LIMIT" {
		q.Set("price", m.fmtPrice(a.price))
		q.Set("timeInForce", a.tif)
	}
	if a.reduceOnly {
		q.Set("reduceOnly", "true")
	}
	a.triggered, a.updated = now, now
	o, _, e := s.placeLocked(q, now)
	if e != nil {
		a.status, a.reason = "REJECTED", e.Msg
		s.algoEventLocked(a, now)
		return
	}
	a.actual, a.status = o, "TRIGGERED"
	s.algoEventLocked(a, now)
	if !o.open() {
		a.status = "FINISHED"
		s.algoEventLocked(a, now)
	}
}

// algoReply is a conditional order as the Algo Service's REST replies
// show it: the new-order reply adds activatePrice and callbackRate; the
// query and open-orders replies add the actual order and the attached
// take-profit/stop-loss fields.
type algoReply struct {
	AlgoID                  int64   `json:"algoId"`
	ClientAlgoID            string  `json:"clientAlgoId"`
	AlgoType                string  `json:"algoType"`
	OrderType               string  `json:"orderType"`
	Symbol                  string  `json:"symbol"`
	Side                    string  `json:"side"`
	PositionSide            string  `json:"positionSide"`
	TimeInForce             string  `json:"timeInForce"`
	Quantity                string  `json:"quantity"`
	AlgoStatus              string  `json:"algoStatus"`
	ActualOrderID           *string `json:"actualOrderId,omitempty"`
	ActualPrice             *string `json:"actualPrice,omitempty"`
	TriggerPrice            string  `json:"triggerPrice"`
	Price                   string  `json:"price"`
	IcebergQuantity         *string `json:"icebergQuantity"`
	TPTriggerPrice          *string `json:"tpTriggerPrice,omitempty"`
	TPPrice                 *string `json:"tpPrice,omitempty"`
	SLTriggerPrice          *string `json:"slTriggerPrice,omitempty"`
	SLPrice                 *string `json:"slPrice,omitempty"`
	TPOrderType             *string `json:"tpOrderType,omitempty"`
	SelfTradePreventionMode string  `json:"selfTradePreventionMode"`
	WorkingType             string  `json:"workingType"`
	PriceMatch              string  `json:"priceMatch"`
	ClosePosition           bool    `json:"closePosition"`
	PriceProtect            bool    `json:"priceProtect"`
	ReduceOnly              bool    `json:"reduceOnly"`
	ActivatePrice           *string `json:"activatePrice,omitempty"`
	CallbackRate            *string `json:"callbackRate,omitempty"`
	CreateTime              int64   `json:"createTime"`
	UpdateTime              int64   `json:"updateTime"`
	TriggerTime             int64   `json:"triggerTime"`
	GoodTillDate            int64   `json:"goodTillDate"`
}

func (s *Server) algoReply(a *algoOrder) algoReply {
	m := a.m
	r := algoReply{AlgoID: a.id, ClientAlgoID: a.clientID, AlgoType: "CONDITIONAL", OrderType: a.typ, Symbol: m.id, Side: a.side(),
		PositionSide: "BOTH", TimeInForce: a.tif, Quantity: m.fmtQty(a.qty), AlgoStatus: a.status, TriggerPrice: m.fmtPrice(a.trigger),
		Price: m.fmtPrice(a.price), SelfTradePreventionMode: "EXPIRE_MAKER", WorkingType: "CONTRACT_PRICE", PriceMatch: "NONE",
		ReduceOnly: a.reduceOnly, CreateTime: a.created.UnixMilli(), UpdateTime: a.updated.UnixMilli()}
	if !a.triggered.IsZero() {
		r.TriggerTime = a.triggered.UnixMilli()
	}
	return r
}

func (s *Server) algoQueryReply(a *algoOrder) algoReply {
	m := a.m
	r := s.algoReply(a)
	actualID, zeroPrice, none := "", m.fmtPrice(0), ""
	actualPrice := decString(decimal.Zero, m.priceDec)
	if a.actual != nil {
		actualID, actualPrice = orderID(a.actual.id), decString(averagePrice(a.actual), m.priceDec)
	}
	r.ActualOrderID, r.ActualPrice = &actualID, &actualPrice
	r.TPTriggerPrice, r.TPPrice, r.SLTriggerPrice, r.SLPrice, r.TPOrderType = &zeroPrice, &zeroPrice, &zeroPrice, &zeroPrice, &none
	return r
}

// algoUpdate is the ALGO_UPDATE event.
type algoUpdate struct {
	Event        string          `json:"e"`
	TransactTime int64           `json:"T"`
	Time         int64           `json:"E"`
	Order        algoUpdateOrder `json:"o"`
}

type algoUpdateOrder struct {
	ClientAlgoID  string `json:"caid"`
	AlgoID        int64  `json:"aid"`
	AlgoType      string `json:"at"`
	OrderType     string `json:"o"`
	Symbol        string `json:"s"`
	Side          string `json:"S"`
	PositionSide  string `json:"ps"`
	TimeInForce   string `json:"f"`
	Qty           string `json:"q"`
	Status        string `json:"X"`
	ActualOrderID string `json:"ai"`
	AvgPrice      string `json:"ap"`
	ExecutedQty   string `json:"aq"`
	ActualType    string `json:"act"`
	TriggerPrice  string `json:"tp"`
	Price         string `json:"p"`
	STPMode       string `json:"V"`
	WorkingType   string `json:"wt"`
	PriceMatch    string `json:"pm"`
	ClosePosition bool   `json:"cp"`
	PriceProtect  bool   `json:"pP"`
	ReduceOnly    bool   `json:"R"`
	TriggerTime   int64  `json:"tt"`
	GoodTillDate  int64  `json:"gtd"`
	Reason        string `json:"rm"`
}

// algoEventLocked sends a conditional order's change.
func (s *Server) algoEventLocked(a *algoOrder, now time.Time) {
	m := a.m
	u := algoUpdateOrder{ClientAlgoID: a.clientID, AlgoID: a.id, AlgoType: "CONDITIONAL", OrderType: a.typ, Symbol: m.id,
		Side: a.side(), PositionSide: "BOTH", TimeInForce: a.tif, Qty: m.fmtQty(a.qty), Status: a.status,
		AvgPrice: decString(decimal.Zero, m.priceDec), ExecutedQty: m.fmtQty(0), ActualType: "0", TriggerPrice: m.fmtPrice(a.trigger),
		Price: m.fmtPrice(a.price), STPMode: "EXPIRE_MAKER", WorkingType: "CONTRACT_PRICE", PriceMatch: "NONE",
		ReduceOnly: a.reduceOnly, Reason: a.reason}
	if o := a.actual; o != nil {
		u.ActualOrderID, u.ActualType = orderID(o.id), o.typ
		u.AvgPrice, u.ExecutedQty = decString(averagePrice(o), m.priceDec), m.fmtQty(o.filled)
	}
	if !a.triggered.IsZero() {
		u.TriggerTime = a.triggered.UnixMilli()
	}
	s.deliverLocked(mustJSON(algoUpdate{Event: "ALGO_UPDATE", TransactTime: now.UnixMilli(), Time: now.UnixMilli(), Order: u}), now)
}

// LastPrice is the last trade price of symbol (the price conditional
// orders trigger on), zero for an unknown symbol.
func (s *Server) LastPrice(symbol string) decimal.Decimal {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.marketOf(symbol)
	if m == nil {
		return decimal.Zero
	}
	return m.price(m.trades.lastPrice())
}

// AlgoStatus is the status of the account's conditional order of client
// algo id clientID ("" when there is none) and the id of the ordinary
// order it placed (0 before it triggered).
func (s *Server) AlgoStatus(clientID string) (status string, orderID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range s.acct.algo.orders {
		if a.clientID == clientID {
			if a.actual != nil {
				orderID = a.actual.id
			}
			return a.status, orderID
		}
	}
	return "", 0
}
