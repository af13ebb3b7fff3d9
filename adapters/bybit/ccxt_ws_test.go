package bybit

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

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
	fixture.RunCases(t, []string{"watchTrades", "watchTicker", "watchOHLCV", "watchOrderBook", "watchBidsAsks"}, 9, replayWS)
}

// replayWS replays c through the engine on the route of its category (the
// last segment of its URL), on an adapter subscribing the depth CCXT did.
func replayWS(t *testing.T, method string, c ccxtfixture.Case) {
	a := c.Args()
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
	var opts []exchange.Option
	if a.Limit > 0 {
		opts = append(opts, exchange.Limit(a.Limit))
	}
	route := publicRoutes[c.URL[strings.LastIndexByte(c.URL, '/')+1:]]
	r := ccxtfixture.Replay{
		Exchange: x,
		Ack:      `"op"`, // a subscription's reply
		Feed: func(frame []byte) error {
			return x.Engine().Feed(route, stream.Message{Type: stream.Text, Data: frame})
		},
		First: true, // CCXT's results answer the first frames
		Skip:  ccxtfixture.Skips([]map[string]map[string]string{ccxtWSDifferences}, method, method+"/"+c.Description),
	}
	switch method {
	case "watchTrades":
		r.Watch = func(ctx context.Context) (any, error) { return x.WatchTrades(ctx, a.Symbol) }
	case "watchTicker":
		r.Watch = func(ctx context.Context) (any, error) { return x.WatchTicker(ctx, a.Symbol) }
	case "watchOHLCV":
		r.Watch = func(ctx context.Context) (any, error) { return x.WatchOHLCV(ctx, a.Symbol, a.Timeframe) }
	case "watchOrderBook":
		r.Watch = func(ctx context.Context) (any, error) { return x.WatchOrderBook(ctx, a.Symbol, opts...) }
	case "watchBidsAsks":
		r.Watch = func(ctx context.Context) (any, error) { return x.WatchBidsAsks(ctx, a.Symbols) }
	}
	r.Check(t, c)
}

// wsFixtureExchange is an adapter on CCXT's fixture markets whose public
// streams acknowledge every subscription and send nothing else (the test
// feeds the frames); depth is the book depth CCXT subscribed, 0 for the
// default.
func wsFixtureExchange(t testing.TB, depth int) *Exchange {
	t.Helper()
	venue, _ := fixtureVenue(t, emptyAnswer)
	ws := fakeserver.NewReplyWS(func(raw []byte) []string {
		var req struct {
			ReqID string `json:"req_id"`
			Op    string `json:"op"`
		}
		_ = json.Unmarshal(raw, &req)
		return []string{fmt.Sprintf(`{"success":true,"ret_msg":"","conn_id":"fixture","req_id":%q,"op":%q}`, req.ReqID, req.Op)}
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
