package okx_test

import (
	"context"
	"testing"
	"time"

	"github.com/unifex-go/unifex/adapters/okx"
	"github.com/unifex-go/unifex/adapters/okx/okxtest"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/unified"
)

// optionCall is okxtest's listed BTC call, made live by naming its instId.
const optionCall = "BTC/USD:BTC-301227-60000-C"

// OKX's public channels take an option's instId as any other: against
// okxtest with a live option, the option's book equals the venue's at
// every seqId until it reaches the venue's latest, its trades and ticker
// arrive, and the REST book and ticker answer. (opt-summary, the greeks,
// is not unified and not watched.)
func TestOptionStreamsAgainstFake(t *testing.T) {
	for _, mode := range []struct {
		name string
		cfg  okxtest.Config
	}{{"rest-snapshot", okxtest.Config{RESTSnapshot: true}}, {"checksum", okxtest.Config{Checksum: true}}} {
		t.Run(mode.name, func(t *testing.T) {
			vc := mode.cfg
			vc.Seed, vc.History, vc.Instruments = 5, 4096, []string{"BTC-USDT-SWAP", "BTC-USD-301227-60000-C"}
			srv := okxtest.Start(vc)
			t.Cleanup(srv.Close)
			x, err := okx.New(exchange.Config{URLs: srv.URLs(), Options: okx.Options{PingEvery: 100 * time.Millisecond}})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = x.Close() })
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
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
			defer func() { close(stop); <-done }()
			for {
				ob, err := x.WatchOrderBook(ctx, optionCall)
				if err != nil {
					t.Fatal(err)
				}
				bids, asks, ok := srv.BookAt(optionCall, ob.Nonce)
				if !ok || !sameLevels(ob.Bids, bids) || !sameLevels(ob.Asks, asks) {
					t.Fatalf("seqId %d: %v %v, venue %v %v (known %v)", ob.Nonce, ob.Bids, ob.Asks, bids, asks, ok)
				}
				if ob.Nonce == srv.SeqID(optionCall) {
					break
				}
			}
			trades, err := x.WatchTrades(ctx, optionCall)
			if err != nil || len(trades) == 0 || trades[0].Symbol != optionCall || !trades[0].Price.Valid {
				t.Fatalf("%v %+v", err, trades)
			}
			tk, err := x.WatchTicker(ctx, optionCall)
			if err != nil || tk.Symbol != optionCall || !tk.Bid.Valid || !tk.Ask.Valid || !tk.Last.Valid {
				t.Fatalf("%v %+v", err, tk)
			}
			rob, err := x.FetchOrderBook(ctx, optionCall)
			if err != nil || len(rob.Bids) == 0 || len(rob.Asks) == 0 {
				t.Fatalf("%v %+v", err, rob)
			}
			if rtk, err := x.FetchTicker(ctx, optionCall); err != nil || !rtk.Bid.Valid || rtk.Symbol != optionCall {
				t.Fatalf("%v %+v", err, rtk)
			}
		})
	}
}

func sameLevels(got, want []unified.Level) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if !got[i].Price.Equal(want[i].Price) || !got[i].Amount.Equal(want[i].Amount) {
			return false
		}
	}
	return true
}
