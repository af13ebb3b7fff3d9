package binancetest

import (
	"net/http"
	"net/url"
	"time"

	"github.com/shopspring/decimal"
)

// Editing orders, over the WebSocket API and over REST (the same handlers):
//
//   - spot order.amend.keepPriority, PUT /api/v3/order/amend/keepPriority
//     (weight 4): lowers an open order's quantity in place, keeping its id;
//     the order takes newClientOrderId, else a random one; the user data
//     stream reports it with execution type REPLACED;
//   - spot order.cancelReplace, POST /api/v3/order/cancelReplace (weight
//     1): the new order is checked first (a filter failure refuses the
//     whole request), then the order is canceled and the new one placed; a
//     failed part is reported as -2022 (400: the cancel failed; with
//     STOP_ON_FAILURE nothing is placed) or -2021 (409: one part failed),
//     with each part's result in "data";
//   - futures order.modify, PUT /fapi/v1/order and /dapi/v1/order (weight
//     1): a LIMIT order's price and quantity (both required) change in
//     place; a partly filled order whose new quantity is not above what is
//     filled, and a GTX order whose new price would take, are canceled; a
//     modified order that crosses the book trades at once. User data:
//     execution type AMENDMENT.
//
// Sources: binance-spot-api-docs web-socket-api.md "Order Amend Keep
// Priority", "Cancel and replace order" and errors.md (-2021, -2022, -2038);
// developers.binance.com USDⓈ-M and COIN-M "Modify Order" (WebSocket API
// and REST).

// The edits' own codes and messages.
const (
	codeReplacePartial = -2021 // spot: cancel-replace partially failed (HTTP 409)
	codeReplaceFailed  = -2022 // spot: cancel-replace failed
	codeAmendReject    = -2038 // spot: ORDER_AMEND_REJECTED

	msgAmendIncrease = "Order amend (quantity increase) is not supported."
	msgNoStateChange = "The requested action would change no state; rejecting"
)

// editMethods adds the product's edit methods to the WebSocket API's.
func (s *Server) editMethods(methods map[string]apiMethod) {
	for _, ep := range s.editEndpoints() {
		h := ep.h
		methods[ep.wsMethod] = apiMethod{ep.weight(nil), secSigned, func(_ *session, q url.Values, now time.Time) (any, *apiError) {
			return h(q, now)
		}}
	}
}

// editEndpoint is an edit's REST endpoint with its WebSocket API method.
type editEndpoint struct {
	endpoint
	wsMethod string
}

// editEndpoints are the product's edit endpoints.
func (s *Server) editEndpoints() []editEndpoint {
	p := s.prefix()
	if s.cfg.Product == Spot {
		return []editEndpoint{
			{endpoint{"PUT", p + "/order/amend/keepPriority", weight(4), secSigned, s.amendKeepPriority}, "order.amend.keepPriority"},
			{endpoint{"POST", p + "/order/cancelReplace", weight(1), secSigned, s.cancelReplace}, "order.cancelReplace"},
		}
	}
	return []editEndpoint{{endpoint{"PUT", p + "/order", weight(1), secSigned, s.modifyOrder}, "order.modify"}}
}

// restEditEndpoints are the edit endpoints as REST serves them.
func (s *Server) restEditEndpoints() []endpoint {
	var out []endpoint
	for _, ep := range s.editEndpoints() {
		out = append(out, ep.endpoint)
	}
	return out
}

// amendReply is the amend's reply.
type amendReply struct {
	TransactTime int64         `json:"transactTime"`
	ExecutionID  int64         `json:"executionId"`
	AmendedOrder amendedReport `json:"amendedOrder"`
}

// amendedReport is the amended order in the amend's reply.
type amendedReport struct {
	Symbol                  string `json:"symbol"`
	OrderID                 int64  `json:"orderId"`
	OrderListID             int64  `json:"orderListId"`
	OrigClientOrderID       string `json:"origClientOrderId"`
	ClientOrderID           string `json:"clientOrderId"`
	Price                   string `json:"price"`
	Qty                     string `json:"qty"`
	ExecutedQty             string `json:"executedQty"`
	PreventedQty            string `json:"preventedQty"`
	QuoteOrderQty           string `json:"quoteOrderQty"`
	CumulativeQuoteQty      string `json:"cumulativeQuoteQty"`
	Status                  string `json:"status"`
	TimeInForce             string `json:"timeInForce"`
	Type                    string `json:"type"`
	Side                    string `json:"side"`
	WorkingTime             int64  `json:"workingTime"`
	SelfTradePreventionMode string `json:"selfTradePreventionMode"`
}

// amendKeepPriority lowers a spot order's quantity.
func (s *Server) amendKeepPriority(q url.Values, now time.Time) (any, *apiError) {
	unknown := reject(codeAmendReject, msgUnknownOrder)
	o, e := s.findOrder(q, unknown)
	if e != nil {
		return nil, e
	}
	if !o.open() {
		return nil, unknown
	}
	m := o.m
	raw := q.Get("newQty")
	if raw == "" {
		return nil, mandatory("newQty")
	}
	qty, err := parseUnits(raw, m.qtyDec)
	switch {
	case err == errPrecision:
		return nil, reject(codePrecision, "Parameter 'newQty' has too much precision.")
	case err != nil || qty <= 0:
		return nil, mandatory("newQty")
	case qty == o.qty:
		return nil, reject(codeAmendReject, msgNoStateChange)
	case qty > o.qty:
		return nil, reject(codeAmendReject, msgAmendIncrease)
	case qty < m.minQty || qty%m.step != 0:
		return nil, reject(codeFilter, "Filter failure: LOT_SIZE")
	}
	clientID := q.Get("newClientOrderId")
	if clientID == "" {
		clientID = s.newClientID()
	}
	for _, x := range s.acct.open {
		if x != o && x.m == m && x.clientID == clientID {
			return nil, reject(codeAmendReject, "Duplicate order sent.")
		}
	}
	orig := o.clientID
	o.qty, o.clientID, o.updated = qty, clientID, now
	s.acct.updated = now
	if o.filled >= o.qty { // nothing left to trade: the amendment ends the order
		o.status = "EXPIRED"
		s.acct.closeLocked(o)
	}
	s.releaseSpotLocked(o)
	s.orderEventAsLocked(o, nil, "REPLACED", now)
	s.balanceEventLocked([]string{lockedAsset(o)}, now)
	return amendReply{TransactTime: now.UnixMilli(), ExecutionID: s.acct.executions, AmendedOrder: amendedReport{
		Symbol: m.id, OrderID: o.id, OrderListID: -1, OrigClientOrderID: orig, ClientOrderID: o.clientID,
		Price: m.fmtPrice(o.price), Qty: m.fmtQty(o.qty), ExecutedQty: m.fmtQty(o.filled), PreventedQty: m.fmtQty(0),
		QuoteOrderQty: m.fmtQty(0), CumulativeQuoteQty: decString(o.cum, 8), Status: o.status, TimeInForce: o.tif,
		Type: o.typ, Side: o.side(), WorkingTime: o.created.UnixMilli(), SelfTradePreventionMode: "NONE"}}, nil
}

// releaseSpotLocked frees what a spot limit order holds beyond what its
// unfilled quantity needs at its price.
func (s *Server) releaseSpotLocked(o *order) {
	m := o.m
	need := m.qty(o.qty - o.filled)
	if o.buy {
		need = m.notional(o.price, o.qty-o.filled)
	}
	if !o.open() {
		need = decimal.Zero
	}
	if extra := o.locked.Sub(need); extra.IsPositive() {
		b := s.acct.ensure(lockedAsset(o))
		b.locked, b.free, o.locked = b.locked.Sub(extra), b.free.Add(extra), need
	}
}

// replaceResult is a cancel-replace's report of its two parts, the reply
// on success and the "data" of a refusal.
type replaceResult struct {
	CancelResult     string `json:"cancelResult"`
	NewOrderResult   string `json:"newOrderResult"`
	CancelResponse   any    `json:"cancelResponse"`
	NewOrderResponse any    `json:"newOrderResponse"`
}

// cancelReplace cancels a spot order and places a new one.
func (s *Server) cancelReplace(q url.Values, now time.Time) (any, *apiError) {
	mode := q.Get("cancelReplaceMode")
	switch mode {
	case "STOP_ON_FAILURE", "ALLOW_FAILURE":
	case "":
		return nil, mandatory("cancelReplaceMode")
	default:
		return nil, invalidParam("cancelReplaceMode")
	}
	m, e := s.symbolParam(q)
	if e != nil {
		return nil, e
	}
	if e := s.parseOrder(&order{m: m}, q); e != nil { // filters first: nothing happens
		return nil, e
	}
	cq := url.Values{"symbol": {q.Get("symbol")}}
	for from, to := range map[string]string{"cancelOrderId": "orderId", "cancelOrigClientOrderId": "origClientOrderId",
		"cancelNewClientOrderId": "newClientOrderId"} {
		if v := q.Get(from); v != "" {
			cq.Set(to, v)
		}
	}
	if cq.Get("orderId") == "" && cq.Get("origClientOrderId") == "" {
		return nil, rejectf(codeMandatory, "Param 'cancelOrigClientOrderId' or 'cancelOrderId' must be sent, but both were empty/null!")
	}
	r := replaceResult{CancelResult: "SUCCESS", NewOrderResult: "NOT_ATTEMPTED"}
	canceled, cancelErr := s.cancelLocked(cq, now)
	if cancelErr != nil {
		r.CancelResult, r.CancelResponse = "FAILURE", cancelErr
		if mode == "STOP_ON_FAILURE" {
			return nil, replaceError(codeReplaceFailed, r)
		}
	} else {
		r.CancelResponse = s.spotCancelReply(canceled, now)
	}
	placed, fills, placeErr := s.placeLocked(q, now)
	if placeErr != nil {
		r.NewOrderResult, r.NewOrderResponse = "FAILURE", placeErr
	} else {
		r.NewOrderResult, r.NewOrderResponse = "SUCCESS", s.newOrderReply(placed, fills, q.Get("newOrderRespType"), now)
	}
	switch {
	case cancelErr != nil && placeErr != nil:
		return nil, replaceError(codeReplaceFailed, r)
	case cancelErr != nil || placeErr != nil:
		return nil, replaceError(codeReplacePartial, r)
	}
	return r, nil
}

// replaceError is a cancel-replace refusal carrying the parts' results.
func replaceError(code int, r replaceResult) *apiError {
	if code == codeReplacePartial {
		return &apiError{Code: code, Msg: "Order cancel-replace partially failed.", Data: r, status: http.StatusConflict}
	}
	return &apiError{Code: code, Msg: "Order cancel-replace failed.", Data: r, status: http.StatusBadRequest}
}

// modifyOrder changes a futures LIMIT order's price and quantity.
func (s *Server) modifyOrder(q url.Values, now time.Time) (any, *apiError) {
	o, e := s.findOrder(q, reject(codeNoSuchOrder, msgNoSuchOrder))
	if e != nil {
		return nil, e
	}
	switch {
	case !o.open():
		return nil, reject(codeNoSuchOrder, msgNoSuchOrder)
	case o.typ != "LIMIT":
		return nil, reject(s.pick(0, -5025, -4196), "Only limit order is supported.")
	case q.Get("quantity") == "":
		return nil, mandatory("quantity")
	case q.Get("price") == "":
		return nil, mandatory("price")
	case q.Get("side") != "" && q.Get("side") != o.side():
		return nil, invalidParam("side")
	}
	changed := &order{m: o.m, reduceOnly: o.reduceOnly}
	nq := url.Values{"side": {o.side()}, "type": {"LIMIT"}, "timeInForce": {o.tif},
		"price": {q.Get("price")}, "quantity": {q.Get("quantity")}}
	if o.reduceOnly {
		nq.Set("reduceOnly", "true")
	}
	if e := s.parseOrder(changed, nq); e != nil {
		return nil, e
	}
	if changed.price == o.price && changed.qty == o.qty {
		return nil, reject(s.pick(0, -5027, -4197), "No need to modify the order.")
	}
	m := o.m
	lev := decimal.NewFromInt(int64(s.acct.leverage[m]))
	more := m.notional(changed.price, changed.qty-o.filled).Sub(m.notional(o.price, o.qty-o.filled)).DivRound(lev, 8)
	if !o.reduceOnly && more.GreaterThan(s.acct.available(m.marginAsset())) {
		return nil, reject(codeMarginShort, "Margin is insufficient.")
	}
	o.price, o.qty = changed.price, changed.qty
	switch {
	case o.filled > 0 && o.qty <= o.filled, o.tif == "GTX" && s.crosses(o):
		s.finishLocked(o, "CANCELED", now)
		return s.futuresOrderReply(o, true), nil
	}
	o.updated = now
	s.acct.updated = now
	s.orderEventAsLocked(o, nil, "AMENDMENT", now)
	if s.crosses(o) {
		s.takeLocked(o, now)
	}
	return s.futuresOrderReply(o, true), nil
}
