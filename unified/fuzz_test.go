package unified

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/shopspring/decimal"
)

// kinds lists the decodable structures by index for FuzzUnmarshalJSON.
var kinds = []string{
	"ticker", "trade", "ohlcv", "orderbook", "balances", "order", "position",
	"fundingrate", "transaction", "depositaddress", "ledger", "market", "currency",
	"leverage",
}

// FuzzUnmarshalJSON feeds arbitrary bytes to every decoder. A decoder may
// refuse its input (with a typed error, checked elsewhere) but must not
// panic, and what it accepts must encode to valid JSON that decodes again to
// a value with the same encoding.
func FuzzUnmarshalJSON(f *testing.F) {
	for i, name := range kinds {
		golden, err := os.ReadFile(filepath.Join("testdata", "golden", name+".json"))
		if err == nil {
			f.Add(uint8(i), golden)
		}
		raw, err := os.ReadFile(filepath.Join("testdata", "ccxt", name+".json"))
		if err == nil {
			var entries []struct{ Value json.RawMessage }
			if json.Unmarshal(raw, &entries) == nil {
				for _, e := range entries {
					f.Add(uint8(i), []byte(e.Value))
				}
			}
		}
	}
	f.Add(uint8(0), []byte(`{"last":"1e-9999","high":-0,"timestamp":-62135596800000}`))
	f.Add(uint8(3), []byte(`{"bids":[[1,2,3]],"asks":[],"nonce":9223372036854775807}`))
	f.Add(uint8(4), []byte(`{"BTC":{"free":1},"free":{"BTC":1},"x\u2028":null}`))
	f.Add(uint8(5), []byte(`{"trades":[{"fee":{"cost":"1"}}],"fee":{},"stopPrice":1.5e3}`))
	f.Add(uint8(13), []byte(`{"symbol":"X","marginMode":"both","longLeverage":"1e400","shortLeverage":-0,"info":[]}`))
	f.Fuzz(func(t *testing.T, kind uint8, data []byte) {
		name := kinds[int(kind)%len(kinds)]
		v := fresh(name)
		if err := v.UnmarshalJSON(data); err != nil {
			return
		}
		first, err := v.MarshalJSON()
		if err != nil {
			t.Fatalf("%s: decoded %q but cannot encode it: %v", name, data, err)
		}
		if !json.Valid(first) {
			t.Fatalf("%s: encoding is not JSON: %s", name, first)
		}
		again := fresh(name)
		if err := again.UnmarshalJSON(first); err != nil {
			t.Fatalf("%s: own encoding %s does not decode: %v", name, first, err)
		}
		second, err := again.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first, second) {
			t.Fatalf("%s: encoding is not stable:\n%s\n%s", name, first, second)
		}
	})
}

// optional parses s as a decimal, absent when it is not one.
func optional(s string) decimal.NullDecimal {
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.NullDecimal{}
	}
	return present(d)
}

// FuzzTickerComplete runs Ticker.Complete on arbitrary decimals (zeros,
// negatives, huge and tiny exponents): it must not panic, and its result must
// keep CCXT's invariants.
func FuzzTickerComplete(f *testing.F) {
	f.Add("72166.8", "73384.8", "", "", "", "21266.19", "1519926359.59", "0.1")
	f.Add("", "5", "", "-100", "", "0", "0", "10")
	f.Add("", "", "2", "", "101", "3", "", "1e-8")
	f.Add("0", "0", "0", "0", "0", "0", "0", "0")
	f.Add("1e-10000", "1e10000", "", "5", "", "1e-10000", "1e10000", "1e-9999")
	f.Fuzz(func(t *testing.T, open, closing, change, percentage, average, base, quote, tick string) {
		tk := Ticker{
			Open: optional(open), Close: optional(closing), Change: optional(change),
			Percentage: optional(percentage), Average: optional(average),
			BaseVolume: optional(base), QuoteVolume: optional(quote),
		}
		m := &Market{PrecisionMode: TickSize, Precision: Precision{Price: optional(tick)}}
		tk.Complete(m)
		if tk.Close.Valid != tk.Last.Valid || (tk.Close.Valid && !tk.Close.Decimal.Equal(tk.Last.Decimal)) {
			t.Fatalf("close %s != last %s", text(tk.Close), text(tk.Last))
		}
		for name, d := range map[string]decimal.NullDecimal{"open": tk.Open, "close": tk.Close} {
			if d.Valid && d.Decimal.IsZero() {
				t.Fatalf("%s is a present zero", name)
			}
		}
		if !optional(change).Valid && tk.Change.Valid && tk.Open.Valid && tk.Close.Valid &&
			!tk.Change.Decimal.Equal(tk.Close.Decimal.Sub(tk.Open.Decimal)) {
			t.Fatalf("derived change %s != close %s − open %s", text(tk.Change), text(tk.Close), text(tk.Open))
		}
		if _, err := tk.MarshalJSON(); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzOrderComplete runs Order.Complete (and through it Trade.Complete and
// TradeCost) on arbitrary decimals and market shapes.
func FuzzOrderComplete(f *testing.F) {
	f.Add("3", "", "2", "", "", "100", "0.001", false, false, true, "1", "100")
	f.Add("", "1", "", "10", "", "", "100", true, true, false, "0", "0")
	f.Add("0", "", "", "", "0", "0", "", false, true, true, "", "")
	f.Add("1e10000", "1e-10000", "5", "1e9999", "-3", "-0", "1e-10000", true, false, true, "1e10000", "-1")
	f.Fuzz(func(t *testing.T, amount, filled, remaining, cost, average, price, contractSize string,
		inverse, closed, market bool, tradeAmount, tradePrice string) {
		o := Order{
			Amount: optional(amount), Filled: optional(filled), Remaining: optional(remaining),
			Cost: optional(cost), Average: optional(average), Price: optional(price),
			Type: OrderTypeLimit, Status: StatusOpen,
		}
		if closed {
			o.Status = StatusClosed
		}
		if market {
			o.Type = OrderTypeMarket
		}
		if tradeAmount != "" || tradePrice != "" {
			o.Trades = []Trade{{Amount: optional(tradeAmount), Price: optional(tradePrice),
				Fee: Fee{Currency: "USDT", Cost: optional(tradePrice)}}}
		}
		missing := 0
		for _, d := range []decimal.NullDecimal{omitZero(o.Amount), o.Filled, o.Remaining} {
			if !d.Valid {
				missing++
			}
		}
		m := &Market{Contract: true, Inverse: inverse, Linear: !inverse, ContractSize: optional(contractSize)}
		o.Complete(m)
		if missing == 1 && len(o.Trades) == 0 && o.Amount.Valid && o.Filled.Valid && o.Remaining.Valid &&
			!o.Amount.Decimal.Equal(o.Filled.Decimal.Add(o.Remaining.Decimal)) {
			t.Fatalf("amount %s != filled %s + remaining %s", text(o.Amount), text(o.Filled), text(o.Remaining))
		}
		if o.Average.Valid && o.Average.Decimal.IsZero() && !o.Cost.Valid {
			t.Fatalf("a zero average survived without a cost")
		}
		if _, err := o.MarshalJSON(); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzBalanceComplete checks safeBalance's identity on arbitrary decimals.
func FuzzBalanceComplete(f *testing.F) {
	f.Add("1", "2", "")
	f.Add("", "2", "5")
	f.Add("1e10000", "", "-1e-10000")
	f.Fuzz(func(t *testing.T, free, used, total string) {
		b := Balance{Free: optional(free), Used: optional(used), Total: optional(total)}
		given := 0
		for _, d := range []decimal.NullDecimal{b.Free, b.Used, b.Total} {
			if d.Valid {
				given++
			}
		}
		b.Complete()
		if given == 2 && b.Free.Valid && b.Used.Valid && b.Total.Valid &&
			!b.Total.Decimal.Equal(b.Free.Decimal.Add(b.Used.Decimal)) {
			t.Fatalf("total %s != free %s + used %s", text(b.Total), text(b.Free), text(b.Used))
		}
	})
}
