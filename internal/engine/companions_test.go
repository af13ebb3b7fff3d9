package engine

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/internal/fakeserver"
	"github.com/unifex-go/unifex/internal/leaktest"
	"github.com/unifex-go/unifex/internal/stream"
	"github.com/unifex-go/unifex/internal/watch"
	"github.com/unifex-go/unifex/unified"
)

// TestCompanionsRideWithTheirTopic: a watch subscribes its topic's
// companion channel too, what that channel carries reaches the watch, and
// leaving the topic unsubscribes both.
func TestCompanionsRideWithTheirTopic(t *testing.T) {
	leaktest.Check(t)
	v := newToyVenue(t)
	spec := toySpec(t, v, 0)
	spec.Companions = func(k watch.Key) []watch.Key {
		if k.Kind == watch.Trades && k.Param == "" {
			return []watch.Key{{Kind: watch.Trades, Symbol: k.Symbol, Param: "extra"}}
		}
		return nil
	}
	channel := spec.Channel
	spec.Channel = func(k watch.Key) string {
		if k.Param == "extra" {
			return "extra:" + k.Symbol
		}
		return channel(k)
	}
	handle := spec.Handle
	spec.Handle = func(r Route, m stream.Message, d *Dispatch) error {
		var msg toyMsg
		if json.Unmarshal(m.Data, &msg) == nil && strings.HasPrefix(msg.Topic, "extra:") {
			symbol := strings.TrimPrefix(msg.Topic, "extra:")
			d.Trades(symbol, unified.Trade{ID: msg.Trade, Symbol: symbol, Price: decimal.NewNullDecimal(dec("100"))})
			return nil
		}
		return handle(r, m, d)
	}
	e, err := New(spec)
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
	waitFor(t, "both subscriptions", func() bool { return len(v.history()) == 2 })
	if h := v.history(); !slices.Contains(h, "sub:trades:BTC/USDT") || !slices.Contains(h, "sub:extra:BTC/USDT") {
		t.Fatalf("subscriptions %v", h)
	}
	v.push(toyMsg{Topic: "extra:BTC/USDT", Trade: "x1"}, false)
	if ts := <-got; len(ts) != 1 || ts[0].ID != "x1" {
		t.Fatalf("trades from the companion: %+v", ts)
	}
	if err := c.UnwatchTrades(ctx, "BTC/USDT"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "both unsubscribed (or their connection closed)", func() bool {
		v.mu.Lock()
		defer v.mu.Unlock()
		n := 0
		for _, chs := range v.subs {
			n += len(chs)
		}
		return n == 0
	})
}

// TestCompanionErrorsReachTheirTopic: once a watch runs, what fails on its
// companion's channel — an error the adapter reports for the companion's
// topic, an outage of the companion's connection (another route here),
// its resubscription refused after the reconnect — reaches the watch's
// readers as the watch's own channel's errors do.
func TestCompanionErrorsReachTheirTopic(t *testing.T) {
	leaktest.Check(t)
	v := newToyVenue(t)
	spec := toySpec(t, v, 0)
	companion := watch.Key{Kind: watch.Trades, Symbol: "BTC/USDT", Param: "extra"}
	spec.Companions = func(k watch.Key) []watch.Key {
		if k.Kind == watch.Trades && k.Param == "" && k.Symbol == "BTC/USDT" {
			return []watch.Key{companion}
		}
		return nil
	}
	route := spec.Route
	spec.Route = func(k watch.Key) (Route, error) {
		if k.Param == "extra" {
			return Route{Name: "side"}, nil
		}
		return route(k)
	}
	channel := spec.Channel
	spec.Channel = func(k watch.Key) string {
		if k.Param == "extra" {
			return "extra:" + k.Symbol
		}
		return channel(k)
	}
	var refuse atomic.Bool
	subscribe := spec.Subscribe
	spec.Subscribe = func(ctx context.Context, r Route, s *stream.Session, chs []string) error {
		if r.Name == "side" && refuse.Load() {
			return errors.Newf(errors.BadRequest, "extra refused")
		}
		return subscribe(ctx, r, s, chs)
	}
	handle := spec.Handle
	spec.Handle = func(r Route, m stream.Message, d *Dispatch) error {
		var msg toyMsg
		if json.Unmarshal(m.Data, &msg) == nil && msg.Topic == "extra:BTC/USDT" {
			if msg.Trade == "" {
				err := errors.Newf(errors.BadResponse, "a malformed extra push")
				d.Fail(companion, err)
				return err
			}
			d.Trades("BTC/USDT", unified.Trade{ID: msg.Trade, Symbol: "BTC/USDT", Price: decimal.NewNullDecimal(dec("100"))})
			return nil
		}
		return handle(r, m, d)
	}
	e, err := New(spec)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	c := e.NewConsumer(true)
	ctx := ctxT(t)
	watchErr := func() chan error {
		done := make(chan error, 1)
		go func() {
			_, err := c.WatchTrades(ctx, "BTC/USDT")
			done <- err
		}()
		return done
	}
	done := watchErr()
	waitFor(t, "both subscriptions", func() bool { return len(v.history()) == 2 })
	v.push(toyMsg{Topic: "extra:BTC/USDT"}, false)
	if err := <-done; !errors.Is(err, errors.BadResponse) {
		t.Fatalf("a malformed companion push: %v, want BadResponse", err)
	}

	// An outage of the companion's connection.
	sideConn := func() *fakeserver.Conn {
		v.mu.Lock()
		defer v.mu.Unlock()
		for conn, chs := range v.subs {
			if slices.Contains(chs, "extra:BTC/USDT") {
				return conn
			}
		}
		return nil
	}
	done = watchErr()
	time.Sleep(20 * time.Millisecond) // the watch is waiting
	refuse.Store(true)
	sideConn().Drop()
	if err := <-done; !errors.Is(err, errors.NetworkError) {
		t.Fatalf("the companion's connection dropped: %v, want NetworkError", err)
	}
	// Its resubscription is refused on every reconnect: the refusal
	// reaches the watch.
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, err := c.WatchTrades(ctx, "BTC/USDT")
		if errors.Is(err, errors.BadRequest) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the refused resubscription never reached the watch (last: %v)", err)
		}
	}
	// The main channel was never touched.
	if h := v.history(); slices.Contains(h[2:], "sub:trades:BTC/USDT") {
		t.Fatalf("the main channel was resubscribed: %v", h)
	}
}
