package main

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/markets"
	"github.com/unifex-go/unifex/unified"
)

// The demo's venue and market, and how long it may take to cancel its
// orders on the way out.
const (
	demoVenue     = defaultVenue
	demoSymbol    = "BTC/USDT"
	cancelTimeout = 10 * time.Second
)

// demo is the command without arguments: on sim, it watches demoSymbol's
// book and trades, places a small limit buy at the best bid and a small
// limit sell at the best ask, watches the account's orders and balances
// (fetched first, so that they show at once), and shows it all on one live
// screen until ctx ends. Then it cancels those of its orders still open.
func (a *app) demo(ctx context.Context) error {
	ex, err := a.open(demoVenue)
	if err != nil {
		return a.explain(ctx, nil, demoVenue, 0, nil, err)
	}
	defer ex.Close()
	snap, err := ex.LoadMarkets(ctx, false)
	if err != nil {
		return a.explain(ctx, ex, demoVenue, 0, nil, err)
	}
	market, err := snap.Market(demoSymbol)
	if err != nil {
		return a.explain(ctx, ex, demoVenue, 0, []string{demoSymbol}, err)
	}
	depth := a.flags.depth
	if depth == 0 {
		depth = defaultDepth
	}

	live, stop := context.WithCancel(ctx)
	defer stop()
	var wg sync.WaitGroup
	start := func(run func()) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			run()
		}()
	}
	f := newFeeds()
	f.orders = make(chan []unified.Order)
	f.balances = make(chan *unified.Balances)
	f.placed = make(chan []unified.Order, 1) // placePaperOrders sends once and never waits
	trades := ex.NewConsumer()
	start(func() {
		feed(live, func(ctx context.Context) (*unified.OrderBook, error) {
			return ex.WatchOrderBook(ctx, demoSymbol, exchange.Limit(depth))
		}, f.books, f.notices, f.failures)
	})
	start(func() {
		defer trades.Close()
		feed(live, watchTrades(ex, trades, demoSymbol), f.trades, f.notices, f.failures)
	})
	start(func() {
		feed(live, func(ctx context.Context) ([]unified.Order, error) { return ex.WatchOrders(ctx, demoSymbol) }, f.orders, f.notices, f.failures)
	})
	start(func() {
		feed(live, seeded(func(ctx context.Context) (*unified.Balances, error) { return ex.FetchBalance(ctx) },
			func(ctx context.Context) (*unified.Balances, error) { return ex.WatchBalance(ctx) }), f.balances, f.notices, f.failures)
	})
	start(func() { placePaperOrders(live, ex, market, f) })

	v := &view{
		title: "unifex demo: paper trading " + demoSymbol + " on " + demoVenue + ", a buy at the bid and a sell at the ask\n" +
			"Ctrl-C stops, and cancels the orders still open",
		codes: []string{market.Base, market.Quote},
	}
	err = newScreen(a.stdout, depth, a.warn, a.redact).show(live, v, f)
	stop()
	wg.Wait()
	select {
	case placed := <-f.placed: // placed while the screen was closing
		v.addMine(placed)
	default:
	}
	if err != nil {
		err = a.explain(ctx, ex, demoVenue, 0, nil, err)
	}
	if cancelErr := a.cancelOpen(ctx, ex, v); cancelErr != nil {
		if err == nil {
			return cancelErr
		}
		a.warn(cancelErr)
	}
	return err
}

// placePaperOrders waits for a book of m with both sides, then places a
// small limit buy at the best bid and a small limit sell at the best ask,
// and sends the placed orders to f.placed, once. A failure goes to
// f.failures. The orders are placed even if ctx ends meanwhile, so that an
// order that reached the venue is always known, and canceled.
func placePaperOrders(ctx context.Context, ex exchange.Exchange, m *unified.Market, f *feeds) {
	top := ex.NewConsumer()
	defer top.Close()
	var book *unified.OrderBook
	for book == nil || len(book.Bids) == 0 || len(book.Asks) == 0 {
		b, err := top.WatchOrderBook(ctx, m.Symbol, exchange.Limit(1))
		switch {
		case ctx.Err() != nil:
			return
		case err == nil:
			book = b
		case recoverable(err):
			pause(ctx)
		default:
			send(ctx, f.failures, err)
			return
		}
	}
	placing := context.WithoutCancel(ctx)
	var placed []unified.Order
	for _, quote := range []struct {
		side  unified.Side
		price decimal.Decimal
	}{{unified.SideBuy, book.Bids[0].Price}, {unified.SideSell, book.Asks[0].Price}} {
		amount, err := paperAmount(m, quote.price)
		if err == nil {
			var o *unified.Order
			o, err = ex.CreateOrder(placing, unified.OrderRequest{Symbol: m.Symbol, Type: unified.OrderTypeLimit, Side: quote.side,
				Amount: amount, Price: decimal.NewNullDecimal(quote.price)})
			if err == nil {
				placed = append(placed, *o)
				continue
			}
		}
		f.placed <- placed
		send(ctx, f.failures, err)
		return
	}
	f.placed <- placed
}

// paperAmount is a small amount of m to trade at price: the least that
// meets the market's minimum amount and minimum cost, rounded up to its
// amount precision, or one amount step when the market states no minimum.
// It fails when the market's limits reject that amount at price.
func paperAmount(m *unified.Market, price decimal.Decimal) (decimal.Decimal, error) {
	amount := decimal.Zero
	if least := m.Limits.Amount.Min; least.Valid {
		amount = least.Decimal
	}
	if least := m.Limits.Cost.Min; least.Valid && price.IsPositive() {
		contract := decimal.NewFromInt(1)
		if m.ContractSize.Valid {
			contract = m.ContractSize.Decimal
		}
		amount = decimal.Max(amount, least.Decimal.Div(price.Mul(contract)))
	}
	step := m.Precision.Amount
	switch {
	case !step.Valid:
	case m.PrecisionMode == unified.TickSize && step.Decimal.IsPositive():
		amount = decimal.Max(amount.Div(step.Decimal).Ceil(), decimal.NewFromInt(1)).Mul(step.Decimal)
	case m.PrecisionMode == unified.DecimalPlaces:
		places := int32(step.Decimal.IntPart())
		amount = decimal.Max(amount.RoundCeil(places), decimal.New(1, -places))
	}
	checked, err := markets.ValidateOrder(m, markets.Order{Amount: amount, Price: price})
	return checked.Amount, err
}

// cancelOpen cancels the demo's orders that are not known to be closed,
// and says so on stdout. An order that is gone or no longer open is not an
// error: it filled or was canceled meanwhile. Each other failure is
// reported on stderr, and the error names the orders left open.
func (a *app) cancelOpen(ctx context.Context, ex exchange.Exchange, v *view) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cancelTimeout)
	defer cancel()
	var left []string
	for _, id := range v.mine {
		o := v.orders[id]
		if o.Status != unified.StatusOpen && o.Status != "" {
			continue
		}
		if _, err := ex.CancelOrder(ctx, id, o.Symbol); err != nil {
			if !errors.Is(err, errors.InvalidOrder) {
				a.warn(err)
				left = append(left, id)
			}
			continue
		}
		fmt.Fprintf(a.stdout, "canceled order %s: %s %s %s at %s\n", id, o.Side, dec(o.Amount), o.Symbol, dec(o.Price))
	}
	if len(left) > 0 {
		return &failure{code: exitFailed, msg: "could not cancel the demo's open orders " + strings.Join(left, ", ")}
	}
	return nil
}
