// Command trading walks an order through its life on the simulated venue,
// watching the account's streams while it does:
//
//  1. a limit buy a little below the touch, priced and sized with the
//     market's precision helpers;
//  2. the same order moved further down with EditOrder;
//  3. cancelled, and its final state printed;
//  4. a small market buy, with the fills that executed it.
//
// Meanwhile WatchOrders, WatchBalance and WatchMyTrades print every change
// the venue pushes.
//
//	go run ./examples/trading
//
// The simulated venue needs no keys (it has a built-in test key); for a real
// venue, set Config.APIKey and Config.Secret.
//
// Two habits of careful trading code are shown. Streams are fast but REST is
// the record: a private Watch* call subscribes on its first call and then
// reports changes only, so a change made before the subscription is live is
// never streamed — awaitOrder therefore falls back to FetchOrder when the
// stream stays silent. And an order this program opened is cancelled on the
// way out, even when it is interrupted.
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
	"time"

	"github.com/shopspring/decimal"

	_ "github.com/unifex-go/unifex/adapters/sim" // registers the "sim" venue
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/markets"
	"github.com/unifex-go/unifex/unified"
)

const (
	symbol = "BTC/USDT"
	// streamGrace is how long awaitOrder trusts the stream before asking REST.
	streamGrace = time.Second
)

var (
	// limitNotional is the value of the resting limit order, in USDT.
	limitNotional = decimal.NewFromInt(500)
	// marketAmount is the size of the market order, in BTC.
	marketAmount = decimal.RequireFromString("0.001")
)

func main() {
	duration := flag.Duration("duration", 0, "give up after this long (0: run to the end or until Ctrl-C)")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *duration)
		defer cancel()
	}
	if err := run(ctx, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "trading:", err)
		stop()
		os.Exit(1)
	}
}

// run trades the script above. Unlike the other examples it has an end, so
// an early end of ctx is an error.
func run(ctx context.Context, out io.Writer) error {
	// NewUpdates: WatchOrders and WatchMyTrades return each change once,
	// instead of the whole cached list every time.
	ex, err := exchange.New("sim", exchange.Config{NewUpdates: true})
	if err != nil {
		return err
	}
	defer ex.Close()
	logger := log.New(out, "", log.Ltime|log.Lmicroseconds)

	snap, err := ex.LoadMarkets(ctx, false)
	if err != nil {
		return err
	}
	market, err := snap.Market(symbol)
	if err != nil {
		return err
	}

	// Subscribe to the account's streams first, each in its own goroutine.
	// The order and fill streams are forwarded to the script; a stream that
	// fails for good cancels it.
	ctx, cancel := context.WithCancelCause(ctx)
	var watchers sync.WaitGroup
	defer func() {
		cancel(nil)
		watchers.Wait() // before Close, deferred earlier and so run later
	}()
	orders := make(chan unified.Order, 64)
	fills := make(chan unified.Trade, 64)
	streams := []func() error{
		func() error {
			return follow(ctx, logger, func(ctx context.Context) ([]unified.Order, error) { return ex.WatchOrders(ctx, symbol) },
				func(batch []unified.Order) {
					for _, o := range batch {
						logger.Printf("stream: order %s %s, %s %s @ %s, filled %s", o.ID, o.Status, o.Side, o.Amount.Decimal, o.Price.Decimal, o.Filled.Decimal)
						forward(ctx, orders, o)
					}
				})
		},
		func() error {
			return follow(ctx, logger, func(ctx context.Context) ([]unified.Trade, error) { return ex.WatchMyTrades(ctx, symbol) },
				func(batch []unified.Trade) {
					for _, t := range batch {
						logger.Printf("stream: fill %s of order %s, %s %s @ %s, cost %s, fee %s %s (%s)",
							t.ID, t.Order, t.Side, t.Amount.Decimal, t.Price.Decimal, t.Cost.Decimal, t.Fee.Cost.Decimal, t.Fee.Currency, t.TakerOrMaker)
						forward(ctx, fills, t)
					}
				})
		},
		func() error {
			return follow(ctx, logger, func(ctx context.Context) (*unified.Balances, error) { return ex.WatchBalance(ctx) },
				func(b *unified.Balances) { logger.Printf("stream: balance %s", describeBalances(b, market)) })
		},
	}
	for _, stream := range streams {
		watchers.Add(1)
		go func() {
			defer watchers.Done()
			if err := stream(); err != nil {
				cancel(err)
			}
		}()
	}

	start, err := ex.FetchBalance(ctx)
	if err != nil {
		return failure(ctx, err)
	}
	logger.Printf("start: balance %s", describeBalances(start, market))

	if err := restingOrder(ctx, ex, market, orders, logger); err != nil {
		return failure(ctx, err)
	}
	if err := marketOrder(ctx, ex, market, orders, fills, logger); err != nil {
		return failure(ctx, err)
	}

	end, err := ex.FetchBalance(ctx)
	if err != nil {
		return failure(ctx, err)
	}
	logger.Printf("end: balance %s", describeBalances(end, market))
	return nil
}

// restingOrder places a limit buy below the touch, moves it down, cancels it
// and prints its final state.
func restingOrder(ctx context.Context, ex exchange.Exchange, market *unified.Market, orders <-chan unified.Order, logger *log.Logger) (err error) {
	// The touch. Limit(1): only the best level of each side is copied.
	book, err := ex.WatchOrderBook(ctx, symbol, exchange.Limit(1))
	if err != nil {
		return err
	}
	if len(book.Bids) == 0 {
		return fmt.Errorf("%s has no bids to price against", symbol)
	}
	bestBid := book.Bids[0].Price

	// 2 % below the best bid, so that it rests, for about limitNotional.
	// A venue refuses an order off its grid: PriceToPrecision rounds to the
	// tick and AmountToPrecision truncates to the lot, as CCXT's helpers of
	// the same names do.
	price, err := sendable(markets.PriceToPrecision(market, bestBid.Mul(decimal.RequireFromString("0.98"))))
	if err != nil {
		return err
	}
	amount, err := sendable(markets.AmountToPrecision(market, limitNotional.DivRound(price, 12)))
	if err != nil {
		return err
	}
	req := unified.OrderRequest{
		Symbol: symbol, Type: unified.OrderTypeLimit, Side: unified.SideBuy,
		Amount: amount, Price: decimal.NewNullDecimal(price),
	}
	placed, err := ex.CreateOrder(ctx, req)
	if err != nil {
		return err
	}
	logger.Printf("placed %s: buy %s %s @ %s (best bid %s): %s", placed.ID, amount, symbol, price, bestBid, placed.Status)

	// Whatever happens from here on, do not leave the order behind. The
	// cleanup gets a context of its own: ctx may be the reason for leaving.
	canceled := false
	defer func() {
		if canceled {
			return
		}
		cleanupCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if _, cancelErr := ex.CancelOrder(cleanupCtx, placed.ID, symbol); cancelErr != nil && !errors.Is(cancelErr, errors.InvalidOrder) {
			err = errors.Join(err, fmt.Errorf("leaving order %s open: %w", placed.ID, cancelErr))
		}
	}()

	if _, err := awaitOrder(ctx, ex, orders, placed.ID, logger, func(o *unified.Order) bool {
		return o.Status == unified.StatusOpen
	}); err != nil {
		return err
	}

	// Move it down another 1 %. The sim venue amends in place: same id.
	// (Where a venue cancels and replaces, the returned order has a new id.)
	lower, err := sendable(markets.PriceToPrecision(market, price.Mul(decimal.RequireFromString("0.99"))))
	if err != nil {
		return err
	}
	req.Price = decimal.NewNullDecimal(lower)
	edited, err := ex.EditOrder(ctx, placed.ID, req)
	if err != nil {
		return err
	}
	logger.Printf("edited %s: price %s -> %s", edited.ID, price, edited.Price.Decimal)
	if _, err := awaitOrder(ctx, ex, orders, edited.ID, logger, func(o *unified.Order) bool {
		return o.Price.Decimal.Equal(lower) || o.Status != unified.StatusOpen
	}); err != nil {
		return err
	}

	if _, err := ex.CancelOrder(ctx, edited.ID, symbol); err != nil {
		return err
	}
	canceled = true
	final, err := awaitOrder(ctx, ex, orders, edited.ID, logger, func(o *unified.Order) bool {
		return o.Status == unified.StatusCanceled || o.Status == unified.StatusClosed
	})
	if err != nil {
		return err
	}
	logger.Printf("final %s: %s, filled %s of %s @ %s", final.ID, final.Status, final.Filled.Decimal, final.Amount.Decimal, final.Price.Decimal)
	return nil
}

// marketOrder buys marketAmount at the market and prints the fills that
// executed it.
func marketOrder(ctx context.Context, ex exchange.Exchange, market *unified.Market, orders <-chan unified.Order, fills <-chan unified.Trade, logger *log.Logger) error {
	amount, err := sendable(markets.AmountToPrecision(market, marketAmount))
	if err != nil {
		return err
	}
	placed, err := ex.CreateOrder(ctx, unified.OrderRequest{Symbol: symbol, Type: unified.OrderTypeMarket, Side: unified.SideBuy, Amount: amount})
	if err != nil {
		return err
	}
	logger.Printf("placed %s: market buy %s %s: %s", placed.ID, amount, symbol, placed.Status)
	done, err := awaitOrder(ctx, ex, orders, placed.ID, logger, func(o *unified.Order) bool {
		return o.Status != unified.StatusOpen
	})
	if err != nil {
		return err
	}
	logger.Printf("final %s: %s, filled %s @ average %s, cost %s", done.ID, done.Status, done.Filled.Decimal, done.Average.Decimal, done.Cost.Decimal)

	// The fills arrive on their own stream, not necessarily before the
	// order's final state: collect them until they add up to what filled.
	var filled decimal.Decimal
	count := 0
	for filled.LessThan(done.Filled.Decimal) {
		select {
		case t := <-fills:
			if t.Order == placed.ID {
				filled = filled.Add(t.Amount.Decimal)
				count++
			}
		case <-ctx.Done():
			return fmt.Errorf("waiting for the fills of %s: %w", placed.ID, context.Cause(ctx))
		}
	}
	logger.Printf("order %s executed: fills %d, amount %s", placed.ID, count, filled)
	return nil
}

// awaitOrder returns the first state of order id that ok accepts. It reads
// the order stream; when the stream has shown nothing acceptable for
// streamGrace, it asks REST, which also covers a change the stream missed
// because it subscribed after it.
func awaitOrder(ctx context.Context, ex exchange.Exchange, orders <-chan unified.Order, id string, logger *log.Logger, ok func(*unified.Order) bool) (*unified.Order, error) {
	timer := time.NewTimer(streamGrace)
	defer timer.Stop()
	for {
		select {
		case o := <-orders:
			if o.ID == id && ok(&o) {
				return &o, nil
			}
		case <-timer.C:
			o, err := ex.FetchOrder(ctx, id, symbol)
			if err != nil {
				return nil, err
			}
			if ok(o) {
				logger.Printf("order %s is %s by REST; the stream has not shown it", id, o.Status)
				return o, nil
			}
			timer.Reset(streamGrace)
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for order %s: %w", id, context.Cause(ctx))
		}
	}
}

// follow calls watch until ctx ends, handing each result to use. Network
// errors are waited out: the exchange reconnects by itself and, for private
// streams, fetches over REST what changed while it was away. A cache
// overflow is reported and the remaining items used. Anything else ends the
// stream with an error.
func follow[T any](ctx context.Context, logger *log.Logger, watch func(context.Context) (T, error), use func(T)) error {
	for {
		v, err := watch(ctx)
		if err != nil {
			switch {
			case ctx.Err() != nil:
				return nil
			case errors.Is(err, errors.NetworkError):
				logger.Printf("stream interrupted, reconnecting: %v", err)
				continue
			case errors.Is(err, errors.CacheOverflow):
				logger.Printf("stream fell behind: %v", err)
			default:
				return err
			}
		}
		use(v)
	}
}

// forward sends v to ch unless ctx ends first.
func forward[T any](ctx context.Context, ch chan<- T, v T) {
	select {
	case ch <- v:
	case <-ctx.Done():
	}
}

// sendable turns what the precision helpers return — the text to send the
// venue — back into the decimal an OrderRequest holds.
func sendable(text string, err error) (decimal.Decimal, error) {
	if err != nil {
		return decimal.Zero, err
	}
	return decimal.NewFromString(text)
}

// describeBalances shows the balances of the market's two currencies.
func describeBalances(bs *unified.Balances, market *unified.Market) string {
	quote, base := bs.Currencies[market.Quote], bs.Currencies[market.Base]
	return fmt.Sprintf("%s free %s used %s, %s free %s used %s",
		market.Quote, quote.Free.Decimal, quote.Used.Decimal, market.Base, base.Free.Decimal, base.Used.Decimal)
}

// failure prefers the reason the script was cancelled (a stream that failed
// for good) over the error that cancellation caused.
func failure(ctx context.Context, err error) error {
	if cause := context.Cause(ctx); cause != nil && ctx.Err() != nil {
		return cause
	}
	return err
}
