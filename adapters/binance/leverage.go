package binance

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/rest"
	"github.com/unifex-go/unifex/unified"
)

// restLeverage is a symbol's leverage: an item of USDⓈ-M GET
// /fapi/v1/symbolConfig (marginType CROSSED or ISOLATED, leverage a
// number) or a position of COIN-M GET /dapi/v1/account (isolated a
// boolean, positionSide BOTH, LONG or SHORT, leverage a string).
type restLeverage struct {
	Symbol       string  `json:"symbol"`
	Leverage     flexInt `json:"leverage"`
	MarginType   string  `json:"marginType"`
	Isolated     *bool   `json:"isolated"`
	PositionSide string  `json:"positionSide"`
}

// FetchLeverage returns the initial leverage of a futures symbol. USDⓈ-M
// asks GET /fapi/v1/symbolConfig for the symbol (the documented place
// since /fapi/v3/positionRisk dropped leverage and marginType; CCXT asks
// it too); COIN-M has no symbolConfig and reads the symbol's positions in
// GET /dapi/v1/account, as CCXT does, which lists every symbol, flat or
// not, with its leverage and isolated flag. A row of positionSide BOTH
// (one-way mode) or without one gives both sides, LONG and SHORT their
// own. Spot has no leverage: NotSupported. Params go to the query.
func (x *Exchange) FetchLeverage(ctx context.Context, symbol string, opts ...exchange.Option) (*unified.Leverage, error) {
	if x.p.kind == spot {
		return nil, x.notSupported("spot has no leverage")
	}
	m, err := x.market(ctx, symbol)
	if err != nil {
		return nil, err
	}
	if x.p.kind == usdm {
		p := symbolParam(m)
		if err := p.AddExtra(exchange.Apply(opts).Params, "timestamp", "signature"); err != nil {
			return nil, err
		}
		var rows []restLeverage
		if err := x.REST().DoJSON(ctx, fapiGetSymbolConfig, p, &rows); err != nil {
			return nil, err
		}
		return parseLeverage(m, rows, x.Config().KeepInfo)
	}
	var p rest.Params
	if err := p.AddExtra(exchange.Apply(opts).Params, "timestamp", "signature"); err != nil {
		return nil, err
	}
	var account struct {
		Positions []json.RawMessage `json:"positions"`
	}
	if err := x.REST().DoJSON(ctx, dapiGetAccount, p, &account); err != nil {
		return nil, err
	}
	var rows []restLeverage
	for _, raw := range account.Positions {
		var r restLeverage
		if err := json.Unmarshal(raw, &r); err != nil {
			return nil, errors.Wrap(errors.BadResponse, err, "binance: malformed position in the account")
		}
		if r.Symbol == m.ID {
			rows = append(rows, r)
		}
	}
	return parseLeverage(m, rows, x.Config().KeepInfo)
}

// parseLeverage reads the leverage of market m from its rows (rows of
// other symbols are skipped). None of m's, a leverage below 1, a margin
// type or position side Binance does not have is BadResponse.
func parseLeverage(m *unified.Market, rows []restLeverage, keepInfo bool) (*unified.Leverage, error) {
	l := &unified.Leverage{Symbol: m.Symbol}
	var mine []restLeverage
	for _, r := range rows {
		if r.Symbol != m.ID {
			continue
		}
		mine = append(mine, r)
		if r.Leverage < 1 {
			return nil, errors.Newf(errors.BadResponse, "binance: leverage "+strconv.FormatInt(int64(r.Leverage), 10)+" of "+m.ID)
		}
		switch {
		case r.MarginType == "CROSSED" || r.MarginType == "cross":
			l.MarginMode = unified.MarginModeCross
		case r.MarginType == "ISOLATED" || r.MarginType == "isolated":
			l.MarginMode = unified.MarginModeIsolated
		case r.MarginType != "":
			return nil, errors.Newf(errors.BadResponse, "binance: marginType "+strconv.Quote(r.MarginType)+" of "+m.ID)
		case r.Isolated != nil && *r.Isolated:
			l.MarginMode = unified.MarginModeIsolated
		case r.Isolated != nil:
			l.MarginMode = unified.MarginModeCross
		}
		lev := decimal.NewNullDecimal(decimal.NewFromInt(int64(r.Leverage)))
		switch r.PositionSide {
		case "", "BOTH":
			l.LongLeverage, l.ShortLeverage = lev, lev
		case "LONG":
			l.LongLeverage = lev
		case "SHORT":
			l.ShortLeverage = lev
		default:
			return nil, errors.Newf(errors.BadResponse, "binance: positionSide "+strconv.Quote(r.PositionSide)+" of "+m.ID)
		}
	}
	if len(mine) == 0 {
		return nil, errors.Newf(errors.BadResponse, "binance: no leverage of "+m.ID+" in the reply")
	}
	if keepInfo {
		l.Info = mine
	}
	return l, nil
}
