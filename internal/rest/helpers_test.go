package rest

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/internal/leaktest"
	"github.com/unifex-go/unifex/internal/logcapture"
)

// fakeClock is a manual clock shared by the client's sources and limiter.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.UnixMilli(1_700_000_000_000).UTC()} }

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// sleeper records the delays the transport asks for and, instead of
// waiting, moves the fake clock on (so limiter pauses are over too).
type sleeper struct {
	mu     sync.Mutex
	delays []time.Duration
	clock  *fakeClock
}

func (s *sleeper) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	s.delays = append(s.delays, d)
	s.mu.Unlock()
	s.clock.Add(d)
	return nil
}

func (s *sleeper) Delays() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.delays...)
}

// recorder is a hook implementing every hook interface.
type recorder struct {
	mu    sync.Mutex
	start []RequestStart
	done  []RequestDone
	sync  []TimeSync
}

func (r *recorder) OnRequestStart(e RequestStart) {
	r.mu.Lock()
	r.start = append(r.start, e)
	r.mu.Unlock()
}
func (r *recorder) OnRequestDone(e RequestDone) {
	r.mu.Lock()
	r.done = append(r.done, e)
	r.mu.Unlock()
}
func (r *recorder) OnTimeSync(e TimeSync) { r.mu.Lock(); r.sync = append(r.sync, e); r.mu.Unlock() }

func (r *recorder) Done() []RequestDone {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]RequestDone(nil), r.done...)
}

func (r *recorder) Starts() int { r.mu.Lock(); defer r.mu.Unlock(); return len(r.start) }

// env is a client against a loopback test server, with a fake clock, a
// recording sleeper and hook recorder, torn down (and checked for leaked
// goroutines) at the end of the test.
type env struct {
	t     *testing.T
	srv   *httptest.Server
	c     *Client
	clock *fakeClock
	sleep *sleeper
	rec   *recorder
	logs  *logcapture.Buffer
}

// newEnv starts h and a client whose base URLs "public" and "private" point
// at it; mod adjusts the config before New.
func newEnv(t *testing.T, h http.Handler, mod func(*Config)) *env {
	t.Helper()
	leaktest.Check(t)
	e := &env{t: t, clock: newFakeClock(), rec: new(recorder), logs: new(logcapture.Buffer)}
	e.sleep = &sleeper{clock: e.clock}
	if h != nil {
		e.srv = httptest.NewServer(h)
		t.Cleanup(e.srv.Close)
	}
	base := "http://127.0.0.1:1"
	if e.srv != nil {
		base = e.srv.URL
	}
	cfg := Config{
		Exchange: "testex",
		BaseURLs: map[string]string{"public": base + "/api", "private": base + "/api"},
		Sleep:    e.sleep.Sleep,
		Sources:  Sources{Clock: e.clock.Now},
		Logger:   slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Hooks:    []any{e.rec},
	}
	if mod != nil {
		mod(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	e.c = c
	t.Cleanup(func() { _ = c.Close() })
	return e
}

// wantKind fails unless err is an *errors.Error of kind k for exchange
// "testex"; it returns the error.
func wantKind(t *testing.T, err error, k *errors.Kind) *errors.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %v", k)
	}
	var e *errors.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %T %v is not an *errors.Error", err, err)
	}
	if e.Kind != k {
		t.Fatalf("kind %v, want %v (error: %v)", e.Kind, k, err)
	}
	if e.Exchange != "testex" {
		t.Fatalf("exchange %q, want testex (error: %v)", e.Exchange, err)
	}
	return e
}

// mustNotContain fails when s contains any of the secrets.
func mustNotContain(t *testing.T, what, s string, secrets ...string) {
	t.Helper()
	for _, x := range secrets {
		if x != "" && strings.Contains(s, x) {
			t.Errorf("%s contains %q:\n%s", what, x, s)
		}
	}
}

var (
	getEP  = Endpoint{API: "public", Method: "GET", Path: "/ticker"}
	postEP = Endpoint{API: "private", Method: "POST", Path: "/order", Signed: false}
)
