package okxtest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/unifex-go/unifex/internal/faketest"
)

func start(t *testing.T, cfg Config) *Server { t.Helper(); return faketest.Start(t, Start, cfg) }

// reply is a REST reply, decoded from OKX's envelope.
type reply struct {
	status int
	header http.Header
	Code   string            `json:"code"`
	Msg    string            `json:"msg"`
	Data   []json.RawMessage `json:"data"`
	body   []byte
}

func do(t *testing.T, s *Server, method, pathQuery, body string, header http.Header) reply {
	t.Helper()
	got := faketest.Do(t, method, s.URLs()["rest"]+pathQuery, body, header)
	r := reply{status: got.Status, header: got.Header, body: got.Body}
	_ = json.Unmarshal(got.Body, &r)
	return r
}

func get(t *testing.T, s *Server, pathQuery string) reply {
	t.Helper()
	return do(t, s, "GET", pathQuery, "", nil)
}

// signedAt sends a signed request with a timestamp.
func signedAt(t *testing.T, s *Server, method, pathQuery string, body any, ts time.Time) reply {
	t.Helper()
	b := ""
	if body != nil {
		raw, _ := json.Marshal(body)
		b = string(raw)
	}
	stamp := ts.UTC().Format("2006-01-02T15:04:05.000Z")
	h := http.Header{}
	h.Set("OK-ACCESS-KEY", s.cfg.APIKey)
	h.Set("OK-ACCESS-PASSPHRASE", s.cfg.Passphrase)
	h.Set("OK-ACCESS-TIMESTAMP", stamp)
	h.Set("OK-ACCESS-SIGN", Sign(s.cfg.Secret, stamp+method+pathQuery+b))
	h.Set("Content-Type", "application/json")
	return do(t, s, method, pathQuery, b, h)
}

func signed(t *testing.T, s *Server, method, pathQuery string, body any) reply {
	t.Helper()
	return signedAt(t, s, method, pathQuery, body, time.Now())
}

// obj decodes data[i] as an object.
func (r reply) obj(t *testing.T, i int) map[string]any {
	t.Helper()
	if i >= len(r.Data) {
		t.Fatalf("reply %d %s has no data[%d]", r.status, r.body, i)
	}
	var m map[string]any
	if err := json.Unmarshal(r.Data[i], &m); err != nil {
		t.Fatalf("data[%d] %s: %v", i, r.Data[i], err)
	}
	return m
}

type client struct {
	t  *testing.T
	ws *websocket.Conn
}

func dial(t *testing.T, s *Server, kind string) *client {
	t.Helper()
	return &client{t, faketest.Dial(t, s.URLs()[kind])}
}

func (c *client) send(v any) { c.t.Helper(); faketest.Send(c.t, c.ws, v) }

func (c *client) nextRaw() []byte { c.t.Helper(); return faketest.NextRaw(c.t, c.ws) }

func (c *client) next() map[string]json.RawMessage { c.t.Helper(); return faketest.Next(c.t, c.ws) }

func (c *client) until(ok func(map[string]json.RawMessage) bool) map[string]json.RawMessage {
	c.t.Helper()
	return faketest.Until(c.t, 20000, c.next, ok)
}

func (c *client) subscribe(args ...map[string]string) {
	c.t.Helper()
	c.send(map[string]any{"op": "subscribe", "args": args})
}

// login logs in with the server's credentials.
func (c *client) login(s *Server) map[string]json.RawMessage {
	c.t.Helper()
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	c.send(map[string]any{"op": "login", "args": []map[string]string{{"apiKey": s.cfg.APIKey, "passphrase": s.cfg.Passphrase,
		"timestamp": ts, "sign": Sign(s.cfg.Secret, ts+"GET/users/self/verify")}}})
	return c.next()
}

var str = faketest.Str

func channel(m map[string]json.RawMessage) string {
	var a struct{ Channel string }
	_ = json.Unmarshal(m["arg"], &a)
	return a.Channel
}

func isChannel(name string) func(map[string]json.RawMessage) bool {
	return func(m map[string]json.RawMessage) bool { return channel(m) == name && m["event"] == nil }
}

// bookMsg is a books push's data item.
type bookMsg struct {
	Asks      [][]string `json:"asks"`
	Bids      [][]string `json:"bids"`
	Checksum  int32      `json:"checksum"`
	PrevSeqID int64      `json:"prevSeqId"`
	SeqID     int64      `json:"seqId"`
}

func bookOf(t *testing.T, m map[string]json.RawMessage) bookMsg {
	t.Helper()
	var d []bookMsg
	if err := json.Unmarshal(m["data"], &d); err != nil || len(d) != 1 {
		t.Fatalf("books data %s: %v", m["data"], err)
	}
	return d[0]
}

type jsonRaw = json.RawMessage

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// contains reports whether a message's data has s.
func contains(m map[string]json.RawMessage, s string) bool {
	return strings.Contains(string(m["data"]), s)
}
