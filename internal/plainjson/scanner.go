// Package plainjson reads the plain subset of JSON that signing tools actually emit, quickly and
// without allocating per token: objects, printable-ASCII strings without escape sequences,
// integers of at most 15 digits, true, false and null.
//
// It exists for fast paths only. A caller parses untrusted input with a Scanner first and, when the
// Scanner reports anything outside the subset (ok == false), falls back to its full encoding/json
// decoder, which then decides. Within the subset every construct has one meaning, so a fast path
// built on it gives the full decoder's result; each caller proves this with a fuzz test comparing
// the two. A Scanner never rejects input by itself.
package plainjson

import "strconv"

// MaxIntegerDigits is the longest integer the Scanner reads: every such integer is exact as a
// float64 and prints without an exponent in RFC 8785 canonical JSON.
const MaxIntegerDigits = 15

// Scanner reads a byte slice from the start.
type Scanner struct {
	data []byte
	i    int
}

// New returns a Scanner over data.
func New(data []byte) *Scanner { return &Scanner{data: data} }

// Space skips JSON white space.
func (s *Scanner) Space() {
	for s.i < len(s.data) {
		switch s.data[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// End reports whether only white space remains.
func (s *Scanner) End() bool {
	s.Space()
	return s.i == len(s.data)
}

// next consumes b after white space.
func (s *Scanner) next(b byte) bool {
	s.Space()
	if s.i < len(s.data) && s.data[s.i] == b {
		s.i++
		return true
	}
	return false
}

// String reads a string of printable ASCII (0x20–0x7E) without escape sequences.
func (s *Scanner) String() (string, bool) {
	if !s.next('"') {
		return "", false
	}
	start := s.i
	for s.i < len(s.data) {
		switch b := s.data[s.i]; {
		case b == '"':
			v := string(s.data[start:s.i])
			s.i++
			return v, true
		case b < 0x20 || b > 0x7e || b == '\\':
			return "", false
		}
		s.i++
	}
	return "", false
}

// Literal consumes lit (true, false or null) after white space.
func (s *Scanner) Literal(lit string) bool {
	s.Space()
	if len(s.data)-s.i >= len(lit) && string(s.data[s.i:s.i+len(lit)]) == lit {
		s.i += len(lit)
		return true
	}
	return false
}

// Integer reads -?(0|[1-9][0-9]*) of at most MaxIntegerDigits digits, not followed by a fraction
// or an exponent.
func (s *Scanner) Integer() (int64, bool) {
	s.Space()
	start := s.i
	if s.i < len(s.data) && s.data[s.i] == '-' {
		s.i++
	}
	digits := s.i
	for s.i < len(s.data) && s.data[s.i] >= '0' && s.data[s.i] <= '9' {
		s.i++
	}
	n := s.i - digits
	if n == 0 || n > MaxIntegerDigits || (n > 1 && s.data[digits] == '0') {
		return 0, false
	}
	if s.i < len(s.data) {
		switch s.data[s.i] {
		case '.', 'e', 'E':
			return 0, false
		}
	}
	v, err := strconv.ParseInt(string(s.data[start:s.i]), 10, 64)
	return v, err == nil
}

// Object reads {"key": value, ...}: member is called for each key and must read its value. A
// repeated key, a member returning false or a syntax error outside the subset give false.
func (s *Scanner) Object(member func(key string) bool) bool {
	if !s.next('{') {
		return false
	}
	if s.next('}') {
		return true
	}
	var seen []string
	for {
		key, ok := s.String()
		if !ok || !s.next(':') {
			return false
		}
		for _, k := range seen {
			if k == key {
				return false
			}
		}
		seen = append(seen, key)
		if !member(key) {
			return false
		}
		if s.next('}') {
			return true
		}
		if !s.next(',') {
			return false
		}
	}
}

// Fields reads an object whose keys are exactly those of fields, each once, calling the key's
// function to read its value.
func (s *Scanner) Fields(fields map[string]func() bool) bool {
	got := 0
	ok := s.Object(func(key string) bool {
		f, known := fields[key]
		if !known {
			return false
		}
		got++
		return f()
	})
	return ok && got == len(fields)
}
