package sim_test

import (
	"context"
	"testing"
	"time"

	"github.com/unifex-go/unifex/adapters/sim"
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/leaktest"
	"github.com/unifex-go/unifex/unified"
)

// TestOwnVenue runs the adapter as a newcomer does: exchange.New("sim")
// with nothing configured starts a venue with a live order flow, and
// Close leaves nothing behind.
func TestOwnVenue(t *testing.T) {
	leaktest.Check(t)
	ex, err := exchange.New(sim.ID, exchange.Config{Options: sim.Options{Seed: 7, Rate: 500}})
	if err != nil {
		t.Fatal(err)
	}
	defer ex.Close()
	ctx := testCtx(t)
	ob, err := ex.WatchOrderBook(ctx, "BTC/USDT", exchange.Limit(10))
	if err != nil {
		t.Fatal(err)
	}
	if len(ob.Bids) == 0 || len(ob.Asks) == 0 || !ob.Bids[0].Price.LessThan(ob.Asks[0].Price) {
		t.Fatalf("first book: %+v", ob)
	}
	next, err := ex.WatchOrderBook(ctx, "BTC/USDT", exchange.Limit(10))
	if err != nil || next.Nonce <= ob.Nonce {
		t.Fatalf("the book did not move: nonce %d then %d (%v)", ob.Nonce, next.Nonce, err)
	}
	trades, err := ex.WatchTrades(ctx, "BTC/USDT")
	if err != nil || len(trades) == 0 {
		t.Fatalf("trades: %v %v", trades, err)
	}
	tk, err := ex.WatchTicker(ctx, "ETH/USDT")
	if err != nil || tk.Symbol != "ETH/USDT" || !tk.Last.Valid {
		t.Fatalf("ticker: %+v %v", tk, err)
	}
	candles, err := ex.WatchOHLCV(ctx, "BTC/USDT:USDT", "1m")
	if err != nil || len(candles) == 0 || !candles[len(candles)-1].Volume.IsPositive() {
		t.Fatalf("candles: %v %v", candles, err)
	}
	// The built-in credentials are there: the account answers.
	if _, err := ex.FetchBalance(ctx); err != nil {
		t.Fatal(err)
	}
	if err := ex.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := ex.WatchTrades(ctx, "BTC/USDT"); !errors.Is(err, errors.ExchangeClosedByUser) {
		t.Fatalf("watch after Close: %v", err)
	}
}

func TestURLsMustComeInPairs(t *testing.T) {
	_, err := sim.New(exchange.Config{URLs: map[string]string{"rest": "http://127.0.0.1:1"}})
	wantKind(t, "a REST URL alone", err, errors.ArgumentsRequired)
}

// TestPrivateWatches follows the account's streams through an order's life:
// its states, its fills, the balance and the position.
func TestPrivateWatches(t *testing.T) {
	ex, v := newPair(t, exchange.Config{NewUpdates: true})
	ctx := testCtx(t)
	const perp = "BTC/USDT:USDT"
	// Subscribe every private stream first (each call returns on its
	// first update, so start them in the background).
	type result struct {
		what string
		err  error
	}
	results := make(chan result, 4)
	watch := func(what string, fn func(ctx context.Context) error) {
		go func() { results <- result{what, fn(ctx)} }()
	}
	var fills []unified.Trade
	var positions []unified.Position
	var balance *unified.Balances
	watch("balance", func(ctx context.Context) (err error) { balance, err = ex.WatchBalance(ctx); return })
	watch("my trades", func(ctx context.Context) (err error) { fills, err = ex.WatchMyTrades(ctx, perp); return })
	watch("positions", func(ctx context.Context) (err error) { positions, err = ex.WatchPositions(ctx, []string{perp}); return })
	// The private stream is up once an order placed over it is answered.
	o, err := ex.CreateOrderWs(ctx, market(perp, unified.SideBuy, "0.01"))
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != unified.StatusClosed {
		t.Fatalf("market order over WebSocket: %+v", o)
	}
	// The watches may have subscribed after the fill: trade again until
	// each has seen something.
	for pending := 3; pending > 0; {
		select {
		case r := <-results:
			if r.err != nil {
				t.Fatalf("%s: %v", r.what, r.err)
			}
			pending--
		case <-time.After(100 * time.Millisecond):
			if _, err := ex.CreateOrderWs(ctx, market(perp, unified.SideBuy, "0.01")); err != nil {
				t.Fatal(err)
			}
		case <-ctx.Done():
			t.Fatal("the private watches never returned")
		}
	}
	if len(fills) == 0 || fills[0].Symbol != perp || fills[0].TakerOrMaker != unified.LiquidityTaker {
		t.Fatalf("fills: %+v", fills)
	}
	if len(positions) == 0 || positions[0].Side != unified.PositionLong {
		t.Fatalf("positions: %+v", positions)
	}
	if _, ok := balance.Currencies["USDT"]; !ok {
		t.Fatalf("balance: %+v", balance)
	}

	// Orders that rest, then are canceled over the WebSocket: WatchOrders
	// sees the canceled state (once its subscription is up).
	states := make(chan unified.Order, 64)
	go func() {
		for ctx.Err() == nil {
			os, err := ex.WatchOrders(ctx, "ETH/USDT")
			for _, o := range os {
				select {
				case states <- o:
				case <-ctx.Done():
				}
			}
			if err != nil && ctx.Err() == nil {
				t.Errorf("WatchOrders: %v", err)
				return
			}
		}
	}()
	for {
		bid, _ := touch(t, ex, "ETH/USDT")
		resting, err := ex.CreateOrderWs(ctx, limit("ETH/USDT", unified.SideBuy, dec("0.5"), bid.Sub(dec("50"))))
		if err != nil || resting.Status != unified.StatusOpen {
			t.Fatalf("resting order: %+v %v", resting, err)
		}
		if _, err := ex.CancelOrderWs(ctx, resting.ID, "ETH/USDT"); err != nil {
			t.Fatal(err)
		}
		_, err = ex.CancelOrderWs(ctx, resting.ID, "ETH/USDT")
		wantKind(t, "a second cancel over WebSocket", err, errors.InvalidOrder)
		for wait := time.After(200 * time.Millisecond); ; {
			select {
			case o := <-states:
				if o.ID == resting.ID && o.Status == unified.StatusCanceled {
					return
				}
				continue
			case <-wait:
			case <-ctx.Done():
				t.Fatal("WatchOrders never delivered a canceled order")
			}
			break
		}
		v.Step(1)
	}
}
