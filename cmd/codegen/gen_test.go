package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite testdata/example/api_gen.go")

// The example venue: an api.json with every kind of group, security and
// weight rule, its generated code (the golden file) and tests of that code.
const (
	exampleAPI    = "testdata/example/api.json"
	exampleGolden = "testdata/example/api_gen.go"
)

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func generateFrom(t *testing.T, path string) []byte {
	t.Helper()
	api, err := load(readFile(t, path))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	src, err := generate(api, filepath.Base(path))
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// TestGolden compares the code generated from the example's api.json with
// its golden file (go test -run Golden -update rewrites it).
func TestGolden(t *testing.T) {
	got := generateFrom(t, exampleAPI)
	if *update {
		if err := os.WriteFile(exampleGolden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want := readFile(t, exampleGolden)
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("generated code differs from %s (-want +got):\n%s", exampleGolden, diff)
	}
}

// TestDeterministic checks that the output depends on neither the order of
// the endpoints in the file nor map iteration.
func TestDeterministic(t *testing.T) {
	api, err := load(readFile(t, exampleAPI))
	if err != nil {
		t.Fatal(err)
	}
	first, err := generate(api, "api.json")
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20 {
		rng.Shuffle(len(api.Endpoints), func(i, j int) {
			api.Endpoints[i], api.Endpoints[j] = api.Endpoints[j], api.Endpoints[i]
		})
		again, err := generate(api, "api.json")
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first, again) {
			t.Fatal("the output changed with the order of the endpoints")
		}
	}
}

func TestHeaderMatchesCheckGenerated(t *testing.T) {
	// The Makefile's check-generated finds generated files with this grep
	// pattern; the header must match it.
	src := generateFrom(t, exampleAPI)
	line, _, _ := strings.Cut(string(src), "\n")
	if !strings.HasPrefix(line, "// Code generated ") || !strings.HasSuffix(line, " DO NOT EDIT.") {
		t.Errorf("first line %q does not match ^// Code generated .* DO NOT EDIT\\.$", line)
	}
}

// moduleRoot is the directory of the module's go.mod.
func moduleRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("no go.mod at %s: %v", root, err)
	}
	return root
}

// goCommand runs the go command with args in the module root, failing the
// test with its output when it fails.
func goCommand(t *testing.T, args ...string) {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH:", err)
	}
	cmd := exec.Command(gobin, args...)
	cmd.Dir = moduleRoot(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// overlay returns the path of a go build overlay file that places files
// (name -> content) in the module's directory dir, where none of them may
// exist.
func overlay(t *testing.T, dir string, files map[string][]byte) string {
	t.Helper()
	tmp := t.TempDir()
	spec := map[string]map[string]string{"Replace": {}}
	for name, content := range files {
		target := filepath.Join(moduleRoot(t), filepath.FromSlash(dir), name)
		if _, err := os.Stat(target); err == nil {
			t.Fatalf("%s exists; the overlay must not hide a file", target)
		}
		src := filepath.Join(tmp, name)
		if err := os.WriteFile(src, content, 0o644); err != nil {
			t.Fatal(err)
		}
		spec["Replace"][target] = src
	}
	data, err := json.Marshal(spec)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(tmp, "overlay.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestGeneratedCodeRuns vets the example's generated code and runs
// testdata/example/example_test.go on it, which exercises weightOf's rules
// and Raw's requests (sorted parameters, placeholders, signing, the weight
// charged, a missing base URL) against a local server. TestGolden checks
// that the code is what the generator writes.
func TestGeneratedCodeRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a package")
	}
	goCommand(t, "vet", "./cmd/codegen/testdata/example")
	goCommand(t, "test", "-count=1", "./cmd/codegen/testdata/example")
}

const binanceDir = "../../adapters/binance"

// TestBinance checks that adapters/binance/api.json is valid, that its
// api_gen.go is current, and that the generated code compiles and passes
// go vet on its own, whatever the state of the rest of the adapter.
func TestBinance(t *testing.T) {
	src := generateFrom(t, filepath.Join(binanceDir, "api.json"))
	if committed := readFile(t, filepath.Join(binanceDir, "api_gen.go")); !bytes.Equal(src, committed) {
		t.Error("adapters/binance/api_gen.go is stale: run make generate")
	}
	if testing.Short() {
		return
	}
	// testdata itself holds no Go file: the generated one is vetted there
	// alone, as the package binance.
	goCommand(t, "vet", "-overlay", overlay(t, "cmd/codegen/testdata", map[string][]byte{"api_gen.go": src}), "./cmd/codegen/testdata")
}

// TestBinanceEndpoints checks the facts of api.json that the adapter
// relies on.
func TestBinanceEndpoints(t *testing.T) {
	api, err := load(readFile(t, filepath.Join(binanceDir, "api.json")))
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]Endpoint{}
	for _, ep := range api.Endpoints {
		byName[ep.Name] = ep
	}
	want := map[string]string{ // name -> method and full path
		"spotGetDepth":                  "GET /api/v3/depth",
		"spotGetExchangeInfo":           "GET /api/v3/exchangeInfo",
		"spotPostOrder":                 "POST /api/v3/order",
		"spotPutOrderAmendKeepPriority": "PUT /api/v3/order/amend/keepPriority",
		"spotGetRateLimitOrder":         "GET /api/v3/rateLimit/order",
		"sapiGetCapitalConfigGetall":    "GET /sapi/v1/capital/config/getall",
		"sapiPostCapitalWithdrawApply":  "POST /sapi/v1/capital/withdraw/apply",
		"fapiGetDepth":                  "GET /fapi/v1/depth",
		"fapiPutOrder":                  "PUT /fapi/v1/order",
		"fapiDeleteAllOpenOrders":       "DELETE /fapi/v1/allOpenOrders",
		"fapiV3GetBalance":              "GET /fapi/v3/balance",
		"fapiV3GetAccount":              "GET /fapi/v3/account",
		"fapiV3GetPositionRisk":         "GET /fapi/v3/positionRisk",
		"fapiPostListenKey":             "POST /fapi/v1/listenKey",
		"dapiGetDepth":                  "GET /dapi/v1/depth",
		"dapiPutListenKey":              "PUT /dapi/v1/listenKey",
		"dapiGetPositionRisk":           "GET /dapi/v1/positionRisk",
	}
	for name, route := range want {
		ep, ok := byName[name]
		if !ok {
			t.Errorf("no endpoint %s", name)
			continue
		}
		if got := ep.Method + " " + ep.FullPath(); got != route {
			t.Errorf("%s is %s, want %s", name, got, route)
		}
	}
	bases := map[string]bool{}
	for _, ep := range api.Endpoints {
		bases[ep.Group.API] = true
		if strings.HasSuffix(ep.Path, "/listenKey") != (ep.Security == "USER_STREAM") {
			t.Errorf("%s: security %s; listen keys, and only they, are USER_STREAM", ep.Name, ep.Security)
		}
		if ep.Source == "" {
			t.Errorf("%s has no source", ep.Name)
		}
	}
	if len(bases) != 4 || !bases["spot"] || !bases["sapi"] || !bases["fapi"] || !bases["dapi"] {
		t.Errorf("base URL keys %v, want spot, sapi, fapi and dapi", bases)
	}
	depth := byName["spotGetDepth"]
	if len(depth.Rules) != 1 || depth.Rules[0].Param != "limit" || len(depth.Rules[0].Steps) != 4 || !depth.Rules[0].Steps[3].Open {
		t.Errorf("spotGetDepth rules %+v, want the documented limit steps ending open at 250", depth.Rules)
	}
}
