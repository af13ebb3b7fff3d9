package stream

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/internal/fakeserver"
	"github.com/unifex-go/unifex/internal/leaktest"
	"github.com/unifex-go/unifex/internal/ratelimit"
)

// jsonID is a ResponseID for JSON messages with a top-level "id".
func jsonID(m Message) ([]byte, bool) {
	var v struct {
		ID json.RawMessage `json:"id"`
	}
	if json.Unmarshal(m.Data, &v) != nil || len(v.ID) == 0 {
		return nil, false
	}
	return v.ID, true
}

// rpcEcho answers every {"id":N,...} request with {"id":N,"result":N}.
func rpcEcho(t *testing.T, c *fakeserver.Conn) {
	for {
		data, err := c.Read(context.Background())
		if err != nil {
			return
		}
		if id, ok := jsonID(Message{Type: Text, Data: data}); ok {
			sendText(t, c, fmt.Sprintf(`{"id":%s,"result":%s}`, id, id))
		}
	}
}

func TestRequestCorrelatesByID(t *testing.T) {
	leaktest.Check(t)
	srv := newWSServer(t)
	rec := newRecorder()
	cfg := Config{Dial: fixedTarget(srv.URL() + "/ws"), ResponseID: jsonID}
	rec.wire(&cfg)
	l := newLink(t, cfg)
	rec.state(t, Connected)
	c := next(t, srv)
	go rpcEcho(t, c)

	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := 1; i <= 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := l.Request(testCtx(t), Request{ID: fmt.Sprint(i), Payload: []byte(fmt.Sprintf(`{"jsonrpc":"2.0","method":"auth","id":%d}`, i))})
			if err != nil {
				errs <- err
				return
			}
			if want := fmt.Sprintf(`{"id":%d,"result":%d}`, i, i); string(resp.Data) != want {
				errs <- fmt.Errorf("request %d got %s", i, resp.Data)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	sendText(t, c, `{"method":"channelMessage"}`)
	if m := rec.msg(t); string(m.Data) != `{"method":"channelMessage"}` {
		t.Fatalf("OnMessage got %s; responses must not reach it", m.Data)
	}
}

func TestRequestMatchAndAwait(t *testing.T) {
	leaktest.Check(t)
	srv := newWSServer(t)
	rec := newRecorder()
	welcome := make(chan string, 1)
	cfg := Config{
		Dial: fixedTarget(srv.URL() + "/ws"),
		OnConnect: func(ctx context.Context, s *Session) error {
			// KuCoin: wait for the welcome before sending anything. The
			// server sent it before this ran; it waited in the socket.
			m, err := s.Await(ctx, func(m Message) bool { return string(m.Data) == `{"type":"welcome"}` })
			if err != nil {
				return err
			}
			welcome <- string(m.Data)
			resp, err := s.Request(ctx, Request{
				Payload: []byte(`{"op":"login"}`),
				Match:   func(m Message) bool { return string(m.Data) == `{"event":"login","success":true}` },
			})
			if err != nil {
				return err
			}
			if string(resp.Data) != `{"event":"login","success":true}` {
				return fmt.Errorf("login reply %s", resp.Data)
			}
			return nil
		},
	}
	rec.wire(&cfg)
	newLink(t, cfg)
	c := next(t, srv)
	sendText(t, c, `{"type":"welcome"}`)
	if got := recvText(t, c); got != `{"op":"login"}` {
		t.Fatalf("server got %q", got)
	}
	sendText(t, c, `{"event":"login","success":true}`)
	rec.state(t, Connected)
	if got := within(t, welcome); got != `{"type":"welcome"}` {
		t.Fatalf("welcome %q", got)
	}
	sendText(t, c, `{"data":1}`)
	if m := rec.msg(t); string(m.Data) != `{"data":1}` {
		t.Fatalf("OnMessage got %s first; welcome and login reply must not reach it", m.Data)
	}
}

func TestRequestTimeoutMayHaveBeenSent(t *testing.T) {
	leaktest.Check(t)
	srv := newWSServer(t)
	rec := newRecorder()
	cfg := Config{Dial: fixedTarget(srv.URL() + "/ws"), ResponseID: jsonID, RequestTimeout: 50 * time.Millisecond}
	rec.wire(&cfg)
	l := newLink(t, cfg)
	rec.state(t, Connected)
	c := next(t, srv)
	_, err := l.Request(context.Background(), Request{ID: "7", Payload: []byte(`{"id":7,"method":"order.place"}`)})
	if !errors.Is(err, errors.RequestTimeout) || errors.SafeToRetry(err) {
		t.Fatalf("unanswered request: %v (SafeToRetry %v)", err, errors.SafeToRetry(err))
	}
	if got := recvText(t, c); got != `{"id":7,"method":"order.place"}` {
		t.Fatalf("server got %q", got)
	}
	// A late response is nobody's: it goes to OnMessage.
	sendText(t, c, `{"id":7,"result":"late"}`)
	if m := rec.msg(t); string(m.Data) != `{"id":7,"result":"late"}` {
		t.Fatalf("late response %s", m.Data)
	}
}

func TestRequestFailsOnDropAfterSending(t *testing.T) {
	leaktest.Check(t)
	srv := newWSServer(t)
	rec := newRecorder()
	cfg := Config{Dial: fixedTarget(srv.URL() + "/ws"), ResponseID: jsonID, RequestTimeout: -1}
	rec.wire(&cfg)
	l := newLink(t, cfg)
	rec.state(t, Connected)
	c := next(t, srv)
	go func() {
		recv(t, c) // the order reached the venue...
		c.Drop()   // ...and the connection died before the reply
	}()
	_, err := l.Request(testCtx(t), Request{ID: "1", Payload: []byte(`{"id":1,"method":"order.place"}`)})
	if !errors.Is(err, errors.NetworkError) || errors.SafeToRetry(err) {
		t.Fatalf("request cut by a drop: %v (SafeToRetry %v)", err, errors.SafeToRetry(err))
	}
	rec.state(t, Connected) // reconnected, and nothing was re-sent:
	c2 := next(t, srv)
	if d, ok := received(c2); ok {
		t.Fatalf("the link re-sent %q after reconnecting", d)
	}
}

func TestRequestRegistrationErrors(t *testing.T) {
	leaktest.Check(t)
	srv := newWSServer(t)
	rec := newRecorder()
	cfg := Config{Dial: fixedTarget(srv.URL() + "/ws")}
	rec.wire(&cfg)
	l := newLink(t, cfg)
	rec.state(t, Connected)
	for name, r := range map[string]Request{
		"no id or match":        {Payload: []byte("x")},
		"id without ResponseID": {ID: "1", Payload: []byte("x")},
	} {
		if _, err := l.Request(testCtx(t), r); !errors.Is(err, errors.BadRequest) || !errors.SafeToRetry(err) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestRequestDuplicateID(t *testing.T) {
	leaktest.Check(t)
	srv := newWSServer(t)
	rec := newRecorder()
	cfg := Config{Dial: fixedTarget(srv.URL() + "/ws"), ResponseID: jsonID}
	rec.wire(&cfg)
	l := newLink(t, cfg)
	rec.state(t, Connected)
	c := next(t, srv)
	first := make(chan error, 1)
	go func() {
		_, err := l.Request(testCtx(t), Request{ID: "1", Payload: []byte(`{"id":1}`)})
		first <- err
	}()
	recv(t, c) // the first request is registered and sent
	if _, err := l.Request(testCtx(t), Request{ID: "1", Payload: []byte(`{"id":1}`)}); !errors.Is(err, errors.BadRequest) || !errors.SafeToRetry(err) {
		t.Fatalf("duplicate id: %v", err)
	}
	sendText(t, c, `{"id":1}`)
	if err := within(t, first); err != nil {
		t.Fatal(err)
	}
}

func TestOutgoingLimiter(t *testing.T) {
	leaktest.Check(t)
	srv := newWSServer(t)
	rec := newRecorder()
	cfg := Config{
		Dial:              fixedTarget(srv.URL() + "/ws"),
		MessagesPerSecond: 1.0 / 3600, // one an hour after a burst of two
		MessageBurst:      2,
		Keepalive: Keepalive{
			Interval: 20 * time.Millisecond,
			Timeout:  time.Hour, // the server never answers
			Ping:     func() []byte { return []byte("ping") },
		},
	}
	rec.wire(&cfg)
	l := newLink(t, cfg)
	rec.state(t, Connected)
	c := next(t, srv)
	for i := 0; i < 2; i++ {
		if err := l.Send(testCtx(t), []byte(fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	err := l.Send(ctx, []byte("2"))
	if !errors.Is(err, errors.RequestTimeout) || !errors.SafeToRetry(err) {
		t.Fatalf("send over the limit: %v (SafeToRetry %v)", err, errors.SafeToRetry(err))
	}
	// Keepalive pings bypass the limiter.
	var got []string
	for len(got) < 3 {
		got = append(got, recvText(t, c))
	}
	if got[0] != "0" || got[1] != "1" || got[2] != "ping" {
		t.Fatalf("server got %q", got)
	}
	// Close while a send waits for the limiter: it gives up at once, unsent.
	waiting := make(chan error, 1)
	go func() { waiting <- l.Send(context.Background(), []byte("3")) }()
	for l.limiter.Delay(1) < 90*time.Minute { // until the send has queued behind the empty bucket
		select {
		case err := <-waiting:
			t.Fatalf("send returned before Close: %v", err)
		case <-time.After(time.Millisecond):
		}
	}
	l.Close()
	if err := within(t, waiting); !errors.Is(err, errors.ExchangeClosedByUser) || !errors.SafeToRetry(err) {
		t.Fatalf("send waiting at Close: %v", err)
	}
	for d, ok := received(c); ok; d, ok = received(c) {
		if string(d) != "ping" {
			t.Fatalf("the server got %q past the limit", d)
		}
	}
}

func TestSharedLimiterSpansLinks(t *testing.T) {
	leaktest.Check(t)
	srv := newWSServer(t)
	shared := ratelimit.New(1.0/3600, 1, nil) // GMO Coin style: one per IP
	var links []*Link
	for i := 0; i < 2; i++ {
		rec := newRecorder()
		cfg := Config{Dial: fixedTarget(srv.URL() + "/ws"), Limiter: shared}
		rec.wire(&cfg)
		links = append(links, newLink(t, cfg))
		rec.state(t, Connected)
	}
	if err := links[0].Send(testCtx(t), []byte("a")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	if err := links[1].Send(ctx, []byte("b")); !errors.Is(err, errors.RequestTimeout) || !errors.SafeToRetry(err) {
		t.Fatalf("second link past the shared limit: %v", err)
	}
}

func TestRequestWhileDownIsUnsent(t *testing.T) {
	leaktest.Check(t)
	srv := newWSServer(t)
	srv.Refuse(http.StatusBadGateway)
	rec := newRecorder()
	cfg := Config{Dial: fixedTarget(srv.URL() + "/ws"), ResponseID: jsonID}
	rec.wire(&cfg)
	l := newLink(t, cfg)
	rec.state(t, Disconnected)
	_, err := l.Request(testCtx(t), Request{ID: "1", Payload: []byte(`{"id":1}`)})
	if !errors.Is(err, errors.NetworkError) || !errors.SafeToRetry(err) {
		t.Fatalf("request while down: %v", err)
	}
}
