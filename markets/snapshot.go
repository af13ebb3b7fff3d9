package markets

import (
	"slices"
	"strconv"
	"strings"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/unified"
)

// Snapshot is one loaded set of markets and currencies with its lookup
// indexes. It is immutable once built, so any number of goroutines may read
// it without locking; a reload builds a new Snapshot rather than changing
// this one.
//
// The markets and currencies it returns are shared by every reader and must
// not be modified.
//
// A nil *Snapshot is valid and empty: its lookups return an error of kind
// errors.ExchangeError saying the markets are not loaded, so
// registry.Current().Market(symbol) needs no nil check.
type Snapshot struct {
	exchange   string
	markets    []unified.Market
	currencies []unified.Currency
	bySymbol   map[string]*unified.Market
	byID       map[string][]*unified.Market
	byCode     map[string]*unified.Currency
	byCurID    map[string]*unified.Currency
}

// NewSnapshot indexes markets and currencies for exchange (an adapter id such
// as "binance", used in error messages). The slices are copied shallowly: the
// Info payloads and pointer fields stay shared with the caller.
//
// Every market needs an ID and a Symbol, and symbols must be unique; several
// markets may share one native ID when their types differ (see MarketByID).
// Every currency needs a Code; codes and non-empty IDs must be unique. A
// violation gives an error of kind errors.BadResponse naming the offenders.
//
// When currencies is empty (the venue has no currency endpoint), currencies
// are derived from the markets' base, quote and settle codes and ids, as CCXT
// does; then the first id seen for a code wins.
func NewSnapshot(exchange string, markets []unified.Market, currencies []unified.Currency) (*Snapshot, error) {
	s := &Snapshot{
		exchange: exchange,
		markets:  slices.Clone(markets),
		bySymbol: make(map[string]*unified.Market, len(markets)),
		byID:     make(map[string][]*unified.Market, len(markets)),
	}
	for i := range s.markets {
		m := &s.markets[i]
		if m.ID == "" || m.Symbol == "" {
			return nil, s.errorf(errors.BadResponse, "market #"+strconv.Itoa(i)+" (id "+quote(m.ID)+", symbol "+quote(m.Symbol)+") lacks an id or a symbol")
		}
		if prev, ok := s.bySymbol[m.Symbol]; ok {
			return nil, s.errorf(errors.BadResponse, "markets "+quote(prev.ID)+" and "+quote(m.ID)+" both have the symbol "+quote(m.Symbol))
		}
		s.bySymbol[m.Symbol] = m
		s.byID[m.ID] = append(s.byID[m.ID], m)
	}
	if len(currencies) == 0 {
		s.currencies = deriveCurrencies(s.markets)
	} else {
		s.currencies = slices.Clone(currencies)
	}
	s.byCode = make(map[string]*unified.Currency, len(s.currencies))
	s.byCurID = make(map[string]*unified.Currency, len(s.currencies))
	for i := range s.currencies {
		c := &s.currencies[i]
		if c.Code == "" {
			return nil, s.errorf(errors.BadResponse, "currency #"+strconv.Itoa(i)+" (id "+quote(c.ID)+") has no code")
		}
		if prev, ok := s.byCode[c.Code]; ok {
			return nil, s.errorf(errors.BadResponse, "currencies "+quote(prev.ID)+" and "+quote(c.ID)+" both have the code "+quote(c.Code))
		}
		s.byCode[c.Code] = c
		if c.ID == "" {
			continue
		}
		if prev, ok := s.byCurID[c.ID]; ok {
			return nil, s.errorf(errors.BadResponse, "currencies "+quote(prev.Code)+" and "+quote(c.Code)+" both have the id "+quote(c.ID))
		}
		s.byCurID[c.ID] = c
	}
	return s, nil
}

// deriveCurrencies lists the currencies the markets name, in order of first
// appearance.
func deriveCurrencies(markets []unified.Market) []unified.Currency {
	var out []unified.Currency
	seen := make(map[string]bool)
	add := func(code, id string) {
		if code == "" || seen[code] {
			return
		}
		seen[code] = true
		out = append(out, unified.Currency{ID: id, Code: code})
	}
	for i := range markets {
		m := &markets[i]
		add(m.Base, m.BaseID)
		add(m.Quote, m.QuoteID)
		add(m.Settle, m.SettleID)
	}
	return out
}

// Exchange returns the exchange id the snapshot was built for.
func (s *Snapshot) Exchange() string {
	if s == nil {
		return ""
	}
	return s.exchange
}

// Market returns the market with the unified symbol, or an error of kind
// errors.BadSymbol naming the symbol when there is none.
func (s *Snapshot) Market(symbol string) (*unified.Market, error) {
	if s == nil {
		return nil, notLoaded()
	}
	if m, ok := s.bySymbol[symbol]; ok {
		return m, nil
	}
	return nil, s.errorf(errors.BadSymbol, "unknown symbol "+quote(symbol))
}

// MarketByID returns the market with the native id. Several markets can
// share an id (binance's "BTCUSDT" is spot and a USDT-M swap; bybit reuses
// ids across spot and linear); typ chooses among them:
//
//   - typ given: the first market (in load order) of that type, where
//     unified.Margin also matches spot markets that allow margin (CCXT's
//     market[type] flag test). None gives errors.BadSymbol, even when the id
//     has markets of other types: a linear endpoint's "BTCUSDT" must never
//     resolve to the spot market.
//   - typ empty: the market when the id has exactly one; when it has several,
//     an error of kind errors.ArgumentsRequired listing them (as CCXT's
//     safeMarket does): the adapter knows which endpoint it is parsing and
//     must say.
//
// An unknown id gives errors.BadSymbol.
func (s *Snapshot) MarketByID(id string, typ unified.MarketType) (*unified.Market, error) {
	if s == nil {
		return nil, notLoaded()
	}
	cands := s.byID[id]
	if len(cands) == 0 {
		return nil, s.errorf(errors.BadSymbol, "unknown market id "+quote(id))
	}
	if typ == "" {
		if len(cands) == 1 {
			return cands[0], nil
		}
		return nil, s.errorf(errors.ArgumentsRequired, "market id "+quote(id)+" names "+describe(cands)+": a market type is needed")
	}
	for _, m := range cands {
		if hasType(m, typ) {
			return m, nil
		}
	}
	return nil, s.errorf(errors.BadSymbol, "no "+string(typ)+" market has the id "+quote(id)+" (it names "+describe(cands)+")")
}

// MarketsByID returns every market with the native id, in load order, for
// adapters that disambiguate by more than the market type. The slice is
// shared and must not be modified. It is nil for an unknown id.
func (s *Snapshot) MarketsByID(id string) []*unified.Market {
	if s == nil {
		return nil
	}
	return s.byID[id]
}

// Currency returns the currency with the unified code, or an error of kind
// errors.BadRequest naming the code when there is none.
func (s *Snapshot) Currency(code string) (*unified.Currency, error) {
	if s == nil {
		return nil, notLoaded()
	}
	if c, ok := s.byCode[code]; ok {
		return c, nil
	}
	return nil, s.errorf(errors.BadRequest, "unknown currency code "+quote(code))
}

// CurrencyByID returns the currency with the native id, or an error of kind
// errors.BadRequest naming the id when there is none.
func (s *Snapshot) CurrencyByID(id string) (*unified.Currency, error) {
	if s == nil {
		return nil, notLoaded()
	}
	if c, ok := s.byCurID[id]; ok {
		return c, nil
	}
	return nil, s.errorf(errors.BadRequest, "unknown currency id "+quote(id))
}

// Markets returns every market in load order. The markets are shared and must
// not be modified; the slice is the caller's.
func (s *Snapshot) Markets() []*unified.Market {
	if s == nil {
		return nil
	}
	out := make([]*unified.Market, len(s.markets))
	for i := range s.markets {
		out[i] = &s.markets[i]
	}
	return out
}

// Currencies returns every currency in load order (derived ones included).
// The currencies are shared and must not be modified; the slice is the
// caller's.
func (s *Snapshot) Currencies() []*unified.Currency {
	if s == nil {
		return nil
	}
	out := make([]*unified.Currency, len(s.currencies))
	for i := range s.currencies {
		out[i] = &s.currencies[i]
	}
	return out
}

// Symbols returns every unified symbol, sorted.
func (s *Snapshot) Symbols() []string {
	if s == nil {
		return nil
	}
	out := make([]string, 0, len(s.bySymbol))
	for sym := range s.bySymbol {
		out = append(out, sym)
	}
	slices.Sort(out)
	return out
}

// hasType reports whether m is of type typ, by its Type or its flags.
func hasType(m *unified.Market, typ unified.MarketType) bool {
	if m.Type == typ {
		return true
	}
	switch typ {
	case unified.Spot:
		return m.Spot
	case unified.Margin:
		return m.Margin
	case unified.Swap:
		return m.Swap
	case unified.Future:
		return m.Future
	case unified.Option:
		return m.Option
	}
	return false
}

// describe lists markets as "spot BTC/USDT, swap BTC/USDT:USDT".
func describe(ms []*unified.Market) string {
	var b strings.Builder
	for i, m := range ms {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(string(m.Type))
		b.WriteByte(' ')
		b.WriteString(m.Symbol)
	}
	return b.String()
}

// errorf returns an *errors.Error of kind for this snapshot's exchange.
func (s *Snapshot) errorf(kind *errors.Kind, msg string) error {
	return &errors.Error{Kind: kind, Exchange: s.exchange, Message: msg}
}

// notLoaded is the error of lookups before the first successful load.
func notLoaded() error {
	return errors.Newf(errors.ExchangeError, "markets not loaded")
}
