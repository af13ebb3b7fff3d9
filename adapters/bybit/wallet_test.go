package bybit

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/unified"
)

// goldenAnswer answers each wallet path with the docs' reply of
// testdata/bybit.
func goldenAnswer(t *testing.T) func(r *http.Request) string {
	replies := map[string]string{
		epCoinInfo.Path:       string(golden(t, "rest_coin_info")),
		epDepositAddress.Path: string(golden(t, "rest_deposit_address")),
		epDeposits.Path:       string(golden(t, "rest_deposit_record")),
		epWithdrawals.Path:    string(golden(t, "rest_withdraw_record")),
		epWithdraw.Path:       string(golden(t, "rest_withdraw")),
	}
	return func(r *http.Request) string {
		if r.URL.Query().Get("cursor") != "" { // the docs' cursor: a second page, empty
			return `{"retCode":0,"retMsg":"OK","result":{"rows":[],"nextPageCursor":""},"time":1}`
		}
		return replies[r.URL.Path]
	}
}

// TestWalletGolden parses the docs' replies through the adapter and
// compares the unified results with what the docs' values mean.
func TestWalletGolden(t *testing.T) {
	x, requests := fixtureVenue(t, goldenAnswer(t))
	ctx := walletCtx(t)
	b := func(v bool) *bool { return &v }

	cs, err := x.FetchCurrencies(ctx)
	if err != nil {
		t.Fatal(err)
	}
	step := nd("0.00000001")
	wantMNT := unified.Currency{ID: "MNT", Code: "MNT", Name: "MNT", Active: b(true), Deposit: b(true), Withdraw: b(true),
		Fee: nd("0"), Precision: step, Limits: unified.CurrencyLimits{Withdraw: unified.MinMax{Min: nd("3"), Max: nd("10000000")},
			Deposit: unified.MinMax{Min: nd("0")}},
		Networks: map[string]unified.Network{
			"ERC20": {ID: "ETH", Network: "ERC20", Active: b(true), Deposit: b(true), Withdraw: b(true), Fee: nd("3"), Precision: step,
				Limits: unified.CurrencyLimits{Withdraw: unified.MinMax{Min: nd("3"), Max: nd("10000000")}, Deposit: unified.MinMax{Min: nd("0")}}},
			"MANTLE": {ID: "MANTLE", Network: "MANTLE", Active: b(true), Deposit: b(true), Withdraw: b(true), Fee: nd("0"), Precision: step,
				Limits: unified.CurrencyLimits{Withdraw: unified.MinMax{Min: nd("10"), Max: nd("10000000")}, Deposit: unified.MinMax{Min: nd("0")}}},
		}}
	if diff := cmp.Diff([]unified.Currency{wantMNT}, cs); diff != "" {
		t.Errorf("currencies (-docs +ours):\n%s", diff)
	}

	a, err := x.FetchDepositAddress(ctx, "USDT", exchange.Params(map[string]any{"network": "ERC20"}))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&unified.DepositAddress{Currency: "USDT", Network: "ERC20", Address: "XXXXXX"}, a); diff != "" {
		t.Errorf("deposit address (-docs +ours):\n%s", diff)
	}
	if _, err := x.FetchDepositAddress(ctx, "USDT", exchange.Params(map[string]any{"network": "TRC20"})); !errors.Is(err, errors.BadResponse) {
		t.Errorf("a reply without the chain asked for: %v", err)
	}

	deps, err := x.FetchDeposits(ctx, "USDT")
	if err != nil {
		t.Fatal(err)
	}
	wantDep := unified.Transaction{ID: "1319723", TxID: "skip-notification-scene-test-amount-202212270944-533285-USDT",
		Timestamp: ms(1672134274000), Updated: ms(1672134274000), Type: unified.TransactionDeposit, Currency: "USDT", Network: "ERC20",
		Amount: nd("10000"), Status: unified.TransactionOK, Address: "test-amount-address", AddressTo: "test-amount-address"}
	if diff := cmp.Diff([]unified.Transaction{wantDep}, deps); diff != "" {
		t.Errorf("deposits (-docs +ours):\n%s", diff)
	}

	ws, err := x.FetchWithdrawals(ctx, "USDT")
	if err != nil {
		t.Fatal(err)
	}
	wantWs := []unified.Transaction{
		{ID: "9976", Timestamp: ms(1670922217000), Updated: ms(1670922217000), Type: unified.TransactionWithdrawal, Currency: "USDT",
			Network: "ERC20", Amount: nd("77"), Status: unified.TransactionPending, Address: "0x99ced129603abc771c0dabe935c326ff6c86645d",
			AddressTo: "0x99ced129603abc771c0dabe935c326ff6c86645d", Internal: b(false), Fee: unified.Fee{Currency: "USDT", Cost: nd("10")}},
		{ID: "13310", Timestamp: ms(1698889833000), Updated: ms(1698889846000), Type: unified.TransactionWithdrawal, Currency: "USDT",
			Network: "internalAddressChain", Amount: nd("20.1234"), Status: unified.TransactionOK, Address: "999805", AddressTo: "999805",
			Internal: b(true), Fee: unified.Fee{Currency: "USDT", Cost: nd("0")}},
	}
	if diff := cmp.Diff(wantWs, ws); diff != "" {
		t.Errorf("withdrawals (-docs +ours):\n%s", diff)
	}

	w, err := x.Withdraw(ctx, "USDT", d("24"), "0x99ced129603abc771c0dabe935c326ff6c86645d", "", exchange.Params(map[string]any{"network": "ETH"}))
	if err != nil {
		t.Fatal(err)
	}
	if w.ID != "10195" || w.Network != "ERC20" || w.Status != unified.TransactionPending || !w.Amount.Decimal.Equal(d("24")) {
		t.Errorf("withdrawal %+v", w)
	}

	// What was sent: the paths, the query of each history page (the
	// cursor followed once, the docs' page being its last with rows),
	// and the withdraw body.
	var sent []string
	var body map[string]any
	for _, r := range requests() {
		sent = append(sent, r.method+" "+r.path+"?"+r.query.Encode())
		if r.method == http.MethodPost {
			if err := json.Unmarshal(r.body, &body); err != nil {
				t.Fatal(err)
			}
		}
	}
	wantSent := []string{
		"GET /v5/asset/coin/query-info?",
		"GET /v5/asset/deposit/query-address?chainType=ETH&coin=USDT",
		"GET /v5/asset/deposit/query-address?chainType=TRX&coin=USDT",
		"GET /v5/asset/deposit/query-record?coin=USDT&limit=50",
		"GET /v5/asset/deposit/query-record?coin=USDT&cursor=eyJtaW5JRCI6MTA0NjA0MywibWF4SUQiOjEwNDYwNDN9&limit=50",
		"GET /v5/asset/withdraw/query-record?coin=USDT&limit=50&withdrawType=2",
		"GET /v5/asset/withdraw/query-record?coin=USDT&cursor=eyJtaW5JRCI6OTgwMSwibWF4SUQiOjk5NzZ9&limit=50&withdrawType=2",
		"POST /v5/asset/withdraw/create?",
	}
	if diff := cmp.Diff(wantSent, sent); diff != "" {
		t.Errorf("requests (-want +sent):\n%s", diff)
	}
	rid, _ := body["requestId"].(string)
	if !requestIDs.Valid(rid) || !strings.HasPrefix(rid, "unifex") {
		t.Errorf("requestId %q", rid)
	}
	delete(body, "requestId")
	if ts, ok := body["timestamp"].(float64); !ok || ts < 1.7e12 {
		t.Errorf("timestamp %v: want integer milliseconds", body["timestamp"])
	}
	delete(body, "timestamp")
	wantBody := map[string]any{"coin": "USDT", "chain": "ETH", "address": "0x99ced129603abc771c0dabe935c326ff6c86645d",
		"amount": "24", "accountType": "UTA"}
	if diff := cmp.Diff(wantBody, body); diff != "" {
		t.Errorf("withdraw body (-want +sent):\n%s", diff)
	}
}

// walletCtx is a test's context, with a deadline.
func walletCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// TestWalletStatuses: every documented status of both histories, and an
// unknown one kept as sent.
func TestWalletStatuses(t *testing.T) {
	for status, want := range map[string]unified.TransactionStatus{
		"0": unified.TransactionPending, "1": unified.TransactionPending, "2": unified.TransactionPending,
		"3": unified.TransactionOK, "4": unified.TransactionFailed, "10011": unified.TransactionPending,
		"10012": unified.TransactionOK, "99": "99",
	} {
		tr, err := parseTransaction(unified.TransactionDeposit, &restTransaction{ID: "1", Coin: "BTC", Status: wireText(status)}, false)
		if err != nil || tr.Status != want {
			t.Errorf("deposit status %s: %q, %v; want %q", status, tr.Status, err, want)
		}
	}
	for status, want := range map[string]unified.TransactionStatus{
		"SecurityCheck": unified.TransactionPending, "Pending": unified.TransactionPending,
		"MoreInformationRequired": unified.TransactionPending, "success": unified.TransactionOK,
		"BlockchainConfirmed": unified.TransactionOK, "CancelByUser": unified.TransactionCanceled,
		"Reject": unified.TransactionFailed, "Fail": unified.TransactionFailed, "Unknown": "Unknown",
	} {
		tr, err := parseTransaction(unified.TransactionWithdrawal, &restTransaction{WithdrawID: "1", Coin: "BTC", Status: wireText(status)}, false)
		if err != nil || tr.Status != want {
			t.Errorf("withdrawal status %s: %q, %v; want %q", status, tr.Status, err, want)
		}
	}
	var r restTransaction
	if err := json.Unmarshal([]byte(`{"id":"1","coin":"BTC","status":"3"}`), &r); err != nil || r.Status != "3" {
		t.Errorf("a status written as a string (CCXT's recordings): %q, %v", r.Status, err)
	}
}

// TestChainCodes: CCXT's codes for Bybit's chain ids and back.
func TestChainCodes(t *testing.T) {
	for _, c := range []struct{ id, coin, code string }{
		{"ETH", "USDT", "ERC20"}, {"ETH", "ETH", "ETH"}, {"TRX", "USDT", "TRC20"}, {"TRX", "TRX", "TRX"},
		{"BSC", "USDT", "BEP20"}, {"ARBI", "USDT", "ARBONE"}, {"OP", "USDT", "OPTIMISM"}, {"CAVAX", "USDT", "AVAXC"},
		{"APTOS", "USDT", "APT"}, {"SOL", "USDT", "SOL"}, {"", "USDT", ""},
	} {
		if got := chains.Code(c.id, c.coin); got != c.code {
			t.Errorf("chains.Code(%q, %q) = %q, want %q", c.id, c.coin, got, c.code)
		}
		if c.id != "" {
			if got := chains.ID(c.code); got != c.id {
				t.Errorf("chains.ID(%q) = %q, want %q", c.code, got, c.id)
			}
		}
	}
	if chains.ID("ARB") != "ARBI" {
		t.Error("ARB is an alias of ARBONE")
	}
}

// TestWithdrawOutcomeUnknown: a withdrawal whose reply is lost (10016,
// internal error) is looked up once in the history and returned when
// exactly one withdrawal matches what was sent, else reported with its
// requestId; it is never sent again.
func TestWithdrawOutcomeUnknown(t *testing.T) {
	const to = "TCb3SXELLBn81JWPNhTbGBEoXHtCX62eU6"
	for name, c := range map[string]struct {
		rows  string
		found bool
	}{
		"found": {`[{"withdrawId":"77","coin":"USDT","chain":"TRX","amount":"20","status":"Pending","toAddress":"` + to + `","tag":"","createTime":"NOW","withdrawType":0},
			{"withdrawId":"76","coin":"USDT","chain":"TRX","amount":"21","status":"Pending","toAddress":"` + to + `","tag":"","createTime":"NOW","withdrawType":0}]`, true},
		"none":      {`[]`, false},
		"another":   {`[{"withdrawId":"76","coin":"USDT","chain":"BSC","amount":"20","status":"Pending","toAddress":"` + to + `","tag":"","createTime":"NOW"}]`, false},
		"ambiguous": {`[{"withdrawId":"77","coin":"USDT","chain":"TRX","amount":"20","toAddress":"` + to + `","createTime":"NOW"},{"withdrawId":"78","coin":"USDT","chain":"TRX","amount":"20","toAddress":"` + to + `","createTime":"NOW"}]`, false},
	} {
		t.Run(name, func(t *testing.T) {
			var posts, lookups atomic.Int32
			x, _ := fixtureVenue(t, func(r *http.Request) string {
				if r.Method == http.MethodPost {
					posts.Add(1)
					return `{"retCode":10016,"retMsg":"Internal system error.","result":{},"time":1}`
				}
				lookups.Add(1)
				if r.URL.Query().Get("startTime") == "" {
					t.Errorf("the look-up has no startTime: %s", r.URL.RawQuery)
				}
				// The look-up starts a minute before the withdrawal was
				// sent: the rows are dated when it was sent.
				start, _ := strconv.ParseInt(r.URL.Query().Get("startTime"), 10, 64)
				now := strconv.FormatInt(start+60_000, 10)
				return `{"retCode":0,"retMsg":"OK","result":{"rows":` + strings.ReplaceAll(c.rows, `"NOW"`, `"`+now+`"`) + `,"nextPageCursor":""},"time":1}`
			})
			tr, err := x.Withdraw(walletCtx(t), "USDT", d("20"), to, "", exchange.Params(map[string]any{"network": "TRC20"}))
			if posts.Load() != 1 || lookups.Load() != 1 {
				t.Fatalf("%d withdraw requests and %d look-ups: want one of each", posts.Load(), lookups.Load())
			}
			if c.found {
				if err != nil || tr.ID != "77" {
					t.Fatalf("want withdrawal 77 found, got %+v, %v", tr, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), "requestId unifex") || !strings.Contains(err.Error(), "outcome unknown") {
				t.Fatalf("want the unknown outcome naming the requestId, got %+v, %v", tr, err)
			}
		})
	}
}

// FuzzWalletReplies: any reply body gives a result or an error, never a
// panic, on every wallet parser.
func FuzzWalletReplies(f *testing.F) {
	for _, name := range []string{"rest_coin_info", "rest_deposit_address", "rest_deposit_record", "rest_withdraw_record", "rest_withdraw"} {
		var g struct {
			Message struct {
				Result json.RawMessage `json:"result"`
			} `json:"message"`
		}
		data, err := os.ReadFile("testdata/bybit/" + name + ".json")
		if err != nil {
			f.Fatal(err)
		}
		if err := json.Unmarshal(data, &g); err != nil {
			f.Fatal(err)
		}
		f.Add([]byte(g.Message.Result))
	}
	f.Add([]byte(`{"rows":[{"coin":"X","chains":[{"chain":"A","minAccuracy":"-1"}]}]}`))
	f.Add([]byte(`{"rows":[{"withdrawId":"1","coin":"X","status":3,"createTime":"x"}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var coins struct {
			Rows []restCoinInfo `json:"rows"`
		}
		if json.Unmarshal(b, &coins) == nil {
			for i := range coins.Rows {
				_, _ = parseCurrency(&coins.Rows[i], true)
			}
		}
		var addr restDepositAddresses
		if json.Unmarshal(b, &addr) == nil {
			_, _ = parseDepositAddress(&addr, "USDT", "", true)
			_, _ = parseDepositAddress(&addr, "USDT", "ETH", false)
		}
		var hist struct {
			Rows []restTransaction `json:"rows"`
		}
		if json.Unmarshal(b, &hist) == nil {
			for i := range hist.Rows {
				_, _ = parseTransaction(unified.TransactionDeposit, &hist.Rows[i], true)
				_, _ = parseTransaction(unified.TransactionWithdrawal, &hist.Rows[i], false)
			}
		}
		var w restWithdrawal
		if json.Unmarshal(b, &w) == nil {
			_, _ = parseWithdrawal(&w, &withdrawal{code: "USDT", chain: "TRX", amount: decimal.NewFromInt(1)}, true)
		}
	})
}
