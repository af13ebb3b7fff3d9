// Package sim is the adapter of the built-in simulated exchange (package
// venue): a complete venue behind the same machinery as every real one —
// REST with signed requests, WebSocket streams with sequence and checksum
// checks, reconnection and reconciliation — so that demos, examples and
// tests run offline on the real transport.
//
// With no URLs in its configuration, New starts a venue of its own on
// loopback (with a background order flow) and Close stops it; with
// Config.URLs["rest"] and ["ws"] it connects to a venue started elsewhere.
//
//	ex, err := exchange.New("sim", exchange.Config{})
//	book, err := ex.WatchOrderBook(ctx, "BTC/USDT")
package sim

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/unifex-go/unifex/adapters/sim/venue"
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/adapter"
	"github.com/unifex-go/unifex/internal/rest"
	"github.com/unifex-go/unifex/unified"
)

// ID is the adapter's id.
const ID = "sim"

func init() {
	exchange.Register(ID, func(cfg exchange.Config) (exchange.Exchange, error) { return New(cfg) })
}

// Options are the adapter's own options (Config.Options).
type Options struct {
	// Seed makes the order flow of a venue the adapter starts reproducible.
	Seed uint64
	// Rate is the market events per second of a venue the adapter starts
	// (default 100, a few trades a second on each market; negative: none,
	// the venue moves only when stepped).
	Rate int
	// PingInterval is the application ping period (default 15 s); a link
	// is declared dead after twice that without a frame.
	PingInterval time.Duration
	// ChannelsPerLink caps the subscriptions of one connection (0: no cap).
	ChannelsPerLink int
	// Retry bounds REST retries (the transport's defaults when zero).
	Retry rest.RetryPolicy
}

// Exchange is the sim venue's adapter.
type Exchange struct {
	*adapter.Base
	venue       *venue.Venue // the venue New started, nil when given URLs
	key, secret string
	reqID       atomic.Int64 // of WebSocket requests

	ordersMu sync.Mutex // guards lastSeen
	lastSeen int64      // newest order change seen, venue ms; reconciliation starts before it
}

// features are the unified methods the sim venue has: all but the
// transfers of funds and the ledger.
var features = exchange.NewFeatures(
	exchange.FeatureLoadMarkets, exchange.FeatureFetchMarkets, exchange.FeatureFetchCurrencies, exchange.FeatureFetchTime,
	exchange.FeatureFetchTicker, exchange.FeatureFetchTickers, exchange.FeatureFetchOrderBook, exchange.FeatureFetchTrades,
	exchange.FeatureFetchOHLCV, exchange.FeatureFetchFundingRate,
	exchange.FeatureCreateOrder, exchange.FeatureEditOrder, exchange.FeatureCancelOrder, exchange.FeatureCancelAllOrders,
	exchange.FeatureFetchOrder, exchange.FeatureFetchOrders, exchange.FeatureFetchOpenOrders, exchange.FeatureFetchClosedOrders,
	exchange.FeatureFetchMyTrades, exchange.FeatureCreateOrderWs, exchange.FeatureEditOrderWs, exchange.FeatureCancelOrderWs,
	exchange.FeatureFetchBalance, exchange.FeatureFetchPositions, exchange.FeatureSetLeverage, exchange.FeatureFetchLeverage,
	exchange.FeatureWatchOrderBook, exchange.FeatureWatchOrderBookForSymbols, exchange.FeatureWatchTrades,
	exchange.FeatureWatchTradesForSymbols, exchange.FeatureWatchTicker, exchange.FeatureWatchTickers, exchange.FeatureWatchOHLCV,
	exchange.FeatureWatchBalance, exchange.FeatureWatchOrders, exchange.FeatureWatchMyTrades, exchange.FeatureWatchPositions,
	exchange.FeatureUnwatchOrderBook, exchange.FeatureUnwatchTrades, exchange.FeatureUnwatchTicker, exchange.FeatureUnwatchOHLCV,
	exchange.FeatureWatchBidsAsks, exchange.FeatureWatchFundingRate, exchange.FeatureWatchFundingRates,
	exchange.FeatureUnwatchBidsAsks, exchange.FeatureUnwatchFundingRate,
)

// New returns an adapter for the venue at cfg.URLs["rest"] and ["ws"], or,
// when both are empty, for a venue of its own that it starts now (with the
// venue's test credentials unless cfg names others).
func New(cfg exchange.Config) (*Exchange, error) {
	opts, _ := cfg.Options.(Options)
	if opts.PingInterval <= 0 {
		opts.PingInterval = 15 * time.Second
	}
	x := &Exchange{}
	restURL, wsURL := cfg.URLs["rest"], cfg.URLs["ws"]
	switch {
	case restURL == "" && wsURL == "":
		rate := opts.Rate
		if rate == 0 {
			rate = 100
		}
		vc := venue.Config{Seed: opts.Seed, Rate: max(rate, 0), APIKey: cfg.APIKey, Secret: cfg.Secret}
		if vc.APIKey == "" || vc.Secret == "" {
			cfg.APIKey, cfg.Secret = venue.TestAPIKey, venue.TestSecret
			vc.APIKey, vc.Secret = cfg.APIKey, cfg.Secret
		}
		x.venue = venue.Start(vc)
		urls := x.venue.URLs()
		restURL, wsURL = urls["rest"], urls["ws"]
	case restURL == "" || wsURL == "":
		return nil, errors.Newf(errors.ArgumentsRequired, `the sim adapter needs both URLs["rest"] and URLs["ws"], or neither`)
	}
	x.key, x.secret = cfg.APIKey, cfg.Secret
	restBase := strings.TrimSuffix(restURL, "/") + "/api/v1"
	base, err := adapter.New(adapter.Spec{
		ID:       ID,
		Features: features,
		Config:   cfg,
		LoadMarkets: func(ctx context.Context) ([]unified.Market, []unified.Currency, error) {
			ms, err := x.FetchMarkets(ctx)
			if err != nil {
				return nil, nil, err
			}
			cs, err := x.FetchCurrencies(ctx)
			return ms, cs, err
		},
		REST: &rest.Config{
			BaseURLs:   map[string]string{"public": restBase, "private": restBase + "/private"},
			Sign:       x.sign,
			CheckError: checkError,
			ServerTime: func(ctx context.Context) (time.Time, error) { return x.FetchTime(ctx) },
			Retry:      opts.Retry,
		},
		Stream: x.streamSpec(wsURL, opts),
	})
	if err != nil {
		if x.venue != nil {
			x.venue.Close()
		}
		return nil, err
	}
	x.Base = base
	return x, nil
}

// Venue returns the venue the adapter started, nil when it was given URLs.
func (x *Exchange) Venue() *venue.Venue { return x.venue }

// Close ends the connections, then stops the venue the adapter started.
func (x *Exchange) Close() error {
	err := x.Base.Close()
	if x.venue != nil {
		x.venue.Close()
	}
	return err
}
