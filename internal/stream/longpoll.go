package stream

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/unifex-go/unifex/errors"
)

// DefaultPollTimeout bounds one long-poll request when LongPoll.Timeout is
// zero. PubNub holds a subscribe request for up to about 280 s.
const DefaultPollTimeout = 310 * time.Second

// DefaultMaxPollBody caps one long-poll reply when LongPoll.MaxBody is zero.
const DefaultMaxPollBody = 16 << 20

// LongPoll is a Transport that makes a stream of repeated HTTP long-poll
// requests, for venues with no private WebSocket (bitbank's private stream
// over PubNub). Each reply is a batch of messages and a cursor for the next
// request; Conn.Read returns the messages one at a time, in order.
//
// Dial makes the first request, so a refused token fails the dial (and the
// link's next dial asks Config.Dial for a fresh one). A reply with no
// message counts as liveness. The stream is receive-only: Write fails with
// errors.NotSupported and leaves the connection up. A new connection starts
// from a fresh cursor: what was published during an outage must be
// reconciled over REST.
type LongPoll struct {
	// Poller speaks the venue's long-poll protocol; required. PubNub{} is
	// the one implemented here.
	Poller Poller
	// Client sends the requests. Nil means a private client per connection
	// with connect, TLS and header timeouts, whose idle connections are
	// closed with the connection.
	Client *http.Client
	// Timeout bounds each request (DefaultPollTimeout when 0).
	Timeout time.Duration
	// MaxBody caps one reply in bytes (DefaultMaxPollBody when 0).
	MaxBody int64
}

// Poller builds long-poll requests and parses their replies.
type Poller interface {
	// NewRequest returns the request for the next poll of t, given the
	// cursor of the previous reply ("" for the first poll).
	NewRequest(ctx context.Context, t Target, cursor string) (*http.Request, error)
	// ParseReply parses one reply. messages may alias body. A non-2xx
	// status must give an error in the taxonomy (AuthenticationError for
	// an expired token, so the link redials with a new one).
	ParseReply(status int, header http.Header, body []byte) (messages [][]byte, cursor string, err error)
}

// Dial implements Transport.
func (lp LongPoll) Dial(ctx context.Context, t Target) (Conn, error) {
	if lp.Poller == nil {
		return nil, newError(errors.BadRequest, "", "LongPoll needs a Poller", nil, true)
	}
	if lp.Timeout <= 0 {
		lp.Timeout = DefaultPollTimeout
	}
	if lp.MaxBody <= 0 {
		lp.MaxBody = DefaultMaxPollBody
	}
	c := &pollConn{lp: lp, target: t, client: lp.Client, host: hostOf(t.URL)}
	if c.client == nil {
		c.own = &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: defaultHandshakeTimeout, KeepAlive: 30 * time.Second}).DialContext,
			TLSHandshakeTimeout:   defaultHandshakeTimeout,
			ResponseHeaderTimeout: lp.Timeout,
			MaxIdleConnsPerHost:   1,
			IdleConnTimeout:       90 * time.Second,
		}
		c.client = &http.Client{Transport: c.own}
	}
	c.ctx, c.cancel = context.WithCancel(context.Background())
	if err := c.poll(ctx); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// pollConn is one long-poll stream.
type pollConn struct {
	lp        LongPoll
	target    Target
	host      string
	client    *http.Client
	own       *http.Transport
	ctx       context.Context // ends at Close
	cancel    context.CancelFunc
	cursor    string
	batch     [][]byte
	next      int
	onControl func(time.Duration)
}

// NotifyControl implements ControlNotifier: f hears each empty reply.
func (c *pollConn) NotifyControl(f func(rtt time.Duration)) { c.onControl = f }

// Read returns the next message, polling as often as needed.
func (c *pollConn) Read(ctx context.Context) (Message, error) {
	for c.next >= len(c.batch) {
		if err := c.poll(ctx); err != nil {
			return Message{}, err
		}
	}
	m := c.batch[c.next]
	c.batch[c.next] = nil
	c.next++
	return Message{Type: Text, Data: m}, nil
}

// poll makes one request and stores its batch and cursor.
func (c *pollConn) poll(ctx context.Context) error {
	pctx, cancel := context.WithTimeout(c.ctx, c.lp.Timeout)
	defer cancel()
	stop := context.AfterFunc(ctx, cancel)
	defer stop()
	req, err := c.lp.Poller.NewRequest(pctx, c.target, c.cursor)
	if err != nil {
		return classify(pctx, errors.BadRequest, "", "long-poll request", err)
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return classify(pctx, errors.NetworkError, "", "long poll to "+c.host+" failed", err)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.lp.MaxBody+1))
	resp.Body.Close()
	if err != nil {
		return classify(pctx, errors.NetworkError, "", "long poll to "+c.host+" failed", err)
	}
	if int64(len(body)) > c.lp.MaxBody {
		return newError(errors.BadResponse, "", "long-poll reply too large", nil, false)
	}
	msgs, cursor, err := c.lp.Poller.ParseReply(resp.StatusCode, resp.Header, body)
	if err != nil {
		return wrap(errors.BadResponse, "", "long-poll reply", err)
	}
	c.cursor, c.batch, c.next = cursor, msgs, 0
	if len(msgs) == 0 && c.onControl != nil {
		c.onControl(0)
	}
	return nil
}

// Write fails: a long-poll stream carries nothing upstream.
func (c *pollConn) Write(context.Context, Message) error {
	return newError(errors.NotSupported, "", "a long-poll stream cannot send messages", nil, true)
}

// Close aborts any request in flight and frees the private client.
func (c *pollConn) Close() error {
	c.cancel()
	if c.own != nil {
		c.own.CloseIdleConnections()
	}
	return nil
}

// PubNub is the Poller for PubNub's subscribe v2 long poll, as bitbank's
// private stream uses it. The Target URL is the subscribe URL with its
// credentials, for example
// https://ps.pndsn.com/v2/subscribe/{subKey}/{channel}/0?uuid={channel}&auth={token};
// PubNub adds tt (timetoken) and tr (region) from each reply to the next
// request. Each message is the raw JSON of an envelope's "d" field.
type PubNub struct{}

// NewRequest implements Poller.
func (PubNub) NewRequest(ctx context.Context, t Target, cursor string) (*http.Request, error) {
	u, err := url.Parse(t.URL)
	if err != nil {
		return nil, newError(errors.BadRequest, "", "unparsable PubNub URL", nil, true)
	}
	q := u.Query()
	tt, tr, _ := strings.Cut(cursor, ":")
	if tt == "" {
		tt = "0"
	}
	q.Set("tt", tt)
	if tr != "" {
		q.Set("tr", tr)
	} else {
		q.Del("tr")
	}
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, newError(errors.BadRequest, "", "PubNub request", nil, true)
	}
	for k, vs := range t.Header {
		req.Header[k] = vs
	}
	return req, nil
}

// ParseReply implements Poller: {"t":{"t":"<timetoken>","r":<region>},"m":[{"d":...},...]}.
// An error status becomes AuthenticationError (401, 403: an expired or
// revoked token), RateLimitExceeded (429), BadRequest (400) or
// ExchangeNotAvailable, with PubNub's own short message.
func (PubNub) ParseReply(status int, header http.Header, body []byte) ([][]byte, string, error) {
	if status < 200 || status > 299 {
		var e struct {
			Message string `json:"message"`
		}
		json.Unmarshal(body, &e)
		msg := "PubNub refused the subscribe request"
		if e.Message != "" {
			msg += ": " + truncate(e.Message, 100)
		}
		kind := statusKind(status)
		switch status {
		case http.StatusForbidden:
			kind = errors.AuthenticationError
		case http.StatusBadRequest:
			kind = errors.BadRequest
		}
		err := newError(kind, "", msg, nil, false)
		err.HTTPStatus = status
		err.RetryAfter = parseRetryAfter(header.Get("Retry-After"), time.Now())
		return nil, "", err
	}
	var r struct {
		T struct {
			T string      `json:"t"`
			R json.Number `json:"r"`
		} `json:"t"`
		M []struct {
			D json.RawMessage `json:"d"`
		} `json:"m"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, "", newError(errors.BadResponse, "", "malformed PubNub reply", err, false)
	}
	if r.T.T == "" {
		return nil, "", newError(errors.BadResponse, "", "PubNub reply without a timetoken", nil, false)
	}
	msgs := make([][]byte, 0, len(r.M))
	for _, m := range r.M {
		if len(m.D) > 0 {
			msgs = append(msgs, m.D)
		}
	}
	return msgs, r.T.T + ":" + r.T.R.String(), nil
}

// truncate cuts s to at most n bytes.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
