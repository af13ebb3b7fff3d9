// Package faketest is the client side of the fake venues' own tests
// (binancetest, okxtest, bybittest): start a fake for one test, send it a
// REST request, dial its WebSocket and read JSON frames, read a field of a
// frame. What a request or a frame of a venue looks like stays in the
// venue's test helpers.
package faketest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// Start starts a fake with start(cfg) and closes it when the test ends.
func Start[C any, S interface{ Close() }](t testing.TB, start func(C) S, cfg C) S {
	t.Helper()
	s := start(cfg)
	t.Cleanup(s.Close)
	return s
}

// Reply is a REST reply.
type Reply struct {
	Status int
	Header http.Header
	Body   []byte
}

// Do sends a request with body (none when empty) and the header's fields,
// and reads the reply; a request that gets no reply fails t.
func Do(t testing.TB, method, url, body string, header http.Header) Reply {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return Reply{resp.StatusCode, resp.Header, b}
}

// Dial connects to a WebSocket url, failing t (with the handshake's HTTP
// status) when it cannot; the connection closes when the test ends.
func Dial(t testing.TB, url string) *websocket.Conn {
	t.Helper()
	ws, resp, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.Fatalf("dial %s: %v (HTTP %d)", url, err, status)
	}
	t.Cleanup(func() { ws.Close() })
	return ws
}

// Send writes v as a JSON text frame.
func Send(t testing.TB, ws *websocket.Conn, v any) {
	t.Helper()
	if err := ws.WriteJSON(v); err != nil {
		t.Fatal(err)
	}
}

// NextRaw reads the next frame, failing t when none comes within 5 s.
func NextRaw(t testing.TB, ws *websocket.Conn) []byte {
	t.Helper()
	_ = ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, data, err := ws.ReadMessage()
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return data
}

// Next reads the next frame as a JSON object, failing t when none comes
// within 5 s or it is not one.
func Next(t testing.TB, ws *websocket.Conn) map[string]json.RawMessage {
	t.Helper()
	data := NextRaw(t, ws)
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("frame %s: %v", data, err)
	}
	return m
}

// Until reads frames with next until ok accepts one, and returns it;
// after limit frames it fails t.
func Until(t testing.TB, limit int, next func() map[string]json.RawMessage, ok func(map[string]json.RawMessage) bool) map[string]json.RawMessage {
	t.Helper()
	for range limit {
		if m := next(); ok(m) {
			return m
		}
	}
	t.Fatal("no matching message")
	return nil
}

// Str reads a frame's string field k ("" when absent or not a string).
func Str(m map[string]json.RawMessage, k string) string {
	var v string
	_ = json.Unmarshal(m[k], &v)
	return v
}

// Num reads a frame's integer field k (0 when absent or not one).
func Num(m map[string]json.RawMessage, k string) int64 {
	var v int64
	_ = json.Unmarshal(m[k], &v)
	return v
}

// Obj reads a frame's object field k (nil when absent or not one).
func Obj(m map[string]json.RawMessage, k string) map[string]json.RawMessage {
	var v map[string]json.RawMessage
	_ = json.Unmarshal(m[k], &v)
	return v
}
