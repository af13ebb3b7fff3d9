package binancetest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/unifex-go/unifex/internal/fakeserver"
)

// start starts a server that the test closes.
func start(t *testing.T, cfg Config) *Server {
	t.Helper()
	s := Start(cfg)
	t.Cleanup(s.Close)
	return s
}

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
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return reply{resp.StatusCode, resp.Header, b}
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
	ws, resp, err := websocket.DefaultDialer.Dial(s.URLs()["stream"]+path, nil)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.Fatalf("dial %s: %v (HTTP %d)", path, err, status)
	}
	t.Cleanup(func() { ws.Close() })
	return &client{t, ws}
}

// send writes v as JSON.
func (c *client) send(v any) {
	c.t.Helper()
	if err := c.ws.WriteJSON(v); err != nil {
		c.t.Fatal(err)
	}
}

// next reads the next message as a JSON object.
func (c *client) next() map[string]json.RawMessage {
	c.t.Helper()
	_ = c.ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, data, err := c.ws.ReadMessage()
	if err != nil {
		c.t.Fatalf("read: %v", err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		c.t.Fatalf("frame %s: %v", data, err)
	}
	return m
}

// until reads messages until one satisfies ok, and returns it.
func (c *client) until(ok func(map[string]json.RawMessage) bool) map[string]json.RawMessage {
	c.t.Helper()
	for i := 0; i < 10000; i++ {
		if m := c.next(); ok(m) {
			return m
		}
	}
	c.t.Fatal("no matching message")
	return nil
}

// quiet reports whether nothing arrives within d.
func (c *client) quiet(d time.Duration) bool {
	_ = c.ws.SetReadDeadline(time.Now().Add(d))
	_, _, err := c.ws.ReadMessage()
	return err != nil
}

// str and num read a field.
func str(m map[string]json.RawMessage, k string) string {
	var s string
	_ = json.Unmarshal(m[k], &s)
	return s
}

func num(m map[string]json.RawMessage, k string) int64 {
	var n int64
	_ = json.Unmarshal(m[k], &n)
	return n
}

// obj reads a nested object.
func obj(m map[string]json.RawMessage, k string) map[string]json.RawMessage {
	var o map[string]json.RawMessage
	_ = json.Unmarshal(m[k], &o)
	return o
}

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
