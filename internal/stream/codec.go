package stream

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"context"
	"io"
	"strconv"
	"sync"
	"time"

	"github.com/unifex-go/unifex/errors"
)

// Codec turns transport frames into application messages and back: one
// per venue framing. Codec values here are immutable and safe for
// concurrent use, so one value can serve every link.
type Codec interface {
	// Decode returns the application message that the inbound frame in
	// carries. It may return in itself or a part of in.Data, or decode into
	// *scratch (reusing its capacity) and store the grown buffer back; the
	// result is used before the next Decode with the same scratch.
	//
	// An error means the frame could not be understood. It reaches
	// OnMessage as errors.BadResponse and the link goes on, unless it
	// matches errors.NetworkError: then the protocol says the session is
	// over (an Engine.IO close packet) and the link reconnects.
	Decode(scratch *[]byte, in Message) (Message, error)
	// Encode returns the frame that carries the application payload.
	Encode(payload []byte) (Message, error)
}

// Handshaker is implemented by a Codec whose protocol exchanges frames
// after the transport connects and before application traffic (Engine.IO's
// open packet and namespace connect). The link calls Handshake once per
// connection, under the connect timeout, before anything else reads c.
type Handshaker interface {
	// Handshake runs the exchange on c. idle is the longest silence the
	// server's protocol allows (0 when it says nothing); the link uses it
	// as its liveness limit unless Keepalive sets one.
	Handshake(ctx context.Context, c Conn) (idle time.Duration, err error)
}

// DefaultMaxDecompressed caps a decompressed frame when a codec's MaxSize
// is zero.
const DefaultMaxDecompressed = 64 << 20

// Plain is the identity codec: frames are the application messages. It
// serves plain JSON and text venues, JSON-RPC 2.0 (bitFlyer: correlate
// replies with Request), and binary protobuf pushes (MEXC: Message.Type
// tells the adapter which frames are binary). Encode sends text frames.
type Plain struct{}

// Decode returns in unchanged.
func (Plain) Decode(_ *[]byte, in Message) (Message, error) { return in, nil }

// Encode wraps payload in a text frame.
func (Plain) Encode(payload []byte) (Message, error) {
	return Message{Type: Text, Data: payload}, nil
}

// Gzip is the codec for venues whose server frames are gzip-compressed
// binary (BitTrade and the Huobi family on /ws). Text frames pass through
// unchanged and client frames are plain text. The app-level ping
// ({"ping":n} → {"pong":n}) is the Keepalive's business: see JSONPing.
type Gzip struct {
	// MaxSize caps one decompressed frame (DefaultMaxDecompressed when 0).
	MaxSize int
}

// Decode gunzips a binary frame into scratch.
func (g Gzip) Decode(scratch *[]byte, in Message) (Message, error) {
	if in.Type != Binary {
		return in, nil
	}
	z := gzipPool.Get().(*gzipState)
	defer gzipPool.Put(z)
	z.src.Reset(in.Data)
	if err := z.r.Reset(&z.src); err != nil {
		return Message{}, newError(errors.BadResponse, "", "gzip frame", err, false)
	}
	out, err := inflate((*scratch)[:0], &z.r, maxSize(g.MaxSize))
	*scratch = out
	if err != nil {
		return Message{}, newError(errors.BadResponse, "", "gzip frame", err, false)
	}
	return Message{Type: Text, Data: out}, nil
}

// Encode wraps payload in a text frame.
func (Gzip) Encode(payload []byte) (Message, error) {
	return Message{Type: Text, Data: payload}, nil
}

type gzipState struct {
	src bytes.Reader
	r   gzip.Reader
}

var gzipPool = sync.Pool{New: func() any { return new(gzipState) }}

// Deflate is the codec for venues whose server frames are raw DEFLATE
// streams with no zlib or gzip header (OKJ's V3 stream, the OKEx v3
// family). Text frames pass through unchanged and client frames are plain
// text. A frame that ends at a sync flush, without a final block, is
// accepted.
type Deflate struct {
	// MaxSize caps one decompressed frame (DefaultMaxDecompressed when 0).
	MaxSize int
}

// Decode inflates a binary frame into scratch.
func (d Deflate) Decode(scratch *[]byte, in Message) (Message, error) {
	if in.Type != Binary {
		return in, nil
	}
	z := flatePool.Get().(*flateState)
	defer flatePool.Put(z)
	z.src.Reset(in.Data)
	if z.r == nil {
		z.r = flate.NewReader(&z.src)
	} else if err := z.r.(flate.Resetter).Reset(&z.src, nil); err != nil {
		return Message{}, newError(errors.BadResponse, "", "deflate frame", err, false)
	}
	out, err := inflate((*scratch)[:0], z.r, maxSize(d.MaxSize))
	*scratch = out
	if err == io.ErrUnexpectedEOF && z.src.Len() == 0 && len(out) > 0 {
		err = nil // a sync-flushed frame without a final block
	}
	if err != nil {
		return Message{}, newError(errors.BadResponse, "", "deflate frame", err, false)
	}
	return Message{Type: Text, Data: out}, nil
}

// Encode wraps payload in a text frame.
func (Deflate) Encode(payload []byte) (Message, error) {
	return Message{Type: Text, Data: payload}, nil
}

type flateState struct {
	src bytes.Reader
	r   io.ReadCloser
}

var flatePool = sync.Pool{New: func() any { return new(flateState) }}

func maxSize(n int) int {
	if n <= 0 {
		return DefaultMaxDecompressed
	}
	return n
}

// inflate appends what r yields to dst, failing past max bytes.
func inflate(dst []byte, r io.Reader, max int) ([]byte, error) {
	for {
		if len(dst) == cap(dst) {
			dst = append(dst, 0)[:len(dst)]
		}
		room := dst[len(dst):cap(dst)]
		if over := len(dst) + len(room) - (max + 1); over > 0 {
			room = room[:len(room)-over]
		}
		n, err := r.Read(room)
		dst = dst[:len(dst)+n]
		if len(dst) > max {
			return dst[:0], errors.New("decompressed frame exceeds " + strconv.Itoa(max) + " bytes")
		}
		if err == io.EOF {
			return dst, nil
		}
		if err != nil {
			return dst, err
		}
	}
}
