package fakeserver

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"time"
)

// MaintenancePage is the body of the 503 reply that HTTP sends while
// Maintenance is on: an HTML page, as the proxy or CDN in front of a venue
// serves it, not the venue's JSON.
const MaintenancePage = `<!DOCTYPE html>
<html><head><title>503 Service Unavailable</title></head>
<body><h1>Service Unavailable</h1>
<p>The exchange is down for scheduled maintenance. Please try again later.</p>
<hr><address>proxy</address></body></html>
`

// HTTP is a loopback HTTP server for a fake venue's REST API. The venue
// registers its routes with Handle (public) and HandlePrivate (routes that
// need credentials); a test injects faults on demand, which last until they
// are turned off:
//
//   - Delay: every reply waits (the client giving up ends the wait);
//   - Throttle: every request is refused with 429 and a Retry-After header
//     for a while;
//   - Maintenance: every request gets a 503 with an HTML page
//     (MaintenancePage);
//   - ExpireAuth: private routes answer 401 with the venue's own error body;
//   - Skew: the venue's clock (Now) runs ahead of or behind the local one;
//     handlers check request timestamps with InWindow and serve Now as the
//     server time.
//
// SignHMACSHA256 and VerifyHMACSHA256 are the signature helpers venue
// handlers call with their test secret. Faults apply in the order a request
// meets them on the way in: delay, maintenance, throttle, expired auth.
// An HTTP is safe for concurrent use.
type HTTP struct {
	srv *httptest.Server
	mux *http.ServeMux

	mu          sync.Mutex
	delay       time.Duration
	throttleEnd time.Time
	maintenance bool
	expired     []byte // 401 body of private routes; nil when auth is fine
	skew        time.Duration
	requests    int
	throttled   int
}

// NewHTTP starts a server with no routes (every path is 404 until Handle).
func NewHTTP() *HTTP {
	s := &HTTP{mux: http.NewServeMux()}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// URL returns the server's base URL, http://127.0.0.1:port.
func (s *HTTP) URL() string { return s.srv.URL }

// Close shuts the server down, ending the connections in flight.
func (s *HTTP) Close() {
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// Handle registers a public route. pattern is a net/http ServeMux pattern,
// for example "GET /api/v1/time".
func (s *HTTP) Handle(pattern string, h http.HandlerFunc) { s.mux.HandleFunc(pattern, h) }

// HandlePrivate registers a route that needs credentials: it answers as
// ExpireAuth says while that fault is on, and calls h otherwise. Checking
// the request's key and signature is h's job (VerifyHMACSHA256, InWindow).
func (s *HTTP) HandlePrivate(pattern string, h http.HandlerFunc) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		body := s.expired
		s.mu.Unlock()
		if body != nil {
			writeBody(w, http.StatusUnauthorized, "application/json", body)
			return
		}
		h(w, r)
	})
}

// Delay makes every reply wait d before it is processed (0: no delay).
func (s *HTTP) Delay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delay = d
}

// Throttle refuses every request for d from now with 429 Too Many Requests
// and a Retry-After header giving the time left, in seconds with a
// millisecond fraction when d is not a whole number of seconds (real venues
// send whole seconds; fractions keep tests short). Throttle(0) ends it.
func (s *HTTP) Throttle(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.throttleEnd = time.Now().Add(d)
}

// Maintenance makes every request get a 503 with MaintenancePage (on), or
// be served again (off).
func (s *HTTP) Maintenance(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.maintenance = on
}

// ExpireAuth makes private routes answer 401 Unauthorized with body, the
// venue's own error (for example {"code":1004,"msg":"API key expired"}),
// as a venue does when a key, listen key or token has expired; a nil body
// serves them again.
func (s *HTTP) ExpireAuth(body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expired = body
}

// Skew sets how far the venue's clock runs ahead of the local clock
// (negative: behind).
func (s *HTTP) Skew(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.skew = d
}

// Now returns the venue's clock: the local time plus the skew.
func (s *HTTP) Now() time.Time {
	s.mu.Lock()
	skew := s.skew
	s.mu.Unlock()
	return time.Now().Add(skew)
}

// InWindow reports whether ts, a signed request's timestamp, lies within
// window of the venue's clock either way, as venues check a request's
// timestamp against their receive window.
func (s *HTTP) InWindow(ts time.Time, window time.Duration) bool {
	d := s.Now().Sub(ts)
	return d <= window && d >= -window
}

// Requests returns how many requests the server has received, faults
// included.
func (s *HTTP) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// Throttled returns how many requests Throttle has refused.
func (s *HTTP) Throttled() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.throttled
}

func (s *HTTP) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests++
	delay := s.delay
	s.mu.Unlock()
	if delay > 0 {
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	s.mu.Lock()
	maintenance := s.maintenance
	left := time.Until(s.throttleEnd)
	if !maintenance && left > 0 {
		s.throttled++
	}
	s.mu.Unlock()
	switch {
	case maintenance:
		writeBody(w, http.StatusServiceUnavailable, "text/html; charset=utf-8", []byte(MaintenancePage))
	case left > 0:
		w.Header().Set("Retry-After", retryAfter(left))
		writeBody(w, http.StatusTooManyRequests, "application/json", []byte(`{"error":"too many requests"}`))
	default:
		s.mux.ServeHTTP(w, r)
	}
}

// retryAfter formats d as Retry-After seconds, rounded up to the
// millisecond so that a client waiting it out arrives after the end.
func retryAfter(d time.Duration) string {
	ms := (d + time.Millisecond - 1) / time.Millisecond
	if ms%1000 == 0 {
		return strconv.FormatInt(int64(ms/1000), 10)
	}
	return strconv.FormatFloat(float64(ms)/1000, 'f', -1, 64)
}

func writeBody(w http.ResponseWriter, status int, contentType string, body []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// WriteJSON writes v as a JSON reply with status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeBody(w, status, "application/json", b)
}

// SignHMACSHA256 returns the lower-case hex HMAC-SHA256 of msg keyed with
// secret, the signature most venues use for their REST and login requests.
func SignHMACSHA256(secret string, msg []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(msg)
	return hex.EncodeToString(m.Sum(nil))
}

// VerifyHMACSHA256 reports whether sig, in hex of either case, is the
// HMAC-SHA256 of msg keyed with secret. The comparison takes constant time.
func VerifyHMACSHA256(secret string, msg []byte, sig string) bool {
	got, err := hex.DecodeString(sig)
	if err != nil {
		return false
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(msg)
	return hmac.Equal(got, m.Sum(nil))
}
