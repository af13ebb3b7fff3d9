package rest

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/unifex-go/unifex/errors"
)

// maxRetryAfter bounds any wait a reply may ask for (Binance IP bans last
// up to three days).
const maxRetryAfter = 7 * 24 * time.Hour

// check classifies a reply: the venue's own error mapping first (as CCXT's
// handleErrors), then the HTTP status table (CCXT's httpExceptions). It
// returns nil when the venue accepted the request.
func (c *Client) check(resp *Response) error {
	if c.checkError != nil {
		if err := c.checkError(resp); err != nil {
			e := c.adopt(err, errors.ExchangeError)
			c.complete(e, resp)
			return e
		}
	}
	if resp.Status >= 200 && resp.Status <= 299 {
		return nil
	}
	e := &errors.Error{Kind: c.statusKind(resp.Status), Exchange: c.exchange, Message: statusMessage(resp)}
	c.complete(e, resp)
	return e
}

// complete fills what the transport knows about a reply into e.
func (c *Client) complete(e *errors.Error, resp *Response) {
	if e.HTTPStatus == 0 {
		e.HTTPStatus = resp.Status
	}
	if e.RetryAfter <= 0 {
		e.RetryAfter = c.retryAfter(resp)
	}
}

// statusKind maps an HTTP status to a kind: Config.StatusKinds first, then
// CCXT's base httpExceptions table, except 400 (BadRequest, where CCXT says
// ExchangeNotAvailable) and 403 (PermissionDenied, where CCXT says
// ExchangeNotAvailable): an unmapped 400 is a malformed request and an
// unmapped 403 a refused key, and neither should look retryable. Statuses
// the table does not list: 4xx ExchangeError, 5xx ExchangeNotAvailable, and
// anything else (1xx, an unfollowed 3xx) BadResponse.
func (c *Client) statusKind(status int) *errors.Kind {
	if k := c.kinds[status]; k != nil {
		return k
	}
	switch status {
	case 400:
		return errors.BadRequest
	case 401, 407, 511:
		return errors.AuthenticationError
	case 403:
		return errors.PermissionDenied
	case 408, 504:
		return errors.RequestTimeout
	case 418:
		return errors.DDoSProtection
	case 422:
		return errors.ExchangeError
	case 429:
		return errors.RateLimitExceeded
	case 404, 405, 409, 410, 451, 500, 501, 502, 503, 520, 521, 522, 525, 526, 530:
		return errors.ExchangeNotAvailable
	}
	switch {
	case status >= 500 && status <= 599:
		return errors.ExchangeNotAvailable
	case status >= 400 && status <= 499:
		return errors.ExchangeError
	}
	return errors.BadResponse
}

// statusMessage describes a reply without quoting its body: the status text
// and what kind of body came, e.g. "Bad Gateway (text/html reply, 1532
// bytes)".
func statusMessage(resp *Response) string {
	text := http.StatusText(resp.Status)
	if text == "" {
		text = "HTTP status " + strconv.Itoa(resp.Status)
	}
	return text + " (" + describeBody(resp) + ")"
}

// describeBody names a reply's media type and size, never its content.
func describeBody(resp *Response) string {
	if len(bytes.TrimSpace(resp.Body)) == 0 {
		return "empty reply"
	}
	mt := "untyped"
	if ct := resp.Header.Get("Content-Type"); ct != "" {
		if t, _, err := mime.ParseMediaType(ct); err == nil && len(t) <= 64 {
			mt = t
		} else {
			mt = "unparsable Content-Type"
		}
	}
	return mt + " reply, " + strconv.Itoa(len(resp.Body)) + " bytes"
}

// retryAfter is how long a reply asks the caller to wait: the larger of a
// Retry-After header (seconds or HTTP date) and the venue's own hint.
func (c *Client) retryAfter(resp *Response) time.Duration {
	d := parseRetryAfter(resp.Header, c.src.Clock())
	if c.retryHint != nil {
		if h := c.retryHint(resp); h > d {
			d = h
		}
	}
	return min(max(d, 0), maxRetryAfter)
}

// parseRetryAfter reads Retry-After as delta-seconds (fractions accepted) or
// as an HTTP date, measured against the reply's Date header when there is
// one (so a skewed local clock does not matter), else against now.
func parseRetryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if math.IsNaN(secs) || secs <= 0 {
			return 0
		}
		if secs >= maxRetryAfter.Seconds() {
			return maxRetryAfter
		}
		return time.Duration(secs * float64(time.Second))
	}
	at, err := http.ParseTime(v)
	if err != nil {
		return 0
	}
	ref := now
	if date, err := http.ParseTime(h.Get("Date")); err == nil {
		ref = date
	}
	return min(max(at.Sub(ref), 0), maxRetryAfter)
}

// Decode decodes resp's JSON body into out. An empty body is NullResponse;
// a body that is not JSON, or not of out's shape, is BadResponse. The
// message describes the reply (media type, size), never quotes it; the
// decoder's error is kept as the cause.
func (c *Client) Decode(resp *Response, out any) error {
	if len(bytes.TrimSpace(resp.Body)) == 0 {
		return &errors.Error{Kind: errors.NullResponse, Exchange: c.exchange, HTTPStatus: resp.Status, Message: "empty reply"}
	}
	err := json.Unmarshal(resp.Body, out)
	if err == nil {
		return nil
	}
	msg := "reply is not valid JSON (" + describeBody(resp) + ")"
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		msg = "reply does not have the expected shape (" + describeBody(resp) + ")"
	}
	return &errors.Error{Kind: errors.BadResponse, Exchange: c.exchange, HTTPStatus: resp.Status, Message: msg, Cause: err}
}

// adopt turns err into a fresh *errors.Error of this exchange: a copy of the
// *errors.Error in err's tree (adapters may return shared values), or a new
// one of err's kind (fallback when err is outside the taxonomy) wrapping err.
func (c *Client) adopt(err error, fallback *errors.Kind) *errors.Error {
	var e *errors.Error
	if errors.As(err, &e) {
		cp := *e
		if cp.Kind == nil {
			cp.Kind = fallback
		}
		if cp.Exchange == "" {
			cp.Exchange = c.exchange
		}
		return &cp
	}
	if k, ok := err.(*errors.Kind); ok {
		return &errors.Error{Kind: k, Exchange: c.exchange}
	}
	kind := errors.KindOf(err)
	if kind == nil {
		kind = fallback
	}
	return &errors.Error{Kind: kind, Exchange: c.exchange, Cause: err}
}

// asError returns the *errors.Error every failure of this package is.
func asError(err error) *errors.Error {
	var e *errors.Error
	if errors.As(err, &e) {
		return e
	}
	return &errors.Error{Kind: errors.KindOf(err), Cause: err}
}

// unsentError is a failure before anything was sent.
func (c *Client) unsentError(kind *errors.Kind, msg string) *errors.Error {
	return &errors.Error{Kind: kind, Exchange: c.exchange, Message: msg, Unsent: true}
}

// configError is a failure of New.
func (c *Client) configError(msg string) *errors.Error {
	return &errors.Error{Kind: errors.BadRequest, Exchange: c.exchange, Message: "rest: invalid config: " + msg}
}

// closedError is the failure of a call on (or cut by) a closed client.
func (c *Client) closedError(unsent bool) *errors.Error {
	return &errors.Error{Kind: errors.ExchangeClosedByUser, Exchange: c.exchange, Message: "client closed", Unsent: unsent}
}

// ctxError is the failure of a call whose context ended: closed client,
// deadline (RequestTimeout) or cancellation (OperationFailed, as in
// internal/stream: the caller's own cancellation is not a NetworkError, or
// "retry on NetworkError" loops would spin on a dead context). The cause is
// ctx.Err(), so errors.Is(err, context.Canceled) holds.
func (c *Client) ctxError(ctx context.Context, unsent bool) *errors.Error {
	if context.Cause(ctx) == errClosed {
		return c.closedError(unsent)
	}
	if ctx.Err() == context.DeadlineExceeded {
		return &errors.Error{Kind: errors.RequestTimeout, Exchange: c.exchange, Message: "deadline exceeded", Cause: ctx.Err(), Unsent: unsent}
	}
	return &errors.Error{Kind: errors.OperationFailed, Exchange: c.exchange, Message: "request cancelled", Cause: ctx.Err(), Unsent: unsent}
}
