package binancetest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// The wallet (spot only, as on Binance, where /sapi belongs to the
// account): GET /sapi/v1/capital/config/getall (the account's coins and
// their networks), GET /sapi/v1/capital/deposit/address (one address per
// coin and network, the same on every call), GET
// /sapi/v1/capital/deposit/hisrec and /sapi/v1/capital/withdraw/history
// (newest first, startTime/endTime within 90 days, offset and limit), and
// POST /sapi/v1/capital/withdraw/apply, which checks the network's step,
// minimum and fee against the amount and the free balance, debits the
// amount, and lists the withdrawal as processing (status 4) with the
// amount less the fee, as the history shows what arrives. Deposit credits
// a deposit and CompleteWithdrawals completes the processing withdrawals,
// for tests. Errors are the wallet's codes (-4018, -4021, -4022, -4026,
// -4028, -4047).

// The wallet's error codes the fake sends (the wallet error-code page).
const (
	codeNoAsset      = -4018 // "We don't have this asset."
	codeWithdrawStep = -4021 // "Asset withdrawal must be an %s multiple of %s."
	codeWithdrawMin  = -4022 // "Not less than the minimum pick-up quantity %s."
	codeWalletShort  = -4026 // "You have insufficient balance."
	codeBelowFee     = -4028 // "The amount of withdrawal must be greater than the Commission."
	codeInterval     = -4047 // "Time interval must be within 0-90 days"
)

// walletWindow is the longest span between startTime and endTime of a
// history request, and its default.
const walletWindow = 90 * 24 * time.Hour

// chain is one network a coin moves on.
type chain struct {
	id, name        string
	fee, min, step  string // withdrawal fee, minimum and step
	dust            string // the smallest deposit credited
	memo            bool   // deposits need a tag
	explorer, regex string
}

// The networks of the fake's coins. A coin not listed moves on BSC.
var (
	chainBTC = chain{id: "BTC", name: "Bitcoin", fee: "0.0002", min: "0.001", step: "0.00000001", dust: "0.000006",
		explorer: "https://mempool.space/address/", regex: "^(bc1|[13])[a-zA-HJ-NP-Z0-9]{25,62}$"}
	chainETH = chain{id: "ETH", name: "Ethereum (ERC20)", fee: "0.0009", min: "0.0018", step: "0.00000001", dust: "0.000001",
		explorer: "https://etherscan.io/address/", regex: "^(0x)[0-9A-Fa-f]{40}$"}
	chainBSC = chain{id: "BSC", name: "BNB Smart Chain (BEP20)", fee: "0.00002", min: "0.0001", step: "0.00000001", dust: "0.00000001",
		explorer: "https://bscscan.com/address/", regex: "^(0x)[0-9A-Fa-f]{40}$"}
	chainTRX = chain{id: "TRX", name: "Tron (TRC20)", fee: "1", min: "10", step: "0.000001", dust: "0.01",
		explorer: "https://tronscan.org/#/address/", regex: "^T[1-9A-HJ-NP-Za-km-z]{33}$"}
	chainBNB = chain{id: "BNB", name: "BNB Beacon Chain (BEP2)", fee: "0.003", min: "0.01", step: "0.00000001", dust: "0.0001",
		memo: true, explorer: "https://explorer.bnbchain.org/address/", regex: "^(bnb1)[0-9a-z]{38}$"}
	coinChains = map[string][]chain{
		"BTC":  {chainBTC, chainBSC},
		"ETH":  {chainETH, chainBSC},
		"USDT": {chainETH, chainTRX, {id: "BSC", name: chainBSC.name, fee: "0.8", min: "10", step: "0.00000001", dust: "0.01", explorer: chainBSC.explorer, regex: chainBSC.regex}},
		"USDC": {chainETH, chainBSC},
		"BNB":  {chainBSC, chainBNB},
	}
)

// chainsOf lists a coin's networks, the default first.
func chainsOf(coin string) []chain {
	if cs, ok := coinChains[coin]; ok {
		return cs
	}
	return []chain{chainBSC}
}

// chainOf is a coin's network by id ("" for the default).
func chainOf(coin, id string) (chain, bool) {
	cs := chainsOf(coin)
	if id == "" {
		return cs[0], true
	}
	for _, c := range cs {
		if c.id == id {
			return c, true
		}
	}
	return chain{}, false
}

// walletTx is a deposit or a withdrawal.
type walletTx struct {
	id, coin, network string
	amount, fee       decimal.Decimal // a withdrawal's amount excludes its fee
	address, tag      string
	txID              string
	status            int
	at, completed     time.Time
	clientID          string // a withdrawal's withdrawOrderId
}

// walletState is the account's deposits and withdrawals, oldest first.
type walletState struct {
	deposits, withdrawals []*walletTx
}

// walletEndpoints are the wallet's routes (spot only).
func (s *Server) walletEndpoints() []endpoint {
	return []endpoint{
		{"GET", "/sapi/v1/capital/config/getall", weight(10), secSigned, s.restCoins},
		{"GET", "/sapi/v1/capital/deposit/address", weight(10), secSigned, s.restDepositAddress},
		{"GET", "/sapi/v1/capital/deposit/hisrec", weight(1), secSigned, s.restDepositHistory},
		{"GET", "/sapi/v1/capital/withdraw/history", weight(1), secSigned, s.restWithdrawHistory},
		{"POST", "/sapi/v1/capital/withdraw/apply", weight(1), secSigned, s.restWithdraw},
	}
}

// coinNetwork is one network of GET /sapi/v1/capital/config/getall.
type coinNetwork struct {
	Network                 string `json:"network"`
	Coin                    string `json:"coin"`
	WithdrawIntegerMultiple string `json:"withdrawIntegerMultiple"`
	IsDefault               bool   `json:"isDefault"`
	DepositEnable           bool   `json:"depositEnable"`
	WithdrawEnable          bool   `json:"withdrawEnable"`
	DepositDesc             string `json:"depositDesc"`
	WithdrawDesc            string `json:"withdrawDesc"`
	SpecialTips             string `json:"specialTips"`
	SpecialWithdrawTips     string `json:"specialWithdrawTips"`
	Name                    string `json:"name"`
	ResetAddressStatus      bool   `json:"resetAddressStatus"`
	AddressRegex            string `json:"addressRegex"`
	AddressRule             string `json:"addressRule"`
	MemoRegex               string `json:"memoRegex"`
	WithdrawFee             string `json:"withdrawFee"`
	WithdrawMin             string `json:"withdrawMin"`
	WithdrawMax             string `json:"withdrawMax"`
	DepositDust             string `json:"depositDust"`
	MinConfirm              int    `json:"minConfirm"`
	UnLockConfirm           int    `json:"unLockConfirm"`
	SameAddress             bool   `json:"sameAddress"`
	EstimatedArrivalTime    int    `json:"estimatedArrivalTime"`
	Busy                    bool   `json:"busy"`
	WithdrawInternalMin     string `json:"withdrawInternalMin,omitempty"`
	ContractAddressURL      string `json:"contractAddressUrl,omitempty"`
	ContractAddress         string `json:"contractAddress,omitempty"`
}

// coinInfo is one coin of GET /sapi/v1/capital/config/getall.
type coinInfo struct {
	Coin              string        `json:"coin"`
	DepositAllEnable  bool          `json:"depositAllEnable"`
	WithdrawAllEnable bool          `json:"withdrawAllEnable"`
	Name              string        `json:"name"`
	Free              string        `json:"free"`
	Locked            string        `json:"locked"`
	Freeze            string        `json:"freeze"`
	Withdrawing       string        `json:"withdrawing"`
	Ipoing            string        `json:"ipoing"`
	Ipoable           string        `json:"ipoable"`
	Storage           string        `json:"storage"`
	IsLegalMoney      bool          `json:"isLegalMoney"`
	Trading           bool          `json:"trading"`
	NetworkList       []coinNetwork `json:"networkList"`
}

func (s *Server) restCoins(url.Values, time.Time) (any, *apiError) {
	a := s.acct
	out := []coinInfo{}
	for _, coin := range a.assets() {
		b := a.balances[coin]
		ci := coinInfo{Coin: coin, DepositAllEnable: true, WithdrawAllEnable: true, Name: coin, Free: decString(b.free, 8),
			Locked: decString(b.locked, 8), Freeze: "0", Withdrawing: decString(a.withdrawing(coin), 8), Ipoing: "0", Ipoable: "0",
			Storage: "0", Trading: true}
		for i, c := range chainsOf(coin) {
			n := coinNetwork{Network: c.id, Coin: coin, WithdrawIntegerMultiple: c.step, IsDefault: i == 0, DepositEnable: true,
				WithdrawEnable: true, Name: c.name, AddressRegex: c.regex, WithdrawFee: c.fee, WithdrawMin: c.min,
				WithdrawMax: "9999999999.99999999", DepositDust: c.dust, MinConfirm: 12, EstimatedArrivalTime: 5}
			if c.memo {
				n.MemoRegex = "^[0-9A-Za-z\\-_]{1,120}$"
				n.SameAddress = true
				n.SpecialTips = "Both a MEMO and an Address are required to successfully deposit your " + coin + " tokens to Binance."
			}
			if c.id != coin && !(coin == "BNB" && c.id == "BSC") { // a token on another chain
				n.WithdrawInternalMin = c.step
				n.ContractAddressURL = c.explorer
				n.ContractAddress = fakeAddress("contract", coin, c)
			}
			ci.NetworkList = append(ci.NetworkList, n)
		}
		out = append(out, ci)
	}
	return out, nil
}

// withdrawing is what the account's processing withdrawals of coin hold.
func (a *account) withdrawing(coin string) decimal.Decimal {
	sum := decimal.Zero
	for _, w := range a.wallet.withdrawals {
		if w.coin == coin && w.status == 4 {
			sum = sum.Add(w.amount).Add(w.fee)
		}
	}
	return sum
}

// fakeAddress is the account's address of kind on a coin's network, in
// the network's form, the same on every call.
func fakeAddress(kind, coin string, c chain) string {
	sum := sha256.Sum256([]byte(kind + "|" + coin + "|" + c.id))
	h := hex.EncodeToString(sum[:])
	switch c.id {
	case "BTC":
		return "bc1q" + h[:38]
	case "TRX":
		const base58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
		var b strings.Builder
		b.WriteByte('T')
		for i := 0; i < 33; i++ {
			b.WriteByte(base58[int(sum[i%len(sum)]+byte(i))%len(base58)])
		}
		return b.String()
	case "BNB":
		return "bnb1" + h[:38]
	}
	return "0x" + h[:40]
}

// coinParam reads the mandatory coin parameter: one the account holds.
func (s *Server) coinParam(q url.Values) (string, *apiError) {
	coin := q.Get("coin")
	if coin == "" {
		return "", mandatory("coin")
	}
	if _, ok := s.acct.balances[coin]; !ok {
		return "", reject(codeNoAsset, "We don't have this asset.")
	}
	return coin, nil
}

func (s *Server) restDepositAddress(q url.Values, _ time.Time) (any, *apiError) {
	coin, e := s.coinParam(q)
	if e != nil {
		return nil, e
	}
	c, ok := chainOf(coin, q.Get("network"))
	if !ok {
		return nil, invalidParam("network")
	}
	addr, tag := fakeAddress("deposit", coin, c), ""
	if c.memo {
		sum := sha256.Sum256([]byte("memo|" + coin))
		tag = strconv.FormatUint(uint64(sum[0])<<24|uint64(sum[1])<<16|uint64(sum[2])<<8|uint64(sum[3]), 10)
	}
	return map[string]string{"address": addr, "coin": coin, "tag": tag, "url": c.explorer + addr}, nil
}

// historyQuery is a history request's filters.
type historyQuery struct {
	coin          string
	status        int // -1: any
	start, end    time.Time
	offset, limit int
}

// historyParams reads coin, status, startTime, endTime (less than 90
// days apart; by default the last 90 days), offset and limit (1000 by
// default and at most).
func historyParams(q url.Values, now time.Time) (historyQuery, *apiError) {
	h := historyQuery{coin: q.Get("coin"), status: -1, end: now, limit: 1000}
	ints := map[string]*int{"status": &h.status, "offset": &h.offset, "limit": &h.limit}
	for _, name := range []string{"status", "offset", "limit"} {
		if raw := q.Get(name); raw != "" {
			v, err := strconv.Atoi(raw)
			if err != nil || v < 0 {
				return h, invalidParam(name)
			}
			*ints[name] = v
		}
	}
	if h.limit == 0 || h.limit > 1000 {
		return h, invalidParam("limit")
	}
	times := map[string]*time.Time{"startTime": &h.start, "endTime": &h.end}
	for _, name := range []string{"startTime", "endTime"} {
		if raw := q.Get(name); raw != "" {
			ms, err := strconv.ParseInt(raw, 10, 64)
			if err != nil {
				return h, invalidParam(name)
			}
			*times[name] = time.UnixMilli(ms)
		}
	}
	if h.start.IsZero() {
		h.start = h.end.Add(-walletWindow) // the default: the last 90 days
	} else if h.end.Before(h.start) || h.end.Sub(h.start) >= walletWindow {
		return h, reject(codeInterval, "Time interval must be within 0-90 days")
	}
	return h, nil
}

// pick returns the entries of txs that match h (and keep), newest first,
// with h's offset and limit.
func (h historyQuery) pick(txs []*walletTx, keep func(*walletTx) bool) []*walletTx {
	var out []*walletTx
	for i := len(txs) - 1; i >= 0; i-- {
		t := txs[i]
		if (h.coin != "" && t.coin != h.coin) || (h.status >= 0 && t.status != h.status) ||
			t.at.Before(h.start) || t.at.After(h.end) || !keep(t) {
			continue
		}
		out = append(out, t)
	}
	if h.offset >= len(out) {
		return nil
	}
	out = out[h.offset:]
	return out[:min(len(out), h.limit)]
}

// depositEntry is one entry of the deposit history.
type depositEntry struct {
	ID            string `json:"id"`
	Amount        string `json:"amount"`
	Coin          string `json:"coin"`
	Network       string `json:"network"`
	Status        int    `json:"status"`
	Address       string `json:"address"`
	AddressTag    string `json:"addressTag"`
	TxID          string `json:"txId"`
	InsertTime    int64  `json:"insertTime"`
	TransferType  int    `json:"transferType"`
	ConfirmTimes  string `json:"confirmTimes"`
	UnlockConfirm int    `json:"unlockConfirm"`
	WalletType    int    `json:"walletType"`
	SourceAddress string `json:"sourceAddress,omitempty"`
}

func (s *Server) restDepositHistory(q url.Values, now time.Time) (any, *apiError) {
	h, e := historyParams(q, now)
	if e != nil {
		return nil, e
	}
	txID := q.Get("txId")
	out := []depositEntry{}
	for _, d := range h.pick(s.acct.wallet.deposits, func(t *walletTx) bool { return txID == "" || t.txID == txID }) {
		en := depositEntry{ID: d.id, Amount: decString(d.amount, 8), Coin: d.coin, Network: d.network, Status: d.status,
			Address: d.address, AddressTag: d.tag, TxID: d.txID, InsertTime: d.at.UnixMilli(), ConfirmTimes: "12/12"}
		if q.Get("includeSource") == "true" {
			c, _ := chainOf(d.coin, d.network)
			en.SourceAddress = fakeAddress("source", d.coin, c)
		}
		out = append(out, en)
	}
	return out, nil
}

// withdrawalEntry is one entry of the withdrawal history.
type withdrawalEntry struct {
	ID              string `json:"id"`
	Amount          string `json:"amount"`
	TransactionFee  string `json:"transactionFee"`
	Coin            string `json:"coin"`
	Status          int    `json:"status"`
	Address         string `json:"address"`
	AddressTag      string `json:"addressTag,omitempty"`
	TxID            string `json:"txId"`
	ApplyTime       string `json:"applyTime"`
	Network         string `json:"network"`
	TransferType    int    `json:"transferType"`
	WithdrawOrderID string `json:"withdrawOrderId,omitempty"`
	Info            string `json:"info"`
	ConfirmNo       int    `json:"confirmNo"`
	WalletType      int    `json:"walletType"`
	TxKey           string `json:"txKey"`
	CompleteTime    string `json:"completeTime,omitempty"`
}

func (s *Server) restWithdrawHistory(q url.Values, now time.Time) (any, *apiError) {
	h, e := historyParams(q, now)
	if e != nil {
		return nil, e
	}
	clientID := q.Get("withdrawOrderId")
	var ids []string
	if raw := q.Get("idList"); raw != "" {
		ids = strings.Split(raw, ",")
	}
	out := []withdrawalEntry{}
	for _, w := range h.pick(s.acct.wallet.withdrawals, func(t *walletTx) bool {
		return (clientID == "" || t.clientID == clientID) && (ids == nil || slices.Contains(ids, t.id))
	}) {
		en := withdrawalEntry{ID: w.id, Amount: decString(w.amount, 8), TransactionFee: w.fee.String(), Coin: w.coin, Status: w.status,
			Address: w.address, AddressTag: w.tag, TxID: w.txID, ApplyTime: w.at.UTC().Format(time.DateTime), Network: w.network,
			WithdrawOrderID: w.clientID}
		if w.status == 6 {
			en.ConfirmNo = 12
			en.CompleteTime = w.completed.UTC().Format(time.DateTime)
		}
		out = append(out, en)
	}
	return out, nil
}

func (s *Server) restWithdraw(q url.Values, now time.Time) (any, *apiError) {
	coin, e := s.coinParam(q)
	if e != nil {
		return nil, e
	}
	address, raw := q.Get("address"), q.Get("amount")
	switch {
	case address == "":
		return nil, mandatory("address")
	case raw == "":
		return nil, mandatory("amount")
	}
	c, ok := chainOf(coin, q.Get("network"))
	if !ok {
		return nil, invalidParam("network")
	}
	amount, err := decimal.NewFromString(raw)
	if err != nil || !amount.IsPositive() {
		return nil, invalidParam("amount")
	}
	step, min, fee := decimal.RequireFromString(c.step), decimal.RequireFromString(c.min), decimal.RequireFromString(c.fee)
	b := s.acct.ensure(coin)
	switch {
	case !amount.Mod(step).IsZero():
		return nil, rejectf(codeWithdrawStep, "Asset withdrawal must be an %s multiple of %s.", "integer", c.step)
	case amount.LessThan(min):
		return nil, rejectf(codeWithdrawMin, "Not less than the minimum pick-up quantity %s.", c.min)
	case !amount.GreaterThan(fee):
		return nil, reject(codeBelowFee, "The amount of withdrawal must be greater than the Commission.")
	case amount.GreaterThan(b.free):
		return nil, reject(codeWalletShort, "You have insufficient balance.")
	case c.memo && q.Get("addressTag") == "":
		return nil, mandatory("addressTag")
	}
	b.free = b.free.Sub(amount)
	s.acct.updated = now
	id := fmt.Sprintf("%016x%016x", s.rng.Uint64(), s.rng.Uint64())
	s.acct.wallet.withdrawals = append(s.acct.wallet.withdrawals, &walletTx{id: id, coin: coin, network: c.id, amount: amount.Sub(fee),
		fee: fee, address: address, tag: q.Get("addressTag"), status: 4, at: now.Truncate(time.Second), clientID: q.Get("withdrawOrderId")})
	s.balanceEventLocked([]string{coin}, now)
	return map[string]string{"id": id}, nil
}

// Deposit credits amount of asset to the spot account as an on-chain
// deposit on network ("" for the coin's default), listed at once as
// successful (status 1) in the deposit history, and returns its id. It
// panics on a futures server or an unknown network (a test's mistake).
func (s *Server) Deposit(asset, network string, amount decimal.Decimal) string {
	if s.cfg.Product != Spot {
		panic("binancetest: the wallet is spot's")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := chainOf(asset, network)
	if !ok {
		panic("binancetest: " + asset + " has no network " + network)
	}
	now := s.now()
	id := strconv.FormatUint(700_000_000_000_000_000+s.rng.Uint64N(100_000_000_000_000_000), 10)
	sum := sha256.Sum256([]byte("deposit|" + id))
	s.acct.ensure(asset).free = s.acct.ensure(asset).free.Add(amount)
	s.acct.updated = now
	s.acct.wallet.deposits = append(s.acct.wallet.deposits, &walletTx{id: id, coin: asset, network: c.id, amount: amount,
		address: fakeAddress("deposit", asset, c), txID: "0x" + hex.EncodeToString(sum[:]), status: 1, at: now})
	s.balanceEventLocked([]string{asset}, now)
	return id
}

// CompleteWithdrawals marks every processing withdrawal completed (status
// 6) now, with a transaction hash.
func (s *Server) CompleteWithdrawals() {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for _, w := range s.acct.wallet.withdrawals {
		if w.status == 4 {
			sum := sha256.Sum256([]byte("withdrawal|" + w.id))
			w.status, w.txID, w.completed = 6, "0x"+hex.EncodeToString(sum[:]), now
		}
	}
}
