package rest

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/errors"
)

func TestBuildCapturesWithoutSending(t *testing.T) {
	e := newEnv(t, nil, func(c *Config) {
		c.BaseURLs = map[string]string{"public": "https://api.example.com/api/v3/"}
		c.Header = http.Header{"User-Agent": {"unifex-test"}}
	})
	q := []Param{{"symbol", "BTC/USDT"}, {"a", "1 2"}, {"b", "x&y=z"}, {"c", "é~"}, {"a", "dup"}}
	r, err := e.c.Build(context.Background(), Endpoint{API: "public", Path: "ticker/price"}, Params{Query: q})
	if err != nil {
		t.Fatal(err)
	}
	if r.Method != "GET" {
		t.Errorf("method %q, want GET by default", r.Method)
	}
	if got, want := r.URL.String(), "https://api.example.com/api/v3/ticker/price?symbol=BTC%2FUSDT&a=1%202&b=x%26y%3Dz&c=%C3%A9~&a=dup"; got != want {
		t.Errorf("URL\n got %s\nwant %s", got, want)
	}
	if r.Header.Get("User-Agent") != "unifex-test" || r.Body != nil {
		t.Errorf("header %v body %q", r.Header, r.Body)
	}
	// The parsed query gives back every pair: the encoding is a plain one.
	vals, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil || vals.Get("b") != "x&y=z" || vals["a"][1] != "dup" || vals.Get("c") != "é~" {
		t.Errorf("query does not round-trip: %v %v", vals, err)
	}
	if e.rec.Starts() != 0 {
		t.Error("Build sent something")
	}
}

func TestBuildPathPlaceholders(t *testing.T) {
	e := newEnv(t, nil, nil)
	q := []Param{{"x", "1"}, {"id", "a/b c"}, {"leg", "2"}}
	orig := append([]Param(nil), q...)
	r, err := e.c.Build(context.Background(), Endpoint{API: "public", Method: "DELETE", Path: "/orders/{id}/legs/{leg}"}, Params{Query: q})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.URL.RequestURI(); got != "/api/orders/a%2Fb%20c/legs/2?x=1" {
		t.Errorf("RequestURI %q", got)
	}
	if r.URL.Path != "/api/orders/a/b c/legs/2" {
		t.Errorf("Path %q", r.URL.Path)
	}
	if diff := cmp.Diff(orig, q); diff != "" {
		t.Errorf("Build changed the caller's params: %s", diff)
	}
	_, err = e.c.Build(context.Background(), Endpoint{API: "public", Path: "/orders/{id}"}, Params{})
	if ee := wantKind(t, err, errors.ArgumentsRequired); !ee.Unsent {
		t.Error("a build failure must be Unsent")
	}
	_, err = e.c.Build(context.Background(), Endpoint{API: "nope", Path: "/x"}, Params{})
	wantKind(t, err, errors.NotSupported)
}

func TestBuildBodyAndContentType(t *testing.T) {
	e := newEnv(t, nil, nil)
	p, err := JSON(map[string]any{"sz": "1", "instId": "BTC-USDT", "side": "buy"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := e.c.Build(context.Background(), postEP, p)
	if err != nil {
		t.Fatal(err)
	}
	if string(r.Body) != `{"instId":"BTC-USDT","side":"buy","sz":"1"}` || r.Header.Get("Content-Type") != "application/json" {
		t.Errorf("body %s, content type %q", r.Body, r.Header.Get("Content-Type"))
	}
	if _, err := JSON(func() {}); err == nil {
		t.Error("JSON of a func must fail")
	}
	form := Params{Body: []byte(Encode([]Param{{"pair", "btc_jpy"}, {"amount", "0.1"}})), ContentType: "application/x-www-form-urlencoded"}
	r, _ = e.c.Build(context.Background(), postEP, form)
	if string(r.Body) != "pair=btc_jpy&amount=0.1" {
		t.Errorf("form body %s", r.Body)
	}
}

func TestParamsAddGet(t *testing.T) {
	var p Params
	p.Add("a", "1")
	p.Add("b", "2")
	p.Add("a", "3")
	if v, ok := p.Get("a"); !ok || v != "1" {
		t.Errorf("Get(a) = %q %v", v, ok)
	}
	if _, ok := p.Get("z"); ok {
		t.Error("Get(z) found something")
	}
	if Encode(p.Query) != "a=1&b=2&a=3" {
		t.Errorf("Encode %q", Encode(p.Query))
	}
}

// binanceSigner is Binance's HMAC-SHA256 scheme: timestamp (and recvWindow)
// appended to the query, the signature over the whole query string and body.
func binanceSigner(key, secret string, sigs *[]string) SignFunc {
	var mu sync.Mutex
	return func(r *Request, ep Endpoint, now time.Time) error {
		r.AddQuery("timestamp", strconv.FormatInt(now.UnixMilli(), 10))
		m := hmac.New(sha256.New, []byte(secret))
		io.WriteString(m, r.URL.RawQuery)
		m.Write(r.Body)
		sig := hex.EncodeToString(m.Sum(nil))
		r.AddQuery("signature", sig)
		r.Header.Set("X-MBX-APIKEY", key)
		if sigs != nil {
			mu.Lock()
			*sigs = append(*sigs, sig)
			mu.Unlock()
		}
		return nil
	}
}

// TestSigningReproducesBinanceExample signs Binance's published example
// (API docs, "SIGNED Endpoint Examples for POST /api/v3/order") with the
// clock fixed at its timestamp and checks the published signature, and that
// the server receives exactly the bytes that were signed.
func TestSigningReproducesBinanceExample(t *testing.T) {
	const (
		key    = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
		secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"
		want   = "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71"
	)
	var (
		mu               sync.Mutex
		gotQuery, gotKey string
	)
	e := newEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		gotQuery, gotKey = r.URL.RawQuery, r.Header.Get("X-MBX-APIKEY")
		mu.Unlock()
		io.WriteString(w, `{"orderId":1}`)
	}), func(c *Config) {
		c.Sources.Clock = func() time.Time { return time.UnixMilli(1499827319559) }
		c.Sign = binanceSigner(key, secret, nil)
	})
	ep := Endpoint{API: "private", Method: "POST", Path: "/order", Signed: true}
	p := Params{Query: []Param{{"symbol", "LTCBTC"}, {"side", "BUY"}, {"type", "LIMIT"}, {"timeInForce", "GTC"},
		{"quantity", "1"}, {"price", "0.1"}, {"recvWindow", "5000"}}}
	r, err := e.c.Build(context.Background(), ep, p)
	if err != nil {
		t.Fatal(err)
	}
	wantQuery := "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559&signature=" + want
	if r.URL.RawQuery != wantQuery {
		t.Fatalf("signed query\n got %s\nwant %s", r.URL.RawQuery, wantQuery)
	}
	if _, err := e.c.Do(context.Background(), ep, p); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if gotQuery != wantQuery || gotKey != key {
		t.Errorf("the server received\n%s (key %q)\nnot the signed\n%s", gotQuery, gotKey, wantQuery)
	}
}

func TestSignedWithoutSignerAndSignerErrors(t *testing.T) {
	e := newEnv(t, nil, nil)
	signed := Endpoint{API: "private", Path: "/account", Signed: true}
	_, err := e.c.Build(context.Background(), signed, Params{})
	wantKind(t, err, errors.AuthenticationError)

	e = newEnv(t, nil, func(c *Config) {
		c.Sign = func(*Request, Endpoint, time.Time) error { return fmt.Errorf("no key") }
	})
	_, err = e.c.Build(context.Background(), signed, Params{})
	if ee := wantKind(t, err, errors.AuthenticationError); !ee.Unsent || ee.Message != "signing failed" {
		t.Errorf("signer failure: %+v", ee)
	}
	e = newEnv(t, nil, func(c *Config) {
		c.Sign = func(*Request, Endpoint, time.Time) error { return errors.ArgumentsRequired }
	})
	_, err = e.c.Build(context.Background(), signed, Params{})
	wantKind(t, err, errors.ArgumentsRequired)
}

func TestMonotonicNonce(t *testing.T) {
	clock := newFakeClock()
	n := MonotonicNonce(clock.Now, time.Millisecond)
	a, b := n(), n()
	if a != clock.Now().UnixMilli() || b != a+1 {
		t.Errorf("same millisecond: %d then %d", a, b)
	}
	clock.Add(-time.Hour)
	if c := n(); c != b+1 {
		t.Errorf("clock stepped back: %d after %d", c, b)
	}
	clock.Add(2 * time.Hour)
	if d := n(); d != clock.Now().UnixMilli() {
		t.Errorf("clock ahead again: %d, want %d", d, clock.Now().UnixMilli())
	}
	// Concurrent draws never repeat.
	seen := make(map[int64]bool)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				v := n()
				mu.Lock()
				if seen[v] {
					t.Errorf("nonce %d drawn twice", v)
				}
				seen[v] = true
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	us := MonotonicNonce(nil, 0)() // defaults: time.Now, milliseconds
	if now := time.Now().UnixMilli(); us > now || us < now-1000 {
		t.Errorf("default nonce %d is not Unix milliseconds near %d", us, now)
	}
}

func TestSourcesDefaults(t *testing.T) {
	e := newEnv(t, nil, func(c *Config) { c.Sources = Sources{} })
	s := e.c.Sources()
	if s.Clock == nil || s.Nonce == nil || s.ClientOrderID == nil {
		t.Fatal("defaults not filled")
	}
	a, b := s.ClientOrderID(), s.ClientOrderID()
	if len(a) != 32 || a == b {
		t.Errorf("client order ids %q %q", a, b)
	}
	if _, err := hex.DecodeString(a); err != nil {
		t.Errorf("client order id %q is not hex", a)
	}
}

func TestConfigValidation(t *testing.T) {
	cases := map[string]Config{
		"no base":      {},
		"relative":     {BaseURLs: map[string]string{"public": "/api"}},
		"ftp":          {BaseURLs: map[string]string{"public": "ftp://x/api"}},
		"user info":    {BaseURLs: map[string]string{"public": "https://user:hunter2@x/api"}},
		"query":        {BaseURLs: map[string]string{"public": "https://x/api?k=hunter2"}},
		"timeout":      {BaseURLs: map[string]string{"public": "https://x"}, Timeout: -1},
		"body cap":     {BaseURLs: map[string]string{"public": "https://x"}, MaxBodySize: -1},
		"attempts":     {BaseURLs: map[string]string{"public": "https://x"}, Retry: RetryPolicy{MaxAttempts: -1}},
		"hook of none": {BaseURLs: map[string]string{"public": "https://x"}, Hooks: []any{42}},
	}
	for name, cfg := range cases {
		cfg.Exchange = "testex"
		c, err := New(cfg)
		if err == nil {
			c.Close()
			t.Errorf("%s: New accepted the config", name)
			continue
		}
		wantKind(t, err, errors.BadRequest)
		mustNotContain(t, name, err.Error(), "hunter2")
	}
}

func TestDefaultTransportIsTuned(t *testing.T) {
	e := newEnv(t, nil, nil)
	tr := e.c.transport
	if tr == nil {
		t.Fatal("no own transport")
	}
	if tr.TLSClientConfig.InsecureSkipVerify || tr.TLSClientConfig.MinVersion < 0x0303 {
		t.Error("TLS verification must stay on, TLS 1.2 at least")
	}
	if !tr.ForceAttemptHTTP2 || tr.MaxIdleConnsPerHost < 8 || tr.TLSHandshakeTimeout == 0 || tr.ResponseHeaderTimeout == 0 || tr.DisableKeepAlives {
		t.Errorf("transport not tuned: %+v", tr)
	}
}

// TestAddExtra: a caller's parameters go after the unified ones in key
// order, written exactly; one the unified arguments or the signer own is
// refused, as is a value that cannot be written.
func TestAddExtra(t *testing.T) {
	var p Params
	p.Add("symbol", "BTCUSDT")
	err := p.AddExtra(map[string]any{"b": 0.00001, "a": true, "c": decimal.RequireFromString("1.50"), "d": int64(7)}, "signature")
	if err != nil {
		t.Fatal(err)
	}
	if got := Encode(p.Query); got != "symbol=BTCUSDT&a=true&b=0.00001&c=1.5&d=7" {
		t.Fatalf("query %s", got)
	}
	for _, extra := range []map[string]any{{"symbol": "X"}, {"signature": "x"}, {"e": []int{1}}} {
		if err := p.AddExtra(extra, "signature"); !errors.Is(err, errors.BadRequest) {
			t.Errorf("%v: %v, want BadRequest", extra, err)
		}
	}
}
