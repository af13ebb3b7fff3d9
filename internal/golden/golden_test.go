package golden

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestShape(t *testing.T) {
	got := Shape(json.RawMessage(`{"arg":{"channel":"books"},"data":[{"asks":[["1.5","2"]],"ts":"1","n":3,"x":null}],"e":[],"ok":true}`))
	want := map[string]string{"arg": "object", "arg.channel": "string", "data": "array", "data[]": "object",
		"data[].asks": "array", "data[].asks[]": "array", "data[].asks[][]": "string", "data[].ts": "string",
		"data[].n": "number", "data[].x": "null", "e": "array", "ok": "bool"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Shape = %v\nwant %v", got, want)
	}
}

func TestDiff(t *testing.T) {
	want := Shape(json.RawMessage(`{"a":"1","b":2,"c":{"d":true},"n":null}`))
	got := Shape(json.RawMessage(`{"a":1,"b":2,"c":{},"e":"x","n":"5"}`))
	if d, w := Diff(want, got, Keys), []string{"adds e", "lacks c.d"}; !reflect.DeepEqual(d, w) {
		t.Errorf("Keys: %q, want %q", d, w)
	}
	if d, w := Diff(want, got, Types), []string{"a is number, the docs' string", "adds e", "lacks c.d"}; !reflect.DeepEqual(d, w) {
		t.Errorf("Types: %q, want %q", d, w)
	}
}

// recorder is a testing.TB that notes an Errorf instead of failing.
type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Errorf(string, ...any) { r.failed = true }

func TestDiffEmptyArrays(t *testing.T) {
	want := Shape(json.RawMessage(`{"b":[["1","2"]],"a":[["3","4"]],"d":[{"ts":"1"}]}`))
	got := Shape(json.RawMessage(`{"b":[["1","2"]],"a":[],"d":[]}`))
	if d, w := Diff(want, got, Types), []string{"lacks d[].ts"}; !reflect.DeepEqual(d, w) {
		t.Errorf("empty arrays: %q, want %q", d, w)
	}
	if d, w := Diff(got, want, Types), []string{"adds d[].ts"}; !reflect.DeepEqual(d, w) {
		t.Errorf("empty arrays the other way: %q, want %q", d, w)
	}
	got = Shape(json.RawMessage(`{"b":[[1,2]],"a":[["3"]],"d":[{"ts":"1"}]}`))
	if d, w := Diff(want, got, Types), []string{"b[][] is number, the docs' string"}; !reflect.DeepEqual(d, w) {
		t.Errorf("element types: %q, want %q", d, w)
	}
}

func TestCheck(t *testing.T) {
	want := json.RawMessage(`{"a":"1","cond":"x"}`)
	listed := &recorder{TB: t}
	Check(listed, "m", want, json.RawMessage(`{"a":"2","new":1}`), Types, []string{"cond"}, []string{"new"})
	if listed.failed {
		t.Fatal("Check failed with every difference listed")
	}
	lacking := &recorder{TB: t}
	Check(lacking, "m", want, json.RawMessage(`{"a":"2"}`), Types, nil, nil)
	if !lacking.failed {
		t.Fatal("Check passed a message lacking a key")
	}
}

func TestRead(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ok.json")
	if err := os.WriteFile(path, []byte(`{"source":"https://example.com/docs","message":{"a":1}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := string(Read(t, path)); got != `{"a":1}` {
		t.Fatalf("Read = %s", got)
	}
}
