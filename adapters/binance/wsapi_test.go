package binance_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/adapters/binance"
	"github.com/unifex-go/unifex/adapters/binance/binancetest"
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/unified"
)

// TestOrderEntryOverWebSocket places and cancels an order over the
// WebSocket API of each product against the fake Binance, which verifies
// every request's signature.
func TestOrderEntryOverWebSocket(t *testing.T) {
	for _, product := range []binancetest.Product{binancetest.Spot, binancetest.USDM, binancetest.COINM} {
		t.Run(product.String(), func(t *testing.T) {
			srv := binancetest.Start(binancetest.Config{Product: product, Seed: 5})
			defer srv.Close()
			ex, err := binance.New(product.String(), exchange.Config{URLs: srv.URLs(),
				APIKey: binancetest.TestAPIKey, Secret: binancetest.TestSecret})
			if err != nil {
				t.Fatal(err)
			}
			defer ex.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			req := srv.OrderRequest(0)
			placed, err := ex.CreateOrderWs(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			if placed.ID == "" || placed.Symbol != req.Symbol || !strings.HasPrefix(placed.ClientOrderID, "x-unifex-") ||
				(placed.Status != unified.StatusOpen && placed.Status != unified.StatusClosed) {
				t.Fatalf("placed %+v", placed)
			}
			if placed.Status == unified.StatusOpen {
				canceled, err := ex.CancelOrderWs(ctx, placed.ID, placed.Symbol)
				if err != nil || canceled.ID != placed.ID || canceled.Status != unified.StatusCanceled {
					t.Fatalf("canceled %+v %v", canceled, err)
				}
			}
			_, err = ex.CancelOrderWs(ctx, "999999999", req.Symbol)
			if !errors.Is(err, errors.OrderNotFound) {
				t.Fatalf("canceling an unknown order: %v, want OrderNotFound", err)
			}
			if product != binancetest.Spot {
				stop := req
				stop.Type, stop.Price, stop.StopLossPrice = unified.OrderTypeMarket, decimal.NullDecimal{}, req.Price
				if _, err := ex.CreateOrderWs(ctx, stop); !errors.Is(err, errors.NotSupported) {
					t.Fatalf("a conditional order over the WebSocket API: %v, want NotSupported (the Algo Service is REST)", err)
				}
			}
		})
	}
}

// TestWatchPositions: a futures fill moves the position the watcher sees,
// through the ACCOUNT_UPDATE event (which carries no mark price, unlike
// the REST positions the reconciliation publishes).
func TestWatchPositions(t *testing.T) {
	srv := binancetest.Start(binancetest.Config{Product: binancetest.USDM, Seed: 9})
	defer srv.Close()
	ex, err := binance.New("binanceusdm", exchange.Config{URLs: srv.URLs(), NewUpdates: true,
		APIKey: binancetest.TestAPIKey, Secret: binancetest.TestSecret})
	if err != nil {
		t.Fatal(err)
	}
	defer ex.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	const symbol = "BTC/USDT:USDT"
	got := make(chan []unified.Position, 8)
	go func() {
		for ctx.Err() == nil {
			ps, err := ex.WatchPositions(ctx, []string{symbol})
			if err == nil {
				got <- ps
			}
		}
	}()
	market := unified.OrderRequest{Symbol: symbol, Type: unified.OrderTypeMarket, Side: unified.SideBuy, Amount: decimal.RequireFromString("0.01")}
	for {
		if _, err := ex.CreateOrder(ctx, market); err != nil {
			t.Fatal(err)
		}
		select {
		case ps := <-got:
			for _, p := range ps {
				if p.Symbol != symbol || p.MarkPrice.Valid {
					continue // the reconciliation's
				}
				if p.Side != unified.PositionLong || !p.Contracts.Decimal.IsPositive() || !p.EntryPrice.Valid || p.Notional.Valid {
					t.Fatalf("position from the event %+v", p)
				}
				return
			}
		case <-time.After(300 * time.Millisecond): // the stream may not have been up yet
		case <-ctx.Done():
			t.Fatal("no position reached WatchPositions")
		}
	}
}
