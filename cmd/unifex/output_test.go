package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/unifex-go/unifex/unified"
)

// fixtures of every shape of result the tables know.
var (
	testTicker = &unified.Ticker{Symbol: "BTC/USDT", Timestamp: fakeTime, Bid: opt("100"), Ask: opt("100.5"), Last: opt("100.25"),
		High: opt("110"), Low: opt("90"), Percentage: opt("1.5"), BaseVolume: opt("12.5"), QuoteVolume: opt("1250")}
	testTrades = []unified.Trade{
		{ID: "t1", Timestamp: fakeTime, Symbol: "BTC/USDT", Side: unified.SideBuy, Price: opt("100.5"), Amount: opt("0.25"), Cost: opt("25.125")},
		{ID: "t2", Order: "o9", Timestamp: fakeTime.Add(time.Second), Symbol: "BTC/USDT", Side: unified.SideSell, Price: opt("100"),
			Amount: opt("1"), Cost: opt("100"), Fee: unified.Fee{Currency: "USDT", Cost: opt("0.1")}},
	}
	testOrders = []unified.Order{
		{ID: "o1", Timestamp: fakeTime, Symbol: "BTC/USDT", Type: unified.OrderTypeLimit, Side: unified.SideBuy, Price: opt("99"),
			Amount: opt("1"), Filled: opt("0.25"), Remaining: opt("0.75"), Status: unified.StatusOpen},
	}
	testBalances = &unified.Balances{Currencies: map[string]unified.Balance{
		"USDT": {Free: opt("900"), Used: opt("100"), Total: opt("1000")},
		"BTC":  {Free: opt("1.5"), Used: opt("0"), Total: opt("1.5")},
	}}
)

// printed returns what p writes for v.
func printed(t *testing.T, format string, v any) string {
	t.Helper()
	var b bytes.Buffer
	if err := (printer{w: &b, format: format}).print(v); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestJSONParsesBack checks that the JSON output is the unified structures'
// own encoding: it decodes back into the same values.
func TestJSONParsesBack(t *testing.T) {
	roundTrip := func(v, into any) {
		t.Helper()
		out := printed(t, formatJSON, v)
		if !strings.Contains(out, "\n  ") {
			t.Errorf("the JSON of %T is not pretty printed:\n%s", v, out)
		}
		if err := json.Unmarshal([]byte(out), into); err != nil {
			t.Fatalf("the JSON of %T does not parse: %v\n%s", v, err, out)
		}
	}
	var ticker unified.Ticker
	roundTrip(testTicker, &ticker)
	if !ticker.Bid.Decimal.Equal(num("100")) || ticker.Symbol != "BTC/USDT" || !ticker.Timestamp.Equal(fakeTime) {
		t.Errorf("ticker came back as %+v", ticker)
	}
	var book unified.OrderBook
	roundTrip(fakeBook(), &book)
	if diff := cmp.Diff(fakeBook(), &book); diff != "" {
		t.Errorf("order book came back different (-want +got):\n%s", diff)
	}
	var trades []unified.Trade
	roundTrip(testTrades, &trades)
	if len(trades) != 2 || trades[1].Order != "o9" || !trades[1].Fee.Cost.Decimal.Equal(num("0.1")) {
		t.Errorf("trades came back as %+v", trades)
	}
	var orders []unified.Order
	roundTrip(testOrders, &orders)
	if len(orders) != 1 || orders[0].Status != unified.StatusOpen || !orders[0].Filled.Decimal.Equal(num("0.25")) {
		t.Errorf("orders came back as %+v", orders)
	}
	var balances unified.Balances
	roundTrip(testBalances, &balances)
	if !balances.Currencies["USDT"].Used.Decimal.Equal(num("100")) {
		t.Errorf("balances came back as %+v", balances)
	}
	var tickers map[string]*unified.Ticker
	roundTrip(map[string]*unified.Ticker{"BTC/USDT": testTicker}, &tickers)
	if tickers["BTC/USDT"] == nil || !tickers["BTC/USDT"].Ask.Decimal.Equal(num("100.5")) {
		t.Errorf("tickers came back as %+v", tickers)
	}
	// CCXT's field names, and exact numbers.
	for _, field := range []string{`"baseVolume": 12.5`, `"quoteVolume": 1250`, `"datetime": "2024-01-02T03:04:05.000Z"`} {
		if out := printed(t, formatJSON, testTicker); !strings.Contains(out, field) {
			t.Errorf("the ticker's JSON lacks %s:\n%s", field, out)
		}
	}
	if out := printed(t, formatJSON, venueTime(fakeTime)); out != "1704164645000\n" {
		t.Errorf("fetchTime printed %q, want Unix milliseconds", out)
	}
}

func TestUpdatesAreOneLineEach(t *testing.T) {
	var b bytes.Buffer
	p := printer{w: &b, format: formatJSON}
	for _, v := range []any{testTrades, fakeBook()} {
		if err := p.printUpdate(v); err != nil {
			t.Fatal(err)
		}
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("two updates gave %d lines:\n%s", len(lines), b.String())
	}
	var trades []unified.Trade
	var book unified.OrderBook
	if json.Unmarshal([]byte(lines[0]), &trades) != nil || json.Unmarshal([]byte(lines[1]), &book) != nil || len(book.Asks) != 3 {
		t.Errorf("the update lines do not parse back:\n%s", b.String())
	}
}

// tableOf splits a table into its header cells and rows of cells.
func tableOf(out string) (header []string, rows [][]string) {
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	for _, l := range lines[1:] {
		rows = append(rows, strings.Fields(l))
	}
	return strings.Split(strings.Join(strings.Fields(lines[0]), " "), " "), rows
}

func TestTables(t *testing.T) {
	for _, tc := range []struct {
		name    string
		v       any
		columns []string // header words, in order
		rows    int
		first   []string // the first row's first cells
	}{
		{"ticker", testTicker, []string{"SYMBOL", "BID", "ASK", "LAST", "HIGH", "LOW", "CHANGE", "%"}, 1,
			[]string{"BTC/USDT", "100", "100.5", "100.25", "110", "90", "1.5", "12.5", "1250", "2024-01-02", "03:04:05.000"}},
		{"tickers, one row per key", map[string]*unified.Ticker{"ETH/USDT": {Symbol: "ETH/USDT"}, "BTC/USDT": testTicker},
			[]string{"SYMBOL", "BID"}, 2, []string{"BTC/USDT", "100"}},
		{"trades", testTrades, []string{"TIME", "SYMBOL", "ID", "ORDER", "SIDE", "PRICE", "AMOUNT", "COST", "FEE"}, 2,
			[]string{"2024-01-02", "03:04:05.000", "BTC/USDT", "t1", "-", "buy", "100.5", "0.25", "25.125", "-"}},
		{"orders", testOrders, []string{"ID", "TIME", "SYMBOL", "TYPE", "SIDE", "PRICE", "AMOUNT", "FILLED", "REMAINING", "AVERAGE", "STATUS"}, 1,
			[]string{"o1", "2024-01-02", "03:04:05.000", "BTC/USDT", "limit", "buy", "99", "1", "0.25", "0.75", "-", "open"}},
		{"balances, one row per currency", testBalances, []string{"CURRENCY", "FREE", "USED", "TOTAL"}, 2,
			[]string{"BTC", "1.5", "0", "1.5"}},
		{"candles", []unified.OHLCV{{Timestamp: fakeTime, Open: num("1"), High: num("2"), Low: num("0.5"), Close: num("1.5"), Volume: num("10")}},
			[]string{"TIME", "OPEN", "HIGH", "LOW", "CLOSE", "VOLUME"}, 1, []string{"2024-01-02", "03:04:05.000", "1", "2", "0.5", "1.5", "10"}},
		{"markets by symbol", map[string]*unified.Market{"BTC/USDT": &fakeMarkets[0]}, []string{"SYMBOL", "ID", "TYPE"}, 1,
			[]string{"BTC/USDT", "BTCUSDT", "spot", "BTC", "USDT", "-", "-", "0.1", "0.001", "0.001", "10"}},
		{"funding rates, one row per key", map[string]*unified.FundingRate{
			"ETH/USDT:USDT": {Symbol: "ETH/USDT:USDT"},
			"BTC/USDT:USDT": {Symbol: "BTC/USDT:USDT", Rate: opt("0.0001"), FundingTime: fakeTime, MarkPrice: opt("100.5")}},
			[]string{"SYMBOL", "RATE", "FUNDING", "TIME"}, 2, []string{"BTC/USDT:USDT", "0.0001", "2024-01-02", "03:04:05.000", "-", "-", "100.5"}},
		{"leverage", &unified.Leverage{Symbol: "BTC/USDT:USDT", MarginMode: unified.MarginModeIsolated, LongLeverage: opt("5")},
			[]string{"SYMBOL", "MARGIN", "MODE", "LONG", "SHORT"}, 1, []string{"BTC/USDT:USDT", "isolated", "5", "-"}},
		{"fetchTime", venueTime(fakeTime), []string{"TIME", "MS"}, 1, []string{"2024-01-02", "03:04:05.000", "1704164645000"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := printed(t, formatTable, tc.v)
			header, rows := tableOf(out)
			if len(header) < len(tc.columns) || !cmp.Equal(tc.columns, header[:len(tc.columns)]) {
				t.Errorf("header %q, want it to start with %q", header, tc.columns)
			}
			if len(rows) != tc.rows {
				t.Fatalf("%d rows, want %d:\n%s", len(rows), tc.rows, out)
			}
			if len(rows[0]) < len(tc.first) || !cmp.Equal(tc.first, rows[0][:len(tc.first)]) {
				t.Errorf("first row %q, want %q:\n%s", rows[0], tc.first, out)
			}
		})
	}
	if out := printed(t, formatTable, nil); out != "ok\n" {
		t.Errorf("a call without result printed %q", out)
	}
}

func TestBookTableIsTheLadder(t *testing.T) {
	out := printed(t, formatTable, fakeBook())
	if !strings.Contains(out, "PRICE") || !strings.Contains(out, "AMOUNT") || !strings.Contains(out, "spread 0.5") {
		t.Errorf("the book's table is not a price ladder:\n%s", out)
	}
	if strings.Contains(out, "last trades") {
		t.Errorf("a fetched book's table shows a trades section:\n%s", out)
	}
}

func TestRenderBook(t *testing.T) {
	var b bytes.Buffer
	renderBook(&b, fakeBook(), testTrades, bookLayout{depth: 2, tradeRows: 5})
	want := `BTC/USDT  nonce 42  2024-01-02 03:04:05.000
      PRICE  AMOUNT
ask  101.25   0.125
ask  100.5    2
     spread 0.5 (49.88 bps)  mid 100.25
bid  100      1.5
bid   99.5    0.25

last trades
03:04:06.000  sell  100    1
03:04:05.000  buy   100.5  0.25
`
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("renderBook (-want +got):\n%s", diff)
	}

	b.Reset()
	renderBook(&b, fakeBook(), testTrades, bookLayout{tradeRows: 1, color: true})
	out := b.String()
	if strings.Count(out, ansiRed+"ask") != 3 || strings.Count(out, ansiGreen+"bid") != 3 || !strings.Contains(out, ansiRed+"03:04:06.000  sell") {
		t.Errorf("colored book: asks and sells red, bids green, all levels without a depth:\n%q", out)
	}
	if strings.Contains(out, "03:04:05.000  buy") {
		t.Errorf("tradeRows 1 showed more than the newest trade:\n%q", out)
	}

	b.Reset()
	renderBook(&b, &unified.OrderBook{Symbol: "ETH/BTC"}, nil, bookLayout{tradeRows: 3})
	want = `ETH/BTC  nonce 0
     PRICE  AMOUNT
     spread -  (one side of the book is empty)

last trades
(none yet)
`
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("renderBook of an empty book (-want +got):\n%s", diff)
	}
}

func TestAlignPoints(t *testing.T) {
	for _, tc := range []struct {
		in    []string
		width int
		want  []string
	}{
		{[]string{"101.25", "100.5", "99", "1000"}, 0, []string{" 101.25", " 100.5 ", "  99   ", "1000   "}},
		{[]string{"3", "12"}, 5, []string{"    3", "   12"}},
		{nil, 6, []string{"      "}},
	} {
		if got := alignPoints(tc.in, tc.width); !cmp.Equal(tc.want, got) {
			t.Errorf("alignPoints(%q, %d) = %q, want %q", tc.in, tc.width, got, tc.want)
		}
	}
}
