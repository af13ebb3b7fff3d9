package okxtest

import (
	"testing"
)

// TestBooksBurst deepens a book to 400 levels, subscribes, and sends a
// burst in two parts, checking each update's chain, size and checksum
// (on and off), and the local book against the server's at the end.
func TestBooksBurst(t *testing.T) {
	for _, withSum := range []bool{false, true} {
		s := start(t, Config{Seed: 9, Checksum: withSum, History: 64})
		id := s.ID("BTC/USDT")
		if err := s.Deepen(id, 400); err != nil {
			t.Fatal(err)
		}
		c := dial(t, s, "public")
		c.subscribe(map[string]string{"channel": "books", "instId": id})
		lb := &localBook{t: t}
		snap := bookOf(t, c.until(isChannel("books")))
		if len(snap.Bids) != 400 || len(snap.Asks) != 400 {
			t.Fatalf("snapshot of %d bids and %d asks, want 400 each", len(snap.Bids), len(snap.Asks))
		}
		lb.apply(snap, true)

		const n = 300
		burst, err := s.PrepareBooksBurst(id, n, 20)
		if err != nil {
			t.Fatal(err)
		}
		if burst.Len() != n || burst.LastSeqID() != s.SeqID(id) {
			t.Fatalf("burst of %d ending at %d, the server's book at %d", burst.Len(), burst.LastSeqID(), s.SeqID(id))
		}
		burst.Send(0, n/3)
		burst.Send(n/3, n)
		for i := range n {
			raw := c.nextRaw()
			if len(raw) != burst.Bytes(i) {
				t.Fatalf("update %d: %d bytes, Bytes says %d", i, len(raw), burst.Bytes(i))
			}
			var m map[string]jsonRaw
			if err := jsonUnmarshal(raw, &m); err != nil || !isChannel("books")(m) || str(m, "action") != "update" {
				t.Fatalf("update %d: %s", i, raw)
			}
			d := bookOf(t, m)
			if len(d.Bids)+len(d.Asks) != 20 {
				t.Fatalf("update %d changes %d levels, want 20", i, len(d.Bids)+len(d.Asks))
			}
			lb.apply(d, false)
			if len(lb.bids) < minLevels || len(lb.asks) < minLevels || len(lb.bids) > 400 || len(lb.asks) > 400 {
				t.Fatalf("update %d leaves %d bids and %d asks", i, len(lb.bids), len(lb.asks))
			}
			sum := Checksum(head(sorted(lb.bids, true)), head(sorted(lb.asks, false)))
			if withSum && d.Checksum != sum || !withSum && d.Checksum != 0 {
				t.Fatalf("update %d: checksum %d, the local book's %d (checksums on: %v)", i, d.Checksum, sum, withSum)
			}
		}
		if lb.seq != burst.LastSeqID() {
			t.Fatalf("the local book is at %d, the burst ended at %d", lb.seq, burst.LastSeqID())
		}
		bids, asks, ok := s.BookAt("BTC/USDT", lb.seq)
		if !ok || len(bids) != len(lb.bids) || len(asks) != len(lb.asks) {
			t.Fatalf("BookAt(%d): %v, %d/%d levels; local %d/%d", lb.seq, ok, len(bids), len(asks), len(lb.bids), len(lb.asks))
		}
		for _, l := range append(bids, asks...) {
			got, ok := lb.bids[l.Price.String()]
			if !ok {
				got = lb.asks[l.Price.String()]
			}
			if got != l.Amount.String() {
				t.Fatalf("level %s: server %s, local %s", l.Price, l.Amount, got)
			}
		}
	}
}

// TestBooksBurstWaitsForSlowClients sends a burst longer than a
// connection's queue to a client that reads only afterwards: nothing is
// dropped.
func TestBooksBurstWaitsForSlowClients(t *testing.T) {
	s := start(t, Config{Seed: 10})
	id := s.ID("ETH/USDT")
	c := dial(t, s, "public")
	c.subscribe(map[string]string{"channel": "books", "instId": id})
	lb := &localBook{t: t}
	lb.apply(bookOf(t, c.until(isChannel("books"))), true)
	n := outQueue + 2000
	burst, err := s.PrepareBooksBurst(id, n, 4)
	if err != nil {
		t.Fatal(err)
	}
	sent := make(chan struct{})
	go func() {
		defer close(sent)
		burst.Send(0, n)
	}()
	for range n {
		lb.apply(bookOf(t, c.next()), false)
	}
	<-sent
	if lb.seq != burst.LastSeqID() {
		t.Fatalf("the client is at %d, the burst ended at %d", lb.seq, burst.LastSeqID())
	}
	if _, err := s.PrepareBooksBurst(id, 1, 41); err == nil {
		t.Error("a burst of 41 changes an update was prepared")
	}
	if err := s.Deepen("BTC-USDT", 401); err == nil {
		t.Error("a book was deepened to 401 levels")
	}
}
