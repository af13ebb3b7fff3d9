package bybit

import (
	"encoding/json"
	"testing"

	"github.com/unifex-go/unifex/adapters/bybit/bybittest"
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/unified"
)

// The docs' example of instruments-info?category=option.
const docsOption = `{"symbol":"BTC-29DEC23-80000-C","status":"Trading","baseCoin":"BTC","quoteCoin":"USD","settleCoin":"USDC",
"optionsType":"Call","launchTime":"1688630400000","deliveryTime":"1703836800000","deliveryFeeRate":"0.00015",
"priceFilter":{"minPrice":"5","maxPrice":"10000000","tickSize":"5"},"lotSizeFilter":{"maxOrderQty":"500","minOrderQty":"0.01","qtyStep":"0.01"}}`

func TestParseOptionGolden(t *testing.T) {
	var in instrument
	if err := json.Unmarshal([]byte(docsOption), &in); err != nil {
		t.Fatal(err)
	}
	m, ok, err := parseInstrument(CategoryOption, &in)
	if err != nil || !ok {
		t.Fatal(err, ok)
	}
	if m.Symbol != "BTC/USD:USDC-231229-80000-C" || m.Type != unified.Option || !m.Linear || m.OptionType != unified.Call ||
		m.Strike.Decimal.String() != "80000" || m.ContractSize.Decimal.String() != "1" || m.Expiry.UnixMilli() != 1703836800000 ||
		m.Precision.Price.Decimal.String() != "5" || m.Limits.Amount.Max.Decimal.String() != "500" || categoryOf(&m) != CategoryOption {
		t.Fatalf("%+v", m)
	}
	for name, edit := range map[string]func(*instrument){
		"type and letter disagree": func(in *instrument) { in.OptionsType = "Put" },
		"no strike":                func(in *instrument) { in.Symbol = "BTC-29DEC23-X-C" },
		"short id":                 func(in *instrument) { in.Symbol = "BTC-29DEC23-80000" },
		"no delivery":              func(in *instrument) { in.DeliveryTime = "" },
		"no settle":                func(in *instrument) { in.SettleCoin = "" },
	} {
		bad := in
		edit(&bad)
		if _, _, err := parseInstrument(CategoryOption, &bad); !errors.Is(err, errors.BadResponse) {
			t.Errorf("%s: %v, want BadResponse", name, err)
		}
	}
}

// LoadMarkets against bybittest with CategoryOption loads the options of
// each base coin, following the cursor (the fake pages them two by two).
func TestLoadOptionMarketsFromFake(t *testing.T) {
	srv := bybittest.Start(bybittest.Config{Seed: 3})
	t.Cleanup(srv.Close)
	x, err := New(exchange.Config{URLs: srv.URLs(), Options: Options{Categories: []string{CategoryLinear, CategoryOption}}})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	ms, err := x.FetchMarkets(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"BTC/USD:USDC-301227-60000-C": true, "BTC/USD:USDC-301227-60000-P": true,
		"BTC/USDT:USDT-301227-70000-C": true, "ETH/USD:USDC-301227-2500-P": true}
	got := 0
	for i := range ms {
		if ms[i].Option {
			if !want[ms[i].Symbol] {
				t.Errorf("unexpected option %s", ms[i].Symbol)
			}
			got++
		}
	}
	if got != len(want) {
		t.Fatalf("%d options, want %d", got, len(want))
	}
	if _, err := New(exchange.Config{Options: Options{Categories: []string{"options"}}}); !errors.Is(err, errors.BadRequest) {
		t.Fatalf("unknown category: %v", err)
	}
}
