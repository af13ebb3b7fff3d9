package rest

import (
	"fmt"
	"time"
)

// RequestStartHook is called after the rate limiter let an attempt through
// and before it is sent.
type RequestStartHook interface {
	// OnRequestStart receives the attempt about to be sent.
	OnRequestStart(RequestStart)
}

// RequestDoneHook is called once per attempt, after the reply was read and
// classified (or the attempt failed).
type RequestDoneHook interface {
	// OnRequestDone receives the finished attempt and the retry decision.
	OnRequestDone(RequestDone)
}

// TimeSyncHook is called after each server-time measurement.
type TimeSyncHook interface {
	// OnTimeSync receives the measurement (or its failure).
	OnTimeSync(TimeSync)
}

// RequestStart describes an attempt about to be sent.
type RequestStart struct {
	// Exchange is the adapter id.
	Exchange string
	// Endpoint is the endpoint called.
	Endpoint Endpoint
	// Attempt counts the attempts of one call, from 1.
	Attempt int
	// RateLimitWait is how long the attempt waited in the rate limiter.
	RateLimitWait time.Duration
}

// RequestDone describes a finished attempt.
type RequestDone struct {
	// Exchange is the adapter id.
	Exchange string
	// Endpoint is the endpoint called.
	Endpoint Endpoint
	// Attempt counts the attempts of one call, from 1.
	Attempt int
	// RateLimitWait is how long the attempt waited in the rate limiter.
	RateLimitWait time.Duration
	// Status is the HTTP status, 0 when no reply arrived.
	Status int
	// Latency runs from sending to the end of the reply body.
	Latency time.Duration
	// BodySize is the reply body's length in bytes.
	BodySize int
	// Err is the attempt's error (already classified), nil on success.
	Err error
	// Retry is true when the transport will try again, after RetryIn.
	Retry bool
	// RetryIn is the delay before the next attempt.
	RetryIn time.Duration
}

// TimeSync describes one server-time measurement.
type TimeSync struct {
	// Exchange is the adapter id.
	Exchange string
	// Offset is the server clock minus the local clock.
	Offset time.Duration
	// RTT is the round trip of the time request; half of it was corrected.
	RTT time.Duration
	// Err is the failure, nil on success (Offset is then unchanged).
	Err error
}

// hookSet holds the configured hooks split by interface.
type hookSet struct {
	start []RequestStartHook
	done  []RequestDoneHook
	sync  []TimeSyncHook
}

// newHookSet sorts hooks by the interfaces they implement; a value that
// implements none is a configuration error.
func newHookSet(hooks []any) (hookSet, error) {
	var s hookSet
	for i, h := range hooks {
		ok := false
		if x, is := h.(RequestStartHook); is {
			s.start = append(s.start, x)
			ok = true
		}
		if x, is := h.(RequestDoneHook); is {
			s.done = append(s.done, x)
			ok = true
		}
		if x, is := h.(TimeSyncHook); is {
			s.sync = append(s.sync, x)
			ok = true
		}
		if !ok {
			return hookSet{}, fmt.Errorf("hook %d (%T) implements no hook interface", i, h)
		}
	}
	return s, nil
}
