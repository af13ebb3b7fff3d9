package orderbook

import (
	"strconv"

	"github.com/unifex-go/unifex/errors"
)

// Verifier re-checks a live book against a fresh snapshot, for venues whose
// stream carries no checksum (binance): it rebuilds a second book from the
// snapshot and the same updates the live book receives, through the same
// sync procedure, and compares the two once both stand at the same update.
// Only the price range the snapshot covered is compared (a snapshot has a
// limited depth; the live book may know deeper levels).
//
// Feed it every update the live book gets, from before the snapshot is
// requested: those older than the snapshot are buffered and dropped like a
// normal sync's. A Verifier is not safe for concurrent use.
type Verifier struct {
	book *Book
	sync *Sync[Change]
	// The deepest snapshot price of each side; comparisons stop there.
	bidFloor, askCeiling Num
	hasBids, hasAsks     bool
}

// NewVerifier returns a verifier for a book like live, with the venue's
// continuity checker, buffering at most bufferLimit updates until its
// snapshot arrives.
func NewVerifier(live *Book, checker Checker, bufferLimit int) *Verifier {
	b := NewBook(live.Symbol())
	b.counted = live.counted
	return &Verifier{book: b, sync: NewSync[Change](b, checker, bufferLimit)}
}

// Sync returns the verifier's sync procedure: feed it what the live book's
// gets (OnDelta, OnSnapshot).
func (v *Verifier) Sync() *Sync[Change] { return v.sync }

// Book returns the verifier's own book.
func (v *Verifier) Book() *Book { return v.book }

// OnSnapshot loads the fresh snapshot and replays the updates buffered
// since the verifier was made. An error means this verification cannot
// conclude (for example the snapshot is older than the buffered updates);
// it says nothing about the live book.
func (v *Verifier) OnSnapshot(u Update[Change]) error {
	v.hasBids, v.hasAsks = false, false
	for i := range u.Changes {
		c := &u.Changes[i]
		switch {
		case c.Side == Bid && (!v.hasBids || c.Price.Cmp(v.bidFloor) < 0):
			v.bidFloor, v.hasBids = c.Price, true
		case c.Side == Ask && (!v.hasAsks || c.Price.Cmp(v.askCeiling) > 0):
			v.askCeiling, v.hasAsks = c.Price, true
		}
	}
	return v.sync.OnSnapshot(u)
}

// Ready reports whether the verifier's book stands at the live book's
// update last, so that Compare can judge.
func (v *Verifier) Ready(last int64) bool { return v.sync.Synced() && v.sync.Last() == last }

// Compare checks live against the verifier's book within the snapshot's
// price range. It returns nil when they agree, else a *DivergenceError
// naming the first level that differs.
func (v *Verifier) Compare(live *Book) error {
	if err := compareSide(live, v.book, Bid, v.hasBids, v.bidFloor); err != nil {
		return err
	}
	return compareSide(live, v.book, Ask, v.hasAsks, v.askCeiling)
}

// compareSide compares one side level by level, best first, down to bound.
func compareSide(live, fresh *Book, sd Side, has bool, bound Num) error {
	if !has {
		return nil // the snapshot showed nothing of this side
	}
	within := func(p Num) bool {
		c := p.Cmp(bound)
		return c == 0 || (sd == Bid) == (c > 0)
	}
	diverged := func(l, f PriceLevel, inLive, inFresh bool) error {
		e := &DivergenceError{Side: sd, Nonce: live.Nonce(), InLive: inLive, InSnapshot: inFresh}
		if inLive {
			e.Price, e.Live = l.Price, l.Amount
		}
		if inFresh {
			e.Price, e.Snapshot = f.Price, f.Amount
		}
		return e
	}
	for i := 0; ; i++ {
		l, okL := live.At(sd, i)
		f, okF := fresh.At(sd, i)
		okL = okL && within(l.Price)
		okF = okF && within(f.Price)
		switch {
		case !okL && !okF:
			return nil
		case !okL || !okF:
			return diverged(l, f, okL, okF)
		case !l.Price.Equal(f.Price):
			// The better price is the level one book lacks.
			if (sd == Bid) == (l.Price.Cmp(f.Price) > 0) {
				return diverged(l, f, true, false)
			}
			return diverged(l, f, false, true)
		case !l.Amount.Equal(f.Amount) || l.Count != f.Count:
			return diverged(l, f, true, true)
		}
	}
}

// DivergenceError reports a live book that differs from a fresh snapshot
// brought to the same update: the book missed or misapplied data its
// stream gave no sign of. It matches errors.ChecksumError (and
// errors.InvalidNonce) with errors.Is.
type DivergenceError struct {
	// Side and Price name the first level that differs.
	Side  Side
	Price Num
	// Nonce is the update both books stood at.
	Nonce int64
	// Live and Snapshot are the level's amounts in each book; InLive and
	// InSnapshot say whether the level is in it at all.
	Live, Snapshot     Num
	InLive, InSnapshot bool
}

// Error names the level and both amounts.
func (e *DivergenceError) Error() string {
	amount := func(n Num, in bool) string {
		if !in {
			return "no level"
		}
		return n.String()
	}
	return "ChecksumError: order book differs from a fresh snapshot at update " + strconv.FormatInt(e.Nonce, 10) +
		": " + e.Side.String() + " " + e.Price.String() + ": book has " + amount(e.Live, e.InLive) +
		", snapshot has " + amount(e.Snapshot, e.InSnapshot)
}

// Unwrap returns errors.ChecksumError, the error's kind.
func (e *DivergenceError) Unwrap() error { return errors.ChecksumError }
