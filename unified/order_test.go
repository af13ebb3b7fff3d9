package unified

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/shopspring/decimal"
)

// orderFields names an order's decimals for checkFields.
func orderFields(o *Order) map[string]decimal.NullDecimal {
	return map[string]decimal.NullDecimal{
		"price": o.Price, "amount": o.Amount, "filled": o.Filled, "remaining": o.Remaining,
		"cost": o.Cost, "average": o.Average,
	}
}

// The first three cases are CCXT static fixtures (response/binance.json and
// response/okx.json); the rest exercise one rule of CCXT's safeOrder each.
func TestOrderCompleteAmounts(t *testing.T) {
	cases := []struct {
		name   string
		in     Order
		market *Market
		want   map[string]string
	}{{
		// binance "fetch portfolio margin orders": price "0" on a market order
		// is missing, then set to the average.
		name: "binance filled market order",
		in: Order{
			Type: OrderTypeMarket, Status: StatusClosed, Price: num("0"), Average: num("47279.40000"),
			Amount: num("0.010"), Filled: num("0.010"), Cost: num("472.79400"),
		},
		market: &Market{Type: Swap, Contract: true, Linear: true, ContractSize: num("1")},
		want:   map[string]string{"price": "47279.4", "remaining": "0", "cost": "472.794", "average": "47279.4"},
	}, {
		// binance "open portfolio margin orders": avgPrice "0" is missing and
		// stays so while nothing is filled.
		name: "binance open limit order",
		in: Order{
			Type: OrderTypeLimit, Status: StatusOpen, Price: num("50"), Average: num("0"),
			Amount: num("0.410"), Filled: num("0"), Cost: num("0"),
		},
		want: map[string]string{"price": "50", "remaining": "0.41", "cost": "0", "average": "null"},
	}, {
		// okx "fetchOpenOrders trigger with since = 0": nothing to derive.
		name:   "okx trigger order",
		in:     Order{Type: "conditional", Status: StatusOpen, Amount: num("1"), StopLossPrice: num("100")},
		market: linearBTC,
		want:   map[string]string{"filled": "null", "remaining": "null", "cost": "null", "average": "null", "price": "null"},
	}, {
		name: "amount = filled + remaining",
		in:   Order{Filled: num("1"), Remaining: num("2")},
		want: map[string]string{"amount": "3"},
	}, {
		name: "a zero amount is missing",
		in:   Order{Amount: num("0"), Filled: num("1"), Remaining: num("2")},
		want: map[string]string{"amount": "3"},
	}, {
		name: "filled = amount − remaining",
		in:   Order{Amount: num("3"), Remaining: num("2")},
		want: map[string]string{"filled": "1"},
	}, {
		name: "remaining = amount − filled",
		in:   Order{Amount: num("3"), Filled: num("1")},
		want: map[string]string{"remaining": "2"},
	}, {
		name: "closed with amount only: filled = amount, remaining 0",
		in:   Order{Status: StatusClosed, Amount: num("3")},
		want: map[string]string{"filled": "3", "remaining": "0"},
	}, {
		name: "closed with filled only: amount = filled",
		in:   Order{Status: StatusClosed, Filled: num("2")},
		want: map[string]string{"amount": "2", "remaining": "0"},
	}, {
		name: "open with amount only: nothing",
		in:   Order{Status: StatusOpen, Amount: num("3")},
		want: map[string]string{"filled": "null", "remaining": "null"},
	}, {
		name: "average = cost / filled, truncated at 18 places",
		in:   Order{Filled: num("3"), Cost: num("10")},
		want: map[string]string{"average": "3.333333333333333333"},
	}, {
		name:   "linear contracts: average = cost / (filled × contract size)",
		in:     Order{Filled: num("5"), Cost: num("300")},
		market: linearBTC,
		want:   map[string]string{"average": "60000"},
	}, {
		name:   "inverse contracts: average = filled × contract size / cost",
		in:     Order{Filled: num("10"), Cost: num("0.04")},
		market: inverseBTC,
		want:   map[string]string{"average": "25000"},
	}, {
		name: "no average without a positive fill",
		in:   Order{Filled: num("0"), Cost: num("0")},
		want: map[string]string{"average": "null"},
	}, {
		name:   "linear contracts: cost = filled × contract size × average",
		in:     Order{Filled: num("5"), Average: num("60000")},
		market: linearBTC,
		want:   map[string]string{"cost": "300"},
	}, {
		name:   "inverse contracts: cost = filled × contract size / average",
		in:     Order{Filled: num("10"), Average: num("30000")},
		market: inverseBTC,
		want:   map[string]string{"cost": "0.033333333333333333"},
	}, {
		name: "cost from the limit price when there is no average",
		in:   Order{Type: OrderTypeLimit, Filled: num("2"), Price: num("100")},
		want: map[string]string{"cost": "200", "average": "null"},
	}, {
		name: "a market order without price gets the average",
		in:   Order{Type: OrderTypeMarket, Filled: num("2"), Cost: num("201")},
		want: map[string]string{"price": "100.5", "average": "100.5"},
	}, {
		name: "a zero limit price stays missing",
		in:   Order{Type: OrderTypeLimit, Price: num("0"), Filled: num("2"), Cost: num("201")},
		want: map[string]string{"price": "null", "average": "100.5"},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := c.in
			o.Complete(c.market)
			checkFields(t, orderFields(&o), c.want)
		})
	}
}

func TestOrderCompleteFromTrades(t *testing.T) {
	o := Order{
		Status: StatusClosed,
		Amount: num("3"),
		Trades: []Trade{
			{Order: "42", Symbol: "BTC/USDT", Side: SideBuy, Type: OrderTypeLimit, Timestamp: ms(2000),
				Price: num("100"), Amount: num("1"), Fee: Fee{Currency: "USDT", Cost: num("0.1")}},
			{Order: "42", Symbol: "BTC/USDT", Side: SideBuy, Timestamp: ms(3000),
				Price: num("103"), Amount: num("2"), Fee: Fee{Currency: "USDT", Cost: num("0.2")}},
			{Order: "42", Symbol: "BTC/USDT", Side: SideBuy, Timestamp: ms(1000),
				Amount: num("0")},
		},
	}
	o.Complete(nil)
	checkFields(t, orderFields(&o), map[string]string{
		"filled": "3", "cost": "306", "average": "102", "remaining": "0", "amount": "3",
	})
	if o.ID != "42" || o.Symbol != "BTC/USDT" || o.Side != SideBuy || o.Type != OrderTypeLimit {
		t.Errorf("id, symbol, side, type = %q %q %q %q, want them from the trades", o.ID, o.Symbol, o.Side, o.Type)
	}
	if !o.LastTradeTimestamp.Equal(ms(3000)) {
		t.Errorf("lastTradeTimestamp = %v, want the latest trade's", o.LastTradeTimestamp)
	}
	if text(o.Trades[0].Cost) != "100" || text(o.Trades[1].Cost) != "206" {
		t.Errorf("trade costs = %s, %s, want 100 and 206", text(o.Trades[0].Cost), text(o.Trades[1].Cost))
	}
	wantFee := Fee{Currency: "USDT", Cost: num("0.3")}
	if diff := cmp.Diff(wantFee, o.Fee, decimalEqual); diff != "" {
		t.Errorf("fee (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]Fee{wantFee}, o.Fees, decimalEqual); diff != "" {
		t.Errorf("fees (-want +got):\n%s", diff)
	}
}

// CCXT would recompute a trade-summed cost as filled × average and print
// 9.999999999999999999 here; unifex keeps the sum (a documented departure).
func TestOrderCompleteKeepsExactTradeCost(t *testing.T) {
	o := Order{Trades: []Trade{
		{Amount: num("1"), Cost: num("3")},
		{Amount: num("1"), Cost: num("3")},
		{Amount: num("1"), Cost: num("4")},
	}}
	o.Complete(nil)
	checkFields(t, orderFields(&o), map[string]string{"cost": "10", "average": "3.333333333333333333"})
}

// A trade without amount or cost still makes filled and cost start at zero,
// as in CCXT; the cost then comes from the price.
func TestOrderCompleteTradesWithoutNumbers(t *testing.T) {
	o := Order{Type: OrderTypeLimit, Price: num("10"), Trades: []Trade{{ID: "t1"}}}
	o.Complete(nil)
	checkFields(t, orderFields(&o), map[string]string{"filled": "0", "cost": "0"})
}

func TestOrderCompleteFees(t *testing.T) {
	usdt := Fee{Currency: "USDT", Cost: num("1")}
	bnb := Fee{Currency: "BNB", Cost: num("0.01")}
	for _, c := range []struct {
		name     string
		in       Order
		wantFee  Fee
		wantFees []Fee
	}{
		{"no fee anywhere", Order{}, Fee{}, nil},
		{"a lone fee becomes fees", Order{Fee: usdt}, usdt, []Fee{usdt}},
		{"a lone fee without cost still becomes fees (CCXT copies it)",
			Order{Fee: Fee{Currency: "USDT"}}, Fee{Currency: "USDT"}, []Fee{{Currency: "USDT"}}},
		{"fees of one currency give fee", Order{Fees: []Fee{usdt, usdt}},
			Fee{Currency: "USDT", Cost: num("2")}, []Fee{{Currency: "USDT", Cost: num("2")}}},
		{"trade fees in two currencies: no single fee",
			Order{Trades: []Trade{{Fee: usdt}, {Fee: bnb}}}, Fee{}, []Fee{usdt, bnb}},
		{"the order's fee is kept beside its trades' fees",
			Order{Fee: Fee{Currency: "USDT", Cost: num("5")}, Trades: []Trade{{Fee: usdt}}},
			Fee{Currency: "USDT", Cost: num("5")}, []Fee{usdt}},
		{"the order's own fees are not doubled by its trades' fees",
			Order{Fees: []Fee{usdt, bnb}, Trades: []Trade{{Fee: usdt}, {Fee: bnb}}}, Fee{}, []Fee{usdt, bnb}},
		{"fee and fees both given: untouched",
			Order{Fee: bnb, Fees: []Fee{usdt, usdt}}, bnb, []Fee{usdt, usdt}},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := c.in
			o.Complete(nil)
			if diff := cmp.Diff(c.wantFee, o.Fee, decimalEqual); diff != "" {
				t.Errorf("fee (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(c.wantFees, o.Fees, decimalEqual, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("fees (-want +got):\n%s", diff)
			}
			again := o
			again.Trades = append([]Trade(nil), o.Trades...)
			again.Complete(nil)
			if diff := cmp.Diff(o.Fees, again.Fees, decimalEqual, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("a second Complete changed fees (-first +second):\n%s", diff)
			}
		})
	}
}

func TestOrderCompleteTimeInForce(t *testing.T) {
	for _, c := range []struct {
		name         string
		in           Order
		wantTIF      TimeInForce
		wantPostOnly *bool
	}{
		// okx "fetchOrder" market orders print timeInForce IOC, postOnly null.
		{"market defaults to IOC", Order{Type: OrderTypeMarket}, TIFIOC, nil},
		{"a trigger market order has no default", Order{Type: OrderTypeMarket, TriggerPrice: num("1")}, "", nil},
		{"a stop-loss market order has no default", Order{Type: OrderTypeMarket, StopLossPrice: num("1")}, "", nil},
		{"a take-profit market order has no default", Order{Type: OrderTypeMarket, TakeProfitPrice: num("1")}, "", nil},
		{"limit has no default", Order{Type: OrderTypeLimit}, "", nil},
		{"post only makes PO", Order{Type: OrderTypeLimit, PostOnly: boolp(true)}, TIFPO, boolp(true)},
		// binance fixture: timeInForce GTC prints postOnly false.
		{"known TIF sets post only", Order{Type: OrderTypeLimit, TimeInForce: TIFGTC}, TIFGTC, boolp(false)},
		// okx fixture "post_only": timeInForce PO, postOnly true.
		{"PO sets post only", Order{Type: OrderTypeLimit, TimeInForce: TIFPO}, TIFPO, boolp(true)},
		{"given post only is kept", Order{TimeInForce: TIFPO, PostOnly: boolp(false)}, TIFPO, boolp(false)},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := c.in
			o.Complete(nil)
			if o.TimeInForce != c.wantTIF {
				t.Errorf("timeInForce = %q, want %q", o.TimeInForce, c.wantTIF)
			}
			if diff := cmp.Diff(c.wantPostOnly, o.PostOnly); diff != "" {
				t.Errorf("postOnly (-want +got):\n%s", diff)
			}
		})
	}
}
