package exchange_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
)

func TestOptions(t *testing.T) {
	since := time.Date(2025, 3, 28, 0, 0, 0, 0, time.UTC)
	p := map[string]any{"a": 1}
	o := exchange.Apply([]exchange.Option{exchange.Since(since), exchange.Limit(-5), exchange.Limit(20),
		exchange.Params(p), exchange.Params(map[string]any{"b": 2, "a": 3}), nil})
	if !o.Since.Equal(since) || o.SinceMillis() != since.UnixMilli() || o.Limit != 20 {
		t.Fatalf("options = %+v", o)
	}
	if o.Params["a"] != 3 || o.Params["b"] != 2 {
		t.Fatalf("params merge = %v", o.Params)
	}
	if p["a"] != 1 || len(p) != 1 {
		t.Fatal("Params modified the caller's map")
	}
	if (exchange.CallOptions{}).SinceMillis() != 0 {
		t.Fatal("unset Since must be 0 ms")
	}
	if exchange.Apply([]exchange.Option{exchange.Limit(-1)}).Limit != 0 {
		t.Fatal("a negative limit must mean no cap")
	}
}

func TestFeatures(t *testing.T) {
	all := exchange.AllFeatures()
	seen := map[string]bool{}
	for _, f := range all {
		name := f.String()
		if name == "unknown" || seen[name] {
			t.Fatalf("feature %d has a bad or repeated name %q", f, name)
		}
		seen[name] = true
		if g, ok := exchange.FeatureByName(name); !ok || g != f {
			t.Fatalf("FeatureByName(%q) = %v, %v", name, g, ok)
		}
	}
	for _, ccxt := range []string{"fetchOHLCV", "watchOrderBook", "createOrderWs", "unWatchTrades", "fetchDepositAddress"} {
		if _, ok := exchange.FeatureByName(ccxt); !ok {
			t.Errorf("CCXT's %s has no feature", ccxt)
		}
	}
	if _, ok := exchange.FeatureByName("fetchNothing"); ok {
		t.Error("an unknown name was found")
	}
	fs := exchange.NewFeatures(exchange.FeatureWatchTrades, exchange.FeatureFetchTicker, exchange.Feature(0), exchange.Feature(9999))
	if !fs.Has(exchange.FeatureWatchTrades) || !fs.Has(exchange.FeatureFetchTicker) || fs.Has(exchange.FeatureWatchOrderBook) {
		t.Fatal("Has is wrong")
	}
	if fs.Has(exchange.Feature(9999)) || fs.Has(exchange.Feature(-1)) {
		t.Fatal("out-of-range features must not be present")
	}
	if l := fs.List(); len(l) != 2 || l[0] != exchange.FeatureFetchTicker || l[1] != exchange.FeatureWatchTrades {
		t.Fatalf("List = %v", l)
	}
}

func TestConfigNeverPrintsSecrets(t *testing.T) {
	cfg := exchange.Config{APIKey: "key-9f8e", Secret: "sec-7d6c", Password: "pw-5b4a", PrivateKey: "0xdeadbeef01",
		WalletAddress: "0xabc", URLs: map[string]string{"rest": "http://127.0.0.1:1"}}
	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("config", "cfg", cfg)
	texts := []string{cfg.String(), cfg.GoString(), fmt.Sprint(cfg), fmt.Sprintf("%+v", cfg), fmt.Sprintf("%#v", cfg),
		fmt.Sprintf("%s", cfg), fmt.Sprintf("%v", &cfg), logs.String()}
	for _, text := range texts {
		for _, secret := range []string{"key-9f8e", "sec-7d6c", "pw-5b4a", "0xdeadbeef01"} {
			if strings.Contains(text, secret) {
				t.Fatalf("secret %q printed: %s", secret, text)
			}
		}
		if !strings.Contains(text, "REDACTED") {
			t.Fatalf("redaction not visible: %s", text)
		}
	}
	if !strings.Contains(logs.String(), "0xabc") {
		t.Error("the wallet address is public and should be shown")
	}
	if strings.Contains(exchange.Config{}.String(), "REDACTED") {
		t.Error("unset secrets must not look set")
	}
}

var registryRuns atomic.Int64

func TestRegistry(t *testing.T) {
	if _, err := exchange.New("no-such-venue", exchange.Config{}); !errors.Is(err, errors.NotSupported) {
		t.Fatalf("unknown id: %v", err)
	}
	// The registry is global: each run (go test -count=N) needs its own id.
	id := fmt.Sprintf("registry-test-%d", registryRuns.Add(1))
	called := false
	exchange.Register(id, func(cfg exchange.Config) (exchange.Exchange, error) {
		called = true
		return nil, errors.Newf(errors.ArgumentsRequired, "needs URLs")
	})
	if _, err := exchange.New(id, exchange.Config{}); !called || !errors.Is(err, errors.ArgumentsRequired) {
		t.Fatalf("New did not call the constructor: %v", err)
	}
	found := false
	for _, got := range exchange.IDs() {
		found = found || got == id
	}
	if !found {
		t.Fatal("IDs does not list the registered adapter")
	}
	for _, bad := range []func(){
		func() {
			exchange.Register(id, func(exchange.Config) (exchange.Exchange, error) { return nil, nil })
		},
		func() { exchange.Register("", func(exchange.Config) (exchange.Exchange, error) { return nil, nil }) },
		func() { exchange.Register("nil-constructor", nil) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Error("a bad registration did not panic")
				}
			}()
			bad()
		}()
	}
}
