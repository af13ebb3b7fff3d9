package adapter

import (
	"context"
	"testing"

	"github.com/unifex-go/unifex/errors"
)

func TestResolveUnknown(t *testing.T) {
	refused := errors.Newf(errors.InsufficientFunds, "no money")
	lost := errors.Newf(errors.RequestTimeout, "no reply")
	unknown := func(err error) bool { return errors.Is(err, errors.RequestTimeout) }
	asked := "asked"
	found := "found"
	calls := 0
	lookup := func(ok bool) func(context.Context) (*string, bool) {
		return func(context.Context) (*string, bool) {
			calls++
			if ok {
				return &found, true
			}
			return nil, false
		}
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, c := range []struct {
		name      string
		ctx       context.Context
		err       error
		finds     bool
		want      *string
		wantErr   bool
		wantCalls int
	}{
		{"a refusal is returned as it is", context.Background(), refused, true, nil, true, 0},
		{"an unknown outcome that the look-up finds", context.Background(), lost, true, &found, false, 1},
		{"an unknown outcome the look-up does not find", context.Background(), lost, false, &asked, true, 1},
		{"no look-up once ctx has ended", cancelled, lost, true, &asked, true, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			calls = 0
			got, err := ResolveUnknown(c.ctx, c.err, unknown, lookup(c.finds), &asked, "venue order with id x may have been placed")
			if got != c.want || (err != nil) != c.wantErr || calls != c.wantCalls {
				t.Fatalf("got %v, %v after %d look-ups; want %v, error %v, %d look-ups", got, err, calls, c.want, c.wantErr, c.wantCalls)
			}
			if err != nil && !errors.Is(err, c.err) {
				t.Fatalf("%v does not wrap %v", err, c.err)
			}
			if c.err == lost && err != nil && err.Error() != "venue order with id x may have been placed (outcome unknown): "+lost.Error() {
				t.Fatalf("error text %q", err)
			}
		})
	}
}
