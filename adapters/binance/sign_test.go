package binance

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/internal/rest"
)

// vectorsPath is the team's file of published (and derived) signing
// examples (shared/vectors/binance.json), copied unmodified into testdata so
// that the test runs on a bare checkout.
const vectorsPath = "testdata/vectors/binance.json"

// signVector is one entry of the vectors file.
type signVector struct {
	Name   string `json:"name"`
	Scheme string `json:"scheme"`
	Inputs struct {
		APIKey          string          `json:"apiKey"`
		SecretKey       string          `json:"secretKey"`
		Method          string          `json:"method"`
		Path            string          `json:"path"`
		ParamsInOrder   [][2]string     `json:"params_in_order"`
		Params          json.RawMessage `json:"params"`
		PrivateKeyPEM   string          `json:"private_key_pem"`
		PublicKeyRawHex string          `json:"public_key_raw_hex"`
		PrivateSeedHex  string          `json:"private_seed_hex"`
	} `json:"inputs"`
	StringToSign           string `json:"string_to_sign"`
	Expected               string `json:"expected"`
	ExpectedPercentEncoded string `json:"expected_percent_encoded"`
}

// loadVectors reads every vector; a missing or empty file fails the test.
func loadVectors(t *testing.T) []signVector {
	t.Helper()
	raw, err := os.ReadFile(vectorsPath)
	if err != nil {
		t.Fatalf("the Binance signing vectors must be present: %v", err)
	}
	var vs []signVector
	if err := json.Unmarshal(raw, &vs); err != nil {
		t.Fatalf("%s: %v", vectorsPath, err)
	}
	if len(vs) == 0 {
		t.Fatalf("%s holds no vectors", vectorsPath)
	}
	return vs
}

var (
	rsaKeyOnce sync.Once
	rsaKey     *rsa.PrivateKey
)

// testRSAKey is a 2048-bit key made for this test run: Binance published
// RSA signatures but not the private key that made them.
func testRSAKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	rsaKeyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		rsaKey = k
	})
	return rsaKey
}

// pkcs8PEM encodes key as a PKCS#8 "PRIVATE KEY" PEM block.
func pkcs8PEM(t *testing.T, key any) string {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

// mustSigner builds a signer or fails the test.
func mustSigner(t *testing.T, apiKey, secret string, window time.Duration) *signer {
	t.Helper()
	s, err := newSigner(apiKey, secret, window)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// unsignedRequest is a built, unsigned request: the query (or, with inBody,
// the form body) holds params encoded as the transport encodes them.
func unsignedRequest(params []rest.Param, inBody bool) *rest.Request {
	r := &rest.Request{Method: http.MethodPost, URL: &url.URL{Scheme: "https", Host: "api.binance.com", Path: "/api/v3/order"}, Header: http.Header{}}
	if inBody {
		r.SetBody([]byte(rest.Encode(params)), "application/x-www-form-urlencoded")
	} else {
		r.URL.RawQuery = rest.Encode(params)
	}
	return r
}

// vectorParams turns a vector's ordered pairs into transport parameters.
func vectorParams(pairs [][2]string) []rest.Param {
	out := make([]rest.Param, len(pairs))
	for i, p := range pairs {
		out[i] = rest.Param{Key: p[0], Value: p[1]}
	}
	return out
}

// splitPayload reads name=value pairs back from a signature payload (the
// vectors' values hold neither '&' nor '='); unescape decodes REST
// payloads.
func splitPayload(t *testing.T, payload string, unescape bool) []rest.Param {
	t.Helper()
	var out []rest.Param
	for _, pair := range strings.Split(payload, "&") {
		k, v, ok := strings.Cut(pair, "=")
		if !ok {
			t.Fatalf("payload pair %q has no '='", pair)
		}
		if unescape {
			var err error
			if v, err = url.QueryUnescape(v); err != nil {
				t.Fatal(err)
			}
		}
		out = append(out, rest.Param{Key: k, Value: v})
	}
	return out
}

// payloadParams are the WebSocket API params of a payload, as a map (the
// signer must sort them itself).
func payloadParams(ps []rest.Param) map[string]any {
	m := make(map[string]any, len(ps))
	for _, p := range ps {
		m[p.Key] = p.Value
	}
	return m
}

// timestampOf returns the timestamp parameter as a time.
func timestampOf(t *testing.T, ps []rest.Param) time.Time {
	t.Helper()
	for _, p := range ps {
		if p.Key == "timestamp" {
			ms, err := strconv.ParseInt(p.Value, 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return time.UnixMilli(ms)
		}
	}
	t.Fatal("no timestamp parameter")
	return time.Time{}
}

// signatureOf returns the unescaped signature parameter, which must be the
// last one of encoded.
func signatureOf(t *testing.T, encoded string) string {
	t.Helper()
	i := strings.LastIndex(encoded, "&signature=")
	if i < 0 {
		t.Fatalf("no trailing signature in %q", encoded)
	}
	sig, err := url.QueryUnescape(encoded[i+len("&signature="):])
	if err != nil {
		t.Fatal(err)
	}
	return sig
}

// verifyRSA checks an RSA signature of payload with the test key's public
// half, and that signing is deterministic.
func verifyRSA(t *testing.T, s *signer, payload, sig string) {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(sig)
	if err != nil {
		t.Fatalf("signature is not standard base64: %v", err)
	}
	digest := sha256.Sum256([]byte(payload))
	if err := rsa.VerifyPKCS1v15(&testRSAKey(t).PublicKey, crypto.SHA256, digest[:], raw); err != nil {
		t.Fatalf("signature does not verify with the public key: %v", err)
	}
	again, err := s.sign([]byte(payload))
	if err != nil || again != sig {
		t.Fatalf("RSA PKCS#1 v1.5 signing is not deterministic: %q then %q (%v)", sig, again, err)
	}
}

// publishedBase64Len checks that a published signature is base64 of n
// bytes (256 for the docs' 2048-bit RSA key, 64 for Ed25519).
func publishedBase64Len(t *testing.T, sig string, n int) {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(sig)
	if err != nil || len(raw) != n {
		t.Fatalf("published signature is not base64 of %d bytes (%d, %v)", n, len(raw), err)
	}
}

// TestVectors runs every vector of the shared file through the signer as
// written. A vector this test does not know fails, so that a new one is
// never skipped silently.
func TestVectors(t *testing.T) {
	for _, v := range loadVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			switch v.Name {
			case "spot_rest_hmac_ascii", "spot_rest_hmac_nonascii":
				testRESTHMACVector(t, v)
			case "spot_wsapi_hmac_ascii", "spot_wsapi_hmac_nonascii", "spot_wsapi_session_logon_hmac":
				testWSHMACVector(t, v)
			case "spot_rest_rsa_ascii", "spot_rest_rsa_nonascii":
				testRESTRSAVector(t, v)
			case "spot_wsapi_rsa_ascii", "spot_wsapi_rsa_nonascii":
				testWSRSAVector(t, v)
			case "spot_wsapi_ed25519_ascii", "spot_wsapi_ed25519_nonascii":
				testWSEd25519UnpublishedKeyVector(t, v)
			case "spot_fix_logon_ed25519":
				s := mustSigner(t, "", v.Inputs.PrivateKeyPEM, 0)
				if got, err := s.sign([]byte(v.StringToSign)); err != nil || got != v.Expected {
					t.Fatalf("sign = %q, %v; want %q", got, err, v.Expected)
				}
			case "computed_wsapi_ed25519_ascii_with_fix_test_key":
				testWSEd25519Vector(t, v)
			default:
				t.Fatalf("vector %q (%s) has no test here", v.Name, v.Scheme)
			}
		})
	}
}

// testRESTHMACVector: the published parameters, signed as a query string
// and as a form body, give the published string and signature.
func testRESTHMACVector(t *testing.T, v signVector) {
	params := vectorParams(v.Inputs.ParamsInOrder)
	if got := rest.Encode(params); got != v.StringToSign {
		t.Fatalf("encoded parameters %q, want the published payload %q", got, v.StringToSign)
	}
	s := mustSigner(t, v.Inputs.APIKey, v.Inputs.SecretKey, 0)
	now := timestampOf(t, params)
	ep := rest.Endpoint{Method: v.Inputs.Method, Path: v.Inputs.Path, Signed: true}
	want := v.StringToSign + "&signature=" + v.Expected

	r := unsignedRequest(params, false)
	if err := s.signREST(r, ep, now); err != nil {
		t.Fatal(err)
	}
	if r.URL.RawQuery != want || len(r.Body) != 0 {
		t.Fatalf("query %q body %q, want query %q", r.URL.RawQuery, r.Body, want)
	}
	if got := r.Header.Get(apiKeyHeader); got != v.Inputs.APIKey {
		t.Fatalf("%s = %q", apiKeyHeader, got)
	}

	r = unsignedRequest(params, true)
	if err := s.signREST(r, ep, now); err != nil {
		t.Fatal(err)
	}
	if string(r.Body) != want || r.URL.RawQuery != "" {
		t.Fatalf("body %q query %q, want body %q", r.Body, r.URL.RawQuery, want)
	}
}

// testWSHMACVector: the published params give the published payload and
// signature; the signer adds nothing the request already has.
func testWSHMACVector(t *testing.T, v signVector) {
	dec := json.NewDecoder(bytes.NewReader(v.Inputs.Params))
	dec.UseNumber()
	params := map[string]any{}
	if err := dec.Decode(&params); err != nil {
		t.Fatal(err)
	}
	before := len(params)
	apiKey, _ := params["apiKey"].(string)
	s := mustSigner(t, apiKey, v.Inputs.SecretKey, 0)
	ts, err := params["timestamp"].(json.Number).Int64()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.signWS(params, time.UnixMilli(ts)); err != nil {
		t.Fatal(err)
	}
	if got, _ := wsPayload(params); got != v.StringToSign {
		t.Fatalf("payload %q, want %q", got, v.StringToSign)
	}
	if params["signature"] != v.Expected {
		t.Fatalf("signature %q, want %q", params["signature"], v.Expected)
	}
	if len(params) != before+1 {
		t.Fatalf("signWS added more than the signature: %v", params)
	}
}

// testRESTRSAVector: without Binance's private key, the payload and the
// percent-encoding are checked against the published ones, and a test key
// signs the published payload (verified, deterministic).
func testRESTRSAVector(t *testing.T, v signVector) {
	params := vectorParams(v.Inputs.ParamsInOrder)
	if len(params) == 0 {
		params = splitPayload(t, v.StringToSign, true)
	}
	if got := rest.Encode(params); got != v.StringToSign {
		t.Fatalf("encoded parameters %q, want the published payload %q", got, v.StringToSign)
	}
	publishedBase64Len(t, v.Expected, 256)
	if v.ExpectedPercentEncoded != "" {
		if got := rest.Encode([]rest.Param{{Key: "signature", Value: v.Expected}}); got != "signature="+v.ExpectedPercentEncoded {
			t.Fatalf("percent-encoded published signature %q, want %q", got, "signature="+v.ExpectedPercentEncoded)
		}
	}
	s := mustSigner(t, v.Inputs.APIKey, pkcs8PEM(t, testRSAKey(t)), 0)
	r := unsignedRequest(params, false)
	if err := s.signREST(r, rest.Endpoint{Method: http.MethodPost, Path: "/api/v3/order", Signed: true}, timestampOf(t, params)); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(r.URL.RawQuery, v.StringToSign+"&signature=") {
		t.Fatalf("query %q does not sign the published payload", r.URL.RawQuery)
	}
	verifyRSA(t, s, v.StringToSign, signatureOf(t, r.URL.RawQuery))
}

// testWSRSAVector: the params of the published payload, unordered, give
// that payload back; a test key signs it (verified, deterministic).
func testWSRSAVector(t *testing.T, v signVector) {
	ps := splitPayload(t, v.StringToSign, false)
	params := payloadParams(ps)
	if params["apiKey"] != v.Inputs.APIKey {
		t.Fatalf("payload apiKey %v, want %q", params["apiKey"], v.Inputs.APIKey)
	}
	publishedBase64Len(t, v.Expected, 256)
	s := mustSigner(t, v.Inputs.APIKey, pkcs8PEM(t, testRSAKey(t)), 0)
	if err := s.signWS(params, timestampOf(t, ps)); err != nil {
		t.Fatal(err)
	}
	if got, _ := wsPayload(params); got != v.StringToSign {
		t.Fatalf("payload %q, want %q", got, v.StringToSign)
	}
	verifyRSA(t, s, v.StringToSign, params["signature"].(string))
}

// testWSEd25519UnpublishedKeyVector: Binance did not publish the key, so
// the payload is checked and the FIX example's published key signs it
// (verified with its public key; Ed25519 is deterministic).
func testWSEd25519UnpublishedKeyVector(t *testing.T, v signVector) {
	ps := splitPayload(t, v.StringToSign, false)
	params := payloadParams(ps)
	publishedBase64Len(t, v.Expected, ed25519.SignatureSize)
	s := mustSigner(t, v.Inputs.APIKey, fixExamplePEM(t), 0)
	if err := s.signWS(params, timestampOf(t, ps)); err != nil {
		t.Fatal(err)
	}
	if got, _ := wsPayload(params); got != v.StringToSign {
		t.Fatalf("payload %q, want %q", got, v.StringToSign)
	}
	sig, err := base64.StdEncoding.DecodeString(params["signature"].(string))
	if err != nil {
		t.Fatal(err)
	}
	if !ed25519.Verify(s.edKey.Public().(ed25519.PublicKey), []byte(v.StringToSign), sig) {
		t.Fatal("Ed25519 signature does not verify")
	}
}

// testWSEd25519Vector: the derived vector signed with the FIX example's
// published key reproduces exactly, and the key loads to the published
// seed and public key.
func testWSEd25519Vector(t *testing.T, v signVector) {
	s := mustSigner(t, "", v.Inputs.PrivateKeyPEM, 0)
	if s.method != signEd25519 {
		t.Fatalf("method %v", s.method)
	}
	if got := hex.EncodeToString(s.edKey.Seed()); got != v.Inputs.PrivateSeedHex {
		t.Fatalf("seed %s, want %s", got, v.Inputs.PrivateSeedHex)
	}
	if got := hex.EncodeToString(s.edKey.Public().(ed25519.PublicKey)); got != v.Inputs.PublicKeyRawHex {
		t.Fatalf("public key %s, want %s", got, v.Inputs.PublicKeyRawHex)
	}
	ps := splitPayload(t, v.StringToSign, false)
	params := payloadParams(ps)
	s = mustSigner(t, params["apiKey"].(string), v.Inputs.PrivateKeyPEM, 0)
	if err := s.signWS(params, timestampOf(t, ps)); err != nil {
		t.Fatal(err)
	}
	if params["signature"] != v.Expected {
		t.Fatalf("signature %q, want %q", params["signature"], v.Expected)
	}
}

// fixExamplePEM is the Ed25519 private key published in the spot FIX API
// document (its logon example), taken from the vectors file.
func fixExamplePEM(t *testing.T) string {
	t.Helper()
	for _, v := range loadVectors(t) {
		if v.Name == "spot_fix_logon_ed25519" {
			return v.Inputs.PrivateKeyPEM
		}
	}
	t.Fatal("the vectors file lost the FIX example key")
	return ""
}

// TestUSDMDocumentExample signs the USDⓈ-M documents' HMAC example
// ("SIGNED Endpoint Examples for POST /fapi/v1/order - HMAC Keys",
// developers.binance.com derivatives/usds-margined-futures/general-info),
// examples 1 (query string) and 2 (request body). Example 3 (mixed) prints
// a signature of a payload with a stray space ("timestamp= 1591702613943"),
// so it cannot be reproduced as written.
func TestUSDMDocumentExample(t *testing.T) {
	s := mustSigner(t, "dbefbc809e3e83c283a984c3a1459732ea7db1360ca80c5c2c8867408d28cc83",
		"2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9", 0)
	const payload = "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=9000&timeInForce=GTC&recvWindow=5000&timestamp=1591702613943"
	const want = payload + "&signature=3c661234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af9"
	params := splitPayload(t, payload, true)
	ep := rest.Endpoint{Method: http.MethodPost, Path: "/fapi/v1/order", Signed: true}
	for _, inBody := range []bool{false, true} {
		r := unsignedRequest(params, inBody)
		if err := s.signREST(r, ep, time.UnixMilli(1591702613943)); err != nil {
			t.Fatal(err)
		}
		if got := r.URL.RawQuery + string(r.Body); got != want {
			t.Fatalf("body %v: %q, want %q", inBody, got, want)
		}
	}
}

// hmacHexOf is the reference HMAC-SHA256 hex of payload.
func hmacHexOf(secret, payload string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(payload))
	return hex.EncodeToString(m.Sum(nil))
}

func TestSignRESTAddsWindowTimestampAndSignatureLast(t *testing.T) {
	const secret = "s3cr3t-hmac"
	now := time.UnixMilli(1700000000123)
	for _, c := range []struct {
		name   string
		window time.Duration
		query  []rest.Param
		want   string // query before the signature
	}{
		{"default window", 0, []rest.Param{{Key: "symbol", Value: "BTCUSDT"}},
			"symbol=BTCUSDT&recvWindow=5000&timestamp=1700000000123"},
		{"microsecond window", 6000346 * time.Microsecond, []rest.Param{{Key: "symbol", Value: "BTCUSDT"}},
			"symbol=BTCUSDT&recvWindow=6000.346&timestamp=1700000000123"},
		{"caller's window kept", 0, []rest.Param{{Key: "recvWindow", Value: "2500"}, {Key: "symbol", Value: "A B"}},
			"recvWindow=2500&symbol=A%20B&timestamp=1700000000123"},
		{"no parameters", 10 * time.Second, nil,
			"recvWindow=10000&timestamp=1700000000123"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := mustSigner(t, "key-1", secret, c.window)
			r := unsignedRequest(c.query, false)
			if err := s.signREST(r, rest.Endpoint{Signed: true, Security: "TRADE"}, now); err != nil {
				t.Fatal(err)
			}
			want := c.want + "&signature=" + hmacHexOf(secret, c.want)
			if r.URL.RawQuery != want {
				t.Fatalf("query %q, want %q", r.URL.RawQuery, want)
			}
		})
	}
}

func TestSignRESTSignsQueryAndBodyAsSent(t *testing.T) {
	const secret = "s3cr3t-hmac"
	s := mustSigner(t, "key-1", secret, 0)
	body := []byte("quantity=1&price=9000")
	orig := string(body)
	r := &rest.Request{Method: http.MethodPost, URL: &url.URL{Scheme: "https", Host: "fapi.binance.com", Path: "/fapi/v1/order",
		RawQuery: "symbol=BTCUSDT&side=BUY"}, Header: http.Header{}, Body: body}
	if err := s.signREST(r, rest.Endpoint{Signed: true}, time.UnixMilli(42)); err != nil {
		t.Fatal(err)
	}
	signed := "quantity=1&price=9000&recvWindow=5000&timestamp=42"
	if r.URL.RawQuery != "symbol=BTCUSDT&side=BUY" {
		t.Fatalf("query changed: %q", r.URL.RawQuery)
	}
	want := signed + "&signature=" + hmacHexOf(secret, "symbol=BTCUSDT&side=BUY"+signed)
	if string(r.Body) != want {
		t.Fatalf("body %q, want %q", r.Body, want)
	}
	if string(body) != orig {
		t.Fatalf("the caller's body slice was edited: %q", body)
	}
}

func TestSignRESTKeyOnlyEndpoints(t *testing.T) {
	for _, security := range []string{"USER_STREAM", "MARKET_DATA"} {
		s := mustSigner(t, "key-1", "", 0) // no secret needed
		r := unsignedRequest([]rest.Param{{Key: "listenKey", Value: "abc"}}, false)
		if err := s.signREST(r, rest.Endpoint{Method: http.MethodPut, Path: "/fapi/v1/listenKey", Signed: true, Security: security}, time.Now()); err != nil {
			t.Fatal(err)
		}
		if r.URL.RawQuery != "listenKey=abc" || r.Header.Get(apiKeyHeader) != "key-1" {
			t.Fatalf("%s: query %q header %q", security, r.URL.RawQuery, r.Header.Get(apiKeyHeader))
		}
	}
}

func TestSignRESTWithoutCredentials(t *testing.T) {
	for _, c := range []struct {
		name, key, secret string
		security          string
	}{
		{"no key", "", "secret", "TRADE"},
		{"no key, key-only endpoint", "", "", "USER_STREAM"},
		{"no secret", "key", "", "USER_DATA"},
	} {
		s := mustSigner(t, c.key, c.secret, 0)
		r := unsignedRequest(nil, false)
		err := s.signREST(r, rest.Endpoint{Signed: true, Security: c.security}, time.Now())
		if !errors.Is(err, errors.AuthenticationError) {
			t.Fatalf("%s: %v, want AuthenticationError", c.name, err)
		}
		if strings.Contains(r.URL.RawQuery, "signature") {
			t.Fatalf("%s: signed anyway: %q", c.name, r.URL.RawQuery)
		}
	}
}

// TestSignRESTThroughTransport checks the hook as the REST client calls
// it: Build signs with the client's clock and the request is what Binance
// documents.
func TestSignRESTThroughTransport(t *testing.T) {
	const secret = "s3cr3t-hmac"
	s := mustSigner(t, "key-1", secret, 0)
	now := time.UnixMilli(1499827319559)
	c, err := rest.New(rest.Config{
		Exchange: "binance",
		BaseURLs: map[string]string{"spot": "https://api.binance.com"},
		Sign:     s.signREST,
		Sources:  rest.Sources{Clock: func() time.Time { return now }},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ep := rest.Endpoint{API: "spot", Method: http.MethodPost, Path: "/api/v3/order", Signed: true, Security: "TRADE"}
	r, err := c.Build(context.Background(), ep, rest.Params{Query: []rest.Param{{Key: "symbol", Value: "LTCBTC"}, {Key: "side", Value: "BUY"}}})
	if err != nil {
		t.Fatal(err)
	}
	payload := "symbol=LTCBTC&side=BUY&recvWindow=5000&timestamp=1499827319559"
	if want := payload + "&signature=" + hmacHexOf(secret, payload); r.URL.RawQuery != want {
		t.Fatalf("query %q, want %q", r.URL.RawQuery, want)
	}
	if r.Header.Get(apiKeyHeader) != "key-1" {
		t.Fatal("no API key header")
	}
}

func TestSignWS(t *testing.T) {
	const secret = "s3cr3t-hmac"
	now := time.UnixMilli(1649729878532)

	s := mustSigner(t, "key-1", secret, 0)
	params := map[string]any{"symbol": "BTCUSDT", "newOrderRespType": "ACK", "quantity": json.Number("0.01000000"), "returnRateLimits": false, "strategyId": 7}
	if err := s.signWS(params, now); err != nil {
		t.Fatal(err)
	}
	payload := "apiKey=key-1&newOrderRespType=ACK&quantity=0.01000000&returnRateLimits=false&strategyId=7&symbol=BTCUSDT&timestamp=1649729878532"
	if got, _ := wsPayload(params); got != payload {
		t.Fatalf("payload %q, want %q", got, payload)
	}
	if params["signature"] != hmacHexOf(secret, payload) {
		t.Fatalf("signature %v", params["signature"])
	}
	if _, ok := params["recvWindow"]; ok {
		t.Fatal("recvWindow added although the window is Binance's default")
	}
	out, err := json.Marshal(params)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out, []byte(`"timestamp":1649729878532`)) || !bytes.Contains(out, []byte(`"quantity":0.01000000`)) {
		t.Fatalf("params marshal as %s", out)
	}

	s = mustSigner(t, "key-1", secret, 3*time.Second)
	params = map[string]any{}
	if err := s.signWS(params, now); err != nil {
		t.Fatal(err)
	}
	payload = "apiKey=key-1&recvWindow=3000&timestamp=1649729878532"
	if params["signature"] != hmacHexOf(secret, payload) {
		t.Fatalf("custom window: signature %v, params %v", params["signature"], params)
	}

	for _, bad := range []any{1.5, []string{"a"}, map[string]any{}, nil} {
		err := s.signWS(map[string]any{"x": bad}, now)
		if !errors.Is(err, errors.BadRequest) || strings.Contains(err.Error(), secret) {
			t.Fatalf("%T: %v, want BadRequest", bad, err)
		}
	}
	if err := mustSigner(t, "", secret, 0).signWS(map[string]any{}, now); !errors.Is(err, errors.AuthenticationError) {
		t.Fatalf("no key: %v", err)
	}
	if err := mustSigner(t, "key", "", 0).signWS(map[string]any{}, now); !errors.Is(err, errors.AuthenticationError) {
		t.Fatalf("no secret: %v", err)
	}
}

func TestNewSignerDetectsKeyType(t *testing.T) {
	rk := testRSAKey(t)
	pkcs1 := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(rk)}))
	_, edKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	edPEM := pkcs8PEM(t, edKey)
	for _, c := range []struct {
		name, secret string
		want         signMethod
	}{
		{"empty", "", signNone},
		{"HMAC", "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j", signHMAC},
		{"RSA PKCS#8", pkcs8PEM(t, rk), signRSA},
		{"RSA PKCS#1", pkcs1, signRSA},
		{"RSA PKCS#1 surrounded by blanks", "\n  " + pkcs1 + "\n", signRSA},
		{"Ed25519 PKCS#8", edPEM, signEd25519},
		{"Ed25519 with literal \\n", strings.ReplaceAll(strings.TrimSpace(edPEM), "\n", `\n`), signEd25519},
	} {
		s, err := newSigner("key", c.secret, 0)
		if err != nil || s.method != c.want {
			t.Fatalf("%s: %v, %v; want %v", c.name, s, err, c.want)
		}
	}
	// PKCS#1 and PKCS#8 encodings of one RSA key sign alike.
	a, _ := mustSigner(t, "k", pkcs1, 0).sign([]byte("payload"))
	b, _ := mustSigner(t, "k", pkcs8PEM(t, rk), 0).sign([]byte("payload"))
	if a != b || a == "" {
		t.Fatalf("PKCS#1 %q and PKCS#8 %q differ", a, b)
	}
	if _, err := mustSigner(t, "k", "", 0).sign([]byte("x")); !errors.Is(err, errors.AuthenticationError) {
		t.Fatalf("signing without a secret: %v", err)
	}
	if _, err := newSigner("k", "s", -time.Second); !errors.Is(err, errors.BadRequest) {
		t.Fatalf("negative window: %v", err)
	}
}

// badSecrets are secrets that look like PEM but cannot sign, each with a
// distinctive string that must not reach any error.
func badSecrets(t *testing.T) map[string]string {
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := x509.MarshalPKIXPublicKey(&testRSAKey(t).PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	block := func(typ string, body []byte) string {
		return string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: body}))
	}
	return map[string]string{
		"ECDSA key":       pkcs8PEM(t, ecKey),
		"encrypted key":   block("ENCRYPTED PRIVATE KEY", []byte("zzSECRETzzSECRETzzSECRET")),
		"public key":      block("PUBLIC KEY", pub),
		"garbage PKCS#8":  block("PRIVATE KEY", []byte("zzSECRETzzSECRETzzSECRET")),
		"garbage PKCS#1":  block("RSA PRIVATE KEY", []byte("zzSECRETzzSECRETzzSECRET")),
		"unknown block":   block("OPENSSH PRIVATE KEY", []byte("zzSECRETzzSECRETzzSECRET")),
		"broken armor":    "-----BEGIN PRIVATE KEY-----\nzzSECRETzzSECRETzzSECRET",
		"armor only text": "-----BEGIN PRIVATE KEY----- zzSECRETzzSECRETzzSECRET -----END PRIVATE KEY-----",
	}
}

func TestNewSignerRefusesUnusableKeys(t *testing.T) {
	for name, secret := range badSecrets(t) {
		s, err := newSigner("key-XYZ", secret, 0)
		if s != nil || !errors.Is(err, errors.AuthenticationError) {
			t.Fatalf("%s: %v, %v; want AuthenticationError", name, s, err)
		}
		assertNoSecret(t, name+" error", err.Error(), secret)
		assertNoSecret(t, name+" %#v", fmt.Sprintf("%#v %+v", err, err), secret)
	}
}

// assertNoSecret fails when out holds the secret, any line of it longer
// than 8 bytes, or the marker used in synthetic secrets.
func assertNoSecret(t *testing.T, what, out, secret string) {
	t.Helper()
	if strings.Contains(out, "zzSECRET") {
		t.Fatalf("%s leaks the secret: %s", what, out)
	}
	for _, line := range append(strings.Split(secret, "\n"), secret) {
		line = strings.TrimSpace(line)
		if len(line) > 8 && !strings.HasPrefix(line, "-----") && strings.Contains(out, line) {
			t.Fatalf("%s leaks the secret: %s", what, out)
		}
	}
}

// TestSignerNeverPrintsSecrets prints signers of every key type in every
// way a log or an error message could, and checks that neither the secret
// nor the API key appears.
func TestSignerNeverPrintsSecrets(t *testing.T) {
	const apiKey = "apikey-0123456789abcdef"
	_, edKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"hmac-secret-0123456789", pkcs8PEM(t, testRSAKey(t)), pkcs8PEM(t, edKey)} {
		s := mustSigner(t, apiKey, secret, 0)
		var logged bytes.Buffer
		slog.New(slog.NewJSONHandler(&logged, nil)).Info("signer", "s", s, "value", *s)
		outs := []string{
			fmt.Sprint(s), fmt.Sprintf("%v %+v %#v %s %q %x", s, s, s, s, s, s),
			fmt.Sprintf("%v %+v %#v", *s, *s, *s), fmt.Sprintf("%v", []*signer{s}),
			logged.String(),
		}
		for _, out := range outs {
			assertNoSecret(t, "printed signer", out, secret)
			if strings.Contains(out, apiKey) || strings.Contains(out, "hmac-secret") {
				t.Fatalf("printed signer shows a credential: %s", out)
			}
		}
	}
}
