package okxtest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/unifex-go/unifex/internal/fakeserver"
)

// The REST API: /api/v5 routes, replies in OKX's envelope
// {"code":"0","msg":"","data":[...]}, signed routes checked as OKX does
// (OK-ACCESS-KEY, -SIGN, -TIMESTAMP, -PASSPHRASE; HMAC-SHA256, base64, of
// timestamp + method + path with query + body), and the faults.

// restState is the REST side's faults and counters.
type restState struct {
	throttleEnd time.Time
	throttled   int
	expired     bool // the API key is refused (ExpireAuth)
	rotated     bool // signatures are checked with another secret
}

// apiError is an OKX error reply: HTTP status, code and message.
type apiError struct {
	status    int
	code, msg string
}

func (e *apiError) Error() string { return e.code + " " + e.msg }

func badParam(name string) *apiError {
	return &apiError{http.StatusBadRequest, "51000", "Parameter " + name + " error"}
}

func emptyParam(name string) *apiError {
	return &apiError{http.StatusBadRequest, "50014", "Parameter " + name + " can not be empty"}
}

// handler answers a request: its query, its JSON body (signed POSTs) and
// the time; data is the envelope's data, or a complete reply (envelope).
type handler func(q url.Values, body []byte, now time.Time) (any, *apiError)

// envelope is a reply whose top-level code is not "0" although it has
// data: order operations that failed (code "1") per item.
type envelope struct {
	Code string `json:"code"`
	Msg  string `json:"msg"`
	Data any    `json:"data"`
}

// routeREST registers the endpoints.
func (s *Server) routeREST() {
	pub := map[string]handler{
		"GET /api/v5/public/instruments":     s.restInstruments,
		"GET /api/v5/public/time":            s.restTime,
		"GET /api/v5/public/underlying":      s.restUnderlying,
		"GET /api/v5/market/books":           s.restBooks,
		"GET /api/v5/market/tickers":         s.restTickers,
		"GET /api/v5/market/ticker":          s.restTicker,
		"GET /api/v5/market/trades":          s.restTrades,
		"GET /api/v5/market/candles":         s.restCandles(300, 1440),
		"GET /api/v5/market/history-candles": s.restCandles(100, 0),
		"GET /api/v5/public/funding-rate":    s.restFundingRate,
	}
	for pattern, h := range pub {
		s.api.Handle(pattern, s.serve(h, false))
	}
	priv := map[string]handler{
		"GET /api/v5/account/balance":            s.restBalance,
		"GET /api/v5/account/positions":          s.restPositions,
		"POST /api/v5/account/set-leverage":      s.restSetLeverage,
		"GET /api/v5/account/leverage-info":      s.restLeverageInfo, // leverage.go
		"POST /api/v5/trade/order":               s.restPlace,
		"GET /api/v5/trade/order":                s.restQuery,
		"POST /api/v5/trade/cancel-order":        s.restCancel,
		"POST /api/v5/trade/cancel-batch-orders": s.restCancelBatch, // batch.go
		"POST /api/v5/trade/amend-order":         s.restAmend,
		"GET /api/v5/trade/orders-pending":       s.restOpenOrders,
		"GET /api/v5/trade/orders-history":       s.restOrderHistory,
		"GET /api/v5/trade/fills":                s.restFills,
	}
	for pattern, h := range s.algoRoutes() {
		priv[pattern] = h
	}
	for pattern, h := range s.walletRoutes() {
		priv[pattern] = h
	}
	for pattern, h := range priv {
		s.api.HandlePrivate(pattern, s.serve(h, true))
	}
	s.api.Handle("/", func(w http.ResponseWriter, _ *http.Request) {
		fakeserver.WriteJSON(w, http.StatusNotFound, envelope{Code: "50030", Msg: "Illegal request", Data: []any{}})
	})
}

// serve wraps a handler with the throttle, authentication and the
// envelope.
func (s *Server) serve(h handler, signed bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if left := time.Until(s.rest.throttleEnd); left > 0 {
			s.rest.throttled++
			w.Header().Set("Retry-After", strconv.FormatInt(int64(math.Ceil(left.Seconds())), 10))
			fakeserver.WriteJSON(w, http.StatusTooManyRequests, envelope{Code: "50011", Msg: "Too Many Requests", Data: []any{}})
			return
		}
		now := s.now()
		if signed {
			if e := s.authenticate(r, body, now); e != nil {
				fakeserver.WriteJSON(w, e.status, envelope{Code: e.code, Msg: e.msg, Data: []any{}})
				return
			}
		}
		data, e := h(r.URL.Query(), body, now)
		switch v := data.(type) {
		case nil:
		case envelope:
			fakeserver.WriteJSON(w, http.StatusOK, v)
			return
		default:
			fakeserver.WriteJSON(w, http.StatusOK, envelope{Code: "0", Data: data})
			return
		}
		fakeserver.WriteJSON(w, e.status, envelope{Code: e.code, Msg: e.msg, Data: []any{}})
	}
}

// authenticate checks a signed request's headers and signature.
func (s *Server) authenticate(r *http.Request, body []byte, now time.Time) *apiError {
	key, sign := r.Header.Get("OK-ACCESS-KEY"), r.Header.Get("OK-ACCESS-SIGN")
	ts, pass := r.Header.Get("OK-ACCESS-TIMESTAMP"), r.Header.Get("OK-ACCESS-PASSPHRASE")
	unauthorized := func(code, msg string) *apiError { return &apiError{http.StatusUnauthorized, code, msg} }
	switch {
	case key == "":
		return unauthorized("50103", "Request header OK-ACCESS-KEY can not be empty.")
	case pass == "":
		return unauthorized("50104", "Request header OK-ACCESS-PASSPHRASE can not be empty.")
	case sign == "":
		return unauthorized("50106", "Request header OK-ACCESS-SIGN can not be empty.")
	case ts == "":
		return unauthorized("50107", "Request header OK-ACCESS-TIMESTAMP can not be empty.")
	case s.rest.expired || key != s.cfg.APIKey:
		return unauthorized("50111", "Invalid OK-ACCESS-KEY.")
	case pass != s.cfg.Passphrase:
		return unauthorized("50105", "Request header OK-ACCESS-PASSPHRASE incorrect.")
	case (r.Header.Get("x-simulated-trading") == "1") != s.cfg.Demo:
		return unauthorized("50101", "APIKey does not match current environment.")
	}
	t, err := time.Parse(time.RFC3339Nano, ts)
	if err != nil {
		return unauthorized("50112", "Invalid OK-ACCESS-TIMESTAMP.")
	}
	if d := now.Sub(t); d > 30*time.Second || d < -30*time.Second {
		return unauthorized("50102", "Timestamp request expired.")
	}
	if !verify(s.secretLocked(), ts+r.Method+r.URL.RequestURI()+string(body), sign) {
		return unauthorized("50113", "Invalid Sign.")
	}
	return nil
}

// secretLocked is the secret signatures are checked with: another one
// while RejectSignatures is on.
func (s *Server) secretLocked() string {
	if s.rest.rotated {
		return s.cfg.Secret + "-rotated"
	}
	return s.cfg.Secret
}

// Sign is OKX's signature: base64 of the HMAC-SHA256 of prehash keyed
// with secret. A REST prehash is timestamp + METHOD + requestPath (with
// the query) + body; a WebSocket login's is timestamp + "GET" +
// "/users/self/verify".
func Sign(secret, prehash string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(prehash))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// verify compares a signature in constant time.
func verify(secret, prehash, sign string) bool {
	got, err := base64.StdEncoding.DecodeString(sign)
	if err != nil {
		return false
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(prehash))
	return hmac.Equal(got, mac.Sum(nil))
}

// parseSeconds reads a login timestamp: Unix seconds, decimals allowed.
func parseSeconds(ts string) (time.Time, error) {
	f, err := strconv.ParseFloat(ts, 64)
	if err != nil || f <= 0 || math.IsInf(f, 0) {
		return time.Time{}, fmt.Errorf("bad timestamp %q", ts)
	}
	return time.Unix(0, int64(f*1e9)), nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// limitOf reads a limit parameter: def when absent, an error past max.
func limitOf(q url.Values, def, maxN int) (int, *apiError) {
	v := q.Get("limit")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		return 0, badParam("limit")
	}
	return min(n, maxN), nil
}
