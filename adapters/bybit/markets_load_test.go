package bybit

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/unifex-go/unifex/adapters/bybit/bybittest"
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
)

// TestOptionChainsConcurrent: the option base coins' instruments-info
// chains run at once, at most marketLoads of them, and the markets come in
// the order of OptionBaseCoins even when the chains end in the reverse
// order. A proxy in front of bybittest holds the first marketLoads
// first-page requests until all of them have arrived (one after another,
// the first would be held alone until the test gave up), then answers them
// last coin first.
func TestOptionChainsConcurrent(t *testing.T) {
	srv := bybittest.Start(bybittest.Config{Seed: 3})
	t.Cleanup(srv.Close)
	target, err := url.Parse(srv.URLs()["rest"])
	if err != nil {
		t.Fatal(err)
	}
	coins := []string{"BTC", "ETH", "SOL", "XRP", "DOGE", "ADA"}
	index := map[string]int{}
	for i, c := range coins {
		index[c] = i
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	var (
		mu       sync.Mutex
		inflight int
		most     int
		held     = map[int]chan struct{}{} // coin index → its release
		done     = map[int]chan struct{}{} // coin index → answered
		tripped  bool
		all      = make(chan struct{})
	)
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Get("category") != "option" {
			proxy.ServeHTTP(w, r)
			return
		}
		mu.Lock()
		inflight++
		most = max(most, inflight)
		var release, answered chan struct{}
		if !tripped && q.Get("cursor") == "" {
			i := index[q.Get("baseCoin")]
			release, answered = make(chan struct{}), make(chan struct{})
			held[i], done[i] = release, answered
			if len(held) == marketLoads {
				tripped = true
				close(all)
			}
		}
		mu.Unlock()
		if release != nil {
			<-release
		}
		proxy.ServeHTTP(w, r)
		mu.Lock()
		inflight--
		mu.Unlock()
		if answered != nil {
			close(answered)
		}
	}))
	t.Cleanup(front.Close)

	urls := srv.URLs()
	urls["rest"] = front.URL
	x, err := New(exchange.Config{URLs: urls, Options: Options{Categories: []string{CategoryOption}, OptionBaseCoins: coins}})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	go func() {
		select {
		case <-all:
		case <-time.After(10 * time.Second):
			t.Error("the option chains did not run at once")
			mu.Lock()
			tripped = true
			mu.Unlock()
		}
		mu.Lock()
		var order []int
		for i := len(coins) - 1; i >= 0; i-- {
			if held[i] != nil {
				order = append(order, i)
			}
		}
		mu.Unlock()
		for _, i := range order {
			close(held[i])
			<-done[i]
		}
	}()
	ms, err := x.FetchMarkets(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for i := range ms {
		got = append(got, ms[i].Symbol)
	}
	want := []string{"BTC/USD:USDC-301227-60000-C", "BTC/USD:USDC-301227-60000-P", "BTC/USDT:USDT-301227-70000-C", "ETH/USD:USDC-301227-2500-P"}
	if len(got) != len(want) {
		t.Fatalf("markets %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("markets %v, want %v", got, want)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if most > marketLoads {
		t.Errorf("%d chains at once, the bound is %d", most, marketLoads)
	}
}

// TestOptionChainsCancelled: a cancelled context ends FetchMarkets with
// its error and sends nothing.
func TestOptionChainsCancelled(t *testing.T) {
	var calls atomic.Int32
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		http.Error(w, "unexpected", http.StatusInternalServerError)
	}))
	t.Cleanup(front.Close)
	x, err := New(exchange.Config{URLs: map[string]string{"rest": front.URL},
		Options: Options{Categories: []string{CategorySpot, CategoryOption}, OptionBaseCoins: []string{"BTC", "ETH", "SOL"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if ms, err := x.FetchMarkets(ctx); !errors.Is(err, context.Canceled) || ms != nil {
		t.Fatalf("FetchMarkets on a cancelled context: %d markets, %v", len(ms), err)
	}
	if n := calls.Load(); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
}
