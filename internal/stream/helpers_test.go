package stream

import (
	"bytes"
	"context"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/unifex-go/unifex/internal/backoff"
)

// wait is how long a test waits for something that should happen at once;
// reaching it means the test failed, it is not a timing assertion.
const wait = 10 * time.Second

// fastBackoff makes reconnects quick and deterministic (no jitter).
var fastBackoff = backoff.Policy{Base: 5 * time.Millisecond, Factor: 2, Max: 20 * time.Millisecond, Jitter: -1}

// ---- leak checker ----

// checkLeaks fails the test if goroutines started after the call are still
// alive when the test's cleanups have run. Call it first in a test so that
// its cleanup runs last. Tests using it do not run in parallel.
func checkLeaks(t *testing.T) {
	t.Helper()
	before := map[string]bool{}
	for _, g := range goroutines() {
		before[goroutineID(g)] = true
	}
	t.Cleanup(func() {
		deadline := time.Now().Add(wait)
		for {
			var extra []string
			for _, g := range goroutines() {
				if !before[goroutineID(g)] && !benign(g) {
					extra = append(extra, g)
				}
			}
			if len(extra) == 0 {
				return
			}
			if time.Now().After(deadline) {
				t.Errorf("%d goroutine(s) outlived the test:\n\n%s", len(extra), strings.Join(extra, "\n\n"))
				return
			}
			runtime.Gosched()
			time.Sleep(5 * time.Millisecond) // polling for exits, as goleak does
		}
	})
}

func goroutines() []string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return strings.Split(strings.TrimSpace(string(buf[:n])), "\n\n")
		}
		buf = make([]byte, 2*len(buf))
	}
}

func goroutineID(stack string) string {
	id, _, _ := strings.Cut(strings.TrimPrefix(stack, "goroutine "), " ")
	return id
}

// benign lists goroutines of the runtime and of the test binary itself.
func benign(stack string) bool {
	for _, s := range []string{"testing.(*T).Run", "testing.tRunner(", "runtime.goexit0", "signal.signal_recv", "runtime.ensureSigM", "testing.runFuzzing", "testing.(*F).Fuzz"} {
		if strings.Contains(stack, s) && !strings.Contains(stack, "internal/stream.") {
			return true
		}
	}
	// The goroutine running the check itself.
	return strings.Contains(stack, "checkLeaks.func1")
}

// ---- loopback WebSocket server with faults ----

// wsServer is a loopback WebSocket server that hands each accepted
// connection to the test and injects faults on demand.
type wsServer struct {
	srv    *httptest.Server
	conns  chan *srvConn
	refuse atomic.Int32 // refuse handshakes with this status
	retry  atomic.Value // Retry-After value for refusals (string)

	mu  sync.Mutex
	all []*srvConn
}

// srvConn is the server side of one connection.
type srvConn struct {
	ws     *websocket.Conn
	req    *http.Request
	in     chan Message // what the client sent
	done   chan struct{}
	wmu    sync.Mutex
	silent atomic.Bool // read nothing, answer nothing (half-open)
	noPong atomic.Bool // do not answer pings
	pings  atomic.Int32
}

func newWSServer(t testing.TB) *wsServer {
	s := &wsServer{conns: make(chan *srvConn, 64)}
	s.retry.Store("")
	s.srv = httptest.NewServer(http.HandlerFunc(s.handle))
	t.Cleanup(s.close)
	return s
}

// newTLSWSServer is newWSServer over TLS with httptest's certificate.
func newTLSWSServer(t testing.TB) *wsServer {
	s := &wsServer{conns: make(chan *srvConn, 64)}
	s.retry.Store("")
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(s.handle))
	s.srv.Config.ErrorLog = log.New(io.Discard, "", 0) // refused certificates are expected
	s.srv.StartTLS()
	t.Cleanup(s.close)
	return s
}

// url returns the server's ws:// (or wss://) URL with path and query.
func (s *wsServer) url(pathQuery string) string {
	u := s.srv.URL
	if strings.HasPrefix(u, "https") {
		return "wss" + strings.TrimPrefix(u, "https") + pathQuery
	}
	return "ws" + strings.TrimPrefix(u, "http") + pathQuery
}

var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

func (s *wsServer) handle(w http.ResponseWriter, r *http.Request) {
	if code := s.refuse.Load(); code != 0 {
		if ra := s.retry.Load().(string); ra != "" {
			w.Header().Set("Retry-After", ra)
		}
		http.Error(w, "refused", int(code))
		return
	}
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &srvConn{ws: ws, req: r, in: make(chan Message, 4096), done: make(chan struct{})}
	ws.SetPingHandler(func(data string) error {
		c.pings.Add(1)
		if c.silent.Load() || c.noPong.Load() {
			return nil
		}
		return ws.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(time.Second))
	})
	s.mu.Lock()
	s.all = append(s.all, c)
	s.mu.Unlock()
	select {
	case s.conns <- c:
	default:
	}
	defer close(c.done)
	for {
		typ, data, err := ws.ReadMessage()
		if err != nil {
			return
		}
		if c.silent.Load() {
			continue
		}
		mt := Text
		if typ == websocket.BinaryMessage {
			mt = Binary
		}
		select {
		case c.in <- Message{Type: mt, Data: data}:
		default:
		}
	}
}

// close ends every connection and waits for their handlers.
func (s *wsServer) close() {
	s.srv.Close()
	s.mu.Lock()
	all := s.all
	s.mu.Unlock()
	for _, c := range all {
		c.ws.Close()
		<-c.done
	}
}

// next returns the next accepted connection.
func (s *wsServer) next(t *testing.T) *srvConn {
	t.Helper()
	select {
	case c := <-s.conns:
		return c
	case <-time.After(wait):
		t.Fatal("no connection accepted")
		return nil
	}
}

func (c *srvConn) send(t *testing.T, typ MessageType, data []byte) {
	t.Helper()
	c.wmu.Lock()
	defer c.wmu.Unlock()
	wt := websocket.TextMessage
	if typ == Binary {
		wt = websocket.BinaryMessage
	}
	c.ws.SetWriteDeadline(time.Now().Add(wait))
	if err := c.ws.WriteMessage(wt, data); err != nil {
		t.Errorf("server write: %v", err)
	}
}

func (c *srvConn) sendText(t *testing.T, s string) { t.Helper(); c.send(t, Text, []byte(s)) }

// recv returns the next message the client sent.
func (c *srvConn) recv(t *testing.T) Message {
	t.Helper()
	select {
	case m := <-c.in:
		return m
	case <-time.After(wait):
		t.Fatal("server received nothing")
		return Message{}
	}
}

// recvText returns the data of the next message the client sent.
func (c *srvConn) recvText(t *testing.T) string {
	t.Helper()
	return string(c.recv(t).Data)
}

// drop closes the TCP connection without a close frame.
func (c *srvConn) drop() { c.ws.NetConn().Close() }

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
