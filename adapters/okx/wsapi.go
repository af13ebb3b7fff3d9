package okx

import (
	"context"
	"encoding/json"
	"strconv"
	"sync"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/rest"
	"github.com/unifex-go/unifex/internal/stream"
	"github.com/unifex-go/unifex/unified"
)

// Order entry over the private WebSocket (card §7), on the connection
// that carries the account's streams (logged in, userdata.go): requests
// {"id","op":"order"|"cancel-order"|"amend-order","args":[{...}]} whose
// argument is the REST body, answered {"id","op","code","msg","data":
// [{"ordId","clOrdId","sCode","sMsg",...}]} with code "1" when the item
// failed (its sCode says why). OKX's current docs name the instrument by
// instIdCode, an integer that differs between live and demo trading
// (instId is deprecated there): the adapter reads it from the
// environment's own instruments endpoint with the markets, on every load
// of the registry (LoadMarkets, reload included, replaces them all), asks
// for an instrument's own once when the load had none for it, and sends
// instId only for an instrument that has none yet.

// instCodes holds the instIdCodes of the last market load by instId.
type instCodes struct {
	mu   sync.Mutex
	byID map[string]int64
}

// replace makes byID the instIdCodes of a new market load.
func (c *instCodes) replace(byID map[string]int64) {
	c.mu.Lock()
	c.byID = byID
	c.mu.Unlock()
}

// code reads one instrument's instIdCode: ok is false when the instrument
// has none.
func (in *instrument) code() (code int64, ok bool, err error) {
	if in.InstIDCode == "" {
		return 0, false, nil
	}
	if code, err = strconv.ParseInt(string(in.InstIDCode), 10, 64); err != nil {
		return 0, false, errors.Wrap(errors.BadResponse, err, "okx: instIdCode of "+in.InstID)
	}
	return code, true, nil
}

// instIDCode returns m's instIdCode in this environment, 0 when OKX has
// not generated one: the last market load's, or else the instrument's own
// (GET public/instruments?instId=), kept until the next load.
func (x *Exchange) instIDCode(ctx context.Context, m *unified.Market) (int64, error) {
	x.codes.mu.Lock()
	code, ok := x.codes.byID[m.ID]
	x.codes.mu.Unlock()
	if ok {
		return code, nil
	}
	var p rest.Params
	p.Add("instType", instType(m))
	p.Add("instId", m.ID)
	list, err := get[instrument](ctx, x, epInstruments, p)
	if err != nil {
		return 0, err
	}
	for i := range list {
		if list[i].InstID != m.ID {
			continue
		}
		c, has, err := list[i].code()
		if err != nil {
			return 0, err
		}
		if has {
			code = c
		}
	}
	x.codes.mu.Lock()
	if x.codes.byID == nil {
		x.codes.byID = map[string]int64{}
	}
	x.codes.byID[m.ID] = code
	x.codes.mu.Unlock()
	return code, nil
}

// wsArg turns a REST body into a WebSocket argument: instIdCode in place
// of instId where the instrument has one.
func (x *Exchange) wsArg(ctx context.Context, m *unified.Market, body map[string]any) (map[string]any, error) {
	code, err := x.instIDCode(ctx, m)
	if err != nil {
		return nil, err
	}
	arg := make(map[string]any, len(body))
	for k, v := range body {
		arg[k] = v
	}
	if code != 0 {
		delete(arg, "instId")
		arg["instIdCode"] = code
	}
	return arg, nil
}

// wsOp sends one order operation and returns its item.
func (x *Exchange) wsOp(ctx context.Context, op string, m *unified.Market, body map[string]any) (*itemResult, error) {
	arg, err := x.wsArg(ctx, m, body)
	if err != nil {
		return nil, err
	}
	id := strconv.FormatInt(x.reqID.Add(1), 10)
	payload, err := json.Marshal(map[string]any{"id": id, "op": op, "args": []any{arg}})
	if err != nil {
		return nil, errors.Wrap(errors.BadRequest, err, "okx: a request that cannot be written")
	}
	resp, err := x.Engine().Request(ctx, privateRoute, stream.Request{ID: id, Payload: payload})
	if err != nil {
		return nil, err
	}
	var reply struct {
		Code string       `json:"code"`
		Msg  string       `json:"msg"`
		Data []itemResult `json:"data"`
	}
	if err := json.Unmarshal(resp.Data, &reply); err != nil {
		return nil, errors.Wrap(errors.BadResponse, err, "okx: malformed "+op+" reply")
	}
	if reply.Code != "0" && reply.Code != "1" && reply.Code != "2" {
		return nil, okxError(reply.Code, reply.Msg, 0)
	}
	return firstItem(reply.Data)
}

// CreateOrderWs places an order over the WebSocket (op "order"),
// validated and built as CreateOrder does it, with the same result; an
// unknown outcome (the connection dropped after the request left) is
// looked up once by clOrdId over REST. Trigger, stop-loss,
// take-profit, one-cancels-the-other and trailing orders (algo orders)
// have no WebSocket operation: NotSupported (CreateOrder places them).
func (x *Exchange) CreateOrderWs(ctx context.Context, req unified.OrderRequest, opts ...exchange.Option) (*unified.Order, error) {
	pl, err := x.placement(ctx, req, exchange.Apply(opts).Params)
	if err != nil {
		return nil, err
	}
	if pl.algo {
		return nil, notSupported("okx: algo orders (trigger, stop-loss, take-profit, oco, trailing) have no WebSocket operation; CreateOrder places them")
	}
	x.Engine().NoteOrderSymbol(pl.market.Symbol)
	it, err := x.wsOp(ctx, "order", pl.market, pl.body)
	if err == nil {
		return acknowledged(pl, it)
	}
	return x.placementFailed(ctx, pl, err)
}

// CancelOrderWs cancels an order over the WebSocket (op "cancel-order"),
// as CancelOrder does over REST.
func (x *Exchange) CancelOrderWs(ctx context.Context, id, symbol string, opts ...exchange.Option) (*unified.Order, error) {
	ask, params, err := takeTrigger(exchange.Apply(opts).Params)
	if err != nil {
		return nil, err
	}
	if ask.algo {
		return nil, notSupported("okx: algo orders have no WebSocket cancel; CancelOrder cancels them")
	}
	m, clientID, extra, err := x.orderRef(ctx, "CancelOrderWs", id, symbol, params)
	if err != nil {
		return nil, err
	}
	b := refBody(m, id, clientID)
	if err := addBody(b, extra); err != nil {
		return nil, err
	}
	it, err := x.wsOp(ctx, "cancel-order", m, b)
	if err != nil {
		return nil, err
	}
	return &unified.Order{ID: it.OrdID, ClientOrderID: it.ClOrdID, Symbol: m.Symbol}, nil
}

// EditOrderWs amends an order over the WebSocket (op "amend-order"), as
// EditOrder does over REST; the result is the order as GET trade/order
// reports it after the amendment. Algo orders have no WebSocket
// amendment: NotSupported (EditOrder amends them).
func (x *Exchange) EditOrderWs(ctx context.Context, id string, req unified.OrderRequest, opts ...exchange.Option) (*unified.Order, error) {
	ask, params, err := takeTrigger(exchange.Apply(opts).Params)
	if err != nil {
		return nil, err
	}
	if ask.algo {
		return nil, notSupported("okx: algo orders have no WebSocket amendment; EditOrder amends them")
	}
	m, b, err := x.amendment(ctx, id, req, params)
	if err != nil {
		return nil, err
	}
	it, err := x.wsOp(ctx, "amend-order", m, b)
	if err != nil {
		return nil, err
	}
	return x.fetchOrder(ctx, m, it.OrdID, it.ClOrdID)
}
