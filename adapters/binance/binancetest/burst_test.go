package binancetest

import (
	"encoding/json"
	"testing"
	"time"
)

// TestDepthBurst sends a burst in two parts to a combined subscriber of
// the burst's stream, checking each update against the server's book, and
// checks that a raw connection and a subscriber of another depth stream
// get the same updates in their own forms.
func TestDepthBurst(t *testing.T) {
	s := start(t, Config{Seed: 5, History: 4096})
	c := dial(t, s, "/stream")
	c.subscribe(1, "btcusdt@depth@100ms")
	other := dial(t, s, "/stream")
	other.subscribe(1, "btcusdt@depth")
	rawc := dial(t, s, "/ws/btcusdt@depth@100ms")
	var snap map[string]json.RawMessage
	get(t, s, "/api/v3/depth", "symbol=BTCUSDT&limit=1000").decode(t, &snap)
	book := newLocalBook(snap)

	const n = 200
	burst, err := s.PrepareDepthBurst("BTC/USDT", n, 20)
	if err != nil {
		t.Fatal(err)
	}
	if burst.Len() != n || s.LastUpdateID("BTC/USDT") != burst.LastUpdateID() {
		t.Fatalf("burst of %d ending at %d, the server's book at %d", burst.Len(), burst.LastUpdateID(), s.LastUpdateID("BTC/USDT"))
	}
	burst.Send(0, n/2)
	burst.Send(n/2, n)

	for i := range n {
		m := c.next()
		if str(m, "stream") != "btcusdt@depth@100ms" || len(m) != 2 {
			t.Fatalf("update %d: %v", i, raw(m))
		}
		if got := len(mustMarshal(t, m)); got != burst.Bytes(i) {
			t.Fatalf("update %d: %d bytes, Bytes says %d", i, got, burst.Bytes(i))
		}
		ev := obj(m, "data")
		first, last := num(ev, "U"), num(ev, "u")
		if str(ev, "e") != "depthUpdate" || first != book.id+1 || last < first {
			t.Fatalf("update %d: U=%d u=%d after u=%d: %v", i, first, last, book.id, raw(ev))
		}
		var bids, asks [][2]string
		_ = json.Unmarshal(ev["b"], &bids)
		_ = json.Unmarshal(ev["a"], &asks)
		if len(bids) != 10 || len(asks) != 10 {
			t.Fatalf("update %d changes %d bids and %d asks, want 10 and 10", i, len(bids), len(asks))
		}
		book.apply(ev["b"], ev["a"])
		book.id = last
		book.sameAs(t, s, "BTC/USDT")
		if b, a := book.levels(); len(b) < minLevels || len(a) < minLevels || !b[0].Price.LessThan(a[0].Price) {
			t.Fatalf("update %d left %d bids and %d asks, best %v / %v", i, len(b), len(a), b[0].Price, a[0].Price)
		}

		if om := other.next(); str(om, "stream") != "btcusdt@depth" || string(om["data"]) != string(m["data"]) {
			t.Fatalf("update %d on btcusdt@depth: %v, want the data of %v", i, raw(om), raw(m))
		}
		if rm := rawc.next(); raw(rm) != raw(ev) {
			t.Fatalf("update %d on a raw connection: %v, want %v", i, raw(rm), raw(ev))
		}
	}
}

// TestDepthBurstWaitsForSlowClients sends a burst longer than a
// connection's queue to a client that reads only afterwards: nothing is
// dropped.
func TestDepthBurstWaitsForSlowClients(t *testing.T) {
	s := start(t, Config{Seed: 6})
	c := dial(t, s, "/stream")
	c.subscribe(1, "ethusdt@depth@100ms")
	first := s.LastUpdateID("ETH/USDT") + 1
	n := outQueue + 2000
	burst, err := s.PrepareDepthBurst("ETH/USDT", n, 4)
	if err != nil {
		t.Fatal(err)
	}
	sent := make(chan struct{})
	go func() {
		defer close(sent)
		burst.Send(0, n)
	}()
	time.Sleep(200 * time.Millisecond) // the queue fills
	next := first
	for i := range n {
		ev := obj(c.next(), "data")
		if num(ev, "U") != next {
			t.Fatalf("update %d: U=%d, want %d", i, num(ev, "U"), next)
		}
		next = num(ev, "u") + 1
	}
	<-sent
	if next-1 != burst.LastUpdateID() {
		t.Fatalf("the last update ended at %d, the burst at %d", next-1, burst.LastUpdateID())
	}
}

func TestDepthBurstRefusals(t *testing.T) {
	s := start(t, Config{Seed: 7})
	for _, tc := range []struct {
		symbol     string
		n, changes int
	}{{"BTC/USDT", 0, 20}, {"BTC/USDT", 1, 0}, {"BTC/USDT", 1, 41}, {"XRP/USDT", 1, 20}} {
		if _, err := s.PrepareDepthBurst(tc.symbol, tc.n, tc.changes); err == nil {
			t.Errorf("PrepareDepthBurst(%s, %d, %d) did not fail", tc.symbol, tc.n, tc.changes)
		}
	}
}

func mustMarshal(t *testing.T, m map[string]json.RawMessage) []byte {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
