package engine

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

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
