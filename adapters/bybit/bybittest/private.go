package bybittest

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// The signed REST routes, the private stream (auth, order, execution,
// position, wallet) and the trade stream (order.create, order.amend,
// order.cancel).

func (s *Server) restWallet(p params) (any, *apiError) {
	if p.str("accountType") != "UNIFIED" {
		return nil, paramErr("params error: accountType only support UNIFIED")
	}
	var only map[string]bool
	if c := p.str("coin"); c != "" {
		only = map[string]bool{}
		for _, x := range strings.Split(c, ",") {
			only[x] = true
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return map[string]any{"list": []any{s.acct.walletJSON(only)}}, nil
}

func ids(o *order) map[string]string {
	return map[string]string{"orderId": o.id, "orderLinkId": o.linkID}
}

func (s *Server) restCreate(p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	args, err := s.parseCreate(p)
	if err != nil {
		return nil, err
	}
	o, err := s.acct.createLocked(args, s.now())
	if err != nil {
		return nil, err
	}
	return ids(o), nil
}

func (s *Server) restAmend(p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, err := s.acct.amendLocked(p, s.now())
	if err != nil {
		return nil, err
	}
	return ids(o), nil
}

func (s *Server) restCancel(p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, err := s.acct.cancelLocked(p, s.now())
	if err != nil {
		return nil, err
	}
	return ids(o), nil
}

func (s *Server) restCancelAll(p params) (any, *apiError) {
	cat := Category(p.str("category"))
	if cat != Spot && cat != Linear && cat != Inverse && cat != Option { // no option is traded: nothing to list
		return nil, paramErr("params error: category is invalid")
	}
	sym, settle, base := p.str("symbol"), p.str("settleCoin"), p.str("baseCoin")
	if cat != Spot && sym == "" && settle == "" && base == "" {
		return nil, paramErr("params error: symbol, baseCoin or settleCoin is required")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	list := []map[string]string{}
	for _, o := range s.acct.orders {
		m := o.m
		if !o.open() || m.cat != cat || (sym != "" && m.id != sym) || (settle != "" && m.settle != settle) || (base != "" && m.base != base) {
			continue
		}
		s.acct.cancelOrderLocked(o, now)
		list = append(list, ids(o))
	}
	return map[string]any{"list": list, "success": "1"}, nil
}

// orderQuery filters and pages orders, newest first.
func (s *Server) orderQuery(p params, keep func(o *order) bool) (any, *apiError) {
	cat := Category(p.str("category"))
	if cat != Spot && cat != Linear && cat != Inverse && cat != Option { // no option is traded: nothing to list
		return nil, paramErr("params error: category is invalid")
	}
	limit := 20
	if v := p.str("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 50 {
			return nil, paramErr("params error: limit is invalid")
		}
		limit = n
	}
	off, ok := cursorOffset(p.str("cursor"))
	if !ok {
		return nil, paramErr("params error: cursor is invalid")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var list []map[string]any
	for i := len(s.acct.orders) - 1; i >= 0; i-- {
		o := s.acct.orders[i]
		if o.m.cat != cat || (p.str("symbol") != "" && o.m.id != p.str("symbol")) || (p.str("orderId") != "" && o.id != p.str("orderId")) ||
			(p.str("orderLinkId") != "" && o.linkID != p.str("orderLinkId")) || !keep(o) {
			continue
		}
		list = append(list, s.acct.orderJSON(o, false))
	}
	list, next := page(list, off, limit)
	if list == nil {
		list = []map[string]any{}
	}
	return map[string]any{"category": cat, "list": list, "nextPageCursor": next}, nil
}

// restOpenOrders: openOnly=0 (default) open orders, or the one named by
// orderId/orderLinkId whatever its state; 1 or 2 the closed ones.
func (s *Server) restOpenOrders(p params) (any, *apiError) {
	named := p.str("orderId") != "" || p.str("orderLinkId") != ""
	closed := p.str("openOnly") == "1" || p.str("openOnly") == "2"
	return s.orderQuery(p, func(o *order) bool { return named || o.open() != closed })
}

func (s *Server) restOrderHistory(p params) (any, *apiError) {
	return s.orderQuery(p, func(*order) bool { return true })
}

func (s *Server) restExecutions(p params) (any, *apiError) {
	cat := Category(p.str("category"))
	if cat != Spot && cat != Linear && cat != Inverse && cat != Option { // no option is traded: nothing to list
		return nil, paramErr("params error: category is invalid")
	}
	limit := 50
	if v := p.str("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			return nil, paramErr("params error: limit is invalid")
		}
		limit = n
	}
	off, ok := cursorOffset(p.str("cursor"))
	if !ok {
		return nil, paramErr("params error: cursor is invalid")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var list []map[string]any
	for i := len(s.acct.execs) - 1; i >= 0; i-- {
		ex := s.acct.execs[i]
		if ex.o.m.cat != cat || (p.str("symbol") != "" && ex.o.m.id != p.str("symbol")) || (p.str("orderId") != "" && ex.o.id != p.str("orderId")) {
			continue
		}
		list = append(list, s.acct.executionJSON(ex, false))
	}
	list, next := page(list, off, limit)
	if list == nil {
		list = []map[string]any{}
	}
	return map[string]any{"category": cat, "list": list, "nextPageCursor": next}, nil
}

func (s *Server) restPositions(p params) (any, *apiError) {
	cat := Category(p.str("category"))
	if cat == Option { // no option is traded: no position
		return map[string]any{"category": cat, "list": []any{}, "nextPageCursor": ""}, nil
	}
	if cat != Linear && cat != Inverse {
		return nil, paramErr("params error: category is invalid")
	}
	sym, settle := p.str("symbol"), p.str("settleCoin")
	if cat == Linear && sym == "" && settle == "" {
		return nil, paramErr("params error: symbol or settleCoin is required")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	list := []map[string]any{}
	for _, m := range s.markets {
		if m.cat != cat || (sym != "" && m.id != sym) || (settle != "" && m.settle != settle) {
			continue
		}
		list = append(list, s.acct.positionJSON(m, s.acct.positions[m], false))
	}
	return map[string]any{"category": cat, "list": list, "nextPageCursor": ""}, nil
}

func (s *Server) restSetLeverage(p params) (any, *apiError) {
	cat := Category(p.str("category"))
	if cat != Linear && cat != Inverse {
		return nil, paramErr("params error: category is invalid")
	}
	buy, sell := p.str("buyLeverage"), p.str("sellLeverage")
	lev, err := strconv.ParseInt(buy, 10, 64)
	if err != nil || buy != sell || lev < 1 || lev > 100 {
		return nil, paramErr("params error: buyLeverage must equal sellLeverage, 1 to 100, in one-way mode")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.marketByID(cat, p.str("symbol"))
	if m == nil {
		return nil, paramErr("params error: symbol invalid")
	}
	pos := s.acct.positions[m]
	if pos.leverage == lev {
		return nil, &apiError{codeLevNoChange, "leverage not modified"}
	}
	pos.leverage = lev
	now := s.now()
	for _, o := range s.acct.orders {
		if o.m == m && o.open() {
			s.acct.rehold(o)
		}
	}
	pos.updated = now
	s.acct.pushPositionLocked(m, now)
	return struct{}{}, nil
}

// pushPrivateLocked sends data to the subscribers of an all-in-one topic
// (order) and of its category's form (order.linear).
func (s *Server) pushPrivateLocked(name string, cat Category, data func() any, now time.Time) {
	for _, t := range []string{name, name + "." + string(cat)} {
		subs := s.subs["private|"+t]
		if len(subs) == 0 || (cat == "" && t != name) {
			continue
		}
		s.msgID++
		b := mustJSON(map[string]any{"id": strconv.FormatUint(s.msgID, 10) + "_" + t, "topic": t, "creationTime": now.UnixMilli(), "data": data()})
		for ss := range subs {
			ss.send(b)
		}
	}
}

func (a *account) pushOrderLocked(o *order, now time.Time) {
	a.s.pushPrivateLocked("order", o.m.cat, func() any { return []any{a.orderJSON(o, true)} }, now)
}

func (a *account) pushExecutionLocked(ex *execution, now time.Time) {
	a.s.pushPrivateLocked("execution", ex.o.m.cat, func() any { return []any{a.executionJSON(ex, true)} }, now)
}

func (a *account) pushPositionLocked(m *market, now time.Time) {
	if m.cat == Spot {
		return
	}
	a.s.pushPrivateLocked("position", m.cat, func() any { return []any{a.positionJSON(m, a.positions[m], true)} }, now)
}

func (a *account) pushWalletLocked(now time.Time) {
	a.s.pushPrivateLocked("wallet", "", func() any { return []any{a.walletJSON(nil)} }, now)
}

// checkWSAuth verifies an auth op's [key, expires, signature].
func (s *Server) checkWSAuth(req request) (int, string) {
	if len(req.Args) != 3 {
		return codeParam, "Params Error"
	}
	var key, sig string
	var expires int64
	if json.Unmarshal(req.Args[0], &key) != nil || json.Unmarshal(req.Args[2], &sig) != nil {
		return codeParam, "Params Error"
	}
	if json.Unmarshal(req.Args[1], &expires) != nil {
		var str string
		if json.Unmarshal(req.Args[1], &str) != nil {
			return codeParam, "Params Error"
		}
		n, err := strconv.ParseInt(str, 10, 64)
		if err != nil {
			return codeParam, "Params Error"
		}
		expires = n
	}
	s.mu.Lock()
	secret := s.secretLocked()
	s.mu.Unlock()
	switch {
	case key != s.cfg.APIKey:
		return codeAPIKey, "Invalid apikey"
	case expires <= s.now().UnixMilli():
		return codeParam, "Params Error: request expired"
	case !verify(secret, authString(expires), sig):
		return codeSign, "Invalid sign"
	}
	return 0, ""
}

func (s *Server) auth(ss *session, req request) {
	code, msg := s.checkWSAuth(req)
	if code == 0 {
		s.mu.Lock()
		ss.authed = true
		s.mu.Unlock()
		s.reply(ss, req, true, "")
		return
	}
	s.reply(ss, req, false, "Request not authorized: "+msg)
}

// privateTopics are the private stream's topics: all-in-one and per
// category.
var privateTopics = map[string]bool{"order": true, "execution": true, "position": true, "wallet": true,
	"order.spot": false, "order.linear": false, "order.inverse": false,
	"execution.spot": false, "execution.linear": false, "execution.inverse": false,
	"position.linear": false, "position.inverse": false}

func (s *Server) subscribePrivate(ss *session, req request) {
	topics, ok := topicArgs(req)
	s.mu.Lock()
	defer s.mu.Unlock()
	if !ss.authed {
		s.reply(ss, req, false, "Request not authorized")
		return
	}
	if !ok {
		s.reply(ss, req, false, "error:args is empty or not a list of topics")
		return
	}
	allInOne, categorised := false, false
	for _, t := range topics {
		all, known := privateTopics[t]
		if !known {
			s.reply(ss, req, false, "error:handler not found,topic:"+t)
			return
		}
		if t != "wallet" {
			allInOne, categorised = allInOne || all, categorised || !all
		}
	}
	if allInOne && categorised {
		s.reply(ss, req, false, "error:all-in-one and categorised topics cannot be subscribed together")
		return
	}
	for _, t := range topics {
		ss.topics[t] = true
		key := "private|" + t
		if s.subs[key] == nil {
			s.subs[key] = map[*session]struct{}{}
		}
		s.subs[key][ss] = struct{}{}
	}
	s.reply(ss, req, true, "")
}

// tradeReply answers a trade-stream op.
func (s *Server) tradeReply(ss *session, req request, code int, msg string, data any) {
	now := s.now().UnixMilli()
	if msg == "" {
		msg = "OK"
	}
	reply := map[string]any{"reqId": req.ReqID2, "retCode": code, "retMsg": msg, "op": req.Op, "data": data,
		"retExtInfo": map[string]any{}, "header": map[string]string{"X-Bapi-Limit": "10", "X-Bapi-Limit-Status": "9",
			"X-Bapi-Limit-Reset-Timestamp": itoa(now), "Traceid": strconv.FormatInt(now*7919, 16), "Timenow": itoa(now)},
		"connId": ss.connID}
	if req.Op == "auth" {
		reply = map[string]any{"retCode": code, "retMsg": msg, "op": "auth", "connId": ss.connID}
	}
	ss.send(reply)
}

// tradeOp serves the trade stream: auth, then order.create, order.amend
// and order.cancel, each answered with its reqId.
func (s *Server) tradeOp(ss *session, req request) {
	if req.Op == "auth" {
		s.mu.Lock()
		again := ss.authed
		s.mu.Unlock()
		if again {
			s.tradeReply(ss, req, 20001, "Repeat auth", nil)
			return
		}
		code, msg := s.checkWSAuth(req)
		if code == 0 {
			s.mu.Lock()
			ss.authed = true
			s.mu.Unlock()
		}
		s.tradeReply(ss, req, code, msg, nil)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !ss.authed {
		s.tradeReply(ss, req, 10003, "Request not authorized", map[string]any{})
		return
	}
	if req.ReqID2 != "" {
		if len(req.ReqID2) > 36 || s.reqIDs[req.ReqID2] {
			s.tradeReply(ss, req, 20006, "reqId is duplicated", map[string]any{})
			return
		}
		s.reqIDs[req.ReqID2] = true
	}
	ts, err := strconv.ParseInt(req.Header["X-BAPI-TIMESTAMP"], 10, 64)
	win := int64(5000)
	if v := req.Header["X-BAPI-RECV-WINDOW"]; v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > 0 {
			win = n
		}
	}
	now := s.now()
	if err != nil {
		s.tradeReply(ss, req, codeParam, "Params Error: header X-BAPI-TIMESTAMP is required", map[string]any{})
		return
	}
	if ts < now.UnixMilli()-win || ts >= now.UnixMilli()+1000 {
		s.tradeReply(ss, req, codeTimestamp, "invalid request, please check your server timestamp or recv_window param", map[string]any{})
		return
	}
	if len(req.Args) != 1 {
		s.tradeReply(ss, req, codeParam, "Params Error: args must hold one request", map[string]any{})
		return
	}
	p := params{}
	dec := json.NewDecoder(strings.NewReader(string(req.Args[0])))
	dec.UseNumber()
	if dec.Decode(&p) != nil {
		s.tradeReply(ss, req, codeParam, "Params Error", map[string]any{})
		return
	}
	var o *order
	var aerr *apiError
	switch req.Op {
	case "order.create":
		var args orderArgs
		if args, aerr = s.parseCreate(p); aerr == nil {
			o, aerr = s.acct.createLocked(args, now)
		}
	case "order.amend":
		o, aerr = s.acct.amendLocked(p, now)
	case "order.cancel":
		o, aerr = s.acct.cancelLocked(p, now)
	default:
		s.tradeReply(ss, req, 10404, "op not found: "+req.Op, map[string]any{})
		return
	}
	if aerr != nil {
		s.tradeReply(ss, req, aerr.code, aerr.msg, map[string]any{})
		return
	}
	s.tradeReply(ss, req, 0, "OK", ids(o))
}
