package policy

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/sigpolicy/sigpolicy/internal/limits"
)

// MaxPolicySize is the largest policy document ParseFile reads (containers/image has no limit).
const MaxPolicySize = limits.MaxPolicySize

// Parse parses a policy document with the acceptance rules of containers/image v5.36.2
// (signature.NewPolicyFromBytes), plus sigpolicy's documented extension fields inside "fulcio"
// (oidcIssuerPattern, subjectURI, subjectPattern, certificateExtensions; see Fulcio). It accepts
// every document containers/image accepts, with the same meaning, and refuses every document it
// refuses unless the document uses an extension field; ParseWithOptions with
// WithCompat(CompatContainersImage) accepts exactly containers/image's documents.
// On failure it returns the first error in document order as an *Error (File "").
func Parse(data []byte) (*Policy, error) {
	return ParseNamed("", data)
}

// ParseNamed is Parse with the file name reported in errors.
func ParseNamed(name string, data []byte) (*Policy, error) {
	d := &decoder{data: data, file: name}
	p, err := d.document()
	if err != nil {
		return nil, err
	}
	return p, nil
}

// ParseFile reads and parses the policy file at path. Files larger than MaxPolicySize are refused
// with ErrTooLarge. A read failure is returned as an *Error wrapping the I/O error.
func ParseFile(path string) (*Policy, error) {
	data, err := readLimited(path)
	if err != nil {
		return nil, err
	}
	return ParseNamed(path, data)
}

// Lint parses data like ParseNamed but keeps going after an error, returning every error it can
// find (nil when the document is valid). After a syntax error nothing else is checked; after an
// error inside an object, that object's cross-field checks are skipped to avoid knock-on reports.
// The first returned error is the one Parse returns.
func Lint(name string, data []byte) []*Error {
	d := &decoder{data: data, file: name, lint: true}
	return d.lintDocument()
}

// lintDocument runs document in lint mode and returns every recorded error.
func (d *decoder) lintDocument() []*Error {
	if _, err := d.document(); err != nil && err != errLinted {
		var e *Error
		if errors.As(err, &e) {
			d.errs = append(d.errs, e)
		}
	}
	return d.errs
}

// LintFile reads the file at path (at most MaxPolicySize bytes) and lints it. A read failure is
// returned as the error; policy problems are returned in the slice.
func LintFile(path string) ([]*Error, error) {
	data, err := readLimited(path)
	if err != nil {
		var e *Error
		if errors.As(err, &e) && errors.Is(e.Err, ErrTooLarge) {
			return []*Error{e}, nil
		}
		return nil, err
	}
	return Lint(path, data), nil
}

func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &Error{File: path, Msg: err.Error(), Err: err}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxPolicySize+1))
	if err != nil {
		return nil, &Error{File: path, Msg: err.Error(), Err: err}
	}
	if len(data) > MaxPolicySize {
		return nil, &Error{File: path, Msg: fmt.Sprintf("policy larger than %d bytes", MaxPolicySize), Err: ErrTooLarge}
	}
	return data, nil
}

func quote(s string) string { return strconv.Quote(s) }

// document parses the whole policy.
func (d *decoder) document() (*Policy, error) {
	if !json.Valid(d.data) {
		return nil, d.syntaxError()
	}
	if d.ws() != '{' {
		return nil, d.typeErr("JSON object")
	}
	p := &Policy{}
	var haveDefault bool
	errsBefore := len(d.errs)
	err := d.object(func(key string, keyPos, valPos int) error {
		switch key {
		case "default":
			d.pushField(key)
			defer d.pop()
			reqs, err := d.requirements()
			p.Default, haveDefault = reqs, true
			return err
		case "transports":
			d.pushField(key)
			defer d.pop()
			t, err := d.transports()
			p.Transports = t
			return err
		}
		return d.unknownKey(key, keyPos)
	})
	if err != nil {
		return nil, err
	}
	if len(d.errs) > errsBefore {
		return nil, nil
	}
	if !haveDefault {
		return nil, d.errAt(0, ErrMissingDefault, `"default" is missing`)
	}
	return p, nil
}

// syntaxError reports why encoding/json refuses the document, at the offending byte.
func (d *decoder) syntaxError() error {
	var raw json.RawMessage
	err := json.Unmarshal(d.data, &raw)
	var se *json.SyntaxError
	off := len(d.data)
	msg := "invalid JSON"
	if errors.As(err, &se) {
		off = int(se.Offset) - 1
		if off < 0 {
			off = 0
		}
		msg = se.Error()
	} else if err != nil {
		msg = err.Error()
	}
	return d.errAt(off, ErrSyntax, msg)
}

// transports parses the "transports" object.
func (d *decoder) transports() (map[string]TransportScopes, error) {
	if d.ws() != '{' {
		return nil, d.typeErr("JSON object")
	}
	res := map[string]TransportScopes{}
	err := d.object(func(name string, _, _ int) error {
		d.pushField(name)
		defer d.pop()
		if d.ws() != '{' {
			return d.typeErr("JSON object")
		}
		scopes := TransportScopes{}
		res[name] = scopes
		return d.object(func(scope string, keyPos, _ int) error {
			d.pushKey(scope)
			defer d.pop()
			if err := ValidateScope(name, scope); err != nil {
				return d.errAt(keyPos, ErrInvalidScope, err.Error())
			}
			reqs, err := d.requirements()
			scopes[scope] = reqs
			return err
		})
	})
	return res, err
}

// requirements parses a non-empty array of requirements.
func (d *decoder) requirements() (Requirements, error) {
	switch d.ws() {
	case 'n':
		return nil, d.errAt(d.pos, ErrEmptyRequirements, "requirement list must not be empty (null)")
	case '[':
	default:
		return nil, d.typeErr("array of requirements")
	}
	start := d.pos
	d.pos++
	if d.ws() == ']' {
		return nil, d.errAt(start, ErrEmptyRequirements, "requirement list must not be empty")
	}
	d.pos = start
	res := Requirements{}
	err := d.array(func(i, _ int) error {
		d.pushIndex(i)
		defer d.pop()
		r, err := d.requirement()
		res = append(res, r)
		return err
	})
	return res, err
}
