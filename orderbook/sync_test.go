package orderbook

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/unified"
)

// ids builds an update with first, last and prev ids.
func ids(first, last, prev int64, cs ...Change) Update[Change] {
	return Update[Change]{IDs: IDs{First: first, Last: last, Prev: prev}, Changes: cs}
}

// wantGap checks that err is a *GapError with the expected and received ids.
func wantGap(t *testing.T, err error, expected, got int64) {
	t.Helper()
	var g *GapError
	if !errors.As(err, &g) {
		t.Fatalf("error %v, want a *GapError", err)
	}
	if !errors.Is(err, errors.InvalidNonce) || !errors.Is(err, errors.NetworkError) {
		t.Errorf("gap error %v does not match InvalidNonce and its ancestors", err)
	}
	if errors.KindOf(err) != errors.InvalidNonce {
		t.Errorf("KindOf(%v) = %v", err, errors.KindOf(err))
	}
	if g.Expected != expected || g.Got != got {
		t.Errorf("gap expected %d got %d, want expected %d got %d (%v)", g.Expected, g.Got, expected, got, err)
	}
	if !strings.Contains(err.Error(), "expected") {
		t.Errorf("gap message %q", err)
	}
}

// mustOK fails on err.
func mustOK(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestSyncUpdateIDRange(t *testing.T) {
	b := NewBook("BNB/BTC")
	s := NewSync[Change](b, UpdateIDRange{}, 100)

	// Buffered before the snapshot (from the stream, as binance documents).
	mustOK(t, s.OnDelta(ids(90, 95, 0, bid(t, "1", "9"))))  // stale: the snapshot holds it
	mustOK(t, s.OnDelta(ids(96, 101, 0, bid(t, "1", "2")))) // bridges snapshot id + 1
	mustOK(t, s.OnDelta(ids(102, 105, 0, ask(t, "3", "4"))))
	if s.Buffered() != 3 || s.Synced() {
		t.Fatalf("buffered %d synced %v", s.Buffered(), s.Synced())
	}
	if _, err := b.Snapshot(0); !errors.Is(err, ErrNotSynced) {
		t.Fatalf("read before the snapshot: %v", err)
	}
	mustOK(t, s.OnSnapshot(upd(100, bid(t, "1", "1"), ask(t, "3", "1"))))
	if got, want := snap(t, b), "b 1@2 | a 3@4"; got != want {
		t.Errorf("book %s, want %s", got, want)
	}
	if !s.Synced() || s.Last() != 105 || b.Nonce() != 105 || s.Buffered() != 0 {
		t.Errorf("synced %v last %d nonce %d buffered %d", s.Synced(), s.Last(), b.Nonce(), s.Buffered())
	}

	// Live: an overlap is fine, a duplicate is skipped, a gap is an error.
	mustOK(t, s.OnDelta(ids(104, 107, 0, bid(t, "1", "3"))))
	mustOK(t, s.OnDelta(ids(106, 107, 0, bid(t, "1", "99"))))
	if lv, _ := b.Best(Bid); lv.Amount.String() != "3" {
		t.Errorf("a duplicate update was applied: %s", lv.Amount)
	}
	err := s.OnDelta(ids(109, 110, 0, bid(t, "1", "5")))
	wantGap(t, err, 108, 109)
	if b.State() != Invalid || s.Synced() {
		t.Fatalf("after a gap: state %v synced %v", b.State(), s.Synced())
	}
	if _, rerr := b.Snapshot(0); rerr != err {
		t.Errorf("read after a gap: %v, want the gap error", rerr)
	}
	// The update that showed the gap and later ones wait for a snapshot.
	mustOK(t, s.OnDelta(ids(111, 112, 0, ask(t, "3", "6"))))
	if s.Buffered() != 2 {
		t.Errorf("buffered %d after the gap, want 2", s.Buffered())
	}

	// A snapshot older than the buffered updates: error, buffer kept.
	err = s.OnSnapshot(upd(105, bid(t, "1", "1"), ask(t, "3", "1")))
	wantGap(t, err, 106, 109)
	if s.Buffered() != 2 || b.State() != Invalid {
		t.Errorf("after a too-old snapshot: buffered %d state %v", s.Buffered(), b.State())
	}
	// A newer one bridges them.
	mustOK(t, s.OnSnapshot(upd(109, bid(t, "1", "7"), ask(t, "3", "1"))))
	if got, want := snap(t, b), "b 1@5 | a 3@6"; got != want {
		t.Errorf("book %s, want %s", got, want)
	}
}

func TestSyncPrevFinalID(t *testing.T) {
	b := NewBook("BTC/USDT:USDT")
	s := NewSync[Change](b, PrevFinalID{}, 100)
	mustOK(t, s.OnDelta(ids(80, 99, 70, bid(t, "10", "9"))))  // u < L: dropped
	mustOK(t, s.OnDelta(ids(95, 105, 90, bid(t, "10", "2")))) // U <= L <= u
	mustOK(t, s.OnDelta(ids(106, 110, 105, ask(t, "11", "3"))))
	mustOK(t, s.OnSnapshot(upd(100, bid(t, "10", "1"), ask(t, "11", "1"))))
	if got, want := snap(t, b), "b 10@2 | a 11@3"; got != want || s.Last() != 110 {
		t.Errorf("book %s (last %d), want %s", got, s.Last(), want)
	}
	// Ids need not be contiguous, only chained.
	mustOK(t, s.OnDelta(ids(140, 150, 110, ask(t, "11", "4"))))
	mustOK(t, s.OnDelta(ids(140, 150, 110, ask(t, "11", "99")))) // duplicate
	wantGap(t, s.OnDelta(ids(160, 170, 155)), 150, 155)

	// First update after the snapshot: following it by pu is enough.
	b2 := NewBook("X")
	s2 := NewSync[Change](b2, PrevFinalID{}, 10)
	mustOK(t, s2.OnSnapshot(upd(100, bid(t, "10", "1"))))
	mustOK(t, s2.OnDelta(ids(101, 104, 100, bid(t, "10", "2"))))
	// A snapshot older than the first update: neither straddled nor followed.
	b3 := NewBook("X")
	s3 := NewSync[Change](b3, PrevFinalID{}, 10)
	mustOK(t, s3.OnDelta(ids(105, 110, 104)))
	wantGap(t, s3.OnSnapshot(upd(100, bid(t, "10", "1"))), 100, 105)
	// u == L is kept and applied (futures drop only u < L).
	b4 := NewBook("X")
	s4 := NewSync[Change](b4, PrevFinalID{}, 10)
	mustOK(t, s4.OnDelta(ids(98, 100, 97, bid(t, "10", "5"))))
	mustOK(t, s4.OnSnapshot(upd(100, bid(t, "10", "1"))))
	if lv, _ := b4.Best(Bid); lv.Amount.String() != "5" {
		t.Errorf("the update ending at the snapshot id was not applied")
	}
}

func TestSyncPrevSeqID(t *testing.T) {
	b := NewBook("BTC-USDT")
	s := NewSync[Change](b, PrevSeqID{}, 0)
	// Before the snapshot, updates are ignored (the snapshot is the stream's
	// first message).
	mustOK(t, s.OnDelta(ids(0, 9, 8, bid(t, "1", "9"))))
	if s.Buffered() != 0 {
		t.Errorf("buffered %d with a zero limit", s.Buffered())
	}
	// The docs' chain: snapshot (-1, 10) → (10, 15) → (15, 15) heartbeat →
	// (15, 3) sequence reset → (3, 5).
	mustOK(t, s.OnSnapshot(ids(0, 10, -1, bid(t, "8476.97", "256"), ask(t, "8476.98", "415"))))
	mustOK(t, s.OnDelta(ids(0, 15, 10, ask(t, "8476.98", "0"), ask(t, "8477", "7"))))
	mustOK(t, s.OnDelta(ids(0, 15, 15)))
	mustOK(t, s.OnDelta(ids(0, 3, 15, bid(t, "8476.97", "250"))))
	mustOK(t, s.OnDelta(ids(0, 5, 3, bid(t, "8475.55", "101"))))
	if got, want := snap(t, b), "b 8476.97@250 8475.55@101 | a 8477@7"; got != want || b.Nonce() != 5 {
		t.Errorf("book %s nonce %d, want %s", got, b.Nonce(), want)
	}
	wantGap(t, s.OnDelta(ids(0, 7, 6)), 5, 6)
	// Until the next snapshot, updates are ignored and reads fail.
	mustOK(t, s.OnDelta(ids(0, 8, 7, bid(t, "1", "1"))))
	if _, err := b.Snapshot(0); !errors.Is(err, errors.InvalidNonce) {
		t.Errorf("read after a gap: %v", err)
	}
	mustOK(t, s.OnSnapshot(ids(0, 20, -1, bid(t, "9000", "1"), ask(t, "9001", "1"))))
	if got, want := snap(t, b), "b 9000@1 | a 9001@1"; got != want {
		t.Errorf("book %s after resnapshot, want %s (no ghosts)", got, want)
	}
}

// TestSyncPrevSeqIDFromREST bridges a REST snapshot (OKX's books since
// 2026) with the updates buffered while it was fetched: those it already
// holds are skipped, the one naming its seqId applies, and a snapshot that
// is not on the chain is a gap.
func TestSyncPrevSeqIDFromREST(t *testing.T) {
	b := NewBook("BTC-USDT")
	s := NewSync[Change](b, PrevSeqID{}, 10)
	mustOK(t, s.OnDelta(ids(0, 10, 7, bid(t, "1", "1"))))  // in the snapshot
	mustOK(t, s.OnDelta(ids(0, 10, 10)))                   // a heartbeat it holds too
	mustOK(t, s.OnDelta(ids(0, 12, 10, bid(t, "2", "3")))) // the first after it
	mustOK(t, s.OnDelta(ids(0, 14, 12, ask(t, "5", "1")))) // and the next
	mustOK(t, s.OnSnapshot(ids(0, 10, -1, bid(t, "1", "1"), ask(t, "6", "2"))))
	if got, want := snap(t, b), "b 2@3 1@1 | a 5@1 6@2"; got != want || b.Nonce() != 14 {
		t.Errorf("book %s nonce %d, want %s at 14", got, b.Nonce(), want)
	}
	// Once the chain runs, an old update is a gap, not a skip.
	wantGap(t, s.OnDelta(ids(0, 12, 10)), 14, 10)

	// A snapshot between two updates' ids was not taken on the chain.
	b = NewBook("BTC-USDT")
	s = NewSync[Change](b, PrevSeqID{}, 10)
	mustOK(t, s.OnDelta(ids(0, 12, 10, bid(t, "2", "3"))))
	wantGap(t, s.OnSnapshot(ids(0, 11, -1, bid(t, "1", "1"))), 11, 10)
}

func TestSyncSequenceWithRestart(t *testing.T) {
	b := NewBook("BTCUSDT")
	s := NewSync[Change](b, Sequence{Restart: 1}, 0)
	mustOK(t, s.OnSnapshot(upd(100, bid(t, "16493.50", "0.006"), ask(t, "16611.00", "0.029"))))
	mustOK(t, s.OnDelta(upd(101, bid(t, "16493.50", "0.010"))))
	mustOK(t, s.OnDelta(upd(101, bid(t, "16493.50", "9")))) // duplicate
	mustOK(t, s.OnDelta(upd(99, bid(t, "16493.50", "9"))))  // stale
	if lv, _ := b.Best(Bid); lv.Amount.String() != "0.010" {
		t.Errorf("best bid amount %s", lv.Amount)
	}
	// u == 1: the service restarted and the message is a full book.
	mustOK(t, s.OnDelta(upd(1, bid(t, "17000.00", "1"), ask(t, "17001.00", "2"))))
	if got, want := snap(t, b), "b 17000@1 | a 17001@2"; got != want || s.Last() != 1 {
		t.Errorf("book %s last %d, want %s", got, s.Last(), want)
	}
	mustOK(t, s.OnDelta(upd(2, ask(t, "17001.00", "3"))))
	wantGap(t, s.OnDelta(upd(4, ask(t, "17001.00", "3"))), 3, 4)
	// A snapshot message resets at any time.
	mustOK(t, s.OnSnapshot(upd(50, bid(t, "1", "1"), ask(t, "2", "1"))))
	if got := snap(t, b); got != "b 1@1 | a 2@1" {
		t.Errorf("book %s", got)
	}
	// While waiting for a snapshot, a restart message is one.
	wantGap(t, s.OnDelta(upd(52)), 51, 52)
	mustOK(t, s.OnDelta(upd(53, bid(t, "5", "5")))) // ignored: waiting
	mustOK(t, s.OnDelta(upd(1, bid(t, "3", "1"), ask(t, "4", "1"))))
	if got := snap(t, b); got != "b 3@1 | a 4@1" || !s.Synced() {
		t.Errorf("book %s synced %v after a restart message", got, s.Synced())
	}
}

func TestSyncPlainSequenceBuffered(t *testing.T) {
	b := NewBook("XBTUSDTM")
	s := NewSync[Change](b, Sequence{}, 10)
	mustOK(t, s.OnDelta(upd(1000, bid(t, "90000", "9")))) // the snapshot holds it
	mustOK(t, s.OnDelta(upd(1001, bid(t, "90000", "2"))))
	mustOK(t, s.OnSnapshot(upd(1000, bid(t, "90000", "1"), ask(t, "90001", "1"))))
	if lv, _ := b.Best(Bid); lv.Amount.String() != "2" || s.Last() != 1001 {
		t.Errorf("best bid %s last %d", lv.Amount, s.Last())
	}
	wantGap(t, s.OnDelta(upd(1003)), 1002, 1003)
}

func TestSyncPerChangeSequence(t *testing.T) {
	// KuCoin spot: the first update after the snapshot overlaps it; its
	// changes numbered at or below the snapshot's sequence are skipped.
	b := NewBook("BTC-USDT")
	s := NewSync[Change](b, UpdateIDRange{}, 10)
	c := func(ch Change, seq int64) Change { ch.Seq = seq; return ch }
	mustOK(t, s.OnDelta(ids(99, 102, 0,
		c(bid(t, "67993.3", "5"), 99),
		c(ask(t, "67994.0", "1.5"), 101),
		c(bid(t, "67990.0", "2"), 102))))
	mustOK(t, s.OnSnapshot(upd(100, bid(t, "67993.3", "1"), ask(t, "67994.0", "1"))))
	if got, want := snap(t, b), "b 67993.3@1 67990@2 | a 67994@1.5"; got != want {
		t.Errorf("book %s, want %s", got, want)
	}
}

func TestSyncIncreasingAndUnsequenced(t *testing.T) {
	b := NewBook("BTCUSDT")
	s := NewSync[Change](b, Increasing{}, 0)
	mustOK(t, s.OnSnapshot(upd(10, bid(t, "1", "1"))))
	mustOK(t, s.OnDelta(upd(15, bid(t, "1", "2"))))
	mustOK(t, s.OnDelta(upd(12, bid(t, "1", "3")))) // out of order: dropped
	if lv, _ := b.Best(Bid); lv.Amount.String() != "2" {
		t.Errorf("amount %s", lv.Amount)
	}
	u := NewSync[Change](NewBook("X"), Unsequenced{}, 0)
	mustOK(t, u.OnSnapshot(upd(0, bid(t, "1", "1"))))
	mustOK(t, u.OnDelta(upd(0, bid(t, "1", "2"))))
	if !u.Synced() {
		t.Errorf("unsequenced sync not synced")
	}
}

func TestSyncBufferOverflow(t *testing.T) {
	b := NewBook("X")
	s := NewSync[Change](b, UpdateIDRange{}, 3)
	for i := int64(1); i <= 3; i++ {
		mustOK(t, s.OnDelta(ids(i, i, 0, bid(t, "1", "1"))))
	}
	err := s.OnDelta(ids(4, 4, 0, bid(t, "1", "1")))
	if !errors.Is(err, errors.InvalidNonce) || !strings.Contains(err.Error(), "overflow") {
		t.Fatalf("overflow error %v", err)
	}
	if s.Buffered() != 0 {
		t.Errorf("buffer not emptied on overflow: %d", s.Buffered())
	}
	if _, rerr := b.Snapshot(0); rerr != err {
		t.Errorf("read after overflow: %v", rerr)
	}
	// The sync starts again: buffer, then a snapshot that bridges.
	mustOK(t, s.OnDelta(ids(5, 6, 0, bid(t, "1", "6"))))
	mustOK(t, s.OnSnapshot(upd(5, bid(t, "1", "5"))))
	if lv, _ := b.Best(Bid); lv.Amount.String() != "6" || !s.Synced() {
		t.Errorf("after restart: amount %s synced %v", lv.Amount, s.Synced())
	}
}

func TestSyncRestartIgnoresTheOldStream(t *testing.T) {
	b := NewBook("X")
	s := NewSync[Change](b, UpdateIDRange{}, 10)
	mustOK(t, s.OnSnapshot(upd(10, bid(t, "1", "1"), bid(t, "0.5", "1"), ask(t, "2", "1"))))
	wantGap(t, s.OnDelta(ids(20, 25, 0)), 11, 20)
	if s.Buffered() != 1 {
		t.Fatalf("the gap update is not buffered for a later snapshot")
	}
	s.Restart()
	if s.Buffered() != 0 || s.Synced() || b.State() != Syncing {
		t.Fatalf("after Restart: buffered %d synced %v state %v", s.Buffered(), s.Synced(), b.State())
	}
	if _, err := b.Snapshot(0); !errors.Is(err, ErrNotSynced) {
		t.Errorf("read after Restart: %v", err)
	}
	// The fresh snapshot replaces everything: 0.5 must not come back.
	mustOK(t, s.OnSnapshot(upd(30, bid(t, "1.5", "1"), ask(t, "2", "2"))))
	if got, want := snap(t, b), "b 1.5@1 | a 2@2"; got != want {
		t.Errorf("book %s, want %s", got, want)
	}
}

func TestSyncAfterChecksumFailure(t *testing.T) {
	b := NewBook("BTCUSDT")
	s := NewSync[Change](b, Increasing{}, 0)
	mustOK(t, s.OnSnapshot(upd(1, bid(t, "3366.1", "7"), ask(t, "3366.8", "9"))))
	if err := b.VerifyChecksum(Interleaved25, 12345); !errors.Is(err, errors.ChecksumError) {
		t.Fatalf("VerifyChecksum: %v", err)
	}
	// The Sync sees the book is invalid and waits for a snapshot.
	mustOK(t, s.OnDelta(upd(2, bid(t, "3366.1", "8"))))
	if s.Synced() {
		t.Errorf("Sync still synced after a checksum failure")
	}
	if _, err := b.Snapshot(0); !errors.Is(err, errors.ChecksumError) {
		t.Errorf("read: %v", err)
	}
	mustOK(t, s.OnSnapshot(upd(3, bid(t, "3366.1", "7"), ask(t, "3366.8", "9"))))
	if !s.Synced() {
		t.Errorf("not synced after the snapshot")
	}
}

func TestSyncBadUpdateInvalidates(t *testing.T) {
	b := NewBook("X")
	s := NewSync[Change](b, Sequence{}, 5)
	mustOK(t, s.OnDelta(upd(2, Change{Side: Bid, Price: num(t, "1"), Amount: num(t, "-1")})))
	mustOK(t, s.OnDelta(upd(3, bid(t, "1", "3"))))
	// Replay meets the malformed update: the book is invalid and the bad
	// update is not kept.
	if err := s.OnSnapshot(upd(1, bid(t, "1", "1"))); !errors.Is(err, errors.BadResponse) {
		t.Fatalf("replay of a bad update: %v", err)
	}
	if s.Buffered() != 1 {
		t.Errorf("buffered %d, want the one after the bad update", s.Buffered())
	}
	// A crossed update live.
	mustOK(t, s.OnSnapshot(upd(3, bid(t, "1", "1"), ask(t, "2", "1"))))
	if err := s.OnDelta(upd(4, bid(t, "2", "1"))); !errors.Is(err, errors.InvalidNonce) || s.Synced() {
		t.Errorf("crossed update: %v, synced %v", err, s.Synced())
	}
	if s.Buffered() != 0 {
		t.Errorf("a crossed update was buffered")
	}
}

func TestSyncDrivesAnL3Book(t *testing.T) {
	b := NewL3Book[int64]("tBTCUSD", IDPriority)
	s := NewSync[OrderChange[int64]](b, Sequence{}, 4)
	oc := func(id int64, sd Side, price, amount string) OrderChange[int64] {
		return OrderChange[int64]{ID: id, Side: sd, Price: num(t, price), Amount: num(t, amount)}
	}
	mustOK(t, s.OnDelta(Update[OrderChange[int64]]{IDs: IDs{Last: 11}, Changes: []OrderChange[int64]{oc(3, Bid, "100", "2")}}))
	mustOK(t, s.OnSnapshot(Update[OrderChange[int64]]{IDs: IDs{Last: 10}, Changes: []OrderChange[int64]{
		oc(1, Bid, "100", "1"), oc(2, Ask, "101", "1"),
	}}))
	if got, want := snap(t, b), "b 100@3 | a 101@1"; got != want {
		t.Errorf("book %s, want %s", got, want)
	}
	wantGap(t, s.OnDelta(Update[OrderChange[int64]]{IDs: IDs{Last: 13}}), 12, 13)
}

// ccxtCase loads one watchOrderBook case of CCXT's static WebSocket fixtures.
func ccxtCase(t *testing.T, exchange, description string) map[string]any {
	t.Helper()
	path := "../../shared/conformance/ccxt/ws/" + exchange + ".json"
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s not found: the CCXT fixtures live beside the repository", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Methods map[string][]map[string]any `json:"methods"`
	}
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	if err := d.Decode(&f); err != nil {
		t.Fatal(err)
	}
	for _, c := range f.Methods["watchOrderBook"] {
		if c["description"] == description {
			return c
		}
	}
	t.Fatalf("no watchOrderBook case %q in %s", description, path)
	return nil
}

func jsonInt(t *testing.T, v any) int64 {
	t.Helper()
	n, err := v.(json.Number).Int64()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// replayBinance feeds a CCXT binance case through a Sync — the deltas first
// (buffered, as they arrive while the snapshot is fetched), then the REST
// snapshot — and compares the book with CCXT's parsed result.
func replayBinance(t *testing.T, c map[string]any, checker Checker) {
	snapshot := c["httpResponse"].(map[string]any)
	b := NewBook(c["input"].([]any)[0].(string))
	s := NewSync[Change](b, checker, 100)
	for _, m := range c["messages"].([]any) {
		msg := m.(map[string]any)
		if msg["e"] != "depthUpdate" {
			continue
		}
		u := Update[Change]{
			IDs:     IDs{First: jsonInt(t, msg["U"]), Last: jsonInt(t, msg["u"])},
			Time:    time.UnixMilli(jsonInt(t, msg["E"])).UTC(),
			Changes: append(wireLevels(t, Bid, msg["b"]), wireLevels(t, Ask, msg["a"])...),
		}
		if pu, ok := msg["pu"]; ok {
			u.Prev = jsonInt(t, pu)
		}
		mustOK(t, s.OnDelta(u))
	}
	mustOK(t, s.OnSnapshot(Update[Change]{
		IDs:     IDs{Last: jsonInt(t, snapshot["lastUpdateId"])},
		Changes: append(wireLevels(t, Bid, snapshot["bids"]), wireLevels(t, Ask, snapshot["asks"])...),
	}))
	ob, err := b.Snapshot(0)
	mustOK(t, err)
	want := c["parsedResponse"].(map[string]any)
	if ob.Nonce != jsonInt(t, want["nonce"]) || ob.Timestamp.UnixMilli() != jsonInt(t, want["timestamp"]) || ob.Symbol != want["symbol"] {
		t.Errorf("nonce %d time %v symbol %s; CCXT says %v %v %v", ob.Nonce, ob.Timestamp, ob.Symbol, want["nonce"], want["timestamp"], want["symbol"])
	}
	for name, got := range map[string][]decimalPair{"bids": pairs(ob.Bids), "asks": pairs(ob.Asks)} {
		rows := want[name].([]any)
		if len(rows) != len(got) {
			t.Errorf("%s: %d levels, CCXT has %d", name, len(got), len(rows))
			continue
		}
		for i, r := range rows {
			p := decimal.RequireFromString(r.([]any)[0].(json.Number).String())
			a := decimal.RequireFromString(r.([]any)[1].(json.Number).String())
			if !got[i][0].Equal(p) || !got[i][1].Equal(a) {
				t.Errorf("%s[%d] = %s@%s, CCXT has %s@%s", name, i, got[i][0], got[i][1], p, a)
			}
		}
	}
}

type decimalPair [2]decimal.Decimal

func pairs(ls []unified.Level) []decimalPair {
	out := make([]decimalPair, len(ls))
	for i, l := range ls {
		out[i] = decimalPair{l.Price, l.Amount}
	}
	return out
}

func TestSyncCCXTBinanceSpotFixture(t *testing.T) {
	replayBinance(t, ccxtCase(t, "binance", "spot orderbook from rest snapshot and two depth deltas"), UpdateIDRange{})
}

func TestSyncCCXTBinanceFuturesFixture(t *testing.T) {
	replayBinance(t, ccxtCase(t, "binance", "linear swap orderbook with pu continuity chain"), PrevFinalID{})
}

func TestActionAndStateStrings(t *testing.T) {
	for v, want := range map[string]string{
		Apply.String(): "apply", Skip.String(): "skip", Reload.String(): "reload", Action(9).String(): "Action(9)",
		Syncing.String(): "syncing", Live.String(): "live", Invalid.String(): "invalid", State(7).String(): "State(7)",
		Bid.String(): "bid", Ask.String(): "ask", Side(5).String(): "Side(5)",
	} {
		if v != want {
			t.Errorf("String() = %q, want %q", v, want)
		}
	}
}
