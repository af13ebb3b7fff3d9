package toyvenue

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/engine"
	"github.com/unifex-go/unifex/internal/rest"
	"github.com/unifex-go/unifex/internal/stream"
	"github.com/unifex-go/unifex/markets"
	"github.com/unifex-go/unifex/unified"
)

// The toy's REST endpoints beyond /markets.
var (
	timeEndpoint         = rest.Endpoint{API: "public", Path: "/time", Weight: 1}
	balanceEndpoint      = rest.Endpoint{API: "private", Path: "/balance", Signed: true, Weight: 5}
	createOrderEndpoint  = rest.Endpoint{API: "private", Method: http.MethodPost, Path: "/order", Signed: true, Weight: 1}
	cancelOrderEndpoint  = rest.Endpoint{API: "private", Method: http.MethodDelete, Path: "/order", Signed: true, Weight: 1}
	fetchOrderEndpoint   = rest.Endpoint{API: "private", Path: "/order", Signed: true, Weight: 1}
	openOrdersEndpoint   = rest.Endpoint{API: "private", Path: "/openOrders", Signed: true, Weight: 3}
	closedOrdersEndpoint = rest.Endpoint{API: "private", Path: "/closedOrders", Signed: true, Weight: 3}
)

// reconcileMargin is how far before the newest order change it has seen
// the adapter asks for closed orders after a reconnect, so that changes in
// the same millisecond, or stamped by a clock that stepped back a little,
// are not missed. Duplicates are harmless: a state older than the cached
// one is not published.
const reconcileMargin = 10 * time.Second

// hmacHex is the toy's signature: hex HMAC-SHA256 of msg keyed with secret.
func hmacHex(secret, msg string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}

// credentials fails when the configuration has no API key or secret.
func (x *Exchange) credentials() error {
	if x.key == "" || x.secret == "" {
		return errors.Newf(errors.AuthenticationError, "the toy venue's private API needs an API key and a secret")
	}
	return nil
}

// sign signs a private request: ts, then sig over method, path and query,
// and the key in its header (see KeyHeader).
func (x *Exchange) sign(r *rest.Request, _ rest.Endpoint, now time.Time) error {
	if err := x.credentials(); err != nil {
		return err
	}
	r.AddQuery("ts", strconv.FormatInt(now.UnixMilli(), 10))
	r.AddQuery("sig", hmacHex(x.secret, r.Method+"\n"+r.URL.EscapedPath()+"\n"+r.URL.RawQuery))
	r.Header.Set(KeyHeader, x.key)
	return nil
}

// codeKinds maps the toy's error codes to the taxonomy.
var codeKinds = map[int]*errors.Kind{
	codeUnknownKey:   errors.AuthenticationError,
	codeBadSignature: errors.AuthenticationError,
	codeTimestamp:    errors.InvalidNonce,
	codeKeyExpired:   errors.AuthenticationError,
	codeLoginFirst:   errors.AuthenticationError,
	codeNoFunds:      errors.InsufficientFunds,
	codeNoOrder:      errors.OrderNotFound,
	codeBadOrder:     errors.InvalidOrder,
	codeBadMarket:    errors.BadSymbol,
	codeNotOpen:      errors.InvalidOrder,
}

// venueError is the taxonomy's error for one of the toy's error replies.
func venueError(e *apiError, status int) *errors.Error {
	kind := codeKinds[e.Code]
	if kind == nil {
		kind = errors.ExchangeError
	}
	return &errors.Error{Kind: kind, Exchange: ID, Code: strconv.Itoa(e.Code), Message: e.Msg, HTTPStatus: status}
}

// checkError maps the toy's {"code":..,"msg":..} replies, and the
// maintenance page of the proxy in front of it, to the taxonomy; anything
// else is left to the HTTP status table.
func checkError(resp *rest.Response) error {
	if resp.Status >= 200 && resp.Status <= 299 {
		return nil
	}
	if resp.Status == http.StatusServiceUnavailable && bytes.Contains(bytes.ToLower(resp.Body), []byte("maintenance")) {
		return &errors.Error{Kind: errors.OnMaintenance, Message: "the venue is under maintenance"}
	}
	var e struct {
		Code *int
		Msg  string
	}
	if json.Unmarshal(resp.Body, &e) != nil || e.Code == nil {
		return nil
	}
	return venueError(&apiError{Code: *e.Code, Msg: e.Msg}, resp.Status)
}

// FetchTime returns the venue's clock.
func (x *Exchange) FetchTime(ctx context.Context, _ ...exchange.Option) (time.Time, error) {
	var out struct{ ServerTime int64 }
	if err := x.REST().DoJSON(ctx, timeEndpoint, rest.Params{}, &out); err != nil {
		return time.Time{}, err
	}
	if out.ServerTime <= 0 {
		return time.Time{}, errors.Newf(errors.BadResponse, "no server time in the reply")
	}
	return time.UnixMilli(out.ServerTime).UTC(), nil
}

// FetchBalance returns the account's balances.
func (x *Exchange) FetchBalance(ctx context.Context, _ ...exchange.Option) (*unified.Balances, error) {
	var raw struct {
		TS       int64
		Balances []struct{ Asset, Free, Used string }
	}
	if err := x.REST().DoJSON(ctx, balanceEndpoint, rest.Params{}, &raw); err != nil {
		return nil, err
	}
	out := &unified.Balances{Currencies: make(map[string]unified.Balance, len(raw.Balances)), Timestamp: time.UnixMilli(raw.TS).UTC()}
	for _, h := range raw.Balances {
		free, err1 := decimal.NewFromString(h.Free)
		used, err2 := decimal.NewFromString(h.Used)
		if err1 != nil || err2 != nil {
			return nil, errors.Newf(errors.BadResponse, "malformed balance of "+h.Asset)
		}
		out.Currencies[h.Asset] = unified.Balance{Free: decimal.NewNullDecimal(free), Used: decimal.NewNullDecimal(used)}
	}
	out.Complete()
	if x.Config().KeepInfo {
		out.Info = raw
	}
	return out, nil
}

// market returns symbol's market, loading the markets when needed.
func (x *Exchange) market(ctx context.Context, symbol string) (*unified.Market, error) {
	snap, err := x.Markets(ctx)
	if err != nil {
		return nil, err
	}
	return snap.Market(symbol)
}

// CreateOrder validates req against the market's precision and limits,
// then places it. The toy venue takes limit orders only.
func (x *Exchange) CreateOrder(ctx context.Context, req unified.OrderRequest, _ ...exchange.Option) (*unified.Order, error) {
	if err := req.Validate(); err != nil {
		return nil, err
	}
	if req.Type != unified.OrderTypeLimit {
		return nil, errors.Newf(errors.InvalidOrder, "the toy venue takes limit orders only")
	}
	m, err := x.market(ctx, req.Symbol)
	if err != nil {
		return nil, err
	}
	v, err := markets.ValidateOrder(m, markets.Order{Amount: req.Amount, Price: req.Price.Decimal})
	if err != nil {
		return nil, err
	}
	cid := req.ClientOrderID
	if cid == "" {
		cid = x.REST().Sources().ClientOrderID()
	}
	var p rest.Params
	p.Add("market", m.ID)
	p.Add("side", string(req.Side))
	p.Add("type", "limit")
	p.Add("px", v.Price.String())
	p.Add("qty", v.Amount.String())
	p.Add("cid", cid)
	return x.orderCall(ctx, createOrderEndpoint, p)
}

// CancelOrder cancels an open order.
func (x *Exchange) CancelOrder(ctx context.Context, id, _ string, _ ...exchange.Option) (*unified.Order, error) {
	var p rest.Params
	p.Add("id", id)
	return x.orderCall(ctx, cancelOrderEndpoint, p)
}

// FetchOrder returns one order.
func (x *Exchange) FetchOrder(ctx context.Context, id, _ string, _ ...exchange.Option) (*unified.Order, error) {
	var p rest.Params
	p.Add("id", id)
	return x.orderCall(ctx, fetchOrderEndpoint, p)
}

// orderCall calls an endpoint that answers one order.
func (x *Exchange) orderCall(ctx context.Context, ep rest.Endpoint, p rest.Params) (*unified.Order, error) {
	var raw wireOrder
	if err := x.REST().DoJSON(ctx, ep, p, &raw); err != nil {
		return nil, err
	}
	os, err := x.parseOrders(ctx, []wireOrder{raw})
	if err != nil {
		return nil, err
	}
	return &os[0], nil
}

// FetchOpenOrders returns the open orders of symbol ("" for all).
func (x *Exchange) FetchOpenOrders(ctx context.Context, symbol string, opts ...exchange.Option) ([]unified.Order, error) {
	return x.listOrders(ctx, openOrdersEndpoint, symbol, 0, opts)
}

// FetchClosedOrders returns the filled and canceled orders of symbol ("" for
// all) that changed at or after exchange.Since.
func (x *Exchange) FetchClosedOrders(ctx context.Context, symbol string, opts ...exchange.Option) ([]unified.Order, error) {
	return x.listOrders(ctx, closedOrdersEndpoint, symbol, exchange.Apply(opts).SinceMillis(), opts)
}

func (x *Exchange) listOrders(ctx context.Context, ep rest.Endpoint, symbol string, since int64, opts []exchange.Option) ([]unified.Order, error) {
	var p rest.Params
	if symbol != "" {
		m, err := x.market(ctx, symbol)
		if err != nil {
			return nil, err
		}
		p.Add("market", m.ID)
	}
	if since > 0 {
		p.Add("since", strconv.FormatInt(since, 10))
	}
	var raw []wireOrder
	if err := x.REST().DoJSON(ctx, ep, p, &raw); err != nil {
		return nil, err
	}
	os, err := x.parseOrders(ctx, raw)
	if err != nil {
		return nil, err
	}
	if limit := exchange.Apply(opts).Limit; limit > 0 && len(os) > limit {
		os = os[len(os)-limit:]
	}
	return os, nil
}

// orderStatus maps the toy's order states.
var orderStatus = map[string]unified.OrderStatus{
	stateNew:      unified.StatusOpen,
	statePartial:  unified.StatusOpen,
	stateFilled:   unified.StatusClosed,
	stateCanceled: unified.StatusCanceled,
}

// parseOrders turns the toy's orders into unified ones.
func (x *Exchange) parseOrders(ctx context.Context, raw []wireOrder) ([]unified.Order, error) {
	snap, err := x.Markets(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]unified.Order, 0, len(raw))
	for _, r := range raw {
		m, err := snap.MarketByID(r.Market, unified.Spot)
		if err != nil {
			return nil, errors.Wrap(errors.BadResponse, err, "order "+r.ID+" names an unknown market")
		}
		price, err1 := decimal.NewFromString(r.Price)
		qty, err2 := decimal.NewFromString(r.Qty)
		filled, err3 := decimal.NewFromString(r.Filled)
		status, ok := orderStatus[r.State]
		if err1 != nil || err2 != nil || err3 != nil || !ok || r.ID == "" {
			return nil, errors.Newf(errors.BadResponse, "malformed order "+r.ID)
		}
		o := unified.Order{ID: r.ID, ClientOrderID: r.ClientID, Symbol: m.Symbol, Type: unified.OrderType(r.Type),
			Side: unified.Side(r.Side), Status: status, Price: decimal.NewNullDecimal(price),
			Amount: decimal.NewNullDecimal(qty), Filled: decimal.NewNullDecimal(filled),
			Timestamp: time.UnixMilli(r.Created).UTC(), LastUpdateTimestamp: time.UnixMilli(r.Updated).UTC()}
		o.Complete(m)
		if x.Config().KeepInfo {
			o.Info = r
		}
		out = append(out, o)
	}
	return out, nil
}

// login authenticates a private connection: the key, the venue's time and
// an HMAC of both. A login refused for its timestamp measures the venue's
// clock again, for the next attempt.
func (x *Exchange) login(ctx context.Context, _ engine.Route, s *stream.Session) error {
	if err := x.credentials(); err != nil {
		return err
	}
	if _, err := x.Markets(ctx); err != nil { // order updates name markets by id
		return err
	}
	now, err := x.REST().SyncedNow(ctx)
	if err != nil {
		return err
	}
	ts := now.UnixMilli()
	err = x.call(ctx, s, msg{Op: "login", Key: x.key, TS: ts, Sig: hmacHex(x.secret, "login\n"+strconv.FormatInt(ts, 10))})
	if errors.Is(err, errors.InvalidNonce) {
		_ = x.REST().SyncTime(ctx)
	}
	if err != nil {
		return err
	}
	x.ordersMu.Lock()
	x.lastSeen = max(x.lastSeen, ts)
	x.ordersMu.Unlock()
	return nil
}

// publish records the newest change seen (where reconciliation starts) and
// hands the order states to the engine, which drops any that is older than
// the state already cached.
func (x *Exchange) publish(d *engine.Dispatch, os []unified.Order) {
	x.ordersMu.Lock()
	for i := range os {
		x.lastSeen = max(x.lastSeen, os[i].LastUpdateTimestamp.UnixMilli())
	}
	x.ordersMu.Unlock()
	d.Orders(os...)
}

// reconcile runs after a private connection came back: the open orders and
// the orders closed since shortly before the last change seen, from REST,
// so that nothing that changed during the outage is missed. The engine tries
// it again while it fails.
func (x *Exchange) reconcile(ctx context.Context, _ engine.Route, d *engine.Dispatch) error {
	x.ordersMu.Lock()
	since := time.UnixMilli(x.lastSeen).Add(-reconcileMargin)
	x.ordersMu.Unlock()
	// An order that closes between the two calls is in neither list, but
	// its change is pushed on the stream, which was subscribed before this
	// runs.
	closed, err := x.FetchClosedOrders(ctx, "", exchange.Since(since))
	if err != nil {
		return err
	}
	open, err := x.FetchOpenOrders(ctx, "")
	if err != nil {
		return err
	}
	x.publish(d, append(closed, open...))
	return nil
}
