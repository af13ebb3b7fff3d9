package fakeserver

import (
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/unifex-go/unifex/internal/leaktest"
)

func TestReplyWSAnswersEachMessage(t *testing.T) {
	leaktest.Check(t)
	s := NewReplyWS(func(req []byte) []string {
		if string(req) == "quiet" {
			return nil
		}
		return []string{string(req) + "/1", string(req) + "/2"}
	})
	t.Cleanup(s.Close)
	ws, _, err := websocket.DefaultDialer.DialContext(testCtx(t), s.URL(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	_ = ws.SetReadDeadline(time.Now().Add(wait))
	for _, req := range []string{"a", "quiet", "b"} {
		if err := ws.WriteMessage(websocket.TextMessage, []byte(req)); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for range 4 {
		_, msg, err := ws.ReadMessage()
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, string(msg))
	}
	if want := "a/1 a/2 b/1 b/2"; strings.Join(got, " ") != want {
		t.Errorf("replies %q, want %s", got, want)
	}
}
