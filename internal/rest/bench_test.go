package rest

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

var benchParams = Params{Query: []Param{{"symbol", "BTCUSDT"}, {"limit", "100"}, {"interval", "1m"}}}

func benchClient(b *testing.B, base string, mod func(*Config)) *Client {
	b.Helper()
	cfg := Config{
		Exchange: "bench",
		BaseURLs: map[string]string{"public": base + "/api/v3", "private": base + "/api/v3"},
		Sign:     binanceSigner("key", "secret", nil),
	}
	if mod != nil {
		mod(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close() })
	return c
}

// BenchmarkBuild builds an unsigned GET with three query parameters.
func BenchmarkBuild(b *testing.B) {
	c := benchClient(b, "https://api.example.com", nil)
	ep := Endpoint{API: "public", Path: "/klines"}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Build(ctx, ep, benchParams); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuildSigned adds a Binance-style HMAC-SHA256 signature.
func BenchmarkBuildSigned(b *testing.B) {
	c := benchClient(b, "https://api.example.com", nil)
	ep := Endpoint{API: "private", Method: "POST", Path: "/order", Signed: true}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Build(ctx, ep, benchParams); err != nil {
			b.Fatal(err)
		}
	}
}

func loopback(b *testing.B) *httptest.Server {
	body := []byte(`{"symbol":"BTCUSDT","price":"42000.10"}`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkDoJSON is Build + Do + decode of a small reply over loopback
// HTTP/1.1 with keep-alive.
func BenchmarkDoJSON(b *testing.B) {
	c := benchClient(b, loopback(b).URL, nil)
	ep := Endpoint{API: "public", Path: "/ticker/price"}
	ctx := context.Background()
	var out ticker
	b.ReportAllocs()
	for b.Loop() {
		if err := c.DoJSON(ctx, ep, benchParams, &out); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDoSignedPost sends a signed, traced (non-idempotent) POST.
func BenchmarkDoSignedPost(b *testing.B) {
	c := benchClient(b, loopback(b).URL, nil)
	ep := Endpoint{API: "private", Method: "POST", Path: "/order", Signed: true}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Do(ctx, ep, benchParams); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDoJSONParallel shares one client between goroutines.
func BenchmarkDoJSONParallel(b *testing.B) {
	c := benchClient(b, loopback(b).URL, nil)
	ep := Endpoint{API: "public", Path: "/ticker/price"}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		var out ticker
		for pb.Next() {
			if err := c.DoJSON(context.Background(), ep, benchParams, &out); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
