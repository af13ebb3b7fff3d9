package bybittest

import (
	"encoding/json"
	"testing"
)

// TestBookBurst deepens a linear book to 200 levels, subscribes to
// orderbook.200, and sends a burst in two parts, checking each delta's
// update id, size and level count, and the local book against the
// server's in the middle and at the end.
func TestBookBurst(t *testing.T) {
	s := start(t, Config{Seed: 11, History: 512})
	const symbol = "BTC/USDT:USDT"
	if err := s.Deepen(symbol, 200); err != nil {
		t.Fatal(err)
	}
	c := dial(t, s, "linear")
	if ack := c.subscribe("orderbook.200.BTCUSDT"); string(ack["success"]) != "true" {
		t.Fatalf("subscribe: %s", ack["ret_msg"])
	}
	b := &localBook{}
	snap := c.until(func(m map[string]json.RawMessage) bool { return str(m, "topic") == "orderbook.200.BTCUSDT" })
	b.apply(t, snap)
	if str(snap, "type") != "snapshot" || len(b.bids) != 200 || len(b.asks) != 200 {
		t.Fatalf("a %s of %d bids and %d asks, want a snapshot of 200 each", str(snap, "type"), len(b.bids), len(b.asks))
	}

	const n = 300
	burst, err := s.PrepareBookBurst(symbol, 200, n, 20)
	if err != nil {
		t.Fatal(err)
	}
	if burst.Len() != n || burst.LastUpdateID() != s.UpdateID(symbol) {
		t.Fatalf("burst of %d ending at %d, the server's book at %d", burst.Len(), burst.LastUpdateID(), s.UpdateID(symbol))
	}
	burst.Send(0, n/3)
	burst.Send(n/3, n)
	for i := range n {
		raw := <-c.frames
		if len(raw) != burst.Bytes(i) {
			t.Fatalf("delta %d: %d bytes, Bytes says %d", i, len(raw), burst.Bytes(i))
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(raw, &m); err != nil || str(m, "topic") != "orderbook.200.BTCUSDT" || str(m, "type") != "delta" {
			t.Fatalf("delta %d: %s", i, raw)
		}
		var d struct{ B, A [][2]string }
		_ = json.Unmarshal(m["data"], &d)
		if len(d.B) != 10 || len(d.A) != 10 {
			t.Fatalf("delta %d changes %d bids and %d asks, want 10 and 10", i, len(d.B), len(d.A))
		}
		if gap := b.apply(t, m); gap != "" {
			t.Fatalf("delta %d: %s", i, gap)
		}
		if len(b.bids) < minLevels || len(b.asks) < minLevels || len(b.bids) > 200 || len(b.asks) > 200 {
			t.Fatalf("delta %d leaves %d bids and %d asks", i, len(b.bids), len(b.asks))
		}
		if i == n/2 {
			b.matches(t, s, symbol)
		}
	}
	if b.u != burst.LastUpdateID() {
		t.Fatalf("the local book is at %d, the burst ended at %d", b.u, burst.LastUpdateID())
	}
	b.matches(t, s, symbol)

	if err := s.Deepen(symbol, 200); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PrepareBookBurst(symbol, 50, 1, 2); err == nil {
		t.Error("a burst on orderbook.50 of a book 200 deep was prepared")
	}
	if _, err := s.PrepareBookBurst(symbol, 1, 1, 2); err == nil {
		t.Error("a burst on orderbook.1, a snapshot topic, was prepared")
	}
	if err := s.Deepen(symbol, 1001); err == nil {
		t.Error("a book was deepened to 1001 levels")
	}
}
