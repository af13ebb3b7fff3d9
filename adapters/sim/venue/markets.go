package venue

import (
	"strconv"

	"github.com/shopspring/decimal"
)

// Market is one market the simulated venue lists. Prices are counted in
// ticks of 10^-PriceDecimals and amounts in lots of 10^-AmountDecimals, so
// that every price and amount on the venue is an exact integer.
type Market struct {
	// ID is the venue's market id, for example "BTCUSDT" or "BTCUSDT-PERP".
	ID string
	// Base and Quote are the currency codes; Settle is set on the perpetual.
	Base, Quote, Settle string
	// Perpetual marks a linear perpetual swap (one contract = one lot of base).
	Perpetual bool
	// PriceDecimals and AmountDecimals fix the tick and the lot.
	PriceDecimals, AmountDecimals int32
	// Spacing is how many ticks apart the simulated crowd places its levels.
	Spacing int64
	// StartPrice is the first fair price, in ticks.
	StartPrice int64
	// MinLots is the smallest order amount, in lots.
	MinLots int64
	// MinNotional is the smallest order value, in quote currency.
	MinNotional decimal.Decimal
	// Maker and Taker are the fee rates.
	Maker, Taker decimal.Decimal
	// MaxLeverage caps the perpetual's leverage.
	MaxLeverage int64
}

// DefaultMarkets are the markets a venue lists unless its Config says otherwise.
func DefaultMarkets() []Market {
	spotMaker, spotTaker := decimal.RequireFromString("0.0008"), decimal.RequireFromString("0.001")
	return []Market{
		{ID: "BTCUSDT", Base: "BTC", Quote: "USDT", PriceDecimals: 2, AmountDecimals: 5, Spacing: 50,
			StartPrice: 6_500_000, MinLots: 10, MinNotional: decimal.NewFromInt(5), Maker: spotMaker, Taker: spotTaker},
		{ID: "ETHUSDT", Base: "ETH", Quote: "USDT", PriceDecimals: 2, AmountDecimals: 4, Spacing: 5,
			StartPrice: 340_000, MinLots: 10, MinNotional: decimal.NewFromInt(5), Maker: spotMaker, Taker: spotTaker},
		{ID: "ETHBTC", Base: "ETH", Quote: "BTC", PriceDecimals: 5, AmountDecimals: 3, Spacing: 1,
			StartPrice: 5_230, MinLots: 1, MinNotional: decimal.RequireFromString("0.0001"), Maker: spotMaker, Taker: spotTaker},
		{ID: "BTCUSDT-PERP", Base: "BTC", Quote: "USDT", Settle: "USDT", Perpetual: true, PriceDecimals: 1, AmountDecimals: 3,
			Spacing: 5, StartPrice: 650_100, MinLots: 1, MinNotional: decimal.NewFromInt(5),
			Maker: decimal.RequireFromString("0.0002"), Taker: decimal.RequireFromString("0.0005"), MaxLeverage: 100},
	}
}

// Tick is the market's price step as a decimal.
func (m *Market) Tick() decimal.Decimal { return decimal.New(1, -m.PriceDecimals) }

// Lot is the market's amount step as a decimal.
func (m *Market) Lot() decimal.Decimal { return decimal.New(1, -m.AmountDecimals) }

// price is a tick count as a decimal.
func (m *Market) price(ticks int64) decimal.Decimal { return decimal.New(ticks, -m.PriceDecimals) }

// amount is a lot count as a decimal.
func (m *Market) amount(lots int64) decimal.Decimal { return decimal.New(lots, -m.AmountDecimals) }

// notional is the quote value of lots at ticks.
func (m *Market) notional(ticks, lots int64) decimal.Decimal {
	return m.price(ticks).Mul(m.amount(lots))
}

// appendFixed appends n scaled by 10^-decimals in plain decimal text
// ("65000.10", "0.00010"): the venue's wire form for prices and amounts.
func appendFixed(dst []byte, n int64, decimals int32) []byte {
	if n < 0 {
		dst = append(dst, '-')
		n = -n
	}
	if decimals == 0 {
		return strconv.AppendInt(dst, n, 10)
	}
	var buf [24]byte
	digits := strconv.AppendInt(buf[:0], n, 10)
	for int32(len(digits)) <= decimals {
		digits = append([]byte{'0'}, digits...)
	}
	cut := len(digits) - int(decimals)
	dst = append(dst, digits[:cut]...)
	dst = append(dst, '.')
	return append(dst, digits[cut:]...)
}

// toUnits converts an exact decimal to a count of 10^-decimals units; ok is
// false when it is not a whole number of units or does not fit.
func toUnits(d decimal.Decimal, decimals int32) (int64, bool) {
	scaled := d.Shift(decimals)
	if !scaled.Equal(scaled.Truncate(0)) || scaled.Abs().GreaterThan(decimal.New(1, 17)) {
		return 0, false
	}
	return scaled.IntPart(), true
}
