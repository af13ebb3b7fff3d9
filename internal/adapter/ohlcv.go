package adapter

import (
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/unified"
)

// OHLCVPage fetches up to n candles opening at or after start (Unix ms;
// 0: the newest n), oldest first: one request of a venue's candle endpoint.
type OHLCVPage func(start int64, n int) ([]unified.OHLCV, error)

// FetchOHLCV is the unified candle history over a venue's paged endpoint
// of at most pageSize candles a reply. Without Since it returns the newest
// Limit (defaultLimit when 0) in one request. With Since it pages forward
// from there until Limit candles, or until a short page says the present
// is reached, as python-binance's historical klines do.
func FetchOHLCV(o exchange.CallOptions, pageSize, defaultLimit int, page OHLCVPage) ([]unified.OHLCV, error) {
	if o.Since.IsZero() {
		limit := o.Limit
		if limit <= 0 {
			limit = defaultLimit
		}
		return page(0, min(limit, pageSize))
	}
	var out []unified.OHLCV
	start := o.Since.UnixMilli()
	for o.Limit <= 0 || len(out) < o.Limit {
		n := pageSize
		if o.Limit > 0 {
			n = min(n, o.Limit-len(out))
		}
		candles, err := page(start, n)
		if err != nil {
			return nil, err
		}
		out = append(out, candles...)
		if len(candles) < n {
			break // reached the present
		}
		start = candles[len(candles)-1].Timestamp.UnixMilli() + 1
	}
	return out, nil
}
