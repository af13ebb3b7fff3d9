package stream

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/internal/backoff"
	"github.com/unifex-go/unifex/internal/ratelimit"
)

// Defaults for the Config timeouts left at zero.
const (
	DefaultConnectTimeout = 10 * time.Second
	DefaultWriteTimeout   = 10 * time.Second
	DefaultRequestTimeout = 10 * time.Second
)

// Config describes one link. Only Dial is required.
type Config struct {
	// Exchange is the adapter id put into errors (errors.Error.Exchange).
	Exchange string
	// Name labels the link in logs, for example "binance public #2".
	Name string

	// Dial returns where to connect. It is called before every dial and
	// re-dial, so it can fetch a fresh token or listen key (KuCoin's
	// bullet, GMO Coin's access token). Its ctx carries the connect
	// timeout. An error counts as a failed dial.
	Dial func(ctx context.Context) (Target, error)
	// Transport opens connections; nil means WebSocket{}.
	Transport Transport
	// Codec frames messages; nil means Plain{}.
	Codec Codec
	// Keepalive is the venue's liveness rule (a Target may override it).
	Keepalive Keepalive

	// OnConnect runs on every connection after the transport and codec
	// handshakes and before the link is declared up: log in, then
	// subscribe every live topic. It may use s (Send, Request, Await); it
	// runs on its own goroutine while the link reads, pings and watches
	// liveness, and ctx ends when the connection does. An error drops the
	// connection and the link backs off and dials again. Its error is
	// reported as it is when it is in the errors taxonomy, else wrapped as
	// NetworkError.
	OnConnect func(ctx context.Context, s *Session) error
	// OnMessage receives every decoded inbound message that no Request
	// consumed and Keepalive.Answer did not handle, in order, on the
	// reader goroutine. Messages of a new connection can arrive before its
	// Connected event (replies to what OnConnect subscribed). When a frame fails to decode, it receives the raw
	// frame and an error matching errors.BadResponse; the link goes on.
	// m.Data is valid only during the call. OnMessage must not block for
	// long and must not call Request or Close.
	OnMessage func(m Message, err error)
	// OnState receives the link's state changes in order. OnState and
	// OnMessage are never called at the same time. It must not block on
	// the link (Request, Await, Close).
	OnState func(e Event)
	// ResponseID extracts the correlation id from an inbound message, for
	// Request with an ID (JSON-RPC "id", Binance WS API "id"). It is called
	// only while such a request is waiting. id may alias m.Data.
	ResponseID func(m Message) (id []byte, ok bool)

	// ConnectTimeout bounds the dial hook, the transport dial and the
	// codec handshake together (DefaultConnectTimeout when 0).
	ConnectTimeout time.Duration
	// WriteTimeout bounds each write on the connection (DefaultWriteTimeout
	// when 0). A write that times out ends the connection.
	WriteTimeout time.Duration
	// RequestTimeout bounds each Request unless its ctx ends sooner
	// (DefaultRequestTimeout when 0; negative means only ctx bounds it).
	RequestTimeout time.Duration

	// MaxLifetime is the venue's cap on a connection's life (binance cuts
	// every connection at 24 h): the link reconnects on its own when a
	// connection has been up this long, so the cut never comes
	// unannounced; readers see it as an outage. 0 means no cap.
	MaxLifetime time.Duration

	// Backoff is the reconnect schedule; the zero Policy is CCXT's (1 s,
	// ×2, 60 s cap, ±20 % jitter, reset after 30 s up).
	Backoff backoff.Policy
	// Rand draws the jitter (nil: math/rand/v2); tests fix it.
	Rand func() float64

	// MessagesPerSecond, when > 0, limits the messages sent on this
	// link's connection (Send and Request; keepalive frames are exempt),
	// with MessageBurst as the bucket size (1 when < 1).
	MessagesPerSecond float64
	// MessageBurst is the burst allowed by MessagesPerSecond.
	MessageBurst float64
	// Limiter, if set, is waited on as well before each message: share one
	// between links for a cap that spans connections (GMO Coin's one
	// subscribe per second per IP), or use it for an operation-specific
	// cap.
	Limiter *ratelimit.Limiter

	// Hooks are optional observers.
	Hooks Hooks
	// Logger receives lifecycle records at debug level (nil: none). They
	// name the host, never the path, query or headers.
	Logger *slog.Logger
}

// Hooks observe a link; every field is optional. Lifecycle hooks run on
// the link's goroutine, FrameRead and PingRTT on the reader's: keep them
// fast.
type Hooks struct {
	// Connect is called after each dial attempt with its duration and
	// outcome (err nil: the transport and codec handshakes succeeded).
	Connect func(host string, attempt int, took time.Duration, err error)
	// Disconnect is called when a connection that was up is lost.
	Disconnect func(err error, uptime time.Duration)
	// Reconnect is called when a dial is scheduled after a failure or a
	// drop: attempt counts failed dials since the link was last up (0 after
	// losing a connection that was up).
	Reconnect func(attempt int, delay time.Duration)
	// FrameRead is called for each inbound frame with its size in bytes.
	FrameRead func(bytes int)
	// PingRTT is called with the round trip of each protocol ping.
	PingRTT func(rtt time.Duration)
}

// State is where a link is in its life.
type State uint8

const (
	// Connecting: a dial is under way.
	Connecting State = iota + 1
	// Connected: the connection is up and OnConnect has succeeded.
	Connected
	// Disconnected: the connection failed or was lost; a dial follows
	// after Event.Delay.
	Disconnected
	// Closed: Close was called; nothing follows.
	Closed
)

// String returns the state's name.
func (s State) String() string {
	switch s {
	case Connecting:
		return "connecting"
	case Connected:
		return "connected"
	case Disconnected:
		return "disconnected"
	case Closed:
		return "closed"
	}
	return "unknown"
}

// Event is one state change.
type Event struct {
	// State is the state the link entered.
	State State
	// Err says why the link is Disconnected: it matches errors.NetworkError
	// (RequestTimeout for a silent link or a connect timeout) unless the
	// dial hook, a refused handshake (401: AuthenticationError) or
	// OnConnect returned another kind of the taxonomy.
	Err error
	// Attempt counts dials since the link was last up (1 = the first). It
	// is 0 in the Disconnected event of a connection that had been up.
	Attempt int
	// Reconnect is true for Connecting and Connected after the link had
	// been up before: what arrives next follows a gap.
	Reconnect bool
	// Uptime is how long a Disconnected connection had been up (0 if it
	// never was).
	Uptime time.Duration
	// Delay is how long a Disconnected link waits before dialling again.
	Delay time.Duration
	// Session is the connection that is now up (Connected only).
	Session *Session
}

// Stats are a link's counters since New.
type Stats struct {
	State        State         // the current state
	Dials        uint64        // dial attempts
	Connects     uint64        // times the link came up
	Drops        uint64        // connections lost after being up
	FramesRead   uint64        // inbound frames
	BytesRead    uint64        // inbound bytes, before decoding
	Sent         uint64        // messages written by Send and Request
	BytesSent    uint64        // bytes written by Send and Request
	DecodeErrors uint64        // frames the codec could not decode
	LastPingRTT  time.Duration // round trip of the latest protocol ping
}

// Link is one self-healing logical connection to one venue endpoint: it
// dials, runs the venue's handshake and OnConnect step, keeps the
// connection alive, reconnects with backoff when it drops, and offers
// Send and correlated Request over whichever connection is up. A Link is
// safe for concurrent use. It costs one goroutine, plus one reader while
// connected.
type Link struct {
	cfg     Config
	tr      Transport
	codec   Codec
	limiter *ratelimit.Limiter
	log     *slog.Logger
	epoch   time.Time

	ctx    context.Context // ends at Close
	cancel context.CancelFunc
	wg     sync.WaitGroup // the run loop and Every tasks

	mu     sync.Mutex
	closed bool
	live   *Session      // the current connection, from handshake to loss
	up     *Session      // live, once OnConnect succeeded
	upCh   chan struct{} // closed while up
	state  State

	cbMu sync.Mutex // serialises OnMessage and OnState

	everUp bool // run loop only

	dials, connects, drops, framesRead, bytesRead, sent, bytesSent, decodeErrors atomic.Uint64
	lastRTT                                                                      atomic.Int64
}

// New validates cfg and starts the link: it dials at once in the
// background. Use WaitUp, OnState or Event.Session to learn when it is up,
// and Close to stop it.
func New(cfg Config) (*Link, error) {
	if cfg.Dial == nil {
		return nil, newError(errors.BadRequest, cfg.Exchange, "stream.Config needs a Dial hook", nil, true)
	}
	if cfg.Keepalive.Interval < 0 || cfg.Keepalive.Timeout < 0 {
		return nil, newError(errors.BadRequest, cfg.Exchange, "negative keepalive interval or timeout", nil, true)
	}
	if cfg.MessagesPerSecond < 0 {
		return nil, newError(errors.BadRequest, cfg.Exchange, "negative MessagesPerSecond", nil, true)
	}
	if cfg.ConnectTimeout <= 0 {
		cfg.ConnectTimeout = DefaultConnectTimeout
	}
	if cfg.WriteTimeout <= 0 {
		cfg.WriteTimeout = DefaultWriteTimeout
	}
	if cfg.RequestTimeout == 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	l := &Link{cfg: cfg, tr: cfg.Transport, codec: cfg.Codec, log: cfg.Logger, epoch: time.Now()}
	if l.tr == nil {
		l.tr = WebSocket{}
	}
	if l.codec == nil {
		l.codec = Plain{}
	}
	if l.log == nil {
		l.log = slog.New(slog.DiscardHandler)
	}
	l.log = l.log.With(slog.String("exchange", cfg.Exchange), slog.String("link", cfg.Name))
	if cfg.MessagesPerSecond > 0 {
		l.limiter = ratelimit.New(cfg.MessagesPerSecond, cfg.MessageBurst, nil)
	}
	l.ctx, l.cancel = context.WithCancel(context.Background())
	l.upCh = make(chan struct{})
	l.state = Connecting
	l.wg.Add(1)
	go l.run()
	return l, nil
}

// Close ends the link: the connection, every goroutine and timer it
// started (Every tasks included), and every waiting Send and Request, which
// fail with errors.ExchangeClosedByUser (Unsent only if nothing was
// written). It waits for all of that, so it must not be called from a
// callback or an Every task. It is idempotent and returns nil.
func (l *Link) Close() error {
	l.mu.Lock()
	l.closed = true
	l.mu.Unlock()
	l.cancel()
	l.wg.Wait()
	return nil
}

// State returns the link's current state.
func (l *Link) State() State {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.state
}

// Stats returns the link's counters.
func (l *Link) Stats() Stats {
	return Stats{
		State:        l.State(),
		Dials:        l.dials.Load(),
		Connects:     l.connects.Load(),
		Drops:        l.drops.Load(),
		FramesRead:   l.framesRead.Load(),
		BytesRead:    l.bytesRead.Load(),
		Sent:         l.sent.Load(),
		BytesSent:    l.bytesSent.Load(),
		DecodeErrors: l.decodeErrors.Load(),
		LastPingRTT:  time.Duration(l.lastRTT.Load()),
	}
}

// WaitUp blocks until the link is up, ctx ends or the link is closed. It
// keeps waiting through failed dials (watch OnState to give up sooner).
func (l *Link) WaitUp(ctx context.Context) error {
	for {
		l.mu.Lock()
		closed, up, ch := l.closed, l.up, l.upCh
		l.mu.Unlock()
		switch {
		case closed:
			return l.closedErr(true)
		case up != nil:
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctxErr(ctx, l.cfg.Exchange, "waiting for the connection", true)
		case <-l.ctx.Done():
		}
	}
}

// Send writes payload, encoded by the codec, on the connection that is up.
// It fails at once, with a NetworkError that is Unsent, when the link is
// not up (ExchangeClosedByUser once closed). It waits for the outgoing
// limiters and for its turn to write, as long as ctx allows. Use the
// Session given to OnConnect to send while connecting.
func (l *Link) Send(ctx context.Context, payload []byte) error {
	s, err := l.upSession()
	if err != nil {
		return err
	}
	return s.Send(ctx, payload)
}

// Request sends r.Payload on the connection that is up and waits for the
// inbound message that answers it; see Session.Request. It fails at once,
// Unsent, when the link is not up.
func (l *Link) Request(ctx context.Context, r Request) (Message, error) {
	s, err := l.upSession()
	if err != nil {
		return Message{}, err
	}
	return s.Request(ctx, r)
}

// Drop ends the current connection with err, as a failed connection: the
// link backs off and dials again (asking Config.Dial for a new target).
// Use it when the venue says in band that the connection is no good
// ("Invalid listen key", an expired token). An err outside the taxonomy is
// wrapped as NetworkError; nil means "dropped by the owner". Without a
// connection it does nothing.
func (l *Link) Drop(err error) {
	l.mu.Lock()
	s := l.live
	l.mu.Unlock()
	if s == nil {
		return
	}
	if err == nil {
		err = newError(errors.NetworkError, l.cfg.Exchange, "connection dropped by its owner", nil, false)
	} else if errors.KindOf(err) == nil {
		err = newError(errors.NetworkError, l.cfg.Exchange, "connection dropped by its owner", err, false)
	}
	s.kill(err)
}

// Every runs task every interval until the link is closed, whatever the
// connection's state: renew a listen key or a token on its own timer. ctx
// ends at Close. When task returns an error the current connection is
// dropped with it (see Drop), so the next dial fetches a fresh target.
// Tasks are never run concurrently with themselves.
func (l *Link) Every(interval time.Duration, task func(ctx context.Context) error) error {
	if interval <= 0 || task == nil {
		return newError(errors.BadRequest, l.cfg.Exchange, "Every needs a positive interval and a task", nil, true)
	}
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return l.closedErr(true)
	}
	l.wg.Add(1)
	l.mu.Unlock()
	go func() {
		defer l.wg.Done()
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-l.ctx.Done():
				return
			case <-t.C:
			}
			if l.ctx.Err() != nil {
				return // a tick and Close at once: Close wins
			}
			if err := task(l.ctx); err != nil && l.ctx.Err() == nil {
				l.log.Debug("periodic task failed; dropping the connection", slog.String("err", err.Error()))
				l.Drop(err)
			}
		}
	}()
	return nil
}

// upSession returns the connection that is up, or the error to give.
func (l *Link) upSession() (*Session, error) {
	l.mu.Lock()
	s, closed := l.up, l.closed
	l.mu.Unlock()
	if closed {
		return nil, l.closedErr(true)
	}
	if s == nil {
		return nil, newError(errors.NetworkError, l.cfg.Exchange, "not connected", nil, true)
	}
	return s, nil
}

// closedErr is the error for a use of a closed link.
func (l *Link) closedErr(unsent bool) error {
	return newError(errors.ExchangeClosedByUser, l.cfg.Exchange, "stream closed", nil, unsent)
}

// ctxErr is the error for a ctx that ended while waiting: RequestTimeout
// for a deadline, OperationFailed for a cancellation; both wrap ctx.Err().
func ctxErr(ctx context.Context, exchange, what string, unsent bool) error {
	kind := errors.OperationFailed
	if ctx.Err() == context.DeadlineExceeded {
		kind = errors.RequestTimeout
	}
	return newError(kind, exchange, what, ctx.Err(), unsent)
}

// emit records e's state, logs it and calls OnState.
func (l *Link) emit(e Event) {
	l.mu.Lock()
	l.state = e.State
	l.mu.Unlock()
	attrs := []any{slog.String("state", e.State.String())}
	if e.Attempt > 0 {
		attrs = append(attrs, slog.Int("attempt", e.Attempt))
	}
	if e.Err != nil {
		attrs = append(attrs, slog.String("err", e.Err.Error()))
	}
	if e.Delay > 0 {
		attrs = append(attrs, slog.Duration("retry_in", e.Delay))
	}
	if e.Uptime > 0 {
		attrs = append(attrs, slog.Duration("uptime", e.Uptime))
	}
	if e.Session != nil {
		attrs = append(attrs, slog.String("host", e.Session.host))
	}
	l.log.Debug("stream state", attrs...)
	if l.cfg.OnState != nil {
		l.cbMu.Lock()
		defer l.cbMu.Unlock()
		l.cfg.OnState(e)
	}
}

// run is the link's life: dial, serve, back off, until Close.
func (l *Link) run() {
	defer l.wg.Done()
	bo := backoff.New(l.cfg.Backoff, l.cfg.Rand)
	attempt := 0
	for l.ctx.Err() == nil {
		attempt++
		l.emit(Event{State: Connecting, Attempt: attempt, Reconnect: l.everUp})
		var (
			wasUp  bool
			uptime time.Duration
		)
		s, err := l.connect(attempt)
		if err == nil {
			wasUp, uptime, err = l.serve(s, attempt)
		}
		if l.ctx.Err() != nil {
			break
		}
		if wasUp {
			attempt = 0
			bo.Dropped(uptime)
			l.drops.Add(1)
			if h := l.cfg.Hooks.Disconnect; h != nil {
				h(err, uptime)
			}
		}
		delay := bo.Next()
		if ra := retryAfterOf(err); ra > delay {
			delay = ra
		}
		l.emit(Event{State: Disconnected, Err: err, Attempt: attempt, Uptime: uptime, Delay: delay})
		if h := l.cfg.Hooks.Reconnect; h != nil {
			h(attempt, delay)
		}
		_ = backoff.Sleep(l.ctx, delay) // a Close ends the loop
	}
	l.emit(Event{State: Closed})
}

// connect dials once: the dial hook, the transport, the codec handshake.
func (l *Link) connect(attempt int) (*Session, error) {
	l.dials.Add(1)
	ctx, cancel := context.WithTimeout(l.ctx, l.cfg.ConnectTimeout)
	defer cancel()
	start := time.Now()
	host := ""
	report := func(err error) {
		if h := l.cfg.Hooks.Connect; h != nil {
			h(host, attempt, time.Since(start), err)
		}
	}
	t, err := l.cfg.Dial(ctx)
	if err != nil {
		err = l.stamp(classify(ctx, errors.NetworkError, l.cfg.Exchange, "dial hook failed", err))
		report(err)
		return nil, err
	}
	host = hostOf(t.URL)
	ka := l.cfg.Keepalive
	if t.Keepalive != nil {
		ka = *t.Keepalive
		if ka.Interval < 0 || ka.Timeout < 0 {
			err := newError(errors.BadRequest, l.cfg.Exchange, "negative keepalive interval or timeout in the dial target", nil, false)
			report(err)
			return nil, err
		}
	}
	l.log.Debug("stream dialling", slog.String("host", host), slog.Int("attempt", attempt))
	conn, err := l.tr.Dial(ctx, t)
	if err != nil {
		err = l.stamp(classify(ctx, errors.NetworkError, l.cfg.Exchange, "dial to "+host+" failed", err))
		report(err)
		return nil, err
	}
	s := newSession(l, conn, host)
	s.ka = ka
	if n, ok := conn.(ControlNotifier); ok {
		n.NotifyControl(s.control)
	}
	if h, ok := l.codec.(Handshaker); ok {
		idle, err := h.Handshake(ctx, conn)
		if err != nil {
			conn.Close()
			s.cancel()
			err = l.stamp(classify(ctx, errors.NetworkError, l.cfg.Exchange, "handshake with "+host+" failed", err))
			report(err)
			return nil, err
		}
		s.idleHint = idle
	}
	report(nil)
	return s, nil
}

// stamp puts the link's exchange id into an *errors.Error built without one.
func (l *Link) stamp(err error) error {
	if e, ok := err.(*errors.Error); ok && e.Exchange == "" && l.cfg.Exchange != "" {
		c := *e
		c.Exchange = l.cfg.Exchange
		return &c
	}
	return err
}

// serve runs one connection until it is lost or the link closes. It
// reports whether the connection came up, for how long, and why it ended.
func (l *Link) serve(s *Session, attempt int) (wasUp bool, uptime time.Duration, err error) {
	l.mu.Lock()
	l.live = s
	l.mu.Unlock()

	ka := s.ka
	silence := ka.Timeout
	if silence == 0 {
		if ka.Interval > 0 {
			silence = 2 * ka.Interval
		} else {
			silence = s.idleHint
		}
	}
	var tick <-chan time.Time
	if ka.Interval > 0 {
		t := time.NewTicker(ka.Interval)
		defer t.Stop()
		tick = t.C
	}
	var (
		watchdog *time.Timer
		wdC      <-chan time.Time
		lifetime *time.Timer
		lifeC    <-chan time.Time
	)
	defer func() {
		if watchdog != nil {
			watchdog.Stop()
		}
		if lifetime != nil {
			lifetime.Stop()
		}
	}()

	onConnect := make(chan error, 1)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		var err error
		if l.cfg.OnConnect != nil {
			err = l.cfg.OnConnect(s.ctx, s)
		}
		onConnect <- err
	}()

	started := s.readStarted
	closing := l.ctx.Done()
	var upAt time.Time
loop:
	for {
		select {
		case <-s.done:
			break loop
		case <-closing:
			closing = nil
			s.kill(l.closedErr(false))
		case err := <-onConnect:
			onConnect = nil
			if s.Err() != nil {
				continue
			}
			if err != nil {
				s.kill(l.stamp(wrap(errors.NetworkError, l.cfg.Exchange, "on-connect step failed", err)))
				continue
			}
			s.startReader()
			wasUp, upAt = true, time.Now()
			l.connects.Add(1)
			l.mu.Lock()
			l.up, l.state = s, Connected
			close(l.upCh)
			l.mu.Unlock()
			l.emit(Event{State: Connected, Attempt: attempt, Reconnect: l.everUp, Session: s})
			l.everUp = true
			if l.cfg.MaxLifetime > 0 {
				lifetime = time.NewTimer(l.cfg.MaxLifetime)
				lifeC = lifetime.C
			}
		case <-started:
			started = nil
			if silence > 0 {
				watchdog = time.NewTimer(silence)
				wdC = watchdog.C
			}
		case <-tick:
			if err := s.ping(); err != nil {
				s.kill(err)
			}
		case <-lifeC:
			s.kill(newError(errors.NetworkError, l.cfg.Exchange, "the connection reached its maximum life of "+l.cfg.MaxLifetime.String()+"; reconnecting", nil, false))
		case <-wdC:
			idle := s.idle()
			if idle >= silence {
				s.kill(newError(errors.RequestTimeout, l.cfg.Exchange, "no inbound frame for "+idle.Round(time.Millisecond).String(), nil, false))
				continue
			}
			watchdog.Reset(silence - idle)
		}
	}

	l.mu.Lock()
	l.live = nil
	if l.up == s {
		l.up, l.state = nil, Disconnected
		l.upCh = make(chan struct{})
	}
	l.mu.Unlock()
	s.finish()
	if wasUp {
		uptime = time.Since(upAt)
	}
	return wasUp, uptime, s.err
}
