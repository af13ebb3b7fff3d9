package example

// The tests of the code cmd/codegen generates from api.json (api_gen.go,
// its golden file). Being under testdata, the package is left out of ./...;
// cmd/codegen's TestGeneratedCodeRuns runs it.

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/internal/rest"
)

func params(kv ...string) rest.Params {
	var p rest.Params
	for i := 0; i < len(kv); i += 2 {
		p.Add(kv[i], kv[i+1])
	}
	return p
}

func symbols(n int) string {
	list := make([]string, n)
	for i := range list {
		list[i] = `"S` + strings.Repeat("X", i%3) + `"`
	}
	return "[" + strings.Join(list, ",") + "]"
}

func TestWeightOf(t *testing.T) {
	changed := pubGetBook
	changed.Weight = 99 // an adapter's copy with its own weight is still the endpoint
	elsewhere := pubGetBook
	elsewhere.API = "private"
	for _, c := range []struct {
		name string
		ep   rest.Endpoint
		p    rest.Params
		want float64
	}{
		{"no rule", pubGetTime, params("limit", "1000"), 1},
		{"steps, absent", pubGetBook, params(), 5},
		{"steps, first", pubGetBook, params("limit", "1"), 5},
		{"steps, on a max", pubGetBook, params("limit", "100"), 5},
		{"steps, second", pubGetBook, params("limit", "101"), 25},
		{"steps, open end", pubGetBook, params("limit", "5000"), 250},
		{"steps, not an integer", pubGetBook, params("limit", "ten"), 5},
		{"steps, copy", changed, params("limit", "300"), 25},
		{"steps, copy without rule", changed, params(), 99},
		{"other base URL", elsewhere, params("limit", "300"), 5},
		{"present", pubGetTickers, params("symbol", "A"), 2},
		{"present first", pubGetTickers, params("symbols", symbols(50), "symbol", "A"), 2},
		{"count, small", pubGetTickers, params("symbols", symbols(20)), 2},
		{"count, larger", pubGetTickers, params("symbols", symbols(21)), 40},
		{"count, above every max", pubGetTickers, params("symbols", symbols(101)), 80},
		{"count, not an array", pubGetTickers, params("symbols", "A,B"), 80},
		{"per item", pubGetWindow, params("symbols", symbols(3)), 12},
		{"per item, capped", pubGetWindow, params("symbols", symbols(60)), 200},
		{"per item, absent", pubGetWindow, params(), 4},
	} {
		if got := weightOf(c.ep, c.p); got != c.want {
			t.Errorf("%s: weightOf = %v, want %v", c.name, got, c.want)
		}
	}
}

// recorder keeps what the transport did.
type recorder struct {
	mu      sync.Mutex
	signed  []rest.Endpoint
	started []rest.Endpoint
}

func (r *recorder) OnRequestStart(s rest.RequestStart) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.started = append(r.started, s.Endpoint)
}

func (r *recorder) sign(req *rest.Request, ep rest.Endpoint, _ time.Time) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.signed = append(r.signed, ep)
	req.AddQuery("signature", "x")
	return nil
}

func TestRaw(t *testing.T) {
	var seen []string
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		seen = append(seen, r.Method+" "+r.URL.EscapedPath()+"?"+r.URL.RawQuery+" "+string(body))
		mu.Unlock()
		w.Write([]byte(` {"ok": [1, 2]} `))
	}))
	defer srv.Close()
	rec := &recorder{}
	client, err := rest.New(rest.Config{
		Exchange: "example",
		BaseURLs: map[string]string{"public": srv.URL + "/pub", "private": srv.URL},
		Sign:     rec.sign,
		Hooks:    []any{rec},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	raw := Raw{client: client}
	ctx := context.Background()

	reply, err := raw.PubGetBook(ctx, map[string]string{"symbol": "BTC/USDT", "limit": "300", "a": "x y"})
	if err != nil {
		t.Fatal(err)
	}
	if string(reply) != `{"ok": [1, 2]}` {
		t.Errorf("reply %q, want the body's JSON as sent", reply)
	}
	if _, err := raw.PrivPutKey(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.PrivV2GetAccount(ctx, map[string]string{"b": "2", "a": "1"}); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"GET /pub/v1/book/BTC%2FUSDT?a=x%20y&limit=300 ",
		"PUT /v1/key?signature=x ",
		"GET /v2/account?a=1&b=2&signature=x ",
	}
	if strings.Join(seen, "\n") != strings.Join(want, "\n") {
		t.Errorf("requests:\n%s\nwant:\n%s", strings.Join(seen, "\n"), strings.Join(want, "\n"))
	}
	if len(rec.started) != 3 || rec.started[0].Weight != 25 || rec.started[1].Weight != 1 || rec.started[2].Weight != 0.5 {
		t.Errorf("weights charged: %+v, want 25 (limit 300), 1, 0.5", rec.started)
	}
	if len(rec.signed) != 2 || rec.signed[0].Security != "KEY_ONLY" || !rec.signed[0].Idempotent || rec.signed[1].Security != "" {
		t.Errorf("signed endpoints: %+v, want PUT /v1/key as KEY_ONLY and idempotent, then GET /v2/account as SIGNED", rec.signed)
	}

	_, err = raw.RootDeleteSession(ctx, nil)
	if !errors.Is(err, errors.NotSupported) {
		t.Errorf("an endpoint without a base URL: %v, want NotSupported", err)
	}
}
