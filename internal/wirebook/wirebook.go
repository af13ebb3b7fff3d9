// Package wirebook reads book levels in place off the wire: the
// [price, amount, ...] arrays every venue sends, scanned by
// internal/jsonscan and parsed into orderbook changes in one pass, with
// JSON's full rules (and the typed error) for any level not in the plain
// compact form.
package wirebook

import (
	"strconv"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/internal/jsonscan"
	"github.com/unifex-go/unifex/orderbook"
)

// ScanLevels appends the levels of one side, the array at s's position, to
// dst as changes of side: a level's first element is its price, its second
// its amount, both strings holding numbers; further elements (order counts,
// liquidated amounts) are skipped. A level that is not such a pair of
// numbers is an error of kind errors.BadResponse naming venue; a malformed
// document is left to the scanner (s.Err, s.End).
func ScanLevels(s *jsonscan.Scanner, venue string, side orderbook.Side, dst []orderbook.Change) ([]orderbook.Change, error) {
	for levels := s.Array(); s.More(levels); {
		// Most levels are read a run at a time; the rest one by one.
		if run := s.NumPairs(); len(run) > 0 {
			for _, l := range run {
				price, err := orderbook.MakeNum(l.M1, l.S1)
				if err != nil {
					return dst, err
				}
				amount, err := orderbook.MakeNum(l.M2, l.S2)
				if err != nil {
					return dst, err
				}
				dst = append(dst, orderbook.Change{Side: side, Price: price, Amount: amount})
			}
			continue
		}
		p, a := s.StrPair()
		price, err1 := orderbook.ParseNumBytes(p)
		amount, err2 := orderbook.ParseNumBytes(a)
		if s.Err() != nil {
			return dst, nil
		}
		if err1 != nil || err2 != nil {
			return dst, errors.Newf(errors.BadResponse, venue+": a book level that is not a pair of numbers: "+strconv.Quote(string(p))+", "+strconv.Quote(string(a)))
		}
		dst = append(dst, orderbook.Change{Side: side, Price: price, Amount: amount})
	}
	return dst, nil
}
