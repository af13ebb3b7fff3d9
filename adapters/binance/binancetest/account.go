package binancetest

import (
	"net/url"
	"strconv"
	"time"

	"github.com/shopspring/decimal"
)

// The test account: balances (spot: free and locked; futures: wallet
// balances in the margin assets), orders, fills, and on futures one-way
// cross positions with a leverage per symbol. All of it is guarded by the
// server's lock.

// balance is one asset's holding. On futures only free is used: the
// wallet balance.
type balance struct{ free, locked decimal.Decimal }

// position is a futures position in one-way mode.
type position struct {
	amt      int64           // signed, in wire units (contracts on COIN-M)
	entry    decimal.Decimal // average entry price
	realized decimal.Decimal // accumulated realized PnL ("cr")
	updated  time.Time
}

// account is the server's one account.
type account struct {
	s          *Server
	balances   map[string]*balance
	orders     []*order // oldest first
	open       []*order // the open ones, oldest first
	byID       map[int64]*order
	fills      []*fill // oldest first
	positions  map[*market]*position
	leverage   map[*market]int
	nextOrder  int64
	executions int64 // executionReport ids (I)
	updated    time.Time
	listenKey  string // futures: the active listen key ("" when none)
	keyExpires time.Time
	wallet     walletState // spot: deposits and withdrawals (wallet.go)
	algo       algoBook    // futures: conditional orders (algo.go)
}

// Fee rates of the test account.
var (
	spotFee    = decimal.RequireFromString("0.001")
	makerFee   = decimal.RequireFromString("0.0002")
	takerFee   = decimal.RequireFromString("0.0005")
	defaultLev = 20
)

// openingBalance is what the account starts with of asset.
func openingBalance(asset string) decimal.Decimal {
	switch asset {
	case "USDT", "USDC":
		return decimal.NewFromInt(100_000)
	case "BTC":
		return decimal.NewFromInt(2)
	case "ETH":
		return decimal.NewFromInt(20)
	}
	return decimal.NewFromInt(1000)
}

func newAccount(s *Server) *account {
	a := &account{s: s, balances: map[string]*balance{}, byID: map[int64]*order{},
		positions: map[*market]*position{}, leverage: map[*market]int{}, nextOrder: 4_000_000_000 + int64(s.rng.IntN(1_000_000))}
	for _, m := range s.markets {
		if s.cfg.Product == Spot {
			a.ensure(m.base)
			a.ensure(m.quote)
			continue
		}
		a.ensure(m.marginAsset())
		a.positions[m] = &position{}
		a.leverage[m] = defaultLev
	}
	return a
}

// ensure returns an asset's balance, opening it at the opening amount.
func (a *account) ensure(asset string) *balance {
	b := a.balances[asset]
	if b == nil {
		b = &balance{free: openingBalance(asset)}
		a.balances[asset] = b
	}
	return b
}

// assets lists the account's assets in order.
func (a *account) assets() []string { return sortedKeys(a.balances) }

// unrealized is a position's unrealized PnL at the mark price.
func (a *account) unrealized(m *market, p *position) decimal.Decimal {
	if p.amt == 0 {
		return decimal.Zero
	}
	return pnl(m, p.amt, p.entry, m.price(a.s.markPrice(m)))
}

// pnl is the profit of amt (signed) bought at entry and valued at exit:
// (exit - entry) × qty on USD-M; qty × size × (1/entry - 1/exit) on COIN-M.
func pnl(m *market, amt int64, entry, exit decimal.Decimal) decimal.Decimal {
	if m.contractSize > 0 {
		if entry.IsZero() || exit.IsZero() {
			return decimal.Zero
		}
		one := decimal.NewFromInt(1)
		return decimal.NewFromInt(amt * m.contractSize).Mul(one.DivRound(entry, 16).Sub(one.DivRound(exit, 16))).Round(8)
	}
	return exit.Sub(entry).Mul(m.qty(amt))
}

// positionMargin is a position's initial margin at the mark price.
func (a *account) positionMargin(m *market, p *position) decimal.Decimal {
	if p.amt == 0 {
		return decimal.Zero
	}
	return m.notional(a.s.markPrice(m), abs(p.amt)).DivRound(decimal.NewFromInt(int64(a.leverage[m])), 8)
}

// orderMargin is the initial margin of a market's open orders.
func (a *account) orderMargin(m *market) decimal.Decimal {
	sum := decimal.Zero
	for _, o := range a.open {
		if o.m == m {
			sum = sum.Add(m.notional(o.price, o.qty-o.filled))
		}
	}
	return sum.DivRound(decimal.NewFromInt(int64(a.leverage[m])), 8)
}

// marginTotals sums, for one margin asset, the unrealized PnL and the
// position and open-order initial margins.
func (a *account) marginTotals(asset string) (unrealized, posMargin, ordMargin decimal.Decimal) {
	for _, m := range a.s.markets {
		if m.marginAsset() != asset {
			continue
		}
		p := a.positions[m]
		unrealized = unrealized.Add(a.unrealized(m, p))
		posMargin = posMargin.Add(a.positionMargin(m, p))
		ordMargin = ordMargin.Add(a.orderMargin(m))
	}
	return unrealized, posMargin, ordMargin
}

// available is a futures margin asset's balance available for new orders.
func (a *account) available(asset string) decimal.Decimal {
	u, pm, om := a.marginTotals(asset)
	return a.ensure(asset).free.Add(u).Sub(pm).Sub(om)
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// accountEndpoints are the product's private REST endpoints.
func (s *Server) accountEndpoints() []endpoint {
	p := s.prefix()
	orders := []endpoint{
		{"POST", p + "/order", weight(1), secSigned, s.restNewOrder},
		{"DELETE", p + "/order", weight(1), secSigned, s.restCancelOrder},
		{"GET", p + "/order", weight(s.pick(4, 1, 1)), secSigned, s.restQueryOrder},
		{"GET", p + "/openOrders", s.manyWeight(s.pick(6, 1, 1), s.pick(80, 40, 40)), secSigned, s.restOpenOrders},
		{"GET", p + "/allOrders", weight(s.pick(20, 5, 20)), secSigned, s.restAllOrders},
	}
	if s.cfg.Product == Spot {
		return append(append(orders,
			endpoint{"GET", p + "/account", weight(20), secSigned, s.restSpotAccount},
			endpoint{"DELETE", p + "/openOrders", weight(1), secSigned, s.restCancelAll},
			endpoint{"GET", p + "/myTrades", weight(20), secSigned, s.restMyTrades},
		), s.walletEndpoints()...)
	}
	orders = append(orders,
		endpoint{"DELETE", p + "/allOpenOrders", weight(1), secSigned, s.restCancelAll},
		endpoint{"GET", p + "/userTrades", weight(5), secSigned, s.restMyTrades},
		endpoint{"POST", p + "/leverage", weight(1), secSigned, s.restLeverage},
		endpoint{"POST", p + "/listenKey", weight(1), secUserStream, s.restStartListenKey},
		endpoint{"PUT", p + "/listenKey", weight(1), secUserStream, s.restKeepListenKey},
		endpoint{"DELETE", p + "/listenKey", weight(1), secUserStream, s.restCloseListenKey},
	)
	orders = append(orders, s.algoEndpoints()...)
	if s.cfg.Product == USDM {
		orders = append(orders, endpoint{"GET", p + "/symbolConfig", weight(5), secSigned, s.restSymbolConfig}) // symbolconfig.go
		for _, v := range []string{"/fapi/v2", "/fapi/v3"} {
			orders = append(orders,
				endpoint{"GET", v + "/balance", weight(5), secSigned, s.restFuturesBalance},
				endpoint{"GET", v + "/account", weight(5), secSigned, s.futuresAccount(v == "/fapi/v3")},
				endpoint{"GET", v + "/positionRisk", weight(5), secSigned, s.positionRisk(v == "/fapi/v3")},
			)
		}
		return orders
	}
	return append(orders,
		endpoint{"GET", p + "/balance", weight(1), secSigned, s.restFuturesBalance},
		endpoint{"GET", p + "/account", weight(5), secSigned, s.futuresAccount(false)},
		endpoint{"GET", p + "/positionRisk", weight(1), secSigned, s.positionRisk(false)},
	)
}

// spotBalance is one asset of GET /api/v3/account.
type spotBalance struct {
	Asset  string `json:"asset"`
	Free   string `json:"free"`
	Locked string `json:"locked"`
}

func (s *Server) restSpotAccount(q url.Values, now time.Time) (any, *apiError) {
	a := s.acct
	balances := []spotBalance{}
	for _, asset := range a.assets() {
		b := a.balances[asset]
		if q.Get("omitZeroBalances") == "true" && b.free.IsZero() && b.locked.IsZero() {
			continue
		}
		balances = append(balances, spotBalance{asset, decString(b.free, 8), decString(b.locked, 8)})
	}
	return map[string]any{
		"makerCommission": 10, "takerCommission": 10, "buyerCommission": 0, "sellerCommission": 0,
		"commissionRates": map[string]string{"maker": "0.00100000", "taker": "0.00100000", "buyer": "0.00000000", "seller": "0.00000000"},
		"canTrade":        true, "canWithdraw": true, "canDeposit": true, "brokered": false,
		"requireSelfTradePrevention": false, "preventSor": false, "updateTime": a.updated.UnixMilli(),
		"accountType": "SPOT", "balances": balances, "permissions": []string{"SPOT"}, "uid": 354937868,
	}, nil
}

// futuresBalance is one asset of the futures balance endpoint.
type futuresBalance struct {
	AccountAlias       string `json:"accountAlias"`
	Asset              string `json:"asset"`
	Balance            string `json:"balance"`
	WithdrawAvailable  string `json:"withdrawAvailable,omitempty"`
	CrossWalletBalance string `json:"crossWalletBalance"`
	CrossUnPnl         string `json:"crossUnPnl"`
	AvailableBalance   string `json:"availableBalance"`
	MaxWithdrawAmount  string `json:"maxWithdrawAmount,omitempty"`
	MarginAvailable    *bool  `json:"marginAvailable,omitempty"`
	UpdateTime         int64  `json:"updateTime"`
}

// accountAlias is the test account's alias on futures.
const accountAlias = "SgsR"

func (s *Server) restFuturesBalance(url.Values, time.Time) (any, *apiError) {
	a := s.acct
	out := []futuresBalance{}
	for _, asset := range a.assets() {
		wallet := a.balances[asset].free
		u, _, _ := a.marginTotals(asset)
		avail := decString(a.available(asset), 8)
		fb := futuresBalance{AccountAlias: accountAlias, Asset: asset, Balance: decString(wallet, 8),
			CrossWalletBalance: decString(wallet, 8), CrossUnPnl: decString(u, 8), AvailableBalance: avail,
			UpdateTime: a.updated.UnixMilli()}
		if s.cfg.Product == USDM {
			yes := true
			fb.MaxWithdrawAmount, fb.MarginAvailable = avail, &yes
		} else {
			fb.WithdrawAvailable = avail
		}
		out = append(out, fb)
	}
	return out, nil
}

// futuresAccount answers the futures account endpoint: assets and
// positions with their margins (v3 leaves out the account flags).
func (s *Server) futuresAccount(v3 bool) func(url.Values, time.Time) (any, *apiError) {
	return func(url.Values, time.Time) (any, *apiError) {
		a := s.acct
		assets, positions := []map[string]any{}, []map[string]any{}
		var wallets, unrealized, posMargin, ordMargin, available decimal.Decimal
		for _, asset := range a.assets() {
			wallet := a.balances[asset].free
			u, pm, om := a.marginTotals(asset)
			avail := a.available(asset)
			assets = append(assets, map[string]any{"asset": asset, "walletBalance": decString(wallet, 8),
				"unrealizedProfit": decString(u, 8), "marginBalance": decString(wallet.Add(u), 8),
				"maintMargin": decString(maint(pm), 8), "initialMargin": decString(pm.Add(om), 8),
				"positionInitialMargin": decString(pm, 8), "openOrderInitialMargin": decString(om, 8),
				"crossWalletBalance": decString(wallet, 8), "crossUnPnl": decString(u, 8),
				"availableBalance": decString(avail, 8), "maxWithdrawAmount": decString(avail, 8), "updateTime": a.updated.UnixMilli()})
			wallets, unrealized, available = wallets.Add(wallet), unrealized.Add(u), available.Add(avail)
			posMargin, ordMargin = posMargin.Add(pm), ordMargin.Add(om)
		}
		for _, m := range s.markets {
			p := a.positions[m]
			if v3 && p.amt == 0 {
				continue // v3 lists only symbols with a position
			}
			pm, om := a.positionMargin(m, p), a.orderMargin(m)
			pos := map[string]any{"symbol": m.id, "positionSide": "BOTH", "positionAmt": m.fmtQty(p.amt),
				"unrealizedProfit": decString(a.unrealized(m, p), 8), "isolatedMargin": "0", "isolatedWallet": "0",
				"initialMargin": decString(pm.Add(om), 8), "maintMargin": decString(maint(pm), 8),
				"positionInitialMargin": decString(pm, 8), "openOrderInitialMargin": decString(om, 8),
				"updateTime": p.updated.UnixMilli()}
			if s.cfg.Product == USDM {
				pos["notional"] = decString(m.notional(s.markPrice(m), p.amt), 8)
			}
			if !v3 {
				pos["leverage"] = strconv.Itoa(a.leverage[m])
				pos["entryPrice"] = decString(p.entry, m.priceDec)
				pos["isolated"] = false
			}
			positions = append(positions, pos)
		}
		reply := map[string]any{"assets": assets, "positions": positions}
		if s.cfg.Product == USDM { // totals in USD; the fake's USDT and USDC count one for one
			reply["totalInitialMargin"] = decString(posMargin.Add(ordMargin), 8)
			reply["totalMaintMargin"] = decString(maint(posMargin), 8)
			reply["totalWalletBalance"] = decString(wallets, 8)
			reply["totalUnrealizedProfit"] = decString(unrealized, 8)
			reply["totalMarginBalance"] = decString(wallets.Add(unrealized), 8)
			reply["totalPositionInitialMargin"] = decString(posMargin, 8)
			reply["totalOpenOrderInitialMargin"] = decString(ordMargin, 8)
			reply["totalCrossWalletBalance"] = decString(wallets, 8)
			reply["totalCrossUnPnl"] = decString(unrealized, 8)
			reply["availableBalance"] = decString(available, 8)
			reply["maxWithdrawAmount"] = decString(available, 8)
		}
		if !v3 {
			reply["feeTier"], reply["canTrade"], reply["canDeposit"], reply["canWithdraw"] = 0, true, true, true
			reply["updateTime"] = a.updated.UnixMilli()
			if s.cfg.Product == USDM {
				reply["multiAssetsMargin"] = false
			}
		}
		return reply, nil
	}
}

// maint is the maintenance margin the fake reports: half the initial one.
func maint(initial decimal.Decimal) decimal.Decimal { return initial.Div(decimal.NewFromInt(2)) }

// positionRisk lists the positions: USD-M v3 only those open, v2 and
// COIN-M every symbol (COIN-M filters by pair or marginAsset).
func (s *Server) positionRisk(v3 bool) func(url.Values, time.Time) (any, *apiError) {
	return func(q url.Values, _ time.Time) (any, *apiError) {
		a := s.acct
		out := []map[string]any{}
		for _, m := range s.markets {
			if q.Get("symbol") != "" && q.Get("symbol") != m.id {
				continue
			}
			if (q.Get("pair") != "" && q.Get("pair") != m.pair) || (q.Get("marginAsset") != "" && q.Get("marginAsset") != m.marginAsset()) {
				continue
			}
			p := a.positions[m]
			if v3 && p.amt == 0 && a.orderMargin(m).IsZero() {
				continue
			}
			mark := s.markPrice(m)
			r := map[string]any{"symbol": m.id, "positionSide": "BOTH", "positionAmt": m.fmtQty(p.amt),
				"entryPrice": decString(p.entry, m.priceDec), "breakEvenPrice": decString(p.entry, m.priceDec),
				"markPrice": decString(m.price(mark), 8), "unRealizedProfit": decString(a.unrealized(m, p), 8),
				"liquidationPrice": "0", "isolatedMargin": "0", "isolatedWallet": "0", "updateTime": p.updated.UnixMilli()}
			switch {
			case v3:
				r["notional"] = decString(m.notional(mark, p.amt), 8)
				r["marginAsset"] = m.marginAsset()
				r["initialMargin"] = decString(a.positionMargin(m, p).Add(a.orderMargin(m)), 8)
				r["maintMargin"] = decString(maint(a.positionMargin(m, p)), 8)
				r["positionInitialMargin"] = decString(a.positionMargin(m, p), 8)
				r["openOrderInitialMargin"] = decString(a.orderMargin(m), 8)
				r["adl"], r["bidNotional"], r["askNotional"] = 0, "0", "0"
			case s.cfg.Product == USDM:
				r["leverage"], r["maxNotionalValue"], r["marginType"] = strconv.Itoa(a.leverage[m]), "1000000", "cross"
				r["isAutoAddMargin"], r["notional"], r["isolated"], r["adlQuantile"] = "false", decString(m.notional(mark, p.amt), 8), false, 0
			default:
				r["leverage"], r["maxQty"], r["marginType"] = strconv.Itoa(a.leverage[m]), "1000", "cross"
				r["isAutoAddMargin"], r["notionalValue"] = "false", decString(m.notional(mark, p.amt), 8)
			}
			out = append(out, r)
		}
		return out, nil
	}
}

// restLeverage sets a symbol's leverage (1 to 125).
func (s *Server) restLeverage(q url.Values, _ time.Time) (any, *apiError) {
	m, e := s.symbolParam(q)
	if e != nil {
		return nil, e
	}
	raw := q.Get("leverage")
	if raw == "" {
		return nil, mandatory("leverage")
	}
	lev, err := strconv.Atoi(raw)
	if err != nil || lev < 1 || lev > 125 {
		return nil, rejectf(codeLeverage, "Leverage %s is not valid", raw)
	}
	s.acct.leverage[m] = lev
	if s.cfg.Product == USDM {
		return map[string]any{"leverage": lev, "maxNotionalValue": "1000000", "symbol": m.id}, nil
	}
	return map[string]any{"leverage": lev, "maxQty": "1000", "symbol": m.id}, nil
}
