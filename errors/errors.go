// Package errors is unifex's error taxonomy: CCXT's error tree as sentinel
// kinds, a concrete *Error that carries what the venue said, and
// *CacheOverflowError for newUpdates reads that lost items.
//
// Every error unifex returns matches its kind and all of that kind's
// ancestors with errors.Is:
//
//	if errors.Is(err, errors.NetworkError) { /* retry later */ }
//	var ee *errors.Error
//	if errors.As(err, &ee) { log.Println(ee.Exchange, ee.Code) }
//
// The package re-exports Is, As, New, Join and Unwrap from the standard
// library so that callers need one import.
//
// No error built here prints a secret: *Error holds no credentials, and Wrap
// strips the query string (where signatures travel) from URLs in the cause.
package errors

import (
	stderrors "errors"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Is reports whether any error in err's tree matches target (standard library errors.Is).
func Is(err, target error) bool { return stderrors.Is(err, target) }

// As finds the first error in err's tree that matches target (standard library errors.As).
func As(err error, target any) bool { return stderrors.As(err, target) }

// New returns an error whose text is text (standard library errors.New).
func New(text string) error { return stderrors.New(text) }

// Join returns an error that wraps the given errors (standard library errors.Join).
func Join(errs ...error) error { return stderrors.Join(errs...) }

// Unwrap returns the result of calling err's Unwrap method (standard library errors.Unwrap).
func Unwrap(err error) error { return stderrors.Unwrap(err) }

// Error is a failure in the taxonomy with what is known about it. Any field
// but Kind may be empty. It never holds credentials or signatures.
type Error struct {
	// Kind places the error in the taxonomy; errors.Is matches it and its ancestors.
	Kind *Kind
	// Exchange is the adapter id, for example "binance".
	Exchange string
	// Code is the venue's native error code as sent, for example "-2010" or "51008".
	Code string
	// Message is the venue's native error text, or unifex's description.
	Message string
	// HTTPStatus is the HTTP status of the reply, 0 when there was none.
	HTTPStatus int
	// RetryAfter is how long the venue asked the caller to wait, 0 when unknown.
	RetryAfter time.Duration
	// Cause is the underlying error, if any.
	Cause error
	// Unsent is true when the request provably never left the client (it
	// failed before a byte was written), so sending it again cannot
	// duplicate it. See SafeToRetry.
	Unsent bool
}

// Newf returns an *Error of kind with a message.
func Newf(kind *Kind, message string) *Error {
	return &Error{Kind: kind, Message: message}
}

// Wrap returns an *Error of kind with message that wraps cause. A *url.Error in
// cause is replaced by a copy whose URL has no query string or user info, so a
// signed URL never reaches a log.
func Wrap(kind *Kind, cause error, message string) *Error {
	return &Error{Kind: kind, Message: message, Cause: redact(cause)}
}

// Error formats the error as "exchange: Kind [code N] [HTTP N]: message: cause".
func (e *Error) Error() string {
	var b strings.Builder
	if e.Exchange != "" {
		b.WriteString(e.Exchange)
		b.WriteString(": ")
	}
	if e.Kind != nil {
		b.WriteString(e.Kind.name)
	} else {
		b.WriteString("error")
	}
	if e.Code != "" {
		b.WriteString(" [code ")
		b.WriteString(e.Code)
		b.WriteByte(']')
	}
	if e.HTTPStatus != 0 {
		b.WriteString(" [HTTP ")
		b.WriteString(strconv.Itoa(e.HTTPStatus))
		b.WriteByte(']')
	}
	if e.RetryAfter > 0 {
		b.WriteString(" [retry after ")
		b.WriteString(e.RetryAfter.String())
		b.WriteByte(']')
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.Cause != nil {
		b.WriteString(": ")
		b.WriteString(e.Cause.Error())
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Cause }

// Is reports whether target is e's kind or one of its ancestors.
func (e *Error) Is(target error) bool {
	return e.Kind != nil && e.Kind.Is(target)
}

// SafeToRetry reports whether e's request provably never reached the venue.
func (e *Error) SafeToRetry() bool { return e.Unsent }

// SafeToRetry reports whether err says that its request provably never left
// the client, so that even a non-idempotent request (placing an order) may be
// sent again without risk of doing it twice. Any error in err's tree with a
// SafeToRetry() bool method that returns true makes it so (pgx's rule).
func SafeToRetry(err error) bool {
	for err != nil {
		if s, ok := err.(interface{ SafeToRetry() bool }); ok && s.SafeToRetry() {
			return true
		}
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			err = u.Unwrap()
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				if SafeToRetry(e) {
					return true
				}
			}
			return false
		default:
			return false
		}
	}
	return false
}

// KindOf returns the most specific kind found in err's tree, or nil when err
// is not part of the taxonomy.
func KindOf(err error) *Kind {
	var k *Kind
	if As(err, &k) {
		return k
	}
	var e *Error
	if As(err, &e) && e.Kind != nil {
		return e.Kind
	}
	var o *CacheOverflowError
	if As(err, &o) {
		return CacheOverflow
	}
	return nil
}

// CacheOverflowError is returned with the remaining items by a newUpdates read
// when the cache ring overwrote items the consumer had not seen.
type CacheOverflowError struct {
	// Topic names what overflowed, for example "trades BTC/USDT"; may be empty.
	Topic string
	// Dropped is how many unseen items were overwritten.
	Dropped int
}

// Error says how many items were lost.
func (e *CacheOverflowError) Error() string {
	s := "CacheOverflow: " + strconv.Itoa(e.Dropped) + " unread items were overwritten"
	if e.Topic != "" {
		s += " (" + e.Topic + ")"
	}
	return s
}

// Is matches CacheOverflow and BaseError.
func (e *CacheOverflowError) Is(target error) bool { return CacheOverflow.Is(target) }

// redact returns err with any *url.Error it is (or directly wraps as
// *url.Error) stripped of query and credentials.
func redact(err error) error {
	ue, ok := err.(*url.Error)
	if !ok {
		return err
	}
	c := *ue
	c.URL = stripURL(ue.URL)
	return &c
}

// stripURL keeps scheme, host and path of raw and drops everything after.
func stripURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		if i := strings.IndexAny(raw, "?#"); i >= 0 {
			return raw[:i]
		}
		return raw
	}
	u.User = nil
	u.RawQuery = ""
	u.ForceQuery = false
	u.Fragment = ""
	u.RawFragment = ""
	return u.String()
}
