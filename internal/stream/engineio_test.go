package stream

import (
	"context"
	"testing"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/internal/fakeserver"
	"github.com/unifex-go/unifex/internal/leaktest"
)

// eioOpen is the open packet a Socket.IO 4 server sends first.
const eioOpen = `0{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}`

// eioAccept plays the server side of the Engine.IO/Socket.IO handshake.
func eioAccept(t *testing.T, c *fakeserver.Conn, open string) {
	t.Helper()
	sendText(t, c, open)
	if got := recvText(t, c); got != "40" {
		t.Fatalf("namespace connect %q", got)
	}
	sendText(t, c, `40{"sid":"wZX3oN0bSVIhsaknAAAI"}`)
}

func bitbankConfig(srv *fakeserver.WS) Config {
	return Config{
		Exchange:  "bitbank",
		Dial:      fixedTarget(srv.URL() + "/socket.io/?EIO=4&transport=websocket"),
		Codec:     SocketIO{},
		Keepalive: Keepalive{Answer: AnswerEngineIOPing},
		OnConnect: func(ctx context.Context, s *Session) error {
			return s.Send(ctx, []byte(`["join-room","depth_whole_btc_jpy"]`))
		},
	}
}

func TestSocketIOOverLink(t *testing.T) {
	leaktest.Check(t)
	srv := newWSServer(t)
	rec := newRecorder()
	cfg := bitbankConfig(srv)
	rec.wire(&cfg)
	newLink(t, cfg)
	c := next(t, srv)
	eioAccept(t, c, eioOpen)
	if got := recvText(t, c); got != `42["join-room","depth_whole_btc_jpy"]` {
		t.Fatalf("join-room %q", got)
	}
	rec.state(t, Connected)

	sendText(t, c, "2")
	if got := recvText(t, c); got != "3" {
		t.Fatalf("pong %q", got)
	}
	sendText(t, c, `42["message",{"room_name":"depth_whole_btc_jpy","message":{"data":{"asks":[["27.538","7233.6837"]]}}}]`)
	sendText(t, c, `42["other",1,2]`)
	sendText(t, c, `6`)
	sendText(t, c, `42["message",]`)
	if m := rec.msg(t); string(m.Data) != `{"room_name":"depth_whole_btc_jpy","message":{"data":{"asks":[["27.538","7233.6837"]]}}}` {
		t.Fatalf("event payload %q", m.Data)
	}
	if m := rec.msg(t); string(m.Data) != `["other",1,2]` {
		t.Fatalf("other event %q", m.Data)
	}
	if err := rec.err(t); !errors.Is(err, errors.BadResponse) {
		t.Fatalf("malformed event: %v", err)
	}

	// The server closes the Socket.IO session: the link reconnects and
	// runs the handshake and OnConnect again.
	sendText(t, c, "41")
	if e := rec.state(t, Disconnected); !errors.Is(e.Err, errors.NetworkError) {
		t.Fatalf("disconnect packet: %v", e.Err)
	}
	c2 := next(t, srv)
	eioAccept(t, c2, eioOpen)
	if got := recvText(t, c2); got != `42["join-room","depth_whole_btc_jpy"]` {
		t.Fatalf("join-room after reconnect %q", got)
	}
	rec.state(t, Connected)
}

func TestSocketIOHandshakeSetsSilenceLimit(t *testing.T) {
	leaktest.Check(t)
	srv := newWSServer(t)
	rec := newRecorder()
	cfg := bitbankConfig(srv)
	rec.wire(&cfg)
	newLink(t, cfg)
	c := next(t, srv)
	// The server promises a ping every 30 ms, with 30 ms of grace, then
	// never pings: the link gives up after 60 ms of silence.
	eioAccept(t, c, `0{"sid":"x","upgrades":[],"pingInterval":30,"pingTimeout":30}`)
	recv(t, c)
	rec.state(t, Connected)
	if e := rec.state(t, Disconnected); !errors.Is(e.Err, errors.RequestTimeout) {
		t.Fatalf("silent Engine.IO server: %v", e.Err)
	}
}

func TestSocketIOHandshakeFailures(t *testing.T) {
	for name, script := range map[string]func(t *testing.T, c *fakeserver.Conn){
		"not an open packet": func(t *testing.T, c *fakeserver.Conn) { sendText(t, c, `42["message",{}]`) },
		"malformed open":     func(t *testing.T, c *fakeserver.Conn) { sendText(t, c, `0{"sid":`) },
		"connect error": func(t *testing.T, c *fakeserver.Conn) {
			sendText(t, c, eioOpen)
			recv(t, c)
			sendText(t, c, `44{"message":"Not authorized"}`)
		},
		"close": func(t *testing.T, c *fakeserver.Conn) {
			sendText(t, c, eioOpen)
			recv(t, c)
			sendText(t, c, `1`)
		},
	} {
		t.Run(name, func(t *testing.T) {
			leaktest.Check(t)
			srv := newWSServer(t)
			rec := newRecorder()
			cfg := bitbankConfig(srv)
			rec.wire(&cfg)
			newLink(t, cfg)
			script(t, next(t, srv))
			e := rec.state(t, Disconnected)
			if e.Err == nil || e.Uptime != 0 {
				t.Fatalf("event %+v", e)
			}
		})
	}
}

func TestSocketIOHandshakeAnswersEarlyPing(t *testing.T) {
	leaktest.Check(t)
	srv := newWSServer(t)
	rec := newRecorder()
	cfg := bitbankConfig(srv)
	rec.wire(&cfg)
	newLink(t, cfg)
	c := next(t, srv)
	sendText(t, c, eioOpen)
	recv(t, c)
	sendText(t, c, "2")
	if got := recvText(t, c); got != "3" {
		t.Fatalf("pong during handshake %q", got)
	}
	sendText(t, c, `40`)
	rec.state(t, Connected)
}

func TestSocketIODecode(t *testing.T) {
	ns := SocketIO{Namespace: "/stream", Event: "data"}
	cases := []struct {
		codec SocketIO
		in    string
		typ   MessageType
		out   string
		kind  *errors.Kind
	}{
		{SocketIO{}, `42["message",{"a":1}]`, Text, `{"a":1}`, nil},
		{SocketIO{}, `42[ "message" , {"a":1} ] `, Text, `{"a":1}`, nil},
		{SocketIO{}, `4212["message",{"a":1}]`, Text, `{"a":1}`, nil},
		{SocketIO{}, `42["mess\"age",1]`, Text, `["mess\"age",1]`, nil},
		{SocketIO{}, `43["ok"]`, Text, `["ok"]`, nil},
		{SocketIO{}, `437["ok"]`, Text, `["ok"]`, nil},
		{ns, `42/stream,["data",[1,2]]`, Text, `[1,2]`, nil},
		{ns, `42/stream,5["data","x"]`, Text, `"x"`, nil},
		{SocketIO{}, `2`, Control, `2`, nil},
		{SocketIO{}, `3`, Control, `3`, nil},
		{SocketIO{}, `6`, Control, `6`, nil},
		{SocketIO{}, `0{"sid":"x"}`, Control, `0{"sid":"x"}`, nil},
		{SocketIO{}, `40{"sid":"x"}`, Control, `0{"sid":"x"}`, nil},
		{SocketIO{}, `1`, 0, ``, errors.NetworkError},
		{SocketIO{}, `41`, 0, ``, errors.NetworkError},
		{SocketIO{}, `44{"message":"no"}`, 0, ``, errors.NetworkError},
		{SocketIO{}, ``, 0, ``, errors.BadResponse},
		{SocketIO{}, `9`, 0, ``, errors.BadResponse},
		{SocketIO{}, `4`, 0, ``, errors.BadResponse},
		{SocketIO{}, `45-["message",{"_placeholder":true}]`, 0, ``, errors.BadResponse},
		{SocketIO{}, `42{"a":1}`, 0, ``, errors.BadResponse},
		{SocketIO{}, `42[]`, 0, ``, errors.BadResponse},
		{SocketIO{}, `42[1,2]`, 0, ``, errors.BadResponse},
		{SocketIO{}, `42["message"]`, 0, ``, errors.BadResponse},
		{SocketIO{}, `42["message", ]`, 0, ``, errors.BadResponse},
		{SocketIO{}, `42["unterminated]`, 0, ``, errors.BadResponse},
		{ns, `42/stream["data",1]`, 0, ``, errors.BadResponse},
	}
	for _, tc := range cases {
		out, err := tc.codec.Decode(nil, Message{Type: Text, Data: []byte(tc.in)})
		if tc.kind != nil {
			if !errors.Is(err, tc.kind) {
				t.Errorf("%q: error %v, want %v", tc.in, err, tc.kind)
			}
			if tc.kind == errors.BadResponse && errors.Is(err, errors.NetworkError) {
				t.Errorf("%q: a bad packet must not end the session", tc.in)
			}
			continue
		}
		if err != nil || out.Type != tc.typ || string(out.Data) != tc.out {
			t.Errorf("%q: %v %q %v, want %v %q", tc.in, out.Type, out.Data, err, tc.typ, tc.out)
		}
	}
	if _, err := (SocketIO{}).Decode(nil, Message{Type: Binary, Data: []byte{4, 1}}); !errors.Is(err, errors.BadResponse) {
		t.Errorf("binary packet: %v", err)
	}
}

func TestSocketIOEncode(t *testing.T) {
	for _, tc := range []struct {
		codec SocketIO
		in    string
		out   string
	}{
		{SocketIO{}, `["join-room","ticker_btc_jpy"]`, `42["join-room","ticker_btc_jpy"]`},
		{SocketIO{Namespace: "/"}, `["leave-room","x"]`, `42["leave-room","x"]`},
		{SocketIO{Namespace: "/admin"}, `["x"]`, `42/admin,["x"]`},
	} {
		m, err := tc.codec.Encode([]byte(tc.in))
		if err != nil || m.Type != Text || string(m.Data) != tc.out {
			t.Errorf("%q: %q %v", tc.in, m.Data, err)
		}
	}
	if _, err := (SocketIO{}).Encode([]byte(`{"not":"an array"}`)); !errors.Is(err, errors.BadRequest) || !errors.SafeToRetry(err) {
		t.Errorf("non-array payload: %v", err)
	}
}

func TestAnswerEngineIOPing(t *testing.T) {
	for _, tc := range []struct {
		m       Message
		reply   string
		handled bool
	}{
		{Message{Control, []byte("2")}, "3", true},
		{Message{Control, []byte("3")}, "", true},
		{Message{Control, []byte("6")}, "", true},
		{Message{Text, []byte("2")}, "", false},
	} {
		reply, handled := AnswerEngineIOPing(tc.m)
		if string(reply) != tc.reply || handled != tc.handled {
			t.Errorf("%v: %q %v", tc.m, reply, handled)
		}
	}
}
