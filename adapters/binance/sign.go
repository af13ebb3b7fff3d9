package binance

import (
	"crypto"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"log/slog"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/internal/rest"
)

// Binance authenticates a request with an API key and, for SIGNED
// endpoints, a signature made with the key's secret: an HMAC secret, or the
// private half of an RSA or Ed25519 key pair whose public half was
// registered with Binance. The key type decides the signature's form
// (lowercase hex for HMAC, base64 for RSA and Ed25519); what is signed
// depends on the transport:
//
//   - REST: the query string concatenated with the form body, no separator,
//     exactly as sent (percent-encoded, in the order sent), with
//     recvWindow and timestamp among the parameters; signature is appended
//     last, percent-encoded.
//   - WebSocket API: every parameter but signature (apiKey included),
//     sorted by name, joined as name=value with '&', values as raw UTF-8
//     (not percent-encoded).
//
// Sources: binance-spot-api-docs rest-api.md ("Request Security", "SIGNED
// Endpoint Examples for POST /api/v3/order") and web-socket-api.md ("SIGNED
// request security"); the USDⓈ-M and COIN-M "General Info" pages (security
// types USER_STREAM and MARKET_DATA need the API key only).

// defaultRecvWindow is how long after its timestamp a signed request stays
// valid when the configuration names no other window; it is also the
// venues' own default.
const defaultRecvWindow = 5 * time.Second

// apiKeyHeader carries the API key of every authenticated REST request.
const apiKeyHeader = "X-MBX-APIKEY"

// signMethod is the kind of secret a signer holds.
type signMethod uint8

const (
	signNone    signMethod = iota // no secret: only API-key endpoints work
	signHMAC                      // HMAC-SHA256, lowercase hex
	signRSA                       // RSASSA-PKCS1-v1_5 with SHA-256, base64
	signEd25519                   // Ed25519, base64
)

// String names the method as Binance's key types are named.
func (m signMethod) String() string {
	switch m {
	case signHMAC:
		return "HMAC"
	case signRSA:
		return "RSA"
	case signEd25519:
		return "Ed25519"
	}
	return "no secret"
}

// signer signs Binance requests with one API key. It is immutable after
// newSigner and safe for concurrent use. Its String, GoString, Format and
// LogValue show the key type only, never the key or the secret, and no error
// it returns quotes either.
type signer struct {
	apiKey     string
	method     signMethod
	hmacSecret []byte
	rsaKey     *rsa.PrivateKey
	edKey      ed25519.PrivateKey
	// recvWindow is the recvWindow parameter as sent, in milliseconds;
	// customWindow is true when it is not Binance's own default.
	recvWindow   string
	customWindow bool
}

// newSigner returns the signer of apiKey and secret (exchange.Config's
// APIKey and Secret). The secret's type is detected:
//
//   - a PEM block "PRIVATE KEY" (PKCS#8) holding an RSA or Ed25519 key, or
//     "RSA PRIVATE KEY" (PKCS#1), signs with that key (a PEM pasted with
//     literal "\n" sequences instead of line breaks is accepted);
//   - any other non-empty string is an HMAC secret;
//   - an empty secret gives a signer for the endpoints that need the API
//     key alone (futures listen keys); signing anything else then fails.
//
// recvWindow is the validity window of signed requests (defaultRecvWindow
// when 0); Binance counts it in milliseconds and the spot API accepts three
// decimals (microseconds). A negative one is a BadRequest. A secret that
// looks like PEM but is not a usable private key fails with
// AuthenticationError (the credentials cannot be used as given); the
// message says what is wrong with the key and never quotes it.
func newSigner(apiKey, secret string, recvWindow time.Duration) (*signer, error) {
	if recvWindow < 0 {
		return nil, errors.Newf(errors.BadRequest, "binance: recvWindow must not be negative")
	}
	if recvWindow == 0 {
		recvWindow = defaultRecvWindow
	}
	s := &signer{apiKey: apiKey, recvWindow: formatMillis(recvWindow), customWindow: recvWindow != defaultRecvWindow}
	switch {
	case secret == "":
		s.method = signNone
	case strings.Contains(secret, "-----BEGIN"):
		if err := s.loadPEM(secret); err != nil {
			return nil, err
		}
	default:
		s.method = signHMAC
		s.hmacSecret = []byte(secret)
	}
	return s, nil
}

// loadPEM sets the signer's private key from a PEM-encoded secret. The
// parsers' own errors are not kept: they may describe the key's content.
func (s *signer) loadPEM(secret string) error {
	if !strings.Contains(secret, "\n") && strings.Contains(secret, `\n`) {
		secret = strings.ReplaceAll(secret, `\n`, "\n")
	}
	block, _ := pem.Decode([]byte(strings.TrimSpace(secret)))
	if block == nil {
		return keyError("the secret looks like PEM but no PEM block could be decoded")
	}
	switch block.Type {
	case "PRIVATE KEY":
		key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			return keyError("the PKCS#8 private key could not be parsed")
		}
		switch k := key.(type) {
		case *rsa.PrivateKey:
			s.method, s.rsaKey = signRSA, k
		case ed25519.PrivateKey:
			s.method, s.edKey = signEd25519, k
		default:
			return keyError(fmt.Sprintf("a %T private key is not a Binance key type (HMAC, RSA or Ed25519)", key))
		}
	case "RSA PRIVATE KEY":
		key, err := x509.ParsePKCS1PrivateKey(block.Bytes)
		if err != nil {
			return keyError("the PKCS#1 RSA private key could not be parsed")
		}
		s.method, s.rsaKey = signRSA, key
	case "ENCRYPTED PRIVATE KEY":
		return keyError("the private key is encrypted; give the decrypted PKCS#8 key")
	case "PUBLIC KEY", "RSA PUBLIC KEY":
		return keyError("the secret is a public key; the private key signs (its public half is what Binance holds)")
	default:
		return keyError("unsupported PEM block " + strconv.Quote(block.Type) + "; want PRIVATE KEY (PKCS#8) or RSA PRIVATE KEY (PKCS#1)")
	}
	return nil
}

// keyError is the failure to use a configured secret.
func keyError(msg string) *errors.Error {
	return errors.Newf(errors.AuthenticationError, "binance: unusable secret: "+msg)
}

// formatMillis writes d in milliseconds, with up to three decimals when d
// is not a whole number of milliseconds (6000.346 for 6.000346 s).
func formatMillis(d time.Duration) string {
	ms := strconv.FormatInt(int64(d/time.Millisecond), 10)
	us := int64(d%time.Millisecond) / int64(time.Microsecond)
	if us == 0 {
		return ms
	}
	return strings.TrimRight(ms+"."+fmt.Sprintf("%03d", us), "0")
}

// String describes the signer without its key or secret. The printing
// methods have value receivers so that a signer printed by value is
// redacted too.
func (s signer) String() string {
	key := "no API key"
	if s.apiKey != "" {
		key = "API key [REDACTED]"
	}
	return "binance signer (" + s.method.String() + ", " + key + ")"
}

// GoString is String, so that %#v prints no secret either.
func (s signer) GoString() string { return s.String() }

// Format makes every fmt verb print String.
func (s signer) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(s.String())) }

// LogValue logs the key type only.
func (s signer) LogValue() slog.Value {
	return slog.GroupValue(slog.String("method", s.method.String()), slog.Bool("apiKey", s.apiKey != ""))
}

// sign returns the signature of payload: lowercase hex for an HMAC secret,
// standard base64 (with padding) for RSA and Ed25519 keys.
func (s *signer) sign(payload []byte) (string, error) {
	switch s.method {
	case signHMAC:
		m := hmac.New(sha256.New, s.hmacSecret)
		m.Write(payload)
		return hex.EncodeToString(m.Sum(nil)), nil
	case signRSA:
		digest := sha256.Sum256(payload)
		sig, err := rsa.SignPKCS1v15(nil, s.rsaKey, crypto.SHA256, digest[:])
		if err != nil {
			// rsa's errors name sizes, never key material.
			return "", errors.Wrap(errors.AuthenticationError, err, "binance: RSA signing failed")
		}
		return base64.StdEncoding.EncodeToString(sig), nil
	case signEd25519:
		return base64.StdEncoding.EncodeToString(ed25519.Sign(s.edKey, payload)), nil
	}
	return "", errors.Newf(errors.AuthenticationError, "binance: this request must be signed and no secret is configured")
}

// keyOnly reports whether an endpoint of this security type needs the API
// key header and no signature: USER_STREAM (futures listen keys) and
// MARKET_DATA, as the USDⓈ-M and COIN-M documents define them. The adapter
// marks such an endpoint Signed (so that the transport calls the signer) and
// names the type in Endpoint.Security. Spot has no such REST endpoint left:
// its listen keys were retired, and every spot security type but NONE is
// SIGNED.
func keyOnly(security string) bool {
	return security == "USER_STREAM" || security == "MARKET_DATA"
}

// signREST is the rest.Config.Sign hook. It sets the API-key header; unless
// the endpoint is key-only (see keyOnly) it then adds recvWindow and
// timestamp (now, in milliseconds) where the request does not carry them
// already, signs the query string concatenated with the body exactly as they
// will be sent, and appends signature last. The parameters go where the
// request's own parameters are: into the form body when there is one (as
// Binance's example "mixed query string and request body" does), else into
// the query string.
func (s *signer) signREST(r *rest.Request, ep rest.Endpoint, now time.Time) error {
	if s.apiKey == "" {
		return errors.Newf(errors.AuthenticationError, "binance: this request needs an API key and none is configured")
	}
	r.Header.Set(apiKeyHeader, s.apiKey)
	if keyOnly(ep.Security) {
		return nil
	}
	if s.method == signNone {
		return errors.Newf(errors.AuthenticationError, "binance: this request must be signed and no secret is configured")
	}
	var extra []rest.Param
	if !hasParam(r.URL.RawQuery, "recvWindow") && !hasParam(string(r.Body), "recvWindow") {
		extra = append(extra, rest.Param{Key: "recvWindow", Value: s.recvWindow})
	}
	if !hasParam(r.URL.RawQuery, "timestamp") && !hasParam(string(r.Body), "timestamp") {
		extra = append(extra, rest.Param{Key: "timestamp", Value: strconv.FormatInt(now.UnixMilli(), 10)})
	}
	s.addREST(r, extra)
	payload := make([]byte, 0, len(r.URL.RawQuery)+len(r.Body))
	payload = append(append(payload, r.URL.RawQuery...), r.Body...)
	sig, err := s.sign(payload)
	if err != nil {
		return err
	}
	s.addREST(r, []rest.Param{{Key: "signature", Value: sig}})
	return nil
}

// addREST appends params, encoded as the transport encodes query
// parameters, to the body when the request has one, else to the query. The
// body is replaced, never edited in place: it may be the caller's slice.
func (s *signer) addREST(r *rest.Request, params []rest.Param) {
	if len(params) == 0 {
		return
	}
	if len(r.Body) == 0 {
		for _, p := range params {
			r.AddQuery(p.Key, p.Value)
		}
		return
	}
	enc := rest.Encode(params)
	body := make([]byte, 0, len(r.Body)+1+len(enc))
	body = append(append(append(body, r.Body...), '&'), enc...)
	r.SetBody(body, "")
}

// hasParam reports whether the encoded query or form encoded names key.
// Binance's parameter names are plain ASCII, so the raw name is compared.
func hasParam(encoded, key string) bool {
	for encoded != "" {
		var pair string
		pair, encoded, _ = strings.Cut(encoded, "&")
		name, _, _ := strings.Cut(pair, "=")
		if name == key {
			return true
		}
	}
	return false
}

// signWS signs the params of one WebSocket API request in place: it adds
// apiKey and timestamp (now, in milliseconds) where absent, recvWindow too
// when the configured window is not Binance's default (which the venue
// applies without it), then signature, computed over every other parameter
// sorted by name and joined as name=value with '&', values unencoded
// (wsPayload). params is what the request's "params" object will be
// marshalled from; timestamp and recvWindow are added as JSON numbers.
func (s *signer) signWS(params map[string]any, now time.Time) error {
	if s.apiKey == "" {
		return errors.Newf(errors.AuthenticationError, "binance: this request needs an API key and none is configured")
	}
	if _, ok := params["apiKey"]; !ok {
		params["apiKey"] = s.apiKey
	}
	if _, ok := params["recvWindow"]; !ok && s.customWindow {
		params["recvWindow"] = json.Number(s.recvWindow)
	}
	if _, ok := params["timestamp"]; !ok {
		params["timestamp"] = now.UnixMilli()
	}
	payload, err := wsPayload(params)
	if err != nil {
		return err
	}
	sig, err := s.sign([]byte(payload))
	if err != nil {
		return err
	}
	params["signature"] = sig
	return nil
}

// wsPayload is the signature payload of WebSocket API params: every
// parameter but signature, sorted by name, as name=value joined with '&',
// values as their JSON text without quotes (strings raw, numbers and
// booleans as written). A value of another type (a float, which would lose
// digits, an object, a list) is refused with BadRequest.
func wsPayload(params map[string]any) (string, error) {
	names := make([]string, 0, len(params))
	for name := range params {
		if name != "signature" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	var b strings.Builder
	for i, name := range names {
		text, ok := wsParamText(params[name])
		if !ok {
			return "", errors.Newf(errors.BadRequest, fmt.Sprintf("binance: WebSocket API parameter %q has a type that cannot be signed (%T)", name, params[name]))
		}
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(name)
		b.WriteByte('=')
		b.WriteString(text)
	}
	return b.String(), nil
}

// wsParamText is the text a WebSocket API parameter value is signed as.
func wsParamText(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case json.Number:
		return v.String(), true
	case int:
		return strconv.Itoa(v), true
	case int64:
		return strconv.FormatInt(v, 10), true
	case bool:
		return strconv.FormatBool(v), true
	}
	return "", false
}
