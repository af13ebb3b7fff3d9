package okxtest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Algo orders (trade/order-algo, cancel-algos, order-algo,
// orders-algo-pending, orders-algo-history; the orders-algo channel on
// /business): ordType trigger (triggerPx, orderPx) and conditional with
// one side (slTriggerPx/slOrdPx or tpTriggerPx/tpOrdPx), on last-price
// triggers. An order rests until the last trade price reaches its
// trigger from the side it was on when placed (checked on Step), then
// places its order (market for an order price of -1, else limit) through
// the ordinary placement and becomes effective, or order_failed when
// that placement is refused.

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
	trigger                 int64 // the trigger price, in ticks of the market's precision
	up                      bool  // fires when the last price rises to the trigger (else falls to it)
	state                   string
	ordID                   string
	created, updated, fired time.Time
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

// algoRoutes are the algo endpoints.
func (s *Server) algoRoutes() map[string]handler {
	return map[string]handler{
		"POST /api/v5/trade/order-algo":         s.restPlaceAlgo,
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
	triggerPx := a.TriggerPx
	switch {
	case a.Side != "buy" && a.Side != "sell":
		return refuse("51000", "Parameter side error")
	case m.contract() && a.TdMode != "cross" && a.TdMode != "isolated", !m.contract() && a.TdMode != "cash" && a.TdMode != "cross":
		return refuse("51000", "Parameter tdMode error")
	case len(a.AlgoClOrdID) > 32:
		return refuse("51000", "Parameter algoClOrdId error")
	case a.OrdType == "trigger":
		if a.OrderPx == "" {
			return refuse("50014", "Parameter orderPx can not be empty")
		}
	case a.OrdType == "conditional":
		switch {
		case a.SlTriggerPx != "" && a.TpTriggerPx != "":
			return refuse("51000", "Parameter ordType error") // the fake plays one side only
		case a.SlTriggerPx != "":
			triggerPx = a.SlTriggerPx
		default:
			triggerPx = a.TpTriggerPx
		}
	default:
		return refuse("51000", "Parameter ordType error")
	}
	trigger, ok := m.parsePrice(triggerPx)
	if !ok || trigger <= 0 {
		return refuse("51000", "Parameter triggerPx error")
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
	st.next += 1 + int64(s.rng.IntN(1000))
	o := &algoOrder{id: st.next, clID: a.AlgoClOrdID, m: m, a: a, trigger: trigger, up: trigger >= m.trades.last().px,
		state: "live", created: now, updated: now}
	st.orders = append(st.orders, o)
	s.pushAlgoLocked(o)
	return algoAck{AlgoID: itoa(o.id), AlgoClOrdID: o.clID, Tag: a.Tag, SCode: "0", SMsg: "Order placed"}
}

// triggerAlgosLocked fires the live algo orders whose trigger the last
// price has reached.
func (s *Server) triggerAlgosLocked(now time.Time) {
	if s.algos == nil {
		return
	}
	for _, o := range s.algos.orders {
		last := o.m.trades.last().px
		if o.state != "live" || (o.up && last < o.trigger) || (!o.up && last > o.trigger) {
			continue
		}
		px := o.a.OrderPx
		switch {
		case o.a.SlTriggerPx != "":
			px = o.a.SlOrdPx
		case o.a.TpTriggerPx != "":
			px = o.a.TpOrdPx
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
	return map[string]any{"instType": o.m.instType, "instId": o.m.id, "ccy": "", "ordId": o.ordID, "ordIdList": []string{},
		"algoId": itoa(o.id), "clOrdId": "", "sz": a.Sz, "closeFraction": "", "ordType": a.OrdType, "side": a.Side, "posSide": "net",
		"tdMode": a.TdMode, "tgtCcy": a.TgtCcy, "state": o.state, "lever": "", "tpTriggerPx": a.TpTriggerPx,
		"tpTriggerPxType": pxType(a.TpTriggerPx), "tpOrdPx": a.TpOrdPx, "slTriggerPx": a.SlTriggerPx,
		"slTriggerPxType": pxType(a.SlTriggerPx), "slOrdPx": a.SlOrdPx, "triggerPx": a.TriggerPx,
		"triggerPxType": pxType(a.TriggerPx), "ordPx": a.OrderPx, "actualSz": "", "actualPx": "", "actualSide": "",
		"triggerTime": fired, "tag": a.Tag, "algoClOrdId": o.clID, "reduceOnly": strconv.FormatBool(a.ReduceOnly),
		"cTime": ms(o.created), "uTime": ms(o.updated), "notionalUsd": "", "quickMgnType": "", "last": "", "failCode": "",
		"amendPxOnTriggerType": "0", "attachAlgoOrds": []any{}, "isTradeBorrowMode": "", "chaseType": "", "chaseVal": "",
		"maxChaseType": "", "maxChaseVal": "", "activePx": "", "callbackRatio": "", "callbackSpread": "", "moveTriggerPx": "",
		"linkedOrd": map[string]string{"ordId": o.ordID}, "pxLimit": "", "pxSpread": "", "pxVar": "", "szLimit": "", "timeInterval": ""}
}

// pushAlgoLocked pushes an algo order's state to the orders-algo channel.
func (s *Server) pushAlgoLocked(o *algoOrder) {
	s.privateSubs("orders-algo", o.m, func(sess *session, a arg) {
		sess.send(mustJSON(map[string]any{"arg": map[string]string{"channel": "orders-algo", "instType": orDefault(a.InstType, "ANY"),
			"instId": a.InstID, "uid": accountUID}, "data": []any{o.json()}}))
	})
}
