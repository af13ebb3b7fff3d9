// Command compare runs the side-by-side of issue 8: it serves the recorded
// stream (package replay) and runs each client as its own process, the
// clients in turn and their order rotated each round, checks every client's
// last book against the recording's final book (a run that ends on another
// book is invalid and stops the comparison), and prints each run and a table
// of medians with the ratios to unifex.
//
//	go build -o bin/ ./cmd/... && go run ./cmd/compare -runs 5
//	go run ./cmd/compare -serve    # only serve the recording, for a client run by hand
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/unifex-go/unifex/bench/compare/replay"
)

// run is one client run's figures: frames/s from the server's first frame
// to the client's last book, CPU from the client's subscription to it (the
// gap before the first frame costs no CPU), peak RSS of the whole process.
type run struct {
	fps, cpuPer100k, rssMB float64
}

func main() {
	data := flag.String("data", "testdata", "the recording's directory")
	bin := flag.String("bin", "bin", "the directory of the built Go clients")
	runs := flag.Int("runs", 5, "rounds (each runs every client once)")
	clients := flag.String("clients", "unifex,ccxt-go,ccxt-js,floor", "the clients to run, comma-separated")
	serve := flag.Bool("serve", false, "only serve the recording (on -port) until interrupted")
	port := flag.Int("port", 0, "the server's port (0: any free one)")
	gap := flag.Duration("gap", 100*time.Millisecond, "the pause between the snapshot reply and the first frame")
	flag.Parse()
	rec, err := replay.Load(*data)
	if err != nil {
		log.Fatal(err)
	}
	srv, err := replay.Serve(rec, *port, *gap)
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	if *serve {
		fmt.Printf("serving %d frames on %s; the last update id is %d\n", len(rec.Frames), srv.Addr(), rec.Final.LastUpdateID)
		select {}
	}
	names := strings.Split(*clients, ",")
	fmt.Printf("%d frames, final update id %d; load average at start: %s\n", len(rec.Frames), rec.Final.LastUpdateID, loadavg())
	results := map[string][]run{}
	for r := range *runs {
		for k := range names {
			name := names[(k+r)%len(names)]
			res, err := runClient(name, *bin, srv, rec)
			if err != nil {
				log.Fatalf("round %d, %s: %v", r+1, name, err)
			}
			fmt.Printf("round %d %-8s %9.0f frames/s %6.2f CPU s/100k frames %7.1f MB peak RSS  book ok\n",
				r+1, name, res.fps, res.cpuPer100k, res.rssMB)
			results[name] = append(results[name], res)
		}
	}
	fmt.Printf("load average at end: %s\n\n", loadavg())
	table(names, results)
}

// runClient runs one client process against the server and checks its book.
func runClient(name, bin string, srv *replay.Server, rec *replay.Recording) (run, error) {
	addr := srv.Addr()
	args := []string{"-addr", addr, "-last", strconv.FormatInt(rec.Final.LastUpdateID, 10), "-frames", strconv.Itoa(len(rec.Frames))}
	var cmd *exec.Cmd
	switch name {
	case "unifex", "ccxt-go", "floor":
		cmd = exec.Command(filepath.Join(bin, strings.ReplaceAll(name, "-", "")+"client"), args...)
	case "ccxt-js":
		cmd = exec.Command("node", append([]string{filepath.Join("ccxtjs", "client.mjs")}, args...)...)
	default:
		return run{}, fmt.Errorf("unknown client %q", name)
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, os.Stderr
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		return run{}, err
	}
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			return run{}, fmt.Errorf("%v: %s", err, out.Bytes())
		}
	case <-time.After(10 * time.Minute):
		cmd.Process.Kill()
		<-done
		return run{}, fmt.Errorf("no result within 10 minutes")
	}
	var res replay.Result
	line := bytes.TrimSpace(out.Bytes())
	if i := bytes.LastIndexByte(line, '\n'); i >= 0 {
		line = line[i+1:]
	}
	if err := json.Unmarshal(line, &res); err != nil {
		return run{}, fmt.Errorf("result %q: %v", line, err)
	}
	if err := rec.Final.Same(&res.Book); err != nil {
		return run{}, fmt.Errorf("INVALID RUN: the last book differs from the recording's: %v", err)
	}
	if res.PeakRSSKB <= 0 {
		return run{}, fmt.Errorf("no peak RSS in the result")
	}
	return run{
		// From the server's first frame to the client's last book: the
		// client's own span also holds the snapshot and the gap.
		fps:        float64(res.Frames) / time.Unix(0, res.EndUnixNano).Sub(srv.FirstFrame()).Seconds(),
		cpuPer100k: res.CPUSeconds / float64(res.Frames) * 1e5,
		rssMB:      float64(res.PeakRSSKB) / 1024,
	}, nil
}

// table prints the medians and the ratios to unifex (how many times
// unifex's throughput, CPU and memory are better).
func table(names []string, results map[string][]run) {
	med := func(rs []run, f func(run) float64) float64 {
		v := make([]float64, len(rs))
		for i, r := range rs {
			v[i] = f(r)
		}
		slices.Sort(v)
		if len(v)%2 == 1 {
			return v[len(v)/2]
		}
		return (v[len(v)/2-1] + v[len(v)/2]) / 2
	}
	type row struct{ fps, cpu, rss float64 }
	rows := map[string]row{}
	for _, n := range names {
		rs := results[n]
		rows[n] = row{med(rs, func(r run) float64 { return r.fps }), med(rs, func(r run) float64 { return r.cpuPer100k }), med(rs, func(r run) float64 { return r.rssMB })}
	}
	u, haveU := rows["unifex"]
	fmt.Println("| client | frames/s | CPU s per 100k frames | peak RSS MB | unifex's frames/s ÷ | its CPU ÷ unifex's | its RSS ÷ unifex's |")
	fmt.Println("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, n := range names {
		r := rows[n]
		ratio := func(a, b float64) string {
			if !haveU || b == 0 {
				return "—"
			}
			return fmt.Sprintf("%.2f×", a/b)
		}
		fmt.Printf("| %s | %.0f | %.2f | %.1f | %s | %s | %s |\n", n, r.fps, r.cpu, r.rss, ratio(u.fps, r.fps), ratio(r.cpu, u.cpu), ratio(r.rss, u.rss))
	}
}

// loadavg is the first three fields of /proc/loadavg.
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}
