package adapter

import (
	"slices"
	"time"

	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/unified"
)

// OHLCVPageBefore fetches up to n candles opening before end (Unix ms;
// 0: the newest n), in any order: one request of a venue's candle endpoint
// that pages towards the past (okx's after, bitget's endTime).
type OHLCVPageBefore func(end int64, n int) ([]unified.OHLCV, error)

// FetchOHLCVBackward is the unified candle history over an endpoint that
// pages backwards. Without Since it returns the newest Limit candles
// (defaultLimit when 0), paging back as far as that needs. With Since it
// returns the Limit candles opening at or after Since (all of them up to
// now when Limit is 0), fetched backwards from the end of that window,
// Since + Limit × length (length: one candle's duration, an upper bound
// for months). Candles come oldest first, without duplicates.
func FetchOHLCVBackward(o exchange.CallOptions, length time.Duration, defaultLimit int, page OHLCVPageBefore) ([]unified.OHLCV, error) {
	limit := o.Limit
	since := int64(-1)
	var end int64
	if o.Since.IsZero() {
		if limit <= 0 {
			limit = defaultLimit
		}
	} else {
		since = o.Since.UnixMilli()
		if limit > 0 {
			end = since + int64(limit)*length.Milliseconds()
		}
	}
	seen := map[int64]bool{}
	var out []unified.OHLCV
	for limit <= 0 || len(out) < limit {
		n := 100
		if limit > 0 {
			n = limit - len(out)
		}
		candles, err := page(end, n)
		if err != nil {
			return nil, err
		}
		if len(candles) == 0 {
			break // the venue's history is exhausted
		}
		oldest := candles[0].Timestamp.UnixMilli()
		for _, c := range candles {
			ts := c.Timestamp.UnixMilli()
			oldest = min(oldest, ts)
			if !seen[ts] && ts >= since && (end == 0 || ts < end) {
				seen[ts] = true
				out = append(out, c)
			}
		}
		if oldest <= since || (end != 0 && oldest >= end) {
			break // Since reached (or a reply that did not page)
		}
		end = oldest
	}
	slices.SortFunc(out, func(a, b unified.OHLCV) int { return a.Timestamp.Compare(b.Timestamp) })
	if limit > 0 && len(out) > limit {
		if since >= 0 {
			out = out[:limit]
		} else {
			out = out[len(out)-limit:]
		}
	}
	return out, nil
}
