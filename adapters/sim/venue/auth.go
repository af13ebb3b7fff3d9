package venue

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/unifex-go/unifex/internal/fakeserver"
)

// authenticate checks a signed request (see KeyHeader) and returns its
// query.
func (v *Venue) authenticate(r *http.Request) (url.Values, *apiError) {
	raw := r.URL.RawQuery
	i := strings.LastIndex(raw, "sig=")
	if i < 0 || (i > 0 && raw[i-1] != '&') {
		return nil, reject(CodeBadSignature, "signature missing")
	}
	signed := strings.TrimSuffix(raw[:i], "&")
	q, err := url.ParseQuery(signed)
	if err != nil {
		return nil, reject(CodeBadSignature, "malformed query")
	}
	ts, err := strconv.ParseInt(q.Get("ts"), 10, 64)
	if err != nil {
		return nil, reject(CodeTimestamp, "timestamp missing")
	}
	payload := r.Method + "\n" + r.URL.EscapedPath() + "\n" + signed
	return q, v.checkCredentials(r.Header.Get(KeyHeader), ts, payload, raw[i+len("sig="):])
}

// checkCredentials verifies a key, a timestamp and a signature of payload,
// for REST requests and WebSocket logins alike.
func (v *Venue) checkCredentials(key string, ts int64, payload, sig string) *apiError {
	v.mu.Lock()
	a := &v.acct
	wantKey, secret, expired := a.key, a.secret, a.expired
	if a.rotated {
		secret += "-rotated"
	}
	v.mu.Unlock()
	switch {
	case key != wantKey:
		return reject(CodeUnknownKey, "unknown API key")
	case expired:
		return reject(CodeKeyExpired, "API key expired")
	case !fakeserver.VerifyHMACSHA256(secret, []byte(payload), sig):
		return reject(CodeBadSignature, "signature invalid")
	case !v.api.InWindow(time.UnixMilli(ts), RecvWindow):
		return reject(CodeTimestamp, "timestamp outside the receive window")
	}
	return nil
}

// login answers a WebSocket login.
func (v *Venue) login(c *fakeserver.Conn, r wsRequest) *apiError {
	if e := v.checkCredentials(r.Key, r.TS, "login\n"+strconv.FormatInt(r.TS, 10), r.Sig); e != nil {
		return e
	}
	v.mu.Lock()
	v.authed[c] = true
	v.mu.Unlock()
	return nil
}
