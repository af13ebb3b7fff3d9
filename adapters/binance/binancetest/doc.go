// Package binancetest is a fake Binance, like net/http/httptest: a
// loopback server for one product line — Spot ("binance"), USDM
// ("binanceusdm") or COINM ("binancecoinm") — that speaks Binance's
// documented protocol to the adapter under test, keeps an authoritative
// book per symbol that every delivered book can be checked against, and
// injects faults on demand. It implements the exchangetest interfaces
// (Venue, Faults, PrivateVenue, RESTFaults, AuthFaults).
//
//	s := binancetest.Start(binancetest.Config{Product: binancetest.USDM, History: 4096})
//	defer s.Close()
//	cfg.URLs = s.URLs() // "rest", "stream", "wsapi"
//	cfg.APIKey, cfg.Secret = binancetest.TestAPIKey, binancetest.TestSecret
//
// # What it serves
//
// REST at URLs()["rest"]: /api/v3 (spot), /fapi/v1 with /fapi/v2 and
// /fapi/v3 for balance, account and positionRisk (USD-M), /dapi/v1
// (COIN-M) — ping, time, exchangeInfo, depth, trades, aggTrades, klines,
// ticker/24hr, ticker/bookTicker, ticker/price, premiumIndex (futures);
// signed: order (POST, DELETE, GET; futures PUT modifies), spot
// order/amend/keepPriority and order/cancelReplace, openOrders, allOrders,
// myTrades or userTrades, account, balance, positionRisk, leverage,
// symbolConfig (USD-M: symbolconfig.go),
// cancel-all; and
// the futures listenKey (POST, PUT, DELETE). Every reply carries
// X-MBX-USED-WEIGHT-1M; errors have Binance's shape and codes.
//
// Market streams at URLs()["stream"]: spot /ws[/<stream>] and
// /stream[?streams=]; USD-M /public/... (depth and bookTicker),
// /market/... (the other streams) and /private/ws?listenKey= (also
// /private/ws/<listenKey> and /private/stream); COIN-M /ws[/<stream or
// listenKey>] and /stream. Live SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS,
// SET_PROPERTY and GET_PROPERTY; streams <s>@depth[@100ms|@250ms|@500ms],
// <s>@depth<5|10|20>[...], <s>@trade (spot), <s>@aggTrade, <s>@ticker,
// <s>@bookTicker, <s>@kline_<i>, <s>@markPrice[@1s] (futures). A stream a
// route does not carry is refused with {"error":{"code":2,"msg":"Invalid
// request: invalid stream"},"id":n}.
//
// The WebSocket API at URLs()["wsapi"] (spot /ws-api/v3, USD-M
// /ws-fapi/v1, COIN-M /ws-dapi/v1): order.place, order.cancel,
// order.status, the edits (spot order.amend.keepPriority and
// order.cancelReplace, futures order.modify; wsapi_edit.go), account
// methods; spot user data through
// userDataStream.subscribe.signature, futures listen keys through
// userDataStream.start, ping and stop.
//
// # Books and update ids
//
// Each Step event changes one to three levels of one book and is
// published as one depth update. Spot update ids are contiguous per
// symbol (U = previous u + 1); futures ids jump, as they are global
// across symbols, and pu names the previous update's u. BookAt answers for
// every update id a depth update or snapshot carried, within History.
// For benchmarks, PrepareDepthBurst makes a run of consecutive updates of
// one symbol in advance and DepthBurst.Send writes them as fast as the
// connections take them.
//
// # Faults
//
// Besides the exchangetest faults (Drop, Silence, Gap, Garbage, Outage,
// Throttle, Maintenance, Skew, ExpireAuth, RejectSignatures) the server
// offers Binance's own: StaleSnapshot, Duplicate and Overlap depth
// updates, ServerShutdown, CutConnections (the 24-hour mark; MaxConnAge
// does it by age), ExpireListenKey, and Config.DeltasBeforeAck. The
// server pings every connection (spot every 20 s, futures every 3 min,
// Config.PingInterval in tests) and drops a client that leaves a ping
// unanswered for PongTimeout; on spot only a pong echoing the ping counts.
//
// # What it does not simulate
//
// The account's resting orders are not part of the public book: Step
// fills them at random as a maker. Futures conditional orders are served
// by a small Algo Service (algo.go: they trigger on Step's last trade
// price). Spot stop and take-profit orders, trailing stops, iceberg and
// order list orders, RSA and Ed25519 keys, session.logon, SBE, kline intervals
// below one minute and trades older than the last 1000 are not served.
package binancetest
