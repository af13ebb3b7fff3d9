package fakeserver

import "slices"

// Frames are the messages of a burst: a fake venue's book updates made
// and encoded in advance, back to back in one buffer, and written by Send
// as fast as the connections take them, for throughput and latency
// benchmarks of a client. The zero value is empty and ready.
type Frames struct {
	buf  []byte
	ends []int // frame i is buf[ends[i-1]:ends[i]] (ends[-1] = 0)
}

// Append adds the frame that write appends to the slice it is given, and
// makes room for expected frames in all, each about as long as the first.
func (f *Frames) Append(expected int, write func(dst []byte) []byte) {
	f.buf = write(f.buf)
	f.ends = append(f.ends, len(f.buf))
	if len(f.ends) == 1 && expected > 1 { // with a margin for longer numbers
		f.buf = slices.Grow(f.buf, len(f.buf)*(expected-1)*9/8)
		f.ends = slices.Grow(f.ends, expected-1)
	}
}

// Len is the number of frames.
func (f *Frames) Len() int { return len(f.ends) }

// Frame returns frame i, which the caller must not change.
func (f *Frames) Frame(i int) []byte {
	start := 0
	if i > 0 {
		start = f.ends[i-1]
	}
	return f.buf[start:f.ends[i]]
}

// Queue is one connection's outgoing queue, which the fake's writer for
// that connection drains to the socket.
type Queue struct {
	// Out takes the frames.
	Out chan<- []byte
	// Done is closed when the connection ends.
	Done <-chan struct{}
	// Form returns a frame as this connection receives it (another stream
	// name, another envelope); nil sends the frames as they are.
	Form func(frame []byte) []byte
}

// Send writes frames i to j-1, in order, to every queue, waiting while a
// queue is full rather than dropping its client as a fake's live flow
// does. It returns once the last frame is queued; a queue whose connection
// ends is skipped from then on.
func (f *Frames) Send(i, j int, queues []Queue) {
	live := slices.Clone(queues)
	for k := i; k < j; k++ {
		frame := f.Frame(k)
		for n := range live {
			q := &live[n]
			if q.Out == nil {
				continue
			}
			out := frame
			if q.Form != nil {
				out = q.Form(frame)
			}
			select {
			case <-q.Done:
				q.Out = nil
			case q.Out <- out:
			}
		}
	}
}
