package binancetest

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// User data: the account's events and where they go.
//
//   - Spot: to every WebSocket API connection with a user-data
//     subscription (userDataStream.subscribe.signature), wrapped
//     {"subscriptionId":n,"event":{...}}: executionReport and
//     outboundAccountPosition.
//   - Futures: to every stream connection listening to the account's valid
//     listen key (USD-M /private/ws?listenKey=, COIN-M /ws/<listenKey>),
//     unwrapped on raw connections: ORDER_TRADE_UPDATE, ACCOUNT_UPDATE and
//     listenKeyExpired.

// deliverLocked sends a user-data event to its listeners.
func (s *Server) deliverLocked(event []byte, now time.Time) {
	if s.cfg.Product != Spot {
		if s.acct.checkListenKeyLocked(now) {
			s.publishLocked(s.acct.listenKey, event)
		}
		return
	}
	for _, sess := range s.sessions {
		if sess.api && sess.userSub >= 0 {
			sess.c.send(subscriptionEvent(sess.userSub, event))
		}
	}
}

// subscriptionEvent wraps an event for a WebSocket API subscription.
func subscriptionEvent(id int, event []byte) []byte {
	out := append([]byte(`{"subscriptionId":`), strconv.Itoa(id)...)
	out = append(out, `,"event":`...)
	out = append(out, event...)
	return append(out, '}')
}

// executionReport is spot's order event.
type executionReport struct {
	Event          string  `json:"e"`
	Time           int64   `json:"E"`
	Symbol         string  `json:"s"`
	ClientOrderID  string  `json:"c"`
	Side           string  `json:"S"`
	Type           string  `json:"o"`
	TimeInForce    string  `json:"f"`
	Qty            string  `json:"q"`
	Price          string  `json:"p"`
	StopPrice      string  `json:"P"`
	IcebergQty     string  `json:"F"`
	OrderListID    int64   `json:"g"`
	OrigClientID   string  `json:"C"`
	ExecType       string  `json:"x"`
	Status         string  `json:"X"`
	RejectReason   string  `json:"r"`
	OrderID        int64   `json:"i"`
	LastQty        string  `json:"l"`
	CumQty         string  `json:"z"`
	LastPrice      string  `json:"L"`
	Commission     string  `json:"n"`
	CommissionAsst *string `json:"N"`
	TransactTime   int64   `json:"T"`
	TradeID        int64   `json:"t"`
	ExecutionID    int64   `json:"I"`
	OnBook         bool    `json:"w"`
	Maker          bool    `json:"m"`
	Ignore         bool    `json:"M"`
	Created        int64   `json:"O"`
	CumQuote       string  `json:"Z"`
	LastQuote      string  `json:"Y"`
	QuoteOrderQty  string  `json:"Q"`
	WorkingTime    int64   `json:"W,omitempty"`
	STPMode        string  `json:"V"`
}

// orderUpdate is the futures ORDER_TRADE_UPDATE event; COIN-M adds the
// account alias.
type orderUpdate struct {
	Event        string           `json:"e"`
	Time         int64            `json:"E"`
	TransactTime int64            `json:"T"`
	Alias        string           `json:"i,omitempty"`
	Order        orderUpdateOrder `json:"o"`
}

type orderUpdateOrder struct {
	Symbol         string `json:"s"`
	ClientOrderID  string `json:"c"`
	Side           string `json:"S"`
	Type           string `json:"o"`
	TimeInForce    string `json:"f"`
	Qty            string `json:"q"`
	Price          string `json:"p"`
	AvgPrice       string `json:"ap"`
	StopPrice      string `json:"sp"`
	ExecType       string `json:"x"`
	Status         string `json:"X"`
	OrderID        int64  `json:"i"`
	LastQty        string `json:"l"`
	CumQty         string `json:"z"`
	LastPrice      string `json:"L"`
	MarginAsset    string `json:"ma,omitempty"`
	CommissionAsst string `json:"N"`
	Commission     string `json:"n"`
	TradeTime      int64  `json:"T"`
	TradeID        int64  `json:"t"`
	BidsNotional   string `json:"b"`
	AsksNotional   string `json:"a"`
	Maker          bool   `json:"m"`
	ReduceOnly     bool   `json:"R"`
	WorkingType    string `json:"wt"`
	OrigType       string `json:"ot"`
	PositionSide   string `json:"ps"`
	ClosePosition  bool   `json:"cp"`
	Realized       string `json:"rp"`
	PriceProtect   bool   `json:"pP"`
	Ignore1        *int   `json:"si,omitempty"`
	Ignore2        *int   `json:"ss,omitempty"`
	STPMode        string `json:"V"`
	PriceMatch     string `json:"pm"`
	GoodTillDate   *int64 `json:"gtd,omitempty"`
	ExpiryReason   string `json:"er"`
}

// orderEventLocked sends an order change: f is the fill of a TRADE, nil
// for NEW, CANCELED and EXPIRED.
func (s *Server) orderEventLocked(o *order, f *fill, now time.Time) {
	exec := o.status // NEW, CANCELED, EXPIRED
	if f != nil {
		exec = "TRADE"
	}
	s.orderEventAsLocked(o, f, exec, now)
}

// orderEventAsLocked sends o's event with execution type exec (spot
// REPLACED and futures AMENDMENT report an edit).
func (s *Server) orderEventAsLocked(o *order, f *fill, exec string, now time.Time) {
	m := o.m
	if s.cfg.Product == Spot {
		s.deliverLocked(mustJSON(s.executionReport(o, f, exec, now)), now)
		return
	}
	u := orderUpdateOrder{Symbol: m.id, ClientOrderID: o.clientID, Side: o.side(), Type: o.typ, TimeInForce: o.tif,
		Qty: m.fmtQty(o.qty), Price: m.fmtPrice(o.price), AvgPrice: decString(averagePrice(o), m.priceDec),
		StopPrice: m.fmtPrice(0), ExecType: exec, Status: o.status, OrderID: o.id, LastQty: m.fmtQty(0),
		CumQty: m.fmtQty(o.filled), LastPrice: m.fmtPrice(0), CommissionAsst: m.marginAsset(), Commission: "0",
		TradeTime: now.UnixMilli(), ReduceOnly: o.reduceOnly, WorkingType: "CONTRACT_PRICE", OrigType: o.typ,
		PositionSide: "BOTH", Realized: "0", STPMode: "EXPIRE_MAKER", PriceMatch: "NONE", ExpiryReason: "0"}
	u.BidsNotional, u.AsksNotional = s.openNotional(m)
	if exec == "CANCELED" && o.cancelID != "" {
		u.ClientOrderID = o.cancelID
	}
	if f != nil {
		u.LastQty, u.LastPrice, u.TradeID, u.Maker = m.fmtQty(f.qty), m.fmtPrice(f.price), f.tradeID, f.maker
		u.Commission, u.Realized = decString(f.commission.Neg(), 8), decString(f.realized, 8)
	}
	ev := orderUpdate{Event: "ORDER_TRADE_UPDATE", Time: now.UnixMilli(), TransactTime: now.UnixMilli(), Order: u}
	if s.cfg.Product == USDM {
		var zero int
		var gtd int64
		ev.Order.Ignore1, ev.Order.Ignore2, ev.Order.GoodTillDate = &zero, &zero, &gtd
	} else {
		ev.Alias, ev.Order.MarginAsset = accountAlias, m.marginAsset()
	}
	s.deliverLocked(mustJSON(ev), now)
}

// executionReport builds spot's order event; I numbers the events.
func (s *Server) executionReport(o *order, f *fill, exec string, now time.Time) executionReport {
	m := o.m
	s.acct.executions++
	r := executionReport{Event: "executionReport", Time: now.UnixMilli(), Symbol: m.id, ClientOrderID: o.clientID,
		Side: o.side(), Type: o.typ, TimeInForce: o.tif, Qty: m.fmtQty(o.qty), Price: m.fmtPrice(o.price),
		StopPrice: m.fmtPrice(0), IcebergQty: m.fmtQty(0), OrderListID: -1, ExecType: exec, Status: o.status,
		RejectReason: "NONE", OrderID: o.id, LastQty: m.fmtQty(0), CumQty: m.fmtQty(o.filled), LastPrice: m.fmtPrice(0),
		Commission: "0", TransactTime: now.UnixMilli(), TradeID: -1, ExecutionID: s.acct.executions,
		OnBook: o.open() && o.typ != "MARKET", Created: o.created.UnixMilli(), CumQuote: decString(o.cum, 8),
		LastQuote: decString(decimal.Zero, 8), QuoteOrderQty: m.fmtQty(0), STPMode: "NONE"}
	if r.OnBook {
		r.WorkingTime = o.created.UnixMilli()
	}
	if exec == "CANCELED" {
		r.ClientOrderID, r.OrigClientID = o.cancelID, o.clientID
	}
	if f != nil {
		asset := f.feeAsset
		r.LastQty, r.LastPrice, r.TradeID, r.Maker = m.fmtQty(f.qty), m.fmtPrice(f.price), f.tradeID, f.maker
		r.Commission, r.CommissionAsst, r.LastQuote = decString(f.commission, 8), &asset, decString(f.value, 8)
	}
	return r
}

// openNotional is the value of the account's open buy and sell orders on
// m (the b and a of ORDER_TRADE_UPDATE).
func (s *Server) openNotional(m *market) (bids, asks string) {
	b, a := decimal.Zero, decimal.Zero
	for _, o := range s.acct.open {
		if o.m != m {
			continue
		}
		v := m.notional(o.price, o.qty-o.filled)
		if o.buy {
			b = b.Add(v)
		} else {
			a = a.Add(v)
		}
	}
	return decString(b, 8), decString(a, 8)
}

// accountPosition is spot's outboundAccountPosition event.
type accountPosition struct {
	Event    string         `json:"e"`
	Time     int64          `json:"E"`
	Updated  int64          `json:"u"`
	Balances []assetBalance `json:"B"`
}

type assetBalance struct {
	Asset  string `json:"a"`
	Free   string `json:"f"`
	Locked string `json:"l"`
}

// balanceEventLocked sends spot's outboundAccountPosition for assets.
func (s *Server) balanceEventLocked(assets []string, now time.Time) {
	ev := accountPosition{Event: "outboundAccountPosition", Time: now.UnixMilli(), Updated: s.acct.updated.UnixMilli()}
	for _, asset := range assets {
		b := s.acct.ensure(asset)
		ev.Balances = append(ev.Balances, assetBalance{asset, decString(b.free, 8), decString(b.locked, 8)})
	}
	s.deliverLocked(mustJSON(ev), now)
}

// accountUpdate is the futures ACCOUNT_UPDATE event; COIN-M adds the
// account alias.
type accountUpdate struct {
	Event        string            `json:"e"`
	Time         int64             `json:"E"`
	TransactTime int64             `json:"T"`
	Alias        string            `json:"i,omitempty"`
	Update       accountUpdateData `json:"a"`
}

type accountUpdateData struct {
	Reason    string           `json:"m"`
	Balances  []walletBalance  `json:"B"`
	Positions []positionUpdate `json:"P"`
}

type walletBalance struct {
	Asset         string `json:"a"`
	Wallet        string `json:"wb"`
	CrossWallet   string `json:"cw"`
	BalanceChange string `json:"bc"`
}

type positionUpdate struct {
	Symbol        string `json:"s"`
	Amount        string `json:"pa"`
	Entry         string `json:"ep"`
	BreakEven     string `json:"bep"`
	Realized      string `json:"cr"`
	Unrealized    string `json:"up"`
	MarginType    string `json:"mt"`
	IsolatedWalet string `json:"iw"`
	PositionSide  string `json:"ps"`
}

// positionEventLocked sends ACCOUNT_UPDATE after a fill on m: the margin
// asset's wallet, and the positions (USD-M the changed one, COIN-M every
// symbol of the margin asset, as the docs say).
func (s *Server) positionEventLocked(m *market, now time.Time) {
	a, asset := s.acct, m.marginAsset()
	w := a.ensure(asset).free
	ev := accountUpdate{Event: "ACCOUNT_UPDATE", Time: now.UnixMilli(), TransactTime: now.UnixMilli(),
		Update: accountUpdateData{Reason: "ORDER", Balances: []walletBalance{{asset, decString(w, 8), decString(w, 8), "0"}}}}
	for _, x := range s.markets {
		if x != m && (s.cfg.Product == USDM || x.marginAsset() != asset) {
			continue
		}
		p := a.positions[x]
		ev.Update.Positions = append(ev.Update.Positions, positionUpdate{Symbol: x.id, Amount: x.fmtQty(p.amt),
			Entry: decString(p.entry, x.priceDec), BreakEven: decString(p.entry, x.priceDec), Realized: decString(p.realized, 8),
			Unrealized: decString(a.unrealized(x, p), 8), MarginType: "cross", IsolatedWalet: "0", PositionSide: "BOTH"})
	}
	if s.cfg.Product == COINM {
		ev.Alias = accountAlias
	}
	s.deliverLocked(mustJSON(ev), now)
}

// Listen keys (futures).

// listenKeyAlphabet spells listen keys: 64 alphanumerics.
const listenKeyAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// startListenKeyLocked returns the active listen key, extended, or a new
// one.
func (a *account) startListenKeyLocked(now time.Time) string {
	if !a.checkListenKeyLocked(now) {
		var b strings.Builder
		for range 64 {
			b.WriteByte(listenKeyAlphabet[a.s.rng.IntN(len(listenKeyAlphabet))])
		}
		a.listenKey = b.String()
	}
	a.keyExpires = now.Add(a.s.cfg.ListenKeyTTL)
	return a.listenKey
}

// keepListenKeyLocked extends key (the active one when empty), or refuses
// with -1125.
func (a *account) keepListenKeyLocked(key string, now time.Time) *apiError {
	if !a.checkListenKeyLocked(now) || (key != "" && key != a.listenKey) {
		return reject(codeListenKey, msgListenKey)
	}
	a.keyExpires = now.Add(a.s.cfg.ListenKeyTTL)
	return nil
}

// checkListenKeyLocked reports whether the account has a valid listen key;
// a key whose time has run out expires now (its listeners are told).
func (a *account) checkListenKeyLocked(now time.Time) bool {
	if a.listenKey == "" {
		return false
	}
	if now.Before(a.keyExpires) {
		return true
	}
	a.expireListenKeyLocked(now)
	return false
}

// expireListenKeyLocked sends listenKeyExpired to the key's listeners and
// forgets the key: no more events reach them. USD-M writes E as a string,
// as its streams send it (go-binance#510); COIN-M's docs show a number.
func (a *account) expireListenKeyLocked(now time.Time) {
	if a.listenKey == "" {
		return
	}
	var e any = now.UnixMilli()
	if a.s.cfg.Product == USDM {
		e = strconv.FormatInt(now.UnixMilli(), 10)
	}
	a.s.publishLocked(a.listenKey, mustJSON(map[string]any{"e": "listenKeyExpired", "E": e, "listenKey": a.listenKey}))
	a.listenKey = ""
}

// restStartListenKey answers POST listenKey: the active key, extended, or
// a new one.
func (s *Server) restStartListenKey(_ url.Values, now time.Time) (any, *apiError) {
	return map[string]string{"listenKey": s.acct.startListenKeyLocked(now)}, nil
}

// restKeepListenKey answers PUT listenKey: the key, extended, or -1125.
func (s *Server) restKeepListenKey(q url.Values, now time.Time) (any, *apiError) {
	if e := s.acct.keepListenKeyLocked(q.Get("listenKey"), now); e != nil {
		return nil, e
	}
	return map[string]string{"listenKey": s.acct.listenKey}, nil
}

// restCloseListenKey answers DELETE listenKey: the key stops working.
func (s *Server) restCloseListenKey(q url.Values, now time.Time) (any, *apiError) {
	if e := s.acct.keepListenKeyLocked(q.Get("listenKey"), now); e != nil {
		return nil, e
	}
	s.acct.listenKey = ""
	return struct{}{}, nil
}
