package markets

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/unified"
)

// waitersOf returns how many callers wait on the load in flight (0 if none).
func waitersOf(r *Registry) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.call == nil {
		return 0
	}
	return r.call.waiters
}

// inflight returns the load in flight, or nil.
func inflight(r *Registry) *loadCall {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.call
}

// waitFor polls cond until it holds or the test has waited too long.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestRegistryConcurrentFirstLoadCallsLoaderOnce(t *testing.T) {
	var calls atomic.Int32
	release := make(chan struct{})
	r := NewRegistry("binance", func(ctx context.Context) ([]unified.Market, []unified.Currency, error) {
		calls.Add(1)
		<-release
		return binanceLike(), nil, nil
	})
	const n = 64
	snaps := make([]*Snapshot, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			snaps[i], errs[i] = r.Load(context.Background(), false)
		}()
	}
	waitFor(t, "all callers to wait on one load", func() bool { return waitersOf(r) == n })
	close(release)
	wg.Wait()
	if c := calls.Load(); c != 1 {
		t.Fatalf("loader called %d times, want 1", c)
	}
	for i := range n {
		if errs[i] != nil || snaps[i] == nil || snaps[i] != snaps[0] {
			t.Fatalf("caller %d got %p, %v; want the shared snapshot %p", i, snaps[i], errs[i], snaps[0])
		}
	}
	if r.Current() != snaps[0] {
		t.Error("Current() is not the loaded snapshot")
	}
	// Loaded: further calls do not load.
	if s, err := r.Load(context.Background(), false); err != nil || s != snaps[0] || calls.Load() != 1 {
		t.Errorf("second Load = %p, %v, %d calls", s, err, calls.Load())
	}
	if m, err := r.Current().Market("BTC/USDT"); err != nil || m.ID != "BTCUSDT" {
		t.Errorf("lookup after load: %v, %v", m, err)
	}
}

func TestRegistryFailedLoadIsNotCached(t *testing.T) {
	var calls atomic.Int32
	boom := errors.Newf(errors.ExchangeNotAvailable, "down")
	r := NewRegistry("binance", func(ctx context.Context) ([]unified.Market, []unified.Currency, error) {
		if calls.Add(1) == 1 {
			return nil, nil, boom
		}
		return binanceLike(), nil, nil
	})
	if r.Current() != nil {
		t.Fatal("Current() before load is not nil")
	}
	if _, err := r.Current().Market("BTC/USDT"); !errors.Is(err, errors.ExchangeError) {
		t.Errorf("lookup before load: %v", err)
	}
	if _, err := r.Load(context.Background(), false); err != boom {
		t.Fatalf("first Load error = %v, want the loader's", err)
	}
	if r.Current() != nil {
		t.Fatal("failed load was stored")
	}
	s, err := r.Load(context.Background(), false)
	if err != nil || s == nil || calls.Load() != 2 {
		t.Fatalf("retry = %v, %v after %d calls", s, err, calls.Load())
	}
}

func TestRegistryReload(t *testing.T) {
	var calls atomic.Int32
	r := NewRegistry("binance", func(ctx context.Context) ([]unified.Market, []unified.Currency, error) {
		switch calls.Add(1) {
		case 1:
			return binanceLike()[:1], nil, nil
		case 2:
			return binanceLike(), nil, nil
		default:
			return nil, nil, fmt.Errorf("reload failed")
		}
	})
	first, err := r.Load(context.Background(), false)
	if err != nil || len(first.Markets()) != 1 {
		t.Fatalf("first load: %v", err)
	}
	second, err := r.Reload(context.Background())
	if err != nil || second == first || len(second.Markets()) != 4 || r.Current() != second {
		t.Fatalf("reload: %v", err)
	}
	if len(first.Markets()) != 1 {
		t.Error("reload changed the old snapshot")
	}
	if _, err := r.Load(context.Background(), true); err == nil {
		t.Fatal("third load should fail")
	}
	if r.Current() != second {
		t.Error("a failed reload replaced the markets")
	}
}

func TestRegistryCancelledWaiterLeavesOthers(t *testing.T) {
	release := make(chan struct{})
	var loadCtxErr atomic.Value
	r := NewRegistry("binance", func(ctx context.Context) ([]unified.Market, []unified.Currency, error) {
		<-release
		loadCtxErr.Store(fmt.Sprint(ctx.Err()))
		return binanceLike(), nil, nil
	})
	ctxA, cancelA := context.WithCancel(context.Background())
	errA := make(chan error, 1)
	go func() { _, err := r.Load(ctxA, false); errA <- err }()
	waitFor(t, "caller A", func() bool { return waitersOf(r) == 1 })
	type result struct {
		s   *Snapshot
		err error
	}
	resB := make(chan result, 1)
	go func() { s, err := r.Load(context.Background(), false); resB <- result{s, err} }()
	waitFor(t, "caller B", func() bool { return waitersOf(r) == 2 })

	cancelA()
	err := <-errA
	if !errors.Is(err, context.Canceled) || err.Error() != "binance: waiting for markets: context canceled" {
		t.Errorf("A's error = %v", err)
	}
	if waitersOf(r) != 1 {
		t.Errorf("waiters after A left = %d", waitersOf(r))
	}
	close(release)
	b := <-resB
	if b.err != nil || b.s == nil {
		t.Fatalf("B = %v, %v", b.s, b.err)
	}
	if got := loadCtxErr.Load(); got != "<nil>" {
		t.Errorf("the shared load saw ctx error %v after A left", got)
	}
}

func TestRegistryLoadKeepsFirstCallerValues(t *testing.T) {
	type key struct{}
	var got atomic.Value
	r := NewRegistry("x", func(ctx context.Context) ([]unified.Market, []unified.Currency, error) {
		got.Store(ctx.Value(key{}))
		return binanceLike(), nil, nil
	})
	ctx, cancel := context.WithTimeout(context.WithValue(context.Background(), key{}, "trace-1"), time.Hour)
	defer cancel()
	if _, err := r.Load(ctx, false); err != nil {
		t.Fatal(err)
	}
	if got.Load() != "trace-1" {
		t.Errorf("loader saw value %v", got.Load())
	}
}

func TestRegistryAbandonedLoadIsCancelled(t *testing.T) {
	var calls atomic.Int32
	cancelled := make(chan struct{})
	r := NewRegistry("binance", func(ctx context.Context) ([]unified.Market, []unified.Currency, error) {
		if calls.Add(1) == 1 {
			<-ctx.Done()
			close(cancelled)
			return nil, nil, ctx.Err()
		}
		return binanceLike(), nil, nil
	})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := r.Load(ctx, false)
	var e *errors.Error
	if !errors.As(err, &e) || e.Kind != errors.RequestTimeout || !errors.Is(err, context.DeadlineExceeded) || e.Exchange != "binance" {
		t.Errorf("deadline error = %v", err)
	}
	select {
	case <-cancelled:
	case <-time.After(10 * time.Second):
		t.Fatal("the load was not cancelled when its only caller left")
	}
	if s, err := r.Load(context.Background(), false); err != nil || s == nil || calls.Load() != 2 {
		t.Errorf("next Load = %v, %v after %d calls; want a fresh load", s, err, calls.Load())
	}
}

func TestRegistryLateAbandonedLoadDoesNotOverwriteNewer(t *testing.T) {
	var calls atomic.Int32
	releaseFirst := make(chan struct{})
	r := NewRegistry("binance", func(ctx context.Context) ([]unified.Market, []unified.Currency, error) {
		if calls.Add(1) == 1 {
			<-releaseFirst // ignores ctx, finishes late
			return binanceLike()[:1], nil, nil
		}
		return binanceLike(), nil, nil
	})
	ctx, cancel := context.WithCancel(context.Background())
	errA := make(chan error, 1)
	go func() { _, err := r.Load(ctx, false); errA <- err }()
	waitFor(t, "caller A", func() bool { return waitersOf(r) == 1 })
	first := inflight(r)
	cancel()
	<-errA
	newer, err := r.Load(context.Background(), false)
	if err != nil || len(newer.Markets()) != 4 {
		t.Fatalf("second load: %v", err)
	}
	close(releaseFirst)
	<-first.done
	if r.Current() != newer {
		t.Error("the late, older load replaced the newer markets")
	}
}

func TestRegistryLateAbandonedLoadIsKept(t *testing.T) {
	releaseFirst := make(chan struct{})
	r := NewRegistry("binance", func(ctx context.Context) ([]unified.Market, []unified.Currency, error) {
		<-releaseFirst // ignores ctx
		return binanceLike(), nil, nil
	})
	ctx, cancel := context.WithCancel(context.Background())
	errA := make(chan error, 1)
	go func() { _, err := r.Load(ctx, false); errA <- err }()
	waitFor(t, "caller A", func() bool { return waitersOf(r) == 1 })
	first := inflight(r)
	cancel()
	<-errA
	close(releaseFirst)
	<-first.done
	if r.Current() == nil {
		t.Error("a completed load was dropped although nothing newer exists")
	}
}

func TestRegistryCancelledContextDoesNotLoad(t *testing.T) {
	var calls atomic.Int32
	r := NewRegistry("", func(ctx context.Context) ([]unified.Market, []unified.Currency, error) {
		calls.Add(1)
		return binanceLike(), nil, nil
	})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := r.Load(ctx, false)
	if !errors.Is(err, context.Canceled) || err.Error() != "waiting for markets: context canceled" {
		t.Errorf("error = %v", err)
	}
	if calls.Load() != 0 {
		t.Error("loader called with a cancelled context")
	}
}

func TestRegistryLoaderFaults(t *testing.T) {
	r := NewRegistry("binance", nil)
	_, err := r.Load(context.Background(), false)
	wantErr(t, err, errors.ExchangeError, "no market loader")

	var calls atomic.Int32
	r = NewRegistry("binance", func(ctx context.Context) ([]unified.Market, []unified.Currency, error) {
		if calls.Add(1) == 1 {
			panic("index out of range") // a parser bug in an adapter
		}
		return binanceLike(), nil, nil
	})
	_, err = r.Load(context.Background(), false)
	wantErr(t, err, errors.BadResponse, "market loader panicked: index out of range")
	if _, err := r.Load(context.Background(), false); err != nil {
		t.Errorf("retry after panic: %v", err)
	}

	dup := binanceLike()
	dup[1].Symbol = dup[0].Symbol
	r = NewRegistry("binance", func(ctx context.Context) ([]unified.Market, []unified.Currency, error) { return dup, nil, nil })
	_, err = r.Load(context.Background(), false)
	wantErr(t, err, errors.BadResponse, "both have the symbol")
	if r.Current() != nil {
		t.Error("an invalid market list was stored")
	}
}

func TestRegistryReloadJoinsLoadInFlight(t *testing.T) {
	var calls atomic.Int32
	release := make(chan struct{})
	r := NewRegistry("x", func(ctx context.Context) ([]unified.Market, []unified.Currency, error) {
		calls.Add(1)
		<-release
		return binanceLike(), nil, nil
	})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := r.Load(context.Background(), i%2 == 0); err != nil {
				t.Error(err)
			}
		}()
	}
	waitFor(t, "8 callers", func() bool { return waitersOf(r) == 8 })
	close(release)
	wg.Wait()
	if calls.Load() != 1 {
		t.Errorf("loader called %d times", calls.Load())
	}
}
