package orderbook

import (
	"hash/crc32"
	"math"
	"strconv"

	"github.com/unifex-go/unifex/errors"
)

// Layout is the order in which a checksum visits the levels.
type Layout uint8

const (
	// Interleaved visits bid 1, ask 1, bid 2, ask 2, …; when one side runs
	// out, the other continues alone.
	Interleaved Layout = iota
	// AsksThenBids visits every ask best first, then every bid best first.
	AsksThenBids
)

// TextForm is how a checksum writes numbers.
type TextForm uint8

const (
	// WireText writes numbers as the venue sent them in plain notation,
	// trailing zeros included (Num.Append).
	WireText TextForm = iota
	// JSNumber writes numbers as JavaScript's Number toString does
	// (Num.AppendJSNumber), for venues that send JSON numbers.
	JSNumber
	// DigitsOnly writes the wire text without its decimal point and leading
	// zeros (Num.AppendDigits).
	DigitsOnly
)

// ChecksumSpec describes a venue's order-book checksum: the CRC-32 (IEEE) of
// the top Depth levels of each side written as text. Each level gives two
// fields, price then amount; every field is followed by Sep except the last.
type ChecksumSpec struct {
	// Depth is the number of levels (orders, with OrderIDs) taken from each
	// side; 0 or less takes all.
	Depth int
	// Layout is the visiting order.
	Layout Layout
	// Form is how numbers are written.
	Form TextForm
	// Sep separates fields ("" concatenates them).
	Sep string
	// NegativeAsks writes ask amounts negated, as venues that sign amounts
	// by side send them.
	NegativeAsks bool
	// OrderIDs (L3 books only) makes each entry an order rather than a
	// level, its first field the order id instead of the price.
	OrderIDs bool
}

// The checksums venues document. A checksum the venue sends as a signed
// 32-bit integer compares equal to VerifyChecksum's expected value either way.
var (
	// Interleaved25 is OKX's (books channels, when the checksum field is not
	// 0) and Bitget's (books): "bidPx:bidSz:askPx:askSz:…" over the top 25
	// levels, exact wire strings, sent as a signed int32.
	Interleaved25 = ChecksumSpec{Depth: 25, Layout: Interleaved, Form: WireText, Sep: ":"}
	// Interleaved25JS is Bitfinex's for P0–P4 books: the top 25 levels
	// interleaved as "price:amount", ask amounts negative, numbers as
	// JavaScript writes them ("7e-7"), sent as a signed int32.
	Interleaved25JS = ChecksumSpec{Depth: 25, Layout: Interleaved, Form: JSNumber, Sep: ":", NegativeAsks: true}
	// Interleaved25JSOrders is Bitfinex's for raw (R0) books, with an L3
	// book: the top 25 orders a side interleaved as "orderId:amount".
	Interleaved25JSOrders = ChecksumSpec{Depth: 25, Layout: Interleaved, Form: JSNumber, Sep: ":", NegativeAsks: true, OrderIDs: true}
	// AsksThenBids10Digits is Kraken's (WebSocket v1 and v2 book): the top
	// 10 asks then the top 10 bids, each price and volume without its
	// decimal point and leading zeros, concatenated; sent unsigned.
	AsksThenBids10Digits = ChecksumSpec{Depth: 10, Layout: AsksThenBids, Form: DigitsOnly}
)

// check rejects a spec with an unknown layout or form.
func (sp *ChecksumSpec) check() error {
	if sp.Layout > AsksThenBids {
		return errors.Newf(errors.BadRequest, "orderbook: unknown checksum layout "+strconv.Itoa(int(sp.Layout)))
	}
	if sp.Form > DigitsOnly {
		return errors.Newf(errors.BadRequest, "orderbook: unknown checksum text form "+strconv.Itoa(int(sp.Form)))
	}
	return nil
}

// appendNum writes n in the spec's form.
func (sp *ChecksumSpec) appendNum(dst []byte, n Num) []byte {
	switch sp.Form {
	case JSNumber:
		return n.AppendJSNumber(dst)
	case DigitsOnly:
		return n.AppendDigits(dst)
	}
	return n.Append(dst)
}

// visit calls emit for the entries of a checksum in the spec's order, given
// how many entries each side has.
func (sp *ChecksumSpec) visit(nb, na int, emit func(ask bool, rank int)) {
	if sp.Depth > 0 {
		nb, na = min(nb, sp.Depth), min(na, sp.Depth)
	}
	if sp.Layout == AsksThenBids {
		for i := range na {
			emit(true, i)
		}
		for i := range nb {
			emit(false, i)
		}
		return
	}
	for i := range max(nb, na) {
		if i < nb {
			emit(false, i)
		}
		if i < na {
			emit(true, i)
		}
	}
}

// appendLevels writes the checksum text of two ladders.
func (sp *ChecksumSpec) appendLevels(dst []byte, bids, asks *ladder) []byte {
	ws := [2]cursor{bids.walk(), asks.walk()}
	first := true
	sp.visit(bids.n, asks.n, func(ask bool, _ int) {
		l, w := bids, &ws[0]
		if ask {
			l, w = asks, &ws[1]
		}
		k, slot, _ := w.next()
		amount := l.lv[slot].amount()
		if ask && sp.NegativeAsks {
			amount = amount.Neg()
		}
		if !first {
			dst = append(dst, sp.Sep...)
		}
		first = false
		dst = sp.appendNum(dst, l.price(k, slot))
		dst = append(dst, sp.Sep...)
		dst = sp.appendNum(dst, amount)
	})
	return dst
}

// verify compares a computed checksum with the venue's, sent signed or
// unsigned.
func verify(expected int64, computed uint32) error {
	if expected >= math.MinInt32 && expected <= math.MaxUint32 && uint32(expected) == computed {
		return nil
	}
	return &ChecksumMismatchError{Expected: expected, Computed: computed}
}

// AppendChecksumText appends the text the checksum spec hashes for this book
// (for logs and tests); it returns Err when the book is not live.
func (b *Book) AppendChecksumText(dst []byte, spec ChecksumSpec) ([]byte, error) {
	if err := b.readErr(); err != nil {
		return dst, err
	}
	if err := spec.check(); err != nil {
		return dst, err
	}
	return spec.appendLevels(dst, &b.bids, &b.asks), nil
}

// Checksum returns the CRC-32 (IEEE) of the book's checksum text; it returns
// Err when the book is not live. It does not allocate once the book's text
// buffer has grown.
func (b *Book) Checksum(spec ChecksumSpec) (uint32, error) {
	text, err := b.AppendChecksumText(b.text[:0], spec)
	b.text = text[:0]
	if err != nil {
		return 0, err
	}
	return crc32.ChecksumIEEE(text), nil
}

// VerifyChecksum compares the book's checksum with the one the venue sent
// (signed or unsigned, as sent). On a mismatch the book becomes invalid and a
// *ChecksumMismatchError (kind errors.ChecksumError) is returned; a Sync
// driving the book then waits for a new snapshot. A book that is not live
// returns its Err. (OKX now sends 0 instead of a checksum: skip the call
// then.)
func (b *Book) VerifyChecksum(spec ChecksumSpec, expected int64) error {
	got, err := b.Checksum(spec)
	if err != nil {
		return err
	}
	if err := verify(expected, got); err != nil {
		return b.fail(err)
	}
	return nil
}
