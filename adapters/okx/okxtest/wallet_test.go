package okxtest

import (
	"encoding/json"
	"testing"
)

// TestWalletMatchesTheGoldens: the wallet replies have the keys and JSON
// types of the docs' examples.
func TestWalletMatchesTheGoldens(t *testing.T) {
	s := start(t, Config{Seed: 5})
	s.Deposit("USDT", "USDT-TRC20", decimalOf("12"))
	w := signed(t, s, "POST", "/api/v5/asset/withdrawal", map[string]string{"ccy": "BTC", "amt": "0.01", "dest": "4",
		"toAddr": "bc1qx", "chain": "BTC-Bitcoin", "clientId": "abc1"})
	if len(w.Data) != 1 || s.FundingBalance("BTC").String() != "1.9899" {
		t.Fatalf("withdrawal %s, funding BTC %s", w.body, s.FundingBalance("BTC"))
	}
	for name, path := range map[string]string{
		"rest_asset_currencies":   "/api/v5/asset/currencies?ccy=BTC",
		"rest_deposit_address":    "/api/v5/asset/deposit-address?ccy=BTC",
		"rest_deposit_history":    "/api/v5/asset/deposit-history",
		"rest_withdrawal_history": "/api/v5/asset/withdrawal-history?clientId=abc1",
	} {
		r := signed(t, s, "GET", path, nil)
		if len(r.Data) == 0 {
			t.Fatalf("%s: %s", path, r.body)
		}
		var onlyFake []string
		if name == "rest_withdrawal_history" {
			onlyFake = []string{"data[].tag", "data[].pmtId", "data[].memo", "data[].addrEx", "data[].toAddrType", "data[].note"}
		}
		sameKeys(t, name, json.RawMessage(r.body), nil, onlyFake)
	}
	sameKeys(t, "rest_withdrawal", json.RawMessage(w.body), nil, nil)

	refused := signed(t, s, "POST", "/api/v5/asset/withdrawal", map[string]string{"ccy": "BTC", "amt": "50", "dest": "4",
		"toAddr": "bc1qx", "chain": "BTC-Bitcoin"})
	if refused.Code != "58350" {
		t.Fatalf("more than the funding balance: %s", refused.body)
	}
	tag := signed(t, s, "POST", "/api/v5/asset/withdrawal", map[string]string{"ccy": "USDT", "amt": "5", "dest": "4",
		"toAddr": "EQx", "chain": "USDT-TON"})
	if tag.Code != "51000" {
		t.Fatalf("TON without a memo: %s", tag.body)
	}
}
