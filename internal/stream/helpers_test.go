package stream

import (
	"bytes"
	"context"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/unifex-go/unifex/internal/backoff"
	"github.com/unifex-go/unifex/internal/fakeserver"
)

// wait is how long a test waits for something that should happen at once;
// reaching it means the test failed, it is not a timing assertion.
const wait = 10 * time.Second

// fastBackoff makes reconnects quick and deterministic (no jitter).
var fastBackoff = backoff.Policy{Base: 5 * time.Millisecond, Factor: 2, Max: 20 * time.Millisecond, Jitter: -1}

// ---- scripting the server's side ----

// newWSServer starts a loopback WebSocket server whose connections the test
// takes with next and plays itself; it closes at cleanup.
func newWSServer(t testing.TB) *fakeserver.WS {
	s := fakeserver.NewWS(nil)
	t.Cleanup(s.Close)
	return s
}

// next returns the server's next accepted connection.
func next(t *testing.T, s *fakeserver.WS) *fakeserver.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	c, err := s.Next(ctx)
	if err != nil {
		t.Fatal("no connection accepted")
	}
	return c
}

// send writes a message of type typ to the client.
func send(t *testing.T, c *fakeserver.Conn, typ MessageType, data []byte) {
	t.Helper()
	write := c.Send
	if typ == Binary {
		write = c.SendBinary
	}
	if err := write(data); err != nil {
		t.Errorf("server write: %v", err)
	}
}

func sendText(t *testing.T, c *fakeserver.Conn, s string) { t.Helper(); send(t, c, Text, []byte(s)) }

// recv returns the next message the client sent.
func recv(t *testing.T, c *fakeserver.Conn) Message {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	typ, data, err := c.ReadMessage(ctx)
	if err != nil {
		t.Fatalf("server received nothing: %v", err)
	}
	if typ == websocket.BinaryMessage {
		return Message{Type: Binary, Data: data}
	}
	return Message{Type: Text, Data: data}
}

// recvText returns the data of the next message the client sent.
func recvText(t *testing.T, c *fakeserver.Conn) string {
	t.Helper()
	return string(recv(t, c).Data)
}

// received returns a message the client has already sent, without waiting.
func received(c *fakeserver.Conn) ([]byte, bool) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	data, err := c.Read(ctx)
	return data, err == nil
}

// ---- event and message recorder ----

type recorder struct {
	events chan Event
	msgs   chan Message
	errs   chan error
}

func newRecorder() *recorder {
	return &recorder{events: make(chan Event, 1024), msgs: make(chan Message, 1<<16), errs: make(chan error, 1024)}
}

// wire sets cfg's callbacks to record into r.
func (r *recorder) wire(cfg *Config) {
	// Full channels drop rather than block the link (a hung test would
	// hide its failure).
	cfg.OnState = func(e Event) {
		select {
		case r.events <- e:
		default:
		}
	}
	cfg.OnMessage = func(m Message, err error) {
		if err != nil {
			select {
			case r.errs <- err:
			default:
			}
			return
		}
		select {
		case r.msgs <- Message{Type: m.Type, Data: bytes.Clone(m.Data)}:
		default:
		}
	}
}

// state waits for the next event in state want, skipping others.
func (r *recorder) state(t *testing.T, want State) Event {
	t.Helper()
	timeout := time.After(wait)
	for {
		select {
		case e := <-r.events:
			if e.State == want {
				return e
			}
		case <-timeout:
			t.Fatalf("no %v event", want)
			return Event{}
		}
	}
}

func (r *recorder) msg(t *testing.T) Message {
	t.Helper()
	select {
	case m := <-r.msgs:
		return m
	case <-time.After(wait):
		t.Fatal("no message delivered")
		return Message{}
	}
}

func (r *recorder) err(t *testing.T) error {
	t.Helper()
	select {
	case e := <-r.errs:
		return e
	case <-time.After(wait):
		t.Fatal("no decode error delivered")
		return nil
	}
}

// within receives from ch, failing the test if nothing comes.
func within[T any](t *testing.T, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(wait):
		t.Fatal("nothing received")
		panic("unreachable")
	}
}

// fixedTarget returns a Dial hook for url.
func fixedTarget(url string) func(context.Context) (Target, error) {
	return func(context.Context) (Target, error) { return Target{URL: url}, nil }
}

// newLink starts a link and closes it at cleanup.
func newLink(t *testing.T, cfg Config) *Link {
	t.Helper()
	if cfg.Backoff == (backoff.Policy{}) {
		cfg.Backoff = fastBackoff
	}
	l, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	t.Cleanup(cancel)
	return ctx
}

// hangListener accepts TCP connections and never answers; accepted
// connections are reported on the channel.
func hangListener(t *testing.T) (addr string, accepted <-chan struct{}) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ch := make(chan struct{}, 16)
	var (
		mu    sync.Mutex
		conns []net.Conn
		wg    sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			select {
			case ch <- struct{}{}:
			default:
			}
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		wg.Wait()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return ln.Addr().String(), ch
}
