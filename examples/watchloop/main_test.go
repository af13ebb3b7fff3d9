package main

import (
	"bytes"
	"context"
	"log"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/adapters/sim"
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/leaktest"
)

// bookLine matches what watchBook prints for a two-sided book.
var bookLine = regexp.MustCompile(`(\S+) +bid (\S+) ask (\S+) spread (\S+) \((\S+) bps\)`)

// checkBookLines checks every book line of out — a positive spread equal
// to ask − bid — and returns how many lines each symbol had.
func checkBookLines(t *testing.T, out string) map[string]int {
	t.Helper()
	seen := map[string]int{}
	for _, m := range bookLine.FindAllStringSubmatch(out, -1) {
		bid, ask, spread := decimal.RequireFromString(m[2]), decimal.RequireFromString(m[3]), decimal.RequireFromString(m[4])
		if !bid.LessThan(ask) || !spread.Equal(ask.Sub(bid)) {
			t.Errorf("inconsistent touch: %s", m[0])
		}
		seen[m[1]]++
	}
	return seen
}

func TestRunWatchesEverySymbolUntilCancelled(t *testing.T) {
	leaktest.Check(t)
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()

	var out bytes.Buffer
	if err := run(ctx, &out); err != nil {
		t.Fatalf("run ended with %v, want nil at the end of its context", err)
	}
	seen := checkBookLines(t, out.String())
	for _, s := range symbols {
		if seen[s] == 0 {
			t.Errorf("no book printed for %s; output:\n%s", s, out.String())
		}
	}
}

func TestWatchBooksStopsEveryLoopOnAnUnknownSymbol(t *testing.T) {
	leaktest.Check(t)
	ex, err := sim.New(exchange.Config{Options: sim.Options{Seed: 1}})
	if err != nil {
		t.Fatal(err)
	}
	defer ex.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var out bytes.Buffer
	err = watchBooks(ctx, ex, []string{"BTC/USDT", "DOGE/USDT"}, log.New(&out, "", 0))
	if !errors.Is(err, errors.BadSymbol) {
		t.Fatalf("watchBooks = %v, want a BadSymbol error", err)
	}
	if ctx.Err() != nil {
		t.Fatal("watchBooks waited for the deadline instead of stopping the other loop")
	}
}

// lockedBuffer is a bytes.Buffer that the test may read while loops write.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitFor polls until cond holds, failing the test after timeout.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestWatchBooksKeepsWatchingThroughADroppedConnection(t *testing.T) {
	leaktest.Check(t)
	ex, err := sim.New(exchange.Config{
		Options:   sim.Options{Seed: 2, Rate: 200},
		Reconnect: exchange.Backoff{Base: 20 * time.Millisecond, Jitter: -1},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer ex.Close()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out lockedBuffer
	done := make(chan error, 1)
	go func() { done <- watchBooks(ctx, ex, []string{"BTC/USDT", "ETH/USDT"}, log.New(&out, "", 0)) }()

	waitFor(t, 3*time.Second, "a book of each symbol", func() bool {
		seen := checkBookLines(t, out.String())
		return seen["BTC/USDT"] > 0 && seen["ETH/USDT"] > 0
	})
	ex.Venue().Drop()
	waitFor(t, 3*time.Second, "both loops to see the drop", func() bool {
		return strings.Count(out.String(), "interrupted") >= 2
	})
	waitFor(t, 3*time.Second, "books after the reconnect", func() bool {
		all := out.String()
		seen := checkBookLines(t, all[strings.LastIndex(all, "interrupted"):])
		return seen["BTC/USDT"] > 0 && seen["ETH/USDT"] > 0
	})
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("watchBooks = %v after a drop and a cancel, want nil", err)
	}
}
