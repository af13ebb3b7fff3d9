package bybit_test

import (
	"testing"
	"time"

	"github.com/unifex-go/unifex/adapters/bybit/bybittest"
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
)

// TestPublicREST reads every public endpoint of the fake, on every
// category.
func TestPublicREST(t *testing.T) {
	ex, srv := startFake(t, bybittest.Config{Seed: 11, History: 4096}, exchange.Config{})
	defer srv.Close()
	defer ex.Close()
	ctx := ctxT(t)
	srv.Step(200)
	ms, err := ex.FetchMarkets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, m := range ms {
		got[m.Symbol] = true
	}
	for _, s := range srv.Symbols() {
		if !got[s] {
			t.Errorf("market %s missing from %d markets", s, len(ms))
		}
	}
	if now, err := ex.FetchTime(ctx); err != nil || time.Since(now).Abs() > time.Minute {
		t.Fatalf("time %v %v", now, err)
	}
	for _, symbol := range []string{"BTC/USDT", "BTC/USDT:USDT", "BTC/USD:BTC"} {
		ob, err := ex.FetchOrderBook(ctx, symbol)
		if err != nil {
			t.Fatal(err)
		}
		sameBook(t, srv, ob)
		tk, err := ex.FetchTicker(ctx, symbol)
		if err != nil || tk.Symbol != symbol || !tk.Last.Valid {
			t.Fatalf("%s ticker %+v %v", symbol, tk, err)
		}
		trades, err := ex.FetchTrades(ctx, symbol, exchange.Limit(10))
		if err != nil || len(trades) == 0 || len(trades) > 10 {
			t.Fatalf("%s trades %d %v", symbol, len(trades), err)
		}
		for i := 1; i < len(trades); i++ {
			if trades[i].Timestamp.Before(trades[i-1].Timestamp) {
				t.Fatalf("%s trades not oldest first", symbol)
			}
		}
		// Paged forward from Since: two pages of 1000 and one of 500.
		since := time.Now().Add(-3 * 24 * time.Hour).Truncate(time.Minute)
		cs, err := ex.FetchOHLCV(ctx, symbol, "1m", exchange.Since(since), exchange.Limit(2500))
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) != 2500 || !cs[0].Timestamp.Equal(since) {
			t.Fatalf("%s: %d candles from %v, want 2500 from %v", symbol, len(cs), cs[0].Timestamp, since)
		}
		for i := 1; i < len(cs); i++ {
			if cs[i].Timestamp.Sub(cs[i-1].Timestamp) != time.Minute {
				t.Fatalf("%s candle %d at %v after %v", symbol, i, cs[i].Timestamp, cs[i-1].Timestamp)
			}
		}
		newest, err := ex.FetchOHLCV(ctx, symbol, "1h", exchange.Limit(5))
		if err != nil || len(newest) != 5 || time.Since(newest[4].Timestamp) > time.Hour {
			t.Fatalf("%s newest candles %+v %v", symbol, newest, err)
		}
	}
	tks, err := ex.FetchTickers(ctx, nil)
	if err != nil || len(tks) != len(srv.Symbols()) {
		t.Fatalf("tickers %d of %d: %v", len(tks), len(srv.Symbols()), err)
	}
	f, err := ex.FetchFundingRate(ctx, "BTC/USDT:USDT")
	if err != nil || !f.Rate.Valid || f.FundingTime.IsZero() {
		t.Fatalf("funding %+v %v", f, err)
	}
	if _, err := ex.FetchFundingRate(ctx, "BTC/USDT"); !errors.Is(err, errors.BadSymbol) {
		t.Fatalf("spot funding: %v", err)
	}
}
