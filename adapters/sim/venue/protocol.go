package venue

import "time"

// The venue's protocol, which the sim adapter speaks.
//
// REST, under /api/v1, answers JSON. Numbers that are prices, amounts or
// money are decimal strings; times are Unix milliseconds.
//
//	GET  /time                                     {"serverTime":ms}
//	GET  /markets                                  [market]
//	GET  /currencies                               [currency]
//	GET  /ticker?market=ID                         ticker
//	GET  /tickers                                  [ticker]
//	GET  /depth?market=ID&limit=N                  {"market","seq","ts","bids":[[p,a]],"asks":[[p,a]]}
//	GET  /trades?market=ID&limit=N                 [trade], oldest first
//	GET  /klines?market=ID&interval=1m&start=ms&end=ms&limit=N
//	                                               [[openMs,"o","h","l","c","volume"]], oldest first
//	GET  /funding?market=ID                        funding
//
// Signed requests (everything under /api/v1/private) carry the API key in
// the KeyHeader header and, as their last two query parameters, "ts" (the
// client's clock, ms) and "sig": the hex HMAC-SHA256, keyed with the
// secret, of "METHOD\n/escaped/path\nquery-before-sig". A timestamp more
// than RecvWindow from the venue's clock is refused.
//
//	GET    /private/balance                        {"ts":ms,"balances":[{"asset","free","locked"}]}
//	POST   /private/order?market&side&type&amount[&price][&tif][&postOnly][&reduceOnly][&clientId]
//	                                               order
//	PUT    /private/order?id&market[&price][&amount]   order (amended, same id)
//	DELETE /private/order?id&market                order
//	DELETE /private/orders[?market]                [order] (those canceled)
//	GET    /private/order?id                       order
//	GET    /private/orders?status=open|closed|all[&market][&since][&limit]
//	                                               [order], oldest first
//	GET    /private/fills[?market][&since][&limit] [fill], oldest first
//	GET    /private/positions                      [position]
//	POST   /private/leverage?market&leverage       {"market","leverage"}
//	GET    /private/leverage?market                {"market","leverage"}
//
// Errors are {"code":n,"msg":text} with a 4xx status (see the code
// constants); a 503 with a maintenance page means what it says.
//
// WebSocket: one endpoint. Client requests carry an id that the reply
// echoes as "ack":
//
//	{"op":"ping"}                                  -> {"op":"pong"}
//	{"op":"login","id":n,"key":k,"ts":ms,"sig":hex HMAC-SHA256 of "login\n"+ts}
//	{"op":"sub"|"unsub","id":n,"args":[channel...]}
//	{"op":"order.create","id":n,"order":{"market","side","type","amount","price","tif","postOnly","reduceOnly","clientId"}}
//	{"op":"order.amend","id":n,"order":{"id","market"[,"price"][,"amount"]}}   as PUT /private/order
//	{"op":"order.cancel","id":n,"order":{"id","market"}}
//	                                               -> {"ack":n} | {"ack":n,"data":order} | {"ack":n,"error":{"code","msg"}}
//
// Channels: "book:ID" (a snapshot, then deltas whose "prev" is the
// previous "seq"; "cs" is the CRC-32 of the top 25 levels interleaved as
// "bidPx:bidSz:askPx:askSz:..." in wire text, as a signed 32-bit number),
// "trades:ID", "ticker:ID", "ohlcv:TF:ID", "bbo:ID" (the best bid and ask
// with their sizes, "seq" being the book's), "funding:ID" (a perpetual's
// funding, as GET /funding answers; published when any value but "ts"
// changes); after login "orders", "fills", "balance" and "positions". A
// subscription to "bbo" or "funding" is answered with the current value.
// Pushes are {"ch":channel,...}:
//
//	{"ch":"book:ID","type":"snapshot"|"delta","seq":n,"prev":n,"ts":ms,"bids":[[p,a]],"asks":[[p,a]],"cs":n}
//	{"ch":"trades:ID","data":[trade]}
//	{"ch":"ticker:ID","data":ticker}
//	{"ch":"bbo:ID","data":bbo}        {"ch":"funding:ID","data":funding}
//	{"ch":"ohlcv:TF:ID","data":[[openMs,"o","h","l","c","volume"]]}
//	{"ch":"orders","data":[order]}    {"ch":"fills","data":[fill]}
//	{"ch":"balance","data":balance}   {"ch":"positions","data":[position]}
const (
	// KeyHeader carries the API key of a signed request.
	KeyHeader = "X-Sim-Apikey"
	// RecvWindow is how far a signed request's timestamp may be from the
	// venue's clock.
	RecvWindow = 5 * time.Second
	// MaxLimit caps list replies (trades, klines, orders, fills).
	MaxLimit = 1000
)

// The venue's error codes.
const (
	CodeUnknownKey      = 1001 // 401
	CodeBadSignature    = 1002 // 401
	CodeTimestamp       = 1003 // 400: outside RecvWindow
	CodeKeyExpired      = 1004 // 401
	CodeLoginFirst      = 1005 // a private channel or order before login
	CodeBadRequest      = 1006 // a malformed or missing parameter
	CodeNoFunds         = 2001
	CodeNoOrder         = 2002
	CodeBadOrder        = 2003 // invalid type, side, time in force or combination
	CodeBadMarket       = 2004
	CodeNotOpen         = 2005 // cancel or amend of an order that is no longer open
	CodeWouldTake       = 2006 // a post-only order that would trade at once
	CodeReduceOnly      = 2007 // a reduce-only order that would not reduce the position
	CodePrecision       = 2008 // a price off the tick or an amount off the lot
	CodeBelowMinimum    = 2009 // amount or value below the market's minimum
	CodeDuplicateClient = 2010 // a client order id already in use
	CodeUnsupported     = 2011 // a feature the venue lacks (trigger orders)
	CodeBadLeverage     = 2012
)

// apiError is an error reply.
type apiError struct {
	Code int    `json:"code"`
	Msg  string `json:"msg"`
}

// The venue's order states.
const (
	StateNew      = "new"
	StatePartial  = "partially_filled"
	StateFilled   = "filled"
	StateCanceled = "canceled"
	StateExpired  = "expired" // a fill-or-kill order that could not fill
)

// wireOrder is an order on the wire.
type wireOrder struct {
	ID         string `json:"id"`
	ClientID   string `json:"clientId,omitempty"`
	Market     string `json:"market"`
	Side       string `json:"side"`
	Type       string `json:"type"`
	TIF        string `json:"tif"`
	PostOnly   bool   `json:"postOnly"`
	ReduceOnly bool   `json:"reduceOnly"`
	Price      string `json:"price,omitempty"`
	Amount     string `json:"amount"`
	Filled     string `json:"filled"`
	Cost       string `json:"cost"`
	Fee        string `json:"fee"`
	FeeAsset   string `json:"feeAsset"`
	Status     string `json:"status"`
	Created    int64  `json:"created"`
	Updated    int64  `json:"updated"`
}

// wireFill is one of the account's fills.
type wireFill struct {
	ID        string `json:"id"`
	OrderID   string `json:"orderId"`
	Market    string `json:"market"`
	Side      string `json:"side"`
	Price     string `json:"price"`
	Amount    string `json:"amount"`
	Fee       string `json:"fee"`
	FeeAsset  string `json:"feeAsset"`
	Liquidity string `json:"liquidity"` // "maker" or "taker"
	TS        int64  `json:"ts"`
}

// wireTrade is a public trade.
type wireTrade struct {
	ID     string `json:"id"`
	Price  string `json:"price"`
	Amount string `json:"amount"`
	Side   string `json:"side"` // the taker's
	TS     int64  `json:"ts"`
}

// wireBalance is the account's balance.
type wireBalance struct {
	TS       int64       `json:"ts"`
	Balances []wireAsset `json:"balances"`
}

type wireAsset struct {
	Asset  string `json:"asset"`
	Free   string `json:"free"`
	Locked string `json:"locked"`
}

// wirePosition is a perpetual position; Size is signed (negative: short).
type wirePosition struct {
	Market     string `json:"market"`
	Size       string `json:"size"`
	Entry      string `json:"entry"`
	Mark       string `json:"mark"`
	Leverage   int64  `json:"leverage"`
	Margin     string `json:"margin"`
	Unrealized string `json:"unrealized"`
	Realized   string `json:"realized"`
	Updated    int64  `json:"updated"`
}

// wireTicker is a market's 24-hour statistics and top of book.
type wireTicker struct {
	Market      string `json:"market"`
	TS          int64  `json:"ts"`
	Last        string `json:"last"`
	Open        string `json:"open"`
	High        string `json:"high"`
	Low         string `json:"low"`
	Volume      string `json:"volume"`
	QuoteVolume string `json:"quoteVolume"`
	Bid         string `json:"bid,omitempty"`
	BidSize     string `json:"bidSize,omitempty"`
	Ask         string `json:"ask,omitempty"`
	AskSize     string `json:"askSize,omitempty"`
	Mark        string `json:"mark,omitempty"`
	Index       string `json:"index,omitempty"`
}

// wireMarket describes a market.
type wireMarket struct {
	ID          string `json:"id"`
	Base        string `json:"base"`
	Quote       string `json:"quote"`
	Settle      string `json:"settle,omitempty"`
	Type        string `json:"type"` // "spot" or "perp"
	Tick        string `json:"tick"`
	Lot         string `json:"lot"`
	MinAmount   string `json:"minAmount"`
	MinNotional string `json:"minNotional"`
	Maker       string `json:"maker"`
	Taker       string `json:"taker"`
	MaxLeverage int64  `json:"maxLeverage,omitempty"`
}

// wireCurrency describes a currency.
type wireCurrency struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Decimals int32  `json:"decimals"`
}

// wireBBO is a market's best bid and ask; an empty side has no fields.
type wireBBO struct {
	Market  string `json:"market"`
	TS      int64  `json:"ts"`
	Seq     int64  `json:"seq"`
	Bid     string `json:"bid,omitempty"`
	BidSize string `json:"bidSize,omitempty"`
	Ask     string `json:"ask,omitempty"`
	AskSize string `json:"askSize,omitempty"`
}

// wireFunding is a perpetual's funding.
type wireFunding struct {
	Market      string `json:"market"`
	TS          int64  `json:"ts"`
	Rate        string `json:"rate"`
	FundingTime int64  `json:"fundingTime"`
	PrevRate    string `json:"prevRate,omitempty"`
	PrevTime    int64  `json:"prevTime,omitempty"`
	Mark        string `json:"mark"`
	Index       string `json:"index"`
	Interval    string `json:"interval"`
}
