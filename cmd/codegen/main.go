// Command codegen writes the project's generated code. It has two outputs:
//
//   - from an adapter's api.json, the venue's REST endpoints, the file
//     api_gen.go beside it: one rest.Endpoint value per endpoint, the
//     weight rules as the function weightOf, and one method per endpoint on
//     the type Raw, which reaches what the unified methods do not cover;
//   - from the registered adapters' declarations, the capability matrix of
//     README.md, between the lines "<!-- capabilities:begin -->" and
//     "<!-- capabilities:end -->".
//
// Usage:
//
//	go run ./cmd/codegen -api adapters/binance/api.json   # writes adapters/binance/api_gen.go
//	go run ./cmd/codegen -api api.json -out other_gen.go
//	go run ./cmd/codegen -readme README.md
//
// `make generate` (go generate ./...) runs both through the go:generate
// directives of each adapter package and of adapters/all, and `make
// check-generated` fails when either output is stale. The output is gofmt'ed
// and deterministic: endpoints, groups and kinds are sorted by name, and a
// file is rewritten only when its content changes.
//
// # Building without the adapters
//
// The matrix needs every adapter linked in, and an adapter package needs its
// api_gen.go to compile. So that api_gen.go can be written while it is
// missing or stale, an adapter's directive builds the command with
// -tags codegen_noadapters, which leaves the adapters (and -readme) out:
//
//	//go:generate go run -tags codegen_noadapters ../../cmd/codegen -api api.json
//
// `make generate` runs those directives before the others.
//
// # The api.json schema
//
// The file is one JSON object, read strictly: an unknown or repeated key, a
// value of the wrong type or a missing required field is an error naming its
// JSON path (endpoints[12].method), and every problem of the file is
// reported at once.
//
//	{
//	  "venue":     "binance",
//	  "package":   "binance",
//	  "security":  {"USER_STREAM": "API key header, no signature: listen keys"},
//	  "groups":    {"spot": {"api": "spot", "prefix": "/api/v3", "description": "spot (binance)"}},
//	  "endpoints": [{
//	    "name": "spotGetDepth", "group": "spot", "method": "GET", "path": "/depth",
//	    "security": "NONE", "weight": 5,
//	    "weightRules": [{"param": "limit", "steps": [{"max": 100, "weight": 5}, {"max": 500, "weight": 25}, {"weight": 250}]}],
//	    "description": "Order book of one symbol.",
//	    "source": "binance-spot-api-docs rest-api.md, Order book"
//	  }]
//	}
//
// Top level:
//
//   - venue (required): the adapter id the file describes, lower-case
//     letters and digits; it appears in the output's header.
//   - package (required): the Go package of the output.
//   - security: the venue's own authorisation kinds, each with a one-line
//     meaning. An endpoint of such a kind gets Signed: true and Security set
//     to the kind, for the adapter's signer to read (binance USER_STREAM:
//     the API key header without a signature).
//   - groups (required): the API groups by name. A name is a Go identifier
//     beginning with a lower-case letter, and the first word of its
//     endpoints' names.
//   - endpoints (required): the endpoints, in any order.
//
// A group:
//
//   - api: the key of rest.Config.BaseURLs its paths are joined to; the
//     group's name when left out. Groups may share one (binance fapi and
//     fapiV3 both go to "fapi").
//   - prefix: put before each of its endpoints' paths ("/api/v3"); empty,
//     or /segments without a trailing slash.
//   - description: one line, for the documentation of Raw.
//
// An endpoint:
//
//   - name (required): the unexported name of its rest.Endpoint variable,
//     the group's name followed by an upper-case letter or a digit
//     (spotGetDepth); the Raw method is the same name exported
//     (SpotGetDepth). Names are unique.
//   - group (required): a key of groups.
//   - method (required): GET, POST, PUT, PATCH or DELETE.
//   - path (required): /segments after the group's prefix, with {name}
//     placeholders that internal/rest fills from the parameter of that
//     name; no query. The base URL key, method and full path are unique.
//   - security (required): NONE (Signed false), SIGNED (Signed true), or a
//     kind of the top-level security.
//   - weight (required): the cost in the venue's rate limit, 0 or more, when
//     no rule applies (that is, with the venue's defaults).
//   - weightRules: the parameters that change the weight, as rules (below);
//     the first rule that applies decides.
//   - idempotent: true for a method other than GET that the venue documents
//     as safe to repeat; internal/rest then retries it like a read.
//   - description (required): what it does, one line.
//   - source: where the facts come from (document and section, or URL).
//
// A weight rule names its param and has exactly one of the keys below. A
// rule whose parameter is absent, or unreadable as the rule reads it, does
// not apply.
//
//   - present: w. The weight is w when the parameter is sent.
//   - steps: [{"max": m, "weight": w}, ..., {"weight": w}]. The parameter,
//     read as an integer n, weighs the weight of the first step with n <= max.
//     Maxes ascend; the last step may leave max out to take every larger n
//     (without it, a larger n does not apply).
//   - countSteps: the same steps over the number of elements of the
//     parameter read as a JSON array (binance symbols=["A","B"]).
//   - perItem: w, with an optional cap: c. w per element of that array, at
//     most c.
//
// Parameters travel in the query string for every method, sorted by key
// (binance accepts them there for POST, PUT and DELETE too); a venue that
// needs request bodies would add a field for it here.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

// run executes the command with args and returns its exit code: 0, 1 when
// generation failed, 2 for a usage error.
func run(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("codegen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	apiPath := fs.String("api", "", "an adapter's api.json, to write its Go code")
	outPath := fs.String("out", "", "the Go file -api writes (default: api_gen.go beside the api.json)")
	readme := fs.String("readme", "", "the README whose capability matrix to update")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 || (*apiPath == "" && *readme == "") || (*outPath != "" && *apiPath == "") {
		fmt.Fprintln(stderr, "usage: codegen -api api.json [-out api_gen.go] | -readme README.md")
		return 2
	}
	if *apiPath != "" {
		out := *outPath
		if out == "" {
			out = filepath.Join(filepath.Dir(*apiPath), "api_gen.go")
		}
		if err := generateFile(*apiPath, out); err != nil {
			fmt.Fprintln(stderr, "codegen:", err)
			return 1
		}
	}
	if *readme != "" {
		if err := updateReadme(*readme); err != nil {
			fmt.Fprintln(stderr, "codegen:", err)
			return 1
		}
	}
	return 0
}

// generateFile reads the api.json at in and writes its Go code to out.
func generateFile(in, out string) error {
	data, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	api, err := load(data)
	if err != nil {
		return fmt.Errorf("%s: %s", in, strings.ReplaceAll(err.Error(), "\n", "\n"+in+": "))
	}
	src, err := generate(api, filepath.Base(in))
	if err != nil {
		return err
	}
	return writeIfChanged(out, src)
}

// writeIfChanged writes data to path unless the file already holds it.
func writeIfChanged(path string, data []byte) error {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return nil
	}
	return os.WriteFile(path, data, 0o644)
}
