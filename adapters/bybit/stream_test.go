package bybit_test

import (
	"context"
	"testing"
	"time"

	"github.com/unifex-go/unifex/adapters/bybit"
	"github.com/unifex-go/unifex/adapters/bybit/bybittest"
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/unified"
)

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// stepping runs the venue's market in the background until the test ends:
// watches return on change, and a topic joining a subscribed channel sees
// the next message, not the last.
func stepping(t *testing.T, srv *bybittest.Server) {
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
				srv.Step(5)
			}
		}
	}()
	t.Cleanup(func() { close(stop); <-done })
}

// sameBook fails unless ob equals the venue's book at ob.Nonce.
func sameBook(t *testing.T, srv *bybittest.Server, ob *unified.OrderBook) {
	t.Helper()
	bids, asks, ok := srv.BookAt(ob.Symbol, ob.Nonce)
	if !ok {
		t.Fatalf("%s: the venue forgot u=%d", ob.Symbol, ob.Nonce)
	}
	for _, side := range []struct {
		name      string
		got, want []unified.Level
	}{{"bids", ob.Bids, bids}, {"asks", ob.Asks, asks}} {
		if len(side.got) != len(side.want) {
			t.Fatalf("%s u=%d %s: %d levels, venue %d", ob.Symbol, ob.Nonce, side.name, len(side.got), len(side.want))
		}
		for i := range side.got {
			if !side.got[i].Price.Equal(side.want[i].Price) || !side.got[i].Amount.Equal(side.want[i].Amount) {
				t.Fatalf("%s u=%d %s[%d]: %v, venue %v", ob.Symbol, ob.Nonce, side.name, i, side.got[i], side.want[i])
			}
		}
	}
}

// catchUp watches symbol's book until it reaches the venue's update id,
// checking every book delivered; an error fails the test.
func catchUp(t *testing.T, ex exchange.Exchange, srv *bybittest.Server, symbol string) *unified.OrderBook {
	t.Helper()
	ctx := ctxT(t)
	for {
		ob, err := ex.WatchOrderBook(ctx, symbol)
		if err != nil {
			t.Fatalf("%s: %v", symbol, err)
		}
		sameBook(t, srv, ob)
		if ob.Nonce == srv.UpdateID(symbol) {
			return ob
		}
	}
}

// TestBookSnapshotRules plays Bybit's own book events on every category:
// a snapshot mid-stream replaces the book (same u), a service restart
// starts u over at 1 and the book follows without an error, and a first
// snapshot sent before the subscribe reply is not lost.
func TestBookSnapshotRules(t *testing.T) {
	for _, beforeAck := range []bool{false, true} {
		ex, srv := startFake(t, bybittest.Config{Seed: 7, History: 4096, SnapshotBeforeAck: beforeAck}, exchange.Config{})
		for _, symbol := range []string{"BTC/USDT", "BTC/USDT:USDT", "BTC/USD:BTC"} {
			catchUp(t, ex, srv, symbol)
			srv.Step(50)
			catchUp(t, ex, srv, symbol)
			srv.Resnapshot(symbol)
			srv.Step(20)
			catchUp(t, ex, srv, symbol)
			srv.Restart(symbol)
			if ob := catchUp(t, ex, srv, symbol); ob.Nonce != 1 {
				t.Fatalf("%s after the restart: u=%d, want 1", symbol, ob.Nonce)
			}
			srv.Step(30)
			if ob := catchUp(t, ex, srv, symbol); ob.Nonce <= 1 {
				t.Fatalf("%s: no delta applied after the restart (u=%d)", symbol, ob.Nonce)
			}
		}
		ex.Close()
		srv.Close()
	}
}

// TestTopOfBookAndBidsAsks: a watch with limit 1 rides on orderbook.1,
// whose every message is the top; WatchBidsAsks reads the same stream.
func TestTopOfBookAndBidsAsks(t *testing.T) {
	ex, srv := startFake(t, bybittest.Config{Seed: 3, History: 4096}, exchange.Config{})
	defer srv.Close()
	defer ex.Close()
	ctx := ctxT(t)
	for _, symbol := range []string{"ETH/USDT", "ETH/USDT:USDT"} {
		ob, err := ex.WatchOrderBook(ctx, symbol, exchange.Limit(1))
		if err != nil {
			t.Fatal(err)
		}
		bids, asks, _ := srv.BookAt(symbol, srv.UpdateID(symbol))
		if len(ob.Bids) != 1 || len(ob.Asks) != 1 || !ob.Bids[0].Price.Equal(bids[0].Price) || !ob.Asks[0].Price.Equal(asks[0].Price) {
			t.Fatalf("%s top %v/%v, venue %v/%v", symbol, ob.Bids, ob.Asks, bids[:1], asks[:1])
		}
		stepping(t, srv)
		ba, err := ex.WatchBidsAsks(ctx, []string{symbol})
		if err != nil {
			t.Fatal(err)
		}
		tk := ba[symbol]
		if tk == nil || !tk.Bid.Valid || !tk.Ask.Valid || !tk.Bid.Decimal.LessThan(tk.Ask.Decimal) || !tk.BidVolume.Valid {
			t.Fatalf("%s bids/asks %+v", symbol, tk)
		}
	}
}

// TestTickersAndFunding: derivative tickers arrive as a snapshot and then
// deltas; each ticker delivered is complete (the merge keeps what a delta
// leaves out), and the funding rate rides on the same topic. Spot has no
// funding rate stream.
func TestTickersAndFunding(t *testing.T) {
	ex, srv := startFake(t, bybittest.Config{Seed: 5, History: 4096}, exchange.Config{})
	defer srv.Close()
	defer ex.Close()
	ctx := ctxT(t)
	for _, symbol := range []string{"BTC/USDT", "BTC/USDT:USDT", "BTC/USD:BTC"} {
		for i := 0; i < 3; i++ {
			tk, err := ex.WatchTicker(ctx, symbol)
			if err != nil {
				t.Fatal(err)
			}
			if tk.Symbol != symbol || !tk.Last.Valid || !tk.High.Valid || !tk.BaseVolume.Valid {
				t.Fatalf("%s ticker %d incomplete: %+v", symbol, i, tk)
			}
			srv.Step(40)
		}
	}
	stepping(t, srv)
	f, err := ex.WatchFundingRate(ctx, "BTC/USDT:USDT")
	if err != nil {
		t.Fatal(err)
	}
	if !f.Rate.Valid || !f.MarkPrice.Valid || f.FundingTime.IsZero() {
		t.Fatalf("funding %+v", f)
	}
	if _, err := ex.WatchFundingRate(ctx, "BTC/USDT"); !isKind(err, errors.NotSupported) {
		t.Fatalf("spot funding: %v", err)
	}
}

// TestTradesAndCandles reads the trade and kline streams of each category.
func TestTradesAndCandles(t *testing.T) {
	ex, srv := startFake(t, bybittest.Config{Seed: 9, History: 4096}, exchange.Config{})
	defer srv.Close()
	defer ex.Close()
	ctx := ctxT(t)
	stepping(t, srv)
	for _, symbol := range []string{"BTC/USDT", "ETH/USDT:USDT", "BTC/USD:BTC"} {
		ts, err := ex.WatchTrades(ctx, symbol)
		if err != nil {
			t.Fatal(err)
		}
		if len(ts) == 0 || ts[0].Symbol != symbol || ts[0].ID == "" || ts[0].Side == "" {
			t.Fatalf("%s trades %+v", symbol, ts)
		}
		cs, err := ex.WatchOHLCV(ctx, symbol, "1m")
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) == 0 || cs[0].Timestamp.IsZero() || cs[0].High.LessThan(cs[0].Low) {
			t.Fatalf("%s candles %+v", symbol, cs)
		}
	}
	if _, err := ex.WatchOHLCV(ctx, "BTC/USDT", "7m"); err == nil {
		t.Fatal("a timeframe Bybit lacks was subscribed")
	}
}

// TestOptions refuses what Bybit does not serve.
func TestOptions(t *testing.T) {
	for _, o := range []bybit.Options{{Categories: []string{"options"}}, {BookDepth: 500}} {
		if _, err := bybit.New(exchange.Config{Options: o}); !isKind(err, errors.BadRequest) {
			t.Errorf("%+v: %v", o, err)
		}
	}
}
