package binancetest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/shopspring/decimal"
)

// TestAlgoOrders: the Algo Service of the fake — replies with the docs'
// fields, refusals, a stop that rests until Step's last trade price
// reaches it and then places its ordinary order, events for each change.
func TestAlgoOrders(t *testing.T) {
	for _, tc := range []struct {
		product Product
		prefix  string
		path    func(key string) string
	}{
		{USDM, "/fapi/v1", func(key string) string { return "/private/ws?listenKey=" + key }},
		{COINM, "/dapi/v1", func(key string) string { return "/ws/" + key }},
	} {
		t.Run(tc.product.String(), func(t *testing.T) {
			s := start(t, Config{Product: tc.product, Seed: 21})
			key := do(t, s, "POST", tc.prefix+"/listenKey", "", "", http.Header{"X-Mbx-Apikey": {s.cfg.APIKey}})
			var lk map[string]string
			key.decode(t, &lk)
			user := dial(t, s, tc.path(lk["listenKey"]))
			symbol := s.Symbols()[0]
			id, m := s.ID(symbol), s.marketOf(symbol)
			qty := s.OrderRequest(0).Amount.String()
			last := s.LastPrice(symbol)
			tick := m.price(m.tick)
			place := func(side, typ string, trigger decimal.Decimal, more ...string) reply {
				return signed(t, s, "POST", tc.prefix+"/algoOrder", append([]string{"algoType", "CONDITIONAL", "symbol", id, "side", side,
					"type", typ, "quantity", qty, "triggerPrice", trigger.String()}, more...)...)
			}

			if r := place("BUY", "STOP_MARKET", last.Sub(tick)); r.code() != codeWouldTrigger {
				t.Errorf("a buy stop under the last price: HTTP %d %s", r.status, r.body)
			}
			if r := place("SELL", "TAKE_PROFIT", last.Sub(tick), "price", last.String()); r.code() != codeWouldTrigger {
				t.Errorf("a sell take-profit under the last price: HTTP %d %s", r.status, r.body)
			}
			trail := func(side string, more ...string) reply {
				return signed(t, s, "POST", tc.prefix+"/algoOrder", append([]string{"algoType", "CONDITIONAL", "symbol", id, "side", side,
					"type", "TRAILING_STOP_MARKET", "quantity", qty}, more...)...)
			}
			if r := trail("SELL"); r.code() != codeMandatory {
				t.Errorf("a trailing stop without callbackRate: HTTP %d %s", r.status, r.body)
			}
			if r := trail("SELL", "callbackRate", "10.1"); r.code() != codeInvalidParam {
				t.Errorf("a callbackRate above 10: HTTP %d %s", r.status, r.body)
			}
			if r := trail("SELL", "callbackRate", "1", "activatePrice", last.Sub(tick).String()); r.code() != codeWouldTrigger {
				t.Errorf("a sell trailing stop activated under the last price: HTTP %d %s", r.status, r.body)
			}
			if m.tick > 1 {
				if r := place("BUY", "STOP_MARKET", last.Add(m.price(m.tick/2+1))); r.code() != codeTick {
					t.Errorf("a trigger off the tick: HTTP %d %s", r.status, r.body)
				}
			}
			if r := signed(t, s, "POST", tc.prefix+"/order", "symbol", id, "side", "BUY", "type", "STOP_MARKET", "quantity", qty,
				"stopPrice", last.Add(tick).String()); r.code() != codeAlgoOnly {
				t.Errorf("a stop on the order endpoint: HTTP %d %s", r.status, r.body)
			}

			// A buy stop one tick above the last price rests, then fires.
			r := place("BUY", "STOP_MARKET", last.Add(tick), "clientAlgoId", "stop-1")
			var placed map[string]json.RawMessage
			r.decode(t, &placed)
			if r.status != 200 || str(placed, "algoStatus") != "NEW" || str(placed, "clientAlgoId") != "stop-1" || str(placed, "orderType") != "STOP_MARKET" {
				t.Fatalf("placed: HTTP %d %s", r.status, r.body)
			}
			if r := place("BUY", "STOP_MARKET", last.Add(tick), "clientAlgoId", "stop-1"); r.code() != codeDuplicateID {
				t.Errorf("a duplicate client algo id: HTTP %d %s", r.status, r.body)
			}
			algoID := fmt.Sprint(num(placed, "algoId"))
			ev := user.until(func(m map[string]json.RawMessage) bool { return str(m, "e") == "ALGO_UPDATE" })
			if o := obj(ev, "o"); str(o, "X") != "NEW" || num(o, "aid") != num(placed, "algoId") {
				t.Fatalf("ALGO_UPDATE NEW: %v", raw(ev))
			}
			var open []map[string]json.RawMessage
			signed(t, s, "GET", tc.prefix+"/openAlgoOrders", "symbol", id).decode(t, &open)
			if len(open) != 1 || num(open[0], "algoId") != num(placed, "algoId") {
				t.Fatalf("open algo orders: %v", open)
			}
			// A take-profit is placed and canceled.
			tp := place("SELL", "TAKE_PROFIT", last.Add(tick.Mul(decimal.NewFromInt(50))), "price", last.Add(tick.Mul(decimal.NewFromInt(50))).String())
			var tpPlaced map[string]json.RawMessage
			tp.decode(t, &tpPlaced)
			tpID := fmt.Sprint(num(tpPlaced, "algoId"))
			if c := signed(t, s, "DELETE", tc.prefix+"/algoOrder", "algoId", tpID); c.status != 200 {
				t.Fatalf("cancel: HTTP %d %s", c.status, c.body)
			}
			if c := signed(t, s, "DELETE", tc.prefix+"/algoOrder", "algoId", tpID); c.code() != codeCancelReject {
				t.Errorf("a second cancel: HTTP %d %s", c.status, c.body)
			}

			for i := 0; i < 400; i++ {
				if status, _ := s.AlgoStatus("stop-1"); status != "NEW" {
					break
				}
				s.Step(5)
			}
			status, orderID := s.AlgoStatus("stop-1")
			if status != "FINISHED" || orderID == 0 {
				t.Fatalf("after Step the stop is %q (order %d); last price %s, trigger %s", status, orderID, s.LastPrice(symbol), last.Add(tick))
			}
			// A buy trailing stop 0.1 % above the lowest price fires once the
			// price comes back up by it (the crowd of seed 21 drifts up).
			tr := trail("BUY", "callbackRate", "0.1", "clientAlgoId", "trail-1")
			var trPlaced map[string]json.RawMessage
			tr.decode(t, &trPlaced)
			if tr.status != 200 || str(trPlaced, "orderType") != "TRAILING_STOP_MARKET" || str(trPlaced, "callbackRate") != "0.1" ||
				str(trPlaced, "activatePrice") != "" {
				t.Fatalf("trailing stop placed: HTTP %d %s", tr.status, tr.body)
			}
			for i := 0; i < 4000; i++ {
				if status, _ := s.AlgoStatus("trail-1"); status != "NEW" {
					break
				}
				s.Step(5)
			}
			if status, trOrder := s.AlgoStatus("trail-1"); status != "FINISHED" || trOrder == 0 {
				t.Fatalf("after Step the trailing stop is %q (order %d)", status, trOrder)
			}
			triggered := user.until(func(m map[string]json.RawMessage) bool {
				return str(m, "e") == "ALGO_UPDATE" && str(obj(m, "o"), "X") == "TRIGGERED"
			})
			if o := obj(triggered, "o"); str(o, "ai") != fmt.Sprint(orderID) || str(o, "act") != "MARKET" {
				t.Fatalf("ALGO_UPDATE TRIGGERED: %v", raw(triggered))
			}
			finished := user.until(func(m map[string]json.RawMessage) bool {
				return str(m, "e") == "ALGO_UPDATE" && str(obj(m, "o"), "X") == "FINISHED"
			})
			if o := obj(finished, "o"); str(o, "aq") != qty {
				t.Fatalf("ALGO_UPDATE FINISHED: %v", raw(finished))
			}
			signed(t, s, "GET", tc.prefix+"/openAlgoOrders").decode(t, &open)
			if len(open) != 0 {
				t.Errorf("open algo orders after the trigger: %v", open)
			}
			query := signed(t, s, "GET", tc.prefix+"/algoOrder", "algoId", algoID)
			if tc.product == COINM {
				if query.status != http.StatusMethodNotAllowed {
					t.Errorf("COIN-M serves a query the docs do not list: HTTP %d", query.status)
				}
				return
			}
			var got map[string]json.RawMessage
			query.decode(t, &got)
			if str(got, "algoStatus") != "FINISHED" || str(got, "actualOrderId") != fmt.Sprint(orderID) {
				t.Errorf("query: %s", query.body)
			}

			// The fake's replies and events have the docs' fields.
			sameKeys(t, "rest_algoOrder_new", golden(t, USDM, "rest_algoOrder_new"), tp.body, nil, nil)
			sameKeys(t, "rest_algoOrder_query", golden(t, USDM, "rest_algoOrder_query"), query.body, nil, nil)
			cancelReply := signed(t, s, "DELETE", tc.prefix+"/algoOrder", "algoId", fmt.Sprint(num(placeOpen(t, s, place, last, tick), "algoId")))
			sameKeys(t, "rest_algoOrder_cancel", golden(t, USDM, "rest_algoOrder_cancel"), cancelReply.body, nil, nil)
			placeOpen(t, s, place, last, tick)
			openBody := signed(t, s, "GET", tc.prefix+"/openAlgoOrders", "symbol", id)
			sameKeys(t, "rest_openAlgoOrders", golden(t, USDM, "rest_openAlgoOrders"), openBody.body, nil, nil)
			evBody, _ := json.Marshal(finished)
			sameKeys(t, "user_ALGO_UPDATE", golden(t, USDM, "user_ALGO_UPDATE"), evBody, nil, nil)
		})
	}
}

// placeOpen places a sell stop far under the last price, which rests.
func placeOpen(t *testing.T, s *Server, place func(side, typ string, trigger decimal.Decimal, more ...string) reply, last, tick decimal.Decimal) map[string]json.RawMessage {
	t.Helper()
	r := place("SELL", "STOP_MARKET", last.Sub(tick.Mul(decimal.NewFromInt(500))).Round(int32(-tick.Exponent())))
	var out map[string]json.RawMessage
	r.decode(t, &out)
	if r.status != 200 {
		t.Fatalf("a resting stop: HTTP %d %s", r.status, r.body)
	}
	return out
}
