package bybittest

import (
	"net/http"
	"strconv"
	"time"

	"github.com/unifex-go/unifex/internal/fakeserver"
)

// Signed requests (guide: "Authentication for API endpoints"): headers
// X-BAPI-API-KEY, X-BAPI-TIMESTAMP (ms), X-BAPI-RECV-WINDOW (default 5000)
// and X-BAPI-SIGN, the lower-case hex HMAC-SHA256 of timestamp + key +
// recvWindow + (the query string of a GET | the raw body of a POST). The
// timestamp must satisfy server_time - recv_window <= timestamp <
// server_time + 1000.

// signString is the string a V5 REST request is signed over.
func signString(timestamp, key, recvWindow, payload string) string {
	return timestamp + key + recvWindow + payload
}

// authString is the string a WebSocket auth signs: "GET/realtime" and the
// expiry in milliseconds.
func authString(expires int64) string { return "GET/realtime" + strconv.FormatInt(expires, 10) }

// secretLocked is the secret signatures are checked with (a wrong one
// while RejectSignatures is on).
func (s *Server) secretLocked() string {
	if s.badSig {
		return s.cfg.Secret + "-rejected"
	}
	return s.cfg.Secret
}

// checkAuth verifies a signed request's headers against payload.
func (s *Server) checkAuth(r *http.Request, payload string) *apiError {
	key, ts, sig := r.Header.Get("X-BAPI-API-KEY"), r.Header.Get("X-BAPI-TIMESTAMP"), r.Header.Get("X-BAPI-SIGN")
	window := r.Header.Get("X-BAPI-RECV-WINDOW")
	if key == "" || ts == "" || sig == "" {
		return &apiError{codeAPIKey, "API key is invalid."}
	}
	if key != s.cfg.APIKey {
		return &apiError{codeAPIKey, "API key is invalid."}
	}
	if window == "" {
		window = "5000"
	}
	ms, err1 := strconv.ParseInt(ts, 10, 64)
	win, err2 := strconv.ParseInt(window, 10, 64)
	if err1 != nil || err2 != nil || win <= 0 {
		return paramErr("params error: X-BAPI-TIMESTAMP or X-BAPI-RECV-WINDOW is invalid")
	}
	now := s.now().UnixMilli()
	if ms < now-win || ms >= now+1000 {
		return &apiError{codeTimestamp, "invalid request, please check your server timestamp or recv_window param. req_timestamp[" +
			ts + "],server_timestamp[" + itoa(now) + "],recv_window[" + window + "]"}
	}
	s.mu.Lock()
	secret := s.secretLocked()
	s.mu.Unlock()
	if !fakeserver.VerifyHMACSHA256(secret, []byte(signString(ts, key, window, payload)), sig) {
		return &apiError{codeSign, "error sign! origin_string[" + signString(ts, key, window, payload) + "]"}
	}
	return nil
}

// window counts one endpoint's requests in the current second.
type window struct {
	second int64
	used   int
}

// take counts a request to path against limit per second; it returns the
// requests left and the reset time, and ok false when over the limit.
func (s *Server) take(path string, limit int, now time.Time) (left int, reset time.Time, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.limits[path]
	if w == nil {
		w = &window{}
		s.limits[path] = w
	}
	if sec := now.Unix(); sec != w.second {
		w.second, w.used = sec, 0
	}
	w.used++
	reset = now.Truncate(time.Second).Add(time.Second)
	if w.used > limit {
		return 0, reset, false
	}
	return limit - w.used, now, true
}

// orderLimits are Bybit's per-second order limits by product (docs
// v5/rate-limit, Trade table, default UTA2.0 Pro columns: inverse and
// linear share one cell, counted here as one "futures" window).
var orderLimits = map[string]map[string]int{
	"/v5/order/create":     {"futures": 10, "option": 10, "spot": 20},
	"/v5/order/amend":      {"futures": 10, "option": 10, "spot": 10},
	"/v5/order/cancel":     {"futures": 10, "option": 10, "spot": 20},
	"/v5/order/cancel-all": {"futures": 10, "option": 1, "spot": 20},
}

// orderWindow is the window an order endpoint's request counts in, one per
// product with the product's limit; other paths keep theirs.
func orderWindow(path, category string, limit int) (string, int) {
	byProduct, ok := orderLimits[path]
	if !ok {
		return path, limit
	}
	product := category
	if category == "linear" || category == "inverse" {
		product = "futures"
	}
	if l, ok := byProduct[product]; ok {
		return path + " " + product, l
	}
	return path, limit
}

// signed serves a private route: it checks the signature and the
// endpoint's per-second limit (per product for orders: orderWindow;
// X-Bapi-Limit headers on every reply), then runs h.
func (s *Server) signed(w http.ResponseWriter, r *http.Request, path string, limit int, h func(p params) (any, *apiError)) {
	p, payload, perr := readParams(r)
	if perr == nil {
		perr = s.checkAuth(r, payload)
	}
	if perr != nil {
		s.fail(w, perr.code, perr.msg)
		return
	}
	key, limit := orderWindow(path, p.str("category"), limit)
	left, reset, ok := s.take(key, limit, time.Now())
	w.Header().Set("X-Bapi-Limit", strconv.Itoa(limit))
	w.Header().Set("X-Bapi-Limit-Status", strconv.Itoa(left))
	w.Header().Set("X-Bapi-Limit-Reset-Timestamp", itoa(reset.UnixMilli()))
	if !ok {
		s.fail(w, codeRateLimit, "Too many visits. Exceeded the API Rate Limit.")
		return
	}
	res, err := h(p)
	if err != nil {
		s.fail(w, err.code, err.msg)
		return
	}
	s.ok(w, res)
}

// verify checks a hex HMAC-SHA256 signature of msg.
func verify(secret, msg, sig string) bool {
	return fakeserver.VerifyHMACSHA256(secret, []byte(msg), sig)
}
