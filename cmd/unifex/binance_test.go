package main

import (
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/adapters/binance/binancetest"
	"github.com/unifex-go/unifex/internal/leaktest"
	"github.com/unifex-go/unifex/unified"
)

// useBinance points the binance ids at a fake Binance of product.
func useBinance(t *testing.T, product binancetest.Product) *binancetest.Server {
	srv := binancetest.Start(binancetest.Config{Product: product, Seed: 3})
	t.Cleanup(srv.Close)
	urls := srv.URLs()
	prefix := "UNIFEX_" + strings.ToUpper(product.String()) + "_"
	t.Setenv(prefix+"URLS", "rest="+urls["rest"]+",stream="+urls["stream"]+",wsapi="+urls["wsapi"])
	t.Setenv(prefix+"API_KEY", binancetest.TestAPIKey)
	t.Setenv(prefix+"SECRET", binancetest.TestSecret)
	return srv
}

// TestBinanceAgainstTheFakeVenue: the CLI reads, watches and trades
// Binance (spot and USD-M) through the fake server.
func TestBinanceAgainstTheFakeVenue(t *testing.T) {
	leaktest.Check(t)
	clearEnv(t)
	spot := useBinance(t, binancetest.Spot)
	var book unified.OrderBook
	decode(t, mustRun(t, "binance", "fetchOrderBook", "BTC/USDT", "--limit", "5"), &book)
	if book.Symbol != "BTC/USDT" || len(book.Bids) == 0 || len(book.Bids) > 5 || !book.Bids[0].Price.LessThan(book.Asks[0].Price) {
		t.Fatalf("book %+v", book)
	}
	// A watch streams books until --duration while the venue moves.
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 50; i++ {
			spot.Step(20)
			time.Sleep(20 * time.Millisecond)
		}
	}()
	out := mustRun(t, "binance", "watchOrderBook", "BTC/USDT", "--format", "json", "--duration", "1s")
	<-done
	if n := strings.Count(out, `"symbol":"BTC/USDT"`); n < 2 {
		t.Fatalf("watchOrderBook printed %d books:\n%s", n, out)
	}
	// Trading: a limit buy well below the touch, then its cancellation.
	price := book.Bids[0].Price.Mul(decimal.RequireFromString("0.9")).Round(2).String()
	var placed unified.Order
	decode(t, mustRun(t, "binance", "createOrder", "BTC/USDT", "limit", "buy", "0.001", price), &placed)
	if placed.ID == "" || placed.Status != unified.StatusOpen || !strings.HasPrefix(placed.ClientOrderID, "x-unifex-") {
		t.Fatalf("placed %+v", placed)
	}
	var canceled unified.Order
	decode(t, mustRun(t, "binance", "cancelOrder", placed.ID, "BTC/USDT"), &canceled)
	if canceled.ID != placed.ID || canceled.Status != unified.StatusCanceled {
		t.Fatalf("canceled %+v", canceled)
	}
	useBinance(t, binancetest.USDM)
	var rate unified.FundingRate
	decode(t, mustRun(t, "binanceusdm", "fetchFundingRate", "BTC/USDT:USDT"), &rate)
	if rate.Symbol != "BTC/USDT:USDT" || !rate.MarkPrice.Valid {
		t.Fatalf("funding rate %+v", rate)
	}
}
