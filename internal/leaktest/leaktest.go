// Package leaktest fails a test whose goroutines outlive it: the check that
// Close really ends everything a component started.
package leaktest

import (
	"runtime"
	"strings"
	"testing"
	"time"
)

// Grace is how long Check waits for goroutines to finish exiting; reaching
// it means a leak, not a slow machine.
const Grace = 10 * time.Second

// Check records the goroutines alive now and, when the test's cleanups have
// run, fails it if any goroutine started since is still alive. Call it first
// in a test so that its cleanup runs last; tests using it must not run in
// parallel with others.
func Check(t testing.TB) {
	t.Helper()
	before := map[string]bool{}
	for _, g := range stacks() {
		before[id(g)] = true
	}
	t.Cleanup(func() {
		deadline := time.Now().Add(Grace)
		for {
			var extra []string
			for _, g := range stacks() {
				if !before[id(g)] && !benign(g) {
					extra = append(extra, g)
				}
			}
			if len(extra) == 0 {
				return
			}
			if time.Now().After(deadline) {
				t.Errorf("%d goroutine(s) outlived the test:\n\n%s", len(extra), strings.Join(extra, "\n\n"))
				return
			}
			time.Sleep(5 * time.Millisecond) // exits take a moment to be seen
		}
	})
}

// stacks returns the stack of every goroutine.
func stacks() []string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return strings.Split(strings.TrimSpace(string(buf[:n])), "\n\n")
		}
		buf = make([]byte, 2*len(buf))
	}
}

// id returns the goroutine number of a stack.
func id(stack string) string {
	n, _, _ := strings.Cut(strings.TrimPrefix(stack, "goroutine "), " ")
	return n
}

// benign reports goroutines of the runtime and the test framework, and the
// checker's own.
func benign(stack string) bool {
	for _, s := range []string{"testing.(*T).Run", "testing.tRunner(", "runtime.goexit0", "signal.signal_recv",
		"runtime.ensureSigM", "testing.runFuzzing", "testing.(*F).Fuzz", "leaktest.Check.func1"} {
		if strings.Contains(stack, s) {
			return true
		}
	}
	return false
}
