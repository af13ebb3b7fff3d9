package bybit

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/internal/rest"
)

// vector is one entry of testdata/bybit/vectors.json (a copy of
// shared/vectors/bybit.json).
type vector struct {
	Name   string `json:"name"`
	Inputs struct {
		Timestamp   string          `json:"timestamp"`
		APIKey      string          `json:"api_key"`
		RecvWindow  string          `json:"recv_window"`
		QueryString *string         `json:"query_string"`
		Body        *string         `json:"body"`
		Expires     json.RawMessage `json:"expires"`
		Secret      *string         `json:"secret"`
	} `json:"inputs"`
	StringToSign string `json:"string_to_sign"`
	Expected     string `json:"expected"`
	Verifiable   *bool  `json:"verifiable"`
}

func loadVectors(t *testing.T) []vector {
	t.Helper()
	b, err := os.ReadFile("testdata/bybit/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var vs []vector
	if err := json.Unmarshal(b, &vs); err != nil {
		t.Fatal(err)
	}
	if len(vs) != 7 {
		t.Fatalf("%d vectors, want the 7 of shared/vectors/bybit.json", len(vs))
	}
	return vs
}

// TestSignVectors checks every published and computed vector as written:
// the string to sign that the signer builds from the inputs (REST GET,
// POST, WebSocket auth), and the signature wherever the secret is known.
func TestSignVectors(t *testing.T) {
	for _, v := range loadVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			secret := "unpublished"
			if v.Inputs.Secret != nil {
				secret = *v.Inputs.Secret
			}
			key := v.Inputs.APIKey
			if key == "" {
				key = "unused" // the WebSocket and legacy strings hold no key
			}
			s, err := newSigner(key, secret, 0)
			if err != nil {
				t.Fatal(err)
			}
			var payload string
			switch {
			case len(v.Inputs.Expires) > 0:
				payload = "GET/realtime" + string(v.Inputs.Expires)
			case v.Inputs.QueryString != nil || v.Inputs.Body != nil:
				if v.Inputs.RecvWindow != s.recvWindow {
					t.Fatalf("vector recv window %s, signer default %s", v.Inputs.RecvWindow, s.recvWindow)
				}
				qb := v.Inputs.QueryString
				if qb == nil {
					qb = v.Inputs.Body
				}
				payload = s.restPayload(v.Inputs.Timestamp, *qb)
			default: // the legacy primitive: the string itself
				payload = v.StringToSign
			}
			if payload != v.StringToSign {
				t.Fatalf("string to sign\n got %q\nwant %q", payload, v.StringToSign)
			}
			if v.Verifiable != nil && !*v.Verifiable {
				return // the docs publish no secret
			}
			got, err := s.sign(payload)
			if err != nil {
				t.Fatal(err)
			}
			if got != v.Expected {
				t.Fatalf("signature %s, want %s", got, v.Expected)
			}
		})
	}
}

// TestSignRESTHeaders signs a GET and a POST through the transport hook:
// the headers carry key, timestamp, window and the signature of exactly
// the query or body sent.
func TestSignRESTHeaders(t *testing.T) {
	s, err := newSigner("XXXXXXXXXX", "XXXXXXXXXX", 0)
	if err != nil {
		t.Fatal(err)
	}
	now := time.UnixMilli(1658384314791)
	get := &rest.Request{Method: "GET", URL: &url.URL{RawQuery: "category=option&symbol=BTC-29JUL22-25000-C"}, Header: http.Header{}}
	if err := s.signREST(get, rest.Endpoint{}, now); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"X-BAPI-API-KEY": "XXXXXXXXXX", "X-BAPI-TIMESTAMP": "1658384314791", "X-BAPI-RECV-WINDOW": "5000",
		"X-BAPI-SIGN": "c00720f96c5934ca7057ac28ae65b823f83b8b67a8fe784e7795ca0fa3c148ec"}
	for k, v := range want {
		if got := get.Header.Get(k); got != v {
			t.Errorf("GET %s = %q, want %q", k, got, v)
		}
	}
	post := &rest.Request{Method: "POST", URL: &url.URL{}, Header: http.Header{}, Body: []byte(`{"category": "option"}`)}
	if err := s.signREST(post, rest.Endpoint{}, time.UnixMilli(1658385579423)); err != nil {
		t.Fatal(err)
	}
	if got := post.Header.Get("X-BAPI-SIGN"); got != "fbb4648b585b3e62de2c4eaecc8f3b6066aa18e98cc300eaff4d87f15b55724a" {
		t.Errorf("POST sign %s", got)
	}
	w, _ := newSigner("k", "s", 8*time.Second)
	if w.recvWindow != "8000" {
		t.Errorf("recv window %s, want 8000", w.recvWindow)
	}
}

// TestAuthArgs: the login args are [key, expires in the future, the
// signature of "GET/realtime"+expires].
func TestAuthArgs(t *testing.T) {
	s, _ := newSigner("XXXXXX", "XXXXXXXXXX", 0)
	now := time.UnixMilli(1711010121452).Add(-authLife)
	args, err := s.authArgs(now)
	if err != nil {
		t.Fatal(err)
	}
	if args[0] != "XXXXXX" || args[1] != int64(1711010121452) ||
		args[2] != "9144c5c46d486684da34596768c9a25a419f570aa42d42bcadb473b6e3a6eb5a" {
		t.Fatalf("auth args %v", args)
	}
}

// TestSignRSA signs with an RSA key in both PEM forms (and with literal
// "\n"), and verifies the base64 signature with the public half.
func TestSignRSA(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pkcs8, _ := x509.MarshalPKCS8PrivateKey(key)
	forms := map[string]string{
		"pkcs8":   string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8})),
		"pkcs1":   string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})),
		"escaped": strings.ReplaceAll(string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8})), "\n", `\n`),
	}
	for name, secret := range forms {
		s, err := newSigner("key", secret, 0)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		payload := s.restPayload("1658385579423", `{"category": "option"}`)
		sig, err := s.sign(payload)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := base64.StdEncoding.DecodeString(sig)
		if err != nil {
			t.Fatalf("%s: not base64: %v", name, err)
		}
		digest := sha256.Sum256([]byte(payload))
		if err := rsa.VerifyPKCS1v15(&key.PublicKey, crypto.SHA256, digest[:], raw); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	pub, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	for name, secret := range map[string]string{
		"public":  string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub})),
		"garbage": "-----BEGIN PRIVATE KEY-----\nnot base64\n-----END PRIVATE KEY-----\n",
		"broken":  string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte("junk")})),
	} {
		_, err := newSigner("key", secret, 0)
		if !errors.Is(err, errors.AuthenticationError) {
			t.Errorf("%s: %v, want AuthenticationError", name, err)
		}
		if err != nil && strings.Contains(err.Error(), "junk") {
			t.Errorf("%s: the error quotes the key: %v", name, err)
		}
	}
}

// TestSignerRedacted: no printing verb shows the key or the secret, and
// signing without credentials fails with AuthenticationError.
func TestSignerRedacted(t *testing.T) {
	s, _ := newSigner("the-key-123", "the-secret-456", 0)
	for _, f := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		out := fmt.Sprintf(f, s) + fmt.Sprintf(f, *s)
		if strings.Contains(out, "the-key-123") || strings.Contains(out, "the-secret-456") || strings.Contains(out, hexOf("the-secret-456")) {
			t.Fatalf("%s leaks: %s", f, out)
		}
	}
	for _, c := range [][2]string{{"", ""}, {"key", ""}, {"", "secret"}} {
		s, _ := newSigner(c[0], c[1], 0)
		if _, err := s.sign("x"); !errors.Is(err, errors.AuthenticationError) {
			t.Errorf("credentials %q: %v", c, err)
		}
	}
	if _, err := newSigner("k", "s", -time.Second); !errors.Is(err, errors.BadRequest) {
		t.Errorf("negative window: %v", err)
	}
}

func hexOf(s string) string { return strconv.Quote(fmt.Sprintf("%x", s)) }
