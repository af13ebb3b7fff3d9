package binance

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/internal/rest"
)

// Binance refuses a request with {"code":-1121,"msg":"Invalid symbol."}:
// over REST as the body of a 4xx or 5xx reply, over the WebSocket API as
// the "error" object of a reply whose "status" follows HTTP
// ({"status":400,"error":{"code":-2010,"msg":"..."}}), where a 418 or 429
// also carries "data":{"serverTime":ms,"retryAfter":ms}.
//
// One mapping (errorKind) places both in the taxonomy, in three steps:
//
//  1. the HTTP status where it says more than the code: 429 is a rate
//     limit, 418 an IP ban (DDoSProtection), 403 the web application
//     firewall (DDoSProtection: a rate-limit violation or a security
//     block), 5xx a server failure whose execution status is UNKNOWN
//     (ExchangeNotAvailable; -1007 stays RequestTimeout and a maintenance
//     reply OnMaintenance);
//  2. the code, in the table of the product that sent it (spot, USDⓈ-M and
//     COIN-M reuse numbers with different meanings: -2021, -2022, -2026,
//     -4087, -4088, -4202, ...), then in the table of codes every product
//     shares, then by range (-11xx and -12xx request errors are
//     BadRequest; futures -4xxx and -5xxx order errors InvalidOrder);
//  3. for the codes whose text comes from the matching engine (-1010,
//     -1013, -2010, -2011, -2038) the message, which names the reason
//     ("Account has insufficient balance for requested action.").
//
// Sources: binance-spot-api-docs errors.md and rest-api.md "HTTP Return
// Codes" (commit a5e0bc3, 2026-07-21); web-socket-api.md "Status codes" and
// "Rate limits"; developers.binance.com derivatives/usds-margined-futures
// and coin-margined-futures "Error Codes" and "General Info" (HTTP 403, 408,
// 418, 429, 5xx, 503).

// Exchange ids as the tables know them.
const (
	errSpot  = "binance"
	errUSDM  = "binanceusdm"
	errCOINM = "binancecoinm"
)

// checkError is the rest.Config.CheckError hook of the three Binance
// adapters. It reads the product from the endpoint's path (/api/ and /sapi/
// spot, /fapi/ USDⓈ-M, /dapi/ COIN-M, as the adapter's endpoint tables
// write them; any other path gets only the codes every product shares). It
// returns nil for a success, and for a failure whose body is not a Binance
// error and whose status tells nothing beyond the transport's status table;
// otherwise an *errors.Error with the product's id, the code as text, the
// message and the HTTP status. The transport adds RetryAfter from the
// Retry-After header Binance sends with 418 and 429.
func checkError(resp *rest.Response) error {
	exchange := productOfPath(resp.Endpoint.Path)
	body := bytes.TrimSpace(resp.Body)
	if resp.Status >= 200 && resp.Status <= 299 {
		// A success never carries a negative code; some futures endpoints
		// answer {"code":200,"msg":"success"}. Only a body that starts
		// like an error is decoded, so large replies cost nothing.
		if !bytes.HasPrefix(body, []byte(`{"code"`)) {
			return nil
		}
		if e, ok := decodeAPIError(body); ok && e.numeric && e.code < 0 {
			return e.toError(exchange, resp.Status)
		}
		return nil
	}
	if e, ok := decodeAPIError(body); ok {
		return e.toError(exchange, resp.Status)
	}
	switch {
	case resp.Status == 403:
		return &errors.Error{Kind: errors.DDoSProtection, Exchange: exchange, HTTPStatus: resp.Status,
			Message: "refused by Binance's web application firewall (a rate-limit violation or a security block)"}
	case resp.Status >= 500 && resp.Status <= 599:
		return &errors.Error{Kind: errors.ExchangeNotAvailable, Exchange: exchange, HTTPStatus: resp.Status,
			Message: "server error; the request's execution status is unknown"}
	}
	return nil
}

// wsAPIError maps the "error" object of a WebSocket API reply of the
// product exchange ("binance", "binanceusdm" or "binancecoinm") with the
// reply's status, as checkError maps REST replies. now is the local clock:
// RetryAfter is data.retryAfter measured from data.serverTime when the
// reply has both, else from now. An object that is not a Binance error is
// a BadResponse.
func wsAPIError(exchange string, status int, errObject []byte, now time.Time) *errors.Error {
	e, ok := decodeAPIError(bytes.TrimSpace(errObject))
	if !ok {
		return &errors.Error{Kind: errors.BadResponse, Exchange: exchange, HTTPStatus: status,
			Message: "WebSocket API error reply without a code"}
	}
	out := e.toError(exchange, status)
	if e.retryAfter > 0 {
		ref := now.UnixMilli()
		if e.serverTime > 0 {
			ref = e.serverTime
		}
		switch wait := e.retryAfter - ref; {
		case wait > maxBan.Milliseconds():
			out.RetryAfter = maxBan
		case wait > 0:
			out.RetryAfter = time.Duration(wait) * time.Millisecond
		}
	}
	return out
}

// maxBan bounds a retryAfter read from a reply: Binance's IP bans last at
// most three days.
const maxBan = 3 * 24 * time.Hour

// apiError is a decoded Binance error object.
type apiError struct {
	code       int64  // the code, when numeric
	numeric    bool   // whether codeText is an integer
	codeText   string // the code as sent
	msg        string
	serverTime int64 // data.serverTime, ms; 0 when absent
	retryAfter int64 // data.retryAfter, ms since the epoch; 0 when absent
	// failed is the refused part of a spot cancel-replace (-2021, -2022),
	// whose data carries each part's result; nil otherwise.
	failed *replacePart
}

// replacePart is the part of a cancel-replace that failed, and what
// became of the orders.
type replacePart struct {
	code    int64
	msg     string
	outcome string
}

// replaceData is the data of a cancel-replace refusal (web-socket-api.md
// and rest-api.md "Cancel and replace order"): each part's result, and a
// part's response, an order or {"code","msg"} when it failed.
type replaceData struct {
	CancelResult     string     `json:"cancelResult"`
	NewOrderResult   string     `json:"newOrderResult"`
	CancelResponse   *replyCode `json:"cancelResponse"`
	NewOrderResponse *replyCode `json:"newOrderResponse"`
}

// replyCode is the code and message of a response that may be an error.
type replyCode struct {
	Code json.Number `json:"code"`
	Msg  string      `json:"msg"`
}

// failedPart is the part of the cancel-replace that failed: the cancel
// when it failed, else the new order. It reports false when d names no
// failed part with a numeric code.
func (d *replaceData) failedPart() (*replacePart, bool) {
	r := d.CancelResponse
	var outcome string
	switch {
	case d.CancelResult == "FAILURE" && d.NewOrderResult == "SUCCESS": // ALLOW_FAILURE
		outcome = "the cancel was refused, but the new order was placed"
	case d.CancelResult == "FAILURE" && d.NewOrderResult == "FAILURE":
		outcome = "the cancel and the new order were refused"
	case d.CancelResult == "FAILURE":
		outcome = "the cancel was refused, so no new order was placed"
	case d.CancelResult == "SUCCESS" && d.NewOrderResult == "FAILURE":
		r, outcome = d.NewOrderResponse, "the order was canceled, but the new order was refused"
	default:
		return nil, false
	}
	if r == nil {
		return nil, false
	}
	code, err := strconv.ParseInt(r.Code.String(), 10, 64)
	if err != nil {
		return nil, false
	}
	return &replacePart{code: code, msg: r.Msg, outcome: outcome}, true
}

// decodeAPIError decodes {"code":...,"msg":...,"data":{...}}. It reports
// false for anything without a code that is a JSON number (an HTML page,
// another JSON shape).
func decodeAPIError(body []byte) (apiError, bool) {
	if len(body) == 0 || body[0] != '{' {
		return apiError{}, false
	}
	var raw struct {
		Code json.Number `json:"code"`
		Msg  string      `json:"msg"`
		Data struct {
			ServerTime json.Number `json:"serverTime"`
			RetryAfter json.Number `json:"retryAfter"`
		} `json:"data"`
	}
	if json.Unmarshal(body, &raw) != nil || raw.Code == "" {
		return apiError{}, false
	}
	e := apiError{codeText: raw.Code.String(), msg: raw.Msg}
	var err error
	e.code, err = strconv.ParseInt(e.codeText, 10, 64)
	e.numeric = err == nil
	e.serverTime, _ = strconv.ParseInt(raw.Data.ServerTime.String(), 10, 64)
	e.retryAfter, _ = strconv.ParseInt(raw.Data.RetryAfter.String(), 10, 64)
	if e.numeric && (e.code == -2021 || e.code == -2022) { // a data of another shape leaves the error as it is
		var replace struct {
			Data replaceData `json:"data"`
		}
		if json.Unmarshal(body, &replace) == nil {
			e.failed, _ = replace.Data.failedPart()
		}
	}
	return e, true
}

// toError maps e, a reply of the product exchange with HTTP status status.
// A spot cancel-replace refusal takes the kind of the part that failed
// (an unknown order to cancel is OrderNotFound), and its message says
// what became of the order.
func (e apiError) toError(exchange string, status int) *errors.Error {
	out := &errors.Error{
		Kind:       errorKind(exchange, status, e.code, e.numeric, e.msg),
		Exchange:   exchange,
		Code:       e.codeText,
		Message:    e.msg,
		HTTPStatus: status,
	}
	if f := e.failed; f != nil && exchange == errSpot {
		out.Kind = errorKind(exchange, status, f.code, true, f.msg)
		out.Message = e.msg + " " + f.outcome + ": " + f.msg + " (" + strconv.FormatInt(f.code, 10) + ")"
	}
	return out
}

// productOfPath names the product whose error codes a REST path answers
// with, "" when the path does not say.
func productOfPath(path string) string {
	switch {
	case strings.HasPrefix(path, "/api/"), strings.HasPrefix(path, "/sapi/"):
		return errSpot
	case strings.HasPrefix(path, "/fapi/"):
		return errUSDM
	case strings.HasPrefix(path, "/dapi/"):
		return errCOINM
	}
	return ""
}

// binanceError is the one mapping of a Binance error (numeric code,
// message, HTTP status) of the product exchange to the taxonomy; see the
// comment at the top of this file. It also maps the per-item errors of
// batch replies, which arrive under HTTP 200.
func binanceError(exchange string, status int, code int64, msg string) *errors.Error {
	return apiError{code: code, numeric: true, codeText: strconv.FormatInt(code, 10), msg: msg}.toError(exchange, status)
}

// errorKind is the kind of an error reply; numeric is false when the reply's
// code is not an integer (then only the status and the message count).
func errorKind(exchange string, status int, code int64, numeric bool, msg string) *errors.Kind {
	lower := strings.ToLower(msg)
	switch {
	case status == 429:
		return errors.RateLimitExceeded
	case status == 418, status == 403:
		return errors.DDoSProtection
	case strings.Contains(lower, "maintenance") && (status >= 500 || numeric && code == 1):
		return errors.OnMaintenance
	case status >= 500 && status <= 599:
		if numeric && code == -1007 {
			return errors.RequestTimeout
		}
		return errors.ExchangeNotAvailable
	case !numeric:
		return errors.ExchangeError
	case code == -1003 && strings.Contains(lower, "banned"):
		return errors.DDoSProtection
	}
	kind := codeKind(exchange, code)
	if engineMessageCodes[code] {
		for _, rule := range messageRules {
			if strings.Contains(lower, rule.phrase) {
				return rule.kind
			}
		}
	}
	return kind
}

// codeKind looks code up for the product: its own table, then the futures
// table (USDⓈ-M and COIN-M), then the shared one, then the ranges.
func codeKind(exchange string, code int64) *errors.Kind {
	var tables []map[int64]*errors.Kind
	futures := exchange == errUSDM || exchange == errCOINM
	switch exchange {
	case errSpot:
		tables = []map[int64]*errors.Kind{spotCodeKinds}
	case errUSDM:
		tables = []map[int64]*errors.Kind{usdmCodeKinds, futuresCodeKinds}
	case errCOINM:
		tables = []map[int64]*errors.Kind{coinmCodeKinds, futuresCodeKinds}
	}
	tables = append(tables, sharedCodeKinds)
	for _, t := range tables {
		if k := t[code]; k != nil {
			return k
		}
	}
	switch {
	case code <= -1100 && code >= -1299:
		return errors.BadRequest
	case futures && code <= -4000 && code >= -5999:
		return errors.InvalidOrder
	case code >= 0 && code <= 3:
		// The market-stream control frames' errors (0 unknown property, 1
		// invalid value type, 2 invalid request, 3 invalid JSON); 1 is
		// also REST maintenance, caught by its message before this.
		return errors.BadRequest
	}
	return errors.ExchangeError
}

// engineMessageCodes are the codes whose message is the matching engine's
// reason (errors.md: "Messages for -1010 ERROR_MSG_RECEIVED, -2010
// NEW_ORDER_REJECTED, -2011 CANCEL_REJECTED, and -2038
// ORDER_AMEND_REJECTED"), and -1013, whose messages are the filter
// failures and "Market is closed.".
var engineMessageCodes = map[int64]bool{-1010: true, -1013: true, -2010: true, -2011: true, -2038: true}

// messageRules refine an engine message code by its text (lower case, in
// order; the first phrase found wins). From errors.md's table of messages.
var messageRules = []struct {
	phrase string
	kind   *errors.Kind
}{
	{"unknown order sent", errors.OrderNotFound},
	{"duplicate order sent", errors.DuplicateOrderId},
	{"market is closed", errors.MarketClosed},
	{"insufficient balance", errors.InsufficientFunds},
	{"would immediately match and take", errors.OrderImmediatelyFillable},
	{"would trigger immediately", errors.OrderImmediatelyFillable},
	{"this action is disabled on this account", errors.AccountSuspended},
	{"this account may not place or cancel orders", errors.AccountSuspended},
	{"not permitted for this account", errors.PermissionDenied},
	{"restricted for this account", errors.PermissionDenied},
	{"trading is not enabled", errors.PermissionDenied}, // REST, WebSocket or FIX API trading
	{"order book liquidity is", errors.OrderNotFillable},
	{"would change no state", errors.NoChange},
	{"filter failure", errors.InvalidOrder},
	{"not canceled due to cancel restrictions", errors.InvalidOrder},
}

// sharedCodeKinds are the codes that every product documents with the same
// meaning (spot errors.md and the USDⓈ-M and COIN-M error pages).
var sharedCodeKinds = map[int64]*errors.Kind{
	-1000: errors.ExchangeNotAvailable, // UNKNOWN
	-1001: errors.ExchangeNotAvailable, // DISCONNECTED: internal error, try again
	-1002: errors.AuthenticationError,  // UNAUTHORIZED
	-1003: errors.RateLimitExceeded,    // TOO_MANY_REQUESTS ("IP banned until ...": DDoSProtection)
	-1006: errors.BadResponse,          // UNEXPECTED_RESP: execution status unknown
	-1007: errors.RequestTimeout,       // TIMEOUT: send and execution status unknown
	-1008: errors.ExchangeNotAvailable, // spot SERVER_BUSY, futures "Request Throttled": overloaded, try again later
	-1010: errors.ExchangeError,        // ERROR_MSG_RECEIVED: refined by message
	-1013: errors.InvalidOrder,         // INVALID_MESSAGE: filter failures; refined by message
	-1014: errors.InvalidOrder,         // UNKNOWN_ORDER_COMPOSITION
	-1015: errors.RateLimitExceeded,    // TOO_MANY_ORDERS
	-1016: errors.ExchangeNotAvailable, // SERVICE_SHUTTING_DOWN
	-1020: errors.NotSupported,         // UNSUPPORTED_OPERATION
	-1021: errors.InvalidNonce,         // INVALID_TIMESTAMP: outside recvWindow, or 1000 ms ahead
	-1022: errors.AuthenticationError,  // INVALID_SIGNATURE
	-1111: errors.InvalidOrder,         // BAD_PRECISION
	-1112: errors.OrderNotFillable,     // NO_DEPTH: no orders on the book
	-1121: errors.BadSymbol,            // BAD_SYMBOL
	-1125: errors.AuthenticationError,  // INVALID_LISTEN_KEY: create a new one
	-2010: errors.InvalidOrder,         // NEW_ORDER_REJECTED: refined by message
	-2011: errors.OrderNotFound,        // CANCEL_REJECTED: mostly "Unknown order sent."; refined by message
	-2013: errors.OrderNotFound,        // NO_SUCH_ORDER
	-2014: errors.AuthenticationError,  // BAD_API_KEY_FMT
	-2015: errors.AuthenticationError,  // REJECTED_MBX_KEY: key, IP or permissions
	-2016: errors.BadRequest,           // NO_TRADING_WINDOW
}

// spotCodeKinds are the spot codes (errors.md) that the futures products
// do not share. -11xx and -12xx codes not listed are BadRequest by range.
var spotCodeKinds = map[int64]*errors.Kind{
	-1004: errors.ExchangeNotAvailable, // SERVER_BUSY (the /sapi error page; not in errors.md)
	-1033: errors.AuthenticationError,  // COMP_ID_IN_USE (FIX)
	-1034: errors.RateLimitExceeded,    // TOO_MANY_CONNECTIONS
	-1035: errors.ExchangeNotAvailable, // LOGGED_OUT (FIX: the session is closing)
	-1134: errors.InvalidOrder,         // BAD_STRATEGY_TYPE
	-1145: errors.InvalidOrder,         // INVALID_CANCEL_RESTRICTIONS
	-1151: errors.BadSymbol,            // DUPLICATE_SYMBOLS
	-1155: errors.NotSupported,         // SBE_DISABLED
	-1158: errors.InvalidOrder,         // OCO_ORDER_TYPE_REJECTED
	-1160: errors.InvalidOrder,         // OCO_ICEBERGQTY_TIMEINFORCE
	-1161: errors.NotSupported,         // DEPRECATED_SCHEMA
	-1165: errors.InvalidOrder,         // BUY_OCO_LIMIT_MUST_BE_BELOW
	-1166: errors.InvalidOrder,         // SELL_OCO_LIMIT_MUST_BE_ABOVE
	-1168: errors.InvalidOrder,         // BOTH_OCO_ORDERS_CANNOT_BE_LIMIT
	-1181: errors.RateLimitExceeded,    // TOO_MANY_MESSAGES (FIX)
	-1191: errors.RateLimitExceeded,    // TOO_MANY_SUBSCRIPTIONS (FIX)
	-1196: errors.InvalidOrder,         // BUY_OCO_STOP_LOSS_MUST_BE_ABOVE
	-1197: errors.InvalidOrder,         // SELL_OCO_STOP_LOSS_MUST_BE_BELOW
	-1198: errors.InvalidOrder,         // BUY_OCO_TAKE_PROFIT_MUST_BE_BELOW
	-1199: errors.InvalidOrder,         // SELL_OCO_TAKE_PROFIT_MUST_BE_ABOVE
	-1210: errors.InvalidOrder,         // INVALID_PEG_PRICE_TYPE
	-1211: errors.InvalidOrder,         // INVALID_PEG_OFFSET_TYPE
	-1220: errors.BadSymbol,            // SYMBOL_DOES_NOT_MATCH_STATUS
	-1222: errors.InvalidOrder,         // OPO_WORKING_MUST_BE_BUY
	-1223: errors.InvalidOrder,         // OPO_PENDING_MUST_BE_SELL
	-1224: errors.InvalidOrder,         // WORKING_PARAM_REQUIRED
	-1225: errors.InvalidOrder,         // PENDING_PARAM_NOT_REQUIRED
	-2021: errors.ExchangeError,        // cancel-replace partially failed (HTTP 409; futures: would trigger)
	-2022: errors.ExchangeError,        // cancel-replace failed (futures: ReduceOnly rejected)
	-2026: errors.OrderNotFound,        // ORDER_ARCHIVED (futures: reduce-only order type)
	-2035: errors.NoChange,             // SUBSCRIPTION_ACTIVE: user data stream already subscribed
	-2036: errors.BadRequest,           // SUBSCRIPTION_INACTIVE
	-2038: errors.InvalidOrder,         // ORDER_AMEND_REJECTED: refined by message
	-2039: errors.BadRequest,           // CLIENT_ORDER_ID_INVALID: client id does not match the order id
	-2042: errors.OperationRejected,    // MAXIMUM_SUBSCRIPTION_IDS for this connection
	-2043: errors.BadRequest,           // NO_REFERENCE_PRICE
	// The wallet's codes (/sapi/v1/capital: the wallet error-code page;
	// spot's own API has no -4xxx codes, the futures' -4xxx mean order
	// errors). Messages as Binance writes them.
	-4005: errors.RateLimitExceeded, // "Too many new requests."
	-4007: errors.BadRequest,        // "Address validation is not passed."
	-4008: errors.BadRequest,        // "Address tag validation is not passed."
	-4015: errors.PermissionDenied,  // "Withdraw is limited."
	-4016: errors.PermissionDenied,  // "Within 24 hours after password modification, withdrawal is prohibited."
	-4017: errors.PermissionDenied,  // "Within 24 hours after the release of 2FA, withdrawal is prohibited."
	-4018: errors.BadRequest,        // "We don't have this asset."
	-4019: errors.BadRequest,        // "Current asset is not open for withdrawal."
	-4021: errors.BadRequest,        // "Asset withdrawal must be an %s multiple of %s."
	-4022: errors.BadRequest,        // "Not less than the minimum pick-up quantity %s."
	-4023: errors.OperationRejected, // "Within 24 hours, the withdrawal exceeds the maximum amount."
	-4024: errors.InsufficientFunds, // "You don't have this asset."
	-4025: errors.InsufficientFunds, // "The number of hold asset is less than zero."
	-4026: errors.InsufficientFunds, // "You have insufficient balance."
	-4028: errors.BadRequest,        // "The amount of withdrawal must be greater than the Commission."
	-4029: errors.BadRequest,        // "The withdrawal record does not exist."
	-4033: errors.BadRequest,        // "Illegal address."
	-4035: errors.PermissionDenied,  // "This address is not on the whitelist. Please join and try again."
	-4047: errors.BadRequest,        // "Time interval must be within 0-90 days"
}

// futuresCodeKinds are the codes USDⓈ-M and COIN-M document alike.
var futuresCodeKinds = map[int64]*errors.Kind{
	-1004: errors.BadRequest,               // DUPLICATE_IP (IP whitelist management)
	-1005: errors.BadRequest,               // NO_SUCH_IP
	-1011: errors.PermissionDenied,         // NON_WHITE_LIST: this IP cannot access this route
	-1023: errors.BadRequest,               // START_TIME_GREATER_THAN_END_TIME
	-2012: errors.ExchangeError,            // CANCEL_ALL_FAIL (batch cancel)
	-2017: errors.AccountSuspended,         // API_KEYS_LOCKED
	-2018: errors.InsufficientFunds,        // BALANCE_NOT_SUFFICIENT
	-2019: errors.InsufficientFunds,        // MARGIN_NOT_SUFFICIEN
	-2020: errors.OrderNotFillable,         // UNABLE_TO_FILL
	-2021: errors.OrderImmediatelyFillable, // ORDER_WOULD_IMMEDIATELY_TRIGGER
	-2022: errors.InvalidOrder,             // REDUCE_ONLY_REJECT
	-2023: errors.OperationRejected,        // USER_IN_LIQUIDATION
	-2024: errors.InsufficientFunds,        // POSITION_NOT_SUFFICIENT
	-2025: errors.InvalidOrder,             // MAX_OPEN_ORDER_EXCEEDED
	-2026: errors.InvalidOrder,             // REDUCE_ONLY_ORDER_TYPE_NOT_SUPPORTED
	-2027: errors.InvalidOrder,             // MAX_LEVERAGE_RATIO: position too large for the leverage
	-2028: errors.InsufficientFunds,        // MIN_LEVERAGE_RATIO: insufficient margin balance
	-4015: errors.InvalidOrder,             // INVALID_CL_ORD_ID_LEN
	-4017: errors.BadRequest,               // MULTIPLIER_UP_LESS_THAN_ZERO
	-4018: errors.BadRequest,               // MULTIPLIER_DOWN_LESS_THAN_ZERO
	-4019: errors.BadRequest,               // COMPOSITE_SCALE_OVERFLOW
	-4021: errors.BadRequest,               // INVALID_DEPTH_LIMIT
	-4022: errors.BadRequest,               // WRONG_MARKET_STATUS
	-4025: errors.BadRequest,               // MULTIPLIER_DECIMAL_LESS_THAN_ZERO
	-4026: errors.BadRequest,               // COMMISSION_INVALID
	-4027: errors.BadRequest,               // INVALID_ACCOUNT_TYPE
	-4028: errors.BadRequest,               // INVALID_LEVERAGE
	-4029: errors.BadRequest,               // INVALID_TICK_SIZE_PRECISION
	-4030: errors.BadRequest,               // INVALID_STEP_SIZE_PRECISION
	-4032: errors.BadRequest,               // EXCEED_MAX_CANCEL_ORDER_SIZE
	-4033: errors.BadRequest,               // INSURANCE_ACCOUNT_NOT_FOUND
	-4044: errors.BadRequest,               // INVALID_BALANCE_TYPE
	-4046: errors.MarginModeAlreadySet,     // NO_NEED_TO_CHANGE_MARGIN_TYPE
	-4047: errors.OperationRejected,        // THERE_EXISTS_OPEN_ORDERS: margin type fixed while orders are open
	-4048: errors.OperationRejected,        // THERE_EXISTS_QUANTITY: margin type fixed while a position is open
	-4049: errors.BadRequest,               // ADD_ISOLATED_MARGIN_REJECT
	-4050: errors.InsufficientFunds,        // CROSS_BALANCE_INSUFFICIENT
	-4051: errors.InsufficientFunds,        // ISOLATED_BALANCE_INSUFFICIENT
	-4052: errors.NoChange,                 // NO_NEED_TO_CHANGE_AUTO_ADD_MARGIN
	-4053: errors.BadRequest,               // AUTO_ADD_CROSSED_MARGIN_REJECT
	-4054: errors.BadRequest,               // ADD_ISOLATED_MARGIN_NO_POSITION_REJECT
	-4055: errors.BadRequest,               // AMOUNT_MUST_BE_POSITIVE
	-4056: errors.AuthenticationError,      // INVALID_API_KEY_TYPE
	-4057: errors.AuthenticationError,      // INVALID_RSA_PUBLIC_KEY
	-4058: errors.BadRequest,               // MAX_PRICE_TOO_LARGE
	-4059: errors.NoChange,                 // NO_NEED_TO_CHANGE_POSITION_SIDE
	-4067: errors.OperationRejected,        // POSITION_SIDE_CHANGE_EXISTS_OPEN_ORDERS
	-4068: errors.OperationRejected,        // POSITION_SIDE_CHANGE_EXISTS_QUANTITY
	-4082: errors.BadRequest,               // INVALID_BATCH_PLACE_ORDER_SIZE
	-4084: errors.NotSupported,             // UPCOMING_METHOD
	-4086: errors.BadRequest,               // INVALID_PRICE_SPREAD_THRESHOLD
	-4104: errors.BadRequest,               // INVALID_CONTRACT_TYPE
	-4142: errors.OrderImmediatelyFillable, // STRATEGY_INVALID_TRIGGER_PRICE: would trigger immediately
	-4192: errors.OperationRejected,        // COOLING_OFF_PERIOD: trading forbidden for now
	// The other -40xx codes (order status, price, quantity, stop price,
	// tick and step size, percent price, working type, position side,
	// reduce-only, batch failure, client order id, -4120 "use the Algo
	// Order API") are InvalidOrder by range.
}

// usdmCodeKinds are the USDⓈ-M codes that COIN-M numbers differently or
// does not have.
var usdmCodeKinds = map[int64]*errors.Kind{
	-1099: errors.AuthenticationError,      // NOT_FOUND: "Not found, unauthenticated, or unauthorized."
	-4063: errors.BadRequest,               // INVALID_OPTIONS_REQUEST_TYPE (-4063..-4081: options)
	-4064: errors.BadRequest,               // INVALID_OPTIONS_TIME_FRAME
	-4065: errors.BadRequest,               // INVALID_OPTIONS_AMOUNT
	-4066: errors.BadRequest,               // INVALID_OPTIONS_EVENT_TYPE
	-4069: errors.BadRequest,               // INVALID_OPTIONS_PREMIUM_FEE
	-4070: errors.BadRequest,               // INVALID_CL_OPTIONS_ID_LEN
	-4071: errors.BadRequest,               // INVALID_OPTIONS_DIRECTION
	-4072: errors.BadRequest,               // OPTIONS_PREMIUM_NOT_UPDATE
	-4073: errors.BadRequest,               // OPTIONS_PREMIUM_INPUT_LESS_THAN_ZERO
	-4074: errors.BadRequest,               // OPTIONS_AMOUNT_BIGGER_THAN_UPPER
	-4075: errors.BadRequest,               // OPTIONS_PREMIUM_OUTPUT_ZERO
	-4076: errors.BadRequest,               // OPTIONS_PREMIUM_TOO_DIFF
	-4077: errors.BadRequest,               // OPTIONS_PREMIUM_REACH_LIMIT
	-4078: errors.ExchangeError,            // OPTIONS_COMMON_ERROR
	-4079: errors.BadRequest,               // INVALID_OPTIONS_ID
	-4080: errors.BadRequest,               // OPTIONS_USER_NOT_FOUND
	-4081: errors.BadRequest,               // OPTIONS_NOT_FOUND
	-4085: errors.BadRequest,               // INVALID_NOTIONAL_LIMIT_COEF
	-4087: errors.OperationRejected,        // REDUCE_ONLY_ORDER_PERMISSION (COIN-M: INVALID_PAIR)
	-4088: errors.OperationRejected,        // NO_PLACE_ORDER_PERMISSION (COIN-M: INVALID_TIME_INTERVAL)
	-4109: errors.AccountNotEnabled,        // INACTIVE_ACCOUNT: transfer funds to reactivate
	-4114: errors.BadRequest,               // INVALID_CLIENT_TRAN_ID_LEN
	-4115: errors.BadRequest,               // DUPLICATED_CLIENT_TRAN_ID
	-4116: errors.DuplicateOrderId,         // DUPLICATED_CLIENT_ORDER_ID
	-4131: errors.OrderNotFillable,         // MARKET_ORDER_REJECT: best price outside PERCENT_PRICE
	-4140: errors.ContractUnavailable,      // INVALID_OPENING_POSITION_STATUS
	-4141: errors.ContractUnavailable,      // SYMBOL_ALREADY_CLOSED
	-4144: errors.BadSymbol,                // INVALID_PAIR
	-4161: errors.OperationRejected,        // ISOLATED_LEVERAGE_REJECT_WITH_POSITION
	-4165: errors.BadRequest,               // INVALID_TIME_INTERVAL
	-4167: errors.OperationRejected,        // ISOLATED_REJECT_WITH_JOINT_MARGIN
	-4168: errors.OperationRejected,        // JOINT_MARGIN_REJECT_WITH_ISOLATED
	-4169: errors.InsufficientFunds,        // JOINT_MARGIN_REJECT_WITH_MB
	-4170: errors.OperationRejected,        // JOINT_MARGIN_REJECT_WITH_OPEN_ORDER
	-4171: errors.NoChange,                 // NO_NEED_TO_CHANGE_JOINT_MARGIN
	-4172: errors.OperationRejected,        // JOINT_MARGIN_REJECT_WITH_NEGATIVE_BALANCE
	-4202: errors.ManualInteractionNeeded,  // ADJUST_LEVERAGE_KYC_FAILED (COIN-M: ACCOUNT_SYMBOL_FAILED)
	-4203: errors.OperationRejected,        // ADJUST_LEVERAGE_ONE_MONTH_FAILED
	-4205: errors.OperationRejected,        // ADJUST_LEVERAGE_X_DAYS_FAILED
	-4206: errors.RestrictedLocation,       // ADJUST_LEVERAGE_KYC_LIMIT: country limit
	-4208: errors.BadRequest,               // ADJUST_LEVERAGE_ACCOUNT_SYMBOL_FAILED
	-4209: errors.BadRequest,               // ADJUST_LEVERAGE_SYMBOL_FAILED
	-4400: errors.OperationRejected,        // TRADING_QUANTITATIVE_RULE: reduce-only for now
	-4401: errors.OperationRejected,        // LARGE_POSITION_SYM_RULE: reduce-only
	-4402: errors.RestrictedLocation,       // COMPLIANCE_BLACK_SYMBOL_RESTRICTION
	-4403: errors.RestrictedLocation,       // ADJUST_LEVERAGE_COMPLIANCE_FAILED
	-5021: errors.OrderNotFillable,         // FOK_ORDER_REJECT
	-5022: errors.OrderImmediatelyFillable, // GTX_ORDER_REJECT: post-only would take
	-5024: errors.MarketClosed,             // MOVE_ORDER_NOT_ALLOWED_SYMBOL_REASON: symbol not trading
	-5027: errors.NoChange,                 // SAME_ORDER: no need to modify
	-5028: errors.InvalidNonce,             // ME_RECVWINDOW_REJECT: outside the matching engine's recvWindow
	-5041: errors.OrderNotFillable,         // BBO_ORDER_REJECT: no depth matches
	// The other -4xxx and -5xxx codes (-4164 MIN_NOTIONAL, -4183/-4184 and
	// -4210/-4211 price multipliers, -5025 LIMIT_ORDER_ONLY, -5026, -5029,
	// -5037..-5040, -5043) are InvalidOrder by range.
}

// coinmCodeKinds are the COIN-M codes that USDⓈ-M numbers differently or
// does not have.
var coinmCodeKinds = map[int64]*errors.Kind{
	-4087: errors.BadSymbol,               // INVALID_PAIR (USD-M: REDUCE_ONLY_ORDER_PERMISSION)
	-4088: errors.BadRequest,              // INVALID_TIME_INTERVAL (USD-M: NO_PLACE_ORDER_PERMISSION)
	-4089: errors.OperationRejected,       // REDUCE_ONLY_ORDER_PERMISSION
	-4090: errors.OperationRejected,       // NO_PLACE_ORDER_PERMISSION
	-4110: errors.BadRequest,              // INVALID_CLIENT_TRAN_ID_LEN
	-4111: errors.BadRequest,              // DUPLICATED_CLIENT_TRAN_ID
	-4113: errors.OrderNotFillable,        // MARKET_ORDER_REJECT: best price outside PERCENT_PRICE
	-4150: errors.OperationRejected,       // ISOLATED_LEVERAGE_REJECT_WITH_POSITION
	-4188: errors.InvalidNonce,            // ME_INVALID_TIMESTAMP: outside the matching engine's recvWindow
	-4189: errors.OperationRejected,       // ACCOUNT_REDUCE_ONLY
	-4194: errors.ManualInteractionNeeded, // ADJUST_LEVERAGE_KYC_FAILED
	-4195: errors.OperationRejected,       // ADJUST_LEVERAGE_ONE_MONTH_FAILED
	-4197: errors.NoChange,                // SAME_ORDER: no need to modify
	-4199: errors.MarketClosed,            // MOVE_ORDER_NOT_ALLOWED_SYMBOL_REASON: symbol not trading
	-4200: errors.OperationRejected,       // ADJUST_LEVERAGE_X_DAYS_FAILED
	-4201: errors.RestrictedLocation,      // ADJUST_LEVERAGE_KYC_LIMIT: country limit
	-4202: errors.BadRequest,              // ADJUST_LEVERAGE_ACCOUNT_SYMBOL_FAILED (USD-M: KYC_FAILED)
	-4220: errors.OperationRejected,       // CANNOT_CHANGE_DUAL_SIDE: must match USD-M's
	// The other -4xxx codes (-4112 reduce-only margin check, -4151/-4152
	// and -4154/-4155 price multipliers, -4178 MIN_NOTIONAL, -4196
	// LIMIT_ORDER_ONLY, -4198 modify limit) are InvalidOrder by range.
}
