package okxtest

import (
	"net/http"
	"strconv"
	"testing"
	"time"
)

func TestPublicREST(t *testing.T) {
	s := start(t, Config{Seed: 10})
	r := get(t, s, "/api/v5/public/instruments?instType=SWAP")
	if r.Code != "0" || len(r.Data) != 3 {
		t.Fatalf("SWAP instruments: %s", r.body)
	}
	if r := get(t, s, "/api/v5/public/instruments"); r.Code != "50014" || r.status != http.StatusBadRequest {
		t.Fatalf("no instType: %d %s", r.status, r.body)
	}
	spot := get(t, s, "/api/v5/public/instruments?instType=SPOT&instId=BTC-USDT").obj(t, 0)
	if spot["tickSz"] != "0.1" || spot["lotSz"] != "0.00000001" || spot["instIdCode"] == "" {
		t.Fatalf("BTC-USDT: %v", spot)
	}
	b := get(t, s, "/api/v5/market/books?instId=BTC-USDT&sz=400").obj(t, 0)
	if n := len(b["bids"].([]any)); n < minLevels {
		t.Fatalf("books: %d bids", n)
	}
	if _, ok := b["seqId"]; ok {
		t.Fatal("REST books carries seqId outside RESTSnapshot mode")
	}
	now := time.Now().Truncate(time.Minute).UnixMilli()
	page := get(t, s, "/api/v5/market/history-candles?instId=BTC-USDT&bar=1H&limit=5&after="+strconv.FormatInt(now-3600_000, 10))
	if len(page.Data) != 5 {
		t.Fatalf("history-candles: %s", page.body)
	}
	var prev int64 = now
	for i := range page.Data {
		var row []string
		_ = jsonUnmarshal(page.Data[i], &row)
		ts, _ := strconv.ParseInt(row[0], 10, 64)
		if ts >= prev || ts%3600_000 != 0 || row[8] != "1" {
			t.Fatalf("row %v after %d", row, prev)
		}
		prev = ts
	}
	if r := get(t, s, "/api/v5/public/funding-rate?instId=BTC-USDT-SWAP"); r.obj(t, 0)["fundingRate"] == "" {
		t.Fatalf("funding: %s", r.body)
	}
	if r := get(t, s, "/api/v5/market/trades?instId=ETH-USDT&limit=3"); len(r.Data) != 3 {
		t.Fatalf("trades: %s", r.body)
	}
}

func TestAuthRefusals(t *testing.T) {
	s := start(t, Config{Seed: 11})
	if r := signed(t, s, "GET", "/api/v5/account/balance?ccy=USDT", nil); r.Code != "0" {
		t.Fatalf("balance: %s", r.body)
	}
	if r := signedAt(t, s, "GET", "/api/v5/account/balance", nil, time.Now().Add(-time.Minute)); r.Code != "50102" || r.status != 401 {
		t.Fatalf("old timestamp: %d %s", r.status, r.body)
	}
	s.RejectSignatures(true)
	if r := signed(t, s, "GET", "/api/v5/account/balance", nil); r.Code != "50113" {
		t.Fatalf("wrong secret: %s", r.body)
	}
	c := dial(t, s, "private")
	if m := c.login(s); str(m, "code") != "60007" {
		t.Fatalf("login with a wrong secret: %v", m)
	}
	s.RejectSignatures(false)
	s.ExpireAuth(true)
	if r := signed(t, s, "GET", "/api/v5/account/balance", nil); r.Code != "50111" {
		t.Fatalf("expired key: %s", r.body)
	}
	s.ExpireAuth(false)
	s.Throttle(time.Second)
	if r := get(t, s, "/api/v5/public/time"); r.status != 429 || r.Code != "50011" || r.header.Get("Retry-After") == "" {
		t.Fatalf("throttled: %d %s", r.status, r.body)
	}
}

func TestOrderLifecycle(t *testing.T) {
	s := start(t, Config{Seed: 12})
	c := dial(t, s, "private")
	if m := c.login(s); str(m, "event") != "login" || str(m, "code") != "0" {
		t.Fatalf("login: %v", m)
	}
	c.subscribe(map[string]string{"channel": "orders", "instType": "ANY"})
	c.next()
	req := s.OrderRequest(0) // BTC-USDT buy at the best bid
	place := map[string]any{"instId": "BTC-USDT", "tdMode": "cash", "side": "buy", "ordType": "limit",
		"sz": req.Amount.String(), "px": req.Price.Decimal.String(), "clOrdId": "a1"}
	r := signed(t, s, "POST", "/api/v5/trade/order", place)
	ordID, _ := r.obj(t, 0)["ordId"].(string)
	if r.Code != "0" || ordID == "" {
		t.Fatalf("place: %s", r.body)
	}
	if m := c.until(isChannel("orders")); !contains(m, `"state":"live"`) {
		t.Fatalf("orders push: %v", m)
	}
	if _, frozen := s.Balance("USDT"); !frozen.IsPositive() {
		t.Fatal("a resting buy froze nothing")
	}
	amend := signed(t, s, "POST", "/api/v5/trade/amend-order", map[string]string{"instId": "BTC-USDT", "ordId": ordID, "newSz": "0.02", "reqId": "r1"})
	if amend.Code != "0" {
		t.Fatalf("amend: %s", amend.body)
	}
	if q := signed(t, s, "GET", "/api/v5/trade/order?instId=BTC-USDT&clOrdId=a1", nil); q.obj(t, 0)["sz"] != "0.02" {
		t.Fatalf("query after amend: %s", q.body)
	}
	// WebSocket cancel, correlated by id.
	c.send(map[string]any{"id": "c7", "op": "cancel-order", "args": []map[string]string{{"instId": "BTC-USDT", "ordId": ordID}}})
	m := c.until(func(m map[string]jsonRaw) bool { return str(m, "op") == "cancel-order" })
	if str(m, "id") != "c7" || str(m, "code") != "0" {
		t.Fatalf("cancel: %v", m)
	}
	if _, frozen := s.Balance("USDT"); !frozen.IsZero() {
		t.Fatalf("frozen %s after the cancel", frozen)
	}
	again := signed(t, s, "POST", "/api/v5/trade/cancel-order", map[string]string{"instId": "BTC-USDT", "ordId": ordID})
	if again.Code != "1" || again.obj(t, 0)["sCode"] != "51401" {
		t.Fatalf("second cancel: %s", again.body)
	}
	// A market order on the swap fills at once and opens a position.
	c.send(map[string]any{"id": "m1", "op": "order", "args": []map[string]any{{"instIdCode": s.InstIDCode("BTC-USDT-SWAP"),
		"tdMode": "cross", "side": "sell", "ordType": "market", "sz": "2"}}})
	if m := c.until(func(m map[string]jsonRaw) bool { return str(m, "op") == "order" }); str(m, "code") != "0" {
		t.Fatalf("ws market order: %v", m)
	}
	if p := s.Position("BTC/USDT:USDT"); p.String() != "-2" {
		t.Fatalf("position %s, want -2", p)
	}
	if f := signed(t, s, "GET", "/api/v5/trade/fills?instId=BTC-USDT-SWAP", nil); len(f.Data) == 0 || f.obj(t, 0)["execType"] != "T" {
		t.Fatalf("fills: %s", f.body)
	}
	if p := signed(t, s, "GET", "/api/v5/account/positions", nil); len(p.Data) != 1 || p.obj(t, 0)["pos"] != "-2" {
		t.Fatalf("positions: %s", p.body)
	}
	// Resting orders fill as makers under Step.
	r = signed(t, s, "POST", "/api/v5/trade/order", place)
	for i := 0; i < 5000 && s.Orders()[len(s.Orders())-1].Status == "open"; i++ {
		s.Step(1)
	}
	if st := s.Orders()[len(s.Orders())-1].Status; st != "closed" {
		t.Fatalf("a resting order ended %s", st)
	}
	poor := map[string]any{"instId": "BTC-USDT", "tdMode": "cash", "side": "buy", "ordType": "limit", "sz": "1000", "px": "60000"}
	if r := signed(t, s, "POST", "/api/v5/trade/order", poor); r.Code != "1" || r.obj(t, 0)["sCode"] != "51008" {
		t.Fatalf("insufficient balance: %s", r.body)
	}
	bad := map[string]any{"instId": "BTC-USDT", "tdMode": "cash", "side": "buy", "ordType": "limit", "sz": "0.01", "px": "60000.05"}
	if r := signed(t, s, "POST", "/api/v5/trade/order", bad); r.obj(t, 0)["sCode"] != "51000" {
		t.Fatalf("off-tick price: %s", r.body)
	}
}

func TestOrderRateLimit(t *testing.T) {
	s := start(t, Config{Seed: 13, OrderRate: 3})
	req := s.OrderRequest(0)
	place := map[string]any{"instId": "BTC-USDT", "tdMode": "cash", "side": "buy", "ordType": "limit", "sz": req.Amount.String(), "px": req.Price.Decimal.String()}
	for i := range 3 {
		if r := signed(t, s, "POST", "/api/v5/trade/order", place); r.Code != "0" {
			t.Fatalf("order %d: %s", i, r.body)
		}
	}
	if r := signed(t, s, "POST", "/api/v5/trade/order", place); r.status != 429 || r.Code != "50011" {
		t.Fatalf("4th order in 2 s: %d %s", r.status, r.body)
	}
}

func TestPrivateChannels(t *testing.T) {
	s := start(t, Config{Seed: 14})
	c := dial(t, s, "private")
	c.subscribe(map[string]string{"channel": "account"})
	if m := c.next(); str(m, "code") != "60011" {
		t.Fatalf("subscribe before login: %v", m)
	}
	c.login(s)
	c.subscribe(map[string]string{"channel": "account"}, map[string]string{"channel": "fills"})
	if m := c.until(isChannel("account")); str(m, "eventType") != "snapshot" {
		t.Fatalf("account: %v", m)
	}
	if m := c.until(func(m map[string]jsonRaw) bool { return str(m, "event") == "error" }); str(m, "code") != "60029" {
		t.Fatalf("fills below VIP6: %v", m)
	}
}
