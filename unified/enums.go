package unified

// The enums below are string types holding CCXT's lower-case (or, for time in
// force, upper-case) spellings, so that a value prints and encodes exactly as
// CCXT prints it. Adapters may store a venue-specific value that has no
// constant here (CCXT passes such values through too); Valid tells the two
// apart where a request is checked.

// Side is the direction of an order or trade.
type Side string

// The sides.
const (
	SideBuy  Side = "buy"
	SideSell Side = "sell"
)

// Valid reports whether s is SideBuy or SideSell.
func (s Side) Valid() bool { return s == SideBuy || s == SideSell }

// OrderType is how an order executes. CCXT unifies order types to market and
// limit; stop, take-profit and trigger behaviour is carried by the trigger
// prices of OrderRequest and Order instead of by more types.
type OrderType string

// The unified order types.
const (
	// OrderTypeMarket executes at once against the book at any price.
	OrderTypeMarket OrderType = "market"
	// OrderTypeLimit rests at a price or better.
	OrderTypeLimit OrderType = "limit"
)

// Valid reports whether t is OrderTypeMarket or OrderTypeLimit.
func (t OrderType) Valid() bool { return t == OrderTypeMarket || t == OrderTypeLimit }

// TimeInForce says how long an order stays working.
type TimeInForce string

// The time-in-force values, spelt as CCXT spells them.
const (
	// TIFGTC is good till canceled.
	TIFGTC TimeInForce = "GTC"
	// TIFIOC is immediate or cancel: fill what can be filled now, cancel the rest.
	TIFIOC TimeInForce = "IOC"
	// TIFFOK is fill or kill: fill completely now or cancel.
	TIFFOK TimeInForce = "FOK"
	// TIFPO is post only: rest as a maker or be rejected.
	TIFPO TimeInForce = "PO"
	// TIFGTD is good till a date the venue is told separately.
	TIFGTD TimeInForce = "GTD"
)

// Valid reports whether tif is one of the constants above.
func (tif TimeInForce) Valid() bool {
	switch tif {
	case TIFGTC, TIFIOC, TIFFOK, TIFPO, TIFGTD:
		return true
	}
	return false
}

// OrderStatus is the state of an order.
type OrderStatus string

// The order statuses.
const (
	// StatusOpen: the order is working (possibly partly filled).
	StatusOpen OrderStatus = "open"
	// StatusClosed: the order is completely filled.
	StatusClosed OrderStatus = "closed"
	// StatusCanceled: the order was canceled (possibly after a partial fill).
	StatusCanceled OrderStatus = "canceled"
	// StatusExpired: the order's time in force ran out.
	StatusExpired OrderStatus = "expired"
	// StatusRejected: the venue refused the order.
	StatusRejected OrderStatus = "rejected"
)

// MarginMode is how collateral backs a margin or contract position.
type MarginMode string

// The margin modes.
const (
	// MarginModeCross shares the account's collateral between positions.
	MarginModeCross MarginMode = "cross"
	// MarginModeIsolated gives each position its own collateral.
	MarginModeIsolated MarginMode = "isolated"
)

// Valid reports whether m is MarginModeCross or MarginModeIsolated.
func (m MarginMode) Valid() bool { return m == MarginModeCross || m == MarginModeIsolated }

// PositionSide is the direction of a contract position.
type PositionSide string

// The position sides.
const (
	PositionLong  PositionSide = "long"
	PositionShort PositionSide = "short"
)

// Liquidity says whether a trade added liquidity (maker) or took it (taker);
// CCXT calls the field takerOrMaker.
type Liquidity string

// The liquidity roles.
const (
	LiquidityTaker Liquidity = "taker"
	LiquidityMaker Liquidity = "maker"
)

// TransactionType tells a deposit from a withdrawal.
type TransactionType string

// The transaction types.
const (
	TransactionDeposit    TransactionType = "deposit"
	TransactionWithdrawal TransactionType = "withdrawal"
)

// TransactionStatus is the state of a deposit or withdrawal.
type TransactionStatus string

// The transaction statuses, as CCXT spells them.
const (
	TransactionPending  TransactionStatus = "pending"
	TransactionOK       TransactionStatus = "ok"
	TransactionFailed   TransactionStatus = "failed"
	TransactionCanceled TransactionStatus = "canceled"
)

// Direction says whether a ledger entry credited or debited the account.
type Direction string

// The ledger directions.
const (
	DirectionIn  Direction = "in"
	DirectionOut Direction = "out"
)
