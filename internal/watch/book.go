package watch

import (
	"context"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/orderbook"
	"github.com/unifex-go/unifex/unified"
)

// BookTopic is one symbol's live order book and the sync procedure that feeds
// it. The connection side changes it only through Update; readers get
// immutable snapshots built once per event and depth.
type BookTopic struct {
	core
	spec BookSpec
	book *orderbook.Book
	sync *orderbook.Sync[orderbook.Change]

	verifier *orderbook.Verifier // a re-check against a fresh snapshot in progress
	verdict  chan error          // its outcome, once (see StartVerify)

	snapAt uint64                     // version the snapshots were built at
	snaps  map[int]*unified.OrderBook // by depth, for snapAt
}

// BookSpec says how a book topic is built: the venue's continuity scheme,
// how many deltas to buffer while a snapshot is awaited (0: ignore deltas
// until the stream's own snapshot), and whether levels carry order counts.
type BookSpec struct {
	Checker orderbook.Checker
	Buffer  int
	Counted bool
}

// JoinBook makes c a reader of k's book, creating the topic from spec when
// it is new (fresh: the caller subscribes).
func JoinBook(c *Consumer, k Key, spec BookSpec) (t *BookTopic, fresh bool, err error) {
	t, _, fresh, err = join(c, k, func(h *Hub, k Key) *BookTopic {
		t := &BookTopic{spec: spec}
		t.init(h, k)
		if spec.Counted {
			t.book = orderbook.NewCountedBook(k.Symbol)
		} else {
			t.book = orderbook.NewBook(k.Symbol)
		}
		t.sync = orderbook.NewSync[orderbook.Change](t.book, spec.Checker, spec.Buffer)
		return t
	})
	return t, fresh, err
}

// FindBook returns the live book topic of k, or nil when nobody watches it
// (the connection side then drops the frame).
func (h *Hub) FindBook(k Key) *BookTopic {
	t, _ := h.find(k).(*BookTopic)
	return t
}

// Update runs fn with the book's sync procedure under the topic's lock. When
// fn fails (a gap, a bad checksum, an update that cannot be applied) the
// book is invalid: every reader gets the error once and Update returns it
// so the caller resynchronises. When the book is live afterwards and its
// nonce or content moved, readers are woken with the new book.
func (t *BookTopic) Update(fn func(s *orderbook.Sync[orderbook.Change], b *orderbook.Book) error) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := fn(t.sync, t.book); err != nil {
		t.endVerifyLocked(ErrVerifyInconclusive)
		t.invalidateLocked(err)
		return err
	}
	if t.verifier != nil {
		if err := fn(t.verifier.Sync(), t.verifier.Book()); err != nil {
			t.endVerifyLocked(ErrVerifyInconclusive)
		} else if err := t.judgeLocked(); err != nil {
			return err
		}
	}
	if t.sync.Synced() {
		t.publishLocked()
	}
	return nil
}

// invalidateLocked marks the book invalid with err and tells every reader.
func (t *BookTopic) invalidateLocked(err error) {
	if t.book.Err() == nil {
		t.book.Invalidate(err)
	}
	t.failLocked(err)
}

// ErrVerifyInconclusive is a verification's outcome when it could not
// compare (the book lost sync, the snapshot was too old, it was stopped):
// it says nothing about the book.
var ErrVerifyInconclusive = errors.Newf(errors.OperationFailed, "order book verification inconclusive")

// StartVerify begins re-checking a synced book against a fresh snapshot
// (orderbook.Verifier): from now on every update also goes to a second
// book, which VerifySnapshot loads. The returned channel receives the
// outcome once: nil when the books agreed, a *orderbook.DivergenceError
// (the book has then failed, as after a gap), or ErrVerifyInconclusive.
// ok is false when the book is not synced or a verification is running.
func (t *BookTopic) StartVerify() (verdict <-chan error, ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.verifier != nil || !t.sync.Synced() {
		return nil, false
	}
	t.verifier = orderbook.NewVerifier(t.book, t.spec.Checker, max(t.spec.Buffer, 1000))
	t.verdict = make(chan error, 1)
	return t.verdict, true
}

// VerifySnapshot hands the running verification its fresh snapshot and
// returns the divergence when the books can be compared at once (the book
// has then failed); a later update may still conclude it.
func (t *BookTopic) VerifySnapshot(snap orderbook.Update[orderbook.Change]) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.verifier == nil {
		return nil
	}
	if err := t.verifier.OnSnapshot(snap); err != nil {
		t.endVerifyLocked(ErrVerifyInconclusive)
		return nil
	}
	return t.judgeLocked()
}

// StopVerify abandons a running verification (inconclusive).
func (t *BookTopic) StopVerify() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.endVerifyLocked(ErrVerifyInconclusive)
}

// judgeLocked compares the books once the verifier stands where the live
// book does; a divergence fails the book and is returned.
func (t *BookTopic) judgeLocked() error {
	if !t.sync.Synced() {
		t.endVerifyLocked(ErrVerifyInconclusive)
		return nil
	}
	if !t.verifier.Ready(t.sync.Last()) {
		return nil
	}
	err := t.verifier.Compare(t.book)
	t.endVerifyLocked(err)
	if err != nil {
		t.invalidateLocked(err)
	}
	return err
}

// endVerifyLocked ends a running verification with its outcome.
func (t *BookTopic) endVerifyLocked(outcome error) {
	if t.verifier == nil {
		return
	}
	t.verdict <- outcome
	t.verifier, t.verdict = nil, nil
}

// Synced reports whether the book is live and its sequence intact.
func (t *BookTopic) Synced() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.sync.Synced()
}

// Restart makes the sync ignore (or buffer) deltas until a fresh snapshot,
// after a resubscription or before a REST snapshot is fetched again.
func (t *BookTopic) Restart() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.endVerifyLocked(ErrVerifyInconclusive)
	t.sync.Restart()
}

// interrupt records an outage and restarts the sync: the fresh snapshot
// after the reconnect replaces the book.
func (t *BookTopic) interrupt(err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.endVerifyLocked(ErrVerifyInconclusive)
	t.sync.Restart()
	t.failLocked(err)
}

// snapshotLocked returns the shared snapshot of the current version at depth.
func (t *BookTopic) snapshotLocked(depth int) (*unified.OrderBook, error) {
	if depth < 0 {
		depth = 0
	}
	if t.snapAt != t.version {
		t.snapAt, t.snaps = t.version, nil
	}
	if ob := t.snaps[depth]; ob != nil {
		return ob, nil
	}
	ob, err := t.book.Snapshot(depth)
	if err != nil {
		return nil, err
	}
	if t.snaps == nil {
		t.snaps = make(map[int]*unified.OrderBook, 1)
	}
	t.snaps[depth] = &ob
	return &ob, nil
}

// Peek returns the current book to depth without waiting (throttled
// polling): the shared snapshot of the current version, or the book's typed
// reason when it is not live.
func (t *BookTopic) Peek(depth int) (*unified.OrderBook, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.snapshotLocked(depth)
}

// ReadBook returns k's book to depth once it has changed since c's last
// read of it, blocking until then. An error event (a gap, a bad checksum, an
// outage) is returned once, before any later book.
func ReadBook(ctx context.Context, c *Consumer, t *BookTopic, depth int) (*unified.OrderBook, error) {
	return ReadBooks(ctx, c, []*BookTopic{t}, depth)
}

// ReadBooks is ReadBook over several books: it returns the first of ts (in
// order) that has an event for c.
func ReadBooks(ctx context.Context, c *Consumer, ts []*BookTopic, depth int) (*unified.OrderBook, error) {
	var ob *unified.OrderBook
	err := readAny(ctx, c, ts, func(t *BookTopic, st *state) (bool, error) {
		t.mu.Lock()
		defer t.mu.Unlock()
		if t.errAt > st.errAt {
			st.errAt, st.seen = t.errAt, t.errAt
			return true, t.err
		}
		if t.version <= st.seen {
			return false, nil
		}
		st.seen = t.version
		var err error
		ob, err = t.snapshotLocked(depth)
		return true, err
	}, nil)
	return ob, err
}
