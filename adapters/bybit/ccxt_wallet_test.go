package bybit

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/ccxtfixture"
)

// CCXT's wallet fixtures: fetchCurrencies' recorded reply (response
// fixture) and the requests of fetchCurrencies, fetchDeposits and withdraw
// (request fixture), replayed like the order fixtures
// (ccxt_private_test.go, ccxt_request_test.go).

// ccxtWalletDifferences are the fields where we differ from CCXT on
// purpose, by method or method/description, with the reason.
var ccxtWalletDifferences = map[string]map[string]string{
	"fetchCurrencies": {
		"max":    "the withdrawal maximum is the coin's remainAmount (coin-info: \"Maximum withdraw amount per transaction\"); CCXT leaves it null",
		"type":   "unified.Currency has no type (CCXT's \"crypto\" for every Bybit coin)",
		"fees":   "unified.Currency has no fee map (CCXT's is empty here)",
		"amount": "unified.CurrencyLimits bounds withdrawals and deposits only (CCXT's amount limits are null here)",
	},
	"fetchDeposits": {
		"limit": "we page with limit=50, the most one page of deposit/query-record holds",
	},
	"withdraw": {
		"timestamp": "the time the request is sent (CCXT's recording has its own)",
		"requestId": "we send Bybit's idempotency key, so that a lost reply can be told apart from a refusal; CCXT sends none",
	},
}

// ccxtWalletSkips are the wallet cases not replayed, with the reason.
var ccxtWalletSkips = map[string]string{
	"withdraw/withdraw usdt on tron non uta": "classic accounts (accountType SPOT) are not supported; the unified account is",
}

// TestReplayCCXTWalletResponses answers FetchCurrencies with CCXT's
// recorded coin-info reply and compares each currency with CCXT's, field
// by field, networks included.
func TestReplayCCXTWalletResponses(t *testing.T) {
	var fixture ccxtfixture.File
	readFixture(t, "response/bybit.json", &fixture)
	cases := fixture.Methods["fetchCurrencies"]
	if len(cases) == 0 {
		t.Fatal("no fetchCurrencies case in CCXT's response fixture")
	}
	for _, c := range cases {
		t.Run(c.Description, func(t *testing.T) {
			x, _ := fixtureVenue(t, func(*http.Request) string { return string(c.HTTPResponse) })
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			got, err := x.FetchCurrencies(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var want map[string]json.RawMessage
			if err := json.Unmarshal(c.ParsedResponse, &want); err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Fatalf("%d currencies, CCXT %d", len(got), len(want))
			}
			for i := range got {
				w, ok := want[got[i].Code]
				if !ok {
					t.Errorf("%s is not among CCXT's currencies", got[i].Code)
					continue
				}
				diffs, err := ccxtfixture.CompareJSON(w, got[i], ccxtfixture.Skips([]map[string]map[string]string{ccxtWalletDifferences}, "fetchCurrencies"))
				if err != nil {
					t.Fatal(err)
				}
				for _, d := range diffs {
					t.Errorf("%s%s", got[i].Code, d)
				}
				if len(got[i].Networks) != 14 {
					t.Errorf("%d networks of %s, want CCXT's 14", len(got[i].Networks), got[i].Code)
				}
			}
		})
	}
}

// TestReplayCCXTWalletRequests makes CCXT's fetchCurrencies, fetchDeposits
// and withdraw calls and compares what we send with CCXT's requests.
func TestReplayCCXTWalletRequests(t *testing.T) {
	var fixture ccxtfixture.File
	readFixture(t, "request/bybit.json", &fixture)
	replayed := map[string]int{}
	for _, method := range []string{"fetchCurrencies", "fetchDeposits", "withdraw"} {
		for _, c := range fixture.Methods[method] {
			name := method + "/" + c.Description
			t.Run(name, func(t *testing.T) {
				if why, skip := ccxtWalletSkips[name]; skip {
					t.Skip(why)
				}
				x, requests := fixtureVenue(t, func(r *http.Request) string {
					switch r.URL.Path {
					case epWithdraw.Path:
						return `{"retCode":0,"retMsg":"OK","result":{"id":"1"},"time":1}`
					case epCoinInfo.Path:
						return `{"retCode":0,"retMsg":"OK","result":{"rows":[]},"time":1}`
					}
					return `{"retCode":0,"retMsg":"OK","result":{"rows":[],"nextPageCursor":""},"time":1}`
				})
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				var err error
				params := c.Params()
				str := func(i int) string {
					var s string
					if i < len(c.Input) {
						_ = json.Unmarshal(c.Input[i], &s)
					}
					return s
				}
				switch method {
				case "fetchCurrencies":
					_, err = x.FetchCurrencies(ctx)
				case "fetchDeposits":
					_, err = x.FetchDeposits(ctx, str(0))
				case "withdraw":
					var amount json.Number
					_ = json.Unmarshal(c.Input[1], &amount)
					_, err = x.Withdraw(ctx, str(0), decimal.RequireFromString(amount.String()), str(2), str(3), exchange.Params(params))
				}
				if err != nil {
					t.Fatal(err)
				}
				compareRequest(t, requests(), c, ccxtfixture.Skips([]map[string]map[string]string{ccxtWalletDifferences}, method, name))
				replayed[method]++
			})
		}
	}
	for _, method := range []string{"fetchCurrencies", "fetchDeposits", "withdraw"} {
		if replayed[method] == 0 {
			t.Errorf("no case of %s replayed", method)
		}
	}
}
