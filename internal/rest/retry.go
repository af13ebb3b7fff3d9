package rest

import (
	"context"
	"time"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/internal/backoff"
)

// retryState is what one call remembers between its attempts.
type retryState struct {
	bo       *backoff.Backoff
	resynced bool
}

// block is a venue's "stop for a long while" (a 429/418 whose wait exceeds
// RetryPolicy.MaxWait): until it ends every call fails at once instead of
// queueing in the limiter for hours.
type block struct {
	until time.Time
	kind  *errors.Kind
}

// next decides whether a failed attempt is tried again, and after how long.
// It also pauses the shared limiter when the venue said "slow down".
func (c *Client) next(ctx context.Context, ep Endpoint, req *Request, resp *Response, err error, attempt int, st *retryState) (time.Duration, bool) {
	if ctx.Err() != nil {
		return 0, false
	}
	e := asError(err)
	// A venue that refused a signed request for its timestamp did not act on
	// it, whatever the method: measure the clock again and try once more.
	if resp != nil && req != nil && ep.Signed && c.serverTime != nil && !st.resynced && errors.Is(err, errors.InvalidNonce) {
		st.resynced = true
		_, serr := c.resync(ctx, req.syncGen)
		return 0, serr == nil
	}
	limited := resp != nil && (resp.Status == 429 || resp.Status == 418 ||
		errors.Is(err, errors.RateLimitExceeded) || errors.Is(err, errors.DDoSProtection))
	retry := attempt < c.retry.MaxAttempts && c.retryable(ep, resp, e)
	if !retry && !limited {
		return 0, false
	}
	if st.bo == nil {
		st.bo = backoff.New(c.retry.Backoff, nil)
	}
	delay := max(st.bo.Next(), e.RetryAfter)
	if limited {
		until := c.src.Clock().Add(delay)
		if delay > c.retry.MaxWait {
			c.blocked.Store(&block{until: until, kind: e.Kind})
		} else {
			c.limiter.PauseUntil(until)
		}
	}
	if !retry || delay > c.retry.MaxWait {
		return 0, false
	}
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < delay {
		return 0, false
	}
	return delay, true
}

// retryable reports whether an attempt that failed with e may be repeated.
// Without a reply: a transport failure that provably never left the client,
// for any endpoint, or any transport failure of an idempotent one. With a
// reply: only idempotent endpoints, on 408, 429, 500, 502–504, 520–530 (not
// an IP ban) or a venue rate-limit error.
func (c *Client) retryable(ep Endpoint, resp *Response, e *errors.Error) bool {
	transport := e.Kind == errors.NetworkError || e.Kind == errors.RequestTimeout
	if resp == nil {
		return transport && (e.Unsent || ep.idempotent())
	}
	if !ep.idempotent() || errors.Is(e, errors.DDoSProtection) {
		return false
	}
	if errors.Is(e, errors.RateLimitExceeded) {
		return true
	}
	switch s := resp.Status; {
	case s == 408, s == 429, s == 500, s >= 502 && s <= 504, s >= 520 && s <= 530:
		return errors.Is(e, errors.NetworkError)
	}
	return false
}

// blockedError fails a call at once while a long venue block lasts.
func (c *Client) blockedError() *errors.Error {
	b := c.blocked.Load()
	if b == nil {
		return nil
	}
	left := b.until.Sub(c.src.Clock())
	if left <= 0 {
		c.blocked.CompareAndSwap(b, nil)
		return nil
	}
	return &errors.Error{Kind: b.kind, Exchange: c.exchange, RetryAfter: left, Unsent: true,
		Message: "the venue asked to stop sending for " + left.Round(time.Second).String()}
}
