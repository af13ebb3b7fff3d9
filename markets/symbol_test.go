package markets

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/unified"
)

// symbolCmp compares Symbols, decimals by value.
var symbolCmp = cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) })

func TestParseSymbol(t *testing.T) {
	cases := []struct {
		in   string
		want Symbol
		typ  unified.MarketType
	}{
		{"BTC/USDT", Symbol{Base: "BTC", Quote: "USDT"}, unified.Spot},
		{"BTC/USDT:USDT", Symbol{Base: "BTC", Quote: "USDT", Settle: "USDT"}, unified.Swap},
		{"BTC/USD:BTC", Symbol{Base: "BTC", Quote: "USD", Settle: "BTC"}, unified.Swap},
		{"BTC/USDT:USDT-250328", Symbol{Base: "BTC", Quote: "USDT", Settle: "USDT", Expiry: "250328"}, unified.Future},
		{"BTC/USD:BTC-250328-60000-C", Symbol{Base: "BTC", Quote: "USD", Settle: "BTC", Expiry: "250328",
			Strike: decimal.NewFromInt(60000), OptionType: unified.Call}, unified.Option},
		{"DOGE/USDT:USDT-240229-0.5-P", Symbol{Base: "DOGE", Quote: "USDT", Settle: "USDT", Expiry: "240229",
			Strike: decimal.RequireFromString("0.5"), OptionType: unified.Put}, unified.Option},
		{"1000PEPE/USDT:USDT", Symbol{Base: "1000PEPE", Quote: "USDT", Settle: "USDT"}, unified.Swap},
		{"XYZ-TSLA/USDC:USDC", Symbol{Base: "XYZ-TSLA", Quote: "USDC", Settle: "USDC"}, unified.Swap},
		{"USDT.E/USDC", Symbol{Base: "USDT.E", Quote: "USDC"}, unified.Spot},
	}
	for _, c := range cases {
		got, err := ParseSymbol(c.in)
		if err != nil {
			t.Errorf("ParseSymbol(%q): %v", c.in, err)
			continue
		}
		if diff := cmp.Diff(c.want, got, symbolCmp); diff != "" {
			t.Errorf("ParseSymbol(%q) mismatch (-want +got):\n%s", c.in, diff)
		}
		if s := got.String(); s != c.in {
			t.Errorf("ParseSymbol(%q).String() = %q", c.in, s)
		}
		if got.Type() != c.typ {
			t.Errorf("ParseSymbol(%q).Type() = %s, want %s", c.in, got.Type(), c.typ)
		}
		if err := got.Validate(); err != nil {
			t.Errorf("ParseSymbol(%q).Validate() = %v", c.in, err)
		}
	}
}

func TestParseSymbolRejects(t *testing.T) {
	cases := map[string]string{
		"":                             "no '/'",
		"BTCUSDT":                      "no '/'",
		"/USDT":                        "base is empty",
		"BTC/":                         "quote is empty",
		"BTC/USDT:":                    "settle is empty",
		"BTC/USDT/ETH":                 "quote contains '/'",
		"BTC/USD-T":                    "quote contains '-'",
		"BTC/US DT":                    "quote contains a space",
		"BTC/USDT\n":                   "quote contains a space or control character",
		"B\u00a0TC/USDT":               "base contains a space",
		"BTC/USDT\xff":                 "not valid UTF-8",
		"BTC/USDT:USDT:X":              "settle contains ':'",
		"BTC/USDT:US/DT":               "settle contains '/'",
		"BTC/USDT:USDT-":               "expiry must be YYMMDD",
		"BTC/USDT:USDT-25032":          "expiry must be YYMMDD",
		"BTC/USDT:USDT-2503288":        "expiry must be YYMMDD",
		"BTC/USDT:USDT-25O328":         "expiry must be YYMMDD",
		"BTC/USDT:USDT-251328":         "not a calendar date",
		"BTC/USDT:USDT-250230":         "not a calendar date",
		"BTC/USDT:USDT-250000":         "not a calendar date",
		"BTC/USDT:USDT-250328-60000":   "option needs strike",
		"BTC/USD:BTC-250328-60000-X":   "option type must be C or P",
		"BTC/USD:BTC-250328-60000-c":   "option type must be C or P",
		"BTC/USD:BTC-250328-60000-C-":  "option type must be C or P",
		"BTC/USD:BTC-250328--C":        "strike must be",
		"BTC/USD:BTC-250328-0-C":       "strike must be",
		"BTC/USD:BTC-250328-060000-C":  "strike must be",
		"BTC/USD:BTC-250328-0.50-C":    "strike must be",
		"BTC/USD:BTC-250328-.5-C":      "strike must be",
		"BTC/USD:BTC-250328-5.-C":      "strike must be",
		"BTC/USD:BTC-250328-6e4-C":     "strike must be",
		"BTC/USD:BTC-250328-+5-C":      "strike must be",
		"BTC/USD:BTC-250328-1.2.3-C":   "strike must be",
		"BTC:X/USDT":                   "base contains ':'",
		"BTC/USD:BTC-250328-60000-C-P": "option type must be C or P",
	}
	for in, want := range cases {
		_, err := ParseSymbol(in)
		var e *errors.Error
		if !errors.As(err, &e) || e.Kind != errors.BadSymbol {
			t.Errorf("ParseSymbol(%q) error = %v, want BadSymbol", in, err)
			continue
		}
		if !strings.Contains(e.Message, want) {
			t.Errorf("ParseSymbol(%q) message %q lacks %q", in, e.Message, want)
		}
		if !strings.Contains(e.Message, "malformed symbol ") {
			t.Errorf("ParseSymbol(%q) message %q does not quote the symbol", in, e.Message)
		}
	}
	// The leap day exists in 2024 but not in 2025.
	if _, err := ParseSymbol("BTC/USDT:USDT-240229"); err != nil {
		t.Errorf("leap day rejected: %v", err)
	}
}

func TestSymbolErrorQuotesAndCuts(t *testing.T) {
	long := strings.Repeat("A", 500) + "\x00"
	_, err := ParseSymbol(long)
	if err == nil || len(err.Error()) > 200 {
		t.Fatalf("error for a 500-byte symbol: %v", err)
	}
	_, err = ParseSymbol("BTC/US\x01DT")
	if err == nil || !strings.Contains(err.Error(), `"BTC/US\x01DT"`) {
		t.Errorf("control character not escaped: %v", err)
	}
}

func TestSymbolValidate(t *testing.T) {
	ok := []Symbol{
		{Base: "BTC", Quote: "USDT"},
		{Base: "BTC", Quote: "USD", Settle: "BTC", Expiry: "251226", Strike: decimal.RequireFromString("0.25"), OptionType: unified.Put},
	}
	for _, s := range ok {
		if err := s.Validate(); err != nil {
			t.Errorf("%v: %v", s, err)
		}
	}
	bad := map[string]Symbol{
		"settle with dash":       {Base: "BTC", Quote: "USDT", Settle: "USDT-250328"},
		"expiry without settle":  {Base: "BTC", Quote: "USDT", Expiry: "250328"},
		"option without expiry":  {Base: "BTC", Quote: "USD", Settle: "BTC", Strike: decimal.NewFromInt(1), OptionType: unified.Call},
		"option without settle":  {Base: "BTC", Quote: "USD", Expiry: "250328", Strike: decimal.NewFromInt(1), OptionType: unified.Call},
		"strike without option":  {Base: "BTC", Quote: "USD", Settle: "BTC", Expiry: "250328", Strike: decimal.NewFromInt(1)},
		"bad option type":        {Base: "BTC", Quote: "USD", Settle: "BTC", Expiry: "250328", Strike: decimal.NewFromInt(1), OptionType: "straddle"},
		"negative strike":        {Base: "BTC", Quote: "USD", Settle: "BTC", Expiry: "250328", Strike: decimal.NewFromInt(-1), OptionType: unified.Call},
		"zero strike for option": {Base: "BTC", Quote: "USD", Settle: "BTC", Expiry: "250328", OptionType: unified.Call},
		"empty":                  {},
		"slash in base":          {Base: "B/TC", Quote: "USDT"},
		"bad date":               {Base: "BTC", Quote: "USDT", Settle: "USDT", Expiry: "250231"},
	}
	for name, s := range bad {
		if err := s.Validate(); !errors.Is(err, errors.BadSymbol) {
			t.Errorf("%s: Validate() = %v, want BadSymbol", name, err)
		}
	}
}

func TestSymbolStringPadsStrikeCanonically(t *testing.T) {
	s := Symbol{Base: "BTC", Quote: "USD", Settle: "BTC", Expiry: "250328", Strike: decimal.RequireFromString("60000.000"), OptionType: unified.Call}
	if got := s.String(); got != "BTC/USD:BTC-250328-60000-C" {
		t.Errorf("String() = %q", got)
	}
}

func TestExpiry(t *testing.T) {
	s, _ := ParseSymbol("BTC/USDT:USDT-250328")
	got, err := s.ExpiryTime()
	if want := time.Date(2025, 3, 28, 0, 0, 0, 0, time.UTC); err != nil || !got.Equal(want) {
		t.Errorf("ExpiryTime() = %v, %v; want %v", got, err, want)
	}
	if got, err := (Symbol{Base: "BTC", Quote: "USDT"}).ExpiryTime(); err != nil || !got.IsZero() {
		t.Errorf("spot ExpiryTime() = %v, %v", got, err)
	}
	if _, err := (Symbol{Base: "BTC", Quote: "USDT", Settle: "USDT", Expiry: "25x328"}).ExpiryTime(); !errors.Is(err, errors.BadSymbol) {
		t.Errorf("bad expiry: %v", err)
	}
	tokyo := time.FixedZone("JST", 9*3600)
	code, err := ExpiryCode(time.Date(2025, 3, 29, 7, 0, 0, 0, tokyo)) // 2025-03-28 22:00 UTC
	if err != nil || code != "250328" {
		t.Errorf("ExpiryCode = %q, %v; want 250328 (UTC date)", code, err)
	}
	if _, err := ExpiryCode(time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)); !errors.Is(err, errors.BadSymbol) {
		t.Errorf("ExpiryCode(2100) = %v", err)
	}
}
