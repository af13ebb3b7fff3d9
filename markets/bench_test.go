package markets

import (
	"context"
	"strconv"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/unifex-go/unifex/unified"
)

// benchSnapshot has 2000 spot and 2000 swap markets sharing native ids, the
// size of a large venue.
func benchSnapshot(b *testing.B) *Snapshot {
	b.Helper()
	var ms []unified.Market
	for i := range 2000 {
		base := "C" + strconv.Itoa(i)
		ms = append(ms,
			unified.Market{ID: base + "USDT", Symbol: base + "/USDT", Base: base, Quote: "USDT", Type: unified.Spot, Spot: true},
			unified.Market{ID: base + "USDT", Symbol: base + "/USDT:USDT", Base: base, Quote: "USDT", Settle: "USDT", Type: unified.Swap, Swap: true})
	}
	s, err := NewSnapshot("bench", ms, nil)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

func BenchmarkSnapshotMarket(b *testing.B) {
	s := benchSnapshot(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Market("C1234/USDT:USDT"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSnapshotMarketByID(b *testing.B) {
	s := benchSnapshot(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.MarketByID("C1234USDT", unified.Swap); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRegistryLoaded(b *testing.B) {
	s := benchSnapshot(b)
	r := NewRegistry("bench", func(context.Context) ([]unified.Market, []unified.Currency, error) {
		return s.markets, nil, nil
	})
	ctx := context.Background()
	if _, err := r.Load(ctx, false); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			snap, err := r.Load(ctx, false)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := snap.Market("C7/USDT"); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkRule(b *testing.B) {
	price := decimal.RequireFromString("64123.456789")
	cases := []struct {
		name string
		r    Rule
		how  Rounding
	}{
		{"TickRound", Rule{Mode: unified.TickSize, Precision: decimal.NewNullDecimal(decimal.RequireFromString("0.01"))}, Round},
		{"TickTruncate", Rule{Mode: unified.TickSize, Precision: decimal.NewNullDecimal(decimal.RequireFromString("0.5"))}, Truncate},
		{"DecimalPlaces", Rule{Mode: unified.DecimalPlaces, Precision: decimal.NewNullDecimal(decimal.NewFromInt(2))}, Round},
		{"SignificantDigits", Rule{Mode: unified.SignificantDigits, Precision: decimal.NewNullDecimal(decimal.NewFromInt(5))}, Round},
	}
	for _, c := range cases {
		b.Run(c.name+"/Round", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.r.Round(price, c.how); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(c.name+"/Format", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.r.Format(price, c.how); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkPriceToPrecision(b *testing.B) {
	m := spotMarket()
	price := decimal.RequireFromString("64123.456789")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := PriceToPrecision(m, price); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidateOrder(b *testing.B) {
	m := spotMarket()
	o := Order{Amount: decimal.RequireFromString("0.0123456"), Price: decimal.RequireFromString("64123.456789")}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ValidateOrder(m, o); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseSymbol(b *testing.B) {
	for _, s := range []string{"BTC/USDT:USDT", "BTC/USD:BTC-250328-60000-C"} {
		b.Run(s, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ParseSymbol(s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkCurrencyCodesCommon(b *testing.B) {
	c := NewCurrencyCodes(map[string]string{"UST": "USDT"})
	b.ReportAllocs()
	for b.Loop() {
		_ = c.Common("UST")
	}
}
