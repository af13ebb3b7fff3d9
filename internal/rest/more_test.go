package rest

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/internal/logcapture"
	"github.com/unifex-go/unifex/internal/ratelimit"
)

// TestNonceSignerRewritesBody is a Coincheck/Kraken-style scheme: the
// signer puts a nonce from the client's nonce source into the form body and
// signs nonce + URL + body; the venue checks the signature over what it
// received.
func TestNonceSignerRewritesBody(t *testing.T) {
	const secret = "s3"
	var c *Client
	mac := func(parts ...string) string {
		m := hmac.New(sha256.New, []byte(secret))
		for _, p := range parts {
			io.WriteString(m, p)
		}
		return hex.EncodeToString(m.Sum(nil))
	}
	var (
		mu     sync.Mutex
		nonces []string
	)
	e := newEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		nonce := r.Header.Get("ACCESS-NONCE")
		url := "http://" + r.Host + r.URL.RequestURI()
		if r.Header.Get("ACCESS-SIGNATURE") != mac(nonce, url, string(body)) ||
			r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" || !strings.HasPrefix(string(body), "nonce="+nonce+"&") {
			w.WriteHeader(401)
			return
		}
		mu.Lock()
		nonces = append(nonces, nonce)
		mu.Unlock()
		io.WriteString(w, `{"success":true}`)
	}), func(cfg *Config) {
		cfg.Sign = func(r *Request, ep Endpoint, now time.Time) error {
			nonce := strconv.FormatInt(c.Sources().Nonce(), 10)
			body := "nonce=" + nonce + "&" + string(r.Body)
			r.SetBody([]byte(body), "application/x-www-form-urlencoded")
			r.Header.Set("ACCESS-NONCE", nonce)
			r.Header.Set("ACCESS-SIGNATURE", mac(nonce, r.URL.String(), body))
			return nil
		}
	})
	c = e.c
	p := Params{Body: []byte(Encode([]Param{{"pair", "btc_jpy"}, {"amount", "0.1"}}))}
	for i := 0; i < 2; i++ {
		if _, err := c.Do(context.Background(), signedPost, p); err != nil {
			t.Fatal(err)
		}
	}
	if string(p.Body) != "pair=btc_jpy&amount=0.1" {
		t.Errorf("the signer edited the caller's body: %s", p.Body)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(nonces) != 2 || nonces[0] == nonces[1] {
		t.Errorf("nonces %v", nonces)
	}
}

func TestIdempotencyByMethod(t *testing.T) {
	cases := []struct {
		ep    Endpoint
		sends int64
	}{
		{Endpoint{API: "public", Method: "HEAD", Path: "/x"}, 3},
		{Endpoint{API: "public", Method: "OPTIONS", Path: "/x"}, 3},
		{Endpoint{API: "public", Method: "DELETE", Path: "/x"}, 1},
		{Endpoint{API: "public", Method: "PUT", Path: "/x"}, 1},
		{Endpoint{API: "public", Method: "DELETE", Path: "/x", Idempotent: true}, 3},
		{Endpoint{API: "public", Method: "POST", Path: "/x", Idempotent: true}, 3},
	}
	for _, tc := range cases {
		s := &script{steps: []http.HandlerFunc{reply(502, "")}}
		e := newEnv(t, s, nil)
		_, err := e.c.Do(context.Background(), tc.ep, Params{})
		wantKind(t, err, errors.ExchangeNotAvailable)
		if s.n.Load() != tc.sends {
			t.Errorf("%s idempotent=%v: %d sends, want %d", tc.ep.Method, tc.ep.Idempotent, s.n.Load(), tc.sends)
		}
	}
}

func TestHookEvents(t *testing.T) {
	s := &script{steps: []http.HandlerFunc{reply(500, ""), okJSON}}
	e := newEnv(t, s, nil)
	ep := Endpoint{API: "public", Path: "/ticker", Weight: 5}
	if _, err := e.c.Do(context.Background(), ep, Params{}); err != nil {
		t.Fatal(err)
	}
	e.rec.mu.Lock()
	defer e.rec.mu.Unlock()
	if len(e.rec.start) != 2 || e.rec.start[0].Attempt != 1 || e.rec.start[1].Attempt != 2 ||
		e.rec.start[0].Exchange != "testex" || e.rec.start[0].Endpoint != ep {
		t.Errorf("start events %+v", e.rec.start)
	}
	d := e.rec.done
	if len(d) != 2 || d[0].Status != 500 || !d[0].Retry || d[0].RetryIn <= 0 || !errors.Is(d[0].Err, errors.ExchangeNotAvailable) ||
		d[1].Status != 200 || d[1].BodySize != len(`{"price":"42.5"}`) || d[1].Latency <= 0 || d[1].Retry {
		t.Errorf("done events %+v", d)
	}
}

func TestRequestStringForms(t *testing.T) {
	var r *Request
	if r.String() != "<nil>" || r.LogValue().String() != "<nil>" || redactURL(nil) != "" {
		t.Error("nil request forms")
	}
	var buf logcapture.Buffer
	e := newEnv(t, nil, nil)
	r, err := e.c.Build(context.Background(), getEP, Params{Query: []Param{{"q", "hidden"}}, Body: []byte("hidden")})
	if err != nil {
		t.Fatal(err)
	}
	slog.New(slog.NewTextHandler(&buf, nil)).Info("x", "req", r)
	if !strings.Contains(buf.String(), "req.url=http://127.0.0.1:1/api/ticker") || !strings.Contains(buf.String(), "req.body_bytes=6") {
		t.Errorf("log value: %s", buf.String())
	}
	mustNotContain(t, "log", buf.String(), "hidden")
}

func TestAsErrorOfForeignError(t *testing.T) {
	if e := asError(io.EOF); e.Cause != io.EOF || e.Kind != nil {
		t.Errorf("%+v", e)
	}
	if e := asError(errors.RateLimitExceeded); e.Kind != errors.RateLimitExceeded {
		t.Errorf("%+v", e)
	}
}

// TestWeightHook: a venue whose weight depends on the parameters is charged
// what its Weight hook says, not the endpoint's fixed weight.
func TestWeightHook(t *testing.T) {
	var seen []string
	e := newEnv(t, http.HandlerFunc(okJSON), func(c *Config) {
		// 10 units a second, 10 at once: a call of weight 10 empties it.
		c.Limiter = ratelimit.New(10, 10, nil)
		c.Weight = func(ep Endpoint, p Params) float64 {
			v, _ := p.Get("limit")
			seen = append(seen, ep.Path+"?"+v)
			if v == "1000" {
				return 10
			}
			return ep.Weight
		}
	})
	ep := Endpoint{API: "public", Path: "/depth", Weight: 1}
	if _, err := e.c.Do(context.Background(), ep, Params{Query: []Param{{"limit", "1000"}}}); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 1 || seen[0] != "/depth?1000" {
		t.Fatalf("the hook saw %v", seen)
	}
	if d := e.c.Limiter().Delay(1); d <= 0 {
		t.Fatal("a call the hook weighs 10 left the bucket of 10 with room")
	}
}
