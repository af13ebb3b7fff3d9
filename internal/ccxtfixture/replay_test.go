package ccxtfixture

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/markets"
)

// loader is an adapter of which Replay uses LoadMarkets alone.
type loader struct {
	exchange.Exchange
	err error
}

func (l loader) LoadMarkets(context.Context, bool) (*markets.Snapshot, error) { return nil, l.err }

// venue is a watched topic that keeps the frames fed to it: Watch returns
// the last one, decoded, and counts its calls.
type venue struct {
	last    []byte
	watches int
	joined  bool
}

func (v *venue) replay() Replay {
	return Replay{
		Exchange: loader{},
		Watch: func(ctx context.Context) (any, error) {
			if ctx.Err() != nil {
				v.joined = v.watches == 0
				return nil, ctx.Err()
			}
			v.watches++
			return Decode(v.last)
		},
		Ack:  `"ack"`,
		Feed: func(frame []byte) error { v.last = frame; return nil },
	}
}

func wsCase(t *testing.T, text string) Case {
	t.Helper()
	var c Case
	if err := json.Unmarshal([]byte(text), &c); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestReplay(t *testing.T) {
	frames := `"messages":[{"ack":true},{"p":1},{"p":2},{"p":3}]`
	for _, tc := range []struct {
		name    string
		c       string
		set     func(r *Replay)
		watches int
		want    []string
		err     string
	}{
		{name: "acks left out, the last results compared", c: `{` + frames + `,"parsedResponses":[{"p":2},{"p":3}]}`, watches: 3},
		{name: "a difference names its result", c: `{` + frames + `,"parsedResponses":[{"p":2},{"p":4}]}`, watches: 3,
			want: []string{"result 1: .p: we have 3, CCXT 4"}},
		{name: "first results", c: `{` + frames + `,"parsedResponse":{"p":1}}`, set: func(r *Replay) { r.First = true }, watches: 3},
		{name: "skipped field", c: `{` + frames + `,"parsedResponse":{"p":9}}`, set: func(r *Replay) { r.Skip = map[string]string{"p": "why"} }, watches: 3},
		{name: "settled once", c: `{` + frames + `,"parsedResponses":[{"p":7},{"p":3}]}`, set: func(r *Replay) {
			r.Settle = func(ctx context.Context) (any, error) { return r.Watch(ctx) }
		}, watches: 1},
		{name: "too few results", c: `{` + frames + `,"parsedResponses":[{},{},{},{}]}`, watches: 3, err: "3 results for 4 expected"},
		{name: "markets not loaded", c: `{` + frames + `}`, set: func(r *Replay) { r.Exchange = loader{err: errors.New("down")} }, err: "down"},
		{name: "not ready", c: `{` + frames + `}`, set: func(r *Replay) {
			r.Joined = func(context.Context) error { return errors.New("no snapshot asked for") }
		}, err: "no snapshot asked for"},
		{name: "a frame refused", c: `{` + frames + `}`, set: func(r *Replay) {
			r.Feed = func([]byte) error { return errors.New("refused") }
		}, err: `feeding {"p":1}: refused`},
		{name: "a watch failed", c: `{` + frames + `}`, set: func(r *Replay) {
			r.Watch = func(context.Context) (any, error) { return nil, errors.New("closed") }
		}, err: `watch after {"p":1}: closed`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := &venue{}
			r := v.replay()
			if tc.set != nil {
				tc.set(&r)
			}
			got, err := r.Run(wsCase(t, tc.c))
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("differences %q, want %q", got, tc.want)
			}
			if !v.joined || v.watches != tc.watches {
				t.Errorf("joined %v, %d watches, want the join then %d", v.joined, v.watches, tc.watches)
			}
		})
	}
}

func TestArgs(t *testing.T) {
	for input, want := range map[string]Args{
		`["BTC/USDT","1m"]`:        {Symbol: "BTC/USDT", Timeframe: "1m"},
		`["BTC/USDT",5]`:           {Symbol: "BTC/USDT", Limit: 5},
		`[["BTC/USDT","ETH/BTC"]]`: {Symbols: []string{"BTC/USDT", "ETH/BTC"}},
		`[]`:                       {},
	} {
		c := wsCase(t, `{"input":`+input+`}`)
		if got := c.Args(); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %+v, want %+v", input, got, want)
		}
	}
}

func TestRunCases(t *testing.T) {
	var f File
	if err := json.Unmarshal([]byte(`{"methods":{"b":[{"description":"x"}],"a":[{"description":"y"},{"description":"z"}]}}`), &f); err != nil {
		t.Fatal(err)
	}
	var ran []string
	f.RunCases(t, []string{"a", "b", "c"}, 3, func(t *testing.T, method string, c Case) {
		ran = append(ran, method+"/"+c.Description+"="+strings.TrimPrefix(t.Name(), "TestRunCases/"))
	})
	if want := []string{"a/y=a/y", "a/z=a/z", "b/x=b/x"}; !reflect.DeepEqual(ran, want) {
		t.Errorf("ran %q, want %q", ran, want)
	}
}
