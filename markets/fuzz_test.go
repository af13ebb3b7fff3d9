package markets

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/unified"
)

func FuzzParseSymbol(f *testing.F) {
	for _, s := range []string{
		"BTC/USDT", "BTC/USDT:USDT", "BTC/USD:BTC", "BTC/USDT:USDT-250328",
		"BTC/USD:BTC-250328-60000-C", "DOGE/USDT:USDT-240229-0.5-P", "XYZ-TSLA/USDC:USDC",
		"", "/", "BTC/", "BTC/USDT:", "BTC/USDT:USDT-", "BTC/USDT:USDT-250231",
		"BTC/USD:BTC-250328-0.50-C", "BTC/USD:BTC-250328-60000-X", "BTC/US DT", "BTC/USDT\xff",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sym, err := ParseSymbol(s)
		if err != nil {
			if !errors.Is(err, errors.BadSymbol) {
				t.Fatalf("ParseSymbol(%q) error %v is not BadSymbol", s, err)
			}
			return
		}
		if got := sym.String(); got != s {
			t.Fatalf("ParseSymbol(%q).String() = %q", s, got)
		}
		if err := sym.Validate(); err != nil {
			t.Fatalf("ParseSymbol(%q) gave an invalid Symbol: %v", s, err)
		}
		if _, err := sym.ExpiryTime(); err != nil {
			t.Fatalf("ParseSymbol(%q) gave a bad expiry: %v", s, err)
		}
	})
}

func FuzzRule(f *testing.F) {
	for _, c := range ccxtCases {
		f.Add(c.x, c.prec, uint8(c.mode), uint8(c.how), uint8(c.pad))
	}
	f.Add("1e-999", "1e999", uint8(unified.TickSize), uint8(Round), uint8(PadWithZero))
	f.Add("123.456", "-1000", uint8(unified.DecimalPlaces), uint8(Round), uint8(NoPadding))
	f.Fuzz(func(t *testing.T, xs, ps string, mode, how, pad uint8) {
		x, err := decimal.NewFromString(xs)
		if err != nil {
			return
		}
		p, err := decimal.NewFromString(ps)
		if err != nil {
			return
		}
		r := Rule{Mode: unified.PrecisionMode(mode), Precision: decimal.NewNullDecimal(p), Padding: Padding(pad % 2)}
		d, err := r.Round(x, Rounding(how))
		if err != nil {
			if !errors.Is(err, errors.BadRequest) {
				t.Fatalf("error %v is not BadRequest", err)
			}
			return
		}
		s, err := r.Format(x, Rounding(how))
		if err != nil {
			t.Fatalf("Round succeeded but Format failed: %v", err)
		}
		back, err := decimal.NewFromString(s)
		if err != nil || !back.Equal(d) {
			t.Fatalf("Format = %q, Round = %s", s, d)
		}
		for _, c := range s {
			if c == 'e' || c == 'E' {
				t.Fatalf("Format used an exponent: %q", s)
			}
		}
		if Rounding(how) == Truncate && d.Abs().Cmp(x.Abs()) > 0 {
			t.Fatalf("truncating %s gave %s", x, d)
		}
		if r.Mode == unified.TickSize && !d.Mod(p).IsZero() {
			t.Fatalf("%s is not a multiple of tick %s", d, p)
		}
	})
}

func FuzzValidateOrder(f *testing.F) {
	f.Add("0.001", "65000.01", "", false)
	f.Add("0.00005", "65000", "", false)
	f.Add("", "", "10.129", true)
	f.Add("200", "", "", true)
	f.Add("-1", "1e-30", "0", false)
	f.Fuzz(func(t *testing.T, as, ps, cs string, isMarket bool) {
		parse := func(s string) decimal.Decimal {
			d, err := decimal.NewFromString(s)
			if err != nil {
				return decimal.Zero
			}
			return d
		}
		m := spotMarket()
		o, err := ValidateOrder(m, Order{Amount: parse(as), Price: parse(ps), Cost: parse(cs), IsMarket: isMarket})
		if err != nil {
			if !errors.Is(err, errors.InvalidOrder) && !errors.Is(err, errors.BadRequest) {
				t.Fatalf("error %v is neither InvalidOrder nor BadRequest", err)
			}
			return
		}
		if !o.Cost.IsZero() {
			if o.Cost.LessThan(m.Limits.Cost.Min.Decimal) || !o.Cost.Mod(m.Precision.Price.Decimal).IsZero() {
				t.Fatalf("accepted cost %s", o.Cost)
			}
			return
		}
		if o.Amount.LessThan(m.Limits.Amount.Min.Decimal) || o.Amount.GreaterThan(m.Limits.Amount.Max.Decimal) ||
			!o.Amount.Mod(m.Precision.Amount.Decimal).IsZero() {
			t.Fatalf("accepted amount %s", o.Amount)
		}
		if !isMarket {
			if !o.Price.Mod(m.Precision.Price.Decimal).IsZero() || o.Price.GreaterThan(m.Limits.Price.Max.Decimal) ||
				o.Price.Mul(o.Amount).LessThan(m.Limits.Cost.Min.Decimal) {
				t.Fatalf("accepted %s @ %s", o.Amount, o.Price)
			}
		}
	})
}
