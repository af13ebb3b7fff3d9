package okxtest

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/unifex-go/unifex/internal/fakebook"
	"github.com/unifex-go/unifex/internal/fakeserver"
)

// The credentials a server accepts unless its Config names others. Not
// secrets.
const (
	TestAPIKey     = "okxtest-api-key-5e1d7c"
	TestSecret     = "okxtest-secret-93b0f2"
	TestPassphrase = "okxtest-passphrase-4a6c"
)

// Config configures a Server. The zero Config serves the default
// instruments with the test account, moved only by Step.
type Config struct {
	// Seed makes the market's random flow reproducible.
	Seed uint64
	// Instruments are the instIds listed, streamed and traded (SPOT
	// "BTC-USDT", SWAP "BTC-USDT-SWAP" or "BTC-USD-SWAP", FUTURES
	// "BTC-USDT-260925"); nil means DefaultInstruments().
	Instruments []string
	// History is how many book states per instrument BookAt remembers (at
	// least 32).
	History int
	// APIKey, Secret and Passphrase are the credentials accepted; empty
	// means TestAPIKey, TestSecret and TestPassphrase.
	APIKey, Secret, Passphrase string
	// Rate is the number of market events per second of a background
	// flow, as a live venue streams without being asked; 0 runs none.
	Rate int
	// IdleTimeout is how long a WebSocket may go without a message either
	// way (a client's "ping" counts) before the server cuts it; 0 means
	// the documented 30 s. OKX servers send no pings: keeping the link
	// alive is the client's job. Tests set it short.
	IdleTimeout time.Duration
	// Checksum makes books updates carry the legacy CRC-32 checksum. OKX
	// fixed the field to 0 on 23 June 2026 (demo: 2 June), which is the
	// default here.
	Checksum bool
	// RESTSnapshot plays the change OKX announced for August 2026: books
	// subscriptions get no initial snapshot, only updates, and
	// /api/v5/market/books carries the seqId a client syncs them from.
	RESTSnapshot bool
	// Demo makes the server a demo-trading one: signed requests must carry
	// x-simulated-trading: 1 (else 50101), as live ones must not.
	Demo bool
	// VIP is the account's fee tier; the private fills channel needs 6.
	VIP int
	// OrderRate is how many orders per instrument the account may place
	// per 2 s (REST and WebSocket together) before 50011; 0 means the
	// documented 60.
	OrderRate int
}

// Server is a running fake OKX: REST, the public, private and business
// WebSockets on loopback, over an authoritative book per instrument and
// one test account. Its methods are safe for concurrent use.
type Server struct {
	cfg Config
	api *fakeserver.HTTP
	ws  *fakeserver.WS
	run fakeserver.Runner // the background flow, delayed faults; Close stops it

	mu       sync.Mutex // guards everything below
	rng      *rand.Rand
	crowd    fakebook.Crowd // the market's flow, drawing from rng
	markets  []*market
	byID     map[string]*market
	byCode   map[int64]*market
	sessions map[*session]struct{}
	connSeq  int
	acct     *account
	wallet   *walletState
	algos    *algoState // algo.go; nil until the first algo order
	rest     restState
}

// minHistory is the fewest book states remembered.
const minHistory = 32

// Start starts a server on loopback. It panics when cfg names an
// instrument it cannot play (a test's own mistake, as httptest panics).
func Start(cfg Config) *Server {
	if cfg.Instruments == nil {
		cfg.Instruments = DefaultInstruments()
	}
	if cfg.APIKey == "" || cfg.Secret == "" || cfg.Passphrase == "" {
		cfg.APIKey, cfg.Secret, cfg.Passphrase = TestAPIKey, TestSecret, TestPassphrase
	}
	cfg.History = max(cfg.History, minHistory)
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = 30 * time.Second
	}
	if cfg.OrderRate <= 0 {
		cfg.OrderRate = 60
	}
	s := &Server{cfg: cfg,
		rng:      rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)),
		byID:     map[string]*market{},
		byCode:   map[int64]*market{},
		sessions: map[*session]struct{}{},
	}
	s.crowd = fakebook.Crowd{Rand: s.rng, MinLevels: minLevels, MaxLevels: maxLevels, Counts: true}
	s.api = fakeserver.NewHTTP()
	now := s.api.Now()
	history := rand.New(rand.NewPCG(cfg.Seed^0x5bd1e995, cfg.Seed))
	for i, id := range cfg.Instruments {
		m, err := newMarket(id, int64(3+i*1021))
		if err == nil && s.byID[id] != nil {
			err = fmt.Errorf("%s listed twice", id)
		}
		if err != nil {
			s.api.Close()
			panic("okxtest: " + err.Error())
		}
		m.book = newBook(cfg.History, 1_000_000_000+int64(s.rng.IntN(1_000_000_000)))
		m.trades = newTape(m, now, history)
		m.candles = newCandles(m, now, history)
		s.markets = append(s.markets, m)
		s.byID[id] = m
		s.byCode[m.code] = m
		s.warmUp(m)
	}
	s.acct = newAccount()
	s.wallet = newWallet()
	s.routeREST()
	s.ws = fakeserver.NewWS(s.serveConn)
	s.run.Flow(cfg.Rate, s.Step)
	return s
}

// URLs are the endpoints an adapter's Config.URLs takes: "rest" (the REST
// base; /api/v5/... is appended) and the full WebSocket URLs "public",
// "private" and "business" (/ws/v5/public, /ws/v5/private,
// /ws/v5/business).
func (s *Server) URLs() map[string]string {
	base := s.ws.URL() + "/ws/v5/"
	return map[string]string{"rest": s.api.URL(), "public": base + "public", "private": base + "private", "business": base + "business"}
}

// Symbols lists the unified symbols of the server's instruments.
func (s *Server) Symbols() []string {
	out := make([]string, len(s.markets))
	for i, m := range s.markets {
		out[i] = m.symbol
	}
	return out
}

// ID returns the instId of a unified symbol ("BTC/USDT:USDT" →
// "BTC-USDT-SWAP"), "" for a symbol the server does not list.
func (s *Server) ID(symbol string) string {
	if m := s.marketOf(symbol); m != nil {
		return m.id
	}
	return ""
}

// InstIDCode returns the instIdCode of an instId (0 when not listed).
func (s *Server) InstIDCode(instID string) int64 {
	if m := s.byID[instID]; m != nil {
		return m.code
	}
	return 0
}

// Close stops the flow and the servers, ending every connection.
func (s *Server) Close() {
	if !s.run.Stop() {
		return
	}
	s.ws.Close()
	s.api.Close()
}

// now is the venue's clock, which Skew moves.
func (s *Server) now() time.Time { return s.api.Now() }

// marketOf returns the market of a unified symbol or an instId.
func (s *Server) marketOf(symbol string) *market {
	if m := s.byID[symbol]; m != nil {
		return m
	}
	for _, m := range s.markets {
		if m.symbol == symbol {
			return m
		}
	}
	return nil
}

// ms writes a time as OKX's millisecond string.
func ms(t time.Time) string { return fmt.Sprint(t.UnixMilli()) }
