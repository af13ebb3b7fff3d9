package bybit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/internal/rest"
)

// signer signs REST requests with an HMAC key (V5: hex HMAC-SHA256 of
// timestamp + key + recvWindow + query string or body).
type signer struct {
	key, secret string
	recvWindow  string // milliseconds
}

// newSigner returns the signer of key and secret; recvWindow 0 is 5 s.
func newSigner(key, secret string, recvWindow time.Duration) (*signer, error) {
	if recvWindow <= 0 {
		recvWindow = 5 * time.Second
	}
	return &signer{key: key, secret: secret, recvWindow: strconv.FormatInt(recvWindow.Milliseconds(), 10)}, nil
}

// signREST is the rest.Config.Sign hook: it signs exactly the query string
// (GET) or body (POST) that will be sent and sets the X-BAPI-* headers.
func (s *signer) signREST(r *rest.Request, _ rest.Endpoint, now time.Time) error {
	if s.key == "" || s.secret == "" {
		return errors.Newf(errors.AuthenticationError, "bybit: signed endpoints need Config.APIKey and Config.Secret")
	}
	ts := strconv.FormatInt(now.UnixMilli(), 10)
	payload := r.URL.RawQuery
	if r.Body != nil {
		payload = string(r.Body)
	}
	mac := hmac.New(sha256.New, []byte(s.secret))
	mac.Write([]byte(ts + s.key + s.recvWindow + payload))
	r.Header.Set("X-BAPI-API-KEY", s.key)
	r.Header.Set("X-BAPI-TIMESTAMP", ts)
	r.Header.Set("X-BAPI-RECV-WINDOW", s.recvWindow)
	r.Header.Set("X-BAPI-SIGN", hex.EncodeToString(mac.Sum(nil)))
	return nil
}
