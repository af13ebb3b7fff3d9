// Package cache holds the ring-buffer caches behind unifex's Watch* methods:
// a sliding window of the latest items of a stream, filtered by since and
// limit the way CCXT Pro filters its caches, and per-consumer cursors for
// the "newUpdates" mode.
//
// # Kinds
//
// One generic type, Ring, stores items of any type T. Its constructor picks
// what a repeated identity means; a KeyFunc tells the ring each item's Key
// (symbol, id, timestamp in Unix milliseconds):
//
//	constructor     CCXT cache                for                identity        a known identity
//	NewArrival      ArrayCache                public trades      (Symbol, ID)    is a duplicate: ignored
//	NewByTimestamp  ArrayCacheByTimestamp     OHLCV              (Symbol, Time)  is replaced in place
//	NewByID         ArrayCacheBySymbolById    orders, my trades  (Symbol, ID)    is replaced, moved to newest
//	NewBySide       ArrayCacheBySymbolBySide  positions          (Symbol, side)  is replaced, moved to newest
//
// The first three hold at most their limit (DefaultLimit when the limit is
// zero or less) and drop the oldest item when a new identity arrives at a
// full ring; Put is O(1). NewBySide is unbounded. A by-timestamp ring holds
// one series (one symbol and timeframe): keep one per series.
//
// # Reads
//
// Ring.Read returns the window filtered as CCXT's watch methods do
// (filterBySymbolSinceLimit with tail): the symbol's items ("" for all),
// then those with Time >= since (when since > 0), then the newest limit
// (when limit > 0), oldest first. Every read returns a fresh slice that
// later puts never change; it is the only allocation a read makes.
//
// # Cursors and newUpdates
//
// CCXT counts new updates once per cache, so two loops reading one cache
// take updates from each other. Here every consumer has its own Cursor
// (Ring.NewCursor), scoped to one symbol or to all, and Cursor.Next returns
// what was put since that cursor's previous Next:
//
//   - Every Put that changes the ring gives the item a new stamp from a
//     counter that only rises. A cursor remembers the counter at its last
//     Next and returns the items stamped after it, so an update is new
//     again even if the consumer had already read the item.
//   - An item is returned once per Next in its latest state: a candle
//     updated three times is one candle, at its window position; an order
//     updated three times is one order, at its newest position. This is how
//     CCXT counts (distinct timestamps, distinct ids).
//   - since and limit then apply to the new items (since first, then the
//     newest limit). Next consumes everything up to now, filtered or not.
//   - When a Put into a full ring drops an item whose latest stamp is after
//     the position of a cursor in scope, that cursor counts one dropped
//     item. Its next Next returns what remains with a
//     *errors.CacheOverflowError (errors.Is(err, errors.CacheOverflow))
//     giving the exact count. An update that moves an item within the
//     window is not a drop; a seen item that was updated and then dropped
//     before the consumer read the update is one. A gap is never silent.
//
// # Concurrency
//
// A Ring has its own lock: one goroutine (the connection reader) puts, any
// number read and use cursors. Key functions run under that lock and must
// not call back into the ring. Items are copied by value; pointers inside
// them are shared with readers, so items must be treated as immutable once
// put.
//
// # Edge cases
//
// A limit or since of zero or less means "no filter". A zero or negative capacity
// means DefaultLimit; capacities above 2^31-2 are clamped. A nil KeyFunc
// gives every item the zero Key. The zero Ring is an arrival ring of
// DefaultLimit with the zero Key, and the zero Cursor reads nothing.
package cache
