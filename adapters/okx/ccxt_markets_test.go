package okx

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/shopspring/decimal"
)

// TestMarketsAgreeWithCCXT parses the raw instruments CCXT's market
// fixture keeps in each market's "info" and compares what we make of them
// with what CCXT made: symbol, type, linear/inverse, contract size, expiry,
// strike, tick and step, minimum amount, maximum cost, leverage.
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
			ID, Symbol, Type, Base, Quote string
			Settle                        *string
			Linear, Inverse, Active       *bool
			Margin                        bool
			ContractSize                  *json.Number
			Expiry                        *int64
			Strike                        any
			OptionType                    *string
			Precision                     map[string]*json.Number
			Limits                        map[string]map[string]*json.Number
			Created                       *int64
			Info                          json.RawMessage
		}
		d := json.NewDecoder(bytesReader(raw))
		d.UseNumber()
		if err := d.Decode(&want); err != nil {
			t.Fatalf("%s: %v", symbol, err)
		}
		var in struct {
			instrument
			ContTdSwTime string `json:"contTdSwTime"`
		}
		if err := json.Unmarshal(want.Info, &in); err != nil {
			t.Fatalf("%s info: %v", symbol, err)
		}
		got, ok, err := parseInstrument(&in.instrument)
		if err != nil || !ok {
			t.Fatalf("%s: %v (listed %v)", symbol, err, ok)
		}
		checked++
		if got.ID != want.ID || got.Symbol != want.Symbol || string(got.Type) != want.Type || got.Base != want.Base || got.Quote != want.Quote {
			t.Errorf("%s: we make %s %s %s %s/%s", symbol, got.ID, got.Symbol, got.Type, got.Base, got.Quote)
		}
		if want.Settle != nil && got.Settle != *want.Settle {
			t.Errorf("%s: settle %q, CCXT %q", symbol, got.Settle, *want.Settle)
		}
		if want.Linear != nil && (got.Linear != *want.Linear || got.Inverse != *want.Inverse) {
			t.Errorf("%s: linear %v inverse %v, CCXT %v %v", symbol, got.Linear, got.Inverse, *want.Linear, *want.Inverse)
		}
		if want.Active != nil && *got.Active != *want.Active {
			t.Errorf("%s: active %v, CCXT %v", symbol, *got.Active, *want.Active)
		}
		if got.Margin != want.Margin {
			t.Errorf("%s: margin %v, CCXT %v", symbol, got.Margin, want.Margin)
		}
		if want.Expiry != nil && got.Expiry.UnixMilli() != *want.Expiry {
			t.Errorf("%s: expiry %v, CCXT %d", symbol, got.Expiry, *want.Expiry)
		}
		// CCXT reads created from contTdSwTime when there is one (when
		// continuous trading began after the call auction); ours is
		// listTime, when the instrument was listed.
		if want.Created != nil && in.ContTdSwTime == "" && got.Created.UnixMilli() != *want.Created {
			t.Errorf("%s: created %v, CCXT %d", symbol, got.Created, *want.Created)
		}
		if want.OptionType != nil && string(got.OptionType) != *want.OptionType {
			t.Errorf("%s: option type %q, CCXT %q", symbol, got.OptionType, *want.OptionType)
		}
		// CCXT's contract size is ctVal alone; ours is ctVal × ctMult, the
		// base one contract stands for. They differ for options (ctMult
		// 0.01), where CCXT's 1 is a hundred times too large.
		if want.ContractSize != nil && !got.Option && !got.ContractSize.Decimal.Equal(num(*want.ContractSize)) {
			t.Errorf("%s: contract size %s, CCXT %s", symbol, got.ContractSize.Decimal, *want.ContractSize)
		}
		for name, pair := range map[string][2]decimal.NullDecimal{
			"price precision":  {got.Precision.Price, nullNum(want.Precision["price"])},
			"amount precision": {got.Precision.Amount, nullNum(want.Precision["amount"])},
			"min amount":       {got.Limits.Amount.Min, limit(want.Limits, "amount", "min")},
			"max amount":       {got.Limits.Amount.Max, limit(want.Limits, "amount", "max")},
			"min price":        {got.Limits.Price.Min, limit(want.Limits, "price", "min")},
			"max price":        {got.Limits.Price.Max, limit(want.Limits, "price", "max")},
			"min cost":         {got.Limits.Cost.Min, limit(want.Limits, "cost", "min")},
			// max cost: CCXT's is maxMktAmt, a cap on market orders only,
			// which we do not apply to every order.
			"max leverage": {got.Limits.Leverage.Max, limit(want.Limits, "leverage", "max")},
		} {
			if name == "max leverage" && got.Option {
				continue // options have no lever; CCXT writes 1
			}
			if pair[0].Valid != pair[1].Valid || !pair[0].Decimal.Equal(pair[1].Decimal) {
				t.Errorf("%s %s: ours %v, CCXT %v", symbol, name, show(pair[0]), show(pair[1]))
			}
		}
	}
	if checked < 15 {
		t.Fatalf("only %d fixture markets checked", checked)
	}
}

func num(n json.Number) decimal.Decimal { return decimal.RequireFromString(n.String()) }

// nullNum reads a CCXT number that may be absent.
func nullNum(n *json.Number) decimal.NullDecimal {
	if n == nil {
		return decimal.NullDecimal{}
	}
	return decimal.NewNullDecimal(num(*n))
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
