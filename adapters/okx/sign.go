package okx

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"time"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/rest"
)

// Signing (card §4, §7). REST: OK-ACCESS-SIGN is the base64 HMAC-SHA256,
// under the secret, of timestamp + METHOD + requestPath (with the query
// string exactly as sent) + body, where timestamp is the ISO-8601 UTC time
// with milliseconds sent in OK-ACCESS-TIMESTAMP; the passphrase chosen
// with the key (Config.Password) travels in clear in OK-ACCESS-PASSPHRASE.
// Demo trading adds x-simulated-trading: 1 to every request (New). A
// WebSocket login signs timestamp + "GET" + "/users/self/verify" with the
// timestamp in Unix seconds.

// restTimestamp is the format of OK-ACCESS-TIMESTAMP.
const restTimestamp = "2006-01-02T15:04:05.000Z"

// loginPath is the request path a WebSocket login signs.
const loginPath = "/users/self/verify"

// sign is OKX's signature of prehash under secret.
func sign(secret, prehash string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(prehash))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// credentials returns cfg's key, secret and passphrase, or the error of a
// call that needs them.
func credentials(cfg exchange.Config) error {
	if cfg.APIKey == "" || cfg.Secret == "" || cfg.Password == "" {
		return errors.Newf(errors.AuthenticationError, "okx: this request needs an API key, a secret and the key's passphrase (Config.Password)")
	}
	return nil
}

// signREST is the rest.Config.Sign hook.
func (x *Exchange) signREST(r *rest.Request, _ rest.Endpoint, now time.Time) error {
	cfg := x.Config()
	if err := credentials(cfg); err != nil {
		return err
	}
	ts := now.UTC().Format(restTimestamp)
	r.Header.Set("OK-ACCESS-KEY", cfg.APIKey)
	r.Header.Set("OK-ACCESS-SIGN", sign(cfg.Secret, ts+r.Method+r.URL.RequestURI()+string(r.Body)))
	r.Header.Set("OK-ACCESS-TIMESTAMP", ts)
	r.Header.Set("OK-ACCESS-PASSPHRASE", cfg.Password)
	if len(r.Body) > 0 {
		r.Header.Set("Content-Type", "application/json")
	}
	return nil
}

// loginArg is the argument of a WebSocket login request.
type loginArg struct {
	APIKey     string `json:"apiKey"`
	Passphrase string `json:"passphrase"`
	Timestamp  string `json:"timestamp"`
	Sign       string `json:"sign"`
}

// loginArgs signs a WebSocket login at now (the venue's clock).
func loginArgs(cfg exchange.Config, now time.Time) (loginArg, error) {
	if err := credentials(cfg); err != nil {
		return loginArg{}, err
	}
	ts := strconv.FormatInt(now.Unix(), 10)
	return loginArg{APIKey: cfg.APIKey, Passphrase: cfg.Password, Timestamp: ts,
		Sign: sign(cfg.Secret, ts+"GET"+loginPath)}, nil
}
