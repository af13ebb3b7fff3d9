package engine

import (
	"context"
	"strconv"
	"time"

	"github.com/unifex-go/unifex/cache"
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/watch"
	"github.com/unifex-go/unifex/unified"
)

// Consumer implements exchange.Consumer on an engine: Watch* calls with
// cursors of their own over the engine's shared topics.
type Consumer struct {
	e          *Engine
	wc         *watch.Consumer
	newUpdates bool
}

var _ exchange.Consumer = (*Consumer)(nil)

// NewConsumer returns a consumer; newUpdates selects CCXT's newUpdates mode
// for its list-returning watches.
func (e *Engine) NewConsumer(newUpdates bool) *Consumer {
	return &Consumer{e: e, wc: e.hub.NewConsumer(), newUpdates: newUpdates}
}

// Close leaves every topic; topics no other consumer reads are unsubscribed.
func (c *Consumer) Close() error {
	for _, k := range c.wc.Close() {
		c.e.unsubscribe(k)
	}
	return nil
}

// checkSymbol fails with errors.BadSymbol for a symbol the venue does not list.
func (c *Consumer) checkSymbol(ctx context.Context, symbol string) error {
	snap, err := c.e.spec.Markets(ctx)
	if err != nil {
		return err
	}
	_, err = snap.Market(symbol)
	return err
}

// supported fails with the adapter's error (NotSupported) for a topic the
// venue does not stream, before anything is joined.
func (c *Consumer) supported(k watch.Key) error {
	_, err := c.e.spec.Route(k)
	return err
}

// start makes sure k's channel is subscribed. It runs on every watch, so a
// subscription that failed is tried again by the next call; a failure also
// reaches the topic's other waiters, unless it came from the caller's own
// cancelled context.
func (c *Consumer) start(ctx context.Context, k watch.Key) error {
	if err := c.e.subscribe(ctx, k); err != nil {
		if ctx.Err() == nil { // a caller's own cancellation is no news to the other readers
			c.e.hub.Fail(k, err)
		}
		return err
	}
	return nil
}

// leave ends c's interest in k, unsubscribing when c was the last reader.
func (c *Consumer) leave(k watch.Key) {
	if c.wc.Leave(k) {
		c.e.unsubscribe(k)
	}
}

// joinBooks joins and starts the books of symbols, each on the topic a watch
// asking limit levels rides on (see bookKey).
func (c *Consumer) joinBooks(ctx context.Context, symbols []string, limit int) ([]*watch.BookTopic, error) {
	if c.e.spec.Book == nil {
		return nil, c.notSupported("watchOrderBook")
	}
	if len(symbols) == 0 {
		return nil, errors.Newf(errors.ArgumentsRequired, "at least one symbol is required")
	}
	keys := make([]watch.Key, len(symbols))
	for i, s := range symbols {
		keys[i] = c.e.bookKey(s, limit)
	}
	return joinAll(ctx, c, keys, func(k watch.Key) (*watch.BookTopic, error) {
		spec := c.e.spec.Book(k.Symbol)
		if k.Param != "" {
			spec.Buffer = 0 // every message of a partial-depth stream is a snapshot
		}
		bt, _, err := watch.JoinBook(c.wc, k, spec)
		return bt, err
	})
}

// joinAll checks each key, joins its topic with join and makes sure its
// channel is subscribed, in order; it stops at the first failure.
func joinAll[T any](ctx context.Context, c *Consumer, keys []watch.Key, join func(watch.Key) (T, error)) ([]T, error) {
	ts := make([]T, 0, len(keys))
	for _, k := range keys {
		if err := c.supported(k); err != nil {
			return nil, err
		}
		// A key without a symbol is account-wide; market streams always
		// name a market.
		if k.Symbol != "" || marketStream(k.Kind) {
			if err := c.checkSymbol(ctx, k.Symbol); err != nil {
				return nil, err
			}
		}
		t, err := join(k)
		if err != nil {
			return nil, err
		}
		if err := c.start(ctx, k); err != nil {
			return nil, err
		}
		ts = append(ts, t)
	}
	return ts, nil
}

// marketStream reports whether topics of kind k belong to one market.
func marketStream(k watch.Kind) bool {
	switch k {
	case watch.Book, watch.Trades, watch.Ticker, watch.OHLCV:
		return true
	}
	return false
}

// WatchOrderBook returns symbol's book each time it changed since this
// consumer's last return; Limit sets the depth of the copy.
func (c *Consumer) WatchOrderBook(ctx context.Context, symbol string, opts ...exchange.Option) (*unified.OrderBook, error) {
	return c.WatchOrderBookForSymbols(ctx, []string{symbol}, opts...)
}

// WatchOrderBookForSymbols returns the first of the books that changed. A
// Limit the venue's partial-depth streams cover (Spec.BookDepths) subscribes
// the smallest such stream instead of the full book.
func (c *Consumer) WatchOrderBookForSymbols(ctx context.Context, symbols []string, opts ...exchange.Option) (*unified.OrderBook, error) {
	limit := exchange.Apply(opts).Limit
	ts, err := c.joinBooks(ctx, symbols, limit)
	if err != nil {
		return nil, err
	}
	return watch.ReadBooks(ctx, c.wc, ts, limit)
}

// OrderBook returns the current book of a watched symbol without waiting:
// the full book when it is watched, else the shallowest partial-depth book
// that has depth levels (the deepest for depth 0).
func (c *Consumer) OrderBook(symbol string, depth int) (*unified.OrderBook, error) {
	bt := c.e.hub.FindBook(watch.Key{Kind: watch.Book, Symbol: symbol})
	depths := c.e.bookDepths(symbol)
	for i := 0; bt == nil && i < len(depths); i++ {
		d := depths[i]
		if depth == 0 {
			d = depths[len(depths)-1-i]
		} else if d < depth {
			continue
		}
		bt = c.e.hub.FindBook(watch.Key{Kind: watch.Book, Symbol: symbol, Param: strconv.Itoa(d)})
	}
	if bt == nil {
		return nil, errors.Newf(errors.BadRequest, "the order book of "+symbol+" is not watched: call WatchOrderBook first")
	}
	return bt.Peek(depth)
}

// UnwatchOrderBook stops watching symbol's book, full and partial.
func (c *Consumer) UnwatchOrderBook(_ context.Context, symbol string) error {
	c.leave(watch.Key{Kind: watch.Book, Symbol: symbol})
	for _, d := range c.e.bookDepths(symbol) {
		c.leave(watch.Key{Kind: watch.Book, Symbol: symbol, Param: strconv.Itoa(d)})
	}
	return nil
}

func millis(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func tradeKey(t *unified.Trade) cache.Key {
	return cache.Key{Symbol: t.Symbol, ID: t.ID, Time: millis(t.Timestamp)}
}

// watchList joins, starts and reads list topics.
func watchList[T any](ctx context.Context, c *Consumer, keys []watch.Key, newRing func() *cache.Ring[T], opts []exchange.Option) ([]T, error) {
	ts, err := joinAll(ctx, c, keys, func(k watch.Key) (*watch.ListTopic[T], error) {
		lt, _, err := watch.JoinList(c.wc, k, newRing)
		return lt, err
	})
	if err != nil {
		return nil, err
	}
	o := exchange.Apply(opts)
	return watch.ReadLists(ctx, c.wc, ts, watch.ListQuery{Since: o.SinceMillis(), Limit: o.Limit, NewUpdates: c.newUpdates})
}

func (c *Consumer) tradesRing() *cache.Ring[unified.Trade] {
	return cache.NewArrival(c.e.spec.Limits.Trades, tradeKey)
}

// WatchTrades returns symbol's public trades.
func (c *Consumer) WatchTrades(ctx context.Context, symbol string, opts ...exchange.Option) ([]unified.Trade, error) {
	return c.WatchTradesForSymbols(ctx, []string{symbol}, opts...)
}

// WatchTradesForSymbols returns the trades of the first symbol that has new ones.
func (c *Consumer) WatchTradesForSymbols(ctx context.Context, symbols []string, opts ...exchange.Option) ([]unified.Trade, error) {
	if len(symbols) == 0 {
		return nil, errors.Newf(errors.ArgumentsRequired, "at least one symbol is required")
	}
	keys := make([]watch.Key, len(symbols))
	for i, s := range symbols {
		keys[i] = watch.Key{Kind: watch.Trades, Symbol: s}
	}
	return watchList(ctx, c, keys, c.tradesRing, opts)
}

// UnwatchTrades stops watching symbol's trades.
func (c *Consumer) UnwatchTrades(_ context.Context, symbol string) error {
	c.leave(watch.Key{Kind: watch.Trades, Symbol: symbol})
	return nil
}

// WatchOHLCV returns symbol's candles of timeframe.
func (c *Consumer) WatchOHLCV(ctx context.Context, symbol, timeframe string, opts ...exchange.Option) ([]unified.OHLCV, error) {
	k := watch.Key{Kind: watch.OHLCV, Symbol: symbol, Param: timeframe}
	newRing := func() *cache.Ring[unified.OHLCV] {
		return cache.NewByTimestamp(c.e.spec.Limits.OHLCV, func(o *unified.OHLCV) cache.Key {
			return cache.Key{Time: millis(o.Timestamp)}
		})
	}
	return watchList(ctx, c, []watch.Key{k}, newRing, opts)
}

// UnwatchOHLCV stops watching symbol's candles of timeframe.
func (c *Consumer) UnwatchOHLCV(_ context.Context, symbol, timeframe string) error {
	c.leave(watch.Key{Kind: watch.OHLCV, Symbol: symbol, Param: timeframe})
	return nil
}

// WatchOrders returns the account's orders of symbol ("" for all).
func (c *Consumer) WatchOrders(ctx context.Context, symbol string, opts ...exchange.Option) ([]unified.Order, error) {
	newRing := func() *cache.Ring[unified.Order] {
		return cache.NewByID(c.e.spec.Limits.Orders, func(o *unified.Order) cache.Key {
			return cache.Key{Symbol: o.Symbol, ID: o.ID, Time: millis(o.Timestamp)}
		})
	}
	return watchList(ctx, c, []watch.Key{{Kind: watch.Orders, Symbol: symbol}}, newRing, opts)
}

// WatchMyTrades returns the account's fills of symbol ("" for all).
func (c *Consumer) WatchMyTrades(ctx context.Context, symbol string, opts ...exchange.Option) ([]unified.Trade, error) {
	newRing := func() *cache.Ring[unified.Trade] { return cache.NewByID(c.e.spec.Limits.Trades, tradeKey) }
	return watchList(ctx, c, []watch.Key{{Kind: watch.MyTrades, Symbol: symbol}}, newRing, opts)
}

// WatchPositions returns the account's positions of symbols (nil for all).
func (c *Consumer) WatchPositions(ctx context.Context, symbols []string, opts ...exchange.Option) ([]unified.Position, error) {
	newRing := func() *cache.Ring[unified.Position] {
		return cache.NewBySide(func(p *unified.Position) cache.Key {
			return cache.Key{Symbol: p.Symbol, ID: string(p.Side), Time: millis(p.Timestamp)}
		})
	}
	keys := []watch.Key{{Kind: watch.Positions}}
	if len(symbols) > 0 {
		keys = keys[:0]
		for _, s := range symbols {
			keys = append(keys, watch.Key{Kind: watch.Positions, Symbol: s})
		}
	}
	return watchList(ctx, c, keys, newRing, opts)
}

// watchValues joins, starts and reads value topics.
func watchValues[V any](ctx context.Context, c *Consumer, keys []watch.Key) ([]*V, error) {
	ts, err := joinAll(ctx, c, keys, func(k watch.Key) (*watch.ValueTopic[V], error) {
		vt, _, err := watch.JoinValue[V](c.wc, k)
		return vt, err
	})
	if err != nil {
		return nil, err
	}
	return watch.ReadValues(ctx, c.wc, ts)
}

// WatchTicker returns symbol's ticker each time it changes.
func (c *Consumer) WatchTicker(ctx context.Context, symbol string, _ ...exchange.Option) (*unified.Ticker, error) {
	vs, err := watchValues[unified.Ticker](ctx, c, []watch.Key{{Kind: watch.Ticker, Symbol: symbol}})
	if err != nil {
		return nil, err
	}
	return vs[0], nil
}

// WatchTickers returns, by symbol, the tickers that changed since this
// consumer's last return.
func (c *Consumer) WatchTickers(ctx context.Context, symbols []string, _ ...exchange.Option) (map[string]*unified.Ticker, error) {
	if len(symbols) == 0 {
		return nil, errors.Newf(errors.ArgumentsRequired, "at least one symbol is required")
	}
	keys := make([]watch.Key, len(symbols))
	for i, s := range symbols {
		keys[i] = watch.Key{Kind: watch.Ticker, Symbol: s}
	}
	vs, err := watchValues[unified.Ticker](ctx, c, keys)
	if err != nil {
		return nil, err
	}
	out := make(map[string]*unified.Ticker, len(vs))
	for i, v := range vs {
		if v != nil {
			out[symbols[i]] = v
		}
	}
	return out, nil
}

// UnwatchTicker stops watching symbol's ticker.
func (c *Consumer) UnwatchTicker(_ context.Context, symbol string) error {
	c.leave(watch.Key{Kind: watch.Ticker, Symbol: symbol})
	return nil
}

// WatchBalance returns the account's balances each time they change.
func (c *Consumer) WatchBalance(ctx context.Context, _ ...exchange.Option) (*unified.Balances, error) {
	vs, err := watchValues[unified.Balances](ctx, c, []watch.Key{{Kind: watch.Balance}})
	if err != nil {
		return nil, err
	}
	return vs[0], nil
}

func (c *Consumer) notSupported(method string) error {
	return &errors.Error{Kind: errors.NotSupported, Exchange: c.e.spec.Exchange, Message: method + " is not supported"}
}
