package rest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/unifex-go/unifex/errors"
)

// skewVenue is a fake venue whose clock runs skew ahead of the test's fake
// clock. Signed requests carry a millisecond timestamp that it refuses with
// Binance's -1021 when it is more than a second off.
type skewVenue struct {
	clock     *fakeClock
	skew      atomic.Int64
	timeCalls atomic.Int64
	accepted  atomic.Int64
	refused   atomic.Int64
}

func (v *skewVenue) serverNow() time.Time { return v.clock.Now().Add(time.Duration(v.skew.Load())) }

func (v *skewVenue) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/api/time" {
		v.timeCalls.Add(1)
		fmt.Fprintf(w, `{"serverTime":%d}`, v.serverNow().UnixMilli())
		return
	}
	ts, _ := strconv.ParseInt(r.URL.Query().Get("timestamp"), 10, 64)
	if d := v.serverNow().UnixMilli() - ts; d > 1000 || d < -1000 {
		v.refused.Add(1)
		w.WriteHeader(400)
		io.WriteString(w, `{"code":-1021,"msg":"Timestamp for this request is outside of the recvWindow."}`)
		return
	}
	v.accepted.Add(1)
	io.WriteString(w, `{"ok":true}`)
}

// newSkewEnv wires a client to a skewVenue with a Binance-style signer and
// a ServerTime hook that calls the venue's unsigned time endpoint through
// the client itself.
func newSkewEnv(t *testing.T, mod func(*Config)) (*env, *skewVenue) {
	v := new(skewVenue)
	var c *Client
	e := newEnv(t, v, func(cfg *Config) {
		cfg.Sign = binanceSigner("key", "secret", nil)
		cfg.CheckError = venueCheck
		cfg.ServerTime = func(ctx context.Context) (time.Time, error) {
			var out struct {
				ServerTime int64 `json:"serverTime"`
			}
			if err := c.DoJSON(ctx, Endpoint{API: "public", Path: "/time"}, Params{}, &out); err != nil {
				return time.Time{}, err
			}
			return time.UnixMilli(out.ServerTime), nil
		}
		if mod != nil {
			mod(cfg)
		}
	})
	c = e.c
	v.clock = e.clock
	return e, v
}

var signedPost = Endpoint{API: "private", Method: "POST", Path: "/order", Signed: true}

func TestServerTimeOffsetAppliedToSigner(t *testing.T) {
	e, v := newSkewEnv(t, nil)
	v.skew.Store(int64(5 * time.Second))
	for i := 0; i < 3; i++ {
		if _, err := e.c.Do(context.Background(), signedPost, Params{}); err != nil {
			t.Fatalf("signed call %d: %v", i, err)
		}
	}
	if v.timeCalls.Load() != 1 {
		t.Errorf("server time fetched %d times, want once (lazily, before the first signed call)", v.timeCalls.Load())
	}
	if e.c.Offset() != 5*time.Second || !e.c.Now().Equal(v.serverNow()) {
		t.Errorf("offset %v, Now %v, server %v", e.c.Offset(), e.c.Now(), v.serverNow())
	}
	if len(e.rec.sync) != 1 || e.rec.sync[0].Offset != 5*time.Second || e.rec.sync[0].Err != nil {
		t.Errorf("sync hook events %+v", e.rec.sync)
	}
	// Unsigned calls never sync.
	e2, v2 := newSkewEnv(t, nil)
	if _, err := e2.c.Do(context.Background(), Endpoint{API: "public", Path: "/time"}, Params{}); err != nil {
		t.Fatal(err)
	}
	if v2.timeCalls.Load() != 1 || e2.c.Offset() != 0 {
		t.Errorf("an unsigned call synced the clock")
	}
}

func TestServerTimeRTTCorrection(t *testing.T) {
	clock := newFakeClock()
	var signedAt time.Time
	e := newEnv(t, nil, func(c *Config) {
		c.Sources.Clock = clock.Now
		c.Sign = func(r *Request, ep Endpoint, now time.Time) error { signedAt = now; return nil }
		c.ServerTime = func(context.Context) (time.Time, error) {
			// The round trip takes 400 ms; the server read its clock in the
			// middle, when it was 3 s ahead.
			server := clock.Now().Add(200 * time.Millisecond).Add(3 * time.Second)
			clock.Add(400 * time.Millisecond)
			return server, nil
		}
	})
	if _, err := e.c.Build(context.Background(), signedPost, Params{}); err != nil {
		t.Fatal(err)
	}
	if e.c.Offset() != 3*time.Second {
		t.Errorf("offset %v, want 3s after removing half the round trip", e.c.Offset())
	}
	if want := clock.Now().Add(3 * time.Second); !signedAt.Equal(want) {
		t.Errorf("signer's clock %v, want %v", signedAt, want)
	}
	if e.rec.sync[0].RTT != 400*time.Millisecond {
		t.Errorf("RTT %v", e.rec.sync[0].RTT)
	}
}

func TestResyncOnInvalidNonceRetriesOnce(t *testing.T) {
	e, v := newSkewEnv(t, nil)
	if _, err := e.c.Do(context.Background(), signedPost, Params{}); err != nil {
		t.Fatal(err)
	}
	v.skew.Store(int64(9 * time.Second)) // the venue's clock jumps
	if _, err := e.c.Do(context.Background(), signedPost, Params{}); err != nil {
		t.Fatalf("a POST refused for its timestamp is resynced and sent once more: %v", err)
	}
	if v.timeCalls.Load() != 2 || v.refused.Load() != 1 || v.accepted.Load() != 2 || e.c.Offset() != 9*time.Second {
		t.Errorf("time calls %d, refused %d, accepted %d, offset %v", v.timeCalls.Load(), v.refused.Load(), v.accepted.Load(), e.c.Offset())
	}
}

func TestResyncOnlyOnce(t *testing.T) {
	e, v := newSkewEnv(t, nil)
	v.skew.Store(int64(time.Hour))
	// The venue's time endpoint lies: every signed request is refused.
	e.c.serverTime = func(context.Context) (time.Time, error) { v.timeCalls.Add(1); return e.clock.Now(), nil }
	_, err := e.c.Do(context.Background(), signedPost, Params{})
	if ee := wantKind(t, err, errors.InvalidNonce); ee.Code != "-1021" || ee.HTTPStatus != 400 {
		t.Errorf("%+v", ee)
	}
	if v.timeCalls.Load() != 2 || v.refused.Load() != 2 {
		t.Errorf("time calls %d, refused %d: want one resync and one retry", v.timeCalls.Load(), v.refused.Load())
	}
}

func TestConcurrentRefusalsResyncOnce(t *testing.T) {
	e, v := newSkewEnv(t, nil)
	if _, err := e.c.Do(context.Background(), signedPost, Params{}); err != nil {
		t.Fatal(err)
	}
	v.skew.Store(int64(20 * time.Second))
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := e.c.Do(context.Background(), signedPost, Params{}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if v.timeCalls.Load() != 2 {
		t.Errorf("%d server-time calls, want 2 (first use, one resync for the whole burst)", v.timeCalls.Load())
	}
}

func TestServerTimeFailure(t *testing.T) {
	e := newEnv(t, nil, func(c *Config) {
		c.Sign = func(*Request, Endpoint, time.Time) error { return nil }
		c.ServerTime = func(context.Context) (time.Time, error) {
			return time.Time{}, &errors.Error{Kind: errors.ExchangeNotAvailable, Message: "down"}
		}
	})
	_, err := e.c.Build(context.Background(), signedPost, Params{})
	if ee := wantKind(t, err, errors.ExchangeNotAvailable); !ee.Unsent || ee.Message != "server time sync: down" {
		t.Errorf("%+v", ee)
	}
	e.c.serverTime = func(context.Context) (time.Time, error) { return time.Time{}, nil }
	_, err = e.c.Build(context.Background(), signedPost, Params{})
	wantKind(t, err, errors.BadResponse)
	if len(e.rec.sync) != 2 || e.rec.sync[0].Err == nil {
		t.Errorf("sync hook events %+v", e.rec.sync)
	}
}
