package binance

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/shopspring/decimal"
)

// TestMarketsAgreeWithCCXT parses the raw exchangeInfo entries that CCXT's
// market fixture keeps in each market's "info", and compares what we make
// of them with what CCXT made: symbol, type, linear/inverse, precision
// (CCXT's fixture holds digit counts, we hold the tick itself), amount,
// price and cost limits, contract size.
func TestMarketsAgreeWithCCXT(t *testing.T) {
	data, err := os.ReadFile("testdata/ccxt/markets.json")
	if err != nil {
		t.Fatal(err)
	}
	var fixture map[string]json.RawMessage
	if err := json.Unmarshal(data, &fixture); err != nil {
		t.Fatal(err)
	}
	checked := 0
	for symbol, raw := range fixture {
		var want struct {
			Symbol, Type  string
			Linear        *bool
			Inverse       *bool
			ContractSize  *json.Number
			Precision     map[string]*json.Number
			Limits        map[string]map[string]*json.Number
			Info          json.RawMessage
			PrecisionMode *int
		}
		d := json.NewDecoder(bytesReader(raw))
		d.UseNumber()
		if err := d.Decode(&want); err != nil {
			t.Fatalf("%s: %v", symbol, err)
		}
		if want.Precision == nil {
			continue // an entry without the unified fields (CCXT keeps a few raw ones)
		}
		var info symbolInfo
		if err := json.Unmarshal(want.Info, &info); err != nil {
			t.Fatalf("%s info: %v", symbol, err)
		}
		p := products[spot]
		switch {
		case want.Type == "spot":
		case info.MarginAsset == info.BaseAsset:
			p = products[coinm]
		default:
			p = products[usdm]
		}
		got, ok, err := parseMarket(p, &info)
		if err != nil || !ok {
			t.Fatalf("%s: %v (listed %v)", symbol, err, ok)
		}
		checked++
		if got.Symbol != want.Symbol || string(got.Type) != want.Type {
			t.Errorf("%s: we make %s %s", symbol, got.Symbol, got.Type)
		}
		if want.Linear != nil && got.Contract && (got.Linear != *want.Linear || got.Inverse != *want.Inverse) {
			t.Errorf("%s: linear %v inverse %v, CCXT %v %v", symbol, got.Linear, got.Inverse, *want.Linear, *want.Inverse)
		}
		if want.ContractSize != nil && !got.ContractSize.Decimal.Equal(num(*want.ContractSize)) {
			t.Errorf("%s: contract size %s, CCXT %s", symbol, got.ContractSize.Decimal, *want.ContractSize)
		}
		for name, pair := range map[string][2]decimal.NullDecimal{
			"price precision":  {got.Precision.Price, digits(want.Precision["price"])},
			"amount precision": {got.Precision.Amount, digits(want.Precision["amount"])},
			"min amount":       {got.Limits.Amount.Min, limit(want.Limits, "amount", "min")},
			"max amount":       {got.Limits.Amount.Max, limit(want.Limits, "amount", "max")},
			"min price":        {got.Limits.Price.Min, limit(want.Limits, "price", "min")},
			"max price":        {got.Limits.Price.Max, limit(want.Limits, "price", "max")},
			"min cost":         {got.Limits.Cost.Min, limit(want.Limits, "cost", "min")},
			"max cost":         {got.Limits.Cost.Max, limit(want.Limits, "cost", "max")},
		} {
			if pair[0].Valid != pair[1].Valid || !pair[0].Decimal.Equal(pair[1].Decimal) {
				t.Errorf("%s %s: ours %v, CCXT %v", symbol, name, show(pair[0]), show(pair[1]))
			}
		}
	}
	if checked < 10 {
		t.Fatalf("only %d fixture markets checked", checked)
	}
}

func num(n json.Number) decimal.Decimal { return decimal.RequireFromString(n.String()) }

// digits converts CCXT's digit-count precision to the tick it stands for.
func digits(n *json.Number) decimal.NullDecimal {
	if n == nil {
		return decimal.NullDecimal{}
	}
	d, _ := n.Int64()
	return decimal.NewNullDecimal(decimal.New(1, -int32(d)))
}

// limit reads a CCXT limit; CCXT writes 0 for "none" where we leave it absent.
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

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }
