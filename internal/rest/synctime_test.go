package rest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// TestSyncedNowAndSyncTime: a signer outside the transport (a WebSocket
// login) gets the venue's clock, measured once, and measures it again on
// demand.
func TestSyncedNowAndSyncTime(t *testing.T) {
	var skew, calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		now := time.Now().Add(time.Duration(skew.Load()))
		_, _ = w.Write([]byte(`{"serverTime":` + strconv.FormatInt(now.UnixMilli(), 10) + `}`))
	}))
	defer srv.Close()
	var c *Client
	c, err := New(Config{BaseURLs: map[string]string{"public": srv.URL}, ServerTime: func(ctx context.Context) (time.Time, error) {
		var out struct{ ServerTime int64 }
		if err := c.DoJSON(ctx, Endpoint{API: "public", Path: "/time"}, Params{}, &out); err != nil {
			return time.Time{}, err
		}
		return time.UnixMilli(out.ServerTime), nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()

	skew.Store(int64(time.Hour))
	now, err := c.SyncedNow(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Until(now); d < 59*time.Minute || d > 61*time.Minute {
		t.Fatalf("SyncedNow is %v ahead, want the venue's hour", d)
	}
	if _, err := c.SyncedNow(ctx); err != nil || calls.Load() != 1 {
		t.Fatalf("a second SyncedNow measured again (%d calls, %v)", calls.Load(), err)
	}

	skew.Store(int64(-time.Hour))
	if err := c.SyncTime(ctx); err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 2 {
		t.Fatalf("SyncTime made %d time calls in all, want 2", calls.Load())
	}
	if d := time.Until(c.Now()); d > -59*time.Minute || d < -61*time.Minute {
		t.Fatalf("after SyncTime the venue is %v ahead, want an hour behind", d)
	}

	// Without a ServerTime hook both are the local clock, with no I/O.
	plain, err := New(Config{BaseURLs: map[string]string{"public": srv.URL}})
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	if err := plain.SyncTime(ctx); err != nil {
		t.Fatal(err)
	}
	if now, err := plain.SyncedNow(ctx); err != nil || time.Since(now) > time.Minute || calls.Load() != 2 {
		t.Fatalf("no hook: %v %v, %d calls", now, err, calls.Load())
	}
}
