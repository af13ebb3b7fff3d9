package binance

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/ccxtfixture"
	"github.com/unifex-go/unifex/internal/fakeserver"
	"github.com/unifex-go/unifex/internal/watch"
)

// ccxtDifferences are the fields where we differ from CCXT on purpose, by
// method or by method/case, each with the reason.
var ccxtDifferences = map[string]map[string]string{
	"watchTrades": {
		"takerOrMaker": "a public trade's side is the taker's, so we say taker; CCXT leaves it null",
	},
	"fetchTrades": {
		"takerOrMaker": "a public trade's side is the taker's, so we say taker; CCXT leaves it null",
	},
	"watchTicker/inverse swap ticker": {
		"quoteVolume": "COIN-M: we take contracts × contract size, exact; CCXT multiplies the base volume by the rounded vwap",
	},
	"fetchDepositAddress/with code": {
		"network": "the reply names no network and none was asked for; CCXT matches the explorer URL against its loaded currencies' networks, we load none and leave it empty",
	},
	"fetchDeposits": {
		"network": "we give CCXT's unified code (TRX → TRC20, as CCXT 4.5's parseTransaction does through networkIdToCode); the fixture predates that and keeps Binance's id",
	},
	"fetchWithdrawals": {
		"network": "we give CCXT's unified code (TRX → TRC20, as CCXT 4.5's parseTransaction does through networkIdToCode); the fixture predates that and keeps Binance's id",
		"updated": "Binance's completeTime, when the withdrawal last changed (completed); CCXT reads only successTime/updateTime, which this endpoint does not send",
		"comment": "Binance's info, the withdrawal's failure reason; CCXT leaves comment null",
	},
	"withdraw": {
		"type":      "the reply is only the id; we return what was asked for (a withdrawal of that amount to that address on that network, pending), CCXT leaves it null",
		"amount":    "the amount asked for (see type)",
		"address":   "the address asked for (see type)",
		"addressTo": "the address asked for (see type)",
		"network":   "the network asked for (see type)",
		"status":    "pending: Binance accepted the request (see type)",
	},
}

// TestReplayCCXTWebSocketFixtures replays CCXT's recorded Binance frames
// through the adapter (wrapped as combined-stream messages, as the adapter
// subscribes) and compares each unified result with CCXT's, field by field,
// numbers as decimals, "info" ignored.
func TestReplayCCXTWebSocketFixtures(t *testing.T) {
	fixture, err := ccxtfixture.Read("testdata/ccxt/ws.json")
	if err != nil {
		t.Fatal(err)
	}
	fixture.RunCases(t, []string{"watchTrades", "watchTicker", "watchOHLCV", "watchOrderBook"}, 10, replayCase)
}

// productOf tells the product from the case's URL.
func productOf(url string) *product {
	switch {
	case strings.Contains(url, "fstream"):
		return products[usdm]
	case strings.Contains(url, "dstream"):
		return products[coinm]
	}
	return products[spot]
}

// replayCase replays c on the product of its URL, each frame wrapped as a
// message of the channel the adapter subscribed for the watch.
func replayCase(t *testing.T, method string, c ccxtfixture.Case) {
	a := c.Args()
	gate := newGate()
	x := fixtureExchange(t, productOf(c.URL), c.HTTPResponse, gate)
	defer close(gate.release)
	var key watch.Key
	r := ccxtfixture.Replay{
		Exchange: x,
		Ack:      `"result"`, // the SUBSCRIBE ack
		Feed: func(frame []byte) error {
			return feed(x, fmt.Sprintf(`{"stream":%q,"data":%s}`, x.channel(key), frame))
		},
		Skip: ccxtfixture.Skips([]map[string]map[string]string{ccxtDifferences}, method, method+"/"+c.Description),
	}
	switch method {
	case "watchTrades":
		key = watch.Key{Kind: watch.Trades, Symbol: a.Symbol}
		r.Watch = func(ctx context.Context) (any, error) { return x.WatchTrades(ctx, a.Symbol) }
	case "watchTicker":
		key = watch.Key{Kind: watch.Ticker, Symbol: a.Symbol}
		r.Watch = func(ctx context.Context) (any, error) { return x.WatchTicker(ctx, a.Symbol) }
	case "watchOHLCV":
		key = watch.Key{Kind: watch.OHLCV, Symbol: a.Symbol, Param: a.Timeframe}
		r.Watch = func(ctx context.Context) (any, error) { return x.WatchOHLCV(ctx, a.Symbol, a.Timeframe) }
	case "watchOrderBook":
		// CCXT keeps every book on the diff stream and trims it to the
		// limit; we would subscribe a partial-depth stream for a small
		// limit (TestPartialDepthBook). The fixture's frames are diffs, so
		// the full book is watched and trimmed as CCXT does.
		key = watch.Key{Kind: watch.Book, Symbol: a.Symbol}
		r.Watch = func(ctx context.Context) (any, error) {
			if _, err := x.WatchOrderBook(ctx, a.Symbol); err != nil {
				return nil, err
			}
			return x.OrderBook(a.Symbol, a.Limit)
		}
		r.Joined = func(ctx context.Context) error {
			select { // the stream is subscribed and the snapshot is asked for
			case <-gate.requested:
				return nil
			case <-ctx.Done():
				return errors.New("the adapter never asked for the REST book")
			}
		}
		// The book is compared once, after every frame: the REST book is
		// served, and the book read until it reaches the last frame's id.
		r.Settle = func(ctx context.Context) (any, error) {
			gate.release <- struct{}{}
			for {
				v, err := r.Watch(ctx)
				if err != nil {
					return nil, err
				}
				if b, _ := json.Marshal(v); bytes.Contains(b, []byte(`"nonce":`+lastID(c.Messages))) {
					return v, nil
				}
			}
		}
	}
	r.Check(t, c)
}

// ackSubscribe answers a stream request as Binance acknowledges a
// SUBSCRIBE: a null result under the request's id.
var ackSubscribe = replyByID(`{"result":null,"id":%d}`)

// replyByID answers a stream request with format, whose %d is the
// request's id.
func replyByID(format string) func(raw []byte) []string {
	return func(raw []byte) []string {
		var req struct {
			ID int64 `json:"id"`
		}
		_ = json.Unmarshal(raw, &req)
		return []string{fmt.Sprintf(format, req.ID)}
	}
}

// lastID is the final update id of the last depth frame, as text.
func lastID(msgs []json.RawMessage) string {
	var ev struct {
		U int64 `json:"u"`
	}
	_ = json.Unmarshal(msgs[len(msgs)-1], &ev)
	return fmt.Sprint(ev.U)
}

func decode(t *testing.T, b []byte, v any) {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if err := d.Decode(v); err != nil {
		t.Fatal(err)
	}
}

// snapshotGate holds the REST book back: requested receives when the
// adapter asks for it, and it is served when release is closed.
type snapshotGate struct{ requested, release chan struct{} }

func newGate() snapshotGate {
	return snapshotGate{requested: make(chan struct{}, 1), release: make(chan struct{})}
}

// fixtureInfo is an exchangeInfo reply listing CCXT's fixture markets of
// p, from the raw entries CCXT keeps in "info".
func fixtureInfo(t testing.TB, p *product) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/ccxt/markets.json")
	if err != nil {
		t.Fatal(err)
	}
	var ms map[string]struct {
		Type string          `json:"type"`
		Info json.RawMessage `json:"info"`
	}
	if err := json.Unmarshal(data, &ms); err != nil {
		t.Fatal(err)
	}
	var infos []json.RawMessage
	for _, m := range ms {
		var si symbolInfo
		if m.Type == "" || json.Unmarshal(m.Info, &si) != nil || si.Symbol == "" {
			continue // an entry without the unified fields
		}
		kind := spot
		if m.Type != "spot" {
			kind = usdm
			if si.MarginAsset == si.BaseAsset {
				kind = coinm
			}
		}
		if kind == p.kind {
			infos = append(infos, m.Info)
		}
	}
	info, _ := json.Marshal(map[string]any{"symbols": infos})
	return info
}

// fixtureExchange is an adapter of p whose markets are CCXT's fixture
// markets of that product (from their raw "info"), and whose REST book is
// snapshot.
func fixtureExchange(t testing.TB, p *product, snapshot json.RawMessage, gate snapshotGate) *Exchange {
	t.Helper()
	info := fixtureInfo(t, p)
	srv := fakeserver.NewHTTP()
	t.Cleanup(srv.Close)
	prefix := strings.TrimSuffix(p.exchangeInfo.Path, "/exchangeInfo")
	srv.Handle("GET "+p.exchangeInfo.Path, func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(info) })
	// The REST book is served once the test has fed the stream's frames,
	// as on a venue whose deltas are buffered while the snapshot is on its
	// way (the documented procedure).
	srv.Handle("GET "+prefix+"/depth", func(w http.ResponseWriter, _ *http.Request) {
		select {
		case gate.requested <- struct{}{}:
		default:
		}
		<-gate.release
		_, _ = w.Write(snapshot)
	})
	// A stream server that acknowledges subscriptions and sends nothing
	// else: the test feeds the frames.
	ws := fakeserver.NewReplyWS(ackSubscribe)
	t.Cleanup(ws.Close)
	// CCXT's fixtures expect its default newUpdates mode.
	x, err := New(p.id, exchange.Config{NewUpdates: true, URLs: map[string]string{"rest": srv.URL(), "stream": ws.URL()}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = x.Close() })
	return x
}
