package orderbook

import (
	"strconv"
	"time"

	"github.com/unifex-go/unifex/errors"
)

// IDs are the sequence fields of a snapshot or an update. Each Checker says
// which it reads; fields a venue does not send stay 0.
type IDs struct {
	// First is the first id the update covers (binance U, kucoin
	// sequenceStart).
	First int64
	// Last is the id the book is at once the update or snapshot is applied
	// (binance u or lastUpdateId, okx seqId, bybit u, kucoin sequenceEnd or
	// sequence, a plain sequence number). It becomes the book's Nonce.
	Last int64
	// Prev is the id of the update this one follows (binance futures pu, okx
	// prevSeqId).
	Prev int64
}

// Update is one snapshot or incremental update for a book: its ids, its time
// and its changes (Change for a Book, OrderChange for an L3Book).
type Update[C any] struct {
	IDs
	// Time is the venue's time of the update; zero when it sends none.
	Time time.Time
	// Changes are applied in order.
	Changes []C
}

// Target is a book that a Sync drives: Book and L3Book implement it.
type Target[C any] interface {
	// Replace loads a snapshot and makes the book live (or returns why not).
	Replace(u Update[C]) error
	// Apply applies an incremental update to a live book.
	Apply(u Update[C]) error
	// Err is nil when the book is live.
	Err() error
	// Invalidate marks the book invalid with a reason.
	Invalidate(err error)
	// Reset empties the book and marks it syncing.
	Reset()
}

// Action is a Checker's verdict on an update.
type Action uint8

const (
	// Apply the update: it continues the sequence.
	Apply Action = iota
	// Skip the update: it is already in the book (stale or duplicate).
	Skip
	// Reload the book from the update, which carries a full book (a venue's
	// sequence restart).
	Reload
)

// String returns "apply", "skip" or "reload".
func (a Action) String() string {
	switch a {
	case Apply:
		return "apply"
	case Skip:
		return "skip"
	case Reload:
		return "reload"
	}
	return "Action(" + strconv.Itoa(int(a)) + ")"
}

// Checker is one venue's sequence-continuity rule. Check judges an update
// given the Last id the book is at and whether no update was applied since
// the snapshot (fresh: the update must bridge the snapshot). It returns an
// error (a *GapError, of kind errors.InvalidNonce) when the update shows
// that data was lost. A checker holds no state: the Sync keeps last and fresh.
// While it waits for a snapshot the Sync still asks, only to learn whether an
// update carries a full book (Reload).
type Checker interface {
	Check(last int64, fresh bool, got IDs) (Action, error)
}

// pending is a buffered update whose changes live in Sync.arena[lo:hi].
type pending struct {
	ids    IDs
	time   time.Time
	lo, hi int
}

// Sync drives one book through the venue's synchronisation procedure: it
// buffers updates until a snapshot arrives (bounded; overflow restarts the
// sync), drops updates older than the snapshot, checks each update's
// continuity with its Checker, and applies it. A sequence gap, a checksum
// failure (see the books' VerifyChecksum), a crossed book or a malformed
// update makes the book invalid — reads return the typed error, never a wrong
// book — and the Sync waits for the next snapshot, which replaces the book
// entirely.
//
// One mechanism serves every venue: the scheme is the Checker, and the
// buffer limit says where the snapshot comes from. With a limit > 0 (the
// snapshot is fetched separately, as from a REST endpoint) updates that
// arrive without a snapshot to build on are buffered and replayed on top of
// the next snapshot; with a limit of 0 (the snapshot is the stream's first
// message, as after a subscription) they are ignored.
//
// A Sync is not safe for concurrent use; guard it and its book together.
type Sync[C any] struct {
	book    Target[C]
	checker Checker
	limit   int

	synced bool  // a snapshot was loaded and the chain since is intact
	last   int64 // the Last id the book is at
	fresh  bool  // no update applied since the snapshot

	pend  []pending
	arena []C
}

// NewSync returns a Sync that drives book with checker, buffering at most
// bufferLimit updates while it waits for a snapshot (0: ignore them). The
// book is Reset.
func NewSync[C any](book Target[C], checker Checker, bufferLimit int) *Sync[C] {
	book.Reset()
	return &Sync[C]{book: book, checker: checker, limit: max(bufferLimit, 0)}
}

// Synced reports whether the book is live and its sequence intact.
func (s *Sync[C]) Synced() bool { return s.synced && s.book.Err() == nil }

// Last returns the Last id of the latest snapshot or update applied.
func (s *Sync[C]) Last() int64 { return s.last }

// Buffered returns the number of updates waiting for a snapshot.
func (s *Sync[C]) Buffered() int { return len(s.pend) }

// Restart discards the book and every buffered update and waits for a new
// snapshot: call it on a resubscription or reconnection, so that nothing from
// the old stream reaches the new book.
func (s *Sync[C]) Restart() {
	s.dropPending(len(s.pend))
	s.synced = false
	s.book.Reset()
}

// OnSnapshot replaces the book with the snapshot u (u.Last is the id the
// snapshot is at), then replays the buffered updates on top of it: those the
// snapshot already covers are dropped, the first one kept must bridge the
// snapshot, and each must continue the sequence. On error the book is
// invalid; when the snapshot is older than the buffered updates, they stay
// buffered for the next snapshot.
func (s *Sync[C]) OnSnapshot(u Update[C]) error {
	s.synced = false
	if err := s.book.Replace(u); err != nil {
		return err
	}
	s.synced, s.last, s.fresh = true, u.Last, true
	for i := range s.pend {
		p := &s.pend[i]
		gap, err := s.step(Update[C]{IDs: p.ids, Time: p.time, Changes: s.arena[p.lo:p.hi]})
		if err != nil {
			// After a gap keep the offending update and what follows: a
			// newer snapshot may bridge them.
			if gap {
				s.dropPending(i)
			} else {
				s.dropPending(i + 1)
			}
			return err
		}
	}
	s.dropPending(len(s.pend))
	return nil
}

// OnDelta handles an incremental update. While the Sync waits for a snapshot
// the update is buffered (or ignored with a buffer limit of 0), unless the
// Checker says it carries a full book (Reload), which then serves as the
// snapshot; when the
// buffer is full it is emptied and an error of kind errors.InvalidNonce says
// the sync must start again from a new snapshot. On a live book the update
// is checked and applied; a gap or a failed apply makes the book invalid and
// is returned (the update is then buffered, as a newer snapshot may need it).
func (s *Sync[C]) OnDelta(u Update[C]) error {
	if s.synced && s.book.Err() != nil {
		s.synced = false // invalidated from outside, e.g. a checksum
	}
	if !s.synced {
		if act, _ := s.checker.Check(s.last, s.fresh, u.IDs); act == Reload {
			return s.OnSnapshot(u) // a full book: no need to wait
		}
		return s.buffer(u)
	}
	gap, err := s.step(u)
	if gap {
		// The update is newer than the book: keep it for the next snapshot.
		_ = s.buffer(u)
	}
	return err
}

// step checks and applies one update to the synced book. gap reports that
// the checker rejected the update (data was lost before it).
func (s *Sync[C]) step(u Update[C]) (gap bool, err error) {
	act, err := s.checker.Check(s.last, s.fresh, u.IDs)
	if err != nil {
		s.synced = false
		s.book.Invalidate(err)
		return true, err
	}
	switch act {
	case Skip:
		return false, nil
	case Reload:
		err = s.book.Replace(u)
		s.fresh = true
	default:
		err = s.book.Apply(u)
		s.fresh = false
	}
	if err != nil {
		s.synced = false
		return false, err
	}
	s.last = u.Last
	return false, nil
}

// buffer keeps a copy of u for the next snapshot.
func (s *Sync[C]) buffer(u Update[C]) error {
	if s.limit == 0 {
		return nil
	}
	if len(s.pend) >= s.limit {
		n := len(s.pend)
		s.dropPending(n)
		err := errors.Newf(errors.InvalidNonce, "order book sync buffer overflow: "+strconv.Itoa(n)+
			" updates waited for a snapshot and were dropped; fetch a new snapshot")
		s.book.Invalidate(err)
		return err
	}
	lo := len(s.arena)
	s.arena = append(s.arena, u.Changes...)
	s.pend = append(s.pend, pending{ids: u.IDs, time: u.Time, lo: lo, hi: len(s.arena)})
	return nil
}

// dropPending removes the first n buffered updates.
func (s *Sync[C]) dropPending(n int) {
	if n >= len(s.pend) {
		clear(s.arena) // let the collector have what changes point to
		s.pend, s.arena = s.pend[:0], s.arena[:0]
		return
	}
	base := s.pend[n].lo
	k := copy(s.arena, s.arena[base:])
	clear(s.arena[k:])
	s.arena = s.arena[:k]
	k = copy(s.pend, s.pend[n:])
	s.pend = s.pend[:k]
	for i := range s.pend {
		s.pend[i].lo -= base
		s.pend[i].hi -= base
	}
}
