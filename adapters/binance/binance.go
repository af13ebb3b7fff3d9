package binance

import (
	"context"
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

// The adapter ids.
const (
	IDSpot  = "binance"
	IDUSDM  = "binanceusdm"
	IDCOINM = "binancecoinm"
)

func init() {
	exchange.Register(IDSpot, func(cfg exchange.Config) (exchange.Exchange, error) { return New(IDSpot, cfg) })
	exchange.Register(IDUSDM, func(cfg exchange.Config) (exchange.Exchange, error) { return New(IDUSDM, cfg) })
	exchange.Register(IDCOINM, func(cfg exchange.Config) (exchange.Exchange, error) { return New(IDCOINM, cfg) })
}

// Options are the adapter's own options (Config.Options).
type Options struct {
	// DepthInterval is the depth streams' update speed (diff and partial):
	// "100ms" (default), "500ms" (futures only), or "slow" for the plain
	// stream (1000 ms on spot, 250 ms on futures).
	DepthInterval string
	// StreamsPerConnection caps the subscriptions of one market-data
	// connection (default 200; Binance allows 1024, older documents and
	// CCXT 200).
	StreamsPerConnection int
	// ServerPing is how often the venue pings a stream connection (default
	// 20 s on spot, 3 min on futures); three intervals of silence mean a
	// dead link. Tests against a fake venue shorten it.
	ServerPing time.Duration
	// RecvWindow is how long after its timestamp a signed request stays
	// valid (default 5 s, at most 60 s).
	RecvWindow time.Duration
	// Retry bounds REST retries (the transport's defaults when zero).
	Retry rest.RetryPolicy
	// VerifyBookEvery, when positive, re-checks every watched full book
	// this often against a fresh REST snapshot brought to the same update
	// (Binance's stream has no checksum); a book that differs fails its
	// readers with errors.ChecksumError and resyncs. Each check costs one
	// depth request of the snapshot size (spot 5000 levels: weight 250;
	// futures 1000: weight 20).
	// 0 (default): never.
	VerifyBookEvery time.Duration
}

// Exchange is one of the three Binance adapters.
type Exchange struct {
	*adapter.Base
	p     *product
	opts  Options
	sig   *signer
	reqID atomic.Int64 // of WebSocket control requests
	// account is what the account's streams keep between messages.
	account accountState
	// streamIDs resolves stream names to markets without allocating.
	streamIDs atomic.Pointer[streamIDs]
}

// New returns the adapter of id ("binance", "binanceusdm" or
// "binancecoinm"). Config.URLs may override "rest", "stream" and "wsapi";
// Sandbox selects the testnet.
func New(id string, cfg exchange.Config) (*Exchange, error) {
	var p *product
	for _, candidate := range products {
		if candidate.id == id {
			p = candidate
		}
	}
	if p == nil {
		return nil, errors.Newf(errors.NotSupported, "no Binance product "+id)
	}
	opts, _ := cfg.Options.(Options)
	switch opts.DepthInterval {
	case "":
		opts.DepthInterval = "100ms"
	case "100ms", "slow":
	case "500ms":
		if p.kind == spot {
			return nil, errors.Newf(errors.BadRequest, "binance spot depth streams update every 100ms or 1000ms (\"slow\"), not 500ms")
		}
	default:
		return nil, errors.Newf(errors.BadRequest, "unknown DepthInterval "+strconv.Quote(opts.DepthInterval)+": want \"100ms\", \"500ms\" (futures) or \"slow\"")
	}
	if opts.StreamsPerConnection <= 0 {
		opts.StreamsPerConnection = 200
	}
	if opts.ServerPing <= 0 {
		opts.ServerPing = p.serverPing
	}
	u := p.live
	if cfg.Sandbox {
		u = p.test
	}
	for key, dst := range map[string]*string{"rest": &u.rest, "stream": &u.stream, "wsapi": &u.wsapi} {
		if v := cfg.URLs[key]; v != "" {
			*dst = strings.TrimSuffix(v, "/")
		}
	}
	sig, err := newSigner(cfg.APIKey, cfg.Secret, opts.RecvWindow)
	if err != nil {
		return nil, err
	}
	x := &Exchange{p: p, opts: opts, sig: sig}
	groups := map[string]string{p.group: u.rest}
	if p.kind == spot {
		groups["sapi"] = u.rest // the wallet endpoints share the spot host
	}
	base, err := adapter.New(adapter.Spec{
		ID:       p.id,
		Features: featuresOf(p),
		Config:   cfg,
		LoadMarkets: func(ctx context.Context) ([]unified.Market, []unified.Currency, error) {
			ms, err := x.FetchMarkets(ctx)
			return ms, nil, err
		},
		REST: &rest.Config{
			BaseURLs:   groups,
			Sign:       sig.signREST,
			CheckError: checkError,
			Weight:     weightOf,
			ServerTime: func(ctx context.Context) (time.Time, error) { return x.FetchTime(ctx) },
			Retry:      opts.Retry,
		},
		Stream: x.streamSpec(u.stream, u.wsapi),
	})
	if err != nil {
		return nil, err
	}
	x.Base = base
	return x, nil
}

// Raw reaches every endpoint of api.json, for what the unified methods do
// not cover.
func (x *Exchange) Raw() Raw { return Raw{client: x.REST()} }

// featuresOf lists the unified methods implemented so far for p.
func featuresOf(p *product) exchange.Features {
	fs := []exchange.Feature{
		exchange.FeatureLoadMarkets, exchange.FeatureFetchMarkets, exchange.FeatureFetchTime,
		exchange.FeatureFetchTicker, exchange.FeatureFetchTickers, exchange.FeatureFetchOrderBook, exchange.FeatureFetchTrades,
		exchange.FeatureFetchOHLCV,
		exchange.FeatureWatchOrderBook, exchange.FeatureWatchOrderBookForSymbols, exchange.FeatureWatchTrades,
		exchange.FeatureWatchTradesForSymbols, exchange.FeatureWatchTicker, exchange.FeatureWatchTickers, exchange.FeatureWatchOHLCV,
		exchange.FeatureUnwatchOrderBook, exchange.FeatureUnwatchTrades, exchange.FeatureUnwatchTicker, exchange.FeatureUnwatchOHLCV,
	}
	// The private REST side (private.go).
	fs = append(fs, exchange.FeatureFetchBalance, exchange.FeatureCreateOrder, exchange.FeatureEditOrder,
		exchange.FeatureCancelOrder, exchange.FeatureCancelAllOrders, exchange.FeatureFetchOrder, exchange.FeatureFetchOrders,
		exchange.FeatureFetchOpenOrders, exchange.FeatureFetchClosedOrders, exchange.FeatureFetchMyTrades)
	// The best bids and asks, and the mark price with funding (tickers_ws.go).
	fs = append(fs, tickerFeatures(p)...)
	// The account's streams (userdata.go) and order entry over the
	// WebSocket API (wsapi.go; edits in edit.go).
	fs = append(fs, exchange.FeatureWatchBalance, exchange.FeatureWatchOrders, exchange.FeatureWatchMyTrades,
		exchange.FeatureCreateOrderWs, exchange.FeatureEditOrderWs, exchange.FeatureCancelOrderWs)
	if p.kind == spot {
		// The wallet (wallet.go): the account's, so spot only.
		fs = append(fs, exchange.FeatureFetchCurrencies, exchange.FeatureFetchDepositAddress, exchange.FeatureFetchDeposits,
			exchange.FeatureFetchWithdrawals, exchange.FeatureWithdraw)
	} else {
		fs = append(fs, exchange.FeatureFetchFundingRate, exchange.FeatureFetchPositions, exchange.FeatureSetLeverage, exchange.FeatureFetchLeverage,
			exchange.FeatureWatchPositions)
	}
	return exchange.NewFeatures(fs...)
}
