package jsonscan

import (
	"testing"

	"github.com/unifex-go/unifex/orderbook"
)

// BenchmarkDepthUpdate scans the test frame (a combined-stream spot
// depthUpdate with 20 level changes):
//
//   - scan: every field read as an adapter reads it (ints, and prices and
//     amounts as text), into a reused update;
//   - scan+num: the same, with prices and amounts converted to the live
//     book's exact numbers (orderbook.ParseNumBytes), ready for Book.Apply;
//   - validate: End alone, which checks the whole frame and reads nothing.
func BenchmarkDepthUpdate(b *testing.B) {
	frame := depthFrame()
	b.Run("scan", func(b *testing.B) {
		var s Scanner
		u := depthUpdate{levels: make([]parsedLevel, 0, frameLevels)}
		b.SetBytes(int64(len(frame)))
		b.ReportAllocs()
		for b.Loop() {
			if err := parseDepth(&s, frame, &u); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("scan+num", func(b *testing.B) {
		var s Scanner
		u := depthUpdate{levels: make([]parsedLevel, 0, frameLevels)}
		changes := make([]orderbook.Change, 0, frameLevels)
		b.SetBytes(int64(len(frame)))
		b.ReportAllocs()
		for b.Loop() {
			if err := parseDepth(&s, frame, &u); err != nil {
				b.Fatal(err)
			}
			changes = changes[:0]
			for _, l := range u.levels {
				c := orderbook.Change{Side: orderbook.Bid}
				if l.ask {
					c.Side = orderbook.Ask
				}
				var err error
				if c.Price, err = orderbook.ParseNumBytes(l.price); err != nil {
					b.Fatal(err)
				}
				if c.Amount, err = orderbook.ParseNumBytes(l.amount); err != nil {
					b.Fatal(err)
				}
				changes = append(changes, c)
			}
		}
	})
	b.Run("validate", func(b *testing.B) {
		var s Scanner
		b.SetBytes(int64(len(frame)))
		b.ReportAllocs()
		for b.Loop() {
			s.Reset(frame)
			if err := s.End(); err != nil {
				b.Fatal(err)
			}
		}
	})
}
