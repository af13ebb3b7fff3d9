package stream_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"time"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/internal/stream"
)

// A JSON-RPC 2.0 venue (bitFlyer style): log in with a correlated request
// on every connection, subscribe, and route channel messages.
func ExampleNew() {
	link, err := stream.New(stream.Config{
		Exchange: "bitflyer",
		Dial: func(context.Context) (stream.Target, error) {
			return stream.Target{URL: "wss://ws.lightstream.bitflyer.com/json-rpc"}, nil
		},
		Keepalive: stream.Keepalive{Interval: 30 * time.Second}, // WebSocket pings
		ResponseID: func(m stream.Message) ([]byte, bool) {
			// A real adapter parses only the "id" field.
			i := bytes.Index(m.Data, []byte(`"id":"`))
			if i < 0 {
				return nil, false
			}
			id := m.Data[i+6:]
			j := bytes.IndexByte(id, '"')
			return id[:j], j >= 0
		},
		OnConnect: func(ctx context.Context, s *stream.Session) error {
			_, err := s.Request(ctx, stream.Request{
				ID:      "auth",
				Payload: []byte(`{"jsonrpc":"2.0","method":"auth","params":{},"id":"auth"}`),
			})
			if err != nil {
				return err
			}
			return s.Send(ctx, []byte(`{"jsonrpc":"2.0","method":"subscribe","params":{"channel":"child_order_events"}}`))
		},
		OnMessage: func(m stream.Message, err error) {
			if err != nil {
				log.Print(err) // errors.BadResponse: fail the affected topic only
				return
			}
			fmt.Printf("%s\n", m.Data)
		},
		OnState: func(e stream.Event) {
			if e.State == stream.Disconnected && errors.Is(e.Err, errors.NetworkError) {
				log.Print("waiters fail with ", e.Err)
			}
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	defer link.Close()
}
