// Command unifexclient is unifex's client of the side-by-side run: the
// Binance spot adapter pointed at the replay server (Config.URLs), a loop on
// WatchOrderBook until the book reaches the last frame's update id, then
// its book and figures as a replay.Result.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"runtime/pprof"
	"time"

	"github.com/unifex-go/unifex/adapters/binance"
	"github.com/unifex-go/unifex/bench/compare/replay"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/unified"
)

func main() {
	addr := flag.String("addr", "", "the replay server's host:port")
	last := flag.Int64("last", 0, "the last frame's update id")
	frames := flag.Int("frames", 0, "the number of frames")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the run to this file")
	flag.Parse()
	ex, err := binance.New(binance.IDSpot, exchange.Config{URLs: map[string]string{
		"rest": "http://" + *addr, "stream": "ws://" + *addr,
	}})
	if err != nil {
		log.Fatal(err)
	}
	defer ex.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if _, err := ex.LoadMarkets(ctx, false); err != nil {
		log.Fatal(err)
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	cpu0, t0 := replay.CPUTime(), time.Now()
	var ob *unified.OrderBook
	for ob == nil || ob.Nonce < *last {
		if ob, err = ex.WatchOrderBook(ctx, "BTC/USDT"); err != nil {
			log.Fatal(err)
		}
	}
	r := replay.Result{Client: "unifex", Frames: *frames, Seconds: time.Since(t0).Seconds(),
		CPUSeconds: (replay.CPUTime() - cpu0).Seconds(), Book: replay.Book{LastUpdateID: ob.Nonce}}
	for _, l := range ob.Bids {
		r.Book.Bids = append(r.Book.Bids, [2]string{l.Price.String(), l.Amount.String()})
	}
	for _, l := range ob.Asks {
		r.Book.Asks = append(r.Book.Asks, [2]string{l.Price.String(), l.Amount.String()})
	}
	if err := r.Print(); err != nil {
		log.Fatal(err)
	}
}
