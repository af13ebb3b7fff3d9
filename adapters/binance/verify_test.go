package binance_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/unifex-go/unifex/adapters/binance"
	"github.com/unifex-go/unifex/adapters/binance/binancetest"
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/logcapture"
	"github.com/unifex-go/unifex/orderbook"
	"github.com/unifex-go/unifex/unified"
)

// TestVerifyBookAgainstSnapshot checks Options.VerifyBookEvery: a sound
// book passes its re-checks; an update whose ids are intact but whose
// quantity is wrong, which no continuity rule can see, is caught by the
// next re-check, reported as a ChecksumError naming the level, and the book
// comes back right.
func TestVerifyBookAgainstSnapshot(t *testing.T) {
	for _, product := range []binancetest.Product{binancetest.Spot, binancetest.USDM} {
		t.Run(product.String(), func(t *testing.T) {
			var logs logcapture.Buffer
			x, srv := fakeBinance(t, product, exchange.Config{Logger: logs.Logger(),
				Options: binance.Options{VerifyBookEvery: 20 * time.Millisecond}})
			symbol := srv.Symbols()[0]
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()

			// A sound book passes its checks while the market moves.
			for strings.Count(logs.String(), "book verified") < 3 {
				srv.Step(2)
				watchCtx, stop := context.WithTimeout(ctx, 20*time.Millisecond)
				ob, err := x.WatchOrderBook(watchCtx, symbol)
				stop()
				if err != nil && !errors.Is(err, context.DeadlineExceeded) {
					t.Fatalf("a sound book failed: %v", err)
				}
				if err == nil {
					expectBook(t, srv, symbol, ob)
				}
				if ctx.Err() != nil {
					t.Fatal("no verification passed")
				}
			}

			// One corrupt update: only the re-check can tell.
			srv.Corrupt(symbol)
			var diverged *orderbook.DivergenceError
			var err error
			for !errors.As(err, &diverged) {
				srv.Step(1)
				watchCtx, stop := context.WithTimeout(ctx, 20*time.Millisecond)
				_, err = x.WatchOrderBook(watchCtx, symbol)
				stop()
				if ctx.Err() != nil {
					t.Fatalf("the corrupt book was never reported (last: %v)", err)
				}
			}
			if !errors.Is(err, errors.ChecksumError) {
				t.Fatalf("%v does not match ChecksumError", err)
			}

			// The book resyncs and is right again.
			for synced := false; !synced; {
				srv.Step(1)
				watchCtx, stop := context.WithTimeout(ctx, 50*time.Millisecond)
				ob, err := x.WatchOrderBook(watchCtx, symbol)
				stop()
				if err == nil {
					expectBook(t, srv, symbol, ob)
					synced = true
				}
				if ctx.Err() != nil {
					t.Fatal("the book never came back")
				}
			}
		})
	}
}

// expectBook fails unless ob is the server's whole book at its nonce (when
// the server still remembers it).
func expectBook(t *testing.T, srv *binancetest.Server, symbol string, ob *unified.OrderBook) {
	t.Helper()
	bids, asks, ok := srv.BookAt(symbol, ob.Nonce)
	if !ok {
		return
	}
	expectTop(t, "bids", ob.Bids, bids, len(bids))
	expectTop(t, "asks", ob.Asks, asks, len(asks))
}
