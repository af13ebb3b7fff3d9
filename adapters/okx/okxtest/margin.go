package okxtest

import (
	"time"

	"github.com/shopspring/decimal"
)

// Spot margin trading: a spot order with tdMode cross or isolated (and
// ccy, the margin currency) borrows instead of paying, so it moves the
// instrument's margin position (instType MARGIN, net mode) rather than
// the balances: a buy adds to a long held in the base currency, a sell to
// a short; the order ties up notional / leverage of the quote currency,
// fees and realised profit settle in it. A reduce-only margin order must
// face a position at least its size. Interest, liquidation and the
// borrowed amounts' effect on balances are not simulated.

// frozenCcy is the currency an order's frozen amount is held in.
func (o *order) frozenCcy() string {
	if o.margin {
		return o.m.quote
	}
	return o.m.marginCcy(o.buy)
}

// marginCheckLocked refuses what a margin order cannot be: a reduce-only
// order with no position to reduce (51169) or in the position's own
// direction (51170), with the texts of OKX's error table; one larger than
// the position is refused with 51170 too (the fake's choice: OKX's answer
// is not documented).
func (s *Server) marginCheckLocked(m *market, a orderArgs, buy bool, sz int64) (code, msg string) {
	if !a.ReduceOnly {
		return "", ""
	}
	p := s.acct.positions[m]
	switch {
	case p == nil || p.pos == 0:
		return "51169", "Order failed because you don't have any positions in this direction for this contract to reduce or close."
	case (p.pos > 0) == buy || sz > abs(p.pos):
		return "51170", "Failed to place order. A reduce-only order can’t be the same trading direction as your existing positions."
	}
	return "", ""
}

// moveMarginLocked applies a margin fill to the instrument's margin
// position (signed base units), settling realised profit in the quote
// currency.
func (s *Server) moveMarginLocked(o *order, px, sz int64, now time.Time) {
	m := o.m
	p := s.acct.positions[m]
	if p == nil || p.pos == 0 {
		p = &position{created: now, mgnMode: o.tdMode}
		s.acct.positions[m] = p
	}
	signed := sz
	if !o.buy {
		signed = -sz
	}
	price := m.priceD(px)
	switch {
	case p.pos == 0 || (p.pos > 0) == (signed > 0):
		total := decimal.NewFromInt(abs(p.pos) + sz)
		p.avgPx = p.avgPx.Mul(decimal.NewFromInt(abs(p.pos))).Add(price.Mul(decimal.NewFromInt(sz))).Div(total).Round(8)
	default:
		closed := min(abs(p.pos), sz)
		pnl := m.sizeD(closed).Mul(price.Sub(p.avgPx))
		if p.pos < 0 {
			pnl = pnl.Neg()
		}
		pnl = pnl.Round(8)
		p.realized = p.realized.Add(pnl)
		s.acct.balanceOf(m.quote).cash = s.acct.balanceOf(m.quote).cash.Add(pnl)
		if sz > closed {
			p.avgPx = price
		}
	}
	p.pos += signed
	p.updated = now
	p.tradeID = m.trades.last().id
}

// marginPositionJSON writes a margin position as account/positions and
// the positions channel do: posCcy is the base currency for a long (pos
// in base), the quote currency for a short (pos in quote, at the average
// price); liab is what is borrowed (the quote a long bought with, the
// base a short sold).
func (s *Server) marginPositionJSON(m *market, p *position) map[string]any {
	mark := m.trades.last().px
	qty := m.sizeD(abs(p.pos))
	notional := qty.Mul(m.priceD(mark))
	upl := qty.Mul(m.priceD(mark).Sub(p.avgPx))
	posCcy, pos, liabCcy, liab := m.base, qty, m.quote, qty.Mul(p.avgPx)
	if p.pos < 0 {
		upl = upl.Neg()
		posCcy, pos, liabCcy, liab = m.quote, qty.Mul(p.avgPx), m.base, qty
	}
	lever := s.acct.lever(m)
	imr := notional.Div(decimal.NewFromInt(lever)).Round(8)
	margin := ""
	if p.mgnMode == "isolated" {
		margin = imr.String()
	}
	return map[string]any{"adl": "1", "availPos": pos.Round(8).String(), "avgPx": p.avgPx.String(), "cTime": ms(p.created), "ccy": m.quote,
		"imr": imr.String(), "instId": m.id, "instType": "MARGIN", "last": m.price(mark), "lever": itoa(lever), "liqPx": "",
		"markPx": m.price(mark), "mgnMode": p.mgnMode, "mgnRatio": "", "mmr": imr.Div(decimal.NewFromInt(10)).Round(8).String(),
		"notionalUsd": notional.Round(8).String(), "pos": pos.Round(8).String(), "posCcy": posCcy, "posId": itoa(m.code*1000 + 9),
		"posSide": "net", "realizedPnl": p.realized.String(), "tradeId": itoa(p.tradeID), "uTime": ms(p.updated), "upl": upl.Round(8).String(),
		"uplRatio": "0", "fee": "0", "fundingFee": "0", "margin": margin, "pnl": p.realized.String(), "bePx": p.avgPx.String(),
		"idxPx": m.price(mark), "liab": liab.Round(8).String(), "liabCcy": liabCcy, "interest": "0", "optVal": "", "usdPx": "",
		"deltaBS": "", "deltaPA": "", "gammaBS": "", "gammaPA": "", "thetaBS": "", "thetaPA": "", "vegaBS": "", "vegaPA": "",
		"closeOrderAlgo": []any{}, "bizRefId": "", "bizRefType": "", "baseBal": "", "baseBorrowed": "", "baseInterest": "", "quoteBal": "",
		"quoteBorrowed": "", "quoteInterest": "", "liqPenalty": "0", "pendingCloseOrdLiabVal": "", "spotInUseAmt": "", "spotInUseCcy": "",
		"uplLastPx": upl.Round(8).String(), "uplRatioLastPx": "0"}
}

// positionType is the instType of m's positions: MARGIN for a spot
// instrument.
func (m *market) positionType() string {
	if !m.contract() {
		return "MARGIN"
	}
	return m.instType
}
