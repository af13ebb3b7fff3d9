package bybit

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/unifex-go/unifex/internal/ccxtfixture"
)

// ccxtPrivateDifferences are the fields where our unified result differs
// from CCXT's on purpose, by method or method/description, each with the
// reason.
var ccxtPrivateDifferences = map[string]map[string]string{
	"createOrder": {
		"type":          "Bybit answers an order with its ids alone; we return the order as requested with them (type, side, amount, price, triggers), CCXT the ids alone",
		"side":          "the order as requested (see type)",
		"amount":        "the order as requested (see type)",
		"price":         "the order as requested (see type)",
		"reduceOnly":    "the order as requested (see type): a stop-loss order is reduce-only",
		"triggerPrice":  "the order as requested (see type)",
		"stopPrice":     "the order as requested (see type)",
		"stopLossPrice": "the order as requested (see type)",
	},
	"createMarketBuyOrderWithCost": {
		"type": "the order as requested (see createOrder)",
		"side": "the order as requested (see createOrder)",
	},
	"editOrder": {
		"symbol": "the amendment as requested with the ids (see createOrder); CCXT leaves even the symbol out",
		"amount": "the amendment as requested (see symbol)",
		"price":  "the amendment as requested (see symbol)",
	},
	"cancelAllOrders": {
		"status": "a cancel-all reply lists the orders it canceled: canceled; CCXT leaves the status null",
	},
	"fetchOrder/fetch spot buy closed order": {
		"amount": "a spot market buy sized in the quote coin (marketUnit quoteCoin, qty 50 USDT): our amount is in the base coin, what filled once it is done (0.001614 BTC); CCXT gives the quote qty as the amount",
		"status": "PartiallyFilledCanceled is an order canceled after a partial fill (Bybit's enum, spot only): canceled; CCXT says closed",
	},
	"fetchOpenOrder": {
		"lastTradeTimestamp": "nothing of the order has traded: no last trade time; CCXT sets updatedTime on unfilled orders too",
	},
}

// ccxtPrivateSkips are the private response cases not replayed, with the
// reason.
var ccxtPrivateSkips = map[string]string{
	"fetchMyTrades/Swap private trade": "the reply's one execution is a funding fee (execType Funding), which is no trade of ours; CCXT lists it as a trade",
}

// TestReplayCCXTPrivateResponses answers the private calls with CCXT's
// recorded replies and compares our unified results with CCXT's, field by
// field (ccxtfixture.Compare). The venue answers the reply to the
// category it was recorded on and an empty list to the others (a call
// without a symbol asks every category loaded).
func TestReplayCCXTPrivateResponses(t *testing.T) {
	var fixture ccxtfixture.File
	readFixture(t, "response/bybit.json", &fixture)
	replayed := map[string]int{}
	methods := []string{"createOrder", "createMarketBuyOrderWithCost", "editOrder", "cancelAllOrders", "fetchOrder",
		"fetchOpenOrder", "fetchClosedOrder", "fetchClosedOrders", "fetchMyTrades", "fetchBalance", "fetchPositions", "fetchPosition"}
	for _, method := range methods {
		for _, c := range fixture.Methods[method] {
			name := method + "/" + c.Description
			t.Run(name, func(t *testing.T) {
				if why, skip := ccxtPrivateSkips[name]; skip {
					t.Skip(why)
				}
				var reply struct {
					Result struct {
						Category string `json:"category"`
					} `json:"result"`
				}
				_ = json.Unmarshal(c.HTTPResponse, &reply)
				x, _ := fixtureVenue(t, func(r *http.Request) string {
					q := r.URL.Query()
					if cat := q.Get("category"); q.Get("cursor") != "" || reply.Result.Category != "" && cat != "" && cat != reply.Result.Category {
						return emptyAnswer(r)
					}
					return string(c.HTTPResponse)
				})
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				got, err := callCCXT(ctx, x, method, c, c.Params())
				if err != nil {
					t.Fatal(err)
				}
				if method == "fetchPosition" { // FetchPositions of one symbol
					v := reflect.ValueOf(got)
					var want struct {
						Contracts json.Number `json:"contracts"`
					}
					_ = json.Unmarshal(c.ParsedResponse, &want)
					if ccxtfixture.Falsy(want.Contracts) {
						// A flat position: FetchPositions lists open
						// positions only; CCXT's fetchPosition returns
						// the flat one.
						if v.Len() != 0 {
							t.Fatalf("%d positions of a flat one", v.Len())
						}
						replayed[method]++
						return
					}
					if v.Len() != 1 {
						t.Fatalf("%d positions", v.Len())
					}
					got = v.Index(0).Interface()
				}
				diffs, err := ccxtfixture.CompareJSON(c.ParsedResponse, got,
					ccxtfixture.Skips([]map[string]map[string]string{ccxtPrivateDifferences}, method, name))
				if err != nil {
					t.Fatal(err)
				}
				for _, d := range diffs {
					t.Error(d)
				}
				replayed[method]++
			})
		}
	}
	for _, method := range methods {
		if replayed[method] == 0 {
			t.Errorf("no case of %s replayed", method)
		}
	}
}
