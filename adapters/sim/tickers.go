package sim

import (
	"strconv"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/unified"
)

// The venue's best bid and ask ("bbo:ID") and funding ("funding:ID", also
// GET /funding) messages.

type wireBBO struct {
	Market  string `json:"market"`
	TS      int64  `json:"ts"`
	Seq     int64  `json:"seq"`
	Bid     string `json:"bid"`
	BidSize string `json:"bidSize"`
	Ask     string `json:"ask"`
	AskSize string `json:"askSize"`
}

type wireFunding struct {
	Market      string `json:"market"`
	TS          int64  `json:"ts"`
	Rate        string `json:"rate"`
	FundingTime int64  `json:"fundingTime"`
	PrevRate    string `json:"prevRate"`
	PrevTime    int64  `json:"prevTime"`
	Mark        string `json:"mark"`
	Index       string `json:"index"`
	Interval    string `json:"interval"`
}

// bidsAsks parses m's best bid and ask into a ticker that carries only
// those; an empty side stays absent.
func (x *Exchange) bidsAsks(m *unified.Market, r *wireBBO) (*unified.Ticker, error) {
	if r.Market != m.ID {
		return nil, errors.Newf(errors.BadResponse, "a best bid and ask of "+strconv.Quote(r.Market)+" on the channel of "+m.ID)
	}
	var ds decimals
	t := &unified.Ticker{Symbol: m.Symbol, Timestamp: millis(r.TS), Bid: ds.parse(r.Bid), BidVolume: ds.parse(r.BidSize),
		Ask: ds.parse(r.Ask), AskVolume: ds.parse(r.AskSize)}
	if ds.err != nil {
		return nil, errors.Wrap(errors.BadResponse, ds.err, "malformed best bid and ask of "+m.Symbol)
	}
	if x.Config().KeepInfo {
		t.Info = *r
	}
	return t, nil
}

// funding parses m's funding.
func (x *Exchange) funding(m *unified.Market, r *wireFunding) (*unified.FundingRate, error) {
	var ds decimals
	f := &unified.FundingRate{Symbol: m.Symbol, Timestamp: millis(r.TS), Rate: ds.parse(r.Rate),
		FundingTime: millis(r.FundingTime), MarkPrice: ds.parse(r.Mark), IndexPrice: ds.parse(r.Index),
		Interval: r.Interval}
	if r.PrevRate != "" {
		f.PreviousRate, f.PreviousFundingTime = ds.parse(r.PrevRate), millis(r.PrevTime)
	}
	if ds.err != nil {
		return nil, errors.Wrap(errors.BadResponse, ds.err, "malformed funding rate of "+m.Symbol)
	}
	if x.Config().KeepInfo {
		f.Info = *r
	}
	return f, nil
}
