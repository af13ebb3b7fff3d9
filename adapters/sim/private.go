package sim

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/adapters/sim/venue"
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/rest"
	"github.com/unifex-go/unifex/markets"
	"github.com/unifex-go/unifex/unified"
)

// The venue's signed endpoints.
var (
	balanceEndpoint     = rest.Endpoint{API: "private", Path: "/balance", Signed: true, Weight: 5}
	createOrderEndpoint = rest.Endpoint{API: "private", Method: http.MethodPost, Path: "/order", Signed: true, Weight: 1}
	amendOrderEndpoint  = rest.Endpoint{API: "private", Method: http.MethodPut, Path: "/order", Signed: true, Weight: 1}
	cancelOrderEndpoint = rest.Endpoint{API: "private", Method: http.MethodDelete, Path: "/order", Signed: true, Weight: 1, Idempotent: true}
	cancelAllEndpoint   = rest.Endpoint{API: "private", Method: http.MethodDelete, Path: "/orders", Signed: true, Weight: 5, Idempotent: true}
	orderEndpoint       = rest.Endpoint{API: "private", Path: "/order", Signed: true, Weight: 1}
	ordersEndpoint      = rest.Endpoint{API: "private", Path: "/orders", Signed: true, Weight: 3}
	fillsEndpoint       = rest.Endpoint{API: "private", Path: "/fills", Signed: true, Weight: 3}
	positionsEndpoint   = rest.Endpoint{API: "private", Path: "/positions", Signed: true, Weight: 2}
	leverageEndpoint    = rest.Endpoint{API: "private", Method: http.MethodPost, Path: "/leverage", Signed: true, Weight: 1, Idempotent: true}
	getLeverageEndpoint = rest.Endpoint{API: "private", Path: "/leverage", Signed: true, Weight: 1}
)

// hmacHex is the venue's signature: hex HMAC-SHA256 of msg keyed with secret.
func hmacHex(secret, msg string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}

// credentials fails when the configuration has no API key or secret.
func (x *Exchange) credentials() error {
	if x.key == "" || x.secret == "" {
		return &errors.Error{Kind: errors.AuthenticationError, Exchange: ID, Message: "the private API needs an API key and a secret"}
	}
	return nil
}

// sign signs a private request: ts, then sig over method, path and query,
// and the key in its header.
func (x *Exchange) sign(r *rest.Request, _ rest.Endpoint, now time.Time) error {
	if err := x.credentials(); err != nil {
		return err
	}
	r.AddQuery("ts", strconv.FormatInt(now.UnixMilli(), 10))
	r.AddQuery("sig", hmacHex(x.secret, r.Method+"\n"+r.URL.EscapedPath()+"\n"+r.URL.RawQuery))
	r.Header.Set(venue.KeyHeader, x.key)
	return nil
}

// codeKinds maps the venue's error codes to the taxonomy.
var codeKinds = map[int]*errors.Kind{
	venue.CodeUnknownKey:      errors.AuthenticationError,
	venue.CodeBadSignature:    errors.AuthenticationError,
	venue.CodeTimestamp:       errors.InvalidNonce,
	venue.CodeKeyExpired:      errors.AuthenticationError,
	venue.CodeLoginFirst:      errors.AuthenticationError,
	venue.CodeBadRequest:      errors.BadRequest,
	venue.CodeNoFunds:         errors.InsufficientFunds,
	venue.CodeNoOrder:         errors.OrderNotFound,
	venue.CodeBadOrder:        errors.InvalidOrder,
	venue.CodeBadMarket:       errors.BadSymbol,
	venue.CodeNotOpen:         errors.InvalidOrder,
	venue.CodeWouldTake:       errors.OrderImmediatelyFillable,
	venue.CodeReduceOnly:      errors.InvalidOrder,
	venue.CodePrecision:       errors.InvalidOrder,
	venue.CodeBelowMinimum:    errors.InvalidOrder,
	venue.CodeDuplicateClient: errors.DuplicateOrderId,
	venue.CodeUnsupported:     errors.NotSupported,
	venue.CodeBadLeverage:     errors.BadRequest,
}

// apiError is the venue's error reply.
type apiError struct {
	Code int    `json:"code"`
	Msg  string `json:"msg"`
}

// venueError is the taxonomy's error for one of the venue's error replies.
func venueError(e *apiError, status int) *errors.Error {
	kind := codeKinds[e.Code]
	if kind == nil {
		kind = errors.ExchangeError
	}
	return &errors.Error{Kind: kind, Exchange: ID, Code: strconv.Itoa(e.Code), Message: e.Msg, HTTPStatus: status}
}

// checkError maps the venue's {"code":..,"msg":..} replies, and its
// maintenance page, to the taxonomy; anything else is left to the HTTP
// status table.
func checkError(resp *rest.Response) error {
	if resp.Status >= 200 && resp.Status <= 299 {
		return nil
	}
	if resp.Status == http.StatusServiceUnavailable && bytes.Contains(bytes.ToLower(resp.Body), []byte("maintenance")) {
		return &errors.Error{Kind: errors.OnMaintenance, Message: "the venue is under maintenance"}
	}
	var e struct {
		Code *int   `json:"code"`
		Msg  string `json:"msg"`
	}
	if json.Unmarshal(resp.Body, &e) != nil || e.Code == nil {
		return nil
	}
	return venueError(&apiError{Code: *e.Code, Msg: e.Msg}, resp.Status)
}

// CreateOrderWs places an order over the WebSocket, on the logged-in
// private connection.
func (x *Exchange) CreateOrderWs(ctx context.Context, req unified.OrderRequest, _ ...exchange.Option) (*unified.Order, error) {
	_, fields, err := x.orderParams(ctx, req)
	if err != nil {
		return nil, err
	}
	order := make(map[string]any, len(fields))
	for _, f := range fields {
		order[f[0]] = f[1]
		if f[1] == "true" {
			order[f[0]] = true
		}
	}
	return x.wsOrder(ctx, "order.create", order)
}

// CancelOrderWs cancels an order over the WebSocket.
func (x *Exchange) CancelOrderWs(ctx context.Context, id, symbol string, _ ...exchange.Option) (*unified.Order, error) {
	p, err := x.orderRef(ctx, id, symbol)
	if err != nil {
		return nil, err
	}
	order := map[string]any{}
	for _, q := range p.Query {
		order[q.Key] = q.Value
	}
	return x.wsOrder(ctx, "order.cancel", order)
}

// wsOrder sends an order request on the private route and parses the order
// it is answered with.
func (x *Exchange) wsOrder(ctx context.Context, op string, order map[string]any) (*unified.Order, error) {
	id := x.reqID.Add(1)
	payload, err := json.Marshal(wsRequest{Op: op, ID: id, Order: order})
	if err != nil {
		return nil, err
	}
	resp, err := x.Engine().Request(ctx, privateRoute, x.requestOf(payload, id))
	if err != nil {
		return nil, err
	}
	var raw wireOrder
	if err := decodeReply(resp, &raw); err != nil {
		return nil, err
	}
	snap, err := x.Markets(ctx)
	if err != nil {
		return nil, err
	}
	o, err := x.order(snap, &raw)
	if err != nil {
		return nil, err
	}
	return &o, nil
}

// FetchBalance returns the account's balances.
func (x *Exchange) FetchBalance(ctx context.Context, _ ...exchange.Option) (*unified.Balances, error) {
	var raw wireBalance
	if err := x.REST().DoJSON(ctx, balanceEndpoint, rest.Params{}, &raw); err != nil {
		return nil, err
	}
	return x.balances(&raw)
}

// orderParams validates req against its market and returns the venue's
// fields for it, in the order the venue's API lists them.
func (x *Exchange) orderParams(ctx context.Context, req unified.OrderRequest) (*unified.Market, [][2]string, error) {
	if err := req.Validate(); err != nil {
		return nil, nil, err
	}
	m, err := x.market(ctx, req.Symbol)
	if err != nil {
		return nil, nil, err
	}
	if req.TriggerPrice.Valid || req.StopLossPrice.Valid || req.TakeProfitPrice.Valid || req.StopLoss != nil || req.TakeProfit != nil ||
		req.TrailingAmount.Valid || req.TrailingPercent.Valid {
		return nil, nil, &errors.Error{Kind: errors.NotSupported, Exchange: ID, Message: "the sim venue has no trigger orders"}
	}
	if req.Cost.Valid {
		return nil, nil, &errors.Error{Kind: errors.NotSupported, Exchange: ID, Message: "the sim venue sizes orders by amount, not cost"}
	}
	if req.ReduceOnly && !m.Swap {
		return nil, nil, &errors.Error{Kind: errors.InvalidOrder, Exchange: ID, Message: "reduce-only applies to the perpetual"}
	}
	price := req.Price.Decimal
	if req.Type == unified.OrderTypeMarket {
		price = decimal.Zero // the venue checks a market order's value at the price it reaches
	}
	sent, err := markets.ValidateOrder(m, markets.Order{Amount: req.Amount, Price: price, IsMarket: req.Type == unified.OrderTypeMarket})
	if err != nil {
		return nil, nil, err
	}
	fields := [][2]string{{"market", m.ID}, {"side", string(req.Side)}, {"type", string(req.Type)}, {"amount", sent.Amount.String()}}
	if req.Type == unified.OrderTypeLimit {
		fields = append(fields, [2]string{"price", sent.Price.String()})
	}
	switch {
	case req.PostOnly || req.TimeInForce == unified.TIFPO:
		fields = append(fields, [2]string{"postOnly", "true"})
	case req.TimeInForce != "":
		fields = append(fields, [2]string{"tif", string(req.TimeInForce)})
	}
	if req.ReduceOnly {
		fields = append(fields, [2]string{"reduceOnly", "true"})
	}
	if req.ClientOrderID != "" {
		fields = append(fields, [2]string{"clientId", req.ClientOrderID})
	}
	return m, fields, nil
}

// CreateOrder validates req against the market's rules, then places it.
func (x *Exchange) CreateOrder(ctx context.Context, req unified.OrderRequest, _ ...exchange.Option) (*unified.Order, error) {
	_, fields, err := x.orderParams(ctx, req)
	if err != nil {
		return nil, err
	}
	var p rest.Params
	for _, f := range fields {
		p.Add(f[0], f[1])
	}
	return x.orderCall(ctx, createOrderEndpoint, p)
}

// EditOrder amends an open limit order's price and amount in place (it
// keeps its id; lowering only the amount keeps its place in the queue).
func (x *Exchange) EditOrder(ctx context.Context, id string, req unified.OrderRequest, _ ...exchange.Option) (*unified.Order, error) {
	p, err := x.amendParams(ctx, id, req)
	if err != nil {
		return nil, err
	}
	return x.orderCall(ctx, amendOrderEndpoint, p)
}

// EditOrderWs amends an order as EditOrder does, over the WebSocket.
func (x *Exchange) EditOrderWs(ctx context.Context, id string, req unified.OrderRequest, _ ...exchange.Option) (*unified.Order, error) {
	p, err := x.amendParams(ctx, id, req)
	if err != nil {
		return nil, err
	}
	order := make(map[string]any, len(p.Query))
	for _, q := range p.Query {
		order[q.Key] = q.Value
	}
	return x.wsOrder(ctx, "order.amend", order)
}

// amendParams are the venue's fields of an amendment of order id: the id,
// the market, and the new price and amount on the market's grid (either
// may be left out, not both).
func (x *Exchange) amendParams(ctx context.Context, id string, req unified.OrderRequest) (rest.Params, error) {
	if id == "" {
		return rest.Params{}, &errors.Error{Kind: errors.ArgumentsRequired, Exchange: ID, Message: "an amendment needs an order id"}
	}
	m, err := x.market(ctx, req.Symbol)
	if err != nil {
		return rest.Params{}, err
	}
	if !req.Price.Valid && !req.Amount.IsPositive() {
		return rest.Params{}, &errors.Error{Kind: errors.ArgumentsRequired, Exchange: ID, Message: "an amendment needs a new price or a new amount"}
	}
	if req.TriggerPrice.Valid || req.StopLossPrice.Valid || req.TakeProfitPrice.Valid || req.TrailingAmount.Valid || req.TrailingPercent.Valid {
		return rest.Params{}, &errors.Error{Kind: errors.NotSupported, Exchange: ID, Message: "the sim venue has no trigger orders to amend"}
	}
	var p rest.Params
	p.Add("id", id)
	p.Add("market", m.ID)
	if req.Price.Valid {
		price, err := markets.PriceToPrecision(m, req.Price.Decimal)
		if err != nil {
			return rest.Params{}, err
		}
		p.Add("price", price)
	}
	if req.Amount.IsPositive() {
		amount, err := markets.AmountToPrecision(m, req.Amount)
		if err != nil {
			return rest.Params{}, err
		}
		p.Add("amount", amount)
	}
	return p, nil
}

// CancelOrder cancels an open order.
func (x *Exchange) CancelOrder(ctx context.Context, id, symbol string, _ ...exchange.Option) (*unified.Order, error) {
	p, err := x.orderRef(ctx, id, symbol)
	if err != nil {
		return nil, err
	}
	return x.orderCall(ctx, cancelOrderEndpoint, p)
}

// CancelAllOrders cancels the open orders of symbol ("" for all).
func (x *Exchange) CancelAllOrders(ctx context.Context, symbol string, _ ...exchange.Option) ([]unified.Order, error) {
	p, err := x.symbolParam(ctx, symbol)
	if err != nil {
		return nil, err
	}
	return x.ordersCall(ctx, cancelAllEndpoint, p)
}

// FetchOrder returns one order.
func (x *Exchange) FetchOrder(ctx context.Context, id, symbol string, _ ...exchange.Option) (*unified.Order, error) {
	p, err := x.orderRef(ctx, id, symbol)
	if err != nil {
		return nil, err
	}
	return x.orderCall(ctx, orderEndpoint, p)
}

// FetchOrders returns the orders of symbol ("" for all), open and closed.
func (x *Exchange) FetchOrders(ctx context.Context, symbol string, opts ...exchange.Option) ([]unified.Order, error) {
	return x.listOrders(ctx, "all", symbol, opts)
}

// FetchOpenOrders returns the open orders of symbol ("" for all).
func (x *Exchange) FetchOpenOrders(ctx context.Context, symbol string, opts ...exchange.Option) ([]unified.Order, error) {
	return x.listOrders(ctx, "open", symbol, opts)
}

// FetchClosedOrders returns the filled, canceled and expired orders of
// symbol ("" for all).
func (x *Exchange) FetchClosedOrders(ctx context.Context, symbol string, opts ...exchange.Option) ([]unified.Order, error) {
	return x.listOrders(ctx, "closed", symbol, opts)
}

func (x *Exchange) listOrders(ctx context.Context, status, symbol string, opts []exchange.Option) ([]unified.Order, error) {
	p, err := x.symbolParam(ctx, symbol)
	if err != nil {
		return nil, err
	}
	p.Add("status", status)
	addWindow(&p, exchange.Apply(opts))
	return x.ordersCall(ctx, ordersEndpoint, p)
}

// FetchMyTrades returns the account's fills of symbol ("" for all).
func (x *Exchange) FetchMyTrades(ctx context.Context, symbol string, opts ...exchange.Option) ([]unified.Trade, error) {
	p, err := x.symbolParam(ctx, symbol)
	if err != nil {
		return nil, err
	}
	addWindow(&p, exchange.Apply(opts))
	var raw []wireFill
	if err := x.REST().DoJSON(ctx, fillsEndpoint, p, &raw); err != nil {
		return nil, err
	}
	snap, err := x.Markets(ctx)
	if err != nil {
		return nil, err
	}
	return parseEach(raw, func(r *wireFill) (unified.Trade, error) { return x.fill(snap, r) })
}

// FetchPositions returns the perpetual positions of symbols (nil: all).
func (x *Exchange) FetchPositions(ctx context.Context, symbols []string, _ ...exchange.Option) ([]unified.Position, error) {
	snap, err := x.Markets(ctx)
	if err != nil {
		return nil, err
	}
	want, err := symbolSet(snap, symbols)
	if err != nil {
		return nil, err
	}
	var raw []wirePosition
	if err := x.REST().DoJSON(ctx, positionsEndpoint, rest.Params{}, &raw); err != nil {
		return nil, err
	}
	all, err := parseEach(raw, func(r *wirePosition) (unified.Position, error) { return x.position(snap, r) })
	if err != nil || len(want) == 0 {
		return all, err
	}
	out := all[:0]
	for _, p := range all {
		if want[p.Symbol] {
			out = append(out, p)
		}
	}
	return out, nil
}

// SetLeverage sets the perpetual's leverage, a whole number from 1 to the
// market's maximum.
func (x *Exchange) SetLeverage(ctx context.Context, leverage decimal.Decimal, symbol string, _ ...exchange.Option) error {
	m, err := x.market(ctx, symbol)
	if err != nil {
		return err
	}
	if !leverage.IsInteger() || !leverage.IsPositive() {
		return &errors.Error{Kind: errors.BadRequest, Exchange: ID, Message: "leverage must be a positive whole number"}
	}
	p := marketParam(m)
	p.Add("leverage", leverage.String())
	var out struct {
		Leverage int64 `json:"leverage"`
	}
	if err := x.REST().DoJSON(ctx, leverageEndpoint, p, &out); err != nil {
		return err
	}
	if !decimal.NewFromInt(out.Leverage).Equal(leverage) {
		return errors.Newf(errors.BadResponse, "the venue set leverage "+strconv.FormatInt(out.Leverage, 10)+", not "+leverage.String())
	}
	return nil
}

// wireLeverage is the venue's leverage reply.
type wireLeverage struct {
	Market   string `json:"market"`
	Leverage int64  `json:"leverage"`
}

// FetchLeverage returns the perpetual's leverage: one for both sides, on
// the account's cross margin (the venue has no other).
func (x *Exchange) FetchLeverage(ctx context.Context, symbol string, _ ...exchange.Option) (*unified.Leverage, error) {
	m, err := x.market(ctx, symbol)
	if err != nil {
		return nil, err
	}
	var out wireLeverage
	if err := x.REST().DoJSON(ctx, getLeverageEndpoint, marketParam(m), &out); err != nil {
		return nil, err
	}
	if out.Market != m.ID || out.Leverage < 1 {
		return nil, errors.Newf(errors.BadResponse, "sim: a leverage reply of "+strconv.Quote(out.Market)+" at "+
			strconv.FormatInt(out.Leverage, 10)+" for "+strconv.Quote(m.ID))
	}
	lev := decimal.NewNullDecimal(decimal.NewFromInt(out.Leverage))
	l := &unified.Leverage{Symbol: m.Symbol, MarginMode: unified.MarginModeCross, LongLeverage: lev, ShortLeverage: lev}
	if x.Config().KeepInfo {
		l.Info = out
	}
	return l, nil
}

// orderRef is the parameters naming one order.
func (x *Exchange) orderRef(ctx context.Context, id, symbol string) (rest.Params, error) {
	if id == "" {
		return rest.Params{}, errors.Newf(errors.ArgumentsRequired, "an order id is required")
	}
	var p rest.Params
	p.Add("id", id)
	if symbol != "" {
		m, err := x.market(ctx, symbol)
		if err != nil {
			return p, err
		}
		p.Add("market", m.ID)
	}
	return p, nil
}

// symbolParam is the "market" parameter of symbol, none for "".
func (x *Exchange) symbolParam(ctx context.Context, symbol string) (rest.Params, error) {
	if symbol == "" {
		return rest.Params{}, nil
	}
	m, err := x.market(ctx, symbol)
	if err != nil {
		return rest.Params{}, err
	}
	return marketParam(m), nil
}

// addWindow adds the since and limit of a list request.
func addWindow(p *rest.Params, o exchange.CallOptions) {
	if !o.Since.IsZero() {
		p.Add("since", strconv.FormatInt(o.Since.UnixMilli(), 10))
	}
	if o.Limit > 0 {
		p.Add("limit", strconv.Itoa(min(o.Limit, maxLimit)))
	}
}

// orderCall sends a request answered by one order.
func (x *Exchange) orderCall(ctx context.Context, ep rest.Endpoint, p rest.Params) (*unified.Order, error) {
	var raw wireOrder
	if err := x.REST().DoJSON(ctx, ep, p, &raw); err != nil {
		return nil, err
	}
	snap, err := x.Markets(ctx)
	if err != nil {
		return nil, err
	}
	o, err := x.order(snap, &raw)
	if err != nil {
		return nil, err
	}
	return &o, nil
}

// ordersCall sends a request answered by a list of orders.
func (x *Exchange) ordersCall(ctx context.Context, ep rest.Endpoint, p rest.Params) ([]unified.Order, error) {
	var raw []wireOrder
	if err := x.REST().DoJSON(ctx, ep, p, &raw); err != nil {
		return nil, err
	}
	return x.orders(ctx, raw)
}

func (x *Exchange) orders(ctx context.Context, raw []wireOrder) ([]unified.Order, error) {
	snap, err := x.Markets(ctx)
	if err != nil {
		return nil, err
	}
	return parseEach(raw, func(r *wireOrder) (unified.Order, error) { return x.order(snap, r) })
}
