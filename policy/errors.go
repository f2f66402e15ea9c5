package policy

import (
	"errors"
	"strconv"
	"strings"
)

// sentinel is an error value that can sit in a small tree: errors.Is(child, parent) holds
// because Unwrap returns the parent.
type sentinel struct {
	msg    string
	parent error
}

func (s *sentinel) Error() string { return s.msg }
func (s *sentinel) Unwrap() error { return s.parent }

// The sentinel tree. Every parse error wraps exactly one of the leaves below, and through it
// ErrInvalidPolicy, so callers can test broad or narrow conditions with errors.Is:
//
//	ErrInvalidPolicy
//	├── ErrSyntax                  not JSON (also trailing data, a BOM, nesting deeper than encoding/json allows)
//	├── ErrTooLarge                the document exceeds MaxPolicySize
//	├── ErrType                    a JSON value of the wrong kind (object expected, string expected, …)
//	├── ErrUnknownKey              a key the object does not allow
//	│   ├── ErrInvalidScope        a scope the transport refuses (containers/image says `Unknown key "<scope>"`)
//	│   └── ErrExtension           a sigpolicy extension field, refused with WithCompat(CompatContainersImage)
//	├── ErrDuplicateKey            a key repeated in one object (compared after JSON unescaping)
//	├── ErrMissingKey              a required key is absent
//	│   └── ErrMissingDefault      the top-level "default" is absent
//	├── ErrInvalidValue            a value of the right kind that is not acceptable
//	│   ├── ErrEmptyRequirements   a requirement list (default or scope) is empty or null
//	│   ├── ErrUnknownRequirementType
//	│   └── ErrUnknownIdentityType
//	└── ErrConflict                mutually exclusive fields, or a required combination missing
var (
	ErrInvalidPolicy = errors.New("invalid policy")

	ErrSyntax       error = &sentinel{"invalid JSON", ErrInvalidPolicy}
	ErrTooLarge     error = &sentinel{"policy too large", ErrInvalidPolicy}
	ErrType         error = &sentinel{"wrong JSON type", ErrInvalidPolicy}
	ErrUnknownKey   error = &sentinel{"unknown key", ErrInvalidPolicy}
	ErrDuplicateKey error = &sentinel{"duplicate key", ErrInvalidPolicy}
	ErrMissingKey   error = &sentinel{"missing key", ErrInvalidPolicy}
	ErrInvalidValue error = &sentinel{"invalid value", ErrInvalidPolicy}
	ErrConflict     error = &sentinel{"conflicting or incomplete fields", ErrInvalidPolicy}

	ErrInvalidScope           error = &sentinel{"invalid scope", ErrUnknownKey}
	ErrExtension              error = &sentinel{"sigpolicy extension not supported by containers/image", ErrUnknownKey}
	ErrMissingDefault         error = &sentinel{"default policy is missing", ErrMissingKey}
	ErrEmptyRequirements      error = &sentinel{"empty requirement list", ErrInvalidValue}
	ErrUnknownRequirementType error = &sentinel{"unknown requirement type", ErrInvalidValue}
	ErrUnknownIdentityType    error = &sentinel{"unknown signedIdentity type", ErrInvalidValue}
)

// Error is the error type of every parse failure. It says where the problem is (file, JSON path,
// 1-based line and byte column) and wraps a sentinel from the tree documented at ErrInvalidPolicy,
// so errors.Is(err, policy.ErrUnknownKey) and errors.As(err, &*policy.Error) both work.
//
// ParseFile also returns an *Error when the file cannot be read; then Err is the I/O error (for
// example one matching fs.ErrNotExist) and Line and Column are 0.
type Error struct {
	File   string // file name as given to ParseNamed or ParseFile; "" for Parse
	Path   string // JSON path of the offending value, e.g. transports.docker["quay.io/x"][1].fulcio.oidcIssuer; "" for the whole document
	Line   int    // 1-based line of the offending token; 0 when unknown
	Column int    // 1-based byte column of the offending token; 0 when unknown
	Msg    string // human-readable description
	Err    error  // the sentinel (or, for read failures, the I/O error)
}

// Error formats the error as "file:line:col: path: msg", leaving out empty parts.
func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteByte(':')
	}
	if e.Line > 0 {
		b.WriteString(strconv.Itoa(e.Line))
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(e.Column))
		b.WriteByte(':')
	}
	if b.Len() > 0 {
		b.WriteByte(' ')
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns the sentinel, for errors.Is.
func (e *Error) Unwrap() error { return e.Err }
