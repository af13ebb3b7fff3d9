package wirebook

import (
	"fmt"
	"strings"
	"testing"

	"github.com/unifex-go/unifex/internal/jsonscan"
	"github.com/unifex-go/unifex/orderbook"
)

// levelsFrame is one side of a Binance depthUpdate: 20 levels of
// [price, amount] with eight decimals each.
func levelsFrame() []byte {
	var l []string
	for i := range 20 {
		l = append(l, fmt.Sprintf(`["%d.%02d000000","0.%08d"]`, 63999-i, i, 1500000+i*3))
	}
	return []byte("[" + strings.Join(l, ",") + "]")
}

func BenchmarkScanLevels(b *testing.B) {
	frame := levelsFrame()
	dst := make([]orderbook.Change, 0, 20)
	var s jsonscan.Scanner
	b.Run("fused", func(b *testing.B) {
		b.SetBytes(int64(len(frame)))
		for b.Loop() {
			s.Reset(frame)
			var err error
			if dst, err = ScanLevels(&s, "x", orderbook.Bid, dst[:0]); err != nil || len(dst) != 20 {
				b.Fatal(err)
			}
		}
	})
	b.Run("strpair", func(b *testing.B) {
		b.SetBytes(int64(len(frame)))
		for b.Loop() {
			s.Reset(frame)
			dst = dst[:0]
			for levels := s.Array(); s.More(levels); {
				p, a := s.StrPair()
				price, err1 := orderbook.ParseNumBytes(p)
				amount, err2 := orderbook.ParseNumBytes(a)
				if err1 != nil || err2 != nil {
					b.Fatal(err1, err2)
				}
				dst = append(dst, orderbook.Change{Side: orderbook.Bid, Price: price, Amount: amount})
			}
		}
	})
}
