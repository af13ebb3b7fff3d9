package bybit

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/jsonscan"
	"github.com/unifex-go/unifex/internal/stream"
	"github.com/unifex-go/unifex/unified"
)

// goldenMessages are the documented stream messages of testdata/bybit.
func goldenMessages(f *testing.F) {
	paths, _ := filepath.Glob("testdata/bybit/ws_*.json")
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		var g struct {
			Message json.RawMessage `json:"message"`
		}
		if json.Unmarshal(data, &g) == nil && len(g.Message) > 0 {
			f.Add([]byte(g.Message))
		}
	}
	f.Add([]byte(`{"topic":"orderbook.50.BTCUSDT","type":"delta","ts":1,"data":{"s":"BTCUSDT","b":[["1","x"]],"a":[],"u":2}}`))
	f.Add([]byte(`{"success":true,"ret_msg":"pong","conn_id":"c","op":"ping"}`))
}

// FuzzStreamMessage: no public message panics the envelope, book, trade,
// ticker or kline parsers, the pong filter or the reply matcher; what they
// refuse is a BadResponse.
func FuzzStreamMessage(f *testing.F) {
	goldenMessages(f)
	x, err := New(exchange.Config{})
	if err != nil {
		f.Fatal(err)
	}
	m := &unified.Market{Symbol: "BTC/USDT:USDT", ID: "BTCUSDT", Contract: true, Linear: true, Swap: true}
	f.Fuzz(func(t *testing.T, data []byte) {
		msg := stream.Message{Data: data}
		answerPong(msg)
		responseID(msg)
		e, err := scanEnvelope(data)
		if err != nil {
			badResponse(t, err)
			return
		}
		var s jsonscan.Scanner
		s.Reset(e.data)
		if _, err := scanBook(&s, nil); err != nil {
			badResponse(t, err)
		}
		var trades []streamTrade
		if json.Unmarshal(e.data, &trades) == nil {
			for _, r := range trades {
				if _, err := newTrade(m, r.ID, r.Price, r.Size, r.Side, r.Time); err != nil {
					badResponse(t, err)
				}
			}
		}
		var tf tickerFields
		if json.Unmarshal(e.data, &tf) == nil {
			if _, err := x.ticker(m, &tf, e.ts); err != nil {
				badResponse(t, err)
			}
			if _, err := x.fundingRate(m, &tf, e.ts); err != nil {
				badResponse(t, err)
			}
		}
		var klines []streamKline
		if json.Unmarshal(e.data, &klines) == nil {
			for _, k := range klines {
				if _, err := candle(k.Start, k.Open, k.High, k.Low, k.Close, k.Volume); err != nil {
					badResponse(t, err)
				}
			}
		}
	})
}

// FuzzREST: no instruments, kline or book result panics its parser; what
// they refuse is a BadResponse.
func FuzzREST(f *testing.F) {
	f.Add([]byte(`{"category":"linear","list":[{"symbol":"BTCUSDT","contractType":"LinearFutures","status":"Trading","baseCoin":"BTC","quoteCoin":"USDT","settleCoin":"USDT","deliveryTime":"1748592000000","priceFilter":{"tickSize":"0.1"},"lotSizeFilter":{"qtyStep":"0.001"}}],"nextPageCursor":""}`))
	f.Add([]byte(`{"list":[["1670608800000","17071","17073","17027","17055.5","268611","15.74462667"]]}`))
	f.Add([]byte(`{"s":"BTCUSDT","b":[["1","2"]],"a":[["3","4"]],"ts":1,"u":5}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var res instruments
		if json.Unmarshal(data, &res) == nil {
			for _, cat := range []string{CategorySpot, CategoryLinear, CategoryInverse} {
				if _, err := parseInstruments(cat, res.List); err != nil && !errors.Is(err, errors.BadResponse) && !errors.Is(err, errors.BadSymbol) {
					t.Fatalf("%s: %v", cat, err)
				}
			}
		}
		var kl struct {
			List [][]string `json:"list"`
		}
		if json.Unmarshal(data, &kl) == nil {
			if _, err := parseKlines(kl.List); err != nil {
				badResponse(t, err)
			}
		}
		var b bookReply
		if json.Unmarshal(data, &b) == nil {
			var ds decimals
			ds.levels(b.Bids)
			if ds.err != nil {
				badResponse(t, ds.err)
			}
		}
	})
}

func badResponse(t *testing.T, err error) {
	t.Helper()
	if !errors.Is(err, errors.BadResponse) {
		t.Fatalf("not a BadResponse: %v", err)
	}
}
