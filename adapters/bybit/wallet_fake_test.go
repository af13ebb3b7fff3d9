package bybit_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/adapters/bybit"
	"github.com/unifex-go/unifex/adapters/bybit/bybittest"
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/unified"
)

// TestWalletAgainstFakeBybit: currencies, deposit addresses, a deposit and
// a withdrawal end to end against the fake Bybit, which checks every
// signature, debits the withdrawal and its fee and lists both in the
// histories.
func TestWalletAgainstFakeBybit(t *testing.T) {
	x, srv := startFake(t, bybittest.Config{Seed: 7}, exchange.Config{})
	defer srv.Close()
	defer x.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for _, f := range []exchange.Feature{exchange.FeatureFetchCurrencies, exchange.FeatureFetchDepositAddress,
		exchange.FeatureFetchDeposits, exchange.FeatureFetchWithdrawals, exchange.FeatureWithdraw} {
		if !x.Has(f) {
			t.Errorf("feature %v not advertised", f)
		}
	}

	cs, err := x.FetchCurrencies(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var usdt *unified.Currency
	for i := range cs {
		if cs[i].Code == "USDT" {
			usdt = &cs[i]
		}
	}
	if usdt == nil {
		t.Fatalf("no USDT among %d currencies", len(cs))
	}
	trc, ok := usdt.Networks["TRC20"]
	if !ok || trc.ID != "TRX" || !trc.Fee.Decimal.Equal(dec("1.6")) || !trc.Limits.Withdraw.Min.Decimal.Equal(dec("2.6")) ||
		!trc.Precision.Decimal.Equal(dec("0.0001")) || !*trc.Withdraw || !*trc.Active {
		t.Fatalf("USDT on TRC20: %+v", trc)
	}
	if avax := usdt.Networks["AVAXC"]; avax.ID != "CAVAX" || *avax.Withdraw || *avax.Active || !*avax.Deposit {
		t.Errorf("USDT on AVAXC (withdrawals suspended): %+v", avax)
	}
	if erc := usdt.Networks["ERC20"]; erc.ID != "ETH" {
		t.Errorf("USDT on ETH is %q", erc.Network)
	}
	if !*usdt.Withdraw || !usdt.Fee.Decimal.Equal(dec("0.3")) || !usdt.Limits.Withdraw.Min.Decimal.Equal(dec("1")) {
		t.Errorf("USDT: withdraw %v, fee %v (the smallest), min %v", *usdt.Withdraw, usdt.Fee, usdt.Limits.Withdraw.Min)
	}

	a, err := x.FetchDepositAddress(ctx, "USDT", exchange.Params(map[string]any{"network": "TRC20"}))
	if err != nil {
		t.Fatal(err)
	}
	again, err := x.FetchDepositAddress(ctx, "USDT", exchange.Params(map[string]any{"network": "TRX"}))
	if err != nil {
		t.Fatal(err)
	}
	if a.Network != "TRC20" || a.Address == "" || a.Address != again.Address || a.Currency != "USDT" {
		t.Fatalf("addresses %+v and %+v", a, again)
	}
	first, err := x.FetchDepositAddress(ctx, "USDT")
	if err != nil || first.Network != "ERC20" {
		t.Fatalf("address without a network: %+v, %v", first, err)
	}
	ton, err := x.FetchDepositAddress(ctx, "USDT", exchange.Params(map[string]any{"network": "TON"}))
	if err != nil || ton.Tag == "" {
		t.Fatalf("TON needs a memo: %+v, %v", ton, err)
	}

	start := free(t, x, "USDT")
	depID := srv.Deposit("USDT", "TRX", dec("250"))
	deps, err := x.FetchDeposits(ctx, "USDT")
	if err != nil {
		t.Fatal(err)
	}
	if len(deps) != 1 || deps[0].ID != depID || deps[0].Status != unified.TransactionOK || deps[0].Network != "TRC20" ||
		!deps[0].Amount.Decimal.Equal(dec("250")) || deps[0].TxID == "" {
		t.Fatalf("deposits %+v", deps)
	}
	if got := free(t, x, "USDT"); !got.Equal(start.Add(dec("250"))) {
		t.Fatalf("free USDT %s after a deposit of 250 to %s", got, start)
	}

	const to = "TCb3SXELLBn81JWPNhTbGBEoXHtCX62eU6"
	w, err := x.Withdraw(ctx, "USDT", dec("20"), to, "", exchange.Params(map[string]any{"network": "TRC20"}))
	if err != nil {
		t.Fatal(err)
	}
	if w.ID == "" || w.Status != unified.TransactionPending || w.Network != "TRC20" || w.Address != to || w.Timestamp.IsZero() {
		t.Fatalf("withdrawal %+v", w)
	}
	if got := free(t, x, "USDT"); !got.Equal(start.Add(dec("250")).Sub(dec("21.6"))) {
		t.Fatalf("free USDT %s: want 20 and the fee 1.6 debited", got)
	}
	srv.CompleteWithdrawals()
	ws, err := x.FetchWithdrawals(ctx, "USDT", exchange.Since(time.Now().Add(-time.Hour)))
	if err != nil {
		t.Fatal(err)
	}
	if len(ws) != 1 || ws[0].ID != w.ID || ws[0].Status != unified.TransactionOK || ws[0].TxID == "" ||
		!ws[0].Fee.Cost.Decimal.Equal(dec("1.6")) || ws[0].Internal == nil || *ws[0].Internal {
		t.Fatalf("withdrawals %+v", ws)
	}

	for name, c := range map[string]struct {
		amount string
		params map[string]any
		kind   *errors.Kind
	}{
		"below the minimum":    {"2", map[string]any{"network": "TRC20"}, errors.BadRequest},
		"too many decimals":    {"10.00001", map[string]any{"network": "TRC20"}, errors.BadRequest},
		"suspended chain":      {"20", map[string]any{"network": "AVAXC"}, errors.BadRequest},
		"more than the wallet": {"10000000", map[string]any{"network": "TRC20"}, errors.InsufficientFunds},
		"no chain":             {"20", nil, errors.ArgumentsRequired},
	} {
		if _, err := x.Withdraw(ctx, "USDT", dec(c.amount), to, "", exchange.Params(c.params)); !errors.Is(err, c.kind) {
			t.Errorf("%s: %v, want %v", name, err, c.kind)
		}
	}
	time.Sleep(1100 * time.Millisecond) // withdraw/create allows 5 requests a second
	rid := map[string]any{"network": "TRC20", "requestId": "abc123"}
	if _, err := x.Withdraw(ctx, "USDT", dec("20"), to, "", exchange.Params(rid)); err != nil {
		t.Fatal(err)
	}
	if _, err := x.Withdraw(ctx, "USDT", dec("20"), to, "", exchange.Params(rid)); !errors.Is(err, errors.BadRequest) {
		t.Errorf("a repeated requestId: %v", err)
	}
}

// free is code's free balance.
func free(t *testing.T, x *bybit.Exchange, code string) decimal.Decimal {
	t.Helper()
	b, err := x.FetchBalance(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return b.Currencies[code].Free.Decimal
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }
