package bybit

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/adapter"
	"github.com/unifex-go/unifex/internal/rest"
	"github.com/unifex-go/unifex/unified"
)

// The wallet: coins with their chains, deposit addresses, the deposit and
// withdrawal history, and withdrawals, through the /v5/asset endpoints
// (docs/v5/asset: coin-info, deposit/master-deposit-addr,
// deposit/deposit-record, withdraw/withdraw-record, withdraw/withdraw).
// Every call is signed and needs the master UID's key.
//
// Chain codes are CCXT's: Bybit's chain ids are kept as they are, except
// ETH (ERC20), TRX (TRC20), BSC (BEP20), ARBI (ARBONE), OP (OPTIMISM),
// CAVAX (AVAXC) and APTOS (APT); the native coin of its own chain keeps the
// chain's name (ETH on ETH is "ETH", USDT on ETH is "ERC20"). A request's
// Params{"network": ...} takes a unified code or a Bybit chain id.

// The wallet's endpoints.
var (
	epCoinInfo       = rest.Endpoint{API: apiGroup, Path: "/v5/asset/coin/query-info", Signed: true}
	epDepositAddress = rest.Endpoint{API: apiGroup, Path: "/v5/asset/deposit/query-address", Signed: true}
	epDeposits       = rest.Endpoint{API: apiGroup, Path: "/v5/asset/deposit/query-record", Signed: true}
	epWithdrawals    = rest.Endpoint{API: apiGroup, Path: "/v5/asset/withdraw/query-record", Signed: true}
	epWithdraw       = rest.Endpoint{API: apiGroup, Method: "POST", Path: "/v5/asset/withdraw/create", Signed: true}
)

// walletWindow is the longest span one history request may cover: the
// docs require endTime - startTime under 30 days (the default is the last
// 30 days).
const walletWindow = 30*24*time.Hour - time.Millisecond

// walletPage is the most entries one history page holds (limit, 1 to 50).
const walletPage = 50

// requestIDs is withdraw's requestId rule: 1 to 32 letters and digits,
// globally unique; Bybit uses it for idempotency.
var requestIDs = adapter.ClientIDs{Prefix: "unifex", Max: 32}

// chainCodes maps the Bybit chain ids that CCXT renames to their unified
// codes.
var chainCodes = map[string]string{
	"ETH":   "ERC20",
	"TRX":   "TRC20",
	"BSC":   "BEP20",
	"ARBI":  "ARBONE",
	"OP":    "OPTIMISM",
	"CAVAX": "AVAXC",
	"APTOS": "APT",
}

// chainIDs maps unified chain codes (and common aliases) to Bybit's ids.
var chainIDs = map[string]string{
	"ERC20":    "ETH",
	"TRC20":    "TRX",
	"BEP20":    "BSC",
	"ARBONE":   "ARBI",
	"ARB":      "ARBI",
	"OPTIMISM": "OP",
	"AVAXC":    "CAVAX",
	"APT":      "APTOS",
}

// chains translates Bybit's network ids and unified codes.
var chains = adapter.NetworkCodes{Codes: chainCodes, IDs: chainIDs}

// wireText is a value Bybit writes as a string or a number (a deposit's
// status is a number, CCXT's recordings write it as a string).
type wireText string

// UnmarshalJSON reads "3", 3 or null ("").
func (t *wireText) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case string(b) == "null":
		return nil
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return errors.Wrap(errors.BadResponse, err, "a malformed string")
		}
		*t = wireText(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return errors.Wrap(errors.BadResponse, err, "a value that is neither a string nor a number")
	}
	*t = wireText(n)
	return nil
}

// restCoinInfo is one coin of GET /v5/asset/coin/query-info.
type restCoinInfo struct {
	Name string `json:"name"`
	Coin string `json:"coin"`
	// RemainAmount is the most one withdrawal may move.
	RemainAmount string      `json:"remainAmount"`
	Chains       []restChain `json:"chains"`
}

// restChain is one chain of a coin.
type restChain struct {
	Chain     string `json:"chain"`
	ChainType string `json:"chainType"`
	// Confirmation is the confirmations a deposit needs.
	Confirmation string `json:"confirmation"`
	// WithdrawFee is empty when the coin cannot be withdrawn on the chain.
	WithdrawFee string `json:"withdrawFee"`
	DepositMin  string `json:"depositMin"`
	WithdrawMin string `json:"withdrawMin"`
	// MinAccuracy is the amount's decimal places.
	MinAccuracy string `json:"minAccuracy"`
	// ChainDeposit and ChainWithdraw are "1" (normal) or "0" (suspended).
	ChainDeposit  string `json:"chainDeposit"`
	ChainWithdraw string `json:"chainWithdraw"`
	// WithdrawPercentageFee is a fee proportional to the amount (0.022 is
	// 2.2 %), charged on top of WithdrawFee.
	WithdrawPercentageFee string `json:"withdrawPercentageFee"`
	ContractAddress       string `json:"contractAddress"`
}

// flag reads "1" (true), "0" (false) or "" (unknown).
func flag(s string) *bool {
	switch s {
	case "1":
		v := true
		return &v
	case "0":
		v := false
		return &v
	}
	return nil
}

// places reads minAccuracy, decimal places, as a step (4 → 0.0001).
func (ds *decimals) places(s string) decimal.NullDecimal {
	if s == "" {
		return decimal.NullDecimal{}
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 30 {
		if ds.err == nil {
			ds.err = errors.Newf(errors.BadResponse, "malformed minAccuracy "+strconv.Quote(s))
		}
		return decimal.NullDecimal{}
	}
	return decimal.NewNullDecimal(decimal.New(1, -int32(n)))
}

// parseCurrency turns a coin into a unified currency. Per chain: deposit
// and withdraw as chainDeposit and chainWithdraw say (a chain without a
// withdrawal fee cannot be withdrawn on, as the docs define it), Active
// when both are, the fee, the step from minAccuracy and the minimums; the
// withdrawal maximum is the coin's remainAmount, the most one withdrawal
// may move (CCXT leaves it out). The currency takes, as CCXT's
// safeCurrencyStructure derives them: deposit, withdraw and active when
// any chain's is, the smallest fee, the coarsest step and the smallest
// minimums. The percentage fee (withdrawPercentageFee) is in Info only.
func parseCurrency(r *restCoinInfo, keepInfo bool) (unified.Currency, error) {
	if r.Coin == "" {
		return unified.Currency{}, errors.Newf(errors.BadResponse, "a coin without its id")
	}
	var ds decimals
	c := unified.Currency{ID: r.Coin, Code: codes.Common(r.Coin), Name: r.Name}
	c.Limits.Withdraw.Max = ds.positive(r.RemainAmount)
	if len(r.Chains) > 0 {
		c.Networks = make(map[string]unified.Network, len(r.Chains))
	}
	for i := range r.Chains {
		rc := &r.Chains[i]
		if rc.Chain == "" {
			return unified.Currency{}, errors.Newf(errors.BadResponse, "coin "+strconv.Quote(r.Coin)+" has a chain without its id")
		}
		n := unified.Network{ID: rc.Chain, Network: chains.Code(rc.Chain, c.Code), Deposit: flag(rc.ChainDeposit),
			Withdraw: flag(rc.ChainWithdraw), Fee: ds.parse(rc.WithdrawFee), Precision: ds.places(rc.MinAccuracy),
			Limits: unified.CurrencyLimits{
				Withdraw: unified.MinMax{Min: ds.parse(rc.WithdrawMin), Max: c.Limits.Withdraw.Max},
				Deposit:  unified.MinMax{Min: ds.parse(rc.DepositMin)},
			}}
		if rc.WithdrawFee == "" && n.Withdraw != nil {
			off := false
			n.Withdraw = &off
		}
		if n.Deposit != nil && n.Withdraw != nil {
			active := *n.Deposit && *n.Withdraw
			n.Active = &active
		}
		if keepInfo {
			n.Info = *rc
		}
		c.AddNetwork(n)
		if n.Fee.Valid && (!c.Fee.Valid || n.Fee.Decimal.LessThan(c.Fee.Decimal)) {
			c.Fee = n.Fee // the cheapest network's, as CCXT does
		}
	}
	if ds.err != nil {
		return unified.Currency{}, ds.err
	}
	if keepInfo {
		c.Info = *r
	}
	return c, nil
}

// walletParams adds the caller's Params to r (in key order, after the
// unified arguments) and returns r as a query.
func walletParams(r *request, extra map[string]any) (rest.Params, error) {
	if err := r.addParams(extra); err != nil {
		return rest.Params{}, err
	}
	return r.query(), nil
}

// FetchCurrencies returns every coin with its chains (GET
// /v5/asset/coin/query-info, signed); see parseCurrency for what is
// derived. Params{"coin": "USDT"} asks for one coin. The markets do not
// load it: the currencies they derive carry no chain.
func (x *Exchange) FetchCurrencies(ctx context.Context, opts ...exchange.Option) ([]unified.Currency, error) {
	var r request
	q, err := walletParams(&r, exchange.Apply(opts).Params)
	if err != nil {
		return nil, err
	}
	var res struct {
		Rows []restCoinInfo `json:"rows"`
	}
	if err := x.call(ctx, epCoinInfo, q, &res); err != nil {
		return nil, err
	}
	out := make([]unified.Currency, 0, len(res.Rows))
	for i := range res.Rows {
		c, err := parseCurrency(&res.Rows[i], x.Config().KeepInfo)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// restDepositAddresses is the result of GET /v5/asset/deposit/query-address.
type restDepositAddresses struct {
	Coin   string               `json:"coin"`
	Chains []restDepositAddress `json:"chains"`
}

// restDepositAddress is one chain's deposit address.
type restDepositAddress struct {
	ChainType      string `json:"chainType"`
	AddressDeposit string `json:"addressDeposit"`
	TagDeposit     string `json:"tagDeposit"`
	Chain          string `json:"chain"`
	// BatchReleaseLimit is the chain's deposit limit ("-1": none).
	BatchReleaseLimit string `json:"batchReleaseLimit"`
	ContractAddress   string `json:"contractAddress"`
}

// parseDepositAddress picks the address on chain id ("" for the first the
// reply lists) and turns it into the unified structure.
func parseDepositAddress(r *restDepositAddresses, code, id string, keepInfo bool) (unified.DepositAddress, error) {
	if r.Coin != "" {
		code = codes.Common(r.Coin)
	}
	for i := range r.Chains {
		a := &r.Chains[i]
		if id != "" && a.Chain != id {
			continue
		}
		if a.AddressDeposit == "" {
			return unified.DepositAddress{}, errors.Newf(errors.BadResponse, "a deposit address reply without an address")
		}
		out := unified.DepositAddress{Currency: code, Network: chains.Code(a.Chain, code), Address: a.AddressDeposit, Tag: a.TagDeposit}
		if keepInfo {
			out.Info = *a
		}
		return out, nil
	}
	if id != "" {
		return unified.DepositAddress{}, errors.Newf(errors.BadResponse, "the deposit address reply has no address on chain "+strconv.Quote(id))
	}
	return unified.DepositAddress{}, errors.Newf(errors.BadResponse, "a deposit address reply without a chain")
}

// takeChain removes "network" from params and returns it as Bybit's id
// ("" when absent).
func takeChain(params map[string]any) (string, map[string]any, error) {
	given, rest, err := takeString(params, "network")
	if err != nil || given == "" {
		return "", rest, err
	}
	return chains.ID(given), rest, nil
}

// FetchDepositAddress returns the master account's address to deposit
// code to (GET /v5/asset/deposit/query-address, signed).
// Params{"network": "TRC20"} (a unified code or Bybit's chain id) picks the
// chain, sent as chainType; without one Bybit lists every chain of the
// coin and the first is returned, with its network named. An empty Tag
// means the deposit needs no memo.
func (x *Exchange) FetchDepositAddress(ctx context.Context, code string, opts ...exchange.Option) (*unified.DepositAddress, error) {
	if code == "" {
		return nil, &errors.Error{Kind: errors.ArgumentsRequired, Exchange: ID, Message: "FetchDepositAddress needs a currency code"}
	}
	id, extra, err := takeChain(exchange.Apply(opts).Params)
	if err != nil {
		return nil, err
	}
	var r request
	r.add("coin", codes.Native(code))
	if id != "" {
		r.add("chainType", id)
	}
	q, err := walletParams(&r, extra)
	if err != nil {
		return nil, err
	}
	var res restDepositAddresses
	if err := x.call(ctx, epDepositAddress, q, &res); err != nil {
		return nil, err
	}
	a, err := parseDepositAddress(&res, code, id, x.Config().KeepInfo)
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// restTransaction is one entry of the deposit or the withdrawal history.
type restTransaction struct {
	// ID is a deposit's id, WithdrawID a withdrawal's.
	ID         string   `json:"id"`
	WithdrawID string   `json:"withdrawId"`
	Coin       string   `json:"coin"`
	Chain      string   `json:"chain"`
	Amount     string   `json:"amount"`
	TxID       string   `json:"txID"`
	Status     wireText `json:"status"`
	ToAddress  string   `json:"toAddress"`
	Tag        string   `json:"tag"`
	// DepositFee and WithdrawFee are the fees, in the coin.
	DepositFee  string `json:"depositFee"`
	WithdrawFee string `json:"withdrawFee"`
	// SuccessAt is a deposit's last update; CreateTime and UpdateTime a
	// withdrawal's creation and last update.
	SuccessAt  string `json:"successAt"`
	CreateTime string `json:"createTime"`
	UpdateTime string `json:"updateTime"`
	// FromAddress is a deposit's sender when it is unique.
	FromAddress string `json:"fromAddress"`
	// WithdrawType is 0 on chain, 1 off chain (to another Bybit UID).
	WithdrawType  wireText `json:"withdrawType"`
	Confirmations string   `json:"confirmations"`
	// DepositType is 0 normal, 10 over the daily limit, 20 abnormal.
	DepositType wireText `json:"depositType"`
}

// depositStatuses are the deposit history's statuses (enum depositStatus:
// 0 unknown, 1 toBeConfirmed, 2 processing, 3 success, 4 deposit failed,
// 10011 pending to be credited to the funding pool, 10012 credited to
// it). CCXT maps 0 to "unknown" and 2 to "processing", neither a unified
// status: a deposit seen and not credited is pending here.
var depositStatuses = map[string]unified.TransactionStatus{
	"0":     unified.TransactionPending,
	"1":     unified.TransactionPending,
	"2":     unified.TransactionPending,
	"3":     unified.TransactionOK,
	"4":     unified.TransactionFailed,
	"10011": unified.TransactionPending,
	"10012": unified.TransactionOK,
}

// withdrawalStatuses are the withdrawal history's statuses (enum
// withdrawStatus), mapped as CCXT maps them, except Reject, which CCXT
// calls "rejected" (not a unified status): failed. MoreInformationRequired
// waits on the user: pending. "Unknown" (a rare status) is kept as sent.
var withdrawalStatuses = map[string]unified.TransactionStatus{
	"SecurityCheck":           unified.TransactionPending,
	"Pending":                 unified.TransactionPending,
	"MoreInformationRequired": unified.TransactionPending,
	"success":                 unified.TransactionOK,
	"BlockchainConfirmed":     unified.TransactionOK,
	"CancelByUser":            unified.TransactionCanceled,
	"Reject":                  unified.TransactionFailed,
	"Fail":                    unified.TransactionFailed,
}

// parseTransaction turns a history entry of type typ into a unified
// transaction: the address is toAddress (for a withdrawal off chain, the
// receiving Bybit UID), AddressFrom a deposit's unique sender; a deposit's
// time is successAt (its last update: the history has no creation time),
// a withdrawal's createTime, with updateTime as Updated. Internal is set
// from withdrawType. An unknown status is kept as sent.
func parseTransaction(typ unified.TransactionType, r *restTransaction, keepInfo bool) (unified.Transaction, error) {
	id, fee := r.ID, r.DepositFee
	statuses := depositStatuses
	if typ == unified.TransactionWithdrawal {
		id, fee = r.WithdrawID, r.WithdrawFee
		statuses = withdrawalStatuses
	}
	if id == "" || r.Coin == "" {
		return unified.Transaction{}, errors.Newf(errors.BadResponse, "a "+string(typ)+" without an id or a coin")
	}
	var ds decimals
	code := codes.Common(r.Coin)
	t := unified.Transaction{ID: id, TxID: r.TxID, Type: typ, Currency: code, Network: chains.Code(r.Chain, code),
		Amount: ds.parse(r.Amount), Address: r.ToAddress, AddressTo: r.ToAddress, Tag: r.Tag, TagTo: r.Tag,
		AddressFrom: r.FromAddress}
	var err error
	if typ == unified.TransactionWithdrawal {
		if t.Timestamp, err = millisText(r.CreateTime); err == nil {
			t.Updated, err = millisText(r.UpdateTime)
		}
		switch r.WithdrawType {
		case "0", "1":
			internal := r.WithdrawType == "1"
			t.Internal = &internal
		}
	} else {
		t.Timestamp, err = millisText(r.SuccessAt)
		t.Updated = t.Timestamp
	}
	if err != nil {
		return unified.Transaction{}, err
	}
	if s, ok := statuses[string(r.Status)]; ok {
		t.Status = s
	} else {
		t.Status = unified.TransactionStatus(r.Status)
	}
	if c := ds.parse(fee); c.Valid {
		t.Fee = unified.Fee{Currency: code, Cost: c}
	}
	if ds.err != nil {
		return unified.Transaction{}, ds.err
	}
	if keepInfo {
		t.Info = *r
	}
	return t, nil
}

// FetchDeposits returns the deposits of code ("" for every coin), oldest
// first, from GET /v5/asset/deposit/query-record. Bybit answers for under
// 30 days per request (by default the last 30): with Since the adapter
// asks window after window from Since up to now (or to Params{"endTime":
// ms}) until Limit deposits are found, and the result is the oldest Limit
// of them; without Since it is Bybit's default window, and Limit keeps the
// newest. Each window is read page after page (cursor, 50 a page). Params
// may add id or txID.
func (x *Exchange) FetchDeposits(ctx context.Context, code string, opts ...exchange.Option) ([]unified.Transaction, error) {
	return x.walletHistory(ctx, epDeposits, unified.TransactionDeposit, code, exchange.Apply(opts))
}

// FetchWithdrawals returns the withdrawals of code ("" for every coin),
// oldest first, from GET /v5/asset/withdraw/query-record, with the
// windows, Since and Limit of FetchDeposits. Both on-chain and off-chain
// withdrawals are listed (withdrawType=2; Bybit's default is on chain
// only). Params may add withdrawID, txID or withdrawType.
func (x *Exchange) FetchWithdrawals(ctx context.Context, code string, opts ...exchange.Option) ([]unified.Transaction, error) {
	o := exchange.Apply(opts)
	if _, given := o.Params["withdrawType"]; !given {
		o.Params = with(o.Params, "withdrawType", 2)
	}
	return x.walletHistory(ctx, epWithdrawals, unified.TransactionWithdrawal, code, o)
}

// with returns a copy of params with key set to v.
func with(params map[string]any, key string, v any) map[string]any {
	out := make(map[string]any, len(params)+1)
	for k, val := range params {
		out[k] = val
	}
	out[key] = v
	return out
}

// takeMillis removes key from params (a copy) and reads it as a
// non-negative integer (an int, an int64 or a decimal string), 0 when
// absent.
func takeMillis(params map[string]any, key string) (int64, map[string]any, error) {
	v, ok := params[key]
	if !ok {
		return 0, params, nil
	}
	var n int64
	var err error
	switch v := v.(type) {
	case int:
		n = int64(v)
	case int64:
		n = v
	case string:
		n, err = strconv.ParseInt(v, 10, 64)
	default:
		err = fmt.Errorf("%T", v)
	}
	if err != nil || n < 0 {
		return 0, nil, errors.Newf(errors.BadRequest, "bybit: Params "+strconv.Quote(key)+" must be a non-negative integer")
	}
	out := make(map[string]any, len(params))
	for k, val := range params {
		if k != key {
			out[k] = val
		}
	}
	return n, out, nil
}

// clockMargin is how far past the estimated venue time a history's last
// window reaches.
const clockMargin = time.Minute

// walletHistory reads a deposit or withdrawal history (see FetchDeposits).
func (x *Exchange) walletHistory(ctx context.Context, ep rest.Endpoint, typ unified.TransactionType, code string, o exchange.CallOptions) ([]unified.Transaction, error) {
	until, extra, err := takeMillis(o.Params, "endTime")
	if err != nil {
		return nil, err
	}
	// Now by the venue's clock, with a margin for the estimate's error: a
	// withdrawal made a moment ago must be in the last window.
	windows := adapter.HistoryWindows(o.SinceMillis(), until, x.REST().Now().Add(clockMargin).UnixMilli(), walletWindow)
	var out []unified.Transaction
	seen := map[string]bool{}
	for _, w := range windows {
		cursor := ""
		for page := 0; page < maxPages; page++ {
			var r request
			if code != "" {
				r.add("coin", codes.Native(code))
			}
			if w.Start > 0 {
				r.add("startTime", strconv.FormatInt(w.Start, 10))
			}
			if w.End > 0 {
				r.add("endTime", strconv.FormatInt(w.End, 10))
			}
			r.add("limit", strconv.Itoa(walletPage))
			if cursor != "" {
				r.add("cursor", cursor)
			}
			q, err := walletParams(&r, extra)
			if err != nil {
				return nil, err
			}
			var res struct {
				Rows           []restTransaction `json:"rows"`
				NextPageCursor string            `json:"nextPageCursor"`
			}
			if err := x.call(ctx, ep, q, &res); err != nil {
				return nil, err
			}
			for i := range res.Rows {
				t, err := parseTransaction(typ, &res.Rows[i], x.Config().KeepInfo)
				if err != nil {
					return nil, err
				}
				if (code != "" && t.Currency != code) || seen[t.ID] {
					continue
				}
				seen[t.ID] = true
				out = append(out, t)
			}
			// Bybit gives a cursor even on the last page: an empty page
			// (or a cursor that does not move) ends the window.
			if res.NextPageCursor == "" || res.NextPageCursor == cursor || len(res.Rows) == 0 {
				break
			}
			cursor = res.NextPageCursor
		}
		if o.Limit > 0 && len(out) >= o.Limit && w.Start > 0 {
			break // later windows hold later entries
		}
	}
	return adapter.TrimHistory(out, o.Since, o.Limit), nil
}

// restWithdrawal is the result of POST /v5/asset/withdraw/create.
type restWithdrawal struct {
	ID string `json:"id"`
}

// withdrawal is one withdraw request as sent.
type withdrawal struct {
	code, chain, address, tag, requestID string
	amount                               decimal.Decimal
	sent                                 time.Time
}

// Withdraw sends amount of code to address, with tag as its memo ("" for
// none), through POST /v5/asset/withdraw/create (5 a second, and one a 10
// s per chain and coin). Params{"network": "TRC20"} (a unified code or
// Bybit's chain id) names the chain, which Bybit requires unless
// Params{"forceChain": 2} sends to a Bybit UID. The amount is what
// arrives (feeType 0; Params{"feeType": 1} deducts the fee from it). It is
// taken from the unified trading account (accountType UTA, as CCXT sends;
// Params{"accountType": "FUND"} or "FUND,UTA" picks another). Params may
// add forceChain, feeType, accountType or beneficiary fields.
//
// The reply is only the withdrawal's id, so the result is what was asked
// for: the id, the currency, the amount, the address and tag, the network,
// the time sent, and status pending.
//
// Each withdrawal carries a requestId (Params', else a fresh "unifex" id),
// Bybit's idempotency key. The history cannot be searched by it, so one
// whose outcome is unknown (a timeout, a 5xx, 10000, 10016) is looked up
// once in the history from a minute before it was sent, by coin, chain,
// amount, address and tag, and returned when exactly one withdrawal
// matches; otherwise the error names the requestId and what was sent. It
// is never sent again.
func (x *Exchange) Withdraw(ctx context.Context, code string, amount decimal.Decimal, address, tag string, opts ...exchange.Option) (*unified.Transaction, error) {
	switch {
	case code == "" || address == "":
		return nil, &errors.Error{Kind: errors.ArgumentsRequired, Exchange: ID, Message: "Withdraw needs a currency code and an address"}
	case !amount.IsPositive():
		return nil, &errors.Error{Kind: errors.BadRequest, Exchange: ID, Message: "a withdrawal's amount must be positive, not " + amount.String()}
	}
	id, extra, err := takeChain(exchange.Apply(opts).Params)
	if err != nil {
		return nil, err
	}
	if id == "" && fmt.Sprint(extra["forceChain"]) != "2" {
		return nil, &errors.Error{Kind: errors.ArgumentsRequired, Exchange: ID,
			Message: `Withdraw needs Params{"network": ...}: Bybit requires the chain (except forceChain 2, to a UID)`}
	}
	w := withdrawal{code: code, chain: id, address: address, tag: tag, amount: amount, sent: x.REST().Now()}
	var r request
	r.add("coin", codes.Native(code))
	if id != "" {
		r.add("chain", id)
	}
	r.add("address", address)
	if tag != "" {
		r.add("tag", tag)
	}
	r.add("amount", amount.String())
	r.addRaw("timestamp", strconv.FormatInt(w.sent.UnixMilli(), 10))
	if _, given := extra["accountType"]; !given {
		r.add("accountType", "UTA")
	}
	if v, given := extra["requestId"]; given {
		w.requestID = fmt.Sprint(v)
	} else {
		w.requestID = requestIDs.New(x.REST().Sources())
		r.add("requestId", w.requestID)
	}
	if err := r.addParams(extra); err != nil {
		return nil, err
	}
	var res restWithdrawal
	if _, err := x.send(ctx, epWithdraw, &r, &res); err != nil {
		return x.withdrawFailed(ctx, &w, err)
	}
	t, err := parseWithdrawal(&res, &w, x.Config().KeepInfo)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// withdrawFailed answers a withdraw request that ended in err: a refusal
// as it is; an unknown outcome after one look-up in the history.
func (x *Exchange) withdrawFailed(ctx context.Context, w *withdrawal, err error) (*unified.Transaction, error) {
	lookup := func(ctx context.Context) (*unified.Transaction, bool) {
		ts, err := x.FetchWithdrawals(ctx, w.code, exchange.Since(w.sent.Add(-time.Minute)))
		if err != nil {
			return nil, false
		}
		return w.match(ts)
	}
	return adapter.ResolveUnknown(ctx, err, outcomeUnknown, lookup, nil,
		fmt.Sprintf("bybit withdrawal with requestId %s (%s %s on %s to %s) may have been sent", w.requestID, w.amount, w.code, w.chain, w.address))
}

// match is the one withdrawal of ts that can be w: same coin, chain,
// amount, address and tag, created no earlier than a minute before w was
// sent. None, or more than one, is no match.
func (w *withdrawal) match(ts []unified.Transaction) (*unified.Transaction, bool) {
	var found *unified.Transaction
	for i := range ts {
		t := &ts[i]
		if t.Currency != w.code || !t.Amount.Valid || !t.Amount.Decimal.Equal(w.amount) || t.Address != w.address ||
			t.Tag != w.tag || (w.chain != "" && chains.ID(t.Network) != w.chain) || t.Timestamp.Before(w.sent.Add(-time.Minute)) {
			continue
		}
		if found != nil {
			return nil, false
		}
		found = t
	}
	return found, found != nil
}

// parseWithdrawal is the withdrawal a withdraw reply acknowledges (see
// Withdraw).
func parseWithdrawal(r *restWithdrawal, w *withdrawal, keepInfo bool) (unified.Transaction, error) {
	if r.ID == "" {
		return unified.Transaction{}, errors.Newf(errors.BadResponse, "a withdraw reply without an id")
	}
	t := unified.Transaction{ID: r.ID, Type: unified.TransactionWithdrawal, Currency: w.code, Network: chains.Code(w.chain, w.code),
		Amount: decimal.NewNullDecimal(w.amount), Status: unified.TransactionPending, Address: w.address, AddressTo: w.address,
		Tag: w.tag, TagTo: w.tag, Timestamp: w.sent.UTC()}
	if keepInfo {
		t.Info = *r
	}
	return t, nil
}
