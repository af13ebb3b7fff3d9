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

// parseOption fills in an option of instruments-info (category option):
// BASE/QUOTE:SETTLE-YYMMDD-STRIKE-C|P as CCXT writes it, the expiry from
// deliveryTime, the strike and letter from the id (BTC-30MAY25-70000-C,
// BTC-30MAY25-70000-C-USDT), the type from optionsType. One contract is
// one unit of the base; options settle in a stablecoin, so they are
// linear.
func parseOption(in *instrument, m *unified.Market, sym *markets.Symbol, ds *decimals) error {
	if in.SettleCoin == "" {
		return errors.Newf(errors.BadResponse, "bybit: option "+in.Symbol+" without settleCoin")
	}
	parts := strings.Split(in.Symbol, "-")
	if len(parts) < 4 {
		return errors.Newf(errors.BadResponse, "bybit: option id "+strconv.Quote(in.Symbol)+" is not BASE-DDMMMYY-STRIKE-C|P")
	}
	strike, err := decimal.NewFromString(parts[2])
	if err != nil || !strike.IsPositive() {
		return errors.Newf(errors.BadResponse, "bybit: option "+in.Symbol+" without a positive strike")
	}
	switch {
	case in.OptionsType == "Call" && parts[3] == "C":
		m.OptionType = unified.Call
	case in.OptionsType == "Put" && parts[3] == "P":
		m.OptionType = unified.Put
	default:
		return errors.Newf(errors.BadResponse, "bybit: option "+in.Symbol+" of optionsType "+strconv.Quote(in.OptionsType))
	}
	ms, err := strconv.ParseInt(in.DeliveryTime, 10, 64)
	if err != nil || ms <= 0 {
		return errors.Newf(errors.BadResponse, "bybit: option "+in.Symbol+" without a deliveryTime")
	}
	m.Expiry = time.UnixMilli(ms).UTC()
	code, err := markets.ExpiryCode(m.Expiry)
	if err != nil {
		return err
	}
	settle := codes.Common(in.SettleCoin)
	m.Settle, m.SettleID, sym.Settle = settle, in.SettleCoin, settle
	m.Type, m.Option, m.Contract = unified.Option, true, true
	m.Linear, m.SubType = true, CategoryLinear
	m.ContractSize = decimal.NewNullDecimal(decimal.NewFromInt(1))
	m.Strike = decimal.NewNullDecimal(strike)
	sym.Expiry, sym.Strike, sym.OptionType = code, strike, m.OptionType
	if t, err := strconv.ParseInt(in.LaunchTime, 10, 64); err == nil && t > 0 {
		m.Created = time.UnixMilli(t).UTC()
	}
	lot := &in.LotSizeFilter
	m.Precision.Amount = ds.positive(lot.QtyStep)
	m.Limits.Amount = unified.MinMax{Min: ds.positive(lot.MinOrderQty), Max: ds.positive(lot.MaxOrderQty)}
	return nil
}
