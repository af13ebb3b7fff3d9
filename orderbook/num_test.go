package orderbook

import (
	"math"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/errors"
)

// num parses s or fails the test.
func num(t testing.TB, s string) Num {
	t.Helper()
	n, err := ParseNum(s)
	if err != nil {
		t.Fatalf("ParseNum(%q): %v", s, err)
	}
	return n
}

func TestParseNum(t *testing.T) {
	tests := []struct {
		in    string
		m     int64
		scale int
		text  string // Append; "" means the input itself
	}{
		{"0", 0, 0, ""},
		{"-0", 0, 0, "0"},
		{"7", 7, 0, ""},
		{"3366", 3366, 0, ""},
		{"3366.1", 33661, 1, ""},
		{"43231.10", 4323110, 2, ""},
		{"0.00012", 12, 5, ""},
		{"0.00000000", 0, 8, ""},
		{"0.05000", 5000, 5, ""},
		{"-5000", -5000, 0, ""},
		{"-0.5", -5, 1, ""},
		{"500793.10790141", 50079310790141, 8, ""},
		{"7e-7", 7, 7, "0.0000007"},
		{"6.6e-7", 66, 8, "0.00000066"},
		{"1E+3", 1, -3, "1000"},
		{"1.5e3", 15, -2, "1500"},
		{"2.50e1", 250, 1, "25.0"},
		{"1e0", 1, 0, "1"},
		{"9223372036854775807", math.MaxInt64, 0, ""},
		{"-9223372036854775807", -math.MaxInt64, 0, ""},
		{"0.000000000000000000000000000001", 1, 30, ""},
		{"123456789012345678", 123456789012345678, 0, ""},
		{"1234567890.12345678", 123456789012345678, 8, ""},
		// Fractions of eight digits and more are read eight at a time.
		{"1.98765432", 198765432, 8, ""},
		{"1.987654321", 1987654321, 9, ""},
		{"1.9876543", 19876543, 7, ""},
		{"0.0000000009", 9, 10, ""},
		{"1.12345678e2", 112345678, 6, "112.345678"},
		// Integer zeros beyond the mantissa become a negative scale.
		{"12345678901234567890", 1234567890123456789, -1, ""},
		{"1000000000000000000000", 1000000000000000000, -3, ""},
		{"0e5", 0, -5, "0"},
		// Exponents beyond the scale range, for values within it.
		{"1e61", 10, -60, "1" + strings.Repeat("0", 61)},
		{"1e+77", 100000000000000000, -60, "1" + strings.Repeat("0", 77)},
		{"1000e-63", 1, 60, "0." + strings.Repeat("0", 59) + "1"},
		{"0e-99", 0, 60, "0." + strings.Repeat("0", 60)},
	}
	for _, tt := range tests {
		got, err := ParseNum(tt.in)
		if err != nil {
			t.Errorf("ParseNum(%q): %v", tt.in, err)
			continue
		}
		if got.Mantissa() != tt.m || got.Scale() != tt.scale {
			t.Errorf("ParseNum(%q) = %d × 10^-%d, want %d × 10^-%d", tt.in, got.Mantissa(), got.Scale(), tt.m, tt.scale)
		}
		want := tt.text
		if want == "" {
			want = tt.in
		}
		if s := got.String(); s != want {
			t.Errorf("ParseNum(%q).String() = %q, want %q", tt.in, s, want)
		}
		b, err := ParseNumBytes([]byte(tt.in))
		if err != nil || b != got {
			t.Errorf("ParseNumBytes(%q) = %v, %v; want %v", tt.in, b, err, got)
		}
	}
}

func TestParseNumErrors(t *testing.T) {
	bad := []string{
		"", "-", "+1", "01", "-01", "00", "1.", ".5", "1e", "1e+", "1e-", "e5", "abc",
		"1..2", "1.2.3", "--1", "1 ", " 1", "NaN", "Infinity", "0x10", "1,5", "1_000",
		"1e80", "1.5e-61", "1e99999999999999999999", "0e10000",
		"9223372036854775808", "-9223372036854775808", "12345678901234567891",
		"1000000000000000000000.5", "1000000000000000000000.0", "10000000000000000000001",
		"1.0000000000000000000", // 20 digits with the trailing zeros
		"1.1234a678", "1.12345678.", "1.1234567:", "1.12345/78",
	}
	for _, in := range bad {
		_, err := ParseNum(in)
		if err == nil {
			t.Errorf("ParseNum(%q) succeeded, want an error", in)
			continue
		}
		if !errors.Is(err, errors.BadResponse) {
			t.Errorf("ParseNum(%q) error %v is not BadResponse", in, err)
		}
		if !strings.Contains(err.Error(), "orderbook:") {
			t.Errorf("ParseNum(%q) error %q does not say where it comes from", in, err)
		}
	}
	long := strings.Repeat("9", 200)
	_, err := ParseNum(long)
	if err == nil || len(err.Error()) > 200 {
		t.Errorf("a long bad number gives %v; want a short error quoting its start", err)
	}
}

func TestNumCmp(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"1", "1", 0},
		{"3366", "3366.0", 0},
		{"3366.00000", "3366", 0},
		{"3366.1", "3366", 1},
		{"3366", "3366.1", -1},
		{"-1", "1", -1},
		{"0", "0.000", 0},
		{"0", "-0.1", 1},
		{"-2.5", "-2.50", 0},
		{"-2.5", "-2.4", -1},
		{"-2.49", "-2.5", 1},
		{"1e-30", "0", 1},
		{"1e-30", "1e-29", -1},
		{"1e40", "9223372036854775807", 1},
		{"-1e40", "-9223372036854775807", -1},
		{"9223372036854775807", "922337203685477580.7", 1},
		{"0.9223372036854775807", "0.9223372036854775807", 0},
		{"0.9223372036854775807", "0.92233720368547758", 1},
		{"7e-7", "0.0000007", 0},
		{"6.6e-7", "0.00000066", 0},
		{"1e-60", "1e60", -1},
	}
	for _, tt := range tests {
		a, b := num(t, tt.a), num(t, tt.b)
		if got := a.Cmp(b); got != tt.want {
			t.Errorf("%s.Cmp(%s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := b.Cmp(a); got != -tt.want {
			t.Errorf("%s.Cmp(%s) = %d, want %d", tt.b, tt.a, got, -tt.want)
		}
		if a.Equal(b) != (tt.want == 0) {
			t.Errorf("%s.Equal(%s) = %v", tt.a, tt.b, a.Equal(b))
		}
		// The reference: shopspring's exact comparison.
		if ref := a.Decimal().Cmp(b.Decimal()); ref != tt.want {
			t.Errorf("decimal says %s vs %s is %d, the table %d", tt.a, tt.b, ref, tt.want)
		}
	}
}

func TestNumAdd(t *testing.T) {
	tests := []struct{ a, b, sum string }{
		{"1.50", "2", "3.50"},
		{"0.1", "0.02", "0.12"},
		{"-1.5", "1.5", "0.0"},
		{"7e-7", "0.0000011", "0.0000018"},
		{"1E+3", "1", "1001"},
		{"9223372036854775806", "1", "9223372036854775807"},
	}
	for _, tt := range tests {
		got, ok := num(t, tt.a).add(num(t, tt.b))
		if !ok || got.String() != tt.sum {
			t.Errorf("%s + %s = %v (fits %v), want %s", tt.a, tt.b, got, ok, tt.sum)
		}
	}
	overflows := [][2]string{
		{"9223372036854775807", "1"},
		{"-9223372036854775807", "-1"},
		{"1", "0.00000000000000000001"},
		{"922337203685477580.7", "0.01"},
	}
	for _, o := range overflows {
		if got, ok := num(t, o[0]).add(num(t, o[1])); ok {
			t.Errorf("%s + %s = %v, want an overflow", o[0], o[1], got)
		}
	}
}

func TestAppendJSNumber(t *testing.T) {
	// Expected texts are what JavaScript's Number.prototype.toString prints.
	tests := []struct{ in, js string }{
		{"0", "0"},
		{"0.000", "0"},
		{"7e-7", "7e-7"},
		{"0.0000007", "7e-7"},
		{"6.6e-7", "6.6e-7"},
		{"0.0000011", "0.0000011"},
		{"0.00000110", "0.0000011"},
		{"0.000001", "0.000001"},
		{"1e-8", "1e-8"},
		{"4.9e-7", "4.9e-7"},
		{"271510.49", "271510.49"},
		{"43231.10", "43231.1"},
		{"-5000", "-5000"},
		{"-528102.69042633", "-528102.69042633"},
		{"205000", "205000"},
		{"1e21", "1e+21"},
		{"1.5e21", "1.5e+21"},
		{"123e18", "123000000000000000000"},
		{"999999999999999999e3", "999999999999999999000"},
		{"1e-6", "0.000001"},
		{"1.23456e-7", "1.23456e-7"},
		{"-6e-8", "-6e-8"},
		{"100", "100"},
		{"0.1", "0.1"},
	}
	for _, tt := range tests {
		if got := string(num(t, tt.in).AppendJSNumber(nil)); got != tt.js {
			t.Errorf("AppendJSNumber(%s) = %q, want %q", tt.in, got, tt.js)
		}
	}
}

func TestAppendDigits(t *testing.T) {
	tests := []struct{ in, want string }{
		{"0.05000", "5000"},
		{"0.00000500", "500"},
		{"45285.2", "452852"},
		{"0.00100000", "100000"},
		{"28013.0", "280130"},
		{"0.00000000", ""},
		{"1E+2", "100"},
	}
	for _, tt := range tests {
		if got := string(num(t, tt.in).AppendDigits(nil)); got != tt.want {
			t.Errorf("AppendDigits(%s) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNumDecimal(t *testing.T) {
	for _, s := range []string{"0", "43231.10", "0.00012", "-5000", "7e-7", "1E+3", "500793.10790141", "0.000000000000000000000000000001"} {
		n := num(t, s)
		want := decimal.RequireFromString(s)
		d := n.Decimal()
		if !d.Equal(want) {
			t.Errorf("Num(%s).Decimal() = %s, want %s", s, d, want)
		}
		back, err := NumFromDecimal(d)
		if err != nil || back != n {
			t.Errorf("NumFromDecimal(%s) = %v, %v; want %v", d, back, err, n)
		}
	}
	if _, err := NumFromDecimal(decimal.RequireFromString("123456789012345678901234567890")); !errors.Is(err, errors.BadResponse) {
		t.Errorf("NumFromDecimal of a 30-digit coefficient: %v, want BadResponse", err)
	}
	// From a decimal parsed from wire text, the Num keeps the wire scale.
	if n, _ := NumFromDecimal(decimal.RequireFromString("64000.00")); n.String() != "64000.00" {
		t.Errorf("NumFromDecimal(64000.00).String() = %q", n.String())
	}
}

func TestMakeNum(t *testing.T) {
	n, err := MakeNum(4323110, 2)
	if err != nil || n.String() != "43231.10" {
		t.Errorf("MakeNum(4323110, 2) = %v, %v", n, err)
	}
	for _, c := range []struct {
		m int64
		s int
	}{{1, MaxScale + 1}, {1, -MaxScale - 1}, {math.MinInt64, 0}} {
		if _, err := MakeNum(c.m, c.s); !errors.Is(err, errors.BadResponse) {
			t.Errorf("MakeNum(%d, %d): %v, want BadResponse", c.m, c.s, err)
		}
	}
}

func TestNumSignAbsNeg(t *testing.T) {
	n := num(t, "-1.50")
	if n.Sign() != -1 || n.Abs().String() != "1.50" || n.Neg().String() != "1.50" || n.IsZero() {
		t.Errorf("sign helpers of -1.50: %d %s %s %v", n.Sign(), n.Abs(), n.Neg(), n.IsZero())
	}
	if z := num(t, "0.00"); z.Sign() != 0 || !z.IsZero() {
		t.Errorf("0.00: sign %d zero %v", z.Sign(), z.IsZero())
	}
}
