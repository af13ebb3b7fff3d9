package binancetest

import (
	"net/url"
	"strconv"
	"time"

	"github.com/shopspring/decimal"
)

// The order endpoints (REST; the WebSocket API calls the same handlers)
// and the order, fill and cancel replies in each product's shape.

func (s *Server) restNewOrder(q url.Values, now time.Time) (any, *apiError) {
	o, fills, e := s.placeLocked(q, now)
	if e != nil {
		return nil, e
	}
	return s.newOrderReply(o, fills, q.Get("newOrderRespType"), now), nil
}

func (s *Server) restCancelOrder(q url.Values, now time.Time) (any, *apiError) {
	o, e := s.cancelLocked(q, now)
	if e != nil {
		return nil, e
	}
	if s.cfg.Product == Spot {
		return s.spotCancelReply(o, now), nil
	}
	return s.futuresOrderReply(o, true), nil
}

func (s *Server) restQueryOrder(q url.Values, _ time.Time) (any, *apiError) {
	o, e := s.findOrder(q, reject(codeNoSuchOrder, msgNoSuchOrder))
	if e != nil {
		return nil, e
	}
	return s.orderReply(o), nil
}

func (s *Server) restOpenOrders(q url.Values, _ time.Time) (any, *apiError) {
	var m *market
	if q.Get("symbol") != "" {
		var e *apiError
		if m, e = s.symbolParam(q); e != nil {
			return nil, e
		}
	}
	out := []any{}
	for _, o := range s.acct.open {
		if m == nil || o.m == m {
			out = append(out, s.orderReply(o))
		}
	}
	return out, nil
}

// restCancelAll cancels a symbol's open orders: spot answers with them
// (or -2011 when there are none), futures with a confirmation.
func (s *Server) restCancelAll(q url.Values, now time.Time) (any, *apiError) {
	m, e := s.symbolParam(q)
	if e != nil {
		return nil, e
	}
	out := []any{}
	for _, o := range s.acct.openOrders() {
		if o.m == m {
			o.cancelID = s.newClientID()
			s.finishLocked(o, "CANCELED", now)
			out = append(out, s.spotCancelReply(o, now))
		}
	}
	if s.cfg.Product != Spot {
		return map[string]any{"code": 200, "msg": "The operation of cancel all open order is done."}, nil
	}
	if len(out) == 0 {
		return nil, reject(codeCancelReject, msgUnknownOrder)
	}
	return out, nil
}

// restAllOrders lists a symbol's orders: from orderId on, or within
// startTime and endTime, else the most recent; oldest first.
func (s *Server) restAllOrders(q url.Values, _ time.Time) (any, *apiError) {
	m, e := s.symbolParam(q)
	if e != nil {
		return nil, e
	}
	fromID, hasFrom, e := idParam(q, "orderId")
	if e != nil {
		return nil, e
	}
	var picked []*order
	if e := s.window(q, func(start, end time.Time) {
		for _, o := range s.acct.orders {
			if o.m == m && (!hasFrom || o.id >= fromID) && inWindow(o.created, start, end) {
				picked = append(picked, o)
			}
		}
	}); e != nil {
		return nil, e
	}
	limit, e := limitParam(q, 500, 1000)
	if e != nil {
		return nil, e
	}
	picked = clip(picked, limit, hasFrom || q.Get("startTime") != "")
	out := []any{}
	for _, o := range picked {
		out = append(out, s.orderReply(o))
	}
	return out, nil
}

// restMyTrades lists the account's fills of a symbol (myTrades on spot,
// userTrades on futures): from fromId on, of one order, or within
// startTime and endTime, else the most recent; oldest first.
func (s *Server) restMyTrades(q url.Values, _ time.Time) (any, *apiError) {
	m, e := s.symbolParam(q)
	if e != nil {
		return nil, e
	}
	fromID, hasFrom, e := idParam(q, "fromId")
	if e != nil {
		return nil, e
	}
	orderID, hasOrder, e := idParam(q, "orderId")
	if e != nil {
		return nil, e
	}
	var picked []*fill
	if e := s.window(q, func(start, end time.Time) {
		for _, f := range s.acct.fills {
			if f.o.m == m && (!hasFrom || f.tradeID >= fromID) && (!hasOrder || f.o.id == orderID) && inWindow(f.time, start, end) {
				picked = append(picked, f)
			}
		}
	}); e != nil {
		return nil, e
	}
	limit, e := limitParam(q, 500, 1000)
	if e != nil {
		return nil, e
	}
	picked = clip(picked, limit, hasFrom || q.Get("startTime") != "")
	out := []any{}
	for _, f := range picked {
		out = append(out, s.fillReply(f))
	}
	return out, nil
}

// window reads startTime and endTime (at most 24 hours apart, as the docs
// require for allOrders and myTrades) and calls pick with them.
func (s *Server) window(q url.Values, pick func(start, end time.Time)) *apiError {
	start, e := timeParam(q, "startTime")
	if e != nil {
		return e
	}
	end, e := timeParam(q, "endTime")
	if e != nil {
		return e
	}
	if !start.IsZero() && !end.IsZero() && end.Sub(start) > 24*time.Hour {
		return reject(codeLookupInterval, "More than 24 hours between startTime and endTime.")
	}
	pick(start, end)
	return nil
}

func inWindow(t, start, end time.Time) bool {
	return (start.IsZero() || !t.Before(start)) && (end.IsZero() || !t.After(end))
}

// clip keeps limit items: the first ones when paging forward, else the
// last ones.
func clip[T any](items []T, limit int, forward bool) []T {
	if len(items) <= limit {
		return items
	}
	if forward {
		return items[:limit]
	}
	return items[len(items)-limit:]
}

// spotOrderReply is a spot order as GET /api/v3/order shows it.
type spotOrderReply struct {
	Symbol                  string `json:"symbol"`
	OrderID                 int64  `json:"orderId"`
	OrderListID             int64  `json:"orderListId"`
	ClientOrderID           string `json:"clientOrderId"`
	Price                   string `json:"price"`
	OrigQty                 string `json:"origQty"`
	ExecutedQty             string `json:"executedQty"`
	CummulativeQuoteQty     string `json:"cummulativeQuoteQty"`
	Status                  string `json:"status"`
	TimeInForce             string `json:"timeInForce"`
	Type                    string `json:"type"`
	Side                    string `json:"side"`
	StopPrice               string `json:"stopPrice"`
	IcebergQty              string `json:"icebergQty"`
	Time                    int64  `json:"time"`
	UpdateTime              int64  `json:"updateTime"`
	IsWorking               bool   `json:"isWorking"`
	WorkingTime             int64  `json:"workingTime"`
	OrigQuoteOrderQty       string `json:"origQuoteOrderQty"`
	SelfTradePreventionMode string `json:"selfTradePreventionMode"`
}

// spotNewOrderReply is POST /api/v3/order's RESULT and FULL reply (FULL
// adds fills); ACK keeps the first five fields.
type spotNewOrderReply struct {
	Symbol                  string           `json:"symbol"`
	OrderID                 int64            `json:"orderId"`
	OrderListID             int64            `json:"orderListId"`
	ClientOrderID           string           `json:"clientOrderId"`
	TransactTime            int64            `json:"transactTime"`
	Price                   string           `json:"price,omitempty"`
	OrigQty                 string           `json:"origQty,omitempty"`
	ExecutedQty             string           `json:"executedQty,omitempty"`
	OrigQuoteOrderQty       string           `json:"origQuoteOrderQty,omitempty"`
	CummulativeQuoteQty     string           `json:"cummulativeQuoteQty,omitempty"`
	Status                  string           `json:"status,omitempty"`
	TimeInForce             string           `json:"timeInForce,omitempty"`
	Type                    string           `json:"type,omitempty"`
	Side                    string           `json:"side,omitempty"`
	WorkingTime             int64            `json:"workingTime,omitempty"`
	SelfTradePreventionMode string           `json:"selfTradePreventionMode,omitempty"`
	Fills                   *[]spotFillReply `json:"fills,omitempty"` // FULL only, [] when none
}

// spotFillReply is one element of a FULL reply's fills.
type spotFillReply struct {
	Price           string `json:"price"`
	Qty             string `json:"qty"`
	Commission      string `json:"commission"`
	CommissionAsset string `json:"commissionAsset"`
	TradeID         int64  `json:"tradeId"`
}

// spotCancelReply is DELETE /api/v3/order's reply.
type spotCancelReply struct {
	Symbol                  string `json:"symbol"`
	OrigClientOrderID       string `json:"origClientOrderId"`
	OrderID                 int64  `json:"orderId"`
	OrderListID             int64  `json:"orderListId"`
	ClientOrderID           string `json:"clientOrderId"`
	TransactTime            int64  `json:"transactTime"`
	Price                   string `json:"price"`
	OrigQty                 string `json:"origQty"`
	ExecutedQty             string `json:"executedQty"`
	OrigQuoteOrderQty       string `json:"origQuoteOrderQty"`
	CummulativeQuoteQty     string `json:"cummulativeQuoteQty"`
	Status                  string `json:"status"`
	TimeInForce             string `json:"timeInForce"`
	Type                    string `json:"type"`
	Side                    string `json:"side"`
	SelfTradePreventionMode string `json:"selfTradePreventionMode"`
}

// futuresOrderReply is a futures order as the order endpoints show it;
// USD-M has cumQuote and goodTillDate, COIN-M cumBase and pair. New-order
// and cancel replies carry cumQty too.
type futuresOrderReply struct {
	AvgPrice                string `json:"avgPrice"`
	ClientOrderID           string `json:"clientOrderId"`
	CumQty                  string `json:"cumQty,omitempty"`
	CumQuote                string `json:"cumQuote,omitempty"`
	CumBase                 string `json:"cumBase,omitempty"`
	ExecutedQty             string `json:"executedQty"`
	OrderID                 int64  `json:"orderId"`
	OrigQty                 string `json:"origQty"`
	OrigType                string `json:"origType"`
	Price                   string `json:"price"`
	ReduceOnly              bool   `json:"reduceOnly"`
	Side                    string `json:"side"`
	PositionSide            string `json:"positionSide"`
	Status                  string `json:"status"`
	StopPrice               string `json:"stopPrice"`
	ClosePosition           bool   `json:"closePosition"`
	Symbol                  string `json:"symbol"`
	Pair                    string `json:"pair,omitempty"`
	Time                    int64  `json:"time,omitempty"`
	TimeInForce             string `json:"timeInForce"`
	Type                    string `json:"type"`
	UpdateTime              int64  `json:"updateTime"`
	WorkingType             string `json:"workingType"`
	PriceProtect            bool   `json:"priceProtect"`
	PriceMatch              string `json:"priceMatch"`
	SelfTradePreventionMode string `json:"selfTradePreventionMode"`
	GoodTillDate            *int64 `json:"goodTillDate,omitempty"`
}

// orderReply is an order as the query endpoints show it.
func (s *Server) orderReply(o *order) any {
	if s.cfg.Product != Spot {
		return s.futuresOrderReply(o, false)
	}
	m := o.m
	return spotOrderReply{Symbol: m.id, OrderID: o.id, OrderListID: -1, ClientOrderID: o.clientID, Price: m.fmtPrice(o.price),
		OrigQty: m.fmtQty(o.qty), ExecutedQty: m.fmtQty(o.filled), CummulativeQuoteQty: decString(o.cum, 8), Status: o.status,
		TimeInForce: o.tif, Type: o.typ, Side: o.side(), StopPrice: m.fmtPrice(0), IcebergQty: m.fmtQty(0),
		Time: o.created.UnixMilli(), UpdateTime: o.updated.UnixMilli(), IsWorking: o.typ != "MARKET",
		WorkingTime: o.created.UnixMilli(), OrigQuoteOrderQty: m.fmtQty(0), SelfTradePreventionMode: "NONE"}
}

// newOrderReply answers a placed order in the requested response type:
// spot ACK, RESULT or FULL (FULL by default for LIMIT and MARKET, ACK
// otherwise); futures always the whole order.
func (s *Server) newOrderReply(o *order, fills []*fill, respType string, now time.Time) any {
	if s.cfg.Product != Spot {
		return s.futuresOrderReply(o, true)
	}
	m := o.m
	if respType == "" {
		respType = "ACK"
		if o.typ == "LIMIT" || o.typ == "MARKET" {
			respType = "FULL"
		}
	}
	r := spotNewOrderReply{Symbol: m.id, OrderID: o.id, OrderListID: -1, ClientOrderID: o.clientID, TransactTime: now.UnixMilli()}
	if respType == "ACK" {
		return r
	}
	r.Price, r.OrigQty, r.ExecutedQty = m.fmtPrice(o.price), m.fmtQty(o.qty), m.fmtQty(o.filled)
	r.OrigQuoteOrderQty, r.CummulativeQuoteQty, r.Status = m.fmtQty(0), decString(o.cum, 8), o.status
	r.TimeInForce, r.Type, r.Side, r.WorkingTime, r.SelfTradePreventionMode = o.tif, o.typ, o.side(), o.created.UnixMilli(), "NONE"
	if respType == "FULL" {
		list := []spotFillReply{}
		for _, f := range fills {
			list = append(list, spotFillReply{Price: m.fmtPrice(f.price), Qty: m.fmtQty(f.qty),
				Commission: decString(f.commission, 8), CommissionAsset: f.feeAsset, TradeID: f.tradeID})
		}
		r.Fills = &list
	}
	return r
}

func (s *Server) spotCancelReply(o *order, now time.Time) spotCancelReply {
	m := o.m
	return spotCancelReply{Symbol: m.id, OrigClientOrderID: o.clientID, OrderID: o.id, OrderListID: -1, ClientOrderID: o.cancelID,
		TransactTime: now.UnixMilli(), Price: m.fmtPrice(o.price), OrigQty: m.fmtQty(o.qty), ExecutedQty: m.fmtQty(o.filled),
		OrigQuoteOrderQty: m.fmtQty(0), CummulativeQuoteQty: decString(o.cum, 8), Status: o.status, TimeInForce: o.tif,
		Type: o.typ, Side: o.side(), SelfTradePreventionMode: "NONE"}
}

func (s *Server) futuresOrderReply(o *order, placed bool) futuresOrderReply {
	m := o.m
	r := futuresOrderReply{AvgPrice: decString(averagePrice(o), m.priceDec), ClientOrderID: o.clientID,
		ExecutedQty: m.fmtQty(o.filled), OrderID: o.id, OrigQty: m.fmtQty(o.qty), OrigType: o.typ, Price: m.fmtPrice(o.price),
		ReduceOnly: o.reduceOnly, Side: o.side(), PositionSide: "BOTH", Status: o.status, StopPrice: m.fmtPrice(0),
		Symbol: m.id, TimeInForce: o.tif, Type: o.typ, UpdateTime: o.updated.UnixMilli(), WorkingType: "CONTRACT_PRICE",
		PriceMatch: "NONE", SelfTradePreventionMode: "EXPIRE_MAKER"}
	if placed {
		r.CumQty = m.fmtQty(o.filled)
	} else {
		r.Time = o.created.UnixMilli()
	}
	if s.cfg.Product == USDM {
		var zero int64
		r.CumQuote, r.GoodTillDate = decString(o.cum, 8), &zero
	} else {
		r.CumBase, r.Pair = decString(o.cum, 8), m.pair
	}
	return r
}

// averagePrice is an order's average fill price: value / quantity, or
// contracts × size / base value on COIN-M.
func averagePrice(o *order) decimal.Decimal {
	m := o.m
	switch {
	case o.filled == 0 || o.cum.IsZero():
		return decimal.Zero
	case m.contractSize > 0:
		return decimal.NewFromInt(o.filled*m.contractSize).DivRound(o.cum, int32(m.priceDec))
	}
	return o.cum.DivRound(m.qty(o.filled), int32(m.priceDec))
}

// fillReply is a fill as myTrades (spot) or userTrades (futures) shows it.
func (s *Server) fillReply(f *fill) any {
	m, o := f.o.m, f.o
	r := map[string]any{"symbol": m.id, "id": f.tradeID, "orderId": o.id, "price": m.fmtPrice(f.price), "qty": m.fmtQty(f.qty),
		"commission": decString(f.commission, 8), "commissionAsset": f.feeAsset, "time": f.time.UnixMilli()}
	switch s.cfg.Product {
	case Spot:
		r["orderListId"], r["quoteQty"], r["isBuyer"], r["isMaker"], r["isBestMatch"] = -1, decString(f.value, 8), o.buy, f.maker, true
	case USDM:
		r["quoteQty"], r["realizedPnl"], r["side"], r["positionSide"], r["buyer"], r["maker"] =
			decString(f.value, 8), decString(f.realized, 8), o.side(), "BOTH", o.buy, f.maker
	case COINM:
		r["pair"], r["baseQty"], r["marginAsset"], r["realizedPnl"], r["side"], r["positionSide"], r["buyer"], r["maker"] =
			m.pair, decString(f.value, 8), m.marginAsset(), decString(f.realized, 8), o.side(), "BOTH", o.buy, f.maker
	}
	return r
}

// orderID writes an order id as the unified structures carry it.
func orderID(id int64) string { return strconv.FormatInt(id, 10) }
