package adapter

import (
	"slices"
	"time"

	"github.com/unifex-go/unifex/unified"
)

// Window is one request's span of a venue's history, in Unix milliseconds;
// a zero bound leaves it to the venue's default.
type Window struct{ Start, End int64 }

// HistoryWindows splits a history query into the windows a venue answers
// one at a time (at most span each, as Binance's 90 days or Bybit's 30):
// from since up to until (now when until is 0), oldest first. Without
// since it is one window of the venue's default, ending at until.
func HistoryWindows(since, until, now int64, span time.Duration) []Window {
	if since <= 0 {
		return []Window{{0, until}}
	}
	last := until
	if last == 0 {
		last = now
	}
	var ws []Window
	for start := since; start <= last; start += span.Milliseconds() + 1 {
		ws = append(ws, Window{start, min(start+span.Milliseconds(), last)})
	}
	return ws
}

// TrimHistory orders deposits or withdrawals oldest first and applies
// since and limit as every FetchDeposits and FetchWithdrawals does: with
// since, those before it go and the oldest limit remain; without, the
// newest limit remain (limit <= 0: all).
func TrimHistory(ts []unified.Transaction, since time.Time, limit int) []unified.Transaction {
	slices.SortStableFunc(ts, func(a, b unified.Transaction) int { return a.Timestamp.Compare(b.Timestamp) })
	if !since.IsZero() {
		ts = slices.DeleteFunc(ts, func(t unified.Transaction) bool { return !t.Timestamp.IsZero() && t.Timestamp.Before(since) })
		if limit > 0 && len(ts) > limit {
			ts = ts[:limit]
		}
	} else if limit > 0 && len(ts) > limit {
		ts = ts[len(ts)-limit:]
	}
	return ts
}
