package unified_test

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/unified"
)

// d is a present decimal for the examples.
func d(s string) decimal.NullDecimal {
	return decimal.NewNullDecimal(decimal.RequireFromString(s))
}

// An adapter copies what the venue sent (here okx's open24h and last) and
// lets Complete derive the rest as CCXT's safeTicker would.
func ExampleTicker_Complete() {
	market := unified.Market{
		Symbol:        "BTC/USDT",
		PrecisionMode: unified.TickSize,
		Precision:     unified.Precision{Price: d("0.1")},
	}
	t := unified.Ticker{Symbol: "BTC/USDT", Open: d("72166.8"), Last: d("73384.8")}
	t.Complete(&market)
	fmt.Println("close:", t.Close.Decimal)
	fmt.Println("change:", t.Change.Decimal)
	fmt.Println("percentage:", t.Percentage.Decimal)
	fmt.Println("average:", t.Average.Decimal)
	// Output:
	// close: 73384.8
	// change: 1218
	// percentage: 1.6877566969853173
	// average: 72775.8
}

// Complete derives filled, remaining, cost and average of an order from its
// fills.
func ExampleOrder_Complete() {
	o := unified.Order{
		ID:     "42",
		Type:   unified.OrderTypeLimit,
		Status: unified.StatusOpen,
		Amount: d("5"),
		Trades: []unified.Trade{
			{Price: d("100"), Amount: d("1"), Fee: unified.Fee{Currency: "USDT", Cost: d("0.1")}},
			{Price: d("103"), Amount: d("2"), Fee: unified.Fee{Currency: "USDT", Cost: d("0.2")}},
		},
	}
	o.Complete(nil)
	fmt.Println("filled:", o.Filled.Decimal, "remaining:", o.Remaining.Decimal)
	fmt.Println("cost:", o.Cost.Decimal, "average:", o.Average.Decimal)
	fmt.Println("fee:", o.Fee.Cost.Decimal, o.Fee.Currency)
	// Output:
	// filled: 3 remaining: 2
	// cost: 306 average: 102
	// fee: 0.3 USDT
}

// TradeCost values a fill in spot, linear and inverse markets.
func ExampleTradeCost() {
	spot := &unified.Market{Symbol: "BTC/USDT", Spot: true}
	linear := &unified.Market{Symbol: "BTC/USDT:USDT", Linear: true, ContractSize: d("0.001")}
	inverse := &unified.Market{Symbol: "BTC/USD:BTC", Inverse: true, ContractSize: d("100")}
	fmt.Println(unified.TradeCost(d("40000"), d("0.5"), spot).Decimal)   // 0.5 BTC in USDT
	fmt.Println(unified.TradeCost(d("40000"), d("500"), linear).Decimal) // 500 contracts of 0.001 BTC, in USDT
	fmt.Println(unified.TradeCost(d("40000"), d("10"), inverse).Decimal) // 10 contracts of 100 USD, in BTC
	// Output:
	// 20000
	// 20000
	// 0.025
}

// Balances.Complete fills total from free and used (or either of those from
// the other two) for every currency.
func ExampleBalances_Complete() {
	b := unified.Balances{Currencies: map[string]unified.Balance{
		"USDT": {Free: d("900"), Used: d("100")},
		"BTC":  {Total: d("1.5"), Used: d("0.5")},
	}}
	b.Complete()
	fmt.Println("USDT total:", b.Currencies["USDT"].Total.Decimal)
	fmt.Println("BTC free:", b.Currencies["BTC"].Free.Decimal)
	// Output:
	// USDT total: 1000
	// BTC free: 1
}

// Validate rejects a request any venue would reject, with a typed error.
func ExampleOrderRequest_Validate() {
	req := unified.OrderRequest{
		Symbol: "BTC/USDT",
		Type:   unified.OrderTypeLimit,
		Side:   unified.SideBuy,
		Amount: decimal.RequireFromString("0.01"),
	}
	err := req.Validate()
	fmt.Println(errors.Is(err, errors.ArgumentsRequired), err)
	req.Price = d("60000")
	fmt.Println(req.Validate())
	// Output:
	// true ArgumentsRequired: unified: order request: a limit order needs a price
	// <nil>
}

// Order books encode as CCXT prints them: levels as [price, amount] arrays
// of exact JSON numbers.
func ExampleOrderBook_MarshalJSON() {
	book := unified.OrderBook{
		Symbol:    "BTC/USDT",
		Timestamp: time.UnixMilli(1706803948569).UTC(),
		Bids:      []unified.Level{{Price: decimal.RequireFromString("42544.70"), Amount: decimal.RequireFromString("172.404")}},
		Asks:      []unified.Level{{Price: decimal.RequireFromString("42548"), Amount: decimal.RequireFromString("0.000000108")}},
	}
	out, err := json.Marshal(book)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(out))
	// Output:
	// {"symbol":"BTC/USDT","bids":[[42544.7,172.404]],"asks":[[42548,0.000000108]],"timestamp":1706803948569,"datetime":"2024-02-01T16:12:28.569Z","nonce":null}
}

// Tickers decode from CCXT's JSON, numbers exact, absent values null.
func ExampleTicker_UnmarshalJSON() {
	var t unified.Ticker
	err := json.Unmarshal([]byte(`{"symbol":"BTC/USDT","timestamp":1710328245391,"last":73369.84,"bid":null}`), &t)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(t.Symbol, t.Timestamp.Format(time.RFC3339Nano), t.Last.Decimal, t.Bid.Valid)
	// Output:
	// BTC/USDT 2024-03-13T11:10:45.391Z 73369.84 false
}
