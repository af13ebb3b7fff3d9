package binance

import (
	"time"

	"github.com/unifex-go/unifex/internal/rest"
	"github.com/unifex-go/unifex/orderbook"
)

// kind is a Binance product line.
type kind int

const (
	spot  kind = iota // binance: spot
	usdm              // binanceusdm: USDⓈ-M futures, settled in USDT or USDC
	coinm             // binancecoinm: COIN-M futures, settled in the base coin
)

// urls are the endpoints of one environment (Config.URLs keys).
type urls struct{ rest, stream, wsapi string }

// product describes one of the three ids: its endpoints, URLs and the
// rules that differ between spot and futures.
type product struct {
	id         string
	kind       kind
	group      string // the REST group (rest.Config.BaseURLs key)
	live, test urls
	// snapshotDepth is the deepest REST book (spot 5000, futures 1000).
	snapshotDepth int
	// book is the diff-depth continuity rule: spot bridges U..u to the
	// snapshot's lastUpdateId+1, futures chain pu to the previous u.
	book orderbook.Checker
	// serverPing is how often the server pings a stream connection.
	serverPing time.Duration
	// tradeStream is the public trade stream: spot "trade", futures
	// "aggTrade" (the futures docs list no raw trade stream).
	tradeStream string

	// The endpoints the unified methods call (api_gen.go).
	time, exchangeInfo, depth, trades, klines, ticker24h rest.Endpoint
	premiumIndex                                         rest.Endpoint // futures only
}

var products = map[kind]*product{
	spot: {
		id: "binance", kind: spot, group: "spot",
		live:          urls{"https://api.binance.com", "wss://stream.binance.com:9443", "wss://ws-api.binance.com:443/ws-api/v3"},
		test:          urls{"https://testnet.binance.vision", "wss://stream.testnet.binance.vision", "wss://ws-api.testnet.binance.vision/ws-api/v3"},
		snapshotDepth: 5000, serverPing: 20 * time.Second, book: orderbook.UpdateIDRange{}, tradeStream: "trade",
		time: spotGetTime, exchangeInfo: spotGetExchangeInfo, depth: spotGetDepth, trades: spotGetAggTrades,
		klines: spotGetKlines, ticker24h: spotGetTicker24hr,
	},
	usdm: {
		id: "binanceusdm", kind: usdm, group: "fapi",
		live:          urls{"https://fapi.binance.com", "wss://fstream.binance.com", "wss://ws-fapi.binance.com/ws-fapi/v1"},
		test:          urls{"https://testnet.binancefuture.com", "wss://fstream.binancefuture.com", "wss://testnet.binancefuture.com/ws-fapi/v1"},
		snapshotDepth: 1000, serverPing: 3 * time.Minute, book: orderbook.PrevFinalID{}, tradeStream: "aggTrade",
		time: fapiGetTime, exchangeInfo: fapiGetExchangeInfo, depth: fapiGetDepth, trades: fapiGetAggTrades,
		klines: fapiGetKlines, ticker24h: fapiGetTicker24hr, premiumIndex: fapiGetPremiumIndex,
	},
	coinm: {
		id: "binancecoinm", kind: coinm, group: "dapi",
		live:          urls{"https://dapi.binance.com", "wss://dstream.binance.com", "wss://ws-dapi.binance.com/ws-dapi/v1"},
		test:          urls{"https://testnet.binancefuture.com", "wss://dstream.binancefuture.com", "wss://testnet.binancefuture.com/ws-dapi/v1"},
		snapshotDepth: 1000, serverPing: 3 * time.Minute, book: orderbook.PrevFinalID{}, tradeStream: "aggTrade",
		time: dapiGetTime, exchangeInfo: dapiGetExchangeInfo, depth: dapiGetDepth, trades: dapiGetAggTrades,
		klines: dapiGetKlines, ticker24h: dapiGetTicker24hr, premiumIndex: dapiGetPremiumIndex,
	},
}

// streamPath is the combined-stream path of a public channel: USD-M splits
// its streams by kind since 2026 (depth and book tickers on /public, the
// rest on /market); spot and COIN-M have one endpoint.
func (p *product) streamPath(route string) string {
	if p.kind == usdm {
		return "/" + route + "/stream"
	}
	return "/stream"
}
