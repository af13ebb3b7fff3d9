package watch

import (
	"context"
	"reflect"
)

// readAny polls try over ts, in order, until one reports done (its error is
// then returned) or, after a full pass, collected reports a result (nil
// collected: never). Otherwise it blocks until one of ts has a new event,
// ctx ends or the hub closes, and polls again. try locks its topic itself
// and reads or writes the consumer's state only under that lock.
func readAny[T topic](ctx context.Context, c *Consumer, ts []T, try func(T, *state) (bool, error), collected func() bool) error {
	sts := make([]*state, len(ts))
	for i, t := range ts {
		st, err := c.stateOf(t)
		if err != nil {
			return err
		}
		sts[i] = st
	}
	for {
		for i, t := range ts {
			if done, err := try(t, sts[i]); done {
				return err
			}
		}
		if collected != nil && collected() {
			return nil
		}
		if err := waitAny(ctx, c.hub, ts, sts); err != nil {
			return err
		}
	}
}

// waitAny blocks until one of ts has moved past its consumer's seen
// version, ctx ends, or the hub closes.
func waitAny[T topic](ctx context.Context, h *Hub, ts []T, sts []*state) error {
	if len(ts) == 1 {
		if err := ts[0].base().wait(ctx, sts[0]); err != nil {
			return err
		}
		ts[0].base().mu.Unlock()
		return nil
	}
	cases := make([]reflect.SelectCase, 0, len(ts)+2)
	for i, t := range ts {
		b := t.base()
		b.mu.Lock()
		moved, ch := b.version > sts[i].seen, b.waitChan()
		b.mu.Unlock()
		if moved {
			return nil
		}
		cases = append(cases, reflect.SelectCase{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(ch)})
	}
	cases = append(cases,
		reflect.SelectCase{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(ctx.Done())},
		reflect.SelectCase{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(h.closed)})
	switch chosen, _, _ := reflect.Select(cases); chosen {
	case len(ts):
		return contextError(ctx, ts[0].base().key)
	case len(ts) + 1:
		return h.closedError()
	}
	return nil
}
