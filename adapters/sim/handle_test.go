package sim_test

import (
	"testing"

	"github.com/unifex-go/unifex/adapters/sim"
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/engine"
	"github.com/unifex-go/unifex/internal/stream"
)

// frames are messages as the venue sends them, one of each channel.
var frames = []string{
	`{"ch":"book:BTCUSDT","type":"snapshot","seq":7,"prev":-1,"ts":1763776000000,"bids":[["65000.10","0.12300"]],"asks":[["65000.20","1.00000"]],"cs":-123}`,
	`{"ch":"book:BTCUSDT","type":"delta","seq":8,"prev":7,"ts":1763776000001,"bids":[["65000.10","0"]],"asks":[],"cs":55}`,
	`{"ch":"trades:ETHUSDT","data":[{"id":"12","price":"3400.01","amount":"0.5000","side":"buy","ts":1763776000002}]}`,
	`{"ch":"ticker:ETHBTC","data":{"market":"ETHBTC","ts":1763776000003,"last":"0.05230","open":"0.05100","high":"0.05300","low":"0.05000","volume":"12.000","quoteVolume":"0.62760000","bid":"0.05229","bidSize":"1.000","ask":"0.05231","askSize":"2.000"}}`,
	`{"ch":"ohlcv:1m:BTCUSDT-PERP","data":[[1763775960000,"65010.0","65020.0","65000.0","65015.0","3.210"]]}`,
	`{"ch":"bbo:BTCUSDT","data":{"market":"BTCUSDT","ts":1763776000003,"seq":8,"bid":"65000.10","bidSize":"0.12300","ask":"65000.20","askSize":"1.00000"}}`,
	`{"ch":"bbo:ETHBTC","data":{"market":"ETHBTC","ts":1763776000003,"seq":2,"ask":"0.05231","askSize":"2.000"}}`,
	`{"ch":"funding:BTCUSDT-PERP","data":{"market":"BTCUSDT-PERP","ts":1763776000003,"rate":"0.0001","fundingTime":1763798400000,"prevRate":"0.00012","prevTime":1763769600000,"mark":"65010.0","index":"65009.5","interval":"8h"}}`,
	`{"ch":"orders","data":[{"id":"O1","market":"BTCUSDT","side":"buy","type":"limit","tif":"GTC","postOnly":false,"reduceOnly":false,"price":"65000.00","amount":"0.01000","filled":"0.00500","cost":"325","fee":"0.26","feeAsset":"USDT","status":"partially_filled","created":1763776000000,"updated":1763776000004}]}`,
	`{"ch":"fills","data":[{"id":"F1","orderId":"O1","market":"BTCUSDT","side":"buy","price":"65000.00","amount":"0.00500","fee":"0.26","feeAsset":"USDT","liquidity":"maker","ts":1763776000004}]}`,
	`{"ch":"balance","data":{"ts":1763776000005,"balances":[{"asset":"USDT","free":"99000.5","locked":"325.325"}]}}`,
	`{"ch":"positions","data":[{"market":"BTCUSDT-PERP","size":"-0.100","entry":"65000.1","mark":"65010.0","leverage":10,"margin":"650.001","unrealized":"-0.99","realized":"0","updated":1763776000006}]}`,
	`{"ack":3}`,
	`{"op":"pong"}`,
}

// badFrames name a channel but carry what no parser should accept.
var badFrames = []string{
	`{"ch":"book:BTCUSDT","type":"delta","seq":8,"prev":7,"bids":[["65000.10","x"]],"asks":[]}`,
	`{"ch":"book:BTCUSDT","type":"delta","seq":8,"prev":7,"bids":[["99999999999999999999999","1"]],"asks":[]}`,
	`{"ch":"trades:ETHUSDT","data":[{"id":"12","price":"","amount":"0.5","side":"buy","ts":1}]}`,
	`{"ch":"trades:ETHUSDT","data":[{"id":"12","price":"1","amount":"0.5","side":"up","ts":1}]}`,
	`{"ch":"ohlcv:1m:BTCUSDT","data":[[1.5,"1","1","1","1","1"]]}`,
	`{"ch":"ohlcv:1m:BTCUSDT","data":[[1,"1","1","1","1"]]}`,
	`{"ch":"orders","data":[{"id":"O1","market":"NOPE","status":"new","amount":"1","filled":"0","cost":"0","fee":"0"}]}`,
	`{"ch":"orders","data":[{"id":"O1","market":"BTCUSDT","status":"weird","amount":"1","filled":"0","cost":"0","fee":"0"}]}`,
	`{"ch":"balance","data":{"balances":[{"asset":"USDT","free":"1e","locked":"0"}]}}`,
	`{"ch":"positions","data":[{"market":"BTCUSDT-PERP","size":"1","entry":"1","mark":"1","leverage":0,"margin":"1","unrealized":"0","realized":"0"}]}`,
	`{"ch":"bbo:BTCUSDT","data":{"market":"BTCUSDT","ts":1,"seq":8,"bid":"65000.1.0","bidSize":"1"}}`,
	`{"ch":"bbo:BTCUSDT","data":{"market":"ETHUSDT","ts":1,"seq":8,"bid":"1","bidSize":"1"}}`,
	`{"ch":"funding:BTCUSDT-PERP","data":{"market":"BTCUSDT-PERP","rate":"0.0001%","mark":"1"}}`,
	`{"ch":"funding:BTCUSDT-PERP","data":[]}`,
	`{"ch":"nonsense:BTCUSDT","data":1}`,
	`{"ch":"trades:ETHUSDT","data":`,
}

// fedExchange is an adapter whose markets are loaded, for feeding frames.
func fedExchange(t testing.TB) *sim.Exchange {
	v := startVenue(exchange.Config{})
	ex := connect(t, v, exchange.Config{})
	t.Cleanup(func() {
		_ = ex.Close()
		v.Close()
	})
	if _, err := ex.LoadMarkets(t.Context(), false); err != nil {
		t.Fatal(err)
	}
	return ex
}

func feed(ex *sim.Exchange, frame string) error {
	return ex.Engine().Feed(engine.Route{Name: "public"}, stream.Message{Type: stream.Text, Data: []byte(frame)})
}

func TestHandleFrames(t *testing.T) {
	ex := fedExchange(t)
	for _, f := range frames {
		if err := feed(ex, f); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	for _, f := range badFrames {
		err := feed(ex, f)
		if err == nil {
			t.Errorf("%s: accepted", f)
			continue
		}
		var e *errors.Error
		if errors.As(err, &e) && !errors.Is(err, errors.BadResponse) {
			t.Errorf("%s: %v, want BadResponse", f, err)
		}
	}
}

// FuzzHandle: no frame makes the adapter panic.
func FuzzHandle(f *testing.F) {
	for _, s := range append(append([]string{}, frames...), badFrames...) {
		f.Add([]byte(s))
	}
	ex := fedExchange(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = ex.Engine().Feed(engine.Route{Name: "private", Private: true}, stream.Message{Type: stream.Text, Data: data})
	})
}
