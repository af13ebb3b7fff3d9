package rest_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"time"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/internal/ratelimit"
	"github.com/unifex-go/unifex/internal/rest"
)

const testSecret = "test-secret"

// fakeVenue is a tiny exchange speaking a Binance-like protocol: a public
// price endpoint and an HMAC-signed order endpoint that refuses bad
// signatures and orders it cannot fund.
func fakeVenue() *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v3/ticker/price", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"symbol":%q,"price":"42000.10"}`, r.URL.Query().Get("symbol"))
	})
	mux.HandleFunc("POST /api/v3/order", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.RawQuery
		i := strings.LastIndex(q, "&signature=")
		m := hmac.New(sha256.New, []byte(testSecret))
		io.WriteString(m, q[:max(i, 0)])
		if i < 0 || !hmac.Equal([]byte(hex.EncodeToString(m.Sum(nil))), []byte(q[i+len("&signature="):])) {
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"code":-1022,"msg":"Signature for this request is not valid."}`)
			return
		}
		if qty, _ := strconv.ParseFloat(r.URL.Query().Get("quantity"), 64); qty > 10 {
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"code":-2010,"msg":"Account has insufficient balance for requested action."}`)
			return
		}
		fmt.Fprintf(w, `{"orderId":7,"clientOrderId":%q,"status":"NEW"}`, r.URL.Query().Get("newClientOrderId"))
	})
	return httptest.NewServer(mux)
}

// adapter is how an exchange adapter sits on the transport: it describes
// endpoints and supplies the venue's hooks.
type adapter struct {
	rest *rest.Client
	key  string
}

var (
	tickerPrice = rest.Endpoint{API: "public", Method: "GET", Path: "ticker/price", Weight: 2}
	newOrder    = rest.Endpoint{API: "private", Method: "POST", Path: "order", Signed: true, Weight: 1}
)

// sign is the venue's scheme: timestamp appended, HMAC-SHA256 over the exact
// query string, signature appended, key in a header.
func (a *adapter) sign(r *rest.Request, _ rest.Endpoint, now time.Time) error {
	r.AddQuery("timestamp", strconv.FormatInt(now.UnixMilli(), 10))
	m := hmac.New(sha256.New, []byte(testSecret))
	io.WriteString(m, r.URL.RawQuery)
	r.AddQuery("signature", hex.EncodeToString(m.Sum(nil)))
	r.Header.Set("X-MBX-APIKEY", a.key)
	return nil
}

// checkError maps the venue's {"code":N,"msg":"..."} to the taxonomy.
func checkError(resp *rest.Response) error {
	var body struct {
		Code int    `json:"code"`
		Msg  string `json:"msg"`
	}
	if json.Unmarshal(resp.Body, &body) != nil || body.Code >= 0 {
		return nil
	}
	kind := errors.ExchangeError
	switch body.Code {
	case -1022:
		kind = errors.AuthenticationError
	case -2010:
		kind = errors.InsufficientFunds
	}
	return &errors.Error{Kind: kind, Code: strconv.Itoa(body.Code), Message: body.Msg}
}

func (a *adapter) createOrder(ctx context.Context, symbol, qty string) (string, error) {
	var p rest.Params
	p.Add("symbol", symbol)
	p.Add("side", "BUY")
	p.Add("quantity", qty)
	// One client order id per order, drawn before the first attempt, so an
	// unsent retry (or a later lookup) carries the same id.
	p.Add("newClientOrderId", a.rest.Sources().ClientOrderID())
	var out struct {
		OrderID int64  `json:"orderId"`
		Status  string `json:"status"`
	}
	if err := a.rest.DoJSON(ctx, newOrder, p, &out); err != nil {
		return "", err
	}
	return strconv.FormatInt(out.OrderID, 10) + " " + out.Status, nil
}

// Example shows an adapter's Fetch and Create methods on the transport,
// against a fake venue.
func Example() {
	venue := fakeVenue()
	defer venue.Close()

	a := &adapter{key: "test-key"}
	c, err := rest.New(rest.Config{
		Exchange:   "fakex",
		BaseURLs:   map[string]string{"public": venue.URL + "/api/v3", "private": venue.URL + "/api/v3"},
		Limiter:    ratelimit.PerWindow(1200, time.Minute, nil),
		Sign:       a.sign,
		CheckError: checkError,
		Sources:    rest.Sources{ClientOrderID: func() string { return "my-order-1" }},
	})
	if err != nil {
		panic(err)
	}
	defer c.Close()
	a.rest = c
	ctx := context.Background()

	var t struct{ Symbol, Price string }
	err = c.DoJSON(ctx, tickerPrice, rest.Params{Query: []rest.Param{{Key: "symbol", Value: "BTCUSDT"}}}, &t)
	fmt.Println(t.Symbol, t.Price, err)

	fmt.Println(a.createOrder(ctx, "BTCUSDT", "0.5"))

	_, err = a.createOrder(ctx, "BTCUSDT", "50")
	fmt.Println(errors.Is(err, errors.InsufficientFunds), errors.Is(err, errors.ExchangeError), errors.SafeToRetry(err))
	fmt.Println(err)
	// Output:
	// BTCUSDT 42000.10 <nil>
	// 7 NEW <nil>
	// true true false
	// fakex: InsufficientFunds [code -2010] [HTTP 400]: Account has insufficient balance for requested action.
}

// ExampleClient_Build captures a signed request without sending it: with the
// clock fixed, the signature is reproducible.
func ExampleClient_Build() {
	a := &adapter{key: "test-key"}
	c, err := rest.New(rest.Config{
		Exchange: "fakex",
		BaseURLs: map[string]string{"private": "https://api.example.com/api/v3"},
		Sign:     a.sign,
		Sources:  rest.Sources{Clock: func() time.Time { return time.UnixMilli(1700000000000) }},
	})
	if err != nil {
		panic(err)
	}
	defer c.Close()
	r, err := c.Build(context.Background(), newOrder, rest.Params{Query: []rest.Param{{Key: "symbol", Value: "BTCUSDT"}}})
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Method, r.URL.Path)
	fmt.Println(r.URL.RawQuery)
	fmt.Println(r) // String() hides the query and the headers
	// Output:
	// POST /api/v3/order
	// symbol=BTCUSDT&timestamp=1700000000000&signature=4e7e8444963d2d57498c79c818e00d7325c0de1fe36287ea426397a06945cbea
	// POST https://api.example.com/api/v3/order
}
