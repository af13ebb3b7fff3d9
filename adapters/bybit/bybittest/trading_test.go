package bybittest

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// An order's life over REST, seen on the private stream: placed (New),
// amended, partly and fully filled by Step, and a second one cancelled;
// the wallet and the position follow.
func TestOrderLifecycle(t *testing.T) {
	s := start(t, Config{Seed: 8})
	priv := dial(t, s, "private")
	if ack := priv.subscribe("order"); string(ack["success"]) != "false" {
		t.Fatalf("subscribe before auth accepted: %v", ack)
	}
	if a := priv.auth(s); string(a["success"]) != "true" {
		t.Fatalf("auth: %v", a)
	}
	if ack := priv.subscribe("order", "execution.linear"); string(ack["success"]) != "false" {
		t.Fatal("all-in-one and categorised topics mixed in one request")
	}
	if ack := priv.subscribe("order", "execution", "position", "wallet"); string(ack["success"]) != "true" {
		t.Fatalf("subscribe: %v", ack)
	}
	req := s.OrderRequest(2) // ETH/USDT buy at the best bid
	if req.Symbol != "ETH/USDT" {
		t.Fatalf("order 2 is on %s", req.Symbol)
	}
	usdt0, _ := s.Balance("USDT")
	r := signed(t, s, "POST", "/v5/order/create", "category", "spot", "symbol", "ETHUSDT", "side", "Buy", "orderType", "Limit",
		"qty", req.Amount.String(), "price", req.Price.Decimal.String(), "orderLinkId", "mine-1")
	var placed struct{ OrderID, OrderLinkID string }
	r.result(t, &placed)
	if placed.OrderLinkID != "mine-1" {
		t.Fatalf("placed %+v", placed)
	}
	status := func() string {
		m := priv.until(func(m map[string]json.RawMessage) bool { return str(m, "topic") == "order" })
		var d []map[string]json.RawMessage
		_ = json.Unmarshal(m["data"], &d)
		return str(d[0], "orderStatus")
	}
	if st := status(); st != "New" {
		t.Fatalf("first status %s", st)
	}
	if _, held := s.Balance("USDT"); !held.Equal(req.Amount.Mul(req.Price.Decimal)) {
		t.Fatalf("held %s for %s x %s", held, req.Amount, req.Price.Decimal)
	}
	if code, _, _ := signed(t, s, "POST", "/v5/order/create", "category", "spot", "symbol", "ETHUSDT", "side", "Buy", "orderType", "Limit",
		"qty", "1000", "price", req.Price.Decimal.String()).env(t); code != 170131 {
		t.Fatalf("an unaffordable spot order: %d", code)
	}
	if code, _, _ := signed(t, s, "POST", "/v5/order/amend", "category", "spot", "symbol", "ETHUSDT", "orderId", placed.OrderID,
		"qty", req.Amount.Mul(decimal.NewFromInt(2)).String()).env(t); code != 0 {
		t.Fatalf("amend: %d", code)
	}
	if st := status(); st != "New" {
		t.Fatalf("after amend %s", st)
	}
	for i := 0; i < 2000 && s.orderStatus(placed.OrderID) != "Filled"; i++ {
		s.Step(1)
	}
	if s.orderStatus(placed.OrderID) != "Filled" {
		t.Fatal("Step never filled the order")
	}
	for st := status(); st != "Filled"; st = status() {
		if st != "PartiallyFilled" && st != "New" {
			t.Fatalf("status %s on the way to Filled", st)
		}
	}
	if usdt, held := s.Balance("USDT"); !held.IsZero() || !usdt.Equal(usdt0.Sub(req.Amount.Mul(req.Price.Decimal).Mul(decimal.NewFromInt(2)))) {
		t.Fatalf("USDT after the fill: %s held %s (was %s)", usdt, held, usdt0)
	}
	var execs struct{ List []map[string]any }
	signed(t, s, "GET", "/v5/execution/list", "category", "spot", "orderId", placed.OrderID).result(t, &execs)
	if len(execs.List) == 0 || execs.List[0]["isMaker"] != true {
		t.Fatalf("executions: %v", execs.List)
	}

	// a linear order that takes the book opens a position
	r = signed(t, s, "POST", "/v5/order/create", "category", "linear", "symbol", "BTCUSDT", "side", "Sell", "orderType", "Market", "qty", "0.010")
	var mkt struct{ OrderID string }
	r.result(t, &mkt)
	if s.orderStatus(mkt.OrderID) != "Filled" || !s.Position("BTC/USDT:USDT").Equal(decimal.RequireFromString("-0.01")) {
		t.Fatalf("market sell: %s, position %s", s.orderStatus(mkt.OrderID), s.Position("BTC/USDT:USDT"))
	}
	var pos struct{ List []map[string]any }
	signed(t, s, "GET", "/v5/position/list", "category", "linear", "symbol", "BTCUSDT").result(t, &pos)
	if len(pos.List) != 1 || pos.List[0]["side"] != "Sell" || pos.List[0]["size"] != "0.010" {
		t.Fatalf("position list: %v", pos.List)
	}
	if code, _, _ := signed(t, s, "POST", "/v5/position/set-leverage", "category", "linear", "symbol", "BTCUSDT", "buyLeverage", "10", "sellLeverage", "10").env(t); code != 110043 {
		t.Fatalf("unchanged leverage: %d", code)
	}
	if code, _, _ := signed(t, s, "POST", "/v5/order/cancel", "category", "linear", "symbol", "BTCUSDT", "orderId", mkt.OrderID).env(t); code != 110001 {
		t.Fatalf("cancelling a filled order: %d", code)
	}
	// a resting linear order is cancelled by cancel-all
	r = signed(t, s, "POST", "/v5/order/create", "category", "linear", "symbol", "BTCUSDT", "side", "Buy", "orderType", "Limit", "qty", "0.001", "price", "10000.0")
	var rest struct{ OrderID string }
	r.result(t, &rest)
	var all struct{ List []map[string]string }
	signed(t, s, "POST", "/v5/order/cancel-all", "category", "linear", "settleCoin", "USDT").result(t, &all)
	if len(all.List) != 1 || all.List[0]["orderId"] != rest.OrderID || s.orderStatus(rest.OrderID) != "Cancelled" {
		t.Fatalf("cancel-all: %v", all.List)
	}
	var open struct{ List []json.RawMessage }
	signed(t, s, "GET", "/v5/order/realtime", "category", "linear").result(t, &open)
	if len(open.List) != 0 {
		t.Fatalf("%d open orders after cancel-all", len(open.List))
	}
	var hist struct {
		List           []json.RawMessage
		NextPageCursor string
	}
	signed(t, s, "GET", "/v5/order/history", "category", "linear", "limit", "1").result(t, &hist)
	if len(hist.List) != 1 || hist.NextPageCursor == "" {
		t.Fatalf("history page: %d, cursor %q", len(hist.List), hist.NextPageCursor)
	}
	if code, _, _ := signed(t, s, "POST", "/v5/order/create", "category", "linear", "symbol", "BTCUSDT", "side", "Buy", "orderType", "Limit",
		"qty", "900", "price", "60000.0").env(t); code != 110007 {
		t.Fatalf("an unaffordable linear order: %d", code)
	}
}

// orderStatus is an order's status as the server holds it.
func (s *Server) orderStatus(id string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o := s.acct.byID[id]; o != nil {
		return o.status
	}
	return ""
}

// The trade stream: auth, order.create/amend/cancel answered with their
// reqId and header, duplicate reqIds refused, a stale header refused.
func TestTradeStream(t *testing.T) {
	s := start(t, Config{Seed: 9})
	c := dial(t, s, "trade")
	ts := func() map[string]string {
		return map[string]string{"X-BAPI-TIMESTAMP": itoa(time.Now().UnixMilli()), "X-BAPI-RECV-WINDOW": "5000"}
	}
	send := func(reqID, op string, arg map[string]string, header map[string]string) map[string]json.RawMessage {
		c.write(map[string]any{"reqId": reqID, "header": header, "op": op, "args": []any{arg}})
		return c.until(func(m map[string]json.RawMessage) bool { return str(m, "reqId") == reqID || str(m, "op") == op })
	}
	if m := send("r0", "order.create", map[string]string{}, ts()); num(m, "retCode") != 10003 {
		t.Fatalf("unauthenticated create: %v", m)
	}
	if a := c.auth(s); num(a, "retCode") != 0 {
		t.Fatalf("auth: %v", a)
	}
	req := s.OrderRequest(6) // BTC/USDT:USDT buy
	m := send("r1", "order.create", map[string]string{"category": "linear", "symbol": "BTCUSDT", "side": "Buy", "orderType": "Limit",
		"qty": req.Amount.String(), "price": req.Price.Decimal.String()}, ts())
	if num(m, "retCode") != 0 || str(m, "reqId") != "r1" || obj(m, "header")["Timenow"] == nil {
		t.Fatalf("create: %v", m)
	}
	id := str(obj(m, "data"), "orderId")
	if m := send("r1", "order.cancel", map[string]string{"category": "linear", "symbol": "BTCUSDT", "orderId": id}, ts()); num(m, "retCode") != 20006 {
		t.Fatalf("duplicate reqId: %v", m)
	}
	stale := map[string]string{"X-BAPI-TIMESTAMP": itoa(time.Now().Add(-time.Minute).UnixMilli())}
	if m := send("r2", "order.cancel", map[string]string{"category": "linear", "symbol": "BTCUSDT", "orderId": id}, stale); num(m, "retCode") != 10002 {
		t.Fatalf("stale header: %v", m)
	}
	if m := send("r3", "order.amend", map[string]string{"category": "linear", "symbol": "BTCUSDT", "orderId": id, "qty": req.Amount.Mul(decimal.NewFromInt(3)).String()}, ts()); num(m, "retCode") != 0 {
		t.Fatalf("amend: %v", m)
	}
	if m := send("r4", "order.cancel", map[string]string{"category": "linear", "symbol": "BTCUSDT", "orderId": id}, ts()); num(m, "retCode") != 0 {
		t.Fatalf("cancel: %v", m)
	}
	if s.orderStatus(id) != "Cancelled" {
		t.Fatalf("status %s", s.orderStatus(id))
	}
	if m := send("r5", "order.cancel", map[string]string{"category": "linear", "symbol": "BTCUSDT", "orderId": id}, ts()); num(m, "retCode") != 110001 {
		t.Fatalf("cancel again: %v", m)
	}
}
