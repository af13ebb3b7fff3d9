package adapter

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/unified"
)

func TestBaseWithoutStreamsAnswersNotSupported(t *testing.T) {
	var loads atomic.Int32
	b, err := New(Spec{ID: "plain", Features: exchange.NewFeatures(exchange.FeatureLoadMarkets),
		LoadMarkets: func(context.Context) ([]unified.Market, []unified.Currency, error) {
			loads.Add(1)
			return []unified.Market{{ID: "BTCUSDT", Symbol: "BTC/USDT", Base: "BTC", Quote: "USDT", Type: unified.Spot, Spot: true}}, nil, nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var ex exchange.Exchange = b
	for name, call := range map[string]func() error{
		"fetchTicker":    func() error { _, err := ex.FetchTicker(ctx, "BTC/USDT"); return err },
		"createOrder":    func() error { _, err := ex.CreateOrder(ctx, unified.OrderRequest{}); return err },
		"setLeverage":    func() error { return ex.SetLeverage(ctx, decimal.NewFromInt(3), "BTC/USDT") },
		"fetchLeverage":  func() error { _, err := ex.FetchLeverage(ctx, "BTC/USDT"); return err },
		"withdraw":       func() error { _, err := ex.Withdraw(ctx, "BTC", decimal.NewFromInt(1), "addr", ""); return err },
		"watchOrderBook": func() error { _, err := ex.WatchOrderBook(ctx, "BTC/USDT"); return err },
		"orderBook":      func() error { _, err := ex.OrderBook("BTC/USDT", 5); return err },
		"unwatchTrades":  func() error { return ex.UnwatchTrades(ctx, "BTC/USDT") },
		"consumer":       func() error { _, err := ex.NewConsumer().WatchTrades(ctx, "BTC/USDT"); return err },
	} {
		err := call()
		var e *errors.Error
		if !errors.Is(err, errors.NotSupported) || !errors.As(err, &e) || e.Exchange != "plain" {
			t.Errorf("%s: %v, want NotSupported naming the exchange", name, err)
		}
	}
	for range 3 {
		if _, err := ex.LoadMarkets(ctx, false); err != nil {
			t.Fatal(err)
		}
	}
	if loads.Load() != 1 {
		t.Fatalf("markets loaded %d times", loads.Load())
	}
	if ex.ID() != "plain" || !ex.Has(exchange.FeatureLoadMarkets) || ex.Has(exchange.FeatureFetchTicker) {
		t.Fatal("identity or features wrong")
	}
	if err := ex.Close(); err != nil {
		t.Fatal(err)
	}
	if err := ex.Close(); err != nil {
		t.Fatal("second Close:", err)
	}
}

func TestSpecNeedsIDAndLoader(t *testing.T) {
	if _, err := New(Spec{}); !errors.Is(err, errors.ArgumentsRequired) {
		t.Fatalf("empty spec: %v", err)
	}
}
