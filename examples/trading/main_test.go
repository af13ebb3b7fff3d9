package main

import (
	"bytes"
	"context"
	"log"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/adapters/sim"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/leaktest"
	"github.com/unifex-go/unifex/unified"
)

var (
	placedLimit = regexp.MustCompile(`placed (\S+): buy (\S+) BTC/USDT @ (\S+) \(best bid (\S+)\): open`)
	editedLimit = regexp.MustCompile(`edited (\S+): price (\S+) -> (\S+)`)
	fillLine    = regexp.MustCompile(`stream: fill \S+ of order (\S+), buy (\S+) @ \S+, cost (\S+), fee (\S+) (\S+) `)
	balanceLine = regexp.MustCompile(`(start|end): balance USDT free (\S+) used (\S+), BTC free (\S+) used (\S+)`)
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestRunTradesTheWholeScript(t *testing.T) {
	leaktest.Check(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	var out bytes.Buffer
	if err := run(ctx, &out); err != nil {
		t.Fatalf("run: %v; output:\n%s", err, out.String())
	}
	text := out.String()

	// The resting order: below the touch, moved further down, cancelled
	// unfilled, and the stream saw it cancelled.
	p := placedLimit.FindStringSubmatch(text)
	e := editedLimit.FindStringSubmatch(text)
	if p == nil || e == nil {
		t.Fatal("no placed or edited limit order in the output")
	}
	id := p[1]
	if price, bid := dec(p[3]), dec(p[4]); !price.LessThan(bid) {
		t.Errorf("limit buy at %s is not below the best bid %s", price, bid)
	}
	if e[1] != id || !dec(e[3]).LessThan(dec(p[3])) {
		t.Errorf("edit %q did not move order %s down", e[0], id)
	}
	if !strings.Contains(text, "final "+id+": canceled, filled 0 of "+p[2]+" @ "+e[3]) {
		t.Errorf("no final canceled state of %s at %s", id, e[3])
	}
	if !strings.Contains(text, "stream: order "+id+" canceled") {
		t.Errorf("WatchOrders never showed %s canceled", id)
	}

	// The market order: its fills add up to its amount, and the balance
	// moved by exactly what the fills and their fees say.
	var bought, spent, btcFees, usdtFees decimal.Decimal
	for _, f := range fillLine.FindAllStringSubmatch(text, -1) {
		if f[1] == id {
			t.Errorf("the cancelled order %s has a fill", id)
		}
		bought, spent = bought.Add(dec(f[2])), spent.Add(dec(f[3]))
		switch f[5] {
		case "BTC":
			btcFees = btcFees.Add(dec(f[4]))
		case "USDT":
			usdtFees = usdtFees.Add(dec(f[4]))
		default:
			t.Errorf("fee in %s", f[5])
		}
	}
	if !bought.Equal(marketAmount) {
		t.Errorf("fills bought %s, want %s", bought, marketAmount)
	}
	balances := balanceLine.FindAllStringSubmatch(text, -1)
	if len(balances) != 2 {
		t.Fatalf("want a start and an end balance, got %v", balances)
	}
	start, end := balances[0], balances[1]
	if got, want := dec(start[2]).Sub(dec(end[2])), spent.Add(usdtFees); !got.Equal(want) {
		t.Errorf("USDT went down by %s, fills and fees say %s", got, want)
	}
	if got, want := dec(end[4]).Sub(dec(start[4])), bought.Sub(btcFees); !got.Equal(want) {
		t.Errorf("BTC went up by %s, fills and fees say %s", got, want)
	}
	if !dec(end[3]).IsZero() || !dec(end[5]).IsZero() {
		t.Errorf("funds still locked at the end: %s", end[0])
	}
}

// cancelOn cancels a context when a log line contains word.
type cancelOn struct {
	word   string
	cancel context.CancelFunc
	buf    bytes.Buffer
}

func (w *cancelOn) Write(p []byte) (int, error) {
	if bytes.Contains(p, []byte(w.word)) {
		w.cancel()
	}
	return w.buf.Write(p)
}

func TestRestingOrderIsCancelledWhenInterrupted(t *testing.T) {
	leaktest.Check(t)
	ex, err := sim.New(exchange.Config{Options: sim.Options{Seed: 4}})
	if err != nil {
		t.Fatal(err)
	}
	defer ex.Close()
	snap, err := ex.LoadMarkets(context.Background(), false)
	if err != nil {
		t.Fatal(err)
	}
	market, err := snap.Market(symbol)
	if err != nil {
		t.Fatal(err)
	}

	// Interrupted as soon as the order is placed, while it waits for the
	// order to show as open (on a stream that never speaks: nil).
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	w := &cancelOn{word: "placed", cancel: cancel}
	if err := restingOrder(ctx, ex, market, nil, log.New(w, "", 0)); err == nil {
		t.Fatal("restingOrder succeeded after an interruption")
	}
	if !strings.Contains(w.buf.String(), "placed") {
		t.Fatalf("nothing was placed: %s", w.buf.String())
	}
	open, err := ex.FetchOpenOrders(context.Background(), symbol)
	if err != nil {
		t.Fatal(err)
	}
	if len(open) != 0 {
		t.Errorf("the interrupted script left %d orders open: %+v", len(open), open)
	}
}

func TestAwaitOrderFallsBackToREST(t *testing.T) {
	leaktest.Check(t)
	ex, err := sim.New(exchange.Config{Options: sim.Options{Seed: 5}})
	if err != nil {
		t.Fatal(err)
	}
	defer ex.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	placed, err := ex.CreateOrder(ctx, unified.OrderRequest{Symbol: symbol, Type: unified.OrderTypeLimit, Side: unified.SideBuy,
		Amount: dec("0.001"), Price: decimal.NewNullDecimal(dec("30000"))})
	if err != nil {
		t.Fatal(err)
	}

	var out bytes.Buffer
	o, err := awaitOrder(ctx, ex, nil, placed.ID, log.New(&out, "", 0), func(o *unified.Order) bool { return o.Status == unified.StatusOpen })
	if err != nil {
		t.Fatal(err)
	}
	if o.ID != placed.ID || !strings.Contains(out.String(), "by REST") {
		t.Errorf("awaitOrder = %s, logged %q; want %s from REST", o.ID, out.String(), placed.ID)
	}
}
