package okx

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"strconv"
	"sync"
	"time"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/engine"
	"github.com/unifex-go/unifex/internal/stream"
	"github.com/unifex-go/unifex/internal/watch"
	"github.com/unifex-go/unifex/unified"
)

// The account's streams (card §7) on /ws/v5/private: a login
// ({"op":"login"}, signed with a seconds timestamp, sign.go) after every
// connect, then the channels orders (the account's orders and, in the
// same pushes, its fills: the fills channel is for VIP6 and above),
// account (balances, the same details as GET account/balance) and
// positions (the same fields as GET account/positions). OKX sends no
// orders snapshot on subscription, so after every connect the engine
// reconciles over REST (reconcile). The same connection carries order
// entry (wsapi.go).
//
// Algo orders (algo.go) have their own channels on /ws/v5/business,
// which need the same login: orders-algo (trigger, conditional and oco
// orders) and algo-advance (trailing stops, with iceberg and TWAP). A
// watch of the account's orders also subscribes both (engine.Spec.
// Companions), on a private route of their own (algoRoute), and their
// pushes join the orders topic. After every
// connect of that route the open algo orders and those that ended since the
// newest change seen are fetched over REST.
//
// balance_and_position is not used: its balances carry cashBal alone (no
// free or used) and its positions no mark price, margin or leverage,
// where account and positions carry what FetchBalance and FetchPositions
// return.

var (
	privateRoute = engine.Route{Name: "private", Private: true}
	algoRoute    = engine.Route{Name: "business-private", Private: true}
)

// algoTopic and advanceTopic are the Params of the orders topics that
// ride on orders-algo and algo-advance: the companions of every orders
// watch, read by no consumer.
const (
	algoTopic    = "algo"
	advanceTopic = "algo-advance"
)

// algoCompanion is the orders-algo and algo-advance topics that go with
// an orders watch.
func algoCompanion(k watch.Key) []watch.Key {
	if k.Kind == watch.Orders && k.Param == "" {
		return []watch.Key{{Kind: watch.Orders, Symbol: k.Symbol, Param: algoTopic}, {Kind: watch.Orders, Symbol: k.Symbol, Param: advanceTopic}}
	}
	return nil
}

// The private channels.
const (
	chOrders    = "orders"
	chAccount   = "account"
	chPositions = "positions"
	chAlgo      = "orders-algo"  // on /business
	chAdvance   = "algo-advance" // on /business
)

// reconcileMargin is how far before the newest order change seen the
// reconciliation asks for closed orders.
const reconcileMargin = 10 * time.Second

// loginID is the id of the login request; OKX's login acknowledgement
// carries no id, so the private link's ResponseID gives it this one.
const loginID = "login"

// accountState is what the account's streams keep between messages.
type accountState struct {
	mu       sync.Mutex
	balances map[string]unified.Balance // merged from the account channel
}

// privateChannel is the private channel of topic k.
func privateChannel(k watch.Key) (string, bool) {
	switch k.Kind {
	case watch.Orders, watch.MyTrades:
		switch k.Param {
		case algoTopic:
			return chAlgo, true
		case advanceTopic:
			return chAdvance, true
		}
		return chOrders, true
	case watch.Balance:
		return chAccount, true
	case watch.Positions:
		return chPositions, true
	}
	return "", false
}

// privateLink is the link configuration of a private route: /private, or
// /business for algoRoute.
func (x *Exchange) privateLink(r engine.Route) stream.Config {
	url := x.urls.private
	if r == algoRoute {
		url = x.urls.business
	}
	return stream.Config{
		Dial:       func(context.Context) (stream.Target, error) { return stream.Target{URL: url}, nil },
		Keepalive:  stream.Keepalive{Interval: x.opts.PingEvery, Ping: textPing, Answer: swallowPong},
		ResponseID: privateResponseID,
	}
}

// privateResponseID finds the id of a reply on the private connection: the
// login acknowledgement ({"event":"login"}, which has none), events and
// order operations' replies ({"id":"n","op":"order",...}). Pushes carry
// neither "event" nor "op" at their top level.
func privateResponseID(m stream.Message) ([]byte, bool) {
	var head struct {
		ID    string `json:"id"`
		Event string `json:"event"`
		Op    string `json:"op"`
	}
	if !bytes.Contains(m.Data, []byte(`"event"`)) && !bytes.Contains(m.Data, []byte(`"op"`)) {
		return nil, false
	}
	if json.Unmarshal(m.Data, &head) != nil {
		return nil, false
	}
	switch {
	case head.Event == "login":
		return []byte(loginID), true
	case head.ID != "" && (head.Event != "" || head.Op != ""):
		return []byte(head.ID), true
	}
	return nil, false
}

// login logs the private connection in; other routes need none.
func (x *Exchange) login(ctx context.Context, r engine.Route, s *stream.Session) error {
	if !r.Private {
		return nil
	}
	now, err := x.REST().SyncedNow(ctx)
	if err != nil {
		return err
	}
	a, err := loginArgs(x.Config(), now)
	if err != nil {
		return err
	}
	payload, err := json.Marshal(struct {
		ID   string     `json:"id"`
		Op   string     `json:"op"`
		Args []loginArg `json:"args"`
	}{loginID, "login", []loginArg{a}})
	if err != nil {
		return err
	}
	resp, err := s.Request(ctx, stream.Request{ID: loginID, Payload: payload})
	if err != nil {
		return err
	}
	var ev event
	if err := json.Unmarshal(resp.Data, &ev); err != nil {
		return errors.Wrap(errors.BadResponse, err, "okx: malformed login reply")
	}
	if ev.Event == "login" && ev.Code == "0" {
		return nil
	}
	e := okxError(ev.Code, ev.Msg, 0)
	if ev.Code == "60004" || ev.Code == "60006" { // the timestamp: the clock may have drifted
		_ = x.REST().SyncTime(ctx)
	}
	return e
}

// subscribePrivate subscribes or unsubscribes private channels, waiting
// for each acknowledgement.
func (x *Exchange) subscribePrivate(ctx context.Context, s *stream.Session, op string, chs []string) error {
	for _, ch := range chs {
		a := map[string]string{"channel": ch}
		if ch != chAccount {
			a["instType"] = "ANY"
		}
		n := strconv.FormatInt(x.reqID.Add(1), 10)
		payload, err := json.Marshal(map[string]any{"id": n, "op": op, "args": []any{a}})
		if err != nil {
			return err
		}
		resp, err := s.Request(ctx, stream.Request{ID: n, Payload: payload})
		if err != nil {
			return err
		}
		var ev event
		if err := json.Unmarshal(resp.Data, &ev); err != nil {
			return errors.Wrap(errors.BadResponse, err, "okx: malformed "+op+" reply")
		}
		if ev.Event == "error" {
			e := okxError(ev.Code, ev.Msg+" ("+op+" "+ch+")", 0)
			return e
		}
	}
	return nil
}

// privatePush is a push of a private channel.
type privatePush struct {
	Arg struct {
		Channel string `json:"channel"`
	} `json:"arg"`
	EventType string          `json:"eventType"` // account, positions: snapshot or event_update
	Data      json.RawMessage `json:"data"`
	Event     string          `json:"event"`
	Code      string          `json:"code"`
	Msg       string          `json:"msg"`
}

// handlePrivate parses one message of the private route.
func (x *Exchange) handlePrivate(m stream.Message, d *engine.Dispatch) error {
	var p privatePush
	if err := json.Unmarshal(m.Data, &p); err != nil {
		return errors.Wrap(errors.BadResponse, err, "okx: malformed private message")
	}
	switch {
	case p.Event == "notice":
		d.Reconnect(&errors.Error{Kind: errors.NetworkError, Exchange: ID, Code: p.Code, Message: p.Msg})
		return nil
	case p.Event == "channel-conn-count-error": // acknowledged, then cut: too many connections
		d.Reconnect(&errors.Error{Kind: errors.ExchangeError, Exchange: ID, Message: "okx: " + p.Event + " on " + p.Arg.Channel})
		return nil
	case p.Event == "error":
		return okxError(p.Code, p.Msg, 0)
	case p.Event != "":
		return nil // acknowledgements, channel-conn-count
	}
	var err error
	switch p.Arg.Channel {
	case chOrders:
		err = x.onOrders(p.Data, d)
		if err != nil {
			d.Fail(watch.Key{Kind: watch.Orders}, err)
		}
	case chAlgo, chAdvance:
		err = x.onAlgoOrders(p.Data, d)
		if err != nil {
			d.Fail(watch.Key{Kind: watch.Orders}, err)
		}
	case chAccount:
		err = x.onAccount(p.EventType, p.Data, d)
		if err != nil {
			d.Fail(balanceKey, err)
		}
	case chPositions:
		err = x.onPositions(p.Data, d)
		if err != nil {
			d.Fail(watch.Key{Kind: watch.Positions}, err)
		}
	}
	return err
}

// balanceKey is the account's balances topic.
var balanceKey = watch.Key{Kind: watch.Balance}

// onOrders publishes an orders push: each order's state and, when the
// push reports one, its fill.
func (x *Exchange) onOrders(data []byte, d *engine.Dispatch) error {
	var list []restOrder
	if err := json.Unmarshal(data, &list); err != nil {
		return errors.Wrap(errors.BadResponse, err, "okx: malformed orders push")
	}
	snap, err := x.Markets(context.Background()) // loaded: the engine loaded them to subscribe
	if err != nil {
		return err
	}
	keep := x.Config().KeepInfo
	orders := make([]unified.Order, 0, len(list))
	var fills []unified.Trade
	for i := range list {
		m, err := snap.MarketByID(list[i].InstID, "")
		if err != nil {
			continue // an instrument of a type not loaded
		}
		o, err := parseOrder(snap, m, &list[i], keep)
		if err != nil {
			return err
		}
		orders = append(orders, o)
		if f, ok := fillOf(&list[i]); ok {
			tr, err := parseFill(snap, m, &f, keep)
			if err != nil {
				return err
			}
			fills = append(fills, tr)
		}
	}
	d.Orders(orders...)
	if len(fills) > 0 {
		d.MyTrades(fills...)
	}
	return nil
}

// onAccount merges an account push into the balances and publishes them:
// a snapshot replaces them, an update changes the currencies it lists.
func (x *Exchange) onAccount(kind string, data []byte, d *engine.Dispatch) error {
	var accts []restAccount
	if err := json.Unmarshal(data, &accts); err != nil {
		return errors.Wrap(errors.BadResponse, err, "okx: malformed account push")
	}
	b, err := parseBalances(accts, x.Config().KeepInfo)
	if err != nil {
		return err
	}
	x.account.mu.Lock()
	if kind == "snapshot" || x.account.balances == nil {
		x.account.balances = map[string]unified.Balance{}
	}
	maps.Copy(x.account.balances, b.Currencies)
	b.Currencies = maps.Clone(x.account.balances)
	x.account.mu.Unlock()
	d.Balance(b)
	return nil
}

// onPositions publishes a positions push; a position closed since (pos
// 0) is published with no contracts, so that watchers see it go.
func (x *Exchange) onPositions(data []byte, d *engine.Dispatch) error {
	var list []restPosition
	if err := json.Unmarshal(data, &list); err != nil {
		return errors.Wrap(errors.BadResponse, err, "okx: malformed positions push")
	}
	snap, err := x.Markets(context.Background())
	if err != nil {
		return err
	}
	ps := make([]unified.Position, 0, len(list))
	for i := range list {
		if _, err := snap.MarketByID(list[i].InstID, ""); err != nil {
			continue
		}
		p, _, err := parsePosition(snap, &list[i], x.Config().KeepInfo)
		if err != nil {
			return err
		}
		ps = append(ps, p)
	}
	if len(ps) > 0 {
		d.Positions(ps...)
	}
	return nil
}

// reconcile runs after every connect of the private route: the open
// orders, the orders of the markets traded that closed since shortly
// before the newest change seen, and the balances and positions when
// watched.
func (x *Exchange) reconcile(ctx context.Context, r engine.Route, d *engine.Dispatch) error {
	if !r.Private {
		return nil
	}
	if r == algoRoute {
		open := func(ctx context.Context) ([]unified.Order, error) { return x.FetchOpenOrders(ctx, "", algoParams) }
		closed := func(ctx context.Context, symbol string, since time.Time) ([]unified.Order, error) {
			return x.FetchClosedOrders(ctx, symbol, exchange.Since(since), algoParams)
		}
		return d.ReconcileOrders(ctx, reconcileMargin, open, closed)
	}
	open := func(ctx context.Context) ([]unified.Order, error) { return x.FetchOpenOrders(ctx, "") }
	closed := func(ctx context.Context, symbol string, since time.Time) ([]unified.Order, error) {
		return x.FetchClosedOrders(ctx, symbol, exchange.Since(since))
	}
	if err := d.ReconcileOrders(ctx, reconcileMargin, open, closed); err != nil {
		return err
	}
	if d.Watched(watch.Key{Kind: watch.Positions}) {
		ps, err := x.FetchPositions(ctx, nil)
		if err != nil {
			return err
		}
		if len(ps) > 0 {
			d.Positions(ps...)
		}
	}
	if d.Watched(balanceKey) {
		b, err := x.FetchBalance(ctx)
		if err != nil {
			return err
		}
		x.account.mu.Lock()
		x.account.balances = maps.Clone(b.Currencies)
		x.account.mu.Unlock()
		d.Balance(b)
	}
	return nil
}
