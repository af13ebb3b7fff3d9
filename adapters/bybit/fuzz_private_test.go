package bybit

import (
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/internal/stream"
	"github.com/unifex-go/unifex/unified"
)

// FuzzPrivate: no order, execution, wallet, position or leverage item, order
// acknowledgement, stream or trade-stream reply, or private topic push
// panics its parser; what they refuse is a BadResponse. The pushes go
// through the engine (Feed on the private route) on CCXT's fixture
// markets.
func FuzzPrivate(f *testing.F) {
	for _, s := range []string{
		`[{"category":"linear","symbol":"BTCUSDT","orderId":"1","orderLinkId":"x-unifex-1","side":"Buy","orderType":"Limit","price":"30000","qty":"0.01","timeInForce":"PostOnly","orderStatus":"PartiallyFilled","avgPrice":"30000","leavesQty":"0.005","cumExecQty":"0.005","cumExecValue":"150","cumExecFee":"0.01","cumFeeDetail":{"USDT":"0.01"},"reduceOnly":false,"createdTime":"1700000000000","updatedTime":"1700000000100"}]`,
		`[{"category":"spot","symbol":"BTCUSDT","orderId":"2","side":"Buy","orderType":"Market","qty":"50","marketUnit":"quoteCoin","orderStatus":"PartiallyFilledCanceled","cumExecQty":"0.001614","cumExecValue":"49.98","cumExecFee":"0.000001614","createdTime":"1","updatedTime":"2"}]`,
		`[{"category":"linear","symbol":"BTCUSDT","execId":"e","orderId":"1","side":"Sell","orderType":"Market","execPrice":"30000","execQty":"0.01","execValue":"300","execFee":"0.165","feeRate":"0.00055","execType":"Trade","execTime":"1700000000000","isMaker":false}]`,
		`[{"accountType":"UNIFIED","coin":[{"coin":"USDT","walletBalance":"100","locked":"1","totalOrderIM":"2","totalPositionIM":"3","borrowAmount":"0","availableToWithdraw":""}]}]`,
		`[{"category":"linear","symbol":"BTCUSDT","side":"Buy","size":"0.01","positionIdx":0,"entryPrice":"30000","markPrice":"30100","positionValue":"300","leverage":"10","unrealisedPnl":"1","liqPrice":"27000","positionIM":"30","positionMM":"1.5","positionBalance":"30","createdTime":"1","updatedTime":"2"}]`,
		`[{"symbol":"BTCUSDT","positionIdx":"1","tradeMode":1,"leverage":"20"},{"symbol":"BTCUSDT","positionIdx":2,"leverage":""}]`,
		`{"orderId":"1","orderLinkId":"x"}`,
		`{"reqId":"u1","retCode":0,"retMsg":"OK","op":"order.create","data":{"orderId":"1","orderLinkId":"x"}}`,
		`{"reqId":"u2","retCode":10001,"retMsg":"bad","op":"order.create","data":{}}`,
		`{"success":false,"ret_msg":"auth failed","op":"auth","conn_id":"c","req_id":"u3"}`,
	} {
		f.Add([]byte(s), "order")
	}
	for _, topic := range []string{"execution", "position", "wallet"} {
		f.Add([]byte(`[]`), topic)
	}
	for _, topic := range []string{"order", "execution", "position", "wallet"} { // the docs' pushes (golden_private_test.go)
		raw, err := os.ReadFile("testdata/bybit/ws_private_" + topic + ".json")
		if err != nil {
			f.Fatal(err)
		}
		var g struct {
			Message privateMessage `json:"message"`
		}
		if err := json.Unmarshal(raw, &g); err != nil {
			f.Fatal(err)
		}
		f.Add([]byte(g.Message.Data), topic)
	}
	x := wsFixtureExchange(f, 0)
	if _, err := x.LoadMarkets(f.Context(), false); err != nil {
		f.Fatal(err)
	}
	m := &unified.Market{Symbol: "BTC/USDT:USDT", ID: "BTCUSDT", Base: "BTC", Quote: "USDT", Settle: "USDT", SettleID: "USDT",
		Contract: true, Linear: true, Swap: true}
	f.Fuzz(func(t *testing.T, data []byte, topic string) {
		var orders []restOrder
		if json.Unmarshal(data, &orders) == nil {
			for i := range orders {
				if _, err := parseOrder(m, &orders[i], true); err != nil {
					badResponse(t, err)
				}
			}
		}
		var execs []restExecution
		if json.Unmarshal(data, &execs) == nil {
			for i := range execs {
				if _, err := parseExecution(m, &execs[i], true); err != nil {
					badResponse(t, err)
				}
			}
		}
		var wallets []restWallet
		if json.Unmarshal(data, &wallets) == nil {
			if _, err := parseWallets(wallets, time.Time{}, true); err != nil {
				badResponse(t, err)
			}
		}
		var positions []restPosition
		if json.Unmarshal(data, &positions) == nil {
			for i := range positions {
				if _, err := parsePosition(m, &positions[i], true); err != nil {
					badResponse(t, err)
				}
			}
		}
		var levers []restLeverage
		if json.Unmarshal(data, &levers) == nil {
			if _, err := parseLeverage(m, levers, true); err != nil {
				badResponse(t, err)
			}
		}
		var a ack
		if json.Unmarshal(data, &a) == nil {
			pl := placement{market: m}
			if _, err := pl.acknowledged(&a, true); err != nil {
				badResponse(t, err)
			}
		}
		var rep reply
		if json.Unmarshal(data, &rep) == nil {
			_ = rep.err("order.create")
		}
		msg := stream.Message{Type: stream.Text, Data: data}
		accountResponseID(msg)
		swallowPong(msg)
		push, _ := json.Marshal(map[string]any{"topic": topic, "creationTime": 1, "data": json.RawMessage(data)})
		if !json.Valid(data) {
			push = data
		}
		for _, frame := range [][]byte{push, data} {
			if err := x.Engine().Feed(privateRoute, stream.Message{Type: stream.Text, Data: frame}); err != nil && !errors.Is(err, errors.BadResponse) {
				t.Fatalf("push %s: %v", frame, err)
			}
		}
	})
}
