package unified

import (
	"sort"
	"strconv"
)

// MarshalJSON encodes m as CCXT's market structure (safeMarketStructure's
// fields but lowercaseId and index, which Market does not hold), plus
// "precisionMode", CCXT's number for m.PrecisionMode, which CCXT keeps on the
// exchange rather than the market (null when unknown). linear, inverse and contractSize are null
// for markets that are not contracts, as CCXT prints them; limits.market is
// written only when set.
func (m Market) MarshalJSON() ([]byte, error) {
	return m.appendJSON(make([]byte, 0, 1024))
}

func (m *Market) appendJSON(buf []byte) ([]byte, error) {
	o := openObject(buf)
	o.str("id", m.ID)
	o.str("symbol", m.Symbol)
	o.str("base", m.Base)
	o.str("quote", m.Quote)
	o.str("settle", m.Settle)
	o.str("baseId", m.BaseID)
	o.str("quoteId", m.QuoteID)
	o.str("settleId", m.SettleID)
	o.str("type", string(m.Type))
	o.boolean("spot", m.Spot)
	o.boolean("margin", m.Margin)
	o.boolean("swap", m.Swap)
	o.boolean("future", m.Future)
	o.boolean("option", m.Option)
	o.boolPtr("active", m.Active)
	o.boolean("contract", m.Contract)
	if m.Contract {
		o.boolean("linear", m.Linear)
		o.boolean("inverse", m.Inverse)
	} else {
		o.null("linear")
		o.null("inverse")
	}
	o.str("subType", m.SubType)
	o.dec("taker", m.Taker)
	o.dec("maker", m.Maker)
	o.dec("contractSize", m.ContractSize)
	o.stamp("expiry", "expiryDatetime", m.Expiry)
	o.dec("strike", m.Strike)
	o.str("optionType", string(m.OptionType))
	o.key("precision")
	p := openObject(o.buf)
	p.dec("amount", m.Precision.Amount)
	p.dec("price", m.Precision.Price)
	p.dec("cost", m.Precision.Cost)
	p.dec("base", m.Precision.Base)
	p.dec("quote", m.Precision.Quote)
	o.buf, _ = p.close() // only numbers
	o.key("limits")
	l := openObject(o.buf)
	l.minMax("leverage", m.Limits.Leverage)
	l.minMax("amount", m.Limits.Amount)
	l.minMax("price", m.Limits.Price)
	l.minMax("cost", m.Limits.Cost)
	if m.Limits.Market.Min.Valid || m.Limits.Market.Max.Valid {
		l.minMax("market", m.Limits.Market)
	}
	o.buf, _ = l.close() // only numbers
	o.key("marginModes")
	mm := openObject(o.buf)
	mm.boolean("cross", m.MarginModes.Cross)
	mm.boolean("isolated", m.MarginModes.Isolated)
	o.buf, _ = mm.close() // only booleans
	o.millis("created", m.Created)
	if m.PrecisionMode == 0 {
		o.null("precisionMode")
	} else {
		o.key("precisionMode")
		o.buf = strconv.AppendInt(o.buf, int64(m.PrecisionMode), 10)
	}
	o.info("info", m.Info)
	return o.close()
}

// UnmarshalJSON decodes CCXT's market structure; null leaves m unchanged.
// Keys Market does not hold (lowercaseId, index, tierBased...) are ignored.
func (m *Market) UnmarshalJSON(data []byte) error {
	r, err := readFields(data, "Market")
	if r == nil {
		return err
	}
	out := Market{
		ID:           r.str("id"),
		Symbol:       r.str("symbol"),
		Base:         r.str("base"),
		Quote:        r.str("quote"),
		Settle:       r.str("settle"),
		BaseID:       r.str("baseId"),
		QuoteID:      r.str("quoteId"),
		SettleID:     r.str("settleId"),
		Type:         MarketType(r.str("type")),
		SubType:      r.str("subType"),
		Spot:         r.boolean("spot"),
		Margin:       r.boolean("margin"),
		Swap:         r.boolean("swap"),
		Future:       r.boolean("future"),
		Option:       r.boolean("option"),
		Active:       r.boolPtr("active"),
		Contract:     r.boolean("contract"),
		Linear:       r.boolean("linear"),
		Inverse:      r.boolean("inverse"),
		Taker:        r.dec("taker"),
		Maker:        r.dec("maker"),
		ContractSize: r.dec("contractSize"),
		Expiry:       r.time("expiry", "expiryDatetime"),
		Strike:       r.dec("strike"),
		OptionType:   OptionType(r.str("optionType")),
		Created:      r.millis("created"),
		Info:         r.info(),
	}
	r.into("precisionMode", &out.PrecisionMode)
	if p := r.object("precision"); p != nil {
		out.Precision = Precision{
			Amount: p.dec("amount"), Price: p.dec("price"), Cost: p.dec("cost"),
			Base: p.dec("base"), Quote: p.dec("quote"),
		}
		r.adopt(p)
	}
	if l := r.object("limits"); l != nil {
		out.Limits = Limits{
			Leverage: l.minMax("leverage"), Amount: l.minMax("amount"), Price: l.minMax("price"),
			Cost: l.minMax("cost"), Market: l.minMax("market"),
		}
		r.adopt(l)
	}
	if mm := r.object("marginModes"); mm != nil {
		out.MarginModes = MarginModes{Cross: mm.boolean("cross"), Isolated: mm.boolean("isolated")}
		r.adopt(mm)
	}
	if r.err != nil {
		return r.err
	}
	*m = out
	return nil
}

// MarshalJSON encodes c as CCXT's currency structure: id, code, name,
// active, deposit, withdraw, fee, precision, limits (withdraw and deposit),
// networks by unified network code, and info.
func (c Currency) MarshalJSON() ([]byte, error) {
	return c.appendJSON(make([]byte, 0, 512+256*len(c.Networks)))
}

func (c *Currency) appendJSON(buf []byte) ([]byte, error) {
	o := openObject(buf)
	o.str("id", c.ID)
	o.str("code", c.Code)
	o.str("name", c.Name)
	o.boolPtr("active", c.Active)
	o.boolPtr("deposit", c.Deposit)
	o.boolPtr("withdraw", c.Withdraw)
	o.dec("fee", c.Fee)
	o.dec("precision", c.Precision)
	o.currencyLimits("limits", c.Limits)
	o.key("networks")
	codes := make([]string, 0, len(c.Networks))
	for code := range c.Networks {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	nets := openObject(o.buf)
	for _, code := range codes {
		n := c.Networks[code]
		nets.quotedKey(code)
		var err error
		if nets.buf, err = n.appendJSON(nets.buf); err != nil {
			return nil, err
		}
	}
	o.buf, _ = nets.close() // the networks reported their own errors
	o.info("info", c.Info)
	return o.close()
}

// UnmarshalJSON decodes CCXT's currency structure; null leaves c unchanged.
func (c *Currency) UnmarshalJSON(data []byte) error {
	r, err := readFields(data, "Currency")
	if r == nil {
		return err
	}
	out := Currency{
		ID:        r.str("id"),
		Code:      r.str("code"),
		Name:      r.str("name"),
		Active:    r.boolPtr("active"),
		Deposit:   r.boolPtr("deposit"),
		Withdraw:  r.boolPtr("withdraw"),
		Fee:       r.dec("fee"),
		Precision: r.dec("precision"),
		Limits:    r.currencyLimits("limits"),
		Info:      r.info(),
	}
	r.into("networks", &out.Networks)
	if r.err != nil {
		return r.err
	}
	*c = out
	return nil
}

// MarshalJSON encodes n as CCXT's network structure inside a currency.
func (n Network) MarshalJSON() ([]byte, error) {
	return n.appendJSON(make([]byte, 0, 384))
}

func (n *Network) appendJSON(buf []byte) ([]byte, error) {
	o := openObject(buf)
	o.str("id", n.ID)
	o.str("network", n.Network)
	o.boolPtr("active", n.Active)
	o.boolPtr("deposit", n.Deposit)
	o.boolPtr("withdraw", n.Withdraw)
	o.dec("fee", n.Fee)
	o.dec("precision", n.Precision)
	o.currencyLimits("limits", n.Limits)
	o.info("info", n.Info)
	return o.close()
}

// UnmarshalJSON decodes CCXT's network structure; null leaves n unchanged.
func (n *Network) UnmarshalJSON(data []byte) error {
	r, err := readFields(data, "Network")
	if r == nil {
		return err
	}
	*n = Network{
		ID:        r.str("id"),
		Network:   r.str("network"),
		Active:    r.boolPtr("active"),
		Deposit:   r.boolPtr("deposit"),
		Withdraw:  r.boolPtr("withdraw"),
		Fee:       r.dec("fee"),
		Precision: r.dec("precision"),
		Limits:    r.currencyLimits("limits"),
		Info:      r.info(),
	}
	return r.err
}

// minMax writes mm as {"min", "max"}.
func (o *jsonObject) minMax(k string, mm MinMax) {
	o.key(k)
	inner := openObject(o.buf)
	inner.dec("min", mm.Min)
	inner.dec("max", mm.Max)
	o.buf, _ = inner.close() // only numbers
}

// currencyLimits writes l as {"withdraw": {...}, "deposit": {...}}.
func (o *jsonObject) currencyLimits(k string, l CurrencyLimits) {
	o.key(k)
	inner := openObject(o.buf)
	inner.minMax("withdraw", l.Withdraw)
	inner.minMax("deposit", l.Deposit)
	o.buf, _ = inner.close() // only numbers
}

// object reads a nested object field, nil when missing or null.
func (r *jsonFields) object(key string) *jsonFields {
	raw := r.raw(key)
	if raw == nil {
		return nil
	}
	inner, err := readFields(raw, r.typ+"."+key)
	if err != nil {
		r.fail(key, err)
		return nil
	}
	return inner
}

// adopt keeps the first error of a nested reader.
func (r *jsonFields) adopt(inner *jsonFields) {
	if r.err == nil && inner.err != nil {
		r.err = inner.err
	}
}

// minMax reads a nested {"min", "max"}.
func (r *jsonFields) minMax(key string) MinMax {
	inner := r.object(key)
	if inner == nil {
		return MinMax{}
	}
	mm := MinMax{Min: inner.dec("min"), Max: inner.dec("max")}
	r.adopt(inner)
	return mm
}

// currencyLimits reads a nested {"withdraw", "deposit"}.
func (r *jsonFields) currencyLimits(key string) CurrencyLimits {
	inner := r.object(key)
	if inner == nil {
		return CurrencyLimits{}
	}
	l := CurrencyLimits{Withdraw: inner.minMax("withdraw"), Deposit: inner.minMax("deposit")}
	r.adopt(inner)
	return l
}
