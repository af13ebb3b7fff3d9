package fakeserver

import (
	"sync"
	"time"
)

// Runner is a fake venue's lifecycle: the goroutines it runs of its own
// accord — the background market flow, a fault that fires later — and the
// one Stop that ends them. The zero value is ready; a Runner is safe for
// concurrent use.
type Runner struct {
	mu      sync.Mutex
	stop    chan struct{} // closed by Stop; made on first use
	wg      sync.WaitGroup
	stopped bool
}

// stopC returns the channel Stop closes; r.mu must be held.
func (r *Runner) stopC() chan struct{} {
	if r.stop == nil {
		r.stop = make(chan struct{})
	}
	return r.stop
}

// Go runs f on its own goroutine, which Stop waits for; f must return
// soon after stop is closed. It reports false, and runs nothing, once the
// runner has stopped.
func (r *Runner) Go(f func(stop <-chan struct{})) bool {
	r.mu.Lock()
	if r.stopped {
		r.mu.Unlock()
		return false
	}
	stop := r.stopC()
	r.wg.Add(1) // under the lock: Stop waits for it
	r.mu.Unlock()
	go func() {
		defer r.wg.Done()
		f(stop)
	}()
	return true
}

// After runs f once d has passed, or at once when the runner stops
// first (so that a delayed fault still takes effect before the venue
// closes); it reports false, and runs nothing, once the runner has
// stopped.
func (r *Runner) After(d time.Duration, f func()) bool {
	return r.Go(func(stop <-chan struct{}) {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-stop:
		}
		f()
	})
}

// Flow calls step rate times a second until the runner stops, as a live
// venue's market moves without being asked: step(1) every 1/rate s, or,
// above 100 a second, step(rate/100) every 10 ms. A rate of 0 or less
// runs nothing.
func (r *Runner) Flow(rate int, step func(n int)) {
	if rate <= 0 {
		return
	}
	period, per := time.Second/time.Duration(rate), 1
	if period < 10*time.Millisecond {
		period, per = 10*time.Millisecond, max(1, rate/100)
	}
	r.Go(func(stop <-chan struct{}) {
		t := time.NewTicker(period)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				step(per)
			}
		}
	})
}

// Stopped reports whether Stop has been called.
func (r *Runner) Stopped() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stopped
}

// Stop closes the stop channel and waits for every goroutine of Go, After
// and Flow. It reports whether this call stopped the runner: false when
// an earlier one did, so that a venue's Close can be idempotent by
// returning early.
func (r *Runner) Stop() bool {
	r.mu.Lock()
	if r.stopped {
		r.mu.Unlock()
		return false
	}
	r.stopped = true
	close(r.stopC())
	r.mu.Unlock()
	r.wg.Wait()
	return true
}
