package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// kind is the JSON type of a value.
type kind int

const (
	kindNull kind = iota
	kindBool
	kindNumber
	kindString
	kindArray
	kindObject
)

func (k kind) String() string {
	return [...]string{"null", "a boolean", "a number", "a string", "an array", "an object"}[k]
}

// value is one JSON value with the order of an object's members kept, so
// that the schema reader can report unknown and repeated keys, which
// encoding/json passes over in silence.
type value struct {
	kind    kind
	boolean bool
	number  json.Number
	text    string
	items   []*value // kindArray
	keys    []string // kindObject, in document order
	members []*value // kindObject, members[i] is the value of keys[i]
}

// maxDepth bounds nesting, so that hostile input cannot exhaust the stack.
const maxDepth = 64

// parseJSON reads exactly one JSON value from data. A key repeated within
// one object is an error naming its path.
func parseJSON(data []byte) (*value, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := parseValue(dec, "", 0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the top-level value")
	}
	return v, nil
}

func parseValue(dec *json.Decoder, path string, depth int) (*value, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("%s: nested deeper than %d levels", where(path), maxDepth)
	}
	tok, err := dec.Token()
	if err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, fmt.Errorf("%s: %w", where(path), err)
	}
	switch t := tok.(type) {
	case nil:
		return &value{kind: kindNull}, nil
	case bool:
		return &value{kind: kindBool, boolean: t}, nil
	case json.Number:
		return &value{kind: kindNumber, number: t}, nil
	case string:
		return &value{kind: kindString, text: t}, nil
	case json.Delim:
		switch t {
		case '[':
			v := &value{kind: kindArray}
			for dec.More() {
				item, err := parseValue(dec, path+"["+strconv.Itoa(len(v.items))+"]", depth+1)
				if err != nil {
					return nil, err
				}
				v.items = append(v.items, item)
			}
			_, err := dec.Token() // ']'
			return v, err
		case '{':
			v := &value{kind: kindObject}
			seen := map[string]bool{}
			for dec.More() {
				tok, err := dec.Token()
				if err != nil {
					return nil, fmt.Errorf("%s: %w", where(path), err)
				}
				key := tok.(string) // the decoder only yields string keys inside an object
				keyPath := join(path, key)
				if seen[key] {
					return nil, fmt.Errorf("%s: key repeated", keyPath)
				}
				seen[key] = true
				member, err := parseValue(dec, keyPath, depth+1)
				if err != nil {
					return nil, err
				}
				v.keys = append(v.keys, key)
				v.members = append(v.members, member)
			}
			_, err := dec.Token() // '}'
			return v, err
		}
	}
	return nil, fmt.Errorf("%s: unexpected %v", where(path), tok)
}

// join appends an object key to a JSON path.
func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// where names a path in a message; the empty path is the document itself.
func where(path string) string {
	if path == "" {
		return "(top level)"
	}
	return path
}

// problems collects the errors found in a document, each with its path.
type problems []string

func (p *problems) add(path, format string, args ...any) {
	*p = append(*p, where(path)+": "+fmt.Sprintf(format, args...))
}

// object reads the members of one JSON object strictly: done reports every
// key that no getter asked for.
type object struct {
	path string
	v    *value
	used map[string]bool
	errs *problems
}

// asObject returns an object reader for v, or nil (with a problem recorded)
// when v is not an object.
func asObject(v *value, path string, errs *problems) *object {
	if v.kind != kindObject {
		errs.add(path, "must be an object, not %v", v.kind)
		return nil
	}
	return &object{path: path, v: v, used: map[string]bool{}, errs: errs}
}

// get returns the member named key, or nil when there is none (a problem
// when required).
func (o *object) get(key string, required bool) *value {
	o.used[key] = true
	for i, k := range o.v.keys {
		if k == key {
			return o.v.members[i]
		}
	}
	if required {
		o.errs.add(o.path, "%q is required", key)
	}
	return nil
}

// pathOf is the path of the member named key.
func (o *object) pathOf(key string) string { return join(o.path, key) }

// str returns the string member key ("" when absent or of another type).
func (o *object) str(key string, required bool) (string, bool) {
	v := o.get(key, required)
	if v == nil {
		return "", false
	}
	if v.kind != kindString {
		o.errs.add(o.pathOf(key), "must be a string, not %v", v.kind)
		return "", false
	}
	return v.text, true
}

// boolean returns the boolean member key (false when absent).
func (o *object) boolean(key string) bool {
	v := o.get(key, false)
	if v == nil {
		return false
	}
	if v.kind != kindBool {
		o.errs.add(o.pathOf(key), "must be true or false, not %v", v.kind)
		return false
	}
	return v.boolean
}

// number returns the number member key, which must not be negative.
func (o *object) number(key string, required bool) (float64, bool) {
	v := o.get(key, required)
	if v == nil {
		return 0, false
	}
	if v.kind != kindNumber {
		o.errs.add(o.pathOf(key), "must be a number, not %v", v.kind)
		return 0, false
	}
	f, err := v.number.Float64()
	if err != nil || f < 0 {
		o.errs.add(o.pathOf(key), "must be a number of 0 or more, not %s", v.number)
		return 0, false
	}
	return f, true
}

// integer returns the integer member key, which must be 1 or more.
func (o *object) integer(key string, required bool) (int64, bool) {
	v := o.get(key, required)
	if v == nil {
		return 0, false
	}
	if v.kind != kindNumber {
		o.errs.add(o.pathOf(key), "must be a whole number, not %v", v.kind)
		return 0, false
	}
	n, err := strconv.ParseInt(string(v.number), 10, 64)
	if err != nil || n < 1 {
		o.errs.add(o.pathOf(key), "must be a whole number of 1 or more, not %s", v.number)
		return 0, false
	}
	return n, true
}

// done reports the keys of the object that no getter asked for.
func (o *object) done() {
	for _, k := range o.v.keys {
		if !o.used[k] {
			o.errs.add(o.pathOf(k), "unknown field")
		}
	}
}
