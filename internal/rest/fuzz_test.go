package rest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/unifex-go/unifex/errors"
)

// FuzzClassify feeds arbitrary replies (status, Content-Type, Retry-After,
// body) through the whole classification path: the adapter's CheckError,
// the status table, Retry-After parsing and JSON decoding. It must never
// panic, and every failure must be a complete *errors.Error whose message
// does not quote the body.
func FuzzClassify(f *testing.F) {
	f.Add(200, "application/json", "", []byte(`{"price":"1"}`))
	f.Add(200, "", "", []byte(``))
	f.Add(502, "text/html; charset=utf-8", "", []byte("<html><h1>502 Bad Gateway</h1></html>"))
	f.Add(429, "application/json", "3", []byte(`{"code":-1003,"msg":"Too many requests"}`))
	f.Add(418, "", "Wed, 21 Oct 2015 07:28:00 GMT", []byte(`{"code":-1003}`))
	f.Add(200, "application/json", "", []byte(`{"code":-2010,"msg":"insufficient"}`))
	f.Add(200, "application/json", "", []byte(`{"price":`))
	f.Add(-1, "\x00;;", "1e400", []byte{0xff, 0xfe})
	f.Add(999, "a/b; c=\"", "NaN", []byte(`[1,2,3]`))
	clock := newFakeClock()
	c, err := New(Config{
		Exchange:   "testex",
		BaseURLs:   map[string]string{"public": "http://127.0.0.1:1"},
		CheckError: venueCheck,
		Sources:    Sources{Clock: clock.Now},
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { c.Close() })
	f.Fuzz(func(t *testing.T, status int, ctype, retryAfter string, body []byte) {
		resp := &Response{Status: status, Header: http.Header{"Content-Type": {ctype}, "Retry-After": {retryAfter}}, Body: body}
		quoted := func(msg string) bool {
			return len(body) >= 8 && strings.Contains(msg, string(body)) &&
				!strings.Contains(ctype, string(body)) && !strings.Contains(http.StatusText(status), string(body))
		}
		if err := c.check(resp); err != nil {
			var e *errors.Error
			if !errors.As(err, &e) || e.Kind == nil || e.Exchange != "testex" || e.HTTPStatus != status {
				t.Fatalf("incomplete error %#v", err)
			}
			if e.RetryAfter < 0 || e.RetryAfter > maxRetryAfter {
				t.Fatalf("RetryAfter %v out of range", e.RetryAfter)
			}
			if e.Code == "" && quoted(e.Message) {
				t.Fatalf("message quotes the body: %q", e.Message)
			}
		}
		var anyOut any
		var tick ticker
		for _, out := range []any{&anyOut, &tick} {
			err := c.Decode(resp, out)
			if err == nil {
				continue
			}
			var e *errors.Error
			if !errors.As(err, &e) || (e.Kind != errors.BadResponse && e.Kind != errors.NullResponse) || e.HTTPStatus != status {
				t.Fatalf("decode error %#v", err)
			}
			if quoted(e.Message) {
				t.Fatalf("message quotes the body: %q", e.Message)
			}
		}
	})
}

// FuzzBuild checks that any parameters survive the query and path
// encoding: the venue parses back exactly what was given.
func FuzzBuild(f *testing.F) {
	f.Add("symbol", "BTC/USDT", "id", "a b")
	f.Add("", "", "{", "}")
	f.Add("k;=&", "v?#%", "x", "\xff\x00")
	c, err := New(Config{Exchange: "testex", BaseURLs: map[string]string{"public": "https://example.com/api/"}})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { c.Close() })
	f.Fuzz(func(t *testing.T, key, value, pathKey, pathValue string) {
		ep := Endpoint{API: "public", Path: "/orders/{" + pathKey + "}"}
		p := Params{Query: []Param{{Key: pathKey, Value: pathValue}, {Key: key, Value: value}}}
		r, err := c.build(t.Context(), ep, p)
		if strings.ContainsAny(pathKey, "{}") {
			return // not a placeholder name; any outcome but a panic is fine
		}
		if err != nil {
			t.Fatalf("build: %v", err)
		}
		u, err := url.Parse(r.URL.String())
		if err != nil {
			t.Fatalf("the built URL does not parse: %v", err)
		}
		if u.Path != "/api/orders/"+pathValue {
			t.Fatalf("path %q, want the value %q back", u.Path, pathValue)
		}
		q, err := url.ParseQuery(u.RawQuery)
		if err != nil || len(q[key]) != 1 || q[key][0] != value {
			t.Fatalf("query %q parses to %v (%v), want %q=%q", u.RawQuery, q, err, key, value)
		}
	})
}
