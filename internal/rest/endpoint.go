package rest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/unifex-go/unifex/errors"
)

// Endpoint describes one REST endpoint of a venue, as an adapter's api.json
// lists it. It is a small value; adapters keep one per endpoint in a table.
type Endpoint struct {
	// API names the base URL the path is joined to: a key of
	// Config.BaseURLs such as "public", "private" or "fapiPublic".
	API string
	// Method is the HTTP method in upper case ("GET" when empty).
	Method string
	// Path is joined to the base URL with one slash. A {name} placeholder is
	// filled with the query parameter of that name, escaped, which then
	// leaves the query string.
	Path string
	// Signed marks an endpoint that needs the adapter's signature (and, where
	// the venue wants it, server-time sync): the Sign hook runs for it.
	Signed bool
	// Security is the venue's own name for how the endpoint is authorised
	// (binance "USER_STREAM": the API key header without a signature), for
	// the Sign hook to read; empty when Signed says all.
	Security string
	// Weight is the endpoint's cost in the venue's rate limit (1 when 0 or
	// less).
	Weight float64
	// Idempotent marks a POST, PUT, PATCH or DELETE that the venue documents
	// as safe to repeat, so that it is retried like a read. GET, HEAD and
	// OPTIONS are always idempotent.
	Idempotent bool
}

// method returns the endpoint's method, GET when unset.
func (e Endpoint) method() string {
	if e.Method == "" {
		return http.MethodGet
	}
	return e.Method
}

// idempotent reports whether sending the request twice has the effect of
// sending it once.
func (e Endpoint) idempotent() bool {
	switch e.method() {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return true
	}
	return e.Idempotent
}

// cost is the endpoint's rate-limit weight.
func (e Endpoint) cost() float64 {
	if e.Weight <= 0 {
		return 1
	}
	return e.Weight
}

// Param is one query parameter.
type Param struct {
	// Key and Value are the parameter's name and value, unescaped.
	Key, Value string
}

// Params are the inputs of one request. Query parameters keep the order in
// which they were added, so the query string a signer signs is the one that
// is sent, byte for byte.
type Params struct {
	// Query is encoded into the URL's query string in order (RFC 3986: only
	// unreserved characters are left unescaped). A parameter whose key names
	// a {placeholder} of the endpoint's path fills it instead.
	Query []Param
	// Body is sent as is; nil for none. Build does not copy it, and a signer
	// that needs a different body replaces Request.Body rather than editing
	// this slice.
	Body []byte
	// ContentType is the Content-Type header sent with Body.
	ContentType string
}

// Add appends a query parameter.
func (p *Params) Add(key, value string) {
	p.Query = append(p.Query, Param{Key: key, Value: value})
}

// AddExtra appends a caller's own parameters (exchange.Params) to the query
// in key order, after those the unified arguments set. A key already set,
// or one of reserved (what the signer adds), is a BadRequest: the unified
// arguments own it. Values are written by ParamText.
func (p *Params) AddExtra(extra map[string]any, reserved ...string) error {
	keys := make([]string, 0, len(extra))
	for k := range extra {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if _, taken := p.Get(k); taken || slices.Contains(reserved, k) {
			return errors.Newf(errors.BadRequest, "Params "+strconv.Quote(k)+" is set by the unified arguments")
		}
		v, err := ParamText(extra[k])
		if err != nil {
			return errors.Wrap(errors.BadRequest, err, "Params "+strconv.Quote(k))
		}
		p.Add(k, v)
	}
	return nil
}

// ParamText is the text of a caller's parameter value: a string as it is,
// integers and booleans as Go writes them, a float64 in plain decimal
// notation (no exponent), decimals and other fmt.Stringers by String.
func ParamText(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case bool:
		return strconv.FormatBool(x), nil
	case int:
		return strconv.Itoa(x), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case int32:
		return strconv.FormatInt(int64(x), 10), nil
	case uint64:
		return strconv.FormatUint(x, 10), nil
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	case json.Number:
		return x.String(), nil
	case fmt.Stringer:
		return x.String(), nil
	}
	return "", errors.Newf(errors.BadRequest, fmt.Sprintf("a value of type %T cannot be sent", v))
}

// Get returns the value of the first query parameter named key, and whether
// there was one.
func (p Params) Get(key string) (string, bool) {
	for _, q := range p.Query {
		if q.Key == key {
			return q.Value, true
		}
	}
	return "", false
}

// JSON returns Params whose body is v encoded as JSON (map keys sorted, so
// the bytes are deterministic) with Content-Type application/json.
func JSON(v any) (Params, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return Params{}, err
	}
	return Params{Body: b, ContentType: "application/json"}, nil
}

// Encode returns params as a query string (key=value pairs joined by '&', in
// order, escaped as Params.Query is), for example to build a form body that a
// venue signs.
func Encode(params []Param) string { return encodeQuery(params) }

// encodeQuery encodes params into one string with one allocation.
func encodeQuery(params []Param) string {
	n := 0
	for _, p := range params {
		n += len(p.Key) + len(p.Value) + 2
	}
	var b strings.Builder
	b.Grow(n + n/4)
	writeQuery(&b, params)
	return b.String()
}

// writeQuery writes params, encoded, to b.
func writeQuery(b *strings.Builder, params []Param) {
	for i, p := range params {
		if i > 0 {
			b.WriteByte('&')
		}
		writeEscaped(b, p.Key)
		b.WriteByte('=')
		writeEscaped(b, p.Value)
	}
}

// writeEscaped writes s with every byte outside RFC 3986's unreserved set
// (ALPHA / DIGIT / "-" / "." / "_" / "~") percent-encoded.
func writeEscaped(b *strings.Builder, s string) {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
}

// escape returns s escaped as writeEscaped does.
func escape(s string) string {
	for i := 0; i < len(s); i++ {
		if !unreserved(s[i]) {
			var b strings.Builder
			b.Grow(len(s) + 8)
			writeEscaped(&b, s)
			return b.String()
		}
	}
	return s
}

func unreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// fillPath replaces each {name} in path with the query parameter of that
// name. It returns the path with raw values, the path with escaped values,
// and the query without the parameters used; the caller's slice is not
// modified. missing is the name of a placeholder without a parameter.
func fillPath(path string, query []Param) (plain, escaped string, rest []Param, missing string) {
	if strings.IndexByte(path, '{') < 0 {
		return path, path, query, ""
	}
	var pb, eb strings.Builder
	used := make([]bool, len(query))
	for {
		open := strings.IndexByte(path, '{')
		if open < 0 {
			break
		}
		end := strings.IndexByte(path[open:], '}')
		if end < 0 {
			break
		}
		end += open
		name := path[open+1 : end]
		idx := -1
		for i, q := range query {
			if !used[i] && q.Key == name {
				idx = i
				break
			}
		}
		if idx < 0 {
			return "", "", nil, name
		}
		used[idx] = true
		pb.WriteString(path[:open])
		eb.WriteString(path[:open])
		pb.WriteString(query[idx].Value)
		eb.WriteString(escape(query[idx].Value))
		path = path[end+1:]
	}
	pb.WriteString(path)
	eb.WriteString(path)
	rest = make([]Param, 0, len(query))
	for i, q := range query {
		if !used[i] {
			rest = append(rest, q)
		}
	}
	return pb.String(), eb.String(), rest, ""
}
