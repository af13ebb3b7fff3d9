package jsonscan

import "os"

// The test frame, testdata/depthupdate.json: a Binance spot diff-depth
// event as a combined stream delivers it ({"stream":…,"data":{…}}), with the
// payload's fields as the spot docs list them (e, E, s, U, u, b, a) and 20
// level changes, 10 a side, three of them deletes (amount zero). The module
// bench/jsonscan reads the same file.

// frameLevels is the number of level changes in the test frame.
const frameLevels = 20

// depthFrame returns the test frame.
func depthFrame() []byte {
	b, err := os.ReadFile("testdata/depthupdate.json")
	if err != nil {
		panic(err) // the file is part of the package
	}
	return b
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
