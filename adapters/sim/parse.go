package sim

import (
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/markets"
	"github.com/unifex-go/unifex/unified"
)

// The venue's messages, as the adapter reads them (see package venue's
// protocol.go).

type wireMarket struct {
	ID          string `json:"id"`
	Base        string `json:"base"`
	Quote       string `json:"quote"`
	Settle      string `json:"settle"`
	Type        string `json:"type"`
	Tick        string `json:"tick"`
	Lot         string `json:"lot"`
	MinAmount   string `json:"minAmount"`
	MinNotional string `json:"minNotional"`
	Maker       string `json:"maker"`
	Taker       string `json:"taker"`
	MaxLeverage int64  `json:"maxLeverage"`
}

type wireTicker struct {
	Market      string `json:"market"`
	TS          int64  `json:"ts"`
	Last        string `json:"last"`
	Open        string `json:"open"`
	High        string `json:"high"`
	Low         string `json:"low"`
	Volume      string `json:"volume"`
	QuoteVolume string `json:"quoteVolume"`
	Bid         string `json:"bid"`
	BidSize     string `json:"bidSize"`
	Ask         string `json:"ask"`
	AskSize     string `json:"askSize"`
	Mark        string `json:"mark"`
	Index       string `json:"index"`
}

type wireTrade struct {
	ID     string `json:"id"`
	Price  string `json:"price"`
	Amount string `json:"amount"`
	Side   string `json:"side"`
	TS     int64  `json:"ts"`
}

type wireOrder struct {
	ID         string `json:"id"`
	ClientID   string `json:"clientId"`
	Market     string `json:"market"`
	Side       string `json:"side"`
	Type       string `json:"type"`
	TIF        string `json:"tif"`
	PostOnly   bool   `json:"postOnly"`
	ReduceOnly bool   `json:"reduceOnly"`
	Price      string `json:"price"`
	Amount     string `json:"amount"`
	Filled     string `json:"filled"`
	Cost       string `json:"cost"`
	Fee        string `json:"fee"`
	FeeAsset   string `json:"feeAsset"`
	Status     string `json:"status"`
	Created    int64  `json:"created"`
	Updated    int64  `json:"updated"`
}

type wireFill struct {
	ID        string `json:"id"`
	OrderID   string `json:"orderId"`
	Market    string `json:"market"`
	Side      string `json:"side"`
	Price     string `json:"price"`
	Amount    string `json:"amount"`
	Fee       string `json:"fee"`
	FeeAsset  string `json:"feeAsset"`
	Liquidity string `json:"liquidity"`
	TS        int64  `json:"ts"`
}

type wireBalance struct {
	TS       int64 `json:"ts"`
	Balances []struct {
		Asset  string `json:"asset"`
		Free   string `json:"free"`
		Locked string `json:"locked"`
	} `json:"balances"`
}

type wirePosition struct {
	Market     string `json:"market"`
	Size       string `json:"size"`
	Entry      string `json:"entry"`
	Mark       string `json:"mark"`
	Leverage   int64  `json:"leverage"`
	Margin     string `json:"margin"`
	Unrealized string `json:"unrealized"`
	Realized   string `json:"realized"`
	Updated    int64  `json:"updated"`
}

// parseEach parses every raw item with parse, stopping at the first error.
func parseEach[W, T any](raw []W, parse func(*W) (T, error)) ([]T, error) {
	out := make([]T, 0, len(raw))
	for i := range raw {
		t, err := parse(&raw[i])
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// symbolSet checks symbols against the markets and returns them as a set
// (empty for all).
func symbolSet(snap *markets.Snapshot, symbols []string) (map[string]bool, error) {
	want := make(map[string]bool, len(symbols))
	for _, s := range symbols {
		if _, err := snap.Market(s); err != nil {
			return nil, err
		}
		want[s] = true
	}
	return want, nil
}

// decimals parses decimal strings, keeping the first error.
type decimals struct{ err error }

// parse parses s; "" is absent.
func (ds *decimals) parse(s string) decimal.NullDecimal {
	if s == "" {
		return decimal.NullDecimal{}
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		if ds.err == nil {
			ds.err = err
		}
		return decimal.NullDecimal{}
	}
	return decimal.NewNullDecimal(d)
}

// must parses s, which must be present.
func (ds *decimals) must(s string) decimal.Decimal {
	n := ds.parse(s)
	if !n.Valid && ds.err == nil {
		ds.err = errors.Newf(errors.BadResponse, "a required number is missing")
	}
	return n.Decimal
}

func millis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

func (r *wireMarket) unified() (unified.Market, error) {
	var ds decimals
	m := unified.Market{ID: r.ID, Base: r.Base, Quote: r.Quote, BaseID: r.Base, QuoteID: r.Quote,
		PrecisionMode: unified.TickSize, Maker: ds.parse(r.Maker), Taker: ds.parse(r.Taker),
		Precision: unified.Precision{Price: decimal.NewNullDecimal(ds.must(r.Tick)), Amount: decimal.NewNullDecimal(ds.must(r.Lot))},
		Limits:    unified.Limits{Amount: unified.MinMax{Min: ds.parse(r.MinAmount)}, Cost: unified.MinMax{Min: ds.parse(r.MinNotional)}}}
	active := true
	m.Active = &active
	switch r.Type {
	case "spot":
		m.Type, m.Spot = unified.Spot, true
		m.Symbol = markets.Symbol{Base: r.Base, Quote: r.Quote}.String()
	case "perp":
		m.Type, m.Swap, m.Contract, m.Linear = unified.Swap, true, true, true
		m.Settle, m.SettleID = r.Settle, r.Settle
		m.ContractSize = decimal.NewNullDecimal(decimal.NewFromInt(1))
		m.Symbol = markets.Symbol{Base: r.Base, Quote: r.Quote, Settle: r.Settle}.String()
		m.MarginModes = unified.MarginModes{Cross: true}
		if r.MaxLeverage > 0 {
			m.Limits.Leverage = unified.MinMax{Min: decimal.NewNullDecimal(decimal.NewFromInt(1)),
				Max: decimal.NewNullDecimal(decimal.NewFromInt(r.MaxLeverage))}
		}
	default:
		return m, errors.Newf(errors.BadResponse, "market "+strconv.Quote(r.ID)+" has an unknown type "+strconv.Quote(r.Type))
	}
	if ds.err != nil || r.ID == "" || r.Base == "" || r.Quote == "" {
		return m, errors.Newf(errors.BadResponse, "market "+strconv.Quote(r.ID)+" is malformed")
	}
	return m, nil
}

// marketByID finds the market of a venue id.
func (x *Exchange) marketByID(snap *markets.Snapshot, id string) (*unified.Market, error) {
	if ms := snap.MarketsByID(id); len(ms) > 0 {
		return ms[0], nil
	}
	return nil, errors.Newf(errors.BadResponse, "the venue named an unknown market "+strconv.Quote(id))
}

func (x *Exchange) ticker(m *unified.Market, r *wireTicker) (*unified.Ticker, error) {
	var ds decimals
	t := &unified.Ticker{Symbol: m.Symbol, Timestamp: millis(r.TS), Last: ds.parse(r.Last), Open: ds.parse(r.Open),
		High: ds.parse(r.High), Low: ds.parse(r.Low), BaseVolume: ds.parse(r.Volume), QuoteVolume: ds.parse(r.QuoteVolume),
		Bid: ds.parse(r.Bid), BidVolume: ds.parse(r.BidSize), Ask: ds.parse(r.Ask), AskVolume: ds.parse(r.AskSize),
		MarkPrice: ds.parse(r.Mark), IndexPrice: ds.parse(r.Index)}
	if ds.err != nil {
		return nil, errors.Wrap(errors.BadResponse, ds.err, "malformed ticker of "+m.Symbol)
	}
	t.Complete(m)
	if x.Config().KeepInfo {
		t.Info = *r
	}
	return t, nil
}

func (x *Exchange) trade(m *unified.Market, r *wireTrade) (unified.Trade, error) {
	var ds decimals
	t := unified.Trade{ID: r.ID, Symbol: m.Symbol, Timestamp: millis(r.TS), Side: unified.Side(r.Side),
		Price: decimal.NewNullDecimal(ds.must(r.Price)), Amount: decimal.NewNullDecimal(ds.must(r.Amount))}
	if ds.err != nil || r.ID == "" || (r.Side != "buy" && r.Side != "sell") {
		return t, errors.Newf(errors.BadResponse, "malformed trade "+strconv.Quote(r.ID)+" of "+m.Symbol)
	}
	t.Complete(m)
	if x.Config().KeepInfo {
		t.Info = *r
	}
	return t, nil
}

// candles parses [openMs, "o", "h", "l", "c", "volume"] rows.
func candles(raw [][]any) ([]unified.OHLCV, error) {
	out := make([]unified.OHLCV, 0, len(raw))
	for _, row := range raw {
		ms, ok := row0(row)
		if !ok {
			return nil, errors.Newf(errors.BadResponse, "malformed candle")
		}
		var ds decimals
		var nums [5]decimal.Decimal
		for i := range nums {
			s, _ := row[i+1].(string)
			nums[i] = ds.must(s)
		}
		if ds.err != nil {
			return nil, errors.Wrap(errors.BadResponse, ds.err, "malformed candle")
		}
		out = append(out, unified.OHLCV{Timestamp: millis(ms), Open: nums[0], High: nums[1], Low: nums[2], Close: nums[3], Volume: nums[4]})
	}
	return out, nil
}

// row0 reads a candle row's open time; the row must have six fields.
func row0(row []any) (int64, bool) {
	if len(row) != 6 {
		return 0, false
	}
	f, ok := row[0].(float64) // encoding/json's number; a millisecond count is exact in it
	if !ok || f != float64(int64(f)) {
		return 0, false
	}
	return int64(f), true
}

// orderStatus maps the venue's order states.
var orderStatus = map[string]unified.OrderStatus{
	"new":              unified.StatusOpen,
	"partially_filled": unified.StatusOpen,
	"filled":           unified.StatusClosed,
	"canceled":         unified.StatusCanceled,
	"expired":          unified.StatusExpired,
}

var timeInForce = map[string]unified.TimeInForce{"GTC": unified.TIFGTC, "IOC": unified.TIFIOC, "FOK": unified.TIFFOK}

func (x *Exchange) order(snap *markets.Snapshot, r *wireOrder) (unified.Order, error) {
	m, err := x.marketByID(snap, r.Market)
	if err != nil {
		return unified.Order{}, err
	}
	var ds decimals
	status, ok := orderStatus[r.Status]
	postOnly, reduceOnly := r.PostOnly, r.ReduceOnly
	o := unified.Order{ID: r.ID, ClientOrderID: r.ClientID, Symbol: m.Symbol, Type: unified.OrderType(r.Type),
		Side: unified.Side(r.Side), TimeInForce: timeInForce[r.TIF], PostOnly: &postOnly, ReduceOnly: &reduceOnly,
		Status: status, Price: ds.parse(r.Price), Amount: decimal.NewNullDecimal(ds.must(r.Amount)),
		Filled: decimal.NewNullDecimal(ds.must(r.Filled)), Cost: decimal.NewNullDecimal(ds.must(r.Cost)),
		Fee:       unified.Fee{Currency: r.FeeAsset, Cost: decimal.NewNullDecimal(ds.must(r.Fee))},
		Timestamp: millis(r.Created), LastUpdateTimestamp: millis(r.Updated)}
	if postOnly {
		o.TimeInForce = unified.TIFPO
	}
	if ds.err != nil || !ok || r.ID == "" {
		return o, errors.Newf(errors.BadResponse, "malformed order "+strconv.Quote(r.ID))
	}
	o.Complete(m)
	if x.Config().KeepInfo {
		o.Info = *r
	}
	return o, nil
}

func (x *Exchange) fill(snap *markets.Snapshot, r *wireFill) (unified.Trade, error) {
	m, err := x.marketByID(snap, r.Market)
	if err != nil {
		return unified.Trade{}, err
	}
	var ds decimals
	t := unified.Trade{ID: r.ID, Order: r.OrderID, Symbol: m.Symbol, Timestamp: millis(r.TS), Side: unified.Side(r.Side),
		TakerOrMaker: unified.Liquidity(r.Liquidity), Price: decimal.NewNullDecimal(ds.must(r.Price)),
		Amount: decimal.NewNullDecimal(ds.must(r.Amount)),
		Fee:    unified.Fee{Currency: r.FeeAsset, Cost: decimal.NewNullDecimal(ds.must(r.Fee))}}
	if ds.err != nil || r.ID == "" {
		return t, errors.Newf(errors.BadResponse, "malformed fill "+strconv.Quote(r.ID))
	}
	t.Complete(m)
	if x.Config().KeepInfo {
		t.Info = *r
	}
	return t, nil
}

func (x *Exchange) balances(r *wireBalance) (*unified.Balances, error) {
	b := &unified.Balances{Timestamp: millis(r.TS), Currencies: make(map[string]unified.Balance, len(r.Balances))}
	var ds decimals
	for _, a := range r.Balances {
		b.Currencies[a.Asset] = unified.Balance{Free: decimal.NewNullDecimal(ds.must(a.Free)), Used: decimal.NewNullDecimal(ds.must(a.Locked))}
	}
	if ds.err != nil {
		return nil, errors.Wrap(errors.BadResponse, ds.err, "malformed balance")
	}
	b.Complete()
	if x.Config().KeepInfo {
		b.Info = *r
	}
	return b, nil
}

func (x *Exchange) position(snap *markets.Snapshot, r *wirePosition) (unified.Position, error) {
	m, err := x.marketByID(snap, r.Market)
	if err != nil {
		return unified.Position{}, err
	}
	var ds decimals
	size := ds.must(r.Size)
	side := unified.PositionLong
	if size.IsNegative() {
		side = unified.PositionShort
	}
	entry, mark := ds.must(r.Entry), ds.must(r.Mark)
	hedged := false
	p := unified.Position{Symbol: m.Symbol, Timestamp: millis(r.Updated), LastUpdateTimestamp: millis(r.Updated), Side: side,
		Contracts: decimal.NewNullDecimal(size.Abs()), ContractSize: m.ContractSize, EntryPrice: decimal.NewNullDecimal(entry),
		MarkPrice: decimal.NewNullDecimal(mark), Notional: decimal.NewNullDecimal(size.Abs().Mul(mark)),
		Leverage:      decimal.NewNullDecimal(decimal.NewFromInt(r.Leverage)),
		InitialMargin: decimal.NewNullDecimal(ds.must(r.Margin)), UnrealizedPnl: decimal.NewNullDecimal(ds.must(r.Unrealized)),
		RealizedPnl: decimal.NewNullDecimal(ds.must(r.Realized)), MarginMode: unified.MarginModeCross, Hedged: &hedged}
	if ds.err != nil || r.Leverage <= 0 {
		return p, errors.Newf(errors.BadResponse, "malformed position of "+strconv.Quote(r.Market))
	}
	if x.Config().KeepInfo {
		p.Info = *r
	}
	return p, nil
}
