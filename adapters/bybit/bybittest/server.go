package bybittest

import (
	"math/rand/v2"
	"sync"
	"time"

	"github.com/unifex-go/unifex/internal/fakebook"
	"github.com/unifex-go/unifex/internal/fakeserver"
)

// The credentials a server accepts unless its Config names others. Not
// secrets.
const (
	TestAPIKey = "bybittest-api-key-7c1e"
	TestSecret = "bybittest-secret-5a90d2"
)

// Config configures a Server. The zero Config serves DefaultSymbols with
// the default account, moved only by Step.
type Config struct {
	// Seed makes the market's random flow reproducible.
	Seed uint64
	// Symbols are the unified symbols listed, streamed and traded: spot
	// pairs (BTC/USDT), linear perpetuals (BTC/USDT:USDT) and inverse
	// perpetuals (BTC/USD:BTC); nil means DefaultSymbols.
	Symbols []string
	// History is how many book states per symbol BookAt remembers (at
	// least 32).
	History int
	// APIKey and Secret are the credentials accepted; empty means
	// TestAPIKey and TestSecret.
	APIKey, Secret string
	// Rate is the number of market events per second of a background
	// flow, as a live venue streams without being asked; 0 runs none.
	Rate int
	// IdleTimeout is how long a WebSocket may go without a client
	// {"op":"ping"} before the server cuts it; 0 means the documented 10
	// minutes. On the private and trade streams the URL's
	// max_active_time (30s to 600s, or 1m...) overrides it, as on Bybit.
	IdleTimeout time.Duration
	// SnapshotBeforeAck makes a public subscribe receive its first
	// snapshot before the subscribe reply, as Bybit may send it
	// (JKorf/Bybit.Net#200): clients must accept data before the ack.
	SnapshotBeforeAck bool
}

// minHistory is the fewest states a book remembers.
const minHistory = 32

// Server is a running fake Bybit V5: REST, the public streams of each
// category, the private stream and the trade (order entry) stream on
// loopback, over an authoritative book per symbol and one unified account.
// Its methods are safe for concurrent use.
type Server struct {
	cfg Config
	api *fakeserver.HTTP
	ws  *fakeserver.WS
	run fakeserver.Runner // the background flow, delayed faults; Close stops it
	io  sync.WaitGroup    // session writers

	mu       sync.Mutex // guards everything below
	rng      *rand.Rand
	crowd    fakebook.Crowd // the market's flow, drawing from rng
	markets  []*market
	seq      int64  // cross sequence
	tradeSeq uint64 // public trade ids
	msgID    uint64 // private message ids
	acct     *account
	wallet   walletState // wallet.go
	sessions map[*session]struct{}
	subs     map[string]map[*session]struct{} // topic key -> subscribers
	limits   map[string]*window               // per-endpoint rate windows
	reqIDs   map[string]bool                  // trade-stream reqIds seen
	badSig   bool                             // RejectSignatures
	outage   bool
}

// Start starts a server on loopback. It panics when cfg names a symbol the
// fake cannot list (a test's own mistake, as httptest panics).
func Start(cfg Config) *Server {
	if cfg.Symbols == nil {
		cfg.Symbols = DefaultSymbols
	}
	if cfg.APIKey == "" || cfg.Secret == "" {
		cfg.APIKey, cfg.Secret = TestAPIKey, TestSecret
	}
	cfg.History = max(cfg.History, minHistory)
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = 10 * time.Minute
	}
	s := &Server{cfg: cfg,
		rng:      rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)),
		sessions: map[*session]struct{}{},
		subs:     map[string]map[*session]struct{}{},
		limits:   map[string]*window{},
		reqIDs:   map[string]bool{},
		seq:      int64(20_000_000_000),
	}
	s.crowd = fakebook.Crowd{Rand: s.rng, MinLevels: minLevels, MaxLevels: maxLevels}
	s.api = fakeserver.NewHTTP()
	now := s.api.Now()
	for _, symbol := range cfg.Symbols {
		m, err := newMarket(symbol)
		if err == nil && s.marketOf(symbol) != nil {
			err = errDuplicate(symbol)
		}
		if err != nil {
			s.api.Close()
			panic("bybittest: " + err.Error())
		}
		m.book = newBook(cfg.History)
		m.trades = newTape(m, now)
		m.views = map[int]bookState{}
		s.markets = append(s.markets, m)
		s.warmUp(m)
	}
	s.acct = newAccount(s)
	s.routeREST()
	s.routeWallet()
	s.ws = fakeserver.NewWS(s.serveWS)
	s.run.Flow(cfg.Rate, s.Step)
	return s
}

type errDuplicate string

func (e errDuplicate) Error() string { return "symbol " + string(e) + " listed twice" }

// URLs are the endpoints an adapter's Config.URLs takes: "rest" (the REST
// base; /v5/... paths are appended), "spot", "linear", "inverse" and
// "option" (the public streams), "private" and "trade" (full WebSocket
// URLs).
func (s *Server) URLs() map[string]string {
	base := s.ws.URL()
	return map[string]string{
		"rest":    s.api.URL(),
		"spot":    base + "/v5/public/spot",
		"linear":  base + "/v5/public/linear",
		"inverse": base + "/v5/public/inverse",
		"option":  base + "/v5/public/option",
		"private": base + "/v5/private",
		"trade":   base + "/v5/trade",
	}
}

// Symbols lists the unified symbols of the server's markets.
func (s *Server) Symbols() []string {
	out := make([]string, len(s.markets))
	for i, m := range s.markets {
		out[i] = m.symbol
	}
	return out
}

// ID returns the native id and category of a unified symbol
// ("BTC/USDT:USDT" → "BTCUSDT", Linear); "" for a symbol not listed.
func (s *Server) ID(symbol string) (string, Category) {
	if m := s.marketOf(symbol); m != nil {
		return m.id, m.cat
	}
	return "", ""
}

// Close stops the flow and the servers, ending every connection.
func (s *Server) Close() {
	if !s.run.Stop() {
		return
	}
	s.ws.Close()
	s.io.Wait()
	s.api.Close()
}

// now is the venue's clock, which Skew moves.
func (s *Server) now() time.Time { return s.api.Now() }

// marketOf returns the market of a unified symbol.
func (s *Server) marketOf(symbol string) *market {
	for _, m := range s.markets {
		if m.symbol == symbol {
			return m
		}
	}
	return nil
}

// marketByID returns the market of a native id in a category.
func (s *Server) marketByID(cat Category, id string) *market {
	for _, m := range s.markets {
		if m.cat == cat && m.id == id {
			return m
		}
	}
	return nil
}
