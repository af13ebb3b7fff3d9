package bybit

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/unifex-go/unifex/adapters/bybit/bybittest"
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/stream"
	"github.com/unifex-go/unifex/unified"
)

// docsOptionSymbol is the option of the docs' ticker example,
// BTC-6JAN23-17500-C, as the fake lists it.
const docsOptionSymbol = "BTC/USD:USDC-230106-17500-C"

// optionExchange is an adapter whose markets (loaded from bybittest) hold
// the docs' option, fed by hand through the engine.
func optionExchange(t testing.TB) *Exchange {
	t.Helper()
	srv := bybittest.Start(bybittest.Config{Symbols: []string{"BTC/USDT:USDT", docsOptionSymbol}})
	t.Cleanup(srv.Close)
	x, err := New(exchange.Config{URLs: srv.URLs(), KeepInfo: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = x.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := x.LoadMarkets(ctx, false); err != nil {
		t.Fatal(err)
	}
	return x
}

// The docs' option ticker (bidPrice, askPrice..., change24h a fraction)
// read through the option route.
func TestGoldenOptionTicker(t *testing.T) {
	x := optionExchange(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	joined, stop := context.WithCancel(ctx)
	stop()
	_, _ = x.WatchTicker(joined, docsOptionSymbol)
	feedGolden(t, x, CategoryOption, golden(t, "ws_tickers_option"))
	tk, err := x.WatchTicker(ctx, docsOptionSymbol)
	if err != nil {
		t.Fatal(err)
	}
	// bidPrice "0" (no bid) is absent, as CCXT's safeTicker omits a zero
	// bid; change24h is no percentage (CCXT's is absent too).
	want := unified.Ticker{Symbol: docsOptionSymbol, Timestamp: ms(1672917511074), BidVolume: nd("0"),
		Ask: nd("10"), AskVolume: nd("5.1"), Last: nd("10"), Close: nd("10"), High: nd("25"), Low: nd("5"),
		MarkPrice: nd("7.86976724"), IndexPrice: nd("16823.73"), BaseVolume: nd("26.55"), QuoteVolume: nd("446802.8473")}
	got := *tk
	for _, f := range []struct {
		name      string
		got, want any
	}{{"symbol", got.Symbol, want.Symbol}, {"timestamp", got.Timestamp, want.Timestamp}, {"bid", got.Bid, want.Bid},
		{"bidVolume", got.BidVolume, want.BidVolume}, {"ask", got.Ask, want.Ask}, {"askVolume", got.AskVolume, want.AskVolume},
		{"last", got.Last, want.Last}, {"high", got.High, want.High}, {"low", got.Low, want.Low},
		{"markPrice", got.MarkPrice, want.MarkPrice}, {"indexPrice", got.IndexPrice, want.IndexPrice},
		{"baseVolume", got.BaseVolume, want.BaseVolume}, {"quoteVolume", got.QuoteVolume, want.QuoteVolume},
		{"percentage", got.Percentage, want.Percentage}} {
		if diff := cmp.Diff(f.want, f.got); diff != "" {
			t.Errorf("%s (-docs +ours):\n%s", f.name, diff)
		}
	}
	info, ok := tk.Info.(tickerFields)
	if !ok || info.Delta != "0.047831" || info.MarkPriceIV != "0.4896" || info.UnderlyingPrice != "16815.1" || info.Change24h != "-0.33333334" {
		t.Errorf("info: %+v", tk.Info)
	}
}

// The docs' option subscribe reply is matched by the topic it names and
// read as a success; the option pong is swallowed.
func TestGoldenOptionControl(t *testing.T) {
	ack := golden(t, "ws_subscribe_option")
	msg := stream.Message{Type: stream.Text, Data: ack}
	if !commandReplyOf("orderbook.100.BTC-6JAN23-18000-C")(msg) || commandReplyOf("orderbook.25.BTC-6JAN23-18000-C")(msg) {
		t.Fatal("the reply is not matched by its topic alone")
	}
	if id, ok := responseID(msg); ok {
		t.Fatalf("an option reply has no req_id, got %q", id)
	}
	r, err := parseControlReply(ack)
	if err != nil || !r.Success || len(r.Data.FailTopics) != 0 {
		t.Fatalf("%v %+v", err, r)
	}
	if _, pong := answerPong(stream.Message{Type: stream.Text, Data: golden(t, "ws_pong_option")}); !pong {
		t.Fatal("the option pong is not taken as one")
	}
	if _, err := parseControlReply([]byte(`{"conn_id":"x","type":"COMMAND_RESP"}`)); !errors.Is(err, errors.BadResponse) {
		t.Fatalf("a reply without success: %v", err)
	}
}

// Without a symbol, the private lists ask for every option in one request
// of category option, without the settleCoin of linear and inverse.
func TestOptionScope(t *testing.T) {
	x := optionExchange(t) // options settled in USDC and USDT
	scopes, err := x.scopes(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	options := 0
	for _, r := range scopes {
		if r.get("category") == CategoryOption {
			options++
			if r.get("settleCoin") != "" {
				t.Errorf("option scope with settleCoin %s", r.get("settleCoin"))
			}
		}
	}
	if options != 1 {
		t.Fatalf("%d option scopes, want 1", options)
	}
}
