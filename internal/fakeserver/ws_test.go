package fakeserver

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/unifex-go/unifex/internal/leaktest"
)

// wait bounds what should happen at once; reaching it fails the test.
const wait = 10 * time.Second

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	t.Cleanup(cancel)
	return ctx
}

// client is the far end of a connection: a reader that answers nothing
// and reports data messages and pongs.
type client struct {
	ws    *websocket.Conn
	msgs  chan int // message types, in order; -1 for a pong
	ended chan struct{}
}

func dial(t *testing.T, d *websocket.Dialer, url string) *client {
	t.Helper()
	ws, _, err := d.DialContext(testCtx(t), url, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &client{ws: ws, msgs: make(chan int, 16), ended: make(chan struct{})}
	ws.SetPongHandler(func(string) error { c.msgs <- -1; return nil })
	go func() {
		defer close(c.ended)
		for {
			typ, _, err := ws.ReadMessage()
			if err != nil {
				return
			}
			c.msgs <- typ
		}
	}()
	t.Cleanup(func() { ws.Close(); <-c.ended })
	return c
}

func (c *client) next(t *testing.T) int {
	t.Helper()
	select {
	case typ := <-c.msgs:
		return typ
	case <-time.After(wait):
		t.Fatal("the client received nothing")
		return 0
	}
}

// waitFor polls cond until it holds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(wait); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waited in vain for %s", what)
		}
	}
}

// connect starts a server and returns both ends of a connection to it.
func connect(t *testing.T) (*client, *Conn) {
	t.Helper()
	s := NewWS(nil)
	t.Cleanup(s.Close)
	cl := dial(t, websocket.DefaultDialer, s.URL())
	c, err := s.Next(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	return cl, c
}

func TestNextHandsOutConnectionsInOrder(t *testing.T) {
	leaktest.Check(t)
	s := NewWS(nil)
	t.Cleanup(s.Close)
	for n, q := range []string{"?n=1", "?n=2"} {
		dial(t, websocket.DefaultDialer, s.URL()+q)
		// The handshake ends before the server registers the connection.
		waitFor(t, "the connection to be accepted", func() bool { return len(s.Conns()) > n })
	}
	for _, want := range []string{"1", "2"} {
		c, err := s.Next(testCtx(t))
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Request.URL.Query().Get("n"); got != want {
			t.Fatalf("Next returned connection %s, want %s", got, want)
		}
	}
	if s.Dials() != 2 || len(s.Conns()) != 2 {
		t.Fatalf("%d dials, %d connections", s.Dials(), len(s.Conns()))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Next(ctx); err != context.Canceled {
		t.Fatalf("Next with no connection left: %v", err)
	}
}

func TestMessageTypesAndReadAfterTheEnd(t *testing.T) {
	leaktest.Check(t)
	cl, c := connect(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Read(ctx); err != context.Canceled {
		t.Fatalf("polling an empty connection: %v", err)
	}

	if err := c.SendBinary([]byte{1}); err != nil {
		t.Fatal(err)
	}
	if err := c.Send([]byte("t")); err != nil {
		t.Fatal(err)
	}
	if a, b := cl.next(t), cl.next(t); a != websocket.BinaryMessage || b != websocket.TextMessage {
		t.Fatalf("the client got types %d, %d", a, b)
	}

	// The client sends two messages and hangs up: Read returns both, then
	// fails.
	_ = cl.ws.WriteMessage(websocket.BinaryMessage, []byte{2})
	_ = cl.ws.WriteMessage(websocket.TextMessage, []byte("bye"))
	cl.ws.Close()
	select {
	case <-c.Done():
	case <-time.After(wait):
		t.Fatal("the connection did not end")
	}
	for _, want := range []struct {
		typ  int
		data string
	}{{websocket.BinaryMessage, "\x02"}, {websocket.TextMessage, "bye"}} {
		typ, data, err := c.ReadMessage(testCtx(t))
		if err != nil || typ != want.typ || string(data) != want.data {
			t.Fatalf("ReadMessage = %d %q %v, want %d %q", typ, data, err, want.typ, want.data)
		}
	}
	if _, err := c.Read(testCtx(t)); err == nil {
		t.Fatal("Read after the end and the last message did not fail")
	}
}

func TestRefuseRetryAfter(t *testing.T) {
	leaktest.Check(t)
	s := NewWS(nil)
	t.Cleanup(s.Close)
	s.RefuseRetryAfter(http.StatusTooManyRequests, "7")
	_, resp, err := websocket.DefaultDialer.DialContext(testCtx(t), s.URL(), nil)
	if err == nil || resp == nil || resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "7" {
		t.Fatalf("refused handshake: %v %+v", err, resp)
	}
	resp.Body.Close()
	s.Refuse(0)
	dial(t, websocket.DefaultDialer, s.URL())
	if s.Dials() != 2 {
		t.Fatalf("%d dials", s.Dials())
	}
}

func TestNoPongCountsPings(t *testing.T) {
	leaktest.Check(t)
	cl, c := connect(t)
	ping := func(n int) {
		t.Helper()
		if err := cl.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(wait)); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the ping to be counted", func() bool { return c.Pings() == n })
	}
	ping(1)
	if typ := cl.next(t); typ != -1 {
		t.Fatalf("the answer to a ping was of type %d", typ)
	}
	c.NoPong()
	ping(2)
	// A pong to the second ping would have been written before this.
	if err := c.Send([]byte("after")); err != nil {
		t.Fatal(err)
	}
	if typ := cl.next(t); typ != websocket.TextMessage {
		t.Fatalf("NoPong answered a ping (type %d)", typ)
	}
}

func TestTLS(t *testing.T) {
	leaktest.Check(t)
	s := NewTLSWS(nil)
	t.Cleanup(s.Close)
	if _, _, err := websocket.DefaultDialer.DialContext(testCtx(t), s.URL(), nil); err == nil {
		t.Fatal("an untrusted certificate was accepted")
	}
	pool := x509.NewCertPool()
	pool.AddCert(s.Certificate())
	dial(t, &websocket.Dialer{TLSClientConfig: &tls.Config{RootCAs: pool}}, s.URL())
	if _, err := s.Next(testCtx(t)); err != nil {
		t.Fatal(err)
	}
}
