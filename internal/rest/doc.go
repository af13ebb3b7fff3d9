// Package rest is the REST transport every adapter's Fetch* and Create*
// methods go through. The adapter describes its endpoints (Endpoint: API
// group, method, path, signed, weight) and supplies the venue's hooks (Sign,
// CheckError, ServerTime, RetryAfter); the transport does the rest once for
// every venue:
//
//   - Build turns an endpoint and its Params into a Request{Method, URL,
//     Header, Body} and signs it, without sending; tests capture it. Query
//     parameters keep their order and the signer reads the exact bytes that
//     will be sent. Clock, nonce and client-order-id sources (Sources) are
//     injectable, so signed requests are reproducible.
//   - Do waits for the venue's rate limiter (internal/ratelimit, fed by the
//     endpoint's weight), sends with a deadline per attempt on one tuned
//     http.Client per exchange, reads at most MaxBodySize bytes, and
//     classifies the reply: the adapter's CheckError first (venue codes,
//     even under HTTP 200), then the HTTP status table (CCXT's
//     httpExceptions). DoJSON also decodes: an empty body is NullResponse, a
//     non-JSON one (an HTML 502 page, a truncated document) BadResponse.
//   - Retries are taken only where safe: idempotent endpoints on transport
//     failures and 408/429/5xx, with exponential backoff (internal/backoff)
//     that honours Retry-After; any endpoint when the attempt provably never
//     left the client (no connection was handed to it), marked Unsent so that
//     errors.SafeToRetry(err) is true; a signed endpoint once more after a
//     server-time resync when the venue refused its timestamp (InvalidNonce).
//     A 429/418 pauses the shared limiter so every goroutine backs off.
//   - Every failure is an *errors.Error with the exchange id, HTTP status and
//     the venue's code and message where known. No message, log record or
//     String() output holds a query string, a header value or a body of a
//     request: signatures and keys travel there.
//
// An adapter wires it like this:
//
//	c, err := rest.New(rest.Config{
//		Exchange:   "binance",
//		BaseURLs:   map[string]string{"public": "https://api.binance.com/api/v3", "private": "https://api.binance.com/api/v3"},
//		Limiter:    ratelimit.PerWindow(6000, time.Minute, nil),
//		Sign:       a.sign,       // HMAC of r.URL.RawQuery, then r.AddQuery("signature", ...)
//		CheckError: a.checkError, // {"code":-1121,"msg":...} -> errors.BadSymbol
//		ServerTime: a.serverTime, // GET /time through c.DoJSON
//		Logger:     cfg.Logger,
//	})
//	var ticker binanceTicker
//	err = c.DoJSON(ctx, endpoints.TickerPrice, rest.Params{Query: []rest.Param{{Key: "symbol", Value: "BTCUSDT"}}}, &ticker)
//
// and the watch layer reuses the same client for snapshots and listen keys,
// and its Limiter for senders that count against the same quota.
//
// A Client starts no goroutines; Close fails the calls in flight with
// ExchangeClosedByUser, waits for them and closes idle connections.
package rest
