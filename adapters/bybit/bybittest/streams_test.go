package bybittest

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// A client that applies snapshots and deltas by Bybit's rules keeps the
// server's book at every u, on every category and depth.
func TestBookFollowsUpdateIDs(t *testing.T) {
	s := start(t, Config{Seed: 1})
	for _, tc := range []struct{ stream, symbol, id string }{
		{"spot", "BTC/USDT", "BTCUSDT"}, {"linear", "ETH/USDT:USDT", "ETHUSDT"}, {"inverse", "BTC/USD:BTC", "BTCUSD"},
	} {
		t.Run(tc.stream, func(t *testing.T) {
			c := dial(t, s, tc.stream)
			ack := c.subscribe("orderbook.50." + tc.id)
			if string(ack["success"]) != "true" {
				t.Fatalf("subscribe: %s", ack["ret_msg"])
			}
			b := &localBook{}
			first := c.until(func(m map[string]json.RawMessage) bool { return strings.HasPrefix(str(m, "topic"), "orderbook") })
			if str(first, "type") != "snapshot" {
				t.Fatalf("first message is a %s", str(first, "type"))
			}
			b.apply(t, first)
			b.matches(t, s, tc.symbol)
			deltas := 0
			for deltas < 40 {
				s.Step(10)
				for {
					m, err := c.read(50 * time.Millisecond)
					if err != nil {
						break
					}
					if str(m, "topic") != "orderbook.50."+tc.id {
						continue
					}
					if gap := b.apply(t, m); gap != "" {
						t.Fatal(gap)
					}
					b.matches(t, s, tc.symbol)
					deltas++
				}
			}
		})
	}
}

// Level 1 is snapshots only; an unknown depth is refused with Bybit's
// text; a spot subscribe takes at most 10 args.
func TestTopicsAndDepths(t *testing.T) {
	s := start(t, Config{Seed: 2})
	c := dial(t, s, "linear")
	ack := c.subscribe("orderbook.500.BTCUSDT")
	if string(ack["success"]) != "false" || str(ack, "ret_msg") != "error:handler not found,topic:orderbook.500.BTCUSDT" {
		t.Fatalf("depth 500: %v", ack)
	}
	ack = c.subscribe("orderbook.1.BTCUSDT", "orderbook.1000.BTCUSDT", "publicTrade.BTCUSDT", "tickers.BTCUSDT", "kline.1.BTCUSDT")
	if string(ack["success"]) != "true" {
		t.Fatalf("subscribe: %v", ack)
	}
	seen := map[string]bool{}
	var lastU int64
	for i := 0; i < 100 && len(seen) < 8; i++ {
		s.Step(20)
		for {
			m, err := c.read(30 * time.Millisecond)
			if err != nil {
				break
			}
			seen[str(m, "topic")+"/"+str(m, "type")] = true
			if str(m, "topic") == "orderbook.1.BTCUSDT" {
				var d struct {
					B, A [][2]string
					U    int64 `json:"u"`
				}
				_ = json.Unmarshal(m["data"], &d)
				if str(m, "type") != "snapshot" || len(d.B) != 1 || len(d.A) != 1 || d.U < lastU {
					t.Fatalf("level 1: %s", m["data"])
				}
				lastU = d.U
			}
		}
	}
	for _, want := range []string{"orderbook.1.BTCUSDT/snapshot", "orderbook.1000.BTCUSDT/snapshot", "orderbook.1000.BTCUSDT/delta",
		"publicTrade.BTCUSDT/snapshot", "tickers.BTCUSDT/snapshot", "tickers.BTCUSDT/delta", "kline.1.BTCUSDT/snapshot"} {
		if !seen[want] {
			t.Errorf("never saw %s (saw %v)", want, sortedStrings(seen))
		}
	}
	sc := dial(t, s, "spot")
	var many []string
	for range 11 {
		many = append(many, "publicTrade.BTCUSDT")
	}
	if ack := sc.subscribe(many...); string(ack["success"]) != "false" {
		t.Fatalf("11 spot args accepted: %v", ack)
	}
}

// Pings get each stream's pong shape; a connection that stops pinging is
// cut after the idle timeout, one that pings stays.
func TestPingAndIdleCut(t *testing.T) {
	s := start(t, Config{Seed: 3, IdleTimeout: 300 * time.Millisecond})
	for stream, want := range map[string]string{"spot": `"ret_msg":"pong"`, "linear": `"req_id":"p1"`, "private": `"op":"pong"`, "trade": `"retCode":0`} {
		c := dial(t, s, stream)
		c.write(map[string]any{"op": "ping", "req_id": "p1"})
		m := c.next()
		b, _ := json.Marshal(m)
		if !strings.Contains(string(b), want) {
			t.Errorf("%s pong %s lacks %s", stream, b, want)
		}
	}
	idle := dial(t, s, "linear")
	alive := dial(t, s, "linear")
	deadline := time.Now().Add(time.Second)
	for time.Now().Before(deadline) {
		alive.write(map[string]any{"op": "ping"})
		alive.next()
		time.Sleep(100 * time.Millisecond)
	}
	if _, err := idle.read(time.Second); err != errClosed {
		t.Fatalf("an idle connection was not cut: %v", err)
	}
	alive.write(map[string]any{"op": "ping"})
	if _, err := alive.read(time.Second); err != nil {
		t.Fatalf("a pinging connection was cut: %v", err)
	}
	// max_active_time out of range closes the connection
	if _, _, err := websocketDial(s.URLs()["private"] + "?max_active_time=5s"); err == nil {
		t.Fatal("max_active_time=5s accepted")
	}
}
