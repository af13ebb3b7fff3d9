package binancetest

import (
	"net/url"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Orders: checked against the market's filters as Binance checks them,
// matched against the public book as a taker when they cross it (the
// public book, its depth stream and the trade tape all see it), and, for
// limit orders that rest, filled at random by Step as a maker. The
// account's resting orders are not part of the public book.

// maxOpenOrders is the MAX_NUM_ORDERS filter.
const maxOpenOrders = 200

// order is one of the account's orders.
type order struct {
	id         int64
	clientID   string
	cancelID   string // the client id of the request that canceled it
	m          *market
	buy        bool
	typ        string // LIMIT, MARKET, LIMIT_MAKER (spot)
	tif        string // GTC, IOC, FOK, GTX
	price      int64  // limit price; 0 for a market order
	qty        int64
	filled     int64
	cum        decimal.Decimal // filled value: quote (spot, USD-M), base coin (COIN-M)
	status     string
	reduceOnly bool
	created    time.Time
	updated    time.Time
	locked     decimal.Decimal // spot: what the order still holds locked
}

// fill is one execution of an order of the account.
type fill struct {
	tradeID    int64
	o          *order
	price, qty int64
	value      decimal.Decimal // quote (spot, USD-M), base coin (COIN-M)
	commission decimal.Decimal
	feeAsset   string
	maker      bool
	realized   decimal.Decimal
	time       time.Time
}

func (o *order) open() bool { return o.status == "NEW" || o.status == "PARTIALLY_FILLED" }

func (o *order) side() string {
	if o.buy {
		return "BUY"
	}
	return "SELL"
}

// placeLocked places an order from its parameters (REST or WebSocket
// API, which share them).
func (s *Server) placeLocked(q url.Values, now time.Time) (*order, []*fill, *apiError) {
	m, e := s.symbolParam(q)
	if e != nil {
		return nil, nil, e
	}
	o := &order{m: m, created: now, updated: now, status: "NEW"}
	if e := s.parseOrder(o, q); e != nil {
		return nil, nil, e
	}
	a := s.acct
	open := 0
	for _, x := range a.open {
		if x.m == m {
			open++
			if o.clientID != "" && x.clientID == o.clientID {
				if s.cfg.Product == Spot {
					return nil, nil, reject(codeNewOrderReject, "Duplicate order sent.")
				}
				return nil, nil, reject(codeDuplicateID, "ClientOrderId is duplicated.")
			}
		}
	}
	if open >= maxOpenOrders {
		return nil, nil, reject(codeFilter, "Filter failure: MAX_NUM_ORDERS")
	}
	if o.typ == "LIMIT_MAKER" || o.tif == "GTX" {
		if s.crosses(o) {
			if s.cfg.Product == Spot {
				return nil, nil, reject(codeNewOrderReject, msgWouldTake)
			}
			return nil, nil, reject(codePostOnly, "Due to the order could not be executed as maker, the Post Only order will be rejected. The order will not be recorded in the order history")
		}
	}
	if e := s.reserveLocked(o); e != nil {
		return nil, nil, e
	}
	if o.clientID == "" {
		o.clientID = s.newClientID()
	}
	a.nextOrder++
	o.id = a.nextOrder
	a.orders = append(a.orders, o)
	a.open = append(a.open, o)
	a.byID[o.id] = o
	a.updated = now
	s.orderEventLocked(o, nil, now)
	if s.cfg.Product == Spot && o.typ != "MARKET" {
		s.balanceEventLocked([]string{lockedAsset(o)}, now)
	}
	var fills []*fill
	if o.tif == "FOK" && s.liquidity(o) < o.qty {
		s.finishLocked(o, "EXPIRED", now)
		return o, nil, nil
	}
	if o.typ == "MARKET" || s.crosses(o) {
		fills = s.takeLocked(o, now)
	}
	if o.open() && (o.typ == "MARKET" || o.tif == "IOC" || o.tif == "FOK") {
		s.finishLocked(o, "EXPIRED", now)
	}
	return o, fills, nil
}

// parseOrder reads and checks an order's parameters against the market's
// filters.
func (s *Server) parseOrder(o *order, q url.Values) *apiError {
	m, spot := o.m, s.cfg.Product == Spot
	switch q.Get("side") {
	case "BUY":
		o.buy = true
	case "SELL":
	case "":
		return mandatory("side")
	default:
		return reject(codeInvalidSide, "Invalid side.")
	}
	o.typ = q.Get("type")
	switch o.typ {
	case "LIMIT", "MARKET":
	case "LIMIT_MAKER":
		if !spot {
			return reject(codeInvalidType, "Invalid orderType.")
		}
	case "":
		return mandatory("type")
	case "STOP", "STOP_MARKET", "TAKE_PROFIT", "TAKE_PROFIT_MARKET", "TRAILING_STOP_MARKET":
		if !spot {
			return reject(codeAlgoOnly, "Order type not supported for this endpoint. Please use the Algo Order API endpoints instead.")
		}
		return reject(codeInvalidType, "Invalid orderType.")
	default:
		return reject(codeInvalidType, "Invalid orderType.")
	}
	if ps := q.Get("positionSide"); !spot && ps != "" && ps != "BOTH" {
		return reject(codePositionSide, "Order's position side does not match user's setting.")
	}
	o.tif = q.Get("timeInForce")
	tifs := map[string]bool{"GTC": true, "IOC": true, "FOK": true}
	if !spot {
		tifs["GTX"] = true
	}
	switch {
	case o.typ == "LIMIT" && o.tif == "":
		return mandatory("timeInForce")
	case o.typ == "LIMIT" && !tifs[o.tif]:
		return reject(codeInvalidTIF, "Invalid timeInForce.")
	case spot && o.typ != "LIMIT" && o.tif != "":
		return reject(codeNotRequired, "Parameter 'timeInForce' sent when not required.")
	case o.typ == "LIMIT_MAKER", o.typ == "MARKET" && spot:
		o.tif = "GTC"
	case o.tif == "":
		o.tif = "GTC"
	}
	o.clientID = q.Get("newClientOrderId")
	o.reduceOnly = !spot && q.Get("reduceOnly") == "true"
	if o.typ != "MARKET" {
		raw := q.Get("price")
		if raw == "" {
			return mandatory("price")
		}
		p, err := parseUnits(raw, m.priceDec)
		switch {
		case err == errPrecision && spot:
			return reject(codePrecision, "Parameter 'price' has too much precision.")
		case err == errPrecision:
			return reject(codePrecision, "Precision is over the maximum defined for this asset.")
		case err != nil || p <= 0:
			return mandatory("price")
		case (p%m.tick != 0 || p > m.maxPrice) && spot:
			return reject(codeFilter, "Filter failure: PRICE_FILTER")
		case p%m.tick != 0:
			return reject(codeTick, "Price not increased by tick size.")
		case p > m.maxPrice:
			return rejectf(codePriceTooHigh, "Limit price can't be higher than %s.", m.fmtPrice(m.maxPrice))
		}
		o.price = p
	}
	if q.Get("quoteOrderQty") != "" && spot && o.typ == "MARKET" && q.Get("quantity") == "" {
		return s.parseQuoteQty(o, q.Get("quoteOrderQty"))
	}
	return s.parseQty(o, q.Get("quantity"))
}

// parseQty reads and checks quantity (LOT_SIZE, MARKET_LOT_SIZE, the
// notional filter).
func (s *Server) parseQty(o *order, raw string) *apiError {
	m, spot := o.m, s.cfg.Product == Spot
	if raw == "" {
		return mandatory("quantity")
	}
	qty, err := parseUnits(raw, m.qtyDec)
	switch {
	case err == errPrecision && spot:
		return reject(codePrecision, "Parameter 'quantity' has too much precision.")
	case err == errPrecision:
		return reject(codePrecision, "Precision is over the maximum defined for this asset.")
	case err != nil:
		return mandatory("quantity")
	}
	maxQty, filter := m.maxQty, "LOT_SIZE"
	if o.typ == "MARKET" {
		maxQty, filter = m.marketMaxQty, "MARKET_LOT_SIZE"
	}
	switch {
	case spot && (qty < m.minQty || qty > maxQty || qty%m.step != 0):
		return reject(codeFilter, "Filter failure: "+filter)
	case qty < m.minQty:
		return reject(codeQtyTooSmall, "Quantity less than min quantity.")
	case qty > maxQty:
		return reject(codeQtyTooLarge, "Quantity greater than max quantity.")
	case qty%m.step != 0:
		return reject(codeStep, "Quantity not increased by step size.")
	}
	o.qty = qty
	price := o.price
	if price == 0 {
		price = m.trades.lastPrice()
	}
	if notional := m.notional(price, qty); !m.minNotional.IsZero() && notional.LessThan(m.minNotional) && !o.reduceOnly {
		if spot {
			return reject(codeFilter, "Filter failure: NOTIONAL")
		}
		return rejectf(codeMinNotional, "Order's notional must be no smaller than %s (unless you choose reduce only).", m.minNotional)
	}
	return nil
}

// parseQuoteQty sizes a spot market order by the quote amount to spend
// (buy) or receive (sell), walking the book, within LOT_SIZE.
func (s *Server) parseQuoteQty(o *order, raw string) *apiError {
	m := o.m
	amount, err := decimal.NewFromString(raw)
	if err != nil || !amount.IsPositive() {
		return mandatory("quoteOrderQty")
	}
	side := &m.book.bids
	if o.buy {
		side = &m.book.asks
	}
	var qty int64
	for _, lv := range side.Levels {
		value := m.notional(lv.Price, lv.Qty)
		if value.GreaterThanOrEqual(amount) {
			qty += amount.Div(m.price(lv.Price)).Mul(decimal.New(1, int32(m.qtyDec))).IntPart()
			break
		}
		qty += lv.Qty
		amount = amount.Sub(value)
	}
	qty = qty / m.step * m.step
	return s.parseQty(o, fixed(qty, m.qtyDec))
}

// crosses reports whether a limit order would take liquidity now.
func (s *Server) crosses(o *order) bool {
	if o.buy {
		ask, ok := o.m.book.asks.Best()
		return ok && o.price >= ask.Price
	}
	bid, ok := o.m.book.bids.Best()
	return ok && o.price <= bid.Price
}

// liquidity is what the public book offers o at its limit.
func (s *Server) liquidity(o *order) int64 {
	side := &o.m.book.bids
	if o.buy {
		side = &o.m.book.asks
	}
	var n int64
	for _, lv := range side.Levels {
		if o.typ != "MARKET" && ((o.buy && lv.Price > o.price) || (!o.buy && lv.Price < o.price)) {
			break
		}
		n += lv.Qty
	}
	return n
}

// reserveLocked checks the account can afford o and holds what it needs:
// spot locks the quote (buy) or base (sell) of a limit order and checks a
// market order's funds; futures check the margin and reduce-only.
func (s *Server) reserveLocked(o *order) *apiError {
	a, m := s.acct, o.m
	if s.cfg.Product != Spot {
		p := a.positions[m]
		signed := o.qty
		if !o.buy {
			signed = -o.qty
		}
		if o.reduceOnly && (p.amt == 0 || (p.amt > 0) == o.buy || abs(signed) > abs(p.amt)) {
			return reject(codeReduceOnly, "ReduceOnly Order is rejected.")
		}
		price := o.price
		if price == 0 {
			price = s.markPrice(m)
		}
		need := m.notional(price, o.qty).DivRound(decimal.NewFromInt(int64(a.leverage[m])), 8)
		if !o.reduceOnly && need.GreaterThan(a.available(m.marginAsset())) {
			return reject(codeMarginShort, "Margin is insufficient.")
		}
		return nil
	}
	asset, need := m.base, m.qty(o.qty)
	if o.buy {
		price := o.price
		if price == 0 { // a market buy: what walking the book would cost
			price = s.worstPrice(o)
		}
		asset, need = m.quote, m.notional(price, o.qty)
	}
	b := a.ensure(asset)
	if b.free.LessThan(need) {
		return reject(codeNewOrderReject, msgInsufficient)
	}
	if o.typ != "MARKET" {
		b.free, b.locked, o.locked = b.free.Sub(need), b.locked.Add(need), need
	}
	return nil
}

// worstPrice is the deepest price a market order of o's size reaches.
func (s *Server) worstPrice(o *order) int64 {
	side := &o.m.book.bids
	if o.buy {
		side = &o.m.book.asks
	}
	left, worst := o.qty, o.m.trades.lastPrice()
	for _, lv := range side.Levels {
		worst = lv.Price
		if left -= lv.Qty; left <= 0 {
			break
		}
	}
	return worst
}

// lockedAsset is the asset a spot order locks.
func lockedAsset(o *order) string {
	if o.buy {
		return o.m.quote
	}
	return o.m.base
}

// takeLocked matches o against the public book up to its limit: levels
// shrink, trades print, o fills as a taker.
func (s *Server) takeLocked(o *order, now time.Time) []*fill {
	m := o.m
	side := &m.book.bids
	if o.buy {
		side = &m.book.asks
	}
	var fills []*fill
	var trades []trade
	for o.filled < o.qty {
		lv, ok := side.Best()
		if !ok || (o.typ != "MARKET" && ((o.buy && lv.Price > o.price) || (!o.buy && lv.Price < o.price))) {
			break
		}
		q := min(lv.Qty, o.qty-o.filled)
		m.book.set(side.Bids, lv.Price, lv.Qty-q)
		tr := m.trades.add(m, lv.Price, q, !o.buy, now)
		trades = append(trades, tr)
		fills = append(fills, s.fillLocked(o, tr, false, now))
	}
	if len(trades) > 0 {
		s.publishDepthLocked(m, now)
		s.publishTradesLocked(m, trades, now)
	}
	return fills
}

// fillRestingLocked fills part or all of a random resting order of the
// account as a maker; the trade prints on the tape.
func (a *account) fillRestingLocked(now time.Time) {
	if len(a.open) == 0 {
		return
	}
	s := a.s
	o := a.open[s.rng.IntN(len(a.open))]
	left := (o.qty - o.filled) / o.m.step
	q := o.qty - o.filled
	if s.rng.IntN(2) == 0 && left > 1 {
		q = o.m.step * (1 + int64(s.rng.IntN(int(left-1))))
	}
	tr := o.m.trades.add(o.m, o.price, q, o.buy, now)
	s.fillLocked(o, tr, true, now)
	s.publishTradesLocked(o.m, []trade{tr}, now)
}

// fillLocked books one execution of o: the order, the balances or the
// position, the fill, and the user-data events.
func (s *Server) fillLocked(o *order, tr trade, maker bool, now time.Time) *fill {
	a, m := s.acct, o.m
	f := &fill{tradeID: tr.id, o: o, price: tr.price, qty: tr.qty, value: m.notional(tr.price, tr.qty), maker: maker, time: now}
	o.filled += tr.qty
	o.cum = o.cum.Add(f.value)
	o.updated = now
	o.status = "PARTIALLY_FILLED"
	if o.filled == o.qty {
		o.status = "FILLED"
		a.closeLocked(o)
	}
	var changed []string
	if s.cfg.Product == Spot {
		changed = s.settleSpot(o, f)
	} else {
		s.settleFutures(o, f, now)
	}
	a.fills = append(a.fills, f)
	a.updated = now
	s.orderEventLocked(o, f, now)
	if s.cfg.Product == Spot {
		s.balanceEventLocked(changed, now)
	} else {
		s.positionEventLocked(m, now)
	}
	return f
}

// settleSpot moves a spot fill's assets and takes the commission from
// what the order receives; it returns the assets that changed.
func (s *Server) settleSpot(o *order, f *fill) []string {
	a, m := s.acct, o.m
	base, quote := a.ensure(m.base), a.ensure(m.quote)
	qty := m.qty(f.qty)
	if o.buy {
		f.commission, f.feeAsset = qty.Mul(spotFee), m.base
		if o.typ == "MARKET" {
			quote.free = quote.free.Sub(f.value)
		} else { // release the lock at the limit price, pay the fill price
			held := m.notional(o.price, f.qty)
			quote.locked, o.locked = quote.locked.Sub(held), o.locked.Sub(held)
			quote.free = quote.free.Add(held).Sub(f.value)
		}
		base.free = base.free.Add(qty).Sub(f.commission)
	} else {
		f.commission, f.feeAsset = f.value.Mul(spotFee), m.quote
		if o.typ == "MARKET" {
			base.free = base.free.Sub(qty)
		} else {
			base.locked, o.locked = base.locked.Sub(qty), o.locked.Sub(qty)
		}
		quote.free = quote.free.Add(f.value).Sub(f.commission)
	}
	return []string{m.base, m.quote}
}

// settleFutures updates the position and the wallet (realized PnL minus
// the commission, in the margin asset).
func (s *Server) settleFutures(o *order, f *fill, now time.Time) {
	a, m := s.acct, o.m
	p := a.positions[m]
	rate := takerFee
	if f.maker {
		rate = makerFee
	}
	f.commission, f.feeAsset = f.value.Mul(rate).Round(8), m.marginAsset()
	signed := f.qty
	if !o.buy {
		signed = -f.qty
	}
	price := m.price(f.price)
	switch {
	case p.amt == 0 || (p.amt > 0) == (signed > 0): // open or add: average the entry
		p.entry = averageEntry(m, p.amt, p.entry, signed, price)
		p.amt += signed
	default: // reduce, close or flip
		closing := min(abs(signed), abs(p.amt))
		if p.amt < 0 {
			closing = -closing
		}
		f.realized = pnl(m, closing, p.entry, price)
		p.amt += signed
		switch {
		case p.amt == 0:
			p.entry = decimal.Zero
		case (p.amt > 0) == (signed > 0): // flipped: the rest opened at price
			p.entry = price
		}
	}
	p.realized = p.realized.Add(f.realized)
	p.updated = now
	w := a.ensure(m.marginAsset())
	w.free = w.free.Add(f.realized).Sub(f.commission)
}

// averageEntry is the entry price after adding add (same sign as amt, or
// amt zero) at price: weighted by quantity on USD-M, harmonically on
// COIN-M (contracts are fixed USD amounts).
func averageEntry(m *market, amt int64, entry decimal.Decimal, add int64, price decimal.Decimal) decimal.Decimal {
	if amt == 0 {
		return price
	}
	total := decimal.NewFromInt(abs(amt) + abs(add))
	if m.contractSize > 0 {
		inv := decimal.NewFromInt(abs(amt)).DivRound(entry, 16).Add(decimal.NewFromInt(abs(add)).DivRound(price, 16))
		return total.DivRound(inv, 8)
	}
	return entry.Mul(decimal.NewFromInt(abs(amt))).Add(price.Mul(decimal.NewFromInt(abs(add)))).DivRound(total, 8)
}

// finishLocked ends an open order (CANCELED or EXPIRED), releasing what a
// spot order held.
func (s *Server) finishLocked(o *order, status string, now time.Time) {
	o.status, o.updated = status, now
	s.acct.updated = now
	s.acct.closeLocked(o)
	if s.cfg.Product == Spot && o.locked.IsPositive() {
		b := s.acct.ensure(lockedAsset(o))
		b.locked, b.free = b.locked.Sub(o.locked), b.free.Add(o.locked)
		o.locked = decimal.Zero
		s.orderEventLocked(o, nil, now)
		s.balanceEventLocked([]string{lockedAsset(o)}, now)
		return
	}
	s.orderEventLocked(o, nil, now)
}

// openOrders lists the open orders, oldest first.
func (a *account) openOrders() []*order { return append([]*order(nil), a.open...) }

// closeLocked takes an order that is no longer open off the open list.
func (a *account) closeLocked(o *order) {
	for i, x := range a.open {
		if x == o {
			a.open = append(a.open[:i], a.open[i+1:]...)
			return
		}
	}
}

// findOrder resolves orderId or origClientOrderId; notFound is the reply
// when neither names an order of the symbol.
func (s *Server) findOrder(q url.Values, notFound *apiError) (*order, *apiError) {
	m, e := s.symbolParam(q)
	if e != nil {
		return nil, e
	}
	id, hasID, e := idParam(q, "orderId")
	if e != nil {
		return nil, e
	}
	client := q.Get("origClientOrderId")
	if !hasID && client == "" {
		return nil, rejectf(codeMandatory, "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!")
	}
	var o *order
	if hasID {
		o = s.acct.byID[id]
		if o != nil && client != "" && o.clientID != client {
			o = nil
		}
	} else {
		for _, x := range s.acct.orders {
			if x.clientID == client {
				o = x // the latest order with that client id
			}
		}
	}
	if o == nil || o.m != m {
		return nil, notFound
	}
	return o, nil
}

// cancelLocked cancels an open order.
func (s *Server) cancelLocked(q url.Values, now time.Time) (*order, *apiError) {
	o, e := s.findOrder(q, reject(codeCancelReject, msgUnknownOrder))
	if e != nil {
		return nil, e
	}
	if !o.open() {
		return nil, reject(codeCancelReject, msgUnknownOrder)
	}
	o.cancelID = q.Get("newClientOrderId")
	if o.cancelID == "" {
		o.cancelID = s.newClientID()
	}
	s.finishLocked(o, "CANCELED", now)
	return o, nil
}

// newClientID makes a client order id as Binance generates them: 22
// alphanumerics.
func (s *Server) newClientID() string {
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	var b strings.Builder
	for range 22 {
		b.WriteByte(alphabet[s.rng.IntN(len(alphabet))])
	}
	return b.String()
}
