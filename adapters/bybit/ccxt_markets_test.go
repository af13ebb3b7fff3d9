package bybit

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

const ccxtFixtures = "/work/shared/conformance/ccxt/"

// ccxtMarketDifferences are the fields where we differ from CCXT's
// markets fixture on purpose, with the reason.
var ccxtMarketDifferences = map[string]string{
	"min cost linear": "instruments-info gives linear contracts minNotionalValue (the docs' minimum order value); CCXT leaves the cost limit empty",
}

// TestMarketsAgreeWithCCXT parses the raw instruments that CCXT's markets
// fixture keeps in each market's "info" and compares what we make of them
// with what CCXT made: symbol, type, linear/inverse, precision, amount,
// price and cost limits, leverage, contract size, expiry.
func TestMarketsAgreeWithCCXT(t *testing.T) {
	data, err := os.ReadFile(ccxtFixtures + "markets/bybit.json")
	if err != nil {
		t.Skip("CCXT's fixtures are not on this machine: ", err)
	}
	var fixture map[string]json.RawMessage
	if err := json.Unmarshal(data, &fixture); err != nil {
		t.Fatal(err)
	}
	checked := 0
	for symbol, raw := range fixture {
		var want struct {
			Symbol, Type string
			Linear       *bool
			Inverse      *bool
			Margin       *bool
			Active       *bool
			ContractSize *json.Number
			Expiry       *int64
			Created      *int64
			Strike       *json.Number
			OptionType   *string
			Precision    map[string]*json.Number
			Limits       map[string]map[string]*json.Number
			Info         json.RawMessage
		}
		d := json.NewDecoder(strings.NewReader(string(raw)))
		d.UseNumber()
		if err := d.Decode(&want); err != nil {
			t.Fatalf("%s: %v", symbol, err)
		}
		if string(want.Info) == "null" {
			continue // two of CCXT's options keep no info
		}
		var in instrument
		if err := json.Unmarshal(want.Info, &in); err != nil {
			t.Fatalf("%s info: %v", symbol, err)
		}
		cat := CategorySpot
		switch {
		case want.Type == "spot":
		case want.Type == "option":
			cat = CategoryOption
		case want.Inverse != nil && *want.Inverse:
			cat = CategoryInverse
		default:
			cat = CategoryLinear
		}
		got, ok, err := parseInstrument(cat, &in)
		if err != nil || !ok {
			t.Fatalf("%s: %v (listed %v)", symbol, err, ok)
		}
		checked++
		if got.Symbol != want.Symbol || string(got.Type) != want.Type {
			t.Errorf("%s: we make %s %s", symbol, got.Symbol, got.Type)
		}
		if got.Contract && (got.Linear != *want.Linear || got.Inverse != *want.Inverse) {
			t.Errorf("%s: linear %v inverse %v, CCXT %v %v", symbol, got.Linear, got.Inverse, *want.Linear, *want.Inverse)
		}
		if want.Active != nil && *got.Active != *want.Active {
			t.Errorf("%s: active %v, CCXT %v", symbol, *got.Active, *want.Active)
		}
		if want.Type == "spot" && want.Margin != nil && got.Margin != *want.Margin {
			t.Errorf("%s: margin %v, CCXT %v", symbol, got.Margin, *want.Margin)
		}
		if want.ContractSize != nil && !got.ContractSize.Decimal.Equal(num(*want.ContractSize)) {
			t.Errorf("%s: contract size %s, CCXT %s", symbol, got.ContractSize.Decimal, *want.ContractSize)
		}
		if want.Expiry != nil && got.Expiry.UnixMilli() != *want.Expiry {
			t.Errorf("%s: expiry %v, CCXT %d", symbol, got.Expiry, *want.Expiry)
		}
		if want.Created != nil && got.Created.UnixMilli() != *want.Created {
			t.Errorf("%s: created %v, CCXT %d", symbol, got.Created, *want.Created)
		}
		if want.Strike != nil && !got.Strike.Decimal.Equal(num(*want.Strike)) {
			t.Errorf("%s: strike %s, CCXT %s", symbol, got.Strike.Decimal, *want.Strike)
		}
		if want.OptionType != nil && string(got.OptionType) != *want.OptionType {
			t.Errorf("%s: option type %q, CCXT %q", symbol, got.OptionType, *want.OptionType)
		}
		minCost := limit(want.Limits, "cost", "min")
		if _, differs := ccxtMarketDifferences["min cost "+cat]; differs && !minCost.Valid {
			minCost = got.Limits.Cost.Min
		}
		for name, pair := range map[string][2]decimal.NullDecimal{
			"price precision":  {got.Precision.Price, limit(map[string]map[string]*json.Number{"p": want.Precision}, "p", "price")},
			"amount precision": {got.Precision.Amount, limit(map[string]map[string]*json.Number{"p": want.Precision}, "p", "amount")},
			"min amount":       {got.Limits.Amount.Min, limit(want.Limits, "amount", "min")},
			"max amount":       {got.Limits.Amount.Max, limit(want.Limits, "amount", "max")},
			"min price":        {got.Limits.Price.Min, limit(want.Limits, "price", "min")},
			"max price":        {got.Limits.Price.Max, limit(want.Limits, "price", "max")},
			"min cost":         {got.Limits.Cost.Min, minCost},
			"max cost":         {got.Limits.Cost.Max, limit(want.Limits, "cost", "max")},
			"max leverage":     {got.Limits.Leverage.Max, limit(want.Limits, "leverage", "max")},
		} {
			if name == "max leverage" && !got.Contract {
				continue // CCXT gives spot a leverage limit of its own making
			}
			if pair[0].Valid != pair[1].Valid || !pair[0].Decimal.Equal(pair[1].Decimal) {
				t.Errorf("%s %s: ours %v, CCXT %v", symbol, name, show(pair[0]), show(pair[1]))
			}
		}
	}
	t.Logf("%d markets agree", checked)
	if checked < 15 {
		t.Fatalf("only %d fixture markets checked", checked)
	}
}

func num(n json.Number) decimal.Decimal { return decimal.RequireFromString(n.String()) }

// limit reads a CCXT number; CCXT writes 0 for "none" where we leave it absent.
func limit(ls map[string]map[string]*json.Number, kind, bound string) decimal.NullDecimal {
	n := ls[kind][bound]
	if n == nil || num(*n).IsZero() {
		return decimal.NullDecimal{}
	}
	return decimal.NewNullDecimal(num(*n))
}

func show(n decimal.NullDecimal) string {
	if !n.Valid {
		return "none"
	}
	return n.Decimal.String()
}
