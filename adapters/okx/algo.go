package okx

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/engine"
	"github.com/unifex-go/unifex/internal/rest"
	"github.com/unifex-go/unifex/markets"
	"github.com/unifex-go/unifex/unified"
)

// Standalone trigger, stop-loss and take-profit orders are OKX algo
// orders: placed with POST trade/order-algo (ordType trigger for
// TriggerPrice; conditional, one side, for StopLossPrice or
// TakeProfitPrice), canceled with POST trade/cancel-algos, looked up with
// GET trade/order-algo and listed with GET trade/orders-algo-pending and
// orders-algo-history; their changes come on the business WebSocket's
// orders-algo channel. An algo order has its own id (algoId) and client
// id (algoClOrdId, the same rule as clOrdId); once triggered it places an
// ordinary order with ids of its own. The unified methods that take an
// id (CancelOrder, FetchOrder) and FetchOpenOrders, FetchClosedOrders
// reach the algo endpoints only when asked with Params{"trigger": true},
// as CCXT's do.

// The algo endpoints, under "v5".
var (
	epPlaceAlgo   = rest.Endpoint{API: "v5", Method: "POST", Path: "/trade/order-algo", Signed: true}
	epAlgo        = rest.Endpoint{API: "v5", Path: "/trade/order-algo", Signed: true}
	epCancelAlgos = rest.Endpoint{API: "v5", Method: "POST", Path: "/trade/cancel-algos", Signed: true}
	epAlgoPending = rest.Endpoint{API: "v5", Path: "/trade/orders-algo-pending", Signed: true}
	epAlgoHistory = rest.Endpoint{API: "v5", Path: "/trade/orders-algo-history", Signed: true}
)

// triggerParam is the Params key that sends CancelOrder, FetchOrder,
// FetchOpenOrders and FetchClosedOrders to the algo endpoints.
const triggerParam = "trigger"

// algoTypes are the algo ordTypes the unified orders are: the lists ask
// for each in turn unless Params{"ordType": ...} names one.
var algoTypes = []string{"trigger", "conditional"}

// algoStatus maps an algo order's state: live and pause wait for the
// trigger; partially_effective has placed part of its orders; effective
// has placed its order (closed, as CCXT reads it: the placed order is
// followed by its own id); order_failed and partially_failed could not
// place it.
func algoStatus(state string) (unified.OrderStatus, bool) {
	switch state {
	case "live", "pause", "partially_effective":
		return unified.StatusOpen, true
	case "effective":
		return unified.StatusClosed, true
	case "canceled":
		return unified.StatusCanceled, true
	case "order_failed", "partially_failed":
		return unified.StatusRejected, true
	}
	return "", false
}

// restAlgoOrder is an algo order as GET order-algo, orders-algo-pending,
// orders-algo-history and the orders-algo channel write it.
type restAlgoOrder struct {
	InstType        string `json:"instType"`
	InstID          string `json:"instId"`
	AlgoID          string `json:"algoId"`
	AlgoClOrdID     string `json:"algoClOrdId"`
	OrdID           string `json:"ordId"` // the order placed once triggered
	OrdType         string `json:"ordType"`
	State           string `json:"state"`
	Side            string `json:"side"`
	PosSide         string `json:"posSide"`
	TdMode          string `json:"tdMode"`
	TgtCcy          string `json:"tgtCcy"`
	Sz              string `json:"sz"`
	ReduceOnly      string `json:"reduceOnly"`
	TriggerPx       string `json:"triggerPx"`
	OrdPx           string `json:"ordPx"` // the trigger order's price, -1 for market
	SlTriggerPx     string `json:"slTriggerPx"`
	SlOrdPx         string `json:"slOrdPx"`
	TpTriggerPx     string `json:"tpTriggerPx"`
	TpOrdPx         string `json:"tpOrdPx"`
	ActualPx        string `json:"actualPx"` // the price of the order placed
	ActualSz        string `json:"actualSz"`
	ActualSide      string `json:"actualSide"`
	TriggerTime     string `json:"triggerTime"`
	CTime           string `json:"cTime"`
	UTime           string `json:"uTime"`
	TriggerPxType   string `json:"triggerPxType"`
	SlTriggerPxType string `json:"slTriggerPxType"`
	TpTriggerPxType string `json:"tpTriggerPxType"`
}

// parseAlgoOrder makes the unified order of an algo order on market m
// (nil: looked up by instId in snap). The id is algoId, the client id
// algoClOrdId; a trigger order's TriggerPrice is triggerPx, a
// conditional's StopLossPrice or TakeProfitPrice its side's trigger. The
// price is the order's price when it places a limit order (ordPx,
// slOrdPx or tpOrdPx positive; -1 is a market order). Filled and the
// average stay unknown: they belong to the order placed, which has its
// own id.
func parseAlgoOrder(snap *markets.Snapshot, m *unified.Market, r *restAlgoOrder, keepInfo bool) (unified.Order, error) {
	m, err := orderMarket(snap, m, r.InstID)
	if err != nil {
		return unified.Order{}, err
	}
	side, ok := sideOf(r.Side)
	status, known := algoStatus(r.State)
	if !ok || r.AlgoID == "" || !known {
		return unified.Order{}, errors.Newf(errors.BadResponse,
			"okx: an algo order without algoId, a side or a known state (algoId "+strconv.Quote(r.AlgoID)+", state "+strconv.Quote(r.State)+")")
	}
	var ds decimals
	o := unified.Order{ID: r.AlgoID, ClientOrderID: r.AlgoClOrdID, Symbol: m.Symbol, Side: side, Status: status,
		Timestamp: ds.time(r.CTime), LastUpdateTimestamp: ds.time(r.UTime),
		TriggerPrice: ds.positive(r.TriggerPx), StopLossPrice: ds.positive(r.SlTriggerPx), TakeProfitPrice: ds.positive(r.TpTriggerPx)}
	if o.LastUpdateTimestamp.IsZero() {
		o.LastUpdateTimestamp = o.Timestamp
	}
	price := r.OrdPx
	switch {
	case o.StopLossPrice.Valid:
		price = r.SlOrdPx
	case o.TakeProfitPrice.Valid:
		price = r.TpOrdPx
	}
	o.Type = unified.OrderTypeMarket
	if p := ds.positive(price); p.Valid {
		o.Type, o.Price, o.TimeInForce = unified.OrderTypeLimit, p, unified.TIFGTC
	}
	if !(r.InstType == TypeSpot && o.Type == unified.OrderTypeMarket && r.Side == "buy" && r.TgtCcy != "base_ccy") {
		o.Amount = ds.parse(r.Sz)
	}
	switch r.ReduceOnly {
	case "true", "false":
		reduce := r.ReduceOnly == "true"
		o.ReduceOnly = &reduce
	}
	if ds.err != nil {
		return unified.Order{}, errors.Wrap(errors.BadResponse, ds.err, "okx: algo order "+r.AlgoID)
	}
	if keepInfo {
		o.Info = *r
	}
	o.Complete(m)
	return o, nil
}

// algoBody turns the body of an ordinary order (placement) into the body
// of POST trade/order-algo for req: ordType trigger with triggerPx and
// orderPx (the limit price, or -1 for a market order), or conditional
// with one side's slTriggerPx/slOrdPx or tpTriggerPx/tpOrdPx; last-price
// triggers; clOrdId becomes algoClOrdId. An algo order's own order is
// limit or market only, and only a trigger order may carry attached
// stop-loss and take-profit orders.
func algoBody(m *unified.Market, req unified.OrderRequest, pl *placement) error {
	b := pl.body
	switch { // req.Validate allows one trigger only
	case b["ordType"] != "market" && b["ordType"] != "limit":
		return notSupported("okx: an algo order places a limit (GTC) or market order; no post-only, IOC or FOK")
	case !req.TriggerPrice.Valid && b["attachAlgoOrds"] != nil:
		return notSupported("okx: a stop-loss or take-profit order carries no attached orders; a trigger order may")
	}
	price := "-1"
	if px, ok := b["px"].(string); ok {
		price = px
	}
	delete(b, "px")
	trigger := req.TriggerPrice.Decimal
	switch {
	case req.TriggerPrice.Valid:
		b["ordType"], b["orderPx"], b["triggerPxType"] = "trigger", price, "last"
	case req.StopLossPrice.Valid:
		trigger = req.StopLossPrice.Decimal
		b["ordType"], b["slOrdPx"], b["slTriggerPxType"] = "conditional", price, "last"
	default:
		trigger = req.TakeProfitPrice.Decimal
		b["ordType"], b["tpOrdPx"], b["tpTriggerPxType"] = "conditional", price, "last"
	}
	px, err := markets.PriceToPrecision(m, trigger)
	if err != nil {
		return err
	}
	switch {
	case req.TriggerPrice.Valid:
		b["triggerPx"] = px
		pl.requested.TriggerPrice = req.TriggerPrice
	case req.StopLossPrice.Valid:
		b["slTriggerPx"] = px
		pl.requested.StopLossPrice = req.StopLossPrice
	default:
		b["tpTriggerPx"] = px
		pl.requested.TakeProfitPrice = req.TakeProfitPrice
	}
	b["algoClOrdId"] = b["clOrdId"]
	delete(b, "clOrdId")
	pl.algo = true
	return nil
}

// algoResult is one item of an algo operation's reply.
type algoResult struct {
	AlgoID      string `json:"algoId"`
	AlgoClOrdID string `json:"algoClOrdId"`
	SCode       string `json:"sCode"`
	SMsg        string `json:"sMsg"`
}

// firstAlgo is the one item of an algo operation's reply, or its refusal.
func firstAlgo(items []algoResult) (*algoResult, error) {
	switch {
	case len(items) == 0:
		return nil, errors.Newf(errors.BadResponse, "okx: an algo operation answered without data")
	case items[0].SCode != "" && items[0].SCode != "0":
		return nil, okxError(items[0].SCode, items[0].SMsg, 0)
	case items[0].AlgoID == "":
		return nil, errors.Newf(errors.BadResponse, "okx: an accepted algo operation without algoId")
	}
	return &items[0], nil
}

// placeAlgo sends an algo placement (see algoBody). OKX answers with the
// ids: the result is the order as requested with its algoId, status open.
// An unknown outcome is looked up once by algoClOrdId, as CreateOrder
// does for ordinary orders.
func (x *Exchange) placeAlgo(ctx context.Context, pl *placement) (*unified.Order, error) {
	items, err := post[algoResult](ctx, x, epPlaceAlgo, pl.body)
	if err == nil {
		var it *algoResult
		if it, err = firstAlgo(items); err == nil {
			o := pl.requested
			o.ID, o.Status = it.AlgoID, unified.StatusOpen
			if it.AlgoClOrdID != "" {
				o.ClientOrderID = it.AlgoClOrdID
			}
			return &o, nil
		}
	}
	if !outcomeUnknown(err) {
		return nil, err
	}
	id := pl.requested.ClientOrderID
	if ctx.Err() == nil {
		if o, ferr := x.fetchAlgo(ctx, pl.market, "", id); ferr == nil {
			return o, nil
		}
	}
	o := pl.requested
	return &o, fmt.Errorf("okx algo order with algoClOrdId %s may have been placed (outcome unknown): %w", id, err)
}

// takeTrigger removes Params{"trigger": true} from params (a copy) and
// reports whether it was set.
func takeTrigger(params map[string]any) (bool, map[string]any, error) {
	v, ok := params[triggerParam]
	if !ok {
		return false, params, nil
	}
	on, isBool := v.(bool)
	if !isBool {
		return false, nil, errors.Newf(errors.BadRequest, "okx: Params \"trigger\" must be a bool")
	}
	out := make(map[string]any, len(params))
	for k, v := range params {
		if k != triggerParam {
			out[k] = v
		}
	}
	return on, out, nil
}

// cancelAlgo cancels an algo order of symbol: POST trade/cancel-algos
// with one item, by algoId or (Params "clientOrderId") algoClOrdId. The
// result has the ids and the symbol; the orders-algo channel reports the
// end.
func (x *Exchange) cancelAlgo(ctx context.Context, id, symbol string, extra map[string]any) (*unified.Order, error) {
	m, clientID, extra, err := x.orderRef(ctx, "CancelOrder", id, symbol, extra)
	if err != nil {
		return nil, err
	}
	item := map[string]any{"instId": m.ID}
	if id != "" {
		item["algoId"] = id
	} else {
		item["algoClOrdId"] = clientID
	}
	if err := addBody(item, extra); err != nil {
		return nil, err
	}
	p, err := rest.JSON([]any{item})
	if err != nil {
		return nil, errors.Wrap(errors.BadRequest, err, "okx: a request body that cannot be written")
	}
	items, err := get[algoResult](ctx, x, epCancelAlgos, p)
	if err != nil {
		return nil, err
	}
	it, err := firstAlgo(items)
	if err != nil {
		return nil, err
	}
	return &unified.Order{ID: it.AlgoID, ClientOrderID: it.AlgoClOrdID, Symbol: m.Symbol}, nil
}

// fetchAlgoOrder answers FetchOrder with Params{"trigger": true}: GET
// trade/order-algo by algoId or (Params "clientOrderId") algoClOrdId.
func (x *Exchange) fetchAlgoOrder(ctx context.Context, id, symbol string, extra map[string]any) (*unified.Order, error) {
	m, clientID, extra, err := x.orderRef(ctx, "FetchOrder", id, symbol, extra)
	if err != nil {
		return nil, err
	}
	if len(extra) > 0 {
		return nil, errors.Newf(errors.BadRequest, "okx: FetchOrder takes no Params but clientOrderId and trigger")
	}
	return x.fetchAlgo(ctx, m, id, clientID)
}

// fetchAlgo queries one algo order of m by algoId or algoClOrdId.
func (x *Exchange) fetchAlgo(ctx context.Context, m *unified.Market, id, clientID string) (*unified.Order, error) {
	var p rest.Params
	p.Add("instId", m.ID)
	if id != "" {
		p.Add("algoId", id)
	} else {
		p.Add("algoClOrdId", clientID)
	}
	list, err := get[restAlgoOrder](ctx, x, epAlgo, p)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, &errors.Error{Kind: errors.OrderNotFound, Exchange: ID, Message: "okx: no algo order " + id + clientID}
	}
	o, err := parseAlgoOrder(nil, m, &list[0], x.Config().KeepInfo)
	if err != nil {
		return nil, err
	}
	return &o, nil
}

// algoOrders lists algo orders of symbol ("" for every market) from ep,
// one ordType after another (algoTypes, or Params "ordType"), each with
// every value of states (nil: no state parameter), paged back by algoId.
func (x *Exchange) algoOrders(ctx context.Context, ep rest.Endpoint, symbol string, states []string, o exchange.CallOptions, extra map[string]any) ([]unified.Order, error) {
	snap, err := x.Markets(ctx)
	if err != nil {
		return nil, err
	}
	types := algoTypes
	ordType, extra, err := takeString(extra, "ordType")
	if err != nil {
		return nil, err
	}
	if ordType != "" {
		types = []string{ordType}
	}
	var m *unified.Market
	if symbol != "" {
		if m, err = snap.Market(symbol); err != nil {
			return nil, err
		}
	}
	if states == nil {
		states = []string{""}
	}
	var out []unified.Order
	for _, t := range types {
		for _, state := range states {
			var p rest.Params
			if m != nil {
				p.Add("instType", instType(m))
				p.Add("instId", m.ID)
			}
			if state != "" {
				p.Add("state", state)
			}
			p.Add("ordType", t)
			if err := p.AddExtra(extra); err != nil {
				return nil, err
			}
			os, err := x.algoPages(ctx, ep, snap, m, p, o.Limit)
			if err != nil {
				return nil, err
			}
			out = append(out, os...)
		}
	}
	if !o.Since.IsZero() {
		out = slices.DeleteFunc(out, func(ord unified.Order) bool { return ord.Timestamp.Before(o.Since) })
	}
	sortOrders(out)
	return capNewest(out, o.Limit), nil
}

// algoPages reads one paged algo list (newest first, after = an older
// algoId) until it ends or holds limit orders.
func (x *Exchange) algoPages(ctx context.Context, ep rest.Endpoint, snap *markets.Snapshot, m *unified.Market, p rest.Params, limit int) ([]unified.Order, error) {
	var out []unified.Order
	after := ""
	for {
		q := p
		q.Query = slices.Clone(p.Query)
		if after != "" {
			q.Add("after", after)
		}
		q.Add("limit", strconv.Itoa(pageSize))
		list, err := get[restAlgoOrder](ctx, x, ep, q)
		if err != nil {
			return nil, err
		}
		for i := range list {
			if m == nil {
				if _, err := snap.MarketByID(list[i].InstID, ""); err != nil {
					continue // an instrument of a type not loaded
				}
			}
			ord, err := parseAlgoOrder(snap, m, &list[i], x.Config().KeepInfo)
			if err != nil {
				return nil, err
			}
			out = append(out, ord)
		}
		if len(list) < pageSize || (limit > 0 && len(out) >= limit) {
			return out, nil
		}
		after = list[len(list)-1].AlgoID
	}
}

// algoParams sends a list to the algo endpoints.
var algoParams = exchange.Params(map[string]any{triggerParam: true})

// onAlgoOrders publishes an orders-algo push into the orders topic.
func (x *Exchange) onAlgoOrders(data []byte, d *engine.Dispatch) error {
	var list []restAlgoOrder
	if err := json.Unmarshal(data, &list); err != nil {
		return errors.Wrap(errors.BadResponse, err, "okx: malformed orders-algo push")
	}
	snap, err := x.Markets(context.Background()) // loaded: the engine loaded them to subscribe
	if err != nil {
		return err
	}
	orders := make([]unified.Order, 0, len(list))
	for i := range list {
		if _, err := snap.MarketByID(list[i].InstID, ""); err != nil {
			continue // an instrument of a type not loaded
		}
		o, err := parseAlgoOrder(snap, nil, &list[i], x.Config().KeepInfo)
		if err != nil {
			return err
		}
		orders = append(orders, o)
	}
	d.Orders(orders...)
	return nil
}
