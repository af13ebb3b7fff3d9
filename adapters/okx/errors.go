package okx

import (
	"encoding/json"
	"strconv"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/internal/rest"
)

// OKX refuses a request with {"code":"50113","msg":"Invalid Sign.","data":[]}
// (HTTP 401 for authentication, 429 for rate limits, usually 200 or 400
// for the rest). Order operations (place, cancel, amend; REST and
// WebSocket) answer per item: the top-level code is "1" when every item
// failed and "2" when some did, and each item carries its own sCode and
// sMsg, which is the reason (card §4, §9). WebSocket refusals are
// {"event":"error","code":"60012",...} or an op reply with the same code
// and data. One table (codeKinds) places every code in the taxonomy.
//
// Sources: the card's §9 (docs-v5 "Error Code" sections, crawled 2026-07)
// and the exact table of CCXT's okx.ts, with two deliberate departures:
// amend refusals for an order that is gone (51503 does not exist, 51509
// canceled, 51510 completed) are OrderNotFound, as cancel refusals for the
// same reasons (51400-51402) are, where CCXT reads them as bare
// ExchangeError; and 50061 (the sub-account's order rate) is
// RateLimitExceeded, which CCXT's copy does not list.

// checkError is the rest.Config.CheckError hook.
func checkError(resp *rest.Response) error {
	var env struct {
		Code json.RawMessage `json:"code"`
		Msg  string          `json:"msg"`
		Data json.RawMessage `json:"data"`
	}
	if json.Unmarshal(resp.Body, &env) != nil || len(env.Code) == 0 {
		return nil // not OKX's envelope: the status table decides
	}
	code := codeText(env.Code)
	if code == "0" || code == "" {
		return nil
	}
	if (code == "1" || code == "2") && batchEndpoints[resp.Endpoint.Path] {
		var items []itemResult
		if json.Unmarshal(env.Data, &items) == nil && len(items) > 0 {
			return nil // the caller reads each item's sCode
		}
	}
	if code == "1" || code == "2" {
		if e := firstItemError(env.Data, resp.Status); e != nil {
			return e
		}
	}
	return okxError(code, env.Msg, resp.Status)
}

// codeText reads a code sent as a string or a number.
func codeText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}

// itemResult is one item of an order operation's reply.
type itemResult struct {
	ClOrdID string `json:"clOrdId"`
	OrdID   string `json:"ordId"`
	ReqID   string `json:"reqId"`
	Ts      string `json:"ts"`
	SCode   string `json:"sCode"`
	SMsg    string `json:"sMsg"`
	SubCode string `json:"subCode"`
}

// err is the item's refusal, nil when it succeeded.
func (r *itemResult) err(status int) *errors.Error {
	if r.SCode == "" || r.SCode == "0" {
		return nil
	}
	return okxError(r.SCode, r.SMsg, status)
}

// firstItemError is the refusal of the first failed item of data, nil
// when data lists none.
func firstItemError(data json.RawMessage, status int) *errors.Error {
	var items []itemResult
	if json.Unmarshal(data, &items) != nil {
		return nil
	}
	for i := range items {
		if e := items[i].err(status); e != nil {
			return e
		}
	}
	return nil
}

// okxError is the error of an OKX code and message.
func okxError(code, msg string, status int) *errors.Error {
	return &errors.Error{Kind: codeKind(code), Exchange: ID, Code: code, Message: msg, HTTPStatus: status}
}

// codeKind places an OKX code in the taxonomy; a code the table does not
// list is an ExchangeError.
func codeKind(code string) *errors.Kind {
	if k, ok := codeKinds[code]; ok {
		return k
	}
	n, err := strconv.Atoi(code)
	switch {
	case err != nil:
	case n >= 51004 && n <= 51007, n >= 51100 && n <= 51139, n >= 51201 && n <= 51205, n >= 51250 && n <= 51280:
		return errors.InvalidOrder // size, price and order-count limits
	case n >= 60001 && n <= 60007:
		return errors.AuthenticationError // WebSocket login headers and signature
	}
	return errors.ExchangeError
}

// codeKinds lists the codes whose kind is not ExchangeError.
var codeKinds = map[string]*errors.Kind{
	// General class.
	"50000": errors.BadRequest, // body can not be empty
	"50001": errors.OnMaintenance,
	"50002": errors.BadRequest,     // JSON syntax error
	"50004": errors.RequestTimeout, // endpoint timeout: the order's fate is unknown
	"50005": errors.ExchangeNotAvailable,
	"50006": errors.BadRequest, // Content-Type
	"50007": errors.AccountSuspended,
	"50008": errors.AuthenticationError, // user does not exist
	"50009": errors.AccountSuspended,    // liquidation in progress
	"50011": errors.RateLimitExceeded,
	"50013": errors.ExchangeNotAvailable, // system busy
	"50014": errors.BadRequest,           // parameter can not be empty
	"50024": errors.BadRequest,           // parameters can not be sent together
	"50026": errors.ExchangeNotAvailable,
	"50027": errors.PermissionDenied, // trading restricted
	"50030": errors.PermissionDenied, // no permission for this API
	"50032": errors.AccountSuspended, // asset blocked
	"50033": errors.AccountSuspended, // instrument blocked
	"50035": errors.BadRequest,
	"50036": errors.BadRequest,        // invalid expTime
	"50037": errors.BadRequest,        // order expired (expTime passed)
	"50061": errors.RateLimitExceeded, // sub-account order rate
	// API class.
	"50101": errors.AuthenticationError, // key of the other environment (demo/live)
	"50102": errors.InvalidNonce,        // timestamp expired
	"50103": errors.AuthenticationError,
	"50104": errors.AuthenticationError,
	"50105": errors.AuthenticationError, // wrong passphrase
	"50106": errors.AuthenticationError,
	"50107": errors.AuthenticationError,
	"50110": errors.PermissionDenied, // IP not whitelisted
	"50111": errors.AuthenticationError,
	"50112": errors.AuthenticationError,
	"50113": errors.AuthenticationError, // invalid sign
	"50114": errors.AuthenticationError,
	"50115": errors.BadRequest, // request method
	// Trade class.
	"51000": errors.BadRequest, // parameter error
	"51001": errors.BadSymbol,
	"51002": errors.BadSymbol,
	"51003": errors.BadRequest, // ordId or clOrdId required
	"51008": errors.InsufficientFunds,
	"51169": errors.InvalidOrder, // reduce-only without a position to reduce
	"51170": errors.InvalidOrder, // reduce-only in the position's own direction
	"51009": errors.AccountSuspended,
	"51010": errors.AccountNotEnabled, // the account mode does not support this
	"51011": errors.DuplicateOrderId,
	"51012": errors.BadSymbol,
	"51014": errors.BadSymbol,
	"51015": errors.BadSymbol,
	"51016": errors.DuplicateOrderId, // duplicated clOrdId
	"51020": errors.InvalidOrder,     // below the minimum size
	"51024": errors.AccountSuspended,
	"51026": errors.BadSymbol,
	"51111": errors.BadRequest,        // too many orders in a batch
	"51113": errors.RateLimitExceeded, // market-close requests too frequent
	"51119": errors.InsufficientFunds,
	"51127": errors.InsufficientFunds,
	"51130": errors.BadSymbol,
	"51131": errors.InsufficientFunds,
	"51400": errors.OrderNotFound, // cancel: does not exist
	"51401": errors.OrderNotFound, // cancel: already canceled
	"51402": errors.OrderNotFound, // cancel: already filled
	"51403": errors.InvalidOrder,
	"51404": errors.InvalidOrder,
	"51407": errors.BadRequest,
	"51410": errors.CancelPending,
	"51502": errors.InsufficientFunds, // amend: insufficient margin
	"51503": errors.OrderNotFound,     // amend: does not exist
	"51509": errors.OrderNotFound,     // amend: canceled
	"51510": errors.OrderNotFound,     // amend: completed
	"51603": errors.OrderNotFound,     // query: does not exist
	"51736": errors.InsufficientFunds,
	// Funding class (withdrawals).
	"58203": errors.InvalidAddress, // add a withdrawal address (not whitelisted)
	"58204": errors.AccountSuspended,
	"58207": errors.InvalidAddress,
	"58221": errors.BadRequest, // the address's label is missing
	"58222": errors.InvalidAddress,
	"58229": errors.InsufficientFunds, // funding balance short of the fee
	"58350": errors.InsufficientFunds,
	"59102": errors.BadRequest, // leverage above the maximum
	// WebSocket.
	"60009": errors.AuthenticationError, // login failed
	"60011": errors.AuthenticationError, // please log in
	"60012": errors.BadRequest,
	"60013": errors.BadRequest, // invalid args
	"60014": errors.RateLimitExceeded,
	"60018": errors.BadRequest, // wrong URL or channel
	"60019": errors.BadRequest,
	"60023": errors.RateLimitExceeded,
	"60024": errors.AuthenticationError, // wrong passphrase
	"60027": errors.BadRequest,
	"60028": errors.NotSupported,     // not supported on this URL
	"60029": errors.PermissionDenied, // the fills channel needs VIP6
	"60031": errors.BadRequest,       // repeated login
	"60032": errors.AuthenticationError,
	"60033": errors.BadRequest,
	"63999": errors.ExchangeNotAvailable,
	"64001": errors.NotSupported, // moved to another URL
	"64002": errors.NotSupported,
	"64003": errors.PermissionDenied, // fee tier too low for the channel
	"64004": errors.BadRequest,
	"64007": errors.ExchangeNotAvailable,
}
