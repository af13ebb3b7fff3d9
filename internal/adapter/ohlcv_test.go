package adapter

import (
	"testing"
	"time"

	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/unified"
)

// venueCandles serves one-minute candles from 0 to last (ms), n at a time.
func venueCandles(last int64, calls *[][2]int64) OHLCVPage {
	return func(start int64, n int) ([]unified.OHLCV, error) {
		*calls = append(*calls, [2]int64{start, int64(n)})
		if start == 0 { // the newest n
			start = last - int64(n-1)*60_000
		}
		start = (start + 59_999) / 60_000 * 60_000 // the first candle opening at or after start
		var out []unified.OHLCV
		for t := start; t <= last && len(out) < n; t += 60_000 {
			out = append(out, unified.OHLCV{Timestamp: time.UnixMilli(t)})
		}
		return out, nil
	}
}

func TestFetchOHLCVPages(t *testing.T) {
	const last = 100 * 60_000
	for _, tc := range []struct {
		name  string
		o     exchange.CallOptions
		want  int
		pages int
	}{
		{"newest, default limit", exchange.CallOptions{}, 7, 1},
		{"since, no limit: to the present", exchange.CallOptions{Since: time.UnixMilli(10 * 60_000)}, 91, 10},
		{"since with a limit over several pages", exchange.CallOptions{Since: time.UnixMilli(1), Limit: 25}, 25, 3},
		{"since, exact pages", exchange.CallOptions{Since: time.UnixMilli(81 * 60_000), Limit: 20}, 20, 2},
	} {
		var calls [][2]int64
		got, err := FetchOHLCV(tc.o, 10, 7, venueCandles(last, &calls))
		if err != nil || len(got) != tc.want || len(calls) != tc.pages {
			t.Errorf("%s: %d candles in %d requests %v (%v), want %d in %d", tc.name, len(got), len(calls), calls, err, tc.want, tc.pages)
			continue
		}
		for i := 1; i < len(got); i++ {
			if got[i].Timestamp.Sub(got[i-1].Timestamp) != time.Minute {
				t.Errorf("%s: candle %d repeats or skips", tc.name, i)
			}
		}
	}
}
