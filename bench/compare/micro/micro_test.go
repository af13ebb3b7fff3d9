// Package micro holds issue 8's micro benchmarks, unifex against CCXT-Go on
// the same work: a book update on a book of 1000 levels a side (two level
// changes near the top, the anchor's shape), and a trade cache of 1000
// (append to a full cache; the newUpdates read of the last ten).
package micro

import (
	"strconv"
	"testing"

	ccxt "github.com/ccxt/ccxt/go/v4"
	"github.com/unifex-go/unifex/cache"
	"github.com/unifex-go/unifex/orderbook"
)

const depth = 1000

// level i of a side: bids 60000.00 down by 0.02, asks 60000.02 up by 0.02.
func price(bid bool, i int) float64 {
	if bid {
		return 60000 - 0.02*float64(i)
	}
	return 60000.02 + 0.02*float64(i)
}

func num(b *testing.B, f float64) orderbook.Num {
	n, err := orderbook.ParseNum(strconv.FormatFloat(f, 'f', 2, 64))
	if err != nil {
		b.Fatal(err)
	}
	return n
}

// updates are 512 pairs of amount changes at the top 16 levels, one bid and
// one ask a pair.
func updates() [][2][2]float64 {
	out := make([][2][2]float64, 512)
	for i := range out {
		out[i] = [2][2]float64{{price(true, i%16), float64(1 + i%7)}, {price(false, (i*5)%16), float64(2 + i%5)}}
	}
	return out
}

func BenchmarkBookUpdate(b *testing.B) {
	ups := updates()
	b.Run("unifex", func(b *testing.B) {
		book := orderbook.NewBook("BTC/USDT")
		var cs []orderbook.Change
		for i := range depth {
			cs = append(cs, orderbook.Change{Side: orderbook.Bid, Price: num(b, price(true, i)), Amount: num(b, 1)},
				orderbook.Change{Side: orderbook.Ask, Price: num(b, price(false, i)), Amount: num(b, 1)})
		}
		if err := book.Replace(orderbook.Update[orderbook.Change]{IDs: orderbook.IDs{Last: 1}, Changes: cs}); err != nil {
			b.Fatal(err)
		}
		msgs := make([][2]orderbook.Change, len(ups))
		for i, u := range ups {
			msgs[i] = [2]orderbook.Change{
				{Side: orderbook.Bid, Price: num(b, u[0][0]), Amount: num(b, u[0][1])},
				{Side: orderbook.Ask, Price: num(b, u[1][0]), Amount: num(b, u[1][1])}}
		}
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			m := &msgs[i&511]
			if err := book.Apply(orderbook.Update[orderbook.Change]{IDs: orderbook.IDs{Last: 2}, Changes: m[:]}); err != nil {
				b.Fatal(err)
			}
			i++
		}
		if book.Depth(orderbook.Bid) != depth || book.Depth(orderbook.Ask) != depth {
			b.Fatal("the book lost levels")
		}
	})
	b.Run("ccxt-go", func(b *testing.B) {
		var bids, asks []any
		for i := range depth {
			bids = append(bids, []any{price(true, i), 1.0})
			asks = append(asks, []any{price(false, i), 1.0})
		}
		ob := ccxt.NewWsOrderBook(map[string]any{"bids": bids, "asks": asks}, nil)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			u := &ups[i&511]
			if err := ob.Bids.Store(u[0][0], u[0][1]); err != nil {
				b.Fatal(err)
			}
			if err := ob.Asks.Store(u[1][0], u[1][1]); err != nil {
				b.Fatal(err)
			}
			i++
		}
		if ob.Bids.Len() != depth || ob.Asks.Len() != depth {
			b.Fatal("the book lost levels")
		}
	})
}

// trade is a trade-shaped item of 88 bytes, as the cache package's own
// benchmarks use.
type trade struct {
	Symbol, ID   string
	Time         int64
	Price, Amout float64
	Side         string
	Seq          int64
}

func BenchmarkCache(b *testing.B) {
	key := func(t *trade) cache.Key { return cache.Key{Symbol: t.Symbol, Time: t.Time} }
	b.Run("append/unifex", func(b *testing.B) {
		r := cache.NewArrival(1000, key)
		for i := range 1000 {
			r.Put(trade{Symbol: "BTC/USDT", Time: int64(i), Price: 60000, Amout: 1, Side: "buy"})
		}
		b.ReportAllocs()
		i := int64(1000)
		for b.Loop() {
			r.Put(trade{Symbol: "BTC/USDT", Time: i, Price: 60000, Amout: 1, Side: "buy"})
			i++
		}
	})
	b.Run("append/ccxt-go", func(b *testing.B) {
		c := ccxt.NewArrayCache(1000)
		for i := range 1000 {
			c.Append(ccxtTrade(int64(i)))
		}
		b.ReportAllocs()
		i := int64(1000)
		for b.Loop() {
			c.Append(ccxtTrade(i))
			i++
		}
	})
	b.Run("newUpdates10/unifex", func(b *testing.B) {
		r := cache.NewArrival(1000, key)
		cur := r.NewCursor("BTC/USDT")
		b.ReportAllocs()
		i := int64(0)
		for b.Loop() {
			for range 10 {
				r.Put(trade{Symbol: "BTC/USDT", Time: i, Price: 60000, Amout: 1, Side: "buy"})
				i++
			}
			got, err := cur.Next(0, 0)
			if err != nil || len(got) != 10 {
				b.Fatalf("%d items, %v", len(got), err)
			}
		}
	})
	b.Run("newUpdates10/ccxt-go", func(b *testing.B) {
		// A watchTrades return: getLimit, then filterBySinceLimit of the
		// cache's array, as CCXT's generated code does it.
		c := ccxt.NewArrayCache(1000)
		ex := ccxt.NewBinance(nil)
		b.ReportAllocs()
		i := int64(0)
		for b.Loop() {
			for range 10 {
				c.Append(ccxtTrade(i))
				i++
			}
			limit := c.GetLimit("BTC/USDT", nil)
			got := ex.FilterBySinceLimit(c, nil, limit, "timestamp", true).([]any)
			if len(got) != 10 {
				b.Fatalf("%d items", len(got))
			}
		}
	})
}

// ccxtTrade is a trade as CCXT-Go's parsers leave it in the cache.
func ccxtTrade(ts int64) map[string]any {
	return map[string]any{"symbol": "BTC/USDT", "id": nil, "timestamp": ts, "price": 60000.0, "amount": 1.0, "side": "buy"}
}
