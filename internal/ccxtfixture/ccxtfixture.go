// Package ccxtfixture reads CCXT's static test fixtures (request,
// response and ws files; /work/shared/conformance/ccxt/README.md) and
// compares a unified result of ours with the one CCXT expects, by CCXT's
// own rules. The adapters' ccxt_*_test.go files share it.
package ccxtfixture

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/shopspring/decimal"
)

// Case is one case of a fixture: a unified call (Method, Input) and what
// CCXT expects of it. Request fixtures give URL and Output (the body,
// often a JSON-encoded string); response fixtures HTTPResponse and
// ParsedResponse; ws fixtures URL, Messages and ParsedResponse(s).
type Case struct {
	Description     string            `json:"description"`
	Method          string            `json:"method"`
	Input           []json.RawMessage `json:"input"`
	URL             string            `json:"url"`
	Output          json.RawMessage   `json:"output"`
	HTTPResponse    json.RawMessage   `json:"httpResponse"`
	Messages        []json.RawMessage `json:"messages"`
	ParsedResponse  json.RawMessage   `json:"parsedResponse"`
	ParsedResponses []json.RawMessage `json:"parsedResponses"`
	Options         map[string]any    `json:"options"`
	Disabled        bool              `json:"disabled"`
}

// Expected is what the case expects: ParsedResponses, else the single
// ParsedResponse.
func (c *Case) Expected() []json.RawMessage {
	if len(c.ParsedResponses) > 0 {
		return c.ParsedResponses
	}
	return []json.RawMessage{c.ParsedResponse}
}

// Params is the case's last input when it is an object (CCXT's params),
// else an empty map.
func (c *Case) Params() map[string]any {
	params := map[string]any{}
	if n := len(c.Input); n > 0 {
		if err := json.Unmarshal(c.Input[n-1], &params); err != nil {
			return map[string]any{}
		}
	}
	return params
}

// Body is a request case's expected body: Output, which CCXT writes as a
// JSON-encoded string (outputType json) or as the value itself, decoded
// with json.Number; nil when the case checks the URL alone.
func (c *Case) Body() (any, error) {
	if len(c.Output) == 0 || string(c.Output) == "null" {
		return nil, nil
	}
	output := []byte(c.Output)
	var text string
	if json.Unmarshal(c.Output, &text) == nil {
		output = []byte(text)
	}
	return Decode(output)
}

// File is one fixture file.
type File struct {
	Exchange string            `json:"exchange"`
	SkipKeys []string          `json:"skipKeys"`
	Methods  map[string][]Case `json:"methods"`
}

// Read reads a fixture file.
func Read(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f File
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &f, nil
}

// Decode reads JSON keeping numbers as json.Number.
func Decode(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// Skips merges the entries of tables under each of keys (a method, a
// method/description): the fields not compared, each with the reason.
func Skips(tables []map[string]map[string]string, keys ...string) map[string]string {
	out := map[string]string{}
	for _, key := range keys {
		for _, table := range tables {
			for k, why := range table[key] {
				out[k] = why
			}
		}
	}
	return out
}

// CompareJSON marshals ours and compares it with CCXT's expected value
// (see Compare).
func CompareJSON(expected json.RawMessage, ours any, skip map[string]string) ([]string, error) {
	b, err := json.Marshal(ours)
	if err != nil {
		return nil, err
	}
	o, err := Decode(b)
	if err != nil {
		return nil, err
	}
	e, err := Decode(expected)
	if err != nil {
		return nil, fmt.Errorf("CCXT's expected value: %w", err)
	}
	return Compare("", e, o, skip), nil
}

// Compare lists where ours differs from CCXT's expected value, by CCXT's
// rules: every expected key must be there; falsy values (null, 0, "",
// false) are equal; numbers compare by value (CloseEnough); "info" is
// ignored, and so are the keys in skip, at any depth. A list CCXT writes
// one element longer whose extra last element is falsy is compared
// without it (a book level where CCXT keeps a venue's deprecated count,
// "0", after price and amount). path names the value in the messages.
func Compare(path string, expected, ours any, skip map[string]string) []string {
	if _, ok := skip[lastKey(path)]; ok {
		return nil
	}
	switch e := expected.(type) {
	case map[string]any:
		o, ok := ours.(map[string]any)
		if !ok {
			return []string{path + ": we have " + fmt.Sprint(ours) + ", CCXT an object"}
		}
		keys := make([]string, 0, len(e))
		for k := range e {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var out []string
		for _, k := range keys {
			if k == "info" {
				continue
			}
			v, present := o[k]
			if !present {
				if _, skipped := skip[k]; !skipped && !Falsy(e[k]) {
					out = append(out, path+"."+k+": missing")
				}
				continue
			}
			out = append(out, Compare(path+"."+k, e[k], v, skip)...)
		}
		return out
	case []any:
		o, ok := ours.([]any)
		if ok && len(e) == len(o)+1 && Falsy(e[len(o)]) {
			e = e[:len(o)]
		}
		if !ok || len(o) != len(e) {
			return []string{fmt.Sprintf("%s: we have %v, CCXT %v", path, ours, expected)}
		}
		var out []string
		for i := range e {
			out = append(out, Compare(fmt.Sprintf("%s[%d]", path, i), e[i], o[i], skip)...)
		}
		return out
	}
	if Falsy(expected) && Falsy(ours) {
		return nil
	}
	if en, ok := expected.(json.Number); ok {
		if on, ok := ours.(json.Number); ok {
			if d, err := decimal.NewFromString(on.String()); err == nil && CloseEnough(d, en.String()) {
				return nil
			}
		}
	} else if fmt.Sprint(expected) == fmt.Sprint(ours) {
		return nil
	}
	return []string{fmt.Sprintf("%s: we have %v, CCXT %v", path, ours, expected)}
}

func lastKey(path string) string {
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[i+1:]
	}
	return path
}

// Falsy reports whether v is null, false, "" or a zero number: CCXT's
// tests treat these as equal.
func Falsy(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case bool:
		return !x
	case string:
		return x == ""
	case json.Number:
		d, err := decimal.NewFromString(x.String())
		return err == nil && d.IsZero()
	}
	return false
}

// CloseEnough compares our exact number with CCXT's. A CCXT number of 15
// or more significant digits came out of float64 arithmetic (a derived
// vwap or percentage), where we compute exactly: it must agree to within
// the float's precision. Any other number must be equal.
func CloseEnough(ours decimal.Decimal, ccxt string) bool {
	want, err := decimal.NewFromString(ccxt)
	if err != nil {
		return false
	}
	if ours.Equal(want) {
		return true
	}
	digits := strings.TrimLeft(strings.NewReplacer("-", "", ".", "").Replace(strings.SplitN(strings.ToLower(ccxt), "e", 2)[0]), "0")
	if len(digits) < 15 {
		return false
	}
	return ours.Sub(want).Abs().LessThanOrEqual(want.Abs().Mul(decimal.New(1, -14)))
}
