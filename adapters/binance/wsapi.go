package binance

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/engine"
	"github.com/unifex-go/unifex/internal/rest"
	"github.com/unifex-go/unifex/internal/stream"
	"github.com/unifex-go/unifex/unified"
)

// Order entry over the WebSocket API (card §7): requests
// {"id","method","params"} signed per request (sorted, unencoded params),
// answered {"id","status":200,"result":...} or {"status":4xx,"error":...}.
// On spot the account's route already is a WebSocket API connection; the
// futures' account route is a listen-key stream, so their requests go on a
// connection of their own.
var wsAPIRoute = engine.Route{Name: "wsapi"}

// wsAPIRouteOf is the route that carries WebSocket API requests.
func (x *Exchange) wsAPIRouteOf() engine.Route {
	if x.p.kind == spot {
		return privateRoute
	}
	return wsAPIRoute
}

// CreateOrderWs places an order over the WebSocket API, validated as
// CreateOrder validates it; an unknown outcome (the connection dropped
// after the request left) is looked up once by client order id, as
// CreateOrder does. Futures conditional orders live on the Algo Service,
// which CreateOrder reaches over REST.
func (x *Exchange) CreateOrderWs(ctx context.Context, req unified.OrderRequest, opts ...exchange.Option) (*unified.Order, error) {
	pl, err := x.placement(ctx, req, exchange.Apply(opts).Params)
	if err != nil {
		return nil, err
	}
	if pl.algo {
		return nil, x.notSupported("conditional futures orders over the WebSocket API: CreateOrder sends them to the Algo Service")
	}
	x.Engine().NoteOrderSymbol(pl.market.Symbol)
	var raw restOrder
	err = x.wsAPICall(ctx, "order.place", pl.params, &raw)
	if err == nil {
		var o unified.Order
		if o, err = parseOrder(x.p.kind, pl.market, &raw, x.Config().KeepInfo); err == nil {
			return &o, nil
		}
	}
	return x.placementFailed(ctx, pl, err)
}

// CancelOrderWs cancels an order over the WebSocket API.
func (x *Exchange) CancelOrderWs(ctx context.Context, id, symbol string, opts ...exchange.Option) (*unified.Order, error) {
	m, p, extra, err := x.orderRef(ctx, "CancelOrderWs", id, symbol, exchange.Apply(opts).Params)
	if err != nil {
		return nil, err
	}
	if err := p.AddExtra(extra, "timestamp", "signature"); err != nil {
		return nil, err
	}
	var raw restOrder
	if err := x.wsAPICall(ctx, "order.cancel", p, &raw); err != nil {
		return nil, err
	}
	canceledOwnID(&raw)
	o, err := parseOrder(x.p.kind, m, &raw, x.Config().KeepInfo)
	if err != nil {
		return nil, err
	}
	return &o, nil
}

// wsAPICall signs and sends one request and decodes its result into out.
func (x *Exchange) wsAPICall(ctx context.Context, method string, p rest.Params, out any) error {
	now, err := x.REST().SyncedNow(ctx)
	if err != nil {
		return err
	}
	params := make(map[string]any, len(p.Query)+3)
	for _, q := range p.Query {
		params[q.Key] = q.Value
	}
	if err := x.sig.signWS(params, now); err != nil {
		return err
	}
	id := strconv.FormatInt(x.reqID.Add(1), 10)
	payload, err := json.Marshal(map[string]any{"id": id, "method": method, "params": params})
	if err != nil {
		return err
	}
	resp, err := x.Engine().Request(ctx, x.wsAPIRouteOf(), stream.Request{ID: id, Payload: payload})
	if err != nil {
		return err
	}
	var reply struct {
		Status int             `json:"status"`
		Result json.RawMessage `json:"result"`
		Error  json.RawMessage `json:"error"`
	}
	if err := json.Unmarshal(resp.Data, &reply); err != nil {
		return errors.Wrap(errors.BadResponse, err, "malformed "+method+" reply")
	}
	if reply.Status != 200 {
		if len(reply.Error) == 0 {
			return errors.Newf(errors.BadResponse, method+" was answered without a status or an error")
		}
		err := wsAPIError(x.p.id, reply.Status, reply.Error, now)
		if errors.Is(err, errors.InvalidNonce) {
			_ = x.REST().SyncTime(ctx)
		}
		return err
	}
	if err := json.Unmarshal(reply.Result, out); err != nil {
		return errors.Wrap(errors.BadResponse, err, "malformed "+method+" result")
	}
	return nil
}
