package bybit

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/unifex-go/unifex/internal/adapter"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/rest"
	"github.com/unifex-go/unifex/markets"
	"github.com/unifex-go/unifex/unified"
)

// clientIDs is Bybit's orderLinkId rule (36 of A-Z a-z 0-9 - _), and the prefix the adapter gives the ids it makes.
var clientIDs = adapter.ClientIDs{Prefix: "x-unifex-", Max: 36, Punctuation: "-_"}

// The private REST side on the unified trading account: balances, orders,
// the account's fills, positions and leverage. Every call is signed
// (sign.go); GETs carry their parameters in the query, POSTs as a JSON
// body. A call's Params are added as Bybit parameters (keys sorted); a key
// the unified arguments already set is refused with BadRequest.

// The private endpoints.
var (
	epWallet      = rest.Endpoint{API: apiGroup, Path: "/v5/account/wallet-balance", Signed: true}
	epCreate      = rest.Endpoint{API: apiGroup, Method: "POST", Path: "/v5/order/create", Signed: true}
	epAmend       = rest.Endpoint{API: apiGroup, Method: "POST", Path: "/v5/order/amend", Signed: true}
	epCancel      = rest.Endpoint{API: apiGroup, Method: "POST", Path: "/v5/order/cancel", Signed: true}
	epCancelAll   = rest.Endpoint{API: apiGroup, Method: "POST", Path: "/v5/order/cancel-all", Signed: true}
	epOpenOrders  = rest.Endpoint{API: apiGroup, Path: "/v5/order/realtime", Signed: true}
	epHistory     = rest.Endpoint{API: apiGroup, Path: "/v5/order/history", Signed: true}
	epExecutions  = rest.Endpoint{API: apiGroup, Path: "/v5/execution/list", Signed: true}
	epPositions   = rest.Endpoint{API: apiGroup, Path: "/v5/position/list", Signed: true}
	epSetLeverage = rest.Endpoint{API: apiGroup, Method: "POST", Path: "/v5/position/set-leverage", Signed: true}
)

// pageLimit is the most orders or fills one query page holds (order
// queries 50, execution list 100: the smaller), and maxPages bounds a
// cursor walk.
const (
	pageLimit = 50
	maxPages  = 20
)

// body is a JSON object built in order: what is signed is what is sent.
type body struct{ buf []byte }

// add sets key to a string, or to raw JSON (a number or boolean) when raw.
func (b *body) add(key, value string, raw bool) {
	if len(b.buf) == 0 {
		b.buf = append(b.buf, '{')
	} else {
		b.buf = append(b.buf, ',')
	}
	b.buf = strconv.AppendQuote(b.buf, key)
	b.buf = append(b.buf, ':')
	if raw {
		b.buf = append(b.buf, value...)
	} else {
		b.buf = strconv.AppendQuote(b.buf, value)
	}
}

// params returns the request parameters of a POST with the body.
func (b *body) params() rest.Params {
	if len(b.buf) == 0 {
		return rest.Params{Body: []byte("{}"), ContentType: "application/json"}
	}
	return rest.Params{Body: append(b.buf, '}'), ContentType: "application/json"}
}

// request is the parameters of one call, sent as a query (GET) or a JSON
// body (POST).
type request struct {
	keys []string
	vals []string
	raw  []bool
}

func (r *request) add(key, value string) {
	r.keys, r.vals, r.raw = append(r.keys, key), append(r.vals, value), append(r.raw, false)
}
func (r *request) addRaw(key, value string) {
	r.keys, r.vals, r.raw = append(r.keys, key), append(r.vals, value), append(r.raw, true)
}

// has reports whether key is set.
func (r *request) has(key string) bool { return slices.Contains(r.keys, key) }

// get returns the value of key.
func (r *request) get(key string) string {
	if i := slices.Index(r.keys, key); i >= 0 {
		return r.vals[i]
	}
	return ""
}

// addParams appends the caller's Params in key order; a key the unified
// arguments set is a BadRequest.
func (r *request) addParams(extra map[string]any) error {
	keys := make([]string, 0, len(extra))
	for k := range extra {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if r.has(k) {
			return errors.Newf(errors.BadRequest, "bybit: Params "+strconv.Quote(k)+" is set by the unified arguments")
		}
		switch v := extra[k].(type) {
		case string:
			r.add(k, v)
		case bool:
			r.addRaw(k, strconv.FormatBool(v))
		case int:
			r.addRaw(k, strconv.Itoa(v))
		case int64:
			r.addRaw(k, strconv.FormatInt(v, 10))
		case decimal.Decimal:
			r.add(k, v.String())
		case float64:
			r.add(k, strconv.FormatFloat(v, 'f', -1, 64))
		default:
			return errors.Newf(errors.BadRequest, fmt.Sprintf("bybit: Params %q: a value of type %T cannot be sent", k, v))
		}
	}
	return nil
}

// query is r as a GET's parameters.
func (r *request) query() rest.Params {
	var p rest.Params
	for i, k := range r.keys {
		p.Add(k, r.vals[i])
	}
	return p
}

// json is r as a POST's JSON body.
func (r *request) json() rest.Params {
	var b body
	for i, k := range r.keys {
		b.add(k, r.vals[i], r.raw[i])
	}
	return b.params()
}

// send calls ep with r and decodes the result into out; it returns the
// envelope's time.
func (x *Exchange) send(ctx context.Context, ep rest.Endpoint, r *request, out any) (time.Time, error) {
	p := r.query()
	if ep.Method == "POST" {
		p = r.json()
	}
	var env envelope
	if err := x.REST().DoJSON(ctx, ep, p, &env); err != nil {
		return time.Time{}, err
	}
	if len(env.Result) == 0 || string(env.Result) == "null" {
		return time.Time{}, errors.Newf(errors.NullResponse, "bybit: "+ep.Path+" answered without a result")
	}
	if err := json.Unmarshal(env.Result, out); err != nil {
		return time.Time{}, errors.Wrap(errors.BadResponse, err, "bybit: malformed result of "+ep.Path)
	}
	var ts time.Time
	if env.Time > 0 {
		ts = time.UnixMilli(int64(env.Time)).UTC()
	}
	return ts, nil
}

// notSupported is the error of what the adapter does not do.
func notSupported(what string) error {
	return &errors.Error{Kind: errors.NotSupported, Exchange: ID, Message: what}
}

// FetchBalance returns the unified trading account's balances (GET
// /v5/account/wallet-balance?accountType=UNIFIED); see parseWallets for
// free, used and total. Params may name another accountType.
func (x *Exchange) FetchBalance(ctx context.Context, opts ...exchange.Option) (*unified.Balances, error) {
	var r request
	extra := exchange.Apply(opts).Params
	if _, given := extra["accountType"]; !given {
		r.add("accountType", "UNIFIED")
	}
	if err := r.addParams(extra); err != nil {
		return nil, err
	}
	var res struct {
		List []restWallet `json:"list"`
	}
	ts, err := x.send(ctx, epWallet, &r, &res)
	if err != nil {
		return nil, err
	}
	return parseWallets(res.List, ts, x.Config().KeepInfo)
}

// placement is an order ready to be sent: its market, its parameters and
// the order as requested (returned with an error whose outcome is
// unknown, and as the answer, filled with the ids: Bybit acknowledges an
// order with its ids alone).
type placement struct {
	market    *unified.Market
	req       request
	requested unified.Order
}

// placement validates req against its market (markets.ValidateOrder:
// amount step, price tick, limits) and builds the parameters of POST
// /v5/order/create (the trade stream's order.create takes the same):
//
//   - time in force GTC (default for limit orders), IOC, FOK, or PostOnly
//     (PostOnly, or TimeInForce PO); a market order takes none but IOC;
//   - a spot market order is sized in the base coin (marketUnit baseCoin)
//     or, with Cost, in the quote coin (marketUnit quoteCoin);
//   - TriggerPrice makes a conditional order: on contracts it needs
//     Params{"triggerDirection": "above"|"below"} (the price rising to the
//     trigger, 1, or falling to it, 2); on spot it is a StopOrder;
//   - StopLossPrice or TakeProfitPrice makes a reduce-only conditional
//     order that closes at that price, as CCXT sends them (spot
//     orderFilter tpslOrder); the direction follows from the side. Both
//     (a one-cancels-the-other pair) and trailing stops (TrailingAmount,
//     TrailingPercent: Bybit trails a position, not an order) are
//     NotSupported;
//   - StopLoss and TakeProfit attach orders (takeProfit, stopLoss; with a
//     limit price tpslMode Partial and tp/slOrderType Limit);
//   - reduce-only: contracts only; a margin mode or leverage with the
//     order is NotSupported (Bybit sets them per symbol or account);
//   - orderLinkId: ClientOrderID, checked against Bybit's rule, else a
//     fresh "x-unifex-" id.
func (x *Exchange) placement(ctx context.Context, req unified.OrderRequest, extra map[string]any) (*placement, error) {
	if err := req.Validate(); err != nil {
		return nil, err
	}
	m, err := x.market(ctx, req.Symbol)
	if err != nil {
		return nil, err
	}
	isMarket := req.Type == unified.OrderTypeMarket
	postOnly := req.PostOnly || req.TimeInForce == unified.TIFPO
	closing := req.StopLossPrice.Valid || req.TakeProfitPrice.Valid
	switch {
	case req.MarginMode != "":
		return nil, notSupported("bybit sets the margin mode per account or symbol, not with an order")
	case req.Leverage.Valid:
		return nil, notSupported("bybit sets the leverage per symbol with SetLeverage, not with an order")
	case m.Contract && req.Cost.Valid:
		return nil, notSupported("contract orders are sized in contracts; quote-sized (cost) orders are spot only")
	case !m.Contract && req.ReduceOnly:
		return nil, notSupported("reduce-only orders are for contracts")
	case req.TrailingAmount.Valid || req.TrailingPercent.Valid:
		return nil, notSupported("bybit's trailing stops belong to a position (position/trading-stop), not to an order")
	case req.StopLossPrice.Valid && req.TakeProfitPrice.Valid:
		return nil, notSupported("bybit has no one-cancels-the-other pair of orders: a stop-loss or a take-profit order, or attach both to an order")
	case req.ClientOrderID != "" && !clientIDs.Valid(req.ClientOrderID):
		return nil, &errors.Error{Kind: errors.InvalidOrder, Exchange: ID,
			Message: "client order id " + strconv.Quote(req.ClientOrderID) + " is not 1 to 36 of A-Z a-z 0-9 - _"}
	}
	tif := ""
	switch {
	case isMarket:
		if req.TimeInForce != "" && req.TimeInForce != unified.TIFIOC || postOnly {
			return nil, &errors.Error{Kind: errors.InvalidOrder, Exchange: ID, Message: "a market order takes no time in force but IOC"}
		}
	case postOnly:
		tif = "PostOnly"
	case req.TimeInForce == "", req.TimeInForce == unified.TIFGTC:
	case req.TimeInForce == unified.TIFIOC, req.TimeInForce == unified.TIFFOK:
		tif = string(req.TimeInForce)
	default:
		return nil, notSupported("time in force " + string(req.TimeInForce) + " (Bybit has GTC, IOC, FOK and PostOnly)")
	}
	direction, extra, err := takeDirection(extra)
	if err != nil {
		return nil, err
	}
	if req.TriggerPrice.Valid && m.Contract && direction == "" {
		return nil, &errors.Error{Kind: errors.ArgumentsRequired, Exchange: ID,
			Message: "a contract trigger order needs Params{\"triggerDirection\": \"above\" or \"below\"}"}
	}
	reference := decimal.Zero
	if req.Price.Valid {
		reference = req.Price.Decimal
	}
	sent, err := markets.ValidateOrder(m, markets.Order{Amount: req.Amount, Price: reference, Cost: req.Cost.Decimal, IsMarket: isMarket})
	if err != nil {
		return nil, err
	}
	clientID := req.ClientOrderID
	if clientID == "" {
		clientID = clientIDs.New(x.REST().Sources())
	}
	pl := &placement{market: m, requested: unified.Order{ClientOrderID: clientID, Symbol: m.Symbol, Type: req.Type, Side: req.Side,
		TimeInForce: req.TimeInForce}}
	r := &pl.req
	r.add("category", categoryOf(m))
	r.add("symbol", m.ID)
	r.add("side", map[unified.Side]string{unified.SideBuy: "Buy", unified.SideSell: "Sell"}[req.Side])
	r.add("orderType", map[bool]string{true: "Market", false: "Limit"}[isMarket])
	if sent.Cost.IsPositive() {
		r.add("marketUnit", "quoteCoin")
		r.add("qty", sent.Cost.String())
	} else {
		if isMarket && !m.Contract {
			r.add("marketUnit", "baseCoin")
		}
		r.add("qty", sent.Amount.String())
		pl.requested.Amount = decimal.NewNullDecimal(sent.Amount)
	}
	if !isMarket {
		r.add("price", sent.Price.String())
		pl.requested.Price = decimal.NewNullDecimal(sent.Price)
	}
	if tif != "" {
		r.add("timeInForce", tif)
	}
	buy := req.Side == unified.SideBuy
	trigger := req.TriggerPrice
	switch {
	case req.StopLossPrice.Valid:
		trigger, direction = req.StopLossPrice, map[bool]string{true: "1", false: "2"}[buy]
		pl.requested.StopLossPrice = trigger
	case req.TakeProfitPrice.Valid:
		trigger, direction = req.TakeProfitPrice, map[bool]string{true: "2", false: "1"}[buy]
		pl.requested.TakeProfitPrice = trigger
	}
	if trigger.Valid {
		price, err := markets.PriceToPrecision(m, trigger.Decimal)
		if err != nil {
			return nil, err
		}
		if direction != "" && (m.Contract || closing) {
			r.addRaw("triggerDirection", direction)
		}
		r.add("triggerPrice", price)
		pl.requested.TriggerPrice = decimal.NewNullDecimal(decimal.RequireFromString(price))
		if !m.Contract {
			r.add("orderFilter", map[bool]string{true: "tpslOrder", false: "StopOrder"}[closing])
		}
	}
	if req.ReduceOnly || closing {
		r.addRaw("reduceOnly", "true")
		reduce := true
		pl.requested.ReduceOnly = &reduce
	}
	for _, a := range []struct {
		o                          *unified.AttachedOrder
		key, mode, typeKey, limKey string
	}{{req.StopLoss, "stopLoss", "", "slOrderType", "slLimitPrice"}, {req.TakeProfit, "takeProfit", "", "tpOrderType", "tpLimitPrice"}} {
		if a.o == nil {
			continue
		}
		tp, err := markets.PriceToPrecision(m, a.o.TriggerPrice)
		if err != nil {
			return nil, err
		}
		r.add(a.key, tp)
		switch {
		case a.o.Price.Valid:
			lp, err := markets.PriceToPrecision(m, a.o.Price.Decimal)
			if err != nil {
				return nil, err
			}
			if !r.has("tpslMode") {
				r.add("tpslMode", "Partial")
			}
			r.add(a.typeKey, "Limit")
			r.add(a.limKey, lp)
		case !m.Contract:
			r.add(a.typeKey, "Market")
		}
	}
	r.add("orderLinkId", clientID)
	if postOnly {
		pl.requested.PostOnly = &postOnly
	}
	return pl, r.addParams(extra)
}

// takeDirection removes "triggerDirection" from params and reads it:
// "above" (or 1) is "1", "below" (or 2) "2".
func takeDirection(params map[string]any) (string, map[string]any, error) {
	v, ok := params["triggerDirection"]
	if !ok {
		return "", params, nil
	}
	rest := make(map[string]any, len(params))
	for k, val := range params {
		if k != "triggerDirection" {
			rest[k] = val
		}
	}
	switch v {
	case "above", "ascending", 1, "1":
		return "1", rest, nil
	case "below", "descending", 2, "2":
		return "2", rest, nil
	}
	return "", nil, errors.Newf(errors.BadRequest, "bybit: Params triggerDirection must be \"above\" or \"below\"")
}

// ack is Bybit's answer to an order request: its ids.
type ack struct {
	OrderID     string `json:"orderId"`
	OrderLinkID string `json:"orderLinkId"`
}

// acknowledged is the order as requested with the ids the venue gave it;
// its state comes with FetchOrder or WatchOrders (the venue's reply holds
// the ids alone).
func (pl *placement) acknowledged(a *ack, keepInfo bool) (*unified.Order, error) {
	if a.OrderID == "" {
		return nil, errors.Newf(errors.BadResponse, "bybit: an order reply without an orderId")
	}
	o := pl.requested
	o.ID = a.OrderID
	if a.OrderLinkID != "" {
		o.ClientOrderID = a.OrderLinkID
	}
	if keepInfo {
		o.Info = *a
	}
	return &o, nil
}

// CreateOrder validates req against the market (a request the market's
// rules refuse is never sent) and places it: POST /v5/order/create; see
// placement for the order types. Bybit answers with the ids alone: the
// result is the order as requested with its id and orderLinkId, and no
// status.
//
// An order whose outcome is unknown (a timeout, a 5xx, 10000, 10016, a
// reply that cannot be read) is looked up once by its orderLinkId; if the
// venue has it, it is returned with no error. Otherwise the error (which
// names the orderLinkId) comes back together with the order as requested;
// FetchOrder with Params{"clientOrderId": id} finds it later. It is never
// sent again.
func (x *Exchange) CreateOrder(ctx context.Context, req unified.OrderRequest, opts ...exchange.Option) (*unified.Order, error) {
	pl, err := x.placement(ctx, req, exchange.Apply(opts).Params)
	if err != nil {
		return nil, err
	}
	x.Engine().NoteOrderSymbol(pl.market.Symbol)
	var a ack
	if _, err = x.send(ctx, epCreate, &pl.req, &a); err == nil {
		return pl.acknowledged(&a, x.Config().KeepInfo)
	}
	return x.placementFailed(ctx, pl, err)
}

// placementFailed answers a placement that ended in err: a refusal as it
// is; an unknown outcome after one look-up by orderLinkId.
func (x *Exchange) placementFailed(ctx context.Context, pl *placement, err error) (*unified.Order, error) {
	id := pl.requested.ClientOrderID
	lookup := func(ctx context.Context) (*unified.Order, bool) {
		o, err := x.fetchOrder(ctx, pl.market, "", id)
		return o, err == nil
	}
	return adapter.ResolveUnknown(ctx, err, outcomeUnknown, lookup, &pl.requested,
		"bybit order with orderLinkId "+id+" may have been placed")
}

// outcomeUnknown reports whether a request that failed with err may still
// have been executed: it left the client and was neither refused by the
// venue nor answered. Bybit's 10000 (server timeout) and 10016 (internal
// error, restarting) are such failures, as are timeouts, 5xx replies and
// unreadable replies.
func outcomeUnknown(err error) bool {
	if errors.SafeToRetry(err) {
		return false
	}
	var e *errors.Error
	if errors.As(err, &e) && (e.Code == "10000" || e.Code == "10016") {
		return true
	}
	for _, refused := range []*errors.Kind{errors.ExchangeError, errors.RateLimitExceeded, errors.DDoSProtection,
		errors.InvalidNonce, errors.OnMaintenance} {
		if errors.Is(err, refused) {
			return false
		}
	}
	return true
}

// orderRef is the parameters naming one order on symbol's market: orderId,
// or orderLinkId from Params{"clientOrderId": id} (then id may be empty).
func (x *Exchange) orderRef(ctx context.Context, method, id, symbol string, extra map[string]any) (*unified.Market, request, map[string]any, error) {
	var r request
	clientID, extra, err := takeString(extra, "clientOrderId")
	if err != nil {
		return nil, r, nil, err
	}
	switch {
	case symbol == "":
		return nil, r, nil, &errors.Error{Kind: errors.ArgumentsRequired, Exchange: ID, Message: method + " needs a symbol"}
	case id == "" && clientID == "":
		return nil, r, nil, &errors.Error{Kind: errors.ArgumentsRequired, Exchange: ID,
			Message: method + " needs an order id or Params{\"clientOrderId\": id}"}
	}
	m, err := x.market(ctx, symbol)
	if err != nil {
		return nil, r, nil, err
	}
	r.add("category", categoryOf(m))
	r.add("symbol", m.ID)
	if id != "" {
		r.add("orderId", id)
	}
	if clientID != "" {
		r.add("orderLinkId", clientID)
	}
	return m, r, extra, nil
}

// takeString removes key from params (a copy) and reads it as a string.
func takeString(params map[string]any, key string) (string, map[string]any, error) {
	v, ok := params[key]
	if !ok {
		return "", params, nil
	}
	s, isString := v.(string)
	if !isString {
		return "", nil, errors.Newf(errors.BadRequest, "bybit: Params "+strconv.Quote(key)+" must be a string")
	}
	out := make(map[string]any, len(params))
	for k, val := range params {
		if k != key {
			out[k] = val
		}
	}
	return s, out, nil
}

// amendment builds POST /v5/order/amend (and the trade stream's
// order.amend) for id on req.Symbol: the new quantity and price, each
// checked against the market; req's type and side must be the order's
// (Bybit cannot change them) and are not sent.
func (x *Exchange) amendment(ctx context.Context, id string, req unified.OrderRequest, extra map[string]any) (*unified.Market, request, error) {
	m, r, extra, err := x.orderRef(ctx, "EditOrder", id, req.Symbol, extra)
	if err != nil {
		return nil, r, err
	}
	if req.TrailingAmount.Valid || req.TrailingPercent.Valid {
		return nil, r, notSupported("bybit's trailing stops belong to a position (position/trading-stop), not to an order")
	}
	if req.Amount.IsPositive() {
		q, err := markets.AmountToPrecision(m, req.Amount)
		if err != nil {
			return nil, r, err
		}
		r.add("qty", q)
	}
	if req.Price.Valid {
		p, err := markets.PriceToPrecision(m, req.Price.Decimal)
		if err != nil {
			return nil, r, err
		}
		r.add("price", p)
	}
	if req.TriggerPrice.Valid {
		p, err := markets.PriceToPrecision(m, req.TriggerPrice.Decimal)
		if err != nil {
			return nil, r, err
		}
		r.add("triggerPrice", p)
	}
	if err := r.addParams(extra); err != nil {
		return nil, r, err
	}
	if !r.has("qty") && !r.has("price") && !r.has("triggerPrice") {
		return nil, r, &errors.Error{Kind: errors.ArgumentsRequired, Exchange: ID, Message: "EditOrder needs a new amount, price or trigger price"}
	}
	return m, r, nil
}

// EditOrder amends an open order in place (POST /v5/order/amend): its
// quantity, price or trigger price; Params{"clientOrderId": id} names it
// by orderLinkId. Bybit answers with the ids alone, so the result is the
// ids, the symbol and what was asked.
func (x *Exchange) EditOrder(ctx context.Context, id string, req unified.OrderRequest, opts ...exchange.Option) (*unified.Order, error) {
	m, r, err := x.amendment(ctx, id, req, exchange.Apply(opts).Params)
	if err != nil {
		return nil, err
	}
	var a ack
	if _, err := x.send(ctx, epAmend, &r, &a); err != nil {
		return nil, err
	}
	return amended(m, &r, &a, x.Config().KeepInfo)
}

// amended is the result of an amendment r of an order on m.
func amended(m *unified.Market, r *request, a *ack, keepInfo bool) (*unified.Order, error) {
	pl := placement{market: m, requested: unified.Order{Symbol: m.Symbol, ClientOrderID: r.get("orderLinkId")}}
	var ds decimals
	pl.requested.Amount, pl.requested.Price = ds.parse(r.get("qty")), ds.parse(r.get("price"))
	pl.requested.TriggerPrice = ds.parse(r.get("triggerPrice"))
	return pl.acknowledged(a, keepInfo)
}

// CancelOrder cancels an order of symbol (required), by id or with
// Params{"clientOrderId": id} by orderLinkId (POST /v5/order/cancel).
// Bybit answers with the ids alone: the result is the ids, the symbol and
// the status canceled.
func (x *Exchange) CancelOrder(ctx context.Context, id, symbol string, opts ...exchange.Option) (*unified.Order, error) {
	m, r, extra, err := x.orderRef(ctx, "CancelOrder", id, symbol, exchange.Apply(opts).Params)
	if err != nil {
		return nil, err
	}
	if err := r.addParams(extra); err != nil {
		return nil, err
	}
	var a ack
	if _, err := x.send(ctx, epCancel, &r, &a); err != nil {
		return nil, err
	}
	return canceled(m, &a, x.Config().KeepInfo)
}

// canceled is the result of a cancel of an order on m.
func canceled(m *unified.Market, a *ack, keepInfo bool) (*unified.Order, error) {
	pl := placement{market: m, requested: unified.Order{Symbol: m.Symbol, Status: unified.StatusCanceled}}
	return pl.acknowledged(a, keepInfo)
}

// CancelAllOrders cancels the open orders of symbol, or with "" of every
// category and settle coin the adapter loads (POST /v5/order/cancel-all;
// linear and inverse need a symbol or settle coin). The result is the
// canceled orders' ids, symbols and status.
func (x *Exchange) CancelAllOrders(ctx context.Context, symbol string, opts ...exchange.Option) ([]unified.Order, error) {
	scopes, err := x.scopes(ctx, symbol)
	if err != nil {
		return nil, err
	}
	snap, err := x.Markets(ctx)
	if err != nil {
		return nil, err
	}
	var out []unified.Order
	for _, r := range scopes {
		if err := r.addParams(exchange.Apply(opts).Params); err != nil {
			return nil, err
		}
		var res struct {
			List []struct {
				ack
				Symbol string `json:"symbol"`
			} `json:"list"`
		}
		if _, err := x.send(ctx, epCancelAll, &r, &res); err != nil {
			return nil, err
		}
		for i := range res.List {
			id := first(res.List[i].Symbol, r.get("symbol"))
			var m *unified.Market
			if id != "" {
				m, _ = marketOfCategory(snap, r.get("category"), id)
			}
			if m == nil {
				m = &unified.Market{} // the reply names no symbol
			}
			o, err := canceled(m, &res.List[i].ack, x.Config().KeepInfo)
			if err != nil {
				return nil, err
			}
			out = append(out, *o)
		}
	}
	return out, nil
}

// scopes are the parameters that cover symbol's market, or with "" every
// loaded category (linear and inverse by settle coin, which they need;
// options in one request).
func (x *Exchange) scopes(ctx context.Context, symbol string) ([]request, error) {
	if symbol != "" {
		m, err := x.market(ctx, symbol)
		if err != nil {
			return nil, err
		}
		var r request
		r.add("category", categoryOf(m))
		r.add("symbol", m.ID)
		return []request{r}, nil
	}
	snap, err := x.Markets(ctx)
	if err != nil {
		return nil, err
	}
	var out []request
	seen := map[string]bool{}
	for _, m := range snap.Markets() {
		cat := categoryOf(m)
		key := cat + "|" + m.SettleID
		if m.Option {
			// One request covers every option ("option: it returns all
			// option open orders by default"; settleCoin is documented
			// for linear and inverse only).
			key = cat
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		var r request
		r.add("category", cat)
		if m.Contract && !m.Option {
			r.add("settleCoin", m.SettleID)
		}
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b request) int {
		return compareText(a.get("category")+a.get("settleCoin"), b.get("category")+b.get("settleCoin"))
	})
	return out, nil
}

func compareText(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// FetchOrder returns an order of symbol (required) by id, or with
// Params{"clientOrderId": id} by orderLinkId: GET /v5/order/realtime,
// which finds open orders and recent closed ones, then
// /v5/order/history.
func (x *Exchange) FetchOrder(ctx context.Context, id, symbol string, opts ...exchange.Option) (*unified.Order, error) {
	clientID, extra, err := takeString(exchange.Apply(opts).Params, "clientOrderId")
	if err != nil {
		return nil, err
	}
	if len(extra) > 0 {
		return nil, errors.Newf(errors.BadRequest, "bybit: FetchOrder takes no Params but clientOrderId")
	}
	if symbol == "" || id == "" && clientID == "" {
		return nil, &errors.Error{Kind: errors.ArgumentsRequired, Exchange: ID, Message: "FetchOrder needs a symbol and an order id or Params{\"clientOrderId\": id}"}
	}
	m, err := x.market(ctx, symbol)
	if err != nil {
		return nil, err
	}
	return x.fetchOrder(ctx, m, id, clientID)
}

// fetchOrder looks an order of m up by id or orderLinkId.
func (x *Exchange) fetchOrder(ctx context.Context, m *unified.Market, id, clientID string) (*unified.Order, error) {
	for _, ep := range []rest.Endpoint{epOpenOrders, epHistory} {
		var r request
		r.add("category", categoryOf(m))
		r.add("symbol", m.ID)
		if id != "" {
			r.add("orderId", id)
		}
		if clientID != "" {
			r.add("orderLinkId", clientID)
		}
		os, err := x.orderPages(ctx, ep, r, 1)
		if err != nil {
			return nil, err
		}
		if len(os) > 0 {
			return &os[0], nil
		}
	}
	ref := id
	if ref == "" {
		ref = "orderLinkId " + clientID
	}
	return nil, &errors.Error{Kind: errors.OrderNotFound, Exchange: ID, Message: "no order " + ref + " on " + m.Symbol}
}

// orderPages reads up to limit orders of a query (0: every page up to
// maxPages), following nextPageCursor.
func (x *Exchange) orderPages(ctx context.Context, ep rest.Endpoint, r request, limit int) ([]unified.Order, error) {
	snap, err := x.Markets(ctx)
	if err != nil {
		return nil, err
	}
	cat := r.get("category")
	per := pageLimit
	if limit > 0 {
		per = min(limit, pageLimit)
	}
	r.add("limit", strconv.Itoa(per))
	var out []unified.Order
	cursor := ""
	for page := 0; page < maxPages; page++ {
		q := r
		q.keys, q.vals, q.raw = slices.Clone(r.keys), slices.Clone(r.vals), slices.Clone(r.raw)
		if cursor != "" {
			q.add("cursor", cursor)
		}
		var res struct {
			List           []restOrder `json:"list"`
			NextPageCursor string      `json:"nextPageCursor"`
		}
		if _, err := x.send(ctx, ep, &q, &res); err != nil {
			return nil, err
		}
		for i := range res.List {
			m, err := marketOfCategory(snap, cat, res.List[i].Symbol)
			if err != nil {
				continue // a market the adapter does not load
			}
			o, err := parseOrder(m, &res.List[i], x.Config().KeepInfo)
			if err != nil {
				return nil, err
			}
			out = append(out, o)
		}
		if limit > 0 && len(out) >= limit {
			return out[:limit], nil
		}
		if res.NextPageCursor == "" || res.NextPageCursor == cursor || len(res.List) == 0 {
			break
		}
		cursor = res.NextPageCursor
	}
	return out, nil
}

// listOrders runs an order query over symbol's scope (every category
// when ""), Since and Limit applied.
func (x *Exchange) listOrders(ctx context.Context, ep rest.Endpoint, symbol string, o exchange.CallOptions, keep func(*unified.Order) bool) ([]unified.Order, error) {
	scopes, err := x.scopes(ctx, symbol)
	if err != nil {
		return nil, err
	}
	var out []unified.Order
	for _, r := range scopes {
		if ms := o.SinceMillis(); ms > 0 && ep != epOpenOrders {
			r.add("startTime", strconv.FormatInt(ms, 10))
		}
		if err := r.addParams(o.Params); err != nil {
			return nil, err
		}
		os, err := x.orderPages(ctx, ep, r, 0)
		if err != nil {
			return nil, err
		}
		for i := range os {
			if keep == nil || keep(&os[i]) {
				out = append(out, os[i])
			}
		}
	}
	slices.SortStableFunc(out, func(a, b unified.Order) int { return a.Timestamp.Compare(b.Timestamp) })
	if o.Limit > 0 && len(out) > o.Limit {
		out = out[len(out)-o.Limit:]
	}
	return out, nil
}

// FetchOpenOrders returns the open orders of symbol, or of every loaded
// category and settle coin when symbol is "" (GET /v5/order/realtime,
// every page), oldest first.
func (x *Exchange) FetchOpenOrders(ctx context.Context, symbol string, opts ...exchange.Option) ([]unified.Order, error) {
	return x.listOrders(ctx, epOpenOrders, symbol, exchange.Apply(opts), func(o *unified.Order) bool { return o.Status == unified.StatusOpen })
}

// FetchOrders returns the order history of symbol, or of every loaded
// category when "" (GET /v5/order/history: the last 2 years, at most 7
// days from startTime), oldest first; Since is startTime, Limit keeps the
// newest.
func (x *Exchange) FetchOrders(ctx context.Context, symbol string, opts ...exchange.Option) ([]unified.Order, error) {
	return x.listOrders(ctx, epHistory, symbol, exchange.Apply(opts), nil)
}

// FetchClosedOrders returns FetchOrders' orders that are no longer open.
func (x *Exchange) FetchClosedOrders(ctx context.Context, symbol string, opts ...exchange.Option) ([]unified.Order, error) {
	return x.listOrders(ctx, epHistory, symbol, exchange.Apply(opts), func(o *unified.Order) bool { return o.Status != unified.StatusOpen })
}

// FetchMyTrades returns the account's trades on symbol, or on every
// loaded category when "" (GET /v5/execution/list, execType=Trade, every
// page), oldest first; Since is startTime, Limit keeps the newest.
func (x *Exchange) FetchMyTrades(ctx context.Context, symbol string, opts ...exchange.Option) ([]unified.Trade, error) {
	o := exchange.Apply(opts)
	scopes, err := x.scopes(ctx, symbol)
	if err != nil {
		return nil, err
	}
	snap, err := x.Markets(ctx)
	if err != nil {
		return nil, err
	}
	var out []unified.Trade
	for _, r := range scopes {
		cat := r.get("category")
		if _, given := o.Params["execType"]; !given {
			r.add("execType", "Trade")
		}
		if ms := o.SinceMillis(); ms > 0 {
			r.add("startTime", strconv.FormatInt(ms, 10))
		}
		r.add("limit", "100")
		if err := r.addParams(o.Params); err != nil {
			return nil, err
		}
		cursor := ""
		for page := 0; page < maxPages; page++ {
			q := r
			q.keys, q.vals, q.raw = slices.Clone(r.keys), slices.Clone(r.vals), slices.Clone(r.raw)
			if cursor != "" {
				q.add("cursor", cursor)
			}
			var res struct {
				List           []restExecution `json:"list"`
				NextPageCursor string          `json:"nextPageCursor"`
			}
			if _, err := x.send(ctx, epExecutions, &q, &res); err != nil {
				return nil, err
			}
			for i := range res.List {
				if !res.List[i].isTrade() {
					continue
				}
				m, err := marketOfCategory(snap, cat, res.List[i].Symbol)
				if err != nil {
					continue
				}
				t, err := parseExecution(m, &res.List[i], x.Config().KeepInfo)
				if err != nil {
					return nil, err
				}
				out = append(out, t)
			}
			if res.NextPageCursor == "" || res.NextPageCursor == cursor || len(res.List) == 0 {
				break
			}
			cursor = res.NextPageCursor
		}
	}
	slices.SortStableFunc(out, func(a, b unified.Trade) int { return a.Timestamp.Compare(b.Timestamp) })
	if o.Limit > 0 && len(out) > o.Limit {
		out = out[len(out)-o.Limit:]
	}
	return out, nil
}

// FetchPositions returns the open positions of symbols, nil for every
// loaded contract category and settle coin (GET /v5/position/list); see
// parsePosition.
func (x *Exchange) FetchPositions(ctx context.Context, symbols []string, opts ...exchange.Option) ([]unified.Position, error) {
	snap, err := x.Markets(ctx)
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	var scopes []request
	for _, s := range symbols {
		m, err := snap.Market(s)
		if err != nil {
			return nil, err
		}
		if !m.Contract {
			return nil, notSupported("spot has no positions: " + s)
		}
		want[m.Symbol] = true
		var r request
		r.add("category", categoryOf(m))
		r.add("symbol", m.ID)
		scopes = append(scopes, r)
	}
	if len(symbols) == 0 {
		all, err := x.scopes(ctx, "")
		if err != nil {
			return nil, err
		}
		for _, r := range all {
			if r.get("category") != CategorySpot {
				scopes = append(scopes, r)
			}
		}
	}
	var out []unified.Position
	for _, r := range scopes {
		cat := r.get("category")
		r.add("limit", "200")
		if err := r.addParams(exchange.Apply(opts).Params); err != nil {
			return nil, err
		}
		var res struct {
			List []restPosition `json:"list"`
		}
		if _, err := x.send(ctx, epPositions, &r, &res); err != nil {
			return nil, err
		}
		for i := range res.List {
			if !res.List[i].open() {
				continue
			}
			m, err := marketOfCategory(snap, cat, res.List[i].Symbol)
			if err != nil || len(want) > 0 && !want[m.Symbol] {
				continue
			}
			p, err := parsePosition(m, &res.List[i], x.Config().KeepInfo)
			if err != nil {
				return nil, err
			}
			out = append(out, p)
		}
	}
	return out, nil
}

// SetLeverage sets the buy and sell leverage of a contract symbol (POST
// /v5/position/set-leverage); a leverage already set is a NoChange
// (110043).
func (x *Exchange) SetLeverage(ctx context.Context, leverage decimal.Decimal, symbol string, opts ...exchange.Option) error {
	if !leverage.IsPositive() {
		return &errors.Error{Kind: errors.BadRequest, Exchange: ID, Message: "leverage must be positive, not " + leverage.String()}
	}
	m, err := x.market(ctx, symbol)
	if err != nil {
		return err
	}
	if !m.Contract {
		return notSupported("spot has no leverage")
	}
	var r request
	r.add("category", categoryOf(m))
	r.add("symbol", m.ID)
	r.add("buyLeverage", leverage.String())
	r.add("sellLeverage", leverage.String())
	if err := r.addParams(exchange.Apply(opts).Params); err != nil {
		return err
	}
	var ignored json.RawMessage
	_, err = x.send(ctx, epSetLeverage, &r, &ignored)
	return err
}
