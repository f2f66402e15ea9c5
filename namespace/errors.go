package namespace

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error Resolve returns matches exactly one of them with errors.Is:
//
//	ErrInvalidNamespace   the namespace name was refused before any path was built (*InvalidNamespaceError)
//	ErrPolicyFile         a policy file that applies could not be read, parsed or compiled (*PolicyFileError)
//
// A *PolicyFileError may additionally match ErrOutsideDirectory (a symbolic link that leaves the
// policy directory), ErrNotRegularFile, ErrTrustPathConflict, or, through its cause, the sentinels of
// package policy (for example policy.ErrSyntax) and fs.ErrNotExist or fs.ErrPermission.
var (
	// ErrInvalidNamespace is matched by every *InvalidNamespaceError.
	ErrInvalidNamespace = errors.New("invalid namespace name")
	// ErrPolicyFile is matched by every *PolicyFileError.
	ErrPolicyFile = errors.New("policy file unusable")
	// ErrOutsideDirectory means "<dir>/<namespace>.json" is a symbolic link that resolves outside the
	// policy directory. The file it points to is never opened.
	ErrOutsideDirectory = errors.New("policy file resolves outside the policy directory")
	// ErrNotRegularFile means a policy or trust-material path names something other than a regular
	// file (a directory, a FIFO, a device); it is not read.
	ErrNotRegularFile = errors.New("not a regular file")
	// ErrTrustPathConflict means one policy names two trust-material paths that differ only by a
	// leading "/" (such as "/k.pub" and "k.pub", which containers/image reads from different places)
	// and the two files have different contents; the Resolver cannot compile such a policy faithfully.
	ErrTrustPathConflict = errors.New("trust-material paths conflict")
)

// maxNameInError bounds how much of a refused namespace name an error message repeats.
const maxNameInError = 80

// InvalidNamespaceError reports a namespace name that is not a Kubernetes namespace name (an
// RFC 1123 DNS label). It matches ErrInvalidNamespace.
type InvalidNamespaceError struct {
	// Name is the refused name, exactly as given (it may be long or contain control bytes).
	Name string
	// Reason says which rule the name breaks.
	Reason string
}

// Error returns a message that quotes at most the first 80 bytes of the name.
func (e *InvalidNamespaceError) Error() string {
	name := e.Name
	suffix := ""
	if len(name) > maxNameInError {
		name, suffix = name[:maxNameInError], "…"
	}
	return fmt.Sprintf("invalid namespace name %q%s: %s", name, suffix, e.Reason)
}

// Unwrap returns ErrInvalidNamespace.
func (e *InvalidNamespaceError) Unwrap() error { return ErrInvalidNamespace }

// PolicyFileError reports a policy file that applies to a request but cannot be used: it cannot be
// read, is not a regular file, escapes the policy directory, does not parse, or its trust material
// cannot be assembled. Resolve never falls back to another policy in that case: the caller must deny.
//
// It matches ErrPolicyFile and its cause; a parse failure's cause is a *policy.Error carrying
// the file, JSON path, line and column.
type PolicyFileError struct {
	// File is the policy file concerned.
	File string
	// Namespace is the namespace whose request failed; "" for the global policy.
	Namespace string
	// Err is the cause.
	Err error
}

// Error returns "namespace <ns>: policy file <file>: <cause>", without the namespace part for the
// global policy.
func (e *PolicyFileError) Error() string {
	if e.Namespace == "" {
		return fmt.Sprintf("policy file %s: %v", e.File, e.Err)
	}
	return fmt.Sprintf("namespace %s: policy file %s: %v", e.Namespace, e.File, e.Err)
}

// Unwrap returns ErrPolicyFile and the cause.
func (e *PolicyFileError) Unwrap() []error { return []error{ErrPolicyFile, e.Err} }
