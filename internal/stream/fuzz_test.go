package stream

import (
	"bytes"
	"net/http"
	"testing"

	"github.com/unifex-go/unifex/errors"
)

// checkDecodeErr fails unless err is nil or a taxonomy error of the kinds a
// codec may return.
func checkDecodeErr(t *testing.T, err error) {
	if err != nil && !errors.Is(err, errors.BadResponse) && !errors.Is(err, errors.NetworkError) {
		t.Fatalf("decode error outside the taxonomy: %v", err)
	}
}

func FuzzGzipDecode(f *testing.F) {
	f.Add(gzipBytes(f, `{"ping":1492420473027}`))
	f.Add(gzipBytes(f, ""))
	f.Add([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff})
	f.Add([]byte("plain"))
	f.Fuzz(func(t *testing.T, frame []byte) {
		var scratch []byte
		out, err := Gzip{MaxSize: 1 << 16}.Decode(&scratch, Message{Type: Binary, Data: frame})
		checkDecodeErr(t, err)
		if err == nil && len(out.Data) > 1<<16 {
			t.Fatalf("decoded %d bytes past MaxSize", len(out.Data))
		}
	})
}

func FuzzDeflateDecode(f *testing.F) {
	f.Add(deflateBytes(f, `{"table":"spot/depth"}`, true))
	f.Add(deflateBytes(f, "pong", false))
	f.Add([]byte{0x78, 0x9c, 0x03, 0x00})
	f.Fuzz(func(t *testing.T, frame []byte) {
		var scratch []byte
		out, err := Deflate{MaxSize: 1 << 16}.Decode(&scratch, Message{Type: Binary, Data: frame})
		checkDecodeErr(t, err)
		if err == nil && len(out.Data) > 1<<16 {
			t.Fatalf("decoded %d bytes past MaxSize", len(out.Data))
		}
	})
}

func FuzzSocketIODecode(f *testing.F) {
	for _, s := range []string{eioOpen, `40{"sid":"x"}`, "2", "3", "1", "41", `42["message",{"a":1}]`, `42/ns,12["message",1]`, `43["ok"]`, `44{}`, `42["a\"b",`, `42[`} {
		f.Add([]byte(s), false)
	}
	f.Fuzz(func(t *testing.T, frame []byte, ns bool) {
		codec := SocketIO{}
		if ns {
			codec = SocketIO{Namespace: "/ns", Event: "data"}
		}
		out, err := codec.Decode(nil, Message{Type: Text, Data: frame})
		checkDecodeErr(t, err)
		if err == nil && out.Type == Text && len(out.Data) > 0 && !bytes.Contains(frame, out.Data) {
			t.Fatalf("decoded %q is not part of %q", out.Data, frame)
		}
		enc, err := codec.Encode(frame)
		if err == nil && !bytes.HasSuffix(enc.Data, frame) {
			t.Fatalf("encoded %q lost the payload", enc.Data)
		}
	})
}

func FuzzPubNubParseReply(f *testing.F) {
	f.Add(200, []byte(`{"t":{"t":"100","r":12},"m":[{"d":{"a":1}}]}`))
	f.Add(403, []byte(`{"message":"Token is expired.","error":true}`))
	f.Add(200, []byte(`{"t":{"t":"1","r":1e3},"m":null}`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		msgs, cursor, err := PubNub{}.ParseReply(status, http.Header{}, body)
		if err != nil {
			if errors.KindOf(err) == nil {
				t.Fatalf("error outside the taxonomy: %v", err)
			}
			return
		}
		if cursor == "" || (status < 200 || status > 299) {
			t.Fatalf("status %d accepted with cursor %q", status, cursor)
		}
		for _, m := range msgs {
			if len(m) == 0 {
				t.Fatal("empty message")
			}
		}
	})
}

func FuzzJSONPing(f *testing.F) {
	for _, s := range []string{`{"ping":1}`, `{"pong":1}`, `{"ping":"x"}`, `{"ping":}`, `{"ping":1,"a":2}`, `{`} {
		f.Add([]byte(s))
	}
	answer := JSONPing("ping", "pong")
	f.Fuzz(func(t *testing.T, data []byte) {
		reply, handled := answer(Message{Type: Text, Data: data})
		if reply != nil && (!handled || !bytes.HasPrefix(reply, []byte(`{"pong":`))) {
			t.Fatalf("reply %q to %q", reply, data)
		}
	})
}
