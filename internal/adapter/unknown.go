package adapter

import (
	"context"
	"fmt"
)

// ResolveUnknown answers a request that changes the account (an order, a
// withdrawal) and failed with err, so that nothing is ever sent twice and a
// caller never takes a request that may have gone through for a refused one.
//
// When unknown(err) is false — the venue refused the request, or it never
// left — err comes back as it is, with a nil result. Otherwise the outcome
// is unknown: unless ctx has ended, lookup asks the venue once (by the
// client id the request carried); what it finds is the answer. Failing
// that, the result is requested (what the caller asked for, or nil) with
// an error that says "<what> (outcome unknown)" and wraps err, so that its
// kind still matches.
func ResolveUnknown[T any](ctx context.Context, err error, unknown func(error) bool,
	lookup func(context.Context) (*T, bool), requested *T, what string) (*T, error) {
	if !unknown(err) {
		return nil, err
	}
	if ctx.Err() == nil {
		if found, ok := lookup(ctx); ok {
			return found, nil
		}
	}
	return requested, fmt.Errorf("%s (outcome unknown): %w", what, err)
}
