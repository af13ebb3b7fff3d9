package binancetest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/unifex-go/unifex/internal/fakeserver"
	"github.com/unifex-go/unifex/internal/faketest"
)

// start starts a server that the test closes.
func start(t *testing.T, cfg Config) *Server { t.Helper(); return faketest.Start(t, Start, cfg) }

// reply is a REST reply.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// decode unmarshals the body into v.
func (r reply) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("reply %d %s: %v", r.status, r.body, err)
	}
}

// code is the Binance error code of an error reply (0 when none).
func (r reply) code() int {
	var e struct{ Code int }
	_ = json.Unmarshal(r.body, &e)
	return e.Code
}

// do sends a REST request with the query (and form body) as given.
func do(t *testing.T, s *Server, method, path, query, body string, header http.Header) reply {
	t.Helper()
	u := s.URLs()["rest"] + path
	if query != "" {
		u += "?" + query
	}
	if body != "" {
		header = header.Clone()
		if header == nil {
			header = http.Header{}
		}
		header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	r := faketest.Do(t, method, u, body, header)
	return reply{r.Status, r.Header, r.Body}
}

// get sends a public GET.
func get(t *testing.T, s *Server, path, query string) reply {
	t.Helper()
	return do(t, s, "GET", path, query, "", nil)
}

// signed sends a signed request with the test credentials: params in
// order, then timestamp and signature in the query.
func signed(t *testing.T, s *Server, method, path string, params ...string) reply {
	t.Helper()
	q := url.Values{}
	var b strings.Builder
	for i := 0; i+1 < len(params); i += 2 {
		q.Set(params[i], params[i+1])
		b.WriteString(url.QueryEscape(params[i]) + "=" + url.QueryEscape(params[i+1]) + "&")
	}
	b.WriteString("timestamp=" + strconv.FormatInt(s.now().UnixMilli(), 10))
	payload := b.String()
	sig := fakeserver.SignHMACSHA256(s.cfg.Secret, []byte(payload))
	return do(t, s, method, path, payload+"&signature="+sig, "", http.Header{"X-Mbx-Apikey": {s.cfg.APIKey}})
}

// client is a test's WebSocket connection.
type client struct {
	t  *testing.T
	ws *websocket.Conn
}

// dial connects to path on the server's WebSocket side.
func dial(t *testing.T, s *Server, path string) *client {
	t.Helper()
	return &client{t, faketest.Dial(t, s.URLs()["stream"]+path)}
}

// send writes v as JSON.
func (c *client) send(v any) { c.t.Helper(); faketest.Send(c.t, c.ws, v) }

// next reads the next message as a JSON object.
func (c *client) next() map[string]json.RawMessage { c.t.Helper(); return faketest.Next(c.t, c.ws) }

// until reads messages until one satisfies ok, and returns it.
func (c *client) until(ok func(map[string]json.RawMessage) bool) map[string]json.RawMessage {
	c.t.Helper()
	return faketest.Until(c.t, 10000, c.next, ok)
}

// quiet reports whether nothing arrives within d.
func (c *client) quiet(d time.Duration) bool {
	_ = c.ws.SetReadDeadline(time.Now().Add(d))
	_, _, err := c.ws.ReadMessage()
	return err != nil
}

// str, num and obj read a field.
var (
	str = faketest.Str
	num = faketest.Num
	obj = faketest.Obj
)

// dialRaw dials without failing the test.
func dialRaw(s *Server, path string) (*websocket.Conn, *http.Response, error) {
	ws, resp, err := websocket.DefaultDialer.Dial(s.URLs()["stream"]+path, nil)
	if err == nil {
		ws.Close()
	}
	return ws, resp, err
}

// hmacHex is the hex HMAC-SHA256 of payload.
func hmacHex(secret, payload string) string {
	return fakeserver.SignHMACSHA256(secret, []byte(payload))
}
