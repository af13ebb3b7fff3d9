package jsonscan

import (
	"bytes"
	"unicode/utf16"
	"unicode/utf8"
)

// unescaped maps the letter of a one-letter escape to the byte it stands
// for; 0 for a letter that is no such escape.
var unescaped = [256]byte{
	'"': '"', '\\': '\\', '/': '/',
	'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t',
}

// escapeLen returns the length of the escape sequence at the start of b
// (which starts with a backslash): 2, 6 for \uXXXX, or 0 when it is not a
// valid one.
func escapeLen(b []byte) int {
	if len(b) < 2 {
		return 0
	}
	if b[1] != 'u' {
		if unescaped[b[1]] == 0 {
			return 0
		}
		return 2
	}
	if len(b) < 6 || hex4(b[2:6]) < 0 {
		return 0
	}
	return 6
}

// hex4 returns the value of four hex digits, or -1 when they are not.
func hex4(b []byte) rune {
	var r rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return -1
		}
		r = r<<4 | rune(c)
	}
	return r
}

// appendUnescaped appends the decoded content of a string (checked by
// scanString) to dst. A \u escape of a UTF-16 surrogate that does not pair
// with the escape after it becomes U+FFFD, as encoding/json decodes it.
func appendUnescaped(dst, raw []byte) []byte {
	for len(raw) > 0 {
		i := bytes.IndexByte(raw, '\\')
		if i < 0 {
			return append(dst, raw...)
		}
		dst = append(dst, raw[:i]...)
		raw = raw[i:]
		if raw[1] != 'u' {
			dst = append(dst, unescaped[raw[1]])
			raw = raw[2:]
			continue
		}
		r := hex4(raw[2:6])
		raw = raw[6:]
		if utf16.IsSurrogate(r) {
			paired := utf8.RuneError
			if len(raw) >= 6 && raw[0] == '\\' && raw[1] == 'u' {
				paired = utf16.DecodeRune(r, hex4(raw[2:6]))
			}
			if paired != utf8.RuneError {
				raw = raw[6:]
			}
			r = paired
		}
		dst = utf8.AppendRune(dst, r)
	}
	return dst
}
