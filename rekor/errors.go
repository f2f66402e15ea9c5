package rekor

import (
	"errors"
	"fmt"
)

// Sentinel errors, matchable with errors.Is. Every error returned by this package wraps exactly one
// of them.
var (
	// ErrKeys reports that the configured Rekor public keys could not be loaded.
	ErrKeys = errors.New("rekor: invalid Rekor public key")
	// ErrSETFormat reports a malformed bundle annotation or SET payload.
	ErrSETFormat = errors.New("rekor: malformed Rekor SET")
	// ErrSETSignature reports that no configured Rekor key verified the SET.
	ErrSETSignature = errors.New("rekor: Rekor SET signature not verified")
	// ErrBodyFormat reports a malformed or unsupported log entry body inside a verified SET.
	ErrBodyFormat = errors.New("rekor: malformed Rekor entry body")
	// ErrInput reports malformed caller-supplied data: the key or certificate PEM, or the
	// base64 signature annotation.
	ErrInput = errors.New("rekor: malformed signature data")
	// ErrBodyMismatch reports that the verified entry body does not describe the signature
	// being checked. The concrete error is a *BodyMismatchError.
	ErrBodyMismatch = errors.New("rekor: Rekor entry does not match the signature")
)

// KeyError reports a Rekor public key that cannot be used. Index is 1-based, as in
// containers/image messages.
type KeyError struct {
	Index int   // 1-based position in the list given to NewKeys
	Err   error // the underlying parse error, or nil when the key is not ECDSA
}

// Error returns containers/image's message for this failure.
func (e *KeyError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("Rekor public key %d is not using ECDSA", e.Index)
	}
	return fmt.Sprintf("parsing Rekor public key %d: %v", e.Index, e.Err)
}

// Unwrap returns the underlying parse error, if any.
func (e *KeyError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrKeys) true.
func (e *KeyError) Is(target error) bool { return target == ErrKeys }

// Fields compared by BodyMismatchError.
const (
	FieldPublicKey   = "publicKey"   // spec.signature.publicKey.content (DER of the PEM body)
	FieldSignature   = "signature"   // spec.signature.content
	FieldPayloadHash = "payloadHash" // spec.data.hash.value
)

// BodyMismatchError reports which field of the verified hashedrekord body differs from the
// signature being checked. Expected is the value computed from the caller's data, Actual the value
// recorded in the log entry (both hex-encoded for binary fields).
type BodyMismatchError struct {
	Field    string // one of FieldPublicKey, FieldSignature, FieldPayloadHash
	Expected string
	Actual   string
}

// Error returns containers/image's message for this failure.
func (e *BodyMismatchError) Error() string {
	switch e.Field {
	case FieldPublicKey:
		return "publicKey in Rekor SET does not match"
	case FieldSignature:
		return "signature in Rekor SET does not match"
	case FieldPayloadHash:
		return "payload in Rekor SET does not match"
	default:
		return fmt.Sprintf("%s in Rekor SET does not match", e.Field)
	}
}

// Is makes errors.Is(err, ErrBodyMismatch) true.
func (e *BodyMismatchError) Is(target error) bool { return target == ErrBodyMismatch }

// wrapped is an error with a containers/image-compatible message and a sentinel class.
type wrapped struct {
	class error
	msg   string
	err   error // optional cause
}

func (e *wrapped) Error() string { return e.msg }

func (e *wrapped) Is(target error) bool { return target == e.class }

func (e *wrapped) Unwrap() error { return e.err }

func newErr(class error, cause error, format string, args ...any) error {
	return &wrapped{class: class, msg: fmt.Sprintf(format, args...), err: cause}
}
