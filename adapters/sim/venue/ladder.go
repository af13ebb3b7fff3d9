package venue

import "sort"

// resting is an order resting in a book: a crowd order, or the account's
// (own is set).
type resting struct {
	lots int64  // remaining
	own  *order // nil for the simulated crowd
}

// level is one price of one side with its queue, oldest first.
type level struct {
	price  int64
	total  int64
	orders []*resting
}

// ladder is one side of a book, best price first.
type ladder struct {
	bids   bool
	levels []*level
}

// better reports whether price a is better than b on this side.
func (l *ladder) better(a, b int64) bool {
	if l.bids {
		return a > b
	}
	return a < b
}

// find returns the index where price is or would be inserted.
func (l *ladder) find(price int64) int {
	return sort.Search(len(l.levels), func(i int) bool { return !l.better(l.levels[i].price, price) })
}

// best returns the best level, nil when the side is empty.
func (l *ladder) best() *level {
	if len(l.levels) == 0 {
		return nil
	}
	return l.levels[0]
}

// add queues r at price, creating the level if needed.
func (l *ladder) add(price int64, r *resting) {
	i := l.find(price)
	if i == len(l.levels) || l.levels[i].price != price {
		l.levels = append(l.levels, nil)
		copy(l.levels[i+1:], l.levels[i:])
		l.levels[i] = &level{price: price}
	}
	lv := l.levels[i]
	lv.orders = append(lv.orders, r)
	lv.total += r.lots
}

// remove takes r out of its level at price; it reports whether r was there.
func (l *ladder) remove(price int64, r *resting) bool {
	i := l.find(price)
	if i == len(l.levels) || l.levels[i].price != price {
		return false
	}
	lv := l.levels[i]
	for j, o := range lv.orders {
		if o == r {
			lv.orders = append(lv.orders[:j], lv.orders[j+1:]...)
			lv.total -= r.lots
			if len(lv.orders) == 0 {
				l.levels = append(l.levels[:i], l.levels[i+1:]...)
			}
			return true
		}
	}
	return false
}

// reduce takes lots off r, resting at price (lots <= r.lots).
func (l *ladder) reduce(price int64, r *resting, lots int64) {
	if lots >= r.lots {
		l.remove(price, r)
		return
	}
	i := l.find(price)
	l.levels[i].total -= lots
	r.lots -= lots
}

// dropEmptyHead removes the best level when its queue is empty.
func (l *ladder) dropEmptyHead() {
	if len(l.levels) > 0 && len(l.levels[0].orders) == 0 {
		l.levels = l.levels[1:]
	}
}

// total returns the amount resting at price, 0 when none.
func (l *ladder) total(price int64) int64 {
	i := l.find(price)
	if i < len(l.levels) && l.levels[i].price == price {
		return l.levels[i].total
	}
	return 0
}

// crosses reports whether an order on the other side at price would take
// this side's best level.
func (l *ladder) crosses(price int64) bool {
	b := l.best()
	if b == nil {
		return false
	}
	if l.bids {
		return price <= b.price
	}
	return price >= b.price
}

// fill is one maker order matched by a taker.
type fill struct {
	price int64
	lots  int64
	maker *resting
}

// take matches a taker of lots against this side, best price first, up to
// limit (any price when market); it returns the fills and changes the
// ladder. skip reports makers the taker must not trade with (its own, for
// self-trade prevention): they are passed to onSkip and removed.
func (l *ladder) take(lots, limit int64, market bool, isSelf func(*resting) bool, onSelf func(price int64, r *resting)) []fill {
	var fills []fill
	for lots > 0 && len(l.levels) > 0 {
		lv := l.levels[0]
		if !market && !l.crosses(limit) {
			break
		}
		for lots > 0 && len(lv.orders) > 0 {
			r := lv.orders[0]
			if isSelf != nil && isSelf(r) {
				lv.orders = lv.orders[1:]
				lv.total -= r.lots
				onSelf(lv.price, r)
				continue
			}
			n := min(lots, r.lots)
			fills = append(fills, fill{price: lv.price, lots: n, maker: r})
			lots -= n
			lv.total -= n
			r.lots -= n
			if r.lots == 0 {
				lv.orders = lv.orders[1:]
			}
		}
		l.dropEmptyHead()
	}
	return fills
}

// available is what a taker limited to limit (any price when market) could
// fill against this side, not counting makers isSelf excludes.
func (l *ladder) available(limit int64, market bool, isSelf func(*resting) bool) int64 {
	var n int64
	for _, lv := range l.levels {
		if !market && ((l.bids && limit > lv.price) || (!l.bids && limit < lv.price)) {
			break
		}
		n += lv.total
		for _, r := range lv.orders {
			if isSelf != nil && isSelf(r) {
				n -= r.lots
			}
		}
	}
	return n
}

// levelsTo appends up to depth (0: all) levels as price, total pairs.
func (l *ladder) levelsTo(dst []int64, depth int) []int64 {
	for i, lv := range l.levels {
		if depth > 0 && i == depth {
			break
		}
		dst = append(dst, lv.price, lv.total)
	}
	return dst
}
