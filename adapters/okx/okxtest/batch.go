package okxtest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"time"
)

// maxBatch is the most orders one batch operation names (OKX's limit).
const maxBatch = 20

// restCancelBatch answers POST trade/cancel-batch-orders: a JSON array of
// up to 20 {"instId"|"instIdCode", "ordId"|"clOrdId"} items, of any
// instruments, each canceled as cancel-order does; the reply has an item
// per order in the request's order, with code "0" when all succeeded,
// "2" when some failed and "1" when all did.
func (s *Server) restCancelBatch(_ url.Values, body []byte, now time.Time) (any, *apiError) {
	var items []orderArgs
	if len(body) == 0 {
		return nil, &apiError{http.StatusBadRequest, "50000", "Body for POST request cannot be empty."}
	}
	if err := json.Unmarshal(body, &items); err != nil {
		return nil, &apiError{http.StatusBadRequest, "50002", "JSON syntax error"}
	}
	if len(items) == 0 || len(items) > maxBatch {
		return nil, &apiError{http.StatusBadRequest, "51000", "Parameter orders error"} // the code for 21 or more is not documented
	}
	acks := make([]ack, len(items))
	failed := 0
	for i, a := range items {
		acks[i] = s.cancelOrderLocked(a, now)
		if acks[i].SCode != "0" {
			failed++
		}
	}
	switch failed {
	case 0:
		return acks, nil
	case len(acks):
		return envelope{Code: "1", Msg: "All operations failed", Data: acks}, nil
	}
	return envelope{Code: "2", Msg: "Bulk operation partially succeeded", Data: acks}, nil
}
