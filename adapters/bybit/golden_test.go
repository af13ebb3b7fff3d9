package bybit

import (
	"context"
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/internal/stream"
	"github.com/unifex-go/unifex/unified"
)

// golden reads the message of testdata/bybit/name.json (Bybit's docs).
func golden(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/bybit/" + name + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var g struct {
		Message json.RawMessage `json:"message"`
	}
	if err := json.Unmarshal(data, &g); err != nil {
		t.Fatal(err)
	}
	return g.Message
}

func d(s string) decimal.Decimal      { return decimal.RequireFromString(s) }
func nd(s string) decimal.NullDecimal { return decimal.NewNullDecimal(d(s)) }
func ms(n int64) time.Time            { return time.UnixMilli(n).UTC() }
func feedGolden(t *testing.T, x *Exchange, route string, msg []byte) {
	t.Helper()
	if err := x.Engine().Feed(publicRoutes[route], stream.Message{Type: stream.Text, Data: msg}); err != nil {
		t.Fatalf("feeding %s: %v", msg, err)
	}
}

// TestGoldenStreams feeds the docs' example pushes (testdata/bybit)
// through the stream path (the engine's Feed, as a connection would) and
// compares the unified results with what the docs' values mean.
func TestGoldenStreams(t *testing.T) {
	x := wsFixtureExchange(t, 50)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := x.LoadMarkets(ctx, false); err != nil {
		t.Fatal(err)
	}
	joined, stop := context.WithCancel(ctx)
	stop()
	const swap = "BTC/USDT:USDT"
	_, _ = x.WatchOrderBook(joined, swap)
	_, _ = x.WatchTrades(joined, swap)
	_, _ = x.WatchOHLCV(joined, swap, "5m")
	_, _ = x.WatchTicker(joined, "BTC/USDT")
	opts := cmpopts.IgnoreFields(unified.Trade{}, "Info")

	feedGolden(t, x, CategoryLinear, golden(t, "ws_orderbook"))
	ob, err := x.WatchOrderBook(ctx, swap)
	if err != nil {
		t.Fatal(err)
	}
	wantBook := struct {
		Bids, Asks []unified.Level
		Nonce      int64
		Timestamp  time.Time
	}{[]unified.Level{{Price: d("16493.50"), Amount: d("0.006")}}, []unified.Level{{Price: d("16611.00"), Amount: d("0.029")}}, 18521288, ms(1672304484978)}
	gotBook := wantBook
	gotBook.Bids, gotBook.Asks, gotBook.Nonce, gotBook.Timestamp = ob.Bids, ob.Asks, ob.Nonce, ob.Timestamp
	if diff := cmp.Diff(wantBook, gotBook); diff != "" {
		t.Errorf("book (-docs +ours):\n%s", diff)
	}

	feedGolden(t, x, CategoryLinear, golden(t, "ws_publicTrade"))
	trades, err := x.WatchTrades(ctx, swap)
	if err != nil {
		t.Fatal(err)
	}
	wantTrades := []unified.Trade{{ID: "20f43950-d8dd-5b31-9112-a178eb6023af", Timestamp: ms(1672304486865), Symbol: swap,
		Side: unified.SideBuy, TakerOrMaker: unified.LiquidityTaker, Price: nd("16578.50"), Amount: nd("0.001"), Cost: nd("16.5785")}}
	if diff := cmp.Diff(wantTrades, trades, opts); diff != "" {
		t.Errorf("trades (-docs +ours):\n%s", diff)
	}

	feedGolden(t, x, CategoryLinear, golden(t, "ws_kline"))
	candles, err := x.WatchOHLCV(ctx, swap, "5m")
	if err != nil {
		t.Fatal(err)
	}
	wantCandles := []unified.OHLCV{{Timestamp: ms(1672324800000), Open: d("16649.5"), High: d("16677"), Low: d("16608"), Close: d("16677"), Volume: d("2.081")}}
	if diff := cmp.Diff(wantCandles, candles); diff != "" {
		t.Errorf("candles (-docs +ours):\n%s", diff)
	}

	feedGolden(t, x, CategorySpot, golden(t, "ws_tickers_spot"))
	tk, err := x.WatchTicker(ctx, "BTC/USDT")
	if err != nil {
		t.Fatal(err)
	}
	wantTicker := [6]decimal.NullDecimal{nd("16363.78"), nd("16566.64"), nd("16009.19"), nd("16443.66"), nd("5865.470182"), nd("95949815.680875")}
	gotTicker := [6]decimal.NullDecimal{tk.Last, tk.High, tk.Low, tk.Open, tk.BaseVolume, tk.QuoteVolume}
	if diff := cmp.Diff(wantTicker, gotTicker); diff != "" || !tk.Timestamp.Equal(ms(1672305380595)) || tk.Symbol != "BTC/USDT" {
		t.Errorf("ticker (-docs +ours) %s %v:\n%s", tk.Symbol, tk.Timestamp, diff)
	}
}
