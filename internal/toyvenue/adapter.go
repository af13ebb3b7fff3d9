package toyvenue

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/adapter"
	"github.com/unifex-go/unifex/internal/engine"
	"github.com/unifex-go/unifex/internal/rest"
	"github.com/unifex-go/unifex/internal/stream"
	"github.com/unifex-go/unifex/internal/watch"
	"github.com/unifex-go/unifex/orderbook"
	"github.com/unifex-go/unifex/unified"
)

// ID is the toy adapter's id.
const ID = "toy"

// Options are the toy adapter's own options (Config.Options).
type Options struct {
	// PingInterval is the application ping period (default 20 s); the link
	// is declared dead after twice that without a frame.
	PingInterval time.Duration
	// ChannelsPerLink caps the subscriptions of one connection (0: no cap).
	ChannelsPerLink int
	// Retry bounds REST retries (the transport's defaults when zero);
	// tests shorten the backoff.
	Retry rest.RetryPolicy
}

// Exchange is the toy venue's adapter.
type Exchange struct {
	*adapter.Base
	reqID       atomic.Int64
	key, secret string

	ordersMu sync.Mutex // guards lastSeen
	lastSeen int64      // newest order change seen, venue ms; reconciliation starts before it
}

var marketsEndpoint = rest.Endpoint{API: "public", Method: "GET", Path: "/markets", Weight: 1, Idempotent: true}

// New returns an adapter for the server at cfg.URLs["rest"] and
// cfg.URLs["ws"].
func New(cfg exchange.Config) (*Exchange, error) {
	restURL, wsURL := cfg.URLs["rest"], cfg.URLs["ws"]
	if restURL == "" || wsURL == "" {
		return nil, errors.Newf(errors.ArgumentsRequired, "the toy venue needs URLs[\"rest\"] and URLs[\"ws\"]")
	}
	opts, _ := cfg.Options.(Options)
	if opts.PingInterval <= 0 {
		opts.PingInterval = 20 * time.Second
	}
	x := &Exchange{key: cfg.APIKey, secret: cfg.Secret}
	base, err := adapter.New(adapter.Spec{
		ID: ID,
		Features: exchange.NewFeatures(exchange.FeatureLoadMarkets, exchange.FeatureFetchMarkets, exchange.FeatureFetchTime,
			exchange.FeatureFetchBalance, exchange.FeatureCreateOrder, exchange.FeatureCancelOrder, exchange.FeatureFetchOrder,
			exchange.FeatureFetchOpenOrders, exchange.FeatureFetchClosedOrders,
			exchange.FeatureWatchOrderBook, exchange.FeatureWatchOrderBookForSymbols,
			exchange.FeatureWatchTrades, exchange.FeatureWatchTradesForSymbols, exchange.FeatureWatchOrders,
			exchange.FeatureUnwatchOrderBook, exchange.FeatureUnwatchTrades),
		Config: cfg,
		LoadMarkets: func(ctx context.Context) ([]unified.Market, []unified.Currency, error) {
			ms, err := x.FetchMarkets(ctx)
			return ms, nil, err
		},
		REST: &rest.Config{
			BaseURLs:   map[string]string{"public": restURL, "private": strings.TrimSuffix(restURL, "/") + "/private"},
			Sign:       x.sign,
			CheckError: checkError,
			ServerTime: func(ctx context.Context) (time.Time, error) { return x.FetchTime(ctx) },
			Retry:      opts.Retry,
		},
		Stream: &engine.Spec{
			Route: func(k watch.Key) (engine.Route, error) {
				switch k.Kind {
				case watch.Book, watch.Trades:
					return engine.Route{Name: "public"}, nil
				case watch.Orders:
					return engine.Route{Name: "private", Private: true}, nil
				}
				return engine.Route{}, errors.Newf(errors.NotSupported, "the toy venue streams books, trades and orders only")
			},
			Channel: func(k watch.Key) string {
				if k.Kind == watch.Orders {
					return "orders" // one channel for every symbol
				}
				return k.Kind.String() + ":" + k.Symbol
			},
			Link: func(engine.Route) stream.Config {
				return stream.Config{
					Dial: func(context.Context) (stream.Target, error) { return stream.Target{URL: wsURL}, nil },
					Keepalive: stream.Keepalive{
						Interval: opts.PingInterval,
						Ping:     func() []byte { return []byte(`{"op":"ping"}`) },
						Answer: func(m stream.Message) ([]byte, bool) {
							return nil, bytes.Equal(m.Data, []byte(`{"pong":true}`))
						},
					},
				}
			},
			MaxChannelsPerLink: opts.ChannelsPerLink,
			Subscribe: func(ctx context.Context, _ engine.Route, s *stream.Session, chs []string) error {
				return x.request(ctx, s, "sub", chs)
			},
			Unsubscribe: func(ctx context.Context, _ engine.Route, s *stream.Session, chs []string) error {
				return x.request(ctx, s, "unsub", chs)
			},
			Login:     x.login,
			Reconcile: x.reconcile,
			Handle:    x.handle,
			Book:      func(string) watch.BookSpec { return watch.BookSpec{Checker: orderbook.PrevSeqID{}} },
		},
	})
	if err != nil {
		return nil, err
	}
	x.Base = base
	return x, nil
}

// FetchMarkets fetches the venue's markets.
func (x *Exchange) FetchMarkets(ctx context.Context, _ ...exchange.Option) ([]unified.Market, error) {
	var raw []struct{ ID, Symbol, Base, Quote, Tick, Step, MinQty, MinNotional string }
	if err := x.REST().DoJSON(ctx, marketsEndpoint, rest.Params{}, &raw); err != nil {
		return nil, err
	}
	out := make([]unified.Market, 0, len(raw))
	for _, r := range raw {
		tick, err1 := decimal.NewFromString(r.Tick)
		step, err2 := decimal.NewFromString(r.Step)
		minQty, err3 := decimal.NewFromString(r.MinQty)
		minCost, err4 := decimal.NewFromString(r.MinNotional)
		if err1 != nil || err2 != nil || err3 != nil || err4 != nil {
			return nil, errors.Newf(errors.BadResponse, "market "+r.Symbol+" has a malformed tick, step or limit")
		}
		out = append(out, unified.Market{ID: r.ID, Symbol: r.Symbol, Base: r.Base, Quote: r.Quote, BaseID: r.Base, QuoteID: r.Quote,
			Type: unified.Spot, Spot: true, PrecisionMode: unified.TickSize,
			Precision: unified.Precision{Price: decimal.NewNullDecimal(tick), Amount: decimal.NewNullDecimal(step)},
			Limits: unified.Limits{Amount: unified.MinMax{Min: decimal.NewNullDecimal(minQty)},
				Cost: unified.MinMax{Min: decimal.NewNullDecimal(minCost)}}})
	}
	return out, nil
}

// request sends a subscription request and waits for its acknowledgement.
func (x *Exchange) request(ctx context.Context, s *stream.Session, op string, chs []string) error {
	return x.call(ctx, s, msg{Op: op, Chs: chs})
}

// call sends m with a fresh request id and waits for its acknowledgement;
// a refusal is the venue's error, mapped to the taxonomy.
func (x *Exchange) call(ctx context.Context, s *stream.Session, m msg) error {
	id := int(x.reqID.Add(1))
	m.ID = id
	payload, err := json.Marshal(m)
	if err != nil {
		return err
	}
	resp, err := s.Request(ctx, stream.Request{Payload: payload, Match: func(m stream.Message) bool {
		var r struct{ Ack int }
		return json.Unmarshal(m.Data, &r) == nil && r.Ack == id
	}})
	if err != nil {
		return err
	}
	var ack struct{ Error *apiError }
	if err := json.Unmarshal(resp.Data, &ack); err != nil {
		return errors.Wrap(errors.BadResponse, err, "malformed acknowledgement")
	}
	if ack.Error != nil {
		return venueError(ack.Error, 0)
	}
	return nil
}

// handle parses one message of the toy protocol.
func (x *Exchange) handle(_ engine.Route, m stream.Message, d *engine.Dispatch) error {
	var in msg
	if err := json.Unmarshal(m.Data, &in); err != nil {
		// Tell the topic's readers, when the frame names one.
		if k, ok := topicOf(m.Data); ok {
			d.Fail(k, errors.Wrap(errors.BadResponse, err, "malformed "+k.String()+" message"))
		}
		return err
	}
	kind, symbol, _ := strings.Cut(in.Topic, ":")
	switch kind {
	case "orderbook":
		u, err := bookUpdate(in)
		if err != nil {
			d.Fail(watch.Key{Kind: watch.Book, Symbol: symbol}, err)
			return err
		}
		cs := &engine.Checksum{Spec: orderbook.Interleaved25, Expected: in.Checksum}
		if in.Type == "snapshot" {
			d.BookSnapshot(symbol, u)
		} else {
			d.BookDelta(symbol, u, cs)
		}
	case "trades":
		ts := make([]unified.Trade, 0, len(in.Trades))
		for _, t := range in.Trades {
			p, err1 := decimal.NewFromString(t.Price)
			q, err2 := decimal.NewFromString(t.Qty)
			if err1 != nil || err2 != nil {
				err := errors.Newf(errors.BadResponse, "malformed trade "+t.ID)
				d.Fail(watch.Key{Kind: watch.Trades, Symbol: symbol}, err)
				return err
			}
			tr := unified.Trade{ID: t.ID, Symbol: symbol, Timestamp: time.UnixMilli(t.TS).UTC(), Side: unified.Side(t.Side),
				Price: decimal.NewNullDecimal(p), Amount: decimal.NewNullDecimal(q)}
			tr.Complete(nil)
			ts = append(ts, tr)
		}
		d.Trades(symbol, ts...)
	case "orders":
		os, err := x.parseOrders(context.Background(), in.Orders)
		if err != nil {
			d.Fail(watch.Key{Kind: watch.Orders}, err)
			return err
		}
		x.publish(d, os)
	default:
		return errors.Newf(errors.BadResponse, "unknown message")
	}
	return nil
}

// topicOf finds the topic a malformed frame names, if it gets that far.
func topicOf(data []byte) (watch.Key, bool) {
	_, rest, ok := bytes.Cut(data, []byte(`"topic":"`))
	if !ok {
		return watch.Key{}, false
	}
	name, _, ok := bytes.Cut(rest, []byte(`"`))
	if !ok {
		return watch.Key{}, false
	}
	kind, symbol, _ := strings.Cut(string(name), ":")
	switch kind {
	case "orderbook":
		return watch.Key{Kind: watch.Book, Symbol: symbol}, true
	case "trades":
		return watch.Key{Kind: watch.Trades, Symbol: symbol}, true
	case "orders":
		return watch.Key{Kind: watch.Orders}, true
	}
	return watch.Key{}, false
}

func bookUpdate(in msg) (orderbook.Update[orderbook.Change], error) {
	u := orderbook.Update[orderbook.Change]{IDs: orderbook.IDs{Last: in.Seq, Prev: in.Prev}}
	for _, side := range []struct {
		sd  orderbook.Side
		lvs [][]string
	}{{orderbook.Bid, in.Bids}, {orderbook.Ask, in.Asks}} {
		for _, lv := range side.lvs {
			if len(lv) != 2 {
				return u, errors.Newf(errors.BadResponse, "a book level needs a price and an amount")
			}
			p, err := orderbook.ParseNum(lv[0])
			if err != nil {
				return u, err
			}
			q, err := orderbook.ParseNum(lv[1])
			if err != nil {
				return u, err
			}
			u.Changes = append(u.Changes, orderbook.Change{Side: side.sd, Price: p, Amount: q})
		}
	}
	return u, nil
}
