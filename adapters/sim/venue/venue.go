// Package venue is the simulated exchange behind the sim adapter: markets
// with tick and lot grids, a price-time-priority matching engine, a seeded
// crowd whose random orders move the books and print trades, one trading
// account (balances, orders, fills, a perpetual's positions and funding),
// candle history, and a loopback REST and WebSocket server that speaks the
// venue's own protocol (documented in protocol.go).
//
// The same Venue serves demos (a background flow of a few events per
// second), benchmarks (as fast as the flow can go) and the conformance
// suite, which drives it step by step and injects faults: Step, BookAt and
// the fault methods make it an exchangetest.Venue.
package venue

import (
	"math/rand/v2"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/internal/fakeserver"
)

// Config configures a Venue. The zero Config is a venue with the default
// markets and account, driven only by Step.
type Config struct {
	// Seed makes the crowd's order flow reproducible.
	Seed uint64
	// Rate is the number of market events per second of the background
	// flow; 0 runs none (the venue moves only on Step).
	Rate int
	// Markets replaces DefaultMarkets.
	Markets []Market
	// Balances are the account's opening balances by currency code;
	// nil means DefaultBalances.
	Balances map[string]decimal.Decimal
	// APIKey and Secret are the credentials the venue accepts; empty means
	// TestAPIKey and TestSecret.
	APIKey, Secret string
	// Depth is how many levels each side of a book keeps (default 100).
	Depth int
	// History is how many past states of each book BookAt remembers
	// (0: none, BookAt always fails). Tests set it; demos need not pay for it.
	History int
	// CandleDays is how many days of one-minute candles exist before the
	// start (default 7).
	CandleDays int
	// FundingInterval is the perpetual's funding period (default 8 h).
	FundingInterval time.Duration
}

// The credentials a venue accepts unless its Config names others. Not secrets.
const (
	TestAPIKey = "sim-key"
	TestSecret = "sim-secret"
)

// DefaultBalances are the account's opening balances.
func DefaultBalances() map[string]decimal.Decimal {
	return map[string]decimal.Decimal{"USDT": decimal.NewFromInt(100_000), "BTC": decimal.NewFromInt(2), "ETH": decimal.NewFromInt(20)}
}

// Venue is a running simulated exchange. Its methods are safe for
// concurrent use.
type Venue struct {
	cfg Config
	api *fakeserver.HTTP
	ws  *fakeserver.WS
	run fakeserver.Runner // the background flow; Close stops it

	mu       sync.Mutex // guards everything below
	rng      *rand.Rand
	markets  []*book
	byID     map[string]*book
	acct     account
	subs     map[string]map[*fakeserver.Conn]bool // channel -> subscribers
	authed   map[*fakeserver.Conn]bool
	tradeSeq int64
	out      batch // what the current change has to publish
}

// Start starts a venue with its REST and WebSocket servers on loopback and,
// when cfg.Rate > 0, its background flow.
func Start(cfg Config) *Venue {
	if len(cfg.Markets) == 0 {
		cfg.Markets = DefaultMarkets()
	}
	if cfg.Balances == nil {
		cfg.Balances = DefaultBalances()
	}
	if cfg.APIKey == "" || cfg.Secret == "" {
		cfg.APIKey, cfg.Secret = TestAPIKey, TestSecret
	}
	if cfg.Depth <= 0 {
		cfg.Depth = 100
	}
	if cfg.CandleDays <= 0 {
		cfg.CandleDays = 7
	}
	if cfg.FundingInterval <= 0 {
		cfg.FundingInterval = 8 * time.Hour
	}
	v := &Venue{cfg: cfg,
		rng:  rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)),
		byID: map[string]*book{}, subs: map[string]map[*fakeserver.Conn]bool{}, authed: map[*fakeserver.Conn]bool{}}
	v.api = fakeserver.NewHTTP()
	now := v.api.Now()
	history := rand.New(rand.NewPCG(cfg.Seed^0x5bd1e995, cfg.Seed))
	for i := range cfg.Markets {
		b := newBook(&cfg.Markets[i], cfg.History)
		b.candles = newCandles(b.m, now, cfg.CandleDays, history)
		b.nextFunding = now.Truncate(cfg.FundingInterval).Add(cfg.FundingInterval)
		v.markets = append(v.markets, b)
		v.byID[b.m.ID] = b
	}
	v.acct = newAccount(cfg.APIKey, cfg.Secret, cfg.Balances)
	for range 40 * cfg.Depth * len(v.markets) { // a full book before anyone looks
		v.crowdLocked(v.markets[v.rng.IntN(len(v.markets))], now)
	}
	for _, b := range v.markets {
		b.settle() // the warm-up publishes nothing
	}
	v.out = batch{}
	v.routeREST()
	v.ws = fakeserver.NewWS(v.serve)
	v.run.Flow(cfg.Rate, v.tick)
	return v
}

// URLs are the endpoints an adapter connects to: "rest" and "ws".
func (v *Venue) URLs() map[string]string {
	return map[string]string{"rest": v.api.URL(), "ws": v.ws.URL()}
}

// Close stops the flow and the servers, ending every connection.
func (v *Venue) Close() {
	if !v.run.Stop() {
		return
	}
	v.ws.Close()
	v.api.Close()
}

// now is the venue's clock (which Skew can move).
func (v *Venue) now() time.Time { return v.api.Now() }

// tick is one beat of the background flow, which runs cfg.Rate events per
// second (in batches every 10 ms at high rates): n events of the crowd,
// then funding settled when it falls due.
func (v *Venue) tick(n int) {
	v.Step(n)
	v.mu.Lock()
	v.fundingLocked(v.now())
	v.flushLocked()
	v.mu.Unlock()
}

// Step makes n market events of the crowd — limit orders, cancels and
// market orders on random markets — and publishes what they changed.
func (v *Venue) Step(n int) {
	v.mu.Lock()
	defer v.mu.Unlock()
	now := v.now()
	for range n {
		v.crowdLocked(v.markets[v.rng.IntN(len(v.markets))], now)
		v.flushLocked()
	}
}

// Symbols lists the unified symbols of the venue's markets.
func (v *Venue) Symbols() []string {
	out := make([]string, len(v.markets))
	for i, b := range v.markets {
		out[i] = b.m.Symbol()
	}
	return out
}

// Symbol is the market's unified symbol: "BTC/USDT", or
// "BTC/USDT:USDT" for the perpetual.
func (m *Market) Symbol() string {
	if m.Perpetual {
		return m.Base + "/" + m.Quote + ":" + m.Settle
	}
	return m.Base + "/" + m.Quote
}

// market returns the book of a unified symbol.
func (v *Venue) bookOf(symbol string) *book {
	for _, b := range v.markets {
		if b.m.Symbol() == symbol {
			return b
		}
	}
	return nil
}
