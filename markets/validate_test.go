package markets

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/unified"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func some(s string) decimal.NullDecimal { return decimal.NewNullDecimal(dec(s)) }

// spotMarket is BTC/USDT with binance-like filters, but a minimum amount above
// the step so that the two checks can be told apart.
func spotMarket() *unified.Market {
	return &unified.Market{
		ID: "BTCUSDT", Symbol: "BTC/USDT", Base: "BTC", Quote: "USDT", Type: unified.Spot, Spot: true,
		PrecisionMode: unified.TickSize,
		Precision:     unified.Precision{Amount: some("0.00001"), Price: some("0.01")},
		Limits: unified.Limits{
			Amount: unified.MinMax{Min: some("0.0001"), Max: some("9000")},
			Price:  unified.MinMax{Min: some("0.01"), Max: some("1000000")},
			Cost:   unified.MinMax{Min: some("5"), Max: some("9000000")},
			Market: unified.MinMax{Min: some("0"), Max: some("128.52621715")},
		},
	}
}

func TestValidateOrderAccepts(t *testing.T) {
	m := spotMarket()
	cases := []struct {
		name string
		in   Order
		want Order
	}{
		{"limit on the grid", Order{Amount: dec("0.001"), Price: dec("65000.01")}, Order{Amount: dec("0.001"), Price: dec("65000.01")}},
		{"amount truncated, price rounded", Order{Amount: dec("0.0012345"), Price: dec("65000.005")}, Order{Amount: dec("0.00123"), Price: dec("65000.01")}},
		{"price rounded down", Order{Amount: dec("1"), Price: dec("65000.0049")}, Order{Amount: dec("1"), Price: dec("65000")}},
		{"market without price skips cost", Order{Amount: dec("0.0001"), IsMarket: true}, Order{Amount: dec("0.0001"), IsMarket: true}},
		{"market keeps reference price unrounded", Order{Amount: dec("0.001"), Price: dec("65000.123"), IsMarket: true}, Order{Amount: dec("0.001"), Price: dec("65000.123"), IsMarket: true}},
		{"market priced in cost", Order{Cost: dec("10.129"), IsMarket: true}, Order{Cost: dec("10.12"), IsMarket: true}},
		{"at the limits", Order{Amount: dec("0.0001"), Price: dec("50000")}, Order{Amount: dec("0.0001"), Price: dec("50000")}},
	}
	for _, c := range cases {
		got, err := ValidateOrder(m, c.in)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if !got.Amount.Equal(c.want.Amount) || !got.Price.Equal(c.want.Price) || !got.Cost.Equal(c.want.Cost) || got.IsMarket != c.want.IsMarket {
			t.Errorf("%s: got %+v, want %+v", c.name, got, c.want)
		}
	}
	got, _ := ValidateOrder(m, Order{Amount: dec("0.00123"), Price: dec("65000.10")})
	if got.Amount.String() != "0.00123" || got.Price.String() != "65000.1" {
		t.Errorf("wire text %s @ %s", got.Amount, got.Price)
	}
}

func TestValidateOrderRejects(t *testing.T) {
	m := spotMarket()
	cases := []struct {
		name string
		m    *unified.Market
		in   Order
		kind *errors.Kind
		msg  string
	}{
		{"below minimum amount", m, Order{Amount: dec("0.00005"), Price: dec("65000")}, errors.InvalidOrder,
			"amount 0.00005 is below the minimum 0.0001 for BTC/USDT"},
		{"below minimum after truncation", m, Order{Amount: dec("0.000099"), Price: dec("65000")}, errors.InvalidOrder,
			"amount 0.000099 (0.00009 at the market's precision) is below the minimum 0.0001 for BTC/USDT"},
		{"truncates to zero", m, Order{Amount: dec("0.000009"), Price: dec("65000")}, errors.InvalidOrder,
			"amount 0.000009 is 0 at the amount precision 0.00001 for BTC/USDT"},
		{"above maximum amount", m, Order{Amount: dec("9000.5"), Price: dec("1")}, errors.InvalidOrder,
			"amount 9000.5 is above the maximum 9000 for BTC/USDT"},
		{"market amount above market maximum", m, Order{Amount: dec("200"), IsMarket: true}, errors.InvalidOrder,
			"market order amount 200 is above the maximum 128.52621715 for BTC/USDT"},
		{"zero amount", m, Order{Price: dec("65000")}, errors.InvalidOrder, "amount must be positive for BTC/USDT"},
		{"negative amount", m, Order{Amount: dec("-1"), Price: dec("65000")}, errors.InvalidOrder,
			"amount, price and cost must not be negative for BTC/USDT"},
		{"negative price", m, Order{Amount: dec("1"), Price: dec("-1")}, errors.InvalidOrder,
			"amount, price and cost must not be negative for BTC/USDT"},
		{"limit without price", m, Order{Amount: dec("1")}, errors.InvalidOrder, "limit order needs a positive price for BTC/USDT"},
		{"price rounds to zero", m, Order{Amount: dec("1"), Price: dec("0.004")}, errors.InvalidOrder,
			"price 0.004 is 0 at the price precision 0.01 for BTC/USDT"},
		{"above maximum price", m, Order{Amount: dec("0.001"), Price: dec("1000000.01")}, errors.InvalidOrder,
			"price 1000000.01 is above the maximum 1000000 for BTC/USDT"},
		{"below minimum cost", m, Order{Amount: dec("0.0001"), Price: dec("10000")}, errors.InvalidOrder,
			"cost 1 is below the minimum 5 for BTC/USDT"},
		{"above maximum cost", m, Order{Amount: dec("100"), Price: dec("100000")}, errors.InvalidOrder,
			"cost 10000000 is above the maximum 9000000 for BTC/USDT"},
		{"market cost with reference price", m, Order{Amount: dec("0.0001"), Price: dec("10000"), IsMarket: true}, errors.InvalidOrder,
			"cost 1 is below the minimum 5 for BTC/USDT"},
		{"cost order below minimum", m, Order{Cost: dec("4.999"), IsMarket: true}, errors.InvalidOrder,
			"cost 4.999 (4.99 at the market's precision) is below the minimum 5 for BTC/USDT"},
		{"cost truncates to zero", m, Order{Cost: dec("0.001"), IsMarket: true}, errors.InvalidOrder,
			"cost 0.001 is 0 at the precision 0.01 for BTC/USDT"},
		{"cost on a limit order", m, Order{Cost: dec("10"), Price: dec("1")}, errors.InvalidOrder,
			"cost is only for market orders, for BTC/USDT"},
		{"cost and amount", m, Order{Cost: dec("10"), Amount: dec("1"), IsMarket: true}, errors.InvalidOrder,
			"give amount or cost, not both, for BTC/USDT"},
		{"nil market", nil, Order{Amount: dec("1")}, errors.BadRequest, "no market given"},
	}
	for _, c := range cases {
		_, err := ValidateOrder(c.m, c.in)
		var e *errors.Error
		if !errors.As(err, &e) || e.Kind != c.kind || e.Message != c.msg {
			t.Errorf("%s: error = %v\nwant %s: %s", c.name, err, c.kind.Name(), c.msg)
		}
	}
}

func TestValidateOrderBadPrecision(t *testing.T) {
	m := spotMarket()
	m.Precision.Amount = some("0")
	if _, err := ValidateOrder(m, Order{Amount: dec("1"), Price: dec("1")}); !errors.Is(err, errors.BadRequest) {
		t.Errorf("zero amount step: %v", err)
	}
	m = spotMarket()
	m.Precision.Price = some("-1")
	if _, err := ValidateOrder(m, Order{Amount: dec("1"), Price: dec("10")}); !errors.Is(err, errors.BadRequest) {
		t.Errorf("negative tick: %v", err)
	}
	m = spotMarket()
	m.PrecisionMode = 0
	m.Precision.Cost = some("0.01")
	if _, err := ValidateOrder(m, Order{Cost: dec("10"), IsMarket: true}); !errors.Is(err, errors.BadRequest) {
		t.Errorf("unknown mode: %v", err)
	}
}

func TestValidateOrderNoLimits(t *testing.T) {
	// A market with no precision and no limits accepts any positive order as given.
	m := &unified.Market{Symbol: "X/Y"}
	got, err := ValidateOrder(m, Order{Amount: dec("0.123456789"), Price: dec("1.000000001")})
	if err != nil || !got.Amount.Equal(dec("0.123456789")) || !got.Price.Equal(dec("1.000000001")) {
		t.Errorf("got %+v, %v", got, err)
	}
}

func TestValidateOrderZeroMaximumIsAbsent(t *testing.T) {
	m := spotMarket()
	m.Limits.Price.Max = some("0")
	m.Limits.Cost.Max = some("0")
	if _, err := ValidateOrder(m, Order{Amount: dec("100"), Price: dec("5000000")}); err != nil {
		t.Errorf("zero maximums should be no limit: %v", err)
	}
}

func TestValidateOrderContracts(t *testing.T) {
	linear := &unified.Market{
		Symbol: "BTC/USDT:USDT", Type: unified.Swap, Contract: true, Linear: true,
		ContractSize:  some("0.01"),
		PrecisionMode: unified.TickSize,
		Precision:     unified.Precision{Amount: some("1"), Price: some("0.1")},
		Limits:        unified.Limits{Cost: unified.MinMax{Min: some("5")}},
	}
	// 1 contract × 0.01 BTC × 400 = 4 USDT < 5.
	_, err := ValidateOrder(linear, Order{Amount: dec("1"), Price: dec("400")})
	if e, ok := err.(*errors.Error); !ok || e.Message != "cost 4 is below the minimum 5 for BTC/USDT:USDT" {
		t.Errorf("linear: %v", err)
	}
	if _, err := ValidateOrder(linear, Order{Amount: dec("2"), Price: dec("400")}); err != nil {
		t.Errorf("linear 8 USDT: %v", err)
	}
	if _, err := ValidateOrder(linear, Order{Amount: dec("0.5"), Price: dec("400")}); !errors.Is(err, errors.InvalidOrder) {
		t.Errorf("half a contract: %v", err)
	}

	inverse := &unified.Market{
		Symbol: "BTC/USD:BTC", Type: unified.Swap, Contract: true, Inverse: true,
		ContractSize:  some("100"),
		PrecisionMode: unified.TickSize,
		Precision:     unified.Precision{Amount: some("1"), Price: some("0.1")},
		Limits:        unified.Limits{Cost: unified.MinMax{Min: some("0.0033333333333333334"), Max: some("1")}},
	}
	// 1 contract of 100 USD at 30000 is 1/300 BTC = 0.00333…, just under the minimum.
	_, err = ValidateOrder(inverse, Order{Amount: dec("1"), Price: dec("30000")})
	if e, ok := err.(*errors.Error); !ok || e.Message != "cost 0.0033333333333333 (amount × contract size / price) is below the minimum 0.0033333333333333334 for BTC/USD:BTC" {
		t.Errorf("inverse minimum: %v", err)
	}
	if _, err := ValidateOrder(inverse, Order{Amount: dec("1"), Price: dec("29999.9")}); err != nil {
		t.Errorf("inverse at 29999.9: %v", err)
	}
	_, err = ValidateOrder(inverse, Order{Amount: dec("301"), Price: dec("30000")})
	if e, ok := err.(*errors.Error); !ok || e.Message != "cost 1.0033333333333333 (amount × contract size / price) is above the maximum 1 for BTC/USD:BTC" {
		t.Errorf("inverse maximum: %v", err)
	}
}
