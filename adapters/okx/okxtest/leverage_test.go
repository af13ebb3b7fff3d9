package okxtest

import "testing"

// TestLeverageInfo: account/leverage-info answers the leverage
// set-leverage gave (else the default) in the docs' keys and types, one
// net row per instId, and refuses what the docs refuse.
func TestLeverageInfo(t *testing.T) {
	s := start(t, Config{Seed: 5})
	r := signed(t, s, "GET", "/api/v5/account/leverage-info?instId=BTC-USDT-SWAP&mgnMode=cross", nil)
	if r.Code != "0" || len(r.Data) != 1 || r.obj(t, 0)["lever"] != "3" || r.obj(t, 0)["posSide"] != "net" {
		t.Fatalf("the default leverage: %s", r.body)
	}
	set := signed(t, s, "POST", "/api/v5/account/set-leverage", map[string]string{"instId": "BTC-USDT-SWAP", "lever": "7", "mgnMode": "isolated"})
	if set.Code != "0" {
		t.Fatalf("set-leverage: %s", set.body)
	}
	r = signed(t, s, "GET", "/api/v5/account/leverage-info?instId=BTC-USDT-SWAP,BTC-USDT&mgnMode=isolated", nil)
	if r.Code != "0" || len(r.Data) != 2 {
		t.Fatalf("two instIds: %s", r.body)
	}
	if got := r.obj(t, 0); got["lever"] != "7" || got["mgnMode"] != "isolated" || got["instId"] != "BTC-USDT-SWAP" {
		t.Fatalf("after set-leverage 7: %v", got)
	}
	if got := r.obj(t, 1); got["instId"] != "BTC-USDT" || got["lever"] != "3" {
		t.Fatalf("the spot margin row: %v", got)
	}
	sameKeys(t, "rest_leverage_info", r.body, nil, nil)
	for query, code := range map[string]string{
		"instId=BTC-USDT-SWAP":              "50014",
		"instId=BTC-USDT-SWAP&mgnMode=cash": "51000",
		"instId=NOPE&mgnMode=cross":         "51001",
		"ccy=USDT&mgnMode=cross":            "51000",
		"mgnMode=cross":                     "50014",
	} {
		if r := signed(t, s, "GET", "/api/v5/account/leverage-info?"+query, nil); r.Code != code {
			t.Errorf("%s: %s, want code %s", query, r.body, code)
		}
	}
}
