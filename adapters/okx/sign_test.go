package okx

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/rest"
)

// vectorsPath is the team's file of OKX examples (shared/vectors/okx.json),
// copied unmodified: the signing entries use the docs' example secret and
// timestamp (OKX publishes no signature with its inputs).
const vectorsPath = "testdata/vectors/okx.json"

type signVector struct {
	Name   string `json:"name"`
	Inputs struct {
		Timestamp   string  `json:"timestamp"`
		Method      string  `json:"method"`
		RequestPath string  `json:"requestPath"`
		Body        string  `json:"body"`
		Secret      *string `json:"secret"`
	} `json:"inputs"`
	StringToSign string          `json:"string_to_sign"`
	Expected     json.RawMessage `json:"expected"`
}

func loadVectors(t *testing.T) []signVector {
	t.Helper()
	raw, err := os.ReadFile(vectorsPath)
	if err != nil {
		t.Fatalf("the OKX vectors must be present: %v", err)
	}
	var vs []signVector
	if err := json.Unmarshal(raw, &vs); err != nil {
		t.Fatalf("%s: %v", vectorsPath, err)
	}
	return vs
}

func testConfig(secret string) exchange.Config {
	return exchange.Config{APIKey: "key-1", Secret: secret, Password: "pass phrase"}
}

// TestSignRESTVectors signs each REST vector through the REST hook and
// compares the headers with the vector.
func TestSignRESTVectors(t *testing.T) {
	n := 0
	for _, v := range loadVectors(t) {
		if v.Inputs.Method == "" || v.Inputs.Secret == nil {
			continue
		}
		n++
		t.Run(v.Name, func(t *testing.T) {
			var want string
			if err := json.Unmarshal(v.Expected, &want); err != nil {
				t.Fatal(err)
			}
			x, err := New(testConfig(*v.Inputs.Secret))
			if err != nil {
				t.Fatal(err)
			}
			defer x.Close()
			u, err := url.Parse("https://www.okx.com" + v.Inputs.RequestPath)
			if err != nil {
				t.Fatal(err)
			}
			r := &rest.Request{Method: v.Inputs.Method, URL: u, Header: http.Header{}}
			if v.Inputs.Body != "" {
				r.Body = []byte(v.Inputs.Body)
			}
			now, err := time.Parse(time.RFC3339Nano, v.Inputs.Timestamp)
			if err != nil {
				t.Fatal(err)
			}
			if err := x.signREST(r, rest.Endpoint{}, now); err != nil {
				t.Fatal(err)
			}
			if got := r.Header.Get("OK-ACCESS-TIMESTAMP") + r.Method + r.URL.RequestURI() + string(r.Body); got != v.StringToSign {
				t.Errorf("prehash %q, want %q", got, v.StringToSign)
			}
			for h, w := range map[string]string{"OK-ACCESS-SIGN": want, "OK-ACCESS-TIMESTAMP": v.Inputs.Timestamp,
				"OK-ACCESS-KEY": "key-1", "OK-ACCESS-PASSPHRASE": "pass phrase"} {
				if got := r.Header.Get(h); got != w {
					t.Errorf("%s = %q, want %q", h, got, w)
				}
			}
			if ct := r.Header.Get("Content-Type"); (v.Inputs.Body != "") != (ct == "application/json") {
				t.Errorf("Content-Type %q with body %q", ct, v.Inputs.Body)
			}
		})
	}
	if n < 2 {
		t.Fatalf("%d REST vectors, want the GET and the POST", n)
	}
}

// TestLoginVectors checks the WebSocket login: the computed vector's
// signature, and the docs example's string to sign (its secret is not
// published).
func TestLoginVectors(t *testing.T) {
	n := 0
	for _, v := range loadVectors(t) {
		sec, err := strconv.ParseInt(v.Inputs.Timestamp, 10, 64)
		if v.StringToSign == "" || v.Inputs.Method != "" || err != nil {
			continue // not a login vector
		}
		n++
		secret := "unpublished"
		if v.Inputs.Secret != nil {
			secret = *v.Inputs.Secret
		}
		a, err := loginArgs(testConfig(secret), time.Unix(sec, 900_000_000)) // whole seconds are signed
		if err != nil {
			t.Fatal(err)
		}
		if a.Timestamp != v.Inputs.Timestamp || a.Timestamp+"GET"+loginPath != v.StringToSign {
			t.Errorf("%s: timestamp %q, prehash %q, want %q", v.Name, a.Timestamp, a.Timestamp+"GET"+loginPath, v.StringToSign)
		}
		if v.Inputs.Secret != nil {
			var want string
			if err := json.Unmarshal(v.Expected, &want); err != nil {
				t.Fatal(err)
			}
			if a.Sign != want {
				t.Errorf("%s: sign %q, want %q", v.Name, a.Sign, want)
			}
		}
		if a.APIKey != "key-1" || a.Passphrase != "pass phrase" {
			t.Errorf("%s: %+v", v.Name, a)
		}
	}
	if n < 2 {
		t.Fatalf("%d login vectors, want the docs example and the computed one", n)
	}
}

// TestSignNeedsPassphrase: a key without its passphrase fails before
// anything is sent, REST and WebSocket alike.
func TestSignNeedsPassphrase(t *testing.T) {
	cfg := testConfig("s")
	cfg.Password = ""
	x, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	u, _ := url.Parse("https://www.okx.com/api/v5/account/balance")
	err = x.signREST(&rest.Request{Method: "GET", URL: u, Header: http.Header{}}, rest.Endpoint{}, time.Now())
	if !errors.Is(err, errors.AuthenticationError) {
		t.Fatalf("REST: %v, want AuthenticationError", err)
	}
	if _, err := loginArgs(cfg, time.Now()); !errors.Is(err, errors.AuthenticationError) {
		t.Fatalf("login: %v, want AuthenticationError", err)
	}
}

// TestDemoHeader: demo trading sends x-simulated-trading: 1 on every
// request, live trading none.
func TestDemoHeader(t *testing.T) {
	for _, demo := range []bool{false, true} {
		cfg := testConfig("s")
		cfg.Sandbox = demo
		x, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		r, err := x.REST().Build(context.Background(), epTime, rest.Params{})
		x.Close()
		if err != nil {
			t.Fatal(err)
		}
		want := ""
		if demo {
			want = "1"
		}
		if got := r.Header.Get("x-simulated-trading"); got != want {
			t.Errorf("demo %v: x-simulated-trading %q, want %q", demo, got, want)
		}
	}
}
