package toyvenue_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/backoff"
	"github.com/unifex-go/unifex/internal/toyvenue"
	"github.com/unifex-go/unifex/unified"
)

// newPrivate starts a venue and an exchange with cfg's credentials (the
// venue's test credentials when it has none).
func newPrivate(t *testing.T, cfg exchange.Config) (*toyvenue.Exchange, *toyvenue.Server) {
	t.Helper()
	srv := toyvenue.NewServer(7)
	if cfg.APIKey == "" && cfg.Secret == "" {
		cfg.APIKey, cfg.Secret = toyvenue.TestAPIKey, toyvenue.TestSecret
	}
	cfg.URLs = srv.URLs()
	cfg.Options = toyvenue.Options{PingInterval: ping, Retry: retry}
	cfg.Reconnect = exchange.Backoff(backoff.Policy{Base: 5 * time.Millisecond, Max: 50 * time.Millisecond, Jitter: -1})
	ex, err := toyvenue.New(cfg)
	if err != nil {
		srv.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { ex.Close(); srv.Close() })
	return ex, srv
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// wantErr checks err's kind and, when code is not empty, the venue code.
func wantErr(t *testing.T, what string, err error, kind *errors.Kind, code string) *errors.Error {
	t.Helper()
	var e *errors.Error
	if !errors.Is(err, kind) || !errors.As(err, &e) {
		t.Fatalf("%s: %v, want %s", what, err, kind.Name())
	}
	if code != "" && e.Code != code {
		t.Fatalf("%s: code %q, want %q (%v)", what, e.Code, code, err)
	}
	return e
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestPrivateRESTRoundTrip(t *testing.T) {
	ex, srv := newPrivate(t, exchange.Config{})
	ctx := testCtx(t)
	bal, err := ex.FetchBalance(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if b := bal.Currencies["USDT"]; !b.Free.Decimal.Equal(dec("1000000")) || !b.Total.Decimal.Equal(dec("1000000")) || !b.Used.Decimal.IsZero() {
		t.Fatalf("USDT balance %+v", b)
	}
	o, err := ex.CreateOrder(ctx, unified.OrderRequest{Symbol: "BTC/USDT", Type: unified.OrderTypeLimit, Side: unified.SideBuy,
		Amount: dec("0.25"), Price: decimal.NewNullDecimal(dec("99.99")), ClientOrderID: "mine-1"})
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != unified.StatusOpen || o.Symbol != "BTC/USDT" || o.ClientOrderID != "mine-1" || !o.Remaining.Decimal.Equal(dec("0.25")) {
		t.Fatalf("created order %+v", o)
	}
	free, used := srv.Balance("USDT")
	if !used.Equal(dec("24.9975")) || !free.Equal(dec("999975.0025")) {
		t.Fatalf("USDT after a buy of 0.25 at 99.99: free %s used %s", free, used)
	}
	open, err := ex.FetchOpenOrders(ctx, "BTC/USDT")
	if err != nil || len(open) != 1 || open[0].ID != o.ID {
		t.Fatalf("open orders: %v %+v", err, open)
	}
	if open, err := ex.FetchOpenOrders(ctx, "ETH/USDT"); err != nil || len(open) != 0 {
		t.Fatalf("open orders of another symbol: %v %+v", err, open)
	}
	got, err := ex.FetchOrder(ctx, o.ID, "BTC/USDT")
	if err != nil || got.ID != o.ID || !got.Price.Decimal.Equal(dec("99.99")) {
		t.Fatalf("fetch order: %v %+v", err, got)
	}
	c, err := ex.CancelOrder(ctx, o.ID, "BTC/USDT")
	if err != nil || c.Status != unified.StatusCanceled {
		t.Fatalf("cancel: %v %+v", err, c)
	}
	if free, used := srv.Balance("USDT"); !used.IsZero() || !free.Equal(dec("1000000")) {
		t.Fatalf("USDT after the cancel: free %s used %s", free, used)
	}
	closed, err := ex.FetchClosedOrders(ctx, "", exchange.Since(time.Now().Add(-time.Minute)))
	if err != nil || len(closed) != 1 || closed[0].Status != unified.StatusCanceled {
		t.Fatalf("closed orders: %v %+v", err, closed)
	}
	if tm, err := ex.FetchTime(ctx); err != nil || time.Since(tm) > time.Minute {
		t.Fatalf("FetchTime: %v %v", tm, err)
	}
}

func TestVenueErrorCodes(t *testing.T) {
	ex, srv := newPrivate(t, exchange.Config{})
	ctx := testCtx(t)
	buy := func(symbol, amount, price string) unified.OrderRequest {
		return unified.OrderRequest{Symbol: symbol, Type: unified.OrderTypeLimit, Side: unified.SideBuy,
			Amount: dec(amount), Price: decimal.NewNullDecimal(dec(price))}
	}
	_, err := ex.CreateOrder(ctx, buy("BTC/USDT", "20000", "100"))
	wantErr(t, "a buy beyond the balance", err, errors.InsufficientFunds, "2001")
	_, err = ex.FetchOrder(ctx, "404", "BTC/USDT")
	wantErr(t, "fetching an unknown order", err, errors.OrderNotFound, "2002")
	_, err = ex.CancelOrder(ctx, "404", "BTC/USDT")
	wantErr(t, "canceling an unknown order", err, errors.OrderNotFound, "2002")

	// What markets.ValidateOrder refuses never reaches the venue.
	before := srv.HTTP().Requests()
	_, err = ex.CreateOrder(ctx, buy("BTC/USDT", "0.0001", "100"))
	wantErr(t, "an amount below the step", err, errors.InvalidOrder, "")
	_, err = ex.CreateOrder(ctx, buy("BTC/USDT", "0.05", "100"))
	wantErr(t, "a notional below the minimum", err, errors.InvalidOrder, "")
	_, err = ex.CreateOrder(ctx, unified.OrderRequest{Symbol: "BTC/USDT", Type: unified.OrderTypeMarket, Side: unified.SideBuy, Amount: dec("1")})
	wantErr(t, "a market order", err, errors.InvalidOrder, "")
	_, err = ex.CreateOrder(ctx, buy("NOPE/USDT", "1", "100"))
	wantErr(t, "an unknown symbol", err, errors.BadSymbol, "")
	if n := srv.HTTP().Requests(); n != before {
		t.Fatalf("%d requests reached the venue for orders refused before sending", n-before)
	}
}

func TestCredentialFaults(t *testing.T) {
	ctx := testCtx(t)
	ex, srv := newPrivate(t, exchange.Config{APIKey: toyvenue.TestAPIKey, Secret: "not-the-secret"})
	_, err := ex.FetchBalance(ctx)
	e := wantErr(t, "a wrong secret", err, errors.AuthenticationError, "1002")
	if e.HTTPStatus != 401 {
		t.Fatalf("a wrong secret: HTTP %d", e.HTTPStatus)
	}
	wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	_, err = ex.WatchOrders(wctx, "")
	wantErr(t, "a private watch with a wrong secret", err, errors.AuthenticationError, "1002")
	srv.SetCredentials(toyvenue.TestAPIKey, "not-the-secret")
	if _, err := ex.FetchBalance(ctx); err != nil {
		t.Fatalf("once the venue has the secret: %v", err)
	}

	ex2, srv2 := newPrivate(t, exchange.Config{APIKey: "someone-else", Secret: toyvenue.TestSecret})
	_, err = ex2.FetchBalance(ctx)
	wantErr(t, "an unknown key", err, errors.AuthenticationError, "1001")

	noCreds, err := toyvenue.New(exchange.Config{URLs: srv2.URLs()})
	if err != nil {
		t.Fatal(err)
	}
	defer noCreds.Close()
	_, err = noCreds.FetchBalance(ctx)
	if e := wantErr(t, "no credentials", err, errors.AuthenticationError, ""); !e.Unsent {
		t.Fatalf("no credentials: %v is not marked unsent", err)
	}

	ex4, srv4 := newPrivate(t, exchange.Config{})
	srv4.ExpireAuth(true)
	_, err = ex4.FetchBalance(ctx)
	wantErr(t, "an expired key", err, errors.AuthenticationError, "1004")
	srv4.ExpireAuth(false)
	if _, err := ex4.FetchBalance(ctx); err != nil {
		t.Fatalf("after renewal: %v", err)
	}
}

func TestRESTFaultsOfTheToyVenue(t *testing.T) {
	ctx := testCtx(t)
	ex, srv := newPrivate(t, exchange.Config{})
	if _, err := ex.FetchBalance(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := ex.LoadMarkets(ctx, false); err != nil {
		t.Fatal(err)
	}

	// Maintenance: the proxy's HTML page is recognised.
	srv.Maintenance(true)
	_, err := ex.FetchBalance(ctx)
	wantErr(t, "under maintenance", err, errors.OnMaintenance, "")
	srv.Maintenance(false)

	// 429: an order is refused with the wait; the next call waits it out,
	// and no request reaches the venue in between.
	srv.Throttle(200 * time.Millisecond)
	_, err = ex.CreateOrder(ctx, srv.OrderRequest(0))
	if e := wantErr(t, "an order while throttled", err, errors.RateLimitExceeded, ""); e.RetryAfter <= 0 || e.RetryAfter > 200*time.Millisecond {
		t.Fatalf("RetryAfter %v, want the venue's", e.RetryAfter)
	}
	if _, err := ex.FetchBalance(ctx); err != nil {
		t.Fatalf("after the throttle: %v", err)
	}
	if n := srv.HTTP().Throttled(); n != 1 {
		t.Fatalf("the venue refused %d requests; the pause was not honoured", n)
	}
	if len(srv.Orders()) != 0 {
		t.Fatal("a refused order was placed")
	}

	// Skew: the signed call resyncs and succeeds.
	srv.Skew(time.Minute)
	if _, err := ex.CreateOrder(ctx, srv.OrderRequest(1)); err != nil {
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
	ex, srv := newPrivate(t, exchange.Config{NewUpdates: true})
	if _, err := ex.FetchBalance(ctx); err != nil { // measure the clock once
		t.Fatal(err)
	}
	srv.Skew(-time.Minute)
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
		if _, err := ex.CreateOrder(ctx, srv.OrderRequest(i)); err != nil {
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

// TestStaleOrderStateIsNotPublished: an order state older than the one
// cached (a late reconciliation reply) does not replace it.
func TestStaleOrderStateIsNotPublished(t *testing.T) {
	ctx := testCtx(t)
	ex, srv := newPrivate(t, exchange.Config{NewUpdates: true})
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
		if a, err = ex.CreateOrder(ctx, srv.OrderRequest(i)); err != nil {
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
	srv.PushStale(a.ID)
	b, err := ex.CreateOrder(ctx, srv.OrderRequest(99)) // pushed after the stale state
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
