package okx

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/adapters/okx/okxtest"
	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/exchange"
	"github.com/unifex-go/unifex/internal/fakeserver"
	"github.com/unifex-go/unifex/unified"
)

// TestCancelAllOrdersInBatches: 23 open orders on two instruments are
// canceled with cancel-batch-orders, which okxtest (as OKX) refuses
// beyond 20 orders a request; every one ends canceled.
func TestCancelAllOrdersInBatches(t *testing.T) {
	x, _, ctx := privateFake(t, okxtest.Config{}, nil)
	placed := map[string]bool{}
	for i, symbol := range []string{"BTC/USDT", "BTC/USDT:USDT"} {
		bid, _ := bestPrices(t, ctx, x, symbol)
		amount := map[int]string{0: "0.01", 1: "1"}[i]
		for range 12 - i {
			o, err := x.CreateOrder(ctx, unified.OrderRequest{Symbol: symbol, Type: unified.OrderTypeLimit, Side: unified.SideBuy,
				Amount: dec(amount), Price: decimal.NewNullDecimal(bid.Sub(dec("300")))})
			if err != nil {
				t.Fatal(err)
			}
			placed[o.ID] = true
		}
	}
	canceled, err := x.CancelAllOrders(ctx, "")
	if err != nil || len(canceled) != 23 {
		t.Fatalf("CancelAllOrders: %d orders, %v", len(canceled), err)
	}
	for _, o := range canceled {
		if !placed[o.ID] || o.Status != unified.StatusCanceled {
			t.Fatalf("canceled %s (%s), not one placed", o.ID, o.Status)
		}
	}
	if open, err := x.FetchOpenOrders(ctx, ""); err != nil || len(open) != 0 {
		t.Fatalf("open after CancelAllOrders: %d, %v", len(open), err)
	}
	for id := range placed {
		sym := "BTC/USDT"
		o, err := x.FetchOrder(ctx, id, sym)
		if errors.Is(err, errors.OrderNotFound) {
			o, err = x.FetchOrder(ctx, id, "BTC/USDT:USDT")
		}
		if err != nil || o.Status != unified.StatusCanceled {
			t.Fatalf("order %s after CancelAllOrders: %+v, %v", id, o, err)
		}
	}
	for _, key := range []string{"trigger", "trailing"} {
		if _, err := x.CancelAllOrders(ctx, "", exchange.Params(map[string]any{key: true})); !errors.Is(err, errors.NotSupported) {
			t.Fatalf("CancelAllOrders of algo orders (%s): %v, want NotSupported", key, err)
		}
	}
}

// TestCancelAllOrdersNamesRefusals: a batch OKX answers in part (code
// "2") cancels what it can; an order that closed meanwhile (51400) is
// left out, one refused (50013) is named in the error, which has the
// refusal's kind; the 25 orders go in two requests of 20 and 5.
func TestCancelAllOrdersNamesRefusals(t *testing.T) {
	byType := fixtureInstruments(t)
	srv := fakeserver.NewHTTP()
	t.Cleanup(srv.Close)
	var mu sync.Mutex
	var batches [][]map[string]string
	srv.Handle("/", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		switch r.URL.Path {
		case "/api/v5/public/underlying":
			_, _ = w.Write([]byte(`{"code":"0","msg":"","data":[[]]}`))
		case "/api/v5/public/instruments":
			list := byType[r.URL.Query().Get("instType")]
			if list == nil {
				list = []json.RawMessage{}
			}
			b, _ := json.Marshal(map[string]any{"code": "0", "msg": "", "data": list})
			_, _ = w.Write(b)
		case "/api/v5/public/time":
			_, _ = fmt.Fprintf(w, `{"code":"0","msg":"","data":[{"ts":"%d"}]}`, time.Now().UnixMilli())
		case "/api/v5/trade/orders-pending":
			var os []string
			for i := 25; i >= 1; i-- {
				os = append(os, fmt.Sprintf(`{"instType":"SPOT","instId":"LTC-USDT","ordId":"%d","clOrdId":"","px":"50","sz":"1","ordType":"limit","side":"buy","state":"live","cTime":"%d"}`, i, 1700000000000+i))
			}
			_, _ = w.Write([]byte(`{"code":"0","msg":"","data":[` + strings.Join(os, ",") + `]}`))
		case "/api/v5/trade/cancel-batch-orders":
			var items []map[string]string
			if err := json.Unmarshal(body, &items); err != nil {
				t.Errorf("batch body %s: %v", body, err)
			}
			mu.Lock()
			batches = append(batches, items)
			mu.Unlock()
			var acks []string
			code := "0"
			for _, it := range items {
				sCode, sMsg := "0", ""
				switch it["ordId"] {
				case "3":
					sCode, sMsg, code = "50013", "Systems are busy. Please try again later.", "2"
				case "4":
					sCode, sMsg, code = "51400", "Order cancellation failed as the order has been filled, canceled or does not exist.", "2"
				}
				acks = append(acks, fmt.Sprintf(`{"ordId":%q,"clOrdId":"","sCode":%q,"sMsg":%q,"ts":"1"}`, it["ordId"], sCode, sMsg))
			}
			_, _ = fmt.Fprintf(w, `{"code":%q,"msg":"","data":[%s]}`, code, strings.Join(acks, ","))
		default:
			t.Errorf("unexpected %s %s", r.Method, r.URL.Path)
			_, _ = w.Write([]byte(`{"code":"0","msg":"","data":[]}`))
		}
	})
	x, err := New(exchange.Config{APIKey: "k", Secret: "s", Password: "p", URLs: map[string]string{"rest": srv.URL()}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = x.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	canceled, err := x.CancelAllOrders(ctx, "LTC/USDT")
	var e *errors.Error
	if !errors.Is(err, errors.ExchangeNotAvailable) || !errors.As(err, &e) || !strings.Contains(e.Message, "1 orders not canceled: 3 (") {
		t.Fatalf("CancelAllOrders with a refusal: %v, want ExchangeNotAvailable naming order 3", err)
	}
	if strings.Contains(e.Message, " 4 (") {
		t.Errorf("order 4 (closed meanwhile) is named as refused: %v", err)
	}
	if len(canceled) != 23 {
		t.Fatalf("%d orders canceled, want 23 (25 less the refused and the closed one)", len(canceled))
	}
	for _, o := range canceled {
		if o.ID == "3" || o.ID == "4" || o.Status != unified.StatusCanceled || o.Symbol != "LTC/USDT" {
			t.Fatalf("canceled %+v", o)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(batches) != 2 || len(batches[0]) != 20 || len(batches[1]) != 5 {
		t.Fatalf("batches of %d requests", len(batches))
	}
	if it := batches[0][0]; it["instId"] != "LTC-USDT" || it["ordId"] != "1" || len(it) != 2 {
		t.Fatalf("batch item %v, want instId and ordId", it)
	}
}
