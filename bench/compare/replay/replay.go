// Package replay serves a recorded Binance spot diff-depth stream to the
// clients of the side-by-side run: the REST replies they load markets and
// the book snapshot from, and the WebSocket stream, written as fast as each
// connection takes it once the client subscribes. It knows the book the
// stream ends with, so that every client's last book can be checked.
package replay

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	"github.com/shopspring/decimal"
)

// The recording's files under a testdata directory.
const (
	ExchangeInfoFile = "exchangeInfo.json" // GET /api/v3/exchangeInfo
	DepthFile        = "depth.json"        // GET /api/v3/depth, the book before the first frame
	FinalFile        = "final.json"        // the book after the last frame (Book)
	FramesFile       = "frames.jsonl.gz"   // the frames, combined-stream form, one a line
)

// Stream is the stream name of the recorded frames.
const Stream = "btcusdt@depth@100ms"

// combinedPrefix opens every recorded frame: {"stream":"…","data":. The raw
// form (a /ws connection's) is the frame without it and the closing brace.
const combinedPrefix = `{"stream":"` + Stream + `","data":`

// Book is an order book as the run compares it: exact decimal strings,
// bids best (highest) first, asks best (lowest) first.
type Book struct {
	LastUpdateID int64       `json:"lastUpdateId"`
	Bids         [][2]string `json:"bids"`
	Asks         [][2]string `json:"asks"`
}

// Same reports how got differs from b, comparing prices and amounts as
// decimals (a client that prints floats writes "43231.1" for
// "43231.10000000"); nil when they are the same book.
func (b *Book) Same(got *Book) error {
	if got.LastUpdateID != b.LastUpdateID {
		return fmt.Errorf("update id %d, want %d", got.LastUpdateID, b.LastUpdateID)
	}
	for _, s := range []struct {
		name      string
		got, want [][2]string
	}{{"bids", got.Bids, b.Bids}, {"asks", got.Asks, b.Asks}} {
		if len(s.got) != len(s.want) {
			return fmt.Errorf("%s: %d levels, want %d", s.name, len(s.got), len(s.want))
		}
		for i := range s.got {
			for k := range 2 {
				g, err := decimal.NewFromString(s.got[i][k])
				if err != nil {
					return fmt.Errorf("%s[%d]: %w", s.name, i, err)
				}
				if !g.Equal(decimal.RequireFromString(s.want[i][k])) {
					return fmt.Errorf("%s[%d] = %s@%s, want %s@%s", s.name, i, s.got[i][1], s.got[i][0], s.want[i][1], s.want[i][0])
				}
			}
		}
	}
	return nil
}

// Recording is a recorded stream and the REST replies around it.
type Recording struct {
	ExchangeInfo []byte   // the exchangeInfo reply
	Depth        []byte   // the depth reply: the book before the first frame
	Final        Book     // the book after the last frame
	Frames       [][]byte // combined-stream form
}

// Load reads a recording from dir.
func Load(dir string) (*Recording, error) {
	r := &Recording{}
	var err error
	if r.ExchangeInfo, err = os.ReadFile(filepath.Join(dir, ExchangeInfoFile)); err != nil {
		return nil, err
	}
	if r.Depth, err = os.ReadFile(filepath.Join(dir, DepthFile)); err != nil {
		return nil, err
	}
	final, err := os.ReadFile(filepath.Join(dir, FinalFile))
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(final, &r.Final); err != nil {
		return nil, fmt.Errorf("%s: %w", FinalFile, err)
	}
	f, err := os.Open(filepath.Join(dir, FramesFile))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if !bytes.HasPrefix(line, []byte(combinedPrefix)) || line[len(line)-1] != '}' {
			return nil, fmt.Errorf("%s: frame %d is not a combined %s frame", FramesFile, len(r.Frames), Stream)
		}
		r.Frames = append(r.Frames, bytes.Clone(line))
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(r.Frames) == 0 {
		return nil, fmt.Errorf("%s: no frames", FramesFile)
	}
	return r, nil
}

// Server serves a Recording on a loopback port.
type Server struct {
	rec *Recording
	hs  *http.Server
	ln  net.Listener

	gap time.Duration // from the snapshot to the first frame

	mu     sync.Mutex
	depths int           // depth requests served
	served chan struct{} // closed (and replaced) when one is
	first  time.Time     // when the latest connection's first frame was written
}

// Serve starts serving rec on 127.0.0.1 (port 0 picks a free one).
//
//   - GET /api/v3/exchangeInfo and GET /api/v3/depth: the recorded replies
//     (whatever the query);
//   - WebSocket /stream (combined form, unifex's) and /ws, /ws/<n> (raw
//     form, CCXT's): after a {"method":"SUBSCRIBE",…,"id":n} the reply
//     {"result":null,"id":n}, then, once a depth snapshot has been served
//     since the connection opened (as every client fetches it after
//     subscribing; at most 10 s later without one), every frame, one
//     message each, starting gap after the snapshot. Starting after the
//     snapshot keeps the run independent of how many early frames a client
//     buffers while it waits for it; the gap lets a client apply the
//     snapshot before the first frame (CCXT-Go fails the book otherwise:
//     its snapshot goroutine and its message handler race on the book).
func Serve(rec *Recording, port int, gap time.Duration) (*Server, error) {
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		return nil, err
	}
	s := &Server{rec: rec, ln: ln, gap: gap, served: make(chan struct{})}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v3/exchangeInfo", s.reply(rec.ExchangeInfo))
	mux.HandleFunc("GET /api/v3/depth", func(w http.ResponseWriter, r *http.Request) {
		s.reply(rec.Depth)(w, r)
		s.mu.Lock()
		s.depths++
		close(s.served)
		s.served = make(chan struct{})
		s.mu.Unlock()
	})
	mux.HandleFunc("/stream", s.stream(true))
	mux.HandleFunc("/ws", s.stream(false))
	mux.HandleFunc("/ws/", s.stream(false))
	s.hs = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go s.hs.Serve(ln) //nolint:errcheck // ends with Close
	return s, nil
}

// Addr is the server's host:port.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// FirstFrame is when the latest connection's first frame was written: the
// start of a run's stream, timed by the server.
func (s *Server) FirstFrame() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.first
}

// Close stops the server and ends its connections.
func (s *Server) Close() error { return s.hs.Close() }

func (s *Server) reply(body []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(body) //nolint:errcheck // the client sees a short reply
	}
}

var upgrader = websocket.Upgrader{
	ReadBufferSize:  4096,
	WriteBufferSize: 32 << 10,
	CheckOrigin:     func(*http.Request) bool { return true },
}

// stream serves one WebSocket connection: the first SUBSCRIBE is answered
// and followed by the whole recording; later control messages are answered
// and otherwise ignored.
func (s *Server) stream(combined bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		depths0 := s.depths
		s.mu.Unlock()
		c, err := upgrader.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		start := make(chan []byte, 1)
		replies := make(chan []byte, 16)
		go func() { // reader: control messages (gorilla answers pings itself)
			defer close(replies)
			first := true
			for {
				_, msg, err := c.ReadMessage()
				if err != nil {
					return
				}
				var req struct {
					Method string          `json:"method"`
					ID     json.RawMessage `json:"id"`
				}
				if json.Unmarshal(msg, &req) != nil || len(req.ID) == 0 {
					continue
				}
				reply := []byte(`{"result":null,"id":` + string(req.ID) + `}`)
				if first && strings.EqualFold(req.Method, "SUBSCRIBE") {
					first = false
					start <- reply
					continue
				}
				replies <- reply
			}
		}()
		var ack []byte
		select {
		case ack = <-start:
		case <-replies:
			return
		case <-time.After(time.Minute):
			return
		}
		if c.WriteMessage(websocket.TextMessage, ack) != nil {
			return
		}
		s.awaitDepth(depths0, 10*time.Second)
		time.Sleep(s.gap)
		s.mu.Lock()
		s.first = time.Now()
		s.mu.Unlock()
		// The frames go out pre-framed, 64 KiB a write straight to the
		// socket: one write a message (gorilla's WriteMessage) made the
		// server the bottleneck of the fastest clients.
		raw := c.UnderlyingConn()
		buf := make([]byte, 0, 96<<10)
		for i, f := range s.rec.Frames {
			if !combined {
				f = f[len(combinedPrefix) : len(f)-1]
			}
			buf = appendTextFrame(buf, f)
			if len(buf) < 64<<10 && i < len(s.rec.Frames)-1 {
				continue
			}
			if _, err := raw.Write(buf); err != nil {
				return
			}
			buf = buf[:0]
			select {
			case rep, ok := <-replies:
				if !ok {
					return
				}
				if c.WriteMessage(websocket.TextMessage, rep) != nil {
					return
				}
			default:
			}
		}
		for rep := range replies { // hold the connection until the client leaves
			if c.WriteMessage(websocket.TextMessage, rep) != nil {
				return
			}
		}
	}
}

// appendTextFrame appends payload as one unmasked, final WebSocket text
// frame (RFC 6455 §5.2), as a server sends it.
func appendTextFrame(dst, payload []byte) []byte {
	switch n := len(payload); {
	case n < 126:
		dst = append(dst, 0x81, byte(n))
	case n < 1<<16:
		dst = append(dst, 0x81, 126, byte(n>>8), byte(n))
	default:
		dst = append(dst, 0x81, 127)
		dst = binary.BigEndian.AppendUint64(dst, uint64(n))
	}
	return append(dst, payload...)
}

// awaitDepth waits until more than n depth requests have been served, or
// for d.
func (s *Server) awaitDepth(n int, d time.Duration) {
	deadline := time.After(d)
	for {
		s.mu.Lock()
		depths, served := s.depths, s.served
		s.mu.Unlock()
		if depths > n {
			return
		}
		select {
		case <-served:
		case <-deadline:
			return
		}
	}
}
