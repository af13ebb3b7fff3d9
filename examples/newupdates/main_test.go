package main

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/errors"
	"github.com/unifex-go/unifex/internal/leaktest"
	"github.com/unifex-go/unifex/unified"
)

// batchLine matches what run prints after each batch.
var batchLine = regexp.MustCompile(`\+(\d+) trades, (\d+) in all, volume (\S+), vwap (\S+), range (\S+)-(\S+)`)

func TestRunFoldsEveryBatchIntoTheVWAP(t *testing.T) {
	leaktest.Check(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()

	var out bytes.Buffer
	if err := run(ctx, &out); err != nil {
		t.Fatalf("run ended with %v, want nil at the end of its context", err)
	}
	batches := batchLine.FindAllStringSubmatch(out.String(), -1)
	if len(batches) == 0 {
		t.Fatalf("no batch of trades in 2 s; output:\n%s", out.String())
	}
	total := 0
	for _, b := range batches {
		n, _ := strconv.Atoi(b[1])
		all, _ := strconv.Atoi(b[2])
		total += n
		// newUpdates hands each trade out once: the running count is the
		// sum of the batches, so no trade was returned twice.
		if n == 0 || all != total {
			t.Errorf("batch %q: %d in all after %d trades", b[0], all, total)
		}
		vwap, low, high := decimal.RequireFromString(b[4]), decimal.RequireFromString(b[5]), decimal.RequireFromString(b[6])
		if vwap.LessThan(low) || vwap.GreaterThan(high) {
			t.Errorf("batch %q: vwap outside the traded range", b[0])
		}
		if !decimal.RequireFromString(b[3]).IsPositive() {
			t.Errorf("batch %q: no volume", b[0])
		}
	}
}

func trade(price, amount string) unified.Trade {
	t := unified.Trade{Symbol: symbol}
	if price != "" {
		t.Price = decimal.NewNullDecimal(decimal.RequireFromString(price))
	}
	if amount != "" {
		t.Amount = decimal.NewNullDecimal(decimal.RequireFromString(amount))
	}
	return t
}

func TestVWAPIsExact(t *testing.T) {
	var v vwap
	v.add([]unified.Trade{trade("100.1", "0.1"), trade("100.2", "0.2")})
	v.add([]unified.Trade{trade("", "5"), trade("100.3", "0.3"), trade("99", "")})
	// (10.01 + 20.04 + 30.09) / 0.6 = 100.2333…; a float64 sum would not
	// even give the volume exactly.
	if !v.volume.Equal(decimal.RequireFromString("0.6")) || v.trades != 3 {
		t.Fatalf("volume %s over %d trades, want 0.6 over 3 (trades without a price or amount skipped)", v.volume, v.trades)
	}
	if got := v.price().String(); got != "100.233333333333" {
		t.Errorf("vwap = %s, want 100.233333333333", got)
	}
	if v.low.String() != "100.1" || v.high.String() != "100.3" {
		t.Errorf("range %s-%s, want 100.1-100.3", v.low, v.high)
	}
}

func TestHandleWatchError(t *testing.T) {
	for _, tc := range []struct {
		name    string
		err     error
		lost    int
		fatal   bool
		printed string
	}{
		{"overflow says how many", fmt.Errorf("watchTrades: %w", &errors.CacheOverflowError{Topic: "trades BTC/USDT", Dropped: 7}), 7, false, "lost 7 trades"},
		{"network errors are waited out", errors.Newf(errors.RequestTimeout, "no frame for 30s"), 0, false, "reconnecting"},
		{"a gap is a network error too", errors.Newf(errors.InvalidNonce, "gap"), 0, false, "reconnecting"},
		{"anything else ends the loop", errors.Newf(errors.BadSymbol, "no market BTC/USDT"), 0, true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			lost, err := handleWatchError(log.New(&out, "", 0), tc.err)
			if lost != tc.lost || (err != nil) != tc.fatal {
				t.Fatalf("handleWatchError = %d, %v; want %d lost, fatal %t", lost, err, tc.lost, tc.fatal)
			}
			if tc.fatal && !errors.Is(err, errors.KindOf(tc.err)) {
				t.Errorf("the fatal error %v lost its kind", err)
			}
			if !strings.Contains(out.String(), tc.printed) {
				t.Errorf("printed %q, want it to say %q", out.String(), tc.printed)
			}
		})
	}
}
