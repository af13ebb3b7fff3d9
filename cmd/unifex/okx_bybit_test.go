package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/adapters/bybit/bybittest"
	"github.com/unifex-go/unifex/adapters/okx/okxtest"
	"github.com/unifex-go/unifex/internal/leaktest"
	"github.com/unifex-go/unifex/unified"
)

// fakeVenueCase is a venue whose fake server the CLI is pointed at through
// the environment.
type fakeVenueCase struct {
	id     string
	start  func(t *testing.T) (step func(int), urls map[string]string, creds map[string]string)
	symbol string // a spot symbol the fake lists
	quote  string // its quote currency, in the balance
}

// joinURLs writes urls as UNIFEX_<ID>_URLS wants them, key=url,...
func joinURLs(urls map[string]string) string {
	pairs := make([]string, 0, len(urls))
	for k, u := range urls {
		pairs = append(pairs, k+"="+u)
	}
	return strings.Join(pairs, ",")
}

var fakeVenueCases = []fakeVenueCase{
	{id: "okx", symbol: "BTC/USDT", quote: "USDT",
		start: func(t *testing.T) (func(int), map[string]string, map[string]string) {
			srv := okxtest.Start(okxtest.Config{Seed: 3})
			t.Cleanup(srv.Close)
			return srv.Step, srv.URLs(), map[string]string{
				"API_KEY": okxtest.TestAPIKey, "SECRET": okxtest.TestSecret, "PASSWORD": okxtest.TestPassphrase}
		}},
	{id: "bybit", symbol: "BTC/USDT", quote: "USDT",
		start: func(t *testing.T) (func(int), map[string]string, map[string]string) {
			srv := bybittest.Start(bybittest.Config{Seed: 3})
			t.Cleanup(srv.Close)
			return srv.Step, srv.URLs(), map[string]string{"API_KEY": bybittest.TestAPIKey, "SECRET": bybittest.TestSecret}
		}},
}

// useFake starts vc's fake server and points vc's id at it through the
// environment, with the fake's credentials. It returns the fake's Step.
func useFake(t *testing.T, vc fakeVenueCase) (step func(int), creds map[string]string) {
	step, urls, creds := vc.start(t)
	prefix := envPrefix(vc.id)
	for _, name := range []string{"API_KEY", "SECRET", "PASSWORD", "SANDBOX"} {
		t.Setenv(prefix+name, creds[name])
	}
	t.Setenv(prefix+"URLS", joinURLs(urls))
	return step, creds
}

// moving steps the venue's market while a watch runs, and returns a channel
// closed when it stops.
func moving(step func(int)) chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 40; i++ {
			step(20)
			time.Sleep(20 * time.Millisecond)
		}
	}()
	return done
}

// TestOKXAndBybitAgainstTheFakeVenues: the CLI loads the markets, reads,
// watches and trades OKX and Bybit through their fake servers, with the
// credentials and endpoints of the environment, and exits with the
// documented codes when a credential is wrong or missing.
func TestOKXAndBybitAgainstTheFakeVenues(t *testing.T) {
	for _, vc := range fakeVenueCases {
		t.Run(vc.id, func(t *testing.T) {
			leaktest.Check(t)
			clearEnv(t)
			step, creds := useFake(t, vc)

			var markets map[string]unified.Market
			decode(t, mustRun(t, vc.id, "loadMarkets"), &markets)
			if m, ok := markets[vc.symbol]; !ok || !m.Spot || m.Quote != vc.quote || !m.Precision.Price.Valid {
				t.Fatalf("loadMarkets: %s is %+v among %d markets", vc.symbol, m, len(markets))
			}

			var book unified.OrderBook
			decode(t, mustRun(t, vc.id, "fetchOrderBook", vc.symbol, "--limit", "5"), &book)
			if book.Symbol != vc.symbol || len(book.Bids) == 0 || len(book.Bids) > 5 || len(book.Asks) == 0 ||
				!book.Bids[0].Price.LessThan(book.Asks[0].Price) {
				t.Fatalf("fetchOrderBook: %+v", book)
			}

			// A JSON watch prints one book per line while the venue moves.
			done := moving(step)
			out := mustRun(t, vc.id, "watchOrderBook", vc.symbol, "--format", "json", "--duration", "1s")
			<-done
			books := jsonLines[unified.OrderBook](t, out)
			if len(books) < 2 {
				t.Fatalf("watchOrderBook printed %d books:\n%s", len(books), out)
			}
			for _, b := range books {
				if b.Symbol != vc.symbol || len(b.Bids) == 0 || len(b.Asks) == 0 || !b.Bids[0].Price.LessThan(b.Asks[0].Price) {
					t.Fatalf("watchOrderBook: a crossed or empty book %+v", b)
				}
			}
			if books[0].Nonce == books[len(books)-1].Nonce {
				t.Errorf("watchOrderBook: the nonce stayed at %d", books[0].Nonce)
			}

			// watchTrades prints the new trades of each push, each once.
			done = moving(step)
			out = mustRun(t, vc.id, "watchTrades", vc.symbol, "--duration", "1s")
			<-done
			seen := map[string]bool{}
			for _, batch := range jsonLines[[]unified.Trade](t, out) {
				for _, tr := range batch {
					if tr.Symbol != vc.symbol || tr.ID == "" || !tr.Price.Decimal.IsPositive() || !tr.Amount.Decimal.IsPositive() {
						t.Fatalf("watchTrades: %+v", tr)
					}
					if seen[tr.ID] {
						t.Fatalf("watchTrades printed trade %s twice", tr.ID)
					}
					seen[tr.ID] = true
				}
			}
			if len(seen) == 0 {
				t.Fatalf("watchTrades printed no trade:\n%s", out)
			}

			// The live view: frames with the ladder and the last trades.
			done = moving(step)
			out = mustRun(t, vc.id, "watchOrderBook", vc.symbol, "--depth", "3", "--duration", "1s")
			<-done
			if !strings.HasPrefix(out, vc.symbol+"  nonce ") || strings.Count(out, "\nask  ") < 3 ||
				!strings.Contains(out, "spread ") || !strings.Contains(out, "\nlast trades\n") {
				t.Fatalf("watchOrderBook view:\n%s", out)
			}

			// Trading: a limit buy well below the touch, then its cancellation.
			var fresh unified.OrderBook
			decode(t, mustRun(t, vc.id, "fetchOrderBook", vc.symbol, "--limit", "1"), &fresh)
			price := fresh.Bids[0].Price.Mul(decimal.RequireFromString("0.9")).Round(1).String()
			var placed unified.Order
			decode(t, mustRun(t, vc.id, "createOrder", vc.symbol, "limit", "buy", "0.001", price), &placed)
			if placed.ID == "" || placed.Symbol != vc.symbol || placed.ClientOrderID == "" ||
				(placed.Status != "" && placed.Status != unified.StatusOpen) {
				t.Fatalf("createOrder: %+v", placed)
			}
			var open []unified.Order
			decode(t, mustRun(t, vc.id, "fetchOpenOrders", vc.symbol), &open)
			if len(open) != 1 || open[0].ID != placed.ID || !open[0].Price.Decimal.Equal(decimal.RequireFromString(price)) {
				t.Fatalf("fetchOpenOrders: %+v, want the order %s at %s", open, placed.ID, price)
			}
			var balances unified.Balances
			decode(t, mustRun(t, vc.id, "fetchBalance"), &balances)
			held := balances.Currencies[vc.quote]
			if !held.Used.Valid || !held.Used.Decimal.IsPositive() || !held.Total.Valid || !held.Free.Valid ||
				!held.Free.Decimal.Add(held.Used.Decimal).Equal(held.Total.Decimal) {
				t.Fatalf("fetchBalance with an open buy: %s %+v", vc.quote, held)
			}
			var canceled unified.Order
			decode(t, mustRun(t, vc.id, "cancelOrder", placed.ID, vc.symbol), &canceled)
			if canceled.ID != placed.ID || (canceled.Status != "" && canceled.Status != unified.StatusCanceled) {
				t.Fatalf("cancelOrder: %+v", canceled)
			}
			decode(t, mustRun(t, vc.id, "fetchOpenOrders", vc.symbol), &open)
			if len(open) != 0 {
				t.Fatalf("fetchOpenOrders after the cancel: %+v", open)
			}
			decode(t, mustRun(t, vc.id, "fetchBalance"), &balances)
			if free := balances.Currencies[vc.quote]; !free.Used.Valid || !free.Used.Decimal.IsZero() {
				t.Fatalf("fetchBalance after the cancel: %s %+v", vc.quote, free)
			}

			// Exit codes: an unknown symbol, a wrong secret (never printed),
			// no credentials.
			_, stderr, code := runCLI(t, vc.id, "fetchOrderBook", "BTC/USTD")
			if code != exitUsage || !strings.Contains(stderr, "did you mean BTC/USDT") {
				t.Errorf("unknown symbol: exit code %d:\n%s", code, stderr)
			}
			t.Setenv(envPrefix(vc.id)+"SECRET", "not-"+creds["SECRET"])
			_, stderr, code = runCLI(t, vc.id, "fetchBalance")
			if code != exitAuth || !strings.Contains(stderr, "check "+envPrefix(vc.id)+"API_KEY") ||
				strings.Contains(stderr, creds["API_KEY"]) || strings.Contains(stderr, creds["SECRET"]) {
				t.Errorf("wrong secret: exit code %d:\n%s", code, stderr)
			}
			for _, name := range []string{"API_KEY", "SECRET", "PASSWORD"} {
				t.Setenv(envPrefix(vc.id)+name, "")
			}
			_, stderr, code = runCLI(t, vc.id, "fetchBalance")
			if code != exitAuth || !strings.Contains(stderr, "set "+envPrefix(vc.id)+"API_KEY") {
				t.Errorf("no credentials: exit code %d:\n%s", code, stderr)
			}
		})
	}
}

// jsonLines decodes every line of a stream's output as a T.
func jsonLines[T any](t *testing.T, out string) []T {
	t.Helper()
	var all []T
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var v T
		if err := json.Unmarshal([]byte(line), &v); err != nil {
			t.Fatalf("a line does not parse as %T: %v\n%s", v, err, line)
		}
		all = append(all, v)
	}
	return all
}
