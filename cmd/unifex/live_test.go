package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/unified"
)

func TestScreenDrawsInPlaceOnATerminal(t *testing.T) {
	var b bytes.Buffer
	s := &screen{w: &b, terminal: true, layout: bookLayout{depth: 1}}
	v := &view{book: fakeBook()}
	s.draw(v)
	first := b.String()
	b.Reset()
	s.draw(v)
	second := b.String()
	if !strings.HasPrefix(first, ansiHideCursor+ansiClear+ansiHome+"BTC/USDT  nonce 42") {
		t.Errorf("the first frame does not hide the cursor, clear and start at home: %q", first)
	}
	if !strings.HasPrefix(second, ansiHome+"BTC/USDT") {
		t.Errorf("a later frame does not start at home without clearing: %q", second)
	}
	body := strings.TrimSuffix(second, ansiClearBelow)
	if body == second {
		t.Errorf("a frame does not clear what is below it: %q", second)
	}
	for _, line := range strings.SplitAfter(strings.TrimPrefix(body, ansiHome), "\n") {
		if line != "" && !strings.HasSuffix(line, ansiClearLine+"\n") {
			t.Errorf("line %q does not clear its end", line)
		}
	}
}

func TestShowOffATerminal(t *testing.T) {
	var out bytes.Buffer
	var warned []string
	s := &screen{w: &out, layout: bookLayout{depth: 1, tradeRows: 3},
		warn: func(err error) { warned = append(warned, err.Error()) }, redact: func(s string) string { return s }}
	f := newFeeds()
	go func() {
		f.books <- fakeBook()
		f.trades <- testTrades[:1]
		f.notices <- errors.NetworkError
		f.books <- fakeBook()
		f.failures <- errors.ExchangeNotAvailable
	}()
	err := s.show(context.Background(), &view{}, f)
	if err != errors.ExchangeNotAvailable {
		t.Errorf("show returned %v, want the feed's failure", err)
	}
	frames := strings.Split(out.String(), "BTC/USDT  nonce 42")
	if len(frames) != 3 {
		t.Fatalf("%d frames for two books, want one per book:\n%s", len(frames)-1, out.String())
	}
	if !strings.Contains(frames[1], "(none yet)") || !strings.Contains(frames[2], "03:04:05.000  buy ") {
		t.Errorf("the trade did not reach the second frame:\n%s", out.String())
	}
	if !cmp.Equal(warned, []string{"NetworkError"}) {
		t.Errorf("warned %q, want the notice", warned)
	}
}

func TestShowOnATerminalEndsCleanly(t *testing.T) {
	var out bytes.Buffer
	s := &screen{w: &out, terminal: true, redact: func(s string) string { return strings.ReplaceAll(s, "hunter2", "[REDACTED]") }}
	f := newFeeds()
	ctx, cancel := context.WithCancel(context.Background())
	v := &view{}
	go func() {
		f.books <- fakeBook()
		f.notices <- fmt.Errorf("link hunter2 dropped")
		cancel()
	}()
	if err := s.show(ctx, v, f); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if !strings.Contains(got, "BTC/USDT  nonce 42") || !strings.Contains(got, "  link [REDACTED] dropped") || !strings.HasSuffix(got, ansiShowCursor) {
		t.Errorf("the last frame with the notice, then the cursor shown again: %q", got)
	}
}

func TestViewOrdersAndBalances(t *testing.T) {
	v := &view{codes: []string{"BTC", "USDT", "ETH"}, balances: testBalances}
	v.updateOrders([]unified.Order{{ID: "b1", Side: unified.SideBuy, Price: opt("99"), Amount: opt("1"), Filled: opt("1"), Status: unified.StatusClosed}})
	v.addMine([]unified.Order{
		{ID: "b1", Side: unified.SideBuy, Price: opt("99"), Amount: opt("1"), Filled: opt("0"), Status: unified.StatusOpen}, // older than the stream's
		{ID: "s1", Side: unified.SideSell, Price: opt("101"), Amount: opt("1"), Filled: opt("0"), Status: unified.StatusOpen},
	})
	v.updateOrders([]unified.Order{{ID: "x9", Status: unified.StatusOpen}}) // not the demo's
	var b bytes.Buffer
	v.render(&b, bookLayout{})
	want := `waiting for the order book...

my orders
ID  SIDE  PRICE  AMOUNT  FILLED  STATUS
b1  buy   99     1       1       closed
s1  sell  101    1       0       open

balances
CURRENCY  FREE  USED  TOTAL
BTC       1.5   0     1.5
USDT      900   100   1000
ETH       -     -     -
`
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("render (-want +got):\n%s", diff)
	}
	for i := range 2 * tradeRows {
		v.addTrades([]unified.Trade{{ID: fmt.Sprint(i)}})
	}
	if len(v.trades) != tradeRows || v.trades[0].ID != fmt.Sprint(tradeRows) {
		t.Errorf("the view keeps %d trades from %s, want the last %d", len(v.trades), v.trades[0].ID, tradeRows)
	}
	v.addTrades([]unified.Trade{{ID: fmt.Sprint(2*tradeRows - 1)}, {ID: "new"}}) // the first is shown already
	if len(v.trades) != tradeRows || v.trades[tradeRows-2].ID != fmt.Sprint(2*tradeRows-1) || v.trades[tradeRows-1].ID != "new" {
		t.Errorf("a trade shown already was added again: %+v", v.trades)
	}
}

func TestSeeded(t *testing.T) {
	next := seeded(func(context.Context) (string, error) { return "fetched", nil },
		func(context.Context) (string, error) { return "watched", nil })
	var got []string
	for range 3 {
		v, _ := next(context.Background())
		got = append(got, v)
	}
	if want := []string{"fetched", "watched", "watched"}; !cmp.Equal(want, got) {
		t.Errorf("seeded gave %q, want %q", got, want)
	}
}

func TestFeed(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	overflow := &errors.CacheOverflowError{Dropped: 3}
	results := []struct {
		v   int
		err error
	}{{1, nil}, {0, errors.NetworkError}, {2, overflow}, {3, nil}, {0, errors.BadSymbol}}
	next := 0
	out, notices, failures := make(chan int), make(chan error), make(chan error)
	go feed(ctx, func(context.Context) (int, error) {
		r := results[next]
		next++
		return r.v, r.err
	}, out, notices, failures)
	var got []string
	for len(got) < 6 {
		select {
		case v := <-out:
			got = append(got, fmt.Sprint(v))
		case err := <-notices:
			got = append(got, "notice "+errors.KindOf(err).Name())
		case err := <-failures:
			got = append(got, "failure "+errors.KindOf(err).Name())
		}
	}
	want := []string{"1", "notice NetworkError", "2", "notice CacheOverflow", "3", "failure BadSymbol"}
	if !cmp.Equal(want, got) {
		t.Errorf("feed delivered %q, want %q", got, want)
	}
}

func TestPaperAmount(t *testing.T) {
	btc := &fakeMarkets[0] // amount step 0.001, minimum amount 0.001, minimum cost 10
	decimalPlaces := unified.Market{Symbol: "X/Y", PrecisionMode: unified.DecimalPlaces,
		Precision: unified.Precision{Amount: opt("2")}, Limits: unified.Limits{Cost: unified.MinMax{Min: opt("1")}}}
	contracts := unified.Market{Symbol: "BTC/USDT:USDT", PrecisionMode: unified.TickSize, ContractSize: opt("0.01"),
		Precision: unified.Precision{Amount: opt("1")}, Limits: unified.Limits{Cost: unified.MinMax{Min: opt("5")}}}
	for _, tc := range []struct {
		m     *unified.Market
		price string
		want  string
	}{
		{btc, "30000", "0.001"}, // the minimum amount is worth more than the minimum cost
		{btc, "100", "0.1"},     // the minimum cost decides
		{btc, "7", "1.429"},     // 10/7, rounded up to the step
		{&fakeMarkets[1], "2000", "0.01"},
		{&decimalPlaces, "3", "0.34"},
		{&contracts, "60000", "1"}, // one contract is worth 600
		{&contracts, "100", "5"},
	} {
		got, err := paperAmount(tc.m, num(tc.price))
		if err != nil || got.String() != tc.want {
			t.Errorf("paperAmount(%s at %s) = %s, %v; want %s", tc.m.Symbol, tc.price, got, err, tc.want)
		}
	}
}
