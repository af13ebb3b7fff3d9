package okx

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/ccxtfixture"
)

// TestReplayCCXTPublicResponses answers the adapter's public REST calls
// with the replies CCXT recorded and compares the unified results with
// CCXT's, field by field.
func TestReplayCCXTPublicResponses(t *testing.T) {
	var fixture struct {
		Methods map[string][]ccxtfixture.Case `json:"methods"`
	}
	readFixture(t, "testdata/ccxt/response.json", &fixture)
	paths := map[string]string{
		"fetchTicker": "/api/v5/market/ticker", "fetchTrades": "/api/v5/market/trades",
		"fetchOrderBook": "/api/v5/market/books", "fetchTime": "/api/v5/public/time",
		"fetchOHLCV": "/api/v5/market/history-candles",
	}
	replayed := 0
	for method, path := range paths {
		for _, c := range fixture.Methods[method] {
			t.Run(method+"/"+c.Description, func(t *testing.T) {
				x := fixtureExchange(t, map[string]json.RawMessage{path: c.HTTPResponse, "/api/v5/market/candles": c.HTTPResponse})
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				var symbol string
				if len(c.Input) > 0 {
					_ = json.Unmarshal(c.Input[0], &symbol)
				}
				var got any
				var err error
				switch method {
				case "fetchTicker":
					got, err = x.FetchTicker(ctx, symbol)
				case "fetchTrades":
					got, err = x.FetchTrades(ctx, symbol)
				case "fetchOrderBook":
					got, err = x.FetchOrderBook(ctx, symbol)
				case "fetchTime":
					var ts time.Time
					ts, err = x.FetchTime(ctx)
					got = ts.UnixMilli()
				case "fetchOHLCV":
					var timeframe string
					var since int64
					var limit int
					_ = json.Unmarshal(c.Input[1], &timeframe)
					_ = json.Unmarshal(c.Input[2], &since)
					_ = json.Unmarshal(c.Input[3], &limit)
					got, err = x.FetchOHLCV(ctx, symbol, timeframe, exchange.Since(time.UnixMilli(since)), exchange.Limit(limit))
				}
				if err != nil {
					t.Fatal(err)
				}
				compareAll(t, method, c.Description, []any{got}, []json.RawMessage{c.ParsedResponse})
				replayed++
			})
		}
	}
	if replayed < 6 {
		t.Fatalf("%d cases replayed", replayed)
	}
}

// compareAll compares our results with CCXT's.
func compareAll(t *testing.T, method, description string, got []any, expected []json.RawMessage) {
	t.Helper()
	diffs, err := ccxtfixture.CompareAll(expected, got, ccxtfixture.Skips([]map[string]map[string]string{ccxtDifferences}, method, method+"/"+description))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range diffs {
		t.Error(d)
	}
}
