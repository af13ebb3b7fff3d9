package jsonscan_test

import (
	"fmt"

	"github.com/unifex-go/unifex/internal/jsonscan"
)

// A Binance diff-depth event, read the way an adapter reads it: fields in
// any order, keys matched exactly ("u" and "U" are different fields),
// prices and amounts kept as their exact text, unknown fields skipped.
func Example() {
	frame := []byte(`{"e":"depthUpdate","E":1672515782136,"s":"BNBBTC","U":157,"u":160,` +
		`"b":[["0.0024","10"]],"a":[["0.0026","100"],["0.0027","0"]],"x":{"new":[1,2]}}`)

	var s jsonscan.Scanner
	var first, last int64
	s.Reset(frame)
	for obj := s.Object(); s.More(obj); {
		switch key := string(s.Key()); key {
		case "U":
			first = s.Int()
		case "u":
			last = s.Int()
		case "b", "a":
			for levels := s.Array(); s.More(levels); {
				s.Array()
				price, amount := s.Str(), s.Str()
				fmt.Printf("%s %s @ %s\n", key, amount, price)
			}
		}
	}
	if err := s.End(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("ids", first, "to", last)

	// A malformed frame: the error says where and what was expected.
	s.Reset([]byte(`{"U":157,"u":160 "b":[]}`))
	for obj := s.Object(); s.More(obj); {
		s.Int()
	}
	fmt.Println(s.End())
	// Output:
	// b 10 @ 0.0024
	// a 100 @ 0.0026
	// a 0 @ 0.0027
	// ids 157 to 160
	// jsonscan: syntax error at offset 17: expected ',' or '}' after an object member, found '"'
}

// Raw keeps a value for later: here the payload of a combined-stream frame
// whose stream name comes after it.
func ExampleScanner_Raw() {
	frame := []byte(`{"data":{"e":"trade","p":"0.001"},"stream":"bnbbtc@trade"}`)

	var s jsonscan.Scanner
	var data, stream []byte
	s.Reset(frame)
	for obj := s.Object(); s.More(obj); {
		switch string(s.Key()) {
		case "data":
			data = s.Raw()
		case "stream":
			stream = s.Str()
		}
	}
	if err := s.End(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s: %s\n", stream, data)
	// Output:
	// bnbbtc@trade: {"e":"trade","p":"0.001"}
}
