package binancetest

import (
	"encoding/binary"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// The WebSocket side of the fake: a loopback server whose connections keep
// Binance's rules — the server pings and drops a client that does not pong
// in time, a connection lives at most MaxConnAge — and take faults (drop,
// silence, refuse). It is written on gorilla directly rather than on
// internal/fakeserver, whose connections cannot send protocol pings or see
// pongs.

// wsServer accepts connections and hands each to its handler.
type wsServer struct {
	srv      *httptest.Server
	upgrader websocket.Upgrader
	route    func(r *http.Request) (wsHandler, int) // handler, or the HTTP status refusing the handshake
	keep     keepalive

	mu     sync.Mutex
	conns  map[*conn]struct{}
	refuse int
	dials  int
	closed bool
	wg     sync.WaitGroup
}

// wsHandler receives one connection's events, on its reader goroutine.
type wsHandler interface {
	opened(c *conn)
	message(c *conn, data []byte)
	closed(c *conn)
}

// keepalive are the connection rules of a product.
type keepalive struct {
	pingInterval time.Duration // the server pings this often
	pongTimeout  time.Duration // and drops a client silent this long after a ping
	echoOnly     bool          // only a pong echoing a ping's payload counts (spot)
	maxAge       time.Duration // connections are cut at this age
}

func newWSServer(keep keepalive, route func(r *http.Request) (wsHandler, int)) *wsServer {
	s := &wsServer{route: route, keep: keep, conns: map[*conn]struct{}{},
		upgrader: websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.handle))
	return s
}

// url is the server's ws:// base.
func (s *wsServer) url() string { return "ws" + strings.TrimPrefix(s.srv.URL, "http") }

func (s *wsServer) handle(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.dials++
	status := s.refuse
	if s.closed {
		status = http.StatusServiceUnavailable
	}
	s.mu.Unlock()
	h, routeStatus := s.route(r)
	if status == 0 && h == nil {
		status = routeStatus
	}
	if status != 0 {
		http.Error(w, http.StatusText(status), status)
		return
	}
	c := &conn{req: r, h: h, out: make(chan []byte, outQueue), done: make(chan struct{}),
		ponged: make(chan struct{}, 1), echoOnly: s.keep.echoOnly}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		http.Error(w, http.StatusText(http.StatusServiceUnavailable), http.StatusServiceUnavailable)
		return
	}
	s.conns[c] = struct{}{}
	s.wg.Add(1) // the handshake; close waits for it
	s.mu.Unlock()
	defer s.wg.Done()
	// The session exists before the client sees the handshake complete, so
	// that nothing sent after the handshake misses a listener: frames
	// wait in the queue until the writer starts.
	h.opened(c)
	ws, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		c.drop()
		s.forget(c)
		return
	}
	ws.SetPingHandler(c.onPing)
	ws.SetPongHandler(c.onPong)
	c.ws.Store(ws)
	select {
	case <-c.done: // dropped during the handshake
		ws.Close()
		s.forget(c)
		return
	default:
	}
	s.wg.Add(3)
	go func() {
		defer s.wg.Done()
		c.writeLoop(ws)
	}()
	go func() {
		defer s.wg.Done()
		c.keepaliveLoop(s.keep)
	}()
	go func() {
		defer s.wg.Done()
		c.readLoop(ws)
		s.forget(c)
	}()
}

// forget removes an ended connection and tells its handler.
func (s *wsServer) forget(c *conn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
	c.h.closed(c)
}

// all returns the open connections.
func (s *wsServer) all() []*conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*conn, 0, len(s.conns))
	for c := range s.conns {
		out = append(out, c)
	}
	return out
}

// setRefuse makes handshakes fail with status (0: accept again).
func (s *wsServer) setRefuse(status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse = status
}

// dialCount is the number of handshakes seen.
func (s *wsServer) dialCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dials
}

// close ends every connection and the server, and waits for the
// connections' goroutines.
func (s *wsServer) close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	for _, c := range s.all() {
		c.drop()
	}
	s.srv.CloseClientConnections()
	s.srv.Close()
	s.wg.Wait()
}

// outQueue bounds the frames waiting for a slow client; a client that
// falls this far behind is dropped, as Binance drops slow consumers.
const outQueue = 8192

// writeWait bounds one frame's write.
const writeWait = 5 * time.Second

// conn is the server side of one connection.
type conn struct {
	ws       atomic.Pointer[websocket.Conn] // set once the handshake is done
	req      *http.Request
	h        wsHandler
	out      chan []byte
	done     chan struct{}
	once     sync.Once
	echoOnly bool
	silent   atomic.Bool

	pingSeq atomic.Uint64 // payload of the latest ping
	ponged  chan struct{} // a pong answering a ping arrived
	wmu     sync.Mutex    // control frames written outside writeLoop
}

// send queues a text frame; a connection whose queue is full is dropped.
func (c *conn) send(frame []byte) {
	select {
	case <-c.done:
	case c.out <- frame:
	default:
		c.drop()
	}
}

func (c *conn) writeLoop(ws *websocket.Conn) {
	for {
		select {
		case <-c.done:
			return
		case f := <-c.out:
			if c.silent.Load() {
				continue
			}
			c.wmu.Lock()
			_ = ws.SetWriteDeadline(time.Now().Add(writeWait))
			err := ws.WriteMessage(websocket.TextMessage, f)
			c.wmu.Unlock()
			if err != nil {
				c.drop()
				return
			}
		}
	}
}

func (c *conn) readLoop(ws *websocket.Conn) {
	defer c.drop()
	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			return
		}
		if !c.silent.Load() {
			c.h.message(c, data)
		}
	}
}

// keepaliveLoop pings every interval, drops the client when a ping stays
// unanswered for pongTimeout, and cuts the connection at maxAge.
func (c *conn) keepaliveLoop(k keepalive) {
	ping := time.NewTicker(k.pingInterval)
	defer ping.Stop()
	age := time.NewTimer(k.maxAge)
	defer age.Stop()
	var deadline <-chan time.Time
	var deadlineTimer *time.Timer
	defer func() {
		if deadlineTimer != nil {
			deadlineTimer.Stop()
		}
	}()
	for {
		select {
		case <-c.done:
			return
		case <-age.C:
			c.closeWith(websocket.CloseNormalClosure, "connection lifetime exceeded")
			return
		case <-deadline:
			c.drop()
			return
		case <-c.ponged:
			if deadlineTimer != nil {
				deadlineTimer.Stop()
			}
			deadline = nil
		case <-ping.C:
			if c.silent.Load() {
				continue
			}
			var p [8]byte
			binary.BigEndian.PutUint64(p[:], c.pingSeq.Add(1))
			if c.control(websocket.PingMessage, p[:]) != nil {
				c.drop()
				return
			}
			if deadline == nil {
				deadlineTimer = time.NewTimer(k.pongTimeout)
				deadline = deadlineTimer.C
			}
		}
	}
}

// control writes a control frame.
func (c *conn) control(typ int, data []byte) error {
	ws := c.ws.Load()
	if ws == nil {
		return websocket.ErrCloseSent
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return ws.WriteControl(typ, data, time.Now().Add(writeWait))
}

// onPong counts a pong: any pong on futures; on spot only one echoing a
// ping the server sent (unsolicited pongs "will not prevent disconnection").
func (c *conn) onPong(data string) error {
	if c.echoOnly {
		if len(data) != 8 {
			return nil
		}
		seq := binary.BigEndian.Uint64([]byte(data))
		if seq == 0 || seq > c.pingSeq.Load() {
			return nil
		}
	}
	select {
	case c.ponged <- struct{}{}:
	default:
	}
	return nil
}

// onPing answers a client's ping with its payload, unless silent.
func (c *conn) onPing(data string) error {
	if c.silent.Load() {
		return nil
	}
	if err := c.control(websocket.PongMessage, []byte(data)); err != nil && err != websocket.ErrCloseSent {
		return err
	}
	return nil
}

// closeWith sends a close frame and closes the connection.
func (c *conn) closeWith(code int, text string) {
	_ = c.control(websocket.CloseMessage, websocket.FormatCloseMessage(code, text))
	c.drop()
}

// drop closes the TCP connection without a close handshake.
func (c *conn) drop() {
	c.once.Do(func() {
		close(c.done)
		if ws := c.ws.Load(); ws != nil {
			ws.Close()
		}
	})
}

// silence makes the connection half-open: nothing is read, written or
// answered any more, and nothing closes it.
func (c *conn) silence() { c.silent.Store(true) }
