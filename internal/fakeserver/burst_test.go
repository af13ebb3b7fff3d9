package fakeserver

import (
	"strconv"
	"testing"
)

// TestFrames appends frames and sends them in two parts to three queues:
// one as they are, one in its own form, and one whose connection has
// ended, which is skipped rather than waited for.
func TestFrames(t *testing.T) {
	var f Frames
	const n = 50
	for i := range n {
		f.Append(n, func(dst []byte) []byte { return strconv.AppendInt(append(dst, 'u'), int64(i), 10) })
	}
	if f.Len() != n || string(f.Frame(0)) != "u0" || string(f.Frame(n-1)) != "u49" {
		t.Fatalf("%d frames, first %q, last %q", f.Len(), f.Frame(0), f.Frame(n-1))
	}
	plain, formed, ended := make(chan []byte, n), make(chan []byte, n), make(chan []byte) // ended is never read
	open, gone := make(chan struct{}), make(chan struct{})
	close(gone)
	queues := []Queue{
		{Out: plain, Done: open},
		{Out: formed, Done: open, Form: func(b []byte) []byte { return append([]byte("x-"), b...) }},
		{Out: ended, Done: gone},
	}
	f.Send(0, 20, queues)
	f.Send(20, n, queues)
	for i := range n {
		want := "u" + strconv.Itoa(i)
		if got := string(<-plain); got != want {
			t.Fatalf("frame %d: %q, want %q", i, got, want)
		}
		if got := string(<-formed); got != "x-"+want {
			t.Fatalf("formed frame %d: %q, want %q", i, got, "x-"+want)
		}
	}
}
