package venue

import (
	"strconv"
	"time"

	"github.com/shopspring/decimal"
)

// order is one of the account's orders.
type order struct {
	id, clientID         string
	b                    *book
	buy, market          bool
	tif                  string // "GTC", "IOC" or "FOK"
	postOnly, reduceOnly bool
	price                int64 // ticks; 0 for a market order
	lots, filled         int64
	cost, fee            decimal.Decimal
	status               string
	created, updated     time.Time
	rest                 *resting // while on the book
	leverage             int64    // the perpetual's leverage when placed
}

func (o *order) open() bool { return o.status == StateNew || o.status == StatePartial }

// position is the account's position in a perpetual: lots is signed.
type position struct {
	lots     int64
	entry    decimal.Decimal
	realized decimal.Decimal
	updated  time.Time
}

// ownFill is one fill of the account.
type ownFill struct {
	id          string
	o           *order
	price, lots int64
	fee         decimal.Decimal
	maker       bool
	ts          time.Time
}

// account is the venue's one trading account.
type account struct {
	key, secret      string
	expired, rotated bool
	totals           map[string]decimal.Decimal
	orders           map[string]*order
	byClient         map[string]*order
	list             []*order // oldest first
	fills            []ownFill
	positions        map[*book]*position
	leverage         map[*book]int64
	orderSeq         int64
	fillSeq          int64
}

func newAccount(key, secret string, balances map[string]decimal.Decimal) account {
	a := account{key: key, secret: secret, totals: map[string]decimal.Decimal{}, orders: map[string]*order{},
		byClient: map[string]*order{}, positions: map[*book]*position{}, leverage: map[*book]int64{}}
	for code, amount := range balances {
		a.totals[code] = amount
	}
	return a
}

// defaultLeverage is a perpetual's leverage until SetLeverage.
const defaultLeverage = 10

func (a *account) leverageOf(b *book) int64 {
	if l := a.leverage[b]; l > 0 {
		return l
	}
	return defaultLeverage
}

// lock is what an open order holds back, and in which currency: a spot
// buy its cost plus the taker fee, a spot sell its amount, a perpetual
// order its initial margin (a reduce-only one nothing).
func lock(o *order) (string, decimal.Decimal) {
	m := o.b.m
	rem := o.lots - o.filled
	switch {
	case m.Perpetual && o.reduceOnly:
		return m.Settle, decimal.Zero
	case m.Perpetual:
		return m.Settle, m.notional(o.price, rem).Div(decimal.NewFromInt(o.leverage))
	case o.buy:
		return m.Quote, m.notional(o.price, rem).Mul(decimal.NewFromInt(1).Add(m.Taker))
	default:
		return m.Base, m.amount(rem)
	}
}

// margin is a position's initial margin at its entry price.
func (a *account) margin(b *book, p *position) decimal.Decimal {
	return p.entry.Mul(b.m.amount(abs(p.lots))).Div(decimal.NewFromInt(a.leverageOf(b)))
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// used is what open orders and positions hold back of code.
func (a *account) used(code string) decimal.Decimal {
	u := decimal.Zero
	for _, o := range a.list {
		if !o.open() {
			continue
		}
		if c, amount := lock(o); c == code {
			u = u.Add(amount)
		}
	}
	for b, p := range a.positions {
		if b.m.Settle == code && p.lots != 0 {
			u = u.Add(a.margin(b, p))
		}
	}
	return u
}

// free is what the account can commit of code.
func (a *account) free(code string) decimal.Decimal { return a.totals[code].Sub(a.used(code)) }

// fillLocked applies a fill of o: balances, fees, the position, the
// order's state, and the publications they cause.
func (v *Venue) fillLocked(o *order, price, lots int64, maker bool, now time.Time) {
	a, m := &v.acct, o.b.m
	notional := m.notional(price, lots)
	rate := m.Taker
	if maker {
		rate = m.Maker
	}
	fee := notional.Mul(rate)
	switch {
	case m.Perpetual:
		a.totals[m.Settle] = a.totals[m.Settle].Sub(fee).Add(a.trade(o.b, o.buy, price, lots, now))
		v.out.positions = true
	case o.buy:
		a.totals[m.Quote] = a.totals[m.Quote].Sub(notional).Sub(fee)
		a.totals[m.Base] = a.totals[m.Base].Add(m.amount(lots))
	default:
		a.totals[m.Base] = a.totals[m.Base].Sub(m.amount(lots))
		a.totals[m.Quote] = a.totals[m.Quote].Add(notional).Sub(fee)
	}
	o.filled += lots
	o.cost = o.cost.Add(notional)
	o.fee = o.fee.Add(fee)
	o.updated = now
	o.status = StatePartial
	if o.filled == o.lots {
		o.status = StateFilled
		o.rest = nil
	}
	a.fillSeq++
	f := ownFill{id: "F" + strconv.FormatInt(a.fillSeq, 10), o: o, price: price, lots: lots, fee: fee, maker: maker, ts: now}
	a.fills = append(a.fills, f)
	v.out.fills = append(v.out.fills, f)
	v.out.orders = append(v.out.orders, o)
	v.out.balance = true
	if m.Perpetual {
		v.reduceOnlyCheckLocked(o.b, now)
	}
}

// feeAssetOf is the currency fees are charged in: the quote (the settle
// currency on the perpetual).
func feeAssetOf(m *Market) string {
	if m.Perpetual {
		return m.Settle
	}
	return m.Quote
}

// trade moves the position in b by a fill and returns the profit it
// realised.
func (a *account) trade(b *book, buy bool, price, lots int64, now time.Time) decimal.Decimal {
	p := a.positions[b]
	if p == nil {
		p = &position{}
		a.positions[b] = p
	}
	p.updated = now
	delta := lots
	if !buy {
		delta = -lots
	}
	px := b.m.price(price)
	realized := decimal.Zero
	if p.lots != 0 && (p.lots > 0) != (delta > 0) { // reduces, closes or flips
		closed := min(abs(p.lots), lots)
		sign := decimal.NewFromInt(1)
		if p.lots < 0 {
			sign = sign.Neg()
		}
		realized = px.Sub(p.entry).Mul(b.m.amount(closed)).Mul(sign)
		p.realized = p.realized.Add(realized)
		if lots <= abs(p.lots) {
			p.lots += delta
			if p.lots == 0 {
				p.entry = decimal.Zero
			}
			return realized
		}
		delta += p.lots // flips: the rest opens a position the other way
		p.lots, p.entry = 0, decimal.Zero
	}
	// Opens or adds: the entry is the average price, kept to 8 places
	// beyond the tick.
	size := abs(p.lots)
	p.entry = p.entry.Mul(decimal.NewFromInt(size)).Add(px.Mul(decimal.NewFromInt(abs(delta)))).
		DivRound(decimal.NewFromInt(size+abs(delta)), b.m.PriceDecimals+8)
	p.lots += delta
	return realized
}

// reduceOnlyCheckLocked cancels the reduce-only orders of b that would no
// longer reduce the position (its side changed, or they exceed it).
func (v *Venue) reduceOnlyCheckLocked(b *book, now time.Time) {
	p := v.acct.positions[b]
	for _, o := range v.acct.list {
		if o.b != b || !o.reduceOnly || !o.open() {
			continue
		}
		reduces := p != nil && p.lots != 0 && (p.lots > 0) != o.buy && o.lots-o.filled <= abs(p.lots)
		if !reduces {
			v.cancelLocked(o, now)
		}
	}
}

// cancelLocked takes an open order off the book and marks it canceled.
func (v *Venue) cancelLocked(o *order, now time.Time) {
	if o.rest != nil {
		l := o.b.side(o.buy)
		l.remove(o.price, o.rest)
		o.b.touch(o.buy, o.price)
		o.rest = nil
	}
	o.status = StateCanceled
	o.updated = now
	v.out.orders = append(v.out.orders, o)
	v.out.balance = true
}

// fundingLocked settles the perpetuals' funding that has fallen due: a
// long pays size × mark × rate to shorts when the rate is positive.
func (v *Venue) fundingLocked(now time.Time) {
	for _, b := range v.markets {
		if !b.m.Perpetual || now.Before(b.nextFunding) {
			continue
		}
		rate := b.fundingRate()
		if p := v.acct.positions[b]; p != nil && p.lots != 0 {
			pay := b.m.notional(b.mid(), p.lots).Mul(rate)
			v.acct.totals[b.m.Settle] = v.acct.totals[b.m.Settle].Sub(pay)
			v.out.balance, v.out.positions = true, true
		}
		b.prevRate, b.prevFunding = rate, b.nextFunding
		for !now.Before(b.nextFunding) {
			b.nextFunding = b.nextFunding.Add(v.cfg.FundingInterval)
		}
	}
}

// fundingRate is the rate the next funding would charge: a 0.01 % base
// plus the premium of the mid over the fair price, capped at ±0.75 %.
func (b *book) fundingRate() decimal.Decimal {
	premium := decimal.NewFromInt(b.mid()-b.fair).DivRound(decimal.NewFromInt(b.fair), 8)
	limit := decimal.RequireFromString("0.0075")
	premium = decimal.Max(limit.Neg(), decimal.Min(limit, premium))
	return decimal.RequireFromString("0.0001").Add(premium)
}

// SettleFunding settles every perpetual's funding now, as if it had
// fallen due, and publishes what changed.
func (v *Venue) SettleFunding() {
	v.mu.Lock()
	defer v.mu.Unlock()
	now := v.now()
	for _, b := range v.markets {
		if b.m.Perpetual {
			b.nextFunding = now
		}
	}
	v.fundingLocked(now)
	v.flushLocked()
}
