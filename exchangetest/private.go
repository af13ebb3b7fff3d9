package exchangetest

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/unified"
)

// PrivateVenue is a venue with a test account. The suite's private tests
// run when the venue implements it and the exchange has CreateOrder and
// WatchOrders. Harness.New must then give the exchange credentials the
// venue accepts: cfg's own when cfg carries some (the venue adopts them;
// the suite passes made-up ones to check that they never leak), else the
// venue's test credentials. The venue's Step also fills open orders at
// random, in part or in whole, and pushes those changes to the account's
// order stream.
type PrivateVenue interface {
	// OrderRequest returns the i-th order of a test: a limit order that
	// rests on the book until Step fills it, valid for its market
	// (precision, limits) and affordable by the test account.
	OrderRequest(i int) unified.OrderRequest
	// Orders returns every order of the account in its current state, as
	// the venue holds it (ID, Symbol, Status, Amount and Filled at least).
	Orders() []unified.Order
	// Outage drops every stream connection and refuses new ones (on), or
	// accepts them again (off). REST goes on working meanwhile.
	Outage(on bool)
}

// RESTFaults are the REST faults a venue injects on demand. The suite's
// RESTFaults tests run when the venue implements it and the exchange has
// FetchBalance, a signed and idempotent call.
type RESTFaults interface {
	// Throttle refuses every REST request for d with 429 Too Many Requests
	// and a Retry-After header giving the time left.
	Throttle(d time.Duration)
	// Throttled returns how many requests the throttle has refused.
	Throttled() int
	// Maintenance answers every REST request with a 503 maintenance page
	// (on), or serves them again.
	Maintenance(on bool)
	// Skew sets how far the venue's clock runs ahead of the local one; the
	// venue refuses signed requests whose timestamp is far from its clock.
	Skew(d time.Duration)
}

// AuthFaults are credential failures a venue injects on demand.
type AuthFaults interface {
	// ExpireAuth refuses the exchange's credentials as expired (on), or
	// accepts them again.
	ExpireAuth(on bool)
	// RejectSignatures checks signatures with another secret (on), as if
	// the exchange's secret were wrong, or with the right one again.
	RejectSignatures(on bool)
}

// private returns v as a PrivateVenue when the exchange can place and
// watch orders on it.
func private(ex exchange.Exchange, v Venue) (PrivateVenue, bool) {
	pv, ok := v.(PrivateVenue)
	return pv, ok && ex.Has(exchange.FeatureCreateOrder) && ex.Has(exchange.FeatureWatchOrders)
}

// orderLog records what WatchOrders delivers: each order's latest state.
type orderLog struct {
	mu      sync.Mutex
	last    map[string]unified.Order
	updates int     // order states delivered
	outages int     // network errors reported to the watcher
	lost    []error // errors that mean updates were lost (CacheOverflow)
	other   []error // any other error
}

func newOrderLog() *orderLog { return &orderLog{last: map[string]unified.Order{}} }

// watchOrders reads c's orders (in newUpdates mode) into l until ctx ends.
func (l *orderLog) watch(ctx context.Context, c exchange.Streaming) {
	for ctx.Err() == nil {
		os, err := c.WatchOrders(ctx, "")
		l.mu.Lock()
		for _, o := range os {
			l.last[o.ID] = o
			l.updates++
		}
		switch {
		case err == nil, ctx.Err() != nil:
		case errors.Is(err, errors.CacheOverflow):
			l.lost = append(l.lost, err)
		case errors.Is(err, errors.NetworkError):
			l.outages++
		default:
			l.other = append(l.other, err)
		}
		l.mu.Unlock()
	}
}

// start runs l.watch on c until the test ends.
func (l *orderLog) start(t *testing.T, c exchange.Streaming) {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		l.watch(ctx, c)
	}()
	t.Cleanup(func() { cancel(); wg.Wait() })
}

func (l *orderLog) counts() (orders, updates, outages int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.last), l.updates, l.outages
}

// errs returns the errors that mean trouble.
func (l *orderLog) errs() (lost, other []error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]error(nil), l.lost...), append([]error(nil), l.other...)
}

// differences lists the tracked orders (and every order l has seen) whose
// last delivered state is not the venue's.
func (l *orderLog) differences(venue []unified.Order, tracked map[string]bool) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, want := range venue {
		got, seen := l.last[want.ID]
		if !seen {
			if tracked[want.ID] {
				out = append(out, fmt.Sprintf("order %s (%s %s): never delivered", want.ID, want.Status, want.Filled.Decimal))
			}
			continue
		}
		if got.Status != want.Status || !got.Filled.Decimal.Equal(want.Filled.Decimal) ||
			!got.Amount.Decimal.Equal(want.Amount.Decimal) || got.Symbol != want.Symbol {
			out = append(out, fmt.Sprintf("order %s: last delivered %s %s filled %s of %s, the venue has %s %s filled %s of %s",
				want.ID, got.Symbol, got.Status, got.Filled.Decimal, got.Amount.Decimal,
				want.Symbol, want.Status, want.Filled.Decimal, want.Amount.Decimal))
		}
	}
	sort.Strings(out)
	return out
}

// converge waits until every tracked order has reached the watcher in the
// venue's state, and fails the test with the differences when it does not
// within the suite's timeout.
func (l *orderLog) converge(t *testing.T, pv PrivateVenue, tracked map[string]bool, when string) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		diff := l.differences(pv.Orders(), tracked)
		if len(diff) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %d orders did not reach WatchOrders in their final state; first: %s", when, len(diff), diff[0])
		}
		time.Sleep(10 * time.Millisecond)
	}
	if lost, other := l.errs(); len(lost) > 0 || len(other) > 0 {
		t.Fatalf("%s: WatchOrders reported %d lost-update errors and %d others: %v %v", when, len(lost), len(other), lost, other)
	}
}

// goLive places orders until one reaches l: the private stream is then
// subscribed, and every later change must reach it. It returns the index
// of the next order request.
func goLive(t *testing.T, ctx context.Context, ex exchange.Exchange, pv PrivateVenue, l *orderLog, next int) int {
	t.Helper()
	for {
		if _, err := ex.CreateOrder(ctx, pv.OrderRequest(next)); err != nil {
			t.Fatalf("CreateOrder: %v", err)
		}
		next++
		for end := time.Now().Add(300 * time.Millisecond); time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
			if n, _, _ := l.counts(); n > 0 {
				return next
			}
		}
		if ctx.Err() != nil {
			t.Fatal("no order reached WatchOrders: the private stream never came up")
		}
	}
}

// trader places, fills and cancels orders on a private venue, remembering
// the orders it placed.
type trader struct {
	t       *testing.T
	ex      exchange.Exchange
	v       Venue
	pv      PrivateVenue
	next    int
	tracked map[string]bool
	placed  []string
}

// place places k orders.
func (tr *trader) place(ctx context.Context, k int) {
	tr.t.Helper()
	for range k {
		o, err := tr.ex.CreateOrder(ctx, tr.pv.OrderRequest(tr.next))
		if err != nil {
			tr.t.Fatalf("CreateOrder: %v", err)
		}
		tr.next++
		tr.tracked[o.ID] = true
		tr.placed = append(tr.placed, o.ID)
	}
}

// filled sums what the venue's orders have filled and counts those that
// are no longer open, so that any fill changes it.
func filled(pv PrivateVenue) string {
	total, done := decimal.Zero, 0
	for _, o := range pv.Orders() {
		total = total.Add(o.Filled.Decimal)
		if o.Status != unified.StatusOpen {
			done++
		}
	}
	return total.String() + "/" + strconv.Itoa(done)
}

// stepUntilFill steps the market until the venue has filled something.
func (tr *trader) stepUntilFill() {
	tr.t.Helper()
	before := filled(tr.pv)
	for i := 0; i < 2000; i++ {
		tr.v.Step(5)
		if filled(tr.pv) != before {
			return
		}
	}
	tr.t.Fatal("the venue filled no order over 10000 market events")
}

// cancelOne cancels the newest placed order that is still open, when the
// exchange can.
func (tr *trader) cancelOne(ctx context.Context) {
	tr.t.Helper()
	if !tr.ex.Has(exchange.FeatureCancelOrder) {
		return
	}
	open := map[string]string{} // id -> symbol
	for _, o := range tr.pv.Orders() {
		if o.Status == unified.StatusOpen {
			open[o.ID] = o.Symbol
		}
	}
	for i := len(tr.placed) - 1; i >= 0; i-- {
		id := tr.placed[i]
		symbol, ok := open[id]
		if !ok {
			continue
		}
		_, err := tr.ex.CancelOrder(ctx, id, symbol)
		// A fill may close the order first.
		if err != nil && !errors.Is(err, errors.InvalidOrder) {
			tr.t.Fatalf("CancelOrder: %v", err)
		}
		return
	}
}

// testPrivateStream: every order the venue changed reaches WatchOrders in
// its final state, including what changed while the stream was down (the
// exchange reconciles over REST after the reconnect): zero lost private
// updates.
func testPrivateStream(t *testing.T, h Harness) {
	ex, v := start(t, h, exchange.Config{NewUpdates: true})
	pv, ok := private(ex, v)
	if !ok {
		t.Skip("the venue has no account, or the exchange cannot place and watch orders")
	}
	ctx := ctxFor(t)
	l := newOrderLog()
	l.start(t, ex)
	tr := &trader{t: t, ex: ex, v: v, pv: pv, tracked: map[string]bool{}}
	tr.next = goLive(t, ctx, ex, pv, l, 0)

	tr.place(ctx, 5)
	tr.stepUntilFill()
	tr.cancelOne(ctx)
	l.converge(t, pv, tr.tracked, "with the stream up")
	_, _, outages := l.counts()

	pv.Outage(true)
	tr.place(ctx, 5)
	tr.stepUntilFill()
	tr.cancelOne(ctx)
	pv.Outage(false)
	l.converge(t, pv, tr.tracked, "after an outage")
	orders, updates, after := l.counts()
	if after == outages {
		t.Fatal("the outage was not reported to the order watcher")
	}
	t.Logf("%d orders, %d order updates delivered, %d outages reported, 0 lost", orders, updates, after)
}

// testRESTFaults: the REST transport's answers to a venue's faults.
func testRESTFaults(t *testing.T, h Harness) {
	probe, pvenue := h.New(t, exchange.Config{})
	_, restFaults := pvenue.(RESTFaults)
	_, authFaults := pvenue.(AuthFaults)
	signed := probe.Has(exchange.FeatureFetchBalance)
	probe.Close()
	pvenue.Close()
	if !signed || (!restFaults && !authFaults) {
		t.Skip("the venue injects no REST faults, or the exchange has no FetchBalance")
	}
	// setup starts a venue whose signed calls work and whose markets are
	// loaded (so that a fault hits the call under test only).
	setup := func(t *testing.T) (exchange.Exchange, Venue, context.Context) {
		ex, v := start(t, h, exchange.Config{})
		ctx := ctxFor(t)
		if _, err := ex.LoadMarkets(ctx, false); err != nil {
			t.Fatalf("LoadMarkets: %v", err)
		}
		if _, err := ex.FetchBalance(ctx); err != nil {
			t.Fatalf("FetchBalance: %v", err)
		}
		return ex, v, ctx
	}
	t.Run("throttle", func(t *testing.T) {
		if !restFaults {
			t.Skip("no REST faults")
		}
		ex, v, ctx := setup(t)
		f := v.(RESTFaults)
		calls := 1
		f.Throttle(200 * time.Millisecond)
		if pv, ok := private(ex, v); ok {
			before := len(pv.Orders())
			calls++
			_, err := ex.CreateOrder(ctx, pv.OrderRequest(0))
			if err != nil {
				// An order is not retried blindly: the caller gets the
				// wait the venue asked for, and the venue has no order.
				var e *errors.Error
				if !errors.Is(err, errors.RateLimitExceeded) || !errors.As(err, &e) || e.RetryAfter <= 0 {
					t.Fatalf("CreateOrder while throttled: %v, want RateLimitExceeded with RetryAfter", err)
				}
				if n := len(pv.Orders()); n != before {
					t.Fatalf("an order refused with 429 was placed (%d orders, %d before)", n, before)
				}
			}
		}
		if _, err := ex.FetchBalance(ctx); err != nil {
			t.Fatalf("FetchBalance after waiting out Retry-After: %v", err)
		}
		if n := f.Throttled(); n > calls {
			t.Fatalf("the venue refused %d requests of %d calls: Retry-After was not honoured", n, calls)
		}
	})
	t.Run("maintenance", func(t *testing.T) {
		if !restFaults {
			t.Skip("no REST faults")
		}
		ex, v, ctx := setup(t)
		f := v.(RESTFaults)
		f.Maintenance(true)
		if _, err := ex.FetchBalance(ctx); !errors.Is(err, errors.ExchangeNotAvailable) {
			t.Fatalf("FetchBalance under maintenance: %v, want ExchangeNotAvailable or OnMaintenance", err)
		}
		f.Maintenance(false)
		if _, err := ex.FetchBalance(ctx); err != nil {
			t.Fatalf("FetchBalance after maintenance: %v", err)
		}
	})
	t.Run("skew", func(t *testing.T) {
		if !restFaults {
			t.Skip("no REST faults")
		}
		ex, v, ctx := setup(t)
		f := v.(RESTFaults)
		pv, ok := private(ex, v)
		for i, d := range []time.Duration{90 * time.Second, -90 * time.Second, 0} {
			f.Skew(d)
			call, err := "FetchBalance", error(nil)
			if ok && i == 1 { // an order is refused for its timestamp, resyncs and goes
				call = "CreateOrder"
				_, err = ex.CreateOrder(ctx, pv.OrderRequest(0))
			} else {
				_, err = ex.FetchBalance(ctx)
			}
			if err != nil {
				t.Fatalf("%s once the venue's clock is %v off: %v", call, d, err)
			}
		}
	})
	t.Run("credentials", func(t *testing.T) {
		if !authFaults {
			t.Skip("no credential faults")
		}
		ex, v, ctx := setup(t)
		f := v.(AuthFaults)
		f.ExpireAuth(true)
		if _, err := ex.FetchBalance(ctx); !errors.Is(err, errors.AuthenticationError) {
			t.Fatalf("FetchBalance with expired credentials: %v, want AuthenticationError", err)
		}
		f.ExpireAuth(false)
		f.RejectSignatures(true)
		if _, err := ex.FetchBalance(ctx); !errors.Is(err, errors.AuthenticationError) {
			t.Fatalf("FetchBalance with a wrong secret: %v, want AuthenticationError", err)
		}
		if _, ok := private(ex, v); ok {
			wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			_, err := ex.WatchOrders(wctx, "")
			cancel()
			if !errors.Is(err, errors.AuthenticationError) {
				t.Fatalf("WatchOrders with a wrong secret: %v, want AuthenticationError", err)
			}
		}
		f.RejectSignatures(false)
		if _, err := ex.FetchBalance(ctx); err != nil {
			t.Fatalf("FetchBalance with the right credentials again: %v", err)
		}
	})
}
