package markets_test

import (
	"context"
	"fmt"
	"time"

	"github.com/shopspring/decimal"
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/markets"
	"github.com/unifex-go/unifex/unified"
)

func num(s string) decimal.NullDecimal { return decimal.NewNullDecimal(decimal.RequireFromString(s)) }

// btcusdt is a spot market as an adapter's loader would build it.
var btcusdt = unified.Market{
	ID: "BTCUSDT", Symbol: "BTC/USDT", Base: "BTC", Quote: "USDT", BaseID: "BTC", QuoteID: "USDT",
	Type: unified.Spot, Spot: true,
	PrecisionMode: unified.TickSize,
	Precision:     unified.Precision{Amount: num("0.00001"), Price: num("0.01")},
	Limits: unified.Limits{
		Amount: unified.MinMax{Min: num("0.0001"), Max: num("9000")},
		Cost:   unified.MinMax{Min: num("5")},
	},
}

func ExampleParseSymbol() {
	s, err := markets.ParseSymbol("BTC/USD:BTC-250328-60000-C")
	if err != nil {
		panic(err)
	}
	fmt.Println(s.Base, s.Quote, s.Settle, s.Expiry, s.Strike, s.OptionType, s.Type())

	_, err = markets.ParseSymbol("BTC-USDT")
	fmt.Println(errors.Is(err, errors.BadSymbol), err)
	// Output:
	// BTC USD BTC 250328 60000 call option
	// true BadSymbol: malformed symbol "BTC-USDT": no '/' between base and quote
}

func ExampleSymbol_String() {
	// An adapter building the symbol of a dated future from its parts.
	expiry, err := markets.ExpiryCode(time.Date(2025, 3, 28, 8, 0, 0, 0, time.UTC))
	if err != nil {
		panic(err)
	}
	s := markets.Symbol{Base: "BTC", Quote: "USDT", Settle: "USDT", Expiry: expiry}
	fmt.Println(s, s.Validate() == nil, s.Type())
	// Output: BTC/USDT:USDT-250328 true future
}

func ExamplePriceToPrecision() {
	price, err := markets.PriceToPrecision(&btcusdt, decimal.RequireFromString("64123.455"))
	if err != nil {
		panic(err)
	}
	amount, err := markets.AmountToPrecision(&btcusdt, decimal.RequireFromString("0.123456789"))
	if err != nil {
		panic(err)
	}
	fmt.Println(price, amount) // the price is rounded, the amount truncated
	// Output: 64123.46 0.12345
}

func ExampleRule_Format() {
	// bitfinex prices: 5 significant digits.
	sig := markets.Rule{Mode: unified.SignificantDigits, Precision: num("5")}
	s, _ := sig.Format(decimal.RequireFromString("64123.456"), markets.Round)
	fmt.Println(s)

	// A venue that wants every decimal of its tick written out.
	tick := markets.Rule{Mode: unified.TickSize, Precision: num("0.0001"), Padding: markets.PadWithZero}
	s, _ = tick.Format(decimal.RequireFromString("0.01"), markets.Truncate)
	fmt.Println(s)
	// Output:
	// 64123
	// 0.0100
}

func ExampleValidateOrder() {
	o, err := markets.ValidateOrder(&btcusdt, markets.Order{
		Amount: decimal.RequireFromString("0.0012345"),
		Price:  decimal.RequireFromString("64000.005"),
	})
	fmt.Println(o.Amount, o.Price, err)

	_, err = markets.ValidateOrder(&btcusdt, markets.Order{
		Amount: decimal.RequireFromString("0.00005"),
		Price:  decimal.RequireFromString("64000"),
	})
	fmt.Println(errors.Is(err, errors.InvalidOrder), err)
	// Output:
	// 0.00123 64000.01 <nil>
	// true InvalidOrder: amount 0.00005 is below the minimum 0.0001 for BTC/USDT
}

func ExampleRegistry() {
	btcusdtSwap := btcusdt
	btcusdtSwap.Symbol, btcusdtSwap.Settle, btcusdtSwap.SettleID = "BTC/USDT:USDT", "USDT", "USDT"
	btcusdtSwap.Type, btcusdtSwap.Spot, btcusdtSwap.Swap = unified.Swap, false, true

	// The adapter's loader would call FetchMarkets over REST.
	reg := markets.NewRegistry("example", func(ctx context.Context) ([]unified.Market, []unified.Currency, error) {
		return []unified.Market{btcusdt, btcusdtSwap}, nil, nil
	})
	snap, err := reg.Load(context.Background(), false)
	if err != nil {
		panic(err)
	}
	m, _ := snap.Market("BTC/USDT:USDT")
	fmt.Println(m.ID, m.Type)

	// "BTCUSDT" is both markets; the endpoint being parsed says which.
	m, _ = reg.Current().MarketByID("BTCUSDT", unified.Spot)
	fmt.Println(m.Symbol)
	_, err = reg.Current().MarketByID("BTCUSDT", "")
	fmt.Println(err)

	_, err = snap.Market("ETH/USDT")
	fmt.Println(errors.Is(err, errors.BadSymbol), err)
	// Output:
	// BTCUSDT swap
	// BTC/USDT
	// example: ArgumentsRequired: market id "BTCUSDT" names spot BTC/USDT, swap BTC/USDT:USDT: a market type is needed
	// true example: BadSymbol: unknown symbol "ETH/USDT"
}

func ExampleCurrencyCodes() {
	codes := markets.NewCurrencyCodes(map[string]string{"UST": "USDT"}) // bitfinex's USDT
	fmt.Println(codes.Common("XBT"), codes.Common("UST"), codes.Common("eth"), codes.Native("USDT"))
	// Output: BTC USDT ETH UST
}
