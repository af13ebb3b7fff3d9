package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/unifex-go/unifex/exchange"
)

// The capability matrix is written between these markers of the README.
const (
	matrixBegin = "<!-- capabilities:begin -->"
	matrixEnd   = "<!-- capabilities:end -->"
)

// updateReadme writes the capability matrix of the linked-in adapters into
// the file at path, between its markers.
func updateReadme(path string) error {
	if !adaptersLinked {
		return errors.New("-readme needs the adapters, and this build has the codegen_noadapters tag")
	}
	table, err := matrix()
	if err != nil {
		return err
	}
	text, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	out, err := replaceMatrix(text, table)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return writeIfChanged(path, out)
}

// replaceMatrix returns text with what lies between the markers replaced
// by table.
func replaceMatrix(text []byte, table string) ([]byte, error) {
	i := bytes.Index(text, []byte(matrixBegin))
	if i < 0 {
		return nil, errors.New("no " + matrixBegin + " marker")
	}
	j := bytes.Index(text[i:], []byte(matrixEnd))
	if j < 0 {
		return nil, errors.New("no " + matrixEnd + " marker after " + matrixBegin)
	}
	j += i
	var out bytes.Buffer
	out.Write(text[:i+len(matrixBegin)])
	out.WriteString("\n" + table)
	out.Write(text[j:])
	return out.Bytes(), nil
}

// matrix is a Markdown table: one row per unified method, one column per
// registered adapter. Features are the adapter's declaration, read from an
// instance that is built with an empty configuration and closed at once.
func matrix() (string, error) {
	ids := exchange.IDs()
	if len(ids) == 0 {
		return "", errors.New("no adapter is registered")
	}
	has := make([]exchange.Features, len(ids))
	for i, id := range ids {
		ex, err := exchange.New(id, exchange.Config{})
		if err != nil {
			return "", fmt.Errorf("%s: %w", id, err)
		}
		has[i] = ex.Features()
		if err := ex.Close(); err != nil {
			return "", fmt.Errorf("%s: close: %w", id, err)
		}
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
