package bybit

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/ccxtfixture"
	"github.com/unifex-go/unifex/internal/fakeserver"
	"github.com/unifex-go/unifex/internal/stream"
)

// ccxtWSDifferences are the fields where our stream results differ from
// CCXT's on purpose, by method or method/description, each with the
// reason.
var ccxtWSDifferences = map[string]map[string]string{
	"watchTrades":    {"takerOrMaker": "a public trade's side is the taker's, so we say taker; CCXT leaves it null"},
	"watchOrderBook": {"nonce": "we keep the book's update id u as the nonce; CCXT leaves it null"},
}

// TestReplayCCXTWebSocketFixtures feeds CCXT's recorded Bybit frames to
// the adapter through the engine (Engine().Feed on the case's category
// route, subscription replies left out) and compares each unified result
// with CCXT's, field by field (ccxtfixture.Compare).
func TestReplayCCXTWebSocketFixtures(t *testing.T) {
	var fixture ccxtfixture.File
	readFixture(t, "ws/bybit.json", &fixture)
	replayed := 0
	for _, method := range []string{"watchTrades", "watchTicker", "watchOHLCV", "watchOrderBook", "watchBidsAsks"} {
		for _, c := range fixture.Methods[method] {
			t.Run(method+"/"+c.Description, func(t *testing.T) {
				replayWS(t, method, c)
				replayed++
			})
		}
	}
	if replayed < 9 {
		t.Fatalf("%d cases replayed", replayed)
	}
}

func replayWS(t *testing.T, method string, c ccxtfixture.Case) {
	var symbol, timeframe string
	var symbols []string
	var limit int
	if json.Unmarshal(c.Input[0], &symbol) != nil {
		_ = json.Unmarshal(c.Input[0], &symbols)
	}
	if len(c.Input) > 1 && json.Unmarshal(c.Input[1], &timeframe) != nil {
		_ = json.Unmarshal(c.Input[1], &limit)
	}
	depth := 0
	for _, msg := range c.Messages { // the depth CCXT subscribed
		var f struct {
			Topic string `json:"topic"`
		}
		if json.Unmarshal(msg, &f) == nil && strings.HasPrefix(f.Topic, "orderbook.") {
			_, _ = fmt.Sscanf(strings.TrimPrefix(f.Topic, "orderbook."), "%d", &depth)
		}
	}
	x := wsFixtureExchange(t, depth)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := x.LoadMarkets(ctx, false); err != nil {
		t.Fatal(err)
	}
	// Join the topic first (a cancelled call joins and returns), so that
	// the frames fed next are kept for the watcher.
	joined, stop := context.WithCancel(ctx)
	stop()
	var opts []exchange.Option
	if limit > 0 {
		opts = append(opts, exchange.Limit(limit))
	}
	var read func() (any, error)
	switch method {
	case "watchTrades":
		_, _ = x.WatchTrades(joined, symbol)
		read = func() (any, error) { return x.WatchTrades(ctx, symbol) }
	case "watchTicker":
		_, _ = x.WatchTicker(joined, symbol)
		read = func() (any, error) { return x.WatchTicker(ctx, symbol) }
	case "watchOHLCV":
		_, _ = x.WatchOHLCV(joined, symbol, timeframe)
		read = func() (any, error) { return x.WatchOHLCV(ctx, symbol, timeframe) }
	case "watchOrderBook":
		_, _ = x.WatchOrderBook(joined, symbol, opts...)
		read = func() (any, error) { return x.WatchOrderBook(ctx, symbol, opts...) }
	case "watchBidsAsks":
		_, _ = x.WatchBidsAsks(joined, symbols)
		read = func() (any, error) { return x.WatchBidsAsks(ctx, symbols) }
	}
	route := publicRoutes[c.URL[strings.LastIndexByte(c.URL, '/')+1:]]
	var got []any
	for _, msg := range c.Messages {
		if bytes.Contains(msg, []byte(`"op"`)) {
			continue // a subscription's reply
		}
		if err := x.Engine().Feed(route, stream.Message{Type: stream.Text, Data: msg}); err != nil {
			t.Fatalf("feeding %s: %v", msg, err)
		}
		v, err := read()
		if err != nil {
			t.Fatalf("watch after %s: %v", msg, err)
		}
		got = append(got, v)
	}
	expected := c.Expected()
	if len(got) < len(expected) {
		t.Fatalf("%d results for %d expected", len(got), len(expected))
	}
	got = got[:len(expected)] // CCXT's results answer the first frames
	skip := ccxtfixture.Skips([]map[string]map[string]string{ccxtWSDifferences}, method, method+"/"+c.Description)
	for i := range expected {
		diffs, err := ccxtfixture.CompareJSON(expected[i], got[i], skip)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range diffs {
			t.Errorf("result %d: %s", i, d)
		}
	}
}

// wsFixtureExchange is an adapter on CCXT's fixture markets whose public
// streams acknowledge every subscription and send nothing else (the test
// feeds the frames); depth is the book depth CCXT subscribed, 0 for the
// default.
func wsFixtureExchange(t testing.TB, depth int) *Exchange {
	t.Helper()
	venue, _ := fixtureVenue(t, emptyAnswer)
	ws := fakeserver.NewWS(func(c *fakeserver.Conn) {
		for {
			raw, err := c.Read(context.Background())
			if err != nil {
				return
			}
			var req struct {
				ReqID string `json:"req_id"`
				Op    string `json:"op"`
			}
			_ = json.Unmarshal(raw, &req)
			_ = c.Send([]byte(fmt.Sprintf(`{"success":true,"ret_msg":"","conn_id":"fixture","req_id":%q,"op":%q}`, req.ReqID, req.Op)))
		}
	})
	t.Cleanup(ws.Close)
	opts := Options{}
	if depth > 1 {
		opts.BookDepth = depth
	}
	// CCXT's fixtures expect its default newUpdates mode.
	x, err := New(exchange.Config{NewUpdates: true, Options: opts, URLs: map[string]string{"rest": venue.urls.rest,
		"spot": ws.URL(), "linear": ws.URL(), "inverse": ws.URL()}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = x.Close() })
	return x
}
