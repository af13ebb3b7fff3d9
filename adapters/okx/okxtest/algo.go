package okxtest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Algo orders (trade/order-algo, amend-algos, cancel-algos, order-algo,
// orders-algo-pending, orders-algo-history; the orders-algo and
// algo-advance channels on /business): ordType trigger (triggerPx,
// orderPx), conditional with one side (slTriggerPx/slOrdPx or
// tpTriggerPx/tpOrdPx), oco with both, and move_order_stop (callbackRatio
// or callbackSpread, activePx), on last-price triggers. A trigger,
// conditional or oco order rests until the last trade price reaches one
// of its triggers from the side it was on when placed (checked on Step),
// then places that side's order (market for an order price of -1, else
// limit) through the ordinary placement and becomes effective (an oco
// says which side in actualSide), or order_failed when that placement is
// refused. A trailing stop waits for the last price to reach activePx
// (from the side it was on; at once without one), then follows the best
// last price since (the highest for a sell, the lowest for a buy): its
// moveTriggerPx is that price less the spread or ratio for a sell (more
// for a buy), on the tick grid, and it places a market order when the
// last price comes back to it. amend-algos changes a resting trigger,
// conditional or oco order's size and prices (newSz; newTriggerPx with
// newOrdPx; newSlTriggerPx, newSlOrdPx, newTpTriggerPx, newTpOrdPx) and
// refuses a trailing stop, as the docs say OKX does. Trailing stops push
// on algo-advance, the others on orders-algo.

// algoState is the account's algo orders.
type algoState struct {
	orders []*algoOrder
	next   int64
}

// algoOrder is one algo order.
type algoOrder struct {
	id                      int64
	clID                    string
	m                       *market
	a                       algoArgs
	conds                   []algoCond // trigger, conditional, oco
	trail                   *trailing  // move_order_stop
	state                   string
	ordID                   string
	actualSide              string // oco: "sl" or "tp", the side that fired
	created, updated, fired time.Time
}

// algoCond is one trigger of an algo order and the order price it places.
type algoCond struct {
	side    string // "" (trigger), "sl" or "tp"
	trigger int64  // the trigger price, in ticks of the market's precision
	up      bool   // fires when the last price rises to the trigger (else falls to it)
	px      string // the order price, -1 for a market order
}

// trailing is a trailing stop's state.
type trailing struct {
	ratio     decimal.Decimal // callbackRatio, or zero
	spread    int64           // callbackSpread in ticks, or zero
	active    bool            // activePx reached (or none given)
	activePx  int64
	activeUp  bool  // activePx is reached rising (else falling)
	best      int64 // the best last price since activation
	triggerPx int64 // moveTriggerPx, once active
}

// algoArgs are the fields of a place algo order request.
type algoArgs struct {
	InstID      string `json:"instId"`
	TdMode      string `json:"tdMode"`
	Side        string `json:"side"`
	OrdType     string `json:"ordType"`
	Sz          string `json:"sz"`
	TgtCcy      string `json:"tgtCcy"`
	ReduceOnly  bool   `json:"reduceOnly"`
	AlgoClOrdID string `json:"algoClOrdId"`
	Tag         string `json:"tag"`
	TriggerPx   string `json:"triggerPx"`
	OrderPx     string `json:"orderPx"`
	SlTriggerPx string `json:"slTriggerPx"`
	SlOrdPx     string `json:"slOrdPx"`
	TpTriggerPx string `json:"tpTriggerPx"`
	TpOrdPx     string `json:"tpOrdPx"`
	// move_order_stop
	CallbackRatio  string `json:"callbackRatio"`
	CallbackSpread string `json:"callbackSpread"`
	ActivePx       string `json:"activePx"`
}

// algoAck is one algo operation's result.
type algoAck struct {
	AlgoID      string `json:"algoId"`
	ClOrdID     string `json:"clOrdId"`
	AlgoClOrdID string `json:"algoClOrdId"`
	Tag         string `json:"tag"`
	SCode       string `json:"sCode"`
	SMsg        string `json:"sMsg"`
}

// amendAck is amend-algos' result.
type amendAck struct {
	AlgoClOrdID string `json:"algoClOrdId"`
	AlgoID      string `json:"algoId"`
	ReqID       string `json:"reqId"`
	SCode       string `json:"sCode"`
	SMsg        string `json:"sMsg"`
}

// algoRoutes are the algo endpoints.
func (s *Server) algoRoutes() map[string]handler {
	return map[string]handler{
		"POST /api/v5/trade/order-algo":         s.restPlaceAlgo,
		"POST /api/v5/trade/amend-algos":        s.restAmendAlgos,
		"GET /api/v5/trade/order-algo":          s.restAlgo,
		"POST /api/v5/trade/cancel-algos":       s.restCancelAlgos,
		"GET /api/v5/trade/orders-algo-pending": s.restAlgoList(false),
		"GET /api/v5/trade/orders-algo-history": s.restAlgoList(true),
	}
}

func (s *Server) algosLocked() *algoState {
	if s.algos == nil {
		s.algos = &algoState{next: 800_000_000_000_000_000}
	}
	return s.algos
}

// algoReply wraps one algo ack: code "0", or "1" with the ack's sCode.
func algoReply(r algoAck) any {
	if r.SCode != "0" {
		return envelope{Code: "1", Msg: "All operations failed", Data: []algoAck{r}}
	}
	return []algoAck{r}
}

func (s *Server) restPlaceAlgo(_ url.Values, body []byte, now time.Time) (any, *apiError) {
	var a algoArgs
	if len(body) == 0 {
		return nil, &apiError{http.StatusBadRequest, "50000", "Body for POST request cannot be empty."}
	}
	if json.Unmarshal(body, &a) != nil {
		return nil, &apiError{http.StatusBadRequest, "50002", "JSON syntax error"}
	}
	return algoReply(s.placeAlgoLocked(a, now)), nil
}

// placeAlgoLocked checks and rests an algo order.
func (s *Server) placeAlgoLocked(a algoArgs, now time.Time) algoAck {
	refuse := func(code, msg string) algoAck {
		return algoAck{AlgoClOrdID: a.AlgoClOrdID, Tag: a.Tag, SCode: code, SMsg: msg}
	}
	m := s.byID[a.InstID]
	if m == nil {
		return refuse("51001", "Instrument ID, Instrument ID code, or Spread ID doesn't exist.")
	}
	st := s.algosLocked()
	switch {
	case a.Side != "buy" && a.Side != "sell":
		return refuse("51000", "Parameter side error")
	case m.contract() && a.TdMode != "cross" && a.TdMode != "isolated", !m.contract() && a.TdMode != "cash" && a.TdMode != "cross":
		return refuse("51000", "Parameter tdMode error")
	case len(a.AlgoClOrdID) > 32:
		return refuse("51000", "Parameter algoClOrdId error")
	}
	if _, ok := m.parseSize(a.Sz); !ok && a.TgtCcy != "quote_ccy" {
		return refuse("51000", "Parameter sz error")
	}
	if a.AlgoClOrdID != "" {
		for _, o := range st.orders {
			if o.clID == a.AlgoClOrdID {
				return refuse("51065", "algoClOrdId already exists.")
			}
		}
	}
	o := &algoOrder{clID: a.AlgoClOrdID, m: m, a: a, state: "live", created: now, updated: now}
	if a.OrdType == "move_order_stop" {
		t, code, msg := m.trailingOf(a)
		if code != "" {
			return refuse(code, msg)
		}
		o.trail = t
	} else {
		conds, code, msg := m.condsOf(a)
		if code != "" {
			return refuse(code, msg)
		}
		o.conds = conds
	}
	st.next += 1 + int64(s.rng.IntN(1000))
	o.id = st.next
	st.orders = append(st.orders, o)
	s.pushAlgoLocked(o)
	return algoAck{AlgoID: itoa(o.id), AlgoClOrdID: o.clID, Tag: a.Tag, SCode: "0", SMsg: "Order placed"}
}

// condsOf reads the triggers of a trigger, conditional or oco order;
// code is the refusal when they are wrong.
func (m *market) condsOf(a algoArgs) (conds []algoCond, code, msg string) {
	last := m.trades.last().px
	add := func(side, triggerPx, px, field string) bool {
		trigger, ok := m.parsePrice(triggerPx)
		if !ok {
			code, msg = "51000", "Parameter "+field+" error"
			return false
		}
		conds = append(conds, algoCond{side: side, trigger: trigger, up: trigger >= last, px: px})
		return true
	}
	switch a.OrdType {
	case "trigger":
		if a.OrderPx == "" {
			return nil, "50014", "Parameter orderPx can not be empty"
		}
		add("", a.TriggerPx, a.OrderPx, "triggerPx")
	case "conditional":
		switch {
		case a.SlTriggerPx != "" && a.TpTriggerPx != "":
			return nil, "51000", "Parameter ordType error" // the docs: only the stop loss would run; the fake refuses
		case a.SlTriggerPx != "":
			add("sl", a.SlTriggerPx, a.SlOrdPx, "slTriggerPx")
		default:
			add("tp", a.TpTriggerPx, a.TpOrdPx, "tpTriggerPx")
		}
	case "oco":
		if add("sl", a.SlTriggerPx, a.SlOrdPx, "slTriggerPx") && add("tp", a.TpTriggerPx, a.TpOrdPx, "tpTriggerPx") &&
			(conds[0].up == conds[1].up || conds[0].up == (a.Side == "sell")) {
			return nil, "51000", "Parameter slTriggerPx error" // a sell's take profit is above the last price, its stop loss below
		}
	default:
		return nil, "51000", "Parameter ordType error"
	}
	return conds, code, msg
}

// trailingOf reads a move_order_stop's callback and activation price.
func (m *market) trailingOf(a algoArgs) (*trailing, string, string) {
	t := &trailing{active: a.ActivePx == ""}
	switch {
	case (a.CallbackRatio == "") == (a.CallbackSpread == ""):
		return nil, "51000", "Parameter callbackRatio error" // exactly one of the two
	case a.CallbackRatio != "":
		r, err := decimal.NewFromString(a.CallbackRatio)
		if err != nil || !r.IsPositive() || r.GreaterThanOrEqual(decimal.NewFromInt(1)) {
			return nil, "51000", "Parameter callbackRatio error"
		}
		t.ratio = r
	default:
		spread, ok := m.parsePrice(a.CallbackSpread)
		if !ok {
			return nil, "51000", "Parameter callbackSpread error"
		}
		t.spread = spread
	}
	last := m.trades.last().px
	if !t.active {
		px, ok := m.parsePrice(a.ActivePx)
		if !ok {
			return nil, "51000", "Parameter activePx error"
		}
		t.activePx, t.activeUp = px, px >= last
	} else {
		t.follow(m, last, a.Side == "sell", true)
	}
	return t, "", ""
}

// follow moves a trailing stop's best price and trigger with the last
// price (start: the first price it follows).
func (t *trailing) follow(m *market, last int64, sell, start bool) {
	if !start && ((sell && last <= t.best) || (!sell && last >= t.best)) {
		return
	}
	t.best = last
	distance := t.spread
	if distance == 0 {
		distance = m.priceD(last).Mul(t.ratio).Shift(m.priceDec).Ceil().IntPart()
	}
	distance = (distance + m.tick - 1) / m.tick * m.tick // whole ticks, rounded away from the price
	if sell {
		t.triggerPx = last - distance
	} else {
		t.triggerPx = last + distance
	}
}

// triggerAlgosLocked fires the live algo orders whose trigger the last
// price has reached, and moves the trailing stops.
func (s *Server) triggerAlgosLocked(now time.Time) {
	if s.algos == nil {
		return
	}
	for _, o := range s.algos.orders {
		if o.state != "live" {
			continue
		}
		last := o.m.trades.last().px
		px, fire := "", false
		if t := o.trail; t != nil {
			sell := o.a.Side == "sell"
			switch {
			case !t.active && ((t.activeUp && last >= t.activePx) || (!t.activeUp && last <= t.activePx)):
				t.active = true
				t.follow(o.m, last, sell, true)
				o.updated = now
				s.pushAlgoLocked(o)
			case t.active:
				before := t.triggerPx
				t.follow(o.m, last, sell, false)
				fire = (sell && last <= t.triggerPx) || (!sell && last >= t.triggerPx)
				if !fire && t.triggerPx != before {
					o.updated = now
					s.pushAlgoLocked(o)
				}
			}
			px = "-1"
		} else {
			for _, c := range o.conds {
				if (c.up && last >= c.trigger) || (!c.up && last <= c.trigger) {
					px, fire, o.actualSide = c.px, true, c.side
					break
				}
			}
		}
		if !fire {
			continue
		}
		args := orderArgs{InstID: o.m.id, TdMode: o.a.TdMode, Side: o.a.Side, OrdType: "limit", Sz: o.a.Sz, Px: px, TgtCcy: o.a.TgtCcy, Tag: o.a.Tag}
		if px == "" || px == "-1" {
			args.OrdType, args.Px = "market", ""
		}
		r := s.placeLocked(args, now)
		o.updated, o.fired = now, now
		if r.SCode == "0" {
			o.state, o.ordID = "effective", r.OrdID
		} else {
			o.state = "order_failed"
		}
		s.pushAlgoLocked(o)
	}
}

// restAmendAlgos amends a resting trigger, conditional or oco order.
func (s *Server) restAmendAlgos(_ url.Values, body []byte, now time.Time) (any, *apiError) {
	var r struct {
		InstID         string `json:"instId"`
		AlgoID         string `json:"algoId"`
		AlgoClOrdID    string `json:"algoClOrdId"`
		NewSz          string `json:"newSz"`
		NewTriggerPx   string `json:"newTriggerPx"`
		NewOrdPx       string `json:"newOrdPx"`
		NewSlTriggerPx string `json:"newSlTriggerPx"`
		NewSlOrdPx     string `json:"newSlOrdPx"`
		NewTpTriggerPx string `json:"newTpTriggerPx"`
		NewTpOrdPx     string `json:"newTpOrdPx"`
		ReqID          string `json:"reqId"`
	}
	if json.Unmarshal(body, &r) != nil {
		return nil, &apiError{http.StatusBadRequest, "50002", "JSON syntax error"}
	}
	o := s.findAlgo(r.AlgoID, r.AlgoClOrdID)
	refuse := func(code, msg string) (any, *apiError) {
		return envelope{Code: "1", Msg: "All operations failed", Data: []amendAck{{AlgoID: r.AlgoID, AlgoClOrdID: r.AlgoClOrdID, ReqID: r.ReqID, SCode: code, SMsg: msg}}}, nil
	}
	switch {
	case s.byID[r.InstID] == nil:
		return refuse("51001", "Instrument ID, Instrument ID code, or Spread ID doesn't exist.")
	case r.AlgoID == "" && r.AlgoClOrdID == "":
		return nil, emptyParam("algoId")
	case o == nil || o.m.id != r.InstID || o.state != "live":
		return refuse("51603", "Order does not exist")
	case o.trail != nil:
		return refuse("51000", "Parameter ordType error") // the docs: move_order_stop cannot be amended
	case r.NewSz == "" && r.NewTriggerPx == "" && r.NewSlTriggerPx == "" && r.NewTpTriggerPx == "":
		return refuse("51000", "Parameter newSz error")
	case (r.NewTriggerPx == "") != (r.NewOrdPx == "") || (r.NewTriggerPx != "" && o.a.OrdType != "trigger"):
		return refuse("51000", "Parameter newTriggerPx error") // the docs require both
	}
	a := o.a
	if r.NewSz != "" {
		if _, ok := o.m.parseSize(r.NewSz); !ok {
			return refuse("51000", "Parameter newSz error")
		}
		a.Sz = r.NewSz
	}
	for _, c := range []struct{ trigger, px string }{{r.NewTriggerPx, r.NewOrdPx}, {r.NewSlTriggerPx, r.NewSlOrdPx}, {r.NewTpTriggerPx, r.NewTpOrdPx}} {
		if c.trigger != "" && c.px == "" {
			return refuse("51000", "Parameter newOrdPx error")
		}
	}
	if r.NewTriggerPx != "" {
		a.TriggerPx, a.OrderPx = r.NewTriggerPx, r.NewOrdPx
	}
	if r.NewSlTriggerPx != "" {
		if o.a.SlTriggerPx == "" {
			return refuse("51000", "Parameter newSlTriggerPx error") // no stop-loss side to amend
		}
		a.SlTriggerPx, a.SlOrdPx = r.NewSlTriggerPx, r.NewSlOrdPx
	}
	if r.NewTpTriggerPx != "" {
		if o.a.TpTriggerPx == "" {
			return refuse("51000", "Parameter newTpTriggerPx error")
		}
		a.TpTriggerPx, a.TpOrdPx = r.NewTpTriggerPx, r.NewTpOrdPx
	}
	conds, code, msg := o.m.condsOf(a)
	if code != "" {
		return refuse(code, msg)
	}
	o.a, o.conds, o.updated = a, conds, now
	s.pushAlgoLocked(o)
	return []amendAck{{AlgoID: itoa(o.id), AlgoClOrdID: o.clID, ReqID: r.ReqID, SCode: "0"}}, nil
}

// findAlgo finds an algo order by algoId (which wins) or algoClOrdId.
func (s *Server) findAlgo(algoID, clID string) *algoOrder {
	for _, o := range s.algosLocked().orders {
		if algoID != "" && itoa(o.id) == algoID || algoID == "" && clID != "" && o.clID == clID {
			return o
		}
	}
	return nil
}

func (s *Server) restCancelAlgos(_ url.Values, body []byte, now time.Time) (any, *apiError) {
	var items []struct {
		AlgoID      string `json:"algoId"`
		AlgoClOrdID string `json:"algoClOrdId"`
		InstID      string `json:"instId"`
	}
	if err := json.Unmarshal(body, &items); err != nil || len(items) == 0 || len(items) > 10 {
		return nil, &apiError{http.StatusBadRequest, "50002", "JSON syntax error"}
	}
	out := make([]algoAck, 0, len(items))
	failed := 0
	for _, it := range items {
		o := s.findAlgo(it.AlgoID, it.AlgoClOrdID)
		r := algoAck{AlgoID: it.AlgoID, AlgoClOrdID: it.AlgoClOrdID, SCode: "0"}
		switch {
		case s.byID[it.InstID] == nil:
			r.SCode, r.SMsg = "51001", "Instrument ID, Instrument ID code, or Spread ID doesn't exist."
		case it.AlgoID == "" && it.AlgoClOrdID == "":
			r.SCode, r.SMsg = "50014", "Parameter algoId can not be empty"
		case o == nil || o.m.id != it.InstID || o.state != "live":
			r.SCode, r.SMsg = "51400", "Cancellation failed as the order has been filled, canceled or does not exist."
		default:
			o.state, o.updated = "canceled", now
			r.AlgoID, r.AlgoClOrdID = itoa(o.id), o.clID
			s.pushAlgoLocked(o)
		}
		if r.SCode != "0" {
			failed++
		}
		out = append(out, r)
	}
	switch {
	case failed == len(out):
		return envelope{Code: "1", Msg: "All operations failed", Data: out}, nil
	case failed > 0:
		return envelope{Code: "2", Msg: "Bulk operation partially succeeded", Data: out}, nil
	}
	return out, nil
}

func (s *Server) restAlgo(q url.Values, _ []byte, _ time.Time) (any, *apiError) {
	if q.Get("algoId") == "" && q.Get("algoClOrdId") == "" {
		return nil, emptyParam("algoId")
	}
	o := s.findAlgo(q.Get("algoId"), q.Get("algoClOrdId"))
	if o == nil {
		return envelope{Code: "51603", Msg: "Order does not exist", Data: []any{}}, nil
	}
	return []any{o.json()}, nil
}

// restAlgoList answers orders-algo-pending (live orders) and
// orders-algo-history (the others; state or algoId required), newest
// first, paged by algoId.
func (s *Server) restAlgoList(history bool) handler {
	return func(q url.Values, _ []byte, _ time.Time) (any, *apiError) {
		if q.Get("ordType") == "" {
			return nil, emptyParam("ordType")
		}
		if history && q.Get("state") == "" && q.Get("algoId") == "" {
			return nil, emptyParam("state")
		}
		n, e := limitOf(q, 100, 100)
		if e != nil {
			return nil, e
		}
		types := strings.Split(q.Get("ordType"), ",")
		after, _ := strconv.ParseInt(q.Get("after"), 10, 64)
		out := []any{}
		orders := s.algosLocked().orders
		for i := len(orders) - 1; i >= 0 && len(out) < n; i-- {
			o := orders[i]
			keep := o.state == "live"
			if history {
				keep = !keep && (q.Get("state") == "" || q.Get("state") == o.state)
			}
			if !keep || !slices.Contains(types, o.a.OrdType) || (q.Get("instType") != "" && o.m.instType != q.Get("instType")) ||
				(q.Get("instId") != "" && o.m.id != q.Get("instId")) || (q.Get("algoId") != "" && itoa(o.id) != q.Get("algoId")) ||
				(after != 0 && o.id >= after) {
				continue
			}
			out = append(out, o.json())
		}
		return out, nil
	}
}

// json writes an algo order as the REST replies and orders-algo do.
func (o *algoOrder) json() map[string]any {
	a := o.a
	pxType := func(px string) string {
		if px == "" {
			return ""
		}
		return "last"
	}
	fired := ""
	if !o.fired.IsZero() {
		fired = ms(o.fired)
	}
	moveTrigger := ""
	if t := o.trail; t != nil && t.active {
		moveTrigger = o.m.price(t.triggerPx)
	}
	return map[string]any{"instType": o.m.instType, "instId": o.m.id, "ccy": "", "ordId": o.ordID, "ordIdList": []string{},
		"algoId": itoa(o.id), "clOrdId": "", "sz": a.Sz, "closeFraction": "", "ordType": a.OrdType, "side": a.Side, "posSide": "net",
		"tdMode": a.TdMode, "tgtCcy": a.TgtCcy, "state": o.state, "lever": "", "tpTriggerPx": a.TpTriggerPx,
		"tpTriggerPxType": pxType(a.TpTriggerPx), "tpOrdPx": a.TpOrdPx, "slTriggerPx": a.SlTriggerPx,
		"slTriggerPxType": pxType(a.SlTriggerPx), "slOrdPx": a.SlOrdPx, "triggerPx": a.TriggerPx,
		"triggerPxType": pxType(a.TriggerPx), "ordPx": a.OrderPx, "actualSz": "", "actualPx": "", "actualSide": o.actualSide,
		"triggerTime": fired, "tag": a.Tag, "algoClOrdId": o.clID, "reduceOnly": strconv.FormatBool(a.ReduceOnly),
		"cTime": ms(o.created), "uTime": ms(o.updated), "notionalUsd": "", "quickMgnType": "", "last": "", "failCode": "",
		"amendPxOnTriggerType": "0", "attachAlgoOrds": []any{}, "isTradeBorrowMode": "", "chaseType": "", "chaseVal": "",
		"maxChaseType": "", "maxChaseVal": "", "activePx": a.ActivePx, "callbackRatio": a.CallbackRatio, "callbackSpread": a.CallbackSpread,
		"moveTriggerPx": moveTrigger, "linkedOrd": map[string]string{"ordId": o.ordID}, "pxLimit": "", "pxSpread": "", "pxVar": "", "szLimit": "", "timeInterval": ""}
}

// pushAlgoLocked pushes an algo order's state to the orders-algo channel,
// a trailing stop's to algo-advance.
func (s *Server) pushAlgoLocked(o *algoOrder) {
	channel := "orders-algo"
	if o.trail != nil {
		channel = "algo-advance"
	}
	s.privateSubs(channel, o.m, func(sess *session, a arg) {
		sess.send(mustJSON(map[string]any{"arg": map[string]string{"channel": channel, "instType": orDefault(a.InstType, "ANY"),
			"instId": a.InstID, "uid": accountUID}, "data": []any{o.json()}}))
	})
}
