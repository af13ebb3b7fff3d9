package exchange_test

import (
	"fmt"
	"time"

	"github.com/unifex-go/unifex/exchange"
)

// Per-call options: a time bound, a cap, and venue-specific fields.
func ExampleApply() {
	o := exchange.Apply([]exchange.Option{
		exchange.Since(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)),
		exchange.Limit(100),
		exchange.Params(map[string]any{"price": "mark"}),
	})
	fmt.Println(o.SinceMillis(), o.Limit, o.Params["price"])
	// Output: 1735689600000 100 mark
}

// Code ported from CCXT can keep its has['...'] checks by name.
func ExampleFeatureByName() {
	f, ok := exchange.FeatureByName("watchOrderBook")
	fmt.Println(f, ok, f == exchange.FeatureWatchOrderBook)
	// Output: watchOrderBook true true
}

// A configuration prints without its secrets.
func ExampleConfig_String() {
	cfg := exchange.Config{APIKey: "my-key", Secret: "my-secret", Sandbox: true}
	fmt.Println(cfg)
	// Output: Config{APIKey:"[REDACTED]" Secret:"[REDACTED]" Password:"" PrivateKey:"" WalletAddress:"" Sandbox:true URLs:map[] NewUpdates:false KeepInfo:false}
}
