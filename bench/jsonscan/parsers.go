// Package jsonscanbench compares ways of parsing a Binance depthUpdate frame
// into the update the live order book applies: encoding/json,
// valyala/fastjson and unifex's internal/jsonscan. It is a module of its own,
// so that the main module never depends on fastjson; see README.md.
package jsonscanbench

import (
	"encoding/json"
	"errors"
	"time"

	"github.com/valyala/fastjson"

	"github.com/unifex-go/unifex/internal/jsonscan"
	"github.com/unifex-go/unifex/orderbook"
)

// Update is what every parser produces: the ids, the event time and the
// level changes in exact numbers, ready for orderbook.Book.Apply.
type Update = orderbook.Update[orderbook.Change]

// Parser parses a combined-stream depthUpdate frame into u, reusing u's
// Changes.
type Parser interface {
	Parse(frame []byte, u *Update) error
}

// errNotDepth is returned for a frame that is not a depthUpdate.
var errNotDepth = errors.New("not a depthUpdate frame")

// appendChange converts one [price, amount] level with
// orderbook.ParseNumBytes and appends it.
func appendChange(cs []orderbook.Change, side orderbook.Side, price, amount []byte) ([]orderbook.Change, error) {
	return appendChangeWith(orderbook.ParseNumBytes, cs, side, price, amount)
}

// appendChangeWith is appendChange with another number parser.
func appendChangeWith(parse func([]byte) (orderbook.Num, error), cs []orderbook.Change, side orderbook.Side, price, amount []byte) ([]orderbook.Change, error) {
	p, err := parse(price)
	if err != nil {
		return cs, err
	}
	a, err := parse(amount)
	if err != nil {
		return cs, err
	}
	return append(cs, orderbook.Change{Side: side, Price: p, Amount: a}), nil
}

// EncodingJSON parses with encoding/json into a wire struct it reuses. The
// struct must name every field of the payload: encoding/json matches keys
// case-insensitively, so without a field for "e" it would decode the event
// type into E.
type EncodingJSON struct {
	wire wireFrame
}

// wireFrame is the frame as encoding/json decodes it.
type wireFrame struct {
	Stream string `json:"stream"`
	Data   struct {
		Event  string      `json:"e"`
		Time   int64       `json:"E"`
		Symbol string      `json:"s"`
		First  int64       `json:"U"`
		Last   int64       `json:"u"`
		Bids   [][2]string `json:"b"`
		Asks   [][2]string `json:"a"`
	} `json:"data"`
}

// Parse implements Parser.
func (p *EncodingJSON) Parse(frame []byte, u *Update) error {
	// Keep nothing of the last frame but the level slices' memory.
	bids, asks := p.wire.Data.Bids[:0], p.wire.Data.Asks[:0]
	p.wire = wireFrame{}
	w := &p.wire
	w.Data.Bids, w.Data.Asks = bids, asks
	if err := json.Unmarshal(frame, w); err != nil {
		return err
	}
	if w.Data.Event != "depthUpdate" {
		return errNotDepth
	}
	u.First, u.Last, u.Time = w.Data.First, w.Data.Last, time.UnixMilli(w.Data.Time).UTC()
	cs := u.Changes[:0]
	var err error
	for _, l := range w.Data.Bids {
		if cs, err = appendChange(cs, orderbook.Bid, []byte(l[0]), []byte(l[1])); err != nil {
			return err
		}
	}
	for _, l := range w.Data.Asks {
		if cs, err = appendChange(cs, orderbook.Ask, []byte(l[0]), []byte(l[1])); err != nil {
			return err
		}
	}
	u.Changes = cs
	return nil
}

// FastJSON parses with valyala/fastjson, reusing its parser (and so the
// parsed tree's memory).
type FastJSON struct {
	parser fastjson.Parser
}

// Parse implements Parser.
func (p *FastJSON) Parse(frame []byte, u *Update) error {
	v, err := p.parser.ParseBytes(frame)
	if err != nil {
		return err
	}
	data := v.Get("data")
	if data == nil || string(data.GetStringBytes("e")) != "depthUpdate" {
		return errNotDepth
	}
	ms, err := data.Get("E").Int64()
	if err != nil {
		return err
	}
	if u.First, err = data.Get("U").Int64(); err != nil {
		return err
	}
	if u.Last, err = data.Get("u").Int64(); err != nil {
		return err
	}
	u.Time = time.UnixMilli(ms).UTC()
	cs := u.Changes[:0]
	for _, side := range [...]struct {
		key  string
		side orderbook.Side
	}{{"b", orderbook.Bid}, {"a", orderbook.Ask}} {
		levels, err := data.Get(side.key).Array()
		if err != nil {
			return err
		}
		for _, l := range levels {
			pair, err := l.Array()
			if err != nil {
				return err
			}
			if len(pair) < 2 {
				return errNotDepth
			}
			price, err := pair[0].StringBytes()
			if err != nil {
				return err
			}
			amount, err := pair[1].StringBytes()
			if err != nil {
				return err
			}
			if cs, err = appendChange(cs, side.side, price, amount); err != nil {
				return err
			}
		}
	}
	u.Changes = cs
	return nil
}

// Scan parses with internal/jsonscan, as an adapter would: one pass, fields
// in any order, the levels converted as they are read. With PlainDecimals
// it converts numbers with plainDecimal first, to measure that fast path.
type Scan struct {
	s             jsonscan.Scanner
	PlainDecimals bool
}

// Parse implements Parser.
func (p *Scan) Parse(frame []byte, u *Update) error {
	s := &p.s
	s.Reset(frame)
	parse := orderbook.ParseNumBytes
	if p.PlainDecimals {
		parse = parseNum
	}
	cs := u.Changes[:0]
	var ms int64
	var event []byte
	var err error
	for top := s.Object(); s.More(top); {
		if string(s.Key()) != "data" {
			continue // "stream": the connection's router has read it
		}
		for data := s.Object(); s.More(data); {
			switch string(s.Key()) {
			case "e":
				event = s.Str()
			case "E":
				ms = s.Int()
			case "U":
				u.First = s.Int()
			case "u":
				u.Last = s.Int()
			case "b", "a":
				side := orderbook.Bid
				if string(s.Key()) == "a" {
					side = orderbook.Ask
				}
				for levels := s.Array(); s.More(levels); {
					s.Array()
					price, amount := s.Str(), s.Str()
					if s.Err() != nil {
						break
					}
					if cs, err = appendChangeWith(parse, cs, side, price, amount); err != nil {
						return err
					}
				}
			}
		}
	}
	if err := s.End(); err != nil {
		return err
	}
	if string(event) != "depthUpdate" {
		return errNotDepth
	}
	u.Time = time.UnixMilli(ms).UTC()
	u.Changes = cs
	return nil
}
