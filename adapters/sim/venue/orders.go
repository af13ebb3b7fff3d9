package venue

import (
	"strconv"
	"time"

	"github.com/shopspring/decimal"
)

// orderRequest is a new order as the venue receives it, over REST or
// WebSocket.
type orderRequest struct {
	Market     string `json:"market"`
	Side       string `json:"side"`
	Type       string `json:"type"`
	Amount     string `json:"amount"`
	Price      string `json:"price,omitempty"`
	TIF        string `json:"tif,omitempty"`
	PostOnly   bool   `json:"postOnly,omitempty"`
	ReduceOnly bool   `json:"reduceOnly,omitempty"`
	ClientID   string `json:"clientId,omitempty"`
	Trigger    string `json:"triggerPrice,omitempty"`
}

func reject(code int, msg string) *apiError { return &apiError{Code: code, Msg: msg} }

// placeLocked validates and places an order: it trades at once what
// crosses the book, then rests, is canceled (market, IOC) or expires (FOK).
func (v *Venue) placeLocked(r orderRequest, now time.Time) (*order, *apiError) {
	b := v.byID[r.Market]
	if b == nil {
		return nil, reject(CodeBadMarket, "unknown market "+strconv.Quote(r.Market))
	}
	m, a := b.m, &v.acct
	o := &order{b: b, clientID: r.ClientID, postOnly: r.PostOnly, reduceOnly: r.ReduceOnly, tif: r.TIF,
		created: now, updated: now, leverage: a.leverageOf(b)}
	switch r.Side {
	case "buy":
		o.buy = true
	case "sell":
	default:
		return nil, reject(CodeBadOrder, "side must be buy or sell")
	}
	switch r.Type {
	case "limit":
	case "market":
		o.market = true
	default:
		return nil, reject(CodeBadOrder, "type must be limit or market")
	}
	switch {
	case r.Trigger != "":
		return nil, reject(CodeUnsupported, "trigger orders are not supported")
	case o.tif == "":
		o.tif = "GTC"
		if o.market {
			o.tif = "IOC"
		}
	case o.tif == "PO":
		o.tif, o.postOnly = "GTC", true
	case o.tif != "GTC" && o.tif != "IOC" && o.tif != "FOK":
		return nil, reject(CodeBadOrder, "tif must be GTC, IOC, FOK or PO")
	}
	if o.postOnly && (o.market || o.tif != "GTC") {
		return nil, reject(CodeBadOrder, "post-only orders are GTC limit orders")
	}
	if o.reduceOnly && !m.Perpetual {
		return nil, reject(CodeBadOrder, "reduce-only applies to the perpetual")
	}
	if o.market && o.tif == "GTC" {
		return nil, reject(CodeBadOrder, "a market order cannot rest")
	}
	lots, e := parseUnits(r.Amount, m.AmountDecimals, "amount")
	if e != nil {
		return nil, e
	}
	if lots < m.MinLots {
		return nil, reject(CodeBelowMinimum, "amount below the minimum "+m.amount(m.MinLots).String())
	}
	o.lots = lots
	if !o.market {
		if o.price, e = parseUnits(r.Price, m.PriceDecimals, "price"); e != nil {
			return nil, e
		}
	}
	if o.clientID != "" && a.byClient[o.clientID] != nil {
		return nil, reject(CodeDuplicateClient, "client order id "+strconv.Quote(o.clientID)+" is in use")
	}
	opp := b.side(!o.buy)
	ref := o.price
	if o.market {
		ref = worstPrice(opp, lots, b.last)
	}
	if m.notional(ref, lots).LessThan(m.MinNotional) {
		return nil, reject(CodeBelowMinimum, "order value below the minimum "+m.MinNotional.String())
	}
	if o.reduceOnly {
		p := a.positions[b]
		if p == nil || p.lots == 0 || (p.lots > 0) == o.buy || lots > abs(p.lots) {
			return nil, reject(CodeReduceOnly, "a reduce-only order must reduce the position")
		}
	}
	if o.postOnly && opp.crosses(o.price) {
		return nil, reject(CodeWouldTake, "a post-only order would trade at once")
	}
	if code, need := v.commitment(o, ref); a.free(code).LessThan(need) {
		return nil, reject(CodeNoFunds, "insufficient "+code+": "+need.String()+" needed, "+a.free(code).String()+" free")
	}
	a.orderSeq++
	o.id = "O" + strconv.FormatInt(a.orderSeq, 10)
	a.orders[o.id] = o
	a.list = append(a.list, o)
	if o.clientID != "" {
		a.byClient[o.clientID] = o
	}
	o.status = StateNew
	if o.tif == "FOK" && opp.available(o.price, o.market, isOwn) < lots {
		o.status = StateExpired
		v.out.orders = append(v.out.orders, o)
		return o, nil
	}
	v.executeLocked(o, now)
	return o, nil
}

// commitment is what a new order needs free, and of which currency: what
// it will lock, or for a market order what it will spend at ref, the
// worst price it reaches, fees included.
func (v *Venue) commitment(o *order, ref int64) (string, decimal.Decimal) {
	m := o.b.m
	if !o.market {
		code, need := lock(o)
		if m.Perpetual && !o.reduceOnly {
			need = need.Add(m.notional(o.price, o.lots).Mul(m.Taker))
		}
		return code, need
	}
	cost := m.notional(ref, o.lots)
	switch {
	case m.Perpetual && o.reduceOnly:
		return m.Settle, cost.Mul(m.Taker)
	case m.Perpetual:
		return m.Settle, cost.Div(decimal.NewFromInt(o.leverage)).Add(cost.Mul(m.Taker))
	case o.buy:
		return m.Quote, cost.Mul(decimal.NewFromInt(1).Add(m.Taker))
	default:
		return m.Base, m.amount(o.lots)
	}
}

// worstPrice is the price a market order of lots reaches on l (last when
// l is empty).
func worstPrice(l *ladder, lots, last int64) int64 {
	price := last
	for _, lv := range l.levels {
		price = lv.price
		if lots -= lv.total; lots <= 0 {
			break
		}
	}
	return price
}

// isOwn tells the account's resting orders: a taker of the account never
// trades with them (self-trade prevention cancels the maker).
func isOwn(r *resting) bool { return r.own != nil }

// executeLocked trades what of o crosses the book, then rests the rest or
// cancels it (market and IOC orders).
func (v *Venue) executeLocked(o *order, now time.Time) {
	b := o.b
	rem := o.lots - o.filled
	if o.reduceOnly {
		if p := v.acct.positions[b]; p != nil {
			rem = min(rem, abs(p.lots))
		}
	}
	fills := b.side(!o.buy).take(rem, o.price, o.market, isOwn, func(price int64, r *resting) {
		r.own.rest = nil
		v.cancelLocked(r.own, now)
		b.touch(!o.buy, price)
	})
	v.printLocked(b, o.buy, fills, now)
	for _, f := range fills {
		v.fillLocked(o, f.price, f.lots, false, now)
	}
	v.out.orders = append(v.out.orders, o)
	v.out.balance = true
	if !o.open() {
		return
	}
	if o.market || o.tif != "GTC" {
		o.status = StateCanceled
		return
	}
	o.rest = &resting{lots: o.lots - o.filled, own: o}
	b.side(o.buy).add(o.price, o.rest)
	b.touch(o.buy, o.price)
}

// parseUnits parses a positive decimal on a grid of 10^-decimals.
func parseUnits(text string, decimals int32, what string) (int64, *apiError) {
	d, err := decimal.NewFromString(text)
	if err != nil {
		return 0, reject(CodeBadRequest, what+" is not a decimal number")
	}
	n, ok := toUnits(d, decimals)
	if !ok {
		return 0, reject(CodePrecision, what+" "+text+" is not a multiple of "+decimal.New(1, -decimals).String())
	}
	if n <= 0 {
		return 0, reject(CodeBadOrder, what+" must be positive")
	}
	return n, nil
}

// findLocked returns an order by id (and market, when given).
func (v *Venue) findLocked(id, market string) (*order, *apiError) {
	o := v.acct.orders[id]
	if o == nil || (market != "" && o.b.m.ID != market) {
		return nil, reject(CodeNoOrder, "no order "+strconv.Quote(id))
	}
	return o, nil
}

// cancelByIDLocked cancels an open order.
func (v *Venue) cancelByIDLocked(id, market string, now time.Time) (*order, *apiError) {
	o, e := v.findLocked(id, market)
	if e != nil {
		return nil, e
	}
	if !o.open() {
		return nil, reject(CodeNotOpen, "order "+id+" is "+o.status)
	}
	v.cancelLocked(o, now)
	return o, nil
}

// cancelAllLocked cancels every open order, of one market when given.
func (v *Venue) cancelAllLocked(market string, now time.Time) []*order {
	var out []*order
	for _, o := range v.acct.list {
		if o.open() && (market == "" || o.b.m.ID == market) {
			v.cancelLocked(o, now)
			out = append(out, o)
		}
	}
	return out
}

// amendLocked changes the price and/or amount of an open limit order,
// keeping its id. Lowering the amount at the same price keeps the order's
// place in the queue; any other change sends it to the back (and trades
// what now crosses).
func (v *Venue) amendLocked(id, market, priceText, amountText string, now time.Time) (*order, *apiError) {
	o, e := v.findLocked(id, market)
	if e != nil {
		return nil, e
	}
	if !o.open() || o.rest == nil {
		return nil, reject(CodeNotOpen, "order "+id+" is not open on the book")
	}
	m := o.b.m
	price, lots := o.price, o.lots
	if priceText != "" {
		if price, e = parseUnits(priceText, m.PriceDecimals, "price"); e != nil {
			return nil, e
		}
	}
	if amountText != "" {
		if lots, e = parseUnits(amountText, m.AmountDecimals, "amount"); e != nil {
			return nil, e
		}
	}
	if lots <= o.filled || lots < m.MinLots {
		return nil, reject(CodeBadOrder, "the new amount must exceed what is filled and the market's minimum")
	}
	if o.postOnly && o.b.side(!o.buy).crosses(price) {
		return nil, reject(CodeWouldTake, "a post-only order would trade at once")
	}
	code, before := lock(o)
	changed := *o
	changed.price, changed.lots = price, lots
	if _, after := lock(&changed); after.Sub(before).GreaterThan(v.acct.free(code)) {
		return nil, reject(CodeNoFunds, "insufficient "+code+" for the larger order")
	}
	l := o.b.side(o.buy)
	if price == o.price && lots <= o.lots {
		l.reduce(o.price, o.rest, o.lots-lots)
		o.lots = lots
		o.b.touch(o.buy, price)
		o.updated = now
		v.out.orders = append(v.out.orders, o)
		v.out.balance = true
		return o, nil
	}
	l.remove(o.price, o.rest)
	o.b.touch(o.buy, o.price)
	o.rest = nil
	o.price, o.lots, o.updated = price, lots, now
	v.executeLocked(o, now)
	return o, nil
}

// setLeverageLocked sets a perpetual's leverage.
func (v *Venue) setLeverageLocked(market, text string) (int64, *apiError) {
	b := v.byID[market]
	if b == nil || !b.m.Perpetual {
		return 0, reject(CodeBadMarket, "leverage applies to a perpetual market")
	}
	lev, err := strconv.ParseInt(text, 10, 64)
	if err != nil || lev < 1 || lev > b.m.MaxLeverage {
		return 0, reject(CodeBadLeverage, "leverage must be a whole number from 1 to "+strconv.FormatInt(b.m.MaxLeverage, 10))
	}
	v.acct.leverage[b] = lev
	v.out.balance, v.out.positions = true, true
	return lev, nil
}

// leverageLocked returns a perpetual's leverage (the default until set).
func (v *Venue) leverageLocked(market string) (int64, *apiError) {
	b := v.byID[market]
	if b == nil || !b.m.Perpetual {
		return 0, reject(CodeBadMarket, "leverage applies to a perpetual market")
	}
	return v.acct.leverageOf(b), nil
}

// ordersLocked lists orders by status ("open", "closed" — which includes
// canceled and expired — or "all"), market, since and limit, oldest first;
// with a limit, the newest that match.
func (v *Venue) ordersLocked(status, market string, since time.Time, limit int) []*order {
	var out []*order
	for _, o := range v.acct.list {
		if (market != "" && o.b.m.ID != market) || o.updated.Before(since) {
			continue
		}
		if (status == "open" && !o.open()) || (status == "closed" && o.open()) {
			continue
		}
		out = append(out, o)
	}
	if limit > 0 && len(out) > limit {
		out = out[len(out)-limit:]
	}
	return out
}

// fillsLocked lists the account's fills, oldest first, the newest limit.
func (v *Venue) fillsLocked(market string, since time.Time, limit int) []ownFill {
	var out []ownFill
	for _, f := range v.acct.fills {
		if (market == "" || f.o.b.m.ID == market) && !f.ts.Before(since) {
			out = append(out, f)
		}
	}
	if limit > 0 && len(out) > limit {
		out = out[len(out)-limit:]
	}
	return out
}

// sortedAssets lists the account's currencies.
func (a *account) sortedAssets() []string { return sortedKeys(a.totals) }
