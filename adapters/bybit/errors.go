package bybit

import (
	"encoding/json"
	"strconv"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/internal/rest"
)

// checkError is the rest.Config.CheckError hook: Bybit answers
// {"retCode":0,"retMsg":"OK","result":{...}} with HTTP 200; any other
// retCode is a refusal.
func checkError(resp *rest.Response) error {
	var env struct {
		RetCode *int   `json:"retCode"`
		RetMsg  string `json:"retMsg"`
	}
	if json.Unmarshal(resp.Body, &env) != nil || env.RetCode == nil || *env.RetCode == 0 {
		return nil // success, or not Bybit's envelope: the status table decides
	}
	code := strconv.Itoa(*env.RetCode)
	return &errors.Error{Kind: codeKind(code), Exchange: ID, Code: code, Message: env.RetMsg, HTTPStatus: resp.Status}
}

// codeKind places a retCode in the taxonomy.
func codeKind(code string) *errors.Kind {
	switch code {
	case "10001":
		return errors.BadRequest
	case "10002":
		return errors.InvalidNonce
	case "10003", "10004", "10007", "33004":
		return errors.AuthenticationError
	case "10006", "10018":
		return errors.RateLimitExceeded
	}
	return errors.ExchangeError
}
