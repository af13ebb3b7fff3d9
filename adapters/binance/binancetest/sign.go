package binancetest

import (
	"bytes"
	"encoding/json"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/unifex-go/unifex/internal/fakeserver"
)

// Request security as Binance checks it (the protocol card §4, rest-api.md
// "SIGNED Endpoint security" and web-socket-api.md "SIGNED request
// security"):
//
//   - REST signs the query string concatenated, without separator, with
//     the body, exactly as sent (percent-encoded, in the order sent),
//     without the signature parameter;
//   - the WebSocket API signs every parameter but signature, sorted by
//     name, as name=value joined with &, values unencoded;
//   - HMAC signatures are hex, compared without regard to case;
//   - a request is refused unless timestamp < serverTime + 1000 and
//     serverTime - timestamp <= recvWindow (default 5000, at most 60000).

// restPayload splits a REST request's signed payload from its signature:
// rawQuery and body as sent, minus the signature parameter (the query's
// when both carry one). found is false when neither does.
func restPayload(rawQuery string, body []byte) (payload []byte, signature string, found bool) {
	query, sig, inQuery := cutParam(rawQuery, "signature")
	rest, bodySig, inBody := cutParam(string(body), "signature")
	switch {
	case inQuery:
		signature = sig
	case inBody:
		signature = bodySig
	default:
		return nil, "", false
	}
	if unescaped, err := url.QueryUnescape(signature); err == nil {
		signature = unescaped
	}
	return []byte(query + rest), signature, true
}

// cutParam removes the first name=value pair from an &-joined string,
// leaving the others exactly as they were.
func cutParam(s, name string) (rest, value string, found bool) {
	if s == "" {
		return s, "", false
	}
	pairs := strings.Split(s, "&")
	for i, p := range pairs {
		k, v, _ := strings.Cut(p, "=")
		if k == name {
			return strings.Join(append(pairs[:i:i], pairs[i+1:]...), "&"), v, true
		}
	}
	return s, "", false
}

// wsPayload builds a WebSocket API request's signed payload from its
// params: all but signature, sorted by name, name=value with the value as
// written (a JSON string's content, a number's or boolean's literal text).
func wsPayload(params map[string]json.RawMessage) (payload []byte, signature string) {
	names := make([]string, 0, len(params))
	for name := range params {
		if name != "signature" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	var b bytes.Buffer
	for i, name := range names {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(name)
		b.WriteByte('=')
		b.WriteString(rawValue(params[name]))
	}
	return b.Bytes(), rawValue(params["signature"])
}

// rawValue is a JSON value as a parameter value: a string's content, or
// the literal text of anything else.
func rawValue(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(bytes.TrimSpace(raw))
}

// verifySignature checks an HMAC-SHA256 hex signature of payload.
func verifySignature(secret string, payload []byte, signature string) bool {
	return fakeserver.VerifyHMACSHA256(secret, payload, signature)
}

// maxRecvWindow is the largest recvWindow Binance accepts, in ms.
const maxRecvWindow = 60000

// checkTimestamp applies Binance's timing rule to a signed request's
// timestamp and recvWindow parameters at serverTime. Spot accepts
// timestamps in microseconds and recvWindow with three decimals; futures
// take whole milliseconds.
func checkTimestamp(spot bool, timestamp, recvWindow string, serverTime time.Time) *apiError {
	ts, err := strconv.ParseInt(timestamp, 10, 64)
	if timestamp == "" || err != nil || ts <= 0 {
		return mandatory("timestamp")
	}
	tsMicros := ts * 1000
	if spot && ts >= 1e15 { // 16 digits: microseconds
		tsMicros = ts
	}
	windowMicros := int64(5000 * 1000)
	if recvWindow != "" {
		dec := 0
		if spot {
			dec = 3
		}
		w, err := parseUnits(recvWindow, dec)
		if err != nil || w <= 0 {
			return invalidParam("recvWindow")
		}
		windowMicros = w * pow10[3-dec]
		if windowMicros > maxRecvWindow*1000 {
			return invalidParam("recvWindow")
		}
	}
	now := serverTime.UnixMicro()
	switch {
	case tsMicros >= now+1_000_000:
		return reject(codeTimestamp, msgAhead)
	case now-tsMicros > windowMicros:
		return reject(codeTimestamp, msgOutsideWindow)
	}
	return nil
}
