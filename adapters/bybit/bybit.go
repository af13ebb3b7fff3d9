// Package bybit is the Bybit (API V5) adapter: spot, linear (USDT and USDC
// perpetuals and futures) and inverse contracts on one id, as CCXT has it —
// the markets of every category are loaded together and each call takes
// its category from the market. REST is one host for every category; each
// category has its own public stream URL, and the private and trade
// streams serve them all. Config.Sandbox selects the testnet,
// Options.Demo demo trading.
package bybit

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/adapter"
	"github.com/unifex-go/unifex/internal/rest"
	"github.com/unifex-go/unifex/unified"
)

// ID is the adapter id.
const ID = "bybit"

func init() {
	exchange.Register(ID, func(cfg exchange.Config) (exchange.Exchange, error) { return New(cfg) })
}

// The categories (Bybit's product lines) whose markets the adapter loads.
const (
	CategorySpot    = "spot"
	CategoryLinear  = "linear"
	CategoryInverse = "inverse"
	CategoryOption  = "option"
)

// Options are the adapter's own options (Config.Options).
type Options struct {
	// Categories lists the categories whose markets are loaded (default
	// all four: spot, linear, inverse and option, as CCXT loads them).
	// Name the others without CategoryOption to leave options out: a
	// live Bybit lists thousands of them, one paged instruments-info
	// request per base coin (OptionBaseCoins).
	Categories []string
	// OptionBaseCoins are the base coins whose options are loaded when
	// Categories holds CategoryOption (default BTC, ETH and SOL, CCXT's
	// list: instruments-info answers BTC's options without a baseCoin).
	OptionBaseCoins []string
	// Demo selects Bybit's demo trading: its REST host and private
	// stream; public data comes from mainnet, and the trade stream does
	// not exist there. Config.Sandbox (the testnet) wins over it.
	Demo bool
	// PingEvery is how often a stream connection sends {"op":"ping"}
	// (default 20 s, Bybit's recommendation; the venue cuts a connection
	// idle for 10 minutes). An unanswered ping drops the link.
	PingEvery time.Duration
	// BookDepth is the depth of the orderbook stream behind a full book:
	// 50 (pushed every 20 ms), 200 (default; 100 ms on contracts, 200 ms
	// on spot) or 1000. A watch with a limit of 1 rides on orderbook.1.
	BookDepth int
	// OptionBookDepth is the depth of the orderbook stream behind an
	// option's book: 25 (pushed every 20 ms) or 100 (default, 100 ms).
	// Both send a snapshot, then deltas, so every option book watch rides
	// on this one stream whatever its limit.
	OptionBookDepth int
	// RecvWindow is how long after its timestamp a signed request stays
	// valid (default 5 s).
	RecvWindow time.Duration
	// Retry bounds REST retries (the transport's defaults when zero).
	Retry rest.RetryPolicy
}

// urls are the endpoints of one environment (Config.URLs keys "rest",
// "spot", "linear", "inverse", "option", "private" and "trade").
type urls struct{ rest, spot, linear, inverse, option, private, trade string }

var (
	liveURLs = urls{"https://api.bybit.com", "wss://stream.bybit.com/v5/public/spot",
		"wss://stream.bybit.com/v5/public/linear", "wss://stream.bybit.com/v5/public/inverse",
		"wss://stream.bybit.com/v5/public/option", "wss://stream.bybit.com/v5/private", "wss://stream.bybit.com/v5/trade"}
	testURLs = urls{"https://api-testnet.bybit.com", "wss://stream-testnet.bybit.com/v5/public/spot",
		"wss://stream-testnet.bybit.com/v5/public/linear", "wss://stream-testnet.bybit.com/v5/public/inverse",
		"wss://stream-testnet.bybit.com/v5/public/option", "wss://stream-testnet.bybit.com/v5/private",
		"wss://stream-testnet.bybit.com/v5/trade"}
	// demoURLs: demo trading has its own REST host and private stream;
	// public data is mainnet's and there is no trade stream.
	demoURLs = urls{"https://api-demo.bybit.com", liveURLs.spot, liveURLs.linear, liveURLs.inverse, liveURLs.option,
		"wss://stream-demo.bybit.com/v5/private", ""}
)

// Exchange is the Bybit adapter.
type Exchange struct {
	*adapter.Base
	opts Options
	urls urls
	sig  *signer
	// streams is what the public streams keep between messages.
	streams streamState
	// account is what the account's streams keep (userdata.go).
	account accountState
}

// New returns the Bybit adapter. Config.URLs may override "rest", "spot",
// "linear", "inverse", "option", "private" and "trade"; Sandbox selects
// the testnet.
func New(cfg exchange.Config) (*Exchange, error) {
	opts, _ := cfg.Options.(Options)
	if len(opts.Categories) == 0 {
		opts.Categories = []string{CategorySpot, CategoryLinear, CategoryInverse, CategoryOption}
	}
	for _, c := range opts.Categories {
		switch c {
		case CategorySpot, CategoryLinear, CategoryInverse, CategoryOption:
		default:
			return nil, errors.Newf(errors.BadRequest, "bybit: unknown category "+strconv.Quote(c)+": want spot, linear, inverse or option")
		}
	}
	if len(opts.OptionBaseCoins) == 0 {
		opts.OptionBaseCoins = []string{"BTC", "ETH", "SOL"}
	}
	switch opts.BookDepth {
	case 0:
		opts.BookDepth = 200
	case 50, 200, 1000:
	default:
		return nil, errors.Newf(errors.BadRequest, "bybit: BookDepth "+strconv.Itoa(opts.BookDepth)+": want 50, 200 or 1000")
	}
	switch opts.OptionBookDepth {
	case 0:
		opts.OptionBookDepth = 100
	case 25, 100:
	default:
		return nil, errors.Newf(errors.BadRequest, "bybit: OptionBookDepth "+strconv.Itoa(opts.OptionBookDepth)+": want 25 or 100")
	}
	if opts.PingEvery <= 0 {
		opts.PingEvery = 20 * time.Second
	}
	u := liveURLs
	switch {
	case cfg.Sandbox:
		u = testURLs
	case opts.Demo:
		u = demoURLs
	}
	for key, dst := range map[string]*string{"rest": &u.rest, "spot": &u.spot, "linear": &u.linear,
		"inverse": &u.inverse, "option": &u.option, "private": &u.private, "trade": &u.trade} {
		if v := cfg.URLs[key]; v != "" {
			*dst = strings.TrimSuffix(v, "/")
		}
	}
	sig, err := newSigner(cfg.APIKey, cfg.Secret, opts.RecvWindow)
	if err != nil {
		return nil, err
	}
	x := &Exchange{opts: opts, urls: u, sig: sig}
	base, err := adapter.New(adapter.Spec{
		ID:       ID,
		Features: features(),
		Config:   cfg,
		LoadMarkets: func(ctx context.Context) ([]unified.Market, []unified.Currency, error) {
			ms, err := x.FetchMarkets(ctx)
			return ms, nil, err
		},
		REST: &rest.Config{
			BaseURLs:   map[string]string{apiGroup: u.rest},
			Sign:       sig.signREST,
			CheckError: checkError,
			Quota:      orderQuota,
			Quotas:     orderQuotaRate,
			ServerTime: func(ctx context.Context) (time.Time, error) { return x.FetchTime(ctx) },
			Retry:      opts.Retry,
		},
		Stream: x.withPrivate(x.streamSpec()),
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
		exchange.FeatureFetchTicker, exchange.FeatureFetchTickers, exchange.FeatureFetchOrderBook,
		exchange.FeatureFetchTrades, exchange.FeatureFetchOHLCV, exchange.FeatureFetchFundingRate,
		// The public streams (stream.go).
		exchange.FeatureWatchOrderBook, exchange.FeatureWatchOrderBookForSymbols, exchange.FeatureWatchTrades,
		exchange.FeatureWatchTradesForSymbols, exchange.FeatureWatchTicker, exchange.FeatureWatchTickers,
		exchange.FeatureWatchOHLCV, exchange.FeatureWatchBidsAsks, exchange.FeatureWatchFundingRate,
		exchange.FeatureWatchFundingRates, exchange.FeatureUnwatchOrderBook, exchange.FeatureUnwatchTrades,
		exchange.FeatureUnwatchTicker, exchange.FeatureUnwatchOHLCV, exchange.FeatureUnwatchBidsAsks,
		exchange.FeatureUnwatchFundingRate,
		// The account (private.go, userdata.go, wsapi.go).
		exchange.FeatureFetchBalance, exchange.FeatureCreateOrder, exchange.FeatureEditOrder, exchange.FeatureCancelOrder,
		exchange.FeatureCancelAllOrders, exchange.FeatureFetchOrder, exchange.FeatureFetchOrders, exchange.FeatureFetchOpenOrders,
		exchange.FeatureFetchClosedOrders, exchange.FeatureFetchMyTrades, exchange.FeatureFetchPositions, exchange.FeatureSetLeverage, exchange.FeatureFetchLeverage,
		exchange.FeatureWatchBalance, exchange.FeatureWatchOrders, exchange.FeatureWatchMyTrades, exchange.FeatureWatchPositions,
		exchange.FeatureCreateOrderWs, exchange.FeatureEditOrderWs, exchange.FeatureCancelOrderWs,
		// The wallet (wallet.go).
		exchange.FeatureFetchCurrencies, exchange.FeatureFetchDepositAddress, exchange.FeatureFetchDeposits,
		exchange.FeatureFetchWithdrawals, exchange.FeatureWithdraw,
	)
}
