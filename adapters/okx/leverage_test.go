package okx

import (
	"encoding/json"
	"testing"

	"github.com/unifex-go/unifex/adapters/okx/okxtest"
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/unified"
)

// TestFetchLeverage: against okxtest, FetchLeverage reads back what
// SetLeverage set, on a swap and on a margin spot market, in the margin
// mode asked; a margin mode OKX has not is refused before sending.
func TestFetchLeverage(t *testing.T) {
	x, _, ctx := privateFake(t, okxtest.Config{}, nil)
	const swap = "BTC/USDT:USDT"
	l, err := x.FetchLeverage(ctx, swap)
	if err != nil || l.Symbol != swap || l.MarginMode != unified.MarginModeCross || !l.LongLeverage.Decimal.Equal(dec("3")) ||
		!l.ShortLeverage.Decimal.Equal(dec("3")) {
		t.Fatalf("the default leverage: %+v %v", l, err)
	}
	if err := x.SetLeverage(ctx, dec("5"), swap); err != nil {
		t.Fatal(err)
	}
	l, err = x.FetchLeverage(ctx, swap)
	if err != nil || !l.LongLeverage.Decimal.Equal(dec("5")) || !l.ShortLeverage.Decimal.Equal(dec("5")) {
		t.Fatalf("after SetLeverage 5: %+v %v", l, err)
	}
	isolated := exchange.Params(map[string]any{"marginMode": "isolated"})
	if err := x.SetLeverage(ctx, dec("4"), "BTC/USDT", isolated); err != nil {
		t.Fatal(err)
	}
	l, err = x.FetchLeverage(ctx, "BTC/USDT", isolated)
	if err != nil || l.Symbol != "BTC/USDT" || l.MarginMode != unified.MarginModeIsolated || !l.LongLeverage.Decimal.Equal(dec("4")) {
		t.Fatalf("spot margin, isolated, after SetLeverage 4: %+v %v", l, err)
	}
	if _, err := x.FetchLeverage(ctx, swap, exchange.Params(map[string]any{"marginMode": "cash"})); !errors.Is(err, errors.BadRequest) {
		t.Fatalf("marginMode cash: %v, want BadRequest", err)
	}
	if _, err := x.FetchLeverage(ctx, "NOPE/USDT"); !errors.Is(err, errors.BadSymbol) {
		t.Fatalf("an unknown symbol: %v, want BadSymbol", err)
	}
}

// TestParseLeverage: the docs' long/short rows, a net row, and the
// replies that are BadResponse.
func TestParseLeverage(t *testing.T) {
	swap := &unified.Market{ID: "BTC-USDT-SWAP", Symbol: "BTC/USDT:USDT"}
	l, err := parseLeverage(swap, golden[restLeverage](t, "rest_leverage_info"), true)
	if err != nil || l.Symbol != swap.Symbol || l.MarginMode != unified.MarginModeCross || !l.LongLeverage.Decimal.Equal(dec("10")) ||
		!l.ShortLeverage.Decimal.Equal(dec("10")) || l.Info == nil {
		t.Fatalf("the docs' example: %+v %v", l, err)
	}
	rows := func(s string) []restLeverage {
		var out []restLeverage
		if err := json.Unmarshal([]byte(s), &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	l, err = parseLeverage(swap, rows(`[{"instId":"BTC-USDT-SWAP","mgnMode":"isolated","posSide":"short","lever":"2.5"},
		{"instId":"BTC-USDT-SWAP","mgnMode":"isolated","posSide":"long","lever":"20"}]`), false)
	if err != nil || l.MarginMode != unified.MarginModeIsolated || !l.LongLeverage.Decimal.Equal(dec("20")) ||
		!l.ShortLeverage.Decimal.Equal(dec("2.5")) || l.Info != nil {
		t.Fatalf("long 20, short 2.5: %+v %v", l, err)
	}
	l, err = parseLeverage(swap, rows(`[{"instId":"BTC-USDT-SWAP","mgnMode":"cross","posSide":"net","lever":"0.01"}]`), false)
	if err != nil || !l.LongLeverage.Decimal.Equal(dec("0.01")) || !l.ShortLeverage.Decimal.Equal(dec("0.01")) {
		t.Fatalf("a net row: %+v %v", l, err)
	}
	for name, s := range map[string]string{
		"no rows":          `[]`,
		"another instId":   `[{"instId":"ETH-USDT-SWAP","mgnMode":"cross","posSide":"net","lever":"3"}]`,
		"a margin mode":    `[{"instId":"BTC-USDT-SWAP","mgnMode":"cash","posSide":"net","lever":"3"}]`,
		"two margin modes": `[{"instId":"BTC-USDT-SWAP","mgnMode":"cross","posSide":"long","lever":"3"},{"instId":"BTC-USDT-SWAP","mgnMode":"isolated","posSide":"short","lever":"3"}]`,
		"a posSide":        `[{"instId":"BTC-USDT-SWAP","mgnMode":"cross","posSide":"both","lever":"3"}]`,
		"no lever":         `[{"instId":"BTC-USDT-SWAP","mgnMode":"cross","posSide":"net","lever":""}]`,
		"lever zero":       `[{"instId":"BTC-USDT-SWAP","mgnMode":"cross","posSide":"net","lever":"0"}]`,
		"lever text":       `[{"instId":"BTC-USDT-SWAP","mgnMode":"cross","posSide":"net","lever":"ten"}]`,
	} {
		if _, err := parseLeverage(swap, rows(s), false); !errors.Is(err, errors.BadResponse) {
			t.Errorf("%s: %v, want BadResponse", name, err)
		}
	}
}
