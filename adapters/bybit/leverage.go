package bybit

import (
	"context"
	"strconv"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/unified"
)

// restLeverage is what FetchLeverage reads of a /v5/position/list row.
type restLeverage struct {
	Symbol      string `json:"symbol"`
	PositionIdx idx    `json:"positionIdx"` // 0 one-way, 1 buy side, 2 sell side of hedge mode
	TradeMode   idx    `json:"tradeMode"`   // classic accounts: 0 cross, 1 isolated; unified: always 0
	Leverage    string `json:"leverage"`    // "" in portfolio margin mode
}

// FetchLeverage returns the leverage of a linear or inverse contract, as
// CCXT does, from the symbol's rows of GET /v5/position/list (category,
// symbol): with a symbol Bybit answers "regardless of having position or
// not", each row with its leverage. In one-way mode the one row
// (positionIdx 0) gives both sides; in hedge mode the buy side's row
// (positionIdx 1) is the long leverage and the sell side's (2) the short
// one (CCXT reads only the first row). In portfolio margin mode the
// leverage is "" ("leverage rules are invalid"): absent. The margin mode
// is isolated where the row's tradeMode says 1 (classic accounts) and
// otherwise empty: a unified account's tradeMode is always 0 and its
// margin mode is the account's (Get Account Info). Spot and options have
// no leverage here: NotSupported. Params go to the query.
func (x *Exchange) FetchLeverage(ctx context.Context, symbol string, opts ...exchange.Option) (*unified.Leverage, error) {
	m, err := x.market(ctx, symbol)
	if err != nil {
		return nil, err
	}
	if !m.Contract || m.Option {
		return nil, notSupported("only linear and inverse contracts have a leverage: " + symbol)
	}
	var r request
	r.add("category", categoryOf(m))
	r.add("symbol", m.ID)
	if err := r.addParams(exchange.Apply(opts).Params); err != nil {
		return nil, err
	}
	var res struct {
		List []restLeverage `json:"list"`
	}
	if _, err := x.send(ctx, epPositions, &r, &res); err != nil {
		return nil, err
	}
	return parseLeverage(m, res.List, x.Config().KeepInfo)
}

// parseLeverage reads the leverage of market m from its position rows:
// positionIdx 0 sets both sides, 1 the long and 2 the short. Rows of
// other symbols are skipped; none of m's, a leverage that is neither ""
// nor a positive number, another index or tradeMode is BadResponse.
func parseLeverage(m *unified.Market, rows []restLeverage, keepInfo bool) (*unified.Leverage, error) {
	l := &unified.Leverage{Symbol: m.Symbol}
	var mine []restLeverage
	for _, r := range rows {
		if r.Symbol != m.ID {
			continue
		}
		mine = append(mine, r)
		var ds decimals
		lev := ds.parse(r.Leverage)
		if ds.err != nil || lev.Valid && !lev.Decimal.IsPositive() {
			return nil, errors.Newf(errors.BadResponse, "bybit: leverage "+strconv.Quote(r.Leverage)+" of "+m.ID)
		}
		switch r.TradeMode {
		case 0:
		case 1:
			l.MarginMode = unified.MarginModeIsolated
		default:
			return nil, errors.Newf(errors.BadResponse, "bybit: tradeMode "+strconv.FormatInt(int64(r.TradeMode), 10)+" of "+m.ID)
		}
		switch r.PositionIdx {
		case 0:
			l.LongLeverage, l.ShortLeverage = lev, lev
		case 1:
			l.LongLeverage = lev
		case 2:
			l.ShortLeverage = lev
		default:
			return nil, errors.Newf(errors.BadResponse, "bybit: positionIdx "+strconv.FormatInt(int64(r.PositionIdx), 10)+" of "+m.ID)
		}
	}
	if len(mine) == 0 {
		return nil, errors.Newf(errors.BadResponse, "bybit: position/list has no row of "+m.ID)
	}
	if keepInfo {
		l.Info = mine
	}
	return l, nil
}
