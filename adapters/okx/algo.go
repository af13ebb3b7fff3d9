package okx

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/adapter"
	"github.com/unifex-go/unifex/internal/engine"
	"github.com/unifex-go/unifex/internal/rest"
	"github.com/unifex-go/unifex/markets"
	"github.com/unifex-go/unifex/unified"
)

// Standalone trigger, stop-loss, take-profit, one-cancels-the-other and
// trailing stop orders are OKX algo orders: placed with POST
// trade/order-algo (ordType trigger for TriggerPrice; conditional, one
// side, for StopLossPrice or TakeProfitPrice; oco for both; move_order_stop
// for TrailingAmount or TrailingPercent), amended with POST
// trade/amend-algos (not a trailing stop: the docs exclude
// move_order_stop), canceled with POST trade/cancel-algos, looked up with
// GET trade/order-algo and listed with GET trade/orders-algo-pending and
// orders-algo-history. Their changes come on the business WebSocket:
// trigger, conditional and oco orders on orders-algo, trailing stops on
// algo-advance (the docs list move_order_stop there only). An algo order
// has its own id (algoId) and client id (algoClOrdId, the same rule as
// clOrdId); once triggered it places an ordinary order with ids of its
// own. The unified methods that take an id (CancelOrder, FetchOrder,
// EditOrder) and FetchOpenOrders, FetchClosedOrders reach the algo
// endpoints only when asked with Params{"trigger": true}, as CCXT's do;
// Params{"trailing": true} (CCXT's too) does the same and lists trailing
// stops only.

// The algo endpoints, under "v5".
var (
	epPlaceAlgo   = rest.Endpoint{API: "v5", Method: "POST", Path: "/trade/order-algo", Signed: true}
	epAmendAlgos  = rest.Endpoint{API: "v5", Method: "POST", Path: "/trade/amend-algos", Signed: true}
	epAlgo        = rest.Endpoint{API: "v5", Path: "/trade/order-algo", Signed: true}
	epCancelAlgos = rest.Endpoint{API: "v5", Method: "POST", Path: "/trade/cancel-algos", Signed: true}
	epAlgoPending = rest.Endpoint{API: "v5", Path: "/trade/orders-algo-pending", Signed: true}
	epAlgoHistory = rest.Endpoint{API: "v5", Path: "/trade/orders-algo-history", Signed: true}
)

// triggerParam is the Params key that sends CancelOrder, FetchOrder,
// EditOrder, FetchOpenOrders and FetchClosedOrders to the algo endpoints;
// trailingParam does too, and has the lists ask for trailing stops only.
const (
	triggerParam  = "trigger"
	trailingParam = "trailing"
)

// trailingType is the ordType of a trailing stop.
const trailingType = "move_order_stop"

// algoTypes are the algo ordTypes the unified orders are: the lists ask
// for each in turn unless Params{"ordType": ...} names one (conditional
// and oco go together, the one pair the lists take in one request).
var algoTypes = []string{"trigger", "conditional,oco", trailingType}

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
	CallbackRatio   string `json:"callbackRatio"`  // a trailing stop's distance as a ratio (0.05 is 5 %)
	CallbackSpread  string `json:"callbackSpread"` // or as a price distance
	ActivePx        string `json:"activePx"`       // the price that starts it trailing
	MoveTriggerPx   string `json:"moveTriggerPx"`  // its trigger price, once trailing
}

// parseAlgoOrder makes the unified order of an algo order on market m
// (nil: looked up by instId in snap). The id is algoId, the client id
// algoClOrdId; a trigger order's TriggerPrice is triggerPx, a
// conditional's StopLossPrice or TakeProfitPrice its side's trigger (an
// oco has both), a trailing stop's TriggerPrice its moveTriggerPx (the
// trigger OKX has computed, once it trails). The price is the order's
// price when it places a limit order (ordPx, slOrdPx or else tpOrdPx
// positive; -1 is a market order). Filled and the average stay unknown:
// they belong to the order placed, which has its own id. unified.Order
// has no trailing fields: callbackRatio, callbackSpread and activePx are
// in Info only.
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
	if r.OrdType == trailingType {
		o.TriggerPrice = ds.positive(r.MoveTriggerPx)
	}
	if o.LastUpdateTimestamp.IsZero() {
		o.LastUpdateTimestamp = o.Timestamp
	}
	price := r.OrdPx
	switch {
	case o.StopLossPrice.Valid && (!o.TakeProfitPrice.Valid || ds.positive(r.SlOrdPx).Valid):
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
// of POST trade/order-algo for req, with last-price triggers and clOrdId
// become algoClOrdId:
//
//   - TriggerPrice: ordType trigger, triggerPx and orderPx (the limit
//     price, or -1 for a market order); the one kind that may carry
//     attached stop-loss and take-profit orders;
//   - StopLossPrice or TakeProfitPrice: ordType conditional with that
//     side's slTriggerPx/slOrdPx or tpTriggerPx/tpOrdPx (the price or -1);
//   - both: ordType oco (a conditional with both sides runs the stop loss
//     only, say the docs), each side placing a market order;
//   - TrailingAmount: ordType move_order_stop with callbackSpread;
//     TrailingPercent: with callbackRatio, the percentage over 100 (OKX
//     takes a ratio: 0.05 is 5 %); TrailingTriggerPrice is activePx. It
//     places a market order.
//
// An algo order's own order is limit or market only.
func algoBody(m *unified.Market, req unified.OrderRequest, pl *placement) error {
	b := pl.body
	trailing := req.TrailingAmount.Valid || req.TrailingPercent.Valid
	pair := req.StopLossPrice.Valid && req.TakeProfitPrice.Valid
	switch { // req.Validate refuses other mixtures
	case b["ordType"] != "market" && b["ordType"] != "limit":
		return notSupported("okx: an algo order places a limit (GTC) or market order; no post-only, IOC or FOK")
	case !req.TriggerPrice.Valid && b["attachAlgoOrds"] != nil:
		return notSupported("okx: a stop-loss, take-profit or trailing order carries no attached orders; a trigger order may")
	case (trailing || pair) && b["ordType"] != "market":
		return notSupported("okx: a trailing stop or a one-cancels-the-other pair places market orders; no limit price")
	}
	price := "-1"
	if px, ok := b["px"].(string); ok {
		price = px
	}
	delete(b, "px")
	precise := func(d decimal.NullDecimal) (string, error) { return markets.PriceToPrecision(m, d.Decimal) }
	sides := []struct {
		prefix  string
		trigger decimal.NullDecimal
		set     *decimal.NullDecimal
	}{{"sl", req.StopLossPrice, &pl.requested.StopLossPrice}, {"tp", req.TakeProfitPrice, &pl.requested.TakeProfitPrice}}
	switch {
	case req.TriggerPrice.Valid:
		px, err := precise(req.TriggerPrice)
		if err != nil {
			return err
		}
		b["ordType"], b["triggerPx"], b["orderPx"], b["triggerPxType"] = "trigger", px, price, "last"
		pl.requested.TriggerPrice = req.TriggerPrice
	case trailing:
		b["ordType"] = trailingType
		if req.TrailingAmount.Valid {
			spread, err := precise(req.TrailingAmount)
			if err != nil {
				return err
			}
			b["callbackSpread"] = spread
		} else {
			b["callbackRatio"] = req.TrailingPercent.Decimal.Shift(-2).String()
		}
		if req.TrailingTriggerPrice.Valid {
			px, err := precise(req.TrailingTriggerPrice)
			if err != nil {
				return err
			}
			b["activePx"] = px
		}
	default:
		b["ordType"] = "conditional"
		if pair {
			b["ordType"] = "oco"
		}
		for _, side := range sides {
			if !side.trigger.Valid {
				continue
			}
			px, err := precise(side.trigger)
			if err != nil {
				return err
			}
			b[side.prefix+"TriggerPx"], b[side.prefix+"OrdPx"], b[side.prefix+"TriggerPxType"] = px, price, "last"
			*side.set = side.trigger
		}
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
	id := pl.requested.ClientOrderID
	lookup := func(ctx context.Context) (*unified.Order, bool) {
		o, err := x.fetchAlgo(ctx, pl.market, "", id)
		return o, err == nil
	}
	return adapter.ResolveUnknown(ctx, err, outcomeUnknown, lookup, &pl.requested,
		"okx algo order with algoClOrdId "+id+" may have been placed")
}

// algoAsk is what Params{"trigger": true} or {"trailing": true} asked.
type algoAsk struct {
	algo     bool // the algo endpoints
	trailing bool // trailing stops only (the lists)
}

// takeTrigger removes Params "trigger" and "trailing" from params (a
// copy) and reports what they asked.
func takeTrigger(params map[string]any) (algoAsk, map[string]any, error) {
	var ask algoAsk
	out := params
	for _, key := range []string{triggerParam, trailingParam} {
		v, ok := params[key]
		if !ok {
			continue
		}
		on, isBool := v.(bool)
		if !isBool {
			return algoAsk{}, nil, errors.Newf(errors.BadRequest, "okx: Params "+strconv.Quote(key)+" must be a bool")
		}
		ask.algo = ask.algo || on
		ask.trailing = ask.trailing || (on && key == trailingParam)
		if len(out) == len(params) {
			out = maps.Clone(params)
		}
		delete(out, key)
	}
	return ask, out, nil
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

// amendAlgo answers EditOrder with Params{"trigger": true}: POST
// trade/amend-algos for the algo order id (or Params "clientOrderId", its
// algoClOrdId) of req.Symbol, with what req sets, each checked against
// the market:
//
//   - Amount: newSz;
//   - TriggerPrice: a trigger order's newTriggerPx with newOrdPx (the
//     docs require both: req.Price, or -1 for a market order);
//   - StopLossPrice, TakeProfitPrice: a conditional or oco order's side,
//     newSlTriggerPx with newSlOrdPx (req.Price, or -1) or the same for
//     tp; both sides (an oco) take market prices only.
//
// A trailing stop cannot be amended (the docs exclude move_order_stop),
// nor a price without its trigger, nor attached orders: NotSupported.
// The result is the order as GET trade/order-algo reports it after.
func (x *Exchange) amendAlgo(ctx context.Context, id string, req unified.OrderRequest, extra map[string]any) (*unified.Order, error) {
	m, clientID, extra, err := x.orderRef(ctx, "EditOrder", id, req.Symbol, extra)
	if err != nil {
		return nil, err
	}
	triggers := 0
	for _, set := range []bool{req.TriggerPrice.Valid, req.StopLossPrice.Valid, req.TakeProfitPrice.Valid} {
		if set {
			triggers++
		}
	}
	switch {
	case req.TrailingAmount.Valid || req.TrailingPercent.Valid:
		return nil, notSupported("okx: amend-algos does not amend trailing stops (move_order_stop); cancel and place it again")
	case req.StopLoss != nil || req.TakeProfit != nil || req.Cost.Valid:
		return nil, notSupported("okx: an algo order's attached orders and quote size are not amended")
	case req.Price.Valid && triggers == 0:
		return nil, notSupported("okx: amend-algos changes an order price with its trigger price only")
	case req.Price.Valid && triggers > 1:
		return nil, notSupported("okx: a one-cancels-the-other pair's sides place market orders; no limit price")
	case !req.Amount.IsPositive() && triggers == 0:
		return nil, &errors.Error{Kind: errors.ArgumentsRequired, Exchange: ID, Message: "EditOrder needs a new amount or a new trigger price"}
	}
	b := map[string]any{"instId": m.ID}
	if id != "" {
		b["algoId"] = id
	} else {
		b["algoClOrdId"] = clientID
	}
	if req.Amount.IsPositive() {
		s, err := markets.AmountToPrecision(m, req.Amount)
		if err != nil {
			return nil, err
		}
		b["newSz"] = s
	}
	price := "-1"
	if req.Price.Valid {
		if price, err = markets.PriceToPrecision(m, req.Price.Decimal); err != nil {
			return nil, err
		}
	}
	for _, side := range []struct {
		trigger              decimal.NullDecimal
		triggerKey, priceKey string
	}{
		{req.TriggerPrice, "newTriggerPx", "newOrdPx"},
		{req.StopLossPrice, "newSlTriggerPx", "newSlOrdPx"},
		{req.TakeProfitPrice, "newTpTriggerPx", "newTpOrdPx"},
	} {
		if !side.trigger.Valid {
			continue
		}
		px, err := markets.PriceToPrecision(m, side.trigger.Decimal)
		if err != nil {
			return nil, err
		}
		b[side.triggerKey], b[side.priceKey], b[side.triggerKey+"Type"] = px, price, "last"
	}
	if err := addBody(b, extra); err != nil {
		return nil, err
	}
	items, err := post[algoResult](ctx, x, epAmendAlgos, b)
	if err != nil {
		return nil, err
	}
	it, err := firstAlgo(items)
	if err != nil {
		return nil, err
	}
	return x.fetchAlgo(ctx, m, it.AlgoID, it.AlgoClOrdID)
}

// fetchAlgo queries one algo order of m by algoId or algoClOrdId: GET
// trade/order-algo.
func (x *Exchange) fetchAlgo(ctx context.Context, m *unified.Market, id, clientID string) (*unified.Order, error) {
	return fetchOne(ctx, x, epAlgo, m, [2]string{"algoId", "algoClOrdId"}, id, clientID, func(r *restAlgoOrder) (unified.Order, error) {
		return parseAlgoOrder(nil, m, r, x.Config().KeepInfo)
	})
}

// algoOrders lists algo orders of symbol ("" for every market) from ep,
// one ordType after another (algoTypes; move_order_stop alone for
// trailing; or Params "ordType"), each with every value of states (nil:
// no state parameter), paged back by algoId.
func (x *Exchange) algoOrders(ctx context.Context, ep rest.Endpoint, symbol string, states []string, trailing bool, o exchange.CallOptions, extra map[string]any) ([]unified.Order, error) {
	snap, err := x.Markets(ctx)
	if err != nil {
		return nil, err
	}
	types := algoTypes
	if trailing {
		types = []string{trailingType}
	}
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
			os, err := listPages(ctx, x, ep, snap, m, p, o.Limit, func(r *restAlgoOrder) (string, string) { return r.InstID, r.AlgoID }, parseAlgoOrder)
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

// algoParams sends a list to the algo endpoints.
var algoParams = exchange.Params(map[string]any{triggerParam: true})

// onAlgoOrders publishes an orders-algo or algo-advance push into the
// orders topic.
func (x *Exchange) onAlgoOrders(data []byte, d *engine.Dispatch) error {
	var list []restAlgoOrder
	if err := json.Unmarshal(data, &list); err != nil {
		return errors.Wrap(errors.BadResponse, err, "okx: malformed algo orders push")
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
