package cache

import (
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/unifex-go/unifex/errors"
)

// testItem is the item type of the tests: Val is unique per Put, so a
// returned item shows exactly which Put it came from.
type testItem struct {
	Sym string
	ID  string
	TS  int64
	Val int
}

func testKey(it *testItem) Key { return Key{Symbol: it.Sym, ID: it.ID, Time: it.TS} }

// The reference model keeps every incarnation of every identity (from the
// Put that created it to its eviction) and re-derives the window from
// scratch after each Put, by sorting, instead of maintaining lists.

type refInc struct {
	item  testItem
	born  int    // creation order
	stamp uint64 // stamp of the last Put
	alive bool
}

type refCursor struct {
	symbol  string
	pos     uint64
	dropped int
	closed  bool
}

type refModel struct {
	kind    kind
	limit   int       // 0: unbounded
	incs    []*refInc // every incarnation, in creation order
	live    []*refInc
	stamp   uint64
	cursors []*refCursor
}

func (m *refModel) sameIdentity(a, b *testItem) bool {
	switch m.kind {
	case byTimestamp:
		return a.Sym == b.Sym && a.TS == b.TS
	case bySide:
		return a.Sym == b.Sym && a.ID == b.ID
	default:
		return a.ID != "" && a.Sym == b.Sym && a.ID == b.ID
	}
}

func (m *refModel) put(it testItem) bool {
	for _, inc := range m.live {
		if m.sameIdentity(&inc.item, &it) {
			if m.kind == byArrival {
				return false
			}
			m.stamp++
			inc.item, inc.stamp = it, m.stamp
			return true
		}
	}
	m.stamp++
	inc := &refInc{item: it, born: len(m.incs), stamp: m.stamp, alive: true}
	m.incs = append(m.incs, inc)
	m.live = append(m.live, inc)
	if m.limit > 0 && len(m.live) > m.limit {
		// Arrival and by-timestamp windows hold the newest-born
		// incarnations, by-id windows the most recently stamped ones.
		w := m.window()
		for _, dead := range w[:len(w)-m.limit] {
			m.kill(dead)
		}
		m.live = slices.DeleteFunc(m.live, func(inc *refInc) bool { return !inc.alive })
	}
	return true
}

func (m *refModel) kill(inc *refInc) {
	inc.alive = false
	for _, c := range m.cursors {
		if !c.closed && inc.stamp > c.pos && (c.symbol == "" || c.symbol == inc.item.Sym) {
			c.dropped++
		}
	}
}

// window returns the live incarnations in window order.
func (m *refModel) window() []*refInc {
	w := slices.Clone(m.live)
	switch m.kind {
	case byArrival, byTimestamp:
		slices.SortFunc(w, func(a, b *refInc) int { return a.born - b.born })
	default:
		slices.SortFunc(w, func(a, b *refInc) int { return int(a.stamp) - int(b.stamp) })
	}
	return w
}

// read is filterBySymbolSinceLimit with tail over the items stamped after pos.
func (m *refModel) read(pos uint64, symbol string, since int64, limit int) []testItem {
	var out []testItem
	for _, inc := range m.window() {
		if inc.stamp <= pos || (symbol != "" && inc.item.Sym != symbol) || (since > 0 && inc.item.TS < since) {
			continue
		}
		out = append(out, inc.item)
	}
	if limit > 0 && len(out) > limit {
		out = out[len(out)-limit:]
	}
	return out
}

func (m *refModel) next(c *refCursor, since int64, limit int) ([]testItem, int) {
	if c.closed {
		return nil, 0
	}
	out := m.read(c.pos, c.symbol, since, limit)
	c.pos = m.stamp
	d := c.dropped
	c.dropped = 0
	return out, d
}

func (m *refModel) get(k testItem) (testItem, bool) {
	for _, inc := range m.live {
		if m.sameIdentity(&inc.item, &k) {
			return inc.item, true
		}
	}
	return testItem{}, false
}

// chooser is the source of the random choices of runOps: *rand.Rand in the
// property tests, the fuzzer's bytes in FuzzRing.
type chooser interface{ IntN(n int) int }

var (
	testSymbols = []string{"A", "B", "C"}
	testScopes  = []string{"", "A", "B", "Z"}
)

func newTestRing(k kind, limit int) *Ring[testItem] {
	switch k {
	case byTimestamp:
		return NewByTimestamp(limit, testKey)
	case byID:
		return NewByID(limit, testKey)
	case bySide:
		return NewBySide(testKey)
	default:
		return NewArrival(limit, testKey)
	}
}

func kindName(k kind) string {
	return [...]string{"arrival", "timestamp", "id", "side"}[k]
}

// runOps applies nops random operations to a ring and to the reference
// model and fails at the first difference.
func runOps(t testing.TB, k kind, limit int, src chooser, nops int) {
	t.Helper()
	r := newTestRing(k, limit)
	m := &refModel{kind: k, limit: r.Limit()}
	var curs []*Cursor[testItem]
	var refs []*refCursor
	open := func(scope string) {
		curs = append(curs, r.NewCursor(scope))
		rc := &refCursor{symbol: scope}
		refs = append(refs, rc)
		m.cursors = append(m.cursors, rc)
	}
	open("")
	open("A")

	randItem := func(val int) testItem {
		it := testItem{Sym: testSymbols[src.IntN(len(testSymbols))], TS: int64(src.IntN(12)), Val: val}
		if n := src.IntN(8); n > 0 {
			it.ID = strconv.Itoa(n)
		}
		return it
	}
	randSince := func() int64 {
		if src.IntN(3) == 0 {
			return 0
		}
		return int64(src.IntN(15) - 2)
	}
	randLimit := func() int { return src.IntN(12) - 2 }

	for op := range nops {
		switch c := src.IntN(20); {
		case c < 12:
			it := randItem(op)
			if got, want := r.Put(it), m.put(it); got != want {
				t.Fatalf("op %d: Put(%+v) = %v, want %v", op, it, got, want)
			}
		case c < 14:
			scope := testScopes[src.IntN(len(testScopes))]
			since, limit := randSince(), randLimit()
			got, want := r.Read(scope, since, limit), m.read(0, scope, since, limit)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("op %d: Read(%q, %d, %d) (-want +got):\n%s", op, scope, since, limit, diff)
			}
		case c < 18:
			i := src.IntN(len(curs))
			since, limit := randSince(), randLimit()
			got, err := curs[i].Next(since, limit)
			want, wantDropped := m.next(refs[i], since, limit)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("op %d: cursor %d (%q) Next(%d, %d) (-want +got):\n%s", op, i, refs[i].symbol, since, limit, diff)
			}
			if gotDropped := dropped(t, err); gotDropped != wantDropped {
				t.Fatalf("op %d: cursor %d (%q) Next dropped %d, want %d", op, i, refs[i].symbol, gotDropped, wantDropped)
			}
		case c < 19:
			k := randItem(0)
			got, gotOK := r.Get(testKey(&k))
			want, wantOK := m.get(k)
			if got != want || gotOK != wantOK {
				t.Fatalf("op %d: Get(%+v) = %+v, %v; want %+v, %v", op, k, got, gotOK, want, wantOK)
			}
		default:
			if i := src.IntN(len(curs) + 1); i < len(curs) && len(curs) > 1 {
				curs[i].Close()
				refs[i].closed = true
			} else {
				open(testScopes[src.IntN(len(testScopes))])
			}
		}
		if got, want := r.Len(), len(m.live); got != want {
			t.Fatalf("op %d: Len = %d, want %d", op, got, want)
		}
	}
	checkInvariants(t, r)
}

// dropped returns the count carried by a CacheOverflowError, 0 for nil.
func dropped(t testing.TB, err error) int {
	t.Helper()
	d, ok := overflow(err)
	if !ok {
		t.Fatalf("Next error %v is not a CacheOverflowError with Dropped > 0", err)
	}
	return d
}

// overflow returns the count carried by a CacheOverflowError (0 for nil)
// and whether err is nil or such an error with a positive count.
func overflow(err error) (int, bool) {
	if err == nil {
		return 0, true
	}
	var oe *errors.CacheOverflowError
	if !errors.As(err, &oe) || !errors.Is(err, errors.CacheOverflow) || oe.Dropped <= 0 {
		return 0, false
	}
	return oe.Dropped, true
}

func TestPropertyAgainstReference(t *testing.T) {
	for _, k := range []kind{byArrival, byTimestamp, byID, bySide} {
		for _, limit := range []int{1, 2, 3, 5, 8, 40, 300} {
			t.Run(kindName(k)+"/limit="+strconv.Itoa(limit), func(t *testing.T) {
				t.Parallel()
				for seed := range uint64(8) {
					src := rand.New(rand.NewPCG(seed, uint64(limit)<<8|uint64(k)))
					runOps(t, k, limit, src, 1500)
				}
			})
		}
	}
}

// byteChooser turns fuzzer input into choices; past the end it returns 0.
type byteChooser struct{ data []byte }

func (b *byteChooser) IntN(n int) int {
	if len(b.data) == 0 {
		return 0
	}
	v := int(b.data[0])
	b.data = b.data[1:]
	return v % n
}

func FuzzRing(f *testing.F) {
	f.Add(uint8(0), uint8(3), []byte{0, 1, 2, 3, 4, 15, 16, 5, 6, 7, 17, 18, 9})
	f.Add(uint8(1), uint8(2), []byte{1, 1, 1, 1, 1, 1, 1, 16, 0, 0, 2, 2})
	f.Add(uint8(2), uint8(1), []byte{3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19})
	f.Fuzz(func(t *testing.T, k, limit uint8, data []byte) {
		runOps(t, kind(k%4), int(limit%10), &byteChooser{data: data}, len(data)/3+1)
	})
}

// TestConcurrentArrival checks, under -race, that cursors read concurrently
// with a writer see every item exactly once or count it as dropped.
func TestConcurrentArrival(t *testing.T) {
	const total = 20000
	r := NewArrival(64, testKey)
	var wg sync.WaitGroup
	for g := range 3 {
		c := r.NewCursor("")
		wg.Add(1)
		go func() {
			defer wg.Done()
			last, accounted := 0, 0
			for accounted < total {
				items, err := c.Next(0, 0)
				d, ok := overflow(err)
				if !ok {
					t.Errorf("reader %d: unexpected error %v", g, err)
					return
				}
				for i, it := range items {
					if want := last + 1 + d*btoi(i == 0); it.Val != want {
						t.Errorf("reader %d: got Val %d after %d (dropped %d), want %d", g, it.Val, last, d, want)
						return
					}
					last = it.Val
				}
				accounted += len(items) + d
				if len(items) == 0 {
					runtime.Gosched()
				}
			}
			if accounted != total {
				t.Errorf("reader %d: accounted for %d items, want %d", g, accounted, total)
			}
		}()
	}
	done := make(chan struct{})
	wg.Add(1)
	go func() { // a window reader, for the race detector
		defer wg.Done()
		for {
			select {
			case <-done:
				return
			default:
			}
			w := r.Read("", 0, 10)
			if !slices.IsSortedFunc(w, func(a, b testItem) int { return a.Val - b.Val }) {
				t.Errorf("window out of order: %v", w)
				return
			}
		}
	}()
	for v := 1; v <= total; v++ {
		r.Put(testItem{Sym: "A", ID: strconv.Itoa(v), TS: int64(v), Val: v})
		if v%50 == 0 {
			runtime.Gosched()
		}
	}
	close(done)
	wg.Wait()
}

// TestConcurrentByID checks that by-id cursors read concurrently with a
// writer return each id at most once per read and only later puts.
func TestConcurrentByID(t *testing.T) {
	const total = 20000
	r := NewByID(32, testKey)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for g, scope := range []string{"", "A", "B"} {
		c := r.NewCursor(scope)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer c.Close()
			last := 0
			for {
				items, err := c.Next(0, 0)
				if _, ok := overflow(err); !ok {
					t.Errorf("reader %d: unexpected error %v", g, err)
					return
				}
				ids := map[string]bool{}
				for _, it := range items {
					if it.Val <= last || ids[it.Sym+it.ID] || (scope != "" && it.Sym != scope) {
						t.Errorf("reader %d: bad item %+v after Val %d in %v", g, it, last, items)
						return
					}
					ids[it.Sym+it.ID] = true
					last = it.Val
				}
				select {
				case <-stop:
					return
				default:
					runtime.Gosched()
				}
			}
		}()
	}
	for v := 1; v <= total; v++ {
		r.Put(testItem{Sym: testSymbols[v%2], ID: strconv.Itoa(v % 100), TS: int64(v), Val: v})
	}
	close(stop)
	wg.Wait()
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
