package faketest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/unifex-go/unifex/internal/fakeserver"
)

func TestDo(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("X-Got", r.Method+" "+r.Header.Get("X-Key"))
		w.WriteHeader(http.StatusTeapot)
		_, _ = w.Write(b)
	}))
	defer srv.Close()
	r := Do(t, "POST", srv.URL+"/x", `{"a":1}`, http.Header{"X-Key": {"k"}})
	if r.Status != http.StatusTeapot || string(r.Body) != `{"a":1}` || r.Header.Get("X-Got") != "POST k" {
		t.Fatalf("reply %d %q %v", r.Status, r.Body, r.Header)
	}
}

// closer counts Close calls.
type closer struct{ closed *int }

func (c closer) Close() { *c.closed++ }

func TestStartClosesAtCleanup(t *testing.T) {
	n := 0
	t.Run("test", func(t *testing.T) {
		Start(t, func(cfg int) closer {
			if cfg != 7 {
				t.Errorf("started with %d", cfg)
			}
			return closer{&n}
		}, 7)
		if n != 0 {
			t.Fatal("closed before the test ended")
		}
	})
	if n != 1 {
		t.Fatalf("closed %d times", n)
	}
}

func TestWebSocketFrames(t *testing.T) {
	echo := fakeserver.NewWS(func(c *fakeserver.Conn) {
		for {
			msg, err := c.Read(t.Context())
			if err != nil {
				return
			}
			_ = c.Send([]byte(`{"skip":true}`))
			_ = c.Send(msg)
		}
	})
	defer echo.Close()
	ws := Dial(t, echo.URL())
	Send(t, ws, map[string]any{"op": "ping", "n": 3, "arg": map[string]string{"channel": "books"}})
	m := Until(t, 5, func() map[string]json.RawMessage { return Next(t, ws) }, func(m map[string]json.RawMessage) bool { return m["skip"] == nil })
	if Str(m, "op") != "ping" || Num(m, "n") != 3 || Str(Obj(m, "arg"), "channel") != "books" {
		t.Fatalf("frame %v", m)
	}
	if Str(m, "n") != "" || Num(m, "op") != 0 || Obj(m, "none") != nil {
		t.Fatal("a field of another type read as a value")
	}
}
