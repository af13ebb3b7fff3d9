package stream

import (
	"context"
	"time"
)

// Transport opens connections to a Target. WebSocket and LongPoll are the
// two implementations here; a Transport must be safe for concurrent use.
type Transport interface {
	// Dial connects to t. It honours ctx for every step (TCP, TLS,
	// handshake) and returns an error in the errors taxonomy.
	Dial(ctx context.Context, t Target) (Conn, error)
}

// Conn is one open connection.
//
// Read is called by one goroutine at a time, and so is Write, but Read and
// Write may run concurrently. Close may be called at any time from any
// goroutine, more than once; it makes a blocked Read or Write return.
type Conn interface {
	// Read returns the next inbound message. Its Data is valid until the
	// next Read. An error means the connection is finished.
	Read(ctx context.Context) (Message, error)
	// Write sends m. It returns by ctx's deadline at the latest. An error
	// that errors.SafeToRetry accepts (Unsent) means nothing was written and
	// the connection is still usable; any other error ends the connection.
	Write(ctx context.Context, m Message) error
	// Close ends the connection.
	Close() error
}

// Pinger is implemented by a Conn with protocol-level pings (WebSocket ping
// control frames). Ping may run concurrently with Read and Write.
type Pinger interface {
	// Ping sends one ping; it does not wait for the pong.
	Ping(ctx context.Context) error
}

// ControlNotifier is implemented by a Conn that sees inbound traffic which
// Read does not return: WebSocket ping and pong frames, an empty long-poll
// reply. The link counts such traffic as liveness.
type ControlNotifier interface {
	// NotifyControl registers f before the first Read. f is then called
	// from inside Read for each such event; rtt is the round trip of a pong
	// that answers this Conn's own Ping, else 0.
	NotifyControl(f func(rtt time.Duration))
}
