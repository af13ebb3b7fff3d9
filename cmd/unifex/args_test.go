package main

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/unified"
)

// testNow is the "now" of the parsing tests.
var testNow = time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)

func TestParseCommandLine(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want commandLine
	}{
		{"empty", nil, commandLine{}},
		{"words only", []string{"binance", "fetchTicker", "BTC/USDT"},
			commandLine{words: []string{"binance", "fetchTicker", "BTC/USDT"}}},
		{"flags between words", []string{"fetchTrades", "--limit", "5", "BTC/USDT", "-format=table"},
			commandLine{words: []string{"fetchTrades", "BTC/USDT"}, flags: flags{limit: 5, hasLimit: true, format: formatTable}}},
		{"limit zero is given", []string{"--limit=0"}, commandLine{flags: flags{hasLimit: true}}},
		{"since as a duration", []string{"--since", "1h"}, commandLine{flags: flags{since: testNow.Add(-time.Hour)}}},
		{"params repeat, the later wins", []string{"--param", "a=1", "--param=b=x=y", "--param", "a=2"},
			commandLine{flags: flags{params: map[string]string{"a": "2", "b": "x=y"}}}},
		{"empty param value", []string{"--param", "category="}, commandLine{flags: flags{params: map[string]string{"category": ""}}}},
		{"duration and depth", []string{"--duration", "2s", "--depth", "3"}, commandLine{flags: flags{duration: 2 * time.Second, depth: 3}}},
		{"format in capitals", []string{"--format", "JSON"}, commandLine{flags: flags{format: formatJSON}}},
		{"help", []string{"fetchTicker", "-h"}, commandLine{words: []string{"fetchTicker"}, flags: flags{help: true}}},
		{"double dash ends flags", []string{"cancelOrder", "--", "-12", "--limit"}, commandLine{words: []string{"cancelOrder", "-12", "--limit"}}},
		{"a lone dash is a word", []string{"-"}, commandLine{words: []string{"-"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseCommandLine(tc.args, testNow)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(commandLine{}, flags{})); diff != "" {
				t.Errorf("parseCommandLine(%q) (-want +got):\n%s", tc.args, diff)
			}
		})
	}
}

func TestParseCommandLineErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string // in the message or the hint
	}{
		{[]string{"--lmit", "3"}, "did you mean --limit?"},
		{[]string{"--limit"}, "--limit needs a value"},
		{[]string{"--limit", "-1"}, "--limit wants a whole number"},
		{[]string{"--limit", "ten"}, "--limit wants a whole number"},
		{[]string{"--depth", "0"}, "--depth wants a whole number of one or more"},
		{[]string{"--format", "yaml"}, "--format is json or table"},
		{[]string{"--duration", "soon"}, "--duration wants a positive duration"},
		{[]string{"--duration", "-1s"}, "--duration wants a positive duration"},
		{[]string{"--param", "novalue"}, "--param wants key=value"},
		{[]string{"--param", "=x"}, "--param wants key=value"},
		{[]string{"--since", "yesterday"}, "RFC3339"},
		{[]string{"--help=yes"}, "--help takes no value"},
	} {
		_, err := parseCommandLine(tc.args, testNow)
		f, ok := err.(*failure)
		if !ok || f.code != exitUsage {
			t.Errorf("parseCommandLine(%q) = %v, want a usage failure", tc.args, err)
			continue
		}
		if !strings.Contains(f.msg+" "+f.hint, tc.want) {
			t.Errorf("parseCommandLine(%q) says %q (hint %q), want it to say %q", tc.args, f.msg, f.hint, tc.want)
		}
	}
}

func TestParseSince(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Time
	}{
		{"2024-01-02T03:04:05Z", time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)},
		{"2024-01-02T05:04:05.250+02:00", time.Date(2024, 1, 2, 3, 4, 5, 250e6, time.UTC)},
		{"2024-01-02", time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)},
		{"1704164645000", time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)},
		{"0", time.UnixMilli(0).UTC()},
		{"90s", testNow.Add(-90 * time.Second)},
		{"1h30m", testNow.Add(-90 * time.Minute)},
		{"7d", testNow.Add(-7 * 24 * time.Hour)},
	} {
		got, err := parseSince(tc.in, testNow)
		if err != nil || !got.Equal(tc.want) || got.Location() != time.UTC {
			t.Errorf("parseSince(%q) = %v, %v; want %v in UTC", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "yesterday", "-1h", "0d", "-3d", "2024-13-01", "1.5d"} {
		if got, err := parseSince(bad, testNow); err == nil {
			t.Errorf("parseSince(%q) = %v, want an error", bad, got)
		}
	}
}

func TestOrderRequest(t *testing.T) {
	for _, tc := range []struct {
		name   string
		args   []string
		params map[string]string
		want   unified.OrderRequest
		taken  map[string]bool
	}{
		{"limit", []string{"BTC/USDT", "limit", "buy", "0.01", "30000.5"}, nil,
			unified.OrderRequest{Symbol: "BTC/USDT", Type: unified.OrderTypeLimit, Side: unified.SideBuy, Amount: num("0.01"), Price: opt("30000.5")},
			map[string]bool{}},
		{"market, any letter case", []string{"ETH/USDT", "Market", "SELL", "2"}, nil,
			unified.OrderRequest{Symbol: "ETH/USDT", Type: unified.OrderTypeMarket, Side: unified.SideSell, Amount: num("2")},
			map[string]bool{}},
		{"CCXT params become fields, the rest stay params",
			[]string{"BTC/USDT:USDT", "limit", "sell", "1", "100"},
			map[string]string{"stopPrice": "90", "timeInForce": "ioc", "reduceOnly": "true", "clientOrderId": "my-1",
				"marginMode": "Isolated", "leverage": "5", "category": "linear"},
			unified.OrderRequest{Symbol: "BTC/USDT:USDT", Type: unified.OrderTypeLimit, Side: unified.SideSell, Amount: num("1"), Price: opt("100"),
				TriggerPrice: opt("90"), TimeInForce: unified.TIFIOC, ReduceOnly: true, ClientOrderID: "my-1",
				MarginMode: unified.MarginModeIsolated, Leverage: opt("5")},
			map[string]bool{"stopPrice": true, "timeInForce": true, "reduceOnly": true, "clientOrderId": true,
				"marginMode": true, "leverage": true, "category": false}},
		{"attached stop loss and take profit",
			[]string{"BTC/USDT", "limit", "buy", "1", "100"},
			map[string]string{"stopLoss.triggerPrice": "90", "stopLoss.price": "89", "takeProfit.triggerPrice": "120", "postOnly": "true"},
			unified.OrderRequest{Symbol: "BTC/USDT", Type: unified.OrderTypeLimit, Side: unified.SideBuy, Amount: num("1"), Price: opt("100"),
				StopLoss:   &unified.AttachedOrder{TriggerPrice: num("90"), Price: opt("89")},
				TakeProfit: &unified.AttachedOrder{TriggerPrice: num("120")}, PostOnly: true},
			map[string]bool{"stopLoss.triggerPrice": true, "stopLoss.price": true, "takeProfit.triggerPrice": true, "postOnly": true}},
		{"market order sized by cost", []string{"BTC/USDT", "market", "buy", "0"}, map[string]string{"cost": "100"},
			unified.OrderRequest{Symbol: "BTC/USDT", Type: unified.OrderTypeMarket, Side: unified.SideBuy, Amount: decimal.Zero, Cost: opt("100")},
			map[string]bool{"cost": true}},
		{"trailing stop", []string{"BTC/USDT:USDT", "market", "sell", "1"},
			map[string]string{"trailingPercent": "2.5", "trailingTriggerPrice": "70000"},
			unified.OrderRequest{Symbol: "BTC/USDT:USDT", Type: unified.OrderTypeMarket, Side: unified.SideSell, Amount: num("1"),
				TrailingPercent: opt("2.5"), TrailingTriggerPrice: opt("70000")},
			map[string]bool{"trailingPercent": true, "trailingTriggerPrice": true}},
		{"trigger and stop-loss prices", []string{"BTC/USDT", "market", "sell", "1"},
			map[string]string{"triggerPrice": "50", "takeProfitPrice": "70"},
			unified.OrderRequest{}, nil}, // only one may be set: Validate refuses
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, taken, err := orderRequest(tc.args, tc.params)
			if tc.taken == nil {
				if f, ok := err.(*failure); !ok || f.code != exitUsage {
					t.Fatalf("orderRequest = %v, want a usage failure", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("request (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.taken, taken); diff != "" {
				t.Errorf("taken (-want +got):\n%s", diff)
			}
		})
	}
}

func TestOrderRequestErrors(t *testing.T) {
	order := []string{"BTC/USDT", "limit", "buy", "1", "100"}
	for _, tc := range []struct {
		args   []string
		params map[string]string
		want   string
	}{
		{[]string{"BTC/USDT", "stop", "buy", "1"}, nil, `order type "stop" is not market or limit`},
		{[]string{"BTC/USDT", "limit", "long", "1", "1"}, nil, `side "long" is not buy or sell`},
		{[]string{"BTC/USDT", "limit", "buy", "one", "1"}, nil, `amount "one" is not a decimal number`},
		{[]string{"BTC/USDT", "limit", "buy", "1", "1e"}, nil, `price "1e" is not a decimal number`},
		{[]string{"BTC/USDT", "limit", "buy", "1"}, nil, "a limit order needs a price"},
		{[]string{"BTC/USDT", "limit", "buy", "-1", "1"}, nil, "amount -1 is negative"},
		{order, map[string]string{"timeInForce": "day"}, `timeInForce "day" is not GTC`},
		{order, map[string]string{"marginMode": "portfolio"}, `marginMode "portfolio" is not cross or isolated`},
		{order, map[string]string{"postOnly": "perhaps"}, "postOnly wants true or false"},
		{order, map[string]string{"stopLossPrice": "low"}, `stopLossPrice "low" is not a decimal number`},
	} {
		_, _, err := orderRequest(tc.args, tc.params)
		if f, ok := err.(*failure); !ok || f.code != exitUsage || !strings.Contains(f.msg, tc.want) {
			t.Errorf("orderRequest(%q, %v) = %v, want a usage failure saying %q", tc.args, tc.params, err, tc.want)
		}
	}
}

func TestCallOptions(t *testing.T) {
	f := flags{limit: 7, hasLimit: true, since: testNow,
		params: map[string]string{"postOnly": "true", "hidden": "false", "qty": "0.10", "category": "linear"}}
	got := exchange.Apply(f.callOptions(map[string]bool{"postOnly": true}))
	want := exchange.CallOptions{Since: testNow, Limit: 7, Params: map[string]any{"hidden": false, "qty": "0.10", "category": "linear"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("call options (-want +got):\n%s", diff)
	}
	if got := (&flags{}).callOptions(nil); len(got) != 0 {
		t.Errorf("no flags gave %d options, want none", len(got))
	}
}

func TestParseURLs(t *testing.T) {
	got, ok := parseURLs("rest=http://127.0.0.1:1/api?x=1, ws=ws://127.0.0.1:2")
	want := map[string]string{"rest": "http://127.0.0.1:1/api?x=1", "ws": "ws://127.0.0.1:2"}
	if !ok || !cmp.Equal(want, got) {
		t.Errorf("parseURLs = %v, %v; want %v", got, ok, want)
	}
	for _, bad := range []string{"http://127.0.0.1", "rest=", "=http://x", "rest=http://x,,ws=ws://y"} {
		if got, ok := parseURLs(bad); ok {
			t.Errorf("parseURLs(%q) = %v, want a refusal", bad, got)
		}
	}
}

func TestParseSymbols(t *testing.T) {
	if got := parseSymbols(" BTC/USDT, ETH/USDT ,,"); !cmp.Equal(got, []string{"BTC/USDT", "ETH/USDT"}) {
		t.Errorf("parseSymbols = %q", got)
	}
	if got := parseSymbols(""); got != nil {
		t.Errorf("parseSymbols(\"\") = %q, want nil (all markets)", got)
	}
}
