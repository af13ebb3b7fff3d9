package stream

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/internal/leaktest"
)

// pubnubServer is a loopback PubNub subscribe v2 endpoint: tt=0 gives the
// first timetoken, tt=100 and tt=200 give batches, later polls are held
// until released or abandoned. Tokens are issued by its dial hook.
type pubnubServer struct {
	srv *httptest.Server

	mu      sync.Mutex
	valid   string
	issued  int
	polls   []url.Values
	release chan struct{}
}

func newPubNub(t *testing.T) *pubnubServer {
	s := &pubnubServer{release: make(chan struct{})}
	s.srv = httptest.NewServer(http.HandlerFunc(s.handle))
	t.Cleanup(s.srv.Close)
	return s
}

// dial is the link's Dial hook: like bitbank's /user/subscribe, it gets a
// fresh token each time.
func (s *pubnubServer) dial(context.Context) (Target, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.issued++
	s.valid = fmt.Sprintf("pn-secret-%d", s.issued)
	return Target{URL: s.srv.URL + "/v2/subscribe/sub-c-key/chan-1/0?uuid=chan-1&auth=" + s.valid}, nil
}

// expire revokes the token and answers the held poll.
func (s *pubnubServer) expire() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.valid = ""
	close(s.release)
	s.release = make(chan struct{})
}

func (s *pubnubServer) queries() []url.Values {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]url.Values(nil), s.polls...)
}

func (s *pubnubServer) handle(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.mu.Lock()
	s.polls = append(s.polls, q)
	valid, release := s.valid, s.release
	s.mu.Unlock()
	if r.URL.Path != "/v2/subscribe/sub-c-key/chan-1/0" {
		http.NotFound(w, r)
		return
	}
	if q.Get("auth") != valid {
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `{"message":"Token is expired.","error":true,"service":"Access Manager","status":403}`)
		return
	}
	switch tt := q.Get("tt"); tt {
	case "0":
		fmt.Fprint(w, `{"t":{"t":"100","r":12},"m":[]}`)
	case "100":
		fmt.Fprint(w, `{"t":{"t":"200","r":12},"m":[{"a":"2","f":0,"c":"chan-1","d":{"message":{"method":"spot_order","params":[1]}}},{"c":"chan-1","d":{"message":{"method":"spot_trade","params":[2]}}}]}`)
	case "200":
		fmt.Fprint(w, `{"t":{"t":"300","r":12},"m":[{"c":"chan-1","d":{"message":{"method":"asset_update","params":[3]}}}]}`)
	default:
		select {
		case <-r.Context().Done():
			return
		case <-release:
		}
		fmt.Fprintf(w, `{"t":{"t":%q,"r":12},"m":[]}`, tt)
	}
}

var pubnubBatch = []string{
	`{"message":{"method":"spot_order","params":[1]}}`,
	`{"message":{"method":"spot_trade","params":[2]}}`,
	`{"message":{"method":"asset_update","params":[3]}}`,
}

func TestLongPollStream(t *testing.T) {
	leaktest.Check(t)
	srv := newPubNub(t)
	rec := newRecorder()
	cfg := Config{Exchange: "bitbank", Dial: srv.dial, Transport: LongPoll{Poller: PubNub{}}, Keepalive: Keepalive{Timeout: time.Hour}}
	rec.wire(&cfg)
	l := newLink(t, cfg)
	rec.state(t, Connected)
	for i, want := range pubnubBatch {
		if m := rec.msg(t); m.Type != Text || string(m.Data) != want {
			t.Fatalf("message %d = %q", i, m.Data)
		}
	}
	// The cursor: tt=0, then each reply's timetoken and region.
	var got []string
	for _, q := range srv.queries()[:3] {
		got = append(got, q.Get("tt")+"/"+q.Get("tr"))
	}
	if strings.Join(got, " ") != "0/ 100/12 200/12" {
		t.Fatalf("polls %v", got)
	}
	// The stream is receive-only; a send fails unsent and the link stays up.
	if err := l.Send(testCtx(t), []byte("x")); !errors.Is(err, errors.NotSupported) || !errors.SafeToRetry(err) {
		t.Fatalf("Send on a long poll: %v", err)
	}

	// The token expires: the next poll is refused, the link redials with a
	// fresh token from the hook and starts over.
	srv.expire()
	e := rec.state(t, Disconnected)
	var ee *errors.Error
	if !errors.Is(e.Err, errors.AuthenticationError) || !errors.As(e.Err, &ee) || ee.HTTPStatus != 403 || !strings.Contains(ee.Error(), "Token is expired.") {
		t.Fatalf("expired token: %v", e.Err)
	}
	rec.state(t, Connected)
	for i, want := range pubnubBatch {
		if m := rec.msg(t); string(m.Data) != want {
			t.Fatalf("after redial, message %d = %q", i, m.Data)
		}
	}
	// Close aborts the held poll (the leak check proves it).
}

func TestLongPollLiveness(t *testing.T) {
	leaktest.Check(t)
	srv := newPubNub(t)
	rec := newRecorder()
	// An empty reply counts as liveness; a held poll longer than the
	// silence limit is a dead stream.
	cfg := Config{Dial: srv.dial, Transport: LongPoll{Poller: PubNub{}}, Keepalive: Keepalive{Timeout: 50 * time.Millisecond}}
	rec.wire(&cfg)
	newLink(t, cfg)
	rec.state(t, Connected)
	if e := rec.state(t, Disconnected); !errors.Is(e.Err, errors.RequestTimeout) {
		t.Fatalf("held poll: %v", e.Err)
	}
}

func TestPubNubParseReply(t *testing.T) {
	msgs, cursor, err := PubNub{}.ParseReply(200, nil, []byte(`{"t":{"t":"17000000000000000","r":4},"m":[{"d":{"x":1}},{"d":"text"},{"c":"no-data"}]}`))
	if err != nil || cursor != "17000000000000000:4" || len(msgs) != 2 || string(msgs[0]) != `{"x":1}` || string(msgs[1]) != `"text"` {
		t.Fatalf("ParseReply = %q, %q, %v", msgs, cursor, err)
	}
	for _, tc := range []struct {
		status int
		body   string
		kind   *errors.Kind
	}{
		{403, `{"message":"Forbidden","payload":{"channels":["secret-channel"]},"error":true}`, errors.AuthenticationError},
		{401, ``, errors.AuthenticationError},
		{400, `{"message":"Invalid Subscribe Key"}`, errors.BadRequest},
		{429, ``, errors.RateLimitExceeded},
		{502, `<html>bad gateway</html>`, errors.ExchangeNotAvailable},
		{200, `<html>`, errors.BadResponse},
		{200, `{"m":[]}`, errors.BadResponse},
		{200, `{"t":{"t":"1","r":"x"},"m":[]}`, errors.BadResponse},
	} {
		_, _, err := PubNub{}.ParseReply(tc.status, http.Header{}, []byte(tc.body))
		if !errors.Is(err, tc.kind) {
			t.Errorf("%d %s: %v, want %v", tc.status, tc.body, err, tc.kind)
		}
		if err != nil && strings.Contains(err.Error(), "secret-channel") {
			t.Errorf("error echoes the reply's payload: %v", err)
		}
	}
}

func TestPubNubNewRequest(t *testing.T) {
	h := http.Header{"X-A": {"b"}}
	target := Target{URL: "https://ps.pndsn.com/v2/subscribe/sub/ch/0?uuid=ch&auth=tok&tt=9", Header: h}
	for cursor, want := range map[string]string{
		"":      "auth=tok&tt=0&uuid=ch",
		"150:3": "auth=tok&tr=3&tt=150&uuid=ch",
		"150:":  "auth=tok&tt=150&uuid=ch",
	} {
		req, err := PubNub{}.NewRequest(context.Background(), target, cursor)
		if err != nil || req.URL.RawQuery != want || req.Header.Get("X-A") != "b" || req.Method != http.MethodGet {
			t.Errorf("cursor %q: %v %v", cursor, req.URL, err)
		}
	}
	if _, err := (PubNub{}).NewRequest(context.Background(), Target{URL: "://bad"}, ""); !errors.Is(err, errors.BadRequest) {
		t.Errorf("bad URL: %v", err)
	}
}

func TestLongPollNeedsPoller(t *testing.T) {
	if _, err := (LongPoll{}).Dial(context.Background(), Target{URL: "http://127.0.0.1:1"}); !errors.Is(err, errors.BadRequest) {
		t.Fatalf("LongPoll without a Poller: %v", err)
	}
}

func TestLongPollReplyTooLarge(t *testing.T) {
	leaktest.Check(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"t":{"t":"1","r":1},"m":[{"d":"%s"}]}`, strings.Repeat("x", 200))
	}))
	t.Cleanup(srv.Close)
	_, err := LongPoll{Poller: PubNub{}, MaxBody: 100}.Dial(testCtx(t), Target{URL: srv.URL + "/v2/subscribe/k/c/0"})
	if !errors.Is(err, errors.BadResponse) {
		t.Fatalf("oversized reply: %v", err)
	}
}
