package bybittest

import (
	"testing"

	goldenfile "github.com/unifex-go/unifex/internal/golden"
)

// TestPositionListLeverage: /v5/position/list with a symbol answers the
// symbol's row even when flat, with the leverage set-leverage gave, in
// the docs' keys and types.
func TestPositionListLeverage(t *testing.T) {
	s := start(t, Config{Seed: 3})
	if r := signed(t, s, "POST", "/v5/position/set-leverage", "category", "inverse", "symbol", "BTCUSD", "buyLeverage", "7", "sellLeverage", "7"); r.status != 200 {
		t.Fatalf("set-leverage: %d %s", r.status, r.body)
	}
	r := signed(t, s, "GET", "/v5/position/list", "category", "inverse", "symbol", "BTCUSD")
	var res struct {
		List []map[string]any `json:"list"`
	}
	r.result(t, &res)
	if len(res.List) != 1 || res.List[0]["leverage"] != "7" || res.List[0]["size"] != "0" || res.List[0]["positionIdx"] != float64(0) {
		t.Fatalf("the flat BTCUSD row after set-leverage 7: %s", r.body)
	}
	if res.List[0]["createdTime"] != "0" {
		t.Errorf("a never-opened position's createdTime %v, want \"0\"", res.List[0]["createdTime"])
	}
	// The docs' table lists delta, gamma, vega, theta and mmrSysUpdatedTime;
	// their example lacks the Greeks and spells mmrSysUpdateTime (CCXT's
	// recorded replies say mmrSysUpdatedTime, as the table and the fake).
	goldenfile.Check(t, "rest_position_list", golden(t, "rest_position_list"), r.body, goldenfile.Types,
		[]string{"result.list[].mmrSysUpdateTime"},
		[]string{"result.list[].delta", "result.list[].gamma", "result.list[].vega", "result.list[].theta", "result.list[].mmrSysUpdatedTime"})
}
