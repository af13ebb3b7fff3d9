package okxtest

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Public REST: instruments, time, order book, tickers, trades, candles
// and funding rates.

func (s *Server) restTime(_ url.Values, _ []byte, now time.Time) (any, *apiError) {
	return []map[string]string{{"ts": ms(now)}}, nil
}

// instrumentJSON is an instrument as /public/instruments lists it.
func (m *market) instrumentJSON() map[string]any {
	out := map[string]any{"alias": "", "auctionEndTime": "", "baseCcy": "", "category": "1", "contTdSwTime": "", "ctMult": "",
		"ctType": "", "ctVal": "", "ctValCcy": "", "expTime": "", "futureSettlement": false, "groupId": "1", "instFamily": "",
		"instId": m.id, "instIdCode": itoa(m.code), "instType": m.instType, "lever": itoa(m.lever), "listTime": ms(m.listTime),
		"longPosRemainingQuota": "", "lotSz": m.size(m.lot), "maxIcebergSz": m.size(m.maxLmtSz), "maxLmtAmt": "20000000",
		"maxLmtSz": m.size(m.maxLmtSz), "maxMktAmt": "1000000", "maxMktSz": m.size(m.maxLmtSz / 100), "maxPlatOILmt": "",
		"maxStopSz": m.size(m.maxLmtSz / 100), "maxTriggerSz": m.size(m.maxLmtSz), "maxTwapSz": m.size(m.maxLmtSz),
		"minSz": m.size(m.minSz), "openType": "", "optType": "", "posLmtAmt": "", "posLmtPct": "", "preMktSwTime": "",
		"quoteCcy": "", "ruleType": "normal", "settleCcy": "", "shortPosRemainingQuota": "", "state": "live", "stk": "",
		"tickSz": m.price(m.tick), "tradeQuoteCcyList": []string{}, "uly": "", "upcChg": []any{}}
	if m.contract() {
		out["ctMult"], out["ctType"], out["ctVal"], out["ctValCcy"] = "1", "linear", m.ctVal, m.ctValCcy
		if m.inverse {
			out["ctType"] = "inverse"
		}
		out["instFamily"], out["uly"], out["settleCcy"] = m.family, m.family, m.settle
		if m.instType == Futures {
			out["expTime"] = ms(m.expiry)
		}
	} else {
		out["baseCcy"], out["quoteCcy"], out["tradeQuoteCcyList"] = m.base, m.quote, []string{m.quote}
	}
	return out
}

func (s *Server) restInstruments(q url.Values, _ []byte, _ time.Time) (any, *apiError) {
	t := q.Get("instType")
	switch t {
	case "":
		return nil, emptyParam("instType")
	case Spot, Swap, Futures, "MARGIN", "OPTION":
	default:
		return nil, badParam("instType")
	}
	if e := needsFamily(q); e != nil {
		return nil, e
	}
	if t == "OPTION" {
		return s.optionsOf(q), nil
	}
	out := []any{}
	for _, m := range s.markets {
		if m.instType == t && (q.Get("instId") == "" || q.Get("instId") == m.id) &&
			(q.Get("instFamily") == "" || q.Get("instFamily") == m.family) {
			out = append(out, m.instrumentJSON())
		}
	}
	return out, nil
}

// marketParam reads instId.
func (s *Server) marketParam(q url.Values) (*market, *apiError) {
	id := q.Get("instId")
	if id == "" {
		return nil, emptyParam("instId")
	}
	m := s.byID[id]
	if m == nil {
		return nil, &apiError{http.StatusBadRequest, "51001", "Instrument ID, Instrument ID code, or Spread ID doesn't exist."}
	}
	return m, nil
}

func (s *Server) restBooks(q url.Values, _ []byte, now time.Time) (any, *apiError) {
	m, e := s.marketParam(q)
	if e != nil {
		return nil, e
	}
	n := 1
	if v := q.Get("sz"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n <= 0 {
			return nil, badParam("sz")
		}
		n = min(n, 400)
	}
	d := map[string]any{"asks": m.levels(m.book.asks.Head(n)), "bids": m.levels(m.book.bids.Head(n)), "ts": ms(now)}
	if s.cfg.RESTSnapshot {
		d["seqId"] = m.book.seq
	}
	return []any{d}, nil
}

func (s *Server) restTicker(q url.Values, _ []byte, now time.Time) (any, *apiError) {
	m, e := s.marketParam(q)
	if e != nil {
		return nil, e
	}
	return []any{s.tickerLocked(m, now)}, nil
}

func (s *Server) restTickers(q url.Values, _ []byte, now time.Time) (any, *apiError) {
	t := q.Get("instType")
	if t == "" {
		return nil, emptyParam("instType")
	}
	if e := needsFamily(q); e != nil {
		return nil, e
	}
	out := []any{}
	for _, m := range s.markets {
		if m.instType == t && (q.Get("instFamily") == "" || q.Get("instFamily") == m.family) {
			out = append(out, s.tickerLocked(m, now))
		}
	}
	return out, nil
}

func (s *Server) restTrades(q url.Values, _ []byte, _ time.Time) (any, *apiError) {
	m, e := s.marketParam(q)
	if e != nil {
		return nil, e
	}
	n, e := limitOf(q, 100, 500)
	if e != nil {
		return nil, e
	}
	out := []any{}
	for i := len(m.trades.trades) - 1; i >= 0 && len(out) < n; i-- {
		out = append(out, m.trades.trades[i].restJSON(m))
	}
	return out, nil
}

// restJSON is a public trade as /market/trades writes it.
func (t trade) restJSON(m *market) map[string]any {
	out := m.tradeJSON(t, false)
	delete(out, "source")
	return out
}

// restCandles serves /market/candles (recent bars: within window one
// minute bars, 0 for all) and /market/history-candles: newest first,
// paged by after (older than) and before (newer than), in milliseconds.
func (s *Server) restCandles(maxLimit int, window int) handler {
	return func(q url.Values, _ []byte, _ time.Time) (any, *apiError) {
		m, e := s.marketParam(q)
		if e != nil {
			return nil, e
		}
		bar := q.Get("bar")
		if bar == "" {
			bar = "1m"
		}
		d, off, ok := barOf(bar)
		if !ok {
			return nil, badParam("bar")
		}
		n, e := limitOf(q, 100, maxLimit)
		if e != nil {
			return nil, e
		}
		var after, before int64
		for name, p := range map[string]*int64{"after": &after, "before": &before} {
			if v := q.Get(name); v != "" {
				t, err := strconv.ParseInt(v, 10, 64)
				if err != nil {
					return nil, badParam(name)
				}
				*p = t
			}
		}
		src := m.candles.bars
		if window > 0 {
			src = src[max(0, len(src)-window):]
		}
		agg := (&candles{bars: src}).aggregate(d, off)
		out := [][]string{}
		for i := len(agg) - 1; i >= 0 && len(out) < n; i-- {
			t := agg[i].open.UnixMilli()
			if (after != 0 && t >= after) || (before != 0 && t <= before) {
				continue
			}
			out = append(out, m.candleRow(agg[i], i < len(agg)-1))
		}
		return out, nil
	}
}

func (s *Server) restFundingRate(q url.Values, _ []byte, now time.Time) (any, *apiError) {
	m, e := s.marketParam(q)
	if e != nil {
		return nil, e
	}
	if m.instType != Swap {
		return nil, &apiError{http.StatusBadRequest, "51000", "Parameter instId error"}
	}
	next := now.UTC().Truncate(8 * time.Hour).Add(8 * time.Hour)
	return []any{map[string]any{"formulaType": "withRate", "fundingRate": m.fundingRate, "fundingTime": ms(next),
		"impactValue": "20000", "instId": m.id, "instType": Swap, "interestRate": "0.0001", "maxFundingRate": "0.0075",
		"method": "current_period", "minFundingRate": "-0.0075", "nextFundingRate": "", "nextFundingTime": ms(next.Add(8 * time.Hour)),
		"premium": "0.0000578", "settFundingRate": strings.TrimSuffix(m.fundingRate, "1") + "09", "settState": "settled", "ts": ms(now)}}, nil
}
