package main

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/unifex-go/unifex/adapters/sim/venue"
	"github.com/unifex-go/unifex/internal/leaktest"
	"github.com/unifex-go/unifex/unified"
)

// The end-to-end tests run the command on sim, the built-in simulated
// venue: each command line starts a venue of its own unless
// UNIFEX_SIM_URLS points at one the test started (useVenue), as the tests
// that share a venue between command lines, or want a busy one, do.

// useVenue starts a venue of cfg for the test, and points the command at it.
func useVenue(t *testing.T, cfg venue.Config) *venue.Venue {
	v := venue.Start(cfg)
	t.Cleanup(v.Close)
	urls := v.URLs()
	t.Setenv("UNIFEX_SIM_URLS", "rest="+urls["rest"]+",ws="+urls["ws"])
	t.Setenv("UNIFEX_SIM_API_KEY", venue.TestAPIKey)
	t.Setenv("UNIFEX_SIM_SECRET", venue.TestSecret)
	return v
}

// busyRate is the market events per second of the venues of the streaming
// tests: enough for trades every few milliseconds.
const busyRate = 500

// mustRun runs the command line and fails the test unless it succeeds.
func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	stdout, stderr, code := runCLI(t, args...)
	if code != exitOK {
		t.Fatalf("%q: exit code %d; stderr:\n%s", args, code, stderr)
	}
	return stdout
}

// decode parses the JSON output of a command into v.
func decode(t *testing.T, out string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(out), v); err != nil {
		t.Fatalf("the output does not parse as %T: %v\n%s", v, err, out)
	}
}

func TestSimFetchTicker(t *testing.T) {
	leaktest.Check(t)
	clearEnv(t)
	var ticker unified.Ticker
	decode(t, mustRun(t, "sim", "fetchTicker", "BTC/USDT"), &ticker)
	if ticker.Symbol != "BTC/USDT" || !ticker.Bid.Valid || !ticker.Ask.Valid || !ticker.Bid.Decimal.LessThan(ticker.Ask.Decimal) {
		t.Errorf("ticker %+v", ticker)
	}
}

func TestSimFetchOrderBook(t *testing.T) {
	leaktest.Check(t)
	clearEnv(t)
	var book unified.OrderBook
	decode(t, mustRun(t, "fetchOrderBook", "BTC/USDT", "--limit", "5"), &book)
	if book.Symbol != "BTC/USDT" || len(book.Bids) == 0 || len(book.Bids) > 5 || len(book.Asks) == 0 || len(book.Asks) > 5 {
		t.Fatalf("book with %d bids and %d asks, want 1 to 5 each: %+v", len(book.Bids), len(book.Asks), book)
	}
	if !book.Bids[0].Price.LessThan(book.Asks[0].Price) ||
		!slices.IsSortedFunc(book.Bids, func(a, b unified.Level) int { return b.Price.Cmp(a.Price) }) {
		t.Errorf("book out of order: %+v", book)
	}

	out := mustRun(t, "sim", "fetchOrderBook", "ETH/USDT", "--limit", "5", "--format", "table")
	if !strings.HasPrefix(out, "ETH/USDT  nonce ") || strings.Count(out, "\nask  ") != 5 || strings.Count(out, "\nbid  ") != 5 ||
		!strings.Contains(out, "PRICE") || !strings.Contains(out, " bps)  mid ") {
		t.Errorf("the book's table:\n%s", out)
	}
}

// TestSimOrderLifecycle places, lists and cancels an order with three
// command lines on one venue.
func TestSimOrderLifecycle(t *testing.T) {
	leaktest.Check(t)
	clearEnv(t)
	useVenue(t, venue.Config{}) // no background flow: the order rests untouched

	var ticker unified.Ticker
	decode(t, mustRun(t, "fetchTicker", "BTC/USDT"), &ticker)
	bid := ticker.Bid.Decimal.String()

	var placed unified.Order
	decode(t, mustRun(t, "createOrder", "BTC/USDT", "limit", "buy", "0.001", bid, "--param", "clientOrderId=cli-1"), &placed)
	if placed.ID == "" || placed.Status != unified.StatusOpen || placed.Side != unified.SideBuy || placed.Price.Decimal.String() != bid {
		t.Fatalf("placed %+v", placed)
	}

	var open []unified.Order
	decode(t, mustRun(t, "fetchOpenOrders", "BTC/USDT"), &open)
	if !slices.ContainsFunc(open, func(o unified.Order) bool { return o.ID == placed.ID }) {
		t.Fatalf("open orders %+v lack %s", open, placed.ID)
	}
	table := mustRun(t, "fetchOpenOrders", "--format", "table")
	if !strings.HasPrefix(table, "ID ") || !strings.Contains(table, placed.ID+" ") || !strings.Contains(table, " open") {
		t.Errorf("open orders table:\n%s", table)
	}

	var canceled unified.Order
	decode(t, mustRun(t, "cancelOrder", placed.ID, "BTC/USDT"), &canceled)
	if canceled.ID != placed.ID || canceled.Status != unified.StatusCanceled {
		t.Errorf("canceled %+v", canceled)
	}
	decode(t, mustRun(t, "fetchOpenOrders", "BTC/USDT"), &open)
	if slices.ContainsFunc(open, func(o unified.Order) bool { return o.ID == placed.ID }) {
		t.Errorf("open orders %+v still have %s", open, placed.ID)
	}

	t.Setenv("UNIFEX_SIM_SECRET", "not-the-secret")
	_, stderr, code := runCLI(t, "fetchBalance")
	if code != exitAuth || !strings.Contains(stderr, "check UNIFEX_SIM_API_KEY") || strings.Contains(stderr, "not-the-secret") {
		t.Errorf("a refused secret: exit code %d, stderr:\n%s", code, stderr)
	}
}

func TestSimWatchTrades(t *testing.T) {
	leaktest.Check(t)
	clearEnv(t)
	useVenue(t, venue.Config{Rate: busyRate})
	start := time.Now()
	out := mustRun(t, "watchTrades", "BTC/USDT", "--duration", "2s")
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("--duration 2s took %v", elapsed)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	trades := 0
	for _, line := range lines {
		var update []unified.Trade
		decode(t, line, &update)
		for _, tr := range update {
			if tr.Symbol != "BTC/USDT" || !tr.Price.Valid || !tr.Amount.Valid {
				t.Errorf("trade %+v", tr)
			}
		}
		trades += len(update)
	}
	if trades == 0 {
		t.Errorf("two seconds of watchTrades printed no trade:\n%s", out)
	}
}

// tradeLine matches a trade in the last trades of a book view.
var tradeLine = regexp.MustCompile(`(?m)^\d\d:\d\d:\d\d\.\d{3}  (buy |sell)  `)

func TestSimWatchOrderBook(t *testing.T) {
	leaktest.Check(t)
	clearEnv(t)
	useVenue(t, venue.Config{Rate: busyRate})
	out := mustRun(t, "watchOrderBook", "BTC/USDT", "--duration", "1500ms", "--depth", "3")
	if strings.Contains(out, "\x1b[") {
		t.Errorf("the view off a terminal has ANSI escapes")
	}
	frames := strings.Split(out, "BTC/USDT  nonce ")
	if frames[0] != "" || len(frames) < 3 {
		t.Fatalf("%d frames in 1.5 s, want one per update:\n%s", len(frames)-1, out)
	}
	for _, frame := range frames[1:] {
		if strings.Count(frame, "\nask  ") != 3 || strings.Count(frame, "\nbid  ") != 3 ||
			!strings.Contains(frame, " bps)  mid ") || !strings.Contains(frame, "\nlast trades\n") || !strings.HasSuffix(frame, "\n\n") {
			t.Fatalf("frame:\n%s", frame)
		}
	}

	out = mustRun(t, "watchOrderBook", "BTC/USDT", "--duration", "1s", "--format", "json", "--limit", "2")
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var book unified.OrderBook
		decode(t, line, &book)
		if book.Symbol != "BTC/USDT" || len(book.Bids) > 2 || len(book.Asks) > 2 {
			t.Errorf("book update %+v", book)
		}
	}
}

// TestDemo runs the demo for three seconds: its frames show the book, the
// last trades, the two paper orders and the balances, and on its way out
// it cancels the orders still open.
func TestDemo(t *testing.T) {
	leaktest.Check(t)
	clearEnv(t)
	v := useVenue(t, venue.Config{Rate: busyRate})
	stdout, stderr, code := runCLI(t, "--duration", "3s")
	if code != exitOK {
		t.Fatalf("exit code %d; stderr:\n%s", code, stderr)
	}
	for _, want := range []string{"unifex demo: paper trading BTC/USDT on sim", "BTC/USDT  nonce ", " bps)  mid ", "\nlast trades\n",
		"\nmy orders\nID ", "\nbalances\nCURRENCY  FREE", "\nBTC ", "\nUSDT "} {
		if !strings.Contains(stdout, want) {
			t.Errorf("the demo never showed %q", want)
		}
	}
	if !tradeLine.MatchString(stdout) {
		t.Errorf("the demo showed no trade")
	}
	last := stdout[strings.LastIndex(stdout, "\nmy orders\n"):]
	if !regexp.MustCompile(`\n\S+ +buy +[0-9.]+ +[0-9.]+ +[0-9.]+ +(open|closed)\n\S+ +sell +`).MatchString(last) {
		t.Errorf("the last frame does not show the buy and the sell:\n%s", last)
	}
	orders := v.Orders()
	if len(orders) != 2 {
		t.Errorf("the demo placed %d orders, want 2: %+v", len(orders), orders)
	}
	for _, o := range orders {
		canceled := strings.Contains(stdout, "canceled order "+o.ID+": ")
		switch {
		case o.Status == unified.StatusOpen:
			t.Errorf("order %s was left open", o.ID)
		case canceled != (o.Status == unified.StatusCanceled):
			t.Errorf("order %s is %s, and the demo said canceled: %v", o.ID, o.Status, canceled)
		}
	}
}
