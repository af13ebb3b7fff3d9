package bybittest

import (
	"net/http"
)

// Options: instruments-info?category=option lists a few options of the
// asked baseCoin (BTC when none, as on Bybit), two per page to exercise
// the cursor: those of optionList, listed only, and the live ones of
// Config.Symbols (options_stream.go), which have books, tickers and
// trades.

// optionList are the listed options, in the docs' shape, expiring
// 2030-12-27 08:00 UTC.
var optionList = []map[string]any{
	optionJSON("BTC-27DEC30-60000-C", "BTC", "USD", "USDC", "Call", "5", "0.01"),
	optionJSON("BTC-27DEC30-60000-P", "BTC", "USD", "USDC", "Put", "5", "0.01"),
	optionJSON("BTC-27DEC30-70000-C-USDT", "BTC", "USDT", "USDT", "Call", "5", "0.01"),
	optionJSON("ETH-27DEC30-2500-P", "ETH", "USD", "USDC", "Put", "0.1", "0.1"),
}

func optionJSON(id, base, quote, settle, typ, tick, step string) map[string]any {
	return map[string]any{"symbol": id, "status": "Trading", "baseCoin": base, "quoteCoin": quote, "settleCoin": settle,
		"optionsType": typ, "launchTime": "1688630400000", "deliveryTime": "1924588800000", "deliveryFeeRate": "0.00015",
		"priceFilter":   map[string]string{"minPrice": tick, "maxPrice": "10000000", "tickSize": tick},
		"lotSizeFilter": map[string]string{"maxOrderQty": "500", "minOrderQty": step, "qtyStep": step},
		"displayName":   ""}
}

// restOptionInstruments answers instruments-info for category option.
func (s *Server) restOptionInstruments(w http.ResponseWriter, r *http.Request) {
	s.public(w, func() (any, *apiError) {
		q := r.URL.Query()
		coin := q.Get("baseCoin")
		if coin == "" {
			coin = "BTC"
		}
		off, ok := cursorOffset(q.Get("cursor"))
		if !ok {
			return nil, paramErr("params error: cursor is invalid")
		}
		var list []any
		for _, o := range s.optionListing() {
			if o["baseCoin"] == coin && (q.Get("symbol") == "" || q.Get("symbol") == o["symbol"]) {
				list = append(list, o)
			}
		}
		list, next := page(list, off, 2)
		if list == nil {
			list = []any{}
		}
		return map[string]any{"category": "option", "list": list, "nextPageCursor": next}, nil
	})
}

// optionListing is optionList with the live options of Config.Symbols in
// the place of a listed one of the same id, and the others after it.
func (s *Server) optionListing() []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	live := map[string]*market{}
	var order []*market
	for _, m := range s.markets {
		if m.cat == Option {
			live[m.id] = m
			order = append(order, m)
		}
	}
	out := make([]map[string]any, 0, len(optionList)+len(order))
	for _, o := range optionList {
		if m := live[o["symbol"].(string)]; m != nil {
			out = append(out, s.optionInstrument(m))
			delete(live, m.id)
			continue
		}
		out = append(out, o)
	}
	for _, m := range order {
		if live[m.id] != nil {
			out = append(out, s.optionInstrument(m))
		}
	}
	return out
}
