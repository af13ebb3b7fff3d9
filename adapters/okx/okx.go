// Package okx is the OKX (API v5) adapter: spot, perpetual swaps, expiry
// futures and options on one id, over REST and the public, private and business
// WebSockets. Config.Sandbox selects demo trading (its hosts, and the
// x-simulated-trading header on every REST request).
package okx

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/adapter"
	"github.com/unifex-go/unifex/internal/rest"
	"github.com/unifex-go/unifex/unified"
)

// ID is the adapter id.
const ID = "okx"

func init() {
	exchange.Register(ID, func(cfg exchange.Config) (exchange.Exchange, error) { return New(cfg) })
}

// Instrument types (instType) the adapter loads.
const (
	TypeSpot    = "SPOT"
	TypeSwap    = "SWAP"
	TypeFutures = "FUTURES"
	TypeOption  = "OPTION"
)

// Options are the adapter's own options (Config.Options).
type Options struct {
	// Types lists the instrument types whose markets are loaded (default
	// SPOT, SWAP, FUTURES and OPTION, the four CCXT loads). Options are
	// listed per instrument family, one request each: leave OPTION out
	// when they are not wanted, as a live OKX lists over a thousand.
	Types []string
	// OptionFamilies lists the instFamily values (BTC-USD, ETH-USD, ...)
	// whose options are loaded when Types holds OPTION (default: every
	// family GET /api/v5/public/underlying?instType=OPTION names; CCXT's
	// default is BTC-USD and ETH-USD).
	OptionFamilies []string
	// PingEvery is how long a stream connection may stay quiet before the
	// adapter sends the text "ping" (default 20 s; OKX drops a connection
	// after 30 s without data). An unanswered ping drops the link.
	PingEvery time.Duration
	// StreamBookSnapshot syncs books from the snapshot the books channel
	// sends on subscribing, as OKX did before its 2026 change, instead of
	// from GET /api/v5/market/books (the default: the channel now sends
	// updates only, and the REST book carries the seqId they continue
	// from). Either way a snapshot the channel sends replaces the book.
	StreamBookSnapshot bool
	// Retry bounds REST retries (the transport's defaults when zero).
	Retry rest.RetryPolicy
}

// urls are the endpoints of one environment (Config.URLs keys "rest",
// "public", "private", "business").
type urls struct{ rest, public, private, business string }

var (
	liveURLs = urls{"https://www.okx.com", "wss://ws.okx.com:8443/ws/v5/public",
		"wss://ws.okx.com:8443/ws/v5/private", "wss://ws.okx.com:8443/ws/v5/business"}
	demoURLs = urls{"https://openapi.okx.com", "wss://wspap.okx.com:8443/ws/v5/public",
		"wss://wspap.okx.com:8443/ws/v5/private", "wss://wspap.okx.com:8443/ws/v5/business"}
)

// Exchange is the OKX adapter.
type Exchange struct {
	*adapter.Base
	opts Options
	urls urls
	// demo is true in demo trading (Config.Sandbox).
	demo bool
	// reqID numbers WebSocket requests.
	reqID atomic.Int64
	// streamIDs resolves the instIds of pushes to markets.
	streamIDs atomic.Pointer[streamIDs]
	// account is what the private streams keep (userdata.go).
	account accountState
	// codes caches instIdCodes for WebSocket order entry (wsapi.go).
	codes instCodes
}

// New returns the OKX adapter. Config.URLs may override "rest", "public",
// "private" and "business"; Sandbox selects demo trading.
func New(cfg exchange.Config) (*Exchange, error) {
	opts, _ := cfg.Options.(Options)
	if len(opts.Types) == 0 {
		opts.Types = []string{TypeSpot, TypeSwap, TypeFutures, TypeOption}
	}
	for _, t := range opts.Types {
		switch t {
		case TypeSpot, TypeSwap, TypeFutures, TypeOption:
		default:
			return nil, errors.Newf(errors.BadRequest, "okx: unknown instrument type "+strconv.Quote(t)+": want SPOT, SWAP, FUTURES or OPTION")
		}
	}
	if opts.PingEvery <= 0 {
		opts.PingEvery = 20 * time.Second
	}
	u := liveURLs
	if cfg.Sandbox {
		u = demoURLs
	}
	for key, dst := range map[string]*string{"rest": &u.rest, "public": &u.public, "private": &u.private, "business": &u.business} {
		if v := cfg.URLs[key]; v != "" {
			*dst = strings.TrimSuffix(v, "/")
		}
	}
	x := &Exchange{opts: opts, urls: u, demo: cfg.Sandbox}
	header := http.Header{}
	if cfg.Sandbox {
		header.Set("x-simulated-trading", "1")
	}
	base, err := adapter.New(adapter.Spec{
		ID:       ID,
		Features: features(),
		Config:   cfg,
		LoadMarkets: func(ctx context.Context) ([]unified.Market, []unified.Currency, error) {
			ms, codes, err := x.fetchMarkets(ctx)
			if err == nil {
				x.codes.replace(codes) // every load of the registry renews them
			}
			return ms, nil, err
		},
		REST: &rest.Config{
			BaseURLs:   map[string]string{"v5": u.rest + "/api/v5"},
			Header:     header,
			Sign:       x.signREST,
			CheckError: checkError,
			ServerTime: func(ctx context.Context) (time.Time, error) { return x.FetchTime(ctx) },
			Retry:      opts.Retry,
		},
		Stream: x.streamSpec(),
	})
	if err != nil {
		return nil, err
	}
	x.Base = base
	return x, nil
}

// features lists the unified methods implemented so far.
func features() exchange.Features {
	return exchange.NewFeatures(
		exchange.FeatureLoadMarkets, exchange.FeatureFetchMarkets, exchange.FeatureFetchTime,
		exchange.FeatureFetchTicker, exchange.FeatureFetchTickers, exchange.FeatureFetchOrderBook, exchange.FeatureFetchTrades,
		exchange.FeatureFetchOHLCV, exchange.FeatureFetchFundingRate,
		exchange.FeatureWatchOrderBook, exchange.FeatureWatchOrderBookForSymbols, exchange.FeatureWatchTrades,
		exchange.FeatureWatchTradesForSymbols, exchange.FeatureWatchTicker, exchange.FeatureWatchTickers, exchange.FeatureWatchOHLCV,
		exchange.FeatureWatchBidsAsks, exchange.FeatureWatchFundingRate,
		exchange.FeatureUnwatchOrderBook, exchange.FeatureUnwatchTrades, exchange.FeatureUnwatchTicker, exchange.FeatureUnwatchOHLCV,
		// private.go, userdata.go, wsapi.go
		exchange.FeatureFetchBalance, exchange.FeatureCreateOrder, exchange.FeatureEditOrder, exchange.FeatureCancelOrder,
		exchange.FeatureCancelAllOrders, exchange.FeatureFetchOrder, exchange.FeatureFetchOrders, exchange.FeatureFetchOpenOrders,
		exchange.FeatureFetchClosedOrders, exchange.FeatureFetchMyTrades, exchange.FeatureFetchPositions, exchange.FeatureSetLeverage, exchange.FeatureFetchLeverage,
		exchange.FeatureWatchOrders, exchange.FeatureWatchMyTrades, exchange.FeatureWatchBalance, exchange.FeatureWatchPositions,
		exchange.FeatureCreateOrderWs, exchange.FeatureEditOrderWs, exchange.FeatureCancelOrderWs,
		// wallet.go
		exchange.FeatureFetchCurrencies, exchange.FeatureFetchDepositAddress, exchange.FeatureFetchDeposits,
		exchange.FeatureFetchWithdrawals, exchange.FeatureWithdraw,
	)
}
