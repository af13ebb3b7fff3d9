package binance

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

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

// Market-data routes: USD-M serves books and book tickers on /public and
// the other streams on /market; spot and COIN-M serve all on one endpoint.
var (
	publicRoute = engine.Route{Name: "public"}
	marketRoute = engine.Route{Name: "market"}
)

// maxLifetime is how long the adapter keeps a connection: Binance cuts
// every connection at 24 hours, so the link replaces it a little before.
const maxLifetime = 24*time.Hour - 10*time.Minute

// Connection rules of the market streams (card §5, §8): at most 5 incoming
// messages a second on spot (10 on futures), pings and control frames
// included; the server pings and cuts a client that does not pong.
func (p *product) messagesPerSecond() float64 {
	if p.kind == spot {
		return 4 // a margin under 5 for the pongs
	}
	return 9
}

// streamSpec describes the market streams to the engine.
func (x *Exchange) streamSpec(base, wsapi string) *engine.Spec {
	return &engine.Spec{
		Route: func(k watch.Key) (engine.Route, error) {
			switch k.Kind {
			case watch.Book:
				return publicRoute, nil
			case watch.BidsAsks, watch.FundingRate:
				return x.tickersRoute(k)
			case watch.Trades, watch.Ticker, watch.OHLCV:
				if x.p.kind == usdm {
					return marketRoute, nil
				}
				return publicRoute, nil
			case watch.Orders, watch.MyTrades:
				return privateRoute, nil
			case watch.Positions:
				if x.p.kind != spot {
					return privateRoute, nil
				}
			case watch.Balance:
				return privateRoute, nil
			}
			return engine.Route{}, errors.Newf(errors.NotSupported, "binance streams no "+k.Kind.String()+" on this product yet")
		},
		Channel: x.channel,
		Link: func(r engine.Route) stream.Config {
			switch r {
			case privateRoute:
				return x.userDataLink(base, wsapi)
			case wsAPIRoute:
				return stream.Config{
					Dial:       func(context.Context) (stream.Target, error) { return stream.Target{URL: wsapi}, nil },
					Keepalive:  stream.Keepalive{Timeout: 3 * x.opts.ServerPing},
					ResponseID: responseID,
				}
			}
			url := base + x.p.streamPath(r.Name)
			return stream.Config{
				Dial: func(context.Context) (stream.Target, error) { return stream.Target{URL: url}, nil },
				// The server pings (spot every 20 s, futures every 3 min) and
				// the transport answers; a silence of three pings is a dead link.
				Keepalive:         stream.Keepalive{Timeout: 3 * x.opts.ServerPing},
				MaxLifetime:       maxLifetime,
				MessagesPerSecond: x.p.messagesPerSecond(),
				MessageBurst:      1,
				ResponseID:        responseID,
			}
		},
		MaxChannelsPerLink: x.opts.StreamsPerConnection,
		Subscribe: func(ctx context.Context, r engine.Route, s *stream.Session, chs []string) error {
			if r.Private {
				return nil // the account's events all come once logged in
			}
			return x.control(ctx, s, "SUBSCRIBE", chs)
		},
		Unsubscribe: func(ctx context.Context, r engine.Route, s *stream.Session, chs []string) error {
			if r.Private {
				return nil
			}
			return x.control(ctx, s, "UNSUBSCRIBE", chs)
		},
		Login:           x.userDataLogin,
		Renew:           x.renewListenKey,
		RenewEvery:      listenKeyRenewal,
		Reconcile:       x.reconcile,
		Refresh:         x.refresh,
		Handle:          x.handle,
		Book:            func(string) watch.BookSpec { return watch.BookSpec{Checker: x.p.book, Buffer: 1000} },
		BookDepths:      bookDepths,
		BookVerifyEvery: x.opts.VerifyBookEvery,
		BookSnapshot:    x.bookSnapshot,
	}
}

// channel is the stream name of topic k: the lowercase market id, "@",
// the stream ("btcusdt@depth@100ms", "btcusd_perp@kline_1m").
func (x *Exchange) channel(k watch.Key) string {
	switch k.Kind {
	case watch.Orders, watch.MyTrades, watch.Balance, watch.Positions:
		return "account" // one stream of every account event
	}
	id := k.Symbol
	if snap, err := x.Markets(context.Background()); err == nil { // loaded: the engine checked the symbol
		if m, err := snap.Market(k.Symbol); err == nil {
			id = m.ID
		}
	}
	name := strings.ToLower(id) + "@"
	switch k.Kind {
	case watch.Book:
		name += "depth" + k.Param // depth5: the partial-depth stream of 5 levels
		if x.opts.DepthInterval != "slow" {
			name += "@" + x.opts.DepthInterval
		}
	case watch.Ticker:
		name += "ticker"
	case watch.BidsAsks, watch.FundingRate:
		name += tickersStream(k.Kind)
	case watch.OHLCV:
		name += "kline_" + k.Param
	default:
		name += x.p.tradeStream
	}
	return name
}

// control sends a SUBSCRIBE or UNSUBSCRIBE and waits for {"result":null,"id":n};
// a refusal is a BadRequest.
func (x *Exchange) control(ctx context.Context, s *stream.Session, method string, chs []string) error {
	n := x.reqID.Add(1)
	payload, err := json.Marshal(struct {
		Method string   `json:"method"`
		Params []string `json:"params"`
		ID     int64    `json:"id"`
	}{method, chs, n})
	if err != nil {
		return err
	}
	resp, err := s.Request(ctx, stream.Request{ID: strconv.FormatInt(n, 10), Payload: payload})
	if err != nil {
		return err
	}
	// A refusal comes as {"error":{"code":2,"msg":...},"id":n} on the wire,
	// and as {"code":2,"msg":...,"id":n} in the documents' table.
	type refusal struct {
		Code *int   `json:"code"`
		Msg  string `json:"msg"`
	}
	var reply struct {
		Result json.RawMessage `json:"result"`
		Error  *refusal        `json:"error"`
		refusal
	}
	if err := json.Unmarshal(resp.Data, &reply); err != nil {
		return errors.Wrap(errors.BadResponse, err, "malformed "+method+" reply")
	}
	if reply.Error != nil {
		reply.refusal = *reply.Error
	}
	if reply.Code != nil {
		return &errors.Error{Kind: errors.BadRequest, Exchange: x.p.id, Code: strconv.Itoa(*reply.Code), Message: reply.Msg}
	}
	return nil
}

// responseID finds a control reply's id: {"result":...,"id":n} or an error
// {"code":..,"msg":..,"id":n}. Stream payloads carry no top-level id.
func responseID(m stream.Message) ([]byte, bool) {
	if bytes.HasPrefix(m.Data, []byte(`{"stream"`)) {
		return nil, false
	}
	i := bytes.LastIndex(m.Data, []byte(`"id":`))
	if i < 0 {
		return nil, false
	}
	rest := m.Data[i+len(`"id":`):]
	end := bytes.IndexAny(rest, ",}")
	if end <= 0 {
		return nil, false
	}
	return bytes.Trim(rest[:end], ` "`), true
}

// handle parses one combined-stream message, {"stream":...,"data":{...}}.
// Book deltas, the hot path, are read in place by a zero-allocation
// scanner straight into the book update (one allocation: its changes);
// the other events go through encoding/json.
func (x *Exchange) handle(r engine.Route, m stream.Message, d *engine.Dispatch) error {
	if r.Private {
		return x.handleUserData(m, d)
	}
	var (
		s     jsonscan.Scanner
		name  []byte // a view into m.Data
		data  []byte // the event, when it is not a book delta read in place
		delta orderbook.Update[orderbook.Change]
		read  bool // delta holds the event
		t     topic
		err   error
	)
	s.Reset(m.Data)
	for obj := s.Object(); s.More(obj); {
		switch string(s.Key()) {
		case "stream":
			name = s.Str()
		case "data":
			if name != nil && t.market == nil {
				if t, err = x.topicOfStream(name); err != nil {
					return err
				}
				if t.key.Kind == watch.Book {
					if delta, err = scanDepth(&s, d.Changes()); err != nil {
						d.Fail(t.key, err)
						return err
					}
					read = true
					continue
				}
			}
			data = s.Raw()
		}
	}
	if err := s.End(); err != nil {
		err = errors.Wrap(errors.BadResponse, err, "malformed stream message")
		if t.market != nil {
			d.Fail(t.key, err)
		}
		return err
	}
	if name == nil {
		return nil // a control reply the link did not take (it came late)
	}
	if t.market == nil { // "data" came before "stream"
		if t, err = x.topicOfStream(name); err != nil {
			return err
		}
	}
	if read {
		t.publishBook(delta, d)
		return nil
	}
	if err := x.dispatch(t.key, t.market, data, d); err != nil {
		d.Fail(t.key, err)
		return err
	}
	return nil
}

// topic is what a stream name stands for.
type topic struct {
	key    watch.Key
	market *unified.Market
	depth  int // the levels of a partial-depth stream; 0 for the diff stream
}

// publishBook publishes a depth event of t: a partial-depth stream's top of
// the book, or a diff stream's delta.
func (t *topic) publishBook(u orderbook.Update[orderbook.Change], d *engine.Dispatch) {
	if t.depth > 0 {
		d.BookTop(t.market.Symbol, t.depth, u)
		return
	}
	d.BookDelta(t.market.Symbol, u, nil)
}

// topicOfStream resolves a stream name ("btcusdt@depth@100ms") to its
// topic, without allocating for the hot kinds.
func (x *Exchange) topicOfStream(name []byte) (topic, error) {
	id, rest, ok := bytes.Cut(name, []byte("@"))
	if !ok {
		return topic{}, errors.Newf(errors.BadResponse, "a message of an unknown stream "+strconv.Quote(string(name)))
	}
	m := x.streamMarket(id)
	if m == nil {
		return topic{}, errors.Newf(errors.BadResponse, "a message of an unknown market "+strconv.Quote(string(id)))
	}
	t := topic{market: m, key: watch.Key{Symbol: m.Symbol}}
	switch {
	case bytes.HasPrefix(rest, []byte("depth")):
		t.key.Kind = watch.Book
		levels, _, _ := bytes.Cut(rest[len("depth"):], []byte("@"))
		if len(levels) > 0 {
			depth, ok := partialDepths[string(levels)]
			if !ok {
				return topic{}, errors.Newf(errors.BadResponse, "a message of an unknown stream "+strconv.Quote(string(name)))
			}
			t.depth, t.key.Param = depth, string(levels)
		}
	case string(rest) == "trade" || string(rest) == "aggTrade":
		t.key.Kind = watch.Trades
	case string(rest) == "ticker":
		t.key.Kind = watch.Ticker
	case bytes.HasPrefix(rest, []byte("kline_")):
		t.key.Kind, t.key.Param = watch.OHLCV, string(rest[len("kline_"):])
	case tickersKind(rest) != 0:
		t.key.Kind = tickersKind(rest)
	default:
		return topic{}, errors.Newf(errors.BadResponse, "a message of an unknown stream "+strconv.Quote(string(name)))
	}
	return t, nil
}

// streamIDs maps the lowercase ids of stream names to the markets of one
// loaded snapshot.
type streamIDs struct {
	snap *markets.Snapshot
	byID map[string]*unified.Market
}

// streamMarket returns the market whose lowercase id is id, rebuilding the
// map when the markets were reloaded. Each of the three adapters loads its
// own product's markets, so an id names one market.
func (x *Exchange) streamMarket(id []byte) *unified.Market {
	snap, err := x.Markets(context.Background()) // loaded before any subscription
	if err != nil {
		return nil
	}
	ids := x.streamIDs.Load()
	if ids == nil || ids.snap != snap {
		ids = &streamIDs{snap: snap, byID: map[string]*unified.Market{}}
		for _, symbol := range snap.Symbols() {
			if m, err := snap.Market(symbol); err == nil {
				ids.byID[strings.ToLower(m.ID)] = m
			}
		}
		x.streamIDs.Store(ids)
	}
	return ids.byID[string(id)]
}

// partialDepths are the levels of Binance's partial-depth streams
// (<symbol>@depth<levels>), by the name's digits.
var partialDepths = map[string]int{"5": 5, "10": 10, "20": 20}

// bookDepths lists partialDepths ascending, for the engine.
var bookDepths = []int{5, 10, 20}

// scanDepth reads a depth event in place: a depthUpdate (diff streams, and
// the partial-depth streams of futures) or a spot partial-depth message
// {"lastUpdateId","bids","asks"}. A malformed number is a BadResponse; a
// malformed document is left to the scanner's End. The changes are
// appended to dst.
func scanDepth(s *jsonscan.Scanner, dst []orderbook.Change) (orderbook.Update[orderbook.Change], error) {
	u := orderbook.Update[orderbook.Change]{Changes: dst}
	var err error
	for obj := s.Object(); s.More(obj) && err == nil; {
		switch string(s.Key()) {
		case "E":
			u.Time = millis(s.Int())
		case "U":
			u.First = s.Int()
		case "u", "lastUpdateId":
			u.Last = s.Int()
		case "pu":
			u.Prev = s.Int()
		case "b", "bids":
			u.Changes, err = wirebook.ScanLevels(s, "binance", orderbook.Bid, u.Changes)
		case "a", "asks":
			u.Changes, err = wirebook.ScanLevels(s, "binance", orderbook.Ask, u.Changes)
		}
	}
	return u, err
}

// The stream events. encoding/json matches keys case-insensitively when a
// struct has no exact match, and Binance names fields by case ("e"/"E",
// "l"/"L", "q"/"Q"): every key an event carries is declared, so that each
// lands in its own field.

// streamTrade is a trade (spot) or aggTrade (futures) event.
type streamTrade struct {
	Event      string `json:"e"`
	EventTime  int64  `json:"E"`
	Symbol     string `json:"s"`
	TradeID    int64  `json:"t"`
	AggID      int64  `json:"a"`
	FirstID    int64  `json:"f"`
	LastID     int64  `json:"l"`
	Price      string `json:"p"`
	Qty        string `json:"q"`
	TradeTime  int64  `json:"T"`
	BuyerMaker bool   `json:"m"`
	Ignore     bool   `json:"M"`
}

// streamTicker is a 24hrTicker event.
type streamTicker struct {
	Event       string `json:"e"`
	EventTime   int64  `json:"E"`
	Symbol      string `json:"s"`
	Change      string `json:"p"`
	Percent     string `json:"P"`
	VWAP        string `json:"w"`
	PrevClose   string `json:"x"`
	Last        string `json:"c"`
	LastQty     string `json:"Q"`
	Bid         string `json:"b"`
	BidQty      string `json:"B"`
	Ask         string `json:"a"`
	AskQty      string `json:"A"`
	Open        string `json:"o"`
	High        string `json:"h"`
	Low         string `json:"l"`
	Volume      string `json:"v"`
	QuoteVolume string `json:"q"`
	OpenTime    int64  `json:"O"`
	CloseTime   int64  `json:"C"`
	FirstID     int64  `json:"F"`
	LastID      int64  `json:"L"`
	Count       int64  `json:"n"`
}

// streamKline is a kline event.
type streamKline struct {
	Event     string `json:"e"`
	EventTime int64  `json:"E"`
	Symbol    string `json:"s"`
	K         struct {
		Start            int64  `json:"t"`
		End              int64  `json:"T"`
		Symbol           string `json:"s"`
		Interval         string `json:"i"`
		FirstID          int64  `json:"f"`
		LastID           int64  `json:"L"`
		Open             string `json:"o"`
		Close            string `json:"c"`
		High             string `json:"h"`
		Low              string `json:"l"`
		Volume           string `json:"v"`
		Count            int64  `json:"n"`
		Closed           bool   `json:"x"`
		QuoteVolume      string `json:"q"`
		TakerBuyVolume   string `json:"V"`
		TakerBuyQuoteVol string `json:"Q"`
		Ignore           string `json:"B"`
	} `json:"k"`
}

// dispatch parses the data of topic k and publishes it.
func (x *Exchange) dispatch(k watch.Key, m *unified.Market, data json.RawMessage, d *engine.Dispatch) error {
	switch k.Kind {
	case watch.BidsAsks, watch.FundingRate:
		return x.dispatchTickers(k, m, data, d)
	case watch.Book: // "data" came before "stream": scan it now
		var s jsonscan.Scanner
		s.Reset(data)
		u, err := scanDepth(&s, d.Changes())
		if err == nil {
			err = s.End()
		}
		if err != nil {
			return errors.Wrap(errors.BadResponse, err, "malformed depth event")
		}
		t := topic{key: k, market: m, depth: partialDepths[k.Param]}
		t.publishBook(u, d)
	case watch.Trades:
		var ev streamTrade
		if err := json.Unmarshal(data, &ev); err != nil {
			return errors.Wrap(errors.BadResponse, err, "malformed trade")
		}
		id := ev.TradeID
		if ev.Event == "aggTrade" {
			id = ev.AggID
		}
		t, err := newTrade(m, strconv.FormatInt(id, 10), ev.Price, ev.Qty, ev.TradeTime, ev.BuyerMaker)
		if err != nil {
			return err
		}
		d.Trades(m.Symbol, t)
	case watch.Ticker:
		var ev streamTicker
		if err := json.Unmarshal(data, &ev); err != nil {
			return errors.Wrap(errors.BadResponse, err, "malformed 24hrTicker")
		}
		t, err := x.ticker(m, &restTicker{PriceChange: ev.Change, PriceChangePercent: ev.Percent, WeightedAvgPrice: ev.VWAP,
			PrevClosePrice: ev.PrevClose, LastPrice: ev.Last, BidPrice: ev.Bid, BidQty: ev.BidQty, AskPrice: ev.Ask, AskQty: ev.AskQty,
			OpenPrice: ev.Open, HighPrice: ev.High, LowPrice: ev.Low, Volume: ev.Volume, QuoteVolume: ev.QuoteVolume,
			BaseVolume: ev.QuoteVolume, CloseTime: flexInt(cmp.Or(ev.CloseTime, ev.EventTime))})
		if err != nil {
			return err
		}
		d.Ticker(t)
	case watch.OHLCV:
		var ev streamKline
		if err := json.Unmarshal(data, &ev); err != nil {
			return errors.Wrap(errors.BadResponse, err, "malformed kline")
		}
		volume := ev.K.Volume
		if x.p.kind == coinm {
			volume = ev.K.QuoteVolume // on COIN-M "q" is the base-currency volume
		}
		var ds decimals
		c := unified.OHLCV{Timestamp: millis(ev.K.Start), Open: ds.parse(ev.K.Open).Decimal, High: ds.parse(ev.K.High).Decimal,
			Low: ds.parse(ev.K.Low).Decimal, Close: ds.parse(ev.K.Close).Decimal, Volume: ds.parse(volume).Decimal}
		if ds.err != nil {
			return ds.err
		}
		d.OHLCV(m.Symbol, k.Param, c)
	}
	return nil
}
