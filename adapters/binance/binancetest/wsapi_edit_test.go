package binancetest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
)

// placeResting places the test's i-th resting limit order over the
// WebSocket API and returns its reply's result.
func placeResting(t *testing.T, s *Server, api *client, i int) (symbol string, result map[string]json.RawMessage) {
	t.Helper()
	req := s.OrderRequest(i)
	side := "BUY"
	if req.Side == "sell" {
		side = "SELL"
	}
	symbol = s.ID(req.Symbol)
	r := api.apiCall(s, fmt.Sprint("place", i), "order.place", map[string]any{"symbol": symbol, "side": side, "type": "LIMIT",
		"timeInForce": "GTC", "quantity": req.Amount.String(), "price": req.Price.Decimal.String(), "newOrderRespType": "RESULT"})
	if num(r, "status") != 200 || str(obj(r, "result"), "status") != "NEW" {
		t.Fatalf("place: %s", raw(r))
	}
	return symbol, obj(r, "result")
}

// errorOf is a reply's error object.
func errorOf(m map[string]json.RawMessage) (code int64, data map[string]json.RawMessage) {
	e := obj(m, "error")
	return num(e, "code"), obj(e, "data")
}

func TestSpotAmendKeepPriority(t *testing.T) {
	s := start(t, Config{Seed: 41})
	api, user := dial(t, s, "/ws-api/v3"), dial(t, s, "/ws-api/v3")
	user.apiCall(s, "u", "userDataStream.subscribe.signature", nil)
	symbol, placed := placeResting(t, s, api, 0) // a buy: it locks quote
	id := num(placed, "orderId")
	m := s.marketOf(s.Symbols()[0])
	qty, _ := parseUnits(str(placed, "origQty"), m.qtyDec)
	_, lockedBefore := s.Balance(m.quote)

	amended := api.apiCall(s, "a1", "order.amend.keepPriority", map[string]any{"symbol": symbol, "orderId": id,
		"newQty": m.fmtQty(qty - m.step), "newClientOrderId": "amended-1"})
	if num(amended, "status") != 200 {
		t.Fatalf("amend: %s", raw(amended))
	}
	sameKeys(t, "wsapi_order_amend_keepPriority", golden(t, Spot, "wsapi_order_amend_keepPriority"), mustJSON(amended), nil, nil)
	o := obj(obj(amended, "result"), "amendedOrder")
	if num(o, "orderId") != id || str(o, "qty") != m.fmtQty(qty-m.step) || str(o, "clientOrderId") != "amended-1" ||
		str(o, "origClientOrderId") != str(placed, "clientOrderId") || str(o, "status") != "NEW" {
		t.Errorf("amended order %s", raw(o))
	}
	_, lockedAfter := s.Balance(m.quote)
	price, _ := parseUnits(str(placed, "price"), m.priceDec)
	if freed := lockedBefore.Sub(lockedAfter); !freed.Equal(m.notional(price, m.step)) {
		t.Errorf("the amendment freed %s of the quote, want %s", freed, m.notional(price, m.step))
	}
	report := obj(user.until(func(f map[string]json.RawMessage) bool {
		return str(obj(f, "event"), "e") == "executionReport" && str(obj(f, "event"), "x") == "REPLACED"
	}), "event")
	if str(report, "c") != "amended-1" || str(report, "q") != m.fmtQty(qty-m.step) || str(report, "X") != "NEW" {
		t.Errorf("the amendment's executionReport %s", raw(report))
	}

	for _, tc := range []struct {
		name   string
		params map[string]any
		code   int64
		msg    string
	}{
		{"an increase", map[string]any{"orderId": id, "newQty": m.fmtQty(qty)}, codeAmendReject, msgAmendIncrease},
		{"no change", map[string]any{"orderId": id, "newQty": m.fmtQty(qty - m.step)}, codeAmendReject, msgNoStateChange},
		{"an unknown order", map[string]any{"orderId": 987654, "newQty": m.fmtQty(m.minQty)}, codeAmendReject, msgUnknownOrder},
		{"off the step", map[string]any{"orderId": id, "newQty": m.fmtQty(qty - m.step - m.step/2)}, codeFilter, "Filter failure: LOT_SIZE"},
		{"no newQty", map[string]any{"orderId": id}, codeMandatory, ""},
	} {
		tc.params["symbol"] = symbol
		r := api.apiCall(s, "e-"+tc.name, "order.amend.keepPriority", tc.params)
		if code, _ := errorOf(r); code != tc.code || num(r, "status") != 400 || (tc.msg != "" && str(obj(r, "error"), "msg") != tc.msg) {
			t.Errorf("%s: %s", tc.name, raw(r))
		}
	}
	// The REST endpoint is the same handler.
	rr := signed(t, s, "PUT", "/api/v3/order/amend/keepPriority", "symbol", symbol, "orderId", fmt.Sprint(id), "newQty", m.fmtQty(m.minQty))
	var body struct {
		AmendedOrder struct{ Qty, ClientOrderID string }
	}
	rr.decode(t, &body)
	if rr.status != 200 || body.AmendedOrder.Qty != m.fmtQty(m.minQty) || len(body.AmendedOrder.ClientOrderID) != 22 {
		t.Errorf("REST amend: %d %s", rr.status, rr.body)
	}
}

func TestSpotCancelReplace(t *testing.T) {
	s := start(t, Config{Seed: 42})
	api := dial(t, s, "/ws-api/v3")
	symbol, placed := placeResting(t, s, api, 0)
	id := num(placed, "orderId")
	params := func(cancelID any, orderType string, extra ...any) map[string]any {
		p := map[string]any{"symbol": symbol, "cancelReplaceMode": "STOP_ON_FAILURE", "cancelOrderId": cancelID,
			"side": "BUY", "type": orderType, "quantity": str(placed, "origQty"), "price": str(placed, "price")}
		if orderType == "LIMIT" {
			p["timeInForce"] = "GTC"
		}
		for i := 0; i+1 < len(extra); i += 2 {
			p[extra[i].(string)] = extra[i+1]
		}
		return p
	}

	ok := api.apiCall(s, "r1", "order.cancelReplace", params(id, "LIMIT", "newClientOrderId", "replaced-1"))
	if num(ok, "status") != 200 {
		t.Fatalf("cancel-replace: %s", raw(ok))
	}
	sameKeys(t, "wsapi_order_cancelReplace", golden(t, Spot, "wsapi_order_cancelReplace"), mustJSON(ok),
		nil, []string{"result.newOrderResponse.workingTime", "result.newOrderResponse.fills"})
	res := obj(ok, "result")
	canceled, next := obj(res, "cancelResponse"), obj(res, "newOrderResponse")
	if str(res, "cancelResult") != "SUCCESS" || str(res, "newOrderResult") != "SUCCESS" || num(canceled, "orderId") != id ||
		str(canceled, "status") != "CANCELED" || num(next, "orderId") == id || str(next, "clientOrderId") != "replaced-1" || str(next, "status") != "NEW" {
		t.Fatalf("cancel-replace result %s", raw(res))
	}

	// STOP_ON_FAILURE: an unknown order is not canceled and nothing is placed.
	orders := len(s.Orders())
	failed := api.apiCall(s, "r2", "order.cancelReplace", params(987654, "LIMIT"))
	sameKeys(t, "wsapi_order_cancelReplace_failed", golden(t, Spot, "wsapi_order_cancelReplace_failed"), mustJSON(failed), nil, nil)
	code, data := errorOf(failed)
	if num(failed, "status") != 400 || code != codeReplaceFailed || str(data, "cancelResult") != "FAILURE" ||
		str(data, "newOrderResult") != "NOT_ATTEMPTED" || num(obj(data, "cancelResponse"), "code") != codeCancelReject ||
		string(data["newOrderResponse"]) != "null" || len(s.Orders()) != orders {
		t.Errorf("unknown order: %s", raw(failed))
	}

	// The cancel succeeds, the new order (a maker order that would take) is refused: 409.
	bookAsk := s.marketOf(s.Symbols()[0]).book.asks.Levels[0].Price
	partial := api.apiCall(s, "r3", "order.cancelReplace", params(num(next, "orderId"), "LIMIT_MAKER",
		"price", s.marketOf(s.Symbols()[0]).fmtPrice(bookAsk)))
	sameKeys(t, "wsapi_order_cancelReplace_partial", golden(t, Spot, "wsapi_order_cancelReplace_partial"), mustJSON(partial), nil, nil)
	code, data = errorOf(partial)
	if num(partial, "status") != http.StatusConflict || code != codeReplacePartial || str(data, "cancelResult") != "SUCCESS" ||
		str(obj(data, "cancelResponse"), "status") != "CANCELED" || num(obj(data, "newOrderResponse"), "code") != codeNewOrderReject {
		t.Errorf("partial failure: %s", raw(partial))
	}

	// A filter failure refuses the whole request before anything happens.
	_, again := placeResting(t, s, api, 0)
	filter := api.apiCall(s, "r4", "order.cancelReplace", params(num(again, "orderId"), "LIMIT", "quantity", "0.00000001"))
	if code, _ := errorOf(filter); code != codePrecision && code != codeFilter {
		t.Errorf("filter failure: %s", raw(filter))
	}
	if q := api.apiCall(s, "q", "order.status", map[string]any{"symbol": symbol, "orderId": num(again, "orderId")}); str(obj(q, "result"), "status") != "NEW" {
		t.Errorf("a refused cancel-replace canceled the order: %s", raw(q))
	}
	if r := api.apiCall(s, "r5", "order.cancelReplace", params(num(again, "orderId"), "LIMIT", "cancelReplaceMode", "NEVER")); num(obj(r, "error"), "code") != codeInvalidParam {
		t.Errorf("a bad mode: %s", raw(r))
	}
}

func TestFuturesModify(t *testing.T) {
	for _, product := range []Product{USDM, COINM} {
		t.Run(product.String(), func(t *testing.T) {
			s := start(t, Config{Product: product, Seed: 43})
			path := map[Product]string{USDM: "/ws-fapi/v1", COINM: "/ws-dapi/v1"}[product]
			api := dial(t, s, path)
			symbol, placed := placeResting(t, s, api, 0)
			id := num(placed, "orderId")
			m := s.marketOf(s.Symbols()[0])
			price, _ := parseUnits(str(placed, "price"), m.priceDec)
			qty, _ := parseUnits(str(placed, "origQty"), m.qtyDec)
			newPrice, newQty := m.fmtPrice(price-m.tick), m.fmtQty(qty+m.step)

			r := api.apiCall(s, "m1", "order.modify", map[string]any{"symbol": symbol, "orderId": id, "side": "BUY",
				"price": newPrice, "quantity": newQty})
			if num(r, "status") != 200 {
				t.Fatalf("modify: %s", raw(r))
			}
			var onlyFake []string
			if product == COINM { // the COIN-M page's example predates these fields
				onlyFake = []string{"result.priceMatch", "result.selfTradePreventionMode"}
			}
			sameKeys(t, "wsapi_order_modify", golden(t, product, "wsapi_order_modify"), mustJSON(r), nil, onlyFake)
			o := obj(r, "result")
			if num(o, "orderId") != id || str(o, "price") != newPrice || str(o, "origQty") != newQty || str(o, "status") != "NEW" {
				t.Errorf("modified order %s", raw(o))
			}
			for _, tc := range []struct {
				name   string
				params map[string]any
				code   int64
			}{
				{"no change", map[string]any{"orderId": id, "side": "BUY", "price": newPrice, "quantity": newQty}, int64(s.pick(0, -5027, -4197))},
				{"an unknown order", map[string]any{"orderId": 987654, "side": "BUY", "price": newPrice, "quantity": newQty}, codeNoSuchOrder},
				{"no price", map[string]any{"orderId": id, "side": "BUY", "quantity": newQty}, codeMandatory},
				{"off the tick", map[string]any{"orderId": id, "side": "BUY", "price": m.fmtPrice(price - m.tick/2), "quantity": newQty}, codeTick},
				{"the other side", map[string]any{"orderId": id, "side": "SELL", "price": newPrice, "quantity": newQty}, codeInvalidParam},
			} {
				if m.tick < 2 && tc.name == "off the tick" {
					continue
				}
				tc.params["symbol"] = symbol
				if code, _ := errorOf(api.apiCall(s, "e-"+tc.name, "order.modify", tc.params)); code != tc.code {
					t.Errorf("%s: code %d, want %d", tc.name, code, tc.code)
				}
			}
			// Over REST: PUT order; a price that crosses the book trades at once.
			ask := m.book.asks.Levels[0].Price
			rr := signed(t, s, "PUT", s.prefix()+"/order", "symbol", symbol, "orderId", fmt.Sprint(id), "side", "BUY",
				"quantity", newQty, "price", m.fmtPrice(ask))
			var body struct{ Status, ExecutedQty string }
			rr.decode(t, &body)
			if rr.status != 200 || body.ExecutedQty == m.fmtQty(0) {
				t.Errorf("REST modify across the book: %d %s", rr.status, rr.body)
			}
		})
	}
}
