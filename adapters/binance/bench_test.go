package binance

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/unifex-go/unifex/internal/stream"
)

// depthFrame is a combined-stream spot depthUpdate of 20 level changes
// (about 750 bytes) covering update ids first..last.
func depthFrame(first, last int64) []byte {
	var b, a []string
	for i := range 10 {
		b = append(b, fmt.Sprintf(`["%d.%02d000000","0.%08d"]`, 63999-i, i, 1500000+i*3+int(last%7)))
		a = append(a, fmt.Sprintf(`["%d.%02d000000","0.%08d"]`, 64001+i, i, 2500000+i*7+int(last%5)))
	}
	return []byte(fmt.Sprintf(`{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1754500001000,"s":"BTCUSDT","U":%d,"u":%d,"b":[%s],"a":[%s]}}`,
		first, last, strings.Join(b, ","), strings.Join(a, ",")))
}

// BenchmarkHandleDepthUpdate is the hot path of a live book: one combined
// depthUpdate frame of 20 changes, parsed in place and applied through the
// engine to a synced, watched book (continuity check included), per op.
// The frames are made beforehand.
func BenchmarkHandleDepthUpdate(b *testing.B) {
	gate := newGate()
	close(gate.release) // the snapshot is served at once
	x := fixtureExchange(b, products[spot], json.RawMessage(`{"lastUpdateId":100,"bids":[["63990.00","1"]],"asks":[["64011.00","1"]]}`), gate)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := x.WatchOrderBook(ctx, "BTC/USDT"); err != nil {
		b.Fatal(err)
	}
	frames := make([]stream.Message, b.N)
	for i := range frames {
		id := int64(101 + 2*i)
		frames[i] = stream.Message{Type: stream.Text, Data: depthFrame(id, id+1)}
	}
	b.SetBytes(int64(len(frames[0].Data)))
	b.ReportAllocs()
	b.ResetTimer()
	for _, f := range frames {
		if err := x.Engine().Feed(publicRoute, f); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	ob, err := x.OrderBook("BTC/USDT", 1)
	if err != nil || ob.Nonce != int64(100+2*b.N) {
		b.Fatalf("the book ended at %v (%v), want nonce %d", ob, err, 100+2*b.N)
	}
}
