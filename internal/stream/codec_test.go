package stream

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/internal/leaktest"
)

func gzipBytes(t testing.TB, s string) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// deflateBytes compresses s as raw DEFLATE; final=false ends the stream at
// a sync flush instead of a final block.
func deflateBytes(t testing.TB, s string, final bool) []byte {
	var b bytes.Buffer
	w, _ := flate.NewWriter(&b, flate.DefaultCompression)
	w.Write([]byte(s))
	var err error
	if final {
		err = w.Close()
	} else {
		err = w.Flush()
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestPlainCodec(t *testing.T) {
	var scratch []byte
	for _, in := range []Message{{Text, []byte(`{"a":1}`)}, {Binary, []byte{8, 1, 0x12}}} {
		out, err := Plain{}.Decode(&scratch, in)
		if err != nil || out.Type != in.Type || !bytes.Equal(out.Data, in.Data) {
			t.Fatalf("Plain.Decode(%v) = %v, %v", in, out, err)
		}
	}
	m, err := Plain{}.Encode([]byte(`{"op":"ping"}`))
	if err != nil || m.Type != Text || string(m.Data) != `{"op":"ping"}` {
		t.Fatalf("Plain.Encode = %v, %v", m, err)
	}
}

func TestCompressedCodecs(t *testing.T) {
	const text = `{"ch":"market.btcjpy.depth.step0","tick":{"bids":[["100","1"]]}}`
	cases := []struct {
		name  string
		codec Codec
		frame []byte
	}{
		{"gzip", Gzip{}, gzipBytes(t, text)},
		{"deflate final block", Deflate{}, deflateBytes(t, text, true)},
		{"deflate sync flush", Deflate{}, deflateBytes(t, text, false)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var scratch []byte
			for i := 0; i < 3; i++ { // the pooled decoder and scratch are reused
				out, err := tc.codec.Decode(&scratch, Message{Type: Binary, Data: tc.frame})
				if err != nil || out.Type != Text || string(out.Data) != text {
					t.Fatalf("decode %d = %q, %v", i, out.Data, err)
				}
			}
			// Text frames pass through (an uncompressed "pong").
			out, err := tc.codec.Decode(&scratch, Message{Type: Text, Data: []byte("pong")})
			if err != nil || string(out.Data) != "pong" {
				t.Fatalf("text frame = %q, %v", out.Data, err)
			}
			enc, err := tc.codec.Encode([]byte(`{"sub":"x"}`))
			if err != nil || enc.Type != Text || string(enc.Data) != `{"sub":"x"}` {
				t.Fatalf("Encode = %v, %v", enc, err)
			}
		})
	}
}

func TestCompressedCodecErrors(t *testing.T) {
	var zl bytes.Buffer
	zw := zlib.NewWriter(&zl)
	zw.Write([]byte("zlib has a header OKJ does not send"))
	zw.Close()
	big := strings.Repeat("x", 1000)
	cases := []struct {
		name  string
		codec Codec
		frame []byte
	}{
		{"gzip garbage", Gzip{}, []byte("not gzip at all")},
		{"gzip truncated", Gzip{}, gzipBytes(t, "hello world")[:12]},
		{"gzip over MaxSize", Gzip{MaxSize: 100}, gzipBytes(t, big)},
		{"deflate garbage", Deflate{}, []byte{0xff, 0xff, 0xff}},
		{"deflate of zlib stream", Deflate{}, zl.Bytes()},
		{"deflate over MaxSize", Deflate{MaxSize: 100}, deflateBytes(t, big, true)},
		{"deflate empty", Deflate{}, nil},
	}
	for _, tc := range cases {
		var scratch []byte
		_, err := tc.codec.Decode(&scratch, Message{Type: Binary, Data: tc.frame})
		if !errors.Is(err, errors.BadResponse) || errors.Is(err, errors.NetworkError) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}

func TestJSONPing(t *testing.T) {
	answer := JSONPing("ping", "pong")
	for in, want := range map[string]string{
		`{"ping":1492420473027}`:   `{"pong":1492420473027}`,
		` {"ping": 17 } `:          `{"pong":17}`,
		`{"ping":"abc"}`:           `{"pong":"abc"}`,
		`{"pong":1492420473027}`:   "<swallowed>",
		`{"ping":1,"x":2}`:         "<not handled>",
		`{"ping":{"ts":1}}`:        "<not handled>",
		`{"pinged":1}`:             "<not handled>",
		`{"ping":}`:                "<not handled>",
		`{"ch":"market","ping":1}`: "<not handled>",
		``:                         "<not handled>",
	} {
		reply, handled := answer(Message{Type: Text, Data: []byte(in)})
		got := string(reply)
		switch {
		case !handled:
			got = "<not handled>"
		case reply == nil:
			got = "<swallowed>"
		}
		if got != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
	if _, handled := answer(Message{Type: Control, Data: []byte(`{"ping":1}`)}); handled {
		t.Error("control message handled")
	}
}

// TestGzipVenueOverLink is BitTrade's /ws: gzip frames, server app pings
// answered by the keepalive config, garbage frames reported per message.
func TestGzipVenueOverLink(t *testing.T) {
	leaktest.Check(t)
	srv := newWSServer(t)
	rec := newRecorder()
	cfg := Config{
		Dial:      fixedTarget(srv.URL() + "/ws"),
		Codec:     Gzip{},
		Keepalive: Keepalive{Timeout: time.Minute, Answer: JSONPing("ping", "pong")},
	}
	rec.wire(&cfg)
	l := newLink(t, cfg)
	rec.state(t, Connected)
	c := next(t, srv)
	if err := l.Send(testCtx(t), []byte(`{"sub":"market.btcjpy.depth.step0","id":"id1"}`)); err != nil {
		t.Fatal(err)
	}
	if m := recv(t, c); m.Type != Text || string(m.Data) != `{"sub":"market.btcjpy.depth.step0","id":"id1"}` {
		t.Fatalf("client frame %v %q", m.Type, m.Data)
	}
	send(t, c, Binary, gzipBytes(t, `{"ping":1492420473027}`))
	if got := recvText(t, c); got != `{"pong":1492420473027}` {
		t.Fatalf("pong %q", got)
	}
	send(t, c, Binary, []byte("garbage"))
	send(t, c, Binary, gzipBytes(t, `{"ch":"market.btcjpy.trade.detail","tick":{}}`))
	if err := rec.err(t); !errors.Is(err, errors.BadResponse) {
		t.Fatalf("garbage frame: %v", err)
	}
	if m := rec.msg(t); string(m.Data) != `{"ch":"market.btcjpy.trade.detail","tick":{}}` {
		t.Fatalf("message after garbage %q", m.Data)
	}
	select {
	case e := <-rec.events:
		t.Fatalf("a bad frame changed the link's state: %+v", e)
	default:
	}
	if st := l.Stats(); st.DecodeErrors != 1 {
		t.Fatalf("stats %+v", st)
	}
}

// TestDeflateVenueOverLink is OKJ's V3 stream: raw deflate frames, a text
// "ping" every interval whose deflated "pong" is swallowed.
func TestDeflateVenueOverLink(t *testing.T) {
	leaktest.Check(t)
	srv := newWSServer(t)
	rec := newRecorder()
	cfg := Config{
		Dial:  fixedTarget(srv.URL() + "/ws/v3"),
		Codec: Deflate{},
		Keepalive: Keepalive{
			Interval: 20 * time.Millisecond,
			Timeout:  time.Minute,
			Ping:     func() []byte { return []byte("ping") },
			Answer:   func(m Message) ([]byte, bool) { return nil, string(m.Data) == "pong" },
		},
	}
	rec.wire(&cfg)
	newLink(t, cfg)
	rec.state(t, Connected)
	c := next(t, srv)
	if got := recvText(t, c); got != "ping" {
		t.Fatalf("ping %q", got)
	}
	send(t, c, Binary, deflateBytes(t, "pong", true))
	for i := 0; i < 3; i++ {
		send(t, c, Binary, deflateBytes(t, fmt.Sprintf(`{"table":"spot/depth","action":"update","i":%d}`, i), i%2 == 0))
	}
	for i := 0; i < 3; i++ {
		if m := rec.msg(t); string(m.Data) != fmt.Sprintf(`{"table":"spot/depth","action":"update","i":%d}`, i) {
			t.Fatalf("message %d: %q", i, m.Data)
		}
	}
}

// TestBinaryPassthroughOverLink is MEXC: protobuf pushes arrive as binary
// messages untouched, JSON control replies as text.
func TestBinaryPassthroughOverLink(t *testing.T) {
	leaktest.Check(t)
	srv := newWSServer(t)
	rec := newRecorder()
	cfg := Config{
		Dial: fixedTarget(srv.URL() + "/ws"),
		Keepalive: Keepalive{
			Interval: 20 * time.Millisecond,
			Timeout:  time.Minute, // the server answers one ping only
			Ping:     func() []byte { return []byte(`{"method":"PING"}`) },
			Answer: func(m Message) ([]byte, bool) {
				return nil, m.Type == Text && string(m.Data) == `{"id":0,"code":0,"msg":"PONG"}`
			},
		},
	}
	rec.wire(&cfg)
	newLink(t, cfg)
	rec.state(t, Connected)
	c := next(t, srv)
	if got := recvText(t, c); got != `{"method":"PING"}` {
		t.Fatalf("ping %q", got)
	}
	sendText(t, c, `{"id":0,"code":0,"msg":"PONG"}`)
	pb := []byte{0x0a, 0x03, 'a', 'b', 'c', 0x1a, 0x07, 'B', 'T', 'C', 'U', 'S', 'D', 'T'}
	send(t, c, Binary, pb)
	if m := rec.msg(t); m.Type != Binary || !bytes.Equal(m.Data, pb) {
		t.Fatalf("protobuf push %v %x", m.Type, m.Data)
	}
}
