package markets

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/unified"
)

// fixtureDir holds CCXT's static market fixtures (ts/src/test/static/markets),
// copied unmodified into the shared conformance folder.
const fixtureDir = "../../shared/conformance/ccxt/markets"

// loadFixture reads one CCXT market fixture into unified markets. Only the
// fields this package uses are read; the fixture is CCXT's own output, so its
// modes are what CCXT used when it was recorded.
func loadFixture(t *testing.T, id string, mode unified.PrecisionMode) []unified.Market {
	t.Helper()
	path := filepath.Join(fixtureDir, id+".json")
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("CCXT fixture not available: %v", err)
	}
	defer f.Close()
	dec := json.NewDecoder(f)
	dec.UseNumber()
	var raw map[string]map[string]any
	if err := dec.Decode(&raw); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	num := func(v any) decimal.NullDecimal {
		switch x := v.(type) {
		case json.Number:
			return decimal.NewNullDecimal(decimal.RequireFromString(x.String()))
		case string:
			return decimal.NewNullDecimal(decimal.RequireFromString(x))
		}
		return decimal.NullDecimal{}
	}
	str := func(v any) string { s, _ := v.(string); return s }
	flag := func(v any) bool { b, _ := v.(bool); return b }
	minmax := func(v any) unified.MinMax {
		m, _ := v.(map[string]any)
		return unified.MinMax{Min: num(m["min"]), Max: num(m["max"])}
	}
	var out []unified.Market
	for _, m := range raw {
		prec, _ := m["precision"].(map[string]any)
		lim, _ := m["limits"].(map[string]any)
		mk := unified.Market{
			ID: str(m["id"]), Symbol: str(m["symbol"]),
			Base: str(m["base"]), Quote: str(m["quote"]), Settle: str(m["settle"]),
			BaseID: str(m["baseId"]), QuoteID: str(m["quoteId"]), SettleID: str(m["settleId"]),
			Type: unified.MarketType(str(m["type"])),
			Spot: flag(m["spot"]), Margin: flag(m["margin"]), Swap: flag(m["swap"]), Future: flag(m["future"]), Option: flag(m["option"]),
			Contract: flag(m["contract"]), Linear: flag(m["linear"]), Inverse: flag(m["inverse"]),
			ContractSize:  num(m["contractSize"]),
			Strike:        num(m["strike"]),
			OptionType:    unified.OptionType(str(m["optionType"])),
			PrecisionMode: mode,
			Precision:     unified.Precision{Amount: num(prec["amount"]), Price: num(prec["price"])},
			Limits: unified.Limits{
				Amount: minmax(lim["amount"]), Price: minmax(lim["price"]), Cost: minmax(lim["cost"]), Market: minmax(lim["market"]),
			},
		}
		if ms, ok := m["expiry"].(json.Number); ok {
			n, _ := ms.Int64()
			mk.Expiry = time.UnixMilli(n).UTC()
		}
		out = append(out, mk)
	}
	return out
}

func TestCCXTFixtures(t *testing.T) {
	venues := []struct {
		id   string
		mode unified.PrecisionMode
	}{
		{"binance", unified.DecimalPlaces}, // recorded before CCXT's binance moved to TICK_SIZE
		{"okx", unified.TickSize},
		{"bybit", unified.TickSize},
	}
	for _, v := range venues {
		t.Run(v.id, func(t *testing.T) {
			ms := loadFixture(t, v.id, v.mode)
			snap, err := NewSnapshot(v.id, ms, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range snap.Markets() {
				sym, err := ParseSymbol(m.Symbol)
				if err != nil {
					t.Errorf("ParseSymbol(%q): %v", m.Symbol, err)
					continue
				}
				if sym.String() != m.Symbol {
					t.Errorf("round trip %q -> %q", m.Symbol, sym.String())
				}
				if sym.Base != m.Base || sym.Quote != m.Quote || sym.Settle != m.Settle || sym.Type() != m.Type {
					t.Errorf("%q parsed as %+v (%s), market says %s/%s:%s %s", m.Symbol, sym, sym.Type(), m.Base, m.Quote, m.Settle, m.Type)
				}
				if m.Strike.Valid && !sym.Strike.Equal(m.Strike.Decimal) {
					t.Errorf("%q strike %s, market says %s", m.Symbol, sym.Strike, m.Strike.Decimal)
				}
				if !m.Expiry.IsZero() {
					if code, _ := ExpiryCode(m.Expiry); code != sym.Expiry {
						t.Errorf("%q expiry %s, market expires %s", m.Symbol, sym.Expiry, m.Expiry)
					}
				}
				got, err := snap.MarketByID(m.ID, m.Type)
				if err != nil || got != m {
					t.Errorf("MarketByID(%q, %s) = %v, %v; want %s", m.ID, m.Type, got, err, m.Symbol)
				}
			}
		})
	}
}

func TestCCXTFixtureSharedIDs(t *testing.T) {
	snap, err := NewSnapshot("binance", loadFixture(t, "binance", unified.DecimalPlaces), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := snap.MarketByID("BTCUSDT", ""); !errors.Is(err, errors.ArgumentsRequired) {
		t.Errorf("ambiguous binance id: %v", err)
	}
	if m, err := snap.MarketByID("BTCUSDT", unified.Swap); err != nil || m.Symbol != "BTC/USDT:USDT" {
		t.Errorf("swap BTCUSDT = %v, %v", m, err)
	}
	if m, err := snap.MarketByID("BTCUSD_PERP", ""); err != nil || m.Symbol != "BTC/USD:BTC" {
		t.Errorf("BTCUSD_PERP = %v, %v", m, err)
	}
}

func TestCCXTFixtureOrders(t *testing.T) {
	binance, err := NewSnapshot("binance", loadFixture(t, "binance", unified.DecimalPlaces), nil)
	if err != nil {
		t.Fatal(err)
	}
	spot, _ := binance.Market("BTC/USDT") // amount 5 decimals, price 2, cost min 5
	_, err = ValidateOrder(spot, Order{Amount: dec("0.000019"), Price: dec("65000.123")})
	wantErr(t, err, errors.InvalidOrder, "cost 0.6500012 is below the minimum 5 for BTC/USDT") // 0.00001 × 65000.12
	o, err := ValidateOrder(spot, Order{Amount: dec("0.0012345"), Price: dec("65000.125")})
	if err != nil || o.Amount.String() != "0.00123" || o.Price.String() != "65000.13" {
		t.Errorf("binance spot order = %v @ %v, %v", o.Amount, o.Price, err)
	}

	okx, err := NewSnapshot("okx", loadFixture(t, "okx", unified.TickSize), nil)
	if err != nil {
		t.Fatal(err)
	}
	swap, _ := okx.Market("BTC/USDT:USDT") // 0.01 contracts of 0.01 BTC, tick 0.1
	o, err = ValidateOrder(swap, Order{Amount: dec("0.019"), Price: dec("60000.05")})
	if err != nil || o.Amount.String() != "0.01" || o.Price.String() != "60000.1" {
		t.Errorf("okx swap order = %v @ %v, %v", o.Amount, o.Price, err)
	}
	if s, err := AmountToPrecision(swap, dec("0.005")); !errors.Is(err, errors.InvalidOrder) {
		t.Errorf("half a step of okx swap = %q, %v", s, err)
	}
}
