// Package bybittest is a fake Bybit V5, like net/http/httptest: a loopback
// server for the spot, linear (USDT/USDC perpetual) and inverse
// categories that speaks Bybit's documented protocol to the adapter under
// test, keeps an authoritative book per symbol that every delivered book
// can be checked against, holds one unified trading account, and injects
// faults on demand. It implements the exchangetest interfaces (Venue,
// Faults, PrivateVenue, RESTFaults, AuthFaults).
//
//	s := bybittest.Start(bybittest.Config{Seed: 1, History: 4096})
//	defer s.Close()
//	cfg.URLs = s.URLs() // "rest", "spot", "linear", "inverse", "option", "private", "trade"
//	cfg.APIKey, cfg.Secret = bybittest.TestAPIKey, bybittest.TestSecret
//
// # What it serves
//
// REST at URLs()["rest"], every reply in Bybit's envelope
// {"retCode","retMsg","result","retExtInfo","time"} with HTTP 200:
// /v5/market/time, instruments-info (category spot|linear|inverse; linear
// and inverse paged by limit and cursor, spot not paged, as documented;
// category option lists a few options per baseCoin, two a page, listed
// only unless Config.Symbols names them), orderbook, tickers,
// recent-trade (category option too, for the options of Config.Symbols,
// BTC/USD:USDC-301227-60000-C: options_stream.go), kline (start/end, newest first; the
// candles before the server started are made up reproducibly from the
// seed) and funding/history. Signed (X-BAPI-API-KEY, X-BAPI-TIMESTAMP,
// X-BAPI-RECV-WINDOW, X-BAPI-SIGN = hex HMAC-SHA256 of timestamp + key +
// recvWindow + query or body): /v5/account/wallet-balance (UNIFIED),
// /v5/order/create, amend, cancel, cancel-all, realtime, history,
// /v5/execution/list, /v5/position/list and set-leverage; the wallet
// (wallet.go): /v5/asset/coin/query-info, deposit/query-address,
// deposit/query-record, withdraw/query-record and withdraw/create, which
// debits the amount and its fee (Deposit and CompleteWithdrawals drive the
// histories from a test). Refusals carry
// Bybit's retCodes: 10001 parameters, 10002 timestamp outside
// [server - recvWindow, server + 1 s), 10003 key, 10004 signature, 10006
// the per-endpoint per-second limit (order endpoints per product: spot,
// option, and linear with inverse; X-Bapi-Limit, -Status and
// -Reset-Timestamp on every signed reply), 110001 unknown or finished
// order, 110007 and 170131 insufficient balance, 110017 reduce-only,
// 110043 leverage not modified, 110072 duplicate orderLinkId, 170121
// unknown spot symbol.
//
// Public streams at URLs()["spot"|"linear"|"inverse"]: subscribe and
// unsubscribe with each category's reply shape (spot: at most 10 args);
// orderbook.{1,50,200,1000}.{symbol} — a snapshot, then deltas whose u
// rises by one per message (level 1: snapshots only), with seq a cross
// sequence shared by all books and cts; publicTrade, tickers (spot
// snapshots; linear and inverse a snapshot then deltas of the changed
// fields) and kline.{interval}. An unknown topic is refused with
// "error:handler not found,topic:<topic>". The option stream at
// URLs()["option"] serves orderbook.{25,100}, publicTrade.{baseCoin} and
// snapshot tickers, with its own reply and pong shapes.
//
// The private stream at URLs()["private"]: op auth with [key, expires,
// hex HMAC-SHA256 of "GET/realtime"+expires]; topics order, execution,
// position (all-in-one) or order.<category>, execution.<category>,
// position.<category>, and wallet; the two forms cannot be mixed in one
// request. The trade stream at URLs()["trade"]: auth, then order.create,
// order.amend and order.cancel answered with their reqId, retCode,
// header (X-Bapi-Limit..., Traceid, Timenow) and connId; a reqId may not
// repeat (20006), the header's timestamp is checked like REST's (10002).
//
// Every stream answers {"op":"ping"} in its documented pong shape and cuts
// a connection that sent no ping for Config.IdleTimeout (documented: 10
// minutes; max_active_time=30s..600s on the private and trade URLs).
//
// # Books and update ids
//
// Each Step event changes one to three levels of one book and is sealed
// under the symbol's next u; a change that leaves the book as it was
// spends no id. BookAt answers for every u within History. Books keep at
// most 40 levels a side, so orderbook.50 and deeper carry the whole book.
// Each depth topic sends the difference between what it last sent and the
// book now, so a level entering a narrow window is sent too.
//
// # Faults
//
// Besides the exchangetest faults (Drop, Silence, Gap — the next book
// messages are lost, so u skips —, Garbage, Outage, Throttle, Maintenance,
// Skew, ExpireAuth with Bybit's 33004, RejectSignatures) the server offers
// Bybit's own: Resnapshot (a snapshot mid-stream with the current u),
// Restart (a snapshot with u = 1, as after a service restart; BookAt
// forgets the older ids) and Config.SnapshotBeforeAck (the first snapshot
// before the subscribe reply, JKorf/Bybit.Net#200).
//
// # What it does not simulate
//
// Option trading, option klines, dated futures, spread and RFQ trading; conditional, TP/SL,
// iceberg and batch orders (the batch endpoints and ops are not served);
// hedge mode (positionIdx is always 0); margin modes, borrowing,
// liquidation and funding payments; RSA keys; the system-status stream;
// the orderbook.rpi and orderbook.full topics; the level-1 re-push every 3 s
// without change (Resnapshot plays it); server-side pings (Bybit sends
// none). The account's resting orders are not part of the public book:
// Step fills them at random as a maker. Only a client ping resets the idle
// timer, a strict reading of the docs ("no ping-pong and no stream data").
package bybittest
