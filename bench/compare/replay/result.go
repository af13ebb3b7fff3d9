package replay

import (
	"bytes"
	"encoding/json"
	"os"
	"strconv"
	"syscall"
	"time"
)

// Result is what a client prints on its standard output, one JSON line,
// once its book has reached the last frame's update id.
type Result struct {
	// Client names the client ("unifex", "ccxt-go", "ccxt-js", "floor").
	Client string `json:"client"`
	// Frames is the number of stream frames the client took in.
	Frames int `json:"frames"`
	// Seconds is the wall time from the subscription to the last book.
	Seconds float64 `json:"seconds"`
	// EndUnixNano is the wall clock when the last book was there: the driver
	// times the stream from the server's first frame to it.
	EndUnixNano int64 `json:"endUnixNano"`
	// CPUSeconds is the process's user and system CPU time over the same span.
	CPUSeconds float64 `json:"cpuSeconds"`
	// PeakRSSKB is the process's peak resident set (VmHWM in
	// /proc/self/status), read at the end. Not the rusage ru_maxrss a parent
	// gets from wait4: on Linux a child's ru_maxrss starts from the RSS of
	// the process that started it (the driver, which holds the recording).
	PeakRSSKB int64 `json:"peakRssKB"`
	// Book is the client's book at the end.
	Book Book `json:"book"`
}

// Print writes r as one JSON line to standard output, with PeakRSSKB read
// now.
func (r *Result) Print() error {
	r.PeakRSSKB = PeakRSSKB()
	if r.EndUnixNano == 0 {
		r.EndUnixNano = time.Now().UnixNano()
	}
	return json.NewEncoder(os.Stdout).Encode(r)
}

// CPUTime is the calling process's user plus system CPU time so far.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// PeakRSSKB is the calling process's VmHWM in kB, 0 when it cannot be read.
func PeakRSSKB() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	_, rest, ok := bytes.Cut(b, []byte("VmHWM:"))
	if !ok {
		return 0
	}
	line, _, _ := bytes.Cut(rest, []byte("\n"))
	kb, err := strconv.ParseInt(string(bytes.TrimSuffix(bytes.TrimSpace(line), []byte(" kB"))), 10, 64)
	if err != nil {
		return 0
	}
	return kb
}
