// Command polling reads order books at its own frame rate instead of
// reacting to every change: the shape of a user interface, or of a strategy
// that re-evaluates on a timer.
//
//	go run ./examples/polling                  # until Ctrl-C
//	go run ./examples/polling -duration 10s
//
// Each book is started once with WatchOrderBook, in the background. From then
// on the exchange keeps it live (through reconnects and resyncs) until
// UnwatchOrderBook or Close, whether anyone is waiting on it or not. The
// frame loop reads ex.OrderBook(symbol, depth), which never blocks: it
// returns a consistent copy of the current book, or says why there is none.
// Reading ten times a second costs ten snapshots a second, however fast the
// market moves.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	_ "github.com/unifex-go/unifex/adapters/sim" // registers the "sim" venue
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/orderbook"
)

// symbols are the books shown on every frame.
var symbols = []string{"BTC/USDT", "ETH/USDT", "ETH/BTC"}

const (
	// frameRate is how often the books are read: the user's frame rate,
	// unrelated to how often they change.
	frameRate = 10 // per second
	// depth is how many levels a side each read copies.
	depth = 5
)

func main() {
	duration := flag.Duration("duration", 0, "stop after this long (0: run until Ctrl-C)")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *duration)
		defer cancel()
	}
	if err := run(ctx, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "polling:", err)
		stop()
		os.Exit(1)
	}
}

// run starts the books, then prints one line per frame until ctx ends.
func run(ctx context.Context, out io.Writer) error {
	ex, err := exchange.New("sim", exchange.Config{})
	if err != nil {
		return err
	}
	defer ex.Close()

	// A starter that fails for good records why and cancels the frames.
	ctx, cancel := context.WithCancel(ctx)
	var (
		starters sync.WaitGroup
		failOnce sync.Once
		failure  error
	)
	defer func() {
		cancel()
		starters.Wait() // before Close, deferred earlier and so run later
	}()
	for _, symbol := range symbols {
		starters.Add(1)
		go func() {
			defer starters.Done()
			if err := startBook(ctx, ex, symbol); err != nil {
				failOnce.Do(func() {
					failure = err
					cancel()
				})
			}
		}()
	}

	ticker := time.NewTicker(time.Second / frameRate)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			// Either the caller's ctx ended (a normal stop: failure stays
			// nil) or a starter failed. Wait for the starters before
			// reading failure: one may fail at the very moment ctx ends.
			starters.Wait()
			return failure
		case now := <-ticker.C:
			line, err := frame(ex, now)
			if err != nil {
				return err
			}
			fmt.Fprintln(out, line)
		}
	}
}

// startBook makes the exchange subscribe to symbol's book. The first
// WatchOrderBook call subscribes and blocks until the book is synced; it is
// called in the background so that the first frames can already show which
// books are still syncing. Only an error that retrying cannot cure is
// returned: a network error during start-up is retried by calling again.
func startBook(ctx context.Context, books exchange.Streaming, symbol string) error {
	for {
		_, err := books.WatchOrderBook(ctx, symbol, exchange.Limit(depth))
		switch {
		case err == nil, ctx.Err() != nil:
			return nil
		case errors.Is(err, errors.NetworkError):
			continue
		default:
			return fmt.Errorf("starting the %s book: %w", symbol, err)
		}
	}
}

// frame reads every book once, without waiting, and describes them on one
// line. A book that cannot be read right now is shown with the reason; only
// an unexpected error stops the program.
func frame(books exchange.Streaming, now time.Time) (string, error) {
	var line strings.Builder
	line.WriteString(now.Format("15:04:05.000"))
	for _, symbol := range symbols {
		line.WriteString(" | ")
		line.WriteString(symbol)
		line.WriteByte(' ')

		ob, err := books.OrderBook(symbol, depth)
		switch {
		case err == nil:
			if len(ob.Bids) == 0 || len(ob.Asks) == 0 {
				line.WriteString("one-sided")
				continue
			}
			// ob is this version's shared snapshot; depth caps each side.
			fmt.Fprintf(&line, "%s/%s %dx%d #%d", ob.Bids[0].Price, ob.Asks[0].Price, len(ob.Bids), len(ob.Asks), ob.Nonce)
		case errors.Is(err, orderbook.ErrNotSynced):
			// Subscribed, but the first snapshot has not arrived yet — or
			// the connection dropped and the book waits for the snapshot
			// after the reconnect. Never stale data.
			line.WriteString("syncing")
		case errors.Is(err, errors.InvalidNonce):
			// A gap, a failed checksum or a crossed book: the exchange is
			// rebuilding it from a fresh snapshot.
			line.WriteString("resyncing")
		case errors.Is(err, errors.BadRequest):
			// Not watched (yet): its startBook has not subscribed. A
			// starter that fails for good cancels the run, so this cannot
			// last.
			line.WriteString("starting")
		default:
			return "", fmt.Errorf("reading the %s book: %w", symbol, err)
		}
	}
	return line.String(), nil
}
