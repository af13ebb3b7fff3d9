package markets

import (
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/unifex-go/unifex/unified"
)

// randDecimal returns a random decimal of up to 15 digits with an exponent
// in [minExp, maxExp], negative about a third of the time.
func randDecimal(rng *rand.Rand, minExp, maxExp int) decimal.Decimal {
	c := rng.Int64N(1_000_000_000_000_000)
	if rng.IntN(3) == 0 {
		c = -c
	}
	return decimal.New(c, int32(minExp+rng.IntN(maxExp-minExp+1)))
}

// randTick returns a random positive tick such as 0.05, 0.0025, 5 or 1e-8.
func randTick(rng *rand.Rand) decimal.Decimal {
	coef := []int64{1, 2, 5, 25, 3, 7, 12, 110, 999}[rng.IntN(9)]
	return decimal.New(coef, int32(rng.IntN(14)-10))
}

// checkRoundingProperties checks what every mode promises about d, the
// result of rounding x to a grid of step unit (the distance between grid
// values around d).
func checkRoundingProperties(t *testing.T, what string, x, d, unit decimal.Decimal, how Rounding) {
	t.Helper()
	diff := x.Sub(d).Abs()
	switch how {
	case Truncate:
		if d.Abs().Cmp(x.Abs()) > 0 {
			t.Fatalf("%s: truncation grew the magnitude: %s -> %s", what, x, d)
		}
		if d.Sign() != 0 && d.Sign() != x.Sign() {
			t.Fatalf("%s: truncation changed the sign: %s -> %s", what, x, d)
		}
		if diff.Cmp(unit) >= 0 {
			t.Fatalf("%s: truncation moved %s by %s, a whole step %s or more", what, x, diff, unit)
		}
	case Round:
		if diff.Add(diff).Cmp(unit) > 0 {
			t.Fatalf("%s: rounding moved %s by %s, more than half the step %s", what, x, diff, unit)
		}
	}
}

func TestTickRoundingProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 20000; i++ {
		x := randDecimal(rng, -14, 3)
		tick := randTick(rng)
		how := Rounding(rng.IntN(2))
		r := Rule{Mode: unified.TickSize, Precision: decimal.NewNullDecimal(tick)}
		d, err := r.Round(x, how)
		if err != nil {
			t.Fatal(err)
		}
		what := x.String() + " tick " + tick.String() + " " + how.String()
		if !d.Mod(tick).IsZero() {
			t.Fatalf("%s: %s is not a multiple of the tick", what, d)
		}
		checkRoundingProperties(t, what, x, d, tick, how)
		if again, _ := r.Round(d, how); !again.Equal(d) {
			t.Fatalf("%s: rounding is not idempotent: %s -> %s", what, d, again)
		}
		s, _ := r.Format(x, how)
		if !decimal.RequireFromString(s).Equal(d) {
			t.Fatalf("%s: Format %q differs from Round %s", what, s, d)
		}
	}
}

func TestDecimalPlacesProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 20000; i++ {
		x := randDecimal(rng, -14, 3)
		n := int32(rng.IntN(20) - 4)
		how := Rounding(rng.IntN(2))
		r := Rule{Mode: unified.DecimalPlaces, Precision: decimal.NewNullDecimal(decimal.NewFromInt32(n))}
		d, err := r.Round(x, how)
		if err != nil {
			t.Fatal(err)
		}
		what := x.String() + " places " + decimal.NewFromInt32(n).String() + " " + how.String()
		unit := decimal.New(1, -n)
		if !d.Mod(unit).IsZero() {
			t.Fatalf("%s: %s has more than %d places", what, d, n)
		}
		checkRoundingProperties(t, what, x, d, unit, how)
	}
}

func TestSignificantDigitsProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 20000; i++ {
		x := randDecimal(rng, -14, 3)
		if x.IsZero() {
			continue
		}
		n := int32(1 + rng.IntN(10))
		how := Rounding(rng.IntN(2))
		r := Rule{Mode: unified.SignificantDigits, Precision: decimal.NewNullDecimal(decimal.NewFromInt32(n))}
		d, err := r.Round(x, how)
		if err != nil {
			t.Fatal(err)
		}
		what := x.String() + " sig " + decimal.NewFromInt32(n).String() + " " + how.String()
		// The grid step is one unit of x's n-th significant digit.
		unit := decimal.New(1, int32(leadingExponent(x))-n+1)
		if !d.Mod(unit).IsZero() {
			t.Fatalf("%s: %s has more than %d significant digits", what, d, n)
		}
		checkRoundingProperties(t, what, x, d, unit, how)
	}
}

func TestFastPathsMatchBigArithmetic(t *testing.T) {
	// The int64 fast paths must agree with shopspring's arbitrary precision,
	// including at the edge of 18 digits where the fast path gives way.
	rng := rand.New(rand.NewPCG(7, 8))
	for i := 0; i < 50000; i++ {
		x := decimal.New(rng.Int64N(1_000_000_000_000_000_000)>>uint(rng.IntN(60)), int32(rng.IntN(30)-20))
		if rng.IntN(2) == 0 {
			x = x.Neg()
		}
		how := Rounding(rng.IntN(2))
		tick := randTick(rng)
		if got, want := roundTick(x, tick, how), roundTickBig(x, tick, how); !got.Equal(want) {
			t.Fatalf("roundTick(%s, %s, %v) = %s, big arithmetic says %s", x, tick, how, got, want)
		}
		places := int64(rng.IntN(40) - 10)
		want := x.Round(int32(places))
		if how == Truncate {
			want = x.RoundDown(int32(places))
		}
		if got := roundPlaces(x, places, how); !got.Equal(want) {
			t.Fatalf("roundPlaces(%s, %d, %v) = %s, big arithmetic says %s", x, places, how, got, want)
		}
	}
}
