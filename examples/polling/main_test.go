package main

import (
	"bytes"
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/adapters/sim"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/leaktest"
)

// bookCell matches one symbol's book in a frame.
var bookCell = regexp.MustCompile(`^(\S+) (\S+)/(\S+) (\d+)x(\d+) #(\d+)$`)

func TestRunPollsAtTheFrameRate(t *testing.T) {
	leaktest.Check(t)
	const runFor = 2 * time.Second
	ctx, cancel := context.WithTimeout(context.Background(), runFor)
	defer cancel()

	var out bytes.Buffer
	if err := run(ctx, &out); err != nil {
		t.Fatalf("run ended with %v, want nil at the end of its context", err)
	}
	frames := strings.Split(strings.TrimSpace(out.String()), "\n")
	// 20 ticks in 2 s; a ticker drops ticks rather than queueing them, so
	// a slow machine gives fewer, never more.
	if want := int(runFor.Seconds() * frameRate); len(frames) > want || len(frames) < want/2 {
		t.Errorf("%d frames in %v, want about %d", len(frames), runFor, want)
	}
	complete := 0
	for _, f := range frames {
		cells := strings.Split(f, " | ")
		if len(cells) != len(symbols)+1 {
			t.Fatalf("frame %q does not show %d books", f, len(symbols))
		}
		books := 0
		for i, cell := range cells[1:] {
			if !strings.HasPrefix(cell, symbols[i]+" ") {
				t.Errorf("frame %q: cell %q is not %s", f, cell, symbols[i])
			}
			m := bookCell.FindStringSubmatch(cell)
			if m == nil {
				continue // starting or syncing: allowed, and checked below
			}
			books++
			bid, ask := decimal.RequireFromString(m[2]), decimal.RequireFromString(m[3])
			bids, _ := strconv.Atoi(m[4])
			asks, _ := strconv.Atoi(m[5])
			if !bid.LessThan(ask) || bids < 1 || bids > depth || asks < 1 || asks > depth {
				t.Errorf("frame %q: bad book %q (depth %d)", f, cell, depth)
			}
		}
		if books == len(symbols) {
			complete++
		}
	}
	if complete == 0 {
		t.Fatalf("no frame showed every book; output:\n%s", out.String())
	}
	// Once every book is live it stays live: the simulator has no faults.
	last := frames[len(frames)-1]
	if strings.Contains(last, "starting") || strings.Contains(last, "syncing") {
		t.Errorf("the last frame still waits for a book: %q", last)
	}
}

func TestFrameSaysWhyABookCannotBeRead(t *testing.T) {
	leaktest.Check(t)
	ex, err := sim.New(exchange.Config{
		Options:   sim.Options{Seed: 3},
		Reconnect: exchange.Backoff{Base: 10 * time.Millisecond, Jitter: -1},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer ex.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if _, err := ex.WatchOrderBook(ctx, "BTC/USDT"); err != nil {
		t.Fatal(err)
	}

	line, err := frame(ex, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`\| BTC/USDT \S+/\S+ \dx\d #\d+ \| ETH/USDT starting \| ETH/BTC starting$`).MatchString(line) {
		t.Errorf("frame before the other books started: %q", line)
	}

	// An outage: the WebSocket drops and reconnecting is refused. The book
	// goes back to syncing (never stale data) until the venue is back.
	ex.Venue().Outage(true)
	deadline := time.Now().Add(3 * time.Second)
	for !strings.Contains(line, "BTC/USDT syncing") {
		if time.Now().After(deadline) {
			t.Fatalf("the book still reads as live during an outage: %q", line)
		}
		time.Sleep(10 * time.Millisecond)
		if line, err = frame(ex, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	ex.Venue().Outage(false)
	for !bookCell.MatchString(strings.Split(line, " | ")[1]) {
		if time.Now().After(deadline) {
			t.Fatalf("the book did not come back after the outage: %q", line)
		}
		time.Sleep(10 * time.Millisecond)
		if line, err = frame(ex, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
}
