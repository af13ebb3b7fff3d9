package binancetest

import (
	"net/url"
	"time"
)

// exchangeInfo: the trading rules of every market, as each product
// reports them. Order types list only what the fake simulates.

type rateLimit struct {
	Type        string `json:"rateLimitType"`
	Interval    string `json:"interval"`
	IntervalNum int    `json:"intervalNum"`
	Limit       int    `json:"limit"`
}

type exchangeInfoReply struct {
	Timezone        string      `json:"timezone"`
	ServerTime      int64       `json:"serverTime"`
	FuturesType     string      `json:"futuresType,omitempty"`
	RateLimits      []rateLimit `json:"rateLimits"`
	ExchangeFilters []any       `json:"exchangeFilters"`
	Assets          []any       `json:"assets,omitempty"`
	Symbols         []any       `json:"symbols"`
}

// spotSymbol is a spot market in exchangeInfo.
type spotSymbol struct {
	Symbol                     string     `json:"symbol"`
	Status                     string     `json:"status"`
	BaseAsset                  string     `json:"baseAsset"`
	BaseAssetPrecision         int        `json:"baseAssetPrecision"`
	QuoteAsset                 string     `json:"quoteAsset"`
	QuotePrecision             int        `json:"quotePrecision"`
	QuoteAssetPrecision        int        `json:"quoteAssetPrecision"`
	BaseCommissionPrecision    int        `json:"baseCommissionPrecision"`
	QuoteCommissionPrecision   int        `json:"quoteCommissionPrecision"`
	OrderTypes                 []string   `json:"orderTypes"`
	IcebergAllowed             bool       `json:"icebergAllowed"`
	OcoAllowed                 bool       `json:"ocoAllowed"`
	OtoAllowed                 bool       `json:"otoAllowed"`
	OpoAllowed                 bool       `json:"opoAllowed"`
	QuoteOrderQtyMarketAllowed bool       `json:"quoteOrderQtyMarketAllowed"`
	AllowTrailingStop          bool       `json:"allowTrailingStop"`
	CancelReplaceAllowed       bool       `json:"cancelReplaceAllowed"`
	AmendAllowed               bool       `json:"amendAllowed"`
	PegInstructionsAllowed     bool       `json:"pegInstructionsAllowed"`
	IsSpotTradingAllowed       bool       `json:"isSpotTradingAllowed"`
	IsMarginTradingAllowed     bool       `json:"isMarginTradingAllowed"`
	Filters                    []any      `json:"filters"`
	Permissions                []string   `json:"permissions"`
	PermissionSets             [][]string `json:"permissionSets"`
	DefaultSTPMode             string     `json:"defaultSelfTradePreventionMode"`
	AllowedSTPModes            []string   `json:"allowedSelfTradePreventionModes"`
}

// futuresSymbol is a USD-M or COIN-M contract in exchangeInfo (COIN-M has
// contractStatus and contractSize where USD-M has status).
type futuresSymbol struct {
	Symbol                string   `json:"symbol"`
	Pair                  string   `json:"pair"`
	ContractType          string   `json:"contractType"`
	DeliveryDate          int64    `json:"deliveryDate"`
	OnboardDate           int64    `json:"onboardDate"`
	Status                string   `json:"status,omitempty"`
	ContractStatus        string   `json:"contractStatus,omitempty"`
	ContractSize          int64    `json:"contractSize,omitempty"`
	MaintMarginPercent    string   `json:"maintMarginPercent"`
	RequiredMarginPercent string   `json:"requiredMarginPercent"`
	BaseAsset             string   `json:"baseAsset"`
	QuoteAsset            string   `json:"quoteAsset"`
	MarginAsset           string   `json:"marginAsset"`
	PricePrecision        int      `json:"pricePrecision"`
	QuantityPrecision     int      `json:"quantityPrecision"`
	BaseAssetPrecision    int      `json:"baseAssetPrecision"`
	QuotePrecision        int      `json:"quotePrecision"`
	EqualQtyPrecision     int      `json:"equalQtyPrecision,omitempty"`
	UnderlyingType        string   `json:"underlyingType"`
	UnderlyingSubType     []string `json:"underlyingSubType"`
	TriggerProtect        string   `json:"triggerProtect"`
	LiquidationFee        string   `json:"liquidationFee"`
	MarketTakeBound       string   `json:"marketTakeBound"`
	Filters               []any    `json:"filters"`
	OrderTypes            []string `json:"orderTypes"`
	TimeInForce           []string `json:"timeInForce"`
}

func (s *Server) restExchangeInfo(q url.Values, now time.Time) (any, *apiError) {
	markets := s.markets
	if q.Get("symbol") != "" {
		m, e := s.symbolParam(q)
		if e != nil {
			return nil, e
		}
		markets = []*market{m}
	} else if s.cfg.Product == Spot {
		ms, e := s.symbolsParam(q)
		if e != nil {
			return nil, e
		}
		markets = ms
	}
	reply := exchangeInfoReply{Timezone: "UTC", ServerTime: now.UnixMilli(), ExchangeFilters: []any{}, Symbols: []any{}}
	switch s.cfg.Product {
	case Spot:
		reply.RateLimits = []rateLimit{{"REQUEST_WEIGHT", "MINUTE", 1, 6000}, {"ORDERS", "SECOND", 10, 50},
			{"ORDERS", "DAY", 1, 160000}, {"RAW_REQUESTS", "MINUTE", 5, 61000}}
	case USDM:
		reply.FuturesType = "U_MARGINED"
		reply.RateLimits = []rateLimit{{"REQUEST_WEIGHT", "MINUTE", 1, 2400}, {"ORDERS", "MINUTE", 1, 1200}, {"ORDERS", "SECOND", 10, 300}}
		reply.Assets = []any{map[string]any{"asset": "USDT", "marginAvailable": true, "autoAssetExchange": "-10000"},
			map[string]any{"asset": "USDC", "marginAvailable": true, "autoAssetExchange": "-10000"}}
	case COINM:
		reply.RateLimits = []rateLimit{{"REQUEST_WEIGHT", "MINUTE", 1, 2400}, {"ORDERS", "MINUTE", 1, 1200}}
	}
	for _, m := range markets {
		if s.cfg.Product == Spot {
			reply.Symbols = append(reply.Symbols, spotSymbolOf(m))
		} else {
			reply.Symbols = append(reply.Symbols, s.futuresSymbolOf(m))
		}
	}
	return reply, nil
}

func spotSymbolOf(m *market) spotSymbol {
	return spotSymbol{Symbol: m.id, Status: "TRADING", BaseAsset: m.base, BaseAssetPrecision: 8, QuoteAsset: m.quote,
		QuotePrecision: 8, QuoteAssetPrecision: 8, BaseCommissionPrecision: 8, QuoteCommissionPrecision: 8,
		OrderTypes: []string{"LIMIT", "LIMIT_MAKER", "MARKET"}, QuoteOrderQtyMarketAllowed: true, IsSpotTradingAllowed: true,
		CancelReplaceAllowed: true, AmendAllowed: true,
		Filters: []any{
			map[string]any{"filterType": "PRICE_FILTER", "minPrice": m.fmtPrice(m.tick), "maxPrice": m.fmtPrice(m.maxPrice), "tickSize": m.fmtPrice(m.tick)},
			map[string]any{"filterType": "LOT_SIZE", "minQty": m.fmtQty(m.minQty), "maxQty": m.fmtQty(m.maxQty), "stepSize": m.fmtQty(m.step)},
			map[string]any{"filterType": "MARKET_LOT_SIZE", "minQty": m.fmtQty(0), "maxQty": m.fmtQty(m.marketMaxQty), "stepSize": m.fmtQty(0)},
			map[string]any{"filterType": "NOTIONAL", "minNotional": decString(m.minNotional, 8), "applyMinToMarket": true,
				"maxNotional": "9000000.00000000", "applyMaxToMarket": false, "avgPriceMins": 5},
			map[string]any{"filterType": "MAX_NUM_ORDERS", "maxNumOrders": maxOpenOrders},
		},
		Permissions: []string{}, PermissionSets: [][]string{{"SPOT"}}, DefaultSTPMode: "NONE", AllowedSTPModes: []string{"NONE"}}
}

func (s *Server) futuresSymbolOf(m *market) futuresSymbol {
	fs := futuresSymbol{Symbol: m.id, Pair: m.pair, ContractType: m.contractType, DeliveryDate: m.deliveryMillis(),
		OnboardDate: 1569398400000, MaintMarginPercent: "2.5000", RequiredMarginPercent: "5.0000", BaseAsset: m.base,
		QuoteAsset: m.quote, MarginAsset: m.marginAsset(), PricePrecision: m.priceDec, QuantityPrecision: m.qtyDec,
		BaseAssetPrecision: 8, QuotePrecision: 8, UnderlyingType: "COIN", UnderlyingSubType: []string{},
		TriggerProtect: "0.0500", LiquidationFee: "0.012500", MarketTakeBound: "0.05",
		OrderTypes: []string{"LIMIT", "MARKET"}, TimeInForce: []string{"GTC", "IOC", "FOK", "GTX"}}
	filters := []any{
		map[string]any{"filterType": "PRICE_FILTER", "minPrice": m.fmtPrice(m.tick), "maxPrice": m.fmtPrice(m.maxPrice), "tickSize": m.fmtPrice(m.tick)},
		map[string]any{"filterType": "LOT_SIZE", "stepSize": m.fmtQty(m.step), "maxQty": m.fmtQty(m.maxQty), "minQty": m.fmtQty(m.minQty)},
		map[string]any{"filterType": "MARKET_LOT_SIZE", "stepSize": m.fmtQty(m.step), "maxQty": m.fmtQty(m.marketMaxQty), "minQty": m.fmtQty(m.minQty)},
		map[string]any{"filterType": "MAX_NUM_ORDERS", "limit": maxOpenOrders},
	}
	if s.cfg.Product == USDM {
		fs.Status = "TRADING"
		fs.TimeInForce = append(fs.TimeInForce, "GTD")
		filters = append(filters, map[string]any{"filterType": "MIN_NOTIONAL", "notional": m.minNotional.String()})
	} else {
		fs.ContractStatus, fs.ContractSize, fs.EqualQtyPrecision = "TRADING", m.contractSize, 4
	}
	fs.Filters = filters
	return fs
}
