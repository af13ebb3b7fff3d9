// Command gen records the stream of the side-by-side run: it starts
// binancetest's spot fake server, saves its exchangeInfo and its BTCUSDT
// depth snapshot, prepares a burst of consecutive diff-depth updates of 20
// changes, reads them off a WebSocket subscription and saves them gzipped,
// with the server's book at the burst's last update id.
//
//	go run ./cmd/gen -n 100000 -out testdata
package main

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"

	"github.com/gorilla/websocket"
	"github.com/unifex-go/unifex/adapters/binance/binancetest"
	"github.com/unifex-go/unifex/bench/compare/replay"
	"github.com/unifex-go/unifex/unified"
)

func main() {
	n := flag.Int("n", 100000, "frames to record")
	out := flag.String("out", "testdata", "directory to write")
	flag.Parse()
	if err := record(*n, *out); err != nil {
		log.Fatal(err)
	}
}

func record(n int, dir string) error {
	srv := binancetest.Start(binancetest.Config{Seed: 1})
	defer srv.Close()
	urls := srv.URLs()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := save(urls["rest"]+"/api/v3/exchangeInfo", filepath.Join(dir, replay.ExchangeInfoFile)); err != nil {
		return err
	}
	// The snapshot before the burst: the stream's first frame follows it.
	if err := save(urls["rest"]+"/api/v3/depth?symbol=BTCUSDT&limit=5000", filepath.Join(dir, replay.DepthFile)); err != nil {
		return err
	}
	c, _, err := websocket.DefaultDialer.Dial(urls["stream"]+"/stream", nil)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.WriteJSON(map[string]any{"method": "SUBSCRIBE", "params": []string{replay.Stream}, "id": 1}); err != nil {
		return err
	}
	if _, ack, err := c.ReadMessage(); err != nil {
		return err
	} else if string(ack) != `{"result":null,"id":1}` {
		return fmt.Errorf("subscription reply %s", ack)
	}
	burst, err := srv.PrepareDepthBurst("BTC/USDT", n, 20)
	if err != nil {
		return err
	}
	go burst.Send(0, n)
	f, err := os.Create(filepath.Join(dir, replay.FramesFile))
	if err != nil {
		return err
	}
	defer f.Close()
	zw, err := gzip.NewWriterLevel(f, gzip.BestCompression)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(zw)
	for range n {
		_, msg, err := c.ReadMessage()
		if err != nil {
			return err
		}
		w.Write(msg)
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	bids, asks, ok := srv.BookAt("BTC/USDT", burst.LastUpdateID())
	if !ok {
		return errors.New("the server does not remember the final book")
	}
	final := replay.Book{LastUpdateID: burst.LastUpdateID(), Bids: levels(bids), Asks: levels(asks)}
	b, err := json.MarshalIndent(final, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, replay.FinalFile), append(b, '\n'), 0o644)
}

func levels(ls []unified.Level) [][2]string {
	out := make([][2]string, len(ls))
	for i, l := range ls {
		out[i] = [2]string{l.Price.String(), l.Amount.String()}
	}
	return out
}

// save writes the body of GET url to path.
func save(url, path string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s: %s", url, resp.Status, body)
	}
	return os.WriteFile(path, body, 0o644)
}
