package fakeserver

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// newTestHTTP starts a server with a public and a private route.
func newTestHTTP(t *testing.T) *HTTP {
	t.Helper()
	s := NewHTTP()
	t.Cleanup(s.Close)
	s.Handle("GET /time", func(w http.ResponseWriter, r *http.Request) {
		WriteJSON(w, http.StatusOK, map[string]int64{"serverTime": s.Now().UnixMilli()})
	})
	s.HandlePrivate("GET /balance", func(w http.ResponseWriter, r *http.Request) {
		WriteJSON(w, http.StatusOK, map[string]string{"USDT": "1.5"})
	})
	return s
}

type reply struct {
	status int
	header http.Header
	body   string
}

func get(t *testing.T, ctx context.Context, url string) (reply, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return reply{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return reply{}, err
	}
	return reply{resp.StatusCode, resp.Header, string(b)}, nil
}

func mustGet(t *testing.T, url string) reply {
	t.Helper()
	r, err := get(t, context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestHTTPRoutes(t *testing.T) {
	s := newTestHTTP(t)
	if r := mustGet(t, s.URL()+"/balance"); r.status != 200 || r.body != `{"USDT":"1.5"}` {
		t.Fatalf("private route: %d %q", r.status, r.body)
	}
	if r := mustGet(t, s.URL()+"/time"); r.status != 200 || r.header.Get("Content-Type") != "application/json" {
		t.Fatalf("public route: %d %v", r.status, r.header)
	}
	if r := mustGet(t, s.URL()+"/nope"); r.status != 404 {
		t.Fatalf("unknown route: %d", r.status)
	}
	if n := s.Requests(); n != 3 {
		t.Fatalf("Requests = %d, want 3", n)
	}
}

func TestHTTPThrottle(t *testing.T) {
	s := newTestHTTP(t)
	s.Throttle(time.Hour)
	for _, path := range []string{"/time", "/balance"} {
		r := mustGet(t, s.URL()+path)
		if r.status != http.StatusTooManyRequests {
			t.Fatalf("%s while throttled: %d", path, r.status)
		}
		secs, err := strconv.ParseFloat(r.header.Get("Retry-After"), 64)
		if err != nil || secs <= 3500 || secs > 3600 {
			t.Fatalf("Retry-After %q, want the time left of an hour", r.header.Get("Retry-After"))
		}
	}
	if n := s.Throttled(); n != 2 {
		t.Fatalf("Throttled = %d, want 2", n)
	}
	s.Throttle(0)
	if r := mustGet(t, s.URL()+"/time"); r.status != 200 {
		t.Fatalf("after the throttle: %d", r.status)
	}
	if n := s.Throttled(); n != 2 {
		t.Fatalf("Throttled = %d after the throttle, want 2", n)
	}
}

func TestRetryAfterFormat(t *testing.T) {
	for d, want := range map[time.Duration]string{
		2 * time.Second:                         "2",
		1500 * time.Millisecond:                 "1.5",
		time.Millisecond:                        "0.001",
		1500*time.Millisecond + time.Nanosecond: "1.501",
		250 * time.Microsecond:                  "0.001",
	} {
		if got := retryAfter(d); got != want {
			t.Errorf("retryAfter(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestHTTPMaintenance(t *testing.T) {
	s := newTestHTTP(t)
	s.Maintenance(true)
	s.Throttle(time.Hour) // maintenance answers first
	for _, path := range []string{"/time", "/balance"} {
		r := mustGet(t, s.URL()+path)
		if r.status != http.StatusServiceUnavailable || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") ||
			!strings.Contains(r.body, "maintenance") {
			t.Fatalf("%s under maintenance: %d %q %q", path, r.status, r.header.Get("Content-Type"), r.body)
		}
	}
	s.Maintenance(false)
	s.Throttle(0)
	if r := mustGet(t, s.URL()+"/balance"); r.status != 200 {
		t.Fatalf("after maintenance: %d", r.status)
	}
}

func TestHTTPExpireAuth(t *testing.T) {
	s := newTestHTTP(t)
	s.ExpireAuth([]byte(`{"code":1004,"msg":"API key expired"}`))
	if r := mustGet(t, s.URL()+"/balance"); r.status != http.StatusUnauthorized || r.body != `{"code":1004,"msg":"API key expired"}` {
		t.Fatalf("private route with expired auth: %d %q", r.status, r.body)
	}
	if r := mustGet(t, s.URL()+"/time"); r.status != 200 {
		t.Fatalf("public route with expired auth: %d", r.status)
	}
	s.ExpireAuth(nil)
	if r := mustGet(t, s.URL()+"/balance"); r.status != 200 {
		t.Fatalf("private route after renewal: %d", r.status)
	}
}

func TestHTTPDelayEndsWithTheClient(t *testing.T) {
	s := newTestHTTP(t)
	s.Delay(time.Hour)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if r, err := get(t, ctx, s.URL()+"/time"); err == nil {
		t.Fatalf("a reply came through an hour's delay: %d", r.status)
	}
	s.Delay(0)
	if r := mustGet(t, s.URL()+"/time"); r.status != 200 {
		t.Fatalf("after the delay: %d", r.status)
	}
	// Close (at cleanup) must not wait for the hour either.
}

func TestHTTPSkew(t *testing.T) {
	s := newTestHTTP(t)
	s.Skew(time.Hour)
	if d := time.Until(s.Now()); d < 59*time.Minute || d > 61*time.Minute {
		t.Fatalf("Now is %v ahead, want an hour", d)
	}
	if s.InWindow(time.Now(), 5*time.Second) {
		t.Fatal("a local timestamp is inside the window of a clock an hour ahead")
	}
	if !s.InWindow(time.Now().Add(time.Hour), 5*time.Second) || !s.InWindow(time.Now().Add(time.Hour-4*time.Second), 5*time.Second) {
		t.Fatal("a timestamp on the venue's clock is outside its window")
	}
	s.Skew(-time.Hour)
	if s.InWindow(time.Now(), 5*time.Second) || !s.InWindow(time.Now().Add(-time.Hour), 5*time.Second) {
		t.Fatal("a clock behind: wrong window")
	}
}

func TestHMACSHA256(t *testing.T) {
	// RFC 4231, test case 2.
	const rfc = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
	if got := SignHMACSHA256("Jefe", []byte("what do ya want for nothing?")); got != rfc {
		t.Fatalf("RFC 4231 case 2: %s", got)
	}
	// Binance's documented example (SIGNED endpoint security).
	const secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"
	const query = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559"
	const sig = "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71"
	if got := SignHMACSHA256(secret, []byte(query)); got != sig {
		t.Fatalf("binance example: %s", got)
	}
	if !VerifyHMACSHA256(secret, []byte(query), sig) || !VerifyHMACSHA256(secret, []byte(query), strings.ToUpper(sig)) {
		t.Fatal("a right signature was refused")
	}
	for _, bad := range []string{"", "zz", sig[:62], sig[:63] + "0"} {
		if VerifyHMACSHA256(secret, []byte(query), bad) {
			t.Fatalf("signature %q was accepted", bad)
		}
	}
	if VerifyHMACSHA256(secret+"x", []byte(query), sig) || VerifyHMACSHA256(secret, []byte(query+"&x=1"), sig) {
		t.Fatal("a signature was accepted with another secret or message")
	}
}
