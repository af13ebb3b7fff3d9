package bybit

import (
	"context"
	"testing"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/internal/stream"
)

// FuzzOptionStream: no message of the option stream panics its handler
// (books, publicTrade per base coin, snapshot tickers), the reply parser
// or the COMMAND_RESP matcher; what they refuse is a BadResponse.
func FuzzOptionStream(f *testing.F) {
	goldenMessages(f)
	id := "BTC-6JAN23-17500-C"
	for _, m := range []string{
		`{"topic":"orderbook.100.` + id + `","type":"snapshot","ts":1,"data":{"s":"` + id + `","b":[["5","1.5"]],"a":[["10","0.1"]],"u":7}}`,
		`{"topic":"orderbook.100.` + id + `","type":"delta","ts":2,"data":{"s":"` + id + `","b":[["5","0"]],"a":[],"u":8}}`,
		`{"id":"publicTrade.BTC-1-2","topic":"publicTrade.BTC","type":"snapshot","ts":3,"data":[{"T":3,"s":"` + id +
			`","S":"Sell","v":"0.01","p":"10","i":"a","BT":false,"mP":"7.8","iP":"16823.7","mIv":"0.48","iv":"0.5"},` +
			`{"T":3,"s":"ETH-6JAN23-1200-P","S":"Buy","v":"1","p":"2","i":"b","BT":false}]}`,
		`{"success":false,"ret_msg":"error:handler not found","conn_id":"c","data":{"failTopics":["tickers.X"],"successTopics":[]},"type":"COMMAND_RESP"}`,
	} {
		f.Add([]byte(m))
	}
	x := optionExchange(f)
	joined, stop := context.WithCancel(context.Background())
	stop()
	_, _ = x.WatchOrderBook(joined, docsOptionSymbol)
	_, _ = x.WatchTrades(joined, docsOptionSymbol)
	_, _ = x.WatchTicker(joined, docsOptionSymbol)
	match := commandReplyOf("orderbook.100." + id)
	f.Fuzz(func(t *testing.T, data []byte) {
		msg := stream.Message{Type: stream.Text, Data: data}
		match(msg)
		if _, err := parseControlReply(data); err != nil && !errors.Is(err, errors.BadResponse) {
			t.Fatalf("%s: %v, want a BadResponse", data, err)
		}
		if err := x.Engine().Feed(publicRoutes[CategoryOption], msg); err != nil && !errors.Is(err, errors.BadResponse) {
			t.Fatalf("%s: %v, want a BadResponse", data, err)
		}
	})
}
