package markets

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/unified"
)

// Loader fetches a venue's markets and currencies; adapters supply one
// (typically FetchMarkets and FetchCurrencies over REST). It must honour ctx.
// currencies may be nil when the venue has no currency endpoint. The registry
// copies both slices, so the loader may reuse them afterwards.
type Loader func(ctx context.Context) (markets []unified.Market, currencies []unified.Currency, err error)

// Registry holds a venue's markets: loaded once, shared by every caller, and
// replaced wholesale on reload. It is safe for concurrent use; reads of the
// current Snapshot take no lock.
//
// Loads are coalesced: however many goroutines call Load at once, the
// Loader runs once and all of them get its result. A failed load is not
// kept (the next Load tries again) and a failed reload leaves the previous
// snapshot in place.
//
// Cancellation: the shared load runs on its own goroutine with a context
// detached from the callers' cancellation and deadlines (it keeps the first
// caller's values, for tracing). Each caller waits on its own ctx and leaves
// with ctx's error when that ends, without disturbing the others. When every
// caller has left, the load is cancelled and forgotten, so the next Load
// starts afresh; a load that completes anyway is still kept, unless a newer
// load has already been stored.
type Registry struct {
	exchange string
	load     Loader
	cur      atomic.Pointer[Snapshot]

	mu        sync.Mutex
	call      *loadCall // the load in flight, nil when none
	started   uint64    // generation of the newest load started
	storedGen uint64    // generation of the stored snapshot
}

// loadCall is one run of the Loader that callers wait on.
type loadCall struct {
	done    chan struct{} // closed when snap and err are set
	snap    *Snapshot
	err     error
	waiters int // callers still waiting; guarded by Registry.mu
	cancel  context.CancelFunc
}

// NewRegistry returns an empty registry for exchange (an adapter id used in
// errors) that loads with load. Nothing is fetched until the first Load.
func NewRegistry(exchange string, load Loader) *Registry {
	return &Registry{exchange: exchange, load: load}
}

// Current returns the current snapshot without loading, or nil before the
// first successful load (a nil *Snapshot answers every lookup with a "not
// loaded" error). This is the call for hot paths such as parsing a stream.
func (r *Registry) Current() *Snapshot { return r.cur.Load() }

// Load returns the markets, loading them if they are not loaded yet or if
// reload is true (CCXT's loadMarkets(reload)). Concurrent calls share one
// load; a reload joins a load already in flight rather than starting a second
// one. When ctx ends first, Load returns an error that wraps ctx.Err()
// (errors.RequestTimeout for a deadline) and the load goes on for the other
// callers. The loader's own error is returned as it is.
func (r *Registry) Load(ctx context.Context, reload bool) (*Snapshot, error) {
	if !reload {
		if s := r.cur.Load(); s != nil {
			return s, nil
		}
	}
	if ctx.Err() != nil {
		return nil, r.ctxError(ctx)
	}
	r.mu.Lock()
	if !reload {
		if s := r.cur.Load(); s != nil {
			r.mu.Unlock()
			return s, nil
		}
	}
	c := r.call
	if c == nil {
		c = r.start(ctx)
	}
	c.waiters++
	r.mu.Unlock()

	select {
	case <-c.done:
		return c.snap, c.err
	case <-ctx.Done():
	}
	r.mu.Lock()
	select {
	case <-c.done: // finished while we were giving up: take the result
		r.mu.Unlock()
		return c.snap, c.err
	default:
	}
	c.waiters--
	if c.waiters == 0 && r.call == c {
		r.call = nil
		c.cancel()
	}
	r.mu.Unlock()
	return nil, r.ctxError(ctx)
}

// Reload loads the markets afresh; it is Load(ctx, true).
func (r *Registry) Reload(ctx context.Context) (*Snapshot, error) { return r.Load(ctx, true) }

// start begins a load; r.mu must be held.
func (r *Registry) start(ctx context.Context) *loadCall {
	lctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	c := &loadCall{done: make(chan struct{}), cancel: cancel}
	r.call = c
	r.started++
	gen := r.started
	go func() {
		defer cancel()
		snap, err := r.run(lctx)
		r.mu.Lock()
		if err == nil && gen > r.storedGen {
			r.cur.Store(snap)
			r.storedGen = gen
		}
		if r.call == c {
			r.call = nil
		}
		c.snap, c.err = snap, err
		r.mu.Unlock()
		close(c.done)
	}()
	return c
}

// run calls the loader and indexes its result. A panicking loader becomes an
// error rather than a crash of a goroutine no caller can recover in.
func (r *Registry) run(ctx context.Context) (snap *Snapshot, err error) {
	if r.load == nil {
		return nil, &errors.Error{Kind: errors.ExchangeError, Exchange: r.exchange, Message: "no market loader"}
	}
	defer func() {
		if p := recover(); p != nil {
			snap = nil
			err = &errors.Error{Kind: errors.BadResponse, Exchange: r.exchange, Message: fmt.Sprintf("market loader panicked: %v", p)}
		}
	}()
	markets, currencies, err := r.load(ctx)
	if err != nil {
		return nil, err
	}
	return NewSnapshot(r.exchange, markets, currencies)
}

// ctxError describes why a caller stopped waiting.
func (r *Registry) ctxError(ctx context.Context) error {
	cause := ctx.Err()
	if errors.Is(cause, context.DeadlineExceeded) {
		return &errors.Error{Kind: errors.RequestTimeout, Exchange: r.exchange, Message: "waiting for markets", Cause: cause}
	}
	if r.exchange == "" {
		return fmt.Errorf("waiting for markets: %w", cause)
	}
	return fmt.Errorf("%s: waiting for markets: %w", r.exchange, cause)
}
