package markets

import "testing"

func TestCurrencyCodesDefaults(t *testing.T) {
	var c CurrencyCodes // zero value: CCXT's defaults
	for id, want := range map[string]string{
		"XBT": "BTC", "xbt": "BTC", "BCC": "BCH", "BCHABC": "BCH", "BCHSV": "BSV", "DRK": "DASH",
		"BTC": "BTC", "usdt": "USDT", "1000pepe": "1000PEPE",
	} {
		if got := c.Common(id); got != want {
			t.Errorf("Common(%q) = %q, want %q", id, got, want)
		}
	}
	if got := c.Native("BTC"); got != "BTC" {
		t.Errorf("Native(BTC) with defaults only = %q; the default table must not be reversed", got)
	}
}

func TestCurrencyCodesOverrides(t *testing.T) {
	// bitfinex-like overrides, plus switching a default off.
	c := NewCurrencyCodes(map[string]string{
		"UST":  "USDT",
		"dsh":  "DASH",
		"BCC":  "BCC", // this venue's BCC is not Bitcoin Cash
		"ALT1": "ALT",
		"ALT2": "ALT", // ambiguous reverse
	})
	for id, want := range map[string]string{
		"UST": "USDT", "ust": "USDT", "DSH": "DASH", "BCC": "BCC", "XBT": "BTC", "ETH": "ETH",
	} {
		if got := c.Common(id); got != want {
			t.Errorf("Common(%q) = %q, want %q", id, got, want)
		}
	}
	for code, want := range map[string]string{
		"USDT": "UST", "DASH": "DSH", "BCC": "BCC", "BTC": "BTC", "ALT": "ALT", "ETH": "ETH",
	} {
		if got := c.Native(code); got != want {
			t.Errorf("Native(%q) = %q, want %q", code, got, want)
		}
	}
}

func TestUpperDoesNotAllocateForUpperCase(t *testing.T) {
	var c CurrencyCodes
	if n := testing.AllocsPerRun(100, func() { _ = c.Common("USDT") }); n != 0 {
		t.Errorf("Common(upper-case id) allocates %v times", n)
	}
	if got := upper("aBc-é"); got != "ABC-é" {
		t.Errorf("upper = %q", got)
	}
}
