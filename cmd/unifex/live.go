package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/unified"
)

// Live view settings.
const (
	defaultDepth  = 10                     // book levels per side when --depth is not given
	tradeRows     = 10                     // last trades shown
	frameInterval = 100 * time.Millisecond // the shortest time between two redraws on a terminal
	retryPause    = 250 * time.Millisecond // the wait after a recoverable error before watching again
)

// ANSI escapes of the live views.
const (
	ansiHome       = "\x1b[H"
	ansiClear      = "\x1b[2J"
	ansiClearLine  = "\x1b[K"
	ansiClearBelow = "\x1b[J"
	ansiHideCursor = "\x1b[?25l"
	ansiShowCursor = "\x1b[?25h"
	ansiRed        = "\x1b[31m"
	ansiGreen      = "\x1b[32m"
	ansiReset      = "\x1b[0m"
)

// bookLayout says how renderBook draws.
type bookLayout struct {
	depth     int  // levels per side; 0 for all
	tradeRows int  // last trades shown, newest first; 0 for none
	color     bool // color asks, bids and trade sides with ANSI escapes
}

// renderBook writes book as a price ladder: the asks, best ask at the
// bottom; the spread, absolute and in basis points of the mid, and the mid;
// the bids, best first. Then, when opts.tradeRows is positive, the last of
// trades (oldest first in the slice), newest at the top. Prices and amounts
// are aligned on their decimal points. It has no other effect.
func renderBook(w io.Writer, book *unified.OrderBook, trades []unified.Trade, opts bookLayout) {
	asks, bids := book.Asks, book.Bids
	if opts.depth > 0 {
		asks, bids = asks[:min(len(asks), opts.depth)], bids[:min(len(bids), opts.depth)]
	}
	header := book.Symbol + "  nonce " + strconv.FormatInt(book.Nonce, 10)
	if !book.Timestamp.IsZero() {
		header += "  " + formatTime(book.Timestamp)
	}
	fmt.Fprintln(w, header)
	ladder := make([]unified.Level, 0, len(asks)+len(bids))
	for i := len(asks) - 1; i >= 0; i-- {
		ladder = append(ladder, asks[i])
	}
	ladder = append(ladder, bids...)
	prices, amounts := make([]string, len(ladder)), make([]string, len(ladder))
	for i, l := range ladder {
		prices[i], amounts[i] = l.Price.String(), l.Amount.String()
	}
	prices, amounts = alignPoints(prices, len("PRICE")), alignPoints(amounts, len("AMOUNT"))
	fmt.Fprintf(w, "%-3s  %*s  %*s\n", "", len(prices[0]), "PRICE", len(amounts[0]), "AMOUNT")
	for i := range ladder {
		if i == len(asks) {
			fmt.Fprintln(w, spreadLine(book))
		}
		label, color := "ask", ansiRed
		if i >= len(asks) {
			label, color = "bid", ansiGreen
		}
		fmt.Fprintln(w, paint(strings.TrimRight(label+"  "+prices[i]+"  "+amounts[i], " "), color, opts.color))
	}
	if len(bids) == 0 {
		fmt.Fprintln(w, spreadLine(book))
	}
	if opts.tradeRows <= 0 {
		return
	}
	fmt.Fprintln(w, "\nlast trades")
	shown := trades[max(0, len(trades)-opts.tradeRows):]
	if len(shown) == 0 {
		fmt.Fprintln(w, "(none yet)")
		return
	}
	prices, amounts = make([]string, len(shown)), make([]string, len(shown))
	for i, t := range shown {
		prices[i], amounts[i] = dec(t.Price), dec(t.Amount)
	}
	prices, amounts = alignPoints(prices, 0), alignPoints(amounts, 0)
	for i := len(shown) - 1; i >= 0; i-- {
		t := shown[i]
		color := ansiGreen
		if t.Side == unified.SideSell {
			color = ansiRed
		}
		line := fmt.Sprintf("%s  %-4s  %s  %s", clock(t.Timestamp), t.Side, prices[i], amounts[i])
		fmt.Fprintln(w, paint(strings.TrimRight(line, " "), color, opts.color))
	}
}

// alignPoints pads numbers so that, written one under another, their
// decimal points line up; every result is at least width long, and all
// have the same length. Empty input gives one entry of width spaces, so
// that a header can be sized by the first entry.
func alignPoints(numbers []string, width int) []string {
	whole, frac := 0, 0
	for _, n := range numbers {
		i, f, _ := strings.Cut(n, ".")
		whole, frac = max(whole, len(i)), max(frac, len(f))
	}
	fracWidth := 0
	if frac > 0 {
		fracWidth = frac + 1
	}
	whole = max(whole, width-fracWidth)
	if len(numbers) == 0 {
		return []string{strings.Repeat(" ", whole+fracWidth)}
	}
	out := make([]string, len(numbers))
	for k, n := range numbers {
		i, f, point := strings.Cut(n, ".")
		s := strings.Repeat(" ", whole-len(i)) + i
		if point {
			s += "." + f
		}
		out[k] = s + strings.Repeat(" ", whole+fracWidth-len(s))
	}
	return out
}

// spreadLine describes the top of book: spread, absolute and in basis points
// of the mid, and the mid.
func spreadLine(book *unified.OrderBook) string {
	if len(book.Bids) == 0 || len(book.Asks) == 0 {
		return "     spread -  (one side of the book is empty)"
	}
	bid, ask := book.Bids[0].Price, book.Asks[0].Price
	spread := ask.Sub(bid)
	mid := ask.Add(bid).Div(decimal.NewFromInt(2))
	bps := "-"
	if mid.IsPositive() {
		bps = spread.Mul(decimal.NewFromInt(10_000)).Div(mid).StringFixed(2)
	}
	return fmt.Sprintf("     spread %s (%s bps)  mid %s", spread, bps, mid)
}

// paint wraps line in color when on is true.
func paint(line, color string, on bool) string {
	if !on {
		return line
	}
	return color + line + ansiReset
}

// clock writes the time of day in UTC to the millisecond, "-" when t is zero.
func clock(t time.Time) string {
	if t.IsZero() {
		return "--:--:--.---"
	}
	return t.UTC().Format("15:04:05.000")
}

// view is what a live screen shows. Only the screen loop touches it.
type view struct {
	title    string // the first line; empty for none
	book     *unified.OrderBook
	trades   []unified.Trade          // oldest first, at most tradeRows
	orders   map[string]unified.Order // the account's orders by id, latest state
	mine     []string                 // the ids of the orders the demo placed, in placing order
	balances *unified.Balances
	codes    []string // the currencies whose balances are shown; none: no balances section
	notice   string   // the last recoverable error, with its time
}

// addTrades appends trades, keeping the last tradeRows. A trade already
// shown (by id: the fetched history and the stream may overlap) is skipped.
func (v *view) addTrades(trades []unified.Trade) {
	for _, t := range trades {
		shown := t.ID != "" && slices.ContainsFunc(v.trades, func(s unified.Trade) bool { return s.ID == t.ID })
		if !shown {
			v.trades = append(v.trades, t)
		}
	}
	if extra := len(v.trades) - tradeRows; extra > 0 {
		v.trades = append(v.trades[:0], v.trades[extra:]...)
	}
}

// updateOrders records the latest state of each order.
func (v *view) updateOrders(orders []unified.Order) {
	if v.orders == nil {
		v.orders = map[string]unified.Order{}
	}
	for _, o := range orders {
		v.orders[o.ID] = o
	}
}

// addMine records orders the demo placed. A state the order stream has
// already reported is newer than the placing reply, and is kept.
func (v *view) addMine(placed []unified.Order) {
	if v.orders == nil {
		v.orders = map[string]unified.Order{}
	}
	for _, o := range placed {
		if _, seen := v.orders[o.ID]; !seen {
			v.orders[o.ID] = o
		}
		v.mine = append(v.mine, o.ID)
	}
}

// render writes the whole view.
func (v *view) render(w io.Writer, layout bookLayout) {
	if v.title != "" {
		fmt.Fprintf(w, "%s\n\n", v.title)
	}
	if v.book == nil {
		fmt.Fprintln(w, "waiting for the order book...")
	} else {
		renderBook(w, v.book, v.trades, layout)
	}
	if v.mine != nil {
		fmt.Fprintln(w, "\nmy orders")
		rows := make([][]string, len(v.mine))
		for i, id := range v.mine {
			o := v.orders[id]
			rows[i] = []string{o.ID, string(o.Side), dec(o.Price), dec(o.Amount), dec(o.Filled), string(o.Status)}
		}
		writeTable(w, []string{"ID", "SIDE", "PRICE", "AMOUNT", "FILLED", "STATUS"}, rows)
	}
	if v.codes != nil {
		fmt.Fprintln(w, "\nbalances")
		if v.balances == nil {
			fmt.Fprintln(w, "waiting for the balances...")
		} else {
			writeTable(w, balanceHeader, balanceRows(v.balances, v.codes))
		}
	}
	if v.notice != "" {
		fmt.Fprintf(w, "\n! %s\n", v.notice)
	}
}

// feeds are the channels the goroutines of a live screen fill. A nil
// channel is a feed the screen does not have.
type feeds struct {
	books    chan *unified.OrderBook
	trades   chan []unified.Trade
	orders   chan []unified.Order
	balances chan *unified.Balances
	placed   chan []unified.Order // the demo's orders as placed
	notices  chan error           // recoverable errors
	failures chan error           // errors that end the screen
}

// newFeeds returns the channels of a screen that shows a book and its trades.
func newFeeds() *feeds {
	return &feeds{books: make(chan *unified.OrderBook), trades: make(chan []unified.Trade),
		notices: make(chan error), failures: make(chan error)}
}

// feed calls next until ctx ends and sends each result to out. An error the
// library recovers from (see recoverable) goes to notices, after the items
// that came with it to out in the case of a cache overflow, and feed goes
// on after a pause. Any other error goes to failures and ends the feed.
func feed[T any](ctx context.Context, next func(context.Context) (T, error), out chan<- T, notices, failures chan<- error) {
	for {
		v, err := next(ctx)
		switch {
		case ctx.Err() != nil:
			return
		case err == nil:
			send(ctx, out, v)
			continue
		case !recoverable(err):
			send(ctx, failures, err)
			return
		}
		if errors.Is(err, errors.CacheOverflow) {
			send(ctx, out, v)
		}
		send(ctx, notices, err)
		pause(ctx)
	}
}

// seeded returns a feed's next function that answers its first call with
// fetch (a REST snapshot, shown at once) and every later one with watch.
func seeded[T any](fetch, watch func(context.Context) (T, error)) func(context.Context) (T, error) {
	fetched := false
	return func(ctx context.Context) (T, error) {
		if !fetched {
			fetched = true
			return fetch(ctx)
		}
		return watch(ctx)
	}
}

// watchTrades returns a feed's next function for the public trades of
// symbol: the recent ones fetched first where the venue can, then the
// stream of consumer c.
func watchTrades(ex exchange.Exchange, c exchange.Consumer, symbol string) func(context.Context) ([]unified.Trade, error) {
	watch := func(ctx context.Context) ([]unified.Trade, error) { return c.WatchTrades(ctx, symbol) }
	if !ex.Has(exchange.FeatureFetchTrades) {
		return watch
	}
	return seeded(func(ctx context.Context) ([]unified.Trade, error) {
		return ex.FetchTrades(ctx, symbol, exchange.Limit(tradeRows))
	}, watch)
}

// pause waits retryPause, or until ctx ends if that is sooner.
func pause(ctx context.Context) {
	select {
	case <-ctx.Done():
	case <-time.After(retryPause):
	}
}

// send sends v on ch unless ctx ends first.
func send[T any](ctx context.Context, ch chan<- T, v T) {
	select {
	case ch <- v:
	case <-ctx.Done():
	}
}

// recoverable reports whether err is one the library recovers from by
// itself, so that watching again is right: a network error (a dropped link,
// a resynchronised book, a timeout, a rate limit) or a cache that overflowed.
func recoverable(err error) bool {
	return errors.Is(err, errors.NetworkError) || errors.Is(err, errors.CacheOverflow)
}

// screen draws a view: in place on a terminal, else as frames one after
// another, separated by blank lines.
type screen struct {
	w        io.Writer
	terminal bool
	layout   bookLayout
	warn     func(error) // reports a recoverable error off a terminal
	redact   func(string) string
	drawn    bool
}

// newScreen returns a screen on w with a book depth and the trades section.
func newScreen(w io.Writer, depth int, warn func(error), redact func(string) string) *screen {
	terminal := isTerminal(w)
	return &screen{w: w, terminal: terminal, warn: warn, redact: redact,
		layout: bookLayout{depth: depth, tradeRows: tradeRows, color: terminal}}
}

// isTerminal reports whether w is a character device, such as a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// draw writes one frame of v.
func (s *screen) draw(v *view) {
	var frame bytes.Buffer
	v.render(&frame, s.layout)
	if !s.terminal {
		frame.WriteString("\n")
		s.w.Write(frame.Bytes())
		return
	}
	var out bytes.Buffer
	if !s.drawn {
		out.WriteString(ansiHideCursor + ansiClear)
		s.drawn = true
	}
	out.WriteString(ansiHome)
	for _, line := range strings.SplitAfter(frame.String(), "\n") {
		if line, ok := strings.CutSuffix(line, "\n"); ok {
			out.WriteString(line + ansiClearLine + "\n")
		}
	}
	out.WriteString(ansiClearBelow)
	s.w.Write(out.Bytes())
}

// show applies what the feeds deliver to v and draws it, until ctx ends
// (then it returns nil) or a feed fails (then it returns the failure). On a
// terminal it redraws at most every frameInterval; elsewhere it draws one
// frame per book.
func (s *screen) show(ctx context.Context, v *view, f *feeds) error {
	var tick <-chan time.Time
	if s.terminal {
		t := time.NewTicker(frameInterval)
		defer t.Stop()
		tick = t.C
		defer io.WriteString(s.w, ansiShowCursor)
	}
	changed := false
	for {
		select {
		case <-ctx.Done():
			if s.terminal && changed {
				s.draw(v)
			}
			return nil
		case err := <-f.failures:
			return err
		case err := <-f.notices:
			if s.terminal {
				v.notice = clock(time.Now()) + "  " + s.redact(err.Error())
			} else {
				s.warn(err)
			}
		case b := <-f.books:
			v.book = b
			if !s.terminal {
				s.draw(v)
				continue
			}
		case trades := <-f.trades:
			v.addTrades(trades)
		case orders := <-f.orders:
			v.updateOrders(orders)
		case bs := <-f.balances:
			v.balances = bs
		case placed := <-f.placed:
			v.addMine(placed)
		case <-tick:
			if changed {
				s.draw(v)
				changed = false
			}
			continue
		}
		changed = true
	}
}

// watchBookView is watchOrderBook's live view of symbol: the book, and the
// symbol's trades (the recent ones, then those a second consumer watches),
// until ctx ends.
func (a *app) watchBookView(ctx context.Context, ex exchange.Exchange, symbol string, opts []exchange.Option) error {
	depth := a.flags.depth
	if depth == 0 {
		depth = defaultDepth
	}
	if !a.flags.hasLimit {
		opts = append(opts, exchange.Limit(depth))
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()
	f := newFeeds()
	wg.Add(1)
	go func() {
		defer wg.Done()
		feed(ctx, func(ctx context.Context) (*unified.OrderBook, error) { return ex.WatchOrderBook(ctx, symbol, opts...) }, f.books, f.notices, f.failures)
	}()
	s := newScreen(a.stdout, depth, a.warn, a.redact)
	if !ex.Has(exchange.FeatureWatchTrades) {
		s.layout.tradeRows = 0
	} else {
		trades := ex.NewConsumer()
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer trades.Close()
			feed(ctx, watchTrades(ex, trades, symbol), f.trades, f.notices, f.failures)
		}()
	}
	return s.show(ctx, &view{}, f)
}
