package binancetest

import (
	"net/url"
	"time"
)

// restSymbolConfig answers USDⓈ-M GET /fapi/v1/symbolConfig: for the
// symbol given, or every symbol, its margin type (the fake's positions
// are all cross: CROSSED), the leverage POST leverage last set and the
// maximum notional the leverage endpoint reports.
func (s *Server) restSymbolConfig(q url.Values, _ time.Time) (any, *apiError) {
	one := func(m *market) map[string]any {
		return map[string]any{"symbol": m.id, "marginType": "CROSSED", "isAutoAddMargin": "false",
			"leverage": s.acct.leverage[m], "maxNotionalValue": "1000000"}
	}
	if q.Get("symbol") != "" {
		m, e := s.symbolParam(q)
		if e != nil {
			return nil, e
		}
		return []any{one(m)}, nil
	}
	out := make([]any, 0, len(s.markets))
	for _, m := range s.markets {
		out = append(out, one(m))
	}
	return out, nil
}
