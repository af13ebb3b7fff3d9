// Command floorclient is the floor of the side-by-side run: the same
// frames read off the socket (gorilla/websocket, combined stream) and
// parsed with valyala/fastjson, a general fast JSON parser, and nothing
// else of a client but the least that ends with a book to check: each
// level kept in a map by its price text (the recording writes every price
// with eight decimals, so equal prices are equal texts).
package main

import (
	"encoding/json"
	"flag"
	"io"
	"log"
	"net/http"
	"slices"
	"time"

	"github.com/gorilla/websocket"
	"github.com/shopspring/decimal"
	"github.com/unifex-go/unifex/bench/compare/replay"
	"github.com/valyala/fastjson"
)

func main() {
	addr := flag.String("addr", "", "the replay server's host:port")
	last := flag.Int64("last", 0, "the last frame's update id")
	frames := flag.Int("frames", 0, "the number of frames")
	flag.Parse()
	d := websocket.Dialer{ReadBufferSize: 32 << 10}
	c, _, err := d.Dial("ws://"+*addr+"/stream", nil)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	cpu0, t0 := replay.CPUTime(), time.Now()
	if err := c.WriteMessage(websocket.TextMessage, []byte(`{"method":"SUBSCRIBE","params":["`+replay.Stream+`"],"id":1}`)); err != nil {
		log.Fatal(err)
	}
	// The snapshot, after subscribing, as the other clients load it.
	resp, err := http.Get("http://" + *addr + "/api/v3/depth?symbol=BTCUSDT&limit=5000")
	if err != nil {
		log.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		log.Fatal(err)
	}
	var snap replay.Book
	if err := json.Unmarshal(body, &snap); err != nil {
		log.Fatal(err)
	}
	bids, asks := map[string]string{}, map[string]string{}
	for _, l := range snap.Bids {
		bids[l[0]] = l[1]
	}
	for _, l := range snap.Asks {
		asks[l[0]] = l[1]
	}
	var p fastjson.Parser
	var u int64
	for u < *last {
		_, msg, err := c.ReadMessage()
		if err != nil {
			log.Fatal(err)
		}
		v, err := p.ParseBytes(msg)
		if err != nil {
			log.Fatal(err)
		}
		data := v.Get("data")
		if data == nil {
			continue // the subscription's reply
		}
		if data.GetInt64("u") <= snap.LastUpdateID {
			continue
		}
		u = data.GetInt64("u")
		apply(bids, data.GetArray("b"))
		apply(asks, data.GetArray("a"))
	}
	r := replay.Result{Client: "floor", Frames: *frames, Seconds: time.Since(t0).Seconds(),
		CPUSeconds: (replay.CPUTime() - cpu0).Seconds(),
		Book:       replay.Book{LastUpdateID: u, Bids: sorted(bids, true), Asks: sorted(asks, false)}}
	if err := r.Print(); err != nil {
		log.Fatal(err)
	}
}

// apply sets each [price, amount] level; a zero amount removes it.
func apply(side map[string]string, levels []*fastjson.Value) {
	for _, l := range levels {
		pa := l.GetArray()
		if len(pa) != 2 {
			log.Fatal("a level is not [price, amount]")
		}
		price, amount := pa[0].GetStringBytes(), pa[1].GetStringBytes()
		if isZero(amount) {
			delete(side, string(price))
		} else {
			side[string(price)] = string(amount)
		}
	}
}

// isZero reports whether a decimal text is zero ("0", "0.00000000").
func isZero(b []byte) bool {
	for _, c := range b {
		if c != '0' && c != '.' {
			return false
		}
	}
	return true
}

// sorted returns a side's levels best first.
func sorted(side map[string]string, bids bool) [][2]string {
	out := make([][2]string, 0, len(side))
	for p, a := range side {
		out = append(out, [2]string{p, a})
	}
	slices.SortFunc(out, func(x, y [2]string) int {
		c := decimal.RequireFromString(x[0]).Cmp(decimal.RequireFromString(y[0]))
		if bids {
			return -c
		}
		return c
	})
	return out
}
