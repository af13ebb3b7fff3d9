package adapter

import (
	"slices"
	"testing"
	"time"

	"github.com/unifex-go/unifex/unified"
)

func TestHistoryWindows(t *testing.T) {
	day := 24 * time.Hour
	ms := day.Milliseconds()
	for _, c := range []struct {
		name              string
		since, until, now int64
		want              []Window
	}{
		{"no since: the venue's default window", 0, 0, 10 * ms, []Window{{0, 0}}},
		{"no since, an end", 0, 5 * ms, 10 * ms, []Window{{0, 5 * ms}}},
		{"since up to now, a span at a time", 1, 0, 2*ms + 5, []Window{{1, 1 + ms}, {2 + ms, 2 + 2*ms}, {3 + 2*ms, 2*ms + 5}}},
		{"since up to an end", 1, ms / 2, 10 * ms, []Window{{1, ms / 2}}},
	} {
		if got := HistoryWindows(c.since, c.until, c.now, day); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestTrimHistory(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2026, 1, 1, h, 0, 0, 0, time.UTC) }
	list := func(hours ...int) []unified.Transaction {
		var ts []unified.Transaction
		for _, h := range hours {
			ts = append(ts, unified.Transaction{ID: string(rune('a' + h)), Timestamp: at(h)})
		}
		return ts
	}
	hours := func(ts []unified.Transaction) []int {
		var out []int
		for _, t := range ts {
			out = append(out, t.Timestamp.Hour())
		}
		return out
	}
	for _, c := range []struct {
		name  string
		since time.Time
		limit int
		want  []int
	}{
		{"all, oldest first", time.Time{}, 0, []int{1, 2, 3, 4}},
		{"without since the newest limit", time.Time{}, 2, []int{3, 4}},
		{"with since the oldest limit from it", at(2), 2, []int{2, 3}},
	} {
		if got := hours(TrimHistory(list(4, 2, 1, 3), c.since, c.limit)); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
