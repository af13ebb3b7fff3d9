package cache_test

import (
	"fmt"
	"time"

	"github.com/unifex-go/unifex/cache"
	"github.com/unifex-go/unifex/errors"
)

// Trade stands in for unified.Trade.
type Trade struct {
	ID        string
	Symbol    string
	Timestamp time.Time
	Price     string
}

func tradeKey(t *Trade) cache.Key {
	return cache.Key{Symbol: t.Symbol, ID: t.ID, Time: t.Timestamp.UnixMilli()}
}

func trade(id string, sec int64, price string) Trade {
	return Trade{ID: id, Symbol: "BTC/USDT", Timestamp: time.Unix(sec, 0), Price: price}
}

// A trades cache: append, skip a duplicate, and read the window with since
// and limit as WatchTrades does without newUpdates.
func Example() {
	trades := cache.NewArrival(1000, tradeKey)
	trades.Put(trade("1", 100, "60000"))
	trades.Put(trade("2", 101, "60001"))
	trades.Put(trade("3", 102, "60002"))
	fmt.Println("duplicate stored:", trades.Put(trade("2", 101, "60001")))

	since := time.Unix(101, 0).UnixMilli()
	for _, t := range trades.Read("BTC/USDT", since, 0) {
		fmt.Println(t.ID, t.Price)
	}
	fmt.Println("newest:", trades.Read("", 0, 1)[0].ID)
	// Output:
	// duplicate stored: false
	// 2 60001
	// 3 60002
	// newest: 3
}

// Two consumers of one cache each get every update once: neither takes
// updates from the other.
func ExampleCursor_Next() {
	trades := cache.NewArrival(1000, tradeKey)
	strategy := trades.NewCursor("BTC/USDT")
	logger := trades.NewCursor("") // every symbol

	trades.Put(trade("1", 100, "60000"))
	trades.Put(trade("2", 101, "60001"))
	got, _ := strategy.Next(0, 0)
	fmt.Println("strategy:", len(got), "trades")

	trades.Put(trade("3", 102, "60002"))
	got, _ = strategy.Next(0, 0)
	fmt.Println("strategy:", len(got), "trade", got[0].ID)
	got, _ = logger.Next(0, 0)
	fmt.Println("logger:", len(got), "trades")
	got, _ = logger.Next(0, 0)
	fmt.Println("logger again:", len(got), "trades")
	// Output:
	// strategy: 2 trades
	// strategy: 1 trade 3
	// logger: 3 trades
	// logger again: 0 trades
}

// A consumer that falls behind by more than the ring holds gets what is
// left and an error that says how many items it lost.
func ExampleCursor_Next_overflow() {
	trades := cache.NewArrival(3, tradeKey)
	c := trades.NewCursor("")
	for i := range 5 {
		trades.Put(trade(fmt.Sprint(i+1), int64(100+i), "60000"))
	}
	got, err := c.Next(0, 0)
	var oe *errors.CacheOverflowError
	if errors.As(err, &oe) {
		fmt.Println(errors.Is(err, errors.CacheOverflow), "dropped:", oe.Dropped)
	}
	for _, t := range got {
		fmt.Println(t.ID)
	}
	// Output:
	// true dropped: 2
	// 3
	// 4
	// 5
}

// Order stands in for unified.Order.
type Order struct {
	ID     string
	Symbol string
	Status string
}

// Orders are kept by symbol and id: an order updated several times between
// two reads comes back once, in its latest state, at the newest end.
func ExampleNewByID() {
	orders := cache.NewByID(1000, func(o *Order) cache.Key {
		return cache.Key{Symbol: o.Symbol, ID: o.ID}
	})
	c := orders.NewCursor("")
	orders.Put(Order{ID: "a", Symbol: "BTC/USDT", Status: "open"})
	orders.Put(Order{ID: "b", Symbol: "ETH/USDT", Status: "open"})
	orders.Put(Order{ID: "a", Symbol: "BTC/USDT", Status: "partially filled"})
	orders.Put(Order{ID: "a", Symbol: "BTC/USDT", Status: "closed"})
	got, _ := c.Next(0, 0)
	fmt.Println(got)
	// Output:
	// [{b ETH/USDT open} {a BTC/USDT closed}]
}

// Candle stands in for unified.OHLCV.
type Candle struct {
	Open  time.Time
	Close float64
}

// Candles are kept by open time: an update of the current candle replaces
// it in place and is new again for cursors.
func ExampleNewByTimestamp() {
	candles := cache.NewByTimestamp(1000, func(c *Candle) cache.Key {
		return cache.Key{Time: c.Open.UnixMilli()}
	})
	c := candles.NewCursor("")
	minute := func(m int64) time.Time { return time.Unix(m*60, 0) }
	candles.Put(Candle{Open: minute(1), Close: 10})
	candles.Put(Candle{Open: minute(2), Close: 11})
	c.Next(0, 0)
	candles.Put(Candle{Open: minute(2), Close: 12})
	candles.Put(Candle{Open: minute(2), Close: 13})
	got, _ := c.Next(0, 0)
	fmt.Println(len(got), got[0].Close, "window:", candles.Len())
	// Output:
	// 1 13 window: 2
}
