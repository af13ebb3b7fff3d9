// Package orderbook keeps incremental order books that are never wrong, with
// the synchronisation and checksum helpers every adapter uses.
//
// # Books
//
// Three books share one engine:
//
//   - Book (NewBook): a price-level (L2) book, price → amount; a zero amount
//     deletes a level.
//   - Book (NewCountedBook): a counted book, price → amount and order count;
//     a zero count deletes a level (bitfinex P0–P4).
//   - L3Book: an order-by-order book, id → side, price, amount, whose levels
//     keep the exact sum and count of their orders so that the L2 view is as
//     cheap as a Book's.
//
// Updates are Update values: sequence ids, a time and a slice of changes
// (Change for a Book, OrderChange for an L3Book). Replace loads a snapshot
// (discarding the old book entirely), Apply applies an incremental update.
//
// The live book is never trimmed for a reader; Snapshot(depth) hands out a
// consistent, immutable unified.OrderBook limited to depth levels a side.
// (Truncate exists for the venues whose protocol drops levels that leave the
// subscribed depth without a delete.) Hot loops read
// the live book without allocating through Best, At and Levels, which return
// prices and amounts as Num.
//
// # Exact numbers
//
// Num is the book's exact fixed-point form: an int64 mantissa and the decimal
// scale the venue wrote ("43231.10" is 4323110 at scale 2). ParseNum reads
// wire text into it in a few nanoseconds without allocating; a value that
// does not fit is an error of kind errors.BadResponse, never a rounded value.
// Because a Num keeps its scale, the book gives back each level's exact wire
// text (Num.Append) for checksums without storing strings. decimal.Decimal
// values are built only for snapshots, and each level caches its decimals
// until it changes, so a snapshot of a quiet top of book allocates only its
// slice.
//
// # State
//
// Every book is Syncing (no snapshot yet), Live, or Invalid with a reason.
// Reads of a book that is not live return the typed reason, never stale data:
// ErrNotSynced, a *GapError (errors.InvalidNonce), a *ChecksumMismatchError
// (errors.ChecksumError), a *CrossedError (errors.InvalidNonce: best bid at or
// above best ask after a complete update — a check that is always on), or an
// errors.BadResponse for an update that could not be applied.
//
// # Synchronisation
//
// Sync drives any of the books through a venue's documented procedure:
// buffer updates until a snapshot arrives (bounded; overflow restarts the
// sync), drop the updates the snapshot already holds, check each update's
// continuity, and apply it. The continuity rule is a Checker, one small
// stateless type per documented scheme:
//
//   - UpdateIDRange: first/last ids with bridging (binance spot, kucoin spot).
//   - PrevFinalID: previous final id chaining (binance futures).
//   - PrevSeqID: prevSeqId == last seqId, heartbeats and restarts allowed (okx).
//   - Sequence: id == last + 1, optionally with a restart id that reloads
//     the book (kucoin futures; bybit with Restart 1).
//   - Increasing: ordering only, gaps left to the checksum (bitget).
//   - Unsequenced: checksum only (bitfinex, kraken).
//
// After a resubscription, Sync.Restart makes the Sync ignore or buffer updates
// until the fresh snapshot, which replaces the book — no level of the old book
// survives.
//
// # Checksums
//
// ChecksumSpec describes a venue's CRC-32 checksum; Interleaved25 (okx,
// bitget), Interleaved25JS and Interleaved25JSOrders (bitfinex) and
// AsksThenBids10Digits (kraken) are the documented ones. VerifyChecksum makes
// the book invalid on a mismatch.
//
// # Concurrency
//
// Books and Syncs are not safe for concurrent use. Snapshot writes the
// per-level decimal cache, so a book shared between goroutines needs a
// sync.Mutex around every call, reads included.
package orderbook
