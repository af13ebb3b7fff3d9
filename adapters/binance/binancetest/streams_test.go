package binancetest

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/unified"
)

// localBook is a client's book, kept from a snapshot and depth updates as
// the docs' procedures say.
type localBook struct {
	bids, asks map[string]decimal.Decimal
	id         int64
}

func newLocalBook(snapshot map[string]json.RawMessage) *localBook {
	b := &localBook{bids: map[string]decimal.Decimal{}, asks: map[string]decimal.Decimal{}, id: num(snapshot, "lastUpdateId")}
	b.apply(snapshot["bids"], snapshot["asks"])
	return b
}

// apply sets absolute quantities; zero removes the level.
func (b *localBook) apply(bids, asks json.RawMessage) {
	for side, raw := range map[*map[string]decimal.Decimal]json.RawMessage{&b.bids: bids, &b.asks: asks} {
		var ls [][2]string
		_ = json.Unmarshal(raw, &ls)
		for _, l := range ls {
			q := decimal.RequireFromString(l[1])
			key := decimal.RequireFromString(l[0]).String()
			if q.IsZero() {
				delete(*side, key)
			} else {
				(*side)[key] = q
			}
		}
	}
}

// levels are the book's levels, best first.
func (b *localBook) levels() (bids, asks []unified.Level) {
	conv := func(m map[string]decimal.Decimal, desc bool) []unified.Level {
		out := make([]unified.Level, 0, len(m))
		for p, q := range m {
			out = append(out, unified.Level{Price: decimal.RequireFromString(p), Amount: q})
		}
		sort.Slice(out, func(i, j int) bool { return out[i].Price.GreaterThan(out[j].Price) == desc })
		return out
	}
	return conv(b.bids, true), conv(b.asks, false)
}

// sameAs compares the book with the server's at the book's update id.
func (b *localBook) sameAs(t *testing.T, s *Server, symbol string) {
	t.Helper()
	wantBids, wantAsks, ok := s.BookAt(symbol, b.id)
	if !ok {
		t.Fatalf("the server does not remember %s at %d", symbol, b.id)
	}
	gotBids, gotAsks := b.levels()
	for _, side := range []struct {
		name      string
		got, want []unified.Level
	}{{"bids", gotBids, wantBids}, {"asks", gotAsks, wantAsks}} {
		if len(side.got) != len(side.want) {
			t.Fatalf("%s at %d: %d levels, the server has %d", side.name, b.id, len(side.got), len(side.want))
		}
		for i := range side.got {
			if !side.got[i].Price.Equal(side.want[i].Price) || !side.got[i].Amount.Equal(side.want[i].Amount) {
				t.Fatalf("%s[%d] at %d: %s@%s, the server has %s@%s", side.name, i, b.id,
					side.got[i].Amount, side.got[i].Price, side.want[i].Amount, side.want[i].Price)
			}
		}
	}
}

// subscribe sends a SUBSCRIBE and checks its acknowledgement.
func (c *client) subscribe(id int, streams ...string) {
	c.t.Helper()
	c.send(map[string]any{"method": "SUBSCRIBE", "params": streams, "id": id})
	ack := c.until(func(m map[string]json.RawMessage) bool { _, ok := m["id"]; return ok })
	if string(ack["result"]) != "null" || num(ack, "id") != int64(id) || len(ack) != 2 {
		c.t.Fatalf("SUBSCRIBE %v: %v, want {\"result\":null,\"id\":%d}", streams, raw(ack), id)
	}
}

func raw(m map[string]json.RawMessage) string { b, _ := json.Marshal(m); return string(b) }

// depthUpdates reads the data of combined depth frames until the stream
// is quiet.
func (c *client) depthUpdates() []map[string]json.RawMessage {
	var out []map[string]json.RawMessage
	for {
		_ = c.ws.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
		_, data, err := c.ws.ReadMessage()
		if err != nil {
			return out
		}
		var frame struct {
			Stream string                     `json:"stream"`
			Data   map[string]json.RawMessage `json:"data"`
		}
		if json.Unmarshal(data, &frame) == nil && strings.Contains(frame.Stream, "@depth") {
			out = append(out, frame.Data)
		}
	}
}

func TestSpotDepthUpdateIDsAreContiguous(t *testing.T) {
	s := start(t, Config{Seed: 1, History: 4096})
	c := dial(t, s, "/stream")
	c.subscribe(1, "btcusdt@depth@100ms")
	var snap map[string]json.RawMessage
	get(t, s, "/api/v3/depth", "symbol=BTCUSDT&limit=1000").decode(t, &snap)
	book := newLocalBook(snap)
	book.sameAs(t, s, "BTC/USDT")
	s.Step(400)
	events := readDepth(t, c, 20)
	for i, ev := range events {
		if str(ev, "e") != "depthUpdate" || str(ev, "s") != "BTCUSDT" {
			t.Fatalf("event %d: %v", i, raw(ev))
		}
		if _, ok := ev["pu"]; ok {
			t.Fatalf("a spot depthUpdate carries pu: %v", raw(ev))
		}
		first, last := num(ev, "U"), num(ev, "u")
		if first != book.id+1 || last < first {
			t.Fatalf("event %d: U=%d u=%d after u=%d: spot ids must be contiguous (U = previous u + 1)", i, first, last, book.id)
		}
		book.apply(ev["b"], ev["a"])
		book.id = last
		book.sameAs(t, s, "BTC/USDT")
	}
}

// readDepth steps nothing and reads at least n depth updates.
func readDepth(t *testing.T, c *client, n int) []map[string]json.RawMessage {
	t.Helper()
	events := c.depthUpdates()
	if len(events) < n {
		t.Fatalf("only %d depth updates arrived", len(events))
	}
	return events
}

func TestFuturesDepthUpdatesChainByPU(t *testing.T) {
	for _, tc := range []struct {
		product Product
		path    string
		symbol  string
		stream  string
		rest    string
	}{
		{USDM, "/public/stream", "BTC/USDT:USDT", "btcusdt@depth@100ms", "/fapi/v1/depth"},
		{COINM, "/stream", "BTC/USD:BTC", "btcusd_perp@depth@100ms", "/dapi/v1/depth"},
	} {
		t.Run(tc.product.String(), func(t *testing.T) {
			s := start(t, Config{Product: tc.product, Seed: 2, History: 4096})
			c := dial(t, s, tc.path)
			c.subscribe(7, tc.stream)
			var snap map[string]json.RawMessage
			get(t, s, tc.rest, "symbol="+s.ID(tc.symbol)+"&limit=1000").decode(t, &snap)
			if num(snap, "E") == 0 || num(snap, "T") == 0 {
				t.Fatalf("a futures snapshot has E and T: %v", raw(snap))
			}
			book := newLocalBook(snap)
			book.sameAs(t, s, tc.symbol)
			s.Step(400)
			jumped := false
			for i, ev := range readDepth(t, c, 20) {
				first, last, prev := num(ev, "U"), num(ev, "u"), num(ev, "pu")
				if prev != book.id || first <= prev || last < first {
					t.Fatalf("event %d: U=%d u=%d pu=%d after u=%d: pu must name the previous u", i, first, last, prev, book.id)
				}
				jumped = jumped || first > prev+1
				if tc.product == COINM && str(ev, "ps") != "BTCUSD" {
					t.Fatalf("a COIN-M depthUpdate names its pair: %v", raw(ev))
				}
				book.apply(ev["b"], ev["a"])
				book.id = last
				book.sameAs(t, s, tc.symbol)
			}
			if !jumped {
				t.Fatal("futures update ids never jumped: they must not look contiguous per symbol")
			}
		})
	}
}

func TestControlMessages(t *testing.T) {
	s := start(t, Config{Seed: 3})
	c := dial(t, s, "/stream")
	c.subscribe(1, "btcusdt@trade", "ethusdt@bookTicker")

	c.send(map[string]any{"method": "LIST_SUBSCRIPTIONS", "id": 2})
	list := c.next()
	if string(list["result"]) != `["btcusdt@trade","ethusdt@bookTicker"]` || num(list, "id") != 2 {
		t.Fatalf("LIST_SUBSCRIPTIONS: %v", raw(list))
	}
	c.send(map[string]any{"method": "UNSUBSCRIBE", "params": []string{"btcusdt@trade"}, "id": "a1"})
	if ack := c.next(); string(ack["result"]) != "null" || str(ack, "id") != "a1" {
		t.Fatalf("UNSUBSCRIBE: %v", raw(ack))
	}
	c.send(map[string]any{"method": "GET_PROPERTY", "params": []string{"combined"}, "id": 3})
	if p := c.next(); string(p["result"]) != "true" {
		t.Fatalf("GET_PROPERTY combined on /stream: %v", raw(p))
	}
	for _, tc := range []struct {
		req  any
		code int64
		msg  string
	}{
		{map[string]any{"method": "SUBSCRIBE", "params": []string{"btcusdt@nonsense"}, "id": 4}, 2, "Invalid request: invalid stream"},
		{map[string]any{"method": "SUBSCRIBE", "params": []string{"BTCUSDT@trade"}, "id": 5}, 2, "Invalid request: invalid stream"},
		{map[string]any{"method": "SUBSCRIBE", "params": []string{"btcusdt@markPrice"}, "id": 6}, 2, "Invalid request: invalid stream"},
		{map[string]any{"method": "SUBSCRIPE", "params": []string{"btcusdt@trade"}, "id": 7}, 2, ""},
		{map[string]any{"method": "SET_PROPERTY", "params": []any{"nope", true}, "id": 8}, 0, "Unknown property"},
	} {
		c.send(tc.req)
		reply := c.next()
		e := obj(reply, "error")
		if num(e, "code") != tc.code || (tc.msg != "" && str(e, "msg") != tc.msg) || reply["id"] == nil {
			t.Fatalf("%v: %v, want error code %d %q with the id", tc.req, raw(reply), tc.code, tc.msg)
		}
	}
	if err := c.ws.WriteMessage(1, []byte(`{"method":`)); err != nil {
		t.Fatal(err)
	}
	if e := obj(c.next(), "error"); num(e, "code") != 3 {
		t.Fatalf("bad JSON: %v, want code 3", raw(e))
	}
	// The failed subscriptions changed nothing; the unsubscribed stream is quiet.
	c.send(map[string]any{"method": "LIST_SUBSCRIPTIONS", "id": 9})
	if list := c.next(); string(list["result"]) != `["ethusdt@bookTicker"]` {
		t.Fatalf("after the errors: %v", raw(list))
	}
}

func TestUSDMRoutes(t *testing.T) {
	s := start(t, Config{Product: USDM, Seed: 4})
	public := dial(t, s, "/public/stream")
	public.subscribe(1, "btcusdt@depth@100ms", "btcusdt@bookTicker", "ethusdt@depth5@100ms")
	market := dial(t, s, "/market/stream")
	market.subscribe(1, "btcusdt@aggTrade", "btcusdt@markPrice", "btcusdt@kline_1m", "btcusdt@ticker")
	for _, tc := range []struct {
		c      *client
		stream string
	}{{public, "btcusdt@aggTrade"}, {market, "btcusdt@depth"}, {market, "btcusdt@bookTicker"}, {public, "btcusdt@trade"}} {
		tc.c.send(map[string]any{"method": "SUBSCRIBE", "params": []string{tc.stream}, "id": 2})
		if e := obj(tc.c.next(), "error"); num(e, "code") != 2 {
			t.Fatalf("%s on the wrong route: %v, want an invalid-stream error", tc.stream, raw(e))
		}
	}
	for path, want := range map[string]int{"/stream": 404, "/ws/btcusdt@depth": 404, "/public/stream?streams=btcusdt@aggTrade": 400} {
		_, resp, err := dialRaw(s, path)
		if err == nil || resp == nil || resp.StatusCode != want {
			t.Fatalf("%s: %v, want HTTP %d", path, err, want)
		}
	}
	s.Step(200)
	seen := map[string]bool{}
	for _, c := range []*client{public, market} {
		for {
			_ = c.ws.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
			_, data, err := c.ws.ReadMessage()
			if err != nil {
				break
			}
			var f struct {
				Stream string                     `json:"stream"`
				Data   map[string]json.RawMessage `json:"data"`
			}
			if json.Unmarshal(data, &f) != nil {
				t.Fatalf("frame %s", data)
			}
			seen[f.Stream+" "+str(f.Data, "e")] = true
		}
	}
	for _, want := range []string{"btcusdt@depth@100ms depthUpdate", "btcusdt@bookTicker bookTicker", "ethusdt@depth5@100ms depthUpdate",
		"btcusdt@aggTrade aggTrade", "btcusdt@markPrice markPriceUpdate", "btcusdt@kline_1m kline", "btcusdt@ticker 24hrTicker"} {
		if !seen[want] {
			t.Errorf("no %s event (saw %v)", want, seen)
		}
	}
}

func TestDeltasBeforeAck(t *testing.T) {
	s := start(t, Config{Seed: 5, DeltasBeforeAck: true})
	c := dial(t, s, "/stream")
	c.send(map[string]any{"method": "SUBSCRIBE", "params": []string{"btcusdt@depth@100ms"}, "id": 1})
	first := c.next()
	if str(first, "stream") != "btcusdt@depth@100ms" || str(obj(first, "data"), "e") != "depthUpdate" {
		t.Fatalf("first frame after SUBSCRIBE: %v, want a depth update before the ack", raw(first))
	}
	if ack := c.next(); string(ack["result"]) != "null" || num(ack, "id") != 1 {
		t.Fatalf("then %v, want the ack", raw(ack))
	}
}

func TestRawStreamsAndSetProperty(t *testing.T) {
	s := start(t, Config{Seed: 6})
	c := dial(t, s, "/ws/btcusdt@bookTicker")
	s.Step(100)
	bt := c.until(func(m map[string]json.RawMessage) bool { return m["u"] != nil })
	if _, wrapped := bt["stream"]; wrapped || str(bt, "s") != "BTCUSDT" || bt["e"] != nil {
		t.Fatalf("raw spot bookTicker: %v, want {u,s,b,B,a,A} unwrapped", raw(bt))
	}
	c.send(map[string]any{"method": "SET_PROPERTY", "params": []any{"combined", true}, "id": 1})
	c.until(func(m map[string]json.RawMessage) bool { return num(m, "id") == 1 })
	s.Step(100)
	if f := c.until(func(m map[string]json.RawMessage) bool { return m["stream"] != nil }); str(f, "stream") != "btcusdt@bookTicker" {
		t.Fatalf("after SET_PROPERTY combined: %v", raw(f))
	}
}

func TestBackgroundFlow(t *testing.T) {
	s := start(t, Config{Product: COINM, Seed: 7, Rate: 500})
	c := dial(t, s, "/stream?streams=btcusd_perp@depth@100ms/ethusd_perp@depth@100ms")
	for i := 0; i < 5; i++ { // the market moves without Step
		if f := c.next(); !strings.HasSuffix(str(f, "stream"), "@depth@100ms") {
			t.Fatalf("frame %v", raw(f))
		}
	}
}
