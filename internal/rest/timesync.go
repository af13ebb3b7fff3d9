package rest

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/unifex-go/unifex/errors"
)

// timeSync holds the server-time offset. Measurements are serialised by a
// one-slot semaphore (so a waiter can leave on ctx) and numbered, so that a
// burst of requests refused for their timestamps triggers one resync.
type timeSync struct {
	sem    chan struct{}
	offset atomic.Int64  // server minus local, nanoseconds
	gen    atomic.Uint64 // measurements so far; 0 = never measured
}

func (t *timeSync) get() time.Duration { return time.Duration(t.offset.Load()) }

// syncingKey marks the context of a ServerTime call, so that a request made
// from inside it never waits for the sync it is part of.
type syncingKey struct{}

// ensureSynced measures the server time before the first signed request.
// It returns the generation the request is signed with.
func (c *Client) ensureSynced(ctx context.Context) (uint64, error) {
	gen := c.clock.gen.Load()
	if gen != 0 || c.serverTime == nil || ctx.Value(syncingKey{}) != nil {
		return gen, nil
	}
	return c.resync(ctx, 0)
}

// resync measures the offset again unless another caller already did since
// generation seen. The offset is the server's time minus the local time at
// the middle of the round trip.
func (c *Client) resync(ctx context.Context, seen uint64) (uint64, error) {
	select {
	case c.clock.sem <- struct{}{}:
	case <-ctx.Done():
		return seen, c.ctxError(ctx, true)
	}
	defer func() { <-c.clock.sem }()
	if gen := c.clock.gen.Load(); gen != seen {
		return gen, nil
	}
	sctx, cancel := context.WithTimeout(context.WithValue(ctx, syncingKey{}, true), c.timeout)
	defer cancel()
	t0 := c.src.Clock()
	server, err := c.serverTime(sctx)
	rtt := max(c.src.Clock().Sub(t0), 0)
	ev := TimeSync{Exchange: c.exchange, RTT: rtt}
	gen := seen
	var e *errors.Error
	switch {
	case err != nil:
		if ctx.Err() != nil {
			e = c.ctxError(ctx, true)
		} else {
			e = c.adopt(err, errors.NetworkError)
			e.Message = "server time sync: " + e.Message
		}
	case server.IsZero():
		e = &errors.Error{Kind: errors.BadResponse, Exchange: c.exchange, Message: "server time sync: no time in the reply"}
	default:
		off := server.Sub(t0.Add(rtt / 2))
		c.clock.offset.Store(int64(off))
		gen = c.clock.gen.Add(1)
	}
	ev.Offset = c.clock.get()
	if e != nil {
		e.Unsent = true
		ev.Err = e
	}
	for _, h := range c.hooks.sync {
		h.OnTimeSync(ev)
	}
	if c.log != nil && c.log.Enabled(ctx, slog.LevelDebug) {
		attrs := []slog.Attr{slog.String("exchange", c.exchange), slog.Duration("offset", ev.Offset), slog.Duration("rtt", rtt)}
		if e != nil {
			attrs = append(attrs, slog.String("error", e.Error()))
		}
		c.log.LogAttrs(ctx, slog.LevelDebug, "rest server time", attrs...)
	}
	if e != nil {
		return gen, e
	}
	return gen, nil
}

// SyncedNow returns the venue's current time as Now does, measuring the
// server-time offset first when it never was (as the first signed request
// does), for signatures made outside the transport: a WebSocket login that
// carries a timestamp.
func (c *Client) SyncedNow(ctx context.Context) (time.Time, error) {
	if _, err := c.ensureSynced(ctx); err != nil {
		return time.Time{}, err
	}
	return c.Now(), nil
}

// SyncTime measures the server-time offset again (Config.ServerTime), for a
// signature made outside the transport that the venue refused for its
// timestamp (a WebSocket login). Callers racing after the same measurement
// share one. Without Config.ServerTime it does nothing.
func (c *Client) SyncTime(ctx context.Context) error {
	if c.serverTime == nil {
		return nil
	}
	_, err := c.resync(ctx, c.clock.gen.Load())
	return err
}
