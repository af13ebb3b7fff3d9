package okxtest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// The funding account's wallet (docs-v5 "Funding Account"), signed: GET
// /api/v5/asset/currencies (one row per currency and chain), GET
// asset/deposit-address (per chain the address in use, selected, and an
// older one that is not), GET asset/deposit-history and
// asset/withdrawal-history (newest first; after/before are ts bounds,
// limit at most 100), and POST asset/withdrawal, which checks the chain,
// the amount's precision and minimum, the memo a chain needs and the
// funding balance (amt plus the chain's fee), debits it, and lists the
// withdrawal as waiting (state 0) under its wdId and clientId. The funding
// account is apart from the trading account: it starts with
// FundingBalances. Deposit credits one, CompleteWithdrawals completes the
// waiting withdrawals (state 2), for tests.

// FundingBalances are the funding account's balances at Start.
var FundingBalances = map[string]string{"USDT": "50000", "BTC": "2", "ETH": "20"}

// chain is one chain a currency moves on.
type chain struct {
	ccy, name                 string
	fee, minWd, maxWd, minDep string
	tick                      int // withdrawal precision, decimal places
	mainNet, needTag          bool
}

// id is OKX's chain id, "USDT-TRC20".
func (c chain) id() string { return c.ccy + "-" + c.name }

// walletChains are the chains of the fake's currencies, in the order the
// currencies endpoint lists them.
var walletChains = []chain{
	{ccy: "BTC", name: "Bitcoin", fee: "0.0001", minWd: "0.0005", maxWd: "500", minDep: "0.00005", tick: 8, mainNet: true},
	{ccy: "ETH", name: "ERC20", fee: "0.0008", minWd: "0.001", maxWd: "10000", minDep: "0.0001", tick: 8, mainNet: true},
	{ccy: "ETH", name: "Arbitrum One", fee: "0.0001", minWd: "0.0001", maxWd: "10000", minDep: "0.0001", tick: 8},
	{ccy: "USDT", name: "ERC20", fee: "3", minWd: "10", maxWd: "10000000", minDep: "1", tick: 6},
	{ccy: "USDT", name: "TRC20", fee: "1", minWd: "2", maxWd: "10000000", minDep: "1", tick: 6},
	{ccy: "USDT", name: "TON", fee: "0.5", minWd: "1", maxWd: "1000000", minDep: "1", tick: 6, needTag: true},
}

// chainOf is the chain with id; a currency's first chain when id is "".
func chainOf(ccy, id string) (chain, bool) {
	for _, c := range walletChains {
		if c.ccy == ccy && (id == "" || c.id() == id) {
			return c, true
		}
	}
	return chain{}, false
}

// walletTx is a deposit or a withdrawal.
type walletTx struct {
	id, ccy, chain string
	amt, fee       decimal.Decimal
	from, to, tag  string
	txID, clientID string
	state          string
	internal       bool
	at             time.Time
}

// walletState is the funding account: balances, deposits and withdrawals
// (oldest first).
type walletState struct {
	funding               map[string]decimal.Decimal
	deposits, withdrawals []*walletTx
	nextID                int64
}

func newWallet() *walletState {
	w := &walletState{funding: map[string]decimal.Decimal{}, nextID: 80_000_000}
	for ccy, amt := range FundingBalances {
		w.funding[ccy] = decimalOf(amt)
	}
	return w
}

// walletRoutes are the wallet's signed endpoints.
func (s *Server) walletRoutes() map[string]handler {
	return map[string]handler{
		"GET /api/v5/asset/currencies":         s.restCurrencies,
		"GET /api/v5/asset/deposit-address":    s.restDepositAddress,
		"GET /api/v5/asset/deposit-history":    s.restDepositHistory,
		"GET /api/v5/asset/withdrawal-history": s.restWithdrawalHistory,
		"POST /api/v5/asset/withdrawal":        s.restWithdraw,
	}
}

func (s *Server) restCurrencies(q url.Values, _ []byte, _ time.Time) (any, *apiError) {
	want := q.Get("ccy")
	out := []any{}
	for _, c := range walletChains {
		if want != "" && !slices.Contains(strings.Split(want, ","), c.ccy) {
			continue
		}
		out = append(out, map[string]any{"ccy": c.ccy, "name": c.ccy, "logoLink": "", "chain": c.id(), "ctAddr": "",
			"canDep": true, "canWd": true, "canInternal": true, "depEstOpenTime": "", "wdEstOpenTime": "",
			"minDep": c.minDep, "minWd": c.minWd, "minInternal": "0.000001", "maxWd": c.maxWd, "wdTickSz": strconv.Itoa(c.tick),
			"wdQuota": "10000000", "usedWdQuota": "0", "fee": c.fee, "minFee": c.fee, "maxFee": c.fee, "minFeeForCtAddr": c.fee,
			"maxFeeForCtAddr": c.fee, "burningFeeRate": "", "mainNet": c.mainNet, "needTag": c.needTag,
			"minDepArrivalConfirm": "12", "minWdUnlockConfirm": "24", "depQuotaFixed": "", "usedDepQuotaFixed": "",
			"depQuoteDailyLayer2": ""})
	}
	return out, nil
}

// address is the account's deposit address of kind on a chain ("old" for
// the one no longer selected), in the chain's form, the same on every
// call.
func address(kind string, c chain) string {
	sum := sha256.Sum256([]byte(kind + "|" + c.id()))
	h := hex.EncodeToString(sum[:])
	switch {
	case c.name == "Bitcoin":
		return "bc1q" + h[:38]
	case c.name == "TRC20":
		return "T" + strings.ToUpper(h[:33])
	case c.name == "TON":
		return "EQ" + h[:46]
	}
	return "0x" + h[:40]
}

// memo is the account's deposit memo on a chain that needs one.
func memo(c chain) string {
	sum := sha256.Sum256([]byte("memo|" + c.id()))
	return strconv.FormatUint(uint64(sum[0])<<16|uint64(sum[1])<<8|uint64(sum[2]), 10)
}

func (s *Server) restDepositAddress(q url.Values, _ []byte, _ time.Time) (any, *apiError) {
	ccy := q.Get("ccy")
	if ccy == "" {
		return nil, emptyParam("ccy")
	}
	out := []any{}
	for _, c := range walletChains {
		if c.ccy != ccy {
			continue
		}
		for _, kind := range []string{"old", "deposit"} {
			a := map[string]any{"chain": c.id(), "ctAddr": "", "ccy": ccy, "to": "6", "verifiedName": "", "addr": address(kind, c),
				"selected": kind == "deposit"}
			if c.needTag {
				a["addrEx"] = map[string]string{"comment": memo(c)}
			}
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		return nil, badParam("ccy")
	}
	return out, nil
}

// historyFilter reads a history request's ccy, id, clientId, txId, type,
// state, after, before and limit.
type historyFilter struct {
	ccy, id, clientID, txID, typ, state string
	after, before                       int64
	limit                               int
}

func historyParams(q url.Values, idKey string) (historyFilter, *apiError) {
	h := historyFilter{ccy: q.Get("ccy"), id: q.Get(idKey), clientID: q.Get("clientId"), txID: q.Get("txId"), typ: q.Get("type"),
		state: q.Get("state")}
	for name, dst := range map[string]*int64{"after": &h.after, "before": &h.before} {
		if v := q.Get(name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				return h, badParam(name)
			}
			*dst = n
		}
	}
	n, e := limitOf(q, 100, 100)
	h.limit = n
	return h, e
}

// pick returns the entries of txs that h keeps, newest first.
func (h historyFilter) pick(txs []*walletTx) []*walletTx {
	var out []*walletTx
	for i := len(txs) - 1; i >= 0 && len(out) < h.limit; i-- {
		t := txs[i]
		ms := t.at.UnixMilli()
		typ := "4"
		if t.internal {
			typ = "3"
		}
		if (h.ccy != "" && t.ccy != h.ccy) || (h.id != "" && t.id != h.id) || (h.clientID != "" && t.clientID != h.clientID) ||
			(h.txID != "" && t.txID != h.txID) || (h.typ != "" && h.typ != typ) || (h.state != "" && h.state != t.state) ||
			(h.after > 0 && ms >= h.after) || (h.before > 0 && ms <= h.before) {
			continue
		}
		out = append(out, t)
	}
	return out
}

func (s *Server) restDepositHistory(q url.Values, _ []byte, _ time.Time) (any, *apiError) {
	h, e := historyParams(q, "depId")
	if e != nil {
		return nil, e
	}
	out := []any{}
	for _, d := range h.pick(s.wallet.deposits) {
		out = append(out, map[string]any{"actualDepBlkConfirm": "12", "amt": d.amt.String(), "areaCodeFrom": "", "ccy": d.ccy,
			"chain": d.chain, "depId": d.id, "from": d.from, "fromWdId": "", "state": d.state, "to": d.to, "ts": ms(d.at), "txId": d.txID})
	}
	return out, nil
}

func (s *Server) restWithdrawalHistory(q url.Values, _ []byte, _ time.Time) (any, *apiError) {
	h, e := historyParams(q, "wdId")
	if e != nil {
		return nil, e
	}
	out := []any{}
	for _, w := range h.pick(s.wallet.withdrawals) {
		out = append(out, map[string]any{"chain": w.chain, "fee": w.fee.String(), "feeCcy": w.ccy, "ccy": w.ccy, "clientId": w.clientID,
			"amt": w.amt.String(), "txId": w.txID, "from": "fake@okxtest", "areaCodeFrom": "", "to": w.to, "areaCodeTo": "", "tag": w.tag,
			"pmtId": "", "memo": "", "addrEx": nil, "state": w.state, "nonTradableAsset": false, "ts": ms(w.at), "wdId": w.id,
			"toAddrType": "1", "note": ""})
	}
	return out, nil
}

// withdrawArgs is the body of POST asset/withdrawal.
type withdrawArgs struct {
	Ccy, Amt, Dest, ToAddr, Chain, ClientID, Fee, ToAddrType string
}

func (s *Server) restWithdraw(_ url.Values, body []byte, now time.Time) (any, *apiError) {
	var a withdrawArgs
	if len(body) == 0 {
		return nil, &apiError{http.StatusBadRequest, "50000", "Body for POST request cannot be empty."}
	}
	if err := json.Unmarshal(body, &a); err != nil {
		return nil, &apiError{http.StatusBadRequest, "50002", "JSON syntax error"}
	}
	for name, v := range map[string]string{"ccy": a.Ccy, "amt": a.Amt, "dest": a.Dest, "toAddr": a.ToAddr} {
		if v == "" {
			return nil, emptyParam(name)
		}
	}
	c, ok := chainOf(a.Ccy, a.Chain)
	if !ok {
		return nil, badParam("chain")
	}
	amt, err := decimal.NewFromString(a.Amt)
	switch {
	case err != nil || !amt.IsPositive() || !amt.Equal(amt.Truncate(int32(c.tick))):
		return nil, badParam("amt")
	case a.Dest != "3" && a.Dest != "4":
		return nil, badParam("dest")
	case len(a.ClientID) > 32 || strings.IndexFunc(a.ClientID, func(r rune) bool {
		return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9')
	}) >= 0:
		return nil, badParam("clientId")
	}
	internal := a.Dest == "3"
	fee := decimalOf(c.fee)
	if internal {
		fee = decimal.Zero
	}
	to, tag, hasTag := strings.Cut(a.ToAddr, ":")
	switch {
	case amt.LessThan(decimalOf(c.minWd)):
		return nil, &apiError{http.StatusOK, "58206", "Withdrawal amount is lower than the lower limit"}
	case amt.GreaterThan(decimalOf(c.maxWd)):
		return nil, &apiError{http.StatusOK, "58205", "Withdrawal amount exceeds the upper limit"}
	case !internal && c.needTag && (!hasTag || tag == ""):
		return nil, badParam("toAddr")
	case amt.Add(fee).GreaterThan(s.wallet.funding[a.Ccy]):
		return nil, &apiError{http.StatusOK, "58350", "Insufficient balance"}
	}
	s.wallet.funding[a.Ccy] = s.wallet.funding[a.Ccy].Sub(amt).Sub(fee)
	s.wallet.nextID += 1 + int64(s.rng.IntN(1000))
	w := &walletTx{id: itoa(s.wallet.nextID), ccy: a.Ccy, chain: c.id(), amt: amt, fee: fee, to: to, tag: tag, clientID: a.ClientID,
		state: "0", internal: internal, at: now}
	s.wallet.withdrawals = append(s.wallet.withdrawals, w)
	return []any{map[string]string{"amt": amt.String(), "wdId": w.id, "ccy": a.Ccy, "clientId": a.ClientID, "chain": c.id()}}, nil
}

// Deposit credits amt of ccy to the funding account as an on-chain deposit
// on chain (an OKX chain id; "" for the currency's first), listed at once
// as successful (state 2), and returns its depId. It panics on a chain the
// fake does not list (a test's mistake).
func (s *Server) Deposit(ccy, chainID string, amt decimal.Decimal) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := chainOf(ccy, chainID)
	if !ok {
		panic("okxtest: no chain " + chainID + " for " + ccy)
	}
	s.wallet.nextID += 1 + int64(s.rng.IntN(1000))
	id := itoa(s.wallet.nextID)
	sum := sha256.Sum256([]byte("deposit|" + id))
	s.wallet.funding[ccy] = s.wallet.funding[ccy].Add(amt)
	s.wallet.deposits = append(s.wallet.deposits, &walletTx{id: id, ccy: ccy, chain: c.id(), amt: amt, to: address("deposit", c),
		txID: "0x" + hex.EncodeToString(sum[:]), state: "2", at: s.now()})
	return id
}

// CompleteWithdrawals marks every waiting withdrawal successful (state 2),
// with a transaction hash.
func (s *Server) CompleteWithdrawals() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, w := range s.wallet.withdrawals {
		if w.state == "0" {
			sum := sha256.Sum256([]byte("withdrawal|" + w.id))
			w.state, w.txID = "2", hex.EncodeToString(sum[:])
		}
	}
}

// FundingBalance is the funding account's balance of ccy.
func (s *Server) FundingBalance(ccy string) decimal.Decimal {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.wallet.funding[ccy]
}

// Withdrawals is how many withdrawal requests the fake accepted.
func (s *Server) Withdrawals() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.wallet.withdrawals)
}
