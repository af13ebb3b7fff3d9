package okx

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/adapter"
	"github.com/unifex-go/unifex/internal/rest"
	"github.com/unifex-go/unifex/unified"
)

// The wallet: currencies with their chains, deposit addresses, the deposit
// and withdrawal history, and withdrawals, through the funding account's
// /api/v5/asset endpoints (docs-v5 "Funding Account": Get currencies, Get
// deposit address, Get deposit history, Get withdrawal history,
// Withdrawal), all signed. Deposits arrive in the funding account (or the
// trading account the address's "to" names) and withdrawals leave from the
// funding account, not from the trading account FetchBalance reads.
//
// OKX names a chain "<ccy>-<chain name>" ("USDT-TRC20", "USDT-Arbitrum
// One", "BTC-Bitcoin"). Network codes are CCXT's: the chain name, renamed
// by networkCodes (Bitcoin is "BTC", Arbitrum One "ARBONE", Polygon
// "MATIC", ...) and kept as it is when the table does not list it
// ("OKTC"); the native coin of its own chain keeps the chain's name (ETH on
// ERC20 is "ETH", TRX on TRC20 "TRX"). A request's Params{"network": ...}
// takes a unified code, an OKX chain name or a whole chain id.

// The wallet's endpoints, under "v5". OKX allows 6 requests a second per
// user on each.
var (
	epCurrencies     = rest.Endpoint{API: "v5", Path: "/asset/currencies", Signed: true}
	epDepositAddress = rest.Endpoint{API: "v5", Path: "/asset/deposit-address", Signed: true}
	epDepositHistory = rest.Endpoint{API: "v5", Path: "/asset/deposit-history", Signed: true}
	epWithdrawals    = rest.Endpoint{API: "v5", Path: "/asset/withdrawal-history", Signed: true}
	epWithdraw       = rest.Endpoint{API: "v5", Method: "POST", Path: "/asset/withdrawal", Signed: true}
)

// networkCodes maps OKX's chain names to the unified codes, as CCXT's
// options.networks does (the names it leaves out keep their own).
var networkCodes = map[string]string{
	"Bitcoin": "BTC", "Lightning": "BTCLIGHTNING", "BSC": "BEP20", "BRC20": "BRC20", "ERC20": "ERC20", "TRC20": "TRC20",
	"Crypto": "CRC20", "Acala": "ACA", "Algorand": "ALGO", "Aptos": "APT", "Scroll": "SCROLL", "Arbitrum One": "ARBONE",
	"Avalanche C-Chain": "AVAXC", "Avalanche X-Chain": "AVAXX", "Base": "BASE", "SUI": "SUI", "zkSync Era": "ZKSYNCERA",
	"Linea": "LINEA", "Arweave": "AR", "Astar": "ASTR", "BitcoinCash": "BCH", "Bitcoin SV": "BSV", "Cardano": "ADA",
	"Casper": "CSPR", "CELO": "CELO", "Chia": "XCH", "Cosmos": "ATOM", "Digibyte": "DGB", "Dogecoin": "DOGE", "Elrond": "EGLD",
	"Conflux": "CFX", "EOS": "EOS", "CORE": "CORE", "Ethereum Classic": "ETC", "EthereumPow": "ETHW", "Filecoin": "FIL",
	"Harmony": "ONE", "Hedera": "HBAR", "ICON": "ICX", "Dfinity": "ICP", "IOST": "IOST", "MIOTA": "IOTA", "Klaytn": "KLAY",
	"Kusama": "KSM", "Lisk": "LSK", "Litecoin": "LTC", "Metis": "METIS", "Mina": "MINA", "Moonbeam": "GLRM", "Moonriver": "MOVR",
	"Nano": "NANO", "NEAR": "NEAR", "NULS": "NULS", "OASYS": "OASYS", "Ontology": "ONT", "Optimism": "OPTIMISM", "PlatON": "LAT",
	"Polkadot": "DOT", "Polygon": "MATIC", "Ravencoin": "RVN", "Ripple": "XRP", "Siacoin": "SC", "Solana": "SOL", "l-Stacks": "STX",
	"Stellar Lumens": "XLM", "Tezos": "XTZ", "TON": "TON", "Theta": "THETA", "Wax": "WAX", "Zilliqa": "ZIL",
}

// networkNames maps unified codes (and CCXT's aliases) to OKX's chain
// names.
var networkNames = func() map[string]string {
	m := make(map[string]string, len(networkCodes)+3)
	for name, code := range networkCodes {
		m[code] = name
	}
	m["BTCLN"], m["ETH"], m["TRX"] = "Lightning", "ERC20", "TRC20"
	return m
}()

// nativeNetworks are the coins whose own chain is named after a token
// standard: on it the network code is the coin's.
var nativeNetworks = map[string]string{"ETH": "ERC20", "TRX": "TRC20"}

// chainName is the chain name of an OKX chain id of currency ccy
// ("USDT-Arbitrum One" → "Arbitrum One").
func chainName(chain, ccy string) string {
	if rest, ok := strings.CutPrefix(chain, ccy+"-"); ok && ccy != "" {
		return rest
	}
	if _, rest, ok := strings.Cut(chain, "-"); ok {
		return rest
	}
	return chain
}

// networkCode is the unified code of OKX chain id chain of currency ccy
// ("" for none).
func networkCode(chain, ccy string) string {
	if chain == "" {
		return ""
	}
	name := chainName(chain, ccy)
	if nativeNetworks[codes.Common(ccy)] == name {
		return codes.Common(ccy)
	}
	if c, ok := networkCodes[name]; ok {
		return c
	}
	return name
}

// chainID is OKX's chain id, for currency id ccy, of network: a unified
// code, a chain name or a chain id.
func chainID(network, ccy string) string {
	if strings.HasPrefix(network, ccy+"-") {
		return network
	}
	if name, ok := networkNames[strings.ToUpper(network)]; ok {
		return ccy + "-" + name
	}
	return ccy + "-" + network
}

// restCurrency is one chain of one currency of GET asset/currencies.
type restCurrency struct {
	Ccy         string `json:"ccy"`
	Name        string `json:"name"`
	Chain       string `json:"chain"`
	CanDep      *bool  `json:"canDep"`
	CanWd       *bool  `json:"canWd"`
	CanInternal *bool  `json:"canInternal"`
	MinDep      string `json:"minDep"`
	MinWd       string `json:"minWd"`
	MaxWd       string `json:"maxWd"`
	// WdTickSz is the withdrawal amount's precision, in decimal places.
	WdTickSz string `json:"wdTickSz"`
	// Fee is the fixed on-chain withdrawal fee; MinFee its deprecated
	// predecessor, read when Fee is absent.
	Fee     string `json:"fee"`
	MinFee  string `json:"minFee"`
	MainNet bool   `json:"mainNet"`
	NeedTag bool   `json:"needTag"`
}

// parseCurrencies groups the chains of GET asset/currencies by currency,
// in the order the reply first names them. Per network: deposit and
// withdraw enabled (canDep, canWd), active when both and internal
// transfers are, the fee (fee, else minFee), the amount step 10^-wdTickSz,
// the withdrawal bounds (minWd, maxWd) and the deposit minimum (minDep).
// The currency takes, as CCXT's safeCurrencyStructure derives them:
// deposit (withdraw, active) enabled when any network's is, the coarsest
// step, the smallest minimum and the largest maximum; its Fee is the fee of
// its main-net chain (else the first), its Name the first chain's.
func parseCurrencies(rows []restCurrency, keepInfo bool) ([]unified.Currency, error) {
	var out []unified.Currency
	index := map[string]int{}
	var ds decimals
	for i := range rows {
		r := &rows[i]
		if r.Ccy == "" || r.Chain == "" {
			return nil, errors.Newf(errors.BadResponse, "okx: a currency without its ccy or chain")
		}
		at, seen := index[r.Ccy]
		if !seen {
			at = len(out)
			index[r.Ccy] = at
			out = append(out, unified.Currency{ID: r.Ccy, Code: codes.Common(r.Ccy), Name: r.Name, Networks: map[string]unified.Network{}})
		}
		c := &out[at]
		n := unified.Network{ID: r.Chain, Network: networkCode(r.Chain, r.Ccy), Deposit: r.CanDep, Withdraw: r.CanWd,
			Fee: ds.parse(r.Fee), Precision: ds.places(r.WdTickSz),
			Limits: unified.CurrencyLimits{
				Withdraw: unified.MinMax{Min: ds.parse(r.MinWd), Max: ds.parse(r.MaxWd)},
				Deposit:  unified.MinMax{Min: ds.parse(r.MinDep)},
			}}
		if !n.Fee.Valid {
			n.Fee = ds.parse(r.MinFee)
		}
		if r.CanDep != nil && r.CanWd != nil && r.CanInternal != nil {
			active := *r.CanDep && *r.CanWd && *r.CanInternal
			n.Active = &active
		}
		if keepInfo {
			n.Info = *r
			c.Info = append(infoRows(c.Info), *r)
		}
		if _, dup := c.Networks[n.Network]; dup {
			continue // a second chain under the same code (a bridge): the first stays
		}
		c.AddNetwork(n)
		if r.MainNet || len(c.Networks) == 1 {
			c.Fee = n.Fee
		}
	}
	if ds.err != nil {
		return nil, ds.err
	}
	return out, nil
}

// infoRows is a currency's Info so far: the chains kept.
func infoRows(info any) []restCurrency {
	rows, _ := info.([]restCurrency)
	return rows
}

// places reads a number of decimal places as the step it gives
// ("8" → 0.00000001); "" is absent.
func (ds *decimals) places(s string) decimal.NullDecimal {
	if s == "" {
		return decimal.NullDecimal{}
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 30 {
		ds.fail(errors.Newf(errors.BadResponse, "okx: malformed decimal places "+strconv.Quote(s)))
		return decimal.NullDecimal{}
	}
	return decimal.NewNullDecimal(decimal.New(1, int32(-n)))
}

// FetchCurrencies returns every currency the account can deposit or
// withdraw with its chains (GET asset/currencies; Params{"ccy": "BTC,ETH"}
// narrows it). See parseCurrencies for what is derived. The markets do not
// load it: it is signed, and the currencies they derive carry no network.
func (x *Exchange) FetchCurrencies(ctx context.Context, opts ...exchange.Option) ([]unified.Currency, error) {
	var p rest.Params
	if err := p.AddExtra(exchange.Apply(opts).Params); err != nil {
		return nil, err
	}
	rows, err := get[restCurrency](ctx, x, epCurrencies, p)
	if err != nil {
		return nil, err
	}
	return parseCurrencies(rows, x.Config().KeepInfo)
}

// restDepositAddress is one address of GET asset/deposit-address.
type restDepositAddress struct {
	Ccy   string `json:"ccy"`
	Chain string `json:"chain"`
	Addr  string `json:"addr"`
	// Tag, Memo and PmtID are the memo some chains need, under the name
	// the chain uses; AddrEx.Comment is TON's.
	Tag    string `json:"tag"`
	Memo   string `json:"memo"`
	PmtID  string `json:"pmtId"`
	AddrEx struct {
		Comment string `json:"comment"`
	} `json:"addrEx"`
	// To is the account deposits credit: 6 funding, 18 trading.
	To string `json:"to"`
	// Selected marks the address the account uses on its chain.
	Selected bool `json:"selected"`
}

// parseDepositAddress turns one address into the unified structure.
func parseDepositAddress(r *restDepositAddress, keepInfo bool) (unified.DepositAddress, error) {
	if r.Addr == "" || r.Ccy == "" {
		return unified.DepositAddress{}, errors.Newf(errors.BadResponse, "okx: a deposit address without its addr or ccy")
	}
	a := unified.DepositAddress{Currency: codes.Common(r.Ccy), Network: networkCode(r.Chain, r.Ccy), Address: r.Addr}
	for _, tag := range []string{r.Tag, r.PmtID, r.Memo, r.AddrEx.Comment} {
		if tag != "" {
			a.Tag = tag
			break
		}
	}
	if keepInfo {
		a.Info = *r
	}
	return a, nil
}

// FetchDepositAddress returns the address to deposit code to (GET
// asset/deposit-address, which lists every chain's addresses; the one
// OKX marks selected is taken). Params{"network": "TRC20"} (a unified
// code, a chain name or a chain id) picks the chain, and InvalidAddress
// says the currency has none there; without one it is the currency's own
// chain when it has one (BTC on Bitcoin), else the first listed, as CCXT
// picks. An empty Tag means the deposit needs no memo.
func (x *Exchange) FetchDepositAddress(ctx context.Context, code string, opts ...exchange.Option) (*unified.DepositAddress, error) {
	if code == "" {
		return nil, &errors.Error{Kind: errors.ArgumentsRequired, Exchange: ID, Message: "FetchDepositAddress needs a currency code"}
	}
	network, extra, err := takeString(exchange.Apply(opts).Params, "network")
	if err != nil {
		return nil, err
	}
	ccy := codes.Native(code)
	var p rest.Params
	p.Add("ccy", ccy)
	if err := p.AddExtra(extra); err != nil {
		return nil, err
	}
	rows, err := get[restDepositAddress](ctx, x, epDepositAddress, p)
	if err != nil {
		return nil, err
	}
	want := ""
	if network != "" {
		want = networkCode(chainID(network, ccy), ccy)
	}
	pick := pickAddress(rows, code, want)
	if pick == nil {
		what := code
		if want != "" {
			what += " on " + want
		}
		return nil, &errors.Error{Kind: errors.InvalidAddress, Exchange: ID, Message: "okx: no deposit address for " + what}
	}
	a, err := parseDepositAddress(pick, x.Config().KeepInfo)
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// pickAddress is the selected address on network want (a unified code), or
// when want is "" on the currency's own chain, else the first selected; nil
// when there is none.
func pickAddress(rows []restDepositAddress, code, want string) *restDepositAddress {
	var first *restDepositAddress
	for i := range rows {
		r := &rows[i]
		if !r.Selected {
			continue
		}
		got := networkCode(r.Chain, r.Ccy)
		if (want != "" && got == want) || (want == "" && got == code) {
			return r
		}
		if first == nil {
			first = r
		}
	}
	if want != "" {
		return nil
	}
	return first
}

// restTransaction is one entry of the deposit or withdrawal history.
type restTransaction struct {
	Ccy   string `json:"ccy"`
	Chain string `json:"chain"`
	Amt   string `json:"amt"`
	From  string `json:"from"`
	To    string `json:"to"`
	// Tag, PmtID and Memo are a withdrawal's memo, as the chain names it.
	Tag   string `json:"tag"`
	PmtID string `json:"pmtId"`
	Memo  string `json:"memo"`
	TxID  string `json:"txId"`
	Ts    string `json:"ts"`
	State string `json:"state"`
	// DepID is a deposit's id, WdID a withdrawal's; ClientID the
	// withdrawal's clientId.
	DepID    string `json:"depId"`
	WdID     string `json:"wdId"`
	ClientID string `json:"clientId"`
	// Fee and FeeCcy are a withdrawal's fee.
	Fee    string `json:"fee"`
	FeeCcy string `json:"feeCcy"`
	// Type is 3 for a transfer inside OKX, 4 for one on chain.
	Type string `json:"type"`
}

// depositStates are the deposit history's states (Get deposit history: 0
// waiting for confirmation, 1 deposit credited, 2 deposit successful, 8
// pending due to a temporary deposit suspension, 11 matched the address
// blacklist, 12 account or deposit frozen, 13 sub-account deposit
// interception, 14 KYC limit, 17 pending response from the Travel Rule
// vendor). CCXT maps only 0-2 with the withdrawal states, which makes a
// credited deposit (1) pending; credited funds are the account's, so it is
// ok here, as binance's credited-but-locked deposits are. A blacklisted
// deposit is refused: failed; the held ones (12-14) wait for the user:
// pending.
var depositStates = map[string]unified.TransactionStatus{
	"0": unified.TransactionPending, "1": unified.TransactionOK, "2": unified.TransactionOK,
	"8": unified.TransactionPending, "11": unified.TransactionFailed, "12": unified.TransactionPending,
	"13": unified.TransactionPending, "14": unified.TransactionPending, "17": unified.TransactionPending,
}

// withdrawalStates are the withdrawal history's final states (Get
// withdrawal history: -2 canceled, -1 failed, 2 success); every other one
// (0 waiting, 1 broadcasting, 4-6, 8, 9, 12 manual review, 7 approved, 10
// waiting transfer, 15 validating, 16 delayed by local rules, 17 Travel
// Rule, 19 hot wallet short, -3 canceling) is on its way: pending, as CCXT
// maps them.
var withdrawalStates = map[string]unified.TransactionStatus{
	"-2": unified.TransactionCanceled, "-1": unified.TransactionFailed, "2": unified.TransactionOK,
}

// parseTransaction turns a history entry of type typ into a unified
// transaction: Address is "to" (a deposit's address, a withdrawal's
// destination), AddressFrom "from" (OKX writes an account's email or
// phone there for internal transfers); a withdrawal's memo is tag, pmtId
// or memo; its fee is fee in feeCcy (a deposit's fee is zero, as CCXT
// writes it). An unknown state is kept as sent.
func parseTransaction(typ unified.TransactionType, r *restTransaction, keepInfo bool) (unified.Transaction, error) {
	id := r.DepID
	states := depositStates
	if typ == unified.TransactionWithdrawal {
		id, states = r.WdID, withdrawalStates
	}
	if id == "" || r.Ccy == "" {
		return unified.Transaction{}, errors.Newf(errors.BadResponse, "okx: a "+string(typ)+" without its id or ccy")
	}
	var ds decimals
	code := codes.Common(r.Ccy)
	t := unified.Transaction{ID: id, TxID: r.TxID, Type: typ, Currency: code, Network: networkCode(r.Chain, r.Ccy),
		Amount: ds.parse(r.Amt), Address: r.To, AddressTo: r.To, AddressFrom: r.From, Timestamp: ds.time(r.Ts)}
	for _, tag := range []string{r.Tag, r.PmtID, r.Memo} {
		if tag != "" {
			t.Tag, t.TagTo = tag, tag
			break
		}
	}
	if s, ok := states[r.State]; ok {
		t.Status = s
	} else if typ == unified.TransactionWithdrawal && r.State != "" {
		t.Status = unified.TransactionPending
	} else {
		t.Status = unified.TransactionStatus(r.State)
	}
	switch r.Type {
	case "3", "4":
		internal := r.Type == "3"
		t.Internal = &internal
	}
	if typ == unified.TransactionDeposit {
		t.Fee = unified.Fee{Currency: code, Cost: decimal.NewNullDecimal(decimal.Zero)}
	} else if fee := ds.parse(r.Fee); fee.Valid {
		t.Fee = unified.Fee{Currency: code, Cost: fee}
		if r.FeeCcy != "" {
			t.Fee.Currency = codes.Common(r.FeeCcy)
		}
	}
	if ds.err != nil {
		return unified.Transaction{}, ds.err
	}
	if keepInfo {
		t.Info = *r
	}
	return t, nil
}

// walletPage is the most entries one history reply holds.
const walletPage = 100

// FetchDeposits returns the deposits of code ("" for every currency),
// oldest first, from GET asset/deposit-history (newest first, 100 a page,
// paged back with after = the oldest ts seen). Without Since the newest
// Limit are kept (paging stops once they are found); with Since pages go
// back to it (before = Since - 1) and the oldest Limit from it are kept.
// Params{"after": ms} starts from an earlier end; Params may add type,
// state, depId, txId or fromWdId.
func (x *Exchange) FetchDeposits(ctx context.Context, code string, opts ...exchange.Option) ([]unified.Transaction, error) {
	return x.history(ctx, epDepositHistory, unified.TransactionDeposit, code, exchange.Apply(opts))
}

// FetchWithdrawals returns the withdrawals of code ("" for every
// currency), oldest first, from GET asset/withdrawal-history, paged as
// FetchDeposits pages. Params may add type, state, wdId, clientId or txId.
func (x *Exchange) FetchWithdrawals(ctx context.Context, code string, opts ...exchange.Option) ([]unified.Transaction, error) {
	return x.history(ctx, epWithdrawals, unified.TransactionWithdrawal, code, exchange.Apply(opts))
}

// history pages through a deposit or withdrawal history (see
// FetchDeposits).
func (x *Exchange) history(ctx context.Context, ep rest.Endpoint, typ unified.TransactionType, code string, o exchange.CallOptions) ([]unified.Transaction, error) {
	after, extra, err := takeString(o.Params, "after")
	if err != nil {
		return nil, err
	}
	if o.SinceMillis() > 0 {
		if _, given := extra["before"]; given {
			return nil, errors.Newf(errors.BadRequest, "okx: Params \"before\" is set by Since")
		}
	}
	var out []unified.Transaction
	seen := map[string]bool{}
	for {
		var p rest.Params
		if code != "" {
			p.Add("ccy", codes.Native(code))
		}
		if after != "" {
			p.Add("after", after)
		}
		if since := o.SinceMillis(); since > 0 {
			p.Add("before", strconv.FormatInt(max(since-1, 0), 10))
		}
		p.Add("limit", strconv.Itoa(walletPage))
		if err := p.AddExtra(extra); err != nil {
			return nil, err
		}
		rows, err := get[restTransaction](ctx, x, ep, p)
		if err != nil {
			return nil, err
		}
		added := 0
		var oldest int64
		for i := range rows {
			t, err := parseTransaction(typ, &rows[i], x.Config().KeepInfo)
			if err != nil {
				return nil, err
			}
			if ms := t.Timestamp.UnixMilli(); !t.Timestamp.IsZero() && (oldest == 0 || ms < oldest) {
				oldest = ms
			}
			if seen[t.ID] {
				continue
			}
			seen[t.ID] = true
			out = append(out, t)
			added++
		}
		// A short page is the last; so is a page of nothing new (entries
		// sharing a ts across pages are asked for again) or no time to page
		// back from.
		if len(rows) < walletPage || added == 0 || oldest == 0 || (o.Limit > 0 && o.Since.IsZero() && len(out) >= o.Limit) {
			break
		}
		after = strconv.FormatInt(oldest+1, 10) // entries at the oldest ts may continue on the next page
	}
	slices.SortStableFunc(out, func(a, b unified.Transaction) int { return a.Timestamp.Compare(b.Timestamp) })
	if !o.Since.IsZero() {
		out = slices.DeleteFunc(out, func(t unified.Transaction) bool { return !t.Timestamp.IsZero() && t.Timestamp.Before(o.Since) })
		if o.Limit > 0 && len(out) > o.Limit {
			out = out[:o.Limit]
		}
		return out, nil
	}
	return capNewest(out, o.Limit), nil
}

// restWithdrawal is the reply of POST asset/withdrawal.
type restWithdrawal struct {
	WdID     string `json:"wdId"`
	Ccy      string `json:"ccy"`
	Chain    string `json:"chain"`
	Amt      string `json:"amt"`
	ClientID string `json:"clientId"`
}

// Withdraw sends amount of code to address from the funding account, with
// tag as its memo ("" for none; OKX takes it as "address:tag"), through
// POST asset/withdrawal with dest 4 (on chain). Params{"network": "TRC20"}
// (a unified code, a chain name or a chain id) picks the chain, which OKX
// requires for most currencies; Params may add dest ("3" for an internal
// transfer to an OKX account, then address is its email, phone or login),
// toAddrType, fee (the fee, which OKX no longer requires), areaCode or
// rcvrInfo. OKX charges the chain's fee on top of amount.
//
// The result is the withdrawal as asked for with OKX's wdId, status
// pending (OKX's reply has no time). FetchWithdrawals
// (Params{"wdId": id}) tells the rest.
//
// Each withdrawal carries a clientId (Params', else a fresh "unifex" id),
// so that one whose outcome is unknown (a timeout, a 5xx) is looked up once
// in the history by it and returned when OKX has it; otherwise the error
// names the id, for FetchWithdrawals with Params{"clientId": id} later. It
// is never sent again.
func (x *Exchange) Withdraw(ctx context.Context, code string, amount decimal.Decimal, address, tag string, opts ...exchange.Option) (*unified.Transaction, error) {
	switch {
	case code == "" || address == "":
		return nil, &errors.Error{Kind: errors.ArgumentsRequired, Exchange: ID, Message: "Withdraw needs a currency code and an address"}
	case !amount.IsPositive():
		return nil, &errors.Error{Kind: errors.BadRequest, Exchange: ID, Message: "a withdrawal's amount must be positive, not " + amount.String()}
	}
	network, extra, err := takeString(exchange.Apply(opts).Params, "network")
	if err != nil {
		return nil, err
	}
	clientID, extra, err := takeString(extra, "clientId")
	if err != nil {
		return nil, err
	}
	switch {
	case clientID == "":
		clientID = clientIDs.New(x.REST().Sources())
	case !clientIDs.Valid(clientID):
		return nil, errors.Newf(errors.BadRequest, "okx: clientId "+strconv.Quote(clientID)+" is not 1 to 32 letters and digits")
	}
	ccy := codes.Native(code)
	to := address
	if tag != "" {
		to += ":" + tag
	}
	b := map[string]any{"ccy": ccy, "amt": amount.String(), "toAddr": to, "clientId": clientID}
	chain := ""
	if network != "" {
		chain = chainID(network, ccy)
		b["chain"] = chain
	}
	if err := addBody(b, extra); err != nil {
		return nil, err
	}
	if _, given := b["dest"]; !given {
		b["dest"] = "4"
	}
	rows, err := post[restWithdrawal](ctx, x, epWithdraw, b)
	if err != nil {
		return x.withdrawFailed(ctx, code, clientID, err)
	}
	if len(rows) == 0 || rows[0].WdID == "" {
		return nil, errors.Newf(errors.BadResponse, "okx: a withdrawal reply without wdId")
	}
	t := unified.Transaction{ID: rows[0].WdID, Type: unified.TransactionWithdrawal, Currency: code, Network: networkCode(chain, ccy),
		Amount: decimal.NewNullDecimal(amount), Status: unified.TransactionPending, Address: address, AddressTo: address, Tag: tag, TagTo: tag}
	if rows[0].Chain != "" {
		t.Network = networkCode(rows[0].Chain, ccy)
	}
	if x.Config().KeepInfo {
		t.Info = rows[0]
	}
	return &t, nil
}

// withdrawFailed answers a withdrawal that ended in err: a refusal as it
// is; an unknown outcome after one look-up by its clientId.
func (x *Exchange) withdrawFailed(ctx context.Context, code, clientID string, err error) (*unified.Transaction, error) {
	lookup := func(ctx context.Context) (*unified.Transaction, bool) {
		ts, err := x.FetchWithdrawals(ctx, code, exchange.Params(map[string]any{"clientId": clientID}))
		if err != nil || len(ts) != 1 {
			return nil, false
		}
		return &ts[0], true
	}
	return adapter.ResolveUnknown(ctx, err, outcomeUnknown, lookup, nil,
		"okx withdrawal with clientId "+clientID+" may have been sent")
}
