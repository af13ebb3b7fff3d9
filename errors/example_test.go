package errors_test

import (
	"fmt"
	"time"

	"github.com/unifex-go/unifex/errors"
)

// An adapter reports what the venue said; the caller decides by category.
func ExampleError() {
	var err error = &errors.Error{
		Kind:       errors.RateLimitExceeded,
		Exchange:   "binance",
		Code:       "-1003",
		Message:    "Too many requests",
		HTTPStatus: 429,
		RetryAfter: 30 * time.Second,
	}
	err = fmt.Errorf("fetchTicker BTC/USDT: %w", err)

	fmt.Println(errors.Is(err, errors.NetworkError))  // a descendant
	fmt.Println(errors.Is(err, errors.ExchangeError)) // another branch
	var venue *errors.Error
	if errors.As(err, &venue) {
		fmt.Println(venue.Code, venue.RetryAfter)
	}
	fmt.Println(err)
	// Output:
	// true
	// false
	// -1003 30s
	// fetchTicker BTC/USDT: binance: RateLimitExceeded [code -1003] [HTTP 429] [retry after 30s]: Too many requests
}

// A newUpdates read that lost items says how many.
func ExampleCacheOverflowError() {
	var err error = &errors.CacheOverflowError{Topic: "trades BTC/USDT", Dropped: 12}
	var overflow *errors.CacheOverflowError
	if errors.Is(err, errors.CacheOverflow) && errors.As(err, &overflow) {
		fmt.Println("lost", overflow.Dropped)
	}
	// Output: lost 12
}

// Kinds are errors too, and match their ancestors.
func ExampleKind_Is() {
	fmt.Println(errors.Is(errors.ChecksumError, errors.InvalidNonce))
	fmt.Println(errors.KindOf(errors.Newf(errors.OrderNotFound, "order 42")).Parent())
	// Output:
	// true
	// InvalidOrder
}
