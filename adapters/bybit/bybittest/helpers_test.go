package bybittest

import (
	"encoding/json"
	"errors"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/unifex-go/unifex/internal/fakeserver"
	"github.com/unifex-go/unifex/internal/faketest"
)

func start(t *testing.T, cfg Config) *Server { t.Helper(); return faketest.Start(t, Start, cfg) }

// reply is a REST answer.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// env decodes the envelope; result is left raw.
func (r reply) env(t *testing.T) (code int, msg string, result json.RawMessage) {
	t.Helper()
	var e struct {
		RetCode int             `json:"retCode"`
		RetMsg  string          `json:"retMsg"`
		Result  json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal(r.body, &e); err != nil {
		t.Fatalf("not an envelope: %s", r.body)
	}
	return e.RetCode, e.RetMsg, e.Result
}

// result decodes a successful reply's result into v.
func (r reply) result(t *testing.T, v any) {
	t.Helper()
	code, msg, res := r.env(t)
	if r.status != 200 || code != 0 {
		t.Fatalf("HTTP %d retCode %d %s", r.status, code, msg)
	}
	if err := json.Unmarshal(res, v); err != nil {
		t.Fatal(err)
	}
}

func do(t *testing.T, s *Server, method, path, query, body string, h http.Header) reply {
	t.Helper()
	u := s.URLs()["rest"] + path
	if query != "" {
		u += "?" + query
	}
	r := faketest.Do(t, method, u, body, h)
	return reply{r.Status, r.Header, r.Body}
}

func get(t *testing.T, s *Server, path, query string) reply {
	t.Helper()
	return do(t, s, "GET", path, query, "", nil)
}

// signedHeaders signs payload as a client does.
func signedHeaders(s *Server, payload string, at time.Time) http.Header {
	ts := strconv.FormatInt(at.UnixMilli(), 10)
	return http.Header{"X-Bapi-Api-Key": {s.cfg.APIKey}, "X-Bapi-Timestamp": {ts}, "X-Bapi-Recv-Window": {"5000"},
		"X-Bapi-Sign":  {fakeserver.SignHMACSHA256(s.cfg.Secret, []byte(signString(ts, s.cfg.APIKey, "5000", payload)))},
		"Content-Type": {"application/json"}}
}

// signed sends a signed request: GET params in the query, POST as a JSON
// body.
func signed(t *testing.T, s *Server, method, path string, kv ...string) reply {
	t.Helper()
	if method == "GET" {
		var parts []string
		for i := 0; i < len(kv); i += 2 {
			parts = append(parts, kv[i]+"="+kv[i+1])
		}
		q := strings.Join(parts, "&")
		return do(t, s, method, path, q, "", signedHeaders(s, q, time.Now()))
	}
	m := map[string]string{}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	b, _ := json.Marshal(m)
	return do(t, s, method, path, "", string(b), signedHeaders(s, string(b), time.Now()))
}

// client is a test WebSocket client. Unlike faketest's reads, a reader
// goroutine queues its frames, so that read can give up after a short
// wait and read again.
type client struct {
	t      *testing.T
	ws     *websocket.Conn
	frames chan []byte
	done   chan struct{} // closed when the connection ends
}

func dial(t *testing.T, s *Server, stream string) *client {
	t.Helper()
	return dialURL(t, s.URLs()[stream])
}

func dialURL(t *testing.T, url string) *client {
	t.Helper()
	ws, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatalf("dial %s: %v", url, err)
	}
	c := &client{t: t, ws: ws, frames: make(chan []byte, 1<<16), done: make(chan struct{})}
	go func() {
		defer close(c.done)
		for {
			_, b, err := ws.ReadMessage()
			if err != nil {
				return
			}
			c.frames <- b
		}
	}()
	t.Cleanup(func() { ws.Close(); <-c.done })
	return c
}

func (c *client) write(v any) {
	c.t.Helper()
	if err := c.ws.WriteJSON(v); err != nil {
		c.t.Fatal(err)
	}
}

// next reads a JSON frame, failing after 5 s.
func (c *client) next() map[string]json.RawMessage {
	c.t.Helper()
	m, err := c.read(5 * time.Second)
	if err != nil {
		c.t.Fatalf("read: %v", err)
	}
	return m
}

func (c *client) read(d time.Duration) (map[string]json.RawMessage, error) {
	var b []byte
	select {
	case b = <-c.frames:
	case <-c.done:
		select {
		case b = <-c.frames:
		default:
			return nil, errClosed
		}
	case <-time.After(d):
		return nil, errTimeout
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return map[string]json.RawMessage{"raw": json.RawMessage(strconv.Quote(string(b)))}, nil
	}
	return m, nil
}

var (
	errClosed  = errors.New("connection closed")
	errTimeout = errors.New("no frame in time")
)

// until reads frames until match accepts one.
func (c *client) until(match func(map[string]json.RawMessage) bool) map[string]json.RawMessage {
	c.t.Helper()
	return faketest.Until(c.t, 100000, c.next, match)
}

func (c *client) subscribe(topics ...string) map[string]json.RawMessage {
	c.t.Helper()
	c.write(map[string]any{"op": "subscribe", "args": topics, "req_id": "sub"})
	return c.until(func(m map[string]json.RawMessage) bool { return str(m, "op") == "subscribe" })
}

// auth authenticates a private or trade connection.
func (c *client) auth(s *Server) map[string]json.RawMessage {
	c.t.Helper()
	exp := time.Now().Add(5 * time.Second).UnixMilli()
	c.write(map[string]any{"op": "auth", "args": []any{s.cfg.APIKey, exp, fakeserver.SignHMACSHA256(s.cfg.Secret, []byte(authString(exp)))}})
	return c.until(func(m map[string]json.RawMessage) bool { return str(m, "op") == "auth" })
}

// str, num and obj read a field.
var (
	str = faketest.Str
	num = faketest.Num
	obj = faketest.Obj
)

// localBook is a client's book, kept by Bybit's rules.
type localBook struct {
	u          int64
	bids, asks map[string]string
}

// apply applies an orderbook message; it returns an error text on a gap.
func (b *localBook) apply(t *testing.T, m map[string]json.RawMessage) string {
	t.Helper()
	var d struct {
		B, A [][2]string
		U    int64 `json:"u"`
	}
	if err := json.Unmarshal(m["data"], &d); err != nil {
		t.Fatal(err)
	}
	if str(m, "type") == "snapshot" || d.U == 1 {
		b.bids, b.asks = map[string]string{}, map[string]string{}
	} else if d.U != b.u+1 {
		return "gap: u " + strconv.FormatInt(d.U, 10) + " after " + strconv.FormatInt(b.u, 10)
	}
	for _, side := range []struct {
		lv  [][2]string
		dst map[string]string
	}{{d.B, b.bids}, {d.A, b.asks}} {
		for _, l := range side.lv {
			if l[1] == "0" || strings.Trim(l[1], "0.") == "" {
				delete(side.dst, l[0])
			} else {
				side.dst[l[0]] = l[1]
			}
		}
	}
	b.u = d.U
	return ""
}

// matches compares the local book with the server's at u.
func (b *localBook) matches(t *testing.T, s *Server, symbol string) {
	t.Helper()
	bids, asks, ok := s.BookAt(symbol, b.u)
	if !ok {
		t.Fatalf("BookAt(%s, %d) forgotten", symbol, b.u)
	}
	for _, side := range []struct {
		name string
		want map[string]string
		got  []string
	}{{"bids", b.bids, nil}, {"asks", b.asks, nil}} {
		lv := bids
		if side.name == "asks" {
			lv = asks
		}
		if len(lv) != len(side.want) {
			t.Fatalf("%s at u=%d: %d levels locally, %d on the server", side.name, b.u, len(side.want), len(lv))
		}
		for _, l := range lv {
			found := false
			for p, q := range side.want {
				if l.Price.String() == trimNum(p) && l.Amount.String() == trimNum(q) {
					found = true
				}
			}
			if !found {
				t.Fatalf("%s at u=%d: server level %s@%s missing locally", side.name, b.u, l.Amount, l.Price)
			}
		}
	}
}

// trimNum writes a decimal string as decimal.String does.
func trimNum(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

func sortedStrings(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// websocketDial dials url and reads one frame, reporting the read error.
func websocketDial(url string) (*websocket.Conn, map[string]json.RawMessage, error) {
	ws, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		return nil, nil, err
	}
	defer ws.Close()
	_ = ws.SetReadDeadline(time.Now().Add(time.Second))
	_, b, err := ws.ReadMessage()
	var m map[string]json.RawMessage
	_ = json.Unmarshal(b, &m)
	return ws, m, err
}

// dialRaw dials url and returns the handshake response.
func dialRaw(url string) (*websocket.Conn, *http.Response, error) {
	ws, resp, err := websocket.DefaultDialer.Dial(url, nil)
	if ws != nil {
		ws.Close()
	}
	return ws, resp, err
}
