// Package toyvenue is a small venue for testing the runtime end to end: a
// fake server (REST markets and snapshots, a WebSocket stream of books and
// trades with okx-style sequence numbers and CRC-32 checksums, a test account
// behind signed REST endpoints and a private order stream) and an adapter
// for it built on internal/adapter. It is what exchangetest runs against in
// its own tests, before any real adapter exists; it is not a public adapter.
//
// The server keeps an authoritative book per symbol in a plain map model, so
// a test can check every book the adapter delivers against the server's book
// at the same sequence number, and an authoritative account (balances and
// orders, in exact decimals), so a test can check every order update the
// adapter delivers against the server's orders.
package toyvenue

import (
	"context"
	"encoding/json"
	"hash/crc32"
	"math/rand/v2"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/internal/fakeserver"
	"github.com/unifex-go/unifex/unified"
)

// DefaultSymbols are the markets NewServer lists.
var DefaultSymbols = []string{"BTC/USDT", "ETH/USDT"}

// msg is every message of the toy protocol.
type msg struct {
	Op       string      `json:"op,omitempty"`  // client: "sub", "unsub", "ping", "login"
	ID       int         `json:"id,omitempty"`  // client request id
	Ack      int         `json:"ack,omitempty"` // server: acknowledged request id
	Error    *apiError   `json:"error,omitempty"`
	Key      string      `json:"key,omitempty"` // login: API key, timestamp (ms) and signature
	TS       int64       `json:"ts,omitempty"`
	Sig      string      `json:"sig,omitempty"`
	Chs      []string    `json:"ch,omitempty"`
	Topic    string      `json:"topic,omitempty"` // "orderbook:BTC/USDT", "trades:BTC/USDT", "orders"
	Orders   []wireOrder `json:"orders,omitempty"`
	Type     string      `json:"type,omitempty"` // "snapshot", "delta"
	Seq      int64       `json:"seq,omitempty"`
	Prev     int64       `json:"prev,omitempty"`
	Bids     [][]string  `json:"bids,omitempty"`
	Asks     [][]string  `json:"asks,omitempty"`
	Checksum int64       `json:"cs,omitempty"`
	Trades   []trade     `json:"trades,omitempty"`
	Pong     bool        `json:"pong,omitempty"`
}

type trade struct {
	ID    string `json:"id"`
	Price string `json:"px"`
	Qty   string `json:"qty"`
	Side  string `json:"side"`
	TS    int64  `json:"ts"`
}

// Level is a price level as the server holds it: exact wire strings.
type Level struct{ Price, Amount string }

// book is the server's authoritative book of one symbol.
type book struct {
	seq        int64
	bids, asks map[int]string // price in cents -> amount as sent
	history    map[int64][2][]Level
	order      []int64 // seqs in history, oldest first
}

const historyLimit = 4096

func newBook() *book {
	b := &book{bids: map[int]string{}, asks: map[int]string{}, history: map[int64][2][]Level{}}
	for i := 1; i <= 10; i++ {
		b.bids[10000-i] = "1"
		b.asks[10000+i] = "1"
	}
	b.record()
	return b
}

// price formats cents as a price with two decimals.
func price(cents int) string {
	return strconv.Itoa(cents/100) + "." + strconv.Itoa(cents%100/10) + strconv.Itoa(cents%10)
}

func sorted(m map[int]string, desc bool) []Level {
	cents := make([]int, 0, len(m))
	for c := range m {
		cents = append(cents, c)
	}
	sort.Ints(cents)
	out := make([]Level, len(cents))
	for i, c := range cents {
		j := i
		if desc {
			j = len(cents) - 1 - i
		}
		out[j] = Level{price(c), m[c]}
	}
	return out
}

func (b *book) levels() (bids, asks []Level) { return sorted(b.bids, true), sorted(b.asks, false) }

func (b *book) record() {
	bids, asks := b.levels()
	b.history[b.seq] = [2][]Level{bids, asks}
	b.order = append(b.order, b.seq)
	if len(b.order) > historyLimit {
		delete(b.history, b.order[0])
		b.order = b.order[1:]
	}
}

// checksum is okx's: CRC-32 of the top 25 levels interleaved
// "bidPx:bidSz:askPx:askSz:...", as a signed 32-bit number. Computed here
// independently of package orderbook.
func (b *book) checksum() int64 {
	bids, asks := b.levels()
	var parts []string
	for i := 0; i < 25; i++ {
		if i < len(bids) {
			parts = append(parts, bids[i].Price, bids[i].Amount)
		}
		if i < len(asks) {
			parts = append(parts, asks[i].Price, asks[i].Amount)
		}
	}
	return int64(int32(crc32.ChecksumIEEE([]byte(strings.Join(parts, ":")))))
}

func wire(ls []Level) [][]string {
	out := make([][]string, len(ls))
	for i, l := range ls {
		out[i] = []string{l.Price, l.Amount}
	}
	return out
}

// Server is the toy venue's fake server.
type Server struct {
	ws      *fakeserver.WS
	api     *fakeserver.HTTP
	rng     *rand.Rand
	fillRng *rand.Rand
	symbols []string
	ids     map[string]string // market id ("BTCUSDT") -> symbol

	mu        sync.Mutex
	books     map[string]*book
	acct      account
	subs      map[*fakeserver.Conn]map[string]bool
	authed    map[*fakeserver.Conn]bool
	log       []string
	tradeSeq  int
	gapNext   map[string]bool
	corrupt   map[string]bool
	noAnswers bool
}

// NewServer starts the venue with DefaultSymbols and a fixed random seed.
func NewServer(seed uint64) *Server { return NewServerWith(seed, DefaultSymbols) }

// NewServerWith starts the venue listing symbols ("BASE/QUOTE").
func NewServerWith(seed uint64, symbols []string) *Server {
	s := &Server{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), fillRng: rand.New(rand.NewPCG(seed^0x5bd1e995, seed)),
		books: map[string]*book{}, symbols: symbols, ids: map[string]string{},
		subs: map[*fakeserver.Conn]map[string]bool{}, authed: map[*fakeserver.Conn]bool{},
		gapNext: map[string]bool{}, corrupt: map[string]bool{}}
	for _, sym := range symbols {
		s.books[sym] = newBook()
		base, quote, _ := strings.Cut(sym, "/")
		s.ids[base+quote] = sym
	}
	s.acct = newAccount(symbols)
	s.ws = fakeserver.NewWS(s.serve)
	s.api = fakeserver.NewHTTP()
	s.api.Handle("GET /markets", s.markets)
	s.api.Handle("GET /time", func(w http.ResponseWriter, r *http.Request) {
		fakeserver.WriteJSON(w, http.StatusOK, map[string]int64{"serverTime": s.api.Now().UnixMilli()})
	})
	s.routePrivate()
	return s
}

// URLs are the adapter's URL overrides pointing at this server.
func (s *Server) URLs() map[string]string {
	return map[string]string{"rest": s.api.URL(), "ws": s.ws.URL()}
}

// WS returns the WebSocket server, for its fault controls.
func (s *Server) WS() *fakeserver.WS { return s.ws }

// HTTP returns the REST server, for its fault controls and counters.
func (s *Server) HTTP() *fakeserver.HTTP { return s.api }

// Close stops the server.
func (s *Server) Close() {
	s.ws.Close()
	s.api.Close()
}

// Market limits every toy market has.
const (
	minAmount = "0.001"
	minCost   = "10"
)

func (s *Server) markets(w http.ResponseWriter, _ *http.Request) {
	type market struct {
		ID, Symbol, Base, Quote, Tick, Step, MinQty, MinNotional string
	}
	out := make([]market, 0, len(s.symbols))
	for _, sym := range s.symbols {
		base, quote, _ := strings.Cut(sym, "/")
		out = append(out, market{ID: base + quote, Symbol: sym, Base: base, Quote: quote, Tick: "0.01", Step: "0.001",
			MinQty: minAmount, MinNotional: minCost})
	}
	fakeserver.WriteJSON(w, http.StatusOK, out)
}

func (s *Server) serve(c *fakeserver.Conn) {
	defer func() {
		s.mu.Lock()
		delete(s.subs, c)
		delete(s.authed, c)
		s.mu.Unlock()
	}()
	for {
		raw, err := c.Read(context.Background())
		if err != nil {
			return
		}
		var m msg
		if json.Unmarshal(raw, &m) != nil {
			continue
		}
		if m.Op == "ping" {
			s.send(c, msg{Pong: true})
			continue
		}
		if m.Op == "login" {
			s.send(c, msg{Ack: m.ID, Error: s.login(c, m)})
			continue
		}
		s.mu.Lock()
		if e := s.privateSubLocked(c, m); e != nil {
			s.mu.Unlock()
			s.send(c, msg{Ack: m.ID, Error: e})
			continue
		}
		if s.subs[c] == nil {
			s.subs[c] = map[string]bool{}
		}
		for _, ch := range m.Chs {
			s.log = append(s.log, m.Op+":"+ch)
			s.subs[c][ch] = m.Op == "sub"
		}
		quiet := s.noAnswers
		s.mu.Unlock()
		if quiet {
			continue
		}
		s.send(c, msg{Ack: m.ID})
		if m.Op != "sub" {
			continue
		}
		for _, ch := range m.Chs {
			if sym, ok := strings.CutPrefix(ch, "orderbook:"); ok {
				// Sent under the lock, so that no delta can overtake the
				// snapshot on the wire: the venue's order is the book's.
				s.mu.Lock()
				if b := s.books[sym]; b != nil {
					bids, asks := b.levels()
					s.send(c, msg{Topic: ch, Type: "snapshot", Seq: b.seq, Prev: -1, Bids: wire(bids), Asks: wire(asks), Checksum: b.checksum()})
				}
				s.mu.Unlock()
			}
		}
	}
}

func (s *Server) send(c *fakeserver.Conn, m msg) {
	b, _ := json.Marshal(m)
	_ = c.Send(b)
}

// subscribersLocked returns the connections subscribed to topic.
func (s *Server) subscribersLocked(topic string) []*fakeserver.Conn {
	var to []*fakeserver.Conn
	for c, chs := range s.subs {
		if chs[topic] {
			to = append(to, c)
		}
	}
	return to
}

// Step makes n random changes: book deltas and trades on the symbols, sent
// to their subscribers; with each, one in eight times, a fill of part or all
// of a random open order of the account, pushed on the orders channel.
func (s *Server) Step(n int) {
	for range n {
		s.mu.Lock()
		sym := s.symbols[s.rng.IntN(len(s.symbols))]
		var m msg
		if s.rng.IntN(4) == 0 {
			s.tradeSeq++
			m = msg{Topic: "trades:" + sym, Trades: []trade{{ID: strconv.Itoa(s.tradeSeq), Price: price(10000), Qty: "0.5", Side: "buy", TS: int64(1_700_000_000_000 + s.tradeSeq)}}}
		} else {
			m = s.deltaLocked(sym)
		}
		for _, c := range s.subscribersLocked(m.Topic) {
			s.send(c, m)
		}
		if len(s.acct.open) > 0 && s.fillRng.IntN(8) == 0 {
			s.fillLocked()
		}
		s.mu.Unlock()
	}
}

// deltaLocked changes one or two levels of sym's book and returns the delta.
func (s *Server) deltaLocked(sym string) msg {
	b := s.books[sym]
	if s.gapNext[sym] {
		// A message is lost on the way: its sequence number is used up,
		// so the next delta names a predecessor the client never saw.
		b.seq++
		b.record()
		delete(s.gapNext, sym)
	}
	m := msg{Topic: "orderbook:" + sym, Type: "delta", Prev: b.seq}
	for range 1 + s.rng.IntN(2) {
		bid := s.rng.IntN(2) == 0
		var cents int
		var side map[int]string
		if bid {
			cents, side = 10000-1-s.rng.IntN(20), b.bids
		} else {
			cents, side = 10000+1+s.rng.IntN(20), b.asks
		}
		amount := "0"
		if s.rng.IntN(3) > 0 || len(side) < 3 {
			amount = decimal.New(int64(1+s.rng.IntN(5000)), -3).String()
		}
		if amount == "0" {
			delete(side, cents)
		} else {
			side[cents] = amount
		}
		lv := []string{price(cents), amount}
		if bid {
			m.Bids = append(m.Bids, lv)
		} else {
			m.Asks = append(m.Asks, lv)
		}
	}
	b.seq++
	m.Seq = b.seq
	m.Checksum = b.checksum()
	if s.corrupt[sym] {
		m.Checksum++
		delete(s.corrupt, sym)
	}
	b.record()
	return m
}

// Gap makes sym's next delta skip a sequence number.
func (s *Server) Gap(sym string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gapNext[sym] = true
}

// CorruptChecksum makes sym's next delta carry a wrong checksum.
func (s *Server) CorruptChecksum(sym string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.corrupt[sym] = true
}

// Garbage sends a malformed frame and an unknown one to every connection.
func (s *Server) Garbage() {
	for _, c := range s.ws.Conns() {
		_ = c.Send([]byte(`{"topic":"orderbook:BTC/USDT","type":"delta","bids":[["x`))
		_ = c.Send([]byte(`{"event":"something-new"}`))
	}
}

// Drop closes every connection abruptly.
func (s *Server) Drop() {
	for _, c := range s.ws.Conns() {
		c.Drop()
	}
}

// Silence makes every connection half-open.
func (s *Server) Silence() {
	for _, c := range s.ws.Conns() {
		c.Silence()
	}
}

// Symbols lists the venue's symbols.
func (s *Server) Symbols() []string { return s.symbols }

// BookAt returns sym's book at sequence seq, if the server still remembers it.
func (s *Server) BookAt(sym string, seq int64) (bids, asks []unified.Level, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.books[sym]
	if b == nil {
		return nil, nil, false
	}
	h, ok := b.history[seq]
	return toUnified(h[0]), toUnified(h[1]), ok
}

// Seq returns sym's current sequence number.
func (s *Server) Seq(sym string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.books[sym].seq
}

// TradeCount returns how many trades the server has published.
func (s *Server) TradeCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tradeSeq
}

// History returns the subscription requests seen, "sub:ch" / "unsub:ch".
func (s *Server) History() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.log...)
}

// toUnified converts levels for comparison with a unified.OrderBook.
func toUnified(ls []Level) []unified.Level {
	out := make([]unified.Level, len(ls))
	for i, l := range ls {
		out[i] = unified.Level{Price: decimal.RequireFromString(l.Price), Amount: decimal.RequireFromString(l.Amount)}
	}
	return out
}

// DeltaFrames makes n book deltas of sym with the given number of level
// changes each, applies them to the venue's book and returns them encoded,
// without sending them: benchmarks send them later with Send, so that making
// frames is not timed.
func (s *Server) DeltaFrames(sym string, n, levels int) [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.books[sym]
	frames := make([][]byte, 0, n)
	for range n {
		m := msg{Topic: "orderbook:" + sym, Type: "delta", Prev: b.seq}
		for j := range levels {
			cents, side := 10000-1-s.rng.IntN(40), b.bids
			if j%2 == 1 {
				cents, side = 10000+1+s.rng.IntN(40), b.asks
			}
			amount := decimal.New(int64(1+s.rng.IntN(5000)), -3).String()
			side[cents] = amount
			if j%2 == 0 {
				m.Bids = append(m.Bids, []string{price(cents), amount})
			} else {
				m.Asks = append(m.Asks, []string{price(cents), amount})
			}
		}
		b.seq++
		m.Seq = b.seq
		m.Checksum = b.checksum()
		b.record()
		raw, _ := json.Marshal(m)
		frames = append(frames, raw)
	}
	return frames
}

// Send writes frames, in order, to every connection subscribed to topic.
func (s *Server) Send(topic string, frames ...[]byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.subscribersLocked(topic) {
		for _, f := range frames {
			_ = c.Send(f)
		}
	}
}
