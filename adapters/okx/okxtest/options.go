package okxtest

import (
	"net/http"
	"net/url"
	"slices"
	"time"
)

// Options: the server lists a few OPTION instruments (families BTC-USD and
// ETH-USD, expiring 2030-12-27 08:00 UTC) in public/instruments and names
// their families in public/underlying. They are listed only, unless
// Config.Instruments names them (options_stream.go): then they have a
// book, tickers and trades; none is traded.

// optionFamilies are the families public/underlying?instType=OPTION names.
var optionFamilies = []string{"BTC-USD", "ETH-USD"}

// optionExpiry is the expTime of every listed option (2030-12-27T08:00Z).
const optionExpiry = "1924588800000"

// optionInstruments are the listed options, in the shape of the docs'
// example: one contract is ctVal × ctMult = 0.01 of the base.
var optionInstruments = []map[string]any{
	optionJSON("BTC-USD", "BTC", "301227", "60000", "C", "0.0005"),
	optionJSON("BTC-USD", "BTC", "301227", "60000", "P", "0.0005"),
	optionJSON("ETH-USD", "ETH", "301227", "2500", "C", "0.0005"),
}

func optionJSON(family, settle, ymd, strike, cp, tick string) map[string]any {
	return map[string]any{"alias": "", "auctionEndTime": "", "baseCcy": "", "category": "1", "contTdSwTime": "", "ctMult": "0.01",
		"ctType": "", "ctVal": "1", "ctValCcy": settle, "expTime": optionExpiry, "futureSettlement": false, "groupId": "1",
		"instFamily": family, "instId": family + "-" + ymd + "-" + strike + "-" + cp, "instIdCode": nil, "instType": "OPTION",
		"lever": "", "listTime": "1702629020673", "lotSz": "1", "maxIcebergSz": "1000000", "maxLmtAmt": "20000000",
		"maxLmtSz": "1000000", "maxMktAmt": "", "maxMktSz": "5000", "maxStopSz": "5000", "maxTriggerSz": "1000000",
		"maxTwapSz": "1000000", "minSz": "1", "optType": cp, "quoteCcy": "", "ruleType": "normal", "settleCcy": settle,
		"state": "live", "stk": strike, "tickSz": tick, "uly": family}
}

// restUnderlying answers public/underlying: the families of instType, in
// a list of one list as the docs show.
func (s *Server) restUnderlying(q url.Values, _ []byte, _ time.Time) (any, *apiError) {
	switch q.Get("instType") {
	case "":
		return nil, emptyParam("instType")
	case Swap, Futures:
		fams := []string{}
		for _, m := range s.markets {
			if m.instType == q.Get("instType") && !slices.Contains(fams, m.family) {
				fams = append(fams, m.family)
			}
		}
		return [][]string{fams}, nil
	case "OPTION":
		return [][]string{optionFamilies}, nil
	}
	return nil, badParam("instType")
}

// needsFamily is the venue's refusal of instType OPTION without instFamily.
func needsFamily(q url.Values) *apiError {
	if q.Get("instType") == "OPTION" && q.Get("instFamily") == "" && q.Get("uly") == "" {
		return &apiError{http.StatusBadRequest, "50014", "Parameter instFamily can not be empty"}
	}
	return nil
}
