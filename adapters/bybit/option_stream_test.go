package bybit_test

import (
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/unifex-go/unifex/adapters/bybit"
	"github.com/unifex-go/unifex/adapters/bybit/bybittest"
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/unified"
)

// The fake's live options: a USDC one (listed in the fake's option list
// too) and a USDT one.
const (
	btcCall = "BTC/USD:USDC-301227-60000-C"
	ethPut  = "ETH/USDT:USDT-301227-2500-P"
)

// startOptions starts the fake with two live options beside a perpetual,
// and an adapter pointed at its option stream.
func startOptions(t *testing.T, opts bybit.Options) (*bybit.Exchange, *bybittest.Server) {
	t.Helper()
	srv := bybittest.Start(bybittest.Config{Seed: 7, History: 4096, Symbols: []string{"BTC/USDT:USDT", btcCall, ethPut}})
	t.Cleanup(srv.Close)
	opts.PingEvery = ping
	x, err := bybit.New(exchange.Config{URLs: srv.URLs(), Options: opts})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = x.Close() })
	return x, srv
}

// An option's book from orderbook.100 equals the venue's at every u, with
// or without a limit (options have no orderbook.1), and reaches the
// venue's latest state; a limit-1 watch rides on the same stream.
func TestWatchOptionBook(t *testing.T) {
	for _, depth := range []int{0, 25} {
		x, srv := startOptions(t, bybit.Options{OptionBookDepth: depth})
		stepping(t, srv)
		for _, symbol := range []string{btcCall, ethPut} {
			ob := catchUp(t, x, srv, symbol)
			if len(ob.Bids) == 0 || len(ob.Asks) == 0 || !ob.Bids[0].Price.LessThan(ob.Asks[0].Price) {
				t.Fatalf("%s: %+v", symbol, ob)
			}
			top, err := x.WatchOrderBook(ctxT(t), symbol, exchange.Limit(1))
			if err != nil || len(top.Bids) != 1 || len(top.Asks) != 1 {
				t.Fatalf("limit 1: %v %+v", err, top)
			}
		}
	}
}

// Trades of both options come on their base coins' publicTrade topics,
// each to its own symbol; the ticker is the option stream's snapshot with
// the touch under bidPrice/askPrice.
func TestWatchOptionTradesAndTicker(t *testing.T) {
	x, srv := startOptions(t, bybit.Options{})
	stepping(t, srv)
	ctx := ctxT(t)
	for _, symbol := range []string{btcCall, ethPut} {
		trades, err := x.WatchTrades(ctx, symbol)
		if err != nil || len(trades) == 0 {
			t.Fatalf("%s: %v %v", symbol, err, trades)
		}
		for _, tr := range trades {
			if tr.Symbol != symbol || !tr.Price.Valid || !tr.Amount.Valid || tr.ID == "" {
				t.Fatalf("%s: %+v", symbol, tr)
			}
		}
		tk, err := x.WatchTicker(ctx, symbol)
		if err != nil {
			t.Fatal(err)
		}
		if tk.Symbol != symbol || !tk.Bid.Valid || !tk.Ask.Valid || !tk.BidVolume.Valid || !tk.MarkPrice.Valid ||
			!tk.IndexPrice.Valid || !tk.Last.Valid || !tk.Bid.Decimal.LessThan(tk.Ask.Decimal) {
			t.Fatalf("%s: %+v", symbol, tk)
		}
	}
	for _, call := range []func() error{
		func() error { _, err := x.WatchOHLCV(ctx, btcCall, "1m"); return err },
		func() error { _, err := x.WatchBidsAsks(ctx, []string{btcCall}); return err },
		func() error { _, err := x.WatchFundingRate(ctx, btcCall); return err },
	} {
		if err := call(); !errors.Is(err, errors.NotSupported) && !errors.Is(err, errors.BadSymbol) {
			t.Fatalf("%v, want NotSupported", err)
		}
	}
}

// REST on an option: the book (25 levels at most), the ticker (bid1Price
// ... on REST) and recent trades; FetchTickers asks per base coin.
func TestFetchOptionMarketData(t *testing.T) {
	x, srv := startOptions(t, bybit.Options{})
	srv.Step(200)
	ctx := ctxT(t)
	ob, err := x.FetchOrderBook(ctx, btcCall)
	if err != nil {
		t.Fatal(err)
	}
	bids, asks, ok := srv.BookAt(btcCall, ob.Nonce)
	if !ok {
		t.Fatalf("the venue forgot u=%d", ob.Nonce)
	}
	for _, side := range [][2][]unified.Level{{ob.Bids, bids}, {ob.Asks, asks}} {
		got, want := side[0], side[1][:min(25, len(side[1]))] // the REST book's most: 25
		if len(got) != len(want) || len(got) == 0 {
			t.Fatalf("%d levels, venue %d", len(got), len(want))
		}
		for i := range got {
			if !got[i].Price.Equal(want[i].Price) || !got[i].Amount.Equal(want[i].Amount) {
				t.Fatalf("level %d: %v, venue %v", i, got[i], want[i])
			}
		}
	}
	tk, err := x.FetchTicker(ctx, ethPut)
	if err != nil || !tk.Bid.Valid || !tk.Ask.Valid || !tk.MarkPrice.Valid || tk.Symbol != ethPut {
		t.Fatalf("%v %+v", err, tk)
	}
	all, err := x.FetchTickers(ctx, nil)
	if err != nil || all[btcCall] == nil || all[ethPut] == nil || all["BTC/USDT:USDT"] == nil {
		t.Fatalf("%v %d tickers", err, len(all))
	}
	if _, err := x.FetchTrades(ctx, btcCall); err != nil {
		t.Fatal(err)
	}
}

// countingTransport counts the requests it carries.
type countingTransport struct{ n atomic.Int64 }

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return http.DefaultTransport.RoundTrip(r)
}

// BenchmarkLoadMarkets is the cost of a market load against the fake with
// options (the default: instruments-info per option base coin, BTC, ETH
// and SOL, two options a page) and without; requests/op counts the REST
// calls of one load.
func BenchmarkLoadMarkets(b *testing.B) {
	srv := bybittest.Start(bybittest.Config{Seed: 1})
	b.Cleanup(srv.Close)
	for _, c := range []struct {
		name       string
		categories []string
	}{{"with-options", nil}, {"without-options", []string{bybit.CategorySpot, bybit.CategoryLinear, bybit.CategoryInverse}}} {
		b.Run(c.name, func(b *testing.B) {
			tr := &countingTransport{}
			x, err := bybit.New(exchange.Config{URLs: srv.URLs(), HTTPClient: &http.Client{Transport: tr},
				Options: bybit.Options{Categories: c.categories}})
			if err != nil {
				b.Fatal(err)
			}
			defer x.Close()
			markets := 0
			for b.Loop() {
				snap, err := x.LoadMarkets(b.Context(), true)
				if err != nil {
					b.Fatal(err)
				}
				markets = len(snap.Markets())
			}
			b.ReportMetric(float64(tr.n.Load())/float64(b.N), "requests/op")
			b.ReportMetric(float64(markets), "markets")
		})
	}
}
