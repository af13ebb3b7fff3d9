package okxtest

import (
	"net/http"
	"net/url"
	"strings"
	"time"
)

// restLeverageInfo answers GET account/leverage-info: for each instId
// (the docs allow up to 20, comma-separated) one row in the margin mode
// asked, posSide "net" (the fake keeps net mode only), with the leverage
// set-leverage last gave it (else the fake's default). A currency's
// leverage (ccy) is not kept: 51000 on ccy.
func (s *Server) restLeverageInfo(q url.Values, _ []byte, _ time.Time) (any, *apiError) {
	mode := q.Get("mgnMode")
	switch {
	case mode == "":
		return nil, emptyParam("mgnMode")
	case mode != "cross" && mode != "isolated":
		return nil, badParam("mgnMode")
	case q.Get("ccy") != "":
		return nil, badParam("ccy")
	case q.Get("instId") == "":
		return nil, emptyParam("instId")
	}
	ids := strings.Split(q.Get("instId"), ",")
	if len(ids) > 20 {
		return nil, badParam("instId")
	}
	rows := make([]any, 0, len(ids))
	for _, id := range ids {
		m := s.byID[id]
		if m == nil {
			return nil, &apiError{http.StatusBadRequest, "51001", "Instrument ID, Instrument ID code, or Spread ID doesn't exist."}
		}
		rows = append(rows, map[string]string{"ccy": "", "instId": m.id, "mgnMode": mode, "posSide": "net", "lever": itoa(s.acct.lever(m))})
	}
	return rows, nil
}
