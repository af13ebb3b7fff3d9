package ccxtfixture

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func TestCompare(t *testing.T) {
	for _, c := range []struct {
		name, expected, ours string
		skip                 map[string]string
		want                 []string
	}{
		{"a string is no number", `{"a":"x","b":1.50}`, `{"a":"x","b":"1.5"}`, nil, []string{".b: we have 1.5, CCXT 1.50"}},
		{"numbers by value", `{"b":1.50}`, `{"b":1.5}`, nil, nil},
		{"falsy agree", `{"a":null,"b":0,"c":"","d":false}`, `{"a":0,"b":null,"d":""}`, nil, nil},
		{"missing key", `{"a":1}`, `{}`, nil, []string{".a: missing"}},
		{"info ignored", `{"info":{"x":1}}`, `{}`, nil, nil},
		{"skip at depth", `{"l":[{"fee":1,"id":"2"}]}`, `{"l":[{"fee":2,"id":"3"}]}`, map[string]string{"fee": "why"},
			[]string{".l[0].id: we have 3, CCXT 2"}},
		{"list length", `[1,2]`, `[1]`, nil, []string{": we have [1], CCXT [1 2]"}},
		{"book level's extra count", `[[1,2,0]]`, `[[1,2]]`, nil, []string{}},
		{"not an object", `{"a":{}}`, `{"a":1}`, nil, []string{".a: we have 1, CCXT an object"}},
		{"string differs", `{"s":"buy"}`, `{"s":"sell"}`, nil, []string{".s: we have sell, CCXT buy"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, err := Decode([]byte(c.expected))
			if err != nil {
				t.Fatal(err)
			}
			o, err := Decode([]byte(c.ours))
			if err != nil {
				t.Fatal(err)
			}
			got := Compare("", e, o, c.skip)
			if len(got) == 0 && len(c.want) == 0 {
				return
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestCloseEnough(t *testing.T) {
	for _, c := range []struct {
		ours, ccxt string
		want       bool
	}{
		{"1.5", "1.50", true},
		{"1.5", "1.51", false},
		{"0.123456789012345", "0.1234567890123449", true}, // float noise at 16 digits
		{"0.12345678901234", "0.1234567890123", false},    // 13 digits: exact
		{"1", "not a number", false},
	} {
		if got := CloseEnough(decimal.RequireFromString(c.ours), c.ccxt); got != c.want {
			t.Errorf("CloseEnough(%s, %s) = %v", c.ours, c.ccxt, got)
		}
	}
}

func TestCaseHelpers(t *testing.T) {
	var c Case
	if err := json.Unmarshal([]byte(`{"input":["BTC/USDT",{"stop":true}],"output":"{\"qty\":\"0.1\",\"n\":1}","parsedResponse":{"a":1}}`), &c); err != nil {
		t.Fatal(err)
	}
	if p := c.Params(); p["stop"] != true {
		t.Errorf("params %v", p)
	}
	body, err := c.Body()
	if err != nil {
		t.Fatal(err)
	}
	if m := body.(map[string]any); m["qty"] != "0.1" || m["n"] != json.Number("1") {
		t.Errorf("body %v", body)
	}
	if e := c.Expected(); len(e) != 1 || !strings.Contains(string(e[0]), `"a"`) {
		t.Errorf("expected %s", e)
	}
	c = Case{Input: []json.RawMessage{json.RawMessage(`"x"`)}}
	if b, err := c.Body(); b != nil || err != nil || len(c.Params()) != 0 {
		t.Errorf("empty case: %v %v %v", b, err, c.Params())
	}
	skips := Skips([]map[string]map[string]string{{"m": {"a": "1"}}, {"m/d": {"b": "2"}}}, "m", "m/d")
	if len(skips) != 2 {
		t.Errorf("skips %v", skips)
	}
}

func TestRead(t *testing.T) {
	if _, err := Read("no such file"); err == nil {
		t.Error("a missing file read")
	}
}
