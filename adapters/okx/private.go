package okx

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/unifex-go/unifex/internal/adapter"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/rest"
	"github.com/unifex-go/unifex/markets"
	"github.com/unifex-go/unifex/unified"
)

// clientIDs is OKX's clOrdId rule (1 to 32 letters and digits, case-sensitive), and the prefix the adapter gives the ids it makes.
var clientIDs = adapter.ClientIDs{Prefix: "unifex", Max: 32, Punctuation: ""}

// The private REST side (card §4, §7, §9): balances, orders, the
// account's fills, positions and leverage, all signed (sign.go). A
// call's Params (exchange.Params) are added to the request as OKX fields
// (to the JSON body of a POST, the query of a GET), except the few the
// adapter reads itself ("clientOrderId", "marginMode"); a key the unified
// arguments already set is refused with BadRequest rather than sent twice.

// The private endpoints, under "v5". OKX limits trading per instrument
// (60 orders per 2 s, REST and WebSocket together) and the rest per user.
var (
	epBalance     = rest.Endpoint{API: "v5", Path: "/account/balance", Signed: true}
	epPositions   = rest.Endpoint{API: "v5", Path: "/account/positions", Signed: true}
	epSetLeverage = rest.Endpoint{API: "v5", Method: "POST", Path: "/account/set-leverage", Signed: true, Idempotent: true}
	epPlace       = rest.Endpoint{API: "v5", Method: "POST", Path: "/trade/order", Signed: true}
	epOrder       = rest.Endpoint{API: "v5", Path: "/trade/order", Signed: true}
	epCancel      = rest.Endpoint{API: "v5", Method: "POST", Path: "/trade/cancel-order", Signed: true}
	epAmend       = rest.Endpoint{API: "v5", Method: "POST", Path: "/trade/amend-order", Signed: true}
	epPending     = rest.Endpoint{API: "v5", Path: "/trade/orders-pending", Signed: true}
	epHistory     = rest.Endpoint{API: "v5", Path: "/trade/orders-history", Signed: true}
	epFills       = rest.Endpoint{API: "v5", Path: "/trade/fills", Signed: true}
)

// pageSize is the most items one orders-pending, orders-history or fills
// reply holds.
const pageSize = 100

// instType is OKX's instType of market m.
func instType(m *unified.Market) string {
	switch {
	case m.Swap:
		return TypeSwap
	case m.Future:
		return TypeFutures
	case m.Option:
		return TypeOption
	}
	return TypeSpot
}

// notSupported is the error of something OKX or the adapter cannot do.
func notSupported(what string) error {
	return &errors.Error{Kind: errors.NotSupported, Exchange: ID, Message: what}
}

// post sends body as JSON to ep and returns the reply's data array.
func post[T any](ctx context.Context, x *Exchange, ep rest.Endpoint, body map[string]any) ([]T, error) {
	p, err := rest.JSON(body)
	if err != nil {
		return nil, errors.Wrap(errors.BadRequest, err, "okx: a request body that cannot be written")
	}
	return get[T](ctx, x, ep, p)
}

// firstItem is the one item of an order operation's reply, or its refusal.
func firstItem(items []itemResult) (*itemResult, error) {
	if len(items) == 0 {
		return nil, errors.Newf(errors.BadResponse, "okx: an order operation answered without data")
	}
	if e := items[0].err(0); e != nil {
		return nil, e
	}
	return &items[0], nil
}

// FetchBalance returns the trading account's balances (GET
// account/balance): free is availBal, used frozenBal, total eq (see
// parseBalances). Params{"ccy": "BTC,USDT"} limits the currencies.
func (x *Exchange) FetchBalance(ctx context.Context, opts ...exchange.Option) (*unified.Balances, error) {
	var p rest.Params
	if err := p.AddExtra(exchange.Apply(opts).Params); err != nil {
		return nil, err
	}
	accts, err := get[restAccount](ctx, x, epBalance, p)
	if err != nil {
		return nil, err
	}
	return parseBalances(accts, x.Config().KeepInfo)
}

// placement is an order ready to be sent: its market, its body and the
// order as requested (returned with an error whose outcome is unknown).
type placement struct {
	market    *unified.Market
	body      map[string]any
	requested unified.Order
	algo      bool // for POST trade/order-algo (algo.go)
}

// placement validates req against its market (markets.ValidateOrder) and
// builds the body of POST trade/order, which the WebSocket op "order"
// takes as its argument too. What one order cannot express fails here,
// before anything is sent:
//
//   - trigger, stop-loss, take-profit, one-cancels-the-other and trailing
//     orders (TriggerPrice, StopLossPrice, TakeProfitPrice, both of these,
//     TrailingAmount or TrailingPercent) are algo orders, whose body
//     algoBody (algo.go) makes of this one. Attached stop-loss and take-profit
//     orders (StopLoss, TakeProfit) go with the order in attachAlgoOrds
//     (slTriggerPx, slOrdPx: the price, or -1 for a market order;
//     last-price triggers);
//   - the margin mode: tdMode is cash on spot, MarginMode (cross when
//     empty) on contracts; a spot order with a margin mode is a margin
//     order, with ccy the quote currency. Leverage is set per instrument
//     with SetLeverage, not with an order: NotSupported;
//   - ordType: market; limit (GTC), post_only (PostOnly or PO), ioc, fok;
//     GTD: NotSupported;
//   - sz: the amount (contracts on derivatives); a spot market order sized
//     by Cost sends the quote amount with tgtCcy=quote_ccy, and a spot
//     market buy by Amount says tgtCcy=base_ccy (OKX reads a bare market
//     buy's sz in quote currency);
//   - reduceOnly: contracts and margin orders only;
//   - clOrdId: req.ClientOrderID, checked against OKX's rule (1 to 32
//     letters and digits), else a fresh "unifex" id.
func (x *Exchange) placement(ctx context.Context, req unified.OrderRequest, extra map[string]any) (*placement, error) {
	if err := req.Validate(); err != nil {
		return nil, err
	}
	m, err := x.market(ctx, req.Symbol)
	if err != nil {
		return nil, err
	}
	postOnly := req.PostOnly || req.TimeInForce == unified.TIFPO
	isMarket := req.Type == unified.OrderTypeMarket
	switch {
	case req.Leverage.Valid:
		return nil, notSupported("okx: the leverage is set per instrument with SetLeverage, not with an order")
	case req.TimeInForce == unified.TIFGTD:
		return nil, notSupported("okx: orders have no good-till-date time in force")
	case req.ReduceOnly && !m.Contract && req.MarginMode == "":
		return nil, notSupported("okx: reduce-only orders are for contracts and margin orders")
	case m.Contract && req.Cost.Valid:
		return nil, notSupported("okx: contract orders are sized in contracts; quote-sized (cost) orders are spot only")
	case req.ClientOrderID != "" && !clientIDs.Valid(req.ClientOrderID):
		return nil, &errors.Error{Kind: errors.InvalidOrder, Exchange: ID,
			Message: "client order id " + strconv.Quote(req.ClientOrderID) + " is not 1 to 32 letters and digits"}
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
	pl := &placement{market: m, body: map[string]any{}, requested: unified.Order{ClientOrderID: clientID, Symbol: m.Symbol,
		Type: req.Type, Side: req.Side, TimeInForce: req.TimeInForce}}
	b := pl.body
	b["instId"] = m.ID
	b["side"] = string(req.Side)
	switch {
	case m.Contract && req.MarginMode == "":
		b["tdMode"] = string(unified.MarginModeCross)
	case m.Contract:
		b["tdMode"] = string(req.MarginMode)
	case req.MarginMode != "":
		b["tdMode"] = string(req.MarginMode)
		b["ccy"] = m.QuoteID
	default:
		b["tdMode"] = "cash"
	}
	switch {
	case isMarket:
		b["ordType"] = "market"
	case postOnly:
		b["ordType"] = "post_only"
	case req.TimeInForce == unified.TIFIOC:
		b["ordType"] = "ioc"
	case req.TimeInForce == unified.TIFFOK:
		b["ordType"] = "fok"
	default:
		b["ordType"] = "limit"
	}
	switch {
	case sent.Cost.IsPositive():
		b["sz"] = sent.Cost.String()
		b["tgtCcy"] = "quote_ccy"
	default:
		b["sz"] = sent.Amount.String()
		pl.requested.Amount = decimal.NewNullDecimal(sent.Amount)
		if isMarket && !m.Contract && req.Side == unified.SideBuy {
			b["tgtCcy"] = "base_ccy"
		}
	}
	if !isMarket {
		b["px"] = sent.Price.String()
		pl.requested.Price = decimal.NewNullDecimal(sent.Price)
	}
	if req.ReduceOnly {
		b["reduceOnly"] = true
		pl.requested.ReduceOnly = &req.ReduceOnly
	}
	b["clOrdId"] = clientID
	if req.StopLoss != nil || req.TakeProfit != nil {
		attached := map[string]any{}
		for _, a := range []struct {
			prefix string
			order  *unified.AttachedOrder
		}{{"sl", req.StopLoss}, {"tp", req.TakeProfit}} {
			if a.order == nil {
				continue
			}
			trigger, err := markets.PriceToPrecision(m, a.order.TriggerPrice)
			if err != nil {
				return nil, err
			}
			price := "-1" // a market order
			if a.order.Price.Valid {
				if price, err = markets.PriceToPrecision(m, a.order.Price.Decimal); err != nil {
					return nil, err
				}
			}
			attached[a.prefix+"TriggerPx"], attached[a.prefix+"OrdPx"], attached[a.prefix+"TriggerPxType"] = trigger, price, "last"
		}
		b["attachAlgoOrds"] = []any{attached}
	}
	if postOnly {
		pl.requested.PostOnly = &postOnly
	}
	if req.TriggerPrice.Valid || req.StopLossPrice.Valid || req.TakeProfitPrice.Valid || req.TrailingAmount.Valid || req.TrailingPercent.Valid {
		if err := algoBody(m, req, pl); err != nil {
			return nil, err
		}
	}
	return pl, addBody(b, extra)
}

// CreateOrder validates req against the market (a request the market's
// rules refuse is never sent) and places it: POST trade/order (see
// placement). OKX answers with the ids only: the result is the order as
// requested with its ordId, clOrdId and the time OKX acknowledged it, and
// no status (OKX's final word is the orders stream or FetchOrder).
//
// An order whose outcome is unknown (a timeout, 50004, a 5xx, a reply that
// cannot be read) is looked up once by its clOrdId; if OKX has it, it is
// returned with no error. Otherwise the error (naming the clOrdId) comes
// back with the order as requested, so that the caller can look it up
// later with FetchOrder and Params{"clientOrderId": id}. It is never sent
// again. A trigger, stop-loss or take-profit order is an algo order
// (POST trade/order-algo, see algo.go), looked up the same way by its
// algoClOrdId.
func (x *Exchange) CreateOrder(ctx context.Context, req unified.OrderRequest, opts ...exchange.Option) (*unified.Order, error) {
	pl, err := x.placement(ctx, req, exchange.Apply(opts).Params)
	if err != nil {
		return nil, err
	}
	x.Engine().NoteOrderSymbol(pl.market.Symbol)
	if pl.algo {
		return x.placeAlgo(ctx, pl)
	}
	items, err := post[itemResult](ctx, x, epPlace, pl.body)
	if err == nil {
		var it *itemResult
		if it, err = firstItem(items); err == nil {
			return acknowledged(pl, it)
		}
	}
	return x.placementFailed(ctx, pl, err)
}

// acknowledged is the order of an accepted placement.
func acknowledged(pl *placement, it *itemResult) (*unified.Order, error) {
	if it.OrdID == "" {
		return nil, errors.Newf(errors.BadResponse, "okx: an accepted order without ordId")
	}
	o := pl.requested
	o.ID = it.OrdID
	if it.ClOrdID != "" {
		o.ClientOrderID = it.ClOrdID
	}
	var ds decimals
	o.Timestamp = ds.time(it.Ts)
	return &o, nil
}

// placementFailed answers a placement that ended in err: a refusal as it
// is; an unknown outcome after one look-up by clOrdId (see CreateOrder).
func (x *Exchange) placementFailed(ctx context.Context, pl *placement, err error) (*unified.Order, error) {
	id := pl.requested.ClientOrderID
	lookup := func(ctx context.Context) (*unified.Order, bool) {
		o, err := x.fetchOrder(ctx, pl.market, "", id)
		return o, err == nil
	}
	return adapter.ResolveUnknown(ctx, err, outcomeUnknown, lookup, &pl.requested,
		"okx order with clOrdId "+id+" may have been placed")
}

// outcomeUnknown reports whether a request that failed with err may still
// have been executed: it left the client and was neither refused by OKX
// (an ExchangeError, a rate limit, a timestamp refusal, maintenance) nor
// answered. A timeout (50004 included, "does not indicate success or
// failure"), a 5xx and an unreadable reply are such failures.
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

// orderRef is the body fields naming one order: instId and ordId, or
// clOrdId when Params carry "clientOrderId" (then id may be empty).
func (x *Exchange) orderRef(ctx context.Context, method, id, symbol string, extra map[string]any) (*unified.Market, string, map[string]any, error) {
	clientID, extra, err := takeString(extra, "clientOrderId")
	if err != nil {
		return nil, "", nil, err
	}
	switch {
	case symbol == "":
		return nil, "", nil, &errors.Error{Kind: errors.ArgumentsRequired, Exchange: ID, Message: method + " needs a symbol"}
	case id == "" && clientID == "":
		return nil, "", nil, &errors.Error{Kind: errors.ArgumentsRequired, Exchange: ID,
			Message: method + " needs an order id or Params{\"clientOrderId\": id}"}
	}
	m, err := x.market(ctx, symbol)
	if err != nil {
		return nil, "", nil, err
	}
	if id != "" {
		clientID = ""
	}
	return m, clientID, extra, nil
}

// refBody is the body naming an order by ordId (which OKX prefers) or
// clOrdId.
func refBody(m *unified.Market, id, clientID string) map[string]any {
	b := map[string]any{"instId": m.ID}
	if id != "" {
		b["ordId"] = id
	} else {
		b["clOrdId"] = clientID
	}
	return b
}

// CancelOrder cancels an order of symbol (required): POST
// trade/cancel-order. Params{"clientOrderId": id} names it by clOrdId.
// OKX's acceptance means the cancel is under way: the result has the ids,
// the symbol and no status; the orders stream reports the end.
// Params{"trigger": true} cancels an algo order (POST trade/cancel-algos).
func (x *Exchange) CancelOrder(ctx context.Context, id, symbol string, opts ...exchange.Option) (*unified.Order, error) {
	ask, params, err := takeTrigger(exchange.Apply(opts).Params)
	if err != nil {
		return nil, err
	}
	if ask.algo {
		return x.cancelAlgo(ctx, id, symbol, params)
	}
	m, clientID, extra, err := x.orderRef(ctx, "CancelOrder", id, symbol, params)
	if err != nil {
		return nil, err
	}
	b := refBody(m, id, clientID)
	if err := addBody(b, extra); err != nil {
		return nil, err
	}
	items, err := post[itemResult](ctx, x, epCancel, b)
	if err != nil {
		return nil, err
	}
	it, err := firstItem(items)
	if err != nil {
		return nil, err
	}
	return &unified.Order{ID: it.OrdID, ClientOrderID: it.ClOrdID, Symbol: m.Symbol}, nil
}

// EditOrder amends an open order of req.Symbol: POST trade/amend-order
// with newSz (req.Amount, contracts on derivatives; OKX cancels the order
// when it is not above what filled) and newPx (req.Price, when given),
// both checked against the market first. Params{"clientOrderId": id}
// names the order by clOrdId (then id may be empty). The order's type,
// side and time in force cannot change (InvalidOrder is OKX's answer when
// they differ); only the size and price are read from req. The result is
// the order as GET trade/order reports it after the amendment.
// Params{"trigger": true} amends an algo order instead (POST
// trade/amend-algos, see amendAlgo).
func (x *Exchange) EditOrder(ctx context.Context, id string, req unified.OrderRequest, opts ...exchange.Option) (*unified.Order, error) {
	ask, params, err := takeTrigger(exchange.Apply(opts).Params)
	if err != nil {
		return nil, err
	}
	if ask.algo {
		return x.amendAlgo(ctx, id, req, params) // algo.go
	}
	m, b, err := x.amendment(ctx, id, req, params)
	if err != nil {
		return nil, err
	}
	items, err := post[itemResult](ctx, x, epAmend, b)
	if err != nil {
		return nil, err
	}
	it, err := firstItem(items)
	if err != nil {
		return nil, err
	}
	return x.fetchOrder(ctx, m, it.OrdID, it.ClOrdID)
}

// amendment builds the body of an amend-order (REST and WebSocket).
func (x *Exchange) amendment(ctx context.Context, id string, req unified.OrderRequest, extra map[string]any) (*unified.Market, map[string]any, error) {
	m, clientID, extra, err := x.orderRef(ctx, "EditOrder", id, req.Symbol, extra)
	if err != nil {
		return nil, nil, err
	}
	if req.TriggerPrice.Valid || req.StopLossPrice.Valid || req.TakeProfitPrice.Valid || req.TrailingAmount.Valid || req.TrailingPercent.Valid ||
		req.StopLoss != nil || req.TakeProfit != nil || req.Cost.Valid {
		return nil, nil, notSupported("okx: EditOrder changes the size and the price of an order; conditions and quote sizes cannot be amended (an algo order's with Params{\"trigger\": true})")
	}
	if !req.Amount.IsPositive() && !req.Price.Valid {
		return nil, nil, &errors.Error{Kind: errors.ArgumentsRequired, Exchange: ID, Message: "EditOrder needs a new amount or a new price"}
	}
	b := refBody(m, id, clientID)
	if req.Amount.IsPositive() {
		s, err := markets.AmountToPrecision(m, req.Amount)
		if err != nil {
			return nil, nil, err
		}
		if _, err := markets.ValidateOrder(m, markets.Order{Amount: req.Amount, IsMarket: true}); err != nil {
			return nil, nil, err
		}
		b["newSz"] = s
	}
	if req.Price.Valid {
		s, err := markets.PriceToPrecision(m, req.Price.Decimal)
		if err != nil {
			return nil, nil, err
		}
		b["newPx"] = s
	}
	return m, b, addBody(b, extra)
}

// FetchOrder returns an order of symbol (required): GET trade/order.
// Params{"clientOrderId": id} looks it up by clOrdId; Params{"trigger":
// true} looks up an algo order (GET trade/order-algo, by algoId or
// algoClOrdId).
func (x *Exchange) FetchOrder(ctx context.Context, id, symbol string, opts ...exchange.Option) (*unified.Order, error) {
	ask, params, err := takeTrigger(exchange.Apply(opts).Params)
	if err != nil {
		return nil, err
	}
	m, clientID, extra, err := x.orderRef(ctx, "FetchOrder", id, symbol, params)
	if err != nil {
		return nil, err
	}
	if len(extra) > 0 {
		return nil, errors.Newf(errors.BadRequest, "okx: FetchOrder takes no Params but clientOrderId, trigger and trailing")
	}
	if ask.algo {
		return x.fetchAlgo(ctx, m, id, clientID) // algo.go
	}
	return x.fetchOrder(ctx, m, id, clientID)
}

// fetchOrder queries one order by ordId or clOrdId.
func (x *Exchange) fetchOrder(ctx context.Context, m *unified.Market, id, clientID string) (*unified.Order, error) {
	return fetchOne(ctx, x, epOrder, m, [2]string{"ordId", "clOrdId"}, id, clientID, func(r *restOrder) (unified.Order, error) {
		return parseOrder(nil, m, r, x.Config().KeepInfo)
	})
}

// fetchOne queries one order of m from ep by id or else clientID, named
// by keys (the id's and the client id's field), and parses it.
func fetchOne[T any](ctx context.Context, x *Exchange, ep rest.Endpoint, m *unified.Market, keys [2]string, id, clientID string,
	parse func(*T) (unified.Order, error)) (*unified.Order, error) {
	var p rest.Params
	p.Add("instId", m.ID)
	if id != "" {
		p.Add(keys[0], id)
	} else {
		p.Add(keys[1], clientID)
	}
	list, err := get[T](ctx, x, ep, p)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, &errors.Error{Kind: errors.OrderNotFound, Exchange: ID, Message: "okx: no order with " + keys[0] + " " + strconv.Quote(id) + " / " + keys[1] + " " + strconv.Quote(clientID)}
	}
	o, err := parse(&list[0])
	if err != nil {
		return nil, err
	}
	return &o, nil
}

// listPages reads one list (orders, fills) from ep, paged back by id
// (newest first; after = an older id, which ids gives with each item's
// instId), until it ends or holds limit items (0: no limit), and parses
// each with parse. With m nil, an item of an instrument type not loaded is
// left out.
func listPages[T, U any](ctx context.Context, x *Exchange, ep rest.Endpoint, snap *markets.Snapshot, m *unified.Market, p rest.Params, limit int,
	ids func(*T) (instID, id string), parse func(*markets.Snapshot, *unified.Market, *T, bool) (U, error)) ([]U, error) {
	var out []U
	after := ""
	for {
		q := p
		q.Query = slices.Clone(p.Query)
		if after != "" {
			q.Add("after", after)
		}
		q.Add("limit", strconv.Itoa(pageSize))
		list, err := get[T](ctx, x, ep, q)
		if err != nil {
			return nil, err
		}
		for i := range list {
			if m == nil {
				instID, _ := ids(&list[i])
				if _, err := snap.MarketByID(instID, ""); err != nil {
					continue // an instrument of a type not loaded
				}
			}
			ord, err := parse(snap, m, &list[i], x.Config().KeepInfo)
			if err != nil {
				return nil, err
			}
			out = append(out, ord)
		}
		if len(list) < pageSize || (limit > 0 && len(out) >= limit) {
			return out, nil
		}
		_, after = ids(&list[len(list)-1])
	}
}

// FetchOpenOrders returns the open orders of symbol, or of every market
// when symbol is "": GET trade/orders-pending, paged back by ordId.
// Limit caps the number returned (newest first from OKX; returned oldest
// first). Params{"trigger": true} lists the algo orders waiting for their
// trigger instead: GET trade/orders-algo-pending for ordType trigger,
// then conditional and oco, then move_order_stop (Params{"ordType": ...}
// asks for one; Params{"trailing": true} for move_order_stop alone).
func (x *Exchange) FetchOpenOrders(ctx context.Context, symbol string, opts ...exchange.Option) ([]unified.Order, error) {
	o := exchange.Apply(opts)
	ask, params, err := takeTrigger(o.Params)
	if err != nil {
		return nil, err
	}
	if ask.algo {
		return x.algoOrders(ctx, epAlgoPending, symbol, nil, ask.trailing, o, params)
	}
	var p rest.Params
	var m *unified.Market
	if symbol != "" {
		var err error
		if m, err = x.market(ctx, symbol); err != nil {
			return nil, err
		}
		p.Add("instId", m.ID)
	}
	if err := p.AddExtra(o.Params); err != nil {
		return nil, err
	}
	return x.orderPages(ctx, epPending, m, p, o)
}

// FetchClosedOrders returns the filled and canceled orders of symbol, or
// of every instrument type loaded when symbol is "": GET
// trade/orders-history (the last 7 days; OKX keeps canceled orders that
// never filled for 2 hours), paged back by ordId. Since is begin (cTime),
// Limit caps the number returned. Params{"trigger": true} lists the algo
// orders that ended instead: GET trade/orders-algo-history for each
// ordType as FetchOpenOrders asks, each with state effective, then
// canceled.
func (x *Exchange) FetchClosedOrders(ctx context.Context, symbol string, opts ...exchange.Option) ([]unified.Order, error) {
	o := exchange.Apply(opts)
	ask, params, err := takeTrigger(o.Params)
	if err != nil {
		return nil, err
	}
	if ask.algo {
		return x.algoOrders(ctx, epAlgoHistory, symbol, []string{"effective", "canceled"}, ask.trailing, o, params)
	}
	types := x.opts.Types
	var m *unified.Market
	if symbol != "" {
		var err error
		if m, err = x.market(ctx, symbol); err != nil {
			return nil, err
		}
		types = []string{instType(m)}
	}
	var out []unified.Order
	for _, t := range types {
		var p rest.Params
		p.Add("instType", t)
		if m != nil {
			p.Add("instId", m.ID)
		}
		if ms := o.SinceMillis(); ms > 0 {
			p.Add("begin", strconv.FormatInt(ms, 10))
		}
		if err := p.AddExtra(o.Params); err != nil {
			return nil, err
		}
		os, err := x.orderPages(ctx, epHistory, m, p, o)
		if err != nil {
			return nil, err
		}
		out = append(out, os...)
	}
	sortOrders(out)
	return capNewest(out, o.Limit), nil
}

// FetchOrders returns the open and closed orders of symbol ("" for every
// market): FetchOpenOrders and FetchClosedOrders together, oldest first.
func (x *Exchange) FetchOrders(ctx context.Context, symbol string, opts ...exchange.Option) ([]unified.Order, error) {
	open, err := x.FetchOpenOrders(ctx, symbol, opts...)
	if err != nil {
		return nil, err
	}
	closed, err := x.FetchClosedOrders(ctx, symbol, opts...)
	if err != nil {
		return nil, err
	}
	o := exchange.Apply(opts)
	out := append(open, closed...)
	if !o.Since.IsZero() {
		out = slices.DeleteFunc(out, func(ord unified.Order) bool { return ord.Timestamp.Before(o.Since) })
	}
	sortOrders(out)
	return capNewest(out, o.Limit), nil
}

// orderPages reads a paged order list (newest first, after = an older
// ordId) until it ends or holds o.Limit orders, and returns them oldest
// first.
func (x *Exchange) orderPages(ctx context.Context, ep rest.Endpoint, m *unified.Market, p rest.Params, o exchange.CallOptions) ([]unified.Order, error) {
	snap, err := x.Markets(ctx)
	if err != nil {
		return nil, err
	}
	out, err := listPages(ctx, x, ep, snap, m, p, o.Limit, func(r *restOrder) (string, string) { return r.InstID, r.OrdID }, parseOrder)
	if err != nil {
		return nil, err
	}
	sortOrders(out)
	return capNewest(out, o.Limit), nil
}

// sortOrders orders os oldest first (by creation time, then id).
func sortOrders(os []unified.Order) {
	slices.SortStableFunc(os, func(a, b unified.Order) int {
		if c := a.Timestamp.Compare(b.Timestamp); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}

// capNewest keeps the newest limit items of a list sorted oldest first.
func capNewest[T any](items []T, limit int) []T {
	if limit > 0 && len(items) > limit {
		return items[len(items)-limit:]
	}
	return items
}

// FetchMyTrades returns the account's fills of symbol ("" for every
// market) from the last 3 days: GET trade/fills, paged back by billId.
// Since is begin, Limit caps the number returned; oldest first.
func (x *Exchange) FetchMyTrades(ctx context.Context, symbol string, opts ...exchange.Option) ([]unified.Trade, error) {
	o := exchange.Apply(opts)
	snap, err := x.Markets(ctx)
	if err != nil {
		return nil, err
	}
	var p rest.Params
	var m *unified.Market
	if symbol != "" {
		if m, err = snap.Market(symbol); err != nil {
			return nil, err
		}
		p.Add("instType", instType(m))
		p.Add("instId", m.ID)
	}
	if ms := o.SinceMillis(); ms > 0 {
		p.Add("begin", strconv.FormatInt(ms, 10))
	}
	if err := p.AddExtra(o.Params); err != nil {
		return nil, err
	}
	out, err := listPages(ctx, x, epFills, snap, m, p, o.Limit, func(r *restFill) (string, string) { return r.InstID, r.BillID }, parseFill)
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(out, func(a, b unified.Trade) int {
		if c := a.Timestamp.Compare(b.Timestamp); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return capNewest(out, o.Limit), nil
}

// maxPositionIDs is how many instIds one positions request may name.
const maxPositionIDs = 10

// FetchPositions returns the open positions (non-zero pos) of symbols,
// or of every market when symbols is nil: GET account/positions. A spot
// symbol names its margin position (instType MARGIN, on the spot
// market's instId; see parsePosition); a spot market without margin
// trading is BadSymbol.
func (x *Exchange) FetchPositions(ctx context.Context, symbols []string, opts ...exchange.Option) ([]unified.Position, error) {
	o := exchange.Apply(opts)
	snap, err := x.Markets(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(symbols))
	for _, s := range symbols {
		m, err := snap.Market(s)
		if err != nil {
			return nil, err
		}
		if !m.Contract && !m.Margin {
			return nil, &errors.Error{Kind: errors.BadSymbol, Exchange: ID, Message: s + " is neither a contract nor a margin market"}
		}
		ids = append(ids, m.ID)
	}
	var out []unified.Position
	for start := 0; start == 0 || start < len(ids); start += maxPositionIDs {
		var p rest.Params
		if len(ids) > 0 {
			p.Add("instId", strings.Join(ids[start:min(start+maxPositionIDs, len(ids))], ","))
		}
		if err := p.AddExtra(o.Params); err != nil {
			return nil, err
		}
		list, err := get[restPosition](ctx, x, epPositions, p)
		if err != nil {
			return nil, err
		}
		for i := range list {
			if _, err := snap.MarketByID(list[i].InstID, ""); err != nil {
				continue // an instrument of a type not loaded
			}
			pos, open, err := parsePosition(snap, &list[i], x.Config().KeepInfo)
			if err != nil {
				return nil, err
			}
			if open {
				out = append(out, pos)
			}
		}
		if len(ids) == 0 {
			break
		}
	}
	return out, nil
}

// SetLeverage sets the leverage of a contract or of a spot market's
// margin trading: POST account/set-leverage with mgnMode cross, or
// Params{"marginMode": "isolated"} (then OKX may also want
// Params{"posSide": "long"} for a contract in hedge mode). The leverage
// is set per instrument (instId), as OKX does for isolated margin and,
// in spot-and-futures mode, for cross margin; cross margin in spot mode
// (with borrowing) and the multi-currency and portfolio margin modes set
// it per currency: Params{"ccy": "BTC"} sends that currency instead of
// the instId (cross margin on a spot market only). A spot market without
// margin trading is BadSymbol.
func (x *Exchange) SetLeverage(ctx context.Context, leverage decimal.Decimal, symbol string, opts ...exchange.Option) error {
	mode, extra, err := takeString(exchange.Apply(opts).Params, "marginMode")
	if err != nil {
		return err
	}
	ccy, extra, err := takeString(extra, "ccy")
	if err != nil {
		return err
	}
	if mode == "" {
		mode = string(unified.MarginModeCross)
	}
	if !unified.MarginMode(mode).Valid() {
		return errors.Newf(errors.BadRequest, "okx: marginMode "+strconv.Quote(mode)+" is not cross or isolated")
	}
	if !leverage.IsPositive() {
		return errors.Newf(errors.BadRequest, "okx: leverage "+leverage.String()+" is not positive")
	}
	m, err := x.market(ctx, symbol)
	if err != nil {
		return err
	}
	b := map[string]any{"instId": m.ID, "lever": leverage.String(), "mgnMode": mode}
	switch {
	case !m.Contract && !m.Margin:
		return &errors.Error{Kind: errors.BadSymbol, Exchange: ID, Message: symbol + " is neither a contract nor a margin market"}
	case ccy != "" && (m.Contract || mode != string(unified.MarginModeCross)):
		return errors.Newf(errors.BadRequest, "okx: a currency's leverage (Params ccy) is for cross margin on spot markets")
	case ccy != "":
		delete(b, "instId")
		b["ccy"] = ccy
	}
	if err := addBody(b, extra); err != nil {
		return err
	}
	_, err = post[json.RawMessage](ctx, x, epSetLeverage, b)
	return err
}

// takeString removes key from params (a copy) and reads it as a string.
func takeString(params map[string]any, key string) (string, map[string]any, error) {
	v, ok := params[key]
	if !ok {
		return "", params, nil
	}
	s, isString := v.(string)
	if !isString {
		return "", nil, errors.Newf(errors.BadRequest, "okx: Params "+strconv.Quote(key)+" must be a string")
	}
	out := make(map[string]any, len(params))
	for k, v := range params {
		if k != key {
			out[k] = v
		}
	}
	return s, out, nil
}

// addBody adds extra to a request body; a key the body has is refused.
func addBody(b map[string]any, extra map[string]any) error {
	for k, v := range extra {
		if _, taken := b[k]; taken {
			return errors.Newf(errors.BadRequest, "okx: Params "+strconv.Quote(k)+" is set by the unified arguments")
		}
		b[k] = v
	}
	return nil
}
