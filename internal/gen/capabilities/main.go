// Command capabilities writes the capability matrix — which unified methods
// each registered adapter has — into README.md between the markers
// "<!-- capabilities:begin -->" and "<!-- capabilities:end -->". It runs
// from `make generate` (see adapters/all) and CI checks the result is
// current.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"strings"

	_ "github.com/unifex-go/unifex/adapters/all"
	"github.com/unifex-go/unifex/exchange"
)

const (
	begin = "<!-- capabilities:begin -->"
	end   = "<!-- capabilities:end -->"
)

func main() {
	readme := flag.String("readme", "README.md", "the file to update")
	flag.Parse()
	if err := update(*readme); err != nil {
		fmt.Fprintln(os.Stderr, "capabilities:", err)
		os.Exit(1)
	}
}

func update(path string) error {
	text, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	i, j := bytes.Index(text, []byte(begin)), bytes.Index(text, []byte(end))
	if i < 0 || j < i {
		return fmt.Errorf("%s has no %s ... %s block", path, begin, end)
	}
	table, err := matrix()
	if err != nil {
		return err
	}
	var out bytes.Buffer
	out.Write(text[:i+len(begin)])
	out.WriteString("\n" + table)
	out.Write(text[j:])
	return os.WriteFile(path, out.Bytes(), 0o644)
}

// matrix is a Markdown table: one row per unified method, one column per
// adapter. Features are the adapter's declaration, read from an instance
// that is built and closed at once.
func matrix() (string, error) {
	ids := exchange.IDs()
	has := make([]exchange.Features, len(ids))
	for i, id := range ids {
		ex, err := exchange.New(id, exchange.Config{})
		if err != nil {
			return "", fmt.Errorf("%s: %w", id, err)
		}
		has[i] = ex.Features()
		_ = ex.Close()
	}
	var b strings.Builder
	b.WriteString("| method | " + strings.Join(ids, " | ") + " |\n|---|" + strings.Repeat("---|", len(ids)) + "\n")
	for _, f := range exchange.AllFeatures() {
		b.WriteString("| `" + f.String() + "` |")
		for i := range ids {
			mark := " "
			if has[i].Has(f) {
				mark = "✓"
			}
			b.WriteString(" " + mark + " |")
		}
		b.WriteString("\n")
	}
	return b.String(), nil
}
