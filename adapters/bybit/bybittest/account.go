package bybittest

import (
	"fmt"
	"strconv"
	"time"

	"github.com/shopspring/decimal"
)

// The unified trading account: coin balances, orders, executions and
// one-way positions. Spot orders lock what they may spend; contract
// orders hold initial margin (value / leverage) in their settle coin.
// Fees: spot 0.1%, contracts 0.02% maker and 0.055% taker.

// coin is one coin's balance.
type coin struct {
	wallet   decimal.Decimal // walletBalance
	locked   decimal.Decimal // spot orders
	orderIM  decimal.Decimal // contract orders' initial margin
	realised decimal.Decimal // cumRealisedPnl
}

// order is one of the account's orders.
type order struct {
	id, linkID   string
	m            *market
	buy          bool
	market       bool   // a Market order (else Limit)
	tif          string // GTC, IOC, FOK, PostOnly
	price, qty   int64  // qty: base (spot market buys: see quoteQty)
	quoteQty     decimal.Decimal
	filled       int64
	value, fee   decimal.Decimal
	status       string // New, PartiallyFilled, Filled, Cancelled, PartiallyFilledCanceled, Rejected
	cancelType   string
	rejectReason string
	reduceOnly   bool
	hold         decimal.Decimal // locked (spot) or order IM (contracts) still held
	created      time.Time
	updated      time.Time
}

func (o *order) open() bool { return o.status == "New" || o.status == "PartiallyFilled" }

// execution is one of the account's fills.
type execution struct {
	id           string
	o            *order
	price, qty   int64
	fee, feeRate decimal.Decimal
	feeCoin      string
	maker        bool
	time         time.Time
	seq          int64
	closed       int64 // closedSize
	pnl          decimal.Decimal
}

// position is a contract position (one-way mode).
type position struct {
	size     int64           // signed: long > 0
	entry    decimal.Decimal // average entry price
	realised decimal.Decimal // cumRealisedPnl
	curReal  decimal.Decimal // curRealisedPnl
	leverage int64
	created  time.Time
	updated  time.Time
	seq      int64
}

type account struct {
	s         *Server
	coins     map[string]*coin
	orders    []*order
	byID      map[string]*order
	execs     []*execution
	positions map[*market]*position
	nextID    uint64
}

// StartBalances are the test account's coins at start.
var StartBalances = map[string]string{"USDT": "100000", "USDC": "50000", "BTC": "2", "ETH": "30"}

func newAccount(s *Server) *account {
	a := &account{s: s, coins: map[string]*coin{}, byID: map[string]*order{}, positions: map[*market]*position{}}
	for c, v := range StartBalances {
		a.coin(c).wallet = decimal.RequireFromString(v)
	}
	for _, m := range s.markets {
		if m.cat != Spot {
			a.positions[m] = &position{leverage: 10, entry: decimal.Zero, realised: decimal.Zero, curReal: decimal.Zero}
		}
	}
	return a
}

func (a *account) coin(name string) *coin {
	c := a.coins[name]
	if c == nil {
		c = &coin{wallet: decimal.Zero, locked: decimal.Zero, orderIM: decimal.Zero, realised: decimal.Zero}
		a.coins[name] = c
	}
	return c
}

// positionIM is the initial margin of every position settled in coin.
func (a *account) positionIM(name string) decimal.Decimal {
	sum := decimal.Zero
	for m, p := range a.positions {
		if m.settle == name && p.size != 0 {
			sum = sum.Add(a.posValue(m, p).Div(decimal.NewFromInt(p.leverage)))
		}
	}
	return sum.Round(8)
}

// posValue is a position's value at its entry price.
func (a *account) posValue(m *market, p *position) decimal.Decimal {
	size := m.qty(abs(p.size))
	if m.cat == Inverse {
		if p.entry.IsZero() {
			return decimal.Zero
		}
		return size.DivRound(p.entry, 8)
	}
	return size.Mul(p.entry)
}

// available is what a coin can still commit.
func (a *account) available(name string) decimal.Decimal {
	c := a.coin(name)
	return c.wallet.Sub(c.locked).Sub(c.orderIM).Sub(a.positionIM(name))
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// newID is an order or execution id in Bybit's UUID form.
func (a *account) newID() string {
	a.nextID++
	n := a.nextID
	return fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", uint32(n*2246822519+uint64(a.s.cfg.Seed)), uint16(n>>16), n%4096, (n*7)%4096, n)
}

// feeRate is the fee of a fill.
func feeRate(m *market, maker bool) decimal.Decimal {
	switch {
	case m.cat == Spot:
		return decimal.RequireFromString("0.001")
	case maker:
		return decimal.RequireFromString("0.0002")
	}
	return decimal.RequireFromString("0.00055")
}

// orderArgs are a create request's fields.
type orderArgs struct {
	m          *market
	buy        bool
	market     bool
	tif        string
	price, qty int64
	quoteQty   decimal.Decimal // spot market buy by quote
	linkID     string
	reduceOnly bool
}

// parseCreate checks a create request (REST body or trade-stream arg).
func (s *Server) parseCreate(p params) (orderArgs, *apiError) {
	var a orderArgs
	cat := Category(p.str("category"))
	if cat != Spot && cat != Linear && cat != Inverse {
		return a, paramErr("params error: category is invalid")
	}
	a.m = s.marketByID(cat, p.str("symbol"))
	if a.m == nil {
		if cat == Spot {
			return a, &apiError{codeSpotSymbol, "Invalid symbol."}
		}
		return a, paramErr("params error: symbol invalid")
	}
	switch p.str("side") {
	case "Buy":
		a.buy = true
	case "Sell":
	default:
		return a, paramErr("params error: side invalid")
	}
	switch p.str("orderType") {
	case "Market":
		a.market = true
	case "Limit":
	default:
		return a, paramErr("params error: orderType invalid")
	}
	a.tif = p.str("timeInForce")
	switch {
	case a.tif == "" && a.market:
		a.tif = "IOC"
	case a.tif == "":
		a.tif = "GTC"
	case a.tif != "GTC" && a.tif != "IOC" && a.tif != "FOK" && a.tif != "PostOnly":
		return a, paramErr("params error: timeInForce invalid")
	}
	if a.market {
		a.tif = "IOC"
	}
	m := a.m
	qty := p.str("qty")
	spotQuote := cat == Spot && a.market && a.buy && p.str("marketUnit") != "baseCoin"
	if spotQuote {
		q, err := decimal.NewFromString(qty)
		if err != nil || !q.IsPositive() {
			return a, paramErr("params error: qty invalid")
		}
		a.quoteQty = q
	} else {
		q, err := parseUnits(qty, m.qtyDec)
		if err != nil || q <= 0 {
			return a, paramErr("params error: qty invalid, the qty step is " + m.fmtQty(m.step))
		}
		if q%m.step != 0 || q < m.minQty || q > m.maxQty {
			return a, paramErr("params error: qty out of range or not a multiple of " + m.fmtQty(m.step))
		}
		a.qty = q
	}
	if !a.market {
		pr, err := parseUnits(p.str("price"), m.priceDec)
		if err != nil || pr <= 0 || pr%m.tick != 0 {
			return a, paramErr("params error: price invalid, the tick size is " + m.fmtPrice(m.tick))
		}
		a.price = pr
		if m.cat != Inverse && m.value(pr, a.qty).LessThan(m.minNotional) {
			return a, paramErr("params error: order value below the minimum " + m.minNotional.String())
		}
	}
	a.linkID = p.str("orderLinkId")
	if len(a.linkID) > 36 {
		return a, paramErr("params error: orderLinkId is longer than 36 characters")
	}
	a.reduceOnly = p.str("reduceOnly") == "true"
	if a.reduceOnly && cat == Spot {
		return a, paramErr("params error: reduceOnly is for contracts")
	}
	return a, nil
}

// createLocked places an order: it checks the funds, holds them, takes
// what crosses the book, rests the rest (GTC, PostOnly) and publishes.
func (a *account) createLocked(args orderArgs, now time.Time) (*order, *apiError) {
	m := args.m
	if args.linkID != "" {
		for _, o := range a.orders {
			if o.linkID == args.linkID && o.m.cat == m.cat {
				return nil, &apiError{110072, "OrderLinkedID is duplicate"}
			}
		}
	}
	ref := args.price
	if args.market {
		best, ok := m.book.side(!args.buy).Best()
		if !ok {
			return nil, &apiError{codeParam, "no liquidity"}
		}
		ref = best.Price
	}
	if args.reduceOnly {
		p := a.positions[m]
		if p.size == 0 || (p.size > 0) == args.buy || args.qty > abs(p.size) {
			return nil, &apiError{110017, "Reduce-only rule not satisfied"}
		}
	}
	o := &order{id: a.newID(), linkID: args.linkID, m: m, buy: args.buy, market: args.market, tif: args.tif, price: args.price,
		qty: args.qty, quoteQty: args.quoteQty, value: decimal.Zero, fee: decimal.Zero, hold: decimal.Zero, status: "New",
		cancelType: "UNKNOWN", rejectReason: "EC_NoError", reduceOnly: args.reduceOnly, created: now, updated: now}
	holdCoin, need := a.holdOf(o, ref)
	if !args.reduceOnly && a.available(holdCoin).LessThan(need) {
		if m.cat == Spot {
			return nil, &apiError{codeSpotBalance, "Insufficient balance."}
		}
		return nil, &apiError{codeNoBalance, "ab not enough for new order"}
	}
	if !args.reduceOnly {
		a.hold(o, holdCoin, need)
	}
	a.orders = append(a.orders, o)
	a.byID[o.id] = o
	a.matchLocked(o, now)
	return o, nil
}

// holdOf is the coin and amount an order holds: spot buys the quote they
// may spend, spot sells their base, contracts value / leverage.
func (a *account) holdOf(o *order, price int64) (string, decimal.Decimal) {
	m := o.m
	left := o.qty - o.filled
	switch {
	case m.cat == Spot && o.buy && o.quoteQty.IsPositive():
		return m.quote, o.quoteQty.Sub(o.value)
	case m.cat == Spot && o.buy:
		return m.quote, m.value(price, left)
	case m.cat == Spot:
		return m.base, m.qty(left)
	}
	lev := decimal.NewFromInt(a.positions[m].leverage)
	return m.settle, m.value(price, left).DivRound(lev, 8)
}

func (a *account) hold(o *order, name string, amt decimal.Decimal) {
	c := a.coin(name)
	if o.m.cat == Spot {
		c.locked = c.locked.Add(amt)
	} else {
		c.orderIM = c.orderIM.Add(amt)
	}
	o.hold = o.hold.Add(amt)
}

// release frees what an order still holds.
func (a *account) release(o *order) {
	name, _ := a.holdOf(o, o.price)
	c := a.coin(name)
	if o.m.cat == Spot {
		c.locked = c.locked.Sub(o.hold)
	} else {
		c.orderIM = c.orderIM.Sub(o.hold)
	}
	o.hold = decimal.Zero
}

// rehold recomputes an open order's hold at its price.
func (a *account) rehold(o *order) {
	a.release(o)
	if o.open() && !o.reduceOnly {
		name, amt := a.holdOf(o, o.price)
		a.hold(o, name, amt)
	}
}

// crosses reports whether the opposite touch is within o's price.
func crosses(o *order, best level) bool {
	if o.market {
		return true
	}
	if o.buy {
		return best.Price <= o.price
	}
	return best.Price >= o.price
}

// matchLocked takes liquidity for a new or repriced order, then finishes
// it per its time in force, and publishes the book, the trades and the
// account's changes.
func (a *account) matchLocked(o *order, now time.Time) {
	m := o.m
	side := m.book.side(!o.buy)
	best, ok := side.Best()
	if o.tif == "PostOnly" && ok && crosses(o, best) {
		a.finish(o, "Cancelled", "CancelByUser", "EC_PostOnlyWillTakeLiquidity", now)
		a.pushOrderLocked(o, now)
		return
	}
	if o.tif == "FOK" && a.fillable(o) < o.qty {
		a.finish(o, "Cancelled", "CancelByUser", "EC_FOKWillNotFillCompletely", now)
		a.pushOrderLocked(o, now)
		return
	}
	var trades []trade
	for o.open() {
		best, ok := side.Best()
		if !ok || !crosses(o, best) {
			break
		}
		take := min(best.Qty, o.qty-o.filled)
		if o.quoteQty.IsPositive() { // spot market buy by quote: what the rest buys
			budget := o.quoteQty.Sub(o.value)
			can := budget.Div(m.price(best.Price)).Shift(int32(m.qtyDec)).Floor().IntPart() / m.step * m.step
			take = min(best.Qty, can)
			if take <= 0 {
				break
			}
			o.qty = o.filled + take
		}
		m.book.set(side.Bids, best.Price, best.Qty-take)
		trades = append(trades, a.s.printLocked(m, best.Price, take, o.buy, now))
		a.fillLocked(o, best.Price, take, false, now)
		if o.quoteQty.IsPositive() {
			o.qty = o.filled
		}
	}
	if o.open() && (o.market || o.tif == "IOC") {
		status := "Cancelled"
		if m.cat == Spot && o.filled > 0 {
			status = "PartiallyFilledCanceled"
		}
		if o.market && o.filled > 0 && o.quoteQty.IsPositive() {
			status = "Filled"
		}
		a.finish(o, status, "CancelByUser", "EC_NoError", now)
	}
	a.pushOrderLocked(o, now)
	a.pushPositionLocked(m, now)
	a.pushWalletLocked(now)
	a.s.publishLocked(m, trades, now)
}

// fillable is how much of o the book could fill now.
func (a *account) fillable(o *order) int64 {
	var n int64
	for _, l := range o.m.book.side(!o.buy).Levels {
		if !crosses(o, l) {
			break
		}
		n += l.Qty
	}
	return min(n, o.qty-o.filled)
}

// finish closes an order and frees what it holds.
func (a *account) finish(o *order, status, cancelType, reason string, now time.Time) {
	o.status, o.updated = status, now
	if status != "Filled" {
		o.cancelType, o.rejectReason = cancelType, reason
	}
	a.release(o)
}

// fillLocked executes qty of o at price: balances, position, execution.
// The order, position and wallet pushes are the caller's.
func (a *account) fillLocked(o *order, price, qty int64, maker bool, now time.Time) {
	m := o.m
	value := m.value(price, qty)
	rate := feeRate(m, maker)
	ex := &execution{id: a.newID(), o: o, price: price, qty: qty, feeRate: rate, maker: maker, time: now, seq: a.s.nextSeqLocked(), pnl: decimal.Zero}
	name, _ := a.holdOf(o, o.price)
	c := a.coin(name)
	// the hold shrinks by the filled part's share
	part := o.hold
	if left := o.qty - o.filled; left > 0 && !o.quoteQty.IsPositive() {
		part = o.hold.Mul(decimal.NewFromInt(qty)).DivRound(decimal.NewFromInt(left), 8)
	} else if o.quoteQty.IsPositive() {
		part = decimal.Min(o.hold, value)
	}
	if m.cat == Spot {
		c.locked = c.locked.Sub(part)
	} else if !o.reduceOnly {
		c.orderIM = c.orderIM.Sub(part)
	}
	if !o.reduceOnly {
		o.hold = o.hold.Sub(part)
	}
	o.filled += qty
	o.value = o.value.Add(value)
	switch {
	case m.cat == Spot && o.buy:
		ex.fee, ex.feeCoin = m.qty(qty).Mul(rate).Round(int32(m.qtyDec)+2), m.base
		a.coin(m.quote).wallet = a.coin(m.quote).wallet.Sub(value)
		a.coin(m.base).wallet = a.coin(m.base).wallet.Add(m.qty(qty)).Sub(ex.fee)
	case m.cat == Spot:
		ex.fee, ex.feeCoin = value.Mul(rate).Round(8), m.quote
		a.coin(m.base).wallet = a.coin(m.base).wallet.Sub(m.qty(qty))
		a.coin(m.quote).wallet = a.coin(m.quote).wallet.Add(value).Sub(ex.fee)
	default:
		ex.fee, ex.feeCoin = value.Mul(rate).Round(8), m.settle
		ex.closed, ex.pnl = a.trade(m, o.buy, price, qty, now)
		sc := a.coin(m.settle)
		sc.wallet = sc.wallet.Sub(ex.fee).Add(ex.pnl)
		sc.realised = sc.realised.Add(ex.pnl).Sub(ex.fee)
	}
	o.fee = o.fee.Add(ex.fee)
	o.updated = now
	if o.filled >= o.qty && !o.quoteQty.IsPositive() {
		o.status = "Filled"
		a.release(o)
	} else {
		o.status = "PartiallyFilled"
	}
	a.execs = append(a.execs, ex)
	a.pushExecutionLocked(ex, now)
}

// trade moves m's position by a fill and returns the closed size and the
// realised PnL.
func (a *account) trade(m *market, buy bool, price, qty int64, now time.Time) (int64, decimal.Decimal) {
	p := a.positions[m]
	signed := qty
	if !buy {
		signed = -qty
	}
	pr := m.price(price)
	pnl, closed := decimal.Zero, int64(0)
	if p.size != 0 && (p.size > 0) != buy { // reducing
		closed = min(abs(p.size), qty)
		c := m.qty(closed)
		if m.cat == Inverse {
			pnl = c.Div(p.entry).Sub(c.Div(pr)).Round(8)
		} else {
			pnl = pr.Sub(p.entry).Mul(c)
		}
		if p.size < 0 {
			pnl = pnl.Neg()
		}
	}
	newSize := p.size + signed
	switch {
	case newSize == 0:
		p.entry = decimal.Zero
	case p.size == 0 || (p.size > 0) != (newSize > 0): // opened or flipped
		p.entry = pr
		p.created = now
	case abs(newSize) > abs(p.size): // added: weighted average
		old := m.qty(abs(p.size))
		p.entry = p.entry.Mul(old).Add(pr.Mul(m.qty(qty))).DivRound(old.Add(m.qty(qty)), int32(m.priceDec)+4)
	}
	p.size = newSize
	p.realised = p.realised.Add(pnl)
	p.curReal = p.curReal.Add(pnl)
	p.updated = now
	p.seq = a.s.seq
	return closed, pnl
}

// fillRestingLocked fills part or all of a random resting order as a
// maker at its price, as if the crowd had taken it.
func (a *account) fillRestingLocked(now time.Time) {
	var open []*order
	for _, o := range a.orders {
		if o.open() && !o.market {
			open = append(open, o)
		}
	}
	if len(open) == 0 {
		return
	}
	o := open[a.s.rng.IntN(len(open))]
	left := o.qty - o.filled
	qty := left
	if left > o.m.step && a.s.rng.IntN(2) == 0 {
		qty = max(o.m.step, left/2/o.m.step*o.m.step)
	}
	tr := a.s.printLocked(o.m, o.price, qty, !o.buy, now)
	a.fillLocked(o, o.price, qty, true, now)
	a.pushOrderLocked(o, now)
	a.pushPositionLocked(o.m, now)
	a.pushWalletLocked(now)
	a.s.publishTradesLocked(o.m, []trade{tr}, now)
}

// findLocked returns the order named by orderId or orderLinkId in cat.
func (a *account) findLocked(cat Category, p params) (*order, *apiError) {
	id, link := p.str("orderId"), p.str("orderLinkId")
	if id == "" && link == "" {
		return nil, paramErr("params error: orderId or orderLinkId is required")
	}
	for i := len(a.orders) - 1; i >= 0; i-- {
		o := a.orders[i]
		if o.m.cat == cat && ((id != "" && o.id == id) || (id == "" && o.linkID == link)) {
			if sym := p.str("symbol"); sym != "" && sym != o.m.id {
				break
			}
			return o, nil
		}
	}
	return nil, &apiError{codeOrderMissing, "Order does not exist."}
}

// amendLocked changes an open order's qty and/or price.
func (a *account) amendLocked(p params, now time.Time) (*order, *apiError) {
	cat := Category(p.str("category"))
	o, err := a.findLocked(cat, p)
	if err != nil {
		return nil, err
	}
	if !o.open() {
		return nil, &apiError{codeOrderMissing, "order not exists or too late to replace"}
	}
	if o.market {
		return nil, paramErr("params error: a market order cannot be amended")
	}
	m := o.m
	qty, price := o.qty, o.price
	if v := p.str("qty"); v != "" {
		q, err := parseUnits(v, m.qtyDec)
		if err != nil || q <= o.filled || q%m.step != 0 || q > m.maxQty {
			return nil, paramErr("params error: qty invalid")
		}
		qty = q
	}
	if v := p.str("price"); v != "" {
		pr, err := parseUnits(v, m.priceDec)
		if err != nil || pr <= 0 || pr%m.tick != 0 {
			return nil, paramErr("params error: price invalid")
		}
		price = pr
	}
	if qty == o.qty && price == o.price {
		return nil, &apiError{codeParam, "The order remains unchanged as the parameters entered match the existing ones."}
	}
	oldQty, oldPrice := o.qty, o.price
	o.qty, o.price = qty, price
	name, need := a.holdOf(o, price)
	if !o.reduceOnly && a.available(name).Add(o.hold).LessThan(need) {
		o.qty, o.price = oldQty, oldPrice
		if m.cat == Spot {
			return nil, &apiError{codeSpotBalance, "Insufficient balance."}
		}
		return nil, &apiError{codeNoBalance, "ab not enough for new order"}
	}
	a.rehold(o)
	o.updated = now
	a.matchLocked(o, now)
	return o, nil
}

// cancelLocked cancels an open order.
func (a *account) cancelLocked(p params, now time.Time) (*order, *apiError) {
	o, err := a.findLocked(Category(p.str("category")), p)
	if err != nil {
		return nil, err
	}
	if !o.open() {
		return nil, &apiError{codeOrderMissing, "Order does not exist."}
	}
	a.cancelOrderLocked(o, now)
	return o, nil
}

func (a *account) cancelOrderLocked(o *order, now time.Time) {
	status := "Cancelled"
	if o.m.cat == Spot && o.filled > 0 {
		status = "PartiallyFilledCanceled"
	}
	a.finish(o, status, "CancelByUser", "EC_PerCancelRequest", now)
	a.pushOrderLocked(o, now)
	a.pushPositionLocked(o.m, now)
	a.pushWalletLocked(now)
}

// avgPrice is an order's average fill price ("" before a fill).
func avgPrice(o *order) string {
	if o.filled == 0 {
		return ""
	}
	m := o.m
	if m.cat == Inverse {
		return m.qty(o.filled).DivRound(o.value, int32(m.priceDec)+4).String()
	}
	return o.value.DivRound(m.qty(o.filled), int32(m.priceDec)+4).String()
}

// orderJSON is an order as the order topic and the order queries show it.
func (a *account) orderJSON(o *order, ws bool) map[string]any {
	m := o.m
	price, tif := m.fmtPrice(o.price), o.tif
	if o.market {
		price = "0"
	}
	qty := m.fmtQty(o.qty)
	if o.quoteQty.IsPositive() {
		qty = o.quoteQty.String()
	}
	left := o.qty - o.filled
	if !o.open() {
		left = 0
	}
	leavesValue := "0"
	if left > 0 && !o.market {
		leavesValue = m.value(o.price, left).String()
	}
	j := map[string]any{"orderId": o.id, "orderLinkId": o.linkID, "blockTradeId": "", "symbol": m.id, "price": price, "qty": qty,
		"side": sideName(o.buy), "isLeverage": "", "positionIdx": 0, "orderStatus": o.status, "cancelType": o.cancelType,
		"rejectReason": o.rejectReason, "avgPrice": avgPrice(o), "leavesQty": m.fmtQty(left), "leavesValue": leavesValue,
		"cumExecQty": m.fmtQty(o.filled), "cumExecValue": o.value.String(), "cumExecFee": o.fee.String(), "timeInForce": tif,
		"orderType": map[bool]string{true: "Market", false: "Limit"}[o.market], "stopOrderType": "", "orderIv": "",
		"triggerPrice": "", "takeProfit": "", "stopLoss": "", "tpTriggerBy": "", "slTriggerBy": "", "triggerDirection": 0,
		"triggerBy": "", "lastPriceOnCreated": "", "reduceOnly": o.reduceOnly, "closeOnTrigger": false, "smpType": "None",
		"smpGroup": 0, "smpOrderId": "", "tpslMode": "", "tpLimitPrice": "", "slLimitPrice": "", "placeType": "",
		"createdTime": itoa(o.created.UnixMilli()), "updatedTime": itoa(o.updated.UnixMilli())}
	if m.cat == Spot {
		j["isLeverage"] = "0"
		j["marketUnit"] = ""
		if o.market && o.buy {
			j["marketUnit"] = map[bool]string{true: "quoteCoin", false: "baseCoin"}[o.quoteQty.IsPositive()]
		}
	}
	if ws {
		j["category"] = string(m.cat)
		j["feeCurrency"] = ""
		j["cumFeeDetail"] = map[string]string{}
		if o.fee.IsPositive() {
			fc := m.settle
			if m.cat == Spot {
				fc = map[bool]string{true: m.base, false: m.quote}[o.buy]
			}
			j["cumFeeDetail"] = map[string]string{fc: o.fee.String()}
		}
		j["closedPnl"] = "0"
	}
	return j
}

// executionJSON is a fill as the execution topic and list show it.
func (a *account) executionJSON(ex *execution, ws bool) map[string]any {
	o, m := ex.o, ex.o.m
	j := map[string]any{"symbol": m.id, "orderId": o.id, "orderLinkId": o.linkID, "side": sideName(o.buy),
		"orderPrice": m.fmtPrice(o.price), "orderQty": m.fmtQty(o.qty), "leavesQty": m.fmtQty(o.qty - o.filled),
		"createType": "CreateByUser", "orderType": map[bool]string{true: "Market", false: "Limit"}[o.market], "stopOrderType": "",
		"execFee": ex.fee.String(), "execId": ex.id, "execPrice": m.fmtPrice(ex.price), "execQty": m.fmtQty(ex.qty),
		"execType": "Trade", "execValue": m.value(ex.price, ex.qty).String(), "execTime": itoa(ex.time.UnixMilli()),
		"feeCurrency": ex.feeCoin, "isMaker": ex.maker, "feeRate": ex.feeRate.String(), "tradeIv": "", "markIv": "",
		"markPrice": m.fmtPrice(m.markPrice()), "indexPrice": "", "underlyingPrice": "", "blockTradeId": "",
		"closedSize": m.fmtQty(ex.closed), "seq": ex.seq, "extraFees": "", "execPnl": ex.pnl.String()}
	if ws {
		j["category"] = string(m.cat)
		j["isLeverage"] = ""
	}
	return j
}

// positionJSON is a position as the position topic and list show it.
func (a *account) positionJSON(m *market, p *position, ws bool) map[string]any {
	side := ""
	if p.size > 0 {
		side = "Buy"
	} else if p.size < 0 {
		side = "Sell"
	}
	mark := m.price(m.markPrice())
	size := m.qty(abs(p.size))
	upl := decimal.Zero
	if p.size != 0 {
		if m.cat == Inverse {
			upl = size.Div(p.entry).Sub(size.Div(mark)).Round(8)
		} else {
			upl = mark.Sub(p.entry).Mul(size)
		}
		if p.size < 0 {
			upl = upl.Neg()
		}
	}
	value := a.posValue(m, p)
	im := value.DivRound(decimal.NewFromInt(p.leverage), 8)
	created := "0" // a symbol never traded, rather than the zero time's milliseconds
	if !p.created.IsZero() {
		created = itoa(p.created.UnixMilli())
	}
	entry := ""
	if p.size != 0 {
		entry = p.entry.String()
	} else {
		entry = "0"
	}
	j := map[string]any{"positionIdx": 0, "riskId": 1, "riskLimitValue": "2000000", "symbol": m.id, "side": side,
		"size": m.fmtQty(abs(p.size)), "avgPrice": entry, "positionValue": value.String(), "tradeMode": 0,
		"autoAddMargin": 0, "positionStatus": "Normal", "leverage": strconv.FormatInt(p.leverage, 10),
		"markPrice": mark.String(), "liqPrice": "", "bustPrice": "", "positionIM": im.String(),
		"positionMM": im.Div(decimal.NewFromInt(2)).String(), "positionBalance": im.String(), "takeProfit": "0",
		"stopLoss": "0", "trailingStop": "0", "sessionAvgPrice": "", "delta": "", "gamma": "", "vega": "", "theta": "",
		"unrealisedPnl": upl.String(), "curRealisedPnl": p.curReal.String(), "cumRealisedPnl": p.realised.String(),
		"adlRankIndicator": 0, "createdTime": created, "updatedTime": itoa(p.updated.UnixMilli()),
		"seq": p.seq, "isReduceOnly": false, "mmrSysUpdatedTime": "", "leverageSysUpdatedTime": "", "tpslMode": "Full"}
	if ws {
		j["category"] = string(m.cat)
		j["entryPrice"] = entry
		delete(j, "avgPrice")
	}
	return j
}

// walletJSON is the unified account as wallet-balance and the wallet
// topic show it; usd values take USDT and USDC at 1 and other coins at
// their spot (or linear) mark price.
func (a *account) walletJSON(only map[string]bool) map[string]any {
	totalWallet, totalEquity, totalIM := decimal.Zero, decimal.Zero, decimal.Zero
	var coins []map[string]any
	for _, name := range sortedKeys(a.coins) {
		c := a.coins[name]
		upl := decimal.Zero
		for m, p := range a.positions {
			if m.settle == name && p.size != 0 {
				upl = upl.Add(decimal.RequireFromString(a.positionJSON(m, p, false)["unrealisedPnl"].(string)))
			}
		}
		posIM := a.positionIM(name)
		equity := c.wallet.Add(upl)
		usd := equity.Mul(a.usdPrice(name)).Round(4)
		totalWallet = totalWallet.Add(c.wallet.Mul(a.usdPrice(name)))
		totalEquity = totalEquity.Add(usd)
		totalIM = totalIM.Add(c.orderIM.Add(posIM).Mul(a.usdPrice(name)))
		if only != nil && !only[name] {
			continue
		}
		coins = append(coins, map[string]any{"coin": name, "equity": equity.String(), "usdValue": usd.String(),
			"walletBalance": c.wallet.String(), "free": "", "locked": c.locked.String(), "spotHedgingQty": "0",
			"borrowAmount": "0", "availableToWithdraw": "", "accruedInterest": "0", "totalOrderIM": c.orderIM.String(),
			"totalPositionIM": posIM.String(), "totalPositionMM": posIM.Div(decimal.NewFromInt(2)).String(),
			"unrealisedPnl": upl.String(), "cumRealisedPnl": c.realised.String(), "bonus": "0", "marginCollateral": true,
			"collateralSwitch": true, "availableToBorrow": "", "spotBorrow": "0"})
	}
	if coins == nil {
		coins = []map[string]any{}
	}
	r := func(d decimal.Decimal) string { return d.Round(4).String() }
	return map[string]any{"accountType": "UNIFIED", "accountLTV": "0", "accountIMRate": "0", "accountMMRate": "0",
		"accountIMRateByMp": "0", "accountMMRateByMp": "0", "totalInitialMarginByMp": r(totalIM), "totalMaintenanceMarginByMp": r(totalIM.Div(decimal.NewFromInt(2))),
		"totalEquity": r(totalEquity), "totalWalletBalance": r(totalWallet), "totalMarginBalance": r(totalEquity),
		"totalAvailableBalance": r(totalEquity.Sub(totalIM)), "totalPerpUPL": r(totalEquity.Sub(totalWallet)),
		"totalInitialMargin": r(totalIM), "totalMaintenanceMargin": r(totalIM.Div(decimal.NewFromInt(2))), "coin": coins}
}

// usdPrice values a coin in USD.
func (a *account) usdPrice(name string) decimal.Decimal {
	if name == "USDT" || name == "USDC" || name == "USD" {
		return decimal.NewFromInt(1)
	}
	for _, m := range a.s.markets {
		if m.base == name && (m.quote == "USDT" || m.quote == "USD") {
			return m.price(m.markPrice())
		}
	}
	return decimal.Zero
}
