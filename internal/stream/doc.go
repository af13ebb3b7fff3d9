// Package stream is the connection layer of unifex's WebSocket engine: one
// self-healing logical connection (a Link) to one venue endpoint, for every
// venue's transport. The topic, subscription and watch layer is built on
// top of it; a Link knows nothing of topics.
//
// # What a Link does
//
//   - Dials through Config.Dial, a hook called before every dial and
//     re-dial, so token endpoints (KuCoin's bullet, GMO Coin's access token,
//     Binance and MEXC listen keys) get a fresh Target each time. Renewals on
//     their own timer run with Link.Every; a failing renewal, or a venue
//     saying in band that the key is dead, drops the connection (Link.Drop)
//     and the next dial fetches a fresh target.
//   - Opens the connection with a Transport (WebSocket, or LongPoll for
//     venues whose private stream is HTTP long-polling, such as bitbank's
//     PubNub channel), runs the Codec's handshake (Engine.IO), then
//     Config.OnConnect (log in, subscribe every live topic) before it
//     declares itself up.
//   - Reads on one goroutine: decodes each frame with the Codec (Plain,
//     Gzip, Deflate, SocketIO), lets Keepalive.Answer reply to server pings,
//     hands responses to the Request waiting for them, and gives everything
//     else to Config.OnMessage, in order. A frame that fails to decode
//     reaches OnMessage as an errors.BadResponse and the link goes on.
//   - Keeps the connection alive: protocol or application pings every
//     Keepalive.Interval; any inbound frame counts as liveness; a silent or
//     half-open connection is declared dead (errors.RequestTimeout) within
//     2× the interval.
//   - On a drop: fails every waiting Request (saying whether it may have
//     reached the venue), reports Disconnected with an error matching
//     errors.NetworkError, backs off with internal/backoff (CCXT's schedule,
//     reset after 30 s up, Retry-After honoured) and dials again.
//   - Limits outgoing messages per connection (Config.MessagesPerSecond) and,
//     through a shared Config.Limiter, across connections; keepalive frames
//     are exempt.
//   - Close ends the connection, every goroutine and timer, and every
//     waiter, and waits for them; later calls fail with
//     errors.ExchangeClosedByUser.
//
// # Using it from the watch layer
//
// The layer above keeps its live topics and gives the link three
// callbacks. OnConnect re-authenticates and resubscribes on every
// connection, through the Session it receives (which it may keep: sends on
// a Session go to that connection, even before the link is declared up).
// OnMessage routes each message to its topic, and a decode error to the
// topic it concerns. OnState fails the waiters with Event.Err on
// Disconnected and marks their topics so that the next delivery says it
// follows a gap (messages of a new connection can reach OnMessage before
// its Connected event, whose Reconnect is then true). A link is cheap (one goroutine, plus a reader while
// connected) and independent of the others, so the layer opens another
// when one is full of topics.
//
//	link, err := stream.New(stream.Config{
//		Exchange: "kucoin",
//		Dial: func(ctx context.Context) (stream.Target, error) {
//			tok, err := rest.bulletPublic(ctx) // a fresh token per dial
//			if err != nil {
//				return stream.Target{}, err
//			}
//			// The bullet response also carries the ping rule; a Target may
//			// set Keepalive to apply it to this connection.
//			return stream.Target{URL: tok.Endpoint + "?token=" + tok.Token}, nil
//		},
//		Keepalive: stream.Keepalive{
//			Interval: 18 * time.Second,
//			Ping:     func() []byte { return []byte(`{"id":"` + nextID() + `","type":"ping"}`) },
//			Answer:   swallowPong,
//		},
//		OnConnect: func(ctx context.Context, s *stream.Session) error {
//			if _, err := s.Await(ctx, isWelcome); err != nil {
//				return err
//			}
//			for _, t := range topics.live() {
//				if _, err := s.Request(ctx, stream.Request{ID: t.id, Payload: t.subscribe}); err != nil {
//					return err
//				}
//			}
//			return nil
//		},
//		ResponseID: idOf, // the "id" field of acks and RPC replies
//		OnMessage:  topics.route,
//		OnState:    topics.onState,
//		MessagesPerSecond: 10, MessageBurst: 10,
//	})
//
// # Requests
//
// Session.Request and Link.Request send a message and wait for the inbound
// message that answers it, found by a correlation id (Config.ResponseID)
// or a matcher. A response goes to its request only, never to OnMessage;
// one that arrives after its request gave up goes to OnMessage. Each
// request has a deadline (ctx, and Config.RequestTimeout). A failure says
// whether the request may have reached the venue: errors.SafeToRetry is
// true only when none of it was written. The link never sends anything
// twice.
//
// # Codecs and venues
//
//	venue framing                         Codec     Keepalive
//	JSON text, JSON-RPC 2.0 (bitFlyer)    Plain     protocol pings, or Ping/Answer
//	protobuf binary pushes (MEXC)         Plain     Ping {"method":"PING"}
//	gzip binary frames (BitTrade, /ws)    Gzip      Answer: JSONPing("ping", "pong")
//	raw deflate frames (OKJ V3)           Deflate   Ping "ping", Answer swallows "pong"
//	Socket.IO 4 / Engine.IO 4 (bitbank)   SocketIO  Answer: AnswerEngineIOPing
//	PubNub long poll (bitbank private)    Plain     LongPoll{Poller: PubNub{}} transport
//
// # Secrets
//
// Paths, queries and headers carry tokens, so nothing here logs or puts
// into an error more of a Target than its scheme and host.
package stream
