package okxtest

import (
	"github.com/unifex-go/unifex/internal/fakebook"
	"hash/crc32"
	"math/rand/v2"
	"sort"
	"strings"
)

// The authoritative order book of one instrument. Changes collect until
// a seal turns them into one books update: seqId moves forward by a
// random jump (OKX's ids are not contiguous), prevSeqId names the
// previous message's seqId, and the new state is remembered by its seqId
// for BookAt. A no-change update keeps seqId (prevSeqId == seqId); a
// sequence reset makes seqId smaller than prevSeqId.

// level is a price with the total size resting there, in units, and the
// number of orders making it up; ladder is one side of a book, best price
// first; bookState is the book at one seqId.
type (
	level     = fakebook.Level
	ladder    = fakebook.Side
	bookState = fakebook.State
)

// update is a sealed books message: the changed levels (sz 0 removes)
// and its ids.
type update struct {
	seq, prev  int64
	bids, asks []level
	checksum   int32
}

// book is an instrument's book and its sequence bookkeeping.
type book struct {
	bids, asks ladder
	seq        int64 // seqId of the last sealed state
	pending    map[[2]int64]bool
	history    fakebook.History

	sentTop5 string // what books5 last showed
	sentBBO  string // what bbo-tbt last showed

	// faults armed for the next update
	gapNext, resetNext, corruptNext bool
}

func newBook(history int, seq int64) *book {
	return &book{bids: ladder{Bids: true}, seq: seq, pending: map[[2]int64]bool{}, history: fakebook.NewHistory(history)}
}

// set changes a level now; the next seal publishes it.
func (b *book) set(bid bool, px, sz, n int64) {
	side, k := &b.asks, int64(0)
	if bid {
		side, k = &b.bids, 1
	}
	side.Set(px, sz, n)
	b.pending[[2]int64{k, px}] = true
}

// seal turns the pending changes into an update; ok is false when
// nothing changed. A reset makes the new seqId smaller than the previous.
func (b *book) seal(rng *rand.Rand) (update, bool) {
	if len(b.pending) == 0 {
		return update{}, false
	}
	u := update{prev: b.seq, seq: b.seq + 1 + int64(rng.IntN(20))}
	if b.resetNext {
		b.resetNext = false
		u.seq = 1000 + int64(rng.IntN(1000))
	}
	for k := range b.pending {
		side := &b.asks
		if k[0] == 1 {
			side = &b.bids
		}
		lv := level{Price: k[1]}
		if i := side.Find(k[1]); i < len(side.Levels) && side.Levels[i].Price == k[1] {
			lv = side.Levels[i]
		}
		if k[0] == 1 {
			u.bids = append(u.bids, lv)
		} else {
			u.asks = append(u.asks, lv)
		}
	}
	clear(b.pending)
	sort.Slice(u.bids, func(i, j int) bool { return u.bids[i].Price > u.bids[j].Price })
	sort.Slice(u.asks, func(i, j int) bool { return u.asks[i].Price < u.asks[j].Price })
	b.seq = u.seq
	b.record()
	return u, true
}

// record remembers the current state under seq.
func (b *book) record() { b.history.Record(b.seq, &b.bids, &b.asks) }

// at returns the newest remembered state with seqId seq.
func (b *book) at(seq int64) (bookState, bool) { return b.history.At(seq) }

// checksumOf is OKX's legacy book checksum over the best 25 levels of the
// state, with the strings the fake writes.
func checksumOf(m *market, bids, asks []level) int32 {
	b := make([][2]string, 0, min(25, len(bids)))
	for _, l := range bids[:min(25, len(bids))] {
		b = append(b, [2]string{m.price(l.Price), m.size(l.Qty)})
	}
	a := make([][2]string, 0, min(25, len(asks)))
	for _, l := range asks[:min(25, len(asks))] {
		a = append(a, [2]string{m.price(l.Price), m.size(l.Qty)})
	}
	return Checksum(b, a)
}

// Checksum is OKX's legacy order-book checksum: the best 25 bids and asks
// (price and size, the exact strings sent) interleaved as
// "bid1px:bid1sz:ask1px:ask1sz:..." — a side with fewer levels simply
// ends early — and the CRC-32 (IEEE) of that string read as a signed
// 32-bit integer. bids are best first (descending), asks best first
// (ascending); levels past the 25th are ignored.
func Checksum(bids, asks [][2]string) int32 {
	var sb strings.Builder
	for i := 0; i < 25 && (i < len(bids) || i < len(asks)); i++ {
		if i < len(bids) {
			if sb.Len() > 0 {
				sb.WriteByte(':')
			}
			sb.WriteString(bids[i][0] + ":" + bids[i][1])
		}
		if i < len(asks) {
			if sb.Len() > 0 {
				sb.WriteByte(':')
			}
			sb.WriteString(asks[i][0] + ":" + asks[i][1])
		}
	}
	return int32(crc32.ChecksumIEEE([]byte(sb.String())))
}
