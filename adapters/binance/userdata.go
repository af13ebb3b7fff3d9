package binance

import (
	"context"
	"encoding/json"
	"maps"
	"strconv"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/engine"
	"github.com/unifex-go/unifex/internal/rest"
	"github.com/unifex-go/unifex/internal/stream"
	"github.com/unifex-go/unifex/internal/watch"
	"github.com/unifex-go/unifex/unified"
)

// The account's streams (card §7). Spot: the WebSocket API connection,
// subscribed with userDataStream.subscribe.signature (any key type; listen
// keys were retired on spot), events wrapped {"subscriptionId":n,"event":...}.
// Futures: a listen key fetched over REST on every dial, kept alive every 30
// minutes, events raw on /private/ws?listenKey= (USD-M) or /ws/<key>
// (COIN-M); a listenKeyExpired event reconnects with a new key. After every
// connect the engine reconciles over REST.

var privateRoute = engine.Route{Name: "private", Private: true}

// listenKeyRenewal is how often a futures listen key is extended (it lives
// 60 minutes from creation or the last extension).
const listenKeyRenewal = 30 * time.Minute

// reconcileMargin is how far before the newest order change seen the
// reconciliation asks for closed orders.
const reconcileMargin = 10 * time.Second

// accountState is what the account's streams keep between messages.
type accountState struct {
	mu        sync.Mutex
	listenKey string
	balances  map[string]unified.Balance     // spot: merged from outboundAccountPosition
	leverage  map[string]decimal.NullDecimal // futures: by symbol, from the last positions fetched
	openAlgos map[string]string              // futures: conditional orders last seen open, algo id → symbol
}

// noteAlgo records a conditional order's state: open ones are watched for
// a close that an outage may hide.
func (a *accountState) noteAlgo(o *unified.Order) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if o.Status != unified.StatusOpen {
		delete(a.openAlgos, o.ID)
		return
	}
	if a.openAlgos == nil {
		a.openAlgos = map[string]string{}
	}
	a.openAlgos[o.ID] = o.Symbol
}

// userDataLink is the link configuration of the private route.
func (x *Exchange) userDataLink(streamBase, wsapi string) stream.Config {
	cfg := stream.Config{
		Keepalive:  stream.Keepalive{Timeout: 3 * x.opts.ServerPing},
		ResponseID: responseID,
	}
	if x.p.kind == spot {
		cfg.Dial = func(context.Context) (stream.Target, error) { return stream.Target{URL: wsapi}, nil }
		return cfg
	}
	cfg.Dial = func(ctx context.Context) (stream.Target, error) {
		key, err := x.newListenKey(ctx)
		if err != nil {
			return stream.Target{}, err
		}
		if x.p.kind == usdm {
			return stream.Target{URL: streamBase + "/private/ws?listenKey=" + key}, nil
		}
		return stream.Target{URL: streamBase + "/ws/" + key}, nil
	}
	return cfg
}

// newListenKey creates (or, when one is active, returns and extends) the
// account's listen key.
func (x *Exchange) newListenKey(ctx context.Context) (string, error) {
	ep := fapiPostListenKey
	if x.p.kind == coinm {
		ep = dapiPostListenKey
	}
	var out struct {
		ListenKey string `json:"listenKey"`
	}
	if err := x.REST().DoJSON(ctx, ep, rest.Params{}, &out); err != nil {
		return "", err
	}
	if out.ListenKey == "" {
		return "", errors.Newf(errors.BadResponse, "no listenKey in the reply")
	}
	x.account.mu.Lock()
	x.account.listenKey = out.ListenKey
	x.account.mu.Unlock()
	return out.ListenKey, nil
}

// renewListenKey extends the futures listen key; an error (-1125: the key
// is gone) makes the engine drop the connection, whose next dial fetches a
// new key.
func (x *Exchange) renewListenKey(ctx context.Context, _ engine.Route) error {
	if x.p.kind == spot {
		return nil
	}
	ep := fapiPutListenKey
	if x.p.kind == coinm {
		ep = dapiPutListenKey
	}
	var ignored json.RawMessage
	return x.REST().DoJSON(ctx, ep, rest.Params{}, &ignored)
}

// userDataLogin subscribes the spot account's events on the WebSocket API
// connection (futures authenticate by the listen key in the URL).
func (x *Exchange) userDataLogin(ctx context.Context, _ engine.Route, s *stream.Session) error {
	if x.p.kind != spot {
		return nil
	}
	now, err := x.REST().SyncedNow(ctx)
	if err != nil {
		return err
	}
	params := map[string]any{}
	if err := x.sig.signWS(params, now); err != nil {
		return err
	}
	id := strconv.FormatInt(x.reqID.Add(1), 10)
	payload, err := json.Marshal(map[string]any{"id": id, "method": "userDataStream.subscribe.signature", "params": params})
	if err != nil {
		return err
	}
	resp, err := s.Request(ctx, stream.Request{ID: id, Payload: payload})
	if err != nil {
		return err
	}
	var reply struct {
		Status int             `json:"status"`
		Error  json.RawMessage `json:"error"`
	}
	if err := json.Unmarshal(resp.Data, &reply); err != nil {
		return errors.Wrap(errors.BadResponse, err, "malformed userDataStream.subscribe.signature reply")
	}
	if reply.Status != 200 {
		if reply.Status == 0 || len(reply.Error) == 0 {
			return errors.Newf(errors.BadResponse, "userDataStream.subscribe.signature was not answered with a status")
		}
		err := wsAPIError(x.p.id, reply.Status, reply.Error, now)
		if errors.Is(err, errors.InvalidNonce) {
			_ = x.REST().SyncTime(ctx)
		}
		return err
	}
	return nil
}

// userEvent is the part of an account event the adapter reads first; the
// envelope of spot's WebSocket API carries it in "event".
type userEvent struct {
	Event     json.RawMessage `json:"event"`
	Type      string          `json:"e"`
	EventTime flexInt         `json:"E"`
}

// handleUserData parses one message of the private route.
func (x *Exchange) handleUserData(m stream.Message, d *engine.Dispatch) error {
	var env userEvent
	if err := json.Unmarshal(m.Data, &env); err != nil {
		return errors.Wrap(errors.BadResponse, err, "malformed account message")
	}
	data := m.Data
	if len(env.Event) > 0 {
		data = env.Event
		env = userEvent{}
		if err := json.Unmarshal(data, &env); err != nil {
			return errors.Wrap(errors.BadResponse, err, "malformed account event")
		}
	}
	switch env.Type {
	case "executionReport":
		return x.onExecutionReport(data, d)
	case "ORDER_TRADE_UPDATE":
		d.Refresh(balanceKey) // an order moves the margin it holds
		return x.onOrderTradeUpdate(data, d)
	case "outboundAccountPosition":
		return x.onAccountPosition(data, d)
	case "ACCOUNT_UPDATE":
		d.Refresh(balanceKey)
		return x.onAccountUpdate(data, d)
	case "ALGO_UPDATE": // a conditional order holds no margin until triggered
		return x.onAlgoUpdate(data, d)
	case "listenKeyExpired":
		d.Reconnect(errors.Newf(errors.NetworkError, "the listen key expired; reconnecting with a new one"))
	}
	return nil // balanceUpdate (outboundAccountPosition follows it) and the rest
}

// balanceKey is the account's balances topic.
var balanceKey = watch.Key{Kind: watch.Balance}

// refresh fetches a topic the stream only says changed: the futures
// balances. ACCOUNT_UPDATE carries the wallet balance alone, and no event
// carries what FetchBalance reports as free and used (available balance,
// initial margin), which every order and mark-price move changes; so each
// account event makes the balances be fetched again, the engine coalescing
// a burst of events into at most one fetch in flight and one after it.
func (x *Exchange) refresh(ctx context.Context, k watch.Key, d *engine.Dispatch) error {
	if k != balanceKey {
		return nil
	}
	return x.publishBalance(ctx, d)
}

// publishBalance fetches the balances and publishes them; on spot they
// also become the base the stream's changes merge into.
func (x *Exchange) publishBalance(ctx context.Context, d *engine.Dispatch) error {
	b, err := x.FetchBalance(ctx)
	if err != nil {
		return err
	}
	if x.p.kind == spot {
		x.account.mu.Lock()
		x.account.balances = maps.Clone(b.Currencies)
		x.account.mu.Unlock()
	}
	d.Balance(b)
	return nil
}

// executionReport is a spot order event (card §7).
type executionReport struct {
	EventTime      flexInt `json:"E"`
	Event          string  `json:"e"`
	Symbol         string  `json:"s"`
	ClientID       string  `json:"c"`
	Side           string  `json:"S"`
	Type           string  `json:"o"`
	TIF            string  `json:"f"`
	Qty            string  `json:"q"`
	Price          string  `json:"p"`
	StopPrice      string  `json:"P"`
	OrigClientID   string  `json:"C"`
	ExecType       string  `json:"x"`
	Status         string  `json:"X"`
	OrderID        idText  `json:"i"`
	LastQty        string  `json:"l"`
	CumQty         string  `json:"z"`
	LastPrice      string  `json:"L"`
	Commission     string  `json:"n"`
	CommissionCoin string  `json:"N"`
	TxTime         flexInt `json:"T"`
	TradeID        idText  `json:"t"`
	Ignore         flexInt `json:"I"`
	Working        bool    `json:"w"`
	Maker          bool    `json:"m"`
	Ignore2        bool    `json:"M"`
	Created        flexInt `json:"O"`
	CumQuote       string  `json:"Z"`
	LastQuote      string  `json:"Y"`
	QuoteQty       string  `json:"Q"`
	// Declared so that encoding/json does not fold them into the fields
	// above ("W" into "w", "F" into "f", "V" into "v"...).
	IcebergQty    string  `json:"F"`
	OrderListID   int64   `json:"g"`
	RejectReason  string  `json:"r"`
	PreventedID   int64   `json:"v"`
	WorkingTime   flexInt `json:"W"`
	SelfTradeMode string  `json:"V"`
}

func (x *Exchange) onExecutionReport(data []byte, d *engine.Dispatch) error {
	var ev executionReport
	if err := json.Unmarshal(data, &ev); err != nil {
		err = errors.Wrap(errors.BadResponse, err, "malformed executionReport")
		d.Fail(watch.Key{Kind: watch.Orders}, err)
		return err
	}
	clientID := ev.ClientID
	if ev.Status == "CANCELED" && ev.OrigClientID != "" {
		clientID = ev.OrigClientID // c is then the cancel request's id
	}
	r := restOrder{Symbol: ev.Symbol, OrderID: ev.OrderID, ClientOrderID: clientID, Price: ev.Price, OrigQty: ev.Qty,
		ExecutedQty: ev.CumQty, CummulativeQuoteQty: ev.CumQuote, Status: ev.Status, TimeInForce: ev.TIF, Type: ev.Type,
		Side: ev.Side, StopPrice: ev.StopPrice, Time: ev.Created, TransactTime: ev.TxTime}
	return x.publishExecution(&r, ev.ExecType, fill{id: ev.TradeID, price: ev.LastPrice, qty: ev.LastQty,
		fee: ev.Commission, feeCoin: ev.CommissionCoin, maker: ev.Maker, time: ev.TxTime}, d)
}

// orderTradeUpdate is a futures order event.
type orderTradeUpdate struct {
	Event     string  `json:"e"`
	EventTime flexInt `json:"E"`
	TxTime    flexInt `json:"T"`
	O         struct {
		Symbol         string  `json:"s"`
		ClientID       string  `json:"c"`
		Side           string  `json:"S"`
		Type           string  `json:"o"`
		TIF            string  `json:"f"`
		Qty            string  `json:"q"`
		Price          string  `json:"p"`
		AvgPrice       string  `json:"ap"`
		StopPrice      string  `json:"sp"`
		ExecType       string  `json:"x"`
		Status         string  `json:"X"`
		OrderID        idText  `json:"i"`
		LastQty        string  `json:"l"`
		CumQty         string  `json:"z"`
		LastPrice      string  `json:"L"`
		CommissionCoin string  `json:"N"`
		Commission     string  `json:"n"`
		TradeTime      flexInt `json:"T"`
		TradeID        idText  `json:"t"`
		Maker          bool    `json:"m"`
		ReduceOnly     *bool   `json:"R"`
		// Declared so that encoding/json does not fold it into "ap".
		ActivationPrice string `json:"AP"`
	} `json:"o"`
}

func (x *Exchange) onOrderTradeUpdate(data []byte, d *engine.Dispatch) error {
	var ev orderTradeUpdate
	if err := json.Unmarshal(data, &ev); err != nil {
		err = errors.Wrap(errors.BadResponse, err, "malformed ORDER_TRADE_UPDATE")
		d.Fail(watch.Key{Kind: watch.Orders}, err)
		return err
	}
	o := &ev.O
	r := restOrder{Symbol: o.Symbol, OrderID: o.OrderID, ClientOrderID: o.ClientID, Price: o.Price, AvgPrice: o.AvgPrice,
		OrigQty: o.Qty, ExecutedQty: o.CumQty, Status: o.Status, TimeInForce: o.TIF, Type: o.Type, Side: o.Side,
		StopPrice: o.StopPrice, ReduceOnly: o.ReduceOnly, TransactTime: ev.TxTime}
	return x.publishExecution(&r, o.ExecType, fill{id: o.TradeID, price: o.LastPrice, qty: o.LastQty,
		fee: o.Commission, feeCoin: o.CommissionCoin, maker: o.Maker, time: o.TradeTime}, d)
}

// fill is the trade an execution event reports when its type is TRADE.
type fill struct {
	id                       idText
	price, qty, fee, feeCoin string
	maker                    bool
	time                     flexInt
}

// publishExecution publishes an order's new state and, for a trade, the
// account's fill.
func (x *Exchange) publishExecution(r *restOrder, execType string, f fill, d *engine.Dispatch) error {
	snap, err := x.Markets(context.Background())
	if err != nil {
		return err
	}
	m, err := replyMarket(snap, nil, r.Symbol)
	if err != nil {
		return err
	}
	o, err := parseOrder(x.p.kind, m, r, x.Config().KeepInfo)
	if err != nil {
		d.Fail(watch.Key{Kind: watch.Orders}, err)
		return err
	}
	d.Orders(o)
	if execType != "TRADE" {
		return nil
	}
	var ds decimals
	liquidity := unified.LiquidityTaker
	if f.maker {
		liquidity = unified.LiquidityMaker
	}
	t := unified.Trade{ID: string(f.id), Order: o.ID, Symbol: m.Symbol, Timestamp: millis(int64(f.time)), Side: o.Side, Type: o.Type,
		TakerOrMaker: liquidity, Price: ds.parse(f.price), Amount: ds.parse(f.qty),
		Fee: unified.Fee{Currency: commonCode(f.feeCoin), Cost: ds.parse(f.fee)}}
	if ds.err != nil {
		d.Fail(watch.Key{Kind: watch.MyTrades}, ds.err)
		return ds.err
	}
	t.Complete(m)
	d.MyTrades(t)
	return nil
}

// accountPosition is a spot balance event: the changed assets only.
type accountPosition struct {
	Event     string  `json:"e"`
	EventTime flexInt `json:"E"`
	Updated   flexInt `json:"u"`
	Balances  []struct {
		Asset  string `json:"a"`
		Free   string `json:"f"`
		Locked string `json:"l"`
	} `json:"B"`
}

// onAccountPosition merges the changed assets into the balances last
// fetched and publishes the whole.
func (x *Exchange) onAccountPosition(data []byte, d *engine.Dispatch) error {
	var ev accountPosition
	if err := json.Unmarshal(data, &ev); err != nil {
		return errors.Wrap(errors.BadResponse, err, "malformed outboundAccountPosition")
	}
	var ds decimals
	x.account.mu.Lock()
	if x.account.balances == nil {
		x.account.balances = map[string]unified.Balance{}
	}
	for _, b := range ev.Balances {
		bal := unified.Balance{Free: ds.parse(b.Free), Used: ds.parse(b.Locked)}
		bal.Complete()
		x.account.balances[commonCode(b.Asset)] = bal
	}
	out := &unified.Balances{Timestamp: millis(int64(ev.EventTime)), Currencies: maps.Clone(x.account.balances)}
	x.account.mu.Unlock()
	if ds.err != nil {
		d.Fail(watch.Key{Kind: watch.Balance}, ds.err)
		return ds.err
	}
	d.Balance(out)
	return nil
}

// accountUpdate is a futures account event; its positions are the changed
// ones (COIN-M sends all), with what changed.
type accountUpdate struct {
	Event     string  `json:"e"`
	EventTime flexInt `json:"E"`
	TxTime    flexInt `json:"T"`
	Alias     string  `json:"i"`
	A         struct {
		Reason    string `json:"m"`
		Positions []struct {
			Symbol     string `json:"s"`
			Amount     string `json:"pa"`
			Entry      string `json:"ep"`
			BreakEven  string `json:"bep"`
			Realized   string `json:"cr"`
			Unrealized string `json:"up"`
			MarginType string `json:"mt"`
			Isolated   string `json:"iw"`
			Side       string `json:"ps"`
			Asset      string `json:"ma"`
		} `json:"P"`
	} `json:"a"`
}

// onAccountUpdate publishes the positions a futures ACCOUNT_UPDATE
// changed. The event has no leverage or mark price: the leverage is kept
// from the last fetch, and what depends on the mark is left absent rather
// than stale.
func (x *Exchange) onAccountUpdate(data []byte, d *engine.Dispatch) error {
	var ev accountUpdate
	if err := json.Unmarshal(data, &ev); err != nil {
		err = errors.Wrap(errors.BadResponse, err, "malformed ACCOUNT_UPDATE")
		d.Fail(watch.Key{Kind: watch.Positions}, err)
		return err
	}
	if len(ev.A.Positions) == 0 {
		return nil
	}
	snap, err := x.Markets(context.Background())
	if err != nil {
		return err
	}
	ps := make([]unified.Position, 0, len(ev.A.Positions))
	for _, e := range ev.A.Positions {
		m, err := replyMarket(snap, nil, e.Symbol)
		if err != nil {
			return err
		}
		p, err := parsePosition(x.p.kind, m, &restPosition{Symbol: e.Symbol, PositionSide: e.Side, PositionAmt: e.Amount,
			EntryPrice: e.Entry, UnRealizedProfit: e.Unrealized, MarginType: e.MarginType, IsolatedWallet: e.Isolated,
			UpdateTime: ev.TxTime}, x.Config().KeepInfo)
		if err != nil {
			d.Fail(watch.Key{Kind: watch.Positions}, err)
			return err
		}
		x.account.mu.Lock()
		p.Leverage = x.account.leverage[m.Symbol]
		x.account.mu.Unlock()
		ps = append(ps, p)
	}
	d.Positions(ps...)
	return nil
}

// closedAlgos fetches the conditional orders last seen open that are no
// longer among open, so that one that triggered or was canceled during an
// outage reaches the watchers in its final state. COIN-M documents no
// query of one conditional order: there such an order stays as it was
// last seen, a limit of that API.
func (x *Exchange) closedAlgos(ctx context.Context, open []unified.Order) ([]unified.Order, error) {
	still := make(map[string]bool, len(open))
	for i := range open {
		still[open[i].ID] = true
	}
	x.account.mu.Lock()
	gone := map[string]string{}
	for id, symbol := range x.account.openAlgos {
		if !still[id] {
			gone[id] = symbol
		}
	}
	x.account.mu.Unlock()
	if len(gone) == 0 || x.algo().query.Path == "" {
		return nil, nil
	}
	snap, err := x.Markets(ctx)
	if err != nil {
		return nil, err
	}
	var out []unified.Order
	for id, symbol := range gone {
		m, err := snap.Market(symbol)
		if err != nil {
			continue // delisted since: nothing to look up
		}
		o, err := x.fetchAlgo(ctx, m, id, "")
		if err != nil {
			return nil, err
		}
		out = append(out, *o)
	}
	return out, nil
}

// openOrdersAndAlgos lists the open orders, and on futures the open
// conditional orders with those last seen open that closed since.
func (x *Exchange) openOrdersAndAlgos(ctx context.Context) ([]unified.Order, error) {
	open, err := x.FetchOpenOrders(ctx, "")
	if err != nil || x.algo() == nil {
		return open, err
	}
	algos, err := x.openAlgoOrders(ctx, nil, rest.Params{})
	if err != nil {
		return nil, err
	}
	closed, err := x.closedAlgos(ctx, algos)
	if err != nil {
		return nil, err
	}
	for _, os := range [][]unified.Order{algos, closed} {
		for i := range os {
			x.account.noteAlgo(&os[i])
		}
	}
	return append(append(open, algos...), closed...), nil
}

// reconcile runs after every connect of the private route: the open
// orders (futures: the open conditional orders too), the orders of the
// symbols traded that closed since shortly before the newest change seen,
// and (spot) the balances.
func (x *Exchange) reconcile(ctx context.Context, _ engine.Route, d *engine.Dispatch) error {
	err := d.ReconcileOrders(ctx, reconcileMargin, x.openOrdersAndAlgos,
		func(ctx context.Context, symbol string, since time.Time) ([]unified.Order, error) {
			return x.FetchClosedOrders(ctx, symbol, exchange.Since(since))
		})
	if err != nil {
		return err
	}
	if x.p.kind != spot {
		ps, err := x.FetchPositions(ctx, nil)
		if err != nil {
			return err
		}
		x.account.mu.Lock()
		x.account.leverage = map[string]decimal.NullDecimal{}
		for _, p := range ps {
			x.account.leverage[p.Symbol] = p.Leverage
		}
		x.account.mu.Unlock()
		d.Positions(ps...)
	}
	if d.Watched(balanceKey) {
		return x.publishBalance(ctx, d)
	}
	return nil
}
