package binance

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/markets"
	"github.com/unifex-go/unifex/unified"
)

// This file turns the private REST replies (orders, the account's trades,
// balances, positions) into unified structures. The shapes are those of
// binance-spot-api-docs rest-api.md (New order, Query order, Cancel order,
// Order Amend Keep Priority, Account information, Account trade list) and
// of the USDⓈ-M and COIN-M "Trade" and "Account" pages (New Order, Query
// Order, Account Trade List, Account Information V3 / Account Information,
// Position Information V3 / Position Information). Binance writes ids and
// times as JSON numbers; recorded copies (CCXT's fixtures) write them as
// strings, and both are read.

// idText is an id written as a JSON number or string, kept as its text.
type idText string

// UnmarshalJSON reads 123, "123" or null (absent).
func (s *idText) UnmarshalJSON(b []byte) error {
	switch {
	case string(b) == "null":
		return nil
	case len(b) > 0 && b[0] == '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return errors.Wrap(errors.BadResponse, err, "an id that is not a string")
		}
		*s = idText(v)
		return nil
	}
	if _, err := strconv.ParseInt(string(b), 10, 64); err != nil {
		return errors.Wrap(errors.BadResponse, err, "an id that is not an integer")
	}
	*s = idText(b)
	return nil
}

// restOrder is an order as every product's order endpoints return it. The
// spot and futures replies share most keys; the others are marked.
type restOrder struct {
	Symbol        string `json:"symbol"`
	OrderID       idText `json:"orderId"`
	ClientOrderID string `json:"clientOrderId"`
	// OrigClientOrderID is, in a spot cancel reply, the canceled order's
	// own client id (clientOrderId is then the cancel request's id); in an
	// amend reply, the id the order had before (clientOrderId is its new
	// one).
	OrigClientOrderID string `json:"origClientOrderId"`
	Price             string `json:"price"`
	AvgPrice          string `json:"avgPrice"` // futures
	OrigQty           string `json:"origQty"`
	Qty               string `json:"qty"` // spot amend reply
	ExecutedQty       string `json:"executedQty"`
	// The executed value: spot cummulativeQuoteQty (sic; negative when
	// not known for an old order), cumulativeQuoteQty in the spot amend
	// reply, USDⓈ-M cumQuote, COIN-M cumBase (in the base coin).
	CummulativeQuoteQty string     `json:"cummulativeQuoteQty"`
	CumulativeQuoteQty  string     `json:"cumulativeQuoteQty"`
	CumQuote            string     `json:"cumQuote"`
	CumBase             string     `json:"cumBase"`
	Status              string     `json:"status"`
	TimeInForce         string     `json:"timeInForce"`
	Type                string     `json:"type"`
	Side                string     `json:"side"`
	StopPrice           string     `json:"stopPrice"`
	ReduceOnly          *bool      `json:"reduceOnly"` // futures
	Time                flexInt    `json:"time"`
	UpdateTime          flexInt    `json:"updateTime"`
	TransactTime        flexInt    `json:"transactTime"`
	Fills               []restFill `json:"fills"` // spot, newOrderRespType FULL
}

// restFill is one fill of a spot order placed with newOrderRespType FULL.
type restFill struct {
	Price           string `json:"price"`
	Qty             string `json:"qty"`
	Commission      string `json:"commission"`
	CommissionAsset string `json:"commissionAsset"`
	TradeID         idText `json:"tradeId"`
}

// orderStatuses maps Binance's order statuses (spot enums.md "Order
// status", the futures "Common Definitions"). PENDING_NEW is an order list
// member waiting for its working order; PENDING_CANCEL is documented as
// unused and counted as canceled.
var orderStatuses = map[string]unified.OrderStatus{
	"NEW":              unified.StatusOpen,
	"PENDING_NEW":      unified.StatusOpen,
	"PARTIALLY_FILLED": unified.StatusOpen,
	"FILLED":           unified.StatusClosed,
	"CANCELED":         unified.StatusCanceled,
	"PENDING_CANCEL":   unified.StatusCanceled,
	"REJECTED":         unified.StatusRejected,
	"EXPIRED":          unified.StatusExpired,
	"EXPIRED_IN_MATCH": unified.StatusExpired,
}

// unifiedType is the unified type of a Binance order type and whether the
// type is post-only. Conditional types become the order type that runs
// once triggered: spot TAKE_PROFIT is a market order and futures
// TAKE_PROFIT a limit one. An unknown type is kept in lower case, as CCXT
// keeps it.
func unifiedType(k kind, native string) (unified.OrderType, bool) {
	switch native {
	case "LIMIT", "STOP_LOSS_LIMIT", "TAKE_PROFIT_LIMIT", "STOP":
		return unified.OrderTypeLimit, false
	case "LIMIT_MAKER":
		return unified.OrderTypeLimit, true
	case "MARKET", "STOP_LOSS", "STOP_MARKET", "TAKE_PROFIT_MARKET", "TRAILING_STOP_MARKET":
		return unified.OrderTypeMarket, false
	case "TAKE_PROFIT":
		if k == spot {
			return unified.OrderTypeMarket, false
		}
		return unified.OrderTypeLimit, false
	}
	return unified.OrderType(strings.ToLower(native)), false
}

// unifiedTIF is the unified time in force: futures GTX ("good till
// crossing") is post-only; anything else is kept as sent.
func unifiedTIF(native string) unified.TimeInForce {
	if native == "GTX" {
		return unified.TIFPO
	}
	return unified.TimeInForce(native)
}

// unifiedSide reads BUY or SELL.
func unifiedSide(native string) (unified.Side, bool) {
	switch native {
	case "BUY":
		return unified.SideBuy, true
	case "SELL":
		return unified.SideSell, true
	}
	return "", false
}

// executedValue is the order's cost field of product k: the quote value
// on spot and USDⓈ-M, the base value (the settle coin) on COIN-M.
func (r *restOrder) executedValue(k kind) string {
	switch {
	case k == coinm:
		return r.CumBase
	case k == usdm:
		return r.CumQuote
	case r.CummulativeQuoteQty != "":
		return r.CummulativeQuoteQty
	}
	return r.CumulativeQuoteQty
}

// parseOrder turns a reply of product k on market m into a unified order,
// completed by unified.Order.Complete. The times follow CCXT's parseOrder:
// the order was placed at time (else transactTime, else updateTime), last
// changed at transactTime (else updateTime), and last traded then too when
// it is closed, or open and partly filled.
func parseOrder(k kind, m *unified.Market, r *restOrder, keepInfo bool) (unified.Order, error) {
	var ds decimals
	side, ok := unifiedSide(r.Side)
	if !ok || r.OrderID == "" {
		return unified.Order{}, errors.Newf(errors.BadResponse, "an order reply without an order id or a side (order "+strconv.Quote(string(r.OrderID))+")")
	}
	typ, postOnly := unifiedType(k, r.Type)
	amount := r.OrigQty
	if amount == "" {
		amount = r.Qty
	}
	o := unified.Order{
		ID: string(r.OrderID), ClientOrderID: r.ClientOrderID, Symbol: m.Symbol, Type: typ, Side: side,
		TimeInForce: unifiedTIF(r.TimeInForce), Status: orderStatuses[r.Status], ReduceOnly: r.ReduceOnly,
		Price: ds.parse(r.Price), Average: ds.parse(r.AvgPrice), Amount: ds.parse(amount), Filled: ds.parse(r.ExecutedQty),
		Cost: ds.parse(r.executedValue(k)), TriggerPrice: ds.positive(r.StopPrice),
	}
	if o.Cost.Valid && o.Cost.Decimal.IsNegative() {
		o.Cost = decimal.NullDecimal{} // an old spot order whose value Binance no longer knows
	}
	if postOnly || o.TimeInForce == unified.TIFPO {
		o.PostOnly = &[]bool{true}[0]
	}
	o.Timestamp = firstTime(r.Time, r.TransactTime, r.UpdateTime)
	o.LastUpdateTimestamp = firstTime(r.TransactTime, r.UpdateTime)
	if traded := firstTime(r.UpdateTime, r.TransactTime); !traded.IsZero() {
		if o.Status == unified.StatusClosed || o.Status == unified.StatusOpen && o.Filled.Valid && o.Filled.Decimal.IsPositive() {
			o.LastTradeTimestamp = traded
		}
	}
	for _, f := range r.Fills {
		o.Trades = append(o.Trades, unified.Trade{
			ID: string(f.TradeID), Order: o.ID, Timestamp: o.LastUpdateTimestamp, Symbol: m.Symbol, Type: typ, Side: side,
			Price: ds.parse(f.Price), Amount: ds.parse(f.Qty),
			Fee: unified.Fee{Currency: commonCode(f.CommissionAsset), Cost: ds.parse(f.Commission)},
		})
	}
	if ds.err != nil {
		return unified.Order{}, errors.Wrap(errors.BadResponse, ds.err, "order "+o.ID)
	}
	o.Complete(m)
	if keepInfo {
		o.Info = *r
	}
	return o, nil
}

// firstTime is the first positive of the millisecond times, zero when
// none is.
func firstTime(ms ...flexInt) time.Time {
	for _, v := range ms {
		if v > 0 {
			return millis(int64(v))
		}
	}
	return time.Time{}
}

// restMyTrade is one of the account's trades: spot myTrades, futures
// userTrades.
type restMyTrade struct {
	Symbol          string  `json:"symbol"`
	ID              idText  `json:"id"`
	OrderID         idText  `json:"orderId"`
	Side            string  `json:"side"` // futures
	Price           string  `json:"price"`
	Qty             string  `json:"qty"`
	QuoteQty        string  `json:"quoteQty"` // the value in the quote currency
	BaseQty         string  `json:"baseQty"`  // futures: the value in the base currency
	Commission      string  `json:"commission"`
	CommissionAsset string  `json:"commissionAsset"`
	Time            flexInt `json:"time"`
	IsBuyer         *bool   `json:"isBuyer"` // spot
	IsMaker         *bool   `json:"isMaker"` // spot
	Buyer           *bool   `json:"buyer"`   // futures
	Maker           *bool   `json:"maker"`   // futures
}

// parseMyTrade turns one of the account's trades of product k on m into a
// unified trade. Its cost is the value Binance reports in the settle
// currency: quoteQty, or on COIN-M baseQty (COIN-M sends both; quoteQty is
// the contracts' value in USD, which CCXT takes).
func parseMyTrade(k kind, m *unified.Market, r *restMyTrade, keepInfo bool) (unified.Trade, error) {
	var ds decimals
	side, ok := unifiedSide(r.Side)
	if !ok {
		switch {
		case r.IsBuyer != nil:
			side, ok = sideOf(*r.IsBuyer), true
		case r.Buyer != nil:
			side, ok = sideOf(*r.Buyer), true
		}
	}
	maker := r.IsMaker
	if maker == nil {
		maker = r.Maker
	}
	value := r.QuoteQty
	if k == coinm {
		value = r.BaseQty
	}
	t := unified.Trade{ID: string(r.ID), Order: string(r.OrderID), Timestamp: millis(int64(r.Time)), Symbol: m.Symbol, Side: side,
		Price: ds.parse(r.Price), Amount: ds.parse(r.Qty), Cost: ds.parse(value)}
	if maker != nil {
		t.TakerOrMaker = unified.LiquidityTaker
		if *maker {
			t.TakerOrMaker = unified.LiquidityMaker
		}
	}
	if r.Commission != "" {
		t.Fee = unified.Fee{Currency: commonCode(r.CommissionAsset), Cost: ds.parse(r.Commission)}
	}
	if ds.err != nil || !ok || r.ID == "" || !t.Price.Valid || !t.Amount.Valid {
		return t, errors.Newf(errors.BadResponse, "malformed trade "+strconv.Quote(string(r.ID))+" of "+m.Symbol)
	}
	t.Complete(m)
	if keepInfo {
		t.Info = *r
	}
	return t, nil
}

func sideOf(buyer bool) unified.Side {
	if buyer {
		return unified.SideBuy
	}
	return unified.SideSell
}

// restSpotAccount is GET /api/v3/account.
type restSpotAccount struct {
	UpdateTime flexInt `json:"updateTime"`
	Balances   []struct {
		Asset  string `json:"asset"`
		Free   string `json:"free"`
		Locked string `json:"locked"`
	} `json:"balances"`
}

// parseSpotBalances reads free and locked (used) per asset; the total is
// their sum.
func parseSpotBalances(r *restSpotAccount, keepInfo bool) (*unified.Balances, error) {
	var ds decimals
	b := &unified.Balances{Currencies: make(map[string]unified.Balance, len(r.Balances))}
	if r.UpdateTime > 0 {
		b.Timestamp = millis(int64(r.UpdateTime))
	}
	for _, a := range r.Balances {
		b.Currencies[commonCode(a.Asset)] = unified.Balance{Free: ds.parse(a.Free), Used: ds.parse(a.Locked)}
	}
	if ds.err != nil {
		return nil, errors.Wrap(errors.BadResponse, ds.err, "malformed spot balance")
	}
	b.Complete()
	if keepInfo {
		b.Info = *r
	}
	return b, nil
}

// restFuturesAccount is GET /fapi/v3/account (USDⓈ-M) or GET
// /dapi/v1/account (COIN-M); the per-asset fields are the same.
type restFuturesAccount struct {
	UpdateTime flexInt `json:"updateTime"` // COIN-M and older USDⓈ-M versions
	Assets     []struct {
		Asset            string `json:"asset"`
		WalletBalance    string `json:"walletBalance"`
		MarginBalance    string `json:"marginBalance"`
		InitialMargin    string `json:"initialMargin"`
		AvailableBalance string `json:"availableBalance"`
	} `json:"assets"`
}

// parseFuturesBalances reads a futures account as CCXT's parseBalance
// does: free is availableBalance, used is initialMargin (of positions and
// open orders) and total is marginBalance (wallet balance plus unrealised
// profit). The three need not add up: in multi-assets mode an asset's
// availableBalance is what the whole cross collateral allows in that
// asset, so an asset may show a free amount above its total.
func parseFuturesBalances(r *restFuturesAccount, keepInfo bool) (*unified.Balances, error) {
	var ds decimals
	b := &unified.Balances{Currencies: make(map[string]unified.Balance, len(r.Assets))}
	if r.UpdateTime > 0 {
		b.Timestamp = millis(int64(r.UpdateTime))
	}
	for _, a := range r.Assets {
		b.Currencies[commonCode(a.Asset)] = unified.Balance{Free: ds.parse(a.AvailableBalance), Used: ds.parse(a.InitialMargin),
			Total: ds.parse(a.MarginBalance)}
	}
	if ds.err != nil {
		return nil, errors.Wrap(errors.BadResponse, ds.err, "malformed futures balance")
	}
	b.Complete()
	if keepInfo {
		b.Info = *r
	}
	return b, nil
}

// restPosition is a position: USDⓈ-M GET /fapi/v3/positionRisk or COIN-M
// GET /dapi/v1/positionRisk. Version 3 dropped leverage and marginType
// and added the margins; COIN-M has leverage and marginType and gives the
// notional in the base coin (notionalValue).
type restPosition struct {
	Symbol                string  `json:"symbol"`
	PositionSide          string  `json:"positionSide"` // BOTH (one-way mode), LONG or SHORT (hedge mode)
	PositionAmt           string  `json:"positionAmt"`  // signed; contracts on COIN-M
	EntryPrice            string  `json:"entryPrice"`
	MarkPrice             string  `json:"markPrice"`
	UnRealizedProfit      string  `json:"unRealizedProfit"`
	LiquidationPrice      string  `json:"liquidationPrice"`
	IsolatedMargin        string  `json:"isolatedMargin"` // isolated wallet plus unrealised profit
	IsolatedWallet        string  `json:"isolatedWallet"`
	Notional              string  `json:"notional"`      // USDⓈ-M, signed
	NotionalValue         string  `json:"notionalValue"` // COIN-M, signed, in the base coin
	InitialMargin         string  `json:"initialMargin"`
	PositionInitialMargin string  `json:"positionInitialMargin"`
	MaintMargin           string  `json:"maintMargin"`
	Leverage              string  `json:"leverage"`   // COIN-M
	MarginType            string  `json:"marginType"` // COIN-M: cross or isolated
	UpdateTime            flexInt `json:"updateTime"`
}

// ratioPlaces is how many decimals a margin ratio keeps (truncated), as
// CCXT writes them.
const ratioPlaces = 8

// satoshiPlaces is the precision of a derived COIN-M margin in the coin.
const satoshiPlaces = 8

// open reports whether the position holds contracts.
func (r *restPosition) open() bool {
	d, err := decimal.NewFromString(r.PositionAmt)
	return err == nil && !d.IsZero()
}

// parsePosition turns a position on m into a unified position. What the
// venue gives is taken as given (USDⓈ-M: initial and maintenance margin;
// COIN-M: leverage and margin type); the rest is derived:
//
//   - side from positionSide in hedge mode, else from the sign of the
//     amount; contracts are the amount's absolute value;
//   - notional is the absolute notional (COIN-M: in the base coin);
//   - margin mode: COIN-M says it; USDⓈ-M v3 does not, and a position with
//     an isolated wallet is isolated;
//   - COIN-M initial margin = notional / leverage, truncated to 8 decimals
//     (the coin's satoshis); initial margin percentage = 1 / leverage, or
//     (USDⓈ-M) initial margin / notional; maintenance margin percentage =
//     maintenance margin / notional; both truncated to 8 decimals;
//   - collateral is the isolated margin of an isolated position; a cross
//     position has none of its own (the account's cross balance backs it),
//     so collateral and margin ratio are left absent;
//   - margin ratio = maintenance margin / collateral, rounded to 4
//     decimals; percentage = unrealised profit / initial margin × 100,
//     truncated to 2 decimals, as CCXT writes them.
//
// A zero liquidation price (none) is absent.
func parsePosition(k kind, m *unified.Market, r *restPosition, keepInfo bool) (unified.Position, error) {
	var ds decimals
	amount := ds.parse(r.PositionAmt)
	notional := r.Notional
	if k == coinm {
		notional = r.NotionalValue
	}
	p := unified.Position{Symbol: m.Symbol, ContractSize: m.ContractSize, EntryPrice: ds.positive(r.EntryPrice),
		MarkPrice: ds.positive(r.MarkPrice), UnrealizedPnl: ds.parse(r.UnRealizedProfit),
		LiquidationPrice: ds.positive(r.LiquidationPrice), Notional: abs(ds.parse(notional)),
		MaintenanceMargin: ds.parse(r.MaintMargin), Leverage: ds.positive(r.Leverage)}
	if r.UpdateTime > 0 {
		p.Timestamp = millis(int64(r.UpdateTime))
		p.LastUpdateTimestamp = p.Timestamp
	}
	hedged := r.PositionSide == "LONG" || r.PositionSide == "SHORT"
	p.Hedged = &hedged
	switch {
	case r.PositionSide == "SHORT", !hedged && amount.Valid && amount.Decimal.IsNegative():
		p.Side = unified.PositionShort
	default:
		p.Side = unified.PositionLong
	}
	p.Contracts = abs(amount)
	switch {
	case r.MarginType != "":
		p.MarginMode = unified.MarginMode(strings.ToLower(r.MarginType))
	case ds.positive(r.IsolatedWallet).Valid:
		p.MarginMode = unified.MarginModeIsolated
	default:
		p.MarginMode = unified.MarginModeCross
	}
	if ds.err != nil || !amount.Valid {
		return p, errors.Newf(errors.BadResponse, "malformed position of "+m.Symbol)
	}
	p.InitialMargin = ds.parse(r.PositionInitialMargin)
	if !p.InitialMargin.Valid {
		p.InitialMargin = ds.parse(r.InitialMargin)
	}
	if p.Leverage.Valid {
		p.InitialMarginPercentage = ratio(decimal.NewFromInt(1), p.Leverage.Decimal, ratioPlaces)
		if !p.InitialMargin.Valid && p.Notional.Valid {
			p.InitialMargin = ratio(p.Notional.Decimal, p.Leverage.Decimal, satoshiPlaces)
		}
	}
	if p.Notional.Valid && p.Notional.Decimal.IsPositive() {
		if !p.InitialMarginPercentage.Valid && p.InitialMargin.Valid {
			p.InitialMarginPercentage = ratio(p.InitialMargin.Decimal, p.Notional.Decimal, ratioPlaces)
		}
		if p.MaintenanceMargin.Valid {
			p.MaintenanceMarginPercentage = ratio(p.MaintenanceMargin.Decimal, p.Notional.Decimal, ratioPlaces)
		}
	}
	if p.MarginMode == unified.MarginModeIsolated {
		p.Collateral = ds.parse(r.IsolatedMargin)
		if p.Collateral.Valid && p.Collateral.Decimal.IsPositive() && p.MaintenanceMargin.Valid {
			p.MarginRatio = decimal.NewNullDecimal(p.MaintenanceMargin.Decimal.DivRound(p.Collateral.Decimal, 4))
		}
	}
	if p.UnrealizedPnl.Valid && p.InitialMargin.Valid && p.InitialMargin.Decimal.IsPositive() {
		p.Percentage = ratio(p.UnrealizedPnl.Decimal.Mul(decimal.NewFromInt(100)), p.InitialMargin.Decimal, 2)
	}
	if ds.err != nil {
		return p, errors.Wrap(errors.BadResponse, ds.err, "position of "+m.Symbol)
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

func abs(d decimal.NullDecimal) decimal.NullDecimal {
	if d.Valid {
		d.Decimal = d.Decimal.Abs()
	}
	return d
}

// replyMarket is the market a reply entry names: known when the entry
// names it (or names none), else the one of that id in snap.
func replyMarket(snap *markets.Snapshot, known *unified.Market, id string) (*unified.Market, error) {
	if known != nil && (id == "" || id == known.ID) {
		return known, nil
	}
	if id == "" {
		return nil, errors.Newf(errors.BadResponse, "a reply entry without a symbol")
	}
	return snap.MarketByID(id, "")
}
