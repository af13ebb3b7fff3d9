package main

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/adapter"
	"github.com/unifex-go/unifex/unified"
)

// sampleArgs are values for every argument name of the method table.
var sampleArgs = map[string]string{
	"symbol": "BTC/USDT", "symbols": "BTC/USDT,ETH/USDT", "timeframe": "1h", "id": "42", "type": "market", "side": "buy",
	"amount": "0.5", "price": "100", "code": "USDT", "address": "addr", "tag": "memo", "leverage": "5", "reload": "true",
}

// argsFor returns sample values for all of m's arguments, optional ones included.
func argsFor(t *testing.T, m method) []string {
	var args []string
	for _, name := range strings.Fields(m.args) {
		v, ok := sampleArgs[strings.Trim(name, "[]")]
		if !ok {
			t.Fatalf("no sample value for argument %q", name)
		}
		args = append(args, v)
	}
	return args
}

// newBare returns an exchange whose every method but LoadMarkets answers
// NotSupported naming the method, so that a call shows which method it reached.
func newBare(t *testing.T) exchange.Exchange {
	base, err := adapter.New(adapter.Spec{ID: "bare", LoadMarkets: func(context.Context) ([]unified.Market, []unified.Currency, error) {
		return fakeMarkets, nil, nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { base.Close() })
	return base
}

// TestEveryFeatureIsCallable checks that the method table has every unified
// method, and that calling an entry calls the method of its name.
func TestEveryFeatureIsCallable(t *testing.T) {
	if len(methods) != len(exchange.AllFeatures()) {
		t.Errorf("the method table has %d entries for %d features", len(methods), len(exchange.AllFeatures()))
	}
	ex := newBare(t)
	for _, f := range exchange.AllFeatures() {
		m, ok := methods[f]
		if !ok || m.call == nil || m.about == "" {
			t.Errorf("%s has no complete entry in the method table", f)
			continue
		}
		least, most := m.arity()
		if least > most || most != len(strings.Fields(m.args)) {
			t.Errorf("%s: arity %d..%d does not fit %q", f, least, most, m.args)
		}
		for _, n := range []int{least, most} {
			in := input{args: argsFor(t, m)[:n], flags: &flags{}}
			_, err := m.call(context.Background(), ex, in)
			if f == exchange.FeatureLoadMarkets {
				if err != nil {
					t.Errorf("%s %q: %v", f, in.args, err)
				}
				continue
			}
			if !errors.Is(err, errors.NotSupported) || !strings.Contains(err.Error(), " "+f.String()+" is not supported") {
				t.Errorf("%s %q reached %v, want the method %s", f, in.args, err, f)
			}
		}
	}
}

// recorder records the calls of the methods whose arguments need mapping.
type recorder struct {
	*adapter.Base
	calls []string
}

// record notes a call. The methods below override the Base's to record
// their arguments.
func (r *recorder) record(format string, args ...any) {
	r.calls = append(r.calls, fmt.Sprintf(format, args...))
}

func (r *recorder) FetchTickers(_ context.Context, symbols []string, _ ...exchange.Option) (map[string]*unified.Ticker, error) {
	r.record("fetchTickers %q", symbols)
	return nil, nil
}

func (r *recorder) FetchOHLCV(_ context.Context, symbol, timeframe string, _ ...exchange.Option) ([]unified.OHLCV, error) {
	r.record("fetchOHLCV %s %s", symbol, timeframe)
	return nil, nil
}

func (r *recorder) CreateOrder(_ context.Context, req unified.OrderRequest, _ ...exchange.Option) (*unified.Order, error) {
	r.record("createOrder %s %s %s %s %s %t", req.Symbol, req.Type, req.Side, req.Amount, req.Price.Decimal, req.Price.Valid)
	return nil, nil
}

func (r *recorder) EditOrder(_ context.Context, id string, req unified.OrderRequest, _ ...exchange.Option) (*unified.Order, error) {
	r.record("editOrder %s %s %s %s %s %s", id, req.Symbol, req.Type, req.Side, req.Amount, req.Price.Decimal)
	return nil, nil
}

func (r *recorder) EditOrderWs(_ context.Context, id string, req unified.OrderRequest, _ ...exchange.Option) (*unified.Order, error) {
	r.record("editOrderWs %s %s %s %s %s %s %t", id, req.Symbol, req.Type, req.Side, req.Amount, req.Price.Decimal, req.Price.Valid)
	return nil, nil
}

func (r *recorder) CancelOrder(_ context.Context, id, symbol string, _ ...exchange.Option) (*unified.Order, error) {
	r.record("cancelOrder %s %q", id, symbol)
	return nil, nil
}

func (r *recorder) FetchOrder(_ context.Context, id, symbol string, _ ...exchange.Option) (*unified.Order, error) {
	r.record("fetchOrder %s %q", id, symbol)
	return nil, nil
}

func (r *recorder) FetchLeverage(_ context.Context, symbol string, _ ...exchange.Option) (*unified.Leverage, error) {
	r.record("fetchLeverage %s", symbol)
	return nil, nil
}

func (r *recorder) SetLeverage(_ context.Context, leverage decimal.Decimal, symbol string, _ ...exchange.Option) error {
	r.record("setLeverage %s %s", leverage, symbol)
	return nil
}

func (r *recorder) Withdraw(_ context.Context, code string, amount decimal.Decimal, address, tag string, _ ...exchange.Option) (*unified.Transaction, error) {
	r.record("withdraw %s %s %s %q", code, amount, address, tag)
	return nil, nil
}

func (r *recorder) WatchOHLCV(_ context.Context, symbol, timeframe string, _ ...exchange.Option) ([]unified.OHLCV, error) {
	r.record("watchOHLCV %s %s", symbol, timeframe)
	return nil, nil
}

func (r *recorder) WatchOrderBookForSymbols(_ context.Context, symbols []string, _ ...exchange.Option) (*unified.OrderBook, error) {
	r.record("watchOrderBookForSymbols %q", symbols)
	return nil, nil
}

func (r *recorder) WatchBidsAsks(_ context.Context, symbols []string, _ ...exchange.Option) (map[string]*unified.Ticker, error) {
	r.record("watchBidsAsks %q", symbols)
	return nil, nil
}

func (r *recorder) WatchFundingRates(_ context.Context, symbols []string, _ ...exchange.Option) (map[string]*unified.FundingRate, error) {
	r.record("watchFundingRates %q", symbols)
	return nil, nil
}

func (r *recorder) UnwatchBidsAsks(_ context.Context, symbols []string) error {
	r.record("unWatchBidsAsks %q", symbols)
	return nil
}

func (r *recorder) UnwatchOHLCV(_ context.Context, symbol, timeframe string) error {
	r.record("unWatchOHLCV %s %s", symbol, timeframe)
	return nil
}

// TestArgumentMapping checks that positional arguments reach the method's
// parameters as CCXT orders them, with the defaults of optional ones.
func TestArgumentMapping(t *testing.T) {
	r := &recorder{Base: newBare(t).(*adapter.Base)}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"fetchTickers"}, "fetchTickers []"},
		{[]string{"fetchTickers", "BTC/USDT,ETH/USDT"}, `fetchTickers ["BTC/USDT" "ETH/USDT"]`},
		{[]string{"fetchOHLCV", "BTC/USDT"}, "fetchOHLCV BTC/USDT 1m"},
		{[]string{"fetchOHLCV", "BTC/USDT", "4h"}, "fetchOHLCV BTC/USDT 4h"},
		{[]string{"createOrder", "BTC/USDT", "limit", "buy", "0.5", "100"}, "createOrder BTC/USDT limit buy 0.5 100 true"},
		{[]string{"createOrder", "BTC/USDT", "market", "sell", "2"}, "createOrder BTC/USDT market sell 2 0 false"},
		{[]string{"editOrder", "42", "BTC/USDT", "limit", "sell", "1", "101"}, "editOrder 42 BTC/USDT limit sell 1 101"},
		{[]string{"editOrderWs", "42", "BTC/USDT", "limit", "sell", "1", "101"}, "editOrderWs 42 BTC/USDT limit sell 1 101 true"},
		{[]string{"editOrderWs", "42", "BTC/USDT:USDT", "market", "sell", "0.5"}, "editOrderWs 42 BTC/USDT:USDT market sell 0.5 0 false"},
		{[]string{"cancelOrder", "42"}, `cancelOrder 42 ""`},
		{[]string{"cancelOrder", "42", "BTC/USDT"}, `cancelOrder 42 "BTC/USDT"`},
		{[]string{"fetchOrder", "42", "ETH/USDT"}, `fetchOrder 42 "ETH/USDT"`},
		{[]string{"setLeverage", "20", "BTC/USDT:USDT"}, "setLeverage 20 BTC/USDT:USDT"},
		{[]string{"fetchLeverage", "BTC/USDT:USDT"}, "fetchLeverage BTC/USDT:USDT"},
		{[]string{"withdraw", "USDT", "15.5", "T9yD"}, `withdraw USDT 15.5 T9yD ""`},
		{[]string{"withdraw", "XRP", "15", "rAddr", "1234"}, `withdraw XRP 15 rAddr "1234"`},
		{[]string{"watchOHLCV", "BTC/USDT"}, "watchOHLCV BTC/USDT 1m"},
		{[]string{"watchOrderBookForSymbols", "BTC/USDT,ETH/BTC"}, `watchOrderBookForSymbols ["BTC/USDT" "ETH/BTC"]`},
		{[]string{"unWatchOHLCV", "BTC/USDT", "5m"}, "unWatchOHLCV BTC/USDT 5m"},
		{[]string{"watchBidsAsks", "BTC/USDT,ETH/USDT"}, `watchBidsAsks ["BTC/USDT" "ETH/USDT"]`},
		{[]string{"watchFundingRates", "BTC/USDT:USDT,ETH/USDT:USDT"}, `watchFundingRates ["BTC/USDT:USDT" "ETH/USDT:USDT"]`},
		{[]string{"unWatchBidsAsks", "BTC/USDT"}, `unWatchBidsAsks ["BTC/USDT"]`},
	} {
		f, ok := resolveMethod(tc.args[0])
		if !ok {
			t.Fatalf("no method %s", tc.args[0])
		}
		r.calls = nil
		if _, err := methods[f].call(context.Background(), r, input{args: tc.args[1:], flags: &flags{}}); err != nil {
			t.Errorf("%q: %v", tc.args, err)
			continue
		}
		if !cmp.Equal([]string{tc.want}, r.calls) {
			t.Errorf("%q called %q, want %q", tc.args, r.calls, tc.want)
		}
	}
}

func TestResolveMethod(t *testing.T) {
	for _, name := range []string{"fetchTicker", "FetchTicker", "fetchticker", "FETCHTICKER"} {
		if f, ok := resolveMethod(name); !ok || f != exchange.FeatureFetchTicker {
			t.Errorf("resolveMethod(%q) = %v, %v; want fetchTicker", name, f, ok)
		}
	}
	if f, ok := resolveMethod("UnwatchOHLCV"); !ok || f != exchange.FeatureUnwatchOHLCV {
		t.Errorf("resolveMethod(UnwatchOHLCV) = %v, %v", f, ok)
	}
	for _, name := range []string{"", "fetch", "fetchTickerz", "has", "exchanges"} {
		if f, ok := resolveMethod(name); ok {
			t.Errorf("resolveMethod(%q) = %v, want none", name, f)
		}
	}
}

func TestSuggestions(t *testing.T) {
	for _, tc := range []struct {
		name       string
		candidates []string
		want       []string
	}{
		{"fetchTikcer", methodNames(), []string{"fetchTicker", "fetchTickers"}},
		{"fetchOrderbook", methodNames(), []string{"fetchOrderBook"}},
		{"watchTrade", methodNames(), []string{"watchTrades"}},
		{"crateOrder", methodNames(), []string{"createOrder"}},
		{"fetchOrdr", methodNames(), []string{"fetchOrder", "fetchOrders"}},
		{"binanse", []string{"binance", "bitbank", "sim"}, []string{"binance"}},
		{"btc/usdt", []string{"BTC/USDT", "BTC/USDT:USDT", "ETH/BTC", "ETH/USDT"}, []string{"BTC/USDT"}},
		{"BTCUSDT", []string{"BTC/USDT", "BTC/USDT:USDT", "ETH/BTC", "ETH/USDT"}, []string{"BTC/USDT"}},
		{"XRP/JPY", []string{"BTC/USDT", "BTC/USDT:USDT", "ETH/BTC", "ETH/USDT"}, nil},
		{"completelyDifferent", methodNames(), nil},
	} {
		if got := closest(tc.name, tc.candidates); !cmp.Equal(tc.want, got) {
			t.Errorf("closest(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
	if got := suggestionHint([]string{"a", "b", "c"}, "--"); got != "did you mean --a, --b or --c? " {
		t.Errorf("suggestionHint = %q", got)
	}
}

func TestEditDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "", 3}, {"", "ab", 2}, {"kitten", "sitting", 3},
		{"fetchtikcer", "fetchticker", 1}, // a swap of two letters is one edit
		{"ca", "abc", 3}, {"abcdef", "abcdef", 0},
	} {
		if got := editDistance(tc.a, tc.b); got != tc.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := editDistance(tc.b, tc.a); got != tc.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tc.b, tc.a, got, tc.want)
		}
	}
}

func TestUsageLine(t *testing.T) {
	for f, want := range map[exchange.Feature]string{
		exchange.FeatureFetchOHLCV:   "unifex [<exchange>] fetchOHLCV symbol [timeframe]",
		exchange.FeatureFetchBalance: "unifex [<exchange>] fetchBalance",
		exchange.FeatureCreateOrder:  "unifex [<exchange>] createOrder symbol type side amount [price]",
	} {
		if got := usage(f); got != want {
			t.Errorf("usage(%s) = %q, want %q", f, got, want)
		}
	}
}
