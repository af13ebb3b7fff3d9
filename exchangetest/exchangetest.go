// Package exchangetest is the conformance suite every adapter runs against
// its fake server (like testing/fstest): the unified contract of what the
// adapter says it supports, the watch semantics (shared deliveries,
// independent consumers, newUpdates), that every book delivered equals the
// fake server's own book at the same sequence, recovery after each kind of
// fault, the REST transport's answers to rate limits, maintenance, clock
// skew and refused credentials, that every order the venue changed reaches
// WatchOrders in its final state (outages included), and that nothing
// outlives Close and no secret reaches a log.
//
// A venue opts into each group of tests by implementing its interface:
// Faults and ChecksumFaults (stream faults), PrivateVenue (an account),
// RESTFaults and AuthFaults (REST and credential faults).
//
//	func TestConformance(t *testing.T) {
//		exchangetest.Run(t, exchangetest.Harness{New: newFakeAndExchange})
//	}
package exchangetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/unified"
)

// Venue is the fake server side of an adapter, which the suite drives.
type Venue interface {
	// Symbols lists unified symbols whose books and trades the venue streams.
	Symbols() []string
	// Step makes n random market events (book deltas, trades) and sends
	// them to the subscribers.
	Step(n int)
	// BookAt returns the venue's own book of symbol at sequence nonce, if it
	// still remembers it.
	BookAt(symbol string, nonce int64) (bids, asks []unified.Level, ok bool)
	// Close stops the venue.
	Close()
}

// Faults are the fault injections a Venue offers; the suite runs the
// recovery test of each one the venue implements.
type Faults interface {
	// Drop closes every connection abruptly.
	Drop()
	// Silence makes every connection half-open.
	Silence()
	// Gap makes symbol's next delta skip a sequence number.
	Gap(symbol string)
	// Garbage sends malformed and unknown frames.
	Garbage()
}

// ChecksumFaults is implemented by venues that send book checksums.
type ChecksumFaults interface {
	// CorruptChecksum makes symbol's next delta carry a wrong checksum.
	CorruptChecksum(symbol string)
}

// Harness connects the suite to an adapter.
type Harness struct {
	// New starts a fresh fake venue and an exchange configured (cfg plus
	// the venue's URLs) to use it. The suite closes both. For a
	// PrivateVenue it also sets credentials (see PrivateVenue).
	New func(t *testing.T, cfg exchange.Config) (exchange.Exchange, Venue)
	// PingInterval is the keepalive period the exchange was given (through
	// its options) so that a silent link is caught quickly in tests.
	PingInterval time.Duration
	// Deltas is the number of market events of the randomized fault run;
	// 0 means 2000 (CI); `make soak` sets a million. On a PrivateVenue the
	// run also places an order every max(Deltas/1000, 20) events.
	Deltas int
}

// timeout bounds each step of the suite; reaching it is a failure, not a
// timing assertion.
const timeout = 20 * time.Second

// Run runs the whole suite as subtests.
func Run(t *testing.T, h Harness) {
	t.Run("Features", func(t *testing.T) { testFeatures(t, h) })
	t.Run("BooksMatchVenue", func(t *testing.T) { testBooksMatchVenue(t, h) })
	t.Run("ConsumersAreIndependent", func(t *testing.T) { testConsumers(t, h) })
	t.Run("Faults", func(t *testing.T) { testFaults(t, h) })
	t.Run("RESTFaults", func(t *testing.T) { testRESTFaults(t, h) })
	t.Run("PrivateStream", func(t *testing.T) { testPrivateStream(t, h) })
	t.Run("RandomFaults", func(t *testing.T) { testRandomFaults(t, h, h.Deltas) })
	t.Run("Close", func(t *testing.T) { testClose(t, h) })
	t.Run("NoSecrets", func(t *testing.T) { testNoSecrets(t, h) })
}

func ctxFor(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	t.Cleanup(cancel)
	return ctx
}

// start builds the exchange and venue, closing both at the test's end.
func start(t *testing.T, h Harness, cfg exchange.Config) (exchange.Exchange, Venue) {
	t.Helper()
	ex, v := h.New(t, cfg)
	t.Cleanup(func() {
		if err := ex.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		v.Close()
	})
	return ex, v
}

// checkBook compares a delivered book with the venue's at the same nonce.
// It reports false when the venue no longer remembers that nonce.
func checkBook(v Venue, ob *unified.OrderBook, depth int) (bool, error) {
	bids, asks, ok := v.BookAt(ob.Symbol, ob.Nonce)
	if !ok {
		return false, nil
	}
	if depth > 0 {
		bids, asks = head(bids, depth), head(asks, depth)
	}
	if err := sameLevels("bids", ob.Bids, bids); err != nil {
		return true, fmt.Errorf("%s at nonce %d: %w", ob.Symbol, ob.Nonce, err)
	}
	if err := sameLevels("asks", ob.Asks, asks); err != nil {
		return true, fmt.Errorf("%s at nonce %d: %w", ob.Symbol, ob.Nonce, err)
	}
	return true, nil
}

func head(ls []unified.Level, n int) []unified.Level {
	if len(ls) > n {
		return ls[:n]
	}
	return ls
}

func sameLevels(side string, got, want []unified.Level) error {
	if len(got) != len(want) {
		return fmt.Errorf("%s: %d levels, the venue has %d", side, len(got), len(want))
	}
	for i := range got {
		if !got[i].Price.Equal(want[i].Price) || !got[i].Amount.Equal(want[i].Amount) {
			return fmt.Errorf("%s[%d] = %s@%s, the venue has %s@%s", side, i, got[i].Amount, got[i].Price, want[i].Amount, want[i].Price)
		}
	}
	return nil
}

func testFeatures(t *testing.T, h Harness) {
	ex, v := start(t, h, exchange.Config{})
	ctx := ctxFor(t)
	symbol := v.Symbols()[0]
	calls := map[exchange.Feature]func() error{
		exchange.FeatureFetchTicker:    func() error { _, err := ex.FetchTicker(ctx, symbol); return err },
		exchange.FeatureFetchOrderBook: func() error { _, err := ex.FetchOrderBook(ctx, symbol); return err },
		exchange.FeatureFetchTrades:    func() error { _, err := ex.FetchTrades(ctx, symbol); return err },
		exchange.FeatureFetchBalance:   func() error { _, err := ex.FetchBalance(ctx); return err },
		exchange.FeatureCreateOrder: func() error {
			_, err := ex.CreateOrder(ctx, unified.OrderRequest{Symbol: symbol})
			return err
		},
		exchange.FeatureWatchTicker: func() error { _, err := ex.WatchTicker(ctx, symbol); return err },
		exchange.FeatureWatchBidsAsks: func() error {
			_, err := ex.WatchBidsAsks(ctx, []string{symbol})
			return err
		},
		exchange.FeatureWatchFundingRate: func() error { _, err := ex.WatchFundingRate(ctx, symbol); return err },
		exchange.FeatureWatchOHLCV:       func() error { _, err := ex.WatchOHLCV(ctx, symbol, "1m"); return err },
		exchange.FeatureWatchBalance:     func() error { _, err := ex.WatchBalance(ctx); return err },
		exchange.FeatureWatchOrders:      func() error { _, err := ex.WatchOrders(ctx, ""); return err },
	}
	for f, call := range calls {
		if ex.Has(f) {
			continue
		}
		if err := call(); !errors.Is(err, errors.NotSupported) {
			t.Errorf("%s: Has says no, but the call returned %v, not NotSupported", f, err)
		}
	}
	for _, f := range ex.Features().List() {
		if !ex.Has(f) {
			t.Errorf("Features lists %s but Has denies it", f)
		}
	}
	if _, err := ex.LoadMarkets(ctx, false); err != nil {
		t.Fatalf("LoadMarkets: %v", err)
	}
	if _, err := ex.WatchOrderBook(ctx, "NOPE/NOPE"); !errors.Is(err, errors.BadSymbol) {
		t.Errorf("WatchOrderBook of an unknown symbol: %v, want BadSymbol", err)
	}
}

func testBooksMatchVenue(t *testing.T, h Harness) {
	ex, v := start(t, h, exchange.Config{})
	ctx := ctxFor(t)
	symbols := v.Symbols()
	other := ex.NewConsumer()
	defer other.Close()
	verified := 0
	for i := 0; i < 200; i++ {
		depth := []int{0, 5}[i%2]
		var ob *unified.OrderBook
		for ob == nil { // step until the market changes a book
			if i > 0 {
				v.Step(3)
			}
			rctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
			got, err := ex.WatchOrderBookForSymbols(rctx, symbols, exchange.Limit(depth))
			cancel()
			switch {
			case err == nil:
				ob = got
			case ctx.Err() != nil || !errors.Is(err, context.DeadlineExceeded):
				t.Fatalf("watch %d: %v", i, err)
			}
		}
		ok, err := checkBook(v, ob, depth)
		if err != nil {
			t.Fatalf("watch %d: a wrong book was delivered: %v", i, err)
		}
		if ok {
			verified++
		}
		if i%10 == 0 {
			ob2, err := other.WatchOrderBook(ctx, ob.Symbol, exchange.Limit(depth))
			if err != nil {
				t.Fatalf("second consumer: %v", err)
			}
			if _, err := checkBook(v, ob2, depth); err != nil {
				t.Fatalf("second consumer got a wrong book: %v", err)
			}
			if polled, err := ex.OrderBook(ob.Symbol, 3); err != nil {
				t.Fatalf("polling accessor: %v", err)
			} else if _, err := checkBook(v, polled, 3); err != nil {
				t.Fatalf("polling accessor gave a wrong book: %v", err)
			}
		}
	}
	if verified < 150 {
		t.Fatalf("only %d of 200 books could be checked against the venue", verified)
	}
}

func testConsumers(t *testing.T, h Harness) {
	ex, v := start(t, h, exchange.Config{NewUpdates: true})
	symbol := v.Symbols()[0]
	a, b := ex.NewConsumer(), ex.NewConsumer()
	defer a.Close()
	defer b.Close()
	seen := map[exchange.Consumer]map[string]bool{a: {}, b: {}}
	// read returns what a consumer has, waiting briefly when it has nothing.
	read := func(c exchange.Consumer) {
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		ts, err := c.WatchTrades(ctx, symbol)
		if err != nil && !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("WatchTrades: %v", err)
		}
		for _, tr := range ts {
			if seen[c][tr.ID] {
				t.Fatalf("trade %s returned twice to one consumer", tr.ID)
			}
			seen[c][tr.ID] = true
		}
	}
	read(a)
	read(b)
	for round := 0; round < 30; round++ {
		v.Step(20)
		read(a)
		if round%10 == 9 {
			read(b) // b reads rarely: a's reads must take nothing from it
		}
	}
	for i := 0; i < 20 && (len(seen[a]) != len(seen[b]) || i == 0); i++ {
		read(a)
		read(b)
	}
	if len(seen[a]) != len(seen[b]) || len(seen[a]) == 0 {
		t.Fatalf("consumers saw %d and %d trades; each must see every one", len(seen[a]), len(seen[b]))
	}
	for id := range seen[a] {
		if !seen[b][id] {
			t.Fatalf("trade %s reached one consumer only", id)
		}
	}
}
