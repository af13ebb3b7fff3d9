package exchange_test

import (
	"context"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/adapters/sim"
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/markets"
	"github.com/unifex-go/unifex/unified"
)

// The examples below run against the built-in simulated venue (adapters/sim)
// with its background order flow turned off (a negative Rate): the books move
// only when the example trades, so that the output is the same on every run.

// quietSim returns a simulated venue whose market does not move by itself.
func quietSim() exchange.Exchange {
	ex, err := exchange.New("sim", exchange.Config{Options: sim.Options{Seed: 1, Rate: -1}})
	if err != nil {
		panic(err)
	}
	return ex
}

// New builds any adapter registered under an id; the adapter package
// registers itself when imported (import _ ".../adapters/sim", or
// .../adapters/all for every venue).
func ExampleNew() {
	ex, err := exchange.New("sim", exchange.Config{})
	if err != nil {
		panic(err)
	}
	defer ex.Close()
	fmt.Println(ex.ID(), ex.Has(exchange.FeatureWatchOrderBook), ex.Has(exchange.FeatureWithdraw))

	_, err = exchange.New("no-such-venue", exchange.Config{})
	fmt.Println(errors.Is(err, errors.NotSupported))
	// Output:
	// sim true false
	// true
}

// Markets carry the precision that orders must follow.
func ExampleExchange_LoadMarkets() {
	ex := quietSim()
	defer ex.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	snap, err := ex.LoadMarkets(ctx, false)
	if err != nil {
		panic(err)
	}
	fmt.Println(snap.Symbols())
	m, err := snap.Market("BTC/USDT")
	if err != nil {
		panic(err)
	}
	price, _ := markets.PriceToPrecision(m, decimal.RequireFromString("65000.128"))
	amount, _ := markets.AmountToPrecision(m, decimal.RequireFromString("0.0123456789"))
	fmt.Println(m.ID, m.Type, price, amount)
	// Output:
	// [BTC/USDT BTC/USDT:USDT ETH/BTC ETH/USDT]
	// BTCUSDT spot 65000.13 0.01234
}

// The first WatchOrderBook subscribes and returns the synced book; each later
// call blocks until the book changed. Limit sets the depth of the copy.
func ExampleExchange_WatchOrderBook() {
	ex := quietSim()
	defer ex.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	ob, err := ex.WatchOrderBook(ctx, "BTC/USDT", exchange.Limit(5))
	if err != nil {
		panic(err)
	}
	fmt.Println(ob.Symbol, len(ob.Bids), len(ob.Asks), ob.Bids[0].Price.LessThan(ob.Asks[0].Price))

	// A call returns at once only when the book changed since this
	// consumer's last return: nothing moves here, so it waits until ctx ends.
	short, cancelShort := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancelShort()
	_, err = ex.WatchOrderBook(short, "BTC/USDT", exchange.Limit(5))
	fmt.Println(errors.Is(err, context.DeadlineExceeded), errors.Is(err, errors.NetworkError))
	// Output:
	// BTC/USDT 5 5 true
	// true false
}

// OrderBook reads the current book without waiting, at any depth, once a
// WatchOrderBook has started it: the accessor for loops that poll at their
// own frame rate.
func ExampleExchange_OrderBook() {
	ex := quietSim()
	defer ex.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	_, err := ex.OrderBook("ETH/USDT", 3)
	fmt.Println("before watching:", errors.Is(err, errors.BadRequest))

	watched, err := ex.WatchOrderBook(ctx, "ETH/USDT")
	if err != nil {
		panic(err)
	}
	ob, err := ex.OrderBook("ETH/USDT", 3)
	if err != nil {
		panic(err)
	}
	fmt.Println("synced:", len(ob.Bids), len(ob.Asks), ob.Nonce == watched.Nonce)
	// Output:
	// before watching: true
	// synced: 3 3 true
}

// Each consumer has its own cursors over the same subscriptions: a change
// reaches every consumer, and one consumer's reads never take it from another.
func ExampleExchange_NewConsumer() {
	ex := quietSim()
	defer ex.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	a, b := ex.NewConsumer(), ex.NewConsumer()
	defer a.Close()
	defer b.Close()
	first, err := a.WatchOrderBook(ctx, "BTC/USDT")
	if err != nil {
		panic(err)
	}
	if _, err := b.WatchOrderBook(ctx, "BTC/USDT"); err != nil {
		panic(err)
	}

	// Change the book: a bid 5 % below the best one adds a level.
	price, _ := markets.PriceToPrecision(mustMarket(ctx, ex, "BTC/USDT"), first.Bids[0].Price.Mul(decimal.RequireFromString("0.95")))
	order, err := ex.CreateOrder(ctx, unified.OrderRequest{Symbol: "BTC/USDT", Type: unified.OrderTypeLimit, Side: unified.SideBuy,
		Amount: decimal.RequireFromString("0.001"), Price: decimal.NewNullDecimal(decimal.RequireFromString(price))})
	if err != nil {
		panic(err)
	}

	fromA, err := a.WatchOrderBook(ctx, "BTC/USDT")
	if err != nil {
		panic(err)
	}
	fromB, err := b.WatchOrderBook(ctx, "BTC/USDT")
	if err != nil {
		panic(err)
	}
	fmt.Println("both saw the change:", fromA.Nonce > first.Nonce, fromA.Nonce == fromB.Nonce)
	if _, err := ex.CancelOrder(ctx, order.ID, "BTC/USDT"); err != nil {
		panic(err)
	}
	// Output:
	// both saw the change: true true
}

// CreateOrder checks the request against the market's rules before sending
// it; EditOrder and CancelOrder return the order's new state.
func ExampleExchange_CreateOrder() {
	ex := quietSim()
	defer ex.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	book, err := ex.WatchOrderBook(ctx, "BTC/USDT", exchange.Limit(1))
	if err != nil {
		panic(err)
	}
	m := mustMarket(ctx, ex, "BTC/USDT")
	below := func(pct string) decimal.Decimal {
		p, err := markets.PriceToPrecision(m, book.Bids[0].Price.Mul(decimal.RequireFromString(pct)))
		if err != nil {
			panic(err)
		}
		return decimal.RequireFromString(p)
	}

	req := unified.OrderRequest{Symbol: "BTC/USDT", Type: unified.OrderTypeLimit, Side: unified.SideBuy,
		Amount: decimal.RequireFromString("0.002"), Price: decimal.NewNullDecimal(below("0.98"))}
	order, err := ex.CreateOrder(ctx, req)
	if err != nil {
		panic(err)
	}
	fmt.Println("placed:", order.Status, order.Amount.Decimal, order.Filled.Decimal)

	req.Price = decimal.NewNullDecimal(below("0.97"))
	edited, err := ex.EditOrder(ctx, order.ID, req)
	if err != nil {
		panic(err)
	}
	fmt.Println("edited:", edited.Status, edited.ID == order.ID, edited.Price.Decimal.Equal(req.Price.Decimal))

	canceled, err := ex.CancelOrder(ctx, order.ID, "BTC/USDT")
	if err != nil {
		panic(err)
	}
	fmt.Println("canceled:", canceled.Status, canceled.Remaining.Decimal)

	// An amount below the market's minimum never leaves the client.
	req.Amount = decimal.RequireFromString("0.00001")
	_, err = ex.CreateOrder(ctx, req)
	fmt.Println(errors.Is(err, errors.InvalidOrder))
	// Output:
	// placed: open 0.002 0
	// edited: open true true
	// canceled: canceled 0.002
	// true
}

// mustMarket returns the market of symbol.
func mustMarket(ctx context.Context, ex exchange.Exchange, symbol string) *unified.Market {
	snap, err := ex.LoadMarkets(ctx, false)
	if err != nil {
		panic(err)
	}
	m, err := snap.Market(symbol)
	if err != nil {
		panic(err)
	}
	return m
}
