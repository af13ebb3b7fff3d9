package rest

import (
	"context"
	"crypto/tls"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/internal/backoff"
	"github.com/unifex-go/unifex/internal/ratelimit"
)

// Defaults used when the corresponding Config field is zero.
const (
	// DefaultTimeout bounds each attempt: connect, send, and read the reply.
	DefaultTimeout = 10 * time.Second
	// DefaultMaxBodySize caps a reply body (decompressed).
	DefaultMaxBodySize = 32 << 20
	// DefaultMaxAttempts is how many times a retryable call is tried.
	DefaultMaxAttempts = 3
	// DefaultMaxRetryWait is the longest Retry-After the transport waits
	// out by itself.
	DefaultMaxRetryWait = 30 * time.Second
)

// DefaultBackoff spaces retries of one call: 500 ms, ×2, capped at 8 s,
// ±20 % jitter. (internal/backoff's own default, CCXT's reconnect schedule,
// starts at 1 s and caps at 60 s: too slow for a REST retry.)
var DefaultBackoff = backoff.Policy{Base: 500 * time.Millisecond, Factor: 2, Max: 8 * time.Second, Jitter: 0.2}

// SignFunc signs a built request in place: it may add query parameters
// (Request.AddQuery), headers, or replace the body (Request.SetBody). now is
// the venue's clock (the local clock plus the server-time offset, see
// Client.Now). It must read what it signs from r (URL.RequestURI(), Body),
// which is what will be sent. An error aborts the call; an *errors.Error
// keeps its kind, anything else becomes AuthenticationError.
type SignFunc func(r *Request, ep Endpoint, now time.Time) error

// RetryPolicy bounds retries.
type RetryPolicy struct {
	// MaxAttempts caps the attempts of one call, the first included
	// (DefaultMaxAttempts when 0; 1 disables retries).
	MaxAttempts int
	// Backoff spaces the attempts (DefaultBackoff when zero).
	Backoff backoff.Policy
	// MaxWait is the longest Retry-After that the transport waits out
	// itself (DefaultMaxRetryWait when 0); a longer one ends the call with
	// the error, whose RetryAfter tells the caller how long to wait.
	MaxWait time.Duration
}

// Config configures a Client. Only BaseURLs is required.
type Config struct {
	// Exchange is the adapter id put in errors, logs and hook events.
	Exchange string
	// BaseURLs maps Endpoint.API keys to absolute http(s) base URLs, for
	// example "public" -> "https://api.binance.com/api/v3".
	BaseURLs map[string]string
	// Header is added to every request (User-Agent, Accept, ...).
	Header http.Header

	// HTTPClient, when set, replaces the client the transport builds for
	// itself. Its transport is then the caller's: Close leaves it alone.
	HTTPClient *http.Client
	// Timeout bounds each attempt: connect, send and read the whole reply
	// (DefaultTimeout when 0). A context deadline that comes earlier wins.
	Timeout time.Duration
	// MaxBodySize caps a reply body (DefaultMaxBodySize when 0); a larger
	// reply is a BadResponse, never read into memory.
	MaxBodySize int64

	// Limiter is the venue's request quota, fed by each endpoint's weight.
	// Share one between the REST transport and anything else that counts
	// against the same quota; build it on Sources.Clock, which the transport
	// uses to time 429/418 pauses. Nil means no quota, but pauses still
	// apply to every goroutine of this client.
	Limiter *ratelimit.Limiter
	// Retry bounds retries.
	Retry RetryPolicy
	// Sleep waits d or until ctx ends (a timer when nil). Tests inject
	// one that records the delays and returns at once.
	Sleep func(ctx context.Context, d time.Duration) error

	// Sources are the clock, nonce and client-order-id sources.
	Sources Sources
	// Sign signs requests to Signed endpoints. Without it such requests fail
	// with AuthenticationError.
	Sign SignFunc
	// ServerTime, when set, fetches the venue's clock. The transport calls
	// it before the first signed request and again once when a signed
	// request is refused with InvalidNonce, then retries that request once.
	// It should call an unsigned endpoint through this client.
	ServerTime func(ctx context.Context) (time.Time, error)

	// CheckError maps a reply to the taxonomy from the venue's own error
	// codes (found in the body even with HTTP 200, or in headers). It is
	// called first for every reply; nil means "no venue error here", and
	// the status-code table then decides. It must return InvalidNonce only
	// when the venue refused the request for its timestamp or nonce.
	CheckError func(resp *Response) error
	// Weight, when set, is a call's cost in the venue's rate limit, for
	// venues whose weight depends on the parameters (binance's depth by
	// limit); Endpoint.Weight otherwise.
	Weight func(ep Endpoint, p Params) float64
	// Quota, when set, names the bucket of a per-endpoint limit that a call
	// also draws one unit from, beyond Limiter ("" for none): order
	// endpoints with limits of their own (bybit: creates, amends and
	// cancels a second). Quotas gives each bucket's rate; WaitQuota lets
	// another transport, such as a trading WebSocket that counts against
	// the same limit, draw on the same bucket.
	Quota func(ep Endpoint, p Params) string
	// Quotas gives a named bucket's rate: units a second and burst.
	Quotas func(name string) (perSecond, burst float64)
	// RetryAfter reads a venue-specific "wait this long" hint from a reply
	// (a reset-time header, a field of the body); 0 when none. The larger
	// of it and a Retry-After header is used.
	RetryAfter func(resp *Response) time.Duration
	// StatusKinds overrides entries of the HTTP status table (CCXT's
	// httpExceptions), for example {403: errors.RateLimitExceeded}.
	StatusKinds map[int]*errors.Kind

	// Logger receives one debug record per attempt: method, scheme, host
	// and path, status, latency, sizes, error. Never the query string,
	// headers or bodies. Nil means no logging.
	Logger *slog.Logger
	// Hooks are observers; each implements at least one of
	// RequestStartHook, RequestDoneHook and TimeSyncHook. They are called
	// synchronously on the caller's goroutine and must be quick and safe for
	// concurrent use.
	Hooks []any
}

// Client is one exchange's REST transport. It is safe for concurrent use
// and starts no goroutines of its own.
type Client struct {
	exchange   string
	bases      map[string]*url.URL
	header     http.Header
	hc         *http.Client
	transport  *http.Transport // nil when the caller supplied the client
	timeout    time.Duration
	maxBody    int64
	limiter    *ratelimit.Limiter
	retry      RetryPolicy
	sleep      func(context.Context, time.Duration) error
	src        Sources
	sign       SignFunc
	serverTime func(context.Context) (time.Time, error)
	checkError func(*Response) error
	weight     func(Endpoint, Params) float64
	quota      func(Endpoint, Params) string
	quotaRate  func(string) (float64, float64)
	quotas     sync.Map // bucket name → *ratelimit.Limiter
	retryHint  func(*Response) time.Duration
	kinds      map[int]*errors.Kind
	log        *slog.Logger
	hooks      hookSet
	clock      timeSync
	blocked    atomic.Pointer[block]

	mu          sync.RWMutex
	closed      bool
	inflight    sync.WaitGroup
	closeCtx    context.Context
	closeCancel context.CancelFunc
}

// New validates cfg and returns a client.
func New(cfg Config) (*Client, error) {
	c := &Client{
		exchange:   cfg.Exchange,
		bases:      make(map[string]*url.URL, len(cfg.BaseURLs)),
		header:     cfg.Header.Clone(),
		hc:         cfg.HTTPClient,
		timeout:    cfg.Timeout,
		maxBody:    cfg.MaxBodySize,
		limiter:    cfg.Limiter,
		retry:      cfg.Retry,
		sleep:      cfg.Sleep,
		src:        cfg.Sources.withDefaults(),
		sign:       cfg.Sign,
		serverTime: cfg.ServerTime,
		checkError: cfg.CheckError,
		weight:     cfg.Weight,
		quota:      cfg.Quota,
		quotaRate:  cfg.Quotas,
		retryHint:  cfg.RetryAfter,
		kinds:      cfg.StatusKinds,
		log:        cfg.Logger,
	}
	if len(cfg.BaseURLs) == 0 {
		return nil, c.configError("no base URLs")
	}
	for key, raw := range cfg.BaseURLs {
		u, err := url.Parse(raw)
		// The URL itself stays out of the message: it might carry user info.
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
			u.User != nil || u.RawQuery != "" || u.Fragment != "" {
			return nil, c.configError("base URL " + strconv.Quote(key) + " is not an absolute http(s) URL without user info, query or fragment")
		}
		u.Path = strings.TrimSuffix(u.Path, "/")
		u.RawPath = strings.TrimSuffix(u.RawPath, "/")
		c.bases[key] = u
	}
	if c.header == nil {
		c.header = make(http.Header)
	}
	switch {
	case c.timeout < 0:
		return nil, c.configError("negative timeout")
	case c.timeout == 0:
		c.timeout = DefaultTimeout
	}
	switch {
	case c.maxBody < 0:
		return nil, c.configError("negative body size cap")
	case c.maxBody == 0:
		c.maxBody = DefaultMaxBodySize
	}
	switch {
	case c.retry.MaxAttempts < 0:
		return nil, c.configError("negative attempt count")
	case c.retry.MaxAttempts == 0:
		c.retry.MaxAttempts = DefaultMaxAttempts
	}
	if c.retry.Backoff == (backoff.Policy{}) {
		c.retry.Backoff = DefaultBackoff
	}
	if c.retry.MaxWait <= 0 {
		c.retry.MaxWait = DefaultMaxRetryWait
	}
	if c.sleep == nil {
		c.sleep = backoff.Sleep
	}
	if c.limiter == nil {
		c.limiter = ratelimit.New(0, 0, c.src.Clock)
	}
	if (c.quota == nil) != (c.quotaRate == nil) {
		return nil, c.configError("Quota and Quotas go together")
	}
	hooks, err := newHookSet(cfg.Hooks)
	if err != nil {
		return nil, c.configError(err.Error())
	}
	c.hooks = hooks
	if c.hc == nil {
		c.transport = newTransport(c.timeout)
		c.hc = &http.Client{
			Transport: c.transport,
			// A redirect would resend venue API-key headers (which net/http
			// only strips for Authorization and Cookie) to wherever it
			// points, and turn a POST into a GET: the reply is returned as
			// it is and classified instead.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	}
	c.clock.sem = make(chan struct{}, 1)
	c.closeCtx, c.closeCancel = context.WithCancel(context.Background())
	return c, nil
}

// newTransport is the tuned transport of one exchange: keep-alives, enough
// idle connections per host for concurrent strategies, bounded handshakes and
// header waits, HTTP/2 when the venue offers it, and certificate verification
// always on.
func newTransport(timeout time.Duration) *http.Transport {
	dialer := &net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          64,
		MaxIdleConnsPerHost:   32,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   timeout,
		ResponseHeaderTimeout: timeout,
		ExpectContinueTimeout: time.Second,
		TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12},
	}
}

// Close fails the calls in flight with ExchangeClosedByUser, waits for them
// to return, and closes the idle connections of the transport it built.
// Later calls fail with ExchangeClosedByUser. Close is idempotent.
func (c *Client) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	c.mu.Unlock()
	c.closeCancel()
	c.inflight.Wait()
	if c.transport != nil {
		c.transport.CloseIdleConnections()
	}
	return nil
}

// Limiter returns the limiter the client waits on, to share its quota (and
// its 429 pauses) with other senders to the same venue.
func (c *Client) Limiter() *ratelimit.Limiter { return c.limiter }

// WaitQuota waits for one unit of the named per-endpoint bucket
// (Config.Quotas), for a sender outside this client that counts against
// the same limit. A wait cut short by ctx is an error that says nothing
// was sent; without Quotas it returns at once.
func (c *Client) WaitQuota(ctx context.Context, name string) error {
	if c.quotaRate == nil || name == "" {
		return nil
	}
	l, ok := c.quotas.Load(name)
	if !ok {
		perSecond, burst := c.quotaRate(name)
		l, _ = c.quotas.LoadOrStore(name, ratelimit.New(perSecond, burst, c.src.Clock))
	}
	if err := l.(*ratelimit.Limiter).Wait(ctx, 1); err != nil {
		return c.ctxError(ctx, true)
	}
	return nil
}

// Sources returns the client's sources with defaults filled in.
func (c *Client) Sources() Sources { return c.src }

// Now returns the venue's current time as the client estimates it: the
// local clock plus the last measured server-time offset.
func (c *Client) Now() time.Time { return c.src.Clock().Add(c.clock.get()) }

// Offset returns the last measured server-time offset (server minus local),
// 0 before the first measurement.
func (c *Client) Offset() time.Duration { return c.clock.get() }

// isClosed reports whether Close was called.
func (c *Client) isClosed() bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.closed
}

// errClosed is the cancellation cause of calls in flight at Close.
var errClosed = errors.New("rest: client closed")

// enter registers a call, or fails when the client is closed. The returned
// context ends when ctx does or when the client is closed; leave must be
// called when the call returns.
func (c *Client) enter(ctx context.Context) (context.Context, func(), error) {
	c.mu.RLock()
	if c.closed {
		c.mu.RUnlock()
		return nil, nil, c.closedError(true)
	}
	c.inflight.Add(1)
	c.mu.RUnlock()
	cctx, cancel := context.WithCancelCause(ctx)
	stop := context.AfterFunc(c.closeCtx, func() { cancel(errClosed) })
	return cctx, func() {
		stop()
		cancel(nil)
		c.inflight.Done()
	}, nil
}

// Build builds the request for ep and p as Do would send it on a first
// attempt, signed when ep is Signed, without sending it. For a signed
// endpoint it may first measure the server time (Config.ServerTime).
func (c *Client) Build(ctx context.Context, ep Endpoint, p Params) (*Request, error) {
	if !ep.Signed { // no I/O: nothing for Close to cancel
		if c.isClosed() {
			return nil, c.closedError(true)
		}
		return c.build(ctx, ep, p)
	}
	ctx, leave, err := c.enter(ctx)
	if err != nil {
		return nil, err
	}
	defer leave()
	return c.build(ctx, ep, p)
}

func (c *Client) build(ctx context.Context, ep Endpoint, p Params) (*Request, error) {
	base, ok := c.bases[ep.API]
	if !ok {
		return nil, c.unsentError(errors.NotSupported, "no base URL for API group "+strconv.Quote(ep.API))
	}
	plain, escaped, query, missing := fillPath(ep.Path, p.Query)
	if missing != "" {
		return nil, c.unsentError(errors.ArgumentsRequired, "missing path parameter "+strconv.Quote(missing))
	}
	u := *base
	if plain != "" {
		u.Path = base.Path + "/" + strings.TrimPrefix(plain, "/")
		if u.RawPath != "" || escaped != plain {
			u.RawPath = base.EscapedPath() + "/" + strings.TrimPrefix(escaped, "/")
		}
	}
	if len(query) > 0 {
		u.RawQuery = encodeQuery(query)
	}
	r := &Request{Method: ep.method(), URL: &u, Header: c.header.Clone(), Body: p.Body}
	if len(p.Body) > 0 && p.ContentType != "" {
		r.Header.Set("Content-Type", p.ContentType)
	}
	if !ep.Signed {
		return r, nil
	}
	if c.sign == nil {
		return nil, c.unsentError(errors.AuthenticationError, "endpoint requires a signature and no signer is configured")
	}
	gen, err := c.ensureSynced(ctx)
	if err != nil {
		return nil, err
	}
	r.syncGen = gen
	if err := c.sign(r, ep, c.Now()); err != nil {
		e := c.adopt(err, errors.AuthenticationError)
		e.Unsent = true
		if e.Message == "" {
			e.Message = "signing failed"
		}
		return nil, e
	}
	return r, nil
}

// Do sends the request for ep and p, retrying where that is safe, and
// returns the reply when the venue accepted it. Any failure is an
// *errors.Error with the exchange id, HTTP status and the venue's code and
// message where known.
//
// Retries: an idempotent endpoint is retried on transport failures and on
// 408, 429, 500, 502–504 and 520–530 replies (not on an IP ban, 418) and on
// venue rate-limit errors, up to RetryPolicy.MaxAttempts; any endpoint is
// retried when the attempt provably never left the client (Unsent), and a
// signed one once more after a server-time resync when the venue refused its
// timestamp. A 429/418 pauses the shared limiter for every caller; one whose
// wait exceeds RetryPolicy.MaxWait makes every call fail at once, without
// sending, until it is over.
//
// Unsent (errors.SafeToRetry) is established for non-idempotent endpoints,
// where it matters: it is true when net/http never handed the attempt a
// connection (refused or failed dial, DNS, TLS handshake), or when the call
// ended before sending (limiter queue, closed client, build failure).
func (c *Client) Do(ctx context.Context, ep Endpoint, p Params) (*Response, error) {
	ctx, leave, err := c.enter(ctx)
	if err != nil {
		return nil, err
	}
	defer leave()
	var st retryState
	for attempt := 1; ; attempt++ {
		resp, req, ev, err := c.attempt(ctx, ep, p, attempt)
		if err == nil {
			c.finish(ctx, ev)
			return resp, nil
		}
		delay, again := c.next(ctx, ep, req, resp, err, attempt, &st)
		ev.Retry, ev.RetryIn = again, delay
		c.finish(ctx, ev)
		if !again {
			return nil, err
		}
		if delay > 0 {
			if c.sleep(ctx, delay) != nil {
				return nil, c.ctxError(ctx, asError(err).Unsent)
			}
		}
	}
}

// DoJSON calls Do and decodes the reply's JSON body into out. An empty body
// is NullResponse; a body that is not JSON (an HTML error page, a truncated
// document) or not of out's shape is BadResponse, with the HTTP status.
func (c *Client) DoJSON(ctx context.Context, ep Endpoint, p Params, out any) error {
	resp, err := c.Do(ctx, ep, p)
	if err != nil {
		return err
	}
	return c.Decode(resp, out)
}
