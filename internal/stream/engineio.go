package stream

import (
	"bytes"
	"context"
	"encoding/json"
	"time"

	"github.com/unifex-go/unifex/errors"
)

// SocketIO is the codec for Socket.IO v5 over Engine.IO v4 on a WebSocket
// (bitbank's public stream: connect to ".../socket.io/?EIO=4&transport=websocket").
//
// Handshake reads the server's open packet (`0{"sid":..,"pingInterval":..,
// "pingTimeout":..}`), connects the namespace (`40`) and waits for the
// server's `40{...}`; the link then treats pingInterval+pingTimeout as the
// longest allowed silence. After that:
//
//   - `42["message",{...}]` (an event named Event) decodes to the event's
//     argument `{...}`, as a text message;
//   - an event with another name, or an ack (`43`), decodes to its whole
//     JSON array, so nothing is lost;
//   - Engine.IO ping `2`, pong `3` and noop `6`, and Socket.IO connect
//     packets, decode to Control messages: pair the codec with
//     Keepalive{Answer: AnswerEngineIOPing}, which answers `2` with `3`;
//   - an Engine.IO close `1`, a Socket.IO disconnect `41` or connect error
//     `44` ends the session (a NetworkError), and the link reconnects.
//
// Encode turns a JSON array such as `["join-room","depth_whole_btc_jpy"]`
// into the event packet `42[...]`. Binary attachments and Engine.IO v3
// (where the client pings) are not supported.
type SocketIO struct {
	// Namespace is the Socket.IO namespace; "" or "/" is the main one.
	Namespace string
	// Event is the event whose argument is unwrapped; "" means "message".
	Event string
}

// Handshake implements Handshaker.
func (s SocketIO) Handshake(ctx context.Context, c Conn) (time.Duration, error) {
	m, err := c.Read(ctx)
	if err != nil {
		return 0, classify(ctx, errors.NetworkError, "", "Engine.IO handshake", err)
	}
	if len(m.Data) == 0 || m.Data[0] != '0' {
		return 0, newError(errors.BadResponse, "", "Engine.IO handshake: the first packet is not an open packet", nil, false)
	}
	var open struct {
		PingInterval int64 `json:"pingInterval"`
		PingTimeout  int64 `json:"pingTimeout"`
	}
	if err := json.Unmarshal(m.Data[1:], &open); err != nil {
		return 0, newError(errors.BadResponse, "", "Engine.IO handshake: malformed open packet", err, false)
	}
	if err := c.Write(ctx, Message{Type: Text, Data: s.prefix('0')}); err != nil {
		return 0, classify(ctx, errors.NetworkError, "", "Engine.IO handshake", err)
	}
	for {
		m, err := c.Read(ctx)
		if err != nil {
			return 0, classify(ctx, errors.NetworkError, "", "Engine.IO handshake", err)
		}
		d := m.Data
		switch {
		case len(d) == 1 && d[0] == '2':
			if err := c.Write(ctx, Message{Type: Text, Data: pongPacket}); err != nil {
				return 0, classify(ctx, errors.NetworkError, "", "Engine.IO handshake", err)
			}
		case len(d) >= 2 && d[0] == '4' && d[1] == '0':
			idle := time.Duration(open.PingInterval+open.PingTimeout) * time.Millisecond
			if idle < 0 {
				idle = 0
			}
			return idle, nil
		case len(d) >= 2 && d[0] == '4' && d[1] == '4':
			return 0, newError(errors.NetworkError, "", "Socket.IO namespace connect refused", nil, false)
		case len(d) >= 1 && d[0] == '1':
			return 0, newError(errors.NetworkError, "", "Engine.IO session closed during the handshake", nil, false)
		}
		// Anything else before the namespace is connected is dropped.
	}
}

var pongPacket = []byte("3")

// prefix returns the Socket.IO packet prefix "4<typ>" with the namespace.
func (s SocketIO) prefix(typ byte) []byte {
	b := []byte{'4', typ}
	if ns := s.Namespace; ns != "" && ns != "/" {
		b = append(b, ns...)
		b = append(b, ',')
	}
	return b
}

// Decode implements Codec.
func (s SocketIO) Decode(_ *[]byte, in Message) (Message, error) {
	d := in.Data
	if in.Type == Binary {
		return Message{}, newError(errors.BadResponse, "", "binary Engine.IO packets are not supported", nil, false)
	}
	if len(d) == 0 {
		return Message{}, newError(errors.BadResponse, "", "empty Engine.IO packet", nil, false)
	}
	switch d[0] {
	case '0', '2', '3', '5', '6':
		return Message{Type: Control, Data: d}, nil
	case '1':
		return Message{}, newError(errors.NetworkError, "", "Engine.IO close packet from the server", nil, false)
	case '4':
		return s.decodeSocketIO(d[1:])
	}
	return Message{}, newError(errors.BadResponse, "", "unknown Engine.IO packet type", nil, false)
}

// decodeSocketIO decodes the Socket.IO packet p inside an Engine.IO message.
func (s SocketIO) decodeSocketIO(p []byte) (Message, error) {
	if len(p) == 0 {
		return Message{}, newError(errors.BadResponse, "", "empty Socket.IO packet", nil, false)
	}
	typ, rest := p[0], p[1:]
	switch typ {
	case '0':
		return Message{Type: Control, Data: p}, nil
	case '1':
		return Message{}, newError(errors.NetworkError, "", "Socket.IO disconnect from the server", nil, false)
	case '4':
		return Message{}, newError(errors.NetworkError, "", "Socket.IO connect error from the server", nil, false)
	case '2', '3':
	default:
		return Message{}, newError(errors.BadResponse, "", "unsupported Socket.IO packet type", nil, false)
	}
	// Optional namespace "/ns," then optional ack id digits.
	if len(rest) > 0 && rest[0] == '/' {
		i := bytes.IndexByte(rest, ',')
		if i < 0 {
			return Message{}, newError(errors.BadResponse, "", "Socket.IO namespace without a comma", nil, false)
		}
		rest = rest[i+1:]
	}
	for len(rest) > 0 && rest[0] >= '0' && rest[0] <= '9' {
		rest = rest[1:]
	}
	arr := bytes.TrimSpace(rest)
	if len(arr) < 2 || arr[0] != '[' || arr[len(arr)-1] != ']' {
		return Message{}, newError(errors.BadResponse, "", "Socket.IO packet without a JSON array", nil, false)
	}
	if typ == '3' {
		return Message{Type: Text, Data: arr}, nil
	}
	body := bytes.TrimLeft(arr[1:len(arr)-1], " \t\r\n")
	name, after, ok := jsonString(body)
	if !ok {
		return Message{}, newError(errors.BadResponse, "", "Socket.IO event without a name", nil, false)
	}
	event := s.Event
	if event == "" {
		event = "message"
	}
	if string(name) != event {
		return Message{Type: Text, Data: arr}, nil
	}
	after = bytes.TrimLeft(after, " \t\r\n")
	if len(after) == 0 || after[0] != ',' {
		return Message{}, newError(errors.BadResponse, "", "Socket.IO event without an argument", nil, false)
	}
	arg := bytes.TrimSpace(after[1:])
	if len(arg) == 0 {
		return Message{}, newError(errors.BadResponse, "", "Socket.IO event without an argument", nil, false)
	}
	return Message{Type: Text, Data: arg}, nil
}

// jsonString splits a leading JSON string off b: name is its raw content
// between the quotes (escapes left as they are), rest what follows.
func jsonString(b []byte) (name, rest []byte, ok bool) {
	if len(b) == 0 || b[0] != '"' {
		return nil, nil, false
	}
	for i := 1; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return b[1:i], b[i+1:], true
		}
	}
	return nil, nil, false
}

// Encode wraps a JSON array in a Socket.IO event packet.
func (s SocketIO) Encode(payload []byte) (Message, error) {
	p := bytes.TrimSpace(payload)
	if len(p) < 2 || p[0] != '[' || p[len(p)-1] != ']' {
		return Message{}, newError(errors.BadRequest, "", "a Socket.IO event must be a JSON array", nil, true)
	}
	return Message{Type: Text, Data: append(s.prefix('2'), payload...)}, nil
}

// AnswerEngineIOPing is the Keepalive.Answer for SocketIO: it answers an
// Engine.IO ping `2` with a pong `3` and swallows the other control
// packets.
func AnswerEngineIOPing(m Message) (reply []byte, handled bool) {
	if m.Type != Control {
		return nil, false
	}
	if len(m.Data) == 1 && m.Data[0] == '2' {
		return pongPacket, true
	}
	return nil, true
}
