package ccxtfixture

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/unifex-go/unifex/exchange"
)

// Args are a watch case's inputs: a symbol or a list of symbols, then a
// timeframe or a limit.
type Args struct {
	Symbol    string
	Symbols   []string
	Timeframe string
	Limit     int
}

// Args decodes the case's inputs (see Args); what does not decode stays
// zero.
func (c *Case) Args() Args {
	var a Args
	if len(c.Input) > 0 && json.Unmarshal(c.Input[0], &a.Symbol) != nil {
		_ = json.Unmarshal(c.Input[0], &a.Symbols)
	}
	if len(c.Input) > 1 && json.Unmarshal(c.Input[1], &a.Timeframe) != nil {
		_ = json.Unmarshal(c.Input[1], &a.Limit)
	}
	return a
}

// Replay replays one case of a ws fixture (the frames a venue sent after
// CCXT's watch call, and what the watch returned) through an adapter: it
// loads the adapter's markets, joins the watched topic, feeds each frame
// but the acknowledgements, reads the watch after each, and compares the
// results with CCXT's. Its fields are what the adapter's test states of
// its own.
type Replay struct {
	// Exchange is the adapter; its markets are loaded first.
	Exchange exchange.Exchange
	// Watch is the watch call the case maps to. It is called once on a
	// cancelled context, which joins the topic and returns, so that the
	// frames fed next are kept for the watcher; then after every frame.
	Watch func(ctx context.Context) (any, error)
	// Joined, when set, is called after the join and before the first
	// frame (to wait until the adapter is ready for the frames).
	Joined func(ctx context.Context) error
	// Ack marks the frames that answer a subscription: a frame containing
	// it is not fed.
	Ack string
	// Feed hands a recorded frame to the adapter.
	Feed func(frame []byte) error
	// Settle, when set, replaces the reads after each frame: it is called
	// once every frame is fed and its result is compared with CCXT's last
	// (a result CCXT checks once, as it stands after the last frame).
	Settle func(ctx context.Context) (any, error)
	// First compares CCXT's results with our first ones (CCXT's watch
	// resolved with the first frames), rather than with our last ones.
	First bool
	// Skip are the fields not compared, each with the reason (Skips).
	Skip map[string]string
}

// Run replays c and returns the differences from CCXT's results, each
// prefixed with the result's index; the error says why the replay did not
// get as far as comparing.
func (r Replay) Run(c Case) ([]string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := r.Exchange.LoadMarkets(ctx, false); err != nil {
		return nil, err
	}
	joined, stop := context.WithCancel(ctx)
	stop()
	_, _ = r.Watch(joined)
	if r.Joined != nil {
		if err := r.Joined(ctx); err != nil {
			return nil, err
		}
	}
	var got []any
	for _, msg := range c.Messages {
		if r.Ack != "" && bytes.Contains(msg, []byte(r.Ack)) {
			continue
		}
		if err := r.Feed(msg); err != nil {
			return nil, fmt.Errorf("feeding %s: %w", msg, err)
		}
		if r.Settle != nil {
			continue
		}
		v, err := r.Watch(ctx)
		if err != nil {
			return nil, fmt.Errorf("watch after %s: %w", msg, err)
		}
		got = append(got, v)
	}
	expected := c.Expected()
	if r.Settle != nil {
		v, err := r.Settle(ctx)
		if err != nil {
			return nil, err
		}
		got, expected = []any{v}, expected[len(expected)-1:]
	}
	if len(got) < len(expected) {
		return nil, fmt.Errorf("%d results for %d expected", len(got), len(expected))
	}
	if r.First {
		got = got[:len(expected)]
	} else {
		got = got[len(got)-len(expected):]
	}
	return CompareAll(expected, got, r.Skip)
}

// CompareAll compares each of ours with CCXT's expected result of the
// same index (CompareJSON); each difference names the index. ours has at
// least as many results as expected.
func CompareAll(expected []json.RawMessage, ours []any, skip map[string]string) ([]string, error) {
	var diffs []string
	for i := range expected {
		d, err := CompareJSON(expected[i], ours[i], skip)
		if err != nil {
			return nil, err
		}
		for _, s := range d {
			diffs = append(diffs, fmt.Sprintf("result %d: %s", i, s))
		}
	}
	return diffs, nil
}

// Check runs the replay of c in t: a replay that did not get as far as
// comparing is fatal, each difference from CCXT an error.
func (r Replay) Check(t testing.TB, c Case) {
	t.Helper()
	diffs, err := r.Run(c)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range diffs {
		t.Error(d)
	}
}

// RunCases runs replay as the subtest method/description of every case of
// methods in f, in that order, and fails t unless at least least of them
// ran to the end (a fixture that lost its cases would test nothing).
func (f *File) RunCases(t *testing.T, methods []string, least int, replay func(t *testing.T, method string, c Case)) {
	t.Helper()
	replayed := 0
	for _, method := range methods {
		for _, c := range f.Methods[method] {
			t.Run(method+"/"+c.Description, func(t *testing.T) {
				replay(t, method, c)
				replayed++
			})
		}
	}
	if replayed < least {
		t.Fatalf("%d cases replayed", replayed)
	}
}
