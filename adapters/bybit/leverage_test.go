package bybit

import (
	"encoding/json"
	"testing"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/unified"
)

// TestParseLeverage: the docs' position/list example, hedge mode's two
// rows, portfolio margin's "" and the rows that are BadResponse.
func TestParseLeverage(t *testing.T) {
	var docs struct {
		Result struct {
			List []restLeverage `json:"list"`
		} `json:"result"`
	}
	if err := json.Unmarshal(golden(t, "rest_position_list"), &docs); err != nil {
		t.Fatal(err)
	}
	inverse := &unified.Market{ID: "BTCUSD", Symbol: "BTC/USD:BTC"}
	l, err := parseLeverage(inverse, docs.Result.List, true)
	if err != nil || l.Symbol != "BTC/USD:BTC" || l.MarginMode != "" || !l.LongLeverage.Decimal.Equal(d("10")) ||
		!l.ShortLeverage.Decimal.Equal(d("10")) || l.Info == nil {
		t.Fatalf("the docs' example: %+v %v", l, err)
	}
	rows := func(s string) []restLeverage {
		var out []restLeverage
		if err := json.Unmarshal([]byte(s), &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	linear := &unified.Market{ID: "BTCUSDT", Symbol: "BTC/USDT:USDT"}
	l, err = parseLeverage(linear, rows(`[{"symbol":"ETHUSDT","positionIdx":0,"leverage":"3"},
		{"symbol":"BTCUSDT","positionIdx":2,"leverage":"12.5","tradeMode":1},{"symbol":"BTCUSDT","positionIdx":"1","leverage":"20","tradeMode":"1"}]`), false)
	if err != nil || l.MarginMode != unified.MarginModeIsolated || !l.LongLeverage.Decimal.Equal(d("20")) ||
		!l.ShortLeverage.Decimal.Equal(d("12.5")) || l.Info != nil {
		t.Fatalf("hedge mode, isolated (classic): %+v %v", l, err)
	}
	l, err = parseLeverage(linear, rows(`[{"symbol":"BTCUSDT","positionIdx":0,"leverage":""}]`), false)
	if err != nil || l.LongLeverage.Valid || l.ShortLeverage.Valid {
		t.Fatalf("portfolio margin's \"\": %+v %v, want both absent", l, err)
	}
	for name, s := range map[string]string{
		"no rows":           `[]`,
		"another symbol":    `[{"symbol":"ETHUSDT","positionIdx":0,"leverage":"3"}]`,
		"positionIdx 3":     `[{"symbol":"BTCUSDT","positionIdx":3,"leverage":"3"}]`,
		"tradeMode 2":       `[{"symbol":"BTCUSDT","positionIdx":0,"tradeMode":2,"leverage":"3"}]`,
		"leverage zero":     `[{"symbol":"BTCUSDT","positionIdx":0,"leverage":"0"}]`,
		"leverage negative": `[{"symbol":"BTCUSDT","positionIdx":0,"leverage":"-2"}]`,
		"leverage text":     `[{"symbol":"BTCUSDT","positionIdx":0,"leverage":"x10"}]`,
	} {
		if _, err := parseLeverage(linear, rows(s), false); !errors.Is(err, errors.BadResponse) {
			t.Errorf("%s: %v, want BadResponse", name, err)
		}
	}
}
