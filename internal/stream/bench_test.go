package stream

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// BenchmarkInboundPlain measures the inbound path over loopback: a
// gorilla server writes b.N JSON frames as fast as it can, the link reads,
// decodes (Plain) and delivers each to OnMessage. One op is one message;
// allocations include the server's writes.
func BenchmarkInboundPlain(b *testing.B) {
	msg := []byte(`{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1700000000000,"s":"BTCUSDT","U":100,"u":101,"b":[["42000.10","0.5"]],"a":[["42000.20","1.25"]]}}`)
	b.ReportAllocs()
	runInbound(b, msg, nil, 0)
}

// BenchmarkInboundBacklog reads 20-level depth frames (773 bytes) behind
// a handler that takes about 3 µs each, so that the socket stays
// backlogged as it does under a burst, with gorilla's default read buffer
// (4 KiB) and with the link's: cpu-ns/msg is the process's CPU per
// message, the server's writes and the handler's spin included.
func BenchmarkInboundBacklog(b *testing.B) {
	level := `["60000.01000000","0.00100000"]`
	msg := []byte(`{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1700000000000,"s":"BTCUSDT","U":100,"u":101,"b":[` +
		strings.Repeat(level+",", 9) + level + `],"a":[` + strings.Repeat(level+",", 9) + level + `]}}`)
	for _, size := range []int{4 << 10, defaultReadBuffer} {
		b.Run(fmt.Sprintf("read-buffer=%dKiB", size>>10), func(b *testing.B) {
			runInbound(b, msg, WebSocket{Dialer: &websocket.Dialer{ReadBufferSize: size}}, 3*time.Microsecond)
		})
	}
}

// runInbound has a server write msg b.N times as fast as it can to a link
// over tr whose OnMessage spins for work, and reports messages a second
// and the process's CPU per message.
func runInbound(b *testing.B, msg []byte, tr Transport, work time.Duration) {
	srv := newWSServer(b)
	var got atomic.Int64
	done := make(chan struct{})
	var target atomic.Int64
	target.Store(-1)
	l, err := New(Config{
		Dial:      fixedTarget(srv.URL() + "/ws"),
		Transport: tr,
		OnMessage: func(m Message, err error) {
			for start := time.Now(); time.Since(start) < work; {
			}
			if n := got.Add(1); n == target.Load() {
				close(done)
			}
		},
	})
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := l.WaitUp(ctx); err != nil {
		b.Fatal(err)
	}
	c, err := srv.Next(ctx)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(msg)))
	target.Store(int64(b.N))
	b.ResetTimer()
	start, cpu0 := time.Now(), cpuTime()
	go func() {
		for i := 0; i < b.N; i++ {
			if c.Send(msg) != nil {
				return
			}
		}
	}()
	select {
	case <-done:
	case <-time.After(time.Minute):
		b.Fatalf("delivered %d of %d", got.Load(), b.N)
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msgs/s")
	b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/msg")
}

// cpuTime is the process's user plus system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
func BenchmarkDecodeGzip(b *testing.B) {
	frame := gzipBytes(b, `{"ch":"market.btcjpy.depth.step0","ts":1489474082831,"tick":{"bids":[["9999.3900","0.0098"],["9992.5947","0.0560"]],"asks":[["10010.9800","0.0099"],["10011.3900","2.0000"]]}}`)
	var scratch []byte
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := (Gzip{}).Decode(&scratch, Message{Type: Binary, Data: frame}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeDeflate(b *testing.B) {
	frame := deflateBytes(b, `{"table":"spot/depth","action":"update","data":[{"instrument_id":"BTC-JPY","asks":[["5621.7","58","0","2"]],"bids":[["5621.3","3","0","1"]],"timestamp":"2019-05-06T07:19:39.348Z","checksum":-186865074}]}`, true)
	var scratch []byte
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := (Deflate{}).Decode(&scratch, Message{Type: Binary, Data: frame}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeSocketIO(b *testing.B) {
	frame := []byte(`42["message",{"room_name":"depth_diff_btc_jpy","message":{"data":{"a":[["27.839","1634.3980"]],"b":[["26.872","43.3989"]],"t":1568344204624,"s":"1234567890"}}}]`)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := (SocketIO{}).Decode(nil, Message{Type: Text, Data: frame}); err != nil {
			b.Fatal(err)
		}
	}
}
