// Package adapter is the base every exchange adapter embeds. It turns an
// adapter's description — its features, its market loader, its REST
// transport settings and its stream Spec — into a complete exchange.Exchange:
// shared market loading, the Watch* methods over the stream engine, the
// non-blocking book accessor, consumers, NotSupported answers for what the
// adapter does not override, and a Close that ends everything.
package adapter

import (
	"context"
	"sync"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/backoff"
	"github.com/unifex-go/unifex/internal/engine"
	"github.com/unifex-go/unifex/internal/rest"
	"github.com/unifex-go/unifex/internal/stream"
	"github.com/unifex-go/unifex/markets"
)

// Spec describes an adapter to its Base.
type Spec struct {
	// ID is the adapter id, for example "binance".
	ID string
	// Features lists the unified methods the adapter implements.
	Features exchange.Features
	// Config is the user's configuration.
	Config exchange.Config
	// LoadMarkets fetches markets and currencies (usually the adapter's own
	// FetchMarkets and FetchCurrencies); the registry shares one load.
	LoadMarkets markets.Loader
	// REST configures the transport; nil for an adapter without REST.
	REST *rest.Config
	// Stream describes the venue's streams; nil for an adapter without
	// WebSocket. Its Markets field is filled in by the Base.
	Stream *engine.Spec
}

// Base implements exchange.Exchange for an adapter that embeds it.
type Base struct {
	exchange.Streaming // the default consumer, or NotSupported answers

	id       string
	features exchange.Features
	cfg      exchange.Config
	markets  *markets.Registry
	rest     *rest.Client
	engine   *engine.Engine

	closeOnce sync.Once
	closeErr  error
}

// New builds the base from spec.
func New(spec Spec) (*Base, error) {
	if spec.ID == "" || spec.LoadMarkets == nil {
		return nil, errors.Newf(errors.ArgumentsRequired, "adapter.Spec needs an ID and LoadMarkets")
	}
	b := &Base{id: spec.ID, features: spec.Features, cfg: spec.Config}
	b.markets = markets.NewRegistry(spec.ID, spec.LoadMarkets)
	if spec.REST != nil {
		rc := *spec.REST
		if rc.Exchange == "" {
			rc.Exchange = spec.ID
		}
		if rc.HTTPClient == nil {
			rc.HTTPClient = spec.Config.HTTPClient
		}
		if rc.Timeout == 0 {
			rc.Timeout = spec.Config.RequestTimeout
		}
		if rc.Logger == nil {
			rc.Logger = spec.Config.Logger
		}
		c, err := rest.New(rc)
		if err != nil {
			return nil, err
		}
		b.rest = c
	}
	if spec.Stream != nil {
		es := *spec.Stream
		if es.Exchange == "" {
			es.Exchange = spec.ID
		}
		es.Markets = func(ctx context.Context) (*markets.Snapshot, error) { return b.markets.Load(ctx, false) }
		if es.Logger == nil {
			es.Logger = spec.Config.Logger
		}
		if es.RequestTimeout == 0 {
			es.RequestTimeout = spec.Config.RequestTimeout
		}
		es.Limits = engine.Limits{Trades: spec.Config.TradesLimit, OHLCV: spec.Config.OHLCVLimit, Orders: spec.Config.OrdersLimit}
		es.Link = withConfig(es.Link, spec.Config)
		e, err := engine.New(es)
		if err != nil {
			b.closeREST()
			return nil, err
		}
		b.engine = e
		b.Streaming = e.NewConsumer(spec.Config.NewUpdates)
	} else {
		b.Streaming = noStreams{b}
	}
	return b, nil
}

// withConfig fills what the user's configuration says about every link —
// the reconnect schedule, the WebSocket dialer, the logger — where the
// adapter's link settings leave it unset.
func withConfig(link func(engine.Route) stream.Config, cfg exchange.Config) func(engine.Route) stream.Config {
	if link == nil {
		return nil
	}
	return func(r engine.Route) stream.Config {
		lc := link(r)
		if lc.Backoff == (backoff.Policy{}) {
			lc.Backoff = backoff.Policy(cfg.Reconnect)
		}
		if lc.Transport == nil && cfg.WSDialer != nil {
			lc.Transport = stream.WebSocket{Dialer: cfg.WSDialer}
		}
		if lc.Logger == nil {
			lc.Logger = cfg.Logger
		}
		return lc
	}
}

// ID returns the adapter id.
func (b *Base) ID() string { return b.id }

// Has reports whether the adapter implements f.
func (b *Base) Has(f exchange.Feature) bool { return b.features.Has(f) }

// Features lists the implemented unified methods.
func (b *Base) Features() exchange.Features { return b.features }

// Config returns the user's configuration.
func (b *Base) Config() exchange.Config { return b.cfg }

// REST returns the transport, nil for an adapter without REST.
func (b *Base) REST() *rest.Client { return b.rest }

// Engine returns the stream engine, nil for an adapter without streams.
func (b *Base) Engine() *engine.Engine { return b.engine }

// LoadMarkets loads the markets once and shares them; reload forces a new load.
func (b *Base) LoadMarkets(ctx context.Context, reload bool) (*markets.Snapshot, error) {
	return b.markets.Load(ctx, reload)
}

// Markets returns the loaded markets, loading them on first use.
func (b *Base) Markets(ctx context.Context) (*markets.Snapshot, error) {
	return b.markets.Load(ctx, false)
}

// NewConsumer returns an independent consumer of the live topics.
func (b *Base) NewConsumer() exchange.Consumer {
	if b.engine == nil {
		return noStreams{b}
	}
	return b.engine.NewConsumer(b.cfg.NewUpdates)
}

// Close ends every connection, background job and waiter. Idempotent.
func (b *Base) Close() error {
	b.closeOnce.Do(func() {
		if b.engine != nil {
			b.closeErr = b.engine.Close()
		}
		b.closeREST()
	})
	return b.closeErr
}

func (b *Base) closeREST() {
	if b.rest != nil {
		_ = b.rest.Close()
	}
}

// notSupported is the error for a method the adapter does not implement.
func (b *Base) notSupported(method string) error {
	return &errors.Error{Kind: errors.NotSupported, Exchange: b.id, Message: method + " is not supported"}
}

var _ exchange.Exchange = (*Base)(nil)
