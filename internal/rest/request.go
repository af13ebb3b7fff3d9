package rest

import (
	"log/slog"
	"net/http"
	"net/url"
	"strings"
)

// Request is one built request: what Build returns and Do sends, byte for
// byte. A signer edits it in place. Its String, GoString and LogValue show
// the method, scheme, host and path only: never the query, the headers or
// the body, where keys and signatures travel.
type Request struct {
	// Method is the HTTP method.
	Method string
	// URL is the full URL. Do sends URL.RequestURI() (escaped path and
	// RawQuery) unchanged, so a signer signs exactly what it reads here.
	URL *url.URL
	// Header holds the request headers; never nil.
	Header http.Header
	// Body is the request body; nil for none.
	Body []byte

	// syncGen is the server-time sync generation the request was signed
	// with, so that one rejected timestamp triggers one resync.
	syncGen uint64
}

// AddQuery appends key=value (escaped as Params.Query is) to the URL's query
// string, for signers that add a timestamp or the signature itself.
func (r *Request) AddQuery(key, value string) {
	var b strings.Builder
	b.Grow(len(r.URL.RawQuery) + (len(key)+len(value))*5/4 + 2)
	b.WriteString(r.URL.RawQuery)
	if b.Len() > 0 {
		b.WriteByte('&')
	}
	writeQuery(&b, []Param{{Key: key, Value: value}})
	r.URL.RawQuery = b.String()
}

// SetBody replaces the body and sets its Content-Type (when not empty).
func (r *Request) SetBody(body []byte, contentType string) {
	r.Body = body
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
}

// String returns "METHOD scheme://host/path", without query, headers or body.
func (r *Request) String() string {
	if r == nil {
		return "<nil>"
	}
	return r.Method + " " + redactURL(r.URL)
}

// GoString is String, so that %#v does not print signed parts either.
func (r *Request) GoString() string { return r.String() }

// LogValue logs the method and the URL without its query.
func (r *Request) LogValue() slog.Value {
	if r == nil {
		return slog.StringValue("<nil>")
	}
	return slog.GroupValue(
		slog.String("method", r.Method),
		slog.String("url", redactURL(r.URL)),
		slog.Int("body_bytes", len(r.Body)),
	)
}

// redactURL returns scheme://host/path of u: no user info, query or
// fragment.
func redactURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	return u.Scheme + "://" + u.Host + u.EscapedPath()
}

// Response is a venue's reply, read in full (up to the configured cap).
type Response struct {
	// Endpoint is the endpoint that was called.
	Endpoint Endpoint
	// Status is the HTTP status code.
	Status int
	// Header holds the response headers.
	Header http.Header
	// Body is the response body, decompressed.
	Body []byte
}
