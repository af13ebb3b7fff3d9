package markets

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/unified"
)

// binanceLike returns markets where one native id names a spot and a swap
// market, as on binance and bybit.
func binanceLike() []unified.Market {
	return []unified.Market{
		{ID: "BTCUSDT", Symbol: "BTC/USDT", Base: "BTC", Quote: "USDT", BaseID: "BTC", QuoteID: "USDT", Type: unified.Spot, Spot: true, Margin: true},
		{ID: "ETHBTC", Symbol: "ETH/BTC", Base: "ETH", Quote: "BTC", BaseID: "ETH", QuoteID: "BTC", Type: unified.Spot, Spot: true},
		{ID: "BTCUSDT", Symbol: "BTC/USDT:USDT", Base: "BTC", Quote: "USDT", Settle: "USDT", BaseID: "BTC", QuoteID: "USDT", SettleID: "USDT",
			Type: unified.Swap, Swap: true, Contract: true, Linear: true},
		{ID: "BTCUSD_PERP", Symbol: "BTC/USD:BTC", Base: "BTC", Quote: "USD", Settle: "BTC", BaseID: "BTC", QuoteID: "USD", SettleID: "BTC",
			Type: unified.Swap, Swap: true, Contract: true, Inverse: true},
	}
}

func mustSnapshot(t testing.TB, ms []unified.Market, cs []unified.Currency) *Snapshot {
	t.Helper()
	s, err := NewSnapshot("binance", ms, cs)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func wantErr(t *testing.T, err error, kind *errors.Kind, contains string) {
	t.Helper()
	var e *errors.Error
	if !errors.As(err, &e) || e.Kind != kind || !strings.Contains(e.Message, contains) {
		t.Errorf("error = %v, want %s containing %q", err, kind.Name(), contains)
	}
}

func TestSnapshotMarket(t *testing.T) {
	s := mustSnapshot(t, binanceLike(), nil)
	m, err := s.Market("BTC/USDT:USDT")
	if err != nil || m.Type != unified.Swap || m.ID != "BTCUSDT" {
		t.Fatalf("Market(BTC/USDT:USDT) = %+v, %v", m, err)
	}
	_, err = s.Market("DOGE/XYZ")
	wantErr(t, err, errors.BadSymbol, `unknown symbol "DOGE/XYZ"`)
	if e := err.(*errors.Error); e.Exchange != "binance" {
		t.Errorf("error exchange = %q", e.Exchange)
	}
	if s.Exchange() != "binance" {
		t.Errorf("Exchange() = %q", s.Exchange())
	}
}

func TestSnapshotMarketByID(t *testing.T) {
	s := mustSnapshot(t, binanceLike(), nil)
	cases := []struct {
		id     string
		typ    unified.MarketType
		symbol string
	}{
		{"BTCUSDT", unified.Spot, "BTC/USDT"},
		{"BTCUSDT", unified.Swap, "BTC/USDT:USDT"},
		{"BTCUSDT", unified.Margin, "BTC/USDT"}, // the spot market allows margin
		{"ETHBTC", "", "ETH/BTC"},
		{"ETHBTC", unified.Spot, "ETH/BTC"},
		{"BTCUSD_PERP", "", "BTC/USD:BTC"},
	}
	for _, c := range cases {
		m, err := s.MarketByID(c.id, c.typ)
		if err != nil || m.Symbol != c.symbol {
			t.Errorf("MarketByID(%q, %q) = %v, %v; want %s", c.id, c.typ, m, err, c.symbol)
		}
	}
	_, err := s.MarketByID("BTCUSDT", "")
	wantErr(t, err, errors.ArgumentsRequired, `market id "BTCUSDT" names spot BTC/USDT, swap BTC/USDT:USDT: a market type is needed`)
	_, err = s.MarketByID("BTCUSDT", unified.Future)
	wantErr(t, err, errors.BadSymbol, `no future market has the id "BTCUSDT" (it names spot BTC/USDT, swap BTC/USDT:USDT)`)
	_, err = s.MarketByID("ETHBTC", unified.Swap) // a single candidate of another type is not returned
	wantErr(t, err, errors.BadSymbol, `no swap market has the id "ETHBTC"`)
	_, err = s.MarketByID("NOPE", unified.Spot)
	wantErr(t, err, errors.BadSymbol, `unknown market id "NOPE"`)

	if got := s.MarketsByID("BTCUSDT"); len(got) != 2 || got[0].Symbol != "BTC/USDT" || got[1].Symbol != "BTC/USDT:USDT" {
		t.Errorf("MarketsByID = %v", got)
	}
	if got := s.MarketsByID("NOPE"); got != nil {
		t.Errorf("MarketsByID(unknown) = %v", got)
	}
}

func TestSnapshotCurrencies(t *testing.T) {
	cs := []unified.Currency{{ID: "XBT", Code: "BTC", Name: "Bitcoin"}, {ID: "USDT", Code: "USDT"}, {Code: "USD"}}
	s := mustSnapshot(t, binanceLike(), cs)
	if c, err := s.Currency("BTC"); err != nil || c.ID != "XBT" {
		t.Errorf("Currency(BTC) = %v, %v", c, err)
	}
	if c, err := s.CurrencyByID("XBT"); err != nil || c.Code != "BTC" {
		t.Errorf("CurrencyByID(XBT) = %v, %v", c, err)
	}
	if c, err := s.Currency("USD"); err != nil || c.ID != "" {
		t.Errorf("Currency(USD) = %v, %v", c, err)
	}
	_, err := s.Currency("DOGE")
	wantErr(t, err, errors.BadRequest, `unknown currency code "DOGE"`)
	_, err = s.CurrencyByID("BTC")
	wantErr(t, err, errors.BadRequest, `unknown currency id "BTC"`)
	if n := len(s.Currencies()); n != 3 {
		t.Errorf("Currencies() has %d entries", n)
	}
}

func TestSnapshotDerivesCurrencies(t *testing.T) {
	s := mustSnapshot(t, binanceLike(), nil)
	var codes []string
	for _, c := range s.Currencies() {
		codes = append(codes, c.Code+"="+c.ID)
	}
	if diff := cmp.Diff([]string{"BTC=BTC", "USDT=USDT", "ETH=ETH", "USD=USD"}, codes); diff != "" {
		t.Errorf("derived currencies (-want +got):\n%s", diff)
	}
	if c, err := s.CurrencyByID("USDT"); err != nil || c.Code != "USDT" {
		t.Errorf("CurrencyByID(USDT) = %v, %v", c, err)
	}
}

func TestSnapshotListings(t *testing.T) {
	s := mustSnapshot(t, binanceLike(), nil)
	if diff := cmp.Diff([]string{"BTC/USD:BTC", "BTC/USDT", "BTC/USDT:USDT", "ETH/BTC"}, s.Symbols()); diff != "" {
		t.Errorf("Symbols (-want +got):\n%s", diff)
	}
	ms := s.Markets()
	if len(ms) != 4 || ms[0].Symbol != "BTC/USDT" || ms[3].Symbol != "BTC/USD:BTC" {
		t.Errorf("Markets() = %v", ms)
	}
	if m, _ := s.Market("ETH/BTC"); m != ms[1] {
		t.Error("Markets() and Market() do not share the market")
	}
}

func TestSnapshotCopiesInput(t *testing.T) {
	in := binanceLike()
	s := mustSnapshot(t, in, nil)
	in[0].Symbol = "CHANGED"
	if m, err := s.Market("BTC/USDT"); err != nil || m.Symbol != "BTC/USDT" {
		t.Errorf("snapshot changed with its input: %v, %v", m, err)
	}
}

func TestNewSnapshotRejects(t *testing.T) {
	dupSymbol := binanceLike()
	dupSymbol[1].Symbol = "BTC/USDT"
	noID := binanceLike()
	noID[2].ID = ""
	noSymbol := binanceLike()
	noSymbol[3].Symbol = ""
	cases := []struct {
		name string
		ms   []unified.Market
		cs   []unified.Currency
		msg  string
	}{
		{"duplicate symbol", dupSymbol, nil, `markets "BTCUSDT" and "ETHBTC" both have the symbol "BTC/USDT"`},
		{"no id", noID, nil, `market #2 (id "", symbol "BTC/USDT:USDT") lacks an id or a symbol`},
		{"no symbol", noSymbol, nil, `market #3 (id "BTCUSD_PERP", symbol "") lacks an id or a symbol`},
		{"duplicate code", nil, []unified.Currency{{ID: "BCC", Code: "BCH"}, {ID: "BCHABC", Code: "BCH"}}, `currencies "BCC" and "BCHABC" both have the code "BCH"`},
		{"duplicate id", nil, []unified.Currency{{ID: "X", Code: "A"}, {ID: "X", Code: "B"}}, `currencies "A" and "B" both have the id "X"`},
		{"no code", nil, []unified.Currency{{ID: "X"}}, `currency #0 (id "X") has no code`},
	}
	for _, c := range cases {
		s, err := NewSnapshot("binance", c.ms, c.cs)
		if s != nil {
			t.Errorf("%s: got a snapshot", c.name)
		}
		wantErr(t, err, errors.BadResponse, c.msg)
	}
}

func TestNilSnapshot(t *testing.T) {
	var s *Snapshot
	_, err := s.Market("BTC/USDT")
	wantErr(t, err, errors.ExchangeError, "markets not loaded")
	_, err = s.MarketByID("BTCUSDT", unified.Spot)
	wantErr(t, err, errors.ExchangeError, "markets not loaded")
	_, err = s.Currency("BTC")
	wantErr(t, err, errors.ExchangeError, "markets not loaded")
	_, err = s.CurrencyByID("BTC")
	wantErr(t, err, errors.ExchangeError, "markets not loaded")
	if s.MarketsByID("X") != nil || s.Markets() != nil || s.Currencies() != nil || s.Symbols() != nil || s.Exchange() != "" {
		t.Error("nil snapshot lists something")
	}
}
