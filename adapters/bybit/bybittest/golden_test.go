package bybittest

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/unifex-go/unifex/internal/fakeserver"
	goldenfile "github.com/unifex-go/unifex/internal/golden"
)

// The fake's messages have the keys and JSON types of the documented
// ones: each golden message of ../testdata/bybit/ is compared, key path by
// key path (nested objects and the first element of arrays too), with
// what the fake sends in its place.

func golden(t *testing.T, name string) json.RawMessage {
	t.Helper()
	return goldenfile.Read(t, filepath.Join("..", "testdata", "bybit", name+".json"))
}

// sameShape compares the golden's and the fake's key paths and types;
// onlyFake are paths the fake may add (newer fields than the example).
func sameShape(t *testing.T, name string, got json.RawMessage, onlyFake ...string) {
	t.Helper()
	goldenfile.Check(t, name, golden(t, name), got, goldenfile.Types, nil, onlyFake)
}

func raw(m map[string]json.RawMessage) json.RawMessage {
	b, _ := json.Marshal(m)
	return b
}

func TestMessagesMatchTheDocs(t *testing.T) {
	s := start(t, Config{Seed: 21})
	lin := dial(t, s, "linear")
	sameShape(t, "ws_subscribe_linear", raw(lin.subscribe("orderbook.50.BTCUSDT", "publicTrade.BTCUSDT", "tickers.BTCUSDT", "kline.5.BTCUSDT")))
	spot := dial(t, s, "spot")
	sameShape(t, "ws_subscribe_spot", raw(spot.subscribe("tickers.BTCUSDT")))
	seen := map[string]map[string]json.RawMessage{}
	for i := 0; i < 200 && len(seen) < 5; i++ {
		s.Step(10)
		for {
			m, err := lin.read(10 * time.Millisecond)
			if err != nil {
				break
			}
			key := strings.SplitN(str(m, "topic"), ".", 2)[0] + "/" + str(m, "type")
			if seen[key] == nil {
				seen[key] = m
			}
		}
	}
	sameShape(t, "ws_orderbook", raw(seen["orderbook/snapshot"]))
	sameShape(t, "ws_publicTrade", raw(seen["publicTrade/snapshot"]), "data[].seq")
	sameShape(t, "ws_tickers_linear", raw(seen["tickers/snapshot"]))
	sameShape(t, "ws_kline", raw(seen["kline/snapshot"]))
	sameShape(t, "ws_tickers_spot", raw(spot.until(func(m map[string]json.RawMessage) bool { return str(m, "topic") == "tickers.BTCUSDT" })))
	lin.write(map[string]any{"op": "ping", "req_id": ""})
	sameShape(t, "ws_pong_linear", raw(lin.until(func(m map[string]json.RawMessage) bool { return str(m, "ret_msg") == "pong" })))
	spot.write(map[string]any{"op": "ping"})
	sameShape(t, "ws_pong_spot", raw(spot.until(func(m map[string]json.RawMessage) bool { return str(m, "ret_msg") == "pong" })))
	priv := dial(t, s, "private")
	exp := time.Now().Add(time.Minute).UnixMilli()
	priv.write(map[string]any{"op": "auth", "args": []any{s.cfg.APIKey, exp, fakeserver.SignHMACSHA256(s.cfg.Secret, []byte(authString(exp)))}})
	sameShape(t, "ws_auth_private", raw(priv.next()))
	priv.write(map[string]any{"op": "ping", "req_id": "test"})
	sameShape(t, "ws_pong_private", raw(priv.next()))
}
