package unified

import (
	"encoding/json"
	"sort"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/errors"
)

// JSON encoding. Every type encodes as the structure CCXT prints, with CCXT's
// camelCase field names: absent values are null, decimals are JSON numbers
// written exactly (see appendDecimal), and each time is written as Unix
// milliseconds (timestamp) and, where CCXT has one, as an ISO 8601 string with
// milliseconds in UTC (datetime). Decoding accepts that form, numbers given
// as JSON strings, a datetime in place of a null timestamp, and ignores
// fields it does not know; info is kept as a json.RawMessage. Decoding
// errors match errors.BadResponse.

// MarshalJSON encodes f as {"currency", "cost", "rate"}; rate is written only
// when present, as CCXT does.
func (f Fee) MarshalJSON() ([]byte, error) {
	return f.appendJSON(make([]byte, 0, 64)), nil
}

func (f *Fee) appendJSON(buf []byte) []byte {
	o := openObject(buf)
	o.str("currency", f.Currency)
	o.dec("cost", f.Cost)
	if f.Rate.Valid {
		o.dec("rate", f.Rate)
	}
	out, _ := o.close() // a Fee holds nothing that can fail to encode
	return out
}

// UnmarshalJSON decodes a fee; null leaves f unchanged.
func (f *Fee) UnmarshalJSON(data []byte) error {
	r, err := readFields(data, "Fee")
	if r == nil {
		return err
	}
	*f = Fee{
		Currency: r.str("currency"),
		Cost:     r.dec("cost"),
		Rate:     r.dec("rate"),
	}
	return r.err
}

// MarshalJSON encodes t as CCXT's ticker structure.
func (t Ticker) MarshalJSON() ([]byte, error) {
	return t.appendJSON(make([]byte, 0, 640))
}

func (t *Ticker) appendJSON(buf []byte) ([]byte, error) {
	o := openObject(buf)
	o.str("symbol", t.Symbol)
	o.stamp("timestamp", "datetime", t.Timestamp)
	o.dec("high", t.High)
	o.dec("low", t.Low)
	o.dec("bid", t.Bid)
	o.dec("bidVolume", t.BidVolume)
	o.dec("ask", t.Ask)
	o.dec("askVolume", t.AskVolume)
	o.dec("vwap", t.VWAP)
	o.dec("open", t.Open)
	o.dec("close", t.Close)
	o.dec("last", t.Last)
	o.dec("previousClose", t.PreviousClose)
	o.dec("change", t.Change)
	o.dec("percentage", t.Percentage)
	o.dec("average", t.Average)
	o.dec("baseVolume", t.BaseVolume)
	o.dec("quoteVolume", t.QuoteVolume)
	o.dec("markPrice", t.MarkPrice)
	o.dec("indexPrice", t.IndexPrice)
	o.info("info", t.Info)
	return o.close()
}

// UnmarshalJSON decodes CCXT's ticker structure; null leaves t unchanged.
func (t *Ticker) UnmarshalJSON(data []byte) error {
	r, err := readFields(data, "Ticker")
	if r == nil {
		return err
	}
	*t = Ticker{
		Symbol:        r.str("symbol"),
		Timestamp:     r.time("timestamp", "datetime"),
		High:          r.dec("high"),
		Low:           r.dec("low"),
		Bid:           r.dec("bid"),
		BidVolume:     r.dec("bidVolume"),
		Ask:           r.dec("ask"),
		AskVolume:     r.dec("askVolume"),
		VWAP:          r.dec("vwap"),
		Open:          r.dec("open"),
		Close:         r.dec("close"),
		Last:          r.dec("last"),
		PreviousClose: r.dec("previousClose"),
		Change:        r.dec("change"),
		Percentage:    r.dec("percentage"),
		Average:       r.dec("average"),
		BaseVolume:    r.dec("baseVolume"),
		QuoteVolume:   r.dec("quoteVolume"),
		MarkPrice:     r.dec("markPrice"),
		IndexPrice:    r.dec("indexPrice"),
		Info:          r.info(),
	}
	return r.err
}

// MarshalJSON encodes tr as CCXT's trade structure. A zero Fee is written as
// {"currency": null, "cost": null}, as CCXT writes a trade without a fee.
func (tr Trade) MarshalJSON() ([]byte, error) {
	return tr.appendJSON(make([]byte, 0, 512))
}

func (tr *Trade) appendJSON(buf []byte) ([]byte, error) {
	o := openObject(buf)
	o.str("id", tr.ID)
	o.str("order", tr.Order)
	o.stamp("timestamp", "datetime", tr.Timestamp)
	o.str("symbol", tr.Symbol)
	o.str("type", string(tr.Type))
	o.str("side", string(tr.Side))
	o.str("takerOrMaker", string(tr.TakerOrMaker))
	o.dec("price", tr.Price)
	o.dec("amount", tr.Amount)
	o.dec("cost", tr.Cost)
	o.fee("fee", tr.Fee, false)
	o.fees("fees", tr.Fees)
	o.info("info", tr.Info)
	return o.close()
}

// UnmarshalJSON decodes CCXT's trade structure; null leaves tr unchanged.
func (tr *Trade) UnmarshalJSON(data []byte) error {
	r, err := readFields(data, "Trade")
	if r == nil {
		return err
	}
	*tr = Trade{
		ID:           r.str("id"),
		Order:        r.str("order"),
		Timestamp:    r.time("timestamp", "datetime"),
		Symbol:       r.str("symbol"),
		Type:         OrderType(r.str("type")),
		Side:         Side(r.str("side")),
		TakerOrMaker: Liquidity(r.str("takerOrMaker")),
		Price:        r.dec("price"),
		Amount:       r.dec("amount"),
		Cost:         r.dec("cost"),
		Info:         r.info(),
	}
	r.into("fee", &tr.Fee)
	r.into("fees", &tr.Fees)
	return r.err
}

// MarshalJSON encodes c as CCXT's [timestamp, open, high, low, close, volume].
func (c OHLCV) MarshalJSON() ([]byte, error) {
	return c.appendJSON(make([]byte, 0, 128)), nil
}

func (c *OHLCV) appendJSON(buf []byte) []byte {
	buf = append(buf, '[')
	if c.Timestamp.IsZero() {
		buf = append(buf, "null"...)
	} else {
		buf = strconv.AppendInt(buf, c.Timestamp.UnixMilli(), 10)
	}
	for _, d := range [...]decimal.Decimal{c.Open, c.High, c.Low, c.Close, c.Volume} {
		buf = append(buf, ',')
		buf = appendDecimal(buf, d)
	}
	return append(buf, ']')
}

// UnmarshalJSON decodes [timestamp, open, high, low, close, volume]; extra
// elements are ignored, a null price or volume is an error, and null leaves
// c unchanged.
func (c *OHLCV) UnmarshalJSON(data []byte) error {
	if isNull(data) {
		return nil
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(data, &elems); err != nil {
		return decodeError("OHLCV", "", err)
	}
	if len(elems) < 6 {
		return decodeError("OHLCV", "", errors.New("want 6 elements"))
	}
	var out OHLCV
	var err error
	if out.Timestamp, err = parseMillis(elems[0]); err != nil {
		return decodeError("OHLCV", "timestamp", err)
	}
	names := [...]string{"open", "high", "low", "close", "volume"}
	for i, dst := range [...]*decimal.Decimal{&out.Open, &out.High, &out.Low, &out.Close, &out.Volume} {
		if *dst, err = parseRequired(elems[i+1]); err != nil {
			return decodeError("OHLCV", names[i], err)
		}
	}
	*c = out
	return nil
}

// MarshalJSON encodes l as CCXT's [price, amount].
func (l Level) MarshalJSON() ([]byte, error) {
	return l.appendJSON(make([]byte, 0, 48)), nil
}

func (l *Level) appendJSON(buf []byte) []byte {
	buf = append(buf, '[')
	buf = appendDecimal(buf, l.Price)
	buf = append(buf, ',')
	buf = appendDecimal(buf, l.Amount)
	return append(buf, ']')
}

// UnmarshalJSON decodes [price, amount]; extra elements (a count or an
// order id) are ignored, and null leaves l unchanged.
func (l *Level) UnmarshalJSON(data []byte) error {
	if isNull(data) {
		return nil
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(data, &elems); err != nil {
		return decodeError("Level", "", err)
	}
	if len(elems) < 2 {
		return decodeError("Level", "", errors.New("want [price, amount]"))
	}
	price, err := parseRequired(elems[0])
	if err != nil {
		return decodeError("Level", "price", err)
	}
	amount, err := parseRequired(elems[1])
	if err != nil {
		return decodeError("Level", "amount", err)
	}
	*l = Level{Price: price, Amount: amount}
	return nil
}

// MarshalJSON encodes b as CCXT's order book structure: symbol, bids and
// asks as [price, amount] arrays, timestamp, datetime and nonce (null when
// 0); info is written only when set, as CCXT's order books have none.
func (b OrderBook) MarshalJSON() ([]byte, error) {
	return b.appendJSON(make([]byte, 0, 128+48*(len(b.Bids)+len(b.Asks))))
}

func (b *OrderBook) appendJSON(buf []byte) ([]byte, error) {
	o := openObject(buf)
	o.str("symbol", b.Symbol)
	o.key("bids")
	o.buf = appendLevels(o.buf, b.Bids)
	o.key("asks")
	o.buf = appendLevels(o.buf, b.Asks)
	o.stamp("timestamp", "datetime", b.Timestamp)
	if b.Nonce == 0 {
		o.null("nonce")
	} else {
		o.key("nonce")
		o.buf = strconv.AppendInt(o.buf, b.Nonce, 10)
	}
	if b.Info != nil {
		o.info("info", b.Info)
	}
	return o.close()
}

// appendLevels appends levels as an array of [price, amount].
func appendLevels(buf []byte, levels []Level) []byte {
	buf = append(buf, '[')
	for i := range levels {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = levels[i].appendJSON(buf)
	}
	return append(buf, ']')
}

// UnmarshalJSON decodes CCXT's order book structure; null leaves b unchanged.
func (b *OrderBook) UnmarshalJSON(data []byte) error {
	r, err := readFields(data, "OrderBook")
	if r == nil {
		return err
	}
	out := OrderBook{
		Symbol:    r.str("symbol"),
		Timestamp: r.time("timestamp", "datetime"),
		Info:      r.info(),
	}
	r.into("nonce", &out.Nonce)
	r.into("bids", &out.Bids)
	r.into("asks", &out.Asks)
	if r.err != nil {
		return r.err
	}
	*b = out
	return nil
}

// MarshalJSON encodes b as {"free", "used", "total"} plus "debt" when present.
func (b Balance) MarshalJSON() ([]byte, error) {
	return b.appendJSON(make([]byte, 0, 96)), nil
}

func (b *Balance) appendJSON(buf []byte) []byte {
	o := openObject(buf)
	o.dec("free", b.Free)
	o.dec("used", b.Used)
	o.dec("total", b.Total)
	if b.Debt.Valid {
		o.dec("debt", b.Debt)
	}
	out, _ := o.close() // a Balance holds nothing that can fail to encode
	return out
}

// UnmarshalJSON decodes one currency's balance; null leaves b unchanged.
func (b *Balance) UnmarshalJSON(data []byte) error {
	r, err := readFields(data, "Balance")
	if r == nil {
		return err
	}
	*b = Balance{Free: r.dec("free"), Used: r.dec("used"), Total: r.dec("total"), Debt: r.dec("debt")}
	return r.err
}

// balanceKeys are the keys of CCXT's balance structure that are not currency codes.
var balanceKeys = map[string]bool{
	"info": true, "timestamp": true, "datetime": true,
	"free": true, "used": true, "total": true, "debt": true,
}

// MarshalJSON encodes bs as CCXT's balance structure: info, timestamp and
// datetime, one {"free", "used", "total"} object per currency code (in code
// order), and the free, used and total maps by code, plus a debt map of the
// currencies that have a debt, when any has. A currency code that is one of those key names cannot
// be encoded and gives an error matching errors.BadResponse.
func (bs Balances) MarshalJSON() ([]byte, error) {
	codes := make([]string, 0, len(bs.Currencies))
	debt := false
	for code, b := range bs.Currencies {
		if balanceKeys[code] {
			return nil, errors.Newf(errors.BadResponse, "unified: encoding Balances: currency code "+quote(code)+" is a reserved key")
		}
		codes = append(codes, code)
		debt = debt || b.Debt.Valid
	}
	sort.Strings(codes)
	o := openObject(nil)
	o.info("info", bs.Info)
	o.stamp("timestamp", "datetime", bs.Timestamp)
	for _, code := range codes {
		b := bs.Currencies[code]
		o.quotedKey(code)
		o.buf = b.appendJSON(o.buf)
	}
	for _, part := range [...]struct {
		key  string
		skip bool
		pick func(Balance) decimal.NullDecimal
	}{
		{"free", false, func(b Balance) decimal.NullDecimal { return b.Free }},
		{"used", false, func(b Balance) decimal.NullDecimal { return b.Used }},
		{"total", false, func(b Balance) decimal.NullDecimal { return b.Total }},
		{"debt", !debt, func(b Balance) decimal.NullDecimal { return b.Debt }},
	} {
		if part.skip {
			continue
		}
		o.key(part.key)
		inner := openObject(o.buf)
		for _, code := range codes {
			v := part.pick(bs.Currencies[code])
			if part.key == "debt" && !v.Valid {
				continue // CCXT's debt map lists only currencies with a debt
			}
			inner.quotedKey(code)
			if v.Valid {
				inner.buf = appendDecimal(inner.buf, v.Decimal)
			} else {
				inner.buf = append(inner.buf, "null"...)
			}
		}
		o.buf, _ = inner.close() // inner holds only numbers
	}
	return o.close()
}

// UnmarshalJSON decodes CCXT's balance structure from its per-currency
// objects (the free, used, total and debt maps repeat them and are not read);
// null leaves bs unchanged.
func (bs *Balances) UnmarshalJSON(data []byte) error {
	r, err := readFields(data, "Balances")
	if r == nil {
		return err
	}
	out := Balances{
		Timestamp: r.time("timestamp", "datetime"),
		Info:      r.info(),
	}
	for code := range r.fields {
		if balanceKeys[code] {
			continue
		}
		if out.Currencies == nil {
			out.Currencies = make(map[string]Balance)
		}
		var b Balance
		r.into(code, &b)
		out.Currencies[code] = b
	}
	if r.err != nil {
		return r.err
	}
	*bs = out
	return nil
}

// MarshalJSON encodes o as CCXT's order structure, including the deprecated
// stopPrice (equal to triggerPrice). A zero Fee is written as null.
func (o Order) MarshalJSON() ([]byte, error) {
	return o.appendJSON(make([]byte, 0, 1024+512*len(o.Trades)))
}

func (o *Order) appendJSON(buf []byte) ([]byte, error) {
	w := openObject(buf)
	w.str("id", o.ID)
	w.str("clientOrderId", o.ClientOrderID)
	w.stamp("timestamp", "datetime", o.Timestamp)
	w.millis("lastTradeTimestamp", o.LastTradeTimestamp)
	w.millis("lastUpdateTimestamp", o.LastUpdateTimestamp)
	w.str("symbol", o.Symbol)
	w.str("type", string(o.Type))
	w.str("timeInForce", string(o.TimeInForce))
	w.boolPtr("postOnly", o.PostOnly)
	w.boolPtr("reduceOnly", o.ReduceOnly)
	w.str("side", string(o.Side))
	w.dec("price", o.Price)
	w.dec("triggerPrice", o.TriggerPrice)
	w.dec("stopPrice", o.TriggerPrice)
	w.dec("takeProfitPrice", o.TakeProfitPrice)
	w.dec("stopLossPrice", o.StopLossPrice)
	w.dec("amount", o.Amount)
	w.dec("filled", o.Filled)
	w.dec("remaining", o.Remaining)
	w.dec("cost", o.Cost)
	w.dec("average", o.Average)
	w.str("status", string(o.Status))
	w.fee("fee", o.Fee, true)
	w.fees("fees", o.Fees)
	w.key("trades")
	w.buf = append(w.buf, '[')
	for i := range o.Trades {
		if i > 0 {
			w.buf = append(w.buf, ',')
		}
		var err error
		if w.buf, err = o.Trades[i].appendJSON(w.buf); err != nil {
			return nil, err
		}
	}
	w.buf = append(w.buf, ']')
	w.info("info", o.Info)
	return w.close()
}

// UnmarshalJSON decodes CCXT's order structure, reading stopPrice when
// triggerPrice is null; null leaves o unchanged.
func (o *Order) UnmarshalJSON(data []byte) error {
	r, err := readFields(data, "Order")
	if r == nil {
		return err
	}
	out := Order{
		ID:                  r.str("id"),
		ClientOrderID:       r.str("clientOrderId"),
		Timestamp:           r.time("timestamp", "datetime"),
		LastTradeTimestamp:  r.millis("lastTradeTimestamp"),
		LastUpdateTimestamp: r.millis("lastUpdateTimestamp"),
		Symbol:              r.str("symbol"),
		Type:                OrderType(r.str("type")),
		TimeInForce:         TimeInForce(r.str("timeInForce")),
		PostOnly:            r.boolPtr("postOnly"),
		ReduceOnly:          r.boolPtr("reduceOnly"),
		Side:                Side(r.str("side")),
		Price:               r.dec("price"),
		TriggerPrice:        r.dec("triggerPrice"),
		TakeProfitPrice:     r.dec("takeProfitPrice"),
		StopLossPrice:       r.dec("stopLossPrice"),
		Amount:              r.dec("amount"),
		Filled:              r.dec("filled"),
		Remaining:           r.dec("remaining"),
		Cost:                r.dec("cost"),
		Average:             r.dec("average"),
		Status:              OrderStatus(r.str("status")),
		Info:                r.info(),
	}
	if !out.TriggerPrice.Valid {
		out.TriggerPrice = r.dec("stopPrice")
	}
	r.into("fee", &out.Fee)
	r.into("fees", &out.Fees)
	r.into("trades", &out.Trades)
	if r.err != nil {
		return r.err
	}
	*o = out
	return nil
}

// MarshalJSON encodes p as CCXT's position structure.
func (p Position) MarshalJSON() ([]byte, error) {
	return p.appendJSON(make([]byte, 0, 1024))
}

func (p *Position) appendJSON(buf []byte) ([]byte, error) {
	o := openObject(buf)
	o.str("id", p.ID)
	o.str("symbol", p.Symbol)
	o.stamp("timestamp", "datetime", p.Timestamp)
	o.millis("lastUpdateTimestamp", p.LastUpdateTimestamp)
	o.str("side", string(p.Side))
	o.dec("contracts", p.Contracts)
	o.dec("contractSize", p.ContractSize)
	o.dec("entryPrice", p.EntryPrice)
	o.dec("markPrice", p.MarkPrice)
	o.dec("lastPrice", p.LastPrice)
	o.dec("notional", p.Notional)
	o.dec("leverage", p.Leverage)
	o.dec("collateral", p.Collateral)
	o.dec("initialMargin", p.InitialMargin)
	o.dec("initialMarginPercentage", p.InitialMarginPercentage)
	o.dec("maintenanceMargin", p.MaintenanceMargin)
	o.dec("maintenanceMarginPercentage", p.MaintenanceMarginPercentage)
	o.dec("marginRatio", p.MarginRatio)
	o.dec("unrealizedPnl", p.UnrealizedPnl)
	o.dec("realizedPnl", p.RealizedPnl)
	o.dec("percentage", p.Percentage)
	o.dec("liquidationPrice", p.LiquidationPrice)
	o.str("marginMode", string(p.MarginMode))
	o.boolPtr("hedged", p.Hedged)
	o.dec("stopLossPrice", p.StopLossPrice)
	o.dec("takeProfitPrice", p.TakeProfitPrice)
	o.info("info", p.Info)
	return o.close()
}

// UnmarshalJSON decodes CCXT's position structure; null leaves p unchanged.
func (p *Position) UnmarshalJSON(data []byte) error {
	r, err := readFields(data, "Position")
	if r == nil {
		return err
	}
	*p = Position{
		ID:                          r.str("id"),
		Symbol:                      r.str("symbol"),
		Timestamp:                   r.time("timestamp", "datetime"),
		LastUpdateTimestamp:         r.millis("lastUpdateTimestamp"),
		Side:                        PositionSide(r.str("side")),
		Contracts:                   r.dec("contracts"),
		ContractSize:                r.dec("contractSize"),
		EntryPrice:                  r.dec("entryPrice"),
		MarkPrice:                   r.dec("markPrice"),
		LastPrice:                   r.dec("lastPrice"),
		Notional:                    r.dec("notional"),
		Leverage:                    r.dec("leverage"),
		Collateral:                  r.dec("collateral"),
		InitialMargin:               r.dec("initialMargin"),
		InitialMarginPercentage:     r.dec("initialMarginPercentage"),
		MaintenanceMargin:           r.dec("maintenanceMargin"),
		MaintenanceMarginPercentage: r.dec("maintenanceMarginPercentage"),
		MarginRatio:                 r.dec("marginRatio"),
		UnrealizedPnl:               r.dec("unrealizedPnl"),
		RealizedPnl:                 r.dec("realizedPnl"),
		Percentage:                  r.dec("percentage"),
		LiquidationPrice:            r.dec("liquidationPrice"),
		MarginMode:                  MarginMode(r.str("marginMode")),
		Hedged:                      r.boolPtr("hedged"),
		StopLossPrice:               r.dec("stopLossPrice"),
		TakeProfitPrice:             r.dec("takeProfitPrice"),
		Info:                        r.info(),
	}
	return r.err
}

// MarshalJSON encodes f as CCXT's funding rate structure.
func (f FundingRate) MarshalJSON() ([]byte, error) {
	return f.appendJSON(make([]byte, 0, 768))
}

func (f *FundingRate) appendJSON(buf []byte) ([]byte, error) {
	o := openObject(buf)
	o.str("symbol", f.Symbol)
	o.stamp("timestamp", "datetime", f.Timestamp)
	o.dec("fundingRate", f.Rate)
	o.stamp("fundingTimestamp", "fundingDatetime", f.FundingTime)
	o.dec("nextFundingRate", f.NextRate)
	o.stamp("nextFundingTimestamp", "nextFundingDatetime", f.NextFundingTime)
	o.dec("previousFundingRate", f.PreviousRate)
	o.stamp("previousFundingTimestamp", "previousFundingDatetime", f.PreviousFundingTime)
	o.dec("markPrice", f.MarkPrice)
	o.dec("indexPrice", f.IndexPrice)
	o.dec("interestRate", f.InterestRate)
	o.dec("estimatedSettlePrice", f.EstimatedSettlePrice)
	o.str("interval", f.Interval)
	o.info("info", f.Info)
	return o.close()
}

// UnmarshalJSON decodes CCXT's funding rate structure; null leaves f unchanged.
func (f *FundingRate) UnmarshalJSON(data []byte) error {
	r, err := readFields(data, "FundingRate")
	if r == nil {
		return err
	}
	*f = FundingRate{
		Symbol:               r.str("symbol"),
		Timestamp:            r.time("timestamp", "datetime"),
		Rate:                 r.dec("fundingRate"),
		FundingTime:          r.time("fundingTimestamp", "fundingDatetime"),
		NextRate:             r.dec("nextFundingRate"),
		NextFundingTime:      r.time("nextFundingTimestamp", "nextFundingDatetime"),
		PreviousRate:         r.dec("previousFundingRate"),
		PreviousFundingTime:  r.time("previousFundingTimestamp", "previousFundingDatetime"),
		MarkPrice:            r.dec("markPrice"),
		IndexPrice:           r.dec("indexPrice"),
		InterestRate:         r.dec("interestRate"),
		EstimatedSettlePrice: r.dec("estimatedSettlePrice"),
		Interval:             r.str("interval"),
		Info:                 r.info(),
	}
	return r.err
}

// MarshalJSON encodes t as CCXT's transaction structure. A zero Fee is written as null.
func (t Transaction) MarshalJSON() ([]byte, error) {
	return t.appendJSON(make([]byte, 0, 640))
}

func (t *Transaction) appendJSON(buf []byte) ([]byte, error) {
	o := openObject(buf)
	o.str("id", t.ID)
	o.str("txid", t.TxID)
	o.stamp("timestamp", "datetime", t.Timestamp)
	o.millis("updated", t.Updated)
	o.str("type", string(t.Type))
	o.str("currency", t.Currency)
	o.str("network", t.Network)
	o.dec("amount", t.Amount)
	o.str("status", string(t.Status))
	o.str("address", t.Address)
	o.str("addressFrom", t.AddressFrom)
	o.str("addressTo", t.AddressTo)
	o.str("tag", t.Tag)
	o.str("tagFrom", t.TagFrom)
	o.str("tagTo", t.TagTo)
	o.str("comment", t.Comment)
	o.boolPtr("internal", t.Internal)
	o.fee("fee", t.Fee, true)
	o.info("info", t.Info)
	return o.close()
}

// UnmarshalJSON decodes CCXT's transaction structure; null leaves t unchanged.
func (t *Transaction) UnmarshalJSON(data []byte) error {
	r, err := readFields(data, "Transaction")
	if r == nil {
		return err
	}
	out := Transaction{
		ID:          r.str("id"),
		TxID:        r.str("txid"),
		Timestamp:   r.time("timestamp", "datetime"),
		Updated:     r.millis("updated"),
		Type:        TransactionType(r.str("type")),
		Currency:    r.str("currency"),
		Network:     r.str("network"),
		Amount:      r.dec("amount"),
		Status:      TransactionStatus(r.str("status")),
		Address:     r.str("address"),
		AddressFrom: r.str("addressFrom"),
		AddressTo:   r.str("addressTo"),
		Tag:         r.str("tag"),
		TagFrom:     r.str("tagFrom"),
		TagTo:       r.str("tagTo"),
		Comment:     r.str("comment"),
		Internal:    r.boolPtr("internal"),
		Info:        r.info(),
	}
	r.into("fee", &out.Fee)
	if r.err != nil {
		return r.err
	}
	*t = out
	return nil
}

// MarshalJSON encodes a as CCXT's deposit address structure.
func (a DepositAddress) MarshalJSON() ([]byte, error) {
	return a.appendJSON(make([]byte, 0, 160))
}

func (a *DepositAddress) appendJSON(buf []byte) ([]byte, error) {
	o := openObject(buf)
	o.str("currency", a.Currency)
	o.str("network", a.Network)
	o.str("address", a.Address)
	o.str("tag", a.Tag)
	o.info("info", a.Info)
	return o.close()
}

// UnmarshalJSON decodes CCXT's deposit address structure; null leaves a unchanged.
func (a *DepositAddress) UnmarshalJSON(data []byte) error {
	r, err := readFields(data, "DepositAddress")
	if r == nil {
		return err
	}
	*a = DepositAddress{
		Currency: r.str("currency"),
		Network:  r.str("network"),
		Address:  r.str("address"),
		Tag:      r.str("tag"),
		Info:     r.info(),
	}
	return r.err
}

// MarshalJSON encodes l as CCXT's ledger entry structure. A zero Fee is written as null.
func (l LedgerEntry) MarshalJSON() ([]byte, error) {
	return l.appendJSON(make([]byte, 0, 512))
}

func (l *LedgerEntry) appendJSON(buf []byte) ([]byte, error) {
	o := openObject(buf)
	o.str("id", l.ID)
	o.stamp("timestamp", "datetime", l.Timestamp)
	o.str("direction", string(l.Direction))
	o.str("account", l.Account)
	o.str("referenceId", l.ReferenceID)
	o.str("referenceAccount", l.ReferenceAccount)
	o.str("type", l.Type)
	o.str("currency", l.Currency)
	o.dec("amount", l.Amount)
	o.dec("before", l.Before)
	o.dec("after", l.After)
	o.str("status", l.Status)
	o.fee("fee", l.Fee, true)
	o.info("info", l.Info)
	return o.close()
}

// UnmarshalJSON decodes CCXT's ledger entry structure; null leaves l unchanged.
func (l *LedgerEntry) UnmarshalJSON(data []byte) error {
	r, err := readFields(data, "LedgerEntry")
	if r == nil {
		return err
	}
	out := LedgerEntry{
		ID:               r.str("id"),
		Timestamp:        r.time("timestamp", "datetime"),
		Direction:        Direction(r.str("direction")),
		Account:          r.str("account"),
		ReferenceID:      r.str("referenceId"),
		ReferenceAccount: r.str("referenceAccount"),
		Type:             r.str("type"),
		Currency:         r.str("currency"),
		Amount:           r.dec("amount"),
		Before:           r.dec("before"),
		After:            r.dec("after"),
		Status:           r.str("status"),
		Info:             r.info(),
	}
	r.into("fee", &out.Fee)
	if r.err != nil {
		return r.err
	}
	*l = out
	return nil
}
