package okx

import (
	"context"
	"strconv"
	"time"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/rest"
	"github.com/unifex-go/unifex/unified"
)

// The public endpoints, under "v5" (https://www.okx.com/api/v5). Weights
// are requests: OKX limits each endpoint separately (instruments 20 per 2 s
// per instType, books 40, candles 40, history-candles 20, trades 100).
var (
	epTime        = rest.Endpoint{API: "v5", Path: "/public/time"}
	epInstruments = rest.Endpoint{API: "v5", Path: "/public/instruments"}
)

// envelope is OKX's reply: code "0" and the data array (errors are
// checkError's).
type envelope[T any] struct {
	Code string `json:"code"`
	Data []T    `json:"data"`
}

// get calls ep and returns its data array.
func get[T any](ctx context.Context, x *Exchange, ep rest.Endpoint, p rest.Params) ([]T, error) {
	var env envelope[T]
	if err := x.REST().DoJSON(ctx, ep, p, &env); err != nil {
		return nil, err
	}
	return env.Data, nil
}

// FetchTime returns OKX's clock.
func (x *Exchange) FetchTime(ctx context.Context, _ ...exchange.Option) (time.Time, error) {
	data, err := get[struct {
		TS string `json:"ts"`
	}](ctx, x, epTime, rest.Params{})
	if err != nil {
		return time.Time{}, err
	}
	if len(data) == 0 {
		return time.Time{}, errors.Newf(errors.BadResponse, "okx: no ts in the time reply")
	}
	ms, err := strconv.ParseInt(data[0].TS, 10, 64)
	if err != nil || ms <= 0 {
		return time.Time{}, errors.Newf(errors.BadResponse, "okx: malformed ts "+strconv.Quote(data[0].TS))
	}
	return time.UnixMilli(ms).UTC(), nil
}

// FetchMarkets fetches the instruments of every type in Options.Types.
func (x *Exchange) FetchMarkets(ctx context.Context, _ ...exchange.Option) ([]unified.Market, error) {
	var out []unified.Market
	for _, t := range x.opts.Types {
		var p rest.Params
		p.Add("instType", t)
		list, err := get[instrument](ctx, x, epInstruments, p)
		if err != nil {
			return nil, err
		}
		ms, err := parseInstruments(list, x.Config().KeepInfo)
		if err != nil {
			return nil, err
		}
		out = append(out, ms...)
	}
	return out, nil
}
