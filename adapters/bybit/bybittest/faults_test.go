package bybittest

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/unifex-go/unifex/exchangetest"
)

var (
	_ exchangetest.Venue        = (*Server)(nil)
	_ exchangetest.Faults       = (*Server)(nil)
	_ exchangetest.PrivateVenue = (*Server)(nil)
	_ exchangetest.RESTFaults   = (*Server)(nil)
	_ exchangetest.AuthFaults   = (*Server)(nil)
)

// bookClient subscribes to orderbook.50 of BTCUSDT on linear and returns
// the client and its book after the first snapshot.
func bookClient(t *testing.T, s *Server) (*client, *localBook) {
	c := dial(t, s, "linear")
	c.subscribe("orderbook.50.BTCUSDT")
	b := &localBook{}
	b.apply(t, c.until(func(m map[string]json.RawMessage) bool { return str(m, "topic") == "orderbook.50.BTCUSDT" }))
	return c, b
}

// nextBook reads the next orderbook message, stepping the market.
func nextBook(t *testing.T, s *Server, c *client) map[string]json.RawMessage {
	t.Helper()
	for range 1000 {
		m, err := c.read(20 * time.Millisecond)
		if err == nil && str(m, "topic") == "orderbook.50.BTCUSDT" {
			return m
		}
		s.Step(3)
	}
	t.Fatal("no book message")
	return nil
}

// Gap loses a delta: the next one's u skips, and applying it anyway would
// give a book the server never had.
func TestGapSkipsAnUpdateID(t *testing.T) {
	s := start(t, Config{Seed: 10, Symbols: []string{"BTC/USDT:USDT"}})
	c, b := bookClient(t, s)
	s.Gap("BTC/USDT:USDT")
	s.Step(1) // always changes the only book
	m := nextBook(t, s, c)
	if gap := b.apply(t, m); !strings.HasPrefix(gap, "gap") {
		t.Fatalf("after Gap the next delta was contiguous (%s)", m["data"])
	}
}

// Resnapshot sends a snapshot with the current u; Restart one with u = 1
// and deltas from 2, and BookAt answers for the new ids.
func TestResnapshotAndRestart(t *testing.T) {
	s := start(t, Config{Seed: 11, Symbols: []string{"BTC/USDT:USDT"}})
	c, b := bookClient(t, s)
	s.Step(5)
	for {
		m, err := c.read(50 * time.Millisecond)
		if err != nil {
			break
		}
		if gap := b.apply(t, m); gap != "" {
			t.Fatal(gap)
		}
	}
	u := s.UpdateID("BTC/USDT:USDT")
	s.Resnapshot("BTC/USDT:USDT")
	m := nextBook(t, s, c)
	if str(m, "type") != "snapshot" || num(obj(m, "data"), "u") != u {
		t.Fatalf("resnapshot: %s %s", str(m, "type"), m["data"])
	}
	b.apply(t, m)
	b.matches(t, s, "BTC/USDT:USDT")
	s.Restart("BTC/USDT:USDT")
	m = nextBook(t, s, c)
	if str(m, "type") != "snapshot" || num(obj(m, "data"), "u") != 1 {
		t.Fatalf("restart: %s %s", str(m, "type"), m["data"])
	}
	b.apply(t, m)
	b.matches(t, s, "BTC/USDT:USDT")
	m = nextBook(t, s, c)
	if gap := b.apply(t, m); gap != "" || b.u != 2 {
		t.Fatalf("after the restart: %s, u=%d", gap, b.u)
	}
	b.matches(t, s, "BTC/USDT:USDT")
	if _, _, ok := s.BookAt("BTC/USDT:USDT", u); ok && u > 2 {
		t.Fatal("BookAt still answers for an id from before the restart")
	}
}

// Drop, Silence, Garbage and Outage on the connections.
func TestConnectionFaults(t *testing.T) {
	s := start(t, Config{Seed: 12})
	c := dial(t, s, "spot")
	c.subscribe("publicTrade.BTCUSDT")
	s.Garbage()
	kinds := 0
	for range 3 {
		m := c.next()
		if m["raw"] != nil || strings.HasPrefix(str(m, "topic"), "mystery") {
			kinds++
		}
	}
	if kinds != 3 {
		t.Fatalf("garbage: %d odd frames of 3", kinds)
	}
	s.Silence()
	c.write(map[string]any{"op": "ping"})
	if _, err := c.read(200 * time.Millisecond); err != errTimeout {
		t.Fatalf("a silent connection answered: %v", err)
	}
	d := dial(t, s, "linear")
	d.write(map[string]any{"op": "ping"})
	d.next() // the session is registered
	s.Drop()
	if _, err := d.read(time.Second); err != errClosed {
		t.Fatalf("after Drop: %v", err)
	}
	s.Outage(true)
	if _, resp, err := dialRaw(s.URLs()["linear"]); err == nil || resp == nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("during the outage a dial gave %v", err)
	}
	if r := get(t, s, "/v5/market/time", ""); r.status != 200 {
		t.Fatalf("REST during the outage: %d", r.status)
	}
	s.Outage(false)
	e := dial(t, s, "linear")
	e.write(map[string]any{"op": "ping"})
	e.next()
	s.Throttle(100 * time.Millisecond)
	if r := get(t, s, "/v5/market/time", ""); r.status != 429 || s.Throttled() != 1 {
		t.Fatalf("throttled: HTTP %d, %d refused", r.status, s.Throttled())
	}
	s.Maintenance(true)
	if r := get(t, s, "/v5/market/time", ""); r.status != 503 {
		t.Fatalf("maintenance: HTTP %d", r.status)
	}
	s.Maintenance(false)
}

// Snapshots may precede the subscribe reply.
func TestSnapshotBeforeAck(t *testing.T) {
	s := start(t, Config{Seed: 13, SnapshotBeforeAck: true})
	c := dial(t, s, "linear")
	c.write(map[string]any{"op": "subscribe", "args": []string{"orderbook.50.BTCUSDT"}})
	if m := c.next(); str(m, "type") != "snapshot" {
		t.Fatalf("first frame %v", m)
	}
	if m := c.next(); str(m, "op") != "subscribe" {
		t.Fatalf("second frame %v", m)
	}
}

// The same seed makes the same market.
func TestSeedReproduces(t *testing.T) {
	a, b := start(t, Config{Seed: 14}), start(t, Config{Seed: 14})
	a.Step(300)
	b.Step(300)
	for _, sym := range a.Symbols() {
		if a.UpdateID(sym) != b.UpdateID(sym) {
			t.Fatalf("%s: u %d and %d", sym, a.UpdateID(sym), b.UpdateID(sym))
		}
		ab, _, _ := a.BookAt(sym, a.UpdateID(sym))
		bb, _, _ := b.BookAt(sym, b.UpdateID(sym))
		if len(ab) != len(bb) || !ab[0].Price.Equal(bb[0].Price) {
			t.Fatalf("%s: books differ", sym)
		}
	}
}
