package orderbook

import (
	"strconv"

	"github.com/unifex-go/unifex/errors"
)

// ErrNotSynced is returned by reads of a book that has had no snapshot since
// it was created or Reset. It is of kind errors.OperationFailed (a transient
// failure: retry after the snapshot arrives); match it with errors.Is.
var ErrNotSynced = errors.Newf(errors.OperationFailed, "order book not synced: waiting for a snapshot")

// GapError reports an update that broke the venue's sequence rule: the book
// missed data and must be rebuilt from a fresh snapshot. It matches
// errors.InvalidNonce (and its ancestors) with errors.Is.
type GapError struct {
	// Rule is the continuity rule that failed, in words.
	Rule string
	// Expected is the id the rule required (or its bound, as Rule says).
	Expected int64
	// Got is the id the update carried.
	Got int64
}

// Error says which rule failed with the expected and received ids.
func (e *GapError) Error() string {
	return "InvalidNonce: order book sequence gap: " + e.Rule +
		": expected " + strconv.FormatInt(e.Expected, 10) + ", got " + strconv.FormatInt(e.Got, 10)
}

// Unwrap returns errors.InvalidNonce, the error's kind.
func (e *GapError) Unwrap() error { return errors.InvalidNonce }

// ChecksumMismatchError reports that the book's checksum differs from the
// venue's. It matches errors.ChecksumError (and errors.InvalidNonce) with
// errors.Is.
type ChecksumMismatchError struct {
	// Expected is the checksum the venue sent, as sent (signed or unsigned).
	Expected int64
	// Computed is the CRC-32 of the local book.
	Computed uint32
}

// Error gives both checksums, the computed one in the venue's signedness.
func (e *ChecksumMismatchError) Error() string {
	got := int64(e.Computed)
	if e.Expected < 0 {
		got = int64(int32(e.Computed))
	}
	return "ChecksumError: order book checksum mismatch: venue sent " +
		strconv.FormatInt(e.Expected, 10) + ", book gives " + strconv.FormatInt(got, 10)
}

// Unwrap returns errors.ChecksumError, the error's kind.
func (e *ChecksumMismatchError) Unwrap() error { return errors.ChecksumError }

// CrossedError reports a book whose best bid is at or above its best ask after
// a complete update: some update was lost or misapplied. It matches
// errors.InvalidNonce with errors.Is.
type CrossedError struct {
	// Bid is the best bid price.
	Bid Num
	// Ask is the best ask price.
	Ask Num
}

// Error names both prices.
func (e *CrossedError) Error() string {
	return "InvalidNonce: crossed order book: best bid " + e.Bid.String() + " >= best ask " + e.Ask.String()
}

// Unwrap returns errors.InvalidNonce, the error's kind.
func (e *CrossedError) Unwrap() error { return errors.InvalidNonce }

// badInput is an errors.BadResponse for an update the book cannot apply.
func badInput(msg string) error {
	return errors.Newf(errors.BadResponse, "orderbook: "+msg)
}
