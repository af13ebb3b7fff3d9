package stream

import (
	"log/slog"
	"net/http"
	"net/url"
)

// MessageType says what a Message carries.
type MessageType uint8

const (
	// Text is a text frame (JSON and the like).
	Text MessageType = iota + 1
	// Binary is a binary frame (compressed or protobuf payloads).
	Binary
	// Control is a packet of a framing protocol that carries no application
	// data, such as an Engine.IO ping or open packet. Codecs produce it; it
	// reaches Keepalive.Answer but never OnMessage.
	Control
)

// String returns "text", "binary" or "control".
func (t MessageType) String() string {
	switch t {
	case Text:
		return "text"
	case Binary:
		return "binary"
	case Control:
		return "control"
	}
	return "invalid"
}

// Message is one frame read from or written to a connection, or the
// application message a codec decoded from one.
//
// Inbound Data aliases buffers that the link reuses: it is valid only until
// the callback that received it returns (or, for Conn.Read, until the next
// Read). Copy what you keep. Responses returned by Request are copies owned
// by the caller.
type Message struct {
	// Type is the frame's kind.
	Type MessageType
	// Data is the payload.
	Data []byte
}

// Target is where a link connects: the URL and the handshake headers. The
// link asks Config.Dial for a fresh Target before every dial, so tokens in
// the URL or the headers can change from one connection to the next.
//
// Its String and LogValue show only the scheme and host: paths, queries and
// headers often carry tokens (KuCoin's bullet token in the query, GMO Coin's
// access token in the path).
type Target struct {
	// URL is the endpoint, for example "wss://stream.example.com/ws?token=...".
	URL string
	// Header holds extra handshake or request headers; may be nil.
	Header http.Header
	// Keepalive, if set, replaces Config.Keepalive for this connection,
	// for venues that announce their ping rule with the token (KuCoin's
	// bullet response gives pingInterval and pingTimeout).
	Keepalive *Keepalive
}

// String returns the target's scheme and host, hiding the rest.
func (t Target) String() string { return redactURL(t.URL) }

// LogValue logs the target as String does.
func (t Target) LogValue() slog.Value { return slog.StringValue(t.String()) }

// redactURL keeps the scheme and host of raw and replaces any path, query or
// fragment by "/…". It never returns user info.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "(unparsable URL)"
	}
	s := u.Scheme + "://" + u.Host
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		s += "/…"
	}
	return s
}

// hostOf returns the host of raw for logs and hooks, or "" when raw does
// not parse.
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Host
}
