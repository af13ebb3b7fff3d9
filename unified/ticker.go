package unified

import (
	"time"

	"github.com/shopspring/decimal"
)

// Ticker is a market's price statistics, usually over the last 24 hours, with
// CCXT's ticker structure. Every price and volume may be absent (Valid false).
type Ticker struct {
	// Symbol is the unified symbol, for example "BTC/USDT".
	Symbol string
	// Timestamp is the venue's time of the statistics; zero when it gives none.
	Timestamp time.Time
	// High is the highest price of the period.
	High decimal.NullDecimal
	// Low is the lowest price of the period.
	Low decimal.NullDecimal
	// Bid is the best bid price.
	Bid decimal.NullDecimal
	// BidVolume is the amount at the best bid.
	BidVolume decimal.NullDecimal
	// Ask is the best ask price.
	Ask decimal.NullDecimal
	// AskVolume is the amount at the best ask.
	AskVolume decimal.NullDecimal
	// VWAP is the volume-weighted average price of the period.
	VWAP decimal.NullDecimal
	// Open is the price at the start of the period.
	Open decimal.NullDecimal
	// Close is the last traded price; Complete makes Close and Last equal.
	Close decimal.NullDecimal
	// Last is the last traded price, the same as Close.
	Last decimal.NullDecimal
	// PreviousClose is the close of the previous period.
	PreviousClose decimal.NullDecimal
	// Change is Close − Open.
	Change decimal.NullDecimal
	// Percentage is Change / Open × 100.
	Percentage decimal.NullDecimal
	// Average is (Open + Close) / 2.
	Average decimal.NullDecimal
	// BaseVolume is the traded volume in base currency (contracts for some derivatives).
	BaseVolume decimal.NullDecimal
	// QuoteVolume is the traded volume in quote currency.
	QuoteVolume decimal.NullDecimal
	// MarkPrice is the mark price of a derivative.
	MarkPrice decimal.NullDecimal
	// IndexPrice is the index price of a derivative.
	IndexPrice decimal.NullDecimal
	// Info is the native payload when Info retention is on.
	Info any
}

// Complete fills the fields a venue left out that follow from the others, by
// the rules of CCXT's safeTicker, and blanks the zeros CCXT treats as missing.
// m is the ticker's market, or nil when unknown; it only sets the precision of
// Average. Call it once an adapter has copied the venue's fields in.
//
// The rules, in order:
//
//   - A zero Open, Close, Percentage or Average counts as missing, and so does
//     a zero High, Low, Bid or Ask (those end absent). A zero Change does not:
//     a flat day is a real change of zero.
//   - Close is Close, or Last when Close is absent; both end up equal.
//   - VWAP = QuoteVolume / BaseVolume when absent and QuoteVolume is non-zero.
//   - With Change known: Close = Average + Change/2, then Open = Close − Change.
//     Otherwise, with Percentage known: Close = Open × (1 + Percentage/100),
//     where a missing Open is first taken as 2 × Average / (2 + Percentage/100);
//     then Open = Close / (1 + Percentage/100).
//   - Change = Close − Open, or Open × Percentage/100 when Close is unknown.
//   - With Open known: Percentage = Change / Open × 100, Close = Open + Change
//     or 2 × Average − Open, and Average = (Open + Close) / 2.
//
// Each rule fills only a missing field. Divisions truncate toward zero at 18
// decimal places, as CCXT's Precise does, except Average, which is truncated
// to the decimal places of the market's price tick when m uses TickSize
// precision, so that Average prints as CCXT prints it. A division by zero
// leaves its result absent. Percentage is computed as (Change / Open,
// truncated) × 100, so it carries at most 16 decimals, like CCXT's.
//
// Like safeTicker, Complete makes a single pass in this order, so a field
// derived late does not feed an earlier rule: from Open and Average alone it
// derives Close but not Change. A second call may fill such a field; it never
// changes one already set.
//
// One CCXT rule is left out: with Close and Percentage known and Open not
// computable (Percentage = −100), CCXT sets Change = Percentage/100 × Close/100,
// which is not a price change; Complete leaves Change absent there.
func (t *Ticker) Complete(m *Market) {
	open := omitZero(t.Open)
	closing := t.Close
	if !closing.Valid {
		closing = t.Last
	}
	closing = omitZero(closing)
	change := t.Change
	percentage := omitZero(t.Percentage)
	average := omitZero(t.Average)
	if !t.VWAP.Valid {
		t.VWAP = quo(omitZero(t.QuoteVolume), t.BaseVolume, divPlaces)
	}
	two, hundred := present(decTwo), present(decHundred)
	if change.Valid {
		if !closing.Valid && average.Valid {
			closing = add(average, quo(change, two, divPlaces))
		}
		if !open.Valid && closing.Valid {
			open = sub(closing, change)
		}
	} else if percentage.Valid {
		growth := add(present(decOne), quo(percentage, hundred, divPlaces))
		if !closing.Valid && average.Valid {
			base := open
			if !base.Valid {
				denominator := add(two, quo(percentage, hundred, divPlaces))
				base = quo(mul(average, two), denominator, divPlaces)
			}
			closing = mul(base, growth)
		}
		if !open.Valid && closing.Valid {
			open = quo(closing, growth, divPlaces)
		}
	}
	if !change.Valid {
		if closing.Valid && open.Valid {
			change = sub(closing, open)
		} else if !closing.Valid && open.Valid && percentage.Valid {
			change = mul(open, quo(percentage, hundred, divPlaces))
		}
	}
	if open.Valid {
		if !percentage.Valid && change.Valid {
			percentage = mul(quo(change, open, divPlaces), hundred)
		}
		if !closing.Valid && change.Valid {
			closing = add(open, change)
		}
		if !closing.Valid && average.Valid {
			closing = sub(mul(average, two), open)
		}
		if !average.Valid && closing.Valid {
			average = quo(add(open, closing), two, averagePlaces(m))
		}
	}
	t.High = omitZero(t.High)
	t.Low = omitZero(t.Low)
	t.Bid = omitZero(t.Bid)
	t.Ask = omitZero(t.Ask)
	t.Open = omitZero(open)
	t.Close = omitZero(closing)
	t.Last = t.Close
	t.Change = change
	t.Percentage = percentage
	t.Average = average
}

// averagePlaces is the number of decimal places a derived ticker average
// keeps: those of the market's price tick under TickSize precision, else 18.
func averagePlaces(m *Market) int32 {
	if m != nil && m.PrecisionMode == TickSize && m.Precision.Price.Valid {
		return fractionDigits(m.Precision.Price.Decimal)
	}
	return divPlaces
}
