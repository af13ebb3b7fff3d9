package venue

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/unifex-go/unifex/internal/fakeserver"
)

// batch is what one change of the venue has to publish on the private
// channels; the public ones are kept by each book.
type batch struct {
	orders             []*order
	fills              []ownFill
	balance, positions bool
}

// flushLocked publishes everything the last change did.
func (v *Venue) flushLocked() {
	now := v.now()
	for _, b := range v.markets {
		v.publishBookLocked(b, now)
	}
	out := &v.out
	if subs := v.subs["orders"]; len(subs) > 0 && len(out.orders) > 0 {
		seen := map[*order]bool{}
		var data []wireOrder
		for i := len(out.orders) - 1; i >= 0; i-- { // the last state of each, in the order they changed
			if o := out.orders[i]; !seen[o] {
				seen[o] = true
				data = append(data, o.wire())
			}
		}
		for i, j := 0, len(data)-1; i < j; i, j = i+1, j-1 {
			data[i], data[j] = data[j], data[i]
		}
		v.sendJSON(subs, push{"orders", data})
	}
	if subs := v.subs["fills"]; len(subs) > 0 && len(out.fills) > 0 {
		data := make([]wireFill, len(out.fills))
		for i, f := range out.fills {
			data[i] = f.wire()
		}
		v.sendJSON(subs, push{"fills", data})
	}
	if subs := v.subs["balance"]; len(subs) > 0 && out.balance {
		v.sendJSON(subs, push{"balance", v.balanceLocked(now)})
	}
	if subs := v.subs["positions"]; len(subs) > 0 && out.positions {
		v.sendJSON(subs, push{"positions", v.positionsLocked()})
	}
	*out = batch{orders: out.orders[:0], fills: out.fills[:0]}
}

// push is a message on a channel.
type push struct {
	Ch   string `json:"ch"`
	Data any    `json:"data"`
}

// sendJSON sends v as JSON to every subscriber.
func (v *Venue) sendJSON(subs map[*fakeserver.Conn]bool, msg any) {
	frame, err := json.Marshal(msg)
	if err != nil {
		panic("venue: unencodable message: " + err.Error()) // our own types: a bug
	}
	sendAll(subs, frame)
}

func (o *order) wire() wireOrder {
	m := o.b.m
	side, typ := "sell", "limit"
	if o.buy {
		side = "buy"
	}
	if o.market {
		typ = "market"
	}
	w := wireOrder{ID: o.id, ClientID: o.clientID, Market: m.ID, Side: side, Type: typ, TIF: o.tif, PostOnly: o.postOnly,
		ReduceOnly: o.reduceOnly, Amount: m.amount(o.lots).String(), Filled: m.amount(o.filled).String(),
		Cost: o.cost.String(), Fee: o.fee.String(), FeeAsset: feeAssetOf(m), Status: o.status,
		Created: o.created.UnixMilli(), Updated: o.updated.UnixMilli()}
	if !o.market {
		w.Price = string(appendFixed(nil, o.price, m.PriceDecimals))
	}
	return w
}

func (f ownFill) wire() wireFill {
	m := f.o.b.m
	side, liquidity := "sell", "taker"
	if f.o.buy {
		side = "buy"
	}
	if f.maker {
		liquidity = "maker"
	}
	return wireFill{ID: f.id, OrderID: f.o.id, Market: m.ID, Side: side, Price: string(appendFixed(nil, f.price, m.PriceDecimals)),
		Amount: string(appendFixed(nil, f.lots, m.AmountDecimals)), Fee: f.fee.String(), FeeAsset: feeAssetOf(m),
		Liquidity: liquidity, TS: f.ts.UnixMilli()}
}

// balanceLocked is the account's balance now.
func (v *Venue) balanceLocked(now time.Time) wireBalance {
	a := &v.acct
	w := wireBalance{TS: now.UnixMilli()}
	for _, code := range a.sortedAssets() {
		used := a.used(code)
		w.Balances = append(w.Balances, wireAsset{Asset: code, Free: a.totals[code].Sub(used).String(), Locked: used.String()})
	}
	return w
}

// positionsLocked lists the perpetual positions, open or not.
func (v *Venue) positionsLocked() []wirePosition {
	out := []wirePosition{}
	for _, b := range v.markets {
		p := v.acct.positions[b]
		if !b.m.Perpetual || p == nil {
			continue
		}
		m := b.m
		mark := m.price(b.mid())
		size := m.amount(p.lots)
		out = append(out, wirePosition{Market: m.ID, Size: size.String(), Entry: p.entry.String(), Mark: mark.String(),
			Leverage: v.acct.leverageOf(b), Margin: v.acct.margin(b, p).String(),
			Unrealized: mark.Sub(p.entry).Mul(size).String(), Realized: p.realized.String(), Updated: p.updated.UnixMilli()})
	}
	return out
}

// fundingOf is the perpetual's funding.
func (v *Venue) fundingOf(b *book, now time.Time) wireFunding {
	m := b.m
	w := wireFunding{Market: m.ID, TS: now.UnixMilli(), Rate: b.fundingRate().String(), FundingTime: b.nextFunding.UnixMilli(),
		Mark: m.price(b.mid()).String(), Index: m.price(b.fair).String(), Interval: interval(v.cfg.FundingInterval)}
	if !b.prevFunding.IsZero() {
		w.PrevRate, w.PrevTime = b.prevRate.String(), b.prevFunding.UnixMilli()
	}
	return w
}

// interval is a funding period as venues write it: "8h", "30m".
func interval(d time.Duration) string {
	if d%time.Hour == 0 {
		return strconv.FormatInt(int64(d/time.Hour), 10) + "h"
	}
	return strconv.FormatInt(int64(d/time.Minute), 10) + "m"
}
