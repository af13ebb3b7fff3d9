package markets

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/unified"
)

// ccxtCases are the expected values of CCXT's own decimalToPrecision tests
// (ts/src/test/base/test.decimalToPrecision.ts), in their order. The TICK_SIZE
// precisions that CCXT writes as JavaScript numbers are written as the
// decimals they denote.
var ccxtCases = []struct {
	x    string
	how  Rounding
	prec string
	mode unified.PrecisionMode
	pad  Padding
	want string
}{
	// truncation to N digits after the dot
	{"12.3456000", Truncate, "100", unified.DecimalPlaces, NoPadding, "12.3456"},
	{"12.3456", Truncate, "100", unified.DecimalPlaces, NoPadding, "12.3456"},
	{"12.3456", Truncate, "4", unified.DecimalPlaces, NoPadding, "12.3456"},
	{"12.3456", Truncate, "3", unified.DecimalPlaces, NoPadding, "12.345"},
	{"12.3456", Truncate, "2", unified.DecimalPlaces, NoPadding, "12.34"},
	{"12.3456", Truncate, "1", unified.DecimalPlaces, NoPadding, "12.3"},
	{"12.3456", Truncate, "0", unified.DecimalPlaces, NoPadding, "12"},
	{"0.0000001", Truncate, "8", unified.DecimalPlaces, NoPadding, "0.0000001"},
	{"0.00000001", Truncate, "8", unified.DecimalPlaces, NoPadding, "0.00000001"},
	{"0.000000000", Truncate, "9", unified.DecimalPlaces, PadWithZero, "0.000000000"},
	{"0.000000001", Truncate, "9", unified.DecimalPlaces, PadWithZero, "0.000000001"},
	{"12.3456", Truncate, "-1", unified.DecimalPlaces, NoPadding, "10"},
	{"123.456", Truncate, "-1", unified.DecimalPlaces, NoPadding, "120"},
	{"123.456", Truncate, "-2", unified.DecimalPlaces, NoPadding, "100"},
	{"9.99999", Truncate, "-1", unified.DecimalPlaces, NoPadding, "0"},
	{"99.9999", Truncate, "-1", unified.DecimalPlaces, NoPadding, "90"},
	{"99.9999", Truncate, "-2", unified.DecimalPlaces, NoPadding, "0"},
	{"0", Truncate, "0", unified.DecimalPlaces, NoPadding, "0"},
	{"-0.9", Truncate, "0", unified.DecimalPlaces, NoPadding, "0"},

	// truncation to N significant digits
	{"0.000123456700", Truncate, "100", unified.SignificantDigits, NoPadding, "0.0001234567"},
	{"0.0001234567", Truncate, "100", unified.SignificantDigits, NoPadding, "0.0001234567"},
	{"0.0001234567", Truncate, "7", unified.SignificantDigits, NoPadding, "0.0001234567"},
	{"0.000123456", Truncate, "6", unified.SignificantDigits, NoPadding, "0.000123456"},
	{"0.000123456", Truncate, "5", unified.SignificantDigits, NoPadding, "0.00012345"},
	{"0.000123456", Truncate, "2", unified.SignificantDigits, NoPadding, "0.00012"},
	{"0.000123456", Truncate, "1", unified.SignificantDigits, NoPadding, "0.0001"},
	{"123.0000987654", Truncate, "10", unified.SignificantDigits, PadWithZero, "123.0000987"},
	{"123.0000987654", Truncate, "8", unified.SignificantDigits, NoPadding, "123.00009"},
	{"123.0000987654", Truncate, "7", unified.SignificantDigits, PadWithZero, "123.0000"},
	{"123.0000987654", Truncate, "6", unified.SignificantDigits, NoPadding, "123"},
	{"123.0000987654", Truncate, "5", unified.SignificantDigits, PadWithZero, "123.00"},
	{"123.0000987654", Truncate, "4", unified.SignificantDigits, NoPadding, "123"},
	{"123.0000987654", Truncate, "4", unified.SignificantDigits, PadWithZero, "123.0"},
	{"123.0000987654", Truncate, "3", unified.SignificantDigits, PadWithZero, "123"},
	{"123.0000987654", Truncate, "2", unified.SignificantDigits, NoPadding, "120"},
	{"123.0000987654", Truncate, "1", unified.SignificantDigits, NoPadding, "100"},
	{"123.0000987654", Truncate, "1", unified.SignificantDigits, PadWithZero, "100"},
	{"1234", Truncate, "5", unified.SignificantDigits, NoPadding, "1234"},
	{"1234", Truncate, "5", unified.SignificantDigits, PadWithZero, "1234.0"},
	{"1234", Truncate, "4", unified.SignificantDigits, NoPadding, "1234"},
	{"1234", Truncate, "4", unified.SignificantDigits, PadWithZero, "1234"},
	{"1234.69", Truncate, "0", unified.SignificantDigits, NoPadding, "0"},
	{"1234.69", Truncate, "0", unified.SignificantDigits, PadWithZero, "0"},

	// rounding to N digits after the dot
	{"12.3456000", Round, "100", unified.DecimalPlaces, NoPadding, "12.3456"},
	{"12.3456", Round, "100", unified.DecimalPlaces, NoPadding, "12.3456"},
	{"12.3456", Round, "4", unified.DecimalPlaces, NoPadding, "12.3456"},
	{"12.3456", Round, "3", unified.DecimalPlaces, NoPadding, "12.346"},
	{"12.3456", Round, "2", unified.DecimalPlaces, NoPadding, "12.35"},
	{"12.3456", Round, "1", unified.DecimalPlaces, NoPadding, "12.3"},
	{"12.3456", Round, "0", unified.DecimalPlaces, NoPadding, "12"},
	{"10000", Round, "6", unified.DecimalPlaces, NoPadding, "10000"},
	{"0.00003186", Round, "8", unified.DecimalPlaces, NoPadding, "0.00003186"},
	{"12.3456", Round, "-1", unified.DecimalPlaces, NoPadding, "10"},
	{"123.456", Round, "-1", unified.DecimalPlaces, NoPadding, "120"},
	{"123.456", Round, "-2", unified.DecimalPlaces, NoPadding, "100"},
	{"9.99999", Round, "-1", unified.DecimalPlaces, NoPadding, "10"},
	{"99.9999", Round, "-1", unified.DecimalPlaces, NoPadding, "100"},
	{"99.9999", Round, "-2", unified.DecimalPlaces, NoPadding, "100"},
	{"9.999", Round, "3", unified.DecimalPlaces, NoPadding, "9.999"},
	{"9.999", Round, "2", unified.DecimalPlaces, NoPadding, "10"},
	{"9.999", Round, "2", unified.DecimalPlaces, PadWithZero, "10.00"},
	{"99.999", Round, "2", unified.DecimalPlaces, PadWithZero, "100.00"},
	{"-99.999", Round, "2", unified.DecimalPlaces, PadWithZero, "-100.00"},

	// rounding to N significant digits
	{"0.000123456700", Round, "100", unified.SignificantDigits, NoPadding, "0.0001234567"},
	{"0.0001234567", Round, "100", unified.SignificantDigits, NoPadding, "0.0001234567"},
	{"0.0001234567", Round, "7", unified.SignificantDigits, NoPadding, "0.0001234567"},
	{"0.000123456", Round, "6", unified.SignificantDigits, NoPadding, "0.000123456"},
	{"0.000123456", Round, "5", unified.SignificantDigits, NoPadding, "0.00012346"},
	{"0.000123456", Round, "4", unified.SignificantDigits, NoPadding, "0.0001235"},
	{"0.00012", Round, "2", unified.SignificantDigits, NoPadding, "0.00012"},
	{"0.0001", Round, "1", unified.SignificantDigits, NoPadding, "0.0001"},
	{"123.0000987654", Round, "7", unified.SignificantDigits, NoPadding, "123.0001"},
	{"123.0000987654", Round, "6", unified.SignificantDigits, NoPadding, "123"},
	{"0.00098765", Round, "2", unified.SignificantDigits, NoPadding, "0.00099"},
	{"0.00098765", Round, "2", unified.SignificantDigits, PadWithZero, "0.00099"},
	{"0.00098765", Round, "1", unified.SignificantDigits, NoPadding, "0.001"},
	{"0.00098765", Round, "10", unified.SignificantDigits, PadWithZero, "0.0009876500000"},
	{"0.098765", Round, "1", unified.SignificantDigits, PadWithZero, "0.1"},
	{"0", Round, "0", unified.SignificantDigits, NoPadding, "0"},
	{"-0.123", Round, "0", unified.SignificantDigits, NoPadding, "0"},
	{"0.00000044", Round, "5", unified.SignificantDigits, NoPadding, "0.00000044"},
	{"0.123456", Round, "5", unified.SignificantDigits, NoPadding, "0.12346"},
	{"0.123456", Round, "6", unified.SignificantDigits, NoPadding, "0.123456"},
	{"0.123456", Round, "7", unified.SignificantDigits, NoPadding, "0.123456"},
	{"1.234567", Round, "5", unified.SignificantDigits, NoPadding, "1.2346"},
	{"1.234567", Round, "6", unified.SignificantDigits, NoPadding, "1.23457"},
	{"1.234567", Round, "7", unified.SignificantDigits, NoPadding, "1.234567"},
	{"12.34567", Round, "5", unified.SignificantDigits, NoPadding, "12.346"},
	{"12.34567", Round, "6", unified.SignificantDigits, NoPadding, "12.3457"},
	{"12.34567", Round, "7", unified.SignificantDigits, NoPadding, "12.34567"},
	{"1114.5", Round, "3", unified.SignificantDigits, NoPadding, "1110"},
	{"1115.5", Round, "3", unified.SignificantDigits, NoPadding, "1120"},
	{"1114.5", Round, "4", unified.SignificantDigits, NoPadding, "1115"},
	{"1114.5", Round, "5", unified.SignificantDigits, NoPadding, "1114.5"},
	{"1115.5", Round, "5", unified.SignificantDigits, NoPadding, "1115.5"},

	// rounding to tick size
	{"0.000123456700", Round, "0.00012", unified.TickSize, NoPadding, "0.00012"},
	{"0.0001234567", Round, "0.00013", unified.TickSize, NoPadding, "0.00013"},
	{"0.0001234567", Truncate, "0.00013", unified.TickSize, NoPadding, "0"},
	{"101.000123456700", Round, "100", unified.TickSize, NoPadding, "100"},
	{"0.000123456700", Round, "100", unified.TickSize, NoPadding, "0"},
	{"165", Truncate, "110", unified.TickSize, NoPadding, "110"},
	{"3210", Truncate, "1110", unified.TickSize, NoPadding, "2220"},
	{"165", Round, "110", unified.TickSize, NoPadding, "220"},
	{"0.000123456789", Round, "0.00000012", unified.TickSize, NoPadding, "0.00012348"},
	{"0.000123456789", Truncate, "0.00000012", unified.TickSize, NoPadding, "0.00012336"},
	{"0.000273398", Round, "1e-7", unified.TickSize, NoPadding, "0.0002734"},
	{"0.00005714", Truncate, "0.00000001", unified.TickSize, NoPadding, "0.00005714"},
	// CCXT comments this one out ("causes problems in JS, fix with Precise"); exact arithmetic has no such problem.
	{"0.0000571495257361", Truncate, "0.00000001", unified.TickSize, NoPadding, "0.00005714"},
	{"0.01", Round, "0.0001", unified.TickSize, PadWithZero, "0.0100"},
	{"0.01", Truncate, "0.0001", unified.TickSize, PadWithZero, "0.0100"},
	{"-0.000123456789", Round, "0.00000012", unified.TickSize, NoPadding, "-0.00012348"},
	{"-0.000123456789", Truncate, "0.00000012", unified.TickSize, NoPadding, "-0.00012336"},
	{"-165", Truncate, "110", unified.TickSize, NoPadding, "-110"},
	{"-165", Round, "110", unified.TickSize, NoPadding, "-220"},
	{"-1650", Truncate, "1100", unified.TickSize, NoPadding, "-1100"},
	{"-1650", Round, "1100", unified.TickSize, NoPadding, "-2200"},
	{"0.0006", Truncate, "0.0001", unified.TickSize, NoPadding, "0.0006"},
	{"-0.0006", Truncate, "0.0001", unified.TickSize, NoPadding, "-0.0006"},
	{"0.6", Truncate, "0.2", unified.TickSize, NoPadding, "0.6"},
	{"-0.6", Truncate, "0.2", unified.TickSize, NoPadding, "-0.6"},
	{"1.2", Round, "0.4", unified.TickSize, NoPadding, "1.2"},
	{"-1.2", Round, "0.4", unified.TickSize, NoPadding, "-1.2"},
	{"1.2", Round, "0.02", unified.TickSize, NoPadding, "1.2"},
	{"-1.2", Round, "0.02", unified.TickSize, NoPadding, "-1.2"},
	{"44", Round, "4.4", unified.TickSize, NoPadding, "44"},
	{"-44", Round, "4.4", unified.TickSize, NoPadding, "-44"},
	{"44.00000001", Round, "4.4", unified.TickSize, NoPadding, "44"},
	{"-44.00000001", Round, "4.4", unified.TickSize, NoPadding, "-44"},
	{"20", Truncate, "0.00000001", unified.TickSize, NoPadding, "20"}, // ccxt#6731

	// negative numbers
	{"-0.123456", Truncate, "5", unified.DecimalPlaces, NoPadding, "-0.12345"},
	{"-0.123456", Round, "5", unified.DecimalPlaces, NoPadding, "-0.12346"},

	// without dot / trailing dot
	{"123", Truncate, "0", unified.DecimalPlaces, NoPadding, "123"},
	{"123", Truncate, "5", unified.DecimalPlaces, NoPadding, "123"},
	{"123", Truncate, "5", unified.DecimalPlaces, PadWithZero, "123.00000"},
	{"123.", Truncate, "0", unified.DecimalPlaces, NoPadding, "123"},
	{"123.", Truncate, "5", unified.DecimalPlaces, PadWithZero, "123.00000"},
	{"0.", Truncate, "0", unified.DecimalPlaces, NoPadding, "0"},
	{"0.", Truncate, "5", unified.DecimalPlaces, PadWithZero, "0.00000"},

	// rounding of equidistant digits
	{"1.44", Round, "1", unified.DecimalPlaces, NoPadding, "1.4"},
	{"1.45", Round, "1", unified.DecimalPlaces, NoPadding, "1.5"},
	{"1.45", Round, "0", unified.DecimalPlaces, NoPadding, "1"},

	// negative precision
	{"5", Round, "-1", unified.DecimalPlaces, NoPadding, "10"},
	{"4.999", Round, "-1", unified.DecimalPlaces, NoPadding, "0"},
	{"0.0431531423", Round, "-1", unified.DecimalPlaces, NoPadding, "0"},
	{"-69.3", Round, "-1", unified.DecimalPlaces, NoPadding, "-70"},
	{"5001", Round, "-4", unified.DecimalPlaces, NoPadding, "10000"},
	{"4999.999", Round, "-4", unified.DecimalPlaces, NoPadding, "0"},
	{"69.3", Truncate, "-2", unified.DecimalPlaces, NoPadding, "0"},
	{"-69.3", Truncate, "-2", unified.DecimalPlaces, NoPadding, "0"},
	{"69.3", Truncate, "-1", unified.SignificantDigits, NoPadding, "60"},
	{"-69.3", Truncate, "-1", unified.SignificantDigits, NoPadding, "-60"},
	{"69.3", Truncate, "-2", unified.SignificantDigits, NoPadding, "0"},
	{"1602000000000000000000", Truncate, "3", unified.SignificantDigits, NoPadding, "1600000000000000000000"},

	// stringified precision (CCXT passes these as strings; ours always are)
	{"-0.000123456789", Round, "0.00000012", unified.TickSize, NoPadding, "-0.00012348"},
	{"-0.000123456789", Truncate, "0.00000012", unified.TickSize, NoPadding, "-0.00012336"},
	{"-165", Truncate, "110", unified.TickSize, NoPadding, "-110"},
	{"-165", Round, "110", unified.TickSize, NoPadding, "-220"},
}

func TestRuleFormatCCXT(t *testing.T) {
	for _, c := range ccxtCases {
		r := Rule{Mode: c.mode, Precision: decimal.NewNullDecimal(decimal.RequireFromString(c.prec)), Padding: c.pad}
		got, err := r.Format(decimal.RequireFromString(c.x), c.how)
		if err != nil {
			t.Errorf("decimalToPrecision(%s, %v, %s, %v, pad %d): %v", c.x, c.how, c.prec, c.mode, c.pad, err)
			continue
		}
		if got != c.want {
			t.Errorf("decimalToPrecision(%s, %v, %s, %v, pad %d) = %q, want %q", c.x, c.how, c.prec, c.mode, c.pad, got, c.want)
		}
	}
}

func TestRuleRoundValueMatchesFormat(t *testing.T) {
	// Round's decimal and Format's text denote the same number.
	for _, c := range ccxtCases {
		r := Rule{Mode: c.mode, Precision: decimal.NewNullDecimal(decimal.RequireFromString(c.prec))}
		d, err := r.Round(decimal.RequireFromString(c.x), c.how)
		if err != nil {
			t.Fatal(err)
		}
		if !d.Equal(decimal.RequireFromString(c.want)) {
			t.Errorf("Round(%s, %v, %s, %v) = %s, want %s", c.x, c.how, c.prec, c.mode, d, c.want)
		}
	}
}

func TestRuleNullPrecisionIsIdentity(t *testing.T) {
	x := decimal.RequireFromString("123.456789")
	for _, mode := range []unified.PrecisionMode{0, unified.TickSize, unified.DecimalPlaces, unified.SignificantDigits} {
		r := Rule{Mode: mode, Padding: PadWithZero}
		d, err := r.Round(x, Round)
		if err != nil || !d.Equal(x) {
			t.Errorf("mode %v: Round = %s, %v; want %s", mode, d, err, x)
		}
		s, err := r.Format(x, Truncate)
		if err != nil || s != "123.456789" {
			t.Errorf("mode %v: Format = %q, %v", mode, s, err)
		}
	}
}

func TestRuleErrors(t *testing.T) {
	dec := decimal.RequireFromString
	prec := func(s string) decimal.NullDecimal { return decimal.NewNullDecimal(dec(s)) }
	cases := []struct {
		name string
		r    Rule
		x    decimal.Decimal
		how  Rounding
		msg  string
	}{
		{"zero tick", Rule{Mode: unified.TickSize, Precision: prec("0")}, dec("1"), Round, "tick size 0 is not positive"},
		{"negative tick", Rule{Mode: unified.TickSize, Precision: prec("-0.01")}, dec("1"), Round, "tick size -0.01 is not positive"},
		{"fractional digits", Rule{Mode: unified.DecimalPlaces, Precision: prec("2.5")}, dec("1"), Round, "digit count 2.5 is not an integer within ±1000"},
		{"huge digits", Rule{Mode: unified.SignificantDigits, Precision: prec("1001")}, dec("1"), Round, "digit count 1001 is not an integer within ±1000"},
		{"unknown mode", Rule{Mode: 9, Precision: prec("1")}, dec("1"), Round, "unknown precision mode 9"},
		{"unset mode", Rule{Precision: prec("0.01")}, dec("1"), Round, "unknown precision mode 0"},
		{"unknown rounding", Rule{Mode: unified.TickSize, Precision: prec("0.01")}, dec("1"), 7, "unknown rounding Rounding(7)"},
		{"value out of range", Rule{Mode: unified.TickSize, Precision: prec("0.01")}, dec("1e-1001"), Round, "value with exponent -1001 is out of range"},
		{"huge value", Rule{Mode: unified.DecimalPlaces, Precision: prec("2")}, dec("1e5000"), Truncate, "value with exponent 5000 is out of range"},
		{"tick out of range", Rule{Mode: unified.TickSize, Precision: prec("1e-2000")}, dec("1"), Round, "tick size with exponent -2000 is out of range"},
	}
	for _, c := range cases {
		_, err := c.r.Round(c.x, c.how)
		var e *errors.Error
		if !errors.As(err, &e) || e.Kind != errors.BadRequest || e.Message != c.msg {
			t.Errorf("%s: Round error = %v, want BadRequest %q", c.name, err, c.msg)
		}
		if _, err := c.r.Format(c.x, c.how); !errors.Is(err, errors.BadRequest) {
			t.Errorf("%s: Format error = %v, want BadRequest", c.name, err)
		}
	}
}

func TestRuleExtremesAreCheap(t *testing.T) {
	// Far-apart exponents within range must not build giant numbers or panic.
	dec := decimal.RequireFromString
	r := Rule{Mode: unified.DecimalPlaces, Precision: decimal.NewNullDecimal(dec("-1000"))}
	if d, err := r.Round(dec("123.456"), Round); err != nil || !d.IsZero() {
		t.Errorf("round to 10^1000 = %s, %v; want 0", d, err)
	}
	r.Precision = decimal.NewNullDecimal(dec("1000"))
	if d, err := r.Round(dec("1e-999"), Truncate); err != nil || !d.Equal(dec("1e-999")) {
		t.Errorf("1e-999 at 1000 places = %s, %v", d, err)
	}
	tick := Rule{Mode: unified.TickSize, Precision: decimal.NewNullDecimal(dec("1e-1000"))}
	if d, err := tick.Round(dec("1e1000"), Round); err != nil || !d.Equal(dec("1e1000")) {
		t.Errorf("1e1000 at tick 1e-1000 = %s, %v", d, err)
	}
}

func TestRoundingString(t *testing.T) {
	if Truncate.String() != "TRUNCATE" || Round.String() != "ROUND" || Rounding(5).String() != "Rounding(5)" {
		t.Errorf("got %s %s %s", Truncate, Round, Rounding(5))
	}
}

func TestAmountAndPriceToPrecision(t *testing.T) {
	dec := decimal.RequireFromString
	m := &unified.Market{
		Symbol:        "BTC/USDT",
		PrecisionMode: unified.TickSize,
		Precision: unified.Precision{
			Amount: decimal.NewNullDecimal(dec("0.0001")),
			Price:  decimal.NewNullDecimal(dec("0.01")),
		},
	}
	if s, err := AmountToPrecision(m, dec("1.23456789")); err != nil || s != "1.2345" {
		t.Errorf("AmountToPrecision = %q, %v; want 1.2345 (truncated)", s, err)
	}
	if s, err := PriceToPrecision(m, dec("64000.125")); err != nil || s != "64000.13" {
		t.Errorf("PriceToPrecision = %q, %v; want 64000.13 (rounded half away)", s, err)
	}
	if s, err := PriceToPrecision(m, dec("64000.10")); err != nil || s != "64000.1" {
		t.Errorf("PriceToPrecision = %q, %v; want 64000.1 (no padding)", s, err)
	}
	_, err := AmountToPrecision(m, dec("0.00009"))
	var e *errors.Error
	if !errors.As(err, &e) || e.Kind != errors.InvalidOrder || e.Message != "amount 0.00009 of BTC/USDT is 0 at the amount precision 0.0001" {
		t.Errorf("AmountToPrecision(0.00009) error = %v", err)
	}
	if _, err := AmountToPrecision(nil, dec("1")); !errors.Is(err, errors.BadRequest) {
		t.Errorf("nil market: %v", err)
	}
	if _, err := PriceToPrecision(nil, dec("1")); !errors.Is(err, errors.BadRequest) {
		t.Errorf("nil market: %v", err)
	}
	bad := *m
	bad.Precision.Price = decimal.NewNullDecimal(dec("0"))
	bad.Precision.Amount = decimal.NewNullDecimal(dec("-1"))
	if _, err := PriceToPrecision(&bad, dec("1")); !errors.Is(err, errors.BadRequest) {
		t.Errorf("zero tick: %v", err)
	}
	if _, err := AmountToPrecision(&bad, dec("1")); !errors.Is(err, errors.BadRequest) {
		t.Errorf("negative step: %v", err)
	}

	padded := AmountRule(m)
	padded.Padding = PadWithZero
	if s, err := padded.Format(dec("2"), Truncate); err != nil || s != "2.0000" {
		t.Errorf("padded amount = %q, %v", s, err)
	}
	if r := AmountRule(nil); r.Precision.Valid {
		t.Error("AmountRule(nil) has a precision")
	}
	if r := PriceRule(nil); r.Precision.Valid {
		t.Error("PriceRule(nil) has a precision")
	}
}

func TestSignificantDigitsHyperliquidStyle(t *testing.T) {
	// Hyperliquid: at most 5 significant figures and at most 6-szDecimals
	// decimals, composed from two rules.
	dec := decimal.RequireFromString
	sig := Rule{Mode: unified.SignificantDigits, Precision: decimal.NewNullDecimal(dec("5"))}
	places := Rule{Mode: unified.DecimalPlaces, Precision: decimal.NewNullDecimal(dec("5"))} // szDecimals 1
	for in, want := range map[string]string{"1234.56": "1234.6", "0.0012345": "0.00123", "0.01234": "0.01234"} {
		d, err := sig.Round(dec(in), Round)
		if err == nil {
			d, err = places.Round(d, Round)
		}
		if err != nil || d.String() != want {
			t.Errorf("%s -> %s, %v; want %s", in, d, err, want)
		}
	}
}

func TestAmountToPrecisionMessageNamesMode(t *testing.T) {
	dec := decimal.RequireFromString
	for mode, want := range map[unified.PrecisionMode]string{
		unified.DecimalPlaces:     "amount 0.001 of ETH/BTC is 0 at the amount precision 2 decimals",
		unified.SignificantDigits: "amount 0.001 of ETH/BTC is 0 at the amount precision 0 significant digits",
	} {
		p := "2"
		if mode == unified.SignificantDigits {
			p = "0"
		}
		m := &unified.Market{Symbol: "ETH/BTC", PrecisionMode: mode, Precision: unified.Precision{Amount: decimal.NewNullDecimal(dec(p))}}
		_, err := AmountToPrecision(m, dec("0.001"))
		var e *errors.Error
		if !errors.As(err, &e) || e.Message != want {
			t.Errorf("%v: %v, want %q", mode, err, want)
		}
	}
	if got := precisionText(Rule{}); got != "(none)" {
		t.Errorf("precisionText(no precision) = %q", got)
	}
}
