package okx

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"strings"

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

// The market-data routes: candles live on /business since OKX's 2023 URL
// split (on /public they are refused with 64001); the rest on /public.
var (
	publicRoute   = engine.Route{Name: "public"}
	businessRoute = engine.Route{Name: "business"}
)

// maxChannelsPerLink follows OKX's advice for connections carrying book
// channels: fewer than 30 subscriptions each.
const maxChannelsPerLink = 29

// The public channels.
const (
	chBooks   = "books"   // 400 levels: updates chained by prevSeqId
	chBooks5  = "books5"  // the top 5 levels, a snapshot each push
	chBBO     = "bbo-tbt" // the best bid and ask, a snapshot each push
	chTrades  = "trades"
	chTickers = "tickers"
	chFunding = "funding-rate"
	chCandle  = "candle" // + bar: "candle1m", "candle1Dutc"
)

// bookDepths are the partial books' depths (engine.Spec.BookDepths): a
// book watched with limit 1 rides on bbo-tbt, up to 5 on books5.
var bookDepths = []int{1, 5}

// streamSpec describes the public streams to the engine.
func (x *Exchange) streamSpec() *engine.Spec {
	snapshot := x.bookSnapshot
	if x.opts.StreamBookSnapshot {
		snapshot = nil
	}
	return &engine.Spec{
		Route: func(k watch.Key) (engine.Route, error) {
			switch k.Kind {
			case watch.Book, watch.Trades, watch.Ticker, watch.BidsAsks, watch.FundingRate:
				return publicRoute, nil
			case watch.OHLCV:
				if _, _, err := barOf(k.Param); err != nil {
					return engine.Route{}, err
				}
				return businessRoute, nil
			case watch.Orders, watch.MyTrades, watch.Balance, watch.Positions:
				if k.Param == algoTopic || k.Param == advanceTopic {
					return algoRoute, nil // userdata.go
				}
				return privateRoute, nil // userdata.go
			}
			return engine.Route{}, errors.Newf(errors.NotSupported, "okx streams no "+k.Kind.String()+" yet")
		},
		Channel:    x.channel,
		Companions: algoCompanion, // userdata.go
		Link: func(r engine.Route) stream.Config {
			if r.Private {
				return x.privateLink(r) // userdata.go
			}
			url := x.urls.public
			if r == businessRoute {
				url = x.urls.business
			}
			return stream.Config{
				Dial: func(context.Context) (stream.Target, error) { return stream.Target{URL: url}, nil },
				// OKX cuts a connection after 30 s without data and sends no
				// pings: the client sends the text "ping" and gets "pong".
				Keepalive:  stream.Keepalive{Interval: x.opts.PingEvery, Ping: textPing, Answer: swallowPong},
				ResponseID: responseID,
			}
		},
		MaxChannelsPerLink: maxChannelsPerLink,
		Subscribe: func(ctx context.Context, r engine.Route, s *stream.Session, chs []string) error {
			if r.Private {
				return x.subscribePrivate(ctx, s, "subscribe", chs)
			}
			return x.control(ctx, s, "subscribe", chs)
		},
		Unsubscribe: func(ctx context.Context, r engine.Route, s *stream.Session, chs []string) error {
			if r.Private {
				return x.subscribePrivate(ctx, s, "unsubscribe", chs)
			}
			return x.control(ctx, s, "unsubscribe", chs)
		},
		Login:        x.login,     // userdata.go
		Reconcile:    x.reconcile, // userdata.go
		Handle:       x.handle,
		Book:         func(string) watch.BookSpec { return watch.BookSpec{Checker: orderbook.PrevSeqID{}, Buffer: 1000} },
		BookDepths:   bookDepths,
		BookSnapshot: snapshot,
	}
}

func textPing() []byte { return []byte("ping") }

// swallowPong drops the text "pong" that answers a ping.
func swallowPong(m stream.Message) ([]byte, bool) {
	return nil, bytes.Equal(bytes.TrimSpace(m.Data), []byte("pong"))
}

// channel names topic k's subscription "<channel>:<instId>".
func (x *Exchange) channel(k watch.Key) string {
	if ch, ok := privateChannel(k); ok {
		return ch // userdata.go
	}
	id := k.Symbol
	if snap, err := x.Markets(context.Background()); err == nil { // loaded: the engine checked the symbol
		if m, err := snap.Market(k.Symbol); err == nil {
			id = m.ID
		}
	}
	var ch string
	switch k.Kind {
	case watch.Book:
		switch k.Param {
		case "1":
			ch = chBBO
		case "5":
			ch = chBooks5
		default:
			ch = chBooks
		}
	case watch.BidsAsks:
		ch = chBBO
	case watch.Trades:
		ch = chTrades
	case watch.Ticker:
		ch = chTickers
	case watch.FundingRate:
		ch = chFunding
	case watch.OHLCV:
		bar, _, _ := barOf(k.Param)
		ch = chCandle + bar
	}
	return ch + ":" + id
}

// arg is a subscription argument.
type arg struct {
	Channel string `json:"channel"`
	InstID  string `json:"instId,omitempty"`
}

// control subscribes or unsubscribes channels, one request each, waiting
// for each acknowledgement; a refusal ({"event":"error","code":...}) is a
// BadRequest (60018 and 64001: the channel is on another URL).
func (x *Exchange) control(ctx context.Context, s *stream.Session, op string, chs []string) error {
	for _, ch := range chs {
		name, id, _ := strings.Cut(ch, ":")
		n := strconv.FormatInt(x.reqID.Add(1), 10)
		payload, err := json.Marshal(struct {
			ID   string `json:"id"`
			Op   string `json:"op"`
			Args []arg  `json:"args"`
		}{n, op, []arg{{name, id}}})
		if err != nil {
			return err
		}
		resp, err := s.Request(ctx, stream.Request{ID: n, Payload: payload})
		if err != nil {
			return err
		}
		var ev event
		if err := json.Unmarshal(resp.Data, &ev); err != nil {
			return errors.Wrap(errors.BadResponse, err, "okx: malformed "+op+" reply")
		}
		if ev.Event == "error" {
			return &errors.Error{Kind: errors.BadRequest, Exchange: ID, Code: ev.Code, Message: ev.Msg + " (" + op + " " + ch + ")"}
		}
	}
	return nil
}

// event is a control message: an acknowledgement, a refusal or a notice.
type event struct {
	ID     string `json:"id"`
	Event  string `json:"event"`
	Code   string `json:"code"`
	Msg    string `json:"msg"`
	ConnID string `json:"connId"`
}

// responseID finds a control reply's id: {"id":"n","event":...}. Pushes
// ({"arg":...,"data":...}) carry none.
func responseID(m stream.Message) ([]byte, bool) {
	if !bytes.Contains(m.Data, []byte(`"event":`)) {
		return nil, false
	}
	i := bytes.Index(m.Data, []byte(`"id":"`))
	if i < 0 {
		return nil, false
	}
	rest := m.Data[i+len(`"id":"`):]
	end := bytes.IndexByte(rest, '"')
	if end < 0 {
		return nil, false
	}
	return rest[:end], true
}

// push is a message's arg and action, and where its data is.
type push struct {
	channel, instID []byte
	action          []byte
	data            []byte // the raw data array, when not read in place
	read            bool   // a book was read in place into u
	u               orderbook.Update[orderbook.Change]
	checksum        int64
	event           []byte // a control message's event
}

// handle parses one message: a push {"arg":{"channel","instId"},
// "action","data":[...]}, or a control event. Book pushes are read in
// place into the book update; the rest go through encoding/json.
func (x *Exchange) handle(r engine.Route, m stream.Message, d *engine.Dispatch) error {
	if r.Private {
		return x.handlePrivate(m, d) // userdata.go
	}
	var (
		s jsonscan.Scanner
		p push
	)
	s.Reset(m.Data)
	for obj := s.Object(); s.More(obj); {
		switch string(s.Key()) {
		case "arg":
			for a := s.Object(); s.More(a); {
				switch string(s.Key()) {
				case "channel":
					p.channel = s.Str()
				case "instId":
					p.instID = s.Str()
				}
			}
		case "action":
			p.action = s.Str()
		case "event":
			p.event = s.Str()
		case "data":
			if isBookChannel(p.channel) && p.instID != nil {
				p.read = true
				if err := scanBook(&s, d.Changes(), &p); err != nil {
					return x.fail(d, &p, err)
				}
				continue
			}
			p.data = s.Raw()
		}
	}
	if err := s.End(); err != nil {
		return x.fail(d, &p, errors.Wrap(errors.BadResponse, err, "okx: malformed message"))
	}
	if p.event != nil {
		return x.handleEvent(m.Data, d)
	}
	if p.channel == nil {
		return errors.Newf(errors.BadResponse, "okx: a message that is neither a push nor an event")
	}
	mk := x.streamMarket(p.instID)
	if mk == nil {
		return errors.Newf(errors.BadResponse, "okx: a push of an unknown instrument "+strconv.Quote(string(p.instID)))
	}
	if !p.read && isBookChannel(p.channel) && p.data != nil { // "data" came before "arg"
		var ds jsonscan.Scanner
		ds.Reset(p.data)
		if err := scanBook(&ds, d.Changes(), &p); err != nil {
			return x.fail(d, &p, err)
		}
		if err := ds.End(); err != nil {
			return x.fail(d, &p, errors.Wrap(errors.BadResponse, err, "okx: malformed book"))
		}
		p.read = true
	}
	if p.read {
		x.publishBook(mk, &p, d)
		return nil
	}
	if err := x.dispatch(mk, string(p.channel), p.data, d); err != nil {
		d.Fail(keyOf(mk, string(p.channel)), err)
		return err
	}
	return nil
}

// fail reports err to the readers of p's topic when it is known.
func (x *Exchange) fail(d *engine.Dispatch, p *push, err error) error {
	if p.channel != nil && p.instID != nil {
		if mk := x.streamMarket(p.instID); mk != nil {
			d.Fail(keyOf(mk, string(p.channel)), err)
		}
	}
	return err
}

// keyOf is the topic of a channel's pushes for market m.
func keyOf(m *unified.Market, channel string) watch.Key {
	k := watch.Key{Symbol: m.Symbol}
	switch {
	case channel == chBooks:
		k.Kind = watch.Book
	case channel == chBooks5:
		k.Kind, k.Param = watch.Book, "5"
	case channel == chBBO:
		k.Kind = watch.BidsAsks
	case channel == chTrades:
		k.Kind = watch.Trades
	case channel == chTickers:
		k.Kind = watch.Ticker
	case channel == chFunding:
		k.Kind = watch.FundingRate
	case strings.HasPrefix(channel, chCandle):
		k.Kind, k.Param = watch.OHLCV, timeframeOf(channel[len(chCandle):])
	}
	return k
}

// timeframeOf is the unified timeframe of an OKX bar.
func timeframeOf(bar string) string {
	for tf, b := range bars {
		if b == bar {
			return tf
		}
	}
	return bar
}

func isBookChannel(ch []byte) bool {
	return string(ch) == chBooks || string(ch) == chBooks5
}

// handleEvent acts on a control message that no request was waiting for:
// the 64008 notice (a service upgrade will close the connection) makes
// the link reconnect now; a late refusal is returned for the log.
func (x *Exchange) handleEvent(data []byte, d *engine.Dispatch) error {
	var ev event
	if err := json.Unmarshal(data, &ev); err != nil {
		return errors.Wrap(errors.BadResponse, err, "okx: malformed event")
	}
	switch ev.Event {
	case "notice":
		d.Reconnect(&errors.Error{Kind: errors.NetworkError, Exchange: ID, Code: ev.Code, Message: ev.Msg})
	case "error":
		return &errors.Error{Kind: errors.BadRequest, Exchange: ID, Code: ev.Code, Message: ev.Msg}
	}
	return nil
}

// publishBook publishes a book push read into p.u.
func (x *Exchange) publishBook(m *unified.Market, p *push, d *engine.Dispatch) {
	switch {
	case string(p.channel) == chBooks5:
		d.BookTop(m.Symbol, 5, p.u)
	case string(p.action) == "snapshot":
		d.BookSnapshot(m.Symbol, p.u)
	default:
		var cs *engine.Checksum
		if p.checksum != 0 { // OKX sends 0 since June 2026: nothing to verify
			cs = &engine.Checksum{Spec: orderbook.Interleaved25, Expected: p.checksum}
		}
		d.BookDelta(m.Symbol, p.u, cs)
	}
}

// scanBook reads [{"asks","bids","ts","checksum","seqId",
// "prevSeqId"}]: levels are [px, sz, "0", orders], numbers kept as sent
// (the checksum is over the wire text).
func scanBook(s *jsonscan.Scanner, dst []orderbook.Change, p *push) error {
	p.u = orderbook.Update[orderbook.Change]{Changes: dst}
	var err error
	n := 0
	for items := s.Array(); s.More(items) && err == nil; n++ {
		if n > 0 {
			return errors.Newf(errors.BadResponse, "okx: a book push with more than one book")
		}
		for obj := s.Object(); s.More(obj) && err == nil; {
			switch string(s.Key()) {
			case "asks":
				p.u.Changes, err = wirebook.ScanLevels(s, "okx", orderbook.Ask, p.u.Changes)
			case "bids":
				p.u.Changes, err = wirebook.ScanLevels(s, "okx", orderbook.Bid, p.u.Changes)
			case "ts":
				ms, perr := strconv.ParseInt(string(s.Str()), 10, 64)
				if perr != nil {
					err = errors.Newf(errors.BadResponse, "okx: a book push with a malformed ts")
				}
				p.u.Time = millis(ms)
			case "checksum":
				p.checksum = s.Int()
			case "seqId":
				p.u.Last = s.Int()
			case "prevSeqId":
				p.u.Prev = s.Int()
			}
		}
	}
	if err == nil && n == 0 && s.Err() == nil {
		err = errors.Newf(errors.BadResponse, "okx: a book push without a book")
	}
	return err
}

// bboPush is bbo-tbt's item.
type bboPush struct {
	Asks  [][]string `json:"asks"`
	Bids  [][]string `json:"bids"`
	TS    string     `json:"ts"`
	SeqID int64      `json:"seqId"`
}

// dispatch parses the data of a push that is not read in place.
func (x *Exchange) dispatch(m *unified.Market, channel string, data []byte, d *engine.Dispatch) error {
	switch {
	case channel == chBBO:
		var items []bboPush
		if err := json.Unmarshal(data, &items); err != nil {
			return errors.Wrap(errors.BadResponse, err, "okx: malformed bbo-tbt")
		}
		for i := range items {
			if err := x.publishBBO(m, &items[i], d); err != nil {
				return err
			}
		}
	case channel == chTrades:
		var items []restTrade
		if err := json.Unmarshal(data, &items); err != nil {
			return errors.Wrap(errors.BadResponse, err, "okx: malformed trades")
		}
		ts := make([]unified.Trade, 0, len(items))
		for i := range items {
			t, err := items[i].trade(m)
			if err != nil {
				return err
			}
			ts = append(ts, t)
		}
		d.Trades(m.Symbol, ts...)
	case channel == chTickers:
		var items []restTicker
		if err := json.Unmarshal(data, &items); err != nil {
			return errors.Wrap(errors.BadResponse, err, "okx: malformed tickers")
		}
		for i := range items {
			t, err := x.ticker(m, &items[i])
			if err != nil {
				return err
			}
			d.Ticker(t)
		}
	case channel == chFunding:
		var items []restFunding
		if err := json.Unmarshal(data, &items); err != nil {
			return errors.Wrap(errors.BadResponse, err, "okx: malformed funding-rate")
		}
		for i := range items {
			f, err := items[i].funding(m)
			if err != nil {
				return err
			}
			d.FundingRate(f)
		}
	case strings.HasPrefix(channel, chCandle):
		var rows [][]string
		if err := json.Unmarshal(data, &rows); err != nil {
			return errors.Wrap(errors.BadResponse, err, "okx: malformed candles")
		}
		cs, err := parseCandles(rows, m.Contract)
		if err != nil {
			return err
		}
		d.OHLCV(m.Symbol, timeframeOf(channel[len(chCandle):]), cs...)
	default:
		return errors.Newf(errors.BadResponse, "okx: a push of an unknown channel "+strconv.Quote(channel))
	}
	return nil
}

// publishBBO publishes a bbo-tbt push: the best bid and ask (WatchBidsAsks)
// and the book of depth 1 (WatchOrderBook with limit 1).
func (x *Exchange) publishBBO(m *unified.Market, b *bboPush, d *engine.Dispatch) error {
	ts, err := parseMillis(b.TS)
	if err != nil {
		return err
	}
	if d.Watched(watch.Key{Kind: watch.BidsAsks, Symbol: m.Symbol}) {
		var ds decimals
		t := &unified.Ticker{Symbol: m.Symbol, Timestamp: ts}
		if len(b.Bids) > 0 && len(b.Bids[0]) >= 2 {
			t.Bid, t.BidVolume = ds.parse(b.Bids[0][0]), ds.parse(b.Bids[0][1])
		}
		if len(b.Asks) > 0 && len(b.Asks[0]) >= 2 {
			t.Ask, t.AskVolume = ds.parse(b.Asks[0][0]), ds.parse(b.Asks[0][1])
		}
		if ds.err != nil {
			return ds.err
		}
		d.BidsAsks(t)
	}
	u := orderbook.Update[orderbook.Change]{IDs: orderbook.IDs{Last: b.SeqID}, Time: ts, Changes: d.Changes()}
	if u.Changes, err = appendLevels(u.Changes, orderbook.Bid, b.Bids); err != nil {
		return err
	}
	if u.Changes, err = appendLevels(u.Changes, orderbook.Ask, b.Asks); err != nil {
		return err
	}
	d.BookTop(m.Symbol, 1, u)
	return nil
}

// streamIDs maps instIds to the markets of one loaded snapshot.
type streamIDs struct {
	snap *markets.Snapshot
	byID map[string]*unified.Market
}

// streamMarket returns the market of instId id, rebuilding the map when
// the markets were reloaded.
func (x *Exchange) streamMarket(id []byte) *unified.Market {
	snap, err := x.Markets(context.Background()) // loaded before any subscription
	if err != nil {
		return nil
	}
	ids := x.streamIDs.Load()
	if ids == nil || ids.snap != snap {
		ids = &streamIDs{snap: snap, byID: map[string]*unified.Market{}}
		for _, m := range snap.Markets() {
			ids.byID[m.ID] = m
		}
		x.streamIDs.Store(ids)
	}
	return ids.byID[string(id)]
}
