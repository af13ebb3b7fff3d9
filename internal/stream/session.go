package stream

import (
	"bytes"
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/internal/ratelimit"
)

// Session is one connection of a link, from its handshake to its loss.
// OnConnect receives it to log in and subscribe before the link is
// declared up; the layer above may keep it and send on it for as long as
// it lives (a Session never outlives its connection: after a reconnect,
// use the new one). Its methods are safe for concurrent use.
//
// The reader starts at the first Send, Request or Await, or when
// OnConnect returns, whichever is first: a message that arrives before
// (KuCoin's welcome) waits in the socket for Await.
type Session struct {
	l    *Link
	conn Conn
	host string

	ctx      context.Context // ends when the connection does
	cancel   context.CancelFunc
	done     chan struct{}
	killOnce sync.Once
	err      error // why the connection ended; set before done is closed

	wsem chan struct{} // held while writing

	startMu     sync.Mutex
	started     bool
	finished    bool
	readStarted chan struct{}
	wg          sync.WaitGroup // reader and OnConnect

	ka       Keepalive     // the keepalive rule of this connection
	idleHint time.Duration // from the codec handshake
	last     atomic.Int64  // last inbound traffic, ns since l.epoch

	pmu      sync.Mutex
	byID     map[string]*pending
	matchers []*pending
	npending atomic.Int32 // len(byID) + len(matchers)
	nbyID    atomic.Int32

	scratch []byte // decode buffer, reader only
}

// pending is a Request waiting for its response.
type pending struct {
	id    string
	match func(Message) bool
	ch    chan Message // buffered 1
}

func newSession(l *Link, conn Conn, host string) *Session {
	s := &Session{
		l:           l,
		conn:        conn,
		host:        host,
		done:        make(chan struct{}),
		wsem:        make(chan struct{}, 1),
		readStarted: make(chan struct{}),
	}
	s.ctx, s.cancel = context.WithCancel(l.ctx)
	s.touch()
	return s
}

// Host returns the host this session is connected to.
func (s *Session) Host() string { return s.host }

// Done returns a channel that is closed when the connection is lost.
func (s *Session) Done() <-chan struct{} { return s.done }

// Err returns why the connection was lost, or nil while it lives.
func (s *Session) Err() error {
	select {
	case <-s.done:
		return s.err
	default:
		return nil
	}
}

// kill ends the connection with err; the first call wins.
func (s *Session) kill(err error) {
	s.killOnce.Do(func() {
		s.err = err
		close(s.done)
		s.cancel()
		s.conn.Close()
	})
}

// finish waits for the session's goroutines after it was killed and
// forbids starting the reader.
func (s *Session) finish() {
	s.startMu.Lock()
	s.finished = true
	s.startMu.Unlock()
	s.wg.Wait()
}

// startReader starts the reader goroutine once.
func (s *Session) startReader() {
	s.startMu.Lock()
	defer s.startMu.Unlock()
	if s.started || s.finished {
		return
	}
	s.started = true
	s.touch()
	s.wg.Add(1)
	go s.read()
	close(s.readStarted)
}

// touch records inbound traffic now.
func (s *Session) touch() { s.last.Store(int64(time.Since(s.l.epoch))) }

// idle is the time since the last inbound traffic.
func (s *Session) idle() time.Duration {
	return time.Since(s.l.epoch) - time.Duration(s.last.Load())
}

// control hears control traffic from the Conn (see ControlNotifier).
func (s *Session) control(rtt time.Duration) {
	s.touch()
	if rtt > 0 {
		s.l.lastRTT.Store(int64(rtt))
		if h := s.l.cfg.Hooks.PingRTT; h != nil {
			h(rtt)
		}
	}
}

// read is the reader goroutine: read, decode, answer, route, deliver.
func (s *Session) read() {
	defer s.wg.Done()
	l := s.l
	for {
		m, err := s.conn.Read(s.ctx)
		if err != nil {
			s.kill(l.stamp(wrap(errors.NetworkError, l.cfg.Exchange, "connection to "+s.host+" lost", err)))
			return
		}
		s.touch()
		l.framesRead.Add(1)
		l.bytesRead.Add(uint64(len(m.Data)))
		if h := l.cfg.Hooks.FrameRead; h != nil {
			h(len(m.Data))
		}
		d, err := l.codec.Decode(&s.scratch, m)
		if cap(s.scratch) > 1<<20 && len(s.scratch) < 1<<16 {
			s.scratch = nil
		}
		if err != nil {
			if errors.Is(err, errors.NetworkError) {
				s.kill(l.stamp(err))
				return
			}
			l.decodeErrors.Add(1)
			err = l.stamp(wrap(errors.BadResponse, l.cfg.Exchange, "undecodable frame", err))
			l.log.Debug("stream frame not decoded", slog.String("err", err.Error()))
			l.deliver(m, err)
			continue
		}
		if !s.dispatch(d) {
			return
		}
	}
}

// dispatch handles one decoded message; false means the connection ended.
func (s *Session) dispatch(m Message) bool {
	l := s.l
	if a := s.ka.Answer; a != nil {
		if reply, handled := a(m); handled {
			if reply != nil {
				if err := s.write(s.ctx, Message{Type: Text, Data: reply}, false); err != nil {
					s.kill(err)
					return false
				}
			}
			return true
		}
	}
	if m.Type == Control {
		return true
	}
	if s.npending.Load() > 0 && s.route(m) {
		return true
	}
	l.deliver(m, nil)
	return true
}

// deliver calls OnMessage.
func (l *Link) deliver(m Message, err error) {
	if l.cfg.OnMessage == nil {
		return
	}
	l.cbMu.Lock()
	defer l.cbMu.Unlock()
	l.cfg.OnMessage(m, err)
}

// route hands m to the Request it answers, if any.
func (s *Session) route(m Message) bool {
	var (
		id    []byte
		hasID bool
	)
	if s.nbyID.Load() > 0 {
		id, hasID = s.l.cfg.ResponseID(m)
	}
	s.pmu.Lock()
	var p *pending
	if hasID {
		if p = s.byID[string(id)]; p != nil {
			delete(s.byID, p.id)
			s.nbyID.Add(-1)
		}
	}
	if p == nil {
		for i, q := range s.matchers {
			if q.match(m) {
				p = q
				s.matchers = append(s.matchers[:i], s.matchers[i+1:]...)
				break
			}
		}
	}
	if p != nil {
		s.npending.Add(-1)
	}
	s.pmu.Unlock()
	if p == nil {
		return false
	}
	p.ch <- Message{Type: m.Type, Data: bytes.Clone(m.Data)}
	return true
}

// Request describes one request/response exchange.
type Request struct {
	// ID is the correlation id the response carries, as Config.ResponseID
	// extracts it. At most one request per ID waits at a time.
	ID string
	// Match, used when ID is empty, recognises the response.
	Match func(m Message) bool
	// Payload is sent through the codec; nil sends nothing and only waits
	// (see Await).
	Payload []byte
}

// Request registers r, sends its payload and waits for the inbound message
// that answers it, which is returned (a copy) and not given to OnMessage.
// A response that arrives after its request gave up goes to OnMessage.
//
// It waits until ctx ends or Config.RequestTimeout, whichever is first.
// On failure the error says whether the request may have reached the
// venue: errors.SafeToRetry is true only if no byte of it was written.
// Otherwise (a timeout after sending: RequestTimeout; a connection lost
// after sending: NetworkError) the outcome is unknown and the request is
// never sent again by the link: reconcile, for example by client order id.
func (s *Session) Request(ctx context.Context, r Request) (Message, error) {
	l := s.l
	if r.ID == "" && r.Match == nil {
		return Message{}, newError(errors.BadRequest, l.cfg.Exchange, "a request needs an ID or a Match", nil, true)
	}
	if r.ID != "" && l.cfg.ResponseID == nil {
		return Message{}, newError(errors.BadRequest, l.cfg.Exchange, "a request with an ID needs Config.ResponseID", nil, true)
	}
	if l.cfg.RequestTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, l.cfg.RequestTimeout)
		defer cancel()
	}
	p := &pending{id: r.ID, match: r.Match, ch: make(chan Message, 1)}
	if err := s.register(p); err != nil {
		return Message{}, err
	}
	defer s.unregister(p)
	s.startReader()
	sent := false
	if r.Payload != nil {
		if err := s.Send(ctx, r.Payload); err != nil {
			return Message{}, err
		}
		sent = true
	}
	select {
	case m := <-p.ch:
		return m, nil
	case <-ctx.Done():
		if m, ok := s.received(p); ok {
			return m, nil
		}
		if !sent {
			return Message{}, ctxErr(ctx, l.cfg.Exchange, "no matching message", true)
		}
		return Message{}, ctxErr(ctx, l.cfg.Exchange, "no response to a request that was sent; its outcome is unknown", false)
	case <-s.done:
		if m, ok := s.received(p); ok {
			return m, nil
		}
		return Message{}, s.lostErr(!sent)
	}
}

// Await waits for the next inbound message that match accepts and
// returns a copy of it, which OnMessage does not see (KuCoin's welcome,
// a login acknowledgement). It is Request with no payload.
func (s *Session) Await(ctx context.Context, match func(Message) bool) (Message, error) {
	return s.Request(ctx, Request{Match: match})
}

// received returns a response that raced with the end of the wait.
func (s *Session) received(p *pending) (Message, bool) {
	select {
	case m := <-p.ch:
		return m, true
	default:
		return Message{}, false
	}
}

// register adds p to the waiting requests.
func (s *Session) register(p *pending) error {
	s.pmu.Lock()
	defer s.pmu.Unlock()
	select {
	case <-s.done:
		return s.lostErr(true)
	default:
	}
	if p.id != "" {
		if _, dup := s.byID[p.id]; dup {
			return newError(errors.BadRequest, s.l.cfg.Exchange, "a request with this id is already waiting", nil, true)
		}
		if s.byID == nil {
			s.byID = make(map[string]*pending)
		}
		s.byID[p.id] = p
		s.nbyID.Add(1)
	} else {
		s.matchers = append(s.matchers, p)
	}
	s.npending.Add(1)
	return nil
}

// unregister removes p if no response took it.
func (s *Session) unregister(p *pending) {
	s.pmu.Lock()
	defer s.pmu.Unlock()
	if p.id != "" {
		if s.byID[p.id] == p {
			delete(s.byID, p.id)
			s.nbyID.Add(-1)
			s.npending.Add(-1)
		}
		return
	}
	for i, q := range s.matchers {
		if q == p {
			s.matchers = append(s.matchers[:i], s.matchers[i+1:]...)
			s.npending.Add(-1)
			return
		}
	}
}

// lostErr is the error for an operation cut short by the end of the
// connection. unsent says that nothing of it was written.
func (s *Session) lostErr(unsent bool) error {
	l := s.l
	if l.ctx.Err() != nil {
		return l.closedErr(unsent)
	}
	if unsent {
		return newError(errors.NetworkError, l.cfg.Exchange, "connection lost before the message was sent", s.err, true)
	}
	return newError(errors.NetworkError, l.cfg.Exchange, "connection lost after the request was sent; its outcome is unknown", noRetry(s.err), false)
}

// Send encodes payload with the codec and writes it, after the outgoing
// limiters. Errors are as for Link.Send; a failed write ends the
// connection and is not SafeToRetry.
func (s *Session) Send(ctx context.Context, payload []byte) error {
	m, err := s.l.codec.Encode(payload)
	if err != nil {
		return s.l.stamp(wrap(errors.BadRequest, s.l.cfg.Exchange, "cannot encode the message", err))
	}
	s.startReader()
	return s.write(ctx, m, true)
}

// write writes m. limited applies the outgoing limiters. ctx bounds the
// waits; the write itself is bounded by WriteTimeout alone, since a frame
// cut half-way would break the connection for everyone.
func (s *Session) write(ctx context.Context, m Message, limited bool) error {
	l := s.l
	if ctx.Err() != nil {
		return s.unsentErr(ctx)
	}
	if limited && (l.limiter != nil || l.cfg.Limiter != nil) {
		wctx, cancel := context.WithCancel(ctx)
		stop := context.AfterFunc(s.ctx, cancel)
		err := waitLimiters(wctx, l.limiter, l.cfg.Limiter)
		stop()
		cancel()
		if err != nil {
			return s.unsentErr(ctx)
		}
	}
	select {
	case s.wsem <- struct{}{}:
	case <-ctx.Done():
		return s.unsentErr(ctx)
	case <-s.done:
		return s.lostErr(true)
	}
	defer func() { <-s.wsem }()
	select {
	case <-s.done:
		return s.lostErr(true)
	default:
	}
	wctx, cancel := context.WithTimeout(s.ctx, l.cfg.WriteTimeout)
	err := s.conn.Write(wctx, m)
	cancel()
	if err != nil {
		if errors.SafeToRetry(err) {
			return l.stamp(err)
		}
		err = l.stamp(wrap(errors.NetworkError, l.cfg.Exchange, "write to "+s.host+" failed", err))
		s.kill(err)
		return newError(errors.NetworkError, l.cfg.Exchange, "write failed; the message may have been sent", noRetry(err), false)
	}
	if limited {
		l.sent.Add(1)
		l.bytesSent.Add(uint64(len(m.Data)))
	}
	return nil
}

// unsentErr is the error for a write that gave up before writing: the
// caller's ctx ended, or the connection or the link did.
func (s *Session) unsentErr(ctx context.Context) error {
	if ctx.Err() == nil || s.ctx.Err() != nil {
		return s.lostErr(true)
	}
	return ctxErr(ctx, s.l.cfg.Exchange, "message not sent", true)
}

// waitLimiters waits on each non-nil limiter in turn.
func waitLimiters(ctx context.Context, a, b *ratelimit.Limiter) error {
	for _, lim := range [2]*ratelimit.Limiter{a, b} {
		if lim == nil {
			continue
		}
		if err := lim.Wait(ctx, 1); err != nil {
			return err
		}
	}
	return nil
}

// ping sends one keepalive ping.
func (s *Session) ping() error {
	l := s.l
	ka := s.ka
	timeout := min(l.cfg.WriteTimeout, ka.Interval)
	if ka.Ping != nil {
		ctx, cancel := context.WithTimeout(s.ctx, timeout)
		defer cancel()
		return s.write(ctx, Message{Type: Text, Data: ka.Ping()}, false)
	}
	p, ok := s.conn.(Pinger)
	if !ok {
		return newError(errors.NotSupported, l.cfg.Exchange, "keepalive needs protocol pings, which this transport lacks: set Keepalive.Ping", nil, false)
	}
	ctx, cancel := context.WithTimeout(s.ctx, timeout)
	defer cancel()
	if err := p.Ping(ctx); err != nil {
		return l.stamp(wrap(errors.NetworkError, l.cfg.Exchange, "ping to "+s.host+" failed", err))
	}
	return nil
}
