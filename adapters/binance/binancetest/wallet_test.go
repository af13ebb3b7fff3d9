package binancetest

import (
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// TestWalletMessagesMatchTheDocs: the wallet's replies have the fields of
// the documented ones.
func TestWalletMessagesMatchTheDocs(t *testing.T) {
	s := start(t, Config{Seed: 41})
	c := &capture{t: t, s: s, json: map[string]json.RawMessage{}}
	s.Deposit("BNB", "BNB", decimal.NewFromInt(3))
	w := signed(t, s, "POST", "/sapi/v1/capital/withdraw/apply", "coin", "USDT", "network", "TRX", "address", "TXYZ", "amount", "100",
		"withdrawOrderId", "WITHDRAWtest123")
	c.rest("rest_withdraw_apply", w)
	s.CompleteWithdrawals()
	s.Deposit("ETH", "", decimal.NewFromInt(1))
	signed(t, s, "POST", "/sapi/v1/capital/withdraw/apply", "coin", "BTC", "address", "bc1q", "amount", "0.01")
	var coins []json.RawMessage
	signed(t, s, "GET", "/sapi/v1/capital/config/getall").decode(t, &coins)
	for _, coin := range coins {
		var head struct{ Coin string }
		_ = json.Unmarshal(coin, &head)
		if head.Coin == "USDT" { // a token: its networks carry the contract fields
			c.json["rest_capital_config_getall"] = json.RawMessage("[" + string(coin) + "]")
		}
	}
	c.rest("rest_deposit_address", signed(t, s, "GET", "/sapi/v1/capital/deposit/address", "coin", "BTC"))
	c.rest("rest_deposit_hisrec", signed(t, s, "GET", "/sapi/v1/capital/deposit/hisrec"))
	c.rest("rest_withdraw_history", signed(t, s, "GET", "/sapi/v1/capital/withdraw/history"))
	for _, tc := range []struct {
		name             string
		onlyDocs, onlyFk []string
	}{
		{"rest_capital_config_getall", nil, nil},
		{"rest_deposit_address", nil, nil},
		{"rest_deposit_hisrec", nil, nil},
		// The newest withdrawal is processing (no completeTime) and has
		// no withdrawOrderId.
		{"rest_withdraw_history", []string{"[].completeTime", "[].withdrawOrderId"}, nil},
		{"rest_withdraw_apply", nil, nil},
	} {
		sameKeys(t, tc.name, golden(t, Spot, tc.name), c.json[tc.name], tc.onlyDocs, tc.onlyFk)
	}
}

// TestWithdrawDebitsAndLists: a withdrawal debits the free balance, is
// listed as processing with the amount less the fee, and completes; the
// refusals carry the wallet's codes and leave the balance alone.
func TestWithdrawDebitsAndLists(t *testing.T) {
	s := start(t, Config{Seed: 42})
	s.Deposit("BNB", "", decimal.NewFromInt(5))
	free := func(asset string) decimal.Decimal {
		var acct struct {
			Balances []spotBalance `json:"balances"`
		}
		signed(t, s, "GET", "/api/v3/account").decode(t, &acct)
		for _, b := range acct.Balances {
			if b.Asset == asset {
				return decimal.RequireFromString(b.Free)
			}
		}
		return decimal.Zero
	}
	before := free("ETH")
	r := signed(t, s, "POST", "/sapi/v1/capital/withdraw/apply", "coin", "ETH", "address", "0xabc", "amount", "1.5", "withdrawOrderId", "w1")
	var applied map[string]string
	r.decode(t, &applied)
	if r.status != 200 || len(applied["id"]) != 32 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	if got := free("ETH"); !got.Equal(before.Sub(decimal.RequireFromString("1.5"))) {
		t.Fatalf("ETH %s after withdrawing 1.5 of %s", got, before)
	}
	var list []withdrawalEntry
	signed(t, s, "GET", "/sapi/v1/capital/withdraw/history", "withdrawOrderId", "w1").decode(t, &list)
	if len(list) != 1 || list[0].ID != applied["id"] || list[0].Status != 4 || list[0].Amount != "1.49910000" || list[0].TransactionFee != "0.0009" ||
		list[0].Network != "ETH" || list[0].CompleteTime != "" {
		t.Fatalf("%+v", list)
	}
	s.CompleteWithdrawals()
	signed(t, s, "GET", "/sapi/v1/capital/withdraw/history", "idList", applied["id"]).decode(t, &list)
	if len(list) != 1 || list[0].Status != 6 || list[0].TxID == "" || list[0].CompleteTime == "" {
		t.Fatalf("%+v", list)
	}
	after := free("ETH")
	for _, c := range []struct {
		params []string
		code   int
	}{
		{[]string{"coin", "ETH", "address", "0xabc", "amount", "1000"}, codeWalletShort},
		{[]string{"coin", "ETH", "address", "0xabc", "amount", "0.000000001"}, codeWithdrawStep},
		{[]string{"coin", "ETH", "address", "0xabc", "amount", "0.001"}, codeWithdrawMin},
		{[]string{"coin", "DOGE", "address", "0xabc", "amount", "1"}, codeNoAsset},
		{[]string{"coin", "ETH", "network", "TRX", "address", "0xabc", "amount", "1"}, codeInvalidParam},
		{[]string{"coin", "BNB", "network", "BNB", "address", "bnb1", "amount", "1"}, codeMandatory},
		{[]string{"coin", "ETH", "amount", "1"}, codeMandatory},
	} {
		if r := signed(t, s, "POST", "/sapi/v1/capital/withdraw/apply", c.params...); r.status != 400 || r.code() != c.code {
			t.Errorf("%v: %d %s, want %d", c.params, r.status, r.body, c.code)
		}
	}
	if got := free("ETH"); !got.Equal(after) {
		t.Fatalf("ETH %s after refusals, was %s", got, after)
	}
	now := s.now()
	far := strconv.FormatInt(now.Add(-100*24*time.Hour).UnixMilli(), 10)
	if r := signed(t, s, "GET", "/sapi/v1/capital/deposit/hisrec", "startTime", far); r.code() != codeInterval {
		t.Fatalf("a 100-day window: %d %s", r.status, r.body)
	}
	if r := get(t, s, "/sapi/v1/capital/config/getall", ""); r.status != 401 {
		t.Fatalf("unsigned: %d %s", r.status, r.body)
	}
}

// TestDepositHistoryPages: newest first, filtered by coin and window,
// with offset and limit.
func TestDepositHistoryPages(t *testing.T) {
	s := start(t, Config{Seed: 43})
	var ids []string
	for i := 0; i < 5; i++ {
		ids = append(ids, s.Deposit("USDT", "TRX", decimal.NewFromInt(int64(i+1))))
	}
	s.Deposit("BTC", "", decimal.NewFromInt(1))
	var page []depositEntry
	signed(t, s, "GET", "/sapi/v1/capital/deposit/hisrec", "coin", "USDT", "offset", "1", "limit", "2").decode(t, &page)
	if len(page) != 2 || page[0].ID != ids[3] || page[1].ID != ids[2] || page[0].Network != "TRX" || page[0].Status != 1 {
		t.Fatalf("%+v", page)
	}
	var addr map[string]string
	signed(t, s, "GET", "/sapi/v1/capital/deposit/address", "coin", "USDT", "network", "TRX").decode(t, &addr)
	if page[0].Address != addr["address"] || addr["url"] != "https://tronscan.org/#/address/"+addr["address"] {
		t.Fatalf("deposit %+v, address %v", page[0], addr)
	}
	future := strconv.FormatInt(s.now().Add(time.Hour).UnixMilli(), 10)
	signed(t, s, "GET", "/sapi/v1/capital/deposit/hisrec", "startTime", future, "endTime", future).decode(t, &page)
	if len(page) != 0 {
		t.Fatalf("a window after every deposit: %+v", page)
	}
}
