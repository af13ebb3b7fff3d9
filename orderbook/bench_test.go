package orderbook

import (
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"testing"
	"unsafe"

	"github.com/shopspring/decimal"
)

// benchDepth is the number of levels a side in the benchmark books.
const benchDepth = 1000

// benchBook returns a live book with benchDepth levels a side on a 0.01 grid
// with bids below 10000.00 and asks above it; level prices are even numbers
// of ticks so that odd ticks are free for inserts.
func benchBook(b testing.TB) *Book {
	cs := make([]Change, 0, 2*benchDepth)
	for i := range benchDepth {
		cs = append(cs,
			Change{Side: Bid, Price: tick(1000000 - 2*int64(i)), Amount: Num{m: 1000 + int64(i), s: 3}},
			Change{Side: Ask, Price: tick(1000002 + 2*int64(i)), Amount: Num{m: 2000 + int64(i), s: 3}})
	}
	book := NewBook("BTC/USDT")
	if err := book.Replace(upd(1, cs...)); err != nil {
		b.Fatal(err)
	}
	return book
}

// tick returns n × 0.01.
func tick(n int64) Num { return Num{m: n, s: 2} }

// ranks draws level ranks (0 = best): top-heavy ones from an exponential
// distribution with mean 8 (most updates near the top, as on real venues),
// or uniform over the book.
func ranks(n int, topHeavy bool) []int {
	r := rand.New(rand.NewPCG(1, 2))
	out := make([]int, n)
	for i := range out {
		if topHeavy {
			out[i] = min(int(-math.Log(1-r.Float64())*8), benchDepth-1)
		} else {
			out[i] = r.IntN(benchDepth)
		}
	}
	return out
}

// priceAt returns the price of the level at rank on a side of benchBook, or
// with odd true the free price just behind it.
func priceAt(sd Side, rank int, odd bool) Num {
	o := int64(0)
	if odd {
		o = 1
	}
	if sd == Bid {
		return tick(1000000 - 2*int64(rank) - o)
	}
	return tick(1000002 + 2*int64(rank) + o)
}

// benchOps is the number of precomputed changes a benchmark cycles through:
// enough to defeat the branch predictor, few enough to stay in L1 like the
// freshly parsed changes of a real frame.
const benchOps = 512

func BenchmarkApply(b *testing.B) {
	for _, dist := range []struct {
		name     string
		topHeavy bool
	}{{"top-heavy", true}, {"uniform", false}} {
		rs := ranks(benchOps, dist.topHeavy)
		// update: change the amount of an existing level.
		b.Run("update/"+dist.name, func(b *testing.B) {
			book := benchBook(b)
			cs := make([]Change, len(rs))
			for i, r := range rs {
				sd := Side(1 + i%2)
				cs[i] = Change{Side: sd, Price: priceAt(sd, r, false), Amount: Num{m: int64(500 + i), s: 3}}
			}
			benchChanges(b, book, cs)
		})
		// insert-delete: alternately insert a new level and delete it again,
		// so the book keeps its depth; each op is one insert or one delete.
		b.Run("insert-delete/"+dist.name, func(b *testing.B) {
			book := benchBook(b)
			cs := make([]Change, 2*len(rs))
			for i, r := range rs {
				sd := Side(1 + i%2)
				p := priceAt(sd, r, true)
				cs[2*i] = Change{Side: sd, Price: p, Amount: Num{m: 7, s: 1}}
				cs[2*i+1] = Change{Side: sd, Price: p}
			}
			benchChanges(b, book, cs)
		})
	}
	// Messages of ten changes near the top, the common diff shape.
	b.Run("message-10-changes/top-heavy", func(b *testing.B) {
		book := benchBook(b)
		rs := ranks(benchOps+10, true)
		cs := make([]Change, len(rs))
		for i, r := range rs {
			sd := Side(1 + i%2)
			cs[i] = Change{Side: sd, Price: priceAt(sd, r, false), Amount: Num{m: int64(100 + i), s: 3}}
		}
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			j := i & (benchOps - 1)
			if err := book.Apply(Update[Change]{IDs: IDs{Last: 2}, Changes: cs[j : j+10]}); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

// BenchmarkApplyDeep is insert-delete/uniform of BenchmarkApply on a book
// of 10 000 levels a side, where the chunk list is ten times as long.
func BenchmarkApplyDeep(b *testing.B) {
	const depth = 10 * benchDepth
	cs := make([]Change, 0, 2*depth)
	for i := range depth {
		cs = append(cs,
			Change{Side: Bid, Price: tick(1000000 - 2*int64(i)), Amount: Num{m: 1000 + int64(i), s: 3}},
			Change{Side: Ask, Price: tick(1000002 + 2*int64(i)), Amount: Num{m: 2000 + int64(i), s: 3}})
	}
	book := NewBook("BTC/USDT")
	if err := book.Replace(upd(1, cs...)); err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	ops := make([]Change, 2*benchOps)
	for i := range benchOps {
		sd := Side(1 + i%2)
		p := priceAt(sd, r.IntN(depth), true)
		ops[2*i] = Change{Side: sd, Price: p, Amount: Num{m: 7, s: 1}}
		ops[2*i+1] = Change{Side: sd, Price: p}
	}
	b.Run("insert-delete/uniform", func(b *testing.B) { benchChanges(b, book, ops) })
}

// benchChanges applies cs one change per update, cycling.
//
// Each Update is written in the call, as an adapter writes one from a
// decoded frame. (An Update is 72 bytes and goes to Apply on the stack.
// Filling a variable and passing it by value makes the compiler copy it
// twice with overlapping 16-byte moves, and the second copy waits for the
// first to retire — a store-forwarding stall of about 5 ns a call on the
// benchmark machine, a sixth of a top-of-book update, that measured the
// harness rather than the book.)
func benchChanges(b *testing.B, book *Book, cs []Change) {
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		j := i & (len(cs) - 1) // len(cs) is a power of two
		if err := book.Apply(Update[Change]{IDs: IDs{Last: 2}, Changes: cs[j : j+1]}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// decimalLadder is the same sorted-slice side keyed by shopspring decimals,
// only to measure what the hot path would cost with decimal.Decimal.
type decimalLadder struct {
	keys, amounts []decimal.Decimal
}

func (l *decimalLadder) set(price, amount decimal.Decimal) {
	keys := l.keys
	hi, lo := len(keys), 0
	for step := 1; ; step <<= 1 {
		j := hi - step
		if j < 0 {
			break
		}
		c := keys[j].Cmp(price)
		if c == 0 {
			l.amounts[j] = amount
			return
		}
		if c < 0 {
			lo = j + 1
			break
		}
		hi = j
	}
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		c := keys[mid].Cmp(price)
		if c == 0 {
			l.amounts[mid] = amount
			return
		}
		if c < 0 {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	panic("benchmark updates existing levels only")
}

// BenchmarkWireToBook compares the whole hot path from wire text — parse a
// price and an amount, find the level, store the amount — with Num and with
// shopspring decimals, on the bid side of a 1000-level book, top-heavy.
func BenchmarkWireToBook(b *testing.B) {
	rs := ranks(4096, true)
	prices := make([]string, len(rs))
	amounts := make([]string, len(rs))
	for i, r := range rs {
		prices[i] = priceAt(Bid, r, false).String()
		amounts[i] = strconv.Itoa(1000+i) + ".123"
	}
	b.Run("fixed", func(b *testing.B) {
		book := benchBook(b)
		cs := make([]Change, 1)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			p, err1 := ParseNum(prices[i&4095])
			a, err2 := ParseNum(amounts[i&4095])
			if err1 != nil || err2 != nil {
				b.Fatal(err1, err2)
			}
			cs[0] = Change{Side: Bid, Price: p, Amount: a}
			if err := book.Apply(upd(2, cs...)); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("shopspring", func(b *testing.B) {
		var l decimalLadder
		for i := benchDepth - 1; i >= 0; i-- {
			l.keys = append(l.keys, priceAt(Bid, i, false).Decimal())
			l.amounts = append(l.amounts, decimal.New(1000+int64(i), -3))
		}
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			p, err1 := decimal.NewFromString(prices[i&4095])
			a, err2 := decimal.NewFromString(amounts[i&4095])
			if err1 != nil || err2 != nil {
				b.Fatal(err1, err2)
			}
			l.set(p, a)
			i++
		}
	})
}

func BenchmarkParse(b *testing.B) {
	for _, s := range []string{"43231.10", "0.00012", "500793.10790141", "7e-7"} {
		b.Run("fixed/"+s, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ParseNum(s); err != nil {
					b.Fatal(err)
				}
			}
		})
		bs := []byte(s)
		b.Run("fixed-bytes/"+s, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ParseNumBytes(bs); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("shopspring/"+s, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := decimal.NewFromString(s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkCompare(b *testing.B) {
	x, y := benchNum(b, "43231.10"), benchNum(b, "43231.15")
	z := benchNum(b, "43231.1")
	dx, dy, dz := x.Decimal(), y.Decimal(), z.Decimal()
	var sink int
	b.Run("fixed/same-scale", func(b *testing.B) {
		for b.Loop() {
			sink += x.Cmp(y)
		}
	})
	b.Run("fixed/other-scale", func(b *testing.B) {
		for b.Loop() {
			sink += z.Cmp(y)
		}
	})
	b.Run("shopspring/same-scale", func(b *testing.B) {
		for b.Loop() {
			sink += dx.Cmp(dy)
		}
	})
	b.Run("shopspring/other-scale", func(b *testing.B) {
		for b.Loop() {
			sink += dz.Cmp(dy)
		}
	})
	_ = sink
}

// benchNum parses s for benchmarks.
func benchNum(b testing.TB, s string) Num { return num(b, s) }

func BenchmarkSnapshot(b *testing.B) {
	b.Run("top20/unchanged", func(b *testing.B) {
		book := benchBook(b)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := book.Snapshot(20); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("top20/best-level-changed", func(b *testing.B) {
		book := benchBook(b)
		ups := []Update[Change]{
			upd(2, Change{Side: Bid, Price: priceAt(Bid, 0, false), Amount: Num{m: 5, s: 1}}),
			upd(3, Change{Side: Bid, Price: priceAt(Bid, 0, false), Amount: Num{m: 6, s: 1}}),
		}
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			_ = book.Apply(ups[i&1])
			if _, err := book.Snapshot(20); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("top20/cold", func(b *testing.B) {
		// Every level rebuilt: the first snapshot after a Replace.
		book := benchBook(b)
		b.ReportAllocs()
		for b.Loop() {
			for _, l := range []*ladder{&book.bids, &book.asks} {
				w := l.walk()
				for range 20 {
					_, slot, _ := w.next()
					l.lv[slot].cached = 0
				}
			}
			if _, err := book.Snapshot(20); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("all-2000", func(b *testing.B) {
		book := benchBook(b)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := book.Snapshot(0); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkChecksum(b *testing.B) {
	book := benchBook(b)
	for _, sp := range []struct {
		name string
		spec ChecksumSpec
	}{{"interleaved25-wire", Interleaved25}, {"interleaved25-js", Interleaved25JS}, {"kraken10", AsksThenBids10Digits}} {
		b.Run(sp.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := book.Checksum(sp.spec); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkReplace(b *testing.B) {
	src := benchBook(b)
	ob, _ := src.Snapshot(0)
	cs := make([]Change, 0, 2*benchDepth)
	for _, l := range ob.Bids { // best first, as venues send them
		p, _ := NumFromDecimal(l.Price)
		a, _ := NumFromDecimal(l.Amount)
		cs = append(cs, Change{Side: Bid, Price: p, Amount: a})
	}
	for _, l := range ob.Asks {
		p, _ := NumFromDecimal(l.Price)
		a, _ := NumFromDecimal(l.Amount)
		cs = append(cs, Change{Side: Ask, Price: p, Amount: a})
	}
	book := NewBook("X")
	b.ReportAllocs()
	for b.Loop() {
		if err := book.Replace(upd(1, cs...)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSyncOnDelta(b *testing.B) {
	book := benchBook(b)
	s := NewSync[Change](book, UpdateIDRange{}, 1000)
	var cs []Change
	for i := range benchDepth {
		cs = append(cs, Change{Side: Bid, Price: priceAt(Bid, i, false), Amount: Num{m: 1, s: 0}},
			Change{Side: Ask, Price: priceAt(Ask, i, false), Amount: Num{m: 1, s: 0}})
	}
	if err := s.OnSnapshot(upd(1000, cs...)); err != nil {
		b.Fatal(err)
	}
	rs := ranks(4096, true)
	ups := make([]Update[Change], len(rs))
	for i, r := range rs {
		ups[i].Changes = []Change{{Side: Side(1 + i%2), Price: priceAt(Side(1+i%2), r, false), Amount: Num{m: int64(i + 1), s: 2}}}
	}
	b.ReportAllocs()
	id := int64(1000)
	i := 0
	for b.Loop() {
		u := ups[i&4095]
		u.First, u.Last = id+1, id+3
		id += 3
		if err := s.OnDelta(u); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkL3Apply(b *testing.B) {
	book := NewL3Book[int64]("X", TimePriority)
	var cs []OrderChange[int64]
	for i := range benchDepth {
		for j := range 3 { // three orders a level
			id := int64(6*i + 2*j)
			cs = append(cs,
				OrderChange[int64]{ID: id, Side: Bid, Price: priceAt(Bid, i, false), Amount: Num{m: 1, s: 0}},
				OrderChange[int64]{ID: id + 1, Side: Ask, Price: priceAt(Ask, i, false), Amount: Num{m: 1, s: 0}})
		}
	}
	if err := book.Replace(l3upd(1, cs...)); err != nil {
		b.Fatal(err)
	}
	rs := ranks(4096, true)
	ups := make([]Update[OrderChange[int64]], 0, 3*len(rs))
	for i, r := range rs {
		id := int64(1_000_000 + i)
		ups = append(ups,
			l3upd(2, OrderChange[int64]{ID: id, Side: Bid, Price: priceAt(Bid, r, false), Amount: Num{m: 5, s: 1}}),   // add
			l3upd(2, OrderChange[int64]{ID: id, Side: Bid, Price: priceAt(Bid, r+1, false), Amount: Num{m: 4, s: 1}}), // move
			l3upd(2, OrderChange[int64]{ID: id})) // delete
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if err := book.Apply(ups[i%len(ups)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkFootprint reports the memory of a book with 1000 levels a side:
// heap-B/book is the live heap a Replace adds (runtime.MemStats delta after
// GC, snapshot caches empty), calc-B/side the slices' capacity × element size
// (unsafe.Sizeof) of one side, and cache-B/level what the two cached
// decimals of a level cost once a snapshot built them.
func BenchmarkFootprint(b *testing.B) {
	var cs []Change
	for i := range benchDepth {
		cs = append(cs,
			Change{Side: Bid, Price: tick(1000000 - 2*int64(i)), Amount: Num{m: 1000 + int64(i), s: 3}},
			Change{Side: Ask, Price: tick(1000002 + 2*int64(i)), Amount: Num{m: 2000 + int64(i), s: 3}})
	}
	var heap, calc, cache float64
	for b.Loop() {
		var before, after, cached runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		book := NewBook("X")
		if err := book.Replace(upd(1, cs...)); err != nil {
			b.Fatal(err)
		}
		book.order = nil // scratch, not the book's own data
		runtime.GC()
		runtime.ReadMemStats(&after)
		if _, err := book.Snapshot(0); err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&cached)
		heap = float64(after.HeapAlloc - before.HeapAlloc)
		l := &book.bids
		calc = float64(uintptr(len(l.chunks)+len(l.spare))*unsafe.Sizeof(chunk{}) +
			uintptr(cap(l.chunks)+cap(l.spare))*unsafe.Sizeof(l) +
			uintptr(cap(l.firsts))*8 + uintptr(cap(l.lv))*unsafe.Sizeof(level{}) + uintptr(cap(l.free))*4)
		cache = float64(cached.HeapAlloc-after.HeapAlloc) / (2 * benchDepth)
		runtime.KeepAlive(book)
	}
	b.ReportMetric(heap, "heap-B/book")
	b.ReportMetric(calc, "calc-B/side")
	b.ReportMetric(cache, "cache-B/level")
}

// sortedSlice is the alternative the ladder was measured against: one
// sorted slice of keys and slots with the best price at the end, searched by
// galloping from the end (see BenchmarkStructure).
type sortedSlice struct {
	keys  []int64
	slots []int32
}

func (s *sortedSlice) set(k int64) {
	i, found := gallopKeys(s.keys, k)
	if found {
		s.keys = slices.Delete(s.keys, i, i+1)
		s.slots = slices.Delete(s.slots, i, i+1)
		return
	}
	s.keys = slices.Insert(s.keys, i, k)
	s.slots = slices.Insert(s.slots, i, int32(i))
}

// BenchmarkStructure compares the ladder (chunks of 48 levels, a B+tree of
// height two) with a single sorted slice on the ordered-key work of an
// insert or a delete — search, then move keys and slots — on 1000 levels,
// alternately inserting a free price and deleting it again.
func BenchmarkStructure(b *testing.B) {
	for _, dist := range []struct {
		name     string
		topHeavy bool
	}{{"top-heavy", true}, {"uniform", false}} {
		rs := ranks(benchOps, dist.topHeavy)
		// Keys 2, 4, … 2000 with the best (largest) at the end; odd keys
		// are free.
		free := make([]int64, len(rs))
		for i, r := range rs {
			free[i] = int64(2*(benchDepth-r)) - 1
		}
		b.Run("sorted-slice/"+dist.name, func(b *testing.B) {
			var s sortedSlice
			for i := range benchDepth {
				s.set(int64(2 * (i + 1)))
			}
			i := 0
			for b.Loop() {
				s.set(free[(i>>1)&(benchOps-1)])
				i++
			}
		})
		b.Run("ladder/"+dist.name, func(b *testing.B) {
			var l ladder
			for i := range benchDepth {
				l.push(int64(2*(i+1)), 0)
			}
			i := 0
			for b.Loop() {
				k := free[(i>>1)&(benchOps-1)]
				if p, found := l.search(k); found {
					l.remove(p)
				} else {
					l.insert(p, k, 0)
				}
				i++
			}
		})
	}
}

// gallopKeys returns the index of k in sorted keys, or where it would be
// inserted, and whether it is present: it gallops from the end, then
// bisects, for sortedSlice (a linear scan does not suit 1000 keys).
func gallopKeys(keys []int64, k int64) (int, bool) {
	hi := len(keys) // keys[hi:] are all greater than k
	lo := 0
	for step := 1; ; step <<= 1 {
		j := hi - step
		if j < 0 {
			break
		}
		if kj := keys[j]; kj <= k {
			if kj == k {
				return j, true
			}
			lo = j + 1
			break
		}
		hi = j
	}
	// Bisect the window the gallop left (the first key >= k is in
	// [lo, lo+n]).
	n := hi - lo
	for n > 1 {
		half := n >> 1
		if keys[lo+half] < k {
			lo += half
		}
		n -= half
	}
	if n == 1 && keys[lo] < k {
		lo++
	}
	return lo, lo < len(keys) && keys[lo] == k
}
