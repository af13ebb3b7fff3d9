package main

import (
	"os"
	"strings"
	"testing"
)

// document is a valid api.json with endpoints in place of %s.
const document = `{
  "venue": "example",
  "package": "example",
  "security": {"KEY_ONLY": "API key header only"},
  "groups": {"spot": {"api": "spot", "prefix": "/api/v3"}, "fapi": {"prefix": "/fapi/v1"}},
  "endpoints": [%s]
}`

const timeEndpoint = `{"name": "spotGetTime", "group": "spot", "method": "GET", "path": "/time", "security": "NONE", "weight": 1, "description": "Server time."}`

func withEndpoints(eps ...string) string {
	return strings.Replace(document, "%s", strings.Join(eps, ",\n"), 1)
}

// withRules is the time endpoint with the given weightRules.
func withRules(rules string) string {
	return withEndpoints(strings.Replace(timeEndpoint, `"weight": 1`, `"weight": 1, "weightRules": `+rules, 1))
}

// endpointWith is the time endpoint with one member's JSON replaced.
func endpointWith(old, new string) string {
	return withEndpoints(strings.Replace(timeEndpoint, old, new, 1))
}

func TestLoadValid(t *testing.T) {
	api, err := load([]byte(withEndpoints(timeEndpoint,
		`{"name": "fapiPutListenKey", "group": "fapi", "method": "PUT", "path": "/listenKey", "security": "KEY_ONLY", "weight": 1, "idempotent": true, "description": "Keep alive.", "source": "docs"}`)))
	if err != nil {
		t.Fatal(err)
	}
	if api.Venue != "example" || api.Package != "example" || len(api.Endpoints) != 2 {
		t.Fatalf("read %+v", api)
	}
	put := api.Endpoints[1]
	if put.Group.API != "fapi" || put.FullPath() != "/fapi/v1/listenKey" || put.Security != "KEY_ONLY" || !put.Idempotent || put.Exported() != "FapiPutListenKey" {
		t.Errorf("endpoint %+v", put)
	}
}

// TestLoadErrors checks that each problem is reported with its JSON path.
func TestLoadErrors(t *testing.T) {
	for _, c := range []struct {
		name, doc string
		want      []string
	}{
		{"not JSON", `{"venue": `, []string{"venue: unexpected EOF"}},
		{"two documents", withEndpoints(timeEndpoint) + ` {}`, []string{"data after the top-level value"}},
		{"not an object", `[]`, []string{"(top level): must be an object, not an array"}},
		{"unknown top field", strings.Replace(withEndpoints(timeEndpoint), `"venue"`, `"vendor": 1, "venue"`, 1), []string{"vendor: unknown field"}},
		{"repeated key", strings.Replace(withEndpoints(timeEndpoint), `"venue": "example"`, `"venue": "a", "venue": "b"`, 1), []string{"venue: key repeated"}},
		{"repeated key inside", endpointWith(`"weight": 1`, `"weight": 1, "weight": 2`), []string{"endpoints[0].weight: key repeated"}},
		{"missing fields", `{}`, []string{`(top level): "venue" is required`, `"package" is required`, `"groups" is required`, `"endpoints" is required`}},
		{"bad venue", strings.Replace(withEndpoints(timeEndpoint), `"venue": "example"`, `"venue": "Ex-ample"`, 1), []string{`venue: "Ex-ample" is not a venue id`}},
		{"keyword package", strings.Replace(withEndpoints(timeEndpoint), `"package": "example"`, `"package": "func"`, 1), []string{`package: "func" is not a Go package name`}},
		{"built-in security", strings.Replace(withEndpoints(timeEndpoint), `"KEY_ONLY"`, `"SIGNED"`, 1), []string{"security.SIGNED: SIGNED is built in"}},
		{"bad security kind", strings.Replace(withEndpoints(timeEndpoint), `"KEY_ONLY"`, `"key only"`, 1), []string{`security.key only: "key only" is not a security kind`}},
		{"empty meaning", strings.Replace(withEndpoints(timeEndpoint), `"API key header only"`, `""`, 1), []string{"security.KEY_ONLY: must not be empty"}},
		{"bad group name", strings.Replace(withEndpoints(timeEndpoint), `"fapi": {`, `"Fapi": {`, 1), []string{`groups.Fapi: "Fapi" is not a group name`}},
		{"bad prefix", strings.Replace(withEndpoints(timeEndpoint), `"/fapi/v1"`, `"/fapi/v1/"`, 1), []string{`groups.fapi.prefix: "/fapi/v1/" is not a path prefix`}},
		{"unknown group field", strings.Replace(withEndpoints(timeEndpoint), `"prefix": "/fapi/v1"`, `"prefix": "/fapi/v1", "base": "x"`, 1), []string{"groups.fapi.base: unknown field"}},
		{"no endpoints", withEndpoints(), []string{"endpoints: lists no endpoint"}},
		{"unknown endpoint field", endpointWith(`"weight": 1`, `"weigth": 1`), []string{"endpoints[0].weigth: unknown field", `endpoints[0]: "weight" is required`}},
		{"lower-case method", endpointWith(`"GET"`, `"get"`), []string{`endpoints[0].method: "get" is not an HTTP method`}},
		{"unknown method", endpointWith(`"GET"`, `"FETCH"`), []string{`endpoints[0].method: "FETCH" is not an HTTP method`}},
		{"method of the wrong type", endpointWith(`"GET"`, `1`), []string{"endpoints[0].method: must be a string, not a number"}},
		{"duplicate name", withEndpoints(timeEndpoint, strings.Replace(timeEndpoint, `"/time"`, `"/time2"`, 1)), []string{`endpoints[1].name: "spotGetTime" is already the name of endpoints[0]`}},
		{"duplicate route", withEndpoints(timeEndpoint, strings.Replace(timeEndpoint, `"spotGetTime"`, `"spotGetTime2"`, 1)), []string{"endpoints[1]: GET /api/v3/time (base URL \"spot\") is already endpoints[0]"}},
		{"name without its group", endpointWith(`"spotGetTime"`, `"getTime"`), []string{`endpoints[0].name: "getTime" must be the group name "spot"`}},
		{"name continuing in lower case", endpointWith(`"spotGetTime"`, `"spottime"`), []string{`endpoints[0].name: "spottime" must continue its group name "spot"`}},
		{"name that is not an identifier", endpointWith(`"spotGetTime"`, `"spot-time"`), []string{`endpoints[0].name: "spot-time" is not an endpoint name`}},
		{"unknown group", endpointWith(`"group": "spot"`, `"group": "margin"`), []string{`endpoints[0].group: "margin" is not a group of "groups"`}},
		{"relative path", endpointWith(`"/time"`, `"time"`), []string{`endpoints[0].path: "time" is not a path`}},
		{"path with a query", endpointWith(`"/time"`, `"/time?x=1"`), []string{`endpoints[0].path: "/time?x=1" is not a path`}},
		{"repeated placeholder", endpointWith(`"/time"`, `"/a/{id}/b/{id}"`), []string{"endpoints[0].path: placeholder {id} appears twice"}},
		{"unknown security", endpointWith(`"NONE"`, `"TRADE"`), []string{`endpoints[0].security: "TRADE" is not NONE, SIGNED or a kind of "security"`}},
		{"negative weight", endpointWith(`"weight": 1`, `"weight": -1`), []string{"endpoints[0].weight: must be a number of 0 or more, not -1"}},
		{"weight as text", endpointWith(`"weight": 1`, `"weight": "1"`), []string{"endpoints[0].weight: must be a number, not a string"}},
		{"idempotent GET", endpointWith(`"weight": 1`, `"weight": 1, "idempotent": true`), []string{"endpoints[0].idempotent: a GET is always idempotent"}},
		{"two-line description", endpointWith(`"Server time."`, `"Server\ntime."`), []string{"endpoints[0].description: must be one line"}},
		{"missing description", endpointWith(`, "description": "Server time."`, ``), []string{`endpoints[0]: "description" is required`}},
		{"rules not an array", withRules(`{}`), []string{"endpoints[0].weightRules: must be an array, not an object"}},
		{"rule of two kinds", withRules(`[{"param": "symbol", "present": 1, "perItem": 2}]`), []string{"endpoints[0].weightRules[0]: needs exactly one of present, steps, countSteps, perItem (has 2)"}},
		{"rule of no kind", withRules(`[{"param": "symbol"}]`), []string{"endpoints[0].weightRules[0]: needs exactly one of"}},
		{"rule without param", withRules(`[{"present": 1}]`), []string{`endpoints[0].weightRules[0]: "param" is required`}},
		{"steps not ascending", withRules(`[{"param": "limit", "steps": [{"max": 100, "weight": 1}, {"max": 100, "weight": 2}]}]`),
			[]string{"endpoints[0].weightRules[0].steps[1].max: 100 does not exceed the step before it"}},
		{"open step not last", withRules(`[{"param": "limit", "steps": [{"weight": 1}, {"max": 100, "weight": 2}]}]`),
			[]string{`endpoints[0].weightRules[0].steps[0]: "max" is required`}},
		{"max not whole", withRules(`[{"param": "limit", "steps": [{"max": 1.5, "weight": 1}]}]`),
			[]string{"endpoints[0].weightRules[0].steps[0].max: must be a whole number of 1 or more, not 1.5"}},
		{"empty steps", withRules(`[{"param": "limit", "countSteps": []}]`), []string{"endpoints[0].weightRules[0].countSteps: must be a non-empty array"}},
		{"unknown step field", withRules(`[{"param": "limit", "steps": [{"max": 5, "weight": 1, "min": 1}]}]`), []string{"endpoints[0].weightRules[0].steps[0].min: unknown field"}},
		{"cap on steps", withRules(`[{"param": "limit", "steps": [{"weight": 1}], "cap": 5}]`), []string{"endpoints[0].weightRules[0].cap: belongs to a perItem rule only"}},
		{"zero cap", withRules(`[{"param": "symbols", "perItem": 4, "cap": 0}]`), []string{"endpoints[0].weightRules[0].cap: must be more than 0"}},
		{"deep nesting", strings.Repeat("[", 100) + strings.Repeat("]", 100), []string{"nested deeper than 64 levels"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			api, err := load([]byte(c.doc))
			if err == nil {
				t.Fatalf("loaded %+v, want an error", api)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%v\ndoes not contain %q", err, w)
				}
			}
		})
	}
}

// TestLoadReportsEveryProblem checks that one run names all problems.
func TestLoadReportsEveryProblem(t *testing.T) {
	doc := withEndpoints(
		strings.Replace(timeEndpoint, `"GET"`, `"get"`, 1),
		strings.Replace(strings.Replace(timeEndpoint, `"spotGetTime"`, `"spotGetPing"`, 1), `"NONE"`, `"TRADE"`, 1),
	)
	_, err := load([]byte(doc))
	if err == nil {
		t.Fatal("no error")
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "endpoints[0].method:") || !strings.HasPrefix(lines[1], "endpoints[1].security:") {
		t.Errorf("errors:\n%v\nwant one line for endpoints[0].method and one for endpoints[1].security", err)
	}
}

// FuzzLoad checks that no input makes load panic, and that whatever it
// accepts generates code that parses.
func FuzzLoad(f *testing.F) {
	for _, path := range []string{exampleAPI, "../../adapters/binance/api.json"} {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(withRules(`[{"param": "limit", "steps": [{"max": 1, "weight": 1}, {"weight": 2}]}]`)))
	f.Add([]byte(`{"venue": 1, "groups": [], "endpoints": {}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		api, err := load(data)
		if err != nil {
			return
		}
		if _, err := generate(api, "api.json"); err != nil {
			t.Fatalf("accepted a document whose code does not parse: %v", err)
		}
	})
}
