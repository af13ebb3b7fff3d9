package bybit

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/internal/engine"
	"github.com/unifex-go/unifex/internal/jsonscan"
	"github.com/unifex-go/unifex/internal/stream"
	"github.com/unifex-go/unifex/internal/watch"
	"github.com/unifex-go/unifex/internal/wirebook"
	"github.com/unifex-go/unifex/markets"
	"github.com/unifex-go/unifex/orderbook"
	"github.com/unifex-go/unifex/unified"
)

// The public routes: one stream URL per category.
var publicRoutes = map[string]engine.Route{
	CategorySpot:    {Name: CategorySpot},
	CategoryLinear:  {Name: CategoryLinear},
	CategoryInverse: {Name: CategoryInverse},
	CategoryOption:  {Name: CategoryOption},
}

// spotArgsPerRequest is the most topics one spot subscribe may carry
// (linear and inverse have no count limit, only 21,000 characters of args
// per connection, which MaxChannelsPerLink keeps far below).
const spotArgsPerRequest = 10

// pingFrame is the application ping Bybit asks for every 20 s.
var pingFrame = []byte(`{"op":"ping"}`)

// streamState is what the public streams keep between messages.
type streamState struct {
	// ids resolves (category, native id) to markets without allocating.
	ids atomic.Pointer[streamIDs]
	// tickers are the merged derivative tickers, by category and id:
	// deltas carry only the fields that changed.
	mu      sync.Mutex
	tickers map[string]*tickerFields
	// reqID numbers control requests.
	reqID atomic.Int64
}

// streamIDs maps each category's native ids to the markets of one snapshot.
type streamIDs struct {
	snap *markets.Snapshot
	byID map[string]map[string]*unified.Market
}

// streamSpec describes the public streams to the engine.
func (x *Exchange) streamSpec() *engine.Spec {
	return &engine.Spec{
		Route:   x.route,
		Channel: x.channel,
		Link: func(r engine.Route) stream.Config {
			url := map[string]string{CategorySpot: x.urls.spot, CategoryLinear: x.urls.linear, CategoryInverse: x.urls.inverse,
				CategoryOption: x.urls.option}[r.Name]
			return stream.Config{
				Dial: func(context.Context) (stream.Target, error) { return stream.Target{URL: url}, nil },
				// Bybit sends no pings: the client pings every 20 s and
				// every ping is answered, so three silent intervals mean a
				// dead link.
				Keepalive: stream.Keepalive{Interval: x.opts.PingEvery, Timeout: 3 * x.opts.PingEvery,
					Ping: func() []byte { return pingFrame }, Answer: answerPong},
				ResponseID: responseID,
			}
		},
		MaxChannelsPerLink: 200,
		Subscribe: func(ctx context.Context, r engine.Route, s *stream.Session, chs []string) error {
			return x.control(ctx, r, s, "subscribe", chs)
		},
		Unsubscribe: func(ctx context.Context, r engine.Route, s *stream.Session, chs []string) error {
			return x.control(ctx, r, s, "unsubscribe", chs)
		},
		Handle: x.handle,
		// Every book message carries u, one more than the last; a
		// "snapshot" (the first after subscribing, or any Bybit re-sends)
		// replaces the book, and so does u == 1 (a service restart). A
		// lost book is resubscribed: the stream sends its own snapshot.
		Book:         func(string) watch.BookSpec { return watch.BookSpec{Checker: orderbook.Sequence{Restart: 1}} },
		BookDepthsOf: x.bookDepths,
	}
}

// bookDepths are the partial-depth streams of symbol's market: orderbook.1
// on spot, linear and inverse; none on options, whose 25 and 100 streams
// both send deltas (every option book rides on Options.OptionBookDepth).
func (x *Exchange) bookDepths(symbol string) []int {
	if m, err := x.market(context.Background(), symbol); err == nil && m.Option {
		return nil
	}
	return []int{1}
}

// route is the category stream that carries topic k.
func (x *Exchange) route(k watch.Key) (engine.Route, error) {
	switch k.Kind {
	case watch.Book, watch.Trades, watch.Ticker, watch.BidsAsks, watch.OHLCV, watch.FundingRate:
	default:
		return engine.Route{}, errors.Newf(errors.NotSupported, "bybit streams no "+k.Kind.String()+" yet")
	}
	m, err := x.market(context.Background(), k.Symbol) // loaded: the engine checked the symbol
	if err != nil {
		return engine.Route{}, err
	}
	switch k.Kind {
	case watch.OHLCV:
		if _, _, err := interval(k.Param); err != nil {
			return engine.Route{}, err
		}
	case watch.FundingRate:
		if !m.Swap {
			return engine.Route{}, errors.Newf(errors.NotSupported, "bybit streams funding rates of perpetuals only, not "+k.Symbol)
		}
	}
	if m.Option && (k.Kind == watch.OHLCV || k.Kind == watch.BidsAsks) {
		return engine.Route{}, errors.Newf(errors.NotSupported, "bybit's option stream has no "+k.Kind.String()+" ("+k.Symbol+")")
	}
	return publicRoutes[categoryOf(m)], nil
}

// channel is the topic name of k: "orderbook.200.BTCUSDT",
// "publicTrade.BTCUSDT", "tickers.BTCUSDT", "kline.60.BTCUSDT". Best bids
// and asks ride on orderbook.1 (spot tickers carry no bid or ask), funding
// rates on the tickers. An option's book is
// orderbook.{OptionBookDepth}.{id}, and its trades come with those of
// every option of its base coin on publicTrade.{baseCoin}.
func (x *Exchange) channel(k watch.Key) string {
	id, option, base := k.Symbol, false, ""
	if m, err := x.market(context.Background(), k.Symbol); err == nil {
		id, option, base = m.ID, m.Option, m.BaseID
	}
	switch k.Kind {
	case watch.Book:
		depth := k.Param
		switch {
		case option:
			depth = strconv.Itoa(x.opts.OptionBookDepth)
		case depth == "":
			depth = strconv.Itoa(x.opts.BookDepth)
		}
		return "orderbook." + depth + "." + id
	case watch.BidsAsks:
		return "orderbook.1." + id
	case watch.Trades:
		if option {
			return "publicTrade." + base
		}
		return "publicTrade." + id
	case watch.OHLCV:
		name, _, _ := interval(k.Param)
		return "kline." + name + "." + id
	}
	return "tickers." + id // Ticker, FundingRate
}

// control sends a subscribe or unsubscribe (at most ten topics a request on
// spot) and waits for each reply; a refusal is a BadRequest carrying
// Bybit's ret_msg ("error:handler not found,topic:...").
func (x *Exchange) control(ctx context.Context, r engine.Route, s *stream.Session, op string, chs []string) error {
	for len(chs) > 0 {
		n := len(chs)
		if r.Name == CategorySpot {
			n = min(n, spotArgsPerRequest)
		}
		id := strconv.FormatInt(x.streams.reqID.Add(1), 10)
		payload, err := json.Marshal(struct {
			ReqID string   `json:"req_id"`
			Op    string   `json:"op"`
			Args  []string `json:"args"`
		}{id, op, chs[:n]})
		if err != nil {
			return err
		}
		req := stream.Request{ID: id, Payload: payload}
		if r.Name == CategoryOption {
			// The option stream's reply names the topics, not the req_id.
			req.ID, req.Match = "", commandReplyOf(chs[0])
		}
		resp, err := s.Request(ctx, req)
		if err != nil {
			return err
		}
		reply, err := parseControlReply(resp.Data)
		if err != nil {
			return errors.Wrap(errors.BadResponse, err, "bybit: "+op)
		}
		if !reply.Success || len(reply.Data.FailTopics) > 0 {
			msg := reply.RetMsg
			if len(reply.Data.FailTopics) > 0 {
				msg = strings.TrimSpace(msg + " failTopics " + strings.Join(reply.Data.FailTopics, ","))
			}
			return &errors.Error{Kind: errors.BadRequest, Exchange: ID, Message: op + " refused: " + msg}
		}
		chs = chs[n:]
	}
	return nil
}

// responseID finds the id of a control reply: "req_id" on the public and
// private streams, "reqId" on the trade stream. Data messages (with a
// "topic") carry none.
func responseID(m stream.Message) ([]byte, bool) {
	var s jsonscan.Scanner
	s.Reset(m.Data)
	var id []byte
	for obj := s.Object(); s.More(obj); {
		switch string(s.Key()) {
		case "topic":
			return nil, false
		case "req_id", "reqId":
			id = s.Str()
		}
	}
	return id, id != nil && s.Err() == nil
}

// answerPong swallows the replies to {"op":"ping"}: {"op":"pong",...} on
// the private, trade and option streams, {"op":"ping","ret_msg":"pong",...}
// on spot, linear and inverse.
func answerPong(m stream.Message) ([]byte, bool) {
	if m.Type == stream.Control || bytes.Contains(m.Data, []byte(`"topic"`)) {
		return nil, false
	}
	var s jsonscan.Scanner
	s.Reset(m.Data)
	var op, retMsg []byte
	for obj := s.Object(); s.More(obj); {
		switch string(s.Key()) {
		case "op":
			op = s.Str()
		case "ret_msg":
			retMsg = s.Str()
		}
	}
	if s.Err() != nil {
		return nil, false
	}
	return nil, string(op) == "pong" || (string(op) == "ping" && string(retMsg) == "pong")
}

// streamMarket returns the market of native id on the stream of category
// cat, rebuilding the index when the markets were reloaded.
func (x *Exchange) streamMarket(cat string, id []byte) *unified.Market {
	snap, err := x.Markets(context.Background()) // loaded before any subscription
	if err != nil {
		return nil
	}
	ids := x.streams.ids.Load()
	if ids == nil || ids.snap != snap {
		ids = &streamIDs{snap: snap, byID: map[string]map[string]*unified.Market{}}
		for _, m := range snap.Markets() {
			c := categoryOf(m)
			if ids.byID[c] == nil {
				ids.byID[c] = map[string]*unified.Market{}
			}
			ids.byID[c][m.ID] = m
		}
		x.streams.ids.Store(ids)
	}
	return ids.byID[cat][string(id)]
}

// envelopeFields are the top-level fields of a public message,
// {"topic","type","ts","data","cts"} in any order; data is a view into
// the message.
type envelopeFields struct {
	topic, typ []byte
	ts, cts    int64
	data       []byte
}

// scanEnvelope reads a message's top level.
func scanEnvelope(msg []byte) (envelopeFields, error) {
	var (
		s jsonscan.Scanner
		e envelopeFields
	)
	s.Reset(msg)
	for obj := s.Object(); s.More(obj); {
		switch string(s.Key()) {
		case "topic":
			e.topic = s.Str()
		case "type":
			e.typ = s.Str()
		case "ts":
			e.ts = s.Int()
		case "cts":
			e.cts = s.Int()
		case "data":
			e.data = s.Raw()
		}
	}
	if err := s.End(); err != nil {
		return e, errors.Wrap(errors.BadResponse, err, "bybit: malformed stream message")
	}
	return e, nil
}

// handle parses one public message and publishes it. Replies to
// subscriptions that came late carry no topic and are dropped.
func (x *Exchange) handle(r engine.Route, msg stream.Message, d *engine.Dispatch) error {
	e, err := scanEnvelope(msg.Data)
	if err != nil {
		return err
	}
	if e.topic == nil {
		return nil
	}
	name, id, _ := bytes.Cut(e.topic, []byte("."))
	var param []byte
	switch string(name) {
	case "orderbook", "kline": // orderbook.{depth}.{id}; ids may hold dots, depths do not
		param, id, _ = bytes.Cut(id, []byte("."))
	case "publicTrade":
		if r.Name == CategoryOption { // publicTrade.{baseCoin}: each trade names its option
			if e.data == nil {
				return errors.Newf(errors.BadResponse, "bybit: a message of "+string(e.topic)+" without data")
			}
			return x.handleOptionTrades(&e, d)
		}
	}
	m := x.streamMarket(r.Name, id)
	if m == nil {
		return errors.Newf(errors.BadResponse, "bybit: a message of an unknown market "+strconv.Quote(string(e.topic)))
	}
	if e.data == nil {
		return errors.Newf(errors.BadResponse, "bybit: a message of "+string(e.topic)+" without data")
	}
	switch string(name) {
	case "orderbook":
		return x.handleBook(m, string(param), &e, d)
	case "publicTrade":
		return x.handleTrades(m, &e, d)
	case "tickers":
		return x.handleTicker(r.Name, m, &e, d)
	case "kline":
		return x.handleKline(m, string(param), &e, d)
	}
	return errors.Newf(errors.BadResponse, "bybit: a message of an unknown topic "+strconv.Quote(string(e.topic)))
}

// handleBook applies an orderbook message: on orderbook.1 the top of the
// book (snapshots only) for the partial book and the best bid and ask;
// on the full depth a snapshot that replaces the book or a delta.
func (x *Exchange) handleBook(m *unified.Market, depth string, e *envelopeFields, d *engine.Dispatch) error {
	full := watch.Key{Kind: watch.Book, Symbol: m.Symbol}
	var s jsonscan.Scanner
	s.Reset(e.data)
	u, err := scanBook(&s, d.Changes())
	if err == nil {
		err = s.End()
	}
	u.Time = millis(cmp.Or(e.ts, e.cts))
	if depth == "1" {
		if err != nil {
			err = errors.Wrap(errors.BadResponse, err, "bybit: malformed orderbook.1 message")
			d.Fail(watch.Key{Kind: watch.Book, Symbol: m.Symbol, Param: "1"}, err)
			d.Fail(watch.Key{Kind: watch.BidsAsks, Symbol: m.Symbol}, err)
			return err
		}
		if d.Watched(watch.Key{Kind: watch.BidsAsks, Symbol: m.Symbol}) {
			d.BidsAsks(bidsAsks(m.Symbol, &u))
		}
		d.BookTop(m.Symbol, 1, u)
		return nil
	}
	want := x.opts.BookDepth
	if m.Option {
		want = x.opts.OptionBookDepth
	}
	if depth != strconv.Itoa(want) {
		return nil // a depth not subscribed (a stray message)
	}
	if err != nil {
		err = errors.Wrap(errors.BadResponse, err, "bybit: malformed orderbook message")
		d.Fail(full, err)
		return err
	}
	if string(e.typ) == "snapshot" {
		d.BookSnapshot(m.Symbol, u)
	} else {
		d.BookDelta(m.Symbol, u, nil)
	}
	return nil
}

// bidsAsks is the best bid and ask of a top-of-book update.
func bidsAsks(symbol string, u *orderbook.Update[orderbook.Change]) *unified.Ticker {
	t := &unified.Ticker{Symbol: symbol, Timestamp: u.Time}
	for _, c := range u.Changes {
		p, a := decimal.NewNullDecimal(c.Price.Decimal()), decimal.NewNullDecimal(c.Amount.Decimal())
		if c.Side == orderbook.Bid && !t.Bid.Valid {
			t.Bid, t.BidVolume = p, a
		}
		if c.Side == orderbook.Ask && !t.Ask.Valid {
			t.Ask, t.AskVolume = p, a
		}
	}
	return t
}

// scanBook reads an orderbook message's data, {"s","b","a","u","seq"},
// in place; the changes are appended to dst. A malformed number is a
// BadResponse; a malformed document is left to the scanner's End.
func scanBook(s *jsonscan.Scanner, dst []orderbook.Change) (orderbook.Update[orderbook.Change], error) {
	u := orderbook.Update[orderbook.Change]{Changes: dst}
	var err error
	for obj := s.Object(); s.More(obj) && err == nil; {
		switch string(s.Key()) {
		case "u":
			u.Last = s.Int()
		case "b":
			u.Changes, err = wirebook.ScanLevels(s, "bybit", orderbook.Bid, u.Changes)
		case "a":
			u.Changes, err = wirebook.ScanLevels(s, "bybit", orderbook.Ask, u.Changes)
		}
	}
	if err == nil && s.Err() == nil && u.Last <= 0 {
		err = errors.Newf(errors.BadResponse, "bybit: an orderbook message without u")
	}
	return u, err
}

// streamTrade is one publicTrade entry. Every key is declared, so that
// encoding/json's case-insensitive match never puts "S" into "s".
type streamTrade struct {
	Time   int64  `json:"T"`
	Symbol string `json:"s"`
	Side   string `json:"S"`
	Size   string `json:"v"`
	Price  string `json:"p"`
	Tick   string `json:"L"`
	ID     string `json:"i"`
	Block  bool   `json:"BT"`
	RPI    bool   `json:"RPI"`
	Seq    int64  `json:"seq"`
	// Options' trades: mark and index price, mark and trade iv.
	MarkPrice  string `json:"mP"`
	IndexPrice string `json:"iP"`
	MarkIV     string `json:"mIv"`
	IV         string `json:"iv"`
}

// handleTrades publishes a publicTrade message (up to 1024 trades).
func (x *Exchange) handleTrades(m *unified.Market, e *envelopeFields, d *engine.Dispatch) error {
	k := watch.Key{Kind: watch.Trades, Symbol: m.Symbol}
	if !d.Watched(k) {
		return nil
	}
	var list []streamTrade
	if err := json.Unmarshal(e.data, &list); err != nil {
		err = errors.Wrap(errors.BadResponse, err, "bybit: malformed publicTrade")
		d.Fail(k, err)
		return err
	}
	out := make([]unified.Trade, 0, len(list))
	for i := range list {
		r := &list[i]
		t, err := newTrade(m, r.ID, r.Price, r.Size, r.Side, r.Time)
		if err != nil {
			d.Fail(k, err)
			return err
		}
		if x.Config().KeepInfo {
			t.Info = *r
		}
		out = append(out, t)
	}
	d.Trades(m.Symbol, out...)
	return nil
}

// handleTicker publishes a tickers message: spot sends snapshots; linear
// and inverse a snapshot, then deltas of the changed fields, merged here
// into the last state. A delta before any snapshot is dropped.
func (x *Exchange) handleTicker(cat string, m *unified.Market, e *envelopeFields, d *engine.Dispatch) error {
	tk := watch.Key{Kind: watch.Ticker, Symbol: m.Symbol}
	fk := watch.Key{Kind: watch.FundingRate, Symbol: m.Symbol}
	var f tickerFields
	if err := json.Unmarshal(e.data, &f); err != nil {
		err = errors.Wrap(errors.BadResponse, err, "bybit: malformed tickers message")
		d.Fail(tk, err)
		d.Fail(fk, err)
		return err
	}
	f.normalize()
	if cat == CategoryLinear || cat == CategoryInverse {
		key := cat + "." + m.ID
		x.streams.mu.Lock()
		if x.streams.tickers == nil {
			x.streams.tickers = map[string]*tickerFields{}
		}
		last := x.streams.tickers[key]
		switch {
		case string(e.typ) == "snapshot":
			last = &f
			x.streams.tickers[key] = last
		case last == nil:
			x.streams.mu.Unlock()
			return nil
		default:
			merged := *last
			merged.merge(&f)
			last = &merged
			x.streams.tickers[key] = last
		}
		f = *last
		x.streams.mu.Unlock()
	}
	if d.Watched(tk) {
		t, err := x.ticker(m, &f, e.ts)
		if err != nil {
			d.Fail(tk, err)
			return err
		}
		d.Ticker(t)
	}
	if m.Swap && d.Watched(fk) {
		r, err := x.fundingRate(m, &f, e.ts)
		if err != nil {
			d.Fail(fk, err)
			return err
		}
		d.FundingRate(r)
	}
	return nil
}

// streamKline is one kline entry.
type streamKline struct {
	Start     int64  `json:"start"`
	End       int64  `json:"end"`
	Interval  string `json:"interval"`
	Open      string `json:"open"`
	Close     string `json:"close"`
	High      string `json:"high"`
	Low       string `json:"low"`
	Volume    string `json:"volume"`
	Turnover  string `json:"turnover"`
	Confirm   bool   `json:"confirm"`
	Timestamp int64  `json:"timestamp"`
}

// timeframes maps Bybit's kline intervals back to unified timeframes.
var timeframes = func() map[string]string {
	out := make(map[string]string, len(intervals))
	for tf, iv := range intervals {
		out[iv.name] = tf
	}
	return out
}()

// handleKline publishes a kline message.
func (x *Exchange) handleKline(m *unified.Market, iv string, e *envelopeFields, d *engine.Dispatch) error {
	tf, ok := timeframes[iv]
	if !ok {
		return errors.Newf(errors.BadResponse, "bybit: a kline of unknown interval "+strconv.Quote(iv))
	}
	k := watch.Key{Kind: watch.OHLCV, Symbol: m.Symbol, Param: tf}
	var list []streamKline
	if err := json.Unmarshal(e.data, &list); err != nil {
		err = errors.Wrap(errors.BadResponse, err, "bybit: malformed kline")
		d.Fail(k, err)
		return err
	}
	out := make([]unified.OHLCV, 0, len(list))
	for i := range list {
		c, err := candle(list[i].Start, list[i].Open, list[i].High, list[i].Low, list[i].Close, list[i].Volume)
		if err != nil {
			d.Fail(k, err)
			return err
		}
		out = append(out, c)
	}
	d.OHLCV(m.Symbol, tf, out...)
	return nil
}
