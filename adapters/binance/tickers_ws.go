package binance

import (
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/engine"
	"github.com/unifex-go/unifex/internal/jsonscan"
	"github.com/unifex-go/unifex/internal/watch"
	"github.com/unifex-go/unifex/unified"
)

// The best bid and ask (<symbol>@bookTicker, real time) and the mark price
// with funding (<symbol>@markPrice@1s, futures only) streams.

// tickerFeatures are the unified methods these streams give p.
func tickerFeatures(p *product) []exchange.Feature {
	fs := []exchange.Feature{exchange.FeatureWatchBidsAsks, exchange.FeatureUnwatchBidsAsks}
	if p.kind != spot {
		fs = append(fs, exchange.FeatureWatchFundingRate, exchange.FeatureWatchFundingRates, exchange.FeatureUnwatchFundingRate)
	}
	return fs
}

// tickersRoute is the route of a BidsAsks or FundingRate topic: book
// tickers ride with the books (USD-M /public), mark prices with the other
// market streams (USD-M /market); COIN-M serves both on its one endpoint,
// and spot has no mark price.
func (x *Exchange) tickersRoute(k watch.Key) (engine.Route, error) {
	switch {
	case k.Kind == watch.BidsAsks:
		return publicRoute, nil
	case x.p.kind == usdm:
		return marketRoute, nil
	case x.p.kind == coinm:
		return publicRoute, nil
	}
	return engine.Route{}, errors.Newf(errors.NotSupported, "binance spot has no mark price or funding stream")
}

// tickersStream is the stream of kind after "<symbol>@". The one-second
// mark price stream is taken over the three-second one.
func tickersStream(kind watch.Kind) string {
	if kind == watch.BidsAsks {
		return "bookTicker"
	}
	return "markPrice@1s"
}

// tickersKind is the topic kind of a stream name's part after "@", 0 when
// it is not one of these streams.
func tickersKind(stream []byte) watch.Kind {
	switch string(stream) {
	case "bookTicker":
		return watch.BidsAsks
	case "markPrice@1s", "markPrice":
		return watch.FundingRate
	}
	return 0
}

// dispatchTickers parses an event of a BidsAsks or FundingRate topic and
// publishes it.
func (x *Exchange) dispatchTickers(k watch.Key, m *unified.Market, data []byte, d *engine.Dispatch) error {
	if k.Kind == watch.BidsAsks {
		t, err := parseBookTicker(m, data, x.Config().KeepInfo)
		if err != nil {
			return err
		}
		d.BidsAsks(t)
		return nil
	}
	f, err := parseMarkPrice(m, data, x.Config().KeepInfo)
	if err != nil {
		return err
	}
	d.FundingRate(f)
	return nil
}

// bookTickerEvent is a bookTicker event: spot sends u, s, b, B, a, A;
// futures add e, E and T, and ps and st (the pair, and the symbol's type
// after the COIN-M migration).
type bookTickerEvent struct {
	Event     string `json:"e"`
	UpdateID  int64  `json:"u"`
	EventTime int64  `json:"E"`
	TxTime    int64  `json:"T"`
	Symbol    string `json:"s"`
	Pair      string `json:"ps"`
	Bid       string `json:"b"`
	BidQty    string `json:"B"`
	Ask       string `json:"a"`
	AskQty    string `json:"A"`
	Type      int64  `json:"st"`
}

// parseBookTicker reads a bookTicker event of m into a ticker carrying the
// best bid and ask with their sizes, stamped with the event time (futures;
// spot sends none). Keys are matched exactly: "b" and "B" are different
// fields.
func parseBookTicker(m *unified.Market, data []byte, keepInfo bool) (*unified.Ticker, error) {
	var (
		s  jsonscan.Scanner
		ev bookTickerEvent
	)
	s.Reset(data)
	for obj := s.Object(); s.More(obj); {
		switch string(s.Key()) {
		case "e":
			ev.Event = string(s.Str())
		case "u":
			ev.UpdateID = s.Int()
		case "E":
			ev.EventTime = s.Int()
		case "T":
			ev.TxTime = s.Int()
		case "s":
			ev.Symbol = string(s.Str())
		case "ps":
			ev.Pair = string(s.Str())
		case "b":
			ev.Bid = string(s.Str())
		case "B":
			ev.BidQty = string(s.Str())
		case "a":
			ev.Ask = string(s.Str())
		case "A":
			ev.AskQty = string(s.Str())
		case "st":
			ev.Type = s.Int()
		}
	}
	if err := s.End(); err != nil {
		return nil, errors.Wrap(errors.BadResponse, err, "malformed bookTicker")
	}
	var ds decimals
	t := &unified.Ticker{Symbol: m.Symbol, Bid: ds.parse(ev.Bid), BidVolume: ds.parse(ev.BidQty),
		Ask: ds.parse(ev.Ask), AskVolume: ds.parse(ev.AskQty)}
	if ds.err != nil {
		return nil, ds.err
	}
	if ev.EventTime > 0 {
		t.Timestamp = millis(ev.EventTime)
	}
	if keepInfo {
		t.Info = ev
	}
	return t, nil
}

// markPriceEvent is a markPriceUpdate event. A delivery contract (COIN-M)
// has no funding: it sends "r":"" and "T":0. ap is the mark price's moving
// average, st the symbol's type after the COIN-M migration.
type markPriceEvent struct {
	Event       string `json:"e"`
	EventTime   int64  `json:"E"`
	Symbol      string `json:"s"`
	MarkPrice   string `json:"p"`
	IndexPrice  string `json:"i"`
	SettlePrice string `json:"P"`
	FundingRate string `json:"r"`
	MarkAverage string `json:"ap"`
	NextFunding int64  `json:"T"`
	Type        int64  `json:"st"`
}

// parseMarkPrice reads a markPriceUpdate event of m. As in FetchFundingRate,
// FundingTime is the event's next funding time: when the rate it carries is
// settled.
func parseMarkPrice(m *unified.Market, data []byte, keepInfo bool) (*unified.FundingRate, error) {
	var (
		s  jsonscan.Scanner
		ev markPriceEvent
	)
	s.Reset(data)
	for obj := s.Object(); s.More(obj); {
		switch string(s.Key()) {
		case "e":
			ev.Event = string(s.Str())
		case "E":
			ev.EventTime = s.Int()
		case "s":
			ev.Symbol = string(s.Str())
		case "p":
			ev.MarkPrice = string(s.Str())
		case "i":
			ev.IndexPrice = string(s.Str())
		case "P":
			ev.SettlePrice = string(s.Str())
		case "r":
			ev.FundingRate = string(s.Str())
		case "ap":
			ev.MarkAverage = string(s.Str())
		case "T":
			ev.NextFunding = s.Int()
		case "st":
			ev.Type = s.Int()
		}
	}
	if err := s.End(); err != nil {
		return nil, errors.Wrap(errors.BadResponse, err, "malformed markPriceUpdate")
	}
	var ds decimals
	f := &unified.FundingRate{Symbol: m.Symbol, Rate: ds.parse(ev.FundingRate),
		MarkPrice: ds.parse(ev.MarkPrice), IndexPrice: ds.parse(ev.IndexPrice), EstimatedSettlePrice: ds.parse(ev.SettlePrice)}
	if ds.err != nil {
		return nil, ds.err
	}
	if ev.EventTime > 0 {
		f.Timestamp = millis(ev.EventTime)
	}
	if ev.NextFunding > 0 {
		f.FundingTime = millis(ev.NextFunding)
	}
	if keepInfo {
		f.Info = ev
	}
	return f, nil
}
