// Package okxtest is a fake OKX (API v5), like net/http/httptest: a
// loopback server that speaks OKX's documented protocol to the adapter
// under test, keeps an authoritative book per instrument that every
// delivered book can be checked against (BookAt by seqId), and injects
// faults on demand. It implements the exchangetest interfaces (Venue,
// Faults, ChecksumFaults, PrivateVenue, RESTFaults, AuthFaults).
//
//	s := okxtest.Start(okxtest.Config{Seed: 1, History: 4096})
//	defer s.Close()
//	cfg.URLs = s.URLs() // "rest", "public", "private", "business"
//	cfg.APIKey, cfg.Secret, cfg.Password = okxtest.TestAPIKey, okxtest.TestSecret, okxtest.TestPassphrase
//
// # What it serves
//
// REST at URLs()["rest"], in OKX's {"code":"0","msg":"","data":[...]}
// envelope: public/instruments (SPOT, SWAP, FUTURES on exact tick and lot
// grids, with instIdCode; three OPTION instruments per instFamily, listed
// only unless Config.Instruments names them, BTC-USD-301227-60000-C, when
// they have a book, ticker and trades like any instrument:
// options_stream.go), public/underlying, public/time, market/books (sz up to 400),
// market/tickers and ticker, market/trades (500 kept), market/candles and
// history-candles (paged by after/before; three days of one-minute bars
// aggregated to any bar, 6H and longer aligned to UTC+8 unless "utc"),
// public/funding-rate. Signed (OK-ACCESS-KEY, -SIGN, -TIMESTAMP,
// -PASSPHRASE; base64 HMAC-SHA256 of timestamp+method+path?query+body;
// 30 s window): account/balance, account/positions, account/set-leverage
// (per instId, or per ccy for cross margin), account/leverage-info
// (leverage.go: per instId, net rows), trade/order (POST place, GET
// query), cancel-order, cancel-batch-orders (batch.go: 20 at most, any
// instruments, code "2" when some fail), amend-order, orders-pending,
// orders-history, fills; spot margin orders (margin.go: tdMode cross or
// isolated on a spot instrument, reduce-only against the position) and
// their net MARGIN positions (posCcy base when long, quote when short;
// liab, liabCcy); algo orders (algo.go: order-algo
// POST and GET, amend-algos, cancel-algos, orders-algo-pending and
// -history; ordType trigger, one-side conditional and oco, fired on Step
// when the last price reaches a trigger, and move_order_stop, which
// follows the last price from its activePx and fires when it comes back
// by callbackRatio or callbackSpread); the funding account's
// asset/currencies, deposit-address, deposit-history, withdrawal-history
// and withdrawal (wallet.go: Deposit, CompleteWithdrawals,
// FundingBalance). Order operations answer per item with sCode/sMsg,
// top-level code "1" when they fail.
//
// WebSockets: /ws/v5/public (books: snapshot with prevSeqId -1, then
// updates chained prevSeqId == last seqId; books5; bbo-tbt; trades;
// tickers), /ws/v5/business (candle<bar>; candles on /public get 64001;
// after a login, orders-algo and algo-advance (trailing stops)),
// /ws/v5/private (login with timestamp+"GET"+"/users/self/verify";
// orders, account, positions, balance_and_position; fills only for
// Config.VIP >= 6, else 60029; op order, cancel-order, amend-order with the
// id echoed, by instIdCode or instId). The text "ping" is answered "pong";
// a connection quiet both ways for Config.IdleTimeout (30 s) is dropped.
//
// Book checksums are 0, as OKX sends them since June 2026;
// Config.Checksum restores the legacy CRC-32 over the top 25 levels.
// Config.RESTSnapshot plays the announced change where books sends no
// snapshot and REST books carries seqId.
//
// # Faults
//
// Drop, Silence, Gap (a books update lost: the next prevSeqId names a
// seqId never sent), Garbage, CorruptChecksum, Outage, Throttle (429,
// 50011, Retry-After), Maintenance (503 page), Skew, ExpireAuth (50111,
// 60005), RejectSignatures (50113, 60007); OKX's own documented cases
// NoChange (seqId == prevSeqId, no levels), ResetSequence (seqId smaller
// than prevSeqId) and Notice (64008). Orders beyond Config.OrderRate per
// instrument per 2 s get 50011.
//
// # What it does not simulate
//
// Resting orders are not in the public book: Step fills them at random as
// makers. Not served: instType MARGIN in public/instruments (spot
// instruments carry lever), books, tickers and trading of options, algo
// types other than trigger, conditional, oco and move_order_stop, batch
// placement and amendment, mass-cancel, leverage-info, hedge mode (posSide long/short),
// isolated margin accounting, margin interest and the borrowed amounts in
// balances, liquidation, funding payments, books-l2-tbt and
// books50-l2-tbt (64003), the channel-conn-count events, the 480
// subscriptions an hour limit, close codes (the shared kit drops a
// connection without a close frame, so 4004 is not sent) and SBE.
package okxtest
