// Package markets is the market machinery every unifex adapter shares: the
// registry of a venue's markets and currencies, unified symbols, currency
// code translation, price and amount precision, and order checks against a
// market's limits before anything is sent.
//
// # Registry
//
// A Registry is built with the adapter's Loader and loads on first use:
//
//	reg := markets.NewRegistry("binance", fetchMarketsAndCurrencies)
//	snap, err := reg.Load(ctx, false) // one request however many callers
//	m, err := snap.Market("BTC/USDT")
//	m, err = snap.MarketByID("BTCUSDT", unified.Swap)
//
// Concurrent first loads run the loader once; a failed load is retried by the
// next call; Reload replaces the markets atomically. Each caller waits on its
// own context; the shared load is detached from any one caller and cancelled
// only when all of them have left. Lookups read an immutable Snapshot with
// no lock, through maps built once per load. Native ids that name several
// markets (binance's "BTCUSDT" spot and USDT-M swap) are told apart by market
// type; with no type an ambiguous id is an error, never a guess.
//
// # Symbols and currency codes
//
// ParseSymbol and Symbol.String convert between unified symbols and their
// parts, following CCXT: BTC/USDT (spot), BTC/USDT:USDT (linear perpetual),
// BTC/USD:BTC (inverse perpetual), BTC/USDT:USDT-250328 (dated future),
// BTC/USD:BTC-250328-60000-C (option). Parsing is strict (malformed text is
// an errors.BadSymbol error) and String(ParseSymbol(s)) == s.
//
// CurrencyCodes applies CCXT's common currency codes (XBT→BTC, BCC→BCH, ...)
// plus a venue's own overrides, and reverses the overrides.
//
// # Precision
//
// A Rule rounds one quantity to a venue's precision in any of CCXT's three
// modes (tick size, decimal places, significant digits), by rounding (half
// away from zero) or truncating, in exact decimal arithmetic, and formats the
// result as the text a venue expects (plain notation, optional zero padding).
// Results match CCXT's decimalToPrecision. AmountToPrecision truncates and
// PriceToPrecision rounds, as CCXT's methods of the same names do; AmountRule
// and PriceRule let a caller choose otherwise.
//
// # Order checks
//
// ValidateOrder checks an order's amount, price and cost against a market's
// precision and limits (Limits.Amount, Limits.Price, Limits.Cost and, for
// market orders, Limits.Market) and returns the order rounded as it should be
// sent. A violation is an *errors.Error of kind errors.InvalidOrder whose
// message names the limit and the value.
package markets
