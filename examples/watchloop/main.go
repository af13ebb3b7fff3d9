// Command watchloop is the classic CCXT Pro loop, one per symbol: each
// goroutine calls WatchOrderBook again and again and prints the touch (best
// bid, best ask) and the spread every time the book changes.
//
// It runs against the built-in simulated venue, so it needs no network and no
// keys:
//
//	go run ./examples/watchloop                # until Ctrl-C
//	go run ./examples/watchloop -duration 10s
//
// The part worth reading is watchBook's error handling. A Watch* call fails
// for three very different reasons, and a loop must tell them apart:
//
//   - our own context ended (Ctrl-C, -duration): stop quietly;
//   - errors.NetworkError and its children (a dropped connection, a sequence
//     gap, a bad checksum): the exchange is already reconnecting or
//     resynchronising the book by itself, so log it and call again — the next
//     call blocks until fresh, correct data arrives;
//   - anything else (an unknown symbol, a feature the venue lacks, the
//     exchange closed): calling again cannot help, so give up and say why.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"github.com/shopspring/decimal"

	_ "github.com/unifex-go/unifex/adapters/sim" // registers the "sim" venue
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
)

// symbols are the markets watched, one goroutine each.
var symbols = []string{"BTC/USDT", "ETH/USDT", "ETH/BTC"}

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
		fmt.Fprintln(os.Stderr, "watchloop:", err)
		stop()
		os.Exit(1)
	}
}

// run starts the simulated venue and watches every symbol until ctx ends.
func run(ctx context.Context, out io.Writer) error {
	ex, err := exchange.New("sim", exchange.Config{})
	if err != nil {
		return err
	}
	// Close ends every connection and goroutine the exchange started, and
	// wakes any Watch* call still waiting with ExchangeClosedByUser.
	defer ex.Close()

	return watchBooks(ctx, ex, symbols, log.New(out, "", log.Ltime|log.Lmicroseconds))
}

// watchBooks runs one watch loop per symbol and waits for all of them. The
// first loop that fails for good cancels the others and its error is the
// result; a plain end of ctx gives nil.
//
// A *log.Logger serialises its writes, so the goroutines can share it.
func watchBooks(ctx context.Context, books exchange.Streaming, symbols []string, logger *log.Logger) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var (
		wg       sync.WaitGroup
		failOnce sync.Once
		failure  error
	)
	for _, symbol := range symbols {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := watchBook(ctx, books, symbol, logger); err != nil {
				failOnce.Do(func() {
					failure = err
					cancel()
				})
			}
		}()
	}
	wg.Wait()
	return failure
}

// watchBook is the loop of one symbol. It returns nil when ctx ends and an
// error only when watching cannot go on.
func watchBook(ctx context.Context, books exchange.Streaming, symbol string, logger *log.Logger) error {
	// The touch last printed; zero after an interruption, so that the
	// first book after it is always printed.
	var lastBid, lastAsk decimal.Decimal
	for {
		// Limit(1) asks for a copy of the top level only: the snapshot is
		// built to the depth asked for, so a loop that needs the touch pays
		// for the touch. It does not filter wake-ups: the call returns
		// whenever the book changed, at any depth.
		ob, err := books.WatchOrderBook(ctx, symbol, exchange.Limit(1))
		if err != nil {
			switch {
			case ctx.Err() != nil:
				// Our own cancellation. Test ctx rather than the error: the
				// call may have failed for another reason at the same moment.
				return nil
			case errors.Is(err, errors.NetworkError):
				// Includes InvalidNonce and ChecksumError: the book was
				// found wrong and is being rebuilt from a fresh snapshot.
				// No backoff is needed here: the error is delivered once,
				// and the next call blocks until the book is live again.
				logger.Printf("%-9s interrupted, waiting for the exchange to recover: %v", symbol, err)
				lastBid, lastAsk = decimal.Zero, decimal.Zero
				continue
			default:
				return fmt.Errorf("watching %s: %w", symbol, err)
			}
		}

		// The snapshot is shared with every other reader of this delivery:
		// read it, never modify it.
		if len(ob.Bids) == 0 || len(ob.Asks) == 0 {
			logger.Printf("%-9s one-sided book: %d bid and %d ask levels", symbol, len(ob.Bids), len(ob.Asks))
			continue
		}
		bid, ask := ob.Bids[0].Price, ob.Asks[0].Price
		if bid.Equal(lastBid) && ask.Equal(lastAsk) {
			continue // the change was deeper in the book
		}
		lastBid, lastAsk = bid, ask
		// The venue's time of the book is zero when the venue sends none.
		venueTime := "venue time unknown"
		if !ob.Timestamp.IsZero() {
			venueTime = "venue time " + ob.Timestamp.Format("15:04:05.000")
		}
		logger.Printf("%-9s bid %s ask %s spread %s (%s bps), %s",
			symbol, bid, ask, ask.Sub(bid), spreadBps(bid, ask).StringFixed(2), venueTime)
	}
}

// spreadBps is the spread in basis points of the mid price. Decimal division
// needs a precision: eight places are far more than a basis point needs.
func spreadBps(bid, ask decimal.Decimal) decimal.Decimal {
	mid := bid.Add(ask).Div(decimal.NewFromInt(2))
	if mid.IsZero() {
		return decimal.Zero
	}
	return ask.Sub(bid).Mul(decimal.NewFromInt(10_000)).DivRound(mid, 8)
}
