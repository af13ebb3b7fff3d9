package engine

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/internal/leaktest"
	"github.com/unifex-go/unifex/internal/stream"
	"github.com/unifex-go/unifex/internal/watch"
	"github.com/unifex-go/unifex/markets"
	"github.com/unifex-go/unifex/unified"
)

// tickerSpec is the toy venue with a perpetual, whose "bidsasks:SYMBOL"
// pushes carry "bid:ask" in Trade and "fundingRate:SYMBOL" pushes the rate.
func tickerSpec(t *testing.T, v *toyVenue) Spec {
	spec := toySpec(t, v, 0)
	snap, err := markets.NewSnapshot("toy", []unified.Market{
		{ID: "BTCUSDT", Symbol: "BTC/USDT", Base: "BTC", Quote: "USDT", Type: unified.Spot, Spot: true},
		{ID: "ETHUSDT", Symbol: "ETH/USDT", Base: "ETH", Quote: "USDT", Type: unified.Spot, Spot: true},
		{ID: "BTCPERP", Symbol: "BTC/USDT:USDT", Base: "BTC", Quote: "USDT", Settle: "USDT", Type: unified.Swap, Swap: true, Contract: true},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	spec.Markets = func(context.Context) (*markets.Snapshot, error) { return snap, nil }
	handle := spec.Handle
	spec.Handle = func(r Route, m stream.Message, d *Dispatch) error {
		var msg toyMsg
		if err := json.Unmarshal(m.Data, &msg); err != nil {
			return err
		}
		kind, symbol, _ := strings.Cut(msg.Topic, ":")
		switch kind {
		case "bidsasks":
			bid, ask, _ := strings.Cut(msg.Trade, ":")
			d.BidsAsks(&unified.Ticker{Symbol: symbol, Bid: decimal.NewNullDecimal(dec(bid)), Ask: decimal.NewNullDecimal(dec(ask))})
		case "fundingRate":
			d.FundingRate(&unified.FundingRate{Symbol: symbol, Rate: decimal.NewNullDecimal(dec(msg.Trade))})
		default:
			return handle(r, m, d)
		}
		return nil
	}
	return spec
}

func TestWatchBidsAsks(t *testing.T) {
	leaktest.Check(t)
	v := newToyVenue(t)
	e, err := New(tickerSpec(t, v))
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	ctx := ctxT(t)
	a, b := e.NewConsumer(false), e.NewConsumer(false)
	symbols := []string{"BTC/USDT", "ETH/USDT"}
	// Join both topics (a cancelled watch joins and returns), then push.
	joined, stop := context.WithCancel(ctx)
	stop()
	for _, c := range []*Consumer{a, b} {
		if _, err := c.WatchBidsAsks(joined, symbols); !errors.Is(err, context.Canceled) {
			t.Fatalf("joining: %v", err)
		}
	}
	waitFor(t, "two subscriptions", func() bool { return len(v.history()) == 2 })
	if h := v.history(); !slices.Equal(h, []string{"sub:bidsasks:BTC/USDT", "sub:bidsasks:ETH/USDT"}) {
		t.Fatalf("subscriptions %q", h)
	}
	v.push(toyMsg{Topic: "bidsasks:ETH/USDT", Trade: "2000:2001"}, false)
	got, err := a.WatchBidsAsks(ctx, symbols)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got["ETH/USDT"] == nil || !got["ETH/USDT"].Ask.Decimal.Equal(dec("2001")) {
		t.Fatalf("first read: %v", got)
	}
	v.push(toyMsg{Topic: "bidsasks:BTC/USDT", Trade: "100:101"}, false)
	v.push(toyMsg{Topic: "bidsasks:ETH/USDT", Trade: "2000.5:2001"}, false)
	waitFor(t, "both updates", func() bool {
		vt := watch.FindValue[unified.Ticker](e.hub, watch.Key{Kind: watch.BidsAsks, Symbol: "ETH/USDT"})
		return vt.Peek().Bid.Decimal.Equal(dec("2000.5"))
	})
	got, err = a.WatchBidsAsks(ctx, symbols)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !got["BTC/USDT"].Bid.Decimal.Equal(dec("100")) || !got["ETH/USDT"].Bid.Decimal.Equal(dec("2000.5")) {
		t.Fatalf("second read: %v", got)
	}
	// b has read nothing yet: it gets the latest of both.
	if got, err := b.WatchBidsAsks(ctx, symbols); err != nil || len(got) != 2 {
		t.Fatalf("the other consumer: %v, %v", got, err)
	}
	// Nothing new for a: the read waits.
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if got, err := a.WatchBidsAsks(short, symbols); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a read with nothing new: %v, %v", got, err)
	}
	for _, c := range []*Consumer{a, b} {
		if err := c.UnwatchBidsAsks(ctx, symbols); err != nil {
			t.Fatal(err)
		}
	}
	// The first symbol is unsubscribed; the last closes the idle link.
	waitFor(t, "the idle link to close", func() bool { return len(v.srv.Conns()) == 1 && isDone(v.srv.Conns()[0]) })
	if h := v.history(); len(h) != 3 || h[2] != "unsub:bidsasks:BTC/USDT" {
		t.Fatalf("history %q", h)
	}
	if _, err := a.WatchBidsAsks(ctx, nil); !errors.Is(err, errors.ArgumentsRequired) {
		t.Fatalf("no symbols: %v", err)
	}
	for _, symbol := range []string{"XRP/USDT", ""} {
		if _, err := a.WatchBidsAsks(ctx, []string{symbol}); !errors.Is(err, errors.BadSymbol) {
			t.Fatalf("symbol %q: %v, want BadSymbol", symbol, err)
		}
	}
	if h := v.history(); len(h) != 3 {
		t.Fatalf("refused watches subscribed: %q", h)
	}
}

func TestWatchFundingRate(t *testing.T) {
	leaktest.Check(t)
	v := newToyVenue(t)
	e, err := New(tickerSpec(t, v))
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	ctx := ctxT(t)
	c := e.NewConsumer(false)
	if _, err := c.WatchFundingRate(ctx, "BTC/USDT"); !errors.Is(err, errors.BadSymbol) {
		t.Fatalf("a spot market: %v, want BadSymbol", err)
	}
	for _, symbol := range []string{"NOPE/USDT:USDT", ""} {
		if _, err := c.WatchFundingRates(ctx, []string{"BTC/USDT:USDT", symbol}); !errors.Is(err, errors.BadSymbol) {
			t.Fatalf("symbol %q: %v, want BadSymbol", symbol, err)
		}
	}
	if h := v.history(); len(h) != 0 {
		t.Fatalf("refused watches subscribed %q", h)
	}
	got := make(chan *unified.FundingRate, 1)
	go func() {
		r, err := c.WatchFundingRate(ctx, "BTC/USDT:USDT")
		if err != nil {
			t.Error(err)
		}
		got <- r
	}()
	waitFor(t, "the subscription", func() bool { return len(v.history()) == 1 })
	v.push(toyMsg{Topic: "fundingRate:BTC/USDT:USDT", Trade: "0.0001"}, false)
	if r := <-got; r == nil || r.Symbol != "BTC/USDT:USDT" || !r.Rate.Decimal.Equal(dec("0.0001")) {
		t.Fatalf("funding rate: %+v", r)
	}
	if err := c.UnwatchFundingRate(ctx, "BTC/USDT:USDT"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the idle link to close", func() bool { return len(v.srv.Conns()) == 1 && isDone(v.srv.Conns()[0]) })
}

// TestFundingRateNotSupportedFirst checks that a venue without the stream
// answers NotSupported, even for a symbol that is not a contract.
func TestFundingRateNotSupportedFirst(t *testing.T) {
	v := newToyVenue(t)
	spec := tickerSpec(t, v)
	spec.Route = func(k watch.Key) (Route, error) {
		if k.Kind == watch.FundingRate {
			return Route{}, errors.Newf(errors.NotSupported, "no funding stream")
		}
		return Route{Name: "public"}, nil
	}
	e, err := New(spec)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if _, err := e.NewConsumer(false).WatchFundingRates(ctxT(t), []string{"BTC/USDT"}); !errors.Is(err, errors.NotSupported) {
		t.Fatalf("got %v, want NotSupported", err)
	}
}
