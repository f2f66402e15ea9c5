package policy

import (
	"encoding/json"
	"errors"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// decoder walks a document that encoding/json has already accepted as syntactically valid, so the
// lexer below never has to handle malformed input. It keeps the byte offset of every token, which
// the errors turn into line and column, and the JSON path of the value being decoded.
//
// In lint mode, errors are collected and decoding resumes after the offending value; otherwise the
// first error (in document order) is returned.
type decoder struct {
	data []byte
	pos  int
	file string
	lint bool
	// compat refuses sigpolicy's extension fields as unknown keys (WithCompat).
	compat bool
	errs   []*Error
	path   []pathSeg

	newlines []int // offsets of '\n', built on the first error
}

// pathSeg is one step of a JSON path: an object field, a bracketed map key (scopes) or an index.
type pathSeg struct {
	key   string
	index int
	kind  uint8 // segField, segKey or segIndex
}

const (
	segField = iota
	segKey
	segIndex
)

func (d *decoder) pushField(k string) { d.path = append(d.path, pathSeg{key: k, kind: segField}) }
func (d *decoder) pushKey(k string)   { d.path = append(d.path, pathSeg{key: k, kind: segKey}) }
func (d *decoder) pushIndex(i int)    { d.path = append(d.path, pathSeg{index: i, kind: segIndex}) }
func (d *decoder) pop()               { d.path = d.path[:len(d.path)-1] }

// renderPath formats the current path, e.g. transports.docker["quay.io/x"][1].fulcio.oidcIssuer.
func (d *decoder) renderPath() string {
	var b strings.Builder
	for i, s := range d.path {
		switch s.kind {
		case segIndex:
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(s.index))
			b.WriteByte(']')
		case segField:
			if isIdentifier(s.key) {
				if i > 0 {
					b.WriteByte('.')
				}
				b.WriteString(s.key)
				continue
			}
			fallthrough
		default:
			b.WriteByte('[')
			b.WriteString(strconv.Quote(s.key))
			b.WriteByte(']')
		}
	}
	return b.String()
}

func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// errAt builds an *Error at byte offset off for the current path.
func (d *decoder) errAt(off int, sentinel error, msg string) *Error {
	line, col := d.lineCol(off)
	return &Error{File: d.file, Path: d.renderPath(), Line: line, Column: col, Msg: msg, Err: sentinel}
}

// lineCol converts a byte offset to a 1-based line and 1-based byte column. The newline offsets
// are indexed once, so linting a document with many errors stays linear.
func (d *decoder) lineCol(off int) (line, col int) {
	if off > len(d.data) {
		off = len(d.data)
	}
	if d.newlines == nil {
		d.newlines = []int{}
		for i, c := range d.data {
			if c == '\n' {
				d.newlines = append(d.newlines, i)
			}
		}
	}
	// n = number of newlines before off.
	n := sort.SearchInts(d.newlines, off)
	lineStart := 0
	if n > 0 {
		lineStart = d.newlines[n-1] + 1
	}
	return n + 1, off - lineStart + 1
}

// recover is called where decoding can resume after a failed value that started at start. In
// Parse mode it returns err unchanged; in lint mode it records err, skips the value and returns nil.
func (d *decoder) recover(start int, err error) error {
	if err == nil || !d.lint {
		return err
	}
	if err == errLinted {
		d.pos = start
		d.skipValue()
		return nil
	}
	if e, ok := err.(*Error); ok {
		d.errs = append(d.errs, e)
	} else {
		d.errs = append(d.errs, d.errAt(start, ErrInvalidPolicy, err.Error()))
	}
	d.pos = start
	d.skipValue()
	return nil
}

// ws skips JSON whitespace and returns the next byte (0 at the end).
func (d *decoder) ws() byte {
	for d.pos < len(d.data) {
		switch c := d.data[d.pos]; c {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return c
		}
	}
	return 0
}

// kind describes the JSON value starting at the current position, for error messages.
func (d *decoder) kind() string {
	switch d.ws() {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 'n':
		return "null"
	case 't', 'f':
		return "boolean"
	default:
		return "number"
	}
}

// readString reads the string token at the current position and returns its value exactly as
// encoding/json decodes it (escapes resolved, invalid UTF-8 replaced by U+FFFD).
func (d *decoder) readString() string {
	start := d.pos
	escaped, nonASCII := false, false
	i := start + 1
	for {
		c := d.data[i]
		if c == '\\' {
			escaped = true
			i += 2
			continue
		}
		if c == '"' {
			break
		}
		if c >= utf8.RuneSelf {
			nonASCII = true
		}
		i++
	}
	d.pos = i + 1
	body := d.data[start+1 : i]
	if !escaped && (!nonASCII || utf8.Valid(body)) {
		return string(body)
	}
	var s string
	if err := json.Unmarshal(d.data[start:i+1], &s); err != nil {
		// Unreachable: the document was validated before decoding.
		panic("policy: internal error: validated string failed to decode: " + err.Error())
	}
	return s
}

// readLiteral consumes a number, true, false or null token and returns its bytes.
func (d *decoder) readLiteral() []byte {
	start := d.pos
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ',', ']', '}', ' ', '\t', '\n', '\r':
			return d.data[start:d.pos]
		}
		d.pos++
	}
	return d.data[start:d.pos]
}

// skipValue consumes one JSON value.
func (d *decoder) skipValue() {
	switch d.ws() {
	case '"':
		d.readString()
	case '{', '[':
		depth := 0
		for d.pos < len(d.data) {
			switch d.data[d.pos] {
			case '"':
				d.readString()
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					d.pos++
					return
				}
			}
			d.pos++
		}
	default:
		d.readLiteral()
	}
}

// object walks the object at the current position (the caller has checked it is one). For each
// key it rejects duplicates (compared after unescaping, as containers/image does) and then calls
// field with the key and the offsets of the key and of its value; field must consume the value or
// return an error. In lint mode an error from field is recorded and the walk continues.
func (d *decoder) object(field func(key string, keyPos, valPos int) error) error {
	d.pos++ // '{'
	var seen []string
	var seenMap map[string]struct{}
	for first := true; ; first = false {
		c := d.ws()
		if c == '}' {
			d.pos++
			return nil
		}
		if !first && c == ',' {
			d.pos++
			d.ws()
		}
		keyPos := d.pos
		key := d.readString()
		d.ws()
		d.pos++ // ':'
		valPos := d.pos
		if d.ws() != 0 {
			valPos = d.pos
		}
		var err error
		if isDuplicate(key, &seen, &seenMap) {
			d.pushField(key)
			err = d.errAt(keyPos, ErrDuplicateKey, "duplicate key "+strconv.Quote(key))
			d.pop()
		} else {
			err = field(key, keyPos, valPos)
		}
		if err := d.recover(valPos, err); err != nil {
			return err
		}
	}
}

func isDuplicate(key string, seen *[]string, seenMap *map[string]struct{}) bool {
	if *seenMap != nil {
		if _, ok := (*seenMap)[key]; ok {
			return true
		}
		(*seenMap)[key] = struct{}{}
		return false
	}
	for _, k := range *seen {
		if k == key {
			return true
		}
	}
	*seen = append(*seen, key)
	if len(*seen) > 16 {
		*seenMap = make(map[string]struct{}, 2*len(*seen))
		for _, k := range *seen {
			(*seenMap)[k] = struct{}{}
		}
	}
	return false
}

// array walks the array at the current position (the caller has checked it is one), calling elem
// for each element with its index and offset. In lint mode an error from elem is recorded and the
// walk continues.
func (d *decoder) array(elem func(i, valPos int) error) error {
	d.pos++ // '['
	for i := 0; ; i++ {
		c := d.ws()
		if c == ']' {
			d.pos++
			return nil
		}
		if i > 0 && c == ',' {
			d.pos++
			d.ws()
		}
		valPos := d.pos
		if err := d.recover(valPos, elem(i, valPos)); err != nil {
			return err
		}
	}
}

// errUnknownField is what a fields callback returns for a key the object does not allow.
var errUnknownField = errors.New("unknown field")

// fields is object for objects with named fields: the path holds the key while its value is
// decoded, and a callback returning errUnknownField gets the key reported as unknown.
func (d *decoder) fields(field func(key string, keyPos, valPos int) error) error {
	return d.object(func(key string, keyPos, valPos int) error {
		d.pushField(key)
		err := field(key, keyPos, valPos)
		d.pop()
		if err == errUnknownField {
			return d.unknownKey(key, keyPos)
		}
		return err
	})
}

// unknownKey reports key as not allowed in the current object.
func (d *decoder) unknownKey(key string, keyPos int) error {
	d.pushField(key)
	defer d.pop()
	return d.errAt(keyPos, ErrUnknownKey, "unknown key "+strconv.Quote(key))
}

// typeErr reports the value at the current position as having the wrong JSON type.
func (d *decoder) typeErr(want string) error {
	return d.errAt(d.pos, ErrType, want+" expected, got "+d.kind())
}
