package binance_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/unifex-go/unifex/adapters/binance"
	"github.com/unifex-go/unifex/adapters/binance/binancetest"
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/unified"
)

// startFake starts the fake of product and an adapter on it that keeps the
// native events (their update ids tell which book a touch belongs to).
func startFake(t *testing.T, product binancetest.Product) (*binance.Exchange, *binancetest.Server) {
	t.Helper()
	return fakeBinance(t, product, exchange.Config{KeepInfo: true})
}

// fakeBinance starts the fake of product (seed 7) and an adapter on it
// with cfg, its URLs set to the fake's; both end with the test.
func fakeBinance(t *testing.T, product binancetest.Product, cfg exchange.Config) (*binance.Exchange, *binancetest.Server) {
	t.Helper()
	srv := binancetest.Start(binancetest.Config{Product: product, Seed: 7, History: 4096})
	t.Cleanup(srv.Close)
	cfg.URLs = srv.URLs()
	x, err := binance.New(product.String(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = x.Close() })
	return x, srv
}

// stepUntil steps the fake until read returns, each read waiting a little.
func stepUntil[T any](t *testing.T, ctx context.Context, srv *binancetest.Server, read func(context.Context) (T, error)) T {
	t.Helper()
	for {
		rctx, cancel := context.WithTimeout(ctx, 30*time.Millisecond)
		v, err := read(rctx)
		cancel()
		switch {
		case err == nil:
			return v
		case ctx.Err() != nil || !errors.Is(err, context.DeadlineExceeded):
			t.Fatal(err)
		}
		srv.Step(5)
	}
}

// TestBidsAsksMatchTheFakesBook: every best bid and ask delivered is the
// touch of the fake's book at the update id the event names, on all three
// products (on USD-M the stream rides /public, which the fake enforces).
func TestBidsAsksMatchTheFakesBook(t *testing.T) {
	for _, product := range []binancetest.Product{binancetest.Spot, binancetest.USDM, binancetest.COINM} {
		t.Run(product.String(), func(t *testing.T) {
			x, srv := startFake(t, product)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			symbols := srv.Symbols()[:2]
			checked := map[string]int{}
			for n := 0; n < 40; n++ {
				got := stepUntil(t, ctx, srv, func(ctx context.Context) (map[string]*unified.Ticker, error) {
					return x.WatchBidsAsks(ctx, symbols)
				})
				for symbol, tk := range got {
					checked[symbol]++
					var info struct {
						U int64 `json:"u"` // the only key folding to "u"
					}
					raw, _ := json.Marshal(tk.Info)
					if err := json.Unmarshal(raw, &info); err != nil || info.U == 0 {
						t.Fatalf("%s: info %s: %v", symbol, raw, err)
					}
					bids, asks, ok := srv.BookAt(symbol, info.U)
					if !ok || len(bids) == 0 || len(asks) == 0 {
						t.Fatalf("%s: the fake has no book at %d", symbol, info.U)
					}
					if !tk.Bid.Decimal.Equal(bids[0].Price) || !tk.BidVolume.Decimal.Equal(bids[0].Amount) ||
						!tk.Ask.Decimal.Equal(asks[0].Price) || !tk.AskVolume.Decimal.Equal(asks[0].Amount) {
						t.Fatalf("%s at %d: %s@%s / %s@%s, the fake has %s@%s / %s@%s", symbol, info.U,
							tk.BidVolume.Decimal, tk.Bid.Decimal, tk.AskVolume.Decimal, tk.Ask.Decimal,
							bids[0].Amount, bids[0].Price, asks[0].Amount, asks[0].Price)
					}
					if tk.Symbol != symbol || tk.Last.Valid || (product == binancetest.Spot) != tk.Timestamp.IsZero() {
						t.Fatalf("%s: %+v", symbol, tk)
					}
				}
			}
			if len(checked) != len(symbols) {
				t.Fatalf("touches checked per symbol: %v", checked)
			}
			if err := x.UnwatchBidsAsks(ctx, symbols); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestFundingRatesFromTheFake: mark price streams of the futures fakes
// (USD-M on /market) give perpetuals their rate and next funding time,
// and dated contracts none; spot refuses the watch.
func TestFundingRatesFromTheFake(t *testing.T) {
	for _, product := range []binancetest.Product{binancetest.USDM, binancetest.COINM} {
		t.Run(product.String(), func(t *testing.T) {
			x, srv := startFake(t, product)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			symbols := srv.Symbols() // two perpetuals and a quarterly contract
			seen := map[string]*unified.FundingRate{}
			for len(seen) < len(symbols) {
				got := stepUntil(t, ctx, srv, func(ctx context.Context) (map[string]*unified.FundingRate, error) {
					return x.WatchFundingRates(ctx, symbols)
				})
				for s, f := range got {
					seen[s] = f
				}
			}
			for _, symbol := range symbols {
				f := seen[symbol]
				dated := strings.Count(symbol, "-") == 1
				if f.Symbol != symbol || !f.MarkPrice.Valid || !f.MarkPrice.Decimal.IsPositive() || !f.IndexPrice.Valid ||
					!f.EstimatedSettlePrice.Valid || f.Timestamp.IsZero() {
					t.Errorf("%s: %+v", symbol, f)
				}
				if dated {
					if f.Rate.Valid || !f.FundingTime.IsZero() {
						t.Errorf("%s, a dated contract, has funding: %v at %v", symbol, f.Rate, f.FundingTime)
					}
					continue
				}
				next := f.Timestamp.UTC().Truncate(8 * time.Hour).Add(8 * time.Hour)
				if f.Rate.Decimal.String() != "0.0001" || !f.FundingTime.Equal(next) {
					t.Errorf("%s: rate %v at %v, want 0.0001 at %v", symbol, f.Rate, f.FundingTime, next)
				}
			}
			one := stepUntil(t, ctx, srv, func(ctx context.Context) (*unified.FundingRate, error) {
				return x.WatchFundingRate(ctx, symbols[0])
			})
			if one.Symbol != symbols[0] {
				t.Errorf("WatchFundingRate(%s): %+v", symbols[0], one)
			}
			if err := x.UnwatchFundingRate(ctx, symbols[0]); err != nil {
				t.Fatal(err)
			}
		})
	}
	x, srv := startFake(t, binancetest.Spot)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := x.WatchFundingRate(ctx, srv.Symbols()[0]); !errors.Is(err, errors.NotSupported) {
		t.Fatalf("spot: %v, want NotSupported", err)
	}
}
