package bybit

import (
	"testing"

	"github.com/unifex-go/unifex/internal/rest"
)

// TestOrderQuotaKeys: an order call's bucket is its product and operation,
// read from the body's category wherever it stands; linear and inverse
// share one; other endpoints draw on none; the trade stream's key for the
// same order is the REST call's.
func TestOrderQuotaKeys(t *testing.T) {
	body := func(s string) rest.Params { return rest.Params{Body: []byte(s), ContentType: "application/json"} }
	cases := []struct {
		ep   rest.Endpoint
		p    rest.Params
		want string
	}{
		{epCreate, body(`{"category":"spot","symbol":"BTCUSDT"}`), "spot/create"},
		{epCreate, body(`{"symbol":"BTCUSDT","category":"linear"}`), "futures/create"},
		{epAmend, body(`{"category":"inverse","orderId":"1"}`), "futures/amend"},
		{epCancel, body(`{"category":"option","orderId":"1"}`), "option/cancel"},
		{epCancelAll, body(`{"category":"spot"}`), "spot/cancel-all"},
		{epCancelAll, body(`{"category":"option"}`), "option/cancel-all"},
		{epCreate, body(`{"category":"sp\u006ft"}`), "spot/create"},
		{epCreate, body(`{"symbol":"BTCUSDT"}`), "create"},
		{epCreate, body(`not json`), "create"},
		{epSetLeverage, body(`{"category":"linear"}`), ""},
	}
	for _, c := range cases {
		if got := orderQuota(c.ep, c.p); got != c.want {
			t.Errorf("%s %s: bucket %q, want %q", c.ep.Path, c.p.Body, got, c.want)
		}
	}
	for _, cat := range []string{CategorySpot, CategoryLinear, CategoryInverse, CategoryOption} {
		var r request
		r.add("category", cat)
		r.add("symbol", "X")
		for op, ep := range map[string]rest.Endpoint{opCreate: epCreate, opAmend: epAmend, opCancel: epCancel} {
			if ws, http := quotaKey(r.get("category"), op), orderQuota(ep, r.json()); ws != http {
				t.Errorf("%s %s: trade stream bucket %q, REST %q", cat, op, ws, http)
			}
		}
	}
}

// TestOrderQuotaRates: each bucket refills at 80 % of the docs' limit with
// the other 20 % as its burst, so a second never holds more than the
// limit; a bucket without a product takes its operation's smallest limit.
func TestOrderQuotaRates(t *testing.T) {
	for name, limit := range map[string]float64{
		"spot/create": 20, "spot/amend": 10, "spot/cancel": 20, "spot/cancel-all": 20,
		"futures/create": 10, "futures/amend": 10, "futures/cancel": 10, "futures/cancel-all": 10,
		"option/create": 10, "option/cancel-all": 1, "create": 10, "cancel-all": 1,
	} {
		rate, burst := orderQuotaRate(name)
		if rate != limit*0.8 || burst != limit*0.2 {
			t.Errorf("%s: %v a second, burst %v; want %v and %v", name, rate, burst, limit*0.8, limit*0.2)
		}
	}
}
