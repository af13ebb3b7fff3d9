package engine

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/backoff"
	"github.com/unifex-go/unifex/internal/fakeserver"
	"github.com/unifex-go/unifex/internal/leaktest"
	"github.com/unifex-go/unifex/internal/stream"
	"github.com/unifex-go/unifex/internal/watch"
	"github.com/unifex-go/unifex/markets"
	"github.com/unifex-go/unifex/orderbook"
	"github.com/unifex-go/unifex/unified"
)

// The toy venue: clients send {"op":"sub"|"unsub","id":n,"ch":[...]} and
// get {"ack":n}; a book subscription is answered with a snapshot; the test
// pushes deltas and trades. Books use okx's seqId/prevSeqId scheme.

type toyMsg struct {
	Op    string     `json:"op,omitempty"`
	ID    int        `json:"id,omitempty"`
	Ack   int        `json:"ack,omitempty"`
	Chs   []string   `json:"ch,omitempty"`
	Topic string     `json:"topic,omitempty"`
	Type  string     `json:"type,omitempty"`
	Seq   int64      `json:"seq,omitempty"`
	Prev  int64      `json:"prev,omitempty"`
	Bids  [][]string `json:"bids,omitempty"`
	Asks  [][]string `json:"asks,omitempty"`
	Trade string     `json:"trade,omitempty"`
}

type toyVenue struct {
	t   *testing.T
	srv *fakeserver.WS

	snapshotDelay time.Duration // before a subscription's book snapshot

	mu   sync.Mutex
	seq  map[string]int64              // book channel -> last seq
	subs map[*fakeserver.Conn][]string // live subscriptions per connection
	log  []string                      // "sub:ch" / "unsub:ch" in order
}

func newToyVenue(t *testing.T) *toyVenue {
	v := &toyVenue{t: t, seq: map[string]int64{}, subs: map[*fakeserver.Conn][]string{}}
	v.srv = fakeserver.NewWS(v.serve)
	t.Cleanup(v.srv.Close)
	return v
}

func (v *toyVenue) serve(c *fakeserver.Conn) {
	for {
		raw, err := c.Read(context.Background())
		if err != nil {
			v.mu.Lock()
			delete(v.subs, c)
			v.mu.Unlock()
			return
		}
		var m toyMsg
		if json.Unmarshal(raw, &m) != nil {
			continue
		}
		v.mu.Lock()
		if m.Op == "login" {
			v.log = append(v.log, "login")
		}
		for _, ch := range m.Chs {
			v.log = append(v.log, m.Op+":"+ch)
			if m.Op == "sub" {
				v.subs[c] = append(v.subs[c], ch)
			} else {
				v.subs[c] = remove(v.subs[c], ch)
			}
		}
		v.mu.Unlock()
		v.send(c, toyMsg{Ack: m.ID})
		if m.Op == "sub" {
			for _, ch := range m.Chs {
				if strings.HasPrefix(ch, "orderbook:") {
					time.Sleep(v.snapshotDelay)
					v.mu.Lock()
					v.seq[ch] += 10
					seq := v.seq[ch]
					v.mu.Unlock()
					v.send(c, toyMsg{Topic: ch, Type: "snapshot", Seq: seq, Prev: -1,
						Bids: [][]string{{"100", "1"}, {"99", "2"}}, Asks: [][]string{{"101", "1"}}})
				}
			}
		}
	}
}

func remove(s []string, x string) []string {
	out := s[:0]
	for _, e := range s {
		if e != x {
			out = append(out, e)
		}
	}
	return out
}

func (v *toyVenue) send(c *fakeserver.Conn, m toyMsg) {
	b, _ := json.Marshal(m)
	_ = c.Send(b)
}

// push sends m to every connection subscribed to its topic; for books it
// numbers the delta (skip leaves a gap).
func (v *toyVenue) push(m toyMsg, skip bool) int {
	v.mu.Lock()
	if m.Type == "delta" {
		prev := v.seq[m.Topic]
		if skip {
			prev++
		}
		m.Prev, m.Seq = prev, prev+1
		v.seq[m.Topic] = m.Seq
	}
	var to []*fakeserver.Conn
	for c, chs := range v.subs {
		for _, ch := range chs {
			if ch == m.Topic {
				to = append(to, c)
			}
		}
	}
	v.mu.Unlock()
	for _, c := range to {
		v.send(c, m)
	}
	return len(to)
}

func (v *toyVenue) history() []string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]string(nil), v.log...)
}

// waitFor polls cond until it holds (a state the server reaches after
// asynchronous work), failing after a generous deadline.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func toySpec(t *testing.T, v *toyVenue, maxPerLink int) Spec {
	snap, err := markets.NewSnapshot("toy", []unified.Market{
		{ID: "BTCUSDT", Symbol: "BTC/USDT", Base: "BTC", Quote: "USDT", Type: unified.Spot, Spot: true},
		{ID: "ETHUSDT", Symbol: "ETH/USDT", Base: "ETH", Quote: "USDT", Type: unified.Spot, Spot: true},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var ids sync.Mutex
	next := 0
	request := func(ctx context.Context, s *stream.Session, op string, chs []string) error {
		ids.Lock()
		next++
		id := next
		ids.Unlock()
		payload, _ := json.Marshal(toyMsg{Op: op, ID: id, Chs: chs})
		_, err := s.Request(ctx, stream.Request{Payload: payload, Match: func(m stream.Message) bool {
			var r toyMsg
			return json.Unmarshal(m.Data, &r) == nil && r.Ack == id
		}})
		return err
	}
	return Spec{
		Exchange: "toy",
		Markets:  func(context.Context) (*markets.Snapshot, error) { return snap, nil },
		Route:    func(watch.Key) (Route, error) { return Route{Name: "public"}, nil },
		Channel:  func(k watch.Key) string { return k.Kind.String() + ":" + k.Symbol },
		Link: func(Route) stream.Config {
			return stream.Config{
				Dial:    func(context.Context) (stream.Target, error) { return stream.Target{URL: v.srv.URL()}, nil },
				Backoff: backoff.Policy{Base: 5 * time.Millisecond, Max: 20 * time.Millisecond, Jitter: -1},
			}
		},
		MaxChannelsPerLink: maxPerLink,
		Subscribe: func(ctx context.Context, _ Route, s *stream.Session, chs []string) error {
			return request(ctx, s, "sub", chs)
		},
		Unsubscribe: func(ctx context.Context, _ Route, s *stream.Session, chs []string) error {
			return request(ctx, s, "unsub", chs)
		},
		Handle: func(_ Route, m stream.Message, d *Dispatch) error {
			var msg toyMsg
			if err := json.Unmarshal(m.Data, &msg); err != nil {
				return err
			}
			kind, symbol, _ := strings.Cut(msg.Topic, ":")
			switch kind {
			case "orderbook":
				u := orderbook.Update[orderbook.Change]{IDs: orderbook.IDs{Last: msg.Seq, Prev: msg.Prev}}
				for _, side := range []struct {
					sd  orderbook.Side
					lvs [][]string
				}{{orderbook.Bid, msg.Bids}, {orderbook.Ask, msg.Asks}} {
					for _, lv := range side.lvs {
						p, _ := orderbook.ParseNum(lv[0])
						q, _ := orderbook.ParseNum(lv[1])
						u.Changes = append(u.Changes, orderbook.Change{Side: side.sd, Price: p, Amount: q})
					}
				}
				if msg.Type == "snapshot" {
					d.BookSnapshot(symbol, u)
				} else {
					d.BookDelta(symbol, u, nil)
				}
			case "trades":
				d.Trades(symbol, unified.Trade{ID: msg.Trade, Symbol: symbol, Price: decimal.NewNullDecimal(dec("100"))})
			}
			return nil
		},
		Book: func(string) watch.BookSpec { return watch.BookSpec{Checker: orderbook.PrevSeqID{}} },
	}
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestBookLifecycle(t *testing.T) {
	leaktest.Check(t)
	v := newToyVenue(t)
	e, err := New(toySpec(t, v, 0))
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	a, b := e.NewConsumer(false), e.NewConsumer(false)
	ctx := ctxT(t)

	ob, err := a.WatchOrderBook(ctx, "BTC/USDT")
	if err != nil || len(ob.Bids) != 2 || ob.Nonce != 10 {
		t.Fatalf("first watch: %+v, %v", ob, err)
	}
	if ob2, err := b.WatchOrderBook(ctx, "BTC/USDT"); err != nil || ob2 != ob {
		t.Fatalf("second consumer must get the same shared book: %v", err)
	}
	if got := v.history(); len(got) != 1 || got[0] != "sub:orderbook:BTC/USDT" {
		t.Fatalf("a second watcher must send nothing; venue saw %v", got)
	}

	// A delta wakes both consumers.
	v.push(toyMsg{Topic: "orderbook:BTC/USDT", Type: "delta", Bids: [][]string{{"100", "0"}}}, false)
	ob, err = a.WatchOrderBook(ctx, "BTC/USDT", exchange.Limit(1))
	if err != nil || len(ob.Bids) != 1 || ob.Bids[0].Price.String() != "99" || ob.Nonce != 11 {
		t.Fatalf("after delta: %+v, %v", ob, err)
	}
	if p, err := b.OrderBook("BTC/USDT", 0); err != nil || p.Nonce != 11 {
		t.Fatalf("polling accessor: %+v, %v", p, err)
	}

	// A gap: the waiter gets InvalidNonce, the engine resubscribes, the next
	// call returns the fresh book.
	v.push(toyMsg{Topic: "orderbook:BTC/USDT", Type: "delta", Asks: [][]string{{"102", "5"}}}, true)
	if _, err := a.WatchOrderBook(ctx, "BTC/USDT"); !errors.Is(err, errors.InvalidNonce) {
		t.Fatalf("after a gap: %v", err)
	}
	ob, err = a.WatchOrderBook(ctx, "BTC/USDT")
	if err != nil || len(ob.Asks) != 1 || ob.Nonce != 23 {
		t.Fatalf("after resync: %+v, %v (ghost levels or stale book?)", ob, err)
	}
	waitFor(t, "resubscription", func() bool {
		h := v.history()
		return len(h) == 3 && h[1] == "unsub:orderbook:BTC/USDT" && h[2] == "sub:orderbook:BTC/USDT"
	})

	// A drop: waiters get NetworkError; the link reconnects and resubscribes.
	v.srv.Conns()[0].Drop()
	if _, err := a.WatchOrderBook(ctx, "BTC/USDT"); !errors.Is(err, errors.NetworkError) {
		t.Fatalf("after a drop: %v", err)
	}
	ob, err = a.WatchOrderBook(ctx, "BTC/USDT")
	if err != nil || ob.Nonce != 33 {
		t.Fatalf("after reconnect: %+v, %v", ob, err)
	}
	if v.srv.Dials() != 2 {
		t.Fatalf("dials = %d", v.srv.Dials())
	}

	// Unwatch by both: the last one unsubscribes, and the idle link closes.
	a.UnwatchOrderBook(ctx, "BTC/USDT")
	if n := len(v.history()); n != 4 {
		t.Fatalf("the first unwatch must send nothing: %v", v.history())
	}
	b.UnwatchOrderBook(ctx, "BTC/USDT")
	waitFor(t, "the idle link to close", func() bool { return len(v.srv.Conns()) == 2 && isDone(v.srv.Conns()[1]) })
}

func isDone(c *fakeserver.Conn) bool {
	select {
	case <-c.Done():
		return true
	default:
		return false
	}
}

func TestTradesNewUpdatesAndLinksPerChannel(t *testing.T) {
	leaktest.Check(t)
	v := newToyVenue(t)
	e, err := New(toySpec(t, v, 1)) // one channel per connection
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	c := e.NewConsumer(true)
	ctx := ctxT(t)
	got := make(chan []unified.Trade, 1)
	go func() {
		ts, err := c.WatchTrades(ctx, "BTC/USDT")
		if err != nil {
			t.Error(err)
		}
		got <- ts
	}()
	waitFor(t, "trades subscription", func() bool { return len(v.history()) == 1 })
	v.push(toyMsg{Topic: "trades:BTC/USDT", Trade: "t1"}, false)
	if ts := <-got; len(ts) != 1 || ts[0].ID != "t1" {
		t.Fatalf("trades: %+v", ts)
	}
	// A second channel needs a second connection.
	if _, err := c.WatchOrderBook(ctx, "ETH/USDT"); err != nil {
		t.Fatal(err)
	}
	if n := v.srv.Dials(); n != 2 {
		t.Fatalf("dials = %d, want one connection per channel", n)
	}
	if _, err := c.WatchTrades(ctx, "XRP/USDT"); !errors.Is(err, errors.BadSymbol) {
		t.Fatalf("unknown symbol: %v", err)
	}
	for name, call := range map[string]func() error{
		"trades": func() error { _, err := c.WatchTrades(ctx, ""); return err },
		"ticker": func() error { _, err := c.WatchTicker(ctx, ""); return err },
		"ohlcv":  func() error { _, err := c.WatchOHLCV(ctx, "", "1m"); return err },
		"book":   func() error { _, err := c.WatchOrderBook(ctx, ""); return err },
	} {
		if err := call(); !errors.Is(err, errors.BadSymbol) {
			t.Errorf("%s with no symbol: %v, want BadSymbol", name, err)
		}
	}
}

func TestCloseEndsWaiters(t *testing.T) {
	leaktest.Check(t)
	v := newToyVenue(t)
	e, err := New(toySpec(t, v, 0))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	c := e.NewConsumer(false)
	ctx := ctxT(t)
	if _, err := c.WatchOrderBook(ctx, "BTC/USDT"); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { _, err := c.WatchOrderBook(ctx, "BTC/USDT"); done <- err }()
	e.Close()
	if err := <-done; !errors.Is(err, errors.ExchangeClosedByUser) {
		t.Fatalf("waiter after Close: %v", err)
	}
	if _, err := c.WatchTrades(ctx, "BTC/USDT"); !errors.Is(err, errors.ExchangeClosedByUser) {
		t.Fatalf("watch after Close: %v", err)
	}
}

func TestRequestOpensALinkAndCorrelates(t *testing.T) {
	leaktest.Check(t)
	v := newToyVenue(t)
	e, err := New(toySpec(t, v, 0))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	payload, _ := json.Marshal(toyMsg{Op: "sub", ID: 777, Chs: []string{"orderbook:ETH/USDT"}})
	m, err := e.Request(ctxT(t), Route{Name: "public"}, stream.Request{Payload: payload, Match: func(m stream.Message) bool {
		var r toyMsg
		return json.Unmarshal(m.Data, &r) == nil && r.Ack == 777
	}})
	if err != nil || !strings.Contains(string(m.Data), "777") {
		t.Fatalf("request: %s, %v", m.Data, err)
	}
	if v.srv.Dials() != 1 {
		t.Fatalf("dials = %d", v.srv.Dials())
	}
	e.Close()
	if _, err := e.Request(ctxT(t), Route{Name: "public"}, stream.Request{Payload: payload, ID: "x"}); !errors.Is(err, errors.ExchangeClosedByUser) {
		t.Fatalf("request after Close: %v", err)
	}
}

func TestPrivateRouteLogsInAndReconciles(t *testing.T) {
	leaktest.Check(t)
	v := newToyVenue(t)
	spec := toySpec(t, v, 0)
	public := spec.Route
	spec.Route = func(k watch.Key) (Route, error) {
		if k.Kind == watch.Orders {
			return Route{Name: "private", Private: true}, nil
		}
		return public(k)
	}
	spec.Login = func(ctx context.Context, _ Route, s *stream.Session) error {
		payload, _ := json.Marshal(toyMsg{Op: "login", ID: 99})
		_, err := s.Request(ctx, stream.Request{Payload: payload, Match: func(m stream.Message) bool {
			var r toyMsg
			return json.Unmarshal(m.Data, &r) == nil && r.Ack == 99
		}})
		return err
	}
	var attempts atomic.Int32
	spec.Resync = backoff.Policy{Base: time.Millisecond, Jitter: -1}
	// The venue's state: o1 is open until the outage, closed after it.
	var status atomic.Value
	status.Store(unified.StatusOpen)
	spec.Reconcile = func(_ context.Context, r Route, d *Dispatch) error {
		if !r.Private || d.Route() != r {
			t.Errorf("reconcile on route %+v", r)
		}
		if attempts.Add(1) == 1 { // the engine must try again after a passing failure
			return errors.Newf(errors.ExchangeNotAvailable, "502")
		}
		d.Orders(unified.Order{ID: "o1", Symbol: "BTC/USDT", Status: status.Load().(unified.OrderStatus)})
		return nil
	}
	var renewals atomic.Int32
	spec.RenewEvery = 5 * time.Millisecond
	spec.Renew = func(context.Context, Route) error { renewals.Add(1); return nil }
	e, err := New(spec)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	c := e.NewConsumer(true)
	ctx := ctxT(t)
	// The first connect reconciles (after a failed attempt): the first
	// watch carries the current state without waiting for a change.
	os, err := c.WatchOrders(ctx, "")
	if err != nil || len(os) != 1 || os[0].ID != "o1" || os[0].Status != unified.StatusOpen || attempts.Load() < 2 {
		t.Fatalf("first orders: %+v, %v after %d reconciliations", os, err, attempts.Load())
	}
	waitFor(t, "the listen-key renewal to run", func() bool { return renewals.Load() >= 2 })
	if h := v.history(); len(h) != 2 || h[0] != "login" || h[1] != "sub:orders:" {
		t.Fatalf("venue saw %v; the login must come first", h)
	}
	done := make(chan error, 1)
	go func() { _, err := c.WatchOrders(ctx, ""); done <- err }()
	status.Store(unified.StatusClosed) // changed during the outage
	v.srv.Conns()[0].Drop()
	if err := <-done; !errors.Is(err, errors.NetworkError) {
		t.Fatalf("waiter at the drop: %v", err)
	}
	// The reconnect reconciles what the outage hid.
	os, err = c.WatchOrders(ctx, "")
	if err != nil || len(os) != 1 || os[0].ID != "o1" || os[0].Status != unified.StatusClosed {
		t.Fatalf("orders after reconciliation: %+v, %v", os, err)
	}
	if h := v.history(); len(h) != 4 || h[2] != "login" || h[3] != "sub:orders:" {
		t.Fatalf("after the reconnect the venue saw %v", h)
	}
	// A new private subscription reconciles too: its topic starts with the state.
	before := attempts.Load()
	os, err = c.WatchOrders(ctx, "BTC/USDT")
	if err != nil || len(os) != 1 || os[0].Status != unified.StatusClosed || attempts.Load() == before {
		t.Fatalf("a topic joined later: %+v, %v", os, err)
	}
}

// TestRefreshCoalesces checks Dispatch.Refresh: nothing runs for a topic
// nobody watches; requests while a refresh runs make exactly one more run
// after it; a refused refresh reaches the topic's readers.
func TestRefreshCoalesces(t *testing.T) {
	leaktest.Check(t)
	v := newToyVenue(t)
	spec := toySpec(t, v, 0)
	var runs atomic.Int32
	release := make(chan struct{})
	var refuse atomic.Bool
	spec.Refresh = func(ctx context.Context, k watch.Key, d *Dispatch) error {
		runs.Add(1)
		if refuse.Load() {
			return errors.Newf(errors.PermissionDenied, "no")
		}
		select {
		case <-release:
		case <-ctx.Done():
		}
		d.Balance(&unified.Balances{})
		return nil
	}
	e, err := New(spec)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	d := &Dispatch{e: e}
	key := watch.Key{Kind: watch.Balance}
	d.Refresh(key)
	if runs.Load() != 0 {
		t.Fatal("a refresh ran for a topic nobody watches")
	}
	c := e.NewConsumer(false)
	defer c.Close()
	vt, _, err := watch.JoinValue[unified.Balances](c.wc, key)
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		d.Refresh(key)
	}
	waitFor(t, "the first refresh", func() bool { return runs.Load() == 1 })
	release <- struct{}{}
	waitFor(t, "the second refresh", func() bool { return runs.Load() == 2 })
	release <- struct{}{}
	time.Sleep(20 * time.Millisecond)
	if n := runs.Load(); n != 2 {
		t.Fatalf("%d refreshes for a burst during one, want 2", n)
	}
	if _, err := watch.ReadValue(ctxT(t), c.wc, vt); err != nil {
		t.Fatal(err)
	}
	refuse.Store(true)
	d.Refresh(key)
	if _, err := watch.ReadValue(ctxT(t), c.wc, vt); !errors.Is(err, errors.PermissionDenied) || runs.Load() != 3 {
		t.Fatalf("after a refused refresh: %v (%d runs)", err, runs.Load())
	}
}

// TestCancelledWatchFailsNobody: a watch whose own context is cancelled
// while its subscription is sent returns that, but leaves no error event on
// the topic: the next watch (this consumer's or another's) gets data.
func TestCancelledWatchFailsNobody(t *testing.T) {
	leaktest.Check(t)
	v := newToyVenue(t)
	e, err := New(toySpec(t, v, 0))
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	c := e.NewConsumer(false)
	ctx := ctxT(t)
	go func() { _, _ = c.WatchTrades(ctx, "BTC/USDT") }() // connects the link
	waitFor(t, "the first subscription", func() bool { return len(v.history()) == 1 })
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := c.WatchTrades(cancelled, "ETH/USDT"); err == nil {
		t.Fatal("a watch with a cancelled context returned nothing")
	}
	got := make(chan error, 1)
	go func() {
		ts, err := c.WatchTrades(ctx, "ETH/USDT")
		if err == nil && (len(ts) != 1 || ts[0].ID != "e1") {
			err = errors.Newf(errors.BadResponse, "unexpected trades")
		}
		got <- err
	}()
	waitFor(t, "the second subscription", func() bool { return len(v.history()) == 2 })
	v.push(toyMsg{Topic: "trades:ETH/USDT", Trade: "e1"}, false)
	if err := <-got; err != nil {
		t.Fatalf("the watch after a cancelled one: %v", err)
	}
}

// TestRESTSnapshotKeepsEarlyDeltas: deltas that arrive between the
// subscription and the REST snapshot request are kept and bridge a
// snapshot older than they are (a venue may send the first update at
// once, and its REST book may lag its stream).
func TestRESTSnapshotKeepsEarlyDeltas(t *testing.T) {
	leaktest.Check(t)
	v := newToyVenue(t)
	spec := toySpec(t, v, 0)
	var e *Engine
	subscribe := spec.Subscribe
	spec.Subscribe = func(ctx context.Context, r Route, s *stream.Session, chs []string) error {
		if err := subscribe(ctx, r, s, chs); err != nil {
			return err
		}
		for seq := int64(11); seq <= 12; seq++ { // before the snapshot is asked for
			frame, _ := json.Marshal(toyMsg{Topic: "orderbook:BTC/USDT", Type: "delta", Prev: seq - 1, Seq: seq,
				Bids: [][]string{{"100", strconv.FormatInt(seq, 10)}}})
			if err := e.Feed(r, stream.Message{Type: stream.Text, Data: frame}); err != nil {
				return err
			}
		}
		return nil
	}
	spec.Book = func(string) watch.BookSpec { return watch.BookSpec{Checker: orderbook.PrevSeqID{}, Buffer: 100} }
	// A channel the toy venue sends no snapshot on: the REST one is the only one.
	spec.Channel = func(k watch.Key) string { return "rest" + k.Kind.String() + ":" + k.Symbol }
	spec.BookSnapshot = func(context.Context, string) (BookSnapshot, error) {
		p, _ := orderbook.ParseNum("100")
		q, _ := orderbook.ParseNum("1")
		return BookSnapshot{IDs: orderbook.IDs{Last: 10}, Changes: []orderbook.Change{{Side: orderbook.Bid, Price: p, Amount: q}}}, nil
	}
	var err error
	if e, err = New(spec); err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	c := e.NewConsumer(false)
	ob, err := c.WatchOrderBook(ctxT(t), "BTC/USDT")
	if err != nil {
		t.Fatal(err)
	}
	if ob.Nonce != 12 || len(ob.Bids) != 1 || ob.Bids[0].Amount.String() != "12" {
		t.Fatalf("book at %d with %v, want the two early deltas on the snapshot (12, amount 12)", ob.Nonce, ob.Bids)
	}
}

// TestStreamSnapshotAwaitedWhenRESTCannotSeed: a venue whose REST book
// cannot seed the stream (BookSnapshot answers NotSupported, as OKX's did
// before 2026) sends the channel's own snapshot after the subscription. When
// the REST answer comes first, the engine waits for that snapshot rather
// than subscribing again: a second subscription's snapshot would silently
// replace the book and hide a gap in between.
func TestStreamSnapshotAwaitedWhenRESTCannotSeed(t *testing.T) {
	leaktest.Check(t)
	v := newToyVenue(t)
	v.snapshotDelay = 100 * time.Millisecond
	spec := toySpec(t, v, 0)
	spec.BookSnapshot = func(context.Context, string) (orderbook.Update[orderbook.Change], error) {
		return orderbook.Update[orderbook.Change]{}, errors.Newf(errors.NotSupported, "toy: the REST book has no sequence")
	}
	e, err := New(spec)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	c := e.NewConsumer(false)
	ob, err := c.WatchOrderBook(ctxT(t), "BTC/USDT")
	if err != nil || ob.Nonce != 10 {
		t.Fatalf("first watch: %+v, %v", ob, err)
	}
	time.Sleep(150 * time.Millisecond) // a resubscription would have been sent by now
	if h := v.history(); len(h) != 1 || h[0] != "sub:orderbook:BTC/USDT" {
		t.Fatalf("the venue saw %v, want one subscription", h)
	}
	// A gap is still reported, and a lost sync still resubscribes.
	v.push(toyMsg{Topic: "orderbook:BTC/USDT", Type: "delta", Asks: [][]string{{"102", "5"}}}, true)
	if _, err := c.WatchOrderBook(ctxT(t), "BTC/USDT"); !errors.Is(err, errors.InvalidNonce) {
		t.Fatalf("after a gap: %v", err)
	}
	waitFor(t, "the resubscription after the gap", func() bool { return len(v.history()) == 3 })
}

// TestResyncAskedWhileOneRunsIsNotLost: a book that fails again while its
// resync is still running — just after that resync synced it, before the
// job ended — is resynced once more. The request used to be dropped
// because a resync was running, and the book stayed failed for good (okx
// conformance rest-snapshot/Faults/checksum, under load: "the book did not
// recover" after the ChecksumError came within the first snapshot's job).
func TestResyncAskedWhileOneRunsIsNotLost(t *testing.T) {
	leaktest.Check(t)
	v := newToyVenue(t)
	spec := toySpec(t, v, 0)
	spec.Resync = backoff.Policy{Base: time.Millisecond, Jitter: -1}
	k := watch.Key{Kind: watch.Book, Symbol: "BTC/USDT"}
	var e *Engine
	var subs atomic.Int32
	subscribe := spec.Subscribe
	spec.Subscribe = func(ctx context.Context, r Route, s *stream.Session, chs []string) error {
		if err := subscribe(ctx, r, s, chs); err != nil {
			return err
		}
		if subs.Add(1) != 2 {
			return nil
		}
		// The resync's resubscription (its job is running): once its
		// snapshot has synced the book, the book fails again, and Feed
		// returns after the failure has asked for a resync.
		for bt := e.hub.FindBook(k); !bt.Synced(); {
			if err := backoff.Sleep(ctx, time.Millisecond); err != nil {
				return err
			}
		}
		gap, _ := json.Marshal(toyMsg{Topic: "orderbook:BTC/USDT", Type: "delta", Prev: 1000, Seq: 1001})
		return e.Feed(r, stream.Message{Type: stream.Text, Data: gap})
	}
	var err error
	if e, err = New(spec); err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	c := e.NewConsumer(false)
	if ob, err := c.WatchOrderBook(ctxT(t), "BTC/USDT"); err != nil || ob.Nonce != 10 {
		t.Fatalf("first watch: %+v, %v", ob, err)
	}
	v.push(toyMsg{Topic: "orderbook:BTC/USDT", Type: "delta", Asks: [][]string{{"102", "5"}}}, true)
	bt := e.hub.FindBook(k)
	waitFor(t, "the book to fail twice and come back", func() bool { return subs.Load() >= 3 && bt.Synced() })
	if h := v.history(); len(h) != 5 || h[3] != "unsub:orderbook:BTC/USDT" || h[4] != "sub:orderbook:BTC/USDT" {
		t.Fatalf("the venue saw %v, want a second resubscription", h)
	}
	ob, err := e.NewConsumer(false).WatchOrderBook(ctxT(t), "BTC/USDT")
	if err != nil || ob.Nonce != 32 {
		t.Fatalf("after the second resync: %+v, %v", ob, err)
	}
}
