package exchangetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/leaktest"
	"github.com/unifex-go/unifex/internal/logcapture"
	"github.com/unifex-go/unifex/unified"
)

// fault is one kind of injected failure and the error kind a waiter sees.
type fault struct {
	name   string
	inject func(symbol string)
	want   *errors.Kind // nil: no error required, only continued correctness
}

func faultsOf(v Venue) []fault {
	var fs []fault
	if f, ok := v.(Faults); ok {
		fs = append(fs,
			fault{"gap", f.Gap, errors.InvalidNonce},
			fault{"garbage", func(string) { f.Garbage() }, nil},
			fault{"drop", func(string) { f.Drop() }, errors.NetworkError},
			fault{"silence", func(string) { f.Silence() }, errors.NetworkError},
		)
	}
	if f, ok := v.(ChecksumFaults); ok {
		fs = append(fs, fault{"checksum", f.CorruptChecksum, errors.ChecksumError})
	}
	return fs
}

// readBook reads symbol's book, waiting at most d (a quiet market delivers
// nothing: that is not an error here).
func readBook(ex exchange.Streaming, symbol string, d time.Duration) (*unified.OrderBook, error) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	ob, err := ex.WatchOrderBook(ctx, symbol)
	if errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, errors.NetworkError) {
		return nil, nil
	}
	return ob, err
}

func testFaults(t *testing.T, h Harness) {
	probe, pv := h.New(t, exchange.Config{})
	fs := faultsOf(pv)
	probe.Close()
	pv.Close()
	if len(fs) == 0 {
		t.Skip("the venue injects no faults")
	}
	for i := range fs {
		t.Run(fs[i].name, func(t *testing.T) {
			ex, v := start(t, h, exchange.Config{})
			f := faultsOf(v)[i] // bound to this test's venue
			symbol := v.Symbols()[0]
			if _, err := readBook(ex, symbol, timeout); err != nil {
				t.Fatalf("first book: %v", err)
			}
			f.inject(symbol)
			sawErr, recovered := f.want == nil, false
			deadline := time.Now().Add(timeout)
			for !recovered && time.Now().Before(deadline) {
				v.Step(2)
				ob, err := readBook(ex, symbol, 100*time.Millisecond)
				switch {
				case err != nil:
					if f.want != nil && !errors.Is(err, f.want) {
						t.Fatalf("after %s: %v, want an error matching %s", f.name, err, f.want.Name())
					}
					if f.want == nil && !errors.Is(err, errors.BadResponse) {
						t.Fatalf("after %s: unexpected %v", f.name, err)
					}
					sawErr = true
				case ob != nil:
					ok, err := checkBook(v, ob, 0)
					if err != nil {
						t.Fatalf("after %s: a wrong book was delivered: %v", f.name, err)
					}
					recovered = sawErr && ok
				}
			}
			if !sawErr {
				t.Fatalf("%s: no waiter was told (want %s)", f.name, f.want.Name())
			}
			if !recovered {
				t.Fatalf("%s: the book did not recover", f.name)
			}
		})
	}
}

// testRandomFaults streams n market events with faults injected at random
// while a consumer checks every book it is given against the venue. On a
// PrivateVenue it also places orders (which Step fills) and cancels some,
// takes the stream down now and then, and requires every order change to
// reach a WatchOrders consumer: zero lost private updates. With a million
// events it is the soak run (`make soak`), which also checks that the heap
// stays flat.
func testRandomFaults(t *testing.T, h Harness, n int) {
	if n <= 0 {
		n = 2000
	}
	ex, v := start(t, h, exchange.Config{NewUpdates: true})
	fs := faultsOf(v)
	symbols := v.Symbols()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	var mu sync.Mutex
	var wrong []error
	verified, errorsSeen := 0, 0
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for ctx.Err() == nil {
			ob, err := ex.WatchOrderBookForSymbols(ctx, symbols)
			if err != nil {
				mu.Lock()
				errorsSeen++
				mu.Unlock()
				continue
			}
			ok, err := checkBook(v, ob, 0)
			mu.Lock()
			if err != nil {
				wrong = append(wrong, err)
			} else if ok {
				verified++
			}
			mu.Unlock()
		}
	}()
	// Wait until the stream is live, with a consumer of its own (the
	// watcher's reads would otherwise take this one's update).
	probe := ex.NewConsumer()
	ob, err := readBook(probe, symbols[0], timeout)
	probe.Close()
	if err != nil || ob == nil {
		t.Fatalf("first book: %v", err)
	}

	// The private side: a consumer of the account's orders, and a trader.
	pv, priv := private(ex, v)
	var (
		orders *orderLog
		tr     *trader
	)
	orderEvery := max(n/1000, 20)
	outageLen := 100 // events during which the stream stays down
	if priv {
		consumer := ex.NewConsumer()
		t.Cleanup(func() { consumer.Close() }) // after the watcher stops
		orders = newOrderLog()
		orders.start(t, consumer)
		tr = &trader{t: t, ex: ex, v: v, pv: pv, tracked: map[string]bool{}}
		tctx := ctxFor(t)
		tr.next = goLive(t, tctx, ex, pv, orders, 0)
		fs = append(fs, fault{"outage", func(string) { pv.Outage(true) }, errors.NetworkError})
	}

	rng := rand.New(rand.NewPCG(uint64(n), 7))
	var heapStart uint64
	faultEvery := max(n/20, 200)
	outageEnd := -1
	for done := 0; done < n; done += 10 {
		v.Step(10)
		// Pace the market so that the watcher sees many books rather than
		// one coalesced book at the end.
		time.Sleep(500 * time.Microsecond)
		if len(fs) > 0 && done > 0 && done%faultEvery == 0 {
			f := fs[rng.IntN(len(fs))]
			switch {
			case f.name == "silence" && n >= 100_000: // a silence costs 2× the ping interval
			case f.name == "outage":
				if outageEnd < 0 {
					f.inject("")
					outageEnd = done + outageLen
				}
			default:
				f.inject(symbols[rng.IntN(len(symbols))])
			}
		}
		if outageEnd >= 0 && done >= outageEnd {
			pv.Outage(false)
			outageEnd = -1
		}
		if priv && done%orderEvery == 0 {
			tctx, tcancel := context.WithTimeout(context.Background(), timeout)
			tr.place(tctx, 1)
			if len(tr.placed)%4 == 0 {
				tr.cancelOne(tctx)
			}
			tcancel()
		}
		if done == n/10 {
			heapStart = heapAfterGC()
		}
	}
	if outageEnd >= 0 {
		pv.Outage(false)
	}
	// Let the consumer catch up with the last events.
	time.Sleep(100 * time.Millisecond)
	if priv {
		orders.converge(t, pv, tr.tracked, "at the end of the run")
	}
	cancel()
	wg.Wait()

	if len(wrong) > 0 {
		t.Fatalf("%d wrong books were delivered; first: %v", len(wrong), wrong[0])
	}
	if verified < n/200 {
		t.Fatalf("only %d delivered books could be checked against the venue over %d events", verified, n)
	}
	t.Logf("%d events, %d books checked against the venue, %d errors reported to the watcher, 0 wrong books", n, verified, errorsSeen)
	if priv {
		count, updates, outages := orders.counts()
		t.Logf("%d orders placed, %d orders and %d order updates delivered, %d outages reported to the order watcher, 0 lost",
			len(tr.placed), count, updates, outages)
	}
	if n >= 100_000 {
		heapEnd := heapAfterGC()
		t.Logf("heap after GC: %d B at 10%% of the run, %d B at the end", heapStart, heapEnd)
		if heapEnd > 2*heapStart+8<<20 {
			t.Fatalf("the heap grew from %d to %d bytes over the run", heapStart, heapEnd)
		}
	}
}

func heapAfterGC() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func testClose(t *testing.T, h Harness) {
	leaktest.Check(t)
	ex, v := h.New(t, exchange.Config{})
	defer v.Close()
	symbol := v.Symbols()[0]
	if _, err := readBook(ex, symbol, timeout); err != nil {
		t.Fatalf("first book: %v", err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := ex.WatchTrades(context.Background(), symbol)
		done <- err
	}()
	time.Sleep(20 * time.Millisecond) // let the waiter block; it must end either way
	if err := ex.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	select {
	case err := <-done:
		if !errors.Is(err, errors.ExchangeClosedByUser) {
			t.Fatalf("a waiter at Close got %v, want ExchangeClosedByUser", err)
		}
	case <-time.After(timeout):
		t.Fatal("a waiter did not return at Close")
	}
	if err := ex.Close(); err != nil {
		t.Fatalf("a second Close: %v", err)
	}
	if _, err := ex.WatchOrderBook(context.Background(), symbol); !errors.Is(err, errors.ExchangeClosedByUser) {
		t.Fatalf("a watch after Close: %v", err)
	}
}

func testNoSecrets(t *testing.T, h Harness) {
	secrets := []string{"unifex-test-key-3f9a", "unifex-test-secret-77c1", "unifex-test-pass-0b2e", "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"}
	logs := &logcapture.Buffer{}
	cfg := exchange.Config{APIKey: secrets[0], Secret: secrets[1], Password: secrets[2], PrivateKey: secrets[3], NewUpdates: true,
		Logger: logs.Logger()}
	ex, v := start(t, h, cfg)
	ctx := ctxFor(t)
	var texts []string
	record := func(err error) {
		if err != nil {
			texts = append(texts, err.Error(), fmt.Sprintf("%+v", err))
		}
	}
	symbol := v.Symbols()[0]
	_, err := readBook(ex, symbol, timeout)
	record(err)
	if f, ok := v.(Faults); ok {
		f.Drop()
		v.Step(5)
		_, err = readBook(ex, symbol, 200*time.Millisecond)
		record(err)
	}
	// Signed REST calls, and on a private venue the private stream's
	// login: an order must come through it.
	signed := 0
	_, err = ex.FetchBalance(ctx)
	record(err)
	if err == nil {
		signed++
	}
	_, err = ex.CreateOrder(ctx, unified.OrderRequest{Symbol: symbol, Side: unified.SideBuy, Type: unified.OrderTypeLimit})
	record(err)
	if pv, ok := private(ex, v); ok {
		l := newOrderLog()
		l.start(t, ex)
		goLive(t, ctx, ex, pv, l, 0)
		signed++
		if f, ok := v.(Faults); ok { // log in again
			f.Drop()
			tr := &trader{t: t, ex: ex, v: v, pv: pv, tracked: map[string]bool{}, next: 100}
			tr.place(ctx, 1)
			l.converge(t, pv, tr.tracked, "after a drop")
		}
	}
	if f, ok := v.(AuthFaults); ok { // refusals, their errors and logs
		f.RejectSignatures(true)
		_, err = ex.FetchBalance(ctx)
		record(err)
		if f, ok := v.(Faults); ok {
			f.Drop()
			wctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
			_, err = ex.WatchOrders(wctx, "")
			cancel()
			record(err)
		}
		f.RejectSignatures(false)
	}
	if h := ex.Has(exchange.FeatureFetchBalance); h && signed == 0 {
		t.Errorf("no signed call succeeded: the secrets were not exercised (%v)", texts)
	}
	texts = append(texts, logs.String(), fmt.Sprint(cfg), fmt.Sprintf("%+v", cfg), fmt.Sprintf("%#v", cfg))
	for _, text := range texts {
		for _, s := range secrets {
			if strings.Contains(text, s) {
				t.Fatalf("a secret reached a log line, an error or a String(): %q", s)
			}
		}
	}
}
