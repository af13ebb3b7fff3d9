// Command ccxtgoclient is CCXT-Go's client of the side-by-side run: its
// Binance pro exchange with urls.api.public and urls.api.ws.spot pointed
// at the replay server, markets loaded from the spot exchangeInfo only,
// and a loop on WatchOrderBook until the book reaches the last frame's
// update id; then its book and figures as a replay.Result.
package main

import (
	"flag"
	"log"
	"strconv"
	"time"

	ccxt "github.com/ccxt/ccxt/go/v4"
	ccxtpro "github.com/ccxt/ccxt/go/v4/pro"
	"github.com/unifex-go/unifex/bench/compare/replay"
)

func main() {
	addr := flag.String("addr", "", "the replay server's host:port")
	last := flag.Int64("last", 0, "the last frame's update id")
	frames := flag.Int("frames", 0, "the number of frames")
	flag.Parse()
	ex := ccxtpro.NewBinance(map[string]any{
		// Deep-merged into the exchange's description: only these URLs change.
		"urls": map[string]any{"api": map[string]any{
			"public": "http://" + *addr + "/api/v3",
			"ws":     map[string]any{"spot": "ws://" + *addr + "/ws"},
		}},
		"options": map[string]any{
			// Spot markets only: the default also loads /fapi and /dapi.
			"fetchMarkets":    map[string]any{"types": []any{"spot"}},
			"fetchCurrencies": false,
		},
	})
	// CCXT-Go refuses a plain ws:// URL while HttpProxy is nil ("to use
	// proxy with non-ssl ws:// urls, at first run loadHttpProxyAgent()", a
	// method CCXT-Go does not have; the error is dropped and WatchOrderBook
	// fails with a nil pointer dereference). An empty string passes that
	// check and, being "undefined" to its proxy settings, routes nothing
	// through a proxy.
	ex.HttpProxy = ""
	if _, err := ex.LoadMarkets(); err != nil {
		log.Fatal("loadMarkets: ", err)
	}
	cpu0, t0 := replay.CPUTime(), time.Now()
	var ob ccxt.OrderBook
	for ob.Nonce == nil || *ob.Nonce < *last {
		var err error
		if ob, err = ex.WatchOrderBook("BTC/USDT"); err != nil {
			log.Fatal("watchOrderBook: ", err)
		}
	}
	r := replay.Result{Client: "ccxt-go", Frames: *frames, Seconds: time.Since(t0).Seconds(),
		CPUSeconds: (replay.CPUTime() - cpu0).Seconds(),
		Book:       replay.Book{LastUpdateID: *ob.Nonce, Bids: levels(ob.Bids), Asks: levels(ob.Asks)}}
	if err := r.Print(); err != nil {
		log.Fatal(err)
	}
}

// levels writes float levels as the shortest decimal text that reads back
// as the same float (the recording's values have at most 13 digits).
func levels(ls [][]float64) [][2]string {
	out := make([][2]string, len(ls))
	for i, l := range ls {
		out[i] = [2]string{strconv.FormatFloat(l[0], 'f', -1, 64), strconv.FormatFloat(l[1], 'f', -1, 64)}
	}
	return out
}
