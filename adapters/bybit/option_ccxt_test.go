package bybit

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/exchange"
)

// ccxtBTCOption is the instrument of CCXT's fixture market
// BTC/USDT:USDT-250530-70000-C (the fixture keeps no info for it): tick
// 5 and step 0.01 as its precision, expiry 2025-05-30 08:00 UTC.
const ccxtBTCOption = `{"symbol":"BTC-30MAY25-70000-C-USDT","status":"Trading","baseCoin":"BTC","quoteCoin":"USDT","settleCoin":"USDT",
"optionsType":"Call","launchTime":"1744009921396","deliveryTime":"1748592000000","deliveryFeeRate":"0.0002",
"priceFilter":{"minPrice":"5","maxPrice":"10000000","tickSize":"5"},"lotSizeFilter":{"maxOrderQty":"500","minOrderQty":"0.01","qtyStep":"0.01"}}`

// TestReplayCCXTOptionTickers replays CCXT's "Fetch tickers for a BTC
// option symbol": the REST option tickers (bid1Price, markIv, greeks) of
// one base coin, of which the asked option's ticker is compared with
// CCXT's field by field; the request asks category option and baseCoin BTC.
func TestReplayCCXTOptionTickers(t *testing.T) {
	var fixture struct {
		Methods map[string][]ccxtCase `json:"methods"`
	}
	readFixture(t, "response/bybit.json", &fixture)
	var c *ccxtCase
	for i := range fixture.Methods["fetchTickers"] {
		if fixture.Methods["fetchTickers"][i].Description == "Fetch tickers for a BTC option symbol" {
			c = &fixture.Methods["fetchTickers"][i]
		}
	}
	if c == nil {
		t.Fatal("the case is not in the fixture")
	}
	var asked []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if r.URL.Path == "/v5/market/instruments-info" {
			list := "[]"
			if q.Get("category") == CategoryOption && q.Get("baseCoin") == "BTC" {
				list = "[" + ccxtBTCOption + "]"
			}
			_, _ = w.Write([]byte(`{"retCode":0,"retMsg":"OK","result":{"category":"` + q.Get("category") + `","list":` + list + `,"nextPageCursor":""},"time":1}`))
			return
		}
		asked = append(asked, r.URL.RawQuery)
		_, _ = w.Write(c.HTTPResponse)
	}))
	defer srv.Close()
	x, err := New(exchange.Config{URLs: map[string]string{"rest": srv.URL}})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	const symbol = "BTC/USDT:USDT-250530-70000-C"
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	got, err := x.FetchTickers(ctx, []string{symbol})
	if err != nil {
		t.Fatal(err)
	}
	if len(asked) != 1 || !strings.Contains(asked[0], "category=option") || !strings.Contains(asked[0], "baseCoin=BTC") {
		t.Fatalf("asked %v, want one request of category option and baseCoin BTC", asked)
	}
	if len(got) != 1 || got[symbol] == nil {
		t.Fatalf("%d tickers: %v", len(got), got)
	}
	d := json.NewDecoder(strings.NewReader(string(c.ParsedResponse)))
	d.UseNumber()
	var parsed map[string]map[string]any
	if err := d.Decode(&parsed); err != nil {
		t.Fatal(err)
	}
	tk := got[symbol]
	compare(t, parsed[symbol], map[string]decimal.NullDecimal{"high": tk.High, "low": tk.Low, "bid": tk.Bid,
		"bidVolume": tk.BidVolume, "ask": tk.Ask, "askVolume": tk.AskVolume, "open": tk.Open, "close": tk.Close,
		"last": tk.Last, "change": tk.Change, "percentage": tk.Percentage, "average": tk.Average,
		"baseVolume": tk.BaseVolume, "quoteVolume": tk.QuoteVolume, "markPrice": tk.MarkPrice, "indexPrice": tk.IndexPrice})
}
