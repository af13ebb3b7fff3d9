package orderbook_test

import (
	"fmt"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/orderbook"
)

// level parses a wire price and amount into a change; adapters do this with
// the strings of each frame.
func level(side orderbook.Side, price, amount string) orderbook.Change {
	p, err := orderbook.ParseNum(price)
	if err != nil {
		panic(err) // the example's literals are valid
	}
	a, err := orderbook.ParseNum(amount)
	if err != nil {
		panic(err)
	}
	return orderbook.Change{Side: side, Price: p, Amount: a}
}

// Build a book from a snapshot and a delta, then hand out a snapshot.
func ExampleBook() {
	book := orderbook.NewBook("BTC/USDT")
	err := book.Replace(orderbook.Update[orderbook.Change]{
		IDs: orderbook.IDs{Last: 100},
		Changes: []orderbook.Change{
			level(orderbook.Bid, "64000.00", "1.50000000"),
			level(orderbook.Bid, "63999.00", "2.00000000"),
			level(orderbook.Ask, "64001.00", "1.00000000"),
			level(orderbook.Ask, "64002.00", "3.00000000"),
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	err = book.Apply(orderbook.Update[orderbook.Change]{
		IDs: orderbook.IDs{Last: 105},
		Changes: []orderbook.Change{
			level(orderbook.Bid, "64000.00", "1.20000000"),
			level(orderbook.Ask, "64001.00", "0"), // zero deletes
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	ob, err := book.Snapshot(10)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("nonce", ob.Nonce)
	for _, l := range ob.Bids {
		fmt.Println("bid", l.Price, l.Amount)
	}
	for _, l := range ob.Asks {
		fmt.Println("ask", l.Price, l.Amount)
	}
	// Output:
	// nonce 105
	// bid 64000 1.2
	// bid 63999 2
	// ask 64002 3
}

// Keep a Binance spot book in sync: diff events are buffered until the REST
// snapshot arrives, stale ones are dropped, the first must bridge the
// snapshot, and a gap makes the book unreadable until the next snapshot.
func ExampleSync() {
	book := orderbook.NewBook("BNB/BTC")
	sync := orderbook.NewSync[orderbook.Change](book, orderbook.UpdateIDRange{}, 1000)
	diff := func(first, last int64, cs ...orderbook.Change) orderbook.Update[orderbook.Change] {
		return orderbook.Update[orderbook.Change]{IDs: orderbook.IDs{First: first, Last: last}, Changes: cs}
	}

	// Diff events (U, u) arrive while the snapshot is being fetched.
	_ = sync.OnDelta(diff(150, 157, level(orderbook.Bid, "0.0024", "9")))  // older than the snapshot
	_ = sync.OnDelta(diff(158, 161, level(orderbook.Bid, "0.0024", "10"))) // bridges 160+1
	fmt.Println("buffered", sync.Buffered())

	// GET /api/v3/depth gives lastUpdateId 160.
	err := sync.OnSnapshot(orderbook.Update[orderbook.Change]{
		IDs: orderbook.IDs{Last: 160},
		Changes: []orderbook.Change{
			level(orderbook.Bid, "0.0024", "14"),
			level(orderbook.Ask, "0.0026", "100"),
		},
	})
	fmt.Println("snapshot:", err, "synced:", sync.Synced())
	best, _ := book.Best(orderbook.Bid)
	fmt.Println("best bid", best.Price, best.Amount, "nonce", book.Nonce())

	// An event that skips ids 162–163.
	err = sync.OnDelta(diff(164, 166, level(orderbook.Ask, "0.0026", "90")))
	fmt.Println(errors.Is(err, errors.InvalidNonce), err)
	_, err = book.Snapshot(0)
	fmt.Println("read:", errors.Is(err, errors.InvalidNonce))
	// Output:
	// buffered 2
	// snapshot: <nil> synced: true
	// best bid 0.0024 10 nonce 161
	// true InvalidNonce: order book sequence gap: first id <= last id + 1: expected 162, got 164
	// read: true
}

// Parse wire numbers exactly and give back their wire text.
func ExampleParseNum() {
	for _, s := range []string{"43231.10", "0.00000500", "7e-7", "-5000"} {
		n, err := orderbook.ParseNum(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%s: mantissa %d scale %d, wire %s, JavaScript %s\n",
			s, n.Mantissa(), n.Scale(), n, n.AppendJSNumber(nil))
	}
	_, err := orderbook.ParseNum("0.1234567890123456789012")
	fmt.Println(errors.Is(err, errors.BadResponse))
	// Output:
	// 43231.10: mantissa 4323110 scale 2, wire 43231.10, JavaScript 43231.1
	// 0.00000500: mantissa 500 scale 8, wire 0.00000500, JavaScript 0.000005
	// 7e-7: mantissa 7 scale 7, wire 0.0000007, JavaScript 7e-7
	// -5000: mantissa -5000 scale 0, wire -5000, JavaScript -5000
	// true
}

// Verify a venue checksum over the exact wire text (the OKX docs' example).
func ExampleBook_VerifyChecksum() {
	book := orderbook.NewBook("BTC-USDT")
	_ = book.Replace(orderbook.Update[orderbook.Change]{Changes: []orderbook.Change{
		level(orderbook.Bid, "3366.1", "7"),
		level(orderbook.Bid, "3366", "6"),
		level(orderbook.Ask, "3366.8", "9"),
		level(orderbook.Ask, "3368", "8"),
	}})
	text, _ := book.AppendChecksumText(nil, orderbook.Interleaved25)
	fmt.Println(string(text))
	fmt.Println(book.VerifyChecksum(orderbook.Interleaved25, -1881014294))
	err := book.VerifyChecksum(orderbook.Interleaved25, 42)
	fmt.Println(errors.Is(err, errors.ChecksumError), book.State())
	// Output:
	// 3366.1:7:3366.8:9:3366:6:3368:8
	// <nil>
	// true invalid
}

// Read the live book in a hot loop without allocating.
func ExampleBook_Levels() {
	book := orderbook.NewBook("ETH/USDT")
	_ = book.Replace(orderbook.Update[orderbook.Change]{Changes: []orderbook.Change{
		level(orderbook.Ask, "2500.10", "1.5"),
		level(orderbook.Ask, "2500.50", "4"),
		level(orderbook.Ask, "2501.00", "10"),
		level(orderbook.Bid, "2499.90", "2"),
	}})
	if err := book.Err(); err != nil {
		fmt.Println(err)
		return
	}
	bid, _ := book.Best(orderbook.Bid)
	ask, _ := book.Best(orderbook.Ask)
	fmt.Println("spread between", bid.Price, "and", ask.Price)
	for lv := range book.Levels(orderbook.Ask) {
		if lv.Price.Cmp(ask.Price) > 0 && lv.Amount.Cmp(bid.Amount) > 0 {
			fmt.Println("first ask deeper than the best bid's size:", lv.Price)
			break
		}
	}
	// Output:
	// spread between 2499.90 and 2500.10
	// first ask deeper than the best bid's size: 2500.50
}

// An order-by-order book keeps per-level sums for its L2 view.
func ExampleL3Book() {
	book := orderbook.NewL3Book[int64]("BTC/USD", orderbook.TimePriority)
	order := func(id int64, side orderbook.Side, price, amount string) orderbook.OrderChange[int64] {
		c := level(side, price, amount)
		return orderbook.OrderChange[int64]{ID: id, Side: side, Price: c.Price, Amount: c.Amount}
	}
	_ = book.Replace(orderbook.Update[orderbook.OrderChange[int64]]{Changes: []orderbook.OrderChange[int64]{
		order(1, orderbook.Bid, "100.5", "1"),
		order(2, orderbook.Bid, "100.5", "0.25"),
		order(3, orderbook.Ask, "101", "2"),
	}})
	// Order 1 moves to 100.4; order 4 joins 100.5 behind order 2.
	_ = book.Apply(orderbook.Update[orderbook.OrderChange[int64]]{Changes: []orderbook.OrderChange[int64]{
		order(1, orderbook.Bid, "100.4", "1"),
		order(4, orderbook.Bid, "100.5", "0.5"),
	}})
	for lv := range book.Levels(orderbook.Bid) {
		fmt.Println("level", lv.Price, lv.Amount, "orders", lv.Count)
	}
	for o := range book.Orders(orderbook.Bid) {
		fmt.Println("order", o.ID, o.Price, o.Amount)
	}
	// Output:
	// level 100.5 0.75 orders 2
	// level 100.4 1 orders 1
	// order 2 100.5 0.25
	// order 4 100.5 0.5
	// order 1 100.4 1
}
