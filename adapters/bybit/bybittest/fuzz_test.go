package bybittest

import (
	"encoding/json"
	"strings"
	"testing"
)

// Whatever a client sends as an order, the parser refuses it with a
// retCode or accepts values on the market's grid; it never panics.
func FuzzParseCreate(f *testing.F) {
	f.Add(`{"category":"linear","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"0.001","price":"60000.0"}`)
	f.Add(`{"category":"spot","symbol":"BTCUSDT","side":"Buy","orderType":"Market","qty":"10"}`)
	f.Add(`{"category":"inverse","symbol":"BTCUSD","side":"Sell","orderType":"Limit","qty":"1e30","price":"-1"}`)
	s := Start(Config{Seed: 1})
	defer s.Close()
	f.Fuzz(func(t *testing.T, body string) {
		p := params{}
		dec := json.NewDecoder(strings.NewReader(body))
		dec.UseNumber()
		if dec.Decode(&p) != nil {
			return
		}
		s.mu.Lock()
		a, err := s.parseCreate(p)
		s.mu.Unlock()
		if err != nil {
			if err.code == 0 {
				t.Fatal("a refusal without a retCode")
			}
			return
		}
		if a.qty%a.m.step != 0 || (!a.market && a.price%a.m.tick != 0) {
			t.Fatalf("accepted off-grid values: %+v", a)
		}
	})
}

// Whatever arrives on a stream, the server answers or ignores it without
// panicking.
func FuzzHandle(f *testing.F) {
	f.Add(`{"op":"subscribe","args":["orderbook.50.BTCUSDT"]}`)
	f.Add(`{"op":"auth","args":["k",1,"s"]}`)
	f.Add(`{"reqId":"x","op":"order.create","header":{"X-BAPI-TIMESTAMP":"1"},"args":[{}]}`)
	f.Add(`{"op":"ping"}`)
	s := Start(Config{Seed: 2})
	defer s.Close()
	f.Fuzz(func(t *testing.T, msg string) {
		for _, kind := range []streamKind{publicStream, privateStream, tradeStream} {
			ss := &session{kind: kind, cat: Linear, out: make(chan []byte, outQueue), topics: map[string]bool{}, authed: kind == tradeStream}
			s.handle(ss, []byte(msg))
		}
	})
}
