package unified

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/unifex-go/unifex/errors"
)

// This file is the small JSON writer and reader the MarshalJSON and
// UnmarshalJSON methods in json.go are built on. The writer appends to a
// byte slice without reflection; decimals are written by appendDecimal,
// never through float64 or through shopspring's String (whose output
// depends on package-level settings).

// isoLayout is CCXT's datetime format: ISO 8601, UTC, milliseconds, quoted.
const isoLayout = `"2006-01-02T15:04:05.000Z"`

// maxPadding is the most zeros appendDecimal writes to place a decimal point;
// a number that needs more is written with an exponent (1e-40, 25e60).
const maxPadding = 32

// jsonObject appends one JSON object to buf, field by field.
type jsonObject struct {
	buf []byte
	err error
}

// openObject starts an object at the end of buf.
func openObject(buf []byte) jsonObject {
	return jsonObject{buf: append(buf, '{')}
}

// key writes the separator and k, which must need no escaping.
func (o *jsonObject) key(k string) {
	if o.buf[len(o.buf)-1] != '{' {
		o.buf = append(o.buf, ',')
	}
	o.buf = append(o.buf, '"')
	o.buf = append(o.buf, k...)
	o.buf = append(o.buf, '"', ':')
}

// quotedKey writes the separator and k escaped as a JSON string.
func (o *jsonObject) quotedKey(k string) {
	if o.buf[len(o.buf)-1] != '{' {
		o.buf = append(o.buf, ',')
	}
	o.buf = appendQuoted(o.buf, k)
	o.buf = append(o.buf, ':')
}

// null writes k: null.
func (o *jsonObject) null(k string) {
	o.key(k)
	o.buf = append(o.buf, "null"...)
}

// str writes s as a string, or null when s is empty.
func (o *jsonObject) str(k, s string) {
	if s == "" {
		o.null(k)
		return
	}
	o.key(k)
	o.buf = appendQuoted(o.buf, s)
}

// dec writes d as a number, or null when d is absent.
func (o *jsonObject) dec(k string, d decimal.NullDecimal) {
	if !d.Valid {
		o.null(k)
		return
	}
	o.key(k)
	o.buf = appendDecimal(o.buf, d.Decimal)
}

// millis writes t as Unix milliseconds, or null when t is zero.
func (o *jsonObject) millis(k string, t time.Time) {
	if t.IsZero() {
		o.null(k)
		return
	}
	o.key(k)
	o.buf = strconv.AppendInt(o.buf, t.UnixMilli(), 10)
}

// stamp writes t twice, as CCXT does: Unix milliseconds under tsKey and an
// ISO 8601 string under dtKey, both null when t is zero.
func (o *jsonObject) stamp(tsKey, dtKey string, t time.Time) {
	o.millis(tsKey, t)
	if t.IsZero() {
		o.null(dtKey)
		return
	}
	o.key(dtKey)
	o.buf = t.UTC().AppendFormat(o.buf, isoLayout)
}

// boolean writes b.
func (o *jsonObject) boolean(k string, b bool) {
	o.key(k)
	o.buf = strconv.AppendBool(o.buf, b)
}

// boolPtr writes *b, or null when b is nil.
func (o *jsonObject) boolPtr(k string, b *bool) {
	if b == nil {
		o.null(k)
		return
	}
	o.key(k)
	o.buf = strconv.AppendBool(o.buf, *b)
}

// fee writes f, or null when f is zero and zeroAsNull is set.
func (o *jsonObject) fee(k string, f Fee, zeroAsNull bool) {
	if zeroAsNull && f.IsZero() {
		o.null(k)
		return
	}
	o.key(k)
	o.buf = f.appendJSON(o.buf)
}

// fees writes fs as an array; nil is [].
func (o *jsonObject) fees(k string, fs []Fee) {
	o.key(k)
	o.buf = append(o.buf, '[')
	for i := range fs {
		if i > 0 {
			o.buf = append(o.buf, ',')
		}
		o.buf = fs[i].appendJSON(o.buf)
	}
	o.buf = append(o.buf, ']')
}

// info writes v with encoding/json, null when nil.
func (o *jsonObject) info(k string, v any) {
	o.key(k)
	if v == nil {
		o.buf = append(o.buf, "null"...)
		return
	}
	raw, err := json.Marshal(v)
	if err != nil {
		o.fail(k, err)
		o.buf = append(o.buf, "null"...)
		return
	}
	o.buf = append(o.buf, raw...)
}

// fail records the first encoding error.
func (o *jsonObject) fail(k string, err error) {
	if o.err == nil {
		o.err = errors.Wrap(errors.BadResponse, err, "unified: encoding field "+strconv.Quote(k))
	}
}

// close ends the object and returns the buffer, or the first error.
func (o *jsonObject) close() ([]byte, error) {
	if o.err != nil {
		return nil, o.err
	}
	return append(o.buf, '}'), nil
}

// appendDecimal appends d as a JSON number that denotes exactly d's value:
// plain notation with trailing fractional zeros dropped (1.50 → 1.5), or with
// an exponent when plain notation would need more than maxPadding zeros.
func appendDecimal(buf []byte, d decimal.Decimal) []byte {
	var scratch [24]byte
	var digits []byte
	negative := false
	if d.NumDigits() <= 18 {
		c := d.CoefficientInt64()
		if c < 0 {
			negative, c = true, -c
		}
		digits = strconv.AppendInt(scratch[:0], c, 10)
	} else {
		c := d.Coefficient()
		negative = c.Sign() < 0
		digits = c.Abs(c).Append(scratch[:0], 10)
	}
	if len(digits) == 1 && digits[0] == '0' {
		return append(buf, '0')
	}
	exp := int64(d.Exponent())
	for exp < 0 && digits[len(digits)-1] == '0' {
		digits = digits[:len(digits)-1]
		exp++
	}
	if negative {
		buf = append(buf, '-')
	}
	if exp >= 0 {
		buf = append(buf, digits...)
		if exp > maxPadding {
			buf = append(buf, 'e')
			return strconv.AppendInt(buf, exp, 10)
		}
		for ; exp > 0; exp-- {
			buf = append(buf, '0')
		}
		return buf
	}
	point := int64(len(digits)) + exp // digits before the decimal point
	switch {
	case point > 0:
		buf = append(buf, digits[:point]...)
		buf = append(buf, '.')
		return append(buf, digits[point:]...)
	case -point <= maxPadding:
		buf = append(buf, '0', '.')
		for i := point; i < 0; i++ {
			buf = append(buf, '0')
		}
		return append(buf, digits...)
	default:
		buf = append(buf, digits[0])
		if len(digits) > 1 {
			buf = append(buf, '.')
			buf = append(buf, digits[1:]...)
		}
		buf = append(buf, 'e')
		return strconv.AppendInt(buf, point-1, 10)
	}
}

// appendQuoted appends s as a JSON string. Invalid UTF-8 becomes U+FFFD, and
// U+2028 and U+2029 are escaped so the output is also valid JavaScript.
func appendQuoted(buf []byte, s string) []byte {
	const hex = "0123456789abcdef"
	buf = append(buf, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			buf = append(buf, s[start:i]...)
			switch c {
			case '"', '\\':
				buf = append(buf, '\\', c)
			case '\n':
				buf = append(buf, '\\', 'n')
			case '\r':
				buf = append(buf, '\\', 'r')
			case '\t':
				buf = append(buf, '\\', 't')
			default:
				buf = append(buf, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			buf = append(buf, s[start:i]...)
			buf = append(buf, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			buf = append(buf, s[start:i]...)
			buf = append(buf, '\\', 'u', '2', '0', '2', hex[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	buf = append(buf, s[start:]...)
	return append(buf, '"')
}

// jsonFields reads the fields of one JSON object. Each accessor returns the
// zero value for a missing or null field; the first malformed field is kept
// in err, which every UnmarshalJSON returns after reading all it needs.
type jsonFields struct {
	typ    string
	fields map[string]json.RawMessage
	err    error
}

// readFields parses data as an object of the named type. It returns nil and
// no error for null, which leaves the target unchanged as encoding/json
// expects, and nil and a typed error for anything but an object.
func readFields(data []byte, typ string) (*jsonFields, error) {
	if isNull(data) {
		return nil, nil
	}
	r := &jsonFields{typ: typ}
	if err := json.Unmarshal(data, &r.fields); err != nil {
		return nil, decodeError(typ, "", err)
	}
	return r, nil
}

// decodeError builds the typed error the decoders return.
func decodeError(typ, key string, err error) error {
	msg := "unified: decoding " + typ
	if key != "" {
		msg += " field " + strconv.Quote(key)
	}
	return errors.Wrap(errors.BadResponse, err, msg)
}

// isNull reports whether data is the JSON literal null.
func isNull(data []byte) bool {
	return string(bytes.TrimSpace(data)) == "null"
}

// raw returns the field's value, or nil when it is missing or null.
func (r *jsonFields) raw(key string) json.RawMessage {
	v, ok := r.fields[key]
	if !ok || isNull(v) {
		return nil
	}
	return v
}

// fail records the first decoding error.
func (r *jsonFields) fail(key string, err error) {
	if r.err == nil {
		r.err = decodeError(r.typ, key, err)
	}
}

// str reads a string field.
func (r *jsonFields) str(key string) string {
	v := r.raw(key)
	if v == nil {
		return ""
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		r.fail(key, err)
	}
	return s
}

// dec reads a number field; a string holding a number is accepted too.
func (r *jsonFields) dec(key string) decimal.NullDecimal {
	d, err := parseNumber(r.raw(key))
	if err != nil {
		r.fail(key, err)
	}
	return d
}

// millis reads a Unix-milliseconds field as a UTC time.
func (r *jsonFields) millis(key string) time.Time {
	t, err := parseMillis(r.raw(key))
	if err != nil {
		r.fail(key, err)
	}
	return t
}

// parseMillis parses integer Unix milliseconds as a UTC time; nil or null is
// the zero time.
func parseMillis(v json.RawMessage) (time.Time, error) {
	if v == nil || isNull(v) {
		return time.Time{}, nil
	}
	ms, err := strconv.ParseInt(string(v), 10, 64)
	if err != nil {
		return time.Time{}, errors.New("want integer milliseconds, got " + string(v))
	}
	return time.UnixMilli(ms).UTC(), nil
}

// time reads a time from tsKey (Unix milliseconds) or, when that is null,
// from dtKey (ISO 8601).
func (r *jsonFields) time(tsKey, dtKey string) time.Time {
	if r.raw(tsKey) != nil {
		return r.millis(tsKey)
	}
	s := r.str(dtKey)
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		r.fail(dtKey, err)
		return time.Time{}
	}
	return t.UTC()
}

// boolPtr reads a boolean field, nil when missing or null.
func (r *jsonFields) boolPtr(key string) *bool {
	v := r.raw(key)
	if v == nil {
		return nil
	}
	var b bool
	if err := json.Unmarshal(v, &b); err != nil {
		r.fail(key, err)
		return nil
	}
	return &b
}

// boolean reads a boolean field, false when missing or null.
func (r *jsonFields) boolean(key string) bool {
	b := r.boolPtr(key)
	return b != nil && *b
}

// into decodes a field into v with encoding/json (for nested unified types).
func (r *jsonFields) into(key string, v any) {
	raw := r.raw(key)
	if raw == nil {
		return
	}
	if err := json.Unmarshal(raw, v); err != nil {
		r.fail(key, err)
	}
}

// info returns the info field as a json.RawMessage, nil when null.
func (r *jsonFields) info() any {
	if v := r.raw("info"); v != nil {
		return v
	}
	return nil
}

// parseNumber parses a JSON number, or a JSON string holding one, exactly.
// nil (missing or null) is absent.
func parseNumber(v json.RawMessage) (decimal.NullDecimal, error) {
	if v == nil || isNull(v) {
		return decimal.NullDecimal{}, nil
	}
	text := string(v)
	if v[0] == '"' {
		if err := json.Unmarshal(v, &text); err != nil {
			return decimal.NullDecimal{}, err
		}
	} else if v[0] != '-' && (v[0] < '0' || v[0] > '9') {
		return decimal.NullDecimal{}, errors.New("want a number, got " + text)
	}
	d, err := decimal.NewFromString(text)
	if err != nil {
		return decimal.NullDecimal{}, err
	}
	return present(d), nil
}

// parseRequired parses a number that may not be absent.
func parseRequired(v json.RawMessage) (decimal.Decimal, error) {
	d, err := parseNumber(v)
	if err == nil && !d.Valid {
		err = errors.New("want a number, got null")
	}
	return d.Decimal, err
}
