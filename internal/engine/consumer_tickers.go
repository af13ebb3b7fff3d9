package engine

import (
	"context"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/watch"
	"github.com/unifex-go/unifex/unified"
)

// symbolKeys returns a key of kind per symbol; at least one is required.
func symbolKeys(kind watch.Kind, symbols []string) ([]watch.Key, error) {
	if len(symbols) == 0 {
		return nil, errors.Newf(errors.ArgumentsRequired, "at least one symbol is required")
	}
	keys := make([]watch.Key, len(symbols))
	for i, s := range symbols {
		keys[i] = watch.Key{Kind: kind, Symbol: s}
	}
	return keys, nil
}

// watchBySymbol joins, starts and reads the value topics of keys and
// returns, by symbol, the values that changed since this consumer's last
// return.
func watchBySymbol[V any](ctx context.Context, c *Consumer, keys []watch.Key) (map[string]*V, error) {
	vs, err := watchValues[V](ctx, c, keys)
	if err != nil {
		return nil, err
	}
	out := make(map[string]*V, len(vs))
	for i, v := range vs {
		if v != nil {
			out[keys[i].Symbol] = v
		}
	}
	return out, nil
}

// WatchBidsAsks returns, by symbol, the best bids and asks that changed
// since this consumer's last return.
func (c *Consumer) WatchBidsAsks(ctx context.Context, symbols []string, _ ...exchange.Option) (map[string]*unified.Ticker, error) {
	keys, err := symbolKeys(watch.BidsAsks, symbols)
	if err != nil {
		return nil, err
	}
	if err := c.checkMarkets(ctx, keys, false); err != nil {
		return nil, err
	}
	return watchBySymbol[unified.Ticker](ctx, c, keys)
}

// UnwatchBidsAsks stops watching the best bids and asks of symbols.
func (c *Consumer) UnwatchBidsAsks(_ context.Context, symbols []string) error {
	for _, s := range symbols {
		c.leave(watch.Key{Kind: watch.BidsAsks, Symbol: s})
	}
	return nil
}

// WatchFundingRate returns symbol's funding rate each time it changes.
func (c *Consumer) WatchFundingRate(ctx context.Context, symbol string, opts ...exchange.Option) (*unified.FundingRate, error) {
	rs, err := c.WatchFundingRates(ctx, []string{symbol}, opts...)
	if err != nil {
		return nil, err
	}
	return rs[symbol], nil // a read of one topic returns its value
}

// WatchFundingRates returns, by symbol, the funding rates that changed
// since this consumer's last return. Every symbol must name a contract:
// spot markets have no funding, and fail with errors.BadSymbol.
func (c *Consumer) WatchFundingRates(ctx context.Context, symbols []string, _ ...exchange.Option) (map[string]*unified.FundingRate, error) {
	keys, err := symbolKeys(watch.FundingRate, symbols)
	if err != nil {
		return nil, err
	}
	if err := c.checkMarkets(ctx, keys, true); err != nil {
		return nil, err
	}
	return watchBySymbol[unified.FundingRate](ctx, c, keys)
}

// checkMarkets fails for a stream the venue lacks (NotSupported, the
// adapter's answer, first), then for a symbol that is unknown, empty
// included, or, when contract is set, not a contract (BadSymbol), before
// anything is joined. (joinAll checks symbols only for the kinds
// marketStream lists.)
func (c *Consumer) checkMarkets(ctx context.Context, keys []watch.Key, contract bool) error {
	for _, k := range keys {
		if err := c.supported(k); err != nil {
			return err
		}
	}
	snap, err := c.e.spec.Markets(ctx)
	if err != nil {
		return err
	}
	for _, k := range keys {
		m, err := snap.Market(k.Symbol)
		if err != nil {
			return err
		}
		if contract && !m.Contract {
			return &errors.Error{Kind: errors.BadSymbol, Exchange: c.e.spec.Exchange, Message: k.Symbol + " is not a contract: it has no funding rate"}
		}
	}
	return nil
}

// UnwatchFundingRate stops watching symbol's funding rate.
func (c *Consumer) UnwatchFundingRate(_ context.Context, symbol string) error {
	c.leave(watch.Key{Kind: watch.FundingRate, Symbol: symbol})
	return nil
}
