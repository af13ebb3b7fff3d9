package bybittest

import (
	"encoding/json"
	"os"
	"strconv"
	"testing"
	"time"
)

// The signature rules, checked against /work/shared/vectors/bybit.json's
// examples (copied to ../testdata/bybit/vectors.json).
func TestSigningVectors(t *testing.T) {
	b, err := os.ReadFile("../testdata/bybit/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var vs []struct {
		Name   string
		Inputs struct {
			Timestamp   string  `json:"timestamp"`
			APIKey      string  `json:"api_key"`
			RecvWindow  string  `json:"recv_window"`
			QueryString string  `json:"query_string"`
			Body        string  `json:"body"`
			Expires     int64   `json:"expires"`
			Secret      *string `json:"secret"`
		}
		StringToSign string `json:"string_to_sign"`
		Expected     string
	}
	if err := json.Unmarshal(b, &vs); err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, v := range vs {
		var msg string
		switch {
		case v.Inputs.Expires != 0:
			msg = authString(v.Inputs.Expires)
		case v.Inputs.Timestamp != "":
			msg = signString(v.Inputs.Timestamp, v.Inputs.APIKey, v.Inputs.RecvWindow, v.Inputs.QueryString+v.Inputs.Body)
		default:
			msg = v.StringToSign // the legacy vector tests the primitive only
		}
		if msg != v.StringToSign {
			t.Errorf("%s: string to sign %q, want %q", v.Name, msg, v.StringToSign)
		}
		if v.Inputs.Secret != nil {
			if !verify(*v.Inputs.Secret, msg, v.Expected) {
				t.Errorf("%s: signature %s does not verify", v.Name, v.Expected)
			}
			checked++
		}
	}
	if checked < 4 {
		t.Fatalf("only %d vectors had a secret", checked)
	}
}

// Signed requests: the right signature passes; a wrong key, a wrong
// signature, a stale or future timestamp get Bybit's codes; the
// per-endpoint limit answers 10006 with X-Bapi-Limit headers.
func TestSignedRequests(t *testing.T) {
	s := start(t, Config{Seed: 4})
	q := "accountType=UNIFIED"
	if r := do(t, s, "GET", "/v5/account/wallet-balance", q, "", signedHeaders(s, q, time.Now())); r.header.Get("X-Bapi-Limit") != "50" {
		t.Fatalf("limit header %q", r.header.Get("X-Bapi-Limit"))
	} else if code, _, _ := r.env(t); code != 0 {
		t.Fatalf("signed request refused: %s", r.body)
	}
	for _, tc := range []struct {
		name string
		h    func() map[string][]string
		code int
	}{
		{"wrong key", func() map[string][]string {
			h := signedHeaders(s, q, time.Now())
			h["X-Bapi-Api-Key"] = []string{"nope"}
			return h
		}, 10003},
		{"no headers", func() map[string][]string { return nil }, 10003},
		{"wrong sign", func() map[string][]string { h := signedHeaders(s, q+"&x=1", time.Now()); return h }, 10004},
		{"stale", func() map[string][]string { return signedHeaders(s, q, time.Now().Add(-6*time.Second)) }, 10002},
		{"future", func() map[string][]string { return signedHeaders(s, q, time.Now().Add(2*time.Second)) }, 10002},
	} {
		r := do(t, s, "GET", "/v5/account/wallet-balance", q, "", tc.h())
		if code, msg, _ := r.env(t); code != tc.code {
			t.Errorf("%s: retCode %d %s, want %d", tc.name, code, msg, tc.code)
		}
	}
	s.Skew(10 * time.Second)
	if code, _, _ := do(t, s, "GET", "/v5/account/wallet-balance", q, "", signedHeaders(s, q, time.Now())).env(t); code != 10002 {
		t.Errorf("skewed clock: %d", code)
	}
	s.Skew(0)
	s.RejectSignatures(true)
	if code, _, _ := do(t, s, "GET", "/v5/account/wallet-balance", q, "", signedHeaders(s, q, time.Now())).env(t); code != 10004 {
		t.Errorf("rejected signatures: %d", code)
	}
	s.RejectSignatures(false)
	s.ExpireAuth(true)
	if r := do(t, s, "GET", "/v5/account/wallet-balance", q, "", signedHeaders(s, q, time.Now())); r.status != 401 {
		t.Errorf("expired key: HTTP %d", r.status)
	}
	s.ExpireAuth(false)
	limited := 0
	for i := 0; i < 500 && limited == 0; i++ { // 50 a second: some second overflows
		r := signed(t, s, "GET", "/v5/order/realtime", "category", "linear")
		if code, _, _ := r.env(t); code == 10006 {
			limited++
			if r.header.Get("X-Bapi-Limit-Status") != "0" {
				t.Errorf("limited reply's status header %q", r.header.Get("X-Bapi-Limit-Status"))
			}
		}
	}
	if limited == 0 {
		t.Error("500 queries were never limited (50/s)")
	}
}

// instruments-info pages linear with cursor and limit; spot does not page.
func TestInstrumentsPaging(t *testing.T) {
	s := start(t, Config{Seed: 5, Symbols: []string{"BTC/USDT", "BTC/USDT:USDT", "ETH/USDT:USDT", "SOL/USDT:USDT"}})
	var got []string
	cursor := ""
	for i := 0; i < 10; i++ {
		var res struct {
			List           []struct{ Symbol string }
			NextPageCursor string
		}
		get(t, s, "/v5/market/instruments-info", "category=linear&limit=1&cursor="+cursor).result(t, &res)
		for _, it := range res.List {
			got = append(got, it.Symbol)
		}
		if cursor = res.NextPageCursor; cursor == "" {
			break
		}
	}
	if len(got) != 3 || got[0] != "BTCUSDT" || got[2] != "SOLUSDT" {
		t.Fatalf("linear pages: %v", got)
	}
	var spot struct {
		List           []json.RawMessage
		NextPageCursor string
	}
	get(t, s, "/v5/market/instruments-info", "category=spot&limit=1").result(t, &spot)
	if len(spot.List) != 1 || spot.NextPageCursor != "" {
		t.Fatalf("spot: %d items, cursor %q", len(spot.List), spot.NextPageCursor)
	}
	var opt struct {
		List           []json.RawMessage
		NextPageCursor string
	}
	get(t, s, "/v5/market/instruments-info", "category=option").result(t, &opt) // BTC's, two a page
	if len(opt.List) != 2 || opt.NextPageCursor == "" {
		t.Fatalf("option: %d items, cursor %q", len(opt.List), opt.NextPageCursor)
	}
}

// kline pages backwards with end; candles are contiguous, newest first,
// and the same range gives the same candles.
func TestKlinePaging(t *testing.T) {
	s := start(t, Config{Seed: 6})
	var starts []int64
	end := ""
	for range 3 {
		var res struct{ List [][]string }
		q := "category=linear&symbol=BTCUSDT&interval=60&limit=100"
		if end != "" {
			q += "&end=" + end
		}
		get(t, s, "/v5/market/kline", q).result(t, &res)
		if len(res.List) != 100 {
			t.Fatalf("%d candles", len(res.List))
		}
		for _, row := range res.List {
			st, _ := strconv.ParseInt(row[0], 10, 64)
			starts = append(starts, st)
		}
		end = strconv.FormatInt(starts[len(starts)-1]-1, 10)
	}
	for i := 1; i < len(starts); i++ {
		if starts[i-1]-starts[i] != int64(time.Hour/time.Millisecond) {
			t.Fatalf("candle %d starts %d after %d", i, starts[i], starts[i-1])
		}
	}
	var a, b struct{ List [][]string }
	q := "category=linear&symbol=BTCUSDT&interval=D&start=1700000000000&end=1710000000000"
	get(t, s, "/v5/market/kline", q).result(t, &a)
	get(t, s, "/v5/market/kline", q).result(t, &b)
	if len(a.List) == 0 || a.List[0][1] != b.List[0][1] {
		t.Fatal("made-up history is not reproducible")
	}
	var f struct{ List []map[string]string }
	get(t, s, "/v5/market/funding/history", "category=linear&symbol=BTCUSDT&limit=3").result(t, &f)
	if len(f.List) != 3 {
		t.Fatalf("funding: %v", f.List)
	}
}

// The REST book is the streamed book at the same u.
func TestRESTOrderbook(t *testing.T) {
	s := start(t, Config{Seed: 7})
	s.Step(50)
	var ob struct {
		B, A [][2]string
		U    int64 `json:"u"`
	}
	get(t, s, "/v5/market/orderbook", "category=spot&symbol=BTCUSDT&limit=200").result(t, &ob)
	bids, asks, ok := s.BookAt("BTC/USDT", ob.U)
	if !ok || len(bids) != len(ob.B) || len(asks) != len(ob.A) || bids[0].Price.String() != trimNum(ob.B[0][0]) {
		t.Fatalf("REST book at u=%d differs from BookAt", ob.U)
	}
	if code, _, _ := get(t, s, "/v5/market/orderbook", "category=spot&symbol=NOPE").env(t); code != 170121 {
		t.Fatalf("unknown spot symbol: %d", code)
	}
}
