package bybit

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/rest"
)

// apiGroup is the REST group of every endpoint: one host for all categories.
const apiGroup = "v5"

// The public endpoints the unified methods call.
var (
	epTime        = rest.Endpoint{API: apiGroup, Path: "/v5/market/time"}
	epInstruments = rest.Endpoint{API: apiGroup, Path: "/v5/market/instruments-info"}
)

// envelope is Bybit's reply: retCode 0 (checkError refused the others)
// and the result.
type envelope struct {
	Result json.RawMessage `json:"result"`
	Time   int64           `json:"time"`
}

// call sends ep with the parameters q and decodes the envelope's result into out.
func (x *Exchange) call(ctx context.Context, ep rest.Endpoint, q rest.Params, out any) error {
	var env envelope
	if err := x.REST().DoJSON(ctx, ep, q, &env); err != nil {
		return err
	}
	if len(env.Result) == 0 || string(env.Result) == "null" {
		return errors.Newf(errors.NullResponse, "bybit: "+ep.Path+" answered without a result")
	}
	if err := json.Unmarshal(env.Result, out); err != nil {
		return errors.Wrap(errors.BadResponse, err, "bybit: malformed result of "+ep.Path)
	}
	return nil
}

// FetchTime returns the venue's clock (GET /v5/market/time, timeNano).
func (x *Exchange) FetchTime(ctx context.Context, _ ...exchange.Option) (time.Time, error) {
	var res struct {
		TimeSecond string `json:"timeSecond"`
		TimeNano   string `json:"timeNano"`
	}
	if err := x.call(ctx, epTime, rest.Params{}, &res); err != nil {
		return time.Time{}, err
	}
	if ns, err := strconv.ParseInt(res.TimeNano, 10, 64); err == nil && ns > 0 {
		return time.Unix(0, ns).UTC(), nil
	}
	s, err := strconv.ParseInt(res.TimeSecond, 10, 64)
	if err != nil || s <= 0 {
		return time.Time{}, errors.Newf(errors.BadResponse, "bybit: /v5/market/time without a time")
	}
	return time.Unix(s, 0).UTC(), nil
}
