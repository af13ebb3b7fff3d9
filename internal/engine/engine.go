// Package engine runs an exchange's streams: it maps topics to venue
// channels and channels to links (internal/stream), subscribes and
// unsubscribes with reference counts, logs in and resubscribes on every
// (re)connect, feeds the adapter's parsed messages into the topics of
// internal/watch, resynchronises books that lost sync, and reconciles private
// state after an outage. An adapter describes its venue in a Spec and writes
// no goroutine, reconnect or waiter code of its own.
package engine

import (
	"context"
	"log/slog"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/internal/backoff"
	"github.com/unifex-go/unifex/internal/stream"
	"github.com/unifex-go/unifex/internal/watch"
	"github.com/unifex-go/unifex/markets"
	"github.com/unifex-go/unifex/orderbook"
)

// Route is a group of topics that share connections: one endpoint and one
// authentication (for example "public spot", "private").
type Route struct {
	// Name identifies the route, for example "spot" or "private".
	Name string
	// Private routes run Spec.Login on every connection before subscribing,
	// and Spec.Reconcile after every reconnect.
	Private bool
}

// BookSnapshot is a full book fetched over REST for venues whose stream
// sends only deltas.
type BookSnapshot = orderbook.Update[orderbook.Change]

// Spec is an adapter's description of its streams. Required: Route,
// Channel, Link, Subscribe, Handle, Markets.
type Spec struct {
	// Exchange is the adapter id, for errors and logs.
	Exchange string
	// Markets returns the loaded markets (loading them if needed); Watch*
	// calls check their symbols against them.
	Markets func(ctx context.Context) (*markets.Snapshot, error)
	// Route says which connection group carries topic k, or an error
	// matching errors.NotSupported when the venue has no such stream.
	Route func(k watch.Key) (Route, error)
	// Channel names the venue subscription that carries k. Topics with the
	// same channel share one subscription (for example the account's
	// orders for every symbol).
	Channel func(k watch.Key) string
	// Companions, when set, names the topics a watch of k needs subscribed
	// besides k, for a venue that streams one kind of data on several
	// channels, perhaps on other routes (okx's algo orders come on the
	// business connection's orders-algo channel, its other orders on the
	// private one's orders). Each companion is routed, subscribed and
	// unsubscribed with k, as a topic of its own that no consumer reads:
	// the adapter's Handle publishes what its channel carries to k's kind
	// (Dispatch.Orders). A companion that cannot be subscribed fails k's
	// watch; its errors after that (an outage of its connection, a refused
	// resubscription or reconciliation, Dispatch.Fail of its topic) reach
	// k's readers as k's own do. Companions have no companions of their
	// own; nil for none.
	Companions func(k watch.Key) []watch.Key
	// Link returns the link configuration of a route: Dial, Transport,
	// Codec, Keepalive, limits. The engine sets OnConnect, OnMessage and
	// OnState itself.
	Link func(r Route) stream.Config
	// MaxChannelsPerLink caps the subscriptions of one connection; more
	// open more connections. 0 means no cap.
	MaxChannelsPerLink int
	// Renew, when set, runs every RenewEvery for each connection of a
	// private route, whatever its state: keep a listen key or a token alive.
	// An error drops the connection, so the next dial fetches a fresh
	// target through the link's Dial hook.
	Renew func(ctx context.Context, r Route) error
	// RenewEvery is Renew's period.
	RenewEvery time.Duration
	// Login authenticates a private route's connection; nil for none.
	Login func(ctx context.Context, r Route, s *stream.Session) error
	// Subscribe subscribes channels on a connection (and waits for the
	// venue's acknowledgement where it sends one).
	Subscribe func(ctx context.Context, r Route, s *stream.Session, channels []string) error
	// Unsubscribe unsubscribes channels; nil when the venue cannot (the
	// engine then drops the channel's messages instead).
	Unsubscribe func(ctx context.Context, r Route, s *stream.Session, channels []string) error
	// Handle parses one inbound message and publishes it through d. An
	// error it returns is logged at debug level and otherwise ignored:
	// failures of one topic are reported with d.Fail for that topic.
	Handle func(r Route, m stream.Message, d *Dispatch) error
	// Book says how a symbol's book is kept: continuity scheme, buffer,
	// counted levels.
	Book func(symbol string) watch.BookSpec
	// BookDepths are the venue's partial-depth streams, ascending (binance
	// 5, 10, 20): a book watched with a limit one of them covers rides on
	// the smallest such stream, whose every message is the top of the book
	// (Dispatch.BookTop), and needs no snapshot or continuity. Its topic's
	// Param is the depth. Nil: every watch gets the full book.
	BookDepths []int
	// BookDepthsOf, when set, gives the partial-depth streams of one
	// symbol's market instead of BookDepths, for a venue whose markets
	// differ (bybit's options have no snapshot-only stream: nil).
	BookDepthsOf func(symbol string) []int
	// BookSnapshot fetches a REST snapshot of a book, for venues whose
	// stream sends deltas only (binance); nil when the stream sends its own
	// snapshots, in which case a book that lost sync is resubscribed. An
	// error matching errors.NotSupported says that this venue's REST book
	// cannot seed the stream (okx's without a seqId): the book is then
	// resubscribed, and a snapshot the stream sends (Dispatch.BookSnapshot)
	// syncs it.
	BookSnapshot func(ctx context.Context, symbol string) (BookSnapshot, error)
	// BookVerifyEvery, when positive and BookSnapshot is set, re-checks
	// every watched full book this often against a fresh REST snapshot
	// brought to the same update (watch.BookTopic.StartVerify), one book
	// at a time: the python-binance depth cache's refresh, for venues whose
	// stream carries no checksum. A book that differs fails its readers
	// with an orderbook.DivergenceError (errors.ChecksumError) and resyncs.
	BookVerifyEvery time.Duration
	// Reconcile fetches the private state over REST (open orders and recent
	// changes, balances, positions) and publishes it through d; nil for
	// none. The engine runs it after every connect of a private route and
	// after each new private topic on a live one — so that a private watch's
	// first return carries the current state instead of waiting for a
	// change, and nothing an outage hid is lost — and tries again
	// (Spec.Resync's backoff) while it fails with anything but an
	// ExchangeError (bad credentials, a refused request), which retrying
	// cannot mend: that error goes to the route's readers.
	Reconcile func(ctx context.Context, r Route, d *Dispatch) error
	// Refresh fetches topic k's state over REST and publishes it through
	// d, for a venue whose stream only says that the state changed
	// (Dispatch.Refresh): binance futures balances, whose free and used
	// amounts no event carries. Failures are retried and reported as
	// Reconcile's are, to k's readers. Nil for none.
	Refresh func(ctx context.Context, k watch.Key, d *Dispatch) error
	// Limits sizes the caches; zero fields mean 1000.
	Limits Limits
	// Resync is the backoff between repeated resynchronisations of one
	// book; the zero Policy is CCXT's reconnect schedule.
	Resync backoff.Policy
	// RequestTimeout bounds subscriptions and snapshot fetches; 0 means 10 s.
	RequestTimeout time.Duration
	// Logger receives debug logs; nil discards them.
	Logger *slog.Logger
}

// Limits are the cache sizes.
type Limits struct {
	Trades, OHLCV, Orders int
}

// Engine runs one exchange's streams. It is safe for concurrent use.
type Engine struct {
	spec Spec
	hub  *watch.Hub
	log  *slog.Logger

	ctx    context.Context // ends at Close
	cancel context.CancelFunc
	jobs   sync.WaitGroup // resyncs and reconciliations

	ordersMu sync.Mutex // order states are checked and published one at a time
	// What order reconciliation needs, under ordersMu: the symbols the
	// account has had orders on, and the newest order change published.
	orderSymbols    map[string]bool
	lastOrderChange time.Time

	feedMu sync.Mutex
	feeds  map[Route]*Dispatch // Feed's, one per route

	mu        sync.Mutex
	closed    bool
	routes    map[string]*routeLinks
	placed    map[watch.Key]struct{}               // topics riding on a channel of a link
	owners    map[watch.Key]map[watch.Key]struct{} // companion -> the subscribed topics it serves
	resyncs   map[watch.Key]*resyncState
	refreshes map[watch.Key]*bool // running refreshes: whether another is due after
}

// routeLinks are the links of one route.
type routeLinks struct {
	route Route
	links []*link
}

// link is one connection of a route and the channels it carries.
type link struct {
	l        *stream.Link
	route    Route
	channels map[string]*channel
	session  *stream.Session     // the connection that is up, nil when none
	sent     map[string]struct{} // channels subscribed on session
}

// channel is one venue subscription and the topics riding on it.
type channel struct {
	name   string
	topics map[watch.Key]struct{}
}

// resyncState throttles one book's resynchronisations.
type resyncState struct {
	b       *backoff.Backoff
	running bool
	again   bool      // asked for while running, after the attempt looked at the book
	last    time.Time // when the last resync ended
}

// New returns an engine for spec. It connects nothing until the first
// subscription.
func New(spec Spec) (*Engine, error) {
	if spec.Route == nil || spec.Channel == nil || spec.Link == nil || spec.Subscribe == nil || spec.Handle == nil || spec.Markets == nil {
		return nil, errors.Newf(errors.ArgumentsRequired, "engine.Spec needs Markets, Route, Channel, Link, Subscribe and Handle")
	}
	if spec.RequestTimeout <= 0 {
		spec.RequestTimeout = 10 * time.Second
	}
	e := &Engine{spec: spec, hub: watch.NewHub(spec.Exchange), log: spec.Logger,
		routes: map[string]*routeLinks{}, placed: map[watch.Key]struct{}{}, owners: map[watch.Key]map[watch.Key]struct{}{},
		resyncs: map[watch.Key]*resyncState{}, refreshes: map[watch.Key]*bool{}}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	e.ctx, e.cancel = context.WithCancel(context.Background())
	if spec.BookVerifyEvery > 0 && spec.BookSnapshot != nil {
		e.goJob(e.verifyBooks)
	}
	return e, nil
}

// Hub returns the engine's topics.
func (e *Engine) Hub() *watch.Hub { return e.hub }

// Close ends every link, background job and waiter (they get
// errors.ExchangeClosedByUser). Idempotent.
func (e *Engine) Close() error {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return nil
	}
	e.closed = true
	var links []*link
	for _, rl := range e.routes {
		links = append(links, rl.links...)
	}
	e.routes, e.placed, e.owners = map[string]*routeLinks{}, map[watch.Key]struct{}{}, map[watch.Key]map[watch.Key]struct{}{}
	e.mu.Unlock()
	e.hub.Close()
	e.cancel()
	for _, l := range links {
		l.l.Close()
	}
	e.jobs.Wait()
	return nil
}

// closedError is the error for a use after Close.
func (e *Engine) closedError() error {
	return &errors.Error{Kind: errors.ExchangeClosedByUser, Exchange: e.spec.Exchange, Message: "the exchange was closed"}
}

// subscribe makes sure topic k, and its companions (Spec.Companions), ride
// on subscribed channels. A companion that fails unsubscribes k. Each
// companion records k as a topic it serves (e.owners), so that what fails
// on the companion's channel reaches k's readers.
func (e *Engine) subscribe(ctx context.Context, k watch.Key) error {
	if err := e.subscribeOne(ctx, k); err != nil {
		return err
	}
	if e.spec.Companions == nil {
		return nil
	}
	for _, c := range e.spec.Companions(k) {
		if err := e.subscribeOne(ctx, c); err != nil {
			e.unsubscribe(k)
			return err
		}
		e.mu.Lock()
		if !e.closed {
			if e.owners[c] == nil {
				e.owners[c] = map[watch.Key]struct{}{}
			}
			e.owners[c][k] = struct{}{}
		}
		e.mu.Unlock()
	}
	return nil
}

// withOwnersLocked returns keys with the topics their companions among
// them serve added, each key once.
func (e *Engine) withOwnersLocked(keys []watch.Key) []watch.Key {
	if len(e.owners) == 0 {
		return keys
	}
	seen := make(map[watch.Key]struct{}, len(keys))
	out := make([]watch.Key, 0, len(keys))
	add := func(k watch.Key) {
		if _, dup := seen[k]; !dup {
			seen[k] = struct{}{}
			out = append(out, k)
		}
	}
	for _, k := range keys {
		add(k)
		for owner := range e.owners[k] {
			add(owner)
		}
	}
	return out
}

// fail reports err to the readers of topic k, and to those of the topics
// k is a companion of.
func (e *Engine) fail(k watch.Key, err error) {
	e.mu.Lock()
	keys := e.withOwnersLocked([]watch.Key{k})
	e.mu.Unlock()
	for _, k := range keys {
		e.hub.Fail(k, err)
	}
}

// subscribeOne makes sure topic k rides on a subscribed channel of a link.
// Every watch calls it; a topic already placed costs one map lookup, so the
// adapter's Route and Channel run only when something is to be done.
func (e *Engine) subscribeOne(ctx context.Context, k watch.Key) error {
	e.mu.Lock()
	_, placed := e.placed[k]
	e.mu.Unlock()
	if placed {
		return nil // subscribed, or the next connection subscribes it
	}
	r, err := e.spec.Route(k)
	if err != nil {
		return err
	}
	name := e.spec.Channel(k)

	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return e.closedError()
	}
	ln, ch := e.placeLocked(r, name)
	if ch != nil {
		if _, ok := ch.topics[k]; ok {
			e.mu.Unlock()
			return nil // subscribed, or the next connection subscribes it
		}
	} else {
		var err error
		if ln == nil {
			if ln, err = e.openLocked(r); err != nil {
				e.mu.Unlock()
				return err
			}
		}
		ch = &channel{name: name, topics: map[watch.Key]struct{}{}}
		ln.channels[name] = ch
	}
	ch.topics[k] = struct{}{}
	e.placed[k] = struct{}{}
	s := ln.session
	send := s != nil && !has(ln.sent, name)
	if send {
		ln.sent[name] = struct{}{}
	}
	e.mu.Unlock()

	if !send {
		// Already subscribed, or the next connection subscribes it (and
		// reconciles). A new private topic on a live channel still needs
		// the current state.
		if s != nil && r.Private && e.spec.Reconcile != nil {
			e.goJob(func(ctx context.Context) { e.reconcile(ctx, r) })
		}
		return nil
	}
	sctx, cancel := context.WithTimeout(ctx, e.spec.RequestTimeout)
	defer cancel()
	if err := e.spec.Subscribe(sctx, r, s, []string{name}); err != nil {
		e.mu.Lock()
		delete(ln.sent, name)
		e.mu.Unlock()
		e.unsubscribeOne(k)
		return err
	}
	if k.Kind == watch.Book {
		e.startSnapshot(k)
	}
	if r.Private && e.spec.Reconcile != nil {
		e.goJob(func(ctx context.Context) { e.reconcile(ctx, r) })
	}
	return nil
}

func has(m map[string]struct{}, k string) bool { _, ok := m[k]; return ok }

// placeLocked finds the link that carries channel name, or else one with
// room for it (ch nil), or neither (a new link is needed).
func (e *Engine) placeLocked(r Route, name string) (*link, *channel) {
	rl := e.routes[r.Name]
	if rl == nil {
		return nil, nil
	}
	for _, ln := range rl.links {
		if ch := ln.channels[name]; ch != nil {
			return ln, ch
		}
	}
	for _, ln := range rl.links {
		if e.spec.MaxChannelsPerLink <= 0 || len(ln.channels) < e.spec.MaxChannelsPerLink {
			return ln, nil
		}
	}
	return nil, nil
}

// openLocked starts a new link for route r.
func (e *Engine) openLocked(r Route) (*link, error) {
	rl := e.routes[r.Name]
	if rl == nil {
		rl = &routeLinks{route: r}
		e.routes[r.Name] = rl
	}
	ln := &link{route: r, channels: map[string]*channel{}, sent: map[string]struct{}{}}
	cfg := e.spec.Link(r)
	if cfg.Exchange == "" {
		cfg.Exchange = e.spec.Exchange
	}
	if cfg.Name == "" {
		cfg.Name = r.Name + " #" + strconv.Itoa(len(rl.links)+1)
	}
	if cfg.Logger == nil {
		cfg.Logger = e.spec.Logger
	}
	d := &Dispatch{e: e, route: r, ln: ln}
	cfg.OnConnect = func(ctx context.Context, s *stream.Session) error { return e.onConnect(ctx, ln, s) }
	cfg.OnMessage = func(m stream.Message, err error) { e.onMessage(ln, d, m, err) }
	cfg.OnState = func(ev stream.Event) { e.onState(ln, ev) }
	l, err := stream.New(cfg)
	if err != nil {
		return nil, err
	}
	if r.Private && e.spec.Renew != nil && e.spec.RenewEvery > 0 {
		if err := l.Every(e.spec.RenewEvery, func(ctx context.Context) error { return e.spec.Renew(ctx, r) }); err != nil {
			l.Close()
			return nil, err
		}
	}
	ln.l = l
	rl.links = append(rl.links, ln)
	return ln, nil
}

// onConnect logs in and subscribes every channel of the link, then starts
// the book snapshots the venue's REST API must provide.
func (e *Engine) onConnect(ctx context.Context, ln *link, s *stream.Session) error {
	if ln.route.Private && e.spec.Login != nil {
		if err := e.spec.Login(ctx, ln.route, s); err != nil {
			return err
		}
	}
	e.mu.Lock()
	names := make([]string, 0, len(ln.channels))
	var books []watch.Key
	for name, ch := range ln.channels {
		names = append(names, name)
		for k := range ch.topics {
			if k.Kind == watch.Book {
				books = append(books, k)
			}
		}
	}
	sort.Strings(names)
	ln.sent = map[string]struct{}{}
	for _, n := range names {
		ln.sent[n] = struct{}{}
	}
	ln.session = s
	e.mu.Unlock()
	if len(names) > 0 {
		if err := e.spec.Subscribe(ctx, ln.route, s, names); err != nil {
			e.mu.Lock()
			ln.session, ln.sent = nil, map[string]struct{}{}
			e.mu.Unlock()
			return err
		}
	}
	for _, k := range books {
		e.startSnapshot(k)
	}
	return nil
}

// onMessage hands one inbound message to the adapter.
func (e *Engine) onMessage(ln *link, d *Dispatch, m stream.Message, err error) {
	if err != nil {
		e.log.Debug("undecodable frame", slog.String("route", ln.route.Name), slog.String("err", err.Error()))
		return
	}
	if err := e.spec.Handle(ln.route, m, d); err != nil {
		e.log.Debug("unhandled message", slog.String("route", ln.route.Name), slog.String("err", err.Error()))
	}
}

// Feed hands m to the adapter's Handle as if it had arrived on a
// connection of route r, and returns Handle's error: the entry point for
// replaying recorded frames and for fuzzing an adapter's parsers without
// a network.
//
// Feeds are handled one at a time, each route's through one Dispatch, as
// a connection's messages are.
func (e *Engine) Feed(r Route, m stream.Message) error {
	e.feedMu.Lock()
	defer e.feedMu.Unlock()
	d := e.feeds[r]
	if d == nil {
		if e.feeds == nil {
			e.feeds = map[Route]*Dispatch{}
		}
		d = &Dispatch{e: e, route: r}
		e.feeds[r] = d
	}
	return e.spec.Handle(r, m, d)
}

// onState follows the link's life: an outage interrupts its topics; every
// connect of a private route reconciles (the first one publishes the
// current state, a later one what the outage missed).
func (e *Engine) onState(ln *link, ev stream.Event) {
	switch ev.State {
	case stream.Disconnected:
		e.mu.Lock()
		ln.session, ln.sent = nil, map[string]struct{}{}
		keys := e.withOwnersLocked(ln.keysLocked())
		e.mu.Unlock()
		err := ev.Err
		if err == nil {
			err = errors.Newf(errors.NetworkError, "connection lost")
		}
		e.hub.Interrupt(keys, err)
	case stream.Connected:
		if ln.route.Private && e.spec.Reconcile != nil {
			e.goJob(func(ctx context.Context) { e.reconcile(ctx, ln.route) })
		}
	}
}

// reconcile runs Spec.Reconcile for route r until it succeeds, fails for
// good, or the engine closes.
func (e *Engine) reconcile(ctx context.Context, r Route) {
	d := &Dispatch{e: e, route: r}
	e.retry(ctx, "reconciliation of "+r.Name,
		func(ctx context.Context) error { return e.spec.Reconcile(ctx, r, d) },
		func(err error) { e.failRoute(r, err) })
}

// refresh runs Spec.Refresh for topic k in the background. Requests
// coalesce: while one runs, any number of new ones make one more run after
// it, so the last state published is never older than the last request.
func (e *Engine) refresh(r Route, k watch.Key) {
	e.mu.Lock()
	if again := e.refreshes[k]; again != nil {
		*again = true
		e.mu.Unlock()
		return
	}
	again := new(bool)
	e.refreshes[k] = again
	e.mu.Unlock()
	e.goJob(func(ctx context.Context) {
		d := &Dispatch{e: e, route: r}
		for {
			e.retry(ctx, "refresh of "+k.String(),
				func(ctx context.Context) error { return e.spec.Refresh(ctx, k, d) },
				func(err error) { e.fail(k, err) })
			e.mu.Lock()
			if !*again || ctx.Err() != nil {
				delete(e.refreshes, k)
				e.mu.Unlock()
				return
			}
			*again = false
			e.mu.Unlock()
		}
	})
}

// retry runs fn until it succeeds, fails for good, or ctx ends. An
// ExchangeError (refused credentials, a refused request), which retrying
// cannot mend, goes to fail, once; other failures are retried after
// Spec.Resync's backoff.
func (e *Engine) retry(ctx context.Context, what string, fn func(context.Context) error, fail func(error)) {
	bo := backoff.New(e.spec.Resync, nil)
	for {
		err := fn(ctx)
		if err == nil || ctx.Err() != nil {
			return
		}
		e.log.Debug(what+" failed", slog.String("err", err.Error()))
		if errors.Is(err, errors.ExchangeError) {
			fail(err)
			return
		}
		if backoff.Sleep(ctx, bo.Next()) != nil {
			return
		}
	}
}

// failRoute reports err to the readers of every topic of route r.
func (e *Engine) failRoute(r Route, err error) {
	e.mu.Lock()
	var keys []watch.Key
	if rl := e.routes[r.Name]; rl != nil {
		for _, ln := range rl.links {
			keys = append(keys, ln.keysLocked()...)
		}
	}
	keys = e.withOwnersLocked(keys)
	e.mu.Unlock()
	for _, k := range keys {
		e.hub.Fail(k, err)
	}
}

func (ln *link) keysLocked() []watch.Key {
	var keys []watch.Key
	for _, ch := range ln.channels {
		for k := range ch.topics {
			keys = append(keys, k)
		}
	}
	return keys
}

// unsubscribe removes topic k from its channel; the channel's last topic
// unsubscribes it, and a link's last channel closes the link.
func (e *Engine) unsubscribe(k watch.Key) {
	if e.spec.Companions != nil {
		for _, c := range e.spec.Companions(k) {
			e.mu.Lock()
			if owners := e.owners[c]; owners != nil {
				delete(owners, k)
				if len(owners) == 0 {
					delete(e.owners, c)
				}
			}
			e.mu.Unlock()
			e.unsubscribeOne(c)
		}
	}
	e.unsubscribeOne(k)
}

// unsubscribeOne drops topic k from its channel, unsubscribing the channel
// when k was its last topic and closing the link when it carries no other.
func (e *Engine) unsubscribeOne(k watch.Key) {
	r, err := e.spec.Route(k)
	if err != nil {
		return
	}
	name := e.spec.Channel(k)
	e.mu.Lock()
	delete(e.resyncs, k)
	rl := e.routes[r.Name]
	if rl == nil {
		e.mu.Unlock()
		return
	}
	var ln *link
	for _, cand := range rl.links {
		if ch := cand.channels[name]; ch != nil {
			if _, ok := ch.topics[k]; ok {
				ln = cand
				delete(ch.topics, k)
				delete(e.placed, k)
				if len(ch.topics) > 0 {
					e.mu.Unlock()
					return
				}
				delete(cand.channels, name)
				break
			}
		}
	}
	if ln == nil {
		e.mu.Unlock()
		return
	}
	s := ln.session
	wasSent := has(ln.sent, name)
	delete(ln.sent, name)
	closeLink := len(ln.channels) == 0
	if closeLink {
		for i, cand := range rl.links {
			if cand == ln {
				rl.links = append(rl.links[:i], rl.links[i+1:]...)
				break
			}
		}
	}
	e.mu.Unlock()

	if closeLink {
		ln.l.Close()
		return
	}
	if s != nil && wasSent && e.spec.Unsubscribe != nil {
		ctx, cancel := context.WithTimeout(e.ctx, e.spec.RequestTimeout)
		defer cancel()
		if err := e.spec.Unsubscribe(ctx, r, s, []string{name}); err != nil {
			e.log.Debug("unsubscribe failed", slog.String("channel", name), slog.String("err", err.Error()))
		}
	}
}

// goJob runs fn in the background until Close.
func (e *Engine) goJob(fn func(ctx context.Context)) {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return
	}
	e.jobs.Add(1)
	e.mu.Unlock()
	go func() {
		defer e.jobs.Done()
		fn(e.ctx)
	}()
}

// bookKey is the topic of symbol's book for a watch that asks for limit
// levels (0: all): the full book, or the shallowest partial-depth stream
// with enough levels.
func (e *Engine) bookKey(symbol string, limit int) watch.Key {
	k := watch.Key{Kind: watch.Book, Symbol: symbol}
	if limit > 0 {
		for _, d := range e.bookDepths(symbol) {
			if limit <= d {
				k.Param = strconv.Itoa(d)
				break
			}
		}
	}
	return k
}

// bookDepths are the partial-depth streams of symbol's market.
func (e *Engine) bookDepths(symbol string) []int {
	if e.spec.BookDepthsOf != nil {
		return e.spec.BookDepthsOf(symbol)
	}
	return e.spec.BookDepths
}

// startSnapshot fetches a REST snapshot for book k when the venue needs one
// (after its subscription is sent, so that buffered deltas bridge the gap).
func (e *Engine) startSnapshot(k watch.Key) {
	if e.spec.BookSnapshot != nil && k.Param == "" {
		e.resyncBook(k, true)
	}
}

// resync brings book k back in sync: a REST snapshot where the venue needs
// one, else a resubscription that makes the stream send a fresh snapshot,
// which replaces the book. One resync runs at a time per book; a request
// while one runs makes it look at the book once more before it ends (the
// book may have failed again just after the running one synced it). A book
// that keeps losing sync waits longer each time (Spec.Resync), starting
// again from no delay once it has stayed in sync for 30 s.
func (e *Engine) resync(k watch.Key) { e.resyncBook(k, false) }

// resyncBook is resync; initial says that k was just subscribed (its first
// snapshot, not a lost sync).
func (e *Engine) resyncBook(k watch.Key, initial bool) {
	e.mu.Lock()
	rs := e.resyncs[k]
	if rs == nil {
		rs = &resyncState{b: backoff.New(e.spec.Resync, nil)}
		e.resyncs[k] = rs
	}
	if rs.running {
		rs.again = true
		e.mu.Unlock()
		return
	}
	rs.running = true
	if time.Since(rs.last) >= 30*time.Second {
		rs.b.Reset()
	}
	e.mu.Unlock()

	e.goJob(func(ctx context.Context) {
		for first := true; ; first = false {
			// The first attempt of a calm book is immediate; repeats back off.
			e.mu.Lock()
			delay := rs.b.Next()
			if first && rs.b.Attempts() == 1 {
				delay = 0
			}
			e.mu.Unlock()
			if backoff.Sleep(ctx, delay) == nil && e.resyncAttempt(ctx, rs, k, initial) {
				continue // the snapshot did not sync the book
			}
			// Ending and the check for a request made meanwhile are one
			// step: a request after it starts a resync of its own.
			e.mu.Lock()
			if rs.again && ctx.Err() == nil {
				initial = false // the book lost its sync since
				e.mu.Unlock()
				continue
			}
			rs.running, rs.last = false, time.Now()
			e.mu.Unlock()
			return
		}
	})
}

// resyncAttempt is one attempt of book k's resync (see resyncBook); retry
// says that it failed and is to be made again after the backoff.
func (e *Engine) resyncAttempt(ctx context.Context, rs *resyncState, k watch.Key, initial bool) (retry bool) {
	e.mu.Lock()
	rs.again = false // what this attempt sees answers every request so far
	e.mu.Unlock()
	bt := e.hub.FindBook(k)
	if bt == nil {
		return false // nobody watches it any more
	}
	if bt.Synced() {
		return false // the stream's own snapshot came first
	}
	if e.spec.BookSnapshot == nil || k.Param != "" { // partial books are snapshots
		bt.Restart()
		e.resubscribe(ctx, k)
		return false
	}
	// The book is not restarted for a REST snapshot: the updates buffered
	// since the subscription, or kept after a gap, are what the snapshot is
	// bridged with (a snapshot may be older than the first of them). An
	// outage restarted the book already.
	sctx, cancel := context.WithTimeout(ctx, e.spec.RequestTimeout)
	snap, err := e.spec.BookSnapshot(sctx, k.Symbol)
	cancel()
	if errors.Is(err, errors.NotSupported) {
		// This REST book cannot seed the stream (okx before its 2026
		// change: no seqId); the stream sends its own snapshot. Just
		// subscribed, it is on its way: wait for it (a resubscription would
		// send a second one, which silently replaces the first and hides
		// whatever went wrong in between). After a lost sync, or when it
		// does not come, resubscribe.
		if initial && e.awaitSynced(ctx, rs, bt) {
			return false
		}
		e.mu.Lock()
		rs.again = false // what follows answers every request so far
		e.mu.Unlock()
		if !bt.Synced() {
			bt.Restart()
			e.resubscribe(ctx, k)
		}
		return false
	}
	if err == nil {
		err = bt.Update(func(s *orderbook.Sync[orderbook.Change], _ *orderbook.Book) error { return s.OnSnapshot(snap) })
	} else {
		bt.Fail(err)
	}
	if err == nil || ctx.Err() != nil {
		return false
	}
	e.log.Debug("book resync failed", slog.String("topic", k.String()), slog.String("err", err.Error()))
	return true
}

// awaitSynced waits up to Spec.RequestTimeout for book bt, whose resync is
// rs, to be synced, and reports whether it is. It gives up early when a
// resync is asked for meanwhile: the book synced and failed again.
func (e *Engine) awaitSynced(ctx context.Context, rs *resyncState, bt *watch.BookTopic) bool {
	deadline := time.Now().Add(e.spec.RequestTimeout)
	for !bt.Synced() {
		e.mu.Lock()
		asked := rs.again
		e.mu.Unlock()
		if asked || time.Now().After(deadline) || backoff.Sleep(ctx, 5*time.Millisecond) != nil {
			return false
		}
	}
	return true
}

// verifyBooks re-checks the watched full books every Spec.BookVerifyEvery
// until Close.
func (e *Engine) verifyBooks(ctx context.Context) {
	tick := time.NewTicker(e.spec.BookVerifyEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		e.mu.Lock()
		var books []watch.Key
		for k := range e.placed {
			if k.Kind == watch.Book && k.Param == "" {
				books = append(books, k)
			}
		}
		e.mu.Unlock()
		sort.Slice(books, func(i, j int) bool { return books[i].Symbol < books[j].Symbol })
		for _, k := range books {
			if ctx.Err() != nil {
				return
			}
			e.verifyBook(ctx, k)
		}
	}
}

// verifyBook compares book k with a fresh REST snapshot brought to the
// same update; a divergence (the readers were told) resyncs the book.
func (e *Engine) verifyBook(ctx context.Context, k watch.Key) {
	bt := e.hub.FindBook(k)
	if bt == nil {
		return
	}
	verdict, ok := bt.StartVerify() // before the request: updates meanwhile are kept
	if !ok {
		return // not synced, or resyncing
	}
	defer bt.StopVerify()
	sctx, cancel := context.WithTimeout(ctx, e.spec.RequestTimeout)
	defer cancel()
	snap, err := e.spec.BookSnapshot(sctx, k.Symbol)
	if err != nil {
		e.log.Debug("book verification: no snapshot", slog.String("topic", k.String()), slog.String("err", err.Error()))
		return
	}
	if err := bt.VerifySnapshot(snap); err != nil {
		// The books met at once and differ: the book has failed; bring
		// it back (a divergence found by a later update resyncs there).
		e.log.Warn("book differs from a fresh snapshot; resyncing", slog.String("topic", k.String()), slog.String("err", err.Error()))
		e.resync(k)
		return
	}
	select { // the books meet at the next update
	case err = <-verdict:
	case <-sctx.Done():
		err = watch.ErrVerifyInconclusive
	}
	switch {
	case err == nil:
		e.log.Debug("book verified", slog.String("topic", k.String()))
	case errors.Is(err, errors.ChecksumError):
		e.log.Warn("book differs from a fresh snapshot; resyncing", slog.String("topic", k.String()), slog.String("err", err.Error()))
	default:
		e.log.Debug("book verification inconclusive", slog.String("topic", k.String()))
	}
}

// resubscribe unsubscribes and subscribes k's channel again, so that the
// stream sends a fresh snapshot.
func (e *Engine) resubscribe(ctx context.Context, k watch.Key) {
	r, err := e.spec.Route(k)
	if err != nil {
		return
	}
	name := e.spec.Channel(k)
	e.mu.Lock()
	var s *stream.Session
	if rl := e.routes[r.Name]; rl != nil {
		for _, ln := range rl.links {
			if ln.channels[name] != nil && has(ln.sent, name) {
				s = ln.session
			}
		}
	}
	e.mu.Unlock()
	if s == nil {
		return // the next connection subscribes afresh
	}
	sctx, cancel := context.WithTimeout(ctx, e.spec.RequestTimeout)
	defer cancel()
	if e.spec.Unsubscribe != nil {
		if err := e.spec.Unsubscribe(sctx, r, s, []string{name}); err != nil {
			e.log.Debug("resync unsubscribe failed", slog.String("channel", name), slog.String("err", err.Error()))
		}
	}
	if err := e.spec.Subscribe(sctx, r, s, []string{name}); err != nil {
		e.log.Debug("resync subscribe failed", slog.String("channel", name), slog.String("err", err.Error()))
	}
}

// Request sends a request over a connection of route r and waits for its
// answer (order entry over WebSocket, RPC-style APIs). It opens a
// connection when the route has none and waits for it to be up. On a drop
// the error says whether the request may have reached the venue
// (errors.SafeToRetry); it is never sent again by the engine.
func (e *Engine) Request(ctx context.Context, r Route, req stream.Request) (stream.Message, error) {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return stream.Message{}, e.closedError()
	}
	var ln *link
	if rl := e.routes[r.Name]; rl != nil && len(rl.links) > 0 {
		ln = rl.links[0]
	} else {
		var err error
		if ln, err = e.openLocked(r); err != nil {
			e.mu.Unlock()
			return stream.Message{}, err
		}
	}
	e.mu.Unlock()
	if err := ln.l.WaitUp(ctx); err != nil {
		return stream.Message{}, err
	}
	return ln.l.Request(ctx, req)
}
