package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReplaceMatrix(t *testing.T) {
	text := []byte("# T\n\n" + matrixBegin + "\nold\n" + matrixEnd + "\nafter\n")
	got, err := replaceMatrix(text, "| new |\n")
	if err != nil {
		t.Fatal(err)
	}
	if want := "# T\n\n" + matrixBegin + "\n| new |\n" + matrixEnd + "\nafter\n"; string(got) != want {
		t.Errorf("got %q, want %q", got, want)
	}
	for _, bad := range []string{"no markers", matrixEnd + "\n" + matrixBegin, matrixBegin + " only"} {
		if _, err := replaceMatrix([]byte(bad), "x"); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// TestMatrix checks the table of the adapters linked into the test: one
// column per registered id, one row per unified method.
func TestMatrix(t *testing.T) {
	table, err := matrix()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(table, "\n"), "\n")
	if !strings.HasPrefix(lines[0], "| method | ") || !strings.Contains(lines[0], " sim ") {
		t.Errorf("header %q lacks the sim column", lines[0])
	}
	if !strings.Contains(table, "| `fetchOrderBook` | ") || !strings.Contains(table, "| `watchOrderBook` | ") {
		t.Errorf("table lacks method rows:\n%s", table)
	}
	for _, line := range lines {
		if strings.Count(line, "|") != strings.Count(lines[0], "|") {
			t.Errorf("row %q has another number of cells than the header", line)
		}
	}
}

func TestRunUsage(t *testing.T) {
	for _, args := range [][]string{
		nil,
		{"-bogus"},
		{"-out", "x.go"},
		{"-api", "api.json", "extra"},
	} {
		var stderr bytes.Buffer
		if code := run(args, &stderr); code != 2 {
			t.Errorf("%q: exit %d, want 2 (%s)", args, code, stderr.String())
		}
	}
}

// TestRunAPI writes api_gen.go beside an api.json, then leaves it alone
// when nothing changed, and reports a bad file with its name and paths.
func TestRunAPI(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "api.json")
	if err := os.WriteFile(in, readFile(t, exampleAPI), 0o644); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	if code := run([]string{"-api", in}, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	out := filepath.Join(dir, "api_gen.go")
	first, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if code := run([]string{"-api", in, "-out", out}, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if again, err := os.Stat(out); err != nil || !again.ModTime().Equal(first.ModTime()) {
		t.Errorf("an unchanged output was rewritten (%v)", err)
	}

	bad := strings.Replace(string(readFile(t, exampleAPI)), `"method": "GET"`, `"method": "get"`, 2)
	if err := os.WriteFile(in, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	stderr.Reset()
	if code := run([]string{"-api", in}, &stderr); code != 1 {
		t.Fatalf("exit %d for a bad file, want 1", code)
	}
	for _, want := range []string{in + `: endpoints[0].method: "get"`, in + `: endpoints[1].method: "get"`} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("message %q lacks %q", stderr.String(), want)
		}
	}
}

// TestRunReadme updates a README's matrix between its markers.
func TestRunReadme(t *testing.T) {
	path := filepath.Join(t.TempDir(), "README.md")
	if err := os.WriteFile(path, []byte("intro\n"+matrixBegin+"\nstale\n"+matrixEnd+"\nend\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	if code := run([]string{"-readme", path}, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	got := string(readFile(t, path))
	if strings.Contains(got, "stale") || !strings.Contains(got, "| method | ") || !strings.HasSuffix(got, matrixEnd+"\nend\n") {
		t.Errorf("README after update:\n%s", got)
	}
}
