package binancetest

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/unifex-go/unifex/exchangetest"
)

// The server is what the conformance suite drives.
var (
	_ exchangetest.Venue        = (*Server)(nil)
	_ exchangetest.Faults       = (*Server)(nil)
	_ exchangetest.PrivateVenue = (*Server)(nil)
	_ exchangetest.RESTFaults   = (*Server)(nil)
	_ exchangetest.AuthFaults   = (*Server)(nil)
)

func TestBookAt(t *testing.T) {
	s := start(t, Config{Product: USDM, Seed: 21, History: 100})
	var snap map[string]json.RawMessage
	get(t, s, "/fapi/v1/depth", "symbol=ETHUSDT").decode(t, &snap)
	newLocalBook(snap).sameAs(t, s, "ETH/USDT:USDT")
	if _, _, ok := s.BookAt("ETH/USDT:USDT", num(snap, "lastUpdateId")+1); ok {
		t.Fatal("BookAt answers for an update id the book never had")
	}
	if _, _, ok := s.BookAt("NOPE/USDT:USDT", num(snap, "lastUpdateId")); ok {
		t.Fatal("BookAt answers for an unknown symbol")
	}
	s.Step(2000) // more than History events on ETH
	if _, _, ok := s.BookAt("ETH/USDT:USDT", num(snap, "lastUpdateId")); ok {
		t.Fatal("BookAt still remembers a state older than History")
	}
}

// depthFrames subscribes to spot btcusdt@depth@100ms and returns a
// client, after a snapshot.
func depthClient(t *testing.T, s *Server, stream string) (*client, map[string]json.RawMessage) {
	t.Helper()
	c := dial(t, s, "/stream")
	c.subscribe(1, stream)
	var snap map[string]json.RawMessage
	get(t, s, "/api/v3/depth", "symbol=BTCUSDT").decode(t, &snap)
	return c, snap
}

func TestGap(t *testing.T) {
	for _, p := range []Product{Spot, USDM} {
		t.Run(p.String(), func(t *testing.T) {
			s := start(t, Config{Product: p, Seed: 22, Symbols: []string{map[Product]string{Spot: "BTC/USDT", USDM: "BTC/USDT:USDT"}[p]}})
			path := map[Product]string{Spot: "/stream", USDM: "/public/stream"}[p]
			c := dial(t, s, path)
			c.subscribe(1, "btcusdt@depth")
			s.Step(5)
			s.Gap(s.Symbols()[0])
			s.Step(5)
			events := readDepth(t, c, 9)
			breaks := 0
			for i := 1; i < len(events); i++ {
				prev, ev := events[i-1], events[i]
				if p == Spot && num(ev, "U") != num(prev, "u")+1 || p == USDM && num(ev, "pu") != num(prev, "u") {
					breaks++
				}
			}
			if breaks != 1 || len(events) != 9 {
				t.Fatalf("%d events with %d breaks in continuity, want 9 with 1", len(events), breaks)
			}
		})
	}
}

func TestDuplicateAndOverlap(t *testing.T) {
	s := start(t, Config{Seed: 23, History: 64, Symbols: []string{"BTC/USDT"}})
	c, snap := depthClient(t, s, "btcusdt@depth@100ms")
	s.Step(3)
	s.Duplicate("BTC/USDT")
	s.Step(3)
	s.Overlap("BTC/USDT")
	s.Step(3)
	book := newLocalBook(snap)
	dups, overlaps := 0, 0
	for _, ev := range readDepth(t, c, 10) {
		first, last := num(ev, "U"), num(ev, "u")
		switch {
		case last <= book.id: // the docs: ignore an update older than the book
			dups++
			continue
		case first > book.id+1:
			t.Fatalf("a gap: U=%d after u=%d", first, book.id)
		case first <= book.id:
			overlaps++
		}
		book.apply(ev["b"], ev["a"])
		book.id = last
		book.sameAs(t, s, "BTC/USDT")
	}
	if dups != 1 || overlaps != 1 {
		t.Fatalf("%d duplicates and %d overlaps, want one of each", dups, overlaps)
	}
}

func TestStaleSnapshot(t *testing.T) {
	s := start(t, Config{Seed: 24, Symbols: []string{"BTC/USDT"}})
	c := dial(t, s, "/stream")
	c.subscribe(1, "btcusdt@depth@100ms")
	s.Step(3)
	first := c.until(func(m map[string]json.RawMessage) bool { return m["stream"] != nil })
	s.StaleSnapshot("BTC/USDT")
	var stale, fresh map[string]json.RawMessage
	get(t, s, "/api/v3/depth", "symbol=BTCUSDT").decode(t, &stale)
	if num(stale, "lastUpdateId") >= num(obj(first, "data"), "U") {
		t.Fatalf("stale snapshot at %d, not older than the first buffered update U=%d", num(stale, "lastUpdateId"), num(obj(first, "data"), "U"))
	}
	newLocalBook(stale).sameAs(t, s, "BTC/USDT") // still a true past state
	get(t, s, "/api/v3/depth", "symbol=BTCUSDT").decode(t, &fresh)
	if num(fresh, "lastUpdateId") != s.LastUpdateID("BTC/USDT") {
		t.Fatal("the snapshot after a stale one is not current")
	}
}

func TestGarbageOutageAndCut(t *testing.T) {
	s := start(t, Config{Seed: 25})
	c := dial(t, s, "/stream")
	s.Garbage()
	_, first, _ := c.ws.ReadMessage()
	if json.Valid(first) {
		t.Fatalf("Garbage sent valid JSON first: %s", first)
	}
	if unknown := c.next(); str(unknown, "stream") == "" || str(obj(unknown, "data"), "e") != "somethingNew" {
		t.Fatalf("the unknown event: %v", raw(unknown))
	}
	s.CutConnections()
	for {
		if _, _, err := c.ws.ReadMessage(); err != nil {
			var ce *websocket.CloseError
			if !errors.As(err, &ce) || ce.Code != websocket.CloseNormalClosure {
				t.Fatalf("a cut connection ends with %v, want a close frame", err)
			}
			break
		}
	}
	s.Outage(true)
	if _, resp, err := dialRaw(s, "/stream"); err == nil || resp == nil || resp.StatusCode != 503 {
		t.Fatalf("dial during an outage: %v", err)
	}
	if r := get(t, s, "/api/v3/time", ""); r.status != 200 {
		t.Fatalf("REST during an outage: HTTP %d", r.status)
	}
	s.Outage(false)
	dial(t, s, "/stream")
}

func TestServerShutdown(t *testing.T) {
	s := start(t, Config{Seed: 26})
	combined, raw1, api := dial(t, s, "/stream"), dial(t, s, "/ws"), dial(t, s, "/ws-api/v3")
	time.Sleep(20 * time.Millisecond) // the handshakes have registered
	s.ServerShutdown(100 * time.Millisecond)
	if m := combined.next(); str(m, "stream") != "!serverShutdown" || str(obj(m, "data"), "e") != "serverShutdown" {
		t.Fatalf("combined: %v", raw(m))
	}
	if m := raw1.next(); str(m, "e") != "serverShutdown" || num(m, "E") == 0 {
		t.Fatalf("raw: %v", raw(m))
	}
	if m := api.next(); str(obj(m, "event"), "e") != "serverShutdown" {
		t.Fatalf("WebSocket API: %v", raw(m))
	}
	_ = combined.ws.SetReadDeadline(time.Now().Add(2 * time.Second))
	if _, _, err := combined.ws.ReadMessage(); err == nil {
		t.Fatal("the connection outlived the grace period")
	}
}

func TestServerPingsAndDropsSilentClients(t *testing.T) {
	for _, tc := range []struct {
		name     string
		product  Product
		answer   func(c *websocket.Conn, data string) error
		survives bool
	}{
		{"spot client answering", Spot, func(c *websocket.Conn, d string) error {
			return c.WriteControl(websocket.PongMessage, []byte(d), time.Now().Add(time.Second))
		}, true},
		{"spot client silent", Spot, func(*websocket.Conn, string) error { return nil }, false},
		{"spot client with unsolicited pongs only", Spot, func(c *websocket.Conn, _ string) error {
			return c.WriteControl(websocket.PongMessage, nil, time.Now().Add(time.Second))
		}, false},
		{"futures client with unsolicited pongs", USDM, func(c *websocket.Conn, _ string) error {
			return c.WriteControl(websocket.PongMessage, nil, time.Now().Add(time.Second))
		}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := start(t, Config{Product: tc.product, Seed: 27, PingInterval: 30 * time.Millisecond, PongTimeout: 100 * time.Millisecond})
			path := map[Product]string{Spot: "/ws", USDM: "/market/ws"}[tc.product]
			c := dial(t, s, path)
			pings := 0
			c.ws.SetPingHandler(func(data string) error {
				pings++
				if len(data) != 8 || binary.BigEndian.Uint64([]byte(data)) == 0 {
					t.Errorf("ping payload %q", data)
				}
				return tc.answer(c.ws, data)
			})
			_ = c.ws.SetReadDeadline(time.Now().Add(400 * time.Millisecond))
			_, _, err := c.ws.ReadMessage()
			var ne interface{ Timeout() bool }
			timedOut := errors.As(err, &ne) && ne.Timeout()
			if pings < 2 {
				t.Fatalf("%d pings in 400 ms at a 30 ms interval", pings)
			}
			if tc.survives != timedOut {
				t.Fatalf("read ended with %v after %d pings; want the connection kept: %v", err, pings, tc.survives)
			}
		})
	}
}

func TestMaxConnAge(t *testing.T) {
	s := start(t, Config{Seed: 28, MaxConnAge: 100 * time.Millisecond})
	c := dial(t, s, "/stream")
	_ = c.ws.SetReadDeadline(time.Now().Add(2 * time.Second))
	_, _, err := c.ws.ReadMessage()
	var ce *websocket.CloseError
	if !errors.As(err, &ce) {
		t.Fatalf("at its maximum age the connection ends with %v, want a close frame", err)
	}
}
