package stream

import (
	"context"
	stderrors "errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/unifex-go/unifex/errors"
)

// newError builds an *errors.Error. cause is sanitised: a *url.Error keeps
// only the scheme and host of its URL.
func newError(kind *errors.Kind, exchange, message string, cause error, unsent bool) *errors.Error {
	return &errors.Error{Kind: kind, Exchange: exchange, Message: message, Cause: sanitize(cause), Unsent: unsent}
}

// sanitize strips the URL of a *url.Error down to scheme and host, since
// paths and queries carry tokens. Other errors are returned as they are.
func sanitize(err error) error {
	ue, ok := err.(*url.Error)
	if !ok {
		return err
	}
	c := *ue
	c.URL = redactURL(ue.URL)
	return &c
}

// wrap keeps an error that is already in the taxonomy and otherwise wraps
// it as kind; a network timeout wrapped as NetworkError becomes
// RequestTimeout.
func wrap(kind *errors.Kind, exchange, message string, err error) error {
	if errors.KindOf(err) != nil {
		return err
	}
	var ne net.Error
	if kind == errors.NetworkError && stderrors.As(err, &ne) && ne.Timeout() {
		kind = errors.RequestTimeout
	}
	return newError(kind, exchange, message, err, false)
}

// classify is wrap, with RequestTimeout as the kind when ctx's deadline
// has passed.
func classify(ctx context.Context, kind *errors.Kind, exchange, message string, err error) error {
	if stderrors.Is(ctx.Err(), context.DeadlineExceeded) {
		kind = errors.RequestTimeout
	}
	return wrap(kind, exchange, message, err)
}

// opaque hides the tree of err from SafeToRetry (it has no Unwrap) while
// errors.Is and errors.As still see err. It wraps the cause of a failure
// that may have reached the venue, so that nothing inside can claim that
// the request was never sent.
type opaque struct{ err error }

func noRetry(err error) error { return opaque{err} }

func (o opaque) Error() string        { return o.err.Error() }
func (o opaque) Is(target error) bool { return errors.Is(o.err, target) }
func (o opaque) As(target any) bool   { return errors.As(o.err, target) }

// retryAfterOf returns the RetryAfter of the first *errors.Error in err.
func retryAfterOf(err error) time.Duration {
	var e *errors.Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}

// statusKind maps the HTTP status of a refused handshake or poll to the
// taxonomy as CCXT's httpExceptions table does.
func statusKind(code int) *errors.Kind {
	switch code {
	case http.StatusUnauthorized, http.StatusProxyAuthRequired, http.StatusNetworkAuthenticationRequired:
		return errors.AuthenticationError
	case http.StatusTeapot:
		return errors.DDoSProtection
	case http.StatusTooManyRequests:
		return errors.RateLimitExceeded
	case http.StatusRequestTimeout, http.StatusGatewayTimeout:
		return errors.RequestTimeout
	}
	return errors.ExchangeNotAvailable
}

// statusError is the error for a refused HTTP exchange: its kind from the
// status, the status itself and any Retry-After.
func statusError(exchange, message string, resp *http.Response) *errors.Error {
	e := newError(statusKind(resp.StatusCode), exchange, message, nil, false)
	e.HTTPStatus = resp.StatusCode
	e.RetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	return e
}

// parseRetryAfter reads a Retry-After header in seconds or as an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil {
		if s < 0 {
			return 0
		}
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
