package exchange

// Feature names one unified method, so that a caller can ask an exchange
// whether it supports it before calling (CCXT's has).
type Feature int

// The features, one per unified method. Their String is CCXT's method name.
const (
	FeatureLoadMarkets Feature = iota + 1
	FeatureFetchMarkets
	FeatureFetchCurrencies
	FeatureFetchTime
	FeatureFetchTicker
	FeatureFetchTickers
	FeatureFetchOrderBook
	FeatureFetchTrades
	FeatureFetchOHLCV
	FeatureFetchFundingRate
	FeatureCreateOrder
	FeatureEditOrder
	FeatureCancelOrder
	FeatureCancelAllOrders
	FeatureFetchOrder
	FeatureFetchOrders
	FeatureFetchOpenOrders
	FeatureFetchClosedOrders
	FeatureFetchMyTrades
	FeatureCreateOrderWs
	FeatureEditOrderWs
	FeatureCancelOrderWs
	FeatureFetchBalance
	FeatureFetchPositions
	FeatureSetLeverage
	FeatureFetchLeverage
	FeatureFetchLedger
	FeatureFetchDepositAddress
	FeatureFetchDeposits
	FeatureFetchWithdrawals
	FeatureWithdraw
	FeatureWatchOrderBook
	FeatureWatchOrderBookForSymbols
	FeatureWatchTrades
	FeatureWatchTradesForSymbols
	FeatureWatchTicker
	FeatureWatchTickers
	FeatureWatchBidsAsks
	FeatureWatchOHLCV
	FeatureWatchFundingRate
	FeatureWatchFundingRates
	FeatureWatchBalance
	FeatureWatchOrders
	FeatureWatchMyTrades
	FeatureWatchPositions
	FeatureUnwatchOrderBook
	FeatureUnwatchTrades
	FeatureUnwatchTicker
	FeatureUnwatchOHLCV
	FeatureUnwatchBidsAsks
	FeatureUnwatchFundingRate
	featureEnd
)

var featureNames = [...]string{
	FeatureLoadMarkets:              "loadMarkets",
	FeatureFetchMarkets:             "fetchMarkets",
	FeatureFetchCurrencies:          "fetchCurrencies",
	FeatureFetchTime:                "fetchTime",
	FeatureFetchTicker:              "fetchTicker",
	FeatureFetchTickers:             "fetchTickers",
	FeatureFetchOrderBook:           "fetchOrderBook",
	FeatureFetchTrades:              "fetchTrades",
	FeatureFetchOHLCV:               "fetchOHLCV",
	FeatureFetchFundingRate:         "fetchFundingRate",
	FeatureCreateOrder:              "createOrder",
	FeatureEditOrder:                "editOrder",
	FeatureCancelOrder:              "cancelOrder",
	FeatureCancelAllOrders:          "cancelAllOrders",
	FeatureFetchOrder:               "fetchOrder",
	FeatureFetchOrders:              "fetchOrders",
	FeatureFetchOpenOrders:          "fetchOpenOrders",
	FeatureFetchClosedOrders:        "fetchClosedOrders",
	FeatureFetchMyTrades:            "fetchMyTrades",
	FeatureCreateOrderWs:            "createOrderWs",
	FeatureEditOrderWs:              "editOrderWs",
	FeatureCancelOrderWs:            "cancelOrderWs",
	FeatureFetchBalance:             "fetchBalance",
	FeatureFetchPositions:           "fetchPositions",
	FeatureSetLeverage:              "setLeverage",
	FeatureFetchLeverage:            "fetchLeverage",
	FeatureFetchLedger:              "fetchLedger",
	FeatureFetchDepositAddress:      "fetchDepositAddress",
	FeatureFetchDeposits:            "fetchDeposits",
	FeatureFetchWithdrawals:         "fetchWithdrawals",
	FeatureWithdraw:                 "withdraw",
	FeatureWatchOrderBook:           "watchOrderBook",
	FeatureWatchOrderBookForSymbols: "watchOrderBookForSymbols",
	FeatureWatchTrades:              "watchTrades",
	FeatureWatchTradesForSymbols:    "watchTradesForSymbols",
	FeatureWatchTicker:              "watchTicker",
	FeatureWatchTickers:             "watchTickers",
	FeatureWatchBidsAsks:            "watchBidsAsks",
	FeatureWatchOHLCV:               "watchOHLCV",
	FeatureWatchFundingRate:         "watchFundingRate",
	FeatureWatchFundingRates:        "watchFundingRates",
	FeatureWatchBalance:             "watchBalance",
	FeatureWatchOrders:              "watchOrders",
	FeatureWatchMyTrades:            "watchMyTrades",
	FeatureWatchPositions:           "watchPositions",
	FeatureUnwatchOrderBook:         "unWatchOrderBook",
	FeatureUnwatchTrades:            "unWatchTrades",
	FeatureUnwatchTicker:            "unWatchTicker",
	FeatureUnwatchOHLCV:             "unWatchOHLCV",
	FeatureUnwatchBidsAsks:          "unWatchBidsAsks",
	FeatureUnwatchFundingRate:       "unWatchFundingRate",
}

// String returns CCXT's name of the method, for example "watchOrderBook".
func (f Feature) String() string {
	if f > 0 && f < featureEnd {
		return featureNames[f]
	}
	return "unknown"
}

// FeatureByName returns the feature CCXT calls name (for example
// "fetchOHLCV"), so that code ported from CCXT can keep its has[...] checks.
func FeatureByName(name string) (Feature, bool) {
	for f := Feature(1); f < featureEnd; f++ {
		if featureNames[f] == name {
			return f, true
		}
	}
	return 0, false
}

// AllFeatures lists every feature in declaration order.
func AllFeatures() []Feature {
	out := make([]Feature, 0, featureEnd-1)
	for f := Feature(1); f < featureEnd; f++ {
		out = append(out, f)
	}
	return out
}

// Features is a set of features. The zero value is empty.
type Features struct {
	bits [(featureEnd + 63) / 64]uint64
}

// NewFeatures returns the set holding fs.
func NewFeatures(fs ...Feature) Features {
	var s Features
	for _, f := range fs {
		if f > 0 && f < featureEnd {
			s.bits[f/64] |= 1 << (f % 64)
		}
	}
	return s
}

// Has reports whether f is in the set.
func (s Features) Has(f Feature) bool {
	return f > 0 && f < featureEnd && s.bits[f/64]&(1<<(f%64)) != 0
}

// List returns the set's features in declaration order.
func (s Features) List() []Feature {
	var out []Feature
	for f := Feature(1); f < featureEnd; f++ {
		if s.Has(f) {
			out = append(out, f)
		}
	}
	return out
}
