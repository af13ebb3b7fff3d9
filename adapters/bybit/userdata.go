package bybit

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/engine"
	"github.com/unifex-go/unifex/internal/stream"
	"github.com/unifex-go/unifex/internal/watch"
	"github.com/unifex-go/unifex/unified"
)

// The account's streams (card §7): the private stream (/v5/private) logs
// in with {"op":"auth","args":[key, expires, signature]} and subscribes
// the all-in-one topics order, execution, position and wallet; the trade
// stream (/v5/trade, wsapi.go) logs in the same way. Both ping with
// {"op":"ping"} every Options.PingEvery. Bybit sends nothing on
// subscribe, so after every connect the engine reconciles over REST.

var (
	privateRoute = engine.Route{Name: "private", Private: true}
	// tradeRoute is Private so that the engine logs it in; it carries no
	// topics and is not reconciled.
	tradeRoute = engine.Route{Name: "trade", Private: true}
)

// reconcileMargin is how far before the newest order change seen the
// reconciliation asks for closed orders.
const reconcileMargin = 10 * time.Second

// accountState is what the account's streams keep between messages.
type accountState struct {
	reqID atomic.Int64 // of stream requests
}

// nextID is a fresh request id.
func (a *accountState) nextID() string { return "u" + strconv.FormatInt(a.reqID.Add(1), 10) }

// privateChannels are the private stream's topics by watch kind.
var privateChannels = map[watch.Kind]string{watch.Orders: "order", watch.MyTrades: "execution",
	watch.Positions: "position", watch.Balance: "wallet"}

// withPrivate adds the account's streams to the public stream spec: the
// private kinds route to the private stream, and the private and trade
// routes get their links, login, subscriptions, parser and
// reconciliation. The public hooks see only the public routes.
func (x *Exchange) withPrivate(s *engine.Spec) *engine.Spec {
	route, channel, link := s.Route, s.Channel, s.Link
	subscribe, unsubscribe, handle := s.Subscribe, s.Unsubscribe, s.Handle
	s.Route = func(k watch.Key) (engine.Route, error) {
		if _, ok := privateChannels[k.Kind]; ok {
			return privateRoute, nil
		}
		return route(k)
	}
	s.Channel = func(k watch.Key) string {
		if name, ok := privateChannels[k.Kind]; ok {
			return name
		}
		return channel(k)
	}
	s.Link = func(r engine.Route) stream.Config {
		switch r {
		case privateRoute:
			return x.accountLink(x.urls.private)
		case tradeRoute:
			return x.accountLink(x.urls.trade)
		}
		return link(r)
	}
	s.Login = x.login
	s.Subscribe = func(ctx context.Context, r engine.Route, ss *stream.Session, chs []string) error {
		if r.Private {
			return x.privateControl(ctx, ss, "subscribe", chs)
		}
		return subscribe(ctx, r, ss, chs)
	}
	s.Unsubscribe = func(ctx context.Context, r engine.Route, ss *stream.Session, chs []string) error {
		if r.Private {
			return x.privateControl(ctx, ss, "unsubscribe", chs)
		}
		return unsubscribe(ctx, r, ss, chs)
	}
	s.Handle = func(r engine.Route, m stream.Message, d *engine.Dispatch) error {
		switch r {
		case privateRoute:
			return x.handlePrivate(m, d)
		case tradeRoute:
			return nil // replies are taken by their requests; nothing else comes
		}
		return handle(r, m, d)
	}
	s.Reconcile = x.reconcile
	return s
}

// accountLink is the link configuration of the private and trade streams.
func (x *Exchange) accountLink(url string) stream.Config {
	return stream.Config{
		Dial: func(context.Context) (stream.Target, error) {
			if url == "" {
				return stream.Target{}, notSupported("no trade stream in this environment (demo trading has none)")
			}
			return stream.Target{URL: url}, nil
		},
		Keepalive: stream.Keepalive{Interval: x.opts.PingEvery, Ping: func() []byte { return []byte(`{"op":"ping"}`) },
			Answer: swallowPong},
		ResponseID: accountResponseID,
	}
}

// swallowPong takes the private and trade streams' pongs
// ({"op":"pong",...}) out of the message flow.
func swallowPong(m stream.Message) ([]byte, bool) {
	return nil, m.Type != stream.Control && bytes.Contains(m.Data, []byte(`"op":"pong"`)) && !bytes.Contains(m.Data, []byte(`"topic"`))
}

// accountResponseID finds the id of a reply: the private stream's
// "req_id", the trade stream's "reqId". Topic pushes carry neither.
func accountResponseID(m stream.Message) ([]byte, bool) {
	var env struct {
		ReqID  string `json:"req_id"`
		ReqID2 string `json:"reqId"`
		Topic  string `json:"topic"`
	}
	if bytes.Contains(m.Data, []byte(`"topic"`)) || json.Unmarshal(m.Data, &env) != nil || env.Topic != "" {
		return nil, false
	}
	id := first(env.ReqID, env.ReqID2)
	return []byte(id), id != ""
}

// reply is a private or trade stream reply: the private stream's
// success/ret_msg, the trade stream's retCode/retMsg.
type reply struct {
	Success *bool           `json:"success"`
	RetMsg  string          `json:"ret_msg"`
	RetCode retCode         `json:"retCode"`
	RetMsg2 string          `json:"retMsg"`
	Op      string          `json:"op"`
	Data    json.RawMessage `json:"data"`
}

// err is the reply's refusal, nil for a success. A refused private
// control request is a BadRequest, a refused login an
// AuthenticationError.
func (r *reply) err(op string) error {
	switch {
	case r.RetCode.set && r.RetCode.n != 0:
		return tradeError(op, r.RetCode.n, r.RetMsg2)
	case r.RetCode.set, r.Success != nil && *r.Success:
		return nil
	case op == "auth":
		return &errors.Error{Kind: errors.AuthenticationError, Exchange: ID, Message: r.RetMsg}
	}
	return &errors.Error{Kind: errors.BadRequest, Exchange: ID, Message: op + " refused: " + r.RetMsg}
}

// ask sends op with args on s, each stream with its id key, and waits for
// the reply.
func (x *Exchange) ask(ctx context.Context, s *stream.Session, r engine.Route, op string, args any) error {
	id := x.account.nextID()
	idKey := "req_id"
	if r == tradeRoute {
		idKey = "reqId"
	}
	payload, err := json.Marshal(map[string]any{idKey: id, "op": op, "args": args})
	if err != nil {
		return err
	}
	resp, err := s.Request(ctx, stream.Request{ID: id, Payload: payload})
	if err != nil {
		return err
	}
	var rep reply
	if err := json.Unmarshal(resp.Data, &rep); err != nil {
		return errors.Wrap(errors.BadResponse, err, "bybit: malformed "+op+" reply")
	}
	return rep.err(op)
}

// login authenticates a private or trade connection; expires is set from
// the venue-synced clock.
func (x *Exchange) login(ctx context.Context, r engine.Route, s *stream.Session) error {
	now, err := x.REST().SyncedNow(ctx)
	if err != nil {
		return err
	}
	args, err := x.sig.authArgs(now)
	if err != nil {
		return err
	}
	return x.ask(ctx, s, r, "auth", args)
}

// privateControl subscribes or unsubscribes private topics.
func (x *Exchange) privateControl(ctx context.Context, s *stream.Session, op string, chs []string) error {
	return x.ask(ctx, s, privateRoute, op, chs)
}

// privateMessage is a private topic push.
type privateMessage struct {
	Topic        string          `json:"topic"`
	CreationTime int64           `json:"creationTime"`
	Data         json.RawMessage `json:"data"`
}

// handlePrivate parses one message of the private stream. Each item
// carries its category, which places its symbol.
func (x *Exchange) handlePrivate(m stream.Message, d *engine.Dispatch) error {
	var msg privateMessage
	if err := json.Unmarshal(m.Data, &msg); err != nil {
		return errors.Wrap(errors.BadResponse, err, "bybit: malformed private message")
	}
	keepInfo := x.Config().KeepInfo
	switch msg.Topic {
	case "order":
		var items []restOrder
		os, err := decodeItems(x, msg.Data, &items, func(i int, mk *unified.Market) (unified.Order, error) {
			return parseOrder(mk, &items[i], keepInfo)
		}, func(i int) (string, string) { return items[i].Category, items[i].Symbol })
		if err != nil {
			d.Fail(watch.Key{Kind: watch.Orders}, err)
			return err
		}
		d.Orders(os...)
	case "execution":
		var items []restExecution
		ts, err := decodeItems(x, msg.Data, &items, func(i int, mk *unified.Market) (unified.Trade, error) {
			return parseExecution(mk, &items[i], keepInfo)
		}, func(i int) (string, string) {
			if !items[i].isTrade() {
				return "", "" // funding, delivery, settlement: skipped
			}
			return items[i].Category, items[i].Symbol
		})
		if err != nil {
			d.Fail(watch.Key{Kind: watch.MyTrades}, err)
			return err
		}
		d.MyTrades(ts...)
	case "position":
		var items []restPosition
		ps, err := decodeItems(x, msg.Data, &items, func(i int, mk *unified.Market) (unified.Position, error) {
			return parsePosition(mk, &items[i], keepInfo)
		}, func(i int) (string, string) { return items[i].Category, items[i].Symbol })
		if err != nil {
			d.Fail(watch.Key{Kind: watch.Positions}, err)
			return err
		}
		d.Positions(ps...)
	case "wallet":
		var ws []restWallet
		err := json.Unmarshal(msg.Data, &ws)
		var b *unified.Balances
		if err == nil {
			b, err = parseWallets(ws, time.UnixMilli(msg.CreationTime).UTC(), keepInfo)
		}
		if err != nil {
			err = errors.Wrap(errors.BadResponse, err, "bybit: malformed wallet message")
			d.Fail(watch.Key{Kind: watch.Balance}, err)
			return err
		}
		d.Balance(b)
	}
	return nil // replies that came late, and topics not watched
}

// decodeItems reads a topic's data into items and parses each whose
// category and symbol (where) name a loaded market; an item whose where
// is empty is skipped.
func decodeItems[I any, T any](x *Exchange, data json.RawMessage, items *[]I, parse func(int, *unified.Market) (T, error), where func(int) (string, string)) ([]T, error) {
	if err := json.Unmarshal(data, items); err != nil {
		return nil, errors.Wrap(errors.BadResponse, err, "bybit: malformed private topic data")
	}
	snap, err := x.Markets(context.Background()) // loaded before any subscription
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(*items))
	for i := range *items {
		cat, id := where(i)
		if cat == "" && id == "" {
			continue
		}
		m, err := marketOfCategory(snap, cat, id)
		if err != nil {
			continue // a category or market the adapter does not load
		}
		v, err := parse(i, m)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// reconcile runs after every connect of the private stream: the open
// orders, the orders of the symbols traded that closed since shortly
// before the newest change seen, the positions, and the balance when it
// is watched.
func (x *Exchange) reconcile(ctx context.Context, r engine.Route, d *engine.Dispatch) error {
	if r != privateRoute {
		return nil
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
		d.Positions(ps...)
	}
	if d.Watched(watch.Key{Kind: watch.Balance}) {
		b, err := x.FetchBalance(ctx)
		if err != nil {
			return err
		}
		d.Balance(b)
	}
	return nil
}
