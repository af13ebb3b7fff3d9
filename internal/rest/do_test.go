package rest

import (
	"context"
	"encoding/json"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/internal/backoff"
	"github.com/unifex-go/unifex/internal/ratelimit"
)

// script replies with the given handlers in turn, the last one repeated,
// and counts the requests.
type script struct {
	n     atomic.Int64
	steps []http.HandlerFunc
}

func (s *script) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	i := int(s.n.Add(1)) - 1
	if i >= len(s.steps) {
		i = len(s.steps) - 1
	}
	s.steps[i](w, r)
}

func reply(status int, body string, headers ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

var okJSON = reply(200, `{"price":"42.5"}`, "Content-Type", "application/json")

type ticker struct {
	Price string `json:"price"`
}

func noJitter(c *Config) {
	c.Retry.Backoff = backoff.Policy{Base: 500 * time.Millisecond, Factor: 2, Max: 8 * time.Second, Jitter: -1}
}

func TestDoJSONSuccess(t *testing.T) {
	e := newEnv(t, okJSON, nil)
	var out ticker
	if err := e.c.DoJSON(context.Background(), getEP, Params{}, &out); err != nil {
		t.Fatal(err)
	}
	if out.Price != "42.5" {
		t.Errorf("price %q", out.Price)
	}
}

func TestGetRetriedOn5xxWithBackoff(t *testing.T) {
	s := &script{steps: []http.HandlerFunc{reply(503, "busy"), reply(502, "<html>bad gateway</html>"), okJSON}}
	e := newEnv(t, s, noJitter)
	var out ticker
	if err := e.c.DoJSON(context.Background(), getEP, Params{}, &out); err != nil {
		t.Fatal(err)
	}
	if s.n.Load() != 3 {
		t.Errorf("%d requests, want 3", s.n.Load())
	}
	if got := e.sleep.Delays(); len(got) != 2 || got[0] != 500*time.Millisecond || got[1] != time.Second {
		t.Errorf("backoff delays %v, want [500ms 1s]", got)
	}
	done := e.rec.Done()
	if len(done) != 3 || !done[0].Retry || done[0].Status != 503 || done[1].Attempt != 2 || done[2].Retry || done[2].Err != nil {
		t.Errorf("hook events %+v", done)
	}
}

func TestGetGivesUpAfterMaxAttempts(t *testing.T) {
	s := &script{steps: []http.HandlerFunc{reply(500, "oops")}}
	e := newEnv(t, s, func(c *Config) { c.Retry.MaxAttempts = 4 })
	_, err := e.c.Do(context.Background(), getEP, Params{})
	ee := wantKind(t, err, errors.ExchangeNotAvailable)
	if ee.HTTPStatus != 500 || s.n.Load() != 4 || len(e.sleep.Delays()) != 3 {
		t.Errorf("status %d after %d requests and %d sleeps", ee.HTTPStatus, s.n.Load(), len(e.sleep.Delays()))
	}
}

func TestRetryAfterHonoured(t *testing.T) {
	date := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	s := &script{steps: []http.HandlerFunc{
		reply(429, `{"code":-1003}`, "Retry-After", "3"),
		reply(503, "maintenance", "Retry-After", date.Add(7*time.Second).Format(http.TimeFormat), "Date", date.Format(http.TimeFormat)),
		okJSON,
	}}
	e := newEnv(t, s, nil)
	if _, err := e.c.Do(context.Background(), getEP, Params{}); err != nil {
		t.Fatal(err)
	}
	if got := e.sleep.Delays(); len(got) != 2 || got[0] != 3*time.Second || got[1] != 7*time.Second {
		t.Errorf("delays %v, want [3s 7s] from Retry-After", got)
	}
}

func TestRateLimitPausesSharedLimiter(t *testing.T) {
	s := &script{steps: []http.HandlerFunc{reply(429, "", "Retry-After", "2")}}
	e := newEnv(t, s, nil)
	_, err := e.c.Do(context.Background(), postEP, Params{})
	ee := wantKind(t, err, errors.RateLimitExceeded)
	if ee.RetryAfter != 2*time.Second || ee.HTTPStatus != 429 || ee.Unsent {
		t.Errorf("429 error %+v", ee)
	}
	if s.n.Load() != 1 {
		t.Errorf("a POST was sent %d times", s.n.Load())
	}
	if d := e.c.Limiter().Delay(0); d != 2*time.Second {
		t.Errorf("limiter not paused for everyone: next waits %v", d)
	}
}

func TestIPBanFailsFastUntilOver(t *testing.T) {
	s := &script{steps: []http.HandlerFunc{reply(418, `{"code":-1003,"msg":"banned"}`, "Retry-After", "120"), okJSON}}
	e := newEnv(t, s, nil)
	_, err := e.c.Do(context.Background(), getEP, Params{})
	if ee := wantKind(t, err, errors.DDoSProtection); ee.RetryAfter != 120*time.Second {
		t.Errorf("418 error %+v", ee)
	}
	_, err = e.c.Do(context.Background(), getEP, Params{})
	if ee := wantKind(t, err, errors.DDoSProtection); !ee.Unsent || ee.RetryAfter != 120*time.Second {
		t.Errorf("call during the ban: %+v", ee)
	}
	if s.n.Load() != 1 {
		t.Errorf("%d requests reached the venue during a ban", s.n.Load())
	}
	e.clock.Add(121 * time.Second)
	if _, err := e.c.Do(context.Background(), getEP, Params{}); err != nil {
		t.Fatalf("after the ban: %v", err)
	}
}

func TestRetryAfterBeyondDeadlineNotWaited(t *testing.T) {
	s := &script{steps: []http.HandlerFunc{reply(503, "", "Retry-After", "5"), okJSON}}
	e := newEnv(t, s, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, err := e.c.Do(ctx, getEP, Params{})
	wantKind(t, err, errors.ExchangeNotAvailable)
	if len(e.sleep.Delays()) != 0 || s.n.Load() != 1 {
		t.Errorf("slept %v for a retry past the deadline", e.sleep.Delays())
	}
}

func TestSentPostNotRetried(t *testing.T) {
	t.Run("503", func(t *testing.T) {
		s := &script{steps: []http.HandlerFunc{reply(503, "<html>down</html>", "Content-Type", "text/html")}}
		e := newEnv(t, s, nil)
		_, err := e.c.Do(context.Background(), postEP, Params{Body: []byte(`{"qty":"1"}`)})
		ee := wantKind(t, err, errors.ExchangeNotAvailable)
		if s.n.Load() != 1 || errors.SafeToRetry(err) || ee.HTTPStatus != 503 {
			t.Errorf("%d sends, SafeToRetry %v, %+v", s.n.Load(), errors.SafeToRetry(err), ee)
		}
		if strings.Contains(err.Error(), "html>") {
			t.Errorf("the body leaked into the message: %v", err)
		}
	})
	t.Run("connection dropped after the request", func(t *testing.T) {
		var n atomic.Int64
		e := newEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			io.ReadAll(r.Body)
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
		}), nil)
		_, err := e.c.Do(context.Background(), postEP, Params{Body: []byte(`{"qty":"1"}`)})
		ee := wantKind(t, err, errors.NetworkError)
		if n.Load() != 1 || ee.Unsent || errors.SafeToRetry(err) {
			t.Errorf("%d sends, unsent %v", n.Load(), ee.Unsent)
		}
	})
}

// closedPort returns a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

func TestUnsentPostRetriedAndSafeToRetry(t *testing.T) {
	addr := closedPort(t)
	e := newEnv(t, nil, func(c *Config) {
		c.BaseURLs = map[string]string{"private": "http://" + addr + "/api"}
	})
	_, err := e.c.Do(context.Background(), postEP, Params{Body: []byte(`{"qty":"1"}`)})
	ee := wantKind(t, err, errors.NetworkError)
	if !ee.Unsent || !errors.SafeToRetry(err) {
		t.Errorf("a refused connection must be Unsent: %+v", ee)
	}
	if e.rec.Starts() != DefaultMaxAttempts || len(e.sleep.Delays()) != DefaultMaxAttempts-1 {
		t.Errorf("%d attempts, %d sleeps", e.rec.Starts(), len(e.sleep.Delays()))
	}
}

func TestTLSVerificationStaysOn(t *testing.T) {
	srv := httptest.NewUnstartedServer(okJSON) // self-signed: must be refused
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	defer srv.Close()
	e := newEnv(t, nil, func(c *Config) {
		c.BaseURLs = map[string]string{"private": srv.URL}
		c.Retry.MaxAttempts = 1
	})
	_, err := e.c.Do(context.Background(), postEP, Params{})
	ee := wantKind(t, err, errors.NetworkError)
	if !ee.Unsent {
		t.Error("a failed TLS handshake sends no request: must be Unsent")
	}
	if !strings.Contains(err.Error(), "certificate") {
		t.Errorf("error does not say why: %v", err)
	}
}

func TestCallerClientAndHTTP2(t *testing.T) {
	var proto atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		proto.Store(int64(r.ProtoMajor))
		io.ReadAll(r.Body)
		okJSON(w, r)
	}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	defer srv.Close()
	e := newEnv(t, nil, func(c *Config) {
		c.BaseURLs = map[string]string{"public": srv.URL, "private": srv.URL}
		c.HTTPClient = srv.Client()
	})
	var out ticker
	if err := e.c.DoJSON(context.Background(), postEP, Params{Body: []byte("{}")}, &out); err != nil || out.Price != "42.5" {
		t.Fatalf("%v %+v", err, out)
	}
	if proto.Load() != 2 {
		t.Errorf("HTTP/%d, want HTTP/2", proto.Load())
	}
	if e.c.transport != nil {
		t.Error("a caller-supplied client must be used as is")
	}
	srv.Client().CloseIdleConnections()
}

func TestContextCancelInLimiterQueue(t *testing.T) {
	var n atomic.Int64
	clock := newFakeClock()
	lim := ratelimit.New(1, 1, clock.Now) // one unit per second, burst one
	e := newEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { n.Add(1); okJSON(w, r) }),
		func(c *Config) { c.Limiter = lim })
	if _, err := e.c.Do(context.Background(), getEP, Params{}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	heavy := getEP
	heavy.Weight = 100 // waits 100 s for tokens
	go func() { _, err := e.c.Do(ctx, heavy, Params{}); done <- err }()
	for lim.Delay(0) == 0 { // queued once its reservation shows
		time.Sleep(time.Millisecond)
	}
	cancel()
	err := <-done
	ee := wantKind(t, err, errors.OperationFailed)
	if !errors.Is(err, context.Canceled) || !ee.Unsent || errors.Is(err, errors.NetworkError) {
		t.Errorf("cancelled in the queue: %+v", ee)
	}
	if d := lim.Delay(0); d != 0 {
		t.Errorf("the reservation was not given back: next waits %v", d)
	}
	if n.Load() != 1 {
		t.Errorf("%d requests sent", n.Load())
	}
}

// blocker is a handler that signals each arrival and then holds the request
// until the client goes away or the test releases it.
type blocker struct {
	arrived chan struct{}
	release chan struct{}
}

func newBlocker(t *testing.T) *blocker {
	b := &blocker{arrived: make(chan struct{}, 16), release: make(chan struct{})}
	t.Cleanup(func() { close(b.release) })
	return b
}

func (b *blocker) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	io.ReadAll(r.Body)
	b.arrived <- struct{}{}
	select {
	case <-r.Context().Done():
	case <-b.release:
	}
}

func TestContextCancelDuringRequest(t *testing.T) {
	b := newBlocker(t)
	e := newEnv(t, b, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { _, err := e.c.Do(ctx, postEP, Params{Body: []byte("{}")}); done <- err }()
	<-b.arrived
	cancel()
	err := <-done
	ee := wantKind(t, err, errors.OperationFailed)
	if !errors.Is(err, context.Canceled) || ee.Unsent || errors.SafeToRetry(err) || errors.Is(err, errors.NetworkError) {
		t.Errorf("cancel after sending: %+v", ee)
	}
	if e.rec.Starts() != 1 {
		t.Errorf("%d attempts", e.rec.Starts())
	}
}

func TestAttemptTimeoutIsRequestTimeout(t *testing.T) {
	b := newBlocker(t)
	e := newEnv(t, b, func(c *Config) {
		c.Timeout = 50 * time.Millisecond
		c.Retry.MaxAttempts = 2
	})
	_, err := e.c.Do(context.Background(), getEP, Params{})
	ee := wantKind(t, err, errors.RequestTimeout)
	if !strings.Contains(ee.Message, "no complete reply within 50ms") {
		t.Errorf("message %q", ee.Message)
	}
	if e.rec.Starts() != 2 {
		t.Errorf("a timed-out GET is retried: %d attempts", e.rec.Starts())
	}
}

func TestContextDeadlineIsRequestTimeout(t *testing.T) {
	b := newBlocker(t)
	e := newEnv(t, b, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := e.c.Do(ctx, getEP, Params{})
	wantKind(t, err, errors.RequestTimeout)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("does not wrap the deadline: %v", err)
	}
}

func TestCloseCancelsInFlightAndRefusesNewCalls(t *testing.T) {
	b := newBlocker(t)
	e := newEnv(t, b, nil)
	done := make(chan error, 1)
	go func() { _, err := e.c.Do(context.Background(), getEP, Params{}); done <- err }()
	<-b.arrived
	if err := e.c.Close(); err != nil {
		t.Fatal(err)
	}
	wantKind(t, <-done, errors.ExchangeClosedByUser)
	_, err := e.c.Do(context.Background(), getEP, Params{})
	if ee := wantKind(t, err, errors.ExchangeClosedByUser); !ee.Unsent {
		t.Error("a call on a closed client sends nothing")
	}
	_, err = e.c.Build(context.Background(), getEP, Params{})
	wantKind(t, err, errors.ExchangeClosedByUser)
	if err := e.c.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestBadBodies(t *testing.T) {
	cases := []struct {
		name   string
		h      http.HandlerFunc
		kind   *errors.Kind
		status int
		msg    string
	}{
		{"html 502", reply(502, "<html><body><h1>502 Bad Gateway</h1>cloudflare</body></html>", "Content-Type", "text/html; charset=utf-8"),
			errors.ExchangeNotAvailable, 502, "Bad Gateway (text/html reply, 60 bytes)"},
		{"empty 200", reply(200, ""), errors.NullResponse, 200, "empty reply"},
		{"whitespace 200", reply(200, " \n"), errors.NullResponse, 200, "empty reply"},
		{"truncated json", reply(200, `{"price":"4`, "Content-Type", "application/json"),
			errors.BadResponse, 200, "reply is not valid JSON (application/json reply, 11 bytes)"},
		{"html 200", reply(200, "<html>maintenance</html>", "Content-Type", "text/html"),
			errors.BadResponse, 200, "reply is not valid JSON (text/html reply, 24 bytes)"},
		{"wrong shape", reply(200, `{"price":42}`, "Content-Type", "application/json"),
			errors.BadResponse, 200, "reply does not have the expected shape (application/json reply, 12 bytes)"},
		{"odd content type", reply(200, "x", "Content-Type", "??"),
			errors.BadResponse, 200, "reply is not valid JSON (unparsable Content-Type reply, 1 bytes)"},
		{"redirect", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/elsewhere?token=abc", http.StatusFound)
		},
			errors.BadResponse, 302, "Found"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, tc.h, func(c *Config) { c.Retry.MaxAttempts = 1 })
			var out ticker
			err := e.c.DoJSON(context.Background(), getEP, Params{}, &out)
			ee := wantKind(t, err, tc.kind)
			if ee.HTTPStatus != tc.status || !strings.HasPrefix(ee.Message, tc.msg) {
				t.Errorf("got status %d message %q, want %d %q", ee.HTTPStatus, ee.Message, tc.status, tc.msg)
			}
			mustNotContain(t, "error", err.Error(), "<html", "cloudflare", "token=abc")
		})
	}
}

func TestGiganticBody(t *testing.T) {
	big := strings.Repeat("x", 1<<20)
	for _, chunked := range []bool{false, true} {
		t.Run("chunked="+strconv.FormatBool(chunked), func(t *testing.T) {
			e := newEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if !chunked {
					w.Header().Set("Content-Length", strconv.Itoa(len(big)))
				}
				io.WriteString(w, big)
			}), func(c *Config) { c.MaxBodySize = 4096 })
			_, err := e.c.Do(context.Background(), getEP, Params{})
			ee := wantKind(t, err, errors.BadResponse)
			if ee.HTTPStatus != 200 || !strings.Contains(ee.Message, "4096-byte cap") || e.rec.Starts() != 1 {
				t.Errorf("%+v after %d attempts", ee, e.rec.Starts())
			}
		})
	}
}

func TestBodyCutShort(t *testing.T) {
	e := newEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		w.WriteHeader(200)
		io.WriteString(w, `{"price":`)
		w.(http.Flusher).Flush()
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	}), func(c *Config) { c.Retry.MaxAttempts = 1 })
	_, err := e.c.Do(context.Background(), getEP, Params{})
	ee := wantKind(t, err, errors.NetworkError)
	if ee.HTTPStatus != 200 || ee.Message != "reply cut short after 9 bytes" {
		t.Errorf("%+v", ee)
	}
}

func TestStatusTable(t *testing.T) {
	e := newEnv(t, nil, func(c *Config) {
		c.StatusKinds = map[int]*errors.Kind{404: errors.BadSymbol}
	})
	want := map[int]*errors.Kind{
		400: errors.BadRequest, 401: errors.AuthenticationError, 403: errors.PermissionDenied,
		404: errors.BadSymbol, 405: errors.ExchangeNotAvailable, 407: errors.AuthenticationError,
		408: errors.RequestTimeout, 409: errors.ExchangeNotAvailable, 410: errors.ExchangeNotAvailable,
		418: errors.DDoSProtection, 422: errors.ExchangeError, 429: errors.RateLimitExceeded,
		451: errors.ExchangeNotAvailable, 499: errors.ExchangeError, 500: errors.ExchangeNotAvailable,
		501: errors.ExchangeNotAvailable, 502: errors.ExchangeNotAvailable, 503: errors.ExchangeNotAvailable,
		504: errors.RequestTimeout, 511: errors.AuthenticationError, 520: errors.ExchangeNotAvailable,
		530: errors.ExchangeNotAvailable, 599: errors.ExchangeNotAvailable, 302: errors.BadResponse, 100: errors.BadResponse,
	}
	for status, kind := range want {
		err := e.c.check(&Response{Status: status, Header: http.Header{}})
		if ee := wantKind(t, err, kind); ee.HTTPStatus != status {
			t.Errorf("%d: HTTPStatus %d", status, ee.HTTPStatus)
		}
	}
	for _, status := range []int{200, 201, 204, 299} {
		if err := e.c.check(&Response{Status: status}); err != nil {
			t.Errorf("%d: %v", status, err)
		}
	}
}

func TestAuthStatusesEndToEnd(t *testing.T) {
	for status, kind := range map[int]*errors.Kind{401: errors.AuthenticationError, 403: errors.PermissionDenied} {
		s := &script{steps: []http.HandlerFunc{reply(status, `{"error":"nope"}`)}}
		e := newEnv(t, s, nil)
		_, err := e.c.Do(context.Background(), getEP, Params{})
		wantKind(t, err, kind)
		if s.n.Load() != 1 {
			t.Errorf("%d retried %d times", status, s.n.Load())
		}
	}
}

// venueCheck maps a Binance-style {"code":N,"msg":"..."} body to the
// taxonomy, as an adapter's CheckError does.
func venueCheck(resp *Response) error {
	var body struct {
		Code *int   `json:"code"`
		Msg  string `json:"msg"`
	}
	if json.Unmarshal(resp.Body, &body) != nil || body.Code == nil || *body.Code >= 0 {
		return nil
	}
	kind := errors.ExchangeError
	switch *body.Code {
	case -2010:
		kind = errors.InsufficientFunds
	case -1021:
		kind = errors.InvalidNonce
	case -2015:
		kind = errors.AuthenticationError
	case -1003:
		kind = errors.RateLimitExceeded
	}
	return &errors.Error{Kind: kind, Code: strconv.Itoa(*body.Code), Message: body.Msg}
}

func TestCheckErrorMapsVenueCodes(t *testing.T) {
	s := &script{steps: []http.HandlerFunc{
		reply(200, `{"code":-2010,"msg":"Account has insufficient balance for requested action."}`),
		reply(401, `{"code":-1121,"msg":"Invalid symbol."}`),
		reply(200, `{"code":-1003,"msg":"Too many requests."}`),
		okJSON,
	}}
	e := newEnv(t, s, func(c *Config) { c.CheckError = venueCheck })
	_, err := e.c.Do(context.Background(), postEP, Params{})
	ee := wantKind(t, err, errors.InsufficientFunds)
	if ee.Code != "-2010" || ee.HTTPStatus != 200 || !strings.Contains(ee.Message, "insufficient balance") {
		t.Errorf("%+v", ee)
	}
	_, err = e.c.Do(context.Background(), getEP, Params{})
	if ee := wantKind(t, err, errors.ExchangeError); ee.Code != "-1121" || ee.HTTPStatus != 401 {
		t.Errorf("the venue's mapping wins over the status table: %+v", ee)
	}
	// A venue rate-limit code under HTTP 200 is retried for a GET.
	if _, err := e.c.Do(context.Background(), getEP, Params{}); err != nil {
		t.Fatalf("rate-limit code then success: %v", err)
	}
	if s.n.Load() != 4 {
		t.Errorf("%d requests", s.n.Load())
	}
}

func TestCheckErrorResultsAdopted(t *testing.T) {
	shared := &errors.Error{Kind: errors.OnMaintenance, Message: "system upgrade"}
	e := newEnv(t, reply(503, "<html>upgrade</html>"), func(c *Config) {
		c.Retry.MaxAttempts = 1
		c.CheckError = func(r *Response) error {
			if strings.Contains(string(r.Body), "upgrade") {
				return shared
			}
			return nil
		}
	})
	_, err := e.c.Do(context.Background(), getEP, Params{})
	if ee := wantKind(t, err, errors.OnMaintenance); ee == shared || ee.HTTPStatus != 503 || shared.Exchange != "" {
		t.Errorf("the adapter's shared error must be copied, not edited: %+v", ee)
	}
	// A bare kind and a foreign error are wrapped too.
	e.c.checkError = func(*Response) error { return errors.BadSymbol }
	wantKind(t, e.c.check(&Response{Status: 200}), errors.BadSymbol)
	e.c.checkError = func(*Response) error { return io.ErrUnexpectedEOF }
	if ee := wantKind(t, e.c.check(&Response{Status: 200}), errors.ExchangeError); ee.Cause != io.ErrUnexpectedEOF {
		t.Errorf("cause %v", ee.Cause)
	}
}

func TestVenueRetryHint(t *testing.T) {
	s := &script{steps: []http.HandlerFunc{reply(429, "", "X-Reset-Ms", "4500"), okJSON}}
	e := newEnv(t, s, func(c *Config) {
		c.RetryAfter = func(r *Response) time.Duration {
			ms, _ := strconv.Atoi(r.Header.Get("X-Reset-Ms"))
			return time.Duration(ms) * time.Millisecond
		}
	})
	if _, err := e.c.Do(context.Background(), getEP, Params{}); err != nil {
		t.Fatal(err)
	}
	if got := e.sleep.Delays(); len(got) != 1 || got[0] != 4500*time.Millisecond {
		t.Errorf("delays %v", got)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := map[string]time.Duration{
		"": 0, "0": 0, "-5": 0, "abc": 0, "NaN": 0, "1.5": 1500 * time.Millisecond, "120": 2 * time.Minute,
		"999999999": maxRetryAfter, "Inf": maxRetryAfter,
		now.Add(90 * time.Second).Format(http.TimeFormat): 90 * time.Second,
		now.Add(-time.Hour).Format(http.TimeFormat):       0,
	}
	for v, want := range cases {
		if got := parseRetryAfter(http.Header{"Retry-After": {v}}, now); got != want {
			t.Errorf("Retry-After %q: %v, want %v", v, got, want)
		}
	}
}

// TestQuotaBuckets: a per-endpoint bucket holds back only the calls that
// draw on it, is shared with WaitQuota, and a wait cut short says nothing
// was sent.
func TestQuotaBuckets(t *testing.T) {
	var n atomic.Int64
	e := newEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { n.Add(1); okJSON(w, r) }),
		func(c *Config) {
			c.Quota = func(ep Endpoint, _ Params) string {
				if ep.Method == "POST" {
					return "orders"
				}
				return ""
			}
			c.Quotas = func(string) (float64, float64) { return 1, 1 } // one a second, burst one
		})
	if _, err := e.c.Do(context.Background(), postEP, Params{}); err != nil {
		t.Fatal(err)
	}
	// The bucket is empty (the clock does not move): the next order waits,
	// a read does not.
	for _, wait := range []func(context.Context) error{
		func(ctx context.Context) error { _, err := e.c.Do(ctx, postEP, Params{}); return err },
		func(ctx context.Context) error { return e.c.WaitQuota(ctx, "orders") },
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
		err := wait(ctx)
		cancel()
		ee := wantKind(t, err, errors.RequestTimeout)
		if !ee.Unsent {
			t.Errorf("a wait for the bucket cut short: %+v, want Unsent", ee)
		}
	}
	if _, err := e.c.Do(context.Background(), getEP, Params{}); err != nil {
		t.Fatal(err)
	}
	if n.Load() != 2 {
		t.Fatalf("%d requests reached the venue, want the first order and the read", n.Load())
	}
	e.clock.Add(time.Second)
	if err := e.c.WaitQuota(context.Background(), "orders"); err != nil {
		t.Fatal(err)
	}
	if err := e.c.WaitQuota(context.Background(), ""); err != nil {
		t.Fatal("no bucket must not wait")
	}
	if _, err := New(Config{BaseURLs: map[string]string{"a": "https://x"}, Quota: func(Endpoint, Params) string { return "" }}); err == nil {
		t.Fatal("Quota without Quotas was accepted")
	}
}
