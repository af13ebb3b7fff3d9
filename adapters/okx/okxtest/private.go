package okxtest

import (
	"encoding/json"
	"time"
)

// Private pushes (orders, fills, account, positions,
// balance_and_position) and WebSocket order entry (order, cancel-order,
// amend-order) with id correlation.

// privateSubs calls fn for every logged-in session subscribed to channel
// whose filter lets m through (m nil: account-wide channels).
func (s *Server) privateSubs(channel string, m *market, fn func(*session, arg)) {
	for sess := range s.sessions {
		if !sess.loggedIn {
			continue
		}
		for a := range sess.subs {
			if a.Channel != channel {
				continue
			}
			if m != nil && ((a.InstType != "" && a.InstType != "ANY" && a.InstType != m.instType) ||
				(a.InstID != "" && a.InstID != m.id) || (a.InstFamily != "" && a.InstFamily != m.family)) {
				continue
			}
			fn(sess, a)
		}
	}
}

// pushOrderLocked pushes an order's state to the orders channel.
func (s *Server) pushOrderLocked(o *order, _ time.Time) {
	var data []byte
	s.privateSubs("orders", o.m, func(sess *session, a arg) {
		if data == nil {
			data = mustJSON([]any{o.json(true)})
		}
		sess.send(mustJSON(map[string]any{"arg": map[string]string{"channel": "orders", "instType": orDefault(a.InstType, "ANY"),
			"instId": a.InstID, "uid": accountUID}, "data": json.RawMessage(data)}))
	})
}

// accountUID is the test account's user id.
const accountUID = "614488474791936"

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// pushFillLocked pushes a fill to the fills channel (VIP6 and above).
func (s *Server) pushFillLocked(f *fill) {
	s.privateSubs("fills", f.o.m, func(sess *session, a arg) {
		side := "sell"
		if f.o.buy {
			side = "buy"
		}
		sess.send(mustJSON(map[string]any{"arg": map[string]string{"channel": "fills", "uid": accountUID},
			"data": []any{map[string]string{"instId": f.o.m.id, "fillSz": f.o.m.size(f.sz), "fillPx": f.o.m.price(f.px), "side": side,
				"ts": ms(f.at), "ordId": itoa(f.o.id), "clOrdId": f.o.clOrdID, "tradeId": itoa(f.tradeID), "execType": execType(f.maker),
				"count": "1"}}}))
	})
}

// pushBalancesLocked pushes account, positions and balance_and_position
// updates after a change.
func (s *Server) pushBalancesLocked(now time.Time) {
	for sess := range s.sessions {
		if !sess.loggedIn {
			continue
		}
		for a := range sess.subs {
			switch a.Channel {
			case "account", "positions", "balance_and_position":
				s.pushAccountLocked(sess, a, "event_update", now, nil)
			}
		}
	}
}

// pushAccountLocked sends one account-wide push of kind "snapshot" or
// "event_update".
func (s *Server) pushAccountLocked(sess *session, a arg, kind string, now time.Time, _ []string) {
	switch a.Channel {
	case "account":
		var want map[string]bool
		if a.Ccy != "" {
			want = map[string]bool{a.Ccy: true}
		}
		sess.send(mustJSON(map[string]any{"arg": map[string]string{"channel": "account", "uid": accountUID}, "eventType": kind,
			"curPage": 1, "lastPage": true, "data": []any{s.accountJSON(now, want)}}))
	case "positions":
		data := []any{}
		for _, m := range s.markets {
			if p := s.acct.positions[m]; p != nil && p.pos != 0 && (a.InstType == "" || a.InstType == "ANY" || a.InstType == m.positionType()) {
				data = append(data, s.positionJSON(m, p, now))
			}
		}
		sess.send(mustJSON(map[string]any{"arg": map[string]string{"channel": "positions", "instType": orDefault(a.InstType, "ANY"), "uid": accountUID},
			"eventType": kind, "curPage": 1, "lastPage": true, "data": data}))
	case "balance_and_position":
		bals := []any{}
		for _, c := range sortedCcys(s.acct) {
			bals = append(bals, map[string]string{"ccy": c, "cashBal": s.acct.bal[c].cash.String(), "uTime": ms(now)})
		}
		poss := []any{}
		for _, m := range s.markets {
			if p := s.acct.positions[m]; p != nil && p.pos != 0 {
				poss = append(poss, map[string]string{"posId": itoa(m.code*1000 + 7), "tradeId": itoa(p.tradeID), "instId": m.id,
					"instType": m.positionType(), "mgnMode": orDefault(p.mgnMode, "cross"), "posSide": "net", "pos": signedSize(m, p.pos), "ccy": m.settle,
					"posCcy": "", "avgPx": p.avgPx.String(), "uTime": ms(p.updated)})
			}
		}
		ev := "snapshot"
		if kind != "snapshot" {
			ev = "filled"
		}
		sess.send(mustJSON(map[string]any{"arg": map[string]string{"channel": "balance_and_position", "uid": accountUID},
			"data": []any{map[string]any{"pTime": ms(now), "eventType": ev, "balData": bals, "posData": poss, "trades": []any{}}}}))
	}
}

func sortedCcys(a *account) []string {
	out := make([]string, 0, len(a.bal))
	for c := range a.bal {
		out = append(out, c)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// wsTrade answers an order, cancel-order or amend-order op: id required,
// one ack per arg, code "0", "1" (all failed) or "2" (some failed).
func (s *Server) wsTrade(sess *session, req request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in := time.Now()
	reply := func(code, msg string, data any) {
		sess.send(mustJSON(map[string]any{"id": req.ID, "op": req.Op, "code": code, "msg": msg, "data": data,
			"inTime": itoa(in.UnixMicro()), "outTime": itoa(time.Now().UnixMicro())}))
	}
	switch {
	case sess.kind != private:
		sess.send(wsError(sess, req.ID, "60018", "Wrong URL or channel doesn't exist"))
		return
	case !sess.loggedIn:
		reply("60011", "Please log in", []any{})
		return
	case req.ID == "" || len(req.ID) > 32:
		reply("60013", "Invalid args", []any{})
		return
	case len(req.Args) != 1:
		reply("60013", "Invalid args", []any{})
		return
	}
	var a orderArgs
	if json.Unmarshal(req.Args[0], &a) != nil {
		reply("60013", "Invalid args", []any{})
		return
	}
	now := s.now()
	var r ack
	switch req.Op {
	case "order":
		r = s.placeLocked(a, now)
	case "cancel-order":
		r = s.cancelOrderLocked(a, now)
	default:
		r = s.amendOrderLocked(a, now)
	}
	if r.SCode != "0" {
		reply("1", "", []ack{r})
		return
	}
	reply("0", "", []ack{r})
}
