package sim

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/engine"
	"github.com/unifex-go/unifex/internal/stream"
	"github.com/unifex-go/unifex/internal/watch"
	"github.com/unifex-go/unifex/markets"
	"github.com/unifex-go/unifex/orderbook"
	"github.com/unifex-go/unifex/unified"
)

// The two routes: market data, and the logged-in account.
var (
	publicRoute  = engine.Route{Name: "public"}
	privateRoute = engine.Route{Name: "private", Private: true}
)

// reconcileMargin is how far before the newest order change it has seen
// the adapter asks for closed orders after a reconnect, so that changes in
// the same millisecond, or stamped by a clock that stepped back a little,
// are not missed. Duplicates are harmless: a state older than the cached
// one is not published.
const reconcileMargin = 10 * time.Second

// accountChannels are the private channels by topic kind.
var accountChannels = map[watch.Kind]string{
	watch.Orders: "orders", watch.MyTrades: "fills", watch.Balance: "balance", watch.Positions: "positions",
}

// streamSpec describes the venue's WebSocket to the engine.
func (x *Exchange) streamSpec(wsURL string, opts Options) *engine.Spec {
	return &engine.Spec{
		Route: func(k watch.Key) (engine.Route, error) {
			if _, private := accountChannels[k.Kind]; private {
				return privateRoute, nil
			}
			return publicRoute, nil
		},
		Channel: x.channel,
		Link: func(engine.Route) stream.Config {
			return stream.Config{
				Dial: func(context.Context) (stream.Target, error) { return stream.Target{URL: wsURL}, nil },
				Keepalive: stream.Keepalive{
					Interval: opts.PingInterval,
					Ping:     func() []byte { return []byte(`{"op":"ping"}`) },
					Answer: func(m stream.Message) ([]byte, bool) {
						return nil, bytes.Equal(m.Data, []byte(`{"op":"pong"}`))
					},
				},
			}
		},
		Subscribe: func(ctx context.Context, _ engine.Route, s *stream.Session, chs []string) error {
			return x.call(ctx, s, wsRequest{Op: "sub", Args: chs}, nil)
		},
		Unsubscribe: func(ctx context.Context, _ engine.Route, s *stream.Session, chs []string) error {
			return x.call(ctx, s, wsRequest{Op: "unsub", Args: chs}, nil)
		},
		MaxChannelsPerLink: opts.ChannelsPerLink,
		Login:              x.login,
		Reconcile:          x.reconcile,
		Handle:             x.handle,
		Book:               func(string) watch.BookSpec { return watch.BookSpec{Checker: orderbook.PrevSeqID{}} },
	}
}

// channel names the venue's channel of topic k: "book:BTCUSDT",
// "bbo:BTCUSDT", "funding:BTCUSDT-PERP", "ohlcv:1m:BTCUSDT", "orders"...
func (x *Exchange) channel(k watch.Key) string {
	if ch, private := accountChannels[k.Kind]; private {
		return ch // one channel for every symbol
	}
	id := k.Symbol
	if snap, err := x.Markets(context.Background()); err == nil { // loaded: the engine checked the symbol
		if m, err := snap.Market(k.Symbol); err == nil {
			id = m.ID
		}
	}
	switch k.Kind {
	case watch.Book:
		return "book:" + id
	case watch.Ticker:
		return "ticker:" + id
	case watch.BidsAsks:
		return "bbo:" + id
	case watch.FundingRate:
		return "funding:" + id
	case watch.OHLCV:
		return "ohlcv:" + k.Param + ":" + id
	}
	return "trades:" + id
}

// wsRequest is a request to the venue; id is set by call.
type wsRequest struct {
	Op    string   `json:"op"`
	ID    int64    `json:"id"`
	Args  []string `json:"args,omitempty"`
	Key   string   `json:"key,omitempty"`
	TS    int64    `json:"ts,omitempty"`
	Sig   string   `json:"sig,omitempty"`
	Order any      `json:"order,omitempty"`
}

// wsReply is the venue's answer to a request.
type wsReply struct {
	Ack   int64           `json:"ack"`
	Data  json.RawMessage `json:"data"`
	Error *apiError       `json:"error"`
}

// call sends r with a fresh id on s and waits for the answer; a refusal is
// the venue's error mapped to the taxonomy. data receives the answer's
// data when not nil.
func (x *Exchange) call(ctx context.Context, s *stream.Session, r wsRequest, data any) error {
	r.ID = x.reqID.Add(1)
	payload, err := json.Marshal(r)
	if err != nil {
		return err
	}
	resp, err := s.Request(ctx, x.requestOf(payload, r.ID))
	if err != nil {
		return err
	}
	return decodeReply(resp, data)
}

// requestOf is a request whose answer echoes id.
func (x *Exchange) requestOf(payload []byte, id int64) stream.Request {
	prefix := []byte(`{"ack":` + strconv.FormatInt(id, 10))
	return stream.Request{Payload: payload, Match: func(m stream.Message) bool {
		rest, ok := bytes.CutPrefix(m.Data, prefix)
		return ok && len(rest) > 0 && (rest[0] == ',' || rest[0] == '}')
	}}
}

func decodeReply(m stream.Message, data any) error {
	var reply wsReply
	if err := json.Unmarshal(m.Data, &reply); err != nil {
		return errors.Wrap(errors.BadResponse, err, "malformed reply")
	}
	if reply.Error != nil {
		return venueError(reply.Error, 0)
	}
	if data != nil {
		if err := json.Unmarshal(reply.Data, data); err != nil {
			return errors.Wrap(errors.BadResponse, err, "malformed reply")
		}
	}
	return nil
}

// login authenticates a private connection: the key, the venue's time and
// an HMAC of both. A login refused for its timestamp measures the venue's
// clock again, for the next attempt.
func (x *Exchange) login(ctx context.Context, _ engine.Route, s *stream.Session) error {
	if err := x.credentials(); err != nil {
		return err
	}
	if _, err := x.Markets(ctx); err != nil { // account messages name markets by id
		return err
	}
	now, err := x.REST().SyncedNow(ctx)
	if err != nil {
		return err
	}
	ts := now.UnixMilli()
	err = x.call(ctx, s, wsRequest{Op: "login", Key: x.key, TS: ts, Sig: hmacHex(x.secret, "login\n"+strconv.FormatInt(ts, 10))}, nil)
	if errors.Is(err, errors.InvalidNonce) {
		_ = x.REST().SyncTime(ctx)
	}
	if err != nil {
		return err
	}
	x.ordersMu.Lock()
	x.lastSeen = max(x.lastSeen, ts)
	x.ordersMu.Unlock()
	return nil
}

// reconcile runs after a private connection came back: the open orders and
// those closed since shortly before the last change seen, the balance and
// the positions, from REST, so that nothing that changed during the outage
// is missed. The engine tries it again while it fails.
func (x *Exchange) reconcile(ctx context.Context, _ engine.Route, d *engine.Dispatch) error {
	x.ordersMu.Lock()
	since := time.UnixMilli(x.lastSeen).Add(-reconcileMargin)
	x.ordersMu.Unlock()
	// An order that closes between the two calls is in neither list, but
	// its change is pushed on the stream, which was subscribed before this
	// runs.
	closed, err := x.FetchClosedOrders(ctx, "", exchange.Since(since))
	if err != nil {
		return err
	}
	open, err := x.FetchOpenOrders(ctx, "")
	if err != nil {
		return err
	}
	x.publishOrders(d, append(closed, open...))
	if d.Watched(watch.Key{Kind: watch.Balance}) {
		b, err := x.FetchBalance(ctx)
		if err != nil {
			return err
		}
		d.Balance(b)
	}
	ps, err := x.FetchPositions(ctx, nil)
	if err != nil {
		return err
	}
	d.Positions(ps...)
	return nil
}

// publishOrders records the newest change seen (where reconciliation
// starts) and hands the order states to the engine, which drops any that
// is older than the state already cached.
func (x *Exchange) publishOrders(d *engine.Dispatch, os []unified.Order) {
	x.ordersMu.Lock()
	for i := range os {
		x.lastSeen = max(x.lastSeen, os[i].LastUpdateTimestamp.UnixMilli())
	}
	x.ordersMu.Unlock()
	d.Orders(os...)
}

// push is a message on a channel; book messages carry their fields at the
// top level, the others in data.
type push struct {
	Ch   string          `json:"ch"`
	Type string          `json:"type"`
	Seq  int64           `json:"seq"`
	Prev int64           `json:"prev"`
	TS   int64           `json:"ts"`
	Bids [][2]string     `json:"bids"`
	Asks [][2]string     `json:"asks"`
	CS   int64           `json:"cs"`
	Data json.RawMessage `json:"data"`
}

// handle parses one message of the venue.
func (x *Exchange) handle(_ engine.Route, m stream.Message, d *engine.Dispatch) error {
	var p push
	if err := json.Unmarshal(m.Data, &p); err != nil {
		// Tell the topic's readers, when the frame gets as far as naming one.
		if k, ok := x.topicOf(m.Data); ok {
			d.Fail(k, errors.Wrap(errors.BadResponse, err, "malformed "+k.String()+" message"))
		}
		return err
	}
	if p.Ch == "" {
		return nil // a reply or a pong, taken by the link
	}
	snap, err := x.Markets(context.Background()) // loaded before any subscription
	if err != nil {
		return err
	}
	k, mkt, ok := x.topic(snap, p.Ch)
	if !ok {
		return errors.Newf(errors.BadResponse, "a message on an unknown channel "+strconv.Quote(p.Ch))
	}
	if err := x.dispatch(snap, k, mkt, &p, d); err != nil {
		d.Fail(k, err)
		return err
	}
	return nil
}

// dispatch parses a message of topic k and publishes it.
func (x *Exchange) dispatch(snap *markets.Snapshot, k watch.Key, m *unified.Market, p *push, d *engine.Dispatch) error {
	switch k.Kind {
	case watch.Book:
		u, err := bookUpdate(p, d.Changes())
		if err != nil {
			return err
		}
		if p.Type == "snapshot" {
			d.BookSnapshot(m.Symbol, u)
		} else {
			d.BookDelta(m.Symbol, u, &engine.Checksum{Spec: orderbook.Interleaved25, Expected: p.CS})
		}
	case watch.Trades:
		var raw []wireTrade
		if err := json.Unmarshal(p.Data, &raw); err != nil {
			return errors.Wrap(errors.BadResponse, err, "malformed trades")
		}
		ts, err := parseEach(raw, func(r *wireTrade) (unified.Trade, error) { return x.trade(m, r) })
		if err != nil {
			return err
		}
		d.Trades(m.Symbol, ts...)
	case watch.Ticker:
		var raw wireTicker
		if err := json.Unmarshal(p.Data, &raw); err != nil {
			return errors.Wrap(errors.BadResponse, err, "malformed ticker")
		}
		t, err := x.ticker(m, &raw)
		if err != nil {
			return err
		}
		d.Ticker(t)
	case watch.BidsAsks:
		var raw wireBBO
		if err := json.Unmarshal(p.Data, &raw); err != nil {
			return errors.Wrap(errors.BadResponse, err, "malformed best bid and ask")
		}
		t, err := x.bidsAsks(m, &raw)
		if err != nil {
			return err
		}
		d.BidsAsks(t)
	case watch.FundingRate:
		var raw wireFunding
		if err := json.Unmarshal(p.Data, &raw); err != nil {
			return errors.Wrap(errors.BadResponse, err, "malformed funding rate")
		}
		f, err := x.funding(m, &raw)
		if err != nil {
			return err
		}
		d.FundingRate(f)
	case watch.OHLCV:
		var raw [][]any
		if err := json.Unmarshal(p.Data, &raw); err != nil {
			return errors.Wrap(errors.BadResponse, err, "malformed candles")
		}
		cs, err := candles(raw)
		if err != nil {
			return err
		}
		d.OHLCV(m.Symbol, k.Param, cs...)
	default:
		return x.dispatchAccount(snap, k.Kind, p.Data, d)
	}
	return nil
}

// dispatchAccount parses and publishes a message of a private channel.
func (x *Exchange) dispatchAccount(snap *markets.Snapshot, kind watch.Kind, data json.RawMessage, d *engine.Dispatch) error {
	switch kind {
	case watch.Orders:
		var raw []wireOrder
		if err := json.Unmarshal(data, &raw); err != nil {
			return errors.Wrap(errors.BadResponse, err, "malformed orders")
		}
		os, err := parseEach(raw, func(r *wireOrder) (unified.Order, error) { return x.order(snap, r) })
		if err != nil {
			return err
		}
		x.publishOrders(d, os)
	case watch.MyTrades:
		var raw []wireFill
		if err := json.Unmarshal(data, &raw); err != nil {
			return errors.Wrap(errors.BadResponse, err, "malformed fills")
		}
		ts, err := parseEach(raw, func(r *wireFill) (unified.Trade, error) { return x.fill(snap, r) })
		if err != nil {
			return err
		}
		d.MyTrades(ts...)
	case watch.Balance:
		var raw wireBalance
		if err := json.Unmarshal(data, &raw); err != nil {
			return errors.Wrap(errors.BadResponse, err, "malformed balance")
		}
		b, err := x.balances(&raw)
		if err != nil {
			return err
		}
		d.Balance(b)
	case watch.Positions:
		var raw []wirePosition
		if err := json.Unmarshal(data, &raw); err != nil {
			return errors.Wrap(errors.BadResponse, err, "malformed positions")
		}
		ps, err := parseEach(raw, func(r *wirePosition) (unified.Position, error) { return x.position(snap, r) })
		if err != nil {
			return err
		}
		d.Positions(ps...)
	}
	return nil
}

// topic returns the topic and market of a channel.
func (x *Exchange) topic(snap *markets.Snapshot, ch string) (watch.Key, *unified.Market, bool) {
	for kind, name := range accountChannels {
		if ch == name {
			return watch.Key{Kind: kind}, nil, true
		}
	}
	kind, id, _ := strings.Cut(ch, ":")
	k := watch.Key{}
	switch kind {
	case "book":
		k.Kind = watch.Book
	case "trades":
		k.Kind = watch.Trades
	case "ticker":
		k.Kind = watch.Ticker
	case "bbo":
		k.Kind = watch.BidsAsks
	case "funding":
		k.Kind = watch.FundingRate
	case "ohlcv":
		k.Kind = watch.OHLCV
		k.Param, id, _ = strings.Cut(id, ":")
	default:
		return k, nil, false
	}
	m, err := x.marketByID(snap, id)
	if err != nil {
		return k, nil, false
	}
	k.Symbol = m.Symbol
	return k, m, true
}

// topicOf finds the topic a malformed frame names, if it gets that far.
func (x *Exchange) topicOf(data []byte) (watch.Key, bool) {
	_, rest, ok := bytes.Cut(data, []byte(`"ch":"`))
	if !ok {
		return watch.Key{}, false
	}
	name, _, ok := bytes.Cut(rest, []byte(`"`))
	if !ok {
		return watch.Key{}, false
	}
	snap, err := x.Markets(context.Background())
	if err != nil {
		return watch.Key{}, false
	}
	k, _, ok := x.topic(snap, string(name))
	return k, ok
}

// bookUpdate parses a book message's levels, appending them to dst.
func bookUpdate(p *push, dst []orderbook.Change) (orderbook.Update[orderbook.Change], error) {
	u := orderbook.Update[orderbook.Change]{IDs: orderbook.IDs{Last: p.Seq, Prev: p.Prev}, Time: millis(p.TS), Changes: dst}
	for _, side := range []struct {
		sd  orderbook.Side
		lvs [][2]string
	}{{orderbook.Bid, p.Bids}, {orderbook.Ask, p.Asks}} {
		for _, lv := range side.lvs {
			price, err := orderbook.ParseNum(lv[0])
			if err != nil {
				return u, err
			}
			amount, err := orderbook.ParseNum(lv[1])
			if err != nil {
				return u, err
			}
			u.Changes = append(u.Changes, orderbook.Change{Side: side.sd, Price: price, Amount: amount})
		}
	}
	return u, nil
}
