package unified

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/errors"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// codec is what every unified structure implements through its pointer.
type codec interface {
	json.Marshaler
	json.Unmarshaler
}

// samples are fully populated values, one per structure, for the golden files.
func samples() map[string]codec {
	t0 := time.Date(2024, 1, 2, 3, 4, 5, 678_000_000, time.UTC)
	usdt := Fee{Currency: "USDT", Cost: num("0.1462684"), Rate: num("0.0004")}
	trade := Trade{
		ID: "272536245", Order: "3524852987", Timestamp: t0, Symbol: "BTC/USDT:USDT",
		Type: OrderTypeLimit, Side: SideBuy, TakerOrMaker: LiquidityTaker,
		Price: num("36567.10"), Amount: num("0.010"), Cost: num("365.671"),
		Fee: usdt, Fees: []Fee{usdt},
		Info: json.RawMessage(`{"id":"272536245","qty":"0.010"}`),
	}
	return map[string]codec{
		"ticker": &Ticker{
			Symbol: "BTC/USDT", Timestamp: t0,
			High: num("73650.25"), Low: num("68620.82"), Bid: num("73369.83"), BidVolume: num("6.27086"),
			Ask: num("73369.84"), AskVolume: num("0.03321"), VWAP: num("71624.65401064"),
			Open: num("72181.09"), Close: num("73369.84"), Last: num("73369.84"), PreviousClose: num("72180.93"),
			Change: num("1188.75"), Percentage: num("1.647"), Average: num("72775.46"),
			BaseVolume: num("72140.348628"), QuoteVolume: num("5167027510.68728707"),
		},
		"trade": &trade,
		"ohlcv": &OHLCV{Timestamp: t0, Open: dec("43519.34"), High: dec("43936"), Low: dec("43171"), Close: dec("43488.71"), Volume: dec("20.55495")},
		"orderbook": &OrderBook{
			Symbol: "BTC/USDT", Timestamp: t0, Nonce: 25445101,
			Bids: []Level{{Price: dec("42574.3"), Amount: dec("0.0107")}, {Price: dec("42574.2"), Amount: dec("0.00646")}},
			Asks: []Level{{Price: dec("42574.31"), Amount: dec("0.0087")}},
		},
		"balances": &Balances{
			Timestamp: t0,
			Currencies: map[string]Balance{
				"USDT": {Free: num("3229.64065465"), Used: num("92.61831144"), Total: num("3322.25896609"), Debt: num("0")},
				"BTC":  {Free: num("0.85581394"), Used: num("0"), Total: num("0.85581394")},
			},
		},
		"order": &Order{
			ID: "3524852987", ClientOrderID: "x-abc", Timestamp: t0, LastTradeTimestamp: t0.Add(time.Second),
			Symbol: "BTC/USDT:USDT", Type: OrderTypeLimit, TimeInForce: TIFGTC, PostOnly: boolp(false), ReduceOnly: boolp(true),
			Side: SideBuy, Price: num("36567.1"), TriggerPrice: num("36000"), Amount: num("0.02"), Filled: num("0.01"),
			Remaining: num("0.01"), Cost: num("365.671"), Average: num("36567.1"), Status: StatusOpen,
			Fee: usdt, Fees: []Fee{usdt}, Trades: []Trade{trade},
		},
		"position": &Position{
			Symbol: "LTC/USDT:USDT", Timestamp: t0, Side: PositionLong, Contracts: num("1.2"), ContractSize: num("1"),
			EntryPrice: num("64.59947917"), MarkPrice: num("71.1"), Notional: num("77.519375"), Leverage: num("6"),
			Collateral: num("11.699649"), InitialMargin: num("12.95542633"), MaintenanceMargin: num("0.81072399"),
			MarginRatio: num("0.0692"), UnrealizedPnl: num("7.800625"), MarginMode: MarginModeCross, Hedged: boolp(false),
		},
		"fundingrate": &FundingRate{
			Symbol: "BTC/USDT:USDT", Timestamp: t0, Rate: num("0.0001"), FundingTime: t0.Add(8 * time.Hour),
			MarkPrice: num("68591.46"), IndexPrice: num("68599.9"), Interval: "8h",
		},
		"transaction": &Transaction{
			ID: "4534543435", TxID: "0xabc", Timestamp: t0, Type: TransactionDeposit, Currency: "USDT", Network: "TRC20",
			Amount: num("10"), Status: TransactionOK, Address: "T9yD", AddressTo: "T9yD", Tag: "memo \"1\"\n",
			Internal: boolp(false), Fee: Fee{Currency: "USDT", Cost: num("1")},
		},
		"depositaddress": &DepositAddress{Currency: "USDT", Network: "TRC20", Address: "T9yD", Tag: "12345"},
		"market": &Market{
			ID: "BTC-USD-250328", Symbol: "BTC/USD:BTC-250328", Base: "BTC", Quote: "USD", Settle: "BTC",
			BaseID: "BTC", QuoteID: "USD", SettleID: "BTC", Type: Future, SubType: "inverse", Future: true,
			Active: boolp(true), Contract: true, Inverse: true, Taker: num("0.0005"), Maker: num("0.0002"),
			ContractSize: num("100"), Expiry: time.Date(2025, 3, 28, 8, 0, 0, 0, time.UTC), PrecisionMode: TickSize,
			Precision:   Precision{Amount: num("1"), Price: num("0.1")},
			Limits:      Limits{Amount: MinMax{Min: num("1")}, Leverage: MinMax{Min: num("1"), Max: num("125")}},
			MarginModes: MarginModes{Cross: true, Isolated: true}, Created: t0,
		},
		"currency": &Currency{
			ID: "USDT", Code: "USDT", Name: "Tether", Active: boolp(true), Deposit: boolp(true), Withdraw: boolp(false),
			Fee: num("1"), Precision: num("0.0001"),
			Limits: CurrencyLimits{Withdraw: MinMax{Min: num("10")}},
			Networks: map[string]Network{
				"TRC20": {ID: "TRX", Network: "TRC20", Active: boolp(true), Fee: num("1"), Precision: num("0.0001")},
				"ERC20": {ID: "ETH", Network: "ERC20", Active: boolp(false), Fee: num("8"),
					Limits: CurrencyLimits{Deposit: MinMax{Min: num("0.001")}}},
			},
		},
		"ledger": &LedgerEntry{
			ID: "696837060589600769", Timestamp: t0, Direction: DirectionOut, ReferenceID: "1339107111507525632",
			Type: "trade", Currency: "USDT", Amount: num("-10.158"), Before: num("67543.90369945145"),
			After: num("67533.74569945144"), Status: "ok", Fee: Fee{Currency: "USDT", Cost: num("0")},
		},
		"leverage": &Leverage{
			Symbol: "BTC/USDT:USDT", MarginMode: MarginModeIsolated, LongLeverage: num("5"), ShortLeverage: num("2.5"),
			Info: json.RawMessage(`[{"instId":"BTC-USDT-SWAP","lever":"5","mgnMode":"isolated","posSide":"long"}]`),
		},
	}
}

// zeroValues are empty values, whose encodings must be all null (or empty).
func zeroValues() map[string]codec {
	return map[string]codec{
		"ticker": &Ticker{}, "trade": &Trade{}, "ohlcv": &OHLCV{}, "orderbook": &OrderBook{},
		"balances": &Balances{}, "order": &Order{}, "position": &Position{}, "fundingrate": &FundingRate{},
		"transaction": &Transaction{}, "depositaddress": &DepositAddress{}, "ledger": &LedgerEntry{},
		"market": &Market{}, "currency": &Currency{}, "leverage": &Leverage{},
	}
}

// fresh returns a new empty value of the structure a sample name stands for.
func fresh(name string) codec { return zeroValues()[name] }

func TestJSONGolden(t *testing.T) {
	for name, v := range samples() {
		t.Run(name, func(t *testing.T) {
			got, err := v.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			var pretty bytes.Buffer
			if err := json.Indent(&pretty, got, "", "  "); err != nil {
				t.Fatalf("output is not JSON: %v\n%s", err, got)
			}
			pretty.WriteByte('\n')
			path := filepath.Join("testdata", "golden", name+".json")
			if *update {
				if err := os.WriteFile(path, pretty.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), pretty.String()); diff != "" {
				t.Errorf("encoding differs from %s (-want +got):\n%s", path, diff)
			}
		})
	}
}

func TestJSONRoundTrip(t *testing.T) {
	for name, v := range samples() {
		t.Run(name, func(t *testing.T) {
			data, err := v.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			back := fresh(name)
			if err := json.Unmarshal(data, back); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(v, back, decimalEqual, cmp.Comparer(rawEqual)); diff != "" {
				t.Errorf("decode(encode(v)) != v (-v +decoded):\n%s", diff)
			}
		})
	}
}

// rawEqual compares Info payloads by their JSON text.
func rawEqual(a, b json.RawMessage) bool { return bytes.Equal(a, b) }

// ccxtKeys are the field names of CCXT's structures (ts/src/base/types.ts and
// the printed structures of CCXT's static fixtures). Position leaves out
// binance's deprecated marginType; Balances lists only its fixed keys (the
// rest are currency codes, and debt appears with debts).
var ccxtKeys = map[string]string{
	"ticker": "symbol timestamp datetime high low bid bidVolume ask askVolume vwap open close last previousClose " +
		"change percentage average baseVolume quoteVolume markPrice indexPrice info",
	"trade": "id order timestamp datetime symbol type side takerOrMaker price amount cost fee fees info",
	"order": "id clientOrderId timestamp datetime lastTradeTimestamp lastUpdateTimestamp symbol type timeInForce " +
		"postOnly reduceOnly side price triggerPrice stopPrice takeProfitPrice stopLossPrice amount filled remaining " +
		"cost average status fee fees trades info",
	"position": "id symbol timestamp datetime lastUpdateTimestamp side contracts contractSize entryPrice markPrice " +
		"lastPrice notional leverage collateral initialMargin initialMarginPercentage maintenanceMargin " +
		"maintenanceMarginPercentage marginRatio unrealizedPnl realizedPnl percentage liquidationPrice marginMode " +
		"hedged stopLossPrice takeProfitPrice info",
	"fundingrate": "symbol timestamp datetime fundingRate fundingTimestamp fundingDatetime nextFundingRate " +
		"nextFundingTimestamp nextFundingDatetime previousFundingRate previousFundingTimestamp previousFundingDatetime " +
		"markPrice indexPrice interestRate estimatedSettlePrice interval info",
	"transaction": "id txid timestamp datetime updated type currency network amount status address addressFrom " +
		"addressTo tag tagFrom tagTo comment internal fee info",
	"depositaddress": "currency network address tag info",
	"ledger": "id timestamp datetime direction account referenceId referenceAccount type currency amount before " +
		"after status fee info",
	"orderbook": "symbol bids asks timestamp datetime nonce",
	// safeMarketStructure without lowercaseId and index, plus precisionMode.
	"market": "id symbol base quote settle baseId quoteId settleId type spot margin swap future option active " +
		"contract linear inverse subType taker maker contractSize expiry expiryDatetime strike optionType precision " +
		"limits marginModes created precisionMode info",
	// safeCurrencyStructure without numericId, type, fees and margin.
	"currency": "id code name active deposit withdraw fee precision limits networks info",
	"balances": "info timestamp datetime free used total",
	"leverage": "info symbol marginMode longLeverage shortLeverage",
}

func TestJSONFieldNamesMatchCCXT(t *testing.T) {
	for name, v := range zeroValues() {
		want, ok := ccxtKeys[name]
		if !ok {
			continue // OHLCV is an array
		}
		data, err := v.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(data, &fields); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got := make([]string, 0, len(fields))
		for k := range fields {
			got = append(got, k)
		}
		sort.Strings(got)
		wantKeys := strings.Fields(want)
		sort.Strings(wantKeys)
		if diff := cmp.Diff(wantKeys, got); diff != "" {
			t.Errorf("%s field names (-ccxt +ours):\n%s", name, diff)
		}
	}
}

func TestJSONZeroValuesAreNull(t *testing.T) {
	for name, v := range zeroValues() {
		data, err := v.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		var tree any
		if err := json.Unmarshal(data, &tree); err != nil {
			t.Fatal(err)
		}
		if name == "ohlcv" {
			if string(data) != "[null,0,0,0,0,0]" {
				t.Errorf("ohlcv zero = %s", data)
			}
			continue
		}
		checkEmpty(t, name, tree)
	}
	got, _ := Trade{}.MarshalJSON()
	if !bytes.Contains(got, []byte(`"fee":{"currency":null,"cost":null}`)) {
		t.Errorf("a trade without fee must print CCXT's empty fee object: %s", got)
	}
}

// checkEmpty fails unless every leaf of v is null or false and every array empty.
func checkEmpty(t *testing.T, path string, v any) {
	t.Helper()
	switch v := v.(type) {
	case nil, bool:
		if v == true {
			t.Errorf("%s = true, want null or false", path)
		}
	case []any:
		if len(v) != 0 {
			t.Errorf("%s = %v, want empty", path, v)
		}
	case map[string]any:
		for k, inner := range v {
			checkEmpty(t, path+"."+k, inner)
		}
	default:
		t.Errorf("%s = %v, want null", path, v)
	}
}

// leniency lists what a fixture may hold that our structures do not: keys
// with no field here, and null booleans (CCXT's undefined) where ours are
// plain bool.
var leniency = map[string]compareOptions{
	"market":   {ignore: []string{"lowercaseId", "index", "tierBased", "percentage", "feeSide", "instIdCode"}, nullIsFalse: true},
	"currency": {ignore: []string{"numericId", "type", "fees", "margin", "limits.amount"}},
}

// Each CCXT fixture value decodes and encodes back to the same JSON: the same
// field names and equal values (numbers compared exactly as decimals; a field
// CCXT omits counts as null), apart from the leniency above.
func TestJSONReproducesCCXTFixtures(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "ccxt", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var entries []struct {
			Source string          `json:"source"`
			Value  json.RawMessage `json:"value"`
		}
		if err := json.Unmarshal(raw, &entries); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for _, e := range entries {
			t.Run(e.Source, func(t *testing.T) {
				v := fresh(name)
				if v == nil {
					t.Fatalf("no type for %s", name)
				}
				if err := json.Unmarshal(e.Value, v); err != nil {
					t.Fatal(err)
				}
				out, err := v.MarshalJSON()
				if err != nil {
					t.Fatal(err)
				}
				if diff := jsonDiff(t, e.Value, out, leniency[name]); diff != "" {
					t.Errorf("re-encoding differs from CCXT's:\n%s", diff)
				}
			})
		}
	}
}

// compareOptions relaxes jsonDiff.
type compareOptions struct {
	ignore      []string // keys (or dotted paths) of want to skip
	nullIsFalse bool     // a null in want matches false
}

// jsonDiff compares two JSON texts by meaning and describes the differences.
func jsonDiff(t *testing.T, want, got []byte, opts compareOptions) string {
	t.Helper()
	var w, g any
	for _, p := range []struct {
		data []byte
		dst  *any
	}{{want, &w}, {got, &g}} {
		d := json.NewDecoder(bytes.NewReader(p.data))
		d.UseNumber()
		if err := d.Decode(p.dst); err != nil {
			t.Fatalf("bad JSON %s: %v", p.data, err)
		}
	}
	for _, path := range opts.ignore {
		obj, _ := w.(map[string]any)
		keys := strings.Split(path, ".")
		for _, k := range keys[:len(keys)-1] {
			obj, _ = obj[k].(map[string]any)
		}
		delete(obj, keys[len(keys)-1])
	}
	var diffs []string
	compareJSON("$", w, g, opts, &diffs)
	return strings.Join(diffs, "\n")
}

func compareJSON(path string, want, got any, opts compareOptions, diffs *[]string) {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			*diffs = append(*diffs, fmt.Sprintf("%s: want object, got %v", path, got))
			return
		}
		keys := map[string]bool{}
		for k := range w {
			keys[k] = true
		}
		for k := range g {
			keys[k] = true
		}
		for k := range keys {
			compareJSON(path+"."+k, w[k], g[k], opts, diffs)
		}
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			*diffs = append(*diffs, fmt.Sprintf("%s: want %v, got %v", path, w, got))
			return
		}
		for i := range w {
			compareJSON(fmt.Sprintf("%s[%d]", path, i), w[i], g[i], opts, diffs)
		}
	case json.Number:
		g, ok := got.(json.Number)
		if !ok || !decimal.RequireFromString(w.String()).Equal(decimal.RequireFromString(g.String())) {
			*diffs = append(*diffs, fmt.Sprintf("%s: want %v, got %v", path, w, got))
		}
	default:
		if want == nil && got == false && opts.nullIsFalse {
			return
		}
		if !reflect.DeepEqual(want, got) {
			*diffs = append(*diffs, fmt.Sprintf("%s: want %v, got %v", path, want, got))
		}
	}
}

func TestAppendDecimal(t *testing.T) {
	for _, c := range []struct {
		in   decimal.Decimal
		want string
	}{
		{dec("0"), "0"},
		{dec("0.000"), "0"},
		{dec("-0.0"), "0"},
		{dec("1.50"), "1.5"},
		{dec("73369.84000000"), "73369.84"},
		{dec("-306.15"), "-306.15"},
		{dec("3.36e-07"), "0.000000336"},
		{dec("1e-32"), "0.00000000000000000000000000000001"},
		{dec("1e-34"), "1e-34"},
		{dec("-1.5e-40"), "-1.5e-40"},
		{decimal.New(15, 2), "1500"},
		{decimal.New(1, 32), "100000000000000000000000000000000"},
		{decimal.New(1, 33), "1e33"},
		{decimal.New(120, 40), "120e40"},
		{dec("123456789012345678901234567890.123456789"), "123456789012345678901234567890.123456789"},
		{dec("-98765432109876543210"), "-98765432109876543210"},
		{dec("9223372036854775807"), "9223372036854775807"},
		{dec("-9223372036854775808"), "-9223372036854775808"},
	} {
		got := string(appendDecimal(nil, c.in))
		if got != c.want {
			t.Errorf("appendDecimal(%s) = %s, want %s", c.in.String(), got, c.want)
			continue
		}
		back, err := decimal.NewFromString(got)
		if err != nil || !back.Equal(c.in) {
			t.Errorf("%s does not read back as %s: %v", got, c.in.String(), err)
		}
	}
}

// The encoding must not depend on shopspring's package-level settings.
func TestAppendDecimalIgnoresPackageSettings(t *testing.T) {
	old := decimal.TrimTrailingZeros
	decimal.TrimTrailingZeros = false
	defer func() { decimal.TrimTrailingZeros = old }()
	if got := string(appendDecimal(nil, dec("1.500"))); got != "1.5" {
		t.Errorf("got %s with TrimTrailingZeros off, want 1.5", got)
	}
}

func TestAppendQuoted(t *testing.T) {
	for in, want := range map[string]string{
		"plain":             `"plain"`,
		"a\"b\\c":           `"a\"b\\c"`,
		"line\nfeed\r\ttab": `"line\nfeed\r\ttab"`,
		"\x00\x1f":          `"\u0000\u001f"`,
		"bad\xffutf8":       `"bad\ufffdutf8"`,
		"sep\u2028\u2029":   `"sep\u2028\u2029"`,
		"ünïcode €":         `"ünïcode €"`,
	} {
		got := string(appendQuoted(nil, in))
		if got != want {
			t.Errorf("appendQuoted(%q) = %s, want %s", in, got, want)
		}
		var back string
		if err := json.Unmarshal([]byte(got), &back); err != nil {
			t.Errorf("%s is not a JSON string: %v", got, err)
		}
	}
}

func TestJSONDecodeAcceptsCCXTVariants(t *testing.T) {
	var tk Ticker
	in := `{"symbol":"BTC/USDT","timestamp":null,"datetime":"2024-03-13T11:10:45.391Z","last":"73369.84","bid":3.36e-07}`
	if err := json.Unmarshal([]byte(in), &tk); err != nil {
		t.Fatal(err)
	}
	if !tk.Timestamp.Equal(ms(1710328245391)) {
		t.Errorf("timestamp from datetime = %v", tk.Timestamp)
	}
	if text(tk.Last) != "73369.84" || text(tk.Bid) != "0.000000336" {
		t.Errorf("last, bid = %s, %s", text(tk.Last), text(tk.Bid))
	}
	var o Order
	if err := json.Unmarshal([]byte(`{"stopPrice":100,"trades":null,"fee":null}`), &o); err != nil {
		t.Fatal(err)
	}
	if text(o.TriggerPrice) != "100" {
		t.Errorf("triggerPrice from stopPrice = %s", text(o.TriggerPrice))
	}
	var lv Level
	if err := json.Unmarshal([]byte(`[43466.3, 13807, 0]`), &lv); err != nil || lv.Amount.String() != "13807" {
		t.Errorf("okx's [price, amount, count] = %+v, %v", lv, err)
	}
	keep := Ticker{Symbol: "kept"}
	if err := json.Unmarshal([]byte(`null`), &keep); err != nil || keep.Symbol != "kept" {
		t.Errorf("null changed the value: %+v, %v", keep, err)
	}
}

func TestJSONDecodeErrorsAreTyped(t *testing.T) {
	for _, c := range []struct {
		name string
		v    codec
		in   string
	}{
		{"ticker not an object", &Ticker{}, `[1,2]`},
		{"number as bool", &Ticker{}, `{"high":true}`},
		{"number as object", &Trade{}, `{"price":{"a":1}}`},
		{"string not a number", &Trade{}, `{"amount":"abc"}`},
		{"empty string", &Trade{}, `{"amount":""}`},
		{"huge exponent", &Trade{}, `{"amount":1e999999}`},
		{"fractional timestamp", &Trade{}, `{"timestamp":1.5}`},
		{"bad datetime", &Trade{}, `{"datetime":"yesterday"}`},
		{"symbol not a string", &Ticker{}, `{"symbol":5}`},
		{"bad nested fee", &Order{}, `{"fee":{"cost":"x"}}`},
		{"bad nested trade", &Order{}, `{"trades":[{"price":"x"}]}`},
		{"bool not a bool", &Order{}, `{"postOnly":"yes"}`},
		{"short level", &OrderBook{}, `{"bids":[[1]]}`},
		{"null level price", &OrderBook{}, `{"asks":[[null,1]]}`},
		{"short candle", &OHLCV{}, `[1,2,3]`},
		{"null candle close", &OHLCV{}, `[1,2,3,4,null,6]`},
		{"candle not an array", &OHLCV{}, `{"open":1}`},
		{"balance not an object", &Balances{}, `{"BTC":5}`},
		{"nonce not an integer", &OrderBook{}, `{"nonce":"x"}`},
		{"syntax error", &Position{}, `{"symbol":`},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.v.UnmarshalJSON([]byte(c.in))
			if !errors.Is(err, errors.BadResponse) {
				t.Errorf("UnmarshalJSON(%s) = %v, want a BadResponse error", c.in, err)
			}
		})
	}
}

func TestJSONEncodeErrors(t *testing.T) {
	_, err := Ticker{Info: make(chan int)}.MarshalJSON()
	if !errors.Is(err, errors.BadResponse) {
		t.Errorf("unencodable info: %v, want a BadResponse error", err)
	}
	_, err = Balances{Currencies: map[string]Balance{"free": {}}}.MarshalJSON()
	if !errors.Is(err, errors.BadResponse) {
		t.Errorf("reserved currency code: %v, want a BadResponse error", err)
	}
}

// The fixture comparison above must be able to fail.
func TestJSONDiffDetectsDifferences(t *testing.T) {
	for _, c := range []struct {
		want, got string
		same      bool
	}{
		{`{"a":1.5,"b":null}`, `{"a":1.50}`, true},
		{`{"a":3.36e-07}`, `{"a":0.000000336}`, true},
		{`{"a":1}`, `{"a":2}`, false},
		{`{"a":1}`, `{}`, false},
		{`{"a":"1"}`, `{"a":1}`, false},
		{`{"a":[1,2]}`, `{"a":[1]}`, false},
		{`{"a":null}`, `{"a":false}`, false},
		{`{"a":{"b":true}}`, `{"a":{"b":false}}`, false},
	} {
		diff := jsonDiff(t, []byte(c.want), []byte(c.got), compareOptions{})
		if (diff == "") != c.same {
			t.Errorf("jsonDiff(%s, %s) = %q, want same=%v", c.want, c.got, diff, c.same)
		}
	}
}
