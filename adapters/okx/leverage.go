package okx

import (
	"context"
	"strconv"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/rest"
	"github.com/unifex-go/unifex/unified"
)

// epLeverageInfo is GET account/leverage-info: the leverage of an
// instrument (or of a currency's cross margin) in one margin mode.
var epLeverageInfo = rest.Endpoint{API: "v5", Path: "/account/leverage-info", Signed: true}

// restLeverage is one row of account/leverage-info: one per instrument in
// net mode, one per side (posSide long, short) in long/short mode.
type restLeverage struct {
	InstID  string `json:"instId"`
	Ccy     string `json:"ccy"`
	MgnMode string `json:"mgnMode"`
	PosSide string `json:"posSide"`
	Lever   string `json:"lever"`
}

// FetchLeverage returns the leverage of a contract or of a spot market's
// margin trading (GET account/leverage-info with the instId) in cross
// margin, or Params{"marginMode": "isolated"}, as CCXT asks. In
// long/short position mode OKX answers a row per side, and the long and
// short leverages may differ; in net mode one row gives both. OKX's
// leverage may have decimals (CCXT reads it as an integer; here it is
// kept exact). A spot market without margin trading is BadSymbol. Other
// Params go to the query as OKX fields.
func (x *Exchange) FetchLeverage(ctx context.Context, symbol string, opts ...exchange.Option) (*unified.Leverage, error) {
	mode, extra, err := takeString(exchange.Apply(opts).Params, "marginMode")
	if err != nil {
		return nil, err
	}
	if mode == "" {
		mode = string(unified.MarginModeCross)
	}
	if !unified.MarginMode(mode).Valid() {
		return nil, errors.Newf(errors.BadRequest, "okx: marginMode "+strconv.Quote(mode)+" is not cross or isolated")
	}
	m, err := x.market(ctx, symbol)
	if err != nil {
		return nil, err
	}
	if !m.Contract && !m.Margin {
		return nil, &errors.Error{Kind: errors.BadSymbol, Exchange: ID, Message: symbol + " is neither a contract nor a margin market"}
	}
	var p rest.Params
	p.Add("instId", m.ID)
	p.Add("mgnMode", mode)
	if err := p.AddExtra(extra); err != nil {
		return nil, err
	}
	rows, err := get[restLeverage](ctx, x, epLeverageInfo, p)
	if err != nil {
		return nil, err
	}
	return parseLeverage(m, rows, x.Config().KeepInfo)
}

// parseLeverage reads the rows of account/leverage-info for market m: a
// net row (posSide net or empty) sets both sides, a long or short row
// its own. Every row must name m's instrument, one margin mode and a
// positive leverage.
func parseLeverage(m *unified.Market, rows []restLeverage, keepInfo bool) (*unified.Leverage, error) {
	if len(rows) == 0 {
		return nil, errors.Newf(errors.BadResponse, "okx: leverage-info of "+m.ID+" answered no rows")
	}
	l := &unified.Leverage{Symbol: m.Symbol, MarginMode: unified.MarginMode(rows[0].MgnMode)}
	if !l.MarginMode.Valid() {
		return nil, errors.Newf(errors.BadResponse, "okx: leverage-info mgnMode "+strconv.Quote(rows[0].MgnMode))
	}
	for i := range rows {
		r := &rows[i]
		if r.InstID != m.ID {
			return nil, errors.Newf(errors.BadResponse, "okx: leverage-info of "+m.ID+" answered instId "+strconv.Quote(r.InstID))
		}
		if r.MgnMode != string(l.MarginMode) {
			return nil, errors.Newf(errors.BadResponse, "okx: leverage-info rows of two margin modes")
		}
		var ds decimals
		lever := ds.parse(r.Lever)
		if ds.err != nil || !lever.Valid || !lever.Decimal.IsPositive() {
			return nil, errors.Newf(errors.BadResponse, "okx: leverage-info lever "+strconv.Quote(r.Lever))
		}
		switch r.PosSide {
		case "long":
			l.LongLeverage = lever
		case "short":
			l.ShortLeverage = lever
		case "net", "":
			l.LongLeverage, l.ShortLeverage = lever, lever
		default:
			return nil, errors.Newf(errors.BadResponse, "okx: leverage-info posSide "+strconv.Quote(r.PosSide))
		}
	}
	if keepInfo {
		l.Info = rows
	}
	return l, nil
}
