package bybit

import (
	"crypto"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/internal/rest"
)

// Bybit V5 authenticates with an API key and a signature made with the
// key's secret: a system-generated HMAC secret (lowercase hex of
// HMAC-SHA256) or the private half of a self-generated RSA key pair whose
// public half was registered (base64 of RSASSA-PKCS1-v1_5 with SHA-256).
// What is signed depends on the transport (card §4, §7; docs v5/guide and
// websocket/wss-authentication; pybit _http_manager.py):
//
//   - REST: timestamp + apiKey + recvWindow + the query string (GET) or
//     the JSON body (POST), exactly as sent, in the headers X-BAPI-API-KEY,
//     X-BAPI-TIMESTAMP, X-BAPI-RECV-WINDOW and X-BAPI-SIGN;
//   - the private and trade streams: "GET/realtime" + expires (a future
//     time in milliseconds), sent once per connection as
//     {"op":"auth","args":[apiKey, expires, signature]}.

// defaultRecvWindow is the venue's own default validity window.
const defaultRecvWindow = 5 * time.Second

// authLife is how far in the future a stream login's expires lies.
const authLife = 10 * time.Second

// signer signs Bybit requests with one API key. It is immutable after
// newSigner and safe for concurrent use; its printing methods show the key
// type only, never the key or the secret.
type signer struct {
	key        string
	hmacSecret []byte
	rsaKey     *rsa.PrivateKey
	recvWindow string // milliseconds, as sent
}

// newSigner returns the signer of key and secret. A secret holding a PEM
// block (PKCS#8 "PRIVATE KEY" or PKCS#1 "RSA PRIVATE KEY", literal "\n"
// accepted for line breaks) is an RSA key; any other non-empty secret an
// HMAC one; with an empty secret only public endpoints work. recvWindow 0
// is Bybit's default, 5 s; a negative one is a BadRequest, and a PEM that
// holds no usable RSA private key an AuthenticationError whose message
// never quotes the key.
func newSigner(key, secret string, recvWindow time.Duration) (*signer, error) {
	switch {
	case recvWindow < 0:
		return nil, errors.Newf(errors.BadRequest, "bybit: RecvWindow must not be negative")
	case recvWindow == 0:
		recvWindow = defaultRecvWindow
	}
	s := &signer{key: key, recvWindow: strconv.FormatInt(recvWindow.Milliseconds(), 10)}
	switch {
	case strings.Contains(secret, "-----BEGIN"):
		k, err := parseRSAKey(secret)
		if err != nil {
			return nil, err
		}
		s.rsaKey = k
	case secret != "":
		s.hmacSecret = []byte(secret)
	}
	return s, nil
}

// parseRSAKey reads an RSA private key from PEM. The parsers' own errors
// are not kept: they may describe the key's content.
func parseRSAKey(secret string) (*rsa.PrivateKey, error) {
	if !strings.Contains(secret, "\n") && strings.Contains(secret, `\n`) {
		secret = strings.ReplaceAll(secret, `\n`, "\n")
	}
	block, _ := pem.Decode([]byte(strings.TrimSpace(secret)))
	if block == nil {
		return nil, keyError("the secret looks like PEM but no PEM block could be decoded")
	}
	switch block.Type {
	case "PRIVATE KEY":
		k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			return nil, keyError("the PKCS#8 private key could not be parsed")
		}
		rk, ok := k.(*rsa.PrivateKey)
		if !ok {
			return nil, keyError(fmt.Sprintf("a %T private key is not a Bybit key type (HMAC or RSA)", k))
		}
		return rk, nil
	case "RSA PRIVATE KEY":
		k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
		if err != nil {
			return nil, keyError("the PKCS#1 RSA private key could not be parsed")
		}
		return k, nil
	case "PUBLIC KEY", "RSA PUBLIC KEY":
		return nil, keyError("the secret is a public key; the private key signs (Bybit holds the public half)")
	}
	return nil, keyError("unsupported PEM block " + strconv.Quote(block.Type) + "; want PRIVATE KEY (PKCS#8) or RSA PRIVATE KEY (PKCS#1)")
}

// keyError is the failure to use a configured secret.
func keyError(msg string) *errors.Error {
	return errors.Newf(errors.AuthenticationError, "bybit: unusable secret: "+msg)
}

// method names the key type.
func (s *signer) method() string {
	switch {
	case s.rsaKey != nil:
		return "RSA"
	case s.hmacSecret != nil:
		return "HMAC"
	}
	return "no secret"
}

// String describes the signer without its key or secret (value receivers,
// so that a signer printed by value is redacted too).
func (s signer) String() string {
	key := "no API key"
	if s.key != "" {
		key = "API key [REDACTED]"
	}
	return "bybit signer (" + s.method() + ", " + key + ")"
}

// GoString is String, so that %#v prints no secret either.
func (s signer) GoString() string { return s.String() }

// Format makes every fmt verb print String.
func (s signer) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(s.String())) }

// LogValue logs the key type only.
func (s signer) LogValue() slog.Value {
	return slog.GroupValue(slog.String("method", s.method()), slog.Bool("apiKey", s.key != ""))
}

// sign returns the signature of payload: lowercase hex of HMAC-SHA256, or
// standard base64 of an RSA PKCS#1 v1.5 SHA-256 signature.
func (s *signer) sign(payload string) (string, error) {
	switch {
	case s.key == "":
		return "", errors.Newf(errors.AuthenticationError, "bybit: signed requests need Config.APIKey and Config.Secret")
	case s.rsaKey != nil:
		digest := sha256.Sum256([]byte(payload))
		sig, err := rsa.SignPKCS1v15(nil, s.rsaKey, crypto.SHA256, digest[:])
		if err != nil { // rsa's errors name sizes, never key material
			return "", errors.Wrap(errors.AuthenticationError, err, "bybit: RSA signing failed")
		}
		return base64.StdEncoding.EncodeToString(sig), nil
	case s.hmacSecret != nil:
		m := hmac.New(sha256.New, s.hmacSecret)
		m.Write([]byte(payload))
		return hex.EncodeToString(m.Sum(nil)), nil
	}
	return "", errors.Newf(errors.AuthenticationError, "bybit: signed requests need Config.APIKey and Config.Secret")
}

// restPayload is the string a REST request signs.
func (s *signer) restPayload(timestamp, queryOrBody string) string {
	return timestamp + s.key + s.recvWindow + queryOrBody
}

// signREST is the rest.Config.Sign hook: it signs exactly the query string
// (GET) or body (POST) that will be sent and sets the X-BAPI-* headers.
func (s *signer) signREST(r *rest.Request, _ rest.Endpoint, now time.Time) error {
	ts := strconv.FormatInt(now.UnixMilli(), 10)
	payload := r.URL.RawQuery
	if r.Body != nil {
		payload = string(r.Body)
	}
	sig, err := s.sign(s.restPayload(ts, payload))
	if err != nil {
		return err
	}
	r.Header.Set("X-BAPI-API-KEY", s.key)
	r.Header.Set("X-BAPI-TIMESTAMP", ts)
	r.Header.Set("X-BAPI-RECV-WINDOW", s.recvWindow)
	r.Header.Set("X-BAPI-SIGN", sig)
	return nil
}

// authArgs are the args of a stream login at now: [apiKey, expires,
// signature of "GET/realtime" + expires], expires authLife ahead.
func (s *signer) authArgs(now time.Time) ([]any, error) {
	expires := now.Add(authLife).UnixMilli()
	sig, err := s.sign("GET/realtime" + strconv.FormatInt(expires, 10))
	if err != nil {
		return nil, err
	}
	return []any{s.key, expires, sig}, nil
}
