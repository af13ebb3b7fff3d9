package bybit

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/stream"
	"github.com/unifex-go/unifex/unified"
)

// Order entry over the trade stream (card §7, docs websocket/trade
// guideline): {"reqId","header":{"X-BAPI-TIMESTAMP","X-BAPI-RECV-WINDOW"},
// "op":"order.create"|"order.amend"|"order.cancel","args":[{...}]} on a
// logged-in connection, the args those of the REST endpoint; answered
// {"reqId","retCode","retMsg","op","data":{"orderId","orderLinkId"},...}.
// The answer only says the order was accepted; its state comes with the
// order topic. Demo trading has no trade stream.

// CreateOrderWs places an order over the trade stream, validated and
// built as CreateOrder builds it; an unknown outcome (the connection
// dropped after the request left, 10000, 10016) is looked up once by
// orderLinkId over REST, as CreateOrder does.
func (x *Exchange) CreateOrderWs(ctx context.Context, req unified.OrderRequest, opts ...exchange.Option) (*unified.Order, error) {
	pl, err := x.placement(ctx, req, exchange.Apply(opts).Params)
	if err != nil {
		return nil, err
	}
	x.Engine().NoteOrderSymbol(pl.market.Symbol)
	if err := x.REST().WaitQuota(ctx, quotaKey(pl.req.get("category"), opCreate)); err != nil {
		return nil, err
	}
	var a ack
	if err = x.tradeCall(ctx, "order.create", &pl.req, &a); err == nil {
		return pl.acknowledged(&a, x.Config().KeepInfo)
	}
	return x.placementFailed(ctx, pl, err)
}

// EditOrderWs amends an order over the trade stream (order.amend), as
// EditOrder does over REST.
func (x *Exchange) EditOrderWs(ctx context.Context, id string, req unified.OrderRequest, opts ...exchange.Option) (*unified.Order, error) {
	m, r, err := x.amendment(ctx, id, req, exchange.Apply(opts).Params)
	if err != nil {
		return nil, err
	}
	if err := x.REST().WaitQuota(ctx, quotaKey(r.get("category"), opAmend)); err != nil {
		return nil, err
	}
	var a ack
	if err := x.tradeCall(ctx, "order.amend", &r, &a); err != nil {
		return nil, err
	}
	return amended(m, &r, &a, x.Config().KeepInfo)
}

// CancelOrderWs cancels an order over the trade stream (order.cancel), as
// CancelOrder does over REST.
func (x *Exchange) CancelOrderWs(ctx context.Context, id, symbol string, opts ...exchange.Option) (*unified.Order, error) {
	m, r, extra, err := x.orderRef(ctx, "CancelOrderWs", id, symbol, exchange.Apply(opts).Params)
	if err != nil {
		return nil, err
	}
	if err := r.addParams(extra); err != nil {
		return nil, err
	}
	if err := x.REST().WaitQuota(ctx, quotaKey(r.get("category"), opCancel)); err != nil {
		return nil, err
	}
	var a ack
	if err := x.tradeCall(ctx, "order.cancel", &r, &a); err != nil {
		return nil, err
	}
	return canceled(m, &a, x.Config().KeepInfo)
}

// tradeCall sends op with r as its one arg and decodes the reply's data
// into out. A refusal of the timestamp resyncs the clock for the next
// request.
func (x *Exchange) tradeCall(ctx context.Context, op string, r *request, out any) error {
	if x.urls.trade == "" {
		return notSupported("no trade stream in this environment (demo trading has none); use CreateOrder")
	}
	now, err := x.REST().SyncedNow(ctx)
	if err != nil {
		return err
	}
	id := x.account.nextID()
	payload, err := json.Marshal(struct {
		ReqID  string            `json:"reqId"`
		Header map[string]string `json:"header"`
		Op     string            `json:"op"`
		Args   []json.RawMessage `json:"args"`
	}{id, map[string]string{"X-BAPI-TIMESTAMP": strconv.FormatInt(now.UnixMilli(), 10), "X-BAPI-RECV-WINDOW": x.sig.recvWindow},
		op, []json.RawMessage{r.json().Body}})
	if err != nil {
		return err
	}
	resp, err := x.Engine().Request(ctx, tradeRoute, stream.Request{ID: id, Payload: payload})
	if err != nil {
		return err
	}
	var rep reply
	if err := json.Unmarshal(resp.Data, &rep); err != nil || !rep.RetCode.set {
		return errors.Newf(errors.BadResponse, "bybit: malformed "+op+" reply")
	}
	if err := rep.err(op); err != nil {
		if errors.Is(err, errors.InvalidNonce) {
			_ = x.REST().SyncTime(ctx)
		}
		return err
	}
	if err := json.Unmarshal(rep.Data, out); err != nil {
		return errors.Wrap(errors.BadResponse, err, "bybit: malformed "+op+" data")
	}
	return nil
}
