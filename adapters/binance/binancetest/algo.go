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
// refuses makes it REJECTED. TRAILING_STOP_MARKET, closePosition,
// priceMatch, workingType MARK_PRICE and priceProtect are not served.

// codeWouldTrigger is -2021, "Order would immediately trigger."
const codeWouldTrigger = -2021

// algoOrder is one conditional order of the account.
type algoOrder struct {
	id         int64
	clientID   string
	m          *market
	buy        bool
	typ        string // STOP, STOP_MARKET, TAKE_PROFIT, TAKE_PROFIT_MARKET
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
	case "STOP", "STOP_MARKET", "TAKE_PROFIT", "TAKE_PROFIT_MARKET":
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
	empty := ""
	r.ActivatePrice, r.CallbackRate = &empty, &empty
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
