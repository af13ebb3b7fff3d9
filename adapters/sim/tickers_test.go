package sim_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/unifex-go/unifex/adapters/sim/venue"
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/leaktest"
	"github.com/unifex-go/unifex/unified"
)

// stepUntil steps the venue until read returns, each read waiting a little.
func stepUntil[T any](t *testing.T, ctx context.Context, v *venue.Venue, read func(context.Context) (T, error)) T {
	t.Helper()
	for {
		rctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
		got, err := read(rctx)
		cancel()
		switch {
		case err == nil:
			return got
		case ctx.Err() != nil || !errors.Is(err, context.DeadlineExceeded):
			t.Fatal(err)
		}
		v.Step(3)
	}
}

// TestBidsAsksMatchTheVenue: every best bid and ask delivered is the touch
// of the venue's book at the sequence number the message carries.
func TestBidsAsksMatchTheVenue(t *testing.T) {
	leaktest.Check(t)
	ex, v := newPair(t, exchange.Config{KeepInfo: true})
	ctx := testCtx(t)
	symbols := v.Symbols()
	checked := map[string]int{}
	for n := 0; n < 60; n++ {
		got := stepUntil(t, ctx, v, func(ctx context.Context) (map[string]*unified.Ticker, error) {
			return ex.WatchBidsAsks(ctx, symbols)
		})
		for symbol, tk := range got {
			checked[symbol]++
			var info struct {
				Seq int64 `json:"seq"`
			}
			raw, _ := json.Marshal(tk.Info)
			if err := json.Unmarshal(raw, &info); err != nil {
				t.Fatalf("%s: info %s: %v", symbol, raw, err)
			}
			bids, asks, ok := v.BookAt(symbol, info.Seq)
			if !ok || len(bids) == 0 || len(asks) == 0 {
				t.Fatalf("%s: the venue has no book at %d", symbol, info.Seq)
			}
			if !tk.Bid.Decimal.Equal(bids[0].Price) || !tk.BidVolume.Decimal.Equal(bids[0].Amount) ||
				!tk.Ask.Decimal.Equal(asks[0].Price) || !tk.AskVolume.Decimal.Equal(asks[0].Amount) {
				t.Fatalf("%s at %d: %s@%s / %s@%s, the venue has %s@%s / %s@%s", symbol, info.Seq,
					tk.BidVolume.Decimal, tk.Bid.Decimal, tk.AskVolume.Decimal, tk.Ask.Decimal,
					bids[0].Amount, bids[0].Price, asks[0].Amount, asks[0].Price)
			}
			if tk.Symbol != symbol || tk.Timestamp.IsZero() || tk.Last.Valid || tk.High.Valid {
				t.Fatalf("%s: %+v", symbol, tk)
			}
		}
	}
	if len(checked) != len(symbols) {
		t.Fatalf("touches checked per symbol: %v", checked)
	}
	if err := ex.UnwatchBidsAsks(ctx, symbols); err != nil {
		t.Fatal(err)
	}
}

// TestFundingRateStream: the perpetual's funding comes at once on
// subscription, as the REST call has it; a settlement is pushed with the
// rate it settled; a spot market is refused.
func TestFundingRateStream(t *testing.T) {
	leaktest.Check(t)
	ex, v := newPair(t, exchange.Config{})
	ctx := testCtx(t)
	const perp = "BTC/USDT:USDT"
	first, err := ex.WatchFundingRate(ctx, perp)
	if err != nil {
		t.Fatal(err)
	}
	fetched, err := ex.FetchFundingRate(ctx, perp)
	if err != nil {
		t.Fatal(err)
	}
	for name, pair := range map[string][2]any{
		"rate":     {first.Rate, fetched.Rate},
		"mark":     {first.MarkPrice, fetched.MarkPrice},
		"index":    {first.IndexPrice, fetched.IndexPrice},
		"time":     {first.FundingTime, fetched.FundingTime},
		"interval": {first.Interval, fetched.Interval},
	} {
		if fmt.Sprint(pair[0]) != fmt.Sprint(pair[1]) {
			t.Errorf("%s: the stream has %v, REST %v", name, pair[0], pair[1])
		}
	}
	if first.Symbol != perp || !first.Rate.Valid || !first.MarkPrice.Valid || first.Interval != "8h" || first.PreviousRate.Valid {
		t.Fatalf("first: %+v", first)
	}
	v.SettleFunding()
	settled := stepUntil(t, ctx, v, func(ctx context.Context) (*unified.FundingRate, error) {
		for {
			f, err := ex.WatchFundingRate(ctx, perp)
			if err != nil || f.PreviousRate.Valid {
				return f, err
			}
		}
	})
	if !settled.FundingTime.After(settled.PreviousFundingTime) || settled.FundingTime.Sub(settled.PreviousFundingTime) != 8*time.Hour {
		t.Fatalf("after the settlement: funding at %v, previous at %v", settled.FundingTime, settled.PreviousFundingTime)
	}
	if _, err := ex.WatchFundingRates(ctx, []string{perp, "BTC/USDT"}); !errors.Is(err, errors.BadSymbol) {
		t.Fatalf("a spot market: %v, want BadSymbol", err)
	}
	if err := ex.UnwatchFundingRate(ctx, perp); err != nil {
		t.Fatal(err)
	}
	for _, f := range []exchange.Feature{exchange.FeatureWatchBidsAsks, exchange.FeatureWatchFundingRate,
		exchange.FeatureWatchFundingRates, exchange.FeatureUnwatchBidsAsks, exchange.FeatureUnwatchFundingRate} {
		if !ex.Has(f) {
			t.Errorf("sim lacks %s", f)
		}
	}
}
