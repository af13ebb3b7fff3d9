package bybittest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/unifex-go/unifex/internal/fakeserver"
)

// The fake's messages have the keys and JSON types of the documented
// ones: each golden message of ../testdata/bybit/ is compared, key path by
// key path (nested objects and the first element of arrays too), with
// what the fake sends in its place.

func golden(t *testing.T, name string) json.RawMessage {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "bybit", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Source  string          `json:"source"`
		Message json.RawMessage `json:"message"`
	}
	if err := json.Unmarshal(b, &doc); err != nil || doc.Source == "" || doc.Message == nil {
		t.Fatalf("%s: %v (a golden file has a source and a message)", name, err)
	}
	return doc.Message
}

// keyTypes lists the key paths of a JSON value with their types:
// "data.b[]" -> "array".
func keyTypes(raw json.RawMessage, prefix string, out map[string]string) {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return
	}
	var obj map[string]json.RawMessage
	var arr []json.RawMessage
	switch v.(type) {
	case map[string]any:
		_ = json.Unmarshal(raw, &obj)
		for k, x := range obj {
			out[prefix+k] = jsonType(x)
			keyTypes(x, prefix+k+".", out)
		}
	case []any:
		_ = json.Unmarshal(raw, &arr)
		if len(arr) > 0 {
			p := strings.TrimSuffix(prefix, ".") + "[]"
			out[p] = jsonType(arr[0])
			keyTypes(arr[0], p+".", out)
		}
	}
}

func jsonType(raw json.RawMessage) string {
	var v any
	_ = json.Unmarshal(raw, &v)
	switch v.(type) {
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "bool"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "null"
}

// sameShape compares the golden's and the fake's key paths and types;
// onlyFake are paths the fake may add (newer fields than the example).
func sameShape(t *testing.T, name string, got json.RawMessage, onlyFake ...string) {
	t.Helper()
	w, g := map[string]string{}, map[string]string{}
	keyTypes(golden(t, name), "", w)
	keyTypes(got, "", g)
	for _, k := range onlyFake {
		delete(g, k)
	}
	var diffs []string
	for k, typ := range w {
		if g[k] == "" {
			diffs = append(diffs, "lacks "+k)
		} else if g[k] != typ {
			diffs = append(diffs, k+" is "+g[k]+", the docs' "+typ)
		}
	}
	for k := range g {
		if w[k] == "" {
			diffs = append(diffs, "adds "+k)
		}
	}
	sort.Strings(diffs)
	if len(diffs) > 0 {
		t.Errorf("%s: %v\nfake: %s", name, diffs, got)
	}
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
