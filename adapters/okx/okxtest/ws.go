package okxtest

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/unifex-go/unifex/internal/fakeserver"
)

// The WebSockets: /ws/v5/public, /ws/v5/private and /ws/v5/business on
// the shared fakeserver kit. Each connection has a session: its
// subscriptions, its login, and a queue its own writer drains, so a slow
// client never blocks the market. The text "ping" is answered "pong"; a
// connection quiet both ways for Config.IdleTimeout is cut.

// Connection kinds.
const (
	public = iota
	private
	business
)

// arg is a subscription argument, as sent and as echoed.
type arg struct {
	Channel    string `json:"channel"`
	InstType   string `json:"instType,omitempty"`
	InstFamily string `json:"instFamily,omitempty"`
	InstID     string `json:"instId,omitempty"`
	Ccy        string `json:"ccy,omitempty"`
}

// session is one connection's state.
type session struct {
	c        *fakeserver.Conn
	kind     int
	connID   string
	out      chan []byte
	subs     map[arg]bool
	loggedIn bool
	silenced bool
	active   atomic.Int64 // unix nanos of the last frame either way
}

// outQueue bounds the frames waiting for a slow client; one that falls
// this far behind is dropped.
const outQueue = 8192

// send queues a frame; a full queue drops the connection.
func (sess *session) send(frame []byte) {
	select {
	case sess.out <- frame:
	default:
		sess.c.Drop()
	}
}

func (sess *session) touch() { sess.active.Store(time.Now().UnixNano()) }

// serveConn runs one connection.
func (s *Server) serveConn(c *fakeserver.Conn) {
	kind := map[string]int{"/ws/v5/public": public, "/ws/v5/private": private, "/ws/v5/business": business}
	k, ok := kind[c.Request.URL.Path]
	if !ok {
		return // unknown path: the connection ends
	}
	s.mu.Lock()
	s.connSeq++
	sess := &session{c: c, kind: k, connID: fmt.Sprintf("%08x", 0x5a17c0de+s.connSeq*7919), out: make(chan []byte, outQueue), subs: map[arg]bool{}}
	sess.touch()
	s.sessions[sess] = struct{}{}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.sessions, sess)
		s.mu.Unlock()
	}()
	go func() {
		for {
			select {
			case <-c.Done():
				return
			case f := <-sess.out:
				if c.Send(f) != nil {
					c.Drop()
					return
				}
				sess.touch()
			}
		}
	}()
	for {
		wait := s.cfg.IdleTimeout - time.Since(time.Unix(0, sess.active.Load()))
		if wait <= 0 {
			s.mu.Lock()
			silenced := sess.silenced
			s.mu.Unlock()
			if !silenced {
				return // idle cut
			}
			wait = s.cfg.IdleTimeout
		}
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		data, err := c.Read(ctx)
		cancel()
		if err != nil {
			if ctx.Err() != nil && !isDone(c) {
				continue
			}
			return
		}
		sess.touch()
		if string(data) == "ping" {
			sess.send([]byte("pong"))
			continue
		}
		s.wsMessage(sess, data)
	}
}

func isDone(c *fakeserver.Conn) bool {
	select {
	case <-c.Done():
		return true
	default:
		return false
	}
}

// request is a client's operation.
type request struct {
	ID   string            `json:"id"`
	Op   string            `json:"op"`
	Args []json.RawMessage `json:"args"`
}

// wsError is an {"event":"error"} reply.
func wsError(sess *session, id, code, msg string) []byte {
	m := map[string]any{"event": "error", "code": code, "msg": msg, "connId": sess.connID}
	if id != "" {
		m["id"] = id
	}
	return mustJSON(m)
}

// wsMessage answers one client message.
func (s *Server) wsMessage(sess *session, data []byte) {
	var req request
	if err := json.Unmarshal(data, &req); err != nil || req.Op == "" {
		sess.send(wsError(sess, "", "60012", "Invalid request: "+string(data)))
		return
	}
	switch req.Op {
	case "subscribe", "unsubscribe":
		s.subscribe(sess, req)
	case "login":
		s.login(sess, req)
	case "order", "cancel-order", "amend-order":
		s.wsTrade(sess, req)
	default:
		sess.send(wsError(sess, req.ID, "60012", "Invalid request: "+string(data)))
	}
}

// privateChannels need a login on /private.
var privateChannels = map[string]bool{"orders": true, "account": true, "positions": true, "balance_and_position": true, "fills": true}

// publicChannels are served on /public.
var publicChannels = map[string]bool{"books": true, "books5": true, "bbo-tbt": true, "trades": true, "tickers": true}

// subscribe adds or removes channels, one acknowledgement per arg, and
// sends what a channel sends on subscription.
func (s *Server) subscribe(sess *session, req request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(req.Args) == 0 {
		sess.send(wsError(sess, req.ID, "60013", "Invalid args"))
		return
	}
	for _, raw := range req.Args {
		var a arg
		if json.Unmarshal(raw, &a) != nil || a.Channel == "" {
			sess.send(wsError(sess, req.ID, "60013", "Invalid args"))
			continue
		}
		if code, msg := s.checkArg(sess, a); code != "" {
			sess.send(wsError(sess, req.ID, code, msg))
			continue
		}
		ack := map[string]any{"event": req.Op, "arg": a, "connId": sess.connID}
		if req.ID != "" {
			ack["id"] = req.ID
		}
		sess.send(mustJSON(ack))
		if req.Op == "unsubscribe" {
			delete(sess.subs, a)
			continue
		}
		sess.subs[a] = true
		s.initialLocked(sess, a)
	}
}

// checkArg returns the error code and message refusing a subscription,
// "" when it is valid here.
func (s *Server) checkArg(sess *session, a arg) (string, string) {
	wrong := "Wrong URL or channel:" + a.Channel + ",instId:" + a.InstID + " doesn't exist. Please use the correct URL, channel and parameters referring to API document."
	_, _, candle := barOf(strings.TrimPrefix(a.Channel, "candle"))
	candle = candle && strings.HasPrefix(a.Channel, "candle")
	switch {
	case a.Channel == "books-l2-tbt" || a.Channel == "books50-l2-tbt":
		if sess.kind == public {
			return "64003", "Your trading fee tier doesn't meet the requirement to access this channel"
		}
		return "60018", wrong
	case candle && sess.kind == public:
		return "64001", "This channel has been migrated to the '/business' URL. Please subscribe using the new URL. More details can refer to: https://www.okx.com/help-center/changes-to-v5-api-websocket-subscription-parameter-and-url"
	case candle && sess.kind == business, publicChannels[a.Channel] && sess.kind == public:
		if s.byID[a.InstID] == nil {
			return "60018", wrong
		}
	case (a.Channel == "orders-algo" || a.Channel == "algo-advance") && sess.kind == business:
		if !sess.loggedIn {
			return "60011", "Please log in"
		}
	case privateChannels[a.Channel] && sess.kind == private:
		if !sess.loggedIn {
			return "60011", "Please log in"
		}
		if a.Channel == "fills" && s.cfg.VIP < 6 {
			return "60029", "Only users who are VIP6 and above in trading fee tier are allowed to subscribe to this channel"
		}
	default:
		return "60018", wrong
	}
	return "", ""
}

// initialLocked sends what a channel pushes on subscription.
func (s *Server) initialLocked(sess *session, a arg) {
	now := s.now()
	m := s.byID[a.InstID]
	switch {
	case a.Channel == "books" && !s.cfg.RESTSnapshot:
		st := bookState{ID: m.book.seq, Bids: m.book.bids.Head(400), Asks: m.book.asks.Head(400)}
		sess.send(s.booksFrame(m, "snapshot", update{seq: st.ID, prev: -1, bids: st.Bids, asks: st.Asks,
			checksum: s.checksumLocked(m)}, now))
	case a.Channel == "books5":
		sess.send(s.books5Frame(m, now))
	case a.Channel == "bbo-tbt":
		sess.send(s.bboFrame(m, now))
	case a.Channel == "tickers":
		sess.send(mustJSON(map[string]any{"arg": a, "data": []any{s.tickerLocked(m, now)}}))
	case strings.HasPrefix(a.Channel, "candle"):
		sess.send(s.candleFrame(m, a.Channel))
	case a.Channel == "account", a.Channel == "balance_and_position", a.Channel == "positions":
		s.pushAccountLocked(sess, a, "snapshot", now, nil)
	}
}

// login checks a login op: key, passphrase, a seconds timestamp within
// 30 s of the server clock, and the signature of timestamp + "GET" +
// "/users/self/verify".
func (s *Server) login(sess *session, req request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var a struct{ APIKey, Passphrase, Timestamp, Sign string }
	if len(req.Args) != 1 || json.Unmarshal(req.Args[0], &a) != nil {
		sess.send(wsError(sess, req.ID, "60013", "Invalid args"))
		return
	}
	code, msg := s.checkLogin(a.APIKey, a.Passphrase, a.Timestamp, a.Sign)
	if code == "" && sess.loggedIn {
		code, msg = "60031", "The WS login request repeated, please don't login repeatedly"
	}
	if code != "" {
		sess.send(wsError(sess, req.ID, code, msg))
		return
	}
	sess.loggedIn = true
	sess.send(mustJSON(map[string]any{"event": "login", "code": "0", "msg": "", "connId": sess.connID}))
}

// checkLogin returns the refusal of a WebSocket login, "" when it passes.
func (s *Server) checkLogin(key, passphrase, ts, sign string) (string, string) {
	secs, err := parseSeconds(ts)
	switch {
	case s.rest.expired || key != s.cfg.APIKey:
		return "60005", "Invalid apiKey"
	case passphrase != s.cfg.Passphrase:
		return "60024", "Wrong passphrase"
	case err != nil:
		return "60004", "Invalid timestamp"
	case !s.api.InWindow(secs, 30*time.Second):
		return "60006", "Timestamp request expired"
	case !verify(s.secretLocked(), ts+"GET/users/self/verify", sign):
		return "60007", "Invalid sign"
	}
	return "", ""
}

// mustJSON marshals the fake's own values.
func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("okxtest: " + err.Error())
	}
	return b
}
