package bybit_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/unifex-go/unifex/adapters/bybit/bybittest"
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/unified"
)

// TestOrderQuotaPerProduct: a burst of spot orders is paced by the spot
// create bucket (20 a second: 4 at once, then 16 a second), while a
// linear order placed in the middle of it goes out at once on its own
// bucket. With one bucket for every category the linear order would queue
// behind the whole burst. The burst is then cut short: the orders still
// waiting end with the context and never reach the venue.
func TestOrderQuotaPerProduct(t *testing.T) {
	x, srv := startFake(t, bybittest.Config{Seed: 3}, exchange.Config{})
	defer srv.Close()
	defer x.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := x.LoadMarkets(ctx, false); err != nil {
		t.Fatal(err)
	}
	spot, linear := orderOn(srv, "BTC/USDT"), orderOn(srv, "BTC/USDT:USDT")
	count := func(symbol string) int {
		n := 0
		for _, o := range srv.Orders() {
			if o.Symbol == symbol {
				n++
			}
		}
		return n
	}

	// 80 spot orders take 4 at once and 76/16 = 4.75 s of the bucket.
	const burst = 80
	burstCtx, stopBurst := context.WithCancel(ctx)
	defer stopBurst()
	errs := make([]error, burst)
	var wg sync.WaitGroup
	for i := range burst {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = x.CreateOrder(burstCtx, spot)
		}()
	}
	for count("BTC/USDT") < 4 {
		select {
		case <-ctx.Done():
			t.Fatalf("the burst's first orders never arrived: %d", count("BTC/USDT"))
		case <-time.After(time.Millisecond):
		}
	}
	if _, err := x.CreateOrder(ctx, linear); err != nil {
		t.Fatal(err)
	}
	// The linear order's round trip is far shorter than the 2.25 s the
	// spot bucket takes to let half the burst through.
	if n := count("BTC/USDT"); n >= burst/2 {
		t.Fatalf("the linear order waited behind the spot burst (%d of %d spot orders before it)", n, burst)
	}
	if n := count("BTC/USDT:USDT"); n != 1 {
		t.Fatalf("%d linear orders at the venue, want 1", n)
	}

	stopBurst()
	wg.Wait()
	sent := 0
	for i, err := range errs {
		switch {
		case err == nil:
			sent++
		case !errors.Is(err, context.Canceled):
			t.Errorf("spot order %d: %v", i, err)
		}
	}
	t.Logf("%d of %d spot orders placed before the burst was cut short", sent, burst)
	if got := count("BTC/USDT"); got != sent || sent >= burst || sent < 4 {
		t.Errorf("%d spot orders at the venue, %d placed of %d: the burst was not paced", got, sent, burst)
	}
}

// orderOn is the fake's test order on symbol.
func orderOn(srv *bybittest.Server, symbol string) unified.OrderRequest {
	for i := 0; ; i += 2 {
		if r := srv.OrderRequest(i); r.Symbol == symbol {
			return r
		}
	}
}
