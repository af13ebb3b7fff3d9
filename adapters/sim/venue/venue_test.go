package venue

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func TestAppendFixed(t *testing.T) {
	for _, tc := range []struct {
		n        int64
		decimals int32
		want     string
	}{
		{6500010, 2, "65000.10"}, {10, 5, "0.00010"}, {5, 0, "5"}, {-1, 3, "-0.001"}, {123456, 3, "123.456"}, {0, 2, "0.00"},
	} {
		if got := string(appendFixed(nil, tc.n, tc.decimals)); got != tc.want {
			t.Errorf("appendFixed(%d, %d) = %q, want %q", tc.n, tc.decimals, got, tc.want)
		}
	}
}

func TestToUnits(t *testing.T) {
	for _, tc := range []struct {
		text     string
		decimals int32
		want     int64
		ok       bool
	}{
		{"65000.1", 2, 6500010, true}, {"0.00010", 5, 10, true}, {"0.000001", 5, 0, false}, {"1e30", 2, 0, false}, {"-2", 0, -2, true},
	} {
		got, ok := toUnits(decimal.RequireFromString(tc.text), tc.decimals)
		if got != tc.want || ok != tc.ok {
			t.Errorf("toUnits(%s, %d) = %d %v, want %d %v", tc.text, tc.decimals, got, ok, tc.want, tc.ok)
		}
	}
}

// TestLadderPriceTimePriority: a taker fills the best price first and, at
// one price, the oldest order first; self-trade prevention removes the
// taker's own makers instead of trading with them.
func TestLadderPriceTimePriority(t *testing.T) {
	asks := ladder{}
	first, second, better := &resting{lots: 5}, &resting{lots: 7}, &resting{lots: 3}
	own := &resting{lots: 4, own: &order{}}
	asks.add(101, first)
	asks.add(101, second)
	asks.add(100, better)
	asks.add(102, own)
	if got := asks.available(101, false, isOwn); got != 15 {
		t.Fatalf("available up to 101: %d, want 15", got)
	}
	fills := asks.take(10, 101, false, nil, nil)
	want := []fill{{100, 3, better}, {101, 5, first}, {101, 2, second}}
	if len(fills) != len(want) {
		t.Fatalf("fills %+v, want %+v", fills, want)
	}
	for i := range want {
		if fills[i] != want[i] {
			t.Fatalf("fill %d: %+v, want %+v", i, fills[i], want[i])
		}
	}
	if asks.total(101) != 5 || second.lots != 5 || asks.best().price != 101 {
		t.Fatalf("after the take: total at 101 %d, second has %d", asks.total(101), second.lots)
	}
	var removed []*resting
	fills = asks.take(100, 0, true, isOwn, func(_ int64, r *resting) { removed = append(removed, r) })
	if len(removed) != 1 || removed[0] != own || len(fills) != 1 || fills[0].lots != 5 || len(asks.levels) != 0 {
		t.Fatalf("market take with self-trade prevention: fills %+v, removed %v, left %d levels", fills, removed, len(asks.levels))
	}
}

func TestCandlesAggregate(t *testing.T) {
	m := &DefaultMarkets()[0]
	now := time.Date(2026, 11, 22, 10, 37, 30, 0, time.UTC)
	c := newCandles(m, now, 2, rand.New(rand.NewPCG(1, 2)))
	c.trade(now, m.StartPrice+100, 7)
	hours := c.bars(time.Hour, now.Add(-3*time.Hour), time.Time{}, now, 10)
	// Bars opening at or after 07:37: 08:00, 09:00 and the current 10:00.
	if len(hours) != 3 || !hours[0].start.Equal(time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC)) {
		t.Fatalf("hours since 07:37: %d, first %v", len(hours), hours[0].start)
	}
	last := hours[2] // 10:00 to now: 38 one-minute candles
	var vol int64
	hi := int64(0)
	for i := c.at(now) - 37; i <= c.at(now); i++ {
		vol += c.list[i].volume
		hi = max(hi, c.list[i].high)
	}
	if last.volume != vol || last.high != hi || last.close != m.StartPrice+100 {
		t.Fatalf("current hour: volume %d high %d close %d, want %d %d %d", last.volume, last.high, last.close, vol, hi, m.StartPrice+100)
	}
	latest := c.bars(time.Minute, time.Time{}, time.Time{}, now.Add(5*time.Minute), 3)
	if len(latest) != 3 || latest[2].volume != 0 || latest[2].open != m.StartPrice+100 {
		t.Fatalf("quiet minutes carry the last close: %+v", latest)
	}
	day := c.day(now)
	if day.volume <= 0 || day.low > day.high {
		t.Fatalf("day: %+v", day)
	}
}

// TestCrowdKeepsBooksSound: after many events every book is uncrossed,
// sorted, within its depth, and every level's total is its queue's sum.
func TestCrowdKeepsBooksSound(t *testing.T) {
	v := Start(Config{Seed: 3, Depth: 30})
	defer v.Close()
	v.Step(20000)
	v.mu.Lock()
	defer v.mu.Unlock()
	for _, b := range v.markets {
		for _, l := range []*ladder{&b.bids, &b.asks} {
			if len(l.levels) == 0 || len(l.levels) > 30 {
				t.Fatalf("%s: %d levels", b.m.ID, len(l.levels))
			}
			for i, lv := range l.levels {
				var sum int64
				for _, r := range lv.orders {
					sum += r.lots
				}
				if sum != lv.total || sum <= 0 {
					t.Fatalf("%s level %d: total %d, queue %d", b.m.ID, lv.price, lv.total, sum)
				}
				if i > 0 && !l.better(l.levels[i-1].price, lv.price) {
					t.Fatalf("%s: levels out of order at %d", b.m.ID, i)
				}
			}
		}
		if b.bids.best().price >= b.asks.best().price {
			t.Fatalf("%s is crossed", b.m.ID)
		}
		if drift := b.mid() - b.m.StartPrice; drift > b.m.StartPrice/5 || drift < -b.m.StartPrice/5 {
			t.Fatalf("%s drifted from %d to %d", b.m.ID, b.m.StartPrice, b.mid())
		}
	}
}

// TestSeedReproduces: the same seed makes the same market.
func TestSeedReproduces(t *testing.T) {
	state := func() []int64 {
		v := Start(Config{Seed: 11})
		defer v.Close()
		v.Step(3000)
		v.mu.Lock()
		defer v.mu.Unlock()
		return v.markets[0].bids.levelsTo(v.markets[0].asks.levelsTo(nil, 0), 0)
	}
	a, b := state(), state()
	if len(a) != len(b) {
		t.Fatalf("two runs of one seed differ: %d and %d numbers", len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("two runs of one seed differ at %d", i)
		}
	}
}

// BenchmarkStep is one crowd event with its publication (no subscriber):
// the rate the venue's flow can reach.
func BenchmarkStep(b *testing.B) {
	v := Start(Config{Seed: 5})
	defer v.Close()
	b.ReportAllocs()
	b.ResetTimer()
	v.Step(b.N)
}
