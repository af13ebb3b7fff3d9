package unified

import (
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// benchTicker is a typical venue ticker before Complete (binance 24 h
// statistics without the average).
func benchTicker() Ticker {
	return Ticker{
		Symbol: "BTC/USDT", Timestamp: time.UnixMilli(1710328245391).UTC(),
		High: num("73650.25"), Low: num("68620.82"), Bid: num("73369.83"), BidVolume: num("6.27086"),
		Ask: num("73369.84"), AskVolume: num("0.03321"),
		Open: num("72181.09"), Last: num("73369.84"), PreviousClose: num("72180.93"),
		BaseVolume: num("72140.34862800"), QuoteVolume: num("5167027510.68728707"),
	}
}

// benchBook is a 20-level book on each side with realistic prices.
func benchBook() OrderBook {
	b := OrderBook{Symbol: "BTC/USDT", Timestamp: time.UnixMilli(1710328245391).UTC(), Nonce: 25445101}
	for i := range 20 {
		step := decimal.New(int64(i), -2)
		amount := decimal.New(int64(1000+37*i), -5)
		b.Bids = append(b.Bids, Level{Price: dec("42574.30").Sub(step), Amount: amount})
		b.Asks = append(b.Asks, Level{Price: dec("42574.31").Add(step), Amount: amount})
	}
	return b
}

func BenchmarkTickerMarshalJSON(b *testing.B) {
	t := benchTicker()
	t.Complete(tickMarket("0.01"))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := t.MarshalJSON(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTickerEncodingJSON is the same through encoding/json, which
// validates and compacts what MarshalJSON returns.
func BenchmarkTickerEncodingJSON(b *testing.B) {
	t := benchTicker()
	t.Complete(tickMarket("0.01"))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(t); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOrderBookMarshalJSON20(b *testing.B) {
	book := benchBook()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := book.MarshalJSON(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTickerUnmarshalJSON(b *testing.B) {
	t := benchTicker()
	t.Complete(tickMarket("0.01"))
	data, err := t.MarshalJSON()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		var out Ticker
		if err := out.UnmarshalJSON(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTickerComplete(b *testing.B) {
	in := benchTicker()
	m := tickMarket("0.01")
	b.ReportAllocs()
	for b.Loop() {
		t := in
		t.Complete(m)
	}
}

func BenchmarkTradeComplete(b *testing.B) {
	in := Trade{Price: num("36567.10"), Amount: num("0.010"), Fee: Fee{Currency: "USDT", Cost: num("0.1462684")}}
	b.ReportAllocs()
	for b.Loop() {
		tr := in
		tr.Complete(linearBTC)
	}
}

func BenchmarkOrderComplete(b *testing.B) {
	b.Run("fields", func(b *testing.B) {
		in := Order{Type: OrderTypeLimit, Status: StatusOpen, Price: num("60000"), Amount: num("0.5"), Filled: num("0.2"), Cost: num("12000")}
		b.ReportAllocs()
		for b.Loop() {
			o := in
			o.Complete(linearBTC)
		}
	})
	b.Run("trades", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			o := Order{Type: OrderTypeLimit, Status: StatusClosed, Amount: num("3"), Trades: []Trade{
				{Price: num("100"), Amount: num("1"), Fee: Fee{Currency: "USDT", Cost: num("0.1")}},
				{Price: num("103"), Amount: num("2"), Fee: Fee{Currency: "USDT", Cost: num("0.2")}},
			}}
			o.Complete(nil)
		}
	})
}

func BenchmarkBalancesComplete(b *testing.B) {
	bs := Balances{Currencies: map[string]Balance{}}
	for i := range 20 {
		bs.Currencies["C"+strconv.Itoa(i)] = Balance{Free: num("1.5"), Used: num("0.25")}
	}
	b.ReportAllocs()
	for b.Loop() {
		for code, bal := range bs.Currencies {
			bal.Total = decimal.NullDecimal{}
			bs.Currencies[code] = bal
		}
		bs.Complete()
	}
}
