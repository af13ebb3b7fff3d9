package binance_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/adapters/binance"
	"github.com/unifex-go/unifex/adapters/binance/binancetest"
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/unified"
)

// editFunc is EditOrder or EditOrderWs.
type editFunc func(ctx context.Context, id string, req unified.OrderRequest, opts ...exchange.Option) (*unified.Order, error)

// transports name the two ways an edit travels.
var transports = []string{"REST", "WebSocket API"}

// editOver is ex's edit over transport.
func editOver(ex exchange.Exchange, transport string) editFunc {
	if transport == "REST" {
		return ex.EditOrder
	}
	return ex.EditOrderWs
}

// startEditVenue starts a fake Binance of product with an adapter on it
// and a context for the test.
func startEditVenue(t *testing.T, product binancetest.Product) (*binancetest.Server, exchange.Exchange, context.Context) {
	t.Helper()
	ex, srv := fakeBinance(t, product, exchange.Config{APIKey: binancetest.TestAPIKey, Secret: binancetest.TestSecret})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return srv, ex, ctx
}

// precision is the price tick and the amount step of symbol.
func precision(ctx context.Context, t *testing.T, ex exchange.Exchange, symbol string) (tick, step decimal.Decimal) {
	t.Helper()
	snap, err := ex.LoadMarkets(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	m, err := snap.Market(symbol)
	if err != nil {
		t.Fatal(err)
	}
	return m.Precision.Price.Decimal, m.Precision.Amount.Decimal
}

// price is a limit price.
func price(d decimal.Decimal) decimal.NullDecimal { return decimal.NewNullDecimal(d) }

// serverOrder is the fake's record of order id.
func serverOrder(t *testing.T, srv *binancetest.Server, id string) unified.Order {
	t.Helper()
	for _, o := range srv.Orders() {
		if o.ID == id {
			return o
		}
	}
	t.Fatalf("the venue has no order %s", id)
	return unified.Order{}
}

// TestEditSpotAgainstTheFake: on spot an amount-only edit lowers the order
// in place (same id, its place kept) and any other edit cancels and
// replaces it, over REST and the WebSocket API alike; refusals are typed.
func TestEditSpotAgainstTheFake(t *testing.T) {
	for _, transport := range transports {
		t.Run(transport, func(t *testing.T) {
			srv, ex, ctx := startEditVenue(t, binancetest.Spot)
			edit := editOver(ex, transport)
			req := srv.OrderRequest(0)
			placed, err := ex.CreateOrder(ctx, req)
			if err != nil || placed.Status != unified.StatusOpen {
				t.Fatalf("placed %+v %v", placed, err)
			}
			tick, step := precision(ctx, t, ex, req.Symbol)
			lower := req.Amount.Sub(step)
			amended, err := edit(ctx, placed.ID, unified.OrderRequest{Symbol: req.Symbol, Amount: lower})
			if err != nil {
				t.Fatal(err)
			}
			if amended.ID != placed.ID || !amended.Amount.Decimal.Equal(lower) || amended.Status != unified.StatusOpen ||
				!strings.HasPrefix(amended.ClientOrderID, "x-unifex-") || amended.ClientOrderID == placed.ClientOrderID {
				t.Fatalf("amended %+v", amended)
			}
			if o := serverOrder(t, srv, placed.ID); !o.Amount.Decimal.Equal(lower) || o.ClientOrderID != amended.ClientOrderID {
				t.Fatalf("the venue holds %+v", o)
			}

			// Refused amends: an increase, no change, an unknown order.
			for _, tc := range []struct {
				name string
				id   string
				req  unified.OrderRequest
				want *errors.Kind
			}{
				{"an increase", placed.ID, unified.OrderRequest{Symbol: req.Symbol, Amount: req.Amount}, errors.InvalidOrder},
				{"no change", placed.ID, unified.OrderRequest{Symbol: req.Symbol, Amount: lower}, errors.NoChange},
				{"an unknown order", "987654", unified.OrderRequest{Symbol: req.Symbol, Amount: lower}, errors.OrderNotFound},
			} {
				if o, err := edit(ctx, tc.id, tc.req); !errors.Is(err, tc.want) || o != nil {
					t.Errorf("%s: %v, %v; want %s", tc.name, o, err, tc.want.Name())
				}
			}

			// A new price: canceled and replaced.
			newPrice := req.Price.Decimal.Sub(tick)
			if req.Side == unified.SideSell {
				newPrice = req.Price.Decimal.Add(tick)
			}
			replace := unified.OrderRequest{Symbol: req.Symbol, Type: req.Type, Side: req.Side, Amount: req.Amount, Price: price(newPrice)}
			replaced, err := edit(ctx, placed.ID, replace)
			if err != nil {
				t.Fatal(err)
			}
			if replaced.ID == placed.ID || replaced.Status != unified.StatusOpen || !replaced.Price.Decimal.Equal(newPrice) {
				t.Fatalf("replaced %+v", replaced)
			}
			if o := serverOrder(t, srv, placed.ID); o.Status != unified.StatusCanceled {
				t.Fatalf("the replaced order is %s", o.Status)
			}

			// An unknown order: the cancel fails and nothing is placed.
			before := len(srv.Orders())
			if o, err := edit(ctx, "987654", replace); !errors.Is(err, errors.OrderNotFound) || o != nil ||
				!strings.Contains(err.Error(), "no new order was placed") || len(srv.Orders()) != before {
				t.Fatalf("replacing an unknown order: %v, %v (%d orders, %d before)", o, err, len(srv.Orders()), before)
			}

			// The cancel succeeds, the new (post-only, crossing) order is refused.
			book, err := ex.FetchOrderBook(ctx, req.Symbol, exchange.Limit(5))
			if err != nil {
				t.Fatal(err)
			}
			crossing := replace
			crossing.PostOnly = true
			crossing.Price = price(book.Asks[0].Price)
			if req.Side == unified.SideSell {
				crossing.Price = price(book.Bids[0].Price)
			}
			o, err := edit(ctx, replaced.ID, crossing)
			if !errors.Is(err, errors.OrderImmediatelyFillable) || o != nil || !strings.Contains(err.Error(), "the order was canceled") {
				t.Fatalf("a refused replacement: %v, %v", o, err)
			}
			if o := serverOrder(t, srv, replaced.ID); o.Status != unified.StatusCanceled {
				t.Fatalf("after a refused replacement the order is %s", o.Status)
			}
		})
	}
}

// TestEditFuturesAgainstTheFake: a futures edit changes the price and the
// amount in place (order.modify, PUT order) on both products and both
// transports; refusals are typed.
func TestEditFuturesAgainstTheFake(t *testing.T) {
	for _, product := range []binancetest.Product{binancetest.USDM, binancetest.COINM} {
		for _, transport := range transports {
			t.Run(product.String()+" over "+transport, func(t *testing.T) {
				srv, ex, ctx := startEditVenue(t, product)
				edit := editOver(ex, transport)
				req := srv.OrderRequest(0)
				placed, err := ex.CreateOrder(ctx, req)
				if err != nil || placed.Status != unified.StatusOpen {
					t.Fatalf("placed %+v %v", placed, err)
				}
				tick, step := precision(ctx, t, ex, req.Symbol)
				newPrice := req.Price.Decimal.Sub(tick)
				if req.Side == unified.SideSell {
					newPrice = req.Price.Decimal.Add(tick)
				}
				change := unified.OrderRequest{Symbol: req.Symbol, Side: req.Side, Amount: req.Amount.Add(step), Price: price(newPrice)}
				modified, err := edit(ctx, placed.ID, change)
				if err != nil {
					t.Fatal(err)
				}
				if modified.ID != placed.ID || modified.Status != unified.StatusOpen || !modified.Price.Decimal.Equal(change.Price.Decimal) ||
					!modified.Amount.Decimal.Equal(change.Amount) {
					t.Fatalf("modified %+v", modified)
				}
				if o := serverOrder(t, srv, placed.ID); !o.Amount.Decimal.Equal(change.Amount) {
					t.Fatalf("the venue holds %+v", o)
				}
				for _, tc := range []struct {
					name string
					id   string
					req  unified.OrderRequest
					want *errors.Kind
				}{
					{"no change", placed.ID, change, errors.NoChange},
					{"an unknown order", "987654", change, errors.OrderNotFound},
				} {
					if o, err := edit(ctx, tc.id, tc.req); !errors.Is(err, tc.want) || o != nil {
						t.Errorf("%s: %v, %v; want %s", tc.name, o, err, tc.want.Name())
					}
				}
			})
		}
	}
}

// BenchmarkEditFutures measures one edit's round trip on loopback against
// the fake USDⓈ-M venue, over REST and over the WebSocket API: the price
// of a resting order moves by a tick and back.
func BenchmarkEditFutures(b *testing.B) {
	for _, transport := range transports {
		b.Run(transport, func(b *testing.B) {
			srv := binancetest.Start(binancetest.Config{Product: binancetest.USDM, Seed: 17})
			defer srv.Close()
			ex, err := binance.New("binanceusdm", exchange.Config{URLs: srv.URLs(),
				APIKey: binancetest.TestAPIKey, Secret: binancetest.TestSecret})
			if err != nil {
				b.Fatal(err)
			}
			defer func() { _ = ex.Close() }()
			ctx := context.Background()
			req := srv.OrderRequest(0)
			placed, err := ex.CreateOrder(ctx, req)
			if err != nil {
				b.Fatal(err)
			}
			snap, err := ex.LoadMarkets(ctx, false)
			if err != nil {
				b.Fatal(err)
			}
			m, _ := snap.Market(req.Symbol)
			prices := []decimal.Decimal{req.Price.Decimal.Sub(m.Precision.Price.Decimal), req.Price.Decimal}
			edit := editOver(ex, transport)
			if _, err := edit(ctx, placed.ID, unified.OrderRequest{Symbol: req.Symbol, Side: req.Side, Amount: req.Amount, Price: price(prices[1].Sub(m.Precision.Price.Decimal.Mul(decimal.NewFromInt(2))))}); err != nil {
				b.Fatal(err) // the first call dials the WebSocket API
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := edit(ctx, placed.ID, unified.OrderRequest{Symbol: req.Symbol, Side: req.Side, Amount: req.Amount, Price: price(prices[i%2])}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
