package okx

import (
	"encoding/json"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/internal/rest"
)

// checkError is the rest.Config.CheckError hook: OKX answers
// {"code":"0","msg":"","data":[...]}; any other code is a refusal.
func checkError(resp *rest.Response) error {
	var env struct {
		Code string `json:"code"`
		Msg  string `json:"msg"`
	}
	if json.Unmarshal(resp.Body, &env) != nil || env.Code == "" {
		return nil // not OKX's envelope: the status table decides
	}
	if env.Code == "0" {
		return nil
	}
	return &errors.Error{Kind: codeKind(env.Code), Exchange: ID, Code: env.Code, Message: env.Msg, HTTPStatus: resp.Status}
}

// codeKind places an OKX code in the taxonomy.
func codeKind(code string) *errors.Kind {
	switch code {
	case "50011", "50061", "60014", "60023":
		return errors.RateLimitExceeded
	case "50001":
		return errors.OnMaintenance
	case "50102":
		return errors.InvalidNonce
	case "50101", "50103", "50104", "50105", "50106", "50107", "50111", "50112", "50113", "50114":
		return errors.AuthenticationError
	case "51001":
		return errors.BadSymbol
	}
	return errors.ExchangeError
}
