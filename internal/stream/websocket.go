package stream

import (
	"context"
	"crypto/tls"
	"encoding/binary"
	stderrors "errors"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"github.com/unifex-go/unifex/errors"
)

// DefaultReadLimit is the largest inbound WebSocket message accepted when
// WebSocket.ReadLimit is zero.
const DefaultReadLimit = 16 << 20

// defaultHandshakeTimeout bounds a WebSocket dial when neither the context
// nor the Dialer has a deadline.
const defaultHandshakeTimeout = 10 * time.Second

// defaultReadBuffer is the read buffer of a WebSocket connection whose
// Dialer sets none. Behind a burst one read takes about 40 depth frames
// of 800 bytes, against 5 with gorilla's own default of 4 KiB: the read
// syscalls were a tenth of a Binance book's per-frame cost
// (BenchmarkInboundBacklog, BENCHMARKS.md "Binance loopback").
const defaultReadBuffer = 32 << 10

// closeFrameWait bounds the close frame written by Conn.Close.
const closeFrameWait = time.Second

// WebSocket is the Transport for WebSocket venues, built on
// gorilla/websocket. The zero value is ready to use.
type WebSocket struct {
	// Dialer, if set, is copied for each dial: proxy, TLS roots, buffer
	// sizes (a zero ReadBufferSize means 32 KiB), subprotocols. Nil means
	// a dialer that uses the proxy from the environment. A dialer that
	// disables TLS verification is refused.
	Dialer *websocket.Dialer
	// ReadLimit caps one inbound message in bytes (DefaultReadLimit when 0).
	// A larger message ends the connection.
	ReadLimit int64
}

// Dial opens a WebSocket connection to t. A refused handshake becomes an
// error whose kind follows the HTTP status (401 AuthenticationError, 429
// RateLimitExceeded with RetryAfter, 5xx ExchangeNotAvailable, ...); other
// failures are NetworkError, or RequestTimeout when ctx's deadline passed.
// Errors name the host only, never the path, query or headers.
func (w WebSocket) Dial(ctx context.Context, t Target) (Conn, error) {
	var d websocket.Dialer
	if w.Dialer != nil {
		d = *w.Dialer
	} else {
		d.Proxy = http.ProxyFromEnvironment
	}
	if d.TLSClientConfig != nil && d.TLSClientConfig.InsecureSkipVerify {
		return nil, newError(errors.BadRequest, "", "refusing a WebSocket dialer that skips TLS verification", nil, true)
	}
	if d.HandshakeTimeout == 0 {
		d.HandshakeTimeout = defaultHandshakeTimeout
	}
	if d.ReadBufferSize == 0 {
		d.ReadBufferSize = defaultReadBuffer
	}
	// gorilla bounds the HTTP upgrade by the context's deadline only; close
	// the socket when ctx is cancelled so that Close never waits for it.
	var (
		mu        sync.Mutex
		raw       []net.Conn
		cancelled bool
	)
	track := func(dial func(context.Context, string, string) (net.Conn, error)) func(context.Context, string, string) (net.Conn, error) {
		return func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := dial(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			mu.Lock()
			defer mu.Unlock()
			if cancelled { // ctx ended while the socket was being opened
				c.Close()
				return nil, context.Canceled
			}
			raw = append(raw, c)
			return c, nil
		}
	}
	base := d.NetDialContext
	if base == nil {
		if nd := d.NetDial; nd != nil {
			base = func(_ context.Context, network, addr string) (net.Conn, error) { return nd(network, addr) }
		} else {
			base = (&net.Dialer{}).DialContext
		}
	}
	d.NetDial = nil
	d.NetDialContext = track(base)
	if d.NetDialTLSContext != nil {
		d.NetDialTLSContext = track(d.NetDialTLSContext)
	}
	stop := context.AfterFunc(ctx, func() {
		mu.Lock()
		defer mu.Unlock()
		cancelled = true
		for _, c := range raw {
			c.Close()
		}
	})
	ws, resp, err := d.DialContext(ctx, t.URL, t.Header)
	if !stop() && err == nil {
		ws.Close()
		err = ctx.Err()
	}
	if err != nil {
		return nil, wsDialError(ctx, t, resp, err)
	}
	limit := w.ReadLimit
	if limit <= 0 {
		limit = DefaultReadLimit
	}
	ws.SetReadLimit(limit)
	c := &wsConn{ws: ws}
	ws.SetPingHandler(c.onPing)
	ws.SetPongHandler(c.onPong)
	return c, nil
}

// wsDialError turns a failed gorilla dial into a taxonomy error naming the
// host only.
func wsDialError(ctx context.Context, t Target, resp *http.Response, err error) error {
	host := hostOf(t.URL)
	if stderrors.Is(err, websocket.ErrBadHandshake) && resp != nil {
		return statusError("", "WebSocket handshake with "+host+" refused: "+resp.Status, resp)
	}
	var te *tls.CertificateVerificationError
	if stderrors.As(err, &te) {
		return newError(errors.NetworkError, "", "TLS certificate of "+host+" not trusted", err, false)
	}
	return classify(ctx, errors.NetworkError, "", "WebSocket dial to "+host+" failed", err)
}

// wsConn is a Conn over one gorilla connection.
type wsConn struct {
	ws        *websocket.Conn
	buf       []byte
	deadline  bool // a read deadline from a ctx is in force
	onControl func(rtt time.Duration)

	pingSeq  atomic.Uint64
	pingSent atomic.Int64 // UnixNano of the latest ping
	closed   sync.Once
}

// NotifyControl implements ControlNotifier.
func (c *wsConn) NotifyControl(f func(rtt time.Duration)) { c.onControl = f }

// Read returns the next data message; ping and pong frames are handled
// inside it. ctx is checked before reading and its deadline, if any,
// bounds the read; Close interrupts it.
func (c *wsConn) Read(ctx context.Context) (Message, error) {
	if err := ctx.Err(); err != nil {
		return Message{}, err
	}
	if dl, ok := ctx.Deadline(); ok {
		c.ws.SetReadDeadline(dl)
		c.deadline = true
	} else if c.deadline {
		c.ws.SetReadDeadline(time.Time{})
		c.deadline = false
	}
	typ, r, err := c.ws.NextReader()
	if err != nil {
		return Message{}, err
	}
	if cap(c.buf) > 1<<20 {
		c.buf = nil // do not pin one huge frame's buffer forever
	}
	c.buf, err = readAll(c.buf[:0], r)
	if err != nil {
		return Message{}, err
	}
	mt := Text
	if typ == websocket.BinaryMessage {
		mt = Binary
	}
	return Message{Type: mt, Data: c.buf}, nil
}

// readAll appends everything r yields to dst.
func readAll(dst []byte, r io.Reader) ([]byte, error) {
	for {
		if len(dst) == cap(dst) {
			dst = append(dst, 0)[:len(dst)]
		}
		n, err := r.Read(dst[len(dst):cap(dst)])
		dst = dst[:len(dst)+n]
		if err == io.EOF {
			return dst, nil
		}
		if err != nil {
			return dst, err
		}
	}
}

// Write sends m as one text or binary frame, bounded by ctx's deadline.
func (c *wsConn) Write(ctx context.Context, m Message) error {
	typ := websocket.TextMessage
	switch m.Type {
	case Text:
	case Binary:
		typ = websocket.BinaryMessage
	default:
		return newError(errors.BadRequest, "", "cannot write a "+m.Type.String()+" message on a WebSocket", nil, true)
	}
	dl, _ := ctx.Deadline()
	c.ws.SetWriteDeadline(dl)
	return c.ws.WriteMessage(typ, m.Data)
}

// Ping implements Pinger with a ping control frame carrying a sequence
// number, so the pong's round trip can be measured.
func (c *wsConn) Ping(ctx context.Context) error {
	var p [8]byte
	binary.BigEndian.PutUint64(p[:], c.pingSeq.Add(1))
	c.pingSent.Store(time.Now().UnixNano())
	dl, ok := ctx.Deadline()
	if !ok {
		dl = time.Now().Add(defaultHandshakeTimeout)
	}
	return c.ws.WriteControl(websocket.PingMessage, p[:], dl)
}

// onPong measures the round trip of a pong that answers the latest Ping.
func (c *wsConn) onPong(data string) error {
	var rtt time.Duration
	if len(data) == 8 && binary.BigEndian.Uint64([]byte(data)) == c.pingSeq.Load() {
		rtt = time.Duration(time.Now().UnixNano() - c.pingSent.Load())
	}
	if c.onControl != nil {
		c.onControl(rtt)
	}
	return nil
}

// onPing answers the server's ping as gorilla's default handler does, and
// reports the traffic.
func (c *wsConn) onPing(data string) error {
	if c.onControl != nil {
		c.onControl(0)
	}
	err := c.ws.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(closeFrameWait))
	var ne net.Error
	if err == nil || err == websocket.ErrCloseSent || (stderrors.As(err, &ne) && ne.Timeout()) {
		return nil
	}
	return err
}

// Close sends a normal-closure frame (best effort, bounded) and closes the
// socket.
func (c *wsConn) Close() error {
	var err error
	c.closed.Do(func() {
		c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(closeFrameWait))
		err = c.ws.Close()
	})
	return err
}
