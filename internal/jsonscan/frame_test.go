package jsonscan

import (
	"fmt"
	"strconv"
)

// The test frame: a Binance spot diff-depth event as a combined stream
// delivers it ({"stream":…,"data":{…}}), with the payload's fields as the
// spot docs list them (e, E, s, U, u, b, a) and 20 level changes, 10 a
// side, some of them deletes (amount zero).

// frameLevels is the number of level changes a side in depthFrame.
const frameLevels = 10

// frameLevel is one [price, amount] change of depthFrame.
type frameLevel struct{ price, amount string }

// depthLevels returns the bid and ask changes of depthFrame: prices on a
// 0.01 grid around 67 000, amounts with Binance's eight decimals, every
// fourth level a delete.
func depthLevels() (bids, asks []frameLevel) {
	amount := func(i int) string {
		if i%4 == 3 {
			return "0.00000000"
		}
		return "0." + fmt.Sprintf("%08d", 1234567*(i+1)%99999999)
	}
	for i := range frameLevels {
		bids = append(bids, frameLevel{strconv.FormatFloat(67012.34-0.01*float64(i), 'f', 8, 64), amount(i)})
		asks = append(asks, frameLevel{strconv.FormatFloat(67012.35+0.01*float64(i), 'f', 8, 64), amount(i + 5)})
	}
	return bids, asks
}

// depthFrame returns the test frame.
func depthFrame() []byte {
	bids, asks := depthLevels()
	b := []byte(`{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1672515782136,"s":"BTCUSDT","U":81340291,"u":81340310,"b":`)
	b = appendLevels(b, bids)
	b = append(b, `,"a":`...)
	b = appendLevels(b, asks)
	return append(b, "}}"...)
}

func appendLevels(b []byte, ls []frameLevel) []byte {
	b = append(b, '[')
	for i, l := range ls {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `["`+l.price+`","`+l.amount+`"]`...)
	}
	return append(b, ']')
}

// depthUpdate is what parseDepth reads from a frame.
type depthUpdate struct {
	stream, event, symbol []byte
	time, first, last     int64
	levels                []parsedLevel
}

// parsedLevel is one level change as parseDepth reads it.
type parsedLevel struct {
	ask           bool
	price, amount []byte
}

// parseDepth reads a combined-stream depthUpdate frame as an adapter would,
// reusing u's level slice.
func parseDepth(s *Scanner, frame []byte, u *depthUpdate) error {
	s.Reset(frame)
	u.levels = u.levels[:0]
	for top := s.Object(); s.More(top); {
		switch string(s.Key()) {
		case "stream":
			u.stream = s.Str()
		case "data":
			for data := s.Object(); s.More(data); {
				switch string(s.Key()) {
				case "e":
					u.event = s.Str()
				case "E":
					u.time = s.Int()
				case "s":
					u.symbol = s.Str()
				case "U":
					u.first = s.Int()
				case "u":
					u.last = s.Int()
				case "b", "a":
					ask := string(s.Key()) == "a"
					for side := s.Array(); s.More(side); {
						s.Array()
						u.levels = append(u.levels, parsedLevel{ask: ask, price: s.Str(), amount: s.Str()})
					}
				}
			}
		}
	}
	return s.End()
}
