package rest

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/internal/logcapture"
	"github.com/unifex-go/unifex/internal/ratelimit"
)

// TestManyGoroutines runs signed and unsigned calls from many goroutines
// through one client and one limiter; the first attempt of every call gets a
// 503, so every call also retries. Run with -race.
func TestManyGoroutines(t *testing.T) {
	var mu sync.Mutex
	seen := make(map[string]bool)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.URL.Query().Get("id")
		mu.Lock()
		first := !seen[id]
		seen[id] = true
		mu.Unlock()
		if first {
			w.WriteHeader(503)
			return
		}
		fmt.Fprintf(w, `{"id":%q}`, id)
	})
	e := newEnv(t, h, func(c *Config) {
		c.Limiter = ratelimit.New(1e6, 1e6, nil)
		c.Sign = binanceSigner("k", "s", nil)
	})
	const goroutines, calls = 32, 20
	var wg sync.WaitGroup
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < calls; i++ {
				id := strconv.Itoa(g*calls + i)
				ep := getEP
				ep.Signed = i%2 == 0
				var out struct{ ID string }
				if err := e.c.DoJSON(context.Background(), ep, Params{Query: []Param{{"id", id}}}, &out); err != nil {
					t.Error(err)
					return
				}
				if out.ID != id {
					t.Errorf("reply for %s carries %s", id, out.ID)
				}
			}
		}()
	}
	wg.Wait()
	if n := len(e.rec.Done()); n != 2*goroutines*calls {
		t.Errorf("%d attempts, want %d", n, 2*goroutines*calls)
	}
}

// TestSecretsNeverLeak signs with a key and a secret, fails in every way
// that produces a message (venue error, HTML error page, refused
// connection, timeout of a signed request), and checks that neither the
// key, the secret, the signature nor any query value shows up in the debug
// log, the errors, or the request's String forms.
func TestSecretsNeverLeak(t *testing.T) {
	const (
		key    = "APIKEY-9f8e7d6c5b4a"
		secret = "SECRET-0a1b2c3d4e5f"
		qval   = "0.7777123"
	)
	var sigs []string
	s := &script{steps: []http.HandlerFunc{
		reply(401, `{"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."}`),
		reply(502, "<html>bad gateway</html>", "Content-Type", "text/html"),
		okJSON,
	}}
	e := newEnv(t, s, func(c *Config) {
		c.Sign = binanceSigner(key, secret, &sigs)
		c.CheckError = venueCheck
		c.Retry.MaxAttempts = 1
	})
	ep := Endpoint{API: "private", Method: "POST", Path: "/order", Signed: true}
	p := Params{Query: []Param{{"quantity", qval}}, Body: []byte(`{"note":"` + qval + `"}`)}
	var texts []string
	for i := 0; i < 3; i++ {
		_, err := e.c.Do(context.Background(), ep, p)
		if i < 2 && err == nil {
			t.Fatalf("call %d did not fail", i)
		}
		if err != nil {
			texts = append(texts, err.Error(), fmt.Sprintf("%v|%+v|%#v", err, err, err))
		}
	}
	// A refused connection: net/http's *url.Error quotes the full URL.
	e.c.bases["private"].Host = closedPort(t)
	_, err := e.c.Do(context.Background(), ep, p)
	wantKind(t, err, errors.NetworkError)
	texts = append(texts, err.Error(), fmt.Sprintf("%+v", err))

	r, err := e.c.Build(context.Background(), ep, p)
	if err != nil {
		t.Fatal(err)
	}
	var logged logcapture.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("req", "request", r)
	texts = append(texts, r.String(), fmt.Sprintf("%v|%+v|%#v|%s", r, r, r, r), logged.String(), e.logs.String())

	if len(sigs) < 4 {
		t.Fatalf("only %d signatures captured", len(sigs))
	}
	secrets := append([]string{key, secret, qval, "timestamp=", "signature"}, sigs...)
	for i, text := range texts {
		mustNotContain(t, fmt.Sprintf("text %d", i), text, secrets...)
	}
	if !strings.Contains(e.logs.String(), "rest request") || !strings.Contains(e.logs.String(), "status=401") {
		t.Errorf("the debug log lacks the requests:\n%s", e.logs.String())
	}
}
