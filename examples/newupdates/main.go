// Command newupdates is a strategy loop in newUpdates mode: with
// Config.NewUpdates set, each WatchTrades call returns only the trades that
// arrived since this consumer's previous return — none is skipped and none
// comes back twice — so the loop can fold them into running statistics
// without de-duplicating anything itself. Here the statistic is a volume
// weighted average price (VWAP), kept in exact decimals.
//
//	go run ./examples/newupdates                # until Ctrl-C
//	go run ./examples/newupdates -duration 10s
//
// Without NewUpdates, WatchTrades returns the whole cached window (up to
// Config.TradesLimit trades) every time, and a strategy would have to find
// the new ones by id or time.
//
// The one promise newUpdates cannot keep is when the loop falls so far behind
// that the cache ring overwrites trades it has not read yet (the ring holds
// TradesLimit items). The call then returns what is left together with an
// error matching errors.CacheOverflow; the *errors.CacheOverflowError inside
// says how many trades were lost. Never a silent gap: the strategy decides
// what a gap means for it — here, the VWAP is still printed but marked as
// missing trades.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"syscall"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/adapters/sim"
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/markets"
	"github.com/unifex-go/unifex/unified"
)

const (
	// symbol is the market the strategy trades.
	symbol = "BTC/USDT"
	// eventsPerSecond is how busy the simulated market is (orders, cancels
	// and trades of its crowd, over all its markets).
	eventsPerSecond = 200
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
		fmt.Fprintln(os.Stderr, "newupdates:", err)
		stop()
		os.Exit(1)
	}
}

// run follows symbol's trades in newUpdates mode until ctx ends, printing the
// running VWAP after each batch.
func run(ctx context.Context, out io.Writer) error {
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

	// The market tells how precise a price is; the VWAP is printed at that
	// precision rather than with sixteen meaningless decimals.
	snap, err := ex.LoadMarkets(ctx, false)
	if err != nil {
		return stopped(ctx, err)
	}
	market, err := snap.Market(symbol)
	if err != nil {
		return err
	}

	var stats vwap
	for {
		trades, err := ex.WatchTrades(ctx, symbol)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			lost, err := handleWatchError(logger, err)
			if err != nil {
				return err
			}
			stats.lost += lost
			// On a CacheOverflow, trades still holds what survived: fold it
			// in like any other batch. On a network error it is empty.
		}
		if len(trades) == 0 {
			continue
		}
		stats.add(trades)
		price, err := markets.PriceToPrecision(market, stats.price())
		if err != nil {
			return err
		}
		gap := ""
		if stats.lost > 0 {
			gap = fmt.Sprintf(" (missing %d lost trades)", stats.lost)
		}
		logger.Printf("%s +%d trades, %d in all, volume %s, vwap %s, range %s-%s%s",
			symbol, len(trades), stats.trades, stats.volume, price, stats.low, stats.high, gap)
	}
}

// handleWatchError decides what a failed WatchTrades means for the strategy:
// how many trades were lost and nil to carry on (after saying what
// happened), or the error that ends it.
func handleWatchError(logger *log.Logger, err error) (lost int, fatal error) {
	// errors.Is(err, errors.CacheOverflow) tells that trades were lost;
	// errors.As gets the count.
	var overflow *errors.CacheOverflowError
	switch {
	case errors.As(err, &overflow):
		// The loop was too slow for the cache: Dropped trades were
		// overwritten before it read them. Count them; a real strategy might
		// instead re-fetch history over REST, or size TradesLimit up.
		logger.Printf("%s lost %d trades: the strategy fell behind the cache", symbol, overflow.Dropped)
		return overflow.Dropped, nil
	case errors.Is(err, errors.NetworkError):
		// The connection dropped; the exchange reconnects and resubscribes by
		// itself. Trades printed while it was down are not replayed, so the
		// VWAP now skips that interval: a strategy that cannot live with that
		// should fetch the missing trades with FetchTrades and Since.
		logger.Printf("%s stream interrupted, the exchange is reconnecting: %v", symbol, err)
		return 0, nil
	}
	return 0, fmt.Errorf("watching %s trades: %w", symbol, err)
}

// stopped turns an error caused by the end of ctx into a clean stop.
func stopped(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// vwap accumulates trades. Every sum is an exact decimal: a float64 would
// drift after a few thousand trades, and prices would stop matching the
// exchange's.
type vwap struct {
	trades    int
	lost      int
	volume    decimal.Decimal // Σ amount
	notional  decimal.Decimal // Σ price × amount
	low, high decimal.Decimal
}

// add folds a batch of trades in. A trade without a price or an amount
// (a venue that omits one) cannot be weighted and is skipped.
func (v *vwap) add(trades []unified.Trade) {
	for _, t := range trades {
		if !t.Price.Valid || !t.Amount.Valid {
			continue
		}
		p, a := t.Price.Decimal, t.Amount.Decimal
		if v.trades == 0 || p.LessThan(v.low) {
			v.low = p
		}
		if v.trades == 0 || p.GreaterThan(v.high) {
			v.high = p
		}
		v.trades++
		v.volume = v.volume.Add(a)
		v.notional = v.notional.Add(p.Mul(a))
	}
}

// price is the volume weighted average price, zero before any volume. The
// division is the only inexact step; twelve places are far below any tick.
func (v *vwap) price() decimal.Decimal {
	if v.volume.IsZero() {
		return decimal.Zero
	}
	return v.notional.DivRound(v.volume, 12)
}
