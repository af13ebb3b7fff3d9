package main

import (
	"encoding/json"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/unified"
)

// venueTime is fetchTime's result; it encodes as Unix milliseconds, as CCXT's fetchTime returns.
type venueTime time.Time

// MarshalJSON writes the time in Unix milliseconds.
func (t venueTime) MarshalJSON() ([]byte, error) {
	return strconv.AppendInt(nil, time.Time(t).UnixMilli(), 10), nil
}

// printer writes results in one format.
type printer struct {
	w      io.Writer
	format string // formatJSON or formatTable
	depth  int    // levels per side of a book in a table; 0: all
}

// print writes one result: pretty JSON, or a table.
func (p printer) print(v any) error {
	if p.format == formatTable {
		return p.table(v)
	}
	enc := json.NewEncoder(p.w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// printUpdate writes one result of a stream: a line of compact JSON, or a
// table followed by a blank line.
func (p printer) printUpdate(v any) error {
	if p.format == formatTable {
		if err := p.table(v); err != nil {
			return err
		}
		_, err := io.WriteString(p.w, "\n")
		return err
	}
	enc := json.NewEncoder(p.w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// table writes v as a compact table: books as a price ladder, lists one row
// per item, maps one row per key.
func (p printer) table(v any) error {
	switch v := v.(type) {
	case nil:
		_, err := io.WriteString(p.w, "ok\n")
		return err
	case venueTime:
		t := time.Time(v)
		return writeTable(p.w, []string{"TIME", "MS"}, [][]string{{formatTime(t), strconv.FormatInt(t.UnixMilli(), 10)}})
	case *unified.OrderBook:
		renderBook(p.w, v, nil, bookLayout{depth: p.depth})
		return nil
	case *unified.Ticker:
		return writeTable(p.w, tickerHeader, [][]string{tickerRow(v)})
	case map[string]*unified.Ticker:
		var rows [][]string
		for _, sym := range slices.Sorted(maps.Keys(v)) {
			rows = append(rows, tickerRow(v[sym]))
		}
		return writeTable(p.w, tickerHeader, rows)
	case []unified.Trade:
		return writeTable(p.w, tradeHeader, rowsOf(v, tradeRow))
	case []unified.OHLCV:
		return writeTable(p.w, []string{"TIME", "OPEN", "HIGH", "LOW", "CLOSE", "VOLUME"}, rowsOf(v, func(c *unified.OHLCV) []string {
			return []string{formatTime(c.Timestamp), c.Open.String(), c.High.String(), c.Low.String(), c.Close.String(), c.Volume.String()}
		}))
	case *unified.Order:
		return writeTable(p.w, orderHeader, [][]string{orderRow(v)})
	case []unified.Order:
		return writeTable(p.w, orderHeader, rowsOf(v, orderRow))
	case *unified.Balances:
		return writeTable(p.w, balanceHeader, balanceRows(v, nil))
	case []unified.Position:
		return writeTable(p.w, []string{"SYMBOL", "SIDE", "CONTRACTS", "ENTRY", "MARK", "NOTIONAL", "UNREALIZED PNL", "LEVERAGE", "LIQUIDATION", "MARGIN MODE"},
			rowsOf(v, func(pos *unified.Position) []string {
				return []string{pos.Symbol, string(pos.Side), dec(pos.Contracts), dec(pos.EntryPrice), dec(pos.MarkPrice), dec(pos.Notional),
					dec(pos.UnrealizedPnl), dec(pos.Leverage), dec(pos.LiquidationPrice), string(pos.MarginMode)}
			}))
	case *unified.Leverage:
		return writeTable(p.w, []string{"SYMBOL", "MARGIN MODE", "LONG", "SHORT"},
			[][]string{{v.Symbol, string(v.MarginMode), dec(v.LongLeverage), dec(v.ShortLeverage)}})
	case *unified.FundingRate:
		return writeTable(p.w, fundingHeader, [][]string{fundingRow(v)})
	case map[string]*unified.FundingRate:
		var rows [][]string
		for _, sym := range slices.Sorted(maps.Keys(v)) {
			rows = append(rows, fundingRow(v[sym]))
		}
		return writeTable(p.w, fundingHeader, rows)
	case *unified.Transaction:
		return writeTable(p.w, transactionHeader, [][]string{transactionRow(v)})
	case []unified.Transaction:
		return writeTable(p.w, transactionHeader, rowsOf(v, transactionRow))
	case *unified.DepositAddress:
		return writeTable(p.w, []string{"CURRENCY", "NETWORK", "ADDRESS", "TAG"}, [][]string{{v.Currency, v.Network, v.Address, v.Tag}})
	case []unified.LedgerEntry:
		return writeTable(p.w, []string{"ID", "TIME", "DIRECTION", "TYPE", "CURRENCY", "AMOUNT", "BEFORE", "AFTER", "STATUS"},
			rowsOf(v, func(l *unified.LedgerEntry) []string {
				return []string{l.ID, formatTime(l.Timestamp), string(l.Direction), l.Type, l.Currency, dec(l.Amount), dec(l.Before), dec(l.After), l.Status}
			}))
	case []unified.Market:
		return writeTable(p.w, marketHeader, rowsOf(v, marketRow))
	case map[string]*unified.Market:
		var rows [][]string
		for _, sym := range slices.Sorted(maps.Keys(v)) {
			rows = append(rows, marketRow(v[sym]))
		}
		return writeTable(p.w, marketHeader, rows)
	case []unified.Currency:
		return writeTable(p.w, []string{"CODE", "ID", "NAME", "ACTIVE", "DEPOSIT", "WITHDRAW", "FEE", "PRECISION", "NETWORKS"},
			rowsOf(v, func(c *unified.Currency) []string {
				return []string{c.Code, c.ID, c.Name, flag(c.Active), flag(c.Deposit), flag(c.Withdraw), dec(c.Fee), dec(c.Precision),
					strings.Join(slices.Sorted(maps.Keys(c.Networks)), ",")}
			}))
	}
	// Every result type of the method table has a case above; anything else
	// is still worth showing.
	return printer{w: p.w, format: formatJSON}.print(v)
}

// writeTable writes header and rows as columns aligned with spaces; an
// empty cell shows as "-".
func writeTable(w io.Writer, header []string, rows [][]string) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	io.WriteString(tw, strings.Join(header, "\t")+"\n")
	for _, row := range rows {
		for i, cell := range row {
			if i > 0 {
				io.WriteString(tw, "\t")
			}
			if cell == "" {
				cell = "-"
			}
			io.WriteString(tw, cell)
		}
		io.WriteString(tw, "\n")
	}
	return tw.Flush()
}

// rowsOf maps each item of a list to its row.
func rowsOf[T any](items []T, row func(*T) []string) [][]string {
	rows := make([][]string, len(items))
	for i := range items {
		rows[i] = row(&items[i])
	}
	return rows
}

// tickerHeader and tickerRow are the columns of tickers.
var tickerHeader = []string{"SYMBOL", "BID", "ASK", "LAST", "HIGH", "LOW", "CHANGE %", "BASE VOLUME", "QUOTE VOLUME", "TIME"}

func tickerRow(t *unified.Ticker) []string {
	return []string{t.Symbol, dec(t.Bid), dec(t.Ask), dec(t.Last), dec(t.High), dec(t.Low), dec(t.Percentage),
		dec(t.BaseVolume), dec(t.QuoteVolume), formatTime(t.Timestamp)}
}

// fundingHeader and fundingRow are the columns of funding rates.
var fundingHeader = []string{"SYMBOL", "RATE", "FUNDING TIME", "NEXT RATE", "NEXT FUNDING TIME", "MARK", "INDEX", "INTERVAL"}

func fundingRow(f *unified.FundingRate) []string {
	return []string{f.Symbol, dec(f.Rate), formatTime(f.FundingTime), dec(f.NextRate), formatTime(f.NextFundingTime),
		dec(f.MarkPrice), dec(f.IndexPrice), f.Interval}
}

// tradeHeader and tradeRow are the columns of trades, public or the account's.
var tradeHeader = []string{"TIME", "SYMBOL", "ID", "ORDER", "SIDE", "PRICE", "AMOUNT", "COST", "FEE"}

func tradeRow(t *unified.Trade) []string {
	return []string{formatTime(t.Timestamp), t.Symbol, t.ID, t.Order, string(t.Side), dec(t.Price), dec(t.Amount), dec(t.Cost), feeText(t.Fee)}
}

// orderHeader and orderRow are the columns of orders.
var orderHeader = []string{"ID", "TIME", "SYMBOL", "TYPE", "SIDE", "PRICE", "AMOUNT", "FILLED", "REMAINING", "AVERAGE", "STATUS"}

func orderRow(o *unified.Order) []string {
	return []string{o.ID, formatTime(o.Timestamp), o.Symbol, string(o.Type), string(o.Side), dec(o.Price), dec(o.Amount),
		dec(o.Filled), dec(o.Remaining), dec(o.Average), string(o.Status)}
}

// balanceHeader is the columns of balances (see balanceRows).
var balanceHeader = []string{"CURRENCY", "FREE", "USED", "TOTAL"}

// balanceRows is one row per currency of bs, in code order; codes, when not
// nil, chooses the currencies (a missing one shows as "-").
func balanceRows(bs *unified.Balances, codes []string) [][]string {
	if codes == nil {
		codes = slices.Sorted(maps.Keys(bs.Currencies))
	}
	rows := make([][]string, len(codes))
	for i, code := range codes {
		b := bs.Currencies[code]
		rows[i] = []string{code, dec(b.Free), dec(b.Used), dec(b.Total)}
	}
	return rows
}

// transactionHeader and transactionRow are the columns of deposits and withdrawals.
var transactionHeader = []string{"ID", "TIME", "TYPE", "CURRENCY", "NETWORK", "AMOUNT", "STATUS", "ADDRESS", "TAG", "TXID"}

func transactionRow(t *unified.Transaction) []string {
	return []string{t.ID, formatTime(t.Timestamp), string(t.Type), t.Currency, t.Network, dec(t.Amount), string(t.Status), t.Address, t.Tag, t.TxID}
}

// marketHeader and marketRow are the columns of markets.
var marketHeader = []string{"SYMBOL", "ID", "TYPE", "BASE", "QUOTE", "SETTLE", "ACTIVE", "PRICE PRECISION", "AMOUNT PRECISION", "MIN AMOUNT", "MIN COST"}

func marketRow(m *unified.Market) []string {
	return []string{m.Symbol, m.ID, string(m.Type), m.Base, m.Quote, m.Settle, flag(m.Active), dec(m.Precision.Price), dec(m.Precision.Amount),
		dec(m.Limits.Amount.Min), dec(m.Limits.Cost.Min)}
}

// dec writes an optional decimal, "-" when absent.
func dec(d decimal.NullDecimal) string {
	if !d.Valid {
		return "-"
	}
	return d.Decimal.String()
}

// flag writes an optional boolean as yes or no, "-" when unknown.
func flag(b *bool) string {
	switch {
	case b == nil:
		return "-"
	case *b:
		return "yes"
	}
	return "no"
}

// feeText writes a fee as "cost currency", "-" when there is none.
func feeText(f unified.Fee) string {
	if !f.Cost.Valid {
		return "-"
	}
	return strings.TrimSpace(f.Cost.Decimal.String() + " " + f.Currency)
}

// formatTime writes a time in UTC to the millisecond, "-" when it is zero.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04:05.000")
}
