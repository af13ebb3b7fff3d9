package stream

import (
	"bytes"
	"time"
)

// Keepalive is a venue's liveness rule. Keepalive frames are transport text
// frames written as they are (not through the codec) and they bypass the
// outgoing message limiter, so that a long subscription queue never starves
// them.
//
// Any inbound frame counts as liveness, including WebSocket ping and pong
// frames. A link that hears nothing for Timeout (2×Interval by default) is
// declared dead with errors.RequestTimeout and reconnects: a silent or
// half-open connection is found within twice the ping interval.
//
// Config.Keepalive is the link's rule; a Target can replace it for one
// connection.
type Keepalive struct {
	// Interval is how often the client pings; 0 sends no pings (venues
	// whose server pings, such as Engine.IO or GMO Coin).
	Interval time.Duration
	// Ping returns the application ping to send every Interval, for
	// example `{"method":"PING"}` (MEXC), `ping` (OKJ) or KuCoin's
	// `{"id":"..","type":"ping"}`. Nil sends WebSocket ping control frames,
	// whose pongs also give the Hooks.PingRTT measurement.
	Ping func() []byte
	// Timeout is the longest silence allowed. Zero means 2×Interval, or,
	// when Interval is 0 too, what the codec's handshake announced
	// (Engine.IO's pingInterval+pingTimeout), else no limit.
	Timeout time.Duration
	// Answer sees every decoded inbound message before anything else.
	// When it returns handled, the message goes no further; a non-nil
	// reply is written back at once (`{"ping":n}` → `{"pong":n}`). Use it
	// to answer server pings and to swallow pong replies. It runs on the
	// reader goroutine and must not block.
	Answer func(m Message) (reply []byte, handled bool)
}

// JSONPing returns a Keepalive.Answer for venues whose server sends
// `{"<pingKey>":X}` and expects `{"<pongKey>":X}` with the same X
// (BitTrade and the Huobi family: JSONPing("ping", "pong")). A message
// `{"<pongKey>":X}` (the answer to a client ping) is swallowed too.
func JSONPing(pingKey, pongKey string) func(Message) ([]byte, bool) {
	ping := []byte(`{"` + pingKey + `"`)
	pong := []byte(`{"` + pongKey + `"`)
	return func(m Message) ([]byte, bool) {
		if m.Type == Control {
			return nil, false
		}
		d := bytes.TrimSpace(m.Data)
		if v, ok := singleField(d, ping); ok {
			reply := make([]byte, 0, len(pong)+len(v)+2)
			reply = append(reply, pong...)
			reply = append(reply, ':')
			reply = append(reply, v...)
			return append(reply, '}'), true
		}
		if _, ok := singleField(d, pong); ok {
			return nil, true
		}
		return nil, false
	}
}

// singleField reports whether d is `<key>:V}` for a scalar V (no nested
// object, array or second field) and returns V.
func singleField(d, key []byte) ([]byte, bool) {
	if !bytes.HasPrefix(d, key) || len(d) < len(key)+3 || d[len(d)-1] != '}' {
		return nil, false
	}
	rest := bytes.TrimLeft(d[len(key):], " \t\r\n")
	if len(rest) == 0 || rest[0] != ':' {
		return nil, false
	}
	v := bytes.TrimSpace(rest[1 : len(rest)-1])
	if len(v) == 0 || bytes.ContainsAny(v, ",{}[]") {
		return nil, false
	}
	return v, true
}
