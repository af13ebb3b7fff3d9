package binancetest

import (
	"math/rand/v2"
	"sort"
	"sync"
	"time"

	"github.com/unifex-go/unifex/internal/fakebook"
	"github.com/unifex-go/unifex/internal/fakeserver"
)

// Product is the Binance product line a Server plays.
type Product int

// The products, with the exchange ids of their adapters.
const (
	// Spot is "binance": /api/v3, stream.binance.com, ws-api/v3.
	Spot Product = iota
	// USDM is "binanceusdm": /fapi, fstream.binance.com (/public, /market,
	// /private), ws-fapi/v1.
	USDM
	// COINM is "binancecoinm": /dapi, dstream.binance.com, ws-dapi/v1.
	COINM
)

// String returns the exchange id of the product's adapter.
func (p Product) String() string {
	switch p {
	case USDM:
		return "binanceusdm"
	case COINM:
		return "binancecoinm"
	}
	return "binance"
}

// futures reports whether p is a futures product.
func (p Product) futures() bool { return p != Spot }

// The credentials a server accepts unless its Config names others. Not
// secrets.
const (
	TestAPIKey = "binancetest-api-key-0f3c9e"
	TestSecret = "binancetest-secret-8d21a4"
)

// Config configures a Server. The zero Config is a spot server with the
// default symbols and account, moved only by Step.
type Config struct {
	// Product is the product line to play.
	Product Product
	// Seed makes the market's random flow reproducible.
	Seed uint64
	// Symbols are the unified symbols listed, streamed and traded;
	// nil means DefaultSymbols(Product).
	Symbols []string
	// History is how many book states per symbol BookAt remembers (at
	// least 32 are kept, for stale snapshots).
	History int
	// APIKey and Secret are the credentials accepted; empty means
	// TestAPIKey and TestSecret.
	APIKey, Secret string
	// Rate is the number of market events per second of a background
	// flow, as a live venue streams without being asked; 0 runs none.
	Rate int
	// PingInterval is how often the server pings each WebSocket; 0 means
	// the documented 20 s (spot) or 3 min (futures). Tests set it short.
	PingInterval time.Duration
	// PongTimeout is how long a client may leave a ping unanswered before
	// it is dropped; 0 means the documented 1 min (spot) or 10 min
	// (futures).
	PongTimeout time.Duration
	// MaxConnAge is the lifetime after which the server cuts a connection;
	// 0 means the documented 24 h.
	MaxConnAge time.Duration
	// ListenKeyTTL is a futures listen key's validity after its creation
	// or last keepalive; 0 means the documented 60 min.
	ListenKeyTTL time.Duration
	// DeltasBeforeAck makes a SUBSCRIBE to a diff-depth stream receive a
	// depth update before its {"result":null} acknowledgement, as Binance
	// may send (ccxt/ccxt#6672): clients must buffer from the moment they
	// subscribe.
	DeltasBeforeAck bool
}

// Server is a running fake Binance for one product: REST, market streams,
// user data and the WebSocket API on loopback, over an authoritative book
// per symbol and one test account. Its methods are safe for concurrent use.
type Server struct {
	cfg Config
	api *fakeserver.HTTP
	ws  *wsServer
	run fakeserver.Runner // the background flow, delayed faults; Close stops it

	mu       sync.Mutex // guards everything below
	rng      *rand.Rand
	crowd    fakebook.Crowd // the market's flow, drawing from rng
	markets  []*market
	byID     map[string]*market
	byStream map[string]*market
	acct     *account
	sessions map[*conn]*session
	subs     map[string]map[*session]struct{} // stream name -> subscribers
	rest     restState
	methods  map[string]apiMethod // the WebSocket API
}

// Start starts a server on loopback. It panics when cfg names a symbol the
// product cannot have (a test's own mistake, as httptest panics).
func Start(cfg Config) *Server {
	if cfg.Symbols == nil {
		cfg.Symbols = DefaultSymbols(cfg.Product)
	}
	if cfg.APIKey == "" || cfg.Secret == "" {
		cfg.APIKey, cfg.Secret = TestAPIKey, TestSecret
	}
	cfg.History = max(cfg.History, minHistory)
	keep := keepalive{pingInterval: cfg.PingInterval, pongTimeout: cfg.PongTimeout, maxAge: cfg.MaxConnAge}
	if cfg.Product == Spot {
		keep.echoOnly = true
		defaultDuration(&keep.pingInterval, 20*time.Second)
		defaultDuration(&keep.pongTimeout, time.Minute)
	} else {
		defaultDuration(&keep.pingInterval, 3*time.Minute)
		defaultDuration(&keep.pongTimeout, 10*time.Minute)
	}
	defaultDuration(&keep.maxAge, 24*time.Hour)
	defaultDuration(&cfg.ListenKeyTTL, time.Hour)

	s := &Server{cfg: cfg,
		rng:      rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)),
		byID:     map[string]*market{},
		byStream: map[string]*market{},
		sessions: map[*conn]*session{},
		subs:     map[string]map[*session]struct{}{},
	}
	s.crowd = fakebook.Crowd{Rand: s.rng, MinLevels: minLevels, MaxLevels: maxLevels}
	s.api = fakeserver.NewHTTP()
	now := s.api.Now()
	history := rand.New(rand.NewPCG(cfg.Seed^0x5bd1e995, cfg.Seed))
	firstID := int64(1_000_000_000)
	if cfg.Product.futures() {
		firstID = 7_000_000_000_000
	}
	for _, symbol := range cfg.Symbols {
		m, err := newMarket(cfg.Product, symbol)
		if err != nil {
			s.api.Close()
			panic("binancetest: " + err.Error())
		}
		if s.byID[m.id] != nil {
			s.api.Close()
			panic("binancetest: symbol " + symbol + " listed twice")
		}
		m.book = newBook(cfg.History, firstID+int64(s.rng.IntN(1_000_000)))
		m.trades = newTape(m, now, history)
		s.markets = append(s.markets, m)
		s.byID[m.id] = m
		s.byStream[m.stream] = m
		s.warmUp(m, now)
	}
	s.acct = newAccount(s)
	s.routeREST()
	s.methods = s.apiMethods()
	s.ws = newWSServer(keep, s.routeWS)
	s.run.Flow(cfg.Rate, s.Step)
	return s
}

func defaultDuration(d *time.Duration, def time.Duration) {
	if *d <= 0 {
		*d = def
	}
}

// URLs are the endpoints an adapter's Config.URLs takes: "rest" (the REST
// base; /api/v3, /fapi/v1 or /dapi/v1 paths are appended), "stream" (the
// market-stream base; /stream, /public/stream, /market/stream,
// /private/ws?listenKey= or /ws/<listenKey> are appended) and "wsapi" (the
// full WebSocket API URL).
func (s *Server) URLs() map[string]string {
	base := s.ws.url()
	wsapi := base + "/ws-api/v3"
	switch s.cfg.Product {
	case USDM:
		wsapi = base + "/ws-fapi/v1"
	case COINM:
		wsapi = base + "/ws-dapi/v1"
	}
	return map[string]string{"rest": s.api.URL(), "stream": base, "wsapi": wsapi}
}

// Product returns the product the server plays.
func (s *Server) Product() Product { return s.cfg.Product }

// Symbols lists the unified symbols of the server's markets.
func (s *Server) Symbols() []string {
	out := make([]string, len(s.markets))
	for i, m := range s.markets {
		out[i] = m.symbol
	}
	return out
}

// ID returns the native id of a unified symbol ("BTC/USD:BTC" →
// "BTCUSD_PERP"), "" for a symbol the server does not list.
func (s *Server) ID(symbol string) string {
	if m := s.marketOf(symbol); m != nil {
		return m.id
	}
	return ""
}

// Close stops the flow and the servers, ending every connection.
func (s *Server) Close() {
	if !s.run.Stop() {
		return
	}
	s.ws.close()
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

// sortedKeys returns a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
