package okx

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/markets"
	"github.com/unifex-go/unifex/unified"
)

// This file turns OKX's account replies into unified structures: orders
// (GET trade/order, orders-pending, orders-history and the orders
// channel, which adds the fields of the fill it reports), the account's
// fills (GET trade/fills), balances (GET account/balance and the account
// channel) and positions (GET account/positions and the positions
// channel). OKX writes every number as a decimal string, "" when absent,
// and every time as milliseconds in a string.

// restOrder is an order as OKX writes it.
type restOrder struct {
	InstType     string `json:"instType"`
	InstID       string `json:"instId"`
	OrdID        string `json:"ordId"`
	ClOrdID      string `json:"clOrdId"`
	Px           string `json:"px"`
	Sz           string `json:"sz"`
	OrdType      string `json:"ordType"`
	Side         string `json:"side"`
	PosSide      string `json:"posSide"`
	TdMode       string `json:"tdMode"`
	TgtCcy       string `json:"tgtCcy"`
	State        string `json:"state"`
	AccFillSz    string `json:"accFillSz"`
	AvgPx        string `json:"avgPx"`
	Fee          string `json:"fee"` // cumulative, negative when charged
	FeeCcy       string `json:"feeCcy"`
	ReduceOnly   string `json:"reduceOnly"`
	SlTriggerPx  string `json:"slTriggerPx"`
	TpTriggerPx  string `json:"tpTriggerPx"`
	CTime        string `json:"cTime"`
	UTime        string `json:"uTime"`
	FillTime     string `json:"fillTime"`
	CancelSource string `json:"cancelSource"`
	// The fill an orders-channel push reports (also the last fill in REST
	// replies, without its fee).
	TradeID    string `json:"tradeId"`
	FillPx     string `json:"fillPx"`
	FillSz     string `json:"fillSz"`
	FillFee    string `json:"fillFee"`
	FillFeeCcy string `json:"fillFeeCcy"`
	ExecType   string `json:"execType"`
	// Amend outcomes on the orders channel.
	AmendResult string `json:"amendResult"`
	ReqID       string `json:"reqId"`
}

// orderTypes maps OKX's ordType to the unified type and time in force.
var orderTypes = map[string]struct {
	typ unified.OrderType
	tif unified.TimeInForce
}{
	"market":            {unified.OrderTypeMarket, ""},
	"optimal_limit_ioc": {unified.OrderTypeMarket, unified.TIFIOC}, // a market order bounded by the best price
	"limit":             {unified.OrderTypeLimit, unified.TIFGTC},
	"post_only":         {unified.OrderTypeLimit, unified.TIFPO},
	"fok":               {unified.OrderTypeLimit, unified.TIFFOK},
	"ioc":               {unified.OrderTypeLimit, unified.TIFIOC},
	"mmp":               {unified.OrderTypeLimit, unified.TIFIOC},
	"mmp_and_post_only": {unified.OrderTypeLimit, unified.TIFPO},
}

// orderStatus maps OKX's state.
func orderStatus(state string) unified.OrderStatus {
	switch state {
	case "live", "partially_filled":
		return unified.StatusOpen
	case "filled":
		return unified.StatusClosed
	case "canceled", "mmp_canceled":
		return unified.StatusCanceled
	}
	return ""
}

// sideOf reads OKX's side.
func sideOf(s string) (unified.Side, bool) {
	switch s {
	case "buy":
		return unified.SideBuy, true
	case "sell":
		return unified.SideSell, true
	}
	return "", false
}

// quoteSized reports whether r's sz is in quote currency: a spot market
// buy without tgtCcy=base_ccy (quote is OKX's default for those).
func (r *restOrder) quoteSized() bool {
	return r.InstType == TypeSpot && r.OrdType == "market" && r.Side == "buy" && r.TgtCcy != "base_ccy"
}

// time reads a millisecond time; "" and "0" are zero.
func (ds *decimals) time(s string) time.Time {
	if ms := ds.millis(s); ms > 0 {
		return time.UnixMilli(ms).UTC()
	}
	return time.Time{}
}

// fee turns an OKX fee (negative when charged, positive for a rebate)
// into a unified one (positive when charged).
func (ds *decimals) fee(amount, ccy string) unified.Fee {
	cost := ds.parse(amount)
	if !cost.Valid {
		return unified.Fee{}
	}
	cost.Decimal = cost.Decimal.Neg()
	return unified.Fee{Currency: codes.Common(ccy), Cost: cost}
}

// parseOrder makes the unified order of r on market m (nil: looked up by
// instId in snap).
func parseOrder(snap *markets.Snapshot, m *unified.Market, r *restOrder, keepInfo bool) (unified.Order, error) {
	m, err := orderMarket(snap, m, r.InstID)
	if err != nil {
		return unified.Order{}, err
	}
	side, ok := sideOf(r.Side)
	if !ok {
		return unified.Order{}, errors.Newf(errors.BadResponse, "okx: order "+r.OrdID+" with side "+quoteText(r.Side))
	}
	if r.OrdID == "" {
		return unified.Order{}, errors.Newf(errors.BadResponse, "okx: an order without ordId")
	}
	var ds decimals
	o := unified.Order{ID: r.OrdID, ClientOrderID: r.ClOrdID, Symbol: m.Symbol, Side: side, Status: orderStatus(r.State),
		Timestamp: ds.time(r.CTime), LastUpdateTimestamp: ds.time(r.UTime), LastTradeTimestamp: ds.time(r.FillTime),
		Price: ds.positive(r.Px), Average: ds.positive(r.AvgPx), Filled: ds.parse(r.AccFillSz),
		StopLossPrice: ds.positive(r.SlTriggerPx), TakeProfitPrice: ds.positive(r.TpTriggerPx)}
	if t, ok := orderTypes[r.OrdType]; ok {
		o.Type, o.TimeInForce = t.typ, t.tif
		postOnly := t.tif == unified.TIFPO
		o.PostOnly = &postOnly
	} else {
		o.Type = unified.OrderType(r.OrdType) // kept as sent, as CCXT does
	}
	if !r.quoteSized() {
		o.Amount = ds.parse(r.Sz)
	}
	switch r.ReduceOnly {
	case "true", "false":
		reduce := r.ReduceOnly == "true"
		o.ReduceOnly = &reduce
	}
	if fee := ds.fee(r.Fee, r.FeeCcy); fee.Cost.Valid && r.FeeCcy != "" {
		o.Fee = fee
	}
	if ds.err != nil {
		return unified.Order{}, errors.Wrap(errors.BadResponse, ds.err, "okx: order "+r.OrdID)
	}
	if keepInfo {
		o.Info = *r
	}
	o.Complete(m)
	return o, nil
}

// orderMarket resolves the market of a reply: m when known, else instId
// in snap.
func orderMarket(snap *markets.Snapshot, m *unified.Market, instID string) (*unified.Market, error) {
	if m != nil {
		if instID != "" && instID != m.ID {
			return nil, errors.Newf(errors.BadResponse, "okx: a reply for "+instID+" to a request for "+m.ID)
		}
		return m, nil
	}
	if snap == nil {
		return nil, errors.Newf(errors.BadResponse, "okx: a reply for "+instID+" with no markets loaded")
	}
	return snap.MarketByID(instID, "")
}

// restFill is an execution of the account as GET trade/fills writes it.
type restFill struct {
	InstType string `json:"instType"`
	InstID   string `json:"instId"`
	TradeID  string `json:"tradeId"`
	OrdID    string `json:"ordId"`
	ClOrdID  string `json:"clOrdId"`
	BillID   string `json:"billId"`
	Side     string `json:"side"`
	FillPx   string `json:"fillPx"`
	FillSz   string `json:"fillSz"`
	Fee      string `json:"fee"`
	FeeCcy   string `json:"feeCcy"`
	ExecType string `json:"execType"`
	FillTime string `json:"fillTime"`
	Ts       string `json:"ts"`
}

// parseFill makes the unified trade of f. CCXT reads ts (the time of the
// record) as the trade's time; fillTime, when given, is the execution
// itself and wins.
func parseFill(snap *markets.Snapshot, m *unified.Market, f *restFill, keepInfo bool) (unified.Trade, error) {
	m, err := orderMarket(snap, m, f.InstID)
	if err != nil {
		return unified.Trade{}, err
	}
	side, ok := sideOf(f.Side)
	if !ok {
		return unified.Trade{}, errors.Newf(errors.BadResponse, "okx: fill "+f.TradeID+" with side "+quoteText(f.Side))
	}
	var ds decimals
	tr := unified.Trade{ID: f.TradeID, Order: f.OrdID, Symbol: m.Symbol, Side: side, TakerOrMaker: liquidity(f.ExecType),
		Timestamp: ds.time(f.Ts), Price: ds.parse(f.FillPx), Amount: ds.parse(f.FillSz), Fee: ds.fee(f.Fee, f.FeeCcy)}
	if ds.err != nil {
		return unified.Trade{}, errors.Wrap(errors.BadResponse, ds.err, "okx: fill "+f.TradeID)
	}
	if keepInfo {
		tr.Info = *f
	}
	tr.Complete(m)
	return tr, nil
}

// liquidity reads execType: T taker, M maker.
func liquidity(execType string) unified.Liquidity {
	switch execType {
	case "T":
		return unified.LiquidityTaker
	case "M":
		return unified.LiquidityMaker
	}
	return ""
}

// fillOf is the fill an orders-channel push reports, if any.
func fillOf(r *restOrder) (restFill, bool) {
	if r.TradeID == "" || r.FillSz == "" || r.FillSz == "0" {
		return restFill{}, false
	}
	return restFill{InstType: r.InstType, InstID: r.InstID, TradeID: r.TradeID, OrdID: r.OrdID, ClOrdID: r.ClOrdID,
		Side: r.Side, FillPx: r.FillPx, FillSz: r.FillSz, Fee: r.FillFee, FeeCcy: r.FillFeeCcy, ExecType: r.ExecType,
		Ts: r.FillTime}, true
}

// restAccount is the account summary of GET account/balance and the
// account channel.
type restAccount struct {
	UTime   string          `json:"uTime"`
	Details []restCcyDetail `json:"details"`
}

// restCcyDetail is one currency of an account summary.
type restCcyDetail struct {
	Ccy      string `json:"ccy"`
	Eq       string `json:"eq"`
	CashBal  string `json:"cashBal"`
	AvailBal string `json:"availBal"`
	AvailEq  string `json:"availEq"`
	Liab     string `json:"liab"`
	UTime    string `json:"uTime"`
}

// parseBalances makes the unified balances of the account summaries:
// free is availBal (availEq where no availBal is given), total eq (the
// currency's equity, unrealised profit included) and used the difference,
// as CCXT reads them; debt is liab. frozenBal is not used: it counts
// margin that other currencies' equity may back, and can exceed eq.
func parseBalances(accts []restAccount, keepInfo bool) (*unified.Balances, error) {
	out := &unified.Balances{Currencies: map[string]unified.Balance{}}
	var ds decimals
	for _, a := range accts {
		if t := ds.time(a.UTime); t.After(out.Timestamp) {
			out.Timestamp = t
		}
		for _, d := range a.Details {
			if d.Ccy == "" {
				return nil, errors.Newf(errors.BadResponse, "okx: a balance without ccy")
			}
			free := ds.parse(d.AvailBal)
			if !free.Valid {
				free = ds.parse(d.AvailEq)
			}
			b := unified.Balance{Free: free, Total: ds.parse(d.Eq), Debt: ds.parse(d.Liab)}
			if !b.Total.Valid {
				b.Total = ds.parse(d.CashBal)
			}
			out.Currencies[codes.Common(d.Ccy)] = b
		}
	}
	if ds.err != nil {
		return nil, errors.Wrap(errors.BadResponse, ds.err, "okx: balances")
	}
	if keepInfo {
		out.Info = accts
	}
	out.Complete()
	return out, nil
}

// restPosition is a position as GET account/positions and the positions
// channel write it.
type restPosition struct {
	InstType    string `json:"instType"`
	InstID      string `json:"instId"`
	PosID       string `json:"posId"`
	PosSide     string `json:"posSide"` // net, long, short
	Pos         string `json:"pos"`     // contracts; signed in net mode; MARGIN: in posCcy
	PosCcy      string `json:"posCcy"`  // MARGIN: the base currency when long, the quote when short
	AvgPx       string `json:"avgPx"`
	MarkPx      string `json:"markPx"`
	Last        string `json:"last"`
	NotionalUsd string `json:"notionalUsd"`
	Lever       string `json:"lever"`
	LiqPx       string `json:"liqPx"`
	Upl         string `json:"upl"`
	UplRatio    string `json:"uplRatio"`
	RealizedPnl string `json:"realizedPnl"`
	Imr         string `json:"imr"`
	Mmr         string `json:"mmr"`
	Margin      string `json:"margin"`
	MgnMode     string `json:"mgnMode"`
	MgnRatio    string `json:"mgnRatio"`
	// A margin position's borrowing, kept in Info: unified has no field.
	Liab     string `json:"liab"`
	LiabCcy  string `json:"liabCcy"`
	Interest string `json:"interest"`
	CTime    string `json:"cTime"`
	UTime    string `json:"uTime"`
}

// parsePosition makes the unified position of r: contracts are |pos|,
// the side is posSide in hedge (long/short) mode and the sign of pos in
// net mode. A margin position (instType MARGIN) is on the spot market of
// its instId, with no contract size; its side is long when posCcy is the
// base currency and short when it is the quote currency, and its pos is
// in posCcy (so a short's contracts are an amount of quote currency), as
// CCXT reads it. Its liabilities and interest (liab, liabCcy, interest)
// have no unified field (Info keeps them). Initial margin and collateral are imr (cross) or margin
// (isolated); the margin ratio is mmr / collateral and the margin
// percentages are over the notional, truncated to 4 places as CCXT does;
// the percentage is uplRatio × 100.
func parsePosition(snap *markets.Snapshot, r *restPosition, keepInfo bool) (unified.Position, bool, error) {
	m, err := orderMarket(snap, nil, r.InstID)
	if err != nil {
		return unified.Position{}, false, err
	}
	var ds decimals
	pos := ds.parse(r.Pos)
	p := unified.Position{ID: r.PosID, Symbol: m.Symbol, Timestamp: ds.time(r.UTime), LastUpdateTimestamp: ds.time(r.UTime),
		ContractSize: m.ContractSize, EntryPrice: ds.positive(r.AvgPx), MarkPrice: ds.positive(r.MarkPx),
		LastPrice: ds.positive(r.Last), Notional: ds.parse(r.NotionalUsd), Leverage: ds.positive(r.Lever),
		LiquidationPrice: ds.positive(r.LiqPx), UnrealizedPnl: ds.parse(r.Upl), RealizedPnl: ds.parse(r.RealizedPnl),
		MaintenanceMargin: ds.parse(r.Mmr)}
	hedged := r.PosSide == "long" || r.PosSide == "short"
	p.Hedged = &hedged
	switch {
	case r.PosSide == "long":
		p.Side = unified.PositionLong
	case r.PosSide == "short":
		p.Side = unified.PositionShort
	case r.PosCcy != "" && r.PosCcy == m.BaseID:
		p.Side = unified.PositionLong
	case r.PosCcy != "":
		p.Side = unified.PositionShort
	case pos.Valid && pos.Decimal.IsNegative():
		p.Side = unified.PositionShort
	case pos.Valid && pos.Decimal.IsPositive():
		p.Side = unified.PositionLong
	}
	if pos.Valid {
		p.Contracts = decimal.NewNullDecimal(pos.Decimal.Abs())
	}
	switch r.MgnMode {
	case "cross":
		p.MarginMode = unified.MarginModeCross
		p.InitialMargin = ds.parse(r.Imr)
	case "isolated":
		p.MarginMode = unified.MarginModeIsolated
		p.InitialMargin = ds.parse(r.Margin)
	}
	p.Collateral = p.InitialMargin
	if p.MaintenanceMargin.Valid && p.Collateral.Valid && p.Collateral.Decimal.IsPositive() {
		p.MarginRatio = decimal.NewNullDecimal(p.MaintenanceMargin.Decimal.DivRound(p.Collateral.Decimal, 16).Truncate(4))
	}
	if ratio := ds.parse(r.UplRatio); ratio.Valid {
		p.Percentage = decimal.NewNullDecimal(ratio.Decimal.Shift(2))
	}
	if p.InitialMargin.Valid && p.Notional.Valid && p.Notional.Decimal.IsPositive() {
		p.InitialMarginPercentage = decimal.NewNullDecimal(p.InitialMargin.Decimal.DivRound(p.Notional.Decimal, 16).Truncate(4))
	}
	if p.MaintenanceMargin.Valid && p.Notional.Valid && p.Notional.Decimal.IsPositive() {
		p.MaintenanceMarginPercentage = decimal.NewNullDecimal(p.MaintenanceMargin.Decimal.DivRound(p.Notional.Decimal, 16).Truncate(4))
	}
	if ds.err != nil {
		return unified.Position{}, false, errors.Wrap(errors.BadResponse, ds.err, "okx: position "+r.InstID)
	}
	if keepInfo {
		p.Info = *r
	}
	return p, pos.Valid && !pos.Decimal.IsZero(), nil
}

// quoteText quotes s for an error message.
func quoteText(s string) string { return `"` + s + `"` }
