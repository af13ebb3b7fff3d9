package bybit

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/internal/rest"
)

// Bybit answers every REST call with HTTP 200 and the envelope
// {"retCode":0,"retMsg":"OK","result":{...},"retExtInfo":{},"time":ms};
// any other retCode is a refusal. The trade stream answers
// {"reqId","retCode","retMsg","op","data",...} the same way. One table
// (codeKinds) places the codes in the taxonomy: the card's (from CCXT's
// exceptions map), checked against docs/v5/error.mdx, with these choices
// of our own:
//
//   - 10000 (server timeout) is a RequestTimeout and 10016 (internal
//     error, service restarting) ExchangeNotAvailable: neither says the
//     request was refused, so an order's outcome is unknown after them;
//   - 110008 and 110010 (the order is already finished or canceled) are
//     OrderNotFound (an InvalidOrder), as a cancel of a finished order is
//     on the other venues; 170121 (invalid spot symbol) is BadSymbol;
//   - 10009 (region restricted) is RestrictedLocation, not CCXT's
//     AuthenticationError: the key is fine, the place is not;
//   - on the trade stream 10003 is "too many sessions under the same UID"
//     (a RateLimitExceeded) except in the auth reply, where it is the
//     REST meaning, an invalid key.
//
// Sources: bybit-exchange/docs docs/v5/error.mdx (UTA, spot and WS OE
// tables), shared/exchanges/bybit.md §9.

// codeKinds maps retCodes to kinds; codes not listed are ExchangeErrors.
var codeKinds = map[int64]*errors.Kind{
	-1:    errors.InvalidNonce, // request expired
	429:   errors.ExchangeNotAvailable,
	-2015: errors.AuthenticationError,
	33004: errors.AuthenticationError,
	10000: errors.RequestTimeout,
	10001: errors.BadRequest,
	10002: errors.InvalidNonce,
	10003: errors.AuthenticationError,
	10004: errors.AuthenticationError,
	10005: errors.PermissionDenied,
	10006: errors.RateLimitExceeded,
	10007: errors.AuthenticationError,
	10008: errors.AccountSuspended,
	10009: errors.RestrictedLocation,
	10010: errors.PermissionDenied,
	10014: errors.BadRequest,
	10016: errors.ExchangeNotAvailable,
	10017: errors.BadRequest,
	10018: errors.RateLimitExceeded,
	10024: errors.PermissionDenied,
	10027: errors.PermissionDenied,
	10028: errors.PermissionDenied,
	10029: errors.PermissionDenied,
	// The trade stream's own codes.
	10019: errors.ExchangeNotAvailable,
	10403: errors.RateLimitExceeded,
	10404: errors.BadRequest,
	10429: errors.DDoSProtection,
	20001: errors.BadRequest, // repeat auth
	20003: errors.RateLimitExceeded,
	20006: errors.BadRequest, // duplicate reqId
	// Derivatives and unified-account trading.
	110001: errors.OrderNotFound,
	110003: errors.InvalidOrder,
	110004: errors.InsufficientFunds,
	110006: errors.InsufficientFunds,
	110007: errors.InsufficientFunds,
	110008: errors.OrderNotFound,
	110010: errors.OrderNotFound,
	110012: errors.InsufficientFunds,
	110014: errors.InsufficientFunds,
	110017: errors.InvalidOrder,
	110020: errors.InvalidOrder,
	110025: errors.NoChange,
	110026: errors.MarginModeAlreadySet,
	110027: errors.NoChange,
	110043: errors.NoChange, // leverage not modified
	110044: errors.InsufficientFunds,
	110045: errors.InsufficientFunds,
	110072: errors.DuplicateOrderId,
	110094: errors.InvalidOrder,
	// Spot.
	170121: errors.BadSymbol,
	170124: errors.InvalidOrder,
	170131: errors.InsufficientFunds,
	170132: errors.InvalidOrder,
	170133: errors.InvalidOrder,
	170134: errors.InvalidOrder,
	170135: errors.InvalidOrder,
	170136: errors.InvalidOrder,
	170137: errors.InvalidOrder,
	170140: errors.InvalidOrder,
	170141: errors.DuplicateOrderId,
	170142: errors.InvalidOrder,
	170143: errors.InvalidOrder,
	170213: errors.OrderNotFound,
	// The asset endpoints (wallet.go): withdrawals and transfers.
	131002: errors.BadRequest,
	131085: errors.InsufficientFunds,
	131093: errors.PermissionDenied, // withdrawal address not in the whitelist
	131212: errors.InsufficientFunds,
}

// codeKind places a retCode in the taxonomy.
func codeKind(code int64) *errors.Kind {
	if k, ok := codeKinds[code]; ok {
		return k
	}
	return errors.ExchangeError
}

// retCode is a retCode written as a JSON number or, in recorded copies
// (CCXT's fixtures), a string.
type retCode struct {
	n   int64
	set bool
}

// UnmarshalJSON reads 0, "0" or null.
func (c *retCode) UnmarshalJSON(b []byte) error {
	b = bytes.Trim(b, `"`)
	if string(b) == "null" {
		return nil
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return errors.Wrap(errors.BadResponse, err, "a retCode that is not an integer")
	}
	c.n, c.set = n, true
	return nil
}

// apiError is the error of a refused call.
func apiError(code int64, msg string, status int) *errors.Error {
	return &errors.Error{Kind: codeKind(code), Exchange: ID, Code: strconv.FormatInt(code, 10), Message: redact(msg), HTTPStatus: status}
}

// redact removes what a message quotes of the signed request: Bybit's
// 10004 reply ends "origin_string[<timestamp><API key><window><params>]",
// and the key must not reach errors or logs.
func redact(msg string) string {
	const marker = "origin_string["
	i := strings.Index(msg, marker)
	if i < 0 {
		return msg
	}
	end := strings.Index(msg[i:], "]")
	if end < 0 {
		return msg[:i] + marker + "redacted]"
	}
	return msg[:i] + marker + "redacted]" + redact(msg[i+end+1:])
}

// checkError is the rest.Config.CheckError hook. A body in Bybit's
// envelope with a retCode other than 0 is a refusal whatever the status;
// a non-2xx reply without one is left to the transport's status table,
// except 403, which Bybit sends for its IP rate limit (600 requests in 5
// s; the ban lasts at least 10 minutes) and for US IPs: a DDoSProtection
// that is not retried at once.
func checkError(resp *rest.Response) error {
	var env struct {
		RetCode retCode `json:"retCode"`
		RetMsg  string  `json:"retMsg"`
	}
	body := bytes.TrimSpace(resp.Body)
	if len(body) > 0 && body[0] == '{' && json.Unmarshal(body, &env) == nil && env.RetCode.set {
		if env.RetCode.n == 0 {
			return nil
		}
		return apiError(env.RetCode.n, env.RetMsg, resp.Status)
	}
	if resp.Status == 403 {
		return &errors.Error{Kind: errors.DDoSProtection, Exchange: ID, HTTPStatus: resp.Status,
			Message: "forbidden: Bybit's IP rate limit (wait at least 10 minutes) or a restricted location"}
	}
	return nil
}

// tradeError is the error of a refused trade-stream op (10003: see the
// list at the top of this file).
func tradeError(op string, code int64, msg string) *errors.Error {
	e := apiError(code, msg, 0)
	if code == 10003 && op != "auth" {
		e.Kind = errors.RateLimitExceeded
	}
	return e
}
