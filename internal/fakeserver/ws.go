// Package fakeserver is the toolkit the fake exchanges (adapters/<id>/<id>test)
// and the runtime's tests are built on: loopback servers that speak a
// venue's protocol and inject faults on demand — drops, half-open links,
// unanswered pings, refused handshakes, garbage frames.
package fakeserver

import (
	"context"
	"crypto/x509"
	"io"
	"log"
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
// NewWS's onConn (on its own goroutine), or waits for Next, and is kept
// until the server closes.
type WS struct {
	srv      *httptest.Server
	upgrader websocket.Upgrader
	onConn   func(c *Conn)

	mu         sync.Mutex
	refuse     int    // refuse handshakes with this HTTP status
	retryAfter string // and this Retry-After header
	conns      []*Conn
	taken      int           // conns returned by Next
	accepted   chan struct{} // closed, and replaced, at each accept
	dials      int
	closed     bool
	wg         sync.WaitGroup
}

// NewWS starts a server that calls onConn for every connection; onConn
// typically loops on Conn.Read and answers. The connection ends when onConn
// returns. With a nil onConn a connection stays open until it drops or the
// server closes, and the test takes it with Next and plays the server's
// side itself.
func NewWS(onConn func(c *Conn)) *WS {
	s := newWS(onConn)
	s.srv.Start()
	return s
}

// NewTLSWS is NewWS over TLS, with httptest's self-signed certificate
// (Certificate): clients must trust it to connect.
func NewTLSWS(onConn func(c *Conn)) *WS {
	s := newWS(onConn)
	s.srv.Config.ErrorLog = log.New(io.Discard, "", 0) // clients refusing the certificate are expected
	s.srv.StartTLS()
	return s
}

func newWS(onConn func(c *Conn)) *WS {
	s := &WS{
		onConn:   onConn,
		upgrader: websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }},
		accepted: make(chan struct{}),
	}
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(s.handle))
	return s
}

// URL returns the server's ws:// address (wss:// over TLS).
func (s *WS) URL() string { return "ws" + strings.TrimPrefix(s.srv.URL, "http") }

// Certificate returns the certificate of a server started by NewTLSWS, for
// a client's root pool; nil without TLS.
func (s *WS) Certificate() *x509.Certificate { return s.srv.Certificate() }

// Refuse makes the next handshakes fail with HTTP status (0: accept again).
func (s *WS) Refuse(status int) { s.RefuseRetryAfter(status, "") }

// RefuseRetryAfter is Refuse with a Retry-After header (seconds or an HTTP
// date), as a venue that rate-limits connections sends.
func (s *WS) RefuseRetryAfter(status int, retryAfter string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse, s.retryAfter = status, retryAfter
}

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

// Next returns the oldest accepted connection that Next has not returned
// yet, waiting for one until ctx ends.
func (s *WS) Next(ctx context.Context) (*Conn, error) {
	for {
		s.mu.Lock()
		if s.taken < len(s.conns) {
			c := s.conns[s.taken]
			s.taken++
			s.mu.Unlock()
			return c, nil
		}
		accepted := s.accepted
		s.mu.Unlock()
		select {
		case <-accepted:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
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
	status, retryAfter := s.refuse, s.retryAfter
	if status == 0 && s.closed {
		status = http.StatusServiceUnavailable
	}
	s.mu.Unlock()
	if status != 0 {
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		http.Error(w, http.StatusText(status), status)
		return
	}
	ws, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &Conn{ws: ws, Request: r, in: make(chan frame, 256), done: make(chan struct{})}
	ws.SetPingHandler(c.pong)
	s.mu.Lock()
	if s.closed { // closed during the upgrade: Close did not see c
		s.mu.Unlock()
		ws.Close()
		return
	}
	s.conns = append(s.conns, c)
	close(s.accepted)
	s.accepted = make(chan struct{})
	s.wg.Add(2)
	s.mu.Unlock()
	go func() {
		defer s.wg.Done()
		c.readLoop()
	}()
	defer s.wg.Done()
	defer c.Drop()
	if s.onConn == nil {
		<-c.done
		return
	}
	s.onConn(c)
}

// Conn is the server side of one connection.
type Conn struct {
	// Request is the handshake request (URL, headers).
	Request *http.Request

	ws     *websocket.Conn
	in     chan frame
	done   chan struct{}
	once   sync.Once
	wmu    sync.Mutex
	silent atomic.Bool
	noPong atomic.Bool
	pings  atomic.Int64
}

// frame is one message the client sent.
type frame struct {
	typ  int
	data []byte
}

// pong answers a protocol ping unless the connection is silent or NoPong.
func (c *Conn) pong(data string) error {
	defer c.pings.Add(1) // after the pong: whoever sees the count sees it sent
	if c.silent.Load() || c.noPong.Load() {
		return nil
	}
	// WriteControl may run concurrently with other writes.
	err := c.ws.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(time.Second))
	if err == websocket.ErrCloseSent {
		return nil
	}
	return err
}

// readLoop queues the client's messages for Read.
func (c *Conn) readLoop() {
	defer close(c.in)
	for {
		typ, data, err := c.ws.ReadMessage()
		if err != nil {
			c.Drop()
			return
		}
		if c.silent.Load() {
			continue
		}
		select {
		case c.in <- frame{typ, data}:
		case <-c.done:
			return
		}
	}
}

// Read returns the next message the client sent. Messages that arrived
// before the connection ended are still returned; then Read fails. It also
// fails when ctx ends; with a ctx already done it only polls: it returns a
// message already received, or ctx's error. Up to 256 messages wait
// unread; past that the connection stops reading the socket (pings
// included) until Read catches up.
func (c *Conn) Read(ctx context.Context) ([]byte, error) {
	_, data, err := c.ReadMessage(ctx)
	return data, err
}

// ReadMessage is Read that also returns the message's type,
// websocket.TextMessage or websocket.BinaryMessage.
func (c *Conn) ReadMessage(ctx context.Context) (messageType int, data []byte, err error) {
	select {
	case f, ok := <-c.in:
		return received(f, ok)
	default:
	}
	select {
	case f, ok := <-c.in:
		return received(f, ok)
	case <-ctx.Done():
		return 0, nil, ctx.Err()
	}
}

func received(f frame, ok bool) (int, []byte, error) {
	if !ok {
		return 0, nil, errors.Newf(errors.NetworkError, "connection closed")
	}
	return f.typ, f.data, nil
}

// Send writes a text message; a silent connection writes nothing.
func (c *Conn) Send(msg []byte) error { return c.write(websocket.TextMessage, msg) }

// SendBinary writes a binary message, as venues that compress their
// frames or speak protobuf do; a silent connection writes nothing.
func (c *Conn) SendBinary(msg []byte) error { return c.write(websocket.BinaryMessage, msg) }

func (c *Conn) write(messageType int, msg []byte) error {
	if c.silent.Load() {
		return nil
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.ws.WriteMessage(messageType, msg)
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

// NoPong stops the connection answering protocol pings while data still
// flows both ways, as a venue whose control path is stuck does.
func (c *Conn) NoPong() { c.noPong.Store(true) }

// Pings returns how many protocol pings the client has sent, answered or
// not; the pong of a counted ping has already been written.
func (c *Conn) Pings() int { return int(c.pings.Load()) }

// Done is closed when the connection ends.
func (c *Conn) Done() <-chan struct{} { return c.done }
