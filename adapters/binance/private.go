package binance

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"

	"github.com/unifex-go/unifex/internal/adapter"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/rest"
	"github.com/unifex-go/unifex/markets"
	"github.com/unifex-go/unifex/unified"
)

// clientIDs is Binance's client order id rule (^[.A-Z:/a-z0-9_-]{1,36}$ on every product), and the prefix the adapter gives the ids it makes.
var clientIDs = adapter.ClientIDs{Prefix: "x-unifex-", Max: 36, Punctuation: ".:/_-"}

// The private REST side: balances, orders, the account's trades, positions
// and leverage, on the three products. Every call is signed (sign.go). A
// call's Params (exchange.Params) are added to the request as Binance
// parameters (strings, booleans, integers, decimals; keys sorted), except
// a few the adapter reads itself ("test", "clientOrderId"); a key that
// names a parameter the unified arguments already set is refused with
// BadRequest rather than sent twice.

// privateAPI is one product's endpoints for the private unified methods; a
// zero Endpoint is a method the product does not have.
type privateAPI struct {
	account, newOrder, testOrder, getOrder, cancelOrder, cancelAll rest.Endpoint
	openOrders, allOrders, myTrades                                rest.Endpoint
	amend, cancelReplace                                           rest.Endpoint // spot
	modify                                                         rest.Endpoint // futures
	positions, leverage                                            rest.Endpoint // futures
}

var privateAPIs = map[kind]*privateAPI{
	spot: {
		account: spotGetAccount, newOrder: spotPostOrder, testOrder: spotPostOrderTest, getOrder: spotGetOrder,
		cancelOrder: spotDeleteOrder, cancelAll: spotDeleteOpenOrders, openOrders: spotGetOpenOrders,
		allOrders: spotGetAllOrders, myTrades: spotGetMyTrades,
		amend: spotPutOrderAmendKeepPriority, cancelReplace: spotPostOrderCancelReplace,
	},
	usdm: {
		account: fapiV3GetAccount, newOrder: fapiPostOrder, getOrder: fapiGetOrder, cancelOrder: fapiDeleteOrder,
		cancelAll: fapiDeleteAllOpenOrders, openOrders: fapiGetOpenOrders, allOrders: fapiGetAllOrders,
		myTrades: fapiGetUserTrades, modify: fapiPutOrder, positions: fapiV3GetPositionRisk, leverage: fapiPostLeverage,
	},
	coinm: {
		account: dapiGetAccount, newOrder: dapiPostOrder, getOrder: dapiGetOrder, cancelOrder: dapiDeleteOrder,
		cancelAll: dapiDeleteAllOpenOrders, openOrders: dapiGetOpenOrders, allOrders: dapiGetAllOrders,
		myTrades: dapiGetUserTrades, modify: dapiPutOrder, positions: dapiGetPositionRisk, leverage: dapiPostLeverage,
	},
}

func (x *Exchange) api() *privateAPI { return privateAPIs[x.p.kind] }

// listLimit is the most entries one allOrders, myTrades or userTrades reply
// holds.
const listLimit = 1000

// notSupported is the error of a unified method product k does not have.
func (x *Exchange) notSupported(what string) error {
	return &errors.Error{Kind: errors.NotSupported, Exchange: x.p.id, Message: what}
}

// FetchBalance returns the account's balances. Spot: free and locked
// (used) per asset from GET /api/v3/account, asked with
// omitZeroBalances=true, so only assets with a balance are listed (pass
// Params{"omitZeroBalances": false} for every asset). USDⓈ-M (GET
// /fapi/v3/account) and COIN-M (GET /dapi/v1/account, chosen over
// /dapi/v1/balance because only the account reply has the initial margin):
// free is availableBalance, used is initialMargin and total is
// marginBalance (wallet balance plus unrealised profit), as CCXT reads
// them; see parseFuturesBalances for why they need not add up.
func (x *Exchange) FetchBalance(ctx context.Context, opts ...exchange.Option) (*unified.Balances, error) {
	var p rest.Params
	extra := exchange.Apply(opts).Params
	if x.p.kind == spot {
		if _, given := extra["omitZeroBalances"]; !given {
			p.Add("omitZeroBalances", "true")
		}
	}
	if err := p.AddExtra(extra, "timestamp", "signature"); err != nil {
		return nil, err
	}
	keep := x.Config().KeepInfo
	if x.p.kind == spot {
		var raw restSpotAccount
		if err := x.REST().DoJSON(ctx, x.api().account, p, &raw); err != nil {
			return nil, err
		}
		return parseSpotBalances(&raw, keep)
	}
	var raw restFuturesAccount
	if err := x.REST().DoJSON(ctx, x.api().account, p, &raw); err != nil {
		return nil, err
	}
	return parseFuturesBalances(&raw, keep)
}

// placement is an order ready to be sent: its market, its parameters and
// the order as requested (returned for a test order, and with an error
// whose outcome is unknown); algo marks a futures conditional order, whose
// parameters are the Algo Service's (algo.go).
type placement struct {
	market    *unified.Market
	params    rest.Params
	requested unified.Order
	algo      bool
}

// minCallbackRate and maxCallbackRate bound a futures trailing stop's
// callbackRate, in percent (New Algo Order: "min 0.1, max 10 where 1 for
// 1%").
var (
	minCallbackRate = decimal.New(1, -1)
	maxCallbackRate = decimal.NewFromInt(10)
)

// placement validates req against its market (markets.ValidateOrder:
// amount step, price tick, limits, notional) and builds the parameters of
// a new order, in the order the docs list them. What Binance's order
// endpoint cannot express fails here, before anything is sent:
//
//   - attached stop-loss/take-profit orders (spot needs an order list, the
//     futures the Algo Service), a margin mode or a leverage with the order
//     (futures set them per symbol: POST marginType, SetLeverage), spot
//     margin, and quote-sized (Cost) futures orders: NotSupported;
//   - futures trigger, stop-loss and take-profit orders go to the Algo
//     Service (POST /fapi/v1/algoOrder, /dapi/v1/algoOrder; POST order
//     refuses them with -4120 since 2025-12-09, COIN-M after its
//     migration): TriggerPrice and StopLossPrice make STOP (limit) or
//     STOP_MARKET, TakeProfitPrice TAKE_PROFIT or TAKE_PROFIT_MARKET, sent
//     with algoType CONDITIONAL, triggerPrice and clientAlgoId (the same
//     rule and "x-unifex-" default as newClientOrderId). A market one is
//     checked against the notional filter at its trigger price. A trailing
//     stop is TRAILING_STOP_MARKET there, by a percentage only
//     (TrailingPercent: callbackRate, 0.1 to 10 as the docs allow, on
//     USDⓈ-M and COIN-M alike; TrailingTriggerPrice: activatePrice) and
//     at market; by an amount, with a limit price, or on spot:
//     NotSupported. One-cancels-the-other pairs (StopLossPrice with
//     TakeProfitPrice): NotSupported;
//   - spot: TriggerPrice and StopLossPrice make STOP_LOSS (market) or
//     STOP_LOSS_LIMIT, TakeProfitPrice TAKE_PROFIT or TAKE_PROFIT_LIMIT
//     (CCXT reads a bare trigger price as a stop loss too); post-only is
//     LIMIT_MAKER, which cannot carry a trigger;
//   - time in force: GTC (the default for limit orders), IOC, FOK; PO is
//     post-only (spot LIMIT_MAKER, futures GTX); GTD exists on USDⓈ-M only
//     and needs Params{"goodTillDate": ms}. A market order takes none but
//     IOC (which it is);
//   - reduce-only: futures only;
//   - the client order id: req.ClientOrderID, checked against Binance's
//     rule, else a fresh "x-unifex-" id.
func (x *Exchange) placement(ctx context.Context, req unified.OrderRequest, extra map[string]any) (*placement, error) {
	if err := req.Validate(); err != nil {
		return nil, err
	}
	m, err := x.market(ctx, req.Symbol)
	if err != nil {
		return nil, err
	}
	futures := x.p.kind != spot
	trigger := req.TriggerPrice
	if !trigger.Valid {
		trigger = req.StopLossPrice
	}
	takeProfit := req.TakeProfitPrice.Valid
	if takeProfit {
		trigger = req.TakeProfitPrice
	}
	postOnly := req.PostOnly || req.TimeInForce == unified.TIFPO
	isMarket := req.Type == unified.OrderTypeMarket
	trailing := req.TrailingPercent.Valid || req.TrailingAmount.Valid
	switch {
	case trailing && !futures:
		return nil, x.notSupported("spot trailing stops (trailingDelta) are not supported; futures trail with TRAILING_STOP_MARKET")
	case req.TrailingAmount.Valid:
		return nil, x.notSupported("futures trailing stops trail by a percentage (callbackRate), not by an amount")
	case trailing && !isMarket:
		return nil, x.notSupported("a trailing stop (TRAILING_STOP_MARKET) places a market order; no limit price")
	case trailing && (req.TrailingPercent.Decimal.LessThan(minCallbackRate) || req.TrailingPercent.Decimal.GreaterThan(maxCallbackRate)):
		return nil, &errors.Error{Kind: errors.InvalidOrder, Exchange: x.p.id,
			Message: "trailing percent " + req.TrailingPercent.Decimal.String() + " is outside Binance's callbackRate range 0.1 to 10"}
	case req.StopLossPrice.Valid && req.TakeProfitPrice.Valid:
		return nil, x.notSupported("one-cancels-the-other pairs (spot order lists) are not supported")
	case req.StopLoss != nil || req.TakeProfit != nil:
		return nil, x.notSupported("attached stop-loss and take-profit orders (spot order lists, the futures Algo Service) are not supported")
	case req.MarginMode != "" && futures:
		return nil, x.notSupported("the margin mode is set per symbol (POST marginType), not with an order")
	case req.MarginMode != "":
		return nil, x.notSupported("spot margin trading is not supported")
	case req.Leverage.Valid:
		return nil, x.notSupported("the leverage is set per symbol with SetLeverage, not with an order")
	case futures && req.Cost.Valid:
		return nil, x.notSupported("futures orders are sized in contracts; quote-sized (cost) orders are spot only")
	case !futures && req.ReduceOnly:
		return nil, x.notSupported("reduce-only orders are futures only")
	case !futures && postOnly && trigger.Valid:
		return nil, &errors.Error{Kind: errors.InvalidOrder, Exchange: x.p.id, Message: "a spot post-only order (LIMIT_MAKER) cannot have a trigger price"}
	case req.ClientOrderID != "" && !clientIDs.Valid(req.ClientOrderID):
		return nil, &errors.Error{Kind: errors.InvalidOrder, Exchange: x.p.id,
			Message: "client order id " + strconv.Quote(req.ClientOrderID) + " is not 1 to 36 of A-Z a-z 0-9 . : / _ -"}
	}
	tif, err := x.timeInForce(req, isMarket, postOnly, extra)
	if err != nil {
		return nil, err
	}
	native := x.nativeType(isMarket, postOnly, trigger.Valid, takeProfit)
	if trailing {
		native = "TRAILING_STOP_MARKET"
	}
	reference := decimal.Zero
	switch {
	case req.Price.Valid:
		reference = req.Price.Decimal // a market order's price is a reference for the notional check
	case futures && trigger.Valid:
		reference = trigger.Decimal // a conditional market order runs at about its trigger
	case req.TrailingTriggerPrice.Valid:
		reference = req.TrailingTriggerPrice.Decimal // a trailing stop runs beyond its activation price
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
		TimeInForce: req.TimeInForce}, algo: futures && (trigger.Valid || trailing)}
	p := &pl.params
	clientKey, triggerKey := "newClientOrderId", "stopPrice"
	if pl.algo {
		p.Add("algoType", "CONDITIONAL")
		clientKey, triggerKey = "clientAlgoId", "triggerPrice"
	}
	p.Add("symbol", m.ID)
	p.Add("side", sideParam(req.Side))
	p.Add("type", native)
	if tif != "" {
		p.Add("timeInForce", tif)
	}
	if sent.Cost.IsPositive() {
		p.Add("quoteOrderQty", sent.Cost.String())
	} else {
		p.Add("quantity", sent.Amount.String())
		pl.requested.Amount = decimal.NewNullDecimal(sent.Amount)
	}
	if !isMarket {
		p.Add("price", sent.Price.String())
		pl.requested.Price = decimal.NewNullDecimal(sent.Price)
	}
	if req.ReduceOnly {
		p.Add("reduceOnly", "true")
	}
	p.Add(clientKey, clientID)
	if trigger.Valid {
		stop, err := markets.PriceToPrecision(m, trigger.Decimal)
		if err != nil {
			return nil, err
		}
		p.Add(triggerKey, stop)
		pl.requested.TriggerPrice = decimal.NewNullDecimal(decimal.RequireFromString(stop))
	}
	if trailing {
		p.Add("callbackRate", req.TrailingPercent.Decimal.String())
		if req.TrailingTriggerPrice.Valid {
			activate, err := markets.PriceToPrecision(m, req.TrailingTriggerPrice.Decimal)
			if err != nil {
				return nil, err
			}
			p.Add("activatePrice", activate)
		}
	}
	if futures {
		p.Add("newOrderRespType", "RESULT") // the final state of market and IOC/FOK orders
	} else {
		p.Add("newOrderRespType", "FULL") // with the fills
	}
	if postOnly {
		pl.requested.PostOnly = &postOnly
	}
	if req.ReduceOnly {
		pl.requested.ReduceOnly = &req.ReduceOnly
	}
	return pl, p.AddExtra(extra, "timestamp", "signature")
}

// sideParam is Binance's side of a validated unified side.
func sideParam(s unified.Side) string {
	if s == unified.SideSell {
		return "SELL"
	}
	return "BUY"
}

// nativeType is Binance's order type for a request (see placement).
func (x *Exchange) nativeType(isMarket, postOnly, trigger, takeProfit bool) string {
	futures := x.p.kind != spot
	switch {
	case futures && isMarket && takeProfit:
		return "TAKE_PROFIT_MARKET"
	case futures && isMarket && trigger:
		return "STOP_MARKET"
	case futures && takeProfit:
		return "TAKE_PROFIT"
	case futures && trigger:
		return "STOP"
	case isMarket && takeProfit:
		return "TAKE_PROFIT"
	case isMarket && trigger:
		return "STOP_LOSS"
	case isMarket:
		return "MARKET"
	case takeProfit:
		return "TAKE_PROFIT_LIMIT"
	case trigger:
		return "STOP_LOSS_LIMIT"
	case postOnly && x.p.kind == spot:
		return "LIMIT_MAKER"
	}
	return "LIMIT"
}

// timeInForce is the timeInForce parameter of a request ("" for none).
func (x *Exchange) timeInForce(req unified.OrderRequest, isMarket, postOnly bool, extra map[string]any) (string, error) {
	switch {
	case isMarket:
		if req.TimeInForce != "" && req.TimeInForce != unified.TIFIOC {
			return "", &errors.Error{Kind: errors.InvalidOrder, Exchange: x.p.id, Message: "a market order takes no time in force but IOC"}
		}
		return "", nil
	case postOnly && x.p.kind == spot:
		return "", nil // LIMIT_MAKER takes none
	case postOnly:
		return "GTX", nil
	case req.TimeInForce == "":
		return "GTC", nil
	case req.TimeInForce == unified.TIFGTD:
		if x.p.kind != usdm {
			return "", x.notSupported("good-till-date orders are USDⓈ-M only")
		}
		if _, ok := extra["goodTillDate"]; !ok {
			return "", &errors.Error{Kind: errors.ArgumentsRequired, Exchange: x.p.id, Message: "a GTD order needs Params{\"goodTillDate\": ms}"}
		}
	}
	return string(req.TimeInForce), nil
}

// CreateOrder validates req against the market (a request the market's
// rules refuse is never sent) and places it: POST /api/v3/order,
// /fapi/v1/order or /dapi/v1/order. See placement for the order types.
//
// Params{"test": true} on spot sends the order to POST /api/v3/order/test
// instead, which validates it (and with computeCommissionRates prices its
// fees) without trading; the result is the order as requested, with no id
// and no status.
//
// An order whose outcome is unknown (a timeout, a 5xx, -1006, -1007, a
// reply that cannot be read) is looked up once by its client order id; if
// the venue has it, it is returned with no error. Otherwise the error
// (which names the client order id) comes back together with the order
// as requested, so that the caller can look it up later: FetchOrder with
// Params{"clientOrderId": id}. It is never sent again.
func (x *Exchange) CreateOrder(ctx context.Context, req unified.OrderRequest, opts ...exchange.Option) (*unified.Order, error) {
	extra := exchange.Apply(opts).Params
	test, extra, err := takeBool(extra, "test")
	if err != nil {
		return nil, err
	}
	if test && x.api().testOrder.Path == "" {
		return nil, x.notSupported("test orders are spot only (POST /api/v3/order/test)")
	}
	pl, err := x.placement(ctx, req, extra)
	if err != nil {
		return nil, err
	}
	x.Engine().NoteOrderSymbol(pl.market.Symbol) // reconciliation looks there after an outage
	if pl.algo {
		return x.placeAlgo(ctx, pl)
	}
	if test {
		var ignored json.RawMessage // {} or the commission rates
		if err := x.REST().DoJSON(ctx, x.api().testOrder, pl.params, &ignored); err != nil {
			return nil, err
		}
		o := pl.requested
		if x.Config().KeepInfo {
			o.Info = ignored
		}
		return &o, nil
	}
	var raw restOrder
	err = x.REST().DoJSON(ctx, x.api().newOrder, pl.params, &raw)
	if err == nil {
		var o unified.Order
		if o, err = parseOrder(x.p.kind, pl.market, &raw, x.Config().KeepInfo); err == nil {
			return &o, nil
		}
	}
	return x.placementFailed(ctx, pl, err)
}

// placementFailed answers a placement that ended in err: a refusal as it
// is; an unknown outcome after one look-up by client order id (see
// CreateOrder).
func (x *Exchange) placementFailed(ctx context.Context, pl *placement, err error) (*unified.Order, error) {
	id := pl.requested.ClientOrderID
	lookup := func(ctx context.Context) (*unified.Order, bool) {
		o, err := x.fetchByClientID(ctx, pl.market, id)
		return o, err == nil
	}
	return adapter.ResolveUnknown(ctx, err, outcomeUnknown, lookup, &pl.requested,
		"binance order with client order id "+id+" may have been placed")
}

// outcomeUnknown reports whether a request that failed with err may still
// have been executed: it left the client and was neither refused by the
// venue (an ExchangeError, a rate limit, a ban, a timestamp refusal,
// maintenance) nor answered; a timeout, a 5xx and an unreadable reply are
// such failures (Binance: "execution status unknown").
func outcomeUnknown(err error) bool {
	if errors.SafeToRetry(err) {
		return false
	}
	for _, refused := range []*errors.Kind{errors.ExchangeError, errors.RateLimitExceeded, errors.DDoSProtection, errors.InvalidNonce, errors.OnMaintenance} {
		if errors.Is(err, refused) {
			return false
		}
	}
	return true
}

// orderRef is the parameters naming one order on symbol's market: orderId,
// or origClientOrderId when Params carry "clientOrderId" (then id may be
// empty).
func (x *Exchange) orderRef(ctx context.Context, method, id, symbol string, extra map[string]any) (*unified.Market, rest.Params, map[string]any, error) {
	clientID, extra, err := takeString(extra, "clientOrderId")
	if err != nil {
		return nil, rest.Params{}, nil, err
	}
	switch {
	case symbol == "":
		return nil, rest.Params{}, nil, &errors.Error{Kind: errors.ArgumentsRequired, Exchange: x.p.id, Message: method + " needs a symbol"}
	case id == "" && clientID == "":
		return nil, rest.Params{}, nil, &errors.Error{Kind: errors.ArgumentsRequired, Exchange: x.p.id,
			Message: method + " needs an order id or Params{\"clientOrderId\": id}"}
	}
	m, err := x.market(ctx, symbol)
	if err != nil {
		return nil, rest.Params{}, nil, err
	}
	p := symbolParam(m)
	if id != "" {
		p.Add("orderId", id)
	}
	if clientID != "" {
		p.Add("origClientOrderId", clientID)
	}
	return m, p, extra, nil
}

// CancelOrder cancels an order of symbol (required). Params{"clientOrderId":
// id} names the order by its client order id. The result is the canceled
// order with its own client order id (a spot cancel reply's clientOrderId
// is the cancel request's). On the futures, Params{"trigger": true} cancels
// a conditional order of the Algo Service instead (id is its algo id,
// "clientOrderId" its client algo id): DELETE algoOrder, whose reply holds
// only the ids, so the result is the ids, the symbol and the status.
func (x *Exchange) CancelOrder(ctx context.Context, id, symbol string, opts ...exchange.Option) (*unified.Order, error) {
	algo, params, err := takeBool(exchange.Apply(opts).Params, triggerParam)
	if err != nil {
		return nil, err
	}
	if algo {
		return x.cancelAlgo(ctx, id, symbol, params)
	}
	m, p, extra, err := x.orderRef(ctx, "CancelOrder", id, symbol, params)
	if err != nil {
		return nil, err
	}
	if err := p.AddExtra(extra, "timestamp", "signature"); err != nil {
		return nil, err
	}
	var raw restOrder
	if err := x.REST().DoJSON(ctx, x.api().cancelOrder, p, &raw); err != nil {
		return nil, err
	}
	canceledOwnID(&raw)
	o, err := parseOrder(x.p.kind, m, &raw, x.Config().KeepInfo)
	if err != nil {
		return nil, err
	}
	return &o, nil
}

// canceledOwnID puts a spot cancel reply's origClientOrderId (the order's
// own client id) in place of its clientOrderId (the cancel's).
func canceledOwnID(r *restOrder) {
	if r.OrigClientOrderID != "" {
		r.ClientOrderID = r.OrigClientOrderID
	}
}

// CancelAllOrders cancels every open order of symbol, which Binance
// requires ("" is ArgumentsRequired). Spot returns the canceled orders,
// members of order lists included; the futures endpoints answer only that
// the request was done, so the result is empty there.
func (x *Exchange) CancelAllOrders(ctx context.Context, symbol string, opts ...exchange.Option) ([]unified.Order, error) {
	if symbol == "" {
		return nil, &errors.Error{Kind: errors.ArgumentsRequired, Exchange: x.p.id, Message: "Binance cancels all open orders of one symbol at a time"}
	}
	m, err := x.market(ctx, symbol)
	if err != nil {
		return nil, err
	}
	p := symbolParam(m)
	if err := p.AddExtra(exchange.Apply(opts).Params, "timestamp", "signature"); err != nil {
		return nil, err
	}
	if x.p.kind != spot {
		var ack json.RawMessage // {"code":200,"msg":"The operation of cancel all open order is done."}
		return nil, x.REST().DoJSON(ctx, x.api().cancelAll, p, &ack)
	}
	var entries []struct {
		restOrder
		OrderReports []restOrder `json:"orderReports"` // an order list's canceled members
	}
	if err := x.REST().DoJSON(ctx, x.api().cancelAll, p, &entries); err != nil {
		return nil, err
	}
	var out []unified.Order
	for i := range entries {
		reports := entries[i].OrderReports
		if reports == nil {
			reports = []restOrder{entries[i].restOrder}
		}
		for j := range reports {
			canceledOwnID(&reports[j])
			o, err := parseOrder(x.p.kind, m, &reports[j], x.Config().KeepInfo)
			if err != nil {
				return nil, err
			}
			out = append(out, o)
		}
	}
	return out, nil
}

// FetchOrder returns an order of symbol (required); Params{"clientOrderId":
// id} finds it by its client order id. On the futures, Params{"trigger":
// true} asks the Algo Service for a conditional order (id its algo id):
// USDⓈ-M GET algoOrder; COIN-M, whose notice documents no such query,
// finds only an open one (GET openAlgoOrders).
func (x *Exchange) FetchOrder(ctx context.Context, id, symbol string, opts ...exchange.Option) (*unified.Order, error) {
	algo, params, err := takeBool(exchange.Apply(opts).Params, triggerParam)
	if err != nil {
		return nil, err
	}
	if algo {
		return x.fetchAlgoOrder(ctx, id, symbol, params)
	}
	m, p, extra, err := x.orderRef(ctx, "FetchOrder", id, symbol, params)
	if err != nil {
		return nil, err
	}
	if err := p.AddExtra(extra, "timestamp", "signature"); err != nil {
		return nil, err
	}
	return x.orderCall(ctx, x.api().getOrder, m, p)
}

// fetchByClientID looks an order of m up by its client order id.
func (x *Exchange) fetchByClientID(ctx context.Context, m *unified.Market, clientID string) (*unified.Order, error) {
	p := symbolParam(m)
	p.Add("origClientOrderId", clientID)
	return x.orderCall(ctx, x.api().getOrder, m, p)
}

// orderCall sends a request answered by one order of m.
func (x *Exchange) orderCall(ctx context.Context, ep rest.Endpoint, m *unified.Market, p rest.Params) (*unified.Order, error) {
	var raw restOrder
	if err := x.REST().DoJSON(ctx, ep, p, &raw); err != nil {
		return nil, err
	}
	o, err := parseOrder(x.p.kind, m, &raw, x.Config().KeepInfo)
	if err != nil {
		return nil, err
	}
	return &o, nil
}

// windowParams is the symbol, startTime (Since) and limit (Limit, at most
// 1000) of a history request on symbol, which Binance requires.
func (x *Exchange) windowParams(ctx context.Context, method, symbol string, o exchange.CallOptions) (*unified.Market, rest.Params, error) {
	if symbol == "" {
		return nil, rest.Params{}, &errors.Error{Kind: errors.ArgumentsRequired, Exchange: x.p.id, Message: method + " needs a symbol on Binance"}
	}
	m, err := x.market(ctx, symbol)
	if err != nil {
		return nil, rest.Params{}, err
	}
	p := symbolParam(m)
	if ms := o.SinceMillis(); ms > 0 {
		p.Add("startTime", strconv.FormatInt(ms, 10))
	}
	if o.Limit > 0 {
		p.Add("limit", strconv.Itoa(min(o.Limit, listLimit)))
	}
	return m, p, p.AddExtra(o.Params, "timestamp", "signature")
}

// FetchOrders returns the orders of symbol (required) from allOrders: open,
// canceled and filled, oldest first. Since is startTime; Limit caps the
// reply (500 by default, at most 1000); Params may add endTime or orderId.
// Binance bounds the window (spot 24 hours between startTime and endTime,
// futures 7 days) and forgets old orders (futures: 90 days, and canceled
// or expired unfilled orders after 3 days).
func (x *Exchange) FetchOrders(ctx context.Context, symbol string, opts ...exchange.Option) ([]unified.Order, error) {
	m, p, err := x.windowParams(ctx, "FetchOrders", symbol, exchange.Apply(opts))
	if err != nil {
		return nil, err
	}
	return x.ordersCall(ctx, x.api().allOrders, m, p)
}

// FetchOpenOrders returns the open orders of symbol, or of every market
// when symbol is "" (a heavier request: weight 80 on spot, 40 on futures).
// On the futures, Params{"trigger": true} lists the open conditional
// orders of the Algo Service instead (GET openAlgoOrders, same weights).
func (x *Exchange) FetchOpenOrders(ctx context.Context, symbol string, opts ...exchange.Option) ([]unified.Order, error) {
	algo, params, err := takeBool(exchange.Apply(opts).Params, triggerParam)
	if err != nil {
		return nil, err
	}
	var m *unified.Market
	var p rest.Params
	if symbol != "" {
		if m, err = x.market(ctx, symbol); err != nil {
			return nil, err
		}
		p = symbolParam(m)
	}
	if err := p.AddExtra(params, "timestamp", "signature"); err != nil {
		return nil, err
	}
	if algo {
		return x.openAlgoOrders(ctx, m, p)
	}
	return x.ordersCall(ctx, x.api().openOrders, m, p)
}

// FetchClosedOrders returns the orders of symbol (required) that are no
// longer open (filled, canceled, expired, rejected): FetchOrders filtered,
// so Limit counts the orders before filtering, as CCXT's emulation does.
func (x *Exchange) FetchClosedOrders(ctx context.Context, symbol string, opts ...exchange.Option) ([]unified.Order, error) {
	all, err := x.FetchOrders(ctx, symbol, opts...)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(o unified.Order) bool { return o.Status == unified.StatusOpen }), nil
}

// ordersCall sends a request answered by a list of orders; known is the
// market asked for, nil when the request named none.
func (x *Exchange) ordersCall(ctx context.Context, ep rest.Endpoint, known *unified.Market, p rest.Params) ([]unified.Order, error) {
	var raw []restOrder
	if err := x.REST().DoJSON(ctx, ep, p, &raw); err != nil {
		return nil, err
	}
	snap, err := x.Markets(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]unified.Order, 0, len(raw))
	for i := range raw {
		m, err := replyMarket(snap, known, raw[i].Symbol)
		if err != nil {
			return nil, err
		}
		o, err := parseOrder(x.p.kind, m, &raw[i], x.Config().KeepInfo)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

// FetchMyTrades returns the account's trades on symbol (required): spot
// GET /api/v3/myTrades, futures GET userTrades. Since is startTime, Limit
// caps the reply (500 by default, at most 1000); Params may add endTime,
// fromId or orderId. The futures keep three months of trades.
func (x *Exchange) FetchMyTrades(ctx context.Context, symbol string, opts ...exchange.Option) ([]unified.Trade, error) {
	m, p, err := x.windowParams(ctx, "FetchMyTrades", symbol, exchange.Apply(opts))
	if err != nil {
		return nil, err
	}
	var raw []restMyTrade
	if err := x.REST().DoJSON(ctx, x.api().myTrades, p, &raw); err != nil {
		return nil, err
	}
	out := make([]unified.Trade, 0, len(raw))
	for i := range raw {
		if raw[i].Symbol != "" && raw[i].Symbol != m.ID {
			continue // COIN-M answers a pair query with every contract of the pair
		}
		t, err := parseMyTrade(x.p.kind, m, &raw[i], x.Config().KeepInfo)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// FetchPositions returns the open positions (those holding contracts) of
// symbols, nil for every market: USDⓈ-M GET /fapi/v3/positionRisk (with
// symbol when one is asked for), COIN-M GET /dapi/v1/positionRisk. COIN-M
// amounts are contracts (Position.ContractSize is each one's value in the
// quote currency). See parsePosition for what is derived. Spot has no
// positions.
func (x *Exchange) FetchPositions(ctx context.Context, symbols []string, opts ...exchange.Option) ([]unified.Position, error) {
	if x.api().positions.Path == "" {
		return nil, x.notSupported("spot has no positions")
	}
	snap, err := x.Markets(ctx)
	if err != nil {
		return nil, err
	}
	want := make(map[string]bool, len(symbols))
	for _, s := range symbols {
		if _, err := snap.Market(s); err != nil {
			return nil, err
		}
		want[s] = true
	}
	var p rest.Params
	if len(symbols) == 1 && x.p.kind == usdm {
		m, _ := snap.Market(symbols[0])
		p = symbolParam(m)
	}
	if err := p.AddExtra(exchange.Apply(opts).Params, "timestamp", "signature"); err != nil {
		return nil, err
	}
	var raw []restPosition
	if err := x.REST().DoJSON(ctx, x.api().positions, p, &raw); err != nil {
		return nil, err
	}
	var out []unified.Position
	for i := range raw {
		if !raw[i].open() {
			continue
		}
		m, err := snap.MarketByID(raw[i].Symbol, "")
		if err != nil {
			return nil, err
		}
		if len(want) > 0 && !want[m.Symbol] {
			continue
		}
		pos, err := parsePosition(x.p.kind, m, &raw[i], x.Config().KeepInfo)
		if err != nil {
			return nil, err
		}
		out = append(out, pos)
	}
	return out, nil
}

// SetLeverage sets the initial leverage of a futures symbol, a whole number
// (Binance allows 1 to 125, less for large positions and some symbols).
func (x *Exchange) SetLeverage(ctx context.Context, leverage decimal.Decimal, symbol string, opts ...exchange.Option) error {
	if x.api().leverage.Path == "" {
		return x.notSupported("spot has no leverage")
	}
	if !leverage.IsInteger() || leverage.LessThan(decimal.NewFromInt(1)) || leverage.GreaterThan(decimal.NewFromInt(125)) {
		return &errors.Error{Kind: errors.BadRequest, Exchange: x.p.id, Message: "leverage must be a whole number from 1 to 125, not " + leverage.String()}
	}
	m, err := x.market(ctx, symbol)
	if err != nil {
		return err
	}
	p := symbolParam(m)
	p.Add("leverage", leverage.String())
	if err := p.AddExtra(exchange.Apply(opts).Params, "timestamp", "signature"); err != nil {
		return err
	}
	var out struct {
		Leverage flexInt `json:"leverage"`
	}
	if err := x.REST().DoJSON(ctx, x.api().leverage, p, &out); err != nil {
		return err
	}
	if int64(out.Leverage) != leverage.IntPart() {
		return &errors.Error{Kind: errors.BadResponse, Exchange: x.p.id,
			Message: "Binance set leverage " + strconv.FormatInt(int64(out.Leverage), 10) + ", not " + leverage.String()}
	}
	return nil
}

// takeBool removes key from params (a copy) and reads it as a boolean.
func takeBool(params map[string]any, key string) (bool, map[string]any, error) {
	v, ok := params[key]
	if !ok {
		return false, params, nil
	}
	b, isBool := v.(bool)
	if !isBool {
		return false, nil, errors.Newf(errors.BadRequest, "binance: Params "+strconv.Quote(key)+" must be a bool")
	}
	return b, without(params, key), nil
}

// takeString removes key from params (a copy) and reads it as a string.
func takeString(params map[string]any, key string) (string, map[string]any, error) {
	v, ok := params[key]
	if !ok {
		return "", params, nil
	}
	s, isString := v.(string)
	if !isString {
		return "", nil, errors.Newf(errors.BadRequest, "binance: Params "+strconv.Quote(key)+" must be a string")
	}
	return s, without(params, key), nil
}

func without(params map[string]any, key string) map[string]any {
	out := make(map[string]any, len(params))
	for k, v := range params {
		if k != key {
			out[k] = v
		}
	}
	return out
}
