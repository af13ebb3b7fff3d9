package engine

import (
	"context"
	"sort"
	"strconv"
	"time"

	"github.com/unifex-go/unifex/cache"
	"github.com/unifex-go/unifex/internal/watch"
	"github.com/unifex-go/unifex/orderbook"
	"github.com/unifex-go/unifex/unified"
)

// Dispatch is how an adapter's Handle publishes what it parsed. Every method
// is a no-op for a topic nobody watches, so Handle need not check.
type Dispatch struct {
	e     *Engine
	route Route
	ln    *link // the connection the message came on; nil outside a link

	changes []orderbook.Change // the last book update's, for Changes
}

// Changes returns an empty slice to build a book update in: the changes of
// the last update this Dispatch applied, reused, so that a connection's
// steady stream of deltas allocates none. Handle may append to it; the
// BookSnapshot, BookDelta or BookTop that takes the update hands it back.
func (d *Dispatch) Changes() []orderbook.Change { return d.changes[:0] }

// Reconnect drops the connection the message came on, so that the link
// dials again (through its Dial hook: a fresh listen key or token), logs
// in, resubscribes and reconciles: for a venue's "your session has
// expired" message. Outside a link (Feed, Reconcile) it does nothing.
func (d *Dispatch) Reconnect(err error) {
	if d.ln == nil {
		return
	}
	d.e.mu.Lock()
	l := d.ln.l // set under the lock once the link exists
	d.e.mu.Unlock()
	if l != nil {
		l.Drop(err)
	}
}

// Refresh asks for topic k's state to be fetched again (Spec.Refresh) in
// the background, when someone watches it: for a venue message that says
// the state changed without carrying it.
func (d *Dispatch) Refresh(k watch.Key) {
	if d.e.spec.Refresh != nil && d.e.hub.Has(k) {
		d.e.refresh(d.route, k)
	}
}

// Route returns the route the message arrived on.
func (d *Dispatch) Route() Route { return d.route }

// Watched reports whether anyone watches topic k, so Handle can skip
// parsing what nobody reads.
func (d *Dispatch) Watched(k watch.Key) bool { return d.e.hub.Has(k) }

// BookSnapshot replaces symbol's book with a full snapshot from the stream.
func (d *Dispatch) BookSnapshot(symbol string, u orderbook.Update[orderbook.Change]) {
	d.book(symbol, func(s *orderbook.Sync[orderbook.Change], _ *orderbook.Book) error { return s.OnSnapshot(u) })
	d.changes = u.Changes
}

// BookTop replaces the book of symbol's partial-depth stream of depth
// levels (Spec.BookDepths) with u, the top of the book that stream sent.
func (d *Dispatch) BookTop(symbol string, depth int, u orderbook.Update[orderbook.Change]) {
	k := watch.Key{Kind: watch.Book, Symbol: symbol, Param: strconv.Itoa(depth)}
	d.bookAt(k, func(s *orderbook.Sync[orderbook.Change], _ *orderbook.Book) error { return s.OnSnapshot(u) })
	d.changes = u.Changes // the book and the sync keep copies, never the slice
}

// BookDelta applies an incremental update to symbol's book through its
// continuity scheme, then, when checksum is not nil, verifies the venue's
// checksum sent with it. The checksum is checked only when the book stands
// at the update's end: an update the book already holds (a snapshot
// fetched over REST can overtake the stream's older updates) is skipped,
// and its checksum describes an older state than the book's.
func (d *Dispatch) BookDelta(symbol string, u orderbook.Update[orderbook.Change], checksum *Checksum) {
	d.book(symbol, func(s *orderbook.Sync[orderbook.Change], b *orderbook.Book) error {
		if err := s.OnDelta(u); err != nil {
			return err
		}
		if checksum != nil && s.Synced() && b.Nonce() == u.Last {
			return b.VerifyChecksum(checksum.Spec, checksum.Expected)
		}
		return nil
	})
	d.changes = u.Changes // the book and the sync keep copies, never the slice
}

// Checksum is a book checksum the venue sent with an update.
type Checksum struct {
	Spec     orderbook.ChecksumSpec
	Expected int64
}

// book runs fn on symbol's book; a failure makes every reader get the error
// once and starts a resync.
func (d *Dispatch) book(symbol string, fn func(*orderbook.Sync[orderbook.Change], *orderbook.Book) error) {
	d.bookAt(watch.Key{Kind: watch.Book, Symbol: symbol}, fn)
}

// bookAt runs fn on the book of topic k, as book does.
func (d *Dispatch) bookAt(k watch.Key, fn func(*orderbook.Sync[orderbook.Change], *orderbook.Book) error) {
	bt := d.e.hub.FindBook(k)
	if bt == nil {
		return
	}
	if err := bt.Update(fn); err != nil {
		d.e.resync(k)
	}
}

// Trades publishes public trades of symbol.
func (d *Dispatch) Trades(symbol string, ts ...unified.Trade) {
	putList(d, watch.Key{Kind: watch.Trades, Symbol: symbol}, ts)
}

// OHLCV publishes candles of symbol and timeframe.
func (d *Dispatch) OHLCV(symbol, timeframe string, cs ...unified.OHLCV) {
	putList(d, watch.Key{Kind: watch.OHLCV, Symbol: symbol, Param: timeframe}, cs)
}

// Ticker publishes symbol's ticker, which must not be modified afterwards.
func (d *Dispatch) Ticker(t *unified.Ticker) {
	if vt := watch.FindValue[unified.Ticker](d.e.hub, watch.Key{Kind: watch.Ticker, Symbol: t.Symbol}); vt != nil {
		vt.Set(t)
	}
}

// Balance publishes the account's balances, which must not be modified
// afterwards.
func (d *Dispatch) Balance(b *unified.Balances) {
	if vt := watch.FindValue[unified.Balances](d.e.hub, watch.Key{Kind: watch.Balance}); vt != nil {
		vt.Set(b)
	}
}

// Orders publishes order updates, to the watchers of each order's symbol and
// to those of every symbol. A state older than the one already cached is
// dropped: a reconciliation's REST reply can arrive after the stream's later
// update of the same order. Stream and reconciliation publish one at a time,
// so the check and the put are one step.
func (d *Dispatch) Orders(os ...unified.Order) {
	d.e.ordersMu.Lock()
	defer d.e.ordersMu.Unlock()
	for i := range os {
		d.e.noteOrderLocked(os[i].Symbol, os[i].LastUpdateTimestamp)
	}
	fresh := os
	for i := range os {
		cur, ok := d.Order(os[i].Symbol, os[i].ID)
		if !ok || !olderOrder(&os[i], &cur) {
			if len(fresh) < len(os) {
				fresh = append(fresh, os[i])
			}
			continue
		}
		if len(fresh) == len(os) { // the first stale state: copy what came before
			fresh = append(make([]unified.Order, 0, len(os)), os[:i]...)
		}
	}
	putAccount(d, watch.Orders, fresh, func(o *unified.Order) string { return o.Symbol })
}

// NoteOrderSymbol records that the account has an order on symbol, for
// ReconcileOrders: call it when placing an order, whose events an outage
// may hide. Orders notes every order it publishes.
func (e *Engine) NoteOrderSymbol(symbol string) {
	e.ordersMu.Lock()
	defer e.ordersMu.Unlock()
	e.noteOrderLocked(symbol, time.Time{})
}

func (e *Engine) noteOrderLocked(symbol string, changed time.Time) {
	if symbol != "" {
		if e.orderSymbols == nil {
			e.orderSymbols = map[string]bool{}
		}
		e.orderSymbols[symbol] = true
	}
	if changed.After(e.lastOrderChange) {
		e.lastOrderChange = changed
	}
}

// ReconcileOrders publishes what an outage may have hidden of the
// account's orders, for Spec.Reconcile: the open orders (open), and for
// every symbol the account has had orders on, those that closed since
// margin before the newest order change published (closed; since is zero
// when none was seen).
func (d *Dispatch) ReconcileOrders(ctx context.Context, margin time.Duration,
	open func(context.Context) ([]unified.Order, error),
	closed func(ctx context.Context, symbol string, since time.Time) ([]unified.Order, error)) error {
	states, err := open(ctx)
	if err != nil {
		return err
	}
	d.e.ordersMu.Lock()
	var since time.Time
	if !d.e.lastOrderChange.IsZero() {
		since = d.e.lastOrderChange.Add(-margin)
	}
	symbols := make([]string, 0, len(d.e.orderSymbols))
	for s := range d.e.orderSymbols {
		symbols = append(symbols, s)
	}
	d.e.ordersMu.Unlock()
	sort.Strings(symbols)
	for _, symbol := range symbols {
		cs, err := closed(ctx, symbol, since)
		if err != nil {
			return err
		}
		states = append(states, cs...)
	}
	d.Orders(states...)
	return nil
}

// olderOrder reports whether o is an older state of the order than cur: by
// the venue's last-update time where both carry different ones, else a
// terminal status beats open and more filled beats less. Equal states are
// not older (an amend may change only the price).
func olderOrder(o, cur *unified.Order) bool {
	ot, ct := o.LastUpdateTimestamp, cur.LastUpdateTimestamp
	if !ot.IsZero() && !ct.IsZero() && !ot.Equal(ct) {
		return ot.Before(ct)
	}
	oDone, curDone := o.Status != unified.StatusOpen && o.Status != "", cur.Status != unified.StatusOpen && cur.Status != ""
	if oDone != curDone {
		return curDone
	}
	return o.Filled.Valid && cur.Filled.Valid && o.Filled.Decimal.LessThan(cur.Filled.Decimal)
}

// MyTrades publishes the account's fills.
func (d *Dispatch) MyTrades(ts ...unified.Trade) {
	putAccount(d, watch.MyTrades, ts, func(t *unified.Trade) string { return t.Symbol })
}

// Positions publishes position updates.
func (d *Dispatch) Positions(ps ...unified.Position) {
	putAccount(d, watch.Positions, ps, func(p *unified.Position) string { return p.Symbol })
}

// Order returns the cached state of an order (from the all-symbols topic,
// else its symbol's), for venues that send partial updates to merge.
func (d *Dispatch) Order(symbol, id string) (unified.Order, bool) {
	for _, k := range []watch.Key{{Kind: watch.Orders}, {Kind: watch.Orders, Symbol: symbol}} {
		if lt := watch.FindList[unified.Order](d.e.hub, k); lt != nil {
			if o, ok := lt.Get(cache.Key{Symbol: symbol, ID: id}); ok {
				return o, true
			}
		}
	}
	return unified.Order{}, false
}

// Fail reports an error on topic k: its readers get it once (for example a
// message of that topic that could not be parsed), and so do the readers of
// the topics k is a companion of (Spec.Companions).
func (d *Dispatch) Fail(k watch.Key, err error) { d.e.fail(k, err) }

func putList[T any](d *Dispatch, k watch.Key, items []T) {
	if len(items) == 0 {
		return
	}
	if lt := watch.FindList[T](d.e.hub, k); lt != nil {
		lt.Put(items...)
	}
}

// putAccount publishes account-wide items to the all-symbols topic and to
// each item's symbol topic.
func putAccount[T any](d *Dispatch, kind watch.Kind, items []T, symbol func(*T) string) {
	putList(d, watch.Key{Kind: kind}, items)
	for i := range items {
		if s := symbol(&items[i]); s != "" {
			putList(d, watch.Key{Kind: kind, Symbol: s}, items[i:i+1])
		}
	}
}
