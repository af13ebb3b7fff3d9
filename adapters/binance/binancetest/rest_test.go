package binancetest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestExchangeInfo(t *testing.T) {
	for _, tc := range []struct {
		product Product
		path    string
		check   func(t *testing.T, sym map[string]json.RawMessage)
	}{
		{Spot, "/api/v3/exchangeInfo", func(t *testing.T, sym map[string]json.RawMessage) {
			if str(sym, "symbol") != "BTCUSDT" || str(sym, "baseAsset") != "BTC" || str(sym, "quoteAsset") != "USDT" {
				t.Fatalf("spot symbol: %v", raw(sym))
			}
		}},
		{USDM, "/fapi/v1/exchangeInfo", func(t *testing.T, sym map[string]json.RawMessage) {
			if str(sym, "contractType") != "PERPETUAL" || num(sym, "deliveryDate") != perpetualDelivery ||
				str(sym, "marginAsset") != "USDT" || str(sym, "status") != "TRADING" || sym["contractSize"] != nil {
				t.Fatalf("USD-M perpetual: %v", raw(sym))
			}
		}},
		{COINM, "/dapi/v1/exchangeInfo", func(t *testing.T, sym map[string]json.RawMessage) {
			if str(sym, "symbol") != "BTCUSD_PERP" || num(sym, "contractSize") != 100 || str(sym, "marginAsset") != "BTC" ||
				str(sym, "contractStatus") != "TRADING" || str(sym, "pair") != "BTCUSD" {
				t.Fatalf("COIN-M perpetual: %v", raw(sym))
			}
		}},
	} {
		t.Run(tc.product.String(), func(t *testing.T) {
			s := start(t, Config{Product: tc.product})
			r := get(t, s, tc.path, "")
			if r.status != 200 || r.header.Get("X-MBX-USED-WEIGHT-1M") == "" {
				t.Fatalf("HTTP %d, weight header %q: %s", r.status, r.header.Get("X-MBX-USED-WEIGHT-1M"), r.body)
			}
			var info struct {
				Symbols    []map[string]json.RawMessage
				RateLimits []map[string]any
			}
			r.decode(t, &info)
			if len(info.Symbols) != len(s.Symbols()) || len(info.RateLimits) == 0 {
				t.Fatalf("%d symbols, %d rate limits", len(info.Symbols), len(info.RateLimits))
			}
			tc.check(t, info.Symbols[0])
			filters := map[string]map[string]any{}
			var fs []map[string]any
			_ = json.Unmarshal(info.Symbols[0]["filters"], &fs)
			for _, f := range fs {
				filters[f["filterType"].(string)] = f
			}
			notional := "NOTIONAL"
			if tc.product == USDM {
				notional = "MIN_NOTIONAL"
			}
			for _, want := range []string{"PRICE_FILTER", "LOT_SIZE", "MARKET_LOT_SIZE", notional} {
				if tc.product == COINM && want == notional {
					continue // COIN-M has no notional filter
				}
				if filters[want] == nil {
					t.Errorf("no %s filter in %v", want, fs)
				}
			}
			if tc.product.futures() {
				dated := info.Symbols[len(info.Symbols)-1]
				if str(dated, "contractType") != "CURRENT_QUARTER" || num(dated, "deliveryDate") == perpetualDelivery ||
					!strings.Contains(str(dated, "symbol"), "_") {
					t.Errorf("dated contract: %v", raw(dated))
				}
			}
		})
	}
}

func TestRESTErrors(t *testing.T) {
	s := start(t, Config{})
	for _, tc := range []struct {
		path, query string
		code        int
	}{
		{"/api/v3/depth", "", codeMandatory},
		{"/api/v3/depth", "symbol=NOPE", codeBadSymbol},
		{"/api/v3/depth", "symbol=BTCUSDT&limit=x", codeInvalidParam},
		{"/api/v3/klines", "symbol=BTCUSDT&interval=7m", codeBadInterval},
		{"/api/v3/klines", "symbol=BTCUSDT", codeMandatory},
		{"/api/v3/exchangeInfo", "symbol=NOPE", codeBadSymbol},
		{"/api/v3/ticker/24hr", "symbols=%5B%22NOPE%22%5D", codeBadSymbol},
	} {
		r := get(t, s, tc.path, tc.query)
		if r.status != 400 || r.code() != tc.code {
			t.Errorf("%s?%s: HTTP %d %s, want 400 code %d", tc.path, tc.query, r.status, r.body, tc.code)
		}
	}
	if r := get(t, s, "/fapi/v1/depth", "symbol=BTCUSDT"); r.status != 404 {
		t.Errorf("a spot server serves /fapi: HTTP %d", r.status)
	}
}

func TestDepthLimitAndWeight(t *testing.T) {
	for _, tc := range []struct {
		limit  string
		levels int
		weight int
	}{{"5", 5, 5}, {"", 40, 5}, {"500", 40, 25}, {"1000", 40, 50}, {"6000", 40, 250}} {
		s := start(t, Config{}) // a fresh weight count
		r := get(t, s, "/api/v3/depth", "symbol=BTCUSDT&limit="+tc.limit)
		var d struct {
			LastUpdateID int64       `json:"lastUpdateId"`
			Bids         [][2]string `json:"bids"`
		}
		r.decode(t, &d)
		used, _ := strconv.Atoi(r.header.Get("X-MBX-USED-WEIGHT-1M"))
		if len(d.Bids) > tc.levels || (tc.limit == "5" && len(d.Bids) != 5) || used != tc.weight {
			t.Errorf("limit %q: %d bids, weight %d; want at most %d bids, weight %d", tc.limit, len(d.Bids), used, tc.levels, tc.weight)
		}
		if d.LastUpdateID == 0 || !strings.HasSuffix(d.Bids[0][0], "0") || len(strings.Split(d.Bids[0][0], ".")[1]) != 8 {
			t.Errorf("spot depth %v: prices are written with 8 decimals", d.Bids[0])
		}
	}
}

func TestKlinesPaging(t *testing.T) {
	s := start(t, Config{})
	now := s.now().Truncate(time.Minute)
	var rows [][]any
	get(t, s, "/api/v3/klines", "symbol=BTCUSDT&interval=15m").decode(t, &rows)
	if len(rows) != 500 {
		t.Fatalf("default limit: %d klines, want 500", len(rows))
	}
	last := int64(rows[len(rows)-1][0].(float64))
	if last != now.Truncate(15*time.Minute).UnixMilli() || len(rows[0]) != 12 || rows[0][11] != "0" {
		t.Fatalf("most recent kline opens at %d, want the current quarter hour; row %v", last, rows[0])
	}
	start := now.Add(-50 * time.Hour).UnixMilli()
	get(t, s, "/api/v3/klines", "symbol=BTCUSDT&interval=1h&limit=10&startTime="+strconv.FormatInt(start, 10)).decode(t, &rows)
	if len(rows) != 10 || int64(rows[0][0].(float64)) < start || int64(rows[0][0].(float64)) >= start+3600_000 {
		t.Fatalf("with startTime: %d klines from %v, want 10 from %d", len(rows), rows[0][0], start)
	}
	end := now.Add(-20 * time.Hour).UnixMilli()
	get(t, s, "/api/v3/klines", "symbol=BTCUSDT&interval=1h&limit=5&endTime="+strconv.FormatInt(end, 10)).decode(t, &rows)
	if len(rows) != 5 || int64(rows[4][0].(float64)) > end || int64(rows[4][0].(float64)) <= end-3600_000 {
		t.Fatalf("with endTime: the last of %d opens at %v, want the most recent up to %d", len(rows), rows[4][0], end)
	}
	get(t, s, "/api/v3/klines", "symbol=BTCUSDT&interval=1d&startTime="+strconv.FormatInt(start, 10)+"&endTime="+strconv.FormatInt(end, 10)).decode(t, &rows)
	for _, r := range rows {
		if open := int64(r[0].(float64)); open%(24*3600_000) != 0 || open > end {
			t.Fatalf("1d klines open at midnight UTC, within the range: %v", r)
		}
	}
	get(t, s, "/api/v3/klines", "symbol=BTCUSDT&interval=1w&limit=3").decode(t, &rows)
	for _, r := range rows {
		if time.UnixMilli(int64(r[0].(float64))).UTC().Weekday() != time.Monday {
			t.Fatalf("weeks start on Monday: %v", r)
		}
	}
}

func TestTickers(t *testing.T) {
	s := start(t, Config{Product: USDM})
	s.Step(100)
	var tickers []map[string]json.RawMessage
	get(t, s, "/fapi/v1/ticker/24hr", "").decode(t, &tickers)
	if len(tickers) != len(s.Symbols()) || tickers[0]["bidPrice"] != nil || tickers[0]["quoteVolume"] == nil {
		t.Fatalf("futures tickers: %v", tickers)
	}
	var one map[string]json.RawMessage
	get(t, s, "/fapi/v1/ticker/bookTicker", "symbol=BTCUSDT").decode(t, &one)
	if num(one, "lastUpdateId") != s.LastUpdateID("BTC/USDT:USDT") || str(one, "bidPrice") >= str(one, "askPrice") {
		t.Fatalf("bookTicker: %v", raw(one))
	}
	get(t, s, "/fapi/v1/premiumIndex", "symbol=BTCUSDT").decode(t, &one)
	if str(one, "lastFundingRate") != fundingRate || num(one, "nextFundingTime")%(8*3600_000) != 0 {
		t.Fatalf("premiumIndex: %v", raw(one))
	}
}

func TestRESTFaults(t *testing.T) {
	s := start(t, Config{})
	if r := signed(t, s, "GET", "/api/v3/account"); r.status != 200 {
		t.Fatalf("account: HTTP %d %s", r.status, r.body)
	}

	s.Maintenance(true)
	if r := get(t, s, "/api/v3/time", ""); r.status != 503 || r.code() != codeMaintenance || !strings.Contains(string(r.body), msgMaintenance) {
		t.Fatalf("maintenance: HTTP %d %s", r.status, r.body)
	}
	s.Maintenance(false)

	s.Throttle(300 * time.Millisecond)
	r := get(t, s, "/api/v3/time", "")
	if r.status != 429 || r.code() != codeTooManyRequests || r.header.Get("Retry-After") == "" || s.Throttled() != 1 {
		t.Fatalf("throttle: HTTP %d Retry-After %q %s", r.status, r.header.Get("Retry-After"), r.body)
	}
	time.Sleep(350 * time.Millisecond)
	if r := get(t, s, "/api/v3/time", ""); r.status != 200 {
		t.Fatalf("after the throttle: HTTP %d", r.status)
	}

	s.Skew(3 * time.Second) // our timestamps are now 3 s old: within 5 s
	if r := signed(t, s, "GET", "/api/v3/account"); r.status != 200 {
		t.Fatalf("3 s skew: HTTP %d %s", r.status, r.body)
	}
	for d, msg := range map[time.Duration]string{90 * time.Second: msgOutsideWindow, -90 * time.Second: msgAhead} {
		s.Skew(d)
		// sign with the local clock, as a client that has not synced
		s.Skew(0)
		ts := s.now().UnixMilli()
		s.Skew(d)
		payload := "timestamp=" + strconv.FormatInt(ts, 10)
		r := do(t, s, "GET", "/api/v3/account", payload+"&signature="+sign(s, payload), "", http.Header{"X-Mbx-Apikey": {s.cfg.APIKey}})
		if r.status != 400 || r.code() != codeTimestamp || !strings.Contains(string(r.body), msg) {
			t.Fatalf("skew %v: HTTP %d %s, want -1021 %q", d, r.status, r.body, msg)
		}
	}
	s.Skew(0)

	s.ExpireAuth(true)
	if r := signed(t, s, "GET", "/api/v3/account"); r.status != 401 || r.code() != codeRejectedKey {
		t.Fatalf("expired key: HTTP %d %s", r.status, r.body)
	}
	s.ExpireAuth(false)
	s.RejectSignatures(true)
	if r := signed(t, s, "GET", "/api/v3/account"); r.status != 400 || r.code() != codeSignature {
		t.Fatalf("rejected signature: HTTP %d %s", r.status, r.body)
	}
	s.RejectSignatures(false)
	if r := do(t, s, "GET", "/api/v3/account", "timestamp=1", "", nil); r.status != 401 || r.code() != codeBadKeyFormat {
		t.Fatalf("no API key: HTTP %d %s", r.status, r.body)
	}
	if r := do(t, s, "GET", "/api/v3/account", "timestamp=1", "", http.Header{"X-Mbx-Apikey": {s.cfg.APIKey}}); r.code() != codeMandatory {
		t.Fatalf("no signature: HTTP %d %s", r.status, r.body)
	}
}

// sign signs payload with the server's secret.
func sign(s *Server, payload string) string {
	return hmacHex(s.cfg.Secret, payload)
}
