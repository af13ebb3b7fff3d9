package bybittest

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/unifex-go/unifex/internal/fakeserver"
)

// The WebSocket side: one loopback server whose path picks the stream —
// /v5/public/{spot,linear,inverse,option}, /v5/private, /v5/trade. Every stream
// answers {"op":"ping"} in its own documented pong shape and cuts a
// connection that has sent no ping for the idle timeout.

// streamKind is what a connection's path serves.
type streamKind int

const (
	publicStream streamKind = iota
	privateStream
	tradeStream
)

// session is one connection's state.
type session struct {
	c      *fakeserver.Conn
	kind   streamKind
	cat    Category // public streams
	connID string
	out    chan []byte
	idle   time.Duration
	authed bool
	topics map[string]bool // subscribed topics (as the client spelled them)
}

// outQueue bounds the frames waiting for a slow client; a client that
// falls this far behind is dropped.
const outQueue = 8192

// send queues a frame; a session whose queue is full is dropped.
func (ss *session) send(v any) {
	b, ok := v.([]byte)
	if !ok {
		var err error
		if b, err = json.Marshal(v); err != nil {
			panic("bybittest: " + err.Error()) // only our own types are sent
		}
	}
	select {
	case ss.out <- b:
	default:
		ss.c.Drop()
	}
}

// serveWS runs one connection: it routes by path, then reads until the
// connection ends or idles out.
func (s *Server) serveWS(c *fakeserver.Conn) {
	ss := &session{c: c, out: make(chan []byte, outQueue), idle: s.cfg.IdleTimeout, topics: map[string]bool{}}
	switch p := strings.TrimSuffix(c.Request.URL.Path, "/"); p {
	case "/v5/public/spot", "/v5/public/linear", "/v5/public/inverse", "/v5/public/option":
		ss.kind, ss.cat = publicStream, Category(strings.TrimPrefix(p, "/v5/public/"))
	case "/v5/private", "/v5/trade":
		ss.kind = privateStream
		if p == "/v5/trade" {
			ss.kind = tradeStream
		}
		if v := c.Request.URL.Query().Get("max_active_time"); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil || d < 30*time.Second || d > 600*time.Second {
				return // Bybit refuses the parameter by closing
			}
			ss.idle = d
		}
	default:
		return
	}
	s.mu.Lock()
	if s.outage || s.run.Stopped() {
		s.mu.Unlock()
		return
	}
	s.sessions[ss] = struct{}{}
	ss.connID = fmt.Sprintf("bybittest%08x-%d", s.rng.Uint32(), len(s.sessions))
	s.io.Add(1)
	s.mu.Unlock()
	go func() {
		defer s.io.Done()
		for {
			select {
			case <-c.Done():
				return
			case f := <-ss.out:
				if c.Send(f) != nil {
					c.Drop()
					return
				}
			}
		}
	}()
	defer s.forget(ss)
	lastPing := time.Now()
	for {
		ctx, cancel := context.WithDeadline(context.Background(), lastPing.Add(ss.idle))
		data, err := c.Read(ctx)
		cancel()
		if err != nil {
			c.Drop() // closed, or idle: Bybit cuts the connection
			return
		}
		if s.handle(ss, data) {
			lastPing = time.Now()
		}
	}
}

// forget removes an ended session and its subscriptions.
func (s *Server) forget(ss *session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.sessions, ss)
	for _, subs := range s.subs {
		delete(subs, ss)
	}
}

// request is any client message of the three streams.
type request struct {
	ReqID  string            `json:"req_id"`
	ReqID2 string            `json:"reqId"` // trade stream
	Op     string            `json:"op"`
	Args   []json.RawMessage `json:"args"`
	Header map[string]string `json:"header"`
}

// handle answers one message; it reports whether the message was a ping.
func (s *Server) handle(ss *session, data []byte) bool {
	var req request
	if err := json.Unmarshal(data, &req); err != nil || req.Op == "" {
		s.refuseOp(ss, req, "error:request not supported")
		return false
	}
	if req.Op == "ping" {
		s.pong(ss, req)
		return true
	}
	switch ss.kind {
	case publicStream:
		switch req.Op {
		case "subscribe":
			s.subscribePublic(ss, req)
		case "unsubscribe":
			s.unsubscribe(ss, req)
		default:
			s.refuseOp(ss, req, "error:handler not found,op:"+req.Op)
		}
	case privateStream:
		switch req.Op {
		case "auth":
			s.auth(ss, req)
		case "subscribe":
			s.subscribePrivate(ss, req)
		case "unsubscribe":
			s.unsubscribe(ss, req)
		default:
			s.refuseOp(ss, req, "error:handler not found,op:"+req.Op)
		}
	case tradeStream:
		s.tradeOp(ss, req)
	}
	return false
}

// pong answers a ping in the stream's documented shape.
func (s *Server) pong(ss *session, req request) {
	now := itoa(s.now().UnixMilli())
	switch {
	case ss.kind == tradeStream:
		ss.send(map[string]any{"retCode": 0, "retMsg": "OK", "op": "pong", "data": []string{now}, "connId": ss.connID})
	case ss.kind == privateStream:
		ss.send(map[string]any{"req_id": req.ReqID, "op": "pong", "args": []string{now}, "conn_id": ss.connID})
	case ss.cat == Option:
		ss.send(optionPong(s.now()))
	case ss.cat == Spot:
		ss.send(map[string]any{"success": true, "ret_msg": "pong", "conn_id": ss.connID, "op": "ping"})
	default:
		ss.send(map[string]any{"success": true, "ret_msg": "pong", "conn_id": ss.connID, "req_id": req.ReqID, "op": "ping"})
	}
}

// reply answers an op of the public or private stream: the public spot
// shape carries the op in ret_msg, linear and inverse carry req_id, the
// private stream carries neither.
func (s *Server) reply(ss *session, req request, ok bool, msg string) {
	m := map[string]any{"success": ok, "ret_msg": msg, "conn_id": ss.connID, "op": req.Op}
	switch {
	case ss.kind == tradeStream:
		code := 0
		if !ok {
			code = 10404
		}
		s.tradeReply(ss, req, code, msg, map[string]any{})
		return
	case ss.kind == privateStream:
		if req.ReqID != "" {
			m["req_id"] = req.ReqID
		}
	case ss.cat == Option:
		ss.send(optionReply(ss, req, ok, msg))
		return
	case ss.cat == Spot:
		if ok && msg == "" {
			m["ret_msg"] = req.Op
		}
		m["req_id"] = req.ReqID
	default:
		m["req_id"] = req.ReqID
	}
	ss.send(m)
}

func (s *Server) refuseOp(ss *session, req request, msg string) {
	if req.Op == "" {
		req.Op = "unknown"
	}
	s.reply(ss, req, false, msg)
}

// args reads a subscribe's topic strings.
func topicArgs(req request) ([]string, bool) {
	out := make([]string, 0, len(req.Args))
	for _, a := range req.Args {
		var t string
		if json.Unmarshal(a, &t) != nil || t == "" {
			return nil, false
		}
		out = append(out, t)
	}
	return out, len(out) > 0
}

// subscribePublic checks every topic of a subscribe; all are taken, or
// none with the first refusal's reason. Snapshots follow the reply (or
// precede it with Config.SnapshotBeforeAck).
func (s *Server) subscribePublic(ss *session, req request) {
	topics, ok := topicArgs(req)
	s.mu.Lock()
	defer s.mu.Unlock()
	if !ok {
		s.reply(ss, req, false, "error:args is empty or not a list of topics")
		return
	}
	if ss.cat == Spot && len(topics) > 10 {
		s.reply(ss, req, false, "error:args count exceeds 10")
		return
	}
	for _, t := range topics {
		if _, ok := s.publicTopic(ss.cat, t); !ok {
			s.reply(ss, req, false, "error:handler not found,topic:"+t)
			return
		}
		if ss.topics[t] {
			s.reply(ss, req, false, "error:already subscribed,topic:"+t)
			return
		}
	}
	if !s.cfg.SnapshotBeforeAck {
		s.reply(ss, req, true, "")
	}
	now := s.now()
	for _, t := range topics {
		ss.topics[t] = true
		key := string(ss.cat) + "|" + t
		if s.subs[key] == nil {
			s.subs[key] = map[*session]struct{}{}
		}
		s.subs[key][ss] = struct{}{}
		top, _ := s.publicTopic(ss.cat, t)
		s.initialLocked(ss, top, now)
	}
	if s.cfg.SnapshotBeforeAck {
		s.reply(ss, req, true, "")
	}
}

// unsubscribe drops topics the session has.
func (s *Server) unsubscribe(ss *session, req request) {
	topics, ok := topicArgs(req)
	s.mu.Lock()
	defer s.mu.Unlock()
	if !ok {
		s.reply(ss, req, false, "error:args is empty or not a list of topics")
		return
	}
	for _, t := range topics {
		if !ss.topics[t] {
			s.reply(ss, req, false, "error:not subscribed,topic:"+t)
			return
		}
	}
	for _, t := range topics {
		delete(ss.topics, t)
		prefix := string(ss.cat)
		if ss.kind != publicStream {
			prefix = "private"
		}
		delete(s.subs[prefix+"|"+t], ss)
	}
	s.reply(ss, req, true, "")
}

// topic is a parsed public topic.
type topic struct {
	name  string // orderbook, publicTrade, tickers, kline
	depth int
	iv    interval
	m     *market
}

// depths are the orderbook depths of the spot, linear and inverse streams.
var depths = []int{1, 50, 200, 1000}

// publicTopic parses a topic of category cat's stream.
func (s *Server) publicTopic(cat Category, t string) (topic, bool) {
	if cat == Option {
		return s.optionTopic(t)
	}
	parts := strings.Split(t, ".")
	sym := parts[len(parts)-1]
	m := s.marketByID(cat, sym)
	if m == nil {
		return topic{}, false
	}
	switch {
	case len(parts) == 3 && parts[0] == "orderbook":
		for _, d := range depths {
			if parts[1] == itoa(int64(d)) {
				return topic{name: "orderbook", depth: d, m: m}, true
			}
		}
	case len(parts) == 3 && parts[0] == "kline":
		if iv, ok := intervalOf(parts[1]); ok {
			return topic{name: "kline", iv: iv, m: m}, true
		}
	case len(parts) == 2 && (parts[0] == "publicTrade" || parts[0] == "tickers"):
		return topic{name: parts[0], m: m}, true
	}
	return topic{}, false
}
