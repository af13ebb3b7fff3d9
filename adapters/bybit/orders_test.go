package bybit

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/unified"
)

// TestParseWalletsCCXT replays two coins of CCXT's fetchBalance fixture
// ("balance after availableToWithdraw update"): total is walletBalance,
// used locked + order IM + position IM, free the rest.
func TestParseWalletsCCXT(t *testing.T) {
	var ws []restWallet
	raw := `[{"accountType":"UNIFIED","coin":[
	 {"coin":"USDT","walletBalance":"3322.25896609","locked":"42","totalOrderIM":"0","totalPositionIM":"50.61831144","borrowAmount":"0.000000000000000000","availableToWithdraw":""},
	 {"coin":"USDC","walletBalance":"5848.20013918","locked":"0","totalOrderIM":"0","totalPositionIM":"3.18541012","borrowAmount":"0","availableToWithdraw":""}]}]`
	if err := json.Unmarshal([]byte(raw), &ws); err != nil {
		t.Fatal(err)
	}
	b, err := parseWallets(ws, time.Time{}, false)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][3]string{"USDT": {"3229.64065465", "92.61831144", "3322.25896609"}, "USDC": {"5845.01472906", "3.18541012", "5848.20013918"}}
	for code, w := range want {
		got := b.Currencies[code]
		for i, v := range []decimal.NullDecimal{got.Free, got.Used, got.Total} {
			if !v.Valid || !v.Decimal.Equal(decimal.RequireFromString(w[i])) {
				t.Errorf("%s field %d = %v, want %s", code, i, v, w[i])
			}
		}
		if !got.Debt.Valid || !got.Debt.Decimal.IsZero() {
			t.Errorf("%s debt %v", code, got.Debt)
		}
	}
}

// TestParsePositionCCXT replays CCXT's "Fetch linear position" fixture.
func TestParsePositionCCXT(t *testing.T) {
	var r restPosition
	raw := `{"symbol":"LTCUSDT","leverage":"6","avgPrice":"64.59947917","liqPrice":"","positionValue":"77.519375","unrealisedPnl":"7.800625","markPrice":"71.1","positionMM":"0.81072399","createdTime":"1677168085779","positionIdx":"0","positionIM":"12.95542633","updatedTime":"1699948800031","side":"Buy","positionBalance":"11.699649","size":"1.2","takeProfit":"","stopLoss":""}`
	if err := json.Unmarshal([]byte(raw), &r); err != nil {
		t.Fatal(err)
	}
	m := &unified.Market{Symbol: "LTC/USDT:USDT", Contract: true, ContractSize: decimal.NewNullDecimal(decimal.NewFromInt(1))}
	p, err := parsePosition(m, &r, false)
	if err != nil {
		t.Fatal(err)
	}
	check := map[string]struct {
		got  decimal.NullDecimal
		want string
	}{
		"contracts": {p.Contracts, "1.2"}, "entry": {p.EntryPrice, "64.59947917"}, "notional": {p.Notional, "77.519375"},
		"leverage": {p.Leverage, "6"}, "im": {p.InitialMargin, "12.95542633"}, "mm": {p.MaintenanceMargin, "0.81072399"},
		"collateral": {p.Collateral, "11.699649"}, "marginRatio": {p.MarginRatio, "0.0692"}, "mark": {p.MarkPrice, "71.1"},
	}
	for name, c := range check {
		if !c.got.Valid || !c.got.Decimal.Equal(decimal.RequireFromString(c.want)) {
			t.Errorf("%s = %v, want %s", name, c.got, c.want)
		}
	}
	if p.Side != unified.PositionLong || p.LiquidationPrice.Valid || *p.Hedged || p.Timestamp.UnixMilli() != 1677168085779 {
		t.Errorf("position %+v", p)
	}
	if p.InitialMarginPercentage.Decimal.StringFixed(8) != "0.16712501" {
		t.Errorf("initial margin percentage %v", p.InitialMarginPercentage)
	}
}
