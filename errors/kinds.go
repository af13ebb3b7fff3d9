package errors

// Kind is a category of failure in the unified taxonomy. Kinds form a tree
// (CCXT's error hierarchy): errors.Is(err, k) is true when err's kind is k or
// any descendant of k. A Kind is itself an error, so a bare kind may be
// returned where nothing more is known.
type Kind struct {
	name   string
	parent *Kind
}

func newKind(name string, parent *Kind) *Kind { return &Kind{name: name, parent: parent} }

// Name returns the kind's name as CCXT spells it, for example "BadSymbol".
func (k *Kind) Name() string { return k.name }

// Parent returns the kind this one descends from, or nil for BaseError.
func (k *Kind) Parent() *Kind { return k.parent }

// Error returns the kind's name.
func (k *Kind) Error() string { return k.name }

// Is reports whether k is target or descends from it, so that
// errors.Is(RequestTimeout, NetworkError) holds.
func (k *Kind) Is(target error) bool {
	t, ok := target.(*Kind)
	if !ok {
		return false
	}
	return k.descendsFrom(t)
}

// descendsFrom reports whether k is ancestor or one of its descendants.
func (k *Kind) descendsFrom(ancestor *Kind) bool {
	for c := k; c != nil; c = c.parent {
		if c == ancestor {
			return true
		}
	}
	return false
}

// The taxonomy. Each sentinel's parent is the kind named in its comment; the
// tree is CCXT's (base/errorHierarchy) plus CacheOverflow.
var (
	// BaseError is the root of every error in the taxonomy.
	BaseError = newKind("BaseError", nil)

	// ExchangeError: the venue understood the request and refused it. Parent: BaseError.
	ExchangeError = newKind("ExchangeError", BaseError)
	// AuthenticationError: credentials are missing, wrong or expired. Parent: ExchangeError.
	AuthenticationError = newKind("AuthenticationError", ExchangeError)
	// PermissionDenied: the key lacks a permission. Parent: AuthenticationError.
	PermissionDenied = newKind("PermissionDenied", AuthenticationError)
	// AccountNotEnabled: the account or sub-account feature is not enabled. Parent: PermissionDenied.
	AccountNotEnabled = newKind("AccountNotEnabled", PermissionDenied)
	// AccountSuspended: the account is frozen or suspended. Parent: AuthenticationError.
	AccountSuspended = newKind("AccountSuspended", AuthenticationError)
	// ArgumentsRequired: a required argument is missing. Parent: ExchangeError.
	ArgumentsRequired = newKind("ArgumentsRequired", ExchangeError)
	// BadRequest: the request is malformed or has invalid parameters. Parent: ExchangeError.
	BadRequest = newKind("BadRequest", ExchangeError)
	// BadSymbol: the symbol or market is unknown. Parent: BadRequest.
	BadSymbol = newKind("BadSymbol", BadRequest)
	// OperationRejected: the venue declined an otherwise valid request. Parent: ExchangeError.
	OperationRejected = newKind("OperationRejected", ExchangeError)
	// NoChange: the requested state is already in effect. Parent: OperationRejected.
	NoChange = newKind("NoChange", OperationRejected)
	// MarginModeAlreadySet: the margin mode is already the one requested. Parent: NoChange.
	MarginModeAlreadySet = newKind("MarginModeAlreadySet", NoChange)
	// MarketClosed: the market is not trading now. Parent: OperationRejected.
	MarketClosed = newKind("MarketClosed", OperationRejected)
	// ManualInteractionNeeded: the account must do something on the venue's site first. Parent: OperationRejected.
	ManualInteractionNeeded = newKind("ManualInteractionNeeded", OperationRejected)
	// RestrictedLocation: the venue refuses the caller's jurisdiction. Parent: OperationRejected.
	RestrictedLocation = newKind("RestrictedLocation", OperationRejected)
	// InsufficientFunds: the balance does not cover the request. Parent: ExchangeError.
	InsufficientFunds = newKind("InsufficientFunds", ExchangeError)
	// InvalidAddress: a deposit or withdrawal address is invalid. Parent: ExchangeError.
	InvalidAddress = newKind("InvalidAddress", ExchangeError)
	// AddressPending: the deposit address is still being generated. Parent: InvalidAddress.
	AddressPending = newKind("AddressPending", InvalidAddress)
	// InvalidOrder: the order is invalid (limits, precision, state). Parent: ExchangeError.
	InvalidOrder = newKind("InvalidOrder", ExchangeError)
	// OrderNotFound: no such order. Parent: InvalidOrder.
	OrderNotFound = newKind("OrderNotFound", InvalidOrder)
	// OrderNotCached: the order is not in the local cache. Parent: InvalidOrder.
	OrderNotCached = newKind("OrderNotCached", InvalidOrder)
	// OrderImmediatelyFillable: a post-only order would take liquidity. Parent: InvalidOrder.
	OrderImmediatelyFillable = newKind("OrderImmediatelyFillable", InvalidOrder)
	// OrderNotFillable: the order cannot be filled (IOC/FOK with no liquidity). Parent: InvalidOrder.
	OrderNotFillable = newKind("OrderNotFillable", InvalidOrder)
	// DuplicateOrderId: the client order id is already in use. Parent: InvalidOrder.
	DuplicateOrderId = newKind("DuplicateOrderId", InvalidOrder)
	// ContractUnavailable: the contract cannot be traded now. Parent: InvalidOrder.
	ContractUnavailable = newKind("ContractUnavailable", InvalidOrder)
	// NotSupported: the exchange or the adapter does not offer this. Parent: ExchangeError.
	NotSupported = newKind("NotSupported", ExchangeError)
	// ExchangeClosedByUser: the exchange value was closed by its user. Parent: ExchangeError.
	ExchangeClosedByUser = newKind("ExchangeClosedByUser", ExchangeError)

	// OperationFailed: the operation failed for a reason that may pass. Parent: BaseError.
	OperationFailed = newKind("OperationFailed", BaseError)
	// NetworkError: transport-level failure; the request may or may not have arrived. Parent: OperationFailed.
	NetworkError = newKind("NetworkError", OperationFailed)
	// DDoSProtection: a protection layer (a CDN, a WAF) refused the request. Parent: NetworkError.
	DDoSProtection = newKind("DDoSProtection", NetworkError)
	// RateLimitExceeded: the venue's rate limit was hit. Parent: NetworkError.
	RateLimitExceeded = newKind("RateLimitExceeded", NetworkError)
	// ExchangeNotAvailable: the venue is down or answered with a server error. Parent: NetworkError.
	ExchangeNotAvailable = newKind("ExchangeNotAvailable", NetworkError)
	// OnMaintenance: the venue is under maintenance. Parent: ExchangeNotAvailable.
	OnMaintenance = newKind("OnMaintenance", ExchangeNotAvailable)
	// InvalidNonce: a nonce, timestamp or sequence is out of order (including an
	// order book sequence gap). Parent: NetworkError.
	InvalidNonce = newKind("InvalidNonce", NetworkError)
	// ChecksumError: an order book failed the venue's checksum. Parent: InvalidNonce.
	ChecksumError = newKind("ChecksumError", InvalidNonce)
	// RequestTimeout: the request or connection timed out. Parent: NetworkError.
	RequestTimeout = newKind("RequestTimeout", NetworkError)
	// BadResponse: the venue's reply could not be understood. Parent: OperationFailed.
	BadResponse = newKind("BadResponse", OperationFailed)
	// NullResponse: the venue's reply was empty. Parent: BadResponse.
	NullResponse = newKind("NullResponse", BadResponse)
	// CancelPending: a cancellation is already in progress. Parent: OperationFailed.
	CancelPending = newKind("CancelPending", OperationFailed)

	// UnsubscribeError: an unsubscription failed. Parent: BaseError.
	UnsubscribeError = newKind("UnsubscribeError", BaseError)

	// CacheOverflow: a cache ring overwrote items a consumer had not read yet.
	// The concrete error is *CacheOverflowError with the dropped count. Parent: BaseError.
	CacheOverflow = newKind("CacheOverflow", BaseError)
)

// Kinds lists every kind of the taxonomy, parents before children.
func Kinds() []*Kind {
	return []*Kind{
		BaseError,
		ExchangeError, AuthenticationError, PermissionDenied, AccountNotEnabled, AccountSuspended,
		ArgumentsRequired, BadRequest, BadSymbol,
		OperationRejected, NoChange, MarginModeAlreadySet, MarketClosed, ManualInteractionNeeded, RestrictedLocation,
		InsufficientFunds, InvalidAddress, AddressPending,
		InvalidOrder, OrderNotFound, OrderNotCached, OrderImmediatelyFillable, OrderNotFillable, DuplicateOrderId, ContractUnavailable,
		NotSupported, ExchangeClosedByUser,
		OperationFailed, NetworkError, DDoSProtection, RateLimitExceeded, ExchangeNotAvailable, OnMaintenance,
		InvalidNonce, ChecksumError, RequestTimeout, BadResponse, NullResponse, CancelPending,
		UnsubscribeError, CacheOverflow,
	}
}

// KindByName returns the kind CCXT calls name (for example "InsufficientFunds"),
// so adapters' error-code tables can name kinds as CCXT's do.
func KindByName(name string) (*Kind, bool) {
	for _, k := range Kinds() {
		if k.name == name {
			return k, true
		}
	}
	return nil, false
}
