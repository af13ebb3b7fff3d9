package rest

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/unifex-go/unifex/errors"
)

// attempt waits for the limiter, builds, sends and classifies one attempt.
// req is nil when nothing was built; ev is the attempt's hook event.
func (c *Client) attempt(ctx context.Context, ep Endpoint, p Params, n int) (*Response, *Request, RequestDone, error) {
	ev := RequestDone{Exchange: c.exchange, Endpoint: ep, Attempt: n}
	if err := c.blockedError(); err != nil {
		ev.Err = err
		return nil, nil, ev, err
	}
	t0 := time.Now()
	cost := ep.cost()
	if c.weight != nil {
		cost = max(c.weight(ep, p), 1)
	}
	if err := c.limiter.Wait(ctx, cost); err != nil {
		ev.RateLimitWait = time.Since(t0)
		ev.Err = c.ctxError(ctx, true)
		return nil, nil, ev, ev.Err
	}
	if c.quota != nil {
		if err := c.WaitQuota(ctx, c.quota(ep, p)); err != nil {
			ev.RateLimitWait = time.Since(t0)
			ev.Err = err
			return nil, nil, ev, err
		}
	}
	ev.RateLimitWait = time.Since(t0)
	req, err := c.build(ctx, ep, p)
	if err != nil {
		ev.Err = err
		return nil, nil, ev, err
	}
	for _, h := range c.hooks.start {
		h.OnRequestStart(RequestStart{Exchange: c.exchange, Endpoint: ep, Attempt: n, RateLimitWait: ev.RateLimitWait})
	}
	t1 := time.Now()
	resp, err := c.send(ctx, req, ep)
	ev.Latency = time.Since(t1)
	if resp != nil {
		ev.Status, ev.BodySize = resp.Status, len(resp.Body)
	} else if e := asError(err); e.HTTPStatus != 0 {
		ev.Status = e.HTTPStatus
	}
	if err == nil {
		err = c.check(resp)
	}
	ev.Err = err
	return resp, req, ev, err
}

// connTrace records whether net/http handed the request a connection. Until
// it has, no byte of the request can have been written; once it has, bytes
// may leave at any moment (trace hooks such as WroteHeaders fire before the
// buffered bytes are flushed, and an HTTP/2 stream writer may still run after
// a cancelled RoundTrip has returned), so only "no connection" is proof that
// the request never left.
type connTrace struct {
	got atomic.Bool
}

// send performs one HTTP exchange under the per-attempt deadline and reads
// the whole reply.
func (c *Client) send(ctx context.Context, r *Request, ep Endpoint) (*Response, error) {
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var ct *connTrace
	if !ep.idempotent() {
		ct = new(connTrace)
		actx = httptrace.WithClientTrace(actx, &httptrace.ClientTrace{
			GotConn: func(httptrace.GotConnInfo) { ct.got.Store(true) },
		})
	}
	hreq, err := http.NewRequestWithContext(actx, r.Method, "", nil)
	if err != nil {
		return nil, c.unsentError(errors.BadRequest, "invalid HTTP method "+strconv.Quote(r.Method))
	}
	hreq.URL = r.URL
	hreq.Host = r.URL.Host
	hreq.Header = r.Header
	if len(r.Body) > 0 {
		body := r.Body
		hreq.ContentLength = int64(len(body))
		hreq.Body = io.NopCloser(bytes.NewReader(body))
		hreq.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	hresp, err := c.hc.Do(hreq)
	if err != nil {
		unsent := ct != nil && !ct.got.Load()
		return nil, c.transportError(ctx, actx, err, unsent, 0)
	}
	defer hresp.Body.Close()
	if hresp.ContentLength > c.maxBody {
		return nil, c.tooLarge(hresp.StatusCode)
	}
	body, err := c.readBody(ctx, actx, hresp)
	if err != nil {
		return nil, err
	}
	return &Response{Endpoint: ep, Status: hresp.StatusCode, Header: hresp.Header, Body: body}, nil
}

// readBody reads a reply body up to the cap. A body cut short is a
// NetworkError (RequestTimeout when the deadline cut it) carrying the HTTP
// status: the venue answered, so the request did arrive.
func (c *Client) readBody(ctx, actx context.Context, hresp *http.Response) ([]byte, error) {
	size := 512
	if n := hresp.ContentLength; n > 0 && hresp.Request.Method != http.MethodHead {
		size = int(n) + 1 // +1 so that ReadFrom sees EOF without growing
	}
	buf := bytes.NewBuffer(make([]byte, 0, size))
	n, err := buf.ReadFrom(io.LimitReader(hresp.Body, c.maxBody+1))
	if err != nil {
		e := c.transportError(ctx, actx, err, false, hresp.StatusCode)
		if e.Kind == errors.NetworkError {
			e.Message = "reply cut short after " + strconv.FormatInt(n, 10) + " bytes"
		}
		return nil, e
	}
	if n > c.maxBody {
		return nil, c.tooLarge(hresp.StatusCode)
	}
	return buf.Bytes(), nil
}

// tooLarge is the failure of a reply over the body cap.
func (c *Client) tooLarge(status int) *errors.Error {
	return &errors.Error{Kind: errors.BadResponse, Exchange: c.exchange, HTTPStatus: status,
		Message: "reply larger than the " + strconv.FormatInt(c.maxBody, 10) + "-byte cap"}
}

// transportError classifies a failure to complete an HTTP exchange. ctx is
// the call's context, actx the attempt's (with the per-attempt deadline). A
// *url.Error cause loses its query string (errors.Wrap), so no signature
// reaches the message.
func (c *Client) transportError(ctx, actx context.Context, err error, unsent bool, status int) *errors.Error {
	var e *errors.Error
	switch {
	case ctx.Err() != nil:
		e = c.ctxError(ctx, unsent)
	case actx.Err() == context.DeadlineExceeded || isTimeout(err):
		e = errors.Wrap(errors.RequestTimeout, err, "no complete reply within "+c.timeout.String())
	case unsent:
		e = errors.Wrap(errors.NetworkError, err, "no connection; nothing was sent")
	default:
		e = errors.Wrap(errors.NetworkError, err, "request failed")
	}
	e.Exchange = c.exchange
	e.Unsent = unsent
	e.HTTPStatus = status
	return e
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// finish reports a finished attempt to the hooks and the debug log.
func (c *Client) finish(ctx context.Context, ev RequestDone) {
	for _, h := range c.hooks.done {
		h.OnRequestDone(ev)
	}
	if c.log == nil || !c.log.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("exchange", c.exchange),
		slog.String("api", ev.Endpoint.API),
		slog.String("method", ev.Endpoint.method()),
		slog.String("path", ev.Endpoint.Path),
		slog.Bool("signed", ev.Endpoint.Signed),
		slog.Int("attempt", ev.Attempt),
		slog.Int("status", ev.Status),
		slog.Duration("latency", ev.Latency),
		slog.Duration("rate_limit_wait", ev.RateLimitWait),
		slog.Int("body_bytes", ev.BodySize),
	}
	if ev.Err != nil {
		attrs = append(attrs, slog.String("error", ev.Err.Error()))
	}
	if ev.Retry {
		attrs = append(attrs, slog.Duration("retry_in", ev.RetryIn))
	}
	c.log.LogAttrs(ctx, slog.LevelDebug, "rest request", attrs...)
}
