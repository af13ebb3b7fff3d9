package binance

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/adapters/binance/binancetest"
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/rest"
	"github.com/unifex-go/unifex/unified"
)

// TestWalletAgainstFakeBinance: currencies, deposit addresses, a deposit
// and a withdrawal end to end against the fake spot Binance, which checks
// every signature, debits the withdrawal and lists both in the histories.
func TestWalletAgainstFakeBinance(t *testing.T) {
	srv := binancetest.Start(binancetest.Config{Seed: 3})
	defer srv.Close()
	x, err := New(IDSpot, exchange.Config{APIKey: binancetest.TestAPIKey, Secret: binancetest.TestSecret, URLs: srv.URLs(),
		Options: Options{Retry: rest.RetryPolicy{MaxAttempts: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	c := ctx(t)

	currencies, err := x.FetchCurrencies(c)
	if err != nil {
		t.Fatal(err)
	}
	byCode := map[string]unified.Currency{}
	for _, cur := range currencies {
		byCode[cur.Code] = cur
	}
	usdt, ok := byCode["USDT"]
	if !ok || len(usdt.Networks) != 3 || usdt.Networks["TRC20"].ID != "TRX" || usdt.Networks["ERC20"].ID != "ETH" || usdt.Networks["BEP20"].ID != "BSC" {
		t.Fatalf("USDT: %+v", usdt)
	}
	if !usdt.Fee.Decimal.Equal(usdt.Networks["ERC20"].Fee.Decimal) || usdt.Deposit == nil || !*usdt.Deposit ||
		!usdt.Limits.Withdraw.Min.Decimal.Equal(decimal.RequireFromString("0.0018")) || !usdt.Precision.Decimal.Equal(decimal.RequireFromString("0.000001")) {
		t.Fatalf("USDT's derived fields (default fee, any deposit, smallest minimum, coarsest step): %+v", usdt)
	}
	if btc := byCode["BTC"]; btc.Networks["BTC"].Network != "BTC" || btc.Networks["BEP20"].ID != "BSC" {
		t.Fatalf("BTC networks: %+v", btc.Networks)
	}

	trc, err := x.FetchDepositAddress(c, "USDT", exchange.Params(map[string]any{"network": "TRC20"}))
	if err != nil {
		t.Fatal(err)
	}
	again, err := x.FetchDepositAddress(c, "USDT", exchange.Params(map[string]any{"network": "TRX"}))
	if err != nil || trc.Network != "TRC20" || !strings.HasPrefix(trc.Address, "T") || trc.Currency != "USDT" || *again != *trc {
		t.Fatalf("TRC20 address %+v, again %+v (%v)", trc, again, err)
	}
	def, err := x.FetchDepositAddress(c, "USDT")
	if err != nil || def.Network != "" || def.Address == trc.Address || !strings.HasPrefix(def.Address, "0x") {
		t.Fatalf("default address %+v (%v): no network named, the ERC20 address", def, err)
	}
	if _, err := x.FetchDepositAddress(c, "USDT", exchange.Params(map[string]any{"network": "SOL"})); !errors.Is(err, errors.BadRequest) {
		t.Fatalf("a network the coin lacks: %v", err)
	}

	before := balance(t, x, "USDT")
	depositID := srv.Deposit("USDT", "TRX", decimal.NewFromInt(250))
	deposits, err := x.FetchDeposits(c, "USDT")
	if err != nil || len(deposits) != 1 {
		t.Fatalf("deposits %+v (%v)", deposits, err)
	}
	d := deposits[0]
	if d.ID != depositID || d.Type != unified.TransactionDeposit || d.Status != unified.TransactionOK || d.Network != "TRC20" ||
		!d.Amount.Decimal.Equal(decimal.NewFromInt(250)) || d.AddressTo != d.Address || d.Address == "" || d.TxID == "" ||
		d.Internal == nil || *d.Internal || d.Timestamp.IsZero() {
		t.Fatalf("deposit %+v", d)
	}
	if got := balance(t, x, "USDT"); !got.Equal(before.Add(decimal.NewFromInt(250))) {
		t.Fatalf("USDT %s after a deposit of 250 onto %s", got, before)
	}
	if other, err := x.FetchDeposits(c, "BTC"); err != nil || len(other) != 0 {
		t.Fatalf("BTC deposits %+v (%v)", other, err)
	}

	btcBefore := balance(t, x, "BTC")
	amount := decimal.RequireFromString("0.01")
	w, err := x.Withdraw(c, "BTC", amount, "bc1qexampleaddress0000000000000000000000", "", exchange.Params(map[string]any{"network": "BTC"}))
	if err != nil {
		t.Fatal(err)
	}
	if w.ID == "" || w.Status != unified.TransactionPending || w.Type != unified.TransactionWithdrawal || w.Network != "BTC" ||
		!w.Amount.Decimal.Equal(amount) || w.Currency != "BTC" || w.AddressTo != "bc1qexampleaddress0000000000000000000000" {
		t.Fatalf("withdraw result %+v", w)
	}
	if got := balance(t, x, "BTC"); !got.Equal(btcBefore.Sub(amount)) {
		t.Fatalf("BTC %s after withdrawing %s of %s", got, amount, btcBefore)
	}
	list, err := x.FetchWithdrawals(c, "BTC")
	if err != nil || len(list) != 1 {
		t.Fatalf("withdrawals %+v (%v)", list, err)
	}
	got := list[0]
	fee := decimal.RequireFromString("0.0002")
	if got.ID != w.ID || got.Status != unified.TransactionPending || got.Network != "BTC" || !got.Fee.Cost.Decimal.Equal(fee) ||
		got.Fee.Currency != "BTC" || !got.Amount.Decimal.Equal(amount.Sub(fee)) || got.Address != w.Address || !got.Updated.IsZero() {
		t.Fatalf("listed withdrawal %+v", got)
	}
	srv.CompleteWithdrawals()
	list, err = x.FetchWithdrawals(c, "", exchange.Params(map[string]any{"idList": w.ID}))
	if err != nil || len(list) != 1 || list[0].Status != unified.TransactionOK || list[0].TxID == "" || list[0].Updated.IsZero() {
		t.Fatalf("completed withdrawal %+v (%v)", list, err)
	}

	_, err = x.Withdraw(c, "BTC", decimal.NewFromInt(1000), "bc1qexampleaddress0000000000000000000000", "")
	var e *errors.Error
	if !errors.Is(err, errors.InsufficientFunds) || !errors.As(err, &e) || e.Code != "-4026" {
		t.Fatalf("withdrawing more than the balance: %v", err)
	}
	if _, err := x.Withdraw(c, "BTC", decimal.RequireFromString("0.000000001"), "bc1qx", ""); !errors.Is(err, errors.BadRequest) {
		t.Fatalf("an amount off the step: %v", err)
	}
	if got := balance(t, x, "BTC"); !got.Equal(btcBefore.Sub(amount)) {
		t.Fatalf("BTC %s after refused withdrawals", got)
	}
	if _, err := x.Withdraw(c, "BTC", decimal.Zero, "bc1qx", ""); !errors.Is(err, errors.BadRequest) {
		t.Fatalf("a zero withdrawal: %v", err)
	}
	if _, err := x.Withdraw(c, "BTC", amount, "", ""); !errors.Is(err, errors.ArgumentsRequired) {
		t.Fatalf("no address: %v", err)
	}
}

// balance is code's free balance.
func balance(t *testing.T, x *Exchange, code string) decimal.Decimal {
	t.Helper()
	b, err := x.FetchBalance(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	return b.Currencies[code].Free.Decimal
}

// TestWalletIsSpots: the futures adapters neither advertise nor answer the
// wallet.
func TestWalletIsSpots(t *testing.T) {
	spotFeatures := featuresOf(products[spot])
	for _, f := range []exchange.Feature{exchange.FeatureFetchCurrencies, exchange.FeatureFetchDepositAddress, exchange.FeatureFetchDeposits,
		exchange.FeatureFetchWithdrawals, exchange.FeatureWithdraw} {
		if !spotFeatures.Has(f) {
			t.Errorf("spot lacks %s", f)
		}
	}
	for _, k := range []kind{usdm, coinm} {
		x, err := New(products[k].id, exchange.Config{APIKey: "key", Secret: "secret", URLs: map[string]string{"rest": "http://127.0.0.1:1"}})
		if err != nil {
			t.Fatal(err)
		}
		c := ctx(t)
		_, e1 := x.FetchCurrencies(c)
		_, e2 := x.FetchDepositAddress(c, "USDT")
		_, e3 := x.FetchDeposits(c, "")
		_, e4 := x.FetchWithdrawals(c, "")
		_, e5 := x.Withdraw(c, "USDT", decimal.NewFromInt(1), "addr", "")
		for i, err := range []error{e1, e2, e3, e4, e5} {
			if !errors.Is(err, errors.NotSupported) {
				t.Errorf("%s call %d: %v", products[k].id, i, err)
			}
		}
		if x.Has(exchange.FeatureWithdraw) || x.Has(exchange.FeatureFetchCurrencies) {
			t.Errorf("%s advertises the wallet", products[k].id)
		}
		_ = x.Close()
	}
}

// TestWalletGolden parses the documented replies.
func TestWalletGolden(t *testing.T) {
	var coins []restCoin
	if err := json.Unmarshal([]byte(golden(t, "binance", "rest_capital_config_getall")), &coins); err != nil || len(coins) != 1 {
		t.Fatalf("%v %d", err, len(coins))
	}
	link, err := parseCurrency(&coins[0], true)
	if err != nil {
		t.Fatal(err)
	}
	// fee: the default network's (ETH); limits: the smallest minimum and
	// the largest maximum; precision: the coarsest step.
	expectJSON(t, link, `{"id":"LINK","code":"LINK","name":"ChainLink","active":true,"deposit":true,"withdraw":true,"fee":0.55,
		"precision":0.00000001,"limits":{"withdraw":{"min":0.024,"max":10000000000},"deposit":{"min":0.0001}},
		"networks":{"BEP20":{"id":"BSC","network":"BEP20","deposit":true,"withdraw":true,"fee":0.012,"precision":0.00000001,
			"limits":{"withdraw":{"min":0.024,"max":9999999999.99999999},"deposit":{"min":0.0001}}},
		"ERC20":{"id":"ETH","network":"ERC20","deposit":true,"withdraw":true,"fee":0.55,"precision":0.00000001,
			"limits":{"withdraw":{"min":1.1,"max":10000000000},"deposit":{"min":0.005}}}}}`)
	if link.Info == nil || link.Networks["ERC20"].Info == nil {
		t.Error("Info not kept")
	}

	var addr restDepositAddress
	_ = json.Unmarshal([]byte(golden(t, "binance", "rest_deposit_address")), &addr)
	a, err := parseDepositAddress(&addr, "BTC", "", false)
	if err != nil || a.Address != "1HPn8Rx2y6nNSfagQBKy27GB99Vbzg89wv" || a.Currency != "BTC" || a.Tag != "" || a.Network != "" || a.Info != nil {
		t.Fatalf("%+v %v", a, err)
	}

	var deposits []restTransaction
	_ = json.Unmarshal([]byte(golden(t, "binance", "rest_deposit_hisrec")), &deposits)
	var parsed []unified.Transaction
	for i := range deposits {
		tx, err := parseTransaction(unified.TransactionDeposit, &deposits[i], false)
		if err != nil {
			t.Fatal(err)
		}
		parsed = append(parsed, tx)
	}
	expectJSON(t, parsed, `[{"id":"769800519366885376","txid":"98A3EA560C6B3336D348B6C83F0F95ECE4F1F5919E94BD006E5BF3BF264FACFC",
		"timestamp":1661493146000,"type":"deposit","currency":"BNB","network":"BEP2","amount":0.001,"status":"pending",
		"address":"bnb136ns6lfw4zs5hg4n85vdthaad7hq5m4gtkgf23","addressTo":"bnb136ns6lfw4zs5hg4n85vdthaad7hq5m4gtkgf23",
		"tag":"101764890","tagTo":"101764890","internal":false,"fee":null},
		{"id":"769754833590042625","timestamp":1599620082000,"currency":"IOTA","network":"IOTA","amount":0.5,"status":"ok","internal":false}]`)
	if parsed[1].Tag != "" || parsed[0].Internal == nil || *parsed[0].Internal || !parsed[0].Fee.IsZero() {
		t.Errorf("%+v", parsed)
	}

	var withdrawals []restTransaction
	_ = json.Unmarshal([]byte(golden(t, "binance", "rest_withdraw_history")), &withdrawals)
	parsed = parsed[:0]
	for i := range withdrawals {
		tx, err := parseTransaction(unified.TransactionWithdrawal, &withdrawals[i], false)
		if err != nil {
			t.Fatal(err)
		}
		parsed = append(parsed, tx)
	}
	expectJSON(t, parsed, `[{"id":"b6ae22b3aa844210a7041aee7589627c","timestamp":1570878722000,"updated":1679590361000,
		"type":"withdrawal","currency":"USDT","network":"ERC20","amount":8.91,"status":"ok","fee":{"currency":"USDT","cost":0.004},
		"comment":"The address is not valid. Please confirm with the recipient","internal":false,
		"txid":"0xb5ef8c13b968a406cc62a93a8bd80f9e9a906ef1b3fcf20a2e48573c17659268"},
		{"id":"156ec387f49b41df8724fa744fa82719","timestamp":1569329025000,"currency":"BTC","amount":0.0015,"status":"ok"}]`)
	if parsed[1].Network != "" || parsed[1].Comment != "" {
		t.Errorf("an old withdrawal has no network: %+v", parsed[1])
	}

	var applied restWithdrawal
	_ = json.Unmarshal([]byte(golden(t, "binance", "rest_withdraw_apply")), &applied)
	w, err := parseWithdrawal(&applied, "USDT", "TRC20", decimal.RequireFromString("10.5"), "TAddr", "memo", false)
	if err != nil || w.ID != "7213fea8e94b4a5593d507237e5a555b" || w.Status != unified.TransactionPending || w.Tag != "memo" || w.TagTo != "memo" ||
		!w.Timestamp.IsZero() || !w.Amount.Decimal.Equal(decimal.RequireFromString("10.5")) {
		t.Fatalf("%+v %v", w, err)
	}

	e := binanceError(errSpot, goldenStatus(t, "binance", "error_withdraw_insufficient"), -4026, "You have insufficient balance.")
	if !errors.Is(e, errors.InsufficientFunds) {
		t.Fatalf("-4026: %v", e)
	}
}

// TestWalletStatuses: every documented status of both histories, and an
// unknown one kept as sent.
func TestWalletStatuses(t *testing.T) {
	for _, c := range []struct {
		typ    unified.TransactionType
		status string
		want   unified.TransactionStatus
	}{
		{unified.TransactionDeposit, "0", unified.TransactionPending},
		{unified.TransactionDeposit, "8", unified.TransactionPending},
		{unified.TransactionDeposit, "6", unified.TransactionOK},
		{unified.TransactionDeposit, "1", unified.TransactionOK},
		{unified.TransactionDeposit, "7", unified.TransactionFailed},
		{unified.TransactionDeposit, "2", unified.TransactionFailed},
		{unified.TransactionDeposit, "9", "9"},
		{unified.TransactionWithdrawal, "0", unified.TransactionPending},
		{unified.TransactionWithdrawal, "1", unified.TransactionCanceled},
		{unified.TransactionWithdrawal, "2", unified.TransactionPending},
		{unified.TransactionWithdrawal, "3", unified.TransactionFailed},
		{unified.TransactionWithdrawal, "4", unified.TransactionPending},
		{unified.TransactionWithdrawal, "5", unified.TransactionFailed},
		{unified.TransactionWithdrawal, "6", unified.TransactionOK},
	} {
		r := restTransaction{ID: "1", Coin: "BTC", Status: idText(c.status)}
		tx, err := parseTransaction(c.typ, &r, false)
		if err != nil || tx.Status != c.want {
			t.Errorf("%s %s: %q %v, want %q", c.typ, c.status, tx.Status, err, c.want)
		}
	}
	for _, bad := range []string{`{"id":"1"}`, `{"coin":"BTC"}`, `{"id":"1","coin":"BTC","amount":"x"}`, `{"id":"1","coin":"BTC","applyTime":"yesterday"}`} {
		var r restTransaction
		err := json.Unmarshal([]byte(bad), &r)
		if err == nil {
			_, err = parseTransaction(unified.TransactionWithdrawal, &r, false)
		}
		if !errors.Is(err, errors.BadResponse) {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

// TestNetworkCodes: CCXT's codes for Binance's network ids and back.
func TestNetworkCodes(t *testing.T) {
	for _, c := range [][3]string{
		{"ETH", "USDT", "ERC20"}, {"ETH", "ETH", "ETH"}, {"TRX", "USDT", "TRC20"}, {"TRX", "TRX", "TRX"}, {"BSC", "BNB", "BEP20"},
		{"BNB", "BNB", "BEP2"}, {"OPTIMISM", "OP", "OP"}, {"SOL", "SOL", "SOL"}, {"", "BTC", ""},
	} {
		if got := networks.Code(c[0], c[1]); got != c[2] {
			t.Errorf("networks.Code(%s, %s) = %s, want %s", c[0], c[1], got, c[2])
		}
	}
	for code, id := range map[string]string{"ERC20": "ETH", "TRC20": "TRX", "BEP20": "BSC", "BEP2": "BNB", "OP": "OPTIMISM", "ARBONE": "ARBITRUM",
		"ETH": "ETH", "SOL": "SOL"} {
		if got := networks.ID(code); got != id {
			t.Errorf("networks.ID(%s) = %s, want %s", code, got, id)
		}
	}
}

// TestHistoryWindows: with Since the history is asked window after
// window (each under 90 days, contiguous, up to now), a full page is
// followed by the next offset, and Limit keeps the oldest; without Since
// Limit is sent and keeps the newest.
func TestHistoryWindows(t *testing.T) {
	x, v := newTestVenue(t, spot)
	now := time.Now()
	entries := func(q url.Values, n int, at time.Time) string {
		var out []string
		for i := 0; i < n; i++ {
			out = append(out, fmt.Sprintf(`{"id":"%s-%s-%d","coin":"BTC","amount":"1","status":1,"insertTime":%d,"transferType":0}`,
				q.Get("startTime"), q.Get("offset"), i, at.Add(-time.Duration(i)*time.Minute).UnixMilli()))
		}
		return "[" + strings.Join(out, ",") + "]"
	}
	v.onFunc("GET /sapi/v1/capital/deposit/hisrec", func(q url.Values) (int, string) {
		start, _ := strconv.ParseInt(q.Get("startTime"), 10, 64)
		switch {
		case start == 0 && q.Get("offset") == "":
			return 200, entries(q, historyPage, now)
		case start == 0:
			return 200, entries(q, 3, now.Add(-100*24*time.Hour))
		}
		return 200, entries(q, 2, time.UnixMilli(start).Add(time.Hour))
	})
	since := now.Add(-200 * 24 * time.Hour)
	got, err := x.FetchDeposits(ctx(t), "BTC", exchange.Since(since))
	if err != nil {
		t.Fatal(err)
	}
	sent := v.sent("GET /sapi/v1/capital/deposit/hisrec")
	if len(sent) != 3 || len(got) != 6 {
		t.Fatalf("%d requests, %d deposits", len(sent), len(got))
	}
	next := since.UnixMilli()
	for _, q := range sent {
		start, _ := strconv.ParseInt(q.Get("startTime"), 10, 64)
		end, _ := strconv.ParseInt(q.Get("endTime"), 10, 64)
		if start != next || end-start >= (90*24*time.Hour).Milliseconds() || q.Get("limit") != "1000" || q.Get("coin") != "BTC" {
			t.Fatalf("window %v, want it to start at %d", q, next)
		}
		next = end + 1
	}
	if next < now.UnixMilli() {
		t.Fatalf("the windows end at %d, before now", next)
	}
	for i := 1; i < len(got); i++ {
		if got[i].Timestamp.Before(got[i-1].Timestamp) {
			t.Fatal("not oldest first")
		}
	}

	oldest, err := x.FetchDeposits(ctx(t), "BTC", exchange.Since(since), exchange.Limit(3))
	if err != nil || len(oldest) != 3 || !oldest[0].Timestamp.Equal(got[0].Timestamp) || len(v.sent("GET /sapi/v1/capital/deposit/hisrec")) != 5 {
		t.Fatalf("Limit 3 from Since: %d deposits, %d requests (%v)", len(oldest), len(v.sent("GET /sapi/v1/capital/deposit/hisrec")), err)
	}

	all, err := x.FetchDeposits(ctx(t), "")
	if err != nil || len(all) != historyPage+3 {
		t.Fatalf("%d deposits (%v), want a full page and the next", len(all), err)
	}
	sent = v.sent("GET /sapi/v1/capital/deposit/hisrec")
	if last := sent[len(sent)-1]; last.Get("offset") != "1000" || last.Get("startTime") != "" || last.Get("coin") != "" {
		t.Fatalf("second page %v", last)
	}
	newest, err := x.FetchDeposits(ctx(t), "", exchange.Limit(5))
	sent = v.sent("GET /sapi/v1/capital/deposit/hisrec")
	if err != nil || len(newest) != 5 || sent[len(sent)-1].Get("limit") != "5" || !newest[4].Timestamp.Equal(all[len(all)-1].Timestamp) {
		t.Fatalf("Limit 5: %d (%v), sent %v", len(newest), err, sent[len(sent)-1])
	}
	if _, err := x.FetchDeposits(ctx(t), "", exchange.Params(map[string]any{"endTime": "soon"})); !errors.Is(err, errors.BadRequest) {
		t.Fatalf("a malformed endTime: %v", err)
	}
}

// TestWalletRequests: what Withdraw and FetchDepositAddress send.
func TestWalletRequests(t *testing.T) {
	x, v := newTestVenue(t, spot)
	v.on("POST /sapi/v1/capital/withdraw/apply", 200, golden(t, "binance", "rest_withdraw_apply"))
	v.on("GET /sapi/v1/capital/deposit/address", 200, golden(t, "binance", "rest_deposit_address"))
	w, err := x.Withdraw(ctx(t), "XRP", decimal.RequireFromString("25.5"), "rXaddr", "12345",
		exchange.Params(map[string]any{"network": "BEP20", "withdrawOrderId": "mine-1"}))
	if err != nil || w.Network != "BEP20" || w.Tag != "12345" {
		t.Fatalf("%+v %v", w, err)
	}
	q := v.sent("POST /sapi/v1/capital/withdraw/apply")[0]
	want := url.Values{"coin": {"XRP"}, "network": {"BSC"}, "address": {"rXaddr"}, "addressTag": {"12345"}, "amount": {"25.5"}, "withdrawOrderId": {"mine-1"}}
	for k := range want {
		if q.Get(k) != want.Get(k) {
			t.Errorf("%s = %q, want %q", k, q.Get(k), want.Get(k))
		}
	}
	if _, err := x.Withdraw(ctx(t), "XRP", decimal.NewFromInt(1), "r", "", exchange.Params(map[string]any{"amount": "2"})); !errors.Is(err, errors.BadRequest) {
		t.Fatalf("Params naming a unified argument: %v", err)
	}
	if _, err := x.FetchDepositAddress(ctx(t), "BTC"); err != nil {
		t.Fatal(err)
	}
	if q := v.sent("GET /sapi/v1/capital/deposit/address")[0]; q.Get("coin") != "BTC" || q.Has("network") {
		t.Fatalf("%v", q)
	}
	v.on("GET /sapi/v1/capital/deposit/address", 200, `{"coin":"BTC","address":"","tag":""}`)
	if _, err := x.FetchDepositAddress(ctx(t), "BTC"); !errors.Is(err, errors.BadResponse) {
		t.Fatalf("an empty address: %v", err)
	}
	if _, err := x.FetchDepositAddress(ctx(t), ""); !errors.Is(err, errors.ArgumentsRequired) {
		t.Fatalf("no code: %v", err)
	}
}

// TestWithdrawOutcomeUnknown checks that a withdrawal whose reply is lost
// is looked up once by the withdrawOrderId it was sent with, never sent
// again, and returned when Binance has it, else reported with the id.
func TestWithdrawOutcomeUnknown(t *testing.T) {
	x, v := newTestVenue(t, spot)
	const apply, history = "POST /sapi/v1/capital/withdraw/apply", "GET /sapi/v1/capital/withdraw/history"
	v.on(apply, 502, `<html>Bad Gateway</html>`)
	var known bool
	v.onFunc(history, func(q url.Values) (int, string) {
		sent := v.sent(apply)
		if !known || len(sent) == 0 || q.Get("withdrawOrderId") != sent[len(sent)-1].Get("withdrawOrderId") {
			return 200, `[]`
		}
		return 200, `[{"id":"w-7","amount":"25.4","transactionFee":"0.1","coin":"XRP","status":4,"address":"rXaddr",` +
			`"applyTime":"2024-05-05 15:38:56","network":"XRP","withdrawOrderId":"` + q.Get("withdrawOrderId") + `"}]`
	})
	known = true
	w, err := x.Withdraw(ctx(t), "XRP", decimal.RequireFromString("25.5"), "rXaddr", "")
	if err != nil || w.ID != "w-7" {
		t.Fatalf("a withdrawal the venue has: %+v, %v", w, err)
	}
	id := v.sent(apply)[0].Get("withdrawOrderId")
	if !strings.HasPrefix(id, clientIDs.Prefix) {
		t.Fatalf("withdrawOrderId %q", id)
	}
	known = false
	_, err = x.Withdraw(ctx(t), "XRP", decimal.RequireFromString("25.5"), "rXaddr", "")
	id = v.sent(apply)[1].Get("withdrawOrderId")
	if err == nil || !strings.Contains(err.Error(), id) || !errors.Is(err, errors.ExchangeNotAvailable) {
		t.Fatalf("an unknown outcome: %v (id %s)", err, id)
	}
	if n := len(v.sent(apply)); n != 2 {
		t.Fatalf("%d withdraw requests for 2 calls: one was sent again", n)
	}
}

// FuzzWalletReplies: any reply body gives a result or an error, never a
// panic, on every wallet parser.
func FuzzWalletReplies(f *testing.F) {
	for _, seed := range []string{
		`[{"coin":"LINK","name":"ChainLink","trading":true,"networkList":[{"network":"ETH","isDefault":true,"withdrawFee":"0.5","withdrawIntegerMultiple":"0"}]}]`,
		`{"id":"1","coin":"USDT","network":"TRX","status":"6","amount":"9","transactionFee":"1","applyTime":"2024-05-05 15:38:56","completeTime":1714923644000,"transferType":"1"}`,
		`{"id":12,"coin":"BNB","status":7,"insertTime":"1661493146000","addressTag":"1"}`,
		`{"coin":"BTC","address":"1x","tag":"","url":"u"}`,
		`{"id":"abc"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var coins []restCoin
		if json.Unmarshal(body, &coins) == nil {
			for i := range coins {
				if c, err := parseCurrency(&coins[i], true); err == nil && c.Code == "" {
					t.Fatal("a currency without a code")
				}
			}
		}
		var tx restTransaction
		if json.Unmarshal(body, &tx) == nil {
			for _, typ := range []unified.TransactionType{unified.TransactionDeposit, unified.TransactionWithdrawal} {
				if got, err := parseTransaction(typ, &tx, false); err == nil && (got.ID == "" || got.Type != typ) {
					t.Fatalf("%+v", got)
				}
			}
		}
		var a restDepositAddress
		if json.Unmarshal(body, &a) == nil {
			_, _ = parseDepositAddress(&a, "BTC", "", true)
		}
		var w restWithdrawal
		if json.Unmarshal(body, &w) == nil {
			_, _ = parseWithdrawal(&w, "BTC", "", decimal.NewFromInt(1), "a", "", true)
		}
	})
}
