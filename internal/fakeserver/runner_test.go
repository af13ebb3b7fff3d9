package fakeserver

import (
	"sync/atomic"
	"testing"
	"time"
)

func TestRunnerFlowStepsUntilStop(t *testing.T) {
	var r Runner
	var steps, events atomic.Int64
	r.Flow(1000, func(n int) { steps.Add(1); events.Add(int64(n)) })
	deadline := time.Now().Add(5 * time.Second)
	for steps.Load() < 3 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if !r.Stop() {
		t.Fatal("the first Stop reported false")
	}
	got := steps.Load()
	if got < 3 {
		t.Fatalf("%d steps in 5 s", got)
	}
	if e := events.Load(); e != 10*got {
		t.Fatalf("%d events in %d steps, want 10 a step at 1000/s", e, got)
	}
	time.Sleep(30 * time.Millisecond)
	if steps.Load() != got {
		t.Fatal("the flow stepped after Stop returned")
	}
	if r.Stop() {
		t.Fatal("a second Stop reported true")
	}
}

func TestRunnerFlowRateZeroRunsNothing(t *testing.T) {
	var r Runner
	r.Flow(0, func(int) { t.Error("stepped at rate 0") })
	time.Sleep(20 * time.Millisecond)
	r.Stop()
}

func TestRunnerAfterRunsAtStop(t *testing.T) {
	var r Runner
	var ran atomic.Bool
	if !r.After(time.Hour, func() { ran.Store(true) }) {
		t.Fatal("After refused before Stop")
	}
	r.Stop() // waits for f, which the stop released early
	if !ran.Load() {
		t.Fatal("a delayed function did not run by the end of Stop")
	}
	if !r.Stopped() {
		t.Fatal("Stopped is false after Stop")
	}
	if r.After(0, func() { t.Error("ran after Stop") }) || r.Go(func(<-chan struct{}) { t.Error("ran after Stop") }) {
		t.Fatal("a runner took work after Stop")
	}
}
