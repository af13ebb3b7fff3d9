package binance

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/engine"
	"github.com/unifex-go/unifex/internal/fakeserver"
	"github.com/unifex-go/unifex/internal/stream"
	"github.com/unifex-go/unifex/internal/watch"
)

// withMarkets returns an adapter of id whose markets come from a loopback
// server answering exchangeInfo with info.
func withMarkets(t *testing.T, id, path, info string) *Exchange {
	t.Helper()
	srv := fakeserver.NewHTTP()
	t.Cleanup(srv.Close)
	srv.Handle("GET "+path, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(info))
	})
	x, err := New(id, exchange.Config{URLs: map[string]string{"rest": srv.URL(), "stream": "ws://127.0.0.1:1"}})
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

func feed(x *Exchange, frame string) error {
	return x.Engine().Feed(publicRoute, stream.Message{Type: stream.Text, Data: []byte(frame)})
}

func TestChannelNames(t *testing.T) {
	x := withMarkets(t, IDCOINM, "/dapi/v1/exchangeInfo", coinmInfo)
	for k, want := range map[watch.Key]string{
		{Kind: watch.Book, Symbol: "BTC/USD:BTC"}:                "btcusd_perp@depth@100ms",
		{Kind: watch.Trades, Symbol: "BTC/USD:BTC"}:              "btcusd_perp@aggTrade",
		{Kind: watch.Ticker, Symbol: "BTC/USD:BTC"}:              "btcusd_perp@ticker",
		{Kind: watch.OHLCV, Symbol: "BTC/USD:BTC", Param: "15m"}: "btcusd_perp@kline_15m",
	} {
		if got := x.channel(k); got != want {
			t.Errorf("%v: %q, want %q", k, got, want)
		}
	}
	spotX := withMarkets(t, IDSpot, "/api/v3/exchangeInfo", spotInfo)
	if got := spotX.channel(watch.Key{Kind: watch.Trades, Symbol: "ETH/BTC"}); got != "ethbtc@trade" {
		t.Errorf("spot trades: %q", got)
	}
}

func TestStreamRoutesOfUSDM(t *testing.T) {
	x := withMarkets(t, IDUSDM, "/fapi/v1/exchangeInfo", usdmInfo)
	spec := x.streamSpec("wss://fstream.binance.com", "wss://ws-fapi.binance.com/ws-fapi/v1")
	for kind, want := range map[watch.Kind]string{watch.Book: "public", watch.Trades: "market", watch.OHLCV: "market"} {
		r, err := spec.Route(watch.Key{Kind: kind, Symbol: "BTC/USDT:USDT"})
		if err != nil || r.Name != want {
			t.Errorf("%v: route %v %v, want %s", kind, r, err, want)
		}
		if got := x.p.streamPath(r.Name); got != "/"+want+"/stream" {
			t.Errorf("%v: path %s", kind, got)
		}
	}
}

// Frames in the docs' shapes (web-socket-streams.md; USD-M market streams).
func TestHandleFrames(t *testing.T) {
	x := withMarkets(t, IDSpot, "/api/v3/exchangeInfo", spotInfo)
	good := []string{
		`{"stream":"ethbtc@depth@100ms","data":{"e":"depthUpdate","E":1672515782136,"s":"ETHBTC","U":157,"u":160,"b":[["0.0024","10"]],"a":[["0.0026","100"]]}}`,
		`{"stream":"ethbtc@trade","data":{"e":"trade","E":1672515782136,"s":"ETHBTC","t":12345,"p":"0.001","q":"100","T":1672515782136,"m":true,"M":true}}`,
		`{"stream":"ethbtc@ticker","data":{"e":"24hrTicker","E":1672515782136,"s":"ETHBTC","p":"0.0015","P":"250.00","w":"0.0018","x":"0.0009","c":"0.0025","Q":"10","b":"0.0024","B":"10","a":"0.0026","A":"100","o":"0.0010","h":"0.0025","l":"0.0010","v":"10000","q":"18","O":0,"C":86400000,"F":0,"L":18150,"n":18151}}`,
		`{"stream":"ethbtc@kline_1m","data":{"e":"kline","E":1672515782136,"s":"ETHBTC","k":{"t":1672515780000,"T":1672515839999,"s":"ETHBTC","i":"1m","f":100,"L":200,"o":"0.0010","c":"0.0020","h":"0.0025","l":"0.0015","v":"1000","n":100,"x":false,"q":"1.0000","V":"500","Q":"0.500","B":"123456"}}}`,
		`{"result":null,"id":7}`,
	}
	for _, f := range good {
		if err := feed(x, f); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	bad := []string{
		`{"stream":"ethbtc@depth@100ms","data":{"e":"depthUpdate","U":1,"u":2,"b":[["x","1"]],"a":[]}}`,
		`{"stream":"ethbtc@trade","data":{"t":1,"p":"","q":"1","T":1,"m":false}}`,
		`{"stream":"ethbtc@kline_1m","data":{"k":{"t":1,"o":"1","c":"1","h":"1","l":"one","v":"1"}}}`,
		`{"stream":"nosuch@trade","data":{}}`,
		`{"stream":"ethbtc@nonsense","data":{}}`,
		`{"stream":"ethbtc@trade","data":`,
	}
	for _, f := range bad {
		if err := feed(x, f); !errors.Is(err, errors.BadResponse) {
			t.Errorf("%s: %v, want BadResponse", f, err)
		}
	}
}

func TestResponseID(t *testing.T) {
	for frame, want := range map[string]string{
		`{"result":null,"id":12}`:                           "12",
		`{"code":2,"msg":"Invalid request: bad","id":"ab"}`: "ab",
		`{"stream":"x@trade","data":{"id":5}}`:              "",
		`{"e":"depthUpdate","U":1}`:                         "",
	} {
		got, ok := responseID(stream.Message{Data: []byte(frame)})
		if string(got) != want || ok != (want != "") {
			t.Errorf("%s: %q %v, want %q", frame, got, ok, want)
		}
	}
}

// FuzzHandle: no frame makes the adapter panic.
func FuzzHandle(f *testing.F) {
	f.Add([]byte(`{"stream":"ethbtc@depth@100ms","data":{"e":"depthUpdate","E":1,"s":"ETHBTC","U":157,"u":160,"pu":150,"b":[["0.0024","10"]],"a":[]}}`))
	f.Add([]byte(`{"stream":"ethbtc@kline_1m","data":{"k":{"t":1,"o":"1","c":"1","h":"1","l":"1","v":"1","q":"1"}}}`))
	f.Add([]byte(`{"stream":"ethbtc@ticker","data":{"c":"1e400","v":"-0"}}`))
	f.Add([]byte(`{"result":null,"id":1}`))
	var x *Exchange
	f.Fuzz(func(t *testing.T, data []byte) {
		if x == nil {
			x = withMarkets(t, IDSpot, "/api/v3/exchangeInfo", spotInfo)
		}
		_ = x.Engine().Feed(engine.Route{Name: "public"}, stream.Message{Type: stream.Text, Data: data})
	})
}

// TestSubscribeRefusals: both shapes of a refused SUBSCRIBE are errors.
func TestSubscribeRefusals(t *testing.T) {
	for _, reply := range []string{
		`{"error":{"code":2,"msg":"Invalid request: invalid stream"},"id":%d}`,
		`{"code":2,"msg":"Invalid request: invalid stream","id":%d}`,
	} {
		ws := fakeserver.NewReplyWS(replyByID(reply))
		x := withMarkets(t, IDSpot, "/api/v3/exchangeInfo", spotInfo)
		got := make(chan error, 1)
		link, err := stream.New(stream.Config{
			Dial:       func(context.Context) (stream.Target, error) { return stream.Target{URL: ws.URL() + "/stream"}, nil },
			ResponseID: responseID,
			OnConnect: func(ctx context.Context, s *stream.Session) error {
				got <- x.control(ctx, s, "SUBSCRIBE", []string{"nope@depth"})
				return nil
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		select {
		case err = <-got:
		case <-time.After(5 * time.Second):
			err = errors.Newf(errors.RequestTimeout, "no reply")
		}
		link.Close()
		ws.Close()
		var e *errors.Error
		if !errors.Is(err, errors.BadRequest) || !errors.As(err, &e) || e.Code != "2" {
			t.Errorf("%s: %v, want BadRequest with code 2", reply, err)
		}
	}
}
