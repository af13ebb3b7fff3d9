package sim_test

import (
	"context"
	"testing"
	"time"

	"github.com/unifex-go/unifex/adapters/sim"
	"github.com/unifex-go/unifex/adapters/sim/venue"
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/unified"
)

// wantErr checks an error's kind and venue code and returns it.
func wantErr(t *testing.T, what string, err error, kind *errors.Kind, code string) *errors.Error {
	t.Helper()
	var e *errors.Error
	if !errors.Is(err, kind) || !errors.As(err, &e) || (code != "" && e.Code != code) {
		t.Fatalf("%s: %v, want %s with code %q", what, err, kind.Name(), code)
	}
	return e
}

func TestVenueErrorCodes(t *testing.T) {
	ex, v := newPair(t, exchange.Config{})
	ctx := testCtx(t)
	_, err := ex.FetchOrder(ctx, "404", "BTC/USDT")
	wantErr(t, "fetching an unknown order", err, errors.OrderNotFound, "2002")
	_, err = ex.CancelOrder(ctx, "404", "BTC/USDT")
	wantErr(t, "canceling an unknown order", err, errors.OrderNotFound, "2002")
	_, err = ex.CreateOrder(ctx, limit("BTC/USDT", unified.SideBuy, dec("50"), dec("60000")))
	wantErr(t, "a buy beyond the balance", err, errors.InsufficientFunds, "2001")

	// What markets.ValidateOrder refuses never reaches the venue.
	if _, err := ex.LoadMarkets(ctx, false); err != nil {
		t.Fatal(err)
	}
	before := v.Requests()
	_, err = ex.CreateOrder(ctx, limit("BTC/USDT", unified.SideBuy, dec("0.000001"), dec("60000")))
	wantErr(t, "an amount below the step", err, errors.InvalidOrder, "")
	_, err = ex.CreateOrder(ctx, limit("BTC/USDT", unified.SideBuy, dec("0.0001"), dec("100")))
	wantErr(t, "a value below the minimum", err, errors.InvalidOrder, "")
	_, err = ex.CreateOrder(ctx, limit("NOPE/USDT", unified.SideBuy, dec("1"), dec("100")))
	wantErr(t, "an unknown symbol", err, errors.BadSymbol, "")
	if n := v.Requests(); n != before {
		t.Fatalf("%d requests reached the venue for orders refused before sending", n-before)
	}
}

func TestCredentialFaults(t *testing.T) {
	ctx := testCtx(t)
	ex, _ := newPair(t, exchange.Config{APIKey: venue.TestAPIKey, Secret: "not-the-secret"})
	_, err := ex.FetchBalance(ctx)
	if e := wantErr(t, "a wrong secret", err, errors.AuthenticationError, "1002"); e.HTTPStatus != 401 {
		t.Fatalf("a wrong secret: HTTP %d", e.HTTPStatus)
	}
	wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	_, err = ex.WatchOrders(wctx, "")
	wantErr(t, "a private watch with a wrong secret", err, errors.AuthenticationError, "1002")

	ex2, v2 := newPair(t, exchange.Config{APIKey: "someone-else", Secret: venue.TestSecret})
	_, err = ex2.FetchBalance(ctx)
	wantErr(t, "an unknown key", err, errors.AuthenticationError, "1001")

	noCreds, err := sim.New(exchange.Config{URLs: v2.URLs()})
	if err != nil {
		t.Fatal(err)
	}
	defer noCreds.Close()
	_, err = noCreds.FetchBalance(ctx)
	if e := wantErr(t, "no credentials", err, errors.AuthenticationError, ""); !e.Unsent {
		t.Fatalf("no credentials: %v is not marked unsent", err)
	}

	ex4, v4 := newPair(t, exchange.Config{})
	v4.ExpireAuth(true)
	_, err = ex4.FetchBalance(ctx)
	wantErr(t, "an expired key", err, errors.AuthenticationError, "1004")
	v4.ExpireAuth(false)
	if _, err := ex4.FetchBalance(ctx); err != nil {
		t.Fatalf("after renewal: %v", err)
	}
}

func TestRESTFaults(t *testing.T) {
	ctx := testCtx(t)
	ex, v := newPair(t, exchange.Config{})
	if _, err := ex.FetchBalance(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := ex.LoadMarkets(ctx, false); err != nil {
		t.Fatal(err)
	}
	// Maintenance: the page is recognised.
	v.Maintenance(true)
	_, err := ex.FetchBalance(ctx)
	wantErr(t, "under maintenance", err, errors.OnMaintenance, "")
	v.Maintenance(false)

	// 429: an order is refused with the wait; the next call waits it out,
	// and no request reaches the venue in between.
	v.Throttle(200 * time.Millisecond)
	_, err = ex.CreateOrder(ctx, v.OrderRequest(0))
	if e := wantErr(t, "an order while throttled", err, errors.RateLimitExceeded, ""); e.RetryAfter <= 0 || e.RetryAfter > 200*time.Millisecond {
		t.Fatalf("RetryAfter %v, want the venue's", e.RetryAfter)
	}
	if _, err := ex.FetchBalance(ctx); err != nil {
		t.Fatalf("after the throttle: %v", err)
	}
	if n := v.Throttled(); n != 1 {
		t.Fatalf("the venue refused %d requests; the pause was not honoured", n)
	}
	if len(v.Orders()) != 0 {
		t.Fatal("a refused order was placed")
	}
	// Skew: the signed call resyncs and succeeds.
	v.Skew(time.Minute)
	if _, err := ex.CreateOrder(ctx, v.OrderRequest(1)); err != nil {
		t.Fatalf("an order after a clock step: %v", err)
	}
	if off := ex.REST().Offset(); off < 50*time.Second || off > 70*time.Second {
		t.Fatalf("offset %v after the venue's clock moved a minute ahead", off)
	}
}

// TestLoginResyncsTime: a login refused for its timestamp measures the
// venue's clock again, so the next connection logs in.
func TestLoginResyncsTime(t *testing.T) {
	ctx := testCtx(t)
	ex, v := newPair(t, exchange.Config{NewUpdates: true})
	if _, err := ex.FetchBalance(ctx); err != nil { // measure the clock once
		t.Fatal(err)
	}
	v.Skew(-time.Minute)
	// Only the login can notice the step: no signed REST call is made
	// until the offset has moved.
	wctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	_, err := ex.WatchOrders(wctx, "")
	cancel()
	if err != nil && !errors.Is(err, errors.InvalidNonce) && !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("the first private watch: %v", err)
	}
	for ex.REST().Offset() > -50*time.Second {
		if ctx.Err() != nil {
			t.Fatalf("the login did not measure the clock again (offset %v)", ex.REST().Offset())
		}
		time.Sleep(10 * time.Millisecond)
	}
	for i := 0; ; i++ {
		if _, err := ex.CreateOrder(ctx, v.OrderRequest(i)); err != nil {
			t.Fatal(err)
		}
		wctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
		os, err := ex.WatchOrders(wctx, "")
		cancel()
		if err == nil && len(os) > 0 {
			return
		}
		if ctx.Err() != nil {
			t.Fatalf("no order reached the private stream: %v", err)
		}
	}
}

// TestFirstPrivateWatchHasTheState: the engine reconciles when a private
// channel is first subscribed, so WatchBalance returns at once and
// WatchOrders starts with the open orders, without waiting for a change.
func TestFirstPrivateWatchHasTheState(t *testing.T) {
	ctx := testCtx(t)
	ex, v := newPair(t, exchange.Config{NewUpdates: true})
	open, err := ex.CreateOrder(ctx, v.OrderRequest(0))
	if err != nil {
		t.Fatal(err)
	}
	b, err := ex.WatchBalance(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if free, used := v.Balance("USDT"); !b.Currencies["USDT"].Free.Decimal.Equal(free) || !b.Currencies["USDT"].Used.Decimal.Equal(used) {
		t.Fatalf("first balance %+v, the venue has free %s used %s", b.Currencies["USDT"], free, used)
	}
	os, err := ex.WatchOrders(ctx, "")
	if err != nil || len(os) != 1 || os[0].ID != open.ID || os[0].Status != unified.StatusOpen {
		t.Fatalf("first orders %+v %v, want the open order %s", os, err, open.ID)
	}
	// A topic of one symbol joined later rides on the same channel, and
	// starts with the state too.
	os, err = ex.WatchOrders(ctx, open.Symbol)
	if err != nil || len(os) != 1 || os[0].ID != open.ID {
		t.Fatalf("first orders of %s: %+v %v", open.Symbol, os, err)
	}
}

// TestStaleOrderStateIsNotPublished: an order state older than the one
// cached (a late reconciliation reply) does not replace it.
func TestStaleOrderStateIsNotPublished(t *testing.T) {
	ctx := testCtx(t)
	ex, v := newPair(t, exchange.Config{NewUpdates: true})
	last := map[string]unified.Order{}
	// read reads orders until pred holds or d has passed.
	read := func(d time.Duration, pred func() bool) bool {
		t.Helper()
		for end := time.Now().Add(d); !pred(); {
			if time.Now().After(end) {
				return false
			}
			wctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
			os, err := ex.WatchOrders(wctx, "")
			cancel()
			for _, o := range os {
				last[o.ID] = o
			}
			if err != nil && !errors.Is(err, context.DeadlineExceeded) {
				t.Fatal(err)
			}
		}
		return true
	}
	var a *unified.Order
	for i := 0; ; i++ { // until the stream is live
		var err error
		if a, err = ex.CreateOrder(ctx, v.OrderRequest(i)); err != nil {
			t.Fatal(err)
		}
		if read(300*time.Millisecond, func() bool { return last[a.ID].ID != "" }) {
			break
		}
	}
	if _, err := ex.CancelOrder(ctx, a.ID, a.Symbol); err != nil {
		t.Fatal(err)
	}
	if !read(20*time.Second, func() bool { return last[a.ID].Status == unified.StatusCanceled }) {
		t.Fatal("the cancellation was not delivered")
	}
	v.PushStale(a.ID)
	b, err := ex.CreateOrder(ctx, v.OrderRequest(99)) // pushed after the stale state
	if err != nil {
		t.Fatal(err)
	}
	if !read(20*time.Second, func() bool { return last[b.ID].ID != "" }) {
		t.Fatal("the next order was not delivered")
	}
	if got := last[a.ID]; got.Status != unified.StatusCanceled {
		t.Fatalf("a stale state replaced the cancellation: %s filled %s", got.Status, got.Filled.Decimal)
	}
}
