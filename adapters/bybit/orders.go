package bybit

import (
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/markets"
	"github.com/unifex-go/unifex/unified"
)

// This file turns the private replies and stream events (orders,
// executions, wallet balances, positions) into unified structures. The
// REST lists (/v5/order/realtime, /v5/order/history, /v5/execution/list,
// /v5/position/list, /v5/account/wallet-balance) and the private topics
// (order, execution, position, wallet) share their item shapes; the stream
// adds category (and writes a position's entry price as entryPrice where
// REST writes avgPrice). Numbers are decimal strings; "" and, for prices
// that are off, "0" mean absent.

// restOrder is an order of the order queries and the order topic.
type restOrder struct {
	Category     string            `json:"category"` // stream only
	Symbol       string            `json:"symbol"`
	OrderID      string            `json:"orderId"`
	OrderLinkID  string            `json:"orderLinkId"`
	Side         string            `json:"side"`
	OrderType    string            `json:"orderType"`
	Price        string            `json:"price"`
	Qty          string            `json:"qty"`
	TimeInForce  string            `json:"timeInForce"`
	OrderStatus  string            `json:"orderStatus"`
	AvgPrice     string            `json:"avgPrice"`
	LeavesQty    string            `json:"leavesQty"`
	CumExecQty   string            `json:"cumExecQty"`
	CumExecValue string            `json:"cumExecValue"`
	CumExecFee   string            `json:"cumExecFee"`
	CumFeeDetail map[string]string `json:"cumFeeDetail"` // coin → fee, where cumExecFee is deprecated
	FeeCurrency  string            `json:"feeCurrency"`
	ReduceOnly   *bool             `json:"reduceOnly"`
	TriggerPrice string            `json:"triggerPrice"`
	TakeProfit   string            `json:"takeProfit"`
	StopLoss     string            `json:"stopLoss"`
	MarketUnit   string            `json:"marketUnit"` // spot market orders: baseCoin or quoteCoin (qty's unit)
	CreatedTime  string            `json:"createdTime"`
	UpdatedTime  string            `json:"updatedTime"`
}

// orderStatuses maps Bybit's orderStatus (enum.mdx): Untriggered is a
// conditional order waiting, Triggered its passage to New; Deactivated a
// conditional or TP/SL order canceled before it triggered, and
// PartiallyFilledCanceled (spot) a canceled order that had traded.
var orderStatuses = map[string]unified.OrderStatus{
	"New":                     unified.StatusOpen,
	"PartiallyFilled":         unified.StatusOpen,
	"Untriggered":             unified.StatusOpen,
	"Triggered":               unified.StatusOpen,
	"Filled":                  unified.StatusClosed,
	"Cancelled":               unified.StatusCanceled,
	"PartiallyFilledCanceled": unified.StatusCanceled,
	"Deactivated":             unified.StatusCanceled,
	"Rejected":                unified.StatusRejected,
}

// unifiedSide reads Buy or Sell.
func unifiedSide(native string) (unified.Side, bool) {
	switch native {
	case "Buy":
		return unified.SideBuy, true
	case "Sell":
		return unified.SideSell, true
	}
	return "", false
}

// millisText reads a millisecond time written as a string ("" or "0":
// absent).
func millisText(s string) (time.Time, error) {
	if s == "" || s == "0" {
		return time.Time{}, nil
	}
	ms, err := strconv.ParseInt(s, 10, 64)
	if err != nil || ms < 0 {
		return time.Time{}, errors.Newf(errors.BadResponse, "malformed time "+strconv.Quote(s))
	}
	return time.UnixMilli(ms).UTC(), nil
}

// feeCoin is the coin a fill of m on side pays its fee in when the venue
// does not say: a spot buy pays in the base coin and a sell in the quote
// coin (CCXT's rule); a contract pays in its settle coin.
func feeCoin(m *unified.Market, side unified.Side) string {
	switch {
	case m.Contract:
		return m.Settle
	case side == unified.SideBuy:
		return m.Base
	}
	return m.Quote
}

// parseOrder turns an order of m into a unified order, completed by
// unified.Order.Complete:
//
//   - a market order's price ("0", or the slippage bound on contracts) is
//     kept when positive, else the average, as CCXT does;
//   - a spot market order sized in the quote coin (marketUnit quoteCoin,
//     Bybit's default for market buys) has that quote amount as qty: its
//     amount in the base coin is what filled once the order is done, and
//     absent before (CCXT reports the quote amount as the amount);
//   - the fee is cumFeeDetail's single coin when given, else cumExecFee
//     in the coin feeCoin names; none before anything traded;
//   - LastTradeTimestamp is updatedTime once something traded (CCXT sets
//     it on unfilled orders too).
func parseOrder(m *unified.Market, r *restOrder, keepInfo bool) (unified.Order, error) {
	var ds decimals
	side, ok := unifiedSide(r.Side)
	if !ok || r.OrderID == "" {
		return unified.Order{}, errors.Newf(errors.BadResponse, "bybit: an order without an id or a side (order "+strconv.Quote(r.OrderID)+")")
	}
	o := unified.Order{ID: r.OrderID, ClientOrderID: r.OrderLinkID, Symbol: m.Symbol, Side: side,
		Status: orderStatuses[r.OrderStatus], ReduceOnly: r.ReduceOnly,
		Filled: ds.parse(r.CumExecQty), Remaining: ds.parse(r.LeavesQty), Cost: ds.parse(r.CumExecValue),
		Average: ds.positive(r.AvgPrice), Price: ds.positive(r.Price), TriggerPrice: ds.positive(r.TriggerPrice),
		TakeProfitPrice: ds.positive(r.TakeProfit), StopLossPrice: ds.positive(r.StopLoss)}
	switch r.OrderType {
	case "Market":
		o.Type = unified.OrderTypeMarket
	case "Limit":
		o.Type = unified.OrderTypeLimit
	case "", "UNKNOWN":
	default:
		o.Type = unified.OrderType(strings.ToLower(r.OrderType))
	}
	switch r.TimeInForce {
	case "PostOnly":
		o.TimeInForce = unified.TIFPO
	case "":
	default:
		o.TimeInForce = unified.TimeInForce(r.TimeInForce)
	}
	postOnly := o.TimeInForce == unified.TIFPO
	o.PostOnly = &postOnly
	if o.Type == unified.OrderTypeMarket && !o.Price.Valid {
		o.Price = o.Average
	}
	qty := ds.parse(r.Qty)
	if r.MarketUnit == "quoteCoin" && o.Type == unified.OrderTypeMarket {
		if o.Status != unified.StatusOpen {
			o.Amount = o.Filled
		}
	} else {
		o.Amount = qty
	}
	var err error
	if o.Timestamp, err = millisText(r.CreatedTime); err != nil {
		return o, err
	}
	if o.LastUpdateTimestamp, err = millisText(r.UpdatedTime); err != nil {
		return o, err
	}
	traded := o.Filled.Valid && o.Filled.Decimal.IsPositive()
	if traded {
		o.LastTradeTimestamp = o.LastUpdateTimestamp
	}
	switch {
	case len(r.CumFeeDetail) == 1:
		for coin, fee := range r.CumFeeDetail {
			o.Fee = unified.Fee{Currency: codes.Common(coin), Cost: ds.parse(fee)}
		}
	case traded && r.CumExecFee != "":
		coin := feeCoin(m, side)
		if r.FeeCurrency != "" {
			coin = codes.Common(r.FeeCurrency)
		}
		o.Fee = unified.Fee{Currency: coin, Cost: ds.parse(r.CumExecFee)}
	}
	if ds.err != nil {
		return unified.Order{}, errors.Wrap(errors.BadResponse, ds.err, "bybit: order "+o.ID)
	}
	o.Complete(m)
	if keepInfo {
		o.Info = *r
	}
	return o, nil
}

// restExecution is one of the account's fills: /v5/execution/list and
// the execution topic.
type restExecution struct {
	Category    string `json:"category"` // stream only
	Symbol      string `json:"symbol"`
	ExecID      string `json:"execId"`
	OrderID     string `json:"orderId"`
	OrderLinkID string `json:"orderLinkId"`
	Side        string `json:"side"`
	OrderType   string `json:"orderType"`
	ExecPrice   string `json:"execPrice"`
	ExecQty     string `json:"execQty"`
	ExecValue   string `json:"execValue"`
	ExecFee     string `json:"execFee"`
	FeeRate     string `json:"feeRate"`
	FeeCurrency string `json:"feeCurrency"`
	ExecType    string `json:"execType"`
	ExecTime    string `json:"execTime"`
	IsMaker     *bool  `json:"isMaker"`
}

// isTrade reports whether the execution is a trade of the account's: a
// Trade, or a trade the venue made for it (block, auto-deleveraging,
// liquidation). Funding fees, deliveries and settlements are no trades
// (CCXT lists them as trades).
func (r *restExecution) isTrade() bool {
	switch r.ExecType {
	case "Trade", "BlockTrade", "AdlTrade", "BustTrade", "":
		return true
	}
	return false
}

// parseExecution turns a fill on m into a unified trade: its cost is
// execValue (the quote value; inverse contracts: in the base coin), its
// fee execFee in feeCurrency where given, else in the coin feeCoin names.
func parseExecution(m *unified.Market, r *restExecution, keepInfo bool) (unified.Trade, error) {
	var ds decimals
	side, ok := unifiedSide(r.Side)
	t := unified.Trade{ID: r.ExecID, Order: r.OrderID, Symbol: m.Symbol, Side: side,
		Price: ds.parse(r.ExecPrice), Amount: ds.parse(r.ExecQty), Cost: ds.parse(r.ExecValue)}
	switch r.OrderType {
	case "Market":
		t.Type = unified.OrderTypeMarket
	case "Limit":
		t.Type = unified.OrderTypeLimit
	}
	if r.IsMaker != nil {
		t.TakerOrMaker = unified.LiquidityTaker
		if *r.IsMaker {
			t.TakerOrMaker = unified.LiquidityMaker
		}
	}
	if r.ExecFee != "" {
		coin := feeCoin(m, side)
		if r.FeeCurrency != "" {
			coin = codes.Common(r.FeeCurrency)
		}
		t.Fee = unified.Fee{Currency: coin, Cost: ds.parse(r.ExecFee), Rate: ds.parse(r.FeeRate)}
	}
	var err error
	t.Timestamp, err = millisText(r.ExecTime)
	if err != nil || ds.err != nil || !ok || r.ExecID == "" || !t.Price.Valid || !t.Amount.Valid {
		return t, errors.Newf(errors.BadResponse, "bybit: malformed execution "+strconv.Quote(r.ExecID)+" of "+m.Symbol)
	}
	t.Complete(m)
	if keepInfo {
		t.Info = *r
	}
	return t, nil
}

// restWallet is one account of /v5/account/wallet-balance and of the
// wallet topic.
type restWallet struct {
	AccountType string       `json:"accountType"`
	Coin        []walletCoin `json:"coin"`
}

// walletCoin is one coin of a wallet.
type walletCoin struct {
	Coin                string `json:"coin"`
	WalletBalance       string `json:"walletBalance"`
	Locked              string `json:"locked"`
	TotalOrderIM        string `json:"totalOrderIM"`
	TotalPositionIM     string `json:"totalPositionIM"`
	BorrowAmount        string `json:"borrowAmount"`
	AvailableToWithdraw string `json:"availableToWithdraw"` // deprecated: "" on unified accounts since 2025
	Free                string `json:"free"`                // deprecated, classic spot
}

// parseWallets reads the unified account's coins as CCXT does: total is
// the wallet balance; used is what the coin holds for open orders (spot
// locked, contract order margin) and positions (position margin); free is
// availableToWithdraw where the venue still fills it, else total − used;
// debt is the borrowed amount. ts is the reply's time.
func parseWallets(ws []restWallet, ts time.Time, keepInfo bool) (*unified.Balances, error) {
	var ds decimals
	b := &unified.Balances{Currencies: map[string]unified.Balance{}, Timestamp: ts}
	for _, w := range ws {
		for _, c := range w.Coin {
			if c.Coin == "" {
				return nil, errors.Newf(errors.BadResponse, "bybit: a wallet coin without its name")
			}
			used := decimal.Zero
			for _, s := range []string{c.Locked, c.TotalOrderIM, c.TotalPositionIM} {
				if v := ds.parse(s); v.Valid {
					used = used.Add(v.Decimal)
				}
			}
			bal := unified.Balance{Total: ds.parse(c.WalletBalance), Used: decimal.NewNullDecimal(used),
				Free: ds.parse(first(c.AvailableToWithdraw, c.Free)), Debt: ds.parse(c.BorrowAmount)}
			if !bal.Total.Valid {
				return nil, errors.Newf(errors.BadResponse, "bybit: wallet coin "+c.Coin+" without a walletBalance")
			}
			bal.Complete()
			b.Currencies[codes.Common(c.Coin)] = bal
		}
	}
	if ds.err != nil {
		return nil, errors.Wrap(errors.BadResponse, ds.err, "bybit: malformed wallet balance")
	}
	if keepInfo {
		b.Info = ws
	}
	return b, nil
}

// restPosition is a position of /v5/position/list and of the position
// topic.
type restPosition struct {
	Category       string `json:"category"` // stream only
	Symbol         string `json:"symbol"`
	Side           string `json:"side"` // Buy, Sell, "" when flat
	Size           string `json:"size"`
	PositionIdx    idx    `json:"positionIdx"` // 0 one-way, 1 and 2 hedge mode
	AvgPrice       string `json:"avgPrice"`    // REST
	EntryPrice     string `json:"entryPrice"`  // stream
	MarkPrice      string `json:"markPrice"`
	PositionValue  string `json:"positionValue"`
	Leverage       string `json:"leverage"`
	UnrealisedPnl  string `json:"unrealisedPnl"`
	CumRealisedPnl string `json:"cumRealisedPnl"`
	LiqPrice       string `json:"liqPrice"`
	PositionIM     string `json:"positionIM"`
	PositionMM     string `json:"positionMM"`
	PositionBal    string `json:"positionBalance"`
	TakeProfit     string `json:"takeProfit"`
	StopLoss       string `json:"stopLoss"`
	CreatedTime    string `json:"createdTime"`
	UpdatedTime    string `json:"updatedTime"`
}

// idx is an integer Bybit writes as a number or (recorded replies) a
// string.
type idx int64

// UnmarshalJSON reads 0 or "0".
func (v *idx) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "null" || s == "" {
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return errors.Wrap(errors.BadResponse, err, "an index that is not an integer")
	}
	*v = idx(n)
	return nil
}

// open reports whether the position holds contracts.
func (r *restPosition) open() bool {
	d, err := decimal.NewFromString(r.Size)
	return err == nil && !d.IsZero()
}

// ratioPlaces is how many decimals a margin percentage keeps, and
// marginRatioPlaces a margin ratio (truncated), as CCXT writes them.
const (
	ratioPlaces       = 18
	marginRatioPlaces = 4
)

// parsePosition turns a position on m into a unified position, as CCXT's
// parsePosition reads it: side from side (Buy long, Sell short), contracts
// the size, entry price avgPrice (stream: entryPrice), notional the
// position value, initial and maintenance margin positionIM and
// positionMM with their share of the notional, collateral the position
// balance and margin ratio maintenance margin / collateral truncated to 4
// decimals; hedged when positionIdx is 1 or 2. A position holds contracts
// of one contract size each (Bybit's are 1 base coin, inverse 1 USD).
func parsePosition(m *unified.Market, r *restPosition, keepInfo bool) (unified.Position, error) {
	var ds decimals
	p := unified.Position{Symbol: m.Symbol, ContractSize: m.ContractSize, Contracts: ds.parse(r.Size),
		EntryPrice: ds.positive(first(r.AvgPrice, r.EntryPrice)), MarkPrice: ds.positive(r.MarkPrice),
		Notional: ds.parse(r.PositionValue), Leverage: ds.positive(r.Leverage), UnrealizedPnl: ds.parse(r.UnrealisedPnl),
		LiquidationPrice: ds.positive(r.LiqPrice), InitialMargin: ds.parse(r.PositionIM),
		MaintenanceMargin: ds.parse(r.PositionMM), Collateral: ds.parse(r.PositionBal),
		TakeProfitPrice: ds.positive(r.TakeProfit), StopLossPrice: ds.positive(r.StopLoss)}
	switch r.Side {
	case "Buy":
		p.Side = unified.PositionLong
	case "Sell":
		p.Side = unified.PositionShort
	}
	hedged := r.PositionIdx != 0
	p.Hedged = &hedged
	var err1, err2 error
	p.Timestamp, err1 = millisText(r.CreatedTime)
	p.LastUpdateTimestamp, err2 = millisText(r.UpdatedTime)
	if ds.err != nil || err1 != nil || err2 != nil || !p.Contracts.Valid {
		return p, errors.Newf(errors.BadResponse, "bybit: malformed position of "+m.Symbol)
	}
	if n := p.Notional; n.Valid && n.Decimal.IsPositive() {
		if p.InitialMargin.Valid {
			p.InitialMarginPercentage = ratio(p.InitialMargin.Decimal, n.Decimal, ratioPlaces)
		}
		if p.MaintenanceMargin.Valid {
			p.MaintenanceMarginPercentage = ratio(p.MaintenanceMargin.Decimal, n.Decimal, ratioPlaces)
		}
	}
	if c := p.Collateral; c.Valid && c.Decimal.IsPositive() && p.MaintenanceMargin.Valid {
		p.MarginRatio = ratio(p.MaintenanceMargin.Decimal, c.Decimal, marginRatioPlaces)
	}
	if keepInfo {
		p.Info = *r
	}
	return p, nil
}

// ratio is a / b truncated toward zero to places decimals; b must not be
// zero.
func ratio(a, b decimal.Decimal, places int32) decimal.NullDecimal {
	q, _ := a.QuoRem(b, places)
	return decimal.NewNullDecimal(q)
}

// marketOfCategory is the market of native id in category cat (spot
// BTCUSDT and linear BTCUSDT are two markets).
func marketOfCategory(snap *markets.Snapshot, cat, id string) (*unified.Market, error) {
	for _, m := range snap.MarketsByID(id) {
		if categoryOf(m) == cat {
			return m, nil
		}
	}
	return nil, errors.Newf(errors.BadSymbol, "bybit: no "+cat+" market has the id "+strconv.Quote(id))
}
