package binancetest

import (
	"fmt"
	"net/http"
)

// apiError is an error reply in Binance's shape, {"code":-1121,"msg":"Invalid
// symbol."}, with the HTTP status (or WebSocket API status) it travels with.
type apiError struct {
	Code   int    `json:"code"`
	Msg    string `json:"msg"`
	Data   any    `json:"data,omitempty"` // details some refusals carry (cancel-replace)
	status int
}

// Error implements error, for tests that compare replies.
func (e *apiError) Error() string { return fmt.Sprintf("binance %d %s", e.Code, e.Msg) }

// reject builds an error reply with HTTP 400, the status Binance gives
// malformed or refused requests.
func reject(code int, msg string) *apiError {
	return &apiError{Code: code, Msg: msg, status: http.StatusBadRequest}
}

// rejectf is reject with a formatted message.
func rejectf(code int, format string, args ...any) *apiError {
	return reject(code, fmt.Sprintf(format, args...))
}

// The error codes and messages the fake sends, as errors.md of
// binance-spot-api-docs and the futures error pages spell them.
const (
	codeMaintenance     = 1     // "System is under maintenance." (ccxt: OnMaintenance)
	codeTooManyRequests = -1003 // TOO_MANY_REQUESTS
	codeFilter          = -1013 // INVALID_MESSAGE: spot filter failures
	codeUnsupportedOp   = -1020 // UNSUPPORTED_OPERATION
	codeTimestamp       = -1021 // INVALID_TIMESTAMP
	codeSignature       = -1022 // INVALID_SIGNATURE
	codeIllegalChars    = -1100 // ILLEGAL_CHARS
	codeMandatory       = -1102 // MANDATORY_PARAM_EMPTY_OR_MALFORMED
	codeNotRequired     = -1106 // PARAM_NOT_REQUIRED
	codePrecision       = -1111 // BAD_PRECISION
	codeInvalidTIF      = -1115 // INVALID_TIF
	codeInvalidType     = -1116 // INVALID_ORDER_TYPE
	codeInvalidSide     = -1117 // INVALID_SIDE
	codeBadInterval     = -1120 // BAD_INTERVAL
	codeBadSymbol       = -1121 // BAD_SYMBOL
	codeListenKey       = -1125 // INVALID_LISTEN_KEY
	codeLookupInterval  = -1127 // MORE_THAN_XX_HOURS
	codeInvalidParam    = -1130 // INVALID_PARAMETER
	codeInvalidJSON     = -1135 // INVALID_JSON
	codeNewOrderReject  = -2010 // NEW_ORDER_REJECTED
	codeCancelReject    = -2011 // CANCEL_REJECTED
	codeNoSuchOrder     = -2013 // NO_SUCH_ORDER
	codeBadKeyFormat    = -2014 // BAD_API_KEY_FMT
	codeRejectedKey     = -2015 // REJECTED_MBX_KEY
	codeMarginShort     = -2019 // futures: margin is insufficient
	codeReduceOnly      = -2022 // futures: ReduceOnly order is rejected
	codeSubActive       = -2035 // SUBSCRIPTION_ACTIVE
	codeSubInactive     = -2036 // SUBSCRIPTION_INACTIVE
	codeQtyTooSmall     = -4004 // futures: quantity less than min quantity
	codeQtyTooLarge     = -4005 // futures: quantity greater than max quantity
	codeTick            = -4014 // futures: price not increased by tick size
	codePriceTooHigh    = -4016 // futures: limit price above the maximum
	codeStep            = -4023 // futures: quantity not increased by step size
	codeLeverage        = -4028 // futures: leverage not valid
	codePositionSide    = -4061 // futures: position side does not match the account's mode
	codeDuplicateID     = -4116 // futures: ClientOrderId is duplicated
	codeAlgoOnly        = -4120 // futures: conditional orders live on the algo service
	codeMinNotional     = -4164 // futures: notional below the MIN_NOTIONAL filter
	codePostOnly        = -5022 // futures: a GTX order would take
)

// Messages that several places send.
const (
	msgMaintenance   = "System is under maintenance."
	msgSignature     = "Signature for this request is not valid."
	msgRejectedKey   = "Invalid API-key, IP, or permissions for action."
	msgBadKeyFormat  = "API-key format invalid."
	msgOutsideWindow = "Timestamp for this request is outside of the recvWindow."
	msgAhead         = "Timestamp for this request was 1000ms ahead of the server's time."
	msgInsufficient  = "Account has insufficient balance for requested action."
	msgUnknownOrder  = "Unknown order sent."
	msgNoSuchOrder   = "Order does not exist."
	msgWouldTake     = "Order would immediately match and take."
	msgListenKey     = "This listenKey does not exist."
)

// unauthorized is the reply to a refused API key (HTTP 401, as Binance
// sends -2015).
func unauthorized(code int, msg string) *apiError {
	return &apiError{Code: code, Msg: msg, status: http.StatusUnauthorized}
}

// mandatory is -1102 for a missing parameter.
func mandatory(name string) *apiError {
	return rejectf(codeMandatory, "Mandatory parameter '%s' was not sent, was empty/null, or malformed.", name)
}

// invalidParam is -1130 for a parameter whose value is refused.
func invalidParam(name string) *apiError {
	return rejectf(codeInvalidParam, "Data sent for parameter '%s' is not valid.", name)
}
