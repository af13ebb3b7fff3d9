package exchange

import "time"

// Option is a per-call option of a unified method: Since, Limit or Params.
// Required arguments (symbol, timeframe, order id) are positional instead.
type Option func(*CallOptions)

// CallOptions is the result of applying a call's options; adapters read it
// through Apply.
type CallOptions struct {
	// Since keeps items at or after this time; zero means no bound.
	Since time.Time
	// Limit caps how many items (or order book levels) are returned; 0 means
	// the venue's or the cache's default.
	Limit int
	// Params are venue-specific request fields, CCXT's params: the one
	// documented escape hatch for what the unified arguments do not cover.
	Params map[string]any
}

// Since keeps items with a timestamp at or after t (CCXT's since).
func Since(t time.Time) Option { return func(o *CallOptions) { o.Since = t } }

// Limit caps the number of items, or the depth of an order book (CCXT's limit).
// A limit of zero or less means no cap.
func Limit(n int) Option {
	return func(o *CallOptions) {
		if n < 0 {
			n = 0
		}
		o.Limit = n
	}
}

// Params passes venue-specific request fields (CCXT's params). Several Params
// options merge; a later key wins. The map is copied.
func Params(p map[string]any) Option {
	return func(o *CallOptions) {
		if len(p) == 0 {
			return
		}
		if o.Params == nil {
			o.Params = make(map[string]any, len(p))
		}
		for k, v := range p {
			o.Params[k] = v
		}
	}
}

// Apply folds opts into a CallOptions, in order.
func Apply(opts []Option) CallOptions {
	var o CallOptions
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	return o
}

// SinceMillis returns Since in Unix milliseconds, or 0 when it is unset, the
// form caches and most venues use.
func (o CallOptions) SinceMillis() int64 {
	if o.Since.IsZero() {
		return 0
	}
	return o.Since.UnixMilli()
}
