package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/unifex-go/unifex/internal/leaktest"
)

// batchLine matches what consume prints for each batch it reads.
var batchLine = regexp.MustCompile(`(?m)(\S+) +(\S+) +\+(\d+) ids (\S+)$`)

func TestRunGivesEveryTradeToBothConsumers(t *testing.T) {
	leaktest.Check(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()

	var out bytes.Buffer
	if err := run(ctx, &out); err != nil {
		t.Fatalf("run ended with %v, want nil at the end of its context", err)
	}

	// Rebuild, from the batch lines alone, the ids each consumer read per symbol.
	read := map[string]map[string][]string{}
	for _, m := range batchLine.FindAllStringSubmatch(out.String(), -1) {
		name, symbol, ids := m[1], m[2], strings.Split(m[4], ",")
		if read[name] == nil {
			read[name] = map[string][]string{}
		}
		read[name][symbol] = append(read[name][symbol], ids...)
	}
	a, b := read[strategies[0]], read[strategies[1]]
	total := 0
	for _, symbol := range symbols {
		x, y := a[symbol], b[symbol]
		total += len(x) + len(y)
		// One may stop a batch before the other; apart from that they read
		// the same trades in the same order.
		short, long := x, y
		if len(short) > len(long) {
			short, long = long, short
		}
		for i := range short {
			if short[i] != long[i] {
				t.Fatalf("%s: the consumers differ at trade %d: %v vs %v", symbol, i, x, y)
			}
		}
		// newUpdates: a consumer never gets a trade twice.
		for name, ids := range map[string][]string{strategies[0]: x, strategies[1]: y} {
			seen := map[string]bool{}
			for _, id := range ids {
				if seen[id] {
					t.Errorf("%s read %s trade %s twice", name, symbol, id)
				}
				seen[id] = true
			}
		}
	}
	if total == 0 {
		t.Fatalf("no trade read in 2 s; output:\n%s", out.String())
	}
	if n := strings.Count(out.String(), "same trades in the same order: true"); n != len(symbols) {
		t.Errorf("the summary agrees on %d of %d symbols; output:\n%s", n, len(symbols), out.String())
	}
}
