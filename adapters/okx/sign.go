package okx

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"time"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/internal/rest"
)

// signREST is the rest.Config.Sign hook: OK-ACCESS-SIGN is the base64
// HMAC-SHA256 of timestamp + method + path?query + body, under the secret.
func (x *Exchange) signREST(r *rest.Request, _ rest.Endpoint, now time.Time) error {
	cfg := x.Config()
	if cfg.APIKey == "" || cfg.Secret == "" || cfg.Password == "" {
		return errors.Newf(errors.AuthenticationError, "okx: this request needs an API key, secret and passphrase")
	}
	ts := now.UTC().Format("2006-01-02T15:04:05.000Z")
	mac := hmac.New(sha256.New, []byte(cfg.Secret))
	mac.Write([]byte(ts + r.Method + r.URL.RequestURI()))
	mac.Write(r.Body)
	r.Header.Set("OK-ACCESS-KEY", cfg.APIKey)
	r.Header.Set("OK-ACCESS-SIGN", base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	r.Header.Set("OK-ACCESS-TIMESTAMP", ts)
	r.Header.Set("OK-ACCESS-PASSPHRASE", cfg.Password)
	if len(r.Body) > 0 {
		r.Header.Set("Content-Type", "application/json")
	}
	return nil
}
