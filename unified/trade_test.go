package unified

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var (
	// linearBTC is a linear swap of 0.001 BTC per contract (okx BTC-USDT-SWAP style).
	linearBTC = &Market{Symbol: "BTC/USDT:USDT", Type: Swap, Contract: true, Linear: true, ContractSize: num("0.001")}
	// inverseBTC is an inverse swap of 100 USD per contract (binance coin-m style).
	inverseBTC = &Market{Symbol: "BTC/USD:BTC", Type: Swap, Contract: true, Inverse: true, ContractSize: num("100")}
	// spotBTC is a spot market; spot markets have no contract size.
	spotBTC = &Market{Symbol: "BTC/USDT", Type: Spot, Spot: true}
)

// TradeCost follows CCXT's safeTrade cost rule.
func TestTradeCost(t *testing.T) {
	for _, c := range []struct {
		name          string
		price, amount string
		market        *Market
		want          string
	}{
		// binance fixture "fetchMyTrades": 69.63 × 0.2.
		{"spot", "69.63", "0.2", spotBTC, "13.926"},
		{"no market is spot", "69.63", "0.2", nil, "13.926"},
		{"linear: price × contract size × amount", "43000", "2", linearBTC, "86"},
		// 1/30000 is truncated to 0.000033333333333333 before multiplying, as CCXT does.
		{"inverse: (1/price) × contract size × amount", "30000", "10", inverseBTC, "0.033333333333333"},
		{"inverse at a zero price has no cost", "0", "10", inverseBTC, "null"},
		{"no price, no cost", "", "10", linearBTC, "null"},
		{"no amount, no cost", "100", "", spotBTC, "null"},
		{"negative amounts pass through", "100", "-2", spotBTC, "-200"},
	} {
		t.Run(c.name, func(t *testing.T) {
			price, amount := null, null
			if c.price != "" {
				price = num(c.price)
			}
			if c.amount != "" {
				amount = num(c.amount)
			}
			if got := text(TradeCost(price, amount, c.market)); got != c.want {
				t.Errorf("TradeCost(%s, %s) = %s, want %s", c.price, c.amount, got, c.want)
			}
		})
	}
}

func TestTradeCompleteKeepsGivenCost(t *testing.T) {
	tr := Trade{Price: num("36567.10"), Amount: num("0.010"), Cost: num("365.67100")}
	tr.Complete(linearBTC)
	if got := text(tr.Cost); got != "365.671" {
		t.Errorf("cost = %s, want the given 365.671", got)
	}
}

// Trade fees follow CCXT's parsedFeeAndFees.
func TestTradeCompleteFees(t *testing.T) {
	usdt := func(cost string) Fee { return Fee{Currency: "USDT", Cost: num(cost)} }
	for _, c := range []struct {
		name     string
		fee      Fee
		fees     []Fee
		wantFee  Fee
		wantFees []Fee
	}{
		{"neither: nothing", Fee{}, nil, Fee{}, nil},
		{"fee alone becomes fees", usdt("0.1462684"), nil, usdt("0.1462684"), []Fee{usdt("0.1462684")}},
		{"a fee without cost is dropped, and its currency with it",
			Fee{Currency: "USDT"}, nil, Fee{}, []Fee{}},
		{"fees of one currency and rate are summed into fee",
			Fee{}, []Fee{usdt("0.1"), usdt("0.2")}, usdt("0.3"), []Fee{usdt("0.3")}},
		{"several currencies leave fee as given",
			Fee{}, []Fee{usdt("0.1"), {Currency: "BNB", Cost: num("0.001")}},
			Fee{}, []Fee{usdt("0.1"), {Currency: "BNB", Cost: num("0.001")}}},
		{"a zero cost is kept",
			Fee{}, []Fee{usdt("0")}, usdt("0"), []Fee{usdt("0")}},
	} {
		t.Run(c.name, func(t *testing.T) {
			tr := Trade{Fee: c.fee, Fees: c.fees}
			tr.Complete(nil)
			if diff := cmp.Diff(c.wantFee, tr.Fee, decimalEqual); diff != "" {
				t.Errorf("fee (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(c.wantFees, tr.Fees, decimalEqual, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("fees (-want +got):\n%s", diff)
			}
		})
	}
}

// The example in the comment of CCXT's reduceFeesByCurrency, plus grouping
// and the cases it skips.
func TestReduceFees(t *testing.T) {
	btc := func(cost, rate string) Fee {
		f := Fee{Currency: "BTC", Cost: num(cost)}
		if rate != "" {
			f.Rate = num(rate)
		}
		return f
	}
	in := []Fee{
		btc("0.1", ""), btc("0.2", ""),
		btc("0.2", "0.00123"), btc("0.4", "0.00123"),
		btc("0.5", "0.00456"),
		{Currency: "USDT", Cost: num("12.3456")},
	}
	want := []Fee{btc("0.3", ""), btc("0.6", "0.00123"), btc("0.5", "0.00456"), {Currency: "USDT", Cost: num("12.3456")}}
	if diff := cmp.Diff(want, reduceFees(in), decimalEqual); diff != "" {
		t.Errorf("CCXT example (-want +got):\n%s", diff)
	}

	grouped := reduceFees([]Fee{btc("1", "0.1"), {Currency: "USDT", Cost: num("2")}, btc("3", "0.2")})
	wantGrouped := []Fee{btc("1", "0.1"), btc("3", "0.2"), {Currency: "USDT", Cost: num("2")}}
	if diff := cmp.Diff(wantGrouped, grouped, decimalEqual); diff != "" {
		t.Errorf("currencies are grouped in first-seen order (-want +got):\n%s", diff)
	}

	rates := reduceFees([]Fee{btc("1", "0.001"), btc("2", "0.0010")})
	if len(rates) != 1 || text(rates[0].Cost) != "3" {
		t.Errorf("rates equal in value merge: got %v", rates)
	}

	anonymous := reduceFees([]Fee{{Cost: num("1")}, {Cost: num("2")}, {Currency: "BTC"}})
	if len(anonymous) != 2 {
		t.Errorf("fees without currency never merge and fees without cost go: got %v", anonymous)
	}

	clean := []Fee{btc("1", ""), {Currency: "USDT", Cost: num("2")}}
	if got := reduceFees(clean); &got[0] != &clean[0] {
		t.Error("reduceFees copied a slice that needed no change")
	}
}
