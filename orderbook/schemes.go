package orderbook

// The continuity schemes. Each is a stateless Checker named after what it
// checks; the venues that document the rule are named in its comment.

// UpdateIDRange checks updates that carry the range of ids they cover:
// IDs.First (first id) and IDs.Last (final id), the snapshot carrying its id
// in IDs.Last.
//
//   - An update with Last <= the book's id is already in the book: skipped.
//   - Otherwise First must be <= the book's id + 1 (the first update after the
//     snapshot straddles snapshot id + 1; later ones continue the chain); a
//     larger First is a gap. An overlap (First <= id) is accepted: sizes are
//     absolute, so re-applying them is harmless.
//
// Binance spot diff depth (U, u, lastUpdateId) and KuCoin spot level2
// (sequenceStart, sequenceEnd, sequence) document this rule. KuCoin also
// numbers each change: set Change.Seq and the book skips the changes the
// snapshot already holds.
type UpdateIDRange struct{}

// Check applies the rule above.
func (UpdateIDRange) Check(last int64, fresh bool, got IDs) (Action, error) {
	if got.Last <= last {
		return Skip, nil
	}
	if got.First > last+1 {
		rule := "first id <= last id + 1"
		if fresh {
			rule = "the first update after the snapshot must cover snapshot id + 1 (first <= id + 1)"
		}
		return Skip, &GapError{Rule: rule, Expected: last + 1, Got: got.First}
	}
	return Apply, nil
}

// PrevFinalID checks updates that name the final id of the update before them:
// IDs.Prev (previous final id), IDs.First and IDs.Last, the snapshot carrying
// its id in IDs.Last.
//
//   - First update after the snapshot: one with Last < the snapshot's id is
//     skipped; the first one kept must straddle it (First <= id <= Last) or
//     follow it (Prev == id), else the snapshot is older than the stream.
//   - Later updates: Prev must equal the previous update's Last (an update
//     with Last <= the book's id is a duplicate and is skipped).
//
// Binance USDⓈ-M and COIN-M futures diff depth (U, u, pu) document this rule;
// their ids are not contiguous, so only the Prev chain is checked.
type PrevFinalID struct{}

// Check applies the rule above.
func (PrevFinalID) Check(last int64, fresh bool, got IDs) (Action, error) {
	if fresh {
		if got.Last < last {
			return Skip, nil
		}
		if (got.First <= last && last <= got.Last) || got.Prev == last {
			return Apply, nil
		}
		return Skip, &GapError{
			Rule:     "the first update after the snapshot must straddle its id (first <= id <= last) or follow it (prev == id)",
			Expected: last, Got: got.First,
		}
	}
	if got.Prev == last {
		return Apply, nil
	}
	if got.Last <= last {
		return Skip, nil
	}
	return Skip, &GapError{Rule: "prev id == last id", Expected: last, Got: got.Prev}
}

// PrevSeqID checks updates that name the id of the message before them:
// IDs.Prev must equal the book's id (the snapshot's IDs.Last, then each
// update's). Nothing else is required: an update whose Last equals its Prev
// is a no-change heartbeat, and a Last smaller than Prev is the venue
// restarting its numbering — both continue the chain.
//
// A REST snapshot (OKX's since 2026: the books channel sends none) meets
// updates buffered while it was fetched: until one applies, an update that
// ends at or before the snapshot's id (Prev < Last <= id) is already in the
// book and is skipped.
//
// OKX books channels (seqId, prevSeqId; the snapshot has prevSeqId -1)
// document this rule.
type PrevSeqID struct{}

// Check applies the rule above.
func (PrevSeqID) Check(last int64, fresh bool, got IDs) (Action, error) {
	if got.Prev == last {
		return Apply, nil
	}
	if fresh && got.Prev < last && got.Last <= last && got.Prev <= got.Last {
		return Skip, nil
	}
	return Skip, &GapError{Rule: "prev id == last id", Expected: last, Got: got.Prev}
}

// Sequence checks a plain per-book sequence number in IDs.Last: each update
// must carry the book's id + 1; one at or below the book's id is already in
// the book and is skipped.
//
// Restart, when not 0, is the id with which the venue restarts its numbering:
// an update carrying it is a full book and replaces the book (Reload).
//
// KuCoin futures level2 (sequence) uses Sequence{}; Bybit orderbook (u, with
// u == 1 sent as a full book after a service restart) uses
// Sequence{Restart: 1}, its "snapshot" messages going to Sync.OnSnapshot.
type Sequence struct {
	// Restart is the id that marks a full book after the venue restarted
	// its numbering, or 0 when the venue has none.
	Restart int64
}

// Check applies the rule above.
func (s Sequence) Check(last int64, _ bool, got IDs) (Action, error) {
	if s.Restart != 0 && got.Last == s.Restart {
		return Reload, nil
	}
	if got.Last <= last {
		return Skip, nil
	}
	if got.Last != last+1 {
		return Skip, &GapError{Rule: "id == last id + 1", Expected: last + 1, Got: got.Last}
	}
	return Apply, nil
}

// Increasing skips updates whose IDs.Last is at or below the book's id and
// applies the others: it orders updates but cannot see gaps, so the venue's
// checksum must.
//
// Bitget books (seq, with a CRC-32 checksum on every push) use it.
type Increasing struct{}

// Check applies the rule above.
func (Increasing) Check(last int64, _ bool, got IDs) (Action, error) {
	if got.Last <= last {
		return Skip, nil
	}
	return Apply, nil
}

// Unsequenced applies every update: for venues that number nothing per book
// and rely on a checksum alone (bitfinex without its per-connection sequence
// flag, kraken).
type Unsequenced struct{}

// Check returns Apply.
func (Unsequenced) Check(int64, bool, IDs) (Action, error) { return Apply, nil }
