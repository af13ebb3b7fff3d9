package watch

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/unifex-go/unifex/cache"
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/orderbook"
)

type trade struct {
	ID    string
	Price int
	Time  int64
}

func tradeRing() *cache.Ring[trade] {
	return cache.NewArrival(5, func(t *trade) cache.Key { return cache.Key{ID: t.ID, Time: t.Time} })
}

var tradesKey = Key{Kind: Trades, Symbol: "BTC/USDT"}

// quick is a context for reads that must not block.
func quick(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// blocks asserts that read blocks: it must end by the short deadline.
func blocks(t *testing.T, what string, read func(ctx context.Context) error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	err := read(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("%s: want a blocked read ended by its deadline, got %v", what, err)
	}
	if errors.Is(err, errors.NetworkError) {
		t.Fatalf("%s: the caller's own deadline must not look like a NetworkError: %v", what, err)
	}
}

func ids(ts []trade) string {
	s := ""
	for _, t := range ts {
		s += t.ID
	}
	return s
}

func TestJoinIsFreshOnceAndLastLeaveForgets(t *testing.T) {
	h := NewHub("x")
	a, b := h.NewConsumer(), h.NewConsumer()
	_, fresh, err := JoinList(a, tradesKey, tradeRing)
	if err != nil || !fresh {
		t.Fatalf("first join: fresh=%v err=%v", fresh, err)
	}
	if _, fresh, _ = JoinList(b, tradesKey, tradeRing); fresh {
		t.Fatal("a second consumer's join must not subscribe again")
	}
	if _, fresh, _ = JoinList(a, tradesKey, tradeRing); fresh {
		t.Fatal("a repeated join must not subscribe again")
	}
	if a.Leave(tradesKey) {
		t.Fatal("b still reads the topic")
	}
	if !b.Leave(tradesKey) {
		t.Fatal("the last leave must report the topic orphaned")
	}
	if len(h.Keys()) != 0 {
		t.Fatalf("hub still has %v", h.Keys())
	}
	if _, fresh, _ = JoinList(a, tradesKey, tradeRing); !fresh {
		t.Fatal("a join after the last leave must subscribe again")
	}
	if _, _, err := JoinValue[int](a, tradesKey); !errors.Is(err, errors.BadRequest) {
		t.Fatalf("joining a key with another payload type: %v", err)
	}
}

func TestNewUpdatesConsumersAreIndependent(t *testing.T) {
	h := NewHub("x")
	a, b := h.NewConsumer(), h.NewConsumer()
	ta, _, _ := JoinList(a, tradesKey, tradeRing)
	JoinList(b, tradesKey, tradeRing)
	q := ListQuery{NewUpdates: true}
	ta.Put(trade{ID: "1"}, trade{ID: "2"})
	if got, err := ReadList(quick(t), a, ta, q); err != nil || ids(got) != "12" {
		t.Fatalf("a read %q, %v", ids(got), err)
	}
	ta.Put(trade{ID: "3"})
	if got, _ := ReadList(quick(t), a, ta, q); ids(got) != "3" {
		t.Fatalf("a read %q, want only the new trade", ids(got))
	}
	// b has read nothing yet: it gets everything, a's reads took nothing from it.
	if got, _ := ReadList(quick(t), b, ta, q); ids(got) != "123" {
		t.Fatalf("b read %q", ids(got))
	}
	blocks(t, "a with nothing new", func(ctx context.Context) error { _, err := ReadList(ctx, a, ta, q); return err })
	// Duplicated trade ids change nothing and wake nobody.
	if n := ta.Put(trade{ID: "3"}); n != 0 {
		t.Fatalf("duplicate stored: %d", n)
	}
	blocks(t, "b after a duplicate", func(ctx context.Context) error { _, err := ReadList(ctx, b, ta, q); return err })
}

func TestWindowModeReturnsOnChangeOnly(t *testing.T) {
	h := NewHub("x")
	c := h.NewConsumer()
	tt, _, _ := JoinList(c, tradesKey, tradeRing)
	for i, id := range []string{"1", "2", "3", "4", "5", "6"} {
		tt.Put(trade{ID: id, Time: int64(i + 1)})
	}
	got, err := ReadList(quick(t), c, tt, ListQuery{Limit: 3})
	if err != nil || ids(got) != "456" {
		t.Fatalf("window read %q, %v", ids(got), err)
	}
	blocks(t, "unchanged window", func(ctx context.Context) error { _, err := ReadList(ctx, c, tt, ListQuery{}); return err })
	tt.Put(trade{ID: "7", Time: 7})
	if got, _ := ReadList(quick(t), c, tt, ListQuery{Since: 5}); ids(got) != "567" {
		t.Fatalf("since read %q", ids(got))
	}
}

func TestOverflowNamesTopic(t *testing.T) {
	h := NewHub("x")
	c := h.NewConsumer()
	tt, _, _ := JoinList(c, tradesKey, tradeRing)
	for _, id := range []string{"1", "2", "3", "4", "5", "6", "7"} {
		tt.Put(trade{ID: id})
	}
	got, err := ReadList(quick(t), c, tt, ListQuery{NewUpdates: true})
	var o *errors.CacheOverflowError
	if !errors.As(err, &o) || o.Dropped != 2 || o.Topic != "trades:BTC/USDT" {
		t.Fatalf("overflow error = %v", err)
	}
	if ids(got) != "34567" {
		t.Fatalf("items with the overflow: %q", ids(got))
	}
}

func TestOneEventWakesEveryWaiter(t *testing.T) {
	h := NewHub("x")
	const n = 8
	tt, _, _ := JoinList(h.NewConsumer(), tradesKey, tradeRing)
	var wg sync.WaitGroup
	got := make([]string, n)
	errs := make([]error, n)
	ready := make(chan struct{}, n)
	for i := range n {
		c := h.NewConsumer()
		JoinList(c, tradesKey, tradeRing)
		wg.Add(1)
		go func() {
			defer wg.Done()
			ready <- struct{}{}
			items, err := ReadList(quick(t), c, tt, ListQuery{NewUpdates: true})
			got[i], errs[i] = ids(items), err
		}()
	}
	for range n {
		<-ready
	}
	tt.Put(trade{ID: "1"})
	wg.Wait()
	for i := range n {
		if errs[i] != nil || got[i] != "1" {
			t.Fatalf("waiter %d: %q %v", i, got[i], errs[i])
		}
	}
}

func TestOutageOrdersItemsErrorAndFreshCache(t *testing.T) {
	h := NewHub("x")
	nu, win := h.NewConsumer(), h.NewConsumer()
	tt, _, _ := JoinList(nu, tradesKey, tradeRing)
	JoinList(win, tradesKey, tradeRing)
	q := ListQuery{NewUpdates: true}
	tt.Put(trade{ID: "1"})
	ReadList(quick(t), nu, tt, q) // nu has read "1"
	tt.Put(trade{ID: "2"})        // unread by nu
	drop := errors.Newf(errors.NetworkError, "connection lost")
	h.Interrupt([]Key{tradesKey}, drop)
	tt.Put(trade{ID: "1"}) // after the reconnect: a fresh cache, so not a duplicate

	if got, err := ReadList(quick(t), nu, tt, q); err != nil || ids(got) != "2" {
		t.Fatalf("first read after the outage = %q, %v; want the unread item from before it", ids(got), err)
	}
	if _, err := ReadList(quick(t), nu, tt, q); !errors.Is(err, errors.NetworkError) {
		t.Fatalf("second read = %v; want the outage", err)
	}
	if got, err := ReadList(quick(t), nu, tt, q); err != nil || ids(got) != "1" {
		t.Fatalf("third read = %q, %v; want what came after the outage", ids(got), err)
	}
	// The window reader never read: it gets the outage, then only the new cache.
	if _, err := ReadList(quick(t), win, tt, ListQuery{}); !errors.Is(err, errors.NetworkError) {
		t.Fatalf("window reader's first read = %v", err)
	}
	if got, _ := ReadList(quick(t), win, tt, ListQuery{}); ids(got) != "1" {
		t.Fatalf("window after the outage = %q; items from before it leaked in", ids(got))
	}
	// A consumer that joins now does not inherit the old error.
	late := h.NewConsumer()
	JoinList(late, tradesKey, tradeRing)
	if got, err := ReadList(quick(t), late, tt, q); err != nil || ids(got) != "1" {
		t.Fatalf("late joiner = %q, %v", ids(got), err)
	}
}

func TestCloseAndLeaveEndWaiters(t *testing.T) {
	h := NewHub("x")
	c := h.NewConsumer()
	other := h.NewConsumer()
	tt, _, _ := JoinList(c, tradesKey, tradeRing)
	tk := Key{Kind: Ticker, Symbol: "BTC/USDT"}
	vt, _, _ := JoinValue[int](other, tk)

	unsub := make(chan error, 1)
	go func() { _, err := ReadValue(quick(t), other, vt); unsub <- err }()
	// Whether the waiter is already blocked or not yet started, the leave
	// must end it: blocked, with UnsubscribeError; not started, with the
	// consumer's "not watched" BadRequest.
	if !other.Leave(tk) {
		t.Fatal("leave of the only reader must orphan the topic")
	}
	if err := <-unsub; !errors.Is(err, errors.UnsubscribeError) && !errors.Is(err, errors.BadRequest) {
		t.Fatalf("a waiter of an unwatched topic got %v", err)
	}

	done := make(chan error, 1)
	go func() { _, err := ReadList(context.Background(), c, tt, ListQuery{}); done <- err }()
	h.Close()
	if err := <-done; !errors.Is(err, errors.ExchangeClosedByUser) {
		t.Fatalf("waiter after Close got %v", err)
	}
	if _, _, err := JoinList(c, tradesKey, tradeRing); !errors.Is(err, errors.ExchangeClosedByUser) {
		t.Fatalf("join after Close: %v", err)
	}
}

func TestValuesAndMultiRead(t *testing.T) {
	h := NewHub("x")
	c := h.NewConsumer()
	k1, k2 := Key{Kind: Ticker, Symbol: "A"}, Key{Kind: Ticker, Symbol: "B"}
	t1, _, _ := JoinValue[int](c, k1)
	t2, _, _ := JoinValue[int](c, k2)
	both := []*ValueTopic[int]{t1, t2}
	blocks(t, "no values yet", func(ctx context.Context) error { _, err := ReadValues(ctx, c, both); return err })
	one, two := 1, 2
	t2.Set(&two)
	vs, err := ReadValues(quick(t), c, both)
	if err != nil || vs[0] != nil || vs[1] == nil || *vs[1] != 2 {
		t.Fatalf("ReadValues = %v, %v", vs, err)
	}
	go func() { time.Sleep(5 * time.Millisecond); t1.Set(&one) }()
	vs, err = ReadValues(quick(t), c, both)
	if err != nil || vs[0] == nil || *vs[0] != 1 || vs[1] != nil {
		t.Fatalf("ReadValues after a wait = %v, %v", vs, err)
	}
	t1.Fail(errors.Newf(errors.BadResponse, "garbled ticker"))
	if _, err := ReadValue(quick(t), c, t1); !errors.Is(err, errors.BadResponse) {
		t.Fatalf("error event: %v", err)
	}
	if got := t1.Peek(); got == nil || *got != 1 {
		t.Fatalf("Peek = %v", got)
	}
}

func num(t *testing.T, s string) orderbook.Num {
	t.Helper()
	n, err := orderbook.ParseNum(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestBookEventsSnapshotsAndGaps(t *testing.T) {
	h := NewHub("x")
	a, b := h.NewConsumer(), h.NewConsumer()
	k := Key{Kind: Book, Symbol: "BTC/USDT"}
	spec := BookSpec{Checker: orderbook.UpdateIDRange{}, Buffer: 10}
	bt, _, _ := JoinBook(a, k, spec)
	JoinBook(b, k, spec)
	lvl := func(sd orderbook.Side, p, q string) orderbook.Change {
		return orderbook.Change{Side: sd, Price: num(t, p), Amount: num(t, q)}
	}
	delta := func(first, last int64, cs ...orderbook.Change) func(*orderbook.Sync[orderbook.Change], *orderbook.Book) error {
		return func(s *orderbook.Sync[orderbook.Change], _ *orderbook.Book) error {
			return s.OnDelta(orderbook.Update[orderbook.Change]{IDs: orderbook.IDs{First: first, Last: last}, Changes: cs})
		}
	}
	// A delta before the snapshot is buffered: nobody is woken.
	if err := bt.Update(delta(11, 11, lvl(orderbook.Bid, "99", "2"))); err != nil {
		t.Fatal(err)
	}
	blocks(t, "book not synced", func(ctx context.Context) error { _, err := ReadBook(ctx, a, bt, 0); return err })
	if _, err := bt.Peek(5); err == nil {
		t.Fatal("Peek of a syncing book must fail")
	}
	err := bt.Update(func(s *orderbook.Sync[orderbook.Change], _ *orderbook.Book) error {
		return s.OnSnapshot(orderbook.Update[orderbook.Change]{IDs: orderbook.IDs{Last: 10},
			Changes: []orderbook.Change{lvl(orderbook.Bid, "100", "1"), lvl(orderbook.Ask, "101", "1")}})
	})
	if err != nil {
		t.Fatal(err)
	}
	obA, err := ReadBook(quick(t), a, bt, 5)
	if err != nil || len(obA.Bids) != 2 || obA.Nonce != 11 {
		t.Fatalf("book after snapshot + buffered delta: %+v, %v", obA, err)
	}
	obB, _ := ReadBook(quick(t), b, bt, 5)
	if obA != obB {
		t.Fatal("two readers of one event at one depth must share one snapshot")
	}
	if peek, _ := bt.Peek(5); peek != obA {
		t.Fatal("Peek must share the event's snapshot")
	}
	// A gap: the update fails, the book is invalid, every reader gets InvalidNonce once.
	if err := bt.Update(delta(13, 13, lvl(orderbook.Ask, "102", "1"))); !errors.Is(err, errors.InvalidNonce) {
		t.Fatalf("gap: %v", err)
	}
	for _, c := range []*Consumer{a, b} {
		if _, err := ReadBook(quick(t), c, bt, 5); !errors.Is(err, errors.InvalidNonce) {
			t.Fatalf("reader after a gap: %v", err)
		}
	}
	if _, err := bt.Peek(5); !errors.Is(err, errors.InvalidNonce) {
		t.Fatalf("Peek of an invalid book: %v", err)
	}
	blocks(t, "invalid book", func(ctx context.Context) error { _, err := ReadBook(ctx, a, bt, 5); return err })
	// Resync: a fresh snapshot replaces the book.
	bt.Restart()
	bt.Update(func(s *orderbook.Sync[orderbook.Change], _ *orderbook.Book) error {
		return s.OnSnapshot(orderbook.Update[orderbook.Change]{IDs: orderbook.IDs{Last: 20},
			Changes: []orderbook.Change{lvl(orderbook.Bid, "50", "1"), lvl(orderbook.Ask, "51", "1")}})
	})
	ob, err := ReadBook(quick(t), a, bt, 5)
	if err != nil || len(ob.Bids) != 1 || ob.Bids[0].Price.String() != "50" {
		t.Fatalf("book after resync: %+v, %v (ghost levels?)", ob, err)
	}
	// An outage: readers get it, then the book after the fresh snapshot.
	h.Interrupt([]Key{k}, errors.Newf(errors.NetworkError, "drop"))
	if _, err := ReadBook(quick(t), a, bt, 5); !errors.Is(err, errors.NetworkError) {
		t.Fatalf("outage: %v", err)
	}
	if err := bt.Update(delta(21, 21, lvl(orderbook.Bid, "49", "1"))); err != nil {
		t.Fatalf("a delta after the outage must wait for the snapshot: %v", err)
	}
	blocks(t, "book after outage before snapshot", func(ctx context.Context) error { _, err := ReadBook(ctx, a, bt, 5); return err })
}

func TestReadBooksReturnsTheChangedOne(t *testing.T) {
	h := NewHub("x")
	c := h.NewConsumer()
	spec := BookSpec{Checker: orderbook.Unsequenced{}}
	k1, k2 := Key{Kind: Book, Symbol: "A"}, Key{Kind: Book, Symbol: "B"}
	b1, _, _ := JoinBook(c, k1, spec)
	b2, _, _ := JoinBook(c, k2, spec)
	go func() {
		time.Sleep(5 * time.Millisecond)
		b2.Update(func(s *orderbook.Sync[orderbook.Change], _ *orderbook.Book) error {
			return s.OnSnapshot(orderbook.Update[orderbook.Change]{Changes: []orderbook.Change{{Side: orderbook.Bid, Price: num(t, "1"), Amount: num(t, "1")}}})
		})
	}()
	ob, err := ReadBooks(quick(t), c, []*BookTopic{b1, b2}, 0)
	if err != nil || ob.Symbol != "B" {
		t.Fatalf("ReadBooks = %+v, %v", ob, err)
	}
}

func TestLeaveWhileReadingEndsTheRead(t *testing.T) {
	h := NewHub("x")
	c, other := h.NewConsumer(), h.NewConsumer()
	tt, _, _ := JoinList(c, tradesKey, tradeRing)
	JoinList(other, tradesKey, tradeRing) // keeps the topic alive
	done := make(chan error, 1)
	go func() { _, err := ReadList(quick(t), c, tt, ListQuery{NewUpdates: true}); done <- err }()
	time.Sleep(5 * time.Millisecond) // let the read block; it must end either way
	c.Leave(tradesKey)
	tt.Put(trade{ID: "1"})
	if err := <-done; !errors.Is(err, errors.UnsubscribeError) && !errors.Is(err, errors.BadRequest) {
		t.Fatalf("a read whose consumer left: %v", err)
	}
}
