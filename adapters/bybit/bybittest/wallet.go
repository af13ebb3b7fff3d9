package bybittest

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/shopspring/decimal"
)

// The wallet (docs/v5/asset), signed like every private route: GET
// /v5/asset/coin/query-info (the coins and their chains), GET
// /v5/asset/deposit/query-address (one address per coin and chain, the
// same on every call; chainType picks one), GET
// /v5/asset/deposit/query-record and /v5/asset/withdraw/query-record
// (newest first, startTime/endTime under 30 days apart, by default the
// last 30 days, limit 1 to 50, cursor; withdrawals on chain only unless
// withdrawType is 1 or 2), and POST /v5/asset/withdraw/create. A
// withdrawal needs coin, address, amount, timestamp and accountType (FUND,
// UTA or FUND,UTA: the fake has one account), and chain unless forceChain
// is 2; it checks the chain, the amount's decimals (minAccuracy), the
// minimum and the available balance for amount plus fee (feeType 0: the
// amount is what arrives), debits both from the unified account and lists
// the withdrawal as Pending. A requestId may not repeat. Refusals: 10001
// for a missing or malformed parameter, 131002 (parameter error) for a
// bad chain, amount or repeated requestId, 131212 (insufficient balance).
// Deposit credits a deposit and CompleteWithdrawals completes the pending
// withdrawals, for tests.

// The asset endpoints' retCodes the fake sends (the docs' asset table).
const (
	codeAssetParam   = 131002 // "Parameter error"
	codeAssetBalance = 131212 // "Insufficient balance"
)

// assetWindow is the longest span between startTime and endTime of a
// history request, and its default.
const assetWindow = 30 * 24 * time.Hour

// chainSpec is one chain a coin moves on.
type chainSpec struct {
	id, kind          string // chain, chainType
	fee, min, deposit string // withdrawal fee and minimum, deposit minimum
	places            int32  // minAccuracy
	memo              bool   // deposits need a tag
	withdraw          bool   // chainWithdraw
}

// The chains of the fake's coins (figures of the docs' and CCXT's
// examples). A coin not listed moves on BSC.
var (
	chainsETH      = chainSpec{id: "ETH", kind: "Ethereum", fee: "0.0009", min: "0.002", deposit: "0", places: 8, withdraw: true}
	chainsBSC      = chainSpec{id: "BSC", kind: "BNB Smart Chain", fee: "0.0001", min: "0.0002", deposit: "0", places: 8, withdraw: true}
	coinChainSpecs = map[string][]chainSpec{
		"BTC": {{id: "BTC", kind: "BTC", fee: "0.0002", min: "0.001", deposit: "0.0001", places: 8, withdraw: true}, chainsBSC},
		"ETH": {chainsETH, {id: "ARBI", kind: "Arbitrum One", fee: "0.0001", min: "0.0002", deposit: "0", places: 8, withdraw: true}},
		"USDT": {{id: "ETH", kind: "Ethereum", fee: "8", min: "10", deposit: "0", places: 4, withdraw: true},
			{id: "TRX", kind: "TRC20", fee: "1.6", min: "2.6", deposit: "0", places: 4, withdraw: true},
			{id: "BSC", kind: "BNB Smart Chain", fee: "1", min: "10", deposit: "0", places: 4, withdraw: true},
			{id: "TON", kind: "TON", fee: "0.3", min: "1", deposit: "0", places: 4, memo: true, withdraw: true},
			{id: "CAVAX", kind: "CAVAX", fee: "1", min: "10", deposit: "0", places: 4, withdraw: false}},
		"USDC": {{id: "ETH", kind: "Ethereum", fee: "8", min: "10", deposit: "0", places: 4, withdraw: true},
			{id: "BSC", kind: "BNB Smart Chain", fee: "1", min: "10", deposit: "0", places: 4, withdraw: true}},
	}
)

// chainSpecsOf lists a coin's chains.
func chainSpecsOf(coin string) []chainSpec {
	if cs, ok := coinChainSpecs[coin]; ok {
		return cs
	}
	return []chainSpec{chainsBSC}
}

// chainSpecOf is coin's chain id, if it has one.
func chainSpecOf(coin, id string) (chainSpec, bool) {
	for _, c := range chainSpecsOf(coin) {
		if c.id == id {
			return c, true
		}
	}
	return chainSpec{}, false
}

// transfer is one deposit or withdrawal of the history.
type transfer struct {
	id, coin, chain, address, tag, txID string
	amount, fee                         decimal.Decimal
	status                              string // deposits: "3"; withdrawals: Pending, success
	offChain                            bool
	created, updated                    time.Time
}

// walletState is the wallet's history.
type walletState struct {
	deposits, withdrawals []*transfer // oldest first
	requestIDs            map[string]bool
	nextID                int64
}

// coinsAll lists every coin the fake knows: those with balances and those
// with chains.
func (s *Server) coinsAll() []string {
	set := map[string]bool{}
	for c := range s.acct.coins {
		set[c] = true
	}
	for c := range coinChainSpecs {
		set[c] = true
	}
	return sortedKeys(set)
}

func (s *Server) routeWallet() {
	s.wallet = walletState{requestIDs: map[string]bool{}, nextID: 10195}
	priv := func(method, path string, limit int, h func(p params) (any, *apiError)) {
		s.api.HandlePrivate(method+" "+path, func(w http.ResponseWriter, r *http.Request) { s.signed(w, r, path, limit, h) })
	}
	priv("GET", "/v5/asset/coin/query-info", 10, s.restCoinInfo)
	priv("GET", "/v5/asset/deposit/query-address", 10, s.restDepositAddress)
	priv("GET", "/v5/asset/deposit/query-record", 10, s.restDepositRecords)
	priv("GET", "/v5/asset/withdraw/query-record", 10, s.restWithdrawRecords)
	priv("POST", "/v5/asset/withdraw/create", 5, s.restWithdraw)
}

func (s *Server) restCoinInfo(p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rows := []any{}
	for _, coin := range s.coinsAll() {
		if want := p.str("coin"); want != "" && want != coin {
			continue
		}
		chains := []any{}
		for _, c := range chainSpecsOf(coin) {
			fee := c.fee
			if !c.withdraw {
				fee = ""
			}
			chains = append(chains, map[string]string{"chainType": c.kind, "confirmation": "6", "withdrawFee": fee,
				"depositMin": c.deposit, "withdrawMin": c.min, "chain": c.id, "chainDeposit": "1",
				"chainWithdraw": flagText(c.withdraw), "minAccuracy": strconv.Itoa(int(c.places)),
				"withdrawPercentageFee": "0", "contractAddress": ""})
		}
		rows = append(rows, map[string]any{"name": coin, "coin": coin, "remainAmount": "1000000", "chains": chains})
	}
	return map[string]any{"rows": rows}, nil
}

func flagText(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// depositAddress is the fake's address of coin on chain: the same on
// every call.
func depositAddress(coin string, c chainSpec) (address, tag string) {
	sum := sha256.Sum256([]byte(coin + "/" + c.id))
	address = "0x" + hex.EncodeToString(sum[:20])
	if c.memo {
		tag = strconv.FormatUint(uint64(sum[20])<<16|uint64(sum[21])<<8|uint64(sum[22]), 10)
	}
	return address, tag
}

func (s *Server) restDepositAddress(p params) (any, *apiError) {
	coin := p.str("coin")
	if coin == "" {
		return nil, paramErr("params error: coin is required")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !slices.Contains(s.coinsAll(), coin) {
		return nil, &apiError{codeAssetParam, "Parameter error: coin"}
	}
	chains := []any{}
	for _, c := range chainSpecsOf(coin) {
		if want := p.str("chainType"); want != "" && want != c.id {
			continue
		}
		address, tag := depositAddress(coin, c)
		chains = append(chains, map[string]string{"chainType": c.kind, "addressDeposit": address, "tagDeposit": tag,
			"chain": c.id, "batchReleaseLimit": "-1", "contractAddress": ""})
	}
	if len(chains) == 0 {
		return nil, &apiError{codeAssetParam, "Parameter error: chainType"}
	}
	return map[string]any{"coin": coin, "chains": chains}, nil
}

// historyQuery reads a history request's filters: the window, the limit
// and the cursor's offset.
func (s *Server) historyQuery(p params) (from, to time.Time, limit, off int, err *apiError) {
	to = s.now()
	var start, end int64
	var perr error
	if v := p.str("startTime"); v != "" {
		if start, perr = strconv.ParseInt(v, 10, 64); perr != nil || start < 0 {
			return from, to, 0, 0, paramErr("params error: startTime is invalid")
		}
	}
	if v := p.str("endTime"); v != "" {
		if end, perr = strconv.ParseInt(v, 10, 64); perr != nil || end < 0 {
			return from, to, 0, 0, paramErr("params error: endTime is invalid")
		}
		to = time.UnixMilli(end)
	}
	from = to.Add(-assetWindow)
	if start > 0 {
		from = time.UnixMilli(start)
		if end == 0 {
			to = from.Add(assetWindow)
		}
	}
	if !to.After(from) && start > 0 && end > 0 || to.Sub(from) > assetWindow {
		return from, to, 0, 0, paramErr("params error: endTime - startTime should be less than 30 days")
	}
	limit = walletDefaultLimit
	if v := p.str("limit"); v != "" {
		n, perr := strconv.Atoi(v)
		if perr != nil || n < 1 || n > walletDefaultLimit {
			return from, to, 0, 0, paramErr("params error: limit is invalid")
		}
		limit = n
	}
	off, ok := cursorOffset(p.str("cursor"))
	if !ok {
		return from, to, 0, 0, paramErr("params error: cursor is invalid")
	}
	return from, to, limit, off, nil
}

// walletDefaultLimit is a history page's default and largest size.
const walletDefaultLimit = 50

// history pages through ts (oldest first) newest first, keeping those
// keep accepts created in [from, to].
func history(ts []*transfer, from, to time.Time, limit, off int, keep func(*transfer) bool, row func(*transfer) map[string]any) map[string]any {
	var list []map[string]any
	for i := len(ts) - 1; i >= 0; i-- {
		t := ts[i]
		if t.created.Before(from) || t.created.After(to) || !keep(t) {
			continue
		}
		list = append(list, row(t))
	}
	rows, next := page(list, off, limit)
	if rows == nil {
		rows = []map[string]any{}
	}
	return map[string]any{"rows": rows, "nextPageCursor": next}
}

func (s *Server) restDepositRecords(p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	from, to, limit, off, err := s.historyQuery(p)
	if err != nil {
		return nil, err
	}
	coin, id := p.str("coin"), p.str("id")
	return history(s.wallet.deposits, from, to, limit, off, func(t *transfer) bool {
		return (coin == "" || t.coin == coin) && (id == "" || t.id == id)
	}, func(t *transfer) map[string]any {
		return map[string]any{"id": t.id, "coin": t.coin, "chain": t.chain, "amount": t.amount.String(), "txID": t.txID,
			"status": 3, "toAddress": t.address, "tag": t.tag, "depositFee": "", "successAt": itoa(t.updated.UnixMilli()),
			"confirmations": "100", "txIndex": "0", "blockHash": "", "batchReleaseLimit": "-1", "depositType": "0",
			"fromAddress": ""}
	}), nil
}

func (s *Server) restWithdrawRecords(p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	from, to, limit, off, err := s.historyQuery(p)
	if err != nil {
		return nil, err
	}
	kind := p.str("withdrawType")
	switch kind {
	case "", "0", "1", "2":
	default:
		return nil, paramErr("params error: withdrawType is invalid")
	}
	coin, id := p.str("coin"), p.str("withdrawID")
	return history(s.wallet.withdrawals, from, to, limit, off, func(t *transfer) bool {
		return (coin == "" || t.coin == coin) && (id == "" || t.id == id) &&
			(kind == "2" || t.offChain == (kind == "1"))
	}, func(t *transfer) map[string]any {
		typ := 0
		if t.offChain {
			typ = 1
		}
		return map[string]any{"withdrawId": t.id, "txID": t.txID, "withdrawType": typ, "coin": t.coin, "chain": t.chain,
			"amount": t.amount.String(), "withdrawFee": t.fee.String(), "status": t.status, "toAddress": t.address,
			"tag": t.tag, "createTime": itoa(t.created.UnixMilli()), "updateTime": itoa(t.updated.UnixMilli())}
	}), nil
}

func (s *Server) restWithdraw(p params) (any, *apiError) {
	coin, address := p.str("coin"), p.str("address")
	if coin == "" || address == "" || p.str("amount") == "" || p.str("accountType") == "" {
		return nil, paramErr("params error: coin, address, amount and accountType are required")
	}
	if _, err := strconv.ParseInt(p.str("timestamp"), 10, 64); err != nil {
		return nil, paramErr("params error: timestamp is required")
	}
	switch p.str("accountType") {
	case "FUND", "UTA", "FUND,UTA":
	default:
		return nil, &apiError{codeAssetParam, "Parameter error: accountType"}
	}
	amount, derr := decimal.NewFromString(p.str("amount"))
	if derr != nil || !amount.IsPositive() {
		return nil, &apiError{codeAssetParam, "Parameter error: amount"}
	}
	offChain := p.str("forceChain") == "2"
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := chainSpecOf(coin, p.str("chain"))
	switch {
	case !ok && !offChain:
		return nil, &apiError{codeAssetParam, "Parameter error: chain"}
	case ok && !c.withdraw:
		return nil, &apiError{codeAssetParam, "Withdrawal of this currency has been closed"}
	case ok && amount.Exponent() < -c.places:
		return nil, &apiError{codeAssetParam, "Parameter error: amount precision"}
	case ok && amount.LessThan(decimal.RequireFromString(c.min)):
		return nil, &apiError{codeAssetParam, "Withdraw amount does not satisfy the lower limit"}
	}
	if id := p.str("requestId"); id != "" {
		if s.wallet.requestIDs[id] {
			return nil, &apiError{codeAssetParam, "Parameter error: requestId is duplicated"}
		}
		s.wallet.requestIDs[id] = true
	}
	fee := decimal.Zero
	if !offChain {
		fee = decimal.RequireFromString(c.fee)
	}
	debit := amount.Add(fee)
	if p.str("feeType") == "1" {
		debit, amount = amount, amount.Sub(fee)
	}
	if s.acct.available(coin).LessThan(debit) {
		return nil, &apiError{codeAssetBalance, "Insufficient balance"}
	}
	s.acct.coin(coin).wallet = s.acct.coin(coin).wallet.Sub(debit)
	now := s.now()
	s.wallet.nextID++
	t := &transfer{id: itoa(s.wallet.nextID), coin: coin, chain: p.str("chain"), address: address, tag: p.str("tag"),
		amount: amount, fee: fee, status: "Pending", offChain: offChain, created: now, updated: now}
	if offChain {
		t.chain = "internalAddressChain"
	}
	s.wallet.withdrawals = append(s.wallet.withdrawals, t)
	return map[string]string{"id": t.id}, nil
}

// Deposit credits amount of coin arriving on chain to the unified account
// and lists it in the deposit history as a success (status 3). It returns
// the deposit's id.
func (s *Server) Deposit(coin, chain string, amount decimal.Decimal) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, _ := chainSpecOf(coin, chain)
	address, tag := depositAddress(coin, c)
	now := s.now()
	s.wallet.nextID++
	id := itoa(s.wallet.nextID)
	sum := sha256.Sum256([]byte("deposit/" + id))
	s.wallet.deposits = append(s.wallet.deposits, &transfer{id: id, coin: coin, chain: chain, address: address, tag: tag,
		txID: hex.EncodeToString(sum[:]), amount: amount, fee: decimal.Zero, status: "3", created: now, updated: now})
	s.acct.coin(coin).wallet = s.acct.coin(coin).wallet.Add(amount)
	return id
}

// CompleteWithdrawals marks every pending withdrawal a success with a
// transaction hash.
func (s *Server) CompleteWithdrawals() {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for _, t := range s.wallet.withdrawals {
		if t.status == "Pending" {
			sum := sha256.Sum256([]byte("withdrawal/" + t.id))
			t.status, t.txID, t.updated = "success", hex.EncodeToString(sum[:]), now
		}
	}
}
