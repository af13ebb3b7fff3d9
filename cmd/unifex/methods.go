package main

import (
	"context"
	"strconv"
	"strings"

	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/markets"
	"github.com/unifex-go/unifex/unified"
)

// defaultTimeframe is the candle width of fetchOHLCV and watchOHLCV when none is given.
const defaultTimeframe = "1m"

// method is one unified method as the command line calls it.
type method struct {
	// args names the positional arguments in CCXT's order, space-separated;
	// a bracketed one is optional.
	args string
	// about is the method's line in the help text.
	about string
	// call calls the method on ex. The count of in.args is already checked
	// against args; a bad value gives a usage error.
	call func(ctx context.Context, ex exchange.Exchange, in input) (any, error)
}

// input is what a method call receives from the command line.
type input struct {
	args  []string // the positional arguments after the method name
	flags *flags
}

// arg returns the i-th positional argument, or fallback when it was not given.
func (in input) arg(i int, fallback string) string {
	if i < len(in.args) {
		return in.args[i]
	}
	return fallback
}

// symbols returns the i-th positional argument as a comma-separated symbol
// list, nil when it was not given.
func (in input) symbols(i int) []string { return parseSymbols(in.arg(i, "")) }

// opts returns the per-call options: --since, --limit and every --param.
func (in input) opts() []exchange.Option { return in.flags.callOptions(nil) }

// result turns a typed result into the command's output.
func result[T any](v T, err error) (any, error) { return v, err }

// methods maps every unified method to how the command line calls it. Each
// positional argument maps to the method's parameter of the same name.
var methods = map[exchange.Feature]method{
	exchange.FeatureLoadMarkets: {"[reload]", "the markets by symbol, loaded once (reload: true|false)",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			reload, err := strconv.ParseBool(in.arg(0, "false"))
			if err != nil {
				return nil, usageErrorf("reload is true or false, not %q", in.args[0])
			}
			snap, err := ex.LoadMarkets(ctx, reload)
			if err != nil {
				return nil, err
			}
			return marketsBySymbol(snap), nil
		}},
	exchange.FeatureFetchMarkets: {"", "the markets, fetched from the venue",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			return result(ex.FetchMarkets(ctx, in.opts()...))
		}},
	exchange.FeatureFetchCurrencies: {"", "the currencies",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			return result(ex.FetchCurrencies(ctx, in.opts()...))
		}},
	exchange.FeatureFetchTime: {"", "the venue's clock, in Unix milliseconds",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			t, err := ex.FetchTime(ctx, in.opts()...)
			if err != nil {
				return nil, err
			}
			return venueTime(t), nil
		}},
	exchange.FeatureFetchTicker: {"symbol", "the ticker of a market",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			return result(ex.FetchTicker(ctx, in.args[0], in.opts()...))
		}},
	exchange.FeatureFetchTickers: {"[symbols]", "tickers by symbol (none given: all)",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			return result(ex.FetchTickers(ctx, in.symbols(0), in.opts()...))
		}},
	exchange.FeatureFetchOrderBook: {"symbol", "an order book snapshot (--limit: depth)",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			return result(ex.FetchOrderBook(ctx, in.args[0], in.opts()...))
		}},
	exchange.FeatureFetchTrades: {"symbol", "recent public trades",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			return result(ex.FetchTrades(ctx, in.args[0], in.opts()...))
		}},
	exchange.FeatureFetchOHLCV: {"symbol [timeframe]", "candles (1m, 1h, 1d...; default " + defaultTimeframe + ")",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			return result(ex.FetchOHLCV(ctx, in.args[0], in.arg(1, defaultTimeframe), in.opts()...))
		}},
	exchange.FeatureFetchFundingRate: {"symbol", "a perpetual's funding rate",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			return result(ex.FetchFundingRate(ctx, in.args[0], in.opts()...))
		}},
	exchange.FeatureCreateOrder: {"symbol type side amount [price]", "place an order (market|limit, buy|sell)",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			req, opts, err := in.order(in.args)
			if err != nil {
				return nil, err
			}
			return result(ex.CreateOrder(ctx, req, opts...))
		}},
	exchange.FeatureEditOrder: {"id symbol type side amount [price]", "change an open order",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			req, opts, err := in.order(in.args[1:])
			if err != nil {
				return nil, err
			}
			return result(ex.EditOrder(ctx, in.args[0], req, opts...))
		}},
	exchange.FeatureCancelOrder: {"id [symbol]", "cancel an order",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			return result(ex.CancelOrder(ctx, in.args[0], in.arg(1, ""), in.opts()...))
		}},
	exchange.FeatureCancelAllOrders: {"[symbol]", "cancel every open order (of a symbol)",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			return result(ex.CancelAllOrders(ctx, in.arg(0, ""), in.opts()...))
		}},
	exchange.FeatureFetchOrder: {"id [symbol]", "one order",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			return result(ex.FetchOrder(ctx, in.args[0], in.arg(1, ""), in.opts()...))
		}},
	exchange.FeatureFetchOrders: {"[symbol]", "open and closed orders",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			return result(ex.FetchOrders(ctx, in.arg(0, ""), in.opts()...))
		}},
	exchange.FeatureFetchOpenOrders: {"[symbol]", "open orders",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			return result(ex.FetchOpenOrders(ctx, in.arg(0, ""), in.opts()...))
		}},
	exchange.FeatureFetchClosedOrders: {"[symbol]", "closed and canceled orders",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			return result(ex.FetchClosedOrders(ctx, in.arg(0, ""), in.opts()...))
		}},
	exchange.FeatureFetchMyTrades: {"[symbol]", "the account's fills",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			return result(ex.FetchMyTrades(ctx, in.arg(0, ""), in.opts()...))
		}},
	exchange.FeatureCreateOrderWs: {"symbol type side amount [price]", "place an order over the WebSocket",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			req, opts, err := in.order(in.args)
			if err != nil {
				return nil, err
			}
			return result(ex.CreateOrderWs(ctx, req, opts...))
		}},
	exchange.FeatureEditOrderWs: {"id symbol type side amount [price]", "change an open order over the WebSocket",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			req, opts, err := in.order(in.args[1:])
			if err != nil {
				return nil, err
			}
			return result(ex.EditOrderWs(ctx, in.args[0], req, opts...))
		}},
	exchange.FeatureCancelOrderWs: {"id [symbol]", "cancel an order over the WebSocket",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			return result(ex.CancelOrderWs(ctx, in.args[0], in.arg(1, ""), in.opts()...))
		}},
	exchange.FeatureFetchBalance: {"", "the account's balances",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			return result(ex.FetchBalance(ctx, in.opts()...))
		}},
	exchange.FeatureFetchPositions: {"[symbols]", "open positions (none given: all)",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			return result(ex.FetchPositions(ctx, in.symbols(0), in.opts()...))
		}},
	exchange.FeatureSetLeverage: {"leverage symbol", "set a market's leverage",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			leverage, err := parseDecimal("leverage", in.args[0])
			if err != nil {
				return nil, err
			}
			return nil, ex.SetLeverage(ctx, leverage, in.args[1], in.opts()...)
		}},
	exchange.FeatureFetchLeverage: {"symbol", "the leverage a market is set to",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			return result(ex.FetchLeverage(ctx, in.args[0], in.opts()...))
		}},
	exchange.FeatureFetchLedger: {"[code]", "the account's ledger (of a currency)",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			return result(ex.FetchLedger(ctx, in.arg(0, ""), in.opts()...))
		}},
	exchange.FeatureFetchDepositAddress: {"code", "the deposit address of a currency",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			return result(ex.FetchDepositAddress(ctx, in.args[0], in.opts()...))
		}},
	exchange.FeatureFetchDeposits: {"[code]", "deposits (of a currency)",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			return result(ex.FetchDeposits(ctx, in.arg(0, ""), in.opts()...))
		}},
	exchange.FeatureFetchWithdrawals: {"[code]", "withdrawals (of a currency)",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			return result(ex.FetchWithdrawals(ctx, in.arg(0, ""), in.opts()...))
		}},
	exchange.FeatureWithdraw: {"code amount address [tag]", "send currency out (tag: memo, if any)",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			amount, err := parseDecimal("amount", in.args[1])
			if err != nil {
				return nil, err
			}
			return result(ex.Withdraw(ctx, in.args[0], amount, in.args[2], in.arg(3, ""), in.opts()...))
		}},
	exchange.FeatureWatchOrderBook: {"symbol", "stream the book: a live view, or --format json",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			return result(ex.WatchOrderBook(ctx, in.args[0], in.opts()...))
		}},
	exchange.FeatureWatchOrderBookForSymbols: {"symbols", "stream the books of several symbols",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			return result(ex.WatchOrderBookForSymbols(ctx, in.symbols(0), in.opts()...))
		}},
	exchange.FeatureWatchTrades: {"symbol", "stream public trades",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			return result(ex.WatchTrades(ctx, in.args[0], in.opts()...))
		}},
	exchange.FeatureWatchTradesForSymbols: {"symbols", "stream public trades of several symbols",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			return result(ex.WatchTradesForSymbols(ctx, in.symbols(0), in.opts()...))
		}},
	exchange.FeatureWatchTicker: {"symbol", "stream a ticker",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			return result(ex.WatchTicker(ctx, in.args[0], in.opts()...))
		}},
	exchange.FeatureWatchTickers: {"[symbols]", "stream tickers (none given: all)",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			return result(ex.WatchTickers(ctx, in.symbols(0), in.opts()...))
		}},
	exchange.FeatureWatchBidsAsks: {"symbols", "stream the best bids and asks with their sizes",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			return result(ex.WatchBidsAsks(ctx, in.symbols(0), in.opts()...))
		}},
	exchange.FeatureWatchFundingRate: {"symbol", "stream a contract's funding rate, mark and index price",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			return result(ex.WatchFundingRate(ctx, in.args[0], in.opts()...))
		}},
	exchange.FeatureWatchFundingRates: {"symbols", "stream the funding rates of several contracts",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			return result(ex.WatchFundingRates(ctx, in.symbols(0), in.opts()...))
		}},
	exchange.FeatureWatchOHLCV: {"symbol [timeframe]", "stream candles (default " + defaultTimeframe + ")",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			return result(ex.WatchOHLCV(ctx, in.args[0], in.arg(1, defaultTimeframe), in.opts()...))
		}},
	exchange.FeatureWatchBalance: {"", "stream the account's balances",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			return result(ex.WatchBalance(ctx, in.opts()...))
		}},
	exchange.FeatureWatchOrders: {"[symbol]", "stream the account's orders",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			return result(ex.WatchOrders(ctx, in.arg(0, ""), in.opts()...))
		}},
	exchange.FeatureWatchMyTrades: {"[symbol]", "stream the account's fills",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			return result(ex.WatchMyTrades(ctx, in.arg(0, ""), in.opts()...))
		}},
	exchange.FeatureWatchPositions: {"[symbols]", "stream positions (none given: all)",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			return result(ex.WatchPositions(ctx, in.symbols(0), in.opts()...))
		}},
	exchange.FeatureUnwatchOrderBook: {"symbol", "unsubscribe a book",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			return nil, ex.UnwatchOrderBook(ctx, in.args[0])
		}},
	exchange.FeatureUnwatchTrades: {"symbol", "unsubscribe public trades",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			return nil, ex.UnwatchTrades(ctx, in.args[0])
		}},
	exchange.FeatureUnwatchTicker: {"symbol", "unsubscribe a ticker",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			return nil, ex.UnwatchTicker(ctx, in.args[0])
		}},
	exchange.FeatureUnwatchOHLCV: {"symbol [timeframe]", "unsubscribe candles (default " + defaultTimeframe + ")",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			return nil, ex.UnwatchOHLCV(ctx, in.args[0], in.arg(1, defaultTimeframe))
		}},
	exchange.FeatureUnwatchBidsAsks: {"symbols", "unsubscribe best bids and asks",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			return nil, ex.UnwatchBidsAsks(ctx, in.symbols(0))
		}},
	exchange.FeatureUnwatchFundingRate: {"symbol", "unsubscribe a funding rate",
		func(ctx context.Context, ex exchange.Exchange, in input) (any, error) {
			return nil, ex.UnwatchFundingRate(ctx, in.args[0])
		}},
}

// order builds an order request from args (symbol type side amount [price])
// and the --param order fields, with the per-call options of the rest.
func (in input) order(args []string) (unified.OrderRequest, []exchange.Option, error) {
	req, taken, err := orderRequest(args, in.flags.params)
	if err != nil {
		return req, nil, err
	}
	return req, in.flags.callOptions(taken), nil
}

// marketsBySymbol is loadMarkets' output: CCXT's markets dictionary.
func marketsBySymbol(snap *markets.Snapshot) map[string]*unified.Market {
	out := map[string]*unified.Market{}
	for _, m := range snap.Markets() {
		out[m.Symbol] = m
	}
	return out
}

// resolveMethod finds the unified method CCXT calls name, in any letter case.
func resolveMethod(name string) (exchange.Feature, bool) {
	for _, f := range exchange.AllFeatures() {
		if strings.EqualFold(f.String(), name) {
			return f, true
		}
	}
	return 0, false
}

// methodNames lists every method's CCXT name.
func methodNames() []string {
	var names []string
	for _, f := range exchange.AllFeatures() {
		names = append(names, f.String())
	}
	return names
}

// streams reports whether f is a Watch* method, which the command calls
// again and again until it is stopped.
func streams(f exchange.Feature) bool { return strings.HasPrefix(f.String(), "watch") }

// arity returns how many positional arguments the method takes at least and at most.
func (m method) arity() (least, most int) {
	for _, a := range strings.Fields(m.args) {
		most++
		if !strings.HasPrefix(a, "[") {
			least++
		}
	}
	return least, most
}

// usage is the method's usage line.
func usage(f exchange.Feature) string {
	line := "unifex [<exchange>] " + f.String()
	if args := methods[f].args; args != "" {
		line += " " + args
	}
	return line
}

// symbolArgs returns the symbols among args, by the argument names of the method.
func (m method) symbolArgs(args []string) []string {
	var out []string
	for i, name := range strings.Fields(m.args) {
		if i >= len(args) {
			break
		}
		switch strings.Trim(name, "[]") {
		case "symbol":
			out = append(out, args[i])
		case "symbols":
			out = append(out, parseSymbols(args[i])...)
		}
	}
	return out
}
