package binance

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/ccxtfixture"
	"github.com/unifex-go/unifex/internal/engine"
	"github.com/unifex-go/unifex/internal/fakeserver"
	"github.com/unifex-go/unifex/internal/stream"
	"github.com/unifex-go/unifex/internal/watch"
	"github.com/unifex-go/unifex/unified"
)

// TestParseBookTickerGolden parses the documented bookTicker payloads of
// the three products.
func TestParseBookTickerGolden(t *testing.T) {
	for _, tc := range []struct {
		dir, symbol string
		bid, bidQty string
		ask, askQty string
		timestamp   int64 // 0: none (spot sends no event time)
		event, pair string
		typeOf      int64
	}{
		{"binance", "BNB/USDT", "25.35190000", "31.21000000", "25.36520000", "40.66000000", 0, "", "", 0},
		{"binanceusdm", "BNB/USDT:USDT", "25.35190000", "31.21000000", "25.36520000", "40.66000000", 1568014460893, "bookTicker", "BTCUSDT", 1},
		{"binancecoinm", "BTC/USD:BTC-200626", "9548.1", "52", "9548.5", "11", 1591268628166, "bookTicker", "BTCUSD", 2},
	} {
		t.Run(tc.dir, func(t *testing.T) {
			m := &unified.Market{Symbol: tc.symbol}
			got, err := parseBookTicker(m, []byte(golden(t, tc.dir, "ws_bookTicker")), true)
			if err != nil {
				t.Fatal(err)
			}
			want := &unified.Ticker{Symbol: tc.symbol, Bid: dec(tc.bid), BidVolume: dec(tc.bidQty), Ask: dec(tc.ask), AskVolume: dec(tc.askQty)}
			if tc.timestamp != 0 {
				want.Timestamp = millis(tc.timestamp)
			}
			info, _ := got.Info.(bookTickerEvent)
			got.Info = nil
			if g, w := mustMarshal(t, got), mustMarshal(t, want); g != w {
				t.Errorf("got  %s\nwant %s", g, w)
			}
			if got.Last.Valid || got.Close.Valid || got.High.Valid || got.BaseVolume.Valid {
				t.Errorf("a book ticker with more than the touch: %+v", got)
			}
			if info.Event != tc.event || info.Pair != tc.pair || info.Type != tc.typeOf || info.UpdateID == 0 || info.BidQty != tc.bidQty {
				t.Errorf("info %+v", info)
			}
		})
	}
}

// TestParseMarkPriceGolden parses the documented markPriceUpdate payloads:
// perpetuals (USD-M, COIN-M) and a delivery contract, which has no
// funding.
func TestParseMarkPriceGolden(t *testing.T) {
	for _, tc := range []struct {
		dir, name, symbol string
		want              unified.FundingRate
	}{
		{"binanceusdm", "ws_markPriceUpdate", "BTC/USDT:USDT", unified.FundingRate{Timestamp: millis(1562305380000),
			Rate: dec("0.00038167"), FundingTime: millis(1562306400000), MarkPrice: dec("11794.15000000"),
			IndexPrice: dec("11784.62659091"), EstimatedSettlePrice: dec("11784.25641265")}},
		{"binancecoinm", "ws_markPriceUpdate_perpetual", "BTC/USD:BTC", unified.FundingRate{Timestamp: millis(1596095725000),
			Rate: dec("0.00000000"), FundingTime: millis(1596096000000), MarkPrice: dec("11012.31359011"),
			IndexPrice: dec("10933.62615417"), EstimatedSettlePrice: dec("10962.17178236")}},
		{"binancecoinm", "ws_markPriceUpdate", "BTC/USD:BTC-201225", unified.FundingRate{Timestamp: millis(1596095725000),
			MarkPrice: dec("10934.62615417"), IndexPrice: dec("10933.62615417"), EstimatedSettlePrice: dec("10962.17178236")}},
	} {
		t.Run(tc.dir+"/"+tc.name, func(t *testing.T) {
			got, err := parseMarkPrice(&unified.Market{Symbol: tc.symbol}, []byte(golden(t, tc.dir, tc.name)), false)
			if err != nil {
				t.Fatal(err)
			}
			tc.want.Symbol = tc.symbol
			if g, w := mustMarshal(t, got), mustMarshal(t, &tc.want); g != w {
				t.Errorf("got  %s\nwant %s", g, w)
			}
			if got.Info != nil {
				t.Errorf("info kept without KeepInfo: %v", got.Info)
			}
		})
	}
}

func mustMarshal(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestTickerParsersRefuse: malformed events are typed BadResponse errors.
func TestTickerParsersRefuse(t *testing.T) {
	m := &unified.Market{Symbol: "ETH/BTC"}
	for _, data := range []string{
		`{"u":1,"s":"ETHBTC","b":"x","B":"1","a":"2","A":"1"}`,
		`{"u":1,"b":25.3,"B":"1","a":"2","A":"1"}`, // a number where the docs have a string
		`{"u":"1","b":"1","B":"1","a":"2","A":"1"}`,
		`{"u":1,"b":"1"`,
		`[]`,
		``,
	} {
		if _, err := parseBookTicker(m, []byte(data), false); !errors.Is(err, errors.BadResponse) {
			t.Errorf("bookTicker %s: %v, want BadResponse", data, err)
		}
	}
	for _, data := range []string{
		`{"e":"markPriceUpdate","E":1,"p":"1e","i":"1","P":"1","r":"0.1","T":2}`,
		`{"e":"markPriceUpdate","E":1,"p":"1","r":0.0001,"T":2}`,
		`{"E":1.5,"p":"1"}`,
		`{"p":"1"}}`,
	} {
		if _, err := parseMarkPrice(m, []byte(data), false); !errors.Is(err, errors.BadResponse) {
			t.Errorf("markPrice %s: %v, want BadResponse", data, err)
		}
	}
}

// TestTickerStreamsRouting: stream names, routes and NotSupported per product.
func TestTickerStreamsRouting(t *testing.T) {
	usdmX := withMarkets(t, IDUSDM, "/fapi/v1/exchangeInfo", usdmInfo)
	coinmX := withMarkets(t, IDCOINM, "/dapi/v1/exchangeInfo", coinmInfo)
	spotX := withMarkets(t, IDSpot, "/api/v3/exchangeInfo", spotInfo)
	for _, tc := range []struct {
		x       *Exchange
		k       watch.Key
		channel string
		route   string // "" : NotSupported
	}{
		{usdmX, watch.Key{Kind: watch.BidsAsks, Symbol: "BTC/USDT:USDT"}, "btcusdt@bookTicker", "public"},
		{usdmX, watch.Key{Kind: watch.FundingRate, Symbol: "BTC/USDT:USDT"}, "btcusdt@markPrice@1s", "market"},
		{coinmX, watch.Key{Kind: watch.BidsAsks, Symbol: "BTC/USD:BTC"}, "btcusd_perp@bookTicker", "public"},
		{coinmX, watch.Key{Kind: watch.FundingRate, Symbol: "BTC/USD:BTC"}, "btcusd_perp@markPrice@1s", "public"},
		{spotX, watch.Key{Kind: watch.BidsAsks, Symbol: "ETH/BTC"}, "ethbtc@bookTicker", "public"},
		{spotX, watch.Key{Kind: watch.FundingRate, Symbol: "ETH/BTC"}, "ethbtc@markPrice@1s", ""},
	} {
		spec := tc.x.streamSpec("wss://example", "wss://example/ws-api")
		r, err := spec.Route(tc.k)
		switch {
		case tc.route == "" && !errors.Is(err, errors.NotSupported):
			t.Errorf("%s %v: route %v %v, want NotSupported", tc.x.p.id, tc.k, r, err)
		case tc.route != "" && (err != nil || r.Name != tc.route):
			t.Errorf("%s %v: route %v %v, want %s", tc.x.p.id, tc.k, r, err, tc.route)
		}
		if got := tc.x.channel(tc.k); got != tc.channel {
			t.Errorf("%s %v: channel %q, want %q", tc.x.p.id, tc.k, got, tc.channel)
		}
		top, err := tc.x.topicOfStream([]byte(tc.channel))
		if err != nil || top.key != tc.k {
			t.Errorf("%s: topic %v %v, want %v", tc.channel, top.key, err, tc.k)
		}
	}
	// The three-second stream is read too.
	if top, err := usdmX.topicOfStream([]byte("btcusdt@markPrice")); err != nil || top.key.Kind != watch.FundingRate {
		t.Errorf("btcusdt@markPrice: %v %v", top.key, err)
	}
	for _, x := range []*Exchange{usdmX, coinmX} {
		for _, f := range []exchange.Feature{exchange.FeatureWatchBidsAsks, exchange.FeatureWatchFundingRate, exchange.FeatureWatchFundingRates,
			exchange.FeatureUnwatchBidsAsks, exchange.FeatureUnwatchFundingRate} {
			if !x.Has(f) {
				t.Errorf("%s lacks %s", x.p.id, f)
			}
		}
	}
	if !spotX.Has(exchange.FeatureWatchBidsAsks) || spotX.Has(exchange.FeatureWatchFundingRate) || spotX.Has(exchange.FeatureWatchFundingRates) {
		t.Errorf("spot features: %v", spotX.Features().List())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := spotX.WatchFundingRate(ctx, "ETH/BTC"); !errors.Is(err, errors.NotSupported) {
		t.Errorf("spot WatchFundingRate: %v, want NotSupported", err)
	}
}

// ackingExchange is an adapter of id whose markets come from info and
// whose stream server acknowledges every request and sends nothing else:
// the test feeds the frames.
func ackingExchange(t testing.TB, id, path, info string) *Exchange {
	t.Helper()
	srv := fakeserver.NewHTTP()
	t.Cleanup(srv.Close)
	srv.Handle("GET "+path, func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(info)) })
	ws := fakeserver.NewReplyWS(ackSubscribe)
	t.Cleanup(ws.Close)
	x, err := New(id, exchange.Config{URLs: map[string]string{"rest": srv.URL(), "stream": ws.URL()}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = x.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := x.LoadMarkets(ctx, false); err != nil {
		t.Fatal(err)
	}
	return x
}

// TestTickerFramesReachWatchers feeds combined-stream frames, "data" before
// "stream" too, and reads them back through the watches.
func TestTickerFramesReachWatchers(t *testing.T) {
	x := ackingExchange(t, IDCOINM, "/dapi/v1/exchangeInfo", coinmInfo)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	joined, stop := context.WithCancel(ctx)
	stop()
	_, _ = x.WatchBidsAsks(joined, []string{"BTC/USD:BTC"})
	_, _ = x.WatchFundingRate(joined, "BTC/USD:BTC")
	book := `{"e":"bookTicker","u":5,"s":"BTCUSD_PERP","b":"9548.1","B":"52","a":"9548.5","A":"11","T":1591268628155,"E":1591268628166}`
	mark := `{"e":"markPriceUpdate","E":1596095725000,"s":"BTCUSD_PERP","p":"11012.3","P":"10962.1","i":"10933.6","r":"0.0001","T":1596096000000}`
	for _, frame := range []string{
		`{"stream":"btcusd_perp@bookTicker","data":` + book + `}`,
		`{"data":` + mark + `,"stream":"btcusd_perp@markPrice@1s"}`,
	} {
		if err := x.Engine().Feed(publicRoute, stream.Message{Type: stream.Text, Data: []byte(frame)}); err != nil {
			t.Fatalf("%s: %v", frame, err)
		}
	}
	bas, err := x.WatchBidsAsks(ctx, []string{"BTC/USD:BTC"})
	if err != nil {
		t.Fatal(err)
	}
	if ba := bas["BTC/USD:BTC"]; ba == nil || ba.Bid.Decimal.String() != "9548.1" || ba.AskVolume.Decimal.String() != "11" ||
		ba.Timestamp.UnixMilli() != 1591268628166 || ba.Last.Valid {
		t.Fatalf("bids and asks: %+v", bas)
	}
	f, err := x.WatchFundingRate(ctx, "BTC/USD:BTC")
	if err != nil {
		t.Fatal(err)
	}
	if f.Rate.Decimal.String() != "0.0001" || f.MarkPrice.Decimal.String() != "11012.3" || f.FundingTime.UnixMilli() != 1596096000000 {
		t.Fatalf("funding rate: %+v", f)
	}
	// A malformed event reaches its watchers as a BadResponse.
	if err := feed(x, `{"stream":"btcusd_perp@bookTicker","data":{"b":"?"}}`); !errors.Is(err, errors.BadResponse) {
		t.Fatalf("feeding a bad bookTicker: %v", err)
	}
	if _, err := x.WatchBidsAsks(ctx, []string{"BTC/USD:BTC"}); !errors.Is(err, errors.BadResponse) {
		t.Fatalf("after a bad bookTicker: %v, want BadResponse", err)
	}
}

// TestReplayCCXTBidsAsks replays CCXT's watchBidsAsks fixture (raw frames
// of /ws, wrapped here as the combined stream the adapter subscribes) and
// compares each result with CCXT's, field by field.
func TestReplayCCXTBidsAsks(t *testing.T) {
	fixture, err := ccxtfixture.Read("testdata/ccxt/ws.json")
	if err != nil {
		t.Fatal(err)
	}
	cases := fixture.Methods["watchBidsAsks"]
	if len(cases) == 0 {
		t.Fatal("no watchBidsAsks case in CCXT's fixture")
	}
	for _, c := range cases {
		t.Run(c.Description, func(t *testing.T) {
			symbols := c.Args().Symbols
			if len(symbols) == 0 {
				t.Fatalf("input %s: no symbols", c.Input)
			}
			x := fixtureExchange(t, productOf(c.URL), nil, newGate())
			ccxtfixture.Replay{
				Exchange: x,
				Watch:    func(ctx context.Context) (any, error) { return x.WatchBidsAsks(ctx, symbols) },
				Ack:      `"result"`, // the SUBSCRIBE ack
				Feed: func(frame []byte) error { // on the channel of the frame's symbol
					var ev struct {
						S string `json:"s"`
					}
					_ = json.Unmarshal(frame, &ev)
					m := x.streamMarket(bytes.ToLower([]byte(ev.S)))
					if m == nil {
						return fmt.Errorf("no market %s", ev.S)
					}
					return feed(x, fmt.Sprintf(`{"stream":%q,"data":%s}`, x.channel(watch.Key{Kind: watch.BidsAsks, Symbol: m.Symbol}), frame))
				},
				First: true, // CCXT resolves its first watch with the first frame
			}.Check(t, c)
		})
	}
}

// FuzzTickerParsers: no payload makes the parsers panic, and what they
// accept has the event's numbers, unrounded.
func FuzzTickerParsers(f *testing.F) {
	for _, dir := range []string{"binance", "binanceusdm", "binancecoinm"} {
		if b, err := os.ReadFile("testdata/" + dir + "/ws_bookTicker.json"); err == nil {
			var doc struct{ Message json.RawMessage }
			if json.Unmarshal(b, &doc) == nil {
				f.Add([]byte(doc.Message))
			}
		}
	}
	f.Add([]byte(`{"e":"markPriceUpdate","E":1562305380000,"s":"BTCUSDT","p":"11794.15000000","i":"11784.62659091","P":"11784.25641265","r":"0.00038167","T":1562306400000}`))
	f.Add([]byte(`{"e":"markPriceUpdate","E":1,"s":"BTCUSD_201225","p":"1","P":"1","i":"1","r":"","T":0,"ap":"1","st":2}`))
	f.Add([]byte(`{"b":"1e400","B":"-0","a":"0.","A":".5"}`))
	m := &unified.Market{Symbol: "X/Y"}
	var x *Exchange
	f.Fuzz(func(t *testing.T, data []byte) {
		if tk, err := parseBookTicker(m, data, true); err == nil {
			info := tk.Info.(bookTickerEvent)
			if tk.Bid.Valid != (info.Bid != "") || tk.Ask.Valid != (info.Ask != "") {
				t.Fatalf("bid %v / ask %v from %q / %q", tk.Bid, tk.Ask, info.Bid, info.Ask)
			}
		} else if !errors.Is(err, errors.BadResponse) {
			t.Fatalf("an untyped error: %v", err)
		}
		if fr, err := parseMarkPrice(m, data, true); err == nil {
			info := fr.Info.(markPriceEvent)
			if fr.Rate.Valid != (info.FundingRate != "") || fr.FundingTime.IsZero() != (info.NextFunding <= 0) {
				t.Fatalf("rate %v at %v from %q / %d", fr.Rate, fr.FundingTime, info.FundingRate, info.NextFunding)
			}
		} else if !errors.Is(err, errors.BadResponse) {
			t.Fatalf("an untyped error: %v", err)
		}
		// Through the handler, as a frame of each stream.
		if x == nil {
			x = withMarkets(t, IDSpot, "/api/v3/exchangeInfo", spotInfo)
		}
		for _, name := range []string{"ethbtc@bookTicker", "ethbtc@markPrice@1s"} {
			frame := append(append([]byte(`{"stream":"`+name+`","data":`), data...), '}')
			_ = x.Engine().Feed(engine.Route{Name: "public"}, stream.Message{Type: stream.Text, Data: frame})
		}
	})
}

// BenchmarkBookTicker measures a bookTicker frame through the handler into
// a watched topic: the real-time stream's hot path.
func BenchmarkBookTicker(b *testing.B) {
	x := ackingExchange(b, IDCOINM, "/dapi/v1/exchangeInfo", coinmInfo)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _ = x.WatchBidsAsks(ctx, []string{"BTC/USD:BTC"}) // joins the topic
	frame := stream.Message{Type: stream.Text, Data: []byte(`{"stream":"btcusd_perp@bookTicker","data":` +
		`{"e":"bookTicker","u":17242169,"s":"BTCUSD_PERP","b":"9548.1","B":"52","a":"9548.5","A":"11","T":1591268628155,"E":1591268628166,"ps":"BTCUSD","st":2}}`)}
	b.ReportAllocs()
	for b.Loop() {
		if err := x.Engine().Feed(publicRoute, frame); err != nil {
			b.Fatal(err)
		}
	}
}
