package stream

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/internal/backoff"
	"github.com/unifex-go/unifex/internal/leaktest"
)

func TestSendAndReceive(t *testing.T) {
	leaktest.Check(t)
	srv := newWSServer(t)
	rec := newRecorder()
	cfg := Config{Exchange: "test", Dial: fixedTarget(srv.URL() + "/ws")}
	rec.wire(&cfg)
	l := newLink(t, cfg)
	if err := l.WaitUp(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	c := next(t, srv)
	sess := rec.state(t, Connected).Session
	if sess.Host() != strings.TrimPrefix(srv.URL(), "ws://") || sess.Err() != nil {
		t.Fatalf("session host %q err %v", sess.Host(), sess.Err())
	}
	if err := l.Send(testCtx(t), []byte(`{"op":"subscribe"}`)); err != nil {
		t.Fatal(err)
	}
	if got := recv(t, c); got.Type != Text || string(got.Data) != `{"op":"subscribe"}` {
		t.Fatalf("server got %v %q", got.Type, got.Data)
	}
	sendText(t, c, `{"n":1}`)
	send(t, c, Binary, []byte{0, 1, 2})
	sendText(t, c, `{"n":2}`)
	for i, want := range []Message{{Text, []byte(`{"n":1}`)}, {Binary, []byte{0, 1, 2}}, {Text, []byte(`{"n":2}`)}} {
		got := rec.msg(t)
		if got.Type != want.Type || string(got.Data) != string(want.Data) {
			t.Fatalf("message %d = %v %q, want %v %q", i, got.Type, got.Data, want.Type, want.Data)
		}
	}
	st := l.Stats()
	if st.State != Connected || st.FramesRead != 3 || st.Sent != 1 || st.Connects != 1 || st.Dials != 1 {
		t.Fatalf("stats %+v", st)
	}
	c.Drop()
	within(t, sess.Done())
	if !errors.Is(sess.Err(), errors.NetworkError) {
		t.Fatalf("session error after the drop: %v", sess.Err())
	}
	rec.state(t, Connected)
	if st := l.Stats(); st.Drops != 1 || st.Connects != 2 {
		t.Fatalf("stats after a reconnect %+v", st)
	}
}

func TestReconnectCallsDialHookAndOnConnectAgain(t *testing.T) {
	leaktest.Check(t)
	srv := newWSServer(t)
	rec := newRecorder()
	var dials atomic.Int32
	var onConnects atomic.Int32
	cfg := Config{
		Exchange: "test",
		Dial: func(context.Context) (Target, error) {
			n := dials.Add(1)
			h := http.Header{}
			h.Set("X-Token", fmt.Sprintf("hdr-%d", n))
			return Target{URL: srv.URL() + fmt.Sprintf("/ws?token=tok-%d", n), Header: h}, nil
		},
		OnConnect: func(ctx context.Context, s *Session) error {
			n := onConnects.Add(1)
			if err := s.Send(ctx, []byte(fmt.Sprintf(`{"op":"login","n":%d}`, n))); err != nil {
				return err
			}
			return s.Send(ctx, []byte(`{"op":"subscribe","topic":"trades"}`))
		},
	}
	rec.wire(&cfg)
	newLink(t, cfg)

	e := rec.state(t, Connecting)
	if e.Attempt != 1 || e.Reconnect {
		t.Fatalf("first Connecting event %+v", e)
	}
	c1 := next(t, srv)
	if got := recvText(t, c1); got != `{"op":"login","n":1}` {
		t.Fatalf("first login %q", got)
	}
	if got := recvText(t, c1); got != `{"op":"subscribe","topic":"trades"}` {
		t.Fatalf("first subscribe %q", got)
	}
	if e := rec.state(t, Connected); e.Reconnect || e.Session == nil {
		t.Fatalf("first Connected event %+v", e)
	}

	c1.Drop()
	down := rec.state(t, Disconnected)
	if !errors.Is(down.Err, errors.NetworkError) {
		t.Fatalf("drop error %v is not a NetworkError", down.Err)
	}
	if down.Uptime <= 0 || down.Delay != fastBackoff.Base {
		t.Fatalf("Disconnected event %+v", down)
	}
	if e := rec.state(t, Connecting); !e.Reconnect || e.Attempt != 1 {
		t.Fatalf("reconnect Connecting event %+v", e)
	}
	c2 := next(t, srv)
	if got := recvText(t, c2); got != `{"op":"login","n":2}` {
		t.Fatalf("second login %q", got)
	}
	if got := recvText(t, c2); got != `{"op":"subscribe","topic":"trades"}` {
		t.Fatalf("second subscribe %q", got)
	}
	if e := rec.state(t, Connected); !e.Reconnect {
		t.Fatalf("second Connected event %+v", e)
	}
	for i, r := range []*http.Request{c1.Request, c2.Request} {
		want := fmt.Sprint(i + 1)
		if r.URL.Query().Get("token") != "tok-"+want || r.Header.Get("X-Token") != "hdr-"+want {
			t.Fatalf("dial %d used token %q header %q", i+1, r.URL.Query().Get("token"), r.Header.Get("X-Token"))
		}
	}
}

func TestBackoffScheduleOnRefusedHandshakes(t *testing.T) {
	leaktest.Check(t)
	srv := newWSServer(t)
	srv.Refuse(http.StatusServiceUnavailable)
	rec := newRecorder()
	cfg := Config{Dial: fixedTarget(srv.URL() + "/ws")}
	rec.wire(&cfg)
	newLink(t, cfg)
	want := []time.Duration{5 * time.Millisecond, 10 * time.Millisecond, 20 * time.Millisecond, 20 * time.Millisecond}
	for i, d := range want {
		e := rec.state(t, Disconnected)
		var ee *errors.Error
		if !errors.Is(e.Err, errors.ExchangeNotAvailable) || !errors.As(e.Err, &ee) || ee.HTTPStatus != 503 {
			t.Fatalf("refusal %d: error %v", i, e.Err)
		}
		if e.Delay != d || e.Attempt != i+1 {
			t.Fatalf("refusal %d: delay %v attempt %d, want %v and %d", i, e.Delay, e.Attempt, d, i+1)
		}
	}
	srv.Refuse(0)
	rec.state(t, Connected)
}

func TestRetryAfterStretchesTheDelay(t *testing.T) {
	leaktest.Check(t)
	srv := newWSServer(t)
	srv.RefuseRetryAfter(http.StatusTooManyRequests, "7")
	rec := newRecorder()
	cfg := Config{Dial: fixedTarget(srv.URL() + "/ws")}
	rec.wire(&cfg)
	newLink(t, cfg)
	e := rec.state(t, Disconnected)
	if !errors.Is(e.Err, errors.RateLimitExceeded) || e.Delay != 7*time.Second {
		t.Fatalf("429 gave error %v and delay %v", e.Err, e.Delay)
	}
}

func TestBackoffResetsOnlyAfterStableConnection(t *testing.T) {
	for _, tc := range []struct {
		name       string
		resetAfter time.Duration
		want       time.Duration
	}{
		{"stable", time.Nanosecond, 5 * time.Millisecond},
		{"flapping", time.Hour, 20 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			leaktest.Check(t)
			srv := newWSServer(t)
			srv.Refuse(http.StatusBadGateway)
			rec := newRecorder()
			p := fastBackoff
			p.ResetAfter = tc.resetAfter
			cfg := Config{Dial: fixedTarget(srv.URL() + "/ws"), Backoff: p}
			rec.wire(&cfg)
			newLink(t, cfg)
			rec.state(t, Disconnected) // 5ms
			rec.state(t, Disconnected) // 10ms
			srv.Refuse(0)
			rec.state(t, Connected)
			next(t, srv).Drop()
			if e := rec.state(t, Disconnected); e.Delay != tc.want {
				t.Fatalf("delay after the drop %v, want %v", e.Delay, tc.want)
			}
		})
	}
}

func TestHalfOpenConnectionIsDetected(t *testing.T) {
	for _, tc := range []struct {
		name string
		ka   Keepalive
	}{
		{"protocol ping", Keepalive{Interval: 50 * time.Millisecond}},
		{"app ping", Keepalive{
			Interval: 50 * time.Millisecond,
			Ping:     func() []byte { return []byte(`{"op":"ping"}`) },
			Answer: func(m Message) ([]byte, bool) {
				return nil, string(m.Data) == `{"op":"pong"}`
			},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			leaktest.Check(t)
			srv := newWSServer(t)
			rec := newRecorder()
			cfg := Config{Dial: fixedTarget(srv.URL() + "/ws"), Keepalive: tc.ka}
			rec.wire(&cfg)
			newLink(t, cfg)
			rec.state(t, Connected)
			c := next(t, srv)
			if tc.ka.Ping != nil {
				// The server answers app pings until it goes silent; the
				// pong is swallowed by Answer, not delivered.
				if got := recvText(t, c); got != `{"op":"ping"}` {
					t.Fatalf("app ping %q", got)
				}
				sendText(t, c, `{"op":"pong"}`)
			}
			c.Silence()
			e := rec.state(t, Disconnected)
			if !errors.Is(e.Err, errors.RequestTimeout) {
				t.Fatalf("silent link dropped with %v, want RequestTimeout", e.Err)
			}
			rec.state(t, Connected) // and it comes back
			select {
			case m := <-rec.msgs:
				t.Fatalf("keepalive traffic reached OnMessage: %q", m.Data)
			default:
			}
		})
	}
}

func TestTargetKeepaliveOverridesConfig(t *testing.T) {
	leaktest.Check(t)
	srv := newWSServer(t)
	rec := newRecorder()
	var dials atomic.Int32
	cfg := Config{Dial: func(context.Context) (Target, error) {
		if dials.Add(1) == 1 {
			// The token response says: ping every 30 ms, dead after 60 ms.
			return Target{URL: srv.URL() + "/ws", Keepalive: &Keepalive{Interval: 30 * time.Millisecond, Timeout: 60 * time.Millisecond}}, nil
		}
		return Target{URL: srv.URL() + "/ws", Keepalive: &Keepalive{Interval: -1}}, nil
	}}
	rec.wire(&cfg)
	newLink(t, cfg)
	rec.state(t, Connected)
	next(t, srv).Silence()
	if e := rec.state(t, Disconnected); !errors.Is(e.Err, errors.RequestTimeout) {
		t.Fatalf("silent link with the target's keepalive: %v", e.Err)
	}
	if e := rec.state(t, Disconnected); !errors.Is(e.Err, errors.BadRequest) {
		t.Fatalf("invalid keepalive in the target: %v", e.Err)
	}
}

func TestAnyInboundFrameCountsAsLiveness(t *testing.T) {
	leaktest.Check(t)
	srv := newWSServer(t)
	rec := newRecorder()
	cfg := Config{Dial: fixedTarget(srv.URL() + "/ws"), Keepalive: Keepalive{Interval: 150 * time.Millisecond}}
	rec.wire(&cfg)
	newLink(t, cfg)
	rec.state(t, Connected)
	c := next(t, srv)
	c.NoPong()   // pings go unanswered: only data keeps the link alive
	const n = 60 // 60 × 10 ms is twice the 300 ms silence limit
	for i := 0; i < n; i++ {
		sendText(t, c, fmt.Sprintf(`{"i":%d}`, i))
		time.Sleep(10 * time.Millisecond) // pacing the stream, not synchronising
	}
	for i := 0; i < n; i++ {
		rec.msg(t)
	}
	if c.Pings() < 2 {
		t.Fatalf("server saw %d pings; the scenario needs unanswered pings", c.Pings())
	}
	select {
	case e := <-rec.events:
		t.Fatalf("link changed state while data flowed: %+v", e)
	default:
	}
}

func TestPingRTTHook(t *testing.T) {
	leaktest.Check(t)
	srv := newWSServer(t)
	rtts := make(chan time.Duration, 16)
	cfg := Config{
		Dial:      fixedTarget(srv.URL() + "/ws"),
		Keepalive: Keepalive{Interval: 20 * time.Millisecond},
		Hooks: Hooks{PingRTT: func(d time.Duration) {
			select {
			case rtts <- d:
			default:
			}
		}},
	}
	l := newLink(t, cfg)
	select {
	case d := <-rtts:
		if d <= 0 {
			t.Fatalf("rtt %v", d)
		}
	case <-time.After(wait):
		t.Fatal("no ping RTT reported")
	}
	if l.Stats().LastPingRTT <= 0 {
		t.Fatal("Stats.LastPingRTT not set")
	}
}

func TestConnectTimeout(t *testing.T) {
	leaktest.Check(t)
	addr, _ := hangListener(t)
	rec := newRecorder()
	cfg := Config{Dial: fixedTarget("ws://" + addr + "/ws"), ConnectTimeout: 100 * time.Millisecond}
	rec.wire(&cfg)
	newLink(t, cfg)
	if e := rec.state(t, Disconnected); !errors.Is(e.Err, errors.RequestTimeout) {
		t.Fatalf("hung handshake gave %v, want RequestTimeout", e.Err)
	}
}

func TestCloseDuringHandshakeReturnsPromptly(t *testing.T) {
	leaktest.Check(t)
	addr, accepted := hangListener(t)
	cfg := Config{Dial: fixedTarget("ws://" + addr + "/ws"), ConnectTimeout: time.Hour}
	l := newLink(t, cfg)
	select {
	case <-accepted:
	case <-time.After(wait):
		t.Fatal("no dial")
	}
	done := make(chan struct{})
	go func() { l.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(wait):
		t.Fatal("Close waited for a hung handshake")
	}
}

func TestCloseIsIdempotentAndFinal(t *testing.T) {
	leaktest.Check(t)
	srv := newWSServer(t)
	rec := newRecorder()
	cfg := Config{Exchange: "test", Dial: fixedTarget(srv.URL() + "/ws")}
	rec.wire(&cfg)
	l := newLink(t, cfg)
	rec.state(t, Connected)
	sess := l.upForTest()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	rec.state(t, Closed)
	checks := map[string]error{
		"Send":    l.Send(context.Background(), []byte("x")),
		"WaitUp":  l.WaitUp(context.Background()),
		"Every":   l.Every(time.Second, func(context.Context) error { return nil }),
		"Session": sess.Send(context.Background(), []byte("x")),
	}
	_, checks["Request"] = l.Request(context.Background(), Request{ID: "1", Payload: []byte("x")})
	for name, err := range checks {
		if !errors.Is(err, errors.ExchangeClosedByUser) || !errors.SafeToRetry(err) {
			t.Errorf("%s after Close: %v (SafeToRetry %v)", name, err, errors.SafeToRetry(err))
		}
	}
	if l.State() != Closed {
		t.Fatalf("state %v", l.State())
	}
}

// upForTest returns the session that is up.
func (l *Link) upForTest() *Session {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.up
}

func TestSendWhenNotConnectedIsUnsent(t *testing.T) {
	leaktest.Check(t)
	srv := newWSServer(t)
	srv.Refuse(http.StatusServiceUnavailable)
	rec := newRecorder()
	cfg := Config{Dial: fixedTarget(srv.URL() + "/ws")}
	rec.wire(&cfg)
	l := newLink(t, cfg)
	rec.state(t, Disconnected)
	err := l.Send(context.Background(), []byte("x"))
	if !errors.Is(err, errors.NetworkError) || !errors.SafeToRetry(err) {
		t.Fatalf("Send while down: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := l.WaitUp(ctx); !errors.Is(err, errors.RequestTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("WaitUp past its deadline: %v", err)
	}
}

func TestOnConnectFailureDropsAndRetries(t *testing.T) {
	leaktest.Check(t)
	srv := newWSServer(t)
	rec := newRecorder()
	var calls atomic.Int32
	cfg := Config{
		Dial: fixedTarget(srv.URL() + "/ws"),
		OnConnect: func(ctx context.Context, s *Session) error {
			if calls.Add(1) == 1 {
				return errors.Newf(errors.AuthenticationError, "login refused")
			}
			return nil
		},
	}
	rec.wire(&cfg)
	newLink(t, cfg)
	e := rec.state(t, Disconnected)
	if !errors.Is(e.Err, errors.AuthenticationError) || e.Uptime != 0 {
		t.Fatalf("failed login: %+v", e)
	}
	rec.state(t, Connected)
	if calls.Load() != 2 {
		t.Fatalf("OnConnect ran %d times", calls.Load())
	}
}

func TestDropRedialsWithFreshTarget(t *testing.T) {
	leaktest.Check(t)
	srv := newWSServer(t)
	rec := newRecorder()
	var dials atomic.Int32
	cfg := Config{Dial: func(context.Context) (Target, error) {
		return Target{URL: srv.URL() + fmt.Sprintf("/ws?listenKey=k%d", dials.Add(1))}, nil
	}}
	rec.wire(&cfg)
	l := newLink(t, cfg)
	rec.state(t, Connected)
	next(t, srv)
	l.Drop(fmt.Errorf("Invalid listen key"))
	e := rec.state(t, Disconnected)
	if !errors.Is(e.Err, errors.NetworkError) || !strings.Contains(e.Err.Error(), "Invalid listen key") {
		t.Fatalf("Drop gave %v", e.Err)
	}
	rec.state(t, Connected)
	if got := next(t, srv).Request.URL.Query().Get("listenKey"); got != "k2" {
		t.Fatalf("redial used %q", got)
	}
}

func TestEveryRunsUntilCloseAndDropsOnError(t *testing.T) {
	leaktest.Check(t)
	srv := newWSServer(t)
	rec := newRecorder()
	cfg := Config{Dial: fixedTarget(srv.URL() + "/ws")}
	rec.wire(&cfg)
	l := newLink(t, cfg)
	rec.state(t, Connected)
	runs := make(chan struct{}, 64)
	var n atomic.Int32
	err := l.Every(5*time.Millisecond, func(ctx context.Context) error {
		select {
		case runs <- struct{}{}:
		default:
		}
		if n.Add(1) == 2 {
			return errors.Newf(errors.AuthenticationError, "listen key expired")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	e := rec.state(t, Disconnected)
	if !errors.Is(e.Err, errors.AuthenticationError) {
		t.Fatalf("task error dropped the link with %v", e.Err)
	}
	rec.state(t, Connected)
	within(t, runs)
	l.Close() // the leak check proves the task's goroutine ended
}

func TestDialHookErrorKeepsItsKind(t *testing.T) {
	leaktest.Check(t)
	rec := newRecorder()
	cfg := Config{Dial: func(context.Context) (Target, error) {
		return Target{}, errors.Newf(errors.AuthenticationError, "bullet token refused")
	}}
	rec.wire(&cfg)
	newLink(t, cfg)
	if e := rec.state(t, Disconnected); !errors.Is(e.Err, errors.AuthenticationError) {
		t.Fatalf("dial hook error became %v", e.Err)
	}
}

func TestConfigValidation(t *testing.T) {
	for name, cfg := range map[string]Config{
		"no dial":          {},
		"negative ping":    {Dial: fixedTarget("ws://x"), Keepalive: Keepalive{Interval: -1}},
		"negative timeout": {Dial: fixedTarget("ws://x"), Keepalive: Keepalive{Timeout: -1}},
		"negative rate":    {Dial: fixedTarget("ws://x"), MessagesPerSecond: -1},
	} {
		if _, err := New(cfg); !errors.Is(err, errors.BadRequest) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestProtocolPingNeedsPinger(t *testing.T) {
	leaktest.Check(t)
	srv := newPubNub(t)
	rec := newRecorder()
	cfg := Config{
		Dial:      srv.dial,
		Transport: LongPoll{Poller: PubNub{}},
		Keepalive: Keepalive{Interval: 10 * time.Millisecond},
	}
	rec.wire(&cfg)
	newLink(t, cfg)
	if e := rec.state(t, Disconnected); !errors.Is(e.Err, errors.NotSupported) {
		t.Fatalf("protocol ping on long poll: %v", e.Err)
	}
}

func TestHooks(t *testing.T) {
	leaktest.Check(t)
	srv := newWSServer(t)
	type call struct {
		name string
		err  error
	}
	calls := make(chan call, 64)
	var bytesRead atomic.Int64
	rec := newRecorder()
	cfg := Config{
		Dial: fixedTarget(srv.URL() + "/ws"),
		Hooks: Hooks{
			Connect: func(host string, attempt int, took time.Duration, err error) {
				if host == "" || attempt < 1 || took <= 0 {
					calls <- call{"bad connect", nil}
				}
				calls <- call{"connect", err}
			},
			Disconnect: func(err error, uptime time.Duration) { calls <- call{"disconnect", err} },
			Reconnect:  func(attempt int, delay time.Duration) { calls <- call{"reconnect", nil} },
			FrameRead:  func(n int) { bytesRead.Add(int64(n)) },
		},
	}
	rec.wire(&cfg)
	newLink(t, cfg)
	rec.state(t, Connected)
	c := next(t, srv)
	sendText(t, c, "12345")
	rec.msg(t)
	c.Drop()
	rec.state(t, Connected)
	var names []string
	for len(names) < 4 {
		select {
		case c := <-calls:
			names = append(names, c.name)
		case <-time.After(wait):
			t.Fatalf("hooks called: %v", names)
		}
	}
	if strings.Join(names, ",") != "connect,disconnect,reconnect,connect" {
		t.Fatalf("hooks called: %v", names)
	}
	if bytesRead.Load() != 5 {
		t.Fatalf("FrameRead counted %d bytes", bytesRead.Load())
	}
}

// TestCloseWaitsForEverything checks that Close returns only after every
// goroutine the link started has ended: an OnConnect step, a periodic
// task and the reader are each made to linger after their ctx ends.
func TestCloseWaitsForEverything(t *testing.T) {
	leaktest.Check(t)
	srv := newWSServer(t)
	const linger = 20 * time.Millisecond // makes a Close that does not wait observable
	var onConnectDone, taskDone, readerDone atomic.Bool
	started := make(chan struct{}, 3)
	inMessage := make(chan struct{})
	cfg := Config{
		Dial: fixedTarget(srv.URL() + "/ws"),
		OnConnect: func(ctx context.Context, s *Session) error {
			s.startReader()
			started <- struct{}{}
			<-ctx.Done()
			time.Sleep(linger)
			onConnectDone.Store(true)
			return ctx.Err()
		},
		OnMessage: func(m Message, err error) {
			close(inMessage)
			time.Sleep(linger)
			readerDone.Store(true)
		},
	}
	l := newLink(t, cfg)
	if err := l.Every(time.Millisecond, func(ctx context.Context) error {
		select {
		case started <- struct{}{}:
		default:
		}
		<-ctx.Done()
		time.Sleep(linger)
		taskDone.Store(true)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	c := next(t, srv)
	within(t, started)
	within(t, started)
	sendText(t, c, "x")
	within(t, inMessage)
	l.Close()
	if !onConnectDone.Load() || !taskDone.Load() || !readerDone.Load() {
		t.Fatalf("Close returned early: OnConnect done %v, task done %v, reader done %v", onConnectDone.Load(), taskDone.Load(), readerDone.Load())
	}
}

// TestMaxLifetimeReconnects: a connection up for MaxLifetime is replaced by
// a new one, and the readers are told.
func TestMaxLifetimeReconnects(t *testing.T) {
	leaktest.Check(t)
	srv := newWSServer(t)
	rec := newRecorder()
	cfg := Config{Dial: fixedTarget(srv.URL() + "/ws"), MaxLifetime: 100 * time.Millisecond,
		Backoff: backoff.Policy{Base: time.Millisecond, Jitter: -1}}
	rec.wire(&cfg)
	newLink(t, cfg)
	rec.state(t, Connected)
	e := rec.state(t, Disconnected)
	if !errors.Is(e.Err, errors.NetworkError) || !strings.Contains(e.Err.Error(), "maximum life") {
		t.Fatalf("the lifetime cut: %v", e.Err)
	}
	if e := rec.state(t, Connected); !e.Reconnect {
		t.Fatal("the link did not reconnect after its lifetime")
	}
	if n := srv.Dials(); n < 2 {
		t.Fatalf("%d dials", n)
	}
}
