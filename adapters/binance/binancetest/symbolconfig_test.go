package binancetest

import (
	"encoding/json"
	"net/http"
	"testing"

	goldenfile "github.com/unifex-go/unifex/internal/golden"
)

// TestSymbolConfig: /fapi/v1/symbolConfig answers the leverage POST
// leverage set, for one symbol or all, in the docs' keys and types; an
// unknown symbol is -1121; COIN-M has no such endpoint.
func TestSymbolConfig(t *testing.T) {
	s := start(t, Config{Product: USDM, Seed: 7})
	sym := s.ID(s.Symbols()[0])
	if r := signed(t, s, "POST", "/fapi/v1/leverage", "symbol", sym, "leverage", "17"); r.status != http.StatusOK {
		t.Fatalf("leverage: %s", r.body)
	}
	r := signed(t, s, "GET", "/fapi/v1/symbolConfig", "symbol", sym)
	var rows []map[string]any
	r.decode(t, &rows)
	if len(rows) != 1 || rows[0]["symbol"] != sym || rows[0]["leverage"] != float64(17) || rows[0]["marginType"] != "CROSSED" {
		t.Fatalf("after leverage 17: %s", r.body)
	}
	goldenfile.Check(t, "rest_symbolConfig", golden(t, USDM, "rest_symbolConfig"), json.RawMessage(r.body), goldenfile.Types, nil, nil)
	all := signed(t, s, "GET", "/fapi/v1/symbolConfig")
	all.decode(t, &rows)
	if len(rows) != len(s.Symbols()) {
		t.Fatalf("every symbol: %d rows, want %d", len(rows), len(s.Symbols()))
	}
	if r := signed(t, s, "GET", "/fapi/v1/symbolConfig", "symbol", "NOPE"); r.status != http.StatusBadRequest {
		t.Fatalf("an unknown symbol: %d %s", r.status, r.body)
	}
	coinm := start(t, Config{Product: COINM, Seed: 7})
	if r := signed(t, coinm, "GET", "/dapi/v1/symbolConfig"); r.status == http.StatusOK {
		t.Fatalf("COIN-M answered symbolConfig: %s", r.body)
	}
}
