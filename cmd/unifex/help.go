package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/unifex-go/unifex/exchange"
)

// usageHead is the help text before the list of methods.
const usageHead = `unifex calls any unified method of any exchange, with CCXT's names.

Usage:
  unifex [<exchange>] <method> [arguments] [flags]
  unifex <exchange> has        which methods the exchange supports
  unifex exchanges             the registered exchanges
  unifex help [<method>]       this help, or the usage of one method
  unifex [flags]               the demo: paper trading on sim, on one live screen

Without an exchange (or when the first word is a method) the exchange is sim,
the built-in simulated venue, which runs offline.

Methods (CCXT's names, in any letter case: FetchTicker and fetchticker work too):
`

// usageTail is the help text after the list of methods.
const usageTail = `
Arguments in brackets are optional. Symbols are unified: BTC/USDT (spot),
BTC/USDT:USDT (linear perpetual); a symbol list is comma-separated.

Flags (anywhere on the line; -flag or --flag, the value after a space or "="):
  --limit N            at most N items, or N order book levels (CCXT's limit)
  --since T            items from T on: an RFC3339 time (2024-01-02T15:04:05Z), a date
                       (2024-01-02), Unix milliseconds (1704207845000) or a duration back
                       from now (90s, 1h, 7d)
  --param key=value    a venue parameter (CCXT's params); repeat it for more. true and
                       false are sent as booleans, any other value as a string.
                       createOrder, createOrderWs and editOrder take CCXT's unified
                       order params from it into the order instead: triggerPrice (or
                       stopPrice), stopLossPrice, takeProfitPrice, stopLoss.triggerPrice,
                       stopLoss.price, takeProfit.triggerPrice, takeProfit.price,
                       trailingAmount, trailingPercent, trailingTriggerPrice,
                       timeInForce, postOnly, reduceOnly, clientOrderId, marginMode,
                       leverage, and cost (a market order sized by cost: amount 0)
  --format json|table  json: the unified structures with CCXT's field names, pretty
                       printed (the default; a watch prints a compact document a line);
                       table: compact columns. watchOrderBook shows its live view
                       unless --format json is given.
  --duration D         stop a watch method or the demo after D (30s, 5m); else at Ctrl-C
  --depth N            order book levels per side in book views (default 10; tables: all)
  -h, --help           this help

Watch methods stream until Ctrl-C or --duration. On a terminal, watchOrderBook
(the book, spread, mid and last trades) and the demo refresh one screen in
place; otherwise they print one frame per update.

Credentials come from the environment only, and are never printed:
  UNIFEX_<ID>_API_KEY, UNIFEX_<ID>_SECRET, UNIFEX_<ID>_PASSWORD (a passphrase)
  UNIFEX_<ID>_SANDBOX=1 selects the exchange's testnet or demo
where <ID> is the exchange id in upper case, for example UNIFEX_BINANCE_API_KEY.
UNIFEX_<ID>_URLS=key=url,... overrides endpoints by the adapter's keys, for
example UNIFEX_SIM_URLS=rest=http://127.0.0.1:8080,ws=ws://127.0.0.1:8081 to
reach a sim venue that outlives one command.

Exit codes:
  0  success
  1  the exchange or the call failed
  2  usage: unknown exchange, method or symbol; a bad flag, argument or argument
     count; a request the exchange calls bad (BadRequest, ArgumentsRequired)
  3  the exchange does not support the method
  4  authentication: credentials missing or refused

Examples:
  unifex binance fetchTicker BTC/USDT
  unifex fetchOHLCV BTC/USDT 1h --since 1d --format table
  unifex sim watchOrderBook BTC/USDT --depth 20
  unifex sim createOrder BTC/USDT limit buy 0.01 30000 --param postOnly=true
  unifex bybit watchTrades BTC/USDT:USDT --format json --duration 1m
`

// writeUsage writes the help text.
func writeUsage(w io.Writer) error {
	var b strings.Builder
	b.WriteString(usageHead)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, f := range exchange.AllFeatures() {
		fmt.Fprintf(tw, "  %s %s\t%s\n", f, methods[f].args, methods[f].about)
	}
	tw.Flush()
	b.WriteString(usageTail)
	_, err := io.WriteString(w, b.String())
	return err
}

// help prints the help text, or the usage of the method named among words.
func (a *app) help(words []string) error {
	for _, w := range words {
		if f, ok := resolveMethod(w); ok {
			_, err := fmt.Fprintf(a.stdout, "usage: %s\n  %s\n'unifex help' lists the flags.\n", usage(f), methods[f].about)
			return err
		}
	}
	if len(words) > 0 {
		if _, _, err := chooseVenue(words[len(words)-1:]); err != nil {
			return err
		}
	}
	return writeUsage(a.stdout)
}
