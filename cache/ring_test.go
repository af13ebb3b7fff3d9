package cache

import (
	"math"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// vals returns the Val fields of items, which identify the Puts they came from.
func vals(items []testItem) []int {
	if items == nil {
		return nil
	}
	out := make([]int, len(items))
	for i, it := range items {
		out[i] = it.Val
	}
	return out
}

func TestReadSinceLimit(t *testing.T) {
	// Ten trades at t=10..100, odd Vals on A, even on B.
	r := NewArrival(DefaultLimit, testKey)
	for v := 1; v <= 10; v++ {
		r.Put(testItem{Sym: testSymbols[1-v%2], TS: int64(v * 10), Val: v})
	}
	tests := []struct {
		name   string
		symbol string
		since  int64
		limit  int
		want   []int
	}{
		{"everything", "", 0, 0, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
		{"since keeps Time >= since", "", 50, 0, []int{5, 6, 7, 8, 9, 10}},
		{"since between items", "", 55, 0, []int{6, 7, 8, 9, 10}},
		{"limit keeps the newest", "", 0, 3, []int{8, 9, 10}},
		{"since then limit", "", 30, 2, []int{9, 10}},
		{"limit above the count", "", 80, 50, []int{8, 9, 10}},
		{"since after everything", "", 101, 0, nil},
		{"negative since is no filter", "", -5, 2, []int{9, 10}},
		{"negative limit is no filter", "", 90, -1, []int{9, 10}},
		{"symbol", "A", 0, 0, []int{1, 3, 5, 7, 9}},
		{"symbol since limit", "B", 30, 2, []int{8, 10}},
		{"unknown symbol", "Z", 0, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := vals(r.Read(tt.symbol, tt.since, tt.limit))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Read(%q, %d, %d) (-want +got):\n%s", tt.symbol, tt.since, tt.limit, diff)
			}
		})
	}
}

// step is one action of a scripted scenario: a Put, or a Next on one of
// the scenario's cursors with the Vals and dropped count it must return.
type step struct {
	put     *testItem
	cursor  int // index into the scenario's scopes
	since   int64
	limit   int
	want    []int
	dropped int
}

func put(sym, id string, ts int64, val int) step {
	return step{put: &testItem{Sym: sym, ID: id, TS: ts, Val: val}}
}

func next(cursor int, want []int, dropped int) step {
	return step{cursor: cursor, want: want, dropped: dropped}
}

func nextFiltered(cursor int, since int64, limit int, want []int) step {
	return step{cursor: cursor, since: since, limit: limit, want: want}
}

func TestScenarios(t *testing.T) {
	tests := []struct {
		name   string
		kind   kind
		limit  int
		scopes []string // cursors, created before the first step
		steps  []step
		window []int // Read("", 0, 0) at the end
	}{
		{
			name: "arrival: dedupe by symbol and id inside the window", kind: byArrival, limit: 3, scopes: []string{""},
			steps: []step{
				put("A", "1", 1, 1), put("A", "1", 1, 2), // duplicate ignored
				put("B", "1", 1, 3), // same id, other symbol
				put("A", "", 1, 4),  // no id
				next(0, []int{1, 3, 4}, 0),
				put("A", "", 1, 5),  // no id: never a duplicate; drops A1
				put("A", "1", 1, 6), // A1 left the window: new again; drops B1
				put("A", "1", 1, 7), // in the window: duplicate
				put("A", "", 1, 8),  // drops 4, seen
				put("B", "1", 1, 9), // drops 5, unread
				next(0, []int{6, 8, 9}, 1),
			},
			window: []int{6, 8, 9},
		},
		{
			name: "timestamp: an update keeps its place and is new again", kind: byTimestamp, limit: 5, scopes: []string{""},
			steps: []step{
				put("A", "", 100, 1), put("A", "", 200, 2), put("A", "", 300, 3),
				next(0, []int{1, 2, 3}, 0),
				put("A", "", 200, 4),
				next(0, []int{4}, 0),
				put("A", "", 300, 5), put("A", "", 300, 6), // one candle, twice
				next(0, []int{6}, 0),
				put("A", "", 400, 7), put("A", "", 100, 8), // new last candle, then the first fixed
				next(0, []int{8, 7}, 0), // window order, not update order
				put("A", "", 50, 9),     // an older open time is appended where it arrives
				next(0, []int{9}, 0),
			},
			window: []int{8, 4, 6, 7, 9},
		},
		{
			name: "timestamp: a dropped candle whose update was unread counts", kind: byTimestamp, limit: 2, scopes: []string{""},
			steps: []step{
				put("A", "", 100, 1), put("A", "", 200, 2),
				next(0, []int{1, 2}, 0),
				put("A", "", 100, 3), // update of a seen candle
				put("A", "", 300, 4), // drops candle 100 and its unread update
				next(0, []int{4}, 1),
				put("A", "", 400, 5), // drops candle 200, seen
				next(0, []int{5}, 0),
			},
			window: []int{4, 5},
		},
		{
			name: "id: updates move to the newest end and return once", kind: byID, limit: 5, scopes: []string{""},
			steps: []step{
				put("A", "a", 1, 1), put("A", "b", 2, 2), put("A", "c", 3, 3),
				next(0, []int{1, 2, 3}, 0),
				put("A", "a", 1, 4),
				next(0, []int{4}, 0),
				put("A", "b", 2, 5), put("A", "c", 3, 6), put("A", "b", 2, 7), put("A", "b", 2, 8),
				next(0, []int{6, 8}, 0),
			},
			window: []int{4, 6, 8},
		},
		{
			name: "id: a move is not a drop", kind: byID, limit: 2, scopes: []string{""},
			steps: []step{
				put("A", "a", 1, 1), put("A", "b", 2, 2),
				next(0, []int{1, 2}, 0),
				put("A", "a", 1, 3), // a moves after b
				put("A", "c", 3, 4), // drops b, which was seen
				next(0, []int{3, 4}, 0),
			},
			window: []int{3, 4},
		},
		{
			name: "id: a seen item updated then dropped is one lost item", kind: byID, limit: 2, scopes: []string{""},
			steps: []step{
				put("A", "a", 1, 1), put("A", "b", 2, 2),
				next(0, []int{1, 2}, 0),
				put("A", "a", 1, 3), put("A", "c", 3, 4), put("A", "d", 4, 5), // drops b (seen), then a's update
				next(0, []int{4, 5}, 1),
			},
			window: []int{4, 5},
		},
		{
			name: "id: an item updated many times and dropped counts once", kind: byID, limit: 2, scopes: []string{""},
			steps: []step{
				put("A", "a", 1, 1), put("A", "a", 1, 2), put("A", "a", 1, 3), put("A", "a", 1, 4),
				put("A", "b", 2, 5), put("A", "c", 3, 6),
				next(0, []int{5, 6}, 1),
				next(0, nil, 0), // reported once
			},
			window: []int{5, 6},
		},
		{
			name: "id: empty ids never merge", kind: byID, limit: 3, scopes: []string{""},
			steps: []step{
				put("A", "", 1, 1), put("A", "", 1, 2), put("A", "x", 1, 3), put("A", "x", 1, 4),
				next(0, []int{1, 2, 4}, 0),
			},
			window: []int{1, 2, 4},
		},
		{
			name: "scopes: drops count only for their symbol", kind: byID, limit: 2, scopes: []string{"A", "B", ""},
			steps: []step{
				put("B", "1", 1, 1), put("B", "2", 1, 2), put("B", "3", 1, 3),
				next(0, nil, 0), // A saw no drop of its own
				next(1, []int{2, 3}, 1),
				put("A", "1", 1, 4), put("B", "4", 1, 5), put("B", "5", 1, 6), // A1 dropped unread
				next(0, nil, 1),
				next(2, []int{5, 6}, 4), // "" never read: B1, B2, B3 and A1 were dropped
			},
			window: []int{5, 6},
		},
		{
			name: "two consumers never steal updates", kind: byArrival, limit: 10, scopes: []string{"", ""},
			steps: []step{
				put("A", "1", 1, 1), put("A", "2", 2, 2),
				next(0, []int{1, 2}, 0),
				put("A", "3", 3, 3),
				next(1, []int{1, 2, 3}, 0),
				next(0, []int{3}, 0),
				next(0, nil, 0), next(1, nil, 0),
			},
			window: []int{1, 2, 3},
		},
		{
			name: "since and limit shape a read but it consumes everything", kind: byArrival, limit: 10, scopes: []string{""},
			steps: []step{
				put("A", "1", 10, 1), put("A", "2", 20, 2), put("A", "3", 30, 3), put("A", "4", 40, 4),
				nextFiltered(0, 0, 2, []int{3, 4}),
				put("A", "5", 50, 5), put("A", "6", 60, 6), put("A", "7", 5, 7),
				nextFiltered(0, 20, 0, []int{5, 6}),
				put("A", "8", 80, 8), put("A", "9", 90, 9), put("A", "10", 100, 10),
				nextFiltered(0, 85, 1, []int{10}),
				next(0, nil, 0),
			},
			window: []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10},
		},
		{
			name: "side: unbounded, updates move", kind: bySide, scopes: []string{"", "B"},
			steps: []step{
				put("A", "long", 1, 1), put("A", "short", 1, 2), put("B", "", 1, 3), put("A", "long", 2, 4),
				next(0, []int{2, 3, 4}, 0),
				next(1, []int{3}, 0),
				put("B", "", 2, 5),
				next(0, []int{5}, 0),
				next(1, []int{5}, 0),
			},
			window: []int{2, 4, 5},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newTestRing(tt.kind, tt.limit)
			var curs []*Cursor[testItem]
			for _, s := range tt.scopes {
				curs = append(curs, r.NewCursor(s))
			}
			for i, s := range tt.steps {
				if s.put != nil {
					r.Put(*s.put)
					continue
				}
				got, err := curs[s.cursor].Next(s.since, s.limit)
				if diff := cmp.Diff(s.want, vals(got)); diff != "" {
					t.Errorf("step %d: cursor %d Next (-want +got):\n%s", i, s.cursor, diff)
				}
				if d := dropped(t, err); d != s.dropped {
					t.Errorf("step %d: cursor %d dropped %d, want %d", i, s.cursor, d, s.dropped)
				}
			}
			if diff := cmp.Diff(tt.window, vals(r.Read("", 0, 0))); diff != "" {
				t.Errorf("window (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCursorCreatedLate(t *testing.T) {
	r := NewArrival(3, testKey)
	for v := 1; v <= 5; v++ {
		r.Put(testItem{Val: v})
	}
	c := r.NewCursor("")
	got, err := c.Next(0, 0)
	if diff := cmp.Diff([]int{3, 4, 5}, vals(got)); diff != "" || err != nil {
		t.Errorf("first Next of a late cursor = %v, %v; want the window and no error (-want +got):\n%s", vals(got), err, diff)
	}
	r.Put(testItem{Val: 6})
	r.Put(testItem{Val: 7})
	r.Put(testItem{Val: 8})
	r.Put(testItem{Val: 9}) // drops 6, unread
	got, err = c.Next(0, 0)
	if diff := cmp.Diff([]int{7, 8, 9}, vals(got)); diff != "" || dropped(t, err) != 1 {
		t.Errorf("Next = %v, %v; want [7 8 9] and 1 dropped (-want +got):\n%s", vals(got), err, diff)
	}
}

func TestGet(t *testing.T) {
	tests := []struct {
		name   string
		kind   kind
		puts   []testItem
		key    Key
		want   int // Val; 0 for not found
		wantOK bool
	}{
		{"arrival by id", byArrival, []testItem{{Sym: "A", ID: "1", Val: 1}, {Sym: "A", ID: "1", Val: 2}}, Key{Symbol: "A", ID: "1"}, 1, true},
		{"arrival empty id", byArrival, []testItem{{Sym: "A", Val: 1}}, Key{Symbol: "A"}, 0, false},
		{"id latest state", byID, []testItem{{Sym: "A", ID: "1", Val: 1}, {Sym: "A", ID: "1", Val: 2}}, Key{Symbol: "A", ID: "1"}, 2, true},
		{"id other symbol", byID, []testItem{{Sym: "A", ID: "1", Val: 1}}, Key{Symbol: "B", ID: "1"}, 0, false},
		{"timestamp by time", byTimestamp, []testItem{{Sym: "A", TS: 60, Val: 1}, {Sym: "A", TS: 60, Val: 2}}, Key{Symbol: "A", Time: 60}, 2, true},
		{"timestamp ignores id", byTimestamp, []testItem{{Sym: "A", ID: "x", TS: 60, Val: 1}}, Key{Symbol: "A", ID: "y", Time: 60}, 1, true},
		{"side empty side", bySide, []testItem{{Sym: "A", Val: 1}}, Key{Symbol: "A"}, 1, true},
		{"dropped item", byID, []testItem{{Sym: "A", ID: "1", Val: 1}, {Sym: "A", ID: "2", Val: 2}, {Sym: "A", ID: "3", Val: 3}}, Key{Symbol: "A", ID: "1"}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newTestRing(tt.kind, 2)
			for _, it := range tt.puts {
				r.Put(it)
			}
			got, ok := r.Get(tt.key)
			if got.Val != tt.want || ok != tt.wantOK {
				t.Errorf("Get(%+v) = %+v, %v; want Val %d, %v", tt.key, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestReadsAreCopies(t *testing.T) {
	r := NewByID(4, testKey)
	c := r.NewCursor("")
	r.Put(testItem{Sym: "A", ID: "1", Val: 1})
	w := r.Read("", 0, 0)
	n, _ := c.Next(0, 0)
	w[0].Val, n[0].Val = 100, 200
	r.Put(testItem{Sym: "A", ID: "1", Val: 2})
	if got, _ := r.Get(Key{Symbol: "A", ID: "1"}); got.Val != 2 {
		t.Errorf("stored item changed through a read: %+v", got)
	}
	if w[0].Val != 100 || n[0].Val != 200 {
		t.Errorf("a later Put changed a returned slice: %+v %+v", w, n)
	}
}

func TestEdgeCases(t *testing.T) {
	t.Run("limits", func(t *testing.T) {
		for _, tt := range []struct {
			name string
			r    *Ring[testItem]
			want int
		}{
			{"zero", NewArrival[testItem](0, nil), DefaultLimit},
			{"negative", NewByID[testItem](-5, nil), DefaultLimit},
			{"one", NewByTimestamp[testItem](1, nil), 1},
			{"huge", NewArrival[testItem](math.MaxInt, nil), maxLimit},
			{"side", NewBySide[testItem](nil), 0},
			{"zero value", &Ring[testItem]{}, DefaultLimit},
		} {
			if got := tt.r.Limit(); got != tt.want {
				t.Errorf("%s: Limit() = %d, want %d", tt.name, got, tt.want)
			}
		}
	})
	t.Run("zero ring", func(t *testing.T) {
		var r Ring[testItem]
		c := r.NewCursor("")
		if got, err := c.Next(0, 0); got != nil || err != nil {
			t.Errorf("Next on an empty ring = %v, %v", got, err)
		}
		for v := 1; v <= DefaultLimit+2; v++ {
			if !r.Put(testItem{ID: "same", Val: v}) { // zero Key: no id, no dedupe
				t.Fatalf("Put %d reported a duplicate", v)
			}
		}
		if r.Len() != DefaultLimit {
			t.Errorf("Len = %d, want %d", r.Len(), DefaultLimit)
		}
		got, err := c.Next(0, 1)
		if diff := cmp.Diff([]int{DefaultLimit + 2}, vals(got)); diff != "" || dropped(t, err) != 2 {
			t.Errorf("Next = %v, %v (-want +got):\n%s", vals(got), err, diff)
		}
		if _, ok := r.Get(Key{}); ok {
			t.Error("Get on a ring without identities found an item")
		}
	})
	t.Run("nil key by timestamp is one candle", func(t *testing.T) {
		r := NewByTimestamp[testItem](5, nil)
		r.Put(testItem{Val: 1})
		r.Put(testItem{Val: 2})
		if diff := cmp.Diff([]int{2}, vals(r.Read("", 0, 0))); diff != "" {
			t.Error(diff)
		}
	})
	t.Run("zero cursor", func(t *testing.T) {
		var c Cursor[testItem]
		if got, err := c.Next(0, 0); got != nil || err != nil {
			t.Errorf("zero Cursor Next = %v, %v", got, err)
		}
		c.Close()
	})
	t.Run("closed cursor", func(t *testing.T) {
		r := NewArrival(2, testKey)
		c, other := r.NewCursor(""), r.NewCursor("")
		c.Close()
		c.Close()
		for v := range 5 {
			r.Put(testItem{Val: v})
		}
		if got, err := c.Next(0, 0); got != nil || err != nil {
			t.Errorf("closed cursor Next = %v, %v", got, err)
		}
		if len(r.cursors) != 1 || r.cursors[0] != other {
			t.Errorf("Close left %d cursors registered", len(r.cursors))
		}
		if _, err := other.Next(0, 0); dropped(t, err) != 3 {
			t.Errorf("the other cursor's count changed: %v", err)
		}
	})
	t.Run("side is never bounded", func(t *testing.T) {
		r := NewBySide(testKey)
		c := r.NewCursor("")
		for v := range 3 * DefaultLimit {
			r.Put(testItem{Sym: strconv.Itoa(v), Val: v})
		}
		got, err := c.Next(0, 0)
		if len(got) != 3*DefaultLimit || err != nil || r.Len() != 3*DefaultLimit {
			t.Errorf("Next returned %d items, %v; Len %d", len(got), err, r.Len())
		}
	})
}
