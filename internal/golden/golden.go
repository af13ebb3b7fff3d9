// Package golden compares what a fake venue sends with the venue's
// documented messages, kept as golden files under an adapter's
// testdata/<id>/: JSON objects {"source": where the message was taken
// from, "message": the message}. A comparison is by shape — the key paths
// of the two messages and, optionally, their JSON types — not by value,
// for the fakes' tests (binancetest, okxtest, bybittest).
package golden

import (
	"encoding/json"
	"os"
	"sort"
	"strings"
	"testing"
)

// Read returns the message of the golden file at path, failing t when the
// file cannot be read or lacks a source or a message.
func Read(t testing.TB, path string) json.RawMessage {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Source  string          `json:"source"`
		Message json.RawMessage `json:"message"`
	}
	if err := json.Unmarshal(b, &doc); err != nil || doc.Source == "" || doc.Message == nil {
		t.Fatalf("%s: %v (a golden file has a source and a message)", path, err)
	}
	return doc.Message
}

// Shape maps each key path of a JSON value to the JSON type there
// ("string", "number", "bool", "array", "object" or "null"): "arg.channel",
// "data[]" (an array's first element), "data[].asks", "data[].asks[][]".
// An array stands for its first element; an empty one adds no path.
func Shape(raw json.RawMessage) map[string]string {
	out := map[string]string{}
	shape(raw, "", out)
	return out
}

func shape(raw json.RawMessage, prefix string, out map[string]string) {
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) == nil && obj != nil {
		for k, v := range obj {
			out[prefix+k] = typeOf(v)
			shape(v, prefix+k+".", out)
		}
		return
	}
	var arr []json.RawMessage
	if json.Unmarshal(raw, &arr) == nil && len(arr) > 0 {
		p := strings.TrimSuffix(prefix, ".") + "[]"
		out[p] = typeOf(arr[0])
		shape(arr[0], p+".", out)
	}
}

func typeOf(raw json.RawMessage) string {
	var v any
	_ = json.Unmarshal(raw, &v)
	switch v.(type) {
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "bool"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "null"
}

// Compare says how far a comparison goes.
type Compare int

const (
	// Keys compares the key paths only.
	Keys Compare = iota
	// Types also compares the JSON type at each path; a null on either
	// side matches any type.
	Types
)

// Diff lists, sorted, how the shape got departs from the shape want:
// "lacks k" for a path only want has, "adds k" for one only got has, and
// with Types "k is T, the docs' U" for a path whose types differ. The
// element of an array ("asks[]", "asks[][]") is not missed where the
// other side's array is empty, as a book update without asks is; the
// fields of an element ("data[].ts") are.
func Diff(want, got map[string]string, cmp Compare) []string {
	var diffs []string
	for k, typ := range want {
		switch gt, ok := got[k]; {
		case !ok && !emptyAbove(k, got):
			diffs = append(diffs, "lacks "+k)
		case ok && cmp == Types && gt != typ && gt != "null" && typ != "null":
			diffs = append(diffs, k+" is "+gt+", the docs' "+typ)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok && !emptyAbove(k, want) {
			diffs = append(diffs, "adds "+k)
		}
	}
	sort.Strings(diffs)
	return diffs
}

// emptyAbove reports whether k is an array's element path ("a[]",
// "a[][]") under an array that other holds empty.
func emptyAbove(k string, other map[string]string) bool {
	if !strings.HasSuffix(k, "[]") {
		return false
	}
	for i := strings.Index(k, "[]"); i >= 0; {
		arr := k[:i]
		if _, has := other[arr+"[]"]; !has && (arr == "" || other[arr] == "array") {
			return true
		}
		j := strings.Index(k[i+2:], "[]")
		if j < 0 {
			break
		}
		i += 2 + j
	}
	return false
}

// Check fails t (without stopping it) when the shape of got departs from
// that of the golden message want, naming the message name. The paths
// onlyWant are left out of want's shape (fields the docs show under
// conditions the fake does not meet), onlyGot out of got's (newer fields
// than the docs' example).
func Check(t testing.TB, name string, want, got json.RawMessage, cmp Compare, onlyWant, onlyGot []string) {
	t.Helper()
	w, g := Shape(want), Shape(got)
	for _, k := range onlyWant {
		delete(w, k)
	}
	for _, k := range onlyGot {
		delete(g, k)
	}
	if diffs := Diff(w, g, cmp); len(diffs) > 0 {
		t.Errorf("%s: %v\nfake: %s", name, diffs, got)
	}
}
