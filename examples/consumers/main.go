// Command consumers fans one trade stream out to two independent strategies.
//
//	go run ./examples/consumers                # until Ctrl-C
//	go run ./examples/consumers -duration 10s
//
// Every Watch* topic keeps one cursor per consumer. The Exchange value is
// itself a consumer, which is all a single watch loop per topic needs. Two
// strategies reading the same topic through it would share one cursor and
// steal updates from each other: in newUpdates mode a trade returned to one
// would never be returned to the other. ex.NewConsumer() gives each strategy
// a cursor of its own over the same subscription — the venue sends each
// trade once, and every consumer reads every trade.
//
// Each strategy here reads the trades of several symbols with
// WatchTradesForSymbols. When ctx ends, the program compares what the two
// read: per symbol, the same trades in the same order (one may have read a
// batch more than the other when it stopped).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"syscall"

	"github.com/unifex-go/unifex/adapters/sim"
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
)

// symbols are the markets whose trades both strategies read.
var symbols = []string{"BTC/USDT", "ETH/USDT", "ETH/BTC"}

// eventsPerSecond is how busy the simulated market is (orders, cancels and
// trades of its crowd, over all its markets).
const eventsPerSecond = 200

// strategies name the two consumers.
var strategies = []string{"momentum", "arbitrage"}

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
		fmt.Fprintln(os.Stderr, "consumers:", err)
		stop()
		os.Exit(1)
	}
}

// tradeIDs are the ids of the trades a consumer read, per symbol, in the
// order it read them.
type tradeIDs map[string][]string

// run reads the trades with one consumer per strategy until ctx ends, then
// prints how their reads compare.
func run(ctx context.Context, out io.Writer) error {
	// NewUpdates: each call returns only the trades this consumer has not
	// read yet, which is what makes "every trade, once, to each" checkable.
	ex, err := exchange.New("sim", exchange.Config{
		NewUpdates: true,
		// The simulator's own options: a busier market than its default.
		Options: sim.Options{Rate: eventsPerSecond},
	})
	if err != nil {
		return err
	}
	defer ex.Close()
	logger := log.New(out, "", log.Ltime|log.Lmicroseconds)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg       sync.WaitGroup
		failOnce sync.Once
		failure  error
		read     = make([]tradeIDs, len(strategies))
	)
	for i, name := range strategies {
		consumer := ex.NewConsumer()
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Close releases this consumer's cursors; the subscriptions stay
			// while another consumer still reads them.
			defer consumer.Close()
			ids, err := consume(ctx, consumer, name, logger)
			read[i] = ids
			if err != nil {
				failOnce.Do(func() {
					failure = err
					cancel()
				})
			}
		}()
	}
	wg.Wait()
	if failure != nil {
		return failure
	}

	for _, symbol := range symbols {
		a, b := read[0][symbol], read[1][symbol]
		logger.Printf("%-9s %s read %d trades, %s read %d, same trades in the same order: %t",
			symbol, strategies[0], len(a), strategies[1], len(b), samePrefix(a, b))
	}
	return nil
}

// consume is one strategy's loop: it reads new trades of every symbol until
// ctx ends and returns the ids it read.
func consume(ctx context.Context, consumer exchange.Consumer, name string, logger *log.Logger) (tradeIDs, error) {
	read := tradeIDs{}
	for {
		trades, err := consumer.WatchTradesForSymbols(ctx, symbols)
		if err != nil {
			switch {
			case ctx.Err() != nil:
				return read, nil
			case errors.Is(err, errors.CacheOverflow):
				// This strategy fell behind and lost trades (the other did
				// not: overflow is per consumer). Use what is left.
				logger.Printf("%-9s %v", name, err)
			case errors.Is(err, errors.NetworkError):
				logger.Printf("%-9s interrupted, the exchange is reconnecting: %v", name, err)
				continue
			default:
				return read, fmt.Errorf("%s: %w", name, err)
			}
		}
		if len(trades) == 0 {
			continue
		}
		// One call returns the new trades of one symbol: the first of
		// symbols that has any.
		symbol := trades[0].Symbol
		ids := make([]string, len(trades))
		for i, t := range trades {
			ids[i] = t.ID
		}
		read[symbol] = append(read[symbol], ids...)
		logger.Printf("%-9s %-9s +%d ids %s", name, symbol, len(trades), strings.Join(ids, ","))
	}
}

// samePrefix reports whether the shorter of a and b is the start of the
// longer: both consumers read the same trades in the same order, and one of
// them stopped a little earlier.
func samePrefix(a, b []string) bool {
	n := min(len(a), len(b))
	return slices.Equal(a[:n], b[:n])
}
