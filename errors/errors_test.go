package errors_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/unifex-go/unifex/errors"
)

// ccxtTree is CCXT's hierarchy written out as child -> parent, independently of
// kinds.go, so a wrong parent there fails here.
var ccxtTree = map[string]string{
	"ExchangeError":            "BaseError",
	"AuthenticationError":      "ExchangeError",
	"PermissionDenied":         "AuthenticationError",
	"AccountNotEnabled":        "PermissionDenied",
	"AccountSuspended":         "AuthenticationError",
	"ArgumentsRequired":        "ExchangeError",
	"BadRequest":               "ExchangeError",
	"BadSymbol":                "BadRequest",
	"OperationRejected":        "ExchangeError",
	"NoChange":                 "OperationRejected",
	"MarginModeAlreadySet":     "NoChange",
	"MarketClosed":             "OperationRejected",
	"ManualInteractionNeeded":  "OperationRejected",
	"RestrictedLocation":       "OperationRejected",
	"InsufficientFunds":        "ExchangeError",
	"InvalidAddress":           "ExchangeError",
	"AddressPending":           "InvalidAddress",
	"InvalidOrder":             "ExchangeError",
	"OrderNotFound":            "InvalidOrder",
	"OrderNotCached":           "InvalidOrder",
	"OrderImmediatelyFillable": "InvalidOrder",
	"OrderNotFillable":         "InvalidOrder",
	"DuplicateOrderId":         "InvalidOrder",
	"ContractUnavailable":      "InvalidOrder",
	"NotSupported":             "ExchangeError",
	"ExchangeClosedByUser":     "ExchangeError",
	"OperationFailed":          "BaseError",
	"NetworkError":             "OperationFailed",
	"DDoSProtection":           "NetworkError",
	"RateLimitExceeded":        "NetworkError",
	"ExchangeNotAvailable":     "NetworkError",
	"OnMaintenance":            "ExchangeNotAvailable",
	"InvalidNonce":             "NetworkError",
	"ChecksumError":            "InvalidNonce",
	"RequestTimeout":           "NetworkError",
	"BadResponse":              "OperationFailed",
	"NullResponse":             "BadResponse",
	"CancelPending":            "OperationFailed",
	"UnsubscribeError":         "BaseError",
	"CacheOverflow":            "BaseError",
}

func TestTreeMatchesCCXT(t *testing.T) {
	kinds := errors.Kinds()
	if got, want := len(kinds), len(ccxtTree)+1; got != want {
		t.Fatalf("Kinds() has %d kinds, want %d", got, want)
	}
	for _, k := range kinds {
		if k == errors.BaseError {
			if k.Parent() != nil {
				t.Errorf("BaseError has parent %v", k.Parent())
			}
			continue
		}
		want, ok := ccxtTree[k.Name()]
		if !ok {
			t.Errorf("kind %s is not in CCXT's tree", k.Name())
			continue
		}
		if k.Parent() == nil || k.Parent().Name() != want {
			t.Errorf("parent of %s = %v, want %s", k.Name(), k.Parent(), want)
		}
	}
}

// ancestors walks the reference tree, not the package, to list expected matches.
func ancestors(name string) map[string]bool {
	out := map[string]bool{name: true}
	for p, ok := ccxtTree[name]; ok; p, ok = ccxtTree[p] {
		out[p] = true
	}
	out["BaseError"] = true
	return out
}

func TestIsMatchesExactlyTheAncestors(t *testing.T) {
	kinds := errors.Kinds()
	for _, k := range kinds {
		anc := ancestors(k.Name())
		wrapped := fmt.Errorf("context: %w", &errors.Error{Kind: k, Exchange: "x"})
		for _, target := range kinds {
			want := anc[target.Name()]
			if got := errors.Is(k, target); got != want {
				t.Errorf("Is(%s, %s) = %v, want %v", k.Name(), target.Name(), got, want)
			}
			if got := errors.Is(wrapped, target); got != want {
				t.Errorf("Is(wrapped %s, %s) = %v, want %v", k.Name(), target.Name(), got, want)
			}
		}
	}
}

func TestNetworkErrorDescendants(t *testing.T) {
	for _, k := range []*errors.Kind{errors.DDoSProtection, errors.RateLimitExceeded, errors.ExchangeNotAvailable,
		errors.OnMaintenance, errors.InvalidNonce, errors.ChecksumError, errors.RequestTimeout} {
		if !errors.Is(errors.Newf(k, "m"), errors.NetworkError) {
			t.Errorf("%s is not a NetworkError", k.Name())
		}
		if !errors.Is(errors.Newf(k, "m"), errors.OperationFailed) {
			t.Errorf("%s is not an OperationFailed", k.Name())
		}
	}
	if errors.Is(errors.Newf(errors.BadResponse, "m"), errors.NetworkError) {
		t.Error("BadResponse must not be a NetworkError")
	}
}

func TestErrorCarriesVenueFacts(t *testing.T) {
	cause := errors.New("read: connection reset")
	err := error(&errors.Error{
		Kind: errors.InsufficientFunds, Exchange: "binance", Code: "-2010",
		Message: "Account has insufficient balance", HTTPStatus: 400, RetryAfter: 2 * time.Second, Cause: cause,
	})
	want := "binance: InsufficientFunds [code -2010] [HTTP 400] [retry after 2s]: Account has insufficient balance: read: connection reset"
	if err.Error() != want {
		t.Errorf("Error() = %q\nwant      %q", err.Error(), want)
	}
	var e *errors.Error
	if !errors.As(fmt.Errorf("wrap: %w", err), &e) || e.Code != "-2010" || e.HTTPStatus != 400 {
		t.Fatalf("As did not recover the venue facts: %+v", e)
	}
	if !errors.Is(err, cause) {
		t.Error("the cause is not reachable through Unwrap")
	}
	if errors.KindOf(fmt.Errorf("x: %w", err)) != errors.InsufficientFunds {
		t.Error("KindOf did not find InsufficientFunds")
	}
	if errors.KindOf(errors.New("plain")) != nil {
		t.Error("KindOf of a plain error must be nil")
	}
}

func TestWrapRedactsSignedURL(t *testing.T) {
	signed := "https://user:pw@api.example.com/api/v3/order?symbol=BTCUSDT&timestamp=1&signature=deadbeefcafe#frag"
	cause := &url.Error{Op: "Post", URL: signed, Err: errors.New("timeout")}
	err := errors.Wrap(errors.RequestTimeout, cause, "placing order")
	text := err.Error()
	for _, secret := range []string{"signature", "deadbeefcafe", "timestamp=", "pw@", "frag"} {
		if strings.Contains(text, secret) {
			t.Errorf("error text leaks %q: %s", secret, text)
		}
	}
	if !strings.Contains(text, "https://api.example.com/api/v3/order") {
		t.Errorf("error text lost the endpoint: %s", text)
	}
	if cause.URL != signed {
		t.Error("Wrap modified the caller's url.Error")
	}
	if !errors.Is(err, errors.NetworkError) {
		t.Error("RequestTimeout is not a NetworkError")
	}
}

func TestCacheOverflowError(t *testing.T) {
	err := fmt.Errorf("watchTrades: %w", &errors.CacheOverflowError{Topic: "trades BTC/USDT", Dropped: 7})
	if !errors.Is(err, errors.CacheOverflow) || !errors.Is(err, errors.BaseError) {
		t.Fatal("CacheOverflowError does not match CacheOverflow")
	}
	if errors.Is(err, errors.NetworkError) {
		t.Fatal("CacheOverflowError must not match NetworkError")
	}
	var o *errors.CacheOverflowError
	if !errors.As(err, &o) || o.Dropped != 7 {
		t.Fatalf("As = %+v", o)
	}
	if !strings.Contains(err.Error(), "7 unread") {
		t.Errorf("message does not say how many: %s", err)
	}
	if errors.KindOf(err) != errors.CacheOverflow {
		t.Error("KindOf(CacheOverflowError) != CacheOverflow")
	}
}

func TestKindByName(t *testing.T) {
	for _, k := range errors.Kinds() {
		got, ok := errors.KindByName(k.Name())
		if !ok || got != k {
			t.Errorf("KindByName(%q) = %v, %v", k.Name(), got, ok)
		}
	}
	if _, ok := errors.KindByName("NoSuchKind"); ok {
		t.Error("KindByName found a kind that does not exist")
	}
}

func TestSafeToRetry(t *testing.T) {
	unsent := &errors.Error{Kind: errors.NetworkError, Message: "dial refused", Unsent: true}
	sent := &errors.Error{Kind: errors.RequestTimeout, Message: "no reply"}
	cases := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"plain", errors.New("x"), false},
		{"unsent", unsent, true},
		{"wrapped unsent", fmt.Errorf("createOrder: %w", unsent), true},
		{"sent", sent, false},
		{"joined", errors.Join(sent, unsent), true},
		{"joined sent only", errors.Join(sent, errors.New("y")), false},
	}
	for _, c := range cases {
		if got := errors.SafeToRetry(c.err); got != c.want {
			t.Errorf("%s: SafeToRetry = %v, want %v", c.name, got, c.want)
		}
	}
}
