package okx

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/unified"

	"github.com/unifex-go/unifex/adapters/okx/okxtest"
)

// The docs' example of GET /api/v5/public/instruments?instType=OPTION
// (trimmed to the fields read): one contract of BTC-USD is 0.01 BTC.
const docsOption = `{"instType":"OPTION","instId":"BTC-USD-220325-194000-P","instFamily":"BTC-USD","uly":"BTC-USD",
"baseCcy":"","quoteCcy":"","settleCcy":"BTC","ctVal":"1","ctMult":"0.01","ctValCcy":"BTC","optType":"P","stk":"194000",
"listTime":"1631262612280","expTime":"1648195200000","lever":"","tickSz":"0.0005","lotSz":"1","minSz":"1","ctType":"","state":"live"}`

func TestParseOptionGolden(t *testing.T) {
	var in instrument
	if err := json.Unmarshal([]byte(docsOption), &in); err != nil {
		t.Fatal(err)
	}
	m, ok, err := parseInstrument(&in)
	if err != nil || !ok {
		t.Fatal(err, ok)
	}
	if m.Symbol != "BTC/USD:BTC-220325-194000-P" || m.Type != unified.Option || !m.Option || !m.Inverse || m.Linear ||
		m.OptionType != unified.Put || m.Strike.Decimal.String() != "194000" || m.ContractSize.Decimal.String() != "0.01" ||
		!m.Expiry.Equal(time.UnixMilli(1648195200000)) || m.Limits.Leverage.Max.Valid {
		t.Fatalf("%+v", m)
	}
	for name, bad := range map[string]string{
		"no strike":  `{"instType":"OPTION","instId":"X","instFamily":"BTC-USD","settleCcy":"BTC","optType":"C","expTime":"1648195200000","tickSz":"1","lotSz":"1"}`,
		"no type":    `{"instType":"OPTION","instId":"X","instFamily":"BTC-USD","settleCcy":"BTC","stk":"1","expTime":"1648195200000","tickSz":"1","lotSz":"1"}`,
		"no expiry":  `{"instType":"OPTION","instId":"X","instFamily":"BTC-USD","settleCcy":"BTC","stk":"1","optType":"C","tickSz":"1","lotSz":"1"}`,
		"bad ctMult": `{"instType":"OPTION","instId":"X","instFamily":"BTC-USD","settleCcy":"BTC","stk":"1","optType":"C","expTime":"1648195200000","tickSz":"1","lotSz":"1","ctVal":"1","ctMult":"x"}`,
	} {
		var in instrument
		if err := json.Unmarshal([]byte(bad), &in); err != nil {
			t.Fatal(err)
		}
		if _, _, err := parseInstrument(&in); !errors.Is(err, errors.BadResponse) {
			t.Errorf("%s: %v, want BadResponse", name, err)
		}
	}
}

// LoadMarkets against okxtest loads the options of every family
// public/underlying names, one instruments request per family; with
// OptionFamilies only those; without OPTION in Types none.
func TestLoadOptionMarketsFromFake(t *testing.T) {
	srv := okxtest.Start(okxtest.Config{Seed: 7})
	t.Cleanup(srv.Close)
	for _, c := range []struct {
		name string
		opts Options
		want []string
	}{
		{"default", Options{}, []string{"BTC/USD:BTC-301227-60000-C", "BTC/USD:BTC-301227-60000-P", "ETH/USD:ETH-301227-2500-C"}},
		{"families", Options{OptionFamilies: []string{"ETH-USD"}}, []string{"ETH/USD:ETH-301227-2500-C"}},
		{"no options", Options{Types: []string{TypeSpot, TypeSwap}}, nil},
	} {
		x, err := New(exchange.Config{URLs: srv.URLs(), Options: c.opts})
		if err != nil {
			t.Fatal(err)
		}
		ms, err := x.FetchMarkets(t.Context())
		_ = x.Close()
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var got []string
		for i := range ms {
			if ms[i].Option {
				got = append(got, ms[i].Symbol)
				if !ms[i].ContractSize.Decimal.Equal(dec("0.01")) || ms[i].Expiry.Year() != 2030 {
					t.Errorf("%s: %+v", ms[i].Symbol, ms[i])
				}
			}
		}
		if len(got) != len(c.want) {
			t.Fatalf("%s: options %v, want %v", c.name, got, c.want)
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%s: options %v, want %v", c.name, got, c.want)
			}
		}
	}
	// FetchTickers over every type asks for option tickers per family
	// (the fake, like OKX, refuses OPTION without instFamily).
	x, err := New(exchange.Config{URLs: srv.URLs()})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if _, err := x.FetchTickers(t.Context(), nil); err != nil {
		t.Fatal(err)
	}
}
