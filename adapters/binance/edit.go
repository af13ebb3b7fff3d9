package binance

import (
	"context"
	"strconv"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/rest"
	"github.com/unifex-go/unifex/markets"
	"github.com/unifex-go/unifex/unified"
)

// Editing an order. An edit is built once (buildEdit) and sent over REST
// (EditOrder) or the WebSocket API (EditOrderWs): the three ways Binance
// offers take the same parameters and answer with the same result on
// both, so only the transport differs.

// editWay is one of Binance's ways of changing an order.
type editWay int

const (
	// editAmend lowers a spot order's quantity in place, keeping its
	// priority: PUT /api/v3/order/amend/keepPriority, order.amend.keepPriority.
	editAmend editWay = iota
	// editCancelReplace cancels a spot order and places a new one:
	// POST /api/v3/order/cancelReplace, order.cancelReplace.
	editCancelReplace
	// editModify changes a futures LIMIT order's price and quantity:
	// PUT /fapi/v1/order or /dapi/v1/order, order.modify.
	editModify
)

// editMethods are the WebSocket API methods of the ways.
var editMethods = [...]string{
	editAmend:         "order.amend.keepPriority",
	editCancelReplace: "order.cancelReplace",
	editModify:        "order.modify",
}

// endpoint is the REST endpoint of the way on the adapter's product.
func (w editWay) endpoint(api *privateAPI) rest.Endpoint {
	switch w {
	case editAmend:
		return api.amend
	case editCancelReplace:
		return api.cancelReplace
	}
	return api.modify
}

// orderEdit is one edit ready to be sent.
type orderEdit struct {
	way    editWay
	market *unified.Market
	params rest.Params
	pl     *placement // editCancelReplace: the new order
}

// editReply is the reply to an edit, over REST or the WebSocket API: the
// amend's {"transactTime","executionId","amendedOrder"}, the
// cancel-replace's {"cancelResult","newOrderResult","cancelResponse",
// "newOrderResponse"}, or (modify) the order itself, whose keys land in
// the embedded restOrder.
type editReply struct {
	restOrder
	Amended  *restOrder `json:"amendedOrder"`
	NewOrder *restOrder `json:"newOrderResponse"`
}

// EditOrder changes an open order; req.Symbol is required.
//
// Spot has two ways, and the request chooses: a request that changes only
// the amount (no Price, no trigger) uses PUT /api/v3/order/amend/keepPriority,
// which lowers the quantity in place, keeping the order id and its place in
// the queue (Binance refuses an amount that is not below the current one);
// the order gets req.ClientOrderID, else a fresh "x-unifex-" id (Binance
// would draw a random one). Any other change uses POST
// /api/v3/order/cancelReplace with cancelReplaceMode STOP_ON_FAILURE: the
// order is canceled and req placed as a new order (a new id; validated as
// CreateOrder validates), as CCXT's editOrder does; if the cancel fails
// nothing is placed. A refused cancel-replace is typed by the part that
// failed: an unknown order is OrderNotFound; when the cancel succeeded but
// the new order was refused, the order is gone and the error says so. A
// new order whose outcome is unknown is looked up as CreateOrder's is.
//
// Futures: PUT /fapi/v1/order or /dapi/v1/order changes the price and the
// amount of an open LIMIT order in place; req needs Side, Amount and Price.
func (x *Exchange) EditOrder(ctx context.Context, id string, req unified.OrderRequest, opts ...exchange.Option) (*unified.Order, error) {
	e, err := x.buildEdit(ctx, "EditOrder", id, req, exchange.Apply(opts).Params)
	if err != nil {
		return nil, err
	}
	return x.sendEdit(ctx, e, func(out *editReply) error {
		return x.REST().DoJSON(ctx, e.way.endpoint(x.api()), e.params, out)
	})
}

// EditOrderWs changes an open order over the WebSocket API, as EditOrder
// does over REST (same choice of way, same checks, same result): spot
// order.amend.keepPriority or order.cancelReplace, futures order.modify.
func (x *Exchange) EditOrderWs(ctx context.Context, id string, req unified.OrderRequest, opts ...exchange.Option) (*unified.Order, error) {
	e, err := x.buildEdit(ctx, "EditOrderWs", id, req, exchange.Apply(opts).Params)
	if err != nil {
		return nil, err
	}
	return x.sendEdit(ctx, e, func(out *editReply) error {
		return x.wsAPICall(ctx, editMethods[e.way], e.params, out)
	})
}

// sendEdit sends e with send and parses the changed (or new) order.
func (x *Exchange) sendEdit(ctx context.Context, e *orderEdit, send func(*editReply) error) (*unified.Order, error) {
	x.Engine().NoteOrderSymbol(e.market.Symbol) // reconciliation looks there after an outage
	var reply editReply
	err := send(&reply)
	var o *unified.Order
	if err == nil {
		o, err = x.editedOrder(e, &reply)
	}
	if err != nil && e.way == editCancelReplace {
		return x.placementFailed(ctx, e.pl, err)
	}
	return o, err
}

// editedOrder is the order an edit's reply carries.
func (x *Exchange) editedOrder(e *orderEdit, reply *editReply) (*unified.Order, error) {
	raw := &reply.restOrder
	switch e.way {
	case editAmend:
		if reply.Amended == nil {
			return nil, errors.Newf(errors.BadResponse, editMethods[e.way]+" was answered without amendedOrder")
		}
		raw = reply.Amended
		if raw.TransactTime == 0 {
			raw.TransactTime = reply.TransactTime
		}
	case editCancelReplace:
		if reply.NewOrder == nil {
			return nil, errors.Newf(errors.BadResponse, editMethods[e.way]+" was answered without newOrderResponse")
		}
		raw = reply.NewOrder
	}
	o, err := parseOrder(x.p.kind, e.market, raw, x.Config().KeepInfo)
	if err != nil {
		return nil, err
	}
	return &o, nil
}

// buildEdit chooses the way of an edit of order id (see EditOrder) and
// builds its parameters, checking req first; method names the caller in
// errors.
func (x *Exchange) buildEdit(ctx context.Context, method, id string, req unified.OrderRequest, extra map[string]any) (*orderEdit, error) {
	if id == "" {
		return nil, &errors.Error{Kind: errors.ArgumentsRequired, Exchange: x.p.id, Message: method + " needs an order id"}
	}
	amountOnly := !req.Price.Valid && !req.TriggerPrice.Valid && !req.StopLossPrice.Valid && !req.TakeProfitPrice.Valid && !req.Cost.Valid &&
		!req.TrailingAmount.Valid && !req.TrailingPercent.Valid
	switch {
	case x.p.kind == spot && amountOnly:
		return x.amendEdit(ctx, method, id, req, extra)
	case x.p.kind == spot:
		return x.cancelReplaceEdit(ctx, id, req, extra)
	}
	return x.modifyEdit(ctx, id, req, extra)
}

// amendEdit lowers a spot order's quantity, keeping its priority.
func (x *Exchange) amendEdit(ctx context.Context, method, id string, req unified.OrderRequest, extra map[string]any) (*orderEdit, error) {
	m, err := x.market(ctx, req.Symbol)
	if err != nil {
		return nil, err
	}
	if !req.Amount.IsPositive() {
		return nil, &errors.Error{Kind: errors.ArgumentsRequired, Exchange: x.p.id, Message: method + " needs a new amount or a new price"}
	}
	qty, err := markets.AmountToPrecision(m, req.Amount)
	if err != nil {
		return nil, err
	}
	clientID := req.ClientOrderID
	switch {
	case clientID == "":
		clientID = clientIDs.New(x.REST().Sources())
	case !clientIDs.Valid(clientID):
		return nil, &errors.Error{Kind: errors.InvalidOrder, Exchange: x.p.id, Message: "client order id " + strconv.Quote(clientID) + " is not valid on Binance"}
	}
	p := symbolParam(m)
	p.Add("orderId", id)
	p.Add("newClientOrderId", clientID)
	p.Add("newQty", qty)
	if err := p.AddExtra(extra, "timestamp", "signature"); err != nil {
		return nil, err
	}
	return &orderEdit{way: editAmend, market: m, params: p}, nil
}

// cancelReplaceEdit cancels a spot order and places req in its place.
func (x *Exchange) cancelReplaceEdit(ctx context.Context, id string, req unified.OrderRequest, extra map[string]any) (*orderEdit, error) {
	for _, k := range []string{"cancelReplaceMode", "cancelOrderId"} {
		if _, set := extra[k]; set {
			return nil, errors.Newf(errors.BadRequest, "binance: Params "+strconv.Quote(k)+" is set by the unified arguments")
		}
	}
	pl, err := x.placement(ctx, req, extra)
	if err != nil {
		return nil, err
	}
	pl.params.Add("cancelReplaceMode", "STOP_ON_FAILURE")
	pl.params.Add("cancelOrderId", id)
	return &orderEdit{way: editCancelReplace, market: pl.market, params: pl.params, pl: pl}, nil
}

// modifyEdit changes a futures LIMIT order's price and amount in place.
func (x *Exchange) modifyEdit(ctx context.Context, id string, req unified.OrderRequest, extra map[string]any) (*orderEdit, error) {
	if req.Type == "" {
		req.Type = unified.OrderTypeLimit // only limit orders can be modified
	}
	switch {
	case req.Type != unified.OrderTypeLimit:
		return nil, x.notSupported("only limit orders can be modified on Binance futures")
	case req.TriggerPrice.Valid || req.StopLossPrice.Valid || req.TakeProfitPrice.Valid || req.TrailingAmount.Valid || req.TrailingPercent.Valid:
		return nil, x.notSupported("futures trigger orders live on the Algo Service")
	}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	m, err := x.market(ctx, req.Symbol)
	if err != nil {
		return nil, err
	}
	sent, err := markets.ValidateOrder(m, markets.Order{Amount: req.Amount, Price: req.Price.Decimal})
	if err != nil {
		return nil, err
	}
	p := symbolParam(m)
	p.Add("orderId", id)
	p.Add("side", sideParam(req.Side))
	p.Add("quantity", sent.Amount.String())
	p.Add("price", sent.Price.String())
	if err := p.AddExtra(extra, "timestamp", "signature"); err != nil {
		return nil, err
	}
	return &orderEdit{way: editModify, market: m, params: p}, nil
}
