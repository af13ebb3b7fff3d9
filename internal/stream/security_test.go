package stream

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/gorilla/websocket"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/internal/fakeserver"
	"github.com/unifex-go/unifex/internal/leaktest"
	"github.com/unifex-go/unifex/internal/logcapture"
)

// TestNoSecretsInLogsOrErrors runs a link through refusals, a connection,
// a drop, a reconnect and failing requests with tokens in the URL path, the
// query and a header, logging everything at debug level, and checks that
// no token appears in a log line, an event error, a request error or a
// Target's String.
func TestNoSecretsInLogsOrErrors(t *testing.T) {
	leaktest.Check(t)
	srv := newWSServer(t)
	srv.Refuse(http.StatusUnauthorized)
	logs := &logcapture.Buffer{}
	logger := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var secrets []string
	var mu sync.Mutex
	var n atomic.Int32
	target := func() Target {
		i := n.Add(1)
		path, query, header := fmt.Sprintf("PATHSECRET%d", i), fmt.Sprintf("QUERYSECRET%d", i), fmt.Sprintf("HEADERSECRET%d", i)
		mu.Lock()
		secrets = append(secrets, path, query, header)
		mu.Unlock()
		h := http.Header{}
		h.Set("Authorization", "Bearer "+header)
		return Target{URL: srv.URL() + "/ws/private/v1/" + path + "?token=" + query + "&connectId=1", Header: h}
	}
	rec := newRecorder()
	var errs []error
	var onConnects atomic.Int32
	cfg := Config{
		Exchange:   "test",
		Name:       "private",
		Logger:     logger,
		Dial:       func(context.Context) (Target, error) { return target(), nil },
		ResponseID: jsonID,
		OnConnect: func(ctx context.Context, s *Session) error {
			if onConnects.Add(1) == 1 {
				return errors.Newf(errors.AuthenticationError, "login refused")
			}
			return nil
		},
	}
	rec.wire(&cfg)
	l := newLink(t, cfg)
	for i := 0; i < 2; i++ {
		errs = append(errs, rec.state(t, Disconnected).Err)
	}
	srv.Refuse(0)
	errs = append(errs, rec.state(t, Disconnected).Err) // OnConnect refused
	rec.state(t, Connected)
	next(t, srv) // the connection whose login failed
	c := next(t, srv)
	go func() { recv(t, c); c.Drop() }()
	_, err := l.Request(testCtx(t), Request{ID: "1", Payload: []byte(`{"id":1}`)})
	errs = append(errs, err)
	errs = append(errs, rec.state(t, Disconnected).Err)
	rec.state(t, Connected)
	l.Close()
	_, err = l.Request(context.Background(), Request{ID: "2", Payload: []byte(`{"id":2}`)})
	errs = append(errs, err)
	errs = append(errs, errorsFromTransport(t)...)

	out := logs.String()
	if !strings.Contains(out, `"level":"DEBUG"`) || !strings.Contains(out, "127.0.0.1") {
		t.Fatalf("the logger saw nothing useful:\n%s", out)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, s := range secrets {
		if strings.Contains(out, s) {
			t.Errorf("log contains %s:\n%s", s, out)
		}
		for _, err := range errs {
			if err == nil {
				t.Error("expected an error")
				continue
			}
			if strings.Contains(err.Error(), s) || strings.Contains(fmt.Sprintf("%+v", err), s) {
				t.Errorf("error contains %s: %v", s, err)
			}
		}
	}
	tg := Target{URL: "wss://ws.example.com/ws/private/v1/SECRET?token=SECRET", Header: http.Header{"Authorization": {"SECRET"}}}
	if s := tg.String() + fmt.Sprint(tg) + tg.LogValue().String(); strings.Contains(s, "SECRET") {
		t.Errorf("Target prints %q", s)
	}
}

// errorsFromTransport collects the errors of failing dials straight from
// the transports, with tokens in their URLs.
func errorsFromTransport(t *testing.T) []error {
	ctx := testCtx(t)
	var out []error
	for _, u := range []string{
		"ws://127.0.0.1:1/ws/private/v1/PATHSECRET1?token=QUERYSECRET1",
		"ws://%zz/PATHSECRET1?token=QUERYSECRET1",
		"http://127.0.0.1:1/PATHSECRET1?token=QUERYSECRET1",
	} {
		_, err := WebSocket{}.Dial(ctx, Target{URL: u})
		out = append(out, err)
		_, err = LongPoll{Poller: PubNub{}}.Dial(ctx, Target{URL: u})
		out = append(out, err)
	}
	return out
}

func TestTLSVerificationStaysOn(t *testing.T) {
	leaktest.Check(t)
	srv := fakeserver.NewTLSWS(nil)
	t.Cleanup(srv.Close)
	ctx := testCtx(t)
	target := Target{URL: srv.URL() + "/ws"}

	// Untrusted certificate: refused.
	if _, err := (WebSocket{}).Dial(ctx, target); !errors.Is(err, errors.NetworkError) {
		t.Fatalf("self-signed certificate accepted: %v", err)
	}
	// A dialer that skips verification: refused before dialling.
	insecure := &websocket.Dialer{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}
	if _, err := (WebSocket{Dialer: insecure}).Dial(ctx, target); !errors.Is(err, errors.BadRequest) {
		t.Fatalf("insecure dialer: %v", err)
	}
	// Trusting the server's CA: connects.
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	trusted := &websocket.Dialer{TLSClientConfig: &tls.Config{RootCAs: pool}}
	c, err := WebSocket{Dialer: trusted}.Dial(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
}
