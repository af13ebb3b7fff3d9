package orderbook

import (
	"strconv"
	"time"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/unified"
)

// State is where a book stands in its synchronisation.
type State uint8

const (
	// Syncing: the book has had no snapshot since it was created or Reset.
	// Reads return ErrNotSynced.
	Syncing State = iota
	// Live: the book is a faithful copy of the venue's; reads return data.
	Live
	// Invalid: an update broke continuity, a checksum failed, the book
	// crossed or a change could not be applied. Reads return the reason (see
	// Err) until a snapshot replaces the book.
	Invalid
)

// String returns "syncing", "live" or "invalid".
func (s State) String() string {
	switch s {
	case Syncing:
		return "syncing"
	case Live:
		return "live"
	case Invalid:
		return "invalid"
	}
	return "State(" + strconv.Itoa(int(s)) + ")"
}

// status is the bookkeeping every book kind shares.
type status struct {
	symbol string
	state  State
	err    error // the reason, when state is Invalid
	nonce  int64
	time   time.Time
}

// readErr returns nil when the book is live, else why it may not be read.
func (st *status) readErr() error {
	switch st.state {
	case Live:
		return nil
	case Invalid:
		return st.err
	}
	return ErrNotSynced
}

// fail makes the book invalid with err and returns err.
func (st *status) fail(err error) error {
	if err == nil {
		err = errors.Newf(errors.InvalidNonce, "order book invalidated")
	}
	st.state, st.err = Invalid, err
	return err
}

// live marks a freshly loaded book live at the update's id and time.
func (st *status) live(nonce int64, t time.Time) {
	st.state, st.err, st.nonce, st.time = Live, nil, nonce, t
}

// reset returns the bookkeeping to a new book's.
func (st *status) reset() {
	st.state, st.err, st.nonce, st.time = Syncing, nil, 0, time.Time{}
}

// crossed checks the best prices of a complete update and invalidates the
// book when the best bid is at or above the best ask.
func (st *status) crossed(bids, asks *ladder) error {
	if apart(bids, asks) {
		return nil
	}
	// Compare the keys (at each ladder's scale) rather than the wire prices.
	bk, ak := bids.bestKey(), -asks.bestKey()
	crossed := bk >= ak
	if bids.scale != asks.scale {
		crossed = Num{m: bk, s: bids.scale}.Cmp(Num{m: ak, s: asks.scale}) >= 0
	}
	if crossed {
		return st.fail(&CrossedError{Bid: bids.best(), Ask: asks.best()})
	}
	return nil
}

// apart reports the usual case of crossed, cheaply enough to inline: a side
// is empty, or the sides have one scale and the best bid's key is below the
// best ask's. False means crossed must look closer.
func apart(bids, asks *ladder) bool {
	return bids.n == 0 || asks.n == 0 ||
		bids.scale == asks.scale && bids.bestKey() < -asks.bestKey()
}

// snapshot builds the unified copy of two ladders limited to depth levels a
// side (depth <= 0: all), in one allocation for both sides.
func (st *status) snapshot(bids, asks *ladder, depth int) (unified.OrderBook, error) {
	if err := st.readErr(); err != nil {
		return unified.OrderBook{}, err
	}
	nb, na := bids.n, asks.n
	if depth > 0 {
		nb, na = min(nb, depth), min(na, depth)
	}
	levels := make([]unified.Level, nb+na)
	bids.fill(levels[:nb])
	asks.fill(levels[nb:])
	return unified.OrderBook{
		Symbol:    st.symbol,
		Timestamp: st.time,
		Nonce:     st.nonce,
		Bids:      levels[:nb:nb],
		Asks:      levels[nb:],
	}, nil
}
