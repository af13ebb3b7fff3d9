// Command unifex calls any unified method of any registered exchange from
// the command line, with CCXT's method names and the unified structures'
// JSON (CCXT's field names):
//
//	unifex [<exchange>] <method> [arguments] [flags]
//	unifex binance fetchTicker BTC/USDT
//	unifex sim watchOrderBook BTC/USDT --depth 20
//	unifex createOrder BTC/USDT limit buy 0.01 30000 --param postOnly=true
//
// Without an exchange, or when the first word is a method, it runs on sim,
// the built-in simulated venue, offline. Without any word it runs the demo:
// paper trading on sim, with the book, the last trades, two paper orders at
// the touch and the balances on one live screen.
//
// Watch methods stream until Ctrl-C or --duration, one compact JSON document
// per line; watchOrderBook shows a live view of the book and its trades,
// refreshed in place on a terminal. Credentials come from the environment
// only (UNIFEX_<ID>_API_KEY, UNIFEX_<ID>_SECRET, UNIFEX_<ID>_PASSWORD,
// UNIFEX_<ID>_SANDBOX) and are never printed; UNIFEX_<ID>_URLS overrides
// the adapter's endpoints.
//
// The exit code is 0 on success, 1 when the exchange or the call failed, 2
// for a usage error, 3 when the exchange does not support the method, and 4
// when credentials are missing or refused. 'unifex help' prints the full
// usage.
package main
