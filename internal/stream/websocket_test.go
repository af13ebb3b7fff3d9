package stream

import (
	"context"
	"net"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/gorilla/websocket"
)

// readSizes wraps a socket and records the largest read asked of it.
type readSizes struct {
	net.Conn
	largest *atomic.Int64
}

func (c readSizes) Read(p []byte) (int, error) {
	if n := int64(len(p)); n > c.largest.Load() {
		c.largest.Store(n)
	}
	return c.Conn.Read(p)
}

// TestWebSocketReadBuffer checks that a connection reads the socket in
// chunks of defaultReadBuffer unless the Dialer sets its own size.
func TestWebSocketReadBuffer(t *testing.T) {
	for _, tc := range []struct {
		set, want int
	}{{0, defaultReadBuffer}, {8 << 10, 8 << 10}} {
		srv := newWSServer(t)
		var largest atomic.Int64
		d := &websocket.Dialer{ReadBufferSize: tc.set,
			NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
				return readSizes{c, &largest}, err
			}}
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		c, err := WebSocket{Dialer: d}.Dial(ctx, Target{URL: srv.URL() + "/ws"})
		if err != nil {
			t.Fatal(err)
		}
		sc, err := srv.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		msg := strings.Repeat("x", 1000)
		if err := sc.Send([]byte(msg)); err != nil {
			t.Fatal(err)
		}
		if m, err := c.Read(ctx); err != nil || string(m.Data) != msg {
			t.Fatalf("read %d bytes, %v", len(m.Data), err)
		}
		if got := int(largest.Load()); got != tc.want {
			t.Errorf("ReadBufferSize %d: reads of up to %d bytes, want %d", tc.set, got, tc.want)
		}
		c.Close()
		cancel()
	}
}
