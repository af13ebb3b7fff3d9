package main

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/unified"
)

// The output formats --format accepts.
const (
	formatJSON  = "json"
	formatTable = "table"
)

// flags are the command line's options. Their zero value is "not given".
type flags struct {
	limit    int       // --limit
	hasLimit bool      // --limit was given
	since    time.Time // --since, resolved against the time of parsing
	params   map[string]string
	format   string        // --format: "" (the command's default), formatJSON or formatTable
	duration time.Duration // --duration: how long watches and the demo run; 0 until Ctrl-C
	depth    int           // --depth: levels per side of book views; 0 for the view's default
	help     bool          // -h or --help
}

// commandLine is a parsed command line: the positional words in order, and the flags.
type commandLine struct {
	words []string
	flags flags
}

// flagNames are the flags parseCommandLine knows, for suggestions.
var flagNames = []string{"limit", "since", "param", "format", "duration", "depth", "help"}

// parseCommandLine splits args into words and flags. Flags may come anywhere,
// spelt -name or --name, with their value as the next argument or after "=";
// "--" ends them. now resolves a --since given as a duration.
func parseCommandLine(args []string, now time.Time) (commandLine, error) {
	var cl commandLine
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" {
			cl.words = append(cl.words, args[i+1:]...)
			break
		}
		if len(arg) < 2 || arg[0] != '-' {
			cl.words = append(cl.words, arg)
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		if name == "h" || name == "help" {
			if hasValue {
				return cl, usageErrorf("--%s takes no value", name)
			}
			cl.flags.help = true
			continue
		}
		if !slices.Contains(flagNames, name) {
			return cl, &failure{code: exitUsage, msg: "unknown flag " + strconv.Quote(arg),
				hint: suggestionHint(closest(name, flagNames), "--") + "run 'unifex help' for the flags"}
		}
		if !hasValue {
			if i+1 == len(args) {
				return cl, usageErrorf("--%s needs a value", name)
			}
			i++
			value = args[i]
		}
		if err := cl.flags.set(name, value, now); err != nil {
			return cl, err
		}
	}
	return cl, nil
}

// set stores the value of the flag called name.
func (f *flags) set(name, value string, now time.Time) error {
	switch name {
	case "limit":
		n, err := strconv.Atoi(value)
		if err != nil || n < 0 {
			return usageErrorf("--limit wants a whole number of zero or more, not %q", value)
		}
		f.limit, f.hasLimit = n, true
	case "since":
		t, err := parseSince(value, now)
		if err != nil {
			return err
		}
		f.since = t
	case "param":
		key, v, ok := strings.Cut(value, "=")
		if !ok || key == "" {
			return usageErrorf("--param wants key=value, not %q", value)
		}
		if f.params == nil {
			f.params = map[string]string{}
		}
		f.params[key] = v
	case "format":
		switch v := strings.ToLower(value); v {
		case formatJSON, formatTable:
			f.format = v
		default:
			return usageErrorf("--format is json or table, not %q", value)
		}
	case "duration":
		d, err := time.ParseDuration(value)
		if err != nil || d <= 0 {
			return usageErrorf("--duration wants a positive duration such as 30s or 5m, not %q", value)
		}
		f.duration = d
	case "depth":
		n, err := strconv.Atoi(value)
		if err != nil || n < 1 {
			return usageErrorf("--depth wants a whole number of one or more, not %q", value)
		}
		f.depth = n
	}
	return nil
}

// parseSince reads a --since value: an RFC3339 time or date, a Unix time in
// milliseconds, or a duration back from now ("90s", "1h", "7d").
func parseSince(s string, now time.Time) (time.Time, error) {
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil && ms >= 0 {
		return time.UnixMilli(ms).UTC(), nil
	}
	for _, layout := range []string{time.RFC3339Nano, time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	if back, ok := parseLookback(s); ok {
		return now.Add(-back).UTC(), nil
	}
	return time.Time{}, &failure{code: exitUsage, msg: "--since: cannot read " + strconv.Quote(s),
		hint: "give an RFC3339 time (2024-01-02T15:04:05Z), a date (2024-01-02), Unix milliseconds (1704207845000) or a duration back from now (90s, 1h, 7d)"}
}

// parseLookback reads a positive duration in Go's syntax, or a whole number of days ("7d").
func parseLookback(s string) (time.Duration, bool) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		return time.Duration(n) * 24 * time.Hour, err == nil && n > 0
	}
	d, err := time.ParseDuration(s)
	return d, err == nil && d > 0
}

// callOptions turns the flags into the unified methods' per-call options.
// Params that an order method took as order fields are left out (see
// orderRequest).
func (f *flags) callOptions(taken map[string]bool) []exchange.Option {
	var opts []exchange.Option
	if !f.since.IsZero() {
		opts = append(opts, exchange.Since(f.since))
	}
	if f.hasLimit {
		opts = append(opts, exchange.Limit(f.limit))
	}
	if p := venueParams(f.params, taken); len(p) > 0 {
		opts = append(opts, exchange.Params(p))
	}
	return opts
}

// venueParams converts the --param values the venue receives: "true" and
// "false" become booleans, anything else stays a string (numbers too, so they
// stay exact). Keys in taken are left out.
func venueParams(raw map[string]string, taken map[string]bool) map[string]any {
	out := map[string]any{}
	for _, key := range slices.Sorted(maps.Keys(raw)) {
		if taken[key] {
			continue
		}
		switch raw[key] {
		case "true":
			out[key] = true
		case "false":
			out[key] = false
		default:
			out[key] = raw[key]
		}
	}
	return out
}

// parseURLs reads endpoint overrides written key=url,key=url.
func parseURLs(s string) (map[string]string, bool) {
	urls := map[string]string{}
	for _, pair := range strings.Split(s, ",") {
		key, u, ok := strings.Cut(strings.TrimSpace(pair), "=")
		if !ok || key == "" || u == "" {
			return nil, false
		}
		urls[key] = u
	}
	return urls, true
}

// parseDecimal reads the positional argument called name as an exact decimal.
func parseDecimal(name, s string) (decimal.Decimal, error) {
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Decimal{}, usageErrorf("%s %q is not a decimal number", name, s)
	}
	return d, nil
}

// parseSymbols reads a comma-separated list of symbols; an empty list is nil
// (all markets, for the methods that allow it).
func parseSymbols(s string) []string {
	var out []string
	for _, sym := range strings.Split(s, ",") {
		if sym = strings.TrimSpace(sym); sym != "" {
			out = append(out, sym)
		}
	}
	return out
}

// orderRequest builds the request of createOrder, createOrderWs and
// editOrder from args (symbol type side amount [price]) and from the --param
// keys that CCXT passes as unified order params. It returns the keys it took,
// which are not sent to the venue again as params.
func orderRequest(args []string, params map[string]string) (unified.OrderRequest, map[string]bool, error) {
	req := unified.OrderRequest{
		Symbol: args[0],
		Type:   unified.OrderType(strings.ToLower(args[1])),
		Side:   unified.Side(strings.ToLower(args[2])),
	}
	if !req.Type.Valid() {
		return req, nil, usageErrorf("order type %q is not market or limit", args[1])
	}
	if !req.Side.Valid() {
		return req, nil, usageErrorf("side %q is not buy or sell", args[2])
	}
	amount, err := parseDecimal("amount", args[3])
	if err != nil {
		return req, nil, err
	}
	req.Amount = amount
	if len(args) > 4 {
		price, err := parseDecimal("price", args[4])
		if err != nil {
			return req, nil, err
		}
		req.Price = decimal.NewNullDecimal(price)
	}
	taken := map[string]bool{}
	for _, key := range slices.Sorted(maps.Keys(params)) {
		ok, err := setOrderField(&req, key, params[key])
		if err != nil {
			return req, nil, err
		}
		taken[key] = ok
	}
	if err := req.Validate(); err != nil {
		return req, nil, &failure{code: exitUsage, msg: err.Error()}
	}
	return req, taken, nil
}

// setOrderField sets the field of req that the CCXT order param key names
// (any letter case) and reports whether key is one of them.
func setOrderField(req *unified.OrderRequest, key, value string) (bool, error) {
	switch strings.ToLower(key) {
	case "triggerprice", "stopprice":
		return true, setPrice(&req.TriggerPrice, key, value)
	case "stoplossprice":
		return true, setPrice(&req.StopLossPrice, key, value)
	case "takeprofitprice":
		return true, setPrice(&req.TakeProfitPrice, key, value)
	case "trailingamount":
		return true, setPrice(&req.TrailingAmount, key, value)
	case "trailingpercent":
		return true, setPrice(&req.TrailingPercent, key, value)
	case "trailingtriggerprice":
		return true, setPrice(&req.TrailingTriggerPrice, key, value)
	case "leverage":
		return true, setPrice(&req.Leverage, key, value)
	case "cost":
		return true, setPrice(&req.Cost, key, value)
	case "stoploss.triggerprice":
		return true, setTrigger(&req.StopLoss, key, value)
	case "stoploss.price":
		return true, setAttachedPrice(&req.StopLoss, key, value)
	case "takeprofit.triggerprice":
		return true, setTrigger(&req.TakeProfit, key, value)
	case "takeprofit.price":
		return true, setAttachedPrice(&req.TakeProfit, key, value)
	case "timeinforce":
		req.TimeInForce = unified.TimeInForce(strings.ToUpper(value))
		if !req.TimeInForce.Valid() {
			return true, usageErrorf("%s %q is not GTC, IOC, FOK, PO or GTD", key, value)
		}
	case "postonly":
		return true, setBool(&req.PostOnly, key, value)
	case "reduceonly":
		return true, setBool(&req.ReduceOnly, key, value)
	case "clientorderid":
		req.ClientOrderID = value
	case "marginmode":
		req.MarginMode = unified.MarginMode(strings.ToLower(value))
		if !req.MarginMode.Valid() {
			return true, usageErrorf("%s %q is not cross or isolated", key, value)
		}
	default:
		return false, nil
	}
	return true, nil
}

// setPrice parses value into an optional decimal field.
func setPrice(field *decimal.NullDecimal, key, value string) error {
	d, err := parseDecimal(key, value)
	if err != nil {
		return err
	}
	*field = decimal.NewNullDecimal(d)
	return nil
}

// setTrigger sets the trigger price of an attached stop-loss or take-profit order.
func setTrigger(order **unified.AttachedOrder, key, value string) error {
	d, err := parseDecimal(key, value)
	if err != nil {
		return err
	}
	attached(order).TriggerPrice = d
	return nil
}

// setAttachedPrice sets the limit price of an attached stop-loss or take-profit order.
func setAttachedPrice(order **unified.AttachedOrder, key, value string) error {
	return setPrice(&attached(order).Price, key, value)
}

// attached returns *order, creating it first when it is nil.
func attached(order **unified.AttachedOrder) *unified.AttachedOrder {
	if *order == nil {
		*order = &unified.AttachedOrder{}
	}
	return *order
}

// setBool parses a boolean order param.
func setBool(field *bool, key, value string) error {
	b, err := strconv.ParseBool(value)
	if err != nil {
		return usageErrorf("%s wants true or false, not %q", key, value)
	}
	*field = b
	return nil
}

// usageErrorf is a usage error (exit code 2) without a hint.
func usageErrorf(format string, args ...any) error {
	return &failure{code: exitUsage, msg: fmt.Sprintf(format, args...)}
}
