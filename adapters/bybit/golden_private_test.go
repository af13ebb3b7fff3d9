package bybit

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/unified"
)

// goldenPrivate decodes the docs' push of a private topic
// (testdata/bybit/ws_private_<topic>.json) as handlePrivate does: the
// envelope, then its data into items.
func goldenPrivate[I any](t *testing.T, topic string) (privateMessage, []I) {
	t.Helper()
	var msg privateMessage
	if err := json.Unmarshal(golden(t, "ws_private_"+topic), &msg); err != nil {
		t.Fatal(err)
	}
	if msg.Topic != topic {
		t.Fatalf("topic %q, want %q", msg.Topic, topic)
	}
	var items []I
	if err := json.Unmarshal(msg.Data, &items); err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 {
		t.Fatalf("%d items in the docs' %s push, want 1", len(items), topic)
	}
	return msg, items
}

// The markets of the docs' pushes: an ETH option settled in USDC and the
// BTCUSDT perpetual.
var (
	goldenOption = &unified.Market{ID: "ETH-30DEC22-1400-C", Symbol: "ETH/USDC:USDC-221230-1400-C", Base: "ETH", Quote: "USDC",
		Settle: "USDC", Type: unified.Option, Option: true, Contract: true, Linear: true, ContractSize: nd("1")}
	goldenLinear = &unified.Market{ID: "BTCUSDT", Symbol: "BTC/USDT:USDT", Base: "BTC", Quote: "USDT", Settle: "USDT",
		Type: unified.Swap, Swap: true, Contract: true, Linear: true, ContractSize: nd("1")}
)

// TestGoldenPrivateTopics parses the docs' example pushes of the private
// topics order, execution, position and wallet and compares the unified
// results with what the docs' values mean.
func TestGoldenPrivateTopics(t *testing.T) {
	opts := cmpopts.IgnoreFields(unified.Order{}, "Info")
	yes, no := true, false

	_, orders := goldenPrivate[restOrder](t, "order")
	if orders[0].Category != "option" || orders[0].Symbol != goldenOption.ID {
		t.Fatalf("order of %s %s", orders[0].Category, orders[0].Symbol)
	}
	o, err := parseOrder(goldenOption, &orders[0], false)
	if err != nil {
		t.Fatal(err)
	}
	// A market sell of one contract that filled at 75 (its price, 72.5,
	// is the bound Bybit set); the fee is cumFeeDetail's single coin.
	wantOrder := unified.Order{ID: "5cf98598-39a7-459e-97bf-76ca765ee020", Timestamp: ms(1672364262444),
		LastTradeTimestamp: ms(1672364262457), LastUpdateTimestamp: ms(1672364262457), Status: unified.StatusClosed,
		Symbol: goldenOption.Symbol, Type: unified.OrderTypeMarket, TimeInForce: unified.TIFIOC, PostOnly: &no,
		ReduceOnly: &no, Side: unified.SideSell, Price: nd("72.5"), Average: nd("75"), Amount: nd("1"), Filled: nd("1"),
		Remaining: nd("0"), Cost: nd("75"), Fee: unified.Fee{Currency: "MNT", Cost: nd("0.00242968")}}
	if diff := cmp.Diff(wantOrder, o, opts, cmpopts.IgnoreFields(unified.Order{}, "Fees", "Trades")); diff != "" {
		t.Errorf("order (-docs +ours):\n%s", diff)
	}

	_, execs := goldenPrivate[restExecution](t, "execution")
	if !execs[0].isTrade() {
		t.Fatal("the docs' execution is a trade (execType Trade)")
	}
	tr, err := parseExecution(goldenLinear, &execs[0], false)
	if err != nil {
		t.Fatal(err)
	}
	wantTrade := unified.Trade{ID: "0ab1bdf7-4219-438b-b30a-32ec863018f7", Order: "9aac161b-8ed6-450d-9cab-c5cc67c21784",
		Timestamp: ms(1746270400353), Symbol: goldenLinear.Symbol, Type: unified.OrderTypeMarket, Side: unified.SideSell,
		TakerOrMaker: unified.LiquidityTaker, Price: nd("95900.1"), Amount: nd("0.5"), Cost: nd("47950.05"),
		Fee: unified.Fee{Currency: "USDT", Cost: nd("26.3725275"), Rate: nd("0.00055")}}
	if diff := cmp.Diff(wantTrade, tr, cmpopts.IgnoreFields(unified.Trade{}, "Info", "Fees")); diff != "" {
		t.Errorf("execution (-docs +ours):\n%s", diff)
	}

	_, positions := goldenPrivate[restPosition](t, "position")
	p, err := parsePosition(goldenLinear, &positions[0], false)
	if err != nil {
		t.Fatal(err)
	}
	// A closed (size 0) hedge-mode short leg (positionIdx 2): no side, no
	// entry, liquidation, take-profit or stop-loss price ("0" is none).
	wantPosition := unified.Position{Symbol: goldenLinear.Symbol, Timestamp: ms(1694402496913),
		LastUpdateTimestamp: ms(1697682317038), Hedged: &yes, Contracts: nd("0"), ContractSize: nd("1"),
		MarkPrice: nd("28184.5"), Notional: nd("0"), Leverage: nd("10"), Collateral: nd("0"), InitialMargin: nd("0"),
		MaintenanceMargin: nd("0"), UnrealizedPnl: nd("0")}
	if diff := cmp.Diff(wantPosition, p, cmpopts.IgnoreFields(unified.Position{}, "Info")); diff != "" {
		t.Errorf("position (-docs +ours):\n%s", diff)
	}

	msg, wallets := goldenPrivate[restWallet](t, "wallet")
	b, err := parseWallets(wallets, time.UnixMilli(msg.CreationTime).UTC(), false)
	if err != nil {
		t.Fatal(err)
	}
	// BTC: walletBalance total; nothing locked or held as margin; free
	// is availableToWithdraw; no borrowing.
	wantBTC := unified.Balance{Free: nd("0.00102964"), Used: nd("0"), Total: nd("0.00102964"), Debt: nd("0")}
	if diff := cmp.Diff(map[string]unified.Balance{"BTC": wantBTC}, b.Currencies); diff != "" || !b.Timestamp.Equal(ms(1700034722104)) {
		t.Errorf("wallet at %v (-docs +ours):\n%s", b.Timestamp, diff)
	}
	if !decimal.RequireFromString("0.00102964").Equal(b.Currencies["BTC"].Total.Decimal) {
		t.Errorf("BTC total %v", b.Currencies["BTC"].Total)
	}
}
