package bybittest

import (
	"encoding/json"
	"strings"
	"testing"
)

// Whatever arrives on the option stream, the server answers it in the
// option shapes (a COMMAND_RESP naming the topics, the bare pong) or
// ignores it, without panicking; a subscribed book starts with a snapshot
// without seq.
func FuzzOptionHandle(f *testing.F) {
	f.Add(`{"req_id":"1","op":"subscribe","args":["orderbook.25.BTC-27DEC30-60000-C","publicTrade.BTC","tickers.BTC-27DEC30-60000-C"]}`)
	f.Add(`{"op":"subscribe","args":["orderbook.1.BTC-27DEC30-60000-C"]}`)
	f.Add(`{"op":"unsubscribe","args":["publicTrade.ETH"]}`)
	f.Add(`{"op":"ping"}`)
	s := Start(Config{Seed: 3, Symbols: []string{"BTC/USD:USDC-301227-60000-C", "ETH/USDT:USDT-301227-2500-P"}})
	defer s.Close()
	f.Fuzz(func(t *testing.T, msg string) {
		ss := &session{kind: publicStream, cat: Option, out: make(chan []byte, outQueue), topics: map[string]bool{}}
		s.handle(ss, []byte(msg))
		for len(ss.out) > 0 {
			var m map[string]json.RawMessage
			frame := <-ss.out
			if err := json.Unmarshal(frame, &m); err != nil {
				t.Fatalf("%s: %v", frame, err)
			}
			_, topic := m["topic"]
			_, command := m["type"]
			_, pong := m["op"]
			if !topic && !pong && (!command || m["data"] == nil) {
				t.Fatalf("not an option stream frame: %s", frame)
			}
			if topic && strings.HasPrefix(string(m["topic"]), `"orderbook.`) && strings.Contains(string(frame), `"seq"`) {
				t.Fatalf("an option book with seq: %s", frame)
			}
		}
	})
}

// A live option's id, instrument and topics follow Bybit's forms.
func TestOptionMarket(t *testing.T) {
	s := Start(Config{Seed: 4, Symbols: []string{"BTC/USD:USDC-301227-60000-C", "ETH/USDT:USDT-301227-2500-P"}})
	defer s.Close()
	if id, cat := s.ID("ETH/USDT:USDT-301227-2500-P"); id != "ETH-27DEC30-2500-P-USDT" || cat != Option {
		t.Fatalf("%s %s", id, cat)
	}
	listing := s.optionListing()
	ids := map[string]map[string]any{}
	for _, o := range listing {
		ids[o["symbol"].(string)] = o
	}
	if len(listing) != len(optionList)+1 || ids["BTC-27DEC30-60000-C"]["deliveryTime"] != "1924588800000" ||
		ids["ETH-27DEC30-2500-P-USDT"]["optionsType"] != "Put" {
		t.Fatalf("%v", listing)
	}
	for _, bad := range []string{"BTC/USD:USDT-301227-60000-C", "BTC/USD:USDC-301327-60000-C", "BTC/USD:USDC-301227-x-C", "BTC/USD:USDC-301227-1-X"} {
		if _, err := newMarket(bad); err == nil {
			t.Errorf("%s listed", bad)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for topic, ok := range map[string]bool{"orderbook.25.BTC-27DEC30-60000-C": true, "orderbook.100.ETH-27DEC30-2500-P-USDT": true,
		"orderbook.1.BTC-27DEC30-60000-C": false, "publicTrade.ETH": true, "publicTrade.SOL": false,
		"publicTrade.BTC-27DEC30-60000-C": false, "tickers.BTC-27DEC30-60000-C": true, "kline.1.BTC-27DEC30-60000-C": false} {
		if _, got := s.optionTopic(topic); got != ok {
			t.Errorf("%s: %v, want %v", topic, got, ok)
		}
	}
}
