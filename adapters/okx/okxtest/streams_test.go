package okxtest

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/shopspring/decimal"
)

// localBook applies books pushes as a client would, by the documented
// rules, checking the chain and (when non-zero) the checksum.
type localBook struct {
	t          *testing.T
	bids, asks map[string]string
	seq        int64
}

func (b *localBook) apply(m bookMsg, snapshot bool) {
	b.t.Helper()
	if snapshot {
		if m.PrevSeqID != -1 {
			b.t.Fatalf("snapshot prevSeqId %d, want -1", m.PrevSeqID)
		}
		b.bids, b.asks = map[string]string{}, map[string]string{}
	} else if m.PrevSeqID != b.seq {
		b.t.Fatalf("prevSeqId %d after seqId %d", m.PrevSeqID, b.seq)
	}
	for _, side := range []struct {
		lv [][]string
		to map[string]string
	}{{m.Bids, b.bids}, {m.Asks, b.asks}} {
		for _, l := range side.lv {
			if len(l) != 4 || l[2] != "0" {
				b.t.Fatalf("level %v is not [px, sz, \"0\", count]", l)
			}
			if l[1] == "0" {
				delete(side.to, l[0])
			} else {
				side.to[l[0]] = l[1]
			}
		}
	}
	b.seq = m.SeqID
}

// sorted returns a side best first.
func sorted(side map[string]string, bids bool) [][2]string {
	out := make([][2]string, 0, len(side))
	for p, q := range side {
		out = append(out, [2]string{p, q})
	}
	less := func(i, j int) bool {
		a, b := decimal.RequireFromString(out[i][0]), decimal.RequireFromString(out[j][0])
		if bids {
			return a.GreaterThan(b)
		}
		return a.LessThan(b)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && less(j, j-1); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func TestBooksChainAndMatchTheServer(t *testing.T) {
	for _, withSum := range []bool{false, true} {
		s := start(t, Config{Seed: 5, Checksum: withSum})
		c := dial(t, s, "public")
		id := s.ID("BTC/USDT")
		c.subscribe(map[string]string{"channel": "books", "instId": id})
		ack := c.next()
		if str(ack, "event") != "subscribe" || str(ack, "connId") == "" {
			t.Fatalf("ack %v", ack)
		}
		snap := c.until(isChannel("books"))
		if str(snap, "action") != "snapshot" {
			t.Fatalf("first push %s, want a snapshot", str(snap, "action"))
		}
		lb := &localBook{t: t}
		lb.apply(bookOf(t, snap), true)
		for range 200 {
			s.Step(1)
		}
		updates := 0
		for lb.seq != s.SeqID(id) {
			m := c.until(isChannel("books"))
			d := bookOf(t, m)
			lb.apply(d, false)
			updates++
			sum := Checksum(head(sorted(lb.bids, true)), head(sorted(lb.asks, false)))
			if withSum && d.Checksum != sum {
				t.Fatalf("checksum %d, local book's %d", d.Checksum, sum)
			}
			if !withSum && d.Checksum != 0 {
				t.Fatalf("checksum %d with checksums off, want 0", d.Checksum)
			}
		}
		bids, asks, ok := s.BookAt(id, lb.seq)
		if !ok || len(bids) != len(lb.bids) || len(asks) != len(lb.asks) {
			t.Fatalf("BookAt(%d): %v, %d/%d levels; local %d/%d", lb.seq, ok, len(bids), len(asks), len(lb.bids), len(lb.asks))
		}
		for _, l := range bids {
			if lb.bids[l.Price.String()] != l.Amount.String() {
				t.Fatalf("bid %s: server %s, local %s", l.Price, l.Amount, lb.bids[l.Price.String()])
			}
		}
		if updates == 0 {
			t.Fatal("no updates")
		}
	}
}

func head(l [][2]string) [][2]string { return l[:min(25, len(l))] }

func TestDocumentedSequenceCases(t *testing.T) {
	s := start(t, Config{Seed: 6})
	c := dial(t, s, "public")
	id := s.ID("ETH/USDT")
	c.subscribe(map[string]string{"channel": "books", "instId": id})
	lb := &localBook{t: t}
	lb.apply(bookOf(t, c.until(isChannel("books"))), true)

	s.NoChange(id)
	d := bookOf(t, c.until(isChannel("books")))
	if d.SeqID != d.PrevSeqID || d.SeqID != lb.seq || len(d.Bids)+len(d.Asks) != 0 {
		t.Fatalf("no-change update %+v after seqId %d", d, lb.seq)
	}
	lb.apply(d, false)

	s.ResetSequence(id)
	for s.SeqID(id) == lb.seq {
		s.Step(1)
	}
	d = bookOf(t, c.until(isChannel("books")))
	if d.SeqID >= d.PrevSeqID || d.PrevSeqID != lb.seq {
		t.Fatalf("reset %d -> %d after %d, want a smaller seqId chained to the last", d.PrevSeqID, d.SeqID, lb.seq)
	}
	lb.apply(d, false)
	if _, _, ok := s.BookAt(id, d.SeqID); !ok {
		t.Fatal("BookAt does not know the seqId after a reset")
	}

	s.Gap(id)
	before := lb.seq
	for s.SeqID(id) == before {
		s.Step(1)
	}
	lost := s.SeqID(id)
	for s.SeqID(id) == lost {
		s.Step(1)
	}
	d = bookOf(t, c.until(isChannel("books")))
	if d.PrevSeqID == lb.seq || d.PrevSeqID != lost {
		t.Fatalf("after a gap prevSeqId %d (last seen %d, lost %d)", d.PrevSeqID, lb.seq, lost)
	}

	s.CorruptChecksum(id)
	for s.SeqID(id) == d.SeqID {
		s.Step(1)
	}
	if d = bookOf(t, c.until(isChannel("books"))); d.Checksum == 0 {
		t.Fatal("a corrupted checksum is 0")
	}
}

func TestTopChannelsTradesTickersAndCandles(t *testing.T) {
	s := start(t, Config{Seed: 7})
	id := s.ID("BTC/USDT:USDT")
	c := dial(t, s, "public")
	for _, ch := range []string{"books5", "bbo-tbt", "trades", "tickers"} {
		c.subscribe(map[string]string{"channel": ch, "instId": id})
	}
	biz := dial(t, s, "business")
	biz.subscribe(map[string]string{"channel": "candle1m", "instId": id})
	if str(biz.next(), "event") != "subscribe" {
		t.Fatal("candle1m not acknowledged on /business")
	}
	seen := map[string]bool{}
	for len(seen) < 4 {
		s.Step(20)
		m := c.next()
		if m["event"] == nil {
			seen[channel(m)] = true
		}
	}
	d := bookOf(t, c.until(isChannel("bbo-tbt")))
	if len(d.Bids) != 1 || len(d.Asks) != 1 || d.SeqID == 0 {
		t.Fatalf("bbo-tbt %+v", d)
	}
	var rows [][]string
	if err := json.Unmarshal(biz.until(isChannel("candle1m"))["data"], &rows); err != nil || len(rows) != 1 || len(rows[0]) != 9 {
		t.Fatalf("candle push %v: %v", rows, err)
	}
	pub := dial(t, s, "public")
	pub.subscribe(map[string]string{"channel": "candle1m", "instId": id}, map[string]string{"channel": "books", "instId": "NOPE-USDT"})
	if m := pub.next(); str(m, "code") != "64001" {
		t.Fatalf("candles on /public: %v", m)
	}
	if m := pub.next(); str(m, "code") != "60018" {
		t.Fatalf("unknown instId: %v", m)
	}
}

func TestPingPongAndIdleCut(t *testing.T) {
	s := start(t, Config{Seed: 8, IdleTimeout: 300 * time.Millisecond})
	c := dial(t, s, "public")
	for range 4 { // pings keep it open past the idle timeout
		time.Sleep(150 * time.Millisecond)
		if err := c.ws.WriteMessage(websocket.TextMessage, []byte("ping")); err != nil {
			t.Fatal(err)
		}
		if got := string(c.nextRaw()); got != "pong" {
			t.Fatalf("ping answered %q", got)
		}
	}
	_ = c.ws.SetReadDeadline(time.Now().Add(2 * time.Second))
	if _, _, err := c.ws.ReadMessage(); err == nil {
		t.Fatal("an idle connection was not cut")
	}
}

func TestRESTSnapshotMode(t *testing.T) {
	s := start(t, Config{Seed: 9, RESTSnapshot: true})
	id := s.ID("BTC/USDT")
	c := dial(t, s, "public")
	c.subscribe(map[string]string{"channel": "books", "instId": id})
	c.next()
	r := get(t, s, "/api/v5/market/books?instId="+id+"&sz=400")
	snapSeq := int64(r.obj(t, 0)["seqId"].(float64))
	s.Step(50)
	m := c.until(isChannel("books"))
	if str(m, "action") != "update" {
		t.Fatal("a snapshot was pushed in RESTSnapshot mode")
	}
	if d := bookOf(t, m); d.PrevSeqID < snapSeq {
		t.Fatalf("first update prevSeqId %d precedes the REST snapshot's %d", d.PrevSeqID, snapSeq)
	}
}
