// Package exchange is unifex's public face: one interface to every venue,
// in the style of CCXT Pro.
//
//	ex, err := exchange.New("binance", exchange.Config{APIKey: k, Secret: s, NewUpdates: true})
//	if err != nil { ... }
//	defer ex.Close()
//	for {
//		ob, err := ex.WatchOrderBook(ctx, "BTC/USDT", exchange.Limit(20))
//		if err != nil {
//			if errors.Is(err, errors.NetworkError) { continue } // the engine reconnects
//			...
//		}
//		use(ob.Bids[0], ob.Asks[0])
//	}
//
// Exchange is composed of MarketData, Trading, Account, Funding and
// Streaming, which a caller may depend on alone. Method names are CCXT's in
// Go case; every method takes a context first; required arguments are
// positional and optional ones are per-call Options (Since, Limit, Params).
// A method a venue does not offer returns an error matching
// errors.NotSupported, and Has tells in advance (FeatureByName accepts
// CCXT's names).
//
// Watch* calls block until their topic changed since the caller's last
// return. The Exchange is itself a consumer of its topics; NewConsumer
// returns independent ones for fan-out to several strategies. OrderBook
// reads the current book without waiting, for loops that poll at their own
// frame rate.
//
// Adapters register themselves with Register from their init functions; New
// builds any registered adapter by id. Config carries credentials (never
// printed: String, GoString, Format and LogValue redact them), endpoint
// overrides, caching and reconnection settings.
package exchange
