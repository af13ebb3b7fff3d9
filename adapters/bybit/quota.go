package bybit

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/unifex-go/unifex/internal/rest"
)

// Bybit's per-UID order limits (docs v5/rate-limit, "API Rate Limit
// Table", Trade, default "UTA2.0 Pro" columns) count each endpoint a
// second per product, REST and the trade stream together:
//
//	endpoint     inverse+linear  option  spot
//	create       10/s            10/s    20/s
//	amend        10/s            10/s    10/s
//	cancel       10/s            10/s    20/s
//	cancel-all   10/s             1/s    20/s
//
// inverse and linear share one cell of the table (and one "Futures" column
// on the VIP page), so they share one bucket here: the docs do not say
// that they are counted apart.

// Order operations, the second half of a bucket's name.
const (
	opCreate    = "create"
	opAmend     = "amend"
	opCancel    = "cancel"
	opCancelAll = "cancel-all"
)

// productFutures is the product linear and inverse orders count against.
const productFutures = "futures"

// orderLimits is the table above: product → operation → requests a second.
var orderLimits = map[string]map[string]float64{
	productFutures: {opCreate: 10, opAmend: 10, opCancel: 10, opCancelAll: 10},
	CategoryOption: {opCreate: 10, opAmend: 10, opCancel: 10, opCancelAll: 1},
	CategorySpot:   {opCreate: 20, opAmend: 10, opCancel: 20, opCancelAll: 20},
}

// quotaKey names the bucket an order operation on category draws on,
// "<product>/<op>"; a category outside the table (none should reach here)
// gives the bare operation, whose rate is the smallest of its row.
func quotaKey(category, op string) string {
	switch category {
	case CategoryLinear, CategoryInverse:
		return productFutures + "/" + op
	case CategorySpot, CategoryOption:
		return category + "/" + op
	}
	return op
}

// orderQuota is rest.Config.Quota: the bucket of an order endpoint's call,
// its product read from the JSON body's category; "" for other endpoints.
// The trade stream (wsapi.go) names the same buckets with quotaKey.
func orderQuota(ep rest.Endpoint, p rest.Params) string {
	var op string
	switch ep.Path {
	case epCreate.Path:
		op = opCreate
	case epAmend.Path:
		op = opAmend
	case epCancel.Path:
		op = opCancel
	case epCancelAll.Path:
		op = opCancelAll
	default:
		return ""
	}
	return quotaKey(bodyCategory(p.Body), op)
}

// categoryPrefix is how every order body this adapter builds begins.
const categoryPrefix = `{"category":"`

// bodyCategory is the category field of a JSON body: read in place when
// it comes first, as in every body request.json builds, else decoded; ""
// when there is none.
func bodyCategory(b []byte) string {
	if tail, ok := bytes.CutPrefix(b, []byte(categoryPrefix)); ok {
		if i := bytes.IndexByte(tail, '"'); i >= 0 && bytes.IndexByte(tail[:i], '\\') < 0 {
			return string(tail[:i])
		}
	}
	var v struct {
		Category string `json:"category"`
	}
	if json.Unmarshal(b, &v) != nil {
		return ""
	}
	return v.Category
}

// orderQuotaRate is rest.Config.Quotas: a bucket's limit from the table,
// refilling at 80 % of it with a burst of the other 20 %, so that no
// rolling second holds more than the limit. A bare operation takes the
// smallest limit of its row.
func orderQuotaRate(name string) (perSecond, burst float64) {
	product, op, ok := strings.Cut(name, "/")
	limit := orderLimits[product][op]
	if !ok {
		op = name
		for _, row := range orderLimits {
			if l := row[op]; l > 0 && (limit == 0 || l < limit) {
				limit = l
			}
		}
	}
	if limit == 0 {
		limit = 1
	}
	return limit * 0.8, limit * 0.2
}
