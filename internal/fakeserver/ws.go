// Package fakeserver is the toolkit the fake exchanges (adapters/<id>/<id>test)
// and the runtime's tests are built on: loopback servers that speak a
// venue's protocol and inject faults on demand — drops, half-open links,
// refused handshakes, garbage frames.
package fakeserver

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"github.com/unifex-go/unifex/errors"
)

// WS is a loopback WebSocket server. Each accepted connection is handed to
// the OnConnect callback (on its own goroutine) and kept until the server
// closes.
type WS struct {
	srv      *httptest.Server
	upgrader websocket.Upgrader
	onConn   func(c *Conn)
	refuse   atomic.Int32 // refuse handshakes with this HTTP status

	mu     sync.Mutex
	conns  []*Conn
	dials  int
	closed bool
	wg     sync.WaitGroup
}

// NewWS starts a server that calls onConn for every connection; onConn
// typically loops on Conn.Read and answers. The connection ends when onConn
// returns.
func NewWS(onConn func(c *Conn)) *WS {
	s := &WS{onConn: onConn, upgrader: websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.handle))
	return s
}

// URL returns the server's ws:// address.
func (s *WS) URL() string { return "ws" + strings.TrimPrefix(s.srv.URL, "http") }

// Refuse makes the next handshakes fail with HTTP status (0: accept again).
func (s *WS) Refuse(status int) { s.refuse.Store(int32(status)) }

// Dials returns how many handshakes the server has seen.
func (s *WS) Dials() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dials
}

// Conns returns the connections accepted so far, oldest first.
func (s *WS) Conns() []*Conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*Conn(nil), s.conns...)
}

// Close ends every connection and the server, and waits for the handlers.
func (s *WS) Close() {
	s.mu.Lock()
	s.closed = true
	conns := append([]*Conn(nil), s.conns...)
	s.mu.Unlock()
	for _, c := range conns {
		c.Drop()
	}
	s.srv.CloseClientConnections()
	s.srv.Close()
	s.wg.Wait()
}

func (s *WS) handle(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.dials++
	closed := s.closed
	s.mu.Unlock()
	if status := int(s.refuse.Load()); status != 0 || closed {
		if status == 0 {
			status = http.StatusServiceUnavailable
		}
		http.Error(w, http.StatusText(status), status)
		return
	}
	ws, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &Conn{ws: ws, Request: r, in: make(chan []byte, 256), done: make(chan struct{})}
	ws.SetPingHandler(func(data string) error {
		if c.silent.Load() {
			return nil
		}
		// WriteControl may run concurrently with other writes.
		err := ws.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(time.Second))
		if err == websocket.ErrCloseSent {
			return nil
		}
		return err
	})
	s.mu.Lock()
	s.conns = append(s.conns, c)
	s.wg.Add(2)
	s.mu.Unlock()
	go func() {
		defer s.wg.Done()
		c.readLoop()
	}()
	defer s.wg.Done()
	defer c.Drop()
	s.onConn(c)
}

// Conn is the server side of one connection.
type Conn struct {
	// Request is the handshake request (URL, headers).
	Request *http.Request

	ws     *websocket.Conn
	in     chan []byte
	done   chan struct{}
	once   sync.Once
	wmu    sync.Mutex
	silent atomic.Bool
}

func (c *Conn) readLoop() {
	defer close(c.in)
	for {
		_, data, err := c.ws.ReadMessage()
		if err != nil {
			c.Drop()
			return
		}
		if c.silent.Load() {
			continue
		}
		select {
		case c.in <- data:
		case <-c.done:
			return
		}
	}
}

// Read returns the next message the client sent, or an error when the
// connection ended or ctx did.
func (c *Conn) Read(ctx context.Context) ([]byte, error) {
	select {
	case m, ok := <-c.in:
		if !ok {
			return nil, errors.Newf(errors.NetworkError, "connection closed")
		}
		return m, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-c.done:
		return nil, errors.Newf(errors.NetworkError, "connection closed")
	}
}

// Send writes a text message; a silent connection writes nothing.
func (c *Conn) Send(msg []byte) error {
	if c.silent.Load() {
		return nil
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.ws.WriteMessage(websocket.TextMessage, msg)
}

// Drop closes the TCP connection without a close handshake.
func (c *Conn) Drop() {
	c.once.Do(func() {
		close(c.done)
		c.ws.Close()
	})
}

// Silence makes the connection half-open: it stops reading and writing
// without closing, as a dead peer behind a NAT does.
func (c *Conn) Silence() { c.silent.Store(true) }

// Done is closed when the connection ends.
func (c *Conn) Done() <-chan struct{} { return c.done }
