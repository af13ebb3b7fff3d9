package binance

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/internal/adapter"
	"github.com/unifex-go/unifex/internal/engine"
	"github.com/unifex-go/unifex/internal/rest"
	"github.com/unifex-go/unifex/internal/watch"
	"github.com/unifex-go/unifex/unified"
)

// Futures conditional orders (trailing stops, TRAILING_STOP_MARKET with
// callbackRate and activatePrice, among them) live on Binance's Algo
// Service: since
// 2025-12-09 (USDⓈ-M; COIN-M after its migration) POST order refuses the
// types STOP, STOP_MARKET, TAKE_PROFIT, TAKE_PROFIT_MARKET and
// TRAILING_STOP_MARKET with -4120. They are placed with POST algoOrder
// (algoType CONDITIONAL, triggerPrice, clientAlgoId), canceled with DELETE
// algoOrder, looked up with GET algoOrder (USDⓈ-M only: the COIN-M notice
// lists no query) and listed with GET openAlgoOrders; their changes come on
// the account's stream as ALGO_UPDATE. An algo order has its own id, the
// algoId, from a sequence of its own: the same number can name an algo
// order and an ordinary order, so the unified methods that take an id
// (CancelOrder, FetchOrder) and FetchOpenOrders reach the Algo Service
// only when asked with Params{"trigger": true}, as CCXT's do. Once
// triggered, an algo order places an ordinary order (actualOrderId), which
// has its own id and events.

// algoAPI is one product's Algo Service endpoints; a zero Endpoint is one
// the product does not document.
type algoAPI struct{ place, cancel, query, open rest.Endpoint }

var algoAPIs = map[kind]*algoAPI{
	usdm:  {place: fapiPostAlgoOrder, cancel: fapiDeleteAlgoOrder, query: fapiGetAlgoOrder, open: fapiGetOpenAlgoOrders},
	coinm: {place: dapiPostAlgoOrder, cancel: dapiDeleteAlgoOrder, open: dapiGetOpenAlgoOrders},
}

// triggerParam is the Params key that sends CancelOrder, FetchOrder and
// FetchOpenOrders to the Algo Service.
const triggerParam = "trigger"

// algoStatuses maps the Algo Service's statuses (Event: Algo Order
// Update): NEW waits for its trigger; TRIGGERING and TRIGGERED are on
// their way to or in the matching engine, still working; FINISHED is done
// in the matching engine (filled, or canceled there: see parseAlgoOrder);
// REJECTED was refused by the matching engine (a failed margin check);
// EXPIRED was canceled by the system.
var algoStatuses = map[string]unified.OrderStatus{
	"NEW":        unified.StatusOpen,
	"TRIGGERING": unified.StatusOpen,
	"TRIGGERED":  unified.StatusOpen,
	"FINISHED":   unified.StatusClosed,
	"CANCELED":   unified.StatusCanceled,
	"REJECTED":   unified.StatusRejected,
	"EXPIRED":    unified.StatusExpired,
}

// restAlgoOrder is a conditional order as the Algo Service's REST
// endpoints return it (New Algo Order, Query Algo Order, Current All Algo
// Open Orders), and as the adapter reads an ALGO_UPDATE.
type restAlgoOrder struct {
	AlgoID        idText  `json:"algoId"`
	ClientAlgoID  string  `json:"clientAlgoId"`
	AlgoType      string  `json:"algoType"`
	OrderType     string  `json:"orderType"`
	Symbol        string  `json:"symbol"`
	Side          string  `json:"side"`
	TimeInForce   string  `json:"timeInForce"`
	Quantity      string  `json:"quantity"`
	AlgoStatus    string  `json:"algoStatus"`
	ActualOrderID idText  `json:"actualOrderId"` // the ordinary order placed once triggered
	ActualPrice   string  `json:"actualPrice"`   // its average fill price
	TriggerPrice  string  `json:"triggerPrice"`
	Price         string  `json:"price"`
	ReduceOnly    *bool   `json:"reduceOnly"`
	ActivatePrice string  `json:"activatePrice"` // a trailing stop's (TRAILING_STOP_MARKET), kept in Info
	CallbackRate  string  `json:"callbackRate"`  // its distance in percent, kept in Info
	CreateTime    flexInt `json:"createTime"`
	UpdateTime    flexInt `json:"updateTime"`
	// ExecutedQty is the ordinary order's filled amount, which only the
	// ALGO_UPDATE event carries ("aq"); the REST replies have none.
	ExecutedQty string `json:"-"`
}

// parseAlgoOrder turns a conditional order of product k on m into a
// unified order: the algo id is the id, the client algo id the client
// order id, the type the order type that runs once triggered (STOP and
// TAKE_PROFIT limit, the _MARKET ones market), the trigger price
// TriggerPrice, the price only when positive (a market order has "0" or
// none). unified.Order has no trailing fields: a trailing stop's
// activatePrice and callbackRate are in Info only. A FINISHED order is closed, unless the event says nothing was
// filled: then it was canceled in the matching engine.
func parseAlgoOrder(k kind, m *unified.Market, r *restAlgoOrder, keepInfo bool) (unified.Order, error) {
	var ds decimals
	side, ok := unifiedSide(r.Side)
	status, known := algoStatuses[r.AlgoStatus]
	if !ok || r.AlgoID == "" || !known {
		return unified.Order{}, errors.Newf(errors.BadResponse,
			"an algo order without an algo id, a side or a known status (algo order "+strconv.Quote(string(r.AlgoID))+", status "+strconv.Quote(r.AlgoStatus)+")")
	}
	typ, _ := unifiedType(k, r.OrderType)
	o := unified.Order{
		ID: string(r.AlgoID), ClientOrderID: r.ClientAlgoID, Symbol: m.Symbol, Type: typ, Side: side,
		TimeInForce: unifiedTIF(r.TimeInForce), Status: status, ReduceOnly: r.ReduceOnly,
		Price: ds.positive(r.Price), Amount: ds.parse(r.Quantity), TriggerPrice: ds.positive(r.TriggerPrice),
		Average: ds.positive(r.ActualPrice), Filled: ds.parse(r.ExecutedQty),
	}
	if o.TimeInForce == unified.TIFPO {
		o.PostOnly = &[]bool{true}[0]
	}
	if r.AlgoStatus == "FINISHED" && o.Filled.Valid && o.Filled.Decimal.IsZero() {
		o.Status = unified.StatusCanceled
	}
	o.Timestamp = firstTime(r.CreateTime, r.UpdateTime)
	o.LastUpdateTimestamp = firstTime(r.UpdateTime, r.CreateTime)
	if ds.err != nil {
		return unified.Order{}, errors.Wrap(errors.BadResponse, ds.err, "algo order "+o.ID)
	}
	o.Complete(m)
	if keepInfo {
		o.Info = *r
	}
	return o, nil
}

// algo is the product's Algo Service, nil on spot.
func (x *Exchange) algo() *algoAPI { return algoAPIs[x.p.kind] }

// placeAlgo sends a conditional order built by placement (pl.algo) to
// POST algoOrder. An unknown outcome is looked up once by the client algo
// id, as CreateOrder does for ordinary orders.
func (x *Exchange) placeAlgo(ctx context.Context, pl *placement) (*unified.Order, error) {
	var raw restAlgoOrder
	err := x.REST().DoJSON(ctx, x.algo().place, pl.params, &raw)
	if err == nil {
		var o unified.Order
		if o, err = parseAlgoOrder(x.p.kind, pl.market, &raw, x.Config().KeepInfo); err == nil {
			x.account.noteAlgo(&o)
			return &o, nil
		}
	}
	id := pl.requested.ClientOrderID
	lookup := func(ctx context.Context) (*unified.Order, bool) {
		o, err := x.fetchAlgo(ctx, pl.market, "", id)
		if err != nil {
			return nil, false
		}
		x.account.noteAlgo(o)
		return o, true
	}
	return adapter.ResolveUnknown(ctx, err, outcomeUnknown, lookup, &pl.requested,
		"binance conditional order with client algo id "+id+" may have been placed")
}

// algoRef is the parameters naming one conditional order: algoId, or
// clientAlgoId when Params carry "clientOrderId". The docs' requests take
// no symbol; symbol (required, as for ordinary orders) names the market
// the reply is read against.
func (x *Exchange) algoRef(ctx context.Context, method, id, symbol string, extra map[string]any) (*unified.Market, rest.Params, error) {
	if x.algo() == nil {
		return nil, rest.Params{}, x.notSupported("spot has no Algo Service orders (Params \"trigger\")")
	}
	clientID, extra, err := takeString(extra, "clientOrderId")
	if err != nil {
		return nil, rest.Params{}, err
	}
	switch {
	case symbol == "":
		return nil, rest.Params{}, &errors.Error{Kind: errors.ArgumentsRequired, Exchange: x.p.id, Message: method + " needs a symbol"}
	case id == "" && clientID == "":
		return nil, rest.Params{}, &errors.Error{Kind: errors.ArgumentsRequired, Exchange: x.p.id,
			Message: method + " needs an algo id or Params{\"clientOrderId\": client algo id}"}
	}
	m, err := x.market(ctx, symbol)
	if err != nil {
		return nil, rest.Params{}, err
	}
	var p rest.Params
	if id != "" {
		p.Add("algoId", id)
	}
	if clientID != "" {
		p.Add("clientAlgoId", clientID)
	}
	return m, p, p.AddExtra(extra, "timestamp", "signature")
}

// cancelAlgo cancels a conditional order. The reply names the order and
// says it succeeded (code "200"); the result is the order as canceled:
// its ids, symbol and status.
func (x *Exchange) cancelAlgo(ctx context.Context, id, symbol string, extra map[string]any) (*unified.Order, error) {
	m, p, err := x.algoRef(ctx, "CancelOrder", id, symbol, extra)
	if err != nil {
		return nil, err
	}
	var raw struct {
		AlgoID       idText          `json:"algoId"`
		ClientAlgoID string          `json:"clientAlgoId"`
		Code         json.RawMessage `json:"code"`
		Msg          string          `json:"msg"`
	}
	if err := x.REST().DoJSON(ctx, x.algo().cancel, p, &raw); err != nil {
		return nil, err
	}
	if code := string(raw.Code); code != `"200"` && code != "200" || raw.AlgoID == "" {
		return nil, errors.Newf(errors.BadResponse, "a cancel algo order reply that is not a success: code "+code+", "+strconv.Quote(raw.Msg))
	}
	o := unified.Order{ID: string(raw.AlgoID), ClientOrderID: raw.ClientAlgoID, Symbol: m.Symbol, Status: unified.StatusCanceled}
	if x.Config().KeepInfo {
		o.Info = raw
	}
	return &o, nil
}

// fetchAlgoOrder answers FetchOrder with Params{"trigger": true}.
func (x *Exchange) fetchAlgoOrder(ctx context.Context, id, symbol string, extra map[string]any) (*unified.Order, error) {
	m, p, err := x.algoRef(ctx, "FetchOrder", id, symbol, extra)
	if err != nil {
		return nil, err
	}
	if x.algo().query.Path == "" {
		return x.openAlgo(ctx, m, id, p)
	}
	return x.algoCall(ctx, m, p)
}

// fetchAlgo looks a conditional order of m up by algo id or client algo
// id (one of them empty).
func (x *Exchange) fetchAlgo(ctx context.Context, m *unified.Market, id, clientID string) (*unified.Order, error) {
	var p rest.Params
	if id != "" {
		p.Add("algoId", id)
	}
	if clientID != "" {
		p.Add("clientAlgoId", clientID)
	}
	if x.algo().query.Path == "" {
		return x.openAlgo(ctx, m, id, p)
	}
	return x.algoCall(ctx, m, p)
}

// algoCall sends GET algoOrder.
func (x *Exchange) algoCall(ctx context.Context, m *unified.Market, p rest.Params) (*unified.Order, error) {
	var raw restAlgoOrder
	if err := x.REST().DoJSON(ctx, x.algo().query, p, &raw); err != nil {
		return nil, err
	}
	o, err := parseAlgoOrder(x.p.kind, m, &raw, x.Config().KeepInfo)
	if err != nil {
		return nil, err
	}
	return &o, nil
}

// openAlgo finds a conditional order among m's open ones: COIN-M, whose
// notice documents no query of one algo order, can only see an order
// that is still open. ref's algoId or clientAlgoId names it.
func (x *Exchange) openAlgo(ctx context.Context, m *unified.Market, id string, ref rest.Params) (*unified.Order, error) {
	clientID, _ := ref.Get("clientAlgoId")
	open, err := x.openAlgoOrders(ctx, m, symbolParam(m))
	if err != nil {
		return nil, err
	}
	for i := range open {
		if id != "" && open[i].ID == id || id == "" && open[i].ClientOrderID == clientID {
			return &open[i], nil
		}
	}
	return nil, &errors.Error{Kind: errors.OrderNotFound, Exchange: x.p.id,
		Message: "no open conditional order " + strconv.Quote(id+clientID) + " on " + m.Symbol + " (COIN-M documents no query of a closed one)"}
}

// openAlgoOrders sends GET openAlgoOrders; known is the market asked for,
// nil for every market.
func (x *Exchange) openAlgoOrders(ctx context.Context, known *unified.Market, p rest.Params) ([]unified.Order, error) {
	if x.algo() == nil {
		return nil, x.notSupported("spot has no Algo Service orders (Params \"trigger\")")
	}
	var raw []restAlgoOrder
	if err := x.REST().DoJSON(ctx, x.algo().open, p, &raw); err != nil {
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
		o, err := parseAlgoOrder(x.p.kind, m, &raw[i], x.Config().KeepInfo)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

// algoUpdate is the ALGO_UPDATE event. The docs label T "Event Time" and
// E "Transaction Time", the reverse of every other futures event; the
// adapter reads them as the others (E the event, T the change).
type algoUpdate struct {
	Event     string  `json:"e"`
	EventTime flexInt `json:"E"`
	TxTime    flexInt `json:"T"`
	O         struct {
		ClientAlgoID string  `json:"caid"`
		AlgoID       idText  `json:"aid"`
		AlgoType     string  `json:"at"`
		OrderType    string  `json:"o"`
		Symbol       string  `json:"s"`
		Side         string  `json:"S"`
		PositionSide string  `json:"ps"`
		TimeInForce  string  `json:"f"`
		Quantity     string  `json:"q"`
		Status       string  `json:"X"`
		ActualID     idText  `json:"ai"`
		AvgPrice     string  `json:"ap"`
		ExecutedQty  string  `json:"aq"`
		ActualType   string  `json:"act"`
		TriggerPrice string  `json:"tp"`
		Price        string  `json:"p"`
		ReduceOnly   *bool   `json:"R"`
		TriggerTime  flexInt `json:"tt"`
		Reason       string  `json:"rm"`
		// The rest of the event, read for Config.KeepInfo.
		STPMode      string `json:"V"`
		WorkingType  string `json:"wt"`
		PriceMatch   string `json:"pm"`
		ClosePos     bool   `json:"cp"`
		PriceProtect bool   `json:"pP"`
		GoodTill     int64  `json:"gtd"`
	} `json:"o"`
}

// onAlgoUpdate publishes a conditional order's new state into the orders
// topic. The event has no creation time: the change's time stamps it.
func (x *Exchange) onAlgoUpdate(data []byte, d *engine.Dispatch) error {
	var ev algoUpdate
	if err := json.Unmarshal(data, &ev); err != nil {
		err = errors.Wrap(errors.BadResponse, err, "malformed ALGO_UPDATE")
		d.Fail(watch.Key{Kind: watch.Orders}, err)
		return err
	}
	o := &ev.O
	changed := ev.TxTime
	if changed == 0 {
		changed = ev.EventTime
	}
	r := restAlgoOrder{AlgoID: o.AlgoID, ClientAlgoID: o.ClientAlgoID, AlgoType: o.AlgoType, OrderType: o.OrderType, Symbol: o.Symbol,
		Side: o.Side, TimeInForce: o.TimeInForce, Quantity: o.Quantity, AlgoStatus: o.Status, ActualOrderID: o.ActualID,
		ActualPrice: o.AvgPrice, TriggerPrice: o.TriggerPrice, Price: o.Price, ReduceOnly: o.ReduceOnly, UpdateTime: changed,
		ExecutedQty: o.ExecutedQty}
	snap, err := x.Markets(context.Background())
	if err != nil {
		return err
	}
	m, err := replyMarket(snap, nil, r.Symbol)
	if err != nil {
		return err
	}
	u, err := parseAlgoOrder(x.p.kind, m, &r, x.Config().KeepInfo)
	if err != nil {
		d.Fail(watch.Key{Kind: watch.Orders}, err)
		return err
	}
	if x.Config().KeepInfo {
		u.Info = ev
	}
	x.account.noteAlgo(&u)
	d.Orders(u)
	return nil
}
