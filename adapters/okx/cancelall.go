package okx

import (
	"context"
	"strconv"
	"strings"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/rest"
	"github.com/unifex-go/unifex/unified"
)

// epCancelBatch cancels up to maxCancelBatch orders, of any instruments,
// in one request: a JSON array of {"instId","ordId"} answered item by item
// with sCode/sMsg (top-level code "1" when every item failed, "2" when
// some did; checkError lets those through for the items to be read).
var epCancelBatch = rest.Endpoint{API: "v5", Method: "POST", Path: "/trade/cancel-batch-orders", Signed: true}

// maxCancelBatch is the most orders one cancel-batch-orders request names.
const maxCancelBatch = 20

// batchEndpoints are the order operations whose replies are read item by
// item, partial failures included.
var batchEndpoints = map[string]bool{epCancelBatch.Path: true}

// CancelAllOrders cancels every open order of symbol ("" for every
// market): OKX has no such call for ordinary orders (mass-cancel is for
// options' market makers), so the open orders are listed
// (FetchOpenOrders, with the call's Params) and canceled with POST
// trade/cancel-batch-orders, 20 a request. The result is the orders
// canceled, as they were listed, with status canceled; an order that
// closed in between (51400-51402: OrderNotFound) is left out. Orders that
// OKX refused to cancel fail the call with an error naming each id and
// OKX's reason (of the first refusal's kind), returned with the orders
// that were canceled; a request that failed as a whole stops the call,
// naming the ids whose outcome is unknown. Algo orders (Params{"trigger":
// true} or {"trailing": true}) are not canceled here: NotSupported.
func (x *Exchange) CancelAllOrders(ctx context.Context, symbol string, opts ...exchange.Option) ([]unified.Order, error) {
	ask, _, err := takeTrigger(exchange.Apply(opts).Params)
	if err != nil {
		return nil, err
	}
	if ask.algo {
		return nil, notSupported("okx: CancelAllOrders cancels ordinary orders; algo orders are canceled one by one with CancelOrder and Params{\"trigger\": true}")
	}
	open, err := x.FetchOpenOrders(ctx, symbol, opts...)
	if err != nil {
		return nil, err
	}
	snap, err := x.Markets(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]unified.Order, 0, len(open))
	var refused []string
	var firstRefusal error
	for start := 0; start < len(open); start += maxCancelBatch {
		chunk := open[start:min(start+maxCancelBatch, len(open))]
		body := make([]map[string]string, len(chunk))
		for i, o := range chunk {
			m, err := snap.Market(o.Symbol)
			if err != nil {
				return out, err
			}
			body[i] = map[string]string{"instId": m.ID, "ordId": o.ID}
		}
		p, err := rest.JSON(body)
		if err != nil {
			return out, errors.Wrap(errors.BadRequest, err, "okx: a request body that cannot be written")
		}
		items, err := get[itemResult](ctx, x, epCancelBatch, p)
		if err != nil {
			return out, errors.Wrap(kindOf(err), err, "okx: CancelAllOrders: the outcome of orders "+orderIDs(chunk)+" is unknown")
		}
		byID := make(map[string]*itemResult, len(items))
		for i := range items {
			byID[items[i].OrdID] = &items[i]
		}
		for _, o := range chunk {
			it := byID[o.ID]
			var refusal error
			switch {
			case it == nil:
				refusal = errors.Newf(errors.BadResponse, "no result")
			case it.err(0) != nil:
				refusal = it.err(0)
			}
			switch {
			case refusal == nil:
				o.Status = unified.StatusCanceled
				out = append(out, o)
			case errors.Is(refusal, errors.OrderNotFound):
				// closed meanwhile
			default:
				if firstRefusal == nil {
					firstRefusal = refusal
				}
				refused = append(refused, o.ID+" ("+refusal.Error()+")")
			}
		}
	}
	if firstRefusal != nil {
		return out, errors.Wrap(kindOf(firstRefusal), firstRefusal,
			"okx: CancelAllOrders: "+strconv.Itoa(len(refused))+" orders not canceled: "+strings.Join(refused, "; "))
	}
	return out, nil
}

// kindOf is err's kind, ExchangeError when it has none.
func kindOf(err error) *errors.Kind {
	if k := errors.KindOf(err); k != nil {
		return k
	}
	return errors.ExchangeError
}

// orderIDs lists the ids of os, comma-separated.
func orderIDs(os []unified.Order) string {
	ids := make([]string, len(os))
	for i, o := range os {
		ids[i] = o.ID
	}
	return strings.Join(ids, ",")
}
