package jsonscanbench

import (
	"testing"

	"github.com/unifex-go/unifex/orderbook"
)

// BenchmarkDepthUpdate runs the test frame through each parser:
//
//   - parse: frame → ids, time and 20 changes in exact numbers;
//   - parse+apply: the same, then orderbook.Book.Apply on a live book of
//     1000 levels a side (the frame's prices are among them or between
//     them): the whole cost of a frame on the hot path.
func BenchmarkDepthUpdate(b *testing.B) {
	frame := readFrame(b)
	for _, tt := range parsers() {
		b.Run(tt.name+"/parse", func(b *testing.B) {
			u := Update{Changes: make([]orderbook.Change, 0, 20)}
			b.SetBytes(int64(len(frame)))
			b.ReportAllocs()
			for b.Loop() {
				if err := tt.p.Parse(frame, &u); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(tt.name+"/parse+apply", func(b *testing.B) {
			u := Update{Changes: make([]orderbook.Change, 0, 20)}
			book := liveBook(b)
			b.SetBytes(int64(len(frame)))
			b.ReportAllocs()
			for b.Loop() {
				if err := tt.p.Parse(frame, &u); err != nil {
					b.Fatal(err)
				}
				if err := book.Apply(u); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// liveBook returns a live book with 1000 bids from 67012.30 down and 1000
// asks from 67012.35 up, a cent apart.
func liveBook(b *testing.B) *orderbook.Book {
	const levels = 1000
	cs := make([]orderbook.Change, 0, 2*levels)
	amount, err := orderbook.MakeNum(100000, 8) // 0.00100000
	if err != nil {
		b.Fatal(err)
	}
	for i := range int64(levels) {
		bid, err := orderbook.MakeNum(6701230-i, 2)
		if err != nil {
			b.Fatal(err)
		}
		ask, err := orderbook.MakeNum(6701235+i, 2)
		if err != nil {
			b.Fatal(err)
		}
		cs = append(cs, orderbook.Change{Side: orderbook.Bid, Price: bid, Amount: amount},
			orderbook.Change{Side: orderbook.Ask, Price: ask, Amount: amount})
	}
	book := orderbook.NewBook("BTC/USDT")
	if err := book.Replace(Update{IDs: orderbook.IDs{Last: 1}, Changes: cs}); err != nil {
		b.Fatal(err)
	}
	return book
}
