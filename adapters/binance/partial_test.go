package binance_test

import (
	"context"
	"testing"
	"time"

	"github.com/unifex-go/unifex/adapters/binance/binancetest"
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/unified"
)

// TestPartialDepthBook checks that a small limit rides on Binance's
// partial-depth streams: no REST snapshot is fetched, each book is the
// venue's top at the update it names, the smallest stream that covers the
// limit is used, and polling and unwatching find the partial books.
func TestPartialDepthBook(t *testing.T) {
	for _, product := range []binancetest.Product{binancetest.Spot, binancetest.USDM} {
		t.Run(product.String(), func(t *testing.T) {
			x, srv := fakeBinance(t, product, exchange.Config{})
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			if _, err := x.LoadMarkets(ctx, false); err != nil {
				t.Fatal(err)
			}
			symbol := srv.Symbols()[0]
			restBefore := srv.Requests()

			stop := make(chan struct{})
			stepped := make(chan struct{})
			go func() { // the market moves while we watch
				defer close(stepped)
				for {
					select {
					case <-stop:
						return
					case <-time.After(time.Millisecond):
						srv.Step(3)
					}
				}
			}()
			defer func() { close(stop); <-stepped }()

			for _, c := range []struct{ limit, stream int }{{5, 5}, {7, 10}, {20, 20}} {
				checked := 0
				for checked < 5 {
					ob, err := x.WatchOrderBook(ctx, symbol, exchange.Limit(c.limit))
					if err != nil {
						t.Fatalf("limit %d: %v", c.limit, err)
					}
					if len(ob.Bids) > c.limit || len(ob.Asks) > c.limit {
						t.Fatalf("limit %d: %d bids and %d asks", c.limit, len(ob.Bids), len(ob.Asks))
					}
					bids, asks, ok := srv.BookAt(symbol, ob.Nonce)
					if !ok {
						continue // older than the server's history
					}
					expectTop(t, "bids", ob.Bids, bids, c.limit)
					expectTop(t, "asks", ob.Asks, asks, c.limit)
					checked++
				}
				// Polling finds the partial book with the stream's depth.
				ob, err := x.OrderBook(symbol, c.stream)
				if err != nil {
					t.Fatalf("polling a %d-level book: %v", c.stream, err)
				}
				if bids, asks, ok := srv.BookAt(symbol, ob.Nonce); ok {
					expectTop(t, "polled bids", ob.Bids, bids, c.stream)
					expectTop(t, "polled asks", ob.Asks, asks, c.stream)
				}
			}
			if got := srv.Requests(); got != restBefore {
				t.Fatalf("%d REST requests for partial-depth books, want none", got-restBefore)
			}
			if err := x.UnwatchOrderBook(ctx, symbol); err != nil {
				t.Fatal(err)
			}
			if _, err := x.OrderBook(symbol, 5); !errors.Is(err, errors.BadRequest) {
				t.Fatalf("polling after unwatch: %v, want BadRequest", err)
			}
		})
	}
}

// expectTop fails unless got is the first limit levels of want.
func expectTop(t *testing.T, side string, got, want []unified.Level, limit int) {
	t.Helper()
	want = want[:min(limit, len(want))]
	if len(got) != len(want) {
		t.Fatalf("%s: %d levels, want %d", side, len(got), len(want))
	}
	for i := range want {
		if !got[i].Price.Equal(want[i].Price) || !got[i].Amount.Equal(want[i].Amount) {
			t.Fatalf("%s level %d: %s@%s, want %s@%s", side, i, got[i].Amount, got[i].Price, want[i].Amount, want[i].Price)
		}
	}
}
