package binancetest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The WebSocket API (spot /ws-api/v3, USD-M /ws-fapi/v1, COIN-M
// /ws-dapi/v1): requests {"id","method","params"} answered {"id","status",
// "result"|"error","rateLimits"}, every signed request carrying apiKey,
// timestamp and a signature over its sorted parameters. Spot's user data
// arrives here, after userDataStream.subscribe.signature.

// apiRequest is one WebSocket API request.
type apiRequest struct {
	ID     json.RawMessage            `json:"id"`
	Method string                     `json:"method"`
	Params map[string]json.RawMessage `json:"params"`
}

// apiResponse is the reply to one request.
type apiResponse struct {
	ID         json.RawMessage `json:"id"`
	Status     int             `json:"status"`
	Result     any             `json:"result,omitempty"`
	Error      *apiError       `json:"error,omitempty"`
	RateLimits []apiRateLimit  `json:"rateLimits,omitempty"`
}

// apiRateLimit is one entry of rateLimits.
type apiRateLimit struct {
	Type        string `json:"rateLimitType"`
	Interval    string `json:"interval"`
	IntervalNum int    `json:"intervalNum"`
	Limit       int    `json:"limit"`
	Count       int    `json:"count"`
}

// apiMethod is one WebSocket API method.
type apiMethod struct {
	weight int
	sec    security
	h      func(sess *session, q url.Values, now time.Time) (any, *apiError)
}

// apiMethods are the product's methods.
func (s *Server) apiMethods() map[string]apiMethod {
	order := map[string]apiMethod{
		"order.place": {1, secSigned, func(_ *session, q url.Values, now time.Time) (any, *apiError) {
			return s.restNewOrder(q, now)
		}},
		"order.cancel": {1, secSigned, func(_ *session, q url.Values, now time.Time) (any, *apiError) {
			return s.restCancelOrder(q, now)
		}},
		"order.status": {s.pick(4, 1, 1), secSigned, func(_ *session, q url.Values, now time.Time) (any, *apiError) {
			return s.restQueryOrder(q, now)
		}},
	}
	s.editMethods(order)
	if s.cfg.Product == Spot {
		order["ping"] = apiMethod{1, secNone, func(*session, url.Values, time.Time) (any, *apiError) { return struct{}{}, nil }}
		order["time"] = apiMethod{1, secNone, func(_ *session, _ url.Values, now time.Time) (any, *apiError) {
			return map[string]int64{"serverTime": now.UnixMilli()}, nil
		}}
		order["openOrders.status"] = apiMethod{6, secSigned, func(_ *session, q url.Values, now time.Time) (any, *apiError) {
			return s.restOpenOrders(q, now)
		}}
		order["account.status"] = apiMethod{20, secSigned, func(_ *session, q url.Values, now time.Time) (any, *apiError) {
			return s.restSpotAccount(q, now)
		}}
		order["userDataStream.subscribe.signature"] = apiMethod{2, secSigned, s.subscribeUserData}
		order["userDataStream.unsubscribe"] = apiMethod{2, secNone, s.unsubscribeUserData}
		order["session.subscriptions"] = apiMethod{2, secNone, func(sess *session, _ url.Values, _ time.Time) (any, *apiError) {
			list := []map[string]int{}
			if sess.userSub >= 0 {
				list = append(list, map[string]int{"subscriptionId": sess.userSub})
			}
			return list, nil
		}}
		return order
	}
	order["account.balance"] = apiMethod{5, secSigned, func(_ *session, q url.Values, now time.Time) (any, *apiError) {
		return s.restFuturesBalance(q, now)
	}}
	order["account.status"] = apiMethod{5, secSigned, func(_ *session, q url.Values, now time.Time) (any, *apiError) {
		return s.futuresAccount(false)(q, now)
	}}
	order["userDataStream.start"] = apiMethod{1, secUserStream, func(_ *session, q url.Values, now time.Time) (any, *apiError) {
		return s.restStartListenKey(q, now)
	}}
	order["userDataStream.ping"] = apiMethod{1, secUserStream, func(_ *session, q url.Values, now time.Time) (any, *apiError) {
		return s.restKeepListenKey(q, now)
	}}
	order["userDataStream.stop"] = apiMethod{1, secUserStream, func(_ *session, q url.Values, now time.Time) (any, *apiError) {
		return s.restCloseListenKey(q, now)
	}}
	return order
}

// apiRequest answers one WebSocket API request.
func (s *Server) apiRequest(sess *session, data []byte) {
	var req apiRequest
	if err := json.Unmarshal(data, &req); err != nil {
		sess.c.send(mustJSON(apiResponse{ID: json.RawMessage("null"), Status: http.StatusBadRequest,
			Error: reject(codeInvalidJSON, "Invalid JSON Request")}))
		return
	}
	if len(req.ID) == 0 {
		req.ID = json.RawMessage("null")
	}
	method := req.Method
	if v, rest, ok := strings.Cut(method, "/"); ok && len(v) == 2 && v[0] == 'v' { // "v3/order.place"
		method = rest
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	resp := apiResponse{ID: req.ID, Status: http.StatusOK}
	m, known := s.methods[method]
	q := url.Values{}
	for name, raw := range req.Params {
		q.Set(name, rawValue(raw))
	}
	switch {
	case !known:
		resp.Error = rejectf(codeUnsupportedOp, "Unknown method '%s'.", req.Method)
	case s.rest.maintenance:
		resp.Error = &apiError{Code: codeMaintenance, Msg: msgMaintenance, status: http.StatusServiceUnavailable}
	default:
		resp.Error = s.authAPI(req.Params, q, m.sec, now)
	}
	if resp.Error == nil {
		resp.Result, resp.Error = m.h(sess, q, now)
	}
	if resp.Error != nil {
		resp.Status, resp.Result = resp.Error.status, nil
	}
	used := s.useWeight(max(m.weight, 1), now)
	show := !sess.noRateLimits
	if v := q.Get("returnRateLimits"); v != "" {
		show = v != "false"
	}
	if show {
		resp.RateLimits = []apiRateLimit{{"REQUEST_WEIGHT", "MINUTE", 1, s.pick(6000, 2400, 2400), used}}
	}
	sess.c.send(mustJSON(resp))
}

// authAPI checks a request's apiKey, signature (over its sorted params)
// and timestamp, as the method's security type asks.
func (s *Server) authAPI(params map[string]json.RawMessage, q url.Values, sec security, now time.Time) *apiError {
	if sec == secNone {
		return nil
	}
	if q.Get("apiKey") == "" {
		return mandatory("apiKey")
	}
	if e := s.checkKey(q.Get("apiKey")); e != nil || sec == secUserStream {
		return e
	}
	payload, sig := wsPayload(params)
	if sig == "" {
		return mandatory("signature")
	}
	if !verifySignature(s.secret(), payload, sig) {
		return reject(codeSignature, msgSignature)
	}
	return checkTimestamp(s.cfg.Product == Spot, q.Get("timestamp"), q.Get("recvWindow"), now)
}

// subscribeUserData starts the connection's user-data subscription (one
// per account and connection).
func (s *Server) subscribeUserData(sess *session, _ url.Values, _ time.Time) (any, *apiError) {
	if sess.userSub >= 0 {
		return nil, reject(codeSubActive, "User Data Stream subscription already active.")
	}
	sess.userSub = sess.nextSubID
	sess.nextSubID++
	return map[string]int{"subscriptionId": sess.userSub}, nil
}

// unsubscribeUserData ends the subscription; the connection receives
// eventStreamTerminated.
func (s *Server) unsubscribeUserData(sess *session, _ url.Values, now time.Time) (any, *apiError) {
	if sess.userSub < 0 {
		return nil, reject(codeSubInactive, "User Data Stream subscription not active.")
	}
	sess.c.send(subscriptionEvent(sess.userSub, mustJSON(map[string]any{"e": "eventStreamTerminated", "E": now.UnixMilli()})))
	sess.userSub = -1
	return struct{}{}, nil
}
