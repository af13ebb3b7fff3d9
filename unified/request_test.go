package unified

import (
	"testing"

	"github.com/unifex-go/unifex/errors"
)

func TestOrderRequestValidate(t *testing.T) {
	limit := func(edit func(r *OrderRequest)) OrderRequest {
		r := OrderRequest{Symbol: "BTC/USDT", Type: OrderTypeLimit, Side: SideBuy, Amount: dec("0.01"), Price: num("60000")}
		if edit != nil {
			edit(&r)
		}
		return r
	}
	for _, c := range []struct {
		name string
		req  OrderRequest
		kind *errors.Kind // nil: valid
	}{
		{"valid limit", limit(nil), nil},
		{"valid market", OrderRequest{Symbol: "BTC/USDT", Type: OrderTypeMarket, Side: SideSell, Amount: dec("1")}, nil},
		{"valid market by cost", OrderRequest{Symbol: "BTC/USDT", Type: OrderTypeMarket, Side: SideBuy, Cost: num("100")}, nil},
		{"valid everything", limit(func(r *OrderRequest) {
			r.TriggerPrice = num("59000")
			r.StopLoss = &AttachedOrder{TriggerPrice: dec("55000")}
			r.TakeProfit = &AttachedOrder{TriggerPrice: dec("70000"), Price: num("69900")}
			r.TimeInForce, r.PostOnly, r.ReduceOnly = TIFGTC, true, true
			r.ClientOrderID, r.MarginMode, r.Leverage = "mine-1", MarginModeIsolated, num("5")
		}), nil},
		{"valid PO limit", limit(func(r *OrderRequest) { r.TimeInForce = TIFPO }), nil},

		{"no symbol", limit(func(r *OrderRequest) { r.Symbol = "" }), errors.ArgumentsRequired},
		{"no side", limit(func(r *OrderRequest) { r.Side = "" }), errors.ArgumentsRequired},
		{"bad side", limit(func(r *OrderRequest) { r.Side = "long" }), errors.InvalidOrder},
		{"no type", limit(func(r *OrderRequest) { r.Type = "" }), errors.ArgumentsRequired},
		{"bad type", limit(func(r *OrderRequest) { r.Type = "stop" }), errors.InvalidOrder},
		{"zero amount", limit(func(r *OrderRequest) { r.Amount = dec("0") }), errors.ArgumentsRequired},
		{"negative amount", limit(func(r *OrderRequest) { r.Amount = dec("-1") }), errors.InvalidOrder},
		{"limit without price", limit(func(r *OrderRequest) { r.Price = null }), errors.ArgumentsRequired},
		{"zero price", limit(func(r *OrderRequest) { r.Price = num("0") }), errors.InvalidOrder},
		{"cost on a limit order", limit(func(r *OrderRequest) { r.Cost = num("10") }), errors.InvalidOrder},
		{"zero cost", OrderRequest{Symbol: "BTC/USDT", Type: OrderTypeMarket, Side: SideBuy, Cost: num("0")}, errors.InvalidOrder},
		{"negative trigger", limit(func(r *OrderRequest) { r.TriggerPrice = num("-1") }), errors.InvalidOrder},
		{"zero leverage", limit(func(r *OrderRequest) { r.Leverage = num("0") }), errors.InvalidOrder},
		{"trigger and stop loss", limit(func(r *OrderRequest) {
			r.TriggerPrice, r.StopLossPrice = num("1"), num("2")
		}), errors.InvalidOrder},
		{"valid one-cancels-the-other pair", limit(func(r *OrderRequest) {
			r.StopLossPrice, r.TakeProfitPrice = num("1"), num("2")
		}), nil},
		{"valid trailing amount with its trigger", limit(func(r *OrderRequest) {
			r.TrailingAmount, r.TrailingTriggerPrice = num("100"), num("61000")
		}), nil},
		{"valid trailing percent", limit(func(r *OrderRequest) { r.TrailingPercent = num("0.5") }), nil},
		{"trailing amount and percent", limit(func(r *OrderRequest) {
			r.TrailingAmount, r.TrailingPercent = num("100"), num("1")
		}), errors.InvalidOrder},
		{"zero trailing amount", limit(func(r *OrderRequest) { r.TrailingAmount = num("0") }), errors.InvalidOrder},
		{"negative trailing percent", limit(func(r *OrderRequest) { r.TrailingPercent = num("-1") }), errors.InvalidOrder},
		{"trailing percent of 100", limit(func(r *OrderRequest) { r.TrailingPercent = num("100") }), errors.InvalidOrder},
		{"trailing trigger alone", limit(func(r *OrderRequest) { r.TrailingTriggerPrice = num("61000") }), errors.InvalidOrder},
		{"zero trailing trigger", limit(func(r *OrderRequest) {
			r.TrailingPercent, r.TrailingTriggerPrice = num("1"), num("0")
		}), errors.InvalidOrder},
		{"trailing and trigger", limit(func(r *OrderRequest) {
			r.TrailingPercent, r.TriggerPrice = num("1"), num("61000")
		}), errors.InvalidOrder},
		{"trailing and stop loss", limit(func(r *OrderRequest) {
			r.TrailingAmount, r.StopLossPrice = num("10"), num("50000")
		}), errors.InvalidOrder},
		{"trigger and take profit", limit(func(r *OrderRequest) {
			r.TriggerPrice, r.TakeProfitPrice = num("1"), num("2")
		}), errors.InvalidOrder},
		{"attached stop without trigger", limit(func(r *OrderRequest) { r.StopLoss = &AttachedOrder{} }), errors.InvalidOrder},
		{"attached take profit with bad price", limit(func(r *OrderRequest) {
			r.TakeProfit = &AttachedOrder{TriggerPrice: dec("1"), Price: num("-1")}
		}), errors.InvalidOrder},
		{"bad time in force", limit(func(r *OrderRequest) { r.TimeInForce = "DAY" }), errors.InvalidOrder},
		{"post-only market", OrderRequest{Symbol: "X/Y", Type: OrderTypeMarket, Side: SideBuy, Amount: dec("1"), PostOnly: true}, errors.InvalidOrder},
		{"PO market", OrderRequest{Symbol: "X/Y", Type: OrderTypeMarket, Side: SideBuy, Amount: dec("1"), TimeInForce: TIFPO}, errors.InvalidOrder},
		{"post-only IOC", limit(func(r *OrderRequest) { r.PostOnly, r.TimeInForce = true, TIFIOC }), errors.InvalidOrder},
		{"post-only FOK", limit(func(r *OrderRequest) { r.PostOnly, r.TimeInForce = true, TIFFOK }), errors.InvalidOrder},
		{"bad margin mode", limit(func(r *OrderRequest) { r.MarginMode = "portfolio" }), errors.InvalidOrder},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.req.Validate()
			if c.kind == nil {
				if err != nil {
					t.Errorf("Validate() = %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, c.kind) {
				t.Errorf("Validate() = %v, want an error matching %v", err, c.kind)
			}
		})
	}
}

func TestEnumsValid(t *testing.T) {
	for _, c := range []struct {
		name  string
		valid bool
	}{
		{"buy", Side("buy").Valid()}, {"sell", Side("sell").Valid()},
		{"market", OrderType("market").Valid()}, {"limit", OrderType("limit").Valid()},
		{"GTC", TimeInForce("GTC").Valid()}, {"IOC", TimeInForce("IOC").Valid()}, {"FOK", TimeInForce("FOK").Valid()},
		{"PO", TimeInForce("PO").Valid()}, {"GTD", TimeInForce("GTD").Valid()},
		{"cross", MarginMode("cross").Valid()}, {"isolated", MarginMode("isolated").Valid()},
	} {
		if !c.valid {
			t.Errorf("%s is not Valid", c.name)
		}
	}
	for _, invalid := range []bool{
		Side("BUY").Valid(), Side("").Valid(), OrderType("stop").Valid(), TimeInForce("gtc").Valid(),
		TimeInForce("").Valid(), MarginMode("Cross").Valid(),
	} {
		if invalid {
			t.Error("an unknown value is Valid")
		}
	}
}
