package okx

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"testing"

	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/ccxtfixture"
	"github.com/unifex-go/unifex/internal/fakeserver"
	"github.com/unifex-go/unifex/internal/stream"
)

// ccxtDifferences are the fields where we differ from CCXT on purpose, by
// method, each with the reason.
var ccxtDifferences = map[string]map[string]string{
	"watchTrades": {"takerOrMaker": "a public trade's side is the taker's, so we say taker; CCXT leaves it null"},
	"fetchTrades": {"takerOrMaker": "a public trade's side is the taker's, so we say taker; CCXT leaves it null"},
	"watchTicker/linear swap ticker": {
		"baseVolume":  "a contract's vol24h counts contracts; we give volCcy24h, the volume in the base currency, CCXT the contracts",
		"quoteVolume": "a linear contract's tickers give no quote volume (volCcy24h is the base's); CCXT multiplies the base volume by the last price",
		"vwap":        "derived from the quote volume (see quoteVolume)",
	},
	"watchOrderBook": {"nonce": "books5 carries seqId, which we keep as the nonce; CCXT leaves it null"},
}

// TestReplayCCXTWebSocketFixtures feeds CCXT's recorded OKX frames to the
// adapter and compares each unified result with CCXT's, field by field,
// numbers as decimals, "info" ignored. watchBidsAsks is not replayed: CCXT
// reads it from tickers, we from bbo-tbt (TestBBO).
func TestReplayCCXTWebSocketFixtures(t *testing.T) {
	fixture, err := ccxtfixture.Read("testdata/ccxt/ws.json")
	if err != nil {
		t.Fatal(err)
	}
	fixture.RunCases(t, []string{"watchTrades", "watchTicker", "watchOHLCV", "watchOrderBook"}, 8, replayWS)
}

// replayWS replays c through the engine, on the route of its channel.
func replayWS(t *testing.T, method string, c ccxtfixture.Case) {
	a := c.Args()
	x := fixtureExchange(t, nil)
	route := publicRoute
	r := ccxtfixture.Replay{
		Exchange: x,
		Ack:      `"event"`, // the subscription's acknowledgement
		Feed: func(frame []byte) error {
			return x.Engine().Feed(route, stream.Message{Type: stream.Text, Data: frame})
		},
		Skip: ccxtfixture.Skips([]map[string]map[string]string{ccxtDifferences}, method, method+"/"+c.Description),
	}
	switch method {
	case "watchTrades":
		r.Watch = func(ctx context.Context) (any, error) { return x.WatchTrades(ctx, a.Symbol) }
	case "watchTicker":
		r.Watch = func(ctx context.Context) (any, error) { return x.WatchTicker(ctx, a.Symbol) }
	case "watchOHLCV":
		route = businessRoute
		r.Watch = func(ctx context.Context) (any, error) { return x.WatchOHLCV(ctx, a.Symbol, a.Timeframe) }
	case "watchOrderBook":
		r.Watch = func(ctx context.Context) (any, error) { return x.WatchOrderBook(ctx, a.Symbol, exchange.Limit(5)) }
	}
	r.Check(t, c)
}

func readFixture(t testing.TB, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatal(err)
	}
}

func decode(t *testing.T, b []byte, v any) {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if err := d.Decode(v); err != nil {
		t.Fatal(err)
	}
}

// fixtureInstruments are CCXT's fixture markets' raw instruments by type.
func fixtureInstruments(t testing.TB) map[string][]json.RawMessage {
	t.Helper()
	var ms map[string]struct {
		Info json.RawMessage `json:"info"`
	}
	readFixture(t, "testdata/ccxt/markets.json", &ms)
	out := map[string][]json.RawMessage{}
	for _, m := range ms {
		var in instrument
		if json.Unmarshal(m.Info, &in) == nil && in.InstType != TypeOption {
			out[in.InstType] = append(out[in.InstType], m.Info)
		}
	}
	return out
}

// fixtureExchange is an adapter whose markets are CCXT's fixture markets
// (from their raw "info"), whose other REST routes answer from replies,
// and whose streams acknowledge subscriptions and send nothing else: the
// test feeds the frames.
func fixtureExchange(t testing.TB, replies map[string]json.RawMessage) *Exchange {
	t.Helper()
	byType := fixtureInstruments(t)
	srv := fakeserver.NewHTTP()
	t.Cleanup(srv.Close)
	srv.Handle("GET /api/v5/public/instruments", func(w http.ResponseWriter, r *http.Request) {
		list := byType[r.URL.Query().Get("instType")]
		if list == nil {
			list = []json.RawMessage{}
		}
		b, _ := json.Marshal(map[string]any{"code": "0", "msg": "", "data": list})
		_, _ = w.Write(b)
	})
	// The fixture's option is left out (fixtureInstruments): no families.
	srv.Handle("GET /api/v5/public/underlying", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"code":"0","msg":"","data":[[]]}`))
	})
	for path, reply := range replies {
		srv.Handle("GET "+path, func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(reply) })
	}
	ws := fakeserver.NewReplyWS(func(raw []byte) []string {
		var req struct {
			ID   string            `json:"id"`
			Op   string            `json:"op"`
			Args []json.RawMessage `json:"args"`
		}
		_ = json.Unmarshal(raw, &req)
		var acks []string
		for _, a := range req.Args {
			acks = append(acks, fmt.Sprintf(`{"id":%q,"event":%q,"arg":%s,"connId":"fixture"}`, req.ID, req.Op, a))
		}
		return acks
	})
	t.Cleanup(ws.Close)
	// CCXT's fixtures expect its default newUpdates mode.
	x, err := New(exchange.Config{NewUpdates: true, URLs: map[string]string{"rest": srv.URL(), "public": ws.URL(), "business": ws.URL()}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = x.Close() })
	return x
}
