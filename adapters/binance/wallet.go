package binance

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/unifex-go/unifex/internal/adapter"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/rest"
	"github.com/unifex-go/unifex/unified"
)

// The wallet: currencies with their networks, deposit addresses, the
// deposit and withdrawal history, and withdrawals, through the /sapi/v1
// capital endpoints. The wallet belongs to the account, not to a product,
// so only the spot adapter ("binance") offers it; the futures adapters
// answer NotSupported. Every call is signed. Shapes and statuses are those
// of developers.binance.com wallet/capital: "All Coins' Information", "Deposit
// Address (supporting network)", "Deposit History (supporting network)",
// "Withdraw History (supporting network)" and "Withdraw".
//
// Network codes are CCXT's: Binance's network ids are kept as they are,
// except ETH (ERC20), TRX (TRC20), BSC (BEP20), BNB (BEP2), OPTIMISM (OP),
// SEGWITBTC (BTCSEGWIT) and LIGHTNING (BTCLIGHTNING); the native coin of
// its own chain keeps the chain's name (ETH on ETH is "ETH", USDT on ETH
// is "ERC20"). A request's Params{"network": ...} takes a unified code or
// a Binance id.

// historyWindow is the longest span one deposit or withdrawal history
// request may cover: the docs require less than 90 days between startTime
// and endTime.
const historyWindow = 90*24*time.Hour - time.Millisecond

// historyPage is the most entries one history reply holds (limit, at most
// 1000).
const historyPage = 1000

// networkCodes maps the Binance network ids that CCXT renames to their
// unified codes.
var networkCodes = map[string]string{
	"ETH":       "ERC20",
	"TRX":       "TRC20",
	"BSC":       "BEP20",
	"BNB":       "BEP2",
	"OPTIMISM":  "OP",
	"SEGWITBTC": "BTCSEGWIT",
	"LIGHTNING": "BTCLIGHTNING",
}

// networkIDs maps unified network codes (and CCXT's older aliases) to
// Binance's ids.
var networkIDs = map[string]string{
	"ERC20":        "ETH",
	"TRC20":        "TRX",
	"BEP20":        "BSC",
	"BEP2":         "BNB",
	"OP":           "OPTIMISM",
	"BTCSEGWIT":    "SEGWITBTC",
	"BTCLIGHTNING": "LIGHTNING",
	"ARB":          "ARBITRUM",
	"ARBONE":       "ARBITRUM",
}

// networks translates Binance's network ids and unified codes.
var networks = adapter.NetworkCodes{Codes: networkCodes, IDs: networkIDs}

// restCoin is one coin of GET /sapi/v1/capital/config/getall.
type restCoin struct {
	Coin         string            `json:"coin"`
	Name         string            `json:"name"`
	Trading      *bool             `json:"trading"`
	IsLegalMoney bool              `json:"isLegalMoney"`
	NetworkList  []restCoinNetwork `json:"networkList"`
}

// restCoinNetwork is one network of a coin.
type restCoinNetwork struct {
	Network string `json:"network"`
	// WithdrawIntegerMultiple is the withdrawal amount's step ("0" for
	// fiat and leveraged tokens: none).
	WithdrawIntegerMultiple string `json:"withdrawIntegerMultiple"`
	IsDefault               bool   `json:"isDefault"`
	DepositEnable           *bool  `json:"depositEnable"`
	WithdrawEnable          *bool  `json:"withdrawEnable"`
	WithdrawFee             string `json:"withdrawFee"`
	WithdrawMin             string `json:"withdrawMin"`
	WithdrawMax             string `json:"withdrawMax"`
	DepositDust             string `json:"depositDust"`
}

// parseCurrency turns a coin into a unified currency. Per network: deposit
// and withdraw enabled, the withdrawal fee, the amount step (Binance is a
// tick-size venue) and the withdrawal bounds (deposits: the dust minimum).
// The currency takes, as CCXT's safeCurrencyStructure derives them:
// deposit (withdraw) enabled when any network's is, the coarsest step,
// the smallest minimum and the largest maximum; Active is "trading". Its
// Fee is the default network's fee (CCXT takes the smallest).
func parseCurrency(r *restCoin, keepInfo bool) (unified.Currency, error) {
	if r.Coin == "" {
		return unified.Currency{}, errors.Newf(errors.BadResponse, "a coin without its id")
	}
	var ds decimals
	c := unified.Currency{ID: r.Coin, Code: commonCode(r.Coin), Name: r.Name, Active: r.Trading}
	if len(r.NetworkList) > 0 {
		c.Networks = make(map[string]unified.Network, len(r.NetworkList))
	}
	for i := range r.NetworkList {
		rn := &r.NetworkList[i]
		if rn.Network == "" {
			return unified.Currency{}, errors.Newf(errors.BadResponse, "coin "+strconv.Quote(r.Coin)+" has a network without its id")
		}
		n := unified.Network{ID: rn.Network, Network: networks.Code(rn.Network, c.Code), Deposit: rn.DepositEnable, Withdraw: rn.WithdrawEnable,
			Fee: ds.parse(rn.WithdrawFee), Precision: ds.positive(rn.WithdrawIntegerMultiple),
			Limits: unified.CurrencyLimits{
				Withdraw: unified.MinMax{Min: ds.parse(rn.WithdrawMin), Max: ds.parse(rn.WithdrawMax)},
				Deposit:  unified.MinMax{Min: ds.parse(rn.DepositDust)},
			}}
		if keepInfo {
			n.Info = *rn
		}
		c.AddNetwork(n)
		if rn.IsDefault || i == 0 {
			c.Fee = n.Fee
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

// wallet fails on the futures adapters: the wallet is the spot adapter's.
func (x *Exchange) wallet(method string) error {
	if x.p.kind != spot {
		return x.notSupported(method + ": the wallet (/sapi) is offered by the spot adapter, binance")
	}
	return nil
}

// FetchCurrencies returns every coin of the account's wallet with its
// networks (GET /sapi/v1/capital/config/getall, signed, weight 10; the
// reply is large). See parseCurrency for what is derived. The markets do
// not load it: the currencies they derive carry no network.
func (x *Exchange) FetchCurrencies(ctx context.Context, opts ...exchange.Option) ([]unified.Currency, error) {
	if err := x.wallet("FetchCurrencies"); err != nil {
		return nil, err
	}
	var p rest.Params
	if err := p.AddExtra(exchange.Apply(opts).Params, "timestamp", "signature"); err != nil {
		return nil, err
	}
	var raw []restCoin
	if err := x.REST().DoJSON(ctx, sapiGetCapitalConfigGetall, p, &raw); err != nil {
		return nil, err
	}
	out := make([]unified.Currency, 0, len(raw))
	for i := range raw {
		c, err := parseCurrency(&raw[i], x.Config().KeepInfo)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// restDepositAddress is the reply of GET /sapi/v1/capital/deposit/address.
type restDepositAddress struct {
	Coin    string `json:"coin"`
	Address string `json:"address"`
	Tag     string `json:"tag"`
	URL     string `json:"url"`
}

// parseDepositAddress turns a deposit address reply into the unified
// structure; network is the unified code asked for ("" when none was).
func parseDepositAddress(r *restDepositAddress, code, network string, keepInfo bool) (unified.DepositAddress, error) {
	if r.Address == "" {
		return unified.DepositAddress{}, errors.Newf(errors.BadResponse, "a deposit address reply without an address")
	}
	a := unified.DepositAddress{Currency: code, Network: network, Address: r.Address, Tag: r.Tag}
	if r.Coin != "" {
		a.Currency = commonCode(r.Coin)
	}
	if keepInfo {
		a.Info = *r
	}
	return a, nil
}

// takeNetwork removes "network" from params and returns it as Binance's
// id and as the unified code ("" when absent).
func takeNetwork(params map[string]any, code string) (id, unifiedCode string, rest map[string]any, err error) {
	given, rest, err := takeString(params, "network")
	if err != nil || given == "" {
		return "", "", rest, err
	}
	id = networks.ID(given)
	return id, networks.Code(id, code), rest, nil
}

// FetchDepositAddress returns the address to deposit code to (GET
// /sapi/v1/capital/deposit/address, signed, weight 10).
// Params{"network": "TRC20"} (a unified code or Binance's id) picks the
// network; without one Binance answers with the coin's default network,
// and as its reply does not name it, the result's Network is then empty
// (CCXT guesses it from the explorer URL against the currencies' networks).
// An empty Tag means the deposit needs no memo.
func (x *Exchange) FetchDepositAddress(ctx context.Context, code string, opts ...exchange.Option) (*unified.DepositAddress, error) {
	if err := x.wallet("FetchDepositAddress"); err != nil {
		return nil, err
	}
	if code == "" {
		return nil, &errors.Error{Kind: errors.ArgumentsRequired, Exchange: x.p.id, Message: "FetchDepositAddress needs a currency code"}
	}
	id, network, extra, err := takeNetwork(exchange.Apply(opts).Params, code)
	if err != nil {
		return nil, err
	}
	var p rest.Params
	p.Add("coin", codes.Native(code))
	if id != "" {
		p.Add("network", id)
	}
	if err := p.AddExtra(extra, "timestamp", "signature"); err != nil {
		return nil, err
	}
	var raw restDepositAddress
	if err := x.REST().DoJSON(ctx, sapiGetCapitalDepositAddress, p, &raw); err != nil {
		return nil, err
	}
	a, err := parseDepositAddress(&raw, code, network, x.Config().KeepInfo)
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// wireTime is a time written as milliseconds (a number or a numeric
// string) or as "2006-01-02 15:04:05" in UTC, as the withdrawal history
// writes applyTime and completeTime.
type wireTime time.Time

// UnmarshalJSON reads 1661493146000, "1661493146000", "2019-10-12
// 11:12:02", "" or null (absent).
func (t *wireTime) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return errors.Wrap(errors.BadResponse, err, "a time that is not a string")
		}
	}
	if s == "" {
		return nil
	}
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil {
		if ms > 0 {
			*t = wireTime(millis(ms))
		}
		return nil
	}
	v, err := time.Parse(time.DateTime, s)
	if err != nil {
		return errors.Wrap(errors.BadResponse, err, "a time that is neither milliseconds nor \"2006-01-02 15:04:05\"")
	}
	*t = wireTime(v.UTC())
	return nil
}

// restTransaction is one entry of the deposit or withdrawal history.
type restTransaction struct {
	ID     idText `json:"id"`
	Amount string `json:"amount"`
	// TransactionFee is a withdrawal's fee, in the coin.
	TransactionFee string `json:"transactionFee"`
	Coin           string `json:"coin"`
	Network        string `json:"network"`
	Status         idText `json:"status"`
	Address        string `json:"address"`
	AddressTag     string `json:"addressTag"`
	// SourceAddress is a deposit's sending address (includeSource=true).
	SourceAddress string `json:"sourceAddress"`
	TxID          string `json:"txId"`
	// InsertTime is when a deposit was seen, ApplyTime when a withdrawal
	// was asked for; CompleteTime when a withdrawal completed.
	InsertTime   wireTime `json:"insertTime"`
	ApplyTime    wireTime `json:"applyTime"`
	CompleteTime wireTime `json:"completeTime"`
	// TransferType is 1 for a transfer inside Binance, 0 for one on chain.
	TransferType idText `json:"transferType"`
	// Info is a withdrawal's failure reason.
	Info string `json:"info"`
}

// depositStatuses are the deposit history's statuses (Deposit History:
// 0 pending, 6 credited but cannot withdraw, 7 wrong deposit, 8 waiting
// for the user's confirmation, 1 success, 2 rejected). CCXT maps 0, 1 and
// 6 only; a wrong deposit is not credited, and needs the user to recover
// it, so it is failed.
var depositStatuses = map[string]unified.TransactionStatus{
	"0": unified.TransactionPending,
	"8": unified.TransactionPending,
	"6": unified.TransactionOK,
	"1": unified.TransactionOK,
	"7": unified.TransactionFailed,
	"2": unified.TransactionFailed,
}

// withdrawalStatuses are the withdrawal history's statuses (Withdraw
// History: 0 email sent, 1 cancelled, 2 awaiting approval, 3 rejected, 4
// processing, 5 failure, 6 completed; the current page lists 0, 2, 3, 4
// and 6), mapped as CCXT maps them.
var withdrawalStatuses = map[string]unified.TransactionStatus{
	"0": unified.TransactionPending,
	"1": unified.TransactionCanceled,
	"2": unified.TransactionPending,
	"3": unified.TransactionFailed,
	"4": unified.TransactionPending,
	"5": unified.TransactionFailed,
	"6": unified.TransactionOK,
}

// parseTransaction turns a history entry of type typ into a unified
// transaction: the deposit's address is where it arrived (AddressTo, with
// the sender in AddressFrom when asked for), the withdrawal's where it
// went; Updated is a withdrawal's completeTime; Comment the failure
// reason Binance gives; the network code is unified. An internal
// transfer's txId ("Internal transfer 123") is kept as sent. An unknown
// status is kept as sent.
func parseTransaction(typ unified.TransactionType, r *restTransaction, keepInfo bool) (unified.Transaction, error) {
	if r.ID == "" || r.Coin == "" {
		return unified.Transaction{}, errors.Newf(errors.BadResponse, "a "+string(typ)+" without an id or a coin")
	}
	var ds decimals
	code := commonCode(r.Coin)
	t := unified.Transaction{ID: string(r.ID), TxID: r.TxID, Type: typ, Currency: code, Network: networks.Code(r.Network, code),
		Amount: ds.parse(r.Amount), Address: r.Address, AddressTo: r.Address, Tag: r.AddressTag, TagTo: r.AddressTag,
		AddressFrom: r.SourceAddress, Comment: r.Info}
	statuses := depositStatuses
	t.Timestamp = time.Time(r.InsertTime)
	if typ == unified.TransactionWithdrawal {
		statuses = withdrawalStatuses
		t.Timestamp = time.Time(r.ApplyTime)
		t.Updated = time.Time(r.CompleteTime)
	}
	if s, ok := statuses[string(r.Status)]; ok {
		t.Status = s
	} else {
		t.Status = unified.TransactionStatus(r.Status)
	}
	switch r.TransferType {
	case "0", "1":
		internal := r.TransferType == "1"
		t.Internal = &internal
	}
	if fee := ds.parse(r.TransactionFee); fee.Valid {
		t.Fee = unified.Fee{Currency: code, Cost: fee}
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
// first, from GET /sapi/v1/capital/deposit/hisrec (weight 1). Binance
// answers for at most 90 days per request (by default the last 90): with
// Since the adapter asks window after window from Since up to now (or to
// Params{"endTime": ms}) until Limit deposits are found, and the result is
// the oldest Limit of them; without Since it is Binance's default window,
// and Limit keeps the newest. A full page (1000) is followed by the next
// (offset). Params may add status, txId or includeSource.
func (x *Exchange) FetchDeposits(ctx context.Context, code string, opts ...exchange.Option) ([]unified.Transaction, error) {
	if err := x.wallet("FetchDeposits"); err != nil {
		return nil, err
	}
	return x.history(ctx, sapiGetCapitalDepositHisrec, unified.TransactionDeposit, code, exchange.Apply(opts))
}

// FetchWithdrawals returns the withdrawals of code ("" for every coin),
// oldest first, from GET /sapi/v1/capital/withdraw/history, with the
// windows, Since and Limit of FetchDeposits. Binance allows 10 of these
// requests a second. Params may add status, withdrawOrderId or idList.
func (x *Exchange) FetchWithdrawals(ctx context.Context, code string, opts ...exchange.Option) ([]unified.Transaction, error) {
	if err := x.wallet("FetchWithdrawals"); err != nil {
		return nil, err
	}
	return x.history(ctx, sapiGetCapitalWithdrawHistory, unified.TransactionWithdrawal, code, exchange.Apply(opts))
}

// history pages through a deposit or withdrawal history (see
// FetchDeposits).
func (x *Exchange) history(ctx context.Context, ep rest.Endpoint, typ unified.TransactionType, code string, o exchange.CallOptions) ([]unified.Transaction, error) {
	until, extra, err := takeMillis(o.Params, "endTime")
	if err != nil {
		return nil, err
	}
	offset, extra, err := takeMillis(extra, "offset")
	if err != nil {
		return nil, err
	}
	windows := adapter.HistoryWindows(o.SinceMillis(), until, x.REST().Now().UnixMilli(), historyWindow)
	var out []unified.Transaction
	seen := map[string]bool{}
	for _, w := range windows {
		for page := offset; ; {
			var p rest.Params
			if code != "" {
				p.Add("coin", codes.Native(code))
			}
			if w.Start > 0 {
				p.Add("startTime", strconv.FormatInt(w.Start, 10))
			}
			if w.End > 0 {
				p.Add("endTime", strconv.FormatInt(w.End, 10))
			}
			if page > 0 {
				p.Add("offset", strconv.FormatInt(page, 10))
			}
			limit := historyPage
			if o.Limit > 0 && len(windows) == 1 && w.Start == 0 {
				limit = min(o.Limit-len(out), historyPage) // newest first: the reply's first entries are the ones kept
			}
			p.Add("limit", strconv.Itoa(limit))
			if err := p.AddExtra(extra, "timestamp", "signature"); err != nil {
				return nil, err
			}
			var raw []restTransaction
			if err := x.REST().DoJSON(ctx, ep, p, &raw); err != nil {
				return nil, err
			}
			added := 0
			for i := range raw {
				t, err := parseTransaction(typ, &raw[i], x.Config().KeepInfo)
				if err != nil {
					return nil, err
				}
				if (code != "" && t.Currency != code) || seen[t.ID] {
					continue
				}
				seen[t.ID] = true
				out = append(out, t)
				added++
			}
			// A short page is the last; a page of nothing new too (a
			// venue that ignores offset must not loop).
			if len(raw) < limit || added == 0 || (o.Limit > 0 && len(out) >= o.Limit && w.Start == 0) {
				break
			}
			page += int64(len(raw))
		}
		if o.Limit > 0 && len(out) >= o.Limit {
			break // later windows hold later entries
		}
	}
	return adapter.TrimHistory(out, o.Since, o.Limit), nil
}

// takeMillis removes key from params (a copy) and reads it as a
// non-negative integer (an int, an int64, a json.Number or a decimal
// string), 0 when absent.
func takeMillis(params map[string]any, key string) (int64, map[string]any, error) {
	v, ok := params[key]
	if !ok {
		return 0, params, nil
	}
	text, err := rest.ParamText(v)
	n, perr := strconv.ParseInt(text, 10, 64)
	if err != nil || perr != nil || n < 0 {
		return 0, nil, errors.Newf(errors.BadRequest, "binance: Params "+strconv.Quote(key)+" must be a non-negative integer")
	}
	return n, without(params, key), nil
}

// restWithdrawal is the reply of POST /sapi/v1/capital/withdraw/apply.
type restWithdrawal struct {
	ID string `json:"id"`
}

// Withdraw sends amount of code to address, with tag as its memo or
// destination tag ("" for none), through POST
// /sapi/v1/capital/withdraw/apply (Binance counts it against the account's
// UID limit, weight 900). Params{"network": "TRC20"} (a unified code or
// Binance's id) picks the network, else the coin's default; Params may add
// withdrawOrderId, name, walletType or transactionFeeFlag. The amount is
// sent as given: Binance refuses one off the network's step (-4021) or
// below its minimum (-4022).
//
// The reply is only the withdrawal's id, so the result is what was asked
// for: the id, the currency, the amount, the address and tag, the network
// when one was named, and status pending (no time: Binance's applyTime is
// not in the reply).
// FetchWithdrawals (Params{"idList": id}) tells the rest.
//
// Each withdrawal carries a withdrawOrderId (Params', else a fresh
// "x-unifex-" id), so that one whose outcome is unknown (a timeout, a 5xx)
// is looked up once in the history by it and returned when Binance has it;
// otherwise the error names the id, for FetchWithdrawals with
// Params{"withdrawOrderId": id} later. It is never sent again.
func (x *Exchange) Withdraw(ctx context.Context, code string, amount decimal.Decimal, address, tag string, opts ...exchange.Option) (*unified.Transaction, error) {
	if err := x.wallet("Withdraw"); err != nil {
		return nil, err
	}
	switch {
	case code == "" || address == "":
		return nil, &errors.Error{Kind: errors.ArgumentsRequired, Exchange: x.p.id, Message: "Withdraw needs a currency code and an address"}
	case !amount.IsPositive():
		return nil, &errors.Error{Kind: errors.BadRequest, Exchange: x.p.id, Message: "a withdrawal's amount must be positive, not " + amount.String()}
	}
	id, network, extra, err := takeNetwork(exchange.Apply(opts).Params, code)
	if err != nil {
		return nil, err
	}
	var p rest.Params
	p.Add("coin", codes.Native(code))
	if id != "" {
		p.Add("network", id)
	}
	p.Add("address", address)
	if tag != "" {
		p.Add("addressTag", tag)
	}
	p.Add("amount", amount.String())
	var clientID string
	if v, given := extra["withdrawOrderId"]; given {
		clientID = fmt.Sprint(v)
	} else {
		clientID = clientIDs.New(x.REST().Sources())
		p.Add("withdrawOrderId", clientID)
	}
	if err := p.AddExtra(extra, "timestamp", "signature"); err != nil {
		return nil, err
	}
	var raw restWithdrawal
	if err := x.REST().DoJSON(ctx, sapiPostCapitalWithdrawApply, p, &raw); err != nil {
		return x.withdrawFailed(ctx, code, clientID, err)
	}
	t, err := parseWithdrawal(&raw, code, network, amount, address, tag, x.Config().KeepInfo)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// withdrawFailed answers a withdraw request that ended in err: a refusal as
// it is; an unknown outcome after one look-up by its withdrawOrderId.
func (x *Exchange) withdrawFailed(ctx context.Context, code, clientID string, err error) (*unified.Transaction, error) {
	lookup := func(ctx context.Context) (*unified.Transaction, bool) {
		ts, err := x.FetchWithdrawals(ctx, code, exchange.Params(map[string]any{"withdrawOrderId": clientID}))
		if err != nil || len(ts) != 1 {
			return nil, false
		}
		return &ts[0], true
	}
	return adapter.ResolveUnknown(ctx, err, outcomeUnknown, lookup, nil,
		"binance withdrawal with withdrawOrderId "+clientID+" may have been sent")
}

// parseWithdrawal is the withdrawal a withdraw reply acknowledges (see
// Withdraw).
func parseWithdrawal(r *restWithdrawal, code, network string, amount decimal.Decimal, address, tag string, keepInfo bool) (unified.Transaction, error) {
	if r.ID == "" {
		return unified.Transaction{}, errors.Newf(errors.BadResponse, "a withdraw reply without an id")
	}
	t := unified.Transaction{ID: r.ID, Type: unified.TransactionWithdrawal, Currency: code, Network: network,
		Amount: decimal.NewNullDecimal(amount), Status: unified.TransactionPending, Address: address, AddressTo: address,
		Tag: tag, TagTo: tag}
	if keepInfo {
		t.Info = *r
	}
	return t, nil
}
